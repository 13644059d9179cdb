/* command.c: what the embeddable command line (cli.c) and the generator's
 * (generator/main.c) share: one argument parser on getopt_long, so that
 * both take options by the same rules, and database URLs with their
 * passwords masked, as Alembic shows them. Not core: stdio and the heap. */
#if !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* getopt_long, optreset on the BSDs */
#endif
#include "command.h"
#include "migc_text.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- database URLs as shown ---- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* The "://" after a scheme at the very start ([A-Za-z][A-Za-z0-9+.-]*, as
 * RFC 3986 and libpq read a URI), or NULL: "host=h password=a://b" is a
 * key=value string whatever its values hold. */
static const char *scheme_end_of(const char *url)
{
	const char *p = url;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return NULL;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '.' || *p == '-')
		p++;
	return strncmp(p, "://", 3) == 0 ? p : NULL;
}

/* scheme://[user[:password]@]host...: the password's span, when there is
 * one. It runs to the last '@' before the query, so that a password with
 * an '@' or '/' in it stays masked whole. */
static int userinfo_password(const char *url, size_t *begin, size_t *end)
{
	const char *scheme_end = scheme_end_of(url);
	const char *at = NULL;
	const char *p;
	const char *colon;

	if (scheme_end == NULL)
		return 0;
	colon = scheme_end + 3;
	while (*colon != '\0' && strchr(":@/?#", *colon) == NULL)
		colon++;
	if (*colon != ':')
		return 0;
	for (p = colon + 1; *p != '\0' && *p != '?' && *p != '#'; p++) {
		if (*p == '@')
			at = p;
	}
	if (at == NULL)
		return 0; /* host:port */
	*begin = (size_t)(colon + 1 - url);
	*end = (size_t)(at - url);
	return 1;
}

/* password=VALUE as a URL query parameter (up to '&') or in libpq's
 * key=value form (up to a space, or a quoted value), at or after `from`.
 * A URL's parameters are in its query, after the '?': "password=" before
 * it is part of the user or the password (u password=a:b&c@host has the
 * password "b&c"), whose span userinfo_password() gives. */
static int parameter_password(const char *url, size_t from, size_t *begin,
			      size_t *end)
{
	int in_url = scheme_end_of(url) != NULL;
	const char *query = in_url ? strchr(url, '?') : NULL;
	const char *p = url + from;

	if (in_url && query == NULL)
		return 0;
	if (in_url && p <= query)
		p = query + 1;
	while ((p = strstr(p, "password")) != NULL) {
		const char *value = p + 8;
		int starts =
		    p == url || p[-1] == '?' || p[-1] == '&' || is_space(p[-1]);

		p = value;
		while (!in_url && is_space(*value))
			value++;
		if (!starts || *value != '=')
			continue;
		value++;
		while (!in_url && is_space(*value))
			value++;
		*begin = (size_t)(value - url);
		if (in_url) {
			while (*value != '\0' && *value != '&' && *value != '#')
				value++;
		} else if (*value == '\'') {
			*begin += 1;
			for (value++; *value != '\0' && *value != '\''; value++)
				if (*value == '\\' && value[1] != '\0')
					value++;
		} else {
			while (*value != '\0' && !is_space(*value))
				value++;
		}
		*end = (size_t)(value - url);
		return 1;
	}
	return 0;
}

/* The first password span at or after `from`. */
static int next_password(const char *url, size_t from, size_t *begin,
			 size_t *end)
{
	size_t user_begin;
	size_t user_end;
	int found = parameter_password(url, from, begin, end);

	/* Strictly after `from`: an empty password (user:@host) is a span
	 * that ends where it begins, and must be found once. */
	if (userinfo_password(url, &user_begin, &user_end) &&
	    user_begin > from && (!found || user_begin < *begin)) {
		*begin = user_begin;
		*end = user_end;
		return 1;
	}
	return found;
}

size_t migc_url_mask(char *out, size_t size, const char *url)
{
	size_t at = 0;
	size_t begin;
	size_t end;
	migc_text text;

	if (url == NULL)
		url = "";
	migc_text_init(&text, out, size);
	while (next_password(url, at, &begin, &end)) {
		migc_text_add_n(&text, url + at, begin - at);
		migc_text_add_n(&text, "***", 3);
		at = end;
	}
	migc_text_add(&text, url + at);
	return text.needed;
}

/* Replaces each copy of the `length` bytes at `secret` in `message`. */
static void mask_copies(char *message, size_t size, const char *secret,
			size_t length)
{
	char *p = message;

	while (*p != '\0') {
		size_t offset = (size_t)(p - message);
		size_t tail;

		if (strncmp(p, secret, length) != 0) {
			p++;
			continue;
		}
		if (offset + 3 >= size) {
			*p = '\0'; /* no room for the mask: cut */
			return;
		}
		tail = strlen(p + length) + 1;
		if (offset + 3 + tail > size)
			tail = size - offset - 3;
		memmove(p + 3, p + length, tail);
		memcpy(p, "***", 3);
		message[size - 1] = '\0';
		p += 3;
	}
}

