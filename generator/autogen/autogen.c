/* autogen.c: `revision --autogenerate`, `check` and the build-time round
 * trip, once for every dialect. Each builds schemas in a dialect's scratch
 * schemas (the revisions up to head, the declared schema.sql), reads their
 * catalogs and compares them, or asks the dialect for the SQL between them
 * and proves it before writing the revision (emit/template.c). */
#include "dialect.h"
#include "template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char head_label[] = "head";
static const char declared_label[] = "the declared schema";

enum { HEAD = 0, DECLARED = 1 };

/* A dialect's scratch schemas, open, and the dialect. */
struct session {
	const struct autogen_dialect *dialect;
	struct scratch *scratch;
};

const struct autogen_dialect *autogen_dialect_of(enum dialect dialect)
{
	return dialect == DIALECT_SQLITE       ? &autogen_sqlite
	       : dialect == DIALECT_POSTGRESQL ? &autogen_postgresql
					       : NULL;
}

/* The dialect the session compares in; the generic one has no database
 * to compare in. */
static int session_dialect(struct session *s, enum dialect dialect,
			   struct location at, struct diagnostics *diag)
{
	s->dialect = autogen_dialect_of(dialect);
	if (s->dialect)
		return 0;
	diag_error(diag, at, "dialect must be sqlite or postgresql");
	return -1;
}

/* Schema 0 on a new connection when what ran set what a new one lacks
 * (dialect refresh): each section and script runs as a later boot would
 * run it, with no PRAGMA of the revisions before it. */
int autogen_refresh(const struct autogen_dialect *d, struct scratch *s,
		    int which, struct diagnostics *diag)
{
	if (!d->extras || !d->extras->refresh)
		return 0;
	return d->extras->refresh(s, which, diag);
}

static int refresh(struct session *s, struct diagnostics *diag)
{
	return autogen_refresh(s->dialect, s->scratch, HEAD, diag);
}

int section_run_open(struct section_run *out, const struct revision *r,
		     enum section_kind kind, enum dialect dialect,
		     struct diagnostics *diag)
{
	memset(out, 0, sizeof *out);
	snprintf(out->what, sizeof out->what, "revision %s: the %s", r->id.text,
		 kind == SECTION_UPGRADE ? "upgrade" : "downgrade");
	out->section = kind == SECTION_UPGRADE
			   ? revision_upgrade(r, dialect, diag)
			   : revision_section(r, kind, dialect);
	if (out->section)
		return sql_split(&out->list, dialect, r, out->section, diag);
	return kind == SECTION_DOWNGRADE ? 0 : -1;
}

void section_run_free(struct section_run *run)
{
	statements_free(&run->list);
}

static int apply_section(struct session *s, const struct revision *r,
			 enum section_kind kind, struct diagnostics *diag)
{
	if (refresh(s, diag) != 0)
		return -1;
	return s->dialect->apply(s->scratch, HEAD, r, kind, diag);
}

/* The upgrades of order[0 .. count) applied to a new schema 0. */
static int build_head(struct session *s, const struct graph *g, size_t count,
		      struct diagnostics *diag)
{
	size_t i;
	if (s->dialect->create(s->scratch, HEAD, diag) != 0)
		return -1;
	for (i = 0; i < count; i++)
		if (apply_section(s, &g->revisions[g->order[i]],
				  SECTION_UPGRADE, diag) != 0)
			return -1;
	return 0;
}

static int build_declared(struct session *s, const char *path,
			  struct diagnostics *diag)
{
	char *text = file_read(path, NULL);
	int result;
	if (!text) {
		struct location at = {path, 0, 0};
		diag_error(diag, at, "cannot read the declared schema: %s",
			   strerror(errno));
		return -1;
	}
	result = s->dialect->create(s->scratch, DECLARED, diag);
	if (result == 0 && s->dialect->run(s->scratch, DECLARED, path, text,
					   declared_label, 0, diag) != 0)
		result = -1;
	free(text);
	return result;
}

static int snapshot(struct session *s, int which, void **out, const char *what,
		    struct diagnostics *diag)
{
	char *error = NULL;
	*out = calloc(1, s->dialect->catalog->size);
	if (!*out)
		abort();
	if (s->dialect->read(s->scratch, which, *out, &error) != 0) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at, "%s: %s", what, error);
		free(error);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* A snapshot's catalog and its storage; NULL: none. */
