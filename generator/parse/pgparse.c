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
 * comments around it (the parser's ranges start after the previous ';');
 * returns it, or NULL when the range holds none. */
static struct statement *add_range(struct statements *out,
				   const struct section *s, const char *body,
				   const char *from, const char *to,
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
		return NULL;
	for (; *line_at < first; (*line_at)++)
		*line += **line_at == '\n';
	statements_add(out, s, body, from, first, last, *line);
	return &out->items[out->count - 1];
}

static PgQuery__ParseResult *unpack(const PgQueryProtobufParseResult *parsed)
{
	return pg_query__parse_result__unpack(
	    NULL, parsed->parse_tree.len,
	    (const uint8_t *)parsed->parse_tree.data);
}

/* The list keeps the parse results its statements' trees point into. */
static void keep_tree(struct statements *out, PgQuery__ParseResult *tree)
{
	void **grown =
	    realloc(out->trees, (out->tree_count + 1) * sizeof *out->trees);

	if (!grown)
		abort();
	out->trees = grown;
	out->trees[out->tree_count++] = tree;
}

/* One parse of the whole section: its statements and their trees. */
static int split_parsed(struct statements *out, const struct revision *r,
			const struct section *s, const char *body,
			struct diagnostics *diag)
{
	PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(body);
	PgQuery__ParseResult *tree = NULL;
	const char *line_at = body;
	size_t i, length = strlen(body);
	int line = s->body_line, result = 0;

	if (parsed.error)
		report_error(r, s, body, parsed.error, diag);
	else if (!(tree = unpack(&parsed)))
		abort();
	pg_query_free_protobuf_parse_result(parsed);
	if (!tree)
		return -1;
	keep_tree(out, tree);
	if (sql_lexical_check(DIALECT_POSTGRESQL, r, s, body, diag))
		result = -1; /* a meta-command the grammar took as SQL */
	for (i = 0; result == 0 && i < tree->n_stmts; i++) {
		const PgQuery__RawStmt *raw = tree->stmts[i];
		size_t from = (size_t)raw->stmt_location;
		size_t to =
		    raw->stmt_len ? from + (size_t)raw->stmt_len : length;
		struct statement *st;

		if (from > length || to > length)
			break;
		st = add_range(out, s, body, body + from, body + to, &line_at,
			       &line);
		if (st) {
			st->tree = raw->stmt;
			st->tree_base = (int)(st->offset - s->begin);
		}
	}
	return result;
}

/* '-- migc:parse none': the scanner's statements; each one the grammar
 * still accepts gets its tree, so the rules see it. */
static int split_scanned(struct statements *out, const struct revision *r,
			 const struct section *s, const char *body,
			 struct diagnostics *diag)
{
	PgQuerySplitResult split = pg_query_split_with_scanner(body);
	const char *line_at = body;
	size_t length = strlen(body);
	int i, line = s->body_line, result = 0;

	if (split.error) {
		report_error(r, s, body, split.error, diag);
		result = -1;
	} else if (sql_lexical_check(DIALECT_POSTGRESQL, r, s, body, diag)) {
		result = -1;
	}
	for (i = 0; result == 0 && i < split.n_stmts; i++) {
		const PgQuerySplitStmt *range = split.stmts[i];
		size_t from = (size_t)range->stmt_location;
		size_t to =
		    range->stmt_len ? from + (size_t)range->stmt_len : length;
		PgQuery__ParseResult *own = NULL;
		struct statement *st;

		if (from > length || to > length)
			break;
		st = add_range(out, s, body, body + from, body + to, &line_at,
			       &line);
		if (st && pg_statement_tree(st, &own)) {
			keep_tree(out, own);
			st->tree = own->stmts[0]->stmt;
		} else {
			pg_tree_free(own);
		}
	}
	pg_query_free_split_result(split);
	return result;
}

int pg_split(struct statements *out, const struct revision *r,
	     const struct section *s, const char *body,
	     struct diagnostics *diag)
{
	return r->no_parse ? split_scanned(out, r, s, body, diag)
			   : split_parsed(out, r, s, body, diag);
}

const PgQuery__Node *pg_statement_tree(const struct statement *s,
				       PgQuery__ParseResult **owned)
{
	PgQueryProtobufParseResult parsed;

	*owned = NULL;
	if (s->tree)
		return s->tree;
	parsed = pg_query_parse_protobuf(s->sql);
	if (!parsed.error && !(*owned = unpack(&parsed)))
		abort();
	pg_query_free_protobuf_parse_result(parsed);
	if (!*owned || (*owned)->n_stmts != 1 || !(*owned)->stmts[0])
		return NULL;
	return (*owned)->stmts[0]->stmt;
}

void pg_tree_free(PgQuery__ParseResult *tree)
{
	if (tree)
		pg_query__parse_result__free_unpacked(tree, NULL);
}

void pg_trees_free(void **trees, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		pg_tree_free(trees[i]);
	free(trees);
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

void pg_trees_free(void **trees, size_t count)
{
	(void)count;
	free(trees);
}

#endif
