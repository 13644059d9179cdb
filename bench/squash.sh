#!/usr/bin/env bash
# squash.sh MIGC SOURCE_DIR RUNTIME_LIB_DIR WORK_DIR [COUNT]: issue 18's
# figures for baselines. A chain of COUNT (1000) revisions as
# make_revisions.py writes them, squashed to its head ('migc squash'), is
# built three ways: the chain alone, the chain with the baseline, and
# --from-baseline; for each it prints the set's object size (size(1):
# text, data) and the command line's, and what setting up a new SQLite
# database takes ('upgrade head' on an empty file): the median wall time
# of RUNS (5) runs and the instructions callgrind counts in one. Figures
# only. The chain's revisions also insert two rows each, which the baseline
# (the schema, from autogenerate) does not: a seed row belongs in the
# baseline by hand or in a revision after it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
count=${5:-1000}
runs=${RUNS:-5}
# shellcheck source=../tests/e2e/generated_cli.sh
. "$root/tests/e2e/generated_cli.sh" "$1" "$2" "$3" "$4"

python3 "$root/bench/make_revisions.py" --count "$count" --versions versions
head=$("$migc" heads --versions versions | awk '{ print $1 }')
capture "$migc" squash --versions versions --to "$head" --rev-id baseline1
[ "$status" = 0 ] || fail "squash: $err"
baseline=$(ls versions/baseline1_*.sql)

mv "$baseline" baseline.sql
generated_cli chain sqlite --no-verify
mv baseline.sql "$baseline"
generated_cli with_baseline sqlite --no-verify
generated_cli from_baseline sqlite --no-verify --from-baseline

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
setup_ms() {
	local i start end
	for i in $(seq "$runs"); do
		rm -f setup.db
		start=$(date +%s%N)
		"./$1" --url "sqlite:///$work/setup.db" upgrade head 2>/dev/null
		end=$(date +%s%N)
		echo $(((end - start) / 1000000))
	done | median
}
instructions() {
	rm -f setup.db
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"./$1" --url "sqlite:///$work/setup.db" upgrade head 2>&1 |
		sed -n 's/.*Collected : //p'
}
steps() {
	rm -f setup.db
	"./$1" --url "sqlite:///$work/setup.db" upgrade head 2>&1 | grep -c 'Running upgrade'
}

echo "issue 18: a chain of $count revisions squashed to its head"
printf '| %-34s | %12s | %10s | %10s | %6s | %8s | %14s |\n' build \
	"set text" "set data" "cli size" steps "setup ms" "instructions"
printf '|%s|\n' "------------------------------------|--------------|------------|------------|--------|----------|----------------"
for build in chain with_baseline from_baseline; do
	"${CC:-cc}" -c -I"$src/runtime/include" -I"gen-$build" -O2 \
		"gen-$build/set_$build.c" -o "set_$build.o"
	read -r text data _ < <(size "set_$build.o" | awk 'NR == 2 { print $1, $2 }')
	cli_size=$(size "$build" | awk 'NR == 2 { print $1 + $2 }')
	case $build in
	chain) what="the chain (before)" ;;
	with_baseline) what="the chain + baseline" ;;
	from_baseline) what="--from-baseline (after)" ;;
	esac
	printf '| %-34s | %12s | %10s | %10s | %6s | %8s | %14s |\n' "$what" \
		"$text" "$data" "$cli_size" "$(steps "$build")" \
		"$(setup_ms "$build")" "$(instructions "$build")"
done
