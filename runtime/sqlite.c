/* sqlite.c: the SQLite driver. Wraps a connection the caller opened; writes
 * are serialised by BEGIN IMMEDIATE plus a busy timeout, so lock/unlock have
 * nothing to do. SQL text for the version table is built in stack buffers. */
#include "migc_sqlite.h"

#include <sqlite3.h>
#include <string.h>

/* Room for the longest statement on a 63-character name, quotes doubled. */
#define SQL_BUFFER_SIZE 512

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

/* SQL text in a caller's stack buffer; `overflow` records truncation. */
typedef struct sql_text {
	char *data;
	size_t size;
	size_t length;
	int overflow;
} sql_text;

static void sql_init(sql_text *text, char *buffer, size_t size)
{
	text->data = buffer;
	text->size = size;
	text->length = 0;
	text->overflow = 0;
	buffer[0] = '\0';
}

static void sql_add_n(sql_text *text, const char *string, size_t length)
{
	if (text->length + length + 1 > text->size) {
		text->overflow = 1;
		return;
	}
	memcpy(text->data + text->length, string, length);
	text->length += length;
	text->data[text->length] = '\0';
}

static void sql_add(sql_text *text, const char *string)
{
	sql_add_n(text, string, strlen(string));
}

/* Appends `"<name><suffix>"` with embedded quotes doubled. */
static void sql_add_name(sql_text *text, const char *name, size_t length,
			 const char *suffix)
{
	size_t i;

	sql_add_n(text, "\"", 1);
	for (i = 0; i < length; i++) {
		if (name[i] == '"')
			sql_add_n(text, "\"", 1);
		sql_add_n(text, name + i, 1);
	}
	sql_add(text, suffix);
	sql_add_n(text, "\"", 1);
}

/* "<before>"<table>"<after>", refusing names that cannot be right. */
static int table_sql(char *out, size_t size, const char *before,
		     const char *table, size_t table_length, const char *after,
		     migc_error *error)
{
	sql_text text;

	if (table == NULL || table_length == 0 || table_length > 63 ||
	    memchr(table, '\0', table_length) != NULL)
		return fail(error, NULL, MIGC_EINVAL,
			    "The version table name must be 1 to 63 "
			    "characters; choose another name.");
	sql_init(&text, out, size);
	sql_add(&text, before);
	sql_add_name(&text, table, table_length, "");
	sql_add(&text, after);
	return MIGC_OK;
}

/* Runs every statement in `sql` to completion, ignoring rows. */
static int execute(void *context, const char *sql, size_t length,
		   migc_error *error)
{
	sqlite3 *db = db_of(context);
	const char *end = sql + length;

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
		sqlite3_finalize(statement);
		sql = tail;
	}
	return MIGC_OK;
}

static int exec_literal(void *context, const char *sql, migc_error *error)
{
	return execute(context, sql, strlen(sql), error);
}

static int begin(void *context, migc_error *error)
{
	return exec_literal(context, "BEGIN IMMEDIATE", error);
}

static int commit(void *context, migc_error *error)
{
	return exec_literal(context, "COMMIT", error);
}

static int rollback(void *context, migc_error *error)
{
	if (sqlite3_get_autocommit(db_of(context)))
		return MIGC_OK; /* SQLite already rolled back */
	return exec_literal(context, "ROLLBACK", error);
}

static int lock_noop(void *context, const char *key, size_t key_length,
		     migc_error *error)
{
	(void)context;
	(void)key;
	(void)key_length;
	(void)error;
	return MIGC_OK;
}

static int version_table_ensure(void *context, const char *table,
				size_t table_length, migc_error *error)
{
	char sql[SQL_BUFFER_SIZE];
	sql_text text;
	int rc = table_sql(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS ",
			   table, table_length,
			   " (version_num VARCHAR(32) NOT NULL, CONSTRAINT ",
			   error);

	if (rc != MIGC_OK)
		return rc;
	text.data = sql;
	text.size = sizeof sql;
	text.length = strlen(sql);
	text.overflow = 0;
	sql_add_name(&text, table, table_length, "_pkc");
	sql_add(&text, " PRIMARY KEY (version_num))");
	return exec_literal(context, sql, error);
}

