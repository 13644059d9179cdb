/* ram_driver.c: the driver of ram_driver.h. Every call is reported to the
 * trace before it acts, so the trace is the driver's whole conversation
 * with the core, in order. */
#include "ram_driver.h"

size_t ram_length(const char *text)
{
	size_t n = 0;

	while (text[n] != '\0')
		n++;
	return n;
}

int ram_same(const char *stored, const char *text, size_t length)
{
	size_t i;

	for (i = 0; i < length; i++)
		if (stored[i] != text[i])
			return 0;
	return stored[length] == '\0';
}

/* Copies `length` bytes and a NUL; 0 when they do not fit `capacity`. */
static int copy(char *out, size_t capacity, const char *text, size_t length)
{
	size_t i;

	if (length >= capacity)
		return 0;
	for (i = 0; i < length; i++)
		out[i] = text[i];
	out[length] = '\0';
	return 1;
}

static int fail(migc_error *error, int code, const char *message)
{
	size_t i;

	if (error != NULL) {
		error->code = code;
		for (i = 0; message[i] != '\0' && i + 1 < sizeof error->message;
		     i++)
			error->message[i] = message[i];
		error->message[i] = '\0';
	}
	return code;
}

static ram_database *traced(void *context, const char *event, const char *text,
			    size_t length, uint64_t number)
{
	ram_database *db = context;

	if (db->trace != NULL)
		db->trace(event, text, length, number, db->trace_payload);
	return db;
}

/* The calls that only report: a statement (there is no SQL engine here),
 * the lock (one caller at a time on a device), and the tables, which
 * exist as soon as the struct does. */
#define REPORTED(name, event)                                                  \
	static int name(void *context, const char *text, size_t length,        \
			migc_error *error)                                     \
	{                                                                      \
		(void)error;                                                   \
		traced(context, event, text, length, 0);                       \
		return MIGC_OK;                                                \
	}
static int execute(void *context, const char *text, size_t length,
		   migc_error *error)
{
	ram_database *db = traced(context, "execute", text, length, 0);

	if (db->fail_execute == 0 || --db->fail_execute > 0)
		return MIGC_OK;
	return fail(error, MIGC_EDRIVER, "power lost");
}
REPORTED(lock, "lock")
REPORTED(unlock, "unlock")
REPORTED(version_table_ensure, "version_table_ensure")
REPORTED(history_ensure, "history_ensure")

static int begin(void *context, migc_error *error)
{
	ram_database *db = traced(context, "begin", "", 0, 0);

	if (db->in_transaction)
		return fail(error, MIGC_EDRIVER, "begin inside a transaction");
	db->saved = db->live;
	db->in_transaction = 1;
	return MIGC_OK;
}

static int commit(void *context, migc_error *error)
{
	ram_database *db = traced(context, "commit", "", 0, 0);

	if (!db->in_transaction)
		return fail(error, MIGC_EDRIVER,
			    "commit outside a transaction");
	db->in_transaction = 0;
	return MIGC_OK;
}

static int rollback(void *context, migc_error *error)
{
	ram_database *db = traced(context, "rollback", "", 0, 0);

	(void)error;
	if (db->in_transaction)
		db->live = db->saved;
	db->in_transaction = 0;
	return MIGC_OK;
}

/* Each version row to `each_state` with its digest, or else to `each`,
 * until one says stop. */
static int rows_each(void *context, const char *event, const char *table,
		     size_t length, migc_row_fn each, migc_state_fn each_state,
		     void *payload)
{
	ram_tables *t = &traced(context, event, table, length, 0)->live;
	uint32_t i;

	for (i = 0; i < t->row_count; i++) {
		size_t n = ram_length(t->rows[i]);

		if (each_state != NULL
			? each_state(t->rows[i], n, t->digests[i], payload)
			: each(t->rows[i], n, payload))
			break;
	}
	return MIGC_OK;
}

