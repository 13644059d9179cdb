/* state.c: what an operation starts from: the set, driver and options
 * checked, the version rows read (rows this set lacks kept apart) and
 * rewritten, and the write transaction they are read in. */
#include "internal.h"

MIGC_INTERNAL void migc_add_rows(migc_text *text, const execution *run)
{
	uint32_t i;

	if (run->row_count == 0 && run->unknown_count == 0)
		migc_say(text, "base");
	for (i = 0; i < run->row_count; i++) {
		if (i > 0)
			migc_say(text, ", ");
		migc_text_add(text, run->set->revisions[run->rows[i]].id);
	}
	for (i = 0; i < run->unknown_count; i++) {
		if (i > 0 || run->row_count > 0)
			migc_say(text, ", ");
		migc_text_add(text, run->unknown[i]);
	}
}

MIGC_INTERNAL int migc_set_check(const migc_set *set, migc_error *error)
{
	migc_text text;
	uint32_t i;
	uint32_t k;

	if (set == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "No migration set was given; pass the "
				       "set the generator wrote.");
	if (set->abi_version != MIGC_ABI_VERSION) {
		migc_error_start(error, MIGC_EABI, &text);
		migc_say(&text, "The migration set was generated for "
				"runtime ABI ");
		migc_text_add_unsigned(&text, set->abi_version);
		migc_say(&text, " but this runtime has ABI ");
		migc_text_add_unsigned(&text, MIGC_ABI_VERSION);
		migc_say(&text, "; regenerate the set with the migc "
				"generator that matches this runtime.");
		return MIGC_EABI;
	}
	if (set->revision_count > MIGC_MAX_REVISIONS) {
		migc_error_start(error, MIGC_ELIMIT, &text);
		migc_say(&text, "The set has ");
		migc_text_add_unsigned(&text, set->revision_count);
		migc_say(&text, " revisions but this runtime was built "
				"for at most ");
		migc_text_add_unsigned(&text, MIGC_MAX_REVISIONS);
		migc_say(&text, "; rebuild it with a larger "
				"MIGC_MAX_REVISIONS.");
		return MIGC_ELIMIT;
	}
	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];
		int bad = revision->id == NULL;

		for (k = 0; k < revision->parent_count; k++)
			bad |= revision->parents[k] >= i;
		for (k = 0; k < revision->dependency_count; k++)
			bad |= revision->dependencies[k] >= i;
		if (bad) {
			migc_error_start(error, MIGC_EINVAL, &text);
			migc_say(&text, "The set is malformed: revision ");
			migc_text_add_unsigned(&text, i);
			migc_say(&text, " has no id or refers to a "
					"revision that does not come "
					"before it; regenerate the set.");
			return MIGC_EINVAL;
		}
	}
	for (i = 0; i < set->head_count; i++) {
		if (set->heads[i] >= set->revision_count)
			return migc_error_fail(error, MIGC_EINVAL,
					       "The set is malformed: a head "
					       "index is out of range; "
					       "regenerate the set.");
	}
	return migc_repeatables_check(set, error);
}

static int check_driver(const migc_driver *driver, int *has_history,
			migc_error *error)
{
	int history_functions;

	if (driver == NULL ||
	    (driver->version != MIGC_DRIVER_VERSION &&
	     driver->version != 2) ||
	    driver->execute == NULL || driver->begin == NULL ||
	    driver->commit == NULL || driver->rollback == NULL ||
	    driver->version_table_ensure == NULL ||
	    driver->version_rows_read == NULL ||
	    driver->version_row_insert == NULL ||
	    driver->version_row_delete == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "The driver is missing or incomplete; "
				       "fill it with a driver constructor "
				       "such as migc_sqlite_driver().");
	/* The history functions are all there or all absent: a driver
	 * without them migrates but records and verifies nothing. */
	history_functions =
	    (driver->history_ensure != NULL) + (driver->history_read != NULL) +
	    (driver->history_write != NULL) + (driver->history_delete != NULL) +
	    (driver->history_downgrade != NULL);
	if (history_functions != 0 && history_functions != 5)
		return migc_error_fail(error, MIGC_EINVAL,
				       "The driver has some history functions "
				       "but not all five; fill all of them or "
				       "none.");
	*has_history = history_functions == 5;
	if (driver->version >= 3 && (driver->version_state_read == NULL) !=
					(driver->version_digest_write == NULL))
		return migc_error_fail(error, MIGC_EINVAL,
				       "The driver has one of "
				       "version_state_read and "
				       "version_digest_write but not the "
				       "other; fill both or neither.");
	return MIGC_OK;
}

