/* fuzz_generator.c: libFuzzer target over the generator's front half. The
 * input is one or more revision files separated by a line "=====": each is
 * parsed (lexer.re, revision.c), split for both dialects, checked by the
 * rules, then all go through the graph (duplicates, parents, cycles). Any
 * crash, leak or undefined behaviour is a bug; a diagnostic is not. */
#include "gen.h"

#include <stdlib.h>
#include <string.h>

#define MAX_FILES 16

static void split_both(const struct revision *r, struct diagnostics *diag)
{
	static const enum dialect dialects[] = {DIALECT_SQLITE,
						DIALECT_POSTGRESQL};
	size_t d, s;
	for (d = 0; d < 2; d++)
		for (s = 0; s < r->section_count; s++) {
			struct statements list = {0};
			if (sql_split(&list, dialects[d], r, &r->sections[s],
				      diag) == 0)
				rules_check(r, &list, dialects[d], diag);
			if (list.count)
				(void)checksum_statements(&list);
			statements_free(&list);
		}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct diagnostics diag = {0};
	struct graph g;
	size_t start = 0, i;

	memset(&g, 0, sizeof g);
	g.revisions = calloc(MAX_FILES, sizeof *g.revisions);
	if (!g.revisions)
		abort();
	while (start <= size && g.count < MAX_FILES) {
		const unsigned char *sep = NULL;
		size_t end = size, length;
		char *text, path[32];
		for (i = start; i + 7 <= size; i++)
			if (memcmp(data + i, "\n=====\n", 7) == 0) {
				sep = data + i;
				break;
			}
		if (sep)
			end = (size_t)(sep - data);
		length = end - start;
		text = malloc(length + 1);
		if (!text)
			abort();
		memcpy(text, data + start, length);
		text[length] = '\0';
		snprintf(path, sizeof path, "v/%zu.sql", g.count);
		revision_parse(&g.revisions[g.count], path, text, length,
			       &diag);
		split_both(&g.revisions[g.count], &diag);
		g.count++;
		if (!sep)
			break;
		start = end + 7;
	}
	graph_build(&g, &diag);
	graph_free(&g);
	diag_free(&diag);
	return 0;
}
