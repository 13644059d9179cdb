#!/usr/bin/env bash
# squash.sh MIGC SOURCE_DIR RUNTIME_LIB_DIR WORK_DIR
# Baselines (issue 18) as a user drives them, on SQLite and, with PGHOST,
# PostgreSQL: a chain of revisions, 'migc squash --to REV', the command
# line compiled from 'migc generate' (the whole chain with the baseline)
# and from 'migc generate --from-baseline'. A new database takes the
# baseline in one step, one inside the chain follows the chain, and both
# end identical (SQLite: sqlite_master and the pragmas of every table;
# PostgreSQL: pg_dump -s); the from-baseline build refuses a database
# older than the baseline naming both revisions and writes nothing, and
# its downgrade below the baseline's revision ends at base; a baseline
# edited by hand fails the build's proof.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=generated_cli.sh
. "$here/generated_cli.sh" "$@"
fail_context() { echo " [$dialect]"; }

# chain DIR DIALECT: five revisions; r4 is squashed, r5 comes after.
chain() {
	local v=$1 serial=INTEGER
	[ "$2" = sqlite ] || serial="integer GENERATED ALWAYS AS IDENTITY"
	mkdir -p "$v"
	cat >"$v/r1_users.sql" <<-EOF
	-- migc:revision r1
	-- migc:down_revision none
	-- migc:upgrade
	CREATE TABLE users (id $serial PRIMARY KEY, email TEXT NOT NULL);
	CREATE INDEX users_email ON users (email);
	-- migc:downgrade
	DROP TABLE users;
	EOF
	cat >"$v/r2_posts.sql" <<-EOF
	-- migc:revision r2
	-- migc:down_revision r1
	-- migc:upgrade
	ALTER TABLE users ADD COLUMN name TEXT;
	CREATE TABLE posts (id $serial PRIMARY KEY, user_id INTEGER REFERENCES users (id), body TEXT NOT NULL DEFAULT '');
	-- migc:downgrade
	DROP TABLE posts;
	ALTER TABLE users DROP COLUMN name;
	EOF
	cat >"$v/r3_view.sql" <<-EOF
	-- migc:revision r3
	-- migc:down_revision r2
	-- migc:upgrade
	CREATE VIEW user_posts AS SELECT u.email, p.body FROM users u JOIN posts p ON p.user_id = u.id;
	CREATE UNIQUE INDEX posts_body ON posts (user_id, body);
	-- migc:downgrade
	DROP INDEX posts_body;
	DROP VIEW user_posts;
	EOF
	cat >"$v/r4_tags.sql" <<-EOF
	-- migc:revision r4
	-- migc:down_revision r3
	-- migc:upgrade
	CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT UNIQUE);
	DROP INDEX users_email;
	CREATE INDEX users_email_name ON users (email, name);
	-- migc:downgrade
	DROP INDEX users_email_name;
	CREATE INDEX users_email ON users (email);
	DROP TABLE tags;
	EOF
	cat >"$v/r5_after.sql" <<-EOF
	-- migc:revision r5
	-- migc:down_revision r4
	-- migc:upgrade
	ALTER TABLE tags ADD COLUMN color TEXT;
	-- migc:downgrade
	ALTER TABLE tags DROP COLUMN color;
	EOF
}


# SQLite: every object's SQL, then each table's columns, indexes and
# foreign keys as the pragmas give them.
sqlite_schema() {
	python3 - "$1" <<-'EOF'
	import sqlite3, sys
	c = sqlite3.connect(sys.argv[1])
	rows = c.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
	                 "WHERE name NOT LIKE 'migc%' AND name NOT LIKE "
	                 "'sqlite_autoindex_migc%' ORDER BY type, name").fetchall()
	for row in rows:
	    print(row)
	    if row[0] == "table":
	        for pragma in ("table_xinfo", "index_list", "foreign_key_list"):
	            print(pragma, c.execute(f"PRAGMA {pragma}('{row[1]}')").fetchall())
	    if row[0] == "index":
	        print("index_xinfo", c.execute(f"PRAGMA index_xinfo('{row[1]}')").fetchall())
	EOF
}

# url NAME, schema NAME, rows NAME, objects NAME: of database NAME.
url() {
	if [ "$dialect" = sqlite ]; then echo "sqlite:///$work/$1.db"; else echo "postgresql:///$database_prefix$1"; fi
}
schema() {
	if [ "$dialect" = sqlite ]; then sqlite_schema "$1.db"; else pg_dump -s --no-owner "$database_prefix$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict'; fi
}
query() {
	if [ "$dialect" = sqlite ]; then
		python3 -c "import sqlite3, sys; print('\n'.join(' '.join(str(v) for v in r) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))" "$1.db" "$2"
	else
		psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d "$database_prefix$1" -c "$2"
	fi
}
rows() { query "$1" "SELECT version_num FROM migc_version ORDER BY version_num"; }
new_database() {
	if [ "$dialect" = sqlite ]; then rm -f "$1.db"; else
		dropdb --if-exists "$database_prefix$1" 2>/dev/null && createdb "$database_prefix$1"
	fi
}
migrate() {
	local cli=$1 db=$2
	shift 2
	capture "./$cli" --url "$(url "$db")" "$@"
	[ "$status" = 0 ] || fail "$cli $db $*: exited $status: $err"
}

