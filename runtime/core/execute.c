/* execute.c: the executor behind migc_upgrade, migc_downgrade and
 * migc_stamp. Under the driver's lock each step re-reads the version rows in
 * a write transaction and applies or unapplies the next revision, so
 * concurrent runners never repeat one; "transaction none" revisions record
 * their progress per statement and resume; rows a newer build wrote are
 * stepped back with the downgrade stored in the history table. */
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
	migc_text_add(&text,
		      downgrade ? "Downgrade of revision " : "Revision ");
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

/* Runs statements [from, count). `tracked`: each one is recorded in the
 * history as soon as it ran, for "transaction none": statements_done for
 * an upgrade, downgrade_done for a downgrade. */
static int run_statements(const plan *p, uint32_t index, int downgrade,
			  uint32_t from, int tracked, migc_error *error)
{
	const migc_revision *revision = &p->set->revisions[index];
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
			rc = p->driver->begin(p->driver->context, error);
			if (rc != MIGC_OK)
				return rc;
		}
		migc_error_clear(&driver_error, MIGC_OK);
		rc = p->driver->execute(p->driver->context, statements[i].sql,
					statements[i].length, &driver_error);
		if (rc != MIGC_OK) {
			if (atomic)
				rollback_quietly(p);
			statement_failed(revision, downgrade, tracked, i,
					 &driver_error, rc, error);
			return MIGC_ESTATEMENT;
		}
		if (tracked && downgrade) {
			rc = history_write_row(p, index,
					       revision->upgrade_count, i + 1,
					       p->down_duration_ms,
					       p->down_checksum, error);
			if (atomic)
				rc = commit_or_rollback(p, rc, error);
			if (rc != MIGC_OK)
				return rc;
		} else if (tracked) {
			rc = history_record(p, index, i + 1,
					    MIGC_DURATION_MEASURE,
					    revision->checksum, error);
			if (atomic)
				rc = commit_or_rollback(p, rc, error);
			if (rc != MIGC_OK)
				return rc;
		}
	}
	return MIGC_OK;
}

/* `applied` after applying or unapplying `index`. */
void applied_after(const plan *p, uint32_t index, int downgrade,
			  revset *after)
{
	*after = p->applied;
	if (downgrade)
		revset_remove(after, index);
	else
		revset_add(after, index);
}

/* Version rows and history after applying or unapplying `index`. */
static int record_step(const plan *p, uint32_t index, int downgrade,
		       migc_error *error)
{
	const migc_revision *revision = &p->set->revisions[index];
	int rc = update_rows(p, index, downgrade, error);

	if (rc != MIGC_OK)
		return rc;
	if (downgrade)
		return history_forget(p, revision->id, error);
	return history_record(p, index, revision->upgrade_count,
			      MIGC_DURATION_MEASURE, revision->checksum, error);
}

/* The next revision toward the target, or NO_REVISION when there. */
uint32_t next_step(const plan *p, const revset *scope, int downgrade)
{
	uint32_t i;

	if (!downgrade) {
		for (i = 0; i < p->set->revision_count; i++) {
			if (revset_has(scope, i) && !revset_has(&p->applied, i))
				return i;
		}
		return NO_REVISION;
	}
	i = p->set->revision_count;
	while (i-- > 0) {
		if (revset_has(scope, i) && revset_has(&p->applied, i))
			return i;
	}
	return NO_REVISION;
}

static void announce(const plan *p, int kind, uint32_t index, const char *id,
		     const char *parents)
{
	migc_event event;

	if (p->options == NULL || p->options->progress == NULL)
		return;
	event.kind = kind;
	event.set = p->set;
	event.revision =
	    index == NO_REVISION ? NULL : &p->set->revisions[index];
	event.id = index == NO_REVISION ? id : p->set->revisions[index].id;
	event.parents = parents;
	p->options->progress(&event, p->options->progress_payload);
}

/* Where a "transaction none" upgrade resumes: statements already done by
 * an earlier run that stopped partway (0 when none). Called in a
 * transaction. */
