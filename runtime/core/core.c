/* core.c: the small pieces of the runtime core: result texts, the version,
 * and the heap-free text helpers that the planner (plan.c) uses to write
 * error messages without stdio. */
#include "internal.h"

const char *migc_result_text(int code)
{
#ifdef MIGC_NO_MESSAGES
	(void)code;
	return "";
#else
	switch (code) {
#define MIGC_TEXT_ENTRY(name, value, text)                                     \
	case value:                                                            \
		return text;
		MIGC_ERROR_LIST(MIGC_TEXT_ENTRY)
#undef MIGC_TEXT_ENTRY
	default:
		return "unknown result code";
	}
#endif
}

const char *migc_version(void)
{
	return MIGC_VERSION_STRING;
}

/* The name says which ABI and sizes this runtime was built with; a set
 * compiled with others refers to a name no runtime defines (migc.h). */
const char MIGC_ABI_SYMBOL = 0;

/* ---- text ---- */

void migc_text_init(migc_text *text, char *buffer, size_t capacity)
{
	text->data = capacity > 0 ? buffer : NULL;
	text->capacity = text->data != NULL ? capacity : 0;
	text->length = 0;
	text->needed = 0;
	if (text->data != NULL)
		text->data[0] = '\0';
}

void migc_text_add_n(migc_text *text, const char *string, size_t length)
{
	size_t i;

	if (string == NULL)
		return;
	for (i = 0; i < length && string[i] != '\0'; i++) {
		text->needed++;
		if (text->length + 1 < text->capacity)
			text->data[text->length++] = string[i];
	}
	if (text->data != NULL)
		text->data[text->length] = '\0';
}

void migc_text_add(migc_text *text, const char *string)
{
	migc_text_add_n(text, string, (size_t)-1);
}

void migc_text_add_unsigned(migc_text *text, unsigned long value)
{
	char digits[24];
	size_t at = sizeof digits;

	do {
		digits[--at] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	migc_text_add_n(text, digits + at, sizeof digits - at);
}

void migc_text_add_hex64(migc_text *text, uint64_t value)
{
	char digits[16];
	int i;

	for (i = 15; i >= 0; i--) {
		digits[i] = "0123456789abcdef"[value & 0xfu];
		value >>= 4;
	}
	migc_text_add_n(text, digits, sizeof digits);
}

/* `"name"`, embedded '"' doubled; with `split`, the first '.' ends one
 * quoted part and begins the next ("schema"."name"). */
static void add_quoted(migc_text *text, const char *name, size_t length,
		       int split)
{
	size_t i;

	migc_text_add_n(text, "\"", 1);
	for (i = 0; name != NULL && i < length; i++) {
		if (split && name[i] == '.') {
			migc_text_add_n(text, "\".\"", 3);
			split = 0;
			continue;
		}
		if (name[i] == '"')
			migc_text_add_n(text, "\"", 1);
		migc_text_add_n(text, name + i, 1);
	}
	migc_text_add_n(text, "\"", 1);
}

void migc_text_add_identifier(migc_text *text, const char *name, size_t length)
{
	add_quoted(text, name, length, 0);
}

void migc_text_add_table(migc_text *text, const char *table, size_t length)
{
	add_quoted(text, table, length, 1);
}

size_t migc_string_length(const char *string)
{
	size_t length = 0;

	if (string == NULL)
		return 0;
	while (string[length] != '\0')
		length++;
	return length;
}

int migc_string_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return 0;
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Equal over `length` bytes and `a` is exactly that long. */
int migc_string_equal_n(const char *a, const char *b, size_t length)
{
	size_t i;

	if (a == NULL || b == NULL)
		return 0;
	for (i = 0; i < length; i++) {
		if (a[i] == '\0' || a[i] != b[i])
			return 0;
	}
	return a[length] == '\0';
}

/* ---- numbers ---- */

int migc_number_parse(uint64_t *out, const char *text, size_t length,
		      unsigned base, uint64_t max)
{
	uint64_t value = 0;
	int over = 0;
	size_t i;

	if (text == NULL || length == 0 || (base != 10 && base != 16))
		return MIGC_EINVAL;
	for (i = 0; i < length; i++) {
		char c = text[i];
		unsigned digit;

		if (c >= '0' && c <= '9')
			digit = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			digit = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			digit = (unsigned)(c - 'A' + 10);
		else
			return MIGC_EINVAL;
		/* Every character is still checked after an overflow: text
		 * that is not a number says so first. */
		if (over || digit > max || value > (max - digit) / base)
			over = 1;
		else
			value = value * base + digit;
	}
	if (over)
		return MIGC_ELIMIT;
	if (out != NULL)
		*out = value;
	return MIGC_OK;
}

/* ---- errors ---- */

void migc_error_clear(migc_error *error, int code)
{
	if (error == NULL)
		return;
	error->code = code;
	error->driver_code = 0;
	error->revision[0] = '\0';
	error->statement_index = 0;
	error->source_file = NULL;
	error->line = 0;
	error->message[0] = '\0';
}

void migc_error_start(migc_error *error, int code, migc_text *text)
{
	migc_error_clear(error, code);
	if (error == NULL)
		migc_text_init(text, NULL, 0);
	else
		migc_text_init(text, error->message, sizeof error->message);
}

void migc_error_set_revision(migc_error *error, const char *id)
{
	migc_text text;

	if (error == NULL)
		return;
	migc_text_init(&text, error->revision, sizeof error->revision);
	migc_text_add(&text, id);
}

int(migc_error_fail)(migc_error *error, int code, const char *message)
{
	migc_text text;

	migc_error_start(error, code, &text);
	migc_text_add(&text, message);
	return code;
}
