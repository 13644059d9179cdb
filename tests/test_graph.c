/* test_graph.c: the revision graph: order, heads, branches, merges, and the
 * exact errors for duplicate ids, unknown parents and cycles. */
#include "generator_fixture.h"
#include "setview.h"

#include "check_main.h"
#include <stdarg.h>

/* Line 1: "-- migc:revision " puts the id at column 18; line 2:
 * "-- migc:down_revision " puts the first parent at column 23. */
static void put_revision(const char *file, const char *id, const char *down)
{
	char text[1024];
	snprintf(text, sizeof text,
		 "-- migc:revision %s\n-- migc:down_revision %s\n"
		 "-- migc:message revision %s\n\n-- migc:upgrade\n"
		 "CREATE TABLE t_%s (x);\n\n-- migc:downgrade\n"
		 "DROP TABLE t_%s;\n",
		 id, down, id, id, id);
	test_write(dir, file, text);
}

static int load(void)
{
	if (graph_load(&graph, dir, &diag) != 0)
		return -1;
	return graph_build(&graph, &diag);
}

/* Writes the revisions given as "file id down_revision" (the rest of the
 * text after the id) up to a NULL, and loads the graph. */
static int put_and_load(const char *revision, ...)
{
	va_list revisions;

	va_start(revisions, revision);
	for (; revision != NULL; revision = va_arg(revisions, const char *)) {
		char file[64], id[64];
		int used = 0;

		ck_assert_int_eq(
		    sscanf(revision, "%63s %63s %n", file, id, &used), 2);
		put_revision(file, id, revision + used);
	}
	va_end(revisions);
	return load();
}

static const char *id_at(size_t position)
{
	return graph.revisions[graph.order[position]].id.text;
}

static size_t position_of(const char *id)
{
	size_t i;
	for (i = 0; i < graph.count; i++)
		if (strcmp(id_at(i), id) == 0)
			return i;
	ck_abort_msg("no revision %s", id);
	return 0;
}

static char *expected(const char *file, const char *rest)
{
	static char text[2048];
	snprintf(text, sizeof text, "%s/%s%s", dir, file, rest);
	return text;
}

/* The head ids, in the graph's order of heads: a NULL-terminated list. */
static void expect_heads(const char *first, ...)
{
	const char *id;
	size_t count = 0;
	va_list ids;

	va_start(ids, first);
	for (id = first; id != NULL; id = va_arg(ids, const char *)) {
		ck_assert_uint_gt(graph.head_count, count);
		ck_assert_str_eq(graph.revisions[graph.heads[count]].id.text,
				 id);
		count++;
	}
	va_end(ids);
	ck_assert_uint_eq(graph.head_count, count);
}

START_TEST(linear_chain_is_ordered_parents_first)
{
	/* File names sort against the graph order on purpose. */
	ck_assert_int_eq(put_and_load("1_c.sql cccc bbbb", "2_a.sql aaaa none",
				      "3_d.sql dddd cccc", "4_b.sql bbbb aaaa",
				      NULL),
			 0);
	ck_assert_uint_eq(graph.count, 4);
	ck_assert_str_eq(id_at(0), "aaaa");
	ck_assert_str_eq(id_at(1), "bbbb");
	ck_assert_str_eq(id_at(2), "cccc");
	ck_assert_str_eq(id_at(3), "dddd");
	expect_heads("dddd", NULL);
	ck_assert_uint_eq(diag.count, 0);
}
END_TEST

START_TEST(branches_are_allowed_and_every_head_listed)
{
	/* z.sql: an independent root */
	ck_assert_int_eq(put_and_load("a.sql aaaa none", "b.sql bbbb aaaa",
				      "c.sql cccc aaaa", "z.sql 0zzz none",
				      NULL),
			 0);
	expect_heads("0zzz", "bbbb", "cccc", NULL);
	ck_assert_uint_lt(position_of("aaaa"), position_of("bbbb"));
	ck_assert_uint_lt(position_of("aaaa"), position_of("cccc"));
}
END_TEST

START_TEST(merge_comes_after_both_parents)
{
	ck_assert_int_eq(put_and_load("a.sql aaaa none", "b.sql bbbb aaaa",
				      "c.sql cccc aaaa",
				      "m.sql 0mmm cccc, bbbb", NULL),
			 0);
	expect_heads("0mmm", NULL);
	ck_assert_uint_lt(position_of("bbbb"), position_of("0mmm"));
	ck_assert_uint_lt(position_of("cccc"), position_of("0mmm"));
	{
		const struct revision *m =
			&graph.revisions[graph.order[position_of("0mmm")]];
		ck_assert_uint_eq(m->down_count, 2);
		ck_assert_str_eq(graph.revisions[m->parents[0]].id.text,
				 "cccc");
		ck_assert_str_eq(graph.revisions[m->parents[1]].id.text,
				 "bbbb");
	}
}
END_TEST

START_TEST(duplicate_id_names_both_files)
{
	ck_assert_int_ne(
	    put_and_load("a.sql aaaa none", "b.sql aaaa none", NULL), 0);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_uint_eq(diag.count, 2);
	ck_assert_str_eq(diag.items[0].text,
			 expected("b.sql",
				  ":1:18: error: duplicate revision id 'aaaa'; "
				  "give one of the files a new id (migc "
				  "revision makes unique ones)"));
	ck_assert_str_eq(diag.items[1].text,
			 expected("a.sql", ":1:18: note: 'aaaa' is first "
					   "defined here"));
}
END_TEST

