#!/usr/bin/env bash
# import.sh MIGC SOURCE_DIR WORK_DIR
# `migc import` as a team adopting migc would run it (issue 17):
#   - each sample project in tests/data/import/<tool> (goose, golang-migrate,
#     dbmate, diesel, sqlx, flyway, refinery: the same three steps in each
#     tool's layout, whose order matters) is imported, built into a command
#     line by a downstream project, applied to a new SQLite file and undone;
#   - a database the tool migrated (its first two steps applied and its own
#     version table written as the tool writes it) is adopted: --adopt names
#     the revision, stamp takes it over, upgrade runs only the third step;
#   - an Alembic project (branches, labels, a merge, depends_on) is migrated
#     partway by Debian's real Alembic, imported (bodies from Alembic's
#     offline SQL), and the database continues under migc in
#     alembic_version to the same schema Alembic gives;
#   - without a runnable Alembic the import takes op.execute() strings,
#     lists every other op.* call by file:line and exits 1.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
migc=$1
src=$(cd "$2" && pwd)
work_dir "$3"
fail_context() { echo " (import: ${tool:-setup})"; }
imports=$work/imports
build=$work/build
data=$src/tests/data/import
tools="goose golang-migrate dbmate diesel sqlx flyway refinery"

for tool in $tools; do
	step "import $tool"
	mkdir -p "$imports/$tool/versions"
	capture "$migc" import "$tool" "$data/$tool" --versions "$imports/$tool/versions"
	expect_contains "$out" "Imported 3 $tool migrations" "import"
	case $tool in
	flyway | refinery)
		# Not every step has an undo: the build's proof would refuse
		# them, and the import says so (the project builds these two
		# with VERIFY OFF).
		expect_eq "$status" 1 "import without downgrades"
		expect_contains "$err" "has no downgrade (the tool kept none)" "listing"
		expect_contains "$err" "the downgrade does not restore the schema" "the proof"
		;;
	*) expect_eq "$status" 0 "import: $err" ;;
	esac
done
tool=goose
capture "$migc" import goose "$data/goose" --versions "$work/goose-again"
expect_contains "$err" "3_seed.go: note: not imported: a Go migration" "the Go file"
tool=flyway
capture "$migc" import flyway "$data/flyway" --versions "$work/flyway-again"
expect_contains "$(cat "$work/flyway-again/R__user_names.sql")" "-- migc:repeatable user_names" "R__ as a repeatable revision"
expect_contains "$err" "repeatable user_names has no downgrade" "R__'s downgrade"
tool=

