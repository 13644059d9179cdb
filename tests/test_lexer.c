/* test_lexer.c: the revision file parser (revision.c) and the statement
 * splitters (lexer.re). Diagnostics are compared as exact text; the SQLite
 * splitter is checked against SQLite's own parser on many scripts. */
#include "gen.h"

#include "check_main.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define HEADER "-- migc:revision r1\n-- migc:down_revision none\n"
/* Bodies written after HEADER_UPGRADE start on line 4. */
#define HEADER_UPGRADE HEADER "-- migc:upgrade\n"
#define BODY_LINE      4

static char *copy_of(const char *text, size_t length)
{
	char *copy = malloc(length + 1);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, length);
	copy[length] = '\0';
	return copy;
}

static int parse_n(struct revision *r, const char *text, size_t length,
		   struct diagnostics *d)
{
	return revision_parse(r, "versions/r1_test.sql", copy_of(text, length),
			      length, d);
}

static int parse(struct revision *r, const char *text, struct diagnostics *d)
{
	return parse_n(r, text, strlen(text), d);
}

/* Parses `text` and expects exactly the diagnostics listed (NULL-ended). */
static void expect_errors(const char *text, ...)
{
	struct revision r;
	struct diagnostics d = {0};
	const char *expected;
	size_t i = 0;
	va_list args;

	ck_assert_int_eq(parse(&r, text, &d), -1);
	va_start(args, text);
	while ((expected = va_arg(args, const char *)) != NULL) {
		ck_assert_msg(i < d.count, "missing diagnostic: %s", expected);
		ck_assert_str_eq(d.items[i].text, expected);
		i++;
	}
	va_end(args);
	if (i < d.count)
		ck_abort_msg("unexpected diagnostic: %s", d.items[i].text);
	revision_free(&r);
	diag_free(&d);
}

static void expect_location(struct location at, int line, int column)
{
	ck_assert_str_eq(at.file, "versions/r1_test.sql");
	ck_assert_int_eq(at.line, line);
	ck_assert_int_eq(at.column, column);
}

/* A name read from the header, and where it stands. */
static void expect_name(struct name_ref name, const char *text, int line,
			int column)
{
	ck_assert_str_eq(name.text, text);
	expect_location(name.at, line, column);
}

/* The one diagnostic in `d`. */
static void expect_one_diagnostic(const struct diagnostics *d, const char *text)
{
	ck_assert_uint_eq(d->count, 1);
	ck_assert_str_eq(d->items[0].text, text);
}

static const char *section_text(const struct revision *r,
				const struct section *s, char *buffer,
				size_t size)
{
	size_t n = s->end - s->begin;
	ck_assert_uint_lt(n, size);
	memcpy(buffer, r->text + s->begin, n);
	buffer[n] = '\0';
	return buffer;
}

/* ---- parsing ---- */

MIGC_TESTS(lexer_tests_1);

START_TEST(full_header)
{
	static const char text[] =
	    "-- migc:revision      1a2b3c4d5e6f\n"
	    "-- migc:down_revision none\n"
	    "-- migc:message       create users table  \n"
	    "-- migc:create_date   2026-11-23 10:00:00\n"
	    "-- migc:branch_labels auth\n"
	    "-- migc:depends_on    9f8e7d6c5b4a\n"
	    "-- a plain comment\n"
	    "\n"
	    "-- migc:upgrade\n"
	    "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
	    "\n"
	    "-- migc:downgrade\n"
	    "DROP TABLE users;\n";
	struct revision r;
	struct diagnostics d = {0};
	const struct section *s;
	char body[256];

	ck_assert_int_eq(parse(&r, text, &d), 0);
	ck_assert_uint_eq(d.count, 0);
	ck_assert_str_eq(r.path, "versions/r1_test.sql");
	ck_assert_str_eq(r.file_name, "r1_test.sql");
	expect_name(r.id, "1a2b3c4d5e6f", 1, 23);
	ck_assert_int_eq(r.has_down_revision, 1);
	expect_location(r.down_at, 2, 4);
	ck_assert_uint_eq(r.down_count, 0);
	ck_assert_str_eq(r.message, "create users table");
	ck_assert_str_eq(r.create_date, "2026-11-23 10:00:00");
	ck_assert_uint_eq(r.label_count, 1);
	expect_name(r.labels[0], "auth", 5, 23);
	ck_assert_uint_eq(r.depends_on_count, 1);
	expect_name(r.depends_on[0], "9f8e7d6c5b4a", 6, 23);
	ck_assert_int_eq(r.no_transaction, 0);

	ck_assert_uint_eq(r.section_count, 2);
	s = revision_section(&r, SECTION_UPGRADE, DIALECT_SQLITE);
	ck_assert_ptr_eq(s, &r.sections[0]);
	ck_assert_int_eq(s->dialect, DIALECT_GENERIC);
	expect_location(s->at, 9, 4);
	ck_assert_int_eq(s->body_line, 10);
	ck_assert_str_eq(section_text(&r, s, body, sizeof body),
			 "CREATE TABLE users (id INTEGER PRIMARY KEY);\n\n");
	s = revision_section(&r, SECTION_DOWNGRADE, DIALECT_POSTGRESQL);
	ck_assert_ptr_eq(s, &r.sections[1]);
	ck_assert_int_eq(s->body_line, 13);
	ck_assert_str_eq(section_text(&r, s, body, sizeof body),
			 "DROP TABLE users;\n");
	revision_free(&r);
	diag_free(&d);
}
END_TEST

START_TEST(merge_labels_depends_on)
{
	static const char text[] = "--migc:revision m3\n"
				   "  --   migc:down_revision a1,  b_2 ,c3\n"
				   "-- migc:branch_labels auth, billing\n"
				   "-- migc:depends_on x1,y2\n"
				   "-- migc:transaction none\n"
				   "-- migc:upgrade\n";
	struct revision r;
	struct diagnostics d = {0};

	ck_assert_int_eq(parse(&r, text, &d), 0);
	expect_name(r.id, "m3", 1, 17);
	expect_location(r.down_at, 2, 8);
	ck_assert_uint_eq(r.down_count, 3);
	expect_name(r.down[0], "a1", 2, 27);
	expect_name(r.down[1], "b_2", 2, 32);
	expect_name(r.down[2], "c3", 2, 37);
	ck_assert_uint_eq(r.label_count, 2);
	ck_assert_str_eq(r.labels[0].text, "auth");
	expect_name(r.labels[1], "billing", 3, 29);
	ck_assert_uint_eq(r.depends_on_count, 2);
	expect_name(r.depends_on[1], "y2", 4, 23);
	ck_assert_int_eq(r.no_transaction, 1);
	ck_assert_str_eq(r.message, "");
	ck_assert_str_eq(r.create_date, "");
	/* An empty upgrade section at the end of the file is fine. */
	ck_assert_uint_eq(r.section_count, 1);
	ck_assert_uint_eq(r.sections[0].begin, strlen(text));
	ck_assert_uint_eq(r.sections[0].end, strlen(text));
	revision_free(&r);
	diag_free(&d);
}
END_TEST

