/* autogen_fixture.c: the shared half of test_autogen.c and
 * test_pgautogen.c (see autogen_fixture.h). */
#include "autogen_fixture.h"
#include "test_util.h"

#include <check.h>
#include <sys/stat.h>

char *fixture_dir;
char *versions;
struct diagnostics diag;
struct project project;
static const struct test_dialect *dialect;

#define USERS "CREATE TABLE users (id integer PRIMARY KEY, name text);"

/* The changes both dialects write alike, letter for letter. */
static const struct change common_changes[] = {
    {"new nullable column",
     USERS,
     "CREATE TABLE users (id integer PRIMARY KEY, name text, bio text);",
     {"ALTER TABLE users ADD COLUMN bio text;"},
     {"-- migc data loss: drops column users.bio and its values\n"
      "ALTER TABLE users DROP COLUMN bio;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann|\n",
     "1|ann\n"},
    {"new NOT NULL column with a default",
     USERS,
     "CREATE TABLE users (id integer PRIMARY KEY, name text,\n"
     "  score integer NOT NULL DEFAULT 0);",
     {"ALTER TABLE users ADD COLUMN score integer NOT NULL DEFAULT 0;"},
     {"ALTER TABLE users DROP COLUMN score;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann|0\n",
     "1|ann\n"},
    {"dropped column",
     "CREATE TABLE users (id integer PRIMARY KEY, name text, bio text);",
     USERS,
     {"-- migc data loss: drops column users.bio and its values\n"
      "ALTER TABLE users DROP COLUMN bio;"},
     {"ALTER TABLE users ADD COLUMN bio text;"},
     "INSERT INTO users VALUES (1, 'ann', 'hi');",
     "SELECT * FROM users",
     "1|ann\n",
     "1|ann|\n"},
    {"renamed column: a note",
     USERS,
     "CREATE TABLE users (id integer PRIMARY KEY, full_name text);",
     {"-- migc note: if this is a rename of users.name to full_name, "
      "replace the drop and add with ALTER TABLE users RENAME COLUMN "
      "name TO full_name; no tool can tell a rename from a drop plus an "
      "add",
      "ALTER TABLE users DROP COLUMN name;",
      "ALTER TABLE users ADD COLUMN full_name text;"},
     {"-- migc note: if this is a rename of users.full_name to name"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|\n",
     "1|\n"},
    {"renamed table: a note",
     "CREATE TABLE notes (id integer PRIMARY KEY, body text);",
     "CREATE TABLE memos (id integer PRIMARY KEY, body text);",
     {"-- migc note: if this is a rename of notes to memos, replace the "
      "drop and add with ALTER TABLE notes RENAME TO memos; no tool can "
      "tell a rename from a drop plus an add\n"
      "-- migc data loss: drops table notes and every row in it\n"
      "DROP TABLE notes;",
      "CREATE TABLE memos"},
     {"-- migc note: if this is a rename of memos to notes"},
     "INSERT INTO notes VALUES (1, 'x');",
     "SELECT count(*) FROM memos",
     "0\n",
     NULL},
};

void fixture_setup(const struct test_dialect *d)
{
	char path[4200];
	dialect = d;
	fixture_dir = test_tempdir();
	snprintf(path, sizeof path, "%s/versions", fixture_dir);
	versions = strdup(path);
	ck_assert_int_eq(mkdir(versions, 0777), 0);
	memset(&diag, 0, sizeof diag);
	memset(&project, 0, sizeof project);
	project.versions = strdup(versions);
	project.dialect = strdup(dialect_name(d->dialect));
	snprintf(path, sizeof path, "%s/schema.sql", fixture_dir);
	project.schema = strdup(path);
}

void fixture_teardown(void)
{
	project_free(&project);
	diag_free(&diag);
	test_remove_tree(fixture_dir);
	free(fixture_dir);
	free(versions);
}

/* Runs one section of the revision file at `path` in the test's
 * database, statement by statement as the runtime would, in one
 * transaction. */
static void run_section(const char *path, enum section_kind kind)
{
	struct revision r;
	struct statements list = {0};
	size_t length = 0, i;
	char *text = test_read(path, &length);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(revision_parse(&r, path, text, length, &diag), 0);
	ck_assert_int_eq(sql_split(&list, dialect->dialect, &r,
				   revision_section(&r, kind, dialect->dialect),
				   &diag),
			 0);
	if (dialect->before_section)
		dialect->exec(dialect->before_section);
	/* As the runtime runs it: in one transaction, or a statement at a
	 * time for 'transaction none'. */
	if (!r.no_transaction)
		dialect->exec("BEGIN");
	for (i = 0; i < list.count; i++)
		dialect->exec(list.items[i].sql);
	if (!r.no_transaction)
		dialect->exec("COMMIT");
	statements_free(&list);
	revision_free(&r);
}

void write_revision(const char *id, const char *parent, const char *upgrade,
		    const char *downgrade)
{
	char name[64], text[2048];
	snprintf(name, sizeof name, "%s_r.sql", id);
	snprintf(text, sizeof text,
		 "-- migc:revision %s\n-- migc:down_revision %s\n"
		 "-- migc:upgrade\n%s\n-- migc:downgrade\n%s\n",
		 id, parent, upgrade, downgrade);
	test_write(versions, name, text);
}

size_t proofs_run(const char *cache)
{
	struct graph g;
	size_t run = 99;
	load(&g);
	if (autogen_verify_cached(&g, dialect->dialect, project.url, cache,
				  &run, &diag) != 0)
		print_diag();
	ck_assert_uint_eq(diag.errors, 0);
	graph_free(&g);
	return run;
}

void declare(const char *schema)
{
	test_write(fixture_dir, "schema.sql", schema);
}

void print_diag(void)
{
	diag_print(&diag, stderr);
}

void load_from(struct graph *g, const char *path)
{
	memset(g, 0, sizeof *g);
	if (graph_load(g, path, &diag) != 0 || graph_build(g, &diag) != 0) {
		print_diag();
		ck_abort_msg("the versions do not load");
	}
}

void load(struct graph *g)
{
	load_from(g, versions);
}

static void after_call(void)
{
	if (dialect->after_call)
		dialect->after_call();
}

char *autogenerate(const char *rev_id, char **path_out)
{
	struct graph g;
	char *path = NULL, *text;
	int status;
	load(&g);
	status = autogen_revision(&g, &project, "change", rev_id, &path, &diag);
	graph_free(&g);
	if (status != 0)
		print_diag();
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(path);
	text = test_read(path, NULL);
	ck_assert_ptr_nonnull(text);
	if (path_out)
		*path_out = path;
	else
		free(path);
	after_call();
	return text;
}

int check_status(FILE *out)
{
	struct graph g;
	int status;
	load(&g);
	status = autogen_check(&g, &project, out, &diag);
	graph_free(&g);
	return status;
}

int verify_status(void)
{
	struct graph g;
	int status;
	load(&g);
	status = autogen_verify_url(&g, dialect->dialect, project.url, &diag);
	graph_free(&g);
	return status;
}

int emit_check_status(void)
{
	struct graph g;
	int status;
	load(&g);
	status = emit_check(&g, dialect->dialect, LINT_OFF, &diag);
	graph_free(&g);
	return status;
}

/* After the text at `section`, the next of `wants` in order. */
static void expect_in_order(const char *text, const char *section,
			    const char *const *wants, size_t count,
			    const char *name)
{
	const char *at = strstr(text, section);
	size_t i;
	ck_assert_msg(at != NULL, "%s: no %s section", name, section);
	for (i = 0; i < count && wants[i]; i++) {
		const char *found = strstr(at, wants[i]);
		ck_assert_msg(found != NULL,
			      "%s: '%s' not found (in order) after %s in:\n%s",
			      name, wants[i], section, text);
		at = found + strlen(wants[i]);
	}
}

/* The two revisions' text: the second upgrades to c->after. */
static void check_written(const struct change *c, const char *first,
			  const char *second)
{
	const char *upgrade_part, *downgrade_part;
	ck_assert_ptr_nonnull(strstr(first, "-- migc:down_revision none"));
	ck_assert_ptr_nonnull(
	    strstr(second, "-- migc:down_revision aaaaaaaaaaaa"));
	upgrade_part = strstr(second, "-- migc:upgrade\n");
	ck_assert_ptr_nonnull(upgrade_part);
	expect_in_order(second, "-- migc:upgrade\n", c->up,
			sizeof c->up / sizeof *c->up, c->name);
	expect_in_order(second, "-- migc:downgrade\n", c->down,
			sizeof c->down / sizeof *c->down, c->name);
	/* Upgrade statements do not leak into the downgrade and back. */
	downgrade_part = strstr(upgrade_part, "-- migc:downgrade\n");
	ck_assert_ptr_nonnull(downgrade_part);
	ck_assert_msg(strstr(second, c->up[0]) < downgrade_part,
		      "%s: %s is not in the upgrade", c->name, c->up[0]);
}

/* Rows: the upgrade keeps them, the downgrade restores the catalog. */
static void check_rows(const struct change *c, const char *first_path,
		       const char *second_path)
{
	struct string_list lines = {0};
	void *before, *restored;
	char *rows;
	if (dialect->open)
		dialect->open();
	run_section(first_path, SECTION_UPGRADE);
	before = dialect->snapshot();
	dialect->exec(c->rows);
	run_section(second_path, SECTION_UPGRADE);
	rows = dialect->query(c->query);
	ck_assert_msg(strcmp(rows, c->want) == 0, "%s: rows '%s', want '%s'",
		      c->name, rows, c->want);
	free(rows);
	run_section(second_path, SECTION_DOWNGRADE);
	restored = dialect->snapshot();
	if (catalog_compare(dialect->autogen->catalog, before, restored,
			    "before", "after the downgrade", &lines) != 0)
		ck_abort_msg("%s: the downgrade does not restore: %s", c->name,
			     lines.items[0]);
	if (c->want_down) {
		rows = dialect->query(c->query);
		ck_assert_msg(strcmp(rows, c->want_down) == 0,
			      "%s: rows after the downgrade '%s', want '%s'",
			      c->name, rows, c->want_down);
		free(rows);
	}
	catalog_release(dialect->autogen->catalog, before);
	catalog_release(dialect->autogen->catalog, restored);
	if (dialect->close)
		dialect->close();
}

void check_change(const struct change *c)
{
	char *first_path = NULL, *second_path = NULL, *first, *second;
	int status;

	/* The first revision: from nothing to `before`. */
	declare(c->before);
	first = autogenerate("aaaaaaaaaaaa", &first_path);
	/* The declared schema changes; autogenerate writes the second. */
	declare(c->after);
	second = autogenerate("bbbbbbbbbbbb", &second_path);
	check_written(c, first, second);
	check_rows(c, first_path, second_path);

	/* The files compile, the round trip over both revisions passes, and
	 * so does check. */
	status = emit_check_status();
	if (status != 0)
		print_diag();
	ck_assert_int_eq(status, 0);
	status = verify_status();
	if (status != 0)
		print_diag();
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(check_status(stdout), 0);
	ck_assert_uint_eq(diag.errors, 0);
	after_call();

	free(first);
	free(second);
	free(first_path);
	free(second_path);
}

START_TEST(nothing_changed_writes_nothing)
{
	const struct dialect_expectations *e = dialect->expect;
	struct graph g;
	char *path = (char *)"unset";
	char listing[4200];
	declare(e->same[0]);
	free(autogenerate("aaaaaaaaaaaa", NULL));
	declare(e->same[1]);
	load(&g);
	ck_assert_int_eq(autogen_revision(&g, &project, "e->same[1]",
					  "cccccccccccc", &path, &diag),
			 1);
	ck_assert_ptr_null(path);
	graph_free(&g);
	ck_assert_uint_eq(diag.count, 0);
	snprintf(listing, sizeof listing, "%s/cccccccccccc_again.sql",
		 versions);
	ck_assert_int_ne(access(listing, F_OK), 0);
	after_call();
}
END_TEST

START_TEST(check_prints_the_differences)
{
	const struct dialect_expectations *e = dialect->expect;
	char *output = NULL;
	size_t size = 0;
	FILE *out;
	declare(e->prints[0]);
	free(autogenerate("aaaaaaaaaaaa", NULL));
	declare(e->prints[1]);
	out = open_memstream(&output, &size);
	ck_assert_int_eq(check_status(out), 1);
	fclose(out);
	ck_assert_str_eq(output, e->prints[2]);
	free(output);
	after_call();
}
END_TEST

START_TEST(broken_downgrade_fails_the_round_trip)
{
	const struct dialect_expectations *e = dialect->expect;
	struct graph g;
	load_from(&g, e->broken_downgrade[0]);
	ck_assert_int_eq(
	    autogen_verify_url(&g, dialect->dialect, project.url, &diag), -1);
	graph_free(&g);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_str_eq(diag.items[0].text, e->broken_downgrade[1]);
	after_call();
}
END_TEST

START_TEST(failing_downgrade_names_the_statement)
{
	const struct dialect_expectations *e = dialect->expect;
	if (e->failing_downgrade[0])
		declare(e->failing_downgrade[0]);
	test_write(versions, "aaaaaaaaaaaa_users.sql", e->failing_downgrade[1]);
	ck_assert_int_eq(verify_status(), -1);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_msg(strstr(diag.items[0].text, e->failing_downgrade[2]) !=
			  NULL,
		      "%s", diag.items[0].text);
	after_call();
}
END_TEST

const char *autogenerate_refused(void)
{
	struct graph g;
	char *path = NULL;
	load(&g);
	ck_assert_int_eq(
	    autogen_revision(&g, &project, "x", NULL, &path, &diag), -1);
	graph_free(&g);
	ck_assert_uint_ge(diag.count, 1);
	return diag.items[0].text;
}

START_TEST(several_heads_are_refused)
{
	declare(dialect->expect->several_heads);
	test_write(versions, "a_a.sql",
		   "-- migc:revision aaaa\n-- migc:down_revision none\n"
		   "-- migc:upgrade\n");
	test_write(versions, "b_b.sql",
		   "-- migc:revision bbbb\n-- migc:down_revision none\n"
		   "-- migc:upgrade\n");
	ck_assert_ptr_nonnull(strstr(autogenerate_refused(),
				     "the revisions have 2 heads; autogenerate "
				     "compares one head with the declared "
				     "schema: run 'migc merge heads' first"));
}
END_TEST

START_TEST(bad_declared_schema_names_its_line)
{
	const char *want = dialect->expect->bad_schema[1], *said;
	declare(dialect->expect->bad_schema[0]);
	said = autogenerate_refused();
	ck_assert_msg(strstr(said, want) != NULL, "%s", said);
	after_call();
}
END_TEST

START_TEST(the_example_versions_round_trip)
{
	const struct dialect_expectations *e = dialect->expect;
	struct graph g;
	load_from(&g, e->round_trip);
	if (autogen_verify_url(&g, dialect->dialect, project.url, &diag) != 0)
		print_diag();
	ck_assert_uint_eq(diag.errors, 0);
	graph_free(&g);
	after_call();
}
END_TEST

/* ---- the tests both dialects run alike ---- */

START_TEST(each_difference_written_alike)
{
	check_change(&common_changes[_i]);
}
END_TEST

const struct migc_test fixture_tests[] = {
    MIGC_LOOP_TEST(each_difference_written_alike, COUNT(common_changes)),
    MIGC_TEST(nothing_changed_writes_nothing),
    MIGC_TEST(check_prints_the_differences),
    MIGC_TEST(broken_downgrade_fails_the_round_trip),
    MIGC_TEST(failing_downgrade_names_the_statement),
    MIGC_TEST(several_heads_are_refused),
    MIGC_TEST(bad_declared_schema_names_its_line),
    MIGC_TEST(the_example_versions_round_trip)};
