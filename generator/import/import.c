/* import.c: the layouts of goose, golang-migrate, dbmate, Diesel, sqlx,
 * Flyway and refinery read into one linear chain in each tool's own order,
 * and the revision files written from it (Alembic's scripts: alembic.c).
 * Each tool's rules, as its documentation gives them:
 *   goose           <version>_<name>.sql; "-- +goose Up" / "Down";
 *                   StatementBegin/End; "-- +goose NO TRANSACTION";
 *                   versions compared as numbers
 *   golang-migrate  <version>_<title>.up.sql and .down.sql; numbers
 *   dbmate          <version>_<name>.sql; "-- migrate:up" / "down", either
 *                   with "transaction:false"; versions compared as text
 *   diesel          <name>/up.sql and down.sql, the version the name up to
 *                   its first '_' without '-', compared as text;
 *                   metadata.toml "run_in_transaction = false"
 *   sqlx            <version>_<description>.sql, or .up.sql and .down.sql;
 *                   "-- no-transaction" as the first line; numbers
 *   flyway          V<version>__<description>.sql, U... its undo; version
 *                   parts split by '.' or '_', compared as numbers;
 *                   <script>.conf "executeInTransaction=false"; R__
 *                   (repeatable) scripts as repeatable revisions
 *   refinery        V<version>__<name>.sql or U...; numbers */
#include "import.h"

#include "autogen.h"
#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define ID_MAX 32
/* A repeatable's history row is "R:<name>" in the same 32 bytes. */
#define REPEATABLE_NAME_MAX (ID_MAX - 2)

/* A new entry at the end of `*items`, cleared. */
static struct import_revision *grow(struct import_revision **items,
				    size_t *count, size_t *capacity)
{
	struct import_revision *r;

	if (*count == *capacity) {
		*capacity = *capacity ? *capacity * 2 : 16;
		*items = realloc(*items, *capacity * sizeof **items);
		if (*items == NULL)
			abort();
	}
	r = &(*items)[(*count)++];
	memset(r, 0, sizeof *r);
	return r;
}

struct import_revision *import_add(struct import_set *set, const char *version,
				   const char *source)
{
	struct import_revision *r =
	    grow(&set->items, &set->count, &set->capacity);

	r->version = text_copy(version, strlen(version));
	r->source = text_copy(source, strlen(source));
	r->branch_labels = text_copy("", 0);
	r->depends_on = text_copy("", 0);
	return r;
}

struct import_revision *import_find(const struct import_set *set,
				    const char *version)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strcmp(set->items[i].version, version) == 0)
			return &set->items[i];
	return NULL;
}

static void revisions_free(struct import_revision *items, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		struct import_revision *r = &items[i];
		char *owned[] = {r->version,	   r->id,
				 r->parents,	   r->message,
				 r->create_date,   r->branch_labels,
				 r->depends_on,	   r->upgrade.data,
				 r->downgrade.data, r->source};
		size_t j;

		for (j = 0; j < sizeof owned / sizeof owned[0]; j++)
			free(owned[j]);
	}
	free(items);
}

void import_set_free(struct import_set *set)
{
	revisions_free(set->items, set->count);
	revisions_free(set->repeatables, set->repeatable_count);
	set->items = set->repeatables = NULL;
	set->count = set->capacity = 0;
	set->repeatable_count = set->repeatable_capacity = 0;
}

/* ---- names and orders ---- */

/* Whether `file` ends in `suffix`. */
static int ends_with(const char *file, const char *suffix)
{
	size_t length = strlen(file), n = strlen(suffix);

	return length >= n && strcmp(file + length - n, suffix) == 0;
}

int import_list(const char *dir, const char *suffix, struct string_list *names)
{
	if (dir_list(dir, suffix, names) != 0)
		return -1;
	if (names->count == 0) {
		string_list_free(names);
		return -1;
	}
	return 0;
}