START_TEST(transaction_required)
{
	struct revision r;
	struct diagnostics d = {0};

	ck_assert_int_eq(parse(&r,
			       HEADER "-- migc:transaction required\n"
				      "-- migc:upgrade\n",
			       &d),
			 0);
	ck_assert_int_eq(r.no_transaction, 0);
	revision_free(&r);
	diag_free(&d);
}
END_TEST

START_TEST(dialect_sections)
{
	static const char text[] = HEADER "-- migc:upgrade\n"
					  "generic up;\n"
					  "-- migc:upgrade sqlite\n"
					  "sqlite up;\n"
					  "-- migc:downgrade postgresql  \n"
					  "pg down;\n";
	struct revision r;
	struct diagnostics d = {0};
	char body[64];

	ck_assert_int_eq(parse(&r, text, &d), 0);
	ck_assert_uint_eq(r.section_count, 3);
	ck_assert_int_eq(r.sections[1].dialect, DIALECT_SQLITE);
	ck_assert_int_eq(r.sections[2].dialect, DIALECT_POSTGRESQL);
	ck_assert_int_eq(r.sections[2].kind, SECTION_DOWNGRADE);
	ck_assert_ptr_eq(revision_section(&r, SECTION_UPGRADE, DIALECT_SQLITE),
			 &r.sections[1]);
	ck_assert_ptr_eq(
	    revision_section(&r, SECTION_UPGRADE, DIALECT_POSTGRESQL),
	    &r.sections[0]);
	ck_assert_ptr_eq(revision_section(&r, SECTION_UPGRADE, DIALECT_GENERIC),
			 &r.sections[0]);
	ck_assert_ptr_eq(
	    revision_section(&r, SECTION_DOWNGRADE, DIALECT_POSTGRESQL),
	    &r.sections[2]);
	ck_assert_ptr_null(
	    revision_section(&r, SECTION_DOWNGRADE, DIALECT_SQLITE));
	ck_assert_str_eq(section_text(&r, &r.sections[0], body, sizeof body),
			 "generic up;\n");
	ck_assert_str_eq(section_text(&r, &r.sections[1], body, sizeof body),
			 "sqlite up;\n");
	ck_assert_int_eq(r.sections[2].body_line, 8);
	revision_free(&r);
	diag_free(&d);
}
END_TEST

START_TEST(crlf_file)
{
	static const char text[] =
	    "-- migc:revision abc\r\n"
	    "-- migc:down_revision x, y\r\n"
	    "-- migc:message  with CR LF \r\n"
	    "\r\n"
	    "-- migc:upgrade sqlite\r\n"
	    "CREATE TABLE t (a);\r\n"
	    "INSERT INTO t VALUES ('x'),\r\n  ('y');\r\n";
	struct revision r;
	struct diagnostics d = {0};
	struct statements st = {0};

	ck_assert_int_eq(parse(&r, text, &d), 0);
	ck_assert_str_eq(r.id.text, "abc");
	ck_assert_uint_eq(r.down_count, 2);
	ck_assert_str_eq(r.down[1].text, "y");
	ck_assert_str_eq(r.message, "with CR LF");
	ck_assert_int_eq(r.sections[0].dialect, DIALECT_SQLITE);
	ck_assert_int_eq(sql_split(&st, DIALECT_SQLITE, &r, &r.sections[0], &d),
			 0);
	ck_assert_uint_eq(st.count, 2);
	ck_assert_str_eq(st.items[0].sql, "CREATE TABLE t (a)");
	ck_assert_int_eq(st.items[0].line, 6);
	ck_assert_str_eq(st.items[1].sql,
			 "INSERT INTO t VALUES ('x'),\n  ('y')");
	ck_assert_uint_eq(st.items[1].length, strlen(st.items[1].sql));
	ck_assert_int_eq(st.items[1].line, 7);
	statements_free(&st);
	revision_free(&r);
	diag_free(&d);
}
END_TEST

START_TEST(byte_order_mark)
{
	struct revision r;
	struct diagnostics d = {0};

	ck_assert_int_eq(
	    parse(&r, "\xEF\xBB\xBF" HEADER_UPGRADE "SELECT 1;\n", &d), 0);
	expect_name(r.id, "r1", 1, 18);
	expect_location(r.sections[0].at, 3, 4);
	revision_free(&r);
	diag_free(&d);

	expect_errors("\xEF\xBB\xBF-- migc:revison r1\n",
		      "versions/r1_test.sql:1:4: error: unknown directive "
		      "'migc:revison'; known directives: revision, "
		      "down_revision, message, create_date, branch_labels, "
		      "depends_on, transaction, parse, allow, baseline_of, "
		      "repeatable, upgrade, downgrade",
		      "versions/r1_test.sql:1:1: error: no '-- migc:revision' "
		      "directive; add one at the top, e.g. "
		      "'-- migc:revision 1a2b3c4d5e6f'",
		      "versions/r1_test.sql:1:1: error: no "
		      "'-- migc:down_revision' directive; add "
		      "'-- migc:down_revision none' for a first revision, "
		      "else name its parent",
		      "versions/r1_test.sql:1:1: error: revision has no "
		      "'-- migc:upgrade' section; add one (it may be empty)",
		      NULL);
}
END_TEST

START_TEST(id_of_32_characters)
{
	struct revision r;
	struct diagnostics d = {0};

	ck_assert_int_eq(parse(&r,
			       "-- migc:revision "
			       "abcdefghijklmnopqrstuvwxyz_01234\n"
			       "-- migc:down_revision none\n-- migc:upgrade\n",
			       &d),
			 0);
	ck_assert_uint_eq(strlen(r.id.text), 32);
	revision_free(&r);
	diag_free(&d);
}
END_TEST

/* ---- parse errors, exact text ---- */

#define AT(line, column) "versions/r1_test.sql:" #line ":" #column ": error: "

MIGC_TESTS(lexer_tests_2);

START_TEST(unknown_directive)
{
	expect_errors(HEADER "-- migc:revison abc\n-- migc:upgrade\n"
			     "SELECT 1;\n  --migc:upgarde\n",
		      AT(3, 4) "unknown directive 'migc:revison'; known "
			       "directives: revision, down_revision, message, "
			       "create_date, branch_labels, depends_on, "
			       "transaction, parse, allow, baseline_of, "
			       "repeatable, upgrade, downgrade",
		      AT(6, 5) "unknown directive 'migc:upgarde'; known "
			       "directives: revision, down_revision, message, "
			       "create_date, branch_labels, depends_on, "
			       "transaction, parse, allow, baseline_of, "
			       "repeatable, upgrade, downgrade",
		      NULL);
}
END_TEST

START_TEST(duplicate_directive)
{
	expect_errors(HEADER "-- migc:message one\n-- migc:revision r2\n"
			     "-- migc:message two\n-- migc:upgrade\n",
		      AT(4, 4) "duplicate '-- migc:revision' directive (first "
			       "at line 1); keep one",
		      AT(5, 4) "duplicate '-- migc:message' directive (first "
			       "at line 3); keep one",
		      NULL);
}
END_TEST

