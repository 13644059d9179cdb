/* postgresql_schemas.c: schema per tenant: one upgrade per schema on one
 * connection, each with its own driver state, version table and lock
 * key, and one summary of those that failed. */
#include "postgresql_internal.h"

#include <stdio.h>
#include <string.h>

/* "<n> of <m> schemas failed (a, b, ...); ... First failure: ...". */
static void schemas_summary(migc_error *error, size_t failed, size_t count,
			    const char *names, const migc_error *first)
{
	migc_text text;

	if (error == NULL)
		return;
	migc_text_init(&text, error->message, sizeof error->message);
	migc_text_add_unsigned(&text, (unsigned long)failed);
	migc_text_add(&text, " of ");
	migc_text_add_unsigned(&text, (unsigned long)count);
	migc_text_add(&text,
		      count == 1 ? " schema failed (" : " schemas failed (");
	migc_text_add(&text, names);
	migc_text_add(&text, "); the others are at their target. First "
			     "failure: ");
	migc_text_add(&text, first->message);
}

int migc_postgresql_upgrade_schemas(
    const migc_set *set, struct pg_conn *connection, const char *const *schemas,
    size_t count, const char *target, const migc_postgresql_options *options,
    const migc_options *migration_options, migc_postgresql_schema_fn each,
    void *payload, size_t *failed, migc_error *error)
{
	migc_postgresql_options tenant = MIGC_POSTGRESQL_OPTIONS_INIT;
	migc_options migration = MIGC_OPTIONS_INIT;
	const char *table = MIGC_DEFAULT_VERSION_TABLE;
	migc_error first;
	char names[160];
	migc_text list; /* the failed schemas' names */
	int cut = 0;	/* the list ends in "..." */
	size_t bad = 0;
	size_t i;
	int first_rc = MIGC_OK;

	if (failed != NULL)
		*failed = 0;
	if (set == NULL || connection == NULL || (schemas == NULL && count > 0))
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "migc_postgresql_upgrade_schemas needs a set, a "
		    "connection and the schemas");
	if (options != NULL)
		tenant = *options;
	if (migration_options != NULL)
		migration = *migration_options;
	if (migration.version_table != NULL)
		table = migration.version_table;
	if (strchr(table, '.') != NULL)
		return postgresql_fail(
		    error, MIGC_EINVAL,
		    "Per schema the version table is "
		    "\"<schema>.<table>\"; give the table without a "
		    "schema.");
	memset(&first, 0, sizeof first);
	migc_text_init(&list, names, sizeof names);
	for (i = 0; i < count; i++) {
		const char *name = schemas[i] != NULL ? schemas[i] : "";
		char qualified[MIGC_TABLE_NAME_MAX + 2];
		migc_postgresql state;
		migc_driver driver;
		migc_error one;
		int rc;

		snprintf(qualified, sizeof qualified, "%s.%s", name, table);
		tenant.schema = schemas[i];
		migration.version_table = qualified;
		rc = migc_postgresql_driver_with(&driver, &state, connection,
						 &tenant, &one);
		if (rc == MIGC_OK)
			rc = migc_upgrade(set, &driver, target, &migration,
					  &one);
		if (each != NULL)
			each(name, rc, &one, payload);
		if (rc == MIGC_OK)
			continue;
		if (bad++ == 0) {
			first = one;
			first_rc = rc;
		}
		if (cut)
			continue;
		/* room for the name and for ", ..." after it */
		cut = list.length + strlen(qualified) + 8 >= sizeof names;
		migc_text_add(&list, bad > 1 ? ", " : "");
		migc_text_add(&list, cut ? "..." : name);
	}
	if (failed != NULL)
		*failed = bad;
	if (bad == 0) {
		if (error != NULL)
			memset(error, 0, sizeof *error);
		return MIGC_OK;
	}
	if (error != NULL) {
		*error = first;
		schemas_summary(error, bad, count, names, &first);
		error->code = first_rc;
	}
	return first_rc;
}
