/* test_cli.c: the embeddable command line, called as main() would be on a
 * temporary SQLite file, with stdout and stderr captured and compared line
 * for line with what Alembic 1.8 prints for the same graph. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>
#ifdef MIGC_TEST_POSTGRESQL
#include "pg_connect.h"
#include <libpq-fe.h>
#endif

#include "migc_cli.h"

#include "hand_set.h"
#define REV(id, message, file, name, parents, parent_count)                    \
	{ id,        message,       file,          "2026-01-01 00:00:00",      \
	  parents,   parent_count,  NULL,          0,                          \
	  NULL,      0,             name##_up,     COUNT(name##_up),           \
	  name##_down, COUNT(name##_down), 0,      0 }

/* The graph of the Alembic project these outputs were compared with: the
 * set is its first five revisions; a newer build of the same set has one
 * more revision after the merge. */
TABLE_STEPS(account, "account");
TABLE_STEPS(column, "t_column");
TABLE_STEPS(two, "t_two");
TABLE_STEPS(one, "t_one");
TABLE_STEPS(merge, "t_merge");
TABLE_STEPS(later, "t_later");
static const uint32_t parent0[] = { 0 };
static const uint32_t parent1[] = { 1 };
static const uint32_t merge32[] = { 3, 2 };
static const uint32_t parent4[] = {4};
static const migc_revision revisions[] = {
    REV("1975ea83b712", "create account table",
	"1975ea83b712_create_account_table.sql", account, NULL, 0),
    REV("ae1027a6acf", "add a column", "ae1027a6acf_add_a_column.sql", column,
	parent0, 1),
    REV("3cac04ae8714", "branch two", "3cac04ae8714_branch_two.sql", two,
	parent1, 1),
    REV("27c6a30d7c24", "branch one", "27c6a30d7c24_branch_one.sql", one,
	parent1, 1),
    REV("55aa11bb22cc", "merge branches", "55aa11bb22cc_merge_branches.sql",
	merge, merge32, 2),
    REV("9f8e7d6c5b4a", "later", "9f8e7d6c5b4a_later.sql", later, parent4, 1),
};
static const uint32_t heads[] = { 4 };
static const migc_set set = { MIGC_ABI_VERSION, "app", "sqlite", revisions,
			      5, heads, 1, NULL, 0, NULL, NULL, 0 };
static const uint32_t newer_heads[] = {5};
static const migc_set newer = {MIGC_ABI_VERSION, "app", "sqlite", revisions, 6,
			       newer_heads,	 1, NULL, 0, NULL, NULL, 0 };

static const migc_statement bad_up[] = {
	ST("CREATE TABLE t_bad (id INTEGER)"),
	ST("INSERT INTO nope VALUES (1)"),
};
static const migc_statement bad_down[] = { ST("DROP TABLE t_bad") };
static const migc_revision failing_revisions[] = {
	REV("1975ea83b712", "create account table",
	    "1975ea83b712_create_account_table.sql", account, NULL, 0),
	REV("bad0bad0bad0", "breaks", "bad0bad0bad0_breaks.sql", bad, parent0,
	    1),
};
static const uint32_t failing_heads[] = { 1 };
static const migc_set failing = { MIGC_ABI_VERSION, "failing", "sqlite",
				  failing_revisions, 2, failing_heads, 1, NULL, 0, NULL, NULL, 0 };

/* The same graph compiled for PostgreSQL. */
static const migc_set pg_set = {
    MIGC_ABI_VERSION, "app", "postgresql", revisions, 5, heads, 1, NULL, 0, NULL, NULL, 0 };

static const char *default_table; /* migc_cli_main_table's */
static char db_path[256];
static char url[300];
static char out[16384];
static char err[16384];

static void setup(void)
{
	snprintf(db_path, sizeof db_path, "%s/test_cli_%ld.db",
		 MIGC_TEST_BINARY_DIR, (long)getpid());
	snprintf(url, sizeof url, "sqlite:///%s", db_path);
	unlink(db_path);
	unsetenv("MIGC_DATABASE_URL");
	default_table = NULL;
}

static void teardown(void)
{
	unlink(db_path);
}

static void slurp(FILE *file, char *buffer, size_t size)
{
	size_t length;

	rewind(file);
	length = fread(buffer, 1, size - 1, file);
	buffer[length] = '\0';
	fclose(file);
}

/* Runs migc_cli_main on a NULL-terminated argument list; fills out/err. */
static int run(const migc_set *which, ...)
{
	char *argv[16];
	int argc = 0;
	FILE *out_file = tmpfile();
	FILE *err_file = tmpfile();
	int saved_out = dup(STDOUT_FILENO);
	int saved_err = dup(STDERR_FILENO);
	int status;
	va_list args;
	char *arg;

	argv[argc++] = "app-migrate";
	va_start(args, which);
	while ((arg = va_arg(args, char *)) != NULL && argc < 15)
		argv[argc++] = arg;
	va_end(args);
	argv[argc] = NULL;
	ck_assert_ptr_nonnull(out_file);
	ck_assert_ptr_nonnull(err_file);
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(out_file), STDOUT_FILENO);
	dup2(fileno(err_file), STDERR_FILENO);
	status = default_table != NULL
			 ? migc_cli_main_table(which, default_table, argc, argv)
			 : migc_cli_main(which, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, STDOUT_FILENO);
	dup2(saved_err, STDERR_FILENO);
	close(saved_out);
	close(saved_err);
	slurp(out_file, out, sizeof out);
	slurp(err_file, err, sizeof err);
	return status;
}

/* `current` on `url` succeeds and prints `expected`. */
static void expect_current(const char *expected)
{
	ck_assert_int_eq(run(&set, "--url", url, "current", NULL), 0);
	ck_assert_str_eq(out, expected);
}

MIGC_TESTS(cli_tests);

START_TEST(upgrade_in_steps_and_current)
{
	expect_current("");
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "ae10", NULL), 0);
	ck_assert_str_eq(out, "");
	ck_assert_str_eq(err, "INFO  [migc] Running upgrade  -> 1975ea83b712, "
			      "create account table\n"
			      "INFO  [migc] Running upgrade 1975ea83b712 -> "
			      "ae1027a6acf, add a column\n");
	expect_current("ae1027a6acf (branchpoint)\n");
	ck_assert_int_eq(run(&set, "--url", url, "current", "-v", NULL), 0);
	ck_assert_str_eq(err, "");
	{
		char expected[2048];

		snprintf(expected, sizeof expected,
			 "Current revision(s) for %s:\n"
			 "Rev: ae1027a6acf (branchpoint)\n"
			 "Parent: 1975ea83b712\n"
			 "Branches into: 3cac04ae8714, 27c6a30d7c24\n"
			 "Path: ae1027a6acf_add_a_column.sql\n"
			 "\n"
			 "    add a column\n"
			 "    \n"
			 "    Revision ID: ae1027a6acf\n"
			 "    Revises: 1975ea83b712\n"
			 "    Create Date: 2026-01-01 00:00:00\n"
			 "\n",
			 url);
		ck_assert_str_eq(out, expected);
	}
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "3cac", NULL), 0);
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "27c6", NULL), 0);
	ck_assert_str_eq(err, "INFO  [migc] Running upgrade ae1027a6acf -> "
			      "27c6a30d7c24, branch one\n");
	expect_current("3cac04ae8714\n27c6a30d7c24\n");
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", NULL), 0);
	ck_assert_str_eq(err, "INFO  [migc] Running upgrade 27c6a30d7c24, "
			      "3cac04ae8714 -> 55aa11bb22cc, merge branches\n");
	expect_current("55aa11bb22cc (head) (mergepoint)\n");
}
END_TEST

