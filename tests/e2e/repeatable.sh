#!/usr/bin/env bash
# repeatable.sh MIGC WORK V1 V2 [V1_PG]: repeatable revisions (issue 18) as
# a user meets them: the generator's errors at file:line:column, the
# generated command lines of tests/data/repeatable (V1, then V2 with
# z_totals changed) showing them in current, history and --sql, the --sql
# script run by hand and taken over by the online path, and Flyway's R__
# files imported as repeatables. With V1_PG, the same command line on
# PostgreSQL.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
migc=$1
work_dir "$2"
v1=$3
v2=$4
v1_pg=${5:-}
cd "$work"

revision() { # FILE ID PARENT
	printf -- '-- migc:revision %s\n-- migc:down_revision %s\n\n-- migc:upgrade\nCREATE TABLE t_%s (id INTEGER PRIMARY KEY);\n\n-- migc:downgrade\nDROP TABLE t_%s;\n' \
		"$2" "$3" "$2" "$2" >"$1"
}
repeatable() { # FILE NAME [DEPENDS_ON]
	{
		printf -- '-- migc:repeatable %s\n' "$2"
		[ -z "${3:-}" ] || printf -- '-- migc:depends_on %s\n' "$3"
		printf -- '\n-- migc:upgrade\nDROP VIEW IF EXISTS %s;\nCREATE VIEW %s AS SELECT 1 AS one;\n' "$2" "$2"
		printf -- '\n-- migc:downgrade\nDROP VIEW IF EXISTS %s;\n' "$2"
	} >"$1"
}

step "the generator: a cycle of depends_on at file:line:column"
mkdir cycle
revision cycle/a1_first.sql a1 none
repeatable cycle/R__one.sql one two
repeatable cycle/R__two.sql two one
capture "$migc" check --versions cycle --dialect sqlite
expect_eq "$status" 1 "check"
expect_contains "$err" "cycle/R__two.sql:2:20: error: repeatable cycle: one -> two -> one (each depends on the next); one of these depends_on values is wrong" "cycle"

step "the generator: a depends_on naming no repeatable, a revision directive"
mkdir wrong
revision wrong/a1_first.sql a1 none
repeatable wrong/R__one.sql one a1
printf -- '-- migc:repeatable two\n-- migc:down_revision a1\n\n-- migc:upgrade\nSELECT 1;\n' >wrong/R__two.sql
capture "$migc" check --versions wrong --dialect sqlite
expect_eq "$status" 1 "check"
expect_contains "$err" "wrong/R__one.sql:2:20: error: depends_on 'a1' is not the name of a repeatable" "unknown dependency"
expect_contains "$err" "wrong/R__two.sql:2:4: error: '-- migc:down_revision' in a repeatable revision" "down_revision"
mkdir empty
printf -- '-- migc:repeatable lone\n' >empty/R__lone.sql
capture "$migc" check --versions empty --dialect sqlite
expect_eq "$status" 1 "check"
expect_eq "$err" "empty/R__lone.sql:1:4: error: repeatable lone has no '-- migc:upgrade' section; add one with its definition
migc: check found 1 problem" "a repeatable without its upgrade, said once"

step "the command line: upgrade, current, history"
url=sqlite:///$work/app.db
capture "$v1" --url "$url" upgrade head
expect_eq "$status" 0 "upgrade: $err"
expect_contains "$err" "Running repeatable z_totals
INFO  [migc] Running repeatable a_report" "dependencies first"
capture "$v1" --url "$url" current
expect_eq "$out" "ae0000000002 (head)
z_totals (repeatable)
a_report (repeatable)" "current"
capture "$v2" --url "$url" current
expect_contains "$out" "z_totals (repeatable, changed since it was applied: the next upgrade applies it again)" "current of a changed one"
capture "$v2" history
expect_eq "$out" "(repeatable) a_report (after z_totals), the report over the totals
(repeatable) z_totals, each item's total, and its name
ae0000000001 -> ae0000000002 (head), item quantity
<base> -> ae0000000001, items" "history"
capture "$v2" --url "$url" upgrade head
expect_eq "$status" 0 "upgrade: $err"
expect_lacks "$err" "a_report" "only the changed one"
expect_contains "$err" "Running repeatable z_totals" "the changed one"
capture "$v2" --url "$url" current
expect_contains "$out" "z_totals (repeatable)" "applied"

step "the command line: downgrade undoes them first"
capture "$v2" --url "$url" downgrade ae0000000001
expect_eq "$status" 0 "downgrade: $err"
expect_contains "$err" "Undoing (stored downgrade) repeatable a_report
INFO  [migc] Undoing (stored downgrade) repeatable z_totals
INFO  [migc] Running downgrade ae0000000002" "undone first"
capture "$v2" --url "$url" current
expect_contains "$out" "z_totals (repeatable, not applied: the next upgrade applies it)" "not applied"

step "--sql: the script ends with them; run by hand, the online path takes it over"
capture "$v1" upgrade head --sql
expect_eq "$status" 0 "--sql: $err"
expect_contains "$out" "-- Running repeatable z_totals" "in the script"
expect_contains "$out" "VALUES ('R:z_totals', ''" "its history row"
sqlite3 "$work/offline.db" <out || fail "the script does not run"
capture "$v1" --url "sqlite:///$work/offline.db" current
expect_eq "$out" "ae0000000002 (head)
z_totals (repeatable)
a_report (repeatable)" "current after the script"
capture "$v1" --url "sqlite:///$work/offline.db" upgrade head
expect_eq "$status" 0 "upgrade after the script: $err"
expect_lacks "$err" "Running repeatable" "nothing left to apply"
capture "$v1" downgrade ae0000000002:base --sql
expect_contains "$out" "-- Undoing repeatable a_report" "downgrade --sql"
expect_contains "$out" "DELETE FROM \"migc_version_history\" WHERE version_num = 'R:a_report'" "its row"

step "import flyway: R__ files become repeatable revisions"
mkdir flyway
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n' >flyway/V1__users.sql
printf 'DROP TABLE users;\n' >flyway/U1__users.sql
printf 'CREATE VIEW IF NOT EXISTS user_names AS SELECT name FROM users;\n' >flyway/R__User_names.sql
capture "$migc" import flyway flyway --versions imported
expect_eq "$status" 0 "import: $err"
expect_contains "$(cat imported/R__User_names.sql)" "-- migc:repeatable User_names" "the file"
expect_contains "$err" "repeatable User_names has no downgrade" "what to add"
capture "$migc" generate --versions imported --name imported --dialect sqlite --output-dir .
expect_eq "$status" 0 "generate: $err"
expect_contains "$(cat imported.c)" '"User_names"' "in the set"

if [ -n "$v1_pg" ]; then
	need_postgresql repeatable
	step "PostgreSQL: upgrade and current"
	database=migc_e2e_repeatable
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database" >/dev/null
	capture env PGDATABASE=$database "$v1_pg" --url postgresql:// upgrade head
	expect_eq "$status" 0 "upgrade: $err"
	capture env PGDATABASE=$database "$v1_pg" --url postgresql:// current
	expect_eq "$out" "ae0000000002 (head)
z_totals (repeatable)
a_report (repeatable)" "current"
	capture env PGDATABASE=$database "$v1_pg" --url postgresql:// downgrade base
	expect_eq "$status" 0 "downgrade: $err"
	psql -X -q -d postgres -c "DROP DATABASE $database" >/dev/null
fi
echo "repeatable: ok"