START_TEST(missing_revision)
{
	expect_errors("-- migc:down_revision none\n-- migc:upgrade\n",
		      AT(1, 1) "no '-- migc:revision' directive; add one at "
			       "the top, e.g. '-- migc:revision 1a2b3c4d5e6f'",
		      NULL);
}
END_TEST

START_TEST(missing_down_revision)
{
	expect_errors("\n-- migc:revision abc\n-- migc:upgrade\n",
		      AT(2, 4) "no '-- migc:down_revision' directive; add "
			       "'-- migc:down_revision none' for a first "
			       "revision, else name its parent",
		      NULL);
}
END_TEST

START_TEST(bad_ids)
{
	expect_errors(
	    "-- migc:revision  abc-def\n"
	    "-- migc:down_revision a1, b c,, none\n"
	    "-- migc:branch_labels ok, not.ok\n"
	    "-- migc:depends_on  x$\n"
	    "-- migc:upgrade\n",
	    AT(1, 19) "invalid revision id 'abc-def'; an id is 1 to "
		      "32 letters, digits or underscores",
	    AT(2, 27) "invalid revision id 'b c'; an id is 1 to 32 "
		      "letters, digits or underscores",
	    AT(2, 31) "empty entry in '-- migc:down_revision'; "
		      "remove the extra comma",
	    AT(2, 33) "'none' in a list in '-- migc:down_revision'; "
		      "write 'none' alone or list only names",
	    AT(3, 27) "invalid branch label 'not.ok'; a label is "
		      "letters, digits or underscores",
	    AT(4, 21) "invalid dependency 'x$'; name a revision id or "
		      "a branch label (letters, digits or "
		      "underscores)",
	    NULL);
	expect_errors(
	    "-- migc:revision abcdefghijklmnopqrstuvwxyz_012345\n"
	    "-- migc:down_revision none\n-- migc:upgrade\n",
	    AT(1, 18) "invalid revision id "
		      "'abcdefghijklmnopqrstuvwxyz_012345'; an id is 1 "
		      "to 32 letters, digits or underscores",
	    NULL);
}
END_TEST

START_TEST(missing_values)
{
	expect_errors("-- migc:revision\n-- migc:down_revision  \n"
		      "-- migc:transaction\n-- migc:upgrade\n",
		      AT(1, 17) "'-- migc:revision' needs a value; write the "
				"revision id after it",
		      AT(2, 24) "'-- migc:down_revision' needs a value; write "
				"'none' for a first revision, else the parent "
				"revision ids after it",
		      AT(3, 20) "'-- migc:transaction' needs a value; write "
				"'none' or 'required' after it",
		      NULL);
}
END_TEST

START_TEST(bad_transaction)
{
	expect_errors(
	    HEADER "-- migc:transaction  never\n-- migc:upgrade\n",
	    AT(3, 22) "unknown transaction mode 'never'; write 'none' "
		      "to run outside a transaction or 'required' "
		      "(the default)",
	    NULL);
}
END_TEST

START_TEST(missing_upgrade)
{
	expect_errors("\n\n-- migc:revision abc\n-- migc:down_revision none\n"
		      "-- migc:downgrade\nDROP TABLE t;\n",
		      AT(3, 4) "revision abc has no '-- migc:upgrade' section; "
			       "add one (it may be empty)",
		      NULL);
}
END_TEST

START_TEST(unknown_dialect)
{
	/* The upgrade section with the bad dialect still counts as one. */
	expect_errors(HEADER "-- migc:upgrade   mysql\nSELECT 1;\n",
		      AT(3, 19) "unknown dialect 'mysql'; write 'sqlite' or "
				"'postgresql', or nothing for a section every "
				"dialect uses",
		      NULL);
}
END_TEST

START_TEST(duplicate_section)
{
	expect_errors(HEADER "-- migc:upgrade sqlite\n-- migc:upgrade\n"
			     "-- migc:downgrade\n-- migc:upgrade sqlite\n"
			     "-- migc:downgrade\n",
		      AT(6, 4) "duplicate '-- migc:upgrade sqlite' section "
			       "(first at line 3); merge the two into one",
		      AT(7, 4) "duplicate '-- migc:downgrade' section (first "
			       "at line 5); merge the two into one",
		      NULL);
}
END_TEST

START_TEST(sql_in_header)
{
	/* One error per run of stray lines, at the first non-blank byte. */
	expect_errors(HEADER
		      "  CREATE TABLE t (a);\nINSERT INTO t VALUES (1);\n"
		      "-- comment\n/* x */\n-- migc:upgrade\n",
		      AT(3, 3) "SQL outside a section; put it under "
			       "'-- migc:upgrade' or '-- migc:downgrade'",
		      AT(6, 1) "SQL outside a section; put it under "
			       "'-- migc:upgrade' or '-- migc:downgrade'",
		      NULL);
}
END_TEST

START_TEST(header_after_section)
{
	expect_errors(HEADER "-- migc:upgrade\nSELECT 1;\n"
			     "-- migc:message late\n-- migc:downgrade\n"
			     "  -- migc:depends_on x\n",
		      AT(5, 4) "'-- migc:message' after a section; move it "
			       "above the first '-- migc:upgrade' or "
			       "'-- migc:downgrade'",
		      AT(7, 6) "'-- migc:depends_on' after a section; move it "
			       "above the first '-- migc:upgrade' or "
			       "'-- migc:downgrade'",
		      NULL);
}
END_TEST

START_TEST(nul_byte)
{
	static const char text[] = HEADER "-- migc:upgrade\nSELECT\0 1;\n";
	struct revision r;
	struct diagnostics d = {0};

	ck_assert_int_eq(parse_n(&r, text, sizeof text - 1, &d), -1);
	expect_one_diagnostic(
	    &d, AT(4, 7) "NUL byte in the file; a revision file is "
			 "text, remove it");
	revision_free(&r);
	diag_free(&d);
}
END_TEST

/* ---- splitting ---- */

struct split_result {
	struct revision r;
	struct diagnostics d;
	struct statements st;
	int rc;
};

/* Parses `head` then `body` as one revision file and splits its first
 * section. */
static void split_text(struct split_result *out, enum dialect dialect,
		       const char *head, const char *body)
{
	size_t n = strlen(head) + strlen(body);
	char *text = malloc(n + 1);

	memset(out, 0, sizeof *out);
	strcpy(text, head);
	strcat(text, body);
	ck_assert_int_eq(
	    revision_parse(&out->r, "versions/r1_test.sql", text, n, &out->d),
	    0);
	out->rc =
	    sql_split(&out->st, dialect, &out->r, &out->r.sections[0], &out->d);
}

static void split(struct split_result *out, enum dialect dialect,
		  const char *body)
{
	split_text(out, dialect, HEADER_UPGRADE, body);
}

