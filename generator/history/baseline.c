/* baseline.c: a versions directory's baseline (migc squash): the file
 * marked '-- migc:baseline_of REV' set aside from the graph and tied to
 * REV, and its proof, in a dialect's scratch schemas (autogen/dialect.h):
 * the baseline run on an empty schema gives exactly the catalog the
 * chain up to REV gives, and its downgrade empties it again. */
#include "baseline.h"
#include "dialect.h"
#include "setview.h"

#include <stdlib.h>
#include <string.h>

int graph_baseline_aside(struct graph *g, struct diagnostics *diag)
{
	size_t i, kept = 0;
	int result = 0;

	for (i = 0; i < g->count; i++) {
		struct revision *r = &g->revisions[i];

		if (!r->baseline_of.text) {
			if (kept != i)
				g->revisions[kept] = *r;
			kept++;
			continue;
		}
		if (g->baseline) {
			diag_error(diag, r->baseline_of.at,
				   "a second baseline (the first is %s): a "
				   "versions directory holds one; remove the "
				   "older ('migc squash' replaces it)",
				   g->baseline->path);
			revision_free(r);
			result = -1;
			continue;
		}
		g->baseline = malloc(sizeof *g->baseline);
		if (!g->baseline)
			abort();
		*g->baseline = *r;
	}
	g->count = kept;
	return result;
}

int graph_baseline_resolve(struct graph *g, struct diagnostics *diag)
{
	const struct revision *b = g->baseline;
	size_t i;

	if (!b)
		return 0;
	for (i = 0; i < g->count; i++) {
		if (strcmp(g->revisions[i].id.text, b->id.text) == 0) {
			diag_error(diag, b->id.at,
				   "the baseline's id %s is also the id of %s; "
				   "give the baseline an id of its own",
				   b->id.text, g->revisions[i].path);
			return -1;
		}
	}
	for (i = 0; i < g->count; i++) {
		if (strcmp(g->revisions[i].id.text, b->baseline_of.text) == 0) {
			g->baseline_of = i;
			return 0;
		}
	}
	diag_error(diag, b->baseline_of.at,
		   "the baseline stands for revision %s, which no file "
		   "defines; name a revision of the chain (in full), or "
		   "remove the baseline and run 'migc squash --to REV' again",
		   b->baseline_of.text);
	return -1;
}

long history_revision(const struct graph *g, const char *target,
		      const char *what)
{
	const migc_revision *found = NULL;
	migc_error error;
	migc_set set;
	long index = -1;
	int rc;

	setview_build(&set, g);
	rc = migc_target_revision(&found, NULL, &set, target, &error);
	if (rc != MIGC_OK)
		fprintf(stderr, "migc: error: %s%s\n", what, error.message);
	else if (found != NULL)
		index = (long)g->order[found - set.revisions];
	setview_free(&set);
	return rc != MIGC_OK ? -2 : index;
}

unsigned char *baseline_members(const struct graph *g, size_t of)
{
	unsigned char *in = calloc(g->count ? g->count : 1, 1);
	size_t i, k;

	if (!in)
		abort();
	in[of] = 1;
	for (i = g->count; i-- > 0;) {
		const struct revision *r = &g->revisions[g->order[i]];

		if (!in[g->order[i]])
			continue;
		for (k = 0; k < r->down_count; k++)
			in[r->parents[k]] = 1;
		for (k = 0; k < r->depends_on_count; k++)
			in[r->dependencies[k]] = 1;
	}
	return in;
}

/* ---- the proof, in a dialect's two scratch schemas ---- */

enum { CHAIN = 0, BASELINE = 1 };

static int apply_in(struct baseline_session *s, int which,
		    const struct revision *r, enum section_kind kind,
		    struct diagnostics *diag)
{
	if (autogen_refresh(s->dialect, s->scratch, which, diag) != 0)
		return -1;
	return s->dialect->apply(s->scratch, which, r, kind, diag);
}

