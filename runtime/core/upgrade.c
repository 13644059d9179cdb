/* upgrade.c: the core of a build with MIGC_PROFILE_UPGRADE_ONLY (migc.h),
 * for a device's boot: migc_upgrade to NULL, "head" or "heads", and every
 * other public operation answering MIGC_ENOTBUILT. It takes the place of
 * operations.c, state.c, execute.c, history.c, target.c, plan.c and
 * stamp.c (runtime/CMakeLists.txt), keeping core.c, revset.c and boot.c's
 * one read; table.c and encoding.c, which only drivers use here, are
 * migc_driver_helpers in a core-only build. An upgrade here writes what the
 * full core's does (version rows, history rows, the set digest), so a host
 * build of migc can downgrade, stamp or inspect a device's database; it
 * refuses what it does not implement instead of doing something else:
 * another target, accepting changed checksums, another version table than
 * migc_version, a set with repeatable revisions, a database at a revision the
 * set lacks, a "transaction none" downgrade left partway. */
#include "internal.h"

/* The version table and its history: the default names only. */
#define TABLE	       MIGC_DEFAULT_VERSION_TABLE
#define TABLE_LENGTH   (sizeof TABLE - 1)
#define HISTORY	       TABLE MIGC_HISTORY_SUFFIX
#define HISTORY_LENGTH (sizeof HISTORY - 1)

typedef struct upgrade_run {
	const migc_set *set;
	revset applied;		       /* the rows and their ancestors */
	uint32_t rows[MIGC_MAX_HEADS]; /* the version rows, in set order */
	uint32_t row_count;
	const migc_driver *driver;
	int has_history;
	const migc_options *options;
} upgrade_run;

static int absent(migc_error *error)
{
	return migc_error_fail(error, MIGC_ENOTBUILT,
			       "Not in this build: built with "
			       "MIGC_PROFILE_UPGRADE_ONLY, which upgrades to "
			       "head or heads only.");
}

/* ---- inputs ---- */

static int check_set(const migc_set *set, migc_error *error)
{
	uint32_t i;
	uint32_t k;
	int bad = 0;

	if (set == NULL)
		return migc_error_fail(error, MIGC_EINVAL, "No set was given.");
	if (set->abi_version != MIGC_ABI_VERSION)
		return migc_error_fail(error, MIGC_EABI,
				       "The set was generated for another "
				       "runtime ABI; regenerate it.");
	if (set->revision_count > MIGC_MAX_REVISIONS)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The set has more revisions than "
				       "MIGC_MAX_REVISIONS.");
	/* Repeatable revisions are left out: not skipped unsaid. */
	if (set->repeatable_count > 0)
		return absent(error);
	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->parent_count; k++)
			bad |= revision->parents[k] >= i;
		for (k = 0; k < revision->dependency_count; k++)
			bad |= revision->dependencies[k] >= i;
	}
	for (i = 0; i < set->head_count; i++)
		bad |= set->heads[i] >= set->revision_count;
	return bad ? migc_error_fail(error, MIGC_EINVAL,
				     "The set is malformed; regenerate it.")
		   : MIGC_OK;
}

static int check_driver(upgrade_run *run, const migc_driver *d,
			migc_error *error)
{
	int history;

	if (d == NULL ||
	    (d->version != MIGC_DRIVER_VERSION && d->version != 2) ||
	    d->execute == NULL || d->begin == NULL || d->commit == NULL ||
	    d->rollback == NULL || d->version_table_ensure == NULL ||
	    d->version_rows_read == NULL || d->version_row_insert == NULL ||
	    d->version_row_delete == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "The driver is missing or incomplete.");
	history = (d->history_ensure != NULL) + (d->history_read != NULL) +
		  (d->history_write != NULL) + (d->history_delete != NULL) +
		  (d->history_downgrade != NULL);
	run->has_history = history == 5;
	if ((history != 0 && history != 5) ||
	    (d->version >= 3 && (d->version_state_read == NULL) !=
				    (d->version_digest_write == NULL)))
		return migc_error_fail(error, MIGC_EINVAL,
				       "The driver fills only some of its "
				       "history or digest functions.");
	return MIGC_OK;
}

