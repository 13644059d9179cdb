/* fuzz_cli.c: libFuzzer target over what people type: both command lines'
 * arguments (the embeddable one with the branchy set compiled in, and the
 * generator's main), database URLs as they are masked for printing, and
 * migc.ini. The input's first byte picks the reader; for the command
 * lines the rest is argv, NUL-separated.
 *
 * It runs in a directory of its own (versions/ with two revisions, a
 * SQLite file), and inputs that could reach outside it are skipped: an
 * argument with '/' other than "sqlite:///name", naming PostgreSQL, or
 * naming Alembic (which `import` runs), so no fuzzed command touches a
 * file, program or server of the machine. Start it
 * with -close_fd_mask=3: the commands print. Any crash, leak or undefined
 * behaviour is a bug; an exit status is not. */
#define _POSIX_C_SOURCE 200809L
#include "branchy_sqlite.h"
#include "command.h"
#include "migc_cli.h"
#include "project.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int migc_generator_main(int argc, char **argv);

#define MAX_ARGS 24

static const char root_revision[] =
    "-- migc:revision      aaaa00000001\n"
    "-- migc:down_revision none\n"
    "-- migc:message       root\n"
    "-- migc:upgrade\nCREATE TABLE a (x INTEGER);\n"
    "-- migc:downgrade\nDROP TABLE a;\n";
static const char child_revision[] =
    "-- migc:revision      bbbb00000002\n"
    "-- migc:down_revision aaaa00000001\n"
    "-- migc:message       child\n"
    "-- migc:branch_labels tags\n"
    "-- migc:upgrade\nCREATE TABLE b (y TEXT);\n"
    "-- migc:downgrade\nDROP TABLE b;\n";

static void write_file(const char *path, const char *text, size_t length)
{
	FILE *out = fopen(path, "wb");

	if (out == NULL)
		abort();
	if (length > 0 && fwrite(text, 1, length, out) != length)
		abort();
	fclose(out);
}

/* versions/ back to its two files (commands may add revisions). */
static void reset_versions(void)
{
	DIR *dir = opendir("versions");
	struct dirent *entry;
	char path[300];

	if (dir != NULL) {
		while ((entry = readdir(dir)) != NULL) {
			if (entry->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "versions/%s",
				 entry->d_name);
			unlink(path);
		}
		closedir(dir);
	}
	mkdir("versions", 0700);
	write_file("versions/aaaa00000001_root.sql", root_revision,
		   sizeof root_revision - 1);
	write_file("versions/bbbb00000002_child.sql", child_revision,
		   sizeof child_revision - 1);
}

static void sandbox(void)
{
	static int ready;
	char dir[] = "/tmp/migc-fuzz-cli-XXXXXX";

	if (ready)
		return;
	ready = 1;
	if (mkdtemp(dir) == NULL || chdir(dir) != 0)
		abort();
	/* Nothing from the environment names a database or a server. */
	unsetenv("MIGC_DATABASE_URL");
	unsetenv("PGHOST");
	unsetenv("PGDATABASE");
	unsetenv("PGPORT");
	unsetenv("PGUSER");
	unsetenv("PGSERVICE");
	setenv("PGHOST", "/nonexistent", 1);
	reset_versions();
}

/* 1 when the argument stays inside the sandbox. */
static int harmless(const char *argument)
{
	const char *slash;

	/* "alembic": `migc import alembic` runs the alembic program. */
	if (strstr(argument, "postgres") != NULL ||
	    strstr(argument, "..") != NULL ||
	    strstr(argument, "file:") != NULL ||
	    strstr(argument, "alembic") != NULL)
		return 0;
	slash = strchr(argument, '/');
	if (slash == NULL)
		return 1;
	/* sqlite:///name, with no further '/' */
	return strncmp(argument, "sqlite:///", 10) == 0 &&
	       strchr(argument + 10, '/') == NULL;
}

static int split_arguments(const char *data, size_t size, char **argv,
			   char *storage)
{
	int argc = 1;
	size_t start = 0;
	size_t i;

	argv[0] = (char *)"migc";
	memcpy(storage, data, size);
	storage[size] = '\0';
	for (i = 0; i <= size && argc < MAX_ARGS; i++) {
		if (i == size || storage[i] == '\0') {
			storage[i] = '\0';
			if (!harmless(storage + start))
				return -1;
			argv[argc++] = storage + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	return argc;
}

static void fuzz_url(const char *data, size_t size)
{
	char *url = malloc(size + 1);
	char once[512];
	char twice[512];
	size_t length;

	if (url == NULL)
		abort();
	memcpy(url, data, size);
	url[size] = '\0';
	length = migc_url_mask(once, sizeof once, url);
	if (length < sizeof once) {
		/* Masking is idempotent, and fits what it said. */
		if (strlen(once) != length)
			__builtin_trap();
		migc_url_mask(twice, sizeof twice, once);
		if (strcmp(once, twice) != 0)
			__builtin_trap();
	}
	snprintf(once, sizeof once, "cannot connect to %s: refused", url);
	migc_url_mask_in(once, sizeof once, url);
	if (memchr(once, '\0', sizeof once) == NULL)
		__builtin_trap();
	free(url);
}

static void fuzz_ini(const char *data, size_t size)
{
	struct diagnostics diag = {0};
	struct project project;

	/* Not migc.ini, and gone afterwards: a fuzzed file could send the
	 * generator's commands elsewhere (versions = /somewhere). */
	write_file("fuzzed.ini", data, size);
	if (project_load(&project, "fuzzed.ini", &diag) == 0)
		project_free(&project);
	diag_free(&diag);
	unlink("fuzzed.ini");
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[MAX_ARGS + 1];
	char *storage;
	int argc;

	if (size < 1 || size > 4096)
		return 0;
	sandbox();
	switch (data[0] % 4) {
	case 2:
		fuzz_url((const char *)data + 1, size - 1);
		return 0;
	case 3:
		fuzz_ini((const char *)data + 1, size - 1);
		return 0;
	default:
		break;
	}
	storage = malloc(size);
	if (storage == NULL)
		abort();
	argc = split_arguments((const char *)data + 1, size - 1, argv, storage);
	if (argc > 0) {
		if (data[0] % 4 == 0)
			(void)migc_cli_main(&branchy_sqlite, argc, argv);
		else
			(void)migc_generator_main(argc, argv);
		fflush(NULL);
	}
	free(storage);
	if (access("versions/aaaa00000001_root.sql", F_OK) != 0 ||
	    access("versions/bbbb00000002_child.sql", F_OK) != 0 ||
	    (data[0] % 4 == 1 && size > 1))
		reset_versions();
	return 0;
}
