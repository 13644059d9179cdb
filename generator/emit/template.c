/* template.c: `migc revision`. Renders a new revision file from the versions
 * directory's script.sql.tmpl (or the built-in template) with a fresh id and
 * the current head as its parent, and writes it without clobbering. */
#include "template.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char builtin_template[] =
    "-- ${message}\n"
    "--\n"
    "-- migc:revision      ${revision}\n"
    "-- migc:down_revision ${down_revision}\n"
    "-- migc:message       ${message}\n"
    "-- migc:create_date   ${create_date}\n"
    "-- migc:branch_labels ${branch_labels}\n"
    "-- migc:depends_on    ${depends_on}\n"
    "\n"
    "-- migc:upgrade\n"
    "\n"
    "\n"
    "-- migc:downgrade\n"
    "\n";

int revision_id_random(char out[13])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char bytes[6];
	size_t got = 0, i;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd >= 0) {
		while (got < sizeof bytes) {
			ssize_t n = read(fd, bytes + got, sizeof bytes - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		close(fd);
	}
	if (got < sizeof bytes)
		return -1;
	for (i = 0; i < sizeof bytes; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[12] = '\0';
	return 0;
}

/* Alembic's rule: runs of word characters joined by '_', lower case, cut at
 * 40 characters back to a word boundary with a trailing '_'. */
char *revision_slug(const char *message)
{
	size_t length = strlen(message), used = 0, i;
	char *slug = malloc(length + 2);
	if (!slug)
		abort();
	for (i = 0; i < length;) {
		unsigned char c = (unsigned char)message[i];
		int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
		if (!word) {
			i++;
			continue;
		}
		if (used)
			slug[used++] = '_';
		while (i < length) {
			c = (unsigned char)message[i];
			if (!((c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '_' || c >= 0x80))
				break;
			slug[used++] =
			    (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
			i++;
		}
	}
	slug[used] = '\0';
	if (used > 40) {
		size_t cut = 40;
		while (cut > 0 && slug[cut - 1] != '_')
			cut--;
		/* Python's rsplit("_", 1)[0] keeps everything before the last
		 * '_' of the first 40 characters, then adds '_'. */
		if (cut > 0) {
			slug[cut] = '\0';
		} else {
			slug[40] = '_';
			slug[41] = '\0';
		}
	}
	return slug;
}

static const char *lookup(const struct template_values *values, const char *key,
			  size_t length)
{
	static const char *const keys[] = {"revision",	    "down_revision",
					   "message",	    "create_date",
					   "branch_labels", "depends_on"};
	const char *const fields[] = {
	    values->revision,	 values->down_revision, values->message,
	    values->create_date, values->branch_labels, values->depends_on};
	size_t i;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i]) == length &&
		    memcmp(keys[i], key, length) == 0)
			return fields[i] ? fields[i] : "";
	return NULL;
}

char *template_render(const char *template_text, const char *template_path,
		      const struct template_values *values,
		      struct diagnostics *diag)
{
	struct buffer out = {0};
	const char *p = template_text;
	int line = 1, column = 1, failed = 0;

	buffer_put(&out, "", 0);
	while (*p) {
		if (p[0] == '$' && p[1] == '{') {
			const char *end = strchr(p + 2, '}');
			const char *value =
			    end ? lookup(values, p + 2, (size_t)(end - p - 2))
				: NULL;
			if (!value) {
				struct location at = {template_path, line,
						      column};
				diag_error(diag, at,
					   "unknown template placeholder; use "
					   "${revision}, ${down_revision}, "
					   "${message}, ${create_date}, "
					   "${branch_labels} or ${depends_on}");
				failed = 1;
				if (!end)
					break;
			} else {
				buffer_puts(&out, value);
			}
			column += (int)(end - p + 1);
			p = end + 1;
			continue;
		}
		if (*p == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
		buffer_put(&out, p, 1);
		p++;
	}
	if (failed) {
		free(out.data);
		return NULL;
	}
	return out.data;
}

const char *template_builtin(void)
{
	return builtin_template;
}

void template_now(char out[20])
{
	time_t now = time(NULL);
	struct tm local;
	localtime_r(&now, &local);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &local);
}

/* The header's "-- migc:transaction" line among the lines before byte
 * `limit`: its start and the start of the line after it; unchanged when
 * there is none. */
static void transaction_line(const char *text, size_t limit, size_t *start,
			     size_t *end)
{
	const char *line = text;
	while ((size_t)(line - text) < limit && *line) {
		struct revision_line l;
		lex_revision_line(line, &l);
		if (l.kind == LINE_DIRECTIVE &&
		    (size_t)(l.key_end - l.key) == strlen("transaction") &&
		    strncmp(l.key, "transaction", strlen("transaction")) == 0) {
			*start = (size_t)(line - text);
			*end = (size_t)(l.next - text);
			return;
		}
		line = l.next;
	}
}

/* Puts `upgrade` and `downgrade` at the start of the generic sections of
 * the rendered text (parsed into `parsed`). NULL with a diagnostic when the
 * template has no such section. */
static char *fill_sections(const char *text, const struct revision *parsed,
			   const struct revision_body *body,
			   const char *template_path, struct diagnostics *diag)
{
	const char *bodies[2];
	size_t offsets[2], i, at = 0;
	struct buffer out = {0};

	bodies[0] = body->upgrade ? body->upgrade : "";
	bodies[1] = body->downgrade ? body->downgrade : "";
	for (i = 0; i < 2; i++) {
		const struct section *s = revision_section(
		    parsed, i == 0 ? SECTION_UPGRADE : SECTION_DOWNGRADE,
		    DIALECT_GENERIC);
		if (!s) {
			struct location where = {template_path, 0, 0};
			diag_error(diag, where,
				   "the template has no '-- migc:%s' section "
				   "for the generated statements; add one",
				   i == 0 ? "upgrade" : "downgrade");
			return NULL;
		}
		offsets[i] = s->begin;
	}
	/* The header line takes the place of the template's transaction
	 * line, or goes before the first section's marker line. */
	if (body->no_transaction && !parsed->no_transaction) {
		size_t first =
		    offsets[0] < offsets[1] ? offsets[0] : offsets[1];
		size_t line = first > 0 ? first - 1 : 0, end;
		while (line > 0 && text[line - 1] != '\n')
			line--;
		end = line;
		transaction_line(text, line, &line, &end);
		buffer_put(&out, text, line);
		buffer_puts(&out, "-- migc:transaction   none\n");
		at = end;
	}
	/* Two insertions, in the order they appear in the text. */
	for (i = 0; i < 2; i++) {
		size_t pick = (offsets[0] <= offsets[1]) == (i == 0) ? 0 : 1;
		size_t length = strlen(bodies[pick]);
		buffer_put(&out, text + at, offsets[pick] - at);
		at = offsets[pick];
		buffer_put(&out, bodies[pick], length);
		if (length && bodies[pick][length - 1] != '\n')
			buffer_put(&out, "\n", 1);
	}
	buffer_puts(&out, text + at);
	return out.data;
}

int revision_create(const struct revision_request *request, char **path,
		    struct diagnostics *diag)
{
	return revision_create_filled(request, NULL, path, diag);
}

int revision_create_filled(const struct revision_request *request,
			   const struct revision_body *body, char **path,
			   struct diagnostics *diag)
{
	struct template_values values;
	struct revision check;
	char id[13], date[20], *template_path, *template_text, *text, *slug;
	int result = -1;

	*path = NULL;
	if (!request->rev_id && revision_id_random(id) != 0) {
		struct location at = {"/dev/urandom", 0, 0};
		diag_error(diag, at,
			   "cannot read a random revision id; pass "
			   "--rev-id");
		return -1;
	}
	template_now(date);
	values.revision = request->rev_id ? request->rev_id : id;
	values.down_revision = request->parents;
	values.message = request->message;
	values.create_date = date;
	values.branch_labels =
	    request->branch_labels[0] ? request->branch_labels : "none";
	values.depends_on =
	    request->depends_on[0] ? request->depends_on : "none";

	if (body && body->template_path) {
		template_path = strdup(body->template_path);
		if (!template_path)
			abort();
		template_text = file_read(template_path, NULL);
		if (!template_text) {
			struct location at = {template_path, 0, 0};
			diag_error(diag, at, "cannot read the template: %s",
				   strerror(errno));
			free(template_path);
			return -1;
		}
	} else {
		struct buffer joined = {0};
		buffer_printf(&joined, "%s/script.sql.tmpl", request->versions);
		template_path = joined.data;
		template_text = file_read(template_path, NULL);
	}
	text = template_render(template_text ? template_text : builtin_template,
			       template_text ? template_path : "<built-in>",
			       &values, diag);
	if (text) {
		char *copy = strdup(text);
		struct buffer joined = {0};
		if (!copy)
			abort();
		slug = revision_slug(values.message);
		buffer_printf(&joined, "%s/%s_%s.sql", request->versions,
			      values.revision, slug);
		*path = joined.data;
		free(slug);
		/* What the template made must parse, or it is not written. */
		memset(&check, 0, sizeof check);
		if (revision_parse(&check, *path, copy, strlen(copy), diag) !=
		    0) {
			struct location at = {template_path, 0, 0};
			diag_note(diag, at,
				  "the template renders a revision that does "
				  "not parse; fix the template");
		} else if (body) {
			char *filled = fill_sections(
			    text, &check, body,
			    template_text ? template_path : "<built-in>", diag);
			struct revision again;
			memset(&again, 0, sizeof again);
			/* Filled, it must still parse. */
			if (filled &&
			    revision_parse(&again, *path, strdup(filled),
					   strlen(filled), diag) == 0 &&
			    file_write(*path, filled, strlen(filled), 0,
				       diag) == 0)
				result = 0;
			revision_free(&again);
			free(filled);
		} else if (file_write(*path, text, strlen(text), 0, diag) ==
			   0) {
			result = 0;
		}
		revision_free(&check);
	}
	if (result != 0) {
		free(*path);
		*path = NULL;
	}
	free(template_path);
	free(template_text);
	free(text);
	return result;
}
