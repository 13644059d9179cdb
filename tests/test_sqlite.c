#include <check.h>
Suite *sqlite_suite(void)
{
	Suite *s = suite_create("sqlite");
	return s;
}
