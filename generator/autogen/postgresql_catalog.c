/* pgcatalog.c: one PostgreSQL schema as pgautogen.c compares it, read from
 * pg_catalog with the server's own printers (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef), and the
 * comparison of two such schemas. The search_path is set to the schema
 * read so that the printers leave its name out; pg_get_indexdef names the
 * table's schema anyway, which is cut here. */
#include "dialect.h"
#include "postgresql.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifdef MIGC_GENERATOR_WITH_POSTGRESQL
#include <libpq-fe.h>
#endif

/* What each item of the catalog owns (catalog_free). */
static const size_t column_strings[] = {
    MEMBER(pg_column, name),	  MEMBER(pg_column, quoted),
    MEMBER(pg_column, type),	  MEMBER(pg_column, default_value),
    MEMBER(pg_column, generated), MEMBER(pg_column, collation),
    MEMBER(pg_column, sequence),  MEMBER(pg_column, sequence_options),
    MEMBER(pg_column, enum_type)};
static const size_t constraint_strings[] = {
    MEMBER(pg_constraint, name), MEMBER(pg_constraint, quoted),
    MEMBER(pg_constraint, definition), MEMBER(pg_constraint, referenced)};
static const struct item_layout column_layout = {
    sizeof(struct pg_column), OWNED(column_strings), OWNS_NONE, OWNS_NONE};
static const struct item_layout constraint_layout = {
    sizeof(struct pg_constraint), OWNED(constraint_strings), OWNS_NONE,
    OWNS_NONE};
static const size_t table_strings[] = {
    MEMBER(pg_table, name), MEMBER(pg_table, quoted),
    MEMBER(pg_table, partition_key), MEMBER(pg_table, parent),
    MEMBER(pg_table, bound)};
static const struct item_array table_arrays[] = {
    ITEM_ARRAY(pg_table, columns, column_count, &column_layout),
    ITEM_ARRAY(pg_table, constraints, constraint_count, &constraint_layout)};
static const struct item_layout table_layout = {sizeof(struct pg_table),
						OWNED(table_strings), OWNS_NONE,
						OWNED(table_arrays)};
static const size_t object_strings[] = {
    MEMBER(pg_object, name), MEMBER(pg_object, quoted),
    MEMBER(pg_object, table), MEMBER(pg_object, definition)};
static const size_t object_lists[] = {offsetof(struct pg_object, labels)};
static const struct item_layout object_layout = {
    sizeof(struct pg_object), OWNED(object_strings), OWNED(object_lists),
    OWNS_NONE};

const struct pg_table *pgcatalog_table(const struct pgcatalog *c,
				       const char *name)
{
	return named_item(c->tables, c->table_count, sizeof *c->tables,
			  offsetof(struct pg_table, name), name, strcmp);
}

const struct pg_column *pgcatalog_column(const struct pg_table *t,
					 const char *name)
{
	return named_item(t->columns, t->column_count, sizeof *t->columns,
			  offsetof(struct pg_column, name), name, strcmp);
}

const struct pg_constraint *pgcatalog_constraint(const struct pg_table *t,
						 const char *name)
{
	if (!t)
		return NULL;
	return named_item(t->constraints, t->constraint_count,
			  sizeof *t->constraints,
			  offsetof(struct pg_constraint, name), name, strcmp);
}

const struct pg_object *pgcatalog_object(const struct pg_object *items,
					 size_t count, const char *name)
{
	return named_item(items, count, sizeof *items,
			  offsetof(struct pg_object, name), name, strcmp);
}

/* ---- reading ---- */

#ifdef MIGC_GENERATOR_WITH_POSTGRESQL

static int identifier_char(char c)
{
	return c == '_' || c == '$' || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (unsigned char)c >= 0x80;
}

/* `text` without any "<schema>." in it, outside string literals and
 * quoted identifiers (a default 'see public.docs' keeps its text). */
