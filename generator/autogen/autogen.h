/* autogen.h: `migc revision --autogenerate`, `migc check` and the build-time
 * round trip. The revisions are applied to one in-memory SQLite database,
 * the declared schema to another; catalog.c reads both through SQLite's own
 * catalog, diff.c turns the difference into upgrade and downgrade SQL.
 * Dialect postgresql goes to pgautogen.c (scratch databases on the url's
 * server, pg_catalog, pgdiff.c). Neither opens the application's database. */
#ifndef MIGC_AUTOGEN_H
#define MIGC_AUTOGEN_H

#include "gen.h"
#include "project.h"

#include <sqlite3.h>

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

/* ---- below: the stages, for autogen.c and the tests ---- */

struct string_list {
	char **items;
	size_t count;
	size_t capacity;
};
void string_list_add(struct string_list *list, char *owned);
void string_list_free(struct string_list *list);

struct catalog_column {
	char *name;
	char *type; /* as declared */
	int not_null;
	char *default_value; /* normalized; NULL when none */
	int primary_key;     /* 1-based position in the key; 0 */
	int hidden;	     /* table_xinfo: 2 virtual, 3 stored generated */
	char *collation;     /* lower case, "binary" when none */
	int autoincrement;
	char *generated;  /* normalized expression, or NULL */
	char *definition; /* the column's text in CREATE TABLE */
};

struct catalog_foreign_key {
	char *parent;  /* referenced table */
	char *columns; /* "a, b" of this table */
	char *text;    /* normalized, for comparing */
};

struct catalog_table {
	char *name;
	char *sql; /* as SQLite stores it */
	int is_virtual;
	char *options; /* normalized text after the column list */
	struct catalog_column *columns;
	size_t column_count;
	struct string_list checks;  /* normalized "check(...)", sorted */
	struct string_list uniques; /* "unique(a, b collate nocase)", sorted */
	struct catalog_foreign_key *foreign_keys; /* sorted by text */
	size_t foreign_key_count;
};

/* An index (one written with CREATE INDEX), view or trigger. */
struct catalog_object {
	char *name;
	char *table;
	char *sql;
	char *normalized;
};

struct catalog {
	struct catalog_table *tables; /* in sqlite_schema order */
	size_t table_count;
	struct catalog_object *indexes, *views, *triggers;
	size_t index_count, view_count, trigger_count;
};

/* Reads the main schema of `db`. Returns 0, or -1 with *error malloc'd. */
int catalog_read(struct catalog *out, sqlite3 *db, char **error);
void catalog_free(struct catalog *c);
/* Lower case keywords and identifiers, one blank between tokens, none
 * around punctuation, comments gone, quotes dropped where not needed:
 * two texts SQLite reads the same way mostly normalize the same. */
char *sql_normalize(const char *sql);
/* Whether `text` holds `identifier` as a token (any case, quoted or not). */
int sql_mentions(const char *text, const char *identifier);
/* Whether `text` is one literal: a number (signed or not), a string, a
 * blob, NULL, TRUE or FALSE. */
int sql_is_literal(const char *text);
/* Where the column list of a CREATE TABLE starts: the '(' after the name. */
const char *sql_table_body(const char *create_table);
/* `name` as an SQL identifier: bare when it can be, else "quoted". */
char *sql_identifier(const char *name);

/* Appends a line per difference, "<kind> <name>: <what>", where what names
 * `label_a` and `label_b` (e.g. "the declared schema", "head"). Returns the
 * number of differences. `out` may be NULL. */
/* The differences of two tables of the same name, counted. */
size_t catalog_table_compare(const struct catalog_table *a,
			     const struct catalog_table *b);
/* Whether two columns of the same name are defined alike. */
int catalog_column_same(const struct catalog_column *a,
			const struct catalog_column *b);
size_t catalog_compare(const struct catalog *a, const struct catalog *b,
		       const char *label_a, const char *label_b,
		       struct string_list *out);

/* The SQL that turns schema `from` into schema `to`, statements ending in
 * ";\n", with "-- migc data loss:" and "-- migc note:" comments above the
 * operations that lose data or may be renames. malloc'd; "" when nothing
 * differs. (Not "-- migc:", which starts a directive in a revision file.) */
char *diff_sql(const struct catalog *from, const struct catalog *to);

#endif /* MIGC_AUTOGEN_H */
