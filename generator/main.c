/* main.c: the `migc` command. Parses arguments and runs the pipeline:
 * load (graph.c, lexer.re) -> build graph -> emit C, or create a revision
 * file from the template. Diagnostics are printed here and nowhere else. */
#include "autogen.h"
#include "baseline.h"
#include "command.h"
#include "format.h"
#include "gen.h"
#include "import.h"
#include "lint.h"
#include "project.h"
#include "setview.h"
#include "template.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: migc COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  init     [DIR] [--dialect D]   start a project: DIR/migc.ini and\n"
    "                                 DIR/versions (DIR default .)\n"
    "  generate --versions DIR --name NAME --dialect sqlite|postgresql\n"
    "           --output-dir DIR [--verify|--no-verify]\n"
    "           [--lint warn|error|off] [--single-head] [--from-baseline]\n"
    "                                 write NAME.c and NAME.h; first\n"
    "                                 run every revision and prove\n"
    "                                 every downgrade (the default for\n"
    "                                 sqlite; --no-verify: do not);\n"
    "                                 --lint: the linter's findings are\n"
    "                                 warnings (default), errors or off;\n"
    "                                 --single-head fails on several heads;\n"
    "                                 --from-baseline leaves out the\n"
    "                                 revisions the baseline stands for\n"
    "  revision -m MESSAGE [--versions DIR] [--rev-id ID]\n"
    "           [--head REV|label@head|base] [--splice]\n"
    "           [--branch-label L] [--depends-on REV]\n"
    "                                 create a new revision file\n"
    "  merge    -m MESSAGE REV REV... | heads [--rev-id ID]\n"
    "                                 join branches in a new revision\n"
    "  squash   --to REV [--rev-id ID] [-m MESSAGE] [--dialect D]\n"
    "                                 write a baseline: the schema at REV\n"
    "                                 in one step, for new databases\n"
    "  rebase   REV [--onto REV]      move the branch REV is on (its head\n"
    "                                 or root) onto the other head\n"
    "  heads    [--verbose] [--format json]\n"
    "                                 the heads\n"
    "  branches [--verbose]           the branch points\n"
    "  history  [-r RANGE] [--verbose] [--format json]\n"
    "                                 newest first; RANGE as Alembic's:\n"
    "                                 base:head, A:B, -2:head, A:, :B\n"
    "  show     REV [--format json]   one revision in full\n"
    "  graph    [--format dot]        the graph for Graphviz\n"
    "  check    [--dialect D] [--schema FILE] [--lint warn|error|off]\n"
    "           [--format json]\n"
    "                                 validate every revision file; with a\n"
    "                                 declared schema, also fail when it\n"
    "                                 has changes no revision holds\n"
    "  verify   [--dialect D] [--url URL]\n"
    "                                 prove every downgrade restores the\n"
    "                                 schema before its upgrade\n"
    "  import   TOOL DIR [--versions DIR] [--dialect D]\n"
    "           [--alembic-config FILE] [--adopt URL]\n"
    "                                 another tool's migrations (alembic,\n"
    "                                 goose, golang-migrate, dbmate, diesel,\n"
    "                                 sqlx, flyway, refinery) as revision\n"
    "                                 files; --adopt prints the revision a\n"
    "                                 database that tool migrated is at\n"
    "\n"
    "\n"
    "migc works on revision files; a database is migrated by the command\n"
    "line migc_add_migrations(... CLI app-migrate) builds with the set\n"
    "inside ('app-migrate upgrade head'), or by the app itself.\n"
    "\n"
    "revision --autogenerate [--schema FILE] writes the revision that\n"
    "takes the head schema to the declared one.\n"
    "Settings come from --config FILE or ./migc.ini ([migc] versions,\n"
    "dialect, schema, url, version_table, template), under the flags;\n"
    "--versions defaults to ./versions. --version prints migc's version.\n";

struct arguments {
	const migc_command_line *line;
	int command; /* enum command */
	const char *versions, *name, *dialect, *output_dir;
	const char *message, *rev_id, *head, *branch_label, *depends_on;
	int splice, verbose, autogenerate, verify, single_head, no_verify;
	const char *config, *schema, *url, *template_path; /* as in migc.ini */
	const char *range, *format;
	const char *adopt, *alembic_config; /* import's */
	const char *lint;		    /* warn, error, off */
	int from_baseline;		    /* generate's */
	const char *to, *onto;		    /* squash's, rebase's */
	const char **positionals;
	size_t positional_count;
	struct project *project; /* migc.ini, overridden by the flags */
};

/* ---- arguments: command.c's getopt_long rules, as the runtime's ---- */

enum command {
	CMD_INIT,
	CMD_GENERATE,
	CMD_REVISION,
	CMD_MERGE,
	CMD_HEADS,
	CMD_BRANCHES,
	CMD_HISTORY,
	CMD_SHOW,
	CMD_GRAPH,
	CMD_CHECK,
	CMD_VERIFY,
	CMD_IMPORT,
	CMD_SQUASH,
	CMD_REBASE,
	CMD_HELP
};

