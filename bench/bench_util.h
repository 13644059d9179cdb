/* bench_util.h: timing and statistics shared by the benchmark programs.
 * Benchmarks print figures; they never assert on them. */
#ifndef MIGC_BENCH_UTIL_H
#define MIGC_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

#endif /* MIGC_BENCH_UTIL_H */
