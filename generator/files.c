/* files.c: the generator's only file I/O helpers: read a whole file, and
 * write one through a temporary name so that a reader never sees half of
 * it and a failure leaves the old file (or none) in place. */
#include "gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *file_read(const char *path, size_t *length)
{
	FILE *file = fopen(path, "rb");
	char *text = NULL;
	size_t size = 0, capacity = 0;
	int failed;

	if (!file)
		return NULL;
	for (;;) {
		size_t got;
		if (capacity - size < 4096) {
			capacity = capacity ? capacity * 2 : 8192;
			text = realloc(text, capacity + 1);
			if (!text)
				abort();
		}
		got = fread(text + size, 1, capacity - size, file);
		size += got;
		if (got == 0)
			break;
	}
	failed = ferror(file);
	fclose(file);
	if (failed) {
		free(text);
		errno = EIO;
		return NULL;
	}
	text[size] = '\0';
	if (length)
		*length = size;
	return text;
}

int file_write(const char *path, const char *data, size_t length, int replace,
	       struct diagnostics *diag)
{
	struct location at = {path, 0, 0};
	size_t temp_length = strlen(path) + 32;
	char *temp = malloc(temp_length);
	FILE *file;
	int ok;

	if (!temp)
		abort();
	snprintf(temp, temp_length, "%s.tmp.%ld", path, (long)getpid());
	file = fopen(temp, "wb");
	if (!file) {
		diag_error(diag, at, "cannot write %s: %s", temp,
			   strerror(errno));
		free(temp);
		return -1;
	}
	ok = fwrite(data, 1, length, file) == length;
	ok = (fflush(file) == 0) && ok;
	ok = (fclose(file) == 0) && ok;
	/* rename() replaces; link() fails when the name exists, which is what
	 * a new revision file needs. */
	if (ok)
		ok = replace ? rename(temp, path) == 0 : link(temp, path) == 0;
	if (!ok) {
		diag_error(diag, at,
			   replace ? "cannot write: %s; nothing was changed"
				   : "cannot create: %s; nothing was written",
			   strerror(errno));
		remove(temp);
		free(temp);
		return -1;
	}
	if (!replace)
		remove(temp);
	free(temp);
	return 0;
}
