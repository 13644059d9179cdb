/* rules.c: build-time checks on split statements. Transaction control
 * fails the build: it belongs to migc. A statement that cannot run inside a
 * transaction (or, in SQLite, silently does nothing there) in a
 * transactional revision fails the build here instead of the boot there.
 * Each rule reads the statement's first words (sql_head, lexer.re). */
#include "gen.h"

#include <string.h>

static int word_is(const struct sql_head *w, size_t at, const char *word)
{
	return at < w->count && strcmp(w->word[at], word) == 0;
}

static int has_word(const struct sql_head *w, const char *word)
{
	size_t i;
	for (i = 0; i < w->count; i++)
		if (strcmp(w->word[i], word) == 0)
			return 1;
	return 0;
}

/* Returns what the statement is when it begins, ends or nests a
 * transaction, else NULL. Decided on the first words only, so a trigger's
 * BEGIN ... END, BEGIN ATOMIC, DO $$ BEGIN ... END $$ and function bodies
 * (all inside a CREATE or DO statement) are not transaction control. Both
 * dialects' forms are refused in both: where one is not SQL, the database
 * would refuse it anyway. */
static const char *transaction_control(const struct sql_head *w)
{
	static const char *const modes[] = {"DEFERRED", "IMMEDIATE",
					    "EXCLUSIVE"};
	size_t i;

	if (word_is(w, 0, "BEGIN")) {
		for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
			if (word_is(w, 1, modes[i]))
				return i == 0	? "BEGIN DEFERRED"
				       : i == 1 ? "BEGIN IMMEDIATE"
						: "BEGIN EXCLUSIVE";
		return "BEGIN";
	}
	if (word_is(w, 0, "START") && word_is(w, 1, "TRANSACTION"))
		return "START TRANSACTION";
	if (word_is(w, 0, "COMMIT") || word_is(w, 0, "END"))
		return word_is(w, 1, "PREPARED")
			   ? "COMMIT PREPARED"
			   : (word_is(w, 0, "END") ? "END" : "COMMIT");
	if (word_is(w, 0, "ROLLBACK")) {
		if (word_is(w, 1, "PREPARED"))
			return "ROLLBACK PREPARED";
		return has_word(w, "TO") ? "ROLLBACK TO" : "ROLLBACK";
	}
	if (word_is(w, 0, "ABORT"))
		return "ABORT";
	if (word_is(w, 0, "SAVEPOINT"))
		return "SAVEPOINT";
	if (word_is(w, 0, "RELEASE"))
		return "RELEASE";
	/* PREPARE TRANSACTION 'gid'; `PREPARE name AS ...` is a prepared
	 * statement, even one named "transaction". */
	if (word_is(w, 0, "PREPARE") && word_is(w, 1, "TRANSACTION") &&
	    word_is(w, 2, "'"))
		return "PREPARE TRANSACTION";
	return NULL;
}

/* Returns what the statement is when it must run outside a transaction,
 * else NULL. */
static const char *needs_no_transaction(const struct sql_head *w,
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
	struct sql_head w;
	sql_head(&w, dialect, s->sql);
	return needs_no_transaction(&w, dialect) != NULL;
}

int rules_check(const struct revision *r, const struct statements *list,
		enum dialect dialect, struct diagnostics *diag)
{
	size_t i;
	int result = 0;
	for (i = 0; i < list->count; i++) {
		struct sql_head w;
		const char *what;
		struct location at;
		sql_head(&w, dialect, list->items[i].sql);
		at.file = r->path;
		at.line = list->items[i].line;
		at.column = statement_column(r, &list->items[i]);
		what = transaction_control(&w);
		if (what) {
			if (r->no_transaction)
				diag_error(diag, at,
					   "%s is transaction control, which "
					   "belongs to migc: in a 'transaction "
					   "none' revision it commits each "
					   "statement with its progress row; "
					   "remove the statement",
					   what);
			else
				diag_error(
				    diag, at,
				    "%s is transaction control, which "
				    "belongs to migc: it runs each "
				    "revision in a transaction of its "
				    "own and commits it with the version "
				    "row; remove the statement (to run "
				    "this revision outside a "
				    "transaction, add '-- "
				    "migc:transaction none' to its "
				    "header instead)",
				    what);
			result = -1;
			continue;
		}
		what = r->no_transaction ? NULL
					 : needs_no_transaction(&w, dialect);
		if (!what)
			continue;
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
