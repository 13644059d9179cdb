#!/usr/bin/env bash
# own_sqlite.sh MODE SOURCE_DIR WORK_DIR
# A project that gives migc its own SQLite (issue 21), through the downstream
# project tests/e2e/own_sqlite with add_subdirectory:
#   sqlcipher  MIGC_SQLITE_TARGET names SQLCipher's pkg-config target (SQLite
#              3.15.2 on bookworm, the oldest SQLite the runtime supports):
#              the app keys its database (PRAGMA key) and migrates it up, one
#              step down and up again; the file is then unreadable without
#              the key, and the generated command line runs its verbs on a
#              plain file with the same library
#   static     the project's own SQLite::SQLite3, a static library, is used
#              as it is: the app and the command line carry SQLite inside
#              and load no libsqlite3, while the generator, which runs on the
#              build host, keeps the host's
set -euo pipefail

mode=$1
src=$(cd "$2" && pwd)
extra_flags=${MIGC_E2E_C_FLAGS:-}

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail_context() { echo " (own sqlite: $mode)"; }
work_dir "$3"
build=$work/build
vault=$build/vault
cli=$build/vault-migrate

step "configure and build the downstream project"
cmake -S "$src/tests/e2e/own_sqlite" -B "$build" -DVAULT_SQLITE="$mode" \
	-DMIGC_SOURCE_DIR="$src" -DCMAKE_C_FLAGS="$extra_flags" \
	-DCMAKE_EXE_LINKER_FLAGS="$extra_flags" >"$work/configure.log" 2>&1 ||
	{ cat "$work/configure.log"; fail "configure"; }
cmake --build "$build" -j2 --target vault vault-migrate \
	>"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "build"; }

libraries() { ldd "$1" | awk '{print $1}' | tr '\n' ' '; }
# what an installed .pc file of migc's makes pkg-config link besides
pc_requires() { sed -n 's/^Requires: *//p' "$build/migc/$1.pc"; }
head=2b3c4d5e6f7a
first=1a2b3c4d5e6f
cd "$work"

if [ "$mode" = sqlcipher ]; then
	step "the app and the command line link SQLCipher, not SQLite"
	for program in "$vault" "$cli"; do
		linked=$(libraries "$program")
		expect_contains "$linked" libsqlcipher "$program"
		expect_lacks "$linked" libsqlite3 "$program"
	done
	step "an encrypted database migrated up, down one, up again"
	db=$work/vault.db
	capture "$vault" "$db" s3cret upgrade
	expect_eq "$status:$out" "0:sqlite 3.15.2 current $head" "upgrade"
	capture "$vault" "$db" s3cret downgrade
	expect_eq "$status:$out" "0:sqlite 3.15.2 current $first" "downgrade -1"
	capture "$vault" "$db" s3cret upgrade
	expect_eq "$status:$out" "0:sqlite 3.15.2 current $head" "upgrade again"
	step "unreadable without the key, and with another"
	capture "$vault" "$db" "" current
	expect_eq "$status" 1 "no key"
	expect_contains "$err" "not a database" "no key"
	capture "$vault" "$db" wrong current
	expect_eq "$status" 1 "wrong key"
	capture sqlite3 "$db" "SELECT count(*) FROM sqlite_master"
	[ "$status" -ne 0 ] || fail "the host's sqlite3 read the encrypted file"
	if grep -q "CREATE TABLE secrets" "$db"; then
		fail "the schema is in the file in clear"
	fi
	step "the key opens it: the rows are there"
	rows=$(printf "PRAGMA key = 's3cret';\nSELECT name || '=' || value || '@' || owner FROM secrets;\n" |
		sqlcipher "$db" | tail -1)
	expect_eq "$rows" "door=1234@ops" "rows read with the key (sqlcipher shell)"
	step "the pkg-config file asks for SQLCipher, not SQLite"
	expect_eq "$(pc_requires migc-sqlite)" "migc sqlcipher" "migc-sqlite.pc"
	plain=sqlite:///$work/plain.db
elif [ "$mode" = static ]; then
	step "the app and the command line carry SQLite inside"
	for program in "$vault" "$cli"; do
		expect_lacks "$(libraries "$program")" libsqlite3 "$program"
	done
	step "the generator keeps the host's SQLite"
	expect_contains "$(libraries "$build/migc/generator/migc")" libsqlite3 \
		"the generator"
	db=$work/vault.db
	capture "$vault" "$db" "" upgrade
	expect_contains "$status:$out" "0:sqlite " "upgrade"
	expect_contains "$out" "current $head" "upgrade"
	capture "$vault" "$db" "" downgrade
	expect_contains "$status:$out" "current $first" "downgrade -1"
	step "the pkg-config file asks for no SQLite: the project links its own"
	expect_eq "$(pc_requires migc-sqlite)" "migc" "migc-sqlite.pc"
	plain=sqlite:///$work/plain.db
else
	echo "usage: own_sqlite.sh sqlcipher|static SOURCE_DIR WORK_DIR" >&2
	exit 2
fi

step "the generated command line's verbs on a plain file"
capture "$cli" --url "$plain" upgrade head
expect_eq "$status" 0 "upgrade head: $err"
capture "$cli" --url "$plain" current
expect_contains "$out" "$head" "current"
capture "$cli" --url "$plain" history
expect_contains "$out" "$first -> $head" "history"
capture "$cli" --url "$plain" downgrade base
expect_eq "$status" 0 "downgrade base: $err"
capture "$cli" --url "$plain" stamp head
expect_eq "$status" 0 "stamp head: $err"
capture "$cli" --url "$plain" current
expect_contains "$out" "$head" "current after stamp"
echo "PASS own_sqlite $mode"
