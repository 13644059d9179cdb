/* internal.h: what the runtime core's files share: error helpers over
 * the bounded text builder (core.c; the builder is declared in migc_text.h,
 * which the drivers and the command line use too), revision sets
 * (revset.c), the state of one operation (state.c), its history rows
 * (history.c), resolved targets (target.c), the executor's entry
 * points (execute.c, stamp.c) and what a downgrade undoes (plan.c). Not
 * installed; the command line and the drivers use only the public
 * headers (migc_driver.h declares the one number parser, migc_number_parse,
 * for all of them: the planner's counts, format.c's ranges, the drivers'
 * stored numbers) and migc_text.h. */
#ifndef MIGC_INTERNAL_H
#define MIGC_INTERNAL_H

#include "migc_driver.h"
#include "migc_text.h"

size_t migc_string_length(const char *string);
int migc_string_equal(const char *a, const char *b);
/* `a` is exactly the `length` bytes at `b`. */
int migc_string_equal_n(const char *a, const char *b, size_t length);

/* Clears every field of `error` (which may be NULL) and sets `code`. */
void migc_error_clear(migc_error *error, int code);

/* Clears `error`, sets `code` and starts `text` over its message buffer. */
void migc_error_start(migc_error *error, int code, migc_text *text);

/* Records a revision id in error->revision. */
void migc_error_set_revision(migc_error *error, const char *id);

/* migc_error_clear() plus a message made of one string. */
int migc_error_fail(migc_error *error, int code, const char *message);

/* Message sentences go through migc_say() and migc_error_fail(); with
 * MIGC_NO_MESSAGES (the smallest builds) they are dropped before they reach
 * the binary, while codes and error fields (revision, statement, file,
 * line) stay. migc_text_add() remains for text that is data. */
#ifdef MIGC_NO_MESSAGES
#define migc_say(text, literal)		      ((void)(text))
#define migc_error_fail(error, code, message) migc_error_fail(error, code, "")
#else
#define migc_say(text, literal) migc_text_add(text, literal)
#endif

#define REVSET_WORDS ((MIGC_MAX_REVISIONS + 31) / 32)
#define NO_REVISION  UINT32_MAX /* "base": before every root */
/* Parent and dependency ids of one revision, joined by ",". */
#define PARENTS_MAX ((MIGC_REVISION_ID_MAX + 1) * MIGC_MAX_HEADS)

typedef struct revset {
	uint32_t word[REVSET_WORDS];
} revset;

/* The state of one operation: its inputs and the version rows last read. */
typedef struct execution {
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
	/* The rows are the heads of `applied` (a step wrote them so), not
	 * rows as read, which may also name some of their ancestors. */
	int rows_are_heads;
	/* The rows the step being recorded leaves (migc_heads_after). */
	uint32_t next[MIGC_MAX_HEADS];
	uint32_t next_count;
	/* Rows naming revisions this set lacks (a newer build wrote them). */
	char unknown[MIGC_MAX_HEADS][MIGC_REVISION_ID_MAX + 1];
	uint32_t unknown_count;
	revset applied; /* known rows and all their ancestors */
	/* A "transaction none" downgrade's progress rows keep what the
	 * history recorded for its upgrade. */
	uint64_t down_checksum;
	uint32_t down_duration_ms;
	/* Progress: the phases asked for (bit 0: a callback), the steps
	 * begun and planned (0: not known yet), and the one running. */
	unsigned progress_events;
	uint32_t step_number;
	uint32_t step_count;
	uint32_t step_index;
	int step_downgrade;
	const char *step_parents; /* of unknown[0], while begun */
#ifndef MIGC_NO_BASELINE
	/* The set's baseline while it runs as the step to step_index. */
	const migc_revision *step_baseline;
#endif
} execution;

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

/* A resolved target: the named revisions (none for base). */
typedef struct target {
	revset goal;
	/* The branch a target names, as Alembic's branch_label: the revision
	 * before '@' (a label's revision), or for "-N" the version row it
	 * counts from; NO_REVISION otherwise. A downgrade to a revision with
	 * several children, or to base, undoes only the children (roots) on
	 * its line. With an empty goal: "<branch>@base". */
	uint32_t branch;
} target;

enum mode { MODE_UPGRADE, MODE_DOWNGRADE, MODE_STAMP };

/* The functions below are shared by the core's files only. The firmware
 * build compiles the core as one translation unit (MIGC_AMALGAMATION, see
 * firmware/CMakeLists.txt), where they are static, as SQLITE_PRIVATE is in
 * SQLite's amalgamation: the compiler then inlines and drops them as it did
 * when the core was one file. */
#ifdef MIGC_AMALGAMATION
/* Unused ones (the upgrade-only profile leaves out their callers) are
 * dropped without a warning. */
#if defined(__GNUC__)
#define MIGC_INTERNAL static __attribute__((unused))
#else
#define MIGC_INTERNAL static
#endif
#else
#define MIGC_INTERNAL
#endif
/* For a function of core.c that both cores share but each calls from one
 * place or two: in one translation unit it is inlined there, costing no
 * call (its own definition carries it too). */
