/* sqlite.c: the SQLite driver. Wraps a connection the caller opened; writes
 * are serialised by BEGIN IMMEDIATE plus a busy timeout, whole operations
 * by a lock file beside the database (see file_lock). SQL text for the
 * version and history tables is built in stack buffers; stored downgrade
 * text lives in sqlite3_malloc'd memory.
 * Durations in the history come from the VFS clock (see migc_sqlite). */
#if defined(__unix__) || defined(__APPLE__)
#define _DEFAULT_SOURCE /* flock */
#define MIGC_SQLITE_FILE_LOCK 1
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "driver_table.h"
#include "migc_sqlite.h"
#include "migc_text.h"

#include <sqlite3.h>
#include <string.h>

/* Room for the longest statement on the longest (schema.table_history)
 * name, quoted. */
#define SQL_BUFFER_SIZE 1024
#define TABLE_LENGTH_MAX (MIGC_TABLE_NAME_MAX + sizeof MIGC_HISTORY_SUFFIX)

static int fail(migc_error *error, sqlite3 *db, int code, const char *what)
{
	if (error == NULL)
		return code;
	memset(error, 0, sizeof *error);
	error->code = code;
	if (db != NULL) {
		error->driver_code = sqlite3_extended_errcode(db);
		sqlite3_snprintf((int)sizeof error->message, error->message,
				 "%s%s%s", what != NULL ? what : "",
				 what != NULL ? ": " : "", sqlite3_errmsg(db));
	} else {
		sqlite3_snprintf((int)sizeof error->message, error->message,
				 "%s", what);
	}
	return code;
}

static sqlite3 *db_of(void *context)
{
	return ((migc_sqlite *)context)->db;
}

/* Appends the quoted "<name>_pkc", a primary key's name. */
static void sql_add_key(migc_text *text, const char *name, size_t length)
{
	char key[TABLE_LENGTH_MAX + sizeof "_pkc"];
	migc_text joined;

	migc_text_init(&joined, key, sizeof key);
	migc_text_add_n(&joined, name, length);
	migc_text_add(&joined, "_pkc");
	migc_text_add_identifier(text, key, joined.length);
}

/* The part of "schema.table" after the dot (all of it without one). */
static const char *table_part(const char *table, size_t length,
			      size_t *part_length)
{
	const char *dot = memchr(table, '.', length);

	if (dot == NULL) {
		*part_length = length;
		return table;
	}
	*part_length = length - (size_t)(dot + 1 - table);
	return dot + 1;
}

static int check_table(const char *table, size_t table_length,
		       migc_error *error)
{
	if (table == NULL || table_length == 0 ||
	    table_length > TABLE_LENGTH_MAX ||
	    memchr(table, '\0', table_length) != NULL)
		return fail(error, NULL, MIGC_EINVAL,
			    "The version table name must be 1 to 63 "
			    "characters, optionally after 'schema.'; choose "
			    "another name.");
	return MIGC_OK;
}

/* ---- statements kept prepared while the lock is held ---- */

enum prepared_slot {
	PREPARED_BEGIN,
	PREPARED_COMMIT,
	PREPARED_VERSION_READ,
	PREPARED_VERSION_INSERT,
	PREPARED_VERSION_DELETE,
	PREPARED_VERSION_UPDATE,
	PREPARED_HISTORY_WRITE,
	PREPARED_HISTORY_DELETE,
	PREPARED_NONE /* prepared for one use */
};

/* `sql` prepared in *statement: under the lock, the one kept in `slot`
 * when it is that text (the core passes the same tables all along), reset
 * and unbound; otherwise prepared anew and, under the lock, kept there. */
static int statement_prepare(migc_sqlite *state, enum prepared_slot slot,
			     const char *sql, sqlite3_stmt **statement)
{
	sqlite3_stmt **kept = state->locked && slot != PREPARED_NONE
				  ? &state->prepared[slot]
				  : NULL;

	if (kept != NULL && *kept != NULL) {
		if (strcmp(sqlite3_sql(*kept), sql) == 0) {
			sqlite3_reset(*kept);
			sqlite3_clear_bindings(*kept);
			*statement = *kept;
			return SQLITE_OK;
		}
		sqlite3_finalize(*kept);
		*kept = NULL;
	}
	if (sqlite3_prepare_v2(state->db, sql, -1, statement, NULL) !=
	    SQLITE_OK)
		return SQLITE_ERROR;
	if (kept != NULL)
		*kept = *statement;
	return SQLITE_OK;
}

/* Ends a use of `statement`: `rc` is its last sqlite3_step's, or
 * SQLITE_DONE when the caller stopped reading; `what` names the work for
 * messages. A kept statement is reset (its tables unlocked), any other
 * finalized. */
static int statement_end(migc_sqlite *state, sqlite3_stmt *statement, int rc,
			 const char *what, migc_error *error)
{
	size_t i;

	if (rc != SQLITE_DONE)
		fail(error, state->db, MIGC_EDRIVER, what);
	for (i = 0; i < PREPARED_NONE; i++) {
		if (state->prepared[i] == statement)
			break;
	}
	if (i < PREPARED_NONE && state->locked) {
		sqlite3_reset(statement);
		sqlite3_clear_bindings(statement);
	} else {
		sqlite3_finalize(statement);
	}
	return rc == SQLITE_DONE ? MIGC_OK : MIGC_EDRIVER;
}

/* Runs one statement of the driver's own with no rows to read. */
static int run_kept(migc_sqlite *state, enum prepared_slot slot,
		    const char *sql, const char *what, migc_error *error)
{
	sqlite3_stmt *statement = NULL;

	if (statement_prepare(state, slot, sql, &statement) != SQLITE_OK)
		return fail(error, state->db, MIGC_EDRIVER, what);
	return statement_end(state, statement, sqlite3_step(statement), what,
			     error);
}

/* Finalizes what the lock kept and forgets the checked tables. */
static void kept_release(migc_sqlite *state)
{
	size_t i;

	for (i = 0; i < sizeof state->prepared / sizeof state->prepared[0];
	     i++) {
		sqlite3_finalize(state->prepared[i]);
		state->prepared[i] = NULL;
	}
	state->known[0][0] = '\0';
	state->known[1][0] = '\0';
	state->known_pending = 0;
	state->locked = 0;
}

