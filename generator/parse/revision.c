/* revision.c: turns one revision file into a struct revision: the header
 * directives and where each upgrade or downgrade section's body lies.
 * lexer.re classifies the lines and later splits the bodies; graph.c links
 * the revisions. */
#include "gen.h"

#include <stdlib.h>
#include <string.h>

/* Alembic's version table holds ids in VARCHAR(32). */
#define REVISION_ID_MAX 32
/* A repeatable's history row is "R:<name>" (MIGC_REPEATABLE_PREFIX). */
#define REPEATABLE_NAME_MAX (REVISION_ID_MAX - 2)

enum key {
	KEY_REVISION,
	KEY_DOWN_REVISION,
	KEY_MESSAGE,
	KEY_CREATE_DATE,
	KEY_BRANCH_LABELS,
	KEY_DEPENDS_ON,
	KEY_TRANSACTION,
	KEY_PARSE,
	KEY_ALLOW, /* also inside sections, where it is the linter's */
	KEY_BASELINE_OF, /* migc squash: a baseline, outside the graph */
	KEY_REPEATABLE,
	KEY_UPGRADE, /* sections from here on */
	KEY_DOWNGRADE,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
    "revision",	     "down_revision", "message",     "create_date",
    "branch_labels", "depends_on",    "transaction", "parse",
    "allow",	     "baseline_of",   "repeatable",  "upgrade",
    "downgrade",
};

/* What to write after a header directive that needs a value. */
static const char *const value_hints[KEY_UPGRADE] = {
    "the revision id",
    "'none' for a first revision, else the parent revision ids",
    NULL,
    NULL,
    "one or more labels separated by commas",
    "one or more revision ids or labels separated by commas",
    "'none' or 'required'",
    "'none' (split without PostgreSQL's grammar check) or 'required'",
    "one or more rule ids separated by commas",
    "the id of the revision whose schema this baseline creates",
    "the repeatable's name (letters, digits or underscores)",
};

struct parser {
	struct revision *r;
	struct diagnostics *diag;
	const char *line_start;
	int line;
	struct location seen[KEY_UPGRADE]; /* line 0: not seen yet */
	int in_sections;   /* past the first section directive */
	long open_section; /* index, or -1 */
	int saw_upgrade;
	int in_text; /* previous line was stray SQL */
	int failed;
};

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p)
		abort();
	return p;
}

static char *copy_text(const char *text, size_t length)
{
	char *copy = xrealloc(NULL, length + 1);
	memcpy(copy, text, length);
	copy[length] = '\0';
	return copy;
}

static int equals(const char *text, size_t length, const char *word)
{
	return strlen(word) == length && memcmp(text, word, length) == 0;
}

static struct location location_at(const struct parser *p, const char *at)
{
	struct location l = {p->r->path, p->line,
			     (int)(at - p->line_start) + 1};
	return l;
}

static void error_at(struct parser *p, const char *at, const char *format,
		     const char *argument, size_t length)
{
	diag_error(p->diag, location_at(p, at), format, (int)length, argument);
	p->failed = 1;
}

/* Letters, digits and underscores; ids also at most REVISION_ID_MAX. */
static int valid_name(const char *text, size_t length, size_t max)
{
	size_t i;

	if (length == 0 || (max && length > max))
		return 0;
	for (i = 0; i < length; i++) {
		char c = text[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		      (c >= 'a' && c <= 'z') || c == '_'))
			return 0;
	}
	return 1;
}

/* The words of the target grammar (head, heads, base, current), exactly as
 * the runtime compares them. An id or label spelled so could not be named
 * in a target. The rest of that grammar ('@', '+', '-', ':', ',', blanks)
 * is kept out by valid_name. */
static int is_target_word(const char *text, size_t length)
{
	static const char *const words[] = {"head", "heads", "base", "current"};
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++)
		if (equals(text, length, words[i]))
			return 1;
	return 0;
}

