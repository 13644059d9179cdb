/* postgresql_lock.c: the PostgreSQL driver's migration lock. Concurrent
 * runners are serialised by a session advisory lock taken by polling
 * pg_try_advisory_lock, never by a blocking wait: a session that waits in
 * pg_advisory_lock holds a snapshot, and CREATE INDEX CONCURRENTLY in the
 * lock holder waits for that snapshot, so the two would deadlock. Through
 * PgBouncer's transaction pooling, where a session lock does not hold, a
 * lock row with a lease takes its place (the lease lock, below). */
#define _POSIX_C_SOURCE 200809L
#include "postgresql_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the advisory lock ---- */

int64_t migc_postgresql_lock_key(const char *key, size_t length)
{
	uint64_t hash = UINT64_C(14695981039346656037);
	size_t i;

	for (i = 0; i < length; i++) {
		hash ^= (unsigned char)key[i];
		hash *= UINT64_C(1099511628211);
	}
	/* Two's complement without implementation-defined conversion. */
	if (hash > (uint64_t)INT64_MAX)
		return -(int64_t)(~hash) - 1;
	return (int64_t)hash;
}

/* With a tenant's schema, the key is "<key>@<schema>": tenants do not wait
 * for each other. */
static int64_t tenant_lock_key(const migc_postgresql *pg, const char *key,
			       size_t key_length)
{
	char keyed[256];
	migc_text text;

	if (pg->schema[0] == '\0')
		return migc_postgresql_lock_key(key, key_length);
	migc_text_init(&text, keyed, sizeof keyed);
	migc_text_add_n(&text, key, key_length);
	migc_text_add(&text, "@");
	migc_text_add(&text, pg->schema);
	return migc_postgresql_lock_key(keyed, text.length);
}

static int lock_query(migc_postgresql *pg, const char *sql, int64_t key,
		      int *granted, const char *what, migc_error *error)
{
	char number[24];
	const char *values[1];
	PGresult *result = NULL;
	int rc;

	snprintf(number, sizeof number, "%" PRId64, key);
	values[0] = number;
	rc = postgresql_run(pg, sql, 1, values, &result, what, error);
	if (rc != MIGC_OK)
		return rc;
	*granted = PQntuples(result) == 1 &&
		   strcmp(PQgetvalue(result, 0, 0), "t") == 0;
	PQclear(result);
	return MIGC_OK;
}

static int lock_timeout(migc_postgresql *pg, const char *key, size_t key_length,
			int64_t lock_key, migc_error *error)
{
	uint64_t bits = (uint64_t)lock_key;

	return postgresql_fail(
	    error, MIGC_ELOCK,
	    "Another runner held the migration lock for '%.*s' "
	    "(PostgreSQL advisory lock %" PRId64 ") for longer than "
	    "%d ms. Find its session with: SELECT pid FROM pg_locks "
	    "WHERE locktype = 'advisory' AND classid = %" PRIu32
	    " AND objid = %" PRIu32 " AND objsubid = 1; wait for it, "
	    "or raise the lock timeout.",
	    (int)(key_length > 96 ? 96 : key_length), key, lock_key,
	    pg->lock_timeout_ms, (uint32_t)(bits >> 32),
	    (uint32_t)(bits & 0xffffffffu));
}

static int advisory_lock(migc_postgresql *pg, const char *key,
			 size_t key_length, migc_error *error)
{
	int64_t lock_key = tenant_lock_key(pg, key, key_length);
	int64_t deadline = postgresql_now_ms() + pg->lock_timeout_ms;

	for (;;) {
		int64_t left;
		int granted = 0;
		int rc = lock_query(
		    pg, "SELECT pg_try_advisory_lock($1::bigint)", lock_key,
		    &granted, "taking the migration lock", error);

		if (rc != MIGC_OK)
			return rc;
		if (granted) {
			pg->lock_held++;
			pg->lock_key = lock_key;
			return MIGC_OK;
		}
		left = deadline - postgresql_now_ms();
		if (left <= 0)
			return lock_timeout(pg, key, key_length, lock_key,
					    error);
		postgresql_sleep_ms(left < MIGC_POSTGRESQL_LOCK_POLL_MS
					? left
					: MIGC_POSTGRESQL_LOCK_POLL_MS);
	}
}

static int advisory_unlock(migc_postgresql *pg, const char *key,
			   size_t key_length, migc_error *error)
{
	int64_t lock_key = tenant_lock_key(pg, key, key_length);
	int released = 0;
	int rc =
	    lock_query(pg, "SELECT pg_advisory_unlock($1::bigint)", lock_key,
		       &released, "releasing the migration lock", error);

	if (rc != MIGC_OK)
		return rc;
	if (pg->lock_held > 0)
		pg->lock_held--;
	if (!released)
		return postgresql_fail(
		    error, MIGC_ELOCK,
		    "The migration lock was no longer held when "
		    "releasing it; did a migration statement call "
		    "pg_advisory_unlock_all() or reset the session?");
	return MIGC_OK;
}

