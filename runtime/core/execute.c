/* execute.c: the executor behind migc_upgrade, migc_downgrade and
 * migc_stamp. Under the driver's lock the version rows are read once in a
 * write transaction; each step applies or unapplies the next revision and
 * carries the rows it wrote on to the next, so concurrent runners never
 * repeat one and a step in a transaction re-reads nothing; "transaction
 * none" revisions record their progress per statement and resume; rows a
 * newer build wrote are stepped back with the downgrade stored in the
 * history table. */
#include "internal.h"

static void statement_failed(const migc_revision *revision, int downgrade,
			     int tracked, uint32_t i,
			     const migc_error *driver_error, int rc,
			     migc_error *error)
{
	const migc_statement *statement =
	    downgrade ? &revision->downgrade[i] : &revision->upgrade[i];
	migc_text text;

	migc_error_start(error, MIGC_ESTATEMENT, &text);
	migc_say(&text, downgrade ? "Downgrade of revision " : "Revision ");
	migc_text_add(&text, revision->id);
	migc_say(&text, " failed at statement ");
	migc_text_add_unsigned(&text, i + 1);
	migc_say(&text, " (");
	migc_text_add(
	    &text, revision->source_file != NULL ? revision->source_file : "?");
	migc_text_add(&text, ":");
	migc_text_add_unsigned(&text, statement->line);
	migc_say(&text, "): ");
	migc_text_add(&text, driver_error->message[0] != '\0'
				 ? driver_error->message
				 : migc_result_text(rc));
	if (tracked) {
		migc_say(&text, ". The revision runs outside a "
				"transaction; the statements before this "
				"one stay applied and are recorded in the "
				"history table, so the next run resumes "
				"at statement ");
		migc_text_add_unsigned(&text, i + 1);
		migc_say(&text, downgrade ? " of this downgrade (the next "
					    "upgrade or downgrade finishes "
					    "it first) once the cause is "
					    "fixed."
					  : " once the cause is fixed.");
	} else if (rc == MIGC_ETRANSACTION) {
		/* The driver's message says what the statement left. */
		migc_say(&text, ".");
	} else if (revision->flags & MIGC_REVISION_NO_TRANSACTION) {
		migc_say(&text, ". The revision runs outside a "
				"transaction, so the statements before "
				"this one stay applied; fix the database "
				"by hand before running again.");
	} else {
		migc_say(&text, ". The revision was rolled back; the "
				"database stays at the last good "
				"revision.");
	}
	if (error != NULL) {
		migc_error_set_revision(error, revision->id);
		error->statement_index = i + 1;
		error->source_file = revision->source_file;
		error->line = statement->line;
		error->driver_code = driver_error->driver_code;
	}
}

/* Tells options->progress that `phase` of the step begin_step started
 * begins or ended with `rc`, if the caller asked for that phase; returns
 * `rc`. */
static int announce(const execution *run, int phase, uint32_t statement, int rc)
{
	const migc_revision *revision =
	    run->step_index == NO_REVISION
		? NULL
		: &run->set->revisions[run->step_index];
	migc_event event;

	/* Bit 0, MIGC_PHASE_REVISION, is set when there is a callback. */
	if (!(run->progress_events & (1u << phase)))
		return rc;
	event.kind = MIGC_EVENT_UPGRADE + run->step_downgrade; /* 0 or 1 */
	event.set = run->set;
	event.revision = revision;
	event.id = revision != NULL ? revision->id : run->unknown[0];
	event.parents = run->step_parents;
	event.phase = phase;
	event.number = run->step_number;
	event.count = run->step_count;
	event.statement = statement;
#ifndef MIGC_NO_BASELINE
	if (run->step_baseline != NULL) {
		revision = run->step_baseline;
		event.parents = revision->id;
	}
#endif
	event.statement_count = revision == NULL ? 0
				: run->step_downgrade
				    ? revision->downgrade_count
				    : revision->upgrade_count;
	event.result = rc;
	run->options->progress(&event, run->options->progress_payload);
	return rc;
}

/* The next step: `index` in this direction (NO_REVISION: unknown[0],
 * whose parents are `parents`), announced. */
static MIGC_NOINLINE void begin_step(execution *run, int downgrade,
				     uint32_t index, const char *parents)
{
	run->step_number++;
	run->step_index = index;
	run->step_downgrade = downgrade;
	run->step_parents = parents;
	announce(run, MIGC_PHASE_REVISION, 0, MIGC_OK);
	run->step_parents = NULL;
}

