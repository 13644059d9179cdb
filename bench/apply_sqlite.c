/* apply_sqlite.c: benchmark 2, in process. Applies a generated set (1000
 * revisions) from empty to head on a fresh SQLite file with migc_upgrade,
 * beside the floor: a minimal loop over the same compiled statements through
 * sqlite3_exec, one BEGIN IMMEDIATE ... COMMIT per revision with the same
 * version-row update, with and without a history row like migc's.
 * Variants run interleaved, each on a new file; medians are printed.
 *
 *   bench_apply_sqlite DIR [--runs N] [--synchronous full|normal|off]
 *   bench_apply_sqlite DIR --only migc|floor|history|empty [--synchronous S]
 *
 * --only runs one variant once, with callgrind's collection on around it
 * (valgrind --tool=callgrind --collect-atstart=no), for instruction counts. */
#define BENCH_PROGRAM "bench_apply_sqlite"
#include "bench_sqlite.h"

#include "bench_chain1000.h"
#include "migc_sqlite.h"

#include <string.h>
#include <unistd.h>

#define SET bench_chain1000

enum variant { MIGC, FLOOR, FLOOR_HISTORY, EMPTY_TRANSACTIONS, VARIANTS };
static const char *const variant_name[VARIANTS] = {
	"migc `migc_upgrade(head)`",
	"floor: statements + version row",
	"floor + history row (what migc writes)",
	"empty transactions: version row only, no statements",
};

static void exec_free(sqlite3 *db, char *sql)
{
	if (sql == NULL)
		bench_die("sqlite3_mprintf", "out of memory");
	bench_sqlite_exec(db, sql);
	sqlite3_free(sql);
}

static void version_row(sqlite3 *db, const migc_revision *revision)
{
	if (revision->parent_count == 0)
		exec_free(db, sqlite3_mprintf("INSERT INTO migc_version "
					      "(version_num) VALUES (%Q)",
					      revision->id));
	else
		exec_free(db, sqlite3_mprintf(
				      "UPDATE migc_version SET version_num = "
				      "%Q WHERE version_num = %Q",
				      revision->id,
				      SET.revisions[revision->parents[0]].id));
}

static void history_row(sqlite3 *db, const migc_revision *revision)
{
	size_t length = migc_downgrade_encoded_length(revision->downgrade,
						      revision->downgrade_count,
						      revision->flags);
	char *encoded = bench_calloc(length + 1, 1);

	migc_downgrade_encode(encoded, length + 1, NULL, revision->downgrade,
			      revision->downgrade_count, revision->flags, NULL);
	exec_free(db,
		  sqlite3_mprintf(
			  "INSERT OR REPLACE INTO migc_version_history "
			  "(version_num, parents, checksum, applied_at, "
			  "duration_ms, statements_done, downgrade_sql) VALUES "
			  "(%Q, %Q, '%016llx', CURRENT_TIMESTAMP, 0, %u, %Q)",
			  revision->id,
			  revision->parent_count
				  ? SET.revisions[revision->parents[0]].id
				  : "",
			  (unsigned long long)revision->checksum,
			  revision->upgrade_count, encoded));
	free(encoded);
}

/* The floor: what any runner has to do, and nothing else. */
static void run_floor(sqlite3 *db, enum variant v)
{
	uint32_t r;
	uint32_t k;

	bench_sqlite_exec(
	    db, "CREATE TABLE IF NOT EXISTS migc_version (version_num "
		"VARCHAR(32) NOT NULL, CONSTRAINT migc_version_pkc "
		"PRIMARY KEY (version_num))");
	if (v == FLOOR_HISTORY)
		bench_sqlite_exec(
		    db, "CREATE TABLE IF NOT EXISTS migc_version_history "
			"(version_num VARCHAR(32) NOT NULL PRIMARY KEY, "
			"parents TEXT NOT NULL, checksum VARCHAR(16) NOT "
			"NULL, applied_at TIMESTAMP NOT NULL DEFAULT "
			"CURRENT_TIMESTAMP, duration_ms INTEGER NOT NULL, "
			"statements_done INTEGER NOT NULL, downgrade_sql "
			"TEXT NOT NULL)");
	for (r = 0; r < SET.revision_count; r++) {
		const migc_revision *revision = &SET.revisions[r];

		bench_sqlite_exec(db, "BEGIN IMMEDIATE");
		if (v != EMPTY_TRANSACTIONS)
			for (k = 0; k < revision->upgrade_count; k++)
				bench_sqlite_exec(db, revision->upgrade[k].sql);
		version_row(db, revision);
		if (v == FLOOR_HISTORY)
			history_row(db, revision);
		bench_sqlite_exec(db, "COMMIT");
	}
}