/* Which of the known tables `table` is (0 or 1), or -1. */
static int known_table(const migc_sqlite *state, const char *table,
		       size_t length)
{
	int k;

	if (!state->locked)
		return -1;
	for (k = 0; k < 2; k++) {
		if (strlen(state->known[k]) == length &&
		    memcmp(state->known[k], table, length) == 0)
			return k;
	}
	return -1;
}

/* Remembers under the lock that `table` is there and as migc writes it. */
static void known_add(migc_sqlite *state, const char *table, size_t length)
{
	int k = state->known[0][0] == '\0' ? 0 : 1;

	if (!state->locked || length >= sizeof state->known[0] ||
	    known_table(state, table, length) >= 0)
		return;
	memcpy(state->known[k], table, length);
	state->known[k][length] = '\0';
	state->known_pending |= 1u << k;
}

/* "<before><quoted table><after>", refusing names that cannot be right. */
static int table_sql(char *out, size_t size, const char *before,
		     const char *table, size_t table_length, const char *after,
		     migc_error *error)
{
	migc_text text;
	int rc = check_table(table, table_length, error);

	if (rc != MIGC_OK)
		return rc;
	migc_text_init(&text, out, size);
	migc_text_add(&text, before);
	migc_text_add_table(&text, table, table_length);
	migc_text_add(&text, after);
	if (text.needed > text.length)
		return fail(error, NULL, MIGC_ELIMIT,
			    "SQL text for the version table too long");
	return MIGC_OK;
}

/* The text of a prepared statement for a message: without the spaces
 * and ';' around it, cut to `max` bytes. */
static const char *statement_text(sqlite3_stmt *statement, int *length, int max)
{
	const char *text = sqlite3_sql(statement);
	int n;

	if (text == NULL)
		text = "";
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	n = (int)strlen(text);
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == ';' ||
			 text[n - 1] == '\t' || text[n - 1] == '\n' ||
			 text[n - 1] == '\r'))
		n--;
	*length = n > max ? max : n;
	return text;
}

/* A statement of a revision opened or ended a transaction. Transactions
 * are migc's: what the core does next (record the revision, commit) would
 * otherwise land outside the transaction it thinks it is in. The core
 * adds nothing to this message, so it says what stays. */
static int transaction_changed(sqlite3 *db, sqlite3_stmt *statement,
			       int was_open, migc_error *error)
{
	int length = 0;
	const char *text = statement_text(statement, &length, 80);

	if (error != NULL) {
		memset(error, 0, sizeof *error);
		error->code = MIGC_ETRANSACTION;
		sqlite3_snprintf(
			(int)sizeof error->message, error->message,
			"'%.*s%s' %s; transaction control belongs to migc: "
			"remove BEGIN, COMMIT, END, ROLLBACK and savepoints "
			"from the revision. It is not recorded as applied; %s",
			length, text, length == 80 ? "..." : "",
			was_open ? "ended the transaction migc runs the "
				   "revision in"
				 : "opened a transaction where migc runs the "
				   "statement outside one (migc rolled it back)",
			was_open ? "what ran before it stays committed after "
				   "a COMMIT or END, and was undone by a "
				   "ROLLBACK: check the database before running "
				   "again"
				 : "check the database before running again");
	}
	sqlite3_finalize(statement);
	if (!was_open && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return MIGC_ETRANSACTION;
}

/* Runs every statement in `sql` to completion, ignoring rows. With
 * `guarded` (a revision's statements), each must leave the connection in
 * or out of a transaction as it found it. */
static int run_sql(sqlite3 *db, const char *sql, size_t length, int guarded,
		   migc_error *error)
{
	const char *end = sql + length;
	int was_open = !sqlite3_get_autocommit(db);

	while (sql < end) {
		sqlite3_stmt *statement = NULL;
		const char *tail = NULL;
		int rc;

		if (end - sql > 0x7fffffff)
			return fail(error, NULL, MIGC_EINVAL,
				    "statement longer than 2 GiB");
		rc = sqlite3_prepare_v2(db, sql, (int)(end - sql), &statement,
					&tail);
		if (rc != SQLITE_OK)
			return fail(error, db, MIGC_EDRIVER, NULL);
		if (statement == NULL) /* only whitespace or comments left */
			break;
		do {
			rc = sqlite3_step(statement);
		} while (rc == SQLITE_ROW);
		if (rc != SQLITE_DONE) {
			fail(error, db, MIGC_EDRIVER, NULL);
			sqlite3_finalize(statement);
			return MIGC_EDRIVER;
		}
		if (guarded && was_open == sqlite3_get_autocommit(db))
			return transaction_changed(db, statement, was_open,
						   error);
		sqlite3_finalize(statement);
		sql = tail;
	}
	return MIGC_OK;
}

/* The driver's execute: a revision's statement. */
static int execute(void *context, const char *sql, size_t length,
		   migc_error *error)
{
	return run_sql(db_of(context), sql, length, 1, error);
}

static int exec_literal(void *context, const char *sql, migc_error *error)
{
	return run_sql(db_of(context), sql, strlen(sql), 0, error);
}

/* Milliseconds since the Julian epoch, from SQLite's own VFS clock. */
static int64_t clock_now_ms(void)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	sqlite3_int64 now = 0;
	double days = 0;

	if (vfs == NULL)
		return 0;
	if (vfs->iVersion >= 2 && vfs->xCurrentTimeInt64 != NULL &&
	    vfs->xCurrentTimeInt64(vfs, &now) == SQLITE_OK)
		return (int64_t)now;
	if (vfs->xCurrentTime != NULL &&
	    vfs->xCurrentTime(vfs, &days) == SQLITE_OK)
		return (int64_t)(days * 86400000.0);
	return 0;
}

static int begin(void *context, migc_error *error)
{
	migc_sqlite *state = context;

	if (!state->clock_untransacted)
		state->clock_start_ms = clock_now_ms();
	return run_kept(state, PREPARED_BEGIN, "BEGIN IMMEDIATE", NULL, error);
}

static int commit(void *context, migc_error *error)
{
	migc_sqlite *state = context;
	int rc;

	/* Nothing open: something other than migc ended the transaction. */
	if (sqlite3_get_autocommit(db_of(context)))
		return fail(error, NULL, MIGC_ETRANSACTION,
			    "no transaction was open to commit: a statement "
			    "ended the transaction migc opened; transaction "
			    "control belongs to migc");
	rc = run_kept(state, PREPARED_COMMIT, "COMMIT", NULL, error);
	if (rc == MIGC_OK)
		state->known_pending = 0;
	return rc;
}