START_TEST(upgrade_head_from_empty_then_downgrades)
{
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "head", NULL), 0);
	ck_assert_str_eq(err,
			 "INFO  [migc] Running upgrade  -> 1975ea83b712, "
			 "create account table\n"
			 "INFO  [migc] Running upgrade 1975ea83b712 -> "
			 "ae1027a6acf, add a column\n"
			 "INFO  [migc] Running upgrade ae1027a6acf -> "
			 "3cac04ae8714, branch two\n"
			 "INFO  [migc] Running upgrade ae1027a6acf -> "
			 "27c6a30d7c24, branch one\n"
			 "INFO  [migc] Running upgrade 27c6a30d7c24, "
			 "3cac04ae8714 -> 55aa11bb22cc, merge branches\n");
	/* Alembic: "Ambiguous walk". */
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", "-1", NULL), 1);
	ck_assert_str_eq(out, "");
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: Relative target '-1' is "
				     "ambiguous: 55aa11bb22cc merges"),
			 err);
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", "ae1027a6acf",
			     NULL),
			 0);
	ck_assert_str_eq(err,
			 "INFO  [migc] Running downgrade 55aa11bb22cc -> "
			 "27c6a30d7c24, 3cac04ae8714, merge branches\n"
			 "INFO  [migc] Running downgrade 27c6a30d7c24 -> "
			 "ae1027a6acf, branch one\n"
			 "INFO  [migc] Running downgrade 3cac04ae8714 -> "
			 "ae1027a6acf, branch two\n");
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", "base", NULL),
			 0);
	ck_assert_str_eq(err, "INFO  [migc] Running downgrade ae1027a6acf -> "
			      "1975ea83b712, add a column\n"
			      "INFO  [migc] Running downgrade 1975ea83b712 -> "
			      ", create account table\n");
	expect_current("");
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "+1", NULL), 0);
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", "-1", NULL), 0);
	ck_assert_str_eq(err, "INFO  [migc] Running downgrade 1975ea83b712 -> "
			      ", create account table\n");
}
END_TEST

START_TEST(history_and_heads)
{
	ck_assert_int_eq(run(&set, "history", NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(out,
			 "27c6a30d7c24, 3cac04ae8714 -> 55aa11bb22cc (head) "
			 "(mergepoint), merge branches\n"
			 "ae1027a6acf -> 27c6a30d7c24, branch one\n"
			 "ae1027a6acf -> 3cac04ae8714, branch two\n"
			 "1975ea83b712 -> ae1027a6acf (branchpoint), add a "
			 "column\n"
			 "<base> -> 1975ea83b712, create account table\n");
	ck_assert_int_eq(run(&set, "heads", NULL), 0);
	ck_assert_str_eq(out, "55aa11bb22cc (head)\n");
	ck_assert_int_eq(run(&set, "heads", "--verbose", NULL), 0);
	ck_assert_str_eq(out, "Rev: 55aa11bb22cc (head) (mergepoint)\n"
			      "Merges: 27c6a30d7c24, 3cac04ae8714\n"
			      "Path: 55aa11bb22cc_merge_branches.sql\n"
			      "\n"
			      "    merge branches\n"
			      "    \n"
			      "    Revision ID: 55aa11bb22cc\n"
			      "    Revises: 27c6a30d7c24, 3cac04ae8714\n"
			      "    Create Date: 2026-01-01 00:00:00\n"
			      "\n");
	ck_assert_int_eq(run(&set, "history", "-v", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "Rev: 1975ea83b712\n"
					  "Parent: <base>\n"
					  "Path: 1975ea83b712_create_account_"
					  "table.sql\n"
					  "\n"
					  "    create account table\n"
					  "    \n"
					  "    Revision ID: 1975ea83b712\n"
					  "    Revises: \n"
					  "    Create Date: 2026-01-01 "
					  "00:00:00\n\n"));
	ck_assert_ptr_eq(strstr(out, "Rev: 55aa11bb22cc (head) (mergepoint)\n"),
			 out);
}
END_TEST

/* The error the failing set's upgrade ends with. */
static const char *failing_error(void)
{
	static char text[512];

	snprintf(
	    text, sizeof text,
	    "app-migrate: error: Revision bad0bad0bad0 failed at statement 2 "
	    "(bad0bad0bad0_breaks.sql:%u): no such table: nope. "
	    "The revision was rolled back; the database stays at the "
	    "last good revision. (database error code 1)\n",
	    (unsigned)bad_up[1].line);
	return text;
}

START_TEST(failing_statement)
{
	char expected[512];

	ck_assert_int_eq(run(&failing, "--url", url, "upgrade", NULL), 1);
	snprintf(expected, sizeof expected,
		 "INFO  [migc] Running upgrade  -> 1975ea83b712, create "
		 "account table\n"
		 "INFO  [migc] Running upgrade 1975ea83b712 -> bad0bad0bad0, "
		 "breaks\n%s",
		 failing_error());
	ck_assert_str_eq(err, expected);
	ck_assert_int_eq(run(&failing, "--url", url, "current", NULL), 0);
	ck_assert_str_eq(out, "1975ea83b712\n");
}
END_TEST

START_TEST(urls_and_environment)
{
	char dir[256];
	char cwd[512];
	char relative_path[300];

	ck_assert_int_eq(run(&set, "current", NULL), 1);
	ck_assert_str_eq(err, "app-migrate: error: No database given; pass --url URL "
			      "(for example --url sqlite:///app.db) or set "
			      "MIGC_DATABASE_URL.\n");
	ck_assert_int_eq(run(&set, "--url", "mysql://x/y", "upgrade", NULL),
			 1);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: Unsupported database URL "
				     "'mysql://x/y'"),
			 err);
	/* Port 1: nothing listens, with or without PostgreSQL support. */
	ck_assert_int_eq(run(&set, "--url", "postgresql://127.0.0.1:1/app",
			     "upgrade", NULL),
			 1);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: "), err);
	ck_assert_ptr_nonnull(strstr(err, "'postgresql://127.0.0.1:1/app'"));
	ck_assert_int_eq(run(&set, "--url", "sqlite:///nodir/x/y.db",
			     "upgrade", NULL),
			 1);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: Cannot open database"),
			 err);
	/* In memory, named: works, and leaves nothing behind. */
	ck_assert_int_eq(
	    run(&set, "--url", "sqlite:///:memory:", "upgrade", NULL), 0);
	ck_assert_int_eq(run(&set, "--url=sqlite:///:memory:", "current",
			     NULL),
			 0);
	ck_assert_str_eq(out, "");
	/* The environment variable, with an absolute path (four slashes). */
	ck_assert_int_eq(db_path[0], '/');
	setenv("MIGC_DATABASE_URL", url, 1);
	ck_assert_int_eq(run(&set, "upgrade", "+1", NULL), 0);
	ck_assert_int_eq(run(&set, "current", NULL), 0);
	ck_assert_str_eq(out, "1975ea83b712\n");
	unsetenv("MIGC_DATABASE_URL");
	/* A relative path is relative to the working directory. */
	snprintf(dir, sizeof dir, "%s/test_cli_dir_%ld", MIGC_TEST_BINARY_DIR,
		 (long)getpid());
	snprintf(relative_path, sizeof relative_path, "%s/rel.db", dir);
	ck_assert_int_eq(mkdir(dir, 0700) == 0 || access(dir, F_OK) == 0, 1);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(run(&set, "--url", "sqlite:///rel.db",
			     "--version-table", "alembic_version", "upgrade",
			     "ae10", NULL),
			 0);
	ck_assert_int_eq(chdir(cwd), 0);
	ck_assert_int_eq(access(relative_path, F_OK), 0);
	unlink(relative_path);
	rmdir(dir);
}
END_TEST

