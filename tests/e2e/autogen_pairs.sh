#!/usr/bin/env bash
# autogen_pairs.sh MIGC DATA_DIR WORK_DIR DIALECT...
# Autogenerate measured the way issue 13 measured it on real projects'
# histories. DATA_DIR/<dialect>/NN_*.sql are a project's migrations, written
# by hand to resemble such projects; for each NN, schema A is the first NN-1
# applied with the reference tool (sqlite3, psql) and B the first NN. The
# project's revisions hold A's migrations, `schema.sql` is B as users paste
# it (`sqlite3 db .schema`, `pg_dump -s`), and `migc revision --autogenerate`
# writes the revision; its upgrade, run with the reference tool on a copy of
# A, must give B exactly (sqlite_master and the pragmas; `pg_dump -s`), and
# its downgrade then A again.
#
# A pair listed in DATA_DIR/known (`<dialect> <NN> <text>`) is one migc
# cannot express: its revision, which must still run both ways, says so
# (contains <text>), or autogenerate refuses, saying <text> (and not that
# it is a bug in migc), rather than write one that fails; either counts
# as "said", not exact. The
# script prints a line per pair and the exact-match rate per dialect and per
# object kind (the `-- kinds:` line of each migration); it fails when a pair
# that is not known is not exact, or a known one does not say why.
# DATA_DIR/failing lists the pairs (`<dialect> <NN>`) not exact yet, the
# work left: one listed that becomes exact fails too, so that the list
# shrinks with each fix and a fixed pair stays fixed.
# MIGC_PAIRS_REPORT_ONLY=1 only reports; MIGC_PAIRS_ONLY=NN runs one pair;
# MIGC_PAIRS_CLEAN_PASTE=1 removes from schema.sql the lines of the dumps a
# user would otherwise edit away by hand (\\restrict, sqlite_sequence).
set -euo pipefail
migc=$1
data=$(cd "$2" && pwd)
work=$3
shift 3

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
work_dir "$work"
cd "$work"

# ---- SQLite: the reference tool and the comparison ----

sqlite_load() { # DB STEP...: the steps run by sqlite3 into a new DB
	local db=$1
	shift
	rm -f "$db"
	cat "$@" /dev/null | sqlite3 -bail "$db" >/dev/null
}

# The schema as sqlite_master and the pragmas show it: per object its kind
# and name, its SQL with spelling that does not change meaning removed
# (case, quotes, blanks, the table's own name which a rebuild's rename
# quotes), and for tables their columns, keys and indexes in order.
sqlite_dump() { # DB
	python3 - "$1" <<'EOF'
import re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def norm(sql, kind):
    s = re.sub(r'/\*.*?\*/', ' ', sql or '', flags=re.S)
    s = re.sub(r'["`\[\]]', '', s.lower())
    s = re.sub(r'\s+', ' ', s).strip()
    s = re.sub(r' ?([(),;=<>+*/|-]) ?', r'\1', s)
    if kind == 'table':
        s = re.sub(r'^create table [^ (]+', 'create table', s)
    return s
# sqlite_sequence is SQLite's own: made by the first AUTOINCREMENT table,
# never dropped again, not part of what a schema declares.
rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name "
                  "NOT LIKE 'sqlite_autoindex%' AND name <> 'sqlite_sequence' "
                  "ORDER BY type, name").fetchall()
for kind, name, table, sql in rows:
    print(kind, name, 'on', table, norm(sql, kind))
    if kind != 'table':
        continue
    for p in ('table_xinfo', 'foreign_key_list', 'index_list'):
        for r in db.execute('SELECT * FROM pragma_%s(?)' % p, (name,)):
            print('  ', p, r)
    for (index,) in db.execute('SELECT name FROM pragma_index_list(?) ORDER BY name', (name,)):
        for r in db.execute('SELECT * FROM pragma_index_xinfo(?)', (index,)):
            print('  ', index, r)
EOF
}

sqlite_declared() { sqlite3 "$1" .schema; }
sqlite_copy() { cp "$1" "$2"; }
sqlite_run() { sqlite3 -bail "$1" <"$2" >/dev/null; } # DB SCRIPT
sqlite_drop() { rm -f "$@"; }
sqlite_ini() { printf '[migc]\nversions = versions\ndialect = sqlite\nschema = schema.sql\n'; }

