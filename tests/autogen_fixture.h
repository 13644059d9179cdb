/* autogen_fixture.h: what test_autogen.c (SQLite) and test_pgautogen.c
 * (PostgreSQL) share: a project in a temporary directory, the calls a
 * user's `migc revision --autogenerate`, `check` and `verify` make, and
 * the checks both dialects pass the same way. Each test file fills a
 * struct test_dialect with what differs: its own database, where the
 * revisions autogenerate wrote run as the runtime would run them. */
#ifndef MIGC_AUTOGEN_FIXTURE_H
#define MIGC_AUTOGEN_FIXTURE_H

#include "check_main.h"
#include "dialect.h"

#include <stdio.h>

/* What a dialect's test expects of the tests both run alike
 * (fixture_tests). */
struct dialect_expectations {
	const char *same[2];   /* a schema, and it spelled otherwise */
	const char *prints[3]; /* two schemas, and what check prints */
	/* versions with a downgrade that does not restore; the error */
	const char *broken_downgrade[2];
	/* the declared schema (NULL: none), a revision whose downgrade
	 * fails, and the error */
	const char *failing_downgrade[3];
	const char *several_heads; /* a declared schema */
	const char *bad_schema[2]; /* a declared schema failing; the error */
	const char *round_trip;	   /* versions whose round trips pass */
};

struct test_dialect {
	enum dialect dialect;
	/* The test's database for one change: opened before its first
	 * section runs, closed after (NULL: it lives from setup on). */
	void (*open)(void);
	void (*close)(void);
	/* Run before each section of a revision the test runs there
	 * (NULL: nothing). */
	const char *before_section;
	void (*exec)(const char *sql);
	/* Rows as "a|b\n" lines, NULL as "". malloc'd. */
	char *(*query)(const char *sql);
	/* Its catalog, as the dialect's autogenerate reads it (malloc'd),
	 * compared and freed through the dialect's catalog shape. */
	void *(*snapshot)(void);
	const struct autogen_dialect *autogen;
	/* After each call of autogenerate, check or verify: what must hold
	 * (PostgreSQL: no scratch database left). NULL: nothing. */
	void (*after_call)(void);
	const struct dialect_expectations *expect; /* NULL: none */
};

extern char *fixture_dir;
extern char *versions;
extern struct diagnostics diag;
extern struct project project;

/* A temporary project of `dialect`: versions/ and schema.sql. */
void fixture_setup(const struct test_dialect *dialect);
void fixture_teardown(void);

void declare(const char *schema);
/* versions/<id>_r.sql, parent `parent` ("none": a root). */
void write_revision(const char *id, const char *parent, const char *upgrade,
		    const char *downgrade);
/* Round trips run by a verify remembering in `cache`, which must pass. */
size_t proofs_run(const char *cache);
void print_diag(void);
void load_from(struct graph *g, const char *path);
void load(struct graph *g);
/* Autogenerate for the declared schema, which must fail: its first
 * message. */
const char *autogenerate_refused(void);
/* Autogenerates a revision for the declared schema; returns its text. */
char *autogenerate(const char *rev_id, char **path_out);
int check_status(FILE *out);
int verify_status(void);
/* What `migc generate` checks: parse, split, transaction rules. */
int emit_check_status(void);

struct change {
	const char *name;
	const char *before;    /* the declared schema of the first revision */
	const char *after;     /* the declared schema of the second */
	const char *up[6];     /* in the second revision's upgrade, in order */
	const char *down[5];   /* in its downgrade, in order */
	const char *rows;      /* inserted before the second upgrade */
	const char *query;     /* after the upgrade */
	const char *want;      /* its rows */
	const char *want_down; /* the same query's rows after the downgrade,
				  or NULL when the query no longer runs */
};

/* The tests both dialects run alike, against each one's own database,
 * with its expectations: the changes both write letter for letter, and
 * the checks of struct dialect_expectations. A dialect's suite runs them
 * as a test case of its own. */
#define FIXTURE_TESTS 8
extern const struct migc_test fixture_tests[FIXTURE_TESTS];
/* A dialect's suite `name`: a test of each of its `changes`
 * (check_change), its own tests (the rest: MIGC_TEST...), then
 * fixture_tests as the case "<name>_alike", all with the same fixture. */
#define AUTOGEN_SUITE(name, setup, teardown, timeout, server, changes, ...)    \
	START_TEST(each_kind_of_difference)                                    \
	{                                                                      \
		check_change(&changes[_i]);                                    \
	}                                                                      \
	END_TEST                                                               \
	static const struct migc_test autogen_own[] = {                        \
	    MIGC_LOOP_TEST(each_kind_of_difference, COUNT(changes)),           \
	    __VA_ARGS__};                                                      \
	static const struct migc_test_case autogen_cases[] = {                 \
	    MIGC_CASE(name, setup, teardown, timeout, server, autogen_own),    \
	    MIGC_CASE(name "_alike", setup, teardown, timeout, server,         \
		      fixture_tests)};                                         \
	MIGC_TEST_SUITE(name, autogen_cases)

/* A change's rows, query and rows before and after: users keeps ann. */
#define KEEPS_ANN                                                              \
	"INSERT INTO users VALUES (1, 'ann');", "SELECT * FROM users",         \
	    "1|ann\n", "1|ann\n"

/* Users keeps ann and bob. */
#define KEEPS_ANN_AND_BOB                                                      \
	"INSERT INTO users VALUES (1, 'ann'), (2, 'bob');",                    \
	    "SELECT id, name FROM users ORDER BY id", "1|ann\n2|bob\n",        \
	    "1|ann\n2|bob\n"
/* A row written with the old default 'x' keeps it both ways. */
#define KEEPS_OLD_DEFAULT                                                      \
	"INSERT INTO users VALUES (1, 'ann'); INSERT INTO users (id) VALUES "  \
	"(2);",                                                                \
	    "SELECT * FROM users ORDER BY id", "1|ann\n2|x\n", "1|ann\n2|x\n"

/* The revision for `c` holds what it should; it keeps the rows and its
 * downgrade restores the catalog; emit, verify and check pass. */
void check_change(const struct change *c);

#endif /* MIGC_AUTOGEN_FIXTURE_H */
