/* dialect.h: what autogenerate's one driver (autogen.c) asks of a dialect:
 * two scratch schemas to build (0: the revisions, 1: the declared schema),
 * a catalog read from one, two catalogs compared, and the SQL that turns
 * one into the other. sqlite.c and postgresql.c each fill one table with
 * AUTOGEN_DIALECT; what the two share beyond it (naming a difference,
 * writing SQL) is below. */
#ifndef MIGC_AUTOGEN_DIALECT_H
#define MIGC_AUTOGEN_DIALECT_H

#include "autogen.h"

#include <stdarg.h>
#include <stddef.h>

/* A dialect's scratch schemas and its connection to them. */
struct scratch;
struct catalog_shape;

/* What a dialect may add (SQLite does; PostgreSQL adds nothing): fresh
 * connections, so that what a statement set on one does not leak into
 * what runs next, and verify's quicker ways. */
struct autogen_extras {
	/* Schema `which` on a new connection when what ran set what a new
	 * connection lacks (SQLite: PRAGMA, TEMP, ATTACH), so that it does
	 * not leak into what runs next, as it would not at a later boot. 0
	 * or -1 after reporting. */
	int (*refresh)(struct scratch *s, int which, struct diagnostics *diag);
	/* Upgrade, downgrade and upgrade again of `r` in schema `which`,
	 * proven without reading catalogs: 0 proven, 1 not (the driver
	 * rebuilds the schema before `r` and compares catalogs, which also
	 * explains a difference). */
	int (*prove_quickly)(struct scratch *s, int which,
			     const struct revision *r);
	/* Verify's schema in parts. focus: schema `which` becomes a new
	 * connection holding only what revision `r` can reach, as the
	 * revisions before it left it, and *depends a digest of what made
	 * that (r's proof depends on it and on r only); settle: what it
	 * holds now is that after r (keep 1), or it stays as it was before
	 * r (keep 0). */
	int (*focus)(struct scratch *s, int which, const struct revision *r,
		     uint64_t *depends, struct diagnostics *diag);
	int (*settle)(struct scratch *s, int which, const struct revision *r,
		      int keep, struct diagnostics *diag);
};

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
	/* What its catalogs hold, how they are compared and freed. */
	const struct catalog_shape *catalog;
	/* Reads the catalog of schema `which` into `out`
	 * (catalog->size bytes); 0, or -1 with *error malloc'd and nothing
	 * to free. */
	int (*read)(struct scratch *s, int which, void *out, char **error);
	/* The SQL that turns catalog `from` into `to`, statements ending in
	 * ";\n", with "-- migc data loss:" and "-- migc note:" comments
	 * above the operations that lose data or may be renames. malloc'd;
	 * "" when nothing differs. */
	char *(*change_sql)(const void *from, const void *to);
	/* NULL: none (nothing leaks; verify reads catalogs of one schema). */
	const struct autogen_extras *extras;
	/* Drops what was made. 0, or -1 when that failed or a signal came. */
	int (*close)(struct scratch *s, struct diagnostics *diag);
};

/* A dialect's table, in struct autogen_dialect's order, which is written
 * only here: the dialect names its functions <prefix>_open, _create,
 * _apply, _run, _read and _close, so that one it lacks fails the build
 * (a designated initializer would leave it NULL). */
#define AUTOGEN_DIALECT(prefix, dialect, catalog, change_sql, extras)          \
	{                                                                      \
		(dialect), prefix##_open, prefix##_create, prefix##_apply,     \
		    prefix##_run, (catalog), prefix##_read, (change_sql),      \
		    (extras), prefix##_close                                   \
	}

extern const struct autogen_dialect autogen_sqlite;
extern const struct autogen_dialect autogen_postgresql;
/* The table of `dialect`; NULL for the generic one, which has no database
 * to build schemas in. */
const struct autogen_dialect *autogen_dialect_of(enum dialect dialect);
/* Schema `which` on a new connection when the dialect has a refresh; 0,
 * or -1 after reporting. */
