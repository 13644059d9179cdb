/* check_main.c: the one main() of every Check unit test; each test binary is
 * built with -DMIGC_SUITE=<module>_suite. */
#include <check.h>
#include <stdlib.h>

Suite *MIGC_SUITE(void);

int main(void)
{
	SRunner *runner = srunner_create(MIGC_SUITE());
	int failed;

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
