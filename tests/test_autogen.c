/* test_autogen.c: `revision --autogenerate`, `check` and the round trip,
 * against real SQLite. Each case declares a schema change; autogenerate
 * writes a revision; that revision runs on a database holding rows (which
 * must survive where the operation keeps them); its downgrade must give the
 * previous catalog back; check must pass afterwards. What PostgreSQL's test
 * does alike is in autogen_fixture.c; this file holds SQLite's cases. */
#include "autogen_fixture.h"
#include "sqlite.h"
#include "test_util.h"

#include "check_main.h"

/* The test's database: in memory, one per change. */
static sqlite3 *db;

static void exec_in(sqlite3 *database, const char *sql)
{
	char *error = NULL;
	if (sqlite3_exec(database, sql, NULL, NULL, &error) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, error);
}

static void exec(const char *sql)
{
	exec_in(db, sql);
}

static void open_db(void)
{
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
}

static void close_db(void)
{
	sqlite3_close(db);
	db = NULL;
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

static char *query(const char *sql)
{
	char *out = NULL, *error = NULL;
	if (sqlite3_exec(db, sql, add_row, &out, &error) != SQLITE_OK)
		ck_abort_msg("%s: %s", sql, error);
	return out ? out : strdup("");
}

static void *snapshot(void)
{
	struct catalog *c = calloc(1, sizeof *c);
	char *error = NULL;
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(catalog_read(c, db, &error), 0);
	return c;
}

/* What this dialect expects of the tests both run alike. */
static const struct dialect_expectations expectations = {
    .same = {"CREATE TABLE users (id INTEGER PRIMARY KEY);",
	     "create table \"users\" (\n  id integer primary key\n);\n"},
    .prints = {"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
	       "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, "
	       "bio TEXT);\nCREATE TABLE tags (id INTEGER PRIMARY "
	       "KEY);\n",
	       "table users: column bio only in the declared schema\n"
	       "table tags: only in the declared schema\n"},
    .broken_downgrade =
	{MIGC_TEST_DATA_DIR "/autogen/broken_downgrade", MIGC_TEST_DATA_DIR
	 "/autogen/broken_downgrade/2b0000000002_index_titles.sql:12:4: "
	 "error: revision 2b0000000002 (2b0000000002_index_titles.sql): "
	 "the downgrade does not restore the schema: index "
	 "entries_title: only in the schema after the downgrade; make "
	 "the downgrade undo exactly what the upgrade does"},
    .failing_downgrade = {"CREATE TABLE users (id INTEGER PRIMARY KEY);",
			  "-- migc:revision aaaaaaaaaaaa\n"
			  "-- migc:down_revision none\n"
			  "-- migc:upgrade\n"
			  "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
			  "-- migc:downgrade\n"
			  "DROP TABLE user;\n",
			  "aaaaaaaaaaaa_users.sql:6:1: error: "
			  "revision aaaaaaaaaaaa: the downgrade "
			  "fails in SQLite: no such table: user"},
    .several_heads = "CREATE TABLE t (id INTEGER);",
    .bad_schema = {"CREATE TABLE t (id INTEGER);\n\nCREATE TABLE t (x);\n",
		   "schema.sql:3:1: error: SQLite: table t already exists"},
    .round_trip = MIGC_TEST_DATA_DIR "/../../versions",
};

/* In struct test_dialect's order (autogen_fixture.h). */
static const struct test_dialect sqlite_dialect = {
    DIALECT_SQLITE, open_db,  close_db,	       NULL, exec,
    query,	    snapshot, &autogen_sqlite, NULL, &expectations};

static void setup(void)
{
	fixture_setup(&sqlite_dialect);
}

static const struct change changes[] = {
    {"new table",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE TABLE tags (id INTEGER PRIMARY KEY,\n"
     "  user_id INTEGER REFERENCES users (id), label TEXT NOT NULL);",
     {"CREATE TABLE tags (id INTEGER PRIMARY KEY,\n  user_id"},
     {"-- migc data loss: drops table tags and every row in it\n"
      "DROP TABLE tags;"},
     KEEPS_ANN_AND_BOB},
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
     KEEPS_OLD_DEFAULT},
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
     KEEPS_ANN},
    {"dropped index",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE INDEX users_name ON users (name);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);",
     {"DROP INDEX users_name;"},
     {"CREATE INDEX users_name ON users (name);"},
     KEEPS_ANN},
    {"changed index",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE INDEX users_name ON users (name);",
     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
     "CREATE UNIQUE INDEX users_name ON users (name, id DESC);",
     {"DROP INDEX users_name;",
      "CREATE UNIQUE INDEX users_name ON users (name, id DESC);"},
     {"DROP INDEX users_name;", "CREATE INDEX users_name ON users "
				"(name);"},
     KEEPS_ANN},
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
};

/* The generic dialect has no database to prove a round trip in: said,
 * not that PostgreSQL is not built yet, as it once was. */
START_TEST(verify_in_the_generic_dialect_is_refused)
{
	struct graph g;
	write_revision("aaaaaaaaaaaa", "none", "CREATE TABLE a (id INTEGER);",
		       "DROP TABLE a;");
	load(&g);
	ck_assert_int_eq(autogen_verify(&g, DIALECT_GENERIC, &diag), -1);
	graph_free(&g);
	ck_assert_uint_eq(diag.count, 1);
	ck_assert_str_eq(diag.items[0].text,
			 "migc: error: dialect must be sqlite or postgresql");
}
END_TEST