static int check_dialect(const migc_set *set, const migc_driver *driver,
			 migc_error *error)
{
	migc_text text;

	if (set->dialect == NULL || driver->dialect == NULL ||
	    migc_string_equal(set->dialect, driver->dialect))
		return MIGC_OK;
	migc_error_start(error, MIGC_EDIALECT, &text);
	migc_say(&text, "The set '");
	migc_text_add(&text, set->name);
	migc_say(&text, "' was generated for ");
	migc_text_add(&text, set->dialect);
	migc_say(&text, " but the driver is for ");
	migc_text_add(&text, driver->dialect);
	migc_say(&text, "; use the ");
	migc_text_add(&text, set->dialect);
	migc_say(&text, " driver, or generate the set with DIALECT ");
	migc_text_add(&text, driver->dialect);
	migc_say(&text, ".");
	return MIGC_EDIALECT;
}

/* What every execution starts from: its inputs, no rows, nothing
 * applied, the default version table. */
static void execution_start(execution *run, const migc_set *set,
			    const migc_driver *driver,
			    const migc_options *options)
{
	run->set = set;
	run->driver = driver;
	run->options = options;
	run->table = MIGC_DEFAULT_VERSION_TABLE;
	run->row_count = 0;
	run->rows_are_heads = 0;
	run->unknown_count = 0;
	run->has_history = 0;
	migc_revset_clear(&run->applied);
}

MIGC_INTERNAL int migc_execution_init(execution *run, const migc_set *set,
				      const migc_driver *driver,
				      const migc_options *options,
				      migc_error *error)
{
	migc_text text;
	int rc;

	execution_start(run, set, driver, options);
	rc = migc_set_check(set, error);
	if (rc == MIGC_OK)
		rc = check_driver(driver, &run->has_history, error);
	if (rc == MIGC_OK)
		rc = check_dialect(set, driver, error);
	if (rc != MIGC_OK)
		return rc;
	if (options != NULL) {
		if (options->version - 1 >= MIGC_OPTIONS_VERSION)
			return migc_error_fail(
			    error, MIGC_EINVAL,
			    "The options have an unknown version; "
			    "initialise them with MIGC_OPTIONS_INIT.");
		if (options->version_table != NULL)
			run->table = options->version_table;
	}
	run->table_length = migc_string_length(run->table);
	rc = migc_table_name_check(driver->dialect, run->table,
				   run->table_length, error);
	if (rc != MIGC_OK)
		return rc;
	migc_text_init(&text, run->history, sizeof run->history);
	migc_text_add(&text, run->table);
	migc_text_add(&text, MIGC_HISTORY_SUFFIX);
	run->history_length = text.length;
	return MIGC_OK;
}

/* An execution state with no database behind it, at base: for resolving
 * targets and planning steps offline. */
MIGC_INTERNAL int migc_execution_offline(execution *run, const migc_set *set,
					 migc_error *error)
{
	execution_start(run, set, NULL, NULL);
	return migc_set_check(set, error);
}

MIGC_INTERNAL int migc_accepting_checksums(const execution *run)
{
	return run->options != NULL && run->options->accept_changed_checksums;
}

typedef struct row_reader {
	execution *run;
	int status;
} row_reader;

