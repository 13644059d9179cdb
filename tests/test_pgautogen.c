/* test_pgautogen.c: `revision --autogenerate`, `check` and the round trip
 * for PostgreSQL, against a real server (libpq's PGHOST etc.), one fresh
 * database per test. Each case declares a schema change; autogenerate
 * writes a revision; that revision runs on the database's public schema
 * holding rows (which survive where the operation keeps them); its
 * downgrade must give the previous catalog back; check passes afterwards.
 * Autogenerate's own scratch databases (named after the process) must be
 * gone after every call, and the url's database never touched. What
 * SQLite's test does alike is in autogen_fixture.c. */
#include "autogen_fixture.h"
#include "postgresql.h"
#include "test_util.h"

#include "check_main.h"
#include "pg_connect.h"

static PGconn *admin; /* to PGDATABASE: creates and drops ours */
static PGconn *db;    /* to the fresh database */
static char database[64];

static void exec(const char *sql)
{
	exec_on(db, sql);
}

static void ignore_notice(void *payload, const char *message)
{
	(void)payload;
	(void)message;
}

/* Rows as "a|b\n" lines, NULL as "". */
static char *query(const char *sql)
{
	PGresult *r = PQexec(db, sql);
	char *out;
	size_t size = 1;
	int i, j;
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql,
		      PQerrorMessage(db));
	for (i = 0; i < PQntuples(r); i++)
		for (j = 0; j < PQnfields(r); j++)
			size += (size_t)PQgetlength(r, i, j) + 1;
	out = malloc(size);
	ck_assert_ptr_nonnull(out);
	out[0] = '\0';
	for (i = 0; i < PQntuples(r); i++)
		for (j = 0; j < PQnfields(r); j++) {
			strcat(out, PQgetvalue(r, i, j));
			strcat(out, j + 1 < PQnfields(r) ? "|" : "\n");
		}
	PQclear(r);
	return out;
}

/* The scratch databases autogenerate made are gone, and it made nothing
 * in the url's database. */
