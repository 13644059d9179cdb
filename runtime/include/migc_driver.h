/* migc_driver.h: what a driver implements, for the runtime core to call:
 * the table of functions over a database (struct migc_driver), the rows
 * it reads and writes, and the helpers every driver shares (the stored
 * downgrade statements' encoding, the version table's naming rules and
 * quoting). A program that only migrates needs migc.h and its driver's
 * header (migc_sqlite.h, migc_postgresql.h), which includes this one. */
#ifndef MIGC_DRIVER_H
#define MIGC_DRIVER_H

#include "migc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 2: migc_history_row.downgrade_done (a "transaction none" downgrade's
 * progress, stored in the history table's downgrade_done column).
 * 3: version_state_read and version_digest_write (the set digest stored
 * beside the version rows, for the one-read boot). The core accepts
 * drivers of version 2, which have neither: their boots take the full
 * path. */
#define MIGC_DRIVER_VERSION 3

/* Called once per version row with the set digest stored beside it (0 when
 * none); return 0 to go on, non-zero to stop early. */
typedef int (*migc_state_fn)(const char *revision, size_t length,
			     uint64_t digest, void *payload);

/* A digest as the signed 64-bit integer databases store (the same 64 bits,
 * two's complement); (uint64_t) of the stored value gives it back. */
static inline int64_t migc_digest_signed(uint64_t digest)
{
	return digest <= (uint64_t)INT64_MAX
		   ? (int64_t)digest
		   : -(int64_t)(UINT64_MAX - digest) - 1;
}

/* Called once per version row; return 0 to go on, non-zero to stop early
 * (the driver still returns MIGC_OK: the payload says why it stopped). */
typedef int (*migc_row_fn)(const char *revision, size_t length, void *payload);

/* One row of the history table, which sits beside the version table (named
 * "<version table>_history") and records, per applied revision, what was
 * applied: its parents, checksum, timing, and its downgrade statements, so
 * an older binary can still step back from a revision it does not know. */
typedef struct migc_history_row {
	const char *revision;
	size_t revision_length;
	const char *parents; /* ids joined by ",", "" for a root */
	size_t parents_length;
	uint64_t checksum;        /* migc_revision.checksum when applied */
	uint32_t statements_done; /* == upgrade_count once complete; less while
				     a "transaction none" revision is partway */
	uint32_t duration_ms;
	/* The revision's MIGC_REVISION_* flags, for history_write to store
	 * with the downgrade statements (migc_downgrade_encode). Rows that
	 * history_read reports need not set it: the core does not read it. */
	uint32_t flags;
	/* Downgrade statements a "transaction none" revision's downgrade has
	 * run, while it is partway (its version rows still say applied); 0
	 * otherwise. The next upgrade or downgrade finishes that downgrade
	 * first, from statement downgrade_done + 1. history_read reports it,
	 * history_write stores it. */
	uint32_t downgrade_done;
} migc_history_row;

/* Called once per history row, as migc_row_fn. */
typedef int (*migc_history_fn)(const migc_history_row *row, void *payload);

/* A database as the runtime sees it. Strings come with explicit lengths.
 * Every function returns MIGC_OK or a negative code and fills `error`,
 * which may be NULL: the core passes on its caller's, NULL included. */
struct migc_driver {
	unsigned version; /* MIGC_DRIVER_VERSION */
	const char *dialect;
	void *context;
	int (*execute)(void *context, const char *sql, size_t length,
		       migc_error *error);
	/* A write transaction: SQLite takes its write lock here. */
	int (*begin)(void *context, migc_error *error);
	int (*commit)(void *context, migc_error *error);
	int (*rollback)(void *context, migc_error *error);
	/* Serialises concurrent runners across one whole operation. */
	int (*lock)(void *context, const char *key, size_t key_length,
		    migc_error *error);
	int (*unlock)(void *context, const char *key, size_t key_length,
		      migc_error *error);
	/* CREATE TABLE IF NOT EXISTS <table> (version_num VARCHAR(32) NOT NULL
	 * PRIMARY KEY). */
	int (*version_table_ensure)(void *context, const char *table,
				    size_t table_length, migc_error *error);
	/* A missing table reads as zero rows. */
	int (*version_rows_read)(void *context, const char *table,
				 size_t table_length, migc_row_fn each,
				 void *payload, migc_error *error);
	int (*version_row_insert)(void *context, const char *table,
				  size_t table_length, const char *revision,
				  size_t revision_length, migc_error *error);
	int (*version_row_delete)(void *context, const char *table,
				  size_t table_length, const char *revision,
				  size_t revision_length, migc_error *error);