/* Runs statements [from, count). `tracked`: each one is recorded in the
 * history as soon as it ran, for "transaction none": statements_done for
 * an upgrade, downgrade_done for a downgrade. */
static int run_statements(execution *run, uint32_t index,
			  const migc_revision *revision, int downgrade,
			  uint32_t from, int tracked, migc_error *error)
{
	const migc_statement *statements =
	    downgrade ? revision->downgrade : revision->upgrade;
	uint32_t count =
	    downgrade ? revision->downgrade_count : revision->upgrade_count;
	migc_error driver_error;
	uint32_t i;
	int rc;

	for (i = from; i < count; i++) {
		/* In a "transaction none" revision a statement and its
		 * progress row commit together, unless the statement cannot
		 * run in a transaction at all. */
		int atomic = tracked && !(statements[i].flags &
					  MIGC_STATEMENT_NO_TRANSACTION);
		if (atomic) {
			rc = run->driver->begin(run->driver->context, error);
			if (rc != MIGC_OK)
				return rc;
		}
		announce(run, MIGC_PHASE_STATEMENT, i + 1, MIGC_OK);
		migc_error_clear(&driver_error, MIGC_OK);
		rc = run->driver->execute(run->driver->context,
					  statements[i].sql,
					  statements[i].length, &driver_error);
		if (rc != MIGC_OK) {
			if (atomic)
				migc_rollback_quietly(run);
			statement_failed(revision, downgrade, tracked, i,
					 &driver_error, rc, error);
			rc = MIGC_ESTATEMENT;
		} else if (tracked) {
			/* A downgrade's progress row keeps its upgrade's. */
			rc = downgrade
				 ? migc_history_write_row(
				       run, index, revision->upgrade_count,
				       i + 1, run->down_duration_ms,
				       run->down_checksum, error)
				 : migc_history_record(
				       run, index, i + 1, MIGC_DURATION_MEASURE,
				       revision->checksum, error);
			if (atomic)
				rc = migc_commit_or_rollback(run, rc, error);
		}
		if (announce(run, MIGC_PHASE_STATEMENT_DONE, i + 1, rc) !=
		    MIGC_OK)
			return rc;
	}
	return MIGC_OK;
}

/* Version rows and history after applying or unapplying `index`; the
 * rows written in run->next. */
static int record_step(execution *run, uint32_t index, int downgrade,
		       migc_error *error)
{
	const migc_revision *revision = &run->set->revisions[index];
	int rc = migc_heads_after(run, index, downgrade, error);

	if (rc == MIGC_OK)
		rc = migc_update_rows(run, error);
	if (rc != MIGC_OK)
		return rc;
	if (downgrade)
		return migc_history_forget(run, revision->id, error);
	return migc_history_record(run, index, revision->upgrade_count,
				   MIGC_DURATION_MEASURE, revision->checksum,
				   error);
}

/* The next revision toward the target, or NO_REVISION when there: the
 * first in scope not applied (upgrade), the last applied (downgrade);
 * *left: how many steps are left, this one included. */
MIGC_INTERNAL uint32_t migc_next_step(const execution *run, const revset *scope,
				      int downgrade, uint32_t *left)
{
	uint32_t next = NO_REVISION;
	uint32_t i;

	*left = 0;
	for (i = 0; i < run->set->revision_count; i++) {
		if (migc_revset_has(scope, i) &&
		    migc_revset_has(&run->applied, i) == (downgrade != 0)) {
			if (next == NO_REVISION || downgrade)
				next = i;
			++*left;
		}
	}
	return next;
}

/* Where a "transaction none" revision resumes in this direction: the
 * statements an earlier run that stopped partway already ran (0 when
 * none). A downgrade's progress rows keep what the history recorded for
 * its upgrade; an upgrade's must be of this revision's text. Called in a
 * transaction. */
