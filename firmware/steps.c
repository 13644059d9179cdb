/* steps.c: the steps of steps.h. */
#include "steps.h"

static const struct {
	const char *name;
	uint32_t rewind; /* revisions an older firmware's set lacked */
	int expect;
} steps[FIRMWARE_STEP_COUNT] = {
    {"first boot: upgrade base -> head", 0, MIGC_OK},
    {"boot at head (one read)", 0, MIGC_OK},
    {"boot after an update with a new revision", 1, MIGC_OK},
    {"boot after an update with two, power lost in the second", 2,
     MIGC_ESTATEMENT},
    {"boot after the power loss", 0, MIGC_OK},
    {"boot at head again (one read)", 0, MIGC_OK},
};

static void copy(char *out, const char *text)
{
	size_t i;

	for (i = 0; text[i] != '\0'; i++)
		out[i] = text[i];
	out[i] = '\0';
}

/* The database as an older firmware whose set lacked the last `count`
 * revisions left it: at the revision before them, with that set's digest
 * (another one), without their history rows. */
static void rewind_to(ram_database *db, const migc_set *set, uint32_t count)
{
	const char *id = set->revisions[set->revision_count - 1 - count].id;
	uint32_t i;
	uint32_t kept = 0;

	copy(db->live.rows[0], id);
	db->live.digests[0] = set->digest ^ 1u;
	db->live.row_count = 1;
	for (i = 0; i < db->live.history_count; i++) {
		uint32_t k;
		int newer = 0;

		for (k = 0; k < count; k++)
			newer |= ram_same(
			    db->live.history[i].revision,
			    set->revisions[set->revision_count - 1 - k].id,
			    ram_length(
				set->revisions[set->revision_count - 1 - k]
				    .id));
		if (!newer)
			db->live.history[kept++] = db->live.history[i];
	}
	db->live.history_count = kept;
}

int firmware_step(unsigned step, const migc_set *set, const migc_driver *driver,
		  ram_trace_fn trace, void *payload, migc_error *error)
{
	ram_database *db = driver->context;
	uint32_t i;
	int rc;

	trace("step", steps[step].name, ram_length(steps[step].name), step + 1,
	      payload);
	if (steps[step].rewind > 0)
		rewind_to(db, set, steps[step].rewind);
	/* The first statement of the second new revision fails. */
	if (step == FIRMWARE_STEP_POWER_LOSS)
		db->fail_execute =
		    set->revisions[set->revision_count - 2].upgrade_count + 1;
	rc = migc_upgrade(set, driver, "head", NULL, error);
	db->fail_execute = 0;
	trace("result", "", 0, (uint64_t)-rc, payload);
	trace("rows", "", 0, db->live.row_count, payload);
	for (i = 0; i < db->live.row_count; i++)
		trace("version_row", db->live.rows[i],
		      ram_length(db->live.rows[i]), db->live.digests[i],
		      payload);
	if (rc == steps[step].expect)
		return MIGC_OK;
	return rc == MIGC_OK ? MIGC_EINVAL : rc;
}
