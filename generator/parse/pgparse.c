/* pgparse.c: PostgreSQL sections split by PostgreSQL's own parser
 * (libpg_query: PostgreSQL 15's grammar, at build time only), so that a
 * statement the server would reject fails the build at file:line:column.
 * A '-- migc:parse none' revision, for syntax newer than that grammar, is
 * split by the same library's scanner without a grammar check. sql_split
 * (lexer.re) calls pg_split; rules.c and lint.c read pg_tree_parse. */
#include "gen.h"
#include "pgtree.h"

#include <stdlib.h>
#include <string.h>

#ifdef MIGC_GENERATOR_WITH_PG_QUERY

/* PostgreSQL's cursor position counts characters (1-based) of the UTF-8
 * input; the byte it names. */
static const char *cursor_byte(const char *body, int cursor)
{
	const char *p = body;
	int characters = 0;

	for (; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 &&
		    ++characters == cursor)
			return p;
	}
	return p;
}

static void report_error(const struct revision *r, const struct section *s,
			 const char *body, const PgQueryError *error,
			 struct diagnostics *diag)
{
	const char *at = error->cursorpos > 0
			     ? cursor_byte(body, error->cursorpos)
			     : body + strlen(body);

	/* The tokenizer's messages say how to close a quote or a comment and
	 * name psql's meta-commands; the parser's say only where it stopped. */
	if (sql_lexical_check(DIALECT_POSTGRESQL, r, s, body, diag) != 0)
		return;
	if (r->no_parse)
		diag_error(diag, section_location(r, s, body, at),
			   "%s (PostgreSQL's scanner); correct the statement",
			   error->message);
	else
		diag_error(diag, section_location(r, s, body, at),
			   "%s (PostgreSQL " PG_MAJORVERSION "'s parser); "
			   "correct the statement, or, when a newer "
			   "PostgreSQL accepts it, add '-- migc:parse none' "
			   "to the revision's header to skip the check",
			   error->message);
}

/* Appends the statement at [from, to) of body, without the blanks and
 * comments around it (the parser's ranges start after the previous ';'). */
static void add_range(struct statements *out, const struct section *s,
		      const char *body, const char *from, const char *to,
		      const char **line_at, int *line)
{
	struct sql_token t;
	const char *first = NULL, *last = NULL;

	memset(&t, 0, sizeof t);
	for (t.start = from; t.start < to; t.start = t.end) {
		sql_token_next(&t, DIALECT_POSTGRESQL, body);
		if (t.kind == SQL_TOKEN_END)
			break;
		if (t.kind == SQL_TOKEN_SPACE ||
		    (t.kind == SQL_TOKEN_SEMICOLON && !first))
			continue;
		if (!first)
			first = t.start;
		last = t.end;
	}
	if (!first)
		return;
	for (; *line_at < first; (*line_at)++)
		*line += **line_at == '\n';
	statements_add(out, s, body, from, first, last, *line);
}

int pg_split(struct statements *out, const struct revision *r,
	     const struct section *s, const char *body,
	     struct diagnostics *diag)
{
	PgQuerySplitResult split = r->no_parse
				       ? pg_query_split_with_scanner(body)
				       : pg_query_split_with_parser(body);
	const char *line_at = body;
	size_t length = strlen(body);
	int i, line = s->body_line, result = 0;

	if (split.error) {
		report_error(r, s, body, split.error, diag);
		result = -1;
	} else if (sql_lexical_check(DIALECT_POSTGRESQL, r, s, body, diag)) {
		result = -1; /* a meta-command the scanner took as SQL */
	}
	for (i = 0; result == 0 && i < split.n_stmts; i++) {
		const PgQuerySplitStmt *st = split.stmts[i];
		size_t from = (size_t)st->stmt_location;
		size_t to = st->stmt_len ? from + (size_t)st->stmt_len : length;

		if (from > length || to > length)
			break;
		add_range(out, s, body, body + from, body + to, &line_at,
			  &line);
	}
	pg_query_free_split_result(split);
	return result;
}

PgQuery__ParseResult *pg_tree_parse(const char *sql)
{
	PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(sql);
	PgQuery__ParseResult *tree = NULL;

	if (!parsed.error)
		tree = pg_query__parse_result__unpack(
		    NULL, parsed.parse_tree.len,
		    (const uint8_t *)parsed.parse_tree.data);
	pg_query_free_protobuf_parse_result(parsed);
	return tree;
}

void pg_tree_free(PgQuery__ParseResult *tree)
{
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
}

const PgQuery__Node *pg_tree_statement(const PgQuery__ParseResult *tree)
{
	if (!tree || tree->n_stmts != 1 || !tree->stmts[0])
		return NULL;
	return tree->stmts[0]->stmt;
}

#else

int pg_split(struct statements *out, const struct revision *r,
	     const struct section *s, const char *body,
	     struct diagnostics *diag)
{
	(void)out;
	(void)body;
	diag_error(diag, s->at,
		   "%s: this migc was built without libpg_query, which "
		   "checks PostgreSQL revisions; install it (Debian: "
		   "libpg-query-dev libprotobuf-c-dev) and configure migc "
		   "with -DMIGC_WITH_PG_QUERY=ON",
		   r->path);
	return -1;
}

#endif
