/* plan.c: the planner and executor behind migc_upgrade, migc_downgrade,
 * migc_stamp and migc_current. A target is resolved once into absolute
 * revisions; then each step re-reads the version rows under the driver's
 * write lock and applies or unapplies the next revision, so concurrent
 * runners never repeat one. Each step also keeps the history table (checksum,
 * stored downgrade) in the same transaction as its version rows.
 * No heap: revision sets are bitsets on the stack sized by MIGC_MAX_REVISIONS.
 */
#include "plan.h"

#define REVSET_WORDS   ((MIGC_MAX_REVISIONS + 31) / 32)
#define NO_REVISION    UINT32_MAX /* "base": before every root */
/* Parent and dependency ids of one revision, joined by ",". */
#define PARENTS_MAX ((MIGC_REVISION_ID_MAX + 1) * MIGC_MAX_HEADS)
/* Mismatched checksums handled per pass over the history table. */
#define CHECKSUM_BATCH 32

typedef struct revset {
	uint32_t word[REVSET_WORDS];
} revset;

static void revset_clear(revset *set)
{
	size_t i;

	for (i = 0; i < REVSET_WORDS; i++)
		set->word[i] = 0;
}

static void revset_add(revset *set, uint32_t index)
{
	set->word[index / 32] |= (uint32_t)1 << (index % 32);
}

static int revset_has(const revset *set, uint32_t index)
{
	return (set->word[index / 32] >> (index % 32)) & 1u;
}

static void revset_remove(revset *set, uint32_t index)
{
	set->word[index / 32] &= ~((uint32_t)1 << (index % 32));
}

/* The state of one operation: its inputs and the version rows last read. */
typedef struct plan {
	const migc_set *set;
	const migc_driver *driver;
	const char *table;
	size_t table_length;
	char history[MIGC_TABLE_NAME_MAX + sizeof MIGC_HISTORY_SUFFIX];
	size_t history_length;
	int has_history; /* the driver implements the history functions */
	const migc_options *options;
	uint32_t rows[MIGC_MAX_HEADS]; /* known row revisions, in set order */
	uint32_t row_count;
	/* Rows naming revisions this set lacks (a newer build wrote them). */
	char unknown[MIGC_MAX_HEADS][MIGC_REVISION_ID_MAX + 1];
	uint32_t unknown_count;
	revset applied; /* known rows and all their ancestors */
	/* A "transaction none" downgrade's progress rows keep what the
	 * history recorded for its upgrade. */
	uint64_t down_checksum;
	uint32_t down_duration_ms;
} plan;

/* ---- graph ---- */

static int is_parent_of(const migc_revision *revision, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < revision->parent_count; i++) {
		if (revision->parents[i] == index)
			return 1;
	}
	return 0;
}

/* Adds every ancestor (through parents and dependencies) of the members.
 * Parents come before children, so one backward pass is enough. */
static void close_ancestors(const migc_set *set, revset *members)
{
	uint32_t i = set->revision_count;
	uint32_t k;

	while (i-- > 0) {
		const migc_revision *revision = &set->revisions[i];

		if (!revset_has(members, i))
			continue;
		for (k = 0; k < revision->parent_count; k++)
			revset_add(members, revision->parents[k]);
		for (k = 0; k < revision->dependency_count; k++)
			revset_add(members, revision->dependencies[k]);
	}
}

/* Adds every descendant of the members, in one forward pass. */
static void close_descendants(const migc_set *set, revset *members)
{
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		if (revset_has(members, i))
			continue;
		for (k = 0; k < revision->parent_count; k++) {
			if (revset_has(members, revision->parents[k]))
				revset_add(members, i);
		}
		for (k = 0; k < revision->dependency_count; k++) {
			if (revset_has(members, revision->dependencies[k]))
				revset_add(members, i);
		}
	}
}

static uint32_t child_count(const migc_set *set, uint32_t index,
			    uint32_t *first)
{
	uint32_t count = 0;
	uint32_t i;

	for (i = 0; i < set->revision_count; i++) {
		int is_child = index == NO_REVISION
				   ? set->revisions[i].parent_count == 0
				   : is_parent_of(&set->revisions[i], index);

		if (is_child && count++ == 0)
			*first = i;
	}
	return count;
}

static void add_children(migc_text *text, const migc_set *set, uint32_t index)
{
	uint32_t count = 0;
	uint32_t i;

	for (i = 0; i < set->revision_count; i++) {
		int is_child = index == NO_REVISION
				   ? set->revisions[i].parent_count == 0
				   : is_parent_of(&set->revisions[i], index);

		if (!is_child)
			continue;
		if (count++ > 0)
			migc_say(text, ", ");
		migc_text_add(text, set->revisions[i].id);
	}
}

static void add_heads(migc_text *text, const migc_set *set)
{
	uint32_t i;

	for (i = 0; i < set->head_count; i++) {
		if (i > 0)
			migc_say(text, ", ");
		migc_text_add(text, set->revisions[set->heads[i]].id);
	}
}

static void add_rows(migc_text *text, const plan *p)
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

static const char *id_or_base(const migc_set *set, uint32_t index)
{
	return index == NO_REVISION ? "base" : set->revisions[index].id;
}

/* ---- validation ---- */

static int check_set(const migc_set *set, migc_error *error)
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