static const char *invalid_name_message(enum key key)
{
	switch (key) {
	case KEY_BRANCH_LABELS:
		return "invalid branch label '%.*s'; a label is letters, "
		       "digits or underscores";
	case KEY_DEPENDS_ON:
		return "invalid dependency '%.*s'; name a revision id or a "
		       "branch label (letters, digits or underscores)";
	default:
		return "invalid revision id '%.*s'; an id is 1 to 32 "
		       "letters, digits or underscores";
	}
}

static int listed(const struct name_ref *items, size_t count, const char *text,
		  size_t length)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (equals(text, length, items[i].text))
			return 1;
	return 0;
}

/* Comma-separated names, each kept with its column. */
static void parse_names(struct parser *p, enum key key,
			const struct revision_line *l, struct name_ref **items,
			size_t *count)
{
	const char *item = l->value, *end, *comma;
	size_t max = key == KEY_DOWN_REVISION ? REVISION_ID_MAX : 0;

	for (;;) {
		while (item < l->value_end && (*item == ' ' || *item == '\t'))
			item++;
		comma = item < l->value_end
			    ? memchr(item, ',', (size_t)(l->value_end - item))
			    : NULL;
		end = comma ? comma : l->value_end;
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end == item)
			error_at(p, item,
				 "empty entry in '-- migc:%.*s'; remove the "
				 "extra comma",
				 key_names[key], strlen(key_names[key]));
		else if (equals(item, (size_t)(end - item), "none"))
			error_at(p, item,
				 "'none' in a list in '-- migc:%.*s'; write "
				 "'none' alone or list only names",
				 key_names[key], strlen(key_names[key]));
		else if (!valid_name(item, (size_t)(end - item), max))
			error_at(p, item, invalid_name_message(key), item,
				 (size_t)(end - item));
		else if (key == KEY_BRANCH_LABELS &&
			 is_target_word(item, (size_t)(end - item)))
			error_at(p, item,
				 "branch label '%.*s' is a target word (head, "
				 "heads, base, current); 'label@head' and "
				 "depends_on could not name it: choose another "
				 "label",
				 item, (size_t)(end - item));
		else if (listed(*items, *count, item, (size_t)(end - item))) {
			diag_error(p->diag, location_at(p, item),
				   "'%.*s' is listed twice in '-- migc:%s'; "
				   "%s: remove the repeat",
				   (int)(end - item), item, key_names[key],
				   key == KEY_DOWN_REVISION
				       ? "a merge names each parent once"
				       : "name each dependency once");
			p->failed = 1;
		} else {
			struct name_ref *ref;
			*items =
			    xrealloc(*items, (*count + 1) * sizeof **items);
			ref = &(*items)[(*count)++];
			ref->text = copy_text(item, (size_t)(end - item));
			ref->at = location_at(p, item);
		}
		if (!comma)
			break;
		item = comma + 1;
	}
}

/* '-- migc:allow a, b' in the header: rule ids for the whole revision
 * (the linter checks that they name rules). */
static void parse_rule_ids(struct parser *p, const struct revision_line *l)
{
	struct revision *r = p->r;
	const char *item = l->value, *end;

	while (item < l->value_end) {
		while (item < l->value_end &&
		       (*item == ' ' || *item == '\t' || *item == ','))
			item++;
		for (end = item; end < l->value_end && *end != ',' &&
				 *end != ' ' && *end != '\t';
		     end++)
			;
		if (end == item ||
		    (end - item >= 2 && item[0] == '-' && item[1] == '-'))
			break; /* "-- why" after the ids */
		r->allow = xrealloc(r->allow,
				    (r->allow_count + 1) * sizeof *r->allow);
		r->allow[r->allow_count].text =
		    copy_text(item, (size_t)(end - item));
		r->allow[r->allow_count++].at = location_at(p, item);
		item = end;
	}
}

/* The value as a name of at most `max` characters, with where it stands;
 * else `message` (a format taking the value) and -1. */
