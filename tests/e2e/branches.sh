#!/usr/bin/env bash
# branches.sh DATA_DIR WORK_DIR SQLITE_CLI [PG_CLI]
# The branchy revision set (tests/data/branchy: two branches and a merge, a
# labelled branch, a second root with its own label, a depends_on edge
# across branches) through the compiled command lines on SQLite and, when
# PG_CLI is given and PGHOST set, PostgreSQL. After each step the version
# rows are read with sqlite3 / psql and compared with what Alembic 1.8's
# alembic_version holds after the same commands on the same graph; the
# Alembic formats, every error case and the --sql scripts are checked too.
set -euo pipefail

data=$1
work=$2
sqlite_cli=$3
pg_cli=${4:-}

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
fail_context() { echo " [$backend]"; }
work_dir "$work"
cd "$work"

# migrate ARGS: runs and requires success; rows_are ROWS...: the version rows.
migrate() {
	capture "$cli" --url "$url" "$@"
	[ "$status" = 0 ] || fail "$* exited $status: $err"
}
rows_are() { expect_eq "$(rows | tr '\n' ' ' | sed 's/ $//')" "$*" "rows after: $step"; }

# migrate_fails STATUS MESSAGE ARGS: exit status and message, rows unchanged.
migrate_fails() {
	local want=$1 message=$2
	shift 2
	local before
	before=$(rows)
	capture "$cli" --url "$url" "$@"
	expect_eq "$status" "$want" "exit status of $*"
	expect_contains "$err" "$message" "message of $*"
	expect_eq "$(rows)" "$before" "rows unchanged by $*"
}

# expected NAME: the --sql script of command NAME on $dialect, written from
# the steps in expected/offline.txt and the revision files.
expected() {
	python3 "$here/offline_script.py" "$dialect" "$data/versions" \
		"$data/expected/offline.txt" "$1"
}