static void *catalog_of(struct baseline_session *s, int which,
			struct diagnostics *diag)
{
	struct location at = {"<baseline>", 0, 0};
	char *error = NULL;
	void *catalog = calloc(1, s->dialect->catalog->size);

	if (!catalog)
		abort();
	if (s->dialect->read(s->scratch, which, catalog, &error) == 0)
		return catalog;
	diag_error(diag, at, "reading a scratch schema's catalog: %s", error);
	free(error);
	free(catalog);
	return NULL;
}

int baseline_open(struct baseline_session *s, const struct graph *g, size_t of,
		  enum dialect dialect, const char *url,
		  struct diagnostics *diag)
{
	unsigned char *in = baseline_members(g, of);
	size_t i;
	int result = 0;

	memset(s, 0, sizeof *s);
	/* A generic set's baseline is proven in SQLite. */
	s->dialect = autogen_dialect_of(dialect);
	if (!s->dialect)
		s->dialect = &autogen_sqlite;
	if (s->dialect->open(&s->scratch, url, diag) != 0) {
		free(in);
		return -1;
	}
	if (s->dialect->create(s->scratch, CHAIN, diag) != 0 ||
	    s->dialect->create(s->scratch, BASELINE, diag) != 0 ||
	    (s->empty = catalog_of(s, BASELINE, diag)) == NULL)
		result = -1;
	for (i = 0; result == 0 && i < g->count; i++)
		if (in[g->order[i]] &&
		    apply_in(s, CHAIN, &g->revisions[g->order[i]],
			     SECTION_UPGRADE, diag) != 0)
			result = -1;
	if (result == 0 && (s->chain = catalog_of(s, CHAIN, diag)) == NULL)
		result = -1;
	free(in);
	if (result != 0)
		baseline_close(s, diag);
	return result;
}

/* Schema BASELINE against `goal`: 0 alike, else -1 naming what differs. */
static int reached(struct baseline_session *s, const void *goal,
		   const char *goal_label, const char *what,
		   const struct revision *baseline, struct diagnostics *diag)
{
	struct string_list lines = {0};
	void *now = catalog_of(s, BASELINE, diag);
	size_t i, count;

	if (!now)
		return -1;
	count = catalog_compare(s->dialect->catalog, goal, now, goal_label,
				what, &lines);
	for (i = 0; i < lines.count; i++)
		diag_error(diag, baseline->baseline_of.at,
			   "the baseline's %s does not give %s: %s", what,
			   goal_label, lines.items[i]);
	string_list_free(&lines);
	catalog_release(s->dialect->catalog, now);
	return count == 0 ? 0 : -1;
}

int baseline_prove(struct baseline_session *s, const struct revision *baseline,
		   struct diagnostics *diag)
{
	if (s->dialect->create(s->scratch, BASELINE, diag) != 0 ||
	    apply_in(s, BASELINE, baseline, SECTION_UPGRADE, diag) != 0 ||
	    reached(s, s->chain, "the schema of the chain", "upgrade", baseline,
		    diag) != 0 ||
	    apply_in(s, BASELINE, baseline, SECTION_DOWNGRADE, diag) != 0 ||
	    reached(s, s->empty, "an empty database", "downgrade", baseline,
		    diag) != 0)
		return -1;
	return 0;
}

int baseline_close(struct baseline_session *s, struct diagnostics *diag)
{
	int result;

	if (!s->scratch)
		return 0;
	catalog_release(s->dialect->catalog, s->chain);
	catalog_release(s->dialect->catalog, s->empty);
	s->chain = s->empty = NULL;
	result = s->dialect->close(s->scratch, diag);
	s->scratch = NULL;
	return result;
}

int baseline_verify(const struct graph *g, enum dialect dialect,
		    const char *url, struct diagnostics *diag)
{
	struct baseline_session s;
	int result;

	if (!g->baseline ||
	    !revision_section(g->baseline, SECTION_UPGRADE, dialect))
		return 0;
	if (baseline_open(&s, g, g->baseline_of, dialect, url, diag) != 0)
		return -1;
	result = baseline_prove(&s, g->baseline, diag);
	if (baseline_close(&s, diag) != 0)
		result = -1;
	return result;
}

