/* sqlite_parts.h: verify's SQLite schema in parts, so that a revision is
 * proven on a database holding only what it can reach, never the whole
 * schema. SQLite's DDL costs what the schema holds (each CREATE or DROP
 * scans sqlite_schema, ALTER re-parses every view), so on one growing
 * schema n revisions cost n^2; in parts each costs what its part holds.
 *
 * A part is what one or more revisions built together: the objects their
 * statements name (tables, views, indexes, triggers), with their rows,
 * kept as a serialized database image and the upgrades that made it. A
 * revision reaches the parts holding a name it writes (any word, quoted
 * name or string of either section); several are merged into one first
 * (the largest's image, the others' upgrades replayed on it). A statement
 * that may read anything (sqlite_schema, pragma functions, VACUUM,
 * integrity checks, database-wide PRAGMAs) reaches every part. Each proof
 * runs on a new connection, as a later boot has. */
#ifndef MIGC_AUTOGEN_SQLITE_PARTS_H
#define MIGC_AUTOGEN_SQLITE_PARTS_H

#include "autogen.h"

#include <sqlite3.h>
#include <stdint.h>

struct parts;

/* How the parts get a connection and replay an upgrade on it. */
struct parts_host {
	void *context;
	/* A new connection, as the proof's, holding `image` (`size` bytes;
	 * NULL: empty) loaded with parts_load before the proof's guards are
	 * set; NULL after reporting. The one before it is closed. */
	sqlite3 *(*open)(void *context, const unsigned char *image,
			 sqlite3_int64 size, struct diagnostics *diag);
	/* r's upgrade on the connection `open` gave last, *db; on a new
	 * one (*db changed) when the upgrade before set what a new
	 * connection lacks. */
	int (*replay)(void *context, const struct revision *r, sqlite3 **db,
		      struct diagnostics *diag);
};

/* A copy of `image` as db's main database (a new connection's). */
int parts_load(sqlite3 *db, const unsigned char *image, sqlite3_int64 size,
	       struct diagnostics *diag);

struct parts *parts_new(void);
void parts_free(struct parts *p);

/* A new connection (host->open) holding the part r reaches, merged into
 * one when it reaches several; returned in *db, and in *depends a digest
 * of the upgrades that made that part (0: none), which r's proof depends
 * on. 0 or -1 after reporting. */
int parts_focus(struct parts *p, const struct parts_host *host,
		const struct revision *r, sqlite3 **db, uint64_t *depends,
		struct diagnostics *diag);
/* After parts_focus(r): keep (1) what `db` holds as that part after r
 * (r joins its upgrades), or not (0: the part stays as it was). */
int parts_settle(struct parts *p, sqlite3 *db, const struct revision *r,
		 int keep, struct diagnostics *diag);
/* The parts held, alive (for tests and figures). */
size_t parts_count(const struct parts *p);

#endif /* MIGC_AUTOGEN_SQLITE_PARTS_H */
