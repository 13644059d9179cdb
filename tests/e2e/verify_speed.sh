#!/usr/bin/env bash
# verify_speed.sh MIGC SOURCE_DIR WORK_DIR: the build-time proof costs what
# each revision reaches, not what the whole schema holds (issue 12), and
# autogenerate and check stay quick on a project of many views (issue 13).
# Figures are CPU seconds (user + system), which load on the machine
# barely moves; the bounds leave room of two or more over what linear
# gives, and quadratic work exceeds them several times.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
migc=$1
source=$2
work_dir "$3"
cd "$work"

# cpu COMMAND...: runs it in the current directory (it must succeed, or
# exit 1 for check); prints its CPU seconds.
cpu() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, text=True)
if r.returncode not in (0, 1) or (r.returncode == 1 and "check" not in sys.argv):
    sys.stderr.write(r.stderr)
    sys.exit(2)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{u.ru_utime + u.ru_stime:.3f}")
PY
}

# below A B: A < B, as decimals.
below() { python3 -c "import sys; sys.exit(0 if $1 < $2 else 1)"; }

verify_cpu() { # DIR: a cold `generate --verify` of DIR/versions
	rm -rf "$1/out"
	mkdir -p "$1/out"
	(cd "$1" && cpu "$migc" generate --versions versions --name speed \
		--dialect sqlite --output-dir out --verify)
}

# at_most A B FACTOR WHAT: a cold verify of B costs at most FACTOR times
# one of A (at least 0.05 s).
at_most() {
	local a b
	a=$(verify_cpu "$1")
	b=$(verify_cpu "$2")
	echo "$4: $1 $a s, $2 $b s"
	below "$b" "$3 * max($a, 0.05)" || fail "$4: $2 took $b s against $a s for $1"
}

step "10x the revisions cost at most 20x the time (linear: 10x)"
python3 "$source/bench/make_revisions.py" --count 400 --versions chain400/versions
python3 "$source/bench/make_revisions.py" --count 4000 --versions chain4000/versions
at_most chain400 chain4000 20 "10x the revisions"

step "touching one revision among 1000 rebuilds in well under a second"
python3 "$source/bench/make_revisions.py" --count 1000 --versions chain1000/versions
verify_cpu chain1000 >/dev/null
touched=$(ls chain1000/versions/00500_*.sql)
sed -i "s/'revision 500'/'revision 500, touched'/" "$touched"
grep -q "touched" "$touched" || fail "$touched was not touched"
warm=$(cd chain1000 && cpu "$migc" generate --versions versions --name speed \
	--dialect sqlite --output-dir out --verify)
echo "after touching one: $warm s"
below "$warm" 1 || fail "after touching one revision the build took $warm s"

step "many views cost a revision no more than none"
python3 "$source/bench/make_views_project.py" --revisions 248 --views 42 views
python3 "$source/bench/make_views_project.py" --revisions 248 --views 0 plain
at_most plain views 2 "42 views"

step "autogenerate and check under a second on 248 revisions and 42 views"
checked=$(cd views && cpu "$migc" check)
echo "check: $checked s"
below "$checked" 1 || fail "check took $checked s"
written=$(cd views && cpu "$migc" revision --autogenerate -m audit)
echo "revision --autogenerate: $written s"
below "$written" 1 || fail "revision --autogenerate took $written s"
ls views/versions | grep '_audit.sql$' >/dev/null || fail "autogenerate wrote no revision"
echo "verify_speed: all passed"