static int plan_init(plan *p, const migc_set *set, const migc_driver *driver,
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

static int accepting_checksums(const plan *p)
{
	return p->options != NULL && p->options->accept_changed_checksums;
}

/* ---- state ---- */

static uint32_t find_index(const migc_set *set, const char *id, size_t length)
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
static int read_state(plan *p, migc_error *error)
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
static int refuse_unknown(const plan *p, int stamping, migc_error *error)
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

/* ---- history ---- */

/* One revision's history row, copied out of the driver's callback. */
typedef struct history_entry {
	const char *id;
	size_t id_length;
	int found;
	char parents[PARENTS_MAX];
	size_t parents_length;
	int parents_truncated;
	uint64_t checksum;
	uint32_t statements_done;
	uint32_t duration_ms;
	uint32_t downgrade_done;
} history_entry;

static int on_history_entry(const migc_history_row *row, void *payload)
{
	history_entry *entry = payload;
	size_t i;

	if (row->revision_length != entry->id_length)
		return 0;
	for (i = 0; i < row->revision_length; i++) {
		if (row->revision[i] != entry->id[i])
			return 0;
	}
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

static int history_find(const plan *p, const char *id, history_entry *entry,
			migc_error *error)
{
	const migc_driver *d = p->driver;

	entry->id = id;
	entry->id_length = migc_string_length(id);
	entry->found = 0;
	entry->parents[0] = '\0';
	entry->parents_length = 0;
	if (!p->has_history)
		return MIGC_OK;
	return d->history_read(d->context, p->history, p->history_length,
			       on_history_entry, entry, error);
}

/* The ids a revision leaves applied when unapplied: parents, then
 * dependencies, joined by ",". */
static int join_parents(const plan *p, const migc_revision *revision, char *out,
			size_t *length, migc_error *error)
{
	migc_text text;
	uint32_t total = revision->parent_count + revision->dependency_count;
	uint32_t k;

	migc_text_init(&text, out, PARENTS_MAX);
	for (k = 0; k < total; k++) {
		uint32_t other =
		    k < revision->parent_count
			? revision->parents[k]
			: revision->dependencies[k - revision->parent_count];

		if (k > 0)
			migc_text_add(&text, ",");
		migc_text_add(&text, p->set->revisions[other].id);
	}
	if (text.length + 1 >= PARENTS_MAX)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "A revision has too many parents and "
				       "dependencies to record in the history "
				       "table; rebuild with a larger "
				       "MIGC_MAX_HEADS.");
	*length = text.length;
	return MIGC_OK;
}

/* Writes the history row of `index`; downgrade_done is a "transaction
 * none" downgrade's progress (0 otherwise). */
static int history_write_row(const plan *p, uint32_t index,
			     uint32_t statements_done, uint32_t downgrade_done,
			     uint32_t duration_ms, uint64_t checksum,
			     migc_error *error)
{
	const migc_driver *d = p->driver;
	const migc_revision *revision = &p->set->revisions[index];
	char parents[PARENTS_MAX];
	migc_history_row row;
	int rc;

	if (!p->has_history)
		return MIGC_OK;
	rc = join_parents(p, revision, parents, &row.parents_length, error);
	if (rc != MIGC_OK)
		return rc;
	row.revision = revision->id;
	row.revision_length = migc_string_length(revision->id);
	row.parents = parents;
	row.checksum = checksum;
	row.statements_done = statements_done;
	row.duration_ms = duration_ms;
	row.flags = revision->flags;
	row.downgrade_done = downgrade_done;
	return d->history_write(d->context, p->history, p->history_length, &row,
				revision->downgrade, revision->downgrade_count,
				error);
}

static int history_record(const plan *p, uint32_t index,
			  uint32_t statements_done, uint32_t duration_ms,
			  uint64_t checksum, migc_error *error)
{
	return history_write_row(p, index, statements_done, 0, duration_ms,
				 checksum, error);
}

static int history_forget(const plan *p, const char *id, migc_error *error)
{
	const migc_driver *d = p->driver;

	if (!p->has_history)
		return MIGC_OK;
	return d->history_delete(d->context, p->history, p->history_length, id,
				 migc_string_length(id), error);
}

/* Complete history rows whose checksum differs from the compiled one. */
typedef struct checksum_scan {
	const migc_set *set;
	uint32_t index[CHECKSUM_BATCH];
	uint64_t recorded[CHECKSUM_BATCH];
	uint32_t duration[CHECKSUM_BATCH];
	uint32_t count;
} checksum_scan;

static int on_checksum_row(const migc_history_row *row, void *payload)
{
	checksum_scan *scan = payload;
	uint32_t i = find_index(scan->set, row->revision, row->revision_length);
	const migc_revision *revision;

	if (i == NO_REVISION)
		return 0;
	revision = &scan->set->revisions[i];
	if (row->statements_done < revision->upgrade_count ||
	    row->checksum == revision->checksum)
		return 0;
	scan->index[scan->count] = i;
	scan->recorded[scan->count] = row->checksum;
	scan->duration[scan->count] = row->duration_ms;
	return ++scan->count == CHECKSUM_BATCH;
}

static int checksum_error(const plan *p, uint32_t index, uint64_t recorded,
			  migc_error *error)
{
	const migc_revision *revision = &p->set->revisions[index];
	migc_text text;

	migc_error_start(error, MIGC_ECHECKSUM, &text);
	migc_say(&text, "Revision ");
	migc_text_add(&text, revision->id);
	migc_say(&text, " (");
	migc_text_add(
	    &text, revision->source_file != NULL ? revision->source_file : "?");
	migc_say(&text, ") was applied with checksum ");
	migc_text_add_hex64(&text, recorded);
	migc_say(&text, " but this build has checksum ");
	migc_text_add_hex64(&text, revision->checksum);
	migc_say(&text, ": its file was edited after it was applied. "
			"Revert the edit and add a new revision "
			"instead, or rerun with "
			"--accept-changed-checksums / "
			"options.accept_changed_checksums to record "
			"the new checksum. Nothing was run.");
	migc_error_set_revision(error, revision->id);
	if (error != NULL)
		error->source_file = revision->source_file;
	return MIGC_ECHECKSUM;
}

/* In the caller's transaction: stops at the first edited revision, or,
 * when accepting, records the compiled checksums. */
static int verify_checksums(const plan *p, migc_error *error)
{
	const migc_driver *d = p->driver;
	checksum_scan scan;
	uint32_t passes;
	uint32_t i;
	int rc;

	if (!p->has_history)
		return MIGC_OK;
	/* Each pass fixes up to CHECKSUM_BATCH rows; the bound only guards
	 * against a driver that does not store what it is given. */
	for (passes = 0; passes <= p->set->revision_count / CHECKSUM_BATCH + 1;
	     passes++) {
		scan.set = p->set;
		scan.count = 0;
		rc = d->history_read(d->context, p->history, p->history_length,
				     on_checksum_row, &scan, error);
		if (rc != MIGC_OK || scan.count == 0)
			return rc;
		if (!accepting_checksums(p))
			return checksum_error(p, scan.index[0],
					      scan.recorded[0], error);
		for (i = 0; i < scan.count; i++) {
			const migc_revision *revision =
			    &p->set->revisions[scan.index[i]];

			rc = history_record(
			    p, scan.index[i], revision->upgrade_count,
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

/* ---- targets ---- */

/* A resolved target: the named revisions (none for base). */
typedef struct target {
	revset goal;
	int sign; /* +1 or -1 for "+N" / "-N" relative to the database */
	/* "<branch>@base": the revision the branch starts at (goal empty);
	 * NO_REVISION otherwise. */
	uint32_t base_of;
} target;

/* The set's branch labels joined by ", " between `before` and `after`;
 * nothing when it has none. */
static void add_labels(migc_text *text, const migc_set *set, const char *before,
		       const char *after)
{
	uint32_t count = 0;
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->branch_label_count; k++) {
			migc_text_add(text, count++ == 0 ? before : ", ");
			migc_text_add(text, revision->branch_labels[k]);
		}
	}
	if (count > 0)
		migc_text_add(text, after);
}

/* The revision that declares branch label `label` (`length` bytes). */
static uint32_t find_label(const migc_set *set, const char *label,
			   size_t length)
{
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->branch_label_count; k++) {
			if (migc_string_equal_n(revision->branch_labels[k],
						label, length))
				return i;
		}
	}
	return NO_REVISION;
}

/* `start` and its descendants through parent edges: Alembic's branch. */
static void branch_of(const migc_set *set, uint32_t start, revset *members)
{
	uint32_t i;
	uint32_t k;

	revset_clear(members);
	revset_add(members, start);
	for (i = start + 1; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->parent_count; k++) {
			if (revset_has(members, revision->parents[k]))
				revset_add(members, i);
		}
	}
}

