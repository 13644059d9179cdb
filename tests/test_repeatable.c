/* test_repeatable.c: repeatable revisions (issue 18), as a program drives
 * them through migc_upgrade and migc_downgrade against a real SQLite file
 * and the real PostgreSQL server. The sets come from tests/data/repeatable
 * through migc_add_migrations: v1 has two revisions (items, then its qty
 * column) and two repeatable views, a_report depending on z_totals (which
 * reads qty); v2 changes z_totals; v3 adds a revision and a repeatable
 * that fails at its second statement. Every scenario runs on both
 * databases. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "counting_driver.h"
#include "migc.h"
#include "migc_sqlite.h"
#include "repeat_v1_sqlite.h"
#include "repeat_v2_sqlite.h"
#include "repeat_v3_sqlite.h"
#include "test_util.h"

#ifdef MIGC_TEST_POSTGRESQL
#include "migc_postgresql.h"
#include "repeat_v1_pg.h"
#include "repeat_v2_pg.h"
#include "repeat_v3_pg.h"
#include <libpq-fe.h>
#endif

/* One database kind: its sets and how the test reaches it. */
typedef struct backend {
	const migc_set *v1, *v2, *v3;
	/* A driver over the test's connection, released by release(). */
	int (*driver)(migc_driver *out, migc_error *error);
	void (*release)(void);
	/* The first column of every row, joined with ","; "ERROR" when the
	 * query fails. */
	const char *(*query)(const char *sql);
} backend;

/* The progress events of the last run(), as "U:id", "D:id", "R:name",
 * "RU:name" joined by ",". */
static char events[1024];

static void on_event(const migc_event *event, void *payload)
{
	static const char *const kinds[] = {"?", "U", "D", "R", "RU"};
	size_t used = strlen(events);

	(void)payload;
	snprintf(
	    events + used, sizeof events - used, "%s%s:%s", used > 0 ? "," : "",
	    event->kind >= 1 && event->kind <= 4 ? kinds[event->kind] : "?",
	    event->id);
}

enum operation { UPGRADE, DOWNGRADE, STAMP };

/* Runs one operation through the counting driver. */
static int run(const backend *b, counting *c, const migc_set *set,
	       enum operation operation, const char *target, migc_error *error)
{
	migc_options options = MIGC_OPTIONS_INIT;
	migc_driver driver;
	int rc;

	memset(c, 0, sizeof *c);
	events[0] = '\0';
	ck_assert_int_eq(b->driver(&c->real, error), MIGC_OK);
	counting_driver(&driver, c);
	options.progress = on_event;
	if (operation == STAMP)
		rc = migc_stamp(set, &driver, target, 0, &options, error);
	else if (operation == UPGRADE)
		rc = migc_upgrade(set, &driver, target, &options, error);
	else
		rc = migc_downgrade(set, &driver, target, &options, error);
	b->release();
	return rc;
}

static void upgrade_ok(const backend *b, const migc_set *set, counting *c)
{
	migc_error error;

	ck_assert_msg(run(b, c, set, UPGRADE, NULL, &error) == MIGC_OK, "%s",
		      error.message);
}

static const char *recorded_checksum(const backend *b, const char *key)
{
	char sql[256];

	snprintf(sql, sizeof sql,
		 "SELECT checksum FROM migc_version_history WHERE "
		 "version_num = '%s'",
		 key);
	return b->query(sql);
}

static const char *hex(uint64_t value)
{
	static char text[17];

	snprintf(text, sizeof text, "%016llx", (unsigned long long)value);
	return text;
}

static const char *repeatable_rows(const backend *b)
{
	return b->query("SELECT version_num FROM migc_version_history WHERE "
			"version_num LIKE 'R:%' ORDER BY version_num");
}

/* ---- the scenarios ---- */

/* After the revisions, dependencies first (a_report sorts first by name
 * but reads z_totals), each recorded with its checksum. */
