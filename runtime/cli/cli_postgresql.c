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

/* What the driver does on its own (retrying a transaction that timed out)
 * goes where the command line's log lines go. */
static void on_notice(const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "WARNING [migc] %s\n", message);
	fflush(stderr);
}

/* libpq parses the URL itself and fills what it leaves out from PGHOST,
 * PGPORT, PGDATABASE, PGUSER, PGPASSWORD...: "postgresql://" alone uses
 * only the environment. */
static int open_postgresql(migc_driver *out, void **context, const char *url,
			   const char *rest, migc_error *error)
{
	char reason[MIGC_ERROR_MESSAGE_SIZE];
	migc_postgresql *postgresql = calloc(1, sizeof *postgresql);
	migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;
	char schema[MIGC_POSTGRESQL_NAME_MAX + 1];
	char *libpq_url = malloc(strlen(url) + 1);
	size_t length;
	int rc;

	(void)rest;
	if (libpq_url != NULL)
		memcpy(libpq_url, url, strlen(url) + 1);
	if (postgresql == NULL || libpq_url == NULL) {
		free(postgresql);
		free(libpq_url);
		return migc_cli_open_failure(error, url, "out of memory");
	}
	/* migc's own parameters (migc_lock=lease...) are not libpq's. */
	options.notice = on_notice;
	rc = migc_postgresql_url_options(&options, libpq_url, schema, error);
	if (rc != MIGC_OK) {
		free(postgresql);
		free(libpq_url);
		return rc;
	}
	if (!names_database(libpq_url)) {
		free(postgresql);
		free(libpq_url);
		return migc_cli_open_failure(
		    error, url,
		    "no database named; name it in the URL "
		    "(postgresql://host/DATABASE) or set PGDATABASE, rather "
		    "than let libpq pick the one named like the user");
	}
	postgresql->connection = PQconnectdb(libpq_url);
	free(libpq_url);
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
		rc = migc_postgresql_driver_with(
		    out, postgresql, postgresql->connection, &options, error);
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
