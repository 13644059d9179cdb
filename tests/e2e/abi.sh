#!/usr/bin/env bash
# abi.sh SOURCE_DIR BUILD_DIR WORK_DIR
# The sizes in migc.h (MIGC_ERROR_MESSAGE_SIZE, MIGC_MAX_HEADS,
# MIGC_REVISION_ID_MAX, MIGC_MAX_REVISIONS) set the layout of structs the
# caller allocates. A set compiled with other sizes than its runtime must
# fail to link, naming the runtime's ABI symbol; the runtime's build must
# hand its sizes to consumers (CMake after add_subdirectory and after
# find_package, and pkg-config); and a set over a limit must fail to
# compile, naming the macro. BUILD_DIR is a built tree of migc (the tests').
set -euo pipefail
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$3
cc=${CC:-cc}
# A sanitized build's libraries need the same flags where they are linked.
read -r -a extra <<<"${MIGC_E2E_C_FLAGS:-}"

rm -rf "$work"
mkdir -p "$work/gen"
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

migc=$build/generator/migc
library=$build/runtime/libmigc.a
include=$src/runtime/include
abi=$(sed -n 's/^#define MIGC_ABI_VERSION \([0-9]*\)$/\1/p' "$include/migc.h")
"$migc" generate --versions "$src/tests/e2e/downstream/versions" \
	--name shop_migrations --dialect sqlite --output-dir "$work/gen" >/dev/null