check_dialect() {
	rm -rf versions
	chain versions "$dialect"
	step "squash --to r4 writes a proven baseline"
	capture "$migc" squash --versions versions --to r4 --rev-id b4 \
		--dialect "$dialect" -m "baseline of r4"
	[ "$status" = 0 ] || fail "squash: $err"
	expect_contains "$out" "Generating versions/b4_baseline_of_r4.sql" "squash"
	local file=versions/b4_baseline_of_r4.sql
	expect_contains "$(cat $file)" "-- migc:baseline_of   r4" "header"
	expect_contains "$(cat $file)" "-- migc:upgrade $dialect" "section"
	expect_lacks "$(cat $file)" "down_revision" "header"
	capture "$migc" check --versions versions --dialect "$dialect"
	expect_eq "$out" "5 revisions, 1 head: no problems found" "check (the baseline is no revision)"

	generated_cli chain_build "$dialect"
	generated_cli from_build "$dialect" --from-baseline
	step "a new database: the baseline in one step, then r5"
	new_database fresh
	migrate chain_build fresh upgrade -v head
	expect_eq "$(grep -c 'Running upgrade' <<<"$err")" 2 "steps from base"
	expect_contains "$err" "Revision 1 of 2 done: r4" "N of M"
	expect_contains "$err" "Revision 2 of 2 done: r5" "N of M"
	expect_contains "$err" "Running upgrade  -> r4,  (baseline b4: the schema at r4 in one step)" "the baseline's step"
	expect_contains "$err" "Running upgrade r4 -> r5" "then r5"
	expect_eq "$(rows fresh)" r5 "rows"
	expect_eq "$(query fresh "SELECT version_num FROM migc_version_history ORDER BY version_num" | tr '\n' ' ')" "r4 r5 " "history"

	step "a database inside the chain follows the chain"
	new_database old
	migrate chain_build old upgrade r2
	migrate chain_build old upgrade head
	expect_eq "$(grep -c 'Running upgrade' <<<"$err")" 3 "steps from r2"
	expect_eq "$(rows old)" r5 "rows"
	schema fresh >fresh.schema
	schema old >old.schema
	diff -u old.schema fresh.schema || fail "the baseline's database differs from the chain's"
	[ -s fresh.schema ] || fail "no schema read"

	step "downgrade of a baselined database follows the chain"
	migrate chain_build fresh downgrade r3
	schema fresh >fresh-r3.schema
	migrate chain_build old downgrade r3
	schema old >old-r3.schema
	diff -u old-r3.schema fresh-r3.schema || fail "downgraded states differ"

	step "the from-baseline build: a new database"
	new_database from
	migrate from_build from upgrade head
	expect_eq "$(grep -c 'Running upgrade' <<<"$err")" 2 "steps from base"
	schema from >from.schema
	diff -u old.schema from.schema || fail "the from-baseline database differs from the chain's"
	step "the from-baseline build continues a chain database at r4"
	new_database at4
	migrate chain_build at4 upgrade r4
	migrate from_build at4 upgrade head
	expect_eq "$(rows at4)" r5 "rows"

	step "the from-baseline build refuses a database older than the baseline"
	new_database at2
	migrate chain_build at2 upgrade r2
	schema at2 >at2.schema
	capture "./from_build" --url "$(url at2)" upgrade head
	expect_eq "$status" 1 "exit status"
	expect_contains "$err" "The database is at revision r2, which is not in this build: it starts at the baseline of revision r4" "message"
	expect_eq "$(rows at2)" r2 "rows unchanged"
	schema at2 >at2-after.schema
	diff -u at2.schema at2-after.schema || fail "the refused upgrade changed the schema"

	step "the from-baseline build's downgrade below r4 ends at base"
	migrate from_build from downgrade base
	expect_eq "$(rows from)" "" "rows"
	new_database empty
	migrate from_build empty upgrade base
	schema from >from-base.schema
	schema empty >empty.schema
	diff -u empty.schema from-base.schema || fail "downgrade base left objects"

	step "a baseline edited by hand fails the build's proof"
	sed -i '/CREATE INDEX users_email_name/d' "$file"
	! grep -q 'CREATE INDEX users_email_name' "$file" || fail "the edit did not apply"
	capture "$migc" generate --versions versions --name broken \
		--dialect "$dialect" --output-dir . --verify
	expect_eq "$status" 1 "exit status"
	expect_contains "$err" "the baseline's upgrade does not give the schema of the chain" "message"
	[ ! -e broken.c ] || fail "a set was written"

	step "--from-baseline without a baseline"
	rm "$file"
	capture "$migc" generate --versions versions --name none \
		--dialect "$dialect" --output-dir . --from-baseline
	expect_eq "$status" 1 "exit status"
	expect_contains "$err" "write one with 'migc squash --to REV'" "message"
}

