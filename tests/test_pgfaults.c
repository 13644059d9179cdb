/* test_pgfaults.c: the backend killed, and the program ended, under migc
 * at every statement boundary. The branchy set (branches, a merge, a depends_on
 * edge, a "transaction none" revision) runs upgrade base -> heads and downgrade
 * heads -> base on the real test server through the PostgreSQL driver,
 * wrapped so that right before its Nth statement or commit a second
 * connection terminates the first one's backend (pg_terminate_backend);
 * and, in a child process, so that the program ends (_exit) right before
 * or after it.
 * The call must fail; then, on a new connection, the version rows and the
 * history must agree with the schema actually present (rebuilt
 * independently from the set's statements in a database of its own), and
 * a plain upgrade must reach the clean schema, each revision applied
 * exactly once. Prints the points and inconsistent outcomes per run. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "branchy_pg.h"
#include "fault_oracle.h"
#include "forward_driver.h"
#include "migc.h"
#include "migc_postgresql.h"
#include "pg_connect.h"

#define SET	  branchy_pg
#define DUMP_SIZE 8192

static char database[64];
static char reference[64];
static PGconn *admin;

static void recreate(const char *name)
{
	char sql[160];

	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 name);
	exec_on(admin, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	exec_on(admin, sql);
}

/* The user's tables and indexes (not migc's), one line each, sorted. */
static void dump_schema(PGconn *c, char *out, size_t size)
{
	PGresult *result = PQexec(
	    c,
	    "SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN "
	    "pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
	    "'public' AND c.relkind IN ('r', 'i', 'v') AND c.relname NOT "
	    "LIKE 'migc_version%' ORDER BY 1");
	size_t length = 0;
	int i;

	ck_assert_msg(PQresultStatus(result) == PGRES_TUPLES_OK, "dump: %s",
		      PQerrorMessage(c));
	out[0] = '\0';
	for (i = 0; i < PQntuples(result); i++) {
		int n = snprintf(out + length, size - length, "%s\n",
				 PQgetvalue(result, i, 0));

		ck_assert(n > 0 && (size_t)n < size - length);
		length += (size_t)n;
	}
	PQclear(result);
}

/* ---- the driver, wrapped: the backend dies before the Nth call ---- */

typedef struct killer {
	migc_driver real;
	PGconn *victim;
	long calls;
	long kill_at; /* 1-based; 0: never */
	int killed;
	/* 0: terminate the backend before the call; 1 or 2: end this
	 * (child) process before (1) or after (2) the call, as a crash of
	 * the program would. */
	int exit_mode;
} killer;

static void maybe_kill(killer *k)
{
	struct timespec pause = {0, 10 * 1000 * 1000};
	char sql[96];
	PGresult *result;
	int tries;

	k->calls++;
	if (k->kill_at == 0 || k->calls != k->kill_at)
		return;
	if (k->exit_mode == 1)
		_exit(77);
	if (k->exit_mode == 2)
		return; /* after the call: see after_call() */
	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)",
		 PQbackendPID(k->victim));
	exec_on(admin, sql);
	/* Wait until the backend is gone, so the next call surely fails. */
	for (tries = 0; tries < 500; tries++) {
		snprintf(sql, sizeof sql,
			 "SELECT 1 FROM pg_stat_activity WHERE pid = %d",
			 PQbackendPID(k->victim));
		result = PQexec(admin, sql);
		ck_assert(PQresultStatus(result) == PGRES_TUPLES_OK);
		if (PQntuples(result) == 0) {
			PQclear(result);
			break;
		}
		PQclear(result);
		nanosleep(&pause, NULL);
	}
	k->killed = 1;
}

static int after_call(const killer *k, int rc)
{
	if (k->exit_mode == 2 && k->calls == k->kill_at)
		_exit(77);
	return rc;
}

static int k_execute(void *context, const char *sql, size_t length,
		     migc_error *error)
{
	killer *k = context;

	maybe_kill(k);
	return after_call(k,
			  k->real.execute(k->real.context, sql, length, error));
}

static int k_commit(void *context, migc_error *error)
{
	killer *k = context;

	maybe_kill(k);
	return after_call(k, k->real.commit(k->real.context, error));
}

static void wrap(migc_driver *out, killer *k)
{
	forward_driver(out, k);
	out->execute = k_execute;
	out->commit = k_commit;
}

typedef int (*operation_fn)(const migc_driver *driver, migc_error *error);

static int op_upgrade(const migc_driver *driver, migc_error *error)
{
	return migc_upgrade(&SET, driver, "heads", NULL, error);
}

static int op_downgrade(const migc_driver *driver, migc_error *error)
{
	return migc_downgrade(&SET, driver, "base", NULL, error);
}

/* Runs `op` on a new connection to `database`, killed at `kill_at`;
 * returns its result and sets *calls. */
