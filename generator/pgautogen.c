/* pgautogen.c: autogenerate, check and the round trip for PostgreSQL. The
 * schemas live in the database the project's url names, as two temporary
 * schemas (migc_head_<pid>_<n>: the revisions up to head; migc_want_...:
 * the declared schema.sql) that are dropped afterwards, also on error.
 * pgcatalog.c reads them, pgdiff.c writes the SQL between them. */
#include "pgautogen.h"
#include "template.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef MIGC_GENERATOR_WITH_POSTGRESQL

static int without_libpq(struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	diag_error(diag, at,
		   "this migc was built without libpq, so it cannot compare "
		   "PostgreSQL schemas; rebuild it with libpq (Debian: "
		   "libpq-dev, CMake option MIGC_WITH_POSTGRESQL=ON)");
	return -1;
}

int pgautogen_revision(const struct graph *g, const struct project *p,
		       const char *message, const char *rev_id, char **path,
		       struct diagnostics *diag)
{
	(void)g;
	(void)p;
	(void)message;
	(void)rev_id;
	*path = NULL;
	return without_libpq(diag);
}

int pgautogen_check(const struct graph *g, const struct project *p, FILE *out,
		    struct diagnostics *diag)
{
	(void)g;
	(void)p;
	(void)out;
	return without_libpq(diag);
}

int pgautogen_verify(const struct graph *g, const char *url,
		     struct diagnostics *diag)
{
	(void)g;
	(void)url;
	return without_libpq(diag);
}

#else

#include <libpq-fe.h>
#include <unistd.h>

static const char head_label[] = "head";
static const char declared_label[] = "the declared schema";

/* The scratch database and the schemas made in it. */
struct scratch {
	PGconn *connection;
	char names[2][64];
	int made[2];
};

static void ignore_notice(void *payload, const char *message)
{
	(void)payload;
	(void)message;
}

/* The last failure's message, kept across the ROLLBACK that follows it
 * (which clears libpq's). */
static char failure_text[1024];

static void keep_message(PGconn *connection)
{
	size_t n;
	snprintf(failure_text, sizeof failure_text, "%s",
		 PQerrorMessage(connection));
	n = strlen(failure_text);
	while (n > 0 &&
	       (failure_text[n - 1] == '\n' || failure_text[n - 1] == ' '))
		failure_text[--n] = '\0';
}

/* libpq's message without its final newline. */
static const char *server_message(PGconn *connection)
{
	if (PQerrorMessage(connection)[0])
		keep_message(connection);
	return failure_text;
}

static int run(PGconn *connection, const char *sql)
{
	PGresult *result = PQexec(connection, sql);
	ExecStatusType status = PQresultStatus(result);
	PQclear(result);
	return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK ? 0 : -1;
}

static int scratch_open(struct scratch *s, const char *url,
			struct diagnostics *diag)
{
	struct location at = {NULL, 0, 0};
	memset(s, 0, sizeof *s);
	s->connection = PQconnectdb(url && *url ? url : "");
	if (PQstatus(s->connection) != CONNECTION_OK) {
		diag_error(diag, at,
			   "cannot connect to the scratch database %s: %s; "
			   "set 'url' in migc.ini (or PGHOST, PGDATABASE...) "
			   "to a PostgreSQL database where migc may create "
			   "and drop temporary schemas",
			   url && *url ? url : "(libpq's environment)",
			   server_message(s->connection));
		PQfinish(s->connection);
		s->connection = NULL;
		return -1;
	}
	PQsetNoticeProcessor(s->connection, ignore_notice, NULL);
	return 0;
}

/* A new, empty schema: which 0 (head) or 1 (declared). */
static int scratch_schema(struct scratch *s, int which,
			  struct diagnostics *diag)
{
	static unsigned counter;
	struct location at = {NULL, 0, 0};
	char sql[160];
	snprintf(s->names[which], sizeof s->names[which], "migc_%s_%ld_%u",
		 which ? "want" : "head", (long)getpid(), ++counter);
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", s->names[which]);
	if (run(s->connection, sql) != 0) {
		diag_error(diag, at, "cannot create the scratch schema %s: %s",
			   s->names[which], server_message(s->connection));
		return -1;
	}
	s->made[which] = 1;
	return 0;
}

