/* test_catalog.c: a SQLite schema read through its catalog (columns with
 * type, NOT NULL, default, key, collation, generated; CHECK, UNIQUE, foreign
 * keys; indexes, views, triggers) and compared, with the normalization that
 * lets two spellings of the same SQL compare equal. */
#include "dialect.h"
#include "sqlite.h"

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

static sqlite3 *open_with(const char *sql)
{
	sqlite3 *db = NULL;
	char *error = NULL;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
		ck_abort_msg("setup SQL fails: %s", error);
	return db;
}

static void read_catalog(struct catalog *c, const char *sql)
{
	sqlite3 *db = open_with(sql);
	char *error = NULL;
	ck_assert_int_eq(catalog_read(c, db, &error), 0);
	ck_assert_ptr_null(error);
	sqlite3_close(db);
}

static void expect_normal(const char *a, const char *b, const char *want)
{
	char *na = sql_normalize(a), *nb = sql_normalize(b);
	ck_assert_str_eq(na, want);
	ck_assert_str_eq(nb, want);
	free(na);
	free(nb);
}

START_TEST(normalize_spellings)
{
	expect_normal("CREATE INDEX i ON t(a) WHERE b>1;",
		      "create  index \"i\"\n on [t] ( a ) -- why\n where b > 1",
		      "create index i on t(a) where b > 1");
	expect_normal("CHECK (name <> 'It''s  A')", "check(NAME<>'It''s  A')",
		      "check(name <> 'It''s  A')");
	expect_normal("x /* c */ || \"odd name\"", "X||\"odd name\"",
		      "x || \"odd name\"");
	ck_assert(
	    sql_mentions("CREATE VIEW v AS SELECT * FROM \"Users\"", "users"));
	ck_assert(!sql_mentions("CREATE VIEW v AS SELECT 'users'", "users"));
	ck_assert(sql_is_literal("-1.5e3"));
	ck_assert(sql_is_literal("'it''s'"));
	ck_assert(sql_is_literal("NULL"));
	ck_assert(sql_is_literal("x'00ff'"));
	ck_assert(!sql_is_literal("datetime('now')"));
	ck_assert(!sql_is_literal("current_timestamp"));
	ck_assert(!sql_is_literal("1 + 1"));
}
END_TEST

