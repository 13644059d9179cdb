/* format.c: Alembic's text formats over a migc_set, and a Graphviz view.
 * The generator (files) and the embeddable command line (compiled set)
 * print through here, so both say the same thing the same way. */
#include "format.h"
#include "migc_driver.h" /* migc_number_parse */

#include <stdlib.h>
#include <string.h>

uint32_t migc_format_children(const migc_set *set, uint32_t index,
			      int with_dependents, FILE *list)
{
	uint32_t count = 0, i, k;
	for (i = index + 1; i < set->revision_count; i++) {
		const migc_revision *r = &set->revisions[i];
		int child = 0;
		for (k = 0; k < r->parent_count; k++)
			child |= r->parents[k] == index;
		for (k = 0; with_dependents && k < r->dependency_count; k++)
			child |= r->dependencies[k] == index;
		if (!child)
			continue;
		if (list)
			fprintf(list, "%s%s", count ? ", " : "", r->id);
		count++;
	}
	return count;
}

void migc_format_ids(FILE *out, const migc_set *set, const uint32_t *indices,
		     uint32_t count)
{
	uint32_t i;
	for (i = 0; i < count; i++)
		fprintf(out, "%s%s", i ? ", " : "",
			set->revisions[indices[i]].id);
}

static void print_down_revision(FILE *out, const migc_set *set,
				const migc_revision *r)
{
	if (r->parent_count == 0)
		fputs("<base>", out);
	migc_format_ids(out, set, r->parents, r->parent_count);
}

static void *zalloc(size_t count, size_t size)
{
	void *memory = calloc(count + 1, size);
	if (!memory)
		abort();
	return memory;
}

/* ---- what Alembic derives from the graph, once per command ---- */

/* Child counts and the branch labels each revision carries. Alembic's
 * RevisionMap._add_branches gives a revision's labels to every
 * descendant through down_revision; and when those descendants form one
 * line, also upward from that line's head, through ancestors, until a
 * revision that has several children or dependents, or merges. */
typedef struct view {
	const migc_set *set;
	uint32_t *children;	/* through down_revision: Alembic's nextrev */
	uint32_t *all_children; /* and dependents: _all_nextrev */
	uint32_t *only_child;	/* the child when children == 1 */
	uint32_t declarer_count;
	uint32_t *declarers;	/* revisions that declare labels */
	unsigned char *carries; /* [declarer * revision_count + revision] */
} view;

static void mark_descendants(const migc_set *set, uint32_t index,
			     unsigned char *mark);

static void view_labels(view *v, uint32_t declarer, unsigned char *carries)
{
	const migc_set *set = v->set;
	uint32_t at = declarer;

	mark_descendants(set, declarer, carries);
	while (v->children[at] == 1)
		at = v->only_child[at];
	if (v->children[at] > 1)
		return;
	for (;;) {
		const migc_revision *r = &set->revisions[at];
		if (v->all_children[at] > 1 || r->parent_count > 1)
			return;
		carries[at] = 1;
		if (r->parent_count == 0)
			return;
		at = r->parents[0];
	}
}

static void view_init(view *v, const migc_set *set)
{
	uint32_t n = set->revision_count, i, k;

	v->set = set;
	v->children = zalloc(n, sizeof *v->children);
	v->all_children = zalloc(n, sizeof *v->all_children);
	v->only_child = zalloc(n, sizeof *v->only_child);
	v->declarers = zalloc(n, sizeof *v->declarers);
	v->declarer_count = 0;
	for (i = 0; i < n; i++) {
		const migc_revision *r = &set->revisions[i];
		for (k = 0; k < r->parent_count; k++) {
			/* A revision listed twice as a parent is one child. */
			if (k > 0 && r->parents[k - 1] == r->parents[k])
				continue;
			v->children[r->parents[k]]++;
			v->all_children[r->parents[k]]++;
			v->only_child[r->parents[k]] = i;
		}
		for (k = 0; k < r->dependency_count; k++)
			v->all_children[r->dependencies[k]]++;
		if (r->branch_label_count)
			v->declarers[v->declarer_count++] = i;
	}
	v->carries = zalloc((size_t)v->declarer_count * n, 1);
	for (i = 0; i < v->declarer_count; i++)
		view_labels(v, v->declarers[i], v->carries + (size_t)i * n);
}

static void view_free(view *v)
{
	free(v->children);
	free(v->all_children);
	free(v->only_child);
	free(v->declarers);
	free(v->carries);
}

/* Does `index` carry the labels `declarer` (an index into declarers)
 * declares? */
static int view_carries(const view *v, uint32_t declarer, uint32_t index)
{
	return v->carries[(size_t)declarer * v->set->revision_count + index];
}

/* The labels `index` carries, in set order of their declarers; returns
 * how many. */
