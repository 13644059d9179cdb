/* cli.c: the embeddable command line (upgrade, downgrade, stamp, current,
 * history, heads, branches, show, --sql) for a set compiled into a program. It opens the database
 * named by a SQLAlchemy-style or libpq URL, drives the core and prints
 * Alembic's formats. */
#include "command.h"
#include "format.h"
#include "migc_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MIGC_CLI_WITH_SQLITE
#include "migc_sqlite.h"
#include <sqlite3.h>
#endif

#ifdef MIGC_CLI_WITH_POSTGRESQL
#include "migc_postgresql.h"
#include <libpq-fe.h>
#endif

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))
#define EXIT_FAILED	1

/* ---- databases: one opener per URL scheme ---- */

typedef struct cli_database {
	migc_driver driver;
	void (*close)(struct cli_database *database);
#ifdef MIGC_CLI_WITH_SQLITE
	migc_sqlite sqlite;
	sqlite3 *sqlite_db;
#endif
#ifdef MIGC_CLI_WITH_POSTGRESQL
	migc_postgresql postgresql;
	PGconn *pg_connection;
#endif
} cli_database;

typedef int (*open_fn)(cli_database *out, const char *url, const char *rest,
		       migc_error *error);

/* Every URL this command line prints goes through here: its password
 * masked as Alembic does, and also in what a library said about it. */
static void say_with_url(char *out, size_t size, const char *format,
			 const char *url, const char *rest)
{
	char shown[512];

	migc_url_mask(shown, sizeof shown, url);
	snprintf(out, size, format, shown, rest);
	migc_url_mask_in(out, size, url);
}

static int open_failure(migc_error *error, const char *url,
			const char *reason)
{
	memset(error, 0, sizeof *error);
	error->code = MIGC_EDRIVER;
	say_with_url(error->message, sizeof error->message,
		     "Cannot open database '%s': %s.", url, reason);
	return MIGC_EDRIVER;
}

#ifdef MIGC_CLI_WITH_SQLITE
static void close_sqlite(cli_database *database)
{
	sqlite3_close(database->sqlite_db);
	database->sqlite_db = NULL;
}

/* SQLite's own URI parameters (https://sqlite.org/uri.html); SQLAlchemy's
 * "uri=true", which asks for them, is taken and needs no value here. */
static const char *const sqlite_parameters[] = {
    "vfs", "mode", "cache", "psow", "nolock", "immutable", "uri", NULL};

/* The parameters in `query` ("a=1&b=2") are all SQLite's; else a reason. */
static const char *sqlite_query_refused(const char *query, char *reason,
					size_t size)
{
	while (*query != '\0') {
		size_t length = strcspn(query, "=&");
		size_t i;

		for (i = 0; sqlite_parameters[i] != NULL; i++) {
			if (strlen(sqlite_parameters[i]) == length &&
			    strncmp(sqlite_parameters[i], query, length) == 0)
				break;
		}
		if (sqlite_parameters[i] == NULL) {
			snprintf(reason, size,
				 "'%.*s' is not a SQLite URI parameter; "
				 "SQLite takes vfs, mode, cache, psow, nolock "
				 "and immutable",
				 (int)(length < 64 ? length : 64), query);
			return reason;
		}
		query += strcspn(query, "&");
		if (*query == '&')
			query++;
	}
	return NULL;
}

/* file:PATH?QUERY with '%', '?', '#' and bytes outside printable ASCII
 * in the path percent-encoded, so that SQLite reads back the very name;
 * SQLAlchemy's uri=true is left out (it is not SQLite's). */
