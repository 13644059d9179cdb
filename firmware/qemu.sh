#!/usr/bin/env bash
# qemu.sh WORK_DIR: runs the images firmware/size.sh built in WORK_DIR under
# QEMU, the Cortex-M4 ones on mps2-an386 and the RV64 one on virt, with
# semihosting for their output and exit status. Each image checks its
# trace against the host's and measures its stack; this prints that beside
# the static worst case and fails on a trace that differs, a stack over
# firmware/budget's image_stack, or a run that does not end in time.
set -euo pipefail
work=$1
src=$(cd "$(dirname "$0")/.." && pwd)
limit=$(awk '$1 == "image_stack" { print $2 }' "$src/firmware/budget")
seconds=${MIGC_FIRMWARE_QEMU_SECONDS:-30}
status=0

run() { # variant qemu machine [qemu options]
	local variant=$1 qemu=$2 machine=$3 build=$work/$1 out rc=0
	shift 3
	if ! command -v "$qemu" >/dev/null; then
		echo "FAIL $variant: $qemu is not installed (scripts/setup-debian.sh installs it)"
		status=1
		return
	fi
	out=$(timeout "$seconds" "$qemu" -M "$machine" -display none -monitor none \
		-serial none -semihosting-config enable=on,target=native \
		"$@" -kernel "$build/image" 2>&1) || rc=$?
	printf '%s\n' "$out" | sed "s|^|$variant: |"
	if [ "$rc" = 124 ]; then
		echo "FAIL $variant: no exit within ${seconds}s (a hang)"
		status=1
		return
	fi
	if [ "$rc" != 0 ]; then
		echo "FAIL $variant: the image exited with $rc"
		status=1
	fi
	# The static worst case of what the image calls, beside the core's.
	read -r static function <"$build/static-stack"
	read -r called which _ < <(find "$build/migc/runtime/CMakeFiles/migc_runtime.dir" -name "*.ci" -exec cat {} + |
		awk -v only="migc_upgrade" -f "$src/firmware/stack.awk")
	measured=$(printf '%s\n' "$out" | sed -n 's/.*stack high-water mark \([0-9]*\) bytes.*/\1/p')
	if [ -z "$measured" ]; then
		echo "FAIL $variant: the image reported no stack figure"
		status=1
		return
	fi
	echo "$variant: stack measured $measured B on the target (the steps' own frames, the RAM driver and the check included);" \
		"static worst case, core only: $called B for what the image calls ($which), $static B for any call ($function)"
	if [ "${variant%%/*}" = arm-none-eabi ] && [ "$measured" -gt "$limit" ]; then
		echo "FAIL $variant: the measured stack, $measured B, is over image_stack, $limit B (firmware/budget)"
		status=1
	fi
}

run arm-none-eabi qemu-system-arm mps2-an386
run arm-none-eabi/no-messages qemu-system-arm mps2-an386
run riscv64-unknown-elf qemu-system-riscv64 virt -bios none
[ $status -eq 0 ] && echo "firmware: every image agrees with the host"
exit $status