static void release(const struct session *s, void *catalog)
{
	catalog_release(s->dialect->catalog, catalog);
}

static int session_close(struct session *s, struct diagnostics *diag)
{
	int result = s->dialect->close(s->scratch, diag);
	s->scratch = NULL;
	return result;
}

/* The project's dialect, the schema at the single head and the declared
 * one, as catalogs; the session stays open for the proof. The database
 * the url names is not read: what it holds plays no part (Alembic
 * compares the models with it and so needs it at head; migc compares
 * them with the revisions). */
static int both_schemas(struct session *s, const struct graph *g,
			const struct project *p, void **head, void **declared,
			struct diagnostics *diag)
{
	struct location at = {p->path, 0, 0};
	enum dialect dialect = DIALECT_SQLITE;

	*head = *declared = NULL;
	if (p->dialect &&
	    dialect_parse(p->dialect, strlen(p->dialect), &dialect) != 0)
		dialect = DIALECT_GENERIC;
	if (session_dialect(s, dialect, at, diag) != 0)
		return -1;
	if (!p->schema) {
		diag_error(diag, at,
			   "no declared schema to compare with; set "
			   "'schema = schema.sql' in the [migc] "
			   "section of migc.ini");
		return -1;
	}
	if (g->head_count > 1) {
		diag_error(diag, at,
			   "the revisions have %zu heads; autogenerate "
			   "compares one head with the declared schema: run "
			   "'migc merge heads' first",
			   g->head_count);
		return -1;
	}
	if (s->dialect->open(&s->scratch, p->url, diag) != 0)
		return -1;
	if (build_head(s, g, g->count, diag) == 0 &&
	    build_declared(s, p->schema, diag) == 0 &&
	    snapshot(s, HEAD, head, "the schema at head", diag) == 0 &&
	    snapshot(s, DECLARED, declared, "the declared schema", diag) == 0)
		return 0;
	release(s, *head);
	*head = NULL;
	session_close(s, diag);
	return -1;
}

static void join_differences(char *out, size_t size,
			     const struct string_list *lines)
{
	size_t i, used = 0;
	out[0] = '\0';
	for (i = 0; i < lines->count && used + 8 < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? "; " : "",
				 lines->items[i]);
		if (n < 0 || (size_t)n >= size - used) {
			memcpy(out + size - 5, "...", 4);
			break;
		}
		used += (size_t)n;
	}
}

/* The generated script `what` failed. Where it makes a column NOT NULL
 * without a default, the rows the revisions insert are the cause, and the
 * user says what they become; anything else is a bug in migc. */
static void does_not_run(const char *what, const char *script,
			 struct diagnostics *diag)
{
	struct location at = {"<autogenerate>", 0, 0};
	struct buffer notes = {0};
	sql_not_null_notes(script, &notes);
	if (notes.length)
		diag_error(diag, at,
			   "the generated %s fails on the rows the revisions "
			   "insert: %s without a default; nothing was "
			   "written. Give the column a DEFAULT in the declared "
			   "schema, or write this revision by hand (migc "
			   "revision -m MESSAGE) with a step that fills the "
			   "column before it becomes NOT NULL",
			   what, notes.data);
	else
		diag_error(diag, at,
			   "the generated %s does not run; nothing was "
			   "written (this is a bug in migc: please report it "
			   "with the schema)",
			   what);
	free(notes.data);
}

/* A script the dialect could not write says so (note_cannot): refused
 * with its reason, before any proof. Returns 1 when refused. */
static int cannot_write(const char *upgrade, const char *downgrade,
			struct diagnostics *diag)
{
	static const char mark[] = "-- migc cannot: ";
	struct location at = {"<autogenerate>", 0, 0};
	const char *line = strstr(upgrade, mark);
	if (!line)
		line = strstr(downgrade, mark);
	if (!line)
		return 0;
	line += sizeof mark - 1;
	diag_error(diag, at,
		   "autogenerate cannot write this change: %.*s; nothing was "
		   "written. Write the revision by hand (migc revision -m "
		   "MESSAGE)",
		   (int)strcspn(line, "\n"), line);
	return 1;
}

/* Runs the revision's scripts (what the dialect wrote) on the head schema
 * and compares: the upgrade must reach the declared schema, the downgrade
 * must come back. A failure here is a bug in migc: nothing is written. */
