/* steps.h: what the firmware image does with its set, on the target
 * (image.c) and on the host (trace.c) alike, on the upgrade-only core
 * (MIGC_PROFILE_UPGRADE_ONLY) through the RAM driver: a first boot
 * (base -> head), a boot with nothing pending (one read), a boot after a
 * firmware update brought a new revision, one whose second new revision
 * fails partway (a power loss: rolled back), and the boot after it. Each
 * step that brings new revisions first rewinds the RAM database to what an
 * older firmware (a set without its last revisions; the example set is
 * linear) left. Every driver call, each step's result and the version
 * rows after it go to one trace, so the target's can be checked against
 * the host's line by line. */
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

/* How many steps there are, and the one whose revision fails. */
#define FIRMWARE_STEP_COUNT 6
#define FIRMWARE_STEP_POWER_LOSS 3

/* Runs step `step` (0-based) of `set` through `driver` (a ram_driver
 * reporting to `trace`), then reports the version rows it left; a "step"
 * line first and "result", "rows" and "version_row" lines after.
 * Returns MIGC_OK when the step's result is the one it expects (a failure
 * for the power loss), else that result (MIGC_EINVAL for a success that
 * should have failed), `error` (may be NULL) filled by the core. */
int firmware_step(unsigned step, const migc_set *set, const migc_driver *driver,
		  ram_trace_fn trace, void *payload, migc_error *error);

#endif /* FIRMWARE_STEPS_H */