static void applies_after_revisions_in_dependency_order(const backend *b)
{
	counting c;

	upgrade_ok(b, b->v1, &c);
	ck_assert_str_eq(events, "U:ae0000000001,U:ae0000000002,"
				 "R:z_totals,R:a_report");
	ck_assert_str_eq(repeatable_rows(b), "R:a_report,R:z_totals");
	ck_assert_str_eq(recorded_checksum(b, "R:z_totals"),
			 hex(b->v1->repeatables[0].checksum));
	ck_assert_str_eq(b->v1->repeatables[0].name, "z_totals");
	b->query("INSERT INTO items (id, name, price, qty) VALUES "
		 "(1, 'pen', 3, 2)");
	ck_assert_str_eq(b->query("SELECT value FROM a_report"), "6");
}

/* Unchanged, the boot stays one read: no lock, no transaction. */
static void unchanged_boot_is_one_read(const backend *b)
{
	counting c;

	upgrade_ok(b, b->v1, &c);
	upgrade_ok(b, b->v1, &c);
	ck_assert_uint_eq(c.reads, 1);
	ck_assert_uint_eq(c.locks, 0);
	ck_assert_uint_eq(c.begins, 0);
	ck_assert_str_eq(events, "");
}

/* A changed repeatable is not skipped at boot: applied once, its new
 * checksum recorded, and the next boot is one read again. */
static void changed_is_applied_once_and_recorded(const backend *b)
{
	counting c;

	upgrade_ok(b, b->v1, &c);
	upgrade_ok(b, b->v2, &c);
	ck_assert_str_eq(events, "R:z_totals");
	ck_assert_str_eq(recorded_checksum(b, "R:z_totals"),
			 hex(b->v2->repeatables[0].checksum));
	ck_assert(b->v1->repeatables[0].checksum !=
		  b->v2->repeatables[0].checksum);
	b->query("INSERT INTO items (id, name, price, qty) VALUES "
		 "(1, 'pen', 3, 2)");
	ck_assert_str_eq(b->query("SELECT name FROM z_totals"), "pen");
	upgrade_ok(b, b->v2, &c);
	ck_assert_str_eq(events, "");
	ck_assert_uint_eq(c.reads, 1);
	ck_assert_uint_eq(c.begins, 0);
}

/* A repeatable that fails rolls back its own step only: the revision
 * before it stays applied, nothing of it stays, and it is tried again. */
