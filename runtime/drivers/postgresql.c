/* postgresql.c: the PostgreSQL driver (libpq). Wraps a connection the caller
 * opened: runs a revision's statements in the transactions the core asks
 * for, keeps the version and history tables, and fills the driver table.
 * Each transaction gets the revision's lock_timeout and statement_timeout;
 * one that timed out is rolled back and run again (run_again()). The lock
 * that serialises runners is in postgresql_lock.c, the options a URL
 * carries in postgresql_url.c, one upgrade per tenant's schema in
 * postgresql_schemas.c; postgresql_internal.h is what they share.
 * Unlike the core, the driver may use the heap (libpq does anyway). */
#define _POSIX_C_SOURCE 200809L
#include "driver_table.h"
#include "postgresql_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static migc_postgresql *state_of(void *context)
{
	return (migc_postgresql *)context;
}

int64_t postgresql_now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

void postgresql_sleep_ms(int64_t ms)
{
	struct timespec pause;

	pause.tv_sec = (time_t)(ms / 1000);
	pause.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&pause, &pause) != 0)
		; /* interrupted by a signal: sleep the rest */
}

/* ---- errors ---- */

/* Fills `error` (if any) with `code` and the message of `format`. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int
postgresql_fail(migc_error *error, int code, const char *format, ...)
{
	va_list arguments;

	if (error == NULL)
		return code;
	memset(error, 0, sizeof *error);
	error->code = code;
	va_start(arguments, format);
	vsnprintf(error->message, sizeof error->message, format, arguments);
	va_end(arguments);
	return code;
}

/* libpq messages end in a newline; the core's do not. */
static size_t trimmed_length(const char *text)
{
	size_t length = strlen(text);

	while (length > 0 &&
	       (text[length - 1] == '\n' || text[length - 1] == ' '))
		length--;
	return length;
}

static int pack_sqlstate(const char *sqlstate)
{
	if (sqlstate == NULL || strlen(sqlstate) != 5)
		return 0;
	return MIGC_POSTGRESQL_SQLSTATE(sqlstate[0], sqlstate[1], sqlstate[2],
					sqlstate[3], sqlstate[4]);
}

/* "<what>: <primary message> (SQLSTATE xxxxx); DETAIL: ...; HINT: ..." from
 * a failed result, or libpq's connection message when there is none. */
int postgresql_fail_result(migc_error *error, int code, PGconn *connection,
			   const PGresult *result, const char *what)
{
	const char *primary = NULL;
	const char *sqlstate = NULL;
	const char *detail = NULL;
	const char *hint = NULL;
	migc_text text;

	if (error == NULL)
		return code;
	memset(error, 0, sizeof *error);
	error->code = code;
	if (result != NULL) {
		primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
		sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
		detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
		hint = PQresultErrorField(result, PG_DIAG_MESSAGE_HINT);
	}
	error->driver_code = pack_sqlstate(sqlstate);
	if (primary == NULL) {
		primary = result != NULL ? PQresultErrorMessage(result) : "";
		if (primary[0] == '\0')
			primary = PQerrorMessage(connection);
		if (primary[0] == '\0')
			primary = "unknown error";
	}
	migc_text_init(&text, error->message, sizeof error->message);
	if (what != NULL) {
		migc_text_add(&text, what);
		migc_text_add(&text, ": ");
	}
	migc_text_add_n(&text, primary, trimmed_length(primary));
	if (sqlstate != NULL) {
		migc_text_add(&text, " (SQLSTATE ");
		migc_text_add(&text, sqlstate);
		migc_text_add(&text, ")");
	}
	if (detail != NULL) {
		migc_text_add(&text, "; DETAIL: ");
		migc_text_add_n(&text, detail, trimmed_length(detail));
	}
	if (hint != NULL) {
		migc_text_add(&text, "; HINT: ");
		migc_text_add_n(&text, hint, trimmed_length(hint));
	}
	/* read_only_sql_transaction: only a write gets here, so there is
	 * work pending (a boot with none writes nothing). */
	if (sqlstate != NULL && strcmp(sqlstate, "25006") == 0)
		migc_text_add(&text,
			      "; this server or role is read-only (a hot "
			      "standby, or default_transaction_read_only), and "
			      "revisions are pending: run the migration "
			      "against the primary with a role that may "
			      "write");
	return code;
}

/* ---- running SQL ---- */

int postgresql_result_ok(const PGresult *result)
{
	switch (PQresultStatus(result)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_EMPTY_QUERY: /* only comments */
		return 1;
	default:
		return 0;
	}
}

/* A COPY ... FROM STDIN has no data to read in a migration: refuse it and
 * bring the connection back; a COPY ... TO STDOUT is read and dropped. */
static PGresult *finish_copy(PGconn *connection, PGresult *result, int *refused)
{
	ExecStatusType status = PQresultStatus(result);
	PGresult *next;
	PGresult *last = NULL;
	char *buffer;

	if (status == PGRES_COPY_IN) {
		*refused = 1;
		PQputCopyEnd(connection, "COPY FROM STDIN is not supported in "
					 "a migration");
	} else if (status == PGRES_COPY_OUT) {
		while (PQgetCopyData(connection, &buffer, 0) > 0)
			PQfreemem(buffer);
	} else {
		return result;
	}
	PQclear(result);
	while ((next = PQgetResult(connection)) != NULL) {
		PQclear(last);
		last = next;
	}
	return last;
}

/* A failure inside a transaction that running the revision again may cure:
 * lock_timeout (55P03, also NOWAIT), statement_timeout (57014 with that
 * message; a cancel by hand is 57014 too and is not retried), a deadlock
 * (40P01). The rollback undoes what the transaction did. */
static void note_transient(migc_postgresql *pg, const PGresult *result)
{
	const char *state = result != NULL
				? PQresultErrorField(result, PG_DIAG_SQLSTATE)
				: NULL;
	const char *primary =
	    result != NULL ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
			   : NULL;

	if (state == NULL ||
	    PQtransactionStatus(pg->connection) != PQTRANS_INERROR)
		return;
	if (strcmp(state, "55P03") == 0 || strcmp(state, "40P01") == 0 ||
	    (strcmp(state, "57014") == 0 && primary != NULL &&
	     strstr(primary, "statement timeout") != NULL))
		memcpy(pg->transient, state, sizeof pg->transient);
}

/* Runs `sql` (NUL-terminated) with text parameters; keeps the result in
 * *out when asked, else clears it. */
