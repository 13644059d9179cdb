/* test_pgfleet.c: the PostgreSQL driver in production's company (issue 16),
 * against a real server (libpq's PGHOST etc.), one fresh database per test:
 * lock_timeout and statement_timeout per revision with bounded retries, a
 * revision setting its own, the lease lock that holds through PgBouncer's
 * transaction pooling, migc's URL parameters, schema per tenant, and a
 * read-only role. The fleets themselves are tests/e2e/pgbouncer.sh. */
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
#define REV(id, parents, parent_count, up, down, checksum)                     \
	{                                                                      \
		id, "message", id "_rev.sql", "2026-01-01 00:00:00", parents,  \
		    parent_count, NULL, 0, NULL, 0, up, COUNT(up), down,       \
		    COUNT(down), checksum, 0                                   \
	}
#define SET(name, revisions, heads, digest)                                    \
	{                                                                      \
		MIGC_ABI_VERSION, name, "postgresql", revisions,               \
		    COUNT(revisions), heads, 1, NULL, digest, NULL, NULL, 0         \
	}

static const uint32_t parent0[] = {0};
static const uint32_t head1[] = {1};

static const migc_statement accounts_up[] = {
    ST("CREATE TABLE accounts (id integer PRIMARY KEY, name text)"),
    ST("INSERT INTO accounts VALUES (1, 'first')"),
};
static const migc_statement accounts_down[] = {ST("DROP TABLE accounts")};
static const migc_statement note_up[] = {
    ST("ALTER TABLE accounts ADD COLUMN note text"),
};
static const migc_statement note_down[] = {
    ST("ALTER TABLE accounts DROP COLUMN note"),
};
/* The same, with a lock_timeout of its own. */
static const migc_statement patient_up[] = {
    ST("SET LOCAL lock_timeout = '5s'"),
    ST("ALTER TABLE accounts ADD COLUMN note text"),
};
static const migc_statement slow_up[] = {
    ST("SELECT pg_sleep(2)"),
};

static const migc_revision plain_revisions[] = {
    REV("f1f1f1f1f1f1", NULL, 0, accounts_up, accounts_down, 1),
    REV("f2f2f2f2f2f2", parent0, 1, note_up, note_down, 2),
};
static const migc_set plain = SET("pg_fleet", plain_revisions, head1, 0x51);

static const migc_revision patient_revisions[] = {
    REV("f1f1f1f1f1f1", NULL, 0, accounts_up, accounts_down, 1),
    REV("f2f2f2f2f2f2", parent0, 1, patient_up, note_down, 3),
};
static const migc_set patient = SET("pg_fleet", patient_revisions, head1, 0x52);

static const migc_revision slow_revisions[] = {
    REV("f1f1f1f1f1f1", NULL, 0, accounts_up, accounts_down, 1),
    REV("f3f3f3f3f3f3", parent0, 1, slow_up, note_down, 4),
};
static const migc_set slow = SET("pg_fleet", slow_revisions, head1, 0x53);

/* A revision outside a transaction, as the generator marks one. */
#define INDEX_UP   "CREATE INDEX CONCURRENTLY accounts_name ON accounts (name)"
#define INDEX_DOWN "DROP INDEX CONCURRENTLY accounts_name"
static const migc_statement index_up[] = {
    {INDEX_UP, sizeof INDEX_UP - 1, __LINE__, MIGC_STATEMENT_NO_TRANSACTION},
};
static const migc_statement index_down[] = {
    {INDEX_DOWN, sizeof INDEX_DOWN - 1, __LINE__,
     MIGC_STATEMENT_NO_TRANSACTION},
};
static const migc_revision untransacted_revisions[] = {
    REV("f1f1f1f1f1f1", NULL, 0, accounts_up, accounts_down, 1),
    {"f4f4f4f4f4f4", "message", "f4f4f4f4f4f4_rev.sql", "2026-01-01 00:00:00",
     parent0, 1, NULL, 0, NULL, 0, index_up, COUNT(index_up), index_down,
     COUNT(index_down), 5, MIGC_REVISION_NO_TRANSACTION},
};
static const migc_set untransacted =
    SET("pg_fleet", untransacted_revisions, head1, 0x54);

/* ---- fixture: a fresh database per test ---- */

