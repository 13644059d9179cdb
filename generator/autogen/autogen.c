/* autogen.c: `revision --autogenerate`, `check` and the build-time round
 * trip. Each builds schemas in in-memory SQLite databases (the revisions up
 * to head, the declared schema.sql), reads them with catalog.c and compares
 * them or asks diff.c for the SQL between them. */
#include "autogen.h"
#include "postgresql.h"
#include "template.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char head_label[] = "head";
static const char declared_label[] = "the declared schema";

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

static int open_memory(sqlite3 **db, struct diagnostics *diag)
{
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

static int sqlite_only(enum dialect dialect, const char *what,
		       struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	if (dialect == DIALECT_SQLITE)
		return 0;
	diag_error(diag, at,
		   "%s compares schemas in SQLite only for now; the "
		   "PostgreSQL comparison (pg_catalog, scratch database) is "
		   "not built yet",
		   what);
	return -1;
}

/* Runs one section of a revision; errors name the statement's line. */
static int apply_section(sqlite3 *db, const struct revision *r,
			 enum section_kind kind, enum dialect dialect,
			 struct diagnostics *diag)
{
	const struct section *s = revision_section(r, kind, dialect);
	struct statements list = {0};
	size_t i;
	int result = 0;

	if (!s) {
		if (kind == SECTION_DOWNGRADE)
			return 0; /* nothing to undo, as an empty section */
		diag_error(diag, r->id.at,
			   "revision %s has no upgrade section for dialect "
			   "%s; add '-- migc:upgrade'",
			   r->id.text, dialect_name(dialect));
		return -1;
	}
	if (sql_split(&list, dialect, r, s, diag) != 0) {
		statements_free(&list);
		return -1;
	}
	for (i = 0; i < list.count && result == 0; i++) {
		char *message = NULL;
		if (sqlite3_exec(db, list.items[i].sql, NULL, NULL, &message) !=
		    SQLITE_OK) {
			struct location at = {r->path, list.items[i].line, 1};
			diag_error(
			    diag, at, "revision %s: the %s fails in SQLite: %s",
			    r->id.text,
			    kind == SECTION_UPGRADE ? "upgrade" : "downgrade",
			    message ? message : sqlite3_errmsg(db));
			explain_attach(diag, at, list.items[i].sql);
			result = -1;
		}
		sqlite3_free(message);
	}
	statements_free(&list);
	return result;
}

/* The upgrades of order[0 .. count) applied to a new database. */
static int build_schema(sqlite3 **db, const struct graph *g, size_t count,
			enum dialect dialect, struct diagnostics *diag)
{
	size_t i;
	if (open_memory(db, diag) != 0)
		return -1;
	for (i = 0; i < count; i++)
		if (apply_section(*db, &g->revisions[g->order[i]],
				  SECTION_UPGRADE, dialect, diag) != 0) {
			sqlite3_close(*db);
			*db = NULL;
			return -1;
		}
	return 0;
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
static int run_script(sqlite3 *db, const char *path, const char *text,
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

static int build_declared(sqlite3 **db, const char *path,
			  struct diagnostics *diag)
{
	char *text = file_read(path, NULL);
	int result;
	if (!text) {
		struct location at = {path, 0, 0};
		diag_error(diag, at, "cannot read the declared schema: %s",
			   strerror(errno));
		return -1;
	}
	result = open_memory(db, diag);
	if (result == 0 && run_script(*db, path, text, diag) != 0) {
		struct location at = {path, 0, 0};
		diag_note(diag, at,
			  "the declared schema must run in SQLite "
			  "as it is; fix it and try again");
		sqlite3_close(*db);
		*db = NULL;
		result = -1;
	}
	free(text);
	return result;
}

static int snapshot(sqlite3 *db, struct catalog *out, const char *what,
		    struct diagnostics *diag)
{
	char *error = NULL;
	if (catalog_read(out, db, &error) != 0) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at, "%s: %s", what, error);
		free(error);
		return -1;
	}
	return 0;
}

/* The schema at the single head and the declared one, as catalogs. */
static int both_schemas(const struct graph *g, const struct project *p,
			struct catalog *head, struct catalog *declared,
			sqlite3 **head_db, struct diagnostics *diag)
{
	struct location at = {p->path, 0, 0};
	enum dialect dialect = DIALECT_SQLITE;
	sqlite3 *declared_db = NULL;
	int result;

	*head_db = NULL;
	if (p->dialect &&
	    (dialect_parse(p->dialect, strlen(p->dialect), &dialect) != 0 ||
	     dialect == DIALECT_GENERIC)) {
		diag_error(diag, at, "dialect must be sqlite or postgresql");
		return -1;
	}
	if (sqlite_only(dialect, "autogenerate", diag) != 0)
		return -1;
	if (!p->schema) {
		diag_error(diag, at,
			   "no declared schema to compare with; set "
			   "'schema = schema.sql' in the [migc] "
			   "section of migc.ini");
		return -1;
	}
	if (g->head_count > 1) {
		diag_error(diag, at,
			   "the revisions have %zu heads; autogenerate "
			   "compares one head with the declared schema: run "
			   "'migc merge heads' first",
			   g->head_count);
		return -1;
	}
	if (build_schema(head_db, g, g->count, DIALECT_SQLITE, diag) != 0)
		return -1;
	if (build_declared(&declared_db, p->schema, diag) != 0) {
		sqlite3_close(*head_db);
		*head_db = NULL;
		return -1;
	}
	result = snapshot(*head_db, head, "the schema at head", diag);
	if (result == 0 &&
	    snapshot(declared_db, declared, "the declared schema", diag) != 0) {
		catalog_free(head);
		result = -1;
	}
	sqlite3_close(declared_db);
	if (result != 0) {
		sqlite3_close(*head_db);
		*head_db = NULL;
	}
	return result;
}

static void join_differences(char *out, size_t size,
			     const struct string_list *lines)
{
	size_t i, used = 0;
	out[0] = '\0';
	for (i = 0; i < lines->count && used + 8 < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? "; " : "",
				 lines->items[i]);
		if (n < 0 || (size_t)n >= size - used) {
			memcpy(out + size - 5, "...", 4);
			break;
		}
		used += (size_t)n;
	}
}