int autogen_refresh(const struct autogen_dialect *d, struct scratch *s,
		    int which, struct diagnostics *diag);

/* ---- autogen.c: what a dialect's apply runs ---- */

/* Section `kind` of a revision for one dialect, split into statements;
 * `what` names it in errors ("revision X: the upgrade"). */
struct section_run {
	const struct section *section; /* NULL: it has none */
	struct statements list;
	char what[128];
};
/* Finds and splits the section. A revision without a downgrade has
 * nothing to undo (section NULL, an empty list); one without an upgrade
 * is an error. 0, or -1 after reporting; free it either way. */
int section_run_open(struct section_run *out, const struct revision *r,
		     enum section_kind kind, enum dialect dialect,
		     struct diagnostics *diag);
void section_run_free(struct section_run *run);

/* ---- compare.c: naming things and their differences ---- */

#define COUNT(array) (sizeof(array) / sizeof *(array))

/* The array of `count` items, `size` bytes each, one item longer, that
 * item (at [count]) all zero; aborts when memory runs out. */
void *grow_items(void *items, size_t count, size_t size);

/* How an item of a catalog owns memory: its char * members (at the
 * offsets `strings`), its struct string_list members (`lists`) and its
 * arrays of other items (`arrays`), each freed with the item. */
struct item_layout {
	size_t size;
	const size_t *strings;
	size_t string_count;
	const size_t *lists;
	size_t list_count;
	const struct item_array *arrays;
	size_t array_count;
};
/* An array of items laid out as `layout`: the pointer at `items_offset`
 * in what holds it, its size_t count at `count_offset`. */
struct item_array {
	size_t items_offset, count_offset;
	const struct item_layout *layout;
};
#define ITEM_ARRAY(holder, items, count, layout)                               \
	{                                                                      \
		offsetof(struct holder, items),                                \
		    offsetof(struct holder, count), layout                     \
	}
/* In an item_layout: an array of offsets and its count, or none. */
#define OWNED(offsets) offsets, COUNT(offsets)
#define OWNS_NONE      NULL, 0
/* The char * member `member` of struct `type`, for an item_layout. */
#define MEMBER(type, member) offsetof(struct type, member)
/* What every item of the arrays owns, then the arrays themselves, in
 * what holds them (a catalog, or an item). */
void free_arrays(void *holder, const struct item_array *arrays, size_t count);

/* The first of `count` items, `size` bytes each, whose name (a char * at
 * `name_offset`) is `name` to `same` (strcmp, sqlite3_stricmp); NULL. */
const void *named_item(const void *items, size_t count, size_t size,
		       size_t name_offset, const char *name,
		       int (*same)(const char *, const char *));

/* One comparison of two catalogs: differences counted, and each written
 * as a line into `out` (when not NULL); `a` and `b` label the two. */
struct comparison {
	const char *a, *b;
	struct string_list *out;
	size_t count;
};
void differ(struct comparison *c, const char *format, ...) GEN_PRINTF(2, 3);
/* One list of named items in a dialect's catalog: the array (its items
 * laid out as `array.layout` says), the name of each a char * at
 * `name_offset`, two names alike when `same` gives 0; `pair` compares
 * two namesakes. */
struct catalog_list {
	const char *kind;
	struct item_array array;
	size_t name_offset;
	int (*same)(const char *, const char *);
	/* `what`: the list's kind, or for a table's members (see
	 * compare_members) the table's name. */
	void (*pair)(struct comparison *c, const char *what, const void *x,
		     const void *y);
};
/* The catalog_list of the `items` array (of struct `type`, laid out as
 * `layout`) and its `count` in struct `catalog`. */
#define CATALOG_LIST(catalog, kind, items, count, type, layout, same, pair)    \
	{                                                                      \
		kind,                                                          \
		    {offsetof(struct catalog, items),                          \
		     offsetof(struct catalog, count), layout},                 \
		    offsetof(struct type, name), same, pair                    \
	}
