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
	struct buffer out;
};

static void put(struct diff *d, const char *text)
{
	buffer_puts(&d->out, text);
}

static void putf(struct diff *d, const char *fmt, ...) GEN_PRINTF(2, 3);
static void putf(struct diff *d, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	buffer_vprintf(&d->out, fmt, args);
	va_end(args);
}

/* One statement; a blank line separates operations. */
static void statement(struct diff *d, const char *sql)
{
	put(d, sql);
	put(d, ";\n");
}

static void gap(struct diff *d)
{
	if (d->out.length > 0 &&
	    !(d->out.length >= 2 && d->out.data[d->out.length - 1] == '\n' &&
	      d->out.data[d->out.length - 2] == '\n'))
		put(d, "\n");
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
	return !mentions_disturbed(d, o);
}

static void drop_object(struct diff *d, const char *kind, const char *name)
{
	char *id = sql_identifier(name);
	putf(d, "DROP %s %s;\n", kind, id);
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

/* Orders `set` (indices into c->tables) so that parents come first;
 * cycles keep the catalog's order. */
static void order_by_foreign_keys(const struct catalog *c, size_t *set,
				  size_t count)
{
	size_t placed = 0;
	while (placed < count) {
		size_t i, j, pick = placed;
		for (i = placed; i < count; i++) {
			int waits = 0;
			for (j = placed; j < count; j++)
				if (j != i &&
				    references(&c->tables[set[i]],
					       c->tables[set[j]].name))
					waits = 1;
			if (!waits) {
				pick = i;
				break;
			}
		}
		{
			size_t chosen = set[pick];
			memmove(set + placed + 1, set + placed,
				(pick - placed) * sizeof *set);
			set[placed++] = chosen;
		}
	}
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
		size_t common = common_columns(gone, n);
		size_t smaller = gone->column_count < n->column_count
				     ? gone->column_count
				     : n->column_count;
		if (common > 0 && 2 * common >= smaller) {
			char *a = sql_identifier(gone->name);
			char *b = sql_identifier(n->name);
			putf(d,
			     "-- migc note: if this is a rename of %s to %s, "
			     "replace the drop and add with ALTER TABLE %s "
			     "RENAME TO %s; no tool can tell a rename from a "
			     "drop plus an add\n",
			     gone->name, n->name, a, b);
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

static void column_notes(struct diff *d, const struct catalog_table *x,
			 const struct catalog_table *y, int rebuild)
{
	size_t i, dropped = 0, added = 0;
	const char *one_dropped = NULL, *one_added = NULL;
	for (i = 0; i < x->column_count; i++) {
		const struct catalog_column *c = &x->columns[i];
		const struct catalog_column *other = catalog_column_named(y, c->name);
		if (!other) {
			dropped++;
			one_dropped = c->name;
			if (rebuild)
				putf(d,
				     "-- migc data loss: the rebuild drops "
				     "column %s.%s and its values\n",
				     x->name, c->name);
			continue;
		}
		if (!rebuild)
			continue;
		if (narrows(c->type, other->type))
			putf(d,
			     "-- migc data loss: column %s.%s changes type "
			     "from '%s' to '%s'; values may be converted or "
			     "cut\n",
			     x->name, c->name, c->type, other->type);
		if (other->not_null && !c->not_null && !other->default_value)
			putf(d,
			     "-- migc note: column %s.%s becomes NOT NULL "
			     "without a default: rows holding NULL there make "
			     "the copy fail; fill them first\n",
			     x->name, c->name);
	}
	for (i = 0; i < y->column_count; i++)
		if (!catalog_column_named(x, y->columns[i].name)) {
			added++;
			one_added = y->columns[i].name;
		}
	if (dropped && added) {
		char *t = sql_identifier(x->name);
		if (dropped == 1 && added == 1) {
			char *a = sql_identifier(one_dropped);
			char *b = sql_identifier(one_added);
			putf(d,
			     "-- migc note: if this is a rename of %s.%s to "
			     "%s, replace the drop and add with ALTER TABLE %s "
			     "RENAME COLUMN %s TO %s; no tool can tell a "
			     "rename from a drop plus an add\n",
			     x->name, one_dropped, one_added, t, a, b);
			free(a);
			free(b);
		} else {
			putf(d,
			     "-- migc note: if columns of %s were renamed, "
			     "replace the drop and add with ALTER TABLE %s "
			     "RENAME COLUMN old TO new; no tool can tell a "
			     "rename from a drop plus an add\n",
			     x->name, t);
		}
		free(t);
	}
}

static void alter_table(struct diff *d, const struct catalog_table *x,
			const struct catalog_table *y)
{
	char *t = sql_identifier(x->name);
	size_t i;
	column_notes(d, x, y, 0);
	for (i = 0; i < x->column_count; i++)
		if (!catalog_column_named(y, x->columns[i].name)) {
			char *c = sql_identifier(x->columns[i].name);
			putf(d,
			     "-- migc data loss: drops column %s.%s and its "
			     "values\n",
			     x->name, x->columns[i].name);
			putf(d, "ALTER TABLE %s DROP COLUMN %s;\n", t, c);
			free(c);
		}
	for (i = 0; i < y->column_count; i++)
		if (!catalog_column_named(x, y->columns[i].name))
			putf(d, "ALTER TABLE %s ADD COLUMN %s;\n", t,
			     y->columns[i].definition);
	free(t);
	gap(d);
}

static char *new_name(const struct diff *d, const char *name)
{
	size_t length = strlen(name) + 32;
	char *out = malloc(length);
	int n = 1;
	if (!out)
		abort();
	snprintf(out, length, "new_%s", name);
	while (table_index(d->from, out) >= 0 || table_index(d->to, out) >= 0)
		snprintf(out, length, "new_%s_%d", name, ++n);
	return out;
}

static void rebuild_table(struct diff *d, const struct catalog_table *x,
			  const struct catalog_table *y)
{
	char *t = sql_identifier(x->name);
	char *temp_name = new_name(d, x->name);
	char *temp = sql_identifier(temp_name);
	size_t i, copied = 0;

	putf(d,
	     "-- migc note: SQLite cannot make this change to %s in place; "
	     "the table is rebuilt (lang_altertable.html#otheralter) so that "
	     "its rows survive\n",
	     x->name);
	column_notes(d, x, y, 1);
	for (i = 0; i < d->from->table_count; i++)
		if (references(&d->from->tables[i], x->name)) {
			/* DROP TABLE deletes every row first when foreign
			 * keys are on, and ON DELETE actions fire. */
			putf(d,
			     "-- migc note: %s references %s: run this "
			     "revision with PRAGMA foreign_keys=OFF (the "
			     "default), or DROP TABLE %s fires its ON DELETE "
			     "actions\n",
			     d->from->tables[i].name, x->name, x->name);
		}
	putf(d, "CREATE TABLE %s %s;\n", temp, sql_table_body(y->sql));
	/* Stored and virtual generated columns compute themselves. */
	for (i = 0; i < y->column_count; i++) {
		const struct catalog_column *c = &y->columns[i];
		const struct catalog_column *old = catalog_column_named(x, c->name);
		char *id;
		if (!old || c->hidden || old->hidden)
			continue;
		id = sql_identifier(c->name);
		if (copied++ == 0)
			putf(d, "INSERT INTO %s (", temp);
		else
			put(d, ", ");
		put(d, id);
		free(id);
	}
	if (copied) {
		put(d, ")\nSELECT ");
		copied = 0;
		for (i = 0; i < y->column_count; i++) {
			const struct catalog_column *c = &y->columns[i];
			const struct catalog_column *old =
			    catalog_column_named(x, c->name);
			char *id;
			if (!old || c->hidden || old->hidden)
				continue;
			id = sql_identifier(old->name);
			if (copied++)
				put(d, ", ");
			if (c->not_null && !old->not_null && c->default_value)
				putf(d, "coalesce(%s, %s)", id,
				     c->default_value);
			else
				put(d, id);
			free(id);
		}
		putf(d, " FROM %s;\n", t);
	}
	putf(d, "DROP TABLE %s;\n", t);
	putf(d, "ALTER TABLE %s RENAME TO %s;\n", temp, t);
	gap(d);
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
	gap(d);
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

char *diff_sql(const struct catalog *from, const struct catalog *to)
{
	struct diff d;
	size_t i, *dropped, *created, dropped_count = 0, created_count = 0;

	memset(&d, 0, sizeof d);
	d.from = from;
	d.to = to;
	d.state = calloc(from->table_count + 1, sizeof *d.state);
	dropped = calloc(from->table_count + 1, sizeof *dropped);
	created = calloc(to->table_count + 1, sizeof *created);
	if (!d.state || !dropped || !created)
		abort();
	put(&d, "");
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

	drop_old_objects(&d);

	order_by_foreign_keys(from, dropped, dropped_count);
	for (i = dropped_count; i-- > 0;) {
		const struct catalog_table *x = &from->tables[dropped[i]];
		char *id = sql_identifier(x->name);
		if (d.state[dropped[i]] == TABLE_DROP)
			rename_note_for_table(&d, x, created, created_count);
		putf(&d,
		     "-- migc data loss: drops table %s and every row in "
		     "it\n",
		     x->name);
		putf(&d, "DROP TABLE %s;\n", id);
		free(id);
	}
	gap(&d);

	order_by_foreign_keys(to, created, created_count);
	for (i = 0; i < created_count; i++)
		statement(&d, to->tables[created[i]].sql);
	gap(&d);

	for (i = 0; i < to->table_count; i++) {
		long j = table_index(from, to->tables[i].name);
		if (j < 0)
			continue;
		if (d.state[j] == TABLE_ALTER)
			alter_table(&d, &from->tables[j], &to->tables[i]);
		else if (d.state[j] == TABLE_REBUILD)
			rebuild_table(&d, &from->tables[j], &to->tables[i]);
	}

	create_new_objects(&d, "index", from->indexes, from->index_count,
			   to->indexes, to->index_count);
	create_new_objects(&d, "view", from->views, from->view_count, to->views,
			   to->view_count);
	create_new_objects(&d, "trigger", from->triggers, from->trigger_count,
			   to->triggers, to->trigger_count);
	gap(&d);

	for (i = 0; i < to->table_count; i++) {
		long j = table_index(from, to->tables[i].name);
		if (j >= 0 && d.state[j] == TABLE_REBUILD) {
			char *id = sql_identifier(to->tables[i].name);
			putf(&d, "PRAGMA foreign_key_check(%s);\n", id);
			free(id);
		}
	}

	/* No trailing blank lines. */
	while (d.out.length >= 2 && d.out.data[d.out.length - 1] == '\n' &&
	       d.out.data[d.out.length - 2] == '\n')
		d.out.data[--d.out.length] = '\0';
	if (d.out.length == 1 && d.out.data[0] == '\n')
		d.out.data[--d.out.length] = '\0';
	free(d.state);
	free(dropped);
	free(created);
	return d.out.data;
}
