#!/usr/bin/env bash
# pgreplica.sh CLI WORK_DIR
# Replicas (issue 16) through the compiled command line (tests/data/fleet):
# a hot standby this script starts with pg_basebackup from the server
# libpq's PGHOST names (scripts/pg-server.sh standby), and a read-only role.
# At head `upgrade head` succeeds without writing; with work pending it
# fails, saying the server or role is read-only and to use the primary, and
# changes nothing.
set -euo pipefail

cli=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
server=$here/../../scripts/pg-server.sh
head=0f1e00000008

# shellcheck source=lib.sh
. "$here/lib.sh"
need_postgresql "pgreplica"
work_dir "$work"
cd "$work"
database=migc_replica_$$
role=migc_replica_reader_$$
standby_dir=$(mktemp -d "${TMPDIR:-/tmp}/migc-standby.XXXXXX")
rmdir "$standby_dir"
primary_host=$PGHOST
cleanup() {
	"$server" stop "$standby_dir" >/dev/null 2>&1 || true
	PGHOST=$primary_host psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
	PGHOST=$primary_host psql -X -q -d postgres -c "DROP ROLE IF EXISTS $role" >/dev/null 2>&1 || true
}
trap cleanup EXIT
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$database" -c "$1"; }

psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database" >/dev/null
capture "$cli" --url "postgresql:///$database" upgrade 0f1e00000003
expect_eq "$status" 0 "primary to 0f1e00000003: $err"

step "a hot standby with work pending: refused, nothing written"
"$server" standby "$standby_dir" >/dev/null
(
	eval "$("$server" env "$standby_dir")"
	expect_eq "$(sql "SELECT pg_is_in_recovery()")" "t" "standby"
	capture "$cli" --url "postgresql:///$database" upgrade head
	expect_eq "$status" 1 "upgrade on the standby with work pending"
	expect_contains "$err" "read-only" "names the cause"
	expect_contains "$err" "primary" "says what to do"
	expect_eq "$(sql "SELECT version_num FROM migc_version")" "0f1e00000003" "standby unchanged"
)

step "the primary at head, replayed: the standby boots without writing"
capture "$cli" --url "postgresql:///$database" upgrade head
expect_eq "$status" 0 "primary to head: $err"
# The insert position: the test server runs with synchronous_commit off,
# so the last commit may not be written yet where pg_current_wal_lsn()
# (the write position) would look.
lsn=$(psql -X -A -t -d postgres -c "SELECT pg_current_wal_insert_lsn()")
(
	eval "$("$server" env "$standby_dir")"
	# Other tests on the same server may have written much WAL before
	# ours (a CREATE DATABASE logs its whole template): wait while replay
	# moves on, and give up only after 30 s without it moving.
	replayed="" stalled=0
	while [ "$stalled" -lt 300 ]; do
		state=$(psql -X -A -t -d postgres -c "SELECT pg_last_wal_replay_lsn() >= '$lsn', pg_last_wal_replay_lsn()")
		[ "${state%%|*}" = t ] && break
		if [ "${state#*|}" = "$replayed" ]; then
			stalled=$((stalled + 1))
		else
			replayed=${state#*|} stalled=0
		fi
		sleep 0.1
	done
	psql -X -A -t -d postgres -c "SELECT status, flushed_lsn, pg_last_wal_replay_lsn(), '$lsn' FROM pg_stat_wal_receiver"
	expect_eq "$(sql "SELECT version_num FROM migc_version")" "$head" "replayed"
	capture "$cli" --url "postgresql:///$database" upgrade head
	expect_eq "$status" 0 "upgrade at head on the standby: $err"
	capture "$cli" --url "postgresql:///$database?migc_lock=lease" upgrade head
	expect_eq "$status" 0 "upgrade at head on the standby, lease lock: $err"
	capture "$cli" --url "postgresql:///$database" current
	expect_eq "$status" 0 "current on the standby: $err"
	expect_contains "$out" "$head" "current"
)

step "a read-only role"
psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE ROLE $role LOGIN" \
	-c "ALTER ROLE $role SET default_transaction_read_only = on" >/dev/null
sql "GRANT SELECT ON ALL TABLES IN SCHEMA public TO $role" >/dev/null
capture "$cli" --url "postgresql:///$database?user=$role" upgrade head
expect_eq "$status" 0 "read-only role at head: $err"
capture "$cli" --url "postgresql:///$database" downgrade 0f1e00000007
expect_eq "$status" 0 "primary one back: $err"
capture "$cli" --url "postgresql:///$database?user=$role" upgrade head
expect_eq "$status" 1 "read-only role with work pending"
expect_contains "$err" "read-only" "names the cause"
expect_eq "$(sql "SELECT version_num FROM migc_version")" "0f1e00000007" "unchanged"
sql "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM $role" >/dev/null
echo "pgreplica: all checks passed"
