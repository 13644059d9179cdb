/* plan.c: the planner and executor behind migc_upgrade, migc_downgrade and
 * migc_current. A target is resolved once into absolute revisions; then each
 * step re-reads the version rows under the driver's write lock and applies or
 * unapplies the next revision, so concurrent runners never repeat one.
 * No heap: revision sets are bitsets on the stack sized by MIGC_MAX_REVISIONS. */
#include "plan.h"

#define REVSET_WORDS ((MIGC_MAX_REVISIONS + 31) / 32)
#define NO_REVISION UINT32_MAX /* "base": before every root */
#define TABLE_NAME_MAX 63

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

/* The state of one operation: its inputs and the version rows last read. */
typedef struct plan {
	const migc_set *set;
	const migc_driver *driver;
	const char *table;
	size_t table_length;
	const migc_options *options;
	uint32_t rows[MIGC_MAX_HEADS]; /* row revisions, in set order */
	uint32_t row_count;
	revset applied; /* rows and all their ancestors */
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
			migc_text_add(text, ", ");
		migc_text_add(text, set->revisions[i].id);
	}
}

static void add_heads(migc_text *text, const migc_set *set)
{
	uint32_t i;

	for (i = 0; i < set->head_count; i++) {
		if (i > 0)
			migc_text_add(text, ", ");
		migc_text_add(text, set->revisions[set->heads[i]].id);
	}
}

