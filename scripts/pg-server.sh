#!/usr/bin/env bash
# pg-server.sh: a throwaway PostgreSQL server for the tests. It lives in one
# directory (data and unix socket), listens on no TCP port, trusts local
# users and skips fsync. Works as a normal user and as root (CI), where the
# server runs as the `postgres` user because initdb refuses root.
#
#   scripts/pg-server.sh start [DIR]   create and start; prints DIR
#                                      (a new temporary directory if omitted)
#   scripts/pg-server.sh env DIR       prints export lines for libpq
#                                      (PGHOST PGPORT PGUSER PGDATABASE)
#   scripts/pg-server.sh stop DIR      stop the server and delete DIR
#   scripts/pg-server.sh standby DIR   a hot standby of the server libpq's
#                                      environment names (PGHOST...), made
#                                      with pg_basebackup and streaming from
#                                      it through a replication slot of its
#                                      own (stop drops it); prints DIR (env
#                                      and stop as above)
#
#   eval "$(scripts/pg-server.sh env "$(scripts/pg-server.sh start)")"
set -euo pipefail

port=5432 # only names the socket file: nothing listens on TCP

# shellcheck source=own-dir.sh
. "$(dirname "$0")/own-dir.sh"

usage() {
	echo "usage: $0 start [DIR] | env DIR | stop DIR | standby DIR" >&2
	exit 2
}

bindir() {
	local dir
	if command -v pg_config >/dev/null 2>&1; then
		dir=$(pg_config --bindir 2>/dev/null || true)
		if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
			echo "$dir"
			return
		fi
	fi
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -rn); do
		if [ -x "$dir/initdb" ]; then
			echo "$dir"
			return
		fi
	done
	echo "pg-server: no initdb found; install PostgreSQL (Debian: apt-get install postgresql)" >&2
	exit 1
}

# Runs a server program as the user that owns the cluster.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	local dir=${1:-}
	local bin
	bin=$(bindir)
	if [ -z "$dir" ]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/migc-pg.XXXXXX")
		# a failed start leaves nothing behind
		trap "rm -rf '$dir'" EXIT
	else
		mkdir -p "$dir"
	fi
	dir=$(cd "$dir" && pwd)
	if [ -e "$dir/data" ]; then
		echo "pg-server: $dir/data exists; stop that server first" >&2
		exit 1
	fi
	# unix socket paths are limited to about 107 bytes
	if [ ${#dir} -gt 80 ]; then
		echo "pg-server: $dir is too long for a unix socket path; use a shorter one" >&2
		exit 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || {
			echo "pg-server: running as root needs the postgres user (Debian's postgresql package creates it)" >&2
			exit 1
		}
		chown postgres: "$dir"
	fi
	chmod 755 "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		echo "pg-server: initdb failed (log above)" >&2
		exit 1
	}
	cat >>"$dir/data/postgresql.conf" <<CONF
# pg-server.sh: throwaway test server
listen_addresses = ''
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0777
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
		cat "$dir/server.log" >&2
		echo "pg-server: the server did not start (log above)" >&2
		exit 1
	}
	trap - EXIT
	echo "$dir"
}

standby() {
	local dir=$1
	local bin slot
	bin=$(bindir)
	[ -n "${PGHOST:-}" ] || {
		echo "pg-server: PGHOST names no primary; start one first" >&2
		exit 1
	}
	dir=$(own_dir pg-server "$dir" data server)
	# A replication slot of its own: without it the primary recycles WAL
	# the standby has not received yet whenever other clients write much
	# (a CREATE DATABASE logs its whole template), and the standby then
	# waits forever for "a segment already removed". stop drops it.
	slot=migc_standby_$(basename "$dir" | tr -c 'a-zA-Z0-9_\n' _ | tr 'A-Z' 'a-z')
	echo "$slot $PGHOST ${PGPORT:-$port} ${PGUSER:-postgres}" >"$dir/primary_slot"
	as_owner "$bin/pg_basebackup" -D "$dir/data" -R -X stream -c fast \
		-C -S "$slot" \
		-h "$PGHOST" -p "${PGPORT:-$port}" -U "${PGUSER:-postgres}" >"$dir/basebackup.log" 2>&1 || {
		cat "$dir/basebackup.log" >&2
		echo "pg-server: pg_basebackup failed (log above)" >&2
		exit 1
	}
	cat >>"$dir/data/postgresql.conf" <<CONF
# pg-server.sh standby: its own socket, read-only queries while replaying
unix_socket_directories = '$dir'
hot_standby = on
CONF
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
		cat "$dir/server.log" >&2
		echo "pg-server: the standby did not start (log above)" >&2
		exit 1
	}
	echo "$dir"
}

stop() {
	local dir=$1
	local bin
	[ -d "$dir" ] || return 0
	bin=$(bindir)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
			echo "pg-server: stopping the server in $dir failed" >&2
	fi
	if [ -f "$dir/primary_slot" ]; then
		local slot host pg_port user
		read -r slot host pg_port user <"$dir/primary_slot"
		PGHOST=$host PGPORT=$pg_port PGUSER=$user psql -X -q -d postgres \
			-c "SELECT pg_drop_replication_slot('$slot') FROM pg_replication_slots WHERE slot_name = '$slot'" >/dev/null 2>&1 ||
			echo "pg-server: dropping the replication slot $slot on the primary failed" >&2
	fi
	rm -rf "$dir"
}

env_lines() {
	local dir
	dir=$(cd "$1" && pwd)
	[ -f "$dir/data/postmaster.pid" ] || {
		echo "pg-server: no server runs in $dir; start one first" >&2
		exit 1
	}
	echo "export PGHOST='$dir'"
	echo "export PGPORT=$port"
	echo "export PGUSER=postgres"
	echo "export PGDATABASE=postgres"
}

case ${1:-} in
start) start "${2:-}" ;;
stop) [ $# -eq 2 ] || usage; stop "$2" ;;
env) [ $# -eq 2 ] || usage; env_lines "$2" ;;
standby) [ $# -eq 2 ] || usage; standby "$2" ;;
*) usage ;;
esac
