/* cli.c: the embeddable command line (upgrade, downgrade, stamp, current,
 * history, heads, branches, show, --sql) for a set compiled into a
 * program. It opens the database named by a URL through the table of
 * drivers it is given (cli_sqlite.c, cli_postgresql.c), drives the core
 * and prints Alembic's formats. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */

#include "command.h"
#include "database.h"
#include "format.h"
#include "migc_cli.h"
#include "migc_driver.h"
#include "migc_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))
#define EXIT_FAILED	1

/* ---- databases: the opener of the driver whose prefix the URL has ---- */

typedef struct cli_database {
	migc_driver driver;
	const migc_cli_driver *kind;
	void *context;
} cli_database;

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

int migc_cli_open_failure(migc_error *error, const char *url,
			  const char *reason)
{
	memset(error, 0, sizeof *error);
	error->code = MIGC_EDRIVER;
	say_with_url(error->message, sizeof error->message,
		     "Cannot open database '%s': %s.", url, reason);
	return MIGC_EDRIVER;
}

/* The kinds of database migc has drivers for, linked in or not. */
static const struct known_kind {
	const char *stem;
	const char *name;
} known_kinds[] = {{"sqlite", "SQLite"}, {"postgres", "PostgreSQL"}};

static int has_driver(const migc_cli_driver *const *drivers, const char *name)
{
	for (; *drivers != NULL; drivers++) {
		if (strcmp((*drivers)->name, name) == 0)
			return 1;
	}
	return 0;
}

/* A URL no driver in `drivers` takes: which drivers there are. */
static int unsupported(const migc_cli_driver *const *drivers, const char *url,
		       migc_error *error)
{
	char forms[MIGC_ERROR_MESSAGE_SIZE];
	migc_text text;
	size_t i;

	memset(error, 0, sizeof *error);
	error->code = MIGC_EINVAL;
	for (i = 0; i < COUNT_OF(known_kinds); i++) {
		if (strncmp(url, known_kinds[i].stem,
			    strlen(known_kinds[i].stem)) == 0 &&
		    !has_driver(drivers, known_kinds[i].name)) {
			say_with_url(error->message, sizeof error->message,
				     "Unsupported database URL '%s': this "
				     "program was built without %s support.",
				     url, known_kinds[i].name);
			return MIGC_EINVAL;
		}
	}
	migc_text_init(&text, forms, sizeof forms);
	for (i = 0; drivers[i] != NULL; i++) {
		migc_text_add(&text, i > 0 ? "; " : "");
		migc_text_add(&text, drivers[i]->forms);
	}
	say_with_url(error->message, sizeof error->message,
		     "Unsupported database URL '%s'; this program supports %s.",
		     url,
		     drivers[0] != NULL ? forms
					: "no database: it was built without "
					  "drivers");
	return MIGC_EINVAL;
}

static int open_database(cli_database *out,
			 const migc_cli_driver *const *drivers, const char *url,
			 migc_error *error)
{
	const migc_cli_driver *const *kind;

	memset(out, 0, sizeof *out);
	for (kind = drivers; *kind != NULL; kind++) {
		const char *const *prefix;

		for (prefix = (*kind)->prefixes; *prefix != NULL; prefix++) {
			size_t length = strlen(*prefix);

			if (strncmp(url, *prefix, length) != 0)
				continue;
			out->kind = *kind;
			return (*kind)->open(&out->driver, &out->context, url,
					     url + length, error);
		}
	}
	return unsupported(drivers, url, error);
}

static void close_database(cli_database *database)
{
	database->kind->close(database->context);
	database->context = NULL;
}

/* ---- errors ---- */

/* driver_code is in the message already where the driver writes it as
 * the database shows it: PostgreSQL's "(SQLSTATE 25001)" (see migc.h). */
static int print_error(const char *program, const migc_set *set,
		       const migc_error *error)
{
	fprintf(stderr, "%s: error: %s", migc_command_program_name(program),
		error->message);
	if (error->driver_code != 0 &&
	    (set->dialect == NULL || strcmp(set->dialect, "postgresql") != 0))
		fprintf(stderr, " (database error code %d)",
			error->driver_code);
	fputc('\n', stderr);
	return EXIT_FAILED;
}