static int rollback(void *context, migc_error *error)
{
	migc_sqlite *state = context;
	int k;

	/* Tables checked in the transaction may be gone with it. */
	for (k = 0; k < 2; k++) {
		if (state->known_pending & (1u << k))
			state->known[k][0] = '\0';
	}
	state->known_pending = 0;
	if (sqlite3_get_autocommit(db_of(context)))
		return MIGC_OK; /* SQLite already rolled back */
	return exec_literal(context, "ROLLBACK", error);
}

#ifdef MIGC_SQLITE_FILE_LOCK
/* The lock file's errors name it and give the system's reason (`number`,
 * an errno; 0 for a file that is not a regular one). */
static int lock_failed(migc_error *error, const char *doing, const char *path,
		       int number)
{
	struct stat link;

	if (error == NULL)
		return MIGC_ELOCK;
	memset(error, 0, sizeof *error);
	error->code = MIGC_ELOCK;
	if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode))
		sqlite3_snprintf((int)sizeof error->message, error->message,
				 "The migration lock file '%s' is a symbolic "
				 "link; migc does not follow one there (it "
				 "would create or lock a file wherever it "
				 "points). Remove the link; migc creates the "
				 "file itself.",
				 path);
	else if (number == 0)
		sqlite3_snprintf((int)sizeof error->message, error->message,
				 "The migration lock file '%s' is not a "
				 "regular file; remove it, migc creates the "
				 "file itself.",
				 path);
	else
		sqlite3_snprintf((int)sizeof error->message, error->message,
				 "cannot %s the migration lock file '%s': %s",
				 doing, path, strerror(number));
	return MIGC_ELOCK;
}

static int lock_timed_out(migc_error *error, const char *path, int timeout_ms)
{
	if (error == NULL)
		return MIGC_ELOCK;
	memset(error, 0, sizeof *error);
	error->code = MIGC_ELOCK;
	sqlite3_snprintf((int)sizeof error->message, error->message,
			 "another runner held the migration lock (the file "
			 "'%s') longer than the busy timeout (%d ms); wait "
			 "for it to finish, or give a longer timeout",
			 path, timeout_ms);
	return MIGC_ELOCK;
}

/* BEGIN IMMEDIATE serialises transactions, but a "transaction none"
 * revision runs between them; a lock file held for the whole operation
 * keeps other runners out. flock() belongs to the open file, so threads
 * with their own connections exclude each other too, and a crashed runner
 * releases it. The file is removed on unlock; a waiter that locked a file
 * already removed tries again. O_NOFOLLOW: a link planted under that
 * name must not make migc create or lock a file elsewhere. */
static int file_lock(void *context, const char *key, size_t key_length,
		     migc_error *error)
{
	migc_sqlite *state = context;
	const char *file = sqlite3_db_filename(state->db, "main");
	char path[4096];
	int waited_ms = 0;

	(void)key;
	(void)key_length;
	if (file == NULL || file[0] == '\0' || state->lock_fd >= 0) {
		state->locked = 1;
		return MIGC_OK; /* in memory: one connection only */
	}
	if (strlen(file) + sizeof "-migc-lock" > sizeof path)
		return lock_failed(error, "make a path for", file,
				   ENAMETOOLONG);
	sqlite3_snprintf((int)sizeof path, path, "%s-migc-lock", file);
	for (;;) {
		struct stat opened;
		struct stat named;
		int fd =
		    open(path,
			 O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
			 0644);
		int number;

		if (fd < 0)
			return lock_failed(error, "open", path, errno);
		if (fstat(fd, &opened) != 0) {
			number = errno;
			close(fd);
			return lock_failed(error, "examine", path, number);
		}
		if (!S_ISREG(opened.st_mode)) {
			close(fd);
			return lock_failed(error, "use", path, 0);
		}
		while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			number = errno;
			if (number != EWOULDBLOCK && number != EINTR) {
				close(fd);
				return lock_failed(error, "lock", path, number);
			}
			if (waited_ms >= state->busy_timeout_ms) {
				close(fd);
				return lock_timed_out(error, path,
						      state->busy_timeout_ms);
			}
			sqlite3_sleep(10);
			waited_ms += 10;
		}
		if (lstat(path, &named) == 0 && opened.st_ino == named.st_ino &&
		    opened.st_dev == named.st_dev) {
			state->lock_fd = fd;
			state->locked = 1;
			return MIGC_OK;
		}
		close(fd); /* removed by its previous holder: again */
	}
}

static int file_unlock(void *context, const char *key, size_t key_length,
		       migc_error *error)
{
	migc_sqlite *state = context;
	const char *file = sqlite3_db_filename(state->db, "main");
	char path[4096];

	(void)key;
	(void)key_length;
	(void)error;
	kept_release(state);
	if (state->lock_fd < 0)
		return MIGC_OK;
	if (file != NULL && file[0] != '\0') {
		sqlite3_snprintf((int)sizeof path, path, "%s-migc-lock", file);
		unlink(path);
	}
	close(state->lock_fd);
	state->lock_fd = -1;
	return MIGC_OK;
}
#else
static int file_lock(void *context, const char *key, size_t key_length,
		     migc_error *error)
{
	(void)key;
	(void)key_length;
	(void)error;
	((migc_sqlite *)context)->locked = 1;
	return MIGC_OK;
}

static int file_unlock(void *context, const char *key, size_t key_length,
		       migc_error *error)
{
	(void)key;
	(void)key_length;
	(void)error;
	kept_release(context);
	return MIGC_OK;
}
#endif

static const char *const version_columns[] = {"version_num", "set_digest",
					       NULL};

static int table_check(migc_sqlite *state, const char *table,
		       size_t table_length,
		       const char *const *columns, const char *what,
		       int *exists, int *tail_missing, migc_error *error);

