# stack.awk: worst-case stack of the core's public functions from GCC's
# -fcallgraph-info=su files. Calls through function pointers (the driver,
# the progress callback) are the caller's, not counted here. Prints
# "<bytes> <function> <1 if recursion was found> <its deepest chain>",
# the chain as "f:frame>g:frame>...". With -v only="f g ...", the worst
# of those functions alone.
/^node:/ {
	match($0, /title: "[^"]*"/)
	name = substr($0, RSTART + 8, RLENGTH - 9)
	sub(/.*:/, "", name)
	if (match($0, /\\n[0-9]+ bytes/)) {
		bytes = substr($0, RSTART + 2, RLENGTH - 2)
		sub(/ bytes/, "", bytes)
		frame[name] = bytes + 0
		defined[name] = 1
	}
}
/^edge:/ {
	match($0, /sourcename: "[^"]*"/)
	from = substr($0, RSTART + 13, RLENGTH - 14)
	sub(/.*:/, "", from)
	match($0, /targetname: "[^"]*"/)
	to = substr($0, RSTART + 13, RLENGTH - 14)
	sub(/.*:/, "", to)
	calls[from] = calls[from] " " to
}
function depth(f,    n, parts, i, best, d) {
	if (f in memo)
		return memo[f]
	if (f in visiting) {
		recursion = 1
		return 0
	}
	visiting[f] = 1
	best = 0
	n = split(calls[f], parts, " ")
	for (i = 1; i <= n; i++) {
		d = depth(parts[i])
		if (d > best) {
			best = d
			deepest[f] = parts[i]
		}
	}
	delete visiting[f]
	memo[f] = frame[f] + best
	return memo[f]
}
END {
	worst = 0
	n = split(only, names, " ")
	for (i = 1; i <= n; i++)
		wanted[names[i]] = 1
	for (f in defined)
		if (n ? f in wanted : f ~ /^migc_/) {
			d = depth(f)
			if (d > worst) {
				worst = d
				which = f
			}
		}
	chain = ""
	for (f = which; f != "" && length(chain) < 2000; f = deepest[f])
		chain = chain (chain == "" ? "" : ">") f ":" frame[f]
	print worst, which, recursion + 0, chain
}
