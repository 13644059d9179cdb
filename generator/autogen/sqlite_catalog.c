/* catalog.c: a SQLite schema read into structs through SQLite's own catalog
 * (sqlite_schema, pragma table_xinfo, index_list, index_xinfo,
 * foreign_key_list), and compared object by object. CHECK constraints and
 * generated columns are in no pragma, so they come from the stored CREATE
 * TABLE text, cut with a small tokenizer. */
#include "dialect.h"
#include "sqlite.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings ---- */

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- tokens ---- */

/* The next token after *cursor that is not blank or a comment, read by
 * the one SQLite tokenizer (sql_token_next, lexer.re); 0 at the end. */
static int next_token(const char **cursor, struct sql_token *t)
{
	t->start = *cursor;
	for (;;) {
		sql_token_next(t, DIALECT_SQLITE, *cursor);
		if (t->kind != SQL_TOKEN_SPACE)
			break;
		t->start = t->end;
	}
	*cursor = t->end;
	return t->kind != SQL_TOKEN_END;
}

static size_t token_length(const struct sql_token *t)
{
	return (size_t)(t->end - t->start);
}

/* Nothing but blanks and comments left. */
static int at_end(const char *cursor)
{
	struct sql_token t;
	return !next_token(&cursor, &t);
}

static int punct_is(const struct sql_token *t, char c)
{
	return token_length(t) == 1 && t->start[0] == c &&
	       t->kind != SQL_TOKEN_QUOTED && t->kind != SQL_TOKEN_STRING;
}

/* A name SQLite reads as itself unquoted, keyword or not. */
static int is_simple_identifier(const char *name)
{
	size_t i;
	for (i = 0; name[i]; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return i > 0;
}

static void put_lower(struct buffer *b, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buffer_put(b, &c, 1);
	}
}

static char *normalize_range(const char *begin, const char *end)
{
	struct buffer b = {0};
	struct sql_token t, previous;
	char *source = text_copy(begin, (size_t)(end - begin));
	const char *cursor = source;

	buffer_puts(&b, ""); /* "" when nothing is read */
	previous.kind = SQL_TOKEN_END;
	while (next_token(&cursor, &t)) {
		if (punct_is(&t, ';') && at_end(cursor))
			break;
		if (previous.kind != SQL_TOKEN_END &&
		    !punct_is(&previous, '(') && !punct_is(&previous, '.') &&
		    !punct_is(&t, ')') && !punct_is(&t, ',') &&
		    !punct_is(&t, '.') && !punct_is(&t, '(') &&
		    !punct_is(&t, ';'))
			buffer_put(&b, " ", 1);
		if (t.kind == SQL_TOKEN_WORD) {
			put_lower(&b, t.start, token_length(&t));
		} else if (t.kind == SQL_TOKEN_QUOTED) {
			char *name = sql_token_name(&t);
			if (is_simple_identifier(name)) {
				put_lower(&b, name, strlen(name));
			} else {
				char *quoted =
				    sql_identifier_quote(DIALECT_SQLITE, name);
				buffer_put(&b, quoted, strlen(quoted));
				free(quoted);
			}
			free(name);
		} else {
			buffer_put(&b, t.start, token_length(&t));
		}
		previous = t;
	}
	free(source);
	return b.data;
}

char *sql_normalize(const char *sql)
{
	return normalize_range(sql, sql + strlen(sql));
}

int sql_mentions(const char *text, const char *identifier)
{
	struct sql_token t;
	const char *cursor = text;
	while (next_token(&cursor, &t)) {
		if (t.kind == SQL_TOKEN_WORD || t.kind == SQL_TOKEN_QUOTED) {
			char *name = sql_token_name(&t);
			int same = sqlite3_stricmp(name, identifier) == 0;
			free(name);
			if (same)
				return 1;
		}
	}
	return 0;
}

int sql_is_literal(const char *text)
{
	struct sql_token t;
	const char *cursor = text;
	if (!next_token(&cursor, &t))
		return 0;
	if (punct_is(&t, '-') || punct_is(&t, '+'))
		if (!next_token(&cursor, &t) || t.kind != SQL_TOKEN_NUMBER)
			return 0;
	if (!(t.kind == SQL_TOKEN_NUMBER || t.kind == SQL_TOKEN_STRING ||
	      (t.kind == SQL_TOKEN_WORD &&
	       (sql_token_is(&t, "null") || sql_token_is(&t, "true") ||
		sql_token_is(&t, "false")))))
		return 0;
	return !next_token(&cursor, &t);
}

