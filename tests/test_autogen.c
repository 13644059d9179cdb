/* test_autogen.c: `revision --autogenerate`, `check` and the round trip,
 * against real SQLite. Each case declares a schema change; autogenerate
 * writes a revision; that revision runs on a database holding rows (which
 * must survive where the operation keeps them); its downgrade must give the
 * previous catalog back; check must pass afterwards. */
#include "sqlite.h"
#include "test_util.h"

#include <check.h>
#include <sys/stat.h>

static char *dir;
static char *versions;
static struct diagnostics diag;
static struct project project;

static void setup(void)
{
	char path[4200];
	dir = test_tempdir();
	snprintf(path, sizeof path, "%s/versions", dir);
	versions = strdup(path);
	ck_assert_int_eq(mkdir(versions, 0777), 0);
	memset(&diag, 0, sizeof diag);
	memset(&project, 0, sizeof project);
	project.versions = strdup(versions);
	project.dialect = strdup("sqlite");
	snprintf(path, sizeof path, "%s/schema.sql", dir);
	project.schema = strdup(path);
}

static void teardown(void)
{
	project_free(&project);
	diag_free(&diag);
	test_remove_tree(dir);
	free(dir);
	free(versions);
}

static void declare(const char *schema)
{
	test_write(dir, "schema.sql", schema);
}

static void load(struct graph *g)
{
	memset(g, 0, sizeof *g);
	if (graph_load(g, versions, &diag) != 0 || graph_build(g, &diag) != 0) {
		diag_print(&diag, stderr);
		ck_abort_msg("the versions do not load");
	}
}

static void print_diag(void)
{
	diag_print(&diag, stderr);
}

/* Autogenerates a revision for the declared schema; returns its text. */
static char *autogenerate(const char *rev_id, char **path_out)
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
	return text;
}

static int check_status(FILE *out)
{
	struct graph g;
	int status;
	load(&g);
	status = autogen_check(&g, &project, out, &diag);
	graph_free(&g);
	return status;
}

/* What `migc generate` checks: parse, split, transaction rules. */
static int emit_check_status(void)
{
	struct graph g;
	int status;
	load(&g);
	status = emit_check(&g, DIALECT_SQLITE, &diag);
	graph_free(&g);
	return status;
}

static int verify_status(void)
{
	struct graph g;
	int status;
	load(&g);
	status = autogen_verify(&g, DIALECT_SQLITE, &diag);
	graph_free(&g);
	return status;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *error = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &error) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, error);
}

/* Runs one section of the revision file at `path`, statement by statement
 * as the runtime would, in one transaction. */
static void run_section(sqlite3 *db, const char *path, enum section_kind kind)
{
	struct revision r;
	struct statements list = {0};
	size_t length, i;
	char *text = test_read(path, &length);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(revision_parse(&r, path, text, length, &diag), 0);
	ck_assert_int_eq(sql_split(&list, DIALECT_SQLITE, &r,
				   revision_section(&r, kind, DIALECT_SQLITE),
				   &diag),
			 0);
	exec(db, "BEGIN");
	for (i = 0; i < list.count; i++)
		exec(db, list.items[i].sql);
	exec(db, "COMMIT");
	statements_free(&list);
	revision_free(&r);
}

static int add_row(void *payload, int columns, char **values, char **names)
{
	char **out = payload;
	size_t length = *out ? strlen(*out) : 0, more = 2;
	int i;
	(void)names;
	for (i = 0; i < columns; i++)
		more += (values[i] ? strlen(values[i]) : 0) + 1;
	*out = realloc(*out, length + more);
	if (!*out)
		abort();
	(*out)[length] = '\0';
	for (i = 0; i < columns; i++) {
		if (i)
			strcat(*out, "|");
		strcat(*out, values[i] ? values[i] : "");
	}
	strcat(*out, "\n");
	return 0;
}

/* Rows as "a|b\n" lines, NULL as "". */
static char *query(sqlite3 *db, const char *sql)
{
	char *out = NULL, *error = NULL;
	if (sqlite3_exec(db, sql, add_row, &out, &error) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, error);
	return out ? out : strdup("");
}

static void read_schema(sqlite3 *db, struct catalog *c)
{
	char *error = NULL;
	ck_assert_int_eq(catalog_read(c, db, &error), 0);
}