static int resume_point(const plan *p, uint32_t index, uint32_t *from,
			migc_error *error)
{
	const migc_revision *revision = &p->set->revisions[index];
	history_entry entry;
	migc_text text;
	int rc = history_find(p, revision->id, &entry, error);

	*from = 0;
	if (rc != MIGC_OK || !entry.found)
		return rc;
	if (entry.checksum != revision->checksum && !accepting_checksums(p)) {
		migc_error_start(error, MIGC_ECHECKSUM, &text);
		migc_say(&text, "Revision ");
		migc_text_add(&text, revision->id);
		migc_say(&text, " (");
		migc_text_add(&text, revision->source_file != NULL
					 ? revision->source_file
					 : "?");
		migc_say(&text, ") stopped partway after statement ");
		migc_text_add_unsigned(&text, entry.statements_done);
		migc_say(&text, " with checksum ");
		migc_text_add_hex64(&text, entry.checksum);
		migc_say(&text, " but this build has checksum ");
		migc_text_add_hex64(&text, revision->checksum);
		migc_say(&text, ": its file was edited since. Revert the "
				"edit, or check the database by hand and "
				"rerun with --accept-changed-checksums / "
				"options.accept_changed_checksums to "
				"resume after statement ");
		migc_text_add_unsigned(&text, entry.statements_done);
		migc_say(&text, ". Nothing was run.");
		migc_error_set_revision(error, revision->id);
		if (error != NULL)
			error->source_file = revision->source_file;
		return MIGC_ECHECKSUM;
	}
	*from = entry.statements_done < revision->upgrade_count
		    ? entry.statements_done
		    : revision->upgrade_count;
	return MIGC_OK;
}

/* Where a "transaction none" downgrade resumes: its statements already
 * run by an earlier run that stopped partway (0 when none). Called in a
 * transaction. */
static int downgrade_resume_point(plan *p, uint32_t index, uint32_t *from,
				  migc_error *error)
{
	const migc_revision *revision = &p->set->revisions[index];
	history_entry entry;
	int rc = history_find(p, revision->id, &entry, error);

	*from = 0;
	p->down_checksum = revision->checksum;
	p->down_duration_ms = 0;
	if (rc != MIGC_OK || !entry.found)
		return rc;
	p->down_checksum = entry.checksum;
	p->down_duration_ms = entry.duration_ms;
	*from = entry.downgrade_done < revision->downgrade_count
		    ? entry.downgrade_done
		    : revision->downgrade_count;
	return MIGC_OK;
}

/* One revision outside a transaction; its version rows in a small one.
 * Called inside the transaction of begin_and_read. Both directions record
 * their progress per statement and resume where an earlier run stopped;
 * a downgrade partway leaves the revision applied until it is done. */
static int run_untransacted(plan *p, uint32_t index, int downgrade,
			    migc_error *error)
{
	const migc_revision *revision = &p->set->revisions[index];
	int tracked = p->has_history;
	uint32_t from = 0;
	int still_needed;
	int rc = MIGC_OK;

	if (tracked)
		rc = downgrade ? downgrade_resume_point(p, index, &from, error)
			       : resume_point(p, index, &from, error);
	rc = commit_or_rollback(p, rc, error);
	if (rc != MIGC_OK)
		return rc;
	/* An upgrade's progress row exists before its first statement runs;
	 * a downgrade's is the applied revision's row. */
	if (tracked && !downgrade)
		rc = history_record(p, index, from, MIGC_DURATION_MEASURE,
				    revision->checksum, error);
	if (rc == MIGC_OK)
		rc = run_statements(p, index, downgrade, from, tracked, error);
	if (rc != MIGC_OK)
		return rc;
	rc = begin_and_read(p, error);
	if (rc != MIGC_OK)
		return rc;
	/* Another runner may have recorded it meanwhile. */
	still_needed = downgrade ? revset_has(&p->applied, index)
				 : !revset_has(&p->applied, index);
	if (still_needed)
		rc = record_step(p, index, downgrade, error);
	return commit_or_rollback(p, rc, error);
}

/* Is `id` (a parent of a revision this set lacks) already applied? */
static int parent_covered(const plan *p, const char *id, size_t length)
{
	uint32_t index = find_index(p->set, id, length);
	uint32_t k;

	if (index != NO_REVISION)
		return revset_has(&p->applied, index);
	for (k = 0; k < p->unknown_count; k++) {
		if (migc_string_equal_n(p->unknown[k], id, length))
			return 1;
	}
	return 0;
}

/* Steps back from a version row this set lacks, in the transaction of
 * begin_and_read: runs the downgrade stored in its history row and
 * replaces the row by its parents. */
