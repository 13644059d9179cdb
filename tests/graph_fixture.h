/* graph_fixture.h: the generator tests' fixture: a fresh temporary versions
 * directory `dir`, `graph` and `diag` for each test, freed after it. */
#ifndef MIGC_TEST_GRAPH_FIXTURE_H
#define MIGC_TEST_GRAPH_FIXTURE_H

#include "gen.h"
#include "test_util.h"

static char *dir; /* versions */
static struct graph graph;
static struct diagnostics diag;

static void graph_fixture_setup(void)
{
	dir = test_tempdir();
	memset(&graph, 0, sizeof graph);
	memset(&diag, 0, sizeof diag);
}

static void graph_fixture_teardown(void)
{
	graph_free(&graph);
	diag_free(&diag);
	test_remove_tree(dir);
	free(dir);
}

#endif /* MIGC_TEST_GRAPH_FIXTURE_H */