static int single_head(const plan *p, const char *spelling, uint32_t *out,
		       migc_error *error)
{
	migc_text text;

	if (p->set->head_count == 1) {
		*out = p->set->heads[0];
		return MIGC_OK;
	}
	if (p->set->head_count == 0) {
		*out = NO_REVISION;
		return MIGC_OK;
	}
	migc_error_start(error, MIGC_EMULTIPLEHEADS, &text);
	migc_say(&text, "Target '");
	migc_text_add(&text, spelling);
	migc_say(&text, "' needs a single head but the set has ");
	migc_text_add_unsigned(&text, p->set->head_count);
	migc_say(&text, " (");
	add_heads(&text, p->set);
	migc_say(&text, "); use \"heads\" for all of them, ");
	add_labels(&text, p->set,
		   "\"<label>@head\" for one branch (labels: ", "), ");
	migc_say(&text, "a revision id, or merge the heads into one "
			"with 'migc merge heads'.");
	return MIGC_EMULTIPLEHEADS;
}

static int relative_error(const char *spelling, unsigned long steps,
			  unsigned long taken, uint32_t start,
			  const migc_set *set, migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_ERELATIVE, &text);
	migc_say(&text, "Relative target '");
	migc_text_add(&text, spelling);
	migc_say(&text, "' asks for ");
	migc_text_add_unsigned(&text, steps);
	migc_say(&text, " steps from ");
	migc_text_add(&text, id_or_base(set, start));
	migc_say(&text, " but only ");
	migc_text_add_unsigned(&text, taken);
	migc_text_add(&text, taken == 1 ? " is" : " are");
	migc_say(&text, " possible; use a smaller number or name the "
			"revision.");
	return MIGC_ERELATIVE;
}

/* Walks `steps` single children (sign > 0) or single parents (sign < 0). */
static int walk(const migc_set *set, uint32_t start, int sign,
		unsigned long steps, const char *spelling, uint32_t *out,
		migc_error *error)
{
	uint32_t at = start;
	unsigned long taken;
	migc_text text;

	for (taken = 0; taken < steps; taken++) {
		if (sign > 0) {
			uint32_t next = NO_REVISION;
			uint32_t count = child_count(set, at, &next);

			if (count == 0)
				return relative_error(spelling, steps, taken,
						      start, set, error);
			if (count > 1) {
				migc_error_start(error, MIGC_ERELATIVE, &text);
				migc_say(&text, "Relative target '");
				migc_text_add(&text, spelling);
				migc_say(&text, "' is ambiguous: ");
				migc_text_add(&text, id_or_base(set, at));
				migc_say(&text, " branches into ");
				add_children(&text, set, at);
				migc_say(&text, "; name the revision to "
						"reach instead.");
				return MIGC_ERELATIVE;
			}
			at = next;
		} else {
			const migc_revision *revision;

			if (at == NO_REVISION)
				return relative_error(spelling, steps, taken,
						      start, set, error);
			revision = &set->revisions[at];
			if (revision->parent_count > 1) {
				migc_error_start(error, MIGC_ERELATIVE, &text);
				migc_say(&text, "Relative target '");
				migc_text_add(&text, spelling);
				migc_say(&text, "' is ambiguous: ");
				migc_text_add(&text, revision->id);
				migc_say(&text, " merges several parents; "
						"name the revision to "
						"reach instead.");
				return MIGC_ERELATIVE;
			}
			at = revision->parent_count == 0 ? NO_REVISION
							 : revision->parents[0];
		}
	}
	*out = at;
	return MIGC_OK;
}

/* ---- numbers ---- */

/* The N of a relative target `spelling` whose digits start at `digits`:
 * 1 with *steps set when they are a count, 0 when they are no number (the
 * text then names a revision), or MIGC_ERELATIVE with `error` when the
 * count is larger than any graph can hold. */
static int relative_count(const char *spelling, const char *digits,
			  unsigned long *steps, migc_error *error)
{
	uint64_t value = 0;
	migc_text text;
	int rc = migc_number_parse(&value, digits, migc_string_length(digits),
				   10, MIGC_COUNT_MAX);

	if (rc == MIGC_OK) {
		*steps = (unsigned long)value;
		return 1;
	}
	if (rc != MIGC_ELIMIT)
		return 0;
	migc_error_start(error, MIGC_ERELATIVE, &text);
	migc_say(&text, "Relative target '");
	migc_text_add(&text, spelling);
	migc_say(&text, "' counts more steps than there can be (at most ");
	migc_text_add_unsigned(&text, MIGC_COUNT_MAX);
	migc_say(&text, "); use a smaller number or name the revision.");
	return MIGC_ERELATIVE;
}

