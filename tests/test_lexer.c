#include <check.h>
Suite *lexer_suite(void)
{
	Suite *s = suite_create("lexer");
	return s;
}
