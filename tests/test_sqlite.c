/* test_sqlite.c: the SQLite driver against real database files: failures
 * mid-upgrade, the version table's shape, a custom table name, several
 * connections migrating at once, and integrity: the history table,
 * checksums, stamp, an older build on a newer database, resuming a
 * "transaction none" revision. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "migc.h"
#include "migc_sqlite.h"
#include "sqlite_query.h"

#include "hand_set.h"
#include "text_log.h"

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
			       good_revisions, 3, head2, 1, NULL, 0, NULL, NULL, 0 };

static const migc_revision failing_revisions[] = {
	REV("aaaa", "aaaa_a.sql", NULL, 0, a_up, a_down, 0),
	REV("bad0", "bad0_bad.sql", parent0, 1, bad_up, bad_down, 0),
	REV("cccc", "cccc_c.sql", parent1, 1, c_up, c_down, 0),
};
static const migc_set failing = { MIGC_ABI_VERSION, "failing", "sqlite",
				  failing_revisions, 3, head2, 1, NULL, 0, NULL, NULL, 0 };

static const migc_revision untransacted_revisions[] = {
	REV("aaaa", "aaaa_a.sql", NULL, 0, a_up, a_down, 0),
	REV("bbbb", "bbbb_b.sql", parent0, 1, b_up, b_down,
	    MIGC_REVISION_NO_TRANSACTION),
	REV("bad0", "bad0_bad.sql", parent1, 1, bad_up, bad_down,
	    MIGC_REVISION_NO_TRANSACTION),
};
static const migc_set untransacted = { MIGC_ABI_VERSION, "untransacted",
				       "sqlite", untransacted_revisions, 3,
				       head2, 1, NULL, 0, NULL, NULL, 0 };

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

/* The version table holds the rows `ids` ("a,b"). */
static void expect_version(sqlite3 *db, const char *ids)
{
	ck_assert_str_eq(query(db, "SELECT version_num FROM migc_version"),
			 ids);
}

/* Runs SQL that must succeed. */
static void exec_ok(sqlite3 *db, const char *sql)
{
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* Closes a connection an operation must have left outside a transaction. */
static void close_outside_transaction(sqlite3 *db)
{
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	sqlite3_close(db);
}

static const char *tables(sqlite3 *db)
{
	return query(db, "SELECT name FROM sqlite_master WHERE type = "
			 "'table' ORDER BY name");
}

/* A table's columns as "name type notnull pk", rows joined with ",":
 * PRAGMA table_info, which every SQLite the driver supports has. */
static const char *table_shape(sqlite3 *db, const char *table)
{
	static char out[512];
	char sql[128];
	sqlite3_stmt *statement;

	out[0] = '\0';
	snprintf(sql, sizeof sql, "PRAGMA table_info(\"%s\")", table);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &statement, NULL),
			 SQLITE_OK);
	while (sqlite3_step(statement) == SQLITE_ROW) {
		size_t used = strlen(out);

		snprintf(out + used, sizeof out - used, "%s%s %s %d %d",
			 used > 0 ? "," : "",
			 (const char *)sqlite3_column_text(statement, 1),
			 (const char *)sqlite3_column_text(statement, 2),
			 sqlite3_column_int(statement, 3),
			 sqlite3_column_int(statement, 5));
	}
	sqlite3_finalize(statement);
	return out;
}

MIGC_TESTS(sqlite_tests_1);

/* What most tests drive: the SQLite driver over a connection to `path`. */
static migc_sqlite state;
static migc_driver driver;
static migc_error error;

static sqlite3 *open_driver(void)
{
	sqlite3 *db = open_db();

	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	return db;
}

START_TEST(failure_midway_keeps_last_good_revision)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&failing, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	expect_statement_error(&error, "bad0", 2, "bad0_bad.sql",
			       bad_up[1].line);
	ck_assert_int_eq(error.driver_code, SQLITE_ERROR);
	ck_assert_ptr_nonnull(strstr(error.message,
				     "Revision bad0 failed at statement 2 "
				     "(bad0_bad.sql:"));
	ck_assert_ptr_nonnull(strstr(error.message, "no such table: nope"));
	/* The failed revision left nothing; its parent is recorded. */
	ck_assert_str_eq(tables(db),
			 "applied_log,migc_version,migc_version_history,t_a");
	expect_version(db, "aaaa");
	close_outside_transaction(db);
}
END_TEST

START_TEST(untransacted_revisions_record_rows)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&untransacted, &driver, "bbbb", NULL,
				      &error),
			 MIGC_OK);
	expect_version(db, "bbbb");
	/* Outside a transaction the first statement stays. */
	ck_assert_int_eq(migc_upgrade(&untransacted, &driver, NULL, NULL,
				      &error),
			 MIGC_ESTATEMENT);
	ck_assert_ptr_nonnull(strstr(error.message, "outside a transaction"));
	expect_version(db, "bbbb");
	ck_assert_ptr_nonnull(strstr(tables(db), "t_bad"));
	close_outside_transaction(db);
}
END_TEST

START_TEST(version_table_shape)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(state.busy_timeout_ms, MIGC_SQLITE_BUSY_TIMEOUT_MS);
	ck_assert_str_eq(driver.dialect, "sqlite");
	ck_assert_int_eq(migc_upgrade(&good, &driver, "+1", NULL, &error),
			 MIGC_OK);
	/* name, type, notnull, pk: Alembic's shape. */
	ck_assert_str_eq(table_shape(db, "migc_version"),
			 "version_num VARCHAR(32) 1 1,set_digest INTEGER 0 0");
	ck_assert_str_eq(query(db, "SELECT sql FROM sqlite_master WHERE "
				   "name = 'migc_version'"),
			 "CREATE TABLE \"migc_version\" (version_num "
			 "VARCHAR(32) NOT NULL, set_digest INTEGER, CONSTRAINT "
			 "\"migc_version_pkc\" PRIMARY KEY (version_num))");
	sqlite3_close(db);
}
END_TEST