/* "head", a full id or a unique prefix, as one revision. */
static int resolve_one(const plan *p, const char *spelling, size_t length,
		       uint32_t *out, migc_error *error)
{
	char buffer[MIGC_REVISION_ID_MAX * 2 + 8];
	const migc_revision *found;
	migc_text text;
	int rc;

	if (length >= sizeof buffer)
		return migc_error_fail(error, MIGC_ENOTFOUND,
				       "The target names a revision id longer "
				       "than any revision can have; check "
				       "the spelling.");
	migc_text_init(&text, buffer, sizeof buffer);
	migc_text_add_n(&text, spelling, length);
	if (migc_string_equal("head", buffer))
		return single_head(p, buffer, out, error);
	if (migc_string_equal("base", buffer)) {
		*out = NO_REVISION;
		return MIGC_OK;
	}
	rc = migc_revision_find(&found, p->set, buffer, error);
	if (rc != MIGC_OK)
		return rc;
	*out = (uint32_t)(found - p->set->revisions);
	return MIGC_OK;
}

static int direction_error(const char *spelling, int downgrade,
			   migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_EDIRECTION, &text);
	migc_text_add(&text,
		      downgrade ? "Downgrade target '" : "Upgrade target '");
	migc_text_add(&text, spelling);
	migc_text_add(&text, downgrade ? "' points up; use upgrade "
				       : "' points down; use downgrade ");
	migc_text_add(&text, spelling);
	migc_say(&text, " instead.");
	return MIGC_EDIRECTION;
}

static int branch_error(int code, const char *spelling, const char *what,
			migc_error *error)
{
	migc_text text;

	migc_error_start(error, code, &text);
	migc_say(&text, "Target '");
	migc_text_add(&text, spelling);
	migc_say(&text, "' ");
	migc_text_add(&text, what);
	return code;
}

/* "<branch>@head", "@heads", "@+N", "@-N", "@<rev>", where <branch> is a
 * branch label or a revision (the branch then starts there). Relative
 * steps count from the version row on that branch. */
static int resolve_branch(const plan *p, const char *spelling,
			  const char *at_sign, int downgrade, target *out,
			  migc_error *error)
{
	const migc_set *set = p->set;
	const char *rest = at_sign + 1;
	size_t length = (size_t)(at_sign - spelling);
	uint32_t start = find_label(set, spelling, length);
	uint32_t row = NO_REVISION;
	uint32_t found = NO_REVISION;
	uint32_t count = 0;
	unsigned long steps;
	revset branch;
	migc_text text;
	uint32_t i;
	int counted;
	int rc;

	if (start == NO_REVISION) {
		rc = resolve_one(p, spelling, length, &start, error);
		if (rc == MIGC_ENOTFOUND) {
			migc_error_start(error, MIGC_ENOTFOUND, &text);
			migc_say(&text, "No branch label or revision '");
			migc_text_add_n(&text, spelling, length);
			migc_say(&text, "' in set '");
			migc_text_add(&text, set->name);
			migc_say(&text, "' (target '");
			migc_text_add(&text, spelling);
			migc_say(&text, "'); ");
			add_labels(&text, set, "the branch labels are ", "; ");
			migc_say(&text, "run the heads or branches command "
					"to see the branches.");
			return MIGC_ENOTFOUND;
		}
		if (rc != MIGC_OK)
			return rc;
		if (start == NO_REVISION)
			return branch_error(MIGC_EINVAL, spelling,
					    "names no branch; use a branch "
					    "label or a revision before '@'.",
					    error);
	}
	if (migc_string_equal(rest, "base")) {
		/* Alembic's "<branch>@base": before the branch's root. */
		out->base_of = start;
		return MIGC_OK;
	}
	branch_of(set, start, &branch);
	if (migc_string_equal(rest, "head") ||
	    migc_string_equal(rest, "heads")) {
		for (i = 0; i < set->head_count; i++) {
			if (revset_has(&branch, set->heads[i])) {
				revset_add(&out->goal, set->heads[i]);
				count++;
			}
		}
		if (count > 1 && rest[4] == '\0') {
			migc_error_start(error, MIGC_EMULTIPLEHEADS, &text);
			migc_say(&text, "Target '");
			migc_text_add(&text, spelling);
			migc_say(&text, "' needs a single head but that "
					"branch has ");
			migc_text_add_unsigned(&text, count);
			migc_say(&text, " (");
			for (i = 0, count = 0; i < set->head_count; i++) {
				if (!revset_has(&branch, set->heads[i]))
					continue;
				if (count++ > 0)
					migc_say(&text, ", ");
				migc_text_add(&text,
					      set->revisions[set->heads[i]].id);
			}
			migc_say(&text, "); name one, or use '");
			migc_text_add_n(&text, spelling, length);
			migc_say(&text, "@heads'.");
			revset_clear(&out->goal);
			return MIGC_EMULTIPLEHEADS;
		}
		return MIGC_OK;
	}
	counted = rest[0] == '+' || rest[0] == '-'
		      ? relative_count(spelling, rest + 1, &steps, error)
		      : 0;
	if (counted < 0)
		return counted;
	if (counted) {
		int sign = rest[0] == '+' ? 1 : -1;

		if ((sign < 0) != (downgrade != 0))
			return direction_error(spelling, downgrade, error);
		for (i = 0; i < p->row_count; i++) {
			if (revset_has(&branch, p->rows[i])) {
				row = p->rows[i];
				count++;
			}
		}
		if (count > 1)
			return branch_error(MIGC_EMULTIPLEHEADS, spelling,
					    "is ambiguous: the branch has "
					    "several version rows; name the "
					    "revision instead.",
					    error);
		if (row == NO_REVISION) {
			/* Nothing of the branch is applied: step 1 is its
			 * first revision. */
			if (sign < 0 || steps == 0)
				return branch_error(
				    MIGC_ERELATIVE, spelling,
				    "counts from the branch's applied "
				    "revision, but none of the branch is "
				    "applied.",
				    error);
			rc = walk(set, start, 1, steps - 1, spelling, &found,
				  error);
		} else {
			rc = walk(set, row, sign, steps, spelling, &found,
				  error);
		}
		if (rc == MIGC_OK && found != NO_REVISION)
			revset_add(&out->goal, found);
		return rc;
	}
	rc = resolve_one(p, rest, migc_string_length(rest), &found, error);
	if (rc != MIGC_OK)
		return rc;
	if (found == NO_REVISION || !revset_has(&branch, found))
		return branch_error(MIGC_ENOTFOUND, spelling,
				    "names a revision that is not on that "
				    "branch; run history to see the branch.",
				    error);
	revset_add(&out->goal, found);
	return MIGC_OK;
}

