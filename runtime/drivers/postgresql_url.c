/* postgresql_url.c: the options a postgresql:// URL carries for migc
 * (migc_lock=, migc_schema=, the timeouts), taken out of the URL before
 * libpq reads it; the command line calls it (cli_postgresql.c). */
#include "postgresql_internal.h"

#include <string.h>

/* "500", "500ms", "5s", "2min" as milliseconds. */
static int parse_ms(const char *text, size_t length, int *out)
{
	static const struct {
		const char *unit;
		uint64_t scale;
	} units[] = {{"ms", 1}, {"s", 1000}, {"min", 60000}, {"", 1}};
	size_t digits = 0;
	uint64_t value = 0;
	size_t i;

	while (digits < length && text[digits] >= '0' && text[digits] <= '9')
		digits++;
	if (digits == 0 ||
	    migc_number_parse(&value, text, digits, 10, INT32_MAX) != MIGC_OK)
		return 0;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strlen(units[i].unit) == length - digits &&
		    memcmp(text + digits, units[i].unit, length - digits) ==
			0) {
			if (value * units[i].scale > INT32_MAX)
				return 0;
			*out = (int)(value * units[i].scale);
			return 1;
		}
	}
	return 0;
}

/* One migc_ parameter; 0 when its value is not understood. */
static int url_option(migc_postgresql_options *options, const char *key,
		      size_t key_length, const char *value, size_t value_length,
		      char schema[MIGC_POSTGRESQL_NAME_MAX + 1])
{
	static const char *const timed[] = {
	    "migc_lock_wait", "migc_lease", "migc_lock_timeout",
	    "migc_statement_timeout", "migc_retry_pause"};
	int *fields[5];
	int ms = 0;
	size_t i;

	fields[0] = &options->lock_wait_ms;
	fields[1] = &options->lease_ms;
	fields[2] = &options->lock_timeout_ms;
	fields[3] = &options->statement_timeout_ms;
	fields[4] = &options->retry_pause_ms;
#define KEY_IS(name)                                                           \
	(key_length == sizeof name - 1 && memcmp(key, name, key_length) == 0)
	if (KEY_IS("migc_lock")) {
		if (value_length == 5 && memcmp(value, "lease", 5) == 0)
			options->lock = MIGC_POSTGRESQL_LOCK_LEASE;
		else if (value_length == 8 && memcmp(value, "advisory", 8) == 0)
			options->lock = MIGC_POSTGRESQL_LOCK_ADVISORY;
		else
			return 0;
		return 1;
	}
	if (KEY_IS("migc_schema")) {
		if (value_length == 0 ||
		    value_length > MIGC_POSTGRESQL_NAME_MAX)
			return 0;
		memcpy(schema, value, value_length);
		schema[value_length] = '\0';
		options->schema = schema;
		return 1;
	}
	if (KEY_IS("migc_retries")) {
		uint64_t count = 0;

		if (migc_number_parse(&count, value, value_length, 10, 1000) !=
		    MIGC_OK)
			return 0;
		options->retries = count == 0 ? -1 : (int)count;
		return 1;
	}
#undef KEY_IS
	for (i = 0; i < sizeof timed / sizeof timed[0]; i++) {
		if (strlen(timed[i]) != key_length ||
		    memcmp(key, timed[i], key_length) != 0)
			continue;
		if (!parse_ms(value, value_length, &ms))
			return 0;
		/* 0 means none for a timeout of the server's. */
		*fields[i] = ms == 0 && (i == 2 || i == 3) ? -1 : ms;
		return 1;
	}
	return 0;
}

int migc_postgresql_url_options(migc_postgresql_options *options, char *url,
				char schema[MIGC_POSTGRESQL_NAME_MAX + 1],
				migc_error *error)
{
	char *query;
	char *read;
	char *write;

	if (options == NULL || url == NULL || schema == NULL)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "migc_postgresql_url_options needs options, a URL "
		    "and room for a schema name");
	query = strchr(url, '?');
	if (query == NULL)
		return MIGC_OK;
	read = write = query + 1;
	while (*read != '\0') {
		size_t length = strcspn(read, "&");
		char *equals = memchr(read, '=', length);
		size_t key_length =
		    equals != NULL ? (size_t)(equals - read) : length;

		if (key_length > 5 && memcmp(read, "migc_", 5) == 0) {
			const char *value = equals != NULL ? equals + 1 : "";
			size_t value_length =
			    equals != NULL ? length - key_length - 1 : 0;

			if (!url_option(options, read, key_length, value,
					value_length, schema)) {
				return postgresql_fail(
				    error, MIGC_EINVAL,
				    "The URL parameter %.*s is not "
				    "understood; see migc_postgresql.h "
				    "for migc's parameters and their "
				    "values.",
				    (int)(length > 80 ? 80 : length), read);
			}
		} else {
			if (write != query + 1)
				*write++ = '&';
			memmove(write, read, length);
			write += length;
		}
		read += length;
		if (*read == '&')
			read++;
	}
	*write = '\0';
	if (write == query + 1)
		*query = '\0'; /* nothing left for libpq */
	return MIGC_OK;
}
