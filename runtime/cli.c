/* cli.c: the embeddable command line (upgrade, downgrade, stamp, current,
 * history, heads) for a set compiled into a program. It opens the database
 * named by a SQLAlchemy-style or libpq URL, drives the core and prints
 * Alembic's formats. */
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

static int print_error(const migc_error *error)
{
	fprintf(stderr, "migc: error: %s", error->message);
	if (error->driver_code != 0)
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
		"  upgrade [--accept-changed-checksums] [TARGET]\n"
		"                          apply revisions up to TARGET "
		"(default head)\n"
		"  downgrade TARGET        unapply revisions down to TARGET "
		"(-1, base, a revision)\n"
		"  stamp [--purge] TARGET  set the database's revision(s) "
		"without running\n"
		"                          anything (--purge: drop every "
		"version row first)\n"
		"  current [-v|--verbose]  show the database's revision(s)\n"
		"  history [-v|--verbose]  list revisions, newest first\n"
		"  heads [-v|--verbose]    show the head revision(s)\n"
		"  help                    show this text\n"
		"\n"
		"targets: head, heads, base, a revision id or unique prefix, "
		"+N, -N, REV+N, REV-N\n"
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
		"  -h, --help            show this text\n",
		program, set->name != NULL ? set->name : "",
#ifdef MIGC_CLI_WITH_POSTGRESQL
		" or postgresql://user@host/db",
#else
		"",
#endif
		default_table);
}

/* ---- Alembic's formats ---- */

static uint32_t children_of(const migc_set *set, uint32_t index,
			    int with_dependents, FILE *list)
{
	uint32_t count = 0;
	uint32_t i;
	uint32_t k;

	for (i = index + 1; i < set->revision_count; i++) {
		const migc_revision *revision = &set->revisions[i];
		int child = 0;

		for (k = 0; k < revision->parent_count; k++)
			child |= revision->parents[k] == index;
		for (k = 0; with_dependents && k < revision->dependency_count;
		     k++)
			child |= revision->dependencies[k] == index;
		if (!child)
			continue;
		if (list != NULL)
			fprintf(list, "%s%s", count > 0 ? ", " : "",
				revision->id);
		count++;
	}
	return count;
}

static void print_indices(FILE *out, const migc_set *set,
			  const uint32_t *indices, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : "",
			set->revisions[indices[i]].id);
}

static void print_down_revision(FILE *out, const migc_set *set,
				const migc_revision *revision)
{
	if (revision->parent_count == 0)
		fputs("<base>", out);
	print_indices(out, set, revision->parents, revision->parent_count);
}

static void print_labels(FILE *out, const migc_revision *revision)
{
	uint32_t i;

	for (i = 0; i < revision->branch_label_count; i++)
		fprintf(out, "%s%s", i > 0 ? ", " : "",
			revision->branch_labels[i]);
}

enum {
	SHOW_BRANCHES = 1,
	SHOW_DOC = 2,
	SHOW_PARENTS = 4,
	SHOW_TREE = 8
};

/* Alembic's Script._head_only(). */
static void print_short(FILE *out, const migc_set *set, uint32_t index,
			int show)
{
	const migc_revision *revision = &set->revisions[index];
	uint32_t children = children_of(set, index, 0, NULL);
	uint32_t all_children = children_of(set, index, 1, NULL);

	if (show & SHOW_PARENTS) {
		print_down_revision(out, set, revision);
		if (revision->dependency_count > 0) {
			fputs(" (", out);
			print_indices(out, set, revision->dependencies,
				      revision->dependency_count);
			fputc(')', out);
		}
		fputs(" -> ", out);
	}
	fputs(revision->id, out);
	if ((show & SHOW_BRANCHES) && revision->branch_label_count > 0) {
		fputs(" (", out);
		print_labels(out, revision);
		fputc(')', out);
	}
	if (all_children == 0)
		fputs(" (head)", out);
	else if (children == 0)
		fputs(" (effective head)", out);
	if (show & SHOW_TREE) {
		if (children > 1)
			fputs(" (branchpoint)", out);
		if (revision->parent_count > 1)
			fputs(" (mergepoint)", out);
	}
	if (show & SHOW_DOC)
		fprintf(out, ", %s", revision->message);
	fputc('\n', out);
}