/* What an upgrade sends SQLite, counted by kind (sqlite3_trace_v2). */
typedef struct statement_counts {
	int version_deletes; /* DELETE FROM the version table */
	int version_updates; /* UPDATE of the version table */
	int catalog_reads;   /* look-ups of a table in sqlite_master */
	int creates;	     /* CREATE TABLE IF NOT EXISTS of migc's tables */
} statement_counts;

static int count_statement(unsigned type, void *payload, void *statement,
			   void *text)
{
	statement_counts *counts = payload;
	const char *sql = traced_sql(type, statement, text);

	if (strncmp(sql, "DELETE FROM \"migc_version\"", 26) == 0)
		counts->version_deletes++;
	/* Version rows changed in place; not the set digest stored beside
	 * them (cleared as an operation starts: the one-read boot). */
	if (strncmp(sql, "UPDATE \"migc_version\"", 21) == 0 &&
	    strstr(sql, "set_digest") == NULL)
		counts->version_updates++;
	if (strstr(sql, "sqlite_master AS m") != NULL)
		counts->catalog_reads++;
	if (strncmp(sql, "CREATE TABLE IF NOT EXISTS \"migc_version", 39) == 0)
		counts->creates++;
	return 0;
}

static statement_counts upgrade_counted(const char *target)
{
	sqlite3 *db;
	migc_sqlite state;
	migc_driver driver;
	migc_error error;
	statement_counts counts = {0, 0, 0, 0};

	unlink(path);
	db = open_db();
	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_statement, &counts);
	ck_assert_int_eq(migc_upgrade(&good, &driver, target, NULL, &error),
			 MIGC_OK);
	expect_version(db, target[0] == '+' ? "aaaa" : "cccc");
	ck_assert_str_eq(query(db, "SELECT revision FROM applied_log"),
			 target[0] == '+' ? "a" : "a,b,c");
	/* Statements the driver kept are finalized with the lock. */
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return counts;
}

/* Issue 12: each step along a branch changes the version row in place
 * (no DELETE and INSERT), and no step after the first looks the tables up
 * or creates them again while the lock is held: three revisions cost the
 * bookkeeping reads of one. */
START_TEST(steps_change_the_row_in_place_and_read_nothing)
{
	statement_counts one = upgrade_counted("+1");
	statement_counts all = upgrade_counted("head");

	ck_assert_int_eq(all.version_deletes, 0);
	ck_assert_int_eq(all.version_updates, 2);
	ck_assert_int_eq(all.catalog_reads, one.catalog_reads);
	ck_assert_int_eq(all.creates, one.creates);
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
	exec_ok(holder, "COMMIT");
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
	expect_version(db, "cccc");
	sqlite3_close(db);
}
END_TEST

/* ---- integrity: history, checksums, stamp, older binaries ---- */
MIGC_TESTS(sqlite_tests_2);

#define REVC(id, file, parents, parent_count, up, down, checksum, flags)       \
	{ id,        "message",     file,          "2026-01-01 00:00:00",      \
	  parents,   parent_count,  NULL,          0,                          \
	  NULL,      0,             up,            COUNT(up),                  \
	  down,      COUNT(down),   checksum,      flags }

/* The good set's revisions with checksums; bbbb's is the test's. */
#define REV_A                                                                  \
	REVC("aaaa", "aaaa_a.sql", NULL, 0, a_up, a_down,                      \
	     0x0123456789abcdefull, 0)
#define REV_B(checksum)                                                        \
	REVC("bbbb", "bbbb_b.sql", parent0, 1, b_up, b_down, checksum, 0)
#define REV_C                                                                  \
	REVC("cccc", "cccc_c.sql", parent1, 1, c_up, c_down,                   \
	     0x2222222222222222ull, 0)

static const uint32_t parent2[] = { 2 };
static const migc_statement d_up[] = { ST("CREATE TABLE t_d (id INTEGER)") };
/* Commas, colons, digits and newlines: the stored encoding must keep them. */
static const migc_statement d_down[] = {
	ST("INSERT INTO applied_log VALUES ('12:x,3:,')"),
	ST("DROP TABLE t_d"),
};

static const migc_revision v1_revisions[] = {
    REV_A, REV_B(0x1111111111111111ull), REV_C};
static const migc_set v1 = { MIGC_ABI_VERSION, "v", "sqlite", v1_revisions,
			     3, head2, 1, NULL, 0, NULL, NULL, 0 };
