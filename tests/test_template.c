/* test_template.c: new revision files: Alembic's slug rule, template
 * placeholders and their errors, and never overwriting a revision. */
#include "generator_fixture.h"
#include "template.h"

#include "check_main.h"

static void expect_slug(const char *message, const char *want)
{
	char *slug = revision_slug(message);
	ck_assert_str_eq(slug, want);
	free(slug);
}

/* Expected values are what Alembic 1.8.1 makes of the same messages. */
START_TEST(slug_follows_alembic)
{
	expect_slug("create accounts", "create_accounts");
	expect_slug("Add a column, with punctuation!",
		    "add_a_column_with_punctuation");
	expect_slug("a very long message that will surely be longer than "
		    "forty characters",
		    "a_very_long_message_that_will_surely_be_");
	expect_slug("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_");
	expect_slug("  spaces  ", "spaces");
	expect_slug("under_score word", "under_score_word");
	expect_slug("", "");
}
END_TEST

START_TEST(render_replaces_every_placeholder)
{
	struct template_values v = {"abc", "none", "hello", "2026-01-01",
				    "auth", "def"};
	char *text = template_render("${revision}|${down_revision}|${message}"
				     "|${create_date}|${branch_labels}|"
				     "${depends_on}|$plain {x}",
				     "t", &v, &diag);
	ck_assert_str_eq(text, "abc|none|hello|2026-01-01|auth|def|$plain {x}");
	free(text);
}
END_TEST

START_TEST(unknown_placeholder_is_located)
{
	struct template_values v = {"abc", "none", "", "", "", ""};
	char *text = template_render("-- ok\n-- migc:revision ${revison}\n",
				     "versions/script.sql.tmpl", &v, &diag);
	ck_assert_ptr_null(text);
	ck_assert_str_eq(diag.items[0].text,
			 "versions/script.sql.tmpl:2:18: error: unknown "
			 "template placeholder; use ${revision}, "
			 "${down_revision}, ${message}, ${create_date}, "
			 "${branch_labels} or ${depends_on}");
}
END_TEST

static struct revision_request request(const char *id)
{
	struct revision_request r;
	r.versions = dir;
	r.rev_id = id;
	r.parents = "none";
	r.message = "First one";
	r.branch_labels = "";
	r.depends_on = "";
	return r;
}

START_TEST(create_writes_a_parsable_file_once)
{
	struct revision_request r = request("abc123");
	struct revision parsed;
	char *path = NULL, *text, want[4200];
	ck_assert_int_eq(revision_create(&r, &path, &diag), 0);
	snprintf(want, sizeof want, "%s/abc123_first_one.sql", dir);
	ck_assert_str_eq(path, want);
	text = test_read(path, NULL);
	memset(&parsed, 0, sizeof parsed);
	ck_assert_int_eq(revision_parse(&parsed, path, text, strlen(text),
					&diag),
			 0);
	ck_assert_str_eq(parsed.id.text, "abc123");
	ck_assert_uint_eq(parsed.down_count, 0);
	ck_assert_str_eq(parsed.message, "First one");
	revision_free(&parsed);
	free(path);
	/* The same id again must not replace the file. */
	ck_assert_int_ne(revision_create(&r, &path, &diag), 0);
	ck_assert_ptr_null(path);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text, "cannot create"));
}
END_TEST

START_TEST(random_ids_are_twelve_hex_digits)
{
	char a[13], b[13];
	size_t i;
	ck_assert_int_eq(revision_id_random(a), 0);
	ck_assert_int_eq(revision_id_random(b), 0);
	ck_assert_uint_eq(strlen(a), 12);
	for (i = 0; i < 12; i++)
		ck_assert(strchr("0123456789abcdef", a[i]) != NULL);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(project_template_is_used_and_checked)
{
	struct revision_request r = request("abc123");
	char *path = NULL, *text;
	test_write(dir, "script.sql.tmpl",
		   "-- house style: ${message}\n-- migc:revision ${revision}\n"
		   "-- migc:down_revision ${down_revision}\n"
		   "-- migc:upgrade\nSELECT 1;\n");
	ck_assert_int_eq(revision_create(&r, &path, &diag), 0);
	text = test_read(path, NULL);
	ck_assert_ptr_nonnull(strstr(text, "-- house style: First one\n"));
	free(text);
	free(path);
	/* A template that renders a broken revision writes nothing. */
	test_write(dir, "script.sql.tmpl",
		   "-- migc:revision ${revision}\n-- migc:upgrade\n");
	r.rev_id = "def456";
	ck_assert_int_ne(revision_create(&r, &path, &diag), 0);
	ck_assert_ptr_null(test_read("/nonexistent", NULL));
	{
		char want[4200];
		snprintf(want, sizeof want, "%s/def456_first_one.sql", dir);
		ck_assert_ptr_null(test_read(want, NULL));
	}
}
END_TEST

/* A revision that must run outside a transaction says so in its header,
 * also when the project's template has a transaction line of its own. */
START_TEST(filled_outside_a_transaction_replaces_the_templates_line)
{
	struct revision_request r = request("abc123");
	struct revision_body body = {NULL, "VACUUM;\n", "", 1};
	struct revision parsed;
	char *path = NULL, *text;
	test_write(dir, "script.sql.tmpl",
		   "-- migc:revision ${revision}\n"
		   "-- migc:down_revision ${down_revision}\n"
		   "-- migc:transaction required\n"
		   "-- migc:upgrade\n-- migc:downgrade\n");
	ck_assert_int_eq(revision_create_filled(&r, &body, &path, &diag), 0);
	text = test_read(path, NULL);
	ck_assert_ptr_null(strstr(text, "required"));
	memset(&parsed, 0, sizeof parsed);
	ck_assert_int_eq(
	    revision_parse(&parsed, path, text, strlen(text), &diag), 0);
	ck_assert_int_eq(parsed.no_transaction, 1);
	revision_free(&parsed); /* and text, which the parse took */
	free(path);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("template", fixture_setup, fixture_teardown, 0,
		       MIGC_SERVER_NONE, migc_file_tests);
