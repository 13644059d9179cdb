/* history.c: the text format every driver shares for the history table:
 * downgrade statements stored as netstrings ("<length>:<sql>,").
 * Heap-free; the driver owns buffers. */
#include "plan.h"

static size_t digit_count(size_t value)
{
	size_t count = 1;

	while (value >= 10) {
		value /= 10;
		count++;
	}
	return count;
}

size_t migc_downgrade_encoded_length(const migc_statement *statements,
				     uint32_t count)
{
	size_t total = 0;
	uint32_t i;

	if (statements == NULL)
		return 0;
	for (i = 0; i < count; i++)
		total += digit_count(statements[i].length) + 2 +
			 statements[i].length;
	return total;
}

int migc_downgrade_encode(char *out, size_t capacity, size_t *length,
			  const migc_statement *statements, uint32_t count,
			  migc_error *error)
{
	size_t needed = migc_downgrade_encoded_length(statements, count);
	size_t at = 0;
	uint32_t i;

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
	for (i = 0; i < count; i++) {
		size_t value = statements[i].length;
		size_t digits = digit_count(value);
		size_t k;

		for (k = digits; k-- > 0;) {
			out[at + k] = (char)('0' + value % 10);
			value /= 10;
		}
		at += digits;
		out[at++] = ':';
		for (k = 0; k < statements[i].length; k++)
			out[at++] = statements[i].sql[k];
		out[at++] = ',';
	}
	if (at < capacity)
		out[at] = '\0';
	if (length != NULL)
		*length = at;
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}

int migc_downgrade_next(const char **sql, size_t *sql_length,
			const char *encoded, size_t encoded_length,
			size_t *offset, migc_error *error)
{
	size_t at;
	size_t value = 0;
	size_t digits = 0;

	if (sql == NULL || sql_length == NULL || offset == NULL ||
	    (encoded == NULL && encoded_length > 0))
		return migc_error_fail(error, MIGC_EINVAL,
				       "migc_downgrade_next needs its outputs "
				       "and an offset.");
	at = *offset;
	if (at >= encoded_length)
		return 0;
	while (at < encoded_length && encoded[at] >= '0' &&
	       encoded[at] <= '9') {
		size_t digit = (size_t)(encoded[at] - '0');

		if (value > ((size_t)-1 - digit) / 10)
			goto malformed;
		if (digits == 1 && value == 0)
			goto malformed; /* leading zero */
		value = value * 10 + digit;
		digits++;
		at++;
	}
	if (digits == 0 || at >= encoded_length || encoded[at] != ':')
		goto malformed;
	at++;
	if (encoded_length - at < value + 1 || encoded[at + value] != ',')
		goto malformed;
	*sql = encoded + at;
	*sql_length = value;
	*offset = at + value + 1;
	return 1;
malformed:
	{
		migc_text text;

		migc_error_start(error, MIGC_EINVAL, &text);
		migc_say(&text, "The stored downgrade statements are not "
				     "valid \"<length>:<sql>,\" text (at byte ");
		migc_text_add_unsigned(&text, (unsigned long)*offset);
		migc_say(&text, "); the history table was edited or "
				     "written by something else.");
	}
	return MIGC_EINVAL;
}
