/* adopt.c: a database the other tool migrated, matched to an imported
 * revision through the tool's own version table, so that `stamp` takes it
 * over without running anything again. Each tool's table, as it writes it:
 *   alembic         alembic_version(version_num): the applied heads
 *   goose           goose_db_version(id, version_id, is_applied): a
 *                   version's newest row says whether it is applied
 *   golang-migrate  schema_migrations(version, dirty): one row
 *   dbmate          schema_migrations(version): one row per version
 *   diesel          __diesel_schema_migrations(version)
 *   sqlx            _sqlx_migrations(version, success)
 *   flyway          flyway_schema_history(installed_rank, version, type,
 *                   success)
 *   refinery        refinery_schema_history(version) */
#include "import.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#ifdef MIGC_GENERATOR_WITH_POSTGRESQL
#include <libpq-fe.h>
#endif

struct adopt_query {
	const char *tool;
	const char *applied; /* every applied version, one per row */
	const char *refusal; /* rows here refuse adoption (NULL: none) */
	const char *why;     /* what a refusal means and what to do */
};

static const struct adopt_query queries[] = {
    {"alembic", "SELECT version_num FROM alembic_version", NULL, NULL},
    {"goose",
     "SELECT version_id FROM goose_db_version AS g WHERE version_id <> 0 "
     "AND is_applied AND id = (SELECT max(id) FROM goose_db_version WHERE "
     "version_id = g.version_id)",
     NULL, NULL},
    {"golang-migrate", "SELECT version FROM schema_migrations",
     "SELECT version FROM schema_migrations WHERE dirty",
     "golang-migrate left the database dirty at this version: a migration "
     "failed partway; repair it and run `migrate force` first"},
    {"dbmate", "SELECT version FROM schema_migrations", NULL, NULL},
    {"diesel", "SELECT version FROM __diesel_schema_migrations", NULL, NULL},
    {"sqlx", "SELECT version FROM _sqlx_migrations WHERE success",
     "SELECT version FROM _sqlx_migrations WHERE NOT success",
     "sqlx recorded this migration as failed; repair it first"},
    {"flyway",
     "SELECT version FROM flyway_schema_history WHERE success AND version "
     "IS NOT NULL AND type IN ('SQL', 'BASELINE')",
     "SELECT version FROM flyway_schema_history WHERE NOT success",
     "Flyway recorded this migration as failed; run `flyway repair` "
     "first"},
    {"refinery", "SELECT version FROM refinery_schema_history", NULL, NULL},
};

