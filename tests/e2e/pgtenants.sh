#!/usr/bin/env bash
# pgtenants.sh CLI WORK_DIR
# Through the compiled command line (tests/data/fleet), issue 16:
# schema per tenant, one set to 50 schemas of one database with
# ?migc_schema=, one of them failing while the others are applied; and a
# revision waiting for a lock production holds: lock_timeout, rollback,
# retries with backoff, each said, then success, or the error when the
# retries run out.
set -euo pipefail

cli=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
head=0f1e00000008

# shellcheck source=lib.sh
. "$here/lib.sh"
need_postgresql "pgtenants"
work_dir "$work"
cd "$work"
database=migc_tenants_$$
cleanup() {
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
}
trap cleanup EXIT
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$database" -c "$1"; }
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database" >/dev/null

step "50 schemas, tenant_17 failing"
for i in $(seq -w 0 49); do
	sql "CREATE SCHEMA tenant_$i" >/dev/null
done
sql "CREATE TABLE tenant_17.customers (id integer)" >/dev/null
failed=""
for i in $(seq -w 0 49); do
	capture "$cli" --url "postgresql:///$database?migc_schema=tenant_$i" upgrade head
	if [ "$status" -ne 0 ]; then
		failed="$failed tenant_$i"
		expect_contains "$err" "already exists" "tenant_$i's error"
	fi
done
expect_eq "$failed" " tenant_17" "the one that failed"
expect_eq "$(sql "SELECT count(*) FROM pg_tables WHERE tablename = 'migc_version' AND schemaname LIKE 'tenant_%'")" "50" "a version table per schema"
for i in $(seq -w 0 49); do
	want=$head
	[ "$i" != 17 ] || want=0f1e00000001
	expect_eq "$(sql "SELECT version_num FROM tenant_$i.migc_version")" "$want" "tenant_$i"
done
expect_eq "$(sql "SELECT count(*) FROM tenant_03.orders")" "4" "tenant_03's rows"
expect_eq "$(sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 'tenant_03.orders_customer'::regclass")" "t" "tenant_03's concurrent index"
expect_eq "$(sql "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" "0" "nothing in public"

# upgrade_while_locked TABLE SECONDS OPTIONS: `upgrade head` with the URL's
# OPTIONS while production holds TABLE (in public) for SECONDS; captured
# (status, err) once the holder is done.
upgrade_while_locked() {
	local holder
	psql -X -q -d "$database" -c "BEGIN; LOCK TABLE $1 IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($2); COMMIT" >/dev/null &
	holder=$!
	for _ in $(seq 1 100); do
		[ "$(sql "SELECT count(*) FROM pg_locks WHERE relation = 'public.$1'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && break
		sleep 0.02
	done
	capture "$cli" --url "postgresql:///$database?$3" upgrade head
	wait "$holder"
}

step "a lock held by production: lock_timeout, retries, success"
capture "$cli" --url "postgresql:///$database" upgrade 0f1e00000003
expect_eq "$status" 0 "to 0f1e00000003: $err"
# Production holds customers for 1.5 s; 0f1e00000004 alters it.
upgrade_while_locked customers 1.5 "migc_lock_timeout=300ms&migc_retry_pause=200ms&migc_retries=5"
expect_eq "$status" 0 "upgrade waits out production: $err"
expect_contains "$err" "WARNING [migc] lock_timeout (300 ms) hit: the transaction was rolled back; running it again in 200 ms (retry 1 of 5)" "says so"
expect_eq "$(sql "SELECT version_num FROM migc_version")" "$head" "at head"
expect_eq "$(sql "SELECT count(*) FROM fleet_log WHERE revision = '0f1e00000004'")" "1" "0f1e00000004 applied once"

step "the retries run out: the error says so, nothing of the revision stays"
capture "$cli" --url "postgresql:///$database" downgrade 0f1e00000007
expect_eq "$status" 0 "one back: $err"
upgrade_while_locked orders 3 "migc_lock_timeout=200ms&migc_retry_pause=100ms&migc_retries=1"
expect_eq "$status" 1 "upgrade gives up"
expect_contains "$err" "gave up after 2 attempts on lock_timeout" "says so"
expect_contains "$err" "rolled back" "rolled back"
expect_eq "$(sql "SELECT version_num FROM migc_version")" "0f1e00000007" "stays at the last good revision"
echo "pgtenants: all checks passed"
