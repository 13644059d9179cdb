#!/usr/bin/env bash
# lint.sh MIGC WORK_DIR
# The linter as a user meets it: `migc generate` prints each finding as a
# warning at file:line:column with its rule id and fix and still writes the
# set; `migc check` prints the same findings; `--lint error` fails both and
# writes nothing; `-- migc:allow` silences. Then the sample histories in
# tests/data/lint (a PostgreSQL service, a SQLite app) against the findings
# each rule is expected to make there (expected_<dialect>).
set -euo pipefail
migc=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../data/lint
# shellcheck source=lib.sh
. "$here/lib.sh"
work_dir "$work"
cd "$work"
mkdir versions gen
cat >versions/a1_accounts.sql <<'SQL'
-- migc:revision a1
-- migc:down_revision none
-- migc:upgrade
CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
CREATE INDEX accounts_email ON accounts (email);
SQL
cat >versions/b2_plan.sql <<'SQL'
-- migc:revision b2
-- migc:down_revision a1
-- migc:upgrade
SET LOCAL lock_timeout = '2s';
CREATE INDEX accounts_lower_email ON accounts (lower(email));
  ALTER TABLE accounts ADD COLUMN plan text NOT NULL;
-- migc:allow renaming-column -- no release reads "email" any more
ALTER TABLE accounts RENAME COLUMN email TO address;
SQL

step "generate warns at file:line:column with the rule and the fix"
capture "$migc" generate --versions versions --name app --dialect postgresql --output-dir gen
expect_eq "$status" 0 "generate with warnings"
[ -f gen/app.c ] || fail "generate wrote no app.c"
expect_eq "$(grep -c ': warning: ' err)" 2 "warnings: $err"
expect_contains "$err" "versions/b2_plan.sql:5:1: warning: CREATE INDEX on accounts blocks its writes until the index is built; use CREATE INDEX CONCURRENTLY in a revision of its own with '-- migc:transaction none' [require-concurrent-index-creation; silence it with '-- migc:allow require-concurrent-index-creation']"
expect_contains "$err" "versions/b2_plan.sql:6:3: warning: ADD COLUMN plan NOT NULL without a DEFAULT"
expect_lacks "$err" "renaming-column" "allowed rule"
expect_lacks "$err" "a1_accounts" "a table of the revision's own"
warnings=$(grep ': warning: ' err)

step "check shows the same findings"
capture "$migc" check --versions versions --dialect postgresql
expect_eq "$status" 0 "check with warnings"
expect_eq "$(grep ': warning: ' err)" "$warnings" "check's findings"

step "--lint error fails the build and writes nothing"
rm -rf gen && mkdir gen
capture "$migc" generate --versions versions --name app --dialect postgresql --output-dir gen --lint error
expect_eq "$status" 1 "generate --lint error"
expect_eq "$(ls gen)" "" "output after --lint error"
expect_contains "$err" "versions/b2_plan.sql:5:1: error: CREATE INDEX on accounts blocks its writes until the index is built; use CREATE INDEX CONCURRENTLY in a revision of its own with '-- migc:transaction none' [require-concurrent-index-creation]"
capture "$migc" check --versions versions --dialect postgresql --lint error
expect_eq "$status" 1 "check --lint error"
capture "$migc" check --versions versions --dialect postgresql --lint off
expect_eq "$status:$err" "0:" "check --lint off"
capture "$migc" check --versions versions --dialect postgresql --lint loud
expect_eq "$status" 2 "--lint loud"
expect_contains "$err" "--lint must be warn, error or off"

step "an allow that names no rule is an error"
sed -i 's/migc:allow renaming-column/migc:allow renaming-colum/' versions/b2_plan.sql
capture "$migc" check --versions versions --dialect postgresql
expect_eq "$status" 1 "misspelt allow"
expect_contains "$err" "versions/b2_plan.sql:7:15: error: '-- migc:allow renaming-colum' names no lint rule"

step "the sample histories: each rule's findings"
for sample in saas:postgresql notes:sqlite; do
	name=${sample%%:*}
	dialect=${sample##*:}
	(cd "$data/$name" && "$migc" check --versions versions --dialect "$dialect" >/dev/null 2>"$work/$name.err") ||
		fail "$name: check failed: $(cat "$work/$name.err")"
	if ! diff -u "$data/$name/expected" "$work/$name.err" >"$work/$name.diff"; then
		fail "$name: findings differ:
$(cat "$work/$name.diff")"
	fi
done
echo "lint: all checks passed"
