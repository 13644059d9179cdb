/* cli_sqlite.c: how the command line opens sqlite:// URLs, as SQLAlchemy
 * writes them. A library of its own (migc::cli_sqlite), so that a command
 * line links SQLite only when its table of drivers lists this one. */
#include "database.h"
#include "migc_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The context is the driver's own state, whose db the opener sets first. */
static void close_sqlite(void *context)
{
	migc_sqlite *sqlite = context;

	migc_sqlite_release(sqlite);
	sqlite3_close(sqlite->db);
	free(sqlite);
}

/* SQLite's own URI parameters (https://sqlite.org/uri.html); SQLAlchemy's
 * "uri=true", which asks for them, is taken and needs no value here. */
static const char *const sqlite_parameters[] = {
    "vfs", "mode", "cache", "psow", "nolock", "immutable", "uri", NULL};

/* The parameters in `query` ("a=1&b=2") are all SQLite's; else a reason. */
static const char *sqlite_query_refused(const char *query, char *reason,
					size_t size)
{
	while (*query != '\0') {
		size_t length = strcspn(query, "=&");
		size_t i;

		for (i = 0; sqlite_parameters[i] != NULL; i++) {
			if (strlen(sqlite_parameters[i]) == length &&
			    strncmp(sqlite_parameters[i], query, length) == 0)
				break;
		}
		if (sqlite_parameters[i] == NULL) {
			snprintf(reason, size,
				 "'%.*s' is not a SQLite URI parameter; "
				 "SQLite takes vfs, mode, cache, psow, nolock "
				 "and immutable",
				 (int)(length < 64 ? length : 64), query);
			return reason;
		}
		query += strcspn(query, "&");
		if (*query == '&')
			query++;
	}
	return NULL;
}

/* file:PATH?QUERY with '%', '?', '#' and bytes outside printable ASCII
 * in the path percent-encoded, so that SQLite reads back the very name;
 * SQLAlchemy's uri=true is left out (it is not SQLite's). */
static int sqlite_uri(char *out, size_t size, const char *path,
		      size_t path_length, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t used = 0;
	size_t i;
	int first = 1;

#define PUT(c)                                                                 \
	do {                                                                   \
		if (used + 1 >= size)                                          \
			return -1;                                             \
		out[used++] = (c);                                             \
	} while (0)
	for (i = 0; i < 5; i++)
		PUT("file:"[i]);
	for (i = 0; i < path_length; i++) {
		unsigned char c = (unsigned char)path[i];

		if (c == '%' || c == '?' || c == '#' || c <= ' ' || c >= 0x7f) {
			PUT('%');
			PUT(hex[c >> 4]);
			PUT(hex[c & 15]);
		} else {
			PUT((char)c);
		}
	}
	while (query != NULL && *query != '\0') {
		size_t length = strcspn(query, "&");

		if (!(strncmp(query, "uri", 3) == 0 &&
		      (length == 3 || query[3] == '='))) {
			PUT(first ? '?' : '&');
			first = 0;
			for (i = 0; i < length; i++)
				PUT(query[i]);
		}
		query += length;
		if (*query == '&')
			query++;
	}
#undef PUT
	out[used] = '\0';
	return 0;
}

/* sqlite:///relative.db, sqlite:////absolute.db and sqlite:///:memory:,
 * as in SQLAlchemy, with SQLite's URI parameters after '?'. An empty path
 * (sqlite://, sqlite:///, as when $DB was unset) is refused rather than
 * taken as a database in memory that vanishes with its changes. */
static int open_sqlite(migc_driver *out, void **context, const char *url,
		       const char *rest, migc_error *error)
{
	migc_sqlite *sqlite;
	char uri[4096];
	char reason[256];
	const char *query = strchr(rest, '?');
	size_t length = query != NULL ? (size_t)(query - rest) : strlen(rest);
	int rc;

	if (length == 0 || rest[0] != '/')
		return migc_cli_open_failure(
		    error, url,
		    length == 0
			? "the URL names no file; write sqlite:///relative.db "
			  "or sqlite:////absolute/path.db (sqlite:///:memory: "
			  "for a database in memory, gone when the command "
			  "ends)"
			: "a SQLite URL is sqlite:///relative/path.db or "
			  "sqlite:////absolute/path.db; nothing goes between "
			  "'sqlite://' and the third '/'");
	if (length == 1)
		return migc_cli_open_failure(
		    error, url,
		    "the URL names no file; write sqlite:///relative.db or "
		    "sqlite:////absolute/path.db (sqlite:///:memory: for a "
		    "database in memory, gone when the command ends)");
	if (query != NULL &&
	    sqlite_query_refused(query + 1, reason, sizeof reason) != NULL)
		return migc_cli_open_failure(error, url, reason);
	if (sqlite_uri(uri, sizeof uri, rest + 1, length - 1,
		       query != NULL ? query + 1 : NULL) != 0)
		return migc_cli_open_failure(error, url,
					     "the path is too long");
	sqlite = calloc(1, sizeof *sqlite);
	if (sqlite == NULL)
		return migc_cli_open_failure(error, url, "out of memory");
	rc = sqlite3_open_v2(
	    uri, &sqlite->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL);
	if (rc == SQLITE_OK)
		rc = migc_sqlite_driver(out, sqlite, sqlite->db, 0, error);
	else
		rc = migc_cli_open_failure(error, url,
					   sqlite->db != NULL
					       ? sqlite3_errmsg(sqlite->db)
					       : sqlite3_errstr(rc));
	if (rc != MIGC_OK) {
		close_sqlite(sqlite);
		return rc;
	}
	*context = sqlite;
	return MIGC_OK;
}

static const char *const sqlite_prefixes[] = {"sqlite://", NULL};

const migc_cli_driver migc_cli_sqlite = {
    MIGC_CLI_DRIVER_VERSION,
    "SQLite",
    sqlite_prefixes,
    "sqlite:///app.db",
    "sqlite:///path.db (relative), sqlite:////path.db (absolute) and "
    "sqlite:///:memory: (in memory)",
    open_sqlite,
    close_sqlite};
