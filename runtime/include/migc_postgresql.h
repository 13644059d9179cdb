/* migc_postgresql.h: the PostgreSQL driver (libpq). Wraps a connection the
 * caller opened; migc never opens or closes it. */
#ifndef MIGC_POSTGRESQL_H
#define MIGC_POSTGRESQL_H

#include "migc.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pg_conn; /* libpq's PGconn */

#ifndef MIGC_POSTGRESQL_LOCK_TIMEOUT_MS
#define MIGC_POSTGRESQL_LOCK_TIMEOUT_MS 60000
#endif

/* Storage for the driver's state; the caller owns it and keeps it alive as
 * long as the driver is used. */
typedef struct migc_postgresql {
	struct pg_conn *connection;
	int lock_timeout_ms; /* how long to poll pg_try_advisory_lock */
	int lock_held;
	int64_t lock_key;
} migc_postgresql;

/* Fills `out` to drive `connection`. lock_timeout_ms <= 0 means
 * MIGC_POSTGRESQL_LOCK_TIMEOUT_MS. */
MIGC_EXPORT int migc_postgresql_driver(migc_driver *out,
				       migc_postgresql *context,
				       struct pg_conn *connection,
				       int lock_timeout_ms, migc_error *error);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_POSTGRESQL_H */
