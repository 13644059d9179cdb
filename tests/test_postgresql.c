/* test_postgresql.c: the PostgreSQL driver against a real server (libpq's
 * PGHOST etc., as scripts/pg-server.sh prints them), one fresh database per
 * test: dollar-quoted bodies, triggers, DO blocks, CREATE INDEX
 * CONCURRENTLY outside a transaction, rollback of a failing revision, the
 * advisory lock, quoted schema-qualified version tables and the history
 * table. */
#define _POSIX_C_SOURCE 200809L
#include "check_main.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "migc.h"
#include "migc_postgresql.h"
#include "pg_connect.h"

#include "hand_set.h"
#include "text_log.h"
#define REV(id, file, parents, parent_count, up, down, checksum, flags)        \
	{ id,        "message",     file,          "2026-01-01 00:00:00",      \
	  parents,   parent_count,  NULL,          0,                          \
	  NULL,      0,             up,            COUNT(up),                  \
	  down,      COUNT(down),   checksum,      flags }

static const uint32_t parent0[] = { 0 };
static const uint32_t parent1[] = { 1 };
static const uint32_t parent2[] = { 2 };

/* ---- the set: what PostgreSQL migrations look like in the wild ---- */

static const migc_statement tables_up[] = {
	ST("CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, "
	   "note text NOT NULL DEFAULT 'a;b', updated_at timestamptz)"),
	ST("-- a comment; with a semicolon\n"
	   "CREATE TABLE events (id bigserial PRIMARY KEY, account_id integer "
	   "REFERENCES accounts (id), body text /* inline; comment */)"),
	ST("INSERT INTO accounts (name, note) VALUES ('first; second', "
	   "E'it\\'s; \\\\ fine'), ('other', $q$dollar; 'quoted'$q$)"),
};
static const migc_statement tables_down[] = {
	ST("DROP TABLE events"),
	ST("DROP TABLE accounts"),
};

static const migc_statement functions_up[] = {
	ST("CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE "
	   "plpgsql AS $$\nBEGIN\n    NEW.updated_at := now();\n    RETURN "
	   "NEW;\nEND;\n$$"),
	ST("CREATE FUNCTION account_count(prefix text) RETURNS bigint "
	   "LANGUAGE plpgsql AS $body$\nDECLARE\n    n bigint;\nBEGIN\n    -- "
	   "a $$ in here is text, not the end\n    SELECT count(*) INTO n FROM "
	   "accounts WHERE name LIKE prefix || '%';\n    RETURN n;\nEND;\n"
	   "$body$"),
	ST("CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH "
	   "ROW EXECUTE FUNCTION touch_updated_at()"),
};
static const migc_statement functions_down[] = {
	ST("DROP TRIGGER accounts_touch ON accounts"),
	ST("DROP FUNCTION account_count(text)"),
	ST("DROP FUNCTION touch_updated_at()"),
};

static const migc_statement audit_up[] = {
	ST("CREATE TABLE audit_log (id serial PRIMARY KEY, message text NOT "
	   "NULL)"),
	ST("DO $do$\nDECLARE\n    r record;\nBEGIN\n    FOR r IN SELECT name "
	   "FROM accounts ORDER BY id LOOP\n        INSERT INTO audit_log "
	   "(message) VALUES ('seen; ' || r.name);\n    END LOOP;\nEND\n$do$"),
};
static const migc_statement audit_down[] = { ST("DROP TABLE audit_log") };

/* As the generator marks them: these two cannot run in a transaction. */
#define ST_NT(sql)                                                             \
	{ sql, (uint32_t)(sizeof(sql) - 1), __LINE__,                          \
	  MIGC_STATEMENT_NO_TRANSACTION }
static const migc_statement index_up[] = {
	ST_NT("CREATE INDEX CONCURRENTLY events_account_idx ON events "
	      "(account_id)"),
};
static const migc_statement index_down[] = {
	ST_NT("DROP INDEX CONCURRENTLY events_account_idx"),
};

static const migc_revision full_revisions[] = {
	REV("a1a1a1a1a1a1", "a1a1a1a1a1a1_tables.sql", NULL, 0, tables_up,
	    tables_down, UINT64_C(0x0123456789abcdef), 0),
	REV("b2b2b2b2b2b2", "b2b2b2b2b2b2_functions.sql", parent0, 1,
	    functions_up, functions_down, UINT64_C(0xfedcba9876543210), 0),
	REV("c3c3c3c3c3c3", "c3c3c3c3c3c3_audit.sql", parent1, 1, audit_up,
	    audit_down, 3, 0),
	REV("d4d4d4d4d4d4", "d4d4d4d4d4d4_index.sql", parent2, 1, index_up,
	    index_down, 4, MIGC_REVISION_NO_TRANSACTION),
};
static const uint32_t full_heads[] = { 3 };
static const migc_set full = {
	MIGC_ABI_VERSION, "pg_full", "postgresql", full_revisions, 4,
	full_heads,	  1, NULL, 0, NULL, NULL, 0
};

/* The second revision fails at its second statement. */
static const migc_statement bad_up[] = {
	ST("CREATE TABLE half_done (id integer)"),
	ST("INSERT INTO nope VALUES (1)"),
	ST("CREATE TABLE never_made (id integer)"),
};
static const migc_statement bad_down[] = { ST("DROP TABLE half_done") };
static const migc_revision failing_revisions[] = {
	REV("a1a1a1a1a1a1", "a1a1a1a1a1a1_tables.sql", NULL, 0, tables_up,
	    tables_down, 1, 0),
	REV("bad0bad0bad0", "bad0bad0bad0_broken.sql", parent0, 1, bad_up,
	    bad_down, 2, 0),
};
static const uint32_t failing_heads[] = { 1 };
static const migc_set failing = { MIGC_ABI_VERSION,
				  "pg_failing",
				  "postgresql",
				  failing_revisions,
				  2,
				  failing_heads,
				  1, NULL, 0, NULL, NULL, 0 };

