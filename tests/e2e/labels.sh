#!/usr/bin/env bash
# labels.sh DATA_DIR WORK_DIR SQLITE_CLI MIGC
# Side by side with Alembic 1.8.1 (issue 9, items 4, 16, 17, 20, 21) on the
# graph in tests/data/labels: two labelled roots with a depends_on across
# them, a labelled branch point and a merge whose parents are not in id
# order, a label declared mid-line. The generator's and the compiled
# command line's history, heads, branches, show and current, and what
# downgrades, label@base and stamp do to a real SQLite file, reduced by
# labels-common.sh and compared with what Alembic printed and left for the
# same commands (expected/, written by data/labels/alembic/record.sh); and
# (issue 11) that both command lines read a target through the core's one
# resolver: each form means the same, each failure says the same.
set -euo pipefail

data=$1
work=$2
cli=$3
migc=$4
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=lib.sh
. "$here/lib.sh"
work_dir "$work"
cd "$work"
# shellcheck source=labels-common.sh
. "$here/labels-common.sh"

db="$work/labels.db"
url="sqlite:///$db"
db_rows() { sqlite3 "$db" "SELECT version_num FROM migc_version ORDER BY 1" 2>/dev/null || true; }
db_reset() { rm -f "$db"; }
run_database() { "$cli" --url "$url" "$@"; }

compare() {
	diff -u "$data/expected/$1" "$2" >&2 || fail "$3 differs from Alembic's (expected/$1)"
}

echo "--- the generator's formats, as Alembic's"
run_format() { "$migc" "$@" --versions "$data/versions" 2>&1; }
format_report "$data/commands-format.txt" >generator-format.txt
compare format.txt generator-format.txt "migc (generator) output"
# Alembic has no graph; migc's draws a dependency as a dashed edge.
dot=$("$migc" graph --format dot --versions "$data/versions")
expect_contains "$dot" '  "2b0000000002" -> "1a0000000002" [style=dashed, label="depends_on"];' "graph depends_on edge"
expect_contains "$dot" '  "1a0000000002" -> "1a0000000001";' "graph parent edge"

echo "--- the command line's formats, as Alembic's"
run_format() { "$cli" --url "$url" "$@" 2>&1; }
format_report "$data/commands-format.txt" >cli-format.txt
compare format.txt cli-format.txt "the command line's output"

echo "--- downgrades, label@base, stamp and current on SQLite, as Alembic"
database_report "$data/commands-database.txt" >cli-database.txt
compare database.txt cli-database.txt "the command line's runs"

echo "--- counts too large are reported as such (item 16)"
db_reset
capture "$cli" --url "$url" upgrade +99999999999999999999
expect_eq "$status" 1 "upgrade +huge"
expect_contains "$err" "Relative target '+99999999999999999999' counts more steps than there can be (at most 4294967295)" "upgrade +huge"
capture "$cli" --url "$url" upgrade auth@+99999999999999999999
expect_contains "$err" "counts more steps than there can be" "upgrade label@+huge"
capture "$cli" --url "$url" upgrade 1a0000000001+99999999999999999999
expect_contains "$err" "counts more steps than there can be" "upgrade rev+huge"
expect_eq "$(db_rows)" "" "nothing applied by the refused counts"
capture "$cli" --url "$url" upgrade 1a0000000001+4294967295
expect_contains "$err" "asks for 4294967295 steps from 1a0000000001 but only 2 are possible" "the largest count is a count"
for tool in cli generator; do
	if [ $tool = cli ]; then
		history() { "$cli" --url "$url" history "$@"; }
		show() { "$cli" --url "$url" show "$@"; }
	else
		history() { "$migc" history --versions "$data/versions" "$@"; }
		show() { "$migc" show --versions "$data/versions" "$@"; }
	fi
	capture history -r -99999999999999999999:auth@head
	expect_eq "$status" 1 "$tool history -r -huge:"
	expect_contains "$err" "the count in '-99999999999999999999:auth@head' is too large (at most 4294967295)" "$tool history -r -huge:"
	capture history -r -18446744073709551617:auth@head
	expect_contains "$err" "is too large" "$tool history -r -(2^64+1): does not wrap"
	capture history -r -2:auth@head
	expect_eq "$(echo "$out" | wc -l | tr -d ' ')" 3 "$tool history -r -2:auth@head"
	capture show ''
	expect_eq "$status" 1 "$tool show ''"
	expect_contains "$err" "the revision id is empty" "$tool show ''"
	capture show auth@base
	expect_contains "$err" "before the branch's first revision" "$tool show auth@base"
