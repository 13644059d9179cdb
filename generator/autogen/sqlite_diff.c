/* diff.c: the SQL that turns one catalog into another, for autogenerate.
 * ADD COLUMN and DROP COLUMN where SQLite allows them, otherwise SQLite's
 * documented table rebuild (lang_altertable.html#otheralter) so that rows
 * survive. The downgrade is the same function with the catalogs swapped. */
#include "dialect.h"
#include "sqlite.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum table_state {
	TABLE_SAME,
	TABLE_DROP,    /* only in `from` */
	TABLE_ALTER,   /* ADD / DROP COLUMN */
	TABLE_REBUILD, /* new table, copy, drop, rename */
	TABLE_REPLACE  /* virtual table: drop and create */
};

struct diff {
	const struct catalog *from, *to;
	enum table_state *state; /* per table of `from` */
	char *view_goes;	 /* per view of `from`: dropped by the change */
	struct buffer out;
};

/* One statement; a blank line separates operations. */
static void statement(struct diff *d, const char *sql)
{
	buffer_puts(&d->out, sql);
	buffer_puts(&d->out, ";\n");
}

static long table_index(const struct catalog *c, const char *name)
{
	const struct catalog_table *t = catalog_table_named(c, name);
	return t ? (long)(t - c->tables) : -1;
}

static int list_mentions(const struct string_list *list, const char *name)
{
	size_t i;
	for (i = 0; i < list->count; i++)
		if (sql_mentions(list->items[i], name))
			return 1;
	return 0;
}

static int in_foreign_key(const struct catalog_table *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->foreign_key_count; i++)
		if (sql_mentions(t->foreign_keys[i].columns, name))
			return 1;
	return 0;
}

static int used_by_generated(const struct catalog_table *t, const char *name)
{
	size_t i;
	for (i = 0; i < t->column_count; i++)
		if (t->columns[i].generated &&
		    sql_mentions(t->columns[i].generated, name))
			return 1;
	return 0;
}

/* SQLite's rule for ADD COLUMN defaults: a literal, not CURRENT_* nor an
 * expression; NOT NULL needs a non-NULL one. */
static int addable_default(const struct catalog_column *c)
{
	const char *v = c->default_value;
	if (!v || strcmp(v, "null") == 0)
		return !c->not_null;
	return sql_is_literal(v);
}

/* Whether ALTER TABLE ADD/DROP COLUMN turns x into y. */
static int can_alter(const struct catalog_table *x,
		     const struct catalog_table *y)
{
	size_t i;
	int seen_added = 0;
	if (strcmp(x->options, y->options) != 0 ||
	    !string_list_equal(&x->checks, &y->checks) ||
	    !string_list_equal(&x->uniques, &y->uniques) ||
	    x->foreign_key_count != y->foreign_key_count)
		return 0;
	for (i = 0; i < x->foreign_key_count; i++)
		if (strcmp(x->foreign_keys[i].text, y->foreign_keys[i].text) !=
		    0)
			return 0;
	for (i = 0; i < x->column_count; i++) {
		const struct catalog_column *c = &x->columns[i];
		const struct catalog_column *other = catalog_column_named(y, c->name);
		if (other) {
			if (!catalog_column_same(c, other))
				return 0;
			continue;
		}
		if (c->primary_key || list_mentions(&x->uniques, c->name) ||
		    in_foreign_key(x, c->name) ||
		    list_mentions(&x->checks, c->name) ||
		    used_by_generated(x, c->name))
			return 0;
	}
	for (i = 0; i < y->column_count; i++) {
		const struct catalog_column *c = &y->columns[i];
		const struct catalog_column *other = catalog_column_named(x, c->name);
		if (other) {
			if (seen_added)
				return 0; /* ADD COLUMN only appends */
			continue;
		}
		seen_added = 1;
		if (c->primary_key || c->hidden == 3 || !c->definition ||
		    list_mentions(&y->uniques, c->name) ||
		    in_foreign_key(y, c->name) ||
		    list_mentions(&y->checks, c->name) || !addable_default(c))
			return 0;
	}
	/* Common columns keep their relative order. */
	{
		long last = -1;
		for (i = 0; i < y->column_count; i++) {
			const struct catalog_column *other =
			    catalog_column_named(x, y->columns[i].name);
			if (!other)
				continue;
			if (other - x->columns < last)
				return 0;
			last = other - x->columns;
		}
	}
	return 1;
}

