/* sqlite_query.h: what the SQLite unit tests read back from a database. */
#ifndef MIGC_TEST_SQLITE_QUERY_H
#define MIGC_TEST_SQLITE_QUERY_H

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* One string from a query's first column, rows joined with "," (NULL as
 * "NULL"); valid until the next call. */
static const char *query(sqlite3 *db, const char *sql)
{
	static char out[1024];
	sqlite3_stmt *statement;

	out[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &statement, NULL),
			 SQLITE_OK);
	while (sqlite3_step(statement) == SQLITE_ROW) {
		size_t used = strlen(out);
		const unsigned char *text = sqlite3_column_text(statement, 0);

		snprintf(out + used, sizeof out - used, "%s%s",
			 used > 0 ? "," : "",
			 text != NULL ? (const char *)text : "NULL");
	}
	sqlite3_finalize(statement);
	return out;
}

/* The SQL of a sqlite3_trace_v2 SQLITE_TRACE_STMT event, for the tests
 * that count what a run sends SQLite. */
static inline const char *traced_sql(unsigned type, void *statement, void *text)
{
	(void)type;
	(void)text;
	return sqlite3_sql(statement);
}

#endif /* MIGC_TEST_SQLITE_QUERY_H */