static PGconn *admin;	   /* to PGDATABASE, creates and drops ours */
static PGconn *connection; /* to the fresh database */
static PGconn *other;	   /* production traffic, or a second runner */
static char database[64];
static migc_postgresql state;
static migc_driver driver;
static migc_error error;

/* The driver's notices: how many retries it said it made, and the last. */
static int retries_heard;
static char retry_message[MIGC_ERROR_MESSAGE_SIZE];

static void on_notice(const char *message, void *payload)
{
	(void)payload;
	retries_heard++;
	snprintf(retry_message, sizeof retry_message, "%s", message);
}

/* Options that report to on_notice. */
static migc_postgresql_options noticed(void)
{
	migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;

	options.notice = on_notice;
	return options;
}

static void pause_ms(long ms)
{
	struct timespec pause;

	pause.tv_sec = ms / 1000;
	pause.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&pause, NULL);
}

static const char *query(const char *sql)
{
	return query_on(connection, sql);
}

static void setup(void)
{
	connection =
	    database_create(&admin, database, sizeof database, "migc_pgfleet");
	other = connect_to(database);
	exec_on(connection, "SET client_min_messages = warning");
	ck_assert_int_eq(
	    migc_postgresql_driver(&driver, &state, connection, 0, &error),
	    MIGC_OK);
	memset(&error, 0, sizeof error);
	retries_heard = 0;
	retry_message[0] = '\0';
}

static void teardown(void)
{
	PQfinish(other);
	database_drop(admin, connection, database);
}

/* A driver over `connection` with these options. */
static void drive_with(const migc_postgresql_options *options)
{
	ck_assert_msg(migc_postgresql_driver_with(&driver, &state, connection,
						  options, &error) == MIGC_OK,
		      "driver: %s", error.message);
}

static void upgrade_ok(const migc_set *set, const char *target,
		       const migc_options *options)
{
	ck_assert_msg(migc_upgrade(set, &driver, target, options, &error) ==
			  MIGC_OK,
		      "upgrade to %s: %s", target != NULL ? target : "head",
		      error.message);
}

/* `other` takes an ACCESS EXCLUSIVE lock on accounts in an open
 * transaction, as production's long transaction would hold one. With
 * `release_after` > 0 it sends everything at once and lets go by itself
 * after that many seconds, while the test goes on. */
static void production_locks_accounts(double release_after)
{
	char sql[200];
	int i;

	if (release_after <= 0) {
		exec_on(other, "BEGIN");
		exec_on(other, "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE");
		return;
	}
	snprintf(sql, sizeof sql,
		 "BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE; "
		 "SELECT pg_sleep(%.2f); COMMIT",
		 release_after);
	ck_assert_int_eq(PQsendQuery(other, sql), 1);
	/* Held once pg_locks shows it. */
	for (i = 0; i < 200; i++) {
		if (strcmp(query("SELECT count(*) FROM pg_locks WHERE "
				 "relation = 'accounts'::regclass AND mode = "
				 "'AccessExclusiveLock' AND granted"),
			   "1") == 0)
			return;
		pause_ms(10);
	}
	ck_abort_msg("the lock on accounts was not taken");
}

static void production_done(void)
{
	PGresult *result;

	while ((result = PQgetResult(other)) != NULL)
		PQclear(result);
	if (PQtransactionStatus(other) != PQTRANS_IDLE)
		exec_on(other, "ROLLBACK");
}

/* ---- lock_timeout, statement_timeout, retries ---- */

/* `set`'s first revision applied, then a driver with these timeouts and
 * retries (0: the default) that reports to on_notice. */
static void at_first_then(const migc_set *set, int lock_timeout_ms,
			  int statement_timeout_ms, int retries, int pause_ms)
{
	migc_postgresql_options options = noticed();

	upgrade_ok(set, "f1f1f1f1f1f1", NULL);
	options.lock_timeout_ms = lock_timeout_ms;
	options.statement_timeout_ms = statement_timeout_ms;
	options.retries = retries;
	options.retry_pause_ms = pause_ms;
	drive_with(&options);
}

static void expect_version(const char *id)
{
	ck_assert_str_eq(query("SELECT version_num FROM migc_version"), id);
}