static int run_killed(operation_fn op, long kill_at, long *calls, int *killed)
{
	PGconn *c = connect_to(database);
	migc_postgresql context;
	migc_error error;
	migc_driver driver;
	killer k;
	int rc;

	ck_assert(migc_postgresql_driver(&k.real, &context, c, 5000, &error) ==
		  MIGC_OK);
	k.victim = c;
	k.calls = 0;
	k.kill_at = kill_at;
	k.killed = 0;
	k.exit_mode = 0;
	wrap(&driver, &k);
	rc = op(&driver, &error);
	*calls = k.calls;
	*killed = k.killed;
	PQfinish(c);
	return rc;
}

static void reference_exec(void *context, const char *sql)
{
	PGconn *c = context;
	PGresult *result = PQexec(c, sql);

	ck_assert_msg(PQresultStatus(result) == PGRES_COMMAND_OK,
		      "reference: %s", PQerrorMessage(c));
	PQclear(result);
}

/* Reference schemas already built, by the state they stand for. */
#define CACHE_SIZE 64
static struct {
	char key[MIGC_MAX_REVISIONS / 8 + 64];
	char dump[DUMP_SIZE];
} cache[CACHE_SIZE];
static int cache_count;

/* The schema of a database in `state`, built with plain PQexec in the
 * reference database. */
static void expected_schema(const oracle_state *state, char *out)
{
	char key[sizeof cache[0].key];
	size_t used;
	PGconn *c;
	uint32_t i;
	int n;

	for (i = 0; i < SET.revision_count && i < 256; i++)
		key[i] = state->applied[i] ? '1' : '0';
	used = i;
	snprintf(key + used, sizeof key - used, ":%u:%ld:%u:%u",
		 (unsigned)state->partial_index, state->partial,
		 (unsigned)state->down_index, (unsigned)state->down_done);
	for (n = 0; n < cache_count; n++) {
		if (strcmp(cache[n].key, key) == 0) {
			memcpy(out, cache[n].dump, DUMP_SIZE);
			return;
		}
	}

	recreate(reference);
	c = connect_to(reference);
	oracle_replay(&SET, state, reference_exec, c);
	dump_schema(c, out, DUMP_SIZE);
	PQfinish(c);
	if (cache_count < CACHE_SIZE) {
		snprintf(cache[cache_count].key, sizeof cache[0].key, "%s",
			 key);
		memcpy(cache[cache_count].dump, out, DUMP_SIZE);
		cache_count++;
	}
}

/* 1 when the database is consistent; *window when a transaction-none
 * downgrade stopped partway (recorded in the history). */
static int consistent(const char *head_schema, int *window, char *why,
		      size_t why_size)
{
	static char actual[DUMP_SIZE];
	static char expected[DUMP_SIZE];
	static oracle_state state;
	PGconn *c = connect_to(database);
	migc_postgresql context;
	migc_driver driver;
	migc_error error;
	int ok = 0;

	ck_assert(migc_postgresql_driver(&driver, &context, c, 5000, &error) ==
		  MIGC_OK);
	if (!oracle_read(&SET, &driver, &state, window, why, why_size))
		goto out;
	dump_schema(c, actual, sizeof actual);
	expected_schema(&state, expected);
	if (strcmp(actual, expected) != 0) {
		snprintf(why, why_size,
			 "schema does not match the recorded state\n"
			 "recorded:\n%s\nactual:\n%s",
			 expected, actual);
		goto out;
	}
	if (migc_upgrade(&SET, &driver, "heads", NULL, &error) != MIGC_OK) {
		snprintf(why, why_size, "upgrade heads afterwards: %s",
			 error.message);
		goto out;
	}
	dump_schema(c, actual, sizeof actual);
	if (strcmp(actual, head_schema) != 0) {
		snprintf(why, why_size, "upgrade reached another schema:\n%s",
			 actual);
		goto out;
	}
	ok = 1;
out:
	PQfinish(c);
	return ok;
}

static char head_schema[DUMP_SIZE];
static char head_template[64];

static void setup(void)
{
	long calls;
	int killed;
	PGconn *c;

	admin = connect_to(NULL);
	PQclear(PQexec(admin, "SET client_min_messages = warning"));
	snprintf(database, sizeof database, "migc_pgfaults_%ld",
		 (long)getpid());
	snprintf(reference, sizeof reference, "migc_pgfaults_ref_%ld",
		 (long)getpid());
	snprintf(head_template, sizeof head_template, "migc_pgfaults_head_%ld",
		 (long)getpid());
	recreate(database);
	ck_assert(run_killed(op_upgrade, 0, &calls, &killed) == MIGC_OK);
	c = connect_to(database);
	dump_schema(c, head_schema, sizeof head_schema);
	PQfinish(c);
	{
		char sql[200];

		snprintf(sql, sizeof sql,
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			 head_template);
		exec_on(admin, sql);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s",
			 head_template, database);
		exec_on(admin, sql);
	}
}

