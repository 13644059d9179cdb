/* gen.h: the generator's internal data model, shared by its stages.
 * Pipeline: read files -> lexer.re (revision_parse, sql_split) -> graph.c
 * (validate, order) -> emit.c (C source). Diagnostics flow back to main.c. */
#ifndef MIGC_GEN_H
#define MIGC_GEN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum dialect {
	DIALECT_GENERIC = 0,
	DIALECT_SQLITE = 1,
	DIALECT_POSTGRESQL = 2
};
enum section_kind { SECTION_UPGRADE = 0, SECTION_DOWNGRADE = 1 };

/* 1-based line and byte column; file is the path as the user gave it. */
struct location {
	const char *file;
	int line;
	int column;
};

/* Collected, not printed: `check` lists every problem, tests compare texts. */
struct diagnostic {
	int is_error;
	char *text; /* "file:line:column: error: what is wrong; what to do" */
};

struct diagnostics {
	struct diagnostic *items;
	size_t count;
	size_t capacity;
	size_t errors;
};

#if defined(__GNUC__)
#define GEN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GEN_PRINTF(a, b)
#endif

void diag_error(struct diagnostics *d, struct location at, const char *format,
		...) GEN_PRINTF(3, 4);
void diag_note(struct diagnostics *d, struct location at, const char *format,
	       ...) GEN_PRINTF(3, 4);
void diag_warning(struct diagnostics *d, struct location at,
		  const char *format, ...) GEN_PRINTF(3, 4);
void diag_print(const struct diagnostics *d, FILE *stream);
void diag_free(struct diagnostics *d);

/* An identifier in a directive value, with where it was written. */
struct name_ref {
	char *text;
	struct location at;
};

struct section {
	enum section_kind kind;
	enum dialect dialect;
	struct location at; /* of the directive */
	size_t begin;	    /* byte offset of the body in revision.text */
	size_t end;
	int body_line; /* line of the byte at `begin` */
};

struct statement {
	char *sql; /* trimmed, without the final ';', CR LF as LF, NUL-ended */
	size_t length;
	int line;	    /* line of the statement's first token */
	int no_transaction; /* set by emit.c through rules_no_transaction */
	size_t offset;	    /* byte offset of its first token in revision.text */
	size_t lead; /* where the comments before it begin (after the previous
		      * statement's ';'): '-- migc:allow' lines there are its */
	const void *tree; /* PostgreSQL: its parse tree (pgtree.h), in
			   * statements.trees; NULL when not parsed */
	int tree_base;	  /* where its text begins in what the tree parsed
			   * (its locations count from there) */
};

struct statements {
	struct statement *items;
	size_t count;
	size_t capacity;
	void **trees; /* pgparse.c: the parse results the items' trees are in */
	size_t tree_count;
};

struct revision {
	char *path;	 /* as opened, used in diagnostics */
	char *file_name; /* base name, used in generated code */
	char *text;	 /* whole file, owned */
	size_t length;

	struct name_ref id;    /* text NULL when missing */
	int has_down_revision; /* the directive was present */
	struct location down_at;
	struct name_ref *down; /* empty for `none` */
	size_t down_count;
	char *message;	   /* "" when missing */
	char *create_date; /* "" when missing */
	struct name_ref *labels;
	size_t label_count;
	struct name_ref *depends_on;
	size_t depends_on_count;
	int no_transaction;
	int no_parse; /* '-- migc:parse none': split by the scanner only */
	struct name_ref *allow; /* '-- migc:allow' in the header: rule ids */
	size_t allow_count;

	struct section *sections;
	size_t section_count;
	/* '-- migc:baseline_of REV' (migc squash): this file is a baseline,
	 * outside the graph; text NULL for a revision. */
	struct name_ref baseline_of;
	/* emit.c, FROM_BASELINE: the revision's statements are this
	 * baseline's (its id, parents and checksum stay its own). */
	const struct revision *statements_from;