check_backend() {
	step="upgrade head with three heads"
	migrate_fails 1 "Target 'head' needs a single head but the set has 3 (6b8d0f2e4a56, 7d0f2b4a6c78, 9f2b4d6c8e9a); use \"heads\" for all of them, \"<label>@head\" for one branch (labels: billing, audit), a revision id, or merge the heads into one with 'migc merge heads'." upgrade head
	rows_are ""

	step="upgrade billing@head"
	migrate upgrade billing@head
	expect_eq "$(grep -c 'Running upgrade' err)" 4 "$step runs 4"
	rows_are 7d0f2b4a6c78

	step="upgrade audit@head (depends on 4f6b8d0c2e34 on another branch)"
	migrate upgrade audit@head
	expect_contains "$err" "Running upgrade 2c4e6a8b0d12 -> 4f6b8d0c2e34, add shipments" "$step applies the dependency"
	rows_are 7d0f2b4a6c78 9f2b4d6c8e9a

	step="upgrade 5a7c (merge: two rows become one)"
	migrate upgrade 5a7c
	rows_are 5a7c9e1d3f45 7d0f2b4a6c78 9f2b4d6c8e9a
	migrate current
	expect_eq "$out" "5a7c9e1d3f45 (mergepoint)
7d0f2b4a6c78 (head)
9f2b4d6c8e9a (head)" "current"

	step="upgrade heads"
	migrate upgrade heads
	expect_eq "$err" "INFO  [migc] Running upgrade 5a7c9e1d3f45 -> 6b8d0f2e4a56, add refunds" "$step log"
	rows_are 6b8d0f2e4a56 7d0f2b4a6c78 9f2b4d6c8e9a
	migrate upgrade heads
	expect_eq "$err" "" "upgrade heads again does nothing"

	step="history --indicate-current -r 3e5a:current"
	migrate history --indicate-current -r 3e5a:current
	expect_eq "$out" "5a7c9e1d3f45 -> 6b8d0f2e4a56 (head) (current), add refunds
3e5a7c9b1d23, 4f6b8d0c2e34 -> 5a7c9e1d3f45 (mergepoint), merge invoices and shipments
2c4e6a8b0d12 -> 3e5a7c9b1d23, add invoices" "$step"
	migrate show current
	expect_eq "$(grep '^Rev:' out | tr '\n' '|')" "Rev: 6b8d0f2e4a56 (head)|Rev: 7d0f2b4a6c78 (head)|Rev: 9f2b4d6c8e9a (head)|" "show current"

	step="error cases"
	migrate_fails 1 "No revision 'zzzz' in set" upgrade zzzz
	migrate_fails 1 "Revision prefix '7' matches 2 revisions (7c9e1a3f5b67, 7d0f2b4a6c78); give more characters of the id." downgrade 7
	migrate_fails 1 "Relative target '-1' needs a single current revision but the database is at 6b8d0f2e4a56, 7d0f2b4a6c78, 9f2b4d6c8e9a" downgrade -1
	migrate_fails 1 "Relative target 'billing@-9' asks for 9 steps from 7d0f2b4a6c78 but only 4 are possible" downgrade billing@-9
	migrate_fails 1 "No branch label or revision 'nope' in set" upgrade nope@head
	migrate_fails 1 "Upgrade target 'billing@-1' points down; use downgrade billing@-1 instead." upgrade billing@-1
	migrate_fails 2 "downgrade needs a target" downgrade

	step="downgrade billing@-1"
	migrate downgrade billing@-1
	rows_are 6b8d0f2e4a56 7c9e1a3f5b67 9f2b4d6c8e9a
	migrate_fails 1 "Cannot downgrade to 7d0f2b4a6c78: it is not applied" downgrade 7d0f2b4a6c78

	step="downgrade 6b8d-1"
	migrate downgrade 6b8d-1
	rows_are 5a7c9e1d3f45 7c9e1a3f5b67 9f2b4d6c8e9a

	step="downgrade 3e5a (unmerge: one row becomes two, one implied by 9f2b)"
	migrate downgrade 3e5a
	rows_are 3e5a7c9b1d23 7c9e1a3f5b67 9f2b4d6c8e9a
	migrate current
	expect_eq "$out" "3e5a7c9b1d23
4f6b8d0c2e34
7c9e1a3f5b67
9f2b4d6c8e9a (head)" "current shows the dependency as its branch's head, as Alembic"

	step="downgrade 2c4e (the dependent 9f2b goes before 4f6b)"
	migrate downgrade 2c4e
	expect_contains "$err" "Running downgrade 9f2b4d6c8e9a -> 8e1a3c5b7d89" "$step unapplies the dependent"
	rows_are 2c4e6a8b0d12 8e1a3c5b7d89

	step="stamp 7d0f 9f2b"
	migrate stamp 7d0f 9f2b
	rows_are 7d0f2b4a6c78 9f2b4d6c8e9a
	step="stamp 4f6b"
	migrate stamp 4f6b
	rows_are 4f6b8d0c2e34 7d0f2b4a6c78
	step="stamp --purge base"
	migrate stamp --purge base
	rows_are ""
	step="stamp --purge back to what is applied"
	migrate stamp --purge 2c4e 8e1a
	rows_are 2c4e6a8b0d12 8e1a3c5b7d89

	step="downgrade base, then everything up and down again"
	migrate downgrade base
	rows_are ""
	migrate upgrade heads
	rows_are 6b8d0f2e4a56 7d0f2b4a6c78 9f2b4d6c8e9a
	migrate downgrade base
	rows_are ""

	step="--sql scripts"
	for script in upgrade-heads:"upgrade heads" downgrade-heads-base:"downgrade heads:base" \
		upgrade-7d0f-audit:"upgrade 7d0f:audit@head"; do
		name=${script%%:*}
		expected "$name" >"$work/$dialect-$name.sql"
		# shellcheck disable=SC2086
		capture "$cli" --url "nowhere://" ${script#*:} --sql
		expect_eq "$status" 0 "$name --sql"
		diff -u "$work/$dialect-$name.sql" out >&2 || fail "$name --sql differs from the script expected/offline.txt describes"
	done
	capture "$cli" downgrade base --sql
	expect_eq "$status" 2 "downgrade --sql without FROM"
	expect_contains "$err" "downgrade --sql needs FROM:TARGET" "downgrade --sql without FROM"

	step="the upgrade script, run by the database's own shell"
	run_script "$work/$dialect-upgrade-heads.sql"
	rows_are 6b8d0f2e4a56 7d0f2b4a6c78 9f2b4d6c8e9a
	migrate upgrade heads
	expect_eq "$err" "" "the binary agrees the script applied everything"
	step="the downgrade script"
	run_script "$work/$dialect-downgrade-heads-base.sql"
	rows_are ""
}

# ---- SQLite ----
backend=sqlite
dialect=sqlite
cli=$sqlite_cli
url="sqlite:///$work/branchy.db"
rows() { sqlite3 "$work/branchy.db" "SELECT version_num FROM migc_version ORDER BY 1" 2>/dev/null || true; }
run_script() { sqlite3 -bail "$work/branchy.db" <"$1" >/dev/null || fail "sqlite3 < $1"; }
echo "--- SQLite"
check_backend

# ---- PostgreSQL ----
backend=postgresql
if [ -z "$pg_cli" ]; then
	echo "e2e branches: built without PostgreSQL, SQLite only"
	exit 0
fi
if [ -z "${PGHOST:-}" ]; then
	if [ "${MIGC_SKIP_POSTGRESQL:-}" = 1 ]; then
		echo "e2e branches: MIGC_SKIP_POSTGRESQL=1, PostgreSQL skipped"
		exit 0
	fi
	fail "PGHOST is not set; start a server with scripts/pg-server.sh or set MIGC_SKIP_POSTGRESQL=1"
fi
dialect=postgresql
cli=$pg_cli
database=migc_branches_$$
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $database" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
export PGDATABASE=$database
url=postgresql://
rows() {
	psql -X -q -A -t -c "SELECT version_num FROM migc_version ORDER BY 1" 2>/dev/null || true
}
run_script() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -f "$1" >/dev/null || fail "psql -f $1"; }
echo "--- PostgreSQL"
check_backend

echo "e2e branches: all checks passed"
