/* encoding.c: the text format every driver shares for the history
 * table's downgrade statements (netstrings, "<length>:<sql>,", with an
 * optional flags entry; see migc_driver.h), and the one parser of the
 * numbers migc reads as text (stored ones, and the target grammar's
 * counts). Heap-free; the driver owns buffers. */
#include "internal.h"

/* The optional first entry of the encoding, an SQL comment so that a
 * reader from before it runs it as a harmless statement (see migc.h). */
#define HEADER_START	    "/* migc:flags "
#define HEADER_END	    " */"
#define HEADER_START_LENGTH (sizeof HEADER_START - 1)
#define HEADER_END_LENGTH   (sizeof HEADER_END - 1)

static size_t digit_count(size_t value)
{
	size_t count = 1;

	while (value >= 10) {
		value /= 10;
		count++;
	}
	return count;
}

static int starts_with_header(const char *sql, size_t length)
{
	size_t i;

	if (sql == NULL || length < HEADER_START_LENGTH)
		return 0;
	for (i = 0; i < HEADER_START_LENGTH; i++) {
		if (sql[i] != HEADER_START[i])
			return 0;
	}
	return 1;
}

/* Rows without flags keep the original format, byte for byte; so does a
 * revision whose first statement could be mistaken for a header: it gets
 * one. */
static int needs_header(const migc_statement *statements, uint32_t count,
			uint32_t revision_flags)
{
	uint32_t i;

	if (revision_flags != 0)
		return 1;
	for (i = 0; i < count; i++) {
		if (statements[i].flags != 0)
			return 1;
	}
	return count > 0 &&
	       starts_with_header(statements[0].sql, statements[0].length);
}

/* Size of the header's SQL: "/ * migc:flags R S1,...,Sn * /". */
static size_t header_length(const migc_statement *statements, uint32_t count,
			    uint32_t revision_flags)
{
	size_t total = HEADER_START_LENGTH + digit_count(revision_flags) +
		       HEADER_END_LENGTH;
	uint32_t i;

	for (i = 0; i < count; i++)
		total += 1 + digit_count(statements[i].flags);
	return total;
}

size_t migc_downgrade_encoded_length(const migc_statement *statements,
				     uint32_t count, uint32_t revision_flags)
{
	size_t total = 0;
	uint32_t i;

	if (statements == NULL)
		count = 0;
	if (needs_header(statements, count, revision_flags)) {
		size_t header =
		    header_length(statements, count, revision_flags);

		total += digit_count(header) + 2 + header;
	}
	for (i = 0; i < count; i++)
		total += digit_count(statements[i].length) + 2 +
			 statements[i].length;
	return total;
}

int migc_downgrade_encode(char *out, size_t capacity, size_t *length,
			  const migc_statement *statements, uint32_t count,
			  uint32_t revision_flags, migc_error *error)
{
	size_t needed;
	uint32_t i;
	migc_text text;

	if (statements == NULL)
		count = 0;
	needed =
	    migc_downgrade_encoded_length(statements, count, revision_flags);
	if (length != NULL)
		*length = 0;
	if (out == NULL && needed > 0)
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_downgrade_encode needs a buffer.");
	if (capacity < needed)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The buffer for the encoded downgrade "
				       "statements is too small; size it with "
				       "migc_downgrade_encoded_length().");
	/* Every entry ends in ','; the last one goes in by hand when the
	 * buffer is exactly the encoded size: the builder keeps a byte for
	 * its NUL. */
	migc_text_init(&text, out, capacity);
	if (needs_header(statements, count, revision_flags)) {
		migc_text_add_unsigned(
		    &text, (unsigned long)header_length(statements, count,
							revision_flags));
		migc_text_add_n(&text, ":" HEADER_START,
				1 + HEADER_START_LENGTH);
		migc_text_add_unsigned(&text, revision_flags);
		for (i = 0; i < count; i++) {
			migc_text_add_n(&text, i == 0 ? " " : ",", 1);
			migc_text_add_unsigned(&text, statements[i].flags);
		}
		migc_text_add_n(&text, HEADER_END ",", HEADER_END_LENGTH + 1);
	}
	for (i = 0; i < count; i++) {
		migc_text_add_unsigned(&text,
				       (unsigned long)statements[i].length);
		migc_text_add_n(&text, ":", 1);
		migc_text_add_n(&text, statements[i].sql, statements[i].length);
		migc_text_add_n(&text, ",", 1);
	}
	if (text.length < needed)
		out[text.length++] = ',';
	if (text.length < capacity)
		out[text.length] = '\0';
	if (length != NULL)
		*length = text.length;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

static int malformed(migc_error *error, size_t offset)
{
	migc_text text;

	migc_error_start(error, MIGC_EINVAL, &text);
	migc_say(&text, "The stored downgrade statements are not valid "
			"\"<length>:<sql>,\" text with a flags entry that "
			"fits (at byte ");
	migc_text_add_unsigned(&text, (unsigned long)offset);
	migc_say(&text, "); the history table was edited or written by "
			"something else");
	return MIGC_EINVAL;
}