START_TEST(usage_errors)
{
	ck_assert_int_eq(run(&set, NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: no command given\n"
			      "Run 'app-migrate --help' for usage.\n");
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", NULL), 2);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: downgrade needs a target"),
			 err);
	ck_assert_int_eq(run(&set, "frobnicate", NULL), 2);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: unknown command "
				     "'frobnicate'"),
			 err);
	ck_assert_int_eq(run(&set, "--bogus", "current", NULL), 2);
	ck_assert_int_eq(run(&set, "--url", NULL), 2);
	ck_assert_int_eq(run(&set, "heads", "extra", NULL), 2);
	ck_assert_int_eq(run(&set, "--help", NULL), 0);
	ck_assert_ptr_eq(strstr(out, "usage: app-migrate [--url URL]"), out);
	ck_assert_int_eq(run(&set, "help", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "downgrade [--sql] [FROM:]TARGET"));
	/* Target errors from the core exit 1. */
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "zzz", NULL), 1);
	ck_assert_str_eq(err, "app-migrate: error: No revision 'zzz' in set 'app'; "
			      "run the history command to list the revisions "
			      "this program knows.\n");
	ck_assert_int_eq(run(&set, "--url", url, "--version-table", "a-b",
			     "upgrade", NULL),
			 1);
	ck_assert_ptr_nonnull(strstr(err, "version table name"));
}
END_TEST

/* One SQL value from a SQLite file ("" for NULL or no row). */
static const char *sqlite_value(const char *path, const char *sql)
{
	static char value[4096];
	sqlite3 *db = NULL;
	sqlite3_stmt *statement;

	value[0] = '\0';
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &statement, NULL),
			 SQLITE_OK);
	if (sqlite3_step(statement) == SQLITE_ROW &&
	    sqlite3_column_text(statement, 0) != NULL)
		snprintf(value, sizeof value, "%s",
			 (const char *)sqlite3_column_text(statement, 0));
	sqlite3_finalize(statement);
	sqlite3_close(db);
	return value;
}

/* Tables in the test database, joined with ",". */
static const char *db_tables(void)
{
	return sqlite_value(db_path, "SELECT group_concat(name) FROM "
				     "(SELECT name FROM sqlite_master WHERE "
				     "type = 'table' ORDER BY name)");
}

START_TEST(older_build_on_newer_database)
{
	ck_assert_int_eq(run(&newer, "--url", url, "upgrade", NULL), 0);
	expect_current("9f8e7d6c5b4a (not in this build: the database "
		       "was migrated by a newer build; deploy it, or "
		       "run 'downgrade 55aa11bb22cc' to step back)\n");
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", NULL), 1);
	ck_assert_str_eq(err, "app-migrate: error: The database is at revision "
			      "9f8e7d6c5b4a, which is not in this build: the "
			      "database was migrated by a newer build. Deploy "
			      "that build, or run 'downgrade 55aa11bb22cc' "
			      "with this one to step back (it runs the "
			      "downgrade statements stored in the history "
			      "table). Nothing was run.\n");
	ck_assert_ptr_nonnull(strstr(db_tables(), "t_later"));
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", "55aa11bb22cc",
			     NULL),
			 0);
	ck_assert_str_eq(err, "INFO  [migc] Running downgrade 9f8e7d6c5b4a -> "
			      "55aa11bb22cc, (not in this build: stored "
			      "downgrade)\n");
	ck_assert_ptr_null(strstr(db_tables(), "t_later"));
	expect_current("55aa11bb22cc (head) (mergepoint)\n");
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", NULL), 0);
}
END_TEST

START_TEST(stamp_command)
{
	ck_assert_int_eq(run(&set, "--url", url, "stamp", "ae10", NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(db_tables(), "migc_version,migc_version_history");
	expect_current("ae1027a6acf (branchpoint)\n");
	ck_assert_int_eq(run(&set, "--url", url, "stamp", NULL), 2);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: stamp needs a target"),
			 err);
	ck_assert_int_eq(run(&set, "--url", url, "--purge", "upgrade", NULL),
			 2);
	/* Adopt a database whose rows came from elsewhere. */
	ck_assert_int_eq(run(&newer, "--url", url, "stamp", "9f8e", NULL), 0);
	ck_assert_int_eq(run(&set, "--url", url, "stamp", "base", NULL), 1);
	ck_assert_ptr_nonnull(strstr(err, "stamp --purge"));
	ck_assert_int_eq(run(&set, "--url", url, "stamp", "--purge", "heads",
			     NULL),
			 0);
	expect_current("55aa11bb22cc (head) (mergepoint)\n");
	ck_assert_str_eq(db_tables(), "migc_version,migc_version_history");
}
END_TEST

START_TEST(checksums_and_tables)
{
	static const migc_statement account_up2[] = { ST(
		"CREATE TABLE account (id INTEGER)") };
	static migc_revision edited[5];
	static migc_set edited_set;

	memcpy(edited, revisions, sizeof edited);
	edited[0].checksum = 0xabcdef0123456789ull;
	edited[0].upgrade = account_up2;
	edited_set = set;
	edited_set.revisions = edited;

	/* A compiled-in default table, schema-qualified. */
	default_table = "main.app_version";
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "ae10", NULL), 0);
	ck_assert_str_eq(db_tables(), "account,app_version,"
				      "app_version_history,t_column");
	ck_assert_int_eq(run(&set, "--help", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "(default main.app_version)"));
	ck_assert_int_eq(run(&edited_set, "--url", url, "upgrade", NULL), 1);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: Revision 1975ea83b712 "
				     "(1975ea83b712_create_account_table.sql)"
				     " was applied with checksum "
				     "0000000000000000 but this build has "
				     "checksum abcdef0123456789"),
			 err);
	ck_assert_ptr_nonnull(strstr(err, "--accept-changed-checksums"));
	ck_assert_int_eq(run(&edited_set, "--url", url, "upgrade",
			     "--accept-changed-checksums", NULL),
			 0);
	ck_assert_int_eq(run(&edited_set, "--url", url, "current", NULL), 0);
	ck_assert_str_eq(out, "55aa11bb22cc (head) (mergepoint)\n");
	ck_assert_int_eq(run(&set, "--url", url, "--accept-changed-checksums",
			     "current", NULL),
			 2);
	/* --version-table overrides the compiled-in default. */
	ck_assert_int_eq(run(&set, "--url", url, "--version-table",
			     "main.other", "current", NULL),
			 0);
	ck_assert_str_eq(out, "");
}
END_TEST

