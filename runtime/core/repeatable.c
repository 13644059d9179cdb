/* repeatable.c: repeatable revisions (migc_repeatable). An upgrade that
 * leaves every revision applied then applies each repeatable whose
 * checksum differs from the one its history row holds; a downgrade that
 * steps back any revision first undoes every applied repeatable with the
 * downgrade its row stored, so no view is left over a column the
 * downgrade drops. Each one is a step of its own: its statements and its
 * history row in one transaction. The rows live in the history table
 * under "R:<name>", which no revision id can be, so the driver interface
 * stays as it was and older builds pass over them. */
#include "internal.h"

#define PREFIX_LENGTH (sizeof MIGC_REPEATABLE_PREFIX - 1)
#define KEY_SIZE      (MIGC_REVISION_ID_MAX + 1)

#ifndef MIGC_NO_REPEATABLES

/* A set with repeatables refers to it (see migc.h). */
const char migc_repeatables_runtime = 1;

MIGC_INTERNAL int migc_repeatables_check(const migc_set *set, migc_error *error)
{
	uint32_t i;
	uint32_t k;

	if (set->repeatable_count > MIGC_MAX_REVISIONS)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The set has more repeatable revisions "
				       "than MIGC_MAX_REVISIONS; rebuild the "
				       "runtime with a larger one.");
	if (set->repeatable_count > 0 && set->repeatables == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "The set is malformed: it counts "
				       "repeatable revisions but has none; "
				       "regenerate the set.");
	for (i = 0; i < set->repeatable_count; i++) {
		const migc_repeatable *r = &set->repeatables[i];
		int bad =
		    r->name == NULL || r->name[0] == '\0' ||
		    migc_string_length(r->name) > MIGC_REPEATABLE_NAME_MAX;

		for (k = 0; k < r->dependency_count; k++)
			bad |= r->dependencies[k] >= i;
		if (bad)
			return migc_error_fail(
			    error, MIGC_EINVAL,
			    "The set is malformed: a repeatable revision has "
			    "no name, a name too long, or depends on one that "
			    "does not come before it; regenerate the set.");
	}
	return MIGC_OK;
}

static size_t key_of(char key[KEY_SIZE], const char *name)
{
	migc_text text;

	migc_text_init(&text, key, KEY_SIZE);
	migc_text_add(&text, MIGC_REPEATABLE_PREFIX);
	migc_text_add(&text, name);
	return text.length;
}

/* The repeatable a history row's version_num names; NO_REVISION for a
 * revision's row or a repeatable this set lacks (*is_key tells which). */
static uint32_t repeatable_of(const migc_set *set, const char *revision,
			      size_t length, int *is_key)
{
	uint32_t i;

	*is_key = length > PREFIX_LENGTH &&
		  migc_string_equal_n(MIGC_REPEATABLE_PREFIX, revision,
				      PREFIX_LENGTH);
	for (i = 0; *is_key && i < set->repeatable_count; i++) {
		if (migc_string_equal_n(set->repeatables[i].name,
					revision + PREFIX_LENGTH,
					length - PREFIX_LENGTH))
			return i;
	}
	return NO_REVISION;
}

static void announce_repeatable(const execution *run, int kind,
				const char *name)
{
	/* MIGC_PHASE_REVISION, a repeatable's only phase, with no number,
	 * statement or result. */
	static const migc_event start;
	migc_event event = start;

	/* Bit 0 (MIGC_PHASE_REVISION) is set when there is a callback. */
	if (!(run->progress_events & 1u))
		return;
	event.kind = kind;
	event.set = run->set;
	event.id = name;
	run->options->progress(&event, run->options->progress_payload);
}

/* One pass over the history table's rows of repeatables: which of this
 * build's hold its checksum, and the next to undo (this build's last to
 * first, then those it lacks). */
typedef struct repeatable_scan {
	const migc_set *set;
	revset current;
	uint32_t index; /* of `key`; NO_REVISION: none of this build's */
	char key[KEY_SIZE];
	size_t key_length; /* 0: nothing to undo */
} repeatable_scan;

