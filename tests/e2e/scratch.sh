#!/usr/bin/env bash
# scratch.sh MIGC WORK_DIR
# verify, check and revision --autogenerate never run revisions or the
# declared schema in the database the URL names (issue 9, item 1): on a
# database `prod` whose public.accounts holds 1000 rows, revisions that
# CREATE TABLE IF NOT EXISTS public.accounts and DROP TABLE public.accounts
# run through the real `migc`, and afterwards the rows are all there, no
# scratch database is left on the server and no migc_* schema in prod.
# Also: a role without CREATEDB is refused by name, a password in the URL
# never shows (Alembic's ***), SIGTERM during verify leaves nothing behind,
# schema-qualified names other than public. and statements on the whole
# server (roles) are refused at file:line, and for SQLite a revision cannot
# ATTACH the application's database file.
set -euo pipefail
migc=$1
work=$2

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
revision() { # FILE ID PARENT UPGRADE DOWNGRADE
	mkdir -p "$(dirname "$1")"
	printf -- '-- migc:revision %s\n-- migc:down_revision %s\n-- migc:upgrade\n%s\n-- migc:downgrade\n%s\n' \
		"$2" "$3" "$4" "$5" >"$1"
}
run() { # OUT_FILE ERR_FILE COMMAND...: the exit status
	local out=$1 err=$2
	shift 2
	"$@" >"$out" 2>"$err" &
	local pid=$! status=0
	echo "$pid" >>"$pidfile"
	wait $pid || status=$?
	echo $status
}

work_dir "$work"
cd "$work"
pidfile=$PWD/pids

echo "--- SQLite: verify, check and autogenerate open no database file"
sqlite3 app.db "CREATE TABLE accounts (id integer PRIMARY KEY, name text);
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
	INSERT INTO accounts SELECT i, 'account ' || i FROM n;"
revision sqlite/versions/aaaaaaaaaaaa_attach.sql aaaaaaaaaaaa none \
	"ATTACH DATABASE 'app.db' AS app;
CREATE TABLE IF NOT EXISTS app.accounts (id integer PRIMARY KEY, name text);" \
	"DROP TABLE app.accounts;"
printf '[migc]\nversions = versions\nschema = schema.sql\n' >sqlite/migc.ini
echo "ATTACH DATABASE 'app.db' AS app;" >sqlite/schema.sql
status=$(run out err "$migc" verify --dialect sqlite --versions sqlite/versions)
expect_eq "$status" 1 "SQLite verify with ATTACH"
expect_contains "$(cat err)" "aaaaaaaaaaaa_attach.sql:4:1: error: revision aaaaaaaaaaaa: the upgrade fails in SQLite: not authorized" "ATTACH refused"
expect_contains "$(cat err)" "never open a database file" "ATTACH explained"
status=$(run out err "$migc" check --config sqlite/migc.ini)
expect_eq "$status" 1 "SQLite check with ATTACH"
status=$(run out err "$migc" revision --autogenerate -m x --config sqlite/migc.ini)
expect_eq "$status" 1 "SQLite autogenerate with ATTACH"
expect_contains "$(cat err)" "never open a database file" "ATTACH explained"
expect_eq "$(sqlite3 app.db "SELECT count(*) FROM accounts")" 1000 "app.db rows"

need_postgresql "e2e scratch"

