/* test_emit.c: the generated C: golden bytes, determinism, the checksum's
 * normalization, long statements, and that it compiles as strict C99. */
#include "generator_fixture.h"

#include "check_main.h"
#include <sys/stat.h>

static char *out; /* output */

static void setup(void)
{
	fixture_setup();
	out = test_tempdir();
}

static void teardown(void)
{
	fixture_teardown();
	test_remove_tree(out);
	free(out);
}

static int generate(const char *versions, const char *output)
{
	struct emit_options options = {"test_set", DIALECT_SQLITE, output,
				       LINT_WARN, 0};
	graph_free(&graph);
	if (graph_load(&graph, versions, &diag) != 0 ||
	    graph_build(&graph, &diag) != 0)
		return -1;
	return emit_set(&graph, &options, &diag);
}

static char *output_file(const char *output, const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", output, name);
	return test_read(path, NULL);
}

static int exists(const char *output, const char *name)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s", output, name);
	return stat(path, &st) == 0;
}

START_TEST(golden_output_is_byte_for_byte)
{
	char *c, *h, *want_c, *want_h;
	ck_assert_int_eq(generate(MIGC_TEST_DATA_DIR "/golden/versions", out),
			 0);
	c = output_file(out, "test_set.c");
	h = output_file(out, "test_set.h");
	want_c = test_read(MIGC_TEST_DATA_DIR "/golden/test_set.c", NULL);
	want_h = test_read(MIGC_TEST_DATA_DIR "/golden/test_set.h", NULL);
	ck_assert_ptr_nonnull(want_c);
	ck_assert_ptr_nonnull(want_h);
	ck_assert_str_eq(h, want_h);
	ck_assert_str_eq(c, want_c);
	/* No absolute path of the build leaks into the output. */
	ck_assert_ptr_null(strstr(c, MIGC_TEST_DATA_DIR));
	free(c);
	free(h);
	free(want_c);
	free(want_h);
}
END_TEST

START_TEST(same_input_gives_same_bytes)
{
	char *second = test_tempdir(), *a, *b;
	ck_assert_int_eq(generate(MIGC_TEST_DATA_DIR "/golden/versions", out),
			 0);
	ck_assert_int_eq(
		generate(MIGC_TEST_DATA_DIR "/golden/versions", second), 0);
	a = output_file(out, "test_set.c");
	b = output_file(second, "test_set.c");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	test_remove_tree(second);
	free(second);
}
END_TEST

static uint64_t checksum_of(const char *upgrade_body)
{
	struct statements list = {0};
	struct revision r;
	const struct section *s;
	char text[4096];
	uint64_t sum;
	snprintf(text, sizeof text,
		 "-- migc:revision aaaa\n-- migc:down_revision none\n"
		 "-- migc:upgrade\n%s",
		 upgrade_body);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(revision_parse(&r, "x.sql", strdup(text),
					strlen(text), &diag),
			 0);
	s = revision_section(&r, SECTION_UPGRADE, DIALECT_SQLITE);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sql_split(&list, DIALECT_SQLITE, &r, s, &diag), 0);
	sum = checksum_statements(&list);
	statements_free(&list);
	revision_free(&r);
	return sum;
}

START_TEST(checksum_ignores_line_endings_and_trailing_blanks)
{
	uint64_t plain = checksum_of("CREATE TABLE t (\n  x INTEGER\n);\n"
				     "INSERT INTO t VALUES (1);\n");
	ck_assert_uint_eq(plain,
			  checksum_of("CREATE TABLE t (\r\n  x INTEGER\r\n);"
				      "\r\nINSERT INTO t VALUES (1);\r\n"));
	ck_assert_uint_eq(plain,
			  checksum_of("CREATE TABLE t (   \n  x INTEGER\t\n);"
				      "  \n\nINSERT INTO t VALUES (1);   \n"));
	ck_assert_uint_ne(plain,
			  checksum_of("CREATE TABLE t (\n  x INTEGER\n);\n"
				      "INSERT INTO t VALUES (2);\n"));
	/* Where one statement ends is part of what runs. */
	ck_assert_uint_ne(checksum_of("SELECT 1; SELECT 2;"),
			  checksum_of("SELECT 1 SELECT 2;"));
}
END_TEST

