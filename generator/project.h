/* project.h: migc.ini, the analogue of alembic.ini plus env.py: where the
 * revisions live, the dialect, the declared schema and the database URL, so
 * `migc revision --autogenerate` and `migc check` need no other flags. */
#ifndef MIGC_PROJECT_H
#define MIGC_PROJECT_H

#include "gen.h"

struct project {
	char *path;	     /* the file read, or NULL when none */
	char *versions;	     /* default "versions" (relative paths resolve
				against the file's directory) */
	char *dialect;	     /* "sqlite" (default) or "postgresql" */
	char *schema;	     /* declared schema file (schema.sql), or NULL */
	char *url;	     /* database URL for PostgreSQL autogenerate
				scratch, or NULL */
	char *version_table; /* or NULL */
	char *template_path; /* or NULL (then <versions>/script.sql.tmpl) */
};

/* Reads `path` (INI: a [migc] section, key = value, # and ; comments);
 * errors as file:line:column. A NULL `path` gives the defaults. Other
 * sections are ignored, so the file can hold settings of other tools.
 * Keys: versions, dialect, schema, url, version_table, template.
 * Returns 0, or -1 with errors in `diag` (and `out` holding nothing). */
int project_load(struct project *out, const char *path,
		 struct diagnostics *diag);
void project_free(struct project *p);

#endif /* MIGC_PROJECT_H */