static int version_table_ensure(void *context, const char *table,
				size_t table_length, migc_error *error)
{
	char sql[SQL_BUFFER_SIZE];
	migc_text text;
	size_t part_length;
	const char *part;
	int exists = 0;
	int old_table = 0;
	int rc = check_table(table, table_length, error);

	if (rc != MIGC_OK || known_table(context, table, table_length) >= 0)
		return rc;
	part = table_part(table, table_length, &part_length);
	migc_text_init(&text, sql, sizeof sql);
	migc_text_add(&text, "CREATE TABLE IF NOT EXISTS ");
	migc_text_add_table(&text, table, table_length);
	migc_text_add(&text, " (version_num VARCHAR(32) NOT NULL, "
			     "set_digest INTEGER, CONSTRAINT ");
	sql_add_key(&text, part, part_length);
	migc_text_add(&text, " PRIMARY KEY (version_num))");
	if (text.needed > text.length)
		return fail(error, NULL, MIGC_ELIMIT,
			    "SQL text for the version table too long");
	rc = exec_literal(context, sql, error);
	if (rc == MIGC_OK)
		rc = table_check(context, table, table_length,
				 version_columns, "version table", &exists,
				 &old_table, error);
	if (rc != MIGC_OK || !old_table)
		return rc;
	/* A version table an older migc (or Alembic) made gains the
	 * column; Alembic reads and writes only version_num. */
	rc = table_sql(sql, sizeof sql, "ALTER TABLE ", table, table_length,
		       " ADD COLUMN set_digest INTEGER", error);
	return rc == MIGC_OK ? exec_literal(context, sql, error) : rc;
}
static const char *const history_columns[] = {
    "version_num", "parents",	      "checksum",      "applied_at",
    "duration_ms", "statements_done", "downgrade_sql", "downgrade_done",
    NULL};

/* `table` is something other than the table migc writes there: `found`
 * ("a view", "an index"), or a table with the columns `actual`. */
static int table_refused(const char *table, size_t table_length,
			 const char *what, const char *found,
			 const char *const *columns, const char *actual,
			 migc_error *error)
{
	char expected[160];
	migc_text text;
	size_t i;

	migc_text_init(&text, expected, sizeof expected);
	for (i = 0; columns[i] != NULL; i++) {
		migc_text_add(&text, i > 0 ? ", " : "");
		migc_text_add(&text, columns[i]);
	}
	if (error == NULL)
		return MIGC_EDRIVER;
	memset(error, 0, sizeof *error);
	error->code = MIGC_EDRIVER;
	if (found != NULL)
		sqlite3_snprintf((int)sizeof error->message, error->message,
				 "'%.*s' is %s; migc's %s must be a table "
				 "(columns %s). Drop or rename it, or choose "
				 "another version table name "
				 "(--version-table).",
				 (int)table_length, table, found, what,
				 expected);
	else
		sqlite3_snprintf(
		    (int)sizeof error->message, error->message,
		    "The table '%.*s' is not a migc %s: its "
		    "columns are (%s), a migc %s has exactly (%s). "
		    "Choose another version table name "
		    "(--version-table), or rename that table.",
		    (int)table_length, table, what, actual, what, expected);
	return MIGC_EDRIVER;
}

/* Looks `table` up as SQLite resolves names (ASCII case-insensitively) in
 * its schema's own catalogue ("schema".sqlite_master). *exists is 0 when
 * nothing has that name; a view, an index, or a table whose columns are
 * not exactly `columns` is refused, saying what was found. With
 * `tail_missing`, the last column may be missing (a table an older migc
 * made), and *tail_missing says whether it is. */
/* What table_check saw of the objects named like the table. */
struct table_seen {
	int exists;
	const char *found; /* "a view", "an index", or NULL */
	unsigned seen;	   /* bit i: columns[i]; bit 31: another column */
	migc_text actual;  /* the table's columns, for messages */
	const char *const *columns;
};

/* One object named like the table (`type`) and, for a table, one of its
 * columns (NULL for none). */
static void table_seen_row(struct table_seen *t, const char *type,
			   const char *column)
{
	size_t i;

	t->exists = 1;
	if (type == NULL || strcmp(type, "table") != 0) {
		t->found = type != NULL && strcmp(type, "view") == 0
			       ? "a view"
			       : "an index";
		return;
	}
	if (column == NULL)
		return;
	for (i = 0; t->columns[i] != NULL; i++) {
		if (sqlite3_stricmp(column, t->columns[i]) == 0)
			break;
	}
	t->seen |= t->columns[i] != NULL ? 1u << i : 1u << 31;
	migc_text_add(&t->actual, t->actual.length > 0 ? ", " : "");
	migc_text_add(&t->actual, column);
}

/* Runs `sql` (the table's name bound to ?1, its schema to ?2 where the
 * statement has them) and hands each row's type (column 0, or `type` for
 * a PRAGMA's rows) and column name (column `name_column`) to
 * table_seen_row. */
static int table_seen_read(migc_sqlite *state, const char *sql,
			   const char *table, size_t table_length,
			   const char *type, int name_column,
			   struct table_seen *t, migc_error *error)
{
	sqlite3_stmt *statement = NULL;
	size_t part_length;
	const char *part = table_part(table, table_length, &part_length);
	int rc = sqlite3_prepare_v2(state->db, sql, -1, &statement, NULL);

	if (rc != SQLITE_OK)
		return fail(error, state->db, MIGC_EDRIVER,
			    "reading the version table");
	if (sqlite3_bind_parameter_count(statement) >= 1)
		sqlite3_bind_text(statement, 1, part, (int)part_length,
				  SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(statement) >= 2)
		sqlite3_bind_text(statement, 2,
				  part != table ? table : "main",
				  part != table ? (int)(part - 1 - table) : 4,
				  SQLITE_STATIC);
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
		table_seen_row(
		    t,
		    type != NULL ? type
				 : (const char *)sqlite3_column_text(statement, 0),
		    (const char *)sqlite3_column_text(statement, name_column));
	return statement_end(state, statement, rc,
			     "reading the version table", error);
}

/* Reads the objects named like the table and the table's columns: in one
 * statement with pragma_table_info where the SQLite linked has it (3.16
 * and later), else from sqlite_master and then PRAGMA table_info. */