static int sqlite_uri(char *out, size_t size, const char *path,
		      size_t path_length, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t used = 0;
	size_t i;
	int first = 1;

#define PUT(c)                                                                 \
	do {                                                                   \
		if (used + 1 >= size)                                          \
			return -1;                                             \
		out[used++] = (c);                                             \
	} while (0)
	for (i = 0; i < 5; i++)
		PUT("file:"[i]);
	for (i = 0; i < path_length; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
			PUT('%');
			PUT(hex[c >> 4]);
			PUT(hex[c & 15]);
		} else {
			PUT((char)c);
		}
	}
	while (query != NULL && *query != '\0') {
		size_t length = strcspn(query, "&");

		if (!(strncmp(query, "uri", 3) == 0 &&
		      (length == 3 || query[3] == '='))) {
			PUT(first ? '?' : '&');
			first = 0;
			for (i = 0; i < length; i++)
				PUT(query[i]);
		}
		query += length;
		if (*query == '&')
			query++;
	}
#undef PUT
	out[used] = '\0';
	return 0;
}

/* sqlite:///relative.db, sqlite:////absolute.db and sqlite:///:memory:,
 * as in SQLAlchemy, with SQLite's URI parameters after '?'. An empty path
 * (sqlite://, sqlite:///, as when $DB was unset) is refused rather than
 * taken as a database in memory that vanishes with its changes. */
static int open_sqlite(cli_database *out, const char *url, const char *rest,
		       migc_error *error)
{
	char uri[4096];
	char reason[256];
	const char *query = strchr(rest, '?');
	size_t length = query != NULL ? (size_t)(query - rest) : strlen(rest);
	int rc;

	if (length == 0 || rest[0] != '/')
		return open_failure(
		    error, url,
		    length == 0
			? "the URL names no file; write sqlite:///relative.db "
			  "or sqlite:////absolute/path.db (sqlite:///:memory: "
			  "for a database in memory, gone when the command "
			  "ends)"
			: "a SQLite URL is sqlite:///relative/path.db or "
			  "sqlite:////absolute/path.db; nothing goes between "
			  "'sqlite://' and the third '/'");
	if (length == 1)
		return open_failure(
		    error, url,
		    "the URL names no file; write sqlite:///relative.db or "
		    "sqlite:////absolute/path.db (sqlite:///:memory: for a "
		    "database in memory, gone when the command ends)");
	if (query != NULL &&
	    sqlite_query_refused(query + 1, reason, sizeof reason) != NULL)
		return open_failure(error, url, reason);
	if (sqlite_uri(uri, sizeof uri, rest + 1, length - 1,
		       query != NULL ? query + 1 : NULL) != 0)
		return open_failure(error, url, "the path is too long");
	rc = sqlite3_open_v2(
	    uri, &out->sqlite_db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		open_failure(error, url,
			     out->sqlite_db != NULL
				     ? sqlite3_errmsg(out->sqlite_db)
				     : sqlite3_errstr(rc));
		sqlite3_close(out->sqlite_db);
		out->sqlite_db = NULL;
		return MIGC_EDRIVER;
	}
	out->close = close_sqlite;
	rc = migc_sqlite_driver(&out->driver, &out->sqlite, out->sqlite_db, 0,
				error);
	if (rc != MIGC_OK)
		close_sqlite(out);
	return rc;
}
#endif

#ifdef MIGC_CLI_WITH_POSTGRESQL
static void close_postgresql(cli_database *database)
{
	PQfinish(database->pg_connection);
	database->pg_connection = NULL;
}

/* libpq parses the URL itself and fills what it leaves out from PGHOST,
 * PGPORT, PGDATABASE, PGUSER, PGPASSWORD...: "postgresql://" alone uses
 * only the environment. */
static int open_postgresql(cli_database *out, const char *url,
			   const char *rest, migc_error *error)
{
	char reason[MIGC_ERROR_MESSAGE_SIZE];
	size_t length;
	int rc;

	(void)rest;
	out->pg_connection = PQconnectdb(url);
	if (out->pg_connection == NULL)
		return open_failure(error, url, "out of memory");
	if (PQstatus(out->pg_connection) != CONNECTION_OK) {
		snprintf(reason, sizeof reason, "%s",
			 PQerrorMessage(out->pg_connection));
		length = strlen(reason);
		while (length > 0 && (reason[length - 1] == '\n' ||
				      reason[length - 1] == '.'))
			reason[--length] = '\0';
		close_postgresql(out);
		return open_failure(error, url, reason);
	}
	out->close = close_postgresql;
	rc = migc_postgresql_driver(&out->driver, &out->postgresql,
				    out->pg_connection, 0, error);
	if (rc != MIGC_OK)
		close_postgresql(out);
	return rc;
}
#endif

