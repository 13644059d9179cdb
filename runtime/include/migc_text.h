/* migc_text.h: the runtime's one text builder, bounded and heap-free: the
 * core's messages, the drivers' SQL, the command line's masked URLs and
 * the one identifier quoter every dialect's SQL is written with.
 * Not installed: it is shared by migc's own libraries, not an API. */
#ifndef MIGC_TEXT_H
#define MIGC_TEXT_H

#include "migc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends into a fixed buffer, always NUL-terminated, silently truncated:
 * `length` bytes are in `data`, and `needed` counts what the whole text
 * takes (as snprintf's result does), so needed > length says it was cut.
 * A NULL buffer keeps only the count. */
typedef struct migc_text {
	char *data;
	size_t capacity;
	size_t length;
	size_t needed;
} migc_text;

MIGC_EXPORT void migc_text_init(migc_text *text, char *buffer,
				size_t capacity);
MIGC_EXPORT void migc_text_add(migc_text *text, const char *string);
MIGC_EXPORT void migc_text_add_n(migc_text *text, const char *string,
				 size_t length);
MIGC_EXPORT void migc_text_add_unsigned(migc_text *text, unsigned long value);
/* 16 lower-case hex digits, as checksums are shown everywhere. */
MIGC_EXPORT void migc_text_add_hex64(migc_text *text, uint64_t value);
/* The one identifier quoter of both dialects (SQLite and PostgreSQL
 * spell a quoted name the same way): `"name"`, embedded '"' doubled. */
MIGC_EXPORT void migc_text_add_identifier(migc_text *text, const char *name,
					  size_t length);
/* A version or history table, "name" or "schema"."name" (the text of
 * migc_table_quote, in migc.h). */
MIGC_EXPORT void migc_text_add_table(migc_text *text, const char *table,
				     size_t length);

#ifdef __cplusplus
}
#endif

#endif /* MIGC_TEXT_H */
