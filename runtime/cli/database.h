/* database.h: what the command line's database openers (cli_sqlite.c,
 * cli_postgresql.c, each its own library) share with cli.c. */
#ifndef MIGC_CLI_DATABASE_H
#define MIGC_CLI_DATABASE_H

#include "migc_cli.h"

/* Fills `error` with "Cannot open database 'URL': REASON.", the URL's
 * passwords masked (in REASON too), and returns MIGC_EDRIVER. */
int migc_cli_open_failure(migc_error *error, const char *url,
			  const char *reason);

#endif /* MIGC_CLI_DATABASE_H */
