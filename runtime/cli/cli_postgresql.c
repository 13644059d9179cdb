/* cli_postgresql.c: how the command line opens postgresql:// URLs (and
 * postgres://), through libpq. A library of its own
 * (migc::cli_postgresql), so that a command line loads libpq, and what it
 * brings (OpenSSL, Kerberos, LDAP...), only when it lists this driver. */
#include "database.h"
#include "migc_postgresql.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The context is the driver's own state, whose connection the opener
 * sets first. */
static void close_postgresql(void *context)
{
	migc_postgresql *postgresql = context;

	PQfinish(postgresql->connection);
	free(postgresql);
}

/* Whether `url` or the environment names the database: libpq would
 * otherwise connect to the one named like the user, silently. */
static int names_database(const char *url)
{
	static const char *const keys[] = {"dbname", "service"};
	PQconninfoOption *options = PQconninfoParse(url, NULL);
	PQconninfoOption *option;
	const char *value;
	int named = 0;
	size_t i;

	for (option = options; option != NULL && option->keyword != NULL;
	     option++) {
		for (i = 0; i < 2; i++)
			named |= strcmp(option->keyword, keys[i]) == 0 &&
				 option->val != NULL && option->val[0] != '\0';
	}
	PQconninfoFree(options);
	value = getenv("PGDATABASE");
	named |= value != NULL && value[0] != '\0';
	value = getenv("PGSERVICE");
	return named | (value != NULL && value[0] != '\0');
}

/* libpq parses the URL itself and fills what it leaves out from PGHOST,
 * PGPORT, PGDATABASE, PGUSER, PGPASSWORD...: "postgresql://" alone uses
 * only the environment. */
static int open_postgresql(migc_driver *out, void **context, const char *url,
			   const char *rest, migc_error *error)
{
	char reason[MIGC_ERROR_MESSAGE_SIZE];
	migc_postgresql *postgresql = calloc(1, sizeof *postgresql);
	size_t length;
	int rc;

	(void)rest;
	if (postgresql == NULL)
		return migc_cli_open_failure(error, url, "out of memory");
	if (!names_database(url)) {
		free(postgresql);
		return migc_cli_open_failure(
		    error, url,
		    "no database named; name it in the URL "
		    "(postgresql://host/DATABASE) or set PGDATABASE, rather "
		    "than let libpq pick the one named like the user");
	}
	postgresql->connection = PQconnectdb(url);
	if (postgresql->connection == NULL) {
		rc = migc_cli_open_failure(error, url, "out of memory");
	} else if (PQstatus(postgresql->connection) != CONNECTION_OK) {
		snprintf(reason, sizeof reason, "%s",
			 PQerrorMessage(postgresql->connection));
		length = strlen(reason);
		while (length > 0 && (reason[length - 1] == '\n' ||
				      reason[length - 1] == '.'))
			reason[--length] = '\0';
		rc = migc_cli_open_failure(error, url, reason);
	} else {
		rc = migc_postgresql_driver(out, postgresql,
					    postgresql->connection, 0, error);
	}
	if (rc != MIGC_OK) {
		close_postgresql(postgresql);
		return rc;
	}
	*context = postgresql;
	return MIGC_OK;
}

static const char *const postgresql_prefixes[] = {"postgresql://",
						  "postgres://", NULL};

const migc_cli_driver migc_cli_postgresql = {
    MIGC_CLI_DRIVER_VERSION,
    "PostgreSQL",
    postgresql_prefixes,
    "postgresql://user@host/db",
    "postgresql://[user[:password]@][host][:port][/db][?parameters]",
    open_postgresql,
    close_postgresql};
