#!/usr/bin/env bash
# valgrind.sh CLI MIGC VERSIONS WORK_DIR
# No memory error and no leak: the compiled command line CLI (the example's
# journal-migrate, built from VERSIONS) runs upgrade head, current, history,
# downgrade base and upgrade +1 on a SQLite file, plus two error paths (an
# unknown target, a database that cannot be opened), and the generator MIGC
# runs generate (with --verify) and check on VERSIONS, each under
#   valgrind --error-exitcode=99 --leak-check=full
#            --errors-for-leak-kinds=definite,indirect,possible
# Still-reachable blocks (SQLite's and libc's caches at exit) are not errors.
# Environment: VALGRIND (the valgrind program, default valgrind).
set -euo pipefail

cli=$1
migc=$2
versions=$3
valgrind=${VALGRIND:-valgrind}

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
tool_check valgrind "$4"
mkdir "$work/generated"
url=sqlite:///$work/app.db
runs=0

# under NAME EXPECTED PROGRAM ARGS...: PROGRAM must exit EXPECTED (0, or
# 1 for an error path) with no valgrind error.
under() {
	local name=$1 expected=$2 status=0
	shift 2
	runs=$((runs + 1))
	"$valgrind" --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--log-file="$work/$name.valgrind" "$@" >"$work/$name.out" 2>"$work/$name.err" || status=$?
	if [ "$status" -ne "$expected" ]; then
		cat "$work/$name.valgrind" >&2
		[ "$status" -eq 99 ] && fail "$name: valgrind found errors (log above)"
		fail "$name: exited $status, expected $expected: $(cat "$work/$name.err")"
	fi
	grep -q "ERROR SUMMARY: 0 errors" "$work/$name.valgrind" ||
		fail "$name: no clean ERROR SUMMARY in $work/$name.valgrind"
	echo "valgrind: $name: no errors"
}

under upgrade-head 0 "$cli" --url "$url" upgrade head
under current 0 "$cli" --url "$url" current --verbose
grep -q "(head)" "$work/current.out" || fail "current does not show the head: $(cat "$work/current.out")"
under history 0 "$cli" --url "$url" history --verbose
under downgrade-base 0 "$cli" --url "$url" downgrade base
[ "$(sqlite3 "$work/app.db" "SELECT count(*) FROM migc_version")" = 0 ] ||
	fail "downgrade base left a version row"
under upgrade-one 0 "$cli" --url "$url" upgrade +1
under unknown-target 1 "$cli" --url "$url" upgrade f00f00f00f00
grep -q "f00f00f00f00" "$work/unknown-target.err" || fail "unknown target: no message naming it"
under missing-database 1 "$cli" --url sqlite:///"$work"/no/such/dir/app.db current
under generate 0 "$migc" generate --versions "$versions" --name valgrind_set \
	--dialect sqlite --output-dir "$work/generated" --verify
[ -s "$work/generated/valgrind_set.c" ] || fail "generate wrote no C file"
under check 0 "$migc" check --versions "$versions" --dialect sqlite
echo "valgrind: all $runs runs clean"