static void scratch_drop(struct scratch *s, int which)
{
	char sql[160];
	if (!s->made[which])
		return;
	run(s->connection, "ROLLBACK");
	snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", s->names[which]);
	run(s->connection, sql);
	s->made[which] = 0;
}

static void scratch_close(struct scratch *s)
{
	if (!s->connection)
		return;
	scratch_drop(s, 0);
	scratch_drop(s, 1);
	PQfinish(s->connection);
	s->connection = NULL;
}

static int use_schema(struct scratch *s, int which)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SET search_path TO %s", s->names[which]);
	return run(s->connection, sql);
}

/* Runs `list` in one transaction unless `no_transaction`; the error
 * names the statement. Returns 0, or -1 after `report` was told. */
static int run_statements(PGconn *connection, const struct statements *list,
			  int no_transaction, size_t *failed)
{
	size_t i;
	if (!no_transaction && run(connection, "BEGIN") != 0) {
		*failed = 0;
		return -1;
	}
	for (i = 0; i < list->count; i++)
		if (run(connection, list->items[i].sql) != 0) {
			*failed = i;
			keep_message(connection);
			if (!no_transaction) {
				PGresult *r = PQexec(connection, "ROLLBACK");
				PQclear(r);
			}
			return -1;
		}
	if (!no_transaction && run(connection, "COMMIT") != 0) {
		*failed = list->count ? list->count - 1 : 0;
		return -1;
	}
	return 0;
}

static int apply_section(struct scratch *s, int which, const struct revision *r,
			 enum section_kind kind, struct diagnostics *diag)
{
	const struct section *section =
	    revision_section(r, kind, DIALECT_POSTGRESQL);
	struct statements list = {0};
	size_t failed = 0;
	int result = 0;

	if (!section) {
		if (kind == SECTION_DOWNGRADE)
			return 0;
		diag_error(diag, r->id.at,
			   "revision %s has no upgrade section for dialect "
			   "postgresql; add '-- migc:upgrade'",
			   r->id.text);
		return -1;
	}
	if (sql_split(&list, DIALECT_POSTGRESQL, r, section, diag) != 0) {
		statements_free(&list);
		return -1;
	}
	if (use_schema(s, which) != 0 ||
	    run_statements(s->connection, &list, r->no_transaction, &failed) !=
		0) {
		struct location at = {
		    r->path,
		    list.count ? list.items[failed].line : section->at.line, 1};
		diag_error(diag, at,
			   "revision %s: the %s fails in PostgreSQL: %s",
			   r->id.text,
			   kind == SECTION_UPGRADE ? "upgrade" : "downgrade",
			   server_message(s->connection));
		result = -1;
	}
	statements_free(&list);
	return result;
}

/* The upgrades of order[0 .. count) applied to a new schema. */
static int build_head(struct scratch *s, const struct graph *g, size_t count,
		      struct diagnostics *diag)
{
	size_t i;
	if (scratch_schema(s, 0, diag) != 0)
		return -1;
	for (i = 0; i < count; i++)
		if (apply_section(s, 0, &g->revisions[g->order[i]],
				  SECTION_UPGRADE, diag) != 0)
			return -1;
	return 0;
}

/* A script (the declared schema, or what pgdiff.c wrote) split as a
 * revision section is, so that errors name lines. */
static int split_script(struct statements *out, const char *path,
			const char *text, struct diagnostics *diag)
{
	struct revision r;
	struct section s;
	memset(&r, 0, sizeof r);
	memset(&s, 0, sizeof s);
	r.path = (char *)path;
	r.file_name = (char *)path;
	r.text = (char *)text;
	r.length = strlen(text);
	s.kind = SECTION_UPGRADE;
	s.dialect = DIALECT_POSTGRESQL;
	s.at.file = path;
	s.at.line = 1;
	s.at.column = 1;
	s.begin = 0;
	s.end = r.length;
	s.body_line = 1;
	return sql_split(out, DIALECT_POSTGRESQL, &r, &s, diag);
}