/* Issue 9 item 6: the offline script checks the version table name as the
 * executor does, before printing anything. */
START_TEST(version_table_injection_refused)
{
	static const char *const dialects[] = {"sqlite", "postgresql"};
	const char *evil = "x (a); DROP TABLE users; --";
	size_t i;

	for (i = 0; i < 2; i++) {
		const migc_set *which = i == 0 ? &set : &pg_set;

		ck_assert_int_eq(run(which, "--version-table", evil, "upgrade",
				     "--sql", "head", NULL),
				 1);
		ck_assert_msg(out[0] == '\0', "%s: script printed: %s",
			      dialects[i], out);
		ck_assert_str_eq(err,
				 "app-migrate: error: The version table name 'x (a); "
				 "DROP TABLE users; --' is not valid: it is "
				 "NAME or SCHEMA.NAME, each part one or more "
				 "letters, digits or underscores; choose "
				 "another name.\n");
		ck_assert_int_eq(run(which, "--version-table", "s.a\"b",
				     "downgrade", "--sql", "head:base", NULL),
				 1);
		ck_assert_str_eq(out, "");
	}
	/* Online, the same words. */
	ck_assert_int_eq(
	    run(&set, "--url", url, "--version-table", evil, "upgrade", NULL),
	    1);
	ck_assert_ptr_nonnull(strstr(err, "'x (a); DROP TABLE users; --' is "
					  "not valid"));
	ck_assert_str_eq(db_tables(), "");
}
END_TEST

/* PostgreSQL: a table part of 52 bytes makes "<name>_history_pkc" 64, past
 * its 63-byte names; both paths refuse it up front, naming the limit. */
START_TEST(postgresql_table_name_limits)
{
	const char *name52 =
	    "n234567890123456789012345678901234567890123456789012";
	const char *name51 =
	    "n23456789012345678901234567890123456789012345678901";

	ck_assert_int_eq(
	    run(&pg_set, "--version-table", name52, "upgrade", "--sql", NULL),
	    1);
	ck_assert_str_eq(out, "");
	ck_assert_ptr_nonnull(strstr(err,
				     "has a part of 52 bytes; at most 51 "
				     "fit in the table part on PostgreSQL"));
	ck_assert_int_eq(run(&pg_set, "--version-table", name51, "upgrade",
			     "--sql", "head", NULL),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "_history_pkc\" PRIMARY KEY"));
	/* SQLite has no such limit. */
	ck_assert_int_eq(run(&set, "--url", url, "--version-table", name52,
			     "upgrade", "+1", NULL),
			 0);
}
END_TEST

/* A name that needs its quotes (upper case) is quoted the same by the
 * driver and by the script: the script, run by SQLite, makes the tables and
 * keys the driver makes. */
START_TEST(version_table_quoted_alike_offline)
{
	char script_path[300];
	char online_sql[4096];
	sqlite3 *db = NULL;
	char *message = NULL;

	ck_assert_int_eq(run(&set, "--url", url, "--version-table",
			     "MyVersions", "upgrade", NULL),
			 0);
	snprintf(online_sql, sizeof online_sql, "%s",
		 sqlite_value(db_path, "SELECT sql FROM sqlite_master WHERE "
				       "name = 'MyVersions'"));
	ck_assert_ptr_nonnull(strstr(online_sql, "CONSTRAINT "
						 "\"MyVersions_pkc\" PRIMARY "
						 "KEY"));
	ck_assert_int_eq(run(&set, "--version-table", "MyVersions", "upgrade",
			     "--sql", "head", NULL),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "CREATE TABLE IF NOT EXISTS "
					  "\"MyVersions\" (\n"));
	ck_assert_ptr_nonnull(strstr(out, "CONSTRAINT \"MyVersions_pkc\" "
					  "PRIMARY KEY"));
	ck_assert_ptr_nonnull(strstr(out, "CONSTRAINT "
					  "\"MyVersions_history_pkc\" PRIMARY "
					  "KEY"));
	snprintf(script_path, sizeof script_path, "%s.script.db", db_path);
	unlink(script_path);
	ck_assert_int_eq(sqlite3_open(script_path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, out, NULL, NULL, &message) == SQLITE_OK,
		      "%s", message != NULL ? message : "");
	sqlite3_close(db);
	ck_assert_str_eq(sqlite_value(script_path,
				      "SELECT group_concat(name) FROM (SELECT "
				      "name FROM sqlite_master WHERE type = "
				      "'table' ORDER BY name)"),
			 db_tables());
	ck_assert_str_eq(
	    sqlite_value(script_path, "SELECT version_num FROM \"MyVersions\""),
	    "55aa11bb22cc");
	unlink(script_path);
}
END_TEST

#ifdef MIGC_TEST_POSTGRESQL
/* Tables and primary keys of one database, "table:key,...". */
static void pg_keys(char *keys, size_t size, const char *database)
{
	PGconn *c = connect_to(database);
	PGresult *result =
	    PQexec(c, "SELECT string_agg(c.relname || ':' || k.conname, ',' "
		      "ORDER BY c.relname) FROM pg_constraint k JOIN "
		      "pg_class c ON c.oid = k.conrelid WHERE k.contype = "
		      "'p' AND c.relnamespace = 'public'::regnamespace");

	ck_assert_int_eq(PQresultStatus(result), PGRES_TUPLES_OK);
	snprintf(keys, size, "%s", PQgetvalue(result, 0, 0));
	PQclear(result);
	PQfinish(c);
}

MIGC_TESTS(cli_postgresql_tests);

/* The same on PostgreSQL, where an unquoted key name folds to lower
 * case: the script run by the server makes the driver's names. */