static void split_free(struct split_result *s)
{
	statements_free(&s->st);
	revision_free(&s->r);
	diag_free(&s->d);
}

/* Splits `body` and expects the statements listed as (sql, line) pairs. */
static void expect_split(enum dialect dialect, const char *body, ...)
{
	struct split_result s;
	const char *sql;
	size_t i = 0;
	va_list args;

	split(&s, dialect, body);
	ck_assert_msg(s.rc == 0, "%s", s.d.count ? s.d.items[0].text : "");
	va_start(args, body);
	while ((sql = va_arg(args, const char *)) != NULL) {
		int line = va_arg(args, int);
		ck_assert_msg(i < s.st.count, "missing statement: %s", sql);
		ck_assert_str_eq(s.st.items[i].sql, sql);
		ck_assert_int_eq(s.st.items[i].line, line);
		i++;
	}
	va_end(args);
	if (i < s.st.count)
		ck_abort_msg("unexpected statement: %s", s.st.items[i].sql);
	split_free(&s);
}

static void expect_split_error(enum dialect dialect, const char *body,
			       const char *message)
{
	struct split_result s;

	split(&s, dialect, body);
	ck_assert_int_eq(s.rc, -1);
	expect_one_diagnostic(&s.d, message);
	split_free(&s);
}

MIGC_TESTS(lexer_tests_3);

START_TEST(sqlite_statements_and_lines)
{
	expect_split(DIALECT_SQLITE,
		     "\n-- intro; with a semicolon\n"
		     "CREATE TABLE t (a); /* x; */ INSERT INTO t\n"
		     "VALUES ('a;b') -- trailing; comment\n"
		     ";;\n"
		     "  ;\n"
		     "/* tail */ SELECT 1 -- no semicolon\n"
		     "/* only comments after */\n",
		     "CREATE TABLE t (a)", BODY_LINE + 2,
		     "INSERT INTO t\nVALUES ('a;b')", BODY_LINE + 2, "SELECT 1",
		     BODY_LINE + 6, NULL);
	expect_split(DIALECT_SQLITE, "", NULL);
	expect_split(DIALECT_SQLITE, "  \n-- nothing\n/* here */ ;\n", NULL);
}
END_TEST

/* A trigger whose body holds semicolons, CASE ... END and the word END
 * where it ends nothing; the final END is the caller's. */
#define TRIGGER_BODY                                                           \
	"CREATE TEMP TRIGGER tr AFTER INSERT ON t\n"                           \
	"WHEN CASE new.a WHEN 1 THEN 1 END\n"                                  \
	"BEGIN\n"                                                              \
	"  UPDATE t SET b = CASE WHEN new.a > 0 THEN CASE new.a\n"             \
	"    WHEN 1 THEN 'one;' ELSE \"end\" END ELSE 0 END;\n"                \
	"  SELECT new.end, backend FROM t; -- END;\n"

START_TEST(sqlite_triggers)
{
	expect_split(DIALECT_SQLITE, TRIGGER_BODY "END; SELECT 2;\n",
		     TRIGGER_BODY "END", BODY_LINE, "SELECT 2", BODY_LINE + 6,
		     NULL);
}
END_TEST

START_TEST(sqlite_unterminated)
{
	expect_split_error(DIALECT_SQLITE, "SELECT 1;\nSELECT 'abc;\nx;\n",
			   AT(5, 8) "unterminated string literal starting "
				    "here; close it with '");
	expect_split_error(DIALECT_SQLITE, "SELECT \"abc;\n",
			   AT(4, 8) "unterminated quoted identifier starting "
				    "here; close it with \"");
	expect_split_error(DIALECT_SQLITE, "\n\n  SELECT `abc;\n",
			   AT(6, 10) "unterminated quoted identifier starting "
				     "here; close it with `");
	expect_split_error(DIALECT_SQLITE, "SELECT [abc;\n",
			   AT(4, 8) "unterminated bracketed identifier "
				    "starting here; close it with ]");
	expect_split_error(DIALECT_SQLITE, "SELECT 1; /* abc;\n",
			   AT(4, 11) "unterminated block comment starting "
				     "here; close it with */");
	/* SQLite comments do not nest: this one is closed. */
	expect_split(DIALECT_SQLITE, "/* a /* b */ SELECT 1;", "SELECT 1",
		     BODY_LINE, NULL);
}
END_TEST

START_TEST(sqlite_trigger_without_end)
{
	expect_split_error(
	    DIALECT_SQLITE,
	    "SELECT 1;\n  create trigger tr after insert on t "
	    "begin\n  select 1;\n",
	    AT(5, 3) "trigger has BEGIN but no END; end its body "
		     "with 'END;' after the last statement's ';'");
	/* END must follow the body's last ';'. */
	expect_split_error(
	    DIALECT_SQLITE,
	    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1 "
	    "END; SELECT 2;",
	    AT(4, 1) "trigger has BEGIN but no END; end its body "
		     "with 'END;' after the last statement's ';'");
}
END_TEST

START_TEST(unterminated_in_later_section)
{
	struct revision r;
	struct diagnostics d = {0};
	struct statements st = {0};

	ck_assert_int_eq(parse(&r,
			       HEADER_UPGRADE "SELECT 1;\n"
					      "-- migc:downgrade\n"
					      "\tDELETE FROM t WHERE a = 'x;\n",
			       &d),
			 0);
	ck_assert_int_eq(sql_split(&st, DIALECT_SQLITE, &r, &r.sections[0], &d),
			 0);
	ck_assert_int_eq(sql_split(&st, DIALECT_SQLITE, &r, &r.sections[1], &d),
			 -1);
	ck_assert_uint_eq(st.count, 1);
	expect_one_diagnostic(&d,
			      AT(6, 26) "unterminated string literal starting "
					"here; close it with '");
	statements_free(&st);
	revision_free(&r);
	diag_free(&d);
}
END_TEST

START_TEST(postgresql_statements)
{
	expect_split(
	    DIALECT_POSTGRESQL,
	    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ "
	    "LANGUAGE sql;\n"
	    "CREATE FUNCTION g() RETURNS int AS $body$\n"
	    "BEGIN RETURN $1 + $$;$$; END; -- $body inside\n"
	    "$body$ LANGUAGE plpgsql;\n"
	    "/* outer /* nested; */ still; */ SELECT E'it\\'s; here', "
	    "'a''b;', U&'d\\0061t;a', \"semi;\"\"colon\";\n"
	    "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a "
	    "VALUES (1); INSERT INTO b VALUES (2));\n"
	    "CREATE OR REPLACE FUNCTION h(x int) RETURNS int LANGUAGE sql\n"
	    "BEGIN ATOMIC\n"
	    "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n"
	    "  SELECT 2;\n"
	    "END;\n"
	    "SELECT a$b$ FROM t; SELECT 1 -- tail\n",
	    "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ "
	    "LANGUAGE sql",
	    BODY_LINE,
	    "CREATE FUNCTION g() RETURNS int AS $body$\n"
	    "BEGIN RETURN $1 + $$;$$; END; -- $body inside\n"
	    "$body$ LANGUAGE plpgsql",
	    BODY_LINE + 1,
	    "SELECT E'it\\'s; here', 'a''b;', U&'d\\0061t;a', "
	    "\"semi;\"\"colon\"",
	    BODY_LINE + 4,
	    "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a "
	    "VALUES (1); INSERT INTO b VALUES (2))",
	    BODY_LINE + 5,
	    "CREATE OR REPLACE FUNCTION h(x int) RETURNS int LANGUAGE sql\n"
	    "BEGIN ATOMIC\n"
	    "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n"
	    "  SELECT 2;\n"
	    "END",
	    BODY_LINE + 6, "SELECT a$b$ FROM t", BODY_LINE + 11, "SELECT 1",
	    BODY_LINE + 11, NULL);
	/* SQLite's rules on the same text differ: no nesting, no $$. */
	expect_split(DIALECT_SQLITE, "SELECT $$; $$;", "SELECT $$", BODY_LINE,
		     "$$", BODY_LINE, NULL);
}
END_TEST

