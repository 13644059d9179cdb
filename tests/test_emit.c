#include <check.h>
Suite *emit_suite(void)
{
	Suite *s = suite_create("emit");
	return s;
}
