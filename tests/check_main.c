/* check_main.c: the one main() of every Check unit test: it builds a Check
 * suite from the test file's table (check_main.h) and runs it. */
#include "check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(postgresql_server_missing)
{
	ck_abort_msg("PGHOST is not set, so there is no PostgreSQL server to "
		     "test against. Start one with: eval \"$(scripts/"
		     "pg-server.sh env \"$(scripts/pg-server.sh start)\")\" "
		     "(scripts/run-tests.sh does), or set "
		     "MIGC_SKIP_POSTGRESQL=1 to skip these tests.");
}
END_TEST

START_TEST(postgresql_skipped)
{
	fprintf(stderr, "test_%s: MIGC_SKIP_POSTGRESQL=1, skipped\n",
		migc_test_suite.name);
}
END_TEST

/* Without a server a case that requires one holds a single test saying so
 * (or that it was skipped); one that merely can use it is left out. */
static TCase *case_create(const struct migc_test_case *spec)
{
	const char *skip = getenv("MIGC_SKIP_POSTGRESQL");
	TCase *tcase;
	size_t i;

	if (spec->server != MIGC_SERVER_NONE && getenv("PGHOST") == NULL) {
		if (spec->server == MIGC_SERVER_OPTIONAL)
			return NULL;
		tcase = tcase_create(spec->name);
		if (skip != NULL && strcmp(skip, "1") == 0)
			tcase_add_test(tcase, postgresql_skipped);
		else
			tcase_add_test(tcase, postgresql_server_missing);
		return tcase;
	}
	tcase = tcase_create(spec->name);
	if (spec->setup != NULL || spec->teardown != NULL)
		tcase_add_checked_fixture(tcase, spec->setup, spec->teardown);
	if (spec->timeout > 0)
		tcase_set_timeout(tcase, spec->timeout);
	for (i = 0; i < spec->count; i++) {
		const struct migc_test *test = &spec->tests[i];
		if (test->loops >= 0)
			tcase_add_loop_test(tcase, *test->test, 0, test->loops);
		else
			tcase_add_test(tcase, *test->test);
	}
	return tcase;
}

int main(void)
{
	Suite *suite = suite_create(migc_test_suite.name);
	SRunner *runner;
	size_t i;
	int failed;

	for (i = 0; i < migc_test_suite.count; i++) {
		TCase *tcase = case_create(&migc_test_suite.cases[i]);
		if (tcase != NULL)
			suite_add_tcase(suite, tcase);
	}
	runner = srunner_create(suite);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
