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

#endif /* MIGC_BENCH_UTIL_H */
