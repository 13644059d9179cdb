#!/usr/bin/env bash
# crash.sh DIALECT CLI VERSIONS WORK_DIR
# Crash consistency. CLI is a command line compiled from VERSIONS (a linear
# set, tests/data/crash/versions). First the references: a separate
# database goes up one revision at a time (`upgrade +1`) and its catalog
# (schema, row counts and a digest of every row, migc's own tables left
# out) is saved after each; for a "transaction none" revision its upgrade
# statements are also replayed one by one on a copy, saving the catalog
# after each statement and checking that each can run twice.
#
# Then the crashes, again and again on one database, with delays from a
# seeded generator (printed): `upgrade head` starts and after the delay
#   sqlite      the process gets kill -9;
#   postgresql  the server under it is restarted (pg_ctl restart -m
#               immediate on a private server started with
#               scripts/pg-server.sh, so other tests keep theirs).
# After each: the database is sound (SQLite: PRAGMA integrity_check), holds
# zero or one version row, its history holds exactly the revisions up to
# that row, and its catalog equals that revision's reference. The one
# exception is a "transaction none" revision stopped partway: its history
# row says how many statements were done (j), and the catalog must equal
# the reference after j statements, or after j + 1 when the crash fell
# between a statement and its progress row (the statements are written to
# be safe to run again, so the next run repeats it harmlessly). The next
# run must never fail, the revision never go back, and each time the
# database reaches head its catalog equals head's reference; it is then
# taken down to base and the crashes go on. A last run without a crash
# must reach head.
#
# Environment: MIGC_CRASH_SEED (random generator seed, default 20261126),
# MIGC_CRASH_COUNT (crashes, default 50 for sqlite and 12 for postgresql),
# MIGC_PG_SERVER (scripts/pg-server.sh, for postgresql),
# MIGC_SKIP_POSTGRESQL=1 skips postgresql when there is no server to start.
set -euo pipefail

dialect=$1
cli=$2
versions=$3
work=$4
seed=${MIGC_CRASH_SEED:-20261126}

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail_context() { echo " (crash $dialect${crash_label:+, $crash_label})"; }

case $dialect in
sqlite)
	count=${MIGC_CRASH_COUNT:-50}
	command -v sqlite3 >/dev/null || fail "the sqlite3 shell is needed"
	;;
postgresql)
	count=${MIGC_CRASH_COUNT:-12}
	pg_server=${MIGC_PG_SERVER:-$(dirname "$0")/../../scripts/pg-server.sh}
	if ! command -v initdb >/dev/null && ! command -v pg_config >/dev/null &&
		! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
		if [ "${MIGC_SKIP_POSTGRESQL:-}" = 1 ]; then
			echo "crash postgresql: no PostgreSQL server programs and MIGC_SKIP_POSTGRESQL=1, skipped"
			exit 0
		fi
		fail "no PostgreSQL server programs to start a private server (Debian: postgresql), or set MIGC_SKIP_POSTGRESQL=1"
	fi
	command -v psql >/dev/null || fail "psql is needed"
	;;
*)
	echo "usage: crash.sh sqlite|postgresql CLI VERSIONS WORK_DIR" >&2
	exit 2
	;;
esac

work_dir "$work"
mkdir "$work/ref"
versions=$(cd "$versions" && pwd)