	/* History table. `table` is its full name ("<version table>_history",
	 * schema-qualified like the version table when that is). */
	int (*history_ensure)(void *context, const char *table,
			      size_t table_length, migc_error *error);
	/* A missing table reads as zero rows. Rows come in any order: the core
	 * sorts nothing, so the database need not either. */
	int (*history_read)(void *context, const char *table,
			    size_t table_length, migc_history_fn each,
			    void *payload, migc_error *error);
	/* Insert or replace the row for row->revision; applied_at is set by
	 * the database (now). `downgrade` is stored so that the driver can run
	 * it later (history_downgrade) without the set that had it. */
	int (*history_write)(void *context, const char *table,
			     size_t table_length, const migc_history_row *row,
			     const migc_statement *downgrade,
			     uint32_t downgrade_count, migc_error *error);
	int (*history_delete)(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error);
	/* Runs the downgrade statements stored for `revision`, in order, in
	 * the current transaction; for a revision stored with
	 * MIGC_REVISION_NO_TRANSACTION, as the core runs a live one: it
	 * commits the current transaction (the core's reads), runs each
	 * statement outside a transaction, and begins a new transaction for
	 * the caller's version-row changes, on failure too. Returns
	 * MIGC_ESTATEMENT when a statement failed there, after others stayed
	 * applied (the message says so); any other failure leaves nothing
	 * once the caller rolls back. */
	int (*history_downgrade)(void *context, const char *table,
				 size_t table_length, const char *revision,
				 size_t revision_length, migc_error *error);
	/* Optional (NULL: the core deletes `from` and inserts `to`): the
	 * version row `from` becomes `to`, in place (UPDATE ... SET). */
	int (*version_row_update)(void *context, const char *table,
				  size_t table_length, const char *from,
				  size_t from_length, const char *to,
				  size_t to_length, migc_error *error);

	/* Version 3. Both NULL, or both set. */
	/* The boot's one read: every version row and the set digest stored
	 * with it, in one statement that takes no lock and writes nothing,
	 * so it works on a read-only file, a hot standby or a read-only
	 * role. A missing table, or one without the digest column, reads as
	 * zero rows (MIGC_OK): the core then takes the full path, which
	 * makes them. */
	int (*version_state_read)(void *context, const char *table,
				  size_t table_length, migc_state_fn each,
				  void *payload, migc_error *error);
	/* Stores `digest` beside every version row (0: none), in the current
	 * transaction. version_table_ensure makes the column (set_digest, a
	 * 64-bit integer holding migc_digest_signed(digest), or NULL),
	 * adding it to a version table made without it (by an older migc,
	 * or Alembic's own). */
	int (*version_digest_write)(void *context, const char *table,
				    size_t table_length, uint64_t digest,
				    migc_error *error);
};

/* ---- stored downgrade statements (shared by every driver) ----
 *
 * The history table keeps a revision's downgrade statements in one text
 * column (downgrade_sql) as a sequence of netstrings, one per statement, in
 * order, with nothing between them:
 *
 *     <length>:<sql>,
 *
 * <length> is the statement's size in bytes as decimal ASCII digits (no
 * sign, no leading zeros, "0" for an empty statement), then ':', exactly
 * <length> bytes of SQL (any bytes but NUL: commas, colons, digits, newlines
 * need no escaping), then ','. Zero statements encode as "". Example:
 * "DROP TABLE a" and "" encode as "12:DROP TABLE a,0:,".
 *
 * Flags. When the revision has flags (MIGC_REVISION_*) or a statement has
 * (MIGC_STATEMENT_*), the first netstring is a flags entry, whose SQL is
 * exactly this comment:
 *
 *     / * migc:flags <revision flags> <flags 1>,<flags 2>,...,<flags n> * /
 *
 * (shown here, and below, with a space inside each comment marker, which
 * the entry does not have), every number decimal (no sign, no leading
 * zeros), one per statement that follows, so n is the statement count;
 * with no statements it ends after the revision flags. Example, a
 * "transaction none" revision whose one downgrade statement cannot run in
 * a transaction:
 *
 *     20:/ * migc:flags 1 1 * /,42:DROP INDEX CONCURRENTLY events_account_idx,
 *
 * Rows without such an entry (all rows written before it existed, and any
 * revision without flags, which is still written that way byte for byte)
 * have every flag 0. A reader from before the flags entry runs it as a
 * statement that is only a comment, which every dialect accepts, so old
 * builds can still step back from rows new builds write. A revision whose
 * first statement begins with the flags marker always gets a flags entry,
 * so the marker is never mistaken.
 * The helpers below are heap-free; the driver allocates the buffer. */

/* Bytes the encoding of `statements` with `revision_flags` (the
 * migc_revision.flags they belong to) takes, without a terminating NUL. */
MIGC_EXPORT size_t migc_downgrade_encoded_length(
	const migc_statement *statements, uint32_t count,
	uint32_t revision_flags);