const char *sql_table_body(const char *create_table)
{
	struct sql_token t;
	const char *cursor = create_table;
	while (next_token(&cursor, &t))
		if (punct_is(&t, '('))
			return t.start;
	return NULL;
}

/* Past the ')' that closes the '(' at `open`. */
static const char *after_group(const char *open)
{
	struct sql_token t;
	const char *cursor = open;
	int depth = 0;
	while (next_token(&cursor, &t)) {
		if (punct_is(&t, '('))
			depth++;
		else if (punct_is(&t, ')') && --depth == 0)
			return cursor;
	}
	return cursor;
}

/* ---- CREATE TABLE text: checks, generated columns, definitions ---- */

/* One item of the column list: a column definition or a table
 * constraint. */
static void read_item(struct catalog_table *table, const char *begin,
		      const char *end)
{
	char *item = text_copy(begin, (size_t)(end - begin));
	const char *cursor = item;
	struct sql_token t, first;
	struct catalog_column *column = NULL;
	int depth = 0, previous_as = 0;

	if (!next_token(&cursor, &first)) {
		free(item);
		return;
	}
	if (!(first.kind == SQL_TOKEN_WORD &&
	      (sql_token_is(&first, "constraint") ||
	       sql_token_is(&first, "primary") ||
	       sql_token_is(&first, "unique") ||
	       sql_token_is(&first, "check") ||
	       sql_token_is(&first, "foreign")))) {
		char *name = sql_token_name(&first);
		column =
		    (struct catalog_column *)catalog_column_named(table, name);
		free(name);
		if (column && !column->definition) {
			const char *text = first.start;
			size_t length = strlen(text);
			while (length > 0 && (text[length - 1] == ' ' ||
					      text[length - 1] == '\n' ||
					      text[length - 1] == '\t' ||
					      text[length - 1] == '\r'))
				length--;
			column->definition = text_copy(text, length);
		}
	}
	while (next_token(&cursor, &t)) {
		if (punct_is(&t, '(')) {
			if (depth == 0 && previous_as && column &&
			    !column->generated) {
				const char *close = after_group(t.start);
				column->generated =
				    normalize_range(t.start, close);
			}
			depth++;
		} else if (punct_is(&t, ')')) {
			depth--;
		} else if (depth == 0 && t.kind == SQL_TOKEN_WORD &&
			   sql_token_is(&t, "check")) {
			struct sql_token open;
			const char *look = cursor;
			if (next_token(&look, &open) && punct_is(&open, '(')) {
				const char *close = after_group(open.start);
				string_list_add(
				    &table->checks,
				    normalize_range(t.start, close));
			}
		}
		previous_as = depth == 0 && t.kind == SQL_TOKEN_WORD &&
			      sql_token_is(&t, "as");
	}
	free(item);
}

static void read_table_text(struct catalog_table *table)
{
	const char *open = sql_table_body(table->sql);
	const char *cursor, *item_begin;
	struct sql_token t;
	int depth = 0;

	if (!open) {
		table->options = text_dup("");
		return;
	}
	cursor = open;
	item_begin = NULL;
	while (next_token(&cursor, &t)) {
		if (punct_is(&t, '(')) {
			if (depth++ == 0) {
				item_begin = cursor;
				continue;
			}
		} else if (punct_is(&t, ')')) {
			if (--depth == 0) {
				read_item(table, item_begin, t.start);
				break;
			}
		} else if (punct_is(&t, ',') && depth == 1) {
			read_item(table, item_begin, t.start);
			item_begin = cursor;
		}
	}
	table->options = sql_normalize(cursor);
	if (table->checks.count)
		qsort(table->checks.items, table->checks.count, sizeof(char *),
		      compare_strings);
}

/* ---- reading through pragmas ---- */

static char *column_text(sqlite3_stmt *statement, int i)
{
	const unsigned char *text = sqlite3_column_text(statement, i);
	return text ? text_dup((const char *)text) : NULL;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const char *name,
			     char **error)
{
	sqlite3_stmt *statement = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
		*error = text_format("cannot read the schema: %s",
				     sqlite3_errmsg(db));
		return NULL;
	}
	if (name)
		sqlite3_bind_text(statement, 1, name, -1, SQLITE_TRANSIENT);
	return statement;
}

