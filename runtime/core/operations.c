/* operations.c: the public operations (migc_upgrade, migc_downgrade,
 * migc_stamp, migc_current, migc_version_rows, migc_applied): each checks
 * its inputs, reads the state, resolves its target and hands it to the
 * executor. */
#include "internal.h"

/* Checks the inputs and reads the version rows; with `refuse`, rows a
 * newer build wrote stop the operation. */
static int start(execution *run, const migc_set *set, const migc_driver *driver,
		 const migc_options *options, int refuse, migc_error *error)
{
	int rc = migc_execution_init(run, set, driver, options, error);

	if (rc == MIGC_OK)
		rc = migc_read_state(run, error);
	if (rc == MIGC_OK && refuse && run->unknown_count > 0)
		rc = migc_refuse_unknown(run, 0, error);
	return rc;
}

int migc_upgrade(const migc_set *set, const migc_driver *driver,
		 const char *target_spelling, const migc_options *options,
		 migc_error *error)
{
	execution run;
	target resolved;
	int at_heads;
	int rc = migc_boot_read(set, driver, target_spelling, options,
				&at_heads, error);

	if (rc != MIGC_OK || at_heads) {
		if (rc == MIGC_OK)
			migc_error_clear(error, MIGC_OK);
		return rc;
	}
	rc = start(&run, set, driver, options, 1, error);
	if (rc == MIGC_OK)
		rc = migc_target_resolve(&run, target_spelling, 0, &resolved,
					 error);
	if (rc != MIGC_OK)
		return rc;
	migc_close_ancestors(set, &resolved.goal);
	return migc_execute(&run, &resolved, MODE_UPGRADE, 0, error);
}

int migc_downgrade(const migc_set *set, const migc_driver *driver,
		   const char *target_spelling, const migc_options *options,
		   migc_error *error)
{
	execution run;
	target resolved;
	revset scope;
	migc_text text;
	int rc = start(&run, set, driver, options, 0, error);

	if (rc != MIGC_OK)
		return rc;
	/* "-N" counts from the rows, which a newer build wrote. */
	if (run.unknown_count > 0 && target_spelling != NULL &&
	    (target_spelling[0] == '-' || target_spelling[0] == '+')) {
		migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
		migc_say(&text, "The database is at revision ");
		migc_text_add(&text, run.unknown[0]);
		migc_say(&text, ", which is not in this build, so a "
				"relative target cannot be counted from "
				"it; name the revision to step back to, "
				"such as 'downgrade ");
		if (set->head_count == 1)
			migc_text_add(&text, set->revisions[set->heads[0]].id);
		else
			migc_say(&text, "heads");
		migc_say(&text, "'.");
		migc_error_set_revision(error, run.unknown[0]);
		return MIGC_EUNKNOWNVERSION;
	}
	rc = migc_target_resolve(&run, target_spelling, 1, &resolved, error);
	if (rc != MIGC_OK)
		return rc;
	/* Check the target now when no step back has to come first. */
	if (run.unknown_count == 0) {
		rc = migc_downgrade_scope(&run, &resolved, &scope, error);
		if (rc != MIGC_OK)
			return rc;
	}
	return migc_execute(&run, &resolved, MODE_DOWNGRADE, 0, error);
}

/* What the readers of the version rows start with: *count cleared, an
 * array with its capacity, and the rows read. */
static int start_reading(execution *run, size_t *count, const void *out,
			 size_t capacity, const migc_set *set,
			 const migc_driver *driver, const migc_options *options,
			 int refuse, migc_error *error)
{
	if (count != NULL)
		*count = 0;
	if (out == NULL && capacity > 0)
		return migc_error_fail(error, MIGC_EINVAL,
				       "A capacity needs an array to fill; "
				       "pass both or neither.");
	return start(run, set, driver, options, refuse, error);
}

int migc_current(const migc_revision **out, size_t capacity, size_t *count,
		 const migc_set *set, const migc_driver *driver,
		 const migc_options *options, migc_error *error)
{
	execution run;
	uint32_t i;
	int rc = start_reading(&run, count, out, capacity, set, driver, options,
			       1, error);

	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < run.row_count && i < capacity; i++)
		out[i] = &set->revisions[run.rows[i]];
	if (count != NULL)
		*count = run.row_count;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

int migc_version_rows(migc_version_row *out, size_t capacity, size_t *count,
		      const migc_set *set, const migc_driver *driver,
		      const migc_options *options, migc_error *error)
{
	execution run;
	migc_text text;
	uint32_t i;
	size_t n = 0;
	int rc = start_reading(&run, count, out, capacity, set, driver, options,
			       0, error);

	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < run.row_count + run.unknown_count; i++, n++) {
		int known = i < run.row_count;

		if (n >= capacity)
			continue;
		out[n].revision = known ? &set->revisions[run.rows[i]] : NULL;
		migc_text_init(&text, out[n].id, sizeof out[n].id);
		migc_text_add(&text, known ? out[n].revision->id
					   : run.unknown[i - run.row_count]);
	}
	if (count != NULL)
		*count = n;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

int migc_stamp_many(const migc_set *set, const migc_driver *driver,
		    const char *const *targets, size_t count, int purge,
		    const migc_options *options, migc_error *error)
{
	execution run;
	target goal;
	int rc = migc_execution_init(&run, set, driver, options, error);

	if (rc == MIGC_OK && targets == NULL && count > 0)
		rc = migc_error_fail(error, MIGC_EINVAL,
				     "migc_stamp_many: a count needs "
				     "targets; pass both.");
	if (rc == MIGC_OK)
		rc = migc_read_state(&run, error);
	if (rc != MIGC_OK)
		return rc;
	if (run.unknown_count > 0 && !purge)
		return migc_refuse_unknown(&run, 1, error);
	rc = migc_stamp_goal(&run, targets, count, &goal, error);
	if (rc != MIGC_OK)
		return rc;
	return migc_execute(&run, &goal, MODE_STAMP, purge, error);
}

int migc_stamp(const migc_set *set, const migc_driver *driver,
	       const char *target_spelling, int purge,
	       const migc_options *options, migc_error *error)
{
	return migc_stamp_many(set, driver, &target_spelling, 1, purge, options,
			       error);
}

int migc_applied(unsigned char *out, size_t capacity, const migc_set *set,
		 const migc_driver *driver, const migc_options *options,
		 migc_error *error)
{
	execution run;
	uint32_t i;
	int rc = migc_execution_init(&run, set, driver, options, error);

	if (rc == MIGC_OK && (out == NULL || capacity < set->revision_count))
		rc = migc_error_fail(error, MIGC_EINVAL,
				     "migc_applied needs one byte per "
				     "revision of the set.");
	if (rc == MIGC_OK)
		rc = migc_read_state(&run, error);
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < set->revision_count; i++)
		out[i] = (unsigned char)migc_revset_has(&run.applied, i);
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}
