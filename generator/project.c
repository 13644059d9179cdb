/* project.c: reads migc.ini, the project file that main.c consults before
 * `revision --autogenerate` and `check`. A strict INI subset: errors name
 * file:line:column and say what to write instead. */
#include "project.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum key_index {
	KEY_VERSIONS,
	KEY_DIALECT,
	KEY_SCHEMA,
	KEY_URL,
	KEY_VERSION_TABLE,
	KEY_TEMPLATE,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
    "versions", "dialect", "schema", "url", "version_table", "template"};

/* A relative path in the file is relative to the file, as in alembic.ini's
 * %(here)s, so the build can run from any directory. */
static char *resolve(const char *file, const char *value)
{
	const char *slash = strrchr(file, '/');
	size_t dir_length;
	if (value[0] == '/' || !slash)
		return text_dup(value);
	dir_length = (size_t)(slash - file);
	if (dir_length == 0)
		dir_length = 1; /* "/migc.ini" */
	return text_format("%.*s/%s", (int)dir_length, file, value);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void set_defaults(struct project *p)
{
	memset(p, 0, sizeof *p);
	p->versions = text_dup("versions");
	p->dialect = text_dup("sqlite");
}

struct parser {
	const char *path;
	struct diagnostics *diag;
	int errors;
	int in_migc, saw_migc, saw_section;
	int set_on_line[KEY_COUNT];
	char *values[KEY_COUNT];
};

static struct location location(const char *path, int line, int column)
{
	struct location at;
	at.file = path;
	at.line = line;
	at.column = column;
	return at;
}

/* Every error in the file goes here: file:line:column, counted. */
#define error_at(ps, line, column, ...)                                        \
	(diag_error((ps)->diag, location((ps)->path, line, column),            \
		    __VA_ARGS__),                                              \
	 (ps)->errors++)

static void parse_section(struct parser *ps, const char *begin, const char *end,
			  int line, int column)
{
	const char *close = memchr(begin, ']', (size_t)(end - begin));
	const char *name, *name_end, *rest;
	ps->saw_section = 1;
	ps->in_migc = 0;
	if (!close) {
		error_at(ps, line, column,
			 "section header without ']'; write [migc]");
		return;
	}
	name = begin + 1;
	name_end = close;
	while (name < name_end && is_blank(*name))
		name++;
	while (name_end > name && is_blank(name_end[-1]))
		name_end--;
	for (rest = close + 1; rest < end && is_blank(*rest); rest++)
		;
	if (rest < end && *rest != '#' && *rest != ';')
		error_at(ps, line, column + (int)(rest - begin),
			 "text after a section header; put it on its own "
			 "line");
	ps->in_migc =
	    (size_t)(name_end - name) == 4 && memcmp(name, "migc", 4) == 0;
	if (ps->in_migc) {
		if (ps->saw_migc)
			error_at(ps, line, column,
				 "a second [migc] section; merge the two");
		ps->saw_migc = 1;
	}
}

static void parse_setting(struct parser *ps, const char *begin, const char *end,
			  int line, int column)
{
	const char *equals = memchr(begin, '=', (size_t)(end - begin));
	const char *key_end, *value, *value_end;
	size_t i, key_length;

	if (!equals) {
		error_at(ps, line, column,
			 "expected 'key = value' (or a [section] header)");
		return;
	}
	for (key_end = equals; key_end > begin && is_blank(key_end[-1]);
	     key_end--)
		;
	for (value = equals + 1; value < end && is_blank(*value); value++)
		;
	for (value_end = end; value_end > value && is_blank(value_end[-1]);
	     value_end--)
		;
	key_length = (size_t)(key_end - begin);
	if (key_length == 0) {
		error_at(ps, line, column, "a setting without a key");
		return;
	}
	if (!ps->saw_section) {
		/* Keys before any header: configparser refuses them too. */
		error_at(ps, line, column,
			 "setting outside a section; put it under [migc]");
		return;
	}
	if (!ps->in_migc)
		return; /* another tool's section */
	for (i = 0; i < KEY_COUNT; i++)
		if (strlen(key_names[i]) == key_length &&
		    strncasecmp(key_names[i], begin, key_length) == 0)
			break;
	if (i == KEY_COUNT) {
		char *key = text_copy(begin, (size_t)(key_end - begin));
		error_at(ps, line, column,
			 "unknown key '%s'; use versions, dialect, schema, "
			 "url, version_table or template",
			 key);
		free(key);
		return;
	}
	if (ps->set_on_line[i]) {
		error_at(ps, line, column,
			 "'%s' is set twice (first on line %d); keep one",
			 key_names[i], ps->set_on_line[i]);
		return;
	}
	if (value == value_end) {
		error_at(ps, line, column + (int)(value - begin),
			 "'%s' has no value; give one or remove the line",
			 key_names[i]);
		return;
	}
	if (i == KEY_DIALECT &&
	    !((value_end - value == 6 && memcmp(value, "sqlite", 6) == 0) ||
	      (value_end - value == 10 &&
	       memcmp(value, "postgresql", 10) == 0))) {
		error_at(ps, line, column + (int)(value - begin),
			 "dialect must be sqlite or postgresql");
		return;
	}
	ps->set_on_line[i] = line;
	ps->values[i] = text_copy(value, (size_t)(value_end - value));
}

int project_load(struct project *out, const char *path,
		 struct diagnostics *diag)
{
	struct parser ps;
	char *text;
	const char *p;
	int line = 1;
	size_t i;

	set_defaults(out);
	if (!path)
		return 0;
	memset(&ps, 0, sizeof ps);
	ps.path = path;
	ps.diag = diag;
	text = file_read(path, NULL);
	if (!text) {
		error_at(&ps, 0, 0, "cannot read the project file: %s",
			 strerror(errno));
		project_free(out);
		return -1;
	}
	for (p = text; *p; line++) {
		const char *end = strchr(p, '\n'), *first = p;
		if (!end)
			end = p + strlen(p);
		while (first < end && is_blank(*first))
			first++;
		if (first < end && *first != '#' && *first != ';') {
			int column = (int)(first - p) + 1;
			if (*first == '[')
				parse_section(&ps, first, end, line, column);
			else
				parse_setting(&ps, first, end, line, column);
		}
		p = *end ? end + 1 : end;
	}
	free(text);
	if (!ps.saw_migc && !ps.errors)
		error_at(&ps, 0, 0,
			 "no [migc] section; add one with at least "
			 "'versions = versions'");
	if (ps.errors) {
		for (i = 0; i < KEY_COUNT; i++)
			free(ps.values[i]);
		project_free(out);
		return -1;
	}
	out->path = text_dup(path);
	if (ps.values[KEY_VERSIONS]) {
		free(out->versions);
		out->versions = resolve(path, ps.values[KEY_VERSIONS]);
	} else {
		free(out->versions);
		out->versions = resolve(path, "versions");
	}
	if (ps.values[KEY_DIALECT]) {
		free(out->dialect);
		out->dialect = text_dup(ps.values[KEY_DIALECT]);
	}
	if (ps.values[KEY_SCHEMA])
		out->schema = resolve(path, ps.values[KEY_SCHEMA]);
	if (ps.values[KEY_TEMPLATE])
		out->template_path = resolve(path, ps.values[KEY_TEMPLATE]);
	out->url = ps.values[KEY_URL];
	out->version_table = ps.values[KEY_VERSION_TABLE];
	ps.values[KEY_URL] = ps.values[KEY_VERSION_TABLE] = NULL;
	for (i = 0; i < KEY_COUNT; i++)
		free(ps.values[i]);
	return 0;
}

void project_free(struct project *p)
{
	free(p->path);
	free(p->versions);
	free(p->dialect);
	free(p->schema);
	free(p->url);
	free(p->version_table);
	free(p->template_path);
	memset(p, 0, sizeof *p);
}
