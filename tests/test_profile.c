/* test_profile.c: the upgrade-only core (MIGC_PROFILE_UPGRADE_ONLY, the
 * firmware profile; issue 12), built for the host from the same sources
 * as the image's (runtime/CMakeLists.txt, MIGC_UPGRADE_ONLY_SOURCES) and
 * driven through the SQLite driver against real files with the branchy
 * set (three heads, a merge, a depends_on edge, a "transaction none"
 * revision): it upgrades to the heads and writes what the full core
 * writes, boots with nothing pending in one read, resumes a "transaction
 * none" revision cut off partway, and refuses, with a code and a message
 * and without touching the database, what it leaves out and a database
 * at a revision the set lacks. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "branchy_sqlite.h"
#include "migc.h"
#include "migc_sqlite.h"
#include "sqlite_query.h"
#include "test_util.h"

#ifndef MIGC_PROFILE_UPGRADE_ONLY
#error "test_profile.c is built against the upgrade-only core"
#endif

static const migc_set *const set = &branchy_sqlite;

/* The statements the database ran, counted by its trace hook, and
 * whether one began a transaction. */
static unsigned statements, begins;

static int on_statement(unsigned kind, void *payload, void *p, void *x)
{
	const char *sql = x;

	(void)kind, (void)payload, (void)p;
	statements++;
	begins += strncmp(sql, "BEGIN", 5) == 0;
	return 0;
}

static char *dir;
static char path[4200];
static char lock_path[4300];
static sqlite3 *db;
static migc_sqlite context;
static migc_driver driver;

static void setup(void)
{
	migc_error error;

	dir = test_tempdir();
	snprintf(path, sizeof path, "%s/profile.db", dir);
	snprintf(lock_path, sizeof lock_path, "%s-migc-lock", path);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(migc_sqlite_driver(&driver, &context, db, 0, &error) ==
			  MIGC_OK,
		      "%s", error.message);
	sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_statement, NULL);
}

static void teardown(void)
{
	migc_sqlite_release(&context);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	unlink(lock_path);
	unlink(path);
	rmdir(dir);
	free(dir);
}

static void reset_counts(void)
{
	statements = begins = 0;
}

/* Holds the SQLite driver's lock file as another runner would: an
 * operation that took the lock would wait for it and fail. */