static enum table_state classify(const struct catalog_table *x,
				 const struct catalog_table *y)
{
	if (catalog_table_compare(x, y) == 0)
		return TABLE_SAME;
	if (x->is_virtual || y->is_virtual)
		return TABLE_REPLACE;
	return can_alter(x, y) ? TABLE_ALTER : TABLE_REBUILD;
}

static int drops_columns(const struct diff *d, size_t i)
{
	const struct catalog_table *x = &d->from->tables[i];
	long j = table_index(d->to, x->name);
	size_t k;
	if (j < 0)
		return 0;
	for (k = 0; k < x->column_count; k++)
		if (!catalog_column_named(&d->to->tables[j], x->columns[k].name))
			return 1;
	return 0;
}

/* Tables whose views and triggers must go before the change and come back
 * after it: SQLite re-reads the schema on DROP COLUMN and RENAME. */
static int disturbed(const struct diff *d, size_t i)
{
	enum table_state s = d->state[i];
	return s == TABLE_DROP || s == TABLE_REBUILD || s == TABLE_REPLACE ||
	       (s == TABLE_ALTER && drops_columns(d, i));
}

static int mentions_disturbed(const struct diff *d,
			      const struct catalog_object *o)
{
	size_t i;
	for (i = 0; i < d->from->table_count; i++)
		if (disturbed(d, i) &&
		    (sql_mentions(o->normalized, d->from->tables[i].name) ||
		     sqlite3_stricmp(o->table, d->from->tables[i].name) == 0))
			return 1;
	return 0;
}

/* A view or trigger of `from` reading a view the change drops, or on one
 * (an INSTEAD OF trigger, which DROP VIEW takes along). */
static int mentions_going_view(const struct diff *d,
			       const struct catalog_object *o)
{
	size_t i;
	for (i = 0; i < d->from->view_count; i++) {
		const char *view = d->from->views[i].name;
		if (d->view_goes[i] && sqlite3_stricmp(view, o->name) != 0 &&
		    (sql_mentions(o->normalized, view) ||
		     sqlite3_stricmp(o->table, view) == 0))
			return 1;
	}
	return 0;
}

/* An index, view or trigger of `from` that stays as it is. */
static int survives(const struct diff *d, const struct catalog_object *o,
		    const struct catalog_object *to_items, size_t to_count,
		    int is_index)
{
	const struct catalog_object *other =
	    catalog_object_named(to_items, to_count, o->name);
	if (!other || strcmp(other->normalized, o->normalized) != 0)
		return 0;
	if (is_index) {
		long t = table_index(d->from, o->table);
		return t < 0 || (d->state[t] != TABLE_DROP &&
				 d->state[t] != TABLE_REBUILD &&
				 d->state[t] != TABLE_REPLACE);
	}
	return !mentions_disturbed(d, o) && !mentions_going_view(d, o);
}

/* The views the change drops: changed ones, those reading a disturbed
 * table, and, until none is added, those reading one of these. */
static void mark_going_views(struct diff *d)
{
	const struct catalog *f = d->from;
	size_t i;
	int changed = 1;
	while (changed) {
		changed = 0;
		for (i = 0; i < f->view_count; i++)
			if (!d->view_goes[i] &&
			    !survives(d, &f->views[i], d->to->views,
				      d->to->view_count, 0)) {
				d->view_goes[i] = 1;
				changed = 1;
			}
	}
}

static void drop_object(struct diff *d, const char *kind, const char *name)
{
	char *id = sql_identifier_quote(DIALECT_SQLITE, name);
	buffer_printf(&d->out, "DROP %s %s;\n", kind, id);
	free(id);
}

/* ---- tables ---- */

static int references(const struct catalog_table *child, const char *parent)
{
	size_t i;
	for (i = 0; i < child->foreign_key_count; i++)
		if (sqlite3_stricmp(child->foreign_keys[i].parent, parent) ==
			0 &&
		    sqlite3_stricmp(child->name, parent) != 0)
			return 1;
	return 0;
}

/* Table `a` of the catalog references table `b`: it comes after. */
static int waits_for_parent(const void *context, size_t a, size_t b)
{
	const struct catalog *c = context;
	return references(&c->tables[a], c->tables[b].name);
}

static size_t common_columns(const struct catalog_table *a,
			     const struct catalog_table *b)
{
	size_t i, n = 0;
	for (i = 0; i < a->column_count; i++)
		if (catalog_column_named(b, a->columns[i].name))
			n++;
	return n;
}

