/* check_main.h: how a Check unit test declares what it runs: a table of its
 * test cases, each a table of test functions, which tests/check_main.c (the
 * one main() of every test binary) turns into a Check suite. */
#ifndef MIGC_CHECK_MAIN_H
#define MIGC_CHECK_MAIN_H

#include <check.h>
#include <stddef.h>

/* One test: START_TEST's name; a loop test runs once for each _i in
 * [0, loops), any other has loops -1. */
struct migc_test {
	const TTest *const *test;
	int loops;
};
#define MIGC_TEST(name)                                                        \
	{                                                                      \
		&name, -1                                                      \
	}
#define MIGC_LOOP_TEST(name, count)                                            \
	{                                                                      \
		&name, (int)(count)                                            \
	}
/* A loop test as its file writes it: list_tests.cmake lists it as
 * MIGC_LOOP_TEST(name, count). */
#define START_LOOP_TEST(name, count) START_TEST(name)

/* What a test case needs of the PostgreSQL server libpq's environment names
 * (PGHOST...; scripts/pg-server.sh prints them). */
enum migc_test_server {
	MIGC_SERVER_NONE,
	/* Without PGHOST the case fails saying how to start one, unless
	 * MIGC_SKIP_POSTGRESQL=1 skips it. */
	MIGC_SERVER_REQUIRED,
	/* Without PGHOST the case is left out. */
	MIGC_SERVER_OPTIONAL
};

struct migc_test_case {
	const char *name;
	void (*setup)(void); /* a checked fixture, or NULL */
	void (*teardown)(void);
	int timeout; /* seconds; 0 for Check's default */
	enum migc_test_server server;
	const struct migc_test *tests;
	size_t count;
};
#define MIGC_TEST_COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define MIGC_CASE(name, setup, teardown, timeout, server, tests)               \
	{                                                                      \
		name, setup, teardown, timeout, server, tests,                 \
		    MIGC_TEST_COUNT(tests)                                     \
	}

/* A case of PostgreSQL tests, last in a cases table: it stands only in a
 * build of the suite with PostgreSQL (MIGC_TEST_POSTGRESQL), where its
 * tests are declared. */
#ifdef MIGC_TEST_POSTGRESQL
#define MIGC_POSTGRESQL_CASE(name, setup, teardown, timeout, server, tests)    \
	MIGC_CASE(name, setup, teardown, timeout, server, tests)
#else
#define MIGC_POSTGRESQL_CASE(name, setup, teardown, timeout, server, tests)
#endif

struct migc_test_suite {
	const char *name;
	const struct migc_test_case *cases;
	size_t count;
};

/* Each test file defines its suite under this one name. */
extern const struct migc_test_suite migc_test_suite;
#define MIGC_TEST_SUITE(name, cases)                                           \
	const struct migc_test_suite migc_test_suite = {                       \
	    name, cases, MIGC_TEST_COUNT(cases)}

/* A file's tables of tests are made from the file at build time
 * (tests/list_tests.cmake), so that no test is left out: `#include
 * MIGC_FILE_TESTS` after the last test defines them. Each START_TEST stands
 * in the table that the last MIGC_TESTS(table); above it names (a table may
 * be taken up again further down), under the same #if as in the file; a
 * test before the first MIGC_TESTS stands in migc_file_tests. */
#define MIGC_TESTS(table) extern const struct migc_test table[]

/* A suite of the test cases given (MIGC_CASE, MIGC_POSTGRESQL_CASE). */
#define MIGC_TEST_SUITE_OF_CASES(name, ...)                                    \
	static const struct migc_test_case migc_test_cases[] = {__VA_ARGS__};  \
	MIGC_TEST_SUITE(name, migc_test_cases)

/* A suite of one test case, named as the suite. */
#define MIGC_TEST_SUITE_OF_ONE(name, setup, teardown, timeout, server, tests)  \
	MIGC_TEST_SUITE_OF_CASES(                                              \
	    name, MIGC_CASE(name, setup, teardown, timeout, server, tests))

#endif /* MIGC_CHECK_MAIN_H */
