/* test_sqlite.c: the SQLite driver against real database files: failures
 * mid-upgrade, the version table's shape, a custom table name, and several
 * connections migrating at once. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migc.h"
#include "migc_sqlite.h"

#define COUNT(array) ((uint32_t)(sizeof(array) / sizeof((array)[0])))
#define ST(sql) { sql, (uint32_t)(sizeof(sql) - 1), __LINE__ }

static const uint32_t parent0[] = { 0 };
static const uint32_t parent1[] = { 1 };

/* Each revision also logs itself, so a double application shows. */
static const migc_statement a_up[] = {
	ST("CREATE TABLE applied_log (revision TEXT)"),
	ST("INSERT INTO applied_log VALUES ('a')"),
	ST("CREATE TABLE t_a (id INTEGER)"),
};
static const migc_statement a_down[] = { ST("DROP TABLE t_a"),
					 ST("DROP TABLE applied_log") };
static const migc_statement b_up[] = {
	ST("CREATE TABLE t_b (id INTEGER)"),
	ST("INSERT INTO applied_log VALUES ('b')"),
};
static const migc_statement b_down[] = { ST("DROP TABLE t_b") };
static const migc_statement c_up[] = {
	ST("CREATE TABLE t_c (id INTEGER)"),
	ST("INSERT INTO applied_log VALUES ('c')"),
};
static const migc_statement c_down[] = { ST("DROP TABLE t_c") };
/* The second statement fails. */
static const migc_statement bad_up[] = {
	ST("CREATE TABLE t_bad (id INTEGER)"),
	ST("INSERT INTO nope VALUES (1)"),
	ST("CREATE TABLE t_never (id INTEGER)"),
};
static const migc_statement bad_down[] = { ST("DROP TABLE t_bad") };

#define REV(id, file, parents, parent_count, up, down, flags)                  \
	{ id,        "message",     file,          "2026-01-01 00:00:00",      \
	  parents,   parent_count,  NULL,          0,                          \
	  NULL,      0,             up,            COUNT(up),                  \
	  down,      COUNT(down),   0,             flags }

static const migc_revision good_revisions[] = {
	REV("aaaa", "aaaa_a.sql", NULL, 0, a_up, a_down, 0),
	REV("bbbb", "bbbb_b.sql", parent0, 1, b_up, b_down, 0),
	REV("cccc", "cccc_c.sql", parent1, 1, c_up, c_down, 0),
};
static const uint32_t head2[] = { 2 };
static const migc_set good = { MIGC_ABI_VERSION, "good", "sqlite",
			       good_revisions, 3, head2, 1 };

static const migc_revision failing_revisions[] = {
	REV("aaaa", "aaaa_a.sql", NULL, 0, a_up, a_down, 0),
	REV("bad0", "bad0_bad.sql", parent0, 1, bad_up, bad_down, 0),
	REV("cccc", "cccc_c.sql", parent1, 1, c_up, c_down, 0),
};
static const migc_set failing = { MIGC_ABI_VERSION, "failing", "sqlite",
				  failing_revisions, 3, head2, 1 };

static const migc_revision untransacted_revisions[] = {
	REV("aaaa", "aaaa_a.sql", NULL, 0, a_up, a_down, 0),
	REV("bbbb", "bbbb_b.sql", parent0, 1, b_up, b_down,
	    MIGC_REVISION_NO_TRANSACTION),
	REV("bad0", "bad0_bad.sql", parent1, 1, bad_up, bad_down,
	    MIGC_REVISION_NO_TRANSACTION),
};
static const migc_set untransacted = { MIGC_ABI_VERSION, "untransacted",
				       "sqlite", untransacted_revisions, 3,
				       head2, 1 };

static char path[256];

static void setup(void)
{
	snprintf(path, sizeof path, "%s/test_sqlite_%ld.db",
		 MIGC_TEST_BINARY_DIR, (long)getpid());
	unlink(path);
}

static void teardown(void)
{
	unlink(path);
}

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	return db;
}

static const char *query(sqlite3 *db, const char *sql)
{
	static char out[1024];
	sqlite3_stmt *statement;

	out[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &statement, NULL),
			 SQLITE_OK);
	while (sqlite3_step(statement) == SQLITE_ROW) {
		size_t used = strlen(out);
		const unsigned char *text = sqlite3_column_text(statement, 0);

		snprintf(out + used, sizeof out - used, "%s%s",
			 used > 0 ? "," : "",
			 text != NULL ? (const char *)text : "NULL");
	}
	sqlite3_finalize(statement);
	return out;
}

static const char *tables(sqlite3 *db)
{
	return query(db, "SELECT name FROM sqlite_master WHERE type = "
			 "'table' ORDER BY name");
}