/* ---- fixture: a fresh database per test ---- */

static PGconn *admin;	   /* to PGDATABASE, creates and drops ours */
static PGconn *connection; /* to the fresh database */
static char database[64];
static migc_postgresql state;
static migc_driver driver;
static migc_error error;

static void setup(void)
{
	connection =
	    database_create(&admin, database, sizeof database, "migc_test");
	ck_assert_int_eq(
	    migc_postgresql_driver(&driver, &state, connection, 0, &error),
	    MIGC_OK);
	memset(&error, 0, sizeof error);
}

static void teardown(void)
{
	database_drop(admin, connection, database);
	connection = NULL;
}

static const char *query(const char *sql)
{
	return query_on(connection, sql);
}

/* The version table holds the one row `id`. */
static void expect_version(const char *id)
{
	ck_assert_str_eq(query("SELECT version_num FROM migc_version"), id);
}

/* After an operation: no transaction left open, the lock released. */
static void expect_idle_and_unlocked(void)
{
	ck_assert_int_eq(PQtransactionStatus(connection), PQTRANS_IDLE);
	ck_assert_int_eq(state.lock_held, 0);
}

static const char *app_tables(void)
{
	return query("SELECT string_agg(table_name, ',' ORDER BY table_name) "
		     "FROM information_schema.tables WHERE table_schema = "
		     "'public' AND table_name NOT LIKE 'migc%'");
}

static const char *functions(void)
{
	return query("SELECT string_agg(proname, ',' ORDER BY proname) FROM "
		     "pg_proc WHERE pronamespace = 'public'::regnamespace");
}

static void expect_head_catalog(void)
{
	ck_assert_str_eq(app_tables(), "accounts,audit_log,events");
	ck_assert_str_eq(functions(), "account_count,touch_updated_at");
	ck_assert_str_eq(query("SELECT tgname FROM pg_trigger WHERE tgrelid = "
			       "'accounts'::regclass AND NOT tgisinternal"),
			 "accounts_touch");
	ck_assert_str_eq(query("SELECT indisvalid FROM pg_index WHERE "
			       "indexrelid = 'events_account_idx'::regclass"),
			 "t");
	ck_assert_str_eq(query("SELECT name || '|' || note FROM accounts "
			       "ORDER BY id"),
			 "first; second|it's; \\ fine,other|dollar; 'quoted'");
	ck_assert_str_eq(query("SELECT message FROM audit_log ORDER BY id"),
			 "seen; first; second,seen; other");
	ck_assert_str_eq(query("SELECT account_count('first')"), "1");
	exec_on(connection, "UPDATE accounts SET name = name");
	ck_assert_str_eq(query("SELECT count(*) FROM accounts WHERE "
			       "updated_at IS NULL"),
			 "0");
	expect_version("d4d4d4d4d4d4");
}

static void expect_base_catalog(void)
{
	ck_assert_str_eq(app_tables(), "NULL");
	ck_assert_str_eq(functions(), "NULL");
	ck_assert_str_eq(query("SELECT count(*) FROM migc_version"), "0");
}

