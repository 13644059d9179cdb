/* history.c: the executor's rows in the history table (checksums,
 * progress, parents) and their verification; the text format of the
 * downgrade statements stored there is in encoding.c. Heap-free; the
 * driver owns buffers. */
#include "internal.h"

/* Mismatched checksums handled per pass over the history table: when
 * accepting changed checksums, each pass records up to this many, and its
 * batch takes 16 bytes of stack per entry (firmware/CMakeLists.txt builds
 * with a smaller one; more passes, the same result). */
#ifndef MIGC_CHECKSUM_BATCH
#define MIGC_CHECKSUM_BATCH 32
#endif
#define CHECKSUM_BATCH MIGC_CHECKSUM_BATCH

/* ---- the executor's history rows ---- */

static int on_history_entry(const migc_history_row *row, void *payload)
{
	history_entry *entry = payload;
	size_t i;

	if (row->revision_length != entry->id_length ||
	    !migc_string_equal_n(entry->id, row->revision,
				 row->revision_length))
		return 0;
	entry->found = 1;
	entry->checksum = row->checksum;
	entry->statements_done = row->statements_done;
	entry->duration_ms = row->duration_ms;
	entry->downgrade_done = row->downgrade_done;
	entry->parents_truncated = row->parents_length >= PARENTS_MAX;
	entry->parents_length = 0;
	for (i = 0; i < row->parents_length && i + 1 < PARENTS_MAX; i++)
		entry->parents[entry->parents_length++] = row->parents[i];
	entry->parents[entry->parents_length] = '\0';
	return 1;
}

MIGC_INTERNAL int migc_history_find(const execution *run, const char *id,
				    history_entry *entry, migc_error *error)
{
	const migc_driver *d = run->driver;

	entry->id = id;
	entry->id_length = migc_string_length(id);
	entry->found = 0;
	entry->parents[0] = '\0';
	entry->parents_length = 0;
	if (!run->has_history)
		return MIGC_OK;
	return d->history_read(d->context, run->history, run->history_length,
			       on_history_entry, entry, error);
}

/* Writes the history row of `index`; downgrade_done is a "transaction
 * none" downgrade's progress (0 otherwise). */
MIGC_INTERNAL MIGC_NOINLINE int
migc_history_write_row(const execution *run, uint32_t index,
		       uint32_t statements_done, uint32_t downgrade_done,
		       uint32_t duration_ms, uint64_t checksum,
		       migc_error *error)
{
	if (!run->has_history)
		return MIGC_OK;
	return migc_history_put(run->driver, run->history, run->history_length,
				run->set, index, statements_done,
				downgrade_done, duration_ms, checksum, error);
}

MIGC_INTERNAL int migc_history_record(const execution *run, uint32_t index,
				      uint32_t statements_done,
				      uint32_t duration_ms, uint64_t checksum,
				      migc_error *error)
{
	return migc_history_write_row(run, index, statements_done, 0,
				      duration_ms, checksum, error);
}

MIGC_INTERNAL int migc_history_forget(const execution *run, const char *id,
				      migc_error *error)
{
	const migc_driver *d = run->driver;

	if (!run->has_history)
		return MIGC_OK;
	return d->history_delete(d->context, run->history, run->history_length,
				 id, migc_string_length(id), error);
}

/* Complete history rows whose checksum differs from the compiled one. */
typedef struct checksum_scan {
	const migc_set *set;
	int accepting; /* collect a batch to record; else find the first */
	uint32_t index[CHECKSUM_BATCH];
	uint64_t recorded[CHECKSUM_BATCH];
	uint32_t duration[CHECKSUM_BATCH];
	uint32_t count;
} checksum_scan;

