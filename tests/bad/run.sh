#!/usr/bin/env bash
# run.sh MIGC WORK_DIR: every malformed versions directory here must make
# `migc generate` exit 1 with exactly the diagnostics in its `expected`
# file, write no output, and never crash; `migc check` must agree. A case
# runs for SQLite unless it holds a `dialect` file naming another.
# With --update, rewrites the expected files (review the diff!).
set -uo pipefail
migc=$1
work=$2
update=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
failed=0
passed=0
for case_dir in "$here"/*/; do
	name=$(basename "$case_dir")
	run=$work/$name
	rm -rf "$run"
	mkdir -p "$run/versions" "$run/out"
	cp "$case_dir"/*.sql "$run/versions/"
	dialect=sqlite
	[ -f "$case_dir/dialect" ] && dialect=$(cat "$case_dir/dialect")
	(cd "$run" && "$migc" generate --versions versions --name bad \
		--dialect "$dialect" --output-dir out >stdout 2>stderr)
	status=$?
	(cd "$run" && "$migc" check --versions versions --dialect "$dialect" \
		>/dev/null 2>check.err)
	check_status=$?
	if [ "$update" = --update ]; then
		cp "$run/stderr" "$case_dir/expected"
	fi
	problems=()
	[ "$status" -eq 1 ] || problems+=("generate exited $status, not 1")
	[ "$check_status" -eq 1 ] || problems+=("check exited $check_status, not 1")
	[ -z "$(ls -A "$run/out")" ] || problems+=("output written: $(ls "$run/out")")
	if ! diff -u "$case_dir/expected" "$run/stderr" >"$run/diff"; then
		problems+=("diagnostics differ:\n$(cat "$run/diff")")
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name"
		for p in "${problems[@]}"; do echo -e "  $p"; done
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