static int add_unknown(execution *run, const char *revision, size_t length)
{
	migc_text text;
	uint32_t k;

	for (k = 0; k < run->unknown_count; k++) {
		if (migc_string_equal_n(run->unknown[k], revision, length))
			return MIGC_OK;
	}
	if (run->unknown_count == MIGC_MAX_HEADS)
		return MIGC_ELIMIT;
	migc_text_init(&text, run->unknown[run->unknown_count],
		       sizeof run->unknown[0]);
	if (length > MIGC_REVISION_ID_MAX) {
		/* No revision has such an id. Shown cut and marked, so that
		 * no message names, and no delete looks for, a row that is
		 * not there (stamp --purge deletes it: delete_every_row). */
		migc_text_add_n(&text, revision, MIGC_REVISION_ID_MAX - 3);
		migc_text_add(&text, "...");
	} else {
		migc_text_add_n(&text, revision, length);
	}
	run->unknown_count++;
	return MIGC_OK;
}

/* Is `index` in the `count` revisions at `list`? */
static int list_has(const uint32_t *list, uint32_t count, uint32_t index)
{
	while (count-- > 0) {
		if (list[count] == index)
			return 1;
	}
	return 0;
}

/* Adds `index` to a list of revisions kept in set order (a short array:
 * insertion), unless it is there; MIGC_ELIMIT when the list is full. */
static int list_insert(uint32_t *list, uint32_t *count, uint32_t index)
{
	uint32_t k = *count;

	if (list_has(list, k, index))
		return MIGC_OK;
	if (k == MIGC_MAX_HEADS)
		return MIGC_ELIMIT;
	for (; k > 0 && list[k - 1] > index; k--)
		list[k] = list[k - 1];
	list[k] = index;
	++*count;
	return MIGC_OK;
}

/* The version table would hold more rows than this runtime reads. */
static int too_many_rows(migc_error *error)
{
	return migc_error_fail(error, MIGC_ELIMIT,
			       "The version table has or would have more "
			       "rows (heads) than MIGC_MAX_HEADS; rebuild "
			       "the runtime with a larger MIGC_MAX_HEADS or "
			       "merge branches.");
}

static int on_row(const char *revision, size_t length, void *payload)
{
	row_reader *reader = payload;
	execution *run = reader->run;
	uint32_t i = migc_find_index(run->set, revision, length);

	reader->status = i == NO_REVISION
			     ? add_unknown(run, revision, length)
			     : list_insert(run->rows, &run->row_count, i);
	return reader->status != MIGC_OK;
}

/* Reads the version rows: known ones into run->rows and run->applied, those
 * this set lacks into run->unknown (callers decide what they mean). */
MIGC_INTERNAL int migc_read_state(execution *run, migc_error *error)
{
	row_reader reader;
	uint32_t i;
	int rc;

	reader.run = run;
	reader.status = MIGC_OK;
	run->row_count = 0;
	run->rows_are_heads = 0;
	run->unknown_count = 0;
	rc = run->driver->version_rows_read(run->driver->context, run->table,
					    run->table_length, on_row, &reader,
					    error);
	if (rc != MIGC_OK)
		return rc;
	if (reader.status == MIGC_ELIMIT)
		return too_many_rows(error);
	migc_revset_clear(&run->applied);
	for (i = 0; i < run->row_count; i++)
		migc_revset_add(&run->applied, run->rows[i]);
	migc_close_ancestors(run->set, &run->applied);
	return MIGC_OK;
}

