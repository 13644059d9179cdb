/* The downstream app of own_sqlite.sh: opens its database with the SQLite
 * the project gave migc (SQLCipher keyed with KEY, or a static SQLite),
 * runs one migc operation and prints the SQLite it ran on and the current
 * revision.
 *   vault DB KEY upgrade|downgrade|current    (KEY "" for none) */
#include "vault_migrations.h"
#include "migc_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static int run(const char *action, const migc_driver *driver,
	       migc_error *error)
{
	const migc_revision *current[2];
	size_t count = 0;
	int rc = MIGC_OK;

	if (strcmp(action, "upgrade") == 0)
		rc = migc_upgrade(&vault_migrations, driver, "head", NULL,
				  error);
	else if (strcmp(action, "downgrade") == 0)
		rc = migc_downgrade(&vault_migrations, driver, "-1", NULL,
				    error);
	else if (strcmp(action, "current") != 0)
		return MIGC_EINVAL;
	if (rc == MIGC_OK)
		rc = migc_current(current, 2, &count, &vault_migrations,
				  driver, NULL, error);
	if (rc == MIGC_OK)
		printf("sqlite %s current %s\n", sqlite3_libversion(),
		       count > 0 ? current[0]->id : "base");
	return rc;
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	migc_sqlite context;
	migc_driver driver;
	migc_error error;
	char *message = NULL;
	int rc;

	if (argc != 4 || sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 2;
	if (VAULT_ENCRYPTED && argv[2][0] != '\0') {
		char *pragma = sqlite3_mprintf("PRAGMA key = %Q", argv[2]);

		rc = sqlite3_exec(db, pragma, NULL, NULL, &message);
		sqlite3_free(pragma);
		if (rc != SQLITE_OK) {
			fprintf(stderr, "vault: key: %s\n", message);
			sqlite3_free(message);
			return 1;
		}
	}
	rc = migc_sqlite_driver(&driver, &context, db, 0, &error);
	if (rc == MIGC_OK)
		rc = run(argv[3], &driver, &error);
	if (rc != MIGC_OK)
		fprintf(stderr, "vault: %s\n", error.message);
	migc_sqlite_release(&context);
	sqlite3_close(db);
	return rc == MIGC_OK ? 0 : 1;
}