/* Runs a script in schema `which`: in one transaction, or statement by
 * statement when `one_by_one` (ALTER TYPE ... ADD VALUE). */
static int run_script(struct scratch *s, int which, const char *path,
		      const char *text, int one_by_one,
		      struct diagnostics *diag)
{
	struct statements list = {0};
	size_t failed = 0;
	int result = 0;
	if (split_script(&list, path, text, diag) != 0) {
		statements_free(&list);
		return -1;
	}
	if (use_schema(s, which) != 0 ||
	    run_statements(s->connection, &list, one_by_one, &failed) != 0) {
		struct location at = {
		    path, list.count ? list.items[failed].line : 0, 1};
		diag_error(diag, at, "PostgreSQL: %s",
			   server_message(s->connection));
		result = -1;
	}
	statements_free(&list);
	return result;
}

static int build_declared(struct scratch *s, const char *path,
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
	result = scratch_schema(s, 1, diag);
	if (result == 0 && run_script(s, 1, path, text, 0, diag) != 0) {
		struct location at = {path, 0, 0};
		diag_note(diag, at,
			  "the declared schema must run in PostgreSQL as it "
			  "is, in a schema of its own (no schema-qualified "
			  "names); fix it and try again");
		result = -1;
	}
	free(text);
	return result;
}

static int snapshot(struct scratch *s, int which, struct pgcatalog *out,
		    const char *what, struct diagnostics *diag)
{
	char *error = NULL;
	if (pgcatalog_read(out, s->connection, s->names[which], &error) != 0) {
		struct location at = {NULL, 0, 0};
		diag_error(diag, at, "%s: %s", what, error);
		free(error);
		return -1;
	}
	return 0;
}

struct versions {
	char **items;
	size_t count;
};

/* Alembic refuses to autogenerate against a database that is not at
 * head; so does migc when the url names a database with a version table.
 * One without (a scratch database) is not checked. */
static int target_at_head(struct scratch *s, const struct graph *g,
			  const struct project *p, struct diagnostics *diag)
{
	struct location at = {p->path, 0, 0};
	const char *table = p->version_table && *p->version_table
				? p->version_table
				: "migc_version";
	const char *values[1];
	PGresult *r;
	char *sql, rows[512] = "";
	size_t n, i;
	int exists, at_head;

	values[0] = table;
	r = PQexecParams(s->connection,
			 "SELECT to_regclass($1::text) IS NOT NULL", 1, NULL,
			 values, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		diag_error(diag, at, "cannot look for the version table %s: %s",
			   table, server_message(s->connection));
		PQclear(r);
		return -1;
	}
	exists = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!exists)
		return 0;
	n = strlen(table) + 64;
	sql = malloc(n);
	if (!sql)
		abort();
	snprintf(sql, n, "SELECT version_num FROM %s ORDER BY 1", table);
	r = PQexec(s->connection, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		diag_error(diag, at, "cannot read the version table %s: %s",
			   table, server_message(s->connection));
		PQclear(r);
		return -1;
	}
	at_head = (size_t)PQntuples(r) == g->head_count;
	for (i = 0; i < (size_t)PQntuples(r); i++) {
		const char *v = PQgetvalue(r, (int)i, 0);
		size_t used = strlen(rows);
		long found = graph_find(g, v);
		if (found < 0 || !g->revisions[found].is_head ||
		    strcmp(g->revisions[found].id.text, v) != 0)
			at_head = 0;
		snprintf(rows + used, sizeof rows - used, "%s%s",
			 used ? ", " : "", v);
	}
	PQclear(r);
	if (at_head)
		return 0;
	diag_error(diag, at,
		   "target database is not up to date: %s holds %s, head is "
		   "%s; upgrade it to head first (autogenerate compares "
		   "revisions that the database has; as Alembic, migc "
		   "refuses otherwise)",
		   table, *rows ? rows : "no revision",
		   g->head_count ? g->revisions[g->heads[0]].id.text
				 : "no revision");
	return -1;
}

/* The schema at the single head and the declared one, as catalogs; the
 * scratch schemas stay for the proof. */
