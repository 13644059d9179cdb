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

/* Runs the command line as `main` would; returns the process exit status. */
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

#ifdef __cplusplus
}
#endif

#endif /* MIGC_CLI_H */
