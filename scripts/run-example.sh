#!/usr/bin/env bash
# run-example.sh: sets up a fresh Debian machine, builds migc and the example
# journal app, and runs it: the first boot migrates a new SQLite database to
# head, later boots find nothing to do and the app does its work; then a
# revision file and the C it became, a downgrade and the --sql script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup-debian.sh" example

build=${MIGC_EXAMPLE_BUILD_DIR:-$root/build-example}
cmake -S "$root" -B "$build" -DMIGC_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

app=$build/examples/app/journal
cli=$build/examples/app/journal-migrate
db=$build/journal.db
rm -f "$db"

echo "== first boot: the app migrates its new database"
"$app" "$db" add ada@example.com "Notes on the engine" math engines
echo "== later boots: nothing pending"
"$app" "$db" add grace@example.com "A compiler for the rest of us" compilers
"$app" "$db" add ada@example.com "Bernoulli numbers" math
"$app" "$db" list
echo "== a revision file (versions/9d0e1f2a3b4c_create_tags.sql), and what migc compiled it into"
cat "$root/versions/9d0e1f2a3b4c_create_tags.sql"
generated=$build/examples/app/migc/journal_migrations/journal_migrations.c
echo "   ... $generated:"
sed -n '/^\/\* 9d0e1f2a3b4c_create_tags.sql \*\//,/^};/p' "$generated"
echo "== the migration command line compiled with the same revisions"
"$cli" --url "sqlite:///$db" current
"$cli" --url "sqlite:///$db" history
echo "== downgrade -1, then upgrade again (the log goes to stderr)"
"$cli" --url "sqlite:///$db" downgrade -1 2>&1
"$cli" --url "sqlite:///$db" current
"$cli" --url "sqlite:///$db" upgrade 2>&1
echo "== the SQL script of the last revision for a DBA, without a database (--sql)"
"$cli" upgrade e1f2a3b4c5d6:head --sql
