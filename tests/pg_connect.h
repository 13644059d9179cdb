/* pg_connect.h: how the PostgreSQL unit tests connect to the server libpq's
 * environment names (PGHOST...), and run SQL there. */
#ifndef MIGC_TEST_PG_CONNECT_H
#define MIGC_TEST_PG_CONNECT_H

#include <check.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A connection to database `name` (NULL: libpq's default); fails the test
 * when there is none. */
static PGconn *connect_to(const char *name)
{
	const char *keys[] = {"dbname", NULL};
	const char *values[] = {name, NULL};
	PGconn *c = PQconnectdbParams(keys, values, 1);

	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "cannot connect to %s: %s",
		      name != NULL ? name : "", PQerrorMessage(c));
	return c;
}

/* Runs a statement that must succeed. */
static inline void exec_on(PGconn *c, const char *sql)
{
	PGresult *result = PQexec(c, sql);

	ck_assert_msg(PQresultStatus(result) == PGRES_COMMAND_OK ||
			  PQresultStatus(result) == PGRES_TUPLES_OK,
		      "%s: %s", sql, PQerrorMessage(c));
	PQclear(result);
}

/* Runs a command that must succeed as one (not a query). */
static inline void command_on(PGconn *c, const char *sql)
{
	PGresult *result = PQexec(c, sql);

	ck_assert_msg(PQresultStatus(result) == PGRES_COMMAND_OK, "%s: %s", sql,
		      PQerrorMessage(c));
	PQclear(result);
}

/* A database of a test's own, created as `prefix` with this process and a
 * count (written to `name`) through `admin`, a new connection to
 * PGDATABASE; a connection to it. */
static inline PGconn *database_create(PGconn **admin, char *name, size_t size,
				      const char *prefix)
{
	static unsigned counter;
	char sql[128];

	*admin = connect_to(getenv("PGDATABASE"));
	snprintf(name, size, "%s_%ld_%u", prefix, (long)getpid(), counter++);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	command_on(*admin, sql);
	return connect_to(name);
}

/* Closes `connection` to what database_create made, drops it and closes
 * `admin`. */
static inline void database_drop(PGconn *admin, PGconn *connection,
				 const char *name)
{
	char sql[128];

	PQfinish(connection);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
	command_on(admin, sql);
	PQfinish(admin);
}

/* Rows of a query's first column joined with ","; NULL as "NULL". */
static inline const char *query_on(PGconn *c, const char *sql)
{
	static char out[2048];
	PGresult *result = PQexec(c, sql);
	int i;

	ck_assert_msg(PQresultStatus(result) == PGRES_TUPLES_OK, "%s: %s", sql,
		      PQerrorMessage(c));
	out[0] = '\0';
	for (i = 0; i < PQntuples(result); i++) {
		size_t used = strlen(out);

		snprintf(out + used, sizeof out - used, "%s%s",
			 i > 0 ? "," : "",
			 PQgetisnull(result, i, 0) ? "NULL"
						   : PQgetvalue(result, i, 0));
	}
	PQclear(result);
	return out;
}

#endif /* MIGC_TEST_PG_CONNECT_H */
