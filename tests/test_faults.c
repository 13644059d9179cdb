/* test_faults.c: every I/O call of a whole run fails in turn. The branchy
 * set (branches, a merge, a depends_on edge, a "transaction none"
 * revision) is compiled by migc_add_migrations; upgrade base -> heads,
 * downgrade heads -> base and stamp run over fault_vfs.c, which fails the
 * Nth open/read/write/sync/truncate/lock/file-size call (SQLITE_IOERR or
 * SQLITE_FULL, once or from then on) for every N up to the calls of a clean
 * run. After each fault the call must have failed, the handle must close,
 * and the file, reopened with the real VFS, must pass integrity_check, its
 * version rows and history must agree with the schema actually present
 * (rebuilt independently from the set's statements), and a plain upgrade
 * must reach the clean run's schema. Prints fault points and inconsistent
 * outcomes per run. MIGC_FAULT_LIMIT caps the points per run (0: all). */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "branchy_sqlite.h"
#include "fault_oracle.h"
#include "fault_vfs.h"
#include "forward_driver.h"
#include "migc.h"
#include "migc_sqlite.h"

#define SET	  branchy_sqlite
#define DUMP_SIZE 16384

typedef int (*operation_fn)(const migc_driver *driver, migc_error *error);

static int op_upgrade(const migc_driver *driver, migc_error *error)
{
	return migc_upgrade(&SET, driver, "heads", NULL, error);
}

static int op_downgrade(const migc_driver *driver, migc_error *error)
{
	return migc_downgrade(&SET, driver, "base", NULL, error);
}

static int op_stamp(const migc_driver *driver, migc_error *error)
{
	return migc_stamp(&SET, driver, "heads", 0, NULL, error);
}

static char path[512];
static char journal[600];

static void remove_files(void)
{
	unlink(path);
	unlink(journal);
}

static sqlite3 *open_db(const char *vfs)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(
	    path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);

	ck_assert_msg(rc == SQLITE_OK, "open %s: %s", path,
		      db ? sqlite3_errmsg(db) : "no memory");
	return db;
}

static void close_db(sqlite3 *db)
{
	int rc = sqlite3_close(db);

	ck_assert_msg(rc == SQLITE_OK,
		      "sqlite3_close: %d (a statement left unfinalized)", rc);
}

static int run(sqlite3 *db, operation_fn op, migc_error *error)
{
	migc_sqlite context;
	migc_driver driver;
	int rc = migc_sqlite_driver(&driver, &context, db, 1000, error);

	if (rc == MIGC_OK)
		rc = op(&driver, error);
	migc_sqlite_release(&context);
	return rc;
}

/* The user's objects (not migc's tables), one line each, sorted. */
static void dump_schema(sqlite3 *db, char *out, size_t size)
{
	sqlite3_stmt *statement;
	size_t length = 0;
	int rc = sqlite3_prepare_v2(
	    db,
	    "SELECT type || ' ' || name || ' ' || coalesce(sql, '') "
	    "FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' "
	    "AND tbl_name NOT LIKE 'migc_version%' ORDER BY type, name",
	    -1, &statement, NULL);

	ck_assert_msg(rc == SQLITE_OK, "dump: %s", sqlite3_errmsg(db));
	out[0] = '\0';
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		const char *line =
		    (const char *)sqlite3_column_text(statement, 0);
		int n = snprintf(out + length, size - length, "%s\n", line);

		ck_assert(n > 0 && (size_t)n < size - length);
		length += (size_t)n;
	}
	ck_assert_msg(rc == SQLITE_DONE, "dump: %s", sqlite3_errmsg(db));
	sqlite3_finalize(statement);
}

static void copy_file(const char *from, const char *to)
{
	char buffer[65536];
	FILE *in = fopen(from, "rb");
	FILE *out = fopen(to, "wb");
	size_t n;

	ck_assert(in != NULL && out != NULL);
	while ((n = fread(buffer, 1, sizeof buffer, in)) > 0)
		ck_assert(fwrite(buffer, 1, n, out) == n);
	fclose(in);
	ck_assert(fclose(out) == 0);
}

static void reference_exec(void *context, const char *sql)
{
	sqlite3 *db = context;

	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK,
		      "reference: %s", sqlite3_errmsg(db));
}

/* The schema a database in `state` must have, built from the set's
 * statements with plain sqlite3_exec on a fresh in-memory database. */
