#!/usr/bin/env bash
# postgresql.sh CLI OLDER_CLI
# The user's path against a real PostgreSQL server: the command line built
# by migc_add_migrations(pg_example ... DIALECT postgresql) from
# tests/data/pg/versions, with `--url postgresql://` (libpq's PGHOST etc.
# from the environment), through upgrade head, downgrade base and upgrade
# head on a fresh database, the catalog checked with psql each time.
# OLDER_CLI is the same set without its head d4d4d4d4d4d4 ("transaction
# none", CREATE/DROP INDEX CONCURRENTLY): a build older than the database.
set -euo pipefail

cli=$1
older=$2
head=d4d4d4d4d4d4

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
need_postgresql "e2e postgresql"

database=migc_e2e_$$
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $database" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
export PGDATABASE=$database

sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
migrate() { "$cli" --url postgresql:// "$@"; }
catalog() {
	sql "SELECT string_agg(c.relkind::text || ':' || c.relname, ' ' ORDER BY c.relname)
	     FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
	     AND c.relkind IN ('r', 'i', 'v') AND c.relname NOT LIKE 'migc%'"
	sql "SELECT string_agg(proname, ' ' ORDER BY proname) FROM pg_proc
	     WHERE pronamespace = 'public'::regnamespace"
	sql "SELECT string_agg(tgname, ' ' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal"
}
head_catalog="r:accounts i:accounts_pkey r:audit_log i:audit_log_pkey r:events i:events_account_idx i:events_pkey
account_count touch_updated_at
accounts_touch"

expect_head() {
	expect_eq "$(catalog)" "$head_catalog" "catalog at head ($1)"
	expect_eq "$(sql "SELECT version_num FROM migc_version")" "$head" "version row ($1)"
	expect_eq "$(sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_account_idx'::regclass")" "t" "concurrent index valid ($1)"
	expect_eq "$(sql "SELECT name || '|' || note FROM accounts ORDER BY id")" \
		"first; second|it's; \\ fine
other|dollar; 'quoted'" "strings with semicolons ($1)"
	expect_eq "$(sql "SELECT message FROM audit_log ORDER BY id")" \
		"seen; first; second
seen; other" "DO block ($1)"
	expect_eq "$(sql "SELECT account_count('first')")" "1" "\$body\$ function ($1)"
	sql "UPDATE accounts SET name = name" >/dev/null
	expect_eq "$(sql "SELECT count(*) FROM accounts WHERE updated_at IS NULL")" "0" "\$\$ trigger function ($1)"
	expect_eq "$(migrate current 2>/dev/null)" "$head (head)" "current ($1)"
}

echo "--- upgrade head"
migrate upgrade head 2>"$PWD/err.$$" || { cat "$PWD/err.$$" >&2; fail "upgrade head"; }
expect_contains "$(cat "$PWD/err.$$")" "Running upgrade c3c3c3c3c3c3 -> d4d4d4d4d4d4, index events by account" "upgrade log"
rm -f "$PWD/err.$$"
expect_head "first upgrade"

echo "--- downgrade base"
migrate downgrade base 2>/dev/null || fail "downgrade base"
expect_eq "$(catalog | tr -d '\n')" "" "catalog at base"
expect_eq "$(sql "SELECT count(*) FROM migc_version")" "0" "no version row at base"
expect_eq "$(migrate current 2>/dev/null)" "" "current at base"

echo "--- upgrade head again"
migrate upgrade head 2>/dev/null || fail "upgrade head again"
expect_head "second upgrade"

echo "--- the version table can live in a schema"
sql "CREATE SCHEMA meta" >/dev/null
migrate --version-table meta.versions stamp head 2>/dev/null || fail "stamp into meta.versions"
expect_eq "$(sql "SELECT version_num FROM meta.versions")" "$head" "schema-qualified version table"

echo "--- an older build steps back from a \"transaction none\" revision it lacks"
# Its stored downgrade, DROP INDEX CONCURRENTLY, must run outside a
# transaction as the newer build would run it.
"$older" --url postgresql:// downgrade c3c3c3c3c3c3 2>"$PWD/err.$$" ||
	{ cat "$PWD/err.$$" >&2; fail "older build: downgrade to its head"; }
rm -f "$PWD/err.$$"
expect_eq "$(sql "SELECT count(*) FROM pg_class WHERE relname = 'events_account_idx'")" "0" "index dropped by the older build"
expect_eq "$(sql "SELECT version_num FROM migc_version")" "c3c3c3c3c3c3" "older build's head"
expect_eq "$(sql "SELECT count(*) FROM migc_version_history WHERE version_num = 'd4d4d4d4d4d4'")" "0" "history row of the stepped-back revision"
migrate upgrade head 2>/dev/null || fail "upgrade head after the older build"
expect_head "after the older build"

echo "--- a database error shows its SQLSTATE as text, never a packed number"
migrate downgrade c3c3c3c3c3c3 2>/dev/null || fail "downgrade to c3"
sql "CREATE INDEX events_account_idx ON events (account_id)" >/dev/null
if migrate upgrade head 2>"$PWD/err.$$"; then fail "upgrade over an existing index succeeded"; fi
err=$(cat "$PWD/err.$$")
rm -f "$PWD/err.$$"
expect_contains "$err" "(SQLSTATE 42P07)" "SQLSTATE in the message"
[[ "$err" != *"error code"* ]] || fail "packed driver code printed: [$err]"
sql "DROP INDEX events_account_idx" >/dev/null

echo "e2e postgresql: all checks passed"
