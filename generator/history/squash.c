/* squash.c: `migc squash --to REV`. Builds the chain up to REV in a
 * scratch schema, asks the dialect for the SQL that creates that schema
 * from an empty one and drops it again (autogenerate's writers), proves
 * the baseline file made of it (baseline.c) and writes it beside the
 * revisions, replacing an older baseline. */
#include "baseline.h"
#include "dialect.h"
#include "template.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The baseline file's text (malloc'd). */
static char *baseline_text(const struct squash_request *q,
			   const struct revision *of, const char *id,
			   const char *upgrade, const char *downgrade)
{
	struct buffer b = {0};
	char now[20];
	const char *dialect = dialect_name(q->dialect);

	template_now(now);
	buffer_printf(&b,
		      "-- A baseline (migc squash): creates from an empty "
		      "database, in one step,\n-- the schema revision %s and "
		      "the revisions before it create. A new\n-- database "
		      "runs it and is then at %s; a database inside the "
		      "chain\n-- follows the chain. Proven at build time; "
		      "rerun 'migc squash' rather\n-- than editing it (rows "
		      "it should insert may be added).\n"
		      "-- migc:revision      %s\n"
		      "-- migc:baseline_of   %s\n"
		      "-- migc:message       %s%s\n"
		      "-- migc:create_date   %s\n\n"
		      "-- migc:upgrade %s\n%s%s\n"
		      "-- migc:downgrade %s\n%s%s",
		      of->id.text, of->id.text, id, of->id.text,
		      q->message ? q->message : "baseline of ",
		      q->message ? "" : of->id.text, now, dialect, upgrade,
		      *upgrade ? "\n" : "", dialect, downgrade,
		      *downgrade ? "\n" : "");
	return b.data;
}

/* Parses `text` as the file at `path` would be, and proves it. */
static int prove_text(struct baseline_session *s, const char *path,
		      const char *text, struct diagnostics *diag)
{
	struct revision parsed;
	char *copy = text_dup(text);
	int result;

	memset(&parsed, 0, sizeof parsed);
	result = revision_parse(&parsed, path, copy, strlen(copy), diag);
	if (result == 0)
		result = baseline_prove(s, &parsed, diag);
	revision_free(&parsed);
	return result;
}

static int write_baseline(const struct squash_request *q, const struct graph *g,
			  struct baseline_session *s, long of,
			  struct diagnostics *diag)
{
	const struct revision *rev = &g->revisions[of];
	char random_id[13];
	const char *id = q->rev_id;
	char *upgrade, *downgrade, *text;
	struct buffer path = {0};
	int result = -1;

	if (!id && revision_id_random(random_id) != 0) {
		fprintf(stderr, "migc: error: no random id (/dev/urandom); "
				"pass --rev-id\n");
		return -1;
	}
	if (!id)
		id = random_id;
	upgrade = s->dialect->change_sql(s->empty, s->chain);
	downgrade = s->dialect->change_sql(s->chain, s->empty);
	text = baseline_text(q, rev, id, upgrade, downgrade);
	buffer_printf(&path, "%s/%s_baseline_of_%s.sql", q->versions, id,
		      rev->id.text);
	if (prove_text(s, path.data, text, diag) != 0)
		fprintf(stderr, "migc: error: the baseline does not give the "
				"schema of the chain (a bug in migc: please "
				"report it with the revisions); nothing was "
				"written\n");
	else if (file_write(path.data, text, strlen(text), 0, diag) == 0)
		result = 0;
	if (result == 0) {
		printf("  Generating %s ...  done\n", path.data);
		if (g->baseline && strcmp(g->baseline->path, path.data) != 0 &&
		    unlink(g->baseline->path) == 0)
			printf("  Removing %s (the older baseline) ...  done\n",
			       g->baseline->path);
	}
	free(upgrade);
	free(downgrade);
	free(text);
	free(path.data);
	return result;
}

int squash_main(const struct squash_request *q)
{
	struct diagnostics diag = {0};
	struct graph g = {0};
	struct baseline_session s;
	long of = -2; /* the set did not load: its errors say why */
	int result = -1;

	/* The schema it squashes is built from revisions generate accepts. */
	if (graph_load(&g, q->versions, &diag) == 0 &&
	    graph_build(&g, &diag) == 0 &&
	    emit_check(&g, q->dialect, LINT_OFF, &diag) == 0)
		of = history_revision(&g, q->to, "--to: ");
	if (of == -1)
		fprintf(stderr, "migc: error: --to names base; name the "
				"revision whose schema the baseline creates\n");
	if (of >= 0 &&
	    baseline_open(&s, &g, (size_t)of, q->dialect, q->url, &diag) == 0) {
		result = write_baseline(q, &g, &s, of, &diag);
		if (baseline_close(&s, &diag) != 0)
			result = -1;
	}
	if (result == 0)
		printf("A new database now runs this baseline in one step and "
		       "is then at %s; generate with --from-baseline "
		       "(FROM_BASELINE in CMake) to leave the revisions "
		       "before it out of the build.\n",
		       g.revisions[of].id.text);
	diag_print(&diag, stderr);
	diag_free(&diag);
	graph_free(&g);
	return result == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
