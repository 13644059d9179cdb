/* plan.c: planning without a database (migc_plan_steps): the steps an
 * upgrade or downgrade would take from a given state, for the offline --sql
 * script and for callers that show a plan before running it; and what a
 * downgrade undoes (migc_downgrade_scope), for the planner and the
 * executor alike. */
#include "internal.h"

/* A downgrade target that is no valid one from the database's rows:
 * `reason` between the target and the rows. */
static int scope_error(const execution *run, uint32_t index, const char *reason,
		       const char *advice, migc_error *error)
{
	migc_text text;

	(void)reason;
	(void)advice;
	migc_error_start(error, MIGC_EDIRECTION, &text);
	migc_say(&text, "Cannot downgrade to ");
	migc_text_add(&text, index == NO_REVISION
				 ? "base"
				 : run->set->revisions[index].id);
	migc_say(&text, reason);
	migc_add_rows(&text, run);
	migc_say(&text, advice);
	if (index != NO_REVISION)
		migc_error_set_revision(error, run->set->revisions[index].id);
	return MIGC_EDIRECTION;
}
#ifdef MIGC_NO_MESSAGES
#define scope_error(run, index, reason, advice, error)                         \
	scope_error(run, index, "", "", error)
#endif

/* What a downgrade to `to` unapplies, as Alembic's
 * _collect_downgrade_revisions: the target's children through
 * down_revision (the roots, for base); of several, when the target names
 * a branch, only those on the branch's line (so "<branch>@-N" and
 * "<branch>@<rev>" stay on the branch); and all that descends from them
 * through parents and dependencies. A branch that depends_on the target
 * itself stays; one that depends on a revision that goes, goes too. Never
 * the target's ancestors; the target must be applied. A target applied
 * only as a dependency, with nothing above it, plans nothing (Alembic
 * refuses it as no valid downgrade target). */
MIGC_INTERNAL int migc_downgrade_scope(const execution *run, const target *to,
				       revset *scope, migc_error *error)
{
	const migc_set *set = run->set;
	const revset *goal = &to->goal;
	revset below;
	uint32_t first;
	uint32_t count = migc_revset_count(set, goal, &first);
	uint32_t i;

	for (i = 0; i < set->revision_count; i++) {
		if (migc_revset_has(goal, i) &&
		    !migc_revset_has(&run->applied, i))
			return scope_error(run, i,
					   ": it is not applied (the database "
					   "is at ",
					   "); use upgrade to move to it.",
					   error);
	}
	migc_revset_clear(scope);
	if (count == 0) {
		for (i = 0; i < set->revision_count; i++) {
			if (set->revisions[i].parent_count == 0)
				migc_revset_add(scope, i);
		}
	} else {
		migc_add_children_of(set, goal, scope);
	}
	if (to->branch != NO_REVISION &&
	    migc_revset_count(set, scope, &i) > 1) {
		migc_revset_clear(&below);
		migc_add_line(set, to->branch, &below);
		for (i = 0; i < REVSET_WORDS; i++)
			scope->word[i] &= below.word[i];
		if (migc_revset_count(set, scope, &i) == 0)
			return scope_error(run, first,
					   " on that branch: none of the "
					   "revisions above it leads to the "
					   "branch (the database is at ",
					   "); name the revision to "
					   "downgrade to.",
					   error);
	}
	migc_close_descendants(set, scope);
	below = *goal;
	migc_close_ancestors(set, &below);
	for (i = 0; i < REVSET_WORDS; i++)
		scope->word[i] &= ~below.word[i];
	return MIGC_OK;
}

/* run->rows from run->applied. */
static int rows_from_applied(execution *run, migc_error *error)
{
	if (migc_rows_of(run->set, &run->applied, run->rows, &run->row_count) ==
	    MIGC_OK)
		return MIGC_OK;
	return migc_error_fail(error, MIGC_ELIMIT,
			       "The plan has more version rows than "
			       "MIGC_MAX_HEADS; rebuild with a larger limit.");
}

/* The starting state of an offline plan: "base", or targets joined by
 * ",", each naming revisions that are applied (with their ancestors). */
