/* postgresql.c: PostgreSQL's side of autogenerate's dialect interface
 * (dialect.h). The schemas are built in scratch databases on the server the
 * project's url names (migc_scratch_<pid>_<random>_head: the revisions up
 * to head; ..._want: the declared schema.sql), dropped afterwards, also on
 * error and on SIGINT/SIGTERM/SIGHUP. The url's own database is never
 * written nor read. postgresql_catalog.c reads their public schemas,
 * postgresql_diff.c writes the SQL between them. */
#include "postgresql.h"
#include "command.h"
#include "dialect.h"
#include "sqlite.h" /* sql_normalize, sql_mentions */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifndef MIGC_GENERATOR_WITH_POSTGRESQL

static int without_libpq(struct scratch **out, const char *url,
			 struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	(void)url;
	*out = NULL;
	diag_error(diag, at,
		   "this migc was built without libpq, so it cannot compare "
		   "PostgreSQL schemas; rebuild it with libpq (Debian: "
		   "libpq-dev, CMake option MIGC_WITH_POSTGRESQL=ON)");
	return -1;
}

/* Only open is ever called: it fails, saying why. */
const struct autogen_dialect autogen_postgresql = {
    .dialect = DIALECT_POSTGRESQL, .open = without_libpq};

#else

#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* What the scratch databases hold: the schema the comparison reads. A
 * revision's "public.accounts" and "accounts" both land there. */
static const char compared_schema[] = "public";

/* The server the url names and the scratch databases made on it: 0 holds
 * the revisions up to head, 1 the declared schema. The url's own database
 * serves only as the door to the server (CREATE and DROP DATABASE); no
 * revision and no query about its contents runs there. */
struct scratch {
	const char *url;
	char shown[512]; /* the url as printed: password masked */
	PGconn *server;
	PGconn *connection[2];
	char names[2][64];
	int made[2];
	struct sigaction saved[3];
	int handling;
};

/* ---- signals: SIGINT, SIGTERM and SIGHUP cancel the running statement
 * and are recorded; the command then fails through its normal cleanup,
 * which drops the scratch databases. ---- */

static const int handled_signals[3] = {SIGINT, SIGTERM, SIGHUP};
static volatile sig_atomic_t caught_signal;
/* The running statements' cancel handles; PQcancel is async-signal-safe. */
static PGcancel *volatile cancels[3];

static void on_signal(int number)
{
	char ignored[256];
	size_t i;
	caught_signal = number;
	for (i = 0; i < sizeof cancels / sizeof *cancels; i++)
		if (cancels[i])
			PQcancel(cancels[i], ignored, sizeof ignored);
}

