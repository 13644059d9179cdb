#!/usr/bin/env bash
# plurals.sh WORK BRANCHY_CLI JOURNAL (issue 15): messages count in English,
# "1 step" and "2 steps", as the generated command line and the example app
# print them.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work_dir "$1"
cli=$2
journal=$3
cd "$work"
url="sqlite:///$work/branchy.db"

step "a relative target one step too far"
capture "$cli" --url "$url" upgrade 9f2b4d6c8e9a+1
expect_eq "$status" 1 "exit status"
expect_contains "$err" "Relative target '9f2b4d6c8e9a+1' asks for 1 step from 9f2b4d6c8e9a but only 0 are possible" "singular"
capture "$cli" --url "$url" downgrade 1a2b3c4d5e01-2
expect_eq "$status" 1 "exit status"
expect_contains "$err" "asks for 2 steps from 1a2b3c4d5e01 but only 1 is possible" "plural"

step "the example app's entries"
"$journal" "$work/journal.db" add ada@example.com first >/dev/null 2>&1
capture "$journal" "$work/journal.db" list
expect_contains "$out" "(1 entry): first" "one entry"
"$journal" "$work/journal.db" add ada@example.com second >/dev/null 2>&1
capture "$journal" "$work/journal.db" list
expect_contains "$out" "(2 entries): " "two entries"
echo "plurals: ok"