static void failing_rolls_back_its_step(const backend *b)
{
	counting c;
	migc_error error;

	upgrade_ok(b, b->v1, &c);
	ck_assert_int_eq(run(b, &c, b->v3, UPGRADE, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_str_eq(events, "U:ae0000000003,R:broken");
	ck_assert_str_eq(error.revision, "R:broken");
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_str_eq(error.source_file, "R__broken.sql");
	ck_assert_uint_eq(error.line, 6);
	ck_assert_msg(strstr(error.message,
			     "Repeatable revision broken failed "
			     "at statement 2 (R__broken.sql:6)") != NULL,
		      "%s", error.message);
	ck_assert_str_eq(b->query("SELECT version_num FROM migc_version"),
			 "ae0000000003");
	ck_assert_str_eq(repeatable_rows(b), "R:a_report,R:z_totals");
	ck_assert_str_eq(b->query("SELECT count(*) FROM broken"), "ERROR");
	ck_assert_int_eq(run(b, &c, b->v3, UPGRADE, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_str_eq(events, "R:broken");
}

/* A downgrade that steps back any revision first undoes the repeatables
 * (dependents first) with their stored downgrades, so that z_totals does
 * not hold on to the qty column the step back drops; the next upgrade
 * applies them again. */
static void downgrade_undoes_them_first(const backend *b)
{
	counting c;
	migc_error error;

	upgrade_ok(b, b->v1, &c);
	ck_assert_msg(run(b, &c, b->v1, DOWNGRADE, "ae0000000001", &error) ==
			  MIGC_OK,
		      "%s", error.message);
	ck_assert_str_eq(events, "RU:a_report,RU:z_totals,D:ae0000000002");
	ck_assert_str_eq(repeatable_rows(b), "");
	ck_assert_str_eq(b->query("SELECT count(*) FROM z_totals"), "ERROR");
	ck_assert_str_eq(b->query("SELECT count(*) FROM items"), "0");
	upgrade_ok(b, b->v1, &c);
	ck_assert_str_eq(events, "U:ae0000000002,R:z_totals,R:a_report");
}

/* The downgrade stored with the applied definition undoes it, also after
 * the build changed it; a downgrade with nothing to step back leaves the
 * repeatables alone. */
static void downgrade_uses_the_stored_definition(const backend *b)
{
	counting c;
	migc_error error;

	upgrade_ok(b, b->v1, &c);
	ck_assert_int_eq(run(b, &c, b->v2, DOWNGRADE, "ae0000000002", &error),
			 MIGC_OK);
	ck_assert_str_eq(events, "");
	ck_assert_str_eq(repeatable_rows(b), "R:a_report,R:z_totals");
	ck_assert_int_eq(run(b, &c, b->v2, DOWNGRADE, "base", &error), MIGC_OK);
	ck_assert_str_eq(events, "RU:a_report,RU:z_totals,D:ae0000000002,"
				 "D:ae0000000001");
	ck_assert_str_eq(repeatable_rows(b), "");
}

/* A database adopted with stamp (its tables made elsewhere) has none of
 * them applied: the stamp leaves no digest that would let the next boot
 * pass over them, and that upgrade applies them. */
static void stamp_leaves_them_to_the_next_upgrade(const backend *b)
{
	counting c;
	migc_error error;

	ck_assert_str_ne(b->query("CREATE TABLE items (id INTEGER PRIMARY "
				  "KEY, name TEXT NOT NULL, price INTEGER "
				  "NOT NULL, qty INTEGER NOT NULL DEFAULT 0)"),
			 "ERROR");
	ck_assert_msg(run(b, &c, b->v1, STAMP, "head", &error) == MIGC_OK, "%s",
		      error.message);
	ck_assert_str_eq(repeatable_rows(b), "");
	upgrade_ok(b, b->v1, &c);
	ck_assert_str_eq(events, "R:z_totals,R:a_report");
	ck_assert_str_eq(repeatable_rows(b), "R:a_report,R:z_totals");
}

/* ---- SQLite ---- */

static char *dir;
static char path[4200];
static sqlite3 *db;
static migc_sqlite sqlite_context;
static char result[2048];

/* Appends a value (NULL: "NULL") to what query() returns. */
static void result_add(int comma, const char *value)
{
	size_t used = strlen(result);

	snprintf(result + used, sizeof result - used, "%s%s", comma ? "," : "",
		 value != NULL ? value : "NULL");
}

static void sqlite_setup(void)
{
	dir = test_tempdir();
	snprintf(path, sizeof path, "%s/repeatable.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
}

static void sqlite_teardown(void)
{
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	test_remove_tree(dir);
	free(dir);
}

static int sqlite_driver(migc_driver *out, migc_error *error)
{
	return migc_sqlite_driver(out, &sqlite_context, db, 0, error);
}

static void sqlite_release(void)
{
	migc_sqlite_release(&sqlite_context);
}

static const char *sqlite_query(const char *sql)
{
	sqlite3_stmt *statement;
	int rc;

	result[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
		return strcpy(result, "ERROR");
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
		result_add(result[0] != '\0',
			   (const char *)sqlite3_column_text(statement, 0));
	sqlite3_finalize(statement);
	return rc == SQLITE_DONE ? result : strcpy(result, "ERROR");
}

static const backend sqlite_backend = {&repeat_v1_sqlite, &repeat_v2_sqlite,
				       &repeat_v3_sqlite, sqlite_driver,
				       sqlite_release,	  sqlite_query};

#define ON_BOTH(scenario)                                                      \
	START_TEST(sqlite_##scenario)                                          \
	{                                                                      \
		scenario(&sqlite_backend);                                     \
	}                                                                      \
	END_TEST                                                               \
	PG_TEST(scenario)

/* ---- PostgreSQL ---- */
#ifdef MIGC_TEST_POSTGRESQL
static PGconn *pg;
static migc_postgresql pg_context;

static const char *pg_query(const char *sql)
{
	PGresult *r = PQexec(pg, sql);
	int i;

	result[0] = '\0';
	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK) {
		PQclear(r);
		return strcpy(result, "ERROR");
	}
	for (i = 0; i < PQntuples(r); i++)
		result_add(i > 0,
			   PQgetisnull(r, i, 0) ? NULL : PQgetvalue(r, i, 0));
	PQclear(r);
	return result;
}

static void pg_setup(void)
{
	pg = PQconnectdb("");
	ck_assert_msg(PQstatus(pg) == CONNECTION_OK, "connect: %s",
		      PQerrorMessage(pg));
	pg_query("SET client_min_messages = warning");
	pg_query("DROP SCHEMA IF EXISTS migc_repeatable CASCADE");
	ck_assert_str_ne(pg_query("CREATE SCHEMA migc_repeatable"), "ERROR");
	pg_query("SET search_path = migc_repeatable");
}

static void pg_teardown(void)
{
	pg_query("DROP SCHEMA IF EXISTS migc_repeatable CASCADE");
	PQfinish(pg);
}

static int pg_driver(migc_driver *out, migc_error *error)
{
	return migc_postgresql_driver(out, &pg_context, pg, 0, error);
}

static void pg_release(void)
{
}

static const backend pg_backend = {&repeat_v1_pg, &repeat_v2_pg, &repeat_v3_pg,
				   pg_driver,	  pg_release,	 pg_query};

#define PG_TEST(scenario)                                                      \
	START_TEST(pg_##scenario)                                              \
	{                                                                      \
		scenario(&pg_backend);                                         \
	}                                                                      \
	END_TEST
#else
#define PG_TEST(scenario)
#endif

ON_BOTH(applies_after_revisions_in_dependency_order)
ON_BOTH(unchanged_boot_is_one_read)
ON_BOTH(changed_is_applied_once_and_recorded)
ON_BOTH(failing_rolls_back_its_step)
ON_BOTH(downgrade_undoes_them_first)
ON_BOTH(downgrade_uses_the_stored_definition)
ON_BOTH(stamp_leaves_them_to_the_next_upgrade)

#define SCENARIOS(prefix)                                                      \
	MIGC_TEST(prefix##applies_after_revisions_in_dependency_order),        \
	    MIGC_TEST(prefix##unchanged_boot_is_one_read),                     \
	    MIGC_TEST(prefix##changed_is_applied_once_and_recorded),           \
	    MIGC_TEST(prefix##failing_rolls_back_its_step),                    \
	    MIGC_TEST(prefix##downgrade_undoes_them_first),                    \
	    MIGC_TEST(prefix##downgrade_uses_the_stored_definition),           \
	    MIGC_TEST(prefix##stamp_leaves_them_to_the_next_upgrade)

static const struct migc_test sqlite_tests[] = {SCENARIOS(sqlite_)};
#ifdef MIGC_TEST_POSTGRESQL
static const struct migc_test pg_tests[] = {SCENARIOS(pg_)};
#endif

MIGC_TEST_SUITE_OF_CASES("repeatable",
			 MIGC_CASE("sqlite", sqlite_setup, sqlite_teardown, 0,
				   MIGC_SERVER_NONE, sqlite_tests),
			 MIGC_POSTGRESQL_CASE("postgresql", pg_setup,
					      pg_teardown, 60,
					      MIGC_SERVER_REQUIRED, pg_tests));