static const char *const command_names[] = {
    "init",    "generate", "revision", "merge",  "heads",  "branches",
    "history", "show",	   "graph",    "check",	 "verify", "import",
    "squash",  "rebase",   "help",     NULL};

/* Options' ids are the offsets of their slots in struct arguments. */
enum option_id { OPT_FLAG = 0x10000 };

#define FOR(command) (1ul << (command))
#define SLOT(field)  ((int)offsetof(struct arguments, field))
#define FLAG(field)  (OPT_FLAG | (int)offsetof(struct arguments, field))
/* The settings migc.ini also holds go where they are used. */
#define USES_DIALECT                                                           \
	(FOR(CMD_GENERATE) | FOR(CMD_REVISION) | FOR(CMD_CHECK) |              \
	 FOR(CMD_VERIFY) | FOR(CMD_IMPORT) | FOR(CMD_INIT) | FOR(CMD_SQUASH))

static const migc_command_option options[] = {
    {"versions", 0, 1, SLOT(versions), 0},
    {"config", 'c', 1, SLOT(config), 0},
    {"help", 'h', 0, MIGC_COMMAND_HELP_OPTION, 0},
    {"version", 0, 0, MIGC_COMMAND_VERSION_OPTION, 0},
    {"dialect", 0, 1, SLOT(dialect), USES_DIALECT},
    {"url", 0, 1, SLOT(url), USES_DIALECT},
    {"schema", 0, 1, SLOT(schema), FOR(CMD_REVISION) | FOR(CMD_CHECK)},
    {"name", 0, 1, SLOT(name), FOR(CMD_GENERATE)},
    {"output-dir", 0, 1, SLOT(output_dir), FOR(CMD_GENERATE)},
    {"verify", 0, 0, FLAG(verify), FOR(CMD_GENERATE)},
    {"no-verify", 0, 0, FLAG(no_verify), FOR(CMD_GENERATE)},
    {"lint", 0, 1, SLOT(lint), FOR(CMD_GENERATE) | FOR(CMD_CHECK)},
    {"single-head", 0, 0, FLAG(single_head), FOR(CMD_GENERATE)},
    {"from-baseline", 0, 0, FLAG(from_baseline), FOR(CMD_GENERATE)},
    {"to", 0, 1, SLOT(to), FOR(CMD_SQUASH)},
    {"onto", 0, 1, SLOT(onto), FOR(CMD_REBASE)},
    {"message", 'm', 1, SLOT(message),
     FOR(CMD_REVISION) | FOR(CMD_MERGE) | FOR(CMD_SQUASH)},
    {"rev-id", 0, 1, SLOT(rev_id),
     FOR(CMD_REVISION) | FOR(CMD_MERGE) | FOR(CMD_SQUASH)},
    {"head", 0, 1, SLOT(head), FOR(CMD_REVISION)},
    {"splice", 0, 0, FLAG(splice), FOR(CMD_REVISION)},
    {"branch-label", 0, 1, SLOT(branch_label), FOR(CMD_REVISION)},
    {"depends-on", 0, 1, SLOT(depends_on), FOR(CMD_REVISION)},
    {"autogenerate", 0, 0, FLAG(autogenerate), FOR(CMD_REVISION)},
    {"rev-range", 'r', 1, SLOT(range), FOR(CMD_HISTORY)},
    {"verbose", 'v', 0, FLAG(verbose),
     FOR(CMD_HEADS) | FOR(CMD_BRANCHES) | FOR(CMD_HISTORY)},
    {"format", 0, 1, SLOT(format),
     FOR(CMD_GRAPH) | FOR(CMD_HEADS) | FOR(CMD_HISTORY) | FOR(CMD_SHOW) |
	 FOR(CMD_CHECK)},
    {"adopt", 0, 1, SLOT(adopt), FOR(CMD_IMPORT)},
    {"alembic-config", 0, 1, SLOT(alembic_config), FOR(CMD_IMPORT)},
};

static int on_option(int id, const char *value, int command, void *payload)
{
	struct arguments *a = payload;
	char *base = (char *)a;

	(void)command;
	if (id & OPT_FLAG) {
		*(int *)(void *)(base + (id & ~OPT_FLAG)) = 1;
	} else {
		*(const char **)(void *)(base + id) = value;
	}
	return 0;
}

/* The commands that take no arguments after them; the others check their
 * own, with a message that says what they want. */
#define TAKES_NO_ARGUMENTS                                                     \
	(FOR(CMD_GENERATE) | FOR(CMD_HEADS) | FOR(CMD_BRANCHES) |              \
	 FOR(CMD_HISTORY) | FOR(CMD_GRAPH) | FOR(CMD_CHECK) | FOR(CMD_VERIFY))

/* An argument such a command does not take is refused, as the runtime's
 * command line refuses a target too many, and not ignored: 'migc history
 * base:head' printed the whole history. Checked after the parse, so that
 * --help anywhere still gives the help. */