START_TEST(lock_timeout_rolls_back_retries_then_gives_up)
{
	at_first_then(&plain, 100, 0, 2, 50);
	production_locks_accounts(0);
	ck_assert_int_eq(migc_upgrade(&plain, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_int_eq(error.driver_code,
			 MIGC_POSTGRESQL_SQLSTATE('5', '5', 'P', '0', '3'));
	ck_assert_str_eq(error.revision, "f2f2f2f2f2f2");
	ck_assert_msg(strstr(error.message, "lock timeout") != NULL &&
			  strstr(error.message, "rolled back") != NULL &&
			  strstr(error.message, "gave up after 3 attempts on "
						"lock_timeout") != NULL,
		      "message: %s", error.message);
	/* Said so, each time. */
	ck_assert_int_eq(retries_heard, 2);
	ck_assert_msg(strstr(retry_message,
			     "lock_timeout (100 ms) hit: the transaction was "
			     "rolled back; running it again in 100 ms (retry 2 "
			     "of 2)") != NULL,
		      "retry message: %s", retry_message);
	production_done();
	expect_version("f1f1f1f1f1f1");
	ck_assert_str_eq(
	    query("SELECT count(*) FROM information_schema.columns "
		  "WHERE table_name = 'accounts' AND "
		  "column_name = 'note'"),
	    "0");
	ck_assert_int_eq(PQtransactionStatus(connection), PQTRANS_IDLE);
	/* Production gone: the next run goes through. */
	upgrade_ok(&plain, NULL, NULL);
	expect_version("f2f2f2f2f2f2");
}
END_TEST

START_TEST(lock_timeout_retry_succeeds_once_production_commits)
{
	at_first_then(&plain, 100, 0, 6, 100);
	production_locks_accounts(0.6);
	upgrade_ok(&plain, NULL, NULL);
	production_done();
	ck_assert_msg(retries_heard >= 1 && retries_heard <= 6, "retries: %d",
		      retries_heard);
	expect_version("f2f2f2f2f2f2");
	/* Applied once: the history has its row. */
	ck_assert_str_eq(query("SELECT count(*) FROM migc_version_history"),
			 "2");
}
END_TEST

START_TEST(default_lock_timeout_is_a_few_seconds)
{
	const char *value;

	ck_assert_int_eq(state.options.lock_timeout_ms,
			 MIGC_POSTGRESQL_REVISION_LOCK_TIMEOUT_MS);
	ck_assert_int_eq(driver.begin(driver.context, &error), MIGC_OK);
	value = query("SHOW lock_timeout");
	ck_assert_str_eq(value, "5s");
	ck_assert_int_eq(driver.rollback(driver.context, &error), MIGC_OK);
	/* SET LOCAL: the session keeps its own. */
	ck_assert_str_eq(query("SHOW lock_timeout"), "0");
}
END_TEST

START_TEST(revision_sets_its_own_lock_timeout)
{
	at_first_then(&patient, 50, 0, -1, 0);
	production_locks_accounts(0.5);
	upgrade_ok(&patient, NULL, NULL);
	production_done();
	ck_assert_int_eq(retries_heard, 0);
	expect_version("f2f2f2f2f2f2");
}
END_TEST

START_TEST(statement_timeout_is_settable_and_not_retried_when_told)
{
	migc_postgresql_options options = noticed();

	at_first_then(&slow, 0, 100, -1, 0);
	ck_assert_int_eq(migc_upgrade(&slow, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_int_eq(error.driver_code,
			 MIGC_POSTGRESQL_SQLSTATE('5', '7', '0', '1', '4'));
	ck_assert_msg(strstr(error.message, "statement timeout") != NULL &&
			  strstr(error.message, "gave up after 1 attempt on "
						"statement_timeout") != NULL,
		      "message: %s", error.message);
	ck_assert_int_eq(retries_heard, 0);
	expect_version("f1f1f1f1f1f1");
	/* Retried like a lock timeout when retries are allowed. */
	options.statement_timeout_ms = 100;
	options.retries = 1;
	options.retry_pause_ms = 10;
	drive_with(&options);
	ck_assert_int_eq(migc_upgrade(&slow, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_int_eq(retries_heard, 1);
	ck_assert_msg(strstr(retry_message, "statement_timeout (100 ms)") !=
			  NULL,
		      "retry message: %s", retry_message);
}
END_TEST

/* A failure no retry cures is returned at once. */
START_TEST(other_failures_are_not_retried)
{
	at_first_then(&plain, 0, 0, 5, 0);
	exec_on(connection, "ALTER TABLE accounts ADD COLUMN note text");
	ck_assert_int_eq(migc_upgrade(&plain, &driver, NULL, NULL, &error),
			 MIGC_ESTATEMENT);
	ck_assert_int_eq(retries_heard, 0);
	ck_assert_msg(strstr(error.message, "already exists") != NULL &&
			  strstr(error.message, "gave up") == NULL,
		      "message: %s", error.message);
}
END_TEST

/* ---- the lease lock ---- */

static const char lock_key[] = "pg_fleet:migc_version";

START_TEST(lease_lock_waits_for_a_live_lease_and_takes_over_a_dead_one)
{
	migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;
	char sql[256];

	options.lock = MIGC_POSTGRESQL_LOCK_LEASE;
	options.lock_wait_ms = 300;
	drive_with(&options);
	upgrade_ok(&plain, "f1f1f1f1f1f1", NULL);
	/* Released: the table stays, empty; no advisory lock was taken. */
	ck_assert_str_eq(query("SELECT count(*) FROM migc_version_lock"), "0");
	snprintf(
	    sql, sizeof sql,
	    "INSERT INTO migc_version_lock VALUES (%lld, 'another', now() "
	    "+ interval '1 hour')",
	    (long long)migc_postgresql_lock_key(lock_key, sizeof lock_key - 1));
	exec_on(other, sql);
	ck_assert_int_eq(migc_upgrade(&plain, &driver, NULL, NULL, &error),
			 MIGC_ELOCK);
	ck_assert_msg(strstr(error.message, "\"migc_version_lock\"") != NULL &&
			  strstr(error.message, "300 ms") != NULL &&
			  strstr(error.message, "lease") != NULL,
		      "message: %s", error.message);
	expect_version("f1f1f1f1f1f1");
	/* Its holder stopped without releasing it: once the lease ran out,
	 * the next runner takes the row over. */
	exec_on(other, "UPDATE migc_version_lock SET expires_at = now() - "
		       "interval '1 second'");
	upgrade_ok(&plain, NULL, NULL);
	expect_version("f2f2f2f2f2f2");
	ck_assert_str_eq(query("SELECT count(*) FROM migc_version_lock"), "0");
	ck_assert_int_eq(state.lock_held, 0);
}
END_TEST

START_TEST(lease_lock_lost_is_reported)
{
	migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;
	migc_postgresql second_state;
	migc_driver second;

	options.lock = MIGC_POSTGRESQL_LOCK_LEASE;
	options.lock_wait_ms = 200;
	options.lease_ms = 1000;
	drive_with(&options);
	ck_assert_msg(driver.lock(driver.context, lock_key, sizeof lock_key - 1,
				  &error) == MIGC_OK,
		      "lock: %s", error.message);
	/* A second runner (another session) waits, and gives up. */
	ck_assert_int_eq(migc_postgresql_driver_with(&second, &second_state,
						     other, &options, &error),
			 MIGC_OK);
	ck_assert_int_eq(
	    second.lock(second.context, lock_key, sizeof lock_key - 1, &error),
	    MIGC_ELOCK);
	/* The lease runs out; the second runner takes it over. */
	pause_ms(1100);
	ck_assert_msg(second.lock(second.context, lock_key, sizeof lock_key - 1,
				  &error) == MIGC_OK,
		      "takeover: %s", error.message);
	/* The first finds out when it renews or releases. */
	ck_assert_int_eq(driver.begin(driver.context, &error), MIGC_ELOCK);
	ck_assert_msg(strstr(error.message, "lease (1000 ms)") != NULL &&
			  strstr(error.message, "no longer held") != NULL,
		      "message: %s", error.message);
	ck_assert_int_eq(driver.unlock(driver.context, lock_key,
				       sizeof lock_key - 1, &error),
			 MIGC_ELOCK);
	ck_assert_int_eq(second.unlock(second.context, lock_key,
				       sizeof lock_key - 1, &error),
			 MIGC_OK);
	ck_assert_str_eq(query("SELECT count(*) FROM migc_version_lock"), "0");
}
END_TEST

/* ---- migc's parameters in a URL ---- */

START_TEST(url_options_are_read_and_removed)
{
	migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;
	char schema[MIGC_POSTGRESQL_NAME_MAX + 1];
	char url[] = "postgresql://u@h/db?migc_lock=lease&sslmode=disable&"
		     "migc_lock_timeout=2s&migc_statement_timeout=1min&"
		     "migc_retries=0&migc_schema=tenant_7&migc_lease=90000&"
		     "application_name=x";
	char only[] = "postgresql:///db?migc_lock=advisory";
	char none[] = "postgresql:///db";
	char bad[] = "postgresql:///db?migc_lock=sometimes";
	char unknown[] = "postgresql:///db?migc_speed=fast";

	ck_assert_int_eq(
	    migc_postgresql_url_options(&options, url, schema, &error),
	    MIGC_OK);
	ck_assert_str_eq(
	    url, "postgresql://u@h/db?sslmode=disable&application_name=x");
	ck_assert_int_eq(options.lock, MIGC_POSTGRESQL_LOCK_LEASE);
	ck_assert_int_eq(options.lock_timeout_ms, 2000);
	ck_assert_int_eq(options.statement_timeout_ms, 60000);
	ck_assert_int_eq(options.retries, -1);
	ck_assert_int_eq(options.lease_ms, 90000);
	ck_assert_str_eq(options.schema, "tenant_7");
	ck_assert_int_eq(
	    migc_postgresql_url_options(&options, only, schema, &error),
	    MIGC_OK);
	ck_assert_str_eq(only, "postgresql:///db");
	ck_assert_int_eq(options.lock, MIGC_POSTGRESQL_LOCK_ADVISORY);
	ck_assert_int_eq(
	    migc_postgresql_url_options(&options, none, schema, &error),
	    MIGC_OK);
	ck_assert_str_eq(none, "postgresql:///db");
	ck_assert_int_eq(
	    migc_postgresql_url_options(&options, bad, schema, &error),
	    MIGC_EINVAL);
	ck_assert_msg(strstr(error.message, "migc_lock=sometimes") != NULL,
		      "message: %s", error.message);
	ck_assert_int_eq(
	    migc_postgresql_url_options(&options, unknown, schema, &error),
	    MIGC_EINVAL);
}
END_TEST

/* ---- schema per tenant ---- */

#define TENANTS 50

static int tenants_heard;
static int tenants_failed;
static char tenant_failed_name[64];

static void on_tenant(const char *schema, int rc, const migc_error *e,
		      void *payload)
{
	(void)e;
	(void)payload;
	tenants_heard++;
	if (rc != MIGC_OK) {
		tenants_failed++;
		snprintf(tenant_failed_name, sizeof tenant_failed_name, "%s",
			 schema);
	}
}

START_TEST(one_set_to_fifty_schemas_one_failing)
{
	char names[TENANTS][16];
	const char *schemas[TENANTS];
	char sql[256];
	size_t failed = 99;
	int i;

	for (i = 0; i < TENANTS; i++) {
		snprintf(names[i], sizeof names[i], "tenant_%02d", i);
		schemas[i] = names[i];
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s", names[i]);
		exec_on(connection, sql);
	}
	/* tenant_17 already has a table the first revision makes. */
	exec_on(connection, "CREATE TABLE tenant_17.accounts (id integer)");
	ck_assert_int_eq(migc_postgresql_upgrade_schemas(
			     &plain, connection, schemas, TENANTS, NULL, NULL,
			     NULL, on_tenant, NULL, &failed, &error),
			 MIGC_ESTATEMENT);
	ck_assert_uint_eq(failed, 1);
	ck_assert_int_eq(tenants_heard, TENANTS);
	ck_assert_int_eq(tenants_failed, 1);
	ck_assert_str_eq(tenant_failed_name, "tenant_17");
	ck_assert_msg(strstr(error.message, "1 of 50 schemas failed "
					    "(tenant_17)") != NULL &&
			  strstr(error.message, "already exists") != NULL,
		      "message: %s", error.message);
	/* The 49 others are at head, each with its own version table. */
	ck_assert_str_eq(
	    query("SELECT count(*) FROM information_schema.columns WHERE "
		  "table_name = 'accounts' AND column_name = 'note'"),
	    "49");
	for (i = 0; i < TENANTS; i++) {
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM %s.migc_version WHERE "
			 "version_num = 'f2f2f2f2f2f2'",
			 names[i]);
		ck_assert_str_eq(query(sql), i == 17 ? "0" : "1");
	}
	ck_assert_str_eq(query("SELECT count(*) FROM tenant_03.accounts"), "1");
	/* Nothing landed in public. */
	ck_assert_str_eq(query("SELECT count(*) FROM information_schema.tables "
			       "WHERE table_schema = 'public'"),
			 "0");
	/* Fixed, a second pass applies the one left and finds the rest at
	 * head. */
	exec_on(connection, "DROP TABLE tenant_17.accounts");
	ck_assert_msg(migc_postgresql_upgrade_schemas(
			  &plain, connection, schemas, TENANTS, NULL, NULL,
			  NULL, NULL, NULL, &failed, &error) == MIGC_OK,
		      "second pass: %s", error.message);
	ck_assert_uint_eq(failed, 0);
	ck_assert_str_eq(query("SELECT count(*) FROM tenant_17.accounts"), "1");
}
END_TEST

/* A revision outside a transaction runs in each tenant's schema, and the
 * caller's connection keeps its own search_path afterwards: migc's tenant
 * path set for the session used to stay, so the app's next unqualified
 * query read the last tenant's tables. */
START_TEST(tenants_outside_a_transaction_leave_the_search_path)
{
	const char *schemas[] = {"tenant_a", "tenant_b"};
	const char *before;
	char kept[256];
	size_t failed = 99;

	exec_on(connection, "CREATE SCHEMA tenant_a");
	exec_on(connection, "CREATE SCHEMA tenant_b");
	exec_on(connection, "SET search_path = public");
	before = query("SELECT current_setting('search_path')");
	snprintf(kept, sizeof kept, "%s", before);
	ck_assert_msg(migc_postgresql_upgrade_schemas(
			  &untransacted, connection, schemas, 2, NULL, NULL,
			  NULL, NULL, NULL, &failed, &error) == MIGC_OK,
		      "%s", error.message);
	ck_assert_uint_eq(failed, 0);
	ck_assert_str_eq(query("SELECT count(*) FROM pg_indexes WHERE "
			       "indexname = 'accounts_name' AND schemaname "
			       "IN ('tenant_a', 'tenant_b')"),
			 "2");
	ck_assert_str_eq(query("SELECT current_setting('search_path')"), kept);
	/* And one driver for one tenant, on its own. */
	{
		migc_postgresql_options options = MIGC_POSTGRESQL_OPTIONS_INIT;
		migc_postgresql state;
		migc_driver driver;
		options.schema = "tenant_a";
		ck_assert_int_eq(migc_postgresql_driver_with(&driver, &state,
							     connection,
							     &options, &error),
				 MIGC_OK);
		ck_assert_int_eq(migc_downgrade(&untransacted, &driver,
						"f1f1f1f1f1f1", NULL, &error),
				 MIGC_OK);
	}
	ck_assert_str_eq(query("SELECT count(*) FROM pg_indexes WHERE "
			       "indexname = 'accounts_name'"),
			 "1");
	ck_assert_str_eq(query("SELECT current_setting('search_path')"), kept);
}
END_TEST

/* Issue 15: a count of one is singular: "1 of 1 schema failed". */
START_TEST(one_schema_failing_is_singular)
{
	const char *schemas[] = {"tenant_one"};
	size_t failed = 0;

	exec_on(connection, "CREATE SCHEMA tenant_one");
	exec_on(connection, "CREATE TABLE tenant_one.accounts (id integer)");
	ck_assert_int_eq(migc_postgresql_upgrade_schemas(
			     &plain, connection, schemas, 1, NULL, NULL, NULL,
			     NULL, NULL, &failed, &error),
			 MIGC_ESTATEMENT);
	ck_assert_uint_eq(failed, 1);
	ck_assert_msg(
	    strstr(error.message, "1 of 1 schema failed (tenant_one)") != NULL,
	    "message: %s", error.message);
}
END_TEST

/* The failed schemas' names fit a bounded list: those that fit, then
 * "..." once, last. A shorter name after the cut used to be appended
 * after the "...", so the list read as if only the middle were left out. */
START_TEST(many_schemas_failing_end_the_list_once)
{
	char names[12][32];
	const char *schemas[12];
	char sql[256];
	const char *list;
	const char *dots;
	size_t failed = 0;
	int i;

	for (i = 0; i < 12; i++) {
		snprintf(names[i], sizeof names[i], "tenant_failing_%02d", i);
		if (i == 11)
			snprintf(names[i], sizeof names[i], "tx");
		schemas[i] = names[i];
		snprintf(sql, sizeof sql,
			 "CREATE SCHEMA %s; CREATE TABLE %s.accounts (id "
			 "integer)",
			 names[i], names[i]);
		exec_on(connection, sql);
	}
	ck_assert_int_eq(migc_postgresql_upgrade_schemas(
			     &plain, connection, schemas, 12, NULL, NULL, NULL,
			     NULL, NULL, &failed, &error),
			 MIGC_ESTATEMENT);
	ck_assert_uint_eq(failed, 12);
	list =
	    strstr(error.message, "12 of 12 schemas failed (tenant_failing_00, "
				  "tenant_failing_01, ");
	ck_assert_msg(list != NULL, "message: %s", error.message);
	/* Nothing after the "...": not tx either, which would fit. */
	dots = strstr(list, ", ...); the others are at their target. First "
			    "failure: ");
	ck_assert_msg(dots != NULL, "message: %s", error.message);
	ck_assert_msg(strstr(dots + 5, "...") == NULL, "message: %s",
		      error.message);
	ck_assert_msg(strstr(dots, "already exists") != NULL, "message: %s",
		      error.message);
}
END_TEST

/* ---- a read-only role ---- */

/* Role names are server-wide: this one is the test's own. */
static void as_role(char *out, size_t size, const char *format,
		    const char *role)
{
	snprintf(out, size, format, role, role);
}

START_TEST(read_only_role_at_head_succeeds_pending_is_refused)
{
	char role[80];
	char sql[320];
	PGconn *reader;
	migc_postgresql reader_state;
	migc_driver reader_driver;
	const char *keys[] = {"dbname", "user", NULL};
	const char *values[] = {database, role, NULL};

	snprintf(role, sizeof role, "%s_reader", database);
	upgrade_ok(&plain, NULL, NULL);
	as_role(sql, sizeof sql,
		"CREATE ROLE %s LOGIN; ALTER ROLE %s SET "
		"default_transaction_read_only = on",
		role);
	exec_on(admin, sql);
	as_role(sql, sizeof sql,
		"GRANT SELECT ON ALL TABLES IN SCHEMA public "
		"TO %s",
		role);
	exec_on(connection, sql);
	reader = PQconnectdbParams(keys, values, 0);
	ck_assert_msg(PQstatus(reader) == CONNECTION_OK, "%s",
		      PQerrorMessage(reader));
	ck_assert_int_eq(migc_postgresql_driver(&reader_driver, &reader_state,
						reader, 0, &error),
			 MIGC_OK);
	/* At head: success, without writing (the one-read boot). */
	ck_assert_msg(
	    migc_upgrade(&plain, &reader_driver, NULL, NULL, &error) == MIGC_OK,
	    "at head: %s", error.message);
	/* Work pending: refused, saying why. */
	exec_on(connection, "UPDATE migc_version SET version_num = "
			    "'f1f1f1f1f1f1', set_digest = NULL");
	exec_on(connection, "ALTER TABLE accounts DROP COLUMN note");
	ck_assert_int_ne(
	    migc_upgrade(&plain, &reader_driver, NULL, NULL, &error), MIGC_OK);
	ck_assert_msg(strstr(error.message, "read-only") != NULL &&
			  strstr(error.message, "primary") != NULL,
		      "message: %s", error.message);
	expect_version("f1f1f1f1f1f1");
	PQfinish(reader);
	/* The role goes before the database, which teardown drops. */
	as_role(sql, sizeof sql, "DROP OWNED BY %s", role);
	exec_on(connection, sql);
	as_role(sql, sizeof sql, "DROP ROLE %s", role);
	exec_on(admin, sql);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("pgfleet", setup, teardown, 60, MIGC_SERVER_REQUIRED,
		       migc_file_tests);