int postgresql_run(migc_postgresql *pg, const char *sql, int parameter_count,
		   const char *const *values, PGresult **out, const char *what,
		   migc_error *error)
{
	PGresult *result =
	    parameter_count > 0
		? PQexecParams(pg->connection, sql, parameter_count, NULL,
			       values, NULL, NULL, 0)
		: PQexec(pg->connection, sql);
	int refused = 0;

	if (result != NULL)
		result = finish_copy(pg->connection, result, &refused);
	if (result == NULL || !postgresql_result_ok(result) || refused) {
		note_transient(pg, result);
		if (refused && postgresql_result_ok(result))
			postgresql_fail(
			    error, MIGC_EDRIVER,
			    "COPY FROM STDIN is not supported in a migration; "
			    "use INSERT, or COPY FROM a file on the server");
		else
			postgresql_fail_result(error, MIGC_EDRIVER,
					       pg->connection, result, what);
		PQclear(result);
		return MIGC_EDRIVER;
	}
	if (out != NULL)
		*out = result;
	else
		PQclear(result);
	return MIGC_OK;
}

/* The command tags of transaction control, which belongs to migc. */
static int is_transaction_control(const char *tag)
{
	static const char *const tags[] = { "BEGIN",	 "START TRANSACTION",
					    "COMMIT",	 "ROLLBACK",
					    "SAVEPOINT", "RELEASE",
					    "PREPARE TRANSACTION" };
	size_t i;

	for (i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		if (strcmp(tag, tags[i]) == 0)
			return 1;
	}
	return 0;
}

/* What the statement did to the transaction migc runs it in. */
static const char *transaction_damage(const char *tag, int was_open,
				      int is_open)
{
	if (!was_open)
		return is_open ? "opened a transaction, which was rolled back"
			       : "has no transaction to act on here "
				 "(PostgreSQL only warned)";
	if (strcmp(tag, "COMMIT") == 0)
		return "ended migc's transaction: the statements before it "
		       "were committed and stay, unrecorded";
	if (strcmp(tag, "ROLLBACK") == 0)
		return "rolled back work in migc's transaction";
	if (strcmp(tag, "PREPARE TRANSACTION") == 0)
		return "ended migc's transaction by preparing it (see "
		       "pg_prepared_xacts)";
	if (!is_open)
		return "ended migc's transaction";
	return "acts on migc's transaction (PostgreSQL only warned)";
}

/* A statement must leave the transaction as it found it: open when migc
 * opened one, none when it runs outside one. COMMIT AND CHAIN keeps a
 * transaction open, hence the command tag is checked too. */
static int check_transaction(migc_postgresql *pg, const char *sql,
			     size_t length, PGTransactionStatusType before,
			     const PGresult *result, migc_error *error)
{
	PGTransactionStatusType after = PQtransactionStatus(pg->connection);
	const char *tag = PQcmdStatus((PGresult *)result);
	int was_open = before == PQTRANS_INTRANS;
	int is_open = after == PQTRANS_INTRANS || after == PQTRANS_INERROR;
	const char *damage;
	size_t shown = 0;

	if (tag == NULL)
		tag = "";
	if (was_open == is_open && !is_transaction_control(tag))
		return MIGC_OK;
	damage = transaction_damage(tag, was_open, is_open);
	if (!was_open && is_open)
		postgresql_run(pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL);
	while (shown < length && shown < 60 && sql[shown] != '\n')
		shown++;
	return postgresql_fail(
	    error, MIGC_ETRANSACTION,
	    "'%.*s%s' (%s) %s; transaction control belongs to migc: "
	    "remove BEGIN, COMMIT, ROLLBACK, END and savepoints from the "
	    "revision. It is not recorded as applied; check the database "
	    "before running again",
	    (int)shown, sql, shown < length ? "..." : "",
	    tag[0] != '\0' ? tag : "no command tag", damage);
}

/* ---- running a transaction again after a timeout ---- */

static void replay_forget(migc_postgresql *pg)
{
	free(pg->replay);
	pg->replay = NULL;
	pg->replay_used = 0;
	pg->replay_capacity = 0;
	pg->replayable = 1;
}

/* Keeps a statement the open transaction ran (NUL-terminated `sql`). */
static void remember(migc_postgresql *pg, const char *sql, size_t length)
{
	if (!pg->replayable)
		return;
	if (pg->replay_used + length + 1 > pg->replay_capacity) {
		size_t capacity = 2 * (pg->replay_used + length + 1) + 256;
		char *grown = realloc(pg->replay, capacity);

		if (grown == NULL) {
			pg->replayable = 0;
			return;
		}
		pg->replay = grown;
		pg->replay_capacity = capacity;
	}
	memcpy(pg->replay + pg->replay_used, sql, length + 1);
	pg->replay_used += length + 1;
}

static const char *transient_cause(const migc_postgresql *pg, int *ms)
{
	*ms = 0;
	if (strcmp(pg->transient, "55P03") == 0) {
		*ms = pg->options.lock_timeout_ms;
		return "lock_timeout";
	}
	if (strcmp(pg->transient, "57014") == 0) {
		*ms = pg->options.statement_timeout_ms;
		return "statement_timeout";
	}
	return "a deadlock";
}

static int start_transaction(migc_postgresql *pg, migc_error *error);

/* After the failed statement's rollback: the pause, then the transaction
 * once more up to the statement; MIGC_OK when all of it ran. */
static int replay_once(migc_postgresql *pg, const char *cause, int ms,
		       migc_error *error)
{
	int64_t pause = pg->options.retry_pause_ms;
	char message[200];
	size_t at;
	int i;
	int rc;

	for (i = 0; i < pg->retried && pause < 30000; i++)
		pause *= 2;
	if (pause > 30000)
		pause = 30000;
	pg->retried++;
	if (pg->options.notice != NULL) {
		snprintf(message, sizeof message,
			 "%s%s%.0d%s hit: the transaction was rolled back; "
			 "running it again in %d ms (retry %d of %d)",
			 cause, ms > 0 ? " (" : "", ms, ms > 0 ? " ms)" : "",
			 (int)pause, pg->retried, pg->options.retries);
		pg->options.notice(message, pg->options.notice_payload);
	}
	postgresql_run(pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL);
	postgresql_sleep_ms(pause);
	pg->transient[0] = '\0';
	rc = start_transaction(pg, error);
	for (at = 0; rc == MIGC_OK && at < pg->replay_used;
	     at += strlen(pg->replay + at) + 1)
		rc = postgresql_run(pg, pg->replay + at, 0, NULL, NULL,
				    "running the transaction again", error);
	return rc;
}

/* `sql` failed in a transaction on a timeout or a deadlock: roll back and
 * run the transaction again, at most options.retries times in all. */