START_TEST(upgrade_downgrade_upgrade)
{
	ck_assert_str_eq(driver.dialect, "postgresql");
	ck_assert_int_eq(state.lock_timeout_ms,
			 MIGC_POSTGRESQL_LOCK_TIMEOUT_MS);
	ck_assert_msg(migc_upgrade(&full, &driver, "head", NULL, &error) ==
			  MIGC_OK,
		      "upgrade: %s", error.message);
	expect_head_catalog();
	ck_assert_int_eq(state.lock_held, 0);
	ck_assert_int_eq(PQtransactionStatus(connection), PQTRANS_IDLE);

	ck_assert_msg(migc_downgrade(&full, &driver, "base", NULL, &error) ==
			  MIGC_OK,
		      "downgrade: %s", error.message);
	expect_base_catalog();

	ck_assert_msg(migc_upgrade(&full, &driver, NULL, NULL, &error) ==
			  MIGC_OK,
		      "upgrade again: %s", error.message);
	expect_head_catalog();
	/* Nothing left to do. */
	ck_assert_int_eq(migc_upgrade(&full, &driver, NULL, NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT count(*) FROM audit_log"), "2");
}
END_TEST

START_TEST(version_table_shape)
{
	ck_assert_int_eq(migc_upgrade(&full, &driver, "+1", NULL, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT column_name || ' ' || data_type || "
			       "' ' || character_maximum_length || ' ' || "
			       "is_nullable FROM information_schema.columns "
			       "WHERE table_name = 'migc_version' AND "
			       "column_name = 'version_num'"),
			 "version_num character varying 32 NO");
	/* Beside Alembic's column: the set digest, for the one-read boot. */
	ck_assert_str_eq(query("SELECT data_type || ' ' || is_nullable FROM "
			       "information_schema.columns WHERE table_name "
			       "= 'migc_version' AND column_name = "
			       "'set_digest'"),
			 "bigint YES");
	ck_assert_str_eq(query("SELECT conname || ' ' || contype::text FROM "
			       "pg_constraint WHERE conrelid = "
			       "'migc_version'::regclass"),
			 "migc_version_pkc p");
}
END_TEST

START_TEST(failing_statement_rolls_back_its_revision)
{
	ck_assert_int_eq(migc_upgrade(&failing, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	expect_statement_error(&error, "bad0bad0bad0", 2,
			       "bad0bad0bad0_broken.sql", bad_up[1].line);
	ck_assert_int_eq(error.driver_code,
			 MIGC_POSTGRESQL_SQLSTATE('4', '2', 'P', '0', '1'));
	ck_assert_msg(strstr(error.message, "relation \"nope\" does not "
					    "exist (SQLSTATE 42P01)") != NULL,
		      "message: %s", error.message);
	ck_assert_msg(strstr(error.message,
			     "Revision bad0bad0bad0 failed at "
			     "statement 2 "
			     "(bad0bad0bad0_broken.sql:") != NULL,
		      "message: %s", error.message);
	/* Nothing of the failed revision; its parent stays recorded. */
	ck_assert_str_eq(app_tables(), "accounts,events");
	expect_version("a1a1a1a1a1a1");
	expect_idle_and_unlocked();
	/* This test's database only: other tests share the server. */
	ck_assert_str_eq(query("SELECT count(*) FROM pg_locks WHERE locktype "
			       "= 'advisory' AND database = (SELECT oid FROM "
			       "pg_database WHERE datname = "
			       "current_database())"),
			 "0");
}
END_TEST

static double seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

START_TEST(advisory_lock_times_out_then_succeeds)
{
	/* The core locks "<set name>:<version table>". */
	static const char key[] = "pg_full:migc_version";
	PGconn *holder = connect_to(database);
	migc_postgresql short_state;
	migc_driver short_driver;
	char sql[128];
	double started;
	double waited;

	snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld)",
		 (long long)migc_postgresql_lock_key(key, sizeof key - 1));
	exec_on(holder, sql);
	ck_assert_int_eq(migc_postgresql_driver(&short_driver, &short_state,
						connection, 300, &error),
			 MIGC_OK);
	started = seconds();
	ck_assert_int_eq(migc_upgrade(&full, &short_driver, NULL, NULL, &error),
			 MIGC_ELOCK);
	waited = seconds() - started;
	ck_assert_msg(waited >= 0.29 && waited < 5, "waited %f s", waited);
	ck_assert_int_eq(error.code, MIGC_ELOCK);
	ck_assert_msg(strstr(error.message, "pg_locks") != NULL &&
			  strstr(error.message, "300 ms") != NULL &&
			  strstr(error.message, key) != NULL,
		      "message: %s", error.message);
	ck_assert_str_eq(app_tables(), "NULL");

	/* Released while a runner polls: it goes ahead. */
	snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%lld)",
		 (long long)migc_postgresql_lock_key(key, sizeof key - 1));
	exec_on(holder, sql);
	ck_assert_msg(migc_upgrade(&full, &short_driver, NULL, NULL, &error) ==
			  MIGC_OK,
		      "upgrade: %s", error.message);
	expect_head_catalog();
	PQfinish(holder);
}
END_TEST

START_TEST(mixed_case_schema_qualified_version_table)
{
	migc_options options = MIGC_OPTIONS_INIT;

	/* Mixed case survives only when quoted. */
	options.version_table = "Meta_Schema.Version_Table";
	exec_on(connection, "CREATE SCHEMA \"Meta_Schema\"");
	ck_assert_msg(migc_upgrade(&full, &driver, NULL, &options, &error) ==
			  MIGC_OK,
		      "upgrade: %s", error.message);
	ck_assert_str_eq(query("SELECT version_num FROM \"Meta_Schema\"."
			       "\"Version_Table\""),
			 "d4d4d4d4d4d4");
	ck_assert_str_eq(query("SELECT to_regclass('migc_version') IS NULL"),
			 "t");
	ck_assert_str_eq(app_tables(), "accounts,audit_log,events");
	ck_assert_msg(migc_downgrade(&full, &driver, "b2b2b2b2b2b2", &options,
				     &error) == MIGC_OK,
		      "downgrade: %s", error.message);
	ck_assert_str_eq(query("SELECT version_num FROM \"Meta_Schema\"."
			       "\"Version_Table\""),
			 "b2b2b2b2b2b2");
	ck_assert_str_eq(app_tables(), "accounts,events");
}
END_TEST

START_TEST(history_rows_written)
{
	ck_assert_msg(migc_upgrade(&full, &driver, NULL, NULL, &error) ==
			  MIGC_OK,
		      "upgrade: %s", error.message);
	ck_assert_str_eq(query("SELECT string_agg(version_num || ' ' || "
			       "parents || ' ' || checksum || ' ' || "
			       "statements_done, ',' ORDER BY version_num) "
			       "FROM migc_version_history"),
			 "a1a1a1a1a1a1  0123456789abcdef 3,"
			 "b2b2b2b2b2b2 a1a1a1a1a1a1 fedcba9876543210 3,"
			 "c3c3c3c3c3c3 b2b2b2b2b2b2 0000000000000003 2,"
			 "d4d4d4d4d4d4 c3c3c3c3c3c3 0000000000000004 1");
	ck_assert_str_eq(query("SELECT downgrade_sql FROM "
			       "migc_version_history WHERE version_num = "
			       "'c3c3c3c3c3c3'"),
			 "20:DROP TABLE audit_log,");
	ck_assert_str_eq(query("SELECT bool_and(duration_ms >= 0 AND "
			       "applied_at <= now()) FROM "
			       "migc_version_history"),
			 "t");
	ck_assert_msg(migc_downgrade(&full, &driver, "a1a1a1a1a1a1", NULL,
				     &error) == MIGC_OK,
		      "downgrade: %s", error.message);
	ck_assert_str_eq(query("SELECT string_agg(version_num, ',') FROM "
			       "migc_version_history"),
			 "a1a1a1a1a1a1");
}
END_TEST