/* ---- FROM_BASELINE: the graph from the baseline's revision on ---- */

/* 1 for `of` and every revision that descends from it. */
static unsigned char *descendants(const struct graph *g, size_t of)
{
	unsigned char *in = calloc(g->count ? g->count : 1, 1);
	size_t i, k;

	if (!in)
		abort();
	in[of] = 1;
	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];

		for (k = 0; k < r->down_count; k++)
			if (in[r->parents[k]])
				in[g->order[i]] = 1;
	}
	return in;
}

/* Every revision is the baseline's, one before it or one after it. */
static int check_view(const struct graph *g, const unsigned char *before,
		      const unsigned char *after, struct diagnostics *diag)
{
	const struct revision *of = &g->revisions[g->baseline_of];
	size_t i;
	int result = 0;

	for (i = 0; i < g->count; i++) {
		if (before[i] || after[i])
			continue;
		diag_error(diag, g->revisions[i].id.at,
			   "revision %s neither comes before the baseline's "
			   "revision %s nor after it, so a build from the "
			   "baseline on cannot hold it: merge its branch "
			   "before %s, or squash to a revision after the "
			   "merge",
			   g->revisions[i].id.text, of->id.text, of->id.text);
		result = -1;
	}
	return result;
}

/* `list` (count of them) in the view's indices, the baseline's
 * ancestors left out. */
static size_t *view_indices(const size_t *list, size_t count,
			    const size_t *position, const unsigned char *keep,
			    size_t *kept)
{
	size_t *out = malloc((count ? count : 1) * sizeof *out);
	size_t i;

	if (!out)
		abort();
	*kept = 0;
	for (i = 0; i < count; i++)
		if (keep[list[i]])
			out[(*kept)++] = position[list[i]];
	return out;
}

int baseline_view(struct graph *view, const struct graph *g,
		  struct diagnostics *diag)
{
	unsigned char *before, *after;
	size_t *position;
	size_t i, n = 0;

	memset(view, 0, sizeof *view);
	before = baseline_members(g, g->baseline_of);
	after = descendants(g, g->baseline_of);
	if (check_view(g, before, after, diag) != 0) {
		free(before);
		free(after);
		return -1;
	}
	position = calloc(g->count ? g->count : 1, sizeof *position);
	view->revisions =
	    calloc(g->count ? g->count : 1, sizeof *view->revisions);
	view->order = calloc(g->count ? g->count : 1, sizeof *view->order);
	if (!position || !view->revisions || !view->order)
		abort();
	for (i = 0; i < g->count; i++)
		if (after[g->order[i]])
			position[g->order[i]] = n++;
	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];
		struct revision *v;

		if (!after[g->order[i]])
			continue;
		v = &view->revisions[position[g->order[i]]];
		*v = *r; /* shallow: the texts stay g's */
		v->order = position[g->order[i]];
		view->order[v->order] = v->order;
		v->parents = view_indices(r->parents, r->down_count, position,
					  after, &v->down_count);
		v->dependencies =
		    view_indices(r->dependencies, r->depends_on_count, position,
				 after, &v->depends_on_count);
		if ((size_t)(r - g->revisions) == g->baseline_of)
			v->statements_from = g->baseline;
	}
	view->count = n;
	view->heads = view_indices(g->heads, g->head_count, position, after,
				   &view->head_count);
	free(position);
	free(before);
	free(after);
	return 0;
}

void baseline_view_free(struct graph *view)
{
	size_t i;

	for (i = 0; i < view->count; i++) {
		free(view->revisions[i].parents);
		free(view->revisions[i].dependencies);
	}
	free(view->revisions);
	free(view->order);
	free(view->heads);
	memset(view, 0, sizeof *view);
}
