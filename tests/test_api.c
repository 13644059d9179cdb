/* test_api.c: the public API's conventions hold for every function of
 * migc.h, migc_driver.h, migc_sqlite.h, migc_postgresql.h and migc_cli.h:
 * a NULL migc_error is accepted on success and on failure (the code alone
 * then says what happened), results are MIGC_OK or a negative MIGC_E*
 * code, and outputs are written through the out-parameters only. Against a
 * real SQLite file and, when the build has it, the real PostgreSQL server
 * libpq's environment names. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migc.h"
#include "migc_cli.h"
#include "migc_sqlite.h"
#ifdef MIGC_TEST_POSTGRESQL
#include "migc_postgresql.h"
#include "pg_connect.h"
#include <libpq-fe.h>
#endif

#include "hand_set.h"
#define REV(id, parents, parent_count, up, down)                               \
	{                                                                      \
		id, "message", id ".sql", "2026-01-01 00:00:00", parents,      \
		    parent_count, NULL, 0, NULL, 0, up, COUNT(up), down,       \
		    COUNT(down), 0, 0                                          \
	}

static const uint32_t parent0[] = {0};
static const migc_statement a_up[] = {ST("CREATE TABLE t_a (id INTEGER)")};
static const migc_statement a_down[] = {ST("DROP TABLE t_a")};
static const migc_statement b_up[] = {ST("CREATE TABLE t_b (id INTEGER)")};
static const migc_statement b_down[] = {ST("DROP TABLE t_b")};
/* Its second statement fails on every dialect. */
static const migc_statement bad_up[] = {ST("CREATE TABLE t_c (id INTEGER)"),
					ST("INSERT INTO nope VALUES (1)")};
static const migc_statement bad_down[] = {ST("DROP TABLE t_c")};