static const struct scheme {
	const char *prefix;
	open_fn open;
} schemes[] = {
#ifdef MIGC_CLI_WITH_SQLITE
	{ "sqlite://", open_sqlite },
#endif
#ifdef MIGC_CLI_WITH_POSTGRESQL
	{ "postgresql://", open_postgresql },
	{ "postgres://", open_postgresql },
#endif
	{ NULL, NULL }
};

static int open_database(cli_database *out, const char *url, migc_error *error)
{
	const struct scheme *scheme;

	memset(out, 0, sizeof *out);
	for (scheme = schemes; scheme->prefix != NULL; scheme++) {
		size_t length = strlen(scheme->prefix);

		if (strncmp(url, scheme->prefix, length) == 0)
			return scheme->open(out, url, url + length, error);
	}
	memset(error, 0, sizeof *error);
	error->code = MIGC_EINVAL;
	if (strncmp(url, "postgres", 8) == 0) {
		say_with_url(error->message, sizeof error->message,
			     "Unsupported database URL '%s': this program was "
			     "built without PostgreSQL support%s.",
			     url, "");
		return MIGC_EINVAL;
	}
	say_with_url(error->message, sizeof error->message,
		     "Unsupported database URL '%s'; this program supports %s.",
		     url,
		     schemes[0].prefix != NULL
			 ? "sqlite:///path.db (relative), "
			   "sqlite:////path.db (absolute) and "
			   "sqlite:///:memory: (in memory)"
			 : "no database: it was built without drivers");
	return MIGC_EINVAL;
}

/* ---- errors ---- */

/* driver_code is in the message already where the driver writes it as
 * the database shows it: PostgreSQL's "(SQLSTATE 25001)" (see migc.h). */
static int print_error(const migc_set *set, const migc_error *error)
{
	fprintf(stderr, "migc: error: %s", error->message);
	if (error->driver_code != 0 &&
	    (set->dialect == NULL || strcmp(set->dialect, "postgresql") != 0))
		fprintf(stderr, " (database error code %d)",
			error->driver_code);
	fputc('\n', stderr);
	return EXIT_FAILED;
}

static void print_usage(FILE *out, const char *program, const migc_set *set,
			const char *default_table)
{
	fprintf(
	    out,
	    "usage: %s [--url URL] [--version-table NAME] COMMAND ...\n"
	    "\n"
	    "Migrates a database with the revisions of set '%s' built "
	    "into this program.\n"
	    "\n"
	    "commands:\n"
	    "  upgrade [--sql] [--accept-changed-checksums] [[FROM:]TARGET]\n"
	    "                          apply revisions up to TARGET "
	    "(default head);\n"
	    "                          --sql prints the script instead "
	    "(FROM default base)\n"
	    "  downgrade [--sql] [FROM:]TARGET\n"
	    "                          unapply revisions down to TARGET "
	    "(-1, base, a revision);\n"
	    "                          --sql needs FROM\n"
	    "  stamp [--sql] [--purge] [FROM:]TARGET...\n"
	    "                          set the database's revision(s) "
	    "without running\n"
	    "                          anything (--purge: drop every "
	    "version row first);\n"
	    "                          --sql prints the statements "
	    "(FROM default base)\n"
	    "  current [-v]            show the database's revision(s)\n"
	    "  history [-r RANGE] [-v] [-i|--indicate-current]\n"
	    "                          list revisions, newest first; RANGE "
	    "is [START]:[END]\n"
	    "                          with ids, base, heads, current, "
	    "label@head, -N\n"
	    "  heads [-v]              show the head revision(s)\n"
	    "  branches [-v]           show the branch points\n"
	    "  show REV                show a revision (or current, heads)\n"
	    "  help                    show this text\n"
	    "\n"
	    "targets: head, heads, base, a revision id or unique prefix, "
	    "+N, -N, REV+N,\n"
	    "REV-N, LABEL@head, LABEL@+N, LABEL@-N, LABEL@REV\n"
	    "\n"
	    "options:\n"
	    "  --url URL             database, e.g. sqlite:///app.db%s; "
	    "default $MIGC_DATABASE_URL\n"
	    "  --version-table NAME  table of applied revisions, NAME "
	    "or SCHEMA.NAME\n"
	    "                        (default %s)\n"
	    "  --accept-changed-checksums  record the checksums of "
	    "revisions edited\n"
	    "                        after they were applied instead of "
	    "stopping\n"
	    "  -v, --verbose         the long format\n"
	    "  -h, --help            show this text\n",
	    program, set->name != NULL ? set->name : "",
#ifdef MIGC_CLI_WITH_POSTGRESQL
	    " or postgresql://user@host/db",
#else
	    "",
#endif
	    default_table);
}

