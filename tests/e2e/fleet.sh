#!/usr/bin/env bash
# fleet.sh DIALECT CLI WORK_DIR [ROUNDS]
# A fleet booting at once: RUNNERS processes of a compiled command line
# (built from tests/data/fleet/versions) start `upgrade head` at the same
# moment against one fresh database, ROUNDS times. Every process must exit 0,
# every revision must be applied exactly once (each logs itself into
# fleet_log, which has no key), the version row must be the head and the
# schema complete. DIALECT is sqlite (a file) or postgresql (a fresh
# database on the server libpq's PGHOST etc. name).
#
# Environment: MIGC_FLEET_RUNNERS (16), MIGC_FLEET_SECONDS (stop starting
# rounds after this long, 240), MIGC_SKIP_POSTGRESQL=1 skips postgresql,
# MIGC_FLEET_URL_QUERY (appended to the postgresql URL, e.g.
# "?migc_lock=lease"; tests/e2e/pgbouncer.sh runs the fleet through
# PgBouncer that way).
set -euo pipefail

dialect=$1
cli=$2
work=$3
rounds=${4:-10}
runners=${MIGC_FLEET_RUNNERS:-16}
budget=${MIGC_FLEET_SECONDS:-240}
head=0f1e00000008
expected_log="0f1e00000001 0f1e00000002 0f1e00000003 0f1e00000004 0f1e00000005 0f1e00000006 0f1e00000007 0f1e00000008"

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail_context() { echo " (fleet $dialect, round ${round:-0})"; }

case $dialect in
sqlite) command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed" ;;
postgresql) need_postgresql "fleet postgresql" ;;
*)
	echo "usage: fleet.sh sqlite|postgresql CLI WORK_DIR [ROUNDS]" >&2
	exit 2
	;;
esac

work_dir "$work"
database=""
cleanup() {
	if [ "$dialect" = postgresql ] && [ -n "$database" ]; then
		psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
	fi
}
trap cleanup EXIT

# One value per line from the database under test.
sql() {
	if [ "$dialect" = sqlite ]; then
		sqlite3 "$db" "$1"
	else
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$database" -c "$1"
	fi
}

check_round() {
	local log
	log=$(sql "SELECT revision FROM fleet_log ORDER BY revision" | tr '\n' ' ' | sed 's/ $//')
	expect_eq "$log" "$expected_log" "each revision logged exactly once"
	expect_eq "$(sql "SELECT version_num FROM migc_version")" "$head" "version row"
	expect_eq "$(sql "SELECT count(*) FROM orders")" "4" "orders"
	expect_eq "$(sql "SELECT count(*) FROM order_audit")" "1" "audit trigger fired once"
	expect_eq "$(sql "SELECT name FROM customers ORDER BY id" | tr '\n' ',')" "customer; 1,customer; 2," "backfilled names"
	expect_eq "$(sql "SELECT total_cents FROM order_totals ORDER BY customer_id" | tr '\n' ',')" "1200,1000," "view"
	if [ "$dialect" = sqlite ]; then
		expect_eq "$(sql "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name" | tr '\n' ' ')" \
			"order_totals orders_audit orders_customer " "indexes, triggers and views"
	else
		expect_eq "$(sql "SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_customer'::regclass")" "t" "valid concurrent index"
		expect_eq "$(sql "SELECT tgname FROM pg_trigger WHERE tgrelid = 'orders'::regclass AND NOT tgisinternal")" "orders_audit" "trigger"
		# This database's locks only: other tests share the server.
		expect_eq "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" "0" "advisory lock released"
		case ${MIGC_FLEET_URL_QUERY:-} in
		*migc_lock=lease*) expect_eq "$(sql "SELECT count(*) FROM migc_version_lock")" "0" "lease lock released" ;;
		esac
	fi
	# The log lines agree: every revision was run by exactly one process.
	expect_eq "$(cat "$work"/round"$round".err.* | grep -c "Running upgrade")" "8" "upgrades run across the fleet"
}

started=$SECONDS
for round in $(seq 1 "$rounds"); do
	if [ "$round" -gt 3 ] && [ $((SECONDS - started)) -ge "$budget" ]; then
		echo "fleet $dialect: time budget of ${budget}s used after $((round - 1)) rounds"
		break
	fi
	if [ "$dialect" = sqlite ]; then
		db=$work/round$round.db
		url=sqlite:///$db
	else
		cleanup
		database=migc_fleet_$$_$round
		psql -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $database" >/dev/null
		url=postgresql:///$database${MIGC_FLEET_URL_QUERY:-}
	fi
	# Every runner blocks opening the fifo for reading until it has a
	# writer; opening it once releases them all together.
	fifo=$work/start$round
	mkfifo "$fifo"
	pids=()
	for i in $(seq 1 "$runners"); do
		(
			exec 3<"$fifo"
			exec "$cli" --url "$url" upgrade head
		) >"$work/round$round.out.$i" 2>"$work/round$round.err.$i" &
		pids+=($!)
	done
	sleep 0.3
	exec 4>"$fifo"
	failed=0
	for i in $(seq 1 "$runners"); do
		status=0
		wait "${pids[$((i - 1))]}" || status=$?
		if [ "$status" -ne 0 ]; then
			echo "runner $i exited with $status:" >&2
			cat "$work/round$round.err.$i" >&2
			failed=1
		fi
	done
	exec 4>&-
	rm -f "$fifo"
	[ "$failed" -eq 0 ] || fail "not every runner exited 0"
	check_round
	echo "fleet $dialect: round $round: $runners runners, each revision once, at $head"
done
echo "fleet $dialect: all checks passed in $((SECONDS - started))s"