START_TEST(version_table_quoted_alike_on_postgresql)
{
	char online[64];
	char offline[64];
	char sql[256];
	char pg_url[128];
	char online_keys[1024];
	char offline_keys[1024];
	PGconn *admin = connect_to(getenv("PGDATABASE"));
	PGconn *c;

	snprintf(online, sizeof online, "migc_cli_online_%ld", (long)getpid());
	snprintf(offline, sizeof offline, "migc_cli_offline_%ld",
		 (long)getpid());
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", online);
	exec_on(admin, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", offline);
	exec_on(admin, sql);

	snprintf(pg_url, sizeof pg_url, "postgresql:///%s", online);
	ck_assert_int_eq(run(&pg_set, "--url", pg_url, "--version-table",
			     "MyVersions", "upgrade", NULL),
			 0);
	ck_assert_int_eq(run(&pg_set, "--version-table", "MyVersions",
			     "upgrade", "--sql", "head", NULL),
			 0);
	c = connect_to(offline);
	exec_on(c, out);
	PQfinish(c);
	pg_keys(online_keys, sizeof online_keys, online);
	pg_keys(offline_keys, sizeof offline_keys, offline);
	ck_assert_ptr_nonnull(strstr(online_keys, "MyVersions:MyVersions_pkc"));
	ck_assert_str_eq(offline_keys, online_keys);

	snprintf(sql, sizeof sql, "DROP DATABASE %s", online);
	exec_on(admin, sql);
	snprintf(sql, sizeof sql, "DROP DATABASE %s", offline);
	exec_on(admin, sql);
	PQfinish(admin);
}
END_TEST
#endif

MIGC_TESTS(cli_tests);

/* Issue 9 item 10: `upgrade --sql` without a target is `upgrade --sql
 * head`, as the usage says (it crashed on a NULL target). */
START_TEST(offline_upgrade_defaults_to_head)
{
	static char head_script[16384];

	ck_assert_int_eq(run(&set, "upgrade", "--sql", "head", NULL), 0);
	snprintf(head_script, sizeof head_script, "%s", out);
	ck_assert_ptr_nonnull(strstr(head_script, "-> 55aa11bb22cc"));
	ck_assert_int_eq(run(&set, "upgrade", "--sql", NULL), 0);
	ck_assert_str_eq(out, head_script);
	ck_assert_int_eq(run(&pg_set, "upgrade", "--sql", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "-> 55aa11bb22cc"));
	/* The other commands that take targets say what is missing. */
	ck_assert_int_eq(run(&set, "downgrade", "--sql", NULL), 2);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: downgrade needs a target"),
			 err);
	ck_assert_int_eq(run(&set, "show", NULL), 2);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: show needs one revision"),
			 err);
	ck_assert_int_eq(run(&set, "history", "-r", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "-r"));
	ck_assert_int_eq(run(&set, "--version-table", NULL), 2);
	ck_assert_int_eq(run(&set, "--url", NULL), 2);
}
END_TEST

/* Issue 9 item 14: an empty SQLite path (sqlite://, sqlite:///, as when
 * $DB is unset) is refused, not taken as a database in memory; SQLite's
 * URI parameters reach SQLite, others are refused by name. */
START_TEST(sqlite_url_paths_and_parameters)
{
	static const char *const empty[] = {"sqlite://", "sqlite:///",
					    "sqlite:///?mode=ro"};
	char odd_url[400];
	char odd_path[300];
	char ro_url[400];
	size_t i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(run(&set, "--url", empty[i], "upgrade", NULL),
				 1);
		ck_assert_msg(strstr(err, "the URL names no file; write "
					  "sqlite:///relative.db") != NULL,
			      "%s: %s", empty[i], err);
		ck_assert_ptr_nonnull(strstr(err, "sqlite:///:memory:"));
		ck_assert_str_eq(out, "");
	}
	/* mode=ro reaches SQLite: nothing is created, the write fails. */
	snprintf(ro_url, sizeof ro_url, "%s?mode=ro", url);
	ck_assert_int_eq(run(&set, "--url", ro_url, "upgrade", NULL), 1);
	ck_assert_int_eq(access(db_path, F_OK), -1);
	snprintf(odd_path, sizeof odd_path, "%s?mode=ro", db_path);
	ck_assert_int_eq(access(odd_path, F_OK), -1);
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "+1", NULL), 0);
	ck_assert_int_eq(run(&set, "--url", ro_url, "current", NULL), 0);
	ck_assert_str_eq(out, "1975ea83b712\n");
	ck_assert_int_eq(run(&set, "--url", ro_url, "upgrade", NULL), 1);
	ck_assert_ptr_nonnull(strstr(err, "readonly"));
	/* SQLAlchemy's uri=true is taken; a Python driver argument is not. */
	snprintf(ro_url, sizeof ro_url, "%s?mode=ro&uri=true", url);
	ck_assert_int_eq(run(&set, "--url", ro_url, "current", NULL), 0);
	snprintf(ro_url, sizeof ro_url, "%s?timeout=10", url);
	ck_assert_int_eq(run(&set, "--url", ro_url, "current", NULL), 1);
	ck_assert_ptr_nonnull(strstr(err, "'timeout' is not a SQLite URI "
					  "parameter"));
	/* A name with '%' and '#' is the file of that name. */
	snprintf(odd_path, sizeof odd_path, "%s.100%%#1", db_path);
	snprintf(odd_url, sizeof odd_url, "sqlite:///%s", odd_path);
	unlink(odd_path);
	ck_assert_int_eq(run(&set, "--url", odd_url, "upgrade", "+1", NULL), 0);
	ck_assert_int_eq(access(odd_path, F_OK), 0);
	unlink(odd_path);
}
END_TEST

/* Issue 9 item 7: a URL is printed with its password masked, as Alembic
 * prints it (postgresql://user:***@host/db). Below, URLs `current` cannot
 * open: what of each must not be printed, and how it is printed masked
 * (NULL: not checked). */
static const struct {
	const char *url, *secret, *shown;
} masked[] = {
    {"mysql://bob:hunter22@db/app", "hunter22", "'mysql://bob:***@db/app'"},
    {"postgresql://h/app?user=u&password=pw9pw9", "pw9pw9", NULL},
    /* An empty password is masked once (the masking looped on it); a
     * key=value string is one whatever its values hold (fuzz_cli). */
    {"mysql://bob:@db/app", NULL, "'mysql://bob:***@db/app'"},
    {"mysql://h/app?password=a://b:c@d&x=1", "b:c", NULL},
    /* "password=" before the query is no parameter: the userinfo's
     * password ("b&cc9") is masked whole; the parameter read there hid
     * "a:b" and showed the rest (fuzz_cli: masking twice differed). */
    {"mysql://u password=a:b&cc9@db/app", "cc9",
     "'mysql://u password=a:***@db/app'"},
};

START_TEST(passwords_masked)
{
	uint32_t i;

	ck_assert_int_eq(run(&set, "--url",
			     "postgresql://alice:s3cr3t@127.0.0.1:1/app",
			     "upgrade", NULL),
			 1);
	ck_assert_ptr_null(strstr(err, "s3cr3t"));
#ifdef MIGC_TEST_POSTGRESQL
	ck_assert_ptr_nonnull(strstr(err, "Cannot open database "
					  "'postgresql://alice:***@127.0.0.1:1/"
					  "app'"));
#endif
	for (i = 0; i < COUNT(masked); i++) {
		ck_assert_int_eq(
		    run(&set, "--url", masked[i].url, "current", NULL), 1);
		if (masked[i].secret != NULL)
			ck_assert_ptr_null(strstr(err, masked[i].secret));
		if (masked[i].shown != NULL)
			ck_assert_ptr_nonnull(strstr(err, masked[i].shown));
	}
}
END_TEST

