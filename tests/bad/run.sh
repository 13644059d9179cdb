#!/usr/bin/env bash
# run.sh MIGC WORK_DIR: every malformed versions directory here must make
# `migc generate` exit 1 with exactly the diagnostics in its `expected`
# file, write no output, and never crash. What else reads the revisions
# must agree: `check`, and what builds schemas from them (`revision
# --autogenerate`, `verify`, `squash`) exit 1 with every one of those
# lines (check may find more) and write no revision, before connecting
# to any database. A case runs for SQLite unless it holds a `dialect`
# file naming another.
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
	: >"$run/schema.sql"
	others=(
		"check"
		"revision --autogenerate -m next --schema schema.sql"
		"verify"
		"squash --to heads"
	)
	other_problems=()
	for other in "${others[@]}"; do
		# shellcheck disable=SC2086 # the words of the command
		(cd "$run" && env -u PGHOST -u PGPORT "$migc" $other \
			--versions versions --dialect "$dialect" \
			>/dev/null 2>other.err)
		other_status=$?
		[ "$other_status" -eq 1 ] ||
			other_problems+=("$other exited $other_status, not 1")
		missing=$(grep -vxF -f "$run/other.err" "$case_dir/expected")
		[ -z "$missing" ] ||
			other_problems+=("$other does not say:\n$missing")
	done
	[ "$(find "$run/versions" -type f | wc -l)" -eq \
		"$(find "$case_dir" -name '*.sql' | wc -l)" ] ||
		other_problems+=("a file was written into versions")
	if [ "$update" = --update ]; then
		cp "$run/stderr" "$case_dir/expected"
	fi
	problems=()
	[ "$status" -eq 1 ] || problems+=("generate exited $status, not 1")
	problems+=("${other_problems[@]}")
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
