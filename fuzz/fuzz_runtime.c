/* fuzz_runtime.c: libFuzzer target over the runtime core and the offline
 * script. A fake in-memory driver serves version rows and history rows that
 * come from the input (ids of any length and bytes, duplicates, odd
 * checksums and counts, stored downgrade text), and a target string from
 * the input goes through upgrade, downgrade, current, version rows, stamp,
 * the planner and the --sql script of the branchy set. Any crash or
 * undefined behaviour is a bug; an error code is not.
 *
 * Input: lines. The first is "<op> <target>" (op a digit); then
 * "v <id>" adds a version row, "h <id>\t<parents>\t<checksum hex>\t<done>\t
 * <duration>\t<downgrade done>\t<downgrade netstrings>" a history row, "f <n>"
 * makes the n-th driver call fail. */
#include "branchy_sqlite.h"
#include "migc.h"
#include "migc_driver.h"
#include "migc_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 16
#define TEXT 256

typedef struct fake_history {
	char id[TEXT];
	size_t id_length;
	char parents[TEXT];
	size_t parents_length;
	char downgrade[TEXT];
	size_t downgrade_length;
	uint64_t checksum;
	uint32_t done;
	uint32_t duration;
	uint32_t downgrade_done;
} fake_history;

typedef struct fake {
	char rows[ROWS][TEXT];
	size_t row_length[ROWS];
	size_t row_count;
	fake_history history[ROWS];
	size_t history_count;
	unsigned long calls;
	unsigned long fail_at;
} fake;

static int fake_fail(fake *f, migc_error *error)
{
	if (f->fail_at == 0 || ++f->calls != f->fail_at)
		return MIGC_OK;
	if (error != NULL) {
		memset(error, 0, sizeof *error);
		error->code = MIGC_EDRIVER;
		strcpy(error->message, "injected");
	}
	return MIGC_EDRIVER;
}

/* A call whose text (a statement, a lock key, a table: the fake has one
 * version and one history table) the fake does not read. */
static int fake_call(fake *f, const char *text, size_t length,
		     migc_error *error)
{
	(void)text;
	(void)length;
	return fake_fail(f, error);
}

static size_t bounded_copy(char *out, const char *in, size_t length)
{
	if (length >= TEXT)
		length = TEXT - 1;
	memcpy(out, in, length);
	out[length] = '\0';
	return length;
}

static int f_execute(void *context, const char *sql, size_t length,
		     migc_error *error)
{
	return fake_call(context, sql, length, error);
}

static int f_simple(void *context, migc_error *error)
{
	return fake_fail(context, error);
}

static int f_lock(void *context, const char *key, size_t length,
		  migc_error *error)
{
	return fake_call(context, key, length, error);
}

static int f_ensure(void *context, const char *table, size_t length,
		    migc_error *error)
{
	return fake_call(context, table, length, error);
}

static int f_rows_read(void *context, const char *table, size_t table_length,
		       migc_row_fn each, void *payload, migc_error *error)
{
	fake *f = context;
	size_t i;
	int rc = fake_call(f, table, table_length, error);

	for (i = 0; rc == MIGC_OK && i < f->row_count; i++) {
		if (each(f->rows[i], f->row_length[i], payload) != 0)
			break;
	}
	return rc;
}

static int f_row_insert(void *context, const char *table, size_t table_length,
			const char *id, size_t length, migc_error *error)
{
	fake *f = context;
	int rc = fake_call(f, table, table_length, error);

	if (rc == MIGC_OK && f->row_count < ROWS) {
		f->row_length[f->row_count] =
		    bounded_copy(f->rows[f->row_count], id, length);
		f->row_count++;
	}
	return rc;
}

static int f_row_delete(void *context, const char *table, size_t table_length,
			const char *id, size_t length, migc_error *error)
{
	fake *f = context;
	size_t i;
	int rc = fake_call(f, table, table_length, error);

	for (i = 0; rc == MIGC_OK && i < f->row_count; i++) {
		if (f->row_length[i] == length &&
		    memcmp(f->rows[i], id, length) == 0) {
			f->row_count--;
			memmove(f->rows[i], f->rows[f->row_count], TEXT);
			f->row_length[i] = f->row_length[f->row_count];
			break;
		}
	}
	return rc;
}