static int run_again(migc_postgresql *pg, const char *sql, size_t length,
		     migc_error *error)
{
	PGresult *result = NULL;
	const char *cause = "a deadlock";
	int ms = 0;
	int rc = MIGC_EDRIVER;

	while (pg->transient[0] != '\0') {
		cause = transient_cause(pg, &ms);
		if (!pg->replayable || pg->retried >= pg->options.retries)
			break;
		rc = replay_once(pg, cause, ms, error);
		if (rc != MIGC_OK)
			continue; /* again if it timed out once more */
		rc = postgresql_run(pg, sql, 0, NULL, &result, NULL, error);
		if (rc == MIGC_OK)
			rc = check_transaction(pg, sql, length, PQTRANS_INTRANS,
					       result, error);
		PQclear(result);
		result = NULL;
		if (rc == MIGC_OK) {
			remember(pg, sql, length);
			return MIGC_OK;
		}
	}
	if (pg->transient[0] != '\0' && error != NULL) {
		size_t used = strlen(error->message);
		migc_text text;

		/* after the message of the last failure */
		migc_text_init(&text, error->message + used,
			       sizeof error->message - used);
		migc_text_add(&text, "; gave up after ");
		migc_text_add_unsigned(&text, (unsigned long)pg->retried + 1);
		migc_text_add(&text, pg->retried > 0 ? " attempts on "
						     : " attempt on ");
		migc_text_add(&text, cause);
		migc_text_add(&text,
			      ": raise it for the revision (SET LOCAL as its "
			      "first statement) or for the set (the driver's "
			      "options, migc_lock_timeout= or "
			      "migc_statement_timeout= in the URL), or run "
			      "when the database is quieter");
	}
	pg->transient[0] = '\0';
	return rc;
}

/* The driver wrote its own rows or tables in the open transaction: running
 * only the statements again would lose them. */
static void wrote(migc_postgresql *pg)
{
	if (PQtransactionStatus(pg->connection) != PQTRANS_IDLE)
		pg->replayable = 0;
}

/* The tenant's schema as the search_path of the session, for a statement
 * of a "transaction none" revision that runs outside a transaction (a
 * transaction sets it with SET LOCAL); `saved` gets the path it replaced,
 * which restore_path puts back, so the caller's connection keeps its own.
 * (Through PgBouncer's transaction pooling the statement may land on
 * another server connection than the path.) */
static int tenant_path(migc_postgresql *pg, char *saved, size_t size,
		       migc_error *error)
{
	char quoted[2 * MIGC_POSTGRESQL_NAME_MAX + 3];
	const char *values[1];
	PGresult *result = NULL;
	migc_text text;
	int rc;

	migc_text_init(&text, quoted, sizeof quoted);
	migc_text_add_identifier(&text, pg->schema, strlen(pg->schema));
	values[0] = quoted;
	rc = postgresql_run(pg,
			    "SELECT current_setting('search_path'), "
			    "set_config('search_path', $1, false)",
			    1, values, &result, "setting the tenant's schema",
			    error);
	if (rc == MIGC_OK) {
		migc_text_init(&text, saved, size);
		migc_text_add(&text, PQgetvalue(result, 0, 0));
		if (text.needed > text.length)
			rc = postgresql_fail(
			    error, MIGC_EDRIVER,
			    "the session's search_path is too long to "
			    "put back after the tenant's statement");
	}
	PQclear(result);
	return rc;
}

/* Puts `saved` back after the statement whose result is `rc`; a failure
 * of the statement stays the one reported. */
static int restore_path(migc_postgresql *pg, const char *saved, int rc,
			migc_error *error)
{
	const char *values[1];
	migc_error restoring;
	int restored;
	values[0] = saved;
	restored = postgresql_run(
	    pg, "SELECT set_config('search_path', $1, false)", 1, values, NULL,
	    "restoring the session's search_path", &restoring);
	if (rc != MIGC_OK || restored == MIGC_OK)
		return rc;
	if (error != NULL)
		*error = restoring;
	return restored;
}

static int execute(void *context, const char *sql, size_t length,
		   migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	PGTransactionStatusType before = PQtransactionStatus(pg->connection);
	/* A tenant's statement outside a transaction: see tenant_path. */
	int tenant = before == PQTRANS_IDLE && pg->schema[0] != '\0';
	char saved[SQL_BUFFER_SIZE];
	PGresult *result = NULL;
	char *copy = NULL;
	int rc;

	if (sql == NULL || memchr(sql, '\0', length) != NULL)
		return postgresql_fail(error, MIGC_EINVAL,
				       "a statement contains a NUL byte, which "
				       "PostgreSQL cannot take");
	/* libpq wants NUL-terminated text; statements from a set are. */
	if (sql[length] != '\0') {
		copy = malloc(length + 1);
		if (copy == NULL)
			return postgresql_fail(
			    error, MIGC_EDRIVER,
			    "out of memory copying a statement");
		memcpy(copy, sql, length);
		copy[length] = '\0';
	}
	rc = tenant ? tenant_path(pg, saved, sizeof saved, error) : MIGC_OK;
	if (rc == MIGC_OK) {
		rc = postgresql_run(pg, copy != NULL ? copy : sql, 0, NULL,
				    &result, NULL, error);
		if (rc == MIGC_OK)
			rc = check_transaction(pg, sql, length, before, result,
					       error);
		PQclear(result);
		if (tenant)
			rc = restore_path(pg, saved, rc, error);
	}
	if (before == PQTRANS_INTRANS && rc == MIGC_OK)
		remember(pg, copy != NULL ? copy : sql, length);
	else if (before == PQTRANS_INTRANS && pg->transient[0] != '\0')
		rc = run_again(pg, copy != NULL ? copy : sql, length, error);
	free(copy);
	return rc;
}

/* "BEGIN; SET LOCAL ..." with the options' timeouts and schema: one round
 * trip, and SET LOCAL holds through transaction pooling. */
static void begin_sql(const migc_postgresql *pg, char *out, size_t size)
{
	migc_text text;

	migc_text_init(&text, out, size);
	migc_text_add(&text, "BEGIN");
	if (pg->options.lock_timeout_ms > 0) {
		migc_text_add(&text, "; SET LOCAL lock_timeout = ");
		migc_text_add_unsigned(
		    &text, (unsigned long)pg->options.lock_timeout_ms);
	}
	if (pg->options.statement_timeout_ms > 0) {
		migc_text_add(&text, "; SET LOCAL statement_timeout = ");
		migc_text_add_unsigned(
		    &text, (unsigned long)pg->options.statement_timeout_ms);
	}
	if (pg->schema[0] != '\0') {
		migc_text_add(&text, "; SET LOCAL search_path = ");
		migc_text_add_identifier(&text, pg->schema, strlen(pg->schema));
	}
}

