/* pgdiff.c: the SQL that turns one PostgreSQL schema (pgcatalog.c) into
 * another, for autogenerate. PostgreSQL alters tables in place, so rows
 * survive without rebuilds; what is left is the order: views and foreign
 * keys go first and come back last, tables and columns in between, types
 * are created before and dropped after the tables that use them. The
 * downgrade is the same function with the catalogs swapped. */
#include "dialect.h"
#include "postgresql.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct diff {
	const struct pgcatalog *from, *to;
	struct buffer out;
	char *dropped_views; /* per view of `from`: 1 when dropped */
	char *swapped_enums; /* per enum of `from`: 1 when swapped */
	/* Enum values added, each as its quoted literal, and where the
	 * output stood after its ALTER TYPE (values_added_at). */
	struct string_list values_added;
	size_t *values_added_at;
};

/* 'text' as an SQL string literal. */
static void put_literal(struct buffer *out, const char *text)
{
	buffer_puts(out, "'");
	for (; *text; text++) {
		char one[2] = {*text, '\0'};
		buffer_puts(out, *text == '\'' ? "''" : one);
	}
	buffer_puts(out, "'");
}

/* ---- what changes ---- */

static int column_retyped(const struct pg_column *x, const struct pg_column *y)
{
	return strcmp(x->type, y->type) != 0 ||
	       !same_text(x->collation, y->collation);
}

static long enum_index(const struct pgcatalog *c, const char *name)
{
	const struct pg_object *e =
	    name ? pgcatalog_object(c->enums, c->enum_count, name) : NULL;
	return e ? (long)(e - c->enums) : -1;
}

/* A table whose views must be dropped before the change: columns dropped,
 * retyped, regenerated, or of an enum type being swapped. */
static int disturbed(const struct diff *d, const struct pg_table *x)
{
	const struct pg_table *y = pgcatalog_table(d->to, x->name);
	size_t i;
	if (!y)
		return 1;
	for (i = 0; i < x->column_count; i++) {
		const struct pg_column *c = &x->columns[i];
		const struct pg_column *o = pgcatalog_column(y, c->name);
		long e = enum_index(d->from, c->enum_type);
		if (!o || column_retyped(c, o) ||
		    !same_text(c->generated, o->generated) ||
		    (e >= 0 && d->swapped_enums[e]))
			return 1;
	}
	return 0;
}

/* Whether the old labels come in the new list in the same order, so that
 * ADD VALUE gets there. */
static int labels_extend(const struct pg_object *x, const struct pg_object *y)
{
	size_t i, j = 0;
	for (i = 0; i < x->labels.count; i++) {
		while (j < y->labels.count &&
		       strcmp(y->labels.items[j], x->labels.items[i]) != 0)
			j++;
		if (j == y->labels.count)
			return 0;
		j++;
	}
	return 1;
}

/* Whether `y` renames some of `x`'s labels in place: as many labels, and
 * where they differ, the old one gone and the new one new (RENAME VALUE
 * keeps the rows that hold it). */
static int labels_renamed(const struct pg_object *x, const struct pg_object *y)
{
	size_t i;
	int renamed = 0;
	if (x->labels.count != y->labels.count)
		return 0;
	for (i = 0; i < x->labels.count; i++) {
		const char *a = x->labels.items[i], *b = y->labels.items[i];
		if (strcmp(a, b) == 0)
			continue;
		if (string_list_has(&y->labels, a) ||
		    string_list_has(&x->labels, b))
			return 0;
		renamed = 1;
	}
	return renamed;
}

/* A token of `text` spelling `name` (not inside a longer identifier). */
static int mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *at = text;
	while ((at = strstr(at, name)) != NULL) {
		char before = at == text ? ' ' : at[-1];
		char after = at[n];
		int inner_before = before == '_' ||
				   (before >= 'a' && before <= 'z') ||
				   (before >= 'A' && before <= 'Z') ||
				   (before >= '0' && before <= '9');
		int inner_after = after == '_' ||
				  (after >= 'a' && after <= 'z') ||
				  (after >= 'A' && after <= 'Z') ||
				  (after >= '0' && after <= '9');
		if (!inner_before && !inner_after)
			return 1;
		at += n;
	}
	return 0;
}

static void mark_views(struct diff *d)
{
	const struct pgcatalog *f = d->from;
	size_t i, j;
	int changed = 1;
	for (i = 0; i < f->view_count; i++) {
		const struct pg_object *v = &f->views[i];
		const struct pg_object *o =
		    pgcatalog_object(d->to->views, d->to->view_count, v->name);
		if (!o || o->kind != v->kind ||
		    strcmp(o->definition, v->definition) != 0) {
			d->dropped_views[i] = 1;
			continue;
		}
		for (j = 0; j < f->table_count; j++)
			if (mentions(v->definition, f->tables[j].name) &&
			    disturbed(d, &f->tables[j]))
				d->dropped_views[i] = 1;
		for (j = 0; j < f->enum_count; j++)
			if (d->swapped_enums[j] &&
			    mentions(v->definition, f->enums[j].name))
				d->dropped_views[i] = 1;
	}
	/* A view reading a dropped view goes with it. */
	while (changed) {
		changed = 0;
		for (i = 0; i < f->view_count; i++)
			for (j = 0; j < f->view_count; j++)
				if (!d->dropped_views[i] &&
				    d->dropped_views[j] && i != j &&
				    mentions(f->views[i].definition,
					     f->views[j].name)) {
					d->dropped_views[i] = 1;
					changed = 1;
				}
	}
}

/* ---- constraints ---- */

/* A foreign key of `x` (in `from`) that can stay: the same in `to`, and
 * the key it references untouched. */
