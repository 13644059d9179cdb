/* sqlite_parts.c: verify's SQLite schema in parts (sqlite_parts.h). */
#include "sqlite_parts.h"
#include "dialect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

struct part {
	unsigned char *image; /* sqlite3_serialize's; NULL: no longer held */
	sqlite3_int64 size;
	const struct revision **upgrades; /* that made it, in order */
	size_t count;
	uint64_t digest; /* of those upgrades' text */
	int alive;
};

struct slot {
	char *name; /* lower case; NULL: free */
	size_t part;
};

struct parts {
	struct part *items;
	size_t count;
	struct slot *slots; /* open addressing, a power of two */
	size_t slot_count, used;
	size_t focused; /* the part the focused connection holds; NONE */
	int focused_clean;
	/* The connection the last revision kept its part on, reused for the
	 * next revision on that part when that revision set nothing a new
	 * connection lacks (PRAGMA, TEMP, ATTACH): no schema parsed again. */
	sqlite3 *live;
	size_t live_part;
};

struct parts *parts_new(void)
{
	struct parts *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->focused = NONE;
	p->live_part = NONE;
	return p;
}

static void part_release(struct part *part)
{
	sqlite3_free(part->image);
	free(part->upgrades);
	memset(part, 0, sizeof *part);
}

void parts_free(struct parts *p)
{
	size_t i;
	if (!p)
		return;
	for (i = 0; i < p->count; i++)
		part_release(&p->items[i]);
	for (i = 0; i < p->slot_count; i++)
		free(p->slots[i].name);
	free(p->items);
	free(p->slots);
	free(p);
}

size_t parts_count(const struct parts *p)
{
	size_t i, n = 0;
	for (i = 0; i < p->count; i++)
		n += p->items[i].alive;
	return n;
}

/* ---- names to parts ---- */

static uint64_t hash_name(const char *name)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * UINT64_C(0x100000001b3);
	return h;
}

static struct slot *slot_of(const struct parts *p, const char *name)
{
	size_t i = (size_t)hash_name(name) & (p->slot_count - 1);
	while (p->slots[i].name && strcmp(p->slots[i].name, name) != 0)
		i = (i + 1) & (p->slot_count - 1);
	return &p->slots[i];
}

static void map_put(struct parts *p, char *owned, size_t part);

static void map_grow(struct parts *p)
{
	struct slot *old = p->slots;
	size_t i, old_count = p->slot_count;
	p->slot_count = old_count ? old_count * 2 : 256;
	p->slots = calloc(p->slot_count, sizeof *p->slots);
	if (!p->slots)
		abort();
	p->used = 0;
	for (i = 0; i < old_count; i++)
		if (old[i].name)
			map_put(p, old[i].name, old[i].part);
	free(old);
}

static void map_put(struct parts *p, char *owned, size_t part)
{
	struct slot *slot;
	if (2 * (p->used + 1) > p->slot_count)
		map_grow(p);
	slot = slot_of(p, owned);
	if (slot->name) {
		free(owned);
	} else {
		slot->name = owned;
		p->used++;
	}
	slot->part = part;
}

/* The living part holding `name` (lower case), or NONE. */
static size_t map_get(const struct parts *p, const char *name)
{
	const struct slot *slot;
	if (!p->slot_count)
		return NONE;
	slot = slot_of(p, name);
	if (!slot->name || !p->items[slot->part].alive)
		return NONE;
	return slot->part;
}