static const uint32_t head1[] = { 1 };
static const migc_set v1_short = { MIGC_ABI_VERSION, "v", "sqlite",
				   v1_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
/* bbbb edited after it was applied. */
static const migc_revision edited_revisions[] = {
    REV_A, REV_B(0xfedcba9876543210ull), REV_C};
static const migc_set edited = { MIGC_ABI_VERSION, "v", "sqlite",
				 edited_revisions, 3, head2, 1, NULL, 0, NULL, NULL, 0 };
/* A newer build: one more revision. */
static const migc_revision newer_revisions[] = {
    REV_A,
    REV_B(0x1111111111111111ull),
    REV_C,
    REVC("dddd", "dddd_d.sql", parent2, 1, d_up, d_down, 0x3333333333333333ull,
	 0),
};
static const uint32_t head3[] = { 3 };
static const migc_set newer = { MIGC_ABI_VERSION, "v", "sqlite",
				newer_revisions, 4, head3, 1, NULL, 0, NULL, NULL, 0 };

/* A "transaction none" revision whose second statement needs a table the
 * test creates between runs: a crash halfway, then a resume. */
static const migc_statement r_up[] = {
	ST("CREATE TABLE t_r1 (id INTEGER)"),
	ST("INSERT INTO needed VALUES (1)"),
	ST("CREATE TABLE t_r3 (id INTEGER)"),
};
static const migc_statement r_down[] = { ST("DROP TABLE t_r3"),
					 ST("DROP TABLE t_r1") };
static const migc_revision resumable_revisions[] = {
    REV_A,
    REVC("rrrr", "rrrr_r.sql", parent0, 1, r_up, r_down, 0x4444444444444444ull,
	 MIGC_REVISION_NO_TRANSACTION),
};
static const migc_set resumable = { MIGC_ABI_VERSION, "r", "sqlite",
				    resumable_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };

/* The stored downgrade of `revision`, decoded and joined with "|". */
static const char *stored_downgrade(sqlite3 *db, const char *revision)
{
	static char out[1024];
	sqlite3_stmt *statement;
	const char *encoded;
	const char *sql;
	size_t length;
	size_t sql_length;
	migc_downgrade_reader reader;
	migc_error error;
	int rc;

	out[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT downgrade_sql FROM "
					    "migc_version_history WHERE "
					    "version_num = ?1",
					    -1, &statement, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(statement, 1, revision, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(statement), SQLITE_ROW);
	encoded = (const char *)sqlite3_column_text(statement, 0);
	length = (size_t)sqlite3_column_bytes(statement, 0);
	ck_assert_int_eq(migc_downgrade_open(&reader, encoded, length, &error),
			 MIGC_OK);
	while ((rc = migc_downgrade_read(&sql, &sql_length, NULL, &reader,
					 &error)) == MIGC_OK &&
	       sql != NULL) {
		size_t used = strlen(out);

		snprintf(out + used, sizeof out - used, "%s%.*s",
			 used > 0 ? "|" : "", (int)sql_length, sql);
	}
	ck_assert_int_eq(rc, MIGC_OK);
	sqlite3_finalize(statement);
	return out;
}

START_TEST(history_rows_follow_upgrade_and_downgrade)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&newer, &driver, NULL, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num || ' [' || parents || "
				   "'] ' || checksum || ' ' || "
				   "statements_done || ' ' || typeof(duration_ms) "
				   "|| ' ' || (applied_at IS NOT NULL) FROM "
				   "migc_version_history ORDER BY version_num"),
			 "aaaa [] 0123456789abcdef 3 integer 1,"
			 "bbbb [aaaa] 1111111111111111 2 integer 1,"
			 "cccc [bbbb] 2222222222222222 2 integer 1,"
			 "dddd [cccc] 3333333333333333 1 integer 1");
	ck_assert_str_eq(stored_downgrade(db, "aaaa"),
			 "DROP TABLE t_a|DROP TABLE applied_log");
	ck_assert_str_eq(stored_downgrade(db, "dddd"),
			 "INSERT INTO applied_log VALUES ('12:x,3:,')|"
			 "DROP TABLE t_d");
	ck_assert_str_eq(query(db, "SELECT downgrade_sql FROM "
				   "migc_version_history WHERE version_num = "
				   "'bbbb'"),
			 "14:DROP TABLE t_b,");
	ck_assert_int_eq(migc_downgrade(&newer, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT group_concat(version_num) FROM "
				   "(SELECT version_num FROM "
				   "migc_version_history ORDER BY 1)"),
			 "aaaa,bbbb");
	expect_version(db, "bbbb");
	sqlite3_close(db);
}
END_TEST

START_TEST(edited_revision_stops_upgrade)
{
	migc_options options = MIGC_OPTIONS_INIT;
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&v1, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	ck_assert_int_eq(migc_upgrade(&edited, &driver, NULL, NULL, &error),
			 MIGC_ECHECKSUM);
	ck_assert_int_eq(error.code, MIGC_ECHECKSUM);
	ck_assert_str_eq(error.revision, "bbbb");
	ck_assert_str_eq(error.source_file, "bbbb_b.sql");
	ck_assert_ptr_nonnull(strstr(error.message, "bbbb (bbbb_b.sql)"));
	ck_assert_ptr_nonnull(strstr(error.message, "1111111111111111"));
	ck_assert_ptr_nonnull(strstr(error.message, "fedcba9876543210"));
	ck_assert_ptr_nonnull(strstr(error.message, "add a new revision"));
	ck_assert_ptr_nonnull(
		strstr(error.message, "--accept-changed-checksums"));
	/* Nothing ran. */
	expect_version(db, "bbbb");
	ck_assert_ptr_null(strstr(tables(db), "t_c"));
	/* Stamp verifies too. */
	ck_assert_int_eq(migc_stamp(&edited, &driver, "head", 0, NULL, &error),
			 MIGC_ECHECKSUM);
	expect_version(db, "bbbb");
	/* Accepting records the new checksum and carries on. */
	options.accept_changed_checksums = 1;
	ck_assert_int_eq(migc_upgrade(&edited, &driver, NULL, &options,
				      &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT checksum FROM migc_version_history "
				   "WHERE version_num = 'bbbb'"),
			 "fedcba9876543210");
	expect_version(db, "cccc");
	ck_assert_int_eq(migc_upgrade(&edited, &driver, NULL, NULL, &error),
			 MIGC_OK);
	/* And now the old build is the edited one. */
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_ECHECKSUM);
	sqlite3_close(db);
}
END_TEST

