/* migc_cli.h: the embeddable command line (upgrade, downgrade, current,
 * history, heads) for a set compiled into the program. Uses stdio; the core
 * does not. */
#ifndef MIGC_CLI_H
#define MIGC_CLI_H

#include "migc.h"

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

#ifdef __cplusplus
}
#endif

#endif /* MIGC_CLI_H */
