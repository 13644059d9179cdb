#!/usr/bin/env bash
# bench/run.sh: builds the benchmarks (Release, in build-bench/) and prints
# issue 12's figures as one table (figures: each beside its value before
# issue 12 and its goal, ratios measured in one run), then the tables of
# issue 6 ("Fast"). Figures only: nothing here passes or fails on them.
#
#   bench/run.sh [figures|sqlite|postgresql|fleet|generator|squash|all]...
# (squash: issue 18, a chain and its baseline, bench/squash.sh)
# (fleet: issue 16, N processes booting at once, bench/fleet.sh)
#
# Environment: MIGC_BENCH_BUILD (build dir), BOOT_CALLS (10000), RUNS (5),
# VERIFY_SIZES (build-time verify, "1000 4000 10000"), CC (compiler for the
# generated-code compile times, default cc). PostgreSQL: uses the server in
# PGHOST when set, else starts a throwaway one (scripts/pg-server.sh) and
# stops it at exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MIGC_BENCH_BUILD:-$root/build-bench}
work=$build/run
bin=$build/bench
boot_calls=${BOOT_CALLS:-10000}
runs=${RUNS:-5}
verify_sizes=${VERIFY_SIZES:-1000 4000 10000}
cc=${CC:-cc}
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(all)

want() {
	local s
	for s in "${sections[@]}"; do
		[ "$s" = all ] || [ "$s" = "$1" ] && return 0
	done
	return 1
}

need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		apt-get install -y "$2" >/dev/null
	else
		echo "bench: $1 is missing; install it (Debian: apt-get install $2)" >&2
		exit 1
	fi
}
need python3 python3

echo "==== building (Release) in $build"
mkdir -p "$build"
{
	cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
		-DMIGC_BUILD_BENCH=ON -DMIGC_BUILD_TESTS=OFF -DMIGC_BUILD_EXAMPLE=OFF &&
		cmake --build "$build" -j"$(nproc)"
} >"$build/bench-build.log" 2>&1 || {
	cat "$build/bench-build.log" >&2
	exit 1
}
mkdir -p "$work"

# pg_start: the server in PGHOST, else a throwaway one stopped at exit.
pg_start() {
	if [ -z "${PGHOST:-}" ]; then
		pg_dir=$("$root/scripts/pg-server.sh" start)
		trap '"$root/scripts/pg-server.sh" stop "$pg_dir"' EXIT
		eval "$("$root/scripts/pg-server.sh" env "$pg_dir")"
	fi
}

# hyperfine_row LABEL JSON: one table row from hyperfine's JSON export.
hyperfine_row() {
	python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))["results"][0]
ms = lambda s: s * 1e3
print(f"| {sys.argv[1]} | {len(r['times'])} | {ms(r['median']):.1f} | "
      f"{ms(r['mean']):.1f} | {ms(r['min']):.1f} | {ms(r['max']):.1f} |")
PY
}
hyperfine_header() {
	echo "| command | runs | median ms | mean ms | min ms | max ms |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: |"
}

# alembic_project DIR SET URL: a throwaway Alembic project (alembic init)
# whose scripts carry the set's ids and SQL and whose env.py reads and writes
# migc's version table, one transaction per revision.
alembic_project() {
	local dir=$1 set=$2 url=$3
	rm -rf "$dir"
	mkdir -p "$dir"
	(cd "$dir" && alembic init -t generic alembic >/dev/null)
	sed -i -e "s|^sqlalchemy.url = .*|sqlalchemy.url = $url|" \
		-e "s|^script_location = .*|script_location = %(here)s/alembic|" \
		"$dir/alembic.ini"
	rm -rf "$dir/alembic/versions"
	cp -r "$bin/sets/$set/alembic" "$dir/alembic/versions"
	cat >"$dir/alembic/env.py" <<'PY'
# Benchmark env.py: no logging set-up, no metadata; migc's version table
# (same shape as Alembic's); one transaction per revision. pysqlite's own
# transaction handling is off and SQLAlchemy sends BEGIN IMMEDIATE itself,
# so DDL runs inside each revision's transaction as migc's does (the
# SQLAlchemy recipe for SQLite transactions).
from alembic import context
from sqlalchemy import engine_from_config, event, pool

config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section),
                            prefix="sqlalchemy.", poolclass=pool.NullPool)

