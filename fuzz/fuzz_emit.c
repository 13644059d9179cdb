/* fuzz_emit.c: a differential libFuzzer target over the emitter. The input
 * is revision files separated by a line "=====" (as fuzz_generator.c);
 * when the parser, the graph and the checks accept them, the set is
 * emitted for both dialects and the C it wrote is read back the way a C99
 * compiler reads it (trigraphs, line splices, escapes, adjacent literals,
 * the char arrays of long statements): every statement the splitter gave
 * must appear byte for byte. With MIGC_FUZZ_EMIT_CC set (the
 * emit_compiles test, over the corpus), each output is also compiled with
 * -std=c99 -pedantic-errors and run against the same bytes written as
 * integers, so the compiler itself is the judge. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz_input.h"
#include "gen.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 8

static char output_dir[64];

/* Translation phases 1 and 2: trigraphs, then backslash-newline. */
static size_t translate(char *text, size_t length)
{
	static const char from[] = "=(/)'<!>-";
	static const char to[] = "#[\\]^{|}~";
	size_t in = 0;
	size_t out = 0;

	while (in < length) {
		const char *hit;

		if (in + 2 < length && text[in] == '?' && text[in + 1] == '?' &&
		    text[in + 2] != '\0' &&
		    (hit = strchr(from, text[in + 2])) != NULL) {
			text[out++] = to[hit - from];
			in += 3;
		} else {
			text[out++] = text[in++];
		}
	}
	length = out;
	in = out = 0;
	while (in < length) {
		if (in + 1 < length && text[in] == '\\' &&
		    text[in + 1] == '\n') {
			in += 2;
			continue;
		}
		text[out++] = text[in++];
	}
	text[out] = '\0';
	return out;
}

struct decoded {
	struct buffer *items;
	size_t count;
	size_t capacity;
};

static struct buffer *decoded_add(struct decoded *d)
{
	if (d->count == d->capacity) {
		d->capacity = d->capacity ? 2 * d->capacity : 64;
		d->items = realloc(d->items, d->capacity * sizeof *d->items);
		if (d->items == NULL)
			abort();
	}
	memset(&d->items[d->count], 0, sizeof d->items[0]);
	buffer_put(&d->items[d->count], "", 0);
	return &d->items[d->count++];
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One literal's body from just after its '"'; returns where it ends. */
static const char *decode_literal(const char *p, struct buffer *out)
{
	while (*p != '"') {
		char c = *p++;

		if (c == '\0' || c == '\n')
			__builtin_trap(); /* unterminated literal */
		if (c != '\\') {
			buffer_put(out, &c, 1);
			continue;
		}
		c = *p++;
		switch (c) {
		case 'n':
			c = '\n';
			break;
		case 't':
			c = '\t';
			break;
		case 'r':
			c = '\r';
			break;
		case 'a':
			c = '\a';
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'v':
			c = '\v';
			break;
		case '\\':
		case '"':
		case '\'':
		case '?':
			break;
		case 'x': {
			unsigned value = 0;
			int digits = 0;

			while (hex_value(*p) >= 0) {
				value = value * 16 + (unsigned)hex_value(*p++);
				digits++;
			}
			if (digits == 0 || value > 0xff)
				__builtin_trap();
			c = (char)value;
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned value = (unsigned)(c - '0');
				int digits = 1;

				while (digits < 3 && *p >= '0' && *p <= '7') {
					value =
					    value * 8 + (unsigned)(*p++ - '0');
					digits++;
				}
				if (value > 0xff)
					__builtin_trap();
				c = (char)value;
				break;
			}
			__builtin_trap(); /* not a C escape */
		}
		buffer_put(out, &c, 1);
	}
	return p + 1;
}

/* Every string (adjacent literals joined) and char array in `text`. */
static void decode_all(const char *p, struct decoded *d)
{
	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");

			if (end == NULL)
				__builtin_trap();
			p = end + 2;
		} else if (*p == '"') {
			struct buffer *item = decoded_add(d);

			for (;;) {
				p = decode_literal(p + 1, item);
				while (*p == ' ' || *p == '\t' || *p == '\n')
					p++;
				/* comments between literals are not emitted */
				if (*p != '"')
					break;
			}
		} else if (strncmp(p, "[] = {", 6) == 0) {
			struct buffer *item = decoded_add(d);

			p += 6;
			for (;;) {
				char *end;
				long value = strtol(p, &end, 10);
				char c = (char)value;

				if (end == p)
					break;
				p = end;
				while (*p == ',' || *p == ' ' || *p == '\n' ||
				       *p == '\t')
					p++;
				if (*p == '}' && value == 0)
					break;
				buffer_put(item, &c, 1);
			}
		} else {
			p++;
		}
	}
}

static void decoded_free(struct decoded *d)
{
	size_t i;

	for (i = 0; i < d->count; i++)
		free(d->items[i].data);
	free(d->items);
}

/* The statements emit.c writes, in its order: revisions in topological
 * order, each one's upgrade then downgrade section for `dialect`. */
static void expected(const struct graph *g, enum dialect dialect,
		     struct statements *out, struct diagnostics *diag)
{
	size_t i;
	int kind;

	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];

		for (kind = SECTION_UPGRADE; kind <= SECTION_DOWNGRADE;
		     kind++) {
			const struct section *s = revision_section(
			    r, (enum section_kind)kind, dialect);

			if (s != NULL)
				sql_split(out, dialect, r, s, diag);
		}
	}
}

