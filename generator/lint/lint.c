/* lint.c: the linter's driver: runs the dialect's rules over a revision's
 * upgrade, in order, and reports each finding unless a '-- migc:allow'
 * names its rule (lint_postgresql.c reads PostgreSQL's parse tree,
 * lint_sqlite.c SQLite's tokens). Called by emit.c after rules.c. */
#include "lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lint_rules[] = {
    /* PostgreSQL, squawk's names where squawk has the rule */
    "require-concurrent-index-creation", "require-concurrent-index-deletion",
    "adding-required-field", "adding-not-nullable-field",
    "changing-column-type", "adding-field-with-default",
    "constraint-missing-not-valid", "adding-foreign-key-constraint",
    "disallowed-unique-constraint", "adding-serial-primary-key-field",
    "renaming-column", "renaming-table", "require-lock-timeout",
    "prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-identity",
    "prefer-text-field", "prefer-timestamptz", "ban-char-field",
    "ban-drop-column", "ban-drop-table", "ban-drop-database",
    "ban-drop-not-null", "prefer-robust-stmts",
    /* SQLite */
    "sqlite-alter-needs-rebuild", "sqlite-add-column-refused",
    "sqlite-foreign-keys-left-off", NULL};

int lint_mode_parse(const char *text, enum lint_mode *out)
{
	if (strcmp(text, "warn") == 0)
		*out = LINT_WARN;
	else if (strcmp(text, "error") == 0)
		*out = LINT_ERROR;
	else if (strcmp(text, "off") == 0)
		*out = LINT_OFF;
	else
		return -1;
	return 0;
}

void lint_finding(const struct lint_context *c, int at, const char *rule,
		  const char *format, ...)
{
	struct lint_finding f;
	va_list args;

	f.rule = rule;
	f.at = at;
	va_start(args, format);
	vsnprintf(f.message, sizeof f.message, format, args);
	va_end(args);
	c->report(&f, c->payload);
}

static int known_rule(const char *id, size_t length)
{
	size_t i;
	for (i = 0; lint_rules[i]; i++)
		if (strlen(lint_rules[i]) == length &&
		    memcmp(lint_rules[i], id, length) == 0)
			return 1;
	return 0;
}

static struct location location_of(const struct revision *r, size_t offset)
{
	struct location at = {r->path, 1, 1};
	size_t i, line_start = 0;

	for (i = 0; i < offset && i < r->length; i++)
		if (r->text[i] == '\n') {
			at.line++;
			line_start = i + 1;
		}
	at.column = (int)(offset - line_start) + 1;
	return at;
}

/* Does the '-- migc:allow' line at `line` name `rule`? With rule NULL,
 * reports the ids that name no rule. Returns 1 when it names it. */
static int allow_line_names(const struct revision *r, const char *line,
			    const char *rule, struct diagnostics *diag)
{
	struct revision_line l;
	const char *item, *end;

	lex_revision_line(line, &l);
	if (l.kind != LINE_DIRECTIVE || l.key_end - l.key != 5 ||
	    memcmp(l.key, "allow", 5) != 0)
		return 0;
	for (item = l.value; item < l.value_end; item = end) {
		while (item < l.value_end && (*item == ' ' || *item == ','))
			item++;
		for (end = item;
		     end < l.value_end && *end != ',' && *end != ' '; end++)
			;
		if (end == item ||
		    (end - item >= 2 && item[0] == '-' && item[1] == '-'))
			break; /* "-- why" after the ids */
		if (rule && strlen(rule) == (size_t)(end - item) &&
		    memcmp(rule, item, (size_t)(end - item)) == 0)
			return 1;
		if (!rule && !known_rule(item, (size_t)(end - item)))
			diag_error(diag,
				   location_of(r, (size_t)(item - r->text)),
				   "'-- migc:allow %.*s' names no lint rule; "
				   "the rule ids are in the README (section "
				   "'The linter') and in each warning",
				   (int)(end - item), item);
	}
	return 0;
}

