#include <check.h>
Suite *graph_suite(void)
{
	Suite *s = suite_create("graph");
	return s;
}