static int resolve_target(const plan *p, const char *spelling, int downgrade,
			  target *out, migc_error *error)
{
	const char *split = NULL;
	const char *c;
	unsigned long steps;
	uint32_t from;
	uint32_t at;
	migc_text text;
	int counted;
	int rc;

	revset_clear(&out->goal);
	out->sign = 0;
	out->base_of = NO_REVISION;
	if (spelling == NULL)
		spelling = "head";
	if (migc_string_equal("heads", spelling)) {
		for (at = 0; at < p->set->head_count; at++)
			revset_add(&out->goal, p->set->heads[at]);
		return MIGC_OK;
	}
	for (c = spelling; *c != '\0'; c++) {
		if (*c == '@')
			return resolve_branch(p, spelling, c, downgrade, out,
					      error);
	}
	counted = spelling[0] == '+' || spelling[0] == '-'
		      ? relative_count(spelling, spelling + 1, &steps, error)
		      : 0;
	if (counted < 0)
		return counted;
	if (counted) {
		out->sign = spelling[0] == '+' ? 1 : -1;
		if ((out->sign < 0) != (downgrade != 0))
			return direction_error(spelling, downgrade, error);
		if (p->row_count > 1) {
			migc_error_start(error, MIGC_EMULTIPLEHEADS, &text);
			migc_say(&text, "Relative target '");
			migc_text_add(&text, spelling);
			migc_say(&text, "' needs a single current "
					"revision but the database is at ");
			add_rows(&text, p);
			migc_say(&text, "; name a revision instead, "
					"such as <revision>");
			migc_text_add(&text, spelling);
			migc_say(&text, ".");
			return MIGC_EMULTIPLEHEADS;
		}
		from = p->row_count == 0 ? NO_REVISION : p->rows[0];
		rc = walk(p->set, from, out->sign, steps, spelling, &at, error);
	} else {
		rc = resolve_one(p, spelling, migc_string_length(spelling), &at,
				 error);
		if (rc != MIGC_ENOTFOUND)
			goto resolved;
		/* "<rev>+N" / "<rev>-N": split at the last sign. */
		for (c = spelling; *c != '\0'; c++) {
			if (*c == '+' || *c == '-')
				split = c;
		}
		if (split == NULL || split == spelling)
			return rc;
		counted = relative_count(spelling, split + 1, &steps, error);
		if (counted < 0)
			return counted;
		if (!counted)
			return rc;
		rc = resolve_one(p, spelling, (size_t)(split - spelling), &from,
				 error);
		if (rc == MIGC_OK)
			rc = walk(p->set, from, *split == '+' ? 1 : -1, steps,
				  spelling, &at, error);
	}
resolved:
	if (rc != MIGC_OK)
		return rc;
	if (at != NO_REVISION)
		revset_add(&out->goal, at);
	return MIGC_OK;
}

/* ---- executing ---- */

static int rollback_quietly(const plan *p)
{
	migc_error ignored;

	return p->driver->rollback(p->driver->context, &ignored);
}

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
static int commit_or_rollback(const plan *p, int rc, migc_error *error);

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

/* Deletes known rows that are strict ancestors of `index`. */
static int drop_covered_rows(const plan *p, uint32_t index, migc_error *error)
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

/* The version rows for an applied set, as Alembic keeps them: the members
 * that no other member needs as a parent or a dependency. `applied` is
 * closed under ancestors, so looking at direct edges is enough. */
static void heads_of(const migc_set *set, const revset *applied, revset *heads)
{
	uint32_t i;
	uint32_t k;

	*heads = *applied;
	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		if (!revset_has(applied, i))
			continue;
		for (k = 0; k < revision->parent_count; k++)
			revset_remove(heads, revision->parents[k]);
		for (k = 0; k < revision->dependency_count; k++)
			revset_remove(heads, revision->dependencies[k]);
	}
}

/* `applied` after applying or unapplying `index`. */
static void applied_after(const plan *p, uint32_t index, int downgrade,
			  revset *after)
{
	*after = p->applied;
	if (downgrade)
		revset_remove(after, index);
	else
		revset_add(after, index);
}

/* Rewrites the version rows after applying or unapplying `index`, so that
 * they are the heads of what is applied (a merge replaces two rows by one,
 * unapplying it splits one into two, a dependency's row goes once its
 * dependent is applied). Rows this set lacks are left alone. Call with p's
 * rows from before the step. */