/* Two runs of digits as numbers, whatever their length. */
static int compare_number(const char *a, size_t an, const char *b,
			  size_t bn)
{
	while (an > 1 && *a == '0')
		a++, an--;
	while (bn > 1 && *b == '0')
		b++, bn--;
	if (an != bn)
		return an < bn ? -1 : 1;
	return memcmp(a, b, an);
}

/* Flyway's and the numbered tools' order: parts split by '.' or '_', each
 * compared as a number ("1.10" after "1.9"); text where a part is none. */
int import_version_compare(const char *a, const char *b)
{
	while (*a != '\0' || *b != '\0') {
		size_t an = strspn(a, "0123456789");
		size_t bn = strspn(b, "0123456789");
		int c;

		if (an == 0 || bn == 0)
			return strcmp(a, b);
		c = compare_number(a, an, b, bn);
		if (c != 0)
			return c;
		a += an;
		b += bn;
		if (*a != '\0' && strchr("._", *a) != NULL)
			a++;
		if (*b != '\0' && strchr("._", *b) != NULL)
			b++;
	}
	return 0;
}

static int by_number(const void *x, const void *y)
{
	const struct import_revision *a = x, *b = y;

	return import_version_compare(a->version, b->version);
}

static int by_text(const void *x, const void *y)
{
	const struct import_revision *a = x, *b = y;

	return strcmp(a->version, b->version);
}

/* "add_users_table" -> "add users table". */
static char *message_of(const char *name, size_t length)
{
	char *message = text_copy(name, length);
	size_t i;

	for (i = 0; message[i] != '\0'; i++)
		if (message[i] == '_' || message[i] == '-')
			message[i] = ' ';
	return message;
}

/* ---- sections inside one file ---- */

/* A line's text from `line` to its end, blanks trimmed, compared with the
 * marker case-insensitively; *rest is what follows the marker. */
static int marker(const char *line, size_t length, const char *mark,
		  const char **rest)
{
	size_t n = strlen(mark);

	while (length > 0 && isspace((unsigned char)*line))
		line++, length--;
	if (length < n || strncasecmp(line, mark, n) != 0)
		return 0;
	if (rest != NULL)
		*rest = line + n;
	return 1;
}

enum target_section { TO_NONE, TO_UP, TO_DOWN };

/* goose's and dbmate's files: sections by marker lines; the marker lines
 * themselves (and goose's StatementBegin/End) are left out. */
static void read_marked(struct import_revision *r, const char *text,
			const char *up, const char *down,
			const char *no_transaction)
{
	enum target_section to = TO_NONE;
	const char *line = text;

	while (*line != '\0') {
		const char *end = strchr(line, '\n');
		size_t length = end ? (size_t)(end - line) : strlen(line);
		const char *rest = NULL;

		if (marker(line, length, up, &rest)) {
			to = TO_UP;
		} else if (marker(line, length, down, &rest)) {
			to = TO_DOWN;
		} else if (no_transaction != NULL &&
			   marker(line, length, no_transaction, NULL)) {
			r->no_transaction = 1;
		} else if (marker(line, length, "-- +goose Statement", NULL)) {
			/* migc's splitter keeps a body's semicolons. */
		} else if (to != TO_NONE) {
			struct buffer *b =
			    to == TO_UP ? &r->upgrade : &r->downgrade;
			buffer_put(b, line, length);
			buffer_puts(b, "\n");
		}
		/* dbmate: "-- migrate:up transaction:false". */
		if (rest != NULL && strstr(rest, "transaction:false") != NULL &&
		    rest < line + length)
			r->no_transaction = 1;
		line = end ? end + 1 : line + length;
	}
}

static int read_text_into(struct buffer *b, const char *path,
			  struct diagnostics *diag)
{
	char *text = file_read(path, NULL);

	if (text == NULL) {
		struct location at = {path, 0, 0};
		diag_error(diag, at, "cannot read the migration: %s",
			   strerror(errno));
		return -1;
	}
	buffer_puts(b, text);
	free(text);
	return 0;
}

/* ---- the layouts ---- */

/* The file names "<digits>_<name><suffix>": *digits and *name point into
 * `file`. */
