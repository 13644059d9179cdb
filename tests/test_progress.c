/* test_progress.c: the progress events (issue 15): each revision's start
 * and end with its number of the plan's count and its result, and each
 * statement's start and end, on the branchy set (three heads, a merge, a
 * depends_on edge, a "transaction none" revision) against a real SQLite
 * file and the real PostgreSQL server; and callers of the first options
 * version, who get the revision starts only, as before. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "branchy_sqlite.h"
#include "migc.h"
#include "migc_sqlite.h"
#include "test_util.h"

#ifdef MIGC_TEST_POSTGRESQL
#include "branchy_pg.h"
#include "migc_postgresql.h"
#include "pg_connect.h"
#endif

/* ---- the database: _i 0 is a SQLite file, 1 the PostgreSQL server ---- */

static int backend; /* the case's: 0 SQLite, 1 PostgreSQL */
static const migc_set *set;
static migc_driver driver;
static char *dir;
static sqlite3 *lite;
static migc_sqlite lite_context;
#ifdef MIGC_TEST_POSTGRESQL
static PGconn *pg;
static migc_postgresql pg_context;
#endif

static void open_database(int backend)
{
	migc_error error;

	if (backend == 0) {
		char path[4096];

		dir = test_tempdir();
		snprintf(path, sizeof path, "%s/app.db", dir);
		ck_assert_int_eq(sqlite3_open(path, &lite), SQLITE_OK);
		ck_assert_int_eq(
		    migc_sqlite_driver(&driver, &lite_context, lite, 0, &error),
		    MIGC_OK);
		set = &branchy_sqlite;
		return;
	}
#ifdef MIGC_TEST_POSTGRESQL
	pg = connect_to(NULL);
	exec_on(pg, "SET client_min_messages = warning");
	exec_on(pg, "DROP SCHEMA IF EXISTS migc_progress CASCADE");
	exec_on(pg, "CREATE SCHEMA migc_progress");
	exec_on(pg, "SET search_path = migc_progress");
	ck_assert_int_eq(
	    migc_postgresql_driver(&driver, &pg_context, pg, 0, &error),
	    MIGC_OK);
	set = &branchy_pg;
#endif
}

/* SQL run on the database directly, as its owner would. */
static void raw(const char *sql)
{
	if (lite != NULL) {
		char *message = NULL;

		ck_assert_msg(sqlite3_exec(lite, sql, NULL, NULL, &message) ==
				  SQLITE_OK,
			      "%s: %s", sql, message ? message : "");
		return;
	}
#ifdef MIGC_TEST_POSTGRESQL
	exec_on(pg, sql);
#endif
}

static void close_database(void)
{
	if (lite != NULL) {
		migc_sqlite_release(&lite_context);
		sqlite3_close(lite);
		lite = NULL;
		test_remove_tree(dir);
		free(dir);
		return;
	}
#ifdef MIGC_TEST_POSTGRESQL
	exec_on(pg, "DROP SCHEMA IF EXISTS migc_progress CASCADE");
	PQfinish(pg);
	pg = NULL;
#endif
}

/* ---- the events, one token each ----
 * a revision's start  "U3/10 2c4e6a8b0d12:2" (number/count id:statements)
 * its end             "U3/10=0"               (=result)
 * a statement's start "s1/2", its end "s1/2=0" */

static char events[8192];

static void record(const migc_event *event, void *payload)
{
	size_t used = strlen(events);
	char *at = events + used;
	size_t room = sizeof events - used;
	char kind = event->kind == MIGC_EVENT_UPGRADE ? 'U' : 'D';

	(void)payload;
	ck_assert_ptr_eq(event->set, set);
	ck_assert_ptr_nonnull(event->revision);
	ck_assert_str_eq(event->id, event->revision->id);
	if (used > 0) {
		snprintf(at, room, " ");
		at++;
		room--;
	}
	switch (event->phase) {
	case MIGC_PHASE_REVISION:
		snprintf(at, room, "%c%u/%u %s:%u", kind,
			 (unsigned)event->number, (unsigned)event->count,
			 event->id, (unsigned)event->statement_count);
		break;
	case MIGC_PHASE_REVISION_DONE:
		snprintf(at, room, "%c%u/%u=%d", kind, (unsigned)event->number,
			 (unsigned)event->count, event->result);
		break;
	case MIGC_PHASE_STATEMENT:
		snprintf(at, room, "s%u/%u", (unsigned)event->statement,
			 (unsigned)event->statement_count);
		break;
	case MIGC_PHASE_STATEMENT_DONE:
		snprintf(at, room, "s%u/%u=%d", (unsigned)event->statement,
			 (unsigned)event->statement_count, event->result);
		break;
	default:
		ck_abort_msg("unknown phase %d", event->phase);
	}
}

