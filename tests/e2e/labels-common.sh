# labels-common.sh: what tests/e2e/labels.sh and
# tests/data/labels/alembic/record.sh share, so that migc's output and
# Alembic's are reduced to the same report the same way. The caller
# defines run_format, run_database, db_rows, db_reset and url.

# Paths to the bare file name (Alembic's are absolute .py files); the
# orders Alembic takes from a Python set (a branch point's children in
# "Branches into:" and under `branches`) sorted, since Alembic's own order
# changes from run to run; the URL replaced.
canon() {
	awk -v url="$url" '
	function flush(   i, j, t) {
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && group[j] < group[j - 1]; j--) {
				t = group[j]; group[j] = group[j - 1]; group[j - 1] = t
			}
		for (i = 1; i <= n; i++)
			print group[i]
		n = 0
	}
	/^ +-> / { group[++n] = $0; next }
	{ flush() }
	/^Path: / {
		sub(/^Path: .*\//, "Path: "); sub(/^Path: /, "Path: ")
		sub(/\.(py|sql)$/, "")
	}
	/^Branches into: / {
		k = split(substr($0, 16), item, ", ")
		for (i = 2; i <= k; i++)
			for (j = i; j > 1 && item[j] < item[j - 1]; j--) {
				t = item[j]; item[j] = item[j - 1]; item[j - 1] = t
			}
		line = "Branches into: " item[1]
		for (i = 2; i <= k; i++)
			line = line ", " item[i]
		$0 = line
	}
	{ i = index($0, url); if (url != "" && i > 0) $0 = substr($0, 1, i - 1) "URL" substr($0, i + length(url)) }
	{ print }
	END { flush() }'
}

# `current` in the order of Alembic's set of current heads, which changes
# from run to run: its revisions (one line each, or one "Rev:" block each
# with --verbose) sorted.
sort_current() {
	awk '/^Current revision/ { verbose = 1; print "\002" $0; next }
	     /^Rev: / || !verbose { if (record != "") print record; record = $0; next }
	     { record = record "\001" $0 }
	     END { if (record != "") print record }' |
		LC_ALL=C sort | tr -d '\002' | tr '\001' '\n'
}

# One "### command" section per line of FILE: the command's output.
format_report() {
	local line
	while IFS= read -r line; do
		echo "### $line"
		# shellcheck disable=SC2086
		run_format $line | canon
	done <"$1"
}

# One section per line of FILE: commands joined by " ; " run in order on
# a fresh database; for the last one its exit status, its output, the
# revisions it ran (sorted: the order of independent branches is not
# compared) and the version rows after it.
database_report() {
	local line command last status ran
	while IFS= read -r line; do
		echo "### $line"
		db_reset
		status=0
		while IFS= read -r command; do
			set +e
			# shellcheck disable=SC2086
			run_database $command >report.out 2>report.err
			status=$?
			set -e
			last=$command
		done < <(printf '%s\n' "$line" | sed 's/ ; /\n/g')
		ran=$({ grep -E 'Running (upgrade|downgrade) ' report.err || true; } |
			sed -E 's/.*Running upgrade .* -> ([^, ]+).*/up \1/; s/.*Running downgrade ([^ ]+) .*/down \1/' |
			sort | tr '\n' ' ' | sed 's/ $//')
		echo "status: $status"
		case $last in
		current*) canon <report.out | sort_current ;;
		*) canon <report.out ;;
		esac
		echo "ran: $ran"
		echo "rows: $(db_rows | tr '\n' ' ' | sed 's/ $//')"
	done <"$1"
	rm -f report.out report.err
}