MIGC_INTERNAL int migc_plan_state(execution *run, const char *from,
				  migc_error *error)
{
	char part[MIGC_REVISION_ID_MAX * 2 + 64];
	target resolved;
	migc_text text;
	size_t start = 0;
	size_t i;
	uint32_t k;
	int rc;

	migc_revset_clear(&run->applied);
	run->row_count = 0;
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
		rc = migc_target_resolve(run, part, 0, &resolved, error);
		if (rc != MIGC_OK)
			return rc;
		for (k = 0; k < REVSET_WORDS; k++)
			run->applied.word[k] |= resolved.goal.word[k];
		if (from[i] == '\0')
			break;
		start = i + 1;
	}
	migc_close_ancestors(run->set, &run->applied);
	return rows_from_applied(run, error);
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
static void step_changes(const execution *run, uint32_t index, int downgrade,
			 migc_step *step)
{
	const migc_set *set = run->set;
	const migc_revision *revision = &set->revisions[index];
	uint32_t total = revision->parent_count + revision->dependency_count;
	revset after;
	revset before_heads;
	revset after_heads;
	uint32_t k;

	migc_applied_after(run, index, downgrade, &after);
	migc_heads_of(set, &run->applied, &before_heads);
	migc_heads_of(set, &after, &after_heads);
	step->removed_count = 0;
	step->added_count = 0;
	if (downgrade)
		list_add(step->removed, &step->removed_count, set, index);
	for (k = 0; k < total; k++) {
		uint32_t other =
		    k < revision->parent_count
			? revision->parents[k]
			: revision->dependencies[k - revision->parent_count];
		int was = migc_revset_has(&before_heads, other);
		int is = migc_revset_has(&after_heads, other);

		if (!downgrade && was && !is)
			list_add(step->removed, &step->removed_count, set,
				 other);
		if (downgrade && is && !was)
			list_add(step->added, &step->added_count, set, other);
	}
	if (!downgrade)
		list_add(step->added, &step->added_count, set, index);
}

int migc_plan_steps(size_t *count, const migc_set *set, const char *from,
		    const char *target_spelling, int downgrade,
		    migc_step_fn each, void *payload, migc_error *error)
{
	execution run;
	target resolved;
	revset scope;
	migc_step step;
	uint32_t index;
	uint32_t left;
	int rc;

	if (count != NULL)
		*count = 0;
	if (each == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_plan_steps needs a callback.");
	rc = migc_execution_offline(&run, set, error);
	if (rc == MIGC_OK)
		rc = migc_plan_state(&run, from, error);
	if (rc == MIGC_OK)
		rc = migc_target_resolve(&run, target_spelling, downgrade,
					 &resolved, error);
	if (rc == MIGC_OK && downgrade) {
		rc = migc_downgrade_scope(&run, &resolved, &scope, error);
	} else if (rc == MIGC_OK) {
		scope = resolved.goal;
		migc_close_ancestors(set, &scope);
	}
	if (rc != MIGC_OK)
		return rc;
	step.kind = downgrade ? MIGC_EVENT_DOWNGRADE : MIGC_EVENT_UPGRADE;
	step.set = set;
	step.number = 0;
	while ((index = migc_next_step(&run, &scope, downgrade, &left)) !=
	       NO_REVISION) {
		step.revision = &set->revisions[index];
		step.number++;
		step.rows_before = run.row_count;
		step_changes(&run, index, downgrade, &step);
		migc_applied_after(&run, index, downgrade, &run.applied);
		rc = rows_from_applied(&run, error);
		if (rc != MIGC_OK)
			return rc;
		step.rows_after = run.row_count;
		rc = each(&step, payload);
		if (rc != 0)
			return rc;
		if (count != NULL)
			*count = step.number;
	}
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

/* One byte per revision: applied (MIGC_PLAN_APPLIED), a row (MIGC_PLAN_ROW). */
static void plan_state(const execution *run, const revset *applied,
		       const revset *rows, unsigned char *out)
{
	uint32_t i;

	for (i = 0; i < run->set->revision_count; i++)
		out[i] =
		    (unsigned char)((migc_revset_has(applied, i)
					 ? MIGC_PLAN_APPLIED
					 : 0) |
				    (migc_revset_has(rows, i) ? MIGC_PLAN_ROW
							      : 0));
}

int migc_plan_stamp(unsigned char *before, unsigned char *after,
		    size_t capacity, const migc_set *set, const char *from,
		    const char *const *targets, size_t count, migc_error *error)
{
	execution run;
	target goal;
	revset rows;
	revset applied;
	int rc = migc_execution_offline(&run, set, error);

	if (rc == MIGC_OK &&
	    (before == NULL || after == NULL ||
	     capacity < set->revision_count || (targets == NULL && count > 0)))
		rc = migc_error_fail(error, MIGC_EINVAL,
				     "migc_plan_stamp needs two arrays of at "
				     "least one byte per revision of the set, "
				     "and the targets its count says.");
	if (rc == MIGC_OK)
		rc = migc_plan_state(&run, from, error);
	if (rc == MIGC_OK)
		rc = migc_stamp_goal(&run, targets, count, &goal, error);
	if (rc != MIGC_OK)
		return rc;
	migc_heads_of(set, &run.applied, &rows);
	plan_state(&run, &run.applied, &rows, before);
	migc_stamp_rows(&run, &goal, 0, &rows);
	applied = rows;
	migc_close_ancestors(set, &applied);
	plan_state(&run, &applied, &rows, after);
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}