/* ---- commands ---- */

#define MAX_TARGETS 16

enum command {
	CMD_UPGRADE,
	CMD_DOWNGRADE,
	CMD_STAMP,
	CMD_CURRENT,
	CMD_HISTORY,
	CMD_HEADS,
	CMD_BRANCHES,
	CMD_SHOW,
	CMD_HELP
};

static const char *const command_names[] = {
    "upgrade", "downgrade", "stamp", "current", "history",
    "heads",   "branches",  "show",  "help",	NULL};

typedef struct cli {
	const char *program;
	const migc_set *set;
	const char *default_table; /* --version-table's default, as shown */
	const migc_command_line *line;
	const char *url;
	migc_options options;
	int command; /* enum command */
	const char *targets[MAX_TARGETS];
	int target_count;
	const char *range;
	int verbose;
	int purge;
	int sql;
	int indicate_current;
} cli;

static void on_progress(const migc_event *event, void *payload)
{
	FILE *out = payload;
	const migc_revision *revision = event->revision;

	if (revision == NULL) {
		/* A revision this build lacks, stepped back from with the
		 * downgrade stored in the history table. */
		fprintf(out,
			"INFO  [migc] Running downgrade %s -> %s, (not in this "
			"build: stored downgrade)\n",
			event->id,
			event->parents != NULL && event->parents[0] != '\0'
				? event->parents
				: "<base>");
	} else if (event->kind == MIGC_EVENT_UPGRADE) {
		fputs("INFO  [migc] Running upgrade ", out);
		migc_format_ids(out, event->set, revision->parents,
				revision->parent_count);
		fprintf(out, " -> %s, %s\n", revision->id, revision->message);
	} else {
		fprintf(out, "INFO  [migc] Running downgrade %s -> ",
			revision->id);
		migc_format_ids(out, event->set, revision->parents,
				revision->parent_count);
		fprintf(out, ", %s\n", revision->message);
	}
	fflush(out);
}

static int with_database(const cli *c, cli_database *database,
			 migc_error *error)
{
	if (c->url == NULL) {
		memset(error, 0, sizeof *error);
		error->code = MIGC_EINVAL;
		snprintf(error->message, sizeof error->message,
			 "No database given; pass --url URL (for example "
			 "--url sqlite:///app.db) or set MIGC_DATABASE_URL.");
		return MIGC_EINVAL;
	}
	return open_database(database, c->url, error);
}

/* `--sql`'s "FROM:TARGET": FROM into `from` (unchanged when there is no
 * ':') and *target past the colon. 0, or a usage error's exit status. */
static int split_from(const cli *c, const char **target, char *from,
		      size_t size)
{
	const char *colon = strchr(*target, ':');
	size_t length;

	if (colon == NULL)
		return 0;
	length = (size_t)(colon - *target);
	if (length >= size)
		return migc_command_usage_error(c->line, c->command,
						"FROM is too long");
	memcpy(from, *target, length);
	from[length] = '\0';
	*target = colon + 1;
	return 0;
}