dialect=sqlite
check_dialect

step "check reads the baseline's SQL too"
capture "$migc" squash --versions versions --to r4 --rev-id b4 --dialect sqlite
[ "$status" = 0 ] || fail "squash: $err"
echo "INSERT INTO tags (label) VALUES ('unterminated);" >>versions/b4_baseline_of_r4.sql
capture "$migc" check --versions versions --dialect sqlite
expect_eq "$status" 1 "check of a broken baseline"
expect_contains "$err" "versions/b4_baseline_of_r4.sql:" "names the baseline's file"
rm versions/b4_baseline_of_r4.sql

step "a baseline the graph cannot take is refused at file:line"
bad() { # FILE_TEXT MESSAGE
	printf '%s\n' "$1" >versions/zz_bad.sql
	capture "$migc" check --versions versions --dialect sqlite
	expect_eq "$status" 1 "check with a bad baseline"
	expect_contains "$err" "$2" "message"
	rm versions/zz_bad.sql
}
bad "-- migc:revision zz
-- migc:baseline_of r4
-- migc:down_revision r3
-- migc:upgrade" "versions/zz_bad.sql:3:4: error: a baseline ('-- migc:baseline_of') has no '-- migc:down_revision'"
bad "-- migc:revision zz
-- migc:baseline_of r9
-- migc:upgrade" "versions/zz_bad.sql:2:21: error: the baseline stands for revision r9, which no file defines"
bad "-- migc:revision r3
-- migc:baseline_of r4
-- migc:upgrade" "the baseline's id r3 is also the id of versions/r3_view.sql"
capture "$migc" squash --versions versions --to r4 --rev-id b4 --dialect sqlite
bad "-- migc:revision zz
-- migc:baseline_of r2
-- migc:upgrade" "versions/zz_bad.sql:2:21: error: a second baseline (the first is versions/b4_baseline_of_r4.sql)"
capture "$migc" squash --versions versions --to r5 --rev-id b5 --dialect sqlite
[ "$status" = 0 ] || fail "a second squash: $err"
expect_contains "$out" "Removing versions/b4_baseline_of_r4.sql (the older baseline)" "the older baseline replaced"
[ ! -e versions/b4_baseline_of_r4.sql ] || fail "the older baseline is still there"
rm versions/b5_baseline_of_r5.sql

step "squash's usage errors and a revision on neither side"
capture "$migc" squash --versions versions --dialect sqlite
expect_eq "$status" 2 "no --to"
capture "$migc" squash --versions versions --dialect sqlite --to nosuch
expect_eq "$status" 1 "unknown --to"
expect_contains "$err" "nosuch" "message"
printf -- '-- migc:revision r9\n-- migc:down_revision r1\nCREATE TABLE nine (id INTEGER);\n' >versions/r9_broken.sql
capture "$migc" squash --versions versions --dialect sqlite --to r4
expect_eq "$status" 1 "squash of a set that does not load"
expect_contains "$err" "versions/r9_broken.sql:3:1: error: SQL outside a section" "the file's error"
expect_lacks "$err" "names base" "no word of --to when the set did not load"
rm versions/r9_broken.sql
cat >versions/r6_side.sql <<-EOF
-- migc:revision r6
-- migc:down_revision r2
-- migc:upgrade
CREATE TABLE side (id INTEGER);
-- migc:downgrade
DROP TABLE side;
EOF
capture "$migc" squash --versions versions --dialect sqlite --to r4 --rev-id b4
[ "$status" = 0 ] || fail "squash with a side branch: $err"
capture "$migc" generate --versions versions --name side --dialect sqlite \
	--output-dir . --from-baseline
expect_eq "$status" 1 "a side branch from before the baseline"
expect_contains "$err" "revision r6 neither comes before the baseline's revision r4 nor after it" "message"

if [ -n "${PGHOST:-}" ] || [ "${MIGC_SKIP_POSTGRESQL:-}" != 1 ]; then
	need_postgresql "e2e squash"
	dialect=postgresql
	database_prefix=migc_squash_$$_
	cleanup() {
		for db in fresh old from at4 at2 empty; do
			dropdb --if-exists "$database_prefix$db" >/dev/null 2>&1 || true
		done
	}
	trap cleanup EXIT
	check_dialect
fi
echo "squash: all checks passed"