static int step_unknown(plan *p, migc_error *error)
{
	const migc_driver *d = p->driver;
	const char *id = p->unknown[0];
	size_t id_length = migc_string_length(id);
	history_entry entry;
	migc_text text;
	size_t start = 0;
	size_t i;
	int rc = history_find(p, id, &entry, error);

	if (rc != MIGC_OK)
		return rc;
	if (!entry.found || entry.parents_truncated) {
		migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
		migc_say(&text, "The database is at revision ");
		migc_text_add(&text, id);
		migc_say(&text, ", which is not in this build, and the "
				"history table '");
		migc_text_add(&text, p->history);
		migc_text_add(&text, entry.found ? "' lists too many parents "
						   "for it"
						 : "' has no row for it");
		migc_say(&text, ", so this build cannot step back from "
				"it. Downgrade with the build that "
				"applied it, or, once the schema is "
				"right, adopt the database with "
				"'stamp --purge <revision>'.");
		migc_error_set_revision(error, id);
		return MIGC_EUNKNOWNVERSION;
	}
	announce(p, MIGC_EVENT_DOWNGRADE, NO_REVISION, id, entry.parents);
	rc = d->history_downgrade(d->context, p->history, p->history_length, id,
				  id_length, error);
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
	rc = d->version_row_delete(d->context, p->table, p->table_length, id,
				   id_length, error);
	for (i = 0; rc == MIGC_OK && i <= entry.parents_length; i++) {
		const char *parent = entry.parents + start;
		size_t length = i - start;
		uint32_t index;

		if (i < entry.parents_length && entry.parents[i] != ',')
			continue;
		start = i + 1;
		if (length == 0 || parent_covered(p, parent, length))
			continue;
		rc =
		    d->version_row_insert(d->context, p->table, p->table_length,
					  parent, length, error);
		index = find_index(p->set, parent, length);
		if (rc == MIGC_OK && index != NO_REVISION) {
			rc = drop_covered_rows(p, index, error);
			revset_add(&p->applied, index);
			close_ancestors(p->set, &p->applied);
		}
	}
	if (rc == MIGC_OK)
		rc = history_forget(p, id, error);
	return rc;
}

/* Applies or unapplies one revision; *done is set when none is left. */
static int run_step(plan *p, const revset *scope, int downgrade, int *done,
		    migc_error *error)
{
	uint32_t index;
	int rc = begin_and_read(p, error);

	if (rc != MIGC_OK)
		return rc;
	if (p->unknown_count > 0) {
		/* Another runner (a newer build) moved the database on. */
		rollback_quietly(p);
		return refuse_unknown(p, 0, error);
	}
	index = next_step(p, scope, downgrade);
	if (index == NO_REVISION) {
		*done = 1;
		return commit_or_rollback(p, MIGC_OK, error);
	}
	announce(p, downgrade ? MIGC_EVENT_DOWNGRADE : MIGC_EVENT_UPGRADE,
		 index, NULL, NULL);
	if (p->set->revisions[index].flags & MIGC_REVISION_NO_TRANSACTION)
		return run_untransacted(p, index, downgrade, error);
	rc = run_statements(p, index, downgrade, 0, 0, error);
	if (rc == MIGC_OK)
		rc = record_step(p, index, downgrade, error);
	return commit_or_rollback(p, rc, error);
}

/* The first applied "transaction none" revision whose downgrade stopped
 * partway (history downgrade_done > 0). */
typedef struct interrupted_scan {
	const plan *p;
	uint32_t index;
} interrupted_scan;

static int on_interrupted_row(const migc_history_row *row, void *payload)
{
	interrupted_scan *scan = payload;
	uint32_t i;

	if (row->downgrade_done == 0)
		return 0;
	i = find_index(scan->p->set, row->revision, row->revision_length);
	if (i == NO_REVISION || !revset_has(&scan->p->applied, i) ||
	    !(scan->p->set->revisions[i].flags & MIGC_REVISION_NO_TRANSACTION))
		return 0;
	scan->index = i;
	return 1;
}

static int find_interrupted_downgrade(const plan *p, uint32_t *index,
				      migc_error *error)
{
	const migc_driver *d = p->driver;
	interrupted_scan scan;
	int rc;

	scan.p = p;
	scan.index = NO_REVISION;
	rc = p->has_history
		 ? d->history_read(d->context, p->history, p->history_length,
				   on_interrupted_row, &scan, error)
		 : MIGC_OK;
	*index = scan.index;
	return rc;
}

/* Checks, in the first write transaction, what must hold before anything
 * runs: no rows from a newer build (upgrade) and unedited revisions; and
 * finds, for an upgrade or downgrade, a "transaction none" downgrade an
 * earlier run left partway (*interrupted, NO_REVISION when none). */
static int preflight(plan *p, enum mode mode, int purge,
		     uint32_t *interrupted, migc_error *error)
{
	int rc = begin_and_read(p, error);

	*interrupted = NO_REVISION;
	if (rc != MIGC_OK)
		return rc;
	if (p->unknown_count > 0 &&
	    (mode == MODE_UPGRADE || (mode == MODE_STAMP && !purge)))
		rc = refuse_unknown(p, mode == MODE_STAMP, error);
	if (rc == MIGC_OK && mode != MODE_DOWNGRADE)
		rc = verify_checksums(p, error);
	if (rc == MIGC_OK && mode != MODE_STAMP)
		rc = find_interrupted_downgrade(p, interrupted, error);
	return commit_or_rollback(p, rc, error);
}

