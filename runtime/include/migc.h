/* migc.h: public API of the migc runtime.
 * The generator writes a `struct migc_set` as static const data; this runtime
 * plans and applies it through a driver. No heap, no files, no globals.
 *
 * Conventions, the same in every header (as libgit2's):
 *   int migc_<module>_<verb>(outputs..., inputs..., migc_error *error)
 * - Outputs come first: `out`, and for an array its `capacity` and the
 *   `count` (or `length`) written, which may be NULL.
 * - The result is MIGC_OK (0) or a negative MIGC_E* code, nothing else:
 *   whatever else a call answers (a revision, a count, that an iteration
 *   is over) comes through an out-parameter.
 * - `error`, always last, may be NULL; otherwise it is filled on failure
 *   and cleared on success.
 * - Callbacks take `void *payload` last.
 * Only calls that cannot fail return a value of their own
 * (migc_result_text, migc_version, migc_downgrade_encoded_length,
 * migc_postgresql_lock_key). What a driver implements and the helpers
 * drivers share are in migc_driver.h. */
#ifndef MIGC_H
#define MIGC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MIGC_VERSION_MAJOR 0
#define MIGC_VERSION_MINOR 1
#define MIGC_VERSION_PATCH 0
#define MIGC_VERSION_NUMBER                                                    \
	(MIGC_VERSION_MAJOR * 10000 + MIGC_VERSION_MINOR * 100 + MIGC_VERSION_PATCH)
#define MIGC_VERSION_STRING "0.1.0"

/* Generated sets are pinned to this; a mismatch is a compile error there.
 * 3: migc_set.by_id and migc_set.digest.
 * 4: migc_set.baseline, migc_set.repeatables and
 *    migc_set.repeatable_count. */
#define MIGC_ABI_VERSION 4

#if defined(_WIN32) && defined(MIGC_SHARED)
#ifdef MIGC_BUILDING
#define MIGC_EXPORT __declspec(dllexport)
#else
#define MIGC_EXPORT __declspec(dllimport)
#endif
#elif defined(__GNUC__) && defined(MIGC_SHARED)
#define MIGC_EXPORT __attribute__((visibility("default")))
#else
#define MIGC_EXPORT
#endif

/* Limits. Planner state lives on the stack and is sized by these, and they
 * set the layout of structs the caller allocates (migc_error,
 * migc_version_row, ...), so the runtime and every file that includes this
 * header must be compiled with the same values. The runtime's build exports
 * the values it was built with: CMake's migc::runtime (after find_package or
 * add_subdirectory) as compile definitions of whatever links it, and
 * migc.pc in its Cflags; set them for a build of migc with
 * -DMIGC_MAX_REVISIONS=... (CMake cache variables of the same names). Each
 * must be a plain decimal number: it is part of the ABI symbol's name
 * below. */
#ifndef MIGC_MAX_REVISIONS
#define MIGC_MAX_REVISIONS 4096
#endif
#ifndef MIGC_MAX_HEADS
#define MIGC_MAX_HEADS 32
#endif
/* Define MIGC_NO_MESSAGES when building the runtime to drop every message
 * text (codes and error fields stay) for the smallest images, and
 * MIGC_NO_BASELINE to leave out the step that runs a set's baseline from
 * base (migc squash; every database then follows the chain, and a set
 * built FROM_BASELINE needs none of it), as the firmware build does. */
/* MIGC_PROFILE_UPGRADE_ONLY (CMake option of the same name; defined for
 * whatever links such a runtime): the core holds only what a device's boot
 * needs, for the smallest images (firmware/budget): migc_upgrade to NULL,
 * "head" or "heads", with the one-read boot, the lock, a transaction per
 * revision (per statement for "transaction none", resumed after a crash),
 * history rows and the stored digest, written as the full core writes
 * them. Every other operation, any other target, accept_changed_checksums,
 * another version table than migc_version, a set with repeatable
 * revisions, a database at a revision the set lacks (refused, as the full upgrade
 * does) or a "transaction none" downgrade left partway returns
 * MIGC_ENOTBUILT or the full core's code, never something else done
 * instead. A set's baseline is not run (every database follows the
 * chain, as with MIGC_NO_BASELINE). The drivers' helpers (migc_driver.h)
 * stay (in a core-only build, those the profile never calls are a
 * library of their own, migc_driver_helpers). */