#ifdef MIGC_TEST_POSTGRESQL
MIGC_TESTS(cli_postgresql_tests);

/* current --verbose names the database on stdout: masked too. The test
 * server trusts local connections, so any password connects. */
START_TEST(current_verbose_masks_password)
{
	char pg_url[512];

	snprintf(
	    pg_url, sizeof pg_url, "postgresql://%s:Sekr1t@/%s?host=%s&port=%s",
	    getenv("PGUSER") != NULL ? getenv("PGUSER") : "postgres",
	    getenv("PGDATABASE") != NULL ? getenv("PGDATABASE") : "postgres",
	    getenv("PGHOST"),
	    getenv("PGPORT") != NULL ? getenv("PGPORT") : "5432");
	ck_assert_int_eq(
	    run(&pg_set, "--url", pg_url, "current", "--verbose", NULL), 0);
	ck_assert_ptr_null(strstr(out, "Sekr1t"));
	ck_assert_ptr_eq(strstr(out, "Current revision(s) for postgresql://"),
			 out);
	ck_assert_ptr_nonnull(strstr(out, ":***@/"));
}
END_TEST
#endif

#ifdef MIGC_TEST_POSTGRESQL
/* Issue 15: a PostgreSQL set's command line takes libpq's environment
 * (PGHOST, PGDATABASE...) without --url, as psql does; a URL and an
 * environment that name no database are refused, where libpq would pick
 * the database named like the user. */
START_TEST(postgresql_from_environment)
{
	char database[256];

	snprintf(database, sizeof database, "%s",
		 getenv("PGDATABASE") != NULL ? getenv("PGDATABASE")
					      : "postgres");
	setenv("PGDATABASE", database, 1);
	ck_assert_msg(run(&pg_set, "current", NULL) == 0, "%s", err);
	ck_assert_msg(run(&pg_set, "history", "--indicate-current", NULL) == 0,
		      "%s", err);
	unsetenv("PGDATABASE");
	ck_assert_int_eq(run(&pg_set, "current", NULL), 1);
	ck_assert_str_eq(err, "app-migrate: error: No database given; pass "
			      "--url URL (for example --url "
			      "postgresql://user@host/db) or set "
			      "MIGC_DATABASE_URL, or PGDATABASE (with PGHOST, "
			      "PGUSER, ... as libpq reads them).\n");
	ck_assert_int_eq(run(&pg_set, "--url", "postgresql://", "current", NULL),
			 1);
	ck_assert_ptr_nonnull(strstr(err, "no database named; name it in the "
					  "URL (postgresql://host/DATABASE) or "
					  "set PGDATABASE"));
	ck_assert_int_eq(run(&pg_set, "--url", "postgresql:///", "current", NULL),
			 1);
	ck_assert_ptr_nonnull(strstr(err, "no database named"));
	setenv("PGDATABASE", database, 1);
	/* A SQLite set is not given PostgreSQL's environment. */
	ck_assert_int_eq(run(&set, "current", NULL), 1);
	ck_assert_ptr_nonnull(strstr(err, "--url sqlite:///"));
}
END_TEST
#endif

MIGC_TESTS(cli_tests);

/* Issue 9 item 18: getopt_long's rules: --opt=value and --opt value,
 * attached short values, "--", per-command --help, options checked
 * against the command; and again and again in one process. */
START_TEST(option_forms)
{
	static char expected[sizeof out];
	int i;

	ck_assert_msg(run(&set, "history", "-r", "-1:ae10", NULL) == 0, "%s",
		      err);
	snprintf(expected, sizeof expected, "%s", out);
	ck_assert_ptr_nonnull(strstr(expected, "1975ea83b712 -> ae1027a6acf"));
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(run(&set, "history", "-r-1:ae10", NULL), 0);
		ck_assert_str_eq(out, expected);
		ck_assert_int_eq(
		    run(&set, "history", "--rev-range=-1:ae10", NULL), 0);
		ck_assert_str_eq(out, expected);
		ck_assert_int_eq(
		    run(&set, "history", "--rev-range", "-1:ae10", NULL), 0);
		ck_assert_str_eq(out, expected);
		ck_assert_int_eq(run(&set, "history", "--rev=-1:ae10", NULL),
				 0);
		ck_assert_str_eq(out, expected);
	}
	/* "--" ends the options; "-1" is a target either way. */
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "--", "ae10", NULL),
			 0);
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", "--", "-1", NULL),
			 0);
	expect_current("1975ea83b712\n");
	ck_assert_int_eq(
	    run(&set, "--url=sqlite:///:memory:", "current", "-v", NULL), 0);
	ck_assert_int_eq(run(&set, "current", "--url", url, "-v", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "Rev: 1975ea83b712"));
	/* Per-command help. */
	ck_assert_int_eq(run(&set, "upgrade", "--help", NULL), 0);
	ck_assert_ptr_eq(strstr(out, "usage: app-migrate [--url URL] "
				     "[--version-table NAME] upgrade [--sql]"),
			 out);
	ck_assert_int_eq(run(&set, "stamp", "-h", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "stamp [--sql] [--purge]"));
	/* Options the command does not take, named with their command. */
	ck_assert_int_eq(run(&set, "upgrade", "--purge", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: upgrade takes no --purge option "
			      "(it is for stamp)\n"
			      "Run 'app-migrate upgrade --help' for its "
			      "usage.\n");
	ck_assert_int_eq(run(&set, "--sql", "upgrade", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "--sql is an option of upgrade, "
					  "downgrade and stamp: put it after "
					  "the command"));
	ck_assert_int_eq(run(&set, "history", "-x", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "unknown option '-x'"));
	ck_assert_int_eq(run(&set, "history", "--bogus=1", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "'--bogus'"));
	ck_assert_int_eq(run(&set, "upgrade", "--sql=yes", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "--sql takes no value"));
	ck_assert_int_eq(run(&set, "history", "-r", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "-r/--rev-range needs a value"));
	/* -h before the command: the general help (it read out of bounds,
	 * fuzz_cli). */
	ck_assert_int_eq(run(&set, "-h", "stamp", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "usage:"));
}
END_TEST

/* Issue 11: the command is checked before any option, wherever the
 * options stand; a usage error found after the parse names the command
 * whose help to read, as the parser's own errors do (one path). */