static int take_name(struct parser *p, const struct revision_line *l,
		     size_t max, const char *message, struct name_ref *out)
{
	size_t length = (size_t)(l->value_end - l->value);

	if (!valid_name(l->value, length, max)) {
		error_at(p, l->value, message, l->value, length);
		return -1;
	}
	out->text = copy_text(l->value, length);
	out->at = location_at(p, l->value);
	return 0;
}

/* A mode's value: 'none' sets `*none`, 'required' is the default; else
 * `message` (a format taking the value). */
static void take_mode(struct parser *p, const struct revision_line *l,
		      int *none, const char *message)
{
	size_t length = (size_t)(l->value_end - l->value);

	if (equals(l->value, length, "none"))
		*none = 1;
	else if (!equals(l->value, length, "required"))
		error_at(p, l->value, message, l->value, length);
}

static void apply_header(struct parser *p, enum key key,
			 const struct revision_line *l)
{
	struct revision *r = p->r;
	size_t length = (size_t)(l->value_end - l->value);

	if (length == 0 && value_hints[key]) {
		diag_error(p->diag, location_at(p, l->value),
			   "'-- migc:%s' needs a value; write %s after it",
			   key_names[key], value_hints[key]);
		p->failed = 1;
		return;
	}
	switch (key) {
	case KEY_REVISION:
		/* A target word is a valid name: the order of the two checks
		 * does not matter. */
		if (is_target_word(l->value, length)) {
			error_at(p, l->value,
				 "revision id '%.*s' is a target word (head, "
				 "heads, base, current); a target could not "
				 "name this revision: choose another id (migc "
				 "revision makes hex ones)",
				 l->value, length);
			break;
		}
		take_name(p, l, REVISION_ID_MAX, invalid_name_message(key),
			  &r->id);
		break;
	case KEY_DOWN_REVISION:
		r->has_down_revision = 1;
		r->down_at = location_at(p, l->directive);
		if (!equals(l->value, length, "none"))
			parse_names(p, key, l, &r->down, &r->down_count);
		break;
	case KEY_MESSAGE:
		free(r->message);
		r->message = copy_text(l->value, length);
		break;
	case KEY_CREATE_DATE:
		free(r->create_date);
		r->create_date = copy_text(l->value, length);
		break;
	case KEY_BRANCH_LABELS:
		if (!equals(l->value, length, "none"))
			parse_names(p, key, l, &r->labels, &r->label_count);
		break;
	case KEY_DEPENDS_ON:
		if (!equals(l->value, length, "none"))
			parse_names(p, key, l, &r->depends_on,
				    &r->depends_on_count);
		break;
	case KEY_TRANSACTION:
		take_mode(p, l, &r->no_transaction,
			  "unknown transaction mode '%.*s'; write 'none' to "
			  "run outside a transaction or 'required' (the "
			  "default)");
		break;
	case KEY_PARSE:
		take_mode(p, l, &r->no_parse,
			  "unknown parse mode '%.*s'; write 'none' to split "
			  "this revision without PostgreSQL's grammar check "
			  "(for syntax newer than it) or 'required' (the "
			  "default)");
		break;
	case KEY_ALLOW:
		parse_rule_ids(p, l);
		break;
	case KEY_BASELINE_OF:
		take_name(p, l, REVISION_ID_MAX, invalid_name_message(key),
			  &r->baseline_of);
		break;
	case KEY_REPEATABLE:
		if (take_name(p, l, REPEATABLE_NAME_MAX,
			      "invalid repeatable name '%.*s'; a name is 1 to "
			      "30 letters, digits or underscores",
			      &r->id) == 0)
			r->repeatable = 1;
		break;
	default:
		break;
	}
}

static void close_section(struct parser *p, size_t end)
{
	if (p->open_section >= 0)
		p->r->sections[p->open_section].end = end;
	p->open_section = -1;
}