static void no_scratch_left(void)
{
	char sql[200];
	char *left = query("SELECT nspname FROM pg_namespace WHERE nspname "
			   "LIKE 'migc\\_%'");
	PGresult *r;
	ck_assert_msg(strcmp(left, "") == 0, "scratch schemas left: %s", left);
	free(left);
	snprintf(sql, sizeof sql,
		 "SELECT datname FROM pg_database WHERE datname LIKE "
		 "'migc\\_scratch\\_%ld\\_%%'",
		 (long)getpid());
	r = PQexec(admin, sql);
	ck_assert_int_eq(PQresultStatus(r), PGRES_TUPLES_OK);
	ck_assert_msg(PQntuples(r) == 0, "scratch database left: %s",
		      PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
}

static void *read_public(void)
{
	struct pgcatalog *c = calloc(1, sizeof *c);
	char *error = NULL;
	ck_assert_ptr_nonnull(c);
	if (pgcatalog_read(c, db, "public", &error) != 0)
		ck_abort_msg("reading public: %s", error);
	return c;
}

/* What this dialect expects of the tests both run alike. */
static const struct dialect_expectations expectations = {
    .same = {"CREATE TABLE users (id integer PRIMARY KEY, name text);",
	     "create table \"users\" (\n  id int4 not null,\n"
	     "  name TEXT, primary key (id)\n);\n"},
    .prints = {"CREATE TABLE users (id integer PRIMARY KEY, name text);",
	       "CREATE TYPE mood AS ENUM ('ok');\n"
	       "CREATE TABLE users (id integer PRIMARY KEY, name text, "
	       "bio text);\nCREATE TABLE tags (id integer PRIMARY "
	       "KEY);\n",
	       "type mood: only in the declared schema\n"
	       "table tags: only in the declared schema\n"
	       "table users: column bio only in the declared schema\n"},
    .broken_downgrade =
	{MIGC_TEST_DATA_DIR "/pgautogen/broken_downgrade", MIGC_TEST_DATA_DIR
	 "/pgautogen/broken_downgrade/2b0000000002_index_titles.sql:12:4: "
	 "error: revision 2b0000000002 (2b0000000002_index_titles.sql): "
	 "the downgrade does not restore the schema: index "
	 "entries_title: only in the schema after the downgrade; make "
	 "the downgrade undo exactly what the upgrade does"},
    .failing_downgrade = {NULL,
			  "-- migc:revision aaaaaaaaaaaa\n"
			  "-- migc:down_revision none\n"
			  "-- migc:upgrade\n"
			  "CREATE TABLE users (id integer PRIMARY KEY);\n"
			  "-- migc:downgrade\n"
			  "DROP TABLE user_list;\n",
			  "aaaaaaaaaaaa_users.sql:6:1: error: revision "
			  "aaaaaaaaaaaa: the downgrade fails in "
			  "PostgreSQL: ERROR:  table \"user_list\" does "
			  "not exist"},
    .several_heads = "CREATE TABLE t (id integer);",
    .bad_schema =
	{"CREATE TABLE t (id integer);\n\nCREATE TABLE t (x integer);\n",
	 "schema.sql:3:1: error: PostgreSQL: ERROR:  relation \"t\" "
	 "already exists"},
    .round_trip = MIGC_TEST_DATA_DIR "/pg/versions",
};

/* In struct test_dialect's order (autogen_fixture.h). */
static const struct test_dialect postgresql_dialect = {
    DIALECT_POSTGRESQL,
    NULL,
    NULL,
    "SET search_path TO public",
    exec,
    query,
    read_public,
    &autogen_postgresql,
    no_scratch_left,
    &expectations};

static void setup(void)
{
	char path[200];

	db = database_create(&admin, database, sizeof database,
			     "migc_pgautogen");
	PQsetNoticeProcessor(admin, ignore_notice, NULL);
	PQsetNoticeProcessor(db, ignore_notice, NULL);

	fixture_setup(&postgresql_dialect);
	snprintf(path, sizeof path, "postgresql:///%s", database);
	project.url = strdup(path);
}

static void teardown(void)
{
	fixture_teardown();
	database_drop(admin, db, database);
}

#define USERS "CREATE TABLE users (id integer PRIMARY KEY, name text);\n"

static const struct change changes[] = {
    {"new table",
     USERS,
     USERS "CREATE TABLE tags (id serial PRIMARY KEY,\n"
	   "  user_id integer REFERENCES users (id), label text NOT NULL);",
     {"CREATE TABLE tags (\n    id serial NOT NULL,\n    user_id integer,\n"
      "    label text NOT NULL,\n    CONSTRAINT tags_pkey PRIMARY KEY (id)\n"
      ");",
      "ALTER TABLE tags ADD CONSTRAINT tags_user_id_fkey FOREIGN KEY "
      "(user_id) REFERENCES users(id);"},
     {"-- migc data loss: drops table tags and every row in it\n"
      "DROP TABLE tags;"},
     KEEPS_ANN_AND_BOB},
    {"dropped table",
     USERS "CREATE TABLE notes (id integer PRIMARY KEY,\n"
	   "  user_id integer REFERENCES users (id), body text);",
     USERS,
     {"-- migc data loss: drops table notes and every row in it\n"
      "DROP TABLE notes;"},
     {"CREATE TABLE notes (", "CONSTRAINT notes_pkey PRIMARY KEY (id)",
      "ALTER TABLE notes ADD CONSTRAINT notes_user_id_fkey"},
     "INSERT INTO users VALUES (1, 'ann'); INSERT INTO notes VALUES (1, 1, "
     "'x');",
     "SELECT id, name FROM users",
     "1|ann\n",
     "1|ann\n"},
    {"changed type, narrowing",
     "CREATE TABLE users (id integer PRIMARY KEY, age text);",
     "CREATE TABLE users (id integer PRIMARY KEY, age integer);",
     {"-- migc data loss: column users.age changes type from 'text' to "
      "'integer'; values may be converted or cut\n"
      "ALTER TABLE users ALTER COLUMN age TYPE integer USING "
      "age::integer;"},
     {"ALTER TABLE users ALTER COLUMN age TYPE text USING age::text;"},
     "INSERT INTO users VALUES (1, '42');",
     "SELECT id, age + 1 FROM users",
     "1|43\n",
     NULL},
    {"changed type, widening",
     "CREATE TABLE users (id integer PRIMARY KEY, name varchar(10));",
     "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(40));",
     {"ALTER TABLE users ALTER COLUMN id TYPE bigint USING id::bigint;\n"
      "ALTER TABLE users ALTER COLUMN name TYPE character varying(40) USING "
      "name::character varying(40);"},
     {"-- migc data loss: column users.id changes type from 'bigint' to "
      "'integer'"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT id, name FROM users",
     "1|ann\n",
     "1|ann\n"},
    {"comments: on a table and a column, and on a view made again",
     "CREATE TABLE users (id integer PRIMARY KEY, name varchar(10));\n"
     "CREATE VIEW names AS SELECT name FROM users;\n"
     "COMMENT ON VIEW names IS 'the names';",
     "CREATE TABLE users (id integer PRIMARY KEY, name varchar(40));\n"
     "CREATE VIEW names AS SELECT name FROM users;\n"
     "COMMENT ON VIEW names IS 'the names';\n"
     "COMMENT ON TABLE users IS 'who signs in';\n"
     "COMMENT ON COLUMN users.name IS 'as shown, it''s free text';",
     {"DROP VIEW names;", "CREATE VIEW names AS",
      "COMMENT ON TABLE users IS 'who signs in';",
      "COMMENT ON COLUMN users.name IS 'as shown, it''s free text';",
      "COMMENT ON VIEW names IS 'the names';"},
     {"COMMENT ON VIEW names IS 'the names';",
      "COMMENT ON TABLE users IS NULL;",
      "COMMENT ON COLUMN users.name IS NULL;"},
     KEEPS_ANN},
    {"row-level security and a policy",
     USERS,
     USERS "ALTER TABLE users ENABLE ROW LEVEL SECURITY;\n"
	   "CREATE POLICY own ON users FOR SELECT USING (name = "
	   "current_user);",
     {"ALTER TABLE users ENABLE ROW LEVEL SECURITY;",
      "CREATE POLICY own ON users AS PERMISSIVE FOR SELECT TO PUBLIC USING "
      "((name = "},
     {"DROP POLICY own ON users;",
      "ALTER TABLE users DISABLE ROW LEVEL SECURITY;"},
     KEEPS_ANN},
    {"changed default",
     "CREATE TABLE users (id integer PRIMARY KEY, name text DEFAULT 'x');",
     "CREATE TABLE users (id integer PRIMARY KEY, name text DEFAULT 'y');",
     {"ALTER TABLE users ALTER COLUMN name SET DEFAULT 'y'::text;"},
     {"ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x'::text;"},
     KEEPS_OLD_DEFAULT},
    {"changed nullability",
     USERS,
     "CREATE TABLE users (id integer PRIMARY KEY,\n"
     "  name text NOT NULL DEFAULT '');",
     {"ALTER TABLE users ALTER COLUMN name SET DEFAULT ''::text;\n"
      "UPDATE users SET name = DEFAULT WHERE name IS NULL;\n"
      "ALTER TABLE users ALTER COLUMN name SET NOT NULL;"},
     {"ALTER TABLE users ALTER COLUMN name DROP DEFAULT;\n"
      "ALTER TABLE users ALTER COLUMN name DROP NOT NULL;"},
     "INSERT INTO users VALUES (1, 'ann'), (2, NULL);",
     "SELECT id, quote_nullable(name) FROM users ORDER BY id",
     "1|'ann'\n2|''\n",
     "1|'ann'\n2|''\n"},
    {"primary key added",
     "CREATE TABLE users (id integer NOT NULL, name text);",
     USERS,
     {"ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);"},
     {"ALTER TABLE users DROP CONSTRAINT users_pkey;"},
     "INSERT INTO users VALUES (3, 'ann'), (4, 'bob');",
     "SELECT id, name FROM users ORDER BY id",
     "3|ann\n4|bob\n",
     "3|ann\n4|bob\n"},
    {"unique constraint added",
     "CREATE TABLE users (id integer PRIMARY KEY, email text);",
     "CREATE TABLE users (id integer PRIMARY KEY, email text UNIQUE);",
     {"ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);"},
     {"ALTER TABLE users DROP CONSTRAINT users_email_key;"},
     "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x');",
     "SELECT * FROM users ORDER BY id",
     "1|a@x\n2|b@x\n",
     "1|a@x\n2|b@x\n"},
    {"foreign key added",
     USERS "CREATE TABLE entries (id integer PRIMARY KEY, user_id integer);",
     USERS "CREATE TABLE entries (id integer PRIMARY KEY,\n"
	   "  user_id integer REFERENCES users (id) ON DELETE CASCADE);",
     {"ALTER TABLE entries ADD CONSTRAINT entries_user_id_fkey FOREIGN KEY "
      "(user_id) REFERENCES users(id) ON DELETE CASCADE;"},
     {"ALTER TABLE entries DROP CONSTRAINT entries_user_id_fkey;"},
     "INSERT INTO users VALUES (1, 'ann'); INSERT INTO entries VALUES (5, "
     "1);",
     "SELECT e.id, u.name FROM entries e JOIN users u ON u.id = e.user_id",
     "5|ann\n",
     "5|ann\n"},
    {"check constraint added",
     "CREATE TABLE users (id integer PRIMARY KEY, age integer);",
     "CREATE TABLE users (id integer PRIMARY KEY,\n"
     "  age integer CHECK (age >= 0));",
     {"ALTER TABLE users ADD CONSTRAINT users_age_check CHECK ((age >= "
      "0));"},
     {"ALTER TABLE users DROP CONSTRAINT users_age_check;"},
     "INSERT INTO users VALUES (1, 7), (2, NULL);",
     "SELECT * FROM users ORDER BY id",
     "1|7\n2|\n",
     "1|7\n2|\n"},
    {"new index",
     USERS,
     USERS "CREATE INDEX users_name ON users (name);",
     {"CREATE INDEX users_name ON users USING btree (name);"},
     {"DROP INDEX users_name;"},
     KEEPS_ANN},
    {"dropped index",
     USERS "CREATE INDEX users_name ON users (name);",
     USERS,
     {"DROP INDEX users_name;"},
     {"CREATE INDEX users_name ON users USING btree (name);"},
     KEEPS_ANN},
    {"changed index, partial and expression",
     USERS "CREATE INDEX users_name ON users (name);",
     USERS "CREATE UNIQUE INDEX users_name ON users (lower(name))\n"
	   "  WHERE name IS NOT NULL;",
     {"DROP INDEX users_name;",
      "CREATE UNIQUE INDEX users_name ON users USING btree (lower(name)) "
      "WHERE (name IS NOT NULL);"},
     {"DROP INDEX users_name;",
      "CREATE INDEX users_name ON users USING btree (name);"},
     "INSERT INTO users VALUES (1, 'Ann');",
     "SELECT * FROM users",
     "1|Ann\n",
     "1|Ann\n"},
    {"view new and changed, with a view on a view",
     USERS "CREATE VIEW names AS SELECT name FROM users;\n"
	   "CREATE VIEW shout AS SELECT upper(name) AS name FROM names;",
     USERS "CREATE VIEW names AS SELECT name, id FROM users;\n"
	   "CREATE VIEW shout AS SELECT upper(name) AS name FROM names;\n"
	   "CREATE VIEW ids AS SELECT id FROM users;",
     {"DROP VIEW shout;\nDROP VIEW names;", "CREATE VIEW ids AS",
      "CREATE VIEW names AS\n SELECT users.name,\n    users.id\n",
      "CREATE VIEW shout AS"},
     {"DROP VIEW shout;\nDROP VIEW names;\nDROP VIEW ids;",
      "CREATE VIEW names AS\n SELECT users.name\n", "CREATE VIEW shout AS"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM shout",
     "ANN\n",
     "ANN\n"},
    {"new enum type",
     USERS,
     "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, name text,\n"
     "  mood mood NOT NULL DEFAULT 'happy');",
     {"CREATE TYPE mood AS ENUM ('happy', 'sad');",
      "ALTER TABLE users ADD COLUMN mood mood NOT NULL DEFAULT "
      "'happy'::mood;"},
     {"ALTER TABLE users DROP COLUMN mood;", "DROP TYPE mood;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann|happy\n",
     "1|ann\n"},
    {"enum value added",
     "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood DEFAULT "
     "'happy');",
     "CREATE TYPE mood AS ENUM ('glad', 'happy', 'ok', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood DEFAULT "
     "'happy');",
     {"ALTER TYPE mood ADD VALUE 'glad' BEFORE 'happy';\n"
      "ALTER TYPE mood ADD VALUE 'ok' AFTER 'happy';"},
     {"-- migc data loss: type mood loses value 'glad': rows holding it "
      "make the conversion fail; update them first",
      "ALTER TYPE mood RENAME TO \"mood_migc_old\";\n"
      "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
      "ALTER TABLE users ALTER COLUMN mood DROP DEFAULT;\n"
      "ALTER TABLE users ALTER COLUMN mood TYPE mood USING "
      "mood::text::mood;\n"
      "ALTER TABLE users ALTER COLUMN mood SET DEFAULT 'happy'::mood;\n"
      "DROP TYPE \"mood_migc_old\";"},
     "INSERT INTO users VALUES (1, 'sad'), (2, DEFAULT);",
     "SELECT id, mood FROM users ORDER BY id",
     "1|sad\n2|happy\n",
     "1|sad\n2|happy\n"},
    {"enum value renamed: the rows holding it follow",
     "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood);",
     "CREATE TYPE mood AS ENUM ('happy', 'blue');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood);",
     {"-- migc note: type mood: value 'sad' taken as renamed to 'blue'",
      "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"},
     {"ALTER TYPE mood RENAME VALUE 'blue' TO 'sad';"},
     "INSERT INTO users VALUES (1, 'sad'), (2, 'happy');",
     "SELECT id, mood FROM users ORDER BY id",
     "1|blue\n2|happy\n",
     "1|sad\n2|happy\n"},
    {"enum value removed under a partial index and a check",
     "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood,\n"
     "  CONSTRAINT known CHECK (mood <> 'sad'));\n"
     "CREATE INDEX glad ON users (id) WHERE mood = 'happy';",
     "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood,\n"
     "  CONSTRAINT known CHECK (mood <> 'sad'));\n"
     "CREATE INDEX glad ON users (id) WHERE mood = 'happy';",
     {"ALTER TABLE users DROP CONSTRAINT known;\nDROP INDEX glad;",
      "ALTER TABLE users ALTER COLUMN mood TYPE mood USING "
      "mood::text::mood;",
      "DROP TYPE \"mood_migc_old\";",
      "ALTER TABLE users ADD CONSTRAINT known CHECK ((mood <> "
      "'sad'::mood));",
      "CREATE INDEX glad ON users USING btree (id) WHERE (mood = "
      "'happy'::mood);"},
     {"ALTER TYPE mood ADD VALUE 'ok' AFTER 'happy';"},
     "INSERT INTO users VALUES (1, 'happy');",
     "SELECT id, mood FROM users ORDER BY id",
     "1|happy\n",
     "1|happy\n"},
    {"domain and composite type added with their columns",
     USERS,
     "CREATE DOMAIN email AS text COLLATE \"C\" DEFAULT 'x@y' NOT NULL\n"
     "  CONSTRAINT at CHECK (VALUE LIKE '%@%');\n"
     "CREATE TYPE amount AS (currency char(3), cents bigint);\n"
     "CREATE TABLE users (id integer PRIMARY KEY, name text,\n"
     "  mail email, total amount);",
     {"CREATE DOMAIN email AS text COLLATE \"C\" DEFAULT 'x@y'::text NOT "
      "NULL CONSTRAINT at CHECK ((VALUE ~~ '%@%'::text));\n"
      "CREATE TYPE amount AS (currency character(3), cents bigint);",
      "ALTER TABLE users ADD COLUMN mail email;\n"
      "ALTER TABLE users ADD COLUMN total amount;"},
     {"ALTER TABLE users DROP COLUMN total;",
      "DROP TYPE amount;\nDROP DOMAIN email;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT * FROM users",
     "1|ann|x@y|\n",
     "1|ann\n"},
    {"grants, and a view's options and grants kept when it is made again",
     "CREATE TABLE users (id integer PRIMARY KEY, name varchar(20));\n"
     "CREATE VIEW names WITH (security_invoker = true) AS\n"
     "  SELECT name FROM users;\n"
     "GRANT SELECT ON names TO PUBLIC;",
     "CREATE TABLE users (id integer PRIMARY KEY, name varchar(40));\n"
     "CREATE VIEW names WITH (security_invoker = true) AS\n"
     "  SELECT name FROM users;\n"
     "GRANT SELECT ON names TO PUBLIC;\n"
     "GRANT SELECT, INSERT ON users TO PUBLIC;",
     {"DROP VIEW names;",
      "CREATE VIEW names WITH (security_invoker=true) AS\n SELECT "
      "users.name\n",
      "GRANT INSERT, SELECT ON TABLE users TO PUBLIC;\n"
      "GRANT SELECT ON TABLE names TO PUBLIC;"},
     {"DROP VIEW names;", "CREATE VIEW names WITH (security_invoker=true) AS",
      "GRANT SELECT ON TABLE names TO PUBLIC;",
      "REVOKE ALL ON TABLE users FROM PUBLIC;"},
     "INSERT INTO users VALUES (1, 'ann');",
     "SELECT c.relname, a.privilege_type FROM pg_class c, "
     "aclexplode(c.relacl) a WHERE a.grantee = 0 AND c.relnamespace = "
     "'public'::regnamespace ORDER BY 1, 2",
     "names|SELECT\nusers|INSERT\nusers|SELECT\n",
     "names|SELECT\n"},
    {"enum value added and used in the same revision runs outside a "
     "transaction",
     "CREATE TYPE mood AS ENUM ('happy', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood DEFAULT "
     "'happy');",
     "CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');\n"
     "CREATE TABLE users (id integer PRIMARY KEY, mood mood DEFAULT 'ok');",
     /* The rows' step runs it as the header says: in a transaction, the
      * default's 'ok' would be an unsafe use of the new value. */
     {"-- migc note: this revision uses an enum value it adds",
      "ALTER TYPE mood ADD VALUE 'ok' AFTER 'happy';",
      "ALTER TABLE users ALTER COLUMN mood SET DEFAULT 'ok'::mood;"},
     {"ALTER TABLE users ALTER COLUMN mood SET DEFAULT 'happy'::mood;"},
     "INSERT INTO users VALUES (1, 'sad');",
     "SELECT id, mood, (SELECT column_default FROM "
     "information_schema.columns WHERE table_name = 'users' AND "
     "column_name = 'mood') FROM users",
     "1|sad|'ok'::mood\n",
     "1|sad|'happy'::mood\n"},
    {"serial column added",
     USERS,
     "CREATE TABLE users (id integer PRIMARY KEY, name text,\n"
     "  number bigserial);",
     {"ALTER TABLE users ADD COLUMN number bigserial NOT NULL;"},
     {"ALTER TABLE users DROP COLUMN number;"},
     "INSERT INTO users VALUES (1, 'ann'), (2, 'bob');",
     "SELECT id, number > 0, pg_get_serial_sequence('users', 'number') "
     "FROM users ORDER BY id",
     "1|t|public.users_number_seq\n2|t|public.users_number_seq\n",
     NULL},
    {"identity column and a sequence of its own",
     "CREATE TABLE users (id integer NOT NULL, name text);",
     "CREATE SEQUENCE tickets START 100;\n"
     "CREATE TABLE users (id integer GENERATED BY DEFAULT AS IDENTITY,\n"
     "  name text);",
     {"CREATE SEQUENCE tickets AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE "
      "9223372036854775807 START WITH 100 CACHE 1;",
      "ALTER TABLE users ALTER COLUMN id ADD GENERATED BY DEFAULT AS "
      "IDENTITY;"},
     {"ALTER TABLE users ALTER COLUMN id DROP IDENTITY;",
      "DROP SEQUENCE tickets;"},
     KEEPS_ANN},
};

/* The url's database only opens the door to the server: what it holds
 * (a version table behind head, tables the revisions also create) plays
 * no part, and nothing in it changes. Alembic needs its database at head
 * because it compares with it; migc compares with the revisions. */
START_TEST(the_named_database_is_neither_read_nor_written)
{
	struct graph g;
	char *path = NULL, *rows;
	declare("CREATE TABLE users (id integer PRIMARY KEY);");
	free(autogenerate("aaaaaaaaaaaa", NULL));
	declare("CREATE TABLE users (id integer PRIMARY KEY, name text);");
	free(autogenerate("bbbbbbbbbbbb", NULL));
	declare("CREATE TABLE public.users (id integer PRIMARY KEY, name "
		"text, bio text);");
	exec("CREATE TABLE public.migc_version (version_num varchar(32) "
	     "NOT NULL PRIMARY KEY)");
	exec("INSERT INTO public.migc_version VALUES ('aaaaaaaaaaaa')");
	exec("CREATE TABLE public.users (id integer PRIMARY KEY)");
	exec("INSERT INTO public.users SELECT generate_series(1, 1000)");
	load(&g);
	ck_assert_int_eq(autogen_check(&g, &project, stdout, &diag), 1);
	ck_assert_int_eq(
	    autogen_revision(&g, &project, "x", "cccccccccccc", &path, &diag),
	    0);
	graph_free(&g);
	free(path);
	ck_assert_int_eq(verify_status(), 0);
	if (diag.count)
		print_diag();
	ck_assert_uint_eq(diag.count, 0);
	rows = query("SELECT count(*), (SELECT version_num FROM "
		     "public.migc_version), (SELECT string_agg(attname, ',' "
		     "ORDER BY attnum) FROM pg_attribute WHERE attrelid = "
		     "'public.users'::regclass AND attnum > 0) FROM "
		     "public.users");
	ck_assert_str_eq(rows, "1000|aaaaaaaaaaaa|id\n");
	free(rows);
	no_scratch_left();
}
END_TEST

START_TEST(a_domain_changed_under_its_columns_is_refused)
{
	declare("CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');\n"
		"CREATE TABLE users (id integer PRIMARY KEY, mail email);");
	free(autogenerate("aaaaaaaaaaaa", NULL));
	declare("CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%.%');\n"
		"CREATE TABLE users (id integer PRIMARY KEY, mail email);");
	ck_assert_str_eq(autogenerate_refused(),
			 "<autogenerate>: error: autogenerate cannot write "
			 "this change: domain email changes while columns "
			 "use it, and ALTER DOMAIN is not written yet; "
			 "nothing was written. Write the revision by hand "
			 "(migc revision -m MESSAGE)");
	no_scratch_left();
}
END_TEST

START_TEST(unreachable_server_is_reported)
{
	free(project.url);
	project.url = strdup("postgresql:///migc_no_such_database");
	declare("CREATE TABLE t (id integer);");
	ck_assert_ptr_nonnull(strstr(autogenerate_refused(),
				     "cannot connect to the PostgreSQL server "
				     "of postgresql:///migc_no_such_database"));
}
END_TEST

AUTOGEN_SUITE("pgautogen", setup, teardown, 120, MIGC_SERVER_REQUIRED, changes,
	      MIGC_TEST(the_named_database_is_neither_read_nor_written),
	      MIGC_TEST(a_domain_changed_under_its_columns_is_refused),
	      MIGC_TEST(unreachable_server_is_reported));
