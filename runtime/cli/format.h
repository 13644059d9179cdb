/* format.h: Alembic's text formats for a revision set (history lines, the
 * verbose block, heads, branches, history ranges) and a Graphviz view.
 * Shared by the generator, which shows the files, and by the embeddable
 * command line, which shows the set compiled in. Uses stdio; not core. */
#ifndef MIGC_FORMAT_H
#define MIGC_FORMAT_H

#include "migc.h"

#include <stdio.h>

enum migc_format_show {
	MIGC_FORMAT_BRANCHES = 1, /* branch labels after the id */
	MIGC_FORMAT_DOC = 2,	  /* ", message" */
	MIGC_FORMAT_PARENTS = 4,  /* "parents -> " before the id */
	MIGC_FORMAT_TREE = 8	  /* (branchpoint), (mergepoint) */
};

/* --format json: a JSON array, one object per revision the functions
 * below would print a line or a block for ({"revision", "down_revisions",
 * "depends_on", "branch_labels", "message", "create_date", "path",
 * "is_head", "is_branch_point", "is_merge_point", "current"}), between
 * migc_format_json_begin and migc_format_json_end (the array is written
 * from its first object on: after an error, nothing). */
typedef struct migc_format_json {
	unsigned long count; /* objects written so far */
} migc_format_json;

/* What the caller knows beyond the set: the versions directory for
 * "Path:" lines, and which revisions a database has as version rows. */
typedef struct migc_format_context {
	const char *path_prefix;      /* "" or "dir/" */
	const unsigned char *current; /* per revision: 1 when a version row,
					 NULL when unknown */
	migc_format_json *json;	      /* NULL: Alembic's text */
} migc_format_context;

void migc_format_json_begin(FILE *out, migc_format_json *json);
void migc_format_json_end(FILE *out, migc_format_json *json);
/* `text` as a JSON string, quotes included. */
void migc_format_json_string(FILE *out, const char *text);
/* A version row this set lacks, as an object of the array. */
void migc_format_json_unknown(FILE *out, migc_format_json *json,
			      const char *id);

/* Number of revisions with `index` as a parent (and, with
 * `with_dependents`, as a dependency); listed to `list` when not NULL. */
uint32_t migc_format_children(const migc_set *set, uint32_t index,
			      int with_dependents, FILE *list);
void migc_format_ids(FILE *out, const migc_set *set, const uint32_t *indices,
		     uint32_t count);
/* Alembic's Script._head_only(): one line. */
void migc_format_short(FILE *out, const migc_set *set, uint32_t index, int show,
		       const migc_format_context *context);
/* Alembic's Script.log_entry: the Rev/Parent/Path block. */
void migc_format_long(FILE *out, const migc_set *set, uint32_t index,
		      const migc_format_context *context);

/* `history [-r RANGE] [--verbose]`: newest first. RANGE is Alembic's
 * "[lower]:[upper]" with ids, prefixes, base, head, heads and a lower
 * "-N" counted down from the upper. Returns 0, or -1 with a message in
 * `error`. */
int migc_format_history(FILE *out, const migc_set *set, const char *range,
			int verbose, const migc_format_context *context,
			char *error, size_t error_size);
/* The same with "current" allowed at either end of RANGE: it stands for
 * the revisions with rows[i] != 0 (the version rows; rows may be NULL
 * when there is no database, and "current" is then an error). */
int migc_format_history_rows(FILE *out, const migc_set *set,
			     const char *range, int verbose,
			     const migc_format_context *context,
			     const unsigned char *rows, char *error,
			     size_t error_size);
void migc_format_heads(FILE *out, const migc_set *set, int verbose,
		       const migc_format_context *context);
void migc_format_branches(FILE *out, const migc_set *set, int verbose,
			  const migc_format_context *context);
/* `show REV`: the verbose block of one revision (id, prefix, head,
 * label@head). Returns 0 or -1 with `error`. */
int migc_format_show(FILE *out, const migc_set *set, const char *revision,
		     const migc_format_context *context, char *error,
		     size_t error_size);
/* The graph as Graphviz DOT: heads, branch points, merge points and
 * labels marked; depends_on edges dashed. */
void migc_format_dot(FILE *out, const migc_set *set);

#endif /* MIGC_FORMAT_H */
