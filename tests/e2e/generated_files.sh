#!/usr/bin/env bash
# generated_files.sh MIGC SOURCE_DIR WORK_DIR
# How `migc generate` writes its files: through a temporary file nobody can
# predict (a symlink planted at the old "<path>.tmp.<pid>" name is neither
# followed nor touched), synced before it is renamed and the directory
# after, with a normal file's permissions; a failure names the path and the
# system's reason and leaves no temporary file behind.
set -euo pipefail
migc=$1
src=$(cd "$2" && pwd)
work=$3

rm -rf "$work"
mkdir -p "$work"
cp -r "$src/tests/data/golden/versions" "$work/versions"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
generate() { "$migc" generate --versions "$work/versions" --name app --dialect sqlite "$@"; }
# Everything in a directory but the names given.
others() {
	local dir=$1
	shift
	(cd "$dir" && ls -A | grep -v -x -F "$(printf '%s\n' "$@")" || true)
}

step "a symlink at the old predictable temporary name is not followed"
mkdir "$work/out"
echo precious >"$work/victim"
# The subshell's pid becomes migc's through exec: the name the old writer
# would have used.
(
	ln -s "$work/victim" "$work/out/app.c.tmp.$BASHPID"
	ln -s "$work/absent" "$work/out/app.h.tmp.$BASHPID"
	echo "$BASHPID" >"$work/pid"
	exec "$migc" generate --versions "$work/versions" --name app \
		--dialect sqlite --output-dir "$work/out"
) || fail "generate failed beside the planted symlinks"
pid=$(cat "$work/pid")
[ "$(cat "$work/victim")" = precious ] || fail "the file behind the planted symlink was written"
[ ! -e "$work/absent" ] || fail "a file was created through the planted symlink"
[ "$(readlink "$work/out/app.c.tmp.$pid")" = "$work/victim" ] &&
	[ "$(readlink "$work/out/app.h.tmp.$pid")" = "$work/absent" ] ||
	fail "the planted symlinks were changed"
for f in app.c app.h; do
	[ -f "$work/out/$f" ] && [ ! -L "$work/out/$f" ] || fail "$f is not a regular file"
done
grep -q "const migc_set app = {" "$work/out/app.c" || fail "app.c lacks the set"
left=$(others "$work/out" app.c app.h app.verified "app.c.tmp.$pid" "app.h.tmp.$pid")
[ -z "$left" ] || fail "temporary files left behind: $left"

step "generated files get 0666 less the umask, as a normal file would"
for mask in 022 002 077; do
	rm -f "$work/out/app.c" "$work/out/app.h"
	(umask $mask && generate --output-dir "$work/out" >/dev/null)
	want=$(printf '%o' $((0666 & ~0$mask)))
	for f in app.c app.h; do
		got=$(stat -c %a "$work/out/$f")
		[ "$got" = "$want" ] || fail "umask $mask: $f has mode $got, not $want"
	done
done

if command -v strace >/dev/null; then
	step "each file is synced before its rename, and the directory after"
	# LeakSanitizer cannot run under ptrace (a sanitized build).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -e trace=openat,fsync,rename,close -o "$work/trace" \
		"$migc" generate --versions "$work/versions" --name app --dialect sqlite \
		--output-dir "$work/out" >/dev/null
	for f in app.h app.c; do
		awk -v target="$work/out/$f" '
		# the temporary file: created exclusively, never through a link
		/openat\(/ && index($0, "\"" target ".tmp.") {
			if ($0 !~ /O_EXCL/) { print "not O_EXCL: " $0; bad = 1 }
			fd = $NF; synced = 0; next
		}
		fd != "" && /fsync\(/ && $0 ~ "fsync\\(" fd "\\)" { synced = 1 }
		/rename\(/ && index($0, "\"" target "\"") {
			if (!synced) { print "renamed unsynced: " $0; bad = 1 }
			renamed = 1; next
		}
		renamed && /openat\(/ && /O_DIRECTORY/ { dirfd = $NF }
		renamed && dirfd != "" && $0 ~ "fsync\\(" dirfd "\\)" { dirsynced = 1; renamed = 0 }
		END {
			if (fd == "") { print "no temporary file for " target; bad = 1 }
			if (!dirsynced) { print "directory not synced after " target; bad = 1 }
			exit bad
		}' "$work/trace" || fail "$f is not written durably (strace in $work/trace)"
	done
fi

step "a read-only directory: the path and the reason, nothing left behind"
mkdir "$work/ro"
chmod 555 "$work/ro"
unprivileged=()
# root writes anywhere: drop to nobody for this step.
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || fail "running as root without setpriv"
	unprivileged=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod -R a+rX "$work"
fi
status=0
"${unprivileged[@]}" "$migc" generate --versions "$work/versions" --name app \
	--dialect sqlite --output-dir "$work/ro" 2>"$work/ro.err" || status=$?
[ "$status" = 1 ] || fail "generate into a read-only directory exited $status"
err=$(cat "$work/ro.err")
expect_contains "$err" "$work/ro/app.h" "read-only error"
expect_contains "$err" "Permission denied" "read-only error"
[ -z "$(ls -A "$work/ro")" ] || fail "left in the read-only directory: $(ls -A "$work/ro")"

step "a failed rename removes its temporary file"
mkdir -p "$work/blocked/app.c" # a directory where the file should go
status=0
generate --output-dir "$work/blocked" 2>"$work/blocked.err" || status=$?
[ "$status" = 1 ] || fail "generate over a directory exited $status"
expect_contains "$(cat "$work/blocked.err")" "$work/blocked/app.c" "rename error"
expect_contains "$(cat "$work/blocked.err")" "Is a directory" "rename error"
left=$(others "$work/blocked" app.c app.h)
[ -z "$left" ] || fail "temporary files left behind: $left"
echo "generated files: written durably, never through a link"