/* The allow lines that belong to statement `i`: whole lines from after the
 * previous statement up to its end, and a comment after its own ';' on
 * the same line. Calls allow_line_names on each. */
static int statement_allows(const struct revision *r,
			    const struct statements *list, size_t i,
			    const char *rule, struct diagnostics *diag)
{
	const struct statement *s = &list->items[i];
	size_t from = s->lead, end = s->offset + s->length, p;
	const char *text = r->text;

	/* A partial first line holds the previous statement's comment. */
	while (from > 0 && from < s->offset && text[from - 1] != '\n')
		from++;
	for (p = from; p < end && p < r->length;) {
		if (allow_line_names(r, text + p, rule, diag))
			return 1;
		while (p < r->length && text[p] != '\n')
			p++;
		p++;
	}
	/* ... ';' then "-- migc:allow x" on the statement's last line */
	for (p = end; p < r->length && text[p] != '\n'; p++)
		if (text[p] == '-' && p + 1 < r->length && text[p + 1] == '-')
			return allow_line_names(r, text + p, rule, diag);
	return 0;
}

struct reporter {
	const struct revision *r;
	const struct statements *list;
	size_t index;
	enum lint_mode mode;
	struct diagnostics *diag;
	int errors;
	struct string_list allowed; /* the header's '-- migc:allow' ids */
};

static void report(const struct lint_finding *f, void *payload)
{
	struct reporter *rep = payload;
	const struct statement *s = &rep->list->items[rep->index];
	struct location at;

	if (string_list_has(&rep->allowed, f->rule) ||
	    statement_allows(rep->r, rep->list, rep->index, f->rule, NULL))
		return;
	at = location_of(rep->r,
			 s->offset + (f->at > 0 && (size_t)f->at < s->length
					  ? (size_t)f->at
					  : 0));
	if (rep->mode == LINT_ERROR) {
		diag_error(rep->diag, at, "%s [%s]", f->message, f->rule);
		rep->errors++;
	} else {
		diag_warning(rep->diag, at,
			     "%s [%s; silence it with '-- migc:allow %s']",
			     f->message, f->rule, f->rule);
	}
}

int lint_revision(const struct revision *r, const struct statements *upgrade,
		  enum dialect dialect, enum lint_mode mode,
		  struct diagnostics *diag)
{
	struct lint_state state;
	struct reporter rep;
	size_t i, errors = diag->errors;

	for (i = 0; i < r->allow_count; i++)
		if (!known_rule(r->allow[i].text, strlen(r->allow[i].text)))
			diag_error(diag, r->allow[i].at,
				   "'-- migc:allow %s' names no lint rule; the "
				   "rule ids are in the README (section 'The "
				   "linter') and in each warning",
				   r->allow[i].text);
	for (i = 0; i < upgrade->count; i++)
		statement_allows(r, upgrade, i, NULL, diag);
	if (mode == LINT_OFF)
		return diag->errors > errors ? -1 : 0;
	memset(&state, 0, sizeof state);
	state.no_transaction = r->no_transaction;
	rep.r = r;
	rep.list = upgrade;
	rep.mode = mode;
	rep.diag = diag;
	rep.errors = 0;
	memset(&rep.allowed, 0, sizeof rep.allowed);
	for (i = 0; i < r->allow_count; i++)
		string_list_add(&rep.allowed, text_dup(r->allow[i].text));
	for (i = 0; i < upgrade->count; i++) {
		rep.index = i;
		if (dialect == DIALECT_POSTGRESQL)
			lint_postgresql_statement(&state, &upgrade->items[i],
						  report, &rep);
		else
			lint_sqlite_statement(&state, upgrade, i, report, &rep);
	}
	if (dialect == DIALECT_SQLITE && upgrade->count > 0) {
		rep.index = upgrade->count - 1;
		lint_sqlite_finish(&state, report, &rep);
	}
	string_list_free(&rep.allowed);
	string_list_free(&state.created);
	string_list_free(&state.not_valid);
	return diag->errors > errors ? -1 : 0;
}