START_TEST(no_history_table_is_not_an_error)
{
	sqlite3 *db = open_driver();

	/* As Alembic or an older migc leaves it. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "CREATE TABLE migc_version (version_num "
				      "VARCHAR(32) NOT NULL PRIMARY KEY); "
				      "CREATE TABLE applied_log (revision "
				      "TEXT); CREATE TABLE t_a (id INTEGER); "
				      "INSERT INTO migc_version (version_num) VALUES "
				      "('aaaa')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(&edited, &driver, NULL, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT group_concat(version_num) FROM "
				   "(SELECT version_num FROM "
				   "migc_version_history ORDER BY 1)"),
			 "bbbb,cccc");
	sqlite3_close(db);
}
END_TEST

START_TEST(stamp_targets_and_purge)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_stamp(&v1, &driver, "head", 0, NULL, &error),
			 MIGC_OK);
	expect_version(db, "cccc");
	ck_assert_str_eq(tables(db), "migc_version,migc_version_history");
	ck_assert_str_eq(query(db, "SELECT version_num || ' ' || checksum || "
				   "' ' || statements_done || ' ' || "
				   "duration_ms FROM migc_version_history "
				   "ORDER BY version_num"),
			 "aaaa 0123456789abcdef 3 0,"
			 "bbbb 1111111111111111 2 0,"
			 "cccc 2222222222222222 2 0");
	ck_assert_int_eq(migc_stamp(&v1, &driver, "aaaa", 0, NULL, &error),
			 MIGC_OK);
	expect_version(db, "aaaa");
	ck_assert_str_eq(query(db, "SELECT version_num FROM "
				   "migc_version_history"),
			 "aaaa");
	ck_assert_int_eq(migc_stamp(&v1, &driver, "+1", 0, NULL, &error),
			 MIGC_OK);
	expect_version(db, "bbbb");
	ck_assert_int_eq(migc_stamp(&v1, &driver, "base", 0, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM migc_version"), "0");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM "
				   "migc_version_history"),
			 "0");
	/* A row from elsewhere: refused without --purge, adopted with. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO migc_version (version_num) VALUES "
				      "('e1sewhere0000')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(migc_stamp(&v1, &driver, "bbbb", 0, NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	ck_assert_ptr_nonnull(strstr(error.message, "stamp --purge"));
	ck_assert_int_eq(migc_stamp(&v1, &driver, "bbbb", 1, NULL, &error),
			 MIGC_OK);
	expect_version(db, "bbbb");
	ck_assert_str_eq(tables(db), "migc_version,migc_version_history");
	/* And upgrading from the stamp runs only what is left. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "CREATE TABLE applied_log (revision "
				      "TEXT)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT revision FROM applied_log"), "c");
	sqlite3_close(db);
}
END_TEST

static void log_event(const migc_event *event, void *payload)
{
	text_log_add(payload, "%c:%s%s%s%s",
		     event->kind == MIGC_EVENT_UPGRADE ? 'U' : 'D', event->id,
		     event->revision == NULL ? "(unknown<-" : "",
		     event->revision == NULL ? event->parents : "",
		     event->revision == NULL ? ")" : "");
}

START_TEST(older_build_steps_back_with_stored_downgrade)
{
	migc_options options = MIGC_OPTIONS_INIT;
	migc_version_row rows[4];
	size_t count = 0;
	text_log log;
	sqlite3 *db = open_driver();

	memset(&log, 0, sizeof log);
	options.progress = log_event;
	options.progress_payload = &log;
	ck_assert_int_eq(migc_upgrade(&newer, &driver, NULL, NULL, &error),
			 MIGC_OK);
	/* The older build sees a row it lacks... */
	ck_assert_int_eq(migc_version_rows(rows, 4, &count, &v1, &driver, NULL,
					   &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_str_eq(rows[0].id, "dddd");
	ck_assert_ptr_null(rows[0].revision);
	ck_assert_int_eq(migc_current(NULL, 0, &count, &v1, &driver, NULL,
				      &error),
			 MIGC_EUNKNOWNVERSION);
	/* ...refuses to upgrade, and runs nothing... */
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	ck_assert_str_eq(error.revision, "dddd");
	ck_assert_ptr_nonnull(strstr(error.message, "newer build"));
	ck_assert_ptr_nonnull(strstr(error.message, "'downgrade cccc'"));
	ck_assert_int_eq(migc_downgrade(&v1, &driver, "-1", NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	expect_version(db, "dddd");
	/* ...and steps back to its head with the stored downgrade. */
	ck_assert_int_eq(migc_downgrade(&v1, &driver, "cccc", &options,
					&error),
			 MIGC_OK);
	ck_assert_str_eq(log.text, "D:dddd(unknown<-cccc)");
	ck_assert_ptr_null(strstr(tables(db), "t_d"));
	ck_assert_str_eq(query(db, "SELECT revision FROM applied_log "
				   "WHERE revision LIKE '12%'"),
			 "12:x,3:,");
	expect_version(db, "cccc");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM migc_version_history "
				   "WHERE version_num = 'dddd'"),
			 "0");
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_OK);
	/* Further down in the same run: unknown first, then known ones. */
	ck_assert_int_eq(migc_upgrade(&newer, &driver, NULL, NULL, &error),
			 MIGC_OK);
	log.text[0] = '\0';
	ck_assert_int_eq(migc_downgrade(&v1_short, &driver, "aaaa", &options,
					&error),
			 MIGC_OK);
	ck_assert_str_eq(log.text, "D:dddd(unknown<-cccc) "
				   "D:cccc(unknown<-bbbb) D:bbbb");
	expect_version(db, "aaaa");
	ck_assert_str_eq(tables(db), "applied_log,migc_version,"
				     "migc_version_history,t_a");
	/* A row without history cannot be stepped back from. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "DELETE FROM migc_version; INSERT INTO "
				      "migc_version (version_num) VALUES ('ffff')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(migc_downgrade(&v1, &driver, "aaaa", NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	ck_assert_ptr_nonnull(strstr(error.message, "has no row for it"));
	expect_version(db, "ffff");
	sqlite3_close(db);
}
END_TEST

/* A "transaction none" revision whose downgrade ends in VACUUM, which
 * cannot run in a transaction; an older build (aaaa only) steps back
 * from it with the stored statements, as the newer build would. */
static const migc_statement v_up[] = { ST("CREATE TABLE t_v (id INTEGER)") };
static const migc_statement v_down[] = {
	ST("DROP TABLE t_v"),
	{ "VACUUM", 6, __LINE__, MIGC_STATEMENT_NO_TRANSACTION },
};
static const migc_revision vacuum_revisions[] = {
    REV_A,
    REVC("vvvv", "vvvv_v.sql", parent0, 1, v_up, v_down, 0x5555555555555555ull,
	 MIGC_REVISION_NO_TRANSACTION),
};
static const uint32_t head0[] = { 0 };
static const migc_set vacuum_newer = { MIGC_ABI_VERSION, "v", "sqlite",
				       vacuum_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
static const migc_set vacuum_older = { MIGC_ABI_VERSION, "v", "sqlite",
				       vacuum_revisions, 1, head0, 1, NULL, 0, NULL, NULL, 0 };

START_TEST(older_build_steps_back_from_a_transaction_none_revision)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&vacuum_newer, &driver, NULL, NULL,
				      &error),
			 MIGC_OK);
	ck_assert_msg(migc_downgrade(&vacuum_older, &driver, "aaaa", NULL,
				     &error) == MIGC_OK,
		      "older build's downgrade: %s", error.message);
	ck_assert_ptr_null(strstr(tables(db), "t_v"));
	expect_version(db, "aaaa");
	close_outside_transaction(db);
}
END_TEST