/* `--sql`: "FROM:TARGET" or "TARGET" (from base); upgrade's TARGET
 * defaults to head, as online. */
static int run_offline(const cli *c, int downgrade)
{
	char from[256] = "base";
	const char *target = c->target_count > 0 ? c->targets[0] : "head";
	migc_error error;
	int rc;

	if (strchr(target, ':') == NULL && downgrade)
		return migc_command_usage_error(
		    c->line, c->command,
		    "downgrade --sql needs FROM:TARGET, such as heads:base, "
		    "because there is no database to start from");
	rc = split_from(c, &target, from, sizeof from);
	if (rc != 0)
		return rc;
	memset(&error, 0, sizeof error);
	rc = migc_sql_script(stdout, c->set, c->options.version_table,
			     from[0] != '\0' ? from : "base",
			     target[0] != '\0' ? target : NULL, downgrade,
			     &error);
	return rc == MIGC_OK ? 0 : print_error(c->set, &error);
}

/* `stamp --sql [FROM:]TARGET [TARGET...]`: the version-row statements. */
static int run_offline_stamp(const cli *c)
{
	char from[256] = "base";
	const char *targets[MAX_TARGETS];
	migc_error error;
	int i;
	int rc;

	if (c->purge)
		return migc_command_usage_error(
		    c->line, c->command,
		    "stamp --sql cannot --purge: there is no database whose "
		    "rows to delete; give the rows to start from as "
		    "FROM:TARGET");
	for (i = 0; i < c->target_count; i++) {
		targets[i] = c->targets[i];
		if (i > 0 && strchr(targets[i], ':') != NULL)
			return migc_command_usage_error(
			    c->line, c->command,
			    "only the first target of stamp --sql may say "
			    "FROM:");
	}
	rc = split_from(c, &targets[0], from, sizeof from);
	if (rc != 0)
		return rc;
	memset(&error, 0, sizeof error);
	rc = migc_sql_stamp_script(stdout, c->set, c->options.version_table,
				   from[0] != '\0' ? from : "base", targets,
				   (size_t)c->target_count, &error);
	return rc == MIGC_OK ? 0 : print_error(c->set, &error);
}

static int run_migration(const cli *c)
{
	cli_database database;
	migc_error error;
	int rc;

	if (c->sql && c->command == CMD_STAMP)
		return run_offline_stamp(c);
	if (c->sql)
		return run_offline(c, c->command == CMD_DOWNGRADE);
	rc = with_database(c, &database, &error);
	if (rc != MIGC_OK)
		return print_error(c->set, &error);
	if (c->command == CMD_UPGRADE)
		rc = migc_upgrade(c->set, &database.driver,
				  c->target_count > 0 ? c->targets[0] : NULL,
				  &c->options, &error);
	else if (c->command == CMD_STAMP)
		rc = migc_stamp_many(c->set, &database.driver, c->targets,
				     (size_t)c->target_count, c->purge,
				     &c->options, &error);
	else
		rc = migc_downgrade(c->set, &database.driver, c->targets[0],
				    &c->options, &error);
	database.close(&database);
	return rc == MIGC_OK ? 0 : print_error(c->set, &error);
}

/* The database's state: per revision, applied and version-row flags; the
 * rows this set lacks are counted in *unknown and the first kept. */
typedef struct db_state {
	unsigned char *applied;
	unsigned char *rows;
	size_t unknown;
	char first_unknown[MIGC_REVISION_ID_MAX + 1];
} db_state;

static void state_free(db_state *state)
{
	free(state->applied);
	free(state->rows);
}