/* The inputs, and the one goal this build knows: every revision (the
 * ancestors of the set's one head, or of all heads). */
static int check_inputs(upgrade_run *run, const migc_set *set,
			const migc_driver *d, const char *target,
			const migc_options *options, migc_error *error)
{
	int rc;

	run->set = set;
	run->driver = d;
	run->options = options;
	rc = check_set(set, error);
	if (rc == MIGC_OK)
		rc = check_driver(run, d, error);
	if (rc != MIGC_OK)
		return rc;
	if (set->dialect != NULL && d->dialect != NULL &&
	    !migc_string_equal(set->dialect, d->dialect))
		return migc_error_fail(error, MIGC_EDIALECT,
				       "The set and the driver are for "
				       "different databases.");
	if (options != NULL) {
		if (options->version - 1 >= MIGC_OPTIONS_VERSION)
			return migc_error_fail(error, MIGC_EINVAL,
					       "Initialise the options with "
					       "MIGC_OPTIONS_INIT.");
		/* Events besides each revision's start are left out. */
		if (options->accept_changed_checksums ||
		    (options->version >= 2 && options->progress != NULL &&
		     options->progress_events != 0))
			return absent(error);
		/* Another version table than the default: left out. */
		if (options->version_table != NULL &&
		    !migc_string_equal(options->version_table, TABLE))
			return absent(error);
	}
	if (target != NULL && !migc_string_equal(target, "heads") &&
	    !migc_string_equal(target, "head"))
		return absent(error);
	if (set->head_count > 1 && (target == NULL || target[4] == '\0'))
		return migc_error_fail(error, MIGC_EMULTIPLEHEADS,
				       "The set has several heads: upgrade to "
				       "\"heads\".");
	return MIGC_OK;
}

/* ---- the version rows ---- */

typedef struct row_reader {
	upgrade_run *run;
	int status;
	char unknown[MIGC_REVISION_ID_MAX + 1]; /* a row this set lacks */
} row_reader;

static int on_row(const char *revision, size_t length, void *payload)
{
	row_reader *reader = payload;
	upgrade_run *run = reader->run;
	uint32_t i = migc_find_index(run->set, revision, length);
	uint32_t k = run->row_count;
	migc_text text;

	if (i == NO_REVISION) {
		migc_text_init(&text, reader->unknown, sizeof reader->unknown);
		migc_text_add_n(&text, revision, length);
		reader->status = MIGC_EUNKNOWNVERSION;
	} else if (k == MIGC_MAX_HEADS) {
		reader->status = MIGC_ELIMIT;
	} else {
		/* Kept in set order; a driver reports each row once. */
		for (; k > 0 && run->rows[k - 1] > i; k--)
			run->rows[k] = run->rows[k - 1];
		run->rows[k] = i;
		run->row_count++;
	}
	return reader->status != MIGC_OK;
}

static int finish(const upgrade_run *run, int rc, migc_error *error)
{
	if (rc == MIGC_OK)
		rc = run->driver->commit(run->driver->context, error);
	if (rc != MIGC_OK)
		run->driver->rollback(run->driver->context, NULL);
	return rc;
}

/* Begins a write transaction, makes the tables on first use and reads
 * the version rows; rolls back on failure. */