/* Writes the encoding into `out` (`capacity` bytes) and NUL-terminates it
 * when there is room for the NUL. `*length` (may be NULL) gets the encoded
 * size without the NUL. MIGC_ELIMIT when `capacity` is smaller than
 * migc_downgrade_encoded_length(). */
MIGC_EXPORT int migc_downgrade_encode(char *out, size_t capacity,
				      size_t *length,
				      const migc_statement *statements,
				      uint32_t count, uint32_t revision_flags,
				      migc_error *error);

/* Reads an encoding with its flags. Fields are private to history.c. */
typedef struct migc_downgrade_reader {
	const char *encoded;
	size_t length;
	size_t offset;	     /* of the next statement's netstring */
	size_t flags_offset; /* of its flags in the flags entry; 0: none */
	uint32_t revision_flags; /* MIGC_REVISION_*; 0 for rows without */
	uint32_t count;		 /* statements */
} migc_downgrade_reader;

/* Checks the whole encoding (every netstring, the flags entry and its
 * count) so a driver refuses a damaged row before running any of it, and
 * fills `reader`: reader->revision_flags and reader->count are then
 * valid. MIGC_EINVAL (error filled) when the text is not a valid
 * encoding. */
MIGC_EXPORT int migc_downgrade_open(migc_downgrade_reader *reader,
				    const char *encoded, size_t encoded_length,
				    migc_error *error);

/* The next statement: *sql / *sql_length (pointing into the encoded text,
 * not NUL-terminated) and *flags (MIGC_STATEMENT_*; may be NULL). Past the
 * last statement *sql is NULL, *sql_length and *flags 0. MIGC_OK, or
 * MIGC_EINVAL without a reader or the outputs. */
MIGC_EXPORT int migc_downgrade_read(const char **sql, size_t *sql_length,
				    uint32_t *flags,
				    migc_downgrade_reader *reader,
				    migc_error *error);

/* The history table's name is the version table's plus this suffix. */
#define MIGC_HISTORY_SUFFIX "_history"
/* Longest version table name, "schema.table" included (63 + 1 + 63). */
#define MIGC_TABLE_NAME_MAX 127

/* MIGC_OK when `table` (`length` bytes) may name the version table on
 * `dialect` ("postgresql", "sqlite"; NULL or another: a driver of one's
 * own); else MIGC_EINVAL, `error` naming the rule broken. Every dialect:
 * "name" or "schema.name", each part one or more ASCII letters, digits or
 * '_', at most MIGC_TABLE_NAME_MAX bytes in all. PostgreSQL: the schema at
 * most 63 bytes, the name at most 51, so that "<name>_history_pkc" (the
 * history table's key) fits its 63-byte names. Another dialect: each part
 * at most 63. The executor and the offline script both check with it. */
MIGC_EXPORT int migc_table_name_check(const char *dialect, const char *table,
				      size_t length, migc_error *error);

/* Writes `table` ("name" or "schema.name", `table_length` bytes, checked
 * by migc_table_name_check()) into `out` as a quoted SQL identifier,
 * "name" or "schema"."name", embedded '"' doubled, NUL-terminated.
 * `*length` (may be NULL) gets the size the full text needs, without the
 * NUL, also when it does not fit: MIGC_ELIMIT then, with `out` holding
 * what fits, still terminated (out may be NULL with capacity 0 to learn
 * the size). */
MIGC_EXPORT int migc_table_quote(char *out, size_t capacity, size_t *length,
				 const char *table, size_t table_length,
				 migc_error *error);

/* history_write's row->duration_ms is this when the driver should measure
 * the duration itself (the core has no clock): the time since the last
 * begin() for a revision that runs in a transaction; for a "transaction
 * none" revision (whose progress rows are written outside any transaction,
 * and whose final row inside a short one) the time since its first
 * progress write in this session. A driver without a clock stores 0. Any
 * other value is stored as given (stamp, accepted checksums). */
#define MIGC_DURATION_MEASURE UINT32_MAX

/* One parser for the numbers migc reads as text: the numbers a database
 * stores (a driver's history columns), and, inside migc, the counts of
 * relative targets ("+N", "-N", "<rev>+N", "<label>@-N", a history
 * range's "-N"). It takes no migc_error: what the number is, and so what
 * to say about it, only the caller knows. Reads all `length` bytes at `text` as
 * digits in `base` (10, or 16 in either case). MIGC_OK and *out when they
 * form a number no larger than `max`; MIGC_EINVAL when the text is empty
 * or holds anything but digits (a sign, a space); MIGC_ELIMIT when the
 * number is larger than `max` (never wrapped). */
MIGC_EXPORT int migc_number_parse(uint64_t *out, const char *text,
				  size_t length, unsigned base, uint64_t max);
/* The largest count a relative target may give. */
#define MIGC_COUNT_MAX 4294967295u

#ifdef __cplusplus
}
#endif

#endif /* MIGC_DRIVER_H */
