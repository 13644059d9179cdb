/* migc_postgresql.h: the PostgreSQL driver (libpq). Wraps a connection the
 * caller opened; migc never opens or closes it. Needs PostgreSQL 9.6 or
 * newer. */
#ifndef MIGC_POSTGRESQL_H
#define MIGC_POSTGRESQL_H

#include "migc_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pg_conn; /* libpq's PGconn */

#ifndef MIGC_POSTGRESQL_LOCK_TIMEOUT_MS
#define MIGC_POSTGRESQL_LOCK_TIMEOUT_MS 60000
#endif
/* Pause between two pg_try_advisory_lock attempts. */
#ifndef MIGC_POSTGRESQL_LOCK_POLL_MS
#define MIGC_POSTGRESQL_LOCK_POLL_MS 50
#endif

/* migc_error.driver_code of a failed statement is its SQLSTATE packed as
 * PostgreSQL packs it internally (MAKE_SQLSTATE), 0 when the server sent
 * none; e.g. MIGC_POSTGRESQL_SQLSTATE('4','2','P','0','1') for
 * undefined_table. The message carries the five characters too. */
#define MIGC_POSTGRESQL_SQLSTATE(c1, c2, c3, c4, c5)                           \
	((((c1) - '0') & 0x3F) | ((((c2) - '0') & 0x3F) << 6) |                \
	 ((((c3) - '0') & 0x3F) << 12) | ((((c4) - '0') & 0x3F) << 18) |       \
	 ((((c5) - '0') & 0x3F) << 24))

/* How concurrent runners are serialised (migc_postgresql_options.lock). */
enum migc_postgresql_lock_kind {
	/* A session advisory lock: released by the server when the session
	 * ends, crash included. Needs one server session for the whole run:
	 * a direct connection, or PgBouncer in session mode. */
	MIGC_POSTGRESQL_LOCK_ADVISORY = 0,
	/* A row with a lease in "<version table>_lock" (made on first use),
	 * taken and renewed by statements that each commit on their own, so
	 * it holds through PgBouncer's transaction pooling, where
	 * consecutive transactions may run on different server sessions and
	 * a session lock does not hold. A runner that dies keeps it until
	 * the lease runs out. */
	MIGC_POSTGRESQL_LOCK_LEASE = 1
};

/* Defaults of migc_postgresql_options. */
#ifndef MIGC_POSTGRESQL_LEASE_MS
#define MIGC_POSTGRESQL_LEASE_MS 300000
#endif
/* lock_timeout of each revision's transaction. */
#ifndef MIGC_POSTGRESQL_REVISION_LOCK_TIMEOUT_MS
#define MIGC_POSTGRESQL_REVISION_LOCK_TIMEOUT_MS 5000
#endif
#ifndef MIGC_POSTGRESQL_RETRIES
#define MIGC_POSTGRESQL_RETRIES 3
#endif
#ifndef MIGC_POSTGRESQL_RETRY_PAUSE_MS
#define MIGC_POSTGRESQL_RETRY_PAUSE_MS 250
#endif

#define MIGC_POSTGRESQL_OPTIONS_VERSION 1
typedef struct migc_postgresql_options {
	unsigned version; /* MIGC_POSTGRESQL_OPTIONS_VERSION */
	int lock;	  /* enum migc_postgresql_lock_kind */
	/* How long to wait for the migration lock; <= 0:
	 * MIGC_POSTGRESQL_LOCK_TIMEOUT_MS. */
	int lock_wait_ms;
	/* MIGC_POSTGRESQL_LOCK_LEASE: a holder that has not renewed its
	 * lease for this long (it renews at each revision) loses it; make it
	 * longer than the slowest revision. <= 0: MIGC_POSTGRESQL_LEASE_MS. */
	int lease_ms;
	/* Set with SET LOCAL in each transaction migc opens, so a revision
	 * waiting for a lock production traffic holds gives up instead of
	 * queueing that traffic behind it. A revision may set its own with
	 * its first statement (SET LOCAL lock_timeout = '30s'), which comes
	 * after migc's. lock_timeout: 0 means
	 * MIGC_POSTGRESQL_REVISION_LOCK_TIMEOUT_MS, < 0 the server's setting;
	 * statement_timeout: 0 or < 0 the server's setting. */
	int lock_timeout_ms;
	int statement_timeout_ms;
	/* A statement that failed on a lock or statement timeout or a
	 * deadlock in a transaction: the transaction is rolled back and, after
	 * a pause (retry_pause_ms, doubled each time), run again from its
	 * start (the statements before it, then it), at most `retries` times
	 * per transaction; `notice` hears of each retry. retries: 0 means
	 * MIGC_POSTGRESQL_RETRIES, < 0 none; retry_pause_ms <= 0:
	 * MIGC_POSTGRESQL_RETRY_PAUSE_MS. A transaction in which the driver
	 * made its own tables (the first run) is not run again. */
	int retries;
	int retry_pause_ms;
	/* May be NULL: says what the driver does on its own (a retry). */
	void (*notice)(const char *message, void *payload);
	void *notice_payload;
	/* Schema per tenant: NULL, or the schema each transaction sets as its
	 * search_path (SET LOCAL), so that a revision's unqualified names
	 * land there; a version table named without a schema is in it too
	 * (with its history and lock tables), and the lock key is
	 * "<key>@<schema>", so tenants do not wait for each other. See
	 * migc_postgresql_upgrade_schemas. */
	const char *schema;
} migc_postgresql_options;
#define MIGC_POSTGRESQL_OPTIONS_INIT                                           \
	{                                                                      \
		MIGC_POSTGRESQL_OPTIONS_VERSION,                               \
		    MIGC_POSTGRESQL_LOCK_ADVISORY, 0, 0, 0, 0, 0, 0, NULL,     \
		    NULL, NULL                                                 \
	}

