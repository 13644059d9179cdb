/* text_log.h: what the runtime tests collect from a callback (progress
 * events, history rows) as one line of text, items joined with spaces. */
#ifndef MIGC_TEST_TEXT_LOG_H
#define MIGC_TEST_TEXT_LOG_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct text_log {
	char text[512];
} text_log;

/* Adds what `format` makes as the next item (cut at the log's end). */
static inline void text_log_add(text_log *log, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static inline void text_log_add(text_log *log, const char *format, ...)
{
	size_t used = strlen(log->text);
	va_list arguments;

	if (used > 0 && used + 1 < sizeof log->text)
		log->text[used++] = ' ';
	va_start(arguments, format);
	vsnprintf(log->text + used, sizeof log->text - used, format, arguments);
	va_end(arguments);
}

#endif /* MIGC_TEST_TEXT_LOG_H */