static char *unqualified(const char *text, const char *schema)
{
	size_t n = strlen(schema);
	char *out = text_dup(text), *at = out;
	while (*at) {
		if (*at == '\'' || *at == '"') {
			char quote = *at;
			/* E'...': backslash escapes too. */
			int escapes =
			    quote == '\'' && at > out &&
			    (at[-1] == 'E' || at[-1] == 'e') &&
			    (at - 1 == out || !identifier_char(at[-2]));
			for (at++; *at; at++) {
				if (escapes && *at == '\\' && at[1]) {
					at++;
					continue;
				}
				if (*at == quote) {
					if (at[1] != quote)
						break;
					at++; /* '' or "" */
				}
			}
			if (*at)
				at++;
			continue;
		}
		if (strncmp(at, schema, n) == 0 && at[n] == '.' &&
		    (at == out || !identifier_char(at[-1]))) {
			memmove(at, at + n + 1, strlen(at + n + 1) + 1);
			continue;
		}
		at++;
	}
	return out;
}

static const char tables_sql[] =
    "SELECT c.relname, quote_ident(c.relname), c.relrowsecurity, "
    "c.relforcerowsecurity, CASE WHEN c.relkind = 'p' "
    "THEN pg_get_partkeydef(c.oid) END, p.relname, "
    "pg_get_expr(c.relpartbound, c.oid) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_inherits h ON c.relispartition AND h.inhrelid = c.oid "
    "LEFT JOIN pg_class p ON p.oid = h.inhparent "
    "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relname";

/* The owned sequence of a column: pg_depend 'a' for serial, 'i' for
 * identity (an index on the column depends on it with 'a' too, hence the
 * relkind). */
static const char columns_sql[] =
    "SELECT c.relname, a.attname, quote_ident(a.attname), "
    "format_type(a.atttypid, a.atttypmod), a.attnotnull, "
    "CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, "
    "a.attidentity, "
    "CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END, "
    "CASE WHEN a.attcollation <> t.typcollation "
    "THEN quote_ident(co.collname) END, "
    "sq.relname, sq.options, sq.deptype, et.typname "
    "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_type t ON t.oid = a.atttypid "
    "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
    "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
    "LEFT JOIN pg_type et ON et.oid = CASE WHEN t.typtype = 'e' THEN t.oid "
    "ELSE t.typelem END AND et.typtype = 'e' AND et.typnamespace = n.oid "
    "LEFT JOIN LATERAL (SELECT s.relname, dep.deptype, "
    "format('as %s start %s increment %s minvalue %s maxvalue %s cache %s%s', "
    "format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, "
    "q.seqmax, q.seqcache, CASE WHEN q.seqcycle THEN ' cycle' ELSE '' END) "
    "AS options FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid "
    "JOIN pg_sequence q ON q.seqrelid = s.oid "
    "WHERE dep.classid = 'pg_class'::regclass "
    "AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid "
    "AND dep.refobjsubid = a.attnum AND s.relkind = 'S' "
    "AND dep.deptype IN ('a', 'i') LIMIT 1) sq ON true "
    "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 "
    "AND NOT a.attisdropped ORDER BY c.relname, a.attnum";

static const char constraints_sql[] =
    "SELECT c.relname, k.conname, quote_ident(k.conname), k.contype, "
    "pg_get_constraintdef(k.oid), f.relname "
    "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_class f ON f.oid = k.confrelid "
    "WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'f', 'c', 'x') "
    "AND k.conparentid = 0 AND k.conislocal "
    "ORDER BY c.relname, k.contype, k.conname";

/* A partitioned table's index as CREATE INDEX makes it, on the partitions
 * too (pg_get_indexdef writes ON ONLY, as pg_dump attaches each
 * partition's index itself); the partitions' own copies are not read. */
static const char indexes_sql[] =
    "SELECT i.relname, quote_ident(i.relname), c.relname, "
    "CASE WHEN i.relkind = 'I' THEN regexp_replace(pg_get_indexdef(i.oid), "
    "' ON ONLY ', ' ON ') ELSE pg_get_indexdef(i.oid) END FROM pg_index x "
    "JOIN pg_class i ON i.oid = x.indexrelid "
    "JOIN pg_class c ON c.oid = x.indrelid "
    "JOIN pg_namespace n ON n.oid = i.relnamespace "
    "WHERE n.nspname = $1 AND NOT i.relispartition AND NOT EXISTS (SELECT 1 "
    "FROM pg_constraint k "
    "WHERE k.conindid = i.oid AND k.conrelid = c.oid "
    "AND k.contype IN ('p', 'u', 'x')) ORDER BY i.relname";

