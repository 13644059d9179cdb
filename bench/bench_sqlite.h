/* bench_sqlite.h: what the SQLite benchmark programs share. */
#ifndef MIGC_BENCH_SQLITE_H
#define MIGC_BENCH_SQLITE_H

#include "bench_util.h"

#include <sqlite3.h>

/* Runs `sql`; a failure ends the program. */
static inline void bench_sqlite_exec(sqlite3 *db, const char *sql)
{
	char *message = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK)
		bench_die(sql, message);
}

#endif /* MIGC_BENCH_SQLITE_H */
