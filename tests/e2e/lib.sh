# lib.sh: what the end-to-end scripts share. Source it after `set -euo
# pipefail`: . "$(dirname "$0")/lib.sh"

# fail MESSAGE...: says what failed and ends the script. What fail_context
# prints comes after FAIL: a script redefines it to name its backend, step
# or round (" [sqlite]", ": $step").
fail_context() { :; }
fail() {
	echo "FAIL$(fail_context): $*" >&2
	exit 1
}

# expect_eq GOT WANT [WHAT], expect_contains TEXT PART [WHAT],
# expect_lacks TEXT PART [WHAT]
expect_eq() { [ "$1" == "$2" ] || fail "${3:+$3: }expected [$2], got [$1]"; }
expect_contains() { [[ "$1" == *"$2"* ]] || fail "${3:+$3: }[$1] does not contain [$2]"; }
expect_lacks() { [[ "$1" != *"$2"* ]] || fail "${3:+$3: }[$1] contains [$2]"; }

# step WHAT: says what the script checks next.
step() { echo "--- $*"; }

# work_dir DIR: DIR made empty; $work is its absolute path.
work_dir() {
	rm -rf "$1"
	mkdir -p "$1"
	work=$(cd "$1" && pwd)
}

# tool_check NAME DIR: a script checking migc under the tool NAME (strace,
# valgrind) in the work directory DIR: what fails says " (NAME)".
tool_check() {
	tool_name=$1
	fail_context() { echo " ($tool_name)"; }
	work_dir "$2"
}

# capture COMMAND...: runs it in the current directory; $status is its exit
# status, $out and $err what it printed (also left in the files out, err).
capture() {
	set +e
	"$@" >out 2>err
	status=$?
	set -e
	out=$(cat out)
	err=$(cat err)
}

# need_postgresql NAME: PGHOST names a server and psql is there; without a
# server the script fails saying how to start one, or with
# MIGC_SKIP_POSTGRESQL=1 it says it skipped and ends successfully.
need_postgresql() {
	if [ -z "${PGHOST:-}" ]; then
		if [ "${MIGC_SKIP_POSTGRESQL:-}" = 1 ]; then
			echo "$1: MIGC_SKIP_POSTGRESQL=1, skipped"
			exit 0
		fi
		fail "PGHOST is not set, so there is no PostgreSQL server; start one with scripts/pg-server.sh (scripts/run-tests.sh does) or set MIGC_SKIP_POSTGRESQL=1"
	fi
	command -v psql >/dev/null || fail "psql is needed"
}