#if defined(MIGC_AMALGAMATION) && defined(__GNUC__)
#define MIGC_INLINED __attribute__((always_inline)) inline
#else
#define MIGC_INLINED
#endif
/* For a function whose locals must not join its caller's frame (inlined,
 * they would take stack for as long as the caller runs). */
#if defined(__GNUC__)
#define MIGC_NOINLINE __attribute__((noinline))
#else
#define MIGC_NOINLINE
#endif

/* ---- core.c ---- */

/* The driver's lock (or unlock) of "<set name>:<version table>"; nothing
 * for a driver without one. */
MIGC_INTERNAL int migc_lock_call(const migc_driver *driver, const migc_set *set,
				 const char *table, int unlock,
				 migc_error *error);
/* Makes the version table and, `with_history`, the history table, on
 * first use. */
MIGC_INTERNAL int migc_tables_ensure(const migc_driver *driver,
				     const char *table, size_t table_length,
				     int with_history, const char *history,
				     size_t history_length, migc_error *error);
/* Writes the history row of set->revisions[index] into the history table
 * `history`: its parents, the progress, duration and checksum given, its
 * flags and downgrade statements. */
MIGC_INTERNAL int
migc_history_put(const migc_driver *driver, const char *history,
		 size_t history_length, const migc_set *set, uint32_t index,
		 uint32_t statements_done, uint32_t downgrade_done,
		 uint32_t duration_ms, uint64_t checksum, migc_error *error);

/* ---- revset.c ---- */

MIGC_INTERNAL void migc_revset_clear(revset *set);
MIGC_INTERNAL void migc_revset_add(revset *set, uint32_t index);
MIGC_INTERNAL int migc_revset_has(const revset *set, uint32_t index);
MIGC_INTERNAL void migc_revset_remove(revset *set, uint32_t index);
MIGC_INTERNAL uint32_t migc_revset_count(const migc_set *set,
					 const revset *members,
					 uint32_t *first);

MIGC_INTERNAL int migc_is_parent_of(const migc_revision *revision,
				    uint32_t index);
MIGC_INTERNAL void migc_close_ancestors(const migc_set *set, revset *members);
MIGC_INTERNAL void migc_close_descendants(const migc_set *set, revset *members);
MIGC_INTERNAL uint32_t migc_children(const migc_set *set, uint32_t index,
				     const revset *within, uint32_t *first,
				     migc_text *list);
MIGC_INTERNAL void migc_heads_of(const migc_set *set, const revset *applied,
				 revset *heads);
MIGC_INTERNAL void migc_add_children_of(const migc_set *set,
					const revset *members, revset *out);
MIGC_INTERNAL void migc_add_line(const migc_set *set, uint32_t index,
				 revset *out);
MIGC_INTERNAL void migc_tips_of(const migc_set *set, const revset *members,
				revset *tips);
MIGC_INTERNAL void migc_lineage_of(const migc_set *set, uint32_t start,
				   revset *members);
MIGC_INTERNAL int migc_related(const migc_set *set, uint32_t a, uint32_t b);
MIGC_INTERNAL uint32_t migc_find_index(const migc_set *set, const char *id,
				       size_t length);

/* The upgrade-only profile (upgrade.c) leaves out the files below, up
 * to boot.c. */
#ifndef MIGC_PROFILE_UPGRADE_ONLY

/* ---- state.c ---- */

MIGC_INTERNAL void migc_add_rows(migc_text *text, const execution *run);
MIGC_INTERNAL int migc_set_check(const migc_set *set, migc_error *error);
MIGC_INTERNAL int migc_execution_init(execution *run, const migc_set *set,
				      const migc_driver *driver,
				      const migc_options *options,
				      migc_error *error);
MIGC_INTERNAL int migc_execution_offline(execution *run, const migc_set *set,
					 migc_error *error);
MIGC_INTERNAL int migc_accepting_checksums(const execution *run);
MIGC_INTERNAL int migc_read_state(execution *run, migc_error *error);
MIGC_INTERNAL int migc_refuse_unknown(const execution *run, int stamping,
				      migc_error *error);
MIGC_INTERNAL int migc_rollback_quietly(const execution *run);
MIGC_INTERNAL int migc_begin_and_read(execution *run, migc_error *error);
MIGC_INTERNAL int migc_commit_or_rollback(const execution *run, int rc,
					  migc_error *error);
MIGC_INTERNAL int migc_row_delete(const execution *run, const char *id,
				  size_t length, migc_error *error);
MIGC_INTERNAL int migc_row_insert(const execution *run, const char *id,
				  size_t length, migc_error *error);
MIGC_INTERNAL int migc_drop_covered_rows(const execution *run, uint32_t index,
					 migc_error *error);
