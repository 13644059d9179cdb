#!/usr/bin/env bash
# run-example.sh: sets up a fresh Debian machine, builds migc and the example
# journal app, and runs it: the first boot migrates a new SQLite database to
# head, later boots find nothing to do and the app does its work.
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
echo "== the migration command line compiled with the same revisions"
"$cli" --url "sqlite:///$db" current
"$cli" --url "sqlite:///$db" history