static MIGC_NOINLINE int begin_and_read(upgrade_run *run, migc_error *error)
{
	const migc_driver *d = run->driver;
	row_reader reader;
	migc_text text;
	uint32_t i;
	int rc = d->begin(d->context, error);

	if (rc != MIGC_OK)
		return rc;
	reader.run = run;
	reader.status = MIGC_OK;
	run->row_count = 0;
	rc = migc_tables_ensure(d, TABLE, TABLE_LENGTH, run->has_history,
				HISTORY, HISTORY_LENGTH, error);
	if (rc == MIGC_OK)
		rc = d->version_rows_read(d->context, TABLE, TABLE_LENGTH,
					  on_row, &reader, error);
	if (rc == MIGC_OK && reader.status == MIGC_ELIMIT)
		rc = migc_error_fail(error, MIGC_ELIMIT,
				     "The version table has more rows than "
				     "MIGC_MAX_HEADS.");
	if (rc == MIGC_OK && reader.status != MIGC_OK) {
		migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
		migc_say(&text, "The database is at revision ");
		migc_text_add(&text, reader.unknown);
		migc_say(&text, ", which this build lacks; nothing was run.");
		migc_error_set_revision(error, reader.unknown);
		rc = MIGC_EUNKNOWNVERSION;
	}
	if (rc != MIGC_OK)
		return finish(run, rc, error);
	migc_revset_clear(&run->applied);
	for (i = 0; i < run->row_count; i++)
		migc_revset_add(&run->applied, run->rows[i]);
	migc_close_ancestors(run->set, &run->applied);
	return MIGC_OK;
}

/* Does `revision` need `index`, as a parent or a dependency? */
static int needs(const migc_revision *revision, uint32_t index)
{
	uint32_t k;

	for (k = 0; k < revision->dependency_count; k++) {
		if (revision->dependencies[k] == index)
			return 1;
	}
	return migc_is_parent_of(revision, index);
}

/* The rows after applying `index`, in set order: the rows it needs (its
 * parents', a dependency's) go, its own comes (a merge replaces two rows
 * by one); a row that goes and the one that comes are one row changed in
 * place where the driver can, as the full core writes them. */
static MIGC_NOINLINE int write_rows(upgrade_run *run, uint32_t index,
				    migc_error *error)
{
	const migc_driver *d = run->driver;
	const migc_revision *revision = &run->set->revisions[index];
	uint32_t gone[MIGC_MAX_HEADS];
	uint32_t gone_count = 0;
	uint32_t kept = 0;
	uint32_t k;
	int rc;

	for (k = 0; k < run->row_count; k++) {
		if (needs(revision, run->rows[k]))
			gone[gone_count++] = run->rows[k];
		else
			run->rows[kept++] = run->rows[k];
	}
	if (kept == MIGC_MAX_HEADS)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The upgrade would leave more rows "
				       "than MIGC_MAX_HEADS.");
	for (k = kept; k > 0 && run->rows[k - 1] > index; k--)
		run->rows[k] = run->rows[k - 1];
	run->rows[k] = index;
	run->row_count = kept + 1;
	migc_revset_add(&run->applied, index);
	rc = gone_count > 0 && d->version_row_update != NULL
		 ? d->version_row_update(
		       d->context, TABLE, TABLE_LENGTH,
		       run->set->revisions[gone[gone_count - 1]].id,
		       migc_string_length(
			   run->set->revisions[gone[gone_count - 1]].id),
		       revision->id, migc_string_length(revision->id), error)
		 : d->version_row_insert(
		       d->context, TABLE, TABLE_LENGTH, revision->id,
		       migc_string_length(revision->id), error);
	if (gone_count > 0 && d->version_row_update != NULL)
		gone_count--;
	while (rc == MIGC_OK && gone_count > 0) {
		const char *id = run->set->revisions[gone[--gone_count]].id;

		rc = d->version_row_delete(d->context, TABLE, TABLE_LENGTH, id,
					   migc_string_length(id), error);
	}
	return rc;
}

/* ---- the history rows ---- */

/* The history row of `index` after `done` of its statements. */
static MIGC_NOINLINE int history_write(const upgrade_run *run, uint32_t index,
				       uint32_t done, migc_error *error)
{
	if (!run->has_history)
		return MIGC_OK;
	return migc_history_put(run->driver, HISTORY, HISTORY_LENGTH, run->set,
				index, done, 0, MIGC_DURATION_MEASURE,
				run->set->revisions[index].checksum, error);
}

/* What the history says before anything runs: the first revision (in set
 * order) whose recorded checksum differs from this build's, a
 * "transaction none" downgrade left partway, and how far a "transaction
 * none" upgrade of `want` got. */
