/* image.c: the smallest program that uses the runtime core: a boot-time
 * upgrade through a driver that hands statements to the device's database
 * layer. Here that layer only counts; the image exists to be measured. */
#include "app_migrations.h"
#include "migc_driver.h"

static unsigned executed;
static char row[MIGC_REVISION_ID_MAX + 1];

static int execute(void *context, const char *sql, size_t length,
		   migc_error *error)
{
	(void)context;
	(void)sql;
	(void)length;
	(void)error;
	executed++;
	return MIGC_OK;
}

static int nothing(void *context, migc_error *error)
{
	(void)context;
	(void)error;
	return MIGC_OK;
}

static int keyed(void *context, const char *key, size_t length,
		 migc_error *error)
{
	(void)context;
	(void)key;
	(void)length;
	(void)error;
	return MIGC_OK;
}

static int rows_read(void *context, const char *table, size_t table_length,
		     migc_row_fn each, void *payload, migc_error *error)
{
	size_t n = 0;
	(void)context;
	(void)table;
	(void)table_length;
	(void)error;
	while (row[n])
		n++;
	if (n)
		each(row, n, payload);
	return MIGC_OK;
}

static int row_insert(void *context, const char *table, size_t table_length,
		      const char *revision, size_t length, migc_error *error)
{
	size_t i;
	(void)context;
	(void)table;
	(void)table_length;
	(void)error;
	for (i = 0; i < length && i < MIGC_REVISION_ID_MAX; i++)
		row[i] = revision[i];
	row[i] = '\0';
	return MIGC_OK;
}

static int row_delete(void *context, const char *table, size_t table_length,
		      const char *revision, size_t length, migc_error *error)
{
	(void)context;
	(void)table;
	(void)table_length;
	(void)revision;
	(void)length;
	(void)error;
	row[0] = '\0';
	return MIGC_OK;
}

int main(void)
{
	migc_driver driver = {0};
	migc_error error;

	driver.version = MIGC_DRIVER_VERSION;
	driver.dialect = "sqlite";
	driver.execute = execute;
	driver.begin = nothing;
	driver.commit = nothing;
	driver.rollback = nothing;
	driver.lock = keyed;
	driver.unlock = keyed;
	driver.version_table_ensure = keyed;
	driver.version_rows_read = rows_read;
	driver.version_row_insert = row_insert;
	driver.version_row_delete = row_delete;
	return migc_upgrade(&app_migrations, &driver, "head", 0, &error) ==
			       MIGC_OK
		       ? (int)executed
		       : 1;
}

#if defined(__riscv)
/* Freestanding: no libc, so the few functions a compiler may call on its
 * own, and an entry point. */
void *memcpy(void *to, const void *from, size_t n)
{
	unsigned char *d = to;
	const unsigned char *s = from;
	while (n--)
		*d++ = *s++;
	return to;
}

void *memset(void *to, int c, size_t n)
{
	unsigned char *d = to;
	while (n--)
		*d++ = (unsigned char)c;
	return to;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n--; x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void _start(void)
{
	main();
	for (;;) {
	}
}
#endif