static int numbered(const char *file, const char *suffix, size_t *digits,
		    const char **name, size_t *name_length)
{
	size_t n = strspn(file, "0123456789");
	size_t length = strlen(file), suffix_length = strlen(suffix);

	if (n == 0 || file[n] != '_' || length < n + 1 + suffix_length ||
	    strcmp(file + length - suffix_length, suffix) != 0)
		return 0;
	*digits = n;
	*name = file + n + 1;
	*name_length = length - n - 1 - suffix_length;
	return 1;
}

static void not_converted(struct import_set *set, const char *path,
			  const char *why)
{
	struct location at = {path, 0, 0};

	diag_note(set->diag, at, "not imported: %s", why);
}

/* Calls `read` for each entry of `dir` (sorted) with its path. -1 when the
 * directory cannot be read or a call fails. */
typedef int entry_fn(struct import_set *set, const char *name,
		     const char *path, const char *tool);
static int each_entry(struct import_set *set, const char *dir,
		      const char *tool, entry_fn *read)
{
	struct string_list names;
	int result = dir_list(dir, "", &names);
	size_t i;

	for (i = 0; i < names.count; i++) {
		char *path = text_format("%s/%s", dir, names.items[i]);

		if (read(set, names.items[i], path, tool) != 0)
			result = -1;
		free(path);
	}
	string_list_free(&names);
	return result;
}

/* One file per migration with sections inside (goose, dbmate, sqlx). */
static int read_sectioned(struct import_set *set, const char *file,
			  const char *path, const char *tool)
{
	const char *name;
	size_t digits, name_length;
	char *version, *text;
	struct import_revision *r;

	if (!numbered(file, ".sql", &digits, &name, &name_length)) {
		if (ends_with(file, ".go"))
			not_converted(set, path,
				      "a Go migration; write its SQL as a "
				      "revision by hand");
		return 0;
	}
	/* sqlx's reversible layout is read_paired's. */
	if (strcmp(tool, "sqlx") == 0 &&
	    (ends_with(file, ".up.sql") || ends_with(file, ".down.sql")))
		return 0;
	text = file_read(path, NULL);
	if (text == NULL) {
		struct location at = {path, 0, 0};
		diag_error(set->diag, at, "cannot read it: %s",
			   strerror(errno));
		return -1;
	}
	version = text_copy(file, digits);
	r = import_add(set, version, path);
	r->message = message_of(name, name_length);
	if (strcmp(tool, "goose") == 0) {
		read_marked(r, text, "-- +goose Up", "-- +goose Down",
			    "-- +goose NO TRANSACTION");
	} else if (strcmp(tool, "dbmate") == 0) {
		read_marked(r, text, "-- migrate:up", "-- migrate:down", NULL);
	} else {
		r->no_transaction = marker(text, strcspn(text, "\n"),
					   "-- no-transaction", NULL);
		buffer_puts(&r->upgrade, text);
	}
	free(text);
	free(version);
	return 0;
}

/* Pairs of files, one up and one down (golang-migrate, sqlx reversible):
 * "<digits>_<name>.up.sql" and ".down.sql". */
static int read_paired(struct import_set *set, const char *file,
		       const char *path, const char *tool)
{
	const char *name;
	size_t digits, name_length;
	int down = 0, result;
	char *version;
	struct import_revision *r;

	(void)tool;
	if (!numbered(file, ".up.sql", &digits, &name, &name_length)) {
		down = numbered(file, ".down.sql", &digits, &name,
				&name_length);
		if (!down)
			return 0;
	}
	version = text_copy(file, digits);
	r = import_find(set, version);
	if (r == NULL) {
		r = import_add(set, version, path);
		r->message = message_of(name, name_length);
	}
	free(version);
	result = read_text_into(down ? &r->downgrade : &r->upgrade, path,
				set->diag);
	if (!down && r->upgrade.data != NULL &&
	    marker(r->upgrade.data, strcspn(r->upgrade.data, "\n"),
		   "-- no-transaction", NULL))
		r->no_transaction = 1;
	return result;
}

