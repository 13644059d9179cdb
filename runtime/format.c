/* format.c: Alembic's text formats over a migc_set, and a Graphviz view.
 * The generator (files) and the embeddable command line (compiled set)
 * print through here, so both say the same thing the same way. */
#include "format.h"

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

static void print_labels(FILE *out, const migc_revision *r)
{
	uint32_t i;
	for (i = 0; i < r->branch_label_count; i++)
		fprintf(out, "%s%s", i ? ", " : "", r->branch_labels[i]);
}

static int is_current(const migc_format_context *context, uint32_t index)
{
	return context && context->current && context->current[index];
}

void migc_format_short(FILE *out, const migc_set *set, uint32_t index, int show,
		       const migc_format_context *context)
{
	const migc_revision *r = &set->revisions[index];
	uint32_t children = migc_format_children(set, index, 0, NULL);
	uint32_t all_children = migc_format_children(set, index, 1, NULL);

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
	if ((show & MIGC_FORMAT_BRANCHES) && r->branch_label_count) {
		fputs(" (", out);
		print_labels(out, r);
		fputc(')', out);
	}
	if (all_children == 0)
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

void migc_format_long(FILE *out, const migc_set *set, uint32_t index,
		      const migc_format_context *context)
{
	const migc_revision *r = &set->revisions[index];
	uint32_t children = migc_format_children(set, index, 0, NULL);

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
	if (r->branch_label_count) {
		fputs("Branch names: ", out);
		print_labels(out, r);
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

/* ---- revision names and ranges ---- */

/* A full id or unique prefix; -2 when ambiguous, -1 when unknown. */
static long find_id(const migc_set *set, const char *id, size_t length)
{
	long found = -1;
	uint32_t i;
	if (length == 0)
		return -1;
	for (i = 0; i < set->revision_count; i++) {
		const char *candidate = set->revisions[i].id;
		if (strlen(candidate) == length &&
		    strncmp(candidate, id, length) == 0)
			return (long)i;
		if (strncmp(candidate, id, length) == 0)
			found = found == -1 ? (long)i : -2;
	}
	return found;
}

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

/* Marks `index` and all its ancestors (parents and dependencies). */
static void mark_ancestors(const migc_set *set, uint32_t index,
			   unsigned char *mark)
{
	uint32_t i, k;
	mark[index] = 1;
	for (i = index + 1; i-- > 0;) {
		const migc_revision *r = &set->revisions[i];
		if (!mark[i])
			continue;
		for (k = 0; k < r->parent_count; k++)
			mark[r->parents[k]] = 1;
		for (k = 0; k < r->dependency_count; k++)
			mark[r->dependencies[k]] = 1;
	}
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

/* One end of a range: index, or -1 for "base"/"heads" (no bound). */
static int resolve_end(const migc_set *set, const char *text, size_t length,
		       long *out, char *error, size_t size)
{
	long found;
	if (length == 0 || (length == 4 && strncmp(text, "base", 4) == 0) ||
	    (length == 5 && strncmp(text, "heads", 5) == 0)) {
		*out = -1;
		return 0;
	}
	if (length == 4 && strncmp(text, "head", 4) == 0) {
		if (set->head_count > 1) {
			say(error, size, "", "", 0,
			    "'head' is ambiguous: the set has several heads; "
			    "name one, or use 'heads'");
			return -1;
		}
		*out = set->head_count ? (long)set->heads[0] : -1;
		return 0;
	}
	if (length > 5 && strncmp(text + length - 5, "@head", 5) == 0) {
		long labelled = find_label(set, text, length - 5);
		uint32_t i, hit = 0;
		unsigned char *mark;
		if (labelled < 0) {
			say(error, size,
			    "no revision carries the branch label '", text,
			    length - 5, "'");
			return -1;
		}
		mark = calloc(set->revision_count + 1, 1);
		if (!mark)
			abort();
		mark_descendants(set, (uint32_t)labelled, mark);
		for (i = 0; i < set->head_count; i++)
			if (mark[set->heads[i]]) {
				*out = (long)set->heads[i];
				hit++;
			}
		free(mark);
		if (hit != 1) {
			say(error, size, "branch '", text, length - 5,
			    "' has several heads; name one");
			return -1;
		}
		return 0;
	}
	found = find_id(set, text, length);
	if (found == -2) {
		say(error, size, "revision prefix '", text, length,
		    "' is ambiguous; give more characters");
		return -1;
	}
	if (found < 0) {
		say(error, size, "no revision '", text, length,
		    "' in this set");
		return -1;
	}
	*out = found;
	return 0;
}

/* Alembic's lower "-N": N steps down a single line from `upper`. */
static int walk_down(const migc_set *set, long upper, unsigned long steps,
		     long *out, char *error, size_t size)
{
	long at = upper;
	unsigned long i;
	if (at < 0) {
		if (set->head_count != 1) {
			say(error, size, "", "", 0,
			    "Ambiguous walk: several heads; give an upper "
			    "revision");
			return -1;
		}
		at = (long)set->heads[0];
	}
	for (i = 0; i < steps; i++) {
		const migc_revision *r = &set->revisions[at];
		if (r->parent_count > 1) {
			snprintf(error, size,
				 "Ambiguous walk: %s is a merge point; give a "
				 "revision instead of -%lu",
				 r->id, steps);
			return -1;
		}
		if (r->parent_count == 0) {
			snprintf(error, size,
				 "Relative revision -%lu goes below base",
				 steps);
			return -1;
		}
		at = (long)r->parents[0];
	}
	*out = at;
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

int migc_format_history_rows(FILE *out, const migc_set *set,
			     const char *range, int verbose,
			     const migc_format_context *context,
			     const unsigned char *rows, char *error,
			     size_t error_size)
{
	long lower = -1, upper = -1;
	int lower_current = 0, upper_current = 0;
	int no_rows = 0, upper_skip = 0, lower_skip = 0;
	unsigned char *in_range;
	uint32_t i;

	if (range) {
		const char *colon = strchr(range, ':');
		if (!colon) {
			snprintf(error, error_size,
				 "history range needs [start]:[end], "
				 "[start]: or :[end], not '%s'",
				 range);
			return -1;
		}
		upper_current = is_current_end(colon + 1, strlen(colon + 1));
		lower_current =
			is_current_end(range, (size_t)(colon - range));
		/* No version rows: Alembic reads "current" as heads (upper)
		 * or base (lower): no bound. */
		if (rows && (upper_current || lower_current)) {
			int any = 0;
			for (i = 0; i < set->revision_count; i++)
				any |= rows[i] != 0;
			no_rows = !any;
		}
		if ((upper_current || lower_current) && !rows) {
			snprintf(error, error_size,
				 "'current' in a history range needs the "
				 "database; run history on the compiled "
				 "command line");
			return -1;
		}
		if (no_rows) {
			upper_current = lower_current = 0;
			upper_skip = is_current_end(colon + 1,
						    strlen(colon + 1));
			lower_skip = is_current_end(range,
						    (size_t)(colon - range));
		}
		if (!upper_current && !upper_skip &&
		    resolve_end(set, colon + 1, strlen(colon + 1), &upper,
				error, error_size) != 0)
			return -1;
		if (lower_current || lower_skip) {
			/* marked below, or no bound */
		} else if (range[0] == '-' && colon > range + 1) {
			char *end;
			unsigned long steps = strtoul(range + 1, &end, 10);
			if (end != colon || upper_current) {
				snprintf(error, error_size,
					 "bad relative start in '%s'", range);
				return -1;
			}
			if (walk_down(set, upper, steps, &lower, error,
				      error_size) != 0)
				return -1;
		} else if (resolve_end(set, range, (size_t)(colon - range),
				       &lower, error, error_size) != 0) {
			return -1;
		}
	}
	in_range = calloc(set->revision_count + 1, 1);
	if (!in_range)
		abort();
	if (upper_current)
		mark_rows(set, rows, 1, in_range);
	else if (upper >= 0)
		mark_ancestors(set, (uint32_t)upper, in_range);
	else
		memset(in_range, 1, set->revision_count);
	if (lower >= 0 || lower_current) {
		unsigned char *below = calloc(set->revision_count + 1, 1);
		if (!below)
			abort();
		if (lower_current)
			mark_rows(set, rows, 0, below);
		else
			mark_descendants(set, (uint32_t)lower, below);
		if (!lower_current && upper >= 0 && !below[upper]) {
			snprintf(error, error_size,
				 "Requested range %s does not refer to "
				 "ancestor/descendant revisions along the same "
				 "branch",
				 range);
			free(below);
			free(in_range);
			return -1;
		}
		for (i = 0; i < set->revision_count; i++)
			in_range[i] = in_range[i] && below[i];
		free(below);
	}
	for (i = set->revision_count; i-- > 0;) {
		if (!in_range[i])
			continue;
		if (verbose)
			migc_format_long(out, set, i, context);
		else
			migc_format_short(out, set, i,
					  MIGC_FORMAT_BRANCHES |
						  MIGC_FORMAT_DOC |
						  MIGC_FORMAT_PARENTS |
						  MIGC_FORMAT_TREE,
					  context);
	}
	free(in_range);
	return 0;
}

void migc_format_heads(FILE *out, const migc_set *set, int verbose,
		       const migc_format_context *context)
{
	uint32_t i;
	for (i = 0; i < set->head_count; i++) {
		if (verbose)
			migc_format_long(out, set, set->heads[i], context);
		else
			migc_format_short(out, set, set->heads[i],
					  MIGC_FORMAT_BRANCHES, context);
	}
}

void migc_format_branches(FILE *out, const migc_set *set, int verbose,
			  const migc_format_context *context)
{
	uint32_t i, j, k;
	for (i = set->revision_count; i-- > 0;) {
		const migc_revision *r = &set->revisions[i];
		size_t width = strlen(r->id);
		if (migc_format_children(set, i, 0, NULL) < 2)
			continue;
		if (verbose)
			migc_format_long(out, set, i, context);
		else
			migc_format_short(
			    out, set, i,
			    MIGC_FORMAT_BRANCHES | MIGC_FORMAT_TREE, context);
		for (j = i + 1; j < set->revision_count; j++) {
			const migc_revision *child = &set->revisions[j];
			int is_child = 0;
			for (k = 0; k < child->parent_count; k++)
				is_child |= child->parents[k] == i;
			if (!is_child)
				continue;
			fprintf(out, "%*s -> ", (int)width, "");
			migc_format_short(out, set, j,
					  MIGC_FORMAT_BRANCHES |
					      MIGC_FORMAT_TREE |
					      (verbose ? MIGC_FORMAT_DOC : 0),
					  context);
		}
		fputc('\n', out);
	}
}

int migc_format_show(FILE *out, const migc_set *set, const char *revision,
		     const migc_format_context *context, char *error,
		     size_t error_size)
{
	long index;
	if (strcmp(revision, "heads") == 0) {
		uint32_t i;
		for (i = 0; i < set->head_count; i++)
			migc_format_long(out, set, set->heads[i], context);
		return 0;
	}
	if (strcmp(revision, "base") == 0) {
		snprintf(error, error_size,
			 "'base' is before the first revision; name a "
			 "revision");
		return -1;
	}
	if (resolve_end(set, revision, strlen(revision), &index, error,
			error_size) != 0)
		return -1;
	if (index < 0) {
		snprintf(error, error_size, "the set has no revisions");
		return -1;
	}
	migc_format_long(out, set, (uint32_t)index, context);
	return 0;
}

/* DOT strings: quotes and backslashes escaped. */
static void dot_string(FILE *out, const char *text)
{
	fputc('"', out);
	for (; text && *text; text++) {
		if (*text == '"' || *text == '\\')
			fputc('\\', out);
		fputc(*text, out);
	}
	fputc('"', out);
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
		for (k = 0; r->message && r->message[k]; k++) {
			if (r->message[k] == '"' || r->message[k] == '\\')
				fputc('\\', out);
			fputc(r->message[k], out);
		}
		for (k = 0; k < r->branch_label_count; k++)
			fprintf(out, "%s%s", k ? ", " : "\\n@",
				r->branch_labels[k]);
		fprintf(out, "\", fillcolor=\"%s\"];\n", fill);
	}
	for (i = 0; i < set->revision_count; i++) {
		const migc_revision *r = &set->revisions[i];
		for (k = 0; k < r->parent_count; k++) {
			fputs("  ", out);
			dot_string(out, r->id);
			fputs(" -> ", out);
			dot_string(out, set->revisions[r->parents[k]].id);
			fputs(";\n", out);
		}
		for (k = 0; k < r->dependency_count; k++) {
			fputs("  ", out);
			dot_string(out, r->id);
			fputs(" -> ", out);
			dot_string(out, set->revisions[r->dependencies[k]].id);
			fputs(" [style=dashed, label=\"depends_on\"];\n", out);
		}
	}
	fputs("}\n", out);
}