typedef struct history_scan {
	const upgrade_run *run;
	uint32_t want;
	uint32_t done; /* statements of `want` already run */
	uint32_t edited;
	uint32_t edited_done;
	uint64_t recorded;
	int interrupted;
} history_scan;

static int on_history(const migc_history_row *row, void *payload)
{
	history_scan *scan = payload;
	const migc_set *set = scan->run->set;
	uint32_t i = migc_find_index(set, row->revision, row->revision_length);

	if (i == NO_REVISION)
		return 0;
	if (row->checksum != set->revisions[i].checksum &&
	    (scan->edited == NO_REVISION || i < scan->edited)) {
		scan->edited = i;
		scan->edited_done = row->statements_done;
		scan->recorded = row->checksum;
	}
	scan->interrupted |=
	    row->downgrade_done > 0 && migc_revset_has(&scan->run->applied, i);
	if (i == scan->want)
		scan->done = row->statements_done;
	return 0;
}

static int history_check(const upgrade_run *run, uint32_t want, uint32_t *done,
			 migc_error *error)
{
	const migc_driver *d = run->driver;
	const migc_revision *revision;
	history_scan scan;
	migc_text text;
	int rc;

	scan.run = run;
	scan.want = want;
	scan.done = 0;
	scan.edited = NO_REVISION;
	scan.interrupted = 0;
	*done = 0;
	if (!run->has_history)
		return MIGC_OK;
	rc = d->history_read(d->context, HISTORY, HISTORY_LENGTH, on_history,
			     &scan, error);
	*done = scan.done;
	if (rc != MIGC_OK)
		return rc;
	if (scan.interrupted)
		return migc_error_fail(error, MIGC_ENOTBUILT,
				       "A downgrade was left partway: finish "
				       "it with a full build of migc.");
	if (scan.edited == NO_REVISION)
		return MIGC_OK;
	revision = &run->set->revisions[scan.edited];
	migc_error_start(error, MIGC_ECHECKSUM, &text);
	migc_say(&text, "Revision ");
	migc_text_add(&text, revision->id);
	migc_say(&text, " was applied with checksum ");
	migc_text_add_hex64(&text, scan.recorded);
	migc_say(&text, " but this build has ");
	migc_text_add_hex64(&text, revision->checksum);
	migc_say(&text, ": its file was edited. Nothing was run.");
	migc_error_set_revision(error, revision->id);
	if (error != NULL) {
		error->source_file = revision->source_file;
		error->statement_index = scan.edited_done;
	}
	return MIGC_ECHECKSUM;
}

/* ---- applying ---- */

/* Runs statements [from, count) of `index`; `tracked`: each one commits
 * with its progress row ("transaction none"), unless it cannot run in a
 * transaction at all. A failure keeps the driver's message and names the
 * revision, statement, file and line in `error`. */
static MIGC_INLINED int run_statements(const upgrade_run *run, uint32_t index,
				       uint32_t from, int tracked,
				       migc_error *error)
{
	const migc_driver *d = run->driver;
	const migc_revision *revision = &run->set->revisions[index];
	uint32_t i;
	int rc = MIGC_OK;

	for (i = from; i < revision->upgrade_count && rc == MIGC_OK; i++) {
		const migc_statement *statement = &revision->upgrade[i];
		int atomic = tracked && !(statement->flags &
					  MIGC_STATEMENT_NO_TRANSACTION);

		if (atomic)
			rc = d->begin(d->context, error);
		if (rc == MIGC_OK)
			rc = d->execute(d->context, statement->sql,
					statement->length, error);
		if (rc != MIGC_OK) {
			if (atomic)
				d->rollback(d->context, NULL);
			if (error != NULL) {
				error->code = MIGC_ESTATEMENT;
				migc_error_set_revision(error, revision->id);
				error->statement_index = i + 1;
				error->source_file = revision->source_file;
				error->line = statement->line;
			}
			return MIGC_ESTATEMENT;
		}
		if (tracked)
			rc = history_write(run, index, i + 1, error);
		if (atomic)
			rc = finish(run, rc, error);
	}
	return rc;
}