static int prove(struct session *s, const void *head, const void *declared,
		 const char *upgrade, const char *downgrade,
		 struct diagnostics *diag)
{
	struct location at = {"<autogenerate>", 0, 0};
	const char *scripts[2];
	const void *goals[2];
	const char *names[2] = {"upgrade", "downgrade"};
	size_t i;
	scripts[0] = upgrade;
	scripts[1] = downgrade;
	goals[0] = declared;
	goals[1] = head;
	for (i = 0; i < 2; i++) {
		void *reached = NULL;
		struct string_list lines = {0};
		char joined[1500];
		int failed = 0;
		if (refresh(s, diag) != 0 ||
		    s->dialect->run(s->scratch, HEAD, names[i], scripts[i],
				    names[i], 1, diag) != 0 ||
		    snapshot(s, HEAD, &reached, names[i], diag) != 0) {
			does_not_run(names[i], scripts[i], diag);
			return -1;
		}
		if (catalog_compare(s->dialect->catalog, goals[i], reached,
				    i == 0 ? declared_label : head_label,
				    "the generated revision", &lines) != 0) {
			join_differences(joined, sizeof joined, &lines);
			diag_error(diag, at,
				   "the generated %s does not reach %s: %s; "
				   "nothing was written (this is a bug in "
				   "migc: please report it with the schema)",
				   names[i],
				   i == 0 ? declared_label : head_label,
				   joined);
			failed = 1;
		}
		string_list_free(&lines);
		release(s, reached);
		if (failed)
			return -1;
	}
	return 0;
}

/* A script without the mark that opens it when it must run outside a
 * transaction (the mark becomes the revision's header). */
static const char *without_mark(const char *script)
{
	return autogen_outside_transaction(script)
		   ? script + sizeof AUTOGEN_NO_TRANSACTION - 1
		   : script;
}

/* The revision file for `upgrade` and `downgrade`, parent the head. */
static int write_revision(const struct graph *g, const struct project *p,
			  const char *message, const char *rev_id,
			  const char *upgrade, const char *downgrade,
			  char **path, struct diagnostics *diag)
{
	struct revision_request request;
	struct revision_body body;
	request.versions = p->versions;
	request.rev_id = rev_id;
	request.parents =
	    g->head_count ? g->revisions[g->heads[0]].id.text : "none";
	request.message = message ? message : "";
	request.branch_labels = "";
	request.depends_on = "";
	body.template_path = p->template_path;
	body.no_transaction = autogen_outside_transaction(upgrade) ||
			      autogen_outside_transaction(downgrade);
	body.upgrade = without_mark(upgrade);
	body.downgrade = without_mark(downgrade);
	return revision_create_filled(&request, &body, path, diag);
}

int autogen_revision(const struct graph *g, const struct project *p,
		     const char *message, const char *rev_id, char **path,
		     struct diagnostics *diag)
{
	struct session s = {NULL, NULL};
	void *head, *declared;
	char *upgrade = NULL, *downgrade = NULL;
	int result = -1;

	*path = NULL;
	if (both_schemas(&s, g, p, &head, &declared, diag) != 0)
		return -1;
	if (catalog_compare(s.dialect->catalog, declared, head, declared_label,
			    head_label, NULL) == 0) {
		result = 1;
		goto done;
	}
	upgrade = s.dialect->change_sql(head, declared);
	downgrade = s.dialect->change_sql(declared, head);
	if (cannot_write(upgrade, downgrade, diag) ||
	    prove(&s, head, declared, upgrade, downgrade, diag) != 0)
		goto done;
	if (write_revision(g, p, message, rev_id, upgrade, downgrade, path,
			   diag) == 0)
		result = 0;
done:
	free(upgrade);
	free(downgrade);
	release(&s, head);
	release(&s, declared);
	if (session_close(&s, diag) != 0 && result >= 0) {
		if (*path)
			remove(*path); /* interrupted: as if not run */
		free(*path);
		*path = NULL;
		result = -1;
	}
	return result;
}

int autogen_check(const struct graph *g, const struct project *p, FILE *out,
		  struct diagnostics *diag)
{
	struct session s = {NULL, NULL};
	void *head, *declared;
	struct string_list lines = {0};
	size_t i;