admin() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d postgres -c "$1"; }
prod() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d prod -c "$1"; }
password=sekrit-Pw-4711
cleanup() {
	admin "DROP DATABASE IF EXISTS prod" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS migc_nocreatedb" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS migc_secret" >/dev/null 2>&1 || true
	admin "DROP ROLE IF EXISTS migc_live" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
admin "CREATE DATABASE prod" >/dev/null
prod "CREATE TABLE public.accounts (id integer PRIMARY KEY, name text);
      INSERT INTO public.accounts SELECT i, 'account ' || i FROM generate_series(1, 1000) i" >/dev/null
admin "CREATE ROLE migc_nocreatedb LOGIN" >/dev/null
admin "CREATE ROLE migc_secret LOGIN CREATEDB PASSWORD '$password'" >/dev/null

# The pids of the migc runs (file pids): their scratch databases are named
# after them (other tests may have their own on the server meanwhile).
# The state nothing may change: prod's rows, and no scratch anywhere.
expect_untouched() {
	local pattern="" pid
	pids=$(cat "$pidfile" 2>/dev/null || true)
	for pid in $pids; do
		pattern="$pattern OR datname LIKE 'migc\\_scratch\\_${pid}\\_%'"
	done
	expect_eq "$(prod "SELECT count(*) FROM public.accounts")" 1000 "accounts rows ($1)"
	expect_eq "$(admin "SELECT string_agg(datname, ' ') FROM pg_database WHERE false $pattern")" "" "scratch databases ($1)"
	expect_eq "$(prod "SELECT string_agg(nspname, ' ') FROM pg_namespace WHERE nspname LIKE 'migc%' OR nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\_%'")" "" "schemas in prod ($1)"
	expect_eq "$(prod "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace")" "accounts accounts_pkey" "relations in prod ($1)"
}

revision versions/aaaaaaaaaaaa_accounts.sql aaaaaaaaaaaa none \
	"CREATE TABLE IF NOT EXISTS public.accounts (id integer PRIMARY KEY, name text);" \
	"DROP TABLE public.accounts;"

echo "--- verify runs the revisions in a scratch database, not in prod"
status=$(run out err "$migc" verify --dialect postgresql --url postgresql:///prod --versions versions)
expect_eq "$status" 0 "verify status ($(cat err))"
expect_eq "$(cat out)" "1 revision: every downgrade restores the schema before its upgrade" "verify output"
expect_untouched "verify"

echo "--- check with public.-qualified names on either side"
cat >migc.ini <<EOF
[migc]
versions = versions
dialect = postgresql
schema = schema.sql
url = postgresql:///prod
EOF
echo "CREATE TABLE public.accounts (id integer PRIMARY KEY, name text);" >schema.sql
status=$(run out err "$migc" check)
expect_eq "$status" 0 "check status ($(cat out) $(cat err))"
expect_contains "$(cat out)" "no problems found" "check output"
expect_untouched "check, qualified"
echo "CREATE TABLE accounts (id integer PRIMARY KEY, name text);" >schema.sql
status=$(run out err "$migc" check)
expect_eq "$status" 0 "check, schema.sql unqualified ($(cat out) $(cat err))"
expect_untouched "check, unqualified"

echo "--- revision --autogenerate writes the one change, not a drop of every table"
echo "CREATE TABLE public.accounts (id integer PRIMARY KEY, name text, email text);" >schema.sql
status=$(run out err "$migc" revision --autogenerate -m "add email" --rev-id bbbbbbbbbbbb)
expect_eq "$status" 0 "autogenerate status ($(cat err))"
generated=$(cat versions/bbbbbbbbbbbb_add_email.sql)
expect_contains "$generated" "ALTER TABLE accounts ADD COLUMN email text;" "autogenerated upgrade"
expect_lacks "$generated" "DROP TABLE" "autogenerated revision"
expect_untouched "autogenerate"
status=$(run out err "$migc" check)
expect_eq "$status" 0 "check after autogenerate ($(cat out) $(cat err))"
status=$(run out err "$migc" verify)
expect_eq "$status" 0 "verify after autogenerate ($(cat err))"
expect_untouched "verify of two revisions"

echo "--- public. inside string literals stays"
mkdir -p literals/versions
printf '[migc]\ndialect = postgresql\nschema = schema.sql\nurl = postgresql:///prod\n' >literals/migc.ini
cat >literals/schema.sql <<'EOF'
CREATE TABLE notes (x text DEFAULT 'see public.docs' CHECK (x <> E'public.y\' public.q'));
CREATE INDEX notes_x ON public.notes (x) WHERE x <> 'public.z';
CREATE TABLE public.links (id serial PRIMARY KEY, t text UNIQUE REFERENCES public.links (t));
EOF
status=$(cd literals && run out err "$migc" revision --autogenerate -m literals --rev-id ffffffffffff)
expect_eq "$status" 0 "autogenerate with literals ($(cat literals/err))"
generated=$(cat literals/versions/ffffffffffff_literals.sql)
expect_contains "$generated" "x text DEFAULT 'see public.docs'::text," "default literal"
expect_contains "$generated" "CHECK ((x <> 'public.y'' public.q'::text))" "check literal"
expect_contains "$generated" "CREATE INDEX notes_x ON notes USING btree (x) WHERE (x <> 'public.z'::text);" "index literal"
expect_contains "$generated" "REFERENCES links(t)" "qualified reference"
status=$(cd literals && run out err "$migc" check)
expect_eq "$status" 0 "check with literals ($(cat literals/out literals/err))"
expect_untouched "literals"

echo "--- other schemas are refused at file:line, and nothing is left"
revision other/cccccccccccc_audit.sql cccccccccccc none \
	"CREATE SCHEMA audit;
CREATE TABLE audit.log (id integer);" \
	"DROP SCHEMA audit CASCADE;"
status=$(run out err "$migc" verify --versions other)
expect_eq "$status" 1 "verify with schema audit"
expect_contains "$(cat err)" "other/cccccccccccc_audit.sql:4:1: error: revision cccccccccccc: the upgrade creates schema audit" "schema audit refused"
expect_untouched "schema audit"
printf 'CREATE TABLE accounts (id integer PRIMARY KEY, name text);\n\nCREATE SCHEMA billing;\n' >schema.sql
rm versions/bbbbbbbbbbbb_add_email.sql
status=$(run out err "$migc" check)
expect_eq "$status" 1 "check with schema billing"
expect_contains "$(cat err)" "schema.sql:3:1: error: the declared schema creates schema billing" "schema billing refused"
expect_untouched "schema billing"
echo "CREATE TABLE public.accounts (id integer PRIMARY KEY, name text);" >schema.sql

echo "--- statements on the whole server (roles...) are refused at file:line"
admin "CREATE ROLE migc_live LOGIN" >/dev/null
revision roles/eeeeeeeeeeee_roles.sql eeeeeeeeeeee none "SELECT 1;" \
	"DROP ROLE IF EXISTS migc_live;"
status=$(run out err "$migc" verify --versions roles)
expect_eq "$status" 1 "verify with DROP ROLE"
expect_contains "$(cat err)" "roles/eeeeeeeeeeee_roles.sql:6:1: error: revision eeeeeeeeeeee: the downgrade runs DROP ROLE, which changes the whole server" "DROP ROLE refused"
printf 'CREATE TABLE accounts (id integer PRIMARY KEY, name text);\nGRANT migc_live TO CURRENT_USER;\n' >schema.sql
status=$(run out err "$migc" check)
expect_eq "$status" 1 "check with GRANT of a role"
expect_contains "$(cat err)" "schema.sql:2:1: error: the declared schema runs GRANT or REVOKE of a role" "role membership refused"
expect_eq "$(admin "SELECT count(*) FROM pg_roles WHERE rolname = 'migc_live'")" 1 "the live role"
expect_eq "$(admin "SELECT count(*) FROM pg_auth_members WHERE roleid = 'migc_live'::regrole")" 0 "no membership"
admin "DROP ROLE migc_live" >/dev/null
echo "CREATE TABLE public.accounts (id integer PRIMARY KEY, name text);" >schema.sql
expect_untouched "roles"

echo "--- a role without CREATEDB is refused, and prod is left alone"
status=$(run out err "$migc" verify --url postgresql://migc_nocreatedb@/prod)
expect_eq "$status" 1 "verify without CREATEDB"
expect_contains "$(cat err)" 'role "migc_nocreatedb" lacks the CREATEDB privilege' "refusal names the privilege"
expect_contains "$(cat err)" "ALTER ROLE migc_nocreatedb CREATEDB" "refusal says what to do"
status=$(run out err "$migc" check --config migc.ini --url postgresql://migc_nocreatedb@/prod)
expect_eq "$status" 1 "check without CREATEDB"
expect_contains "$(cat err)" "CREATEDB" "check refusal"
expect_untouched "no CREATEDB"

echo "--- a password in the URL never shows"
url="postgresql://migc_secret:$password@/prod"
status=$(run out err "$migc" verify --url "$url")
expect_eq "$status" 0 "verify with a password ($(cat err))"
expect_lacks "$(cat out err)" "$password" "verify output"
for bad in "postgresql://migc_secret:$password@/migc_no_such_database" \
	"postgresql://migc_secret:$password@/prod?sslmode=bogus" \
	"postgresql://migc_secret:$password%zz@/prod" \
	"host=$PGHOST password=$password dbname=migc_no_such_database"; do
	status=$(run out err "$migc" verify --url "$bad")
	expect_eq "$status" 1 "verify, unreachable"
	expect_lacks "$(cat out err)" "$password" "connection error for $bad"
	expect_contains "$(cat err)" "***" "the password is masked"
	status=$(run out err "$migc" revision --autogenerate -m x --url "$bad")
	expect_eq "$status" 1 "autogenerate, unreachable"
	expect_lacks "$(cat out err)" "$password" "autogenerate's connection error for $bad"
done
status=$(run out err "$migc" verify --url "postgresql://migc_secret:$password@/migc_no_such_database")
expect_contains "$(cat err)" "postgresql://migc_secret:***@/migc_no_such_database" "masked as Alembic does"
expect_untouched "passwords"

echo "--- SIGTERM during verify drops the scratch database"
revision slow/dddddddddddd_slow.sql dddddddddddd none \
	"CREATE TABLE IF NOT EXISTS public.accounts (id integer PRIMARY KEY, name text);
SELECT pg_sleep(5);" \
	"DROP TABLE public.accounts;"
set -m # job control: a background job does not ignore SIGINT
for signal in TERM INT; do
	started=$(date +%s)
	"$migc" verify --versions slow >out 2>err &
	pid=$!
	echo "$pid" >>"$pidfile"
	for _ in $(seq 100); do
		[ "$(admin "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg\_sleep%' AND pid <> pg_backend_pid()")" = 1 ] && break
		sleep 0.1
	done
	kill -s $signal $pid
	status=0
	wait $pid || status=$?
	expect_eq "$status" 1 "verify after SIG$signal ($(cat err))"
	expect_contains "$(cat err)" "interrupted by SIG$signal" "the interruption is reported"
	[ $(($(date +%s) - started)) -lt 5 ] || fail "SIG$signal did not cancel the running statement"
	expect_untouched "SIG$signal"
done
set +m

echo "e2e scratch: all checks passed"