/* Views and materialized views ('v', 'm'), each's definition what
 * follows CREATE VIEW name: its options (security_invoker, check_option)
 * and AS, then the query. In an order that creates each
 * after those it reads (pg_depend through the view's rewrite rule), by
 * name where free: (name, quoted, table, definition, kind) as the
 * queries below. */
static const char views_sql[] =
    "WITH RECURSIVE v AS (SELECT c.oid, c.relname, c.relkind, c.reloptions "
    "FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')), "
    "uses AS (SELECT DISTINCT v.oid AS viewer, d.refobjid AS used "
    "FROM v JOIN pg_rewrite r ON r.ev_class = v.oid "
    "JOIN pg_depend d ON d.objid = r.oid "
    "AND d.classid = 'pg_rewrite'::regclass "
    "WHERE d.refobjid <> v.oid AND d.refobjid IN (SELECT oid FROM v)), "
    "depth AS (SELECT oid, 0 AS level FROM v UNION ALL "
    "SELECT u.viewer, depth.level + 1 FROM depth "
    "JOIN uses u ON u.used = depth.oid WHERE depth.level < 100) "
    "SELECT v.relname, quote_ident(v.relname), NULL, coalesce(' WITH (' "
    "|| array_to_string(v.reloptions, ', ') || ')', '') || ' AS' || "
    "chr(10) || pg_get_viewdef(v.oid, true), v.relkind FROM v "
    "JOIN (SELECT oid, max(level) AS level FROM depth GROUP BY oid) l "
    "ON l.oid = v.oid ORDER BY l.level, v.relname";

/* Extensions whose objects live in the schema (plpgsql is in every
 * database). */
static const char extensions_sql[] =
    "SELECT e.extname, quote_ident(e.extname), NULL, e.extname, 'e' "
    "FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
    "WHERE n.nspname = $1 AND e.extname <> 'plpgsql' ORDER BY 1";

/* Functions and procedures, not those of extensions; pg_get_functiondef
 * writes every attribute (volatility, PARALLEL, SECURITY DEFINER, SET). */
static const char routines_sql[] =
    "SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) "
    "|| ')', quote_ident(p.proname) || '(' || "
    "pg_get_function_identity_arguments(p.oid) || ')', NULL, "
    "pg_get_functiondef(p.oid), p.prokind FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace "
    "WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') AND NOT EXISTS "
    "(SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass "
    "AND d.objid = p.oid AND d.deptype = 'e') ORDER BY 1";

static const char triggers_sql[] =
    "SELECT c.relname || '.' || t.tgname, quote_ident(t.tgname) || ' ON ' "
    "|| quote_ident(c.relname), c.relname, pg_get_triggerdef(t.oid), 't' "
    "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgparentid = 0 "
    "ORDER BY 1";

/* Comments on the schema's tables, views and their columns. */
static const char comments_sql[] =
    "SELECT c.relname || CASE WHEN d.objsubid = 0 THEN '' ELSE '.' || "
    "a.attname END, t.target, c.relname, 'COMMENT ON ' || t.target || "
    "' IS ' || quote_literal(d.description), CASE WHEN d.objsubid = 0 "
    "THEN c.relkind::text ELSE 'c' END FROM pg_description d "
    "JOIN pg_class c ON c.oid = d.objoid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "LEFT JOIN pg_attribute a ON a.attrelid = c.oid "
    "AND a.attnum = d.objsubid, LATERAL (SELECT CASE WHEN d.objsubid > 0 "
    "THEN 'COLUMN ' || quote_ident(c.relname) || '.' || "
    "quote_ident(a.attname) WHEN c.relkind = 'v' THEN 'VIEW ' || "
    "quote_ident(c.relname) WHEN c.relkind = 'm' THEN 'MATERIALIZED VIEW "
    "' || quote_ident(c.relname) ELSE 'TABLE ' || quote_ident(c.relname) "
    "END AS target) t "
    "WHERE d.classoid = 'pg_class'::regclass AND n.nspname = $1 "
    "AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1";