/* The drivers' example URLs: "sqlite:///app.db or postgresql://...". */
static void examples_of(char *out, size_t size,
			const migc_cli_driver *const *drivers)
{
	migc_text text;
	size_t i;

	migc_text_init(&text, out, size);
	for (i = 0; drivers[i] != NULL; i++) {
		migc_text_add(&text, i > 0 ? " or " : "");
		migc_text_add(&text, drivers[i]->example);
	}
}

static void print_usage(FILE *out, const char *program, const migc_set *set,
			const char *default_table,
			const migc_cli_driver *const *drivers)
{
	char examples[256];

	examples_of(examples, sizeof examples, drivers);
	fprintf(
	    out,
	    "usage: %s [--url URL] [--version-table NAME] COMMAND ...\n"
	    "\n"
	    "Migrates a database with the revisions of set '%s' built "
	    "into this program.\n"
	    "\n"
	    "commands:\n"
	    "  upgrade [--sql] [--accept-changed-checksums] [[FROM:]TARGET] "
	    "[-v]\n"
	    "                          apply revisions up to TARGET "
	    "(default head);\n"
	    "                          --sql prints the script instead "
	    "(FROM default base)\n"
	    "  downgrade [--sql] [FROM:]TARGET [-v]\n"
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
	    "  --url URL             database, e.g. %s; "
	    "default $MIGC_DATABASE_URL\n"
	    "  --version-table NAME  table of applied revisions, NAME "
	    "or SCHEMA.NAME\n"
	    "                        (default %s)\n"
	    "  --accept-changed-checksums  record the checksums of "
	    "revisions edited\n"
	    "                        after they were applied instead of "
	    "stopping\n"
	    "  -v, --verbose         the long format; upgrade and downgrade: "
	    "each\n"
	    "                        revision's number of the plan's count "
	    "and duration\n"
	    "  --format json         current, history, heads and show as a "
	    "JSON array\n"
	    "                        of revisions, for scripts\n"
	    "  -h, --help            show this text\n"
	    "  --version             migc's version, the set's revisions "
	    "and heads\n",
	    program, set->name != NULL ? set->name : "", examples,
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
	const migc_cli_driver *const *drivers; /* NULL-terminated */
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
	int json; /* --format json */
	double step_started; /* ms, of the revision being run (-v) */
} cli;

static double now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

/* With -v: the step's number of the plan's count, and its duration. */
static void print_step_done(const cli *c, const migc_event *event)
{
	fprintf(stderr, "INFO  [migc] Revision %u", (unsigned)event->number);
	if (event->count > 0)
		fprintf(stderr, " of %u", (unsigned)event->count);
	fprintf(stderr, " %s: %s (%.0f ms)\n",
		event->result == MIGC_OK ? "done" : "failed", event->id,
		now_ms() - c->step_started);
}

static void on_progress(const migc_event *event, void *payload)
{
	cli *c = payload;
	FILE *out = stderr;
	const migc_revision *revision = event->revision;

	if (event->kind == MIGC_EVENT_REPEATABLE ||
	    event->kind == MIGC_EVENT_REPEATABLE_UNDO) {
		if (event->phase != MIGC_PHASE_REVISION)
			return;
		fprintf(out, "INFO  [migc] %s repeatable %s\n",
			event->kind == MIGC_EVENT_REPEATABLE
			    ? "Running"
			    : "Undoing (stored downgrade)",
			event->id);
	} else if (event->phase == MIGC_PHASE_REVISION_DONE)
		print_step_done(c, event);
	else if (event->phase != MIGC_PHASE_REVISION)
		return;
	else if (revision == NULL) {
		/* A revision this build lacks, stepped back from with the
		 * downgrade stored in the history table. */
		fprintf(out,
			"INFO  [migc] Running downgrade %s -> %s, (not in this "
			"build: stored downgrade)\n",
			event->id,
			event->parents != NULL && event->parents[0] != '\0'
				? event->parents
				: "<base>");
	} else if (event->kind == MIGC_EVENT_UPGRADE &&
		   event->parents != NULL) {
		/* migc squash: a baseline in place of the chain up to it. */
		fprintf(out,
			"INFO  [migc] Running upgrade  -> %s, %s (baseline %s: "
			"the schema at %s in one step)\n",
			revision->id, revision->message, event->parents,
			revision->id);
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
	if (event->phase == MIGC_PHASE_REVISION && c->verbose)
		c->step_started = now_ms();
	fflush(out);
}

/* The driver that takes the set's dialect ("postgresql" is taken by the
 * driver with the prefix "postgresql://"), else the first. */
static const migc_cli_driver *set_driver(const cli *c)
{
	const migc_cli_driver *const *kind;
	size_t length = c->set->dialect != NULL ? strlen(c->set->dialect) : 0;

	for (kind = c->drivers; length > 0 && *kind != NULL; kind++) {
		if (strncmp((*kind)->prefixes[0], c->set->dialect, length) == 0)
			return *kind;
	}
	return c->drivers[0];
}

static int is_set(const char *name)
{
	const char *value = getenv(name);

	return value != NULL && value[0] != '\0';
}

/* Without --url or MIGC_DATABASE_URL, a PostgreSQL set's command line
 * takes libpq's environment (PGHOST, PGDATABASE, PGSERVICE...), as psql
 * does, once it names a database. */
static int with_database(const cli *c, cli_database *database,
			 migc_error *error)
{
	const migc_cli_driver *driver = set_driver(c);
	int postgresql =
	    driver != NULL && strcmp(driver->name, "PostgreSQL") == 0;

	if (c->url == NULL && postgresql &&
	    (is_set("PGDATABASE") || is_set("PGSERVICE")))
		return open_database(database, c->drivers, "postgresql://",
				     error);
	if (c->url == NULL) {
		memset(error, 0, sizeof *error);
		error->code = MIGC_EINVAL;
		snprintf(error->message, sizeof error->message,
			 "No database given; pass --url URL (for example "
			 "--url %s) or set MIGC_DATABASE_URL%s.",
			 driver != NULL ? driver->example : "sqlite:///app.db",
			 postgresql ? ", or PGDATABASE (with PGHOST, PGUSER, "
				      "... as libpq reads them)"
				    : "");
		return MIGC_EINVAL;
	}
	return open_database(database, c->drivers, c->url, error);
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
	return rc == MIGC_OK ? 0 : print_error(c->program, c->set, &error);
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
	return rc == MIGC_OK ? 0 : print_error(c->program, c->set, &error);
}

/* ---- drift: revisions applied with another checksum than this build's ---- */

/* Per revision of the set, 1 when its history row holds another checksum
 * (its file was edited after it was applied); `recorded` keeps that one. */
typedef struct drift {
	const migc_set *set;
	unsigned char *changed;
	uint64_t *recorded;
	unsigned long count;
	/* Per repeatable of the set: REPEATABLE_*; and the rows of
	 * repeatables this build lacks, the first kept. */
	unsigned char *repeatable;
	unsigned long other_repeatables;
	char first_other[MIGC_REVISION_ID_MAX + 1];
} drift;

enum { REPEATABLE_PENDING, REPEATABLE_APPLIED, REPEATABLE_CHANGED };

/* A repeatable's row ("R:<name>"): 1 when it was one. */
static int on_repeatable_row(drift *d, const migc_history_row *row)
{
	const size_t prefix = sizeof MIGC_REPEATABLE_PREFIX - 1;
	uint32_t i;

	if (row->revision_length <= prefix ||
	    memcmp(row->revision, MIGC_REPEATABLE_PREFIX, prefix) != 0)
		return 0;
	for (i = 0; i < d->set->repeatable_count; i++) {
		const migc_repeatable *r = &d->set->repeatables[i];

		if (strlen(r->name) == row->revision_length - prefix &&
		    memcmp(r->name, row->revision + prefix,
			   row->revision_length - prefix) == 0) {
			d->repeatable[i] = r->checksum == row->checksum
					       ? REPEATABLE_APPLIED
					       : REPEATABLE_CHANGED;
			return 1;
		}
	}
	if (d->other_repeatables++ == 0)
		snprintf(d->first_other, sizeof d->first_other, "%.*s",
			 (int)(row->revision_length - prefix),
			 row->revision + prefix);
	return 1;
}

static int on_history_row(const migc_history_row *row, void *payload)
{
	drift *d = payload;
	char id[MIGC_REVISION_ID_MAX + 1];
	const migc_revision *found = NULL;
	size_t index;

	if (row->revision_length > MIGC_REVISION_ID_MAX ||
	    on_repeatable_row(d, row))
		return MIGC_OK;
	memcpy(id, row->revision, row->revision_length);
	id[row->revision_length] = '\0';
	if (migc_revision_find(&found, d->set, id, NULL) != MIGC_OK ||
	    strcmp(found->id, id) != 0 || found->checksum == row->checksum)
		return MIGC_OK;
	index = (size_t)(found - d->set->revisions);
	if (!d->changed[index])
		d->count++;
	d->changed[index] = 1;
	d->recorded[index] = row->checksum;
	return MIGC_OK;
}

static void drift_free(drift *d)
{
	free(d->changed);
	free(d->recorded);
	free(d->repeatable);
}

/* `current`'s lines for the repeatable revisions. */
static void repeatables_print(const drift *d)
{
	static const char *const states[] = {
	    " (repeatable, not applied: the next upgrade applies it)",
	    " (repeatable)",
	    (" (repeatable, changed since it was applied: the next upgrade "
	     "applies it again)")};
	uint32_t i;

	for (i = 0; i < d->set->repeatable_count; i++)
		printf("%s%s\n", d->set->repeatables[i].name,
		       states[d->repeatable[i]]);
	if (d->other_repeatables > 0)
		printf("%s (repeatable, not in this build%s; a downgrade "
		       "undoes it with its stored downgrade)\n",
		       d->first_other,
		       d->other_repeatables > 1 ? ", nor others" : "");
}

/* Reads the history table beside the version table ("<table>_history",
 * migc_driver.h). A database without one has no drift. */
static int drift_read(const cli *c, const migc_driver *driver, drift *d,
		      migc_error *error)
{
	char table[256];
	const char *version_table = c->options.version_table != NULL
					? c->options.version_table
					: MIGC_DEFAULT_VERSION_TABLE;
	int length = snprintf(table, sizeof table, "%s_history", version_table);

	memset(d, 0, sizeof *d);
	d->set = c->set;
	d->changed = calloc(c->set->revision_count + 1, 1);
	d->recorded = calloc(c->set->revision_count + 1, sizeof *d->recorded);
	d->repeatable = calloc(c->set->repeatable_count + 1, 1);
	if (d->changed == NULL || d->recorded == NULL ||
	    d->repeatable == NULL) {
		drift_free(d);
		memset(error, 0, sizeof *error);
		error->code = MIGC_EINVAL;
		snprintf(error->message, sizeof error->message, "out of memory");
		return MIGC_EINVAL;
	}
	if (length <= 0 || (size_t)length >= sizeof table ||
	    migc_table_name_check(c->set->dialect, version_table,
				  strlen(version_table), NULL) != MIGC_OK)
		return MIGC_OK; /* the operation itself says what is wrong */
	return driver->history_read(driver->context, table, (size_t)length,
				    on_history_row, d, error);
}

/* One line per changed revision: `what` says what became of it. */
static void drift_print(const cli *c, const drift *d, const char *prefix,
			const char *what)
{
	uint32_t i;

	for (i = 0; i < c->set->revision_count; i++) {
		const migc_revision *r = &c->set->revisions[i];

		if (!d->changed[i])
			continue;
		fprintf(stderr,
			"%s Revision %s (%s) was applied with checksum "
			"%016llx, this build has %016llx: %s\n",
			prefix, r->id, r->source_file != NULL ? r->source_file : "?",
			(unsigned long long)d->recorded[i],
			(unsigned long long)r->checksum, what);
	}
}

/* upgrade --accept-changed-checksums: says which edited revisions it
 * recorded the new checksums of, once the upgrade went through. */
static int upgrade_accepting(const cli *c, const migc_driver *driver,
			     migc_error *error)
{
	drift d;
	int rc = drift_read(c, driver, &d, error);

	if (rc == MIGC_OK)
		rc = migc_upgrade(c->set, driver,
				  c->target_count > 0 ? c->targets[0] : NULL,
				  &c->options, error);
	if (rc == MIGC_OK && d.count == 0)
		fputs("INFO  [migc] --accept-changed-checksums: no applied "
		      "revision was edited; nothing to accept\n",
		      stderr);
	else if (rc == MIGC_OK)
		drift_print(c, &d, "INFO  [migc] Accepted:",
			    "its new checksum is recorded");
	drift_free(&d);
	return rc;
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
		return print_error(c->program, c->set, &error);
	if (c->command == CMD_UPGRADE && c->options.accept_changed_checksums)
		rc = upgrade_accepting(c, &database.driver, &error);
	else if (c->command == CMD_UPGRADE)
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
	close_database(&database);
	return rc == MIGC_OK ? 0 : print_error(c->program, c->set, &error);
}

/* The database's state: per revision, applied and version-row flags; the
 * rows this set lacks are counted in *unknown and the first kept. */
typedef struct db_state {
	unsigned char *applied;
	unsigned char *rows;
	size_t unknown;
	char first_unknown[MIGC_REVISION_ID_MAX + 1];
	drift drift; /* applied revisions edited since */
} db_state;

static void state_free(db_state *state)
{
	free(state->applied);
	free(state->rows);
	drift_free(&state->drift);
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
		fprintf(stderr, "%s: error: out of memory\n",
			migc_command_program_name(c->program));
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
		if (rc == MIGC_OK)
			rc = drift_read(c, &database.driver, &state->drift,
					&error);
		close_database(&database);
	}
	if (rc != MIGC_OK) {
		state_free(state);
		return print_error(c->program, c->set, &error);
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

/* --format json: the context writes JSON from here on (1), or text (0). */
static int json_begin(const cli *c, migc_format_context *context,
		      migc_format_json *json)
{
	if (!c->json)
		return 0;
	migc_format_json_begin(stdout, json);
	context->json = json;
	return 1;
}

static void json_end(const migc_format_context *context)
{
	if (context->json != NULL)
		migc_format_json_end(stdout, context->json);
}

static void print_unknown(const cli *c, const db_state *state,
			  const migc_format_context *context)
{
	if (state->unknown == 0)
		return;
	if (context->json != NULL) {
		migc_format_json_unknown(stdout, context->json,
					 state->first_unknown);
		return;
	}
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
	migc_format_json json;
	migc_format_context context = {"", NULL, NULL};
	db_state state;
	uint32_t i;
	int status = read_db_state(c, &state);

	if (status != 0)
		return status;
	if (json_begin(c, &context, &json))
		context.current = state.rows;
	if (c->verbose && !c->json) {
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
	print_unknown(c, &state, &context);
	if (context.json == NULL)
		repeatables_print(&state.drift);
	json_end(&context);
	drift_print(c, &state.drift, "WARNING [migc]",
		    "its file was edited after it was applied, and 'upgrade' "
		    "stops until the edit is reverted or "
		    "--accept-changed-checksums records it");
	state_free(&state);
	return 0;
}

/* `history`'s lines for the repeatable revisions, which run after every
 * revision, so come first (newest first, as Alembic lists). */
static void repeatables_history(const migc_set *set, int verbose)
{
	uint32_t i = set->repeatable_count;
	uint32_t k;

	while (i-- > 0) {
		const migc_repeatable *r = &set->repeatables[i];

		printf("(repeatable) %s", r->name);
		for (k = 0; k < r->dependency_count; k++)
			printf("%s%s", k == 0 ? " (after " : ", ",
			       set->repeatables[r->dependencies[k]].name);
		printf("%s, %s\n", r->dependency_count > 0 ? ")" : "",
		       r->message != NULL ? r->message : "");
		if (verbose)
			printf("Path: %s\n\n",
			       r->source_file != NULL ? r->source_file : "?");
	}
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
	migc_format_json json;
	migc_format_context context = {"", NULL, NULL};
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
	if (!json_begin(c, &context, &json) && c->range == NULL)
		repeatables_history(c->set, c->verbose);
	if (migc_format_history_rows(stdout, c->set, c->range, c->verbose,
				     &context, state.rows, message,
				     sizeof message) == 0) {
		json_end(&context);
	} else {
		fprintf(stderr, "%s: error: %s\n",
			migc_command_program_name(c->program), message);
		status = EXIT_FAILED;
	}
	state_free(&state);
	return status;
}

static int run_show(const cli *c)
{
	migc_format_json json;
	migc_format_context context = {"", NULL, NULL};
	char message[512] = "";
	db_state state;
	uint32_t i;
	int status;

	json_begin(c, &context, &json);
	if (strcmp(c->targets[0], "current") != 0) {
		if (migc_format_show(stdout, c->set, c->targets[0], &context,
				     message, sizeof message) == 0) {
			json_end(&context);
			return 0;
		}
		fprintf(stderr, "%s: error: %s\n",
			migc_command_program_name(c->program), message);
		return EXIT_FAILED;
	}
	status = read_db_state(c, &state);
	if (status != 0)
		return status;
	for (i = 0; i < c->set->revision_count; i++) {
		if (state.rows[i])
			migc_format_long(stdout, c->set, i, &context);
	}
	print_unknown(c, &state, &context);
	json_end(&context);
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
    {"upgrade [--sql] [--accept-changed-checksums] [[FROM:]TARGET] [-v]",
     "Applies revisions up to TARGET (default head). --sql prints the "
     "SQL script\ninstead, from FROM (default base), without a "
     "database. -v: each revision's\nnumber of the plan's count and "
     "its duration.",
     0, 1, NULL},
    {"downgrade [--sql] [FROM:]TARGET [-v]",
     "Unapplies revisions down to TARGET (-1, base, a revision). "
     "--sql prints the\nscript instead and needs FROM, such as "
     "heads:base. -v: as for upgrade.",
     1, 1, "downgrade needs a target, such as -1, base or a revision id"},
    {"stamp [--sql] [--purge] TARGET...",
     "Sets the database's revision(s) without running any revision "
     "(--purge: drops\nevery version row first). --sql prints the "
     "version-table statements instead.",
     1, MAX_TARGETS,
     "stamp needs a target, such as head, base or a "
     "revision id"},
    {"current [-v] [--format json]", "Shows the database's revision(s).",
     0, 0, NULL},
    {"history [-r RANGE] [-v] [-i|--indicate-current] [--format json]",
     "Lists revisions, newest first; RANGE is [START]:[END] with ids, "
     "base, heads,\ncurrent, label@head, -N (-r-2:head works too).",
     0, 0, NULL},
    {"heads [-v] [--format json]", "Shows the head revision(s).", 0, 0,
     NULL},
    {"branches [-v]", "Shows the branch points.", 0, 0, NULL},
    {"show REV [--format json]", "Shows a revision (or current, heads).", 1,
     1,
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
	OPT_INDICATE,
	OPT_FORMAT
};

static const migc_command_option options[] = {
    {"url", 0, 1, OPT_URL, 0},
    {"version-table", 0, 1, OPT_VERSION_TABLE, 0},
    {"help", 'h', 0, MIGC_COMMAND_HELP_OPTION, 0},
    {"version", 0, 0, MIGC_COMMAND_VERSION_OPTION, 0},
    {"sql", 0, 0, OPT_SQL, MIGRATING},
    {"accept-changed-checksums", 0, 0, OPT_ACCEPT,
     FOR(CMD_UPGRADE) | FOR(CMD_STAMP)},
    {"purge", 0, 0, OPT_PURGE, FOR(CMD_STAMP)},
    {"verbose", 'v', 0, OPT_VERBOSE,
     SHOWING | FOR(CMD_UPGRADE) | FOR(CMD_DOWNGRADE)},
    {"rev-range", 'r', 1, OPT_RANGE, FOR(CMD_HISTORY)},
    {"indicate-current", 'i', 0, OPT_INDICATE, FOR(CMD_HISTORY)},
    {"format", 0, 1, OPT_FORMAT,
     FOR(CMD_CURRENT) | FOR(CMD_HISTORY) | FOR(CMD_HEADS) | FOR(CMD_SHOW)},
};

static void print_help(int command, void *payload)
{
	const cli *c = payload;

	if (command < 0) {
		print_usage(stdout, c->program, c->set, c->default_table,
			    c->drivers);
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
		c->options.progress_events = MIGC_PROGRESS_REVISION_DONE;
		break;
	case OPT_RANGE:
		c->range = value;
		break;
	case OPT_FORMAT:
		if (strcmp(value, "json") != 0 && strcmp(value, "text") != 0) {
			(void)migc_command_usage_error(
			    c->line, command,
			    "--format is text or json, not '%s'", value);
			return MIGC_COMMAND_USAGE;
		}
		c->json = strcmp(value, "json") == 0;
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
	migc_format_json json;
	migc_format_context context = {"", NULL, NULL};

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
		json_begin(c, &context, &json);
		migc_format_heads(stdout, c->set, c->verbose, &context);
		json_end(&context);
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

/* --version: the program, migc's version and the set compiled in. */
static void version_text(char *out, size_t size, const cli *c)
{
	const migc_set *set = c->set;
	migc_text text;
	uint32_t i;

	migc_text_init(&text, out, size);
	migc_text_add(&text, migc_command_program_name(c->program));
	migc_text_add(&text, ": migc ");
	migc_text_add(&text, migc_version());
	migc_text_add(&text, ", set ");
	migc_text_add(&text, set->name != NULL ? set->name : "");
	migc_text_add(&text, ": ");
	migc_text_add_unsigned(&text, (unsigned long)set->revision_count);
	migc_text_add(&text,
		      set->revision_count == 1 ? " revision" : " revisions");
	for (i = 0; i < set->head_count; i++) {
		migc_text_add(&text, i > 0		    ? ", "
				     : set->head_count == 1 ? ", head "
							    : ", heads ");
		migc_text_add(&text, set->revisions[set->heads[i]].id);
	}
}

int migc_cli_main_drivers(const migc_set *set,
			  const char *default_version_table,
			  const migc_cli_driver *const *drivers, int argc,
			  char **argv)
{
	migc_command_line line = {
	    NULL,	command_names, options, COUNT_OF(options), on_option,
	    on_argument, print_help,   NULL,	NULL,		   NULL};
	char version[256];
	cli c;

	memset(&c, 0, sizeof c);
	c.program = argc > 0 && argv[0] != NULL ? argv[0] : "migrate";
	c.set = set;
	c.drivers = drivers;
	c.default_table = default_version_table != NULL
			      ? default_version_table
			      : MIGC_DEFAULT_VERSION_TABLE;
	c.options.version = MIGC_OPTIONS_VERSION;
	c.options.progress = on_progress;
	c.options.progress_payload = &c;
	c.options.version_table = default_version_table;
	c.url = getenv("MIGC_DATABASE_URL");
	if (c.url != NULL && c.url[0] == '\0')
		c.url = NULL;
	if (set == NULL) {
		fprintf(stderr, "%s: error: no migration set was compiled in\n",
			migc_command_program_name(c.program));
		return EXIT_FAILED;
	}
	version_text(version, sizeof version, &c);
	line.version = version;
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