static int resume_point(execution *run, uint32_t index, int downgrade,
			uint32_t *from, migc_error *error)
{
	const migc_revision *revision = &run->set->revisions[index];
	history_entry entry;
	uint32_t done = 0;
	uint32_t count = revision->upgrade_count;
	int rc = migc_history_find(run, revision->id, &entry, error);

	*from = 0;
	run->down_checksum = revision->checksum;
	run->down_duration_ms = 0;
	if (rc != MIGC_OK || !entry.found)
		return rc;
	if (downgrade) {
		run->down_checksum = entry.checksum;
		run->down_duration_ms = entry.duration_ms;
		done = entry.downgrade_done;
		count = revision->downgrade_count;
	} else if (entry.checksum != revision->checksum &&
		   !migc_accepting_checksums(run)) {
		return migc_checksum_error(revision, entry.checksum, 1,
					   entry.statements_done, error);
	} else {
		done = entry.statements_done;
	}
	*from = done < count ? done : count;
	return MIGC_OK;
}

/* One revision outside a transaction; its version rows in a small one.
 * Called inside the transaction of begin_and_read. Both directions record
 * their progress per statement and resume where an earlier run stopped;
 * a downgrade partway leaves the revision applied until it is done. */
static int run_untransacted(execution *run, uint32_t index, int downgrade,
			    migc_error *error)
{
	const migc_revision *revision = &run->set->revisions[index];
	int tracked = run->has_history;
	uint32_t from = 0;
	int still_needed;
	int rc = MIGC_OK;

	if (tracked)
		rc = resume_point(run, index, downgrade, &from, error);
	rc = migc_commit_or_rollback(run, rc, error);
	if (rc != MIGC_OK)
		return rc;
	/* An upgrade's progress row exists before its first statement runs;
	 * a downgrade's is the applied revision's row. */
	if (tracked && !downgrade)
		rc =
		    migc_history_record(run, index, from, MIGC_DURATION_MEASURE,
					revision->checksum, error);
	if (rc == MIGC_OK)
		rc = run_statements(run, index, revision, downgrade, from,
				    tracked, error);
	if (rc != MIGC_OK)
		return rc;
	rc = migc_begin_and_read(run, error);
	if (rc != MIGC_OK)
		return rc;
	/* Another runner may have recorded it meanwhile. */
	still_needed = downgrade ? migc_revset_has(&run->applied, index)
				 : !migc_revset_has(&run->applied, index);
	if (still_needed)
		rc = record_step(run, index, downgrade, error);
	return migc_commit_or_rollback(run, rc, error);
}

/* Is `id` (a parent of a revision this set lacks) already applied? */
static int parent_covered(const execution *run, const char *id, size_t length)
{
	uint32_t index = migc_find_index(run->set, id, length);
	uint32_t k;

	if (index != NO_REVISION)
		return migc_revset_has(&run->applied, index);
	for (k = 0; k < run->unknown_count; k++) {
		if (migc_string_equal_n(run->unknown[k], id, length))
			return 1;
	}
	return 0;
}

/* Steps back from a version row this set lacks, in the transaction of
 * begin_and_read: runs the downgrade stored in its history row and
 * replaces the row by its parents. */
static MIGC_NOINLINE int step_unknown(execution *run, migc_error *error)
{
	const migc_driver *d = run->driver;
	const char *id = run->unknown[0];
	size_t id_length = migc_string_length(id);
	history_entry entry;
	migc_text text;
	size_t start = 0;
	size_t i;
	int rc = migc_history_find(run, id, &entry, error);

	if (rc != MIGC_OK)
		return rc;
	if (!entry.found || entry.parents_truncated) {
		migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
		migc_say(&text, "The database is at revision ");
		migc_text_add(&text, id);
		migc_say(&text, ", which is not in this build, and the "
				"history table '");
		migc_text_add(&text, run->history);
		migc_say(&text, entry.found ? "' lists too many parents for it"
					    : "' has no row for it");
		migc_say(&text, ", so this build cannot step back from "
				"it. Downgrade with the build that "
				"applied it, or, once the schema is "
				"right, adopt the database with "
				"'stamp --purge <revision>'.");
		migc_error_set_revision(error, id);
		return MIGC_EUNKNOWNVERSION;
	}
	begin_step(run, 1, NO_REVISION, entry.parents);
	rc = d->history_downgrade(d->context, run->history, run->history_length,
				  id, id_length, error);
	if (rc != MIGC_OK) {
		migc_text_init(&text, NULL, 0);
		if (error != NULL) {
			char reason[MIGC_ERROR_MESSAGE_SIZE];

			migc_text_init(&text, reason, sizeof reason);
			migc_text_add(&text, error->message);
			migc_text_init(&text, error->message,
				       sizeof error->message);
			migc_say(&text, "Stepping back from revision ");
			migc_text_add(&text, id);
			migc_say(&text, " (not in this build) with the "
					"downgrade stored in the history "
					"failed: ");
			migc_text_add(&text, reason);
			/* Else the driver's message says what stayed. */
			if (rc != MIGC_ESTATEMENT && rc != MIGC_ETRANSACTION)
				migc_say(&text, ". It was rolled back.");
			else
				migc_say(&text, ".");
			migc_error_set_revision(error, id);
			error->code = MIGC_ESTATEMENT;
		}
		return MIGC_ESTATEMENT;
	}
	rc = migc_row_delete(run, id, id_length, error);
	for (i = 0; rc == MIGC_OK && i <= entry.parents_length; i++) {
		const char *parent = entry.parents + start;
		size_t length = i - start;
		uint32_t index;

		if (i < entry.parents_length && entry.parents[i] != ',')
			continue;
		start = i + 1;
		if (length == 0 || parent_covered(run, parent, length))
			continue;
		rc = migc_row_insert(run, parent, length, error);
		index = migc_find_index(run->set, parent, length);
		if (rc == MIGC_OK && index != NO_REVISION) {
			rc = migc_drop_covered_rows(run, index, error);
			migc_revset_add(&run->applied, index);
			migc_close_ancestors(run->set, &run->applied);
		}
	}
	if (rc == MIGC_OK)
		rc = migc_history_forget(run, id, error);
	return rc;
}