static int collect_history(const migc_history_row *row, void *payload)
{
	text_log_add(payload, "%.*s[%.*s]%016llx/%u/%u",
		     (int)row->revision_length, row->revision,
		     (int)row->parents_length, row->parents,
		     (unsigned long long)row->checksum, row->statements_done,
		     row->duration_ms);
	return 0;
}

/* history_functions_directly's table, in a schema whose name needs
 * quoting, and the downgrade it stores for rev1. */
static const char hist_table[] = "odd\"schema.hist";
static const size_t hist_length = sizeof hist_table - 1;
static const migc_statement downgrade[] = {
    ST("DROP TABLE t_one"),
    ST("DO $$ BEGIN EXECUTE 'DROP TABLE t_' || 'two'; END $$"),
    ST("-- 3:a,b, looks like the encoding\nSELECT '1:,'"),
};

/* The rows of the table, as collect_history writes them. */
static void read_history(text_log *seen)
{
	memset(seen, 0, sizeof *seen);
	ck_assert_int_eq(driver.history_read(driver.context, hist_table,
					     hist_length, collect_history, seen,
					     &error),
			 MIGC_OK);
}

static void write_row(const migc_history_row *row,
		      const migc_statement *statements, uint32_t count)
{
	ck_assert_int_eq(driver.history_write(driver.context, hist_table,
					      hist_length, row, statements,
					      count, &error),
			 MIGC_OK);
}

/* rev1 (written twice: the second replaces the first) and rev2. */
static void write_two_rows(migc_history_row *row_out)
{
	migc_history_row row;

	memset(&row, 0, sizeof row);
	row.revision = "rev1xxxx";
	row.revision_length = 4; /* explicit lengths are honoured */
	row.parents = "p1,p2";
	row.parents_length = 5;
	row.checksum = UINT64_C(0xdeadbeef00000001);
	row.statements_done = 1;
	row.duration_ms = 7;
	write_row(&row, downgrade, 3);
	/* Writing again replaces the row. */
	row.statements_done = 3;
	row.duration_ms = 12;
	write_row(&row, downgrade, 3);
	row.revision = "rev2";
	row.parents = "";
	row.parents_length = 0;
	row.checksum = 5;
	row.duration_ms = MIGC_DURATION_MEASURE;
	write_row(&row, NULL, 0);
	*row_out = row;
}

/* rev1's stored downgrade runs, then fails when run again (its table is
 * gone); an unknown revision has none; rev1's row is deleted. */
static void run_and_delete_rev1(void)
{
	ck_assert_int_eq(driver.begin(driver.context, &error), MIGC_OK);
	ck_assert_msg(driver.history_downgrade(driver.context, hist_table,
					       hist_length, "rev1", 4,
					       &error) == MIGC_OK,
		      "history_downgrade: %s", error.message);
	ck_assert_int_eq(driver.commit(driver.context, &error), MIGC_OK);
	ck_assert_str_eq(app_tables(), "NULL");
	/* A failing stored statement names itself. */
	ck_assert_int_eq(driver.history_downgrade(driver.context, hist_table,
						  hist_length, "rev1", 4,
						  &error),
			 MIGC_EDRIVER);
	ck_assert_msg(strstr(error.message, "Stored downgrade statement 1 of "
					    "revision rev1 failed: table "
					    "\"t_one\" does not exist") != NULL,
		      "message: %s", error.message);
	ck_assert_int_eq(driver.history_downgrade(driver.context, hist_table,
						  hist_length, "nope", 4,
						  &error),
			 MIGC_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(error.message, "no row for revision "
						    "nope"));
	ck_assert_int_eq(driver.history_delete(driver.context, hist_table,
					       hist_length, "rev1", 4, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT string_agg(version_num, ',') FROM "
			       "\"odd\"\"schema\".hist"),
			 "rev2");
}

