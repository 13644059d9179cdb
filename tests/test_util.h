/* test_util.h: small helpers the generator tests share: temporary versions
 * directories and revision files written from strings. */
#ifndef MIGC_TEST_UTIL_H
#define MIGC_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* mkdtemp under /tmp; returns a malloc'd path. */
static inline char *test_tempdir(void)
{
	char *path = strdup("/tmp/migc-test-XXXXXX");
	if (!path || !mkdtemp(path))
		abort();
	return path;
}

static inline void test_write(const char *dir, const char *name,
			      const char *text)
{
	char path[4096];
	FILE *file;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	file = fopen(path, "wb");
	if (!file)
		abort();
	fputs(text, file);
	fclose(file);
}

static inline char *test_read(const char *path, size_t *length)
{
	FILE *file = fopen(path, "rb");
	char *text;
	long size;
	if (!file)
		return NULL;
	fseek(file, 0, SEEK_END);
	size = ftell(file);
	fseek(file, 0, SEEK_SET);
	text = malloc((size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, file) != (size_t)size)
		abort();
	text[size] = '\0';
	fclose(file);
	if (length)
		*length = (size_t)size;
	return text;
}

static inline void test_remove_tree(const char *dir)
{
	char command[4200];
	snprintf(command, sizeof command, "rm -rf '%s'", dir);
	if (system(command) != 0)
		abort();
}

#endif /* MIGC_TEST_UTIL_H */
