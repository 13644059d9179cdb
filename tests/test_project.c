/* test_project.c: migc.ini, the project file: keys, defaults, paths
 * relative to the file, other tools' sections, and errors that name
 * file:line:column. */
#include "generator_fixture.h"
#include "project.h"

#include "check_main.h"

static struct project project;

static void setup(void)
{
	fixture_setup();
	memset(&project, 0, sizeof project);
}

static void teardown(void)
{
	project_free(&project);
	fixture_teardown();
}

/* Loads `text` as <dir>/migc.ini; the path is in `path`. */
static int load(const char *text, char *path, size_t size)
{
	test_write(dir, "migc.ini", text);
	snprintf(path, size, "%s/migc.ini", dir);
	return project_load(&project, path, &diag);
}

START_TEST(reads_every_key_relative_to_the_file)
{
	const char *path = MIGC_TEST_DATA_DIR "/autogen/project/migc.ini";
	ck_assert_int_eq(project_load(&project, path, &diag), 0);
	ck_assert_uint_eq(diag.count, 0);
	ck_assert_str_eq(project.path, path);
	ck_assert_str_eq(project.versions,
			 MIGC_TEST_DATA_DIR "/autogen/project/versions");
	ck_assert_str_eq(project.dialect, "sqlite");
	ck_assert_str_eq(project.schema,
			 MIGC_TEST_DATA_DIR "/autogen/project/schema.sql");
	ck_assert_str_eq(project.version_table, "app_version");
	ck_assert_str_eq(project.template_path, MIGC_TEST_DATA_DIR
			 "/autogen/project/templates/revision.sql.tmpl");
	ck_assert_ptr_null(project.url);
}
END_TEST

START_TEST(defaults_without_a_file)
{
	ck_assert_int_eq(project_load(&project, NULL, &diag), 0);
	ck_assert_ptr_null(project.path);
	ck_assert_str_eq(project.versions, "versions");
	ck_assert_str_eq(project.dialect, "sqlite");
	ck_assert_ptr_null(project.schema);
	ck_assert_ptr_null(project.url);
	ck_assert_ptr_null(project.version_table);
	ck_assert_ptr_null(project.template_path);
}
END_TEST

START_TEST(defaults_for_keys_left_out_and_absolute_paths_kept)
{
	char path[4200], want[4200];
	ck_assert_int_eq(load("[migc]\n"
			      "  dialect = postgresql  \n"
			      "url = postgresql://app@localhost/scratch\n"
			      "schema = /etc/app/schema.sql\n",
			      path, sizeof path),
			 0);
	snprintf(want, sizeof want, "%s/versions", dir);
	ck_assert_str_eq(project.versions, want);
	ck_assert_str_eq(project.dialect, "postgresql");
	ck_assert_str_eq(project.url, "postgresql://app@localhost/scratch");
	ck_assert_str_eq(project.schema, "/etc/app/schema.sql");
	ck_assert_ptr_null(project.version_table);
}
END_TEST

/* The one error `text` gives, after the file's path. */
static void expect_error(const char *text, const char *want)
{
	char path[4200], full[4400];
	ck_assert_int_eq(load(text, path, sizeof path), -1);
	ck_assert_uint_eq(diag.errors, 1);
	snprintf(full, sizeof full, "%s%s", path, want);
	ck_assert_str_eq(diag.items[0].text, full);
	/* Nothing half-read is left behind. */
	ck_assert_ptr_null(project.versions);
}

START_TEST(unknown_key)
{
	expect_error("[migc]\n# comment\n  sqlalchemy.url = x\n",
		     ":3:3: error: unknown key 'sqlalchemy.url'; use "
		     "versions, dialect, schema, url, version_table or "
		     "template");
}
END_TEST

START_TEST(line_without_equals)
{
	expect_error("[migc]\nversions versions\n",
		     ":2:1: error: expected 'key = value' (or a [section] "
		     "header)");
}
END_TEST

START_TEST(bad_dialect_points_at_the_value)
{
	expect_error("[migc]\ndialect = mysql\n",
		     ":2:11: error: dialect must be sqlite or postgresql");
}
END_TEST

START_TEST(key_set_twice)
{
	expect_error("[migc]\nschema = a.sql\n\nschema = b.sql\n",
		     ":4:1: error: 'schema' is set twice (first on line 2); "
		     "keep one");
}
END_TEST

START_TEST(setting_outside_a_section)
{
	expect_error("versions = v\n[migc]\n",
		     ":1:1: error: setting outside a section; put it under "
		     "[migc]");
}
END_TEST

START_TEST(unterminated_section_header)
{
	expect_error("[migc\nversions = v\n",
		     ":1:1: error: section header without ']'; write [migc]");
}
END_TEST

START_TEST(empty_value)
{
	expect_error("[migc]\nurl =\n",
		     ":2:6: error: 'url' has no value; give one or remove the "
		     "line");
}
END_TEST

START_TEST(no_migc_section)
{
	expect_error("[alembic]\nscript_location = x\n",
		     ": error: no [migc] section; add one with at least "
		     "'versions = versions'");
}
END_TEST

START_TEST(missing_file)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/absent.ini", dir);
	ck_assert_int_eq(project_load(&project, path, &diag), -1);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text,
				     "absent.ini: error: cannot read the "
				     "project file: No such file"));
}
END_TEST

START_TEST(every_error_is_reported)
{
	char path[4200];
	ck_assert_int_eq(
	    load("[migc]\nbad = 1\ndialect = x\nnope\n", path, sizeof path),
	    -1);
	ck_assert_uint_eq(diag.errors, 3);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("project", setup, teardown, 0, MIGC_SERVER_NONE,
		       migc_file_tests);