START_TEST(identifiers_are_quoted_when_needed)
{
	char *a = sql_identifier_quote(DIALECT_SQLITE, "users"),
	     *b = sql_identifier_quote(DIALECT_SQLITE, "order"),
	     *c = sql_identifier_quote(DIALECT_SQLITE, "odd \"name\"");
	ck_assert_str_eq(a, "users");
	ck_assert_str_eq(b, "\"order\"");
	ck_assert_str_eq(c, "\"odd \"\"name\"\"\"");
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(reads_tables_columns_and_constraints)
{
	struct catalog c;
	const struct catalog_table *t;
	read_catalog(
	    &c, "CREATE TABLE teams (id INTEGER PRIMARY KEY);"
		"CREATE TABLE users ("
		" id INTEGER PRIMARY KEY AUTOINCREMENT,"
		" email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
		" age INT DEFAULT (18) CHECK (age >= 0),"
		" team_id INTEGER REFERENCES teams(id) ON DELETE CASCADE,"
		" name TEXT DEFAULT 'x',"
		" upper_name TEXT GENERATED ALWAYS AS (upper(name)),"
		" CONSTRAINT two CHECK (age < 200),"
		" UNIQUE (name, age)) STRICT;"
		"CREATE INDEX users_lower ON users (lower(name)) WHERE age "
		"> 1;"
		"CREATE VIEW adults AS SELECT * FROM users WHERE age >= 18;"
		"CREATE TRIGGER users_ai AFTER INSERT ON users BEGIN "
		"SELECT 1; END;");
	ck_assert_uint_eq(c.table_count, 2);
	t = &c.tables[1];
	ck_assert_str_eq(t->name, "users");
	ck_assert_uint_eq(t->column_count, 6);
	ck_assert_int_eq(t->columns[0].primary_key, 1);
	ck_assert_int_eq(t->columns[0].autoincrement, 1);
	ck_assert_str_eq(t->columns[1].type, "TEXT");
	ck_assert_int_eq(t->columns[1].not_null, 1);
	ck_assert_str_eq(t->columns[1].collation, "nocase");
	ck_assert_str_eq(t->columns[2].default_value, "18");
	ck_assert_str_eq(t->columns[4].default_value, "'x'");
	ck_assert_str_eq(t->columns[4].definition, "name TEXT DEFAULT 'x'");
	ck_assert_int_eq(t->columns[5].hidden, 2);
	ck_assert_str_eq(t->columns[5].generated, "(upper(name))");
	ck_assert_str_eq(t->options, "strict");
	ck_assert_uint_eq(t->checks.count, 2);
	ck_assert_str_eq(t->checks.items[0], "check(age < 200)");
	ck_assert_str_eq(t->checks.items[1], "check(age >= 0)");
	ck_assert_uint_eq(t->uniques.count, 2);
	ck_assert_str_eq(t->uniques.items[0], "unique(email collate nocase)");
	ck_assert_str_eq(t->uniques.items[1],
			 "unique(name collate binary, age collate binary)");
	ck_assert_uint_eq(t->foreign_key_count, 1);
	ck_assert_str_eq(t->foreign_keys[0].parent, "teams");
	ck_assert_str_eq(t->foreign_keys[0].text,
			 "foreign key(team_id) references teams(id) on update "
			 "no action on delete cascade match none");
	ck_assert_uint_eq(c.index_count, 1);
	ck_assert_str_eq(c.indexes[0].normalized,
			 "create index users_lower on users(lower(name)) where "
			 "age > 1");
	ck_assert_uint_eq(c.view_count, 1);
	ck_assert_str_eq(c.views[0].name, "adults");
	ck_assert_uint_eq(c.trigger_count, 1);
	ck_assert_str_eq(c.triggers[0].table, "users");
	catalog_free(&sqlite_catalog_shape, &c);
}
END_TEST

START_TEST(same_schema_spelled_differently_compares_equal)
{
	struct catalog a, b;
	read_catalog(&a, "CREATE TABLE t (id INTEGER PRIMARY KEY, "
			 "n TEXT NOT NULL DEFAULT '' CHECK (n <> 'x'));"
			 "CREATE INDEX t_n ON t (n);");
	read_catalog(&b, "create table \"t\" (\n  id integer,\n"
			 "  n text not null default '' check(n<>'x'),\n"
			 "  primary key (id)\n);\n"
			 "create index t_n on t(n)");
	ck_assert_uint_eq(
	    catalog_compare(&sqlite_catalog_shape, &a, &b, "a", "b", NULL), 0);
	catalog_free(&sqlite_catalog_shape, &a);
	catalog_free(&sqlite_catalog_shape, &b);
}
END_TEST

START_TEST(differences_name_the_objects)
{
	struct catalog a, b;
	struct string_list lines = {0};
	read_catalog(&a, "CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT, "
			 "gone TEXT);"
			 "CREATE INDEX t_n ON t (n);"
			 "CREATE VIEW v AS SELECT n FROM t;");
	read_catalog(&b, "CREATE TABLE t (id INTEGER PRIMARY KEY, "
			 "n INTEGER NOT NULL DEFAULT 0 COLLATE NOCASE);"
			 "CREATE INDEX t_n ON t (n) WHERE n > 0;"
			 "CREATE TABLE u (x);");
	ck_assert_uint_eq(
	    catalog_compare(&sqlite_catalog_shape, &a, &b, "A", "B", &lines),
	    8);
	ck_assert_str_eq(lines.items[0],
			 "table t: column n: type is 'TEXT' in A, 'INTEGER' in "
			 "B");
	ck_assert_str_eq(lines.items[1],
			 "table t: column n: nullable in A, NOT NULL in B");
	ck_assert_str_eq(lines.items[2],
			 "table t: column n: default is none in A, 0 in B");
	ck_assert_str_eq(lines.items[3],
			 "table t: column n: collation binary in A, nocase in "
			 "B");
	ck_assert_str_eq(lines.items[4], "table t: column gone only in A");
	ck_assert_str_eq(lines.items[5], "table u: only in B");
	ck_assert_str_eq(lines.items[6],
			 "index t_n: definition differs: 'CREATE INDEX t_n ON "
			 "t (n)' in A, 'CREATE INDEX t_n ON t (n) WHERE n > 0' "
			 "in B");
	ck_assert_str_eq(lines.items[7], "view v: only in A");
	string_list_free(&lines);
	catalog_free(&sqlite_catalog_shape, &a);
	catalog_free(&sqlite_catalog_shape, &b);
}
END_TEST

START_TEST(shadow_tables_of_virtual_tables_are_left_out)
{
	struct catalog c;
	read_catalog(&c, "CREATE VIRTUAL TABLE docs USING fts5(body);");
	ck_assert_uint_eq(c.table_count, 1);
	ck_assert_str_eq(c.tables[0].name, "docs");
	ck_assert_int_eq(c.tables[0].is_virtual, 1);
	catalog_free(&sqlite_catalog_shape, &c);
}
END_TEST

static int count_table_list(unsigned kind, void *payload, void *statement,
			    void *text)
{
	int *count = payload;
	const char *sql = sqlite3_sql(statement);
	(void)kind;
	(void)text;
	if (sql && strstr(sql, "pragma_table_list"))
		(*count)++;
	return 0;
}

/* pragma_table_list expands every view; asked once per table, reading a
 * schema of many tables and views took minutes. Without a virtual table
 * there is no shadow table to ask about; with one, it is asked once. */
START_TEST(many_views_are_not_expanded_per_table)
{
	struct buffer sql = {0};
	struct catalog c;
	sqlite3 *db;
	char *error = NULL;
	int i, count = 0;
	for (i = 0; i < 20; i++)
		buffer_printf(&sql,
			      "CREATE TABLE t%d (id INTEGER PRIMARY KEY);\n"
			      "CREATE VIEW v%d AS SELECT * FROM t%d;\n",
			      i, i, i);
	db = open_with(sql.data);
	free(sql.data);
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_table_list, &count);
	ck_assert_int_eq(catalog_read(&c, db, &error), 0);
	ck_assert_uint_eq(c.table_count, 20);
	ck_assert_uint_eq(c.view_count, 20);
	ck_assert_int_eq(count, 0);
	catalog_free(&sqlite_catalog_shape, &c);
	if (sqlite3_exec(db, "CREATE VIRTUAL TABLE docs USING fts5(body)", NULL,
			 NULL, NULL) == SQLITE_OK) {
		ck_assert_int_eq(catalog_read(&c, db, &error), 0);
		ck_assert_uint_eq(c.table_count, 21); /* not its shadows */
		ck_assert_int_le(count, 1);
		catalog_free(&sqlite_catalog_shape, &c);
	}
	sqlite3_close(db);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("catalog", NULL, NULL, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
