/* migc_sqlite.h: the SQLite driver. Wraps a connection the caller opened;
 * migc never opens or closes it. */
#ifndef MIGC_SQLITE_H
#define MIGC_SQLITE_H

#include "migc_driver.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3;
struct sqlite3_stmt;

#ifndef MIGC_SQLITE_BUSY_TIMEOUT_MS
#define MIGC_SQLITE_BUSY_TIMEOUT_MS 30000
#endif

/* Storage for the driver's state; the caller owns it and keeps it alive as
 * long as the driver is used. */
typedef struct migc_sqlite {
	struct sqlite3 *db;
	int busy_timeout_ms;
	/* The driver measures durations for the history table (the core has
	 * no clock): milliseconds since the Julian epoch when the current
	 * revision started, and whether a "transaction none" revision's
	 * progress rows started that clock. */
	int64_t clock_start_ms;
	int clock_untransacted;
	/* lock() holds flock() on "<database file>-migc-lock" (POSIX), so
	 * runners in other processes wait even while a "transaction none"
	 * revision runs outside any transaction; -1 when not held. */
	int lock_fd;
	/* While lock() holds (one operation, serialised against other
	 * runners): the statements the core runs per revision stay prepared
	 * and the version and history tables, once checked, are not looked up
	 * again; unlock() finalizes and forgets them. `known_pending` marks the
	 * tables checked in the open transaction: a rollback forgets them. */
	int locked;
	struct sqlite3_stmt *prepared[8];
	char known[2][MIGC_TABLE_NAME_MAX + sizeof MIGC_HISTORY_SUFFIX];
	unsigned known_pending;
	/* The boot's one statement (reading the version rows and the set
	 * digest), kept prepared for the table it reads; NULL when none. */
	struct sqlite3_stmt *state_statement;
	char state_table[MIGC_TABLE_NAME_MAX + 1];
	size_t state_table_length;
} migc_sqlite;

/* Fills `out` to drive `db`. Sets SQLite's busy timeout
 * (busy_timeout_ms <= 0 means MIGC_SQLITE_BUSY_TIMEOUT_MS). */
MIGC_EXPORT int migc_sqlite_driver(migc_driver *out, migc_sqlite *context,
				   struct sqlite3 *db, int busy_timeout_ms,
				   migc_error *error);

/* Finalizes the statement the driver keeps prepared on the connection; call
 * it before sqlite3_close() (which fails with SQLITE_BUSY while a
 * statement is open). The driver may be used again afterwards. */
MIGC_EXPORT void migc_sqlite_release(migc_sqlite *context);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_SQLITE_H */