static int start_transaction(migc_postgresql *pg, migc_error *error)
{
	char sql[64 + 2 * 2 * MIGC_POSTGRESQL_NAME_MAX + 2];

	begin_sql(pg, sql, sizeof sql);
	return postgresql_run(pg, sql, 0, NULL, NULL, "starting a transaction",
			      error);
}

static int begin(void *context, migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	int rc = postgresql_lease_renew(pg, error);

	if (rc != MIGC_OK)
		return rc;
	pg->transient[0] = '\0';
	pg->retried = 0;
	replay_forget(pg);
	pg->began_at_ms = postgresql_now_ms();
	return start_transaction(pg, error);
}

static int commit(void *context, migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	PGresult *result = NULL;
	int rc;

	replay_forget(pg);
	/* COMMIT without a transaction only warns: something ended it. */
	if (PQtransactionStatus(pg->connection) == PQTRANS_IDLE)
		return postgresql_fail(
		    error, MIGC_ETRANSACTION,
		    "no transaction was open to commit: a statement "
		    "ended the transaction migc opened; transaction "
		    "control belongs to migc");
	/* COMMIT of a failed transaction "succeeds" by rolling back. */
	if (PQtransactionStatus(pg->connection) == PQTRANS_INERROR) {
		postgresql_run(pg, "ROLLBACK", 0, NULL, NULL, NULL, NULL);
		return postgresql_fail(
		    error, MIGC_EDRIVER,
		    "the transaction had failed, so it was rolled "
		    "back instead of committed");
	}
	rc =
	    postgresql_run(pg, "COMMIT", 0, NULL, &result, "committing", error);
	if (rc != MIGC_OK)
		return rc;
	if (strcmp(PQcmdStatus(result), "ROLLBACK") == 0)
		rc = postgresql_fail(
		    error, MIGC_EDRIVER,
		    "the transaction had failed, so it was rolled "
		    "back instead of committed");
	PQclear(result);
	return rc;
}

static int rollback(void *context, migc_error *error)
{
	migc_postgresql *pg = state_of(context);

	replay_forget(pg);
	if (PQtransactionStatus(pg->connection) == PQTRANS_IDLE)
		return MIGC_OK; /* nothing open */
	return postgresql_run(pg, "ROLLBACK", 0, NULL, NULL, "rolling back",
			      error);
}

/* ---- table names ---- */

/* A name without a schema is in the tenant's schema when the driver has
 * one (options.schema), so that every table of migc's is there too. */
int postgresql_table_parse(const migc_postgresql *pg, table_name *out,
			   const char *table, size_t length, migc_error *error)
{
	const char *dot;
	migc_text text;

	if (table == NULL || length == 0 || memchr(table, '\0', length) != NULL)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "The version table name is empty or holds a NUL "
		    "byte; choose another name.");
	dot = memchr(table, '.', length);
	out->schema = NULL;
	out->schema_length = 0;
	out->name = table;
	out->name_length = length;
	if (dot != NULL) {
		out->schema = table;
		out->schema_length = (size_t)(dot - table);
		out->name = dot + 1;
		out->name_length = length - out->schema_length - 1;
	}
	if (out->name_length == 0 || out->name_length > NAME_PART_MAX ||
	    (dot != NULL &&
	     (out->schema_length == 0 || out->schema_length > NAME_PART_MAX)))
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "A version table is \"table\" or "
		    "\"schema.table\", each part 1 to 63 bytes; "
		    "choose another name.");
	migc_text_init(&text, out->quoted, sizeof out->quoted);
	if (dot == NULL && pg->schema[0] != '\0') {
		out->schema = pg->schema;
		out->schema_length = strlen(pg->schema);
		migc_text_add_identifier(&text, pg->schema, out->schema_length);
		migc_text_add(&text, ".");
		migc_text_add_identifier(&text, table, length);
		return MIGC_OK;
	}
	migc_text_add_table(&text, table, length);
	return MIGC_OK;
}

/* `before` "schema"."table" `after`. */
void postgresql_table_sql(sql_text *sql, const char *before,
			  const table_name *table, const char *after)
{
	migc_text_init(&sql->text, sql->data, sizeof sql->data);
	migc_text_add(&sql->text, before);
	migc_text_add(&sql->text, table->quoted);
	migc_text_add(&sql->text, after);
}

/* Names migc derives from a table name must fit PostgreSQL's 63 bytes,
 * which the server would otherwise cut without a word: the key
 * "<name>_pkc" and, for a version table (`derived`), its history table's
 * key "<name>_history_pkc". The core refuses such names up front
 * (migc_table_name_check); this holds for direct callers too. */
static int derived_names_fit(const table_name *name, int derived,
			     migc_error *error)
{
	size_t suffix = derived ? sizeof MIGC_HISTORY_SUFFIX "_pkc" - 1
				: sizeof "_pkc" - 1;

	if (name->name_length + suffix <= NAME_PART_MAX)
		return MIGC_OK;
	return postgresql_fail(
	    error, MIGC_EINVAL,
	    "The table name '%.*s' is %u bytes; at most %u fit "
	    "on PostgreSQL, whose names hold 63 bytes, as migc "
	    "adds \"%s\" for a key; choose another name.",
	    (int)name->name_length, name->name, (unsigned)name->name_length,
	    (unsigned)(NAME_PART_MAX - suffix),
	    derived ? MIGC_HISTORY_SUFFIX "_pkc" : "_pkc");
}

/* *exists: the table is there; *has: it has `column` (tables an older migc
 * made lack the columns added since). One round trip for both. */
static int table_and_column(migc_postgresql *pg, const table_name *name,
			    const char *column, int *exists, int *has,
			    migc_error *error)
{
	const char *values[2];
	PGresult *result = NULL;
	int rc;

	values[0] = name->quoted;
	values[1] = column;
	rc = postgresql_run(
	    pg,
	    "SELECT to_regclass($1::text) IS NOT NULL, EXISTS (SELECT 1 "
	    "FROM pg_attribute WHERE attrelid = to_regclass($1::text) AND "
	    "attname = $2 AND NOT attisdropped)",
	    2, values, &result, "looking for the version table", error);
	if (rc != MIGC_OK)
		return rc;
	*exists = PQntuples(result) == 1 &&
		  strcmp(PQgetvalue(result, 0, 0), "t") == 0;
	*has = PQntuples(result) == 1 &&
	       strcmp(PQgetvalue(result, 0, 1), "t") == 0;
	PQclear(result);
	return MIGC_OK;
}