void migc_url_mask_in(char *message, size_t size, const char *url)
{
	size_t at = 0;
	size_t begin;
	size_t end;

	if (message == NULL || size == 0 || url == NULL)
		return;
	while (next_password(url, at, &begin, &end)) {
		if (end > begin)
			mask_copies(message, size, url + begin, end - begin);
		at = end;
	}
}

/* ---- arguments ---- */

#define VALUE_BASE 256 /* getopt_long's val for option i: VALUE_BASE + i */

static const migc_command_option *by_short(const migc_command_line *line, int c)
{
	size_t i;

	for (i = 0; c != 0 && i < line->option_count; i++) {
		if (line->options[i].short_name == c)
			return &line->options[i];
	}
	return NULL;
}

/* "--name" (without "=value"), exactly or as the one long name it starts. */
static const migc_command_option *by_long(const migc_command_line *line,
					  const char *text, size_t length)
{
	const migc_command_option *found = NULL;
	size_t i;

	for (i = 0; i < line->option_count; i++) {
		const char *name = line->options[i].name;

		if (strncmp(name, text, length) != 0)
			continue;
		if (name[length] == '\0')
			return &line->options[i];
		found = found == NULL ? &line->options[i] : NULL;
	}
	return found;
}

/* What getopt_long will make of argv, read ahead: the arguments that look
 * like options but are relative targets ("-1", "-2:head", arguments
 * unless an option waits for its value) are marked in `negative`, and the
 * index of the command (the first argument) is returned, 0 when there is
 * none, so that the command is checked before any option. */
static int scan(const migc_command_line *line, int argc, char **argv,
		unsigned char *negative)
{
	int waiting = 0;
	int command = 0;
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const migc_command_option *option;
		size_t j;

		if (waiting) {
			waiting = 0;
			continue;
		}
		if (strcmp(arg, "--") == 0)
			return command != 0   ? command
			       : i + 1 < argc ? i + 1
					      : 0;
		if (arg[0] == '-' && arg[1] >= '0' && arg[1] <= '9') {
			negative[i] = 1;
		} else if (arg[0] == '-' && arg[1] == '-') {
			option = by_long(line, arg + 2, strcspn(arg + 2, "="));
			waiting = option != NULL && option->takes_value &&
				  strchr(arg, '=') == NULL;
			continue;
		} else if (arg[0] == '-' && arg[1] != '\0') {
			for (j = 1; arg[j] != '\0'; j++) {
				option = by_short(line, arg[j]);
				if (option == NULL)
					break;
				if (option->takes_value) {
					waiting = arg[j + 1] == '\0';
					break;
				}
			}
			continue;
		}
		if (command == 0)
			command = i;
	}
	return command;
}

/* "--name" or "-c" as the user wrote it, for messages. */
static void option_text(char *out, size_t size,
			const migc_command_option *option)
{
	if (option->short_name != 0)
		snprintf(out, size, "-%c/--%s", option->short_name,
			 option->name);
	else
		snprintf(out, size, "--%s", option->name);
}

/* "upgrade and stamp": the commands that take `option`. */
static void commands_of(char *out, size_t size, const migc_command_line *line,
			const migc_command_option *option)
{
	migc_text text;
	size_t count = 0;
	size_t total = 0;
	size_t i;

	migc_text_init(&text, out, size);
	for (i = 0; line->commands[i] != NULL; i++)
		total += (option->commands >> i) & 1;
	for (i = 0; line->commands[i] != NULL; i++) {
		if (!((option->commands >> i) & 1))
			continue;
		count++;
		migc_text_add(&text, count == 1	      ? ""
				     : count == total ? " and "
						      : ", ");
		migc_text_add(&text, line->commands[i]);
	}
}

const char *migc_command_program_name(const char *program)
{
	const char *slash;

	if (program == NULL || program[0] == '\0')
		return "migc";
	slash = strrchr(program, '/');
	return slash != NULL && slash[1] != '\0' ? slash + 1 : program;
}

int migc_command_usage_error(const migc_command_line *line, int command,
			     const char *format, ...)
{
	char message[768];
	va_list arguments;

	va_start(arguments, format);
	vsnprintf(message, sizeof message, format, arguments);
	va_end(arguments);
	fprintf(stderr, "%s: error: %s\n",
		migc_command_program_name(line->program), message);
	if (command >= 0)
		fprintf(stderr, "Run '%s %s --help' for its usage.\n",
			line->program, line->commands[command]);
	else
		fprintf(stderr, "Run '%s --help' for usage.\n", line->program);
	return MIGC_COMMAND_EXIT_USAGE;
}