static int version_rows_read(void *context, const char *table, size_t length,
			     migc_row_fn each, void *payload, migc_error *error)
{
	(void)error;
	return rows_each(context, "version_rows_read", table, length, each,
			 NULL, payload);
}

static int row_find(const ram_tables *tables, const char *revision,
		    size_t length)
{
	uint32_t i;

	for (i = 0; i < tables->row_count; i++)
		if (ram_same(tables->rows[i], revision, length))
			return (int)i;
	return -1;
}

static int version_row_insert(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t length, migc_error *error)
{
	ram_database *db = traced(context, "row_insert", revision, length, 0);
	ram_tables *t = &db->live;

	(void)table;
	(void)table_length;
	if (row_find(t, revision, length) >= 0)
		return fail(error, MIGC_EDRIVER, "version row exists");
	if (t->row_count == MIGC_MAX_HEADS ||
	    !copy(t->rows[t->row_count], sizeof t->rows[0], revision, length))
		return fail(error, MIGC_ELIMIT, "no room for a version row");
	t->digests[t->row_count++] = 0;
	return MIGC_OK;
}

static int version_row_delete(void *context, const char *table,
			      size_t table_length, const char *revision,
			      size_t length, migc_error *error)
{
	ram_database *db = traced(context, "row_delete", revision, length, 0);
	ram_tables *t = &db->live;
	int found = row_find(t, revision, length);
	uint32_t i;

	(void)table;
	(void)table_length;
	(void)error;
	if (found < 0)
		return MIGC_OK;
	t->row_count--;
	for (i = (uint32_t)found; i < t->row_count; i++) {
		copy(t->rows[i], sizeof t->rows[i], t->rows[i + 1],
		     ram_length(t->rows[i + 1]));
		t->digests[i] = t->digests[i + 1];
	}
	return MIGC_OK;
}

static int version_row_update(void *context, const char *table,
			      size_t table_length, const char *from,
			      size_t from_length, const char *to,
			      size_t to_length, migc_error *error)
{
	ram_database *db = traced(context, "row_update", to, to_length, 0);
	int found = row_find(&db->live, from, from_length);

	(void)table;
	(void)table_length;
	if (found < 0)
		return fail(error, MIGC_EDRIVER, "no version row to update");
	if (!copy(db->live.rows[found], sizeof db->live.rows[0], to, to_length))
		return fail(error, MIGC_ELIMIT, "revision id too long");
	return MIGC_OK;
}

static int history_read(void *context, const char *table, size_t length,
			migc_history_fn each, void *payload, migc_error *error)
{
	ram_database *db = traced(context, "history_read", table, length, 0);
	uint32_t i;

	(void)error;
	for (i = 0; i < db->live.history_count; i++) {
		const ram_history_row *h = &db->live.history[i];
		migc_history_row row = {0};

		row.revision = h->revision;
		row.revision_length = ram_length(h->revision);
		row.parents = h->parents;
		row.parents_length = ram_length(h->parents);
		row.checksum = h->checksum;
		row.statements_done = h->statements_done;
		row.duration_ms = h->duration_ms;
		row.downgrade_done = h->downgrade_done;
		if (each(&row, payload) != 0)
			break;
	}
	return MIGC_OK;
}

static ram_history_row *history_find(ram_tables *tables, const char *revision,
				     size_t length)
{
	uint32_t i;

	for (i = 0; i < tables->history_count; i++)
		if (ram_same(tables->history[i].revision, revision, length))
			return &tables->history[i];
	return NULL;
}