/* The first column of every row of `sql`, as text, into `rows`. */
static int rows_sqlite(sqlite3 *db, const char *sql, struct buffer *rows,
		       size_t *count, struct diagnostics *diag,
		       const char *url)
{
	sqlite3_stmt *statement;
	struct location at = {url, 0, 0};
	int rc;

	*count = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
		diag_error(diag, at,
			   "cannot read the tool's version table: %s; is this "
			   "the database that tool migrated?",
			   sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		const unsigned char *text = sqlite3_column_text(statement, 0);

		buffer_puts(rows, text ? (const char *)text : "");
		buffer_put(rows, "", 1);
		(*count)++;
	}
	sqlite3_finalize(statement);
	if (rc != SQLITE_DONE) {
		diag_error(diag, at, "reading the tool's version table: %s",
			   sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

#ifdef MIGC_GENERATOR_WITH_POSTGRESQL
static int rows_postgresql(PGconn *db, const char *sql, struct buffer *rows,
			   size_t *count, struct diagnostics *diag,
			   const char *url)
{
	struct location at = {"the PostgreSQL database", 0, 0};
	PGresult *result = PQexec(db, sql);
	int i;

	(void)url;
	*count = 0;
	if (PQresultStatus(result) != PGRES_TUPLES_OK) {
		diag_error(diag, at,
			   "cannot read the tool's version table: %s",
			   PQresultErrorMessage(result));
		PQclear(result);
		return -1;
	}
	for (i = 0; i < PQntuples(result); i++) {
		buffer_puts(rows, PQgetvalue(result, i, 0));
		buffer_put(rows, "", 1);
		(*count)++;
	}
	PQclear(result);
	return 0;
}
#endif

/* Runs one query against the database at `url`. */
static int rows_of(const char *url, const char *sql, struct buffer *rows,
		   size_t *count, struct diagnostics *diag)
{
	struct location at = {url, 0, 0};
	int result;

	if (strncmp(url, "sqlite:///", 10) == 0) {
		sqlite3 *db;
		int rc = sqlite3_open_v2(url + 10, &db, SQLITE_OPEN_READONLY,
					 NULL);

		if (rc == SQLITE_OK)
			result = rows_sqlite(db, sql, rows, count, diag, url);
		else
			diag_error(diag, at, "cannot open the database: %s",
				   sqlite3_errmsg(db));
		sqlite3_close(db);
		return rc == SQLITE_OK ? result : -1;
	}
#ifdef MIGC_GENERATOR_WITH_POSTGRESQL
	if (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0) {
		PGconn *db = PQconnectdb(url);
		struct location pg = {"the PostgreSQL database", 0, 0};

		result = -1;
		if (PQstatus(db) == CONNECTION_OK)
			result = rows_postgresql(db, sql, rows, count, diag,
						 url);
		else
			diag_error(diag, pg, "cannot connect: %s",
				   PQerrorMessage(db));
		PQfinish(db);
		return result;
	}
#endif
	diag_error(diag, at,
		   "adopt reads sqlite:///PATH%s URLs; give the database "
		   "that way",
#ifdef MIGC_GENERATOR_WITH_POSTGRESQL
		   " and postgresql://"
#else
		   ""
#endif
	);
	return -1;
}

/* The index of the revision whose version is `version`, compared as the
 * tools order versions (import_version_compare). */
static long index_of(const struct import_set *set, const char *version)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (import_version_compare(set->items[i].version, version) == 0)
			return (long)i;
	return -1;
}

int import_adopt(char **out, const struct import_set *set,
		 const struct import_request *r, const char *url)
{
	const struct adopt_query *q = NULL;
	struct buffer rows = {0};
	struct location at = {url, 0, 0};
	size_t count = 0, i, found = 0;
	long newest = -1;
	const char *row;
	char *seen;

	*out = NULL;
	for (i = 0; i < sizeof queries / sizeof queries[0]; i++)
		if (strcmp(queries[i].tool, r->tool) == 0)
			q = &queries[i];
	if (q == NULL)
		return -1;
	if (q->refusal != NULL) {
		if (rows_of(url, q->refusal, &rows, &count, set->diag) != 0)
			return -1;
		if (count > 0) {
			diag_error(set->diag, at, "version %s: %s", rows.data,
				   q->why);
			free(rows.data);
			return -1;
		}
	}
	if (rows_of(url, q->applied, &rows, &count, set->diag) != 0) {
		free(rows.data);
		return -1;
	}
	seen = calloc(set->count + 1, 1);
	if (seen == NULL)
		abort();
	for (i = 0, row = rows.data; i < count; i++, row += strlen(row) + 1) {
		long at_index = index_of(set, row);

		if (at_index < 0) {
			diag_error(set->diag, at,
				   "the database records version %s, which "
				   "none of the imported migrations has; "
				   "import the migrations it was migrated with",
				   row);
			free(seen), free(rows.data);
			return -1;
		}
		seen[at_index] = 1;
		if (at_index > newest)
			newest = at_index;
	}
	/* One row (golang-migrate, Alembic's heads) names a point; the
	 * others record each version, which must be a prefix of the chain. */
	for (i = 0; strcmp(r->tool, "golang-migrate") != 0 &&
		    strcmp(r->tool, "alembic") != 0 && newest >= 0 &&
		    i < (size_t)newest;
	     i++)
		if (!seen[i]) {
			diag_error(set->diag, at,
				   "version %s is applied but the earlier %s "
				   "is not (applied out of order); apply it "
				   "with the tool first, since migc's chain "
				   "cannot stand between them",
				   set->items[newest].version,
				   set->items[i].version);
			free(seen), free(rows.data);
			return -1;
		}
	{
		struct buffer ids = {0};

		if (strcmp(r->tool, "alembic") == 0) {
			for (i = 0, row = rows.data; i < count;
			     i++, row += strlen(row) + 1)
				buffer_printf(&ids, "%s%s", i ? " " : "", row);
			found = count;
		} else if (newest >= 0) {
			buffer_puts(&ids, set->items[newest].id);
			found = 1;
		}
		if (found == 0)
			buffer_puts(&ids, "base");
		*out = ids.data;
	}
	free(seen), free(rows.data);
	return 0;
}
