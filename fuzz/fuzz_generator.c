/* fuzz_generator.c: libFuzzer target over the generator's front half. The
 * input is one or more revision files separated by a line "=====": each is
 * parsed (lexer.re, revision.c), split for both dialects, checked by the
 * rules, then all go through the graph (duplicates, parents, cycles). Any
 * crash, leak or undefined behaviour is a bug; a diagnostic is not. */
#include "fuzz_input.h"
#include "gen.h"
#include "lint.h"

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
			if (r->sections[s].kind == SECTION_UPGRADE)
				lint_revision(r, &list, dialects[d], LINT_WARN,
					      diag);
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
	size_t i;

	fuzz_input_parse(&g, data, size, MAX_FILES, &diag);
	for (i = 0; i < g.count; i++)
		split_both(&g.revisions[i], &diag);
	graph_build(&g, &diag);
	graph_free(&g);
	diag_free(&diag);
	return 0;
}