START_TEST(postgresql_errors)
{
	expect_split_error(DIALECT_POSTGRESQL,
			   "SELECT 1;\nCREATE FUNCTION f() AS $fn$ SELECT 1; "
			   "$FN$ $fn $ LANGUAGE sql;\n",
			   AT(5, 24) "unterminated dollar-quoted string "
				     "starting here; close it with $fn$");
	expect_split_error(DIALECT_POSTGRESQL, "/* a /* b */ SELECT 1;\n",
			   AT(4, 1) "unterminated block comment starting "
				    "here; close it with */");
	expect_split_error(DIALECT_POSTGRESQL, "SELECT e'a\\';\n",
			   AT(4, 8) "unterminated string literal starting "
				    "here; close it with '");
	expect_split_error(DIALECT_POSTGRESQL, "SELECT U&\"a;\n",
			   AT(4, 10) "unterminated quoted identifier starting "
				     "here; close it with \"");
	expect_split_error(DIALECT_POSTGRESQL,
			   "SELECT 1;\n  \\connect other\nSELECT 2 \\\\;\n",
			   AT(5, 3) "psql meta-command '\\connect' is not SQL; "
				    "migc sends each statement to the server, "
				    "so write it as SQL or remove it");
	/* PostgreSQL's parser decides: the body runs to the end. */
	expect_split_error(
	    DIALECT_POSTGRESQL, "CREATE PROCEDURE p() BEGIN ATOMIC SELECT 1;\n",
	    AT(5, 1) "syntax error at end of input (PostgreSQL 15's "
		     "parser); correct the statement, or, when a newer "
		     "PostgreSQL accepts it, add '-- migc:parse none' to the "
		     "revision's header to skip the check");
}
END_TEST

/* Issue 14: PostgreSQL's own parser splits and checks; a statement the
 * server would reject fails at its file:line:column (the column in bytes,
 * after a multi-byte character too). */
START_TEST(postgresql_syntax_errors_fail_the_split)
{
	expect_split_error(DIALECT_POSTGRESQL,
			   "CREATE TABLE accounts (id bigint);\n"
			   "CREAT TABLE tags (id int);\n",
			   AT(5, 1) "syntax error at or near \"CREAT\" "
				    "(PostgreSQL 15's parser); correct the "
				    "statement, or, when a newer PostgreSQL "
				    "accepts it, add '-- migc:parse none' to the "
				    "revision's header to skip the check");
	expect_split_error(DIALECT_POSTGRESQL,
			   "SELECT 'h\xC3\xA9', 1;\nSELECT 'h\xC3\xA9' FROM;\n",
			   AT(5, 18) "syntax error at or near \";\" "
				     "(PostgreSQL 15's parser); correct the "
				     "statement, or, when a newer PostgreSQL "
				     "accepts it, add '-- migc:parse none' to "
				     "the revision's header to skip the check");
	/* SQLite's grammar is not PostgreSQL's. */
	expect_split_error(DIALECT_POSTGRESQL, "PRAGMA user_version = 3;\n",
			   AT(4, 1) "syntax error at or near \"PRAGMA\" "
				    "(PostgreSQL 15's parser); correct the "
				    "statement, or, when a newer PostgreSQL "
				    "accepts it, add '-- migc:parse none' to the "
				    "revision's header to skip the check");
}
END_TEST

/* The way out for syntax newer than the grammar: the scanner alone. */
START_TEST(parse_none_splits_without_the_grammar)
{
	struct split_result s;

	split_text(&s, DIALECT_POSTGRESQL,
		   HEADER "-- migc:parse none\n-- migc:upgrade\n",
		   "CREAT TABLE tags (id int); -- a future keyword\n"
		   "SELECT ';' AS semicolon;\n");
	ck_assert_int_eq(s.r.no_parse, 1);
	ck_assert_int_eq(s.rc, 0);
	ck_assert_uint_eq(s.st.count, 2);
	ck_assert_str_eq(s.st.items[0].sql, "CREAT TABLE tags (id int)");
	ck_assert_int_eq(s.st.items[0].line, 5);
	ck_assert_str_eq(s.st.items[1].sql, "SELECT ';' AS semicolon");
	ck_assert_int_eq(s.st.items[1].line, 6);
	split_free(&s);
	expect_errors(HEADER "-- migc:parse later\n-- migc:upgrade\nSELECT 1;\n",
		      AT(3, 15) "unknown parse mode 'later'; write 'none' to "
				"split this revision without PostgreSQL's "
				"grammar check (for syntax newer than it) or "
				"'required' (the default)",
		      NULL);
}
END_TEST

/* ---- the SQLite splitter against SQLite ---- */

