#!/usr/bin/env bash
# verify_default.sh MIGC WORK_DIR: `migc generate` proves a SQLite set by
# default (issue 14): every statement runs against the schema the
# revisions before it made, an error names file:line:column of the
# statement's own text, and --no-verify is the way out. PostgreSQL's
# proof needs a server, so it stays asked for (--verify).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
migc=$1
work_dir "$2"
cd "$work"
mkdir versions gen

cat >versions/a.sql <<'SQL'
-- migc:revision      aaaaaaaaaaaa
-- migc:down_revision none

-- migc:upgrade
CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT);
INSERT INTO tags (id, label)
  SELECT 1, nme FROM tags;

-- migc:downgrade
DROP TABLE tags;
SQL

step "a name error fails the build by default, at its place"
capture "$migc" generate --versions versions --name set --dialect sqlite --output-dir gen
expect_eq "$status" 1 "generate without --verify"
expect_contains "$err" "versions/a.sql:7:13: error: revision aaaaaaaaaaaa: the upgrade fails in SQLite: no such column: nme"
[ ! -e gen/set.c ] || fail "a failed generate wrote gen/set.c"

step "--no-verify is the way out"
capture "$migc" generate --versions versions --name set --dialect sqlite --output-dir gen --no-verify
expect_eq "$status" 0 "generate --no-verify: $err"
[ -f gen/set.c ] || fail "generate --no-verify wrote no set.c"
capture "$migc" generate --versions versions --name set --dialect sqlite --output-dir gen --verify --no-verify
expect_eq "$status" 2 "both flags"
expect_contains "$err" "contradict"

step "PostgreSQL sets are not proven unless asked"
capture "$migc" generate --versions versions --name set --dialect postgresql --output-dir gen
expect_eq "$status" 0 "generate --dialect postgresql: $err"

step "a broken downgrade fails the build by default"
sed -i 's/nme/label/; s/^DROP TABLE tags;/SELECT 1;/' versions/a.sql
capture "$migc" generate --versions versions --name set --dialect sqlite --output-dir gen
expect_eq "$status" 1 "generate with a downgrade that restores nothing"
expect_contains "$err" "the downgrade does not restore the schema"
echo "verify_default: all passed"
