#!/usr/bin/env bash
# fleet.sh CLI [RUNS]: issue 16's figures. N processes of a compiled command
# line (CLI, built from tests/data/fleet: 8 revisions, one of them CREATE
# INDEX CONCURRENTLY) start `upgrade head` at the same moment against one
# server, directly and through PgBouncer (scripts/pgbouncer.sh, 20 server
# connections), beside one process alone: wall time from the start signal
# until the last process exits, median of RUNS (3), for a fresh database
# (every revision applied, once, by whichever process holds the lock) and
# for one already at head (every process boots with nothing pending). The
# server is the one PGHOST names. Prints a Markdown table.
set -euo pipefail

cli=$1
runs=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bouncer=$root/scripts/pgbouncer.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/migc-bench-fleet.XXXXXX")
chmod 755 "$work" # pgbouncer runs as postgres under root
pool_dir=$work/pgb
database=migc_bench_fleet
server_host=$PGHOST
server_port=${PGPORT:-5432}
cleanup() {
	"$bouncer" stop "$pool_dir" >/dev/null 2>&1 || true
	PGHOST=$server_host PGPORT=$server_port psql -Xq -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# at_once N QUERY: ms until N processes, released together, have all exited
# (each must exit 0).
at_once() {
	local n=$1 query=$2 fifo=$work/start i started status=0
	local pids=()
	mkfifo "$fifo"
	for i in $(seq 1 "$n"); do
		(
			exec 3<"$fifo"
			exec "$cli" --url "postgresql:///$database$query" upgrade head
		) >/dev/null 2>"$work/err.$i" &
		pids+=($!)
	done
	sleep 0.3
	started=$(now_ms)
	exec 4>"$fifo"
	for i in "${pids[@]}"; do
		wait "$i" || status=1
	done
	echo $(($(now_ms) - started))
	exec 4>&-
	rm -f "$fifo"
	if [ "$status" -ne 0 ]; then
		cat "$work"/err.* >&2
		echo "bench fleet: a process failed" >&2
		exit 1
	fi
}

# A new database each time: PgBouncer keeps server connections to the last
# one, which DROP DATABASE refuses.
round=0
fresh() {
	round=$((round + 1))
	PGHOST=$server_host PGPORT=$server_port psql -Xq -d postgres -v ON_ERROR_STOP=1 \
		-c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
	database=migc_bench_fleet_$$_$round
	PGHOST=$server_host PGPORT=$server_port psql -Xq -d postgres -v ON_ERROR_STOP=1 \
		-c "CREATE DATABASE $database" >/dev/null
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# row LABEL N QUERY
row() {
	local label=$1 n=$2 query=$3 empty head r
	empty=$(for r in $(seq 1 "$runs"); do
		fresh
		at_once "$n" "$query"
	done | median)
	head=$(for r in $(seq 1 "$runs"); do at_once "$n" "$query"; done | median)
	echo "| $label | $n | $empty | $head |"
}

echo "| path (lock) | processes | from empty: ms | at head: ms |"
echo "| --- | ---: | ---: | ---: |"
for n in 1 16 64; do
	row "direct (advisory)" "$n" ""
done
for n in 1 16 64; do
	row "direct (lease)" "$n" "?migc_lock=lease"
done
for mode in transaction session; do
	"$bouncer" start "$pool_dir" "$mode" 20 >/dev/null
	eval "$("$bouncer" env "$pool_dir")"
	for n in 1 16 64; do
		if [ "$mode" = transaction ]; then
			row "PgBouncer, transaction pooling (lease)" "$n" "?migc_lock=lease"
		else
			row "PgBouncer, session pooling (advisory)" "$n" ""
		fi
	done
	PGHOST=$server_host PGPORT=$server_port
	"$bouncer" stop "$pool_dir"
done