static void open_section(struct parser *p, enum key key,
			 const struct revision_line *l)
{
	struct revision *r = p->r;
	enum section_kind kind =
	    key == KEY_UPGRADE ? SECTION_UPGRADE : SECTION_DOWNGRADE;
	enum dialect dialect = DIALECT_GENERIC;
	size_t length = (size_t)(l->value_end - l->value), i;
	struct section *s;

	close_section(p, (size_t)(p->line_start - r->text));
	p->in_sections = 1;
	if (kind == SECTION_UPGRADE)
		p->saw_upgrade = 1;
	if (length && dialect_parse(l->value, length, &dialect) != 0) {
		error_at(p, l->value,
			 "unknown dialect '%.*s'; write 'sqlite' or "
			 "'postgresql', or nothing for a section every dialect "
			 "uses",
			 l->value, length);
		return;
	}
	for (i = 0; i < r->section_count; i++) {
		s = &r->sections[i];
		if (s->kind == kind && s->dialect == dialect) {
			diag_error(p->diag, location_at(p, l->directive),
				   "duplicate '-- migc:%s%s%s' section (first "
				   "at line %d); merge the two into one",
				   key_names[key], length ? " " : "",
				   length ? dialect_name(dialect) : "",
				   s->at.line);
			p->failed = 1;
			return;
		}
	}
	r->sections =
	    xrealloc(r->sections, (r->section_count + 1) * sizeof *r->sections);
	s = &r->sections[r->section_count];
	s->kind = kind;
	s->dialect = dialect;
	s->at = location_at(p, l->directive);
	s->begin = (size_t)(l->next - r->text);
	s->end = s->begin;
	s->body_line = p->line + 1;
	p->open_section = (long)r->section_count++;
}

static enum key find_key(const struct revision_line *l)
{
	size_t length = (size_t)(l->key_end - l->key);
	int k;

	for (k = 0; k < KEY_COUNT; k++)
		if (equals(l->key, length, key_names[k]))
			return (enum key)k;
	return KEY_COUNT;
}

static void unknown_directive(struct parser *p, const struct revision_line *l)
{
	struct buffer known = {0};
	int k;

	for (k = 0; k < KEY_COUNT; k++)
		buffer_printf(&known, "%s%s", k ? ", " : "", key_names[k]);
	diag_error(p->diag, location_at(p, l->directive),
		   "unknown directive 'migc:%.*s'; known directives: %s",
		   (int)(l->key_end - l->key), l->key, known.data);
	free(known.data);
	p->failed = 1;
}

static void directive(struct parser *p, const struct revision_line *l)
{
	enum key key = find_key(l);

	if (key == KEY_COUNT) {
		unknown_directive(p, l);
	} else if (key >= KEY_UPGRADE) {
		open_section(p, key, l);
	} else if (key == KEY_ALLOW) {
		/* In a section it names the statement after it (lint.c reads
		 * it there); in the header, the whole revision. */
		if (!p->in_sections)
			apply_header(p, key, l);
	} else if (p->in_sections) {
		diag_error(p->diag, location_at(p, l->directive),
			   "'-- migc:%s' after a section; move it above the "
			   "first '-- migc:upgrade' or '-- migc:downgrade'",
			   key_names[key]);
		p->failed = 1;
	} else if (p->seen[key].line) {
		diag_error(p->diag, location_at(p, l->directive),
			   "duplicate '-- migc:%s' directive (first at line "
			   "%d); keep one",
			   key_names[key], p->seen[key].line);
		p->failed = 1;
	} else {
		p->seen[key] = location_at(p, l->directive);
		apply_header(p, key, l);
	}
}

static void parse_line(struct parser *p, const struct revision_line *l)
{
	int stray = 0;

	if (l->kind == LINE_DIRECTIVE)
		directive(p, l);
	else if (l->kind == LINE_TEXT && !p->in_sections) {
		stray = 1;
		if (!p->in_text) {
			diag_error(p->diag, location_at(p, l->first),
				   "SQL outside a section; put it under "
				   "'-- migc:upgrade' or '-- migc:downgrade'");
			p->failed = 1;
		}
	}
	p->in_text = stray;
}