/* `columns` of rrrr's history row. */
static const char *rrrr_history(sqlite3 *db, const char *columns)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "SELECT %s FROM migc_version_history WHERE version_num = "
		 "'rrrr'",
		 columns);
	return query(db, sql);
}

START_TEST(untransacted_revision_resumes_after_a_crash)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&resumable, &driver, NULL, NULL,
				      &error),
			 MIGC_ESTATEMENT);
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_ptr_nonnull(strstr(error.message, "resumes at statement 2"));
	expect_version(db, "aaaa");
	ck_assert_str_eq(rrrr_history(db, "statements_done || ' ' || checksum"),
			 "1 4444444444444444");
	/* Statement 1 must not run again: it would fail (table exists). */
	exec_ok(db, "CREATE TABLE needed (id INTEGER)");
	ck_assert_int_eq(migc_upgrade(&resumable, &driver, NULL, NULL,
				      &error),
			 MIGC_OK);
	expect_version(db, "rrrr");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM needed"), "1");
	ck_assert_str_eq(rrrr_history(db, "statements_done"), "3");
	ck_assert_ptr_nonnull(strstr(tables(db), "t_r3"));
	ck_assert_int_eq(migc_downgrade(&resumable, &driver, "aaaa", NULL,
					&error),
			 MIGC_OK);
	ck_assert_ptr_null(strstr(tables(db), "t_r"));
	ck_assert_str_eq(rrrr_history(db, "count(*)"), "0");
	sqlite3_close(db);
}
END_TEST

/* A "transaction none" downgrade that stops partway records its progress
 * and leaves the revision applied; the next downgrade resumes after the
 * last statement that ran, and an upgrade first finishes it. */
static void stop_downgrade_after_statement_1(sqlite3 *db, migc_driver *driver)
{
	migc_error error;

	/* Its second statement (DROP TABLE t_r1) fails. */
	exec_ok(db, "DROP TABLE t_r1");
	ck_assert_int_eq(migc_downgrade(&resumable, driver, "aaaa", NULL,
					&error),
			 MIGC_ESTATEMENT);
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_ptr_nonnull(strstr(error.message, "finishes it first"));
	expect_version(db, "rrrr");
	ck_assert_str_eq(
	    rrrr_history(db, "statements_done || ' ' || downgrade_done"),
	    "3 1");
	ck_assert_ptr_null(strstr(tables(db), "t_r3"));
	exec_ok(db, "CREATE TABLE t_r1 (id INTEGER)");
}

START_TEST(untransacted_downgrade_resumes_after_a_failure)
{
	migc_options options = MIGC_OPTIONS_INIT;
	text_log log;
	sqlite3 *db = open_driver();

	exec_ok(db, "CREATE TABLE needed (id INTEGER)");
	ck_assert_int_eq(migc_upgrade(&resumable, &driver, NULL, NULL,
				      &error),
			 MIGC_OK);
	stop_downgrade_after_statement_1(db, &driver);
	/* Statement 1 must not run again: t_r3 is gone, it would fail. */
	ck_assert_int_eq(migc_downgrade(&resumable, &driver, "aaaa", NULL,
					&error),
			 MIGC_OK);
	expect_version(db, "aaaa");
	ck_assert_ptr_null(strstr(tables(db), "t_r"));
	ck_assert_str_eq(rrrr_history(db, "count(*)"), "0");

	/* An upgrade finishes the interrupted downgrade, then applies. */
	ck_assert_int_eq(migc_upgrade(&resumable, &driver, NULL, NULL,
				      &error),
			 MIGC_OK);
	stop_downgrade_after_statement_1(db, &driver);
	memset(&log, 0, sizeof log);
	options.progress = log_event;
	options.progress_payload = &log;
	ck_assert_int_eq(migc_upgrade(&resumable, &driver, NULL, &options,
				      &error),
			 MIGC_OK);
	ck_assert_str_eq(log.text, "D:rrrr U:rrrr");
	expect_version(db, "rrrr");
	ck_assert_str_eq(
	    rrrr_history(db, "statements_done || ' ' || downgrade_done"),
	    "3 0");
	ck_assert_ptr_nonnull(strstr(tables(db), "t_r1"));
	ck_assert_ptr_nonnull(strstr(tables(db), "t_r3"));
	sqlite3_close(db);
}
END_TEST

/* A history table an older migc made, without downgrade_done, reads as
 * nothing partway and gains the column at the next write. */