/* A revision's start (MIGC_PHASE_REVISION), step `number` of `count`. */
static void announce(const upgrade_run *run, uint32_t index, uint32_t number,
		     uint32_t count)
{
	migc_event event;

	if (run->options == NULL || run->options->progress == NULL)
		return;
	event.kind = MIGC_EVENT_UPGRADE;
	event.set = run->set;
	event.revision = &run->set->revisions[index];
	event.id = event.revision->id;
	event.parents = NULL;
	event.phase = MIGC_PHASE_REVISION;
	event.number = number;
	event.count = count;
	event.statement = 0;
	event.statement_count = event.revision->upgrade_count;
	event.result = MIGC_OK;
	run->options->progress(&event, run->options->progress_payload);
}

/* Applies `index`, the first revision not applied, in the transaction
 * begin_and_read opened; *current: run's rows are what it committed. A
 * "transaction none" revision runs outside it, statement by statement,
 * resuming where an earlier run stopped. */
static int step(upgrade_run *run, uint32_t index, int *current,
		migc_error *error)
{
	int untransacted = (run->set->revisions[index].flags &
			    MIGC_REVISION_NO_TRANSACTION) != 0;
	uint32_t from = 0;
	int rc = MIGC_OK;

	if (untransacted) {
		rc =
		    finish(run, history_check(run, index, &from, error), error);
		if (rc == MIGC_OK)
			rc = history_write(run, index, from, error);
	}
	if (rc == MIGC_OK)
		rc = run_statements(run, index, from,
				    untransacted && run->has_history, error);
	if (rc == MIGC_OK && untransacted)
		rc = begin_and_read(run, error);
	*current = !untransacted;
	/* A failure outside a transaction left none open. */
	if (rc != MIGC_OK)
		return untransacted ? rc : finish(run, rc, error);
	/* Another runner may have recorded it meanwhile. */
	if (untransacted && migc_revset_has(&run->applied, index))
		return finish(run, MIGC_OK, error);
	rc = write_rows(run, index, error);
	if (rc == MIGC_OK)
		rc = history_write(run, index,
				   run->set->revisions[index].upgrade_count,
				   error);
	return finish(run, rc, error);
}

static int digest_write(const upgrade_run *run, uint64_t digest,
			migc_error *error)
{
	const migc_driver *d = run->driver;

	if (d->version < 3 || d->version_digest_write == NULL)
		return MIGC_OK;
	return d->version_digest_write(d->context, TABLE, TABLE_LENGTH, digest,
				       error);
}

/* Under the lock: checks the history, clears the digest, applies every
 * revision not applied in set order, one transaction each, and stores
 * the digest once done. */
static int upgrade_locked(upgrade_run *run, migc_error *error)
{
	uint32_t index;
	uint32_t done;
	uint32_t left;
	uint32_t number = 0;
	int current = 0;
	int rc = begin_and_read(run, error);

	if (rc != MIGC_OK)
		return rc;
	rc = history_check(run, NO_REVISION, &done, error);
	if (rc == MIGC_OK)
		rc = digest_write(run, 0, error);
	rc = finish(run, rc, error);
	while (rc == MIGC_OK) {
		rc = current ? run->driver->begin(run->driver->context, error)
			     : begin_and_read(run, error);
		/* The first revision not applied, and how many are not. */
		index = NO_REVISION;
		left = 0;
		for (done = run->set->revision_count; done-- > 0;) {
			if (!migc_revset_has(&run->applied, done)) {
				index = done;
				left++;
			}
		}
		if (rc != MIGC_OK || index == NO_REVISION)
			break;
		announce(run, index, number + 1, number + left);
		number++;
		rc = step(run, index, &current, error);
	}
	if (rc == MIGC_OK && run->set->digest != 0)
		rc = digest_write(run, run->set->digest, error);
	return rc == MIGC_OK ? finish(run, rc, error) : rc;
}

/* The lock, the upgrade, and the unlock; after a failure, its error
 * stays what the caller sees. */