/* Directives a file outside the graph cannot have: each one written is
 * an error, `why` saying so (a format given the directive's name). */
static void refuse_directives(struct parser *p, const enum key *keys,
			      size_t count, const char *why)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (!p->seen[keys[i]].line)
			continue;
		diag_error(p->diag, p->seen[keys[i]], why, key_names[keys[i]]);
		p->failed = 1;
	}
}

/* A baseline (migc squash) has no place in the graph: it stands for the
 * revision it names and the chain before it, from base. */
static void check_baseline(struct parser *p)
{
	static const enum key graph_keys[] = {
	    KEY_DOWN_REVISION, KEY_BRANCH_LABELS, KEY_DEPENDS_ON,
	    KEY_TRANSACTION};

	refuse_directives(p, graph_keys,
			  sizeof graph_keys / sizeof graph_keys[0],
			  "a baseline ('-- migc:baseline_of') has no '-- "
			  "migc:%s': it runs from base in one transaction "
			  "and stands for the revision it names; remove the "
			  "directive");
}

/* A repeatable has a name instead of a place in the graph, and runs in a
 * transaction of its own. */
static void check_repeatable(struct parser *p)
{
	static const enum key refused[] = {KEY_REVISION, KEY_DOWN_REVISION,
					   KEY_BRANCH_LABELS, KEY_TRANSACTION,
					   KEY_BASELINE_OF};

	refuse_directives(p, refused, sizeof refused / sizeof refused[0],
			  "'-- migc:%s' in a repeatable revision; a "
			  "repeatable has a name instead of a place in the "
			  "graph and runs in a transaction: remove it (or "
			  "remove '-- migc:repeatable' for a revision)");
	if (!p->saw_upgrade) {
		diag_error(p->diag, p->seen[KEY_REPEATABLE],
			   "repeatable %s has no '-- migc:upgrade' section; "
			   "add one with its definition",
			   p->r->id.text ? p->r->id.text : "");
		p->failed = 1;
	}
}

static void check_complete(struct parser *p)
{
	struct revision *r = p->r;
	struct location start = {r->path, 1, 1};
	struct location at =
	    p->seen[KEY_REVISION].line ? p->seen[KEY_REVISION] : start;

	if (p->seen[KEY_REPEATABLE].line) {
		check_repeatable(p);
		return;
	}
	if (!p->seen[KEY_REVISION].line) {
		diag_error(p->diag, start,
			   "no '-- migc:revision' directive; add one at the "
			   "top, e.g. '-- migc:revision 1a2b3c4d5e6f'");
		p->failed = 1;
	}
	if (p->seen[KEY_BASELINE_OF].line) {
		check_baseline(p);
	} else if (!p->seen[KEY_DOWN_REVISION].line) {
		diag_error(p->diag, at,
			   "no '-- migc:down_revision' directive; add "
			   "'-- migc:down_revision none' for a first revision, "
			   "else name its parent");
		p->failed = 1;
	}
	if (!p->saw_upgrade) {
		if (r->id.text)
			diag_error(p->diag, at,
				   "revision %s has no '-- migc:upgrade' "
				   "section; add one (it may be empty)",
				   r->id.text);
		else
			diag_error(p->diag, at,
				   "revision has no '-- migc:upgrade' "
				   "section; add one (it may be empty)");
		p->failed = 1;
	}
}

/* A NUL byte would end the scanners early: refuse the file. */
static int reject_nul(struct revision *r, struct diagnostics *diag)
{
	const char *nul = memchr(r->text, '\0', r->length), *p;
	struct location at = {r->path, 1, 1};
	const char *line_start = r->text;

	if (!nul)
		return 0;
	for (p = r->text; p < nul; p++)
		if (*p == '\n') {
			at.line++;
			line_start = p + 1;
		}
	at.column = (int)(nul - line_start) + 1;
	diag_error(diag, at,
		   "NUL byte in the file; a revision file is text, remove it");
	return -1;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *backslash = strrchr(path, '\\');

	if (backslash && (!slash || backslash > slash))
		slash = backslash;
	return slash ? slash + 1 : path;
}

