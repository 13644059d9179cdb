/* stamp.c: migc_stamp's change of the version rows and the history,
 * without running any statement, as Alembic's stamp computes it. */
#include "internal.h"

/* stamp --purge, as Alembic does it: one DELETE of every version row,
 * whatever its id, through the driver's execute, so that a row whose id
 * no revision can have (longer than MIGC_REVISION_ID_MAX, which the plan
 * holds cut) goes too. */
int delete_every_row(const plan *p, migc_error *error)
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

int stamp_locked(plan *p, const target *to, int purge, migc_error *error)
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