struct change {
	const char *name;
	const char *before;    /* the declared schema of the first revision */
	const char *after;     /* the declared schema of the second */
	const char *up[6];     /* in the second revision's upgrade, in order */
	const char *down[4];   /* in its downgrade, in order */
	const char *rows;      /* inserted before the second upgrade */
	const char *query;     /* after the upgrade */
	const char *want;      /* its rows */
	const char *want_down; /* the same query's rows after the downgrade,
				  or NULL when the query no longer runs */
};

static const struct change changes[] = {
    {"new table",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE TABLE tags (id INTEGER PRIMARY KEY,\n"
     "  user_id INTEGER REFERENCES users (id), label TEXT NOT NULL);",
     {"CREATE TABLE tags (id INTEGER PRIMARY KEY,\n  user_id"},
     {"-- migc data loss: drops table tags and every row in it\n"
      "DROP TABLE tags;"},
     "INSERT INTO users VALUES (1, 'ann'), (2, 'bob');",
     "SELECT id, name FROM users ORDER BY id",
     "1|ann\n2|bob\n",
     "1|ann\n2|bob\n"},
    {"dropped table",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     {"-- migc data loss: drops table notes and every row in it\n"
      "DROP TABLE notes;"},
     {"CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"},
     "INSERT INTO users VALUES (1, 'ann'); INSERT INTO notes VALUES (1, "
     "'x');",
     "SELECT id, name FROM users",
     "1|ann\n",
     "1|ann\n"},
    {"new nullable column",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, bio TEXT);",
     {"ALTER TABLE users ADD COLUMN bio TEXT;"},
     {"-- migc data loss: drops column users.bio and its values\n"
      "ALTER TABLE users DROP COLUMN bio;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann|\n",
     "1|ann\n"},
    {"new NOT NULL column with a default",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT,\n"
     "  score INTEGER NOT NULL DEFAULT 0);",
     {"ALTER TABLE users ADD COLUMN score INTEGER NOT NULL DEFAULT 0;"},
     {"ALTER TABLE users DROP COLUMN score;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann|0\n",
     "1|ann\n"},
    {"new column with a CHECK: rebuild",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT,\n"
     "  age INTEGER CHECK (age >= 0));",
     {"-- migc note: SQLite cannot make this change to users in place",
      "CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT,\n"
      "  age INTEGER CHECK (age >= 0));",
      "INSERT INTO new_users (id, name)\nSELECT id, name FROM users;",
      "DROP TABLE users;\nALTER TABLE new_users RENAME TO users;",
      "PRAGMA foreign_key_check(users);"},
     {"-- migc data loss: the rebuild drops column users.age",
      "INSERT INTO new_users (id, name)\nSELECT id, name FROM users;"},
     "INSERT INTO users VALUES (1, 'ann'), (2, NULL);",
     "SELECT * FROM users ORDER BY id",
     "1|ann|\n2||\n",
     NULL},
    {"new column with a foreign key to a new table: rebuild",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE teams (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT,\n"
     "  team_id INTEGER REFERENCES teams (id));",
     {"CREATE TABLE teams (id INTEGER PRIMARY KEY);", "CREATE TABLE new_users",
      "ALTER TABLE new_users RENAME TO users;"},
     {"DROP TABLE teams;"},
     "INSERT INTO users VALUES (7, 'ann');",
     "SELECT id, name, team_id FROM users",
     "7|ann|\n",
     NULL},
    {"primary key change: rebuild",
     "CREATE TABLE users (id INTEGER, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT);",
      "INSERT INTO new_users (id, name)\nSELECT id, name FROM users;"},
     {"CREATE TABLE new_users (id INTEGER, name TEXT);"},
     "INSERT INTO users VALUES (3, 'ann'), (4, 'bob');",
     "SELECT id, name FROM users ORDER BY id",
     "3|ann\n4|bob\n",
     "3|ann\n4|bob\n"},
    {"dropped column",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, bio TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     {"-- migc data loss: drops column users.bio and its values\n"
      "ALTER TABLE users DROP COLUMN bio;"},
     {"ALTER TABLE users ADD COLUMN bio TEXT;"},
     "INSERT INTO users VALUES (1, 'ann', 'hi');",
     "SELECT * FROM users",
     "1|ann\n",
     "1|ann|\n"},
    {"dropped UNIQUE column: rebuild",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT,\n"
     "  email TEXT UNIQUE);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     {"-- migc data loss: the rebuild drops column users.email and its "
      "values",
      "CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT);"},
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT,\n"
      "  email TEXT UNIQUE);"},
     "INSERT INTO users VALUES (1, 'ann', 'a@x');",
     "SELECT * FROM users",
     "1|ann\n",
     "1|ann|\n"},
    {"changed type",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, age TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER);",
     {"-- migc data loss: column users.age changes type from 'TEXT' to "
      "'INTEGER'; values may be converted or cut",
      "CREATE TABLE new_users (id INTEGER PRIMARY KEY, age INTEGER);"},
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, age TEXT);"},
     "INSERT INTO users VALUES (1, '42');",
     "SELECT id, age, typeof(age) FROM users",
     "1|42|integer\n",
     "1|42|text\n"},
    {"changed default",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'x');",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT DEFAULT 'y');",
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT "
      "DEFAULT 'y');"},
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT "
      "DEFAULT 'x');"},
     "INSERT INTO users VALUES (1, 'ann'); INSERT INTO users (id) VALUES "
     "(2);",
     "SELECT * FROM users ORDER BY id",
     "1|ann\n2|x\n",
     "1|ann\n2|x\n"},
    {"changed nullability",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY,\n"
     "  name TEXT NOT NULL DEFAULT '');",
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY,\n"
      "  name TEXT NOT NULL DEFAULT '');",
      "SELECT id, coalesce(name, '') FROM users;"},
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT);"},
     "INSERT INTO users VALUES (1, 'ann'), (2, NULL);",
     "SELECT id, quote(name) FROM users ORDER BY id",
     "1|'ann'\n2|''\n",
     "1|'ann'\n2|''\n"},
    {"changed collation",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT COLLATE "
     "NOCASE);",
     {"CREATE TABLE new_users"},
     {"CREATE TABLE new_users"},
     "INSERT INTO users VALUES (1, 'Ann');",
     "SELECT count(*) FROM users WHERE name = 'ann'",
     "1\n",
     "0\n"},
    {"new index",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE INDEX users_name ON users (name);",
     {"CREATE INDEX users_name ON users (name);"},
     {"DROP INDEX users_name;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann\n",
     "1|ann\n"},
    {"dropped index",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE INDEX users_name ON users (name);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     {"DROP INDEX users_name;"},
     {"CREATE INDEX users_name ON users (name);"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann\n",
     "1|ann\n"},
    {"changed index",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE INDEX users_name ON users (name);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE UNIQUE INDEX users_name ON users (name, id DESC);",
     {"DROP INDEX users_name;",
      "CREATE UNIQUE INDEX users_name ON users (name, id DESC);"},
     {"DROP INDEX users_name;", "CREATE INDEX users_name ON users "
				"(name);"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann\n",
     "1|ann\n"},
    {"partial and expression indexes",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, active "
     "INTEGER);\n"
     "CREATE INDEX users_active ON users (name) WHERE active = 1;",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, active "
     "INTEGER);\n"
     "CREATE INDEX users_active ON users (name) WHERE active = 0;\n"
     "CREATE INDEX users_lower ON users (lower(name));",
     {"DROP INDEX users_active;",
      "CREATE INDEX users_active ON users (name) WHERE active = 0;",
      "CREATE INDEX users_lower ON users (lower(name));"},
     {"DROP INDEX users_lower;", "DROP INDEX users_active;",
      "CREATE INDEX users_active ON users (name) WHERE active = 1;"},
     "INSERT INTO users VALUES (1, 'Ann', 1);",
     "SELECT * FROM users",
     "1|Ann|1\n",
     "1|Ann|1\n"},
    {"unique constraint",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE);",
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT "
      "UNIQUE);",
      "INSERT INTO new_users (id, email)\nSELECT id, email FROM users;"},
     {"CREATE TABLE new_users (id INTEGER PRIMARY KEY, email TEXT);"},
     "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x');",
     "SELECT * FROM users ORDER BY id",
     "1|a@x\n2|b@x\n",
     "1|a@x\n2|b@x\n"},
    {"foreign key added, with an index and a trigger on the table",
     "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE entries (id INTEGER PRIMARY KEY, user_id INTEGER);\n"
     "CREATE INDEX entries_user ON entries (user_id);\n"
     "CREATE TABLE log (what TEXT);\n"
     "CREATE TRIGGER entries_log AFTER INSERT ON entries\n"
     "BEGIN\n  INSERT INTO log VALUES ('entry');\nEND;",
     "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
     "CREATE TABLE entries (id INTEGER PRIMARY KEY,\n"
     "  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);\n"
     "CREATE INDEX entries_user ON entries (user_id);\n"
     "CREATE TABLE log (what TEXT);\n"
     "CREATE TRIGGER entries_log AFTER INSERT ON entries\n"
     "BEGIN\n  INSERT INTO log VALUES ('entry');\nEND;",
     {"DROP TRIGGER entries_log;", "CREATE TABLE new_entries",
      "ALTER TABLE new_entries RENAME TO entries;",
      "CREATE INDEX entries_user ON entries (user_id);",
      "CREATE TRIGGER entries_log AFTER INSERT ON entries\nBEGIN\n",
      "PRAGMA foreign_key_check(entries);"},
     {"DROP TRIGGER entries_log;", "CREATE TABLE new_entries",
      "CREATE INDEX entries_user", "CREATE TRIGGER entries_log"},
     "INSERT INTO users VALUES (1); INSERT INTO entries VALUES (5, 1);",
     "SELECT e.id, e.user_id, (SELECT count(*) FROM log) FROM entries e",
     "5|1|1\n",
     "5|1|1\n"},
    {"view",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE VIEW names AS SELECT name FROM users;",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE VIEW names AS SELECT upper(name) AS name FROM users;\n"
     "CREATE VIEW ids AS SELECT id FROM users;",
     {"DROP VIEW names;",
      "CREATE VIEW names AS SELECT upper(name) AS name FROM users;",
      "CREATE VIEW ids AS SELECT id FROM users;"},
     {"DROP VIEW ids;\nDROP VIEW names;",
      "CREATE VIEW names AS SELECT name FROM users;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM names",
     "ANN\n",
     "ann\n"},
    {"trigger",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE TABLE log (what TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE TABLE log (what TEXT);\n"
     "CREATE TRIGGER users_log AFTER INSERT ON users\n"
     "BEGIN\n  INSERT INTO log VALUES (NEW.name);\nEND;",
     {"CREATE TRIGGER users_log AFTER INSERT ON users\nBEGIN\n"
      "  INSERT INTO log VALUES (NEW.name);\nEND;"},
     {"DROP TRIGGER users_log;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT count(*) FROM log",
     "0\n",
     "0\n"},
    {"rebuild keeps a view on the table",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, age TEXT);\n"
     "CREATE VIEW ages AS SELECT age FROM users;",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, age INTEGER);\n"
     "CREATE VIEW ages AS SELECT age FROM users;",
     {"DROP VIEW ages;", "CREATE TABLE new_users",
      "CREATE VIEW ages AS SELECT age FROM users;"},
     {"DROP VIEW ages;", "CREATE VIEW ages"},
     "INSERT INTO users VALUES (1, '7');",
     "SELECT age + 1 FROM ages",
     "8\n",
     "8\n"},
    {"rebuild of a table that others reference",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE TABLE entries (id INTEGER PRIMARY KEY,\n"
     "  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
     "DEFAULT '');\n"
     "CREATE TABLE entries (id INTEGER PRIMARY KEY,\n"
     "  user_id INTEGER REFERENCES users (id) ON DELETE CASCADE);",
     {"-- migc note: entries references users: run this revision with "
      "PRAGMA foreign_keys=OFF (the default), or DROP TABLE users fires "
      "its ON DELETE actions",
      "CREATE TABLE new_users"},
     {"CREATE TABLE new_users"},
     "INSERT INTO users VALUES (1, 'ann'); INSERT INTO entries VALUES "
     "(9, 1);",
     "SELECT e.id, u.name FROM entries e JOIN users u ON u.id = "
     "e.user_id",
     "9|ann\n",
     "9|ann\n"},
    {"renamed column: a note",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, full_name TEXT);",
     {"-- migc note: if this is a rename of users.name to full_name, "
      "replace the drop and add with ALTER TABLE users RENAME COLUMN "
      "name TO full_name; no tool can tell a rename from a drop plus an "
      "add",
      "ALTER TABLE users DROP COLUMN name;",
      "ALTER TABLE users ADD COLUMN full_name TEXT;"},
     {"-- migc note: if this is a rename of users.full_name to name"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|\n",
     "1|\n"},
    {"renamed table: a note",
     "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);",
     "CREATE TABLE memos (id INTEGER PRIMARY KEY, body TEXT);",
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

/* After the text at `from`, the next of `wants` in order. */
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

START_TEST(each_kind_of_difference)
{
	const struct change *c = &changes[_i];
	char *first_path = NULL, *second_path = NULL, *first, *second;
	char *upgrade_part, *rows;
	struct catalog before, restored;
	struct string_list lines = {0};
	sqlite3 *db;

	/* The first revision: from nothing to `before`. */
	declare(c->before);
	first = autogenerate("aaaaaaaaaaaa", &first_path);
	ck_assert_ptr_nonnull(strstr(first, "-- migc:down_revision none"));

	/* The declared schema changes; autogenerate writes the second. */
	declare(c->after);
	second = autogenerate("bbbbbbbbbbbb", &second_path);
	ck_assert_ptr_nonnull(
	    strstr(second, "-- migc:down_revision aaaaaaaaaaaa"));
	upgrade_part = strstr(second, "-- migc:upgrade\n");
	ck_assert_ptr_nonnull(upgrade_part);
	expect_in_order(second, "-- migc:upgrade\n", c->up,
			sizeof c->up / sizeof *c->up, c->name);
	expect_in_order(second, "-- migc:downgrade\n", c->down,
			sizeof c->down / sizeof *c->down, c->name);
	/* Upgrade statements do not leak into the downgrade and back. */
	ck_assert_ptr_nonnull(strstr(upgrade_part, "-- migc:downgrade\n"));

	/* Rows: the upgrade keeps them, the downgrade restores the catalog. */
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	run_section(db, first_path, SECTION_UPGRADE);
	read_schema(db, &before);
	exec(db, c->rows);
	run_section(db, second_path, SECTION_UPGRADE);
	rows = query(db, c->query);
	ck_assert_msg(strcmp(rows, c->want) == 0, "%s: rows '%s', want '%s'",
		      c->name, rows, c->want);
	free(rows);
	run_section(db, second_path, SECTION_DOWNGRADE);
	read_schema(db, &restored);
	if (catalog_compare(&before, &restored, "before", "after the downgrade",
			    &lines) != 0)
		ck_abort_msg("%s: the downgrade does not restore: %s", c->name,
			     lines.items[0]);
	if (c->want_down) {
		rows = query(db, c->query);
		ck_assert_msg(strcmp(rows, c->want_down) == 0,
			      "%s: rows after the downgrade '%s', want '%s'",
			      c->name, rows, c->want_down);
		free(rows);
	}
	catalog_free(&before);
	catalog_free(&restored);
	sqlite3_close(db);

	/* The files compile, the round trip over both revisions passes, and
	 * so does check. */
	if (emit_check_status() != 0)
		print_diag();
	ck_assert_int_eq(emit_check_status(), 0);
	if (verify_status() != 0)
		print_diag();
	ck_assert_int_eq(verify_status(), 0);
	ck_assert_int_eq(check_status(stdout), 0);
	ck_assert_uint_eq(diag.errors, 0);

	free(first);
	free(second);
	free(first_path);
	free(second_path);
}
END_TEST

START_TEST(nothing_changed_writes_nothing)
{
	struct graph g;
	char *path = (char *)"unset";
	char listing[4200];
	declare("CREATE TABLE users (id INTEGER PRIMARY KEY);");
	free(autogenerate("aaaaaaaaaaaa", NULL));
	/* The same schema, spelled differently. */
	declare("create table \"users\" (\n  id integer primary key\n);\n");
	load(&g);
	ck_assert_int_eq(autogen_revision(&g, &project, "again", "cccccccccccc",
					  &path, &diag),
			 1);
	ck_assert_ptr_null(path);
	graph_free(&g);
	ck_assert_uint_eq(diag.count, 0);
	snprintf(listing, sizeof listing, "%s/cccccccccccc_again.sql",
		 versions);
	ck_assert_int_ne(access(listing, F_OK), 0);
}
END_TEST

START_TEST(check_prints_the_differences)
{
	char *output = NULL;
	size_t size = 0;
	FILE *out;
	declare("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);");
	free(autogenerate("aaaaaaaaaaaa", NULL));
	declare("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, bio "
		"TEXT);\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\n");
	out = open_memstream(&output, &size);
	ck_assert_int_eq(check_status(out), 1);
	fclose(out);
	ck_assert_str_eq(output,
			 "table users: column bio only in the declared schema\n"
			 "table tags: only in the declared schema\n");
	free(output);
}
END_TEST

START_TEST(broken_downgrade_fails_the_round_trip)
{
	struct graph g;
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(
	    graph_load(&g, MIGC_TEST_DATA_DIR "/autogen/broken_downgrade",
		       &diag),
	    0);
	ck_assert_int_eq(graph_build(&g, &diag), 0);
	ck_assert_int_eq(autogen_verify(&g, DIALECT_SQLITE, &diag), -1);
	graph_free(&g);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_str_eq(
	    diag.items[0].text, MIGC_TEST_DATA_DIR
	    "/autogen/broken_downgrade/2b0000000002_index_titles.sql:12:4: "
	    "error: revision 2b0000000002 (2b0000000002_index_titles.sql): "
	    "the downgrade does not restore the schema: index "
	    "entries_title: only in the schema after the downgrade; make "
	    "the downgrade undo exactly what the upgrade does");
}
END_TEST

START_TEST(failing_downgrade_names_the_statement)
{
	declare("CREATE TABLE users (id INTEGER PRIMARY KEY);");
	test_write(versions, "aaaaaaaaaaaa_users.sql",
		   "-- migc:revision aaaaaaaaaaaa\n"
		   "-- migc:down_revision none\n"
		   "-- migc:upgrade\n"
		   "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
		   "-- migc:downgrade\n"
		   "DROP TABLE user;\n");
	ck_assert_int_eq(verify_status(), -1);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text,
				     "aaaaaaaaaaaa_users.sql:6:1: error: "
				     "revision aaaaaaaaaaaa: the downgrade "
				     "fails in SQLite: no such table: user"));
}
END_TEST

START_TEST(several_heads_are_refused)
{
	struct graph g;
	char *path = NULL;
	declare("CREATE TABLE t (id INTEGER);");
	test_write(versions, "a_a.sql",
		   "-- migc:revision aaaa\n-- migc:down_revision none\n"
		   "-- migc:upgrade\n");
	test_write(versions, "b_b.sql",
		   "-- migc:revision bbbb\n-- migc:down_revision none\n"
		   "-- migc:upgrade\n");
	load(&g);
	ck_assert_int_eq(
	    autogen_revision(&g, &project, "x", NULL, &path, &diag), -1);
	graph_free(&g);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text,
				     "the revisions have 2 heads; autogenerate "
				     "compares one head with the declared "
				     "schema: run 'migc merge heads' first"));
}
END_TEST