/* Alembic's Script.log_entry, with the docstring its template writes. */
static void print_long(FILE *out, const migc_set *set, uint32_t index)
{
	const migc_revision *revision = &set->revisions[index];
	uint32_t children = children_of(set, index, 0, NULL);

	fprintf(out, "Rev: %s%s%s%s\n", revision->id,
		children == 0 ? " (head)" : "",
		children > 1 ? " (branchpoint)" : "",
		revision->parent_count > 1 ? " (mergepoint)" : "");
	fputs(revision->parent_count > 1 ? "Merges: " : "Parent: ", out);
	print_down_revision(out, set, revision);
	fputc('\n', out);
	if (revision->dependency_count > 0) {
		fputs("Also depends on: ", out);
		print_indices(out, set, revision->dependencies,
			      revision->dependency_count);
		fputc('\n', out);
	}
	if (children > 1) {
		fputs("Branches into: ", out);
		children_of(set, index, 0, out);
		fputc('\n', out);
	}
	if (revision->branch_label_count > 0) {
		fputs("Branch names: ", out);
		print_labels(out, revision);
		fputc('\n', out);
	}
	fprintf(out, "Path: %s\n\n",
		revision->source_file != NULL ? revision->source_file : "");
	fprintf(out, "    %s\n    \n    Revision ID: %s\n    Revises: ",
		revision->message != NULL ? revision->message : "",
		revision->id);
	print_indices(out, set, revision->parents, revision->parent_count);
	fprintf(out, "\n    Create Date: %s\n\n",
		revision->create_date != NULL ? revision->create_date : "");
}

static void print_revision(FILE *out, const migc_set *set, uint32_t index,
			   int verbose, int show)
{
	if (verbose)
		print_long(out, set, index);
	else
		print_short(out, set, index, show);
}

/* ---- commands ---- */

