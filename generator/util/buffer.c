/* buffer.c: the generator's text: the growable buffer that the emitter
 * and both diff writers build their output in, malloc'd strings and lists
 * of them. */
#include "gen.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reserve(struct buffer *b, size_t more)
{
	if (b->length + more + 1 <= b->capacity)
		return;
	while (b->length + more + 1 > b->capacity)
		b->capacity = b->capacity ? b->capacity * 2 : 4096;
	b->data = realloc(b->data, b->capacity);
	if (!b->data)
		abort();
}

void buffer_put(struct buffer *b, const char *text, size_t length)
{
	reserve(b, length);
	memcpy(b->data + b->length, text, length);
	b->length += length;
	b->data[b->length] = '\0';
}

void buffer_puts(struct buffer *b, const char *text)
{
	buffer_put(b, text, strlen(text));
}

void buffer_vprintf(struct buffer *b, const char *format, va_list args)
{
	va_list copy;
	int needed;
	va_copy(copy, args);
	needed = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	reserve(b, (size_t)needed);
	vsnprintf(b->data + b->length, (size_t)needed + 1, format, args);
	b->length += (size_t)needed;
}

void buffer_printf(struct buffer *b, const char *format, ...)
{
	va_list args;
	va_start(args, format);
	buffer_vprintf(b, format, args);
	va_end(args);
}

char *text_copy(const char *begin, size_t length)
{
	char *copy = malloc(length + 1);
	if (!copy)
		abort();
	memcpy(copy, begin, length);
	copy[length] = '\0';
	return copy;
}

char *text_dup(const char *text)
{
	return text ? text_copy(text, strlen(text)) : NULL;
}

char *text_format(const char *format, ...)
{
	va_list args;
	char *text;
	int needed;
	va_start(args, format);
	needed = vsnprintf(NULL, 0, format, args);
	va_end(args);
	text = malloc((size_t)needed + 1);
	if (!text)
		abort();
	va_start(args, format);
	vsnprintf(text, (size_t)needed + 1, format, args);
	va_end(args);
	return text;
}

void string_list_add(struct string_list *list, char *owned)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 8;
		char **items = realloc(list->items, capacity * sizeof *items);
		if (!items)
			abort();
		list->items = items;
		list->capacity = capacity;
	}
	list->items[list->count++] = owned;
}

void string_list_free(struct string_list *list)
{
	size_t i;
	for (i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	memset(list, 0, sizeof *list);
}

int string_list_has(const struct string_list *list, const char *text)
{
	size_t i;
	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i], text) == 0)
			return 1;
	return 0;
}

int string_list_equal(const struct string_list *a, const struct string_list *b)
{
	size_t i;
	if (a->count != b->count)
		return 0;
	for (i = 0; i < a->count; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return 0;
	return 1;
}