START_TEST(history_table_from_before_downgrade_done)
{
	const migc_revision *current[2];
	size_t count = 0;
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&good, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	/* As an older migc made it (DROP COLUMN needs SQLite 3.35). */
	ck_assert_int_eq(
	    sqlite3_exec(db,
			 "CREATE TABLE old_history (version_num VARCHAR(32) "
			 "NOT NULL PRIMARY KEY, parents TEXT NOT NULL, "
			 "checksum VARCHAR(16) NOT NULL, applied_at TIMESTAMP "
			 "NOT NULL DEFAULT CURRENT_TIMESTAMP, duration_ms "
			 "INTEGER NOT NULL, statements_done INTEGER NOT NULL, "
			 "downgrade_sql TEXT NOT NULL);"
			 "INSERT INTO old_history SELECT version_num, parents, "
			 "checksum, applied_at, duration_ms, statements_done, "
			 "downgrade_sql FROM migc_version_history;"
			 "DROP TABLE migc_version_history;"
			 "ALTER TABLE old_history RENAME TO "
			 "migc_version_history",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(migc_current(current, 2, &count, &good, &driver,
				      NULL, &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(migc_upgrade(&good, &driver, NULL, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num || ':' || "
				   "downgrade_done FROM migc_version_history "
				   "ORDER BY version_num"),
			 "aaaa:0,bbbb:0,cccc:0");
	sqlite3_close(db);
}
END_TEST

START_TEST(dialect_mismatch)
{
	static const migc_set postgres_set = { MIGC_ABI_VERSION, "pg",
					       "postgresql", v1_revisions, 3,
					       head2, 1, NULL, 0, NULL, NULL, 0 };
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&postgres_set, &driver, NULL, NULL,
				      &error),
			 MIGC_EDIALECT);
	ck_assert_ptr_nonnull(strstr(error.message, "postgresql"));
	ck_assert_ptr_nonnull(strstr(error.message, "sqlite"));
	ck_assert_str_eq(tables(db), "");
	sqlite3_close(db);
}
END_TEST

START_TEST(schema_qualified_version_table)
{
	migc_options options = MIGC_OPTIONS_INIT;
	size_t count = 0;
	static const char *const bad_names[] = {
		"a.b.c", ".x", "x.", "my-table", "a b",
		/* 128 bytes: past MIGC_TABLE_NAME_MAX (SQLite has no limit). */
		("x234567890123456789012345678901234567890123456789012345678901234"
		 "x234567890123456789012345678901234567890123456789012345678901234")
	};
	size_t i;
	sqlite3 *db = open_driver();

	options.version_table = "main.my_version";
	ck_assert_int_eq(migc_upgrade(&v1, &driver, "bbbb", &options, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num FROM my_version"),
			 "bbbb");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM "
				   "main.my_version_history"),
			 "2");
	ck_assert_str_eq(query(db, "SELECT sql FROM sqlite_master WHERE "
				   "name = 'my_version'"),
			 "CREATE TABLE \"my_version\" (version_num "
			 "VARCHAR(32) NOT NULL, set_digest INTEGER, CONSTRAINT "
			 "\"my_version_pkc\" PRIMARY KEY (version_num))");
	ck_assert_int_eq(migc_current(NULL, 0, &count, &v1, &driver, &options,
				      &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(migc_downgrade(&v1, &driver, "base", &options,
					&error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM my_version"), "0");
	for (i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		options.version_table = bad_names[i];
		ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, &options,
					      &error),
				 MIGC_EINVAL);
	}
	/* A schema that is not attached is the database's error. */
	options.version_table = "other.v";
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, &options, &error),
			 MIGC_EDRIVER);
	sqlite3_close(db);
}
END_TEST

/* ---- issue 9: the driver's defences ---- */
MIGC_TESTS(sqlite_tests_3);

/* Statements that end (or open) migc's transaction, as a hand-built set
 * may hold them; the generator refuses such files. */
static const migc_statement rollback_up[] = {
    ST("CREATE TABLE t_x (id INTEGER)"),
    ST("ROLLBACK"),
    ST("CREATE TABLE t_y (id INTEGER)"),
};
static const migc_statement commit_up[] = {
    ST("CREATE TABLE t_x (id INTEGER)"),
    ST("COMMIT"),
    ST("CREATE TABLE t_y (id INTEGER)"),
    ST("INSERT INTO nope VALUES (1)"),
};
static const migc_statement end_up[] = {
    ST("CREATE TABLE t_x (id INTEGER); END; CREATE TABLE t_y (id)"),
};
static const migc_statement begin_up[] = {
    {"BEGIN", 5, __LINE__, MIGC_STATEMENT_NO_TRANSACTION},
    ST("CREATE TABLE t_y (id INTEGER)"),
};
static const migc_statement xy_down[] = {ST("DROP TABLE t_x")};
static const migc_revision rollback_revisions[] = {
    REV_A,
    REVC("xxxx", "xxxx_x.sql", parent0, 1, rollback_up, xy_down, 1, 0),
};
static const migc_revision commit_revisions[] = {
    REV_A,
    REVC("xxxx", "xxxx_x.sql", parent0, 1, commit_up, xy_down, 1, 0),
};
static const migc_revision end_revisions[] = {
    REV_A,
    REVC("xxxx", "xxxx_x.sql", parent0, 1, end_up, xy_down, 1, 0),
};
static const migc_revision begin_revisions[] = {
    REV_A,
    REVC("xxxx", "xxxx_x.sql", parent0, 1, begin_up, xy_down, 1,
	 MIGC_REVISION_NO_TRANSACTION),
};

/* Upgrades `which` (aaaa, then xxxx, which must fail at `statement`). */
static void expect_transaction_refused(const migc_revision *which,
				       unsigned statement, const char *shown,
				       const char *tables_after,
				       const char *history_after)
{
	migc_set set = {MIGC_ABI_VERSION, "tx", "sqlite", which, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&set, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_str_eq(error.revision, "xxxx");
	ck_assert_uint_eq(error.statement_index, statement);
	ck_assert_ptr_nonnull(strstr(error.message, shown));
	ck_assert_ptr_nonnull(
	    strstr(error.message, "transaction control belongs to migc"));
	ck_assert_ptr_null(strstr(error.message, "was rolled back"));
	/* Not recorded, and the connection is not left in a transaction. */
	expect_version(db, "aaaa");
	ck_assert_str_eq(query(db, "SELECT group_concat(version_num) FROM "
				   "(SELECT version_num FROM "
				   "migc_version_history ORDER BY 1)"),
			 history_after);
	ck_assert_int_eq(sqlite3_get_autocommit(db), 1);
	ck_assert_str_eq(query(db, "SELECT group_concat(name) FROM (SELECT "
				   "name FROM sqlite_master WHERE name LIKE "
				   "'t\\_%' ESCAPE '\\' ORDER BY name)"),
			 tables_after);
	sqlite3_close(db);
}

START_TEST(statement_ending_the_transaction_is_refused)
{
	/* ROLLBACK undid t_x; t_y never ran. */
	expect_transaction_refused(rollback_revisions, 2, "'ROLLBACK'", "t_a",
				   "aaaa");
	unlink(path);
	/* COMMIT kept t_x: the message must not say it was rolled back. */
	expect_transaction_refused(commit_revisions, 2, "'COMMIT'", "t_a,t_x",
				   "aaaa");
	unlink(path);
	/* Inside one statement's text too. */
	expect_transaction_refused(end_revisions, 1, "'END'", "t_a,t_x",
				   "aaaa");
	unlink(path);
	/* A statement run outside a transaction may not open one (the
	 * revision's progress row, statements_done 0, stays). */
	expect_transaction_refused(begin_revisions, 1, "'BEGIN'", "t_a",
				   "aaaa,xxxx");
}
END_TEST

START_TEST(history_checksum_that_is_not_hex)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&v1, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	ck_assert_int_eq(sqlite3_exec(db,
				      "UPDATE migc_version_history SET "
				      "checksum = 'zz'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* Formatted from the row while it is still there (this read freed
	 * memory once: AddressSanitizer). */
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_EDRIVER);
	ck_assert_ptr_nonnull(
	    strstr(error.message, "history table 'migc_version_history'"));
	ck_assert_ptr_nonnull(strstr(error.message, "revision aaaa"));
	ck_assert_ptr_nonnull(strstr(error.message, "checksum is 'zz'"));
	expect_version(db, "bbbb");
	sqlite3_close(db);
}
END_TEST

/* Sets `column` of bbbb's history row to `value` (SQL), then expects the
 * next upgrade to refuse, naming table, revision, column and value. */
static void expect_corrupt_number(sqlite3 *db, migc_driver *driver,
				  const char *column, const char *value,
				  const char *shown)
{
	char sql[256];
	char expected[128];
	migc_error error;

	snprintf(sql, sizeof sql,
		 "UPDATE migc_version_history SET %s = %s WHERE "
		 "version_num = 'bbbb'",
		 column, value);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(&v1, driver, NULL, NULL, &error),
			 MIGC_EDRIVER);
	ck_assert_ptr_nonnull(
	    strstr(error.message, "history table 'migc_version_history'"));
	ck_assert_ptr_nonnull(strstr(error.message, "revision bbbb"));
	snprintf(expected, sizeof expected, "%s is '%s'", column, shown);
	ck_assert_msg(strstr(error.message, expected) != NULL,
		      "[%s] lacks [%s]", error.message, expected);
	expect_version(db, "bbbb");
	ck_assert_int_eq(sqlite3_exec(db,
				      "UPDATE migc_version_history SET "
				      "statements_done = 2, duration_ms = 0 "
				      "WHERE version_num = 'bbbb'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

START_TEST(history_numbers_that_are_not_counts)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&v1, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	expect_corrupt_number(db, &driver, "statements_done", "-1", "-1");
	expect_corrupt_number(db, &driver, "statements_done", "'many'", "many");
	expect_corrupt_number(db, &driver, "statements_done", "4294967296",
			      "4294967296");
	expect_corrupt_number(db, &driver, "statements_done", "1.5", "1.5");
	expect_corrupt_number(db, &driver, "duration_ms", "-7", "-7");
	expect_corrupt_number(db, &driver, "duration_ms", "'soon'", "soon");
	/* The largest values are numbers, not corruption. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "UPDATE migc_version_history SET "
				      "duration_ms = 4294967295",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_OK);
	expect_version(db, "cccc");
	sqlite3_close(db);
}
END_TEST

START_TEST(version_table_names_ignore_case)
{
	migc_options options = MIGC_OPTIONS_INIT;
	size_t count = 0;
	sqlite3 *db = open_driver();

	ck_assert_int_eq(migc_upgrade(&v1, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	options.version_table = "MIGC_VERSION";
	ck_assert_int_eq(
	    migc_current(NULL, 0, &count, &v1, &driver, &options, &error),
	    MIGC_OK);
	ck_assert_uint_eq(count, 1);
	/* Goes on from bbbb, against the same two tables. */
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, &options, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT group_concat(revision) FROM "
				   "applied_log"),
			 "a,b,c");
	ck_assert_str_eq(tables(db), "applied_log,migc_version,"
				     "migc_version_history,t_a,t_b,t_c");
	options.version_table = "Main.Migc_Version";
	ck_assert_int_eq(
	    migc_current(NULL, 0, &count, &v1, &driver, &options, &error),
	    MIGC_OK);
	ck_assert_uint_eq(count, 1);
	sqlite3_close(db);
}
END_TEST

