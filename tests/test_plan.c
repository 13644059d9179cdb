#include <check.h>
Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	return s;
}
