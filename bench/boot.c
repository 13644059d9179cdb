/* boot.c: benchmark 1, in process. A program booting with nothing pending
 * calls migc_upgrade(set, driver, "head") on its open SQLite connection;
 * this times that call on a database already at head, interleaved with two
 * references that run in the same process on the same file:
 *
 *   floor     one `SELECT version_num FROM migc_version` prepared once,
 *             stepped to the end and reset per call: what any check of the
 *             version table must pay;
 *   pragma    the hand-written check C programmers write instead: prepare
 *             `PRAGMA user_version`, step, compare, finalize.
 *
 * Built once per revision set (BENCH_SET, BENCH_SET_HEADER).
 *
 *   bench_boot_<set> DB [--calls N] [--warmup N]
 *   bench_boot_<set> DB --only migc|floor|pragma [--calls N]
 *
 * DB is created and brought to head first when needed (and its
 * user_version set to the revision count). The first form prints one table
 * row: the median µs per call of each, and migc's and pragma's ratios to
 * the floor. --only runs one of them N times (default 1) untimed, with
 * callgrind's collection on around the calls (valgrind --tool=callgrind
 * --collect-atstart=no) and nothing else done between them, for instruction
 * and system-call counts. */
#define BENCH_PROGRAM "bench_boot"
#include "bench_sqlite.h"

#include BENCH_SET_HEADER
#include "migc_sqlite.h"

#include <string.h>

#define STRINGIFY_(x) #x
#define STRINGIFY(x)  STRINGIFY_(x)
#define ROUNDS	      10 /* the variants take turns, ROUNDS times */

enum variant { MIGC, FLOOR, PRAGMA, VARIANTS };
static const char *const variant_name[VARIANTS] = {"migc", "floor", "pragma"};

typedef struct boot {
	sqlite3 *db;
	migc_sqlite context;
	migc_driver driver;
	sqlite3_stmt *floor; /* prepared once */
} boot;

static void boot_migc(boot *b)
{
	migc_error error;

	if (migc_upgrade(&BENCH_SET, &b->driver, "head", NULL, &error) !=
	    MIGC_OK)
		bench_die("migc_upgrade", error.message);
}

static void boot_floor(boot *b)
{
	int rc;

	while ((rc = sqlite3_step(b->floor)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE || sqlite3_reset(b->floor) != SQLITE_OK)
		bench_die("floor", sqlite3_errmsg(b->db));
}

static void boot_pragma(boot *b)
{
	sqlite3_stmt *statement;
	int version = -1;

	if (sqlite3_prepare_v2(b->db, "PRAGMA user_version", -1, &statement,
			       NULL) != SQLITE_OK)
		bench_die("pragma", sqlite3_errmsg(b->db));
	if (sqlite3_step(statement) == SQLITE_ROW)
		version = sqlite3_column_int(statement, 0);
	sqlite3_finalize(statement);
	if (version != (int)BENCH_SET.revision_count)
		bench_die("pragma", "user_version is not the set's size");
}

static void run(boot *b, enum variant v)
{
	if (v == MIGC)
		boot_migc(b);
	else if (v == FLOOR)
		boot_floor(b);
	else
		boot_pragma(b);
}

static void open_boot(boot *b, const char *path)
{
	char pragma[64];
	migc_error error;

	if (sqlite3_open(path, &b->db) != SQLITE_OK)
		bench_die(path, sqlite3_errmsg(b->db));
	if (migc_sqlite_driver(&b->driver, &b->context, b->db, 0, &error) !=
	    MIGC_OK)
		bench_die("migc_sqlite_driver", error.message);
	boot_migc(b); /* brings a new file to head; untimed */
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %u",
		 (unsigned)BENCH_SET.revision_count);
	bench_sqlite_exec(b->db, pragma);
	if (sqlite3_prepare_v2(b->db, "SELECT version_num FROM migc_version",
			       -1, &b->floor, NULL) != SQLITE_OK)
		bench_die("prepare", sqlite3_errmsg(b->db));
}

/* The variants in turns; one row of medians and ratios. */
static void time_variants(boot *b, size_t calls, size_t warmup)
{
	uint64_t *samples[VARIANTS];
	bench_stats stats[VARIANTS];
	size_t per_round = (calls + ROUNDS - 1) / ROUNDS;
	size_t round, i;
	int v;

	for (v = 0; v < VARIANTS; v++) {
		samples[v] = bench_calloc(per_round * ROUNDS, sizeof(uint64_t));
		for (i = 0; i < warmup; i++)
			run(b, (enum variant)v);
	}
	for (round = 0; round < ROUNDS; round++)
		for (v = 0; v < VARIANTS; v++)
			for (i = 0; i < per_round; i++) {
				uint64_t start = bench_now_ns();

				run(b, (enum variant)v);
				samples[v][round * per_round + i] =
				    bench_now_ns() - start;
			}
	for (v = 0; v < VARIANTS; v++) {
		stats[v] = bench_summarize(samples[v], per_round * ROUNDS);
		free(samples[v]);
	}
	printf("| %s | %u | %zu | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
	       STRINGIFY(BENCH_SET), BENCH_SET.revision_count,
	       per_round * ROUNDS, stats[MIGC].median / 1e3,
	       stats[FLOOR].median / 1e3, stats[PRAGMA].median / 1e3,
	       stats[MIGC].median / stats[FLOOR].median,
	       stats[PRAGMA].median / stats[FLOOR].median);
}

int main(int argc, char **argv)
{
	static const char usage[] = "bench_boot DB [--calls N] [--warmup N] "
				    "[--only migc|floor|pragma]";
	const char *path = NULL;
	long calls = -1; /* not given */
	size_t warmup = 200;
	int only = -1;
	boot b;
	size_t i;

	const bench_option options[] = {
	    {"--calls", BENCH_LONG, &calls, NULL, 0, NULL},
	    {"--warmup", BENCH_SIZE, &warmup, NULL, 0, NULL},
	    {"--only", BENCH_CHOICE, &only, variant_name, VARIANTS,
	     "migc, floor or pragma"}};

	bench_parse(argc, argv, options, sizeof options / sizeof *options,
		    &path, usage);
	if (path == NULL)
		bench_die("usage", usage);
	open_boot(&b, path);
	if (only >= 0) {
		size_t n = calls >= 0 ? (size_t)calls : 1;

		CALLGRIND_TOGGLE_COLLECT;
		for (i = 0; i < n; i++)
			run(&b, (enum variant)only);
		CALLGRIND_TOGGLE_COLLECT;
	} else {
		time_variants(&b, calls > 0 ? (size_t)calls : 10000, warmup);
	}
	sqlite3_finalize(b.floor);
	migc_sqlite_release(&b.context);
	sqlite3_close(b.db);
	return 0;
}