int revision_parse(struct revision *out, const char *path, char *text,
		   size_t length, struct diagnostics *diag)
{
	struct parser p;
	struct revision_line l;
	const char *cursor = text;

	memset(out, 0, sizeof *out);
	out->path = copy_text(path, strlen(path));
	out->file_name = copy_text(base_name(path), strlen(base_name(path)));
	out->text = text;
	out->length = length;
	out->message = copy_text("", 0);
	out->create_date = copy_text("", 0);
	if (reject_nul(out, diag) != 0)
		return -1;

	memset(&p, 0, sizeof p);
	p.r = out;
	p.diag = diag;
	p.open_section = -1;
	if (length >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		cursor += 3; /* UTF-8 BOM; columns count from after it */
	for (p.line = 1; *cursor; p.line++) {
		p.line_start = cursor;
		lex_revision_line(cursor, &l);
		parse_line(&p, &l);
		cursor = l.next;
	}
	p.line_start = cursor;
	close_section(&p, length);
	check_complete(&p);
	return p.failed ? -1 : 0;
}

void revision_free(struct revision *r)
{
	size_t i;

	free(r->path);
	free(r->file_name);
	free(r->text);
	free(r->id.text);
	for (i = 0; i < r->down_count; i++)
		free(r->down[i].text);
	free(r->down);
	free(r->message);
	free(r->create_date);
	for (i = 0; i < r->label_count; i++)
		free(r->labels[i].text);
	free(r->labels);
	for (i = 0; i < r->depends_on_count; i++)
		free(r->depends_on[i].text);
	free(r->depends_on);
	for (i = 0; i < r->allow_count; i++)
		free(r->allow[i].text);
	free(r->allow);
	free(r->baseline_of.text);
	free(r->sections);
	free(r->parents);
	free(r->dependencies);
	memset(r, 0, sizeof *r);
}

const struct section *revision_section(const struct revision *r,
				       enum section_kind kind,
				       enum dialect dialect)
{
	const struct section *generic = NULL;
	size_t i;

	for (i = 0; i < r->section_count; i++) {
		const struct section *s = &r->sections[i];
		if (s->kind != kind)
			continue;
		if (s->dialect == dialect)
			return s;
		if (s->dialect == DIALECT_GENERIC)
			generic = s;
	}
	return generic;
}

const struct section *revision_upgrade(const struct revision *r,
				       enum dialect dialect,
				       struct diagnostics *diag)
{
	const struct section *up =
	    revision_section(r, SECTION_UPGRADE, dialect);
	size_t i;
	if (up)
		return up;
	for (i = 0; i < r->section_count; i++)
		if (r->sections[i].kind == SECTION_UPGRADE) {
			diag_error(diag, r->id.at,
				   "%s %s has no upgrade section for dialect "
				   "%s; add '-- migc:upgrade' or '-- "
				   "migc:upgrade %s'",
				   r->repeatable ? "repeatable" : "revision",
				   r->id.text, dialect_name(dialect),
				   dialect_name(dialect));
			break;
		}
	return NULL;
}

static const char *const dialect_names[] = {"generic", "sqlite", "postgresql"};

const char *dialect_name(enum dialect d)
{
	if ((size_t)d >= sizeof dialect_names / sizeof *dialect_names)
		return "unknown";
	return dialect_names[d];
}

/* Accepts the names a user writes: sqlite, postgresql (not generic). */
int dialect_parse(const char *text, size_t length, enum dialect *out)
{
	if (equals(text, length, "sqlite"))
		*out = DIALECT_SQLITE;
	else if (equals(text, length, "postgresql"))
		*out = DIALECT_POSTGRESQL;
	else
		return -1;
	return 0;
}