static int table_seen_all(migc_sqlite *state, const char *table,
			  size_t table_length, struct table_seen *t,
			  migc_error *error)
{
	char sql[SQL_BUFFER_SIZE];
	migc_text text;
	size_t part_length;
	const char *part = table_part(table, table_length, &part_length);
	int modern = sqlite3_libversion_number() >= 3016000;
	int rc;

	migc_text_init(&text, sql, sizeof sql);
	migc_text_add(&text, modern ? "SELECT m.type, p.name FROM "
				    : "SELECT m.type, NULL FROM ");
	if (part != table) {
		migc_text_add_identifier(&text, table,
					 (size_t)(part - 1 - table));
		migc_text_add(&text, ".");
	}
	migc_text_add(&text, modern ? "sqlite_master AS m LEFT JOIN "
				      "pragma_table_info(m.name, ?2) AS p"
				    : "sqlite_master AS m");
	migc_text_add(&text, " WHERE m.name = ?1 COLLATE NOCASE AND m.type "
			     "IN ('table', 'view', 'index')");
	rc = table_seen_read(state, sql, table, table_length, NULL, 1, t,
			     error);
	if (rc != MIGC_OK || modern || !t->exists || t->found != NULL)
		return rc;
	migc_text_init(&text, sql, sizeof sql);
	migc_text_add(&text, "PRAGMA ");
	if (part != table) {
		migc_text_add_identifier(&text, table,
					 (size_t)(part - 1 - table));
		migc_text_add(&text, ".");
	}
	migc_text_add(&text, "table_info(");
	migc_text_add_identifier(&text, part, part_length);
	migc_text_add(&text, ")");
	return table_seen_read(state, sql, table, table_length, "table", 1, t,
			       error);
}

static int table_check(migc_sqlite *state, const char *table,
		       size_t table_length, const char *const *columns,
		       const char *what, int *exists, int *tail_missing,
		       migc_error *error)
{
	char actual[256];
	struct table_seen t;
	size_t count;
	int rc = check_table(table, table_length, error);

	*exists = 0;
	if (rc != MIGC_OK)
		return rc;
	if (known_table(state, table, table_length) >= 0) {
		*exists = 1;
		if (tail_missing != NULL)
			*tail_missing = 0;
		return MIGC_OK;
	}
	memset(&t, 0, sizeof t);
	t.columns = columns;
	migc_text_init(&t.actual, actual, sizeof actual);
	rc = table_seen_all(state, table, table_length, &t, error);
	if (rc != MIGC_OK)
		return rc;
	*exists = t.exists;
	for (count = 0; columns[count] != NULL; count++)
		;
	/* Exactly the columns: each seen, no other (bit 31). */
	if (tail_missing != NULL)
		*tail_missing = t.exists && t.found == NULL &&
				t.seen == (1u << (count - 1)) - 1;
	if (t.exists && (t.found != NULL || t.seen != (1u << count) - 1) &&
	    (tail_missing == NULL || !*tail_missing))
		return table_refused(table, table_length, what, t.found,
				     columns, actual, error);
	if (t.exists && (tail_missing == NULL || !*tail_missing))
		known_add(state, table, table_length);
	return MIGC_OK;
}

/* Prepares `select` `table` `order` on a table table_check accepts;
 * *statement stays NULL when there is none. `old_select` reads a table an
 * older migc made (its last column missing); NULL where there is none.
 * `reading` names the work for messages. */
static int table_query(migc_sqlite *state, enum prepared_slot slot,
		       const char *table, size_t table_length,
		       const char *const *columns, const char *what,
		       const char *select, const char *old_select,
		       const char *order, const char *reading,
		       sqlite3_stmt **statement, migc_error *error)
{
	char sql[SQL_BUFFER_SIZE];
	int exists = 0;
	int old_table = 0;
	int rc = table_check(state, table, table_length, columns, what, &exists,
			     old_select != NULL ? &old_table : NULL, error);

	*statement = NULL;
	if (rc != MIGC_OK || !exists)
		return rc;
	rc = table_sql(sql, sizeof sql, old_table ? old_select : select, table,
		       table_length, order, error);
	if (rc != MIGC_OK)
		return rc;
	if (statement_prepare(state, slot, sql, statement) != SQLITE_OK)
		return fail(error, state->db, MIGC_EDRIVER, reading);
	return MIGC_OK;
}