/* Privileges granted on the schema's tables and views, per relation and
 * grantee (not the owner's own): name "t to g", quoted what REVOKE takes,
 * table "t", definition the GRANT statement, kind the relkind. */
static const char grants_sql[] =
    "SELECT c.relname || ' to ' || g.name || CASE WHEN a.is_grantable "
    "THEN ' with grant option' ELSE '' END, 'ALL ON TABLE ' || "
    "quote_ident(c.relname) || ' FROM ' || g.name, c.relname, 'GRANT ' || "
    "string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type) || "
    "' ON TABLE ' || quote_ident(c.relname) || ' TO ' || g.name || CASE "
    "WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END, "
    "c.relkind::text FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace, "
    "LATERAL aclexplode(c.relacl) a, LATERAL (SELECT CASE WHEN a.grantee = "
    "0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS "
    "name) g WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') "
    "AND a.grantee <> c.relowner "
    "GROUP BY c.relname, g.name, a.is_grantable, c.relkind ORDER BY 1";

/* Row-level security policies, each as the CREATE POLICY that makes it. */
static const char policies_sql[] =
    "SELECT c.relname || '.' || p.polname, quote_ident(p.polname) || "
    "' ON ' || quote_ident(c.relname), c.relname, format('CREATE POLICY "
    "%I ON %I AS %s FOR %s TO %s%s%s', p.polname, c.relname, CASE WHEN "
    "p.polpermissive THEN 'PERMISSIVE' ELSE 'RESTRICTIVE' END, CASE "
    "p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN "
    "'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END, CASE WHEN p.polroles "
    "= '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(quote_ident(rolname), "
    "', ' ORDER BY rolname) FROM pg_roles WHERE oid = ANY (p.polroles)) "
    "END, ' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', "
    "' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')'), "
    "'y' FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 "
    "ORDER BY 1";

/* Domains and composite types, not an extension's, as the CREATE that
 * makes each (name, quoted, table, definition, kind), oldest first. */
static const char types_sql[] =
    "SELECT t.typname, quote_ident(t.typname), NULL, CASE t.typtype "
    "WHEN 'd' THEN format('CREATE DOMAIN %I AS %s', t.typname, "
    "format_type(t.typbasetype, t.typtypmod)) || CASE WHEN t.typcollation "
    "<> b.typcollation THEN ' COLLATE ' || quote_ident(co.collname) ELSE "
    "'' END || coalesce(' DEFAULT ' || t.typdefault, '') || CASE WHEN "
    "t.typnotnull THEN ' NOT NULL' ELSE '' END || coalesce((SELECT "
    "string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' ' || "
    "pg_get_constraintdef(k.oid), '' ORDER BY k.conname) FROM "
    "pg_constraint k WHERE k.contypid = t.oid), '') "
    "ELSE format('CREATE TYPE %I AS (%s)', t.typname, (SELECT "
    "string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, "
    "a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE "
    "a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)) "
    "END, t.typtype FROM pg_type t "
    "JOIN pg_namespace n ON n.oid = t.typnamespace "
    "LEFT JOIN pg_type b ON b.oid = t.typbasetype "
    "LEFT JOIN pg_collation co ON co.oid = t.typcollation "
    "LEFT JOIN pg_class r ON r.oid = t.typrelid "
    "WHERE n.nspname = $1 AND (t.typtype = 'd' OR (t.typtype = 'c' AND "
    "r.relkind = 'c')) AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
    "d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = "
    "'e') ORDER BY t.oid";

static const char enums_sql[] =
    "SELECT t.typname, quote_ident(t.typname), e.enumlabel "
    "FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
    "JOIN pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = $1 "
    "ORDER BY t.typname, e.enumsortorder";