/* Diesel: a directory per migration. */
static int read_diesel(struct import_set *set, const char *file,
		       const char *path, const char *tool)
{
	char *up = text_format("%s/up.sql", path);
	char *down = text_format("%s/down.sql", path);
	char *metadata = text_format("%s/metadata.toml", path);
	size_t prefix = strcspn(file, "_");
	struct buffer version = {0};
	struct import_revision *r;
	struct stat st;
	char *toml;
	int result = 0;
	size_t j;

	(void)tool;
	if (stat(up, &st) == 0) {
		for (j = 0; j < prefix; j++)
			if (file[j] != '-')
				buffer_put(&version, &file[j], 1);
		r = import_add(set, version.data ? version.data : "", up);
		r->message = file[prefix] == '_'
				 ? message_of(file + prefix + 1,
					      strlen(file + prefix + 1))
				 : message_of(file, strlen(file));
		if (read_text_into(&r->upgrade, up, set->diag) != 0 ||
		    (stat(down, &st) == 0 &&
		     read_text_into(&r->downgrade, down, set->diag) != 0))
			result = -1;
		toml = file_read(metadata, NULL);
		if (toml != NULL && strstr(toml, "run_in_transaction") &&
		    strstr(toml, "false"))
			r->no_transaction = 1;
		free(toml);
	}
	free(version.data);
	free(up), free(down), free(metadata);
	return result;
}

/* Flyway's "R__<description>.sql": a repeatable revision named after
 * its description (Flyway applies them in that order, and so does migc
 * with no depends_on between them). Flyway keeps no undo for it. */
static int read_repeatable(struct import_set *set, const char *description,
			   const char *path)
{
	struct import_revision *r =
	    grow(&set->repeatables, &set->repeatable_count,
		 &set->repeatable_capacity);
	struct location at = {path, 0, 0};
	size_t length = strlen(description) - 4; /* ".sql" */
	size_t i;

	r->version = text_copy(description, length);
	r->source = text_copy(path, strlen(path));
	r->branch_labels = text_copy("", 0);
	r->depends_on = text_copy("", 0);
	r->message = message_of(description, length);
	r->id = text_copy(description, length);
	for (i = 0; r->id[i] != '\0'; i++)
		if (!isalnum((unsigned char)r->id[i]))
			r->id[i] = '_';
	if (length == 0 || length > REPEATABLE_NAME_MAX) {
		diag_error(set->diag, at,
			   "repeatable migration '%s' cannot be a repeatable "
			   "name (1 to %d letters, digits or '_'); rename "
			   "the file",
			   r->version, REPEATABLE_NAME_MAX);
		return -1;
	}
	for (i = 0; i + 1 < set->repeatable_count; i++)
		if (strcmp(set->repeatables[i].id, r->id) == 0) {
			diag_error(set->diag, at,
				   "repeatable migration '%s' gives the name "
				   "'%s' that %s already has; rename one",
				   r->version, r->id,
				   set->repeatables[i].source);
			return -1;
		}
	return read_text_into(&r->upgrade, path, set->diag);
}

/* Flyway's and refinery's "<P><version>__<description>.sql": V a version,
 * Flyway's U its undo (the downgrade), Flyway's R repeatable. */
static int read_prefixed(struct import_set *set, const char *file,
			 const char *path, const char *tool)
{
	const char *sep = strstr(file, "__");
	int flyway = strcmp(tool, "flyway") == 0;
	char kind = file[0];
	struct import_revision *r;
	char *version, *settings;
	struct buffer conf = {0};
	int result;

	if (sep == NULL || !ends_with(file, ".sql")) {
		if (sep != NULL && ends_with(file, ".rs"))
			not_converted(set, path,
				      "a Rust migration; write its SQL as a "
				      "revision by hand");
		return 0;
	}
	if (flyway && kind == 'R' && sep == file + 1)
		return read_repeatable(set, sep + 2, path);
	if ((kind != 'V' && kind != 'U') || sep == file + 1)
		return 0;
	version = text_copy(file + 1, (size_t)(sep - file - 1));
	r = import_find(set, version);
	if (r == NULL) {
		r = import_add(set, version, path);
		r->message = message_of(sep + 2, strlen(sep + 2) - 4);
	}
	free(version);
	if (flyway && kind == 'U')
		return read_text_into(&r->downgrade, path, set->diag);
	free(r->source);
	r->source = text_copy(path, strlen(path));
	result = read_text_into(&r->upgrade, path, set->diag);
	buffer_printf(&conf, "%s.conf", path);
	settings = file_read(conf.data, NULL);
	if (settings != NULL &&
	    strstr(settings, "executeInTransaction=false") != NULL)
		r->no_transaction = 1;
	free(settings), free(conf.data);
	return result;
}