done

echo "--- one target grammar (issue 11): the same failure, the same message, from every caller"
ambiguous="Revision prefix '1a' matches 3 revisions (1a0000000001, 1a0000000002, 1a0000000003); give more characters of the id."
unknown="No revision 'zz' in set '"
rm -rf versions
cp -r "$data/versions" versions
for command in "$cli --url $url upgrade" "$cli --url $url history -r" \
	"$cli --url $url show" "$migc history --versions versions -r" \
	"$migc show --versions versions" \
	"$migc revision --versions versions -m x --head" \
	"$migc revision --versions versions -m x --head auth@head --depends-on" \
	"$migc merge --versions versions -m x 1a0000000003"; do
	for target in 1a zz; do
		spelled=$target
		case "$command" in *" -r") spelled="$target:" ;; esac
		# shellcheck disable=SC2086
		capture $command "$spelled"
		expect_eq "$status" 1 "$command $spelled"
		if [ "$target" = 1a ]; then
			expect_contains "$err" "$ambiguous" "$command $spelled"
		else
			expect_contains "$err" "$unknown" "$command $spelled"
			expect_contains "$err" "run the history command to list the revisions" "$command $spelled"
		fi
	done
done
capture "$migc" revision --versions versions -m x --head head
expect_eq "$status" 1 "revision --head head"
expect_contains "$err" "Target 'head' needs a single head but the set has 4" "revision --head head"
capture "$cli" --url "$url" history -r :head
expect_contains "$err" "Target 'head' needs a single head but the set has 4" "history -r :head"
capture "$migc" history --versions versions -r :head
expect_contains "$err" "Target 'head' needs a single head but the set has 4" "migc history -r :head"
expect_eq "$(ls versions | wc -l | tr -d ' ')" 14 "no file written by a refused target"

echo "--- <revision>@head names that revision's branch, as a label does (Alembic)"
capture "$cli" --url "$url" history -r 1a0000000002:1a0000000001@head
expect_eq "$status" 0 "history -r REV:REV@head: $err"
expect_eq "$(echo "$out" | cut -c1-31)" "1a0000000002 -> 1a0000000003 (a
1a0000000001 -> 1a0000000002 (a" "history -r REV:REV@head"
capture "$migc" history --versions versions -r 1a0000000002:1a0000000001@head
expect_eq "$status" 0 "migc history -r REV:REV@head: $err"
expect_eq "$(echo "$out" | wc -l | tr -d ' ')" 2 "migc history -r REV:REV@head"
capture "$migc" show --versions versions 1a0000000001@head
expect_contains "$out" "Rev: 1a0000000003 (head)" "migc show REV@head"
capture "$migc" revision --versions versions -m tail --head 1a0000000001@head --rev-id 1a0000000009
expect_eq "$status" 0 "revision --head REV@head: $err"
grep -Eq "^-- migc:down_revision +1a0000000003" versions/1a0000000009_tail.sql ||
	fail "revision --head REV@head: the new revision's parent is not 1a0000000003"
capture "$migc" revision --versions versions -m deps --head docs@head --depends-on auth@head --rev-id 4d0000000009
expect_eq "$status" 0 "revision --depends-on LABEL@head: $err"
grep -Eq "^-- migc:depends_on +1a0000000009" versions/4d0000000009_deps.sql ||
	fail "revision --depends-on LABEL@head: the dependency is not auth's head"
echo "e2e labels: all checks passed"
