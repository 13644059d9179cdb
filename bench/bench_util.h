/* bench_util.h: timing, statistics, errors and the apply benchmarks' table
 * rows, shared by the benchmark programs. Benchmarks print figures; they
 * never assert on them. A program defines BENCH_PROGRAM, its name in
 * messages, before including this. */
#ifndef MIGC_BENCH_UTIL_H
#define MIGC_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Callgrind's switch, for the calls a program counts (valgrind
 * --tool=callgrind --collect-atstart=no); nothing without valgrind's
 * headers. */
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_TOGGLE_COLLECT
#endif

#ifndef BENCH_PROGRAM
#error "define BENCH_PROGRAM (the program's name in messages) first"
#endif

/* What failed and why, then exit 1. */
static inline void bench_die(const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s: %s\n", BENCH_PROGRAM, what, detail);
	exit(1);
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static int bench_compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a;
	uint64_t y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

typedef struct bench_stats {
	double median, p90, p99, min, max, mean; /* in the samples' unit */
} bench_stats;

/* Sorts `samples` in place. Percentiles are nearest-rank. */
static inline bench_stats bench_summarize(uint64_t *samples, size_t count)
{
	bench_stats s = { 0, 0, 0, 0, 0, 0 };
	double sum = 0;
	size_t i;

	if (count == 0)
		return s;
	qsort(samples, count, sizeof *samples, bench_compare_u64);
	for (i = 0; i < count; i++)
		sum += (double)samples[i];
	s.min = (double)samples[0];
	s.max = (double)samples[count - 1];
	s.mean = sum / (double)count;
	s.median = count % 2 ? (double)samples[count / 2]
			     : ((double)samples[count / 2 - 1] +
				(double)samples[count / 2]) / 2;
	s.p90 = (double)samples[(count * 90 + 99) / 100 - 1];
	s.p99 = (double)samples[(count * 99 + 99) / 100 - 1];
	return s;
}

static inline void *bench_calloc(size_t count, size_t size)
{
	void *p = calloc(count, size);

	if (p == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}

/* One option of a benchmark's command line: `name` and what its value
 * sets (a flag takes none; a choice stores the index of its value among
 * `choices`, dying with `detail`, or the usage, on another). */
typedef struct bench_option {
	const char *name;
	enum {
		BENCH_SIZE,
		BENCH_LONG,
		BENCH_TEXT,
		BENCH_FLAG,
		BENCH_CHOICE
	} kind;
	void *out;
	const char *const *choices;
	int choice_count;
	const char *detail;
} bench_option;

static inline void bench_set_option(const bench_option *o, const char *value,
				    const char *usage)
{
	int c;

	switch (o->kind) {
	case BENCH_SIZE:
		*(size_t *)o->out = strtoul(value, NULL, 10);
		break;
	case BENCH_LONG:
		*(long *)o->out = strtol(value, NULL, 10);
		break;
	case BENCH_TEXT:
		*(const char **)o->out = value;
		break;
	case BENCH_FLAG:
		*(int *)o->out = 1;
		break;
	case BENCH_CHOICE:
		for (c = 0; c < o->choice_count; c++)
			if (strcmp(value, o->choices[c]) == 0)
				break;
		if (c == o->choice_count)
			bench_die(o->detail != NULL ? o->name : "usage",
				  o->detail != NULL ? o->detail : usage);
		*(int *)o->out = c;
		break;
	}
}

/* Reads argv by `options`; the one positional argument goes to
 * `*positional` (NULL: none is taken). An option whose value is missing
 * counts as a positional argument; anything else dies with `usage`. */
static inline void bench_parse(int argc, char **argv,
			       const bench_option *options, size_t count,
			       const char **positional, const char *usage)
{
	int a;
	size_t i;

	for (a = 1; a < argc; a++) {
		for (i = 0; i < count; i++)
			if (strcmp(argv[a], options[i].name) == 0 &&
			    (options[i].kind == BENCH_FLAG || a + 1 < argc))
				break;
		if (i < count)
			bench_set_option(
			    &options[i],
			    options[i].kind == BENCH_FLAG ? NULL : argv[++a],
			    usage);
		else if (positional != NULL && *positional == NULL)
			*positional = argv[a];
		else
			bench_die("usage", usage);
	}
}

/* The apply benchmarks' rows, one per variant: `prefix` (a first column,
 * or NULL), runs, median/min/max ms and µs per revision; variant 0, migc,
 * also gets its ratios to the variants `floor` and `floor_history`. */
static inline void bench_print_variants(const char *prefix,
					const char *const *names,
					const bench_stats *stats, int variants,
					size_t runs, unsigned revisions,
					int floor, int floor_history)
{
	int v;

	for (v = 0; v < variants; v++) {
		if (prefix != NULL)
			printf("| %s ", prefix);
		printf("| %s | %zu | %.1f | %.1f | %.1f | %.0f |", names[v],
		       runs, stats[v].median / 1e6, stats[v].min / 1e6,
		       stats[v].max / 1e6, stats[v].median / 1e3 / revisions);
		if (v == 0)
			printf(" %.3f / %.3f |\n",
			       stats[0].median / stats[floor].median,
			       stats[0].median / stats[floor_history].median);
		else
			printf(" |\n");
	}
}

/* The apply benchmarks' timing: every variant `runs` times, interleaved,
 * each run's nanoseconds from `run(variant, payload)`; then their rows, as
 * bench_print_variants prints them. */
static inline void
bench_time_variants(uint64_t (*run)(int variant, void *payload), void *payload,
		    const char *prefix, const char *const *names, int variants,
		    size_t runs, unsigned revisions, int floor,
		    int floor_history)
{
	uint64_t **samples = bench_calloc((size_t)variants, sizeof *samples);
	bench_stats *stats = bench_calloc((size_t)variants, sizeof *stats);
	size_t r;
	int v;

	for (v = 0; v < variants; v++)
		samples[v] = bench_calloc(runs, sizeof(uint64_t));
	for (r = 0; r < runs; r++)
		for (v = 0; v < variants; v++)
			samples[v][r] = run(v, payload);
	for (v = 0; v < variants; v++)
		stats[v] = bench_summarize(samples[v], runs);
	bench_print_variants(prefix, names, stats, variants, runs, revisions,
			     floor, floor_history);
	for (v = 0; v < variants; v++)
		free(samples[v]);
	free(samples);
	free(stats);
}

#endif /* MIGC_BENCH_UTIL_H */
