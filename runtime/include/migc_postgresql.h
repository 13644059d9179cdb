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

/* Storage for the driver's state; the caller owns it and keeps it alive as
 * long as the driver is used. */
typedef struct migc_postgresql {
	struct pg_conn *connection;
	int lock_timeout_ms; /* how long to poll pg_try_advisory_lock */
	int lock_held;	     /* how many times lock() succeeded unreleased */
	int64_t lock_key;    /* FNV-1a 64 of the key the core passed */
	/* Clock for history rows with MIGC_DURATION_MEASURE (monotonic ms). */
	int64_t began_at_ms;	/* last begin() */
	int64_t progress_at_ms; /* first progress write of progress_revision */
	char progress_revision[MIGC_REVISION_ID_MAX + 1];
} migc_postgresql;

/* Fills `out` to drive `connection`, which must be open (CONNECTION_OK).
 * lock_timeout_ms <= 0 means MIGC_POSTGRESQL_LOCK_TIMEOUT_MS. */
MIGC_EXPORT int migc_postgresql_driver(migc_driver *out,
				       migc_postgresql *context,
				       struct pg_conn *connection,
				       int lock_timeout_ms, migc_error *error);

/* The advisory lock key the driver uses for `key` (what the core passes to
 * lock(): "<set name>:<version table>"), for finding the holder in
 * pg_locks: classid = key >> 32, objid = key & 0xffffffff, objsubid = 1. */
MIGC_EXPORT int64_t migc_postgresql_lock_key(const char *key, size_t length);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_POSTGRESQL_H */