/* Makes the table (`columns`) unless it is there, and gives one an older
 * migc made its newest column (`column`, then `type`). Whether it is there
 * is checked first because IF NOT EXISTS on an existing table sends a
 * NOTICE that libpq prints by default; runners hold the migration lock
 * here, so the check does not race. */
static int table_ensure(migc_postgresql *pg, const char *table,
			size_t table_length, int derived, const char *columns,
			const char *column, const char *type, const char *what,
			migc_error *error)
{
	table_name name;
	sql_text sql;
	char key_name[NAME_PART_MAX + 1];
	migc_text key;
	int exists = 0;
	int has = 0;
	int rc = postgresql_table_parse(pg, &name, table, table_length, error);

	if (rc == MIGC_OK)
		rc = derived_names_fit(&name, derived, error);
	if (rc == MIGC_OK)
		rc = table_and_column(pg, &name, column, &exists, &has, error);
	if (rc != MIGC_OK || (exists && has))
		return rc;
	wrote(pg);
	if (exists) {
		postgresql_table_sql(&sql, "ALTER TABLE ", &name,
				     " ADD COLUMN IF NOT EXISTS ");
		migc_text_add(&sql.text, column);
		migc_text_add(&sql.text, type);
		return postgresql_run(pg, sql.data, 0, NULL, NULL, what, error);
	}
	migc_text_init(&key, key_name, sizeof key_name);
	migc_text_add_n(&key, name.name, name.name_length);
	migc_text_add(&key, "_pkc");
	postgresql_table_sql(&sql, "CREATE TABLE IF NOT EXISTS ", &name, " (");
	migc_text_add(&sql.text, columns);
	migc_text_add(&sql.text, ", CONSTRAINT ");
	migc_text_add_identifier(&sql.text, key_name, key.length);
	migc_text_add(&sql.text, " PRIMARY KEY (version_num))");
	if (sql.text.needed > sql.text.length)
		return postgresql_fail(error, MIGC_EINVAL,
				       "table name too long");
	return postgresql_run(pg, sql.data, 0, NULL, NULL, what, error);
}

/* A revision id as a NUL-terminated parameter. */
static int revision_parameter(char out[MIGC_REVISION_ID_MAX + 1],
			      const char *revision, size_t length,
			      migc_error *error)
{
	if (revision == NULL || length == 0 || length > MIGC_REVISION_ID_MAX ||
	    memchr(revision, '\0', length) != NULL)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "a revision id must be 1 to 32 characters");
	memcpy(out, revision, length);
	out[length] = '\0';
	return MIGC_OK;
}

/* Runs `before` table `after` with `revision` as $1 and, when not NULL,
 * `other` as $2. */
static int revisions_change(migc_postgresql *pg, const char *before,
			    const char *after, const char *table,
			    size_t table_length, const char *revision,
			    size_t revision_length, const char *other,
			    size_t other_length, const char *what,
			    migc_error *error)
{
	char ids[2][MIGC_REVISION_ID_MAX + 1];
	const char *values[2];
	table_name name;
	sql_text sql;
	int rc = postgresql_table_parse(pg, &name, table, table_length, error);

	if (rc == MIGC_OK)
		rc = revision_parameter(ids[0], revision, revision_length,
					error);
	if (rc == MIGC_OK && other != NULL)
		rc = revision_parameter(ids[1], other, other_length, error);
	if (rc != MIGC_OK)
		return rc;
	wrote(pg);
	postgresql_table_sql(&sql, before, &name, after);
	values[0] = ids[0];
	values[1] = ids[1];
	return postgresql_run(pg, sql.data, other != NULL ? 2 : 1, values, NULL,
			      what, error);
}

/* Runs `before` table `after` with the revision as $1. */
static int revision_change(migc_postgresql *pg, const char *before,
			   const char *after, const char *table,
			   size_t table_length, const char *revision,
			   size_t revision_length, const char *what,
			   migc_error *error)
{
	return revisions_change(pg, before, after, table, table_length,
				revision, revision_length, NULL, 0, what,
				error);
}

/* Reads `select` `table` `order` into *result when the table exists
 * (*result stays NULL when not). `old_select` reads a history table an
 * older migc made, without downgrade_done; NULL for the version table. */
static int table_query(migc_postgresql *pg, table_name *name, const char *table,
		       size_t table_length, const char *select,
		       const char *old_select, const char *order,
		       const char *reading, PGresult **result,
		       migc_error *error)
{
	sql_text sql;
	int exists = 0;
	int has = 1;
	int rc = postgresql_table_parse(pg, name, table, table_length, error);

	*result = NULL;
	/* version_num: a column every table here has. */
	if (rc == MIGC_OK)
		rc = table_and_column(pg, name,
				      old_select != NULL ? "downgrade_done"
							 : "version_num",
				      &exists, &has, error);
	if (rc != MIGC_OK || !exists)
		return rc;
	postgresql_table_sql(&sql, has ? select : old_select, name, order);
	return postgresql_run(pg, sql.data, 0, NULL, result, reading, error);
}

/* ---- the version table ---- */

static int version_table_ensure(void *context, const char *table,
				size_t table_length, migc_error *error)
{
	/* A version table an older migc (or Alembic) made gains set_digest;
	 * Alembic reads and writes only version_num. */
	return table_ensure(state_of(context), table, table_length, 1,
			    "version_num VARCHAR(32) NOT NULL, "
			    "set_digest BIGINT",
			    "set_digest", " BIGINT", "creating the version table",
			    error);
}

/* The boot's one read: one round trip, no transaction, no write. A table
 * that is not there, or lacks the column, reads as no rows. */