/* A dialect's catalog: a struct of `size` bytes holding `lists`. */
struct catalog_shape {
	size_t size;
	const struct catalog_list *lists;
	size_t count;
};
/* What a catalog read holds (not the storage itself), every list's items
 * and the arrays; then it is all zero. */
void catalog_free(const struct catalog_shape *shape, void *catalog);
/* That, then the storage (malloc'd); NULL: nothing. */
void catalog_release(const struct catalog_shape *shape, void *catalog);
/* Two catalogs compared, list by list in order: a line per difference
 * into `out` (may be NULL), "<kind> <name>: <what>", where what names
 * `label_a` and `label_b`: "only in <label>" for an item without a
 * namesake in the other catalog, else what each list's `pair` says.
 * Their count. */
size_t catalog_compare(const struct catalog_shape *shape, const void *a,
		       const void *b, const char *label_a, const char *label_b,
		       struct string_list *out);
/* The members of two namesake tables, listed as `members` says (the
 * array's offsets in the table's struct; its kind, "column"): a line
 * "table <table>: column <name> only in <label>" for one without a
 * namesake, else members->pair(c, table, x, y). */
void compare_members(struct comparison *c, const struct catalog_list *members,
		     const char *table, const void *table_a,
		     const void *table_b);
/* What every dialect compares of a column after its type: nullability,
 * then the default (normalized as the dialect reads it). */
void compare_column_basics(struct comparison *c, const char *table,
			   const char *column, int not_null_a, int not_null_b,
			   const char *default_a, const char *default_b);
const char *or_none(const char *text);
/* Equal strings, or both NULL. */
int same_text(const char *a, const char *b);

/* ---- write.c: writing change SQL ---- */

/* A blank line before the next operation (none at the start, never two). */
void sql_gap(struct buffer *out);
/* The text without trailing blank lines ("" when empty), to return. */
char *sql_finish(struct buffer *out);
/* Whether a dropped and an added table with `common` columns alike of
 * `count_a` and `count_b` may be one renamed. */
int sql_looks_renamed(size_t common, size_t count_a, size_t count_b);

void note_table_rename(struct buffer *out, const char *old_name,
		       const char *new_name, const char *old_quoted,
		       const char *new_quoted);
/* The columns one table drops and adds: a note when some may be renames. */
struct column_changes {
	const char *table, *table_quoted;
	size_t dropped, added;
	const char *one_dropped, *dropped_quoted; /* the last of each */
	const char *one_added, *added_quoted;
};
void note_column_renames(struct buffer *out, const struct column_changes *c);
void note_dropped_table(struct buffer *out, const char *table);
void note_dropped_column(struct buffer *out, const char *table,
			 const char *column);
void note_type_change(struct buffer *out, const char *table, const char *column,
		      const char *from, const char *to);
/* `what_fails`: "the copy", "this". */
void note_becomes_not_null(struct buffer *out, const char *table,
			   const char *column, const char *what_fails);
/* A column added NOT NULL without a default. */
void note_added_not_null(struct buffer *out, const char *table,
			 const char *column, const char *what_fails);
/* The line that opens a generated script which must run outside a
 * transaction; autogen.c moves it to the revision's header. */
#define AUTOGEN_NO_TRANSACTION "-- migc:transaction none\n"
int autogen_outside_transaction(const char *script);
/* What autogenerate cannot write: a "-- migc cannot:" line, which makes
 * it refuse, saying `reason` (autogen.c), instead of writing a revision
 * that does not reach the declared schema. */
void note_cannot(struct buffer *out, const char *reason);
/* What the NOT NULL notes of `script` say, "column t.c becomes NOT NULL"
 * and "new column t.c is NOT NULL", appended to `out` with "; " between. */
void sql_not_null_notes(const char *script, struct buffer *out);

/* Orders `set` so that each comes after those it waits for
 * (`waits(context, a, b)`: a must come after b); a cycle keeps the
 * order it has. */
void order_by_dependency(size_t *set, size_t count,
			 int (*waits)(const void *context, size_t a, size_t b),
			 const void *context);

#endif /* MIGC_AUTOGEN_DIALECT_H */