static int version_rows_read(void *context, const char *table,
			     size_t table_length, migc_row_fn each,
			     void *payload, migc_error *error)
{
	static const char reading[] = "reading the version table";
	migc_sqlite *state = context;
	sqlite3_stmt *statement = NULL;
	/* A table from before set_digest reads the same. */
	int rc = table_query(state, PREPARED_VERSION_READ, table, table_length,
			     version_columns, "version table",
			     "SELECT version_num FROM ",
			     "SELECT version_num FROM ", "", reading,
			     &statement, error);

	if (rc != MIGC_OK || statement == NULL)
		return rc;
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		const char *revision =
			(const char *)sqlite3_column_text(statement, 0);
		int length = sqlite3_column_bytes(statement, 0);

		if (revision == NULL)
			continue;
		if (each(revision, (size_t)length, payload) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return statement_end(state, statement, rc, reading, error);
}

/* Runs `before` table `after` with `revision` as ?1 and, when not NULL,
 * `other` as ?2. */
static int row_change(void *context, enum prepared_slot slot,
		      const char *before, const char *after, const char *table,
		      size_t table_length, const char *revision,
		      size_t revision_length, const char *other,
		      size_t other_length, migc_error *error)
{
	migc_sqlite *state = context;
	sqlite3_stmt *statement = NULL;
	char sql[SQL_BUFFER_SIZE];
	int rc = table_sql(sql, sizeof sql, before, table, table_length, after,
			   error);

	if (rc != MIGC_OK)
		return rc;
	if (revision_length > MIGC_REVISION_ID_MAX ||
	    other_length > MIGC_REVISION_ID_MAX)
		return fail(error, NULL, MIGC_EINVAL,
			    "revision id longer than 32 characters");
	if (statement_prepare(state, slot, sql, &statement) != SQLITE_OK)
		return fail(error, state->db, MIGC_EDRIVER,
			    "updating the version table");
	sqlite3_bind_text(statement, 1, revision, (int)revision_length,
			  SQLITE_STATIC);
	if (other != NULL)
		sqlite3_bind_text(statement, 2, other, (int)other_length,
				  SQLITE_STATIC);
	return statement_end(state, statement, sqlite3_step(statement),
			     "updating the version table", error);
}

static int version_row_insert(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error)
{
	return row_change(context, PREPARED_VERSION_INSERT, "INSERT INTO ",
			  " (version_num) VALUES (?1)", table, table_length,
			  revision, revision_length, NULL, 0, error);
}

static int version_row_delete(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error)
{
	return row_change(context, PREPARED_VERSION_DELETE, "DELETE FROM ",
			  " WHERE version_num = ?1", table, table_length,
			  revision, revision_length, NULL, 0, error);
}

static int version_row_update(void *context, const char *table,
			      size_t table_length, const char *from,
			      size_t from_length, const char *to,
			      size_t to_length, migc_error *error)
{
	return row_change(context, PREPARED_VERSION_UPDATE, "UPDATE ",
			  " SET version_num = ?2 WHERE version_num = ?1", table,
			  table_length, from, from_length, to, to_length,
			  error);
}

/* ---- history table ---- */

static int history_ensure(void *context, const char *table,
			  size_t table_length, migc_error *error)
{
	char sql[SQL_BUFFER_SIZE];
	int exists = 0;
	int old_table = 0;
	int rc = table_sql(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS ",
			   table, table_length,
			   " (version_num VARCHAR(32) NOT NULL PRIMARY KEY, "
			   "parents TEXT NOT NULL, "
			   "checksum VARCHAR(16) NOT NULL, "
			   "applied_at TIMESTAMP NOT NULL DEFAULT "
			   "CURRENT_TIMESTAMP, "
			   "duration_ms INTEGER NOT NULL, "
			   "statements_done INTEGER NOT NULL, "
			   "downgrade_sql TEXT NOT NULL, "
			   "downgrade_done INTEGER NOT NULL DEFAULT 0)",
			   error);

	if (rc != MIGC_OK || known_table(context, table, table_length) >= 0)
		return rc;
	rc = exec_literal(context, sql, error);
	if (rc == MIGC_OK)
		rc = table_check(context, table, table_length, history_columns,
				 "history table", &exists, &old_table, error);
	if (rc != MIGC_OK || !old_table)
		return rc;
	/* A history table an older migc made gains the column. */
	rc = table_sql(sql, sizeof sql, "ALTER TABLE ", table, table_length,
		       " ADD COLUMN downgrade_done INTEGER NOT NULL DEFAULT 0",
		       error);
	return rc == MIGC_OK ? exec_literal(context, sql, error) : rc;
}

/* A stored number (see migc_number_parse): `digits` of them exactly when
 * not 0. 0 when the column holds anything else. */
static int stored_number(sqlite3_stmt *statement, int column, unsigned base,
			 size_t digits, uint64_t max, uint64_t *out)
{
	const char *text = (const char *)sqlite3_column_text(statement, column);
	size_t length = (size_t)sqlite3_column_bytes(statement, column);

	if (text == NULL || (digits != 0 && length != digits))
		return 0;
	return migc_number_parse(out, text, length, base, max) == MIGC_OK;
}

/* A history row holding what migc never writes there. Formatted while
 * the statement still owns the row's texts; finalizes it. */
static int corrupt_row(sqlite3_stmt *statement, const char *table,
		       size_t table_length, int column, const char *expected,
		       migc_error *error)
{
	const char *revision = (const char *)sqlite3_column_text(statement, 0);
	int revision_length = sqlite3_column_bytes(statement, 0);
	const char *value =
	    (const char *)sqlite3_column_text(statement, column);
	int value_length = sqlite3_column_bytes(statement, column);

	if (error != NULL) {
		memset(error, 0, sizeof *error);
		error->code = MIGC_EDRIVER;
		sqlite3_snprintf(
		    (int)sizeof error->message, error->message,
		    "The history table '%.*s' has a corrupt row for "
		    "revision %.*s%s: %s is %s%.*s%s%s, not %s. Fix or "
		    "delete the row (migc writes it when it applies the "
		    "revision).",
		    (int)table_length, table,
		    revision_length > 64 ? 64 : revision_length, revision,
		    revision_length > 64 ? "..." : "",
		    sqlite3_column_name(statement, column),
		    value != NULL ? "'" : "",
		    value_length > 40 ? 40 : value_length,
		    value != NULL ? value : "NULL",
		    value_length > 40 ? "..." : "", value != NULL ? "'" : "",
		    expected);
	}
	sqlite3_finalize(statement);
	return MIGC_EDRIVER;
}

static int history_read(void *context, const char *table,
			size_t table_length, migc_history_fn each,
			void *payload, migc_error *error)
{
	static const char reading[] = "reading the history table";
	migc_sqlite *state = context;
	sqlite3_stmt *statement = NULL;
	/* A table from before downgrade_done reads as nothing partway. */
	int rc = table_query(
	    state, PREPARED_NONE, table, table_length, history_columns,
	    "history table",
	    "SELECT version_num, parents, checksum, "
	    "statements_done, duration_ms, downgrade_done FROM ",
	    "SELECT version_num, parents, checksum, "
	    "statements_done, duration_ms, 0 FROM ",
	    "", reading, &statement, error);

	if (rc != MIGC_OK || statement == NULL)
		return rc;
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		migc_history_row row;
		uint64_t statements_done = 0;
		uint64_t duration_ms = 0;
		uint64_t downgrade_done = 0;

		row.revision = (const char *)sqlite3_column_text(statement, 0);
		row.revision_length = (size_t)sqlite3_column_bytes(statement, 0);
		row.parents = (const char *)sqlite3_column_text(statement, 1);
		row.parents_length = (size_t)sqlite3_column_bytes(statement, 1);
		if (row.revision == NULL)
			continue;
		if (row.parents == NULL)
			row.parents = "";
		if (!stored_number(statement, 2, 16, 16, UINT64_MAX,
				   &row.checksum))
			return corrupt_row(statement, table, table_length, 2,
					   "16 hex digits", error);
		if (!stored_number(statement, 3, 10, 0, UINT32_MAX,
				   &statements_done))
			return corrupt_row(statement, table, table_length, 3,
					   "a count from 0 to 4294967295",
					   error);
		if (!stored_number(statement, 4, 10, 0, UINT32_MAX,
				   &duration_ms))
			return corrupt_row(statement, table, table_length, 4,
					   "a count from 0 to 4294967295",
					   error);
		if (!stored_number(statement, 5, 10, 0, UINT32_MAX,
				   &downgrade_done))
			return corrupt_row(statement, table, table_length, 5,
					   "a count from 0 to 4294967295",
					   error);
		row.statements_done = (uint32_t)statements_done;
		row.duration_ms = (uint32_t)duration_ms;
		row.downgrade_done = (uint32_t)downgrade_done;
		row.flags = 0;
		if (each(&row, payload) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	return statement_end(state, statement, rc, reading, error);
}

/* See MIGC_DURATION_MEASURE in migc.h. */
static uint32_t measured_duration(migc_sqlite *state, sqlite3 *db)
{
	int64_t elapsed;

	if (sqlite3_get_autocommit(db)) {
		/* A "transaction none" progress row: its first one starts
		 * the clock. */
		if (!state->clock_untransacted) {
			state->clock_untransacted = 1;
			state->clock_start_ms = clock_now_ms();
		}
	} else {
		state->clock_untransacted = 0;
	}
	elapsed = clock_now_ms() - state->clock_start_ms;
	if (elapsed < 0)
		return 0;
	return elapsed > (int64_t)UINT32_MAX - 1 ? UINT32_MAX - 1
						 : (uint32_t)elapsed;
}

static int history_write(void *context, const char *table,
			 size_t table_length, const migc_history_row *row,
			 const migc_statement *downgrade,
			 uint32_t downgrade_count, migc_error *error)
{
	migc_sqlite *state = context;
	sqlite3 *db = state->db;
	sqlite3_stmt *statement = NULL;
	char sql[SQL_BUFFER_SIZE];
	char checksum[17];
	size_t length = migc_downgrade_encoded_length(
		downgrade, downgrade_count, row != NULL ? row->flags : 0);
	char *encoded;
	uint32_t duration;
	int i;
	int rc = table_sql(sql, sizeof sql, "INSERT OR REPLACE INTO ", table,
			   table_length,
			   " (version_num, parents, checksum, applied_at, "
			   "duration_ms, statements_done, downgrade_sql, "
			   "downgrade_done) "
			   "VALUES (?1, ?2, ?3, CURRENT_TIMESTAMP, ?4, ?5, ?6, "
			   "?7)",
			   error);

	if (rc != MIGC_OK)
		return rc;
	if (row == NULL || row->revision_length > MIGC_REVISION_ID_MAX ||
	    length > 0x7ffffffe)
		return fail(error, NULL, MIGC_EINVAL,
			    "history row missing, its revision id longer than "
			    "32 characters or its downgrade over 2 GiB");
	encoded = sqlite3_malloc64(length + 1);
	if (encoded == NULL)
		return fail(error, NULL, MIGC_EDRIVER,
			    "out of memory encoding the downgrade statements");
	rc = migc_downgrade_encode(encoded, length + 1, NULL, downgrade,
				   downgrade_count, row->flags, error);
	if (rc != MIGC_OK) {
		sqlite3_free(encoded);
		return rc;
	}
	for (i = 15; i >= 0; i--)
		checksum[15 - i] =
			"0123456789abcdef"[(row->checksum >> (4 * i)) & 0xfu];
	checksum[16] = '\0';
	duration = row->duration_ms == MIGC_DURATION_MEASURE
			   ? measured_duration(state, db)
			   : row->duration_ms;
	if (statement_prepare(state, PREPARED_HISTORY_WRITE, sql, &statement) !=
	    SQLITE_OK) {
		sqlite3_free(encoded);
		return fail(error, db, MIGC_EDRIVER,
			    "writing the history table");
	}
	sqlite3_bind_text(statement, 1, row->revision,
			  (int)row->revision_length, SQLITE_STATIC);
	sqlite3_bind_text(statement, 2, row->parents != NULL ? row->parents : "",
			  (int)row->parents_length, SQLITE_STATIC);
	sqlite3_bind_text(statement, 3, checksum, 16, SQLITE_STATIC);
	sqlite3_bind_int64(statement, 4, (sqlite3_int64)duration);
	sqlite3_bind_int64(statement, 5, (sqlite3_int64)row->statements_done);
	sqlite3_bind_text(statement, 6, encoded, (int)length, sqlite3_free);
	sqlite3_bind_int64(statement, 7, (sqlite3_int64)row->downgrade_done);
	return statement_end(state, statement, sqlite3_step(statement),
			     "writing the history table", error);
}

static int history_delete(void *context, const char *table,
			  size_t table_length, const char *revision,
			  size_t revision_length, migc_error *error)
{
	migc_sqlite *state = context;

	state->clock_untransacted = 0;
	return row_change(context, PREPARED_HISTORY_DELETE, "DELETE FROM ",
			  " WHERE version_num = ?1", table, table_length,
			  revision, revision_length, NULL, 0, error);
}

/* Copies the stored text out before running it: SQLite refuses DROP TABLE
 * while a statement on the connection is still reading. */
static int stored_downgrade(sqlite3 *db, const char *table,
			    size_t table_length, const char *revision,
			    size_t revision_length, char **out, size_t *length,
			    migc_error *error)
{
	sqlite3_stmt *statement = NULL;
	char sql[SQL_BUFFER_SIZE];
	int rc = table_sql(sql, sizeof sql, "SELECT downgrade_sql FROM ",
			   table, table_length, " WHERE version_num = ?1",
			   error);

	*out = NULL;
	if (rc != MIGC_OK)
		return rc;
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "reading the history table");
	sqlite3_bind_text(statement, 1, revision, (int)revision_length,
			  SQLITE_STATIC);
	rc = sqlite3_step(statement);
	if (rc == SQLITE_ROW) {
		const void *text = sqlite3_column_text(statement, 0);

		*length = (size_t)sqlite3_column_bytes(statement, 0);
		*out = sqlite3_malloc64(*length + 1);
		if (*out != NULL && *length > 0)
			memcpy(*out, text, *length);
	}
	sqlite3_finalize(statement);
	if (rc == SQLITE_DONE)
		return fail(error, NULL, MIGC_EDRIVER,
			    "the history table has no row for the revision");
	if (rc != SQLITE_ROW)
		return fail(error, db, MIGC_EDRIVER,
			    "reading the history table");
	if (*out == NULL)
		return fail(error, NULL, MIGC_EDRIVER,
			    "out of memory reading the stored downgrade");
	return MIGC_OK;
}

static int history_downgrade(void *context, const char *table,
			     size_t table_length, const char *revision,
			     size_t revision_length, migc_error *error)
{
	sqlite3 *db = db_of(context);
	char *encoded = NULL;
	size_t length = 0;
	migc_downgrade_reader reader;
	const char *sql;
	size_t sql_length;
	unsigned number = 0;
	int untransacted = 0;
	int rc = stored_downgrade(db, table, table_length, revision,
				  revision_length, &encoded, &length, error);

	if (rc == MIGC_OK)
		rc = migc_downgrade_open(&reader, encoded, length, error);
	/* A "transaction none" revision steps back as the core runs a live
	 * one: each statement outside a transaction (see migc.h). */
	if (rc == MIGC_OK &&
	    (reader.revision_flags & MIGC_REVISION_NO_TRANSACTION)) {
		untransacted = 1;
		rc = commit(context, error);
	}
	while (rc == MIGC_OK) {
		rc = migc_downgrade_read(&sql, &sql_length, NULL, &reader,
					 error);
		if (rc != MIGC_OK || sql == NULL)
			break;
		number++;
		rc = execute(context, sql, sql_length, error);
		if (rc != MIGC_OK && error != NULL) {
			char reason[sizeof error->message];

			memcpy(reason, error->message, sizeof reason);
			sqlite3_snprintf(
				(int)sizeof error->message, error->message,
				"stored downgrade statement %u: %s%s", number,
				reason,
				untransacted ? ". The revision runs outside a "
					       "transaction, so the statements "
					       "before this one stay applied; "
					       "fix the database by hand "
					       "before running again"
					     : "");
		}
		if (rc != MIGC_OK && untransacted)
			rc = MIGC_ESTATEMENT;
	}
	if (untransacted) {
		migc_error ignored;
		int began = begin(context, rc == MIGC_OK ? error : &ignored);

		if (rc == MIGC_OK)
			rc = began;
	}
	sqlite3_free(encoded);
	return rc;
}


/* A statement the driver keeps for the whole connection: SQLite 3.20 and
 * later are told so (SQLITE_PREPARE_PERSISTENT); older ones prepare it
 * plainly. */
static int prepare_kept(sqlite3 *db, const char *sql, sqlite3_stmt **out)
{
#if SQLITE_VERSION_NUMBER >= 3020000
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
				  NULL);
#else
	return sqlite3_prepare_v2(db, sql, -1, out, NULL);
#endif
}
/* The boot's one read. Its statement stays prepared in the context (for
 * the table it names) until migc_sqlite_release(); a table that is not
 * there yet, or lacks the digest column, reads as no rows. */
