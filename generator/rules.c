/* rules.c: build-time checks on split statements. A statement that cannot
 * run inside a transaction (or, in SQLite, silently does nothing there) in a
 * transactional revision fails the build here instead of the boot there. */
#include "gen.h"

#include <string.h>

#define MAX_WORDS 6

/* The first words of a statement, upper-cased, comments skipped. */
struct words {
	char text[MAX_WORDS][24];
	size_t count;
};

static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static void first_words(struct words *out, const char *sql, size_t length)
{
	size_t i = 0;
	out->count = 0;
	while (i < length && out->count < MAX_WORDS) {
		char c = sql[i];
		if (c == '-' && i + 1 < length && sql[i + 1] == '-') {
			while (i < length && sql[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < length && sql[i + 1] == '*') {
			i += 2;
			while (i + 1 < length &&
			       !(sql[i] == '*' && sql[i + 1] == '/'))
				i++;
			i += 2;
		} else if (is_word_char(c)) {
			size_t n = 0;
			while (i < length && is_word_char(sql[i])) {
				if (n + 1 < sizeof out->text[0]) {
					char u = sql[i];
					if (u >= 'a' && u <= 'z')
						u = (char)(u - 'a' + 'A');
					out->text[out->count][n++] = u;
				}
				i++;
			}
			out->text[out->count][n] = '\0';
			out->count++;
		} else if (c == '(' || c == ')' || c == ',' || c == '.' ||
			   c == '"' || c == ' ' || c == '\t' || c == '\n' ||
			   c == '\r') {
			i++; /* REINDEX (VERBOSE) ..., PRAGMA main.x */
		} else {
			break;
		}
	}
}

static int word_is(const struct words *w, size_t at, const char *word)
{
	return at < w->count && strcmp(w->text[at], word) == 0;
}

static int has_word(const struct words *w, const char *word)
{
	size_t i;
	for (i = 0; i < w->count; i++)
		if (strcmp(w->text[i], word) == 0)
			return 1;
	return 0;
}

/* Returns what the statement is when it must run outside a transaction,
 * else NULL. */
static const char *needs_no_transaction(const struct words *w,
					enum dialect dialect)
{
	if (word_is(w, 0, "VACUUM"))
		return "VACUUM";
	if (dialect == DIALECT_SQLITE) {
		if (word_is(w, 0, "PRAGMA") && (has_word(w, "JOURNAL_MODE")))
			return "PRAGMA journal_mode";
		if (word_is(w, 0, "PRAGMA") && (has_word(w, "FOREIGN_KEYS")))
			return "PRAGMA foreign_keys";
		return NULL;
	}
	if (word_is(w, 0, "CREATE") && word_is(w, 1, "INDEX") &&
	    word_is(w, 2, "CONCURRENTLY"))
		return "CREATE INDEX CONCURRENTLY";
	if (word_is(w, 0, "CREATE") && word_is(w, 1, "UNIQUE") &&
	    word_is(w, 2, "INDEX") && word_is(w, 3, "CONCURRENTLY"))
		return "CREATE INDEX CONCURRENTLY";
	if (word_is(w, 0, "DROP") && word_is(w, 1, "INDEX") &&
	    word_is(w, 2, "CONCURRENTLY"))
		return "DROP INDEX CONCURRENTLY";
	if (word_is(w, 0, "REINDEX") && has_word(w, "CONCURRENTLY"))
		return "REINDEX CONCURRENTLY";
	if (word_is(w, 0, "REINDEX") &&
	    (word_is(w, 1, "DATABASE") || word_is(w, 1, "SYSTEM")))
		return "REINDEX DATABASE/SYSTEM";
	if (word_is(w, 0, "ALTER") && word_is(w, 1, "SYSTEM"))
		return "ALTER SYSTEM";
	if ((word_is(w, 0, "CREATE") || word_is(w, 0, "DROP")) &&
	    (word_is(w, 1, "DATABASE") || word_is(w, 1, "TABLESPACE")))
		return word_is(w, 1, "DATABASE") ? "CREATE/DROP DATABASE"
						 : "CREATE/DROP TABLESPACE";
	return NULL;
}

/* Column of the statement's first token on its line: the statement text
 * starts with that token, so find it on the line. */
static int statement_column(const struct revision *r, const struct statement *s)
{
	const char *p = r->text, *end = r->text + r->length, *line_end;
	size_t prefix = s->length < 12 ? s->length : 12, i;
	int line = 1;
	while (p < end && line < s->line) {
		if (*p++ == '\n')
			line++;
	}
	line_end = memchr(p, '\n', (size_t)(end - p));
	if (!line_end)
		line_end = end;
	for (i = 0; p + i + prefix <= line_end; i++)
		if (memcmp(p + i, s->sql, prefix) == 0)
			return (int)i + 1;
	return 1;
}

int rules_no_transaction(const struct statement *s, enum dialect dialect)
{
	struct words w;
	first_words(&w, s->sql, s->length);
	return needs_no_transaction(&w, dialect) != NULL;
}

int rules_check(const struct revision *r, const struct statements *list,
		enum dialect dialect, struct diagnostics *diag)
{
	size_t i;
	int result = 0;
	if (r->no_transaction)
		return 0;
	for (i = 0; i < list->count; i++) {
		struct words w;
		const char *what;
		struct location at;
		first_words(&w, list->items[i].sql, list->items[i].length);
		what = needs_no_transaction(&w, dialect);
		if (!what)
			continue;
		at.file = r->path;
		at.line = list->items[i].line;
		at.column = statement_column(r, &list->items[i]);
		diag_error(diag, at,
			   "%s cannot run inside a transaction%s; add "
			   "'-- migc:transaction none' to this revision's "
			   "header (its statements then run one by one) and "
			   "keep such statements in a revision of their own",
			   what,
			   dialect == DIALECT_SQLITE &&
				   strncmp(what, "PRAGMA", 6) == 0
			       ? " (SQLite ignores or rejects it there)"
			       : "");
		result = -1;
	}
	return result;
}
