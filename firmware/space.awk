# space.awk: what takes the core's space, per source file and per
# function, from GCC's -fstack-usage files (which function is in which
# file) and `size -A` of the core built with -ffunction-sections and
# -fdata-sections (one section per function: .text.<function> its code,
# .rodata.<function>.str1.1 the strings it holds, most of them messages).
# Usage: awk -f space.awk <*.su files> <size -A output>
FILENAME ~ /\.su$/ {
	n = split($1, parts, ":")
	name = parts[n]
	sub(/\..*/, "", name)
	file = parts[1]
	sub(/.*\//, "", file)
	source[name] = file
	next
}
$1 ~ /^\.(text|rodata)/ && $2 > 0 {
	section = $1
	kind = section ~ /^\.text/ ? "code" : "data"
	name = section
	sub(/^\.(text|rodata)\./, "", name)
	sub(/\..*/, "", name)
	file = name in source ? source[name] : "(shared)"
	bytes[file, kind] += $2
	files[file] = 1
	function_bytes[name] += $2
	total += $2
}
# Takes the key of the largest value out of `sizes` ("" when it is
# empty), the value into `largest`.
function take_largest(sizes,    key, best) {
	best = ""
	for (key in sizes)
		if (best == "" || sizes[key] > sizes[best])
			best = key
	if (best != "") {
		largest = sizes[best]
		delete sizes[best]
	}
	return best
}
END {
	printf "  %-14s %7s %7s\n", "core file", "code", "strings"
	for (f in files)
		order[f] = bytes[f, "code"] + bytes[f, "data"]
	while ((f = take_largest(order)) != "")
		printf "  %-14s %7d %7d\n", f, bytes[f, "code"], bytes[f, "data"]
	printf "  largest functions (code and strings):"
	for (k = 0; k < 8; k++) {
		if ((f = take_largest(function_bytes)) == "")
			break
		printf " %s %d", f, largest
	}
	printf "\n"
}
