/* import.h: `migc import`, another tool's migrations as migc revision
 * files (import.c: the tools' layouts and writing; alembic.c: Alembic's
 * revision scripts and its offline SQL; adopt.c: a database the tool
 * migrated, matched to a revision through the tool's own version table). */
#ifndef MIGC_IMPORT_H
#define MIGC_IMPORT_H

#include "gen.h"

/* One migration of the other tool, as a migc revision. */
struct import_revision {
	char *version; /* as the tool orders and records it */
	char *id;      /* the migc revision id derived from it */
	char *parents; /* "none", or "a, b" */
	char *message;
	char *create_date;   /* "YYYY-MM-DD HH:MM:SS", or NULL for none */
	char *branch_labels; /* "" when none */
	char *depends_on;    /* "" when none */
	struct buffer upgrade, downgrade;
	int no_transaction;
	char *source; /* the file it came from, for messages */
};

struct import_set {
	struct import_revision *items;
	size_t count, capacity;
	/* Repeatable migrations (Flyway's R__): `id` their name, no place in
	 * the chain. */
	struct import_revision *repeatables;
	size_t repeatable_count, repeatable_capacity;
	struct diagnostics *diag; /* errors, and notes on what was left */
	size_t unconverted;	  /* steps whose SQL must be written by hand */
};

struct import_request {
	const char *tool;     /* alembic, goose, golang-migrate, ... */
	const char *source;   /* the tool's migrations directory */
	const char *versions; /* where migc's files go (must hold none yet) */
	enum dialect dialect; /* for Alembic's offline SQL */
	const char *alembic_config; /* alembic.ini, or NULL for the default */
};

/* The names `import` takes, for messages: "alembic, goose, ...". */
const char *import_tools(void);
/* Reads the tool's migrations into `set` in its own order, chained.
 * Returns 0, or -1 with errors in set->diag. */
int import_read(struct import_set *set, const struct import_request *r);
/* Writes one revision file per item into r->versions (never over a file),
 * then checks them as the build would. Returns 0; 1 when written but the
 * build would refuse them (listed in set->diag); -1 when not written. */
int import_write(const struct import_set *set,
		 const struct import_request *r);
void import_set_free(struct import_set *set);

/* The `migc import` command: reads, then writes (or with `adopt`, prints
 * the revision the database stands at); messages on stderr. Returns the
 * exit status. */
int import_main(const char *tool, const char *source, const char *versions,
		const char *dialect, const char *alembic_config,
		const char *adopt);

/* alembic.c */
int import_alembic(struct import_set *set, const struct import_request *r);

/* adopt.c: the revision id a database at `url`, migrated by r->tool,
 * stands at (NULL: none applied), malloc'd into *out. Returns 0 or -1. */
int import_adopt(char **out, const struct import_set *set,
		 const struct import_request *r, const char *url);

/* import.c's helpers for alembic.c and adopt.c */
struct import_revision *import_add(struct import_set *set, const char *version,
				   const char *source);
/* Versions in the numbered tools' order: parts split by '.' or '_', each
 * compared as a number ("1.10" after "1.9", "007" as "7"); text where a
 * part is not digits. */
int import_version_compare(const char *a, const char *b);
/* The entries of `dir` ending in `suffix`, sorted; -1 when it cannot be
 * read or holds none. */
int import_list(const char *dir, const char *suffix, struct string_list *names);
struct import_revision *import_find(const struct import_set *set,
				    const char *version);

#endif /* MIGC_IMPORT_H */