START_TEST(failure_midway_keeps_last_good_revision)
{
	sqlite3 *db = open_db();
	migc_sqlite state;
	migc_driver driver;
	migc_error error;

	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	ck_assert_int_eq(migc_upgrade(&failing, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_int_eq(error.code, MIGC_ESTATEMENT);
	ck_assert_str_eq(error.revision, "bad0");
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_str_eq(error.source_file, "bad0_bad.sql");
	ck_assert_uint_eq(error.line, bad_up[1].line);
	ck_assert_int_eq(error.driver_code, SQLITE_ERROR);
	ck_assert_ptr_nonnull(strstr(error.message,
				     "Revision bad0 failed at statement 2 "
				     "(bad0_bad.sql:"));
	ck_assert_ptr_nonnull(strstr(error.message, "no such table: nope"));
	/* The failed revision left nothing; its parent is recorded. */
	ck_assert_str_eq(tables(db),
			 "applied_log,migc_version,migc_version_history,t_a");
	ck_assert_str_eq(query(db, "SELECT version_num FROM migc_version"),
			 "aaaa");
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	sqlite3_close(db);
}
END_TEST

START_TEST(untransacted_revisions_record_rows)
{
	sqlite3 *db = open_db();
	migc_sqlite state;
	migc_driver driver;
	migc_error error;

	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	ck_assert_int_eq(migc_upgrade(&untransacted, &driver, "bbbb", NULL,
				      &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num FROM migc_version"),
			 "bbbb");
	/* Outside a transaction the first statement stays. */
	ck_assert_int_eq(migc_upgrade(&untransacted, &driver, NULL, NULL,
				      &error),
			 MIGC_ESTATEMENT);
	ck_assert_ptr_nonnull(strstr(error.message, "outside a transaction"));
	ck_assert_str_eq(query(db, "SELECT version_num FROM migc_version"),
			 "bbbb");
	ck_assert_ptr_nonnull(strstr(tables(db), "t_bad"));
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	sqlite3_close(db);
}
END_TEST

START_TEST(version_table_shape)
{
	sqlite3 *db = open_db();
	migc_sqlite state;
	migc_driver driver;
	migc_error error;

	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	ck_assert_int_eq(state.busy_timeout_ms, MIGC_SQLITE_BUSY_TIMEOUT_MS);
	ck_assert_str_eq(driver.dialect, "sqlite");
	ck_assert_int_eq(migc_upgrade(&good, &driver, "+1", NULL, &error),
			 MIGC_OK);
	/* name, type, notnull, pk: Alembic's shape. */
	ck_assert_str_eq(query(db, "SELECT name || ' ' || type || ' ' || "
				   "\"notnull\" || ' ' || pk FROM "
				   "pragma_table_info('migc_version')"),
			 "version_num VARCHAR(32) 1 1");
	ck_assert_str_eq(query(db, "SELECT sql FROM sqlite_master WHERE "
				   "name = 'migc_version'"),
			 "CREATE TABLE \"migc_version\" (version_num "
			 "VARCHAR(32) NOT NULL, CONSTRAINT "
			 "\"migc_version_pkc\" PRIMARY KEY (version_num))");
	sqlite3_close(db);
}
END_TEST

START_TEST(custom_table_name)
{
	sqlite3 *db = open_db();
	migc_sqlite state;
	migc_driver driver;
	migc_error error;
	migc_options options = MIGC_OPTIONS_INIT;

	options.version_table = "alembic_version";
	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 1234, &error),
			 MIGC_OK);
	ck_assert_int_eq(state.busy_timeout_ms, 1234);
	ck_assert_int_eq(migc_upgrade(&good, &driver, NULL, &options, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num FROM alembic_version"),
			 "cccc");
	ck_assert_str_eq(tables(db),
			 "alembic_version,alembic_version_history,applied_log,"
			 "t_a,t_b,t_c");
	ck_assert_int_eq(migc_downgrade(&good, &driver, "aaaa", &options,
					&error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num FROM alembic_version"),
			 "aaaa");
	sqlite3_close(db);
}
END_TEST

START_TEST(driver_functions_directly)
{
	sqlite3 *db = open_db();
	migc_sqlite state;
	migc_driver d;
	migc_error error;
	static const char many[] = "CREATE TABLE x (a); INSERT INTO x "
				   "VALUES (1);\n INSERT INTO x VALUES (2); "
				   "-- trailing comment\n";
	static const char broken[] = "INSERT INTO x VALUES (3); SELEC 1";
	static const char again[] = "INSERT INTO x VALUES (4); "
				    "CREATE TABLE x (a)";

	ck_assert_int_eq(migc_sqlite_driver(&d, &state, db, 0, &error),
			 MIGC_OK);
	ck_assert_int_eq(d.execute(d.context, many, sizeof many - 1, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM x"), "2");
	/* The length is honoured: only the first statement runs. */
	ck_assert_int_eq(d.execute(d.context, "INSERT INTO x VALUES (9); "
					      "DROP TABLE x",
				   25, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM x"), "3");
	ck_assert_int_eq(d.execute(d.context, broken, sizeof broken - 1,
				   &error),
			 MIGC_EDRIVER);
	ck_assert_int_eq(error.code, MIGC_EDRIVER);
	ck_assert_int_eq(error.driver_code, SQLITE_ERROR);
	ck_assert_ptr_nonnull(strstr(error.message, "SELEC"));
	ck_assert_int_eq(d.execute(d.context, again, sizeof again - 1, &error),
			 MIGC_EDRIVER);
	ck_assert_ptr_nonnull(strstr(error.message, "already exists"));
	/* Missing table reads as zero rows and is not created. */
	ck_assert_int_eq(migc_current(NULL, 0, NULL, &good, &d, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM sqlite_master "
				   "WHERE name = 'migc_version'"),
			 "0");
	ck_assert_int_eq(d.version_table_ensure(d.context, "odd\"name", 8,
						&error),
			 MIGC_OK);
	ck_assert_int_eq(d.version_row_insert(d.context, "odd\"name", 8,
					      "abc'def", 7, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num FROM \"odd\"\"name\""),
			 "abc'def");
	ck_assert_int_eq(d.version_row_delete(d.context, "odd\"name", 8,
					      "abc'def", 7, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM \"odd\"\"name\""),
			 "0");
	ck_assert_int_eq(migc_sqlite_driver(&d, &state, NULL, 0, &error),
			 MIGC_EINVAL);
	sqlite3_close(db);
}
END_TEST

/* ---- concurrency ---- */

typedef struct runner {
	int result;
	migc_error error;
} runner;

static void *run_upgrade(void *payload)
{
	runner *r = payload;
	sqlite3 *db = NULL;
	migc_sqlite state;
	migc_driver driver;

	if (sqlite3_open(path, &db) != SQLITE_OK) {
		r->result = -100;
		return NULL;
	}
	r->result = migc_sqlite_driver(&driver, &state, db, 20000, &r->error);
	if (r->result == MIGC_OK)
		r->result = migc_upgrade(&good, &driver, NULL, NULL,
					 &r->error);
	sqlite3_close(db);
	return NULL;
}

static double seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

START_TEST(second_connection_waits_for_the_first)
{
	sqlite3 *holder = open_db();
	pthread_t thread;
	runner r;
	double started;
	struct timespec pause = { 0, 400 * 1000 * 1000 };

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(sqlite3_exec(holder, "BEGIN IMMEDIATE", NULL, NULL,
				      NULL),
			 SQLITE_OK);
	started = seconds();
	ck_assert_int_eq(pthread_create(&thread, NULL, run_upgrade, &r), 0);
	nanosleep(&pause, NULL);
	ck_assert_int_eq(sqlite3_exec(holder, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(pthread_join(thread, NULL), 0);
	ck_assert_msg(r.result == MIGC_OK, "upgrade failed: %s",
		      r.error.message);
	ck_assert(seconds() - started >= 0.35);
	ck_assert_str_eq(query(holder, "SELECT version_num FROM "
				       "migc_version"),
			 "cccc");
	sqlite3_close(holder);
}
END_TEST

START_TEST(many_runners_apply_each_revision_once)
{
	enum { RUNNERS = 6 };
	pthread_t threads[RUNNERS];
	runner runners[RUNNERS];
	sqlite3 *db;
	int i;

	memset(runners, 0, sizeof runners);
	for (i = 0; i < RUNNERS; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, run_upgrade,
						&runners[i]),
				 0);
	for (i = 0; i < RUNNERS; i++) {
		ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
		ck_assert_msg(runners[i].result == MIGC_OK,
			      "runner %d failed: %s", i,
			      runners[i].error.message);
	}
	db = open_db();
	ck_assert_str_eq(query(db, "SELECT group_concat(revision, '') FROM "
				   "applied_log"),
			 "abc");
	ck_assert_str_eq(query(db, "SELECT version_num FROM migc_version"),
			 "cccc");
	sqlite3_close(db);
}
END_TEST

Suite *sqlite_suite(void)
{
	Suite *s = suite_create("sqlite");
	TCase *t = tcase_create("sqlite");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, failure_midway_keeps_last_good_revision);
	tcase_add_test(t, untransacted_revisions_record_rows);
	tcase_add_test(t, version_table_shape);
	tcase_add_test(t, custom_table_name);
	tcase_add_test(t, driver_functions_directly);
	tcase_add_test(t, second_connection_waits_for_the_first);
	tcase_add_test(t, many_runners_apply_each_revision_once);
	suite_add_tcase(s, t);
	return s;
}
