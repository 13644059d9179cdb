/* setview.c: the loaded graph seen as a migc_set (on the heap, without
 * statements), so the generator's history, heads, branches, show and graph
 * print through the same runtime/cli/format.c as the compiled command line. */
#include "setview.h"

#include <stdlib.h>
#include <string.h>

static uint32_t *positions(const struct graph *g, const size_t *indices,
			   size_t count)
{
	uint32_t *out = calloc(count + 1, sizeof *out);
	size_t i;
	if (!out)
		abort();
	for (i = 0; i < count; i++)
		out[i] = (uint32_t)g->revisions[indices[i]].order;
	return out;
}

void setview_build(migc_set *out, const struct graph *g)
{
	migc_revision *revisions = calloc(g->count + 1, sizeof *revisions);
	size_t i, k;

	if (!revisions)
		abort();
	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];
		migc_revision *v = &revisions[i];
		const char **labels =
		    calloc(r->label_count + 1, sizeof *labels);
		if (!labels)
			abort();
		for (k = 0; k < r->label_count; k++)
			labels[k] = r->labels[k].text;
		v->id = r->id.text;
		v->message = r->message;
		v->source_file = r->file_name;
		v->create_date = r->create_date;
		v->parents = positions(g, r->parents, r->down_count);
		v->parent_count = (uint32_t)r->down_count;
		v->dependencies =
		    positions(g, r->dependencies, r->depends_on_count);
		v->dependency_count = (uint32_t)r->depends_on_count;
		v->branch_labels = labels;
		v->branch_label_count = (uint32_t)r->label_count;
		v->flags = r->no_transaction ? MIGC_REVISION_NO_TRANSACTION : 0;
	}
	memset(out, 0, sizeof *out);
	out->abi_version = MIGC_ABI_VERSION;
	out->name = "versions";
	out->dialect = "";
	out->revisions = revisions;
	out->revision_count = (uint32_t)g->count;
	out->heads = positions(g, g->heads, g->head_count);
	out->head_count = (uint32_t)g->head_count;
}

void setview_free(migc_set *set)
{
	uint32_t i;
	for (i = 0; i < set->revision_count; i++) {
		free((void *)set->revisions[i].parents);
		free((void *)set->revisions[i].dependencies);
		free((void *)set->revisions[i].branch_labels);
	}
	free((void *)set->revisions);
	free((void *)set->heads);
	memset(set, 0, sizeof *set);
}