/* Every event, for an upgrade or a downgrade to `target`. */
static int run(int downgrade, const char *target, unsigned wanted,
	       migc_error *error)
{
	migc_options options = MIGC_OPTIONS_INIT;

	options.progress = record;
	options.progress_events = wanted;
	events[0] = '\0';
	return downgrade ? migc_downgrade(set, &driver, target, &options, error)
			 : migc_upgrade(set, &driver, target, &options, error);
}

/* One revision of two statements that ran, in a plan of 10. */
#define TWO(kind, n, id)                                                       \
	kind #n "/10 " id ":2 s1/2 s1/2=0 s2/2 s2/2=0 " kind #n "/10=0 "

static const char upgrade_all[] = TWO("U", 1, "1a2b3c4d5e01")
    TWO("U", 2, "2c4e6a8b0d12") TWO("U", 3, "3e5a7c9b1d23")
	TWO("U", 4, "4f6b8d0c2e34") "U5/10 5a7c9e1d3f45:0 U5/10=0 " TWO(
	    "U", 6, "6b8d0f2e4a56") TWO("U", 7, "7c9e1a3f5b67")
	    TWO("U", 8, "7d0f2b4a6c78") TWO("U", 9, "8e1a3c5b7d89")
		TWO("U", 10, "9f2b4d6c8e9a");

/* A downgrade's revisions have one statement each. */
#define ONE(n, id) "D" #n "/10 " id ":1 s1/1 s1/1=0 D" #n "/10=0 "

static const char downgrade_all[] = ONE(1, "9f2b4d6c8e9a")
    ONE(2, "8e1a3c5b7d89") ONE(3, "7d0f2b4a6c78") ONE(4, "7c9e1a3f5b67")
	ONE(5, "6b8d0f2e4a56") "D6/10 5a7c9e1d3f45:0 D6/10=0 " ONE(
	    7, "4f6b8d0c2e34") ONE(8, "3e5a7c9b1d23") ONE(9, "2c4e6a8b0d12")
	    ONE(10, "1a2b3c4d5e01");

/* `events` is `expected` without its last space. */
static void assert_events(const char *expected)
{
	size_t length = strlen(expected);

	ck_assert_uint_gt(length, 0);
	ck_assert_int_eq(expected[length - 1], ' ');
	ck_assert_uint_eq(strlen(events), length - 1);
	ck_assert_msg(strncmp(events, expected, length - 1) == 0,
		      "events:\n%s\nexpected:\n%s", events, expected);
}

START_TEST(upgrade_of_a_branchy_set)
{
	migc_error error;

	open_database(backend);
	ck_assert_int_eq(run(0, "heads", MIGC_PROGRESS_ALL, &error), MIGC_OK);
	assert_events(upgrade_all);
	/* Nothing left: no event. */
	ck_assert_int_eq(run(0, "heads", MIGC_PROGRESS_ALL, &error), MIGC_OK);
	ck_assert_str_eq(events, "");
	close_database();
}
END_TEST

START_TEST(downgrade_of_a_branchy_set)
{
	migc_error error;

	open_database(backend);
	ck_assert_int_eq(migc_upgrade(set, &driver, "heads", NULL, &error),
			 MIGC_OK);
	ck_assert_int_eq(run(1, "base", MIGC_PROGRESS_ALL, &error), MIGC_OK);
	assert_events(downgrade_all);
	close_database();
}
END_TEST

/* Only the revisions' ends, without the statements. */
START_TEST(revision_ends_alone)
{
	migc_error error;

	open_database(backend);
	ck_assert_int_eq(
	    run(0, "2c4e6a8b0d12", MIGC_PROGRESS_REVISION_DONE, &error),
	    MIGC_OK);
	ck_assert_str_eq(events, "U1/2 1a2b3c4d5e01:2 U1/2=0 "
				 "U2/2 2c4e6a8b0d12:2 U2/2=0");
	close_database();
}
END_TEST

/* The statement that fails ends with the failure, so does its revision,
 * and nothing follows. */
