/* fault_oracle.h: the oracle of the fault and crash tests (test_faults.c on
 * SQLite, test_pgfaults.c on PostgreSQL). After a run that failed or ended
 * at any point, the version rows and the history must agree with each
 * other (oracle_read), and the schema actually present must be the one the
 * recorded state stands for, which the test rebuilds in a reference
 * database of its dialect by replaying the set's statements
 * (oracle_replay). The dialect gives the runner and the schema dump; the
 * rules live here. */
#ifndef MIGC_TEST_FAULT_ORACLE_H
#define MIGC_TEST_FAULT_ORACLE_H

#include "migc_driver.h"

#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ORACLE_NONE UINT32_MAX

/* What the database records. */
typedef struct oracle_state {
	unsigned char applied[MIGC_MAX_REVISIONS]; /* its version rows */
	/* A "transaction none" revision partway (or with every statement
	 * done and its rows not yet written; both resume): its index and the
	 * statements done, or ORACLE_NONE. */
	uint32_t partial_index;
	long partial;
	/* A "transaction none" downgrade partway: still applied, its
	 * progress recorded; or ORACLE_NONE. */
	uint32_t down_index;
	uint32_t down_done;
} oracle_state;

/* History rows as the driver reads them: statements_done per revision,
 * -1 when the revision has no row; downgrade_done per revision. */
typedef struct oracle_history {
	const migc_set *set;
	long done[MIGC_MAX_REVISIONS];
	long down[MIGC_MAX_REVISIONS];
} oracle_history;

static int oracle_on_history(const migc_history_row *row, void *payload)
{
	oracle_history *seen = payload;
	uint32_t i;

	for (i = 0; i < seen->set->revision_count; i++) {
		const char *id = seen->set->revisions[i].id;

		if (strlen(id) == row->revision_length &&
		    memcmp(id, row->revision, row->revision_length) == 0) {
			seen->done[i] = (long)row->statements_done;
			seen->down[i] = (long)row->downgrade_done;
			return 0;
		}
	}
	return 0;
}

/* Whether revision i's rows agree: 1, or 0 and `why`. */
static int oracle_check_revision(oracle_state *state,
				 const oracle_history *seen, uint32_t i,
				 char *why, size_t why_size)
{
	const migc_revision *revision = &seen->set->revisions[i];
	int untracked = (revision->flags & MIGC_REVISION_NO_TRANSACTION) != 0;

	if (state->applied[i] && seen->down[i] > 0) {
		if (!untracked ||
		    seen->down[i] > (long)revision->downgrade_count ||
		    state->down_index != ORACLE_NONE) {
			snprintf(why, why_size, "%s has downgrade progress %ld",
				 revision->id, seen->down[i]);
			return 0;
		}
		state->down_index = i;
		state->down_done = (uint32_t)seen->down[i];
	}
	if (state->applied[i] &&
	    seen->done[i] != (long)revision->upgrade_count) {
		snprintf(why, why_size,
			 "%s is applied but its history row says %ld of %u "
			 "statements",
			 revision->id, seen->done[i], revision->upgrade_count);
		return 0;
	}
	if (!state->applied[i] && seen->done[i] >= 0) {
		if (!untracked ||
		    seen->done[i] > (long)revision->upgrade_count ||
		    state->partial_index != ORACLE_NONE) {
			snprintf(why, why_size,
				 "%s is not applied but has a history row "
				 "(%ld statements)",
				 revision->id, seen->done[i]);
			return 0;
		}
		state->partial_index = i;
		state->partial = seen->done[i];
	}
	return 1;
}

/* Reads the state recorded in the database behind `driver`: 1, or 0 and
 * `why` when its rows disagree. *partway_down becomes 1 when a "transaction
 * none" downgrade stopped partway (recorded, so no error). */
static int oracle_read(const migc_set *set, const migc_driver *driver,
		       oracle_state *state, int *partway_down, char *why,
		       size_t why_size)
{
	static const char history[] =
	    MIGC_DEFAULT_VERSION_TABLE MIGC_HISTORY_SUFFIX;
	static oracle_history seen;
	migc_error error;
	uint32_t i;

	state->partial_index = ORACLE_NONE;
	state->partial = 0;
	state->down_index = ORACLE_NONE;
	state->down_done = 0;
	if (migc_applied(state->applied, sizeof state->applied, set, driver,
			 NULL, &error) != MIGC_OK) {
		snprintf(why, why_size, "reading the version rows: %s",
			 error.message);
		return 0;
	}
	seen.set = set;
	for (i = 0; i < set->revision_count; i++) {
		seen.done[i] = -1;
		seen.down[i] = 0;
	}
	if (driver->history_read(driver->context, history, sizeof history - 1,
				 oracle_on_history, &seen, &error) != MIGC_OK) {
		snprintf(why, why_size, "reading the history: %s",
			 error.message);
		return 0;
	}
	for (i = 0; i < set->revision_count; i++)
		if (!oracle_check_revision(state, &seen, i, why, why_size))
			return 0;
	*partway_down |= state->down_index != ORACLE_NONE;
	return 1;
}

/* Runs, through `exec`, the statements that make the schema `state`
 * stands for: each applied revision's upgrade, the partial revision's
 * first statements, then the partway downgrade's first statements. */
static void oracle_replay(const migc_set *set, const oracle_state *state,
			  void (*exec)(void *context, const char *sql),
			  void *context)
{
	uint32_t i;
	uint32_t k;

	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];
		uint32_t count = state->applied[i] ? revision->upgrade_count
				 : i == state->partial_index
				     ? (uint32_t)state->partial
				     : 0;

		for (k = 0; k < count; k++)
			exec(context, revision->upgrade[k].sql);
	}
	for (k = 0; state->down_index != ORACLE_NONE && k < state->down_done;
	     k++)
		exec(context,
		     set->revisions[state->down_index].downgrade[k].sql);
}

/* What the points of one run came to. */
typedef struct oracle_tally {
	const char *run; /* "upgrade base -> heads" */
	unsigned long points;
	unsigned long bad;
	unsigned long partways; /* a "transaction none" downgrade partway */
} oracle_tally;

/* A point that went wrong: `why`, after where it was (printf's format). */
static void oracle_bad(oracle_tally *tally, const char *why, const char *where,
		       ...)
{
	va_list args;

	tally->bad++;
	fprintf(stderr, "%s, ", tally->run);
	va_start(args, where);
	vfprintf(stderr, where, args);
	va_end(args);
	fprintf(stderr, ": %s\n", why);
}

/* The run's line (TITLE: RUN: TOTAL COUNTED, N KIND points, ...) and the
 * test's verdict: no point went wrong. */
static void oracle_report(const oracle_tally *tally, const char *title,
			  unsigned long total, const char *counted,
			  const char *kind)
{
	printf("%s: %s: %lu %s, %lu %s points, %lu inconsistent outcomes "
	       "(%lu left a transaction-none downgrade partway, recorded)\n",
	       title, tally->run, total, counted, tally->points, kind,
	       tally->bad, tally->partways);
	fflush(stdout);
	ck_assert_msg(tally->bad == 0, "%s: %lu of %lu %s points went wrong",
		      tally->run, tally->bad, tally->points, kind);
}

#endif /* MIGC_TEST_FAULT_ORACLE_H */