static int update_rows(const plan *p, uint32_t index, int downgrade,
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
static uint32_t next_step(const plan *p, const revset *scope, int downgrade)
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

/* Begins a write transaction, creates the tables on first use and reads
 * the version rows. Rolls back on failure. */
static int begin_and_read(plan *p, migc_error *error)
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

static int commit_or_rollback(const plan *p, int rc, migc_error *error)
{
	if (rc == MIGC_OK)
		rc = p->driver->commit(p->driver->context, error);
	if (rc != MIGC_OK)
		rollback_quietly(p);
	return rc;
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

enum mode { MODE_UPGRADE, MODE_DOWNGRADE, MODE_STAMP };

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

static int downgrade_scope(const plan *p, const target *to, revset *scope,
			   migc_error *error);
static int stamp_locked(plan *p, const target *to, int purge,
			migc_error *error);

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

static int execute_plan(plan *p, target *to, enum mode mode, int purge,
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

/* ---- operations ---- */

int migc_upgrade(const migc_set *set, const migc_driver *driver,
		 const char *target_spelling, const migc_options *options,
		 migc_error *error)
{
	plan p;
	target resolved;
	int rc = plan_init(&p, set, driver, options, error);

	if (rc == MIGC_OK)
		rc = read_state(&p, error);
	if (rc == MIGC_OK && p.unknown_count > 0)
		rc = refuse_unknown(&p, 0, error);
	if (rc == MIGC_OK)
		rc = resolve_target(&p, target_spelling, 0, &resolved, error);
	if (rc != MIGC_OK)
		return rc;
	close_ancestors(set, &resolved.goal);
	return execute_plan(&p, &resolved, MODE_UPGRADE, 0, error);
}

/* Adds the revisions whose down_revision is a member (not the ones that
 * only depend on one): Alembic's nextrev. */
static void add_children_of(const migc_set *set, const revset *members,
			    revset *out)
{
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];

		for (k = 0; k < revision->parent_count; k++) {
			if (revset_has(members, revision->parents[k]))
				revset_add(out, i);
		}
	}
}

/* The roots of a downgrade to base: every root, or for "<branch>@base"
 * the root the branch grows from (through down_revision). */
static void base_roots(const migc_set *set, uint32_t base_of, revset *out)
{
	revset line;
	uint32_t i;
	uint32_t k;

	revset_clear(&line);
	if (base_of != NO_REVISION) {
		revset_add(&line, base_of);
		for (i = base_of + 1; i-- > 0;) {
			const migc_revision *revision = &set->revisions[i];

			if (!revset_has(&line, i))
				continue;
			for (k = 0; k < revision->parent_count; k++)
				revset_add(&line, revision->parents[k]);
		}
	}
	for (i = 0; i < set->revision_count; i++) {
		if (set->revisions[i].parent_count == 0 &&
		    (base_of == NO_REVISION || revset_has(&line, i)))
			revset_add(out, i);
	}
}

/* What a downgrade to `to` unapplies, as Alembic's
 * _collect_downgrade_revisions: the target's children through
 * down_revision (the roots, for base), and all that descends from them
 * through parents and dependencies. A branch that depends_on the target
 * itself stays; one that depends on a revision that goes, goes too. Never
 * the target's ancestors; the target must be applied. */
static int downgrade_scope(const plan *p, const target *to, revset *scope,
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

int migc_downgrade(const migc_set *set, const migc_driver *driver,
		   const char *target_spelling, const migc_options *options,
		   migc_error *error)
{
	plan p;
	target resolved;
	revset scope;
	migc_text text;
	int rc = plan_init(&p, set, driver, options, error);

	if (rc == MIGC_OK)
		rc = read_state(&p, error);
	if (rc != MIGC_OK)
		return rc;
	/* "-N" counts from the rows, which a newer build wrote. */
	if (p.unknown_count > 0 && target_spelling != NULL &&
	    (target_spelling[0] == '-' || target_spelling[0] == '+')) {
		migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
		migc_say(&text, "The database is at revision ");
		migc_text_add(&text, p.unknown[0]);
		migc_say(&text, ", which is not in this build, so a "
				"relative target cannot be counted from "
				"it; name the revision to step back to, "
				"such as 'downgrade ");
		if (set->head_count == 1)
			migc_text_add(&text, set->revisions[set->heads[0]].id);
		else
			migc_say(&text, "heads");
		migc_say(&text, "'.");
		migc_error_set_revision(error, p.unknown[0]);
		return MIGC_EUNKNOWNVERSION;
	}
	rc = resolve_target(&p, target_spelling, 1, &resolved, error);
	if (rc != MIGC_OK)
		return rc;
	/* Check the target now when no step back has to come first. */
	if (p.unknown_count == 0) {
		rc = downgrade_scope(&p, &resolved, &scope, error);
		if (rc != MIGC_OK)
			return rc;
	}
	return execute_plan(&p, &resolved, MODE_DOWNGRADE, 0, error);
}

int migc_current(const migc_revision **out, size_t capacity, size_t *count,
		 const migc_set *set, const migc_driver *driver,
		 const migc_options *options, migc_error *error)
{
	plan p;
	uint32_t i;
	int rc;

	if (count != NULL)
		*count = 0;
	if (out == NULL && capacity > 0)
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_current was given a capacity "
				       "but no array; pass both or neither.");
	rc = plan_init(&p, set, driver, options, error);
	if (rc == MIGC_OK)
		rc = read_state(&p, error);
	if (rc == MIGC_OK && p.unknown_count > 0)
		rc = refuse_unknown(&p, 0, error);
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < p.row_count && i < capacity; i++)
		out[i] = &set->revisions[p.rows[i]];
	if (count != NULL)
		*count = p.row_count;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

int migc_version_rows(migc_version_row *out, size_t capacity, size_t *count,
		      const migc_set *set, const migc_driver *driver,
		      const migc_options *options, migc_error *error)
{
	plan p;
	migc_text text;
	uint32_t i;
	size_t n = 0;
	int rc;

	if (count != NULL)
		*count = 0;
	if (out == NULL && capacity > 0)
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_version_rows was given a capacity "
				       "but no array; pass both or neither.");
	rc = plan_init(&p, set, driver, options, error);
	if (rc == MIGC_OK)
		rc = read_state(&p, error);
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < p.row_count; i++, n++) {
		if (n >= capacity)
			continue;
		out[n].revision = &set->revisions[p.rows[i]];
		migc_text_init(&text, out[n].id, sizeof out[n].id);
		migc_text_add(&text, out[n].revision->id);
	}
	for (i = 0; i < p.unknown_count; i++, n++) {
		if (n >= capacity)
			continue;
		out[n].revision = NULL;
		migc_text_init(&text, out[n].id, sizeof out[n].id);
		migc_text_add(&text, p.unknown[i]);
	}
	if (count != NULL)
		*count = n;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

/* ---- stamp ---- */

/* stamp --purge, as Alembic does it: one DELETE of every version row,
 * whatever its id, through the driver's execute, so that a row whose id
 * no revision can have (longer than MIGC_REVISION_ID_MAX, which the plan
 * holds cut) goes too. */
