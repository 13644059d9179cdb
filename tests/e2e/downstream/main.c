/* The downstream app: migrates at boot, then counts its customers. */
#include "shop_migrations.h"
#include "migc_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	sqlite3 *db;
	migc_sqlite context;
	migc_driver driver;
	migc_error error;
	sqlite3_stmt *count;
	int status = 1;

	if (argc != 2 || sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 2;
	if (migc_sqlite_driver(&driver, &context, db, 0, &error) == MIGC_OK &&
	    migc_upgrade(&shop_migrations, &driver, NULL, NULL, &error) ==
		    MIGC_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM customers", -1,
			       &count, NULL) == SQLITE_OK) {
		if (sqlite3_step(count) == SQLITE_ROW) {
			printf("customers: %d\n", sqlite3_column_int(count, 0));
			status = 0;
		}
		sqlite3_finalize(count);
	} else {
		fprintf(stderr, "shop: %s\n", error.message);
	}
	migc_sqlite_release(&context);
	sqlite3_close(db);
	return status;
}