/* `name` must be refused by every command, the message holding `shown`. */
static void expect_table_refused(migc_driver *driver, const char *name,
				 const char *shown, const char *shown_too)
{
	migc_options options = MIGC_OPTIONS_INIT;
	migc_error error;
	size_t count = 0;

	options.version_table = name;
	/* current reads only the version table. */
	if (strstr(shown, "history") == NULL) {
		ck_assert_int_ne(migc_current(NULL, 0, &count, &v1, driver,
					      &options, &error),
				 MIGC_OK);
		ck_assert_ptr_nonnull(strstr(error.message, shown));
	}
	ck_assert_int_ne(migc_upgrade(&v1, driver, NULL, &options, &error),
			 MIGC_OK);
	ck_assert_msg(strstr(error.message, shown) != NULL &&
			  strstr(error.message, shown_too) != NULL,
		      "[%s] lacks [%s] or [%s]", error.message, shown,
		      shown_too);
	ck_assert_int_ne(migc_stamp(&v1, driver, "head", 1, &options, &error),
			 MIGC_OK);
	ck_assert_ptr_nonnull(strstr(error.message, shown));
}

START_TEST(version_table_of_another_shape_is_refused)
{
	sqlite3 *db = open_driver();

	ck_assert_int_eq(
	    sqlite3_exec(db,
			 "CREATE VIEW seen_version AS SELECT 'aaaa' AS "
			 "version_num; "
			 "CREATE TABLE wide_version (version_num "
			 "VARCHAR(32) PRIMARY KEY, note TEXT); "
			 "CREATE TABLE ok_version (version_num VARCHAR(32) "
			 "NOT NULL PRIMARY KEY); "
			 "CREATE VIEW ok_version_history AS SELECT 1 AS x; "
			 "CREATE TABLE fine_version (version_num "
			 "VARCHAR(32) NOT NULL PRIMARY KEY); "
			 "CREATE TABLE fine_version_history (version_num "
			 "TEXT, parents TEXT, checksum TEXT)",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	expect_table_refused(&driver, "SEEN_VERSION",
			     "'SEEN_VERSION' is a view", "version_num");
	expect_table_refused(&driver, "wide_version", "note", "version_num");
	expect_table_refused(&driver, "ok_version",
			     "'ok_version_history' is a view", "history");
	expect_table_refused(&driver, "fine_version", "fine_version_history",
			     "statements_done");
	/* Nothing was written anywhere. */
	ck_assert_str_eq(query(db, "SELECT count(*) FROM wide_version"), "0");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM ok_version"), "0");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM fine_version"), "0");
	ck_assert_ptr_null(strstr(tables(db), "applied_log"));
	sqlite3_close(db);
}
END_TEST

