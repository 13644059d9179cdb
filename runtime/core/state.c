/* state.c: what an operation starts from: the set, driver and options
 * checked, the version rows read (rows this set lacks kept apart) and
 * rewritten, and the write transaction they are read in. */
#include "internal.h"

void add_rows(migc_text *text, const plan *p)
{
	uint32_t i;

	if (p->row_count == 0 && p->unknown_count == 0)
		migc_say(text, "base");
	for (i = 0; i < p->row_count; i++) {
		if (i > 0)
			migc_say(text, ", ");
		migc_text_add(text, p->set->revisions[p->rows[i]].id);
	}
	for (i = 0; i < p->unknown_count; i++) {
		if (i > 0 || p->row_count > 0)
			migc_say(text, ", ");
		migc_text_add(text, p->unknown[i]);
	}
}

int check_set(const migc_set *set, migc_error *error)
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
	return MIGC_OK;
}

static int check_driver(const migc_driver *driver, int *has_history,
			migc_error *error)
{
	int history_functions;

	if (driver == NULL || driver->version != MIGC_DRIVER_VERSION ||
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

int plan_init(plan *p, const migc_set *set, const migc_driver *driver,
		     const migc_options *options, migc_error *error)
{
	migc_text text;
	int rc;

	p->set = set;
	p->driver = driver;
	p->options = options;
	p->table = MIGC_DEFAULT_VERSION_TABLE;
	p->row_count = 0;
	p->unknown_count = 0;
	p->has_history = 0;
	revset_clear(&p->applied);
	rc = check_set(set, error);
	if (rc == MIGC_OK)
		rc = check_driver(driver, &p->has_history, error);
	if (rc == MIGC_OK)
		rc = check_dialect(set, driver, error);
	if (rc != MIGC_OK)
		return rc;
	if (options != NULL) {
		if (options->version != MIGC_OPTIONS_VERSION)
			return migc_error_fail(
			    error, MIGC_EINVAL,
			    "The options have an unknown version; "
			    "initialise them with MIGC_OPTIONS_INIT.");
		if (options->version_table != NULL)
			p->table = options->version_table;
	}
	p->table_length = migc_string_length(p->table);
	rc = migc_table_name_check(driver->dialect, p->table, p->table_length,
				   error);
	if (rc != MIGC_OK)
		return rc;
	migc_text_init(&text, p->history, sizeof p->history);
	migc_text_add(&text, p->table);
	migc_text_add(&text, MIGC_HISTORY_SUFFIX);
	p->history_length = text.length;
	return MIGC_OK;
}

int accepting_checksums(const plan *p)
{
	return p->options != NULL && p->options->accept_changed_checksums;
}

uint32_t find_index(const migc_set *set, const char *id, size_t length)
{
	uint32_t i;

	for (i = 0; i < set->revision_count; i++) {
		if (migc_string_equal_n(set->revisions[i].id, id, length))
			return i;
	}
	return NO_REVISION;
}

typedef struct row_reader {
	plan *p;
	int status;
} row_reader;

static int add_unknown(plan *p, const char *revision, size_t length)
{
	migc_text text;
	uint32_t k;

	for (k = 0; k < p->unknown_count; k++) {
		if (migc_string_equal_n(p->unknown[k], revision, length))
			return MIGC_OK;
	}
	if (p->unknown_count == MIGC_MAX_HEADS)
		return MIGC_ELIMIT;
	migc_text_init(&text, p->unknown[p->unknown_count],
		       sizeof p->unknown[0]);
	if (length > MIGC_REVISION_ID_MAX) {
		/* No revision has such an id. Shown cut and marked, so that
		 * no message names, and no delete looks for, a row that is
		 * not there (stamp --purge deletes it: delete_every_row). */
		migc_text_add_n(&text, revision, MIGC_REVISION_ID_MAX - 3);
		migc_text_add(&text, "...");
	} else {
		migc_text_add_n(&text, revision, length);
	}
	p->unknown_count++;
	return MIGC_OK;
}

static int on_row(const char *revision, size_t length, void *payload)
{
	row_reader *reader = payload;
	plan *p = reader->p;
	uint32_t i = find_index(p->set, revision, length);
	uint32_t k;

	if (i == NO_REVISION) {
		reader->status = add_unknown(p, revision, length);
		return reader->status != MIGC_OK;
	}
	for (k = 0; k < p->row_count; k++) {
		if (p->rows[k] == i)
			return 0;
	}
	if (p->row_count == MIGC_MAX_HEADS) {
		reader->status = MIGC_ELIMIT;
		return 1;
	}
	/* Keep the rows in set order: insertion into a short array. */
	k = p->row_count++;
	while (k > 0 && p->rows[k - 1] > i) {
		p->rows[k] = p->rows[k - 1];
		k--;
	}
	p->rows[k] = i;
	return 0;
}

/* Reads the version rows: known ones into p->rows and p->applied, those
 * this set lacks into p->unknown (callers decide what they mean). */
int read_state(plan *p, migc_error *error)
{
	row_reader reader;
	migc_text text;
	uint32_t i;
	int rc;

	reader.p = p;
	reader.status = MIGC_OK;
	p->row_count = 0;
	p->unknown_count = 0;
	rc = p->driver->version_rows_read(p->driver->context, p->table,
					  p->table_length, on_row, &reader,
					  error);
	if (rc != MIGC_OK)
		return rc;
	if (reader.status == MIGC_ELIMIT) {
		migc_error_start(error, MIGC_ELIMIT, &text);
		migc_say(&text, "The version table '");
		migc_text_add(&text, p->table);
		migc_say(&text, "' has more than ");
		migc_text_add_unsigned(&text, MIGC_MAX_HEADS);
		migc_say(&text, " rows; rebuild the runtime with a "
				"larger MIGC_MAX_HEADS or merge "
				"branches.");
		return MIGC_ELIMIT;
	}
	revset_clear(&p->applied);
	for (i = 0; i < p->row_count; i++)
		revset_add(&p->applied, p->rows[i]);
	close_ancestors(p->set, &p->applied);
	return MIGC_OK;
}

/* The explanation for a database that a newer build migrated. */
int refuse_unknown(const plan *p, int stamping, migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
	migc_say(&text, "The database is at revision ");
	migc_text_add(&text, p->unknown[0]);
	migc_say(&text, ", which is not in this build: the database was "
			"migrated by a newer build. Deploy that build, "
			"or run 'downgrade ");
	if (p->set->head_count == 1)
		migc_text_add(&text, p->set->revisions[p->set->heads[0]].id);
	else
		migc_say(&text, "heads");
	migc_say(&text, "' with this one to step back (it runs the "
			"downgrade statements stored in the history "
			"table). Nothing was run.");
	if (stamping)
		migc_say(&text, " To adopt the database as it is, use "
				"stamp --purge.");
	migc_error_set_revision(error, p->unknown[0]);
	return MIGC_EUNKNOWNVERSION;
}

int rollback_quietly(const plan *p)
{
	migc_error ignored;

	return p->driver->rollback(p->driver->context, &ignored);
}

/* Begins a write transaction, creates the tables on first use and reads
 * the version rows. Rolls back on failure. */
int begin_and_read(plan *p, migc_error *error)
{
	const migc_driver *d = p->driver;
	int rc = d->begin(d->context, error);

	if (rc != MIGC_OK)
		return rc;
	rc = d->version_table_ensure(d->context, p->table, p->table_length,
				     error);
	if (rc == MIGC_OK && p->has_history)
		rc = d->history_ensure(d->context, p->history,
				       p->history_length, error);
	if (rc == MIGC_OK)
		rc = read_state(p, error);
	if (rc != MIGC_OK)
		rollback_quietly(p);
	return rc;
}

int commit_or_rollback(const plan *p, int rc, migc_error *error)
{
	if (rc == MIGC_OK)
		rc = p->driver->commit(p->driver->context, error);
	if (rc != MIGC_OK)
		rollback_quietly(p);
	return rc;
}

/* Deletes known rows that are strict ancestors of `index`. */
int drop_covered_rows(const plan *p, uint32_t index, migc_error *error)
{
	const migc_driver *d = p->driver;
	revset below;
	uint32_t i;
	int rc;

	revset_clear(&below);
	revset_add(&below, index);
	close_ancestors(p->set, &below);
	for (i = 0; i < p->row_count; i++) {
		const char *id = p->set->revisions[p->rows[i]].id;

		if (p->rows[i] == index || !revset_has(&below, p->rows[i]))
			continue;
		rc =
		    d->version_row_delete(d->context, p->table, p->table_length,
					  id, migc_string_length(id), error);
		if (rc != MIGC_OK)
			return rc;
	}
	return MIGC_OK;
}

/* Rewrites the version rows after applying or unapplying `index`, so that
 * they are the heads of what is applied (a merge replaces two rows by one,
 * unapplying it splits one into two, a dependency's row goes once its
 * dependent is applied). Rows this set lacks are left alone. Call with p's
 * rows from before the step. */
int update_rows(const plan *p, uint32_t index, int downgrade,
		       migc_error *error)
{
	const migc_driver *d = p->driver;
	revset after;
	revset heads;
	uint32_t i;
	uint32_t k;
	int rc;

	applied_after(p, index, downgrade, &after);
	heads_of(p->set, &after, &heads);
	for (i = 0; i < p->row_count; i++) {
		const char *id = p->set->revisions[p->rows[i]].id;

		if (revset_has(&heads, p->rows[i])) {
			revset_remove(&heads, p->rows[i]);
			continue;
		}
		rc =
		    d->version_row_delete(d->context, p->table, p->table_length,
					  id, migc_string_length(id), error);
		if (rc != MIGC_OK)
			return rc;
	}
	for (k = 0; k < p->set->revision_count; k++) {
		const char *id = p->set->revisions[k].id;

		if (!revset_has(&heads, k))
			continue;
		rc =
		    d->version_row_insert(d->context, p->table, p->table_length,
					  id, migc_string_length(id), error);
		if (rc != MIGC_OK)
			return rc;
	}
	return MIGC_OK;
}