static int on_checksum_row(const migc_history_row *row, void *payload)
{
	checksum_scan *scan = payload;
	uint32_t i =
	    migc_find_index(scan->set, row->revision, row->revision_length);
	const migc_revision *revision;

	if (i == NO_REVISION)
		return 0;
	revision = &scan->set->revisions[i];
	if (row->statements_done < revision->upgrade_count ||
	    row->checksum == revision->checksum)
		return 0;
	if (!scan->accepting) {
		/* The rows come in any order: the one reported is the edited
		 * revision that comes first in the set. */
		if (scan->count == 0 || i < scan->index[0]) {
			scan->index[0] = i;
			scan->recorded[0] = row->checksum;
			scan->count = 1;
		}
		return 0;
	}
	scan->index[scan->count] = i;
	scan->recorded[scan->count] = row->checksum;
	scan->duration[scan->count] = row->duration_ms;
	return ++scan->count == CHECKSUM_BATCH;
}

/* A revision whose recorded checksum differs from this build's: applied
 * in full, or (`partway`) stopped after `statements_done` statements of a
 * "transaction none" upgrade. */
MIGC_INTERNAL int migc_checksum_error(const migc_revision *revision,
				      uint64_t recorded, int partway,
				      uint32_t statements_done,
				      migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_ECHECKSUM, &text);
	migc_say(&text, "Revision ");
	migc_text_add(&text, revision->id);
	migc_say(&text, " (");
	migc_text_add(
	    &text, revision->source_file != NULL ? revision->source_file : "?");
	if (partway) {
		migc_say(&text, ") stopped partway after statement ");
		migc_text_add_unsigned(&text, statements_done);
		migc_say(&text, " with checksum ");
	} else {
		migc_say(&text, ") was applied with checksum ");
	}
	migc_text_add_hex64(&text, recorded);
	migc_say(&text, " but this build has checksum ");
	migc_text_add_hex64(&text, revision->checksum);
	if (partway) {
		migc_say(&text, ": its file was edited since. Revert the "
				"edit, or check the database by hand and "
				"rerun with --accept-changed-checksums / "
				"options.accept_changed_checksums to "
				"resume after statement ");
		migc_text_add_unsigned(&text, statements_done);
		migc_say(&text, ". Nothing was run.");
	} else {
		migc_say(&text, ": its file was edited after it was applied. "
				"Revert the edit and add a new revision "
				"instead, or rerun with "
				"--accept-changed-checksums / "
				"options.accept_changed_checksums to record "
				"the new checksum. Nothing was run.");
	}
	migc_error_set_revision(error, revision->id);
	if (error != NULL)
		error->source_file = revision->source_file;
	return MIGC_ECHECKSUM;
}

/* In the caller's transaction: stops at the first edited revision, or,
 * when accepting, records the compiled checksums. */
MIGC_INTERNAL int migc_verify_checksums(const execution *run, migc_error *error)
{
	const migc_driver *d = run->driver;
	checksum_scan scan;
	uint32_t passes;
	uint32_t i;
	int rc;

	if (!run->has_history)
		return MIGC_OK;
	/* Each pass fixes up to CHECKSUM_BATCH rows; the bound only guards
	 * against a driver that does not store what it is given. */
	for (passes = 0;
	     passes <= run->set->revision_count / CHECKSUM_BATCH + 1;
	     passes++) {
		scan.set = run->set;
		scan.accepting = migc_accepting_checksums(run);
		scan.count = 0;
		rc = d->history_read(d->context, run->history,
				     run->history_length, on_checksum_row,
				     &scan, error);
		if (rc != MIGC_OK || scan.count == 0)
			return rc;
		if (!scan.accepting)
			return migc_checksum_error(
			    &run->set->revisions[scan.index[0]],
			    scan.recorded[0], 0, 0, error);
		for (i = 0; i < scan.count; i++) {
			const migc_revision *revision =
			    &run->set->revisions[scan.index[i]];

			rc = migc_history_record(
			    run, scan.index[i], revision->upgrade_count,
			    scan.duration[i], revision->checksum, error);
			if (rc != MIGC_OK)
				return rc;
		}
	}
	return migc_error_fail(error, MIGC_EDRIVER,
			       "The history table did not take the new "
			       "checksums; check the driver's "
			       "history_write.");
}