revisions=$(ls "$src/tests/e2e/downstream/versions"/*.sql | wc -l)

# main.c refuses to compile unless the build handed it the sizes: migc.h's
# defaults must not be what makes it work.
cat >"$work/main.c" <<'EOF'
#if !defined(MIGC_ERROR_MESSAGE_SIZE) || !defined(MIGC_MAX_HEADS) ||           \
	!defined(MIGC_MAX_REVISIONS) || !defined(MIGC_REVISION_ID_MAX)
#error "the runtime's sizes were not passed to this compilation"
#endif
#include "shop_migrations.h"
#include <stdio.h>
int main(void)
{
	migc_error error;
	printf("%s %u %u\n", shop_migrations.name,
	       (unsigned)shop_migrations.revision_count,
	       (unsigned)sizeof error.message);
	return 0;
}
EOF

step "pkg-config: migc.pc's Cflags carry the runtime's sizes"
pc_cflags=$(PKG_CONFIG_PATH=$build pkg-config --cflags migc)
for macro in MIGC_ERROR_MESSAGE_SIZE MIGC_MAX_HEADS MIGC_REVISION_ID_MAX MIGC_MAX_REVISIONS; do
	expect_contains "$pc_cflags" "-D$macro=" "pkg-config --cflags migc"
done
sizes=()
for flag in $pc_cflags; do
	case $flag in -DMIGC_*) sizes+=("$flag") ;; esac
done
value() { printf '%s\n' "${sizes[@]}" | sed -n "s/^-D$1=//p"; }
heads=$(value MIGC_MAX_HEADS)
max_revisions=$(value MIGC_MAX_REVISIONS)
message_size=$(value MIGC_ERROR_MESSAGE_SIZE)
symbol=migc_abi_${abi}_e${message_size}_h${heads}_i32_r${max_revisions}
[[ "$(nm "$library")" == *" R $symbol"* ]] || fail "$library does not define $symbol"

step "the normal path links: the set compiled with the runtime's sizes"
"$cc" ${extra[@]+"${extra[@]}"} -std=c99 -Wall -Wextra -Werror "${sizes[@]}" -I"$include" -I"$work/gen" \
	"$work/main.c" "$work/gen/shop_migrations.c" "$library" -o "$work/app"
out=$("$work/app")
[ "$out" = "shop_migrations $revisions $message_size" ] || fail "app printed [$out]"

step "a set compiled with MIGC_ERROR_MESSAGE_SIZE=64 does not link"
wrong=()
for flag in "${sizes[@]}"; do
	case $flag in -DMIGC_ERROR_MESSAGE_SIZE=*) wrong+=(-DMIGC_ERROR_MESSAGE_SIZE=64) ;; *) wrong+=("$flag") ;; esac
done
if "$cc" ${extra[@]+"${extra[@]}"} -std=c99 "${wrong[@]}" -I"$include" -I"$work/gen" "$work/main.c" \
	"$work/gen/shop_migrations.c" "$library" -o "$work/app-wrong" 2>"$work/link.err"; then
	fail "a set with MIGC_ERROR_MESSAGE_SIZE=64 linked against a runtime built with $message_size"
fi
expect_contains "$(cat "$work/link.err")" \
	"undefined reference to \`migc_abi_${abi}_e64_h${heads}_i32_r${max_revisions}'" "link error"
# Optimizing linkers keep the reference too.
if "$cc" ${extra[@]+"${extra[@]}"} -std=c99 -O2 -flto -ffunction-sections -fdata-sections -Wl,--gc-sections \
	"${wrong[@]}" -I"$include" -I"$work/gen" "$work/main.c" \
	"$work/gen/shop_migrations.c" "$library" -o "$work/app-wrong" 2>"$work/link.err"; then
	fail "with -flto and --gc-sections, a set with MIGC_ERROR_MESSAGE_SIZE=64 linked"
fi
expect_contains "$(cat "$work/link.err")" "migc_abi_${abi}_e64_h${heads}_i32_r${max_revisions}" \
	"link error with -flto --gc-sections"

step "a set over MIGC_MAX_REVISIONS or MIGC_MAX_HEADS does not compile"
if "$cc" ${extra[@]+"${extra[@]}"} -std=c99 -DMIGC_MAX_REVISIONS=$((revisions - 1)) -I"$include" \
	-c "$work/gen/shop_migrations.c" -o "$work/set.o" 2>"$work/compile.err"; then
	fail "a set of $revisions revisions compiled with MIGC_MAX_REVISIONS=$((revisions - 1))"
fi
expect_contains "$(cat "$work/compile.err")" \
	"shop_migrations has $revisions revisions, more than MIGC_MAX_REVISIONS" "compile error"
mkdir -p "$work/branchy"
"$migc" generate --versions "$src/tests/data/branchy/versions" --name branchy \
	--dialect sqlite --output-dir "$work/branchy" >/dev/null
if "$cc" ${extra[@]+"${extra[@]}"} -std=c99 -DMIGC_MAX_HEADS=1 -I"$include" -c "$work/branchy/branchy.c" \
	-o "$work/branchy.o" 2>"$work/compile.err"; then
	fail "a set with several heads compiled with MIGC_MAX_HEADS=1"
fi
expect_contains "$(cat "$work/compile.err")" "more than MIGC_MAX_HEADS" "compile error"

step "add_subdirectory: a runtime built with MIGC_ERROR_MESSAGE_SIZE=200 hands it on"
mkdir -p "$work/sub"
cat >"$work/sub/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.21)
project(sub C)
set(MIGC_CORE_ONLY ON CACHE BOOL "" FORCE)
add_subdirectory("$src" migc)
add_executable(app "$work/main.c" "$work/gen/shop_migrations.c")
target_include_directories(app PRIVATE "$work/gen")
target_link_libraries(app PRIVATE migc::runtime)
EOF
cmake -S "$work/sub" -B "$work/sub/build" -DCMAKE_C_COMPILER="$cc" \
	-DCMAKE_C_FLAGS="${MIGC_E2E_C_FLAGS:-}" -DCMAKE_EXE_LINKER_FLAGS="${MIGC_E2E_C_FLAGS:-}" \
	-DMIGC_ERROR_MESSAGE_SIZE=200 >/dev/null
cmake --build "$work/sub/build" >"$work/sub/build.log" 2>&1 ||
	{ cat "$work/sub/build.log"; fail "add_subdirectory consumer did not build"; }
out=$("$work/sub/build/app")
[ "$out" = "shop_migrations $revisions 200" ] || fail "add_subdirectory app printed [$out]"

step "find_package: the installed migc::runtime hands its sizes on"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
mkdir -p "$work/pkg"
cp -r "$src/tests/e2e/downstream/versions" "$work/pkg/versions"
cp "$work/main.c" "$work/pkg/main.c"
cat >"$work/pkg/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.21)
project(pkg C)
find_package(migc REQUIRED)
migc_add_migrations(shop_migrations VERSIONS versions VERIFY OFF)
add_executable(app main.c)
target_link_libraries(app PRIVATE shop_migrations)
EOF
cmake -S "$work/pkg" -B "$work/pkg/build" -DCMAKE_C_COMPILER="$cc" \
	-DCMAKE_C_FLAGS="${MIGC_E2E_C_FLAGS:-}" -DCMAKE_EXE_LINKER_FLAGS="${MIGC_E2E_C_FLAGS:-}" \
	-DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/pkg/build" >"$work/pkg/build.log" 2>&1 ||
	{ cat "$work/pkg/build.log"; fail "find_package consumer did not build"; }
out=$("$work/pkg/build/app")
[ "$out" = "shop_migrations $revisions $message_size" ] || fail "find_package app printed [$out]"
echo "abi: sizes travel with the runtime, mismatches fail the build"
