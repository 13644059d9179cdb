/* sqlite.c: SQLite's side of autogenerate's dialect interface (dialect.h).
 * The two schemas live in in-memory databases, built by running the
 * revisions and the declared schema there; sqlite_catalog.c reads them,
 * sqlite_diff.c writes the SQL between them. No database file is opened. */
#include "sqlite.h"
#include "dialect.h"

#include <stdlib.h>
#include <string.h>

struct scratch {
	sqlite3 *db[2]; /* 0: the revisions, 1: the declared schema */
};

/* The schemas live in memory only: a revision's ATTACH of a file (the
 * application's database, say) would let the round trip's downgrade drop
 * its tables, so only in-memory and temporary databases attach here. */
static int refuse_files(void *payload, int action, const char *file,
			const char *unused1, const char *unused2,
			const char *unused3)
{
	(void)payload;
	(void)unused1;
	(void)unused2;
	(void)unused3;
	if (action == SQLITE_ATTACH && file && *file &&
	    strcmp(file, ":memory:") != 0)
		return SQLITE_DENY;
	return SQLITE_OK;
}

static int is_attach(const char *sql)
{
	static const char word[] = "attach";
	size_t i;
	while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r')
		sql++;
	for (i = 0; word[i]; i++)
		if ((sql[i] | 0x20) != word[i])
			return 0;
	return 1;
}

static void explain_attach(struct diagnostics *diag, struct location at,
			   const char *sql)
{
	if (is_attach(sql))
		diag_note(diag, at,
			  "verify, check and autogenerate build the schemas "
			  "in memory and never open a database file, so they "
			  "refuse ATTACH of a file (':memory:' is allowed)");
}

static int sqlite_open(struct scratch **out, const char *url,
		       struct diagnostics *diag)
{
	(void)url;
	(void)diag;
	*out = calloc(1, sizeof **out);
	if (!*out)
		abort();
	return 0;
}

static int sqlite_create(struct scratch *s, int which, struct diagnostics *diag)
{
	sqlite3 **db = &s->db[which];
	sqlite3_close(*db);
	*db = NULL;
	if (sqlite3_open_v2(":memory:", db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK ||
	    sqlite3_set_authorizer(*db, refuse_files, NULL) != SQLITE_OK) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at,
			   "cannot open an in-memory SQLite "
			   "database: %s",
			   *db ? sqlite3_errmsg(*db) : "out of memory");
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	return 0;
}

/* Runs one section of a revision; errors name the statement's line. */
static int sqlite_apply(struct scratch *s, int which, const struct revision *r,
			enum section_kind kind, struct diagnostics *diag)
{
	const struct section *section =
	    revision_section(r, kind, DIALECT_SQLITE);
	struct statements list = {0};
	size_t i;
	int result = 0;

	if (!section) {
		if (kind == SECTION_DOWNGRADE)
			return 0; /* nothing to undo, as an empty section */
		diag_error(diag, r->id.at,
			   "revision %s has no upgrade section for dialect "
			   "%s; add '-- migc:upgrade'",
			   r->id.text, dialect_name(DIALECT_SQLITE));
		return -1;
	}
	if (sql_split(&list, DIALECT_SQLITE, r, section, diag) != 0) {
		statements_free(&list);
		return -1;
	}
	for (i = 0; i < list.count && result == 0; i++) {
		char *message = NULL;
		if (sqlite3_exec(s->db[which], list.items[i].sql, NULL, NULL,
				 &message) != SQLITE_OK) {
			struct location at = {r->path, list.items[i].line, 1};
			diag_error(
			    diag, at, "revision %s: the %s fails in SQLite: %s",
			    r->id.text,
			    kind == SECTION_UPGRADE ? "upgrade" : "downgrade",
			    message ? message : sqlite3_errmsg(s->db[which]));
			explain_attach(diag, at, list.items[i].sql);
			result = -1;
		}
		sqlite3_free(message);
	}
	statements_free(&list);
	return result;
}

static int line_of(const char *text, const char *at)
{
	int line = 1;
	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return line;
}

/* Runs a script statement by statement so that an error names its line. */
static int run_statements(sqlite3 *db, const char *path, const char *text,
			  struct diagnostics *diag)
{
	const char *cursor = text;
	while (*cursor) {
		sqlite3_stmt *statement = NULL;
		const char *tail = NULL, *start = cursor;
		int rc;
		while (*start == ' ' || *start == '\t' || *start == '\n' ||
		       *start == '\r')
			start++;
		rc = sqlite3_prepare_v2(db, cursor, -1, &statement, &tail);
		if (rc == SQLITE_OK && statement) {
			while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
				;
			if (rc == SQLITE_DONE)
				rc = SQLITE_OK;
		}
		if (rc != SQLITE_OK) {
			struct location at = {path, line_of(text, start), 1};
			diag_error(diag, at, "SQLite: %s", sqlite3_errmsg(db));
			explain_attach(diag, at, start);
			sqlite3_finalize(statement);
			return -1;
		}
		sqlite3_finalize(statement);
		if (!tail || tail == cursor)
			break;
		cursor = tail;
	}
	return 0;
}

static int sqlite_run(struct scratch *s, int which, const char *path,
		      const char *text, const char *what, int generated,
		      struct diagnostics *diag)
{
	(void)what;
	if (run_statements(s->db[which], path, text, diag) == 0)
		return 0;
	if (!generated) {
		struct location at = {path, 0, 0};
		diag_note(diag, at,
			  "the declared schema must run in SQLite "
			  "as it is; fix it and try again");
	}
	return -1;
}

static int sqlite_read(struct scratch *s, int which, void *out, char **error)
{
	return catalog_read(out, s->db[which], error);
}

/* The schema as text: every object's type, name, table and SQL. Equal text
 * means an equal catalog, so most revisions are proven without reading the
 * catalog four times (which costs a schema parse per pragma). */
static char *sqlite_schema_text(struct scratch *s, int which)
{
	sqlite3_stmt *statement;
	char *text = NULL;
	if (sqlite3_prepare_v2(
		s->db[which],
		"SELECT group_concat(type || char(1) || name || char(1) || "
		"tbl_name || char(1) || coalesce(sql, ''), char(2)) FROM "
		"(SELECT * FROM sqlite_schema ORDER BY type, name)",
		-1, &statement, NULL) != SQLITE_OK)
		return NULL;
	if (sqlite3_step(statement) == SQLITE_ROW) {
		const char *value =
		    (const char *)sqlite3_column_text(statement, 0);
		text = strdup(value ? value : "");
	}
	sqlite3_finalize(statement);
	return text;
}

static int sqlite_close(struct scratch *s, struct diagnostics *diag)
{
	(void)diag;
	if (s) {
		sqlite3_close(s->db[0]);
		sqlite3_close(s->db[1]);
		free(s);
	}
	return 0;
}

const struct autogen_dialect autogen_sqlite = {
    .dialect = DIALECT_SQLITE,
    .open = sqlite_open,
    .create = sqlite_create,
    .apply = sqlite_apply,
    .run = sqlite_run,
    .catalog_size = sizeof(struct catalog),
    .read = sqlite_read,
    .compare = catalog_compare,
    .change_sql = diff_sql,
    .free_catalog = catalog_free,
    .schema_text = sqlite_schema_text,
    .close = sqlite_close};