static int delete_every_row(const plan *p, migc_error *error)
{
	static const char delete_from[] = "DELETE FROM ";
	char sql[sizeof delete_from + 2 * MIGC_TABLE_NAME_MAX + 8];
	size_t start = sizeof delete_from - 1;
	size_t length;
	size_t i;

	for (i = 0; i < start; i++)
		sql[i] = delete_from[i];
	length = migc_table_quote(sql + start, sizeof sql - start, p->table,
				  p->table_length);
	if (length >= sizeof sql - start)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The version table name is too long "
				       "to delete its rows.");
	return p->driver->execute(p->driver->context, sql, start + length,
				  error);
}

/* Is `a` an ancestor of `b`, or `b` of `a`? */
static int related(const migc_set *set, uint32_t a, uint32_t b)
{
	revset above;

	revset_clear(&above);
	revset_add(&above, a);
	close_ancestors(set, &above);
	if (revset_has(&above, b))
		return 1;
	revset_clear(&above);
	revset_add(&above, b);
	close_ancestors(set, &above);
	return revset_has(&above, a);
}

/* The rows after stamping `to`: its goal plus unrelated rows that stay,
 * reduced to heads. "<branch>@base" removes the rows related to the
 * branch (through parents and dependencies), as Alembic's stamp does. */
static void stamp_rows(const plan *p, const target *to, int purge, revset *rows)
{
	const migc_set *set = p->set;
	const revset *goal = &to->goal;
	revset others;
	uint32_t i;
	uint32_t k;
	int empty = to->base_of == NO_REVISION;

	*rows = *goal;
	for (i = 0; i < set->revision_count; i++)
		empty &= !revset_has(goal, i);
	if (empty)
		return; /* base clears every row */
	for (k = 0; !purge && k < p->row_count; k++) {
		int keep = to->base_of == NO_REVISION ||
			   !related(set, to->base_of, p->rows[k]);

		for (i = 0; i < set->revision_count && keep; i++) {
			if (revset_has(goal, i) && related(set, i, p->rows[k]))
				keep = 0;
		}
		if (keep)
			revset_add(rows, p->rows[k]);
	}
	for (i = 0; i < set->revision_count; i++) {
		if (!revset_has(rows, i))
			continue;
		revset_clear(&others);
		for (k = 0; k < set->revision_count; k++) {
			if (k != i && revset_has(rows, k))
				revset_add(&others, k);
		}
		close_ancestors(set, &others);
		if (revset_has(&others, i))
			rows->word[i / 32] &= ~((uint32_t)1 << (i % 32));
	}
}

static int stamp_apply(plan *p, const target *to, int purge, migc_error *error)
{
	const migc_driver *d = p->driver;
	const migc_set *set = p->set;
	revset rows;
	revset after;
	uint32_t i;
	int rc = MIGC_OK;

	stamp_rows(p, to, purge, &rows);
	after = rows;
	close_ancestors(set, &after);
	if (purge)
		rc = delete_every_row(p, error);
	for (i = 0; rc == MIGC_OK && !purge && i < p->unknown_count; i++)
		rc = d->version_row_delete(
		    d->context, p->table, p->table_length, p->unknown[i],
		    migc_string_length(p->unknown[i]), error);
	for (i = 0; rc == MIGC_OK && !purge && i < p->row_count; i++) {
		const char *id = set->revisions[p->rows[i]].id;

		if (!revset_has(&rows, p->rows[i]))
			rc = d->version_row_delete(
			    d->context, p->table, p->table_length, id,
			    migc_string_length(id), error);
	}
	for (i = 0; rc == MIGC_OK && i < set->revision_count; i++) {
		const char *id = set->revisions[i].id;
		uint32_t k;
		int present = 0;

		if (!revset_has(&rows, i))
			continue;
		for (k = 0; !purge && k < p->row_count; k++)
			present |= p->rows[k] == i;
		if (!present)
			rc = d->version_row_insert(
			    d->context, p->table, p->table_length, id,
			    migc_string_length(id), error);
	}
	/* History: what became applied gets a row, what stopped being
	 * applied loses it. */
	for (i = 0; rc == MIGC_OK && i < set->revision_count; i++) {
		int was = revset_has(&p->applied, i);
		int is = revset_has(&after, i);

		if (is && !was)
			rc = history_record(p, i,
					    set->revisions[i].upgrade_count, 0,
					    set->revisions[i].checksum, error);
		else if (was && !is)
			rc = history_forget(p, set->revisions[i].id, error);
	}
	return rc;
}

static int stamp_locked(plan *p, const target *to, int purge, migc_error *error)
{
	int rc = begin_and_read(p, error);

	if (rc != MIGC_OK)
		return rc;
	if (p->unknown_count > 0 && !purge)
		rc = refuse_unknown(p, 1, error);
	if (rc == MIGC_OK)
		rc = stamp_apply(p, to, purge, error);
	return commit_or_rollback(p, rc, error);
}

int migc_stamp_many(const migc_set *set, const migc_driver *driver,
		    const char *const *targets, size_t count, int purge,
		    const migc_options *options, migc_error *error)
{
	plan p;
	target resolved;
	target goal;
	size_t i;
	uint32_t k;
	int rc = plan_init(&p, set, driver, options, error);

	if (rc == MIGC_OK && targets == NULL && count > 0)
		rc = migc_error_fail(error, MIGC_EINVAL,
				     "migc_stamp_many was given a count but "
				     "no targets; pass both.");
	if (rc == MIGC_OK)
		rc = read_state(&p, error);
	if (rc != MIGC_OK)
		return rc;
	if (p.unknown_count > 0 && !purge)
		return refuse_unknown(&p, 1, error);
	revset_clear(&goal.goal);
	goal.sign = 0;
	goal.base_of = NO_REVISION;
	for (i = 0; i < count || (count == 0 && i == 0); i++) {
		const char *spelling = count == 0 ? NULL : targets[i];

		rc = resolve_target(&p, spelling,
				    spelling != NULL && spelling[0] == '-',
				    &resolved, error);
		if (rc != MIGC_OK)
			return rc;
		if (resolved.base_of != NO_REVISION) {
			if (goal.base_of != NO_REVISION &&
			    goal.base_of != resolved.base_of)
				return migc_error_fail(
				    error, MIGC_EINVAL,
				    "stamp takes one '<branch>@base' at a "
				    "time; run stamp once per branch.");
			goal.base_of = resolved.base_of;
		}
		for (k = 0; k < REVSET_WORDS; k++)
			goal.goal.word[k] |= resolved.goal.word[k];
	}
	return execute_plan(&p, &goal, MODE_STAMP, purge, error);
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
	plan p;
	uint32_t i;
	int rc = plan_init(&p, set, driver, options, error);

	if (rc == MIGC_OK && (out == NULL || capacity < set->revision_count))
		rc = migc_error_fail(error, MIGC_EINVAL,
				     "migc_applied needs an array of at least "
				     "one byte per revision of the set.");
	if (rc == MIGC_OK)
		rc = read_state(&p, error);
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < set->revision_count; i++)
		out[i] = (unsigned char)revset_has(&p.applied, i);
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