static void rename_note_for_table(struct diff *d,
				  const struct catalog_table *gone,
				  const size_t *created, size_t created_count)
{
	size_t i;
	for (i = 0; i < created_count; i++) {
		const struct catalog_table *n = &d->to->tables[created[i]];
		if (sql_looks_renamed(common_columns(gone, n),
				      gone->column_count, n->column_count)) {
			char *a =
			    sql_identifier_quote(DIALECT_SQLITE, gone->name);
			char *b = sql_identifier_quote(DIALECT_SQLITE, n->name);
			note_table_rename(&d->out, gone->name, n->name, a, b);
			free(a);
			free(b);
		}
	}
}

/* SQLite's type affinity (datatype3.html, 3.1). */
static int affinity(const char *type)
{
	char *t = sql_normalize(type ? type : "");
	int a;
	if (strstr(t, "int"))
		a = 'I';
	else if (strstr(t, "char") || strstr(t, "clob") || strstr(t, "text"))
		a = 'T';
	else if (!*t || strstr(t, "blob"))
		a = 'B';
	else if (strstr(t, "real") || strstr(t, "floa") || strstr(t, "doub"))
		a = 'R';
	else
		a = 'N';
	free(t);
	return a;
}

static long type_length(const char *type)
{
	const char *open = type ? strchr(type, '(') : NULL;
	return open ? strtol(open + 1, NULL, 10) : -1;
}

/* A change of type that can change or lose stored values. */
static int narrows(const char *from, const char *to)
{
	int a = affinity(from), b = affinity(to);
	long la = type_length(from), lb = type_length(to);
	if (a != b && b != 'T' && b != 'B')
		return 1;
	return la >= 0 && lb >= 0 && lb < la;
}

/* The notes above a rebuild's copy of each column (rebuild) or above
 * the ALTER TABLEs, and the one on possible renames. */
static void column_notes(struct diff *d, const struct catalog_table *x,
			 const struct catalog_table *y, int rebuild)
{
	struct column_changes changes = {0};
	char *quoted[3];
	size_t i;
	for (i = 0; i < x->column_count; i++) {
		const struct catalog_column *c = &x->columns[i];
		const struct catalog_column *other =
		    catalog_column_named(y, c->name);
		if (!other) {
			changes.dropped++;
			changes.one_dropped = c->name;
			if (rebuild)
				buffer_printf(&d->out,
					      "-- migc data loss: the rebuild "
					      "drops column %s.%s and its "
					      "values\n",
					      x->name, c->name);
			continue;
		}
		if (!rebuild)
			continue;
		if (narrows(c->type, other->type))
			note_type_change(&d->out, x->name, c->name, c->type,
					 other->type);
		if (other->not_null && !c->not_null && !other->default_value)
			note_becomes_not_null(&d->out, x->name, c->name,
					      "the copy");
	}
	for (i = 0; i < y->column_count; i++) {
		const struct catalog_column *c = &y->columns[i];
		if (catalog_column_named(x, c->name))
			continue;
		changes.added++;
		changes.one_added = c->name;
		if (rebuild && c->not_null && !c->default_value &&
		    !c->generated && !c->primary_key)
			note_added_not_null(&d->out, x->name, c->name,
					    "the copy");
	}
	if (!changes.dropped || !changes.added)
		return;
	changes.table = x->name;
	changes.table_quoted = quoted[0] =
	    sql_identifier_quote(DIALECT_SQLITE, x->name);
	changes.dropped_quoted = quoted[1] =
	    sql_identifier_quote(DIALECT_SQLITE, changes.one_dropped);
	changes.added_quoted = quoted[2] =
	    sql_identifier_quote(DIALECT_SQLITE, changes.one_added);
	note_column_renames(&d->out, &changes);
	for (i = 0; i < 3; i++)
		free(quoted[i]);
}

static void alter_table(struct diff *d, const struct catalog_table *x,
			const struct catalog_table *y)
{
	char *t = sql_identifier_quote(DIALECT_SQLITE, x->name);
	size_t i;
	column_notes(d, x, y, 0);
	for (i = 0; i < x->column_count; i++)
		if (!catalog_column_named(y, x->columns[i].name)) {
			char *c = sql_identifier_quote(DIALECT_SQLITE,
						       x->columns[i].name);
			note_dropped_column(&d->out, x->name,
					    x->columns[i].name);
			buffer_printf(&d->out,
				      "ALTER TABLE %s DROP COLUMN %s;\n", t, c);
			free(c);
		}
	for (i = 0; i < y->column_count; i++)
		if (!catalog_column_named(x, y->columns[i].name))
			buffer_printf(&d->out,
				      "ALTER TABLE %s ADD COLUMN %s;\n", t,
				      y->columns[i].definition);
	free(t);
	sql_gap(&d->out);
}