static int version_state_read(void *context, const char *table,
			      size_t table_length, migc_state_fn each,
			      void *payload, migc_error *error)
{
	migc_sqlite *state = context;
	sqlite3_stmt *statement = state->state_statement;
	int rc;

	if (statement == NULL || state->state_table_length != table_length ||
	    memcmp(state->state_table, table, table_length) != 0) {
		char sql[SQL_BUFFER_SIZE];

		if (table_length >= sizeof state->state_table)
			return fail(error, NULL, MIGC_EINVAL,
				    "The version table name is too long.");
		rc = table_sql(sql, sizeof sql,
			       "SELECT version_num, set_digest FROM ", table,
			       table_length, "", error);
		if (rc != MIGC_OK)
			return rc;
		sqlite3_finalize(state->state_statement);
		state->state_statement = NULL;
		rc = prepare_kept(state->db, sql, &statement);
		/* SQLITE_ERROR: no such table or column yet. */
		if (rc == SQLITE_ERROR)
			return MIGC_OK;
		if (rc != SQLITE_OK)
			return fail(error, state->db, MIGC_EDRIVER,
				    "reading the version table");
		state->state_statement = statement;
		memcpy(state->state_table, table, table_length);
		state->state_table_length = table_length;
	}
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		const char *revision =
		    (const char *)sqlite3_column_text(statement, 0);
		size_t length = (size_t)sqlite3_column_bytes(statement, 0);
		/* The digest's 64 bits as SQLite's signed integer; NULL (none
		 * stored) reads as 0, which no set has. */
		uint64_t digest = (uint64_t)sqlite3_column_int64(statement, 1);

		if (revision != NULL && each(revision, length, digest, payload))
			break;
	}
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE
		 ? MIGC_OK
		 : fail(error, state->db, MIGC_EDRIVER,
			"reading the version table");
	sqlite3_reset(statement);
	return rc;
}

