/* main.c: the `migc` command. Parses arguments and runs the pipeline:
 * load (graph.c, lexer.re) -> build graph -> emit C, or create a revision
 * file from the template. Diagnostics are printed here and nowhere else. */
#include "gen.h"
#include "template.h"

#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: migc COMMAND [options]\n"
	"\n"
	"commands:\n"
	"  generate --versions DIR --name NAME --dialect sqlite|postgresql\n"
	"           --output-dir DIR      write NAME.c and NAME.h\n"
	"  revision -m MESSAGE [--versions DIR] [--rev-id ID] [--head REV]\n"
	"           [--splice]            create a new revision file\n"
	"  heads    [--versions DIR]      list the heads\n"
	"  check    [--versions DIR] [--dialect D]\n"
	"                                 validate every revision file\n"
	"\n"
	"--versions defaults to ./versions.\n";

struct arguments {
	const char *command;
	const char *versions;
	const char *name;
	const char *dialect;
	const char *output_dir;
	const char *message;
	const char *rev_id;
	const char *head;
	int splice;
};

static int usage_error(const char *what)
{
	fprintf(stderr, "migc: error: %s\n\n%s", what, usage_text);
	return EXIT_USAGE;
}

static int parse_arguments(struct arguments *a, int argc, char **argv)
{
	int i;
	memset(a, 0, sizeof *a);
	a->versions = "versions";
	if (argc < 2)
		return -1;
	a->command = argv[1];
	for (i = 2; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot = NULL;
		if (strcmp(arg, "--versions") == 0)
			slot = &a->versions;
		else if (strcmp(arg, "--name") == 0)
			slot = &a->name;
		else if (strcmp(arg, "--dialect") == 0)
			slot = &a->dialect;
		else if (strcmp(arg, "--output-dir") == 0)
			slot = &a->output_dir;
		else if (strcmp(arg, "-m") == 0 ||
			 strcmp(arg, "--message") == 0)
			slot = &a->message;
		else if (strcmp(arg, "--rev-id") == 0)
			slot = &a->rev_id;
		else if (strcmp(arg, "--head") == 0)
			slot = &a->head;
		else if (strcmp(arg, "--splice") == 0) {
			a->splice = 1;
			continue;
		} else {
			fprintf(stderr, "migc: error: unknown option '%s'\n",
				arg);
			return -1;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "migc: error: %s needs a value\n", arg);
			return -1;
		}
		*slot = argv[++i];
	}
	return 0;
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

static void note_branches(const struct graph *g)
{
	size_t i;
	if (g->head_count < 2)
		return;
	fprintf(stderr, "migc: note: %zu heads (", g->head_count);
	for (i = 0; i < g->head_count; i++)
		fprintf(stderr, "%s%s", i ? ", " : "",
			g->revisions[g->heads[i]].id.text);
	fprintf(stderr, "): the history has branches; 'upgrade head' will "
			"ask for one, 'upgrade heads' applies all, and "
			"'migc merge' joins them\n");
}

static int command_generate(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	struct emit_options options;

	if (!a->name || !a->dialect || !a->output_dir)
		return usage_error(
			"generate needs --name, --dialect and --output-dir");
	if (!is_c_identifier(a->name))
		return usage_error("--name must be a C identifier "
				   "(letters, digits, underscore)");
	options.name = a->name;
	options.output_dir = a->output_dir;
	if (dialect_parse(a->dialect, strlen(a->dialect), &options.dialect) !=
		    0 ||
	    options.dialect == DIALECT_GENERIC)
		return usage_error("--dialect must be sqlite or postgresql");
	if (load_graph(&g, a->versions, &diag) != 0 ||
	    emit_set(&g, &options, &diag) != 0)
		return finish(&diag, &g, EXIT_FAILURE);
	note_branches(&g);
	return finish(&diag, &g, EXIT_SUCCESS);
}

static int command_heads(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	size_t i;
	if (load_graph(&g, a->versions, &diag) != 0)
		return finish(&diag, &g, EXIT_FAILURE);
	for (i = 0; i < g.head_count; i++)
		printf("%s (head)\n", g.revisions[g.heads[i]].id.text);
	return finish(&diag, &g, EXIT_SUCCESS);
}

static int command_check(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	enum dialect dialect = DIALECT_SQLITE;
	int status = EXIT_SUCCESS;

	if (a->dialect &&
	    (dialect_parse(a->dialect, strlen(a->dialect), &dialect) != 0 ||
	     dialect == DIALECT_GENERIC))
		return usage_error("--dialect must be sqlite or postgresql");
	if (load_graph(&g, a->versions, &diag) != 0 ||
	    emit_check(&g, dialect, &diag) != 0)
		status = EXIT_FAILURE;
	else
		printf("%zu revision%s, %zu head%s: no problems found\n",
		       g.count, g.count == 1 ? "" : "s", g.head_count,
		       g.head_count == 1 ? "" : "s");
	return finish(&diag, &g, status);
}

