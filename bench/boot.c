/* boot.c: benchmark 1, in process. A program booting with nothing pending
 * calls migc_upgrade(set, driver, "head") on its open SQLite connection; this
 * times that call many times on a database already at head, beside two
 * references: one empty write transaction and one read of the version table.
 * Built once per revision set (BENCH_SET, BENCH_SET_HEADER).
 *
 *   bench_boot_<set> DB [--calls N] [--warmup N] [--callgrind]
 *
 * DB is created and brought to head first when needed. --callgrind times
 * nothing and runs only the migc_upgrade loop, with collection switched on
 * around it (valgrind --tool=callgrind --collect-atstart=no). */
#define BENCH_PROGRAM "bench_boot"
#include "bench_sqlite.h"

#include BENCH_SET_HEADER
#include "migc_sqlite.h"

#include <string.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_TOGGLE_COLLECT
#endif

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

static void upgrade_or_die(const migc_driver *driver)
{
	migc_error error;

	if (migc_upgrade(&BENCH_SET, driver, "head", NULL, &error) != MIGC_OK)
		bench_die("migc_upgrade", error.message);
}

static void print_row(const char *what, uint64_t *samples, size_t count)
{
	bench_stats s = bench_summarize(samples, count);

	printf("| %s | %s | %u | %zu | %.1f | %.1f | %.1f | %.1f |\n",
	       STRINGIFY(BENCH_SET), what, BENCH_SET.revision_count, count,
	       s.median / 1e3, s.p90 / 1e3, s.p99 / 1e3, s.min / 1e3);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	size_t calls = 10000;
	size_t warmup = 200;
	int callgrind = 0;
	uint64_t *samples;
	migc_sqlite context;
	migc_driver driver;
	migc_error error;
	sqlite3 *db = NULL;
	sqlite3_stmt *statement;
	size_t i;
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--calls") == 0 && a + 1 < argc)
			calls = strtoul(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "--warmup") == 0 && a + 1 < argc)
			warmup = strtoul(argv[++a], NULL, 10);
		else if (strcmp(argv[a], "--callgrind") == 0)
			callgrind = 1;
		else if (path == NULL)
			path = argv[a];
		else
			bench_die("usage",
				  "bench_boot DB [--calls N] [--warmup N] "
				  "[--callgrind]");
	}
	if (path == NULL || calls == 0)
		bench_die("usage", "bench_boot DB [--calls N] [--warmup N] "
				   "[--callgrind]");
	if (sqlite3_open(path, &db) != SQLITE_OK)
		bench_die(path, sqlite3_errmsg(db));
	if (migc_sqlite_driver(&driver, &context, db, 0, &error) != MIGC_OK)
		bench_die("migc_sqlite_driver", error.message);
	upgrade_or_die(&driver); /* brings a new file to head; untimed */

	if (callgrind) {
		CALLGRIND_TOGGLE_COLLECT;
		for (i = 0; i < calls; i++)
			upgrade_or_die(&driver);
		CALLGRIND_TOGGLE_COLLECT;
		sqlite3_close(db);
		return 0;
	}

	samples = bench_calloc(calls, sizeof *samples);
	for (i = 0; i < warmup; i++)
		upgrade_or_die(&driver);
	for (i = 0; i < calls; i++) {
		uint64_t start = bench_now_ns();

		upgrade_or_die(&driver);
		samples[i] = bench_now_ns() - start;
	}
	print_row("`migc_upgrade(head)`, nothing pending", samples, calls);

	/* References: what a no-op boot cannot go below with this design. */
	for (i = 0; i < calls; i++) {
		uint64_t start = bench_now_ns();

		bench_sqlite_exec(db, "BEGIN IMMEDIATE");
		bench_sqlite_exec(db, "COMMIT");
		samples[i] = bench_now_ns() - start;
	}
	print_row("reference: empty `BEGIN IMMEDIATE; COMMIT`", samples,
		  calls);
	for (i = 0; i < calls; i++) {
		uint64_t start = bench_now_ns();

		if (sqlite3_prepare_v2(db, "SELECT version_num FROM migc_version",
				       -1, &statement, NULL) != SQLITE_OK)
			bench_die("prepare", sqlite3_errmsg(db));
		while (sqlite3_step(statement) == SQLITE_ROW)
			;
		sqlite3_finalize(statement);
		samples[i] = bench_now_ns() - start;
	}
	print_row("reference: `SELECT version_num FROM migc_version`",
		  samples, calls);
	free(samples);
	sqlite3_close(db);
	return 0;
}