/* Runs the revision's script (what diff.c wrote) on the head database and
 * compares: the upgrade must reach the declared schema, the downgrade must
 * come back. A failure here is a bug in migc, so nothing is written. */
static int prove(sqlite3 *db, const struct catalog *head,
		 const struct catalog *declared, const char *upgrade,
		 const char *downgrade, struct diagnostics *diag)
{
	struct location at = {"<autogenerate>", 0, 0};
	const char *scripts[2];
	const struct catalog *goals[2];
	const char *names[2] = {"upgrade", "downgrade"};
	size_t i;
	scripts[0] = upgrade;
	scripts[1] = downgrade;
	goals[0] = declared;
	goals[1] = head;
	for (i = 0; i < 2; i++) {
		struct catalog reached;
		struct string_list lines = {0};
		char joined[1500];
		if (run_script(db, names[i], scripts[i], diag) != 0 ||
		    snapshot(db, &reached, names[i], diag) != 0) {
			diag_error(diag, at,
				   "the generated %s does not run; nothing was "
				   "written (this is a bug in migc: please "
				   "report it with the schema)",
				   names[i]);
			return -1;
		}
		if (catalog_compare(goals[i], &reached,
				    i == 0 ? declared_label : head_label,
				    "the generated revision", &lines) != 0) {
			join_differences(joined, sizeof joined, &lines);
			diag_error(diag, at,
				   "the generated %s does not reach %s: %s; "
				   "nothing was written (this is a bug in "
				   "migc: please report it with the schema)",
				   names[i],
				   i == 0 ? declared_label : head_label,
				   joined);
			string_list_free(&lines);
			catalog_free(&reached);
			return -1;
		}
		string_list_free(&lines);
		catalog_free(&reached);
	}
	return 0;
}

/* Whether the project's dialect is postgresql (pgautogen.c does it). */
static int is_postgresql(const struct project *p)
{
	enum dialect dialect = DIALECT_SQLITE;
	return p->dialect &&
	       dialect_parse(p->dialect, strlen(p->dialect), &dialect) == 0 &&
	       dialect == DIALECT_POSTGRESQL;
}

