#!/usr/bin/env bash
# pgbouncer.sh CLI WORK_DIR
# Fleets booting at once through PgBouncer (issue 16): 16 and 64 processes of
# the compiled command line (tests/data/fleet) run `upgrade head` together
# against one fresh database, through a PgBouncer this script starts in
# front of the server libpq's PGHOST names (scripts/pgbouncer.sh), and
# directly. fleet.sh checks every run: every process exits 0, every revision
# is applied exactly once, no lock is left behind.
#   transaction pooling: the lease lock (migc_lock=lease in the URL); a
#     session advisory lock does not hold there;
#   session pooling and direct: the default advisory lock, and the lease.
# The pool is smaller than the fleet (20 server connections), as in
# production, so clients queue in PgBouncer.
set -euo pipefail

cli=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
bouncer=$here/../../scripts/pgbouncer.sh

# shellcheck source=lib.sh
. "$here/lib.sh"
need_postgresql "pgbouncer fleet"
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] ||
	fail "pgbouncer is needed (Debian: apt-get install pgbouncer)"

work_dir "$work"
# A short path: unix socket paths hold about 107 bytes.
pool_dir=$(mktemp -d "${TMPDIR:-/tmp}/migc-pgb.XXXXXX")
rmdir "$pool_dir"
cleanup() { "$bouncer" stop "$pool_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# fleet LABEL RUNNERS ROUNDS QUERY: one fleet.sh run.
fleet() {
	local label=$1 runners=$2 rounds=$3 query=$4 started=$SECONDS
	MIGC_FLEET_RUNNERS=$runners MIGC_FLEET_URL_QUERY=$query \
		bash "$here/fleet.sh" postgresql "$cli" "$work/$label-$runners" "$rounds" >"$work/$label-$runners.log" 2>&1 || {
		cat "$work/$label-$runners.log" >&2
		fail "$label, $runners runners"
	}
	echo "pgbouncer fleet: $label, $runners runners x $rounds rounds: passed in $((SECONDS - started))s"
}

for mode in transaction session; do
	"$bouncer" start "$pool_dir" "$mode" 20 >/dev/null
	(
		eval "$("$bouncer" env "$pool_dir")"
		fleet "pgbouncer-$mode-lease" 16 2 "?migc_lock=lease"
		fleet "pgbouncer-$mode-lease" 64 1 "?migc_lock=lease"
		if [ "$mode" = session ]; then
			fleet "pgbouncer-$mode-advisory" 16 1 ""
			fleet "pgbouncer-$mode-advisory" 64 1 ""
		fi
	)
	"$bouncer" stop "$pool_dir"
done
fleet direct-advisory 64 1 ""
fleet direct-lease 16 1 "?migc_lock=lease"
fleet direct-lease 64 1 "?migc_lock=lease"
echo "pgbouncer fleet: all checks passed"
