/* target.c: the target grammar (ids and unique prefixes, head, heads, base,
 * labels, <branch>@head/@base/@+N/@-N/@<rev>, +N/-N, <rev>+N/<rev>-N) and its
 * resolution into absolute revisions against a set and its version rows. */
#include "internal.h"

/* Starts `error`'s message about a target: `before`, its spelling, `after`
 * (sentence parts, dropped with MIGC_NO_MESSAGES; the spelling stays). */
static void target_message(migc_error *error, int code, migc_text *text,
			   const char *before, const char *spelling,
			   const char *after)
{
	(void)before;
	(void)after;
	migc_error_start(error, code, text);
	migc_say(text, before);
	migc_text_add(text, spelling);
	migc_say(text, after);
}
#ifdef MIGC_NO_MESSAGES
#define target_message(error, code, text, before, spelling, after)             \
	target_message(error, code, text, "", spelling, "")
#endif

static void add_heads(migc_text *text, const migc_set *set)
{
	uint32_t i;

	for (i = 0; i < set->head_count; i++) {
		if (i > 0)
			migc_say(text, ", ");
		migc_text_add(text, set->revisions[set->heads[i]].id);
	}
}

static const char *id_or_base(const migc_set *set, uint32_t index)
{
	return index == NO_REVISION ? "base" : set->revisions[index].id;
}

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