static int f_history_read(void *context, const char *table, size_t table_length,
			  migc_history_fn each, void *payload,
			  migc_error *error)
{
	fake *f = context;
	size_t i;
	int rc = fake_call(f, table, table_length, error);

	for (i = 0; rc == MIGC_OK && i < f->history_count; i++) {
		migc_history_row row;

		row.revision = f->history[i].id;
		row.revision_length = f->history[i].id_length;
		row.parents = f->history[i].parents;
		row.parents_length = f->history[i].parents_length;
		row.checksum = f->history[i].checksum;
		row.statements_done = f->history[i].done;
		row.duration_ms = f->history[i].duration;
		row.flags = 0;
		row.downgrade_done = f->history[i].downgrade_done;
		if (each(&row, payload) != 0)
			break;
	}
	return rc;
}

static fake_history *history_of(fake *f, const char *id, size_t length)
{
	size_t i;

	for (i = 0; i < f->history_count; i++) {
		if (f->history[i].id_length == length &&
		    memcmp(f->history[i].id, id, length) == 0)
			return &f->history[i];
	}
	return NULL;
}

static int f_history_write(void *context, const char *table,
			   size_t table_length, const migc_history_row *row,
			   const migc_statement *downgrade,
			   uint32_t downgrade_count, migc_error *error)
{
	fake *f = context;
	fake_history *h;
	int rc = fake_call(f, table, table_length, error);

	if (rc != MIGC_OK)
		return rc;
	h = history_of(f, row->revision, row->revision_length);
	if (h == NULL) {
		if (f->history_count == ROWS)
			return MIGC_OK;
		h = &f->history[f->history_count++];
	}
	h->id_length = bounded_copy(h->id, row->revision, row->revision_length);
	h->parents_length =
	    bounded_copy(h->parents, row->parents, row->parents_length);
	h->checksum = row->checksum;
	h->done = row->statements_done;
	h->duration = row->duration_ms;
	h->downgrade_done = row->downgrade_done;
	if (migc_downgrade_encode(h->downgrade, sizeof h->downgrade,
				  &h->downgrade_length, downgrade,
				  downgrade_count, row->flags, NULL) != MIGC_OK)
		h->downgrade_length = 0;
	return MIGC_OK;
}

static int f_history_delete(void *context, const char *table,
			    size_t table_length, const char *id, size_t length,
			    migc_error *error)
{
	fake *f = context;
	fake_history *h;
	int rc = fake_call(f, table, table_length, error);

	if (rc != MIGC_OK)
		return rc;
	h = history_of(f, id, length);
	if (h != NULL)
		*h = f->history[--f->history_count];
	return MIGC_OK;
}

static int f_history_downgrade(void *context, const char *table,
			       size_t table_length, const char *id,
			       size_t length, migc_error *error)
{
	fake *f = context;
	fake_history *h;
	const char *sql;
	size_t sql_length;
	migc_downgrade_reader reader;
	int rc = fake_call(f, table, table_length, error);

	if (rc != MIGC_OK)
		return rc;
	h = history_of(f, id, length);
	if (h == NULL)
		return MIGC_ENOTFOUND;
	rc = migc_downgrade_open(&reader, h->downgrade, h->downgrade_length,
				 error);
	if (rc != MIGC_OK)
		return rc;
	while ((rc = migc_downgrade_read(&sql, &sql_length, NULL, &reader,
					 error)) == MIGC_OK &&
	       sql != NULL) {
		if (sql_length > h->downgrade_length)
			__builtin_trap();
	}
	return rc;
}

static void fake_driver(migc_driver *d, fake *f)
{
	memset(d, 0, sizeof *d);
	d->version = MIGC_DRIVER_VERSION;
	d->dialect = "sqlite";
	d->context = f;
	d->execute = f_execute;
	d->begin = f_simple;
	d->commit = f_simple;
	d->rollback = f_simple;
	d->lock = f_lock;
	d->unlock = f_lock;
	d->version_table_ensure = f_ensure;
	d->version_rows_read = f_rows_read;
	d->version_row_insert = f_row_insert;
	d->version_row_delete = f_row_delete;
	d->history_ensure = f_ensure;
	d->history_read = f_history_read;
	d->history_write = f_history_write;
	d->history_delete = f_history_delete;
	d->history_downgrade = f_history_downgrade;
}

/* The next field of a history line, up to a tab or the end. */
static size_t field(const char **cursor, const char *end, const char **out)
{
	const char *tab = memchr(*cursor, '\t', (size_t)(end - *cursor));
	size_t length = (size_t)((tab != NULL ? tab : end) - *cursor);

	*out = *cursor;
	*cursor = tab != NULL ? tab + 1 : end;
	return length;
}