/* ---- the lease lock (PgBouncer's transaction pooling) ----
 *
 * One row per lock key in "<version table>_lock": the holder's token (made
 * by the server) and when its lease runs out. Each statement commits on its
 * own, so no session state is needed. Taking it is one INSERT that also
 * takes over a row whose lease ran out; the holder renews it before a
 * revision's transaction once a third of the lease has passed, outside
 * that transaction, so waiters never queue behind the row. */

static int lease_table_of(migc_postgresql *pg, const char *key,
			  size_t key_length, table_name *name,
			  migc_error *error)
{
	const char *table = key;
	size_t length = key_length;
	size_t i;
	migc_text text;

	/* The core's key is "<set name>:<version table>". */
	for (i = key_length; i > 0; i--) {
		if (key[i - 1] == ':') {
			table = key + i;
			length = key_length - i;
			break;
		}
	}
	if (i == 0 || length == 0) {
		table = "migc";
		length = 4;
	}
	migc_text_init(&text, pg->lease_table, sizeof pg->lease_table);
	migc_text_add_n(&text, table, length);
	migc_text_add(&text, "_lock");
	if (text.needed > text.length)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "the version table name is too long for its "
		    "lock table");
	return postgresql_table_parse(pg, name, pg->lease_table, text.length,
				      error);
}

static int lease_table_make(migc_postgresql *pg, const table_name *name,
			    migc_error *error)
{
	char key_name[NAME_PART_MAX + 1];
	migc_text key;
	sql_text sql;
	PGresult *result;
	const char *state;
	int rc = MIGC_OK;

	migc_text_init(&key, key_name, sizeof key_name);
	migc_text_add_n(&key, name->name, name->name_length);
	migc_text_add(&key, "_pkc");
	postgresql_table_sql(
	    &sql, "CREATE TABLE IF NOT EXISTS ", name,
	    " (lock_key BIGINT NOT NULL, holder TEXT NOT NULL, "
	    "expires_at TIMESTAMPTZ NOT NULL, CONSTRAINT ");
	migc_text_add_identifier(&sql.text, key_name, key.length);
	migc_text_add(&sql.text, " PRIMARY KEY (lock_key))");
	result = PQexec(pg->connection, sql.data);
	if (!postgresql_result_ok(result)) {
		state = result != NULL
			    ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
			    : NULL;
		/* Runners making it at once: one wins, which is enough. The
		 * others fail on the table (42P07), its row type (42710:
		 * "type ... already exists") or pg_type's index (23505). */
		if (state == NULL || (strcmp(state, "23505") != 0 &&
				      strcmp(state, "42P07") != 0 &&
				      strcmp(state, "42710") != 0))
			rc = postgresql_fail_result(error, MIGC_EDRIVER,
						    pg->connection, result,
						    "creating the lock table");
	}
	PQclear(result);
	return rc;
}

/* Runs `before` <lock table> `after` with $1 the lock key, $2 the holder
 * ("" until taken) and, with `with_lease`, $3 the lease in ms. */
static int lease_run(migc_postgresql *pg, const table_name *name,
		     const char *before, const char *after, int with_lease,
		     PGresult **result, const char *what, migc_error *error)
{
	char number[24];
	char lease[16];
	const char *values[3];
	sql_text sql;

	snprintf(number, sizeof number, "%" PRId64, pg->lock_key);
	snprintf(lease, sizeof lease, "%d", pg->options.lease_ms);
	values[0] = number;
	values[1] = pg->lease_holder;
	values[2] = lease;
	postgresql_table_sql(&sql, before, name, after);
	return postgresql_run(pg, sql.data, with_lease ? 3 : 2, values, result,
			      what, error);
}

/* One try: *granted when the row is ours now. */
static int lease_try(migc_postgresql *pg, const table_name *name, int *granted,
		     migc_error *error)
{
	PGresult *result = NULL;
	int rc;

	pg->lease_holder[0] = '\0';
	rc = lease_run(pg, name, "INSERT INTO ",
		       " AS held (lock_key, holder, expires_at) VALUES "
		       "($1::bigint, md5(random()::text || $2 || "
		       "clock_timestamp()::text || pg_backend_pid()::text), "
		       "clock_timestamp() + $3::integer * interval '1 "
		       "millisecond') ON CONFLICT (lock_key) DO UPDATE SET "
		       "holder = EXCLUDED.holder, expires_at = "
		       "EXCLUDED.expires_at WHERE held.expires_at < "
		       "clock_timestamp() RETURNING holder",
		       1, &result, "taking the migration lock", error);
	if (rc != MIGC_OK)
		return rc;
	*granted = PQntuples(result) == 1;
	if (*granted)
		snprintf(pg->lease_holder, sizeof pg->lease_holder, "%s",
			 PQgetvalue(result, 0, 0));
	PQclear(result);
	return MIGC_OK;
}

static int lease_timeout(migc_postgresql *pg, const table_name *name,
			 int64_t lock_key, migc_error *error)
{
	return postgresql_fail(
	    error, MIGC_ELOCK,
	    "Another runner held the migration lock (row lock_key = "
	    "%" PRId64 " of %.96s) for longer than %d ms. Wait for it, "
	    "or raise the lock wait; one that stopped without releasing "
	    "it loses it when its lease (%d ms) runs out; if none runs, "
	    "delete the row.",
	    lock_key, name->quoted, pg->lock_timeout_ms, pg->options.lease_ms);
}

