/* Unit tests for lib/wp_mem: counters, realloc accounting, leak report. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_TEST_A, "test a");
WP_MEMTYPE_DEFINE(MT_TEST_B, "test b");

START_TEST(test_counters)
{
	char *p = wp_malloc(MT_TEST_A, 100);
	char *q = wp_calloc(MT_TEST_A, 10);

	ck_assert_uint_eq(MT_TEST_A->live, 2);
	ck_assert_uint_eq(MT_TEST_A->total, 2);
	ck_assert_uint_ge(MT_TEST_A->bytes, 110);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(q[i], 0);
	p = wp_realloc(MT_TEST_A, p, 5000);
	ck_assert_uint_eq(MT_TEST_A->live, 2);
	ck_assert_uint_eq(MT_TEST_A->total, 2);
	ck_assert_uint_ge(MT_TEST_A->bytes, 5010);
	wp_free(MT_TEST_A, p);
	wp_free(MT_TEST_A, q);
	ck_assert_uint_eq(MT_TEST_A->live, 0);
	ck_assert_uint_eq(MT_TEST_A->bytes, 0);
	ck_assert_uint_ge(MT_TEST_A->peak_bytes, 5010);
	wp_free(MT_TEST_A, NULL);
}
END_TEST

START_TEST(test_strdup)
{
	char *s = wp_strdup(MT_TEST_B, "hello");
	char *t = wp_strndup(MT_TEST_B, "hello world", 5);

	ck_assert_str_eq(s, "hello");
	ck_assert_str_eq(t, "hello");
	ck_assert_uint_eq(MT_TEST_B->live, 2);
	wp_free(MT_TEST_B, s);
	wp_free(MT_TEST_B, t);
}
END_TEST

static void
count_types(const struct wp_memtype *mt, void *arg)
{
	if (strncmp(mt->name, "test ", 5) == 0)
		(*(int *)arg)++;
}

START_TEST(test_registry_and_leaks)
{
	int n = 0;
	void *leak;

	wp_memtype_foreach(count_types, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
	leak = wp_malloc(MT_TEST_B, 8);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 1);
	wp_free(MT_TEST_B, leak);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("mem");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_strdup);
	tcase_add_test(tc, test_registry_and_leaks);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