static int arguments_refused(const struct arguments *a)
{
	if (a->positional_count == 0 || !(TAKES_NO_ARGUMENTS & FOR(a->command)))
		return 0;
	(void)migc_command_usage_error(
	    a->line, a->command, "%s takes no arguments ('%s')%s",
	    command_names[a->command], a->positionals[0],
	    a->command == CMD_HISTORY ? "; a range goes after -r, as in "
					"-r base:head"
				      : "");
	return 1;
}

static int on_argument(const char *argument, int command, void *payload)
{
	struct arguments *a = payload;

	(void)command;
	a->positionals[a->positional_count++] = argument;
	return 0;
}

/* `migc --help`, or `migc COMMAND --help`: the command's lines of the
 * usage text. */
static void print_help(int command, void *payload)
{
	const char *name = command >= 0 ? command_names[command] : "";
	const char *line = strstr(usage_text, "\ncommands:\n");
	size_t length = strlen(name);
	int in_block = 0;

	(void)payload;
	if (command < 0) {
		fputs(usage_text, stdout);
		return;
	}
	printf("usage: migc ");
	while (line != NULL && *line != '\0') {
		const char *end = strchr(++line, '\n');
		size_t size = end != NULL ? (size_t)(end - line) : strlen(line);

		if (strncmp(line, "  ", 2) == 0 &&
		    strncmp(line + 2, name, length) == 0 &&
		    (line[2 + length] == ' ' || line[2 + length] == '\n'))
			in_block = 1;
		else if (in_block && strncmp(line, "   ", 3) != 0)
			break;
		/* The first line without its indent ("  history"). */
		if (in_block && in_block++ == 1)
			printf("%.*s\n", (int)size - 2, line + 2);
		else if (in_block)
			printf("%.*s\n", (int)size, line);
		line = end;
	}
	printf("\nRun 'migc --help' for the settings every command takes.\n");
}

/* An unknown command that the compiled command line has. */
static const char *unknown_command_hint(const char *name, void *payload)
{
	static const char *const database_commands[] = {
	    "upgrade", "downgrade", "current", "stamp", NULL};
	size_t i;

	(void)payload;
	for (i = 0; database_commands[i] != NULL; i++) {
		if (strcmp(name, database_commands[i]) == 0)
			return "migc works on the revision files; databases "
			       "are migrated by the command line that "
			       "migc_add_migrations(... CLI app-migrate) "
			       "builds with the set inside ('app-migrate "
			       "upgrade head', or the <set>-upgrade target), "
			       "or by the app at boot (migc_upgrade)";
	}
	return NULL;
}

