#!/usr/bin/env bash
# cli_libraries.sh SQLITE_CLI WORK_DIR [POSTGRESQL_CLI]
# Issue 12: the command line migc_add_migrations() generates links its
# set's driver only. A SQLite set's loads no libpq (nor OpenSSL, Kerberos,
# LDAP... that libpq brings) as the dynamic loader runs it, still works on
# its files, and refuses a PostgreSQL URL naming what it was built without.
# A PostgreSQL set's command line, when given, shows that the check sees
# libpq where it is.
set -euo pipefail
cli=$1
work=$2
pg_cli=${3:-}
rm -rf "$work"
mkdir -p "$work"
cd "$work"

fail() { echo "FAIL: $*"; exit 1; }
# The shared objects the loader maps for a run of "$@", one a line.
loaded() { LD_DEBUG=libs "$@" 2>&1 >/dev/null | sed -n 's/.*calling init: //p' | sort -u; }

echo "--- the SQLite set's command line"
libs=$(loaded "$cli" --help)
echo "$libs"
echo "$(echo "$libs" | wc -l) shared objects"
echo "$libs" | grep 'libsqlite3' >/dev/null || fail "the loader listing shows no libsqlite3: the check sees nothing"
if echo "$libs" | grep 'libpq' >/dev/null; then fail "a SQLite set's command line loads libpq"; fi
if ldd "$cli" | grep 'libpq' >/dev/null; then fail "a SQLite set's command line needs libpq (ldd)"; fi

"$cli" --url "sqlite:///$work/app.db" upgrade head 2>/dev/null
[ -n "$("$cli" --url "sqlite:///$work/app.db" current)" ] || fail "current after upgrade head is empty"
set +e
"$cli" --url postgresql://127.0.0.1:1/app current >out 2>err
status=$?
set -e
[ "$status" = 1 ] || fail "a PostgreSQL URL: exit $status, expected 1"
grep -q "this program was built without PostgreSQL support" err || fail "a PostgreSQL URL: $(cat err)"

if [ -n "$pg_cli" ]; then
	echo "--- the PostgreSQL set's command line"
	libs=$(loaded "$pg_cli" --help)
	echo "$libs" | grep 'libpq' >/dev/null || fail "the PostgreSQL set's command line shows no libpq: the check sees nothing"
	if echo "$libs" | grep 'libsqlite3' >/dev/null; then fail "a PostgreSQL set's command line loads libsqlite3"; fi
fi
echo "cli_libraries: all checks passed"