	/* '-- migc:repeatable <name>': `id` holds the name, depends_on
	 * names other repeatables; no place in the graph (see
	 * graph.repeatables). */
	int repeatable;

	/* Filled by graph_build. */
	size_t *parents; /* indices into the graph's revisions */
	size_t *dependencies;
	size_t order; /* position in the topological order */
	int is_head;
};

/* Parses one revision file. Takes ownership of `text` (malloc'd, length
 * bytes, NUL after). Returns 0, or -1 with errors added to `diag`. */
int revision_parse(struct revision *out, const char *path, char *text,
		   size_t length, struct diagnostics *diag);
void revision_free(struct revision *r);

/* Splits one section body into statements for `dialect` (SQLite rules for
 * DIALECT_SQLITE, PostgreSQL rules for DIALECT_POSTGRESQL). Appends to `out`.
 * Returns 0, or -1 with errors added to `diag`. */
int sql_split(struct statements *out, enum dialect dialect,
	      const struct revision *r, const struct section *s,
	      struct diagnostics *diag);
void statements_free(struct statements *s);

/* lexer.re: appends the statement at [first, end) of a section body (a
 * NUL-terminated copy of r->text from s->begin), trimmed by the caller,
 * CR LF as LF; `lead` is where the text before it begins. */
void statements_add(struct statements *out, const struct section *s,
		    const char *body, const char *lead, const char *first,
		    const char *end, int line);
/* The file location of `at` in a section body copy. */
struct location section_location(const struct revision *r,
				 const struct section *s, const char *body,
				 const char *at);
/* lexer.re: reports the body's first unterminated quote or comment or psql
 * meta-command for `dialect`, the way the splitters do; returns -1 when it
 * found one, else 0. */
int sql_lexical_check(enum dialect dialect, const struct revision *r,
		      const struct section *s, const char *body,
		      struct diagnostics *diag);

/* pgparse.c: splits a PostgreSQL section with PostgreSQL's own parser
 * (libpg_query), or with its scanner alone in a '-- migc:parse none'
 * revision; a syntax error is reported at file:line:column with the
 * parser's message. Called by sql_split. */
int pg_split(struct statements *out, const struct revision *r,
	     const struct section *s, const char *body,
	     struct diagnostics *diag);
/* Frees the parse results of a statement list (statements_free). */
void pg_trees_free(void **trees, size_t count);

/* lexer.re: the one SQL tokenizer per dialect (SQLite's tokenize.c rules,
 * PostgreSQL's psqlscan.l rules), read by the splitter, the build-time
 * rules' sql_head and autogenerate's normalization. */
enum sql_token_kind {
	SQL_TOKEN_END,
	SQL_TOKEN_SPACE, /* whitespace or a comment */
	SQL_TOKEN_SEMICOLON,
	SQL_TOKEN_WORD,	  /* a keyword or a plain name */
	SQL_TOKEN_NUMBER, /* 12, 1.5e+3, .5, 0x1F */
	SQL_TOKEN_STRING, /* 'text', SQLite's x'00', PostgreSQL's E'' and $$ */
	SQL_TOKEN_QUOTED, /* a quoted name: "a", and SQLite's `a` and [a] */
	SQL_TOKEN_DOT,
	SQL_TOKEN_OPEN,
	SQL_TOKEN_CLOSE,
	SQL_TOKEN_OTHER, /* operators (SQLite's ->> || <= ... whole), ',' */
	SQL_TOKEN_UNTERMINATED, /* message says what and how to close it */
	SQL_TOKEN_META		/* a psql backslash command */
};
struct sql_token {
	enum sql_token_kind kind;
	const char *start, *end;
	const char *message; /* SQL_TOKEN_UNTERMINATED */
	const char *tag;     /* the unterminated $tag$, for the message */
	size_t tag_length;
};
/* Reads the token at t->start of `body` (NUL-terminated; where it begins
 * matters to psql's backslash commands) into t; the next is at t->end. */
