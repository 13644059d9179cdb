#!/usr/bin/env bash
# first_hour.sh MIGC WORK_DIR
# Issue 15's generator items, as a new user types them: --version, a
# command's --help, one-line errors with where the usage is, the nearest
# command, `migc upgrade` pointing to the generated command line, and
# `migc init` starting a project in which `migc revision` works.
set -euo pipefail
migc=$1
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work_dir "$2"
cd "$work"

step "--version"
capture "$migc" --version
expect_eq "$status" 0 "--version status"
expect_eq "$out" "migc $(sed -n 's/^#define MIGC_VERSION_STRING "\(.*\)"$/\1/p' "$(dirname "$0")/../../runtime/include/migc.h")" "--version"

step "a command's --help"
capture "$migc" revision --help
expect_eq "$status" 0 "revision --help status"
expect_contains "$out" "usage: migc revision -m MESSAGE" "revision --help"

step "errors are one line and where the usage is"
capture "$migc" generate --bogus
expect_eq "$status" 2 "usage error status"
expect_eq "$err" "migc: error: unknown or ambiguous option '--bogus'
Run 'migc generate --help' for its usage." "one-line error"
capture "$migc" revison -m x
expect_eq "$err" "migc: error: unknown command 'revison'; did you mean 'revision'?
Run 'migc --help' for usage." "nearest command"

step "database commands point to the generated command line"
capture "$migc" upgrade head
expect_eq "$status" 2 "upgrade status"
expect_contains "$err" "migc: error: unknown command 'upgrade': migc works on the revision files" "upgrade"
expect_contains "$err" "'app-migrate upgrade head'" "upgrade names the command line"

step "a new directory: revision says to run init"
mkdir fresh
(cd fresh && capture "$migc" revision -m "create users"
	expect_eq "$status" 1 "revision without versions"
	expect_eq "$err" "migc: error: no versions directory 'versions' (and no migc.ini here to name one); run 'migc init' to start a project here, or pass --versions DIR" "revision without versions"
	[ ! -e versions ] || fail "revision created a versions directory")

step "migc init, then revision, generate and heads"
capture "$migc" init app
expect_eq "$status" 0 "init status: $err"
expect_contains "$out" "Generating app/migc.ini ...  done" "init output"
expect_contains "$out" "Next: cd app && migc revision -m \"create users\"" "init says what next"
[ -d app/versions ] && [ -f app/versions/script.sql.tmpl ] || fail "init wrote no versions/ and template"
grep -q '^\[migc\]$' app/migc.ini && grep -q '^dialect  = sqlite$' app/migc.ini || fail "migc.ini: $(cat app/migc.ini)"
(cd app && "$migc" revision -m "create users" >/dev/null)
file=$(ls app/versions/*_create_users.sql)
sed -i 's/^-- migc:upgrade$/-- migc:upgrade\nCREATE TABLE users (id INTEGER PRIMARY KEY);/; s/^-- migc:downgrade$/-- migc:downgrade\nDROP TABLE users;/' "$file"
(cd app && mkdir gen && "$migc" generate --name app --dialect sqlite --output-dir gen --verify >/dev/null)
[ -s app/gen/app.c ] || fail "generate after init"
expect_contains "$(cd app && "$migc" heads)" " (head)" "heads after init"
capture "$migc" init app
expect_eq "$status" 1 "init over a project"
expect_eq "$err" "migc: error: app/migc.ini exists: app holds a project already (init starts a new one)" "init over a project"
capture "$migc" init pg --dialect postgresql
grep -q '^dialect  = postgresql$' pg/migc.ini || fail "init --dialect postgresql"
grep -q '^# url = postgresql://' pg/migc.ini || fail "init --dialect postgresql names the url setting"

step "--format json for heads, history, show and check"
is_json() { python3 -c 'import json, sys; json.load(sys.stdin)' || fail "$1 is not JSON"; }
(cd app && "$migc" heads --format json) | is_json heads
(cd app && "$migc" history --format json) | is_json history
(cd app && "$migc" show head --format json) | is_json show
(cd app && "$migc" check --format json) | is_json check
expect_contains "$(cd app && "$migc" check --format json)" '"ok": true, "revisions": 1, "heads": 1' "check --format json"

step "check's hint is a command that works as printed"
mkdir -p hint/versions
cp app/versions/*_create_users.sql hint/versions/
printf 'CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE tags (name TEXT);\n' >hint/schema.sql
capture "$migc" check --versions hint/versions --schema hint/schema.sql
expect_eq "$status" 1 "check with a change no revision holds"
expect_contains "$err" "write the revision with: migc revision --autogenerate" "check's hint"
hint=$(sed -n 's/.*write the revision with: //p' err)
migc() { "$migc" "$@"; }
eval "$hint" >/dev/null || fail "the hint as printed: $hint"
ls hint/versions/*_add_tags.sql >/dev/null || fail "the hint wrote no revision"
"$migc" check --versions hint/versions --schema hint/schema.sql >/dev/null || fail "check after the hint"

echo "first_hour: all checks passed"
