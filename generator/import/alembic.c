/* alembic.c: an Alembic project's revision scripts as migc revisions: the
 * same ids, graph (down_revision tuples, branch_labels, depends_on),
 * messages and dates from each script; each body what Alembic itself runs
 * for the dialect, read from its offline mode (`alembic upgrade base:heads
 * --sql` and `downgrade heads:base --sql`, split at its "-- Running"
 * lines, its own version-table statements left out). When Alembic cannot
 * run the project, the bodies are the scripts' op.execute() strings, and
 * every other op.* call is listed by file and line. */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the script's module-level values ---- */

/* A Python string literal at `p` ('x', "x"), its text into *out; the
 * position after it, or NULL. */
static const char *python_string(const char *p, char **out)
{
	char quote = *p;
	const char *end;

	if (quote != '\'' && quote != '"')
		return NULL;
	end = strchr(p + 1, quote);
	if (end == NULL)
		return NULL;
	*out = text_copy(p + 1, (size_t)(end - p - 1));
	return end + 1;
}

/* `name = value` (or `name: type = value`) at the start of a line: the
 * value's strings joined with ", " into *out ("" for None). 1 when found. */
static int assignment(const char *text, const char *name, char **out)
{
	size_t n = strlen(name);
	const char *line = text;

	for (; line != NULL && *line != '\0';
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		const char *p = line + n;
		struct buffer joined = {0};
		int depth = 0;

		if (strncmp(line, name, n) != 0 ||
		    (p[0] != ' ' && p[0] != '=' && p[0] != ':'))
			continue;
		p = strchr(p, '=');
		if (p == NULL || p > strchr(line, '\n'))
			continue;
		for (p++; *p != '\0'; p++) {
			char *value = NULL;

			if (*p == '(' || *p == '[')
				depth++;
			else if (*p == ')' || *p == ']')
				depth--;
			else if (*p == '#')
				p += strcspn(p, "\n") - 1;
			else if (*p == '\n' && depth <= 0)
				break;
			else if ((*p == '\'' || *p == '"') &&
				 (p = python_string(p, &value)) != NULL) {
				if (joined.length > 0)
					buffer_puts(&joined, ", ");
				buffer_puts(&joined, value);
				free(value);
				p--;
			}
			if (p == NULL)
				break;
		}
		*out = joined.data ? joined.data : text_copy("", 0);
		return 1;
	}
	return 0;
}

/* The docstring's first line (the message) and its "Create Date:". */
static void docstring(const char *text, struct import_revision *r)
{
	const char *start = strstr(text, "\"\"\"");
	const char *end, *date;

	if (start == NULL)
		return;
	start += 3;
	end = strstr(start, "\"\"\"");
	if (end == NULL)
		return;
	r->message = text_copy(start, strcspn(start, "\n"));
	if ((size_t)(end - start) < strlen(r->message))
		r->message[end - start] = '\0';
	date = strstr(start, "Create Date:");
	if (date != NULL && date < end) {
		date += strlen("Create Date:");
		while (*date == ' ')
			date++;
		/* "2026-01-02 10:00:00.000000" -> seconds. */
		r->create_date = text_copy(date, strcspn(date, ".\n"));
	}
}

static int read_script(struct import_set *set, const char *path)
{
	char *text = file_read(path, NULL);
	struct location at = {path, 0, 0};
	char *id = NULL, *down = NULL;
	struct import_revision *r;

	if (text == NULL) {
		diag_error(set->diag, at, "cannot read it: %s", strerror(errno));
		return -1;
	}
	if (!assignment(text, "revision", &id) || id[0] == '\0') {
		diag_error(set->diag, at,
			   "no `revision = '...'` in this script; is it an "
			   "Alembic revision?");
		free(id), free(text);
		return -1;
	}
	r = import_add(set, id, path);
	r->id = id;
	if (assignment(text, "down_revision", &down) && down[0] != '\0')
		r->parents = down;
	else
		free(down), r->parents = text_copy("none", 4);
	free(r->branch_labels);
	if (!assignment(text, "branch_labels", &r->branch_labels))
		r->branch_labels = text_copy("", 0);
	free(r->depends_on);
	if (!assignment(text, "depends_on", &r->depends_on))
		r->depends_on = text_copy("", 0);
	docstring(text, r);
	free(text);
	return 0;
}