static int hold_lock(void)
{
	int fd = open(lock_path, O_RDWR | O_CREAT, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	return fd;
}

static int scalar(const char *sql)
{
	return atoi(query(db, sql));
}

/* The set's heads, joined by "," (heads are in id order). */
static void heads(char *out, size_t capacity)
{
	uint32_t i;

	out[0] = '\0';
	for (i = 0; i < set->head_count; i++) {
		if (i > 0)
			strncat(out, ",", capacity - strlen(out) - 1);
		strncat(out, set->revisions[set->heads[i]].id,
			capacity - strlen(out) - 1);
	}
}

static void upgrade_ok(const char *target)
{
	migc_error error;

	ck_assert_msg(migc_upgrade(set, &driver, target, NULL, &error) ==
			  MIGC_OK,
		      "%s", error.message);
	ck_assert_int_eq(error.code, MIGC_OK);
}

static void assert_at_heads(void)
{
	char want[512];

	heads(want, sizeof want);
	ck_assert_str_eq(
	    query(db, "SELECT version_num FROM migc_version ORDER BY 1"), want);
	ck_assert_int_eq(scalar("SELECT count(*) FROM migc_version WHERE "
				"set_digest IS NOT NULL"),
			 (int)set->head_count);
	ck_assert_int_eq(scalar("SELECT count(*) FROM migc_version_history"),
			 (int)set->revision_count);
	ck_assert_int_eq(scalar("SELECT count(*) FROM refunds"), 0);
}

START_TEST(branchy_set_upgrades_to_heads)
{
	migc_error error;

	ck_assert_uint_ge(set->head_count, 2);
	/* "head" needs one head, as in the full core. */
	ck_assert_int_eq(migc_upgrade(set, &driver, "head", NULL, &error),
			 MIGC_EMULTIPLEHEADS);
	ck_assert_int_eq(migc_upgrade(set, &driver, NULL, NULL, &error),
			 MIGC_EMULTIPLEHEADS);
	ck_assert_int_eq(scalar("SELECT count(*) FROM sqlite_master"), 0);
	upgrade_ok("heads");
	assert_at_heads();
	/* Every history row complete, with the parents the full core
	 * records: the merge's two, the dependency after the parent. */
	ck_assert_int_eq(scalar("SELECT count(*) FROM migc_version_history "
				"WHERE downgrade_done <> 0"),
			 0);
	ck_assert_int_eq(
	    scalar("SELECT count(*) FROM migc_version_history WHERE "
		   "version_num = '5a7c9e1d3f45' AND parents = "
		   "'3e5a7c9b1d23,4f6b8d0c2e34'"),
	    1);
	ck_assert_int_eq(
	    scalar("SELECT count(*) FROM migc_version_history WHERE "
		   "version_num = '9f2b4d6c8e9a' AND parents = "
		   "'8e1a3c5b7d89,4f6b8d0c2e34'"),
	    1);
}
END_TEST

START_TEST(boot_with_nothing_pending_is_one_read)
{
	int changes;
	int held;

	upgrade_ok("heads");
	reset_counts();
	changes = sqlite3_total_changes(db);
	held = hold_lock();
	upgrade_ok("heads");
	close(held);
	/* One statement, the read; no transaction, no lock, no write. */
	ck_assert_uint_eq(statements, 1);
	ck_assert_uint_eq(begins, 0);
	ck_assert_int_eq(sqlite3_total_changes(db), changes);
	assert_at_heads();
}
END_TEST

/* What the profile leaves out answers MIGC_ENOTBUILT, names the build,
 * and writes nothing (not even the tables). */
static void assert_not_built(int rc, const migc_error *error)
{
	ck_assert_int_eq(rc, MIGC_ENOTBUILT);
	ck_assert_int_eq(error->code, MIGC_ENOTBUILT);
	ck_assert_msg(strstr(error->message, "MIGC_PROFILE_UPGRADE_ONLY") !=
			  NULL,
		      "%s", error->message);
}

START_TEST(what_the_profile_leaves_out_is_refused)
{
	static const char *const targets[] = {"base", "-1", "+1",
					      "1a2b3c4d5e01", "audit@head"};
	static const migc_repeatable repeatable;
	migc_set with_repeatable = *set;
	migc_options options = MIGC_OPTIONS_INIT;
	const migc_revision *found = set->revisions;
	migc_version_row row;
	size_t count = 7;
	size_t i;
	migc_error error;

	ck_assert_str_eq(migc_result_text(MIGC_ENOTBUILT), "not in this build");
	for (i = 0; i < sizeof targets / sizeof targets[0]; i++)
		assert_not_built(
		    migc_upgrade(set, &driver, targets[i], NULL, &error),
		    &error);
	/* A set with repeatable revisions: not run without them. */
	with_repeatable.repeatables = &repeatable;
	with_repeatable.repeatable_count = 1;
	assert_not_built(
	    migc_upgrade(&with_repeatable, &driver, "heads", NULL, &error),
	    &error);
	options.accept_changed_checksums = 1;
	assert_not_built(migc_upgrade(set, &driver, "heads", &options, &error),
			 &error);
	assert_not_built(migc_downgrade(set, &driver, "base", NULL, &error),
			 &error);
	assert_not_built(migc_stamp(set, &driver, "heads", 0, NULL, &error),
			 &error);
	assert_not_built(
	    migc_version_rows(&row, 1, &count, set, &driver, NULL, &error),
	    &error);
	assert_not_built(migc_revision_find(&found, set, "1a2b", &error),
			 &error);
	assert_not_built(
	    migc_plan_steps(NULL, set, NULL, "heads", 0, NULL, NULL, &error),
	    &error);
	ck_assert_int_eq(scalar("SELECT count(*) FROM sqlite_master"), 0);
	ck_assert_int_eq(sqlite3_total_changes(db), 0);
	ck_assert_uint_eq(begins, 0);
}
END_TEST

START_TEST(a_database_at_an_unknown_revision_is_refused)
{
	migc_error error;
	int changes;

	upgrade_ok("heads");
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO migc_version (version_num) "
				      "VALUES ('0badc0ffee00')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	changes = sqlite3_total_changes(db);
	reset_counts();
	ck_assert_int_eq(migc_upgrade(set, &driver, "heads", NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	ck_assert_str_eq(error.revision, "0badc0ffee00");
	ck_assert_msg(strstr(error.message, "0badc0ffee00") != NULL, "%s",
		      error.message);
	ck_assert_int_eq(sqlite3_total_changes(db), changes);
}
END_TEST

START_TEST(a_transaction_none_revision_cut_off_resumes)
{
	const migc_revision *refunds = NULL;
	migc_error error;
	uint32_t i;

	for (i = 0; i < set->revision_count; i++)
		if (strcmp(set->revisions[i].id, "6b8d0f2e4a56") == 0)
			refunds = &set->revisions[i];
	ck_assert_ptr_nonnull(refunds);
	ck_assert(refunds->flags & MIGC_REVISION_NO_TRANSACTION);
	ck_assert_uint_eq(refunds->upgrade_count, 2);
	/* Its second statement, CREATE INDEX refunds_note, fails on a table
	 * of that name: the first stays applied and recorded. */
	ck_assert_int_eq(
	    sqlite3_exec(db, "CREATE TABLE refunds_note (x)", NULL, NULL, NULL),
	    SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(set, &driver, "heads", NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_str_eq(error.revision, "6b8d0f2e4a56");
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_int_eq(scalar("SELECT statements_done FROM "
				"migc_version_history WHERE version_num = "
				"'6b8d0f2e4a56'"),
			 1);
	ck_assert_int_eq(scalar("SELECT count(*) FROM migc_version WHERE "
				"set_digest IS NOT NULL"),
			 0);
	/* Once the cause is gone the next boot runs the second statement
	 * only (the first would fail: refunds exists), then the rest. */
	ck_assert_int_eq(
	    sqlite3_exec(db, "DROP TABLE refunds_note", NULL, NULL, NULL),
	    SQLITE_OK);
	upgrade_ok("heads");
	assert_at_heads();
	ck_assert_int_eq(scalar("SELECT count(*) FROM sqlite_master WHERE "
				"name = 'refunds_note' AND type = 'index'"),
			 1);
}
END_TEST

START_TEST(an_edited_revision_is_refused)
{
	migc_error error;

	upgrade_ok("heads");
	ck_assert_int_eq(sqlite3_exec(db,
				      "UPDATE migc_version_history SET "
				      "checksum = '0000000000000001' WHERE "
				      "version_num = '2c4e6a8b0d12';"
				      "UPDATE migc_version SET set_digest = "
				      "NULL",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(migc_upgrade(set, &driver, "heads", NULL, &error),
			 MIGC_ECHECKSUM);
	ck_assert_str_eq(error.revision, "2c4e6a8b0d12");
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("profile", setup, teardown, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
