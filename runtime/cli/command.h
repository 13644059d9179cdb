/* command.h: what the two command lines share, the embeddable one
 * (cli.c) and the generator's (generator/main.c): argument parsing on
 * getopt_long with one set of rules, and database URLs as they may be
 * shown. Uses stdio and the heap; not core. */
#ifndef MIGC_COMMAND_H
#define MIGC_COMMAND_H

#include <stddef.h>
#include <stdio.h>

/* ---- database URLs as shown ---- */

/* `url` as it may be printed: each password replaced by "***" as Alembic
 * (SQLAlchemy's URL) prints it, postgresql://user:***@host/db; also a
 * password=... query parameter and libpq's key=value form (password=***).
 * Writes at most `size` bytes, NUL included (nothing when size is 0), and
 * returns the length of the whole masked text, as snprintf does. */
size_t migc_url_mask(char *out, size_t size, const char *url);

/* Replaces in `message` (NUL-terminated, `size` bytes of room, edited in
 * place) each copy of a password that `url` holds by "***", for messages a
 * library wrote with the URL's pieces in them. */
void migc_url_mask_in(char *message, size_t size, const char *url);

/* ---- arguments ---- */

/* One option of a command line: "--name", with '-c' as its short form
 * when `short_name` is not 0. `commands` has bit i set when command i
 * takes it; 0 makes it a global option, taken before and after the
 * command. */
typedef struct migc_command_option {
	const char *name;
	int short_name;
	int takes_value;
	int id;
	unsigned long commands;
} migc_command_option;

/* The id of -h/--help in a command line's options: the parser takes it
 * itself (no on_option call) and asks print_help for the text. */
#define MIGC_COMMAND_HELP_OPTION (-1000)
/* The id of --version: the parser prints the line's `version` text. */
#define MIGC_COMMAND_VERSION_OPTION (-1001)

typedef struct migc_command_line {
	const char *program;	     /* as messages name it: "migc" */
	const char *const *commands; /* NULL-terminated command names */
	const migc_command_option *options;
	size_t option_count;
	/* Each option in order: its id, its value (NULL for a flag) and the
	 * command (-1 for an option before it). Each argument after the
	 * command. Both return 0 to go on, or a negative value that stops
	 * the parse and is returned. */
	int (*on_option)(int id, const char *value, int command, void *payload);
	int (*on_argument)(const char *argument, int command, void *payload);
	/* Prints the usage to stdout: the general text (command -1), or the
	 * command's own. */
	void (*print_help)(int command, void *payload);
	void *payload;
	/* What --version prints, one line ("migc 0.1.0"). */
	const char *version;
	/* A sentence added to "unknown command 'NAME'" (the nearest command
	 * is suggested already), or NULL; may itself be NULL. */
	const char *(*unknown_command_hint)(const char *name, void *payload);
} migc_command_line;

/* The program's name as messages start with it: `program` without its
 * directories ("./build/app-migrate" gives "app-migrate"). */
const char *migc_command_program_name(const char *program);

#define MIGC_COMMAND_USAGE (-1) /* a usage error was printed */
#define MIGC_COMMAND_HELP  (-2) /* the help (or --version) was printed */

/* The exit status of a usage error, as getopt-style programs use. */
#define MIGC_COMMAND_EXIT_USAGE 2

/* Parses `argv` as PROGRAM [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGUMENTS]
 * with getopt_long: "--name value", "--name=value", "-c value", "-cvalue",
 * grouped flags, unambiguous abbreviations of long names, "--" ending the
 * options, and "-1" or "-2:head" taken as arguments (relative targets)
 * where no option waits for a value. The command is the first argument,
 * and it is checked before any option: an unknown command is the error
 * whatever the options hold, and an option of another command is refused,
 * naming the commands that take it. -h/--help (MIGC_COMMAND_HELP_OPTION)
 * after a command prints that command's help, before it (or the command
 * "help") the general help, as Alembic's argparse does.
 *
 * Returns the command's index (>= 0); MIGC_COMMAND_HELP after the help;
 * MIGC_COMMAND_USAGE after a usage error (no command, an unknown command
 * or option, a missing value: see migc_command_usage_error); or what a
 * callback returned to stop.
 *
 * getopt_long keeps its state in globals (optind, optarg...): each call
 * starts over with optind = 0, which glibc and musl take as a full reset
 * (the BSDs' optreset is set as well), so that a program may parse again,
 * as the tests do; not for several threads at once. */
int migc_command_parse(const migc_command_line *line, int argc, char **argv);

/* The one way both command lines report a usage error, from the parser
 * or from a command that checks its arguments afterwards: "NAME: error:
 * MESSAGE" (NAME: migc_command_program_name) and where the usage is ("Run 'PROGRAM COMMAND --help' for its
 * usage.", or 'PROGRAM --help' when command is -1), on stderr. Returns
 * MIGC_COMMAND_EXIT_USAGE. */
int migc_command_usage_error(const migc_command_line *line, int command,
			     const char *format, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif /* MIGC_COMMAND_H */