static int is_c_identifier(const char *s)
{
	size_t i;
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

/* Loads and checks the graph; prints diagnostics. Returns 0 or -1. */
static int load_graph(struct graph *g, const char *versions,
		      struct diagnostics *diag)
{
	int result = graph_load(g, versions, diag);
	if (result == 0)
		result = graph_build(g, diag);
	return result;
}

static int finish(struct diagnostics *diag, struct graph *g, int status)
{
	diag_print(diag, stderr);
	diag_free(diag);
	graph_free(g);
	return status;
}

/* Several heads: a note, or with --single-head an error. 0, or -1 for
 * the error. */
static int note_branches(const struct graph *g, int single_head)
{
	size_t i;
	if (g->head_count < 2)
		return 0;
	fprintf(stderr, "migc: %s: %zu heads (",
		single_head ? "error" : "note", g->head_count);
	for (i = 0; i < g->head_count; i++)
		fprintf(stderr, "%s%s", i ? ", " : "",
			g->revisions[g->heads[i]].id.text);
	if (single_head) {
		fprintf(stderr, "), and this set is built with --single-head "
				"(SINGLE_HEAD in CMake), for 'upgrade head' "
				"would fail at boot: join them with 'migc "
				"merge -m MESSAGE heads' (the <set>-merge "
				"target)\n");
		return -1;
	}
	fprintf(stderr, "): the history has branches; 'upgrade head' will "
			"ask for one, 'upgrade heads' applies all, and "
			"'migc merge' joins them\n");
	return 0;
}

/* --dialect (or migc.ini's): sqlite or postgresql, else a usage error. */
static int parse_dialect(const struct arguments *a, enum dialect *out)
{
	if (dialect_parse(a->dialect, strlen(a->dialect), out) != 0 ||
	    *out == DIALECT_GENERIC)
		return migc_command_usage_error(
		    a->line, a->command,
		    "--dialect must be sqlite or postgresql");
	return 0;
}

/* --lint: the linter's findings as warnings (the default), errors, or
 * not at all; generate and check read it alike. */
static int parse_lint(const struct arguments *a, enum lint_mode *out)
{
	*out = LINT_WARN;
	if (a->lint && lint_mode_parse(a->lint, out) != 0)
		return migc_command_usage_error(a->line, a->command,
						"--lint must be warn, error "
						"or off");
	return 0;
}

/* The set: the whole graph, or with --from-baseline the graph from the
 * baseline's revision on. */
static int emit_chosen(const struct graph *g, const struct emit_options *o,
		       struct diagnostics *diag)
{
	struct graph view;
	int result;

	if (!o->from_baseline)
		return emit_set(g, o, diag);
	if (!g->baseline ||
	    !revision_section(g->baseline, SECTION_UPGRADE, o->dialect)) {
		fprintf(stderr,
			"migc: error: --from-baseline builds from the "
			"baseline on, and the versions directory has none%s; "
			"write one with 'migc squash --to REV'\n",
			g->baseline ? " for this dialect" : "");
		return -1;
	}
	if (baseline_view(&view, g, diag) != 0)
		return -1;
	result = emit_set(&view, o, diag);
	baseline_view_free(&view);
	return result;
}

static int command_generate(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	struct emit_options options;
	struct buffer cache = {0};
	char *proofs = NULL;
	int failed, usage, verify;

	if (!a->name || !a->dialect || !a->output_dir)
		return migc_command_usage_error(
		    a->line, a->command,
		    "generate needs --name, --dialect and --output-dir");
	if (!is_c_identifier(a->name))
		return migc_command_usage_error(
		    a->line, a->command,
		    "--name must be a C identifier "
		    "(letters, digits, underscore)");
	options.name = a->name;
	options.output_dir = a->output_dir;
	if ((usage = parse_lint(a, &options.lint)) != 0)
		return usage;
	if ((usage = parse_dialect(a, &options.dialect)) != 0)
		return usage;
	options.from_baseline = a->from_baseline;
	if (a->verify && a->no_verify)
		return migc_command_usage_error(
		    a->line, a->command,
		    "--verify and --no-verify contradict each other");
	/* The proof is on for SQLite unless --no-verify (it needs no
	 * server); PostgreSQL's needs one, so it is asked for. The proofs
	 * are remembered beside the output, so a build after touching one
	 * revision proves only what that touch changes. */
	verify =
	    a->verify || (options.dialect == DIALECT_SQLITE && !a->no_verify);
	buffer_printf(&cache, "%s/%s.verified", a->output_dir, a->name);
	failed =
	    load_graph(&g, a->versions, &diag) != 0 ||
	    note_branches(&g, a->single_head) != 0 ||
	    (verify &&
	     emit_check(&g, options.dialect, options.lint, &diag) != 0) ||
	    (verify && autogen_verify_remembered(&g, options.dialect,
						 a->project->url, cache.data,
						 NULL, &proofs, &diag) != 0) ||
	    (verify && baseline_verify(&g, options.dialect, a->project->url,
				       &diag) != 0) ||
	    emit_chosen(&g, &options, &diag) != 0 ||
	    (proofs &&
	     file_write(cache.data, proofs, strlen(proofs), 1, &diag) != 0);
	free(proofs);
	free(cache.data);
	return finish(&diag, &g, failed ? EXIT_FAILURE : EXIT_SUCCESS);
}

/* heads, branches, history, show, graph: the graph through format.c. */
static int command_show_graph(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	migc_set set;
	migc_format_context context;
	migc_format_json json;
	char error[512] = "", *prefix;
	int status = EXIT_SUCCESS;

	if (a->command == CMD_SHOW && a->positional_count != 1)
		return migc_command_usage_error(a->line, a->command,
						"show needs one revision");
	if (a->command == CMD_GRAPH && a->format &&
	    strcmp(a->format, "dot") != 0)
		return migc_command_usage_error(
		    a->line, a->command, "graph knows one --format: dot");
	if (a->command != CMD_GRAPH && a->format &&
	    strcmp(a->format, "json") != 0 && strcmp(a->format, "text") != 0)
		return migc_command_usage_error(
		    a->line, a->command, "--format is text or json, not '%s'",
		    a->format);
	if (load_graph(&g, a->versions, &diag) != 0)
		return finish(&diag, &g, EXIT_FAILURE);
	setview_build(&set, &g);
	prefix = text_format("%s/", a->versions);
	context.path_prefix = prefix;
	context.current = NULL;
	context.json = NULL;
	if (a->command != CMD_GRAPH && a->format &&
	    strcmp(a->format, "json") == 0) {
		migc_format_json_begin(stdout, &json);
		context.json = &json;
	}
	if (a->command == CMD_HEADS)
		migc_format_heads(stdout, &set, a->verbose, &context);
	else if (a->command == CMD_BRANCHES)
		migc_format_branches(stdout, &set, a->verbose, &context);
	else if (a->command == CMD_GRAPH)
		migc_format_dot(stdout, &set);
	else if (a->command == CMD_HISTORY)
		status = migc_format_history(stdout, &set, a->range, a->verbose,
					     &context, error, sizeof error);
	else
		status = migc_format_show(stdout, &set, a->positionals[0],
					  &context, error, sizeof error);
	if (status != 0) {
		fprintf(stderr, "migc: error: %s\n", error);
		status = EXIT_FAILURE;
	} else if (context.json != NULL) {
		migc_format_json_end(stdout, &json);
	}
	free(prefix);
	setview_free(&set);
	return finish(&diag, &g, status);
}

/* check's way out, as a command that works where check ran: the
 * settings it was given, the CMake target when it ran as one. */
static void print_autogenerate_hint(const struct arguments *a)
{
	const char *target = getenv("MIGC_CHECK_TARGET");

	fprintf(stderr, "migc: error: %s has changes that no revision holds; ",
		a->project->schema);
	if (target != NULL && target[0] != '\0') {
		fprintf(stderr,
			"write the revision with MIGC_MESSAGE=\"add tags\" "
			"cmake --build <build dir> --target %s\n",
			target);
		return;
	}
	fprintf(stderr, "write the revision with: migc revision "
			"--autogenerate -m \"add tags\"");
	if (a->config)
		fprintf(stderr, " --config '%s'", a->config);
	if (a->project->path == NULL || a->config == NULL)
		fprintf(stderr, " --versions '%s' --dialect %s --schema '%s'",
			a->versions, a->dialect, a->project->schema);
	if (a->url != NULL) {
		/* Passwords are never printed: then the URL is to fill in. */
		char shown[512];
		migc_url_mask(shown, sizeof shown, a->url);
		fprintf(stderr, " --url '%s'",
			strcmp(shown, a->url) == 0 ? a->url : "URL");
	}
	fputc('\n', stderr);
}

/* check --format json: {"ok", "revisions", "heads", "schema_changes",
 * "problems": ["file:line:column: error: ..."]} on stdout. */
static void print_check_json(const struct graph *g,
			     const struct diagnostics *diag, int changes)
{
	size_t i;

	printf("{\"ok\": %s, \"revisions\": %zu, \"heads\": %zu, "
	       "\"schema_changes\": %s, \"problems\": [",
	       diag->errors == 0 && !changes ? "true" : "false", g->count,
	       g->head_count, changes ? "true" : "false");
	for (i = 0; i < diag->count; i++) {
		fputs(i > 0 ? ", " : "", stdout);
		migc_format_json_string(stdout, diag->items[i].text);
	}
	printf("]}\n");
}

static int command_check(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	enum dialect dialect = DIALECT_SQLITE;
	enum lint_mode lint;
	int status = EXIT_SUCCESS;
	int json = a->format != NULL && strcmp(a->format, "json") == 0;
	int differs = 0;

	if ((status = parse_lint(a, &lint)) != 0)
		return status;
	if (a->format && !json && strcmp(a->format, "text") != 0)
		return migc_command_usage_error(
		    a->line, a->command, "--format is text or json, not '%s'",
		    a->format);
	if (a->dialect &&
	    (dialect_parse(a->dialect, strlen(a->dialect), &dialect) != 0 ||
	     dialect == DIALECT_GENERIC))
		return migc_command_usage_error(
		    a->line, a->command,
		    "--dialect must be sqlite or postgresql");
	/* Every stage runs, whatever an earlier one found. */
	if (graph_load(&g, a->versions, &diag) != 0)
		status = EXIT_FAILURE;
	if (graph_build(&g, &diag) != 0)
		status = EXIT_FAILURE;
	if (emit_check(&g, dialect, lint, &diag) != 0)
		status = EXIT_FAILURE;
	/* Alembic 1.9's meaning too: the declared schema holds nothing that
	 * no revision holds yet. */
	if (status == EXIT_SUCCESS && a->project->schema) {
		differs = autogen_check(&g, a->project, json ? stderr : stdout,
					&diag);
		if (differs != 0) {
			if (differs > 0)
				print_autogenerate_hint(a);
			status = EXIT_FAILURE;
		}
	}
	if (json) {
		print_check_json(&g, &diag, differs > 0);
		diag_free(&diag);
		graph_free(&g);
		return status;
	}
	diag_print(&diag, stderr);
	if (diag.errors)
		fprintf(stderr, "migc: check found %zu problem%s\n",
			diag.errors, diag.errors == 1 ? "" : "s");
	if (status == EXIT_SUCCESS)
		printf("%zu revision%s, %zu head%s: no problems found\n",
		       g.count, g.count == 1 ? "" : "s", g.head_count,
		       g.head_count == 1 ? "" : "s");
	diag_free(&diag);
	graph_free(&g);
	return status;
}

/* The parent of a new revision: --head, else the single head. */
static int choose_parent(const struct graph *g, const struct arguments *a,
			 const char **out)
{
	size_t i;
	if (a->head) {
		long found = history_revision(g, a->head, "--head: ");
		if (found == -2)
			return -1;
		if (found < 0) {
			*out = "none";
			return 0;
		}
		if (!g->revisions[found].is_head && !a->splice) {
			fprintf(stderr,
				"migc: error: --head %s is not a head; a new "
				"revision there starts a branch: add --splice "
				"if that is what you want\n",
				g->revisions[found].id.text);
			return -1;
		}
		*out = g->revisions[found].id.text;
		return 0;
	}
	if (g->head_count == 0) {
		*out = "none";
		return 0;
	}
	if (g->head_count == 1) {
		*out = g->revisions[g->heads[0]].id.text;
		return 0;
	}
	fprintf(stderr, "migc: error: the versions directory has %zu heads:",
		g->head_count);
	for (i = 0; i < g->head_count; i++)
		fprintf(stderr, " %s", g->revisions[g->heads[i]].id.text);
	fprintf(stderr, "; pass --head REV to choose the parent, or merge "
			"them first\n");
	return -1;
}

static int valid_rev_id(const char *id)
{
	size_t i;
	for (i = 0; id[i]; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return i > 0 && i <= 32;
}

/* How revision and merge begin: the form of --rev-id, then their
 * positional arguments (revision takes none, merge needs some), then the
 * graph read into `g`; 0 to go on, else the exit status. */
static int begin_new_revision(const struct arguments *a, struct graph *g,
			      struct diagnostics *diag)
{
	const char *positional_error = NULL;

	if (a->rev_id && !valid_rev_id(a->rev_id))
		return migc_command_usage_error(
		    a->line, a->command,
		    "--rev-id must be 1 to 32 letters, digits or underscores");
	if (a->command == CMD_MERGE && a->positional_count == 0)
		positional_error =
		    "merge needs the revisions to join, or 'heads'";
	if (a->command == CMD_REVISION && a->positional_count != 0)
		positional_error = "revision takes no positional arguments; "
				   "quote the message: -m \"add tags\"";
	if (positional_error != NULL)
		return migc_command_usage_error(a->line, a->command, "%s",
						positional_error);
	if (load_graph(g, a->versions, diag) != 0)
		return finish(diag, g, EXIT_FAILURE);
	return 0;
}

/* Writes the new file; `parents` is "none" or "a, b". */
static int create(const struct graph *g, const struct arguments *a,
		  const char *parents, const char *depends_on,
		  struct diagnostics *diag)
{
	struct revision_request request;
	struct revision_body body = {NULL, NULL, NULL, 0};
	char *path = NULL;

	if (a->rev_id) {
		const migc_revision *found = NULL;
		migc_set set;
		int exists;
		setview_build(&set, g);
		exists = migc_revision_find(&found, &set, a->rev_id, NULL) ==
			     MIGC_OK &&
			 strcmp(found->id, a->rev_id) == 0;
		if (exists)
			fprintf(stderr,
				"migc: error: revision id %s already exists "
				"(%s); choose another --rev-id\n",
				a->rev_id,
				g->revisions[g->order[found - set.revisions]]
				    .path);
		setview_free(&set);
		if (exists)
			return EXIT_FAILURE;
	}
	request.versions = a->versions;
	request.rev_id = a->rev_id;
	request.parents = parents;
	request.message = a->message ? a->message : "";
	request.branch_labels = a->branch_label ? a->branch_label : "";
	request.depends_on = depends_on;
	body.template_path = a->project->template_path;
	if (revision_create_filled(&request, &body, &path, diag) != 0)
		return EXIT_FAILURE;
	printf("  Generating %s ...  done\n", path);
	free(path);
	return EXIT_SUCCESS;
}

static int command_revision(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	const char *parent, *depends_on = "";
	int status;

	status = begin_new_revision(a, &g, &diag);
	if (status != 0)
		return status;
	if (choose_parent(&g, a, &parent) != 0)
		return finish(&diag, &g, EXIT_FAILURE);
	if (a->depends_on) {
		long found = history_revision(&g, a->depends_on, "--depends-on: ");
		if (found < 0) {
			if (found == -1)
				fprintf(stderr,
					"migc: error: --depends-on: '%s' is "
					"before every revision; name a "
					"revision\n",
					a->depends_on);
			return finish(&diag, &g, EXIT_FAILURE);
		}
		depends_on = g.revisions[found].id.text;
	}
	if (a->autogenerate) {
		char *path = NULL;
		enum dialect dialect;
		int written;
		if (!a->project->schema) {
			fprintf(stderr,
				"migc: error: --autogenerate compares with the "
				"declared schema; give --schema FILE or "
				"'schema = FILE' in migc.ini\n");
			return finish(&diag, &g, EXIT_FAILURE);
		}
		if ((status = parse_dialect(a, &dialect)) != 0)
			return finish(&diag, &g, status);
		/* The head it builds on is the one generate accepts. */
		if (emit_check(&g, dialect, LINT_OFF, &diag) != 0)
			return finish(&diag, &g, EXIT_FAILURE);
		written = autogen_revision(&g, a->project,
					   a->message ? a->message : "",
					   a->rev_id, &path, &diag);
		if (written == 0)
			printf("  Generating %s ...  done\n", path);
		else if (written > 0)
			printf("No changes in schema detected.\n");
		free(path);
		return finish(&diag, &g,
			      written < 0 ? EXIT_FAILURE : EXIT_SUCCESS);
	}
	status = create(&g, a, parent, depends_on, &diag);
	return finish(&diag, &g, status);
}

/* `verify`: every revision's downgrade restores the schema before it. */
static int command_verify(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	enum dialect dialect;
	int status = EXIT_SUCCESS, usage;
	if ((usage = parse_dialect(a, &dialect)) != 0)
		return usage;
	/* It proves the revisions generate accepts, and only those. */
	if (load_graph(&g, a->versions, &diag) != 0 ||
	    emit_check(&g, dialect, LINT_OFF, &diag) != 0 ||
	    autogen_verify_url(&g, dialect, a->project->url, &diag) != 0)
		status = EXIT_FAILURE;
	else
		printf("%zu revision%s: every downgrade restores the schema "
		       "before its upgrade\n",
		       g.count, g.count == 1 ? "" : "s");
	return finish(&diag, &g, status);
}

/* `merge -m MSG REV REV...` or `merge heads`: one revision, several
 * parents, empty sections. */
static int command_merge(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	struct buffer parents = {0};
	size_t i, j, count = 0;
	size_t *chosen;
	int status;

	status = begin_new_revision(a, &g, &diag);
	if (status != 0)
		return status;
	chosen = malloc((g.count + a->positional_count + 1) * sizeof *chosen);
	if (!chosen)
		abort();
	for (i = 0; i < a->positional_count; i++) {
		const char *name = a->positionals[i];
		long found;
		if (strcmp(name, "heads") == 0) {
			for (j = 0; j < g.head_count; j++)
				chosen[count++] = g.heads[j];
			continue;
		}
		found = history_revision(&g, name, "");
		if (found < 0) {
			if (found == -1)
				fprintf(stderr,
					"migc: error: '%s' is before every "
					"revision; name a revision to merge\n",
					name);
			free(chosen);
			return finish(&diag, &g, EXIT_FAILURE);
		}
		chosen[count++] = (size_t)found;
	}
	/* Drop repeats, keep the order given. */
	for (i = 0; i < count; i++)
		for (j = i + 1; j < count;)
			if (chosen[j] == chosen[i])
				chosen[j] = chosen[--count];
			else
				j++;
	if (count < 2) {
		fprintf(stderr, "migc: error: a merge needs at least two "
				"different revisions; there is nothing to "
				"merge\n");
		free(chosen);
		return finish(&diag, &g, EXIT_FAILURE);
	}
	for (i = 0; i < count; i++)
		buffer_printf(&parents, "%s%s", i ? ", " : "",
			      g.revisions[chosen[i]].id.text);
	status = create(&g, a, parents.data, "", &diag);
	free(parents.data);
	free(chosen);
	return finish(&diag, &g, status);
}

/* `init [DIR]`: a project to start from, as `alembic init` gives one:
 * DIR/migc.ini, DIR/versions/ and the template new revisions come from.
 * Refuses to touch a project that exists. */
static int command_init(const struct arguments *a)
{
	struct diagnostics diag = {0};
	const char *dir = a->positional_count == 1 ? a->positionals[0] : ".";
	const char *dialect = a->dialect ? a->dialect : "sqlite";
	struct buffer ini = {0}, path = {0};
	enum dialect parsed;
	int status = EXIT_FAILURE;

	if (a->positional_count > 1)
		return migc_command_usage_error(a->line, a->command,
						"init takes one directory");
	if (dialect_parse(dialect, strlen(dialect), &parsed) != 0 ||
	    parsed == DIALECT_GENERIC)
		return migc_command_usage_error(
		    a->line, a->command,
		    "--dialect must be sqlite or postgresql");
	buffer_printf(&ini,
		      "# migc.ini: the settings of the migc command, read from "
		      "the current\n# directory (or --config FILE); flags win "
		      "over them. Paths are\n# relative to this file.\n"
		      "[migc]\nversions = versions\ndialect  = %s\n"
		      "# the declared schema, for 'migc revision "
		      "--autogenerate' and 'migc check':\n"
		      "# schema = schema.sql\n%s",
		      dialect,
		      parsed == DIALECT_POSTGRESQL
			  ? "# the server autogenerate and verify make scratch "
			    "databases on\n# (this database itself is never "
			    "read or written):\n"
			    "# url = postgresql://user@localhost/app\n"
			  : "");
	buffer_printf(&path, "%s/migc.ini", dir);
	if (access(path.data, F_OK) == 0) {
		fprintf(stderr,
			"migc: error: %s exists: %s holds a project already "
			"(init starts a new one)\n",
			path.data, dir);
		free(ini.data);
		free(path.data);
		return EXIT_FAILURE;
	}
	path.length = 0;
	buffer_printf(&path, "%s/versions", dir);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "migc: error: cannot create %s: %s\n", dir,
			strerror(errno));
	} else if (mkdir(path.data, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "migc: error: cannot create %s: %s\n",
			path.data, strerror(errno));
	} else {
		path.length = 0;
		buffer_printf(&path, "%s/migc.ini", dir);
		if (file_write(path.data, ini.data, ini.length, 0, &diag) == 0) {
			printf("  Generating %s ...  done\n", path.data);
			path.length = 0;
			buffer_printf(&path, "%s/versions/script.sql.tmpl", dir);
			if (file_write(path.data, template_builtin(),
				       strlen(template_builtin()), 0,
				       &diag) == 0) {
				printf("  Generating %s ...  done\n"
				       "Next: %s%s%smigc revision -m \"create "
				       "users\" writes the first revision.\n",
				       path.data, strcmp(dir, ".") ? "cd " : "",
				       strcmp(dir, ".") ? dir : "",
				       strcmp(dir, ".") ? " && " : "");
				status = EXIT_SUCCESS;
			}
		}
	}
	diag_print(&diag, stderr);
	diag_free(&diag);
	free(ini.data);
	free(path.data);
	return status;
}