static void block_signals(int block)
{
	sigset_t set;
	size_t i;
	sigemptyset(&set);
	for (i = 0; i < 3; i++)
		sigaddset(&set, handled_signals[i]);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

/* Slot 0: the server connection; 1 + which: the scratch ones. */
static void arm_cancel(size_t slot, PGconn *connection)
{
	PGcancel *old;
	block_signals(1);
	old = cancels[slot];
	cancels[slot] = connection ? PQgetCancel(connection) : NULL;
	block_signals(0);
	if (old)
		PQfreeCancel(old);
}

static void handle_signals(struct scratch *s)
{
	struct sigaction action;
	size_t i;
	memset(&action, 0, sizeof action);
	action.sa_handler = on_signal;
	sigemptyset(&action.sa_mask);
	caught_signal = 0;
	/* One ignored from the start (nohup, a script's background job)
	 * stays ignored. */
	for (i = 0; i < 3; i++)
		if (sigaction(handled_signals[i], NULL, &s->saved[i]) == 0 &&
		    s->saved[i].sa_handler != SIG_IGN)
			sigaction(handled_signals[i], &action, NULL);
	s->handling = 1;
}

static void restore_signals(struct scratch *s)
{
	size_t i;
	if (!s->handling)
		return;
	for (i = 0; i < 3; i++)
		sigaction(handled_signals[i], &s->saved[i], NULL);
	s->handling = 0;
}

static const char *signal_name(int number)
{
	return number == SIGINT	   ? "SIGINT"
	       : number == SIGTERM ? "SIGTERM"
	       : number == SIGHUP  ? "SIGHUP"
				   : "a signal";
}

static void ignore_notice(void *payload, const char *message)
{
	(void)payload;
	(void)message;
}

/* The last failure's message, kept across the ROLLBACK that follows it
 * (which clears libpq's), with any password of the url masked (libpq
 * echoes parts of a connection string it cannot parse). */
static char failure_text[1024];
static const char *failure_url;

static void keep_text(const char *text)
{
	size_t n;
	snprintf(failure_text, sizeof failure_text, "%s", text);
	migc_url_mask_in(failure_text, sizeof failure_text, failure_url);
	n = strlen(failure_text);
	while (n > 0 &&
	       (failure_text[n - 1] == '\n' || failure_text[n - 1] == ' '))
		failure_text[--n] = '\0';
}

static void keep_message(PGconn *connection)
{
	keep_text(PQerrorMessage(connection));
}

/* libpq's message without its final newline. */
static const char *server_message(PGconn *connection)
{
	if (PQerrorMessage(connection)[0])
		keep_message(connection);
	return failure_text;
}

static int run(PGconn *connection, const char *sql)
{
	PGresult *result;
	ExecStatusType status;
	if (caught_signal)
		return -1;
	result = PQexec(connection, sql);
	status = PQresultStatus(result);
	PQclear(result);
	return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? 0 : -1;
}

static void random_suffix(char *out, size_t size)
{
	static unsigned counter;
	unsigned char bytes[4] = {0};
	unsigned value;
	FILE *f = fopen("/dev/urandom", "rb");
	if (!f || fread(bytes, 1, sizeof bytes, f) != sizeof bytes) {
		value = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
		memcpy(bytes, &value, sizeof bytes);
	}
	if (f)
		fclose(f);
	value = ((unsigned)bytes[0] << 24 | (unsigned)bytes[1] << 16 |
		 (unsigned)bytes[2] << 8 | bytes[3]) ^
		++counter;
	snprintf(out, size, "%08x", value);
}

/* Connects to the server; nothing is created yet. */
static int scratch_open(struct scratch *s, const char *url,
			struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	memset(s, 0, sizeof *s);
	s->url = url && *url ? url : NULL;
	failure_url = s->url;
	if (s->url)
		migc_url_mask(s->shown, sizeof s->shown, s->url);
	else
		snprintf(s->shown, sizeof s->shown, "(libpq's environment)");
	handle_signals(s);
	s->server = PQconnectdb(s->url ? s->url : "");
	if (PQstatus(s->server) != CONNECTION_OK) {
		diag_error(diag, at,
			   "cannot connect to the PostgreSQL server of %s: %s; "
			   "set 'url' in migc.ini (or --url, "
			   "MIGC_DATABASE_URL, PGHOST...) to a server where "
			   "migc may create and drop scratch databases",
			   s->shown, server_message(s->server));
		PQfinish(s->server);
		s->server = NULL;
		restore_signals(s);
		return -1;
	}
	PQsetNoticeProcessor(s->server, ignore_notice, NULL);
	arm_cancel(0, s->server);
	return 0;
}

static void refuse_without_createdb(const struct scratch *s,
				    struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	const char *role = PQuser(s->server);
	diag_error(diag, at,
		   "cannot create a scratch database on the server of %s: "
		   "role \"%s\" lacks the CREATEDB privilege. verify, check "
		   "and revision --autogenerate run revisions only in "
		   "databases of their own, which they create and drop, "
		   "never in the database the url names; grant it (ALTER "
		   "ROLE %s CREATEDB), or set 'url' (migc.ini, --url or "
		   "MIGC_DATABASE_URL) to a server where the role has it, "
		   "such as a development server",
		   s->shown, role, role);
}

/* A new, empty database, connected: which 0 (head) or 1 (declared). */
static int scratch_database(struct scratch *s, int which,
			    struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	const char *keys[3] = {"dbname", "dbname", NULL};
	const char *values[3] = {NULL, NULL, NULL};
	char sql[160], suffix[16];
	PGresult *r;
	const char *state;
	int created;

	random_suffix(suffix, sizeof suffix);
	snprintf(s->names[which], sizeof s->names[which],
		 "migc_scratch_%ld_%s_%s", (long)getpid(), suffix,
		 which ? "want" : "head");
	/* template0: nothing of template1's, and no other user in it. */
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0",
		 s->names[which]);
	if (caught_signal)
		return -1;
	r = PQexec(s->server, sql);
	created = PQresultStatus(r) == PGRES_COMMAND_OK;
	state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	if (created)
		s->made[which] = 1;
	else if (caught_signal)
		;
	else if (state && strcmp(state, "42501") == 0)
		refuse_without_createdb(s, diag);
	else
		diag_error(diag, at,
			   "cannot create the scratch database %s on the "
			   "server of %s: %s",
			   s->names[which], s->shown,
			   server_message(s->server));
	PQclear(r);
	if (!created || caught_signal)
		return -1;

	/* The url's settings (host, user, password, sslmode...) with the
	 * scratch database's name over its own. */
	if (s->url) {
		values[0] = s->url;
		values[1] = s->names[which];
	} else {
		keys[0] = "dbname";
		values[0] = s->names[which];
		keys[1] = NULL;
	}
	s->connection[which] = PQconnectdbParams(keys, values, 1);
	if (PQstatus(s->connection[which]) != CONNECTION_OK) {
		diag_error(diag, at,
			   "cannot connect to the scratch database %s on the "
			   "server of %s: %s",
			   s->names[which], s->shown,
			   server_message(s->connection[which]));
		return -1;
	}
	PQsetNoticeProcessor(s->connection[which], ignore_notice, NULL);
	arm_cancel(1 + (size_t)which, s->connection[which]);
	return run(s->connection[which], "SET search_path TO public");
}