void sql_token_next(struct sql_token *t, enum dialect dialect,
		    const char *body);
/* A WORD token that is `keyword`, in any case. */
int sql_token_is(const struct sql_token *t, const char *keyword);
/* The name a WORD or QUOTED token stands for, unquoted (malloc'd). */
char *sql_token_name(const struct sql_token *t);
/* The one quoter of the generator's SQL (malloc'd): `name` as the dialect
 * needs it written: as it is when it is a plain name that is no keyword
 * (SQLite), else quoted as the runtime quotes (migc_text_add_identifier);
 * PostgreSQL's names are always quoted. */
char *sql_identifier_quote(enum dialect dialect, const char *name);

/* lexer.re -> rules.c: a statement's first words, upper-cased, read by the
 * dialect's tokenizer (comments skipped; a string is the word "'"). */
#define SQL_HEAD_WORDS 6
struct sql_head {
	char word[SQL_HEAD_WORDS][24];
	size_t count;
};
void sql_head(struct sql_head *out, enum dialect dialect, const char *sql);

/* lexer.re -> revision.c: one line of a revision file, classified. */
enum line_kind { LINE_BLANK, LINE_COMMENT, LINE_DIRECTIVE, LINE_TEXT };
struct revision_line {
	enum line_kind kind;
	const char *first;	       /* first non-blank byte */
	const char *directive;	       /* LINE_DIRECTIVE: the 'm' of "migc:" */
	const char *key, *key_end;     /* up to the first blank */
	const char *value, *value_end; /* rest of the line, blanks trimmed */
	const char *next; /* start of the next line, or the final NUL */
};
void lex_revision_line(const char *line, struct revision_line *out);

/* The section that applies for `dialect`: the dialect's own, else the
 * generic one, else NULL. */
const struct section *revision_section(const struct revision *r,
				       enum section_kind kind,
				       enum dialect dialect);
/* The upgrade section for `dialect`; NULL after an error saying what to
 * add when there is none for it (none when `r` has no upgrade at all:
 * parsing reported that). */
const struct section *revision_upgrade(const struct revision *r,
				       enum dialect dialect,
				       struct diagnostics *diag);

struct graph {
	struct revision *revisions; /* owned; sorted by file name on load */
	size_t count;
	size_t *order; /* topological: parents before children */
	size_t *heads; /* indices, sorted by id */
	size_t head_count;
	/* The versions directory's baseline (migc squash), set aside by
	 * graph_build and owned; NULL when none. baseline_of: the index of
	 * the revision it stands for. */
	struct revision *baseline;
	size_t baseline_of;
	/* Repeatable revisions, apart from the graph: sorted by file name on
	 * load; graph_build resolves their depends_on (`dependencies`, into
	 * this array) and orders them (dependencies first, else by name). */
	struct revision *repeatables;
	size_t repeatable_count;
	size_t *repeatable_order;
	int of_repeatables; /* graph.c: this graph holds repeatables */
};

/* Reads every *.sql in `dir` (sorted by name). Returns 0 or -1. */
int graph_load(struct graph *g, const char *dir, struct diagnostics *diag);
/* Resolves parents, rejects duplicates, unknown ids and cycles, orders;
 * sets a baseline aside (history/baseline.c). */
int graph_build(struct graph *g, struct diagnostics *diag);
/* history/baseline.c, for graph_build: moves the baseline file out of
 * g->revisions into g->baseline (one at most), and once the graph is
 * built finds the revision it names. 0 or -1 after reporting. */
int graph_baseline_aside(struct graph *g, struct diagnostics *diag);
int graph_baseline_resolve(struct graph *g, struct diagnostics *diag);
/* The revisions with an id, ordered by id (strcmp): indices into
 * g->revisions, malloc'd; the caller frees it. */
size_t *graph_id_order(const struct graph *g);
void graph_free(struct graph *g);