	if (both_schemas(&s, g, p, &head, &declared, diag) != 0)
		return -1;
	catalog_compare(s.dialect->catalog, declared, head, declared_label,
			head_label, &lines);
	for (i = 0; i < lines.count; i++)
		fprintf(out, "%s\n", lines.items[i]);
	i = lines.count;
	string_list_free(&lines);
	release(&s, head);
	release(&s, declared);
	if (session_close(&s, diag) != 0)
		return -1;
	return i ? 1 : 0;
}

/* ---- the round trip ---- */

static struct location downgrade_at(const struct session *s,
				    const struct revision *r)
{
	const struct section *section =
	    revision_section(r, SECTION_DOWNGRADE, s->dialect->dialect);
	return section ? section->at : r->id.at;
}

/* Upgrade, downgrade, upgrade again, proven the dialect's quick way.
 * Returns 0 when proven, 1 when not (the full comparison then decides,
 * from a rebuilt state). */
static int quick_round_trip(struct session *s, const struct revision *r)
{
	const struct autogen_extras *x = s->dialect->extras;
	if (!x || !x->prove_quickly)
		return 1;
	return x->prove_quickly(s->scratch, HEAD, r);
}

/* Compares two snapshots of one revision's round trip; 0 when alike, else
 * 1 after reporting the difference with `problem`. */
static int differs(struct session *s, const struct revision *r, const void *a,
		   const void *b, const char *label_a, const char *label_b,
		   const char *problem, const char *advice,
		   struct diagnostics *diag)
{
	struct string_list lines = {0};
	char joined[1500];
	int result = 0;
	if (catalog_compare(s->dialect->catalog, a, b, label_a, label_b,
			    &lines) != 0) {
		join_differences(joined, sizeof joined, &lines);
		diag_error(diag, downgrade_at(s, r),
			   "revision %s (%s): %s: %s%s", r->id.text,
			   r->file_name, problem, joined, advice);
		result = 1;
	}
	string_list_free(&lines);
	return result;
}

/* After the downgrade ran: the schema is `before` again, and a second
 * upgrade gives `after` again. 0, 1 when not (reported), -1 on error. */
static int downgraded_alike(struct session *s, const struct revision *r,
			    const void *before, const void *after,
			    struct diagnostics *diag)
{
	void *restored = NULL, *again = NULL;
	int result;

	if (snapshot(s, HEAD, &restored, r->path, diag) != 0)
		return -1;
	result =
	    differs(s, r, before, restored, "the schema before the upgrade",
		    "the schema after the downgrade",
		    "the downgrade does not restore the schema",
		    "; make the downgrade undo exactly what the upgrade "
		    "does",
		    diag);
	if (result == 0 && apply_section(s, r, SECTION_UPGRADE, diag) != 0) {
		diag_note(diag, downgrade_at(s, r),
			  "revision %s (%s): the upgrade fails after "
			  "the downgrade; the downgrade leaves "
			  "something behind",
			  r->id.text, r->file_name);
		result = 1;
	} else if (result == 0 &&
		   snapshot(s, HEAD, &again, r->path, diag) != 0) {
		result = -1;
	} else if (result == 0) {
		result = differs(s, r, after, again, "the first upgrade",
				 "the upgrade after the downgrade",
				 "upgrading again after the downgrade gives "
				 "another schema",
				 "", diag);
	}
	release(s, again);
	release(s, restored);
	return result;
}

/* One revision: upgrade, downgrade, compare, upgrade again. Returns 0,
 * 1 when the revision is broken (reported; the schema must be rebuilt),
 * -1 when the run cannot go on. */
static int round_trip(struct session *s, const struct revision *r,
		      struct diagnostics *diag)
{
	void *before = NULL, *after = NULL;
	int result;

	if (snapshot(s, HEAD, &before, r->path, diag) != 0)
		return -1;
	if (apply_section(s, r, SECTION_UPGRADE, diag) != 0 ||
	    snapshot(s, HEAD, &after, r->path, diag) != 0)
		result = -1;
	else if (apply_section(s, r, SECTION_DOWNGRADE, diag) != 0)
		result = 1;
	else
		result = downgraded_alike(s, r, before, after, diag);
	release(s, before);
	release(s, after);
	return result;
}

int autogen_verify(const struct graph *g, enum dialect dialect,
		   struct diagnostics *diag)
{
	return autogen_verify_url(g, dialect, NULL, diag);
}