static char *lower(char *text)
{
	char *c;
	for (c = text; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return text;
}

/* Every object db holds now belongs to `part`; returns how many. -1 when
 * the schema cannot be read. */
static int map_objects(struct parts *p, sqlite3 *db, size_t part)
{
	sqlite3_stmt *s = NULL;
	int rc, n = 0;
	if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema", -1,
			       &s, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		map_put(p, lower(text_dup(name ? name : "")), part);
		n++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? n : -1;
}

/* ---- what a revision reaches ---- */

/* Words that may read or change what no name says. */
static int reaches_everything(const char *word)
{
	static const char *const words[] = {"sqlite_schema",
					    "sqlite_master",
					    "sqlite_temp_schema",
					    "sqlite_temp_master",
					    "vacuum",
					    "reindex",
					    "analyze",
					    "integrity_check",
					    "quick_check",
					    "foreign_key_check",
					    "user_version",
					    "application_id",
					    "schema_version",
					    "writable_schema",
					    "optimize",
					    "page_size",
					    "auto_vacuum",
					    "incremental_vacuum",
					    "encoding",
					    "legacy_file_format"};
	size_t i;
	if (strncmp(word, "pragma_", 7) == 0)
		return 1;
	for (i = 0; i < COUNT(words); i++)
		if (strcmp(word, words[i]) == 0)
			return 1;
	return 0;
}

/* A string's text without its quotes, as a name SQLite may read it as
 * ('t' stands for "t" where a name must be). */
static char *string_text(const struct sql_token *t)
{
	const char *from = t->start, *to = t->end;
	char *out, *o;
	if (to - from < 2 || from[0] != '\'')
		return text_dup("");
	out = o = text_copy(from + 1, (size_t)(to - from - 2));
	for (from = out; *from; from++) {
		*o++ = *from;
		if (from[0] == '\'' && from[1] == '\'')
			from++;
	}
	*o = '\0';
	return out;
}

struct reach {
	size_t *parts;
	size_t count, capacity;
	int everything;
	int sets_state; /* of the connection: PRAGMA, TEMP, ATTACH */
};

static void reach_add(struct reach *out, size_t part)
{
	size_t i;
	for (i = 0; i < out->count; i++)
		if (out->parts[i] == part)
			return;
	if (out->count == out->capacity) {
		out->capacity = out->capacity ? out->capacity * 2 : 8;
		out->parts =
		    realloc(out->parts, out->capacity * sizeof *out->parts);
		if (!out->parts)
			abort();
	}
	out->parts[out->count++] = part;
}

static void reach_section(const struct parts *p, const struct revision *r,
			  enum section_kind kind, struct reach *out)
{
	const struct section *section =
	    revision_section(r, kind, DIALECT_SQLITE);
	struct sql_token t;
	char *body;
	if (!section)
		return;
	body =
	    text_copy(r->text + section->begin, section->end - section->begin);
	memset(&t, 0, sizeof t);
	for (t.start = body;; t.start = t.end) {
		char *name;
		size_t part;
		sql_token_next(&t, DIALECT_SQLITE, body);
		if (t.kind == SQL_TOKEN_END || t.kind == SQL_TOKEN_UNTERMINATED)
			break;
		if (t.kind == SQL_TOKEN_STRING)
			name = lower(string_text(&t));
		else if (t.kind == SQL_TOKEN_WORD || t.kind == SQL_TOKEN_QUOTED)
			name = lower(sql_token_name(&t));
		else
			continue;
		if (reaches_everything(name))
			out->everything = 1;
		if (t.kind == SQL_TOKEN_WORD &&
		    (strcmp(name, "pragma") == 0 || strcmp(name, "temp") == 0 ||
		     strcmp(name, "temporary") == 0 ||
		     strcmp(name, "attach") == 0))
			out->sets_state = 1;
		part = map_get(p, name);
		if (part != NONE)
			reach_add(out, part);
		free(name);
	}
	free(body);
}

/* The living parts r names, or all of them. */
static void reach_of(const struct parts *p, const struct revision *r,
		     struct reach *out)
{
	size_t i;
	memset(out, 0, sizeof *out);
	reach_section(p, r, SECTION_UPGRADE, out);
	reach_section(p, r, SECTION_DOWNGRADE, out);
	if (out->everything)
		for (i = 0; i < p->count; i++)
			if (p->items[i].alive)
				reach_add(out, i);
}

/* ---- images ---- */

int parts_load(sqlite3 *db, const unsigned char *image, sqlite3_int64 size,
	       struct diagnostics *diag)
{
	unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)size);
	if (!copy)
		abort();
	memcpy(copy, image, (size_t)size);
	if (sqlite3_deserialize(db, "main", copy, size, size,
				SQLITE_DESERIALIZE_FREEONCLOSE |
				    SQLITE_DESERIALIZE_RESIZEABLE) !=
	    SQLITE_OK) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at, "verify: cannot load a schema image: %s",
			   sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static sqlite3 *open_part(const struct parts_host *host,
			  const struct part *part, struct diagnostics *diag)
{
	if (!part)
		return host->open(host->context, NULL, 0, diag);
	return host->open(host->context, part->image, part->size, diag);
}

/* What db holds into `part` (its image replaced); the part dies when db
 * holds no object. */