#ifndef MIGC_ERROR_MESSAGE_SIZE
#define MIGC_ERROR_MESSAGE_SIZE 512
#endif
/* Alembic's version_num is VARCHAR(32); not configurable. */
#define MIGC_REVISION_ID_MAX 32
#define MIGC_DEFAULT_VERSION_TABLE "migc_version"

/* The runtime defines one symbol whose name holds its ABI version and the
 * four sizes it was built with, e.g. migc_abi_2_e512_h32_i32_r4096
 * (e: MIGC_ERROR_MESSAGE_SIZE, h: MIGC_MAX_HEADS, i: MIGC_REVISION_ID_MAX,
 * r: MIGC_MAX_REVISIONS). Every generated set refers to the name its own
 * compilation spells, so a set compiled with other sizes than the runtime
 * fails to link ("undefined reference to migc_abi_2_e64_h32_i32_r4096")
 * instead of overrunning a buffer at run time. Application code that
 * allocates migc structs gets the same values from migc::runtime or
 * migc.pc. */
#define MIGC_ABI_NAME_(abi, e, h, i, r)                                        \
	migc_abi_##abi##_e##e##_h##h##_i##i##_r##r
#define MIGC_ABI_NAME(abi, e, h, i, r) MIGC_ABI_NAME_(abi, e, h, i, r)
#define MIGC_ABI_SYMBOL                                                        \
	MIGC_ABI_NAME(MIGC_ABI_VERSION, MIGC_ERROR_MESSAGE_SIZE,               \
		      MIGC_MAX_HEADS, MIGC_REVISION_ID_MAX,                    \
		      MIGC_MAX_REVISIONS)

/* Result codes: 0 is success, failures are negative. One list, so codes and
 * texts cannot drift apart. */
#define MIGC_ERROR_LIST(X)                                                     \
	X(MIGC_OK, 0, "ok")                                                    \
	X(MIGC_EINVAL, -1, "invalid argument")                                 \
	X(MIGC_ENOTFOUND, -2, "no such revision")                              \
	X(MIGC_EAMBIGUOUS, -3, "ambiguous revision prefix")                    \
	X(MIGC_EMULTIPLEHEADS, -4, "multiple heads")                           \
	X(MIGC_ERELATIVE, -5, "relative target out of range")                  \
	X(MIGC_EDIRECTION, -6, "target not reachable in this direction")       \
	X(MIGC_EDRIVER, -7, "database error")                                  \
	X(MIGC_ESTATEMENT, -8, "migration statement failed")                   \
	X(MIGC_EUNKNOWNVERSION, -9, "database is at a revision this set lacks") \
	X(MIGC_ELIMIT, -10, "compiled-in limit exceeded")                      \
	X(MIGC_EABI, -11, "set built for another runtime ABI")                 \
	X(MIGC_ELOCK, -12, "migration lock not acquired")                     \
	X(MIGC_ECHECKSUM, -13, "applied revision was edited afterwards")      \
	X(MIGC_EDIALECT, -14, "set and driver are for different databases")  \
	X(MIGC_ETRANSACTION, -15,                                              \
	  "a statement ended or opened a transaction; that belongs to migc")  \
	X(MIGC_ENOTBUILT, -16, "not in this build")

enum migc_result {
#define MIGC_ENUM_ENTRY(name, value, text) name = value,
	MIGC_ERROR_LIST(MIGC_ENUM_ENTRY)
#undef MIGC_ENUM_ENTRY
};

/* Caller-owned error detail; every API takes one last, and NULL is fine. */
typedef struct migc_error {
	int code;
	/* The database's own code: SQLite's extended result code (e.g.
	 * SQLITE_CONSTRAINT_UNIQUE); for PostgreSQL the SQLSTATE packed by
	 * MIGC_POSTGRESQL_SQLSTATE, a number that means nothing to a user:
	 * show the message, which names it as text ("(SQLSTATE 25001)").
	 * 0 when none. */
	int driver_code;
	char revision[MIGC_REVISION_ID_MAX + 1];  /* "" when none */
	unsigned statement_index;                 /* 1-based; 0 when none */
	const char *source_file;                  /* from the set; NULL when none */
	unsigned line;                            /* source line; 0 when none */
	char message[MIGC_ERROR_MESSAGE_SIZE];
} migc_error;