/* The state after a step run_step recorded and committed: the rows it
 * wrote (run->next) are the rows, and the heads of what is applied. */
static void step_done(execution *run, uint32_t index, int downgrade)
{
	uint32_t k;

	if (downgrade)
		migc_revset_remove(&run->applied, index);
	else
		migc_revset_add(&run->applied, index);
	for (k = 0; k < run->next_count; k++)
		run->rows[k] = run->next[k];
	run->row_count = run->next_count;
	run->rows_are_heads = 1;
}

/* migc squash: the statements that run for the step to `*index`. From
 * base, a set's baseline stands in for its revision and every one before
 * it (their ancestors are closed under, so it may come first): `*index`
 * becomes that revision. A database with any row follows the chain, and
 * so does every database in a core built with MIGC_NO_BASELINE (the
 * firmware's: its images are built FROM_BASELINE, which needs nothing
 * here). */
static const migc_revision *step_source(const execution *run,
					const revset *scope, int downgrade,
					uint32_t *index)
{
	const migc_set *set = run->set;

#ifndef MIGC_NO_BASELINE
	if (!downgrade && set->baseline != NULL && run->row_count == 0 &&
	    run->unknown_count == 0 && set->baseline->parent_count == 1 &&
	    set->baseline->parents[0] < set->revision_count &&
	    migc_revset_has(scope, set->baseline->parents[0])) {
		*index = set->baseline->parents[0];
		return set->baseline;
	}
#else
	(void)scope;
	(void)downgrade;
#endif
	return &set->revisions[*index];
}

#ifndef MIGC_NO_BASELINE
/* The steps a baseline saves: the revisions it stands for, but one. */
static MIGC_NOINLINE uint32_t baseline_saves(const migc_set *set)
{
	revset members;
	uint32_t first;

	migc_revset_clear(&members);
	migc_revset_add(&members, set->baseline->parents[0]);
	migc_close_ancestors(set, &members);
	return migc_revset_count(set, &members, &first) - 1;
}
#endif

/* Applies or unapplies one revision; *done is set when none is left.
 * `*current`: the rows in `run` are what the last step committed, under
 * the lock, so this step reads nothing (run_step keeps it up to date). */
