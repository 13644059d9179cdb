/* target.c: the target grammar (ids and unique prefixes, head, heads, base,
 * labels, <branch>@head/@heads/@base/@+N/@-N/@<rev>/@<symbol>+N/@<symbol>-N,
 * +N/-N, <symbol>+N/<symbol>-N with symbol head, base or a revision) and its
 * resolution into absolute revisions against a set and its version rows,
 * as Alembic 1.8.1's revision map resolves them. */
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
	/* "1 step from", "2 steps from". */
	migc_say(&text, " step");
	migc_say(&text, &"s from "[steps == 1]);
	migc_text_add(&text, id_or_base(set, start));
	migc_say(&text, " but only ");
	migc_text_add_unsigned(&text, taken);
	migc_text_add(&text, taken == 1 ? " is" : " are");
	migc_say(&text, " possible; use a smaller number or name the "
			"revision.");
	return MIGC_ERELATIVE;
}

/* Walks `steps` single children (sign > 0; with `lineage`, only children
 * on it, as Alembic walks up a branch) or single parents (sign < 0). */
static int walk(const migc_set *set, uint32_t start, int sign,
		const revset *lineage, unsigned long steps,
		const char *spelling, uint32_t *out, migc_error *error)
{
	uint32_t at = start;
	unsigned long taken;
	migc_text text;

	for (taken = 0; taken < steps; taken++) {
		if (sign > 0) {
			uint32_t next = NO_REVISION;
			uint32_t count =
			    migc_children(set, at, lineage, &next, NULL);

			if (count == 0)
				return relative_error(spelling, steps, taken,
						      start, set, error);
			if (count > 1) {
				target_message(error, MIGC_ERELATIVE, &text,
					       "Relative target '", spelling,
					       "' is ambiguous: ");
				migc_text_add(&text, id_or_base(set, at));
				migc_say(&text, " branches into ");
				migc_children(set, at, lineage, &next, &text);
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

/* The branch a "<branch>@..." target names: where it starts (a label's
 * revision, or the revision named) and its lineage (migc_lineage_of). */
typedef struct named_branch {
	uint32_t start;
	revset lineage;
} named_branch;

/* "<branch>@head" (`single`: exactly one head) and "<branch>@heads" (all
 * of them): the set's heads on the branch. `length`: the label's. */
static int branch_heads(const execution *run, const char *spelling,
			size_t length, int single, const named_branch *branch,
			target *out, migc_error *error)
{
	const migc_set *set = run->set;
	uint32_t count = 0;
	migc_text text;
	uint32_t i;

	for (i = 0; i < set->head_count; i++) {
		if (migc_revset_has(&branch->lineage, set->heads[i])) {
			migc_revset_add(&out->goal, set->heads[i]);
			count++;
		}
	}
	if (count <= 1 || !single)
		return MIGC_OK;
	target_message(error, MIGC_EMULTIPLEHEADS, &text, "Target '", spelling,
		       "' needs a single head but that "
		       "branch has ");
	migc_text_add_unsigned(&text, count);
	migc_say(&text, " (");
	for (i = 0, count = 0; i < set->head_count; i++) {
		if (!migc_revset_has(&branch->lineage, set->heads[i]))
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

/* What a "<branch>@" target names after '@' (`text`, `length` bytes):
 * "head", the branch's one head; "base"; or a revision on the branch's
 * lineage, which may lie below where the branch starts (Alembic). */
static int resolve_in_branch(const execution *run, const char *spelling,
			     size_t label_length, const named_branch *branch,
			     const char *text, size_t length, uint32_t *out,
			     migc_error *error)
{
	target heads;
	int rc;

	if (length == 4 && migc_string_equal_n("head", text, 4)) {
		migc_revset_clear(&heads.goal);
		rc = branch_heads(run, spelling, label_length, 1, branch,
				  &heads, error);
		migc_revset_count(run->set, &heads.goal, out);
		return rc;
	}
	rc = resolve_one(run, text, length, out, error);
	if (rc == MIGC_OK && *out != NO_REVISION &&
	    !migc_revset_has(&branch->lineage, *out))
		return branch_error(MIGC_ENOTFOUND, spelling,
				    "names a revision that is not on that "
				    "branch; run history to see the branch.",
				    error);
	return rc;
}

/* Where "+N" / "-N" count from, as Alembic: the version row (one at
 * most). With a branch: the row on its lineage; when none is, what is
 * applied of the branch (applied only through a dependency, or below where
 * it starts): for a downgrade the tip of what is applied that lies on it,
 * for an upgrade the tip of its applied part, else base. */
static int relative_origin(const execution *run, const char *spelling,
			   const named_branch *branch, int sign, uint32_t *from,
			   migc_error *error)
{
	const migc_set *set = run->set;
	revset found;
	revset tips;
	migc_text text;
	uint32_t count;
	uint32_t i;

	migc_revset_clear(&found);
	for (i = 0; i < run->row_count; i++) {
		if (branch == NULL ||
		    migc_revset_has(&branch->lineage, run->rows[i]))
			migc_revset_add(&found, run->rows[i]);
	}
	count = migc_revset_count(set, &found, from);
	if (count == 0 && branch != NULL) {
		for (i = 0; i < REVSET_WORDS; i++)
			found.word[i] =
			    run->applied.word[i] &
			    (sign > 0 ? branch->lineage.word[i] : UINT32_MAX);
		migc_tips_of(set, &found, &tips);
		for (i = 0; i < REVSET_WORDS; i++)
			tips.word[i] &= branch->lineage.word[i];
		count = migc_revset_count(set, &tips, from);
		if (count == 0 && sign < 0)
			return branch_error(MIGC_ERELATIVE, spelling,
					    "counts from the branch's applied "
					    "revision, but none of the branch "
					    "is applied.",
					    error);
	}
	if (count <= 1)
		return MIGC_OK;
	if (branch != NULL)
		return branch_error(MIGC_EMULTIPLEHEADS, spelling,
				    "is ambiguous: the branch has "
				    "several version rows; name the "
				    "revision instead.",
				    error);
	target_message(error, MIGC_EMULTIPLEHEADS, &text, "Relative target '",
		       spelling,
		       "' needs a single current "
		       "revision but the database is at ");
	migc_add_rows(&text, run);
	migc_say(&text, "; name a revision instead, "
			"such as <revision>");
	migc_text_add(&text, spelling);
	migc_say(&text, ".");
	return MIGC_EMULTIPLEHEADS;
}

/* "+N" / "-N", or "<branch>@+N" / "@-N" with `branch`: N steps from where
 * the database is (relative_origin), up (along the branch) or down. A
 * "-N" without a branch is on the branch of the row it counts from, as in
 * Alembic. */
static int resolve_relative(const execution *run, const char *spelling,
			    int sign, unsigned long steps,
			    const named_branch *branch, int downgrade,
			    target *out, migc_error *error)
{
	uint32_t from = NO_REVISION;
	uint32_t at = NO_REVISION;
	int rc;

	if ((sign < 0) != (downgrade != 0))
		return direction_error(spelling, downgrade, error);
	rc = relative_origin(run, spelling, branch, sign, &from, error);
	if (rc == MIGC_OK)
		rc = walk(run->set, from, sign,
			  sign > 0 && branch != NULL ? &branch->lineage : NULL,
			  steps, spelling, &at, error);
	if (rc != MIGC_OK)
		return rc;
	if (at != NO_REVISION)
		migc_revset_add(&out->goal, at);
	if (branch == NULL && sign < 0)
		out->branch = from;
	return MIGC_OK;
}

/* The text after '@' (or a whole target without one, `branch` NULL):
 * "+N" / "-N"; a revision (on the branch); or "<symbol>+N" / "<symbol>-N"
 * (symbol: head, base, a revision), which walks up from the symbol, named
 * in the whole set, along the branch, or down from the symbol named on
 * the branch, as Alembic. */
static int resolve_rest(const execution *run, const char *spelling,
			const char *text, const named_branch *branch,
			size_t label_length, int downgrade, target *out,
			migc_error *error)
{
	const char *split = NULL;
	const char *c;
	unsigned long steps;
	uint32_t found = NO_REVISION;
	int sign = text[0] == '+' ? 1 : -1;
	int counted = text[0] == '+' || text[0] == '-'
			  ? relative_count(spelling, text + 1, &steps, error)
			  : 0;
	int rc;

	if (counted < 0)
		return counted;
	if (counted)
		return resolve_relative(run, spelling, sign, steps, branch,
					downgrade, out, error);
	rc = branch != NULL
		 ? resolve_in_branch(run, spelling, label_length, branch, text,
				     migc_string_length(text), &found, error)
		 : resolve_one(run, text, migc_string_length(text), &found,
			       error);
	if (rc == MIGC_ENOTFOUND) {
		/* "<symbol>+N" / "<symbol>-N": split at the last sign. */
		for (c = text; *c != '\0'; c++) {
			if (*c == '+' || *c == '-')
				split = c;
		}
		if (split == NULL || split == text)
			return rc;
		counted = relative_count(spelling, split + 1, &steps, error);
		if (counted <= 0)
			return counted < 0 ? counted : rc;
		sign = *split == '+' ? 1 : -1;
		rc = sign < 0 && branch != NULL
			 ? resolve_in_branch(
			       run, spelling, label_length, branch, text,
			       (size_t)(split - text), &found, error)
			 : resolve_one(run, text, (size_t)(split - text),
				       &found, error);
		if (rc == MIGC_OK)
			rc = walk(run->set, found, sign,
				  sign > 0 && branch != NULL ? &branch->lineage
							     : NULL,
				  steps, spelling, &found, error);
	}
	if (rc == MIGC_OK && found != NO_REVISION)
		migc_revset_add(&out->goal, found);
	return rc;
}

/* "<branch>@head", "@heads", "@base", "@+N", "@-N", "@<rev>",
 * "@<symbol>+N", "@<symbol>-N", where <branch> is a branch label or a
 * revision (the branch then starts there). */
static int resolve_branch(const execution *run, const char *spelling,
			  const char *at_sign, int downgrade, target *out,
			  migc_error *error)
{
	const char *rest = at_sign + 1;
	size_t length = (size_t)(at_sign - spelling);
	named_branch branch;
	int rc = branch_start(run, spelling, length, &branch.start, error);

	if (rc != MIGC_OK)
		return rc;
	out->branch = branch.start;
	if (migc_string_equal(rest, "base"))
		return MIGC_OK; /* before the branch's root */
	migc_lineage_of(run->set, branch.start, &branch.lineage);
	if (migc_string_equal(rest, "head") || migc_string_equal(rest, "heads"))
		return branch_heads(run, spelling, length, rest[4] == '\0',
				    &branch, out, error);
	return resolve_rest(run, spelling, rest, &branch, length, downgrade,
			    out, error);
}

MIGC_INTERNAL int migc_target_resolve(const execution *run,
				      const char *spelling, int downgrade,
				      target *out, migc_error *error)
{
	const char *c;
	uint32_t at;

	migc_revset_clear(&out->goal);
	out->branch = NO_REVISION;
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
	return resolve_rest(run, spelling, spelling, NULL, 0, downgrade, out,
			    error);
}

int migc_target_revision_from(const migc_revision **out,
			      const migc_revision **branch_base,
			      const migc_set *set, const char *from,
			      const char *spelling, int downgrade,
			      migc_error *error)
{
	execution run;
	target resolved;
	uint32_t found = NO_REVISION;
	uint32_t count = 0;
	int rc;

	if (out != NULL)
		*out = NULL;
	if (branch_base != NULL)
		*branch_base = NULL;
	rc = migc_execution_offline(&run, set, error);
	if (rc == MIGC_OK && from != NULL)
		rc = migc_plan_state(&run, from, error);
	if (rc == MIGC_OK)
		rc = migc_target_resolve(&run, spelling, downgrade, &resolved,
					 error);
	if (rc != MIGC_OK)
		return rc;
	count = migc_revset_count(set, &resolved.goal, &found);
	if (count > 1)
		return branch_error(MIGC_EMULTIPLEHEADS, spelling,
				    "names several revisions; name one of "
				    "them.",
				    error);
	/* A downgrade target's base is base, whatever branch it counted
	 * on. */
	if (count == 0 && resolved.branch != NO_REVISION && !downgrade) {
		if (branch_base == NULL)
			return branch_error(MIGC_EINVAL, spelling,
					    "is before the branch's first "
					    "revision; name a revision.",
					    error);
		*branch_base = &set->revisions[resolved.branch];
	}
	if (out != NULL && found != NO_REVISION)
		*out = &set->revisions[found];
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

int migc_target_revision(const migc_revision **out,
			 const migc_revision **branch_base, const migc_set *set,
			 const char *spelling, migc_error *error)
{
	return migc_target_revision_from(out, branch_base, set, NULL, spelling,
					 0, error);
}

/* ---- lookup ---- */

static int starts_with(const char *string, const char *prefix, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++) {
		if (string[i] == '\0' || string[i] != prefix[i])
			return 0;
	}
	return 1;
}

int migc_revision_find(const migc_revision **out, const migc_set *set,
		       const char *id, migc_error *error)
{
	const migc_revision *found = NULL;
	size_t length = migc_string_length(id);
	uint32_t matches = 0;
	uint32_t exact;
	uint32_t i;
	migc_text text;

	if (out != NULL)
		*out = NULL;
	if (set == NULL || id == NULL || length == 0)
		return migc_error_fail(error, MIGC_EINVAL,
				       "A revision id is needed: pass a full "
				       "revision id or a unique prefix of one.");
	if (set->abi_version != MIGC_ABI_VERSION)
		return migc_error_fail(error, MIGC_EABI,
				       "The migration set was generated for "
				       "another runtime ABI; regenerate it "
				       "with this version of migc.");
	/* A full id wins over the longer ids it is a prefix of. */
	exact = migc_find_index(set, id, length);
	if (exact != NO_REVISION) {
		found = &set->revisions[exact];
		matches = 1;
	}
	for (i = 0; exact == NO_REVISION && i < set->revision_count; i++) {
		if (starts_with(set->revisions[i].id, id, length)) {
			found = &set->revisions[i];
			matches++;
		}
	}
	if (matches == 1) {
		if (out != NULL)
			*out = found;
		migc_error_clear(error, MIGC_OK);
		return MIGC_OK;
	}
	if (matches == 0) {
		migc_error_start(error, MIGC_ENOTFOUND, &text);
		migc_say(&text, "No revision '");
		migc_text_add(&text, id);
		migc_say(&text, "' in set '");
		migc_text_add(&text, set->name);
		migc_say(&text, "'; run the history command to list the "
				     "revisions this program knows.");
		migc_error_set_revision(error, id);
		return MIGC_ENOTFOUND;
	}
	migc_error_start(error, MIGC_EAMBIGUOUS, &text);
	migc_say(&text, "Revision prefix '");
	migc_text_add(&text, id);
	migc_say(&text, "' matches ");
	migc_text_add_unsigned(&text, matches);
	migc_say(&text, " revisions (");
	matches = 0;
	for (i = 0; i < set->revision_count; i++) {
		if (!starts_with(set->revisions[i].id, id, length))
			continue;
		if (matches++ > 0)
			migc_say(&text, ", ");
		migc_text_add(&text, set->revisions[i].id);
	}
	migc_say(&text, "); give more characters of the id.");
	migc_error_set_revision(error, id);
	return MIGC_EAMBIGUOUS;
}
