/* steps.h: what the firmware image does with its set, on the target
 * (image.c) and on the host (trace.c) alike: upgrade base -> head,
 * downgrade -1, upgrade again, and a boot with nothing pending, each
 * followed by a read of the version rows, through the RAM driver. Every
 * driver call and each step's result and rows go to one trace, so the
 * target's can be checked against the host's line by line. */
#ifndef FIRMWARE_STEPS_H
#define FIRMWARE_STEPS_H

#include "ram_driver.h"

/* One line of a trace, as ram_trace_fn reports it; trace.c writes the
 * host's as an array of these (expected_trace.h) for image.c. */
typedef struct trace_line {
	const char *event;
	const char *text;
	uint64_t number;
} trace_line;

/* How many steps there are. */
#define FIRMWARE_STEP_COUNT 4

/* Runs step `step` (0-based) of `set` through `driver` (a ram_driver
 * reporting to `trace`), then reads the version rows; reports a "step"
 * line first and "result", "rows" and "version_row" lines after.
 * Returns the step's result, `error` (may be NULL) filled on failure. */
int firmware_step(unsigned step, const migc_set *set, const migc_driver *driver,
		  ram_trace_fn trace, void *payload, migc_error *error);

#endif /* FIRMWARE_STEPS_H */