/* ---- generated data (the generator writes these; treat as read-only) ---- */

typedef struct migc_statement {
	const char *sql; /* NUL-terminated too */
	uint32_t length;
	uint32_t line; /* line in source_file where the statement starts */
	uint32_t flags; /* MIGC_STATEMENT_* */
} migc_statement;

/* The statement cannot run inside a transaction (CREATE INDEX
 * CONCURRENTLY, VACUUM, ...). In a "transaction none" revision every other
 * statement commits together with its progress row, so a crash never
 * leaves one applied but unrecorded; these alone run in autocommit. */
#define MIGC_STATEMENT_NO_TRANSACTION 0x1u

#define MIGC_REVISION_NO_TRANSACTION 0x1u
/* The first revision of a build made FROM_BASELINE (migc squash): a root
 * whose statements are the baseline's, which create from base the schema
 * this revision and the ones before it (not in the build) create. */
#define MIGC_REVISION_BASELINE 0x2u

typedef struct migc_revision {
	const char *id;
	const char *message;
	const char *source_file; /* file name inside the versions directory */
	const char *create_date;
	const uint32_t *parents; /* indices into migc_set.revisions */
	uint32_t parent_count;
	const uint32_t *dependencies; /* depends_on, as indices */
	uint32_t dependency_count;
	const char *const *branch_labels;
	uint32_t branch_label_count;
	const migc_statement *upgrade;
	uint32_t upgrade_count;
	const migc_statement *downgrade;
	uint32_t downgrade_count;
	uint64_t checksum; /* FNV-1a 64 of the normalized upgrade statements */
	uint32_t flags;    /* MIGC_REVISION_* */
} migc_revision;

/* A repeatable revision (`-- migc:repeatable <name>`): a view, trigger or
 * function definition with a name instead of a place in the graph. An
 * upgrade that leaves every revision applied then applies, in set order,
 * each repeatable whose checksum differs from the one its history row
 * holds (none: never applied), its statements and its row in one
 * transaction; a downgrade that steps back any revision first undoes
 * every applied repeatable with the downgrade its row stored. Its history
 * row's version_num is MIGC_REPEATABLE_PREFIX and the name, which no
 * revision id can be. */
typedef struct migc_repeatable {
	const char *name; /* letters, digits, '_'; MIGC_REPEATABLE_NAME_MAX */
	const char *message;
	const char *source_file;
	/* depends_on, as indices into migc_set.repeatables: each comes
	 * before this one in the set. */
	const uint32_t *dependencies;
	uint32_t dependency_count;
	const migc_statement *upgrade;
	uint32_t upgrade_count;
	const migc_statement *downgrade;
	uint32_t downgrade_count;
	uint64_t checksum; /* as migc_revision.checksum */
} migc_repeatable;

#define MIGC_REPEATABLE_PREFIX "R:"
#define MIGC_REPEATABLE_NAME_MAX                                               \
	(MIGC_REVISION_ID_MAX - (sizeof MIGC_REPEATABLE_PREFIX - 1))

typedef struct migc_set {
	uint32_t abi_version; /* MIGC_ABI_VERSION */
	const char *name;
	const char *dialect; /* "sqlite", "postgresql" */
	const migc_revision *revisions; /* parents always come before children */
	uint32_t revision_count;
	const uint32_t *heads; /* indices, in id order */
	uint32_t head_count;
	/* Every revision's index, ordered by id (strcmp), so that an id is
	 * found by binary search: the version rows and the history table are
	 * checked against the set in O(n log n). The generator writes it; NULL
	 * (a set built by hand) is searched from the start. */
	const uint32_t *by_id;
	/* FNV-1a 64 over the dialect and every revision's id, parents,
	 * dependencies and checksum, in set order; never 0 (0: none). A
	 * finished migration stores it beside the version rows, so a boot
	 * with nothing pending is one read that compares it (see
	 * migc_upgrade). A set with repeatables folds in each one's name
	 * and checksum, so a changed one is never skipped at boot. */
	uint64_t digest;
	/* migc squash: a baseline, outside `revisions`: statements that
	 * create from base, in one step, the schema its one parent (an index
	 * into `revisions`) and that revision's ancestors create. An upgrade
	 * from base (no version row) whose target includes that revision
	 * runs them in place of the chain; the database is then at that
	 * revision, as if the chain had run, and its history holds that
	 * revision's row. NULL: none. */
	const migc_revision *baseline;
	/* Repeatable revisions, dependencies first, else by name; NULL and
	 * 0 when none. */
	const migc_repeatable *repeatables;
	uint32_t repeatable_count;
} migc_set;