static void put_bytes(FILE *out, const char *name, const char *text,
		      size_t length)
{
	size_t i;

	fprintf(out, "static const unsigned char %s[] = { ", name);
	for (i = 0; i < length; i++)
		fprintf(out, "%u, ", (unsigned char)text[i]);
	fprintf(out, "0 };\n");
}

/* Compiles the emitted set with a checker holding the expected bytes as
 * integers and runs it. */
static void compile_and_run(const struct statements *want, const char *cc)
{
	const char *include = getenv("MIGC_FUZZ_EMIT_INCLUDE");
	const char *library = getenv("MIGC_FUZZ_EMIT_LIBRARY");
	char path[128];
	char command[1024];
	FILE *out;
	size_t i;

	snprintf(path, sizeof path, "%s/checker.c", output_dir);
	out = fopen(path, "w");
	if (out == NULL)
		abort();
	fprintf(out, "#include <stdio.h>\n#include <string.h>\n"
		     "#include \"fuzzed.h\"\n");
	for (i = 0; i < want->count; i++) {
		char name[32];

		snprintf(name, sizeof name, "s%zu", i);
		put_bytes(out, name, want->items[i].sql, want->items[i].length);
	}
	fprintf(out, "static const unsigned char *const want[] = {");
	for (i = 0; i < want->count; i++)
		fprintf(out, "s%zu, ", i);
	fprintf(out, "0 };\nstatic const unsigned long want_length[] = {");
	for (i = 0; i < want->count; i++)
		fprintf(out, "%zuul, ", want->items[i].length);
	fprintf(out,
		"0 };\nint main(void)\n{\n\tunsigned long n = 0;\n"
		"\tunsigned r, k;\n"
		"\tfor (r = 0; r < fuzzed.revision_count; r++) {\n"
		"\t\tconst migc_revision *v = &fuzzed.revisions[r];\n"
		"\t\tfor (k = 0; k < v->upgrade_count + v->downgrade_count; "
		"k++, n++) {\n"
		"\t\t\tconst migc_statement *s = k < v->upgrade_count ? "
		"&v->upgrade[k] : &v->downgrade[k - v->upgrade_count];\n"
		"\t\t\tif (n >= %zuul || s->length != want_length[n] ||\n"
		"\t\t\t    memcmp(s->sql, want[n], s->length) != 0 ||\n"
		"\t\t\t    s->sql[s->length] != 0) {\n"
		"\t\t\t\tfprintf(stderr, \"statement %%lu differs\\n\", n);\n"
		"\t\t\t\treturn 1;\n\t\t\t}\n\t\t}\n\t}\n"
		"\treturn n == %zuul ? 0 : 1;\n}\n",
		want->count, want->count);
	fclose(out);
	snprintf(command, sizeof command,
		 "%s -std=c99 -pedantic-errors -Werror=overlength-strings "
		 "-w -I%s -I%s -o %s/checker %s/checker.c %s/fuzzed.c %s && "
		 "%s/checker",
		 cc, include ? include : ".", output_dir, output_dir,
		 output_dir, output_dir, library ? library : "", output_dir);
	if (system(command) != 0)
		__builtin_trap();
}

static void emit_and_compare(const struct graph *g, enum dialect dialect)
{
	struct diagnostics diag = {0};
	struct statements want = {0};
	struct emit_options options;
	struct decoded found = {0};
	char path[128];
	char *text;
	size_t length;
	size_t i;
	size_t j;
	unsigned char *used;
	const char *cc = getenv("MIGC_FUZZ_EMIT_CC");

	if (emit_check(g, dialect, LINT_WARN, &diag) != 0 ||
	    diag.errors > 0) {
		diag_free(&diag);
		return;
	}
	options.name = "fuzzed";
	options.dialect = dialect;
	options.output_dir = output_dir;
	options.lint = LINT_WARN;
	if (emit_set(g, &options, &diag) != 0) {
		/* Only a full disk may stop it once the checks passed. */
		diag_free(&diag);
		return;
	}
	expected(g, dialect, &want, &diag);
	snprintf(path, sizeof path, "%s/fuzzed.c", output_dir);
	text = file_read(path, &length);
	if (text == NULL)
		abort();
	length = translate(text, length);
	decode_all(text, &found);
	/* Long statements' arrays come before the table that names them, so
	 * match as a multiset: each statement takes one unused item. */
	used = calloc(found.count + 1, 1);
	if (used == NULL)
		abort();
	for (i = 0; i < want.count; i++) {
		for (j = 0; j < found.count; j++) {
			if (!used[j] &&
			    found.items[j].length == want.items[i].length &&
			    memcmp(found.items[j].data, want.items[i].sql,
				   want.items[i].length) == 0)
				break;
		}
		if (j == found.count)
			__builtin_trap(); /* a statement did not survive */
		used[j] = 1;
	}
	free(used);
	if (cc != NULL)
		compile_and_run(&want, cc);
	free(text);
	decoded_free(&found);
	statements_free(&want);
	diag_free(&diag);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct diagnostics diag = {0};
	struct graph g;

	if (output_dir[0] == '\0') {
		snprintf(output_dir, sizeof output_dir,
			 "/tmp/migc-fuzz-emit-%ld", (long)getpid());
		mkdir(output_dir, 0700);
	}
	fuzz_input_parse(&g, data, size, MAX_FILES, &diag);
	if (diag.errors == 0 && graph_build(&g, &diag) == 0 &&
	    diag.errors == 0) {
		emit_and_compare(&g, DIALECT_SQLITE);
		emit_and_compare(&g, DIALECT_POSTGRESQL);
	}
	graph_free(&g);
	diag_free(&diag);
	return 0;
}
