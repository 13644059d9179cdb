/* test_rules.c: transaction control, and statements that cannot run in a
 * transaction when their revision runs in one, fail the build with
 * file:line:column and the fix. */
#include "gen.h"
#include "split_fixture.h"
#include "test_util.h"

#include "check_main.h"

static struct diagnostics diag;

/* Parses a revision whose upgrade section is `body` (starting on line 4)
 * and checks it for `dialect`. */
static int check_body(const char *header_extra, const char *body,
		      enum dialect dialect)
{
	struct revision r;
	struct statements list = {0};
	int result;
	split_upgrade(&r, &list, header_extra, body, dialect, &diag);
	result = rules_check(&r, &list, dialect, &diag);
	statements_free(&list);
	revision_free(&r);
	return result;
}

/* Each of `count` statements fails on its own in a transactional
 * revision. */
static void each_fails(const char *const *statements, size_t count,
		       enum dialect dialect)
{
	size_t i;
	for (i = 0; i < count; i++)
		ck_assert_msg(check_body("", statements[i], dialect) != 0,
			      "%s", statements[i]);
}

/* A transactional revision whose upgrade is `body` fails the build with
 * exactly one error, `text`. */
static void fails_once_with(const char *body, enum dialect dialect,
			    const char *text)
{
	ck_assert_int_ne(check_body("", body, dialect), 0);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_str_eq(diag.items[0].text, text);
}

static void setup(void)
{
	memset(&diag, 0, sizeof diag);
}

static void teardown(void)
{
	diag_free(&diag);
}

START_TEST(create_index_concurrently_in_a_transaction_fails)
{
	fails_once_with("SELECT 1;\n  create unique index "
			"concurrently i on t (x);\n",
			DIALECT_POSTGRESQL,
			"v/a.sql:5:3: error: CREATE INDEX CONCURRENTLY cannot "
			"run inside a transaction; add '-- migc:transaction "
			"none' to this revision's header (its statements then "
			"run one by one) and keep such statements in a "
			"revision of their own");
}
END_TEST

START_TEST(every_non_transactional_statement_is_caught)
{
	static const char *const postgresql[] = {
		"DROP INDEX CONCURRENTLY i;",
		"REINDEX (VERBOSE) TABLE CONCURRENTLY t;",
		"REINDEX DATABASE d;",
		"VACUUM ANALYZE t;",
		"ALTER SYSTEM SET work_mem = '64MB';",
		"CREATE DATABASE other;",
		"DROP DATABASE other;",
		"CREATE /* why */ INDEX CONCURRENTLY i ON t (x);",
	};
	static const char *const sqlite[] = {
		"VACUUM;",
		"PRAGMA journal_mode = WAL;",
		"pragma main.journal_mode=wal;",
		"PRAGMA foreign_keys = ON;",
	};
	each_fails(postgresql, sizeof postgresql / sizeof postgresql[0],
		   DIALECT_POSTGRESQL);
	each_fails(sqlite, sizeof sqlite / sizeof sqlite[0], DIALECT_SQLITE);
	ck_assert_ptr_nonnull(strstr(diag.items[diag.count - 1].text,
				     "PRAGMA foreign_keys cannot run inside a "
				     "transaction (SQLite ignores or rejects "
				     "it there)"));
}
END_TEST

START_TEST(ordinary_statements_and_lookalikes_pass)
{
	ck_assert_int_eq(
		check_body("",
			   "CREATE INDEX i ON t (x);\n"
			   "CREATE TABLE \"concurrently\" (vacuum INTEGER);\n"
			   "INSERT INTO t VALUES ('VACUUM');\n"
			   "-- VACUUM in a comment\nSELECT 1;\n"
			   "ANALYZE t;\n",
			   DIALECT_POSTGRESQL),
		0);
	ck_assert_int_eq(check_body("", "PRAGMA user_version = 3;\n",
				    DIALECT_SQLITE),
			 0);
	ck_assert_uint_eq(diag.count, 0);
}
END_TEST

START_TEST(transaction_none_revisions_may_hold_them)
{
	ck_assert_int_eq(check_body("-- migc:transaction none\n",
				    "CREATE INDEX CONCURRENTLY i ON t (x);\n"
				    "VACUUM;\n",
				    DIALECT_POSTGRESQL),
			 0);
	ck_assert_int_eq(check_body("-- migc:transaction none\n",
				    "PRAGMA journal_mode = WAL;\n",
				    DIALECT_SQLITE),
			 0);
	ck_assert_uint_eq(diag.count, 0);
}
END_TEST

START_TEST(transaction_control_fails_the_build)
{
	fails_once_with("CREATE TABLE a (x);\n"
			"  /* undo */ rollback;\n",
			DIALECT_SQLITE,
			"v/a.sql:5:14: error: ROLLBACK is transaction "
			"control, which belongs to migc: it runs each "
			"revision in a transaction of its own and commits it "
			"with the version row; remove the statement (to run "
			"this revision outside a transaction, add '-- "
			"migc:transaction none' to its header instead)");
}
END_TEST