static int on_repeatable_row(const migc_history_row *row, void *payload)
{
	repeatable_scan *scan = payload;
	int is_key;
	uint32_t i = repeatable_of(scan->set, row->revision,
				   row->revision_length, &is_key);
	migc_text text;

	if (!is_key || row->revision_length >= KEY_SIZE)
		return 0;
	if (i != NO_REVISION &&
	    row->checksum == scan->set->repeatables[i].checksum)
		migc_revset_add(&scan->current, i);
	if (i == NO_REVISION ? scan->key_length > 0
			     : scan->index != NO_REVISION && i < scan->index)
		return 0;
	scan->index = i;
	migc_text_init(&text, scan->key, KEY_SIZE);
	migc_text_add_n(&text, row->revision, row->revision_length);
	scan->key_length = text.length;
	return 0;
}

/* Begins a transaction and scans the history table. */
static int history_scan(const execution *run, repeatable_scan *scan,
			migc_error *error)
{
	const migc_driver *d = run->driver;
	int rc = d->begin(d->context, error);

	scan->set = run->set;
	migc_revset_clear(&scan->current);
	scan->index = NO_REVISION;
	scan->key_length = 0;
	if (rc == MIGC_OK)
		rc = d->history_read(d->context, run->history,
				     run->history_length, on_repeatable_row,
				     scan, error);
	return rc;
}

static int needs_history(const execution *run, migc_error *error)
{
	if (run->has_history)
		return MIGC_OK;
	return migc_error_fail(error, MIGC_EINVAL,
			       "The set has repeatable revisions, which are "
			       "recorded in the history table, but the "
			       "driver has no history functions.");
}

/* ---- applying ---- */

static int repeatable_failed(const migc_repeatable *r, uint32_t i,
			     const migc_error *driver_error, int rc,
			     migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_ESTATEMENT, &text);
	migc_say(&text, "Repeatable revision ");
	migc_text_add(&text, r->name);
	migc_say(&text, " failed at statement ");
	migc_text_add_unsigned(&text, i + 1);
	migc_say(&text, " (");
	migc_text_add(&text, r->source_file != NULL ? r->source_file : "?");
	migc_text_add(&text, ":");
	migc_text_add_unsigned(&text, r->upgrade[i].line);
	migc_say(&text, "): ");
	migc_text_add(&text, driver_error->message[0] != '\0'
				 ? driver_error->message
				 : migc_result_text(rc));
	migc_say(&text, ". It was rolled back; the revisions stay applied and "
			"the repeatable keeps what was recorded before.");
	if (error != NULL) {
		key_of(error->revision, r->name);
		error->statement_index = i + 1;
		error->source_file = r->source_file;
		error->line = r->upgrade[i].line;
		error->driver_code = driver_error->driver_code;
	}
	return MIGC_ESTATEMENT;
}

/* One repeatable and its history row, in a transaction of its own. */
static MIGC_NOINLINE int apply_one(const execution *run, uint32_t index,
				   migc_error *error)
{
	const migc_driver *d = run->driver;
	const migc_repeatable *r = &run->set->repeatables[index];
	char key[KEY_SIZE];
	migc_history_row row;
	migc_error driver_error;
	uint32_t i;
	int rc;

	announce_repeatable(run, MIGC_EVENT_REPEATABLE, r->name);
	rc = d->begin(d->context, error);
	for (i = 0; rc == MIGC_OK && i < r->upgrade_count; i++) {
		migc_error_clear(&driver_error, MIGC_OK);
		rc = d->execute(d->context, r->upgrade[i].sql,
				r->upgrade[i].length, &driver_error);
		if (rc != MIGC_OK) {
			migc_rollback_quietly(run);
			return repeatable_failed(r, i, &driver_error, rc,
						 error);
		}
	}
	if (rc != MIGC_OK)
		return rc;
	row.revision = key;
	row.revision_length = key_of(key, r->name);
	row.parents = "";
	row.parents_length = 0;
	row.checksum = r->checksum;
	row.statements_done = r->upgrade_count;
	row.duration_ms = MIGC_DURATION_MEASURE;
	row.flags = 0;
	row.downgrade_done = 0;
	rc = d->history_write(d->context, run->history, run->history_length,
			      &row, r->downgrade, r->downgrade_count, error);
	return migc_commit_or_rollback(run, rc, error);
}