static const char *const scripts[] = {
    "CREATE TABLE t(a); INSERT INTO t VALUES(1);",
    "CREATE TABLE t(a TEXT); INSERT INTO t VALUES('a;b'), ('it''s; fine');",
    "CREATE TABLE \"semi;colon\"(\"x;\"\"y\" INTEGER);\n"
    "INSERT INTO \"semi;colon\" VALUES (1);",
    "CREATE TABLE [we;ird](`back;tick` INT, [br;ack] INT);\n"
    "INSERT INTO [we;ird] VALUES (1, 2);",
    "-- leading comment; with semicolon\nCREATE TABLE t(a); -- trailing; "
    "comment\nINSERT INTO t VALUES (1);",
    "/* block; comment */ CREATE TABLE t(a /* inner; */); /* between; */ "
    "INSERT INTO t VALUES (2);",
    "CREATE TABLE t(a); SELECT * FROM t",
    "CREATE TABLE t(a);\n-- only a comment at the end; really\n",
    "CREATE TABLE t(a);\n/* block comment tail; */\n   \n",
    "CREATE TABLE t(a); ; ;; INSERT INTO t VALUES(1);;",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
    "  INSERT INTO log VALUES (new.a);\n"
    "  INSERT INTO log VALUES (new.a * 2);\n"
    "END;\nINSERT INTO t VALUES (5);",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES "
    "(CASE WHEN new.a > 1 THEN 'big' ELSE 'small' END); END;\n"
    "INSERT INTO t VALUES (1), (2);",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
    "  INSERT INTO log VALUES (CASE WHEN new.a > 1 THEN CASE new.a WHEN 2 "
    "THEN 'two' ELSE 'many' END ELSE 'no' END);\n"
    "END; INSERT INTO t VALUES (1), (2), (3);",
    "CREATE TABLE t(a); CREATE TABLE log(x); INSERT INTO log VALUES (NULL);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
    "  UPDATE log SET x = CASE WHEN x IS NULL THEN 0 ELSE x + 1 END;\n"
    "END;\nINSERT INTO t VALUES (1); INSERT INTO t VALUES (2);",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t WHEN CASE new.a WHEN 1 THEN 1 "
    "ELSE 0 END BEGIN INSERT INTO log VALUES (new.a); END;\n"
    "INSERT INTO t VALUES (1), (2);",
    "CREATE TABLE t(a, b); CREATE VIEW v AS SELECT a, b FROM t;\n"
    "CREATE TRIGGER v_ins INSTEAD OF INSERT ON v BEGIN\n"
    "  INSERT INTO t VALUES (new.a, new.b);\n"
    "END;\nINSERT INTO v VALUES (1, 2);",
    "CREATE TABLE t(a, b); CREATE VIEW v AS SELECT a, b FROM t;\n"
    "CREATE TRIGGER v_upd INSTEAD OF UPDATE OF b ON v FOR EACH ROW BEGIN\n"
    "  UPDATE t SET b = CASE WHEN new.b IS NULL THEN 'null;' ELSE new.b "
    "END WHERE a = old.a;\nEND;\n"
    "INSERT INTO t VALUES (1, 2); UPDATE v SET b = NULL;",
    "CREATE TABLE t(a);\n"
    "CREATE TEMP TRIGGER tt AFTER INSERT ON t BEGIN UPDATE t SET a = a + 1 "
    "WHERE rowid = new.rowid; END;\nINSERT INTO t VALUES(1);",
    "CREATE TABLE t(a);\n"
    "CREATE TEMPORARY TRIGGER IF NOT EXISTS tt BEFORE INSERT ON t BEGIN "
    "SELECT 1; SELECT 2; END;\nINSERT INTO t VALUES(1);",
    "create table t(a); create table log(x);\n"
    "create trigger tr after insert on t begin insert into log values "
    "(new.a); end;\ninsert into t values (7);",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CrEaTe TeMp TrIgGeR tr AfTeR InSeRt On t BeGiN InSeRt InTo log "
    "VaLuEs (CaSe WhEn 1 ThEn 2 EnD); EnD;\nINSERT INTO t VALUES (7);",
    "CREATE TABLE t(backend TEXT, \"end\" INT, ending INT);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET backend = "
    "'x;y', \"end\" = 1 WHERE rowid = new.rowid; END;\n"
    "INSERT INTO t(ending) VALUES (3);",
    "CREATE TABLE t(end INT, begin INT); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t WHEN new.begin > 0 BEGIN\n"
    "  INSERT INTO log VALUES (new.end);\n  SELECT end FROM t;\nEND;\n"
    "INSERT INTO t VALUES (1, 2);",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES "
    "('END; not really'); END;\nINSERT INTO t VALUES (1);",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN -- END;\n"
    "  INSERT INTO log VALUES (1); /* END; */\n"
    "  -- done;\nEND -- really\n;\nINSERT INTO t VALUES (1);",
    "CREATE TABLE a(x); CREATE TABLE b(y); INSERT INTO a VALUES(1); INSERT "
    "INTO b SELECT x FROM a;",
    "CREATE TABLE \xC3\xBCn\xC3\xAF(\xE5\x90\x8D\xE5\x89\x8D TEXT);\n"
    "INSERT INTO \xC3\xBCn\xC3\xAF VALUES ('\xE6\x97\xA5\xE6\x9C\xAC; "
    "\xE3\x83\x86'), ('emoji \xF0\x9F\x98\x80;');",
    "CREATE TABLE t(\n  a INTEGER, -- first; column\n\n  b TEXT /* second; "
    "*/\n);\n\nINSERT INTO t VALUES (1, 'x');",
    "CREATE TABLE t(a); CREATE TABLE log(x); CREATE TRIGGER tr AFTER "
    "INSERT ON t BEGIN INSERT INTO log VALUES (1); END; INSERT INTO t "
    "VALUES (1); SELECT * FROM log;",
    "CREATE TABLE t(b BLOB); INSERT INTO t VALUES (x'00ff'), (X'3B');",
    "CREATE TABLE n(v); INSERT INTO n WITH RECURSIVE c(x) AS (SELECT 1 "
    "UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c;",
    "CREATE TABLE t(a CHECK (CASE WHEN a > 0 THEN 1 ELSE 0 END));\n"
    "INSERT INTO t VALUES (1);",
    "BEGIN; CREATE TABLE t(a); COMMIT;\n"
    "BEGIN TRANSACTION; INSERT INTO t VALUES (1); END TRANSACTION;",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
    "  INSERT INTO log SELECT CASE WHEN (SELECT count(*) FROM log) > 0 THEN "
    "'CASE' END;\nEND;\nINSERT INTO t VALUES (1); INSERT INTO t VALUES (2);",
    "CREATE TABLE t(a); INSERT INTO t VALUES (1);\n"
    "CREATE TRIGGER tr BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no; "
    "deleting'); END;",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER t1 AFTER INSERT ON t BEGIN INSERT INTO log VALUES (1); "
    "END;\nCREATE TRIGGER t2 AFTER INSERT ON t BEGIN INSERT INTO log "
    "VALUES (2); END;\nINSERT INTO t VALUES (0);",
    "CREATE TABLE t(a); CREATE TABLE log(x); INSERT INTO t VALUES (1);\n"
    "CREATE TRIGGER tr AFTER UPDATE OF a ON t FOR EACH ROW WHEN new.a <> "
    "old.a BEGIN\n  INSERT INTO log VALUES (old.a || ';' || new.a);\nEND;\n"
    "UPDATE t SET a = 2;",
    "CREATE TABLE t(a);\r\nINSERT INTO t VALUES ('x');\r\n-- crlf; "
    "comment\r\nINSERT INTO t VALUES (2);\r\n",
    "CREATE TABLE t(a); -- tail without newline",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE /* x; */ TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log "
    "VALUES (1); END;\nCREATE\nTEMP\n-- c;\nTRIGGER tr2 AFTER INSERT ON t "
    "BEGIN INSERT INTO log VALUES (2); END;\nINSERT INTO t VALUES (1);",
    "CREATE TABLE t$1(a$b); INSERT INTO t$1 VALUES (1);",
    "CREATE TABLE \"case\"(\"begin\" INT, [end] INT); CREATE TABLE log(x);\n"
    "CREATE TRIGGER \"begin\" AFTER INSERT ON \"case\" BEGIN INSERT INTO "
    "log VALUES (new.\"begin\"); END;\nINSERT INTO \"case\" VALUES (1, 2);",
    "CREATE VIEW v AS SELECT CASE WHEN 1 THEN 'a;' END AS c;",
    "CREATE TABLE t(a); CREATE INDEX i ON t(a) WHERE a > 0;",
    "CREATE TABLE t(a, b); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
    "  INSERT INTO log VALUES (CASE new.a WHEN 1 THEN 'a' END);\n"
    "  INSERT INTO log VALUES (CASE WHEN new.b THEN (SELECT CASE WHEN 1 "
    "THEN 'x' END) END);\n  -- done;\nEND;\n"
    "INSERT INTO t VALUES (1, 1);",
    "CREATE TABLE triggers(begin_at INT, end_at INT, case_id INT);\n"
    "CREATE TRIGGER x AFTER INSERT ON triggers BEGIN UPDATE triggers SET "
    "end_at = begin_at WHERE case_id = new.case_id; END;\n"
    "INSERT INTO triggers VALUES (1, 2, 3);",
    "CREATE TABLE kv(k TEXT PRIMARY KEY, v INT);\n"
    "INSERT INTO kv VALUES ('a;', 1) ON CONFLICT(k) DO UPDATE SET v = v + 1;"
    "\nINSERT INTO kv VALUES ('a;', 1) ON CONFLICT(k) DO UPDATE SET v = v + "
    "1;",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t WHEN new.a = 'BEGIN' BEGIN INSERT "
    "INTO log VALUES ('END'); END;\nINSERT INTO t VALUES ('BEGIN');",
    "CREATE TABLE t(a); CREATE TABLE log(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES "
    "(1);END;INSERT INTO t VALUES (1);SELECT 1",
    "/* only; a comment */",
    "  \n  -- nothing; here\n",
    "CREATE TABLE t(a);\n/* comment */ -- and another; \n/* last */",
    "EXPLAIN QUERY PLAN SELECT 1; CREATE TABLE t(a);",
    "CREATE TABLE t(a, b);\n"
    "CREATE TRIGGER tr AFTER DELETE ON t BEGIN\n"
    "  DELETE FROM t WHERE a = old.b;\n"
    "  UPDATE t SET b = (SELECT CASE count(*) WHEN 0 THEN NULL END FROM t);"
    "\nEND;\nINSERT INTO t VALUES (1, 2), (2, 3); DELETE FROM t WHERE a = 1;",
    "CREATE TABLE t(a); CREATE TABLE \"log\"\"s\"(x);\n"
    "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO \"log\"\"s\" "
    "SELECT [end] FROM (SELECT 1 AS [end]); END;\nINSERT INTO t VALUES (1);",
};