static int run_step(execution *run, const revset *scope, int downgrade,
		    int *done, int *current, migc_error *error)
{
	const migc_revision *source;
	uint32_t index;
	uint32_t left;
	int rc = *current ? run->driver->begin(run->driver->context, error)
			  : migc_begin_and_read(run, error);

	*current = 0;
	if (rc != MIGC_OK)
		return rc;
	if (run->unknown_count > 0) {
		/* Another runner (a newer build) moved the database on. */
		migc_rollback_quietly(run);
		return migc_refuse_unknown(run, 0, error);
	}
	index = migc_next_step(run, scope, downgrade, &left);
	if (index == NO_REVISION) {
		*done = 1;
		return migc_commit_or_rollback(run, MIGC_OK, error);
	}
	source = step_source(run, scope, downgrade, &index);
	/* N of M: the steps begun and those left. */
	run->step_count = run->step_number + left;
#ifndef MIGC_NO_BASELINE
	run->step_baseline = source == run->set->baseline ? source : NULL;
	if (run->step_baseline != NULL)
		run->step_count -= baseline_saves(run->set);
#endif
	begin_step(run, downgrade, index, NULL);
	if (source->flags & MIGC_REVISION_NO_TRANSACTION)
		rc = run_untransacted(run, index, downgrade, error);
	else {
		rc = run_statements(run, index, source, downgrade, 0, 0,
				    error);
		if (rc == MIGC_OK)
			rc = record_step(run, index, downgrade, error);
		rc = migc_commit_or_rollback(run, rc, error);
		if (rc == MIGC_OK) {
			step_done(run, index, downgrade);
#ifndef MIGC_NO_BASELINE
			/* After a baseline, so are all before its revision. */
			if (source == run->set->baseline)
				migc_close_ancestors(run->set, &run->applied);
#endif
			*current = 1;
		}
	}
	return announce(run, MIGC_PHASE_REVISION_DONE, 0, rc);
}

/* The first applied "transaction none" revision whose downgrade stopped
 * partway (history downgrade_done > 0). */
typedef struct interrupted_scan {
	const execution *run;
	uint32_t index;
} interrupted_scan;

static int on_interrupted_row(const migc_history_row *row, void *payload)
{
	interrupted_scan *scan = payload;
	uint32_t i;

	if (row->downgrade_done == 0)
		return 0;
	i = migc_find_index(scan->run->set, row->revision,
			    row->revision_length);
	if (i == NO_REVISION || !migc_revset_has(&scan->run->applied, i) ||
	    !(scan->run->set->revisions[i].flags &
	      MIGC_REVISION_NO_TRANSACTION))
		return 0;
	/* Rows come in any order; the first in the set is finished first. */
	if (scan->index == NO_REVISION || i < scan->index)
		scan->index = i;
	return 0;
}

static int find_interrupted_downgrade(const execution *run, uint32_t *index,
				      migc_error *error)
{
	const migc_driver *d = run->driver;
	interrupted_scan scan;
	int rc;

	scan.run = run;
	scan.index = NO_REVISION;
	rc =
	    run->has_history
		? d->history_read(d->context, run->history, run->history_length,
				  on_interrupted_row, &scan, error)
		: MIGC_OK;
	*index = scan.index;
	return rc;
}

/* Checks, in the first write transaction, what must hold before anything
 * runs: no rows from a newer build (upgrade) and unedited revisions; and
 * finds, for an upgrade or downgrade, a "transaction none" downgrade an
 * earlier run left partway (*interrupted, NO_REVISION when none). */
static int preflight(execution *run, enum mode mode, int purge,
		     uint32_t *interrupted, migc_error *error)
{
	int rc = migc_begin_and_read(run, error);

	*interrupted = NO_REVISION;
	if (rc != MIGC_OK)
		return rc;
	if (run->unknown_count > 0 &&
	    (mode == MODE_UPGRADE || (mode == MODE_STAMP && !purge)))
		rc = migc_refuse_unknown(run, mode == MODE_STAMP, error);
	if (rc == MIGC_OK && mode != MODE_DOWNGRADE)
		rc = migc_verify_checksums(run, error);
	if (rc == MIGC_OK && mode != MODE_STAMP)
		rc = find_interrupted_downgrade(run, interrupted, error);
	/* Until this operation finishes, no boot may take the rows as
	 * final: a failure or crash from here on leaves no digest. */
	if (rc == MIGC_OK)
		rc = migc_boot_digest_write(run, 0, error);
	return migc_commit_or_rollback(run, rc, error);
}

/* Steps back from every row this set lacks, one transaction each. */
static int step_back_unknown(execution *run, migc_error *error)
{
	uint32_t begun;
	uint32_t steps;
	int rc;

	/* Bounded only against a history table whose parents loop. */
	for (steps = 0; steps < MIGC_MAX_REVISIONS; steps++) {
		rc = migc_begin_and_read(run, error);
		if (rc != MIGC_OK)
			return rc;
		if (run->unknown_count == 0)
			return migc_commit_or_rollback(run, MIGC_OK, error);
		begun = run->step_number;
		rc = migc_commit_or_rollback(run, step_unknown(run, error),
					     error);
		/* Ended, if step_unknown got as far as beginning it. */
		if (begun != run->step_number)
			announce(run, MIGC_PHASE_REVISION_DONE, 0, rc);
		if (rc != MIGC_OK)
			return rc;
	}
	return migc_error_fail(error, MIGC_EUNKNOWNVERSION,
			       "Stepping back from revisions this build lacks "
			       "did not end: the parents in the history "
			       "table form a loop.");
}