static int foreign_key_stays(const struct diff *d, const struct pg_table *x,
			     const struct pg_constraint *k)
{
	const struct pg_table *y = pgcatalog_table(d->to, x->name);
	const struct pg_constraint *o = pgcatalog_constraint(y, k->name);
	const struct pg_table *rf, *rt;
	const char *target;
	size_t i;
	if (!o || strcmp(o->definition, k->definition) != 0)
		return 0;
	rf = pgcatalog_table(d->from, k->referenced);
	rt = pgcatalog_table(d->to, k->referenced);
	if (!rf || !rt)
		return 0;
	for (i = 0; i < rf->constraint_count; i++) {
		const struct pg_constraint *key = &rf->constraints[i];
		const struct pg_constraint *other;
		if (key->kind != 'p' && key->kind != 'u')
			continue;
		other = pgcatalog_constraint(rt, key->name);
		if (!other || strcmp(other->definition, key->definition) != 0)
			return 0;
	}
	/* ALTER COLUMN TYPE of a referenced column needs the key gone. */
	target = strstr(k->definition, "REFERENCES ");
	for (i = 0; target && i < rf->column_count; i++) {
		const struct pg_column *c = &rf->columns[i];
		const struct pg_column *o2 = pgcatalog_column(rt, c->name);
		if (o2 && column_retyped(c, o2) && mentions(target, c->name))
			return 0;
	}
	return 1;
}

/* Whether `definition` (of `from`) names an enum being swapped: a
 * predicate comparing with the old type's values breaks the columns'
 * conversion, so the index, constraint or trigger is made again after. */
static int reads_swapped_enum(const struct diff *d, const char *definition)
{
	size_t i;
	for (i = 0; i < d->from->enum_count; i++)
		if (d->swapped_enums[i] &&
		    mentions(definition, d->from->enums[i].name))
			return 1;
	return 0;
}

static int constraint_stays(const struct diff *d, const struct pg_table *x,
			    const struct pg_constraint *k)
{
	const struct pg_table *y = pgcatalog_table(d->to, x->name);
	const struct pg_constraint *o = pgcatalog_constraint(y, k->name);
	if (k->kind == 'f')
		return foreign_key_stays(d, x, k);
	return o && strcmp(o->definition, k->definition) == 0 &&
	       !reads_swapped_enum(d, k->definition);
}

static void drop_constraints(struct diff *d, int foreign)
{
	const struct pgcatalog *f = d->from;
	size_t i, j;
	for (i = 0; i < f->table_count; i++) {
		const struct pg_table *x = &f->tables[i];
		if (!pgcatalog_table(d->to, x->name))
			continue; /* DROP TABLE takes them */
		for (j = x->constraint_count; j-- > 0;) {
			const struct pg_constraint *k = &x->constraints[j];
			if ((k->kind == 'f') != foreign ||
			    constraint_stays(d, x, k))
				continue;
			/* A foreign key into a dropped table goes with it. */
			buffer_printf(&d->out,
				      "ALTER TABLE %s DROP CONSTRAINT %s;\n",
				      x->quoted, k->quoted);
		}
	}
}

static void add_constraints(struct diff *d, int foreign)
{
	const struct pgcatalog *t = d->to;
	size_t i, j;
	for (i = 0; i < t->table_count; i++) {
		const struct pg_table *y = &t->tables[i];
		const struct pg_table *x = pgcatalog_table(d->from, y->name);
		for (j = 0; j < y->constraint_count; j++) {
			const struct pg_constraint *k = &y->constraints[j];
			const struct pg_constraint *old =
			    pgcatalog_constraint(x, k->name);
			if ((k->kind == 'f') != foreign)
				continue;
			/* A new table holds its own, foreign keys apart. */
			if (!x && !foreign)
				continue;
			if (x && old && constraint_stays(d, x, old))
				continue;
			buffer_printf(&d->out,
				      "ALTER TABLE %s ADD CONSTRAINT %s %s;\n",
				      y->quoted, k->quoted, k->definition);
		}
	}
}

/* ---- columns ---- */

static const char *serial_type(const char *type)
{
	if (strcmp(type, "integer") == 0)
		return "serial";
	if (strcmp(type, "bigint") == 0)
		return "bigserial";
	if (strcmp(type, "smallint") == 0)
		return "smallserial";
	return NULL;
}

/* Whether the column's owned sequence is not the one `serial` or a plain
 * identity makes: another name (one that survived a rename of the table
 * or column) or other options. PostgreSQL names it <table>_<column>_seq
 * when that fits in 63 bytes and is free; any other name is written out. */
static int own_sequence(const struct pg_table *t, const struct pg_column *c)
{
	const char *max = strcmp(c->type, "bigint") == 0 ? "9223372036854775807"
			  : strcmp(c->type, "smallint") == 0 ? "32767"
							     : "2147483647";
	char *name, *options;
	int own;
	if (!c->sequence || !(c->serial || c->identity))
		return 0;
	name = text_format("%s_%s_seq", t->name, c->name);
	options = text_format("as %s start 1 increment 1 minvalue 1 "
			      "maxvalue %s cache 1",
			      c->type, max);
	own = strlen(name) > 63 || strcmp(name, c->sequence) != 0 ||
	      !same_text(options, c->sequence_options);
	free(name);
	free(options);
	return own;
}

/* A serial column's own sequence is made before its table (or column),
 * `owned` 0, and owned by the column after, `owned` 1. */
static void own_serial(struct diff *d, const struct pg_table *t,
		       const struct pg_column *c, int owned)
{
	char *q;
	if (!c->serial || !own_sequence(t, c))
		return;
	q = sql_identifier_quote(DIALECT_POSTGRESQL, c->sequence);
	if (owned)
		buffer_printf(&d->out, "ALTER SEQUENCE %s OWNED BY %s.%s;\n", q,
			      t->quoted, c->quoted);
	else
		buffer_printf(&d->out, "CREATE SEQUENCE %s %s;\n", q,
			      c->sequence_options);
	free(q);
}