static int lease_lock(migc_postgresql *pg, const char *key, size_t key_length,
		      migc_error *error)
{
	int64_t lock_key = tenant_lock_key(pg, key, key_length);
	int64_t deadline = postgresql_now_ms() + pg->lock_timeout_ms;
	table_name name;
	int made = 0;
	int rc = lease_table_of(pg, key, key_length, &name, error);

	pg->lock_key = lock_key;
	while (rc == MIGC_OK) {
		migc_error try_error;
		int granted = 0;
		int64_t left;

		rc = lease_try(pg, &name, &granted, &try_error);
		if (rc != MIGC_OK && !made &&
		    try_error.driver_code ==
			MIGC_POSTGRESQL_SQLSTATE('4', '2', 'P', '0', '1')) {
			made = 1;
			rc = lease_table_make(pg, &name, error);
			continue;
		}
		if (rc != MIGC_OK) {
			if (error != NULL)
				*error = try_error;
			return rc;
		}
		if (granted) {
			pg->lock_held++;
			pg->lease_renewed_ms = postgresql_now_ms();
			return MIGC_OK;
		}
		left = deadline - postgresql_now_ms();
		if (left <= 0)
			return lease_timeout(pg, &name, lock_key, error);
		postgresql_sleep_ms(left < MIGC_POSTGRESQL_LOCK_POLL_MS
					? left
					: MIGC_POSTGRESQL_LOCK_POLL_MS);
	}
	return rc;
}

/* Runs `before` <lock table> `after` on the held row; *rows: how many it
 * touched (0: the lease ran out and another runner took it). */
static int lease_statement(migc_postgresql *pg, const char *before,
			   const char *after, int with_lease, int *rows,
			   const char *what, migc_error *error)
{
	PGresult *result = NULL;
	table_name name;
	int rc = postgresql_table_parse(pg, &name, pg->lease_table,
					strlen(pg->lease_table), error);

	if (rc == MIGC_OK)
		rc = lease_run(pg, &name, before, after, with_lease, &result,
			       what, error);
	if (rc != MIGC_OK)
		return rc;
	*rows = atoi(PQcmdTuples(result));
	PQclear(result);
	return MIGC_OK;
}

static int lease_lost(const migc_postgresql *pg, migc_error *error)
{
	return postgresql_fail(
	    error, MIGC_ELOCK,
	    "The migration lock was no longer held: its lease (%d ms) "
	    "in %.260s ran out and another runner may have taken it "
	    "over. Make the lease longer than the slowest revision "
	    "(migc_postgresql_options.lease_ms, migc_lease= in the "
	    "URL), then run again.",
	    pg->options.lease_ms, pg->lease_table);
}

/* Before a transaction, outside it, once a third of the lease passed. */
int postgresql_lease_renew(migc_postgresql *pg, migc_error *error)
{
	int rows = 0;
	int64_t now = postgresql_now_ms();
	int rc;

	if (pg->options.lock != MIGC_POSTGRESQL_LOCK_LEASE ||
	    pg->lock_held == 0 ||
	    now - pg->lease_renewed_ms < pg->options.lease_ms / 3 ||
	    PQtransactionStatus(pg->connection) != PQTRANS_IDLE)
		return MIGC_OK;
	rc = lease_statement(pg, "UPDATE ",
			     " SET expires_at = clock_timestamp() + "
			     "$3::integer * interval '1 millisecond' WHERE "
			     "lock_key = $1::bigint AND holder = $2",
			     1, &rows, "renewing the migration lock", error);
	if (rc != MIGC_OK)
		return rc;
	if (rows != 1)
		return lease_lost(pg, error);
	pg->lease_renewed_ms = now;
	return MIGC_OK;
}

static int lease_unlock(migc_postgresql *pg, migc_error *error)
{
	int rows = 0;
	int rc = lease_statement(
	    pg, "DELETE FROM ", " WHERE lock_key = $1::bigint AND holder = $2",
	    0, &rows, "releasing the migration lock", error);

	if (rc != MIGC_OK)
		return rc;
	if (pg->lock_held > 0)
		pg->lock_held--;
	return rows == 1 ? MIGC_OK : lease_lost(pg, error);
}

int postgresql_lock(void *context, const char *key, size_t key_length,
		    migc_error *error)
{
	migc_postgresql *pg = context;

	if (pg->options.lock == MIGC_POSTGRESQL_LOCK_LEASE)
		return lease_lock(pg, key, key_length, error);
	return advisory_lock(pg, key, key_length, error);
}

int postgresql_unlock(void *context, const char *key, size_t key_length,
		      migc_error *error)
{
	migc_postgresql *pg = context;

	if (pg->options.lock == MIGC_POSTGRESQL_LOCK_LEASE)
		return lease_unlock(pg, error);
	return advisory_unlock(pg, key, key_length, error);
}