/* A versions directory that is not there: the project is not started. */
static int versions_missing(const struct arguments *a)
{
	struct stat info;

	if (a->command == CMD_INIT || a->command == CMD_IMPORT ||
	    stat(a->versions, &info) == 0)
		return 0;
	fprintf(stderr,
		"migc: error: no versions directory '%s'%s; run 'migc init' "
		"to start a project here, or pass --versions DIR\n",
		a->versions,
		a->project->path ? "" : " (and no migc.ini here to name one)");
	return 1;
}

/* A flag given on the command line wins over migc.ini's setting. */
static void override(char **setting, const char *flag)
{
	if (flag == NULL)
		return;
	free(*setting);
	*setting = strdup(flag);
	if (*setting == NULL)
		abort();
}

/* migc.ini (--config FILE, else ./migc.ini when present) under the flags. */
static int load_project(struct arguments *a, struct project *project)
{
	struct diagnostics diag = {0};
	FILE *probe;
	const char *path = a->config;
	int status;

	if (!path && (probe = fopen("migc.ini", "r")) != NULL) {
		fclose(probe);
		path = "migc.ini";
	}
	status = project_load(project, path, &diag);
	diag_print(&diag, stderr);
	diag_free(&diag);
	if (status != 0)
		return -1;
	a->project = project;
	override(&project->versions, a->versions);
	override(&project->schema, a->schema);
	override(&project->url, a->url);
	override(&project->dialect, a->dialect);
	a->versions = project->versions;
	a->dialect = project->dialect;
	return 0;
}