static void expected_schema(const oracle_state *state, char *out)
{
	sqlite3 *db;

	ck_assert(sqlite3_open(":memory:", &db) == SQLITE_OK);
	oracle_replay(&SET, state, reference_exec, db);
	dump_schema(db, out, DUMP_SIZE);
	sqlite3_close(db);
}

/* 1 when the reopened database is consistent; `why` says what is not.
 * `stamped`: the run was a stamp, which records revisions without running
 * them, so the schema stays empty and the rows must be all or nothing. */
static int consistent(sqlite3 *db, int stamped, const char *head_schema,
		      int *partway_down, char *why, size_t why_size)
{
	static char actual[DUMP_SIZE];
	static char expected[DUMP_SIZE];
	static oracle_state state;
	migc_sqlite context;
	migc_driver driver;
	migc_error error;
	uint32_t i;
	sqlite3_stmt *check;
	int rc;

	ck_assert(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check,
				     NULL) == SQLITE_OK);
	rc = sqlite3_step(check);
	if (rc != SQLITE_ROW ||
	    strcmp((const char *)sqlite3_column_text(check, 0), "ok") != 0) {
		snprintf(why, why_size, "integrity_check: %s",
			 rc == SQLITE_ROW
			     ? (const char *)sqlite3_column_text(check, 0)
			     : sqlite3_errmsg(db));
		sqlite3_finalize(check);
		return 0;
	}
	sqlite3_finalize(check);

	ck_assert(migc_sqlite_driver(&driver, &context, db, 1000, &error) ==
		  MIGC_OK);
	if (!oracle_read(&SET, &driver, &state, partway_down, why, why_size))
		return 0;
	if (stamped) {
		uint32_t count = 0;

		for (i = 0; i < SET.revision_count; i++)
			count += state.applied[i];
		if (count != 0 && count != SET.revision_count) {
			snprintf(why, why_size,
				 "a stamp left %u of %u revisions recorded",
				 count, SET.revision_count);
			return 0;
		}
		memset(state.applied, 0, sizeof state.applied);
	}
	expected_schema(&state, expected);
	dump_schema(db, actual, sizeof actual);
	if (strcmp(actual, expected) != 0) {
		snprintf(why, why_size,
			 "the schema does not match the recorded state\n"
			 "recorded state's schema:\n%s\nactual:\n%s",
			 expected, actual);
		return 0;
	}
	/* And a plain run finishes the job. */
	rc = stamped ? migc_stamp(&SET, &driver, "heads", 0, NULL, &error)
		     : migc_upgrade(&SET, &driver, "heads", NULL, &error);
	migc_sqlite_release(&context);
	if (rc != MIGC_OK) {
		snprintf(why, why_size, "%s heads afterwards: %s",
			 stamped ? "stamp" : "upgrade", error.message);
		return 0;
	}
	dump_schema(db, actual, sizeof actual);
	if (strcmp(actual, head_schema) != 0) {
		snprintf(why, why_size,
			 "upgrade heads afterwards reached another schema:\n%s",
			 actual);
		return 0;
	}
	return 1;
}

/* Runs `op` from the state in `start` (NULL: a new file) with a fault at
 * every I/O call in turn. */