/* ---- planning without a database ---- */

/* p->rows from p->applied. */
static int rows_from_applied(plan *p, migc_error *error)
{
	revset heads;
	uint32_t i;

	heads_of(p->set, &p->applied, &heads);
	p->row_count = 0;
	for (i = 0; i < p->set->revision_count; i++) {
		if (!revset_has(&heads, i))
			continue;
		if (p->row_count == MIGC_MAX_HEADS)
			return migc_error_fail(error, MIGC_ELIMIT,
					       "The plan has more version rows "
					       "than MIGC_MAX_HEADS; rebuild "
					       "with a larger limit.");
		p->rows[p->row_count++] = i;
	}
	return MIGC_OK;
}

/* The starting state of an offline plan: "base", or targets joined by
 * ",", each naming revisions that are applied (with their ancestors). */
static int state_from(plan *p, const char *from, migc_error *error)
{
	char part[MIGC_REVISION_ID_MAX * 2 + 64];
	target resolved;
	migc_text text;
	size_t start = 0;
	size_t i;
	uint32_t k;
	int rc;

	revset_clear(&p->applied);
	p->row_count = 0;
	for (i = 0; from != NULL; i++) {
		if (from[i] != ',' && from[i] != '\0')
			continue;
		migc_text_init(&text, part, sizeof part);
		migc_text_add_n(&text, from + start, i - start);
		if (part[0] == '+' || part[0] == '-' || part[0] == '\0' ||
		    i - start >= sizeof part - 1) {
			migc_error_start(error, MIGC_EINVAL, &text);
			migc_say(&text, "The starting point '");
			migc_text_add(&text, from);
			migc_say(&text, "' must name revisions (ids, "
					"heads, base, label@head), not "
					"count from them.");
			return MIGC_EINVAL;
		}
		rc = resolve_target(p, part, 0, &resolved, error);
		if (rc != MIGC_OK)
			return rc;
		for (k = 0; k < REVSET_WORDS; k++)
			p->applied.word[k] |= resolved.goal.word[k];
		if (from[i] == '\0')
			break;
		start = i + 1;
	}
	close_ancestors(p->set, &p->applied);
	return rows_from_applied(p, error);
}

/* Appends `index` to `list` unless it is there. */
static void list_add(const migc_revision **list, uint32_t *count,
		     const migc_set *set, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < *count; i++) {
		if (list[i] == &set->revisions[index])
			return;
	}
	if (*count < MIGC_MAX_HEADS)
		list[(*count)++] = &set->revisions[index];
}

/* The rows a step removes and adds, in Alembic's order (see migc_step). */
static void step_changes(const plan *p, uint32_t index, int downgrade,
			 migc_step *step)
{
	const migc_set *set = p->set;
	const migc_revision *revision = &set->revisions[index];
	uint32_t total = revision->parent_count + revision->dependency_count;
	revset after;
	revset before_heads;
	revset after_heads;
	uint32_t k;

	applied_after(p, index, downgrade, &after);
	heads_of(set, &p->applied, &before_heads);
	heads_of(set, &after, &after_heads);
	step->removed_count = 0;
	step->added_count = 0;
	if (downgrade)
		list_add(step->removed, &step->removed_count, set, index);
	for (k = 0; k < total; k++) {
		uint32_t other =
		    k < revision->parent_count
			? revision->parents[k]
			: revision->dependencies[k - revision->parent_count];
		int was = revset_has(&before_heads, other);
		int is = revset_has(&after_heads, other);

		if (!downgrade && was && !is)
			list_add(step->removed, &step->removed_count, set,
				 other);
		if (downgrade && is && !was)
			list_add(step->added, &step->added_count, set, other);
	}
	if (!downgrade)
		list_add(step->added, &step->added_count, set, index);
}

int migc_plan_steps(const migc_set *set, const char *from,
		    const char *target_spelling, int downgrade,
		    migc_step_fn each, void *payload, uint32_t *count,
		    migc_error *error)
{
	plan p;
	target resolved;
	revset scope;
	migc_step step;
	uint32_t index;
	int rc;

	if (count != NULL)
		*count = 0;
	if (each == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_plan_steps needs a callback.");
	rc = check_set(set, error);
	if (rc != MIGC_OK)
		return rc;
	p.set = set;
	p.driver = NULL;
	p.options = NULL;
	p.unknown_count = 0;
	rc = state_from(&p, from, error);
	if (rc == MIGC_OK)
		rc = resolve_target(&p, target_spelling, downgrade, &resolved,
				    error);
	if (rc == MIGC_OK && downgrade) {
		rc = downgrade_scope(&p, &resolved, &scope, error);
	} else if (rc == MIGC_OK) {
		scope = resolved.goal;
		close_ancestors(set, &scope);
	}
	if (rc != MIGC_OK)
		return rc;
	step.kind = downgrade ? MIGC_EVENT_DOWNGRADE : MIGC_EVENT_UPGRADE;
	step.set = set;
	step.number = 0;
	while ((index = next_step(&p, &scope, downgrade)) != NO_REVISION) {
		step.revision = &set->revisions[index];
		step.number++;
		step.rows_before = p.row_count;
		step_changes(&p, index, downgrade, &step);
		applied_after(&p, index, downgrade, &p.applied);
		rc = rows_from_applied(&p, error);
		if (rc != MIGC_OK)
			return rc;
		step.rows_after = p.row_count;
		rc = each(&step, payload);
		if (rc != 0)
			return rc;
		if (count != NULL)
			*count = step.number;
	}
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}
