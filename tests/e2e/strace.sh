#!/usr/bin/env bash
# strace.sh JOURNAL WORK_DIR
# The example app touches no file but its database: every file system call
# (strace -f -e trace=%file) of a boot of examples/app's `journal DB list`,
# once on a new database (every revision applied) and once on a migrated
# one (nothing pending), must name one of:
#   the app itself                execve of JOURNAL
#   the dynamic loader            /etc/ld.so.preload, /etc/ld.so.cache and
#                                 shared libraries (lib*.so*) under /lib*,
#                                 /usr/lib* or /usr/local/lib*, which it
#                                 probes for libsqlite3, libc and the like
#   the database                  DB, and SQLite's companions DB-journal,
#                                 DB-wal, DB-shm
#   the migration lock            DB-migc-lock: the SQLite driver's lock
#                                 file beside the database (MIGC_SQLITE_FILE_LOCK)
#   its directory                 WORK_DIR: SQLite opens it to fsync the
#                                 directory entry of a new journal
#   the directories above it      SQLite resolves the database's full path
#                                 (symbolic links) with an lstat of each
#   ""                            fstat of a descriptor already open
#                                 (AT_EMPTY_PATH): its file was checked when
#                                 it was opened
#   SQLite's randomness           /dev/urandom, read once to seed SQLite's
#                                 pseudo-random generator
# Anything else (a config file, a revision file, /tmp, /proc...) fails.
# Environment: STRACE (the strace program, default strace).
set -euo pipefail

journal=$1
strace=${STRACE:-strace}

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
tool_check strace "$2"
journal=$(cd "$(dirname "$journal")" && pwd)/$(basename "$journal")
db=$work/journal.db

# The path a traced call names: its first quoted argument, or for the *at
# calls (openat, newfstatat, faccessat...) the first after the descriptor.
allowed() {
	local path=$1
	# an ancestor of the database's directory
	[[ $path == /* && "$work/" == "$path"/* ]] && return 0
	case $path in
	"" | "$journal" | "$db" | "$db"-journal | "$db"-wal | "$db"-shm | "$db"-migc-lock | "$work") return 0 ;;
	/etc/ld.so.preload | /etc/ld.so.cache | /dev/urandom) return 0 ;;
	/lib/* | /lib64/* | /usr/lib/* | /usr/lib64/* | /usr/local/lib/*)
		# shared libraries, and the directories the loader searches
		case ${path##*/} in
		lib*.so* | ld-linux*.so*) return 0 ;;
		esac
		[[ $path =~ ^/(usr/(local/)?)?lib(64)?(/[A-Za-z0-9_.+-]+)*/?$ && ! -f $path ]] && return 0
		return 1
		;;
	esac
	return 1
}

boot() {
	local name=$1 log=$work/$1.strace path line bad=0
	(cd "$work" && "$strace" -f -qq -e trace=%file -o "$log" "$journal" "$db" list) \
		>"$work/$name.out" 2>"$work/$name.err" ||
		fail "$name: journal exited non-zero: $(cat "$work/$name.err")"
	[ -s "$log" ] || fail "$name: strace wrote nothing"
	local calls=0
	while IFS= read -r line; do
		# "PID syscall(args) = result"; continuation lines of a call that
		# another thread interrupted carry no path of their own.
		[[ $line == *"resumed>"* ]] && continue
		[[ $line =~ \"([^\"]*)\" ]] || continue
		path=${BASH_REMATCH[1]}
		calls=$((calls + 1))
		if ! allowed "$path"; then
			echo "not allowed: $line" >&2
			bad=1
		fi
	done <"$log"
	[ "$bad" -eq 0 ] || fail "$name: the app touched files other than its database (above; full log $log)"
	grep -q "\"$db\"" "$log" || fail "$name: the trace never names the database; is strace tracing?"
	echo "strace: $name: $calls file calls, all on the allowed list"
}

boot first-boot
[ "$(sqlite3 "$db" "SELECT count(*) FROM migc_version")" = 1 ] 2>/dev/null ||
	fail "first boot did not migrate the database"
grep -q "applying" "$work/first-boot.err" || fail "first boot applied nothing: $(cat "$work/first-boot.err")"
boot second-boot
grep -q "applying" "$work/second-boot.err" && fail "second boot applied something again"
echo "strace: all checks passed"