/* Longest schema name the driver keeps (PostgreSQL's 63 bytes). */
#define MIGC_POSTGRESQL_NAME_MAX 63

/* Storage for the driver's state; the caller owns it and keeps it alive as
 * long as the driver is used. */
typedef struct migc_postgresql {
	struct pg_conn *connection;
	int lock_timeout_ms; /* how long to wait for the migration lock */
	int lock_held;	     /* how many times lock() succeeded unreleased */
	int64_t lock_key;    /* FNV-1a 64 of the key the core passed */
	/* Clock for history rows with MIGC_DURATION_MEASURE (monotonic ms). */
	int64_t began_at_ms;	/* last begin() */
	int64_t progress_at_ms; /* first progress write of progress_revision */
	char progress_revision[MIGC_REVISION_ID_MAX + 1];
	/* Added with migc_postgresql_options. */
	migc_postgresql_options options; /* defaults filled in */
	char schema[MIGC_POSTGRESQL_NAME_MAX + 1];
	/* The lease lock: its table, the holder's token, last renewal. */
	char lease_table[MIGC_TABLE_NAME_MAX + 8];
	char lease_holder[40];
	int64_t lease_renewed_ms;
	/* SQLSTATE of a timeout or deadlock in the open transaction ("" when
	 * none), and how many retries that transaction has had. */
	char transient[6];
	int retried;
	/* The statements the open transaction ran, NUL-separated, for running
	 * it again (heap; freed when the transaction ends); `replayable` is 0
	 * once the driver wrote its own rows or tables in it. */
	char *replay;
	size_t replay_used;
	size_t replay_capacity;
	int replayable;
} migc_postgresql;

/* Fills `out` to drive `connection`, which must be open (CONNECTION_OK).
 * lock_timeout_ms <= 0 means MIGC_POSTGRESQL_LOCK_TIMEOUT_MS; the other
 * options take their defaults. */
MIGC_EXPORT int migc_postgresql_driver(migc_driver *out,
				       migc_postgresql *context,
				       struct pg_conn *connection,
				       int lock_timeout_ms, migc_error *error);

/* The same with options (NULL: the defaults). */
MIGC_EXPORT int migc_postgresql_driver_with(
    migc_driver *out, migc_postgresql *context, struct pg_conn *connection,
    const migc_postgresql_options *options, migc_error *error);

/* Reads migc's own parameters out of a postgresql:// URL's query and
 * removes them, in place, so that libpq (which refuses parameters it does
 * not know) gets the rest: migc_lock=advisory|lease, migc_lock_wait,
 * migc_lease, migc_lock_timeout, migc_statement_timeout,
 * migc_retry_pause (each in ms, or with a unit: 500ms, 5s, 2min),
 * migc_retries (a count), migc_schema (a schema name, kept in `schema`,
 * which options->schema then points to). A value of 0 for a timeout means
 * none. Other text is left as it is. MIGC_EINVAL, `error` naming the
 * parameter, when a value is not understood. */
MIGC_EXPORT int
migc_postgresql_url_options(migc_postgresql_options *options, char *url,
			    char schema[MIGC_POSTGRESQL_NAME_MAX + 1],
			    migc_error *error);

/* Schema per tenant: applies `set` up to `target` (NULL: head) in each of
 * `schemas`, one after another on `connection`, each with its own version
 * table ("<schema>.<options' version table, else migc_version>") and
 * search_path, going on past a schema that fails. `each` (may be NULL)
 * hears of every schema: its name, the result and the error. Returns
 * MIGC_OK when every schema succeeded, else the first failure's code with
 * `error` saying how many failed and which (the first few by name);
 * *failed (may be NULL) gets the count. */
typedef void (*migc_postgresql_schema_fn)(const char *schema, int rc,
					  const migc_error *error,
					  void *payload);
MIGC_EXPORT int migc_postgresql_upgrade_schemas(
    const migc_set *set, struct pg_conn *connection, const char *const *schemas,
    size_t count, const char *target, const migc_postgresql_options *options,
    const migc_options *migration_options, migc_postgresql_schema_fn each,
    void *payload, size_t *failed, migc_error *error);

/* The advisory lock key the driver uses for `key` (what the core passes to
 * lock(): "<set name>:<version table>"), for finding the holder in
 * pg_locks: classid = key >> 32, objid = key & 0xffffffff, objsubid = 1. */
MIGC_EXPORT int64_t migc_postgresql_lock_key(const char *key, size_t length);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_POSTGRESQL_H */
