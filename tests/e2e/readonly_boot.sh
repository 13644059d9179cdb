#!/usr/bin/env bash
# readonly_boot.sh CLI WORK_DIR
# A boot with nothing pending reads and does not write (issue 12): through
# a generated SQLite command line (the fleet set, tests/data/fleet),
# `upgrade head` on a file already at head must succeed, print nothing
# alarming and leave the file and its directory as they were, when
#  1. the file and its directory are read-only (chmod a-w; as root the
#     command runs as nobody, for root writes anyway), and
#  2. the file is opened read-only by its URL (sqlite:////abs.db?mode=ro,
#     the command line's file:/abs.db?mode=ro URI): no lock file created and
#     removed, no journal, the directory's mtime unchanged.
# `current` must agree that the file is at head.
set -euo pipefail

cli=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$2
head=0f1e00000008

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail_context() { echo ": $step"; }
work_dir "$work"
cd "$work"
chmod 755 "$work"

# as_reader COMMAND...: runs it as a user the permissions bind (not root).
as_reader() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}

# state DIR: what must not change: the files, their bytes, the mtimes.
state() {
	(cd "$1" && ls -A && sha256sum ./* && stat -c '%n %y' . ./*)
}

# calm: nothing alarming in $out and $err, and exit status 0.
calm() {
	expect_eq "$status" 0 "exit status (stderr: $err)"
	local text="$out$err"
	local word
	for word in error warning fail denied readonly read-only locked \
		unable cannot; do
		if grep -qi -- "$word" <<<"$text"; then
			fail "it printed [$text]"
		fi
	done
}

# fresh DIR: a database at head in DIR.
fresh() {
	rm -rf "$1"
	mkdir -p "$1"
	capture "$cli" --url "sqlite:///$1/app.db" upgrade head
	expect_eq "$status" 0 "bringing a new file to head: $err"
}

step="read-only file and directory"
fresh "$work/ro"
chmod a-w "$work/ro/app.db" "$work/ro"
before=$(state "$work/ro")
capture as_reader "$cli" --url "sqlite:///$work/ro/app.db" upgrade head
calm
expect_eq "$(state "$work/ro")" "$before" "the file and directory unchanged"
capture as_reader "$cli" --url "sqlite:///$work/ro/app.db" current
expect_eq "$status" 0 "current: $err"
expect_contains "$out" "$head (head)" "current"
chmod u+w "$work/ro"

step="a file opened with ?mode=ro"
fresh "$work/uri"
before=$(state "$work/uri")
sleep 0.05 # a file created and removed would move the directory's mtime
capture "$cli" --url "sqlite:///$work/uri/app.db?mode=ro" upgrade head
calm
expect_eq "$(state "$work/uri")" "$before" "no file created, none written"
capture "$cli" --url "sqlite:///$work/uri/app.db?mode=ro" current
expect_eq "$status" 0 "current: $err"
expect_contains "$out" "$head (head)" "current"

echo "readonly boot: all checks passed"
