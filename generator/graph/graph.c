/* graph.c: loads a versions directory and turns its revisions into a graph:
 * parents resolved to indices, duplicates, unknown ids and cycles rejected,
 * a deterministic topological order and the heads. Feeds emit.c. */
#include "gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A repeatable revision has no place in the graph: it moves from the
 * revisions (where it was loaded last) to the repeatables. */
static void keep_repeatable(struct graph *g, struct revision *r)
{
	g->repeatables = realloc(g->repeatables, (g->repeatable_count + 1) *
						     sizeof *g->repeatables);
	if (!g->repeatables)
		abort();
	g->repeatables[g->repeatable_count++] = *r;
	memset(r, 0, sizeof *r);
	g->count--;
}

int graph_load(struct graph *g, const char *dir, struct diagnostics *diag)
{
	struct location at = {dir, 0, 0};
	struct string_list names;
	size_t count, i;
	int result = 0;

	memset(g, 0, sizeof *g);
	if (dir_list(dir, ".sql", &names) != 0) {
		diag_error(diag, at,
			   "cannot open versions directory: %s; pass the "
			   "directory that holds the revision files",
			   strerror(errno));
		return -1;
	}
	count = names.count;

	g->revisions = calloc(count ? count : 1, sizeof *g->revisions);
	if (!g->revisions)
		abort();
	for (i = 0; i < count; i++) {
		char *path = text_format("%s/%s", dir, names.items[i]);
		size_t length = 0;
		char *text = file_read(path, &length);
		if (!text) {
			struct location at = {path, 0, 0};
			diag_error(diag, at, "cannot read: %s",
				   strerror(errno));
			result = -1;
		} else {
			struct revision *r = &g->revisions[g->count++];
			if (revision_parse(r, path, text, length, diag) != 0)
				result = -1;
			if (r->repeatable)
				keep_repeatable(g, r);
		}
		free(path);
	}
	string_list_free(&names);
	return result;
}

/* ---- id lookup over an index sorted by id ---- */

struct id_index {
	const struct graph *graph;
	size_t *by_id; /* revision indices with an id, sorted by id */
	size_t count;
};

static const struct graph *sort_graph; /* qsort has no payload argument */

static int compare_by_id(const void *a, const void *b)
{
	const struct revision *x = &sort_graph->revisions[*(const size_t *)a];
	const struct revision *y = &sort_graph->revisions[*(const size_t *)b];
	int c = strcmp(x->id.text, y->id.text);
	if (c)
		return c;
	return strcmp(x->file_name, y->file_name);
}

static void id_index_build(struct id_index *index, const struct graph *g)
{
	size_t i;
	index->graph = g;
	index->by_id = malloc((g->count ? g->count : 1) * sizeof(size_t));
	if (!index->by_id)
		abort();
	index->count = 0;
	for (i = 0; i < g->count; i++)
		if (g->revisions[i].id.text)
			index->by_id[index->count++] = i;
	sort_graph = g;
	qsort(index->by_id, index->count, sizeof(size_t), compare_by_id);
	sort_graph = NULL;
}

size_t *graph_id_order(const struct graph *g)
{
	struct id_index index;

	id_index_build(&index, g);
	return index.by_id;
}

