#!/usr/bin/env bash
# rebase.sh MIGC SOURCE_DIR RUNTIME_LIB_DIR WORK_DIR
# 'migc rebase' (issue 18) as a user drives it: a branch made by two
# developers' 'migc revision' on the same head is moved onto the other
# head by naming its head or its root; the files change only in their
# down_revision lines, the graph becomes one line, the warning prints the
# stamp command, and the command line compiled from the rebased files
# takes a new database (SQLite and, with PGHOST, PostgreSQL) to the one
# head and stamps one that had run both heads. Refusals (one head, three
# heads, a merged branch, shared history) leave every file as it was; a
# file that cannot be replaced leaves all of them as they were.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=generated_cli.sh
. "$here/generated_cli.sh" "$@"

rev() { # ID PARENT TABLE
	cat >"versions/$1_$3.sql" <<-EOF
	-- migc:revision $1
	-- migc:down_revision $2
	-- migc:message add $3
	-- migc:upgrade
	CREATE TABLE $3 (id INTEGER PRIMARY KEY);
	-- migc:downgrade
	DROP TABLE $3;
	EOF
}
# base: a1 <- a2 <- a3 (main line), a1 <- b1 <- b2 (the branch)
start() {
	rm -rf versions
	mkdir versions
	rev a1 none base_table
	rev a2 a1 main_two
	rev a3 a2 main_three
	rev b1 a1 branch_one
	rev b2 b1 branch_two
}
snapshot() { (cd versions && sha256sum ./*.sql); }
heads() { "$migc" heads --versions versions | awk '{ print $1 }' | tr '\n' ' '; }
refused() { # STATUS MESSAGE ARGS...: refused, every file as it was
	local want=$1 message=$2 before
	shift 2
	before=$(snapshot)
	capture "$migc" rebase --versions versions "$@"
	expect_eq "$status" "$want" "exit status of rebase $*"
	expect_contains "$err" "$message" "message of rebase $*"
	expect_eq "$(snapshot)" "$before" "files unchanged by rebase $*"
	[ -z "$(ls versions | grep -v '\.sql$' || true)" ] || fail "temporary files left: $(ls versions)"
}

step "rebase by the branch's head"
start
cp -r versions copy
capture "$migc" rebase --versions versions b2
[ "$status" = 0 ] || fail "rebase b2: $err"
expect_contains "$out" "Rewriting versions/b1_branch_one.sql (down_revision a3)" "what it rewrote"
expect_contains "$err" "app-migrate stamp --purge b2" "the stamp command"
expect_contains "$err" "checksums do not change" "checksums"
expect_eq "$(heads)" "b2 " "one head"
expect_eq "$(diff copy/b1_branch_one.sql versions/b1_branch_one.sql | grep '^[<>]' | tr '\n' '|')" \
	"< -- migc:down_revision a1|> -- migc:down_revision a3|" "only down_revision changed"
for f in a1_base_table a2_main_two a3_main_three b2_branch_two; do
	cmp -s "copy/$f.sql" "versions/$f.sql" || fail "$f.sql changed"
done
history=$("$migc" history --versions versions | tr '\n' '|')
expect_eq "$history" "b1 -> b2 (head), add branch_two|a3 -> b1, add branch_one|a2 -> a3, add main_three|a1 -> a2, add main_two|<base> -> a1, add base_table|" "history is one line"

step "rebase by the branch's root, which is the same branch"
start
capture "$migc" rebase --versions versions b1
[ "$status" = 0 ] || fail "rebase b1: $err"
expect_eq "$(heads)" "b2 " "one head"

step "rebase the other way: --onto the branch's other head"
start
capture "$migc" rebase --versions versions a3 --onto b2
[ "$status" = 0 ] || fail "rebase a3 --onto b2: $err"
expect_contains "$out" "Rewriting versions/a2_main_two.sql (down_revision b2)" "what it rewrote"
expect_eq "$(heads)" "a3 " "one head"

step "refusals leave every file as it was"
start
refused 1 "on no branch of its own" a1
rev c1 a1 third
refused 1 "has 3 heads" b2
rm versions/c1_third.sql
cat >versions/m1_merge.sql <<-EOF
-- migc:revision m1
-- migc:down_revision a3, b2
-- migc:upgrade
EOF
refused 1 "has 1 head" b2
refused 1 "already in the line of m1" b2 --onto m1
rm versions/m1_merge.sql
refused 1 "No revision 'nosuch'" nosuch
refused 2 "rebase takes one revision" 

step "a file that cannot be written leaves all as they were"
start
rev c1 a1 other_root
sed -i 's/down_revision b1/down_revision b1, c1/' versions/b2_branch_two.sql
# b1 and c1 are both roots of the branch; c1's temporary file cannot be made
mkdir versions/c1_other_root.sql.rebase.tmp
before=$(snapshot)
capture "$migc" rebase --versions versions b2
expect_eq "$status" 1 "exit status"
expect_contains "$err" "no file was changed" "message"
expect_eq "$(snapshot)" "$before" "files unchanged"
[ ! -e versions/b1_branch_one.sql.rebase.tmp ] || fail "b1's temporary file left"
rmdir versions/c1_other_root.sql.rebase.tmp

migrate() {
	capture "$@"
	[ "$status" = 0 ] || fail "$*: exited $status: $err"
}

check_database() { # DIALECT URL_BEFORE URL_NEW READ_ROWS
	local dialect=$1
	step "$dialect: a database at both heads, stamped as the warning says"
	start
	generated_cli before "$dialect"
	migrate ./before --url "$2" upgrade heads
	capture "$migc" rebase --versions versions b2
	[ "$status" = 0 ] || fail "rebase: $err"
	stamp=$(grep -o 'app-migrate stamp --purge b2' <<<"$err")
	generated_cli after "$dialect"
	# shellcheck disable=SC2086
	migrate ./after --url "$2" ${stamp#app-migrate }
	expect_eq "$($4 "$2")" "b2" "rows after the stamp"
	migrate ./after --url "$2" upgrade head
	expect_eq "$err" "" "nothing left to run"
	step "$dialect: a new database takes the one line"
	migrate ./after --url "$3" upgrade head
	expect_eq "$(grep -c 'Running upgrade' <<<"$err")" 5 "steps"
	expect_contains "$err" "Running upgrade a3 -> b1" "b1 after a3"
	expect_eq "$($4 "$3")" "b2" "rows"
}
sqlite_rows() {
	python3 -c "import sqlite3, sys; print(' '.join(r[0] for r in sqlite3.connect(sys.argv[1][len('sqlite:///'):]).execute('SELECT version_num FROM migc_version ORDER BY 1')))" "$1"
}
check_database sqlite "sqlite:///$work/both.db" "sqlite:///$work/new.db" sqlite_rows

if [ -n "${PGHOST:-}" ] || [ "${MIGC_SKIP_POSTGRESQL:-}" != 1 ]; then
	need_postgresql "e2e rebase"
	prefix=migc_rebase_$$_
	trap 'dropdb --if-exists ${prefix}both 2>/dev/null || true; dropdb --if-exists ${prefix}new 2>/dev/null || true' EXIT
	createdb "${prefix}both"
	createdb "${prefix}new"
	pg_rows() {
		psql -X -q -A -t -d "${1#postgresql:///}" -c "SELECT string_agg(version_num, ' ' ORDER BY 1) FROM migc_version"
	}
	check_database postgresql "postgresql:///${prefix}both" "postgresql:///${prefix}new" pg_rows
fi
echo "rebase: all checks passed"