static int version_state_read(void *context, const char *table,
			      size_t table_length, migc_state_fn each,
			      void *payload, migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	PGresult *result;
	table_name name;
	sql_text sql;
	int rows;
	int i;
	int rc = postgresql_table_parse(pg, &name, table, table_length, error);

	if (rc != MIGC_OK)
		return rc;
	postgresql_table_sql(&sql, "SELECT version_num, set_digest FROM ",
			     &name, "");
	result = PQexec(pg->connection, sql.data);
	if (PQresultStatus(result) != PGRES_TUPLES_OK) {
		const char *state =
		    result != NULL
			? PQresultErrorField(result, PG_DIAG_SQLSTATE)
			: NULL;

		/* undefined_table, undefined_column: not made yet. */
		if (state != NULL && (strcmp(state, "42P01") == 0 ||
				      strcmp(state, "42703") == 0)) {
			PQclear(result);
			return MIGC_OK;
		}
		postgresql_fail_result(error, MIGC_EDRIVER, pg->connection,
				       result, "reading the version table");
		PQclear(result);
		return MIGC_EDRIVER;
	}
	rows = PQntuples(result);
	for (i = 0; i < rows; i++) {
		const char *text = PQgetvalue(result, i, 1);
		size_t text_length = (size_t)PQgetlength(result, i, 1);
		int negative = text_length > 1 && text[0] == '-';
		uint64_t digest = 0;

		/* BIGINT: the digest's 64 bits as a signed number. */
		if (PQgetisnull(result, i, 1) ||
		    migc_number_parse(&digest, text + negative,
				      text_length - (size_t)negative, 10,
				      negative ? UINT64_C(1) << 63
					       : INT64_MAX) != MIGC_OK)
			digest = 0;
		else if (negative)
			digest = 0 - digest;
		if (each(PQgetvalue(result, i, 0),
			 (size_t)PQgetlength(result, i, 0), digest,
			 payload) != 0)
			break;
	}
	PQclear(result);
	return MIGC_OK;
}

static int version_digest_write(void *context, const char *table,
				size_t table_length, uint64_t digest,
				migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	const char *values[1];
	char number[24];
	table_name name;
	sql_text sql;
	int rc = postgresql_table_parse(pg, &name, table, table_length, error);

	if (rc != MIGC_OK)
		return rc;
	snprintf(number, sizeof number, "%" PRId64, migc_digest_signed(digest));
	values[0] = digest != 0 ? number : NULL;
	wrote(pg);
	postgresql_table_sql(&sql, "UPDATE ", &name, " SET set_digest = $1");
	return postgresql_run(pg, sql.data, 1, values, NULL,
			      "storing the set digest in the version table",
			      error);
}

static int version_rows_read(void *context, const char *table,
			     size_t table_length, migc_row_fn each,
			     void *payload, migc_error *error)
{
	PGresult *result = NULL;
	table_name name;
	int rows;
	int i;
	int rc = table_query(state_of(context), &name, table, table_length,
			     "SELECT version_num FROM ", NULL, "",
			     "reading the version table", &result, error);

	if (rc != MIGC_OK || result == NULL)
		return rc;
	rows = PQntuples(result);
	for (i = 0; i < rows; i++) {
		if (each(PQgetvalue(result, i, 0),
			 (size_t)PQgetlength(result, i, 0), payload) != 0)
			break;
	}
	PQclear(result);
	return MIGC_OK;
}

static int version_row_insert(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error)
{
	return revision_change(state_of(context), "INSERT INTO ",
			       " (version_num) VALUES ($1)", table,
			       table_length, revision, revision_length,
			       "updating the version table", error);
}

static int version_row_delete(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t revision_length, migc_error *error)
{
	return revision_change(state_of(context), "DELETE FROM ",
			       " WHERE version_num = $1", table, table_length,
			       revision, revision_length,
			       "updating the version table", error);
}

static int version_row_update(void *context, const char *table,
			      size_t table_length, const char *from,
			      size_t from_length, const char *to,
			      size_t to_length, migc_error *error)
{
	return revisions_change(state_of(context), "UPDATE ",
				" SET version_num = $2 WHERE version_num = $1",
				table, table_length, from, from_length, to,
				to_length, "updating the version table", error);
}

/* ---- the history table ---- */

static int history_ensure(void *context, const char *table, size_t table_length,
			  migc_error *error)
{
	/* A history table an older migc made gains downgrade_done. */
	return table_ensure(state_of(context), table, table_length, 0,
			    "version_num VARCHAR(32) NOT NULL, "
			    "parents TEXT NOT NULL, "
			    "checksum VARCHAR(16) NOT NULL, "
			    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
			    "duration_ms INTEGER NOT NULL, "
			    "statements_done INTEGER NOT NULL, "
			    "downgrade_sql TEXT NOT NULL, "
			    "downgrade_done INTEGER NOT NULL DEFAULT 0",
			    "downgrade_done", " INTEGER NOT NULL DEFAULT 0",
			    "creating the history table", error);
}

/* A history row holding what migc never writes there. */
static int corrupt_row(const PGresult *result, int row, int column,
		       const table_name *table, const char *expected,
		       migc_error *error)
{
	int revision_length = PQgetlength(result, row, 0);
	int value_length = PQgetlength(result, row, column);
	int null = PQgetisnull(result, row, column);

	return postgresql_fail(
	    error, MIGC_EDRIVER,
	    "The history table %.260s has a corrupt row for revision "
	    "%.*s%s: %s is %s%.*s%s%s, not %s. Fix or delete the row "
	    "(migc writes it when it applies the revision).",
	    table->quoted, revision_length > 64 ? 64 : revision_length,
	    PQgetvalue(result, row, 0), revision_length > 64 ? "..." : "",
	    PQfname(result, column), null ? "" : "'",
	    null ? 4 : (value_length > 40 ? 40 : value_length),
	    null ? "NULL" : PQgetvalue(result, row, column),
	    !null && value_length > 40 ? "..." : "", null ? "" : "'", expected);
}

/* A stored number through the core's one parser (migc_number_parse):
 * exactly `digits` of them when not 0. */
static int stored_number(const PGresult *result, int row, int column,
			 unsigned base, size_t digits, uint64_t max,
			 uint64_t *out)
{
	size_t length = (size_t)PQgetlength(result, row, column);

	if (PQgetisnull(result, row, column) ||
	    (digits != 0 && length != digits))
		return 0;
	return migc_number_parse(out, PQgetvalue(result, row, column), length,
				 base, max) == MIGC_OK;
}