static int finish(sqlite3 *db, sqlite3_stmt *statement, int rc, char **error)
{
	sqlite3_finalize(statement);
	if (rc != SQLITE_DONE) {
		*error = text_format("cannot read the schema: %s",
				     sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

/* Runs `sql`, its ? bound to the table's name, and `row` on each of
 * its rows for the table; 0, or -1 with *error malloc'd. */
static int each_row(sqlite3 *db, const char *sql, struct catalog_table *table,
		    void (*row)(sqlite3 *db, sqlite3_stmt *s,
				struct catalog_table *table),
		    char **error)
{
	sqlite3_stmt *s = prepare(db, sql, table->name, error);
	int rc;
	if (!s)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		row(db, s, table);
	return finish(db, s, rc, error);
}

static void column_row(sqlite3 *db, sqlite3_stmt *s,
		       struct catalog_table *table)
{
	struct catalog_column *c;
	const char *type = NULL, *collation = NULL;
	int not_null, primary_key, autoincrement = 0;
	table->columns =
	    grow_items(table->columns, table->column_count, sizeof *c);
	c = &table->columns[table->column_count++];
	c->name = column_text(s, 0);
	c->type = column_text(s, 1);
	c->not_null = sqlite3_column_int(s, 2);
	if (sqlite3_column_type(s, 3) != SQLITE_NULL)
		c->default_value =
		    sql_normalize((const char *)sqlite3_column_text(s, 3));
	c->primary_key = sqlite3_column_int(s, 4);
	c->hidden = sqlite3_column_int(s, 5);
	if (sqlite3_table_column_metadata(
		db, "main", table->name, c->name, &type, &collation, &not_null,
		&primary_key, &autoincrement) != SQLITE_OK)
		collation = NULL;
	c->collation = text_dup(collation ? collation : "binary");
	if (c->collation) {
		char *p;
		for (p = c->collation; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	c->autoincrement = autoincrement;
}

static int read_columns(sqlite3 *db, struct catalog_table *table, char **error)
{
	return each_row(db,
			"SELECT name, type, \"notnull\", dflt_value, "
			"pk, hidden FROM pragma_table_xinfo(?) "
			"ORDER BY cid",
			table, column_row, error);
}

static int compare_foreign_keys(const void *a, const void *b)
{
	return strcmp(((const struct catalog_foreign_key *)a)->text,
		      ((const struct catalog_foreign_key *)b)->text);
}

static void foreign_key_row(sqlite3 *db, sqlite3_stmt *s,
			    struct catalog_table *table)
{
	struct catalog_foreign_key *fk;
	(void)db; /* each_row passes it; this reader needs none */
	table->foreign_keys = grow_items(table->foreign_keys,
					 table->foreign_key_count, sizeof *fk);
	fk = &table->foreign_keys[table->foreign_key_count++];
	fk->parent = column_text(s, 1);
	fk->columns = column_text(s, 2);
	fk->text = text_format(
	    "foreign key(%s) references %s(%s) on update %s on "
	    "delete %s match %s",
	    fk->columns, fk->parent, (const char *)sqlite3_column_text(s, 3),
	    (const char *)sqlite3_column_text(s, 4),
	    (const char *)sqlite3_column_text(s, 5),
	    (const char *)sqlite3_column_text(s, 6));
	{
		/* Parent table names are case-insensitive. */
		char *lower = sql_normalize(fk->text);
		free(fk->text);
		fk->text = lower;
	}
}

static int read_foreign_keys(sqlite3 *db, struct catalog_table *table,
			     char **error)
{
	if (each_row(db,
		     "SELECT id, \"table\", group_concat(\"from\", ', '), "
		     "group_concat(coalesce(\"to\", ''), ', '), on_update, "
		     "on_delete, match FROM (SELECT * FROM "
		     "pragma_foreign_key_list(?) ORDER BY id, seq) GROUP BY id "
		     "ORDER BY id",
		     table, foreign_key_row, error) != 0)
		return -1;
	if (table->foreign_key_count)
		qsort(table->foreign_keys, table->foreign_key_count,
		      sizeof *table->foreign_keys, compare_foreign_keys);
	return 0;
}

/* UNIQUE constraints are automatic indexes; their key columns with
 * collation and order identify them. */
static void unique_row(sqlite3 *db, sqlite3_stmt *s,
		       struct catalog_table *table)
{
	char *raw =
	    text_format("unique(%s)", (const char *)sqlite3_column_text(s, 0));
	(void)db; /* each_row passes it; this reader needs none */
	string_list_add(&table->uniques, sql_normalize(raw));
	free(raw);
}

static int read_uniques(sqlite3 *db, struct catalog_table *table, char **error)
{
	if (each_row(
		db,
		"SELECT (SELECT group_concat(name || ' collate ' || coll || "
		"CASE WHEN \"desc\" THEN ' desc' ELSE '' END, ', ') FROM "
		"(SELECT * FROM pragma_index_xinfo(l.name) WHERE key ORDER BY "
		"seqno)) FROM pragma_index_list(?) AS l WHERE origin = 'u'",
		table, unique_row, error) != 0)
		return -1;
	if (table->uniques.count)
		qsort(table->uniques.items, table->uniques.count,
		      sizeof(char *), compare_strings);
	return 0;
}

static int starts_with_word(const char *sql, const char *first,
			    const char *second)
{
	struct sql_token a, b;
	const char *cursor = sql;
	return next_token(&cursor, &a) && sql_token_is(&a, first) &&
	       next_token(&cursor, &b) && sql_token_is(&b, second);
}

static int read_table(sqlite3 *db, struct catalog_table *table, char **error)
{
	table->is_virtual = starts_with_word(table->sql, "create", "virtual");
	if (table->is_virtual) {
		table->options = text_dup("");
		return 0;
	}
	if (read_columns(db, table, error) != 0 ||
	    read_foreign_keys(db, table, error) != 0 ||
	    read_uniques(db, table, error) != 0)
		return -1;
	read_table_text(table);
	return 0;
}

static void add_object(struct catalog_object **items, size_t *count,
		       sqlite3_stmt *s)
{
	struct catalog_object *o;
	*items = grow_items(*items, *count, sizeof **items);
	o = &(*items)[(*count)++];
	o->name = column_text(s, 1);
	o->table = column_text(s, 2);
	o->sql = column_text(s, 3);
	o->normalized = sql_normalize(o->sql ? o->sql : "");
}

/* Tables that a virtual table keeps its data in (fts5's x_data...):
 * created and dropped with it, never on their own. Only a schema with a
 * virtual table has them, and pragma_table_list expands every view, so it
 * is asked once, and only then (asked per table, a schema of many views
 * and tables took minutes). */
static void read_shadow_tables(sqlite3 *db, struct string_list *out)
{
	sqlite3_stmt *s = NULL;
	int has_virtual = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM main.sqlite_schema WHERE type = "
			       "'table' AND sql LIKE 'create virtual%'",
			       -1, &s, NULL) == SQLITE_OK)
		has_virtual = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	s = NULL;
	if (!has_virtual)
		return;
	if (sqlite3_prepare_v2(
		db,
		"SELECT name FROM pragma_table_list WHERE schema "
		"= 'main' AND type = 'shadow'",
		-1, &s, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return; /* before 3.37 */
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		string_list_add(out, column_text(s, 0));
	sqlite3_finalize(s);
}

int catalog_read(struct catalog *out, sqlite3 *db, char **error)
{
	struct string_list shadows = {0};
	sqlite3_stmt *s;
	int rc, failed = 0;

	memset(out, 0, sizeof *out);
	*error = NULL;
	read_shadow_tables(db, &shadows);
	s = prepare(db,
		    "SELECT type, name, tbl_name, sql FROM main.sqlite_schema "
		    "WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY rowid",
		    NULL, error);
	if (!s) {
		string_list_free(&shadows);
		return -1;
	}
	while (!failed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(s, 0);
		if (strcmp(type, "table") == 0) {
			struct catalog_table *t;
			const char *name =
			    (const char *)sqlite3_column_text(s, 1);
			if (string_list_has(&shadows, name))
				continue;
			out->tables = grow_items(out->tables, out->table_count,
						 sizeof *t);
			t = &out->tables[out->table_count++];
			t->name = column_text(s, 1);
			t->sql = column_text(s, 3);
		} else if (strcmp(type, "index") == 0) {
			if (sqlite3_column_type(s, 3) != SQLITE_NULL)
				add_object(&out->indexes, &out->index_count, s);
		} else if (strcmp(type, "view") == 0) {
			add_object(&out->views, &out->view_count, s);
		} else if (strcmp(type, "trigger") == 0) {
			add_object(&out->triggers, &out->trigger_count, s);
		}
	}
	string_list_free(&shadows);
	if (failed || finish(db, s, rc, error) != 0) {
		catalog_free(&sqlite_catalog_shape, out);
		return -1;
	}
	{
		size_t i;
		for (i = 0; i < out->table_count; i++)
			if (read_table(db, &out->tables[i], error) != 0) {
				catalog_free(&sqlite_catalog_shape, out);
				return -1;
			}
	}
	return 0;
}

/* What each item of the catalog owns (catalog_free). */
static const size_t column_strings[] = {
    MEMBER(catalog_column, name),	   MEMBER(catalog_column, type),
    MEMBER(catalog_column, default_value), MEMBER(catalog_column, collation),
    MEMBER(catalog_column, generated),	   MEMBER(catalog_column, definition)};
static const struct item_layout column_layout = {
    sizeof(struct catalog_column), OWNED(column_strings), OWNS_NONE, OWNS_NONE};
static const size_t foreign_key_strings[] = {
    MEMBER(catalog_foreign_key, parent), MEMBER(catalog_foreign_key, columns),
    MEMBER(catalog_foreign_key, text)};
static const struct item_layout foreign_key_layout = {
    sizeof(struct catalog_foreign_key), OWNED(foreign_key_strings), OWNS_NONE,
    OWNS_NONE};
static const size_t table_strings[] = {MEMBER(catalog_table, name),
				       MEMBER(catalog_table, sql),
				       MEMBER(catalog_table, options)};
static const size_t table_lists[] = {offsetof(struct catalog_table, checks),
				     offsetof(struct catalog_table, uniques)};
static const struct item_array table_arrays[] = {
    ITEM_ARRAY(catalog_table, columns, column_count, &column_layout),
    ITEM_ARRAY(catalog_table, foreign_keys, foreign_key_count,
	       &foreign_key_layout)};
static const struct item_layout table_layout = {
    sizeof(struct catalog_table), OWNED(table_strings), OWNED(table_lists),
    OWNED(table_arrays)};
static const size_t object_strings[] = {
    MEMBER(catalog_object, name), MEMBER(catalog_object, table),
    MEMBER(catalog_object, sql), MEMBER(catalog_object, normalized)};
static const struct item_layout object_layout = {
    sizeof(struct catalog_object), OWNED(object_strings), OWNS_NONE, OWNS_NONE};

/* ---- comparing ---- */

const struct catalog_table *catalog_table_named(const struct catalog *c,
						const char *name)
{
	return named_item(c->tables, c->table_count, sizeof *c->tables,
			  offsetof(struct catalog_table, name), name,
			  sqlite3_stricmp);
}

const struct catalog_column *catalog_column_named(const struct catalog_table *t,
						  const char *name)
{
	return named_item(t->columns, t->column_count, sizeof *t->columns,
			  offsetof(struct catalog_column, name), name,
			  sqlite3_stricmp);
}

const struct catalog_object *
catalog_object_named(const struct catalog_object *items, size_t count,
		     const char *name)
{
	return named_item(items, count, sizeof *items,
			  offsetof(struct catalog_object, name), name,
			  sqlite3_stricmp);
}

static int same_type(const char *a, const char *b)
{
	char *na = sql_normalize(a ? a : ""), *nb = sql_normalize(b ? b : "");
	int same = strcmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

static void column_pair(struct comparison *c, const char *table, const void *a,
			const void *b)
{
	const struct catalog_column *x = a, *y = b;
	const char *n = x->name;
	if (!same_type(x->type, y->type))
		differ(c, "table %s: column %s: type is '%s' in %s, '%s' in %s",
		       table, n, x->type, c->a, y->type, c->b);
	compare_column_basics(c, table, n, x->not_null, y->not_null,
			      x->default_value, y->default_value);
	if (x->primary_key != y->primary_key)
		differ(c,
		       "table %s: column %s: primary key position %d in %s, "
		       "%d in %s",
		       table, n, x->primary_key, c->a, y->primary_key, c->b);
	if (x->hidden != y->hidden || !same_text(x->generated, y->generated))
		differ(c,
		       "table %s: column %s: generated as %s in %s, %s in %s",
		       table, n, or_none(x->generated), c->a,
		       or_none(y->generated), c->b);
	if (strcmp(x->collation, y->collation) != 0)
		differ(c, "table %s: column %s: collation %s in %s, %s in %s",
		       table, n, x->collation, c->a, y->collation, c->b);
	if (x->autoincrement != y->autoincrement)
		differ(c, "table %s: column %s: AUTOINCREMENT only in %s",
		       table, n, x->autoincrement ? c->a : c->b);
}

static void compare_lists(struct comparison *c, const char *table,
			  const struct string_list *x,
			  const struct string_list *y)
{
	size_t i;
	for (i = 0; i < x->count; i++)
		if (!string_list_has(y, x->items[i]))
			differ(c, "table %s: %s only in %s", table, x->items[i],
			       c->a);
	for (i = 0; i < y->count; i++)
		if (!string_list_has(x, y->items[i]))
			differ(c, "table %s: %s only in %s", table, y->items[i],
			       c->b);
}

static int has_foreign_key(const struct catalog_table *t, const char *text)
{
	size_t i;
	for (i = 0; i < t->foreign_key_count; i++)
		if (strcmp(t->foreign_keys[i].text, text) == 0)
			return 1;
	return 0;
}

static const struct catalog_list columns =
    CATALOG_LIST(catalog_table, "column", columns, column_count, catalog_column,
		 &column_layout, sqlite3_stricmp, column_pair);

/* Whether the columns both tables have are in the same order. */
static int same_order(const struct catalog_table *x,
		      const struct catalog_table *y)
{
	size_t i, last = 0;
	for (i = 0; i < x->column_count; i++) {
		const struct catalog_column *other =
		    catalog_column_named(y, x->columns[i].name);
		size_t j = other ? (size_t)(other - y->columns) : last;
		if (j < last)
			return 0;
		last = j;
	}
	return 1;
}

static void table_pair(struct comparison *c, const char *kind, const void *a,
		       const void *b)
{
	const struct catalog_table *x = a, *y = b;
	const char *name = x->name;
	size_t i;

	(void)kind; /* "table" */
	if (x->is_virtual || y->is_virtual) {
		char *nx = sql_normalize(
		    sql_table_body(x->sql) ? sql_table_body(x->sql) : x->sql);
		char *ny = sql_normalize(
		    sql_table_body(y->sql) ? sql_table_body(y->sql) : y->sql);
		if (x->is_virtual != y->is_virtual || strcmp(nx, ny) != 0)
			differ(c,
			       "table %s: definition differs: %s in %s, %s "
			       "in %s",
			       name, x->sql, c->a, y->sql, c->b);
		free(nx);
		free(ny);
		return;
	}
	compare_members(c, &columns, name, x, y);
	if (!same_order(x, y))
		differ(c,
		       "table %s: the columns are in another order in %s "
		       "than in %s",
		       name, c->a, c->b);
	if (strcmp(x->options, y->options) != 0)
		differ(c, "table %s: options '%s' in %s, '%s' in %s", name,
		       x->options, c->a, y->options, c->b);
	compare_lists(c, name, &x->checks, &y->checks);
	compare_lists(c, name, &x->uniques, &y->uniques);
	for (i = 0; i < x->foreign_key_count; i++)
		if (!has_foreign_key(y, x->foreign_keys[i].text))
			differ(c, "table %s: %s only in %s", name,
			       x->foreign_keys[i].text, c->a);
	for (i = 0; i < y->foreign_key_count; i++)
		if (!has_foreign_key(x, y->foreign_keys[i].text))
			differ(c, "table %s: %s only in %s", name,
			       y->foreign_keys[i].text, c->b);
}

static void object_pair(struct comparison *c, const char *kind, const void *a,
			const void *b)
{
	const struct catalog_object *x = a, *y = b;
	if (strcmp(x->normalized, y->normalized) != 0)
		differ(c, "%s %s: definition differs: '%s' in %s, '%s' in %s",
		       kind, x->name, x->sql, c->a, y->sql, c->b);
}

/* The lists catalog_compare compares, in the order it reports them. */
#define SQLITE_OBJECTS(kind, items, count)                                     \
	CATALOG_LIST(catalog, kind, items, count, catalog_object,              \
		     &object_layout, sqlite3_stricmp, object_pair)
static const struct catalog_list sqlite_lists[] = {
    CATALOG_LIST(catalog, "table", tables, table_count, catalog_table,
		 &table_layout, sqlite3_stricmp, table_pair),
    SQLITE_OBJECTS("index", indexes, index_count),
    SQLITE_OBJECTS("view", views, view_count),
    SQLITE_OBJECTS("trigger", triggers, trigger_count),
};

const struct catalog_shape sqlite_catalog_shape = {
    sizeof(struct catalog), sqlite_lists, COUNT(sqlite_lists)};

size_t catalog_table_compare(const struct catalog_table *a,
			     const struct catalog_table *b)
{
	struct comparison c = {"a", "b", NULL, 0};
	table_pair(&c, "table", a, b);
	return c.count;
}

int catalog_column_same(const struct catalog_column *a,
			const struct catalog_column *b)
{
	struct comparison c = {"a", "b", NULL, 0};
	column_pair(&c, "", a, b);
	return c.count == 0;
}