/* Rejects statements that cannot run in a transaction when the revision
 * runs in one (rules.c). Returns 0 or -1. */
int rules_check(const struct revision *r, const struct statements *list,
		enum dialect dialect, struct diagnostics *diag);

/* 1 when the statement cannot run inside a transaction. */
int rules_no_transaction(const struct statement *s, enum dialect dialect);

/* Normalized checksum: CR LF as LF, trailing blanks of each line dropped. */
uint64_t checksum_statements(const struct statements *upgrade);

/* migc_set.digest: FNV-1a 64 over the dialect's name and NUL, then every
 * revision in set order (g->order): its id and NUL, its parents' and its
 * dependencies' set positions, and its checksum (`checksums[position]`);
 * then, when there are repeatables, each one's name, dependencies and
 * checksum (`repeatable_checksums[position]`, in g->repeatable_order);
 * never 0, so 0 can mean none. */
uint64_t checksum_set(const struct graph *g, enum dialect dialect,
		      const uint64_t *checksums,
		      const uint64_t *repeatable_checksums);

/* The linter's findings (lint/lint.h): warnings by default. */
enum lint_mode { LINT_WARN = 0, LINT_OFF = 1, LINT_ERROR = 2 };

struct emit_options {
	const char *name; /* C identifier of the set */
	enum dialect dialect;
	const char *output_dir;
	enum lint_mode lint;
	/* FROM_BASELINE (migc squash): the set starts at the baseline's
	 * revision; the revisions before it are left out. */
	int from_baseline;
};

/* Splits and lints every revision for the dialect, reporting problems;
 * writes nothing. */
int emit_check(const struct graph *g, enum dialect dialect,
	       enum lint_mode lint, struct diagnostics *diag);

/* Writes <name>.c and <name>.h through temporary files and rename. */
int emit_set(const struct graph *g, const struct emit_options *options,
	     struct diagnostics *diag);

/* buffer.c: growable text, always NUL-terminated. */
struct buffer {
	char *data;
	size_t length;
	size_t capacity;
};
void buffer_put(struct buffer *b, const char *text, size_t length);
void buffer_puts(struct buffer *b, const char *text);
void buffer_vprintf(struct buffer *b, const char *format, va_list args);
void buffer_printf(struct buffer *b, const char *format, ...) GEN_PRINTF(2, 3);
/* The generator's malloc'd strings, each its exact size (aborts when
 * memory runs out): `length` bytes of `begin`, a copy of `text` (NULL
 * stays NULL), printf's text. */
char *text_copy(const char *begin, size_t length);
char *text_dup(const char *text);
char *text_format(const char *format, ...) GEN_PRINTF(1, 2);

/* A growable list of malloc'd strings, which it owns. */
struct string_list {
	char **items;
	size_t count;
	size_t capacity;
};
void string_list_add(struct string_list *list, char *owned);
void string_list_free(struct string_list *list);
int string_list_has(const struct string_list *list, const char *text);
/* The same strings in the same order. */
int string_list_equal(const struct string_list *a, const struct string_list *b);

/* files.c: a directory's names; a whole file, NUL-terminated (NULL with
 * errno on failure); and
 * a durable write through a mkstemp file beside it ("<path>.tmp.XXXXXX",
 * synced, removed on failure): renamed over the file when `replace`, else
 * linked to a name that must not exist yet. */
char *file_read(const char *path, size_t *length);
/* The names in `dir` that end in `suffix` ("": every one), dot files left
 * out, sorted by strcmp, into `out` (emptied first; free it with
 * string_list_free). 0, or -1 with errno when `dir` cannot be read. */
int dir_list(const char *dir, const char *suffix, struct string_list *out);
int file_write(const char *path, const char *data, size_t length, int replace,
	       struct diagnostics *diag);

const char *dialect_name(enum dialect d);
int dialect_parse(const char *text, size_t length, enum dialect *out);

#endif /* MIGC_GEN_H */