/* `import TOOL DIR`: import.c does the work. */
static int command_import(const struct arguments *a)
{
	if (a->positional_count != 2) {
		fprintf(stderr, "migc: import takes the tool and its migrations' "
				"directory: migc import goose db/migrations\n");
		return MIGC_COMMAND_EXIT_USAGE;
	}
	return import_main(a->positionals[0], a->positionals[1], a->versions,
			   a->dialect, a->alembic_config, a->adopt);
}

/* `squash --to REV` and `rebase REV`: history/ does the work. */
static int command_squash(const struct arguments *a)
{
	struct squash_request request;
	int usage;

	if (!a->to || a->positional_count)
		return migc_command_usage_error(
		    a->line, a->command,
		    "squash takes --to REV, the revision whose schema the "
		    "baseline creates");
	if (a->rev_id && !valid_rev_id(a->rev_id))
		return migc_command_usage_error(
		    a->line, a->command,
		    "--rev-id must be 1 to 32 letters, digits or underscores");
	request.versions = a->versions;
	request.to = a->to;
	request.rev_id = a->rev_id;
	request.message = a->message;
	request.url = a->project->url;
	if ((usage = parse_dialect(a, &request.dialect)) != 0)
		return usage;
	return squash_main(&request);
}

static int command_rebase(const struct arguments *a)
{
	struct rebase_request request;

	if (a->positional_count != 1)
		return migc_command_usage_error(
		    a->line, a->command,
		    "rebase takes one revision: the head (or root) of the "
		    "branch to move");
	request.versions = a->versions;
	request.branch = a->positionals[0];
	request.onto = a->onto;
	return rebase_main(&request);
}

