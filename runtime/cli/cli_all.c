/* cli_all.c: the command line with every driver this build of migc has
 * (library migc::cli): migc_cli_main and migc_cli_main_table. A program
 * that names its drivers calls migc_cli_main_drivers instead and links
 * only theirs (migc::cli_sqlite, migc::cli_postgresql), as the command
 * line migc_add_migrations() generates does. */
#include "migc_cli.h"

#include <stddef.h>

static const migc_cli_driver *const drivers[] = {
#ifdef MIGC_CLI_WITH_SQLITE
    &migc_cli_sqlite,
#endif
#ifdef MIGC_CLI_WITH_POSTGRESQL
    &migc_cli_postgresql,
#endif
    NULL};

int migc_cli_main(const migc_set *set, int argc, char **argv)
{
	return migc_cli_main_drivers(set, NULL, drivers, argc, argv);
}

int migc_cli_main_table(const migc_set *set, const char *default_version_table,
			int argc, char **argv)
{
	return migc_cli_main_drivers(set, default_version_table, drivers, argc,
				     argv);
}