#define refuse(line, command, ...)                                             \
	(migc_command_usage_error(line, command, __VA_ARGS__),                 \
	 MIGC_COMMAND_USAGE)

/* An option is for every command (global) or for the ones it names. */
static int option_allowed(const migc_command_line *line,
			  const migc_command_option *option, int command)
{
	char text[128];
	char owners[256];

	if (option->commands == 0 ||
	    (command >= 0 && ((option->commands >> command) & 1)))
		return 0;
	option_text(text, sizeof text, option);
	commands_of(owners, sizeof owners, line, option);
	if (command < 0)
		return refuse(line, command,
			      "%s is an option of %s: put it after the "
			      "command",
			      text, owners);
	return refuse(line, command, "%s takes no %s option (it is for %s)",
		      line->commands[command], text, owners);
}

/* The edits (insertions, deletions, changes, swaps of two neighbours)
 * between `a` and `b`, counted up to 3: the nearest command's distance. */
static size_t edits(const char *a, const char *b)
{
	size_t rows[3][33];
	size_t m = strlen(a), n = strlen(b);
	size_t i, j;

	if (m > 32 || n > 32)
		return 3;
	for (j = 0; j <= n; j++)
		rows[0][j] = j;
	for (i = 1; i <= m; i++) {
		size_t *row = rows[i % 3], *up = rows[(i - 1) % 3];

		row[0] = i;
		for (j = 1; j <= n; j++) {
			size_t best = up[j - 1] + (a[i - 1] != b[j - 1]);

			if (up[j] + 1 < best)
				best = up[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] &&
			    rows[(i - 2) % 3][j - 2] + 1 < best)
				best = rows[(i - 2) % 3][j - 2] + 1;
			row[j] = best;
		}
	}
	return rows[m % 3][n] < 3 ? rows[m % 3][n] : 3;
}

/* The command `name` was probably meant to be: the one a prefix of, else
 * the one within two edits (one for short names), else NULL. */
static const char *nearest_command(const migc_command_line *line,
				   const char *name)
{
	const char *best = NULL;
	size_t best_edits = strlen(name) > 4 ? 3 : 2;
	size_t length = strlen(name);
	int i;

	for (i = 0; line->commands[i] != NULL; i++) {
		size_t distance = edits(name, line->commands[i]);

		if (length >= 2 &&
		    strncmp(line->commands[i], name, length) == 0)
			distance = 0;
		if (distance < best_edits) {
			best = line->commands[i];
			best_edits = distance;
		}
	}
	return best;
}

/* The index of the command named `name`, or -1 after a usage error. */
static int command_named(const migc_command_line *line, const char *name)
{
	const char *hint = NULL;
	const char *nearest;
	int i;

	for (i = 0; line->commands[i] != NULL; i++) {
		if (strcmp(line->commands[i], name) == 0)
			return i;
	}
	if (line->unknown_command_hint != NULL)
		hint = line->unknown_command_hint(name, line->payload);
	nearest = nearest_command(line, name);
	if (hint != NULL)
		(void)refuse(line, -1, "unknown command '%s': %s", name, hint);
	else if (nearest != NULL)
		(void)refuse(line, -1,
			     "unknown command '%s'; did you mean '%s'?", name,
			     nearest);
	else
		(void)refuse(line, -1, "unknown command '%s'", name);
	return -1;
}

/* The first argument is the command, the others go to on_argument. */
static int take_argument(const migc_command_line *line, const char *arg,
			 int *command)
{
	if (*command >= 0)
		return line->on_argument(arg, *command, line->payload);
	*command = command_named(line, arg);
	return *command >= 0 ? 0 : MIGC_COMMAND_USAGE;
}

/* What getopt_long could not take: an unknown or ambiguous option, a
 * value given to a flag, or a value missing. */
static int bad_option(const migc_command_line *line, int c, const char *arg,
		      int command)
{
	char text[128];
	const migc_command_option *option =
	    optopt >= VALUE_BASE ? &line->options[optopt - VALUE_BASE]
				 : by_short(line, optopt);

	if (c == ':' && option != NULL) {
		option_text(text, sizeof text, option);
		return refuse(line, command, "%s needs a value", text);
	}
	if (option != NULL && arg != NULL && strncmp(arg, "--", 2) == 0) {
		option_text(text, sizeof text, option);
		return refuse(line, command, "%s takes no value ('%s')", text,
			      arg);
	}
	if (arg != NULL && strncmp(arg, "--", 2) == 0 &&
	    by_long(line, arg + 2, strcspn(arg + 2, "=")) == NULL &&
	    optopt == 0) {
		size_t length = strcspn(arg, "=");

		snprintf(text, sizeof text, "%.*s",
			 (int)(length < 100 ? length : 100), arg);
		return refuse(line, command, "unknown or ambiguous option '%s'",
			      text);
	}
	text[0] = (char)optopt;
	text[1] = '\0';
	return refuse(line, command, "unknown option '-%s'", text);
}