static int both_schemas(struct scratch *s, const struct graph *g,
			const struct project *p, struct pgcatalog *head,
			struct pgcatalog *declared, struct diagnostics *diag)
{
	struct location at = {p->path, 0, 0};
	memset(s, 0, sizeof *s);
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
	if (scratch_open(s, p->url, diag) != 0)
		return -1;
	if (target_at_head(s, g, p, diag) != 0 ||
	    build_head(s, g, g->count, diag) != 0 ||
	    build_declared(s, p->schema, diag) != 0)
		goto fail;
	if (snapshot(s, 0, head, "the schema at head", diag) != 0)
		goto fail;
	if (snapshot(s, 1, declared, "the declared schema", diag) != 0) {
		pgcatalog_free(head);
		goto fail;
	}
	return 0;
fail:
	scratch_close(s);
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

/* Runs what pgdiff.c wrote on the head schema: the upgrade must reach
 * the declared schema, the downgrade must come back. */
static int prove(struct scratch *s, const struct pgcatalog *head,
		 const struct pgcatalog *declared, const char *upgrade,
		 const char *downgrade, struct diagnostics *diag)
{
	struct location at = {"<autogenerate>", 0, 0};
	const char *scripts[2];
	const struct pgcatalog *goals[2];
	const char *names[2] = {"upgrade", "downgrade"};
	size_t i;
	scripts[0] = upgrade;
	scripts[1] = downgrade;
	goals[0] = declared;
	goals[1] = head;
	for (i = 0; i < 2; i++) {
		struct pgcatalog reached;
		struct string_list lines = {0};
		char joined[1500];
		if (run_script(s, 0, names[i], scripts[i],
			       strstr(scripts[i], " ADD VALUE ") != NULL,
			       diag) != 0 ||
		    snapshot(s, 0, &reached, names[i], diag) != 0) {
			diag_error(diag, at,
				   "the generated %s does not run; nothing was "
				   "written (this is a bug in migc: please "
				   "report it with the schema)",
				   names[i]);
			return -1;
		}
		if (pgcatalog_compare(goals[i], &reached,
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
			string_list_free(&lines);
			pgcatalog_free(&reached);
			return -1;
		}
		string_list_free(&lines);
		pgcatalog_free(&reached);
	}
	return 0;
}

int pgautogen_revision(const struct graph *g, const struct project *p,
		       const char *message, const char *rev_id, char **path,
		       struct diagnostics *diag)
{
	struct scratch s;
	struct pgcatalog head, declared;
	struct revision_request request;
	struct revision_body body;
	char *upgrade = NULL, *downgrade = NULL;
	int result = -1;

	*path = NULL;
	if (both_schemas(&s, g, p, &head, &declared, diag) != 0)
		return -1;
	if (pgcatalog_compare(&declared, &head, declared_label, head_label,
			      NULL) == 0) {
		result = 1;
		goto done;
	}
	upgrade = pgdiff_sql(&head, &declared);
	downgrade = pgdiff_sql(&declared, &head);
	if (prove(&s, &head, &declared, upgrade, downgrade, diag) != 0)
		goto done;
	request.versions = p->versions;
	request.rev_id = rev_id;
	request.parents =
	    g->head_count ? g->revisions[g->heads[0]].id.text : "none";
	request.message = message ? message : "";
	request.branch_labels = "";
	request.depends_on = "";
	body.template_path = p->template_path;
	body.upgrade = upgrade;
	body.downgrade = downgrade;
	if (revision_create_filled(&request, &body, path, diag) == 0)
		result = 0;
done:
	free(upgrade);
	free(downgrade);
	pgcatalog_free(&head);
	pgcatalog_free(&declared);
	scratch_close(&s);
	return result;
}

int pgautogen_check(const struct graph *g, const struct project *p, FILE *out,
		    struct diagnostics *diag)
{
	struct scratch s;
	struct pgcatalog head, declared;
	struct string_list lines = {0};
	size_t i;

	if (both_schemas(&s, g, p, &head, &declared, diag) != 0)
		return -1;
	pgcatalog_compare(&declared, &head, declared_label, head_label, &lines);
	for (i = 0; i < lines.count; i++)
		fprintf(out, "%s\n", lines.items[i]);
	i = lines.count;
	string_list_free(&lines);
	pgcatalog_free(&head);
	pgcatalog_free(&declared);
	scratch_close(&s);
	return i ? 1 : 0;
}

/* ---- the round trip ---- */

static struct location downgrade_at(const struct revision *r)
{
	const struct section *s =
	    revision_section(r, SECTION_DOWNGRADE, DIALECT_POSTGRESQL);
	return s ? s->at : r->id.at;
}

/* One revision: upgrade, downgrade, compare, upgrade again. Returns 0,
 * 1 when the revision is broken (reported; the schema must be rebuilt),
 * -1 when the run cannot go on. */
static int round_trip(struct scratch *s, const struct revision *r,
		      struct diagnostics *diag)
{
	struct pgcatalog before, after, restored, again;
	struct string_list lines = {0};
	char joined[1500];
	int result = 0;

	if (snapshot(s, 0, &before, r->path, diag) != 0)
		return -1;
	if (apply_section(s, 0, r, SECTION_UPGRADE, diag) != 0) {
		pgcatalog_free(&before);
		return -1;
	}
	if (snapshot(s, 0, &after, r->path, diag) != 0) {
		pgcatalog_free(&before);
		return -1;
	}
	if (apply_section(s, 0, r, SECTION_DOWNGRADE, diag) != 0) {
		result = 1;
	} else if (snapshot(s, 0, &restored, r->path, diag) != 0) {
		result = -1;
	} else {
		int have_again = 0;
		if (pgcatalog_compare(
			&before, &restored, "the schema before the upgrade",
			"the schema after the downgrade", &lines) != 0) {
			join_differences(joined, sizeof joined, &lines);
			diag_error(diag, downgrade_at(r),
				   "revision %s (%s): the downgrade does not "
				   "restore the schema: %s; make the "
				   "downgrade undo exactly what the upgrade "
				   "does",
				   r->id.text, r->file_name, joined);
			result = 1;
		} else if (apply_section(s, 0, r, SECTION_UPGRADE, diag) != 0) {
			diag_note(diag, downgrade_at(r),
				  "revision %s (%s): the upgrade fails after "
				  "the downgrade; the downgrade leaves "
				  "something behind",
				  r->id.text, r->file_name);
			result = 1;
		} else if (snapshot(s, 0, &again, r->path, diag) != 0) {
			result = -1;
		} else {
			have_again = 1;
			string_list_free(&lines);
			if (pgcatalog_compare(&after, &again,
					      "the first upgrade",
					      "the upgrade after the downgrade",
					      &lines) != 0) {
				join_differences(joined, sizeof joined, &lines);
				diag_error(diag, downgrade_at(r),
					   "revision %s (%s): upgrading "
					   "again after the downgrade gives "
					   "another schema: %s",
					   r->id.text, r->file_name, joined);
				result = 1;
			}
		}
		if (have_again)
			pgcatalog_free(&again);
		pgcatalog_free(&restored);
	}
	string_list_free(&lines);
	pgcatalog_free(&before);
	pgcatalog_free(&after);
	return result;
}

int pgautogen_verify(const struct graph *g, const char *url,
		     struct diagnostics *diag)
{
	struct scratch s;
	size_t i;
	int failed = 0, result = 0;

	if (scratch_open(&s, url, diag) != 0)
		return -1;
	if (scratch_schema(&s, 0, diag) != 0) {
		scratch_close(&s);
		return -1;
	}
	for (i = 0; i < g->count; i++) {
		int status = round_trip(&s, &g->revisions[g->order[i]], diag);
		if (status < 0) {
			result = -1;
			break;
		}
		if (status > 0) {
			/* Go on from a clean state: every upgrade up to
			 * this one, none undone. */
			failed = 1;
			scratch_drop(&s, 0);
			if (build_head(&s, g, i + 1, diag) != 0) {
				result = -1;
				break;
			}
		}
	}
	scratch_close(&s);
	return result != 0 || failed ? -1 : 0;
}

#endif /* MIGC_GENERATOR_WITH_POSTGRESQL */