static int history_write(void *context, const char *table, size_t length,
			 const migc_history_row *row,
			 const migc_statement *downgrade,
			 uint32_t downgrade_count, migc_error *error)
{
	ram_database *db = traced(context, "history_write", row->revision,
				  row->revision_length, row->statements_done);
	ram_tables *t = &db->live;
	ram_history_row *h =
	    history_find(t, row->revision, row->revision_length);

	(void)table;
	(void)length;
	if (h == NULL) {
		if (t->history_count == RAM_HISTORY_ROWS)
			return fail(error, MIGC_ELIMIT,
				    "no room for a history row");
		h = &t->history[t->history_count++];
	}
	if (!copy(h->revision, sizeof h->revision, row->revision,
		  row->revision_length) ||
	    !copy(h->parents, sizeof h->parents, row->parents,
		  row->parents_length))
		return fail(error, MIGC_ELIMIT, "history row too long");
	h->checksum = row->checksum;
	h->statements_done = row->statements_done;
	h->downgrade_done = row->downgrade_done;
	/* No clock on the device: a measured duration is stored as 0. */
	h->duration_ms =
	    row->duration_ms == MIGC_DURATION_MEASURE ? 0 : row->duration_ms;
	h->downgrade = downgrade;
	h->downgrade_count = downgrade_count;
	return MIGC_OK;
}

/* The history row of `revision` (NULL: none), after reporting `event`. */
static ram_history_row *history_call(void *context, const char *event,
				     const char *revision, size_t length)
{
	ram_database *db = traced(context, event, revision, length, 0);

	return history_find(&db->live, revision, length);
}

static int history_delete(void *context, const char *table, size_t length,
			  const char *revision, size_t revision_length,
			  migc_error *error)
{
	ram_tables *t = &((ram_database *)context)->live;
	ram_history_row *h =
	    history_call(context, "history_delete", revision, revision_length);

	(void)table;
	(void)length;
	(void)error;
	if (h != NULL)
		*h = t->history[--t->history_count];
	return MIGC_OK;
}

/* A downgrade stored for a revision the set lacks, by a newer build:
 * the image never meets one, but the core requires the call. */
static int history_downgrade(void *context, const char *table, size_t length,
			     const char *revision, size_t revision_length,
			     migc_error *error)
{
	ram_history_row *h = history_call(context, "history_downgrade",
					  revision, revision_length);
	uint32_t i;

	(void)table;
	(void)length;
	if (h == NULL)
		return fail(error, MIGC_EDRIVER, "no history row");
	for (i = 0; i < h->downgrade_count; i++)
		execute(context, h->downgrade[i].sql, h->downgrade[i].length,
			error);
	return MIGC_OK;
}

static int version_state_read(void *context, const char *table, size_t length,
			      migc_state_fn each, void *payload,
			      migc_error *error)
{
	(void)error;
	return rows_each(context, "version_state_read", table, length, NULL,
			 each, payload);
}

static int version_digest_write(void *context, const char *table, size_t length,
				uint64_t digest, migc_error *error)
{
	ram_database *db =
	    traced(context, "digest_write", table, length, digest);
	uint32_t i;

	(void)error;
	for (i = 0; i < db->live.row_count; i++)
		db->live.digests[i] = digest;
	return MIGC_OK;
}

void ram_driver(migc_driver *out, ram_database *database, const char *dialect,
		ram_trace_fn trace, void *payload)
{
	migc_driver driver = {0};
	unsigned char *bytes = (unsigned char *)database;
	size_t i;

	/* Byte by byte: a zeroed copy would take its size in stack. */
	for (i = 0; i < sizeof *database; i++)
		bytes[i] = 0;
	database->trace = trace;
	database->trace_payload = payload;
	driver.version = MIGC_DRIVER_VERSION;
	driver.dialect = dialect;
	driver.context = database;
	driver.execute = execute;
	driver.begin = begin;
	driver.commit = commit;
	driver.rollback = rollback;
	driver.lock = lock;
	driver.unlock = unlock;
	driver.version_table_ensure = version_table_ensure;
	driver.version_rows_read = version_rows_read;
	driver.version_row_insert = version_row_insert;
	driver.version_row_delete = version_row_delete;
	driver.version_row_update = version_row_update;
	driver.history_ensure = history_ensure;
	driver.history_read = history_read;
	driver.history_write = history_write;
	driver.history_delete = history_delete;
	driver.history_downgrade = history_downgrade;
	driver.version_state_read = version_state_read;
	driver.version_digest_write = version_digest_write;
	*out = driver;
}