static int upgrade_under_lock(upgrade_run *run, migc_error *error)
{
	int unlocked;
	int rc = migc_lock_call(run->driver, run->set, TABLE, 0, error);

	if (rc != MIGC_OK)
		return rc;
	rc = upgrade_locked(run, error);
	unlocked = migc_lock_call(run->driver, run->set, TABLE, 1,
				  rc == MIGC_OK ? error : NULL);
	return rc != MIGC_OK ? rc : unlocked;
}

int migc_upgrade(const migc_set *set, const migc_driver *driver,
		 const char *target, const migc_options *options,
		 migc_error *error)
{
	upgrade_run run;
	int at_heads;
	int rc = migc_boot_read(set, driver, target, options, &at_heads, error);

	if (rc == MIGC_OK && !at_heads)
		rc = check_inputs(&run, set, driver, target, options, error);
	if (rc == MIGC_OK && !at_heads)
		rc = upgrade_under_lock(&run, error);
	if (rc == MIGC_OK)
		migc_error_clear(error, MIGC_OK);
	return rc;
}

/* ---- what this build leaves out (outputs untouched) ---- */

int migc_downgrade(const migc_set *set, const migc_driver *driver,
		   const char *target, const migc_options *options,
		   migc_error *error)
{
	(void)set, (void)driver, (void)target, (void)options;
	return absent(error);
}

int migc_current(const migc_revision **out, size_t capacity, size_t *count,
		 const migc_set *set, const migc_driver *driver,
		 const migc_options *options, migc_error *error)
{
	(void)out, (void)capacity, (void)count, (void)set, (void)driver,
	    (void)options;
	return absent(error);
}

int migc_version_rows(migc_version_row *out, size_t capacity, size_t *count,
		      const migc_set *set, const migc_driver *driver,
		      const migc_options *options, migc_error *error)
{
	(void)out, (void)capacity, (void)count, (void)set, (void)driver,
	    (void)options;
	return absent(error);
}

int migc_stamp_many(const migc_set *set, const migc_driver *driver,
		    const char *const *targets, size_t count, int purge,
		    const migc_options *options, migc_error *error)
{
	(void)set, (void)driver, (void)targets, (void)count, (void)purge,
	    (void)options;
	return absent(error);
}

int migc_stamp(const migc_set *set, const migc_driver *driver,
	       const char *target, int purge, const migc_options *options,
	       migc_error *error)
{
	(void)set, (void)driver, (void)target, (void)purge, (void)options;
	return absent(error);
}

int migc_applied(unsigned char *out, size_t capacity, const migc_set *set,
		 const migc_driver *driver, const migc_options *options,
		 migc_error *error)
{
	(void)out, (void)capacity, (void)set, (void)driver, (void)options;
	return absent(error);
}

int migc_plan_steps(size_t *count, const migc_set *set, const char *from,
		    const char *target, int downgrade, migc_step_fn each,
		    void *payload, migc_error *error)
{
	(void)count, (void)set, (void)from, (void)target, (void)downgrade,
	    (void)each, (void)payload;
	return absent(error);
}

int migc_plan_stamp(unsigned char *before, unsigned char *after,
		    size_t capacity, const migc_set *set, const char *from,
		    const char *const *targets, size_t count, migc_error *error)
{
	(void)before, (void)after, (void)capacity, (void)set, (void)from,
	    (void)targets, (void)count;
	return absent(error);
}

int migc_revision_find(const migc_revision **out, const migc_set *set,
		       const char *id, migc_error *error)
{
	(void)out, (void)set, (void)id;
	return absent(error);
}

int migc_target_revision_from(const migc_revision **out,
			      const migc_revision **branch_base,
			      const migc_set *set, const char *from,
			      const char *target, int downgrade,
			      migc_error *error)
{
	(void)out, (void)branch_base, (void)set, (void)from, (void)target,
	    (void)downgrade;
	return absent(error);
}

int migc_target_revision(const migc_revision **out,
			 const migc_revision **branch_base, const migc_set *set,
			 const char *target, migc_error *error)
{
	return migc_target_revision_from(out, branch_base, set, NULL, target, 0,
					 error);
}
