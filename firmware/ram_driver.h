/* ram_driver.h: a migc driver over caller-owned RAM, as a device's
 * database layer would be: the version rows, the stored digest and the
 * history live in a struct the caller allocates (no heap, no globals);
 * statements are not run but reported, with every other driver call, to a
 * trace callback. The firmware image runs the core through it on the
 * target, and firmware/trace.c through the same code on the host, so that
 * the two traces can be compared line by line. */
#ifndef RAM_DRIVER_H
#define RAM_DRIVER_H

#include "migc_driver.h"

#ifndef RAM_HISTORY_ROWS
#define RAM_HISTORY_ROWS 16
#endif

/* One driver call: `event` names it ("execute", "begin", "row_insert",
 * ...), `text` (`length` bytes, not NUL-terminated) is its SQL, table or
 * revision, `number` what else it carries (statements done, a digest),
 * 0 when nothing. */
typedef void (*ram_trace_fn)(const char *event, const char *text, size_t length,
			     uint64_t number, void *payload);

typedef struct ram_history_row {
	char revision[MIGC_REVISION_ID_MAX + 1];
	char parents[(MIGC_REVISION_ID_MAX + 1) * MIGC_MAX_HEADS];
	uint64_t checksum;
	uint32_t statements_done;
	uint32_t downgrade_done;
	uint32_t duration_ms;
	/* The downgrade stays in the set's static data, which outlives the
	 * RAM: kept by reference, not copied. */
	const migc_statement *downgrade;
	uint32_t downgrade_count;
} ram_history_row;

/* What a transaction's rollback restores. */
typedef struct ram_tables {
	char rows[MIGC_MAX_HEADS][MIGC_REVISION_ID_MAX + 1];
	uint64_t digests[MIGC_MAX_HEADS]; /* set_digest per row, 0: NULL */
	uint32_t row_count;
	ram_history_row history[RAM_HISTORY_ROWS];
	uint32_t history_count;
} ram_tables;

typedef struct ram_database {
	ram_tables live;
	ram_tables saved; /* at begin() */
	int in_transaction;
	/* When not 0, the execute this many calls from now fails, as a
	 * statement cut off by a power loss would: its transaction rolls
	 * back. */
	uint32_t fail_execute;
	ram_trace_fn trace; /* may be NULL */
	void *trace_payload;
} ram_database;

/* An empty database (no tables) reporting to `trace`, and `out` a
 * MIGC_DRIVER_VERSION driver over it for `dialect`. */
void ram_driver(migc_driver *out, ram_database *database, const char *dialect,
		ram_trace_fn trace, void *payload);

/* strlen, and whether `stored` is exactly the `length` bytes at `text`:
 * the image has no libc to take them from. */
size_t ram_length(const char *text);
int ram_same(const char *stored, const char *text, size_t length);

#endif /* RAM_DRIVER_H */