START_TEST(long_statement_becomes_a_char_array)
{
	size_t length = 9000, i;
	char *text = malloc(length + 256), *c;
	int used = sprintf(text, "-- migc:revision aaaa\n"
				 "-- migc:down_revision none\n"
				 "-- migc:upgrade\nSELECT '");
	for (i = 0; i < length; i++)
		text[used + i] = (char)('a' + i % 26);
	strcpy(text + used + length, "';\n");
	test_write(dir, "a.sql", text);
	ck_assert_int_eq(generate(dir, out), 0);
	c = output_file(out, "test_set.c");
	ck_assert_ptr_nonnull(strstr(c, "static const char r0_up_0[] = {"));
	free(c);
	free(text);
}
END_TEST

START_TEST(generated_code_compiles_as_strict_c99)
{
	char command[8192];
	test_write(dir, "a.sql",
		   "-- migc:revision aaaa\n-- migc:down_revision none\n"
		   "-- migc:message quotes \" and \\ and ?\?= trigraphs\n"
		   "-- migc:branch_labels core\n"
		   "-- migc:upgrade\nCREATE TABLE t (x TEXT DEFAULT 'a\"b\\c?\?/');\n"
		   "INSERT INTO t VALUES ('caf\xc3\xa9\ttab');\n"
		   "-- migc:downgrade\nDROP TABLE t;\n");
	test_write(dir, "b.sql",
		   "-- migc:revision bbbb\n-- migc:down_revision aaaa\n"
		   "-- migc:transaction none\n-- migc:upgrade\n"
		   "VACUUM;\n");
	ck_assert_int_eq(generate(dir, out), 0);
	snprintf(command, sizeof command,
		 "'%s' -std=c99 -pedantic -Wall -Wextra -Werror -I'%s' "
		 "-I'%s' -c '%s/test_set.c' -o '%s/test_set.o'",
		 MIGC_TEST_CC, MIGC_RUNTIME_INCLUDE_DIR, out, out, out);
	ck_assert_int_eq(system(command), 0);
}
END_TEST

/* A versions directory of one root revision aaaa whose header ends in
 * `sections` fails to generate. */
static void generate_fails_on(const char *sections)
{
	char text[1024];
	snprintf(text, sizeof text,
		 "-- migc:revision aaaa\n-- migc:down_revision none\n%s",
		 sections);
	test_write(dir, "a.sql", text);
	ck_assert_int_ne(generate(dir, out), 0);
}

START_TEST(split_error_writes_no_output)
{
	generate_fails_on("-- migc:upgrade\nINSERT INTO t VALUES ('open;\n");
	ck_assert_uint_ge(diag.errors, 1);
	ck_assert(!exists(out, "test_set.c"));
	ck_assert(!exists(out, "test_set.h"));
}
END_TEST

START_TEST(revision_without_section_for_dialect_is_an_error)
{
	generate_fails_on("-- migc:upgrade postgresql\nSELECT 1;\n");
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_ptr_nonnull(strstr(
		diag.items[0].text,
		"a.sql:1:18: error: revision aaaa has no upgrade section for "
		"dialect sqlite; add '-- migc:upgrade' or '-- migc:upgrade "
		"sqlite'"));
	ck_assert(!exists(out, "test_set.c"));
}
END_TEST

START_TEST(unwritable_output_leaves_nothing_behind)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/missing/dir", out);
	ck_assert_int_ne(generate(MIGC_TEST_DATA_DIR "/golden/versions", path),
			 0);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text, "cannot write"));
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("emit", setup, teardown, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