static const char sequences_sql[] =
    "SELECT s.relname, quote_ident(s.relname), "
    "format('AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s "
    "CACHE %s%s', format_type(q.seqtypid, NULL), q.seqincrement, q.seqmin, "
    "q.seqmax, q.seqstart, q.seqcache, "
    "CASE WHEN q.seqcycle THEN ' CYCLE' ELSE '' END) "
    "FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace "
    "JOIN pg_sequence q ON q.seqrelid = s.oid "
    "WHERE n.nspname = $1 AND s.relkind = 'S' AND NOT EXISTS (SELECT 1 "
    "FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
    "AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass "
    "AND d.deptype IN ('a', 'i')) ORDER BY s.relname";

static char *failure(PGconn *connection, const char *what)
{
	char *out = text_format("%s: %s", what, PQerrorMessage(connection));
	size_t n = strlen(out);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		out[--n] = '\0';
	return out;
}

static PGresult *query(PGconn *connection, const char *sql, const char *schema,
		       const char *what, char **error)
{
	const char *values[1];
	PGresult *result;
	values[0] = schema;
	result = PQexecParams(connection, sql, 1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(result) != PGRES_TUPLES_OK) {
		*error = failure(connection, what);
		PQclear(result);
		return NULL;
	}
	return result;
}

static char *field(PGresult *result, int row, int column)
{
	return PQgetisnull(result, row, column)
		   ? NULL
		   : text_dup(PQgetvalue(result, row, column));
}

static struct pg_table *table_of(struct pgcatalog *c, const char *name)
{
	return (struct pg_table *)pgcatalog_table(c, name);
}

static void read_columns(struct pgcatalog *c, PGresult *r)
{
	int i;
	for (i = 0; i < PQntuples(r); i++) {
		struct pg_table *t = table_of(c, PQgetvalue(r, i, 0));
		struct pg_column *col;
		if (!t)
			continue;
		t->columns =
		    grow_items(t->columns, t->column_count, sizeof *col);
		col = &t->columns[t->column_count++];
		col->name = field(r, i, 1);
		col->quoted = field(r, i, 2);
		col->type = field(r, i, 3);
		col->not_null = strcmp(PQgetvalue(r, i, 4), "t") == 0;
		col->default_value = field(r, i, 5);
		col->identity = PQgetvalue(r, i, 6)[0];
		col->generated = field(r, i, 7);
		col->collation = field(r, i, 8);
		col->sequence = field(r, i, 9);
		col->sequence_options = field(r, i, 10);
		col->serial = PQgetvalue(r, i, 11)[0] == 'a' &&
			      col->default_value &&
			      strncmp(col->default_value, "nextval(", 8) == 0;
		col->enum_type = field(r, i, 12);
	}
}

static void read_constraints(struct pgcatalog *c, PGresult *r)
{
	int i;
	for (i = 0; i < PQntuples(r); i++) {
		struct pg_table *t = table_of(c, PQgetvalue(r, i, 0));
		struct pg_constraint *k;
		if (!t)
			continue;
		t->constraints =
		    grow_items(t->constraints, t->constraint_count, sizeof *k);
		k = &t->constraints[t->constraint_count++];
		k->name = field(r, i, 1);
		k->quoted = field(r, i, 2);
		k->kind = PQgetvalue(r, i, 3)[0];
		k->definition = field(r, i, 4);
		k->referenced = field(r, i, 5);
	}
}

/* Rows of (name, quoted, [table,] definition) as objects. */
static void read_objects(struct pg_object **items, size_t *count, PGresult *r,
			 int has_table, const char *schema)
{
	int i;
	for (i = 0; i < PQntuples(r); i++) {
		struct pg_object *o;
		*items = grow_items(*items, *count, sizeof **items);
		o = &(*items)[(*count)++];
		o->name = field(r, i, 0);
		o->quoted = field(r, i, 1);
		if (has_table)
			o->table = field(r, i, 2);
		o->definition =
		    unqualified(PQgetvalue(r, i, has_table ? 3 : 2), schema);
	}
}

/* Rows of (name, quoted, table, definition, kind) as objects. */
static void read_kinds(struct pg_object **items, size_t *count, PGresult *r,
		       const char *schema)
{
	size_t first = *count;
	int i;
	read_objects(items, count, r, 1, schema);
	for (i = 0; i < PQntuples(r); i++)
		(*items)[first + (size_t)i].kind = PQgetvalue(r, i, 4)[0];
}