/* ---- drivers ---- */

/* A database as the runtime sees it: a versioned table of functions and a
 * context. migc_sqlite.h and migc_postgresql.h fill one over a connection
 * the program opened; migc_driver.h declares it, for a driver of one's
 * own. */
typedef struct migc_driver migc_driver;

/* ---- options and progress ---- */

enum migc_event_kind {
	MIGC_EVENT_UPGRADE = 1,	  /* about to apply `revision` */
	MIGC_EVENT_DOWNGRADE = 2, /* about to unapply `revision` */
	/* About to apply the repeatable named `id` (`revision` NULL). */
	MIGC_EVENT_REPEATABLE = 3,
	/* About to undo the repeatable named `id` with its stored
	 * downgrade (`revision` NULL). */
	MIGC_EVENT_REPEATABLE_UNDO = 4
};

/* What an event announces (migc_event.phase). Without options.progress_events
 * a callback gets MIGC_PHASE_REVISION only, as before; the other phases
 * come when asked for. Each phase asked for that starts is followed by its
 * _DONE, also after a failure (`result`); nothing follows a failure's. */
enum migc_event_phase {
	MIGC_PHASE_REVISION = 0,       /* about to apply or unapply it */
	MIGC_PHASE_REVISION_DONE = 1,  /* it ended with `result` */
	MIGC_PHASE_STATEMENT = 2,      /* about to run statement `statement` */
	MIGC_PHASE_STATEMENT_DONE = 3  /* it ended with `result` */
};
/* migc_options.progress_events: the phases besides MIGC_PHASE_REVISION. */
#define MIGC_PROGRESS_REVISION_DONE (1u << MIGC_PHASE_REVISION_DONE)
#define MIGC_PROGRESS_STATEMENTS                                               \
	((1u << MIGC_PHASE_STATEMENT) | (1u << MIGC_PHASE_STATEMENT_DONE))
#define MIGC_PROGRESS_ALL                                                      \
	(MIGC_PROGRESS_REVISION_DONE | MIGC_PROGRESS_STATEMENTS)

/* The core has no clock: a callback measures durations itself (the
 * README's "Progress" section has an example). */
typedef struct migc_event {
	int kind; /* MIGC_EVENT_UPGRADE or _DOWNGRADE: direction; _REPEATABLE* */
	const migc_set *set;
	const migc_revision *revision; /* NULL for a revision this set lacks */
	const char *id;                /* always set */
	/* For a revision this set lacks; for an upgrade that the set's
	 * baseline makes (migc squash), in one step from base to `revision`:
	 * the baseline's id (and statement_count is the baseline's). */
	const char *parents;
	/* Since MIGC_OPTIONS_VERSION 2, whatever the options' version. */
	int phase;        /* enum migc_event_phase */
	uint32_t number;  /* this revision is step `number` (1-based) ... */
	uint32_t count;   /* ... of `count` planned, 0 while not yet known */
	uint32_t statement;       /* 1-based, in the statement phases */
	uint32_t statement_count; /* of this revision in this direction */
	int result;               /* MIGC_OK, or the failure, in _DONE */
} migc_event;

typedef void (*migc_progress_fn)(const migc_event *event, void *payload);

/* Version 1 (without progress_events) is still accepted. */
#define MIGC_OPTIONS_VERSION 2
typedef struct migc_options {
	unsigned version;          /* MIGC_OPTIONS_VERSION */
	/* NULL: MIGC_DEFAULT_VERSION_TABLE. "schema.table" is allowed. */
	const char *version_table;
	migc_progress_fn progress; /* may be NULL */
	void *progress_payload;
	/* Accept applied revisions whose checksum changed (Flyway's repair):
	 * the history takes the new checksums instead of stopping. */
	int accept_changed_checksums;
	/* Since version 2: MIGC_PROGRESS_* bits, the phases wanted besides
	 * MIGC_PHASE_REVISION (0: only that one). */
	unsigned progress_events;
} migc_options;
#define MIGC_OPTIONS_INIT { MIGC_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0 }