static int history_read(void *context, const char *table, size_t table_length,
			migc_history_fn each, void *payload, migc_error *error)
{
	PGresult *result = NULL;
	table_name name;
	int rows;
	int i;
	/* A table from before downgrade_done reads as nothing partway. */
	int rc = table_query(
	    state_of(context), &name, table, table_length,
	    "SELECT version_num, parents, checksum, statements_done, "
	    "duration_ms, downgrade_done FROM ",
	    "SELECT version_num, parents, checksum, statements_done, "
	    "duration_ms, 0 FROM ",
	    "", "reading the history table",
	    &result, error);

	if (rc != MIGC_OK || result == NULL)
		return rc;
	rows = PQntuples(result);
	for (i = 0; i < rows; i++) {
		migc_history_row row;
		uint64_t count = 0;

		row.revision = PQgetvalue(result, i, 0);
		row.revision_length = (size_t)PQgetlength(result, i, 0);
		row.parents = PQgetvalue(result, i, 1);
		row.parents_length = (size_t)PQgetlength(result, i, 1);
		row.flags = 0;
		if (!stored_number(result, i, 2, 16, 16, UINT64_MAX,
				   &row.checksum)) {
			rc = corrupt_row(result, i, 2, &name, "16 hex digits",
					 error);
			break;
		}
		if (!stored_number(result, i, 3, 10, 0, UINT32_MAX, &count)) {
			rc = corrupt_row(result, i, 3, &name,
					 "a count from 0 to 4294967295", error);
			break;
		}
		row.statements_done = (uint32_t)count;
		if (!stored_number(result, i, 4, 10, 0, UINT32_MAX, &count)) {
			rc = corrupt_row(result, i, 4, &name,
					 "a count from 0 to 4294967295", error);
			break;
		}
		row.duration_ms = (uint32_t)count;
		if (!stored_number(result, i, 5, 10, 0, UINT32_MAX, &count)) {
			rc = corrupt_row(result, i, 5, &name,
					 "a count from 0 to 4294967295", error);
			break;
		}
		row.downgrade_done = (uint32_t)count;
		if (each(&row, payload) != 0)
			break;
	}
	PQclear(result);
	return rc;
}

/* See MIGC_DURATION_MEASURE: from begin() for a revision in a transaction;
 * from its first progress write for a "transaction none" revision, whose
 * progress rows come outside a transaction and whose last row inside one. */
static uint32_t measured_duration(migc_postgresql *pg,
				  const migc_history_row *row)
{
	int64_t now = postgresql_now_ms();
	int in_transaction =
	    PQtransactionStatus(pg->connection) != PQTRANS_IDLE;
	int same = row->revision_length <= MIGC_REVISION_ID_MAX &&
		   strlen(pg->progress_revision) == row->revision_length &&
		   memcmp(pg->progress_revision, row->revision,
			  row->revision_length) == 0;
	int64_t since;

	if (!in_transaction && !same) {
		size_t length = row->revision_length > MIGC_REVISION_ID_MAX
				    ? MIGC_REVISION_ID_MAX
				    : row->revision_length;

		memcpy(pg->progress_revision, row->revision, length);
		pg->progress_revision[length] = '\0';
		pg->progress_at_ms = now;
		same = 1;
	}
	since = same ? pg->progress_at_ms : pg->began_at_ms;
	if (in_transaction)
		pg->progress_revision[0] = '\0';
	if (now - since < 0)
		return 0;
	return now - since > INT32_MAX ? INT32_MAX : (uint32_t)(now - since);
}

static int history_write(void *context, const char *table, size_t table_length,
			 const migc_history_row *row,
			 const migc_statement *downgrade,
			 uint32_t downgrade_count, migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	char id[MIGC_REVISION_ID_MAX + 1];
	char checksum[17];
	char duration[16];
	char done[16];
	char downgrade_done[16];
	const char *values[7];
	char *parents = NULL;
	char *encoded = NULL;
	size_t encoded_length;
	table_name name;
	sql_text sql;
	uint32_t milliseconds;
	int rc = postgresql_table_parse(pg, &name, table, table_length, error);

	if (rc == MIGC_OK && row == NULL)
		rc = postgresql_fail(error, MIGC_EINVAL,
				     "history_write needs a row");
	if (rc == MIGC_OK)
		rc = revision_parameter(id, row->revision, row->revision_length,
					error);
	if (rc != MIGC_OK)
		return rc;
	milliseconds = row->duration_ms == MIGC_DURATION_MEASURE
			   ? measured_duration(pg, row)
			   : row->duration_ms;
	snprintf(checksum, sizeof checksum, "%016" PRIx64, row->checksum);
	snprintf(duration, sizeof duration, "%" PRIu32,
		 milliseconds > INT32_MAX ? (uint32_t)INT32_MAX : milliseconds);
	snprintf(done, sizeof done, "%" PRIu32,
		 row->statements_done > INT32_MAX ? (uint32_t)INT32_MAX
						  : row->statements_done);
	snprintf(downgrade_done, sizeof downgrade_done, "%" PRIu32,
		 row->downgrade_done > INT32_MAX ? (uint32_t)INT32_MAX
						 : row->downgrade_done);
	encoded_length = migc_downgrade_encoded_length(
	    downgrade, downgrade_count, row->flags);
	parents = malloc(row->parents_length + 1);
	encoded = malloc(encoded_length + 1);
	if (parents == NULL || encoded == NULL) {
		rc = postgresql_fail(error, MIGC_EDRIVER,
				     "out of memory writing a history row");
		goto done;
	}
	if (row->parents_length > 0)
		memcpy(parents, row->parents, row->parents_length);
	parents[row->parents_length] = '\0';
	rc = migc_downgrade_encode(encoded, encoded_length + 1, NULL, downgrade,
				   downgrade_count, row->flags, error);
	if (rc != MIGC_OK)
		goto done;
	postgresql_table_sql(
	    &sql, "INSERT INTO ", &name,
	    " (version_num, parents, checksum, applied_at, duration_ms, "
	    "statements_done, downgrade_sql, downgrade_done) VALUES ($1, "
	    "$2, $3, now(), $4::integer, $5::integer, $6, $7::integer) "
	    "ON CONFLICT (version_num) DO UPDATE SET parents = "
	    "EXCLUDED.parents, checksum = EXCLUDED.checksum, applied_at = "
	    "EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, "
	    "statements_done = EXCLUDED.statements_done, downgrade_sql = "
	    "EXCLUDED.downgrade_sql, downgrade_done = "
	    "EXCLUDED.downgrade_done");
	wrote(pg);
	values[0] = id;
	values[1] = parents;
	values[2] = checksum;
	values[3] = duration;
	values[4] = done;
	values[5] = encoded;
	values[6] = downgrade_done;
	rc = postgresql_run(pg, sql.data, 7, values, NULL,
			    "writing the history table", error);
done:
	free(parents);
	free(encoded);
	return rc;
}

static int history_delete(void *context, const char *table, size_t table_length,
			  const char *revision, size_t revision_length,
			  migc_error *error)
{
	return revision_change(state_of(context), "DELETE FROM ",
			       " WHERE version_num = $1", table, table_length,
			       revision, revision_length,
			       "updating the history table", error);
}

/* Runs the statements of an opened stored downgrade; `untransacted`: each
 * outside a transaction, as the core runs a live "transaction none"
 * downgrade. */