/* getopt_long's tables for `line`: option i has val VALUE_BASE + i. */
static void getopt_tables(const migc_command_line *line, struct option *longs,
			  char *shorts)
{
	size_t used = 0;
	size_t i;

	/* '-': arguments come back in order (code 1), so the command is
	 * known before the options after it; ':': a missing value is ':'. */
	shorts[used++] = '-';
	shorts[used++] = ':';
	for (i = 0; i < line->option_count; i++) {
		const migc_command_option *option = &line->options[i];

		longs[i].name = option->name;
		longs[i].has_arg =
		    option->takes_value ? required_argument : no_argument;
		longs[i].val = VALUE_BASE + (int)i;
		if (option->short_name != 0) {
			shorts[used++] = (char)option->short_name;
			if (option->takes_value)
				shorts[used++] = ':';
		}
	}
	shorts[used] = '\0';
}

static void getopt_reset(void)
{
	optind = 0; /* a full reset on glibc and musl */
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) ||       \
    defined(__OpenBSD__) || defined(__DragonFly__)
	optreset = 1;
	optind = 1;
#endif
	opterr = 0;
}

/* -h/--help as seen: after which command (-1 before one); --version. */
struct help {
	int seen;
	int command;
	int version;
};

/* One option getopt_long took: allowed here, then given to on_option. */
static int take_option(const migc_command_line *line, int c, int command,
		       struct help *help)
{
	const migc_command_option *option = c >= VALUE_BASE
						? &line->options[c - VALUE_BASE]
						: by_short(line, c);
	int rc = option_allowed(line, option, command);

	if (rc != 0)
		return rc;
	if (option->id == MIGC_COMMAND_HELP_OPTION) {
		help->seen = 1;
		help->command = command;
		return 0;
	}
	if (option->id == MIGC_COMMAND_VERSION_OPTION) {
		help->version = 1;
		return 0;
	}
	return line->on_option(option->id, option->takes_value ? optarg : NULL,
			       command, line->payload);
}

/* The end of a parse that went through: the help, or the command. */
static int finish(const migc_command_line *line, int command,
		  const struct help *help)
{
	int is_help =
	    command >= 0 && strcmp(line->commands[command], "help") == 0;

	if (help->version && !help->seen) {
		printf("%s\n", line->version != NULL ? line->version : "migc");
		return MIGC_COMMAND_HELP;
	}
	if (help->seen || is_help) {
		/* -h before the command (or the help command) is the
		 * general help, as Alembic's argparse gives it. */
		line->print_help(help->seen && help->command >= 0 && !is_help
				     ? help->command
				     : -1,
				 line->payload);
		return MIGC_COMMAND_HELP;
	}
	if (command < 0)
		return refuse(line, -1, "no command given");
	return command;
}

int migc_command_parse(const migc_command_line *line, int argc, char **argv)
{
	struct option *longs = calloc(line->option_count + 1, sizeof *longs);
	char *shorts = malloc(2 * line->option_count + 3);
	char **args = calloc((size_t)argc + 1, sizeof *args);
	unsigned char *negative = calloc((size_t)argc + 1, 1);
	struct help help = {0, -1, 0};
	int command = -1;
	int rc = 0;
	int c;

	if (longs == NULL || shorts == NULL || args == NULL || negative == NULL)
		abort();
	getopt_tables(line, longs, shorts);
	c = scan(line, argc, argv, negative);
	if (c > 0 && command_named(line, argv[c]) < 0)
		rc = MIGC_COMMAND_USAGE;
	/* getopt_long sees "-1" as "1": an argument, given back as is. */
	for (c = 0; c < argc; c++)
		args[c] = negative[c] ? argv[c] + 1 : argv[c];
	getopt_reset();
	while (rc == 0 &&
	       (c = getopt_long(argc, args, shorts, longs, NULL)) != -1) {
		if (c == 1)
			rc = take_argument(
			    line,
			    negative[optind - 1] ? argv[optind - 1] : optarg,
			    &command);
		else if (c == '?' || c == ':')
			rc = bad_option(line, c,
					optind - 1 < argc ? argv[optind - 1]
							  : NULL,
					command);
		else
			rc = take_option(line, c, command, &help);
	}
	/* After "--": arguments only. */
	for (c = optind; rc == 0 && c < argc; c++)
		rc = take_argument(line, argv[c], &command);
	free(longs);
	free(shorts);
	free(args);
	free(negative);
	return rc != 0 ? rc : finish(line, command, &help);
}