/* Finishes the "transaction none" downgrade of `index` that an earlier
 * run left partway (preflight found it; NO_REVISION: none), before
 * anything else runs, so the database is again at a revision boundary:
 * like a journal rolled back at open. */
static int finish_interrupted_downgrade(execution *run, uint32_t index,
					migc_error *error)
{
	int rc;

	if (index == NO_REVISION)
		return MIGC_OK;
	rc = migc_begin_and_read(run, error);
	if (rc != MIGC_OK)
		return rc;
	begin_step(run, 1, index, NULL);
	return announce(run, MIGC_PHASE_REVISION_DONE, 0,
			run_untransacted(run, index, 1, error));
}

/* `to`: for an upgrade, its goal is the whole scope (closed under
 * ancestors); for a downgrade the resolved target; for a stamp the rows
 * to write. */
static int run_locked(execution *run, target *to, enum mode mode, int purge,
		      migc_error *error)
{
	revset scope;
	uint32_t interrupted;
	int done = 0;
	int current = 0;
	int rc = preflight(run, mode, purge, &interrupted, error);

	if (rc != MIGC_OK)
		return rc;
	if (mode == MODE_STAMP)
		return migc_stamp_locked(run, to, purge, error);
	rc = finish_interrupted_downgrade(run, interrupted, error);
	if (rc != MIGC_OK)
		return rc;
	scope = to->goal;
	if (mode == MODE_DOWNGRADE) {
		/* The scope is known once the rows a newer build wrote are
		 * gone and the applied revisions are known. */
		rc = step_back_unknown(run, error);
		if (rc == MIGC_OK)
			rc = migc_read_state(run, error);
		if (rc == MIGC_OK)
			rc = migc_downgrade_scope(run, to, &scope, error);
		/* Repeatables go first, so that none stands over what the
		 * steps drop (see repeatable.c). */
		if (rc == MIGC_OK && migc_repeatable_count(run->set) > 0)
			rc = migc_repeatables_undo(run, &scope, error);
	}
	while (rc == MIGC_OK && !done)
		rc = run_step(run, &scope, mode == MODE_DOWNGRADE, &done,
			      &current, error);
	if (rc == MIGC_OK && mode == MODE_UPGRADE)
		rc = migc_repeatables_apply(run, error);
	return rc;
}

/* The driver's lock (or unlock) of "<set name>:<version table>"
 * (migc_lock_call, which builds the key in a frame of its own). */
static int lock_call(const execution *run, int unlock, migc_error *error)
{
	return migc_lock_call(run->driver, run->set, run->table, unlock, error);
}

MIGC_INTERNAL int migc_execute(execution *run, target *to, enum mode mode,
			       int purge, migc_error *error)
{
	const migc_options *options = run->options;
	int rc = lock_call(run, 0, error);
	int unlock_rc;

	/* Bit 0, MIGC_PHASE_REVISION, when there is a callback; the other
	 * phases when asked for (options version 2). */
	run->progress_events = 0;
	if (options != NULL && options->progress != NULL)
		run->progress_events =
		    1u | (options->version >= 2 ? options->progress_events : 0);
	run->step_number = 0;
	run->step_count = 0;
#ifndef MIGC_NO_BASELINE
	run->step_baseline = NULL;
#endif

	if (rc != MIGC_OK)
		return rc;
	rc = run_locked(run, to, mode, purge, error);
	/* With repeatables, only an upgrade (which applied them) may tell
	 * the next boot that nothing is pending. */
	if (rc == MIGC_OK &&
	    (mode == MODE_UPGRADE || migc_repeatable_count(run->set) == 0))
		rc = migc_boot_digest_store(run, error);
	/* After a failure, its error stays what the caller sees. */
	unlock_rc = lock_call(run, 1, rc == MIGC_OK ? error : NULL);
	if (rc == MIGC_OK)
		rc = unlock_rc;
	if (rc == MIGC_OK)
		migc_error_clear(error, MIGC_OK);
	return rc;
}