/* First position in the index whose id is >= key. */
static size_t lower_bound(const struct id_index *index, const char *key)
{
	size_t low = 0, high = index->count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const char *id =
		    index->graph->revisions[index->by_id[mid]].id.text;
		if (strcmp(id, key) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

static long find_exact(const struct id_index *index, const char *id)
{
	size_t at = lower_bound(index, id);
	if (at < index->count &&
	    strcmp(index->graph->revisions[index->by_id[at]].id.text, id) == 0)
		return (long)index->by_id[at];
	return -1;
}

/* ---- building ---- */

static int check_duplicates(struct graph *g, const struct id_index *index,
			    struct diagnostics *diag)
{
	size_t i;
	int result = 0;
	for (i = 1; i < index->count; i++) {
		const struct revision *first =
		    &g->revisions[index->by_id[i - 1]];
		const struct revision *again = &g->revisions[index->by_id[i]];
		if (strcmp(first->id.text, again->id.text) != 0)
			continue;
		if (g->of_repeatables)
			diag_error(diag, again->id.at,
				   "duplicate repeatable name '%s'; give one "
				   "of the files another name",
				   again->id.text);
		else
			diag_error(diag, again->id.at,
				   "duplicate revision id '%s'; give one of "
				   "the files a new id (migc revision makes "
				   "unique ones)",
				   again->id.text);
		diag_note(diag, first->id.at, "'%s' is first defined here",
			  first->id.text);
		result = -1;
	}
	return result;
}

/* Resolves a depends_on entry: a revision id or a branch label. */
static long find_dependency(const struct graph *g, const struct id_index *index,
			    const char *name)
{
	long found = find_exact(index, name);
	size_t i, j;
	if (found >= 0)
		return found;
	for (i = 0; i < g->count; i++)
		for (j = 0; j < g->revisions[i].label_count; j++)
			if (strcmp(g->revisions[i].labels[j].text, name) == 0)
				return (long)i;
	return -1;
}

/* One kind of edge, resolved to revision indexes into `out` (one entry per
 * name): a down_revision names a revision id; a depends_on names a revision
 * id or a branch label. */
static int resolve_names(const struct graph *g, const struct id_index *index,
			 const struct name_ref *names, size_t count,
			 int labels_too, size_t *out, const char *dir_hint,
			 struct diagnostics *diag)
{
	size_t j;
	int result = 0;

	for (j = 0; j < count; j++) {
		long p = labels_too && !g->of_repeatables
			     ? find_dependency(g, index, names[j].text)
			     : find_exact(index, names[j].text);
		if (p < 0) {
			if (g->of_repeatables)
				diag_error(diag, names[j].at,
					   "depends_on '%s' is not the name of "
					   "a repeatable in %s; a repeatable "
					   "depends on other repeatables only: "
					   "fix the name or add the file",
					   names[j].text, dir_hint);
			else if (labels_too)
				diag_error(diag, names[j].at,
					   "depends_on '%s' is neither a "
					   "revision id nor a branch label in "
					   "%s; fix the name or add the revision",
					   names[j].text, dir_hint);
			else
				diag_error(diag, names[j].at,
					   "down_revision '%s' is not defined "
					   "by any revision file in %s; fix the "
					   "id or add the missing revision",
					   names[j].text, dir_hint);
			result = -1;
		}
		out[j] = p < 0 ? 0 : (size_t)p;
	}
	return result;
}

static int resolve_edges(struct graph *g, const struct id_index *index,
			 const char *dir_hint, struct diagnostics *diag)
{
	size_t i;
	int result = 0;

	for (i = 0; i < g->count; i++) {
		struct revision *r = &g->revisions[i];
		r->parents = calloc(r->down_count + 1, sizeof(size_t));
		r->dependencies =
		    calloc(r->depends_on_count + 1, sizeof(size_t));
		if (!r->parents || !r->dependencies)
			abort();
		if (resolve_names(g, index, r->down, r->down_count, 0,
				  r->parents, dir_hint, diag) != 0)
			result = -1;
		if (resolve_names(g, index, r->depends_on,
				  r->depends_on_count, 1, r->dependencies,
				  dir_hint, diag) != 0)
			result = -1;
	}
	return result;
}

/* A label that is also a revision id would make depends_on and targets
 * ambiguous; Alembic refuses it too ("already used by revision"). */
static int check_label_is_no_id(struct graph *g, const struct id_index *index,
				const struct name_ref *label,
				struct diagnostics *diag)
{
	long same = find_exact(index, label->text);
	if (same < 0)
		return 0;
	diag_error(diag, label->at,
		   "branch label '%s' is also a revision id; depends_on and "
		   "targets could not tell them apart: choose another label",
		   label->text);
	diag_note(diag, g->revisions[same].id.at,
		  "revision '%s' is defined here", label->text);
	return -1;
}

static int check_labels(struct graph *g, const struct id_index *index,
			struct diagnostics *diag)
{
	size_t i, j, k, l;
	int result = 0;
	for (i = 0; i < g->count; i++)
		for (j = 0; j < g->revisions[i].label_count; j++) {
			if (check_label_is_no_id(g, index,
						 &g->revisions[i].labels[j],
						 diag) != 0)
				result = -1;
			for (k = 0; k <= i; k++)
				for (l = 0; l < g->revisions[k].label_count;
				     l++) {
					const struct name_ref *a =
					    &g->revisions[i].labels[j];
					const struct name_ref *b =
					    &g->revisions[k].labels[l];
					if (k == i && l >= j)
						break;
					if (strcmp(a->text, b->text) != 0)
						continue;
					diag_error(diag, a->at,
						   "branch label '%s' is "
						   "already used; labels name "
						   "one branch each",
						   a->text);
					diag_note(diag, b->at,
						  "'%s' is first used here",
						  b->text);
					result = -1;
				}
		}
	return result;
}

/* Iterative depth-first search: post-order gives parents (and dependencies)
 * before children; a grey node met again is a cycle. */
struct frame {
	size_t node;
	size_t next_edge;
};

static size_t edge_count(const struct revision *r)
{
	return r->down_count + r->depends_on_count;
}

static size_t edge_target(const struct revision *r, size_t edge)
{
	return edge < r->down_count ? r->parents[edge]
				    : r->dependencies[edge - r->down_count];
}

static void report_cycle(struct graph *g, const struct frame *stack,
			 size_t depth, size_t again, struct diagnostics *diag)
{
	size_t start = depth, i;
	struct buffer path = {0};
	const struct revision *closing = &g->revisions[stack[depth - 1].node];
	size_t edge = stack[depth - 1].next_edge - 1;
	struct location at =
	    edge < closing->down_count
		? closing->down[edge].at
		: closing->depends_on[edge - closing->down_count].at;

	while (start > 0 && stack[start - 1].node != again)
		start--;
	start = start > 0 ? start - 1 : 0;
	for (i = start; i < depth; i++)
		buffer_printf(&path, "%s -> ",
			      g->revisions[stack[i].node].id.text);
	buffer_puts(&path, g->revisions[again].id.text);
	if (g->of_repeatables)
		diag_error(diag, at,
			   "repeatable cycle: %s (each depends on the next); "
			   "one of these depends_on values is wrong",
			   path.data);
	else
		diag_error(diag, at,
			   "revision cycle: %s (each revises the next); one "
			   "of these down_revision values is wrong",
			   path.data);
	free(path.data);
}

static int order_revisions(struct graph *g, const struct id_index *index,
			   struct diagnostics *diag)
{
	enum { WHITE, GREY, BLACK };
	unsigned char *color = calloc(g->count + 1, 1);
	struct frame *stack = malloc((g->count + 1) * sizeof *stack);
	size_t placed = 0, k;
	int result = 0;

	g->order = malloc((g->count + 1) * sizeof(size_t));
	if (!color || !stack || !g->order)
		abort();
	for (k = 0; k < index->count; k++) {
		size_t root = index->by_id[k], depth = 0;
		if (color[root] != WHITE)
			continue;
		stack[depth].node = root;
		stack[depth].next_edge = 0;
		depth++;
		color[root] = GREY;
		while (depth > 0) {
			struct frame *top = &stack[depth - 1];
			const struct revision *r = &g->revisions[top->node];
			if (top->next_edge < edge_count(r)) {
				size_t next = edge_target(r, top->next_edge++);
				if (color[next] == WHITE) {
					color[next] = GREY;
					stack[depth].node = next;
					stack[depth].next_edge = 0;
					depth++;
				} else if (color[next] == GREY && result == 0) {
					report_cycle(g, stack, depth, next,
						     diag);
					result = -1;
				}
				continue;
			}
			color[top->node] = BLACK;
			g->revisions[top->node].order = placed;
			g->order[placed++] = top->node;
			depth--;
		}
	}
	free(color);
	free(stack);
	return result;
}

static void find_heads(struct graph *g, const struct id_index *index)
{
	unsigned char *has_child = calloc(g->count + 1, 1);
	size_t i, j;
	if (!has_child)
		abort();
	for (i = 0; i < g->count; i++)
		for (j = 0; j < g->revisions[i].down_count; j++)
			has_child[g->revisions[i].parents[j]] = 1;
	g->heads = malloc((g->count + 1) * sizeof(size_t));
	if (!g->heads)
		abort();
	g->head_count = 0;
	for (i = 0; i < index->count; i++) {
		size_t r = index->by_id[i];
		if (!has_child[r]) {
			g->revisions[r].is_head = 1;
			g->heads[g->head_count++] = r;
		}
	}
	free(has_child);
}

/* The repeatables as a graph of their own, whose only edges are
 * depends_on between them: the same duplicate check, name resolution and
 * ordering (dependencies first, else by name) as the revisions'. */
static int build_repeatables(struct graph *g, struct diagnostics *diag)
{
	struct graph sub;
	struct id_index index;
	int result = 0;

	memset(&sub, 0, sizeof sub);
	sub.revisions = g->repeatables;
	sub.count = g->repeatable_count;
	sub.of_repeatables = 1;
	id_index_build(&index, &sub);
	if (index.count != sub.count)
		result = -1; /* revision_parse reported it */
	if (result == 0 && check_duplicates(&sub, &index, diag) != 0)
		result = -1;
	if (result == 0 &&
	    resolve_edges(&sub, &index, "the versions directory", diag) != 0)
		result = -1;
	if (result == 0 && order_revisions(&sub, &index, diag) != 0)
		result = -1;
	free(index.by_id);
	g->repeatable_order = sub.order;
	return result;
}

int graph_build(struct graph *g, struct diagnostics *diag)
{
	struct id_index index;
	const char *dir_hint = "the versions directory";
	int result = 0;

	if (g->repeatable_count > 0 && build_repeatables(g, diag) != 0)
		result = -1;
	if (graph_baseline_aside(g, diag) != 0)
		result = -1;
	id_index_build(&index, g);
	if (index.count != g->count) {
		/* revision_parse has already reported files without an id. */
		free(index.by_id);
		return -1;
	}
	if (check_duplicates(g, &index, diag) != 0)
		result = -1;
	if (check_labels(g, &index, diag) != 0)
		result = -1;
	if (result == 0 && resolve_edges(g, &index, dir_hint, diag) != 0)
		result = -1;
	if (result == 0 && order_revisions(g, &index, diag) != 0)
		result = -1;
	if (result == 0)
		find_heads(g, &index);
	if (result == 0 && graph_baseline_resolve(g, diag) != 0)
		result = -1;
	free(index.by_id);
	return result;
}

void graph_free(struct graph *g)
{
	size_t i;
	for (i = 0; i < g->count; i++)
		revision_free(&g->revisions[i]); /* parents included */
	for (i = 0; i < g->repeatable_count; i++)
		revision_free(&g->repeatables[i]);
	free(g->repeatables);
	free(g->repeatable_order);
	free(g->revisions);
	free(g->order);
	free(g->heads);
	if (g->baseline)
		revision_free(g->baseline);
	free(g->baseline);
	memset(g, 0, sizeof *g);
}
