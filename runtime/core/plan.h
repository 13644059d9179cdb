/* plan.h: internals shared by the runtime core (core.c, plan.c): bounded
 * text building for error messages without stdio, and error helpers.
 * Not installed; the command line and the drivers use only migc.h (where
 * the one number parser, migc_number_parse, is declared for all of them:
 * the planner's counts, format.c's ranges, the drivers' stored numbers). */
#ifndef MIGC_PLAN_H
#define MIGC_PLAN_H

#include "migc.h"

/* Appends into a fixed buffer, always NUL-terminated, silently truncated.
 * A NULL buffer makes every append a no-op. */
typedef struct migc_text {
	char *data;
	size_t capacity;
	size_t length;
} migc_text;

void migc_text_init(migc_text *text, char *buffer, size_t capacity);
void migc_text_add(migc_text *text, const char *string);
void migc_text_add_n(migc_text *text, const char *string, size_t length);
void migc_text_add_unsigned(migc_text *text, unsigned long value);
/* 16 lower-case hex digits, as checksums are shown everywhere. */
void migc_text_add_hex64(migc_text *text, uint64_t value);

size_t migc_string_length(const char *string);
int migc_string_equal(const char *a, const char *b);
/* `a` is exactly the `length` bytes at `b`. */
int migc_string_equal_n(const char *a, const char *b, size_t length);

/* Clears every field of `error` (which may be NULL) and sets `code`. */
void migc_error_clear(migc_error *error, int code);

/* Clears `error`, sets `code` and starts `text` over its message buffer. */
void migc_error_start(migc_error *error, int code, migc_text *text);

/* Records a revision id in error->revision. */
void migc_error_set_revision(migc_error *error, const char *id);

/* migc_error_clear() plus a message made of one string. */
int migc_error_fail(migc_error *error, int code, const char *message);

/* Message sentences go through migc_say() and migc_error_fail(); with
 * MIGC_NO_MESSAGES (the smallest builds) they are dropped before they reach
 * the binary, while codes and error fields (revision, statement, file,
 * line) stay. migc_text_add() remains for text that is data. */
#ifdef MIGC_NO_MESSAGES
#define migc_say(text, literal) ((void)(text))
#define migc_error_fail(error, code, message) migc_error_fail(error, code, "")
#else
#define migc_say(text, literal) migc_text_add(text, literal)
#endif

#endif /* MIGC_PLAN_H */