/* What read_kinds reads, one query each. */
static int read_kinded(struct pgcatalog *out, PGconn *db, const char *schema,
		       char **error)
{
	struct {
		const char *sql, *what;
		struct pg_object **items;
		size_t *count;
	} const queries[] = {
	    {views_sql, "reading the views", &out->views, &out->view_count},
	    {extensions_sql, "reading the extensions", &out->extensions,
	     &out->extension_count},
	    {routines_sql, "reading the functions", &out->routines,
	     &out->routine_count},
	    {triggers_sql, "reading the triggers", &out->triggers,
	     &out->trigger_count},
	    {comments_sql, "reading the comments", &out->comments,
	     &out->comment_count},
	    {policies_sql, "reading the policies", &out->policies,
	     &out->policy_count},
	    {grants_sql, "reading the privileges", &out->grants,
	     &out->grant_count},
	    {types_sql, "reading the domains and composite types", &out->types,
	     &out->type_count}};
	size_t i;
	for (i = 0; i < COUNT(queries); i++) {
		PGresult *r =
		    query(db, queries[i].sql, schema, queries[i].what, error);
		if (!r)
			return -1;
		read_kinds(queries[i].items, queries[i].count, r, schema);
		PQclear(r);
	}
	return 0;
}

static void read_enums(struct pgcatalog *c, PGresult *r)
{
	int i;
	for (i = 0; i < PQntuples(r); i++) {
		const char *name = PQgetvalue(r, i, 0);
		struct pg_object *e =
		    c->enum_count &&
			    strcmp(c->enums[c->enum_count - 1].name, name) == 0
			? &c->enums[c->enum_count - 1]
			: NULL;
		if (!e) {
			c->enums =
			    grow_items(c->enums, c->enum_count, sizeof *e);
			e = &c->enums[c->enum_count++];
			e->name = text_dup(name);
			e->quoted = field(r, i, 1);
		}
		string_list_add(&e->labels, field(r, i, 2));
	}
}

int pgcatalog_read(struct pgcatalog *out, struct pg_conn *connection,
		   const char *schema, char **error)
{
	PGconn *db = connection;
	PGresult *r;
	const char *values[1];
	int i;

	memset(out, 0, sizeof *out);
	*error = NULL;
	values[0] = schema;
	r = PQexecParams(db,
			 "SELECT set_config('search_path', quote_ident($1), "
			 "false)",
			 1, NULL, values, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		*error = failure(db, "setting the search_path");
		PQclear(r);
		return -1;
	}
	PQclear(r);

	if (!(r = query(db, tables_sql, schema, "reading the tables", error)))
		goto fail;
	for (i = 0; i < PQntuples(r); i++) {
		struct pg_table *t;
		out->tables =
		    grow_items(out->tables, out->table_count, sizeof *t);
		t = &out->tables[out->table_count++];
		t->name = field(r, 0 + i, 0);
		t->quoted = field(r, i, 1);
		t->row_security = PQgetvalue(r, i, 2)[0] == 't';
		t->force_row_security = PQgetvalue(r, i, 3)[0] == 't';
		t->partition_key = field(r, i, 4);
		t->parent = field(r, i, 5);
		t->bound = field(r, i, 6);
	}
	PQclear(r);
	if (!(r = query(db, columns_sql, schema, "reading the columns", error)))
		goto fail;
	read_columns(out, r);
	PQclear(r);
	if (!(r = query(db, constraints_sql, schema, "reading the constraints",
			error)))
		goto fail;
	read_constraints(out, r);
	PQclear(r);
	if (!(r = query(db, indexes_sql, schema, "reading the indexes", error)))
		goto fail;
	read_objects(&out->indexes, &out->index_count, r, 1, schema);
	PQclear(r);
	if (read_kinded(out, db, schema, error) != 0)
		goto fail;
	if (!(r = query(db, enums_sql, schema, "reading the enum types",
			error)))
		goto fail;
	read_enums(out, r);
	PQclear(r);
	if (!(r = query(db, sequences_sql, schema, "reading the sequences",
			error)))
		goto fail;
	read_objects(&out->sequences, &out->sequence_count, r, 0, schema);
	PQclear(r);
	/* Defaults and checks may name the schema's own objects. */
	for (i = 0; i < (int)out->table_count; i++) {
		struct pg_table *t = &out->tables[i];
		size_t j;
		for (j = 0; j < t->column_count; j++) {
			char **v = &t->columns[j].default_value;
			if (*v) {
				char *u = unqualified(*v, schema);
				free(*v);
				*v = u;
			}
		}
		for (j = 0; j < t->constraint_count; j++) {
			char *u =
			    unqualified(t->constraints[j].definition, schema);
			free(t->constraints[j].definition);
			t->constraints[j].definition = u;
		}
	}
	return 0;
fail:
	catalog_free(&pgcatalog_shape, out);
	return -1;
}