START_TEST(history_functions_directly)
{
	migc_history_row row;
	text_log seen;

	exec_on(connection, "CREATE SCHEMA \"odd\"\"schema\"");
	/* Missing table: zero rows, nothing created. */
	read_history(&seen);
	ck_assert_str_eq(seen.text, "");
	ck_assert_int_eq(driver.history_ensure(driver.context, hist_table,
					       hist_length, &error),
			 MIGC_OK);
	ck_assert_int_eq(driver.history_ensure(driver.context, hist_table,
					       hist_length, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT string_agg(column_name || ':' || "
			       "data_type || ':' || is_nullable, ',' ORDER "
			       "BY ordinal_position) FROM "
			       "information_schema.columns WHERE "
			       "table_schema = 'odd\"schema' AND table_name "
			       "= 'hist'"),
			 "version_num:character varying:NO,parents:text:NO,"
			 "checksum:character varying:NO,applied_at:timestamp "
			 "with time zone:NO,duration_ms:integer:NO,"
			 "statements_done:integer:NO,downgrade_sql:text:NO,"
			 "downgrade_done:integer:NO");

	exec_on(connection, "CREATE TABLE t_one (id int); CREATE TABLE t_two "
			    "(id int)");
	write_two_rows(&row);
	read_history(&seen);
	ck_assert_msg(strncmp(seen.text,
			      "rev1[p1,p2]deadbeef00000001/3/12 "
			      "rev2[]0000000000000005/3/",
			      strlen("rev1[p1,p2]deadbeef00000001/3/12 "
				     "rev2[]0000000000000005/3/")) == 0,
		      "history: %s", seen.text);

	run_and_delete_rev1();

	/* downgrade_done is stored; a table an older migc made, without
	 * it, reads as nothing partway and gains it at the next ensure. */
	row.revision = "rev3";
	row.revision_length = 4;
	row.duration_ms = 1;
	row.downgrade_done = 2;
	write_row(&row, NULL, 0);
	ck_assert_str_eq(query("SELECT downgrade_done FROM "
			       "\"odd\"\"schema\".hist WHERE version_num = "
			       "'rev3'"),
			 "2");
	exec_on(connection, "ALTER TABLE \"odd\"\"schema\".hist DROP COLUMN "
			    "downgrade_done");
	read_history(&seen);
	ck_assert_ptr_nonnull(strstr(seen.text, "rev3"));
	ck_assert_int_eq(driver.history_ensure(driver.context, hist_table,
					       hist_length, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT downgrade_done FROM "
			       "\"odd\"\"schema\".hist WHERE version_num = "
			       "'rev3'"),
			 "0");
}
END_TEST

START_TEST(driver_functions_directly)
{
	static const char partial[] = "CREATE TABLE x (a int); DROP TABLE x";
	PGresult *result;

	/* The length is honoured even without a NUL there. */
	ck_assert_int_eq(driver.execute(driver.context, partial, 22, &error),
			 MIGC_OK);
	ck_assert_str_eq(app_tables(), "x");
	ck_assert_int_eq(
	    driver.execute(driver.context, "-- only a comment", 17, &error),
	    MIGC_OK);
	ck_assert_int_eq(driver.execute(driver.context, "SELEC 1", 7, &error),
			 MIGC_EDRIVER);
	ck_assert_int_eq(error.driver_code,
			 MIGC_POSTGRESQL_SQLSTATE('4', '2', '6', '0', '1'));
	ck_assert_msg(strstr(error.message, "(SQLSTATE 42601)") != NULL,
		      "message: %s", error.message);
	ck_assert_int_eq(
	    driver.execute(driver.context, "COPY x FROM STDIN", 17, &error),
	    MIGC_EDRIVER);
	ck_assert_msg(strstr(error.message, "COPY") != NULL, "message: %s",
		      error.message);
	/* The connection is still usable. */
	ck_assert_str_eq(query("SELECT count(*) FROM x"), "0");
	ck_assert_int_eq(
	    driver.execute(driver.context, "COPY x TO STDOUT", 16, &error),
	    MIGC_OK);
	/* A COMMIT of a failed transaction is reported, not swallowed. */
	ck_assert_int_eq(driver.begin(driver.context, &error), MIGC_OK);
	ck_assert_int_eq(
	    driver.execute(driver.context, "SELECT 1/0", 10, &error),
	    MIGC_EDRIVER);
	ck_assert_int_eq(driver.commit(driver.context, &error), MIGC_EDRIVER);
	ck_assert_int_eq(PQtransactionStatus(connection), PQTRANS_IDLE);
	ck_assert_int_eq(driver.rollback(driver.context, &error), MIGC_OK);
	/* A missing version table reads as zero rows and is not created. */
	ck_assert_int_eq(
	    migc_current(NULL, 0, NULL, &full, &driver, NULL, &error), MIGC_OK);
	ck_assert_str_eq(query("SELECT to_regclass('migc_version') IS NULL"),
			 "t");
	ck_assert_int_eq(
	    driver.version_table_ensure(driver.context, "odd\"name", 8, &error),
	    MIGC_OK);
	ck_assert_int_eq(driver.version_row_insert(driver.context, "odd\"name",
						   8, "abc'def", 7, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT version_num FROM \"odd\"\"name\""),
			 "abc'def");
	ck_assert_int_eq(driver.version_row_delete(driver.context, "odd\"name",
						   8, "abc'def", 7, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT count(*) FROM \"odd\"\"name\""), "0");
	ck_assert_int_eq(
	    driver.version_table_ensure(driver.context, ".x", 2, &error),
	    MIGC_EINVAL);
	/* Lock and unlock pair up; unlocking what is not held is an error. */
	ck_assert_int_eq(driver.lock(driver.context, "k", 1, &error), MIGC_OK);
	ck_assert_int_eq(state.lock_held, 1);
	ck_assert_int_eq(driver.unlock(driver.context, "k", 1, &error),
			 MIGC_OK);
	ck_assert_int_eq(driver.unlock(driver.context, "k", 1, &error),
			 MIGC_ELOCK);
	ck_assert_int_eq(
	    migc_postgresql_driver(&driver, &state, NULL, 0, &error),
	    MIGC_EINVAL);
	result = PQexec(connection, "SELECT 1");
	ck_assert_int_eq(PQresultStatus(result), PGRES_TUPLES_OK);
	PQclear(result);
}
END_TEST

/* ---- transaction control inside a revision (issue 9, item 2) ----
 * The generator refuses these; a hand-built set shows that the driver
 * still stops when a statement ends or opens migc's transaction. */

static const migc_statement commit_up[] = {
	ST("CREATE TABLE ctl_a (x integer)"),
	ST("COMMIT"),
	ST("CREATE TABLE ctl_b (y integer)"),
	ST("INSERT INTO nope VALUES (1)"),
};
/* ctl_a, then `control` (as statement `kind` makes it), then ctl_b. */
#define CONTROL_UP(name, kind, control)                                        \
	static const migc_statement name##_up[] = {                            \
	    kind("CREATE TABLE ctl_a (x integer)"), kind(control),             \
	    kind("CREATE TABLE ctl_b (y integer)")}
