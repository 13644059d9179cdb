#!/usr/bin/env bash
# install.sh SOURCE_DIR WORK_DIR
# Issue 15's install and link items, as a new user meets them: migc
# configured with a plain `cmake -S . -B build` where the tests' Check is
# missing, installed with `cmake --install --prefix P`, the prefix then
# moved; pkg-config and a plain Makefile build a SQLite app and its command
# line with no libpq; find_package(migc COMPONENTS sqlite) needs no libpq,
# a component that cannot be had says why; a C++-only project links.
set -euo pipefail
src=$(cd "$1" && pwd)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work_dir "$2"
cd "$work"
versions=$src/tests/e2e/downstream/versions
# CMake's messages as one line (it wraps them).
flat() { tr -s ' \n' '  ' <<<"$1"; }

# What pkg-config sees: pc-libpq has SQLite and libpq but no Check (the
# tests' library is missing, the PostgreSQL driver still built); pc-sqlite
# has SQLite alone, as on a machine without libpq-dev.
# pkg_view DIR EXCLUDED...: DIR shows the system's .pc files but those named.
pkg_view() {
	local dir=$work/$1 path file
	shift
	mkdir "$dir"
	IFS=: read -r -a path <<<"$(pkg-config --variable pc_path pkg-config)"
	for file in $(for d in "${path[@]}"; do [ -d "$d" ] && ls "$d"/*.pc 2>/dev/null; done); do
		[[ " $* " == *" $(basename "$file" .pc) "* ]] || ln -sf "$file" "$dir/"
	done
}
pkg_view pc-libpq check
pkg_view pc-sqlite check libpq
[ -e "$work/pc-libpq/libpq.pc" ] && [ -e "$work/pc-sqlite/sqlite3.pc" ] || fail "no libpq.pc or sqlite3.pc to show"

step "a plain configure without Check builds migc, saying the tests are left out"
capture env PKG_CONFIG_LIBDIR="$work/pc-libpq" cmake -S "$src" -B "$work/migc-build" \
	-DMIGC_BUILD_EXAMPLE=OFF -DCMAKE_INSTALL_PREFIX=/usr/local
[ "$status" = 0 ] || fail "configure without Check: $err"
expect_contains "$(flat "$err")" "the tests are not built, for want of Check" "the configure message"
capture env PKG_CONFIG_LIBDIR="$work/pc-libpq" cmake -S "$src" -B "$work/strict-build" \
	-DMIGC_BUILD_TESTS=ON
[ "$status" != 0 ] || fail "MIGC_BUILD_TESTS=ON without Check must fail"
expect_contains "$(flat "$err")" "MIGC_BUILD_TESTS is ON, and the tests need Check" "the strict message"
expect_contains "$err" "-DMIGC_BUILD_TESTS=OFF" "the strict message names the way out"
cmake --build "$work/migc-build" -j2 >/dev/null
[ -e "$work/migc-build/runtime/libmigc_postgresql.a" ] || fail "the PostgreSQL driver was not built"

step "install into a prefix given at install time, then move it"
cmake --install "$work/migc-build" --prefix "$work/staged" >/dev/null
mv "$work/staged" "$work/prefix"
prefix=$work/prefix
pcdir=$(dirname "$(find "$prefix" -name migc.pc | head -1)")
pc() { PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_LIBDIR="$work/pc-libpq" pkg-config "$@"; }
for name in migc migc-sqlite migc-postgresql migc-cli-sqlite migc-cli-postgresql migc-cli; do
	[ -e "$pcdir/$name.pc" ] || fail "no $name.pc installed"
done

step "pkg-config gives the moved prefix's paths"
flags=$(pc --cflags --libs migc-sqlite)
expect_lacks "$flags" "/usr/local" "pkg-config migc-sqlite"
include=$(pc --variable=includedir migc)
libdir=$(pc --variable=libdir migc)
expect_eq "$(cd "$include" && pwd -P)" "$(cd "$prefix/include" && pwd -P)" "includedir"
[ -e "$libdir/libmigc.a" ] || fail "libdir $libdir holds no libmigc.a"
expect_contains "$flags" "-I${include%/}" "pkg-config --cflags migc-sqlite"
expect_contains "$flags" "-L${libdir%/}" "pkg-config --libs migc-sqlite"
cli_libs=$(pc --libs migc-cli-sqlite)
expect_contains "$cli_libs" "-lmigc_cli_sqlite" "pkg-config --libs migc-cli-sqlite"
expect_lacks "$cli_libs" "-lpq" "the SQLite command line's libraries"
expect_contains "$(pc --libs migc-cli-postgresql)" "-lpq" "the PostgreSQL command line's libraries"

step "a plain Makefile builds an app and its command line with pkg-config"
mkdir "$work/make"
cp -r "$versions" "$work/make/versions"
cat >"$work/make/cli.c" <<'EOF'
#include "todo_migrations.h"
#include "migc_cli.h"
#include <stddef.h>
static const migc_cli_driver *const drivers[] = {&migc_cli_sqlite, NULL};
int main(int argc, char **argv)
{
	return migc_cli_main_drivers(&todo_migrations, NULL, drivers, argc, argv);
}
EOF
cp "$src/tests/e2e/downstream/main.c" "$work/make/app.c"
sed -i 's/shop_migrations/todo_migrations/g' "$work/make/app.c"
cat >"$work/make/Makefile" <<EOF
MIGC = $prefix/bin/migc
CFLAGS += -std=c99 -Wall -Wextra -Werror -I. \$(shell pkg-config --cflags migc-cli-sqlite)
all: todo todo-migrate
todo_migrations.c todo_migrations.h: \$(wildcard versions/*.sql)
	\$(MIGC) generate --versions versions --name todo_migrations --dialect sqlite --output-dir .
app.o cli.o: todo_migrations.h
todo: app.o todo_migrations.o
	\$(CC) -o \$@ \$^ \$(shell pkg-config --libs migc-sqlite)
todo-migrate: cli.o todo_migrations.o
	\$(CC) -o \$@ \$^ \$(shell pkg-config --libs migc-cli-sqlite)
EOF
(cd "$work/make" && PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_LIBDIR="$work/pc-sqlite" make -s >/dev/null) ||
	fail "the Makefile project does not build"
"$work/make/todo-migrate" --url "sqlite:///$work/make/todo.db" upgrade head 2>/dev/null
expect_eq "$("$work/make/todo-migrate" --url "sqlite:///$work/make/todo.db" current)" \
	"d9e0f1a2b3c4 (head)" "the Makefile's command line migrates"
expect_eq "$("$work/make/todo" "$work/make/todo.db")" "customers: 1" "the Makefile's app"
if ldd "$work/make/todo-migrate" | grep libpq >/dev/null; then fail "the SQLite command line needs libpq"; fi

# A downstream CMake project: $1 its languages, $2 the find_package line.
cmake_project() {
	local dir=$work/$3
	mkdir -p "$dir"
	cp -r "$versions" "$dir/versions"
	cat >"$dir/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.21)
project(todo LANGUAGES $1)
$2
migc_add_migrations(todo_migrations VERSIONS versions DIALECT sqlite CLI todo-migrate)
add_executable(todo main.${4:-c})
target_link_libraries(todo PRIVATE todo_migrations)
EOF
	cp "$work/make/app.c" "$dir/main.${4:-c}"
}

step "find_package(migc 0.1 REQUIRED COMPONENTS sqlite) without libpq"
cmake_project C "find_package(migc 0.1 REQUIRED COMPONENTS sqlite)" sqlite-only
capture env PKG_CONFIG_LIBDIR="$work/pc-sqlite" cmake -S "$work/sqlite-only" -B "$work/sqlite-only/build" \
	-DCMAKE_PREFIX_PATH="$prefix"
[ "$status" = 0 ] || fail "COMPONENTS sqlite without libpq: $err"
cmake --build "$work/sqlite-only/build" -j2 >/dev/null
expect_eq "$("$work/sqlite-only/build/todo" "$work/sqlite-only/todo.db")" "customers: 1" "the SQLite-only app"

step "a component that cannot be had says why"
cmake_project C "find_package(migc 0.1 REQUIRED COMPONENTS sqlite postgresql)" with-pg
capture env PKG_CONFIG_LIBDIR="$work/pc-sqlite" cmake -S "$work/with-pg" -B "$work/with-pg/build" \
	-DCMAKE_PREFIX_PATH="$prefix"
[ "$status" != 0 ] || fail "COMPONENTS postgresql without libpq must fail"
expect_contains "$(flat "$err")" "component postgresql: the PostgreSQL driver needs libpq" "the reason"
cmake_project C "find_package(migc 0.1 REQUIRED COMPONENTS sqlit)" typo
capture cmake -S "$work/typo" -B "$work/typo/build" -DCMAKE_PREFIX_PATH="$prefix"
[ "$status" != 0 ] || fail "an unknown component must fail"
expect_contains "$(flat "$err")" "component sqlit: unknown; the components are runtime, sqlite, postgresql and cli" "the reason"
capture env PKG_CONFIG_LIBDIR="$work/pc-libpq" cmake -S "$work/with-pg" -B "$work/with-pg/build2" \
	-DCMAKE_PREFIX_PATH="$prefix"
[ "$status" = 0 ] || fail "COMPONENTS postgresql with libpq: $err"

step "a C++-only project links"
cmake_project CXX "find_package(migc 0.1 REQUIRED COMPONENTS sqlite)" cxx cpp
capture cmake -S "$work/cxx" -B "$work/cxx/build" -DCMAKE_PREFIX_PATH="$prefix"
[ "$status" = 0 ] || fail "a C++ project: $err"
capture cmake --build "$work/cxx/build" -j2
[ "$status" = 0 ] || fail "a C++ project does not build: $out $err"
expect_eq "$("$work/cxx/build/todo" "$work/cxx/todo.db")" "customers: 1" "the C++ app"
"$work/cxx/build/todo-migrate" --url "sqlite:///$work/cxx/todo.db" current >/dev/null

echo "install: all checks passed"
