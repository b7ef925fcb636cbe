/*
 * wp_check.h: the one main() every Check suite shares.
 *
 *	int main(void) { return wp_check_run(suite_create("mem"), cases...); }
 * is spelled, with the test cases filled first:
 *	Suite *s = suite_create("mem");
 *	... tcase_create / tcase_add_test / suite_add_tcase ...
 *	return wp_check_run(s);
 */
#ifndef WP_CHECK_H
#define WP_CHECK_H

#include <check.h>
#include <stdlib.h>

/* Run every test of `s` (forked, so a crash fails one test) and return
 * the process exit status; Check prints "100%: Checks: N, ..." itself. */
static inline int
wp_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* WP_CHECK_H */