static int read_db_state(const cli *c, db_state *state)
{
	migc_version_row rows[2 * MIGC_MAX_HEADS];
	cli_database database;
	migc_error error;
	size_t count = 0;
	size_t i;
	int rc;

	memset(state, 0, sizeof *state);
	state->applied = calloc(c->set->revision_count + 1, 1);
	state->rows = calloc(c->set->revision_count + 1, 1);
	if (state->applied == NULL || state->rows == NULL) {
		state_free(state);
		fputs("migc: error: out of memory\n", stderr);
		return EXIT_FAILED;
	}
	rc = with_database(c, &database, &error);
	if (rc == MIGC_OK) {
		rc = migc_version_rows(rows, COUNT_OF(rows), &count, c->set,
				       &database.driver, &c->options, &error);
		if (rc == MIGC_OK)
			rc = migc_applied(state->applied,
					  c->set->revision_count + 1, c->set,
					  &database.driver, &c->options,
					  &error);
		database.close(&database);
	}
	if (rc != MIGC_OK) {
		state_free(state);
		return print_error(c->set, &error);
	}
	for (i = 0; i < count && i < COUNT_OF(rows); i++) {
		if (rows[i].revision != NULL) {
			state->rows[rows[i].revision - c->set->revisions] = 1;
		} else if (state->unknown++ == 0) {
			/* Ids are at most MIGC_REVISION_ID_MAX bytes. */
			snprintf(state->first_unknown,
				 sizeof state->first_unknown, "%.*s",
				 MIGC_REVISION_ID_MAX, rows[i].id);
		}
	}
	return 0;
}

static void print_unknown(const cli *c, const db_state *state)
{
	if (state->unknown == 0)
		return;
	printf("%s (not in this build: the database was migrated by a newer "
	       "build; deploy it, or run 'downgrade %s' to step back)\n",
	       state->first_unknown,
	       c->set->head_count == 1 ? c->set->revisions[c->set->heads[0]].id
				       : "heads");
}

static void print_revision(const cli *c, uint32_t index,
			   const migc_format_context *context)
{
	if (c->verbose)
		migc_format_long(stdout, c->set, index, context);
	else
		migc_format_short(stdout, c->set, index, MIGC_FORMAT_TREE,
				  context);
}

/* Alembic's get_all_current(): the applied revisions that no applied
 * revision has as a parent (so a dependency shows as its branch's head). */
static int run_current(const cli *c)
{
	migc_format_context context = { "", NULL };
	db_state state;
	uint32_t i;
	int status = read_db_state(c, &state);

	if (status != 0)
		return status;
	if (c->verbose) {
		char line[600];

		say_with_url(line, sizeof line, "Current revision(s) for %s:%s",
			     c->url, "");
		printf("%s\n", line);
	}
	for (i = 0; i < c->set->revision_count; i++) {
		const migc_revision *r = &c->set->revisions[i];
		uint32_t k;

		if (!state.applied[i])
			continue;
		for (k = 0; k < r->parent_count; k++)
			state.applied[r->parents[k]] = 2;
	}
	for (i = 0; i < c->set->revision_count; i++) {
		if (state.applied[i] == 1)
			print_revision(c, i, &context);
	}
	print_unknown(c, &state);
	state_free(&state);
	return 0;
}

static int needs_database(const cli *c)
{
	const char *colon = c->range != NULL ? strchr(c->range, ':') : NULL;

	return c->indicate_current ||
	       (colon != NULL && (strcmp(colon + 1, "current") == 0 ||
				  strncmp(c->range, "current:", 8) == 0));
}

static int run_history(const cli *c)
{
	migc_format_context context = { "", NULL };
	char message[512] = "";
	db_state state;
	int status = 0;

	memset(&state, 0, sizeof state);
	if (needs_database(c)) {
		status = read_db_state(c, &state);
		if (status != 0)
			return status;
		if (c->indicate_current)
			context.current = state.rows;
	}
	if (migc_format_history_rows(stdout, c->set, c->range, c->verbose,
				     &context, state.rows, message,
				     sizeof message) != 0) {
		fprintf(stderr, "migc: error: %s\n", message);
		status = EXIT_FAILED;
	}
	state_free(&state);
	return status;
}