static char *new_name(const struct diff *d, const char *name)
{
	char *out = text_format("new_%s", name);
	int n = 1;
	while (table_index(d->from, out) >= 0 || table_index(d->to, out) >= 0) {
		free(out);
		out = text_format("new_%s_%d", name, ++n);
	}
	return out;
}

static void rebuild_table(struct diff *d, const struct catalog_table *x,
			  const struct catalog_table *y)
{
	char *t = sql_identifier_quote(DIALECT_SQLITE, x->name);
	char *temp_name = new_name(d, x->name);
	char *temp = sql_identifier_quote(DIALECT_SQLITE, temp_name);
	size_t i, copied = 0;

	buffer_printf(
	    &d->out,
	    "-- migc note: SQLite cannot make this change to %s in place; "
	    "the table is rebuilt (lang_altertable.html#otheralter) so that "
	    "its rows survive\n",
	    x->name);
	column_notes(d, x, y, 1);
	for (i = 0; i < d->from->table_count; i++)
		if (references(&d->from->tables[i], x->name)) {
			/* DROP TABLE deletes every row first when foreign
			 * keys are on, and ON DELETE actions fire. */
			buffer_printf(
			    &d->out,
			    "-- migc note: %s references %s: run this "
			    "revision with PRAGMA foreign_keys=OFF (the "
			    "default), or DROP TABLE %s fires its ON DELETE "
			    "actions\n",
			    d->from->tables[i].name, x->name, x->name);
		}
	buffer_printf(&d->out, "CREATE TABLE %s %s;\n", temp,
		      sql_table_body(y->sql));
	/* Stored and virtual generated columns compute themselves. */
	for (i = 0; i < y->column_count; i++) {
		const struct catalog_column *c = &y->columns[i];
		const struct catalog_column *old = catalog_column_named(x, c->name);
		char *id;
		if (!old || c->hidden || old->hidden)
			continue;
		id = sql_identifier_quote(DIALECT_SQLITE, c->name);
		if (copied++ == 0)
			buffer_printf(&d->out, "INSERT INTO %s (", temp);
		else
			buffer_puts(&d->out, ", ");
		buffer_puts(&d->out, id);
		free(id);
	}
	if (copied) {
		buffer_puts(&d->out, ")\nSELECT ");
		copied = 0;
		for (i = 0; i < y->column_count; i++) {
			const struct catalog_column *c = &y->columns[i];
			const struct catalog_column *old =
			    catalog_column_named(x, c->name);
			char *id;
			if (!old || c->hidden || old->hidden)
				continue;
			id = sql_identifier_quote(DIALECT_SQLITE, old->name);
			if (copied++)
				buffer_puts(&d->out, ", ");
			if (c->not_null && !old->not_null && c->default_value)
				buffer_printf(&d->out, "coalesce(%s, %s)", id,
					      c->default_value);
			else
				buffer_puts(&d->out, id);
			free(id);
		}
		buffer_printf(&d->out, " FROM %s;\n", t);
	}
	buffer_printf(&d->out, "DROP TABLE %s;\n", t);
	buffer_printf(&d->out, "ALTER TABLE %s RENAME TO %s;\n", temp, t);
	sql_gap(&d->out);
	free(t);
	free(temp);
	free(temp_name);
}

/* ---- the whole difference ---- */

static void drop_old_objects(struct diff *d)
{
	const struct catalog *f = d->from, *t = d->to;
	size_t i;
	for (i = f->trigger_count; i-- > 0;)
		if (!survives(d, &f->triggers[i], t->triggers, t->trigger_count,
			      0))
			drop_object(d, "TRIGGER", f->triggers[i].name);
	for (i = f->view_count; i-- > 0;)
		if (!survives(d, &f->views[i], t->views, t->view_count, 0))
			drop_object(d, "VIEW", f->views[i].name);
	for (i = f->index_count; i-- > 0;) {
		const struct catalog_object *o = &f->indexes[i];
		long table = table_index(f, o->table);
		if (survives(d, o, t->indexes, t->index_count, 1))
			continue;
		/* DROP TABLE takes a dropped or rebuilt table's indexes. */
		if (table >= 0 && d->state[table] != TABLE_SAME &&
		    d->state[table] != TABLE_ALTER)
			continue;
		drop_object(d, "INDEX", o->name);
	}
	sql_gap(&d->out);
}