/* A revision file: its upgrade and downgrade. */

/* A proof is remembered by the revision's text and the upgrades that
 * made what it reaches: touching a downgrade proves that revision again,
 * touching an upgrade also those after it that reach what it made; a
 * broken revision is never remembered. */
START_TEST(proofs_are_remembered_by_what_they_depend_on)
{
	char cache[4200];
	struct graph g;
	size_t run = 0;
	snprintf(cache, sizeof cache, "%s/set.verified", fixture_dir);
	write_revision("aaaaaaaaaaaa", "none", "CREATE TABLE a (id INTEGER);",
		       "DROP TABLE a;");
	write_revision("bbbbbbbbbbbb", "aaaaaaaaaaaa",
		       "CREATE TABLE b (id INTEGER);", "DROP TABLE b;");
	write_revision("cccccccccccc", "bbbbbbbbbbbb",
		       "CREATE INDEX a_id ON a (id);", "DROP INDEX a_id;");
	ck_assert_uint_eq(proofs_run(cache), 3);
	ck_assert_uint_eq(proofs_run(cache), 0);
	write_revision("cccccccccccc", "bbbbbbbbbbbb",
		       "CREATE INDEX a_id ON a (id);",
		       "DROP INDEX a_id; -- touched");
	ck_assert_uint_eq(proofs_run(cache), 1);
	write_revision("aaaaaaaaaaaa", "none", "CREATE TABLE a (id INTEGER);",
		       "DROP TABLE IF EXISTS a;");
	ck_assert_uint_eq(proofs_run(cache), 1);
	/* a and c, which indexes a; b never names a, so its proof does not
	 * depend on a's upgrade. */
	write_revision("aaaaaaaaaaaa", "none",
		       "CREATE TABLE a (id INTEGER, x TEXT);",
		       "DROP TABLE IF EXISTS a;");
	ck_assert_uint_eq(proofs_run(cache), 2);
	/* Broken: reported each time, never remembered. */
	write_revision("bbbbbbbbbbbb", "aaaaaaaaaaaa",
		       "CREATE TABLE b (id INTEGER);", "SELECT 1;");
	load(&g);
	ck_assert_int_eq(
	    autogen_verify_cached(&g, DIALECT_SQLITE, NULL, cache, &run, &diag),
	    -1);
	ck_assert_uint_eq(run, 1);
	ck_assert_int_eq(
	    autogen_verify_cached(&g, DIALECT_SQLITE, NULL, cache, &run, &diag),
	    -1);
	ck_assert_uint_eq(run, 1);
	graph_free(&g);
	ck_assert_uint_eq(diag.errors, 2);
}
END_TEST

/* The quick proof reads only the rows a revision touches; what a
 * downgrade does beyond them must still fail the round trip. */
START_TEST(a_downgrade_touching_other_objects_fails)
{
	struct graph g;
	write_revision("aaaaaaaaaaaa", "none",
		       "CREATE TABLE t (id INTEGER, x TEXT);\n"
		       "CREATE INDEX t_x ON t (x);",
		       "DROP TABLE t;");
	write_revision("bbbbbbbbbbbb", "aaaaaaaaaaaa",
		       "CREATE TABLE u (id INTEGER);",
		       "DROP TABLE u; DROP INDEX t_x;");
	write_revision("cccccccccccc", "bbbbbbbbbbbb",
		       "ALTER TABLE t ADD COLUMN y TEXT;",
		       "ALTER TABLE t DROP COLUMN y; ALTER TABLE t ADD COLUMN "
		       "z TEXT;");
	write_revision("dddddddddddd", "cccccccccccc",
		       "CREATE INDEX t_id ON t (id);",
		       "DROP INDEX t_id; CREATE INDEX t_id2 ON t (id);");
	load(&g);
	ck_assert_int_eq(autogen_verify(&g, DIALECT_SQLITE, &diag), -1);
	graph_free(&g);
	ck_assert_uint_eq(diag.errors, 3);
	ck_assert_ptr_nonnull(strstr(
	    diag.items[0].text, "revision bbbbbbbbbbbb (bbbbbbbbbbbb_r.sql): "
				"the downgrade does not restore the "
				"schema: index t_x: only in the schema "
				"before the upgrade"));
	ck_assert_ptr_nonnull(strstr(
	    diag.items[1].text, "revision cccccccccccc (cccccccccccc_r.sql): "
				"the downgrade does not restore"));
	ck_assert_ptr_nonnull(strstr(
	    diag.items[2].text, "revision dddddddddddd (dddddddddddd_r.sql): "
				"the downgrade does not restore"));
}
END_TEST

AUTOGEN_SUITE("autogen", setup, fixture_teardown, 0, MIGC_SERVER_NONE, changes,
	      MIGC_TEST(verify_in_the_generic_dialect_is_refused),
	      MIGC_TEST(proofs_are_remembered_by_what_they_depend_on),
	      MIGC_TEST(a_downgrade_touching_other_objects_fails));