/* The explanation for a database that a newer build migrated. */
MIGC_INTERNAL int migc_refuse_unknown(const execution *run, int stamping,
				      migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
	migc_say(&text, "The database is at revision ");
	migc_text_add(&text, run->unknown[0]);
#ifndef MIGC_NO_BASELINE
	if (run->set->revision_count > 0 &&
	    (run->set->revisions[0].flags & MIGC_REVISION_BASELINE)) {
		/* A build FROM_BASELINE: older revisions were dropped. */
		migc_say(&text, ", which is not in this build: it starts at "
				"the baseline of revision ");
		migc_text_add(&text, run->set->revisions[0].id);
		migc_say(&text, " and carries no revision before it. A "
				"database older than that must first be "
				"upgraded to it by a build with the whole "
				"chain; one from a newer build, by that "
				"build. Nothing was run.");
		migc_error_set_revision(error, run->unknown[0]);
		return MIGC_EUNKNOWNVERSION;
	}
#endif
	migc_say(&text, ", which is not in this build: the database was "
			"migrated by a newer build. Deploy that build, "
			"or run 'downgrade ");
	if (run->set->head_count == 1)
		migc_text_add(&text,
			      run->set->revisions[run->set->heads[0]].id);
	else
		migc_say(&text, "heads");
	migc_say(&text, "' with this one to step back (it runs the "
			"downgrade statements stored in the history "
			"table). Nothing was run.");
	if (stamping)
		migc_say(&text, " To adopt the database as it is, use "
				"stamp --purge.");
	migc_error_set_revision(error, run->unknown[0]);
	return MIGC_EUNKNOWNVERSION;
}

MIGC_INTERNAL int migc_rollback_quietly(const execution *run)
{
	/* NULL, which every driver takes: a migc_error to throw away would
	 * cost its size in stack on every path that can fail. */
	return run->driver->rollback(run->driver->context, NULL);
}

/* Begins a write transaction, creates the tables on first use and reads
 * the version rows. Rolls back on failure. */
MIGC_INTERNAL int migc_begin_and_read(execution *run, migc_error *error)
{
	const migc_driver *d = run->driver;
	int rc = d->begin(d->context, error);

	if (rc != MIGC_OK)
		return rc;
	rc = migc_tables_ensure(d, run->table, run->table_length,
				run->has_history, run->history,
				run->history_length, error);
	if (rc == MIGC_OK)
		rc = migc_read_state(run, error);
	if (rc != MIGC_OK)
		migc_rollback_quietly(run);
	return rc;
}

MIGC_INTERNAL int migc_commit_or_rollback(const execution *run, int rc,
					  migc_error *error)
{
	if (rc == MIGC_OK)
		rc = run->driver->commit(run->driver->context, error);
	if (rc != MIGC_OK)
		migc_rollback_quietly(run);
	return rc;
}

/* Deletes or inserts the version row `id` (`length` bytes). */
MIGC_INTERNAL int migc_row_delete(const execution *run, const char *id,
				  size_t length, migc_error *error)
{
	const migc_driver *d = run->driver;

	return d->version_row_delete(d->context, run->table, run->table_length,
				     id, length, error);
}

MIGC_INTERNAL int migc_row_insert(const execution *run, const char *id,
				  size_t length, migc_error *error)
{
	const migc_driver *d = run->driver;

	return d->version_row_insert(d->context, run->table, run->table_length,
				     id, length, error);
}

/* Deletes known rows that are strict ancestors of `index`. */
MIGC_INTERNAL int migc_drop_covered_rows(const execution *run, uint32_t index,
					 migc_error *error)
{
	revset below;
	uint32_t i;
	int rc;

	migc_revset_clear(&below);
	migc_revset_add(&below, index);
	migc_close_ancestors(run->set, &below);
	for (i = 0; i < run->row_count; i++) {
		const char *id = run->set->revisions[run->rows[i]].id;

		if (run->rows[i] == index ||
		    !migc_revset_has(&below, run->rows[i]))
			continue;
		rc = migc_row_delete(run, id, migc_string_length(id), error);
		if (rc != MIGC_OK)
			return rc;
	}
	return MIGC_OK;
}

/* `applied` after applying or unapplying `index`. */
MIGC_INTERNAL void migc_applied_after(const execution *run, uint32_t index,
				      int downgrade, revset *after)
{
	*after = run->applied;
	if (downgrade)
		migc_revset_remove(after, index);
	else
		migc_revset_add(after, index);
}

