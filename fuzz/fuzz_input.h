/* fuzz_input.h: the generator fuzzers' input format, one reader for both:
 * revision files separated by a line "=====", parsed into a graph
 * (revision_parse), at most `max_files` of them. */
#ifndef MIGC_FUZZ_INPUT_H
#define MIGC_FUZZ_INPUT_H

#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fuzz_input_parse(struct graph *g, const unsigned char *data,
			     size_t size, size_t max_files,
			     struct diagnostics *diag)
{
	size_t start = 0;

	memset(g, 0, sizeof *g);
	g->revisions = calloc(max_files, sizeof *g->revisions);
	if (g->revisions == NULL)
		abort();
	while (start <= size && g->count < max_files) {
		const unsigned char *separator = NULL;
		size_t end = size;
		size_t length;
		size_t i;
		char *text;
		char path[32];

		for (i = start; i + 7 <= size; i++) {
			if (memcmp(data + i, "\n=====\n", 7) == 0) {
				separator = data + i;
				break;
			}
		}
		if (separator != NULL)
			end = (size_t)(separator - data);
		length = end - start;
		text = malloc(length + 1);
		if (text == NULL)
			abort();
		memcpy(text, data + start, length);
		text[length] = '\0';
		snprintf(path, sizeof path, "v/%zu_r.sql", g->count);
		revision_parse(&g->revisions[g->count], path, text, length,
			       diag);
		g->count++;
		if (separator == NULL)
			break;
		start = end + 7;
	}
}

#endif