if engine.dialect.name == "sqlite":
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

with engine.connect() as connection:
    context.configure(connection=connection, version_table="migc_version",
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
PY
}

if want figures; then
	# shellcheck source=figures.sh
	. "$root/bench/figures.sh"
fi

if want sqlite; then
	need hyperfine hyperfine
	echo
	echo "==== 2. 1000 revisions from empty, SQLite file, in process (median of $runs, interleaved)"
	echo "| synchronous | variant | runs | median ms | min ms | max ms | µs per revision | migc / floor, / floor+history |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	"$bin/bench_apply_sqlite" "$work" --runs "$runs" --synchronous full
	"$bin/bench_apply_sqlite" "$work" --runs "$runs" --synchronous off
	echo
	echo "==== 2. 1000 revisions from empty, SQLite file, whole process (synchronous=full)"
	db=$work/apply-cli.db
	alembic_project "$work/alembic-upgrade" chain1000 "sqlite:///$db"
	clean="rm -f $db $db-journal $db-migc-lock"
	hyperfine_header
	hyperfine -N --runs "$runs" --prepare "$clean" --export-json "$work/h.json" \
		"$bin/bench-chain1000-migrate --url sqlite:///$db upgrade head" >/dev/null
	hyperfine_row "\`bench-chain1000-migrate upgrade head\` (migc command line)" "$work/h.json"
	hyperfine -N --runs "$runs" --prepare "$clean" --export-json "$work/h.json" \
		--command-name alembic \
		"alembic -c $work/alembic-upgrade/alembic.ini upgrade head" >/dev/null
	hyperfine_row "\`alembic upgrade head\`" "$work/h.json"
	# Alembic's fixed cost (interpreter, SQLAlchemy, loading 1000 scripts).
	hyperfine -N --runs "$runs" --export-json "$work/h.json" \
		--command-name alembic \
		"alembic -c $work/alembic-upgrade/alembic.ini heads" >/dev/null
	hyperfine_row "\`alembic heads\` (start-up + loading the 1000 scripts, no database)" "$work/h.json"
	eval "$clean"
fi

if want postgresql; then
	need hyperfine hyperfine
	if [ -x "$bin/bench_apply_postgresql" ]; then
		pg_start
		echo
		echo "==== 3. 1000 revisions from empty, PostgreSQL $(psql -XAtc 'SHOW server_version') on a unix socket, in process (median of $runs)"
		echo "(server: fsync=$(psql -XAtc 'SHOW fsync'), synchronous_commit=$(psql -XAtc 'SHOW synchronous_commit'))"
		echo "| variant | runs | median ms | min ms | max ms | µs per revision | migc / floor, / floor+history |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		"$bin/bench_apply_postgresql" --runs "$runs"
		echo
		echo "==== 3. whole process, connection included"
		"$bin/bench_apply_postgresql" --emit-psql "$work/psql.sql"
		"$bin/bench_apply_postgresql" --emit-psql "$work/psql-history.sql" --history
		fresh="psql -Xq -c 'DROP DATABASE IF EXISTS migc_bench_cli' -c 'CREATE DATABASE migc_bench_cli'"
		hyperfine_header
		hyperfine --runs "$runs" --prepare "$fresh" --export-json "$work/h.json" \
			"$bin/bench-chain1000-pg-migrate --url postgresql:///migc_bench_cli upgrade head" >/dev/null
		hyperfine_row "\`bench-chain1000-pg-migrate upgrade head\` (migc command line)" "$work/h.json"
		hyperfine --runs "$runs" --prepare "$fresh" --export-json "$work/h.json" \
			"psql -Xq -v ON_ERROR_STOP=1 -d migc_bench_cli -f $work/psql.sql" >/dev/null
		hyperfine_row "\`psql -q -f\` script: statements + version row" "$work/h.json"
		hyperfine --runs "$runs" --prepare "$fresh" --export-json "$work/h.json" \
			"psql -Xq -v ON_ERROR_STOP=1 -d migc_bench_cli -f $work/psql-history.sql" >/dev/null
		hyperfine_row "\`psql -q -f\` script: + history row" "$work/h.json"
		psql -Xq -c 'DROP DATABASE IF EXISTS migc_bench_cli'
	else
		echo "==== 3. skipped: migc was built without the PostgreSQL driver (libpq)"
	fi