/* The version rows for `applied` (closed under ancestors), as Alembic
 * keeps them: its heads, in set order, in rows (*count); MIGC_ELIMIT when
 * there are more than MIGC_MAX_HEADS. */
MIGC_INTERNAL int migc_rows_of(const migc_set *set, const revset *applied,
			       uint32_t *rows, uint32_t *count)
{
	revset heads;
	uint32_t i;

	migc_heads_of(set, applied, &heads);
	*count = 0;
	for (i = 0; i < set->revision_count; i++) {
		if (!migc_revset_has(&heads, i))
			continue;
		if (*count == MIGC_MAX_HEADS)
			return MIGC_ELIMIT;
		rows[(*count)++] = i;
	}
	return MIGC_OK;
}

/* Does `revision` need `index`, as a parent or a dependency? */
static int needs(const migc_revision *revision, uint32_t index)
{
	return list_has(revision->parents, revision->parent_count, index) ||
	       list_has(revision->dependencies, revision->dependency_count,
			index);
}

/* The version rows after applying or unapplying `index`, in set order:
 * the heads of what is then applied (a merge replaces two rows by one,
 * unapplying it splits one into two, a dependency's row goes once its
 * dependent is applied). When the rows are those heads already, an
 * upgrade only replaces the rows it needs by its own: the rows of a
 * whole upgrade cost what they hold, not what the set holds. A step that
 * would leave more rows than this runtime reads is refused. */
MIGC_INTERNAL int migc_heads_after(execution *run, uint32_t index,
				   int downgrade, migc_error *error)
{
	revset after;
	uint32_t i;
	int rc;

	if (!downgrade && run->rows_are_heads) {
		run->next_count = 0;
		for (i = 0; i < run->row_count; i++) {
			if (!needs(&run->set->revisions[index], run->rows[i]))
				run->next[run->next_count++] = run->rows[i];
		}
		rc = list_insert(run->next, &run->next_count, index);
	} else {
		migc_applied_after(run, index, downgrade, &after);
		rc =
		    migc_rows_of(run->set, &after, run->next, &run->next_count);
	}
	return rc == MIGC_OK ? MIGC_OK : too_many_rows(error);
}

/* Rewrites the version rows from run's rows to the next ones
 * (migc_heads_after). Rows this set lacks are left alone. */
MIGC_INTERNAL int migc_update_rows(const execution *run, migc_error *error)
{
	const migc_driver *d = run->driver;
	const uint32_t *heads = run->next;
	uint32_t head_count = run->next_count;
	uint32_t gone[MIGC_MAX_HEADS];
	uint32_t gone_count = 0;
	uint32_t i;
	int rc = MIGC_OK;

	for (i = 0; i < run->row_count; i++) {
		if (!list_has(heads, head_count, run->rows[i]))
			gone[gone_count++] = run->rows[i];
	}
	/* A row that goes and one that comes are one row changed in place
	 * (a step along a branch), where the driver can. */
	for (i = 0; i < head_count && rc == MIGC_OK; i++) {
		const char *id = run->set->revisions[heads[i]].id;

		if (list_has(run->rows, run->row_count, heads[i]))
			continue;
		if (gone_count > 0 && d->version_row_update != NULL) {
			const char *from =
			    run->set->revisions[gone[--gone_count]].id;

			rc = d->version_row_update(
			    d->context, run->table, run->table_length, from,
			    migc_string_length(from), id,
			    migc_string_length(id), error);
		} else {
			rc = migc_row_insert(run, id, migc_string_length(id),
					     error);
		}
	}
	while (rc == MIGC_OK && gone_count > 0) {
		const char *id = run->set->revisions[gone[--gone_count]].id;

		rc = migc_row_delete(run, id, migc_string_length(id), error);
	}
	return rc;
}