static int store_image(struct parts *p, sqlite3 *db, size_t part,
		       struct diagnostics *diag)
{
	struct part *it = &p->items[part];
	sqlite3_int64 size = 0;
	unsigned char *image = sqlite3_serialize(db, "main", &size, 0);
	int objects = map_objects(p, db, part);
	if (objects < 0 || (objects > 0 && !image)) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at, "verify: cannot keep a schema image: %s",
			   sqlite3_errmsg(db));
		sqlite3_free(image);
		return -1;
	}
	sqlite3_free(it->image);
	it->image = image;
	it->size = size;
	it->alive = objects > 0;
	if (!it->alive)
		part_release(it);
	return 0;
}

static void add_upgrade(struct part *part, const struct revision *r)
{
	const struct section *up =
	    revision_section(r, SECTION_UPGRADE, DIALECT_SQLITE);
	size_t i;
	if (!part->count)
		part->digest = UINT64_C(0xcbf29ce484222325);
	for (i = up ? up->begin : 0; up && i < up->end; i++)
		part->digest = (part->digest ^ (unsigned char)r->text[i]) *
			       UINT64_C(0x100000001b3);
	part->digest = (part->digest ^ 0xff) * UINT64_C(0x100000001b3);
	part->upgrades =
	    realloc(part->upgrades, (part->count + 1) * sizeof *part->upgrades);
	if (!part->upgrades)
		abort();
	part->upgrades[part->count++] = r;
}

static size_t new_part(struct parts *p)
{
	p->items = realloc(p->items, (p->count + 1) * sizeof *p->items);
	if (!p->items)
		abort();
	memset(&p->items[p->count], 0, sizeof *p->items);
	return p->count++;
}

/* The parts `reach` names made one: the largest's image with the
 * others' upgrades replayed on it, in their order (parts never name each
 * other's objects, so which goes first does not matter). */
static int merge(struct parts *p, const struct parts_host *host,
		 const struct reach *reach, size_t *out,
		 struct diagnostics *diag)
{
	size_t i, k, largest = reach->parts[0];
	sqlite3 *db;
	for (i = 1; i < reach->count; i++)
		if (p->items[reach->parts[i]].count > p->items[largest].count)
			largest = reach->parts[i];
	db = open_part(host, &p->items[largest], diag);
	if (!db)
		return -1;
	for (i = 0; i < reach->count; i++) {
		struct part *other = &p->items[reach->parts[i]];
		if (reach->parts[i] == largest)
			continue;
		for (k = 0; k < other->count; k++) {
			if (host->replay(host->context, other->upgrades[k], &db,
					 diag) != 0)
				return -1;
			add_upgrade(&p->items[largest], other->upgrades[k]);
		}
		part_release(other);
	}
	*out = largest;
	return store_image(p, db, largest, diag);
}

int parts_focus(struct parts *p, const struct parts_host *host,
		const struct revision *r, sqlite3 **db, uint64_t *depends,
		struct diagnostics *diag)
{
	struct reach reach;
	size_t part = NONE;
	int result = 0;

	*db = NULL;
	*depends = 0;
	p->focused = NONE;
	reach_of(p, r, &reach);
	p->focused_clean = !reach.sets_state;
	if (reach.count == 1)
		part = reach.parts[0];
	else if (reach.count > 1) {
		p->live_part = NONE; /* merge opens another connection */
		result = merge(p, host, &reach, &part, diag);
	}
	free(reach.parts);
	if (result != 0)
		return -1;
	if (part != NONE && !p->items[part].alive)
		part = NONE; /* merged into nothing: every object dropped */
	if (part != NONE && part == p->live_part) {
		*db = p->live;
	} else {
		p->live_part = NONE;
		*db = open_part(host, part != NONE ? &p->items[part] : NULL,
				diag);
		if (!*db)
			return -1;
	}
	p->live = NULL;
	p->live_part = NONE;
	p->focused = part;
	if (part != NONE)
		*depends = p->items[part].digest;
	return 0;
}

int parts_settle(struct parts *p, sqlite3 *db, const struct revision *r,
		 int keep, struct diagnostics *diag)
{
	size_t part = p->focused;
	p->focused = NONE;
	if (!keep)
		return 0;
	if (part == NONE)
		part = new_part(p);
	add_upgrade(&p->items[part], r);
	if (store_image(p, db, part, diag) != 0)
		return -1;
	if (p->focused_clean && p->items[part].alive) {
		p->live = db;
		p->live_part = part;
	}
	return 0;
}
