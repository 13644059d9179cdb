#!/usr/bin/env bash
# run-tests.sh: sets up a fresh Debian machine and runs every test: built
# with gcc and with clang (warnings are errors), then once more under
# AddressSanitizer and UndefinedBehaviorSanitizer; the clang build also
# fuzzes the generator for a minute. One throwaway PostgreSQL
# server (scripts/pg-server.sh) serves all three and is stopped at exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh"

out=${MIGC_TEST_BUILD_DIR:-$root/build-tests}
jobs=$(nproc)

pg_dir=$("$root/scripts/pg-server.sh" start)
trap '"$root/scripts/pg-server.sh" stop "$pg_dir"' EXIT
trap 'exit 130' INT TERM
eval "$("$root/scripts/pg-server.sh" env "$pg_dir")"
echo "==== PostgreSQL test server on $PGHOST"

run() {
	local name=$1
	shift
	echo "==== $name"
	# MIGC_BUILD_TESTS=ON: a missing test dependency fails the configure
	# instead of leaving a build without tests (its default is AUTO).
	cmake -S "$root" -B "$out/$name" -DMIGC_WARNINGS_AS_ERRORS=ON \
		-DMIGC_BUILD_TESTS=ON "$@" >/dev/null
	cmake --build "$out/$name" -j"$jobs"
	ctest --test-dir "$out/$name" --output-on-failure --no-tests=error -j"$jobs"
}

run gcc -DCMAKE_C_COMPILER=gcc
run clang -DCMAKE_C_COMPILER=clang -DMIGC_BUILD_FUZZERS=ON
run sanitize -DCMAKE_C_COMPILER=gcc -DMIGC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
