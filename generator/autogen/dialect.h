/* dialect.h: what autogenerate's one driver (autogen.c) asks of a dialect:
 * two scratch schemas to build (0: the revisions, 1: the declared schema),
 * a catalog read from one, two catalogs compared, and the SQL that turns
 * one into the other. sqlite.c and postgresql.c each fill one table; what
 * the two share beyond it (naming a difference, writing SQL) is below. */
#ifndef MIGC_AUTOGEN_DIALECT_H
#define MIGC_AUTOGEN_DIALECT_H

#include "autogen.h"

#include <stdarg.h>

/* A dialect's scratch schemas and its connection to them. */
struct scratch;

struct autogen_dialect {
	enum dialect dialect;
	/* Connects (PostgreSQL: to the server `url` names; NULL or "":
	 * libpq's environment); creates nothing yet. */
	int (*open)(struct scratch **out, const char *url,
		    struct diagnostics *diag);
	/* A new, empty schema `which` (0 or 1), replacing the one there. */
	int (*create)(struct scratch *s, int which, struct diagnostics *diag);
	/* One section of a revision, run in schema `which`; an error names
	 * the statement's line. */
	int (*apply)(struct scratch *s, int which, const struct revision *r,
		     enum section_kind kind, struct diagnostics *diag);
	/* A whole script: the declared schema (`generated` 0; an error says
	 * how it must be written) or what change_sql wrote (`what` names
	 * it: "upgrade", "downgrade"). */
	int (*run)(struct scratch *s, int which, const char *path,
		   const char *text, const char *what, int generated,
		   struct diagnostics *diag);
	/* The catalog of schema `which`, for compare and change_sql; 0, or
	 * -1 with *error malloc'd. */
	int (*read)(struct scratch *s, int which, void **out, char **error);
	/* A line per difference, "<kind> <name>: <what>", where what names
	 * `label_a` and `label_b`; the count. `out` may be NULL. */
	size_t (*compare)(const void *a, const void *b, const char *label_a,
			  const char *label_b, struct string_list *out);
	/* The SQL that turns catalog `from` into `to`, statements ending in
	 * ";\n", with "-- migc data loss:" and "-- migc note:" comments
	 * above the operations that lose data or may be renames. malloc'd;
	 * "" when nothing differs. */
	char *(*change_sql)(const void *from, const void *to);
	void (*free_catalog)(void *catalog);
	/* The schema as text, equal when the catalogs are: a quick proof of a
	 * round trip. NULL (the member or its result): read catalogs. */
	char *(*schema_text)(struct scratch *s, int which);
	/* Drops what was made. 0, or -1 when that failed or a signal came. */
	int (*close)(struct scratch *s, struct diagnostics *diag);
};

extern const struct autogen_dialect autogen_sqlite;
extern const struct autogen_dialect autogen_postgresql;

#endif /* MIGC_AUTOGEN_DIALECT_H */
