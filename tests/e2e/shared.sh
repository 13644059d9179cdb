#!/usr/bin/env bash
# shared.sh SOURCE_DIR WORK_DIR
# Issue 15: a shared-library build (BUILD_SHARED_LIBS=ON) exports the
# public API only, through MIGC_EXPORT (migc.h), and an installed prefix
# of it serves a find_package project and pkg-config (-DMIGC_SHARED).
set -euo pipefail
src=$(cd "$1" && pwd)
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work_dir "$2"
cd "$work"

step "build and install migc as shared libraries"
cmake -S "$src" -B build -DBUILD_SHARED_LIBS=ON -DMIGC_BUILD_TESTS=OFF \
	-DMIGC_BUILD_EXAMPLE=OFF >/dev/null
cmake --build build -j2 >/dev/null
cmake --install build --prefix "$work/prefix" >/dev/null
lib=$(find "$work/prefix" -name libmigc.so | head -1)
[ -n "$lib" ] || fail "no libmigc.so installed"

step "the runtime exports what migc.h and migc_driver.h declare, nothing else"
exported=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDRB]$/ {print $3}' | sort)
declared=$(cat "$src"/runtime/include/migc.h "$src"/runtime/include/migc_driver.h \
	"$src"/runtime/include/migc_text.h | tr '\n' ' ' |
	grep -o 'MIGC_EXPORT [^;(]*[(;]' | sed 's/[(;]$//; s/.*[ *]//' | sort -u)
for symbol in $exported; do
	case $symbol in migc_abi_*) continue ;; esac
	grep -qx "$symbol" <<<"$declared" || fail "libmigc.so exports $symbol, which no public header declares"
done
for symbol in migc_upgrade migc_downgrade migc_current migc_version; do
	grep -qx "$symbol" <<<"$exported" || fail "libmigc.so does not export $symbol"
done

step "pkg-config says MIGC_SHARED"
expect_contains "$(PKG_CONFIG_PATH=$(dirname "$lib")/pkgconfig pkg-config --cflags migc)" "-DMIGC_SHARED" "pkg-config --cflags migc"

step "a find_package project links the shared libraries and migrates"
mkdir project
cp -r "$src/tests/e2e/downstream/versions" project/
cp "$src/tests/e2e/downstream/main.c" project/
cat >project/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.21)
project(shop C)
find_package(migc 0.1 REQUIRED COMPONENTS sqlite)
migc_add_migrations(shop_migrations VERSIONS versions CLI shop-migrate)
add_executable(shop main.c)
target_link_libraries(shop PRIVATE shop_migrations)
CMAKE
cmake -S project -B project/build -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build project/build -j2 >/dev/null
ldd project/build/shop | grep "libmigc.so" >/dev/null || fail "the app does not load libmigc.so"
expect_eq "$(project/build/shop "$work/shop.db")" "customers: 1" "the app on the shared runtime"
expect_eq "$(project/build/shop-migrate --url "sqlite:///$work/shop.db" current)" "d9e0f1a2b3c4 (head)" "the command line on the shared runtime"

echo "shared: all checks passed"