MIGC_INTERNAL int migc_rows_of(const migc_set *set, const revset *applied,
			       uint32_t *rows, uint32_t *count);
MIGC_INTERNAL int migc_heads_after(execution *run, uint32_t index,
				   int downgrade, migc_error *error);
MIGC_INTERNAL int migc_update_rows(const execution *run, migc_error *error);

MIGC_INTERNAL void migc_applied_after(const execution *run, uint32_t index,
				      int downgrade, revset *after);

/* ---- history.c ---- */

MIGC_INTERNAL int migc_history_find(const execution *run, const char *id,
				    history_entry *entry, migc_error *error);
MIGC_INTERNAL int migc_history_write_row(const execution *run, uint32_t index,
					 uint32_t statements_done,
					 uint32_t downgrade_done,
					 uint32_t duration_ms,
					 uint64_t checksum, migc_error *error);
MIGC_INTERNAL int migc_history_record(const execution *run, uint32_t index,
				      uint32_t statements_done,
				      uint32_t duration_ms, uint64_t checksum,
				      migc_error *error);
MIGC_INTERNAL int migc_history_forget(const execution *run, const char *id,
				      migc_error *error);
MIGC_INTERNAL int migc_checksum_error(const migc_revision *revision,
				      uint64_t recorded, int partway,
				      uint32_t statements_done,
				      migc_error *error);
MIGC_INTERNAL int migc_verify_checksums(const execution *run,
					migc_error *error);

/* ---- target.c ---- */

MIGC_INTERNAL int migc_target_resolve(const execution *run,
				      const char *spelling, int downgrade,
				      target *out, migc_error *error);

/* ---- execute.c ---- */

MIGC_INTERNAL uint32_t migc_next_step(const execution *run, const revset *scope,
				      int downgrade, uint32_t *left);
MIGC_INTERNAL int migc_execute(execution *run, target *to, enum mode mode,
			       int purge, migc_error *error);

/* ---- plan.c ---- */

/* run's rows and applied revisions from the state `from` names (NULL or
 * "base": nothing applied; targets joined by ","), as migc_plan_steps
 * reads it. */
MIGC_INTERNAL int migc_plan_state(execution *run, const char *from,
				  migc_error *error);

MIGC_INTERNAL int migc_downgrade_scope(const execution *run, const target *to,
				       revset *scope, migc_error *error);

/* ---- stamp.c ---- */

MIGC_INTERNAL int migc_stamp_goal(const execution *run,
				  const char *const *targets, size_t count,
				  target *goal, migc_error *error);
MIGC_INTERNAL void migc_stamp_rows(const execution *run, const target *to,
				   int purge, revset *rows);
MIGC_INTERNAL int migc_stamp_locked(execution *run, const target *to, int purge,
				    migc_error *error);

/* ---- repeatable.c ---- */

#ifdef MIGC_NO_REPEATABLES
/* Built without them (the firmware image): a set with repeatables does
 * not link (migc_repeatables_runtime), and these cost nothing. */
#define migc_repeatables_check(set, error) MIGC_OK
#define migc_repeatables_apply(run, error) MIGC_OK
#define migc_repeatables_undo(run, scope, error) MIGC_OK
#define migc_repeatable_count(set)	   0u
#else
/* The set's repeatables are well formed (state.c's set check). */
MIGC_INTERNAL int migc_repeatables_check(const migc_set *set,
					 migc_error *error);
/* After an upgrade's steps, once every revision is applied: each
 * repeatable whose recorded checksum differs, in set order, one
 * transaction each. */
MIGC_INTERNAL int migc_repeatables_apply(const execution *run,
					 migc_error *error);
/* Before a downgrade's first step, when `scope` has one: every applied
 * repeatable undone with its stored downgrade, last first, one
 * transaction each. */
MIGC_INTERNAL int migc_repeatables_undo(const execution *run,
					const revset *scope, migc_error *error);
#define migc_repeatable_count(set) ((set)->repeatable_count)
#endif

#endif /* MIGC_PROFILE_UPGRADE_ONLY */

/* ---- boot.c ---- */

/* *at_heads = 1 when one read shows the database at the set's heads with
 * this set's digest (nothing pending); else 0, for the full path. A read
 * that fails (an I/O error, not a missing table) is returned. */
MIGC_INTERNAL int migc_boot_read(const migc_set *set,
				 const migc_driver *driver, const char *target,
				 const migc_options *options, int *at_heads,
				 migc_error *error);
#ifndef MIGC_PROFILE_UPGRADE_ONLY
/* Stores `digest` beside every version row (0: none), in the current
 * transaction; nothing for a driver without digests. */
MIGC_INTERNAL int migc_boot_digest_write(const execution *run, uint64_t digest,
					 migc_error *error);
/* The operation finished: stores the set's digest in a transaction of its
 * own, so the next boot may answer in one read. */
MIGC_INTERNAL int migc_boot_digest_store(const execution *run,
					 migc_error *error);

#endif

#endif /* MIGC_INTERNAL_H */
