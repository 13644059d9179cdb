/* files.c: the generator's only file I/O helpers: list a directory, read
 * a whole file, and write one through a temporary name so that a reader
 * never sees half of it and a failure leaves the old file (or none) in
 * place. */
#include "gen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_list(const char *dir, const char *suffix, struct string_list *out)
{
	DIR *handle = opendir(dir);
	struct dirent *entry;
	size_t n = strlen(suffix);

	memset(out, 0, sizeof *out);
	if (!handle)
		return -1;
	while ((entry = readdir(handle)) != NULL) {
		size_t length = strlen(entry->d_name);
		if (entry->d_name[0] != '.' && length >= n &&
		    strcmp(entry->d_name + length - n, suffix) == 0)
			string_list_add(out, text_dup(entry->d_name));
	}
	closedir(handle);
	if (out->count)
		qsort(out->items, out->count, sizeof *out->items,
		      compare_names);
	return 0;
}

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

/* The directory part of `path` ("." when it has none), malloc'd. */
static char *directory_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t length = slash ? (size_t)(slash - path) : 0;
	char *dir;

	if (!slash)
		return strdup(".");
	if (length == 0)
		length = 1; /* "/name" lives in "/" */
	dir = malloc(length + 1);
	if (!dir)
		abort();
	memcpy(dir, path, length);
	dir[length] = '\0';
	return dir;
}

static int write_all(int fd, const char *data, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, data, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		length -= (size_t)n;
	}
	return 0;
}

/* Makes the rename durable. Some file systems cannot sync a directory
 * (EINVAL); there is nothing more to do on those. */
static int sync_directory(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY), error = 0;
	if (fd < 0)
		return -1;
	if (fsync(fd) != 0 && errno != EINVAL)
		error = errno;
	close(fd);
	errno = error;
	return error ? -1 : 0;
}

/* The temporary file is made by mkstemp beside the target: a name nobody can
 * predict, created with O_EXCL, so a planted file or symlink is never
 * written through. It is synced before it takes the target's name, and the
 * directory after, so that a crash leaves the old file or the whole new
 * one. mkstemp makes it 0600: it gets what a new file would (0666 less the
 * umask). */
int file_write(const char *path, const char *data, size_t length, int replace,
	       struct diagnostics *diag)
{
	struct location at = {path, 0, 0};
	char *dir = directory_of(path), *temp = malloc(strlen(path) + 16);
	const char *failed_at = NULL;
	mode_t mask;
	int fd, error = 0;

	if (!temp)
		abort();
	snprintf(temp, strlen(path) + 16, "%s.tmp.XXXXXX", path);
	fd = mkstemp(temp);
	if (fd < 0) {
		diag_error(diag, at,
			   "cannot write: cannot create a temporary file in "
			   "%s: %s; nothing was %s",
			   dir, strerror(errno),
			   replace ? "changed" : "written");
		free(temp);
		free(dir);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		failed_at = "fchmod";
	else if (write_all(fd, data, length) != 0)
		failed_at = "write";
	else if (fsync(fd) != 0)
		failed_at = "fsync";
	if (failed_at)
		error = errno;
	if (close(fd) != 0 && !failed_at) {
		failed_at = "close";
		error = errno;
	}
	/* rename() replaces; link() fails when the name exists, which is what
	 * a new revision file needs. */
	if (!failed_at &&
	    (replace ? rename(temp, path) : link(temp, path)) != 0) {
		failed_at = replace ? "rename" : "link";
		error = errno;
	}
	if (failed_at) {
		unlink(temp);
		diag_error(diag, at,
			   replace
			       ? "cannot write: %s of %s failed: %s; nothing "
				 "was changed"
			       : "cannot create: %s of %s failed: %s; nothing "
				 "was written",
			   failed_at, temp, strerror(error));
		free(temp);
		free(dir);
		return -1;
	}
	if (!replace)
		unlink(temp);
	if (sync_directory(dir) != 0) {
		diag_error(diag, at,
			   "written, but syncing its directory %s failed: %s; "
			   "a crash now could lose the file",
			   dir, strerror(errno));
		free(temp);
		free(dir);
		return -1;
	}
	free(temp);
	free(dir);
	return 0;
}
