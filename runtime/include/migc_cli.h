/* migc_cli.h: the embeddable command line (upgrade, downgrade, current,
 * history, heads) for a set compiled into the program. Uses stdio; the core
 * does not. */
#ifndef MIGC_CLI_H
#define MIGC_CLI_H

#include "migc.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the command line opens one kind of database: the URL prefixes it
 * takes and its opener. Each lives in a library of its own, so that a
 * program links the database libraries of the drivers it lists, and no
 * others: migc_cli_sqlite in migc::cli_sqlite, migc_cli_postgresql (libpq)
 * in migc::cli_postgresql. */
#define MIGC_CLI_DRIVER_VERSION 1

typedef struct migc_cli_driver {
	int version;		     /* MIGC_CLI_DRIVER_VERSION */
	const char *name;	     /* "SQLite", for messages */
	const char *const *prefixes; /* NULL-terminated: "sqlite://" */
	const char *example;	     /* one URL, for the usage */
	const char *forms;	     /* the URLs it takes, for errors */
	/* Opens `url` (`rest`: what follows the prefix) into `out`, with
	 * what the driver needs kept in *context; MIGC_OK or an error. */
	int (*open)(migc_driver *out, void **context, const char *url,
		    const char *rest, migc_error *error);
	void (*close)(void *context);
} migc_cli_driver;

MIGC_EXPORT extern const migc_cli_driver migc_cli_sqlite;
MIGC_EXPORT extern const migc_cli_driver migc_cli_postgresql;

/* The command line with the drivers in `drivers` (NULL-terminated) and
 * no others; `default_version_table` as migc_cli_main_table's. */
MIGC_EXPORT int migc_cli_main_drivers(const migc_set *set,
				      const char *default_version_table,
				      const migc_cli_driver *const *drivers,
				      int argc, char **argv);

/* Runs the command line as `main` would, with every driver this build of
 * migc has (library migc::cli); returns the process exit status. */
MIGC_EXPORT int migc_cli_main(const migc_set *set, int argc, char **argv);

/* Same, with the version table used when --version-table is not given
 * (NULL: MIGC_DEFAULT_VERSION_TABLE), so a build can compile one in. */
MIGC_EXPORT int migc_cli_main_table(const migc_set *set,
				    const char *default_version_table,
				    int argc, char **argv);

/* Writes the SQL script that upgrading (downgrade = 0) or downgrading
 * from `from` (NULL or "base": an empty database; see migc_plan_steps) to
 * `target` runs, for set->dialect, with `version_table` (NULL: the
 * default) and its history table, without touching any database: the
 * tables' creation when starting from base, per revision a
 * "-- Running upgrade A -> B" comment, its statements each ended by ';',
 * the version-row INSERT/UPDATE/DELETE as Alembic writes them and the
 * history row; BEGIN;/COMMIT; around each revision for PostgreSQL
 * (revisions marked "transaction none" run outside, their rows in a
 * transaction of their own). */
MIGC_EXPORT int migc_sql_script(FILE *out, const migc_set *set,
				const char *version_table, const char *from,
				const char *target, int downgrade,
				migc_error *error);

/* Writes the SQL script that `stamp` runs: the version rows going from
 * the state `from` names (NULL or "base": an empty database, which gets
 * the tables first; a target, "heads", or ids joined by ",") to the union
 * of `targets` (`count` of them, any target form), rows unrelated to the
 * targets kept, as migc_stamp_many and Alembic do; a
 * "-- Running stamp_revision A -> B" comment, the version-row statements
 * and the history rows; BEGIN;/COMMIT; around it for PostgreSQL. */
MIGC_EXPORT int migc_sql_stamp_script(FILE *out, const migc_set *set,
				      const char *version_table,
				      const char *from,
				      const char *const *targets, size_t count,
				      migc_error *error);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_CLI_H */
