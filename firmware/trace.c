/* trace.c: the host's side of the firmware test. Runs the image's steps
 * (steps.c) with the host build of the runtime and the same set through
 * the same RAM driver, checks that they reach what they should (head, its
 * parent, head), and writes the trace as a C header (expected_trace.h)
 * that the image embeds and compares its own trace against.
 * Usage: firmware-trace <output header> */
#include <stdio.h>
#include <string.h>

#include "app_migrations.h"
#include "steps.h"

static void quoted(FILE *out, const char *text, size_t length)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '"' || c == '\\' || c == '?')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20 || c > 0x7e)
			fprintf(out, "\\%03o", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void write_line(const char *event, const char *text, size_t length,
		       uint64_t number, void *payload)
{
	FILE *out = payload;

	fprintf(out, "\t{\"%s\", ", event);
	quoted(out, text, length);
	fprintf(out, ", %lluu},\n", (unsigned long long)number);
}

/* After each step the row is the set's one head, stored with its digest;
 * after the power loss the head's parent, with none (the upgrade did not
 * finish); the host's own check, so that a trace both builds would agree
 * on but that misses the goal is refused too. */
static int reached(unsigned step, const ram_database *db)
{
	const migc_set *set = &app_migrations;
	int lost = step == FIRMWARE_STEP_POWER_LOSS;
	const char *want = set->revisions[set->revision_count - 1 - lost].id;

	return set->head_count == 1 &&
	       set->heads[0] == set->revision_count - 1 &&
	       db->live.row_count == 1 && strcmp(db->live.rows[0], want) == 0 &&
	       db->live.digests[0] == (lost ? 0 : set->digest);
}

int main(int argc, char **argv)
{
	static ram_database db;
	migc_driver driver;
	migc_error error;
	FILE *out;
	unsigned step;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <expected_trace.h>\n", argv[0]);
		return 2;
	}
	out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 1;
	}
	fprintf(out,
		"/* expected_trace.h: the host's trace of the firmware "
		"steps over %s,\n * written by firmware/trace.c for "
		"firmware/image.c. */\n"
		"static const trace_line expected_trace[] = {\n",
		app_migrations.name);
	ram_driver(&driver, &db, app_migrations.dialect, write_line, out);
	for (step = 0; step < FIRMWARE_STEP_COUNT; step++) {
		if (firmware_step(step, &app_migrations, &driver, write_line,
				  out, &error) != MIGC_OK) {
			fprintf(stderr, "firmware-trace: step %u: %s\n",
				step + 1, error.message);
			fclose(out);
			return 1;
		}
		if (!reached(step, &db)) {
			fprintf(stderr,
				"firmware-trace: step %u left the "
				"version rows elsewhere\n",
				step + 1);
			fclose(out);
			return 1;
		}
	}
	fputs("};\n", out);
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
