/* main.c: the example app. A tiny journal that brings its SQLite database
 * to the compiled head at boot (migc_upgrade), then does its work:
 *   journal [DB] add EMAIL TITLE [TAG...]   write an entry
 *   journal [DB] list                       show users and their entries
 *   journal [DB] current                    show the schema's revision */
#include "journal_migrations.h"
#include "migc_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static void on_progress(const migc_event *event, void *payload)
{
	const migc_revision *r = event->revision;
	(void)payload;
	fprintf(stderr, "journal: %s %s (%s)\n",
		event->kind == MIGC_EVENT_UPGRADE ? "applying" : "reverting",
		r->id, r->message);
}

static int migrate(sqlite3 *db)
{
	migc_sqlite context;
	migc_driver driver;
	migc_options options = MIGC_OPTIONS_INIT;
	migc_error error;
	int rc;

	options.progress = on_progress;
	rc = migc_sqlite_driver(&driver, &context, db, 0, &error);
	if (rc == MIGC_OK)
		rc = migc_upgrade(&journal_migrations, &driver, "head",
				  &options, &error);
	/* The driver keeps its boot statement prepared; finalize it before
	 * the connection closes. */
	migc_sqlite_release(&context);
	if (rc != MIGC_OK) {
		fprintf(stderr, "journal: migration failed: %s", error.message);
		if (error.revision[0])
			fprintf(stderr, " (revision %s, statement %u, %s:%u)",
				error.revision, error.statement_index,
				error.source_file ? error.source_file : "?",
				error.line);
		fputc('\n', stderr);
		return -1;
	}
	return 0;
}

/* The revision the database is at (migc_current): the answer comes
 * through the out-parameters, and with no migc_error the result code
 * alone says whether it worked. */
static int current(sqlite3 *db)
{
	migc_sqlite context;
	migc_driver driver;
	const migc_revision *heads[4];
	size_t count = 0;
	size_t i;

	if (migc_sqlite_driver(&driver, &context, db, 0, NULL) != MIGC_OK ||
	    migc_current(heads, 4, &count, &journal_migrations, &driver, NULL,
			 NULL) != MIGC_OK) {
		fprintf(stderr, "journal: cannot read the schema's revision\n");
		return -1;
	}
	for (i = 0; i < count && i < 4; i++)
		printf("%s (%s)\n", heads[i]->id, heads[i]->message);
	return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *message = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
		fprintf(stderr, "journal: %s\n", message);
		sqlite3_free(message);
		return -1;
	}
	return 0;
}

static int bind_run(sqlite3 *db, const char *sql, const char *a,
		    const char *b)
{
	sqlite3_stmt *statement;
	int rc = sqlite3_prepare_v2(db, sql, -1, &statement, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(statement, 1, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(statement, 2, b, -1, SQLITE_STATIC);
		rc = sqlite3_step(statement);
		sqlite3_finalize(statement);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "journal: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int add_entry(sqlite3 *db, int argc, char **argv)
{
	char entry[32];
	int i;
	if (argc < 2) {
		fprintf(stderr, "usage: journal [DB] add EMAIL TITLE [TAG...]\n");
		return -1;
	}
	if (exec(db, "BEGIN") != 0)
		return -1;
	if (bind_run(db,
		     "INSERT INTO users (email, display_name) VALUES (?1, "
		     "substr(?1, 1, instr(?1, '@') - 1)) ON CONFLICT (email) "
		     "DO NOTHING",
		     argv[0], NULL) != 0 ||
	    bind_run(db,
		     "INSERT INTO entries (user_id, title) SELECT id, ?2 FROM "
		     "users WHERE email = ?1",
		     argv[0], argv[1]) != 0)
		goto fail;
	snprintf(entry, sizeof entry, "%lld",
		 (long long)sqlite3_last_insert_rowid(db));
	for (i = 2; i < argc; i++)
		if (bind_run(db,
			     "INSERT INTO tags (name) VALUES (?1) ON CONFLICT "
			     "(name) DO NOTHING",
			     argv[i], NULL) != 0 ||
		    bind_run(db,
			     "INSERT INTO entry_tags (entry_id, tag_id) SELECT "
			     "CAST(?2 AS INTEGER), id FROM tags WHERE name = ?1",
			     argv[i], entry) != 0)
			goto fail;
	return exec(db, "COMMIT");
fail:
	exec(db, "ROLLBACK");
	return -1;
}

static int list(sqlite3 *db)
{
	sqlite3_stmt *statement;
	const char *sql =
		"SELECT u.display_name, u.entry_count, e.title, "
		"coalesce((SELECT group_concat(t.name, ', ') FROM entry_tags "
		"et JOIN tags t ON t.id = et.tag_id WHERE et.entry_id = e.id), "
		"'') FROM users u LEFT JOIN entries e ON e.user_id = u.id "
		"ORDER BY u.email, e.id";
	if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
		fprintf(stderr, "journal: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	while (sqlite3_step(statement) == SQLITE_ROW) {
		const unsigned char *title = sqlite3_column_text(statement, 2);
		const unsigned char *tags = sqlite3_column_text(statement, 3);
		int entries = sqlite3_column_int(statement, 1);

		printf("%s (%d %s): %s%s%s%s\n",
		       (const char *)sqlite3_column_text(statement, 0), entries,
		       entries == 1 ? "entry" : "entries",
		       title ? (const char *)title : "-",
		       tags && *tags ? " [" : "",
		       tags ? (const char *)tags : "",
		       tags && *tags ? "]" : "");
	}
	sqlite3_finalize(statement);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = "journal.db";
	sqlite3 *db = NULL;
	int status = 1;
	int first = 1;

	if (argc > 1 && strcmp(argv[1], "add") != 0 &&
	    strcmp(argv[1], "list") != 0 && strcmp(argv[1], "current") != 0) {
		path = argv[1];
		first = 2;
	}
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "journal: cannot open %s: %s\n", path,
			sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	if (migrate(db) == 0 && exec(db, "PRAGMA foreign_keys = ON") == 0) {
		if (first < argc && strcmp(argv[first], "add") == 0)
			status = add_entry(db, argc - first - 1,
					   argv + first + 1) == 0
					 ? 0
					 : 1;
		else if (first < argc && strcmp(argv[first], "current") == 0)
			status = current(db) == 0 ? 0 : 1;
		else
			status = list(db) == 0 ? 0 : 1;
	}
	sqlite3_close(db);
	return status;
}