int autogen_revision(const struct graph *g, const struct project *p,
		     const char *message, const char *rev_id, char **path,
		     struct diagnostics *diag)
{
	struct catalog head, declared;
	struct revision_request request;
	struct revision_body body;
	sqlite3 *db = NULL;
	char *upgrade = NULL, *downgrade = NULL;
	int result = -1;

	*path = NULL;
	if (is_postgresql(p))
		return pgautogen_revision(g, p, message, rev_id, path, diag);
	if (both_schemas(g, p, &head, &declared, &db, diag) != 0)
		return -1;
	if (catalog_compare(&declared, &head, declared_label, head_label,
			    NULL) == 0) {
		result = 1;
		goto done;
	}
	upgrade = diff_sql(&head, &declared);
	downgrade = diff_sql(&declared, &head);
	if (prove(db, &head, &declared, upgrade, downgrade, diag) != 0)
		goto done;
	request.versions = p->versions;
	request.rev_id = rev_id;
	request.parents =
	    g->head_count ? g->revisions[g->heads[0]].id.text : "none";
	request.message = message ? message : "";
	request.branch_labels = "";
	request.depends_on = "";
	body.template_path = p->template_path;
	body.upgrade = upgrade;
	body.downgrade = downgrade;
	if (revision_create_filled(&request, &body, path, diag) == 0)
		result = 0;
done:
	free(upgrade);
	free(downgrade);
	catalog_free(&head);
	catalog_free(&declared);
	sqlite3_close(db);
	return result;
}

int autogen_check(const struct graph *g, const struct project *p, FILE *out,
		  struct diagnostics *diag)
{
	struct catalog head, declared;
	struct string_list lines = {0};
	sqlite3 *db = NULL;
	size_t i;

	if (is_postgresql(p))
		return pgautogen_check(g, p, out, diag);
	if (both_schemas(g, p, &head, &declared, &db, diag) != 0)
		return -1;
	catalog_compare(&declared, &head, declared_label, head_label, &lines);
	for (i = 0; i < lines.count; i++)
		fprintf(out, "%s\n", lines.items[i]);
	i = lines.count;
	string_list_free(&lines);
	catalog_free(&head);
	catalog_free(&declared);
	sqlite3_close(db);
	return i ? 1 : 0;
}

/* ---- the round trip ---- */

static struct location downgrade_at(const struct revision *r)
{
	const struct section *s =
	    revision_section(r, SECTION_DOWNGRADE, DIALECT_SQLITE);
	return s ? s->at : r->id.at;
}

/* One revision: upgrade, downgrade, compare, upgrade again. Returns 0,
 * 1 when the revision is broken (reported; `db` must be rebuilt), -1 when
 * the run cannot go on. */
/* The schema as text: every object's type, name, table and SQL. Equal text
 * means an equal catalog, so most revisions are proven without reading the
 * catalog four times (which costs a schema parse per pragma). */
