#!/usr/bin/env bash
# size.sh MIGC WORK_DIR [TRACE]: builds the runtime core and the image for
# Cortex-M4 (newlib) and freestanding RV64 with the example's set (made by
# the host generator MIGC), prints .text/.data/.bss and the worst-case
# stack, what takes the space, and fails when the Cortex-M4 core passes
# firmware/budget. The image's core is the upgrade-only profile
# (MIGC_PROFILE_UPGRADE_ONLY, migc.h); the full core is built beside it
# for its figures (full/), with budgets of its own (full_core_*). TRACE, firmware-trace, writes the host's trace that the
# image checks its own against; without it only the core is built (no
# image.text), as bench/figures.sh measures. firmware/qemu.sh then runs the
# images.
set -euo pipefail
migc=$1
work=$2
trace=${3:-}
src=$(cd "$(dirname "$0")/.." && pwd)
max_revisions=${MIGC_FIRMWARE_MAX_REVISIONS:-256}

rm -rf "$work"
mkdir -p "$work/gen"
"$migc" generate --versions "$src/versions" --name app_migrations \
	--dialect sqlite --output-dir "$work/gen" >/dev/null
goal=migc_runtime
if [ -n "$trace" ]; then
	"$trace" "$work/gen/expected_trace.h"
	goal=image
fi

budget() { awk -v k="$1" '$1 == k { print $2 }' "$src/firmware/budget"; }
status=0
printf '%-26s %9s %6s %6s %8s %10s\n' target core.text data bss stack image.text
for variant in arm-none-eabi arm-none-eabi/no-messages riscv64-unknown-elf \
	full/arm-none-eabi full/arm-none-eabi/no-messages; do
	profile=ON
	case $variant in full/*) profile=OFF ;; esac
	target=${variant#full/}
	target=${target%%/*}
	no_messages=OFF
	[ "$variant" = "${variant%/no-messages}" ] || no_messages=ON
	build=$work/$variant
	prefix=
	[ $profile = ON ] || prefix=full_
	goal_here=$goal
	[ $profile = ON ] || goal_here=migc_runtime
	cmake -S "$src/firmware" -B "$build" -DMIGC_FIRMWARE_NO_MESSAGES=$no_messages \
		-DMIGC_PROFILE_UPGRADE_ONLY=$profile \
		-DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchains/$target.cmake" \
		-DCMAKE_BUILD_TYPE=MinSizeRel -DMIGC_GENERATED_DIR="$work/gen" \
		-DMIGC_FIRMWARE_MAX_REVISIONS="$max_revisions" >/dev/null
	cmake --build "$build" --target "$goal_here" >/dev/null
	read -r text data bss _ < <("$target-size" -t "$build/migc/runtime/libmigc.a" |
		awk '/(TOTALS)/ { print $1, $2, $3, $4 }')
	image_text=-
	[ -z "$trace" ] || [ $profile = OFF ] || image_text=$("$target-size" "$build/image" | awk 'NR == 2 { print $1 }')
	read -r stack function recursion chain < <(find "$build/migc/runtime/CMakeFiles/migc_runtime.dir" -name "*.ci" -exec cat {} + |
		awk -f "$src/firmware/stack.awk")
	printf '%-26s %9s %6s %6s %8s %10s\n' "$variant" "$text" "$data" "$bss" \
		"$stack" "$image_text"
	echo "$stack $function" >"$build/static-stack"
	if [ "$recursion" != 0 ]; then
		echo "FAIL $variant: recursion in the core; its stack is not bounded"
		status=1
	fi
	if find "$build/migc/runtime/CMakeFiles/migc_runtime.dir" -name "*.su" -exec grep -h -v "static" {} +; then
		echo "FAIL $variant: frames above are not static (VLA or alloca)"
		status=1
	fi
	if [ "${variant#full/}" = arm-none-eabi/no-messages ]; then
		limit=$(budget ${prefix}core_text_no_messages)
		if [ "$text" -gt "$limit" ]; then
			echo "FAIL $variant: ${prefix}core_text_no_messages is $text, over the budget of $limit (firmware/budget)"
			status=1
		fi
	fi
	if [ "${variant#full/}" = arm-none-eabi ]; then
		for pair in "core_text $text" "core_data $data" "core_bss $bss" "core_stack $stack"; do
			set -- $pair
			limit=$(budget "$prefix$1")
			if [ "$2" -gt "$limit" ]; then
				echo "FAIL $variant: $prefix$1 is $2, over the budget of $limit (firmware/budget)"
				status=1
			fi
		done
		echo "  worst stack: $function (MIGC_MAX_REVISIONS=$max_revisions, MIGC_MAX_HEADS=4, MIGC_ERROR_MESSAGE_SIZE=128):"
		echo "    ${chain//>/ > }"
		# What takes the space; inlined code counts where it is inlined.
		awk -f "$src/firmware/space.awk" \
			$(find "$build/migc/runtime/CMakeFiles/migc_runtime.dir" -name "*.su") \
			<("$target-size" -A "$build/migc/runtime/libmigc.a")
	fi
done
[ $status -eq 0 ] && echo "firmware: within budget"
exit $status