/* An identity's sequence name and options (not AS: the column's type). */
static void put_identity(struct diff *d, const struct pg_table *t,
			 const struct pg_column *c)
{
	const char *options = c->sequence_options;
	char *q;
	buffer_printf(&d->out, " GENERATED %s AS IDENTITY",
		      c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	if (!own_sequence(t, c))
		return;
	if (strncmp(options, "as ", 3) == 0 && strstr(options, " start "))
		options = strstr(options, " start ") + 1;
	q = sql_identifier_quote(DIALECT_POSTGRESQL, c->sequence);
	buffer_printf(&d->out, " (SEQUENCE NAME %s %s)", q, options);
	free(q);
}

static void put_column(struct diff *d, const struct pg_table *t,
		       const struct pg_column *c)
{
	const char *serial =
	    c->serial && !own_sequence(t, c) ? serial_type(c->type) : NULL;
	buffer_printf(&d->out, "%s %s", c->quoted, serial ? serial : c->type);
	if (c->collation)
		buffer_printf(&d->out, " COLLATE %s", c->collation);
	if (c->generated)
		buffer_printf(&d->out, " GENERATED ALWAYS AS (%s) STORED",
			      c->generated);
	if (c->identity)
		put_identity(d, t, c);
	if (c->not_null)
		buffer_puts(&d->out, " NOT NULL");
	if (c->default_value && !serial)
		buffer_printf(&d->out, " DEFAULT %s", c->default_value);
}

static int position(const char *const *list, const char *item)
{
	int i;
	for (i = 0; list[i]; i++)
		if (strcmp(list[i], item) == 0)
			return i;
	return -1;
}

static long type_length(const char *type, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(type, base, n) != 0)
		return -2;
	if (type[n] == '\0')
		return -1; /* unlimited */
	if (type[n] != '(')
		return -2;
	return strtol(type + n + 1, NULL, 10);
}

/* A change of type that keeps every value as it is. */
static int widens(const char *from, const char *to)
{
	static const char *const integers[] = {"smallint", "integer", "bigint",
					       "numeric", NULL};
	static const char *const floats[] = {"real", "double precision", NULL};
	static const char *const strings[] = {"character varying", "character",
					      NULL};
	int a, b;
	size_t i;
	if (strcmp(to, "text") == 0)
		return 1;
	if ((a = position(integers, from)) >= 0 &&
	    (b = position(integers, to)) >= 0)
		return a <= b;
	if ((a = position(floats, from)) >= 0 &&
	    (b = position(floats, to)) >= 0)
		return a <= b;
	if ((strcmp(from, "smallint") == 0 || strcmp(from, "integer") == 0) &&
	    strcmp(to, "double precision") == 0)
		return 1;
	for (i = 0; strings[i]; i++) {
		long la = type_length(from, strings[i]);
		long lb = type_length(to, strings[i]);
		if (lb == -1 && (la >= -1 || strcmp(from, "text") == 0))
			return 1;
		if (la >= 0 && lb >= 0)
			return lb >= la;
	}
	if (strcmp(from, "character varying") == 0 && strcmp(to, "text") == 0)
		return 1;
	if (strcmp(from, "timestamp without time zone") == 0 &&
	    strcmp(to, "timestamp with time zone") == 0)
		return 1;
	return 0;
}

static void rename_notes(struct diff *d, const struct pg_table *x,
			 const struct pg_table *y)
{
	struct column_changes changes = {0};
	size_t i;
	changes.table = x->name;
	changes.table_quoted = x->quoted;
	for (i = 0; i < x->column_count; i++)
		if (!pgcatalog_column(y, x->columns[i].name)) {
			changes.dropped++;
			changes.one_dropped = x->columns[i].name;
			changes.dropped_quoted = x->columns[i].quoted;
		}
	for (i = 0; i < y->column_count; i++)
		if (!pgcatalog_column(x, y->columns[i].name)) {
			changes.added++;
			changes.one_added = y->columns[i].name;
			changes.added_quoted = y->columns[i].quoted;
		}
	note_column_renames(&d->out, &changes);
}

/* From a column without an owned sequence to a serial one, and back. */
static void serial_change(struct diff *d, const struct pg_table *y,
			  const struct pg_column *x, const struct pg_column *c)
{
	if (c->serial && !x->sequence) {
		buffer_printf(&d->out,
			      "CREATE SEQUENCE %s AS %s OWNED BY %s.%s;\n",
			      c->sequence, c->type, y->quoted, c->quoted);
		buffer_printf(&d->out, "SELECT setval(");
		put_literal(&d->out, c->sequence);
		buffer_printf(&d->out,
			      ", coalesce(max(%s), 0) + 1, false) FROM %s;\n",
			      c->quoted, y->quoted);
	}
}

