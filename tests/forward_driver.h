/* forward_driver.h: a test driver that passes every call on to a real one,
 * for tests that wrap a few calls (test_faults.c, test_pgfaults.c end the
 * process or kill the backend around execute and commit). The wrapper's
 * context must start with the real driver (`migc_driver real;`). */
#ifndef MIGC_TEST_FORWARD_DRIVER_H
#define MIGC_TEST_FORWARD_DRIVER_H

#include "migc_driver.h"

#define FORWARD_REAL(context) ((const migc_driver *)(context))
#define FORWARD(name, params, args)                                            \
	static int forward_##name params                                       \
	{                                                                      \
		const migc_driver *real = FORWARD_REAL(context);               \
		return real->name args;                                        \
	}
/* What most calls take: the version or history table, a revision id. */
#define TABLE_PARAMS void *context, const char *t, size_t n
#define TABLE_ARGS   real->context, t, n
#define ID_PARAMS    const char *r, size_t rn
FORWARD(execute,
	(void *context, const char *sql, size_t length, migc_error *error),
	(real->context, sql, length, error))
FORWARD(begin, (void *context, migc_error *error), (real->context, error))
FORWARD(commit, (void *context, migc_error *error), (real->context, error))
FORWARD(rollback, (void *context, migc_error *error), (real->context, error))
FORWARD(lock, (void *context, const char *k, size_t n, migc_error *error),
	(real->context, k, n, error))
FORWARD(unlock, (void *context, const char *k, size_t n, migc_error *error),
	(real->context, k, n, error))
FORWARD(version_table_ensure, (TABLE_PARAMS, migc_error *error),
	(TABLE_ARGS, error))
FORWARD(version_rows_read,
	(TABLE_PARAMS, migc_row_fn each, void *pl, migc_error *error),
	(TABLE_ARGS, each, pl, error))
FORWARD(version_row_insert, (TABLE_PARAMS, ID_PARAMS, migc_error *error),
	(TABLE_ARGS, r, rn, error))
FORWARD(version_row_delete, (TABLE_PARAMS, ID_PARAMS, migc_error *error),
	(TABLE_ARGS, r, rn, error))
FORWARD(history_ensure, (TABLE_PARAMS, migc_error *error), (TABLE_ARGS, error))
FORWARD(history_read,
	(TABLE_PARAMS, migc_history_fn each, void *pl, migc_error *error),
	(TABLE_ARGS, each, pl, error))
FORWARD(history_write,
	(TABLE_PARAMS, const migc_history_row *row, const migc_statement *down,
	 uint32_t count, migc_error *error),
	(TABLE_ARGS, row, down, count, error))
FORWARD(history_delete, (TABLE_PARAMS, ID_PARAMS, migc_error *error),
	(TABLE_ARGS, r, rn, error))
FORWARD(history_downgrade, (TABLE_PARAMS, ID_PARAMS, migc_error *error),
	(TABLE_ARGS, r, rn, error))
FORWARD(version_row_update,
	(TABLE_PARAMS, const char *f, size_t fn, ID_PARAMS, migc_error *error),
	(TABLE_ARGS, f, fn, r, rn, error))
FORWARD(version_state_read,
	(TABLE_PARAMS, migc_state_fn each, void *pl, migc_error *error),
	(TABLE_ARGS, each, pl, error))
FORWARD(version_digest_write,
	(TABLE_PARAMS, uint64_t digest, migc_error *error),
	(TABLE_ARGS, digest, error))
#undef ID_PARAMS
#undef TABLE_ARGS
#undef TABLE_PARAMS
#undef FORWARD

/* `out` drives `wrapper` (whose first member is the real driver) with
 * every call passed on; set the ones to wrap afterwards. */
static void forward_driver(migc_driver *out, void *wrapper)
{
	*out = *FORWARD_REAL(wrapper);
	out->context = wrapper;
	out->execute = forward_execute;
	out->begin = forward_begin;
	out->commit = forward_commit;
	out->rollback = forward_rollback;
	out->lock = forward_lock;
	out->unlock = forward_unlock;
	out->version_table_ensure = forward_version_table_ensure;
	out->version_rows_read = forward_version_rows_read;
	out->version_row_insert = forward_version_row_insert;
	out->version_row_delete = forward_version_row_delete;
	out->history_ensure = forward_history_ensure;
	out->history_read = forward_history_read;
	out->history_write = forward_history_write;
	out->history_delete = forward_history_delete;
	out->history_downgrade = forward_history_downgrade;
	if (out->version_row_update != NULL)
		out->version_row_update = forward_version_row_update;
	if (out->version_state_read != NULL)
		out->version_state_read = forward_version_state_read;
	if (out->version_digest_write != NULL)
		out->version_digest_write = forward_version_digest_write;
}

#endif