CONTROL_UP(rollback, ST, "ROLLBACK");
CONTROL_UP(end, ST, "END");
CONTROL_UP(chain, ST, "ROLLBACK AND CHAIN");
/* BEGIN is only a WARNING: a transaction is already open. */
CONTROL_UP(begin, ST, "BEGIN");
/* In autocommit a ROLLBACK only warns that no transaction is open. */
CONTROL_UP(warning, ST_NT, "ROLLBACK");
static const migc_statement control_down[] = {
	ST("DROP TABLE IF EXISTS ctl_b"), ST("DROP TABLE IF EXISTS ctl_a")
};
#define CONTROL_SET(name, up, flags)                                           \
	static const migc_revision name##_revisions[] = {                      \
		REV("a1a1a1a1a1a1", "a1a1a1a1a1a1_tables.sql", NULL, 0,        \
		    tables_up, tables_down, 1, 0),                             \
		REV("cc00cc00cc00", "cc00cc00cc00_control.sql", parent0, 1,    \
		    up, control_down, 2, flags),                               \
	};                                                                     \
	static const migc_set name = { MIGC_ABI_VERSION,                       \
				       #name,                                  \
				       "postgresql",                           \
				       name##_revisions,                       \
				       2,                                      \
				       failing_heads,                          \
				       1, NULL, 0, NULL, NULL, 0 }
CONTROL_SET(commit_set, commit_up, 0);
CONTROL_SET(rollback_set, rollback_up, 0);
CONTROL_SET(end_set, end_up, 0);
CONTROL_SET(chain_set, chain_up, 0);
CONTROL_SET(begin_set, begin_up, 0);
CONTROL_SET(warning_set, warning_up, MIGC_REVISION_NO_TRANSACTION);

static const struct control_case {
	const migc_set *set;
	const char *statement; /* as the message names it */
	const char *ctl_a;     /* app tables afterwards */
	const char *history;   /* version_num:statements_done rows */
} control_cases[] = {
	{ &commit_set, "COMMIT", "accounts,ctl_a,events", "a1a1a1a1a1a1:3" },
	{ &rollback_set, "ROLLBACK", "accounts,events", "a1a1a1a1a1a1:3" },
	{ &end_set, "COMMIT", "accounts,ctl_a,events", "a1a1a1a1a1a1:3" },
	{ &chain_set, "ROLLBACK", "accounts,events", "a1a1a1a1a1a1:3" },
	{ &begin_set, "BEGIN", "accounts,events", "a1a1a1a1a1a1:3" },
	/* Outside a transaction the first statement stays, recorded. */
	{ &warning_set, "ROLLBACK", "accounts,ctl_a,events",
	  "a1a1a1a1a1a1:3,cc00cc00cc00:1" },
};

/* A server error's message: the primary text, the SQLSTATE, DETAIL and
 * HINT without libpq's trailing newlines, and cut at the message's size,
 * NUL-terminated, when the server says more than it holds. */
START_TEST(server_error_message_has_its_parts)
{
	static const char raise[] =
	    "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'the "
	    "detail\n', HINT = 'the hint'; END $$";
	char longer[sizeof error.message + 200];
	size_t i;

	ck_assert_int_eq(
	    driver.execute(driver.context, raise, sizeof raise - 1, &error),
	    MIGC_EDRIVER);
	ck_assert_int_eq(error.driver_code,
			 MIGC_POSTGRESQL_SQLSTATE('P', '0', '0', '0', '1'));
	ck_assert_str_eq(error.message, "boom (SQLSTATE P0001); DETAIL: the "
					"detail; HINT: the hint");
	/* A primary text longer than the message. */
	memcpy(longer, "DO $$ BEGIN RAISE EXCEPTION '", 29);
	for (i = 29; i < sizeof longer - 10; i++)
		longer[i] = 'x';
	memcpy(longer + i, "'; END $$", 10); /* with its NUL */
	ck_assert_int_eq(
	    driver.execute(driver.context, longer, strlen(longer), &error),
	    MIGC_EDRIVER);
	ck_assert_uint_eq(strlen(error.message), sizeof error.message - 1);
	ck_assert_int_eq(error.message[0], 'x');
	ck_assert_int_eq(error.message[sizeof error.message - 2], 'x');
}
END_TEST

START_TEST(transaction_control_in_a_revision_is_refused)
{
	const struct control_case *c = &control_cases[_i];
	int rc = migc_upgrade(c->set, &driver, NULL, NULL, &error);

	ck_assert_msg(rc != MIGC_OK, "%s: upgrade succeeded", c->set->name);
	ck_assert_int_eq(error.code, MIGC_ESTATEMENT);
	ck_assert_str_eq(error.revision, "cc00cc00cc00");
	ck_assert_uint_eq(error.statement_index, 2);
	ck_assert_msg(strstr(error.message, "Revision cc00cc00cc00 failed at "
					    "statement 2 "
					    "(cc00cc00cc00_control.sql:") !=
			  NULL,
		      "%s: %s", c->set->name, error.message);
	ck_assert_msg(strstr(error.message, c->statement) != NULL,
		      "%s names no %s: %s", c->set->name, c->statement,
		      error.message);
	ck_assert_msg(strstr(error.message,
			     "transaction control belongs to migc") != NULL,
		      "%s: %s", c->set->name, error.message);
	if (strcmp(c->statement, "COMMIT") == 0)
		ck_assert_msg(strstr(error.message, "rolled back") == NULL,
			      "%s claims a rollback after a COMMIT: %s",
			      c->set->name, error.message);
	/* Nothing ran after it, and the revision is not recorded. */
	ck_assert_str_eq(app_tables(), c->ctl_a);
	expect_version("a1a1a1a1a1a1");
	ck_assert_str_eq(query("SELECT version_num || ':' || statements_done "
			       "FROM migc_version_history ORDER BY "
			       "version_num"),
			 c->history);
	expect_idle_and_unlocked();
}
END_TEST