/* The netstring at `*offset`: 1 and its content, 0 at the end, or
 * MIGC_EINVAL. */
static int next_entry(const char **sql, size_t *sql_length, const char *encoded,
		      size_t encoded_length, size_t *offset, migc_error *error)
{
	size_t at = *offset;
	size_t value = 0;
	size_t digits = 0;

	if (at >= encoded_length)
		return 0;
	while (at < encoded_length && encoded[at] >= '0' &&
	       encoded[at] <= '9') {
		size_t digit = (size_t)(encoded[at] - '0');

		/* Overflow, or a leading zero. */
		if (value > ((size_t)-1 - digit) / 10 ||
		    (digits == 1 && value == 0))
			return malformed(error, *offset);
		value = value * 10 + digit;
		digits++;
		at++;
	}
	if (digits == 0 || at >= encoded_length || encoded[at] != ':' ||
	    encoded_length - at - 1 < value + 1 ||
	    encoded[at + 1 + value] != ',')
		return malformed(error, *offset);
	at++;
	*sql = encoded + at;
	*sql_length = value;
	*offset = at + value + 1;
	return 1;
}

/* One decimal uint32 at text[*at], no sign, no leading zero. */
static int parse_flag(const char *text, size_t length, size_t *at,
		      uint32_t *out)
{
	uint32_t value = 0;
	size_t start = *at;

	while (*at < length && text[*at] >= '0' && text[*at] <= '9') {
		uint32_t digit = (uint32_t)(text[*at] - '0');

		if ((*at > start && value == 0) ||
		    value > (UINT32_MAX - digit) / 10)
			return 0;
		value = value * 10 + digit;
		(*at)++;
	}
	*out = value;
	return *at > start;
}

/* Checks a header's grammar and that it has one flag per statement. */
static int header_valid(const char *header, size_t length, uint32_t count,
			uint32_t *revision_flags)
{
	size_t at = HEADER_START_LENGTH;
	size_t end;
	uint32_t flags;
	uint32_t seen = 0;

	if (length < HEADER_START_LENGTH + HEADER_END_LENGTH)
		return 0;
	end = length - HEADER_END_LENGTH;
	if (!starts_with_header(header, length) ||
	    header[end] != HEADER_END[0] || header[end + 1] != HEADER_END[1] ||
	    header[end + 2] != HEADER_END[2] ||
	    !parse_flag(header, end, &at, revision_flags))
		return 0;
	while (at < end) {
		if (header[at] != (seen == 0 ? ' ' : ','))
			return 0;
		at++;
		if (!parse_flag(header, end, &at, &flags))
			return 0;
		seen++;
	}
	return seen == count;
}

int migc_downgrade_open(migc_downgrade_reader *reader, const char *encoded,
			size_t encoded_length, migc_error *error)
{
	const char *sql;
	size_t sql_length;
	size_t offset = 0;
	size_t first_statement = 0;
	uint32_t count = 0;
	int has_header = 0;
	int rc;

	if (reader == NULL || (encoded == NULL && encoded_length > 0))
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_downgrade_open needs a reader "
				       "and the encoded text.");
	reader->encoded = encoded;
	reader->length = encoded_length;
	reader->offset = 0;
	reader->flags_offset = 0;
	reader->revision_flags = 0;
	reader->count = 0;
	/* Every entry is checked before the caller runs any. */
	for (;;) {
		size_t start = offset;

		rc = next_entry(&sql, &sql_length, encoded, encoded_length,
				&offset, error);
		if (rc != 1)
			break;
		if (start == 0 && starts_with_header(sql, sql_length)) {
			has_header = 1;
			first_statement = offset;
		} else {
			count++;
		}
	}
	if (rc < 0)
		return rc;
	if (has_header) {
		offset = 0;
		next_entry(&sql, &sql_length, encoded, encoded_length, &offset,
			   NULL);
		if (!header_valid(sql, sql_length, count,
				  &reader->revision_flags))
			return malformed(error, 0);
		reader->offset = first_statement;
		reader->flags_offset =
		    (size_t)(sql - encoded) + HEADER_START_LENGTH;
		/* Past the revision's flags, onto the first separator. */
		while (encoded[reader->flags_offset] >= '0' &&
		       encoded[reader->flags_offset] <= '9')
			reader->flags_offset++;
	}
	reader->count = count;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

int migc_downgrade_read(const char **sql, size_t *sql_length, uint32_t *flags,
			migc_downgrade_reader *reader, migc_error *error)
{
	uint32_t value = 0;
	int rc;

	if (reader == NULL || sql == NULL || sql_length == NULL)
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_downgrade_read needs an open "
				       "reader and its outputs.");
	*sql = NULL;
	*sql_length = 0;
	rc = next_entry(sql, sql_length, reader->encoded, reader->length,
			&reader->offset, error);
	if (rc == 1 && reader->flags_offset != 0) {
		reader->flags_offset++; /* ' ' or ',' */
		parse_flag(reader->encoded, reader->length,
			   &reader->flags_offset, &value);
	}
	if (flags != NULL)
		*flags = value;
	if (rc < 0)
		return rc;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
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