static const char *const tool_names[] = {
    "alembic", "goose", "golang-migrate", "dbmate", "diesel",
    "sqlx",    "flyway", "refinery",      NULL};

const char *import_tools(void)
{
	return "alembic, goose, golang-migrate, dbmate, diesel, sqlx, "
	       "flyway, refinery";
}

/* The id a version becomes: its letters, digits and underscores, any
 * other character as '_'. */
static char *id_of(const char *version)
{
	char *id = text_copy(version, strlen(version));
	size_t i;

	for (i = 0; id[i] != '\0'; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '_')
			id[i] = '_';
	return id;
}

/* Ids from versions, each revision's parent the one before it. */
static int chain(struct import_set *set)
{
	size_t i, j;
	int result = 0;

	for (i = 0; i < set->count; i++) {
		struct import_revision *r = &set->items[i];
		struct location at = {r->source, 0, 0};

		r->id = id_of(r->version);
		r->parents =
		    text_copy(i == 0 ? "none" : set->items[i - 1].id,
			      strlen(i == 0 ? "none" : set->items[i - 1].id));
		if (r->id[0] == '\0' || strlen(r->id) > ID_MAX) {
			diag_error(set->diag, at,
				   "version '%s' cannot be a revision id "
				   "(1 to %d letters, digits or '_'); rename "
				   "the migration",
				   r->version, ID_MAX);
			result = -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(set->items[j].id, r->id) == 0) {
				diag_error(set->diag, at,
					   "version '%s' gives the id '%s' "
					   "that %s already has; give one of "
					   "them another version",
					   r->version, r->id,
					   set->items[j].source);
				result = -1;
			}
		if (r->upgrade.data == NULL)
			buffer_puts(&r->upgrade, "");
	}
	return result;
}

int import_read(struct import_set *set, const struct import_request *r)
{
	int rc;
	size_t i;

	for (i = 0; tool_names[i] != NULL; i++)
		if (strcmp(tool_names[i], r->tool) == 0)
			break;
	if (tool_names[i] == NULL) {
		struct location at = {"migc import", 0, 0};
		diag_error(set->diag, at,
			   "unknown tool '%s'; import reads %s", r->tool,
			   import_tools());
		return -1;
	}
	if (strcmp(r->tool, "alembic") == 0)
		return import_alembic(set, r);
	if (strcmp(r->tool, "goose") == 0 || strcmp(r->tool, "dbmate") == 0)
		rc = each_entry(set, r->source, r->tool, read_sectioned);
	else if (strcmp(r->tool, "golang-migrate") == 0)
		rc = each_entry(set, r->source, r->tool, read_paired);
	else if (strcmp(r->tool, "sqlx") == 0)
		rc = each_entry(set, r->source, r->tool, read_sectioned) == 0 &&
			     each_entry(set, r->source, r->tool, read_paired) == 0
			 ? 0
			 : -1;
	else if (strcmp(r->tool, "diesel") == 0)
		rc = each_entry(set, r->source, r->tool, read_diesel);
	else
		rc = each_entry(set, r->source, r->tool, read_prefixed);
	if (rc != 0 && set->diag->errors == 0) {
		struct location at = {r->source, 0, 0};
		diag_error(set->diag, at, "cannot read the directory: %s",
			   strerror(errno));
	}
	if (rc != 0)
		return -1;
	if (set->count == 0) {
		struct location at = {r->source, 0, 0};
		diag_error(set->diag, at,
			   "no %s migrations here; name the directory that "
			   "holds them",
			   r->tool);
		return -1;
	}
	qsort(set->items, set->count, sizeof *set->items,
	      strcmp(r->tool, "diesel") == 0 || strcmp(r->tool, "dbmate") == 0
		  ? by_text
		  : by_number);
	return chain(set);
}