static int version_digest_write(void *context, const char *table,
				size_t table_length, uint64_t digest,
				migc_error *error)
{
	sqlite3 *db = db_of(context);
	sqlite3_stmt *statement = NULL;
	char sql[SQL_BUFFER_SIZE];
	int rc = table_sql(sql, sizeof sql, "UPDATE ", table, table_length,
			   " SET set_digest = ?1", error);

	if (rc != MIGC_OK)
		return rc;
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "storing the set digest in the version table");
	if (digest != 0)
		sqlite3_bind_int64(statement, 1, migc_digest_signed(digest));
	rc = sqlite3_step(statement) == SQLITE_DONE
		 ? MIGC_OK
		 : fail(error, db, MIGC_EDRIVER,
			"storing the set digest in the version table");
	sqlite3_finalize(statement);
	return rc;
}

void migc_sqlite_release(migc_sqlite *context)
{
	if (context == NULL)
		return;
	sqlite3_finalize(context->state_statement);
	context->state_statement = NULL;
	context->state_table_length = 0;
}

int migc_sqlite_driver(migc_driver *out, migc_sqlite *context,
		       struct sqlite3 *db, int busy_timeout_ms,
		       migc_error *error)
{
	if (out == NULL || context == NULL || db == NULL)
		return fail(error, NULL, MIGC_EINVAL,
			    "migc_sqlite_driver needs a driver to fill, "
			    "storage for its state and an open connection");
	context->db = db;
	context->clock_start_ms = 0;
	context->clock_untransacted = 0;
	context->lock_fd = -1;
	memset(context->prepared, 0, sizeof context->prepared);
	context->locked = 0;
	kept_release(context);
	context->state_statement = NULL;
	context->state_table_length = 0;
	context->busy_timeout_ms = busy_timeout_ms > 0
					   ? busy_timeout_ms
					   : MIGC_SQLITE_BUSY_TIMEOUT_MS;
	if (sqlite3_busy_timeout(db, context->busy_timeout_ms) != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "setting the busy timeout");
	MIGC_DRIVER_TABLE_FILL(out, "sqlite", context, file_lock, file_unlock);
	if (error != NULL)
		memset(error, 0, sizeof *error);
	return MIGC_OK;
}
