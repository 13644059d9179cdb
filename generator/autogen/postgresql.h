/* postgresql.h: PostgreSQL's schema as autogenerate compares it. postgresql.c
 * builds the two schemas (revisions up to head, the declared schema.sql) in
 * scratch databases it creates on the url's server and drops afterwards
 * (the url's own database is neither read nor written); postgresql_catalog.c
 * reads a schema through pg_catalog and compares two; postgresql_diff.c
 * writes the SQL between them. Without libpq (MIGC_GENERATOR_WITH_POSTGRESQL
 * undefined) the dialect's open reports that the generator was built
 * without it. */
#ifndef MIGC_AUTOGEN_POSTGRESQL_H
#define MIGC_AUTOGEN_POSTGRESQL_H

#include "autogen.h"

struct pg_conn; /* libpq's PGconn */

struct pg_column {
	char *name, *quoted;
	char *type; /* format_type() */
	int not_null;
	char *default_value;	/* pg_get_expr(), or NULL */
	char identity;		/* 0, 'a' (ALWAYS) or 'd' (BY DEFAULT) */
	char *generated;	/* stored generated expression, or NULL */
	char *collation;	/* quoted, when not the type's own; or NULL */
	char *sequence;		/* owned sequence (serial, identity), or NULL */
	char *sequence_options; /* its AS/START/INCREMENT/..., for comparing */
	int serial;		/* the default is nextval() of that sequence */
	char *enum_type;	/* the schema's enum it is (or an array of) */
};

struct pg_constraint {
	char *name, *quoted;
	char kind;	  /* 'p', 'u', 'f', 'c', 'x' */
	char *definition; /* pg_get_constraintdef() */
	char *referenced; /* 'f': the referenced table, else NULL */
};

struct pg_table {
	char *name, *quoted;
	/* relrowsecurity, relforcerowsecurity */
	int row_security, force_row_security;
	/* Partitioning: a partitioned table's key as PARTITION BY takes it
	 * ("RANGE (viewed_at)"); a partition's parent and its bound
	 * ("FOR VALUES FROM (...) TO (...)", "DEFAULT"). NULL: none. A
	 * partition's columns and the constraints it inherits are the
	 * parent's, so they are read but never altered on it. */
	char *partition_key, *parent, *bound;
	struct pg_column *columns; /* by attnum */
	size_t column_count;
	struct pg_constraint *constraints; /* by kind, then name */
	size_t constraint_count;
};

/* An index (one not backing a constraint), a view, an enum type, a
 * sequence no column owns, an extension, a function or procedure, or a
 * trigger. */
struct pg_object {
	char *name;	  /* routine: name(identity arguments); trigger:
			     table.trigger */
	char *quoted;	  /* routine: as DROP takes it; trigger: "t ON r" */
	char *table;	  /* index, trigger: its table or (materialized) view */
	char *definition; /* index: pg_get_indexdef(); view: pg_get_viewdef();
			     sequence: its options; routine:
			     pg_get_functiondef(); trigger:
			     pg_get_triggerdef(); extension: its name */
	struct string_list labels; /* enum: in order */
	char kind; /* view: 'v' or 'm' (materialized); routine: 'f' or 'p' */
};

struct pgcatalog {
	struct pg_table *tables; /* by name */
	size_t table_count;
	struct pg_object *indexes, *views, *enums, *sequences;
	size_t index_count, view_count, enum_count, sequence_count;
	struct pg_object *extensions, *routines, *triggers;
	size_t extension_count, routine_count, trigger_count;
	/* Domains (kind 'd') and composite types ('c'), each as the CREATE
	 * statement that makes it, in the order they were made (so each
	 * after the types it uses). */
	struct pg_object *types;
	size_t type_count;
	/* COMMENT ON a table, view or column: name "t" or "t.c", quoted
	 * "TABLE t" / "COLUMN t.c" as COMMENT ON takes it, table "t",
	 * definition the COMMENT ON statement, kind the relkind ('c': a
	 * column). */
	struct pg_object *comments;
	size_t comment_count;
	/* Row-level security policies: name "t.p", quoted "p ON t", table
	 * "t", definition the CREATE POLICY statement. */
	struct pg_object *policies;
	size_t policy_count;
	/* GRANT on a table or view, per grantee: name "t to g", quoted
	 * "ALL ON TABLE t FROM g" as REVOKE takes it, table "t",
	 * definition the GRANT statement. */
	struct pg_object *grants;
	size_t grant_count;
};

/* Reads `schema` of the connected database; sets the session's
 * search_path to that schema (so names print unqualified) and leaves it
 * so. Returns 0, or -1 with *error malloc'd. */
int pgcatalog_read(struct pgcatalog *out, struct pg_conn *connection,
		   const char *schema, char **error);
/* struct pgcatalog's lists, for catalog_free and catalog_compare. */
extern const struct catalog_shape pgcatalog_shape;
const struct pg_table *pgcatalog_table(const struct pgcatalog *c,
				       const char *name);
const struct pg_column *pgcatalog_column(const struct pg_table *t,
					 const char *name);
/* NULL `t`: none. */
const struct pg_constraint *pgcatalog_constraint(const struct pg_table *t,
						 const char *name);
const struct pg_object *pgcatalog_object(const struct pg_object *items,
					 size_t count, const char *name);

/* The SQL that turns schema `from` into `to`, as diff_sql. */
char *pgdiff_sql(const void *catalog_from, const void *catalog_to);

#endif /* MIGC_AUTOGEN_POSTGRESQL_H */
