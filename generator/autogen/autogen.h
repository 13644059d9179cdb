/* autogen.h: `migc revision --autogenerate`, `migc check` and the build-time
 * round trip. autogen.c drives them for every dialect: the revisions are
 * applied to one scratch schema, the declared schema to another, and their
 * catalogs compared; sqlite.c (in-memory databases) and postgresql.c
 * (scratch databases on the url's server) are the dialects (dialect.h).
 * Neither opens the application's database. */
#ifndef MIGC_AUTOGEN_H
#define MIGC_AUTOGEN_H

#include "gen.h"
#include "project.h"

/* Compares the schema the revisions produce at their (single) head with the
 * declared schema; writes a new revision (parent = the head) holding upgrade
 * and downgrade. Returns 0 and sets *path (malloc'd) when written, 1 when
 * there is nothing to write (print nothing; the caller says "No changes in
 * schema detected."), -1 on error. `rev_id` NULL: a random id. */
int autogen_revision(const struct graph *g, const struct project *p,
		     const char *message, const char *rev_id, char **path,
		     struct diagnostics *diag);

/* Alembic 1.9's check: 0 when the declared schema equals the head schema;
 * 1 after printing each difference to `out`, one per line; -1 on error. */
int autogen_check(const struct graph *g, const struct project *p, FILE *out,
		  struct diagnostics *diag);

/* Round trip for every revision in topological order, in memory: upgrade,
 * snapshot, downgrade, compare with the catalog before the upgrade, upgrade
 * again. Returns 0, or -1 with one error per broken revision naming it, its
 * file, and the objects that differ. */
int autogen_verify(const struct graph *g, enum dialect dialect,
		   struct diagnostics *diag);
/* The same; for postgresql in a scratch database on the server `url`
 * names (NULL: $MIGC_DATABASE_URL, else libpq's environment, PGHOST...).
 * autogen_verify is this with `url` NULL. SQLite ignores `url`. */
int autogen_verify_url(const struct graph *g, enum dialect dialect,
		       const char *url, struct diagnostics *diag);
/* The same, remembering each proof in `cache_path` (NULL: none), keyed
 * by the revision's text and the upgrades before it in the order: a
 * revision proven before, with the same text after the same upgrades, is
 * not proven again. *run (when not NULL): the round trips run. */
int autogen_verify_cached(const struct graph *g, enum dialect dialect,
			  const char *url, const char *cache_path, size_t *run,
			  struct diagnostics *diag);

/* The same, without writing: *remember (malloc'd; NULL unless all
 * passed) is what to write to `cache_path` once the build has passed, so
 * that a failed build leaves nothing behind. */
int autogen_verify_remembered(const struct graph *g, enum dialect dialect,
			      const char *url, const char *cache_path,
			      size_t *run, char **remember,
			      struct diagnostics *diag);

#endif /* MIGC_AUTOGEN_H */