START_TEST(failing_statement_ends_the_events)
{
	migc_error error;

	open_database(backend);
	raw("CREATE TABLE invoices (id INTEGER)");
	ck_assert_int_eq(run(0, "heads", MIGC_PROGRESS_ALL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_str_eq(error.revision, "3e5a7c9b1d23");
	assert_events(TWO("U", 1, "1a2b3c4d5e01") TWO(
	    "U", 2,
	    "2c4e6a8b0d12") "U3/10 3e5a7c9b1d23:2 s1/2 s1/2=-8 U3/10=-8 ");
	close_database();
}
END_TEST

/* A "transaction none" revision that stopped at its second statement
 * resumes there: the events start at statement 2. */
START_TEST(transaction_none_revision_resumed)
{
	migc_error error;

	open_database(backend);
	/* refunds_note, the index its second statement creates. */
	raw("CREATE TABLE refunds_note (id INTEGER)");
	ck_assert_int_eq(run(0, "6b8d0f2e4a56", MIGC_PROGRESS_ALL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_ptr_nonnull(strstr(events, "U6/6 6b8d0f2e4a56:2 s1/2 s1/2=0 "
					     "s2/2 s2/2=-8 U6/6=-8"));
	raw("DROP TABLE refunds_note");
	ck_assert_int_eq(run(0, "6b8d0f2e4a56", MIGC_PROGRESS_ALL, &error),
			 MIGC_OK);
	ck_assert_str_eq(events, "U1/1 6b8d0f2e4a56:2 s2/2 s2/2=0 U1/1=0");
	close_database();
}
END_TEST

/* A caller built against the first options (version 1, before
 * progress_events existed) gets each revision's start only, as before;
 * so does one of version 2 that asks for nothing more. */
START_TEST(first_options_version_gets_the_starts_only)
{
	migc_options options = MIGC_OPTIONS_INIT;
	migc_error error;

	open_database(backend);
	options.version = 1;
	options.progress = record;
	/* Beyond a version-1 struct: never read. */
	options.progress_events = MIGC_PROGRESS_ALL;
	events[0] = '\0';
	ck_assert_int_eq(
	    migc_upgrade(set, &driver, "2c4e6a8b0d12", &options, &error),
	    MIGC_OK);
	ck_assert_str_eq(events, "U1/2 1a2b3c4d5e01:2 U2/2 2c4e6a8b0d12:2");
	ck_assert_int_eq(run(1, "base", 0, &error), MIGC_OK);
	ck_assert_str_eq(events, "D1/2 2c4e6a8b0d12:1 D2/2 1a2b3c4d5e01:1");
	options.version = 3;
	ck_assert_int_eq(migc_upgrade(set, &driver, NULL, &options, &error),
			 MIGC_EINVAL);
	close_database();
}
END_TEST

static void on_sqlite(void)
{
	backend = 0;
}

/* The README's example (tests/CMakeLists.txt cuts it out): its lines. */
#include "readme_progress.c"

START_TEST(readme_example_prints_counts_and_durations)
{
	migc_error error;
	FILE *out = tmpfile();
	char text[8192];
	size_t length;

	ck_assert_ptr_nonnull(out);
	open_database(backend);
	raw("CREATE TABLE audit_shipments (id INTEGER)");
	ck_assert_int_eq(upgrade_with_progress(set, &driver, out, &error),
			 MIGC_ESTATEMENT);
	rewind(out);
	length = fread(text, 1, sizeof text - 1, out);
	text[length] = '\0';
	fclose(out);
	ck_assert_msg(strstr(text, "upgrade 1a2b3c4d5e01: revision 1 of 10\n"
				   "  statement 1 of 2: ok (") == text,
		      "%s", text);
	ck_assert_ptr_nonnull(strstr(text,
				     "upgrade 5a7c9e1d3f45: revision 5 "
				     "of 10\nupgrade 5a7c9e1d3f45: ok ("));
	ck_assert_ptr_nonnull(
	    strstr(text, "upgrade 9f2b4d6c8e9a: revision 10 of 10\n"
			 "  statement 1 of 2: migration statement failed ("));
	ck_assert_ptr_nonnull(strstr(text, " ms)\nupgrade 9f2b4d6c8e9a: "
					   "migration statement failed ("));
	ck_assert_str_eq(text + length - 5, " ms)\n");
	close_database();
}
END_TEST

#include MIGC_FILE_TESTS

#ifdef MIGC_TEST_POSTGRESQL
static void on_postgresql(void)
{
	backend = 1;
}
#endif

MIGC_TEST_SUITE_OF_CASES("progress",
			 MIGC_CASE("sqlite", on_sqlite, NULL, 60,
				   MIGC_SERVER_NONE, migc_file_tests),
			 MIGC_POSTGRESQL_CASE("postgresql", on_postgresql, NULL,
					      60, MIGC_SERVER_REQUIRED,
					      migc_file_tests));