static int run_show(const cli *c)
{
	migc_format_context context = { "", NULL };
	char message[512] = "";
	db_state state;
	uint32_t i;
	int status;

	if (strcmp(c->targets[0], "current") != 0) {
		if (migc_format_show(stdout, c->set, c->targets[0], &context,
				     message, sizeof message) == 0)
			return 0;
		fprintf(stderr, "migc: error: %s\n", message);
		return EXIT_FAILED;
	}
	status = read_db_state(c, &state);
	if (status != 0)
		return status;
	for (i = 0; i < c->set->revision_count; i++) {
		if (state.rows[i])
			migc_format_long(stdout, c->set, i, &context);
	}
	print_unknown(c, &state);
	state_free(&state);
	return 0;
}

/* ---- arguments ---- */

/* Per command: its synopsis and what it does, for `COMMAND --help`, and
 * how many targets it takes, with the error when it has fewer. */
static const struct command_spec {
	const char *synopsis;
	const char *help;
	int min_targets;
	int max_targets;
	const char *too_few;
} commands[] = {
    {"upgrade [--sql] [--accept-changed-checksums] [[FROM:]TARGET]",
     "Applies revisions up to TARGET (default head). --sql prints the "
     "SQL script\ninstead, from FROM (default base), without a "
     "database.",
     0, 1, NULL},
    {"downgrade [--sql] [FROM:]TARGET",
     "Unapplies revisions down to TARGET (-1, base, a revision). "
     "--sql prints the\nscript instead and needs FROM, such as "
     "heads:base.",
     1, 1, "downgrade needs a target, such as -1, base or a revision id"},
    {"stamp [--sql] [--purge] TARGET...",
     "Sets the database's revision(s) without running any revision "
     "(--purge: drops\nevery version row first). --sql prints the "
     "version-table statements instead.",
     1, MAX_TARGETS,
     "stamp needs a target, such as head, base or a "
     "revision id"},
    {"current [-v]", "Shows the database's revision(s).", 0, 0, NULL},
    {"history [-r RANGE] [-v] [-i|--indicate-current]",
     "Lists revisions, newest first; RANGE is [START]:[END] with ids, "
     "base, heads,\ncurrent, label@head, -N (-r-2:head works too).",
     0, 0, NULL},
    {"heads [-v]", "Shows the head revision(s).", 0, 0, NULL},
    {"branches [-v]", "Shows the branch points.", 0, 0, NULL},
    {"show REV", "Shows a revision (or current, heads).", 1, 1,
     "show needs one revision, such as head, current or an id"},
    {"help", "Shows the usage.", 0, MAX_TARGETS, NULL},
};

#define FOR(command) (1ul << (command))
#define MIGRATING    (FOR(CMD_UPGRADE) | FOR(CMD_DOWNGRADE) | FOR(CMD_STAMP))
#define SHOWING                                                                \
	(FOR(CMD_CURRENT) | FOR(CMD_HISTORY) | FOR(CMD_HEADS) |                \
	 FOR(CMD_BRANCHES) | FOR(CMD_SHOW))

enum option_id {
	OPT_URL,
	OPT_VERSION_TABLE,
	OPT_SQL,
	OPT_ACCEPT,
	OPT_PURGE,
	OPT_VERBOSE,
	OPT_RANGE,
	OPT_INDICATE
};

static const migc_command_option options[] = {
    {"url", 0, 1, OPT_URL, 0},
    {"version-table", 0, 1, OPT_VERSION_TABLE, 0},
    {"help", 'h', 0, MIGC_COMMAND_HELP_OPTION, 0},
    {"sql", 0, 0, OPT_SQL, MIGRATING},
    {"accept-changed-checksums", 0, 0, OPT_ACCEPT,
     FOR(CMD_UPGRADE) | FOR(CMD_STAMP)},
    {"purge", 0, 0, OPT_PURGE, FOR(CMD_STAMP)},
    {"verbose", 'v', 0, OPT_VERBOSE, SHOWING},
    {"rev-range", 'r', 1, OPT_RANGE, FOR(CMD_HISTORY)},
    {"indicate-current", 'i', 0, OPT_INDICATE, FOR(CMD_HISTORY)},
};

