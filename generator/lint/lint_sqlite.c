/* lint_sqlite.c: the linter's SQLite rules, over the statement's tokens
 * (SQLite's own tokenizer rules, lexer.re): the ALTER TABLE forms SQLite
 * lacks or refuses (they need its 12-step table rebuild), renames and drops
 * that break running code, and foreign keys left off. lint.c calls it. */
#include "lint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS 96

/* The statement's significant tokens as written (compared without case),
 * names unquoted, punctuation as itself; strings and numbers as "'" and
 * "0". */
struct words {
	char text[WORDS][64];
	size_t count;
};

static void read_words(struct words *w, const char *sql)
{
	struct sql_token t;

	memset(&t, 0, sizeof t);
	w->count = 0;
	for (t.start = sql; w->count < WORDS; t.start = t.end) {
		char *out = w->text[w->count];
		size_t i, n;

		sql_token_next(&t, DIALECT_SQLITE, sql);
		if (t.kind == SQL_TOKEN_END || t.kind == SQL_TOKEN_UNTERMINATED)
			break;
		if (t.kind == SQL_TOKEN_SPACE)
			continue;
		if (t.kind == SQL_TOKEN_QUOTED) {
			char *name = sql_token_name(&t);
			snprintf(out, sizeof w->text[0], "%s", name);
			free(name);
		} else if (t.kind == SQL_TOKEN_STRING) {
			snprintf(out, sizeof w->text[0], "'");
		} else if (t.kind == SQL_TOKEN_NUMBER) {
			snprintf(out, sizeof w->text[0], "0");
		} else {
			n = (size_t)(t.end - t.start);
			if (n >= sizeof w->text[0])
				n = sizeof w->text[0] - 1;
			for (i = 0; i < n; i++)
				out[i] = t.start[i];
			out[n] = '\0';
		}
		w->count++;
	}
}

/* `word` is upper-case. */
static int same_word(const char *text, const char *word)
{
	for (; *text && *word; text++, word++) {
		char c = *text >= 'a' && *text <= 'z'
			     ? (char)(*text - 'a' + 'A')
			     : *text;
		if (c != *word)
			return 0;
	}
	return *text == *word;
}

static int is(const struct words *w, size_t at, const char *word)
{
	return at < w->count && same_word(w->text[at], word);
}

static int has_from(const struct words *w, size_t from, const char *word)
{
	for (; from < w->count; from++)
		if (same_word(w->text[from], word))
			return 1;
	return 0;
}

/* After `at` (the word TABLE): [IF NOT EXISTS] [schema .] name; returns the
 * index after the name, and the name in *name. */
static size_t table_name(const struct words *w, size_t at, const char **name)
{
	if (is(w, at, "IF") && is(w, at + 1, "NOT") && is(w, at + 2, "EXISTS"))
		at += 3;
	else if (is(w, at, "IF") && is(w, at + 1, "EXISTS"))
		at += 2;
	if (is(w, at + 1, "."))
		at += 2;
	*name = at < w->count ? w->text[at] : "?";
	return at + 1;
}

/* ADD [COLUMN] name type constraints: what SQLite's ALTER TABLE refuses
 * (sqlite3AlterFinishAddColumn), each needing the table rebuild. */
static void add_column(const struct lint_context *c, const struct words *w,
		       size_t at, const char *table)
{
	const char *column = at < w->count ? w->text[at] : "?";
	const char *why = NULL;
	size_t i;
	int has_default = has_from(w, at, "DEFAULT");

	for (i = at; i < w->count && !why; i++) {
		if (is(w, i, "PRIMARY") || is(w, i, "UNIQUE"))
			why = "a PRIMARY KEY or UNIQUE column";
		else if (is(w, i, "NOT") && is(w, i + 1, "NULL") &&
			 !has_default)
			why = "a NOT NULL column without a DEFAULT";
		else if (is(w, i, "DEFAULT") &&
			 (is(w, i + 1, "CURRENT_TIME") ||
			  is(w, i + 1, "CURRENT_DATE") ||
			  is(w, i + 1, "CURRENT_TIMESTAMP") ||
			  is(w, i + 1, "(")))
			why = "a column whose DEFAULT is not a constant";
		else if (is(w, i, "STORED"))
			why = "a STORED generated column";
	}
	if (why)
		lint_finding(
		    c, -1, "sqlite-add-column-refused",
		    "SQLite's ALTER TABLE %s ADD COLUMN %s refuses %s "
		    "(some only once the table has rows, so the build's "
		    "proof on empty tables passes them); rebuild the table "
		    "instead (SQLite's 12 steps: create the new table, copy "
		    "the rows, drop the old, rename)",
		    table, column, why);
}

