/* sqlite.h: SQLite's schema as autogenerate compares it: sqlite_catalog.c
 * reads it through SQLite's own catalog and compares two, sqlite_diff.c
 * writes the SQL between two; the normalization both use. */
#ifndef MIGC_AUTOGEN_SQLITE_H
#define MIGC_AUTOGEN_SQLITE_H

#include "autogen.h"

#include <sqlite3.h>

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
/* struct catalog's lists, for catalog_free and catalog_compare
 * (dialect.h). */
extern const struct catalog_shape sqlite_catalog_shape;
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

/* Appends a line per difference, "<kind> <name>: <what>", where what names
 * `label_a` and `label_b` (e.g. "the declared schema", "head"). Returns the
 * number of differences. `out` may be NULL. */
/* The differences of two tables of the same name, counted. */
size_t catalog_table_compare(const struct catalog_table *a,
			     const struct catalog_table *b);
/* Whether two columns of the same name are defined alike. */
int catalog_column_same(const struct catalog_column *a,
			const struct catalog_column *b);
/* By name, as SQLite matches names (any case); NULL when none. */
const struct catalog_table *catalog_table_named(const struct catalog *c,
						const char *name);
const struct catalog_column *catalog_column_named(const struct catalog_table *t,
						  const char *name);
const struct catalog_object *
catalog_object_named(const struct catalog_object *items, size_t count,
		     const char *name);

/* The SQL that turns schema `from` into schema `to`, statements ending in
 * ";\n", with "-- migc data loss:" and "-- migc note:" comments above the
 * operations that lose data or may be renames. malloc'd; "" when nothing
 * differs. (Not "-- migc:", which starts a directive in a revision file.) */
char *diff_sql(const void *catalog_from, const void *catalog_to);

#endif /* MIGC_AUTOGEN_SQLITE_H */
