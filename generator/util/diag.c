/* diag.c: diagnostics collected by every generator stage and printed by
 * main.c in the compiler's "file:line:column: error: ..." form. */
#include "gen.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* kind: 1 error, 0 note, 2 warning */
static void add(struct diagnostics *d, int kind, struct location at,
		const char *format, va_list args)
{
	static const char *const labels[] = {"note", "error", "warning"};
	int is_error = kind == 1;
	char body[2048];
	char *text;
	size_t length;
	va_list copy;

	va_copy(copy, args);
	vsnprintf(body, sizeof body, format, copy);
	va_end(copy);
	length = strlen(body) + (at.file ? strlen(at.file) : 0) + 64;
	text = malloc(length);
	if (!text)
		abort();
	if (at.file && at.line > 0)
		snprintf(text, length, "%s:%d:%d: %s: %s", at.file, at.line,
			 at.column > 0 ? at.column : 1,
			 labels[kind], body);
	else if (at.file)
		snprintf(text, length, "%s: %s: %s", at.file, labels[kind],
			 body);
	else
		snprintf(text, length, "migc: %s: %s", labels[kind], body);
	if (d->count == d->capacity) {
		size_t capacity = d->capacity ? d->capacity * 2 : 8;
		struct diagnostic *items =
		    realloc(d->items, capacity * sizeof *items);
		if (!items)
			abort();
		d->items = items;
		d->capacity = capacity;
	}
	d->items[d->count].is_error = is_error;
	d->items[d->count].text = text;
	d->count++;
	if (is_error)
		d->errors++;
}

void diag_error(struct diagnostics *d, struct location at, const char *format,
		...)
{
	va_list args;
	va_start(args, format);
	add(d, 1, at, format, args);
	va_end(args);
}

void diag_note(struct diagnostics *d, struct location at, const char *format,
	       ...)
{
	va_list args;
	va_start(args, format);
	add(d, 0, at, format, args);
	va_end(args);
}

void diag_warning(struct diagnostics *d, struct location at,
		  const char *format, ...)
{
	va_list args;
	va_start(args, format);
	add(d, 2, at, format, args);
	va_end(args);
}

void diag_print(const struct diagnostics *d, FILE *stream)
{
	size_t i;
	for (i = 0; i < d->count; i++)
		fprintf(stream, "%s\n", d->items[i].text);
}

void diag_free(struct diagnostics *d)
{
	size_t i;
	for (i = 0; i < d->count; i++)
		free(d->items[i].text);
	free(d->items);
	memset(d, 0, sizeof *d);
}