/* Each command's function, in enum command's order ("help" is the
 * parser's). */
typedef int command_fn(const struct arguments *a);
static command_fn *const commands[] = {command_init,
				       command_generate,
				       command_revision,
				       command_merge,
				       command_show_graph,
				       command_show_graph,
				       command_show_graph,
				       command_show_graph,
				       command_show_graph,
				       command_check,
				       command_verify,
				       command_import,
				       command_squash,
				       command_rebase,
				       NULL};

int main(int argc, char **argv)
{
	struct arguments a;
	migc_command_line line = {"migc",
				  command_names,
				  options,
				  sizeof options / sizeof options[0],
				  on_option,
				  on_argument,
				  print_help,
				  &a,
				  "migc " MIGC_VERSION_STRING,
				  unknown_command_hint};
	struct project project;
	int status = EXIT_SUCCESS;

	memset(&a, 0, sizeof a);
	memset(&project, 0, sizeof project);
	a.line = &line;
	a.positionals = calloc((size_t)argc + 1, sizeof *a.positionals);
	if (!a.positionals)
		abort();
	a.command = migc_command_parse(&line, argc, argv);
	if (a.command == MIGC_COMMAND_HELP)
		status = EXIT_SUCCESS;
	else if (a.command < 0 || arguments_refused(&a))
		status = MIGC_COMMAND_EXIT_USAGE;
	else
		status = load_project(&a, &project) != 0 || versions_missing(&a)
			     ? EXIT_FAILURE
			     : commands[a.command](&a);
	free(a.positionals);
	project_free(&project);
	return status;
}
