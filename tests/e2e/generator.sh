#!/usr/bin/env bash
# generator.sh MIGC WORK_DIR
# The generator's commands on files, as a user runs them: revision, merge,
# heads, branches, history, show, graph, check, generate; their output and
# exit statuses, and that a failed generate leaves no output behind.
set -euo pipefail
migc=$1
work=$2
rm -rf "$work"
mkdir -p "$work/versions"
cd "$work"

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
status_of() { set +e; "$@" >"$work/out" 2>"$work/err"; local s=$?; set -e; echo $s; }

echo "--- revision creates a chain"
out=$("$migc" revision -m "create accounts" --rev-id aaa100000001)
expect_eq "$out" "  Generating versions/aaa100000001_create_accounts.sql ...  done" "revision output"
"$migc" revision -m "Add a column, with punctuation!" --rev-id bbb200000002 >/dev/null
[ -f versions/bbb200000002_add_a_column_with_punctuation.sql ] || fail "slug file name"
grep -q "^-- migc:down_revision aaa100000001$" versions/bbb200000002_*.sql || fail "parent is the head"
"$migc" revision -m "random id" >/dev/null
random=$(ls versions | grep _random_id.sql | cut -d_ -f1)
[[ "$random" =~ ^[0-9a-f]{12}$ ]] || fail "random id [$random]"

echo "--- a branch needs --splice, then two heads"
expect_eq "$(status_of "$migc" revision -m side --head bbb2 --rev-id ccc300000003)" 1 "non-head --head"
expect_contains "$(cat err)" "is not a head" "non-head message"
"$migc" revision -m "side branch" --head bbb2 --splice --branch-label side --rev-id ccc300000003 >/dev/null
expect_eq "$("$migc" heads | sort)" "$(printf '%s (head)\nccc300000003 (side) (head)' "$random" | sort)" "heads"
expect_eq "$(status_of "$migc" revision -m x)" 1 "revision with two heads"
expect_contains "$(cat err)" "has 2 heads" "two heads message"
"$migc" revision -m "more side" --head side@head --rev-id ddd400000004 >/dev/null
grep -q "^-- migc:down_revision ccc300000003$" versions/ddd400000004_*.sql || fail "label@head parent"

echo "--- branches, merge"
expect_eq "$("$migc" branches | head -1)" "bbb200000002 (branchpoint)" "branches"
"$migc" merge -m "merge heads" heads --rev-id eee500000005 >/dev/null
grep -q "^-- migc:down_revision " versions/eee500000005_merge_heads.sql || fail "merge file"
# Alembic carries a branch label to every descendant, past a merge too.
expect_eq "$("$migc" heads)" "eee500000005 (side) (head)" "one head after merge"
expect_contains "$("$migc" history | head -1)" "-> eee500000005 (side) (head) (mergepoint), merge heads" "history head line"
expect_eq "$("$migc" history | tail -1)" "<base> -> aaa100000001, create accounts" "history base line"
expect_eq "$("$migc" history -r aaa1:bbb2 | wc -l | tr -d ' ')" "2" "history range"
expect_eq "$("$migc" history -r -1:bbb2)" "$(printf 'aaa100000001 -> bbb200000002 (branchpoint), Add a column, with punctuation!\n<base> -> aaa100000001, create accounts')" "relative range"
expect_eq "$(status_of "$migc" history -r ccc3:bbb2)" 1 "range across branches"
expect_contains "$(cat err)" "does not refer to ancestor/descendant" "range error"
expect_contains "$("$migc" show ccc3)" "Branch names: side" "show"
expect_contains "$("$migc" show ccc3)" "Path: versions/ccc300000003_side_branch.sql" "show path"
expect_eq "$(status_of "$migc" show zzz)" 1 "show unknown"
dot=$("$migc" graph --format dot)
expect_contains "$dot" "digraph migc {" "graph"
expect_contains "$dot" '"eee500000005" -> "ddd400000004";' "graph merge edge"
# A message's quotes and backslashes are escaped in the label, as the
# node names are.
mkdir -p "$work/dot/versions"
(cd "$work/dot" && "$migc" revision -m 'say "hi" \ there' --rev-id fff600000006 >/dev/null)
dot=$(cd "$work/dot" && "$migc" graph --format dot)
expect_contains "$dot" '"fff600000006" [label="fff600000006 (head)\nsay \"hi\" \\ there"' "graph label escaped"