#define SCRIPT_COUNT ((int)(sizeof scripts / sizeof *scripts))

static const char *skip_trivia(const char *p, const char *end)
{
	for (;;) {
		while (p < end && strchr(" \t\r\n\f;", *p))
			p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
			while (p < end && *p != '\n')
				p++;
		} else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
			const char *close = strstr(p + 2, "*/");
			p = close && close + 2 <= end ? close + 2 : end;
		} else
			return p;
	}
}

/* True when SQLite finds no statement in [p, end): only blanks, comments
 * and semicolons. */
static int only_trivia(sqlite3 *db, const char *p, const char *end)
{
	char *text = copy_of(p, (size_t)(end - p));
	const char *tail = text;
	int ok = 1;

	while (*tail && ok) {
		sqlite3_stmt *stmt = NULL;
		const char *next;
		if (sqlite3_prepare_v2(db, tail, -1, &stmt, &next) !=
			SQLITE_OK ||
		    stmt || next == tail)
			ok = 0;
		sqlite3_finalize(stmt);
		tail = next;
	}
	free(text);
	return ok;
}

static char *without_cr(const char *p, const char *end)
{
	char *copy = copy_of(p, (size_t)(end - p)), *q = copy;

	for (; p < end; p++)
		if (!(p[0] == '\r' && p + 1 < end && p[1] == '\n'))
			*q++ = *p;
	*q = '\0';
	return copy;
}

static int line_in_script(const char *script, const char *at)
{
	int line = BODY_LINE;
	for (; script < at; script++)
		line += *script == '\n';
	return line;
}

static int append_row(void *payload, int columns, char **values, char **names)
{
	int i;
	(void)names;
	for (i = 0; i < columns; i++)
		sqlite3_str_appendf(payload, "%s|",
				    values[i] ? values[i] : "NULL");
	sqlite3_str_appendchar(payload, 1, '\n');
	return 0;
}

/* Schema (main and temp) and every table's rows, as text (NULL if none). */
static char *dump(sqlite3 *db)
{
	sqlite3_str *out = sqlite3_str_new(db);
	sqlite3_stmt *tables;

	ck_assert_int_eq(sqlite3_exec(db,
				      "SELECT type, name, tbl_name, sql FROM "
				      "sqlite_master UNION ALL SELECT type, "
				      "name, tbl_name, sql FROM "
				      "sqlite_temp_master ORDER BY 1, 2",
				      append_row, out, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT name FROM sqlite_master "
					    "WHERE type = 'table' ORDER BY 1",
					    -1, &tables, NULL),
			 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		char *query = sqlite3_mprintf("SELECT * FROM \"%w\"",
					      sqlite3_column_text(tables, 0));
		ck_assert_int_eq(sqlite3_exec(db, query, append_row, out, NULL),
				 SQLITE_OK);
		sqlite3_free(query);
	}
	sqlite3_finalize(tables);
	return sqlite3_str_finish(out);
}

static sqlite3 *open_memory(void)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static void run(sqlite3 *db, sqlite3_stmt *stmt)
{
	int rc;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		;
	ck_assert_msg(rc == SQLITE_DONE, "%s", sqlite3_errmsg(db));
}

MIGC_TESTS(lexer_tests_4);

