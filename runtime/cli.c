/* cli.c: the embeddable command line (upgrade, downgrade, stamp, current,
 * history, heads, branches, show, --sql) for a set compiled into a program. It opens the database
 * named by a SQLAlchemy-style or libpq URL, drives the core and prints
 * Alembic's formats. */
#include "migc_cli.h"
#include "format.h"

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
#define EXIT_FAILED 1
#define EXIT_USAGE 2

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

static int open_failure(migc_error *error, const char *url,
			const char *reason)
{
	memset(error, 0, sizeof *error);
	error->code = MIGC_EDRIVER;
	snprintf(error->message, sizeof error->message,
		 "Cannot open database '%s': %s.", url, reason);
	return MIGC_EDRIVER;
}

#ifdef MIGC_CLI_WITH_SQLITE
static void close_sqlite(cli_database *database)
{
	sqlite3_close(database->sqlite_db);
	database->sqlite_db = NULL;
}

/* sqlite:// and sqlite:///:memory: are in memory; sqlite:///relative.db
 * and sqlite:////absolute.db are files, as in SQLAlchemy. */
static int open_sqlite(cli_database *out, const char *url, const char *rest,
		       migc_error *error)
{
	const char *path = ":memory:";
	int rc;

	if (rest[0] == '/' && rest[1] != '\0')
		path = rest + 1;
	else if (rest[0] != '\0' && strcmp(rest, "/") != 0)
		return open_failure(error, url,
				    "a SQLite URL is sqlite:///relative/path.db, "
				    "sqlite:////absolute/path.db or sqlite://");
	rc = sqlite3_open_v2(path, &out->sqlite_db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
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
		snprintf(error->message, sizeof error->message,
			 "Unsupported database URL '%s': this program was "
			 "built without PostgreSQL support.",
			 url);
		return MIGC_EINVAL;
	}
	snprintf(error->message, sizeof error->message,
		 "Unsupported database URL '%s'; this program supports %s.",
		 url,
		 schemes[0].prefix != NULL
			 ? "sqlite:///path.db (relative), "
			   "sqlite:////path.db (absolute) and sqlite:// "
			   "(in memory)"
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

static int usage_error(const char *program, const char *message)
{
	fprintf(stderr, "migc: error: %s\nRun '%s --help' for usage.\n",
		message, program);
	return EXIT_USAGE;
}

static void print_usage(FILE *out, const char *program, const migc_set *set,
			const char *default_table)
{
	fprintf(out,
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
		"  stamp [--purge] TARGET...\n"
		"                          set the database's revision(s) "
		"without running\n"
		"                          anything (--purge: drop every "
		"version row first)\n"
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

typedef struct cli {
	const char *program;
	const migc_set *set;
	const char *url;
	migc_options options;
	const char *command;
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

/* `--sql`: "FROM:TARGET" or "TARGET" (from base); upgrade's TARGET
 * defaults to head, as online. */
static int run_offline(const cli *c, int downgrade)
{
	char from[256];
	const char *target = c->target_count > 0 ? c->targets[0] : "head";
	const char *colon = strchr(target, ':');
	migc_error error;
	int rc;

	if (colon == NULL && downgrade)
		return usage_error(c->program,
				   "downgrade --sql needs FROM:TARGET, such as "
				   "heads:base, because there is no database "
				   "to start from");
	if (colon != NULL) {
		if ((size_t)(colon - target) >= sizeof from)
			return usage_error(c->program, "FROM is too long");
		memcpy(from, target, (size_t)(colon - target));
		from[colon - target] = '\0';
		target = colon + 1;
	} else {
		strcpy(from, "base");
	}
	memset(&error, 0, sizeof error);
	rc = migc_sql_script(stdout, c->set, c->options.version_table,
			     from[0] != '\0' ? from : "base",
			     target[0] != '\0' ? target : NULL, downgrade,
			     &error);
	return rc == MIGC_OK ? 0 : print_error(c->set, &error);
}

static int run_migration(const cli *c)
{
	cli_database database;
	migc_error error;
	int rc;

	if (c->sql)
		return run_offline(c, strcmp(c->command, "downgrade") == 0);
	rc = with_database(c, &database, &error);
	if (rc != MIGC_OK)
		return print_error(c->set, &error);
	if (strcmp(c->command, "upgrade") == 0)
		rc = migc_upgrade(c->set, &database.driver,
				  c->target_count > 0 ? c->targets[0] : NULL,
				  &c->options, &error);
	else if (strcmp(c->command, "stamp") == 0)
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
	if (c->verbose)
		printf("Current revision(s) for %s:\n", c->url);
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

	if (c->target_count != 1)
		return usage_error(c->program,
				   "show needs one revision, such as head, "
				   "current or an id");
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

/* "-1" and "-3" are targets, not options. */
static int is_option(const char *arg)
{
	return arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9');
}

static int needs_value(const char *arg, int i, int argc, int *exit_status)
{
	if (i + 1 < argc)
		return 1;
	fprintf(stderr, "migc: error: %s needs a value\n", arg);
	*exit_status = EXIT_USAGE;
	return 0;
}

static int parse(cli *c, int argc, char **argv, int *exit_status)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			c->command = "help";
		} else if (strcmp(arg, "-v") == 0 ||
			   strcmp(arg, "--verbose") == 0) {
			c->verbose = 1;
		} else if (strcmp(arg, "--purge") == 0) {
			c->purge = 1;
		} else if (strcmp(arg, "--sql") == 0) {
			c->sql = 1;
		} else if (strcmp(arg, "-i") == 0 ||
			   strcmp(arg, "--indicate-current") == 0) {
			c->indicate_current = 1;
		} else if (strcmp(arg, "--accept-changed-checksums") == 0) {
			c->options.accept_changed_checksums = 1;
		} else if (strcmp(arg, "-r") == 0 ||
			   strcmp(arg, "--rev-range") == 0) {
			if (!needs_value(arg, i, argc, exit_status))
				return 0;
			c->range = argv[++i];
		} else if (strncmp(arg, "--rev-range=", 12) == 0) {
			c->range = arg + 12;
		} else if (strcmp(arg, "--url") == 0 ||
			   strcmp(arg, "--version-table") == 0) {
			if (!needs_value(arg, i, argc, exit_status))
				return 0;
			if (arg[2] == 'u')
				c->url = argv[++i];
			else
				c->options.version_table = argv[++i];
		} else if (strncmp(arg, "--url=", 6) == 0) {
			c->url = arg + 6;
		} else if (strncmp(arg, "--version-table=", 16) == 0) {
			c->options.version_table = arg + 16;
		} else if (is_option(arg)) {
			fprintf(stderr, "migc: error: unknown option '%s'\n",
				arg);
			*exit_status = EXIT_USAGE;
			return 0;
		} else if (c->command == NULL) {
			c->command = arg;
		} else if (c->target_count < MAX_TARGETS) {
			c->targets[c->target_count++] = arg;
		} else {
			fprintf(stderr,
				"migc: error: unexpected argument '%s'\n",
				arg);
			*exit_status = EXIT_USAGE;
			return 0;
		}
	}
	return 1;
}

static int is(const cli *c, const char *command)
{
	return strcmp(c->command, command) == 0;
}

/* Which options each command takes; NULL when all given are fine. */
static const char *misused_option(const cli *c)
{
	int migrates = is(c, "upgrade") || is(c, "downgrade");

	if (c->target_count > 1 && !is(c, "stamp"))
		return is(c, "upgrade") || is(c, "downgrade") || is(c, "show")
			       ? "this command takes one target"
			       : "this command takes no target";
	if (c->target_count > 0 && !migrates && !is(c, "stamp") &&
	    !is(c, "show"))
		return "this command takes no target";
	if (c->verbose && (migrates || is(c, "stamp")))
		return "--verbose is for current, history, heads, branches "
		       "and show";
	if (c->purge && !is(c, "stamp"))
		return "--purge is for stamp";
	if (c->sql && !migrates)
		return "--sql is for upgrade and downgrade";
	if ((c->range != NULL || c->indicate_current) && !is(c, "history"))
		return "-r and --indicate-current are for history";
	if (c->options.accept_changed_checksums && !is(c, "upgrade") &&
	    !is(c, "stamp"))
		return "--accept-changed-checksums is for upgrade and stamp";
	return NULL;
}

int migc_cli_main(const migc_set *set, int argc, char **argv)
{
	return migc_cli_main_table(set, NULL, argc, argv);
}

int migc_cli_main_table(const migc_set *set,
			const char *default_version_table, int argc,
			char **argv)
{
	migc_format_context context = { "", NULL };
	const char *misuse;
	cli c;
	int exit_status = 0;

	memset(&c, 0, sizeof c);
	c.program = argc > 0 && argv[0] != NULL ? argv[0] : "migrate";
	c.set = set;
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
	if (!parse(&c, argc, argv, &exit_status)) {
		fprintf(stderr, "Run '%s --help' for usage.\n", c.program);
		return exit_status;
	}
	if (c.command == NULL)
		return usage_error(c.program, "no command given");
	if (is(&c, "help")) {
		print_usage(stdout, c.program, set,
			    default_version_table != NULL
				    ? default_version_table
				    : MIGC_DEFAULT_VERSION_TABLE);
		return 0;
	}
	misuse = misused_option(&c);
	if (misuse != NULL)
		return usage_error(c.program, misuse);
	if (is(&c, "upgrade"))
		return run_migration(&c);
	if (is(&c, "stamp")) {
		if (c.target_count == 0)
			return usage_error(c.program,
					   "stamp needs a target, such as "
					   "head, base or a revision id");
		return run_migration(&c);
	}
	if (is(&c, "downgrade")) {
		if (c.target_count == 0)
			return usage_error(c.program,
					   "downgrade needs a target, such as "
					   "-1, base or a revision id");
		return run_migration(&c);
	}
	if (is(&c, "current"))
		return run_current(&c);
	if (is(&c, "history"))
		return run_history(&c);
	if (is(&c, "heads")) {
		migc_format_heads(stdout, set, c.verbose, &context);
		return 0;
	}
	if (is(&c, "branches")) {
		migc_format_branches(stdout, set, c.verbose, &context);
		return 0;
	}
	if (is(&c, "show"))
		return run_show(&c);
	fprintf(stderr, "migc: error: unknown command '%s'\n", c.command);
	fprintf(stderr, "Run '%s --help' for usage.\n", c.program);
	return EXIT_USAGE;
}