/* ---- writing ---- */

static void put_section(struct buffer *b, const char *kind,
			const struct buffer *body)
{
	const char *text = body->data ? body->data : "";
	size_t length = strlen(text);

	while (length > 0 && (text[length - 1] == '\n' ||
			      text[length - 1] == ' ' || text[length - 1] == '\t'))
		length--;
	while (length > 0 && *text == '\n')
		text++, length--;
	buffer_printf(b, "\n-- migc:%s\n", kind);
	if (length > 0) {
		buffer_put(b, text, length);
		buffer_puts(b, "\n");
	}
}

/* A repeatable's file: Flyway's script as its upgrade, and a downgrade
 * section to fill in, which a downgrade runs before stepping back. */
static char *repeatable_text(const struct import_revision *r, const char *tool)
{
	struct buffer b = {0};

	buffer_printf(&b, "-- migc:repeatable %s\n", r->id);
	buffer_printf(&b, "-- migc:message    %s\n",
		      r->message && r->message[0] ? r->message : r->id);
	buffer_printf(&b, "-- Imported from %s: %s\n", tool, r->source);
	put_section(&b, "upgrade", &r->upgrade);
	buffer_puts(&b, "\n-- migc:downgrade\n-- What undoes it (DROP VIEW IF "
			"EXISTS ..., DROP FUNCTION IF EXISTS ...): a\n-- "
			"downgrade runs it before stepping back any revision. "
			"Flyway kept none.\n");
	return b.data;
}

static char *revision_text(const struct import_revision *r,
			   const char *tool)
{
	struct buffer b = {0};

	buffer_printf(&b, "-- migc:revision      %s\n", r->id);
	buffer_printf(&b, "-- migc:down_revision %s\n", r->parents);
	buffer_printf(&b, "-- migc:message       %s\n",
		      r->message && r->message[0] ? r->message : r->id);
	if (r->create_date != NULL)
		buffer_printf(&b, "-- migc:create_date   %s\n", r->create_date);
	if (r->branch_labels[0] != '\0')
		buffer_printf(&b, "-- migc:branch_labels %s\n", r->branch_labels);
	if (r->depends_on[0] != '\0')
		buffer_printf(&b, "-- migc:depends_on    %s\n", r->depends_on);
	if (r->no_transaction)
		buffer_puts(&b, "-- migc:transaction   none\n");
	buffer_printf(&b, "-- Imported from %s: %s\n", tool, r->source);
	put_section(&b, "upgrade", &r->upgrade);
	if (r->downgrade.data != NULL)
		put_section(&b, "downgrade", &r->downgrade);
	return b.data;
}

/* Every file parses, the graph builds and the build-time rules pass, as
 * `migc generate` would find them; what fails is listed with its fix. */
static int check_written(const struct import_request *r,
			 struct diagnostics *diag)
{
	struct graph g = {0};
	int result = graph_load(&g, r->versions, diag);
	size_t i;

	if (result == 0)
		result = graph_build(&g, diag);
	for (i = 0; result == 0 && i < g.count; i++) {
		const struct revision *rev = &g.revisions[i];

		if (revision_section(rev, SECTION_DOWNGRADE, r->dialect) ==
		    NULL) {
			struct location at = {rev->path, 1, 1};
			diag_note(diag, at,
				  "revision %s has no downgrade (the tool kept "
				  "none); write one, since the build proves "
				  "every SQLite downgrade, or build this set "
				  "with VERIFY OFF",
				  rev->id.text);
		}
	}
	/* What `migc check` finds: splitting, the rules, the linter. */
	if (result == 0 && emit_check(&g, r->dialect, LINT_WARN, diag) != 0)
		result = -1;
	/* The build's proof that each downgrade restores the schema
	 * (SQLite's, in memory; PostgreSQL's needs a server: `migc verify`). */
	if (result == 0 && r->dialect == DIALECT_SQLITE &&
	    autogen_verify(&g, DIALECT_SQLITE, diag) != 0)
		result = -1;
	graph_free(&g);
	return result;
}