START_TEST(lock_file_symlink_is_refused)
{
	char lock[300];
	char target[300];
	sqlite3 *db = open_driver();

	snprintf(lock, sizeof lock, "%s-migc-lock", path);
	snprintf(target, sizeof target, "%s-planted", path);
	unlink(lock);
	unlink(target);
	ck_assert_int_eq(symlink(target, lock), 0);
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_ELOCK);
	ck_assert_ptr_nonnull(strstr(error.message, lock));
	ck_assert_ptr_nonnull(strstr(error.message, "symbolic link"));
	ck_assert_ptr_null(strstr(error.message, "another runner"));
	/* Nothing created where the link points, nothing run. */
	ck_assert_int_ne(access(target, F_OK), 0);
	ck_assert_str_eq(tables(db), "");
	unlink(lock);
	sqlite3_close(db);
}
END_TEST

START_TEST(lock_file_errors_name_path_and_reason)
{
	char lock[300];
	sqlite3 *db = open_driver();

	snprintf(lock, sizeof lock, "%s-migc-lock", path);
	ck_assert_int_eq(mkdir(lock, 0700), 0);
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_ELOCK);
	ck_assert_ptr_nonnull(strstr(error.message, lock));
	ck_assert_ptr_nonnull(strstr(error.message, strerror(EISDIR)));
	ck_assert_ptr_null(strstr(error.message, "another runner"));
	ck_assert_int_eq(rmdir(lock), 0);
	/* Held by another runner: that is what the message says then. */
	{
		sqlite3 *other = open_db();
		migc_sqlite other_state;
		migc_driver other_driver;

		ck_assert_int_eq(migc_sqlite_driver(&other_driver, &other_state,
						    other, 50, &error),
				 MIGC_OK);
		ck_assert_int_eq(driver.lock(driver.context, "k", 1, &error),
				 MIGC_OK);
		ck_assert_int_eq(
		    migc_upgrade(&v1, &other_driver, NULL, NULL, &error),
		    MIGC_ELOCK);
		ck_assert_ptr_nonnull(strstr(error.message, "another runner"));
		ck_assert_ptr_nonnull(strstr(error.message, lock));
		ck_assert_int_eq(driver.unlock(driver.context, "k", 1, &error),
				 MIGC_OK);
		sqlite3_close(other);
	}
	sqlite3_close(db);
}
END_TEST

/* A version row no revision id can be (longer than MIGC_REVISION_ID_MAX):
 * named as cut, never as if it were the id, and removed by purge. */
START_TEST(overlong_version_row_is_purged)
{
	static const char long_id[] =
	    "0123456789abcdef0123456789abcdef_and_more";
	migc_version_row rows[4];
	size_t count = 0;
	sqlite3 *db = open_driver();
	char sql[128];

	ck_assert_int_eq(migc_upgrade(&v1, &driver, "bbbb", NULL, &error),
			 MIGC_OK);
	snprintf(sql, sizeof sql, "INSERT INTO migc_version (version_num) VALUES ('%s')",
		 long_id);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(&v1, &driver, NULL, NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	ck_assert_ptr_nonnull(
	    strstr(error.message, "0123456789abcdef0123456789abc..."));
	ck_assert_int_eq(
	    migc_version_rows(rows, 4, &count, &v1, &driver, NULL, &error),
	    MIGC_OK);
	ck_assert_uint_eq(count, 2);
	ck_assert_str_eq(rows[1].id, "0123456789abcdef0123456789abc...");
	ck_assert_int_eq(migc_stamp(&v1, &driver, "head", 1, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT group_concat(version_num) FROM "
				   "migc_version"),
			 "cccc");
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(migc_stamp(&v1, &driver, "base", 1, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM migc_version"), "0");
	sqlite3_close(db);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_CASES("sqlite",
			 MIGC_CASE("sqlite", setup, teardown, 60,
				   MIGC_SERVER_NONE, sqlite_tests_1),
			 MIGC_CASE("integrity", setup, teardown, 60,
				   MIGC_SERVER_NONE, sqlite_tests_2),
			 MIGC_CASE("defences", setup, teardown, 60,
				   MIGC_SERVER_NONE, sqlite_tests_3));