static char *read_template(const char *path)
{
	FILE *file = fopen(path, "rb");
	char *text;
	long size;
	if (!file)
		return NULL;
	if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0 ||
	    fseek(file, 0, SEEK_SET) != 0) {
		fclose(file);
		return NULL;
	}
	text = malloc((size_t)size + 1);
	if (!text)
		abort();
	if (fread(text, 1, (size_t)size, file) != (size_t)size) {
		free(text);
		fclose(file);
		return NULL;
	}
	text[size] = '\0';
	fclose(file);
	return text;
}

/* The parent of a new revision: --head, else the single head. */
static int choose_parent(const struct graph *g, const struct arguments *a,
			 const char **out)
{
	size_t i;
	if (a->head) {
		long found;
		if (strcmp(a->head, "base") == 0) {
			*out = "none";
			return 0;
		}
		found = graph_find(g, a->head);
		if (found < 0) {
			fprintf(stderr,
				"migc: error: --head '%s' names no revision "
				"(or an ambiguous prefix); run 'migc heads'\n",
				a->head);
			return -1;
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

static int command_revision(const struct arguments *a)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	struct template_values values;
	char id[13], date[20], *template_path, *template_text, *text = NULL;
	char *slug, *path = NULL;
	const char *parent;
	int status = EXIT_FAILURE;
	size_t length;

	if (a->rev_id && !valid_rev_id(a->rev_id))
		return usage_error("--rev-id must be 1 to 32 letters, digits "
				   "or underscores");
	if (load_graph(&g, a->versions, &diag) != 0)
		return finish(&diag, &g, EXIT_FAILURE);
	if (choose_parent(&g, a, &parent) != 0)
		return finish(&diag, &g, EXIT_FAILURE);
	if (a->rev_id) {
		if (graph_find(&g, a->rev_id) >= 0 &&
		    strcmp(g.revisions[graph_find(&g, a->rev_id)].id.text,
			   a->rev_id) == 0) {
			fprintf(stderr,
				"migc: error: revision id %s already exists\n",
				a->rev_id);
			return finish(&diag, &g, EXIT_FAILURE);
		}
	} else if (revision_id_random(id) != 0) {
		fprintf(stderr, "migc: error: cannot read /dev/urandom for a "
				"revision id; pass --rev-id\n");
		return finish(&diag, &g, EXIT_FAILURE);
	}
	template_now(date);
	values.revision = a->rev_id ? a->rev_id : id;
	values.down_revision = parent;
	values.message = a->message ? a->message : "";
	values.create_date = date;
	values.branch_labels = "";
	values.depends_on = "";

	length = strlen(a->versions) + 32;
	template_path = malloc(length);
	if (!template_path)
		abort();
	snprintf(template_path, length, "%s/script.sql.tmpl", a->versions);
	template_text = read_template(template_path);
	text = template_render(template_text ? template_text
					     : template_builtin(),
			       template_text ? template_path : "<built-in>",
			       &values, &diag);
	if (text) {
		struct revision check;
		char *copy = strdup(text);
		slug = revision_slug(values.message);
		length = strlen(a->versions) + strlen(values.revision) +
			 strlen(slug) + 8;
		path = malloc(length);
		if (!path || !copy)
			abort();
		snprintf(path, length, "%s/%s_%s.sql", a->versions,
			 values.revision, slug);
		free(slug);
		/* What the template made must parse, or it is not written. */
		memset(&check, 0, sizeof check);
		if (revision_parse(&check, path, copy, strlen(copy), &diag) !=
		    0) {
			struct location at = {template_path, 0, 0};
			diag_note(&diag, at,
				  "the template renders a revision that does "
				  "not parse; fix the template");
		} else if (write_file_new(path, text, strlen(text), &diag) ==
			   0) {
			printf("  Generating %s ...  done\n", path);
			status = EXIT_SUCCESS;
		}
		revision_free(&check);
	}
	free(template_path);
	free(template_text);
	free(text);
	free(path);
	return finish(&diag, &g, status);
}

int main(int argc, char **argv)
{
	struct arguments a;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
			  strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "help") == 0)) {
		fputs(usage_text, stdout);
		return EXIT_SUCCESS;
	}
	if (parse_arguments(&a, argc, argv) != 0)
		return usage_error(argc < 2 ? "no command given"
					    : "bad arguments");
	if (strcmp(a.command, "generate") == 0)
		return command_generate(&a);
	if (strcmp(a.command, "revision") == 0)
		return command_revision(&a);
	if (strcmp(a.command, "heads") == 0)
		return command_heads(&a);
	if (strcmp(a.command, "check") == 0)
		return command_check(&a);
	fprintf(stderr, "migc: error: unknown command '%s'\n\n%s", a.command,
		usage_text);
	return EXIT_USAGE;
}