step "an Alembic project migrated partway by Alembic"
alembic_dir=$work/alembic
mkdir -p "$alembic_dir"
(cd "$alembic_dir" && alembic init proj >/dev/null)
cp "$data"/alembic/*.py "$alembic_dir/proj/versions/"
sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = sqlite:///$work/alembic.db|" "$alembic_dir/alembic.ini"
(cd "$alembic_dir" && alembic upgrade b2 >/dev/null 2>&1) || fail "alembic upgrade b2"
(cd "$alembic_dir" && sed "s|$work/alembic.db|$work/alembic-full.db|" alembic.ini >full.ini &&
	alembic -c full.ini upgrade heads >/dev/null 2>&1) || fail "alembic upgrade heads"
tool=alembic
mkdir -p "$imports/alembic/versions"
capture "$migc" import alembic "$alembic_dir/proj" --versions "$imports/alembic/versions"
expect_eq "$status" 0 "import: $err"
expect_contains "$out" "Imported 5 alembic migrations" "import"
expect_contains "$(cat "$imports"/alembic/versions/m4_*.sql)" "-- migc:down_revision b2, c3" "the merge"
expect_contains "$(cat "$imports"/alembic/versions/d5_*.sql)" "-- migc:depends_on    c3" "depends_on"
expect_contains "$(cat "$imports"/alembic/versions/b2_*.sql)" "-- migc:branch_labels accounts" "label"
expect_contains "$(cat "$imports"/alembic/versions/b2_*.sql)" "-- migc:create_date   2026-01-03 10:00:00" "date"
expect_contains "$(cat "$imports"/alembic/versions/c3_*.sql)" "VALUES (1, 'created; by alembic')" "op.execute"
expect_lacks "$(cat "$imports"/alembic/versions/*.sql)" "alembic_version" "Alembic's own statements"

step "without a runnable Alembic: op.execute() strings, the rest listed"
capture env PATH=/nonexistent "$migc" import alembic "$alembic_dir/proj" --versions "$work/fallback"
expect_eq "$status" 1 "fallback exit status"
expect_contains "$err" "a1_create_users.py:18:5: error: not converted: op.create_table()" "listing"
expect_contains "$err" "steps could not be converted" "summary"
expect_contains "$(cat "$work"/fallback/c3_*.sql)" "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);" "kept op.execute"
expect_contains "$(cat "$work"/fallback/a1_*.sql)" "-- migc import: not converted" "marked in the file"
tool=

step "a downstream project builds every imported set"
cmake -S "$src/tests/e2e/import_project" -B "$build" -DMIGC_SOURCE_DIR="$src" \
	-DIMPORT_DIR="$imports" >"$work/configure.log" 2>&1 ||
	{ cat "$work/configure.log"; fail "configure"; }
cmake --build "$build" -j2 >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "build"; }

# The app's objects and columns: what each tool's own order gives.
schema() {
	sqlite3 "$1" "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'
	  AND name NOT LIKE 'migc_%' AND name NOT LIKE '%version%' AND name NOT LIKE '%migrations%'
	  AND name NOT LIKE '%history%' ORDER BY name" | tr '\n' ',' | sed 's/,$//'
}
columns() { sqlite3 "$1" "SELECT group_concat(name) FROM pragma_table_info('$2')"; }
expected="table users,index users_name"
# Flyway's R__user_names.sql is a repeatable revision, applied after them.
expected_of() { [ "$tool" = flyway ] && echo "view user_names,$expected" || echo "$expected"; }

# The tool's version table after its first two steps, as the tool writes it.
adopt_table() {
	case $tool in
	goose) echo "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT,
		version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP);
		INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (2, 1);" ;;
	golang-migrate) echo "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY,
		dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (2, 0);" ;;
	dbmate) echo "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
		INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240102000000');" ;;
	diesel) echo "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY,
		run_on TIMESTAMP); INSERT INTO __diesel_schema_migrations (version)
		VALUES ('20240101000000'), ('20240102000000');" ;;
	sqlx) echo "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT,
		installed_on TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB, execution_time BIGINT);
		INSERT INTO _sqlx_migrations (version, success) VALUES (20240101000000, 1), (20240102000000, 1);" ;;
	flyway) echo "CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50),
		description VARCHAR(200), type VARCHAR(20), script VARCHAR(1000), checksum INT,
		installed_by VARCHAR(100), installed_on TIMESTAMP, execution_time INT, success BOOLEAN);
		INSERT INTO flyway_schema_history (installed_rank, version, type, success)
		VALUES (1, '1', 'SQL', 1), (2, '1.1', 'SQL', 1);" ;;
	refinery) echo "CREATE TABLE refinery_schema_history (version INT4 PRIMARY KEY, name VARCHAR(255),
		applied_on VARCHAR(255), checksum VARCHAR(255));
		INSERT INTO refinery_schema_history (version) VALUES (1), (2);" ;;
	esac
}
second_id() {
	case $tool in
	goose | golang-migrate | refinery) echo 2 ;;
	flyway) echo 1_1 ;;
	*) echo 20240102000000 ;;
	esac
}

for tool in $tools; do
	cli=$build/$tool-migrate
	db=$work/$tool.db
	step "$tool: a new database, up and down"
	capture "$cli" --url "sqlite:///$db" upgrade head
	expect_eq "$status" 0 "upgrade head: $err"
	expect_eq "$(schema "$db")" "$(expected_of)" "schema"
	expect_eq "$(columns "$db" users)" "id,email,name" "columns"
	if [ "$tool" != refinery ] && [ "$tool" != flyway ]; then
		capture "$cli" --url "sqlite:///$db" downgrade base
		expect_eq "$status" 0 "downgrade base: $err"
		expect_eq "$(schema "$db")" "" "schema after downgrade base"
	fi

	step "$tool: a database the tool migrated, adopted"
	db=$work/$tool-adopted.db
	sqlite3 "$db" "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
		ALTER TABLE users ADD COLUMN name TEXT; $(adopt_table)"
	capture "$migc" import "$tool" "$data/$tool" --adopt "sqlite:///$db"
	expect_eq "$status:$out" "0:$(second_id)" "adopt: $err"
	capture "$cli" --url "sqlite:///$db" stamp "$out"
	expect_eq "$status" 0 "stamp: $err"
	capture "$cli" --url "sqlite:///$db" upgrade head
	expect_eq "$status" 0 "upgrade after adopting: $err"
	expect_eq "$(schema "$db")" "$(expected_of)" "schema after adopting"
done

tool=golang-migrate
step "a dirty golang-migrate database is refused"
db=$work/dirty.db
sqlite3 "$db" "CREATE TABLE schema_migrations (version bigint, dirty boolean); INSERT INTO schema_migrations VALUES (2, 1);"
capture "$migc" import golang-migrate "$data/golang-migrate" --adopt "sqlite:///$db"
expect_eq "$status" 1 "dirty"
expect_contains "$err" "left the database dirty at this version" "dirty"
tool=goose
step "goose versions applied out of order are refused"
db=$work/gap.db
sqlite3 "$db" "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER, is_applied INTEGER, tstamp TIMESTAMP);
	INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1), (1, 1), (10, 1);"
capture "$migc" import goose "$data/goose" --adopt "sqlite:///$db"
expect_eq "$status" 1 "gap"
expect_contains "$err" "version 10 is applied but the earlier 2 is not" "gap"

tool=alembic
step "the Alembic database continues under migc in alembic_version"
cli=$build/alembic-migrate
capture "$cli" --url "sqlite:///$work/alembic.db" current
expect_contains "$out" "b2" "current reads Alembic's row"
capture "$cli" --url "sqlite:///$work/alembic.db" upgrade heads
expect_eq "$status" 0 "upgrade heads: $err"
expect_eq "$(schema "$work/alembic.db")" "$(schema "$work/alembic-full.db")" "schema against Alembic's"
expect_eq "$(sqlite3 "$work/alembic.db" "SELECT version_num FROM alembic_version")" \
	"$(sqlite3 "$work/alembic-full.db" "SELECT version_num FROM alembic_version")" "version rows"
expect_eq "$(sqlite3 "$work/alembic.db" "SELECT what FROM audit")" "created; by alembic" "audit row"
capture "$migc" import alembic "$alembic_dir/proj" --adopt "sqlite:///$work/alembic-full.db"
expect_eq "$out" "d5" "--adopt for Alembic names its heads"

# ---- the same on PostgreSQL ----
tool=
need_postgresql "e2e import"
step "PostgreSQL: import for the dialect, build"
pg_imports=$work/imports-pg
for tool in $tools; do
	mkdir -p "$pg_imports/$tool/versions"
	capture "$migc" import "$tool" "$data/$tool" --dialect postgresql \
		--versions "$pg_imports/$tool/versions"
	expect_contains "$out" "Imported 3 $tool migrations" "import for postgresql: $err"
done
tool=alembic
database=migc_import_$$
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE ${database}_alembic" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE ${database}_alembic_full" >/dev/null
trap 'for d in $(psql -X -A -t -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '"'"'${database}%'"'"'"); do
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done' EXIT
pg_url() { echo "postgresql:///$1?host=$PGHOST${PGPORT:+&port=$PGPORT}"; }
# The same with sed's '&' escaped, for sed's replacement text.
sed_url() { url=$(pg_url "$1"); echo "${url//&/\\&}"; }
(cd "$alembic_dir" && sed "s|^sqlalchemy.url = .*|sqlalchemy.url = $(sed_url "${database}_alembic")|" alembic.ini >pg.ini &&
	alembic -c pg.ini upgrade b2 >/dev/null 2>&1) || fail "alembic upgrade b2 on PostgreSQL"
(cd "$alembic_dir" && sed "s|^sqlalchemy.url = .*|sqlalchemy.url = $(sed_url "${database}_alembic_full")|" alembic.ini >pg-full.ini &&
	alembic -c pg-full.ini upgrade heads >/dev/null 2>&1) || fail "alembic upgrade heads on PostgreSQL"
mkdir -p "$pg_imports/alembic/versions"
capture "$migc" import alembic "$alembic_dir/proj" --dialect postgresql --versions "$pg_imports/alembic/versions"
expect_eq "$status" 0 "import alembic for postgresql: $err"
expect_contains "$(cat "$pg_imports"/alembic/versions/a1_*.sql)" "id SERIAL NOT NULL" "Alembic's PostgreSQL DDL"
cmake -S "$src/tests/e2e/import_project" -B "$build-pg" -DMIGC_SOURCE_DIR="$src" \
	-DIMPORT_DIR="$pg_imports" -DIMPORT_DIALECT=postgresql >"$work/configure-pg.log" 2>&1 ||
	{ cat "$work/configure-pg.log"; fail "configure for postgresql"; }
cmake --build "$build-pg" -j2 >"$work/build-pg.log" 2>&1 || { tail -30 "$work/build-pg.log"; fail "build for postgresql"; }

pg() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
pg_schema() {
	pg "$1" "SELECT string_agg(c.relkind::text || ':' || c.relname, ' ' ORDER BY c.relname)
	  FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')
	  AND c.relname NOT LIKE 'migc%' AND c.relname NOT LIKE '%version%'
	  AND c.relname NOT LIKE '%migrations%' AND c.relname NOT LIKE '%history%'"
}
pg_expected="r:users i:users_name i:users_pkey"
for tool in $tools; do
	cli=$build-pg/$tool-migrate
	db=${database}_${tool//-/_}
	step "PostgreSQL $tool: a new database, up and down"
	pg postgres "CREATE DATABASE $db" >/dev/null
	capture env PGDATABASE="$db" "$cli" --url postgresql:// upgrade head
	expect_eq "$status" 0 "upgrade head: $err"
	expect_eq "$(pg_schema "$db")" "$pg_expected" "catalog"
	if [ "$tool" != refinery ] && [ "$tool" != flyway ]; then
		capture env PGDATABASE="$db" "$cli" --url postgresql:// downgrade base
		expect_eq "$status" 0 "downgrade base: $err"
		expect_eq "$(pg_schema "$db")" "" "catalog after downgrade base"
	fi
done
tool=goose
step "PostgreSQL: a database goose migrated, adopted"
db=${database}_adopted
pg postgres "CREATE DATABASE $db" >/dev/null
pg "$db" "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
	ALTER TABLE users ADD COLUMN name TEXT;
	CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL,
	  is_applied boolean NOT NULL, tstamp timestamp DEFAULT now());
	INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (2, true), (10, true), (10, false);" >/dev/null
capture "$migc" import goose "$data/goose" --adopt "$(pg_url "$db")"
expect_eq "$status:$out" "0:2" "adopt (10 applied, then rolled back): $err"
capture env PGDATABASE="$db" "$build-pg/goose-migrate" --url postgresql:// stamp 2
expect_eq "$status" 0 "stamp: $err"
capture env PGDATABASE="$db" "$build-pg/goose-migrate" --url postgresql:// upgrade head
expect_eq "$status" 0 "upgrade after adopting: $err"
expect_eq "$(pg_schema "$db")" "$pg_expected" "catalog after adopting"

tool=alembic
step "PostgreSQL: the database Alembic migrated continues under migc"
capture env PGDATABASE="${database}_alembic" "$build-pg/alembic-migrate" --url postgresql:// upgrade heads
expect_eq "$status" 0 "upgrade heads: $err"
expect_eq "$(pg_schema "${database}_alembic")" "$(pg_schema "${database}_alembic_full")" "catalog against Alembic's"
expect_eq "$(pg "${database}_alembic" "SELECT version_num FROM alembic_version")" "d5" "version row"
expect_eq "$(pg "${database}_alembic" "SELECT what FROM audit")" "created; by alembic" "audit row"
echo "PASS import"