static void fault_every_call(const char *name, operation_fn op,
			     const char *start, const char *head_schema)
{
	int stamped = op == op_stamp;
	static const struct {
		int code;
		int persistent;
		const char *label;
	} modes[] = {
	    {SQLITE_IOERR, 0, "IOERR once"},
	    {SQLITE_IOERR, 1, "IOERR from then on"},
	    {SQLITE_FULL, 1, "FULL from then on"},
	};
	const char *limit_text = getenv("MIGC_FAULT_LIMIT");
	unsigned long limit = limit_text ? strtoul(limit_text, NULL, 10) : 0;
	unsigned long total_calls;
	oracle_tally tally = {name, 0, 0, 0};
	size_t m;
	migc_error error;
	sqlite3 *db;
	char why[2 * DUMP_SIZE + 256];
	static char clean_schema[DUMP_SIZE];
	static char after[DUMP_SIZE];
	unsigned long absorbed = 0;

	/* A clean run counts the calls. */
	remove_files();
	if (start != NULL)
		copy_file(start, path);
	db = open_db(FAULT_VFS_NAME);
	fault_vfs_arm(0, 0, 0);
	ck_assert_msg(run(db, op, &error) == MIGC_OK, "%s: %s", name,
		      error.message);
	total_calls = fault_vfs_state()->calls;
	dump_schema(db, clean_schema, sizeof clean_schema);
	close_db(db);
	ck_assert(total_calls > 0);

	for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		unsigned long n;
		unsigned long step = 1;

		if (limit > 0 && total_calls > limit)
			step = (total_calls + limit - 1) / limit;
		for (n = 1; n <= total_calls; n += step) {
			int partway;
			int rc;

			remove_files();
			if (start != NULL)
				copy_file(start, path);
			db = open_db(FAULT_VFS_NAME);
			fault_vfs_arm(n, modes[m].code, modes[m].persistent);
			rc = run(db, op, &error);
			fault_vfs_arm(0, 0, 0);
			tally.points++;
			close_db(db);
			db = open_db(NULL);
			/* A fault SQLite itself absorbs (an I/O error while
			 * the boot's one read looks at a new, empty file
			 * reads as "no such table") may let the call
			 * succeed; then it must have done all the clean run
			 * did. */
			if (rc == MIGC_OK) {
				dump_schema(db, after, sizeof after);
				if (strcmp(after, clean_schema) == 0)
					absorbed++;
				else
					oracle_bad(&tally,
						   "the call succeeded but did "
						   "not do what the clean run "
						   "did",
						   "%s at call %lu",
						   modes[m].label, n);
			}
			partway = 0;
			if (!consistent(db, stamped, head_schema, &partway, why,
					sizeof why))
				oracle_bad(&tally, why, "%s at call %lu",
					   modes[m].label, n);
			tally.partways += (unsigned long)partway;
			close_db(db);
		}
	}
	printf("faults: %s: %lu faults absorbed by SQLite, the call then "
	       "doing all the clean run did\n",
	       name, absorbed);
	oracle_report(&tally, "faults", total_calls, "I/O calls in a clean run",
		      "fault");
}

/* ---- a crash at every statement boundary ----
 * The real SQLite driver, wrapped: the process ends (_exit, no cleanup,
 * as a power cut leaves the file) right before or right after the Nth
 * statement or commit the core asks for. */
typedef struct crash_driver {
	migc_driver real;
	long calls;
	long crash_at; /* 1-based call; 0: never */
	int after;     /* end after the call instead of before it */
} crash_driver;

static void crash_point(crash_driver *c, int before)
{
	if (c->crash_at != 0 && c->calls == c->crash_at && before != c->after)
		_exit(77);
}

static int crash_execute(void *context, const char *sql, size_t length,
			 migc_error *error)
{
	crash_driver *c = context;
	int rc;

	c->calls++;
	crash_point(c, 1);
	rc = c->real.execute(c->real.context, sql, length, error);
	crash_point(c, 0);
	return rc;
}

static int crash_commit(void *context, migc_error *error)
{
	crash_driver *c = context;
	int rc;

	c->calls++;
	crash_point(c, 1);
	rc = c->real.commit(c->real.context, error);
	crash_point(c, 0);
	return rc;
}

static void crash_wrap(migc_driver *out, crash_driver *c)
{
	forward_driver(out, c);
	out->execute = crash_execute;
	out->commit = crash_commit;
}

/* Runs `op` in a child that ends at boundary `crash_at` (0: never);
 * returns the calls it made when it ran to the end, -1 when it ended at
 * the boundary. */
static long crash_run(operation_fn op, const char *start, long crash_at,
		      int after)
{
	pid_t child;
	int status;
	int pipe_fd[2];
	long calls = -1;

	remove_files();
	if (start != NULL)
		copy_file(start, path);
	ck_assert(pipe(pipe_fd) == 0);
	child = fork();
	ck_assert(child >= 0);
	if (child == 0) {
		migc_sqlite context;
		crash_driver c;
		migc_driver driver;
		migc_error error;
		sqlite3 *db = NULL;

		close(pipe_fd[0]);
		if (sqlite3_open(path, &db) != SQLITE_OK ||
		    migc_sqlite_driver(&c.real, &context, db, 1000, &error) !=
			MIGC_OK)
			_exit(2);
		c.calls = 0;
		c.crash_at = crash_at;
		c.after = after;
		crash_wrap(&driver, &c);
		if (op(&driver, &error) != MIGC_OK) {
			fprintf(stderr, "crash run: %s\n", error.message);
			_exit(3);
		}
		migc_sqlite_release(&context);
		sqlite3_close(db);
		if (write(pipe_fd[1], &c.calls, sizeof c.calls) !=
		    (ssize_t)sizeof c.calls)
			_exit(4);
		_exit(0);
	}
	close(pipe_fd[1]);
	ck_assert(waitpid(child, &status, 0) == child);
	ck_assert_msg(WIFEXITED(status), "the child died of a signal");
	if (WEXITSTATUS(status) == 77) {
		close(pipe_fd[0]);
		return -1;
	}
	ck_assert_msg(WEXITSTATUS(status) == 0, "the child failed: %d",
		      WEXITSTATUS(status));
	ck_assert(read(pipe_fd[0], &calls, sizeof calls) ==
		  (ssize_t)sizeof calls);
	close(pipe_fd[0]);
	return calls;
}