/* Steps back from every row this set lacks, one transaction each. */
static int step_back_unknown(plan *p, migc_error *error)
{
	uint32_t steps;
	int rc;

	/* Bounded only against a history table whose parents loop. */
	for (steps = 0; steps < MIGC_MAX_REVISIONS; steps++) {
		rc = begin_and_read(p, error);
		if (rc != MIGC_OK)
			return rc;
		if (p->unknown_count == 0)
			return commit_or_rollback(p, MIGC_OK, error);
		rc = commit_or_rollback(p, step_unknown(p, error), error);
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
static int finish_interrupted_downgrade(plan *p, uint32_t index,
					migc_error *error)
{
	int rc;

	if (index == NO_REVISION)
		return MIGC_OK;
	rc = begin_and_read(p, error);
	if (rc != MIGC_OK)
		return rc;
	announce(p, MIGC_EVENT_DOWNGRADE, index, NULL, NULL);
	return run_untransacted(p, index, 1, error);
}

/* `to`: for an upgrade, its goal is the whole scope (closed under
 * ancestors); for a downgrade the resolved target; for a stamp the rows
 * to write. */
static int run_locked(plan *p, target *to, enum mode mode, int purge,
		      migc_error *error)
{
	revset scope;
	uint32_t interrupted;
	int done = 0;
	int rc = preflight(p, mode, purge, &interrupted, error);

	if (rc != MIGC_OK)
		return rc;
	if (mode == MODE_STAMP)
		return stamp_locked(p, to, purge, error);
	rc = finish_interrupted_downgrade(p, interrupted, error);
	if (rc != MIGC_OK)
		return rc;
	scope = to->goal;
	if (mode == MODE_DOWNGRADE) {
		/* The scope is known once the rows a newer build wrote are
		 * gone and the applied revisions are known. */
		rc = step_back_unknown(p, error);
		if (rc == MIGC_OK)
			rc = read_state(p, error);
		if (rc == MIGC_OK)
			rc = downgrade_scope(p, to, &scope, error);
	}
	while (rc == MIGC_OK && !done)
		rc = run_step(p, &scope, mode == MODE_DOWNGRADE, &done, error);
	return rc;
}

int execute_plan(plan *p, target *to, enum mode mode, int purge,
			migc_error *error)
{
	const migc_driver *d = p->driver;
	char key[192];
	migc_text text;
	int rc = MIGC_OK;
	int unlock_rc;

	migc_text_init(&text, key, sizeof key);
	migc_text_add(&text, p->set->name != NULL ? p->set->name : "");
	migc_text_add(&text, ":");
	migc_text_add(&text, p->table);
	if (d->lock != NULL)
		rc = d->lock(d->context, key, text.length, error);
	if (rc != MIGC_OK)
		return rc;
	rc = run_locked(p, to, mode, purge, error);
	if (d->unlock != NULL) {
		migc_error unlock_error;

		unlock_rc = d->unlock(d->context, key, text.length,
				      rc == MIGC_OK ? error : &unlock_error);
		if (rc == MIGC_OK)
			rc = unlock_rc;
	}
	if (rc == MIGC_OK)
		migc_error_clear(error, MIGC_OK);
	return rc;
}

/* What a downgrade to `to` unapplies, as Alembic's
 * _collect_downgrade_revisions: the target's children through
 * down_revision (the roots, for base), and all that descends from them
 * through parents and dependencies. A branch that depends_on the target
 * itself stays; one that depends on a revision that goes, goes too. Never
 * the target's ancestors; the target must be applied. */
int downgrade_scope(const plan *p, const target *to, revset *scope,
			   migc_error *error)
{
	const migc_set *set = p->set;
	const revset *goal = &to->goal;
	revset below;
	migc_text text;
	uint32_t i;
	int is_base = 1;

	for (i = 0; i < set->revision_count; i++) {
		if (!revset_has(goal, i))
			continue;
		is_base = 0;
		if (revset_has(&p->applied, i))
			continue;
		migc_error_start(error, MIGC_EDIRECTION, &text);
		migc_say(&text, "Cannot downgrade to ");
		migc_text_add(&text, set->revisions[i].id);
		migc_say(&text, ": it is not applied (the database is at ");
		add_rows(&text, p);
		migc_say(&text, "); use upgrade to move to it.");
		migc_error_set_revision(error, set->revisions[i].id);
		return MIGC_EDIRECTION;
	}
	revset_clear(scope);
	if (is_base)
		base_roots(set, to->base_of, scope);
	else
		add_children_of(set, goal, scope);
	close_descendants(set, scope);
	below = *goal;
	close_ancestors(set, &below);
	for (i = 0; i < REVSET_WORDS; i++)
		scope->word[i] &= ~below.word[i];
	return MIGC_OK;
}
