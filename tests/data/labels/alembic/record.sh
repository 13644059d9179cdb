#!/usr/bin/env bash
# record.sh: rewrites ../expected/ from Alembic 1.8.1 run on the same graph
# (needs alembic and sqlite3; the test suite only reads what this wrote).
# The versions become an Alembic project (mkproject.py) whose directory is
# listed in file-name order, as migc reads it (os.listdir's order is the
# file system's); PYTHONHASHSEED fixes the order of Alembic's sets.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(dirname "$here")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PYTHONHASHSEED=0
python3 "$here/mkproject.py" "$data/versions" "$work/project"
cat >"$work/alembic" <<'PY'
#!/usr/bin/python3
import os, sys
_listdir = os.listdir
os.listdir = lambda path=".": sorted(_listdir(path))
from alembic.config import main
sys.exit(main(prog="alembic"))
PY
chmod +x "$work/alembic"
cd "$work/project"
# shellcheck source=../../../e2e/labels-common.sh
. "$data/../../e2e/labels-common.sh"
run_format() { "$work/alembic" "$@" 2>&1; }
run_database() { "$work/alembic" "$@"; }
db_rows() { sqlite3 "$work/project/alembic.db" "SELECT version_num FROM alembic_version ORDER BY 1" 2>/dev/null || true; }
db_reset() { rm -f "$work/project/alembic.db"; }
url="sqlite:///$work/project/alembic.db"
format_report "$data/commands-format.txt" >"$data/expected/format.txt"
database_report "$data/commands-database.txt" >"$data/expected/database.txt"
echo "recorded $data/expected/format.txt and database.txt"
