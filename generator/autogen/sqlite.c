/* sqlite.c: SQLite's side of autogenerate's dialect interface (dialect.h).
 * The two schemas live in in-memory databases, built by running the
 * revisions and the declared schema there; sqlite_catalog.c reads them,
 * sqlite_diff.c writes the SQL between them. No database file is opened. */
#include "sqlite.h"
#include "dialect.h"
#include "sqlite_parts.h"

#include <stdlib.h>
#include <string.h>

/* What the statements run while recording touched in the main schema
 * (the authorizer names each object it creates, drops or alters), and
 * whether one did something whose reach that does not tell. */
struct recorder {
	int on;
	int dropped_or_altered_only; /* objects that were there before */
	int unknown;
	struct string_list names; /* lower case */
};

struct scratch {
	sqlite3 *db[2]; /* 0: the revisions, 1: the declared schema */
	struct recorder seen;
	struct parts *parts; /* verify's schema in parts; NULL until used */
	/* A statement run set what a new connection lacks (PRAGMA, TEMP,
	 * ATTACH): the next section runs on a new connection. */
	int dirty[2];
};

static char *lower_copy(const char *name)
{
	char *out = text_dup(name), *p;
	for (p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return out;
}

static void record(struct recorder *seen, int action, const char *object,
		   const char *detail, const char *database)
{
	const char *name = NULL;
	switch (action) {
	case SQLITE_CREATE_INDEX:
	case SQLITE_CREATE_TABLE:
	case SQLITE_CREATE_TRIGGER:
	case SQLITE_CREATE_VIEW:
		if (!seen->dropped_or_altered_only &&
		    (!database || strcmp(database, "main") == 0))
			name = object;
		break;
	case SQLITE_DROP_INDEX:
	case SQLITE_DROP_TABLE:
	case SQLITE_DROP_TRIGGER:
	case SQLITE_DROP_VIEW:
		if (!database || strcmp(database, "main") == 0)
			name = object;
		break;
	case SQLITE_ALTER_TABLE: /* object: the database, detail: the table */
		if (object && strcmp(object, "main") == 0)
			name = detail;
		break;
	case SQLITE_CREATE_VTABLE: /* shadow tables come and go with it */
	case SQLITE_DROP_VTABLE:
		seen->unknown = 1;
		break;
	case SQLITE_PRAGMA:
		if (object && sqlite3_stricmp(object, "writable_schema") == 0)
			seen->unknown = 1;
		break;
	case SQLITE_ATTACH: /* '': VACUUM, which may renumber the schema */
		if (object && !*object)
			seen->unknown = 1;
		break;
	default:
		break;
	}
	if (name)
		string_list_add(&seen->names, lower_copy(name));
}

/* The schemas live in memory only: a revision's ATTACH of a file (the
 * application's database, say) would let the round trip's downgrade drop
 * its tables, so only in-memory and temporary databases attach here.
 * While recording, it also notes what each statement touches. */
static int authorize(void *payload, int action, const char *object,
		     const char *detail, const char *database,
		     const char *trigger)
{
	struct scratch *s = payload;
	(void)trigger;
	if (action == SQLITE_ATTACH && object && *object &&
	    strcmp(object, ":memory:") != 0)
		return SQLITE_DENY;
	if (s->seen.on)
		record(&s->seen, action, object, detail, database);
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

/* A new schema `which`, holding `image` (NULL: empty). */
static int open_schema(struct scratch *s, int which, const unsigned char *image,
		       sqlite3_int64 size, struct diagnostics *diag)
{
	sqlite3 **db = &s->db[which];
	int rc;
	sqlite3_close(*db);
	*db = NULL;
	s->dirty[which] = 0;
	rc = sqlite3_open_v2(":memory:", db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK && image && parts_load(*db, image, size, diag)) {
		sqlite3_close(*db);
		*db = NULL;
		return -1;
	}
	if (rc != SQLITE_OK ||
	    sqlite3_set_authorizer(*db, authorize, s) != SQLITE_OK) {
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

static int sqlite_create(struct scratch *s, int which, struct diagnostics *diag)
{
	return open_schema(s, which, NULL, 0, diag);
}

/* Whether `sql` sets what only this connection has, which a later boot's
 * connection would not: PRAGMA (legacy_alter_table, foreign_keys...),
 * ATTACH, a TEMP object. */
static int sets_connection_state(const char *sql)
{
	struct sql_head w;
	sql_head(&w, DIALECT_SQLITE, sql);
	return w.count > 0 &&
	       (strcmp(w.word[0], "PRAGMA") == 0 ||
		strcmp(w.word[0], "ATTACH") == 0 ||
		(strcmp(w.word[0], "CREATE") == 0 && w.count > 1 &&
		 (strcmp(w.word[1], "TEMP") == 0 ||
		  strcmp(w.word[1], "TEMPORARY") == 0)));
}

/* Runs `sql` (one statement) to the end. On an error SQLite places in
 * the text, *offset is its byte in `sql`, else -1. */
static int run_one(sqlite3 *db, const char *sql, int *offset)
{
	const char *cursor = sql;
	*offset = -1;
	while (*cursor) {
		sqlite3_stmt *statement = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(db, cursor, -1, &statement, &tail);
		if (rc != SQLITE_OK) {
#if SQLITE_VERSION_NUMBER >= 3038000
			int at = sqlite3_error_offset(db);
			if (at >= 0)
				*offset = (int)(cursor - sql) + at;
#endif
			return rc;
		}
		if (!statement)
			break; /* only blanks or comments are left */
		while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
			;
		sqlite3_finalize(statement);
		if (rc != SQLITE_DONE)
			return rc;
		cursor = tail;
	}
	return SQLITE_OK;
}

/* Where byte `offset` of statement `st` (-1: its start) is in r's file:
 * the statement's first line is found on its line there, and the lines
 * after it are the file's as they are. */
static struct location statement_at(const struct revision *r,
				    const struct statement *st, int offset)
{
	struct location at = {r->path, st->line, 1};
	const char *line = r->text, *end = r->text + r->length, *next;
	size_t first = strcspn(st->sql, "\n");
	int n, k, newline = -1;
	for (n = 1; n < st->line && line < end; line++)
		if (*line == '\n')
			n++;
	next = memchr(line, '\n', (size_t)(end - line));
	if (!next)
		next = end;
	for (k = 0; line + k + first <= next; k++)
		if (strncmp(line + k, st->sql, first) == 0) {
			at.column = k + 1;
			break;
		}
	if (offset < 0)
		return at;
	for (k = 0; k < offset && st->sql[k]; k++)
		if (st->sql[k] == '\n') {
			at.line++;
			newline = k;
		}
	at.column = newline < 0 ? at.column + offset : offset - newline;
	return at;
}

/* Runs one section of a revision; an error names the place in the
 * statement's own text where SQLite found it, else its start. */
static int sqlite_apply(struct scratch *s, int which, const struct revision *r,
			enum section_kind kind, struct diagnostics *diag)
{
	struct section_run run;
	int result = section_run_open(&run, r, kind, DIALECT_SQLITE, diag);
	size_t i;
	for (i = 0; i < run.list.count && result == 0; i++) {
		const struct statement *st = &run.list.items[i];
		int offset;
		if (sets_connection_state(st->sql))
			s->dirty[which] = 1;
		if (run_one(s->db[which], st->sql, &offset) != SQLITE_OK) {
			struct location at = statement_at(r, st, offset);
			diag_error(diag, at, "%s fails in SQLite: %s", run.what,
				   sqlite3_errmsg(s->db[which]));
			explain_attach(diag, at, st->sql);
			result = -1;
		}
	}
	section_run_free(&run);
	return result;
}

/* Schema `which` on a new connection when a statement set what a new
 * one lacks, so that nothing the revisions set leaks into what runs
 * next: each section runs as a later boot would run it. */
static int sqlite_refresh(struct scratch *s, int which,
			  struct diagnostics *diag)
{
	sqlite3_int64 size = 0;
	unsigned char *image;
	int result;
	if (!s->dirty[which])
		return 0;
	image = sqlite3_serialize(s->db[which], "main", &size, 0);
	result = open_schema(s, which, image, size, diag);
	sqlite3_free(image);
	return result;
}

/* sqlite_apply on a connection with nothing set before (sqlite_refresh). */
static int fresh_apply(struct scratch *s, int which, const struct revision *r,
		       enum section_kind kind, struct diagnostics *diag)
{
	if (sqlite_refresh(s, which, diag) != 0)
		return -1;
	return sqlite_apply(s, which, r, kind, diag);
}

static int line_of(const char *text, const char *at)
{
	int line = 1;
	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return line;
}

/* Whether `sql` creates a table SQLite makes itself (sqlite_sequence for
 * AUTOINCREMENT, sqlite_stat1 by ANALYZE): `sqlite3 db .schema` prints
 * them, and SQLite refuses to create them. */
static int creates_internal_table(const char *sql)
{
	struct sql_head head;
	size_t name = 2;

	sql_head(&head, DIALECT_SQLITE, sql);
	if (head.count < 3 || strcmp(head.word[0], "CREATE") != 0 ||
	    strcmp(head.word[1], "TABLE") != 0)
		return 0;
	if (strcmp(head.word[2], "IF") == 0)
		name = 5; /* IF NOT EXISTS */
	return name < head.count &&
	       (strcmp(head.word[name], "SQLITE_SEQUENCE") == 0 ||
		strncmp(head.word[name], "SQLITE_STAT", 11) == 0);
}

/* Past the first semicolon from `sql` (a statement without BEGIN ... END). */
static const char *past_semicolon(const char *sql)
{
	struct sql_token t;

	memset(&t, 0, sizeof t);
	for (t.start = sql;; t.start = t.end) {
		sql_token_next(&t, DIALECT_SQLITE, sql);
		if (t.kind == SQL_TOKEN_END || t.kind == SQL_TOKEN_UNTERMINATED)
			return t.start;
		if (t.kind == SQL_TOKEN_SEMICOLON)
			return t.end;
	}
}

/* Runs a script statement by statement so that an error names its line;
 * in the declared schema (`declared`), SQLite's own tables are skipped. */
static int run_statements(sqlite3 *db, const char *path, const char *text,
			  int declared, struct diagnostics *diag)
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
		if (rc != SQLITE_OK && declared && creates_internal_table(start)) {
			cursor = past_semicolon(start);
			continue;
		}
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
	if (run_statements(s->db[which], path, text, !generated, diag) == 0)
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

/* ---- proving a round trip quickly ---- */

/* The schema as text: every object's type, name, table and SQL. Equal text
 * means an equal catalog, so a revision is proven without reading the
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
		text = text_dup(value ? value : "");
	}
	sqlite3_finalize(statement);
	return text;
}

static int proven_same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Upgrade, downgrade, upgrade again, comparing the whole schema's text:
 * for what the quicker proof cannot follow. 0 proven, 1 not. */
static int prove_by_whole_text(struct scratch *s, int which,
			       const struct revision *r)
{
	struct diagnostics quiet = {0};
	char *before = schema_text(s->db[which]), *after = NULL,
	     *restored = NULL, *again = NULL;
	int result = 1;

	if (before && fresh_apply(s, which, r, SECTION_UPGRADE, &quiet) == 0 &&
	    (after = schema_text(s->db[which])) != NULL &&
	    fresh_apply(s, which, r, SECTION_DOWNGRADE, &quiet) == 0 &&
	    (restored = schema_text(s->db[which])) != NULL &&
	    proven_same(before, restored) &&
	    fresh_apply(s, which, r, SECTION_UPGRADE, &quiet) == 0 &&
	    (again = schema_text(s->db[which])) != NULL &&
	    proven_same(after, again))
		result = 0;
	diag_free(&quiet);
	free(before);
	free(after);
	free(restored);
	free(again);
	return result;
}

/* A statement whose reach in sqlite_schema the authorizer does not tell:
 * a rename rewrites other objects' SQL, VACUUM may renumber the rows, a
 * virtual table brings shadow tables, writable_schema writes anything. */
static int reaches_unseen(const char *sql)
{
	struct sql_head w;
	size_t i;
	sql_head(&w, DIALECT_SQLITE, sql);
	if (w.count == 0)
		return 0;
	if (strcmp(w.word[0], "VACUUM") == 0)
		return 1;
	for (i = 1; i < w.count; i++)
		if ((strcmp(w.word[0], "ALTER") == 0 &&
		     strcmp(w.word[i], "RENAME") == 0) ||
		    (strcmp(w.word[0], "CREATE") == 0 &&
		     strcmp(w.word[i], "VIRTUAL") == 0) ||
		    (strcmp(w.word[0], "PRAGMA") == 0 &&
		     strcmp(w.word[i], "WRITABLE_SCHEMA") == 0))
			return 1;
	return 0;
}

/* Whether a section holds such a statement; its statements into `out`
 * when `out` is not NULL. -1 when it does not split. */
static int section_reaches_unseen(const struct revision *r,
				  enum section_kind kind,
				  struct statements *out)
{
	const struct section *section =
	    revision_section(r, kind, DIALECT_SQLITE);
	struct diagnostics quiet = {0};
	struct statements list = {0};
	size_t i;
	int result = 0;
	if (!section)
		return 0;
	if (sql_split(&list, DIALECT_SQLITE, r, section, &quiet) != 0)
		result = -1;
	for (i = 0; i < list.count && result == 0; i++)
		if (reaches_unseen(list.items[i].sql))
			result = 1;
	diag_free(&quiet);
	if (out && result == 0)
		*out = list;
	else
		statements_free(&list);
	return result;
}

/* One proof: the rows of sqlite_schema above `floor` (rowid), which the
 * revision added, and those it names that were there before (`old`,
 * with their tables' indexes and triggers). Every other row the
 * revision cannot change. */
struct proof {
	sqlite3 *db;
	sqlite3_int64 floor;
	struct string_list old;
	struct string_list added; /* names seen above the floor */
};

static int read_floor(struct proof *p)
{
	sqlite3_stmt *statement;
	int rc;
	if (sqlite3_prepare_v2(p->db,
			       "SELECT max(rowid) FROM main.sqlite_schema", -1,
			       &statement, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(statement);
	p->floor = rc == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : 0;
	sqlite3_finalize(statement);
	return rc == SQLITE_ROW ? 0 : -1;
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the rows `sql` selects (type, name, tbl_name, sql), bound to
 * the floor and `name`, as lines; names above the floor into added. */
static int read_rows(struct proof *p, const char *sql, const char *name,
		     struct string_list *out)
{
	sqlite3_stmt *statement;
	int rc;
	if (sqlite3_prepare_v2(p->db, sql, -1, &statement, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(statement, 1, p->floor);
	if (name)
		sqlite3_bind_text(statement, 2, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
		const char *text[4];
		int k;
		for (k = 0; k < 4; k++) {
			text[k] =
			    (const char *)sqlite3_column_text(statement, k);
			if (!text[k])
				text[k] = "";
		}
		string_list_add(out,
				text_format("%s\001%s\001%s\001%s", text[0],
					    text[1], text[2], text[3]));
		if (!name)
			string_list_add(&p->added, lower_copy(text[1]));
	}
	sqlite3_finalize(statement);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The rows the revision may change, sorted, joined: equal text, equal
 * rows. NULL on error. */
static char *proof_text(struct proof *p)
{
	struct string_list lines = {0};
	struct buffer out = {0};
	size_t i;
	int failed = read_rows(p,
			       "SELECT type, name, tbl_name, sql FROM "
			       "main.sqlite_schema WHERE rowid > ?1",
			       NULL, &lines);
	for (i = 0; i < p->old.count && !failed; i++)
		failed = read_rows(p,
				   "SELECT type, name, tbl_name, sql FROM "
				   "main.sqlite_schema WHERE rowid <= ?1 AND "
				   "(name = ?2 COLLATE NOCASE OR tbl_name = ?2 "
				   "COLLATE NOCASE)",
				   p->old.items[i], &lines);
	if (lines.count)
		qsort(lines.items, lines.count, sizeof *lines.items,
		      compare_lines);
	buffer_puts(&out, "");
	for (i = 0; i < lines.count && !failed; i++) {
		buffer_puts(&out, lines.items[i]);
		buffer_puts(&out, "\002");
	}
	string_list_free(&lines);
	if (failed) {
		free(out.data);
		return NULL;
	}
	return out.data;
}

/* Whether every object the last section touched is one the proof reads:
 * named before (old) or added above the floor at some point. */
static int seen_all(const struct proof *p, const struct recorder *seen)
{
	size_t i;
	if (seen->unknown)
		return 0;
	for (i = 0; i < seen->names.count; i++)
		if (!string_list_has(&p->old, seen->names.items[i]) &&
		    !string_list_has(&p->added, seen->names.items[i]))
			return 0;
	return 1;
}

/* The objects there now that the upgrade drops or alters, as it would
 * run on the schema now (prepared, not run: a statement on what an
 * earlier one creates does not prepare, and only touches what is new;
 * what it creates is new, above the floor). */
static void name_old_objects(struct scratch *s, struct proof *p,
			     const struct statements *upgrade)
{
	size_t i;
	s->seen.on = 1;
	s->seen.dropped_or_altered_only = 1;
	for (i = 0; i < upgrade->count; i++) {
		sqlite3_stmt *statement = NULL;
		sqlite3_prepare_v2(p->db, upgrade->items[i].sql, -1, &statement,
				   NULL);
		sqlite3_finalize(statement);
	}
	s->seen.on = 0;
	s->seen.dropped_or_altered_only = 0;
	p->old = s->seen.names;
	memset(&s->seen.names, 0, sizeof s->seen.names);
	s->seen.unknown = 0;
}

/* Runs one section recording; its text after, or NULL when it fails or
 * touched what the proof does not read. */
static char *step(struct scratch *s, int which, struct proof *p,
		  const struct revision *r, enum section_kind kind)
{
	struct diagnostics quiet = {0};
	char *text = NULL;
	int ran;
	string_list_free(&s->seen.names);
	s->seen.unknown = 0;
	ran = sqlite_refresh(s, which, &quiet);
	p->db = s->db[which];
	s->seen.on = 1;
	if (ran == 0)
		ran = sqlite_apply(s, which, r, kind, &quiet);
	s->seen.on = 0;
	diag_free(&quiet);
	if (ran == 0)
		text = proof_text(p);
	if (text && !seen_all(p, &s->seen)) {
		free(text);
		text = NULL;
	}
	return text;
}

/* The round trip proven by the rows the revision touches only, so that
 * a proof costs what the revision does, not what the schema holds. 0
 * proven, 1 not (the driver then compares catalogs from a rebuilt
 * state). */
static int sqlite_prove_quickly(struct scratch *s, int which,
				const struct revision *r)
{
	struct proof p;
	struct statements upgrade = {0};
	char *before = NULL, *after = NULL, *restored = NULL, *again = NULL;
	int result = 1;

	if (section_reaches_unseen(r, SECTION_UPGRADE, &upgrade) != 0 ||
	    section_reaches_unseen(r, SECTION_DOWNGRADE, NULL) != 0) {
		statements_free(&upgrade);
		return prove_by_whole_text(s, which, r);
	}
	memset(&p, 0, sizeof p);
	p.db = s->db[which];
	if (read_floor(&p) == 0) {
		name_old_objects(s, &p, &upgrade);
		before = proof_text(&p);
	}
	if (before && (after = step(s, which, &p, r, SECTION_UPGRADE)) &&
	    (restored = step(s, which, &p, r, SECTION_DOWNGRADE)) &&
	    proven_same(before, restored) &&
	    (again = step(s, which, &p, r, SECTION_UPGRADE)) &&
	    proven_same(after, again))
		result = 0;
	statements_free(&upgrade);
	string_list_free(&p.old);
	string_list_free(&p.added);
	free(before);
	free(after);
	free(restored);
	free(again);
	return result;
}

/* ---- verify's schema in parts (sqlite_parts.c) ---- */

struct parts_context {
	struct scratch *s;
	int which;
};

static sqlite3 *parts_open(void *context, const unsigned char *image,
			   sqlite3_int64 size, struct diagnostics *diag)
{
	struct parts_context *c = context;
	if (open_schema(c->s, c->which, image, size, diag) != 0)
		return NULL;
	return c->s->db[c->which];
}

static int parts_replay(void *context, const struct revision *r, sqlite3 **db,
			struct diagnostics *diag)
{
	struct parts_context *c = context;
	int result = fresh_apply(c->s, c->which, r, SECTION_UPGRADE, diag);
	*db = c->s->db[c->which];
	return result;
}

static int sqlite_focus(struct scratch *s, int which, const struct revision *r,
			uint64_t *depends, struct diagnostics *diag)
{
	struct parts_context context;
	struct parts_host host;
	sqlite3 *db;
	context.s = s;
	context.which = which;
	host.context = &context;
	host.open = parts_open;
	host.replay = parts_replay;
	if (!s->parts)
		s->parts = parts_new();
	return parts_focus(s->parts, &host, r, &db, depends, diag);
}

static int sqlite_settle(struct scratch *s, int which, const struct revision *r,
			 int keep, struct diagnostics *diag)
{
	return parts_settle(s->parts, s->db[which], r, keep, diag);
}

static int sqlite_close(struct scratch *s, struct diagnostics *diag)
{
	(void)diag;
	if (s) {
		parts_free(s->parts);
		sqlite3_close(s->db[0]);
		sqlite3_close(s->db[1]);
		string_list_free(&s->seen.names);
		free(s);
	}
	return 0;
}

static const struct autogen_extras sqlite_extras = {
    .refresh = sqlite_refresh,
    .prove_quickly = sqlite_prove_quickly,
    .focus = sqlite_focus,
    .settle = sqlite_settle,
};

const struct autogen_dialect autogen_sqlite = AUTOGEN_DIALECT(
    sqlite, DIALECT_SQLITE, &sqlite_catalog_shape, diff_sql, &sqlite_extras);