static void teardown(void)
{
	char sql[200];

	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 database);
	exec_on(admin, sql);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 reference);
	exec_on(admin, sql);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 head_template);
	exec_on(admin, sql);
	PQfinish(admin);
}

/* The starting state: nothing (upgrade) or the set at heads. */
static void reset(int at_heads)
{
	char sql[200];

	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
		 database);
	exec_on(admin, sql);
	if (at_heads)
		snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s",
			 database, head_template);
	else
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", database);
	exec_on(admin, sql);
}

/* Runs `op` in a child process that ends (_exit) before (mode 1) or after
 * (mode 2) its `crash_at`-th statement or commit. */
static void run_crashed(operation_fn op, long crash_at, int mode)
{
	pid_t child;
	int status;

	fflush(NULL);
	child = fork();
	ck_assert(child >= 0);
	if (child == 0) {
		PGconn *c = PQconnectdb("");
		migc_postgresql context;
		migc_error error;
		migc_driver driver;
		killer k;
		const char *keys[] = {"dbname", NULL};
		const char *values[] = {database, NULL};

		PQfinish(c);
		c = PQconnectdbParams(keys, values, 1);
		if (PQstatus(c) != CONNECTION_OK ||
		    migc_postgresql_driver(&k.real, &context, c, 5000,
					   &error) != MIGC_OK)
			_exit(2);
		k.victim = c;
		k.calls = 0;
		k.kill_at = crash_at;
		k.killed = 0;
		k.exit_mode = mode;
		wrap(&driver, &k);
		op(&driver, &error);
		_exit(3); /* ran to the end: the boundary was never reached */
	}
	ck_assert(waitpid(child, &status, 0) == child);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 77,
		      "the child did not end at boundary %ld (status %d)",
		      crash_at, status);
}

/* How many statements and commits `op` runs from its starting state, run
 * once to the end. */
static long boundaries_of(operation_fn op, int at_heads)
{
	long total;
	int killed;

	reset(at_heads);
	ck_assert(run_killed(op, 0, &total, &killed) == MIGC_OK);
	return total;
}

static void crash_every_boundary(const char *name, operation_fn op,
				 int at_heads)
{
	long total = boundaries_of(op, at_heads);
	long n;
	int mode;
	oracle_tally tally = {name, 0, 0, 0};
	char why[2 * DUMP_SIZE + 256];

	for (mode = 1; mode <= 2; mode++) {
		for (n = 1; n <= total; n++) {
			int window = 0;

			reset(at_heads);
			run_crashed(op, n, mode);
			tally.points++;
			if (!consistent(head_schema, &window, why, sizeof why))
				oracle_bad(&tally, why, "ended %s call %ld",
					   mode == 1 ? "before" : "after", n);
			tally.partways += (unsigned long)window;
		}
	}
	oracle_report(&tally, "process ended", (unsigned long)total,
		      "statements and commits", "crash");
}

static void kill_every_boundary(const char *name, operation_fn op, int at_heads)
{
	long total = boundaries_of(op, at_heads);
	long n;
	int killed;
	oracle_tally tally = {name, 0, 0, 0};
	char why[2 * DUMP_SIZE + 256];

	ck_assert(total > 0);
	for (n = 1; n <= total; n++) {
		long calls;
		int window = 0;

		reset(at_heads);
		tally.points++;
		if (run_killed(op, n, &calls, &killed) == MIGC_OK)
			oracle_bad(&tally, "succeeded", "killed at call %ld",
				   n);
		ck_assert(killed);
		if (!consistent(head_schema, &window, why, sizeof why))
			oracle_bad(&tally, why, "killed at call %ld", n);
		tally.partways += (unsigned long)window;
	}
	oracle_report(&tally, "backend killed", (unsigned long)total,
		      "statements and commits", "kill");
}

/* The runs each boundary is tried in: what runs, and whether it starts
 * from the set at heads (or from nothing). */
static const struct pgfault_run {
	const char *name;
	operation_fn op;
	int at_heads;
} runs[] = {
    {"upgrade base -> heads", op_upgrade, 0},
    {"downgrade heads -> base", op_downgrade, 1},
};

MIGC_TESTS(pgfaults_tests);

START_LOOP_TEST(backend_killed_at_every_boundary, MIGC_TEST_COUNT(runs))
{
	kill_every_boundary(runs[_i].name, runs[_i].op, runs[_i].at_heads);
}
END_TEST

START_LOOP_TEST(program_ended_at_every_boundary, MIGC_TEST_COUNT(runs))
{
	crash_every_boundary(runs[_i].name, runs[_i].op, runs[_i].at_heads);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_CASES("pgfaults",
			 MIGC_CASE("backend terminated at every boundary",
				   setup, teardown, 900, MIGC_SERVER_NONE,
				   pgfaults_tests));