START_TEST(bad_declared_schema_names_its_line)
{
	struct graph g;
	char *path = NULL;
	declare("CREATE TABLE t (id INTEGER);\n\nCREATE TABLE t (x);\n");
	load(&g);
	ck_assert_int_eq(
	    autogen_revision(&g, &project, "x", NULL, &path, &diag), -1);
	graph_free(&g);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text,
				     "schema.sql:3:1: error: SQLite: table t "
				     "already exists"));
}
END_TEST

START_TEST(the_example_versions_round_trip)
{
	struct graph g;
	memset(&g, 0, sizeof g);
	ck_assert_int_eq(
	    graph_load(&g, MIGC_TEST_DATA_DIR "/../../versions", &diag), 0);
	ck_assert_int_eq(graph_build(&g, &diag), 0);
	if (autogen_verify(&g, DIALECT_SQLITE, &diag) != 0)
		print_diag();
	ck_assert_uint_eq(diag.errors, 0);
	graph_free(&g);
}
END_TEST

Suite *autogen_suite(void)
{
	Suite *s = suite_create("autogen");
	TCase *t = tcase_create("autogen");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_loop_test(t, each_kind_of_difference, 0,
			    (int)(sizeof changes / sizeof *changes));
	tcase_add_test(t, nothing_changed_writes_nothing);
	tcase_add_test(t, check_prints_the_differences);
	tcase_add_test(t, broken_downgrade_fails_the_round_trip);
	tcase_add_test(t, failing_downgrade_names_the_statement);
	tcase_add_test(t, several_heads_are_refused);
	tcase_add_test(t, bad_declared_schema_names_its_line);
	tcase_add_test(t, the_example_versions_round_trip);
	suite_add_tcase(s, t);
	return s;
}