#else

int pgcatalog_read(struct pgcatalog *out, struct pg_conn *connection,
		   const char *schema, char **error)
{
	(void)connection;
	(void)schema;
	memset(out, 0, sizeof *out);
	*error = text_dup("migc was built without libpq");
	return -1;
}

#endif

/* ---- comparing ---- */

static void column_pair(struct comparison *c, const char *table, const void *a,
			const void *b)
{
	const struct pg_column *x = a, *y = b;
	const char *n = x->name;
	if (strcmp(x->type, y->type) != 0)
		differ(c, "table %s: column %s: type is '%s' in %s, '%s' in %s",
		       table, n, x->type, c->a, y->type, c->b);
	compare_column_basics(c, table, n, x->not_null, y->not_null,
			      x->default_value, y->default_value);
	if (x->identity != y->identity)
		differ(c, "table %s: column %s: identity %s in %s, %s in %s",
		       table, n,
		       x->identity == 'a'   ? "ALWAYS"
		       : x->identity == 'd' ? "BY DEFAULT"
					    : "none",
		       c->a,
		       y->identity == 'a'   ? "ALWAYS"
		       : y->identity == 'd' ? "BY DEFAULT"
					    : "none",
		       c->b);
	if (!same_text(x->generated, y->generated))
		differ(c,
		       "table %s: column %s: generated as %s in %s, %s in %s",
		       table, n, or_none(x->generated), c->a,
		       or_none(y->generated), c->b);
	if (!same_text(x->collation, y->collation))
		differ(c, "table %s: column %s: collation %s in %s, %s in %s",
		       table, n, or_none(x->collation), c->a,
		       or_none(y->collation), c->b);
	if (!same_text(x->sequence, y->sequence) ||
	    !same_text(x->sequence_options, y->sequence_options))
		differ(c,
		       "table %s: column %s: owned sequence %s (%s) in %s, "
		       "%s (%s) in %s",
		       table, n, or_none(x->sequence),
		       or_none(x->sequence_options), c->a, or_none(y->sequence),
		       or_none(y->sequence_options), c->b);
}

static void compare_partitioning(struct comparison *c, const struct pg_table *x,
				 const struct pg_table *y)
{
	if (!same_text(x->partition_key, y->partition_key))
		differ(c, "table %s: partitioned by %s in %s, by %s in %s",
		       x->name, or_none(x->partition_key), c->a,
		       or_none(y->partition_key), c->b);
	if (!same_text(x->parent, y->parent) || !same_text(x->bound, y->bound))
		differ(c,
		       "table %s: a partition of %s (%s) in %s, of %s (%s) "
		       "in %s",
		       x->name, or_none(x->parent), or_none(x->bound), c->a,
		       or_none(y->parent), or_none(y->bound), c->b);
}

static const struct catalog_list columns =
    CATALOG_LIST(pg_table, "column", columns, column_count, pg_column,
		 &column_layout, strcmp, column_pair);

