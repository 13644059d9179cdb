/* counting_driver.h: a test driver over a real one (forward_driver.h)
 * that counts the calls showing whether an operation did more than one
 * read (test_boot.c, test_repeatable.c): reads, locks, transactions,
 * statements, digest writes; and fails execute() at a given call. */
#ifndef MIGC_TEST_COUNTING_DRIVER_H
#define MIGC_TEST_COUNTING_DRIVER_H

#include <string.h>

#include "forward_driver.h"

/* Counts the calls that would show a boot doing more than one read; fails
 * execute() from call `fail_execute_at` on (0: never). */
typedef struct counting {
	migc_driver real; /* first: forward_driver.h */
	unsigned reads, locks, begins, executes, digest_writes;
	unsigned fail_execute_at;
} counting;

static int count_read(void *context, const char *t, size_t n,
		      migc_state_fn each, void *payload, migc_error *error)
{
	counting *c = context;

	c->reads++;
	return c->real.version_state_read(c->real.context, t, n, each, payload,
					  error);
}

static int count_lock(void *context, const char *k, size_t n, migc_error *error)
{
	counting *c = context;

	c->locks++;
	return c->real.lock(c->real.context, k, n, error);
}

static int count_begin(void *context, migc_error *error)
{
	counting *c = context;

	c->begins++;
	return c->real.begin(c->real.context, error);
}

static int count_execute(void *context, const char *sql, size_t length,
			 migc_error *error)
{
	counting *c = context;

	if (++c->executes == c->fail_execute_at) {
		if (error != NULL) {
			memset(error, 0, sizeof *error);
			error->code = MIGC_EDRIVER;
			strcpy(error->message, "injected failure");
		}
		return MIGC_EDRIVER;
	}
	return c->real.execute(c->real.context, sql, length, error);
}

static int count_digest(void *context, const char *t, size_t n, uint64_t digest,
			migc_error *error)
{
	counting *c = context;

	c->digest_writes++;
	return c->real.version_digest_write(c->real.context, t, n, digest,
					    error);
}

static void counting_driver(migc_driver *out, counting *c)
{
	forward_driver(out, c);
	out->version_state_read = count_read;
	out->lock = count_lock;
	out->begin = count_begin;
	out->execute = count_execute;
	out->version_digest_write = count_digest;
	c->reads = c->locks = c->begins = c->executes = c->digest_writes = 0;
}

#endif /* MIGC_TEST_COUNTING_DRIVER_H */