/* ---- a build older than the database (issue 9, item 5) ----
 * The same set without its head d4d4d4d4d4d4, a "transaction none"
 * revision whose downgrade is DROP INDEX CONCURRENTLY. */
static const uint32_t older_heads[] = { 2 };
static const uint32_t two_heads[] = { 1 };
static const migc_set full_two = { MIGC_ABI_VERSION, "pg_full", "postgresql",
				   full_revisions,   2,	       two_heads,
				   1, NULL, 0, NULL, NULL, 0 };
static const migc_set older = { MIGC_ABI_VERSION, "pg_full", "postgresql",
				full_revisions,	  3,	     older_heads,
				1, NULL, 0, NULL, NULL, 0 };

START_TEST(older_build_steps_back_from_a_transaction_none_revision)
{
	ck_assert_msg(migc_upgrade(&full, &driver, "head", NULL, &error) ==
			  MIGC_OK,
		      "upgrade: %s", error.message);
	/* The flags travel with the stored statements. */
	ck_assert_str_eq(query("SELECT downgrade_sql FROM "
			       "migc_version_history WHERE version_num = "
			       "'d4d4d4d4d4d4'"),
			 "20:/* migc:flags 1 1 */,42:DROP INDEX CONCURRENTLY "
			 "events_account_idx,");
	ck_assert_msg(migc_downgrade(&older, &driver, "c3c3c3c3c3c3", NULL,
				     &error) == MIGC_OK,
		      "older build's downgrade to its head: %s",
		      error.message);
	ck_assert_str_eq(query("SELECT count(*) FROM pg_class WHERE relname "
			       "= 'events_account_idx'"),
			 "0");
	expect_version("c3c3c3c3c3c3");
	ck_assert_str_eq(query("SELECT count(*) FROM migc_version_history "
			       "WHERE version_num = 'd4d4d4d4d4d4'"),
			 "0");
	expect_idle_and_unlocked();
}
END_TEST

START_TEST(older_build_failing_stored_statement_outside_a_transaction)
{
	ck_assert_int_eq(migc_upgrade(&full, &driver, "head", NULL, &error),
			 MIGC_OK);
	exec_on(connection, "DROP INDEX events_account_idx");
	ck_assert_int_eq(migc_downgrade(&older, &driver, "c3c3c3c3c3c3", NULL,
					&error),
			 MIGC_ESTATEMENT);
	ck_assert_str_eq(error.revision, "d4d4d4d4d4d4");
	ck_assert_msg(strstr(error.message, "(SQLSTATE 42704)") != NULL &&
			  strstr(error.message, "stay applied") != NULL &&
			  strstr(error.message, "rolled back") == NULL,
		      "message: %s", error.message);
	/* Not recorded as stepped back. */
	expect_version("d4d4d4d4d4d4");
	expect_idle_and_unlocked();
}
END_TEST