static void run_migc(sqlite3 *db)
{
	migc_sqlite context;
	migc_driver driver;
	migc_error error;

	if (migc_sqlite_driver(&driver, &context, db, 0, &error) != MIGC_OK ||
	    migc_upgrade(&SET, &driver, "head", NULL, &error) != MIGC_OK)
		bench_die("migc", error.message);
	migc_sqlite_release(&context);
}

static void remove_database(const char *path)
{
	static const char *const suffixes[] = { "", "-journal", "-wal", "-shm",
						"-migc-lock" };
	char name[4096];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
		unlink(name);
	}
}

static int count_tables(sqlite3 *db)
{
	sqlite3_stmt *statement;
	int count = -1;

	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM sqlite_master WHERE type = "
			       "'table' AND name LIKE 'bench%'",
			       -1, &statement, NULL) != SQLITE_OK)
		bench_die("count", sqlite3_errmsg(db));
	if (sqlite3_step(statement) == SQLITE_ROW)
		count = sqlite3_column_int(statement, 0);
	sqlite3_finalize(statement);
	return count;
}

/* One run of variant `v` on a new file in `dir`: its nanoseconds, with
 * callgrind's collection on around the run when `collect`. */
static uint64_t one_run(const char *dir, const char *pragma, int v, int collect)
{
	char path[4096];
	sqlite3 *db = NULL;
	uint64_t start;
	uint64_t elapsed;
	int tables;

	snprintf(path, sizeof path, "%s/apply-%d.db", dir, v);
	remove_database(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		bench_die(path, sqlite3_errmsg(db));
	bench_sqlite_exec(db, pragma);
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	start = bench_now_ns();
	if (v == MIGC)
		run_migc(db);
	else
		run_floor(db, (enum variant)v);
	elapsed = bench_now_ns() - start;
	if (collect)
		CALLGRIND_TOGGLE_COLLECT;
	tables = count_tables(db);
	if (tables != (v == EMPTY_TRANSACTIONS ? 0 : (int)SET.revision_count))
		bench_die(variant_name[v], "wrong table count after the run");
	sqlite3_close(db);
	remove_database(path);
	return elapsed;
}

/* Where the timed runs go: a new file in `dir`, opened with `pragma`. */
struct where {
	const char *dir;
	char pragma[64];
};

static uint64_t timed_run(int v, void *payload)
{
	const struct where *where = payload;

	return one_run(where->dir, where->pragma, v, 0);
}

int main(int argc, char **argv)
{
	static const char usage[] = "bench_apply_sqlite DIR [--runs N] "
				    "[--synchronous full|normal|off] "
				    "[--only migc|floor|history|empty]";
	static const char *const short_name[VARIANTS] = {"migc", "floor",
							 "history", "empty"};
	const char *dir = NULL;
	const char *synchronous = "full";
	size_t runs = 5;
	struct where where;
	int only = -1;
	const bench_option options[] = {
	    {"--runs", BENCH_SIZE, &runs, NULL, 0, NULL},
	    {"--synchronous", BENCH_TEXT, &synchronous, NULL, 0, NULL},
	    {"--only", BENCH_CHOICE, &only, short_name, VARIANTS, NULL}};

	bench_parse(argc, argv, options, sizeof options / sizeof *options, &dir,
		    usage);
	if (dir == NULL || runs == 0)
		bench_die("usage", usage);
	where.dir = dir;
	snprintf(where.pragma, sizeof where.pragma, "PRAGMA synchronous = %s",
		 synchronous);
	if (only >= 0) {
		/* One run, for callgrind (--collect-atstart=no). */
		(void)one_run(dir, where.pragma, only, 1);
		return 0;
	}
	bench_time_variants(timed_run, &where, synchronous, variant_name,
			    VARIANTS, runs, SET.revision_count, FLOOR,
			    FLOOR_HISTORY);
	return 0;
}
