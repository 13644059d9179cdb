/* core.c: the small pieces of the runtime core: result texts, the version,
 * the heap-free text helpers that the planner (plan.c) uses to write
 * error messages without stdio, and the driver calls both cores (the full
 * one and the upgrade-only profile, upgrade.c) make alike: the lock, the
 * tables, a history row. */
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

/* ---- what every operation asks of the driver ---- */

/* The driver's lock (or unlock) of "<set name>:<version table>". The key
 * is built in a frame of this call's own, each time, so that it takes no
 * stack while the operation runs. */
MIGC_INTERNAL MIGC_NOINLINE int migc_lock_call(const migc_driver *d,
					       const migc_set *set,
					       const char *table, int unlock,
					       migc_error *error)
{
	int (*call)(void *, const char *, size_t, migc_error *) =
	    unlock ? d->unlock : d->lock;
	char key[192];
	migc_text text;

	if (call == NULL)
		return MIGC_OK;
	migc_text_init(&text, key, sizeof key);
	migc_text_add(&text, set->name != NULL ? set->name : "");
	migc_text_add(&text, ":");
	migc_text_add(&text, table);
	return call(d->context, key, text.length, error);
}

/* Makes the version table and, `with_history`, the history table, on
 * first use. */
MIGC_INTERNAL int migc_tables_ensure(const migc_driver *d, const char *table,
				     size_t table_length, int with_history,
				     const char *history, size_t history_length,
				     migc_error *error)
{
	int rc =
	    d->version_table_ensure(d->context, table, table_length, error);

	if (rc == MIGC_OK && with_history)
		rc = d->history_ensure(d->context, history, history_length,
				       error);
	return rc;
}

/* The ids a revision leaves applied when unapplied, as its history row
 * records them: parents, then dependencies, joined by "," into `out`
 * (PARENTS_MAX bytes), *length bytes. */
static int parents_join(const migc_set *set, const migc_revision *revision,
			char *out, size_t *length, migc_error *error)
{
	migc_text text;
	uint32_t total = revision->parent_count + revision->dependency_count;
	uint32_t k;

	migc_text_init(&text, out, PARENTS_MAX);
	for (k = 0; k < total; k++) {
		uint32_t other =
		    k < revision->parent_count
			? revision->parents[k]
			: revision->dependencies[k - revision->parent_count];

		if (k > 0)
			migc_text_add(&text, ",");
		migc_text_add(&text, set->revisions[other].id);
	}
	if (text.length + 1 >= PARENTS_MAX)
		return migc_error_fail(error, MIGC_ELIMIT,
				       "A revision has too many parents and "
				       "dependencies to record in the history "
				       "table; rebuild with a larger "
				       "MIGC_MAX_HEADS.");
	*length = text.length;
	return MIGC_OK;
}

/* Writes the history row of set->revisions[index] through `d` into the
 * history table `history`: its parents, the progress, duration and
 * checksum given, its flags and downgrade statements. */
MIGC_INTERNAL MIGC_INLINED int
migc_history_put(const migc_driver *d, const char *history,
		 size_t history_length, const migc_set *set, uint32_t index,
		 uint32_t statements_done, uint32_t downgrade_done,
		 uint32_t duration_ms, uint64_t checksum, migc_error *error)
{
	const migc_revision *revision = &set->revisions[index];
	char parents[PARENTS_MAX];
	migc_history_row row;
	int rc =
	    parents_join(set, revision, parents, &row.parents_length, error);

	if (rc != MIGC_OK)
		return rc;
	row.revision = revision->id;
	row.revision_length = migc_string_length(revision->id);
	row.parents = parents;
	row.checksum = checksum;
	row.statements_done = statements_done;
	row.duration_ms = duration_ms;
	row.flags = revision->flags;
	row.downgrade_done = downgrade_done;
	return d->history_write(d->context, history, history_length, &row,
				revision->downgrade, revision->downgrade_count,
				error);
}