/* ---- operations ---- */

/* Targets: "head", "heads", "base", a full id, a unique id prefix, "+N",
 * "-N", "<rev>+N", "<rev>-N". NULL target means "head". Upgrading to a
 * revision already applied does nothing.
 * Boot: for NULL, "head" and "heads", a database whose version rows are
 * exactly the set's heads, each stored with this set's digest by a
 * migration that finished, is answered with one read (the driver's
 * version_state_read): no lock, no transaction, no write. Anything else
 * (another set's digest, none, an interrupted migration, rows written by
 * Alembic or an offline script) takes the full path under the lock, which
 * verifies everything and stores the digest when it finishes. */
MIGC_EXPORT int migc_upgrade(const migc_set *set, const migc_driver *driver,
			     const char *target, const migc_options *options,
			     migc_error *error);

/* Downgrading to the current revision does nothing; to one not applied is
 * MIGC_EDIRECTION. */
MIGC_EXPORT int migc_downgrade(const migc_set *set, const migc_driver *driver,
			       const char *target, const migc_options *options,
			       migc_error *error);

/* The revisions named by the version rows (the applied heads), in set order.
 * `*count` is how many rows there are, even beyond `capacity`. */
MIGC_EXPORT int migc_current(const migc_revision **out, size_t capacity,
			     size_t *count, const migc_set *set,
			     const migc_driver *driver,
			     const migc_options *options, migc_error *error);

/* One version row as migc_version_rows() reports it. */
typedef struct migc_version_row {
	char id[MIGC_REVISION_ID_MAX + 1];
	/* NULL when this set lacks the revision: the database was migrated
	 * by a newer build (see migc_downgrade, which can step back from it
	 * using the history table). */
	const migc_revision *revision;
} migc_version_row;

/* Every version row, known or not, known ones in set order first, then
 * unknown ones in the order the database gave them. `*count` is how many
 * rows there are, even beyond `capacity`. Unlike migc_current this does
 * not fail on a revision the set lacks. */
MIGC_EXPORT int migc_version_rows(migc_version_row *out, size_t capacity,
				  size_t *count, const migc_set *set,
				  const migc_driver *driver,
				  const migc_options *options,
				  migc_error *error);

/* Alembic's stamp: makes the version rows say `target` (any target form;
 * "base" clears them; NULL is "head") without running any statement. With
 * `purge`, every version row is deleted first, even ones this set lacks
 * and ones no revision id can be (one DELETE through driver->execute, as
 * Alembic does), so a database from elsewhere can be adopted. History rows are written
 * (compiled checksum, statements_done = upgrade_count) for revisions that
 * become applied and deleted for those that become unapplied. */
MIGC_EXPORT int migc_stamp(const migc_set *set, const migc_driver *driver,
			   const char *target, int purge,
			   const migc_options *options, migc_error *error);

/* Like migc_stamp with several targets at once (Alembic's `stamp A B`):
 * the version rows become the union of what each target names. */
MIGC_EXPORT int migc_stamp_many(const migc_set *set,
				const migc_driver *driver,
				const char *const *targets, size_t count,
				int purge, const migc_options *options,
				migc_error *error);

/* Which revisions the database has applied: out[i] becomes 1 when
 * set->revisions[i] is a version row or an ancestor or dependency of one,
 * else 0. `capacity` must be at least set->revision_count. Rows this set
 * lacks are skipped (see migc_version_rows). */
MIGC_EXPORT int migc_applied(unsigned char *out, size_t capacity,
			     const migc_set *set, const migc_driver *driver,
			     const migc_options *options, migc_error *error);

/* ---- planning without a database (offline scripts) ---- */

/* One revision of a plan and the version-row changes it makes. Alembic
 * writes the rows this way, and so does the --sql script:
 *   both lists empty of the other: INSERT each added / DELETE each removed;
 *   otherwise: DELETE removed[0 .. removed_count-2], then UPDATE
 *   removed[removed_count-1] to added[added_count-1], then INSERT
 *   added[0 .. added_count-2].
 * An upgrade removes the rows of the parents and dependencies it joins
 * (parents first, in declared order) and adds itself; a downgrade removes
 * itself and adds the parents and dependencies no other row implies. */