MIGC_INTERNAL int migc_repeatables_apply(const execution *run,
					 migc_error *error)
{
	repeatable_scan scan;
	uint32_t first;
	uint32_t i;
	int rc;

	if (run->set->repeatable_count == 0 ||
	    migc_revset_count(run->set, &run->applied, &first) !=
		run->set->revision_count)
		return MIGC_OK;
	rc = needs_history(run, error);
	if (rc != MIGC_OK)
		return rc;
	/* Read once under the lock: no other runner writes meanwhile. */
	rc = history_scan(run, &scan, error);
	rc = migc_commit_or_rollback(run, rc, error);
	for (i = 0; rc == MIGC_OK && i < run->set->repeatable_count; i++) {
		if (!migc_revset_has(&scan.current, i))
			rc = apply_one(run, i, error);
	}
	return rc;
}

/* ---- undoing ---- */

static int undo_failed(const char *key, migc_error *error)
{
	migc_text text;
	char reason[MIGC_ERROR_MESSAGE_SIZE];

	if (error == NULL)
		return MIGC_ESTATEMENT;
	migc_text_init(&text, reason, sizeof reason);
	migc_text_add(&text, error->message);
	migc_text_init(&text, error->message, sizeof error->message);
	migc_say(&text, "Undoing repeatable revision ");
	migc_text_add(&text, key + PREFIX_LENGTH);
	migc_say(&text, " with the downgrade stored in the history failed: ");
	migc_text_add(&text, reason);
	migc_say(&text, ". It was rolled back; nothing was stepped back.");
	migc_text_init(&text, error->revision, sizeof error->revision);
	migc_text_add(&text, key);
	error->code = MIGC_ESTATEMENT;
	return MIGC_ESTATEMENT;
}

/* One pass: the next applied repeatable undone and its row deleted, in
 * one transaction; *done when none is left. */
static MIGC_NOINLINE int undo_next(const execution *run, int *done,
				   migc_error *error)
{
	const migc_driver *d = run->driver;
	repeatable_scan scan;
	int rc = history_scan(run, &scan, error);

	*done = rc == MIGC_OK && scan.key_length == 0;
	if (rc == MIGC_OK && !*done) {
		announce_repeatable(run, MIGC_EVENT_REPEATABLE_UNDO,
				    scan.key + PREFIX_LENGTH);
		rc = d->history_downgrade(d->context, run->history,
					  run->history_length, scan.key,
					  scan.key_length, error);
		if (rc != MIGC_OK) {
			migc_rollback_quietly(run);
			return undo_failed(scan.key, error);
		}
		rc = d->history_delete(d->context, run->history,
				       run->history_length, scan.key,
				       scan.key_length, error);
	}
	return migc_commit_or_rollback(run, rc, error);
}

MIGC_INTERNAL int migc_repeatables_undo(const execution *run,
					const revset *scope, migc_error *error)
{
	uint32_t steps;
	uint32_t left;
	int done = 0;
	int rc;

	if (migc_next_step(run, scope, 1, &left) == NO_REVISION)
		return MIGC_OK;
	rc = needs_history(run, error);

	/* Bounded only against a driver that does not delete rows. */
	for (steps = 0; rc == MIGC_OK && !done && steps <= MIGC_MAX_REVISIONS;
	     steps++)
		rc = undo_next(run, &done, error);
	if (rc == MIGC_OK && !done)
		return migc_error_fail(error, MIGC_EDRIVER,
				       "Undoing the repeatable revisions did "
				       "not end: the history table keeps "
				       "their rows; check the driver's "
				       "history_delete.");
	return rc;
}

#else
typedef int migc_no_repeatables; /* ISO C: no empty translation unit */
#endif /* MIGC_NO_REPEATABLES */