# ---- the revisions, in order, from their headers ----
ids=("")     # ids[k]: revision k; 0 is base
untracked=() # untracked[k]=1: "transaction none"
files=("")
previous=none
for file in "$versions"/*.sql; do
	id=$(sed -n 's/^-- migc:revision *\([0-9a-f]*\).*/\1/p' "$file")
	down=$(sed -n 's/^-- migc:down_revision *\([^ ]*\).*/\1/p' "$file")
	[ "$down" = "$previous" ] || fail "$file: the set must be one line of revisions in file-name order"
	ids+=("$id")
	files+=("$file")
	grep -q '^-- migc:transaction *none' "$file" && untracked[${#ids[@]} - 1]=1
	previous=$id
done
head=$((${#ids[@]} - 1))
[ "$head" -ge 10 ] || fail "expected a long set in $versions"
index_of() {
	local k
	for k in $(seq 1 "$head"); do
		[ "${ids[$k]}" = "$1" ] && echo "$k" && return
	done
	fail "unknown revision [$1]"
}

# The upgrade statements of a "transaction none" revision, one a line: the
# section for this dialect when there is one, else the generic one.
statements() {
	local file=$1 section="-- migc:upgrade"
	grep -q "^-- migc:upgrade $dialect\$" "$file" && section="-- migc:upgrade $dialect"
	awk -v section="$section" '
		$0 == section { on = 1; next }
		/^-- migc:/ { on = 0 }
		on && NF && !/^--/ { print }' "$file"
}

# ---- the database: one value a line, catalog, version rows ----
server_dir=""
cleanup() {
	if [ -n "$server_dir" ]; then
		"$pg_server" stop "$server_dir" ||
			echo "crash postgresql: stopping the server in $server_dir failed" >&2
	fi
}
trap cleanup EXIT

if [ "$dialect" = postgresql ]; then
	# A private server: its restarts must not hit other tests.
	unset PGHOST PGPORT PGUSER PGDATABASE
	server_dir=$(TMPDIR=/tmp "$pg_server" start)
	echo "crash postgresql: private server in $server_dir (stopped at exit)"
	eval "$("$pg_server" env "$server_dir")"
	export PGOPTIONS="-c client_min_messages=warning"
	pg_bin=$(pg_config --bindir 2>/dev/null || true)
	[ -x "$pg_bin/pg_ctl" ] || pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -t/ -k5 -rn | head -1)
	as_owner() {
		if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
	}
	restart_server() {
		as_owner "$pg_bin/pg_ctl" -D "$server_dir/data" -l "$server_dir/server.log" \
			-m immediate -w -t 60 restart >/dev/null ||
			fail "pg_ctl restart failed: $(tail -5 "$server_dir/server.log")"
	}
	admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "$1" >/dev/null; }
fi

# sql DB QUERY: rows, one a line, fields split by |
sql() {
	if [ "$dialect" = sqlite ]; then
		sqlite3 -batch "$1" "$2"
	else
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
	fi
}
url_of() {
	if [ "$dialect" = sqlite ]; then echo "sqlite:///$1"; else echo "postgresql:///$1"; fi
}
has_table() {
	if [ "$dialect" = sqlite ]; then
		[ "$(sql "$1" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$2'")" = 1 ]
	else
		[ "$(sql "$1" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '$2'")" = 1 ]
	fi
}
# The database's copy of DB as NEW (SQLite: the file; PostgreSQL: a template copy).
copy_database() {
	if [ "$dialect" = sqlite ]; then
		rm -f "$2" && cp "$1" "$2"
	else
		admin "DROP DATABASE IF EXISTS $2" && admin "CREATE DATABASE $2 TEMPLATE $1"
	fi
}
new_database() {
	if [ "$dialect" = sqlite ]; then
		rm -f "$1" "$1"-journal "$1"-wal "$1"-shm "$1"-migc-lock
	else
		admin "DROP DATABASE IF EXISTS $1" && admin "CREATE DATABASE $1"
	fi
}

# catalog DB: the schema (normalised), then per table its row count and a
# digest of its rows; migc's own tables left out.
catalog() {
	local db=$1 tables query="" t
	if [ "$dialect" = sqlite ]; then
		sql "$db" "SELECT type || ' ' || name || ' on ' || tbl_name || ': ' ||
		  coalesce(replace(replace(sql, char(10), ' '), char(9), ' '), '')
		  FROM sqlite_master WHERE tbl_name NOT LIKE 'migc\\_%' ESCAPE '\\'
		  ORDER BY type, name" | sed 's/  */ /g'
		tables=$(sql "$db" "SELECT name FROM sqlite_master WHERE type = 'table'
		  AND name NOT LIKE 'migc\\_%' ESCAPE '\\' ORDER BY name")
		for t in $tables; do
			query+="${query:+ UNION ALL }SELECT 'rows $t ' || (SELECT count(*) FROM \"$t\")
			  || ' ' || hex(sha3_query('SELECT * FROM \"$t\" ORDER BY rowid'))"
		done
	else
		sql "$db" "
		  SELECT 'column', table_name, column_name, data_type, is_nullable, coalesce(column_default, '')
		    FROM information_schema.columns WHERE table_schema = 'public'
		    AND table_name NOT LIKE 'migc\\_%' ORDER BY 2, ordinal_position;
		  SELECT 'index', c.relname, i.indisvalid, i.indisready, pg_get_indexdef(i.indexrelid)
		    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		    JOIN pg_class t ON t.oid = i.indrelid
		    WHERE t.relnamespace = 'public'::regnamespace AND t.relname NOT LIKE 'migc\\_%' ORDER BY 2;
		  SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(oid)
		    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
		    AND conrelid::regclass::text NOT LIKE 'migc\\_%' ORDER BY 2, 3;
		  SELECT 'view', viewname, replace(definition, chr(10), ' ') FROM pg_views
		    WHERE schemaname = 'public' ORDER BY 2;
		  SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid)
		    FROM pg_trigger WHERE NOT tgisinternal ORDER BY 2, 3;
		  SELECT 'function', proname, md5(prosrc) FROM pg_proc
		    WHERE pronamespace = 'public'::regnamespace ORDER BY 2;
		  SELECT 'sequence', sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 2;
		  SELECT 'rows', tablename, (xpath('/row/c/text()', query_to_xml(format(
		      'SELECT count(*) || '' '' || md5(coalesce(string_agg(x::text, ''|'' ORDER BY x::text), '''')) AS c FROM %I x',
		      tablename), false, true, '')))[1]::text
		    FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'migc\\_%' ORDER BY 2;"
		return
	fi
	[ -z "$query" ] || sql "$db" "$query"
}

save_catalog() { catalog "$1" >"$2" || fail "reading the catalog of $1"; }
same_catalog() { cmp -s "$1" "$2"; }

# ---- references ----
start=$SECONDS
ref_db=crash_ref
scratch_db=crash_scratch
if [ "$dialect" = sqlite ]; then
	ref_db=$work/ref.db
	scratch_db=$work/scratch.db
fi
new_database "$ref_db"
save_catalog "$ref_db" "$work/ref/0"
partial_count=0
for k in $(seq 1 "$head"); do
	if [ -n "${untracked[$k]:-}" ]; then
		copy_database "$ref_db" "$scratch_db"
		j=0
		cp "$work/ref/$((k - 1))" "$work/ref/$k.0"
		while IFS= read -r statement; do
			j=$((j + 1))
			sql "$scratch_db" "$statement" >/dev/null ||
				fail "reference: statement $j of ${ids[$k]} failed"
			save_catalog "$scratch_db" "$work/ref/$k.$j"
		done < <(statements "${files[$k]}")
		[ "$j" -ge 2 ] || fail "${ids[$k]}: a transaction none revision here should have several statements"
		# Each statement can run again without changing anything: a crash
		# between a statement and its progress row repeats it.
		while IFS= read -r statement; do
			sql "$scratch_db" "$statement" >/dev/null ||
				fail "reference: ${ids[$k]}: a statement fails when run again: $statement"
		done < <(statements "${files[$k]}")
		save_catalog "$scratch_db" "$work/scratch.cat"
		same_catalog "$work/scratch.cat" "$work/ref/$k.$j" ||
			fail "reference: ${ids[$k]}: running its statements again changes the database"
		partial_count=$((partial_count + j))
	fi
	"$cli" --url "$(url_of "$ref_db")" upgrade +1 >/dev/null 2>"$work/ref.err" ||
		fail "reference: upgrade +1 to ${ids[$k]}: $(cat "$work/ref.err")"
	[ "$(sql "$ref_db" "SELECT version_num FROM migc_version")" = "${ids[$k]}" ] ||
		fail "reference: upgrade +1 did not reach ${ids[$k]}"
	save_catalog "$ref_db" "$work/ref/$k"
	if [ -n "${untracked[$k]:-}" ]; then
		same_catalog "$work/ref/$k" "$work/ref/$k.$j" ||
			fail "reference: ${ids[$k]}: its statements one by one give another catalog than upgrade +1: $(diff "$work/ref/$k.$j" "$work/ref/$k" | head -5)"
	fi
done
# A whole upgrade, for the scale of the delays.
new_database "$scratch_db"
t0=$(date +%s%N)
"$cli" --url "$(url_of "$scratch_db")" upgrade head >/dev/null 2>"$work/ref.err" ||
	fail "reference: upgrade head: $(cat "$work/ref.err")"
full_ms=$((($(date +%s%N) - t0) / 1000000))
save_catalog "$scratch_db" "$work/scratch.cat"
same_catalog "$work/scratch.cat" "$work/ref/$head" ||
	fail "reference: upgrade head in one run gives another catalog than +1 steps"
echo "crash $dialect: $head revisions (${#untracked[@]} outside a transaction, $partial_count partial states), references in $((SECONDS - start))s; upgrade head takes ${full_ms}ms"

# ---- crashes ----
# Short delays: each run gets a little further, so the crashes spread over
# the whole set and the runs resume from every kind of state.
if [ "$dialect" = sqlite ]; then
	max_delay_ms=$((full_ms / 6 + 10))
	db=$work/crash.db
else
	max_delay_ms=$((full_ms / 3 + 20))
	db=crash_test
fi
url=$(url_of "$db")
RANDOM=$seed
echo "crash $dialect: seed $seed (MIGC_CRASH_SEED), delays 0..${max_delay_ms}ms, $count crashes"

# check_state: asserts what a crash may leave; sets `at` (the revision of
# the version row) and `state` (a description).
check_state() {
	local rows=0 version="" history expected k j done_count
	if [ "$dialect" = sqlite ]; then
		[ "$(sql "$db" "PRAGMA integrity_check")" = ok ] || fail "PRAGMA integrity_check: $(sql "$db" "PRAGMA integrity_check" | head -3)"
	fi
	if has_table "$db" migc_version; then
		rows=$(sql "$db" "SELECT count(*) FROM migc_version")
		version=$(sql "$db" "SELECT version_num FROM migc_version")
	fi
	case $rows in
	0) at=0 ;;
	1) at=$(index_of "$version") ;;
	*) fail "$rows version rows: $version" ;;
	esac
	history=""
	if has_table "$db" migc_version_history; then
		history=$(sql "$db" "SELECT version_num || ' ' || statements_done FROM migc_version_history ORDER BY version_num")
	fi
	expected=""
	for k in $(seq 1 "$at"); do
		expected+="${ids[$k]} "
	done
	# History rows: the applied revisions, and perhaps the next one when
	# it is a "transaction none" revision stopped partway.
	done_count=""
	if [ "$at" -lt "$head" ] && [ -n "${untracked[$((at + 1))]:-}" ]; then
		done_count=$(echo "$history" | awk -v id="${ids[$((at + 1))]}" '$1 == id { print $2 }')
	fi
	local listed
	listed=$(echo "$history" | awk -v skip="${done_count:+${ids[$((at + 1))]}}" 'NF && $1 != skip { printf "%s ", $1 }')
	[ "$listed" = "$expected" ] || fail "history rows [$listed], expected [$expected] for version row ${ids[$at]:-none}"
	save_catalog "$db" "$work/now.cat"
	if [ -z "$done_count" ]; then
		same_catalog "$work/now.cat" "$work/ref/$at" ||
			fail "at ${ids[$at]:-base} the catalog differs from its reference: $(diff "$work/ref/$at" "$work/now.cat" | head -8)"
		state="at ${ids[$at]:-base} ($at)"
		return
	fi
	k=$((at + 1))
	j=$done_count
	[ -e "$work/ref/$k.$j" ] || fail "${ids[$k]}: history says $j statements done, more than it has"
	if same_catalog "$work/now.cat" "$work/ref/$k.$j"; then
		state="inside ${ids[$k]} (transaction none) after statement $j"
	elif [ -e "$work/ref/$k.$((j + 1))" ] && same_catalog "$work/now.cat" "$work/ref/$k.$((j + 1))"; then
		state="inside ${ids[$k]} (transaction none): statement $((j + 1)) done, its progress row not yet"
		window_hits=$((window_hits + 1))
	else
		fail "inside ${ids[$k]} after $j statements the catalog matches neither the reference after statement $j nor after $((j + 1)): $(diff "$work/ref/$k.$j" "$work/now.cat" | head -8)"
	fi
	partial_hits=$((partial_hits + 1))
}

new_database "$db"
crashes=0
runs=0
completed=0
cycles=0
partial_hits=0
window_hits=0
previous_at=0
declare -A landed=()
crash_start=$SECONDS
while [ "$crashes" -lt "$count" ]; do
	delay_ms=$((RANDOM % max_delay_ms))
	delay=$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))
	runs=$((runs + 1))
	crash_label="run $runs"
	"$cli" --url "$url" upgrade head >"$work/run.out" 2>"$work/run.err" &
	pid=$!
	sleep "$delay"
	crashed=0
	if [ "$dialect" = sqlite ]; then
		kill -9 "$pid" 2>/dev/null || true
	elif kill -0 "$pid" 2>/dev/null; then
		restart_server
		crashed=1
	fi
	status=0
	# (quietly: bash would report the kill)
	{ wait "$pid"; } 2>/dev/null || status=$?
	if [ "$dialect" = sqlite ]; then
		case $status in
		137) crashed=1 ;;
		0) ;;
		*) fail "upgrade head exited $status: $(cat "$work/run.err")" ;;
		esac
	elif [ "$status" -ne 0 ] && [ "$crashed" -eq 0 ]; then
		fail "upgrade head exited $status: $(cat "$work/run.err")"
	fi
	check_state
	[ "$at" -ge "$previous_at" ] || fail "went back from ${ids[$previous_at]} to ${ids[$at]:-base}"
	previous_at=$at
	if [ "$crashed" -eq 1 ]; then
		crashes=$((crashes + 1))
		landed[$at]=1
		how="killed"
		[ "$dialect" = postgresql ] && how="server restarted (upgrade exited $status)"
		echo "crash $dialect: run $runs: $how after ${delay}s: $state"
	else
		[ "$at" -eq "$head" ] || fail "upgrade head exited 0 at ${ids[$at]}"
		completed=$((completed + 1))
		echo "crash $dialect: run $runs: finished before the crash after ${delay}s: $state"
	fi
	if [ "$at" -eq "$head" ]; then
		# At head with head's catalog (checked): down to base, go on.
		cycles=$((cycles + 1))
		"$cli" --url "$url" downgrade base >/dev/null 2>"$work/run.err" ||
			fail "downgrade base: $(cat "$work/run.err")"
		check_state
		[ "$at" -eq 0 ] || fail "downgrade base left ${ids[$at]}"
		previous_at=0
	fi
done
crash_label="last run"
"$cli" --url "$url" upgrade head >/dev/null 2>"$work/run.err" ||
	fail "the run after the last crash: $(cat "$work/run.err")"
check_state
[ "$at" -eq "$head" ] || fail "the run after the last crash stopped at ${ids[$at]}"
echo "crash $dialect: $crashes crashes in $runs runs ($completed finished first), $cycles times base to head," \
	"crashes landed at ${#landed[@]} distinct revisions, $partial_hits inside a transaction-none revision" \
	"($window_hits between a statement and its progress row); crashes took $((SECONDS - crash_start))s, all in $((SECONDS - start))s"
echo "crash $dialect: all checks passed"