/* Disconnects from scratch database `which` and drops it. Returns 0, or
 * -1 after saying how to drop it by hand. */
static int scratch_drop(struct scratch *s, int which, struct diagnostics *diag)
{
	char sql[200];
	int attempt, dropped = 0;
	arm_cancel(1 + (size_t)which, NULL);
	if (s->connection[which]) {
		PQfinish(s->connection[which]);
		s->connection[which] = NULL;
	}
	if (!s->made[which])
		return 0;
	/* FORCE (PostgreSQL 13): a backend still finishing a cancelled
	 * statement does not keep the database. */
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s%s",
		 s->names[which],
		 PQserverVersion(s->server) >= 130000 ? " WITH (FORCE)" : "");
	for (attempt = 0; attempt < 3 && !dropped; attempt++) {
		PGresult *r = PQexec(s->server, sql);
		dropped = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!dropped && attempt < 2)
			sleep(1); /* PostgreSQL < 13: the backend leaving */
	}
	s->made[which] = 0;
	if (!dropped) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at,
			   "cannot drop the scratch database %s: %s; drop it "
			   "by hand: DROP DATABASE %s",
			   s->names[which], server_message(s->server),
			   s->names[which]);
		return -1;
	}
	return 0;
}

/* Drops what was made, also after an error or a signal (blocked
 * meanwhile, so a second Ctrl-C does not stop the cleanup). Returns 0, or
 * -1 when interrupted or a database could not be dropped. */
static int scratch_close(struct scratch *s, struct diagnostics *diag)
{
	int result = 0, which;
	int number;
	if (!s->server)
		return 0;
	block_signals(1);
	arm_cancel(0, NULL);
	for (which = 0; which < 2; which++)
		if (scratch_drop(s, which, diag) != 0)
			result = -1;
	PQfinish(s->server);
	s->server = NULL;
	number = caught_signal;
	caught_signal = 0;
	restore_signals(s);
	block_signals(0);
	failure_url = NULL;
	if (number) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at,
			   "interrupted by %s; the scratch database%s dropped",
			   signal_name(number),
			   result == 0 ? " was" : " could not be");
		result = -1;
	}
	return result;
}