static char *schema_text(sqlite3 *db)
{
	sqlite3_stmt *statement;
	char *text = NULL;
	if (sqlite3_prepare_v2(
		db,
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

static int same_text(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Upgrade, downgrade, upgrade again, comparing the schema text. Returns 0
 * when that proves the round trip, 1 when it does not (the full comparison
 * then decides, from a rebuilt state), -1 on error. */
static int quick_round_trip(sqlite3 *db, const struct revision *r)
{
	struct diagnostics quiet = {0};
	char *before = schema_text(db), *after = NULL, *restored = NULL,
	     *again = NULL;
	int result = 1;

	if (before &&
	    apply_section(db, r, SECTION_UPGRADE, DIALECT_SQLITE, &quiet) == 0 &&
	    (after = schema_text(db)) != NULL &&
	    apply_section(db, r, SECTION_DOWNGRADE, DIALECT_SQLITE, &quiet) ==
		    0 &&
	    (restored = schema_text(db)) != NULL &&
	    same_text(before, restored) &&
	    apply_section(db, r, SECTION_UPGRADE, DIALECT_SQLITE, &quiet) == 0 &&
	    (again = schema_text(db)) != NULL && same_text(after, again))
		result = 0;
	diag_free(&quiet);
	free(before);
	free(after);
	free(restored);
	free(again);
	return result;
}

static int round_trip(sqlite3 *db, const struct revision *r,
		      struct diagnostics *diag)
{
	struct catalog before, after, restored, again;
	struct string_list lines = {0};
	char joined[1500];
	int result = 0;

	if (snapshot(db, &before, r->path, diag) != 0)
		return -1;
	if (apply_section(db, r, SECTION_UPGRADE, DIALECT_SQLITE, diag) != 0) {
		catalog_free(&before);
		return -1;
	}
	if (snapshot(db, &after, r->path, diag) != 0) {
		catalog_free(&before);
		return -1;
	}
	if (apply_section(db, r, SECTION_DOWNGRADE, DIALECT_SQLITE, diag) !=
	    0) {
		result = 1;
	} else if (snapshot(db, &restored, r->path, diag) != 0) {
		result = -1;
	} else {
		int have_again = 0;
		if (catalog_compare(&before, &restored,
				    "the schema before the "
				    "upgrade",
				    "the schema after the downgrade",
				    &lines) != 0) {
			join_differences(joined, sizeof joined, &lines);
			diag_error(diag, downgrade_at(r),
				   "revision %s (%s): the downgrade does not "
				   "restore the schema: %s; make the "
				   "downgrade undo exactly what the upgrade "
				   "does",
				   r->id.text, r->file_name, joined);
			result = 1;
		} else if (apply_section(db, r, SECTION_UPGRADE, DIALECT_SQLITE,
					 diag) != 0) {
			diag_note(diag, downgrade_at(r),
				  "revision %s (%s): the upgrade fails after "
				  "the downgrade; the downgrade leaves "
				  "something behind",
				  r->id.text, r->file_name);
			result = 1;
		} else if (snapshot(db, &again, r->path, diag) != 0) {
			result = -1;
		} else {
			have_again = 1;
			string_list_free(&lines);
			if (catalog_compare(&after, &again, "the first upgrade",
					    "the upgrade after the downgrade",
					    &lines) != 0) {
				join_differences(joined, sizeof joined, &lines);
				diag_error(diag, downgrade_at(r),
					   "revision %s (%s): upgrading "
					   "again after the downgrade gives "
					   "another schema: %s",
					   r->id.text, r->file_name, joined);
				result = 1;
			}
		}
		if (have_again)
			catalog_free(&again);
		catalog_free(&restored);
	}
	string_list_free(&lines);
	catalog_free(&before);
	catalog_free(&after);
	return result;
}

int autogen_verify(const struct graph *g, enum dialect dialect,
		   struct diagnostics *diag)
{
	return autogen_verify_url(g, dialect, NULL, diag);
}

int autogen_verify_url(const struct graph *g, enum dialect dialect,
		       const char *url, struct diagnostics *diag)
{
	sqlite3 *db = NULL;
	size_t i;
	int failed = 0;

	if (dialect == DIALECT_POSTGRESQL)
		return pgautogen_verify(
		    g, url ? url : getenv("MIGC_DATABASE_URL"), diag);
	if (sqlite_only(dialect, "the round trip", diag) != 0)
		return -1;
	if (open_memory(&db, diag) != 0)
		return -1;
	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];
		int status = quick_round_trip(db, r);
		if (status == 0)
			continue;
		/* Not proven by text: back to the state before this revision
		 * and compare catalogs, which also explains a difference. */
		sqlite3_close(db);
		if (build_schema(&db, g, i, DIALECT_SQLITE, diag) != 0)
			return -1;
		status = round_trip(db, r, diag);
		if (status < 0) {
			sqlite3_close(db);
			return -1;
		}
		if (status > 0) {
			/* Go on from a clean state: every upgrade up to
			 * this one, none undone. */
			failed = 1;
			sqlite3_close(db);
			if (build_schema(&db, g, i + 1, DIALECT_SQLITE, diag) !=
			    0)
				return -1;
		}
	}
	sqlite3_close(db);
	return failed ? -1 : 0;
}