static const migc_revision good_revisions[] = {
    REV("aaaa1", NULL, 0, a_up, a_down),
    REV("aaaa2", parent0, 1, b_up, b_down),
};
static const uint32_t head1[] = {1};
static const migc_set good = {
    MIGC_ABI_VERSION, "good", "sqlite", good_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
static const migc_set good_pg = {
    MIGC_ABI_VERSION, "good", "postgresql", good_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
static const migc_revision failing_revisions[] = {
    REV("aaaa1", NULL, 0, a_up, a_down),
    REV("bad00", parent0, 1, bad_up, bad_down),
};
static const migc_set failing = {
    MIGC_ABI_VERSION, "failing", "sqlite", failing_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
static const migc_set failing_pg = {
    MIGC_ABI_VERSION, "failing", "postgresql", failing_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };
/* aaaa1 with other statements: its checksum differs from good's. */
static const migc_revision edited_revisions[] = {
    {"aaaa1", "message", "aaaa1.sql", "2026-01-01 00:00:00", NULL, 0, NULL, 0,
     NULL, 0, b_up, 1, b_down, 1, 99, 0},
};
static const uint32_t head0[] = {0};
static const migc_set edited = {
    MIGC_ABI_VERSION, "edited", "sqlite", edited_revisions, 1, head0, 1, NULL, 0, NULL, NULL, 0 };
static const migc_set other_abi = {
    MIGC_ABI_VERSION + 1, "good", "sqlite", good_revisions, 2, head1, 1, NULL, 0, NULL, NULL, 0 };

static int count_step(const migc_step *step, void *payload)
{
	(void)step;
	(*(unsigned *)payload)++;
	return 0;
}

/* ---- without a database ---- */

MIGC_TESTS(core_tests);

START_TEST(null_error_without_a_database)
{
	const migc_revision *found = &good_revisions[0];
	unsigned steps = 0;
	size_t count = 7;
	char quoted[16];
	size_t length = 0;

	ck_assert_int_eq(migc_revision_find(&found, &good, "aaaa2", NULL),
			 MIGC_OK);
	ck_assert_ptr_eq(found, &good_revisions[1]);
	ck_assert_int_eq(migc_revision_find(&found, &good, "aaaa", NULL),
			 MIGC_EAMBIGUOUS);
	ck_assert_ptr_null(found);
	ck_assert_int_eq(migc_revision_find(&found, &good, "zz", NULL),
			 MIGC_ENOTFOUND);
	ck_assert_int_eq(migc_revision_find(&found, NULL, "aaaa1", NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_revision_find(&found, &other_abi, "aaaa1", NULL),
			 MIGC_EABI);

	ck_assert_int_eq(migc_plan_steps(&count, &good, NULL, "head", 0,
					 count_step, &steps, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(steps, 2);
	ck_assert_uint_eq(count, 2);
	ck_assert_int_eq(migc_plan_steps(&count, &good, "aaaa2", "-1", 1,
					 count_step, &steps, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(migc_plan_steps(&count, &good, NULL, "zz", 0,
					 count_step, &steps, NULL),
			 MIGC_ENOTFOUND);
	ck_assert_uint_eq(count, 0);
	ck_assert_int_eq(migc_plan_steps(&count, &good, NULL, "+3", 0,
					 count_step, &steps, NULL),
			 MIGC_ERELATIVE);
	ck_assert_int_eq(
	    migc_plan_steps(&count, &good, NULL, "head", 0, NULL, NULL, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(migc_plan_steps(&count, &other_abi, NULL, "head", 0,
					 count_step, &steps, NULL),
			 MIGC_EABI);

	ck_assert_int_eq(migc_table_name_check("sqlite", "s.t", 3, NULL),
			 MIGC_OK);
	ck_assert_int_eq(migc_table_name_check("sqlite", "a b", 3, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_table_name_check("postgresql", NULL, 0, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_table_quote(quoted, sizeof quoted, &length, "s.t", 3, NULL),
	    MIGC_OK);
	ck_assert_str_eq(quoted, "\"s\".\"t\"");
	ck_assert_int_eq(migc_table_quote(NULL, 0, &length, "s.t", 3, NULL),
			 MIGC_ELIMIT);
	ck_assert_uint_eq(length, 7);
}
END_TEST

START_TEST(null_error_for_stored_downgrades)
{
	static const migc_statement flagged[] = {
	    {"DROP INDEX i", 12, 1, MIGC_STATEMENT_NO_TRANSACTION},
	    ST("DROP TABLE t"),
	};
	char encoded[128];
	size_t length = 99;
	size_t needed = migc_downgrade_encoded_length(flagged, 2, 1);
	migc_downgrade_reader reader;
	const char *sql = NULL;
	size_t sql_length = 0;
	uint32_t flags = 9;

	ck_assert_int_eq(migc_downgrade_encode(encoded, sizeof encoded, &length,
					       flagged, 2, 1, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(length, needed);
	ck_assert_int_eq(migc_downgrade_encode(encoded, needed - 1, &length,
					       flagged, 2, 1, NULL),
			 MIGC_ELIMIT);
	ck_assert_uint_eq(length, 0);
	ck_assert_int_eq(
	    migc_downgrade_encode(NULL, 0, &length, flagged, 2, 1, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(migc_downgrade_encode(encoded, sizeof encoded, NULL,
					       flagged, 2, 1, NULL),
			 MIGC_OK);

	ck_assert_int_eq(migc_downgrade_open(&reader, encoded, needed, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(reader.count, 2);
	ck_assert_uint_eq(reader.revision_flags, 1);
	ck_assert_int_eq(
	    migc_downgrade_read(&sql, &sql_length, &flags, &reader, NULL),
	    MIGC_OK);
	ck_assert_uint_eq(sql_length, 12);
	ck_assert_int_eq(memcmp(sql, "DROP INDEX i", 12), 0);
	ck_assert_uint_eq(flags, MIGC_STATEMENT_NO_TRANSACTION);
	ck_assert_int_eq(
	    migc_downgrade_read(&sql, &sql_length, &flags, &reader, NULL),
	    MIGC_OK);
	ck_assert_uint_eq(sql_length, 12);
	ck_assert_uint_eq(flags, 0);
	/* The end is an answer through the outputs, not a third result. */
	flags = 9;
	ck_assert_int_eq(
	    migc_downgrade_read(&sql, &sql_length, &flags, &reader, NULL),
	    MIGC_OK);
	ck_assert_ptr_null(sql);
	ck_assert_uint_eq(sql_length, 0);
	ck_assert_uint_eq(flags, 0);
	ck_assert_int_eq(
	    migc_downgrade_read(&sql, &sql_length, &flags, NULL, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(migc_downgrade_open(&reader, "3:abc", 5, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_downgrade_open(NULL, encoded, needed, NULL),
			 MIGC_EINVAL);
}
END_TEST

/* ---- SQLite ---- */

static char path[256];
static sqlite3 *db;
static migc_sqlite state;
static migc_driver driver;

static void sqlite_setup(void)
{
	snprintf(path, sizeof path, "%s/test_api_%ld.db", MIGC_TEST_BINARY_DIR,
		 (long)getpid());
	unlink(path);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, NULL),
			 MIGC_OK);
}

static void sqlite_teardown(void)
{
	sqlite3_close(db);
	unlink(path);
	snprintf(path + strlen(path), sizeof path - strlen(path), "-migc-lock");
	unlink(path);
}

/* An upgrade or downgrade through the SQLite driver with no options and a
 * NULL error. */
static int up(const migc_set *set, const char *target)
{
	return migc_upgrade(set, &driver, target, NULL, NULL);
}

static int down(const migc_set *set, const char *target)
{
	return migc_downgrade(set, &driver, target, NULL, NULL);
}

MIGC_TESTS(sqlite_tests);

START_TEST(null_error_through_the_sqlite_driver)
{
	const migc_revision *current[2] = {NULL, NULL};
	migc_version_row rows[2];
	unsigned char applied[2] = {9, 9};
	const char *targets[] = {"aaaa1", "zz"};
	size_t count = 0;
	migc_driver other;
	migc_sqlite other_state;

	ck_assert_int_eq(migc_sqlite_driver(NULL, &other_state, db, 0, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_sqlite_driver(&other, &other_state, NULL, 0, NULL),
	    MIGC_EINVAL);

	ck_assert_int_eq(up(NULL, "head"), MIGC_EINVAL);
	ck_assert_int_eq(migc_upgrade(&good, NULL, "head", NULL, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(up(&good_pg, "head"), MIGC_EDIALECT);
	ck_assert_int_eq(up(&good, "zz"), MIGC_ENOTFOUND);
	ck_assert_int_eq(up(&failing, "head"), MIGC_ESTATEMENT);
	ck_assert_int_eq(
	    migc_current(current, 2, &count, &failing, &driver, NULL, NULL),
	    MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_ptr_eq(current[0], &failing_revisions[0]);
	ck_assert_int_eq(down(&failing, "base"), MIGC_OK);

	ck_assert_int_eq(up(&good, "head"), MIGC_OK);
	ck_assert_int_eq(
	    migc_current(current, 2, &count, &good, &driver, NULL, NULL),
	    MIGC_OK);
	ck_assert_ptr_eq(current[0], &good_revisions[1]);
	ck_assert_int_eq(
	    migc_version_rows(rows, 2, &count, &good, &driver, NULL, NULL),
	    MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_str_eq(rows[0].id, "aaaa2");
	ck_assert_int_eq(migc_applied(applied, 2, &good, &driver, NULL, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(applied[0], 1);
	ck_assert_uint_eq(applied[1], 1);
	ck_assert_int_eq(migc_applied(applied, 1, &good, &driver, NULL, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(down(&good, "+1"), MIGC_EDIRECTION);
	/* aaaa1's checksum in the history differs from edited's. */
	ck_assert_int_eq(up(&edited, "head"), MIGC_EUNKNOWNVERSION);
	ck_assert_int_eq(down(&good, "-1"), MIGC_OK);
	ck_assert_int_eq(up(&edited, "head"), MIGC_ECHECKSUM);

	ck_assert_int_eq(migc_stamp(&good, &driver, "zz", 0, NULL, NULL),
			 MIGC_ENOTFOUND);
	ck_assert_int_eq(migc_stamp(&good, &driver, "head", 0, NULL, NULL),
			 MIGC_OK);
	ck_assert_int_eq(
	    migc_stamp_many(&good, &driver, targets, 2, 1, NULL, NULL),
	    MIGC_ENOTFOUND);
	ck_assert_int_eq(
	    migc_stamp_many(&good, &driver, targets, 1, 1, NULL, NULL),
	    MIGC_OK);
	ck_assert_int_eq(
	    migc_current(current, 2, &count, &good, &driver, NULL, NULL),
	    MIGC_OK);
	ck_assert_ptr_eq(current[0], &good_revisions[0]);
}
END_TEST

START_TEST(null_error_for_options_and_limits)
{
	migc_options options = MIGC_OPTIONS_INIT;
	const migc_revision *current[1];
	migc_version_row rows[1];
	unsigned char applied[2];
	size_t count = 0;

	options.version_table = "not a name";
	ck_assert_int_eq(migc_upgrade(&good, &driver, "head", &options, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_current(current, 1, &count, &good, &driver, &options, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_version_rows(rows, 1, &count, &good, &driver, &options, NULL),
	    MIGC_EINVAL);
	ck_assert_uint_eq(count, 0);
	ck_assert_int_eq(
	    migc_applied(applied, 2, &good, &driver, &options, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(migc_stamp(&good, &driver, "head", 0, &options, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_downgrade(&good, &driver, "base", &options, NULL),
			 MIGC_EINVAL);
	options.version_table = NULL;
	options.version = MIGC_OPTIONS_VERSION + 1;
	ck_assert_int_eq(migc_upgrade(&good, &driver, "head", &options, NULL),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_upgrade(&other_abi, &driver, "head", NULL, NULL),
			 MIGC_EABI);
}
END_TEST

/* While `holder` holds the lock, `second` cannot upgrade `set` (and says
 * so with a NULL error); once released, it can. */
static void lock_held_then_released(const migc_driver *holder,
				    const migc_set *set,
				    const migc_driver *second)
{
	ck_assert_int_eq(
	    holder->lock(holder->context, "good:migc_version", 17, NULL),
	    MIGC_OK);
	ck_assert_int_eq(migc_upgrade(set, second, "head", NULL, NULL),
			 MIGC_ELOCK);
	ck_assert_int_eq(
	    holder->unlock(holder->context, "good:migc_version", 17, NULL),
	    MIGC_OK);
	ck_assert_int_eq(migc_upgrade(set, second, "head", NULL, NULL),
			 MIGC_OK);
}

START_TEST(null_error_when_the_lock_is_held)
{
	sqlite3 *second_db = NULL;
	migc_sqlite second_state;
	migc_driver second;

	ck_assert_int_eq(sqlite3_open(path, &second_db), SQLITE_OK);
	ck_assert_int_eq(
	    migc_sqlite_driver(&second, &second_state, second_db, 50, NULL),
	    MIGC_OK);
	lock_held_then_released(&driver, &good, &second);
	sqlite3_close(second_db);
}
END_TEST

static int ignore_row(const char *revision, size_t length, void *payload)
{
	(void)revision;
	(void)length;
	(void)payload;
	return 0;
}

static int ignore_history(const migc_history_row *row, void *payload)
{
	(void)row;
	(void)payload;
	return 0;
}

/* Each of the driver's functions fails with a NULL error too. */
static void reads_fail_without_error(const migc_driver *d, const char *table)
{
	size_t length = strlen(table);

	ck_assert_int_lt(d->version_rows_read(d->context, table, length,
					      ignore_row, NULL, NULL),
			 0);
	ck_assert_int_lt(d->history_read(d->context, table, length,
					 ignore_history, NULL, NULL),
			 0);
}

static void driver_functions_fail_without_error(const migc_driver *d,
						const char *table)
{
	static const migc_statement down[] = {ST("DROP TABLE t_a")};
	migc_history_row row;
	size_t length = strlen(table);

	memset(&row, 0, sizeof row);
	row.revision = "aaaa1";
	row.revision_length = 5;
	row.parents = "";
	ck_assert_int_lt(d->execute(d->context, "NOT SQL", 7, NULL), 0);
	ck_assert_int_lt(
	    d->version_table_ensure(d->context, table, length, NULL), 0);
	ck_assert_int_lt(
	    d->version_row_insert(d->context, table, length, "aaaa1", 5, NULL),
	    0);
	ck_assert_int_lt(
	    d->version_row_delete(d->context, table, length, "aaaa1", 5, NULL),
	    0);
	ck_assert_int_lt(d->history_ensure(d->context, table, length, NULL), 0);
	ck_assert_int_lt(
	    d->history_write(d->context, table, length, &row, down, 1, NULL),
	    0);
	ck_assert_int_lt(
	    d->history_delete(d->context, table, length, "aaaa1", 5, NULL), 0);
	ck_assert_int_lt(d->history_downgrade(d->context,
					      "migc_version_history", 20, "zz",
					      2, NULL),
			 0);
	ck_assert_int_lt(d->commit(d->context, NULL), 0);
}

START_TEST(null_error_from_sqlite_driver_functions)
{
	/* A schema that is not attached: every statement on it fails. */
	driver_functions_fail_without_error(&driver, "nowhere.t");
	reads_fail_without_error(&driver, "nowhere.t");
}
END_TEST

/* ---- offline scripts (migc_cli.h) ---- */

MIGC_TESTS(core_tests);

START_TEST(null_error_for_offline_scripts)
{
	FILE *out = tmpfile();
	const char *targets[] = {"aaaa1"};
	const char *missing[] = {"zz"};

	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(
	    migc_sql_script(out, &good, NULL, NULL, "head", 0, NULL), MIGC_OK);
	ck_assert_int_eq(migc_sql_script(out, &good, NULL, NULL, "zz", 0, NULL),
			 MIGC_ENOTFOUND);
	ck_assert_int_eq(
	    migc_sql_script(out, &good, "a b", NULL, "head", 0, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_sql_script(out, NULL, NULL, NULL, "head", 0, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_sql_stamp_script(out, &good, NULL, NULL, targets, 1, NULL),
	    MIGC_OK);
	ck_assert_int_eq(
	    migc_sql_stamp_script(out, &good, NULL, NULL, missing, 1, NULL),
	    MIGC_ENOTFOUND);
	ck_assert_int_eq(
	    migc_sql_stamp_script(out, NULL, NULL, NULL, targets, 1, NULL),
	    MIGC_EINVAL);
	fclose(out);
}
END_TEST

#ifdef MIGC_TEST_POSTGRESQL
/* ---- PostgreSQL ---- */

static PGconn *admin;
static PGconn *connection;
static char database[64];
static migc_postgresql pg_state;

static void pg_setup(void)
{
	connection =
	    database_create(&admin, database, sizeof database, "migc_test_api");
	ck_assert_int_eq(
	    migc_postgresql_driver(&driver, &pg_state, connection, 50, NULL),
	    MIGC_OK);
}

static void pg_teardown(void)
{
	database_drop(admin, connection, database);
}

MIGC_TESTS(postgresql_tests);

START_TEST(null_error_through_the_postgresql_driver)
{
	const migc_revision *current[1] = {NULL};
	size_t count = 0;
	PGconn *second_connection = connect_to(database);
	PGconn *closed = PQconnectStart("dbname=migc_never_there");
	migc_postgresql second_state;
	migc_driver second;

	ck_assert_int_eq(
	    migc_postgresql_driver(NULL, &second_state, connection, 0, NULL),
	    MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_postgresql_driver(&second, &second_state, closed, 0, NULL),
	    MIGC_EDRIVER);
	PQfinish(closed);
	ck_assert_int_eq(migc_upgrade(&failing_pg, &driver, "head", NULL, NULL),
			 MIGC_ESTATEMENT);
	ck_assert_int_eq(
	    migc_current(current, 1, &count, &failing_pg, &driver, NULL, NULL),
	    MIGC_OK);
	ck_assert_ptr_eq(current[0], &failing_revisions[0]);
	ck_assert_int_eq(
	    migc_downgrade(&failing_pg, &driver, "base", NULL, NULL), MIGC_OK);

	ck_assert_int_eq(migc_postgresql_driver(&second, &second_state,
						second_connection, 50, NULL),
			 MIGC_OK);
	lock_held_then_released(&driver, &good_pg, &second);
	PQfinish(second_connection);
}
END_TEST

START_TEST(null_error_from_postgresql_driver_functions)
{
	driver_functions_fail_without_error(&driver, "nowhere.t");
	/* A missing table reads as no rows here; a failed transaction's
	 * reads fail. */
	ck_assert_int_eq(driver.begin(driver.context, NULL), MIGC_OK);
	ck_assert_int_lt(driver.execute(driver.context, "NOT SQL", 7, NULL), 0);
	reads_fail_without_error(&driver, "migc_version");
	ck_assert_int_eq(driver.rollback(driver.context, NULL), MIGC_OK);
}
END_TEST

#endif

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_CASES(
    "api", MIGC_CASE("core", NULL, NULL, 0, MIGC_SERVER_NONE, core_tests),
    MIGC_CASE("sqlite", sqlite_setup, sqlite_teardown, 0, MIGC_SERVER_NONE,
	      sqlite_tests),
    MIGC_POSTGRESQL_CASE("postgresql", pg_setup, pg_teardown, 60,
			 MIGC_SERVER_OPTIONAL, postgresql_tests));
