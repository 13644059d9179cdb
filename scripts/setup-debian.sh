#!/usr/bin/env bash
# setup-debian.sh [example]: installs what building and testing migc needs
# on Debian (with "example": only what the example needs), and nothing when
# it is all there already.
set -euo pipefail

packages=(cmake make gcc re2c pkg-config libsqlite3-dev)
if [ "${1:-}" != example ]; then
	# clang without recommends lacks its sanitizer and libFuzzer runtimes:
	# libclang-rt-14-dev brings them for bookworm's clang 14.
	packages+=(clang libclang-rt-14-dev check sqlite3 postgresql libpq-dev gcc-arm-none-eabi
		libnewlib-arm-none-eabi gcc-riscv64-unknown-elf strace valgrind python3)
	# SQLCipher (SQLite 3.15.2) and its shell: a project's own SQLite
	# (tests/e2e/own_sqlite.sh).
	packages+=(libsqlcipher-dev sqlcipher)
	# Alembic itself, which migc import runs for an Alembic project's
	# offline SQL, and its PostgreSQL driver (tests/e2e/import.sh).
	packages+=(alembic python3-psycopg2)
	# PostgreSQL's parser for the generator's PostgreSQL sets (libpg_query)
	packages+=(libpg-query-dev)
	# ... whose parse tree it reads through protobuf-c's header
	packages+=(libprotobuf-c-dev)
	packages+=(g++) # tests/e2e/install.sh: a C++-only project using migc
	packages+=(graphviz) # tests/e2e/downstream.sh: the -graph target's picture
	packages+=(groff-base) # tests/e2e/manuals.sh: the manual pages render
	# The firmware images run under QEMU (firmware/qemu.sh): Cortex-M4 and RV64.
	packages+=(qemu-system-arm)
	packages+=(qemu-system-misc)
	# PgBouncer: fleets booting through a pooler (tests/e2e/pgbouncer.sh).
	packages+=(pgbouncer)
fi
missing=()
for package in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "setup: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