static void alter_table(const struct lint_context *c, const struct words *w)
{
	const char *table;
	size_t at = table_name(w, 2, &table);
	int created = string_list_has(&c->state->created, table);

	if (is(w, at, "RENAME") && is(w, at + 1, "TO")) {
		if (!created)
			lint_finding(
			    c, -1, "renaming-table",
			    "RENAME TABLE %s breaks the code still running "
			    "with the old name; keep the name, or add a "
			    "view of the old name for one release",
			    table);
	} else if (is(w, at, "RENAME")) {
		if (!created)
			lint_finding(
			    c, -1, "renaming-column",
			    "RENAME COLUMN on %s breaks the code still "
			    "running with the old name; add the new column "
			    "and drop the old one a release later",
			    table);
	} else if (is(w, at, "ADD") &&
		   (is(w, at + 1, "CONSTRAINT") || is(w, at + 1, "PRIMARY") ||
		    is(w, at + 1, "UNIQUE") || is(w, at + 1, "FOREIGN") ||
		    is(w, at + 1, "CHECK"))) {
		lint_finding(
		    c, -1, "sqlite-alter-needs-rebuild",
		    "SQLite has no ALTER TABLE ... ADD %s; rebuild %s "
		    "(SQLite's 12 steps: create the new table, copy the "
		    "rows, drop the old, rename)",
		    w->text[at + 1], table);
	} else if (is(w, at, "ADD")) {
		add_column(c, w, at + (is(w, at + 1, "COLUMN") ? 2 : 1), table);
	} else if (is(w, at, "DROP") &&
		   (is(w, at + 1, "CONSTRAINT") || is(w, at + 1, "PRIMARY") ||
		    is(w, at + 1, "FOREIGN"))) {
		lint_finding(
		    c, -1, "sqlite-alter-needs-rebuild",
		    "SQLite has no ALTER TABLE ... DROP %s; rebuild %s "
		    "(SQLite's 12 steps)",
		    w->text[at + 1], table);
	} else if (is(w, at, "DROP")) {
		lint_finding(
		    c, -1, "ban-drop-column",
		    "DROP COLUMN on %s breaks code still reading it, and "
		    "SQLite refuses it for an indexed, key or referenced "
		    "column; stop using it in a release first",
		    table);
	} else if (is(w, at, "ALTER")) {
		lint_finding(
		    c, -1, "sqlite-alter-needs-rebuild",
		    "SQLite has no ALTER TABLE ... ALTER COLUMN (type, "
		    "NOT NULL, default); rebuild %s (SQLite's 12 steps)",
		    table);
	}
}

/* PRAGMA [schema.]foreign_keys = value */
static void pragma(const struct lint_context *c, const struct words *w)
{
	size_t at = is(w, 2, ".") ? 3 : 1;
	const char *value;

	(void)c;
	if (!is(w, at, "FOREIGN_KEYS") || !is(w, at + 1, "="))
		return;
	value = at + 2 < w->count ? w->text[at + 2] : "";
	if (same_word(value, "OFF") || same_word(value, "FALSE") ||
	    same_word(value, "NO") || strcmp(value, "0") == 0)
		c->state->foreign_keys_off = 1;
	else
		c->state->foreign_keys_off = 0;
}

/* A later statement renames another table to `table`: the drop is step
 * 5 of a rebuild, not the end of the table. */
static int rebuilt_later(const struct statements *list, size_t i,
			 const char *table)
{
	struct words *w = malloc(sizeof *w);
	const char *name;
	int found = 0;
	size_t at;

	if (!w)
		abort();
	for (i++; i < list->count && !found; i++) {
		read_words(w, list->items[i].sql);
		if (!is(w, 0, "ALTER") || !is(w, 1, "TABLE"))
			continue;
		at = table_name(w, 2, &name);
		found = is(w, at, "RENAME") && is(w, at + 1, "TO") &&
			at + 2 < w->count &&
			strcmp(w->text[at + 2 + (is(w, at + 3, ".") ? 2 : 0)],
			       table) == 0;
	}
	free(w);
	return found;
}

void lint_sqlite_statement(struct lint_state *state,
			   const struct statements *list, size_t index,
			   lint_report_fn *report, void *payload)
{
	struct lint_context c = {state, report, payload, 0};
	struct words *w = malloc(sizeof *w);
	const char *table;

	if (!w)
		abort();
	read_words(w, list->items[index].sql);
	if (is(w, 0, "CREATE") &&
	    (is(w, 1, "TABLE") ||
	     (is(w, 2, "TABLE") &&
	      (is(w, 1, "TEMP") || is(w, 1, "TEMPORARY"))))) {
		table_name(w, is(w, 1, "TABLE") ? 2 : 3, &table);
		string_list_add(&state->created, text_dup(table));
	} else if (is(w, 0, "ALTER") && is(w, 1, "TABLE")) {
		alter_table(&c, w);
	} else if (is(w, 0, "DROP") && is(w, 1, "TABLE")) {
		table_name(w, 2, &table);
		if (!string_list_has(&state->created, table) &&
		    !rebuilt_later(list, index, table))
			lint_finding(
			    &c, -1, "ban-drop-table",
			    "DROP TABLE %s loses its rows and breaks code "
			    "still using it; stop using it in a release "
			    "first",
			    table);
	} else if (is(w, 0, "PRAGMA")) {
		pragma(&c, w);
	}
	free(w);
}

void lint_sqlite_finish(struct lint_state *state, lint_report_fn *report,
			void *payload)
{
	struct lint_context c = {state, report, payload, 0};

	if (state->foreign_keys_off)
		lint_finding(
		    &c, -1, "sqlite-foreign-keys-left-off",
		    "PRAGMA foreign_keys = OFF is not turned back ON by "
		    "the end of the revision, so the connection goes on "
		    "without foreign keys; end the rebuild with PRAGMA "
		    "foreign_key_check and PRAGMA foreign_keys = ON");
}