/* ---- the bodies from Alembic's offline mode ---- */

/* Runs `alembic -c CONFIG <verb> <range> --sql` in the config's directory;
 * its standard output, or NULL when it fails (its errors are Alembic's, on
 * standard error). */
static char *run_alembic(const char *config, const char *verb,
			 const char *range)
{
	int out[2];
	pid_t pid;
	struct buffer b = {0};
	char chunk[4096];
	char errors_path[] = "/tmp/migc-import-alembic-XXXXXX";
	int errors = mkstemp(errors_path);
	ssize_t got;
	int status;

	if (errors < 0)
		return NULL;
	unlink(errors_path);
	if (pipe(out) != 0) {
		close(errors);
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		close(out[0]), close(out[1]), close(errors);
		return NULL;
	}
	if (pid == 0) {
		char *dir = text_copy(config, strlen(config));
		char *slash = strrchr(dir, '/');

		if (slash != NULL) {
			*slash = '\0';
			if (chdir(dir) != 0)
				_exit(127);
			config = slash + 1;
		}
		dup2(out[1], 1);
		dup2(errors, 2);
		close(out[0]), close(out[1]), close(errors);
		execlp("alembic", "alembic", "-c", config, verb, range, "--sql",
		       (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	while ((got = read(out[0], chunk, sizeof chunk)) > 0)
		buffer_put(&b, chunk, (size_t)got);
	close(out[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		/* What Alembic said, for the user to see why. */
		lseek(errors, 0, SEEK_SET);
		while ((got = read(errors, chunk, sizeof chunk)) > 0)
			if (fwrite(chunk, 1, (size_t)got, stderr) != (size_t)got)
				break;
		close(errors);
		free(b.data);
		return NULL;
	}
	close(errors);
	if (b.data == NULL)
		buffer_puts(&b, "");
	return b.data;
}

/* A statement of Alembic's own (its version table, its transaction). */
static int alembic_own(const char *sql, size_t length, enum dialect dialect)
{
	struct sql_token t;
	char *copy = text_copy(sql, length);
	int own = 0, first = 1;

	t.end = copy;
	do {
		t.start = t.end;
		sql_token_next(&t, dialect, copy);
		if (t.kind == SQL_TOKEN_WORD || t.kind == SQL_TOKEN_QUOTED) {
			char *name = sql_token_name(&t);

			if (strcmp(name, "alembic_version") == 0 ||
			    (first && (sql_token_is(&t, "BEGIN") ||
				       sql_token_is(&t, "COMMIT"))))
				own = 1;
			free(name);
			first = 0;
		}
	} while (t.kind != SQL_TOKEN_END && t.kind != SQL_TOKEN_UNTERMINATED);
	free(copy);
	return own;
}

/* Appends `body`'s statements but Alembic's own to `b`. */
static void keep_statements(struct buffer *b, const char *body,
			    size_t length, enum dialect dialect)
{
	char *copy = text_copy(body, length);
	const char *start = copy;
	struct sql_token t;

	t.end = copy;
	for (;;) {
		t.start = t.end;
		sql_token_next(&t, dialect, copy);
		if (t.kind == SQL_TOKEN_SEMICOLON || t.kind == SQL_TOKEN_END ||
		    t.kind == SQL_TOKEN_UNTERMINATED) {
			const char *end = t.kind == SQL_TOKEN_SEMICOLON
					      ? t.end
					      : copy + strlen(copy);
			while (start < end && isspace((unsigned char)*start))
				start++;
			if (start < end &&
			    !alembic_own(start, (size_t)(end - start), dialect)) {
				buffer_put(b, start, (size_t)(end - start));
				buffer_puts(b, "\n");
			}
			start = end;
			if (t.kind != SQL_TOKEN_SEMICOLON)
				break;
		}
	}
	free(copy);
}

/* Splits offline output at "-- Running upgrade P -> R" (or downgrade
 * "R -> P") into each revision's body. */
static int split_offline(struct import_set *set, const char *output,
			 int downgrade, enum dialect dialect)
{
	const char *mark = downgrade ? "-- Running downgrade " : "-- Running upgrade ";
	const char *at = strstr(output, mark);

	while (at != NULL) {
		const char *line_end = strchr(at, '\n');
		const char *arrow = strstr(at, " -> ");
		const char *next = strstr(at + 1, mark);
		const char *body = line_end ? line_end + 1 : at + strlen(at);
		const char *body_end = next ? next : body + strlen(body);
		struct import_revision *r;
		char *id;

		if (arrow == NULL || line_end == NULL || arrow > line_end)
			return -1;
		if (downgrade)
			id = text_copy(at + strlen(mark),
				       (size_t)(arrow - at - strlen(mark)));
		else
			id = text_copy(arrow + 4,
				       (size_t)(line_end - arrow - 4));
		r = import_find(set, id);
		free(id);
		if (r == NULL)
			return -1;
		keep_statements(downgrade ? &r->downgrade : &r->upgrade, body,
				(size_t)(body_end - body), dialect);
		at = next;
	}
	return 0;
}

/* A copy of the project's alembic.ini whose sqlalchemy.url names the
 * dialect, beside it (so %(here)s stays true); its path, malloc'd. */
static char *config_for(const char *config, enum dialect dialect)
{
	char *text = file_read(config, NULL);
	struct buffer b = {0}, path = {0};
	const char *line;
	FILE *out;

	if (text == NULL)
		return NULL;
	for (line = text; *line != '\0';) {
		size_t length = strcspn(line, "\n");

		if (strncmp(line, "sqlalchemy.url", 14) == 0)
			buffer_printf(&b, "sqlalchemy.url = %s\n",
				      dialect == DIALECT_POSTGRESQL
					  ? "postgresql://"
					  : "sqlite://");
		else {
			buffer_put(&b, line, length);
			buffer_puts(&b, "\n");
		}
		line += length + (line[length] == '\n');
	}
	free(text);
	buffer_printf(&path, "%s.migc-import.ini", config);
	out = fopen(path.data, "w");
	if (out == NULL || fwrite(b.data, 1, b.length, out) != b.length) {
		if (out != NULL)
			fclose(out);
		free(b.data), free(path.data);
		return NULL;
	}
	fclose(out);
	free(b.data);
	return path.data;
}

/* ---- when Alembic cannot run: op.execute() strings ---- */

/* One direction's op.execute() strings of a script (`upgrade` 1: its
 * upgrade(), 0: its downgrade()); every other op.* call there becomes a
 * comment in the section and a note. */
static void executes(struct import_set *set, struct import_revision *r,
		     const char *text, int upgrade)
{
	const char *p = text;
	struct buffer *into = NULL;
	int line = 1;

	for (; *p != '\0'; p++) {
		if (*p == '\n') {
			line++;
			if (strncmp(p + 1, "def upgrade(", 12) == 0)
				into = upgrade ? &r->upgrade : NULL;
			else if (strncmp(p + 1, "def downgrade(", 14) == 0)
				into = upgrade ? NULL : &r->downgrade;
			else if (p[1] != ' ' && p[1] != '\n' && p[1] != '\t')
				into = into && p[1] == '#' ? into : NULL;
			continue;
		}
		if (into == NULL || strncmp(p, "op.", 3) != 0)
			continue;
		if (strncmp(p, "op.execute(", 11) == 0) {
			const char *q = p + 11;
			const char *end;

			while (*q == ' ' || *q == 'r' || *q == 'f')
				q++;
			if (strncmp(q, "\"\"\"", 3) == 0 ||
			    strncmp(q, "'''", 3) == 0) {
				char close[4] = {q[0], q[0], q[0], '\0'};
				end = strstr(q + 3, close);
				q += 3;
			} else if (*q == '"' || *q == '\'') {
				char close[2] = {q[0], '\0'};
				end = strstr(q + 1, close);
				q += 1;
			} else {
				end = NULL;
			}
			if (end != NULL) {
				buffer_put(into, q, (size_t)(end - q));
				buffer_puts(into, ";\n");
				continue;
			}
		}
		{
			struct location at = {r->source, line,
					      1 + (int)(p - text)};
			const char *s = p;
			while (s > text && s[-1] != '\n')
				s--;
			at.column = 1 + (int)(p - s);
			diag_error(set->diag, at,
				   "not converted: %.*s(); Alembic's offline "
				   "mode could not run it, so only op.execute() "
				   "strings were taken: write this step's SQL "
				   "in the revision by hand",
				   (int)strcspn(p, "(\n"), p);
			buffer_printf(into,
				      "-- migc import: not converted (%s:%d): "
				      "%.*s()\n",
				      r->source, line, (int)strcspn(p, "(\n"),
				      p);
			set->unconverted++;
		}
	}
}

/* Where Alembic's offline mode failed for a direction: the op.execute()
 * strings of every script instead. */
static void executes_all(struct import_set *set, const char *config,
			 int upgrade)
{
	struct location at = {config, 0, 0};
	size_t i;

	diag_note(set->diag, at,
		  "Alembic could not run this project's offline %s (its "
		  "errors are above); taking the scripts' op.execute() "
		  "strings instead",
		  upgrade ? "upgrade" : "downgrade");
	for (i = 0; i < set->count; i++) {
		struct import_revision *rev = &set->items[i];
		struct buffer *b = upgrade ? &rev->upgrade : &rev->downgrade;
		char *text = file_read(rev->source, NULL);

		free(b->data);
		memset(b, 0, sizeof *b);
		if (text != NULL)
			executes(set, rev, text, upgrade);
		free(text);
		if (b->data == NULL)
			buffer_puts(b, "");
	}
}

int import_alembic(struct import_set *set, const struct import_request *r)
{
	struct buffer dir = {0}, config = {0};
	size_t i;
	int result = 0;
	char *temp, *up = NULL, *down = NULL;

	/* The project's directory (alembic.ini) or its versions/. */
	if (r->alembic_config != NULL) {
		buffer_puts(&config, r->alembic_config);
	} else {
		/* Beside the scripts' directory (alembic init's layout) or
		 * in it. */
		buffer_printf(&config, "%s/alembic.ini", r->source);
		if (access(config.data, R_OK) != 0) {
			config.length = 0;
			buffer_printf(&config, "%s/../alembic.ini", r->source);
		}
	}
	buffer_printf(&dir, "%s/versions", r->source);
	{
		/* Every *.py in versions/ (or the source itself). */
		struct string_list names;
		const char *where = dir.data;

		if (import_list(where, ".py", &names) != 0) {
			where = r->source;
			if (import_list(where, ".py", &names) != 0) {
				struct location at = {r->source, 0, 0};
				diag_error(set->diag, at,
					   "no Alembic revision scripts here "
					   "or in its versions/; name the "
					   "project's directory");
				free(dir.data), free(config.data);
				return -1;
			}
		}
		for (i = 0; i < names.count; i++) {
			char *path =
			    text_format("%s/%s", where, names.items[i]);
			if (read_script(set, path) != 0)
				result = -1;
			free(path);
		}
		string_list_free(&names);
	}
	temp = result == 0 ? config_for(config.data, r->dialect) : NULL;
	if (temp != NULL) {
		up = run_alembic(temp, "upgrade", "base:heads");
		down = run_alembic(temp, "downgrade", "heads:base");
		unlink(temp);
		free(temp);
	}
	if (result == 0) {
		int direction;

		for (direction = 1; direction >= 0; direction--) {
			const char *output = direction ? up : down;

			if (output != NULL &&
			    split_offline(set, output, !direction,
					  r->dialect) == 0)
				continue;
			executes_all(set, config.data, direction);
		}
	}
	free(up), free(down), free(dir.data), free(config.data);
	return result;
}
