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