static void alter_column(struct diff *d, const struct pg_table *y,
			 const struct pg_column *x, const struct pg_column *c)
{
	const char *t = y->quoted, *n = c->quoted;
	int retyped = column_retyped(x, c);
	int default_changed = !same_text(x->default_value, c->default_value);
	int drop_sequence =
	    x->serial && x->sequence && !same_text(x->sequence, c->sequence);

	if (!same_text(x->generated, c->generated)) {
		buffer_printf(
		    &d->out,
		    "-- migc note: the generation expression of %s.%s "
		    "changes: the column is dropped and added again, its "
		    "values computed anew\n",
		    y->name, c->name);
		buffer_printf(&d->out, "ALTER TABLE %s DROP COLUMN %s;\n", t,
			      n);
		buffer_printf(&d->out, "ALTER TABLE %s ADD COLUMN ", t);
		put_column(d, y, c);
		buffer_puts(&d->out, ";\n");
		return;
	}
	if (x->identity && x->identity != c->identity && !c->identity)
		buffer_printf(&d->out,
			      "ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY;\n",
			      t, n);
	if (x->default_value &&
	    (retyped || (default_changed && !c->default_value)))
		buffer_printf(&d->out,
			      "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n",
			      t, n);
	if (drop_sequence)
		buffer_printf(&d->out, "DROP SEQUENCE %s;\n", x->sequence);
	if (retyped) {
		if (!widens(x->type, c->type))
			note_type_change(&d->out, y->name, c->name, x->type,
					 c->type);
		buffer_printf(&d->out, "ALTER TABLE %s ALTER COLUMN %s TYPE %s",
			      t, n, c->type);
		if (c->collation)
			buffer_printf(&d->out, " COLLATE %s", c->collation);
		/* An enum casts to another type (another enum: a renamed
		 * one) only through its label. */
		buffer_printf(&d->out, " USING %s::%s%s;\n", n,
			      x->enum_type || c->enum_type ? "text::" : "",
			      c->type);
	}
	serial_change(d, y, x, c);
	if (c->default_value && (default_changed || retyped))
		buffer_printf(
		    &d->out, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n",
		    t, n, c->default_value);
	if (c->identity && x->identity != c->identity) {
		if (x->identity)
			buffer_printf(
			    &d->out,
			    "ALTER TABLE %s ALTER COLUMN %s SET GENERATED "
			    "%s;\n",
			    t, n, c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		else
			buffer_printf(
			    &d->out,
			    "ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s "
			    "AS IDENTITY;\n",
			    t, n, c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
	}
	if (c->not_null && !x->not_null && !c->identity) {
		if (c->default_value)
			buffer_printf(
			    &d->out,
			    "UPDATE %s SET %s = DEFAULT WHERE %s IS NULL;\n", t,
			    n, n);
		else
			note_becomes_not_null(&d->out, y->name, c->name,
					      "this");
		buffer_printf(&d->out,
			      "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL;\n",
			      t, n);
	} else if (!c->not_null && x->not_null) {
		buffer_printf(&d->out,
			      "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;\n",
			      t, n);
	}
}

/* ADD COLUMN puts a column last: where `y` has an added one before a
 * column the table keeps, PostgreSQL cannot give y's order without
 * rebuilding the table, and the revision says so. */
static void order_note(struct diff *d, const struct pg_table *x,
		       const struct pg_table *y)
{
	size_t i, j;
	for (i = 0; i < y->column_count; i++) {
		if (pgcatalog_column(x, y->columns[i].name))
			continue;
		for (j = i + 1; j < y->column_count; j++)
			if (pgcatalog_column(x, y->columns[j].name))
				break;
		if (j == y->column_count)
			continue;
		buffer_printf(&d->out,
			      "-- migc note: PostgreSQL adds column %s.%s as "
			      "the table's last column, not before %s: the "
			      "column order differs from the schema this "
			      "reaches (SELECT * and INSERT without a column "
			      "list see it); rebuild the table by hand where "
			      "the order matters\n",
			      y->name, y->columns[i].name, y->columns[j].name);
	}
}

/* A partition's columns are its parent's: they change with the parent's.
 * Moved to another parent or bound: detached and attached again. */
static int partition_moves(struct diff *d, const struct pg_table *x,
			   const struct pg_table *y)
{
	const struct pg_table *old =
	    pgcatalog_table(d->from, x->parent ? x->parent : "");
	const struct pg_table *now =
	    pgcatalog_table(d->to, y->parent ? y->parent : "");
	if (same_text(x->parent, y->parent) && same_text(x->bound, y->bound))
		return x->parent != NULL;
	if (old && pgcatalog_table(d->to, old->name))
		buffer_printf(&d->out, "ALTER TABLE %s DETACH PARTITION %s;\n",
			      old->quoted, x->quoted);
	if (now)
		buffer_printf(&d->out,
			      "ALTER TABLE %s ATTACH PARTITION %s %s;\n",
			      now->quoted, y->quoted, y->bound);
	return y->parent != NULL;
}

static void alter_table(struct diff *d, const struct pg_table *x,
			const struct pg_table *y)
{
	size_t i;
	size_t before = d->out.length;
	if (partition_moves(d, x, y)) {
		if (d->out.length != before)
			sql_gap(&d->out);
		return;
	}
	rename_notes(d, x, y);
	order_note(d, x, y);
	for (i = 0; i < x->column_count; i++)
		if (!pgcatalog_column(y, x->columns[i].name)) {
			note_dropped_column(&d->out, x->name,
					    x->columns[i].name);
			buffer_printf(&d->out,
				      "ALTER TABLE %s DROP COLUMN %s;\n",
				      x->quoted, x->columns[i].quoted);
		}
	for (i = 0; i < y->column_count; i++) {
		const struct pg_column *c = &y->columns[i];
		const struct pg_column *old = pgcatalog_column(x, c->name);
		if (old) {
			alter_column(d, y, old, c);
			continue;
		}
		if (c->not_null && !c->default_value && !c->identity &&
		    !c->serial && !c->generated)
			note_added_not_null(&d->out, y->name, c->name, "this");
		own_serial(d, y, c, 0);
		buffer_printf(&d->out, "ALTER TABLE %s ADD COLUMN ", y->quoted);
		put_column(d, y, c);
		buffer_puts(&d->out, ";\n");
		own_serial(d, y, c, 1);
	}
	if (d->out.length != before)
		sql_gap(&d->out);
}

/* ---- tables ---- */

/* A partition takes its columns from its parent; its own constraints
 * (not those it inherits) are listed like a table's. */
static void create_table(struct diff *d, const struct pg_table *y)
{
	const struct pg_table *parent =
	    y->parent ? pgcatalog_table(d->to, y->parent) : NULL;
	size_t i, listed = 0;
	for (i = 0; i < y->column_count && !parent; i++)
		own_serial(d, y, &y->columns[i], 0);
	buffer_printf(&d->out, "CREATE TABLE %s", y->quoted);
	if (parent)
		buffer_printf(&d->out, " PARTITION OF %s", parent->quoted);
	for (i = 0; i < y->column_count && !parent; i++) {
		buffer_puts(&d->out, listed++ ? ",\n    " : " (\n    ");
		put_column(d, y, &y->columns[i]);
	}
	for (i = 0; i < y->constraint_count; i++) {
		const struct pg_constraint *k = &y->constraints[i];
		if (k->kind == 'f')
			continue;
		buffer_puts(&d->out, listed++ ? ",\n    " : " (\n    ");
		buffer_printf(&d->out, "CONSTRAINT %s %s", k->quoted,
			      k->definition);
	}
	buffer_puts(&d->out, listed ? "\n)" : parent ? "" : " ()");
	if (parent)
		buffer_printf(&d->out, " %s", y->bound);
	if (y->partition_key)
		buffer_printf(&d->out, " PARTITION BY %s", y->partition_key);
	buffer_puts(&d->out, ";\n");
	for (i = 0; i < y->column_count && !parent; i++)
		own_serial(d, y, &y->columns[i], 1);
}

/* `child` references `parent` (a foreign key) or is its partition. */
static int references(const struct pg_table *child, const char *parent)
{
	size_t i;
	if (same_text(child->parent, parent))
		return 1;
	for (i = 0; i < child->constraint_count; i++)
		if (child->constraints[i].kind == 'f' &&
		    same_text(child->constraints[i].referenced, parent) &&
		    strcmp(child->name, parent) != 0)
			return 1;
	return 0;
}

static size_t common_columns(const struct pg_table *a, const struct pg_table *b)
{
	size_t i, n = 0;
	for (i = 0; i < a->column_count; i++)
		if (pgcatalog_column(b, a->columns[i].name))
			n++;
	return n;
}

/* Table `a` is referenced by table `b`: it is dropped after. */
static int waits_for_child(const void *context, size_t a, size_t b)
{
	const struct pgcatalog *c = context;
	return references(&c->tables[b], c->tables[a].name);
}

static void drop_tables(struct diff *d)
{
	const struct pgcatalog *f = d->from;
	size_t *set = calloc(f->table_count + 1, sizeof *set);
	size_t count = 0, i, j;
	if (!set)
		abort();
	for (i = 0; i < f->table_count; i++)
		if (!pgcatalog_table(d->to, f->tables[i].name))
			set[count++] = i;
	/* Children (tables that reference others in the set) first. */
	order_by_dependency(set, count, waits_for_child, f);
	for (i = 0; i < count; i++) {
		const struct pg_table *x = &f->tables[set[i]];
		for (j = 0; j < d->to->table_count; j++) {
			const struct pg_table *n = &d->to->tables[j];
			if (!pgcatalog_table(d->from, n->name) &&
			    sql_looks_renamed(common_columns(x, n),
					      x->column_count, n->column_count))
				note_table_rename(&d->out, x->name, n->name,
						  x->quoted, n->quoted);
		}
		note_dropped_table(&d->out, x->name);
		buffer_printf(&d->out, "DROP TABLE %s;\n", x->quoted);
	}
	free(set);
	sql_gap(&d->out);
}

/* ---- enum types ---- */

static void put_labels(struct diff *d, const struct pg_object *e)
{
	size_t i;
	buffer_puts(&d->out, "(");
	for (i = 0; i < e->labels.count; i++) {
		if (i)
			buffer_puts(&d->out, ", ");
		put_literal(&d->out, e->labels.items[i]);
	}
	buffer_puts(&d->out, ")");
}

static void create_enum(struct diff *d, const struct pg_object *e)
{
	buffer_printf(&d->out, "CREATE TYPE %s AS ENUM ", e->quoted);
	put_labels(d, e);
	buffer_puts(&d->out, ";\n");
}

static void value_added(struct diff *d, const char *label)
{
	struct buffer literal = {0};
	size_t n = d->values_added.count;
	put_literal(&literal, label);
	string_list_add(&d->values_added, literal.data);
	d->values_added_at =
	    grow_items(d->values_added_at, n, sizeof *d->values_added_at);
	d->values_added_at[n] = d->out.length;
}

/* PostgreSQL does not let the transaction that adds an enum value use it
 * ("unsafe use of new value"): a script that uses a value it added runs
 * outside a transaction, a statement at a time, which migc records and
 * resumes. The mark opens the script; autogen.c makes it the revision's
 * header. */
static void mark_values_used(struct diff *d)
{
	static const char mark[] = AUTOGEN_NO_TRANSACTION
	    "-- migc note: this revision uses an enum value it adds, which "
	    "PostgreSQL allows only once the value is committed, so it runs "
	    "outside a transaction: each statement commits with its progress "
	    "row, and a run that fails resumes at the statement that failed\n";
	size_t i;
	struct buffer marked = {0};
	for (i = 0; i < d->values_added.count; i++)
		if (strstr(d->out.data + d->values_added_at[i],
			   d->values_added.items[i]))
			break;
	if (i == d->values_added.count)
		return;
	buffer_puts(&marked, mark);
	buffer_puts(&marked, d->out.data);
	free(d->out.data);
	d->out = marked;
}

static void add_values(struct diff *d, const struct pg_object *x,
		       const struct pg_object *y)
{
	size_t i, j;
	for (i = 0; i < y->labels.count; i++) {
		int known = 0;
		for (j = 0; j < x->labels.count; j++)
			if (strcmp(x->labels.items[j], y->labels.items[i]) == 0)
				known = 1;
		if (known)
			continue;
		buffer_printf(&d->out, "ALTER TYPE %s ADD VALUE ", y->quoted);
		put_literal(&d->out, y->labels.items[i]);
		if (i > 0) {
			buffer_puts(&d->out, " AFTER ");
			put_literal(&d->out, y->labels.items[i - 1]);
		} else if (y->labels.count > 1) {
			buffer_puts(&d->out, " BEFORE ");
			put_literal(&d->out, y->labels.items[1]);
		}
		buffer_puts(&d->out, ";\n");
		value_added(d, y->labels.items[i]);
	}
}

static void rename_values(struct diff *d, const struct pg_object *x,
			  const struct pg_object *y)
{
	size_t i;
	for (i = 0; i < y->labels.count; i++) {
		if (strcmp(x->labels.items[i], y->labels.items[i]) == 0)
			continue;
		buffer_printf(&d->out,
			      "-- migc note: type %s: value '%s' taken as "
			      "renamed to '%s' (the rows holding it follow); "
			      "if it is a new value instead, write this step "
			      "by hand\n",
			      y->name, x->labels.items[i], y->labels.items[i]);
		buffer_printf(&d->out, "ALTER TYPE %s RENAME VALUE ",
			      y->quoted);
		put_literal(&d->out, x->labels.items[i]);
		buffer_puts(&d->out, " TO ");
		put_literal(&d->out, y->labels.items[i]);
		buffer_puts(&d->out, ";\n");
	}
}

/* PostgreSQL cannot drop or reorder enum values: the documented way is a
 * new type and every column converted through text. */
static void swap_enum(struct diff *d, const struct pg_object *x,
		      const struct pg_object *y)
{
	size_t i, j, k;
	char *old = text_format("%s_migc_old", x->name);
	for (i = 0; i < x->labels.count; i++) {
		int kept = 0;
		for (k = 0; k < y->labels.count; k++)
			if (strcmp(x->labels.items[i], y->labels.items[k]) == 0)
				kept = 1;
		if (!kept)
			buffer_printf(
			    &d->out,
			    "-- migc data loss: type %s loses value '%s': rows "
			    "holding it make the conversion fail; update them "
			    "first\n",
			    x->name, x->labels.items[i]);
	}
	buffer_printf(&d->out, "ALTER TYPE %s RENAME TO \"%s\";\n", x->quoted,
		      old);
	create_enum(d, y);
	for (i = 0; i < d->from->table_count; i++) {
		const struct pg_table *t = &d->from->tables[i];
		if (!pgcatalog_table(d->to, t->name))
			continue;
		for (j = 0; j < t->column_count; j++) {
			const struct pg_column *c = &t->columns[j];
			/* The default it will have: the old one may be a
			 * value the new type lacks. */
			const struct pg_column *to = pgcatalog_column(
			    pgcatalog_table(d->to, t->name), c->name);
			const char *restored = to ? to->default_value : NULL;
			int array;
			if (!same_text(c->enum_type, x->name))
				continue;
			array = strchr(c->type, '[') != NULL;
			if (c->default_value)
				buffer_printf(
				    &d->out,
				    "ALTER TABLE %s ALTER COLUMN %s DROP "
				    "DEFAULT;\n",
				    t->quoted, c->quoted);
			buffer_printf(
			    &d->out,
			    "ALTER TABLE %s ALTER COLUMN %s TYPE %s USING "
			    "%s::text%s::%s;\n",
			    t->quoted, c->quoted, c->type, c->quoted,
			    array ? "[]" : "", c->type);
			if (c->default_value && restored)
				buffer_printf(&d->out,
					      "ALTER TABLE %s ALTER COLUMN %s "
					      "SET DEFAULT %s;\n",
					      t->quoted, c->quoted, restored);
		}
	}
	buffer_printf(&d->out, "DROP TYPE \"%s\";\n", old);
	free(old);
}

/* ---- the whole difference ---- */

/* Whether relation `name` of `from` (a table or a view an index or a
 * trigger is on) goes in this change, taking its indexes and triggers. */
static int relation_goes(const struct diff *d, const char *name)
{
	const struct pg_object *v =
	    pgcatalog_object(d->from->views, d->from->view_count, name);
	if (v)
		return d->dropped_views[v - d->from->views];
	return !pgcatalog_table(d->to, name);
}

/* Whether relation `name` of `to` is made anew in this change, so that
 * its indexes and triggers are made again. */
static int relation_made(const struct diff *d, const char *name)
{
	const struct pg_object *v =
	    pgcatalog_object(d->from->views, d->from->view_count, name);
	if (pgcatalog_object(d->to->views, d->to->view_count, name))
		return !v || d->dropped_views[v - d->from->views];
	return !pgcatalog_table(d->from, name);
}

/* An index or trigger of `from` to drop before the change: gone or
 * changed, on a relation that stays. */
static void drop_on_relations(struct diff *d, const struct pg_object *items,
			      size_t count, const struct pg_object *kept,
			      size_t kept_count, const char *what)
{
	size_t i;
	for (i = count; i-- > 0;) {
		const struct pg_object *x = &items[i];
		const struct pg_object *y =
		    pgcatalog_object(kept, kept_count, x->name);
		if (relation_goes(d, x->table))
			continue; /* DROP TABLE or VIEW takes it */
		if (!y || strcmp(y->definition, x->definition) != 0 ||
		    reads_swapped_enum(d, x->definition))
			buffer_printf(&d->out, "DROP %s %s;\n", what,
				      x->quoted);
	}
}

/* A definition the server printed, as a statement. */
static void put_statement(struct diff *d, const char *definition)
{
	size_t n = strlen(definition);
	while (n > 0 && (definition[n - 1] == '\n' || definition[n - 1] == ' '))
		n--;
	buffer_printf(&d->out, "%.*s%s\n", (int)n, definition,
		      n > 0 && definition[n - 1] == ';' ? "" : ";");
}

/* Indexes or triggers of `to` on its tables (`on_views` 0) or views (1)
 * that are new, changed, or on a relation made anew. */
static void create_on_relations(struct diff *d, const struct pg_object *items,
				size_t count, const struct pg_object *had,
				size_t had_count, int on_views)
{
	size_t i;
	for (i = 0; i < count; i++) {
		const struct pg_object *y = &items[i];
		const struct pg_object *x =
		    pgcatalog_object(had, had_count, y->name);
		int view = pgcatalog_object(d->to->views, d->to->view_count,
					    y->table) != NULL;
		if (view != on_views)
			continue;
		if (!x || strcmp(y->definition, x->definition) != 0 ||
		    reads_swapped_enum(d, x->definition) ||
		    relation_made(d, y->table))
			put_statement(d, y->definition);
	}
}

/* What depends on what changes goes first: triggers, views, foreign keys,
 * then other constraints and indexes (DROP TABLE takes a dropped table's). */
static void drop_dependents(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	size_t i;
	drop_on_relations(d, from->policies, from->policy_count, to->policies,
			  to->policy_count, "POLICY");
	drop_on_relations(d, from->triggers, from->trigger_count, to->triggers,
			  to->trigger_count, "TRIGGER");
	for (i = from->view_count; i-- > 0;)
		if (d->dropped_views[i])
			buffer_printf(
			    &d->out, "DROP %sVIEW %s;\n",
			    from->views[i].kind == 'm' ? "MATERIALIZED " : "",
			    from->views[i].quoted);
	drop_constraints(d, 1);
	drop_constraints(d, 0);
	drop_on_relations(d, from->indexes, from->index_count, to->indexes,
			  to->index_count, "INDEX");
	sql_gap(&d->out);
}

/* Whether a column of `c`'s tables, or another of its types, is of type
 * `name` (or an array of it). */
static int type_used(const struct pgcatalog *c, const struct pg_object *type)
{
	size_t i, j, n = strlen(type->name);
	for (i = 0; i < c->table_count; i++)
		for (j = 0; j < c->tables[i].column_count; j++) {
			const char *t = c->tables[i].columns[j].type;
			if (strncmp(t, type->name, n) == 0 &&
			    (t[n] == '\0' || t[n] == '['))
				return 1;
		}
	for (i = 0; i < c->type_count; i++)
		if (&c->types[i] != type &&
		    mentions(c->types[i].definition, type->name))
			return 1;
	return 0;
}

/* A domain or composite type of `to`: made when new; changed, made again
 * where nothing uses it, else refused (ALTER DOMAIN and ALTER TYPE ...
 * ATTRIBUTE are not written yet). */
static void create_type(struct diff *d, const struct pg_object *y)
{
	const struct pg_object *x =
	    pgcatalog_object(d->from->types, d->from->type_count, y->name);
	struct buffer reason = {0};
	if (x && strcmp(x->definition, y->definition) == 0 &&
	    x->kind == y->kind)
		return;
	if (x && (type_used(d->from, x) || type_used(d->to, y))) {
		buffer_printf(&reason,
			      "%s %s changes while columns use it, and ALTER "
			      "%s is not written yet",
			      y->kind == 'd' ? "domain" : "type", y->name,
			      y->kind == 'd' ? "DOMAIN" : "TYPE");
		note_cannot(&d->out, reason.data);
		free(reason.data);
		return;
	}
	if (x)
		buffer_printf(&d->out, "DROP %s %s;\n",
			      x->kind == 'd' ? "DOMAIN" : "TYPE", x->quoted);
	put_statement(d, y->definition);
}

/* Extensions, types and sequences before the tables that use them. */
static void create_types(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	size_t i;
	for (i = 0; i < to->extension_count; i++)
		if (!pgcatalog_object(from->extensions, from->extension_count,
				      to->extensions[i].name))
			buffer_printf(&d->out,
				      "CREATE EXTENSION IF NOT EXISTS %s;\n",
				      to->extensions[i].quoted);
	for (i = 0; i < to->sequence_count; i++) {
		const struct pg_object *y = &to->sequences[i];
		const struct pg_object *x = pgcatalog_object(
		    from->sequences, from->sequence_count, y->name);
		if (!x)
			buffer_printf(&d->out, "CREATE SEQUENCE %s %s;\n",
				      y->quoted, y->definition);
		else if (strcmp(x->definition, y->definition) != 0)
			buffer_printf(&d->out, "ALTER SEQUENCE %s %s;\n",
				      y->quoted, y->definition);
	}
	for (i = 0; i < to->enum_count; i++) {
		const struct pg_object *y = &to->enums[i];
		long j = enum_index(from, y->name);
		if (j < 0)
			create_enum(d, y);
		else if (d->swapped_enums[j])
			swap_enum(d, &from->enums[j], y);
		else if (labels_renamed(&from->enums[j], y))
			rename_values(d, &from->enums[j], y);
		else if (!string_list_equal(&from->enums[j].labels, &y->labels))
			add_values(d, &from->enums[j], y);
	}
	for (i = 0; i < to->type_count; i++)
		create_type(d, &to->types[i]);
	sql_gap(&d->out);
}

/* Row-level security of table `y` as it is to be, `x` as it was (NULL:
 * new, off). */
static void row_security(struct diff *d, const struct pg_table *x,
			 const struct pg_table *y)
{
	int on = x && x->row_security, forced = x && x->force_row_security;
	if (on != y->row_security)
		buffer_printf(
		    &d->out, "ALTER TABLE %s %s ROW LEVEL SECURITY;\n",
		    y->quoted, y->row_security ? "ENABLE" : "DISABLE");
	if (forced != y->force_row_security)
		buffer_printf(
		    &d->out, "ALTER TABLE %s %s ROW LEVEL SECURITY;\n",
		    y->quoted, y->force_row_security ? "FORCE" : "NO FORCE");
}

/* Table `a` is a partition of `b`: it is made after. */
static int made_after_parent(const void *context, size_t a, size_t b)
{
	const struct pgcatalog *c = context;
	return same_text(c->tables[a].parent, c->tables[b].name);
}

static void create_and_alter_tables(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	size_t *set = calloc(to->table_count + 1, sizeof *set);
	size_t count = 0, i;
	if (!set)
		abort();
	for (i = 0; i < to->table_count; i++)
		if (!pgcatalog_table(from, to->tables[i].name))
			set[count++] = i;
	/* Parents (of partitions) first. */
	order_by_dependency(set, count, made_after_parent, to);
	for (i = 0; i < count; i++) {
		create_table(d, &to->tables[set[i]]);
		sql_gap(&d->out);
	}
	free(set);
	for (i = 0; i < to->table_count; i++) {
		const struct pg_table *x =
		    pgcatalog_table(from, to->tables[i].name);
		if (x)
			alter_table(d, x, &to->tables[i]);
	}
	for (i = 0; i < to->table_count; i++)
		row_security(d, pgcatalog_table(from, to->tables[i].name),
			     &to->tables[i]);
}

/* Functions and procedures after the tables their bodies read, before
 * the indexes, views and triggers that call them. pg_get_functiondef
 * writes CREATE OR REPLACE with every attribute, so a changed one is
 * replaced in place (its triggers stay); one that turns from function
 * into procedure or back is dropped first. */
static void create_routines(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	size_t i;
	for (i = 0; i < to->routine_count; i++) {
		const struct pg_object *y = &to->routines[i];
		const struct pg_object *x = pgcatalog_object(
		    from->routines, from->routine_count, y->name);
		if (x && strcmp(x->definition, y->definition) == 0)
			continue;
		if (x && x->kind != y->kind)
			buffer_printf(&d->out, "DROP %s %s;\n",
				      x->kind == 'p' ? "PROCEDURE" : "FUNCTION",
				      x->quoted);
		put_statement(d, y->definition);
		sql_gap(&d->out);
	}
}

/* Keys before the foreign keys that reference them, then indexes, views,
 * the indexes of materialized views, and triggers. */
static void create_dependents(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	size_t i;
	add_constraints(d, 0);
	add_constraints(d, 1);
	create_on_relations(d, to->indexes, to->index_count, from->indexes,
			    from->index_count, 0);
	for (i = 0; i < to->view_count; i++) {
		const struct pg_object *y = &to->views[i];
		const struct pg_object *x =
		    pgcatalog_object(from->views, from->view_count, y->name);
		if (x && !d->dropped_views[x - from->views])
			continue;
		buffer_printf(&d->out, "CREATE %sVIEW %s",
			      y->kind == 'm' ? "MATERIALIZED " : "", y->quoted);
		put_statement(d, y->definition);
	}
	create_on_relations(d, to->indexes, to->index_count, from->indexes,
			    from->index_count, 1);
	create_on_relations(d, to->triggers, to->trigger_count, from->triggers,
			    from->trigger_count, 0);
	create_on_relations(d, to->triggers, to->trigger_count, from->triggers,
			    from->trigger_count, 1);
	create_on_relations(d, to->policies, to->policy_count, from->policies,
			    from->policy_count, 0);
	sql_gap(&d->out);
}

/* Routines, types, sequences and extensions after what used them. */
static void drop_types(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	size_t i;
	for (i = from->routine_count; i-- > 0;)
		if (!pgcatalog_object(to->routines, to->routine_count,
				      from->routines[i].name))
			buffer_printf(&d->out, "DROP %s %s;\n",
				      from->routines[i].kind == 'p'
					  ? "PROCEDURE"
					  : "FUNCTION",
				      from->routines[i].quoted);
	for (i = from->type_count; i-- > 0;)
		if (!pgcatalog_object(to->types, to->type_count,
				      from->types[i].name))
			buffer_printf(&d->out, "DROP %s %s;\n",
				      from->types[i].kind == 'd' ? "DOMAIN"
								 : "TYPE",
				      from->types[i].quoted);
	for (i = 0; i < from->enum_count; i++)
		if (!pgcatalog_object(to->enums, to->enum_count,
				      from->enums[i].name))
			buffer_printf(&d->out, "DROP TYPE %s;\n",
				      from->enums[i].quoted);
	for (i = 0; i < from->sequence_count; i++)
		if (!pgcatalog_object(to->sequences, to->sequence_count,
				      from->sequences[i].name))
			buffer_printf(&d->out, "DROP SEQUENCE %s;\n",
				      from->sequences[i].quoted);
	for (i = from->extension_count; i-- > 0;)
		if (!pgcatalog_object(to->extensions, to->extension_count,
				      from->extensions[i].name))
			buffer_printf(&d->out, "DROP EXTENSION %s;\n",
				      from->extensions[i].quoted);
}

/* Whether what `comment` is on stands in `c`: its table or view, and a
 * table's column. */
static int comment_target_in(const struct pgcatalog *c,
			     const struct pg_object *comment)
{
	const struct pg_table *t = pgcatalog_table(c, comment->table);
	if (t && comment->kind == 'c')
		return pgcatalog_column(t, comment->name +
					       strlen(comment->table) + 1) !=
		       NULL;
	return t || pgcatalog_object(c->views, c->view_count, comment->table);
}

/* What a relation carries that is set on it rather than made (comments,
 * grants) from `from`'s `had` to `to`'s `items`: new or changed, or on a
 * relation made anew (which lost them), set; then `unset` (a format of
 * the item's quoted) for those `to` lacks, on what stays. A changed one
 * is unset first where setting does not replace (`unset_first`). */
static void relation_attributes(struct diff *d, const struct pg_object *items,
				size_t count, const struct pg_object *had,
				size_t had_count, const char *unset,
				int unset_first)
{
	size_t i;
	for (i = 0; unset_first && i < had_count; i++) {
		const struct pg_object *y =
		    pgcatalog_object(items, count, had[i].name);
		if (y && strcmp(y->definition, had[i].definition) != 0 &&
		    !relation_made(d, had[i].table)) {
			buffer_printf(&d->out, unset, had[i].quoted);
			buffer_puts(&d->out, "\n");
		}
	}
	create_on_relations(d, items, count, had, had_count, 0);
	create_on_relations(d, items, count, had, had_count, 1);
	for (i = 0; i < had_count; i++) {
		const struct pg_object *x = &had[i];
		if (!pgcatalog_object(items, count, x->name) &&
		    comment_target_in(d->to, x) &&
		    !relation_made(d, x->table)) {
			buffer_printf(&d->out, unset, x->quoted);
			buffer_puts(&d->out, "\n");
		}
	}
}

/* Comments (COMMENT ON replaces one), then privileges. */
static void comment_objects(struct diff *d)
{
	const struct pgcatalog *from = d->from, *to = d->to;
	relation_attributes(d, to->comments, to->comment_count, from->comments,
			    from->comment_count, "COMMENT ON %s IS NULL;", 0);
	relation_attributes(d, to->grants, to->grant_count, from->grants,
			    from->grant_count, "REVOKE %s;", 1);
	sql_gap(&d->out);
}

char *pgdiff_sql(const void *catalog_from, const void *catalog_to)
{
	const struct pgcatalog *from = catalog_from, *to = catalog_to;
	struct diff d;
	size_t i;

	memset(&d, 0, sizeof d);
	d.from = from;
	d.to = to;
	d.dropped_views = calloc(from->view_count + 1, 1);
	d.swapped_enums = calloc(from->enum_count + 1, 1);
	if (!d.dropped_views || !d.swapped_enums)
		abort();
	for (i = 0; i < from->enum_count; i++) {
		const struct pg_object *y = pgcatalog_object(
		    to->enums, to->enum_count, from->enums[i].name);
		if (y && !labels_extend(&from->enums[i], y) &&
		    !labels_renamed(&from->enums[i], y))
			d.swapped_enums[i] = 1;
	}
	mark_views(&d);

	drop_dependents(&d);
	drop_tables(&d);
	create_types(&d);
	create_and_alter_tables(&d);
	create_routines(&d);
	create_dependents(&d);
	comment_objects(&d);
	drop_types(&d);
	mark_values_used(&d);

	free(d.dropped_views);
	free(d.swapped_enums);
	string_list_free(&d.values_added);
	free(d.values_added_at);
	return sql_finish(&d.out);
}