static uint32_t print_labels(FILE *out, const view *v, uint32_t index)
{
	uint32_t count = 0, i, k;
	for (i = 0; i < v->declarer_count; i++) {
		const migc_revision *d = &v->set->revisions[v->declarers[i]];
		if (!view_carries(v, i, index))
			continue;
		for (k = 0; k < d->branch_label_count; k++)
			if (out)
				fprintf(out, "%s%s", count++ ? ", " : "",
					d->branch_labels[k]);
			else
				count++;
	}
	return count;
}

/* Does `index` carry the label `label` (`length` bytes)? */
static int carries_label(const view *v, uint32_t index, const char *label,
			 size_t length)
{
	uint32_t i, k;
	for (i = 0; i < v->declarer_count; i++) {
		const migc_revision *d = &v->set->revisions[v->declarers[i]];
		if (!view_carries(v, i, index))
			continue;
		for (k = 0; k < d->branch_label_count; k++)
			if (strlen(d->branch_labels[k]) == length &&
			    strncmp(d->branch_labels[k], label, length) == 0)
				return 1;
	}
	return 0;
}

static int is_current(const migc_format_context *context, uint32_t index)
{
	return context && context->current && context->current[index];
}

/* ---- --format json ---- */

/* The characters of a JSON string, without its quotes. */
static void json_chars(FILE *out, const char *text)
{
	for (; text != NULL && *text != '\0'; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

void migc_format_json_string(FILE *out, const char *text)
{
	fputc('"', out);
	json_chars(out, text);
	fputc('"', out);
}

/* The array opens with its first object, so that an error before it
 * leaves nothing on stdout. */
void migc_format_json_begin(FILE *out, migc_format_json *json)
{
	(void)out;
	json->count = 0;
}

void migc_format_json_end(FILE *out, migc_format_json *json)
{
	fputs(json->count > 0 ? "\n]\n" : "[]\n", out);
}

static void json_next(FILE *out, migc_format_json *json)
{
	fputs(json->count++ > 0 ? ",\n  " : "[\n  ", out);
}

static void json_ids(FILE *out, const char *key, const migc_set *set,
		     const uint32_t *indices, uint32_t count)
{
	uint32_t i;

	fprintf(out, ", \"%s\": [", key);
	for (i = 0; i < count; i++) {
		fputs(i > 0 ? ", " : "", out);
		migc_format_json_string(out, set->revisions[indices[i]].id);
	}
	fputc(']', out);
}

void migc_format_json_unknown(FILE *out, migc_format_json *json,
			      const char *id)
{
	json_next(out, json);
	fputs("{\"revision\": ", out);
	migc_format_json_string(out, id);
	fputs(", \"in_this_build\": false, \"current\": true}", out);
}

static void format_json(FILE *out, const view *v, uint32_t index,
			const migc_format_context *context)
{
	const migc_revision *r = &v->set->revisions[index];
	uint32_t i;

	json_next(out, context->json);
	fputs("{\"revision\": ", out);
	migc_format_json_string(out, r->id);
	json_ids(out, "down_revisions", v->set, r->parents, r->parent_count);
	json_ids(out, "depends_on", v->set, r->dependencies,
		 r->dependency_count);
	fputs(", \"branch_labels\": [", out);
	for (i = 0; i < r->branch_label_count; i++) {
		fputs(i > 0 ? ", " : "", out);
		migc_format_json_string(out, r->branch_labels[i]);
	}
	fputs("], \"message\": ", out);
	migc_format_json_string(out, r->message);
	fputs(", \"create_date\": ", out);
	migc_format_json_string(out, r->create_date);
	fputs(", \"path\": \"", out);
	json_chars(out, context->path_prefix);
	json_chars(out, r->source_file);
	fputc('"', out);
	fprintf(out, ", \"is_head\": %s, \"is_branch_point\": %s, "
		     "\"is_merge_point\": %s",
		v->all_children[index] == 0 ? "true" : "false",
		v->children[index] > 1 ? "true" : "false",
		r->parent_count > 1 ? "true" : "false");
	if (context->current != NULL)
		fprintf(out, ", \"current\": %s",
			context->current[index] ? "true" : "false");
	fputc('}', out);
}

static void format_short(FILE *out, const view *v, uint32_t index, int show,
			 const migc_format_context *context)
{
	const migc_set *set = v->set;
	const migc_revision *r = &set->revisions[index];
	uint32_t children = v->children[index];

	if (show & MIGC_FORMAT_PARENTS) {
		print_down_revision(out, set, r);
		if (r->dependency_count) {
			fputs(" (", out);
			migc_format_ids(out, set, r->dependencies,
					r->dependency_count);
			fputc(')', out);
		}
		fputs(" -> ", out);
	}
	fputs(r->id, out);
	if ((show & MIGC_FORMAT_BRANCHES) && print_labels(NULL, v, index)) {
		fputs(" (", out);
		print_labels(out, v, index);
		fputc(')', out);
	}
	if (v->all_children[index] == 0)
		fputs(" (head)", out);
	else if (children == 0)
		fputs(" (effective head)", out);
	if (is_current(context, index))
		fputs(" (current)", out);
	if (show & MIGC_FORMAT_TREE) {
		if (children > 1)
			fputs(" (branchpoint)", out);
		if (r->parent_count > 1)
			fputs(" (mergepoint)", out);
	}
	if (show & MIGC_FORMAT_DOC)
		fprintf(out, ", %s", r->message ? r->message : "");
	fputc('\n', out);
}

static void format_long(FILE *out, const view *v, uint32_t index,
			const migc_format_context *context)
{
	const migc_set *set = v->set;
	const migc_revision *r = &set->revisions[index];
	uint32_t children = v->children[index];

	fprintf(out, "Rev: %s%s%s%s%s\n", r->id, children == 0 ? " (head)" : "",
		children > 1 ? " (branchpoint)" : "",
		r->parent_count > 1 ? " (mergepoint)" : "",
		is_current(context, index) ? " (current)" : "");
	fputs(r->parent_count > 1 ? "Merges: " : "Parent: ", out);
	print_down_revision(out, set, r);
	fputc('\n', out);
	if (r->dependency_count) {
		fputs("Also depends on: ", out);
		migc_format_ids(out, set, r->dependencies, r->dependency_count);
		fputc('\n', out);
	}
	if (children > 1) {
		fputs("Branches into: ", out);
		migc_format_children(set, index, 0, out);
		fputc('\n', out);
	}
	if (print_labels(NULL, v, index)) {
		fputs("Branch names: ", out);
		print_labels(out, v, index);
		fputc('\n', out);
	}
	fprintf(out, "Path: %s%s\n\n",
		context && context->path_prefix ? context->path_prefix : "",
		r->source_file ? r->source_file : "");
	fprintf(out, "    %s\n    \n    Revision ID: %s\n    Revises: ",
		r->message ? r->message : "", r->id);
	migc_format_ids(out, set, r->parents, r->parent_count);
	fprintf(out, "\n    Create Date: %s\n\n",
		r->create_date ? r->create_date : "");
}

/* show: FORMAT_LONG for -v's layout, else the short line's parts. */
#define FORMAT_LONG 0x100

/* One revision as JSON (context->json), -v's block or the short line. */
static void format_revision(FILE *out, const view *v, uint32_t index, int show,
			    const migc_format_context *context)
{
	if (context != NULL && context->json != NULL)
		format_json(out, v, index, context);
	else if (show & FORMAT_LONG)
		format_long(out, v, index, context);
	else
		format_short(out, v, index, show, context);
}

void migc_format_short(FILE *out, const migc_set *set, uint32_t index, int show,
		       const migc_format_context *context)
{
	view v;
	view_init(&v, set);
	format_revision(out, &v, index, show & ~FORMAT_LONG, context);
	view_free(&v);
}

void migc_format_long(FILE *out, const migc_set *set, uint32_t index,
		      const migc_format_context *context)
{
	view v;
	view_init(&v, set);
	format_revision(out, &v, index, FORMAT_LONG, context);
	view_free(&v);
}

/* ---- revision names and ranges ---- */

static long find_label(const migc_set *set, const char *label, size_t length)
{
	uint32_t i, k;
	for (i = 0; i < set->revision_count; i++)
		for (k = 0; k < set->revisions[i].branch_label_count; k++)
			if (strlen(set->revisions[i].branch_labels[k]) ==
				length &&
			    strncmp(set->revisions[i].branch_labels[k], label,
				    length) == 0)
				return (long)i;
	return -1;
}

/* Marks `index` and all its ancestors: through the parents and, with
 * `dependencies`, through the dependencies too. */
static void mark_lineage(const migc_set *set, uint32_t index,
			 unsigned char *mark, int dependencies)
{
	uint32_t i, k;
	mark[index] = 1;
	for (i = index + 1; i-- > 0;) {
		const migc_revision *r = &set->revisions[i];
		if (!mark[i])
			continue;
		for (k = 0; k < r->parent_count; k++)
			mark[r->parents[k]] = 1;
		for (k = 0; dependencies && k < r->dependency_count; k++)
			mark[r->dependencies[k]] = 1;
	}
}

/* Marks `index` and all its ancestors (parents and dependencies). */
static void mark_ancestors(const migc_set *set, uint32_t index,
			   unsigned char *mark)
{
	mark_lineage(set, index, mark, 1);
}

static void mark_descendants(const migc_set *set, uint32_t index,
			     unsigned char *mark)
{
	uint32_t i, k;
	mark[index] = 1;
	for (i = index + 1; i < set->revision_count; i++) {
		const migc_revision *r = &set->revisions[i];
		for (k = 0; k < r->parent_count; k++)
			if (mark[r->parents[k]])
				mark[i] = 1;
	}
}

static void say(char *error, size_t size, const char *a, const char *b,
		size_t b_length, const char *c)
{
	snprintf(error, size, "%s%.*s%s", a, (int)b_length, b, c);
}

/* ---- Alembic's order ---- */

/* Before `b` in the versions directory's listing (file name, then id):
 * the order of Alembic's revision map when the directory lists sorted. */
static int listed_before(const migc_set *set, uint32_t a, uint32_t b)
{
	const char *x = set->revisions[a].source_file;
	const char *y = set->revisions[b].source_file;
	int c = x && y ? strcmp(x, y) : 0;
	if (c == 0)
		c = strcmp(set->revisions[a].id, set->revisions[b].id);
	return c < 0;
}

static void sort_listed(const migc_set *set, uint32_t *indices, uint32_t count)
{
	uint32_t i, k;
	for (i = 1; i < count; i++) {
		uint32_t moving = indices[i];
		for (k = i; k > 0 && listed_before(set, moving, indices[k - 1]);
		     k--)
			indices[k] = indices[k - 1];
		indices[k] = moving;
	}
}

/* Is dependency `dependency` of `index` not already a dependency of one
 * of its ancestors through down_revision? (_normalize_depends_on) */
static int dependency_normalized(const migc_set *set, uint32_t index,
				 uint32_t dependency, unsigned char *scratch)
{
	uint32_t i, k;
	memset(scratch, 0, set->revision_count);
	mark_lineage(set, index, scratch, 0);
	for (i = 0; i < index; i++) {
		const migc_revision *r = &set->revisions[i];
		for (k = 0; scratch[i] && k < r->dependency_count; k++)
			if (r->dependencies[k] == dependency)
				return 0;
	}
	return 1;
}

/* Alembic's _normalized_down_revisions of `index` that are still to do
 * and not already a current head; returns the count, and in *plain
 * whether the revision has one parent and no normalized dependency. */
static uint32_t down_revisions(const migc_set *set, uint32_t index,
			       const unsigned char *todo,
			       const uint32_t *current, uint32_t current_count,
			       uint32_t *out, int *plain,
			       unsigned char *scratch)
{
	const migc_revision *r = &set->revisions[index];
	uint32_t total = r->parent_count + r->dependency_count;
	uint32_t count = 0, i, k, normalized = 0;
	for (i = 0; i < total; i++) {
		uint32_t other = i < r->parent_count
				     ? r->parents[i]
				     : r->dependencies[i - r->parent_count];
		int skip = !todo[other];
		if (i >= r->parent_count) {
			if (!dependency_normalized(set, index, other, scratch))
				continue;
			normalized++;
		}
		for (k = 0; k < current_count && !skip; k++)
			skip = current[k] == other;
		for (k = 0; k < count && !skip; k++)
			skip = out[k] == other;
		if (!skip)
			out[count++] = other;
	}
	*plain = normalized == 0 && r->parent_count == 1;
	return count;
}

/* Alembic's RevisionMap._topological_sort: the revisions with
 * members[i] set, newest first, walking down from `heads` (taken in
 * listing order) and following each revision's down_revision order, a
 * line being left for another head only where that head needs it. Writes
 * the order to `order` and returns how many. */
static uint32_t alembic_order(const migc_set *set, const unsigned char *members,
			      uint32_t *heads, uint32_t head_count,
			      uint32_t *order)
{
	uint32_t n = set->revision_count, count = 0, at = 0, i, k;
	unsigned char *todo = zalloc(n, 1);
	unsigned char *scratch = zalloc(n, 1);
	uint32_t *current = zalloc(n, sizeof *current);
	uint32_t *add = zalloc(n, sizeof *add);
	unsigned char **ancestors = zalloc(n, sizeof *ancestors);
	uint32_t current_count = 0;
	/* Alembic's walk ends; the bound only guards a malformed set. */
	unsigned long long guard = 0;
	unsigned long long guard_max = 4ull * (n + 1) * (n + 1);

	memcpy(todo, members, n);
	sort_listed(set, heads, head_count);
	for (i = 0; i < head_count; i++) {
		int seen = !todo[heads[i]];
		for (k = 0; k < current_count && !seen; k++)
			seen = current[k] == heads[i];
		if (seen)
			continue;
		current[current_count] = heads[i];
		ancestors[current_count] = zalloc(n, 1);
		mark_ancestors(set, heads[i], ancestors[current_count]);
		current_count++;
	}
	while (current_count > 0 && guard++ < guard_max) {
		uint32_t candidate = current[at], added;
		int blocked = 0, plain;
		for (k = 0; k < current_count && !blocked; k++)
			if (k != at && ancestors[k][candidate]) {
				at = k;
				blocked = 1;
			}
		if (blocked)
			continue;
		if (todo[candidate]) {
			order[count++] = candidate;
			todo[candidate] = 0;
		}
		added = down_revisions(set, candidate, todo, current,
				       current_count, add, &plain, scratch);
		if (added == 0) {
			free(ancestors[at]);
			memmove(current + at, current + at + 1,
				(current_count - at - 1) * sizeof *current);
			memmove(ancestors + at, ancestors + at + 1,
				(current_count - at - 1) * sizeof *ancestors);
			current_count--;
			at = at > 0 ? at - 1 : 0;
			continue;
		}
		current[at] = add[0];
		if (plain) {
			ancestors[at][candidate] = 0;
			continue;
		}
		memset(ancestors[at], 0, n);
		mark_ancestors(set, add[0], ancestors[at]);
		for (i = 1; i < added; i++) {
			current[current_count] = add[i];
			ancestors[current_count] = zalloc(n, 1);
			mark_ancestors(set, add[i], ancestors[current_count]);
			current_count++;
		}
	}
	for (i = 0; i < current_count; i++)
		free(ancestors[i]);
	for (i = n; i-- > 0;)
		if (todo[i])
			order[count++] = i;
	free(todo);
	free(scratch);
	free(current);
	free(add);
	free(ancestors);
	return count;
}

/* ---- ranges ---- */

/* One end of a range: index, or -1 for "base"/"heads" (no bound).
 * "<branch>@base" gives -1 and the revision the branch starts at in
 * *base_of, which is -1 otherwise. Every other end is a target, read by the
 * core's one resolver (migc_target_revision_from), as the migrations read
 * it; with `below` (the upper end, or "heads"), a downgrade target counted
 * down from there: the lower "-N". */
static int resolve_end(const migc_set *set, const char *text, size_t length,
		       const char *below, long *out, long *base_of, char *error,
		       size_t size)
{
	const migc_revision *found = NULL;
	const migc_revision *branch_base = NULL;
	migc_error failure;
	char *spelling;
	int rc;

	*base_of = -1;
	*out = -1;
	if (length == 0 || (length == 4 && strncmp(text, "base", 4) == 0) ||
	    (length == 5 && strncmp(text, "heads", 5) == 0))
		return 0;
	spelling = malloc(length + 1);
	if (!spelling)
		abort();
	memcpy(spelling, text, length);
	spelling[length] = '\0';
	rc = migc_target_revision_from(&found, &branch_base, set, below,
				       spelling, below != NULL, &failure);
	free(spelling);
	if (rc != MIGC_OK) {
		snprintf(error, size, "%s", failure.message);
		return -1;
	}
	if (branch_base != NULL)
		*base_of = (long)(branch_base - set->revisions);
	if (found != NULL)
		*out = (long)(found - set->revisions);
	return 0;
}

/* The "-N" before the colon of `range`, through the core's number parser:
 * 0 with *steps, or -1 with a message. */
static int range_count(const char *range, const char *colon,
		       unsigned long *steps, char *error, size_t size)
{
	uint64_t value = 0;
	int rc = migc_number_parse(
	    &value, range + 1, (size_t)(colon - range - 1), 10, MIGC_COUNT_MAX);
	if (rc == MIGC_ELIMIT) {
		snprintf(error, size,
			 "the count in '%s' is too large (at most %lu); use "
			 "a smaller number or name the revision",
			 range, (unsigned long)MIGC_COUNT_MAX);
		return -1;
	}
	if (rc != MIGC_OK) {
		snprintf(error, size, "bad relative start in '%s'", range);
		return -1;
	}
	*steps = (unsigned long)value;
	return 0;
}

int migc_format_history(FILE *out, const migc_set *set, const char *range,
			int verbose, const migc_format_context *context,
			char *error, size_t error_size)
{
	return migc_format_history_rows(out, set, range, verbose, context,
					NULL, error, error_size);
}

static int is_current_end(const char *text, size_t length)
{
	return length == 7 && strncmp(text, "current", 7) == 0;
}

/* `mark` = the ancestors (upper) or descendants (lower) of every row. */
static void mark_rows(const migc_set *set, const unsigned char *rows,
		      int upper, unsigned char *mark)
{
	uint32_t i;
	for (i = 0; i < set->revision_count; i++) {
		if (!rows[i])
			continue;
		if (upper)
			mark_ancestors(set, i, mark);
		else
			mark_descendants(set, i, mark);
	}
}

/* The label "<branch>@base" filters the upper revisions by, as Alembic's
 * _collect_upgrade_revisions: the label itself, or the one label the
 * revision named carries. 0, or -1 with a message. */
static int base_label(const view *v, const char *text, size_t length,
		      long base_of, const char **label, size_t *label_length,
		      char *error, size_t size)
{
	uint32_t i, k;
	if (find_label(v->set, text, length) >= 0) {
		*label = text;
		*label_length = length;
		return 0;
	}
	if (print_labels(NULL, v, (uint32_t)base_of) != 1) {
		say(error, size, "revision '", text, length,
		    "' carries no branch label, or several; name a branch "
		    "label before '@base'");
		return -1;
	}
	for (i = 0; i < v->declarer_count; i++)
		if (view_carries(v, i, (uint32_t)base_of)) {
			k = v->declarers[i];
			*label = v->set->revisions[k].branch_labels[0];
			*label_length = strlen(*label);
		}
	return 0;
}

/* A history range's two ends, read: indices or -1 (no bound). */
typedef struct range_ends {
	long lower, upper, lower_base, upper_base;
	int lower_current, upper_current; /* "current": the version rows */
	const char *label; /* "<branch>@base" below: the label kept */
	size_t label_length;
} range_ends;

/* The lower end, once the upper one is known: "current", "-N" below the
 * upper, "<branch>@base" (with its label) or a target. `skip`: "current"
 * with no version rows (no bound). 0, or -1 with a message. */
static int range_lower(const view *v, const char *range, const char *colon,
		       int skip, range_ends *ends, char *error,
		       size_t error_size)
{
	unsigned long steps;
	size_t length = (size_t)(colon - range);

	if (ends->lower_current || skip)
		return 0; /* marked later, or no bound */
	if (range[0] == '-' && colon > range + 1) {
		if (range_count(range, colon, &steps, error, error_size) != 0)
			return -1;
		if (ends->upper_current) {
			snprintf(error, error_size,
				 "bad relative start in '%s'", range);
			return -1;
		}
		if (ends->upper < 0 && v->set->head_count != 1) {
			say(error, error_size, "", "", 0,
			    "Ambiguous walk: several heads; give an upper "
			    "revision");
			return -1;
		}
		/* Alembic's lower "-N": N steps down from the upper end. */
		return resolve_end(
		    v->set, range, length,
		    ends->upper >= 0 ? v->set->revisions[ends->upper].id
				     : "heads",
		    &ends->lower, &ends->lower_base, error, error_size);
	}
	if (resolve_end(v->set, range, length, NULL, &ends->lower,
			&ends->lower_base, error, error_size) != 0)
		return -1;
	if (ends->lower_base >= 0)
		return base_label(v, range, length - 5, ends->lower_base,
				  &ends->label, &ends->label_length, error,
				  error_size);
	return 0;
}

/* Reads "[lower]:[upper]" into `ends` (NULL range: everything). 0, or -1
 * with a message. */
static int range_parse(const view *v, const char *range,
		       const unsigned char *rows, range_ends *ends,
		       char *error, size_t error_size)
{
	const migc_set *set = v->set;
	const char *colon = range ? strchr(range, ':') : NULL;
	int no_rows = 0, upper_skip = 0, lower_skip = 0;
	uint32_t i;

	memset(ends, 0, sizeof *ends);
	ends->lower = ends->upper = ends->lower_base = ends->upper_base = -1;
	if (!range)
		return 0;
	if (!colon) {
		snprintf(error, error_size,
			 "history range needs [start]:[end], "
			 "[start]: or :[end], not '%s'",
			 range);
		return -1;
	}
	ends->upper_current = is_current_end(colon + 1, strlen(colon + 1));
	ends->lower_current = is_current_end(range, (size_t)(colon - range));
	/* No version rows: Alembic reads "current" as heads (upper)
	 * or base (lower): no bound. */
	if (rows && (ends->upper_current || ends->lower_current)) {
		int any = 0;
		for (i = 0; i < set->revision_count; i++)
			any |= rows[i] != 0;
		no_rows = !any;
	}
	if ((ends->upper_current || ends->lower_current) && !rows) {
		snprintf(error, error_size,
			 "'current' in a history range needs the "
			 "database; run history on the compiled "
			 "command line");
		return -1;
	}
	if (no_rows) {
		upper_skip = ends->upper_current;
		lower_skip = ends->lower_current;
		ends->upper_current = ends->lower_current = 0;
	}
	if (!ends->upper_current && !upper_skip &&
	    resolve_end(set, colon + 1, strlen(colon + 1), NULL, &ends->upper,
			&ends->upper_base, error, error_size) != 0)
		return -1;
	return range_lower(v, range, colon, lower_skip, ends, error,
			   error_size);
}

/* The revisions a range covers, in in_range; their upper ends (the heads
 * Alembic's walk starts from) in `heads`. 0, or -1 with a message. */
static int history_range(const view *v, const char *range,
			 const unsigned char *rows, unsigned char *in_range,
			 uint32_t *heads, uint32_t *head_count, char *error,
			 size_t error_size)
{
	const migc_set *set = v->set;
	range_ends ends;
	uint32_t i, kept;

	if (range_parse(v, range, rows, &ends, error, error_size) != 0)
		return -1;
	/* The upper ends. */
	*head_count = 0;
	if (ends.upper_base >= 0) {
		/* "<branch>@base" above: nothing */
	} else if (ends.upper_current) {
		for (i = 0; i < set->revision_count; i++)
			if (rows[i])
				heads[(*head_count)++] = (uint32_t)i;
	} else if (ends.upper >= 0) {
		heads[(*head_count)++] = (uint32_t)ends.upper;
	} else {
		for (i = 0; i < set->head_count; i++)
			heads[(*head_count)++] = set->heads[i];
	}
	for (i = 0, kept = 0; i < *head_count; i++)
		if (!ends.label ||
		    carries_label(v, heads[i], ends.label, ends.label_length))
			heads[kept++] = heads[i];
	*head_count = kept;
	for (i = 0; i < *head_count; i++)
		mark_ancestors(set, heads[i], in_range);
	if (ends.lower >= 0 || ends.lower_current) {
		unsigned char *below = zalloc(set->revision_count, 1);
		if (ends.lower_current)
			mark_rows(set, rows, 0, below);
		else
			mark_descendants(set, (uint32_t)ends.lower, below);
		if (!ends.lower_current && ends.upper >= 0 &&
		    !below[ends.upper]) {
			snprintf(error, error_size,
				 "Requested range %s does not refer to "
				 "ancestor/descendant revisions along the same "
				 "branch",
				 range);
			free(below);
			return -1;
		}
		for (i = 0; i < set->revision_count; i++)
			in_range[i] = in_range[i] && below[i];
		free(below);
	}
	return 0;
}

int migc_format_history_rows(FILE *out, const migc_set *set, const char *range,
			     int verbose, const migc_format_context *context,
			     const unsigned char *rows, char *error,
			     size_t error_size)
{
	view v;
	unsigned char *in_range = zalloc(set->revision_count, 1);
	uint32_t *heads = zalloc(set->revision_count, sizeof *heads);
	uint32_t *order = zalloc(set->revision_count, sizeof *order);
	uint32_t head_count = 0, count = 0, i;
	int status;

	view_init(&v, set);
	status = history_range(&v, range, rows, in_range, heads, &head_count,
			       error, error_size);
	if (status == 0)
		count = alembic_order(set, in_range, heads, head_count, order);
	for (i = 0; i < count; i++)
		format_revision(
		    out, &v, order[i],
		    verbose ? FORMAT_LONG
			    : MIGC_FORMAT_BRANCHES | MIGC_FORMAT_DOC |
				  MIGC_FORMAT_PARENTS | MIGC_FORMAT_TREE,
		    context);
	view_free(&v);
	free(in_range);
	free(heads);
	free(order);
	return status;
}

/* The set's heads in Alembic's order (the listing's). */
static uint32_t *listed_heads(const migc_set *set)
{
	uint32_t *heads = zalloc(set->head_count, sizeof *heads);
	memcpy(heads, set->heads, set->head_count * sizeof *heads);
	sort_listed(set, heads, set->head_count);
	return heads;
}

void migc_format_heads(FILE *out, const migc_set *set, int verbose,
		       const migc_format_context *context)
{
	uint32_t *heads = listed_heads(set);
	uint32_t i;
	view v;
	view_init(&v, set);
	for (i = 0; i < set->head_count; i++)
		format_revision(out, &v, heads[i],
				verbose ? FORMAT_LONG : MIGC_FORMAT_BRANCHES,
				context);
	view_free(&v);
	free(heads);
}

/* Alembic's branches: the branch points in history's order. */
void migc_format_branches(FILE *out, const migc_set *set, int verbose,
			  const migc_format_context *context)
{
	uint32_t n = set->revision_count, count, i, j, k;
	unsigned char *all = zalloc(n, 1);
	uint32_t *heads = listed_heads(set);
	uint32_t *order = zalloc(n, sizeof *order);
	view v;

	view_init(&v, set);
	memset(all, 1, n);
	count = alembic_order(set, all, heads, set->head_count, order);
	for (j = 0; j < count; j++) {
		uint32_t at = order[j];
		size_t width = strlen(set->revisions[at].id);
		if (v.children[at] < 2)
			continue;
		format_revision(out, &v, at,
				verbose
				    ? FORMAT_LONG
				    : MIGC_FORMAT_BRANCHES | MIGC_FORMAT_TREE,
				context);
		for (i = at + 1; i < n; i++) {
			const migc_revision *child = &set->revisions[i];
			int is_child = 0;
			for (k = 0; k < child->parent_count; k++)
				is_child |= child->parents[k] == at;
			if (!is_child)
				continue;
			fprintf(out, "%*s -> ", (int)width, "");
			format_revision(out, &v, i,
					MIGC_FORMAT_BRANCHES |
					    MIGC_FORMAT_TREE |
					    (verbose ? MIGC_FORMAT_DOC : 0),
					context);
		}
		fputc('\n', out);
	}
	view_free(&v);
	free(all);
	free(heads);
	free(order);
}

int migc_format_show(FILE *out, const migc_set *set, const char *revision,
		     const migc_format_context *context, char *error,
		     size_t error_size)
{
	long index, base_of;
	view v;
	if (revision[0] == '\0') {
		snprintf(error, error_size,
			 "the revision id is empty; name a revision, such "
			 "as head");
		return -1;
	}
	if (strcmp(revision, "heads") == 0) {
		uint32_t *heads = listed_heads(set);
		uint32_t i;
		view_init(&v, set);
		for (i = 0; i < set->head_count; i++)
			format_revision(out, &v, heads[i], FORMAT_LONG,
					context);
		view_free(&v);
		free(heads);
		return 0;
	}
	if (strcmp(revision, "base") == 0) {
		snprintf(error, error_size,
			 "'base' is before the first revision; name a "
			 "revision");
		return -1;
	}
	if (resolve_end(set, revision, strlen(revision), NULL, &index, &base_of,
			error, error_size) != 0)
		return -1;
	if (base_of >= 0) {
		snprintf(error, error_size,
			 "'%s' is before the branch's first revision; name a "
			 "revision",
			 revision);
		return -1;
	}
	if (index < 0) {
		snprintf(error, error_size, "the set has no revisions");
		return -1;
	}
	view_init(&v, set);
	format_revision(out, &v, (uint32_t)index, FORMAT_LONG, context);
	view_free(&v);
	return 0;
}

/* The characters of a DOT string, without its quotes: quotes and
 * backslashes escaped. */
static void dot_chars(FILE *out, const char *text)
{
	for (; text && *text; text++) {
		if (*text == '"' || *text == '\\')
			fputc('\\', out);
		fputc(*text, out);
	}
}

static void dot_string(FILE *out, const char *text)
{
	fputc('"', out);
	dot_chars(out, text);
	fputc('"', out);
}

/* One edge, `from -> to`, with what follows it ("" or " [attributes]"). */
static void dot_edge(FILE *out, const char *from, const char *to,
		     const char *rest)
{
	fputs("  ", out);
	dot_string(out, from);
	fputs(" -> ", out);
	dot_string(out, to);
	fputs(rest, out);
	fputs(";\n", out);
}

void migc_format_dot(FILE *out, const migc_set *set)
{
	uint32_t i, k;
	fputs("digraph migc {\n"
	      "  rankdir=BT;\n"
	      "  node [shape=box, style=\"rounded,filled\", "
	      "fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n"
	      "  edge [arrowsize=0.7];\n",
	      out);
	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *r = &set->revisions[i];
		uint32_t children = migc_format_children(set, i, 0, NULL);
		const char *fill = children == 0	 ? "#c8e6c9"
				   : r->parent_count > 1 ? "#bbdefb"
				   : children > 1	 ? "#ffe0b2"
							 : "#ffffff";
		fputs("  ", out);
		dot_string(out, r->id);
		fprintf(out, " [label=\"%s", r->id);
		if (children == 0)
			fputs(" (head)", out);
		if (children > 1)
			fputs(" (branchpoint)", out);
		if (r->parent_count > 1)
			fputs(" (mergepoint)", out);
		fputs("\\n", out);
		dot_chars(out, r->message);
		for (k = 0; k < r->branch_label_count; k++)
			fprintf(out, "%s%s", k ? ", " : "\\n@",
				r->branch_labels[k]);
		fprintf(out, "\", fillcolor=\"%s\"];\n", fill);
	}
	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *r = &set->revisions[i];
		for (k = 0; k < r->parent_count; k++)
			dot_edge(out, r->id, set->revisions[r->parents[k]].id,
				 "");
		for (k = 0; k < r->dependency_count; k++)
			dot_edge(out, r->id,
				 set->revisions[r->dependencies[k]].id,
				 " [style=dashed, label=\"depends_on\"]");
	}
	fputs("}\n", out);
}
