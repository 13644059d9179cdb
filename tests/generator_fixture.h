/* generator_fixture.h: the generator tests' fixture: a fresh temporary
 * directory `dir`, `graph` and `diag` for each test, freed after it. */
#ifndef MIGC_TEST_GENERATOR_FIXTURE_H
#define MIGC_TEST_GENERATOR_FIXTURE_H

#include "gen.h"
#include "test_util.h"

static char *dir; /* versions, a project */
static struct graph graph;
static struct diagnostics diag;

static void fixture_setup(void)
{
	dir = test_tempdir();
	memset(&graph, 0, sizeof graph);
	memset(&diag, 0, sizeof diag);
}

static void fixture_teardown(void)
{
	graph_free(&graph);
	diag_free(&diag);
	test_remove_tree(dir);
	free(dir);
}

#endif /* MIGC_TEST_GENERATOR_FIXTURE_H */