START_LOOP_TEST(splitter_matches_sqlite, SCRIPT_COUNT)
{
	const char *script = scripts[_i];
	const char *end = script + strlen(script), *tail = script;
	struct split_result s;
	sqlite3 *db = open_memory(), *by_split = open_memory(),
		*by_exec = open_memory();
	char *split_dump, *exec_dump, *error = NULL;
	size_t k = 0, i;

	split(&s, DIALECT_SQLITE, script);
	ck_assert_msg(s.rc == 0, "%s", s.d.count ? s.d.items[0].text : "");

	/* (1) SQLite's own statement boundaries, statement by statement. */
	while (*tail) {
		sqlite3_stmt *stmt = NULL;
		const char *next, *first;
		char *piece;
		size_t n;

		ck_assert_msg(sqlite3_prepare_v2(db, tail, -1, &stmt, &next) ==
				  SQLITE_OK,
			      "%s", sqlite3_errmsg(db));
		if (!stmt) {
			if (next == tail)
				break;
			tail = next;
			continue;
		}
		ck_assert_msg(k < s.st.count, "splitter missed: %s", tail);
		first = skip_trivia(tail, next);
		piece = without_cr(first, next);
		n = s.st.items[k].length;
		ck_assert_msg(strncmp(piece, s.st.items[k].sql, n) == 0,
			      "statement %zu: splitter '%s', SQLite '%s'", k,
			      s.st.items[k].sql, piece);
		ck_assert_msg(
		    only_trivia(db, piece + n, piece + strlen(piece)),
		    "statement %zu: splitter '%s' stops early in '%s'", k,
		    s.st.items[k].sql, piece);
		ck_assert_int_eq(s.st.items[k].line,
				 line_in_script(script, first));
		free(piece);
		run(db, stmt);
		sqlite3_finalize(stmt);
		k++;
		tail = next;
	}
	ck_assert_uint_eq(k, s.st.count);
	ck_assert_ptr_eq(skip_trivia(tail, end), end);

	/* (2) Each statement is complete with its ';' and not before. */
	for (i = 0; i < s.st.count; i++) {
		const char *sql = s.st.items[i].sql;
		char *with_semicolon = malloc(strlen(sql) + 2);
		size_t j;

		strcpy(with_semicolon, sql);
		strcat(with_semicolon, ";");
		ck_assert_msg(sqlite3_complete(with_semicolon), "%s", sql);
		for (j = 0; sql[j]; j++) {
			if (sql[j] != ';')
				continue;
			with_semicolon[j + 1] = '\0';
			ck_assert_msg(!sqlite3_complete(with_semicolon),
				      "complete before its end: %s",
				      with_semicolon);
			strcpy(with_semicolon, sql);
		}
		free(with_semicolon);
	}

	/* (3) Executing the pieces one by one equals executing the script. */
	for (i = 0; i < s.st.count; i++)
		ck_assert_msg(sqlite3_exec(by_split, s.st.items[i].sql, NULL,
					   NULL, &error) == SQLITE_OK,
			      "%s: %s", s.st.items[i].sql, error);
	ck_assert_msg(sqlite3_exec(by_exec, script, NULL, NULL, &error) ==
			  SQLITE_OK,
		      "%s", error);
	split_dump = dump(by_split);
	exec_dump = dump(by_exec);
	ck_assert_str_eq(split_dump ? split_dump : "",
			 exec_dump ? exec_dump : "");
	sqlite3_free(split_dump);
	sqlite3_free(exec_dump);

	sqlite3_close(db);
	sqlite3_close(by_split);
	sqlite3_close(by_exec);
	split_free(&s);
}
END_TEST

/* The tokens' kinds and text, one letter a kind, as "kind:text ...". */
static char *tokens_of(enum dialect dialect, const char *sql)
{
	static const char kinds[] = "E_;WNSQ.()OUM";
	static char out[512];
	struct sql_token t;
	size_t used = 0;

	memset(&t, 0, sizeof t);
	for (t.start = sql;; t.start = t.end) {
		sql_token_next(&t, dialect, sql);
		if (t.kind == SQL_TOKEN_END)
			break;
		if (t.kind == SQL_TOKEN_SPACE)
			continue;
		used += (size_t)snprintf(
		    out + used, sizeof out - used, "%s%c:%.*s", used ? " " : "",
		    kinds[t.kind], (int)(t.end - t.start), t.start);
		ck_assert_uint_lt(used, sizeof out);
	}
	out[used] = '\0';
	return out;
}

MIGC_TESTS(lexer_tests_3);

/* The one tokenizer per dialect, as autogenerate's normalization reads it:
 * names, numbers, strings and whole operators each one token. */
START_TEST(tokens_by_kind)
{
	struct sql_token t;
	char *name;

	ck_assert_str_eq(
	    tokens_of(
		DIALECT_SQLITE,
		"SELECT \"a\"\"b\", `c`, [d], x'00ff', 'it''s', 1.5e+3, .5 "
		"FROM t -- done\n WHERE a->>'$.k' <= 2 || b;"),
	    "W:SELECT Q:\"a\"\"b\" O:, Q:`c` O:, Q:[d] O:, S:x'00ff' O:, "
	    "S:'it''s' O:, N:1.5e+3 O:, N:.5 W:FROM W:t W:WHERE W:a O:->> "
	    "S:'$.k' O:<= N:2 O:|| W:b ;:;");
	ck_assert_str_eq(
	    tokens_of(
		DIALECT_POSTGRESQL,
		"DO $f$ BEGIN END $f$; SELECT E'\\'', $1, 42 /* a /* b */ */"
		" FROM s.\"T\""),
	    "W:DO S:$f$ BEGIN END $f$ ;:; W:SELECT S:E'\\'' O:, O:$1 O:, "
	    "N:42 W:FROM W:s .:. Q:\"T\"");
	ck_assert_str_eq(tokens_of(DIALECT_SQLITE, "'open"), "U:'open");

	memset(&t, 0, sizeof t);
	t.start = "\"a\"\"b\" [c]";
	sql_token_next(&t, DIALECT_SQLITE, t.start);
	name = sql_token_name(&t);
	ck_assert_str_eq(name, "a\"b");
	free(name);
	t.start = t.end + 1;
	sql_token_next(&t, DIALECT_SQLITE, t.start);
	name = sql_token_name(&t);
	ck_assert_str_eq(name, "c");
	free(name);
	t.start = "Select";
	sql_token_next(&t, DIALECT_SQLITE, t.start);
	ck_assert(sql_token_is(&t, "SELECT"));
	ck_assert(!sql_token_is(&t, "SELEC"));
}
END_TEST

/* One quoter per dialect: SQLite's plain names stay as they are. */
START_TEST(identifier_quote)
{
	static const char *const cases[][3] = {
	    {"users", "users", "\"users\""},
	    {"order", "\"order\"", "\"order\""},
	    {"a b", "\"a b\"", "\"a b\""},
	    {"say \"hi\"", "\"say \"\"hi\"\"\"", "\"say \"\"hi\"\"\""},
	    {"1st", "\"1st\"", "\"1st\""},
	    {"", "\"\"", "\"\""},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *sqlite =
		    sql_identifier_quote(DIALECT_SQLITE, cases[i][0]);
		char *postgresql =
		    sql_identifier_quote(DIALECT_POSTGRESQL, cases[i][0]);
		ck_assert_str_eq(sqlite, cases[i][1]);
		ck_assert_str_eq(postgresql, cases[i][2]);
		free(sqlite);
		free(postgresql);
	}
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_CASES(
    "lexer",
    MIGC_CASE("parsing", NULL, NULL, 0, MIGC_SERVER_NONE, lexer_tests_1),
    MIGC_CASE("errors", NULL, NULL, 0, MIGC_SERVER_NONE, lexer_tests_2),
    MIGC_CASE("splitting", NULL, NULL, 0, MIGC_SERVER_NONE, lexer_tests_3),
    MIGC_CASE("sqlite_oracle", NULL, NULL, 0, MIGC_SERVER_NONE, lexer_tests_4));