/* ---- proofs remembered: a round trip depends on the revision and on the
 * schema before it, which the upgrades before it in the order make ---- */

static const char cache_header[] = "migc verify cache 2";

struct proofs {
	struct string_list known;  /* from the cache file */
	struct string_list proven; /* by this run, to write back */
	uint64_t prefix;	   /* the upgrades so far */
	size_t run;		   /* round trips run (not remembered) */
};

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME  UINT64_C(0x100000001b3)

static uint64_t mix(uint64_t hash, const char *bytes, size_t length)
{
	size_t i;
	for (i = 0; i < length; i++)
		hash = (hash ^ (unsigned char)bytes[i]) * FNV_PRIME;
	return (hash ^ 0xff) * FNV_PRIME; /* end of a part */
}

static void load_proofs(struct proofs *p, const char *path,
			enum dialect dialect)
{
	char *text = path ? file_read(path, NULL) : NULL;
	char *line, *next;
	memset(p, 0, sizeof *p);
	p->prefix = mix(FNV_OFFSET, dialect_name(dialect),
			strlen(dialect_name(dialect)));
	if (!text)
		return;
	for (line = text; *line; line = next) {
		next = strchr(line, '\n');
		if (!next)
			break; /* a cut last line is not trusted */
		*next++ = '\0';
		if (line == text && strcmp(line, cache_header) != 0)
			break; /* another format: prove everything */
		if (line != text)
			string_list_add(&p->known, text_dup(line));
	}
	free(text);
}

/* The key of revision r's proof, given the upgrades before it; then the
 * prefix moves on past r's upgrade. */
static char *proof_key(struct proofs *p, const struct revision *r,
		       enum dialect dialect)
{
	const struct section *up =
	    revision_section(r, SECTION_UPGRADE, dialect);
	uint64_t key = mix(p->prefix, r->text, r->length);
	if (up)
		p->prefix =
		    mix(p->prefix, r->text + up->begin, up->end - up->begin);
	else
		p->prefix = mix(p->prefix, "", 0);
	return text_format("%016llx", (unsigned long long)key);
}

static char *proofs_text(const struct proofs *p)
{
	struct buffer out = {0};
	size_t i;
	buffer_printf(&out, "%s\n", cache_header);
	for (i = 0; i < p->proven.count; i++)
		buffer_printf(&out, "%s\n", p->proven.items[i]);
	return out.data;
}

/* The key of r's proof on its part: the part's upgrades and r's text. */
static char *part_key(const struct session *s, uint64_t depends,
		      const struct revision *r)
{
	const char *dialect = dialect_name(s->dialect->dialect);
	uint64_t key = mix(mix(FNV_OFFSET, dialect, strlen(dialect)),
			   (const char *)&depends, sizeof depends);
	return text_format("p%016llx",
			   (unsigned long long)mix(key, r->text, r->length));
}

/* r's round trip on the part focused; the part is left as r's upgrade
 * leaves it. 0, 1 when broken, -1 when the run cannot go on. */
static int prove_in_part(struct session *s, const struct revision *r,
			 struct diagnostics *diag)
{
	const struct autogen_extras *d = s->dialect->extras;
	uint64_t depends;
	int status;
	if (quick_round_trip(s, r) == 0)
		return 0;
	/* Not proven quickly: the part as it was before, and compare
	 * catalogs, which also explains a difference. */
	if (d->settle(s->scratch, HEAD, r, 0, diag) != 0 ||
	    d->focus(s->scratch, HEAD, r, &depends, diag) != 0)
		return -1;
	status = round_trip(s, r, diag);
	/* Broken: go on from the part with this upgrade, none undone. */
	if (status > 0 && (d->settle(s->scratch, HEAD, r, 0, diag) != 0 ||
			   d->focus(s->scratch, HEAD, r, &depends, diag) != 0 ||
			   apply_section(s, r, SECTION_UPGRADE, diag) != 0))
		status = -1;
	return status;
}

/* Every revision in topological order on its part of the schema (dialect
 * focus and settle): its upgrade when its proof is remembered, else its
 * round trip. 0, 1 when one is broken, -1 when the run cannot go on. */
