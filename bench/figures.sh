# figures.sh: issue 12's figures as one table, each beside its value before
# issue 12 (measured on this tree before the changes, bench/README.md) and
# its goal. Sourced by bench/run.sh, which sets root, build, bin, work,
# boot_calls, runs and verify_sizes. Ratios are measured in one run:
# migc and its floor take turns in the same process (time) or run the same
# calls under callgrind (instructions, repeatable under load).
need valgrind valgrind
need strace strace
command -v /usr/bin/time >/dev/null || need /usr/bin/time time

rows=()
# row FIGURE NOW BEFORE GOAL
row() { rows+=("| $1 | $2 | $3 | $4 |"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }

# instructions PROGRAM ARGS...: what callgrind collected (the program
# switches collection on around the calls it counts).
instructions() {
	valgrind --tool=callgrind --collect-atstart=no \
		--callgrind-out-file="$work/callgrind.out" "$@" 2>&1 |
		sed -n 's/.*Collected : //p'
}

# syscalls PROGRAM ARGS...: the system calls strace -f counts in a run.
syscalls() {
	strace -f -c -o "$work/strace.txt" "$@" >/dev/null
	awk '$NF == "total" { print $4 }' "$work/strace.txt"
}

# ---- boot with nothing pending ----
# Before issue 12: this tree on 2026-12-01 (bench/README.md), instructions
# per call of migc / the floor / the PRAGMA check, and the time ratio.
declare -A before_instructions=(
	[6]="1,647,568 / 4,820 / 8,885 (342x)"
	[100]="3,536,347 / 4,820 / 8,899 (734x)"
	[1000]="34,801,100 / 4,820 / 9,046 (7,220x)"
	[4000]="298,487,419 / 4,825 / 9,071 (61,863x)")
declare -A before_time=([6]="50x" [100]="100x" [1000]="6,065x" [4000]="77,416x")
for set in example chain100 chain1000 chain4000; do
	db=$work/boot-$set.db
	rm -f "$db" "$db-journal" "$db-migc-lock"
	"$bin/bench_boot_$set" "$db" --only floor --calls 0 # to head, untimed
	n=$(sqlite3 "$db" "PRAGMA user_version")
	# As many calls as the floor's: a boot costs the same at every set
	# size, and fewer calls would weigh the first call's one-time costs
	# (the dynamic linker resolving SQLite's functions) more.
	calls=1000
	migc=$(($(instructions "$bin/bench_boot_$set" "$db" --only migc --calls "$calls") / calls))
	floor=$(($(instructions "$bin/bench_boot_$set" "$db" --only floor --calls 1000) / 1000))
	pragma=$(($(instructions "$bin/bench_boot_$set" "$db" --only pragma --calls 1000) / 1000))
	row "boot, nothing pending, $n revisions: instructions per call, migc / floor / PRAGMA user_version" \
		"$(thousands "$migc") / $(thousands "$floor") / $(thousands "$pragma") (**$(ratio "$migc" "$floor")x**)" \
		"${before_instructions[$n]}" \
		"at most 1.2x the floor"
	time_calls=$boot_calls
	[ "$n" -ge 1000 ] && time_calls=$((boot_calls / 10))
	[ "$n" -ge 4000 ] && time_calls=$((boot_calls / 100))
	# | set | revisions | calls | migc µs | floor µs | pragma µs | migc/floor | pragma/floor |
	IFS='|' read -r _ _ _ _ t_migc t_floor t_pragma r_migc _ < <("$bin/bench_boot_$set" "$db" --calls "$time_calls" --warmup 20)
	row "boot, nothing pending, $n revisions: median time per call, migc / floor / PRAGMA user_version" \
		"$(echo $t_migc) µs / $(echo $t_floor) µs / $(echo $t_pragma) µs (**$(echo $r_migc)x**)" \
		"${before_time[$n]}" "at most 1.2x the floor"
done

# System calls of one boot: a run with one call less a run with none.
db=$work/boot-example.db
boot_syscalls() {
	echo $(($(syscalls "$bin/bench_boot_example" "$db" --only "$1" --calls 1) -
		$(syscalls "$bin/bench_boot_example" "$db" --only "$1" --calls 0)))
}
row "boot, nothing pending, 6 revisions: system calls per call (strace -c), migc / floor" \
	"$(boot_syscalls migc) / $(boot_syscalls floor)" "48 / 8" \
	"the floor's; no write, no lock, no file created"

# ---- applying 1000 revisions to a SQLite file, synchronous=off ----
migc=$(instructions "$bin/bench_apply_sqlite" "$work" --only migc --synchronous off)
history=$(instructions "$bin/bench_apply_sqlite" "$work" --only history --synchronous off)
floor=$(instructions "$bin/bench_apply_sqlite" "$work" --only floor --synchronous off)
row "apply 1000 revisions, SQLite, synchronous=off: instructions, migc / floor with history / floor" \
	"$(thousands "$migc") / $(thousands "$history") / $(thousands "$floor") (**$(ratio "$migc" "$history")x** / $(ratio "$migc" "$floor")x)" \
	"1,608,209,080 / 623,129,018 / 541,918,590 (2.58x / 2.97x)" \
	"at most 1.05x the floor with history"
ratios=$("$bin/bench_apply_sqlite" "$work" --runs "$runs" --synchronous off |
	awk -F'|' 'NR == 1 { gsub(/^ +| +$/, "", $9); print $9 }')
row "apply 1000 revisions, SQLite, synchronous=off: median time, migc / floor, / floor with history (median of $runs)" \
	"$ratios" "2.11 / 1.57 (one run, loaded machine)" \
	"at most 1.05 with history"

# ---- PostgreSQL round trips per revision ----
if [ -x "$bin/bench_apply_postgresql" ]; then
	pg_start
	sends() {
		strace -f -e trace=sendto -c -o "$work/strace.txt" \
			"$bin/bench_apply_postgresql" --only "$1" >/dev/null
		awk '$NF == "total" || $NF == "sendto" { n = $4 } END { print n }' "$work/strace.txt"
	}
	none=$(sends none)
	per_revision() { awk -v n="$(($(sends "$1") - none))" 'BEGIN { printf "%.1f", n / 1000 }'; }
	row "apply 1000 revisions, PostgreSQL: round trips per revision (sendto), migc / floor with history" \
		"$(per_revision migc) / $(per_revision history)" "13.0 / 6.0" \
		"at most 7 (the floor's 6 send the version and history rows together)"
else
	row "PostgreSQL round trips" "(built without libpq)" "13.0 / 6.0" "at most 7"
fi

# ---- build-time verify ----
# CPU seconds (user + system) as well as wall time: the first holds under
# a loaded machine. cpu_wall DIR COMMAND...: runs it in DIR (exit 0 or 1,
# which check gives for a difference); $cpu_wall is "CPU (wall)".
cpu_wall() {
	local dir=$1 wall user system
	shift
	(cd "$dir" && /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null 2>&1) || true
	read -r wall user system < <(tail -n 1 "$work/time.txt")
	cpu_wall="$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }') ($wall)"
}
verify_cold() { # DIR: `migc generate --verify` with no proof remembered
	rm -rf "$1/out"
	mkdir -p "$1/out"
	cpu_wall "$1" "$build/generator/migc" generate --versions versions \
		--name bench_verify --dialect sqlite --output-dir out --verify
}
declare -A before_verify=([1000]="4.1 (31.6, loaded)" [4000]="55.3 (1,266, loaded)"
	[10000]="the issue's 155.6 s wall (not re-measured)")
for n in $verify_sizes; do
	python3 "$root/bench/make_revisions.py" --count "$n" --versions "$work/verify$n/versions"
	verify_cold "$work/verify$n"
	row "build-time verify (migc generate --verify), $n revisions: CPU seconds (wall)" \
		"$cpu_wall" "${before_verify[$n]:-(not measured)}" "linear; 10,000 in at most 10"
done
# One revision of 1000 touched after a build that remembered every proof.
python3 "$root/bench/make_revisions.py" --count 1000 --versions "$work/verify1000/versions"
[ -f "$work/verify1000/out/bench_verify.verified" ] || verify_cold "$work/verify1000"
sed -i "s/'revision 500'/'revision 500, touched'/" "$work/verify1000/versions/"00500_*.sql
cpu_wall "$work/verify1000" "$build/generator/migc" generate --versions versions \
	--name bench_verify --dialect sqlite --output-dir out --verify
python3 "$root/bench/make_revisions.py" --count 1000 --versions "$work/verify1000/versions"
row "build-time verify, 1000 revisions, one touched after a build: CPU seconds (wall)" \
	"$cpu_wall" "the 500 after it proven again" "well under a second"
# 248 revisions shaped like an application's, with 42 views and without.
python3 "$root/bench/make_views_project.py" --revisions 248 --views 42 "$work/views" >/dev/null
python3 "$root/bench/make_views_project.py" --revisions 248 --views 0 "$work/plain" >/dev/null
verify_cold "$work/plain"
plain=$cpu_wall
verify_cold "$work/views"
row "build-time verify, 248 revisions: CPU seconds (wall), 42 views / none" \
	"$cpu_wall / $plain" "15 minutes wall with 42 views (the issue)" "no slower with views"
cpu_wall "$work/views" "$build/generator/migc" check
checked=$cpu_wall
cp -r "$work/views/versions" "$work/views/versions.kept"
cpu_wall "$work/views" "$build/generator/migc" revision --autogenerate -m audit
rm -rf "$work/views/versions"
mv "$work/views/versions.kept" "$work/views/versions"
row "revision --autogenerate / check, 248 revisions, 42 views: CPU seconds (wall)" \
	"$cpu_wall / $checked" "20 / 10.6 wall (issue 13)" "under 1 s"

# ---- the generated command line ----
# Whole process: `current` beside the sqlite3 shell selecting the version
# on the same file at head, ten rounds of 20 runs each, in turns.
db=$work/boot-chain100.db
cli_ns=0
shell_ns=0
for round in 1 2 3 4 5 6 7 8 9 10; do
	start=$(date +%s%N)
	for i in $(seq 20); do
		"$bin/bench-chain100-migrate" --url "sqlite:///$db" current >/dev/null
	done
	middle=$(date +%s%N)
	for i in $(seq 20); do
		sqlite3 "$db" "SELECT version_num FROM migc_version" >/dev/null
	done
	end=$(date +%s%N)
	cli_ns=$((cli_ns + middle - start))
	shell_ns=$((shell_ns + end - middle))
done
row "generated SQLite command line, whole process: \`current\` / the sqlite3 shell selecting the version (100 revisions)" \
	"$(awk -v c="$cli_ns" -v s="$shell_ns" 'BEGIN { printf "%.1f ms / %.1f ms (**%.2fx**)", c / 2e8, s / 2e8, c / s }')" \
	"113.6 ms / 46.8 ms (2.43x; loaded machine)" "at most 1.3x"
libraries=$(ldd "$bin/bench-chain100-migrate" | wc -l)
libpq=$(ldd "$bin/bench-chain100-migrate" | grep -c libpq || true)
row "generated SQLite command line: shared libraries loaded (ldd), libpq among them" \
	"$libraries, libpq: $libpq" "27, libpq: 1" "no libpq"

# ---- firmware (Cortex-M4 core, -Os): the image's upgrade-only profile,
# and the full core beside it ----
if bash "$root/firmware/size.sh" "$build/generator/migc" "$work/firmware" >"$work/firmware.txt" 2>&1 ||
	[ -s "$work/firmware.txt" ]; then
	field() { awk -v v="$1" -v f="$2" '$1 == v { print $f }' "$work/firmware.txt"; }
	row "firmware: Cortex-M4 core .text with messages / without, bytes (MIGC_PROFILE_UPGRADE_ONLY)" \
		"$(field arm-none-eabi 2) / $(field arm-none-eabi/no-messages 2)" \
		"22,507 / 14,588 (the full core)" "at most 8,192 / 4,096"
	row "firmware: Cortex-M4 worst-case stack, bytes (MIGC_PROFILE_UPGRADE_ONLY)" \
		"$(field arm-none-eabi 5)" "2,104 (the full core)" "at most 512"
	row "firmware: the full core beside it, .text with / without messages, stack" \
		"$(field full/arm-none-eabi 2) / $(field full/arm-none-eabi/no-messages 2), $(field full/arm-none-eabi 5)" \
		"22,507 / 14,588, 2,104" "not larger"
fi

echo
echo "==== issue 12: the figures (before: this tree before issue 12; see bench/README.md)"
echo "| figure | now | before | goal |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