static void crash_every_boundary(const char *name, operation_fn op,
				 const char *start, const char *head_schema)
{
	int stamped = op == op_stamp;
	long total = crash_run(op, start, 0, 0);
	oracle_tally tally = {name, 0, 0, 0};
	char why[2 * DUMP_SIZE + 256];
	long n;
	int after;

	ck_assert(total > 0);
	for (after = 0; after <= 1; after++) {
		for (n = 1; n <= total; n++) {
			int partway = 0;
			sqlite3 *db;

			ck_assert_msg(crash_run(op, start, n, after) == -1,
				      "%s: no crash at boundary %ld", name, n);
			tally.points++;
			db = open_db(NULL);
			if (!consistent(db, stamped, head_schema, &partway, why,
					sizeof why))
				oracle_bad(&tally, why, "end %s call %ld",
					   after ? "after" : "before", n);
			tally.partways += (unsigned long)partway;
			close_db(db);
		}
	}
	oracle_report(&tally, "crashes", (unsigned long)total,
		      "statements and commits", "crash");
}

static char head_schema[DUMP_SIZE];
static char head_file[600];
static char base_file[600];

static void setup(void)
{
	migc_error error;
	sqlite3 *db;

	ck_assert(fault_vfs_register() == SQLITE_OK);
	/* On tmpfs when there is one: the same calls (xSync included), but
	 * thousands of runs without waiting for the disk. */
	snprintf(path, sizeof path, "%s/migc-faults-%ld.db",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm"
					       : MIGC_TEST_BINARY_DIR,
		 (long)getpid());
	snprintf(journal, sizeof journal, "%s-journal", path);
	snprintf(head_file, sizeof head_file, "%s.head", path);
	snprintf(base_file, sizeof base_file, "%s.base", path);
	remove_files();
	db = open_db(NULL);
	ck_assert_msg(run(db, op_upgrade, &error) == MIGC_OK, "%s",
		      error.message);
	dump_schema(db, head_schema, sizeof head_schema);
	close_db(db);
	copy_file(path, head_file);
	remove_files();
	/* An empty database file, as a stamp adopts one. */
	db = open_db(NULL);
	ck_assert(sqlite3_exec(db, "CREATE TABLE t (x); DROP TABLE t", NULL,
			       NULL, NULL) == SQLITE_OK);
	close_db(db);
	copy_file(path, base_file);
	remove_files();
}

static void teardown(void)
{
	remove_files();
	unlink(head_file);
	unlink(base_file);
	snprintf(journal, sizeof journal, "%s-migc-lock", path);
	unlink(journal);
}

/* The runs each fault or crash point is tried in: what runs, from which
 * file, and the schema a plain run then reaches. */
static const struct fault_run {
	const char *name;
	operation_fn op;
	const char *start; /* NULL: a new file */
	const char *schema;
} runs[] = {
    {"upgrade base -> heads", op_upgrade, NULL, head_schema},
    {"downgrade heads -> base", op_downgrade, head_file, head_schema},
    {"stamp heads", op_stamp, base_file, ""},
};

MIGC_TESTS(fault_tests);

START_LOOP_TEST(a_fault_at_every_io_call, MIGC_TEST_COUNT(runs))
{
	fault_every_call(runs[_i].name, runs[_i].op, runs[_i].start,
			 runs[_i].schema);
}
END_TEST

MIGC_TESTS(crash_tests);

START_LOOP_TEST(a_crash_at_every_boundary, MIGC_TEST_COUNT(runs))
{
	crash_every_boundary(runs[_i].name, runs[_i].op, runs[_i].start,
			     runs[_i].schema);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_CASES("faults",
			 MIGC_CASE("every I/O call", setup, teardown, 900,
				   MIGC_SERVER_NONE, fault_tests),
			 MIGC_CASE("a crash at every statement boundary", setup,
				   teardown, 900, MIGC_SERVER_NONE,
				   crash_tests));
