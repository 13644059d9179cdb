#!/usr/bin/env bash
# pgbouncer.sh: a throwaway PgBouncer (Debian's `pgbouncer`) in front of the
# PostgreSQL server libpq's environment names (PGHOST, PGPORT, as
# scripts/pg-server.sh prints them), for the tests of fleets booting through
# a pooler. It lives in one directory (configuration, log, unix socket),
# listens on no TCP port and lets any client in as the server's user.
# Works as a normal user and as root (CI), where it runs as `postgres`,
# because pgbouncer refuses root.
#
#   scripts/pgbouncer.sh start DIR MODE [POOL_SIZE]
#                                  MODE: transaction or session; prints DIR
#   scripts/pgbouncer.sh env DIR   prints export lines for libpq (PGHOST PGPORT)
#   scripts/pgbouncer.sh stop DIR  stop it and delete DIR
set -euo pipefail

port=6432 # only names the socket file: nothing listens on TCP

# shellcheck source=own-dir.sh
. "$(dirname "$0")/own-dir.sh"

usage() {
	echo "usage: $0 start DIR transaction|session [POOL_SIZE] | env DIR | stop DIR" >&2
	exit 2
}

start() {
	local dir=$1 mode=$2 pool=${3:-20}
	local program
	program=$(command -v pgbouncer || true)
	[ -n "$program" ] || [ ! -x /usr/sbin/pgbouncer ] || program=/usr/sbin/pgbouncer
	[ -n "$program" ] || {
		echo "pgbouncer.sh: no pgbouncer found; install it (Debian: apt-get install pgbouncer)" >&2
		exit 1
	}
	case $mode in transaction | session) ;; *) usage ;; esac
	[ -n "${PGHOST:-}" ] || {
		echo "pgbouncer.sh: PGHOST names no server; start one with scripts/pg-server.sh" >&2
		exit 1
	}
	dir=$(own_dir pgbouncer.sh "$dir" pgbouncer.pid one)
	cat >"$dir/pgbouncer.ini" <<CONF
; pgbouncer.sh: throwaway pooler for the tests
[databases]
* = host=$PGHOST port=${PGPORT:-5432} user=${PGUSER:-postgres}

[pgbouncer]
listen_addr =
listen_port = $port
unix_socket_dir = $dir
unix_socket_mode = 0777
auth_type = any
pool_mode = $mode
default_pool_size = $pool
max_client_conn = 500
max_db_connections = $pool
server_reset_query = DISCARD ALL
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
CONF
	[ "$(id -u)" -ne 0 ] || chown postgres: "$dir/pgbouncer.ini"
	local as_owner=()
	[ "$(id -u)" -ne 0 ] || as_owner=(runuser -u postgres --)
	"${as_owner[@]}" "$program" -d -q "$dir/pgbouncer.ini" || {
		cat "$dir/pgbouncer.log" >&2 2>/dev/null || true
		echo "pgbouncer.sh: pgbouncer did not start (log above)" >&2
		exit 1
	}
	# Ready once its socket answers.
	local i
	for i in $(seq 1 100); do
		[ -S "$dir/.s.PGSQL.$port" ] && break
		sleep 0.05
	done
	[ -S "$dir/.s.PGSQL.$port" ] || {
		cat "$dir/pgbouncer.log" >&2 2>/dev/null || true
		echo "pgbouncer.sh: no socket in $dir after 5 s (log above)" >&2
		exit 1
	}
	echo "$dir"
}

stop() {
	local dir=$1 pid i
	[ -d "$dir" ] || return 0
	if [ -f "$dir/pgbouncer.pid" ]; then
		pid=$(cat "$dir/pgbouncer.pid")
		kill "$pid" 2>/dev/null || true
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -9 "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
}

env_lines() {
	[ -f "$1/pgbouncer.pid" ] || {
		echo "pgbouncer.sh: no pgbouncer runs in $1; start one first" >&2
		exit 1
	}
	printf "export PGHOST='%s'\nexport PGPORT=%s\n" "$(cd "$1" && pwd)" "$port"
}

case ${1:-} in
start) [ $# -ge 3 ] || usage; start "$2" "$3" "${4:-}" ;;
stop) [ $# -eq 2 ] || usage; stop "$2" ;;
env) [ $# -eq 2 ] || usage; env_lines "$2" ;;
*) usage ;;
esac
