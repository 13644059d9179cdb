/* pg_connect.h: how the PostgreSQL unit tests connect to the server libpq's
 * environment names (PGHOST...). */
#ifndef MIGC_TEST_PG_CONNECT_H
#define MIGC_TEST_PG_CONNECT_H

#include <check.h>
#include <libpq-fe.h>

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

#endif /* MIGC_TEST_PG_CONNECT_H */