START_TEST(every_transaction_control_statement_is_caught)
{
	static const char *const both[] = {
	    "BEGIN;",
	    "begin transaction;",
	    "COMMIT;",
	    "END;",
	    "END TRANSACTION;",
	    "ROLLBACK;",
	    "ROLLBACK TO SAVEPOINT s;",
	    "rollback transaction to s;",
	    "SAVEPOINT s;",
	    "RELEASE s;",
	    "RELEASE SAVEPOINT s;",
	    "-- first\n/* second */ COMMIT;",
	};
	static const char *const sqlite[] = {
	    "BEGIN DEFERRED;",
	    "BEGIN IMMEDIATE TRANSACTION;",
	    "BEGIN EXCLUSIVE;",
	};
	static const char *const postgresql[] = {
	    "BEGIN WORK;",
	    "BEGIN ISOLATION LEVEL SERIALIZABLE;",
	    "START TRANSACTION;",
	    "start transaction read only;",
	    "ABORT;",
	    "COMMIT AND CHAIN;",
	    "PREPARE TRANSACTION 'g';",
	    "COMMIT PREPARED 'g';",
	    "ROLLBACK PREPARED 'g';",
	    "/* nested /* comment */ */ END WORK;",
	};
	size_t i;
	for (i = 0; i < sizeof both / sizeof both[0]; i++) {
		ck_assert_msg(check_body("", both[i], DIALECT_SQLITE) != 0,
			      "sqlite: %s", both[i]);
		ck_assert_msg(check_body("", both[i], DIALECT_POSTGRESQL) != 0,
			      "postgresql: %s", both[i]);
		/* transaction none is no way around it */
		ck_assert_msg(check_body("-- migc:transaction none\n", both[i],
					 DIALECT_SQLITE) != 0,
			      "transaction none: %s", both[i]);
	}
	for (i = 0; i < sizeof sqlite / sizeof sqlite[0]; i++)
		ck_assert_msg(check_body("", sqlite[i], DIALECT_SQLITE) != 0,
			      "%s", sqlite[i]);
	for (i = 0; i < sizeof postgresql / sizeof postgresql[0]; i++)
		ck_assert_msg(
		    check_body("", postgresql[i], DIALECT_POSTGRESQL) != 0,
		    "%s", postgresql[i]);
	ck_assert_uint_eq(diag.errors,
			  3 * sizeof both / sizeof both[0] +
			      sizeof sqlite / sizeof sqlite[0] +
			      sizeof postgresql / sizeof postgresql[0]);
	ck_assert_ptr_nonnull(strstr(diag.items[diag.count - 1].text,
				     "v/a.sql:4:28: error: END is transaction "
				     "control"));
}
END_TEST

START_TEST(bodies_with_begin_and_end_are_not_transaction_control)
{
	ck_assert_int_eq(
	    check_body("",
		       "CREATE TABLE t (x);\n"
		       "CREATE TRIGGER t_ins AFTER INSERT ON t\n"
		       "BEGIN\n  UPDATE t SET x = 1;\n  SELECT CASE WHEN "
		       "1 THEN 2 END;\nEND;\n"
		       "CREATE TEMP TRIGGER u BEFORE DELETE ON t BEGIN "
		       "SELECT 1; END;\n"
		       "INSERT INTO t VALUES ('COMMIT');\n"
		       "CREATE TABLE savepoint_log (release INTEGER);\n",
		       DIALECT_SQLITE),
	    0);
	ck_assert_int_eq(
	    check_body("",
		       "DO $$ BEGIN PERFORM 1; COMMIT; END $$;\n"
		       "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n"
		       "BEGIN ATOMIC\n  SELECT 1;\nEND;\n"
		       "CREATE PROCEDURE p() LANGUAGE plpgsql AS $body$\n"
		       "BEGIN\n  ROLLBACK;\nEND\n$body$;\n"
		       "PREPARE transaction AS SELECT 1;\n"
		       "PREPARE q AS SELECT 1;\n"
		       "SELECT 'BEGIN';\n"
		       "CREATE TABLE \"commit\" (x int);\n",
		       DIALECT_POSTGRESQL),
	    0);
	ck_assert_uint_eq(diag.count, 0);
}
END_TEST

/* Issue 14: PostgreSQL's statements are judged by their parse tree, so a
 * name that reads like a keyword is a name, and the statements a list of
 * first words never named are caught. */
START_TEST(postgresql_rules_read_the_parse_tree)
{
	static const char *const outside[] = {
		"CLUSTER;",
		"DISCARD ALL;",
		"ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY;",
		"CREATE SUBSCRIPTION s CONNECTION 'dbname=x' PUBLICATION p;",
		"ALTER DATABASE d SET TABLESPACE fast;",
		"REINDEX (CONCURRENTLY) INDEX i;",
	};
	each_fails(outside, sizeof outside / sizeof outside[0],
		   DIALECT_POSTGRESQL);
	ck_assert_uint_eq(diag.errors, sizeof outside / sizeof outside[0]);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text,
				     "v/a.sql:4:1: error: CLUSTER of every "
				     "table cannot run inside a transaction"));
	ck_assert_int_eq(
	    check_body("",
		       "CREATE INDEX \"concurrently\" ON t (x);\n"
		       "REINDEX TABLE \"concurrently\";\n"
		       "CLUSTER t USING t_pkey;\n"
		       "DISCARD PLANS;\n"
		       "CREATE SUBSCRIPTION s CONNECTION 'dbname=x' "
		       "PUBLICATION p WITH (create_slot = false, connect = "
		       "false);\n"
		       "ALTER TABLE p DETACH PARTITION p1;\n"
		       "ANALYZE VERBOSE t;\n"
		       "CREATE TABLE \"begin\" (\"commit\" int);\n",
		       DIALECT_POSTGRESQL),
	    0);
	ck_assert_uint_eq(diag.errors, sizeof outside / sizeof outside[0]);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("rules", setup, teardown, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