/* Rows written before the flags entry existed still step back. */
START_TEST(older_build_reads_rows_without_flags)
{
	ck_assert_int_eq(migc_upgrade(&full, &driver, "head", NULL, &error),
			 MIGC_OK);
	ck_assert_int_eq(migc_downgrade(&full, &driver, "c3c3c3c3c3c3", NULL,
					&error),
			 MIGC_OK);
	exec_on(connection, "UPDATE migc_version_history SET downgrade_sql = "
			    "'20:DROP TABLE audit_log,' WHERE version_num = "
			    "'c3c3c3c3c3c3'");
	ck_assert_msg(migc_downgrade(&full_two, &driver, "b2b2b2b2b2b2", NULL,
				     &error) == MIGC_OK,
		      "downgrade: %s", error.message);
	ck_assert_str_eq(app_tables(), "accounts,events");
	/* A flags entry that does not match its statements is refused
	 * before anything runs. */
	ck_assert_int_eq(migc_upgrade(&full, &driver, "c3c3c3c3c3c3", NULL,
				      &error),
			 MIGC_OK);
	exec_on(connection, "UPDATE migc_version_history SET downgrade_sql = "
			    "'20:/* migc:flags 0 0 */,20:DROP TABLE "
			    "audit_log,5:nope!,' WHERE version_num = "
			    "'c3c3c3c3c3c3'");
	ck_assert_int_eq(migc_downgrade(&full_two, &driver, "b2b2b2b2b2b2",
					NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_msg(strstr(error.message, "flags entry") != NULL,
		      "message: %s", error.message);
	ck_assert_str_eq(app_tables(), "accounts,audit_log,events");
}
END_TEST

/* Issue 9, item 13: PostgreSQL cuts names past 63 bytes without a word,
 * so the driver refuses a table whose derived key names would not fit. */
START_TEST(derived_names_past_63_bytes_are_refused)
{
	/* 52 bytes: "<name>_history_pkc" would be 64. */
	const char *version = "v234567890123456789012345678901234567890123456789012";
	const char *history = "h234567890123456789012345678901234567890123456789012"
			      "_history";
	/* 51 bytes fit exactly. */
	const char *fits = "f23456789012345678901234567890123456789012345678901";

	ck_assert_int_eq(driver.version_table_ensure(driver.context, version,
						     strlen(version), &error),
			 MIGC_EINVAL);
	ck_assert_msg(strstr(error.message, "at most 51") != NULL &&
			  strstr(error.message, "_history_pkc") != NULL,
		      "message: %s", error.message);
	ck_assert_int_eq(driver.history_ensure(driver.context, history,
					       strlen(history), &error),
			 MIGC_EINVAL);
	ck_assert_msg(strstr(error.message, "at most 59") != NULL,
		      "message: %s", error.message);
	ck_assert_str_eq(query("SELECT count(*) FROM pg_class WHERE relname "
			       "LIKE 'v23456%' OR relname LIKE 'h23456%'"),
			 "0");
	ck_assert_int_eq(driver.version_table_ensure(driver.context, fits,
						     strlen(fits), &error),
			 MIGC_OK);
}
END_TEST

/* Issue 9, item 16: stored numbers that migc never writes are reported
 * as a corrupt row, never read as 0 (an edit) or as complete. */
static const struct corrupt_case {
	const char *update;
	const char *column;
	const char *value;
} corrupt_cases[] = {
	{ "UPDATE migc_version_history SET checksum = 'zz' WHERE "
	  "version_num = 'a1a1a1a1a1a1'",
	  "checksum is 'zz', not 16 hex digits", "a1a1a1a1a1a1" },
	/* d4 stopped partway, as a crash would leave it; -1 once read as
	 * complete, so resuming ran nothing and recorded it. */
	{ "INSERT INTO migc_version_history (version_num, parents, checksum, "
	  "duration_ms, statements_done, downgrade_sql) VALUES "
	  "('d4d4d4d4d4d4', 'c3c3c3c3c3c3', '0000000000000004', 0, -1, '')",
	  "statements_done is '-1', not a count", "d4d4d4d4d4d4" },
	{ "UPDATE migc_version_history SET duration_ms = -5 WHERE "
	  "version_num = 'b2b2b2b2b2b2'",
	  "duration_ms is '-5', not a count", "b2b2b2b2b2b2" },
};

START_TEST(corrupt_history_numbers_are_reported)
{
	const struct corrupt_case *c = &corrupt_cases[_i];

	ck_assert_int_eq(migc_upgrade(&full, &driver, "c3c3c3c3c3c3", NULL,
				      &error),
			 MIGC_OK);
	exec_on(connection, c->update);
	ck_assert_int_eq(migc_upgrade(&full, &driver, NULL, NULL, &error),
			 MIGC_EDRIVER);
	ck_assert_msg(strstr(error.message, "\"migc_version_history\" has a "
					    "corrupt row for revision ") !=
				  NULL &&
			  strstr(error.message, c->value) != NULL &&
			  strstr(error.message, c->column) != NULL,
		      "message: %s", error.message);
	expect_version("c3c3c3c3c3c3");
}
END_TEST

/* Issue 9, item 12: a version row longer than a revision id (here the
 * column was widened by hand) is never cut into an id that names no
 * row: upgrade refuses, and stamp --purge really removes it. */
START_TEST(long_version_id_is_purged_not_cut)
{
	const char *long_id = "0123456789abcdef0123456789abcdef0123456789";
	char sql[256];

	ck_assert_int_eq(migc_upgrade(&full, &driver, "a1a1a1a1a1a1", NULL,
				      &error),
			 MIGC_OK);
	exec_on(connection, "ALTER TABLE migc_version ALTER COLUMN "
			    "version_num TYPE VARCHAR(64)");
	snprintf(sql, sizeof sql, "INSERT INTO migc_version (version_num) VALUES ('%s')",
		 long_id);
	exec_on(connection, sql);
	ck_assert_int_eq(migc_upgrade(&full, &driver, NULL, NULL, &error),
			 MIGC_EUNKNOWNVERSION);
	/* Shown cut and marked, never as if it were the id. */
	ck_assert_msg(strstr(error.message, "0123456789abcdef0123456789abc"
					    "...,") != NULL,
		      "message: %s", error.message);
	ck_assert_str_eq(app_tables(), "accounts,events");
	ck_assert_msg(migc_stamp(&full, &driver, "a1a1a1a1a1a1", 1, NULL,
				 &error) == MIGC_OK,
		      "stamp --purge: %s", error.message);
	ck_assert_str_eq(query("SELECT string_agg(version_num, ',') FROM "
			       "migc_version"),
			 "a1a1a1a1a1a1");
	ck_assert_msg(migc_upgrade(&full, &driver, NULL, NULL, &error) ==
			  MIGC_OK,
		      "upgrade after the purge: %s", error.message);
	expect_head_catalog();
}
END_TEST

static const struct migc_test postgresql_tests[] = {
    MIGC_TEST(upgrade_downgrade_upgrade),
    MIGC_TEST(version_table_shape),
    MIGC_TEST(failing_statement_rolls_back_its_revision),
    MIGC_TEST(advisory_lock_times_out_then_succeeds),
    MIGC_TEST(mixed_case_schema_qualified_version_table),
    MIGC_TEST(history_rows_written),
    MIGC_TEST(history_functions_directly),
    MIGC_TEST(driver_functions_directly),
    MIGC_TEST(server_error_message_has_its_parts),
    MIGC_LOOP_TEST(transaction_control_in_a_revision_is_refused,
		   (int)COUNT(control_cases)),
    MIGC_TEST(older_build_steps_back_from_a_transaction_none_revision),
    MIGC_TEST(older_build_failing_stored_statement_outside_a_transaction),
    MIGC_TEST(older_build_reads_rows_without_flags),
    MIGC_TEST(derived_names_past_63_bytes_are_refused),
    MIGC_TEST(long_version_id_is_purged_not_cut),
    MIGC_LOOP_TEST(corrupt_history_numbers_are_reported,
		   (int)COUNT(corrupt_cases))};

MIGC_TEST_SUITE_OF_ONE("postgresql", setup, teardown, 60, MIGC_SERVER_REQUIRED,
		       postgresql_tests);
