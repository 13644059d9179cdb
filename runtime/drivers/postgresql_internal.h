/* postgresql_internal.h: what the PostgreSQL driver's files share: its
 * errors, running one statement, the names of its tables, and the lock
 * (postgresql_lock.c) that begin() renews. Not installed. */
#ifndef MIGC_POSTGRESQL_INTERNAL_H
#define MIGC_POSTGRESQL_INTERNAL_H

#include "migc_postgresql.h"
#include "migc_text.h"

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

/* Room for the longest internal statement on a 127-byte "schema.table"
 * with every character a doubled quote. */
#define SQL_BUFFER_SIZE 1024
#define NAME_PART_MAX	63 /* PostgreSQL's NAMEDATALEN - 1 */

/* SQL text in a stack buffer, written with the runtime's builder. */
typedef struct sql_text {
	char data[SQL_BUFFER_SIZE];
	migc_text text;
} sql_text;

/* A version or history table: "name" or "schema.name". */
typedef struct table_name {
	const char *schema; /* NULL: the search_path decides */
	size_t schema_length;
	const char *name;
	size_t name_length;
	/* "schema"."name", for SQL and to_regclass */
	char quoted[2 * (2 * NAME_PART_MAX + 2) + 2];
} table_name;

/* Fills `error` (if any) with `code` and the message of `format`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int postgresql_fail(migc_error *error, int code, const char *format, ...);
/* "<what>: <primary message> (SQLSTATE xxxxx); DETAIL: ...; HINT: ..." from
 * a failed result, or libpq's connection message when there is none. */
int postgresql_fail_result(migc_error *error, int code, PGconn *connection,
			   const PGresult *result, const char *what);
int postgresql_result_ok(const PGresult *result);
/* Runs `sql` (NUL-terminated) with text parameters; keeps the result in
 * *out when asked, else clears it. */
int postgresql_run(migc_postgresql *pg, const char *sql, int parameter_count,
		   const char *const *values, PGresult **out, const char *what,
		   migc_error *error);
int64_t postgresql_now_ms(void);
void postgresql_sleep_ms(int64_t ms);
/* A version or history table's name; one without a schema is in the
 * tenant's schema when the driver has one. */
int postgresql_table_parse(const migc_postgresql *pg, table_name *out,
			   const char *table, size_t length, migc_error *error);
/* `before` "schema"."table" `after`. */
void postgresql_table_sql(sql_text *sql, const char *before,
			  const table_name *table, const char *after);

/* postgresql_lock.c: the driver table's lock and unlock, and the lease's
 * renewal before a transaction. */
int postgresql_lock(void *context, const char *key, size_t key_length,
		    migc_error *error);
int postgresql_unlock(void *context, const char *key, size_t key_length,
		      migc_error *error);
int postgresql_lease_renew(migc_postgresql *pg, migc_error *error);

#endif /* MIGC_POSTGRESQL_INTERNAL_H */
