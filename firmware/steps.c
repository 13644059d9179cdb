/* steps.c: the steps of steps.h. */
#include "steps.h"

static const struct {
	const char *name;
	int downgrade;
	const char *target;
} steps[FIRMWARE_STEP_COUNT] = {
    {"upgrade head", 0, "head"},
    {"downgrade -1", 1, "-1"},
    {"upgrade head again", 0, "head"},
    {"boot at head (one read)", 0, "head"},
};

int firmware_step(unsigned step, const migc_set *set, const migc_driver *driver,
		  ram_trace_fn trace, void *payload, migc_error *error)
{
	/* Static, so that the stack the image measures is the core's and
	 * its callbacks', not this frame's. */
	static migc_version_row rows[MIGC_MAX_HEADS];
	size_t count = 0;
	size_t i;
	int rc;

	trace("step", steps[step].name, ram_length(steps[step].name), step + 1,
	      payload);
	rc = steps[step].downgrade
		 ? migc_downgrade(set, driver, steps[step].target, NULL, error)
		 : migc_upgrade(set, driver, steps[step].target, NULL, error);
	trace("result", "", 0, (uint64_t)-rc, payload);
	if (rc == MIGC_OK)
		rc = migc_version_rows(rows, MIGC_MAX_HEADS, &count, set,
				       driver, NULL, error);
	trace("rows", "", 0, count, payload);
	for (i = 0; rc == MIGC_OK && i < count && i < MIGC_MAX_HEADS; i++)
		trace("version_row", rows[i].id, ram_length(rows[i].id),
		      rows[i].revision != NULL, payload);
	return rc;
}