typedef struct cli {
	const char *program;
	const migc_set *set;
	const char *url;
	migc_options options;
	const char *command;
	const char *target;
	int verbose;
	int purge;
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
		print_indices(out, event->set, revision->parents,
			      revision->parent_count);
		fprintf(out, " -> %s, %s\n", revision->id, revision->message);
	} else {
		fprintf(out, "INFO  [migc] Running downgrade %s -> ",
			revision->id);
		print_indices(out, event->set, revision->parents,
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

static int run_migration(const cli *c)
{
	cli_database database;
	migc_error error;
	int rc = with_database(c, &database, &error);

	if (rc != MIGC_OK)
		return print_error(&error);
	if (strcmp(c->command, "upgrade") == 0)
		rc = migc_upgrade(c->set, &database.driver, c->target,
				  &c->options, &error);
	else if (strcmp(c->command, "stamp") == 0)
		rc = migc_stamp(c->set, &database.driver, c->target, c->purge,
				&c->options, &error);
	else
		rc = migc_downgrade(c->set, &database.driver, c->target,
				    &c->options, &error);
	database.close(&database);
	return rc == MIGC_OK ? 0 : print_error(&error);
}

/* Known rows as Alembic prints them; rows of a newer build explained. */
static int run_current(const cli *c)
{
	migc_version_row rows[2 * MIGC_MAX_HEADS];
	cli_database database;
	migc_error error;
	size_t count = 0;
	size_t i;
	int rc = with_database(c, &database, &error);

	if (rc != MIGC_OK)
		return print_error(&error);
	rc = migc_version_rows(rows, COUNT_OF(rows), &count, c->set,
			       &database.driver, &c->options, &error);
	database.close(&database);
	if (rc != MIGC_OK)
		return print_error(&error);
	if (c->verbose)
		printf("Current revision(s) for %s:\n", c->url);
	for (i = 0; i < count && i < COUNT_OF(rows); i++) {
		if (rows[i].revision != NULL) {
			print_revision(stdout, c->set,
				       (uint32_t)(rows[i].revision -
						  c->set->revisions),
				       c->verbose, SHOW_TREE);
			continue;
		}
		printf("%s (not in this build: the database was migrated by "
		       "a newer build; deploy it, or run 'downgrade %s' to "
		       "step back)\n",
		       rows[i].id,
		       c->set->head_count == 1
			       ? c->set->revisions[c->set->heads[0]].id
			       : "heads");
	}
	return 0;
}

static int run_history(const cli *c)
{
	uint32_t i = c->set->revision_count;

	while (i-- > 0)
		print_revision(stdout, c->set, i, c->verbose,
			       SHOW_BRANCHES | SHOW_DOC | SHOW_PARENTS |
				       SHOW_TREE);
	return 0;
}

static int run_heads(const cli *c)
{
	uint32_t i;

	for (i = 0; i < c->set->head_count; i++)
		print_revision(stdout, c->set, c->set->heads[i], c->verbose,
			       SHOW_BRANCHES);
	return 0;
}

/* "-1" and "-3" are targets, not options. */
static int is_option(const char *arg)
{
	return arg[0] == '-' && !(arg[1] >= '0' && arg[1] <= '9');
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
		} else if (strcmp(arg, "--accept-changed-checksums") == 0) {
			c->options.accept_changed_checksums = 1;
		} else if (strcmp(arg, "--url") == 0 ||
			   strcmp(arg, "--version-table") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr,
					"migc: error: %s needs a value\n",
					arg);
				*exit_status = EXIT_USAGE;
				return 0;
			}
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
		} else if (c->target == NULL) {
			c->target = arg;
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

int migc_cli_main(const migc_set *set, int argc, char **argv)
{
	return migc_cli_main_table(set, NULL, argc, argv);
}

int migc_cli_main_table(const migc_set *set,
			const char *default_version_table, int argc,
			char **argv)
{
	cli c;
	int exit_status = 0;
	int takes_target;

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
	if (strcmp(c.command, "help") == 0) {
		print_usage(stdout, c.program, set,
			    default_version_table != NULL
				    ? default_version_table
				    : MIGC_DEFAULT_VERSION_TABLE);
		return 0;
	}
	takes_target = strcmp(c.command, "upgrade") == 0 ||
		       strcmp(c.command, "downgrade") == 0 ||
		       strcmp(c.command, "stamp") == 0;
	if (c.target != NULL && !takes_target)
		return usage_error(c.program, "this command takes no target");
	if (c.verbose && takes_target)
		return usage_error(c.program,
				   "--verbose is for current, history and "
				   "heads");
	if (c.purge && strcmp(c.command, "stamp") != 0)
		return usage_error(c.program, "--purge is for stamp");
	if (c.options.accept_changed_checksums &&
	    strcmp(c.command, "upgrade") != 0 &&
	    strcmp(c.command, "stamp") != 0)
		return usage_error(c.program, "--accept-changed-checksums is "
					      "for upgrade and stamp");
	if (strcmp(c.command, "upgrade") == 0)
		return run_migration(&c);
	if (strcmp(c.command, "stamp") == 0) {
		if (c.target == NULL)
			return usage_error(c.program,
					   "stamp needs a target, such as "
					   "head, base or a revision id");
		return run_migration(&c);
	}
	if (strcmp(c.command, "downgrade") == 0) {
		if (c.target == NULL)
			return usage_error(c.program,
					   "downgrade needs a target, such as "
					   "-1, base or a revision id");
		return run_migration(&c);
	}
	if (strcmp(c.command, "current") == 0)
		return run_current(&c);
	if (strcmp(c.command, "history") == 0)
		return run_history(&c);
	if (strcmp(c.command, "heads") == 0)
		return run_heads(&c);
	fprintf(stderr, "migc: error: unknown command '%s'\n", c.command);
	fprintf(stderr, "Run '%s --help' for usage.\n", c.program);
	return EXIT_USAGE;
}