/* The first schema beyond public, pg_catalog and information_schema (and
 * those extensions own): 1 and *name malloc'd, 0 when none, -1 on error. */
static int other_schema(PGconn *connection, char **name)
{
	PGresult *r = PQexec(
	    connection,
	    "SELECT n.nspname FROM pg_namespace n WHERE n.nspname NOT IN "
	    "('public', 'information_schema') AND n.nspname NOT LIKE "
	    "'pg\\_%' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE "
	    "d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND "
	    "d.deptype = 'e') ORDER BY 1 LIMIT 1");
	int found;
	*name = NULL;
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		keep_message(connection);
		PQclear(r);
		return -1;
	}
	found = PQntuples(r) > 0;
	if (found) {
		*name = strdup(PQgetvalue(r, 0, 0));
		if (!*name)
			abort();
	}
	PQclear(r);
	return found;
}

/* After `list` ran in database `which`: refuses a schema beyond public,
 * at the statement that names it. `what` is "the declared schema" or
 * "revision X: the upgrade". */
static int only_public(struct scratch *s, int which,
		       const struct statements *list, const char *path,
		       int fallback_line, const char *what,
		       struct diagnostics *diag)
{
	char *name = NULL;
	int status = other_schema(s->connection[which], &name);
	struct location at = {path, fallback_line, 1};
	size_t i;
	if (status == 0)
		return 0;
	if (status < 0) {
		diag_error(diag, at, "cannot list the schemas: %s",
			   failure_text);
		return -1;
	}
	for (i = 0; i < list->count; i++)
		if (sql_mentions(list->items[i].sql, name)) {
			at.line = list->items[i].line;
			break;
		}
	diag_error(diag, at,
		   "%s creates schema %s; verify, check and autogenerate "
		   "compare the public schema only: keep the objects in "
		   "public (unqualified names, or qualified with public.)",
		   what, name);
	free(name);
	return -1;
}

/* Roles, tablespaces, databases and the server's settings are shared by
 * every database of a server: a scratch database cannot isolate them, so
 * a statement that changes them (CREATE ROLE, GRANT role TO role, ...)
 * would change the live server. Returns what it is, or NULL. */
static const char *server_wide(const char *sql)
{
	static const char *const kinds[] = {"CREATE ROLE",
					    "ALTER ROLE",
					    "DROP ROLE",
					    "CREATE USER",
					    "ALTER USER",
					    "DROP USER",
					    "CREATE GROUP",
					    "ALTER GROUP",
					    "DROP GROUP",
					    "CREATE TABLESPACE",
					    "ALTER TABLESPACE",
					    "DROP TABLESPACE",
					    "CREATE DATABASE",
					    "ALTER DATABASE",
					    "DROP DATABASE",
					    "ALTER SYSTEM",
					    "REASSIGN OWNED",
					    "COMMENT ON ROLE",
					    "COMMENT ON DATABASE",
					    "COMMENT ON TABLESPACE",
					    "SECURITY LABEL ON ROLE"};
	char *text = sql_normalize(sql);
	const char *found = NULL;
	size_t i;
	for (i = 0; i < sizeof kinds / sizeof *kinds && !found; i++) {
		size_t n = strlen(kinds[i]);
		if (strncasecmp(text, kinds[i], n) == 0 &&
		    (text[n] == ' ' || text[n] == ';' || text[n] == '\0'))
			found = kinds[i];
	}
	/* CREATE USER MAPPING belongs to the database. */
	if (found && strstr(found, "USER") &&
	    strncasecmp(text + strlen(found), " mapping", 8) == 0)
		found = NULL;
	/* A GRANT or REVOKE without ON is one of role membership. */
	if (!found && (strncasecmp(text, "grant ", 6) == 0 ||
		       strncasecmp(text, "revoke ", 7) == 0)) {
		const char *on = strstr(text, " on ");
		if (!on)
			found = "GRANT or REVOKE of a role";
	}
	free(text);
	return found;
}