START_TEST(command_before_options)
{
	ck_assert_int_eq(run(&set, "--bogus", "frobnicate", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: unknown command 'frobnicate'\n"
			      "Run 'app-migrate --help' for usage.\n");
	ck_assert_int_eq(run(&set, "--sql=yes", "frobnicate", "-x", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: unknown command 'frobnicate'\n"
			      "Run 'app-migrate --help' for usage.\n");
	/* -r's value is not the command. */
	ck_assert_int_eq(run(&set, "-r", "history", "frobnicate", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: unknown command 'frobnicate'\n"
			      "Run 'app-migrate --help' for usage.\n");
	ck_assert_int_eq(run(&set, "-h", "frobnicate", NULL), 2);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: unknown command"), err);
	ck_assert_int_eq(run(&set, "--url", url, "downgrade", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: downgrade needs a target, such as "
			      "-1, base or a revision id\n"
			      "Run 'app-migrate downgrade --help' for its "
			      "usage.\n");
	ck_assert_int_eq(run(&set, "show", "a", "b", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: this command takes one target\n"
			      "Run 'app-migrate show --help' for its usage.\n");
	ck_assert_int_eq(run(&set, "downgrade", "--sql", "-1", NULL), 2);
	ck_assert_ptr_nonnull(
	    strstr(err, "Run 'app-migrate downgrade --help' for its usage."));
}
END_TEST

/* Issue 15: --version names migc's version and the set compiled in; an
 * unknown command is checked before its target, with the nearest command
 * suggested; messages start with the program's name, not migc's. */
START_TEST(version_and_nearest_command)
{
	ck_assert_int_eq(run(&set, "--version", NULL), 0);
	ck_assert_str_eq(out, "app-migrate: migc 0.1.0, set app: 5 revisions, "
			      "head 55aa11bb22cc\n");
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(run(&set, "current", "--version", NULL), 0);
	ck_assert_ptr_eq(strstr(out, "app-migrate: migc "), out);
	ck_assert_int_eq(run(&set, "upgarde", "head", NULL), 2);
	ck_assert_str_eq(err, "app-migrate: error: unknown command 'upgarde'; "
			      "did you mean 'upgrade'?\n"
			      "Run 'app-migrate --help' for usage.\n");
	ck_assert_int_eq(run(&set, "curent", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "did you mean 'current'?"));
	ck_assert_int_eq(run(&set, "down", "-1", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "did you mean 'downgrade'?"));
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "--help", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "usage: app-migrate"));
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "zzz", NULL), 1);
	ck_assert_ptr_eq(strstr(err, "app-migrate: error: "), err);
}
END_TEST

/* Issue 15: --format json for current, heads, history and show: one
 * array of revision objects; after an error nothing on stdout. */
START_TEST(format_json)
{
	ck_assert_int_eq(run(&set, "heads", "--format", "json", NULL), 0);
	ck_assert_str_eq(
	    out, "[\n  {\"revision\": \"55aa11bb22cc\", \"down_revisions\": "
		 "[\"27c6a30d7c24\", \"3cac04ae8714\"], \"depends_on\": [], "
		 "\"branch_labels\": [], \"message\": \"merge branches\", "
		 "\"create_date\": \"2026-01-01 00:00:00\", \"path\": "
		 "\"55aa11bb22cc_merge_branches.sql\", \"is_head\": true, "
		 "\"is_branch_point\": false, \"is_merge_point\": true}\n]\n");
	ck_assert_int_eq(run(&set, "--url", url, "current", "--format=json",
			     NULL),
			 0);
	ck_assert_str_eq(out, "[]\n");
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "ae10", NULL), 0);
	ck_assert_int_eq(run(&set, "--url", url, "current", "--format", "json",
			     NULL),
			 0);
	ck_assert_ptr_eq(strstr(out, "[\n  {\"revision\": \"ae1027a6acf\""),
			 out);
	ck_assert_ptr_nonnull(strstr(out, "\"current\": true}\n]\n"));
	ck_assert_int_eq(run(&set, "history", "-r", "base:ae10", "--format",
			     "json", NULL),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "\"revision\": \"ae1027a6acf\""));
	ck_assert_ptr_nonnull(strstr(out, "},\n  {\"revision\": \"1975ea83b712\""));
	ck_assert_int_eq(run(&set, "show", "1975", "--format", "json", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"message\": \"create account table\""));
	ck_assert_int_eq(run(&set, "history", "-r", "zzz:", "--format", "json",
			     NULL),
			 1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(run(&set, "heads", "--format", "xml", NULL), 2);
	ck_assert_ptr_nonnull(strstr(err, "--format is text or json, not 'xml'"));
	ck_assert_int_eq(run(&set, "upgrade", "--format", "json", NULL), 2);
}
END_TEST

/* Issue 15: current warns of an applied revision edited since (drift);
 * upgrade --accept-changed-checksums says what it accepted. */
START_TEST(checksum_drift_reported)
{
	static migc_revision edited[5];
	static migc_set edited_set;

	memcpy(edited, revisions, sizeof edited);
	edited[0].checksum = 0xabcdef0123456789ull;
	edited_set = set;
	edited_set.revisions = edited;
	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "ae10", NULL), 0);
	ck_assert_int_eq(run(&edited_set, "--url", url, "current", NULL), 0);
	ck_assert_str_eq(out, "ae1027a6acf (branchpoint)\n");
	ck_assert_str_eq(err, "WARNING [migc] Revision 1975ea83b712 "
			      "(1975ea83b712_create_account_table.sql) was "
			      "applied with checksum 0000000000000000, this "
			      "build has abcdef0123456789: its file was edited "
			      "after it was applied, and 'upgrade' stops until "
			      "the edit is reverted or "
			      "--accept-changed-checksums records it\n");
	ck_assert_int_eq(run(&edited_set, "--url", url, "upgrade",
			     "--accept-changed-checksums", NULL),
			 0);
	ck_assert_ptr_nonnull(strstr(
	    err, "INFO  [migc] Accepted: Revision 1975ea83b712 "
		 "(1975ea83b712_create_account_table.sql) was applied with "
		 "checksum 0000000000000000, this build has abcdef0123456789: "
		 "its new checksum is recorded\n"));
	ck_assert_int_eq(run(&edited_set, "--url", url, "current", NULL), 0);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(run(&edited_set, "--url", url, "upgrade",
			     "--accept-changed-checksums", NULL),
			 0);
	ck_assert_ptr_nonnull(strstr(err, "no applied revision was edited; "
					  "nothing to accept"));
}
END_TEST

/* Issue 9 item 19: stamp --sql prints what stamp does, as Alembic 1.8
 * does: run by SQLite, the script leaves the rows and history the
 * executor's stamp leaves. */