static void table_pair(struct comparison *c, const char *kind, const void *a,
		       const void *b)
{
	const struct pg_table *x = a, *y = b;
	size_t i;
	(void)kind; /* "table" */
	if (x->row_security != y->row_security ||
	    x->force_row_security != y->force_row_security)
		differ(c, "table %s: row-level security %s%s in %s, %s%s in %s",
		       x->name, x->row_security ? "on" : "off",
		       x->force_row_security ? " (forced)" : "", c->a,
		       y->row_security ? "on" : "off",
		       y->force_row_security ? " (forced)" : "", c->b);
	compare_partitioning(c, x, y);
	compare_members(c, &columns, x->name, x, y);
	for (i = 0; i < x->constraint_count; i++) {
		const struct pg_constraint *k = &x->constraints[i];
		const struct pg_constraint *other =
		    pgcatalog_constraint(y, k->name);
		if (!other)
			differ(c, "table %s: constraint %s (%s) only in %s",
			       x->name, k->name, k->definition, c->a);
		else if (strcmp(k->definition, other->definition) != 0)
			differ(c,
			       "table %s: constraint %s: '%s' in %s, '%s' in "
			       "%s",
			       x->name, k->name, k->definition, c->a,
			       other->definition, c->b);
	}
	for (i = 0; i < y->constraint_count; i++)
		if (!pgcatalog_constraint(x, y->constraints[i].name))
			differ(c, "table %s: constraint %s (%s) only in %s",
			       x->name, y->constraints[i].name,
			       y->constraints[i].definition, c->b);
}

static char *joined_labels(const struct pg_object *e)
{
	struct buffer out = {0};
	size_t i;
	buffer_puts(&out, "");
	for (i = 0; i < e->labels.count; i++)
		buffer_printf(&out, "%s'%s'", i ? ", " : "",
			      e->labels.items[i]);
	return out.data;
}

static const char *kind_name(char kind)
{
	return kind == 'm'   ? "materialized"
	       : kind == 'p' ? "a procedure"
	       : kind == 'f' ? "a function"
	       : kind == 'd' ? "a domain"
	       : kind == 'c' ? "a composite type"
			     : "not materialized";
}

static void object_pair(struct comparison *c, const char *kind, const void *a,
			const void *b)
{
	const struct pg_object *x = a, *y = b;
	if (x->kind != y->kind) {
		differ(c, "%s %s: %s in %s, %s in %s", kind, x->name,
		       kind_name(x->kind), c->a, kind_name(y->kind), c->b);
	} else if (x->definition && strcmp(x->definition, y->definition) != 0) {
		differ(c, "%s %s: definition differs: '%s' in %s, '%s' in %s",
		       kind, x->name, x->definition, c->a, y->definition, c->b);
	} else if (!string_list_equal(&x->labels, &y->labels)) {
		char *la = joined_labels(x);
		char *lb = joined_labels(y);
		differ(c, "%s %s: labels (%s) in %s, (%s) in %s", kind, x->name,
		       la, c->a, lb, c->b);
		free(la);
		free(lb);
	}
}

/* The lists catalog_compare compares, in the order it reports them. */
#define PG_OBJECTS(kind, items, count)                                         \
	CATALOG_LIST(pgcatalog, kind, items, count, pg_object, &object_layout, \
		     strcmp, object_pair)
static const struct catalog_list pg_lists[] = {
    PG_OBJECTS("extension", extensions, extension_count),
    PG_OBJECTS("type", enums, enum_count),
    PG_OBJECTS("type", types, type_count),
    PG_OBJECTS("sequence", sequences, sequence_count),
    CATALOG_LIST(pgcatalog, "table", tables, table_count, pg_table,
		 &table_layout, strcmp, table_pair),
    PG_OBJECTS("index", indexes, index_count),
    PG_OBJECTS("view", views, view_count),
    PG_OBJECTS("function", routines, routine_count),
    PG_OBJECTS("trigger", triggers, trigger_count),
    PG_OBJECTS("comment on", comments, comment_count),
    PG_OBJECTS("policy", policies, policy_count),
    PG_OBJECTS("grant on", grants, grant_count),
};

const struct catalog_shape pgcatalog_shape = {sizeof(struct pgcatalog),
					      pg_lists, COUNT(pg_lists)};