static int single_head(const execution *run, const char *spelling,
		       uint32_t *out, migc_error *error)
{
	migc_text text;

	if (run->set->head_count == 1) {
		*out = run->set->heads[0];
		return MIGC_OK;
	}
	if (run->set->head_count == 0) {
		*out = NO_REVISION;
		return MIGC_OK;
	}
	target_message(error, MIGC_EMULTIPLEHEADS, &text, "Target '", spelling,
		       "' needs a single head but the set has ");
	migc_text_add_unsigned(&text, run->set->head_count);
	migc_say(&text, " (");
	add_heads(&text, run->set);
	migc_say(&text, "); use \"heads\" for all of them, ");
	add_labels(&text, run->set,
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

	target_message(error, MIGC_ERELATIVE, &text, "Relative target '",
		       spelling, "' asks for ");
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
			uint32_t count = migc_children(set, at, &next, NULL);

			if (count == 0)
				return relative_error(spelling, steps, taken,
						      start, set, error);
			if (count > 1) {
				target_message(error, MIGC_ERELATIVE, &text,
					       "Relative target '", spelling,
					       "' is ambiguous: ");
				migc_text_add(&text, id_or_base(set, at));
				migc_say(&text, " branches into ");
				migc_children(set, at, &next, &text);
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
				target_message(error, MIGC_ERELATIVE, &text,
					       "Relative target '", spelling,
					       "' is ambiguous: ");
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
	target_message(error, MIGC_ERELATIVE, &text, "Relative target '",
		       spelling,
		       "' counts more steps than there can be (at most ");
	migc_text_add_unsigned(&text, MIGC_COUNT_MAX);
	migc_say(&text, "); use a smaller number or name the revision.");
	return MIGC_ERELATIVE;
}

/* "head", a full id or a unique prefix, as one revision. */
static int resolve_one(const execution *run, const char *spelling,
		       size_t length, uint32_t *out, migc_error *error)
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
		return single_head(run, buffer, out, error);
	if (migc_string_equal("base", buffer)) {
		*out = NO_REVISION;
		return MIGC_OK;
	}
	rc = migc_revision_find(&found, run->set, buffer, error);
	if (rc != MIGC_OK)
		return rc;
	*out = (uint32_t)(found - run->set->revisions);
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

	target_message(error, code, &text, "Target '", spelling, "' ");
	migc_text_add(&text, what);
	return code;
}

/* The revision a "<branch>@..." target's branch starts at: the revision
 * declaring the label before '@' (`length` bytes), or the revision named. */
static int branch_start(const execution *run, const char *spelling,
			size_t length, uint32_t *start, migc_error *error)
{
	const migc_set *set = run->set;
	migc_text text;
	int rc;

	*start = find_label(set, spelling, length);
	if (*start != NO_REVISION)
		return MIGC_OK;
	rc = resolve_one(run, spelling, length, start, error);
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
	if (*start == NO_REVISION)
		return branch_error(MIGC_EINVAL, spelling,
				    "names no branch; use a branch "
				    "label or a revision before '@'.",
				    error);
	return MIGC_OK;
}

/* "<branch>@head" (exactly one head) and "<branch>@heads" (all of them):
 * the set's heads on `branch`. */
static int branch_heads(const execution *run, const char *spelling,
			size_t length, const char *rest, const revset *branch,
			target *out, migc_error *error)
{
	const migc_set *set = run->set;
	uint32_t count = 0;
	migc_text text;
	uint32_t i;

	for (i = 0; i < set->head_count; i++) {
		if (migc_revset_has(branch, set->heads[i])) {
			migc_revset_add(&out->goal, set->heads[i]);
			count++;
		}
	}
	if (count <= 1 || rest[4] != '\0')
		return MIGC_OK;
	target_message(error, MIGC_EMULTIPLEHEADS, &text, "Target '", spelling,
		       "' needs a single head but that "
		       "branch has ");
	migc_text_add_unsigned(&text, count);
	migc_say(&text, " (");
	for (i = 0, count = 0; i < set->head_count; i++) {
		if (!migc_revset_has(branch, set->heads[i]))
			continue;
		if (count++ > 0)
			migc_say(&text, ", ");
		migc_text_add(&text, set->revisions[set->heads[i]].id);
	}
	migc_say(&text, "); name one, or use '");
	migc_text_add_n(&text, spelling, length);
	migc_say(&text, "@heads'.");
	migc_revset_clear(&out->goal);
	return MIGC_EMULTIPLEHEADS;
}

/* "<branch>@+N" / "<branch>@-N": `steps` from the branch's version row, or
 * from before `start` when none of the branch is applied. */
static int branch_relative(const execution *run, const char *spelling,
			   uint32_t start, const revset *branch, int sign,
			   unsigned long steps, target *out, migc_error *error)
{
	uint32_t row = NO_REVISION;
	uint32_t found = NO_REVISION;
	uint32_t count = 0;
	uint32_t i;
	int rc;

	for (i = 0; i < run->row_count; i++) {
		if (migc_revset_has(branch, run->rows[i])) {
			row = run->rows[i];
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
			return branch_error(MIGC_ERELATIVE, spelling,
					    "counts from the branch's applied "
					    "revision, but none of the branch "
					    "is applied.",
					    error);
		rc = walk(run->set, start, 1, steps - 1, spelling, &found,
			  error);
	} else {
		rc = walk(run->set, row, sign, steps, spelling, &found, error);
	}
	if (rc == MIGC_OK && found != NO_REVISION)
		migc_revset_add(&out->goal, found);
	return rc;
}

/* "<branch>@head", "@heads", "@+N", "@-N", "@<rev>", where <branch> is a
 * branch label or a revision (the branch then starts there). Relative
 * steps count from the version row on that branch. */
static int resolve_branch(const execution *run, const char *spelling,
			  const char *at_sign, int downgrade, target *out,
			  migc_error *error)
{
	const char *rest = at_sign + 1;
	size_t length = (size_t)(at_sign - spelling);
	uint32_t found = NO_REVISION;
	unsigned long steps;
	uint32_t start;
	revset branch;
	int counted;
	int rc = branch_start(run, spelling, length, &start, error);

	if (rc != MIGC_OK)
		return rc;
	if (migc_string_equal(rest, "base")) {
		/* Alembic's "<branch>@base": before the branch's root. */
		out->base_of = start;
		return MIGC_OK;
	}
	migc_branch_of(run->set, start, &branch);
	if (migc_string_equal(rest, "head") || migc_string_equal(rest, "heads"))
		return branch_heads(run, spelling, length, rest, &branch, out,
				    error);
	counted = rest[0] == '+' || rest[0] == '-'
		      ? relative_count(spelling, rest + 1, &steps, error)
		      : 0;
	if (counted < 0)
		return counted;
	if (counted) {
		int sign = rest[0] == '+' ? 1 : -1;

		if ((sign < 0) != (downgrade != 0))
			return direction_error(spelling, downgrade, error);
		return branch_relative(run, spelling, start, &branch, sign,
				       steps, out, error);
	}
	rc = resolve_one(run, rest, migc_string_length(rest), &found, error);
	if (rc != MIGC_OK)
		return rc;
	if (found == NO_REVISION || !migc_revset_has(&branch, found))
		return branch_error(MIGC_ENOTFOUND, spelling,
				    "names a revision that is not on that "
				    "branch; run history to see the branch.",
				    error);
	migc_revset_add(&out->goal, found);
	return MIGC_OK;
}

MIGC_INTERNAL int migc_target_resolve(const execution *run,
				      const char *spelling, int downgrade,
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

	migc_revset_clear(&out->goal);
	out->sign = 0;
	out->base_of = NO_REVISION;
	if (spelling == NULL)
		spelling = "head";
	if (migc_string_equal("heads", spelling)) {
		for (at = 0; at < run->set->head_count; at++)
			migc_revset_add(&out->goal, run->set->heads[at]);
		return MIGC_OK;
	}
	for (c = spelling; *c != '\0'; c++) {
		if (*c == '@')
			return resolve_branch(run, spelling, c, downgrade, out,
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
		if (run->row_count > 1) {
			target_message(error, MIGC_EMULTIPLEHEADS, &text,
				       "Relative target '", spelling,
				       "' needs a single current "
				       "revision but the database is at ");
			migc_add_rows(&text, run);
			migc_say(&text, "; name a revision instead, "
					"such as <revision>");
			migc_text_add(&text, spelling);
			migc_say(&text, ".");
			return MIGC_EMULTIPLEHEADS;
		}
		from = run->row_count == 0 ? NO_REVISION : run->rows[0];
		rc = walk(run->set, from, out->sign, steps, spelling, &at,
			  error);
	} else {
		rc = resolve_one(run, spelling, migc_string_length(spelling),
				 &at, error);
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
		rc = resolve_one(run, spelling, (size_t)(split - spelling),
				 &from, error);
		if (rc == MIGC_OK)
			rc = walk(run->set, from, *split == '+' ? 1 : -1, steps,
				  spelling, &at, error);
	}
resolved:
	if (rc != MIGC_OK)
		return rc;
	if (at != NO_REVISION)
		migc_revset_add(&out->goal, at);
	return MIGC_OK;
}

int migc_target_revision(const migc_revision **out,
			 const migc_revision **branch_base, const migc_set *set,
			 const char *spelling, migc_error *error)
{
	execution run;
	target resolved;
	uint32_t found = NO_REVISION;
	uint32_t count = 0;
	uint32_t i;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (branch_base != NULL)
		*branch_base = NULL;
	rc = migc_execution_offline(&run, set, error);
	if (rc == MIGC_OK)
		rc = migc_target_resolve(&run, spelling, 0, &resolved, error);
	if (rc != MIGC_OK)
		return rc;
	for (i = 0; i < set->revision_count; i++) {
		if (migc_revset_has(&resolved.goal, i)) {
			found = i;
			count++;
		}
	}
	if (count > 1)
		return branch_error(MIGC_EMULTIPLEHEADS, spelling,
				    "names several revisions; name one of "
				    "them.",
				    error);
	if (resolved.base_of != NO_REVISION) {
		if (branch_base == NULL)
			return branch_error(MIGC_EINVAL, spelling,
					    "is before the branch's first "
					    "revision; name a revision.",
					    error);
		*branch_base = &set->revisions[resolved.base_of];
	}
	if (out != NULL && found != NO_REVISION)
		*out = &set->revisions[found];
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}