int import_write(const struct import_set *set,
		 const struct import_request *r)
{
	size_t i;
	int result = 0;

	/* The versions directory, made when it is not there yet. */
	if (mkdir(r->versions, 0777) != 0 && errno != EEXIST) {
		struct location at = {r->versions, 0, 0};
		diag_error(set->diag, at,
			   "cannot make the versions directory: %s",
			   strerror(errno));
		return -1;
	}
	for (i = 0; i < set->count && result == 0; i++) {
		const struct import_revision *rev = &set->items[i];
		char *slug = revision_slug(rev->message ? rev->message : "");
		char *text = revision_text(rev, r->tool);
		struct buffer path = {0};

		buffer_printf(&path, "%s/%s_%s.sql", r->versions, rev->id,
			      slug);
		result = file_write(path.data, text, strlen(text), 0,
				    set->diag);
		free(path.data);
		free(text);
		free(slug);
	}
	for (i = 0; i < set->repeatable_count && result == 0; i++) {
		const struct import_revision *rep = &set->repeatables[i];
		char *text = repeatable_text(rep, r->tool);
		struct buffer path = {0};
		struct location at = {rep->source, 0, 0};

		buffer_printf(&path, "%s/R__%s.sql", r->versions, rep->id);
		result =
		    file_write(path.data, text, strlen(text), 0, set->diag);
		diag_note(set->diag, at,
			  "repeatable %s has no downgrade (Flyway keeps "
			  "none); write what undoes it in its file, which "
			  "a downgrade runs before stepping back",
			  rep->id);
		free(path.data);
		free(text);
	}
	if (result == 0 && check_written(r, set->diag) != 0) {
		struct location at = {r->versions, 0, 0};
		diag_note(set->diag, at,
			  "the files are written; fix what is listed above in "
			  "them before the build takes them");
		result = 1;
	}
	return result;
}

int import_main(const char *tool, const char *source, const char *versions,
		const char *dialect, const char *alembic_config,
		const char *adopt)
{
	struct diagnostics diag = {0};
	struct import_set set = {0};
	struct import_request r;
	char *at = NULL;
	int status = 1, written;

	r.tool = tool;
	r.source = source;
	r.versions = versions ? versions : "versions";
	r.dialect = DIALECT_SQLITE;
	r.alembic_config = alembic_config;
	set.diag = &diag;
	if (dialect != NULL &&
	    dialect_parse(dialect, strlen(dialect), &r.dialect) != 0) {
		struct location where = {"--dialect", 0, 0};
		diag_error(&diag, where,
			   "unknown dialect '%s'; use sqlite or postgresql",
			   dialect);
	} else if (import_read(&set, &r) != 0) {
		/* the reasons are in diag */
	} else if (adopt != NULL) {
		if (import_adopt(&at, &set, &r, adopt) == 0) {
			printf("%s\n", at);
			status = 0;
		}
	} else if ((written = import_write(&set, &r)) >= 0) {
		printf("Imported %zu %s migration%s into %s\n", set.count, tool,
		       set.count == 1 ? "" : "s", r.versions);
		status = written;
	}
	if (set.unconverted > 0) {
		struct location where = {r.versions, 0, 0};
		diag_error(&diag, where,
			   "%zu step%s could not be converted and %s marked "
			   "'-- migc import: not converted' in the files; "
			   "write their SQL before the build takes them",
			   set.unconverted, set.unconverted == 1 ? "" : "s",
			   set.unconverted == 1 ? "is" : "are");
		status = 1;
	}
	diag_print(&diag, stderr);
	diag_free(&diag);
	import_set_free(&set);
	free(at);
	return status;
}