static int run_stored(migc_postgresql *pg, migc_downgrade_reader *reader,
		      int untransacted, const char *id, migc_error *error)
{
	const char *statement;
	size_t length;
	unsigned index = 0;
	int rc;

	for (;;) {
		migc_error statement_error;

		rc = migc_downgrade_read(&statement, &length, NULL, reader,
					 error);
		if (rc != MIGC_OK || statement == NULL)
			return rc;
		index++;
		rc = execute(pg, statement, length, &statement_error);
		if (rc == MIGC_OK)
			continue;
		if (untransacted && rc != MIGC_ETRANSACTION)
			rc = MIGC_ESTATEMENT;
		if (error != NULL) {
			*error = statement_error;
			error->code = rc;
			snprintf(error->message, sizeof error->message,
				 "Stored downgrade statement %u of revision "
				 "%s failed: %.400s%s",
				 index, id, statement_error.message,
				 untransacted && rc == MIGC_ESTATEMENT
				     ? ". The revision runs outside a "
				       "transaction, so the statements "
				       "before this one stay applied; fix "
				       "the database by hand before running "
				       "again"
				     : "");
			error->statement_index = index;
		}
		return rc;
	}
}

static int history_downgrade(void *context, const char *table,
			     size_t table_length, const char *revision,
			     size_t revision_length, migc_error *error)
{
	migc_postgresql *pg = state_of(context);
	char id[MIGC_REVISION_ID_MAX + 1];
	const char *values[1];
	PGresult *result = NULL;
	migc_downgrade_reader reader;
	table_name name;
	sql_text sql;
	int untransacted;
	int rc = postgresql_table_parse(pg, &name, table, table_length, error);

	if (rc == MIGC_OK)
		rc = revision_parameter(id, revision, revision_length, error);
	if (rc != MIGC_OK)
		return rc;
	postgresql_table_sql(&sql, "SELECT downgrade_sql FROM ", &name,
			     " WHERE version_num = $1");
	values[0] = id;
	rc = postgresql_run(pg, sql.data, 1, values, &result,
			    "reading the history table", error);
	if (rc != MIGC_OK)
		return rc;
	if (PQntuples(result) != 1) {
		PQclear(result);
		return postgresql_fail(
		    error, MIGC_ENOTFOUND,
		    "The history table %.260s has no row for "
		    "revision %s, so its downgrade statements "
		    "are unknown; downgrade with a build that "
		    "has the revision.",
		    name.quoted, id);
	}
	/* The result stays valid across the statements run below. */
	rc = migc_downgrade_open(&reader, PQgetvalue(result, 0, 0),
				 (size_t)PQgetlength(result, 0, 0), error);
	untransacted = rc == MIGC_OK &&
		       (reader.revision_flags & MIGC_REVISION_NO_TRANSACTION);
	if (untransacted)
		rc = commit(pg, error);
	if (rc == MIGC_OK)
		rc = run_stored(pg, &reader, untransacted, id, error);
	if (untransacted) {
		migc_error begin_error;
		int began = begin(pg, &begin_error);

		if (rc == MIGC_OK && began != MIGC_OK) {
			rc = began;
			if (error != NULL)
				*error = begin_error;
		}
	}
	PQclear(result);
	return rc;
}

int migc_postgresql_driver(migc_driver *out, migc_postgresql *context,
			   struct pg_conn *connection, int lock_timeout_ms,
			   migc_error *error)
{
	migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;

	options.lock_wait_ms = lock_timeout_ms;
	return migc_postgresql_driver_with(out, context, connection, &options,
					   error);
}

/* The options with their defaults filled in; MIGC_EINVAL for a schema
 * name that cannot be one. */
static int options_normalise(migc_postgresql *pg,
			     const migc_postgresql_options *given,
			     migc_error *error)
{
	migc_postgresql_options *o = &pg->options;

	if (given != NULL && given->version != MIGC_POSTGRESQL_OPTIONS_VERSION)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "migc_postgresql_options.version is not "
		    "MIGC_POSTGRESQL_OPTIONS_VERSION; start from "
		    "MIGC_POSTGRESQL_OPTIONS_INIT");
	if (given != NULL)
		*o = *given;
	else
		memset(o, 0, sizeof *o);
	o->version = MIGC_POSTGRESQL_OPTIONS_VERSION;
	if (o->lock != MIGC_POSTGRESQL_LOCK_LEASE)
		o->lock = MIGC_POSTGRESQL_LOCK_ADVISORY;
	if (o->lock_wait_ms <= 0)
		o->lock_wait_ms = MIGC_POSTGRESQL_LOCK_TIMEOUT_MS;
	if (o->lease_ms <= 0)
		o->lease_ms = MIGC_POSTGRESQL_LEASE_MS;
	if (o->lock_timeout_ms == 0)
		o->lock_timeout_ms = MIGC_POSTGRESQL_REVISION_LOCK_TIMEOUT_MS;
	if (o->retries == 0)
		o->retries = MIGC_POSTGRESQL_RETRIES;
	if (o->retries < 0)
		o->retries = 0;
	if (o->retry_pause_ms <= 0)
		o->retry_pause_ms = MIGC_POSTGRESQL_RETRY_PAUSE_MS;
	if (o->schema != NULL && (o->schema[0] == '\0' ||
				  strlen(o->schema) > MIGC_POSTGRESQL_NAME_MAX))
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "The schema is empty or longer than 63 bytes, "
		    "which PostgreSQL's names hold; choose another.");
	if (o->schema != NULL)
		snprintf(pg->schema, sizeof pg->schema, "%s", o->schema);
	o->schema = NULL; /* the copy in pg->schema is what counts */
	pg->lock_timeout_ms = o->lock_wait_ms;
	return MIGC_OK;
}

int migc_postgresql_driver_with(migc_driver *out, migc_postgresql *context,
				struct pg_conn *connection,
				const migc_postgresql_options *options,
				migc_error *error)
{
	int rc;

	if (out == NULL || context == NULL || connection == NULL)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "migc_postgresql_driver needs a driver to fill, "
		    "storage for its state and an open connection");
	if (PQstatus(connection) != CONNECTION_OK)
		return postgresql_fail_result(
		    error, MIGC_EDRIVER, connection, NULL,
		    "the PostgreSQL connection is not open");
	if (PQserverVersion(connection) < 90600)
		return postgresql_fail(error, MIGC_EDRIVER,
				       "migc needs PostgreSQL 9.6 or newer");
	memset(context, 0, sizeof *context);
	context->connection = connection;
	context->replayable = 1;
	rc = options_normalise(context, options, error);
	if (rc != MIGC_OK)
		return rc;
	MIGC_DRIVER_TABLE_FILL(out, "postgresql", context, postgresql_lock,
			       postgresql_unlock);
	if (error != NULL)
		memset(error, 0, sizeof *error);
	return MIGC_OK;
}
