#!/usr/bin/env bash
# sqlite_driver.sh CLI WORK_DIR
# The SQLite driver's defences through a compiled command line (the fleet
# set, tests/data/fleet), as a user meets them: the version table named in
# another case, a view or a foreign table under its name, history rows
# edited by hand, a symbolic link planted as the lock file, and a version
# row no revision id can be that stamp --purge must still remove.
set -euo pipefail

cli=$1
work=$2

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail_context() { echo ": $step"; }
work_dir "$work"
cd "$work"
db=$work/app.db
url=sqlite:///$db

# $status, $out, $err of one command line run.
run() { capture "$cli" --url "$url" "$@"; }
succeeds() {
	run "$@"
	[ "$status" = 0 ] || fail "$* exited $status: $err"
}
fails() {
	run "$@"
	expect_eq "$status" 1
}
sql() { sqlite3 "$db" "$@"; }
fresh() {
	rm -f "$db" "$db-migc-lock"
	succeeds upgrade 0f1e00000003
}

step="--version-table in another case sees migc_version"
fresh
succeeds --version-table MIGC_VERSION current
expect_eq "$out" "0f1e00000003"
succeeds --version-table MIGC_VERSION upgrade
expect_eq "$(sql 'SELECT count(*), count(DISTINCT revision) FROM fleet_log')" "8|8"
expect_eq "$(sql "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE name LIKE '%version%' AND type = 'table' ORDER BY 1)")" \
	"migc_version,migc_version_history"

step="a view under the version table's name"
sql "CREATE VIEW seen_version AS SELECT '0f1e00000001' AS version_num"
fails --version-table SEEN_VERSION current
expect_contains "$err" "'SEEN_VERSION' is a view"
fails --version-table seen_version upgrade
expect_contains "$err" "is a view"

step="a table with other columns under the version table's name"
sql "CREATE TABLE wide_version (version_num VARCHAR(32), note TEXT)"
fails --version-table wide_version stamp head
expect_contains "$err" "its columns are (version_num, note)"
expect_eq "$(sql 'SELECT count(*) FROM wide_version')" "0"

step="a checksum that is not hex"
fresh
sql "UPDATE migc_version_history SET checksum = 'zz' WHERE version_num = '0f1e00000002'"
fails upgrade
expect_contains "$err" "The history table 'migc_version_history' has a corrupt row for revision 0f1e00000002: checksum is 'zz', not 16 hex digits"
expect_eq "$(sql 'SELECT version_num FROM migc_version')" "0f1e00000003"

step="a negative statements_done"
fresh
sql "UPDATE migc_version_history SET statements_done = -1 WHERE version_num = '0f1e00000003'"
fails upgrade
expect_contains "$err" "revision 0f1e00000003: statements_done is '-1'"
expect_eq "$(sql 'SELECT version_num FROM migc_version')" "0f1e00000003"

step="a symbolic link planted as the lock file"
fresh
ln -s "$work/elsewhere" "$db-migc-lock"
fails upgrade
expect_contains "$err" "The migration lock file '$db-migc-lock' is a symbolic link"
[ ! -e "$work/elsewhere" ] || fail "a file was created where the link points"
expect_eq "$(sql 'SELECT version_num FROM migc_version')" "0f1e00000003"
rm "$db-migc-lock"

step="a lock file that cannot be opened says why"
mkdir "$db-migc-lock"
fails upgrade
expect_contains "$err" "cannot open the migration lock file '$db-migc-lock': Is a directory"
rmdir "$db-migc-lock"

step="stamp --purge removes a row longer than any revision id"
fresh
long=0123456789abcdef0123456789abcdef_and_more
sql "INSERT INTO migc_version (version_num) VALUES ('$long')"
fails upgrade
expect_contains "$err" "0123456789abcdef0123456789abc..."
succeeds stamp --purge head
expect_eq "$(sql 'SELECT group_concat(version_num) FROM migc_version')" "0f1e00000008"
sql "INSERT INTO migc_version (version_num) VALUES ('$long')"
succeeds stamp --purge base
expect_eq "$(sql 'SELECT count(*) FROM migc_version')" "0"

echo "sqlite driver: all checks passed"
