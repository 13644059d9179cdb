#!/usr/bin/env bash
# alembic_walk.sh DATA_DIR WORK_DIR GRAPH=CLI...
# Issue 19: branchy graphs (tests/data/walk) walked by migc's compiled
# command lines and by Alembic 1.8.1 side by side, live; alembic_walk.py
# says what is compared. Runs it with the Python that Debian's `alembic`
# runs with (the one that has alembic and SQLAlchemy), whatever python3
# comes first on PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
alembic=$(command -v alembic) || fail "alembic is needed (Debian's alembic 1.8.1: scripts/setup-debian.sh installs it)"
python=$(head -n 1 "$alembic" | sed -E 's/^#! *//; s/ .*//')
"$python" -c 'import alembic' 2>/dev/null || python=python3
exec "$python" "$here/alembic_walk.py" "$@"