static void create_new_objects(struct diff *d, const char *kind,
			       const struct catalog_object *from_items,
			       size_t from_count,
			       const struct catalog_object *to_items,
			       size_t to_count)
{
	size_t i;
	int is_index = strcmp(kind, "index") == 0;
	for (i = 0; i < to_count; i++) {
		const struct catalog_object *old =
		    catalog_object_named(from_items, from_count, to_items[i].name);
		if (old && survives(d, old, to_items, to_count, is_index))
			continue;
		statement(d, to_items[i].sql);
	}
}

/* Dropped and replaced tables, children first (their rename notes
 * name the created tables they may be). */
static void drop_tables(struct diff *d, size_t *dropped, size_t dropped_count,
			const size_t *created, size_t created_count)
{
	size_t i;
	order_by_dependency(dropped, dropped_count, waits_for_parent, d->from);
	for (i = dropped_count; i-- > 0;) {
		const struct catalog_table *x = &d->from->tables[dropped[i]];
		char *id = sql_identifier_quote(DIALECT_SQLITE, x->name);
		if (d->state[dropped[i]] == TABLE_DROP)
			rename_note_for_table(d, x, created, created_count);
		note_dropped_table(&d->out, x->name);
		buffer_printf(&d->out, "DROP TABLE %s;\n", id);
		free(id);
	}
	sql_gap(&d->out);
}

/* Tables in both: altered or rebuilt; then the foreign key check of each
 * rebuilt one, after its indexes, views and triggers came back. */
static void change_tables(struct diff *d)
{
	size_t i;
	for (i = 0; i < d->to->table_count; i++) {
		long j = table_index(d->from, d->to->tables[i].name);
		if (j < 0)
			continue;
		if (d->state[j] == TABLE_ALTER)
			alter_table(d, &d->from->tables[j], &d->to->tables[i]);
		else if (d->state[j] == TABLE_REBUILD)
			rebuild_table(d, &d->from->tables[j],
				      &d->to->tables[i]);
	}
}

static void check_rebuilt(struct diff *d)
{
	size_t i;
	for (i = 0; i < d->to->table_count; i++) {
		long j = table_index(d->from, d->to->tables[i].name);
		if (j >= 0 && d->state[j] == TABLE_REBUILD) {
			char *id = sql_identifier_quote(DIALECT_SQLITE,
							d->to->tables[i].name);
			buffer_printf(&d->out,
				      "PRAGMA foreign_key_check(%s);\n", id);
			free(id);
		}
	}
}

char *diff_sql(const void *catalog_from, const void *catalog_to)
{
	const struct catalog *from = catalog_from, *to = catalog_to;
	struct diff d;
	size_t i, *dropped, *created, dropped_count = 0, created_count = 0;

	memset(&d, 0, sizeof d);
	d.from = from;
	d.to = to;
	d.state = calloc(from->table_count + 1, sizeof *d.state);
	d.view_goes = calloc(from->view_count + 1, 1);
	dropped = calloc(from->table_count + 1, sizeof *dropped);
	created = calloc(to->table_count + 1, sizeof *created);
	if (!d.state || !d.view_goes || !dropped || !created)
		abort();
	for (i = 0; i < from->table_count; i++) {
		long j = table_index(to, from->tables[i].name);
		d.state[i] = j < 0 ? TABLE_DROP
				   : classify(&from->tables[i], &to->tables[j]);
		if (d.state[i] == TABLE_DROP || d.state[i] == TABLE_REPLACE)
			dropped[dropped_count++] = i;
	}
	for (i = 0; i < to->table_count; i++) {
		long j = table_index(from, to->tables[i].name);
		if (j < 0 || d.state[j] == TABLE_REPLACE)
			created[created_count++] = i;
	}

	mark_going_views(&d);
	drop_old_objects(&d);
	drop_tables(&d, dropped, dropped_count, created, created_count);
	order_by_dependency(created, created_count, waits_for_parent, to);
	for (i = 0; i < created_count; i++)
		statement(&d, to->tables[created[i]].sql);
	sql_gap(&d.out);
	change_tables(&d);
	create_new_objects(&d, "index", from->indexes, from->index_count,
			   to->indexes, to->index_count);
	create_new_objects(&d, "view", from->views, from->view_count, to->views,
			   to->view_count);
	create_new_objects(&d, "trigger", from->triggers, from->trigger_count,
			   to->triggers, to->trigger_count);
	sql_gap(&d.out);
	check_rebuilt(&d);

	free(d.state);
	free(d.view_goes);
	free(dropped);
	free(created);
	return sql_finish(&d.out);
}
