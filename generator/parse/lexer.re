/* lexer.re: the generator's scanners, compiled to C by re2c at build time.
 * lex_revision_line() classifies one line of a revision file for revision.c;
 * sql_split() cuts a section body into statements, per dialect, so that the
 * runtime never parses SQL. Input is in memory and NUL-terminated. */
#include "gen.h"
#include "migc_text.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = cursor;
	re2c:define:YYMARKER = marker;
	re2c:yyfill:enable = 0;

	blank = [ \t];
*/

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

void lex_revision_line(const char *line, struct revision_line *out)
{
	const char *cursor = line, *marker = line, *p;

	memset(out, 0, sizeof *out);
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	out->first = p;
	/*!re2c
	blank* "--" blank* "migc:" {
		out->kind = LINE_DIRECTIVE;
		out->directive = cursor - 5;
		goto directive;
	}
	blank* "--"                 { out->kind = LINE_COMMENT; goto rest; }
	blank* "\r"? "\n"           { out->kind = LINE_BLANK; goto rest; }
	blank* "\r"? "\x00"         { out->kind = LINE_BLANK; goto rest; }
	*                           { out->kind = LINE_TEXT; goto rest; }
	*/
directive:
	out->key = cursor;
	while (*cursor && *cursor != '\n' && !is_blank(*cursor))
		cursor++;
	out->key_end = cursor;
	while (*cursor == ' ' || *cursor == '\t')
		cursor++;
	out->value = cursor;
rest:
	for (p = line; *p && *p != '\n'; p++)
		;
	out->next = *p ? p + 1 : p;
	if (out->kind == LINE_DIRECTIVE) {
		if (p < out->value)
			p = out->value;
		while (p > out->value && is_blank(p[-1]))
			p--;
		out->value_end = p;
	}
}

/* ---- SQL statement splitting ---- */

/* The token kinds and struct sql_token are gen.h's: autogenerate's
 * normalization reads SQL through the same tokenizers. */

static const char unterminated_string[] =
	"unterminated string literal starting here; close it with '";
static const char unterminated_quoted[] =
	"unterminated quoted identifier starting here; close it with \"";
static const char unterminated_backquoted[] =
	"unterminated quoted identifier starting here; close it with `";
static const char unterminated_bracket[] =
	"unterminated bracketed identifier starting here; close it with ]";
static const char unterminated_comment[] =
	"unterminated block comment starting here; close it with */";
static const char unterminated_dollar[] =
	"unterminated dollar-quoted string starting here; close it with ";

