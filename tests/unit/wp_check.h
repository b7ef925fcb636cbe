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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The whole of file `path` (under the source tree's top when relative),
 * NUL-terminated, for free(); the test fails if it cannot be read. */
static inline char *
wp_check_slurp(const char *top, const char *path)
{
	char full[1024], *text;
	FILE *f;
	long n;

	snprintf(full, sizeof(full), "%s/%s", top, path);
	f = fopen(full, "r");
	ck_assert_msg(f != NULL, "%s: cannot open", full);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/*
 * Feed `text` line by line, split into words, to `line(arg, indent, w, n)`
 * as a daemon's configuration reader does (indent: blanks before the
 * line); stops at the first line it returns < 0 for, and returns that.
 */
static inline int
wp_check_feed(const char *text, int (*line)(void *arg, int indent, char **w,
					    int n), void *arg)
{
	char *copy = strdup(text), *save = NULL, *l;
	int rc = 0;

	for (l = strtok_r(copy, "\n", &save); l && rc >= 0;
	     l = strtok_r(NULL, "\n", &save)) {
		char *w[32], *s2 = NULL, *tok;
		int n = 0, indent = (int)strspn(l, " ");

		for (tok = strtok_r(l, " ", &s2); tok && n < 32;
		     tok = strtok_r(NULL, " ", &s2))
			w[n++] = tok;
		rc = line(arg, indent, w, n);
	}
	free(copy);
	return rc < 0 ? rc : 0;
}

#endif /* WP_CHECK_H */
