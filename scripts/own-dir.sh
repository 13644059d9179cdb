# own-dir.sh: sourced by pg-server.sh and pgbouncer.sh, whose servers live
# in a directory of their own and run as `postgres` when started by root.
#
# own_dir WHO DIR FILE WHAT: DIR made if missing and printed as an absolute
# path, owned by postgres under root and readable by all; fails (WHO's
# message) when DIR/FILE shows WHAT still running there.
own_dir() {
	local who=$1 dir=$2 file=$3 what=$4
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ -e "$dir/$file" ]; then
		echo "$who: $dir/$file exists; stop that $what first" >&2
		return 1
	fi
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
	chmod 755 "$dir"
	echo "$dir"
}