static int refuse_server_wide(const struct statements *list, const char *path,
			      const char *what, struct diagnostics *diag)
{
	size_t i;
	for (i = 0; i < list->count; i++) {
		const char *kind = server_wide(list->items[i].sql);
		if (kind) {
			struct location at = {path, list->items[i].line, 1};
			diag_error(diag, at,
				   "%s runs %s, which changes the whole "
				   "server, not one database: verify, check "
				   "and autogenerate run revisions in scratch "
				   "databases, which cannot isolate roles, "
				   "tablespaces or databases, so they refuse "
				   "it; create roles and tablespaces outside "
				   "the revisions (they are shared by every "
				   "database of the server)",
				   what, kind);
			return -1;
		}
	}
	return 0;
}

/* Runs `list` in one transaction unless `no_transaction`; the error
 * names the statement. Returns 0, or -1 after `report` was told. */
static int run_statements(PGconn *connection, const struct statements *list,
			  int no_transaction, size_t *failed)
{
	size_t i;
	if (!no_transaction && run(connection, "BEGIN") != 0) {
		*failed = 0;
		return -1;
	}
	for (i = 0; i < list->count; i++)
		if (run(connection, list->items[i].sql) != 0) {
			*failed = i;
			keep_message(connection);
			if (!no_transaction) {
				PGresult *r = PQexec(connection, "ROLLBACK");
				PQclear(r);
			}
			return -1;
		}
	if (!no_transaction && run(connection, "COMMIT") != 0) {
		*failed = list->count ? list->count - 1 : 0;
		return -1;
	}
	return 0;
}

/* A revision's section, split, in one transaction unless its header says
 * `transaction none`; then no schema but public may hold anything. */
static int run_section(struct scratch *s, int which, const struct revision *r,
		       const struct section_run *run, struct diagnostics *diag)
{
	const struct statements *list = &run->list;
	size_t failed = 0;
	if (refuse_server_wide(list, r->path, run->what, diag) != 0)
		return -1;
	if (run_statements(s->connection[which], list, r->no_transaction,
			   &failed) != 0) {
		struct location at = {r->path,
				      list->count ? list->items[failed].line
						  : run->section->at.line,
				      1};
		if (!caught_signal)
			diag_error(diag, at, "%s fails in PostgreSQL: %s",
				   run->what,
				   server_message(s->connection[which]));
		return -1;
	}
	return only_public(s, which, list, r->path, run->section->at.line,
			   run->what, diag);
}

static int pg_apply(struct scratch *s, int which, const struct revision *r,
		    enum section_kind kind, struct diagnostics *diag)
{
	struct section_run run;
	int result = section_run_open(&run, r, kind, DIALECT_POSTGRESQL, diag);
	if (result == 0 && run.section)
		result = run_section(s, which, r, &run, diag);
	section_run_free(&run);
	return result;
}

/* A script (the declared schema, or what postgresql_diff.c wrote) split as a
 * revision section is, so that errors name lines. */
static int split_script(struct statements *out, const char *path,
			const char *text, struct diagnostics *diag)
{
	struct revision r;
	struct section s;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	r.path = (char *)path;
	r.file_name = (char *)path;
	r.text = (char *)text;
	r.length = strlen(text);
	s.kind = SECTION_UPGRADE;
	s.dialect = DIALECT_POSTGRESQL;
	s.at.file = path;
	s.at.line = 1;
	s.at.column = 1;
	s.begin = 0;
	s.end = r.length;
	s.body_line = 1;
	return sql_split(out, DIALECT_POSTGRESQL, &r, &s, diag);
}

/* Runs a script in database `which`: in one transaction, or statement
 * by statement when `one_by_one` (ALTER TYPE ... ADD VALUE). `what`
 * names it in an error about a schema beyond public. */
