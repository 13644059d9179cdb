/* test_verify.c: the build-time proof of SQLite revisions (issues 12, 13
 * and 14): each revision proven on a connection holding only what it
 * reaches and only what a later boot would have, its proof remembered by
 * what it depends on, errors at the statement's own place. Through the C
 * API `migc generate`, `check` and `revision --autogenerate` call. */
#include "autogen_fixture.h"
#include "test_util.h"

#include "check_main.h"

#include <string.h>

static const struct test_dialect sqlite_only = {.dialect = DIALECT_SQLITE,
						.autogen = &autogen_sqlite};

static void setup(void)
{
	fixture_setup(&sqlite_only);
}

static int has_error(const char *part)
{
	size_t i;
	for (i = 0; i < diag.count; i++)
		if (strstr(diag.items[i].text, part))
			return 1;
	return 0;
}

/* A view reading a table that is gone, then a revision that only sets
 * legacy_alter_table, then a rename, which a new connection refuses
 * because of that view. */
static void pragma_then_rename(void)
{
	write_revision("aaaaaaaaaaaa", "none",
		       "CREATE TABLE t (a INTEGER, b TEXT);\n"
		       "CREATE VIEW w AS SELECT a FROM t JOIN gone USING (a);",
		       "DROP VIEW w;\nDROP TABLE t;");
	write_revision("bbbbbbbbbbbb", "aaaaaaaaaaaa",
		       "PRAGMA legacy_alter_table = ON;", "");
	write_revision("cccccccccccc", "bbbbbbbbbbbb",
		       "ALTER TABLE t RENAME TO t2;",
		       "ALTER TABLE t2 RENAME TO t;");
}

/* The PRAGMA of one revision does not reach the next one's proof: the
 * rename fails as it would at a later boot, with SQLite's own reason. */
START_TEST(a_pragma_does_not_leak_into_the_next_proof)
{
	pragma_then_rename();
	ck_assert_int_eq(verify_status(), -1);
	ck_assert(has_error("versions/cccccccccccc_r.sql:"));
	ck_assert(has_error("error in view w: no such table: main.gone"));
}
END_TEST

/* Autogenerate builds the head as boots would, one revision after
 * another on connections with nothing set: the real cause, not "SQL
 * logic error" from its own proof. */
START_TEST(autogenerate_reports_the_real_cause)
{
	char *path = NULL;
	struct graph g;
	pragma_then_rename();
	declare("CREATE TABLE t2 (a INTEGER, b TEXT, c TEXT);\n"
		"CREATE VIEW w AS SELECT a FROM t JOIN gone USING (a);\n");
	load(&g);
	ck_assert_int_eq(
	    autogen_revision(&g, &project, "x", "dddddddddddd", &path, &diag),
	    -1);
	graph_free(&g);
	ck_assert_ptr_null(path);
	ck_assert(has_error("error in view w: no such table: main.gone"));
	ck_assert(!has_error("SQL logic error"));
}
END_TEST

/* Touching the upgrade of one revision among independent ones proves that
 * one again, and those that reach what it made, not every later one. */
START_TEST(touching_one_upgrade_proves_what_reaches_it)
{
	static const char *const ids[] = {"aaaaaaaaaaaa", "bbbbbbbbbbbb",
					  "cccccccccccc", "dddddddddddd",
					  "eeeeeeeeeeee"};
	char cache[4200], up[128], down[64];
	size_t i;
	snprintf(cache, sizeof cache, "%s/set.verified", fixture_dir);
	for (i = 0; i < 5; i++) {
		snprintf(up, sizeof up, "CREATE TABLE t%zu (id INTEGER);", i);
		snprintf(down, sizeof down, "DROP TABLE t%zu;", i);
		write_revision(ids[i], i ? ids[i - 1] : "none", up, down);
	}
	ck_assert_uint_eq(proofs_run(cache), 5);
	write_revision(ids[1], ids[0], "CREATE TABLE t1 (id INTEGER, x TEXT);",
		       "DROP TABLE t1;");
	ck_assert_uint_eq(proofs_run(cache), 1);
	write_revision(ids[3], ids[2], "CREATE INDEX t1_id ON t1 (id);",
		       "DROP INDEX t1_id;");
	ck_assert_uint_eq(proofs_run(cache), 1);
	write_revision(ids[1], ids[0], "CREATE TABLE t1 (id INTEGER);",
		       "DROP TABLE t1;");
	ck_assert_uint_eq(proofs_run(cache), 2); /* t1's, and the index's */
	ck_assert_uint_eq(proofs_run(cache), 0);
}
END_TEST

/* Two revisions' parts merged by a third that names both: the merged part
 * holds both tables with their rows. */
START_TEST(a_revision_reaching_two_parts_sees_both)
{
	write_revision("aaaaaaaaaaaa", "none",
		       "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
		       "INSERT INTO a VALUES (1), (2);",
		       "DROP TABLE a;");
	write_revision("bbbbbbbbbbbb", "aaaaaaaaaaaa",
		       "CREATE TABLE b (id INTEGER PRIMARY KEY);\n"
		       "INSERT INTO b VALUES (2), (3);",
		       "DROP TABLE b;");
	write_revision(
	    "cccccccccccc", "bbbbbbbbbbbb",
	    "CREATE TABLE c AS SELECT a.id FROM a JOIN b USING (id);",
	    "DROP TABLE c;");
	write_revision("dddddddddddd", "cccccccccccc",
		       "CREATE UNIQUE INDEX c_id ON c (id);\n"
		       "INSERT INTO c SELECT id FROM a WHERE id = 2;",
		       "DROP INDEX c_id;");
	ck_assert_int_eq(verify_status(), -1);
	ck_assert(has_error("UNIQUE constraint failed: c.id"));
}
END_TEST

/* An error SQLite places inside a statement is reported at that place in
 * the file: the line within the statement and the column on it. */
START_TEST(an_error_is_reported_where_sqlite_found_it)
{
	write_revision("aaaaaaaaaaaa", "none",
		       "CREATE TABLE t (a INTEGER, b TEXT);\n"
		       "  SELECT a,\n"
		       "     nope FROM t;",
		       "DROP TABLE t;");
	ck_assert_int_eq(verify_status(), -1);
	/* line 1, 2: directives; 3: -- migc:upgrade; 4: CREATE */
	ck_assert(has_error("aaaaaaaaaaaa_r.sql:6:6: error: revision "
			    "aaaaaaaaaaaa: the upgrade fails in SQLite: no "
			    "such column: nope"));
	diag_free(&diag);
	memset(&diag, 0, sizeof diag);
	write_revision("aaaaaaaaaaaa", "none",
		       "CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t "
		       "VALUES (1, 'x') WERE a = 1;",
		       "DROP TABLE t;");
	ck_assert_int_eq(verify_status(), -1);
	ck_assert(has_error("aaaaaaaaaaaa_r.sql:4:67: error: revision "
			    "aaaaaaaaaaaa: the upgrade fails in SQLite: near "
			    "\"WERE\": syntax error"));
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("verify", setup, fixture_teardown, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
