/* stamp.c: migc_stamp's change of the version rows and the history,
 * without running any statement, as Alembic's stamp computes it. */
#include "internal.h"

/* stamp --purge, as Alembic does it: one DELETE of every version row,
 * whatever its id, through the driver's execute, so that a row whose id
 * no revision can have (longer than MIGC_REVISION_ID_MAX, which the plan
 * holds cut) goes too. */
static MIGC_NOINLINE int delete_every_row(const execution *run,
					  migc_error *error)
{
	static const char delete_from[] = "DELETE FROM ";
	char sql[sizeof delete_from + 2 * MIGC_TABLE_NAME_MAX + 8];
	size_t start = sizeof delete_from - 1;
	size_t length;
	size_t i;

	for (i = 0; i < start; i++)
		sql[i] = delete_from[i];
	if (migc_table_quote(sql + start, sizeof sql - start, &length,
			     run->table, run->table_length, NULL) != MIGC_OK)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The version table name is too long "
				       "to delete its rows.");
	return run->driver->execute(run->driver->context, sql, start + length,
				    error);
}

/* The targets of a stamp (`count` of them; none: "head") as one: their
 * revisions, and the branch of a "<branch>@base" among them. */
MIGC_INTERNAL int migc_stamp_goal(const execution *run,
				  const char *const *targets, size_t count,
				  target *goal, migc_error *error)
{
	target resolved;
	size_t i;
	uint32_t k;
	int rc;

	migc_revset_clear(&goal->goal);
	goal->branch = NO_REVISION;
	for (i = 0; i < count || (count == 0 && i == 0); i++) {
		const char *spelling = count == 0 ? NULL : targets[i];

		rc = migc_target_resolve(run, spelling,
					 spelling != NULL && spelling[0] == '-',
					 &resolved, error);
		if (rc != MIGC_OK)
			return rc;
		if (migc_revset_count(run->set, &resolved.goal, &k) == 0 &&
		    resolved.branch != NO_REVISION) {
			if (goal->branch != NO_REVISION &&
			    goal->branch != resolved.branch)
				return migc_error_fail(
				    error, MIGC_EINVAL,
				    "stamp takes one '<branch>@base' at a "
				    "time; run stamp once per branch.");
			goal->branch = resolved.branch;
		}
		for (k = 0; k < REVSET_WORDS; k++)
			goal->goal.word[k] |= resolved.goal.word[k];
	}
	return MIGC_OK;
}

/* The rows after stamping `to`: its goal plus unrelated rows that stay,
 * reduced to heads. "<branch>@base" removes the rows related to the
 * branch (through parents and dependencies), as Alembic's stamp does. */
MIGC_INTERNAL void migc_stamp_rows(const execution *run, const target *to,
				   int purge, revset *rows)
{
	const migc_set *set = run->set;
	const revset *goal = &to->goal;
	revset others;
	uint32_t i;
	uint32_t k;
	uint32_t base_of =
	    migc_revset_count(set, goal, &i) == 0 ? to->branch : NO_REVISION;

	*rows = *goal;
	if (i == NO_REVISION && base_of == NO_REVISION)
		return; /* base clears every row */
	for (k = 0; !purge && k < run->row_count; k++) {
		int keep = base_of == NO_REVISION ||
			   !migc_related(set, base_of, run->rows[k]);

		for (i = 0; i < set->revision_count && keep; i++) {
			if (migc_revset_has(goal, i) &&
			    migc_related(set, i, run->rows[k]))
				keep = 0;
		}
		if (keep)
			migc_revset_add(rows, run->rows[k]);
	}
	for (i = 0; i < set->revision_count; i++) {
		if (!migc_revset_has(rows, i))
			continue;
		migc_revset_clear(&others);
		for (k = 0; k < set->revision_count; k++) {
			if (k != i && migc_revset_has(rows, k))
				migc_revset_add(&others, k);
		}
		migc_close_ancestors(set, &others);
		if (migc_revset_has(&others, i))
			rows->word[i / 32] &= ~((uint32_t)1 << (i % 32));
	}
}

static int stamp_apply(execution *run, const target *to, int purge,
		       migc_error *error)
{
	const migc_set *set = run->set;
	revset rows;
	revset after;
	uint32_t i;
	int rc = MIGC_OK;

	migc_stamp_rows(run, to, purge, &rows);
	after = rows;
	migc_close_ancestors(set, &after);
	if (purge)
		rc = delete_every_row(run, error);
	for (i = 0; rc == MIGC_OK && !purge && i < run->unknown_count; i++)
		rc =
		    migc_row_delete(run, run->unknown[i],
				    migc_string_length(run->unknown[i]), error);
	for (i = 0; rc == MIGC_OK && !purge && i < run->row_count; i++) {
		const char *id = set->revisions[run->rows[i]].id;

		if (!migc_revset_has(&rows, run->rows[i]))
			rc = migc_row_delete(run, id, migc_string_length(id),
					     error);
	}
	for (i = 0; rc == MIGC_OK && i < set->revision_count; i++) {
		const char *id = set->revisions[i].id;
		uint32_t k;
		int present = 0;

		if (!migc_revset_has(&rows, i))
			continue;
		for (k = 0; !purge && k < run->row_count; k++)
			present |= run->rows[k] == i;
		if (!present)
			rc = migc_row_insert(run, id, migc_string_length(id),
					     error);
	}
	/* History: what became applied gets a row, what stopped being
	 * applied loses it. */
	for (i = 0; rc == MIGC_OK && i < set->revision_count; i++) {
		int was = migc_revset_has(&run->applied, i);
		int is = migc_revset_has(&after, i);

		if (is && !was)
			rc = migc_history_record(
			    run, i, set->revisions[i].upgrade_count, 0,
			    set->revisions[i].checksum, error);
		else if (was && !is)
			rc = migc_history_forget(run, set->revisions[i].id,
						 error);
	}
	return rc;
}

MIGC_INTERNAL int migc_stamp_locked(execution *run, const target *to, int purge,
				    migc_error *error)
{
	int rc = migc_begin_and_read(run, error);

	if (rc != MIGC_OK)
		return rc;
	if (run->unknown_count > 0 && !purge)
		rc = migc_refuse_unknown(run, 1, error);
	if (rc == MIGC_OK)
		rc = stamp_apply(run, to, purge, error);
	return migc_commit_or_rollback(run, rc, error);
}