echo "--- check and generate"
expect_contains "$("$migc" check)" "no problems found" "check"
"$migc" generate --name set --dialect sqlite --output-dir . >/dev/null
[ -f set.c ] && [ -f set.h ] || fail "generate output"
rm set.c set.h
printf -- '-- migc:revision fff600000006\n-- migc:down_revision eee500000005\n-- migc:upgrade\nSELECT '"'"'open;\n' >versions/fff600000006_bad.sql
printf -- '-- migc:revision 0aa700000007\n-- migc:down_revision nowhere\n-- migc:upgrade\nSELECT 1;\n' >versions/0aa700000007_orphan.sql
expect_eq "$(status_of "$migc" check)" 1 "check with problems"
expect_contains "$(cat err)" "versions/0aa700000007_orphan.sql:2:23: error: down_revision 'nowhere'" "check lists the graph problem"
expect_contains "$(cat err)" "versions/fff600000006_bad.sql:4:8: error: unterminated string literal" "check lists the split problem too"
expect_contains "$(cat err)" "migc: check found 2 problems" "check counts"
expect_eq "$(status_of "$migc" generate --name set --dialect sqlite --output-dir .)" 1 "generate with problems"
[ ! -e set.c ] && [ ! -e set.h ] || fail "failed generate wrote output"
rm versions/0aa700000007_orphan.sql
expect_eq "$(status_of "$migc" generate --name set --dialect sqlite --output-dir .)" 1 "generate with a bad statement"
expect_contains "$(cat err)" "versions/fff600000006_bad.sql:4:8: error: unterminated string literal" "split error location"
[ ! -e set.c ] || fail "failed generate wrote output"
ls | grep tmp >/dev/null && fail "temporary file left behind"

echo "--- usage errors"
expect_eq "$(status_of "$migc" frobnicate)" 2 "unknown command"
expect_eq "$(status_of "$migc" generate --name 9bad --dialect sqlite --output-dir .)" 2 "bad name"
expect_eq "$(status_of "$migc" generate --name ok --dialect oracle --output-dir .)" 2 "bad dialect"


echo "--- options by getopt_long's rules, as the embeddable command line (issue 9 item 18)"
range=$("$migc" history -r -1:bbb2)
expect_eq "$("$migc" history -r-1:bbb2)" "$range" "attached -rVALUE"
expect_eq "$("$migc" history --rev-range=-1:bbb2)" "$range" "--rev-range=VALUE"
expect_eq "$("$migc" history --rev-range -1:bbb2)" "$range" "--rev-range VALUE"
expect_eq "$("$migc" --versions=versions history --rev-ra=-1:bbb2)" "$range" "abbreviation, global option first"
expect_contains "$("$migc" show -- ccc3)" "Rev: ccc300000003" "-- before an argument"
expect_contains "$("$migc" history --help)" "usage: migc history  [-r RANGE] [--verbose]" "per-command --help"
expect_eq "$(status_of "$migc" heads --splice)" 2 "an option of another command"
expect_contains "$(cat err)" "migc: error: heads takes no --splice option (it is for revision)" "an option of another command"
expect_eq "$(status_of "$migc" history --verbose=yes)" 2 "a value for a flag"
expect_contains "$(cat err)" "-v/--verbose takes no value" "a value for a flag"
expect_eq "$(status_of "$migc" revision -m)" 2 "a missing value"
expect_contains "$(cat err)" "-m/--message needs a value" "a missing value"
expect_eq "$(status_of "$migc" --bogus heads)" 2 "unknown option"
expect_eq "$(status_of "$migc")" 2 "no command"

echo "--- issue 11: the command before its options, one usage-error path"
expect_eq "$(status_of "$migc" --bogus frobnicate)" 2 "unknown command after an unknown option"
expect_eq "$(cat err)" "$(printf "migc: error: unknown command 'frobnicate'\nRun 'migc --help' for usage.")" "the command is checked first"
expect_eq "$(status_of "$migc" -r heads frobnicate)" 2 "an option's value is not the command"
expect_contains "$(cat err)" "unknown command 'frobnicate'" "an option's value is not the command"
expect_eq "$(status_of "$migc" generate --name 9bad --dialect sqlite --output-dir .)" 2 "a usage error after the parse"
expect_eq "$(cat err)" "$(printf "migc: error: --name must be a C identifier (letters, digits, underscore)\nRun 'migc generate --help' for its usage.")" "names the command, as the parser's errors"
expect_eq "$("$migc" history --help | sed -n 2p)" "                                 newest first; RANGE as Alembic's:" "per-command --help, line by line"
expect_eq "$("$migc" -h history | head -1)" "usage: migc COMMAND [options]" "-h before the command: the general help"

echo "--- an argument a command does not take is refused, not ignored"
expect_eq "$(status_of "$migc" history base:head)" 2 "history with a range but no -r"
expect_eq "$(cat err)" "$(printf "migc: error: history takes no arguments ('base:head'); a range goes after -r, as in -r base:head\nRun 'migc history --help' for its usage.")" "says where the range goes"
for command in heads branches graph check verify generate; do
	expect_eq "$(status_of "$migc" "$command" extra)" 2 "$command with an argument"
	expect_contains "$(cat err)" "migc: error: $command takes no arguments ('extra')" "$command with an argument"
done
expect_contains "$("$migc" history extra --help)" "usage: migc history" "--help after an argument still gives the help"

echo "generator commands: all checks passed"