/* One SQLite token at t->start (tokenize.c's rules, enough to split). */
static void sqlite_token(struct sql_token *t)
{
	const char *cursor = t->start, *marker = cursor;

	t->message = NULL;
	/*!re2c
	"\x00"                { t->kind = SQL_TOKEN_END; cursor--; goto done; }
	[ \t\n\f\r]+          { t->kind = SQL_TOKEN_SPACE; goto done; }
	"--" [^\n\x00]*       { t->kind = SQL_TOKEN_SPACE; goto done; }
	"/*" ([^*\x00] | "*"+ [^*/\x00])* "*"+ "/" {
		t->kind = SQL_TOKEN_SPACE; goto done;
	}
	"/*"  { t->message = unterminated_comment; goto unterminated; }
	"'" ([^'\x00] | "''")* "'"      { t->kind = SQL_TOKEN_STRING; goto done; }
	[xX] "'" [^'\x00]* "'"          { t->kind = SQL_TOKEN_STRING; goto done; }
	"'"   { t->message = unterminated_string; goto unterminated; }
	["] ([^"\x00] | ["]["])* ["]    { t->kind = SQL_TOKEN_QUOTED; goto done; }
	["]   { t->message = unterminated_quoted; goto unterminated; }
	"`" ([^`\x00] | "``")* "`"      { t->kind = SQL_TOKEN_QUOTED; goto done; }
	"`"   { t->message = unterminated_backquoted; goto unterminated; }
	"[" [^\]\x00]* "]"              { t->kind = SQL_TOKEN_QUOTED; goto done; }
	"["   { t->message = unterminated_bracket; goto unterminated; }
	";"   { t->kind = SQL_TOKEN_SEMICOLON; goto done; }
	"."   { t->kind = SQL_TOKEN_DOT; goto done; }
	"("   { t->kind = SQL_TOKEN_OPEN; goto done; }
	")"   { t->kind = SQL_TOKEN_CLOSE; goto done; }
	([0-9] | "." [0-9]) ([A-Za-z0-9_$.\x80-\xff] | [eE] [+-])* {
		t->kind = SQL_TOKEN_NUMBER; goto done;
	}
	[A-Za-z0-9_$\x80-\xff]+         { t->kind = SQL_TOKEN_WORD; goto done; }
	"->>" | "->" | "||" | "<=" | ">=" | "==" | "!=" | "<>" | "<<" | ">>" {
		t->kind = SQL_TOKEN_OTHER; goto done;
	}
	*     { t->kind = SQL_TOKEN_OTHER; goto done; }
	*/
unterminated:
	t->kind = SQL_TOKEN_UNTERMINATED;
	cursor = t->start + strlen(t->start);
done:
	t->end = cursor;
}

/* After the opening "/" "*": PostgreSQL comments nest. */
static const char *postgresql_comment(const char *cursor)
{
	int depth = 1;

	while (depth > 0) {
		/*!re2c
		"\x00" { return NULL; }
		"/*"   { depth++; continue; }
		"*" "/" { depth--; continue; }
		*      { continue; }
		*/
	}
	return cursor;
}

/* At the start of a line, blanks only before the backslash? */
static int starts_line(const char *body, const char *at)
{
	while (at > body && (at[-1] == ' ' || at[-1] == '\t'))
		at--;
	return at == body || at[-1] == '\n';
}

/* One PostgreSQL token at t->start (psqlscan.l's rules, enough to split). */
static void postgresql_token(struct sql_token *t, const char *body)
{
	const char *cursor = t->start, *marker = cursor, *close;

	t->message = NULL;
	t->tag = NULL;
	t->tag_length = 0;
	/*!re2c
	"\x00"                { t->kind = SQL_TOKEN_END; cursor--; goto done; }
	[ \t\n\f\r\v]+        { t->kind = SQL_TOKEN_SPACE; goto done; }
	"--" [^\n\r\x00]*     { t->kind = SQL_TOKEN_SPACE; goto done; }
	"/*" {
		cursor = postgresql_comment(cursor);
		if (!cursor) {
			t->message = unterminated_comment;
			goto unterminated;
		}
		t->kind = SQL_TOKEN_SPACE;
		goto done;
	}
	"'" ([^'\x00] | "''")* "'"      { t->kind = SQL_TOKEN_STRING; goto done; }
	"'"   { t->message = unterminated_string; goto unterminated; }
	[eE] "'" ([^'\\\x00] | "''" | "\\" [^\x00])* "'" {
		t->kind = SQL_TOKEN_STRING; goto done;
	}
	[eE] "'" { t->message = unterminated_string; goto unterminated; }
	["] ([^"\x00] | ["]["])* ["]    { t->kind = SQL_TOKEN_QUOTED; goto done; }
	["]   { t->message = unterminated_quoted; goto unterminated; }
	"$" [0-9]+                      { t->kind = SQL_TOKEN_OTHER; goto done; }
	"$" ([A-Za-z_\x80-\xff] [A-Za-z0-9_\x80-\xff]*)? "$" {
		t->tag = t->start;
		t->tag_length = (size_t)(cursor - t->start);
		close = cursor;
		for (;;) {
			close = strchr(close, '$');
			if (!close) {
				t->message = unterminated_dollar;
				goto unterminated;
			}
			if (strncmp(close, t->tag, t->tag_length) == 0)
				break;
			close++;
		}
		cursor = close + t->tag_length;
		t->kind = SQL_TOKEN_STRING;
		goto done;
	}
	"\\" [^ \t\r\n\x00]* {
		if (!starts_line(body, t->start)) {
			cursor = t->start + 1;
			t->kind = SQL_TOKEN_OTHER;
			goto done;
		}
		t->kind = SQL_TOKEN_META;
		goto done;
	}
	";"   { t->kind = SQL_TOKEN_SEMICOLON; goto done; }
	"."   { t->kind = SQL_TOKEN_DOT; goto done; }
	"("   { t->kind = SQL_TOKEN_OPEN; goto done; }
	")"   { t->kind = SQL_TOKEN_CLOSE; goto done; }
	[A-Za-z_\x80-\xff] [A-Za-z0-9_$\x80-\xff]* { t->kind = SQL_TOKEN_WORD; goto done; }
	[0-9] [A-Za-z0-9_]*             { t->kind = SQL_TOKEN_NUMBER; goto done; }
	*     { t->kind = SQL_TOKEN_OTHER; goto done; }
	*/
unterminated:
	t->kind = SQL_TOKEN_UNTERMINATED;
	cursor = t->start + strlen(t->start);
done:
	t->end = cursor;
}

void sql_token_next(struct sql_token *t, enum dialect dialect,
		    const char *body)
{
	if (dialect == DIALECT_POSTGRESQL)
		postgresql_token(t, body);
	else
		sqlite_token(t);
}

static int word_is(const struct sql_token *t, const char *keyword)
{
	size_t i, n = (size_t)(t->end - t->start);

	if (t->kind != SQL_TOKEN_WORD || strlen(keyword) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = t->start[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != keyword[i])
			return 0;
	}
	return 1;
}

int sql_token_is(const struct sql_token *t, const char *keyword)
{
	size_t n = (size_t)(t->end - t->start);

	return t->kind == SQL_TOKEN_WORD && strlen(keyword) == n &&
	       sqlite3_strnicmp(t->start, keyword, (int)n) == 0;
}

char *sql_token_name(const struct sql_token *t)
{
	size_t length = (size_t)(t->end - t->start), i, used = 0;
	char close = t->start[0] == '[' ? ']' : t->start[0];
	char *out = malloc(length + 1);

	if (!out)
		abort();
	if (t->kind != SQL_TOKEN_QUOTED) {
		memcpy(out, t->start, length);
		out[length] = '\0';
		return out;
	}
	/* Between the quotes, a doubled closing quote is one ("a""b"). */
	for (i = 1; i + 1 < length; i++) {
		out[used++] = t->start[i];
		if (t->start[i] == close && close != ']')
			i++;
	}
	out[used] = '\0';
	return out;
}

/* A name SQLite reads as itself unquoted: ASCII letters, digits and '_',
 * not starting with a digit, and no keyword. */
static int sqlite_plain_name(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return i > 0 && !sqlite3_keyword_check(name, (int)i);
}

char *sql_identifier_quote(enum dialect dialect, const char *name)
{
	size_t length = strlen(name);
	migc_text text;
	char *out;

	if (dialect != DIALECT_POSTGRESQL && sqlite_plain_name(name)) {
		out = malloc(length + 1);
		if (!out)
			abort();
		memcpy(out, name, length + 1);
		return out;
	}
	migc_text_init(&text, NULL, 0);
	migc_text_add_identifier(&text, name, length);
	out = malloc(text.needed + 1);
	if (!out)
		abort();
	migc_text_init(&text, out, text.needed + 1);
	migc_text_add_identifier(&text, name, length);
	return out;
}

/* The leading words of one split statement, through the dialect's own
 * tokenizer, so that the rules see what the splitter saw: comments are
 * skipped, a string is the one-character word "'", a "quoted" name is its
 * text, and `.` `,` `(` `)` are passed over (`PRAGMA main.x`, `REINDEX
 * (VERBOSE) ...`). Stops at any other token. */
void sql_head(struct sql_head *out, enum dialect dialect, const char *sql)
{
	struct sql_token t;

	memset(out, 0, sizeof *out);
	memset(&t, 0, sizeof t);
	for (t.start = sql; out->count < SQL_HEAD_WORDS; t.start = t.end) {
		const char *from, *to;
		size_t n = 0;

		sql_token_next(&t, dialect, sql);
		if (t.kind == SQL_TOKEN_END || t.kind == SQL_TOKEN_UNTERMINATED ||
		    t.kind == SQL_TOKEN_META)
			break;
		if (t.kind == SQL_TOKEN_SPACE || t.kind == SQL_TOKEN_DOT ||
		    t.kind == SQL_TOKEN_OPEN || t.kind == SQL_TOKEN_CLOSE ||
		    (t.kind == SQL_TOKEN_OTHER && t.start[0] == ','))
			continue;
		from = t.start;
		to = t.end;
		if (t.kind == SQL_TOKEN_STRING &&
		    (t.start[0] == 'x' || t.start[0] == 'X')) {
			to = from + 1; /* a blob: the word "X", then "'" */
			t.end = to;
		} else if (t.kind == SQL_TOKEN_STRING && t.start[0] != '$') {
			to = from; /* a string: just "'" */
			out->word[out->count][n++] = '\'';
		} else if (t.kind == SQL_TOKEN_QUOTED && t.start[0] == '"') {
			from++;
			to--;
		} else if (t.kind != SQL_TOKEN_WORD &&
			   t.kind != SQL_TOKEN_NUMBER) {
			break;
		}
		for (; from < to; from++)
			if (n + 1 < sizeof out->word[0]) {
				char c = *from;
				if (c >= 'a' && c <= 'z')
					c = (char)(c - 'a' + 'A');
				out->word[out->count][n++] = c;
			}
		out->word[out->count][n] = '\0';
		out->count++;
	}
}

/* Where a SQLite statement ends: at ';', except inside a trigger's
 * BEGIN ... END, whose END is the first END at CASE depth 0 that opens a
 * statement of the body (the body is `stmt; stmt; ... END`). */
enum sqlite_state {
	SQLITE_START,
	SQLITE_EXPLAIN,
	SQLITE_CREATE,
	SQLITE_NORMAL,
	SQLITE_TRIGGER_HEAD,
	SQLITE_TRIGGER_BODY,
	SQLITE_TRIGGER_DONE
};

struct sqlite_split {
	enum sqlite_state state;
	int case_depth;
	int after_semicolon; /* in the body: the last token was ';' */
	int after_dot;       /* `new.end` names a column */
};

/* Feeds one significant token; returns 1 when it ends the statement. */
static int sqlite_step(struct sqlite_split *s, const struct sql_token *t)
{
	int after_dot = s->after_dot;
	int keyword = !after_dot && t->kind == SQL_TOKEN_WORD;

	s->after_dot = t->kind == SQL_TOKEN_DOT;
	switch (s->state) {
	case SQLITE_START:
	case SQLITE_EXPLAIN:
		if (t->kind == SQL_TOKEN_SEMICOLON)
			return 1;
		if (keyword && word_is(t, "create"))
			s->state = SQLITE_CREATE;
		else if (keyword && (word_is(t, "explain") ||
				     (s->state == SQLITE_EXPLAIN &&
				      (word_is(t, "query") || word_is(t, "plan")))))
			s->state = SQLITE_EXPLAIN;
		else
			s->state = SQLITE_NORMAL;
		return 0;
	case SQLITE_CREATE:
		if (t->kind == SQL_TOKEN_SEMICOLON)
			return 1;
		if (keyword && word_is(t, "trigger"))
			s->state = SQLITE_TRIGGER_HEAD;
		else if (!(keyword &&
			   (word_is(t, "temp") || word_is(t, "temporary"))))
			s->state = SQLITE_NORMAL;
		return 0;
	case SQLITE_NORMAL:
	case SQLITE_TRIGGER_DONE:
		return t->kind == SQL_TOKEN_SEMICOLON;
	case SQLITE_TRIGGER_HEAD:
		if (t->kind == SQL_TOKEN_SEMICOLON)
			return 1; /* no body: let SQLite report the syntax */
		if (keyword && word_is(t, "case"))
			s->case_depth++;
		else if (keyword && word_is(t, "end") && s->case_depth > 0)
			s->case_depth--;
		else if (keyword && word_is(t, "begin") && s->case_depth == 0) {
			s->state = SQLITE_TRIGGER_BODY;
			s->after_semicolon = 0;
		}
		return 0;
	case SQLITE_TRIGGER_BODY:
		if (t->kind == SQL_TOKEN_SEMICOLON) {
			s->after_semicolon = 1;
			s->case_depth = 0; /* a CASE never spans ';' */
			return 0;
		}
		if (keyword && word_is(t, "case"))
			s->case_depth++;
		else if (keyword && word_is(t, "end")) {
			if (s->case_depth == 0 && s->after_semicolon)
				s->state = SQLITE_TRIGGER_DONE;
			else if (s->case_depth > 0)
				s->case_depth--;
		}
		s->after_semicolon = 0;
		return 0;
	}
	return 0;
}

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		abort();
	return p;
}

struct location section_location(const struct revision *r,
				 const struct section *s, const char *body,
				 const char *at)
{
	struct location l = { r->path, s->body_line, 1 };
	const char *p, *line_start = body;

	for (p = body; p < at; p++)
		if (*p == '\n') {
			l.line++;
			line_start = p + 1;
		}
	l.column = (int)(at - line_start) + 1;
	return l;
}

void statements_add(struct statements *out, const struct section *s,
		    const char *body, const char *lead, const char *first,
		    const char *end, int line)
{
	struct statement *st;
	const char *p;
	char *q;

	if (out->count == out->capacity) {
		out->capacity = out->capacity ? out->capacity * 2 : 16;
		out->items =
		    xrealloc(out->items, out->capacity * sizeof *out->items);
	}
	st = &out->items[out->count++];
	memset(st, 0, sizeof *st);
	st->sql = q = xrealloc(NULL, (size_t)(end - first) + 1);
	for (p = first; p < end; p++)
		if (!(p[0] == '\r' && p + 1 < end && p[1] == '\n'))
			*q++ = *p;
	*q = '\0';
	st->length = (size_t)(q - st->sql);
	st->line = line;
	st->offset = s->begin + (size_t)(first - body);
	st->lead = s->begin + (size_t)(lead - body);
}

/* Reports an unterminated token or a psql meta-command at `t`. */
static void report_token(const struct sql_token *t, const struct revision *r,
			 const struct section *s, const char *body,
			 struct diagnostics *diag)
{
	struct location at = section_location(r, s, body, t->start);

	if (t->kind == SQL_TOKEN_UNTERMINATED)
		diag_error(diag, at, "%s%.*s", t->message,
			   t->message == unterminated_dollar
			       ? (int)t->tag_length : 0,
			   t->tag ? t->tag : "");
	else
		diag_error(diag, at,
			   "psql meta-command '%.*s' is not SQL; migc "
			   "sends each statement to the server, so "
			   "write it as SQL or remove it",
			   (int)(t->end - t->start), t->start);
}

int sql_lexical_check(enum dialect dialect, const struct revision *r,
		      const struct section *s, const char *body,
		      struct diagnostics *diag)
{
	struct sql_token t;

	memset(&t, 0, sizeof t);
	for (t.start = body;; t.start = t.end) {
		sql_token_next(&t, dialect, body);
		if (t.kind == SQL_TOKEN_END)
			return 0;
		if (t.kind == SQL_TOKEN_UNTERMINATED ||
		    t.kind == SQL_TOKEN_META) {
			report_token(&t, r, s, body, diag);
			return -1;
		}
	}
}

/* Counts the lines from *line_at up to `to` into *line. */
static void count_lines(const char **line_at, const char *to, int *line)
{
	for (; *line_at < to; (*line_at)++)
		*line += **line_at == '\n';
}

/* SQLite's statements, where sqlite_step ends them. */
static int sqlite_split(struct statements *out, const struct revision *r,
			const struct section *s, const char *body,
			struct diagnostics *diag)
{
	struct sqlite_split lite = { SQLITE_START, 0, 0, 0 };
	struct sql_token t;
	const char *first = NULL, *last_end = NULL, *lead = body;
	const char *line_at = body;
	int line = s->body_line;

	memset(&t, 0, sizeof t);
	for (t.start = body;; t.start = t.end) {
		sql_token_next(&t, DIALECT_SQLITE, body);
		if (t.kind == SQL_TOKEN_END)
			break;
		if (t.kind == SQL_TOKEN_SPACE)
			continue;
		if (t.kind == SQL_TOKEN_UNTERMINATED) {
			report_token(&t, r, s, body, diag);
			return -1;
		}
		if (!sqlite_step(&lite, &t)) {
			if (!first)
				first = t.start;
			last_end = t.end;
			continue;
		}
		if (first) {
			count_lines(&line_at, first, &line);
			statements_add(out, s, body, lead, first, last_end,
				       line);
		}
		lead = t.end;
		first = NULL;
		memset(&lite, 0, sizeof lite);
	}
	if (first && lite.state == SQLITE_TRIGGER_BODY) {
		diag_error(diag, section_location(r, s, body, first),
			   "trigger has BEGIN but no END; end its body with "
			   "'END;' after the last statement's ';'");
		return -1;
	}
	if (first) {
		count_lines(&line_at, first, &line);
		statements_add(out, s, body, lead, first, last_end, line);
	}
	return 0;
}

int sql_split(struct statements *out, enum dialect dialect,
	      const struct revision *r, const struct section *s,
	      struct diagnostics *diag)
{
	size_t length = s->end - s->begin;
	char *body = xrealloc(NULL, length + 1);
	int result;

	memcpy(body, r->text + s->begin, length);
	body[length] = '\0';
	if (dialect == DIALECT_POSTGRESQL)
		result = pg_split(out, r, s, body, diag);
	else
		result = sqlite_split(out, r, s, body, diag);
	free(body);
	return result;
}

void statements_free(struct statements *s)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		free(s->items[i].sql);
	free(s->items);
	pg_trees_free(s->trees, s->tree_count);
	memset(s, 0, sizeof *s);
}