static void print_help(int command, void *payload)
{
	const cli *c = payload;

	if (command < 0) {
		print_usage(stdout, c->program, c->set, c->default_table);
		return;
	}
	printf("usage: %s [--url URL] [--version-table NAME] %s\n\n%s\n\n"
	       "Run '%s --help' for the targets and the options every "
	       "command takes.\n",
	       c->program, commands[command].synopsis, commands[command].help,
	       c->program);
}

static int on_option(int id, const char *value, int command, void *payload)
{
	cli *c = payload;

	(void)command;
	switch (id) {
	case OPT_URL:
		c->url = value;
		break;
	case OPT_VERSION_TABLE:
		c->options.version_table = value;
		break;
	case OPT_SQL:
		c->sql = 1;
		break;
	case OPT_ACCEPT:
		c->options.accept_changed_checksums = 1;
		break;
	case OPT_PURGE:
		c->purge = 1;
		break;
	case OPT_VERBOSE:
		c->verbose = 1;
		break;
	case OPT_RANGE:
		c->range = value;
		break;
	default:
		c->indicate_current = 1;
		break;
	}
	return 0;
}

static int on_argument(const char *argument, int command, void *payload)
{
	cli *c = payload;

	if (c->target_count < MAX_TARGETS) {
		c->targets[c->target_count++] = argument;
		return 0;
	}
	(void)migc_command_usage_error(c->line, command,
				       "unexpected argument '%s'", argument);
	return MIGC_COMMAND_USAGE;
}

/* The command's count of targets, then the command. */
static int run(const cli *c)
{
	const struct command_spec *spec = &commands[c->command];
	migc_format_context context = {"", NULL};

	if (c->target_count > spec->max_targets)
		return migc_command_usage_error(
		    c->line, c->command,
		    spec->max_targets == 1 ? "this command takes one target"
					   : "this command takes no target");
	if (c->target_count < spec->min_targets)
		return migc_command_usage_error(c->line, c->command, "%s",
						spec->too_few);
	switch (c->command) {
	case CMD_CURRENT:
		return run_current(c);
	case CMD_HISTORY:
		return run_history(c);
	case CMD_HEADS:
		migc_format_heads(stdout, c->set, c->verbose, &context);
		return 0;
	case CMD_BRANCHES:
		migc_format_branches(stdout, c->set, c->verbose, &context);
		return 0;
	case CMD_SHOW:
		return run_show(c);
	default:
		return run_migration(c);
	}
}

int migc_cli_main(const migc_set *set, int argc, char **argv)
{
	return migc_cli_main_table(set, NULL, argc, argv);
}

int migc_cli_main_table(const migc_set *set,
			const char *default_version_table, int argc,
			char **argv)
{
	migc_command_line line = {
	    NULL,      command_names, options,	  COUNT_OF(options),
	    on_option, on_argument,   print_help, NULL};
	cli c;

	memset(&c, 0, sizeof c);
	c.program = argc > 0 && argv[0] != NULL ? argv[0] : "migrate";
	c.set = set;
	c.default_table = default_version_table != NULL
			      ? default_version_table
			      : MIGC_DEFAULT_VERSION_TABLE;
	c.options.version = MIGC_OPTIONS_VERSION;
	c.options.progress = on_progress;
	c.options.progress_payload = stderr;
	c.options.version_table = default_version_table;
	c.url = getenv("MIGC_DATABASE_URL");
	if (c.url != NULL && c.url[0] == '\0')
		c.url = NULL;
	if (set == NULL) {
		fputs("migc: error: no migration set was compiled in\n",
		      stderr);
		return EXIT_FAILED;
	}
	line.program = c.program;
	line.payload = &c;
	c.line = &line;
	c.command = migc_command_parse(&line, argc, argv);
	if (c.command == MIGC_COMMAND_HELP)
		return 0;
	if (c.command < 0)
		return MIGC_COMMAND_EXIT_USAGE;
	return run(&c);
}