START_TEST(unknown_down_revision_points_at_the_id)
{
	ck_assert_int_ne(
	    put_and_load("a.sql aaaa none", "b.sql bbbb aaaa, nope", NULL), 0);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_str_eq(
		diag.items[0].text,
		expected("b.sql", ":2:29: error: down_revision 'nope' is not "
				  "defined by any revision file in the "
				  "versions directory; fix the id or add the "
				  "missing revision"));
}
END_TEST

START_TEST(cycle_is_reported_with_its_path)
{
	ck_assert_int_ne(put_and_load("a.sql aaaa cccc", "b.sql bbbb aaaa",
				      "c.sql cccc bbbb", NULL),
			 0);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_str_eq(diag.items[0].text,
			 expected("b.sql",
				  ":2:23: error: revision cycle: aaaa -> cccc "
				  "-> bbbb -> aaaa (each revises the next); "
				  "one of these down_revision values is "
				  "wrong"));
}
END_TEST

START_TEST(self_parent_is_a_cycle)
{
	ck_assert_int_ne(put_and_load("a.sql aaaa aaaa", NULL), 0);
	ck_assert_str_eq(diag.items[0].text,
			 expected("a.sql",
				  ":2:23: error: revision cycle: aaaa -> aaaa "
				  "(each revises the next); one of these "
				  "down_revision values is wrong"));
}
END_TEST

/* The graph index of the revision `id` names (full or a unique prefix)
 * through the core's look-up, as the generator finds one; -1 when none. */
static long graph_find(const struct graph *g, const char *id)
{
	const migc_revision *found = NULL;
	migc_set set;
	long index = -1;

	setview_build(&set, g);
	if (migc_revision_find(&found, &set, id, NULL) == MIGC_OK)
		index = (long)g->order[found - set.revisions];
	setview_free(&set);
	return index;
}

START_TEST(find_accepts_unique_prefixes_only)
{
	ck_assert_int_eq(put_and_load("a.sql ab12 none", "b.sql ab34 ab12",
				      "c.sql cd56 ab34", NULL),
			 0);
	ck_assert_int_ge(graph_find(&graph, "cd"), 0);
	ck_assert_str_eq(graph.revisions[graph_find(&graph, "cd")].id.text,
			 "cd56");
	ck_assert_str_eq(graph.revisions[graph_find(&graph, "ab3")].id.text,
			 "ab34");
	ck_assert_int_eq(graph_find(&graph, "ab"), -1); /* ambiguous */
	ck_assert_int_eq(graph_find(&graph, "ef"), -1); /* unknown */
	ck_assert_int_eq(graph_find(&graph, ""), -1);
}
END_TEST

START_TEST(depends_on_orders_before_and_must_exist)
{
	char text[512];
	put_revision("a.sql", "aaaa", "none");
	put_revision("z.sql", "0zzz", "none");
	snprintf(text, sizeof text,
		 "-- migc:revision bbbb\n-- migc:down_revision aaaa\n"
		 "-- migc:depends_on 0zzz\n-- migc:upgrade\nSELECT 1;\n");
	test_write(dir, "b.sql", text);
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_lt(position_of("0zzz"), position_of("bbbb"));
	graph_free(&graph);
	snprintf(text, sizeof text,
		 "-- migc:revision bbbb\n-- migc:down_revision aaaa\n"
		 "-- migc:depends_on 0yyy\n-- migc:upgrade\nSELECT 1;\n");
	test_write(dir, "b.sql", text);
	ck_assert_int_ne(load(), 0);
	ck_assert_str_eq(diag.items[0].text,
			 expected("b.sql",
				  ":3:20: error: depends_on '0yyy' is neither "
				  "a revision id nor a branch label in the "
				  "versions directory; fix the name or add "
				  "the revision"));
}
END_TEST

START_TEST(branch_label_used_twice_is_an_error)
{
	test_write(dir, "a.sql",
		   "-- migc:revision aaaa\n-- migc:down_revision none\n"
		   "-- migc:branch_labels auth\n-- migc:upgrade\n");
	test_write(dir, "b.sql",
		   "-- migc:revision bbbb\n-- migc:down_revision none\n"
		   "-- migc:branch_labels auth\n-- migc:upgrade\n");
	ck_assert_int_ne(load(), 0);
	ck_assert_str_eq(diag.items[0].text,
			 expected("b.sql", ":3:23: error: branch label 'auth' "
					   "is already used; labels name one "
					   "branch each"));
}
END_TEST

START_TEST(empty_directory_is_an_empty_graph)
{
	test_write(dir, "README", "not a revision\n");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(graph.count, 0);
	ck_assert_uint_eq(graph.head_count, 0);
}
END_TEST

START_TEST(missing_directory_says_so)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/nope", dir);
	ck_assert_int_ne(graph_load(&graph, path, &diag), 0);
	ck_assert_uint_eq(diag.errors, 1);
	ck_assert_ptr_nonnull(strstr(diag.items[0].text,
				     "error: cannot open versions directory"));
}
END_TEST

START_TEST(parse_errors_of_every_file_are_collected)
{
	test_write(dir, "a.sql", "-- migc:revison aaaa\n-- migc:upgrade\n");
	test_write(dir, "b.sql", "-- migc:revision bbbb\n"
				 "-- migc:down_revision none\n");
	ck_assert_int_ne(graph_load(&graph, dir, &diag), 0);
	ck_assert_uint_ge(diag.errors, 2);
}
END_TEST

#include MIGC_FILE_TESTS

MIGC_TEST_SUITE_OF_ONE("graph", fixture_setup, fixture_teardown, 0,
		       MIGC_SERVER_NONE, migc_file_tests);