static int verify_parts(struct session *s, const struct graph *g,
			struct proofs *p, struct diagnostics *diag)
{
	const struct autogen_extras *d = s->dialect->extras;
	size_t i;
	int failed = 0;
	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];
		uint64_t depends;
		char *key;
		int status = 0;
		if (d->focus(s->scratch, HEAD, r, &depends, diag) != 0)
			return -1;
		key = part_key(s, depends, r);
		if (string_list_has(&p->known, key)) {
			if (apply_section(s, r, SECTION_UPGRADE, diag) != 0)
				status = -1;
		} else {
			p->run++;
			status = prove_in_part(s, r, diag);
		}
		if (status >= 0 && d->settle(s->scratch, HEAD, r, 1, diag) != 0)
			status = -1;
		if (status == 0)
			string_list_add(&p->proven, key);
		else
			free(key);
		if (status < 0)
			return -1;
		failed |= status;
	}
	return failed;
}

/* Every revision's round trip in topological order, on one schema; the
 * upgrades of remembered ones only run when a later one needs the schema
 * they make. 0, 1 when one is broken, -1 when the run cannot go on. */
static int verify_all(struct session *s, const struct graph *g,
		      struct proofs *p, struct diagnostics *diag)
{
	size_t i, built = 0; /* schema 0 holds order[0 .. built) */
	int failed = 0;
	const struct autogen_extras *x = s->dialect->extras;
	if (x && x->focus)
		return verify_parts(s, g, p, diag);
	if (build_head(s, g, 0, diag) != 0)
		return -1;
	for (i = 0; i < g->count; i++) {
		const struct revision *r = &g->revisions[g->order[i]];
		char *key = proof_key(p, r, s->dialect->dialect);
		int status;
		if (string_list_has(&p->known, key)) {
			string_list_add(&p->proven, key);
			continue;
		}
		for (; built < i; built++)
			if (apply_section(s, &g->revisions[g->order[built]],
					  SECTION_UPGRADE, diag) != 0) {
				free(key);
				return -1;
			}
		p->run++;
		built = i + 1;
		status = quick_round_trip(s, r);
		/* Not proven quickly: back to the state before this revision
		 * and compare catalogs, which also explains a difference. */
		if (status != 0 && x && x->prove_quickly &&
		    build_head(s, g, i, diag) != 0)
			status = -1;
		else if (status != 0)
			status = round_trip(s, r, diag);
		/* Broken: go on from a clean state, every upgrade up to
		 * this one, none undone. */
		if (status > 0 && build_head(s, g, i + 1, diag) != 0)
			status = -1;
		if (status < 0) {
			free(key);
			return -1;
		}
		if (status == 0)
			string_list_add(&p->proven, key);
		else
			free(key);
		failed |= status;
	}
	return failed;
}

int autogen_verify_url(const struct graph *g, enum dialect dialect,
		       const char *url, struct diagnostics *diag)
{
	return autogen_verify_cached(g, dialect, url, NULL, NULL, diag);
}

int autogen_verify_cached(const struct graph *g, enum dialect dialect,
			  const char *url, const char *cache_path, size_t *run,
			  struct diagnostics *diag)
{
	char *text = NULL;
	int status = autogen_verify_remembered(g, dialect, url, cache_path, run,
					       cache_path ? &text : NULL, diag);
	if (status == 0 && text &&
	    file_write(cache_path, text, strlen(text), 1, diag) != 0)
		status = -1;
	free(text);
	return status;
}

int autogen_verify_remembered(const struct graph *g, enum dialect dialect,
			      const char *url, const char *cache_path,
			      size_t *run, char **remember,
			      struct diagnostics *diag)
{
	struct session s = {NULL, NULL};
	struct location nowhere = {NULL, 0, 0};
	struct proofs proofs;
	int status;

	if (session_dialect(&s, dialect, nowhere, diag) != 0)
		return -1;
	if (dialect == DIALECT_POSTGRESQL && !url)
		url = getenv("MIGC_DATABASE_URL");
	load_proofs(&proofs, cache_path, dialect);
	status = s.dialect->open(&s.scratch, url, diag);
	if (status == 0) {
		status = verify_all(&s, g, &proofs, diag);
		if (session_close(&s, diag) != 0)
			status = -1;
	}
	if (remember)
		*remember = status == 0 ? proofs_text(&proofs) : NULL;
	if (run)
		*run = proofs.run;
	string_list_free(&proofs.known);
	string_list_free(&proofs.proven);
	return status != 0 ? -1 : 0;
}