static int table_exists(sqlite3 *db, const char *table, size_t table_length,
			int *exists, migc_error *error)
{
	sqlite3_stmt *statement = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT 1 FROM sqlite_master WHERE "
				    "type = 'table' AND name = ?1",
				    -1, &statement, NULL);

	if (rc != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "reading the version table");
	sqlite3_bind_text(statement, 1, table, (int)table_length,
			  SQLITE_STATIC);
	rc = sqlite3_step(statement);
	*exists = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail(error, db, MIGC_EDRIVER, "reading the version table");
	sqlite3_finalize(statement);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? MIGC_OK : MIGC_EDRIVER;
}

static int version_rows_read(void *context, const char *table,
			     size_t table_length, migc_row_fn each,
			     void *payload, migc_error *error)
{
	sqlite3 *db = db_of(context);
	sqlite3_stmt *statement = NULL;
	char sql[SQL_BUFFER_SIZE];
	int exists = 0;
	int rc = table_exists(db, table, table_length, &exists, error);

	if (rc != MIGC_OK || !exists)
		return rc;
	rc = table_sql(sql, sizeof sql, "SELECT version_num FROM ", table,
		       table_length, "", error);
	if (rc != MIGC_OK)
		return rc;
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "reading the version table");
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
	if (rc != SQLITE_DONE)
		fail(error, db, MIGC_EDRIVER, "reading the version table");
	sqlite3_finalize(statement);
	return rc == SQLITE_DONE ? MIGC_OK : MIGC_EDRIVER;
}

static int row_change(void *context, const char *before, const char *after,
		      const char *table,
		      size_t table_length, const char *revision,
		      size_t revision_length, migc_error *error)
{
	sqlite3 *db = db_of(context);
	sqlite3_stmt *statement = NULL;
	char sql[SQL_BUFFER_SIZE];
	int rc = table_sql(sql, sizeof sql, before, table, table_length, after,
			   error);

	if (rc != MIGC_OK)
		return rc;
	if (revision_length > MIGC_REVISION_ID_MAX)
		return fail(error, NULL, MIGC_EINVAL,
			    "revision id longer than 32 characters");
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "updating the version table");
	sqlite3_bind_text(statement, 1, revision, (int)revision_length,
			  SQLITE_STATIC);
	rc = sqlite3_step(statement);
	if (rc != SQLITE_DONE)
		fail(error, db, MIGC_EDRIVER, "updating the version table");
	sqlite3_finalize(statement);
	return rc == SQLITE_DONE ? MIGC_OK : MIGC_EDRIVER;
}

static int version_row_insert(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error)
{
	return row_change(context, "INSERT INTO ", " (version_num) VALUES (?1)",
			  table, table_length, revision, revision_length,
			  error);
}

static int version_row_delete(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error)
{
	return row_change(context, "DELETE FROM ", " WHERE version_num = ?1",
			  table, table_length, revision, revision_length,
			  error);
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
	context->busy_timeout_ms = busy_timeout_ms > 0
					   ? busy_timeout_ms
					   : MIGC_SQLITE_BUSY_TIMEOUT_MS;
	if (sqlite3_busy_timeout(db, context->busy_timeout_ms) != SQLITE_OK)
		return fail(error, db, MIGC_EDRIVER,
			    "setting the busy timeout");
	out->version = MIGC_DRIVER_VERSION;
	out->dialect = "sqlite";
	out->context = context;
	out->execute = execute;
	out->begin = begin;
	out->commit = commit;
	out->rollback = rollback;
	out->lock = lock_noop;
	out->unlock = lock_noop;
	out->version_table_ensure = version_table_ensure;
	out->version_rows_read = version_rows_read;
	out->version_row_insert = version_row_insert;
	out->version_row_delete = version_row_delete;
	if (error != NULL)
		memset(error, 0, sizeof *error);
	return MIGC_OK;
}
