/* test_plan.c: the planner and executor (migc_upgrade, migc_downgrade,
 * migc_current, migc_revision_find) on hand-written sets, through the real
 * SQLite driver on an in-memory database. */
#include "check_main.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "migc.h"
#include "migc_sqlite.h"
#include "sqlite_query.h"

#include "hand_set.h"
#define REV(id, message, name, parents, parent_count)                          \
	{ id,                                                                  \
	  message,                                                             \
	  id "_" #name ".sql",                                                 \
	  "2026-01-01 00:00:00",                                               \
	  parents,                                                             \
	  parent_count,                                                        \
	  NULL,                                                                \
	  0,                                                                   \
	  NULL,                                                                \
	  0,                                                                   \
	  name##_up,                                                           \
	  COUNT(name##_up),                                                    \
	  name##_down,                                                         \
	  COUNT(name##_down),                                                  \
	  0,                                                                   \
	  0 }

static const uint32_t parent0[] = { 0 };
static const uint32_t parent1[] = { 1 };
static const uint32_t parent2[] = { 2 };
static const uint32_t parent3[] = { 3 };
static const uint32_t parent4[] = { 4 };
static const uint32_t merge23[] = { 2, 3 };

/* ---- a linear chain of five ---- */
TABLE_STEPS(one, "t_1");
TABLE_STEPS(two, "t_2");
TABLE_STEPS(three, "t_3");
TABLE_STEPS(four, "t_4");
TABLE_STEPS(five, "t_5");
static const migc_revision linear_revisions[] = {
	REV("1111aaaa", "one", one, NULL, 0),
	REV("1122bbbb", "two", two, parent0, 1),
	REV("2233cccc", "three", three, parent1, 1),
	REV("3344dddd", "four", four, parent2, 1),
	REV("4455eeee", "five", five, parent3, 1),
};
static const uint32_t linear_heads[] = { 4 };
static const migc_set linear = { MIGC_ABI_VERSION, "linear", "sqlite",
				 linear_revisions, 5, linear_heads, 1, NULL, 0, NULL, NULL, 0 };

/* ---- a branch point and a merge ---- */
TABLE_STEPS(root, "t_root");
TABLE_STEPS(fork, "t_fork");
TABLE_STEPS(left, "t_left");
TABLE_STEPS(right, "t_right");
TABLE_STEPS(merge, "t_merge");
static const migc_revision branchy_revisions[] = {
	REV("1975ea83b712", "root", root, NULL, 0),
	REV("ae1027a6acf", "fork", fork, parent0, 1),
	REV("27c6a30d7c24", "left", left, parent1, 1),
	REV("3cac04ae8714", "right", right, parent1, 1),
	REV("55aa11bb22cc", "merge", merge, merge23, 2),
};
static const uint32_t merged_heads[] = { 4 };
static const migc_set merged = { MIGC_ABI_VERSION, "merged", "sqlite",
				 branchy_revisions, 5, merged_heads, 1, NULL, 0, NULL, NULL, 0 };
/* The same graph before the merge: two heads. */
static const uint32_t two_heads[] = { 2, 3 };
static const migc_set forked = { MIGC_ABI_VERSION, "forked", "sqlite",
				 branchy_revisions, 4, two_heads, 2, NULL, 0, NULL, NULL, 0 };

/* The merged graph with its id order, as the generator writes it
 * (migc_set.by_id): 1975ea83b712, 27c6a30d7c24, 3cac04ae8714,
 * 55aa11bb22cc, ae1027a6acf. */
static const uint32_t merged_by_id[] = { 0, 2, 3, 4, 1 };
static const migc_set merged_sorted = { MIGC_ABI_VERSION, "merged", "sqlite",
					branchy_revisions, 5, merged_heads, 1,
					merged_by_id, 0, NULL, NULL, 0 };
static const uint32_t broken_by_id[] = { 0, 2, 5, 4, 1 };
static const migc_set broken_order = { MIGC_ABI_VERSION, "broken", "sqlite",
				       branchy_revisions, 5, merged_heads, 1,
				       broken_by_id, 0, NULL, NULL, 0 };

/* ---- fixture: an in-memory database and its driver ---- */
static sqlite3 *db;
static migc_sqlite sqlite_state;
static migc_driver driver;
static migc_error error;
static char events[1024];
static migc_options options = MIGC_OPTIONS_INIT;

static void record(const migc_event *event, void *payload)
{
	size_t used = strlen(events);

	(void)payload;
	snprintf(events + used, sizeof events - used, "%s%c:%s",
		 used > 0 ? " " : "",
		 event->kind == MIGC_EVENT_UPGRADE ? 'U' : 'D',
		 event->revision->id);
}

static void setup(void)
{
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(migc_sqlite_driver(&driver, &sqlite_state, db, 0,
					    &error),
			 MIGC_OK);
	options.progress = record;
	events[0] = '\0';
	memset(&error, 0, sizeof error);
}

static void teardown(void)
{
	sqlite3_close(db);
}

static const char *rows(void)
{
	return query(db, "SELECT version_num FROM migc_version "
			 "ORDER BY version_num");
}

static const char *tables(void)
{
	return query(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
			 "AND name LIKE 't\\_%' ESCAPE '\\' ORDER BY name");
}

static int up(const migc_set *set, const char *target)
{
	events[0] = '\0';
	return migc_upgrade(set, &driver, target, &options, &error);
}

static int down(const migc_set *set, const char *target)
{
	events[0] = '\0';
	return migc_downgrade(set, &driver, target, &options, &error);
}

/* One call of a table-driven test and what it must leave; a NULL field is
 * not checked. */
struct step {
	int (*call)(const migc_set *set, const char *target); /* up or down */
	const char *target;
	int result;
	const char *revision;	/* error.revision */
	const char *message[2]; /* parts of error.message */
	const char *events;	/* the progress events, as record() writes */
	const char *rows;	/* the version rows, as rows() reads */
	const char *tables;	/* the t_ tables, as tables() reads */
};

static void expect_text(const char *name, size_t number, const char *what,
			const char *seen, const char *wanted)
{
	ck_assert_msg(strcmp(seen, wanted) == 0,
		      "%s, step %zu: %s \"%s\", not \"%s\"", name, number, what,
		      seen, wanted);
}

/* Runs the steps of test `name` on `set` in order, each checked before the
 * next. */
static void run_steps(const char *name, const migc_set *set,
		      const struct step *steps, size_t count)
{
	size_t i;
	size_t k;

	for (i = 0; i < count; i++) {
		const struct step *step = &steps[i];
		int rc = step->call(set, step->target);

		ck_assert_msg(
		    rc == step->result, "%s, step %zu (%s): result %d, not %d",
		    name, i + 1, step->target != NULL ? step->target : "NULL",
		    rc, step->result);
		if (step->revision != NULL)
			expect_text(name, i + 1, "error.revision",
				    error.revision, step->revision);
		for (k = 0; k < 2 && step->message[k] != NULL; k++)
			ck_assert_msg(
			    strstr(error.message, step->message[k]) != NULL,
			    "%s, step %zu: \"%s\" not in \"%s\"", name, i + 1,
			    step->message[k], error.message);
		if (step->events != NULL)
			expect_text(name, i + 1, "events", events,
				    step->events);
		if (step->rows != NULL)
			expect_text(name, i + 1, "rows", rows(), step->rows);
		if (step->tables != NULL)
			expect_text(name, i + 1, "tables", tables(),
				    step->tables);
	}
}

/* ---- basics ---- */

START_TEST(result_texts_and_version)
{
	ck_assert_str_eq(migc_result_text(MIGC_OK), "ok");
	ck_assert_str_eq(migc_result_text(MIGC_EAMBIGUOUS),
			 "ambiguous revision prefix");
	ck_assert_str_eq(migc_result_text(MIGC_ELOCK),
			 "migration lock not acquired");
	ck_assert_str_eq(migc_result_text(-999), "unknown result code");
	ck_assert_str_eq(migc_version(), MIGC_VERSION_STRING);
}
END_TEST

/* Issue 12: the version rows and the history are checked through the
 * set's id order (binary search); the edited revision reported is the first
 * in the set, whatever order the history table gives its rows in. */
START_TEST(checksums_through_the_id_order)
{
	const migc_revision *current[2];
	const migc_revision *found = NULL;
	size_t count = 0;

	ck_assert_int_eq(up(&merged_sorted, "heads"), MIGC_OK);
	ck_assert_str_eq(rows(), "55aa11bb22cc");
	ck_assert_int_eq(migc_current(current, 2, &count, &merged_sorted,
				      &driver, NULL, &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_ptr_eq(current[0], &branchy_revisions[4]);
	ck_assert_int_eq(migc_revision_find(&found, &merged_sorted, "ae1027",
					    &error),
			 MIGC_OK);
	ck_assert_ptr_eq(found, &branchy_revisions[1]);
	/* Edited after they were applied, the later one first by id. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "UPDATE migc_version_history SET checksum "
				      "= '0000000000000001' WHERE version_num "
				      "IN ('3cac04ae8714', 'ae1027a6acf')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(up(&merged_sorted, "heads"), MIGC_ECHECKSUM);
	ck_assert_str_eq(error.revision, "ae1027a6acf");
	/* A broken id order is never read past the set: what it cannot find
	 * is a row this build lacks. */
	ck_assert_int_eq(up(&broken_order, "heads"), MIGC_EUNKNOWNVERSION);
}
END_TEST

START_TEST(find_full_prefix_ambiguous_unknown)
{
	const migc_revision *found = NULL;

	ck_assert_int_eq(migc_revision_find(&found, &linear, "2233cccc",
					    &error),
			 MIGC_OK);
	ck_assert_ptr_eq(found, &linear_revisions[2]);
	ck_assert_int_eq(migc_revision_find(&found, &linear, "33", &error),
			 MIGC_OK);
	ck_assert_ptr_eq(found, &linear_revisions[3]);
	ck_assert_int_eq(migc_revision_find(&found, &linear, "11", &error),
			 MIGC_EAMBIGUOUS);
	ck_assert_ptr_null(found);
	ck_assert_int_eq(error.code, MIGC_EAMBIGUOUS);
	ck_assert_ptr_nonnull(strstr(error.message, "1111aaaa, 1122bbbb"));
	ck_assert_int_eq(migc_revision_find(&found, &linear, "99", NULL),
			 MIGC_ENOTFOUND);
	ck_assert_int_eq(migc_revision_find(&found, &linear, "99", &error),
			 MIGC_ENOTFOUND);
	ck_assert_str_eq(error.revision, "99");
	ck_assert_ptr_nonnull(strstr(error.message, "No revision '99'"));
}
END_TEST

/* ---- linear ---- */

START_TEST(upgrade_head_applies_all_in_order)
{
	ck_assert_int_eq(up(&linear, NULL), MIGC_OK);
	ck_assert_int_eq(error.code, MIGC_OK);
	ck_assert_str_eq(events, "U:1111aaaa U:1122bbbb U:2233cccc "
				 "U:3344dddd U:4455eeee");
	ck_assert_str_eq(rows(), "4455eeee");
	ck_assert_str_eq(tables(), "t_1,t_2,t_3,t_4,t_5");
	/* Again: nothing to do. */
	ck_assert_int_eq(up(&linear, "head"), MIGC_OK);
	ck_assert_str_eq(events, "");
}
END_TEST

static const struct step upgrade_prefix_then_older_is_noop[] = {
    {up, "22", .result = MIGC_OK, .rows = "2233cccc", .tables = "t_1,t_2,t_3"},
    {up, "1111aaaa", .result = MIGC_OK, .events = "", .rows = "2233cccc"},
    {up, "base", .result = MIGC_OK, .rows = "2233cccc"},
};

START_TEST(target_errors)
{
	static const struct step steps[] = {
	    {up, "11", .result = MIGC_EAMBIGUOUS,
	     .message = {"1111aaaa", "1122bbbb"}},
	    {up, "feed", .result = MIGC_ENOTFOUND},
	    {up, "feed+1", .result = MIGC_ENOTFOUND},
	    {up, "+9", .result = MIGC_ERELATIVE,
	     .message = {"asks for 9 steps from base but only 5 are"}},
	    {up, "-1", .result = MIGC_EDIRECTION},
	    {down, "-1", .result = MIGC_ERELATIVE},
	    {down, "+1", .result = MIGC_EDIRECTION},
	};

	run_steps("target_errors", &linear, steps, COUNT(steps));
	/* Nothing was touched, not even the version table. */
	ck_assert_str_eq(query(db, "SELECT count(*) FROM sqlite_master"), "0");
	ck_assert_str_eq(events, "");
}
END_TEST

static const struct step relative_targets[] = {
    {up, "+2", .result = MIGC_OK, .rows = "1122bbbb"},
    {up, "+1", .result = MIGC_OK, .rows = "2233cccc"},
    {up, "2233cccc+2", .result = MIGC_OK, .rows = "4455eeee"},
    {up, "+1", .result = MIGC_ERELATIVE},
    {down, "-1", .result = MIGC_OK, .events = "D:4455eeee", .rows = "3344dddd"},
    {down, "3344dddd-2", .result = MIGC_OK, .events = "D:3344dddd D:2233cccc",
     .rows = "1122bbbb"},
    {down, "-3", .result = MIGC_ERELATIVE, .message = {"only 2 are possible"},
     .rows = "1122bbbb"},
    {down, "-2", .result = MIGC_OK, .rows = "", .tables = ""},
    {up, "head-1", .result = MIGC_OK, .rows = "3344dddd"},
};

static const struct step downgrade_rules[] = {
    {up, "3344", .result = MIGC_OK},
    {down, "4455eeee", .result = MIGC_EDIRECTION, .revision = "4455eeee",
     .message = {"not applied"}},
    {down, "3344dddd", .result = MIGC_OK, .events = "", .rows = "3344dddd"},
    {down, "1122", .result = MIGC_OK, .events = "D:3344dddd D:2233cccc",
     .tables = "t_1,t_2"},
    {down, "base", .result = MIGC_OK, .events = "D:1122bbbb D:1111aaaa",
     .rows = "", .tables = ""},
    /* Already at base. */
    {down, "base", .result = MIGC_OK, .events = ""},
};

/* ---- branch and merge ---- */

static const struct step branch_and_merge_rows[] = {
    {up, "27c6", .result = MIGC_OK,
     .events = "U:1975ea83b712 U:ae1027a6acf U:27c6a30d7c24",
     .rows = "27c6a30d7c24"},
    {up, "3cac", .result = MIGC_OK, .events = "U:3cac04ae8714",
     .rows = "27c6a30d7c24,3cac04ae8714"},
    {down, "-1", .result = MIGC_EMULTIPLEHEADS,
     .message = {"27c6a30d7c24, 3cac04ae8714"}},
    {up, "head", .result = MIGC_OK, .events = "U:55aa11bb22cc",
     .rows = "55aa11bb22cc"},
    /* Unapplying the merge brings back both of its parents. */
    {down, "27c6a30d7c24", .result = MIGC_OK, .events = "D:55aa11bb22cc",
     .rows = "27c6a30d7c24,3cac04ae8714"},
    /* "3cac04ae8714-1" is the branch point: both branches go. */
    {down, "3cac04ae8714-1", .result = MIGC_OK,
     .events = "D:3cac04ae8714 D:27c6a30d7c24", .rows = "ae1027a6acf"},
    {up, "heads", .result = MIGC_OK,
     .events = "U:27c6a30d7c24 U:3cac04ae8714 U:55aa11bb22cc"},
    {down, "ae10", .result = MIGC_OK,
     .events = "D:55aa11bb22cc D:3cac04ae8714 D:27c6a30d7c24",
     .rows = "ae1027a6acf", .tables = "t_fork,t_root"},
};

static const struct step relative_through_branch_and_merge[] = {
    {up, "ae1027a6acf", .result = MIGC_OK},
    {up, "+1", .result = MIGC_ERELATIVE,
     .message = {"ae1027a6acf branches into 27c6a30d7c24, "
		 "3cac04ae8714"}},
    {up, "heads", .result = MIGC_OK},
    {down, "-1", .result = MIGC_ERELATIVE, .message = {"55aa11bb22cc merges"},
     .rows = "55aa11bb22cc"},
};

static const struct step multiple_heads[] = {
    {up, NULL, .result = MIGC_EMULTIPLEHEADS,
     .message = {"27c6a30d7c24, 3cac04ae8714", "\"heads\""}},
    {up, "head", .result = MIGC_EMULTIPLEHEADS},
    {up, "heads", .result = MIGC_OK,
     .events = "U:1975ea83b712 U:ae1027a6acf U:27c6a30d7c24 "
	       "U:3cac04ae8714",
     .rows = "27c6a30d7c24,3cac04ae8714"},
    {down, "base", .result = MIGC_OK,
     .events = "D:3cac04ae8714 D:27c6a30d7c24 D:ae1027a6acf "
	       "D:1975ea83b712",
     .rows = ""},
};

/* ---- state errors and limits ---- */

START_TEST(current_rows)
{
	const migc_revision *current[4];
	size_t count = 99;

	ck_assert_int_eq(migc_current(current, 4, &count, &merged, &driver,
				      NULL, &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 0);
	/* Reading does not create the version table. */
	ck_assert_str_eq(query(db, "SELECT count(*) FROM sqlite_master"), "0");
	ck_assert_int_eq(up(&merged, "27c6"), MIGC_OK);
	ck_assert_int_eq(up(&merged, "3cac"), MIGC_OK);
	ck_assert_int_eq(migc_current(current, 4, &count, &merged, &driver,
				      NULL, &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 2);
	ck_assert_ptr_eq(current[0], &branchy_revisions[2]);
	ck_assert_ptr_eq(current[1], &branchy_revisions[3]);
	ck_assert_int_eq(migc_current(current, 1, &count, &merged, &driver,
				      NULL, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(count, 2);
	ck_assert_int_eq(migc_current(NULL, 0, &count, &merged, &driver,
				      NULL, NULL),
			 MIGC_OK);
	ck_assert_uint_eq(count, 2);
}
END_TEST

START_TEST(unknown_version_row)
{
	size_t count;

	ck_assert_int_eq(up(&linear, "+1"), MIGC_OK);
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO migc_version (version_num) VALUES "
				      "('cafebabe0000')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(up(&linear, NULL), MIGC_EUNKNOWNVERSION);
	ck_assert_str_eq(error.revision, "cafebabe0000");
	ck_assert_ptr_nonnull(strstr(error.message, "not in this build"));
	ck_assert_ptr_nonnull(strstr(error.message, "newer build"));
	ck_assert_ptr_nonnull(strstr(error.message, "downgrade 4455eeee"));
	ck_assert_int_eq(migc_current(NULL, 0, &count, &linear, &driver, NULL,
				      &error),
			 MIGC_EUNKNOWNVERSION);
	ck_assert_str_eq(tables(), "t_1");
}
END_TEST

START_TEST(limits_and_abi)
{
	static migc_revision many[MIGC_MAX_HEADS + 1];
	static char ids[MIGC_MAX_HEADS + 1][8];
	migc_set set = linear;
	migc_set roots = { MIGC_ABI_VERSION, "roots", "sqlite", many,
			   MIGC_MAX_HEADS + 1, NULL, 0, NULL, 0, NULL, NULL, 0 };
	size_t count;
	uint32_t i;

	set.abi_version = MIGC_ABI_VERSION + 1;
	ck_assert_int_eq(up(&set, NULL), MIGC_EABI);
	ck_assert_ptr_nonnull(strstr(error.message, "regenerate"));
	set = linear;
	set.revision_count = MIGC_MAX_REVISIONS + 1;
	ck_assert_int_eq(up(&set, NULL), MIGC_ELIMIT);
	ck_assert_int_eq(down(&set, "base"), MIGC_ELIMIT);
	ck_assert_int_eq(migc_current(NULL, 0, &count, &set, &driver, NULL,
				      &error),
			 MIGC_ELIMIT);
	/* More version rows than MIGC_MAX_HEADS. */
	ck_assert_int_eq(sqlite3_exec(db,
				      "CREATE TABLE migc_version (version_num "
				      "VARCHAR(32) NOT NULL PRIMARY KEY)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	for (i = 0; i < MIGC_MAX_HEADS + 1; i++) {
		char sql[96];

		snprintf(ids[i], sizeof ids[i], "r%03u", (unsigned)i);
		memset(&many[i], 0, sizeof many[i]);
		many[i].id = ids[i];
		many[i].message = "root";
		snprintf(sql, sizeof sql,
			 "INSERT INTO migc_version (version_num) VALUES ('%s')", ids[i]);
		ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL),
				 SQLITE_OK);
	}
	ck_assert_int_eq(migc_current(NULL, 0, &count, &roots, &driver, NULL,
				      &error),
			 MIGC_ELIMIT);
	ck_assert_ptr_nonnull(strstr(error.message, "MIGC_MAX_HEADS"));
}
END_TEST

START_TEST(invalid_arguments)
{
	migc_options bad = MIGC_OPTIONS_INIT;
	migc_driver incomplete = driver;

	bad.version_table = "bad-name";
	ck_assert_int_eq(migc_upgrade(&linear, &driver, NULL, &bad, &error),
			 MIGC_EINVAL);
	ck_assert_ptr_nonnull(strstr(error.message, "version table name"));
	bad.version_table = "";
	ck_assert_int_eq(migc_upgrade(&linear, &driver, NULL, &bad, NULL),
			 MIGC_EINVAL);
	/* Past MIGC_TABLE_NAME_MAX (127): SQLite itself has no limit. */
	bad.version_table = "a_very_long_table_name_that_goes_past_sixty_"
			    "three_characters_xxxxxxxxxxxx_and_then_past_one_"
			    "hundred_and_twenty_seven_xxxxxxxxxxxxxxxxxxxxxx";
	ck_assert_int_eq(migc_upgrade(&linear, &driver, NULL, &bad, NULL),
			 MIGC_EINVAL);
	bad.version_table = NULL;
	bad.version = 99;
	ck_assert_int_eq(migc_upgrade(&linear, &driver, NULL, &bad, NULL),
			 MIGC_EINVAL);
	incomplete.execute = NULL;
	ck_assert_int_eq(migc_upgrade(&linear, &incomplete, NULL, NULL,
				      &error),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_upgrade(NULL, &driver, NULL, NULL, &error),
			 MIGC_EINVAL);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM sqlite_master"), "0");
	/* NULL options and NULL error: the default table. */
	ck_assert_int_eq(migc_upgrade(&linear, &driver, NULL, NULL, NULL),
			 MIGC_OK);
	ck_assert_str_eq(rows(), "4455eeee");
}
END_TEST

START_TEST(custom_table_through_options)
{
	migc_options custom = MIGC_OPTIONS_INIT;

	custom.version_table = "alembic_version";
	ck_assert_int_eq(migc_upgrade(&linear, &driver, "+2", &custom,
				      &error),
			 MIGC_OK);
	ck_assert_str_eq(query(db, "SELECT version_num FROM alembic_version"),
			 "1122bbbb");
	ck_assert_str_eq(query(db, "SELECT count(*) FROM sqlite_master WHERE "
				   "name = 'migc_version'"),
			 "0");
}
END_TEST

/* ---- the stored downgrade encoding and quoted table names ---- */

START_TEST(downgrade_encoding_round_trip)
{
	static const migc_statement tricky[] = {
		ST("DROP TABLE a"),
		ST(""),
		ST("INSERT INTO t VALUES ('1:x,', 2, ',,::')"),
		ST("12:not a length,"),
		ST("CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\nEND"),
		ST("0:,"),
	};
	char buffer[512];
	size_t length = 0;
	migc_downgrade_reader reader;
	size_t sql_length;
	const char *sql;
	uint32_t i = 0;
	int rc;

	ck_assert_uint_eq(migc_downgrade_encoded_length(tricky, 2, 0),
			  strlen("12:DROP TABLE a,0:,"));
	ck_assert_int_eq(migc_downgrade_encode(buffer, sizeof buffer, &length,
					       tricky, 2, 0, &error),
			 MIGC_OK);
	ck_assert_str_eq(buffer, "12:DROP TABLE a,0:,");
	ck_assert_int_eq(migc_downgrade_encode(buffer, sizeof buffer, &length,
					       tricky, COUNT(tricky), 0, &error),
			 MIGC_OK);
	ck_assert_uint_eq(length,
			  migc_downgrade_encoded_length(tricky, COUNT(tricky), 0));
	ck_assert_int_eq(migc_downgrade_open(&reader, buffer, length, &error),
			 MIGC_OK);
	while ((rc = migc_downgrade_read(&sql, &sql_length, NULL, &reader,
					 &error)) == MIGC_OK &&
	       sql != NULL) {
		ck_assert_uint_lt(i, COUNT(tricky));
		ck_assert_uint_eq(sql_length, tricky[i].length);
		ck_assert_int_eq(memcmp(sql, tricky[i].sql, sql_length), 0);
		i++;
	}
	ck_assert_int_eq(rc, MIGC_OK);
	ck_assert_uint_eq(i, COUNT(tricky));
	/* No statements: empty text, nothing to iterate. */
	ck_assert_int_eq(migc_downgrade_encode(buffer, sizeof buffer, &length,
					       NULL, 0, 0, &error),
			 MIGC_OK);
	ck_assert_uint_eq(length, 0);
	ck_assert_int_eq(migc_downgrade_open(&reader, "", 0, &error), MIGC_OK);
	ck_assert_int_eq(
	    migc_downgrade_read(&sql, &sql_length, NULL, &reader, &error),
	    MIGC_OK);
	ck_assert_ptr_null(sql);
	/* Too small a buffer. */
	ck_assert_int_eq(migc_downgrade_encode(buffer, 5, &length, tricky, 1, 0,
					       &error),
			 MIGC_ELIMIT);
	/* Malformed text is refused, never read past its end. */
	{
		static const char *const bad[] = { "5:abc,", "3:abc", "x:abc,",
						   ":abc,", "03:abc,",
						   "3abc,", "99999999999999999999999:a," };
		size_t k;

		for (k = 0; k < sizeof bad / sizeof bad[0]; k++) {
			ck_assert_int_eq(migc_downgrade_open(&reader, bad[k],
							     strlen(bad[k]),
							     &error),
					 MIGC_EINVAL);
		}
	}
}
END_TEST

START_TEST(table_names_quoted)
{
	char out[64];
	size_t length = 0;
	migc_error error;

	ck_assert_int_eq(
	    migc_table_quote(out, sizeof out, &length, "v", 1, &error),
	    MIGC_OK);
	ck_assert_uint_eq(length, 3);
	ck_assert_str_eq(out, "\"v\"");
	ck_assert_int_eq(migc_table_quote(out, sizeof out, &length,
					  "s.v_history", 11, &error),
			 MIGC_OK);
	ck_assert_uint_eq(length, 15);
	ck_assert_str_eq(out, "\"s\".\"v_history\"");
	ck_assert_int_eq(
	    migc_table_quote(out, sizeof out, &length, "a\"b", 3, &error),
	    MIGC_OK);
	ck_assert_uint_eq(length, 6);
	ck_assert_str_eq(out, "\"a\"\"b\"");
	/* Truncated but terminated; the length sizes the buffer. */
	ck_assert_int_eq(migc_table_quote(out, 4, &length, "abcdef", 6, &error),
			 MIGC_ELIMIT);
	ck_assert_int_eq(error.code, MIGC_ELIMIT);
	ck_assert_uint_eq(length, 8);
	ck_assert_uint_eq(strlen(out), 3);
}
END_TEST

/* ---- branch labels, a second root and depends_on ---- */
TABLE_STEPS(l_root, "t_root");
TABLE_STEPS(l_side1, "t_side1");
TABLE_STEPS(l_side2, "t_side2");
TABLE_STEPS(l_main, "t_main");
TABLE_STEPS(l_audit0, "t_audit0");
TABLE_STEPS(l_audit1, "t_audit1");
static const char *const side_label[] = { "side" };
static const char *const audit_label[] = { "audit" };
static const uint32_t depends3[] = { 3 };
#define LREV(id, name, parents, parent_count, deps, dep_count, labels,         \
	     label_count)                                                      \
	{ id,	     #name,	    id ".sql",	   "2026-01-01 00:00:00",       \
	  parents,   parent_count,  deps,	   dep_count,                  \
	  labels,    label_count,   name##_up,	   COUNT(name##_up),           \
	  name##_down, COUNT(name##_down), 0,	   0 }
static const migc_revision labelled_revisions[] = {
	LREV("1000aaaa", l_root, NULL, 0, NULL, 0, NULL, 0),
	LREV("2000bbbb", l_side1, parent0, 1, NULL, 0, side_label, 1),
	LREV("2100cccc", l_side2, parent1, 1, NULL, 0, NULL, 0),
	LREV("3000dddd", l_main, parent0, 1, NULL, 0, NULL, 0),
	LREV("4000eeee", l_audit0, NULL, 0, NULL, 0, audit_label, 1),
	LREV("5000ffff", l_audit1, parent4, 1, depends3,
	     1, NULL, 0),
};
static const uint32_t labelled_heads[] = { 2, 3, 5 };
static const migc_set labelled = { MIGC_ABI_VERSION, "labelled", "sqlite",
				   labelled_revisions, 6, labelled_heads, 3, NULL, 0, NULL, NULL, 0 };

static const struct step label_targets[] = {
    {up, "head", .result = MIGC_EMULTIPLEHEADS,
     .message = {"2100cccc, 3000dddd, 5000ffff", "(labels: side, audit)"}},
    {up, "side@head", .result = MIGC_OK,
     .events = "U:1000aaaa U:2000bbbb U:2100cccc", .rows = "2100cccc"},
    {down, "side@-1", .result = MIGC_OK, .rows = "2000bbbb"},
    {up, "side@+1", .result = MIGC_OK, .rows = "2100cccc"},
    {up, "side@+1", .result = MIGC_ERELATIVE},
    {down, "side@2000", .result = MIGC_OK, .rows = "2000bbbb"},
    {up, "side@3000", .result = MIGC_ENOTFOUND,
     .message = {"not on that branch"}},
    {up, "nope@head", .result = MIGC_ENOTFOUND,
     .message = {"the branch labels are side, audit"}},
    {down, "audit@-1", .result = MIGC_ERELATIVE},
    /* A revision before '@' starts the branch there. */
    {up, "2000@head", .result = MIGC_OK, .rows = "2100cccc"},
};

/* The tests that are steps alone, one run of the loop each: the steps
 * (named as the test was) and the set they run on. */
static const struct planned_case {
	const char *name;
	const migc_set *set;
	const struct step *steps;
	size_t count;
} planned[] = {
#define PLANNED(set, steps) {#steps, &set, steps, COUNT(steps)}
    PLANNED(linear, upgrade_prefix_then_older_is_noop),
    PLANNED(linear, relative_targets),
    PLANNED(linear, downgrade_rules),
    PLANNED(merged, branch_and_merge_rows),
    PLANNED(merged, relative_through_branch_and_merge),
    PLANNED(forked, multiple_heads),
    PLANNED(labelled, label_targets),
#undef PLANNED
};

START_LOOP_TEST(steps_as_planned, COUNT(planned))
{
	const struct planned_case *c = &planned[_i];

	run_steps(c->name, c->set, c->steps, c->count);
}
END_TEST

START_TEST(depends_on_rows_as_alembic)
{
	/* The dependency on another branch comes first; its row goes once
	 * its dependent is applied. */
	static const struct step first[] = {
	    {up, "audit@head", .result = MIGC_OK,
	     .events = "U:1000aaaa U:3000dddd U:4000eeee U:5000ffff",
	     .rows = "5000ffff"},
	};
	/* Unapplying the dependency first unapplies its dependent. */
	static const struct step then[] = {
	    {down, "1000aaaa", .result = MIGC_OK,
	     .events = "D:5000ffff D:3000dddd", .rows = "1000aaaa,4000eeee"},
	    {up, "heads", .result = MIGC_OK, .rows = "2100cccc,5000ffff"},
	};
	unsigned char applied[6];

	run_steps("depends_on_rows_as_alembic", &labelled, first, COUNT(first));
	ck_assert_int_eq(migc_applied(applied, 6, &labelled, &driver, NULL,
				      &error),
			 MIGC_OK);
	ck_assert_mem_eq(applied, "\1\0\0\1\1\1", 6);
	ck_assert_int_eq(migc_applied(applied, 5, &labelled, &driver, NULL,
				      &error),
			 MIGC_EINVAL);
	run_steps("depends_on_rows_as_alembic", &labelled, then, COUNT(then));
}
END_TEST

START_TEST(stamp_many_targets)
{
	const char *targets[] = { "2100", "4000eeee" };

	ck_assert_int_eq(migc_stamp_many(&labelled, &driver, targets, 2, 0,
					 &options, &error),
			 MIGC_OK);
	ck_assert_str_eq(rows(), "2100cccc,4000eeee");
	ck_assert_str_eq(tables(), "");
	ck_assert_int_eq(migc_stamp_many(&labelled, &driver, NULL, 1, 0,
					 &options, &error),
			 MIGC_EINVAL);
}
END_TEST

/* The planner on a database file, as a program opens it. */
static char file_path[64];

static void use_database_file(void)
{
	int fd;

	snprintf(file_path, sizeof file_path, "/tmp/migc-test-plan-XXXXXX");
	fd = mkstemp(file_path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	sqlite3_close(db);
	ck_assert_int_eq(sqlite3_open(file_path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    migc_sqlite_driver(&driver, &sqlite_state, db, 0, &error), MIGC_OK);
}

static void drop_database_file(void)
{
	unlink(file_path);
}

/* Issue 9 item 4, as Alembic's _collect_downgrade_revisions: a downgrade
 * unapplies the target's children through down_revision and what descends
 * from them; a branch that depends_on the target itself stays. */
START_TEST(downgrade_keeps_dependents_of_the_target)
{
	static const struct step steps[] = {
	    {up, "heads", .result = MIGC_OK, .rows = "2100cccc,5000ffff"},
	    /* 5000ffff depends on 3000dddd, which stays applied. */
	    {down, "3000dddd", .result = MIGC_OK, .events = "",
	     .rows = "2100cccc,5000ffff",
	     .tables = "t_audit0,t_audit1,t_main,t_root,t_side1,t_side2"},
	    /* Unapplying what it depends on still unapplies it first. */
	    {down, "1000aaaa", .result = MIGC_OK,
	     .events = "D:5000ffff D:3000dddd D:2100cccc D:2000bbbb",
	     .rows = "1000aaaa,4000eeee"},
	};

	use_database_file();
	run_steps("downgrade_keeps_dependents_of_the_target", &labelled, steps,
		  COUNT(steps));
	drop_database_file();
}
END_TEST

/* Issue 9 item 17: "<branch>@base" as Alembic reads it. */
START_TEST(label_at_base)
{
	static const struct step steps[] = {
	    {up, "heads", .result = MIGC_OK},
	    {down, "audit@base", .result = MIGC_OK,
	     .events = "D:5000ffff D:4000eeee", .rows = "2100cccc,3000dddd"},
	    /* side starts at 2000bbbb, whose root is 1000aaaa: all of it
	     * goes, and 5000ffff with it, which depends on 3000dddd. */
	    {up, "heads", .result = MIGC_OK},
	    {down, "side@base", .result = MIGC_OK,
	     .events = "D:5000ffff D:3000dddd D:2100cccc D:2000bbbb "
		       "D:1000aaaa",
	     .rows = "4000eeee"},
	    /* A revision before '@' names its branch too. */
	    {down, "4000@base", .result = MIGC_OK, .rows = ""},
	    /* Upgrading to a base does nothing. */
	    {up, "audit@base", .result = MIGC_OK, .events = ""},
	    {up, "heads", .result = MIGC_OK},
	};
	const char *audit_base[] = {"audit@base"};

	use_database_file();
	run_steps("label_at_base", &labelled, steps, COUNT(steps));
	/* stamp removes the rows related to the branch. */
	ck_assert_int_eq(migc_stamp_many(&labelled, &driver, audit_base, 1, 0,
					 &options, &error),
			 MIGC_OK);
	ck_assert_str_eq(rows(), "2100cccc");
	ck_assert_int_eq(down(&labelled, "nope@base"), MIGC_ENOTFOUND);
	drop_database_file();
}
END_TEST

/* Issue 9 item 16: one parser for counts; too large is said as such. */
START_TEST(counts_too_large)
{
	uint64_t value = 7;

	ck_assert_int_eq(
	    migc_number_parse(&value, "4294967295", 10, 10, MIGC_COUNT_MAX),
	    MIGC_OK);
	ck_assert_uint_eq(value, 4294967295u);
	ck_assert_int_eq(
	    migc_number_parse(&value, "4294967296", 10, 10, MIGC_COUNT_MAX),
	    MIGC_ELIMIT);
	ck_assert_int_eq(migc_number_parse(&value, "18446744073709551616", 20,
					   10, UINT64_MAX),
			 MIGC_ELIMIT);
	ck_assert_int_eq(migc_number_parse(&value, "18446744073709551615", 20,
					   10, UINT64_MAX),
			 MIGC_OK);
	ck_assert(value == UINT64_MAX);
	ck_assert_int_eq(migc_number_parse(&value, "ffFF", 4, 16, UINT64_MAX),
			 MIGC_OK);
	ck_assert_uint_eq(value, 65535);
	ck_assert_int_eq(migc_number_parse(&value, "zz", 2, 16, UINT64_MAX),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_number_parse(&value, "99999999999999999999x", 21,
					   10, UINT64_MAX),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_number_parse(&value, "-1", 2, 10, UINT64_MAX),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_number_parse(&value, "", 0, 10, UINT64_MAX),
			 MIGC_EINVAL);
	ck_assert_int_eq(migc_number_parse(&value, "12", 2, 8, UINT64_MAX),
			 MIGC_EINVAL);

	use_database_file();
	ck_assert_int_eq(up(&linear, "+99999999999999999999"), MIGC_ERELATIVE);
	ck_assert_ptr_nonnull(strstr(error.message, "counts more steps than "
						    "there can be (at most "
						    "4294967295)"));
	ck_assert_int_eq(up(&linear, "1111+4294967296"), MIGC_ERELATIVE);
	ck_assert_ptr_nonnull(strstr(error.message, "counts more steps"));
	ck_assert_int_eq(up(&labelled, "side@+4294967296"), MIGC_ERELATIVE);
	ck_assert_ptr_nonnull(strstr(error.message, "counts more steps"));
	ck_assert_str_eq(tables(), "");
	ck_assert_int_eq(up(&linear, "head"), MIGC_OK);
	ck_assert_int_eq(down(&linear, "-18446744073709551617"),
			 MIGC_ERELATIVE);
	ck_assert_ptr_nonnull(strstr(error.message, "counts more steps"));
	ck_assert_int_eq(down(&linear, "-4294967295"), MIGC_ERELATIVE);
	ck_assert_ptr_nonnull(strstr(error.message, "asks for 4294967295 "
						    "steps"));
	ck_assert_str_eq(rows(), "4455eeee");
	drop_database_file();
}
END_TEST

static char plan_text[1024];

static int on_plan_step(const migc_step *step, void *payload)
{
	size_t used = strlen(plan_text);
	uint32_t i;

	(void)payload;
	used += (size_t)snprintf(plan_text + used, sizeof plan_text - used,
				 "%s%c%u:%s -", used > 0 ? " | " : "",
				 step->kind == MIGC_EVENT_UPGRADE ? 'U' : 'D',
				 step->number, step->revision->id);
	for (i = 0; i < step->removed_count; i++)
		used += (size_t)snprintf(plan_text + used,
					 sizeof plan_text - used, "%s",
					 step->removed[i]->id);
	used += (size_t)snprintf(plan_text + used, sizeof plan_text - used,
				 " +");
	for (i = 0; i < step->added_count; i++)
		used += (size_t)snprintf(plan_text + used,
					 sizeof plan_text - used, "%s",
					 step->added[i]->id);
	snprintf(plan_text + used, sizeof plan_text - used, " (%u)",
		 step->rows_after);
	return 0;
}

START_TEST(plan_steps_offline)
{
	size_t count = 0;

	plan_text[0] = '\0';
	ck_assert_int_eq(migc_plan_steps(&count, &labelled, "side@head,3000",
					 "audit@head", 0, on_plan_step, NULL,
					 &error),
			 MIGC_OK);
	ck_assert_uint_eq(count, 2);
	ck_assert_str_eq(plan_text, "U1:4000eeee - +4000eeee (3) | "
				    "U2:5000ffff -4000eeee3000dddd +5000ffff "
				    "(2)");
	plan_text[0] = '\0';
	ck_assert_int_eq(migc_plan_steps(&count, &merged, "heads", "ae10", 1,
					 on_plan_step, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(plan_text,
			 "D1:55aa11bb22cc -55aa11bb22cc +27c6a30d7c243cac04ae8714 "
			 "(2) | D2:3cac04ae8714 -3cac04ae8714 + (1) | "
			 "D3:27c6a30d7c24 -27c6a30d7c24 +ae1027a6acf (1)");
	/* Nothing touched a database; errors as online. */
	ck_assert_str_eq(query(db, "SELECT count(*) FROM sqlite_master"), "0");
	ck_assert_int_eq(migc_plan_steps(NULL, &merged, "ae10", "55aa", 1,
					 on_plan_step, NULL, &error),
			 MIGC_EDIRECTION);
	ck_assert_int_eq(migc_plan_steps(NULL, &merged, "-1", "head", 0,
					 on_plan_step, NULL, &error),
			 MIGC_EINVAL);
	ck_assert_int_eq(
	    migc_plan_steps(NULL, &merged, NULL, "head", 0, NULL, NULL, &error),
	    MIGC_EINVAL);
	ck_assert_int_eq(migc_plan_steps(NULL, &forked, NULL, "head", 0,
					 on_plan_step, NULL, &error),
			 MIGC_EMULTIPLEHEADS);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("plan", setup, teardown, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
