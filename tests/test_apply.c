/* test_apply.c: the executor's steps on SQLite files through migc_upgrade
 * and migc_downgrade: the version rows each step leaves on a set with
 * branches, merges and dependencies, whether the whole upgrade runs in one
 * call or a step per call, and a step that would leave more rows than the
 * runtime can read. */
#include "check_main.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "migc.h"
#include "migc_sqlite.h"
#include "sqlite_query.h"

#include "hand_set.h"
#define REV(id, parents, parent_count, depends, depends_count, up, down)       \
	{                                                                      \
		id, "message", id ".sql", "2026-01-01 00:00:00", parents,      \
		    parent_count, depends, depends_count, NULL, 0, up,         \
		    COUNT(up), down, COUNT(down), 0, 0                         \
	}

/* ---- rows along branches, a merge and a dependency ----
 * a, then b and c on a (two branches), d merging them; e a second root,
 * f on d depending on e. In set order: a b c d e f. */
/* A revision creating its table t_<name>, and its downgrade. */
#define TABLE(name)                                                            \
	static const migc_statement name##_up[] = {                            \
	    ST("CREATE TABLE t_" #name " (x)")};                               \
	static const migc_statement name##_down[] = {ST("DROP TABLE "          \
							"t_" #name)}
TABLE(a);
TABLE(b);
TABLE(c);
TABLE(d);
TABLE(e);
TABLE(f);

static const uint32_t on_a[] = {0};
static const uint32_t on_b_c[] = {1, 2};
static const uint32_t on_d[] = {3};
static const uint32_t needs_e[] = {4};

static const migc_revision graph_revisions[] = {
    REV("aaaa", NULL, 0, NULL, 0, a_up, a_down),
    REV("bbbb", on_a, 1, NULL, 0, b_up, b_down),
    REV("cccc", on_a, 1, NULL, 0, c_up, c_down),
    REV("dddd", on_b_c, 2, NULL, 0, d_up, d_down),
    REV("eeee", NULL, 0, NULL, 0, e_up, e_down),
    REV("ffff", on_d, 1, needs_e, 1, f_up, f_down),
};
static const uint32_t graph_heads[] = {5};
/* clang-format off */
static const migc_set graph = {MIGC_ABI_VERSION, "graph", "sqlite",
			       graph_revisions, 6, graph_heads, 1, NULL, 0, NULL, NULL, 0};
/* clang-format on */

/* Each upgrade target in turn, and the version rows it leaves. */
static const char *const upgrades[][2] = {
    {"aaaa", "aaaa"}, {"bbbb", "bbbb"},	     {"cccc", "bbbb,cccc"},
    {"dddd", "dddd"}, {"eeee", "dddd,eeee"}, {"ffff", "ffff"},
};
/* Then each downgrade target, and the rows it leaves. */
static const char *const downgrades[][2] = {
    {"dddd", "dddd,eeee"},
    {"cccc", "bbbb,cccc,eeee"},
    {"aaaa", "aaaa,eeee"},
    {"base", ""},
};

static sqlite3 *open_file(const char *name, char *path, size_t size)
{
	sqlite3 *db = NULL;

	snprintf(path, size, "%s/%s", MIGC_TEST_BINARY_DIR, name);
	remove(path);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	return db;
}

static const char *rows(sqlite3 *db)
{
	return query(db, "SELECT version_num FROM migc_version "
			 "ORDER BY version_num");
}

/* The whole upgrade in one call carries each step's rows on to the next
 * without reading them again; a call per target reads them each time.
 * Both must leave the rows the graph says, and so must the downgrades. */
START_TEST(rows_follow_branches_merges_and_dependencies)
{
	char path[512];
	sqlite3 *db = open_file("apply-graph.db", path, sizeof path);
	sqlite3 *whole = NULL;
	char whole_path[512];
	migc_sqlite state;
	migc_sqlite whole_state;
	migc_driver driver;
	migc_driver whole_driver;
	migc_error error;
	uint32_t step;

	whole =
	    open_file("apply-graph-whole.db", whole_path, sizeof whole_path);
	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	ck_assert_int_eq(
	    migc_sqlite_driver(&whole_driver, &whole_state, whole, 0, &error),
	    MIGC_OK);
	for (step = 0; step < COUNT(upgrades); step++) {
		ck_assert_msg(migc_upgrade(&graph, &driver, upgrades[step][0],
					   NULL, &error) == MIGC_OK,
			      "upgrade %s: %s", upgrades[step][0],
			      error.message);
		ck_assert_str_eq(rows(db), upgrades[step][1]);
	}
	ck_assert_msg(migc_upgrade(&graph, &whole_driver, "head", NULL,
				   &error) == MIGC_OK,
		      "%s", error.message);
	ck_assert_str_eq(rows(whole), "ffff");
	ck_assert_str_eq(query(whole, "SELECT count(*) FROM sqlite_master "
				      "WHERE name LIKE 't\\__' ESCAPE '\\'"),
			 "6");
	/* Back down a target at a time, then all the way in one call. */
	for (step = 0; step < COUNT(downgrades); step++) {
		ck_assert_msg(
		    migc_downgrade(&graph, &driver, downgrades[step][0], NULL,
				   &error) == MIGC_OK,
		    "downgrade %s: %s", downgrades[step][0], error.message);
		ck_assert_str_eq(rows(db), downgrades[step][1]);
	}
	ck_assert_msg(migc_downgrade(&graph, &whole_driver, "base", NULL,
				     &error) == MIGC_OK,
		      "%s", error.message);
	ck_assert_str_eq(rows(whole), "");
	migc_sqlite_release(&state);
	migc_sqlite_release(&whole_state);
	sqlite3_close(db);
	sqlite3_close(whole);
}
END_TEST

/* ---- more heads than the runtime reads ----
 * MIGC_MAX_HEADS + 1 roots: applying them all would leave one version row
 * per root, more than any later operation of this runtime can read. */
#define WIDE (MIGC_MAX_HEADS + 1)
static const migc_statement wide_up[] = {ST("SELECT 1")};
static const migc_statement wide_down[] = {ST("SELECT 1")};
static char wide_ids[WIDE][8];
static migc_revision wide_revisions[WIDE];
static uint32_t wide_heads[WIDE];

static migc_set wide_set(void)
{
	/* clang-format off */
	migc_set set = {MIGC_ABI_VERSION, "wide", "sqlite", wide_revisions,
			WIDE, wide_heads, WIDE, NULL, 0, NULL, NULL, 0};
	/* clang-format on */
	uint32_t i;

	for (i = 0; i < WIDE; i++) {
		migc_revision revision =
		    REV("", NULL, 0, NULL, 0, wide_up, wide_down);

		snprintf(wide_ids[i], sizeof wide_ids[i], "w%03u", i);
		revision.id = wide_ids[i];
		revision.source_file = wide_ids[i];
		wide_revisions[i] = revision;
		wide_heads[i] = i;
	}
	return set;
}

START_TEST(a_step_leaving_too_many_rows_is_refused)
{
	char path[512];
	sqlite3 *db = open_file("apply-wide.db", path, sizeof path);
	migc_set set = wide_set();
	migc_sqlite state;
	migc_driver driver;
	migc_error error;
	const migc_revision *current[MIGC_MAX_HEADS];
	size_t count = 0;
	char expected[16];

	ck_assert_int_eq(migc_sqlite_driver(&driver, &state, db, 0, &error),
			 MIGC_OK);
	ck_assert_int_eq(migc_upgrade(&set, &driver, "heads", NULL, &error),
			 MIGC_ELIMIT);
	ck_assert_msg(strstr(error.message, "MIGC_MAX_HEADS") != NULL, "%s",
		      error.message);
	/* The step was rolled back: the rows before it stay, and this
	 * runtime still reads them. */
	snprintf(expected, sizeof expected, "%u", MIGC_MAX_HEADS);
	ck_assert_str_eq(query(db, "SELECT count(*) FROM migc_version"),
			 expected);
	ck_assert_msg(migc_current(current, MIGC_MAX_HEADS, &count, &set,
				   &driver, NULL, &error) == MIGC_OK,
		      "%s", error.message);
	ck_assert_uint_eq(count, MIGC_MAX_HEADS);
	migc_sqlite_release(&state);
	sqlite3_close(db);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("apply", NULL, NULL, 60, MIGC_SERVER_NONE,
		       migc_file_tests);
