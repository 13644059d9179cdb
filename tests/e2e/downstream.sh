#!/usr/bin/env bash
# downstream.sh MODE SOURCE_DIR WORK_DIR
# The user's path, end to end: a downstream CMake project that gets migc by
# add_subdirectory (MODE=subdirectory) or find_package on an installed prefix
# (MODE=find_package), builds its command line and app, and migrates a real
# SQLite file. The schema is checked with SQLite's own shell.
set -euo pipefail

mode=$1
src=$(cd "$2" && pwd)
work=$3
extra_flags=${MIGC_E2E_C_FLAGS:-}

rm -rf "$work"
mkdir -p "$work"
cp -r "$src/tests/e2e/downstream" "$work/project"
project=$work/project
build=$work/build
db=$work/shop.db
url=sqlite:///$db
cli=$build/shop-migrate

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Tables, indexes and triggers of the app (migc's own tables left out).
schema() {
	sqlite3 "$db" "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'
	  AND name NOT LIKE 'migc_%' ORDER BY name" | tr '\n' ' ' | sed 's/ $//'
}
current() { "$cli" --url "$url" current 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
# build_fails WHY [ARGS...]: cmake --build [ARGS] must fail (else WHY);
# $out holds what it printed.
build_fails() {
	local why=$1 status
	shift
	set +e
	out=$(cmake --build "$build" "$@" 2>&1)
	status=$?
	set -e
	[ "$status" -ne 0 ] || fail "$why"
}
migrate() { "$cli" --url "$url" "$@"; }

configure_args=()
if [ "$mode" = subdirectory ]; then
	configure_args=(-DMIGC_SOURCE_DIR="$src")
elif [ "$mode" = find_package ]; then
	step "build and install migc into a prefix"
	cmake -S "$src" -B "$work/migc-build" -DMIGC_BUILD_TESTS=OFF \
		-DMIGC_BUILD_EXAMPLE=OFF -DCMAKE_C_FLAGS="$extra_flags" \
		-DCMAKE_EXE_LINKER_FLAGS="$extra_flags" >/dev/null
	cmake --build "$work/migc-build" -j2 >/dev/null
	cmake --install "$work/migc-build" --prefix "$work/prefix" >/dev/null
	for f in bin/migc include/migc.h include/migc_sqlite.h include/migc_cli.h \
		lib/cmake/migc/migcConfig.cmake lib/pkgconfig/migc.pc; do
		[ -e "$work/prefix/$f" ] || [ -e "$work/prefix/${f/lib\//lib64/}" ] ||
			fail "installed prefix lacks $f"
	done
	configure_args=(-DCMAKE_PREFIX_PATH="$work/prefix")
	step "pkg-config finds the installed runtime"
	pc_dir=$(dirname "$(find "$work/prefix" -name migc.pc | head -1)")
	pc_flags=$(PKG_CONFIG_PATH=$pc_dir pkg-config --cflags --libs migc-sqlite)
	expect_contains "$pc_flags" "-lmigc_sqlite" "pkg-config migc-sqlite"
	expect_contains "$pc_flags" "-lmigc" "pkg-config migc-sqlite"
else
	echo "usage: downstream.sh subdirectory|find_package SOURCE_DIR WORK_DIR" >&2
	exit 2
fi

step "configure and build the downstream project ($mode)"
cmake -S "$project" -B "$build" "${configure_args[@]}" \
	-DCMAKE_C_FLAGS="$extra_flags" -DCMAKE_EXE_LINKER_FLAGS="$extra_flags" >/dev/null
cmake --build "$build" -j2 >/dev/null

step "upgrade with no target goes to head"
migrate upgrade 2>"$work/err"
expect_contains "$(cat "$work/err")" "Running upgrade  -> a1b2c3d4e5f6, create customers" "upgrade log"
expect_contains "$(cat "$work/err")" "Running upgrade c3d4e5f6a7b8 -> d9e0f1a2b3c4, backfill customer names" "upgrade log"
expect_eq "$(current)" "d9e0f1a2b3c4 (head)" "current at head"
expect_eq "$(schema)" "customers order_audit orders orders_audit orders_customer" "schema at head"
expect_eq "$(sqlite3 "$db" "SELECT name FROM customers")" "first" "backfilled name"
expect_eq "$(sqlite3 "$db" "SELECT version_num FROM migc_version")" "d9e0f1a2b3c4" "version row"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM migc_version")" "1" "one version row"

step "the trigger (with CASE ... END inside) works"
sqlite3 "$db" "INSERT INTO orders (customer_id, total_cents) VALUES (1, 20000)"
expect_eq "$(sqlite3 "$db" "SELECT note FROM order_audit")" "large; check" "trigger body"

step "the app migrates at boot and works"
expect_eq "$("$build/shop" "$db")" "customers: 1" "app output"

step "upgrade head again does nothing"
migrate upgrade head 2>"$work/err"
expect_lacks "$(cat "$work/err")" "Running upgrade" "no-op upgrade"

step "downgrade -1, -2, base"
sqlite3 "$db" "DELETE FROM order_audit; DELETE FROM orders"
migrate downgrade -1 2>"$work/err"
expect_contains "$(cat "$work/err")" "Running downgrade d9e0f1a2b3c4 -> c3d4e5f6a7b8, backfill customer names" "downgrade log"
expect_eq "$(current)" "c3d4e5f6a7b8" "current after -1"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM pragma_table_info('customers') WHERE name = 'name'")" "0" "column dropped"
migrate downgrade -2 2>/dev/null
expect_eq "$(current)" "a1f0e9d8c7b6" "current after -2"
expect_eq "$(schema)" "customers orders" "schema after -2"
migrate downgrade base 2>/dev/null
expect_eq "$(current)" "" "current at base"
expect_eq "$(schema)" "" "schema at base"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM migc_version")" "0" "no version row at base"

step "relative and prefix targets"
migrate upgrade +2 2>/dev/null
expect_eq "$(current)" "a1f0e9d8c7b6" "upgrade +2"
migrate upgrade b7c 2>/dev/null
expect_eq "$(current)" "b7c8d9e0f1a2" "upgrade by prefix"
migrate upgrade a1b2c3d4e5f6 2>/dev/null
expect_eq "$(current)" "b7c8d9e0f1a2" "upgrade to an older revision does nothing"
migrate downgrade b7c8d9e0f1a2 2>/dev/null
expect_eq "$(current)" "b7c8d9e0f1a2" "downgrade to current does nothing"
migrate downgrade a1b2c3d4e5f6 2>/dev/null
expect_eq "$(current)" "a1b2c3d4e5f6" "downgrade by full id"
expect_eq "$(schema)" "customers" "schema at first revision"
migrate upgrade a1b2c3d4e5f6+3 2>/dev/null
expect_eq "$(current)" "c3d4e5f6a7b8" "upgrade rev+3"
migrate downgrade c3d4e5f6a7b8-2 2>/dev/null
expect_eq "$(current)" "a1f0e9d8c7b6" "downgrade rev-2"

step "error cases exit non-zero and change nothing"
set +e
migrate upgrade a1 2>"$work/err"; status=$?
set -e
expect_eq "$status" "1" "ambiguous prefix status"
expect_contains "$(cat "$work/err")" "a1b2c3d4e5f6" "ambiguous prefix names candidates"
expect_contains "$(cat "$work/err")" "a1f0e9d8c7b6" "ambiguous prefix names candidates"
set +e
migrate upgrade 0badc0ffee 2>"$work/err"; status=$?
set -e
expect_eq "$status" "1" "unknown revision status"
expect_contains "$(cat "$work/err")" "0badc0ffee" "unknown revision named"
set +e
migrate upgrade +10 2>"$work/err"; status=$?
set -e
expect_eq "$status" "1" "relative overrun status"
set +e
migrate downgrade d9e0f1a2b3c4 2>"$work/err"; status=$?
set -e
expect_eq "$status" "1" "downgrade to a newer revision status"
set +e
migrate downgrade -5 2>"$work/err"; status=$?
set -e
expect_eq "$status" "1" "downgrade -5 from the second revision"
expect_eq "$(current)" "a1f0e9d8c7b6" "errors changed nothing"

step "heads and history"
migrate upgrade heads 2>/dev/null
expect_eq "$(current)" "d9e0f1a2b3c4 (head)" "upgrade heads"
expect_eq "$("$cli" heads)" "d9e0f1a2b3c4 (head)" "heads"
history=$(migrate history)
expect_eq "$(echo "$history" | head -1)" "c3d4e5f6a7b8 -> d9e0f1a2b3c4 (head), backfill customer names" "history newest first"
expect_eq "$(echo "$history" | tail -1)" "<base> -> a1b2c3d4e5f6, create customers" "history ends at base"
expect_eq "$(echo "$history" | wc -l | tr -d ' ')" "5" "history lines"

step "URL from MIGC_DATABASE_URL, relative path"
mkdir -p "$work/rel"
(cd "$work/rel" && MIGC_DATABASE_URL=sqlite:///relative.db "$cli" upgrade head 2>/dev/null)
expect_eq "$(sqlite3 "$work/rel/relative.db" "SELECT version_num FROM migc_version")" "d9e0f1a2b3c4" "relative URL"
set +e
(unset MIGC_DATABASE_URL; "$cli" current 2>"$work/err"); status=$?
set -e
[ "$status" -ne 0 ] || fail "no URL must fail"
expect_contains "$(cat "$work/err")" "MIGC_DATABASE_URL" "no URL message"

step "VERSION_TABLE compiled into a command line"
"$build/shop-alembic-migrate" --url "sqlite:///$work/alembic.db" upgrade +1 2>/dev/null
expect_eq "$(sqlite3 "$work/alembic.db" "SELECT version_num FROM alembic_version")" "a1b2c3d4e5f6" "compiled-in version table"
expect_eq "$(sqlite3 "$work/alembic.db" "SELECT count(*) FROM sqlite_master WHERE name = 'migc_version'")" "0" "no default table"

step "CMake targets: -upgrade, -downgrade, -current"
target_db=$build/shop_migrations.db
cmake --build "$build" --target shop_migrations-upgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$target_db" "SELECT version_num FROM migc_version")" "d9e0f1a2b3c4" "-upgrade target"
cmake --build "$build" --target shop_migrations-downgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$target_db" "SELECT version_num FROM migc_version")" "c3d4e5f6a7b8" "-downgrade target"
expect_contains "$(cmake --build "$build" --target shop_migrations-current 2>&1)" "c3d4e5f6a7b8" "-current target"
expect_contains "$(cmake --build "$build" --target shop_migrations-history 2>&1)" "Rev: d9e0f1a2b3c4 (head)" "-history target"

step "MIGC_TARGET from the environment, for that one run (issue 15)"
MIGC_TARGET=a1b2c3d4e5f6 cmake --build "$build" --target shop_migrations-downgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$target_db" "SELECT version_num FROM migc_version")" "a1b2c3d4e5f6" "-downgrade to MIGC_TARGET"
MIGC_TARGET=+2 cmake --build "$build" --target shop_migrations-upgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$target_db" "SELECT version_num FROM migc_version")" "b7c8d9e0f1a2" "-upgrade to MIGC_TARGET"
cmake --build "$build" --target shop_migrations-upgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$target_db" "SELECT version_num FROM migc_version")" "d9e0f1a2b3c4" "MIGC_TARGET did not stick"

step "each set its own database: the second set's targets leave the first's file alone"
cmake --build "$build" --target shop_alembic-upgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$build/shop_alembic.db" "SELECT version_num FROM alembic_version")" "d9e0f1a2b3c4" "second set's own file"
expect_eq "$(sqlite3 "$target_db" "SELECT count(*) FROM sqlite_master WHERE name = 'alembic_version'")" "0" "first set's file untouched"
MIGC_DATABASE_URL="sqlite:///$work/elsewhere.db" cmake --build "$build" --target shop_migrations-upgrade >/dev/null 2>&1
expect_eq "$(sqlite3 "$work/elsewhere.db" "SELECT version_num FROM migc_version")" "d9e0f1a2b3c4" "MIGC_DATABASE_URL at build time"

step "-graph writes a .dot file, and a picture with Graphviz"
out=$(cmake --build "$build" --target shop_migrations-graph 2>&1)
expect_contains "$out" "migc: wrote $build/shop_migrations.dot" "-graph output"
expect_contains "$(cat "$build/shop_migrations.dot")" '"d9e0f1a2b3c4" -> "c3d4e5f6a7b8"' "the .dot file"
expect_lacks "$(cat "$build/shop_migrations.dot")" "Built target" "make's output in the .dot file"
if command -v dot >/dev/null; then
	expect_contains "$(head -c 300 "$build/shop_migrations.svg")" "<svg" "the picture"
fi

step "a no-op build rebuilds nothing"
out=$(cmake --build "$build" 2>&1)
expect_lacks "$out" "migc: generating" "no-op build"
expect_lacks "$out" "Building C object" "no-op build"
expect_lacks "$out" "Linking" "no-op build"

step "-revision target writes a file whose parent is the head"
MIGC_MESSAGE="add loyalty points" cmake --build "$build" --target shop_migrations-revision >/dev/null
new=$(ls "$project/versions/"*_add_loyalty_points.sql)
build_fails "a second -revision without MIGC_MESSAGE must refuse" --target shop_migrations-revision
expect_contains "$out" 'MIGC_MESSAGE="add tags" cmake --build <build dir> --target shop_migrations-revision' "the message names the way"
expect_eq "$(ls "$project/versions/"*.sql | wc -l | tr -d ' ')" "6" "no second revision written"
grep -q "^-- migc:down_revision d9e0f1a2b3c4$" "$new" || fail "new revision's parent"
new_id=$(basename "$new" | cut -d_ -f1)
[[ "$new_id" =~ ^[0-9a-f]{12}$ ]] || fail "new id $new_id"
sed -i 's/^-- migc:upgrade$/-- migc:upgrade\nALTER TABLE customers ADD COLUMN points INTEGER NOT NULL DEFAULT 0;/' "$new"
sed -i 's/^-- migc:downgrade$/-- migc:downgrade\nALTER TABLE customers DROP COLUMN points;/' "$new"
out=$(cmake --build "$build" 2>&1)
expect_contains "$out" "migc: generating" "a new revision file regenerates"
expect_lacks "$out" "GLOB mismatch" "a new revision file is no configure-time surprise"
migrate upgrade 2>/dev/null
expect_eq "$(current)" "$new_id (head)" "upgrade to the new revision"

step "editing a revision regenerates and relinks"
sleep 1
sed -i 's/^-- migc:message       add loyalty points$/-- migc:message       add loyalty points to customers/' "$new"
out=$(cmake --build "$build" 2>&1)
expect_contains "$out" "migc: generating" "edit regenerates"
expect_contains "$out" "Linking C executable shop-migrate" "edit relinks"
expect_contains "$(migrate history 2>/dev/null | head -1)" "add loyalty points to customers" "edited message compiled in"
out=$(cmake --build "$build" 2>&1)
expect_lacks "$out" "Building C object" "second build after edit is a no-op"

step "a failing revision rolls back and leaves the previous revision"
# It fails on this database's rows only (two customers, one email), so the
# build-time verification on an empty database lets it through.
sqlite3 "$db" "INSERT INTO customers (email) VALUES ('second@example.com')"
cat >"$project/versions/f00dfeed0001_broken.sql" <<SQL
-- migc:revision      f00dfeed0001
-- migc:down_revision $new_id
-- migc:message       one email for everyone

-- migc:upgrade
CREATE TABLE half_done (x INTEGER);
INSERT INTO half_done VALUES (1);

UPDATE customers SET email = 'same@example.com';

-- migc:downgrade
DROP TABLE half_done;
SQL
cmake --build "$build" >/dev/null 2>&1
set +e
migrate upgrade head 2>"$work/err"; status=$?
set -e
expect_eq "$status" "1" "failing revision exit status"
err=$(cat "$work/err")
expect_contains "$err" "f00dfeed0001" "error names the revision"
expect_contains "$err" "statement 3" "error names the statement"
expect_contains "$err" "f00dfeed0001_broken.sql:9" "error names file and line"
expect_contains "$err" "UNIQUE constraint failed: customers.email" "error carries SQLite's message"
expect_eq "$(current)" "$new_id" "database left at the revision before"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")" "0" "nothing of the failed revision"
expect_eq "$(sqlite3 "$db" "SELECT count(DISTINCT email) FROM customers")" "2" "rows untouched"

step "fixing it lets the upgrade finish"
sed -i "s/UPDATE customers SET email = 'same@example.com';/UPDATE customers SET name = 'same';/" "$project/versions/f00dfeed0001_broken.sql"
cmake --build "$build" >/dev/null 2>&1
migrate upgrade head 2>/dev/null
expect_eq "$(current)" "f00dfeed0001 (head)" "upgrade after fix"
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM half_done")" "1" "fixed revision applied once"

step "a revision whose downgrade does not restore the schema fails the build"
cat >"$project/versions/f00dfeed0002_leaky.sql" <<SQL
-- migc:revision      f00dfeed0002
-- migc:down_revision f00dfeed0001
-- migc:message       leaky downgrade

-- migc:upgrade
CREATE INDEX customers_name ON customers (name);

-- migc:downgrade
SELECT 1;
SQL
build_fails "a broken downgrade must fail the build"
expect_contains "$out" "f00dfeed0002" "verify names the revision"
expect_contains "$out" "customers_name" "verify names the object"
rm "$project/versions/f00dfeed0002_leaky.sql"

step "removing a revision file regenerates"
migrate downgrade -1 2>/dev/null
rm "$project/versions/f00dfeed0001_broken.sql"
out=$(cmake --build "$build" 2>&1)
expect_contains "$out" "migc: generating" "removal regenerates"
expect_eq "$("$cli" heads)" "$new_id (head)" "heads after removal"

step "-autogenerate and -check targets against a declared schema"
fresh=$work/fresh.db
"$cli" --url "sqlite:///$fresh" upgrade head 2>/dev/null
{
	sqlite3 "$fresh" "SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL
	  AND name NOT LIKE 'migc_%' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
	echo "CREATE TABLE coupons (code TEXT PRIMARY KEY, percent INTEGER NOT NULL CHECK (percent BETWEEN 1 AND 100));"
} >"$project/schema.sql"
build_fails "-check must fail while the declared schema has a change" --target shop_migrations-check
expect_contains "$out" "coupons" "-check names the difference"
expect_contains "$out" 'write the revision with MIGC_MESSAGE="add tags" cmake --build <build dir> --target shop_migrations-autogenerate' "-check's hint"
MIGC_MESSAGE="add coupons" cmake --build "$build" --target shop_migrations-autogenerate >/dev/null
auto=$(ls "$project/versions/"*_add_coupons.sql)
grep -q "CREATE TABLE coupons" "$auto" || fail "autogenerated upgrade"
grep -q "DROP TABLE coupons" "$auto" || fail "autogenerated downgrade"
cmake --build "$build" --target shop_migrations-check >/dev/null 2>&1 || fail "-check after autogenerate"
cmake --build "$build" >/dev/null 2>&1
migrate upgrade head 2>/dev/null
expect_eq "$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'coupons'")" "1" "autogenerated revision applied"

step "SINGLE_HEAD: a second head fails the build"
cat >"$project/versions/f00dfeed0003_side_branch.sql" <<SQL
-- migc:revision      f00dfeed0003
-- migc:down_revision d9e0f1a2b3c4
-- migc:message       side branch

-- migc:upgrade
CREATE TABLE side (x INTEGER);

-- migc:downgrade
DROP TABLE side;
SQL
build_fails "two heads must fail a SINGLE_HEAD set's build"
expect_contains "$out" "migc: error: 2 heads (" "SINGLE_HEAD error"
expect_contains "$out" "f00dfeed0003" "SINGLE_HEAD error names the heads"
expect_contains "$out" "join them with 'migc merge -m MESSAGE heads'" "SINGLE_HEAD error says what to do"
rm "$project/versions/f00dfeed0003_side_branch.sql"
cmake --build "$build" >/dev/null 2>&1 || fail "the build after removing the branch"

echo "downstream ($mode): all checks passed"