fi

if want fleet; then
	if [ -x "$bin/bench-fleet-pg-migrate" ]; then
		pg_start
		echo
		echo "==== 5. fleets booting at once (issue 16): direct and through PgBouncer, median of $runs"
		bash "$root/bench/fleet.sh" "$bin/bench-fleet-pg-migrate" "$runs"
	else
		echo "==== 5. skipped: migc was built without the PostgreSQL driver (libpq)"
	fi
fi

if want generator; then
	need hyperfine hyperfine
	echo
	echo "==== 4. the generator on 10,000 revision files"
	python3 "$root/bench/make_revisions.py" --count 10000 --versions "$work/gen10k/versions"
	out=$work/gen10k/out
	mkdir -p "$out"
	hyperfine_header
	hyperfine -N --runs 3 --export-json "$work/h.json" \
		"$build/generator/migc generate --versions $work/gen10k/versions --name bench_gen10k --dialect sqlite --output-dir $out" >/dev/null
	hyperfine_row "\`migc generate\` (10,000 files)" "$work/h.json"
	for opt in -O0 -O2; do
		hyperfine -N --runs 3 --export-json "$work/h.json" \
			"$cc $opt -c $out/bench_gen10k.c -I$root/runtime/include -o $out/bench_gen10k$opt.o" >/dev/null
		hyperfine_row "\`$cc $opt -c bench_gen10k.c\` ($($cc --version | head -1))" "$work/h.json"
	done
	# --verify (CMake's default for SQLite) proves every downgrade, once:
	# each proof is remembered in <name>.verified, so the cold run removes
	# it first and the warm one finds every proof there.
	for n in 1000 4000 10000; do
		python3 "$root/bench/make_revisions.py" --count $n --versions "$work/verify$n/versions"
		verify="$build/generator/migc generate --versions $work/verify$n/versions --name bench_verify$n --dialect sqlite --output-dir $work/verify$n --verify"
		hyperfine -N --runs 1 --prepare "rm -f $work/verify$n/bench_verify$n.verified" \
			--export-json "$work/h.json" "$verify" >/dev/null
		hyperfine_row "\`migc generate --verify\` ($n files, nothing remembered)" "$work/h.json"
		hyperfine -N --runs 3 --export-json "$work/h.json" "$verify" >/dev/null
		hyperfine_row "\`migc generate --verify\` ($n files, all remembered)" "$work/h.json"
	done
	echo
	echo "| output | bytes |"
	echo "| --- | ---: |"
	echo "| 10,000 revision files (total) | $(cat "$work/gen10k/versions"/*.sql | wc -c) |"
	echo "| bench_gen10k.c | $(wc -c <"$out/bench_gen10k.c") |"
	echo "| bench_gen10k.h | $(wc -c <"$out/bench_gen10k.h") |"
	echo "| bench_gen10k-O2.o (size: text+data) | $(size "$out/bench_gen10k-O2.o" | awk 'NR==2 {print $1 + $2}') |"
fi

if want squash; then
	echo
	echo "==== 6. baselines (issue 18): a 1000-revision chain and its baseline, median of $runs"
	RUNS=$runs bash "$root/bench/squash.sh" "$build/generator/migc" "$root" \
		"$build/runtime" "$work/squash" 1000
fi