# ---- PostgreSQL ----

prefix=migc_pairs_$$
pg_dbs=()
postgresql_drop() {
	local db
	for db in "$@"; do dropdb --if-exists "$db" >/dev/null 2>&1 || true; done
}
cleanup() { [ ${#pg_dbs[@]} -eq 0 ] || postgresql_drop "${pg_dbs[@]}"; }
trap cleanup EXIT
postgresql_load() { # DB STEP...
	local db=$1
	shift
	postgresql_drop "$db"
	createdb -T template0 "$db"
	pg_dbs+=("$db")
	cat "$@" /dev/null | psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f - >/dev/null
}
# pg_dump -s without what differs between two dumps of one schema: the
# \restrict key and the comments (the database's name is not in it).
postgresql_dump() { pg_dump -s -d "$1" | grep -v -e '^\\restrict' -e '^\\unrestrict' -e '^--' | cat -s; }
postgresql_declared() { pg_dump -s -d "$1"; }
postgresql_copy() {
	postgresql_drop "$2"
	createdb -T "$1" "$2"
	pg_dbs+=("$2")
}
postgresql_run() { psql -X -q -v ON_ERROR_STOP=1 -1 -d "$1" -f "$2" >/dev/null; }
postgresql_ini() { printf '[migc]\nversions = versions\ndialect = postgresql\nschema = schema.sql\nurl = postgresql://\n'; }

# ---- one pair ----

section() { # FILE upgrade|downgrade: that section of a revision file
	awk -v want="-- migc:$2" '/^-- migc:(upgrade|downgrade)$/ { on = ($0 == want); next } on' "$1"
}

known_text() { # DIALECT NN: what the known list expects the revision to say
	[ -f "$data/known" ] || return 0
	awk -v d="$1" -v n="$2" '$1 == d && $2 == n { $1 = ""; $2 = ""; sub(/^  /, ""); print; exit }' "$data/known"
}

# pair DIALECT NN: prints "exact", "said" (a known pair whose revision says
# why) or what failed; leaves the pair's files in $work/<dialect>/NN.
pair() {
	local d=$1 n=$2 steps=() s dir
	for s in "$data/$d"/[0-9][0-9]_*.sql; do
		[ "$(basename "$s" | cut -c1-2)" \< "$n" ] && steps+=("$s")
	done
	local step_b=("$data/$d/${n}"_*.sql)
	dir=$work/$d/$n
	mkdir -p "$dir/versions"
	local a=$dir/a.db b=$dir/b.db x=$dir/x.db
	[ "$d" = sqlite ] || { a=${prefix}_${n}_a b=${prefix}_${n}_b x=${prefix}_${n}_x; }
	"${d}_load" "$a" "${steps[@]}" || { echo "the migrations before $n fail in the reference tool"; return; }
	"${d}_load" "$b" "${steps[@]}" "${step_b[@]}" || { echo "migration $n fails in the reference tool"; return; }
	"${d}_dump" "$a" >"$dir/a.dump"
	"${d}_dump" "$b" >"$dir/b.dump"
	"${d}_declared" "$b" >"$dir/schema.sql"
	if [ "${MIGC_PAIRS_CLEAN_PASTE:-}" = 1 ]; then # what a user edits away by hand
		grep -v -e '^\\restrict' -e '^\\unrestrict' -e '^CREATE TABLE sqlite_sequence' "$dir/schema.sql" >"$dir/schema.tmp" || true
		mv "$dir/schema.tmp" "$dir/schema.sql"
	fi
	"${d}_ini" >"$dir/migc.ini"
	{
		printf -- '-- migc:revision 000000000000\n-- migc:down_revision none\n-- migc:upgrade\n'
		cat "${steps[@]}" /dev/null
		printf -- '\n-- migc:downgrade\n'
	} >"$dir/versions/000000000000_before.sql"
	local id=0000000000$n known
	known=$(known_text "$d" "$n")
	if ! (cd "$dir" && "$migc" revision --autogenerate -m "pair $n" --rev-id "$id") >"$dir/out" 2>"$dir/err"; then
		if [ -n "$known" ] && grep -qF -- "$known" "$dir/err" && ! grep -qF 'bug in migc' "$dir/err"; then echo said; return; fi
		echo "autogenerate failed: $(head -c 300 "$dir/err" | tr '\n' ' ')"
		return
	fi
	local revision=("$dir/versions/${id}"_*.sql)
	[ -f "${revision[0]}" ] || { echo "autogenerate wrote no revision: $(head -c 200 "$dir/out")"; return; }
	local says=no
	[ -n "$known" ] && grep -qF -- "$known" "${revision[0]}" && says=yes
	section "${revision[0]}" upgrade >"$dir/upgrade.sql"
	section "${revision[0]}" downgrade >"$dir/downgrade.sql"
	"${d}_copy" "$a" "$x"
	"${d}_run" "$x" "$dir/upgrade.sql" 2>"$dir/run.err" || { echo "upgrade fails: $(head -c 300 "$dir/run.err" | tr '\n' ' ')"; return; }
	"${d}_dump" "$x" >"$dir/x.dump"
	local differs=
	diff "$dir/b.dump" "$dir/x.dump" >"$dir/upgrade.diff" || differs="upgrade differs from B: $(grep '^[<>]' "$dir/upgrade.diff" | head -2 | tr '\n' ' ' | head -c 300)"
	"${d}_run" "$x" "$dir/downgrade.sql" 2>"$dir/run.err" || { echo "downgrade fails: $(head -c 300 "$dir/run.err" | tr '\n' ' ')"; return; }
	"${d}_dump" "$x" >"$dir/x.dump"
	[ -n "$differs" ] || diff "$dir/a.dump" "$dir/x.dump" >"$dir/downgrade.diff" || differs="downgrade differs from A: $(grep '^[<>]' "$dir/downgrade.diff" | head -2 | tr '\n' ' ' | head -c 300)"
	[ "$d" = sqlite ] || postgresql_drop "$a" "$b" "$x"
	if [ -z "$differs" ]; then
		echo exact
	elif [ $says = yes ]; then
		echo said
	else
		echo "$differs${known:+ (known pair, but the revision does not say [$known])}"
	fi
}

unexpected=0
: >results
for d in "$@"; do
	[ "$d" = sqlite ] || need_postgresql "autogen_pairs"
	for s in "$data/$d"/[0-9][0-9]_*.sql; do
		n=$(basename "$s" | cut -c1-2)
		[ -z "${MIGC_PAIRS_ONLY:-}" ] || [ "$n" = "$MIGC_PAIRS_ONLY" ] || continue
		kinds=$(sed -n 's/^-- kinds: //p' "$s" | head -1)
		result=$(pair "$d" "$n")
		printf '%-10s %s %-28s %s\n' "$d" "$n" "$(basename "$s" .sql | cut -c4-)" "$result"
		printf '%s\t%s\t%s\t%s\n' "$d" "$n" "${kinds:-other}" "$result" >>results
		good=no listed=no
		case $result in exact | said) good=yes ;; esac
		[ -f "$data/failing" ] && grep -qx "$d $n" "$data/failing" && listed=yes
		if [ $good = no ] && [ $listed = no ]; then
			unexpected=$((unexpected + 1))
		elif [ $good = yes ] && [ $listed = yes ]; then
			echo "  ($d $n is listed in failing but is $result now: remove it there)"
			unexpected=$((unexpected + 1))
		fi
	done
done

echo "--- exact-match rate (said: a known pair whose revision says what migc cannot express)"
awk -F'\t' '
	{ split($3, k, " "); for (i in k) { key = $1 " " k[i]; all[key]++; if ($4 == "exact") ok[key]++; if ($4 == "said") said[key]++ }
	  all[$1 " (all)"]++; if ($4 == "exact") ok[$1 " (all)"]++; if ($4 == "said") said[$1 " (all)"]++ }
	END { for (key in all) printf "%-32s %3d/%-3d exact %5.1f%%  said %d\n", key, ok[key], all[key], 100 * ok[key] / all[key], said[key] }
' results | sort
if [ "${MIGC_PAIRS_REPORT_ONLY:-}" != 1 ] && [ $unexpected -gt 0 ]; then
	fail "$unexpected pairs neither exact nor known (see above; files under $work)"
fi
