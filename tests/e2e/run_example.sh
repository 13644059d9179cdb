#!/usr/bin/env bash
# run_example.sh SOURCE_DIR WORK_DIR
# Issue 15: the README's first command shows what migc is: the app's
# output, a revision file and the C it became, a downgrade and the --sql
# script, each where the README says.
set -euo pipefail
src=$(cd "$1" && pwd)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work_dir "$2"
out=$(MIGC_EXAMPLE_BUILD_DIR="$work/build" "$src/scripts/run-example.sh" 2>&1) ||
	fail "run-example.sh failed: $out"
expect_contains "$out" "== first boot: the app migrates its new database" "the app"
expect_contains "$out" "-- migc:upgrade" "the revision file"
expect_contains "$out" "static const migc_statement r5_up[] = {" "the generated C"
expect_contains "$out" "/* 9d0e1f2a3b4c_create_tags.sql:9 */" "the generated C names the file and line"
expect_contains "$out" "INFO  [migc] Running downgrade 9d0e1f2a3b4c -> e1f2a3b4c5d6, create tags" "the downgrade"
expect_contains "$out" "-- Running upgrade e1f2a3b4c5d6 -> 9d0e1f2a3b4c" "the --sql script"
expect_contains "$out" "UPDATE \"migc_version\" SET version_num='9d0e1f2a3b4c'" "the --sql script's version row"
echo "run_example: all checks passed"