typedef struct migc_step {
	int kind; /* MIGC_EVENT_UPGRADE or MIGC_EVENT_DOWNGRADE */
	const migc_set *set;
	const migc_revision *revision;
	uint32_t number;      /* 1-based position in the plan */
	uint32_t rows_before; /* version rows before this step */
	uint32_t rows_after;  /* and after it */
	const migc_revision *removed[MIGC_MAX_HEADS];
	uint32_t removed_count;
	const migc_revision *added[MIGC_MAX_HEADS];
	uint32_t added_count;
} migc_step;

/* Return MIGC_OK to go on, or a negative code to stop the plan, which
 * migc_plan_steps then returns. */
typedef int (*migc_step_fn)(const migc_step *step, void *payload);

/* Plans an upgrade (downgrade = 0) or a downgrade from the state `from`
 * names (NULL or "base": nothing applied; any target form, "heads", or
 * several revisions joined by ","; relative forms are not allowed there)
 * to `target` (as migc_upgrade / migc_downgrade read it, counted from
 * `from`), and calls `each` per revision in the order the executor runs
 * them, without any database. `*count` (may be NULL) gets the number of
 * steps `each` accepted. */
MIGC_EXPORT int migc_plan_steps(size_t *count, const migc_set *set,
				const char *from, const char *target,
				int downgrade, migc_step_fn each, void *payload,
				migc_error *error);

/* Plans a stamp of `targets` (`count` of them; none: "head"), read as
 * migc_stamp_many reads them, from the state `from` names (as
 * migc_plan_steps reads it), without any database: per revision of the
 * set, `before` and `after` (`capacity` bytes each, at least the set's
 * revision count) get MIGC_PLAN_APPLIED when it is applied and
 * MIGC_PLAN_ROW when it is a version row, before and after the stamp. */
#define MIGC_PLAN_APPLIED 1
#define MIGC_PLAN_ROW	  2
MIGC_EXPORT int migc_plan_stamp(unsigned char *before, unsigned char *after,
				size_t capacity, const migc_set *set,
				const char *from, const char *const *targets,
				size_t count, migc_error *error);

/* A full id or a unique prefix. */
MIGC_EXPORT int migc_revision_find(const migc_revision **out,
				   const migc_set *set, const char *id,
				   migc_error *error);

/* The one revision a target names, read against the set alone (no
 * database, so "+N" counts from base): any target migc_upgrade takes that
 * names one revision (an id or unique prefix, head, a single "heads",
 * "<label>@head", "<branch>@<rev>", "<rev>+N"); *out is NULL for base.
 * "<branch>@base" gives *out NULL and the revision the branch starts at in
 * *branch_base; with branch_base NULL it is refused. The command lines'
 * history, show, --head, --depends-on and merge use it, so that a target
 * reads, and fails with the same message, everywhere. */
MIGC_EXPORT int migc_target_revision(const migc_revision **out,
				     const migc_revision **branch_base,
				     const migc_set *set, const char *target,
				     migc_error *error);

/* As migc_target_revision, with relative targets counted from the state
 * `from` names (as migc_plan_steps reads it; NULL: base), read as an
 * upgrade target or (downgrade != 0) a downgrade one: history's
 * "-N:<end>" is "-N" counted down from <end>, as in Alembic. */
MIGC_EXPORT int migc_target_revision_from(const migc_revision **out,
					  const migc_revision **branch_base,
					  const migc_set *set, const char *from,
					  const char *target, int downgrade,
					  migc_error *error);

/* Defined by a runtime built with repeatable revisions (all but one
 * built with MIGC_NO_REPEATABLES, as the firmware image is). A generated
 * set that has repeatables refers to it, so it fails to link against a
 * runtime that would pass over them. */
MIGC_EXPORT extern const char migc_repeatables_runtime;

MIGC_EXPORT const char *migc_result_text(int code);
MIGC_EXPORT const char *migc_version(void);

/* Defined by the runtime; see MIGC_ABI_SYMBOL above. Its value means
 * nothing, its name is the check. */
MIGC_EXPORT extern const char MIGC_ABI_SYMBOL;

#ifdef __cplusplus
}
#endif

#endif /* MIGC_H */