static void add_rows(migc_text *text, const plan *p)
{
	uint32_t i;

	if (p->row_count == 0)
		migc_text_add(text, "base");
	for (i = 0; i < p->row_count; i++) {
		if (i > 0)
			migc_text_add(text, ", ");
		migc_text_add(text, p->set->revisions[p->rows[i]].id);
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
		migc_text_add(&text, "The migration set was generated for "
				     "runtime ABI ");
		migc_text_add_unsigned(&text, set->abi_version);
		migc_text_add(&text, " but this runtime has ABI ");
		migc_text_add_unsigned(&text, MIGC_ABI_VERSION);
		migc_text_add(&text, "; regenerate the set with the migc "
				     "generator that matches this runtime.");
		return MIGC_EABI;
	}
	if (set->revision_count > MIGC_MAX_REVISIONS) {
		migc_error_start(error, MIGC_ELIMIT, &text);
		migc_text_add(&text, "The set has ");
		migc_text_add_unsigned(&text, set->revision_count);
		migc_text_add(&text, " revisions but this runtime was built "
				     "for at most ");
		migc_text_add_unsigned(&text, MIGC_MAX_REVISIONS);
		migc_text_add(&text, "; rebuild it with a larger "
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
			migc_text_add(&text, "The set is malformed: revision ");
			migc_text_add_unsigned(&text, i);
			migc_text_add(&text, " has no id or refers to a "
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

static int check_driver(const migc_driver *driver, migc_error *error)
{
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
	return MIGC_OK;
}

static int is_name_character(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static int plan_init(plan *p, const migc_set *set, const migc_driver *driver,
		     const migc_options *options, migc_error *error)
{
	int rc;
	size_t i;

	p->set = set;
	p->driver = driver;
	p->options = options;
	p->table = MIGC_DEFAULT_VERSION_TABLE;
	p->row_count = 0;
	revset_clear(&p->applied);
	rc = check_set(set, error);
	if (rc == MIGC_OK)
		rc = check_driver(driver, error);
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
	for (i = 0; i < p->table_length; i++) {
		if (!is_name_character(p->table[i]))
			break;
	}
	if (p->table_length == 0 || p->table_length > TABLE_NAME_MAX ||
	    i < p->table_length)
		return migc_error_fail(
			error, MIGC_EINVAL,
			"The version table name must be 1 to 63 letters, "
			"digits or underscores; choose another name.");
	return MIGC_OK;
}

/* ---- state ---- */

typedef struct row_reader {
	const migc_set *set;
	uint32_t *rows;
	uint32_t count;
	int status;
	char unknown[MIGC_REVISION_ID_MAX + 1];
} row_reader;

static int on_row(const char *revision, size_t length, void *payload)
{
	row_reader *reader = payload;
	uint32_t i;
	uint32_t k;
	migc_text text;

	for (i = 0; i < reader->set->revision_count; i++) {
		if (migc_string_equal_n(reader->set->revisions[i].id, revision,
					length))
			break;
	}
	if (i == reader->set->revision_count) {
		reader->status = MIGC_EUNKNOWNVERSION;
		migc_text_init(&text, reader->unknown, sizeof reader->unknown);
		migc_text_add_n(&text, revision, length);
		return 1;
	}
	for (k = 0; k < reader->count; k++) {
		if (reader->rows[k] == i)
			return 0;
	}
	if (reader->count == MIGC_MAX_HEADS) {
		reader->status = MIGC_ELIMIT;
		return 1;
	}
	/* Keep the rows in set order: insertion into a short array. */
	k = reader->count++;
	while (k > 0 && reader->rows[k - 1] > i) {
		reader->rows[k] = reader->rows[k - 1];
		k--;
	}
	reader->rows[k] = i;
	return 0;
}

static int read_state(plan *p, migc_error *error)
{
	row_reader reader;
	migc_text text;
	uint32_t i;
	int rc;

	reader.set = p->set;
	reader.rows = p->rows;
	reader.count = 0;
	reader.status = MIGC_OK;
	reader.unknown[0] = '\0';
	rc = p->driver->version_rows_read(p->driver->context, p->table,
					  p->table_length, on_row, &reader,
					  error);
	if (rc != MIGC_OK)
		return rc;
	if (reader.status == MIGC_EUNKNOWNVERSION) {
		migc_error_start(error, MIGC_EUNKNOWNVERSION, &text);
		migc_text_add(&text, "The database is at revision '");
		migc_text_add(&text, reader.unknown);
		migc_text_add(&text, "', which this program does not know; "
				     "it was probably migrated by a newer "
				     "build. Run that build, or downgrade "
				     "with it to a revision this one "
				     "knows.");
		migc_error_set_revision(error, reader.unknown);
		return MIGC_EUNKNOWNVERSION;
	}
	if (reader.status == MIGC_ELIMIT) {
		migc_error_start(error, MIGC_ELIMIT, &text);
		migc_text_add(&text, "The version table '");
		migc_text_add(&text, p->table);
		migc_text_add(&text, "' has more than ");
		migc_text_add_unsigned(&text, MIGC_MAX_HEADS);
		migc_text_add(&text, " rows; rebuild the runtime with a "
				     "larger MIGC_MAX_HEADS or merge "
				     "branches.");
		return MIGC_ELIMIT;
	}
	p->row_count = reader.count;
	revset_clear(&p->applied);
	for (i = 0; i < p->row_count; i++)
		revset_add(&p->applied, p->rows[i]);
	close_ancestors(p->set, &p->applied);
	return MIGC_OK;
}

/* ---- targets ---- */

/* A resolved target: the named revisions (none for base). */
typedef struct target {
	revset goal;
	int sign; /* +1 or -1 for "+N" / "-N" relative to the database */
} target;

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
	migc_text_add(&text, "Target '");
	migc_text_add(&text, spelling);
	migc_text_add(&text, "' needs a single head but the set has ");
	migc_text_add_unsigned(&text, p->set->head_count);
	migc_text_add(&text, " (");
	add_heads(&text, p->set);
	migc_text_add(&text, "); use \"heads\" for all of them, name one, "
			     "or merge them into one with a merge "
			     "revision.");
	return MIGC_EMULTIPLEHEADS;
}

static int relative_error(const char *spelling, unsigned long steps,
			  unsigned long taken, uint32_t start,
			  const migc_set *set, migc_error *error)
{
	migc_text text;

	migc_error_start(error, MIGC_ERELATIVE, &text);
	migc_text_add(&text, "Relative target '");
	migc_text_add(&text, spelling);
	migc_text_add(&text, "' asks for ");
	migc_text_add_unsigned(&text, steps);
	migc_text_add(&text, " steps from ");
	migc_text_add(&text, id_or_base(set, start));
	migc_text_add(&text, " but only ");
	migc_text_add_unsigned(&text, taken);
	migc_text_add(&text, taken == 1 ? " is" : " are");
	migc_text_add(&text, " possible; use a smaller number or name the "
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
				migc_text_add(&text, "Relative target '");
				migc_text_add(&text, spelling);
				migc_text_add(&text, "' is ambiguous: ");
				migc_text_add(&text, id_or_base(set, at));
				migc_text_add(&text, " branches into ");
				add_children(&text, set, at);
				migc_text_add(&text, "; name the revision to "
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
				migc_text_add(&text, "Relative target '");
				migc_text_add(&text, spelling);
				migc_text_add(&text, "' is ambiguous: ");
				migc_text_add(&text, revision->id);
				migc_text_add(&text, " merges several parents; "
						     "name the revision to "
						     "reach instead.");
				return MIGC_ERELATIVE;
			}
			at = revision->parent_count == 0
				     ? NO_REVISION
				     : revision->parents[0];
		}
	}
	*out = at;
	return MIGC_OK;
}

/* Parses N in "+N" / "-N"; returns 0 when `digits` is not a number. */
static int parse_count(const char *digits, unsigned long *out)
{
	unsigned long value = 0;

	if (*digits == '\0')
		return 0;
	for (; *digits != '\0'; digits++) {
		if (*digits < '0' || *digits > '9')
			return 0;
		value = value * 10 + (unsigned long)(*digits - '0');
		if (value > 1000000000ul)
			return 0;
	}
	*out = value;
	return 1;
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
	migc_text_add(&text, downgrade ? "Downgrade target '" : "Upgrade target '");
	migc_text_add(&text, spelling);
	migc_text_add(&text, downgrade ? "' points up; use upgrade "
				       : "' points down; use downgrade ");
	migc_text_add(&text, spelling);
	migc_text_add(&text, " instead.");
	return MIGC_EDIRECTION;
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
	int rc;

	revset_clear(&out->goal);
	out->sign = 0;
	if (spelling == NULL)
		spelling = "head";
	if (migc_string_equal("heads", spelling)) {
		for (at = 0; at < p->set->head_count; at++)
			revset_add(&out->goal, p->set->heads[at]);
		return MIGC_OK;
	}
	if ((spelling[0] == '+' || spelling[0] == '-') &&
	    parse_count(spelling + 1, &steps)) {
		out->sign = spelling[0] == '+' ? 1 : -1;
		if ((out->sign < 0) != (downgrade != 0))
			return direction_error(spelling, downgrade, error);
		if (p->row_count > 1) {
			migc_error_start(error, MIGC_EMULTIPLEHEADS, &text);
			migc_text_add(&text, "Relative target '");
			migc_text_add(&text, spelling);
			migc_text_add(&text, "' needs a single current "
					     "revision but the database is at ");
			add_rows(&text, p);
			migc_text_add(&text, "; name a revision instead, "
					     "such as <revision>");
			migc_text_add(&text, spelling);
			migc_text_add(&text, ".");
			return MIGC_EMULTIPLEHEADS;
		}
		from = p->row_count == 0 ? NO_REVISION : p->rows[0];
		rc = walk(p->set, from, out->sign, steps, spelling, &at,
			  error);
	} else {
		rc = resolve_one(p, spelling, migc_string_length(spelling),
				 &at, error);
		if (rc != MIGC_ENOTFOUND)
			goto resolved;
		/* "<rev>+N" / "<rev>-N": split at the last sign. */
		for (c = spelling; *c != '\0'; c++) {
			if (*c == '+' || *c == '-')
				split = c;
		}
		if (split == NULL || split == spelling ||
		    !parse_count(split + 1, &steps))
			return rc;
		rc = resolve_one(p, spelling, (size_t)(split - spelling),
				 &from, error);
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

static int run_statements(const plan *p, const migc_revision *revision,
			  int downgrade, migc_error *error)
{
	const migc_statement *statements =
		downgrade ? revision->downgrade : revision->upgrade;
	uint32_t count =
		downgrade ? revision->downgrade_count : revision->upgrade_count;
	migc_error driver_error;
	migc_text text;
	uint32_t i;
	int rc;

	for (i = 0; i < count; i++) {
		const migc_statement *statement = &statements[i];

		migc_error_clear(&driver_error, MIGC_OK);
		rc = p->driver->execute(p->driver->context, statement->sql,
					statement->length, &driver_error);
		if (rc == MIGC_OK)
			continue;
		migc_error_start(error, MIGC_ESTATEMENT, &text);
		migc_text_add(&text, downgrade ? "Downgrade of revision "
					       : "Revision ");
		migc_text_add(&text, revision->id);
		migc_text_add(&text, " failed at statement ");
		migc_text_add_unsigned(&text, i + 1);
		migc_text_add(&text, " (");
		migc_text_add(&text, revision->source_file != NULL
					     ? revision->source_file
					     : "?");
		migc_text_add(&text, ":");
		migc_text_add_unsigned(&text, statement->line);
		migc_text_add(&text, "): ");
		migc_text_add(&text, driver_error.message[0] != '\0'
					     ? driver_error.message
					     : migc_result_text(rc));
		if (revision->flags & MIGC_REVISION_NO_TRANSACTION)
			migc_text_add(&text, ". The revision runs outside a "
					     "transaction, so the statements "
					     "before this one stay applied; "
					     "fix the database by hand before "
					     "running again.");
		else
			migc_text_add(&text, ". The revision was rolled back; "
					     "the database stays at the last "
					     "good revision.");
		if (error != NULL) {
			migc_error_set_revision(error, revision->id);
			error->statement_index = i + 1;
			error->source_file = revision->source_file;
			error->line = statement->line;
			error->driver_code = driver_error.driver_code;
		}
		return MIGC_ESTATEMENT;
	}
	return MIGC_OK;
}

/* Rewrites the version rows after applying or unapplying `index`, so that
 * they stay the applied heads. Call with p's rows from before the step. */
static int update_rows(const plan *p, uint32_t index, int downgrade,
		       migc_error *error)
{
	const migc_driver *d = p->driver;
	const migc_revision *revision = &p->set->revisions[index];
	revset remaining;
	uint32_t i;
	uint32_t k;
	int rc;

	if (!downgrade) {
		for (i = 0; i < p->row_count; i++) {
			const char *id = p->set->revisions[p->rows[i]].id;

			if (!is_parent_of(revision, p->rows[i]))
				continue;
			rc = d->version_row_delete(d->context, p->table,
						   p->table_length, id,
						   migc_string_length(id),
						   error);
			if (rc != MIGC_OK)
				return rc;
		}
		return d->version_row_insert(d->context, p->table,
					     p->table_length, revision->id,
					     migc_string_length(revision->id),
					     error);
	}
	revset_clear(&remaining);
	for (i = 0; i < p->row_count; i++) {
		if (p->rows[i] == index) {
			rc = d->version_row_delete(
				d->context, p->table, p->table_length,
				revision->id, migc_string_length(revision->id),
				error);
			if (rc != MIGC_OK)
				return rc;
		} else {
			revset_add(&remaining, p->rows[i]);
		}
	}
	close_ancestors(p->set, &remaining);
	/* Parents and dependencies stay applied: record those that no
	 * remaining row already implies. */
	for (k = 0; k < revision->parent_count + revision->dependency_count;
	     k++) {
		uint32_t other = k < revision->parent_count
					 ? revision->parents[k]
					 : revision->dependencies
						   [k - revision->parent_count];
		const char *id = p->set->revisions[other].id;

		if (revset_has(&remaining, other))
			continue;
		revset_add(&remaining, other);
		close_ancestors(p->set, &remaining);
		rc = d->version_row_insert(d->context, p->table,
					   p->table_length, id,
					   migc_string_length(id), error);
		if (rc != MIGC_OK)
			return rc;
	}
	return MIGC_OK;
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

static int begin_and_read(plan *p, migc_error *error)
{
	const migc_driver *d = p->driver;
	int rc = d->begin(d->context, error);

	if (rc != MIGC_OK)
		return rc;
	rc = d->version_table_ensure(d->context, p->table, p->table_length,
				     error);
	if (rc == MIGC_OK)
		rc = read_state(p, error);
	if (rc != MIGC_OK)
		rollback_quietly(p);
	return rc;
}

/* One revision outside a transaction; its version rows in a small one. */
static int run_untransacted(plan *p, uint32_t index, int downgrade,
			   migc_error *error)
{
	const migc_driver *d = p->driver;
	const migc_revision *revision = &p->set->revisions[index];
	int still_needed;
	int rc = d->commit(d->context, error);

	if (rc != MIGC_OK) {
		rollback_quietly(p);
		return rc;
	}
	rc = run_statements(p, revision, downgrade, error);
	if (rc != MIGC_OK)
		return rc;
	rc = begin_and_read(p, error);
	if (rc != MIGC_OK)
		return rc;
	/* Another runner may have recorded it meanwhile. */
	still_needed = downgrade ? revset_has(&p->applied, index)
				 : !revset_has(&p->applied, index);
	if (still_needed)
		rc = update_rows(p, index, downgrade, error);
	if (rc != MIGC_OK) {
		rollback_quietly(p);
		return rc;
	}
	return d->commit(d->context, error);
}

/* Applies or unapplies one revision; *done is set when none is left. */
static int run_step(plan *p, const revset *scope, int downgrade, int *done,
		    migc_error *error)
{
	const migc_driver *d = p->driver;
	uint32_t index;
	int rc = begin_and_read(p, error);

	if (rc != MIGC_OK)
		return rc;
	index = next_step(p, scope, downgrade);
	if (index == NO_REVISION) {
		*done = 1;
		rc = d->commit(d->context, error);
		if (rc != MIGC_OK)
			rollback_quietly(p);
		return rc;
	}
	if (p->options != NULL && p->options->progress != NULL) {
		migc_event event;

		event.kind = downgrade ? MIGC_EVENT_DOWNGRADE
				       : MIGC_EVENT_UPGRADE;
		event.set = p->set;
		event.revision = &p->set->revisions[index];
		p->options->progress(&event, p->options->progress_payload);
	}
	if (p->set->revisions[index].flags & MIGC_REVISION_NO_TRANSACTION)
		return run_untransacted(p, index, downgrade, error);
	rc = run_statements(p, &p->set->revisions[index], downgrade, error);
	if (rc == MIGC_OK)
		rc = update_rows(p, index, downgrade, error);
	if (rc == MIGC_OK)
		rc = d->commit(d->context, error);
	if (rc != MIGC_OK)
		rollback_quietly(p);
	return rc;
}

static int execute_plan(plan *p, const revset *scope, int downgrade,
			migc_error *error)
{
	const migc_driver *d = p->driver;
	char key[128];
	migc_text text;
	int done = 0;
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
	while (rc == MIGC_OK && !done)
		rc = run_step(p, scope, downgrade, &done, error);
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

/* Reads the rows once, outside any transaction, to resolve the target. */
static int prepare(plan *p, const char *spelling, int downgrade,
		   target *resolved, migc_error *error)
{
	int rc = read_state(p, error);

	if (rc == MIGC_OK)
		rc = resolve_target(p, spelling, downgrade, resolved, error);
	return rc;
}

int migc_upgrade(const migc_set *set, const migc_driver *driver,
		 const char *target_spelling, const migc_options *options,
		 migc_error *error)
{
	plan p;
	target resolved;
	int rc = plan_init(&p, set, driver, options, error);

	if (rc == MIGC_OK)
		rc = prepare(&p, target_spelling, 0, &resolved, error);
	if (rc != MIGC_OK)
		return rc;
	close_ancestors(set, &resolved.goal);
	return execute_plan(&p, &resolved.goal, 0, error);
}

int migc_downgrade(const migc_set *set, const migc_driver *driver,
		   const char *target_spelling, const migc_options *options,
		   migc_error *error)
{
	plan p;
	target resolved;
	revset scope;
	migc_text text;
	uint32_t i;
	int is_base = 1;
	int rc = plan_init(&p, set, driver, options, error);

	if (rc == MIGC_OK)
		rc = prepare(&p, target_spelling, 1, &resolved, error);
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < set->revision_count; i++) {
		if (!revset_has(&resolved.goal, i))
			continue;
		is_base = 0;
		if (revset_has(&p.applied, i))
			continue;
		migc_error_start(error, MIGC_EDIRECTION, &text);
		migc_text_add(&text, "Cannot downgrade to ");
		migc_text_add(&text, set->revisions[i].id);
		migc_text_add(&text, ": it is not applied (the database is at ");
		add_rows(&text, &p);
		migc_text_add(&text, "); use upgrade to move to it.");
		migc_error_set_revision(error, set->revisions[i].id);
		return MIGC_EDIRECTION;
	}
	/* Unapply strict descendants of the target, never its ancestors. */
	scope = resolved.goal;
	if (is_base) {
		for (i = 0; i < set->revision_count; i++)
			revset_add(&scope, i);
	} else {
		close_descendants(set, &scope);
		close_ancestors(set, &resolved.goal);
		for (i = 0; i < REVSET_WORDS; i++)
			scope.word[i] &= ~resolved.goal.word[i];
	}
	return execute_plan(&p, &scope, 1, error);
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
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < p.row_count && i < capacity; i++)
		out[i] = &set->revisions[p.rows[i]];
	if (count != NULL)
		*count = p.row_count;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}
