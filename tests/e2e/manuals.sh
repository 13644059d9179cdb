#!/usr/bin/env bash
# manuals.sh SOURCE_DIR CLI_MAN CLI_COMPLETION CLI WORK_DIR
# Issue 15: the manual pages of migc and of a generated command line
# render without a warning from groff, and the bash completions offer
# commands, options and the revisions compiled into the command line.
set -euo pipefail
src=$(cd "$1" && pwd)
cli_man=$2
cli_completion=$3
cli=$4
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work_dir "$5"
cd "$work"

render() { groff -man -Tutf8 -ww -z "$1" 2>&1; }
step "the manual pages render cleanly"
for page in "$src/docs/man/migc.1" "$cli_man"; do
	[ -s "$page" ] || fail "no manual page $page"
	expect_eq "$(render "$page")" "" "groff warnings for $page"
done
expect_contains "$(groff -man -Tascii -P-cbou "$src/docs/man/migc.1" 2>/dev/null)" "migc init" "migc.1"
expect_contains "$(groff -man -Tascii -P-cbou "$cli_man" 2>/dev/null)" "MIGC_DATABASE_URL" "the command line's page"

# complete LINE...: what the completion offers for the words, the last
# being completed.
complete_words() {
	local function=$1
	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	"$function"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
step "bash completion for migc"
# shellcheck disable=SC1091
. "$src/completions/migc.bash"
expect_eq "$(complete_words _migc migc re)" "revision" "migc re<TAB>"
expect_eq "$(complete_words _migc migc generate --dia)" "--dialect" "migc generate --dia<TAB>"
expect_eq "$(complete_words _migc migc generate --dialect p)" "postgresql" "migc generate --dialect p<TAB>"
expect_eq "$(complete_words _migc migc heads --format j)" "json" "migc heads --format j<TAB>"

step "bash completion for the generated command line"
# shellcheck disable=SC1090
. "$cli_completion"
function=$(sed -n 's/^complete -F \([A-Za-z0-9_]*\) .*$/\1/p' "$cli_completion")
expect_eq "$(complete_words "$function" "$cli" upg)" "upgrade" "<cli> upg<TAB>"
first=$("$cli" history | tail -1 | sed 's/^.* -> \([A-Za-z0-9_]*\).*$/\1/')
expect_contains "$(complete_words "$function" "$cli" downgrade "")" "$first" "<cli> downgrade <TAB> offers the revisions"
expect_eq "$(complete_words "$function" "$cli" current --f)" "--format" "<cli> current --f<TAB>"

echo "manuals: all checks passed"
