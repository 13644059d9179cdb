/* table.c: the version table's name, one home for both paths that use it
 * (the executor through a driver, and the offline --sql script): which
 * names each dialect accepts, and how SQL spells them and other
 * identifiers (the quoting every driver uses). Heap-free. */
#include "internal.h"

/* PostgreSQL keeps NAMEDATALEN - 1 bytes of a name and silently cuts the
 * rest; the longest name migc derives from the table part is the history
 * table's key, "<table>_history_pkc". */
#define POSTGRESQL_NAME_MAX 63
#define KEY_SUFFIX	    "_pkc"
#define POSTGRESQL_TABLE_MAX                                                   \
	(POSTGRESQL_NAME_MAX - (sizeof MIGC_HISTORY_SUFFIX - 1) -              \
	 (sizeof KEY_SUFFIX - 1))
static int is_name_character(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

int migc_table_name_check(const char *dialect, const char *table, size_t length,
			  migc_error *error)
{
	int postgresql =
	    dialect != NULL && migc_string_equal(dialect, "postgresql");
	int sqlite = dialect != NULL && migc_string_equal(dialect, "sqlite");
	/* A driver of one's own (no known dialect): 63 bytes a part. */
	size_t schema_max = sqlite ? MIGC_TABLE_NAME_MAX : 63;
	size_t part_max = postgresql ? POSTGRESQL_TABLE_MAX : schema_max;
	size_t schema = 0; /* length of "schema", 0 without one */
	size_t part = 0;
	size_t dots = 0;
	size_t i;
	migc_text text;

	if (table == NULL)
		length = 0;
	for (i = 0; i < length; i++) {
		if (table[i] == '.') {
			if (part == 0 || ++dots > 1)
				break;
			schema = part;
			part = 0;
		} else if (!is_name_character(table[i])) {
			break;
		} else {
			part++;
		}
	}
	if (i == length && part > 0 && length <= MIGC_TABLE_NAME_MAX &&
	    schema <= schema_max && part <= part_max)
		return MIGC_OK;
	migc_error_start(error, MIGC_EINVAL, &text);
	migc_say(&text, "The version table name '");
	migc_text_add_n(&text, table, length);
	if (i < length || part == 0) {
		migc_say(&text, "' is not valid: it is NAME or SCHEMA.NAME, "
				"each part one or more letters, digits or "
				"underscores");
	} else if (length > MIGC_TABLE_NAME_MAX) {
		migc_say(&text, "' is ");
		migc_text_add_unsigned(&text, (unsigned long)length);
		migc_say(&text, " bytes; migc takes at most 127 "
				"(MIGC_TABLE_NAME_MAX)");
	} else {
		int in_schema = schema > schema_max;

		migc_say(&text, "' has a part of ");
		migc_text_add_unsigned(
		    &text, (unsigned long)(in_schema ? schema : part));
		migc_say(&text, " bytes; at most ");
		migc_text_add_unsigned(
		    &text, (unsigned long)(in_schema ? schema_max : part_max));
		if (postgresql && !in_schema)
			migc_say(&text, " fit in the table part on "
					"PostgreSQL, whose names hold 63 "
					"bytes, as the history table's key "
					"adds \"_history_pkc\"");
		else
			migc_say(&text, " fit");
	}
	migc_say(&text, "; choose another name.");
	return MIGC_EINVAL;
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

int migc_table_quote(char *out, size_t capacity, size_t *length,
		     const char *table, size_t table_length, migc_error *error)
{
	migc_text text;

	migc_text_init(&text, out, capacity);
	migc_text_add_table(&text, table, table_length);
	if (length != NULL)
		*length = text.needed;
	if (text.needed >= capacity)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "The buffer for the quoted table name "
				       "is too small.");
	migc_error_clear(error, MIGC_OK);
	return MIGC_OK;
}