static void add_history(fake *f, const char *line, const char *end)
{
	fake_history *h;
	const char *text;
	size_t length;
	char number[32];

	if (f->history_count == ROWS)
		return;
	h = &f->history[f->history_count++];
	length = field(&line, end, &text);
	h->id_length = bounded_copy(h->id, text, length);
	length = field(&line, end, &text);
	h->parents_length = bounded_copy(h->parents, text, length);
	length = field(&line, end, &text);
	snprintf(number, sizeof number, "%.*s", (int)length, text);
	h->checksum = strtoull(number, NULL, 16);
	length = field(&line, end, &text);
	snprintf(number, sizeof number, "%.*s", (int)length, text);
	h->done = (uint32_t)strtoul(number, NULL, 10);
	length = field(&line, end, &text);
	snprintf(number, sizeof number, "%.*s", (int)length, text);
	h->duration = (uint32_t)strtoul(number, NULL, 10);
	length = field(&line, end, &text);
	snprintf(number, sizeof number, "%.*s", (int)length, text);
	h->downgrade_done = (uint32_t)strtoul(number, NULL, 10);
	length = (size_t)(end - line);
	h->downgrade_length = bounded_copy(h->downgrade, line, length);
}

static int on_step(const migc_step *step, void *payload)
{
	(void)step;
	(void)payload;
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static fake f;
	const char *text = (const char *)data;
	const char *end = text + size;
	const char *line = text;
	char target[TEXT];
	int op = 0;
	migc_driver driver;
	migc_error error;
	const migc_revision *current[8];
	migc_version_row rows[8];
	size_t count;
	size_t steps;

	memset(&f, 0, sizeof f);
	memset(&error, 0, sizeof error);
	target[0] = '\0';
	while (line < end) {
		const char *newline = memchr(line, '\n', (size_t)(end - line));
		const char *stop = newline != NULL ? newline : end;
		size_t length = (size_t)(stop - line);

		if (line == text) {
			op = length > 0 ? line[0] - '0' : 0;
			if (length > 2)
				bounded_copy(target, line + 2, length - 2);
		} else if (length >= 2 && line[0] == 'v' && line[1] == ' ') {
			if (f.row_count < ROWS) {
				f.row_length[f.row_count] = bounded_copy(
				    f.rows[f.row_count], line + 2, length - 2);
				f.row_count++;
			}
		} else if (length >= 2 && line[0] == 'h' && line[1] == ' ') {
			add_history(&f, line + 2, stop);
		} else if (length >= 2 && line[0] == 'f' && line[1] == ' ') {
			char number[16];

			snprintf(number, sizeof number, "%.*s",
				 (int)(length - 2), line + 2);
			f.fail_at = strtoul(number, NULL, 10);
		}
		line = newline != NULL ? newline + 1 : end;
	}
	/* Every id in `target` must come out bounded and NUL-terminated. */
	fake_driver(&driver, &f);
	switch (op) {
	case 0:
		(void)migc_upgrade(&branchy_sqlite, &driver, target, NULL,
				   &error);
		break;
	case 1:
		(void)migc_downgrade(&branchy_sqlite, &driver, target, NULL,
				     &error);
		break;
	case 2:
		(void)migc_current(current, 8, &count, &branchy_sqlite, &driver,
				   NULL, &error);
		(void)migc_version_rows(rows, 8, &count, &branchy_sqlite,
					&driver, NULL, &error);
		break;
	case 3:
		(void)migc_stamp(&branchy_sqlite, &driver, target, 1, NULL,
				 &error);
		break;
	case 4:
		(void)migc_stamp(&branchy_sqlite, &driver, target, 0, NULL,
				 &error);
		break;
	default: {
		FILE *out = fopen("/dev/null", "w");

		(void)migc_plan_steps(&steps, &branchy_sqlite, NULL, target,
				      op & 1, on_step, NULL, &error);
		if (out != NULL) {
			(void)migc_sql_script(out, &branchy_sqlite, NULL,
					      f.row_count > 0 ? f.rows[0]
							      : NULL,
					      target, op & 1, &error);
			fclose(out);
		}
		break;
	}
	}
	if (memchr(error.message, '\0', sizeof error.message) == NULL)
		__builtin_trap();
	return 0;
}