static int run_script(struct scratch *s, int which, const char *path,
		      const char *text, int one_by_one, const char *what,
		      struct diagnostics *diag)
{
	struct statements list = {0};
	size_t failed = 0;
	int result = 0;
	if (split_script(&list, path, text, diag) != 0) {
		statements_free(&list);
		return -1;
	}
	if (refuse_server_wide(&list, path, what, diag) != 0) {
		result = -1;
	} else if (run_statements(s->connection[which], &list, one_by_one,
				  &failed) != 0) {
		struct location at = {
		    path, list.count ? list.items[failed].line : 0, 1};
		if (!caught_signal)
			diag_error(diag, at, "PostgreSQL: %s",
				   server_message(s->connection[which]));
		result = -1;
	} else {
		result = only_public(s, which, &list, path, 1, what, diag);
	}
	statements_free(&list);
	return result;
}

/* ---- the dialect's table ---- */

static int pg_open(struct scratch **out, const char *url,
		   struct diagnostics *diag)
{
	*out = malloc(sizeof **out);
	if (!*out)
		abort();
	if (scratch_open(*out, url, diag) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* A new, empty database `which`, after dropping the one made before. */
static int pg_create(struct scratch *s, int which, struct diagnostics *diag)
{
	if (scratch_drop(s, which, diag) != 0)
		return -1;
	return scratch_database(s, which, diag);
}

/* `pg_dump -s` as users paste it: its \restrict and \unrestrict lines
 * (psql meta-commands guarding the restore, PostgreSQL 17.6, 16.10, 15.14
 * and later) become blank lines, so that lines keep their numbers. Any
 * other meta-command stays and is refused where it is. malloc'd. */
static char *without_restrict_lines(const char *text)
{
	char *copy = text_dup(text), *line = copy;
	while (line && *line) {
		char *end = strchr(line, '\n');
		if (strncmp(line, "\\restrict ", 10) == 0 ||
		    strncmp(line, "\\unrestrict ", 12) == 0)
			memset(line, ' ', end ? (size_t)(end - line)
					      : strlen(line));
		line = end ? end + 1 : NULL;
	}
	return copy;
}

/* The declared schema in one transaction; a generated script too, as the
 * revision will run, or statement by statement when it is marked to run
 * outside a transaction (it uses an enum value it adds). */
static int pg_run(struct scratch *s, int which, const char *path,
		  const char *text, const char *what, int generated,
		  struct diagnostics *diag)
{
	int one_by_one = generated && autogen_outside_transaction(text);
	char *declared = generated ? NULL : without_restrict_lines(text);
	int result = run_script(s, which, path, declared ? declared : text,
				one_by_one, what, diag);
	free(declared);
	/* pg_dump's set_config('search_path', '', false) lasts the session:
	 * the catalog is read, as the revisions' is, under public. */
	if (result == 0 && !generated &&
	    run(s->connection[which], "SET search_path TO public") != 0)
		result = -1;
	if (result == 0)
		return 0;
	if (!generated && !caught_signal) {
		struct location at = {path, 0, 0};
		diag_note(diag, at,
			  "the declared schema must run in PostgreSQL "
			  "as it is, on an empty database, in the "
			  "public schema; fix it and try again");
	}
	return -1;
}

static int pg_read(struct scratch *s, int which, void *out, char **error)
{
	return pgcatalog_read(out, s->connection[which], compared_schema,
			      error);
}

static int pg_close(struct scratch *s, struct diagnostics *diag)
{
	int result;
	if (!s)
		return 0;
	result = scratch_close(s, diag);
	free(s);
	return result;
}

/* No extras: pg_catalog is read for every comparison. */
const struct autogen_dialect autogen_postgresql =
    AUTOGEN_DIALECT(pg, DIALECT_POSTGRESQL, &pgcatalog_shape, pgdiff_sql, NULL);

#endif /* MIGC_GENERATOR_WITH_POSTGRESQL */