START_TEST(stamp_sql_script)
{
	static char script[sizeof out];
	char script_path[300];
	const char *rows_sql = "SELECT group_concat(version_num) FROM (SELECT "
			       "version_num FROM migc_version ORDER BY 1)";
	const char *history_sql =
	    "SELECT group_concat(version_num || ':' || checksum || ':' || "
	    "statements_done || ':' || downgrade_sql, ' ') FROM (SELECT * FROM "
	    "migc_version_history ORDER BY version_num)";
	char online_history[4096];
	sqlite3 *db = NULL;
	char *message = NULL;

	ck_assert_int_eq(run(&set, "stamp", "--sql", "head", NULL), 0);
	snprintf(script, sizeof script, "%s", out);
	ck_assert_ptr_eq(strstr(script, "CREATE TABLE IF NOT EXISTS "
					"\"migc_version\" (\n"),
			 script);
	ck_assert_ptr_nonnull(strstr(script, "-- Running stamp_revision  -> "
					     "55aa11bb22cc\n\nINSERT INTO "
					     "\"migc_version\" (version_num) "
					     "VALUES ('55aa11bb22cc');\n"));
	ck_assert_ptr_null(strstr(script, "CREATE TABLE account"));
	/* The executor's stamp on one file, the script on another. */
	ck_assert_int_eq(run(&set, "--url", url, "stamp", "head", NULL), 0);
	snprintf(online_history, sizeof online_history, "%s",
		 sqlite_value(db_path, history_sql));
	snprintf(script_path, sizeof script_path, "%s.stamp.db", db_path);
	unlink(script_path);
	ck_assert_int_eq(sqlite3_open(script_path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, script, NULL, NULL, &message) ==
			  SQLITE_OK,
		      "%s", message != NULL ? message : "");
	sqlite3_close(db);
	ck_assert_str_eq(sqlite_value(script_path, rows_sql), "55aa11bb22cc");
	ck_assert_str_eq(sqlite_value(script_path, history_sql),
			 online_history);
	/* FROM:TO on one branch is an UPDATE, as Alembic writes it. */
	ck_assert_int_eq(run(&set, "stamp", "--sql", "ae10:3cac", NULL), 0);
	ck_assert_str_eq(out, "-- Running stamp_revision ae1027a6acf -> "
			      "3cac04ae8714\n\n"
			      "UPDATE \"migc_version\" SET "
			      "version_num='3cac04ae8714' WHERE "
			      "\"migc_version\".version_num = 'ae1027a6acf';"
			      "\n\n"
			      "INSERT OR REPLACE INTO \"migc_version_history\" "
			      "(version_num, parents, checksum, applied_at, "
			      "duration_ms, statements_done, downgrade_sql) "
			      "VALUES ('3cac04ae8714', 'ae1027a6acf', "
			      "'0000000000000000', CURRENT_TIMESTAMP, 0, 1, "
			      "'16:DROP TABLE t_two,');\n\n");
	/* On another branch the row stays (stamp keeps unrelated rows). */
	ck_assert_int_eq(run(&set, "stamp", "--sql", "3cac:27c6", NULL), 0);
	ck_assert_ptr_eq(strstr(out, "-- Running stamp_revision  -> "
				     "27c6a30d7c24\n\nINSERT INTO"),
			 out);
	/* Back to base, run on the stamped file: no rows, no history. */
	ck_assert_int_eq(run(&set, "stamp", "--sql", "heads:base", NULL), 0);
	ck_assert_ptr_nonnull(strstr(out, "-- Running stamp_revision "
					  "55aa11bb22cc -> \n\nDELETE FROM "
					  "\"migc_version\""));
	ck_assert_int_eq(sqlite3_open(script_path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, out, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_str_eq(sqlite_value(script_path, rows_sql), "");
	ck_assert_str_eq(sqlite_value(script_path, "SELECT count(*) FROM "
						   "migc_version_history"),
			 "0");
	unlink(script_path);
	/* PostgreSQL: in a transaction. --purge has no rows to purge. */
	ck_assert_int_eq(run(&pg_set, "stamp", "--sql", "ae10", NULL), 0);
	ck_assert_ptr_eq(strstr(out, "BEGIN;\n\nCREATE TABLE IF NOT EXISTS"),
			 out);
	ck_assert_ptr_nonnull(strstr(out, "\n\nCOMMIT;\n\n"));
	ck_assert_int_eq(run(&set, "stamp", "--sql", "--purge", "head", NULL),
			 2);
	ck_assert_ptr_nonnull(strstr(err, "stamp --sql cannot --purge"));
	ck_assert_int_eq(run(&set, "stamp", "--sql", "zzz", NULL), 1);
	ck_assert_str_eq(out, "");
}
END_TEST

/* `text` with each "(<digits> ms)" as "(N ms)": durations vary. */
static void without_durations(char *text)
{
	char *at = text;
	char *to = text;

	while (*at != '\0') {
		if (at[0] == '(' && at[1] >= '0' && at[1] <= '9') {
			char *end = at + 1;

			while (*end >= '0' && *end <= '9')
				end++;
			if (strncmp(end, " ms)", 4) == 0) {
				memcpy(to, "(N ms)", 6);
				to += 6;
				at = end + 4;
				continue;
			}
		}
		*to++ = *at++;
	}
	*to = '\0';
}

/* Issue 15: -v tells each revision's number of the plan's count and its
 * duration after Alembic's line; a failure too. */
START_TEST(upgrade_verbose_counts_and_times)
{
	char expected[1024];

	ck_assert_int_eq(run(&set, "--url", url, "upgrade", "-v", "ae10", NULL),
			 0);
	without_durations(err);
	ck_assert_str_eq(err, "INFO  [migc] Running upgrade  -> 1975ea83b712, "
			      "create account table\n"
			      "INFO  [migc] Revision 1 of 2 done: 1975ea83b712 "
			      "(N ms)\n"
			      "INFO  [migc] Running upgrade 1975ea83b712 -> "
			      "ae1027a6acf, add a column\n"
			      "INFO  [migc] Revision 2 of 2 done: ae1027a6acf "
			      "(N ms)\n");
	ck_assert_int_eq(
	    run(&set, "--url", url, "downgrade", "--verbose", "base", NULL), 0);
	without_durations(err);
	ck_assert_str_eq(err, "INFO  [migc] Running downgrade ae1027a6acf -> "
			      "1975ea83b712, add a column\n"
			      "INFO  [migc] Revision 1 of 2 done: ae1027a6acf "
			      "(N ms)\n"
			      "INFO  [migc] Running downgrade 1975ea83b712 -> "
			      ", create account table\n"
			      "INFO  [migc] Revision 2 of 2 done: 1975ea83b712 "
			      "(N ms)\n");
	ck_assert_int_eq(run(&failing, "--url", url, "upgrade", "-v", NULL), 1);
	without_durations(err);
	snprintf(expected, sizeof expected,
		 "INFO  [migc] Running upgrade  -> 1975ea83b712, create "
		 "account table\n"
		 "INFO  [migc] Revision 1 of 2 done: 1975ea83b712 (N ms)\n"
		 "INFO  [migc] Running upgrade 1975ea83b712 -> bad0bad0bad0, "
		 "breaks\n"
		 "INFO  [migc] Revision 2 of 2 failed: bad0bad0bad0 (N ms)\n%s",
		 failing_error());
	ck_assert_str_eq(err, expected);
	/* stamp runs nothing: no -v. */
	ck_assert_int_eq(run(&set, "--url", url, "stamp", "-v", "head", NULL),
			 2);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_CASES(
    "cli", MIGC_CASE("cli", setup, teardown, 0, MIGC_SERVER_NONE, cli_tests),
    MIGC_POSTGRESQL_CASE("cli", setup, teardown, 60, MIGC_SERVER_OPTIONAL,
			 cli_postgresql_tests));
