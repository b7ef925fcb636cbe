/* Unit tests for lib/wp_mem: counters, realloc accounting, leak report,
 * slabs. */
#include "config.h"

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/*
 * Slab objects over several pages: aligned, disjoint, zeroed by zalloc
 * even when reused, counted in their type, their pages in few mappings;
 * once all are freed every page but one spare is unmapped.
 */
#define SLAB_N		10000
#define SLAB_SIZE	20		/* rounded up to 24 inside */

#ifndef __SANITIZE_ADDRESS__
/* Slab pages are mapped and unmapped whole (plain malloc under ASan). */
static bool
mapped(uintptr_t page)
{
	return msync((void *)page, 4096, MS_ASYNC) == 0;
}

/* The process's mappings (VMAs): lines of /proc/self/maps. */
static unsigned int
n_vmas(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned int n = 0;
	int c;

	ck_assert_ptr_nonnull(f);
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}
#endif

START_TEST(test_slab)
{
	static struct wp_slab slab = WP_SLAB_INIT(MT_TEST_A, SLAB_SIZE);
	uint32_t **obj = calloc(SLAB_N, sizeof(*obj));
	uintptr_t pages[SLAB_N];
	unsigned int n_pages = 0;
#ifndef __SANITIZE_ADDRESS__
	unsigned int vmas = n_vmas();
#endif

	for (unsigned int i = 0; i < SLAB_N; i++) {
		obj[i] = wp_slab_zalloc(&slab);
		ck_assert_uint_eq((uintptr_t)obj[i] % sizeof(void *), 0);
		for (unsigned int j = 0; j < SLAB_SIZE / 4; j++) {
			ck_assert_uint_eq(obj[i][j], 0);
			obj[i][j] = i;
		}
	}
	ck_assert_uint_eq(MT_TEST_A->live, SLAB_N);
	ck_assert_uint_eq(MT_TEST_A->bytes, SLAB_N * SLAB_SIZE);
	for (unsigned int i = 0; i < SLAB_N; i++)
		for (unsigned int j = 0; j < SLAB_SIZE / 4; j++)
			ck_assert_uint_eq(obj[i][j], i);
	/* Every other one freed, then taken again: zeroed, still disjoint. */
	for (unsigned int i = 0; i < SLAB_N; i += 2)
		wp_slab_free(&slab, obj[i]);
	ck_assert_uint_eq(MT_TEST_A->live, SLAB_N / 2);
	for (unsigned int i = 0; i < SLAB_N; i += 2) {
		obj[i] = wp_slab_zalloc(&slab);
		for (unsigned int j = 0; j < SLAB_SIZE / 4; j++) {
			ck_assert_uint_eq(obj[i][j], 0);
			obj[i][j] = i;
		}
	}
	for (unsigned int i = 0; i < SLAB_N; i++) {
		uintptr_t pg = (uintptr_t)obj[i] & ~(uintptr_t)(WP_SLAB_PAGE - 1);
		unsigned int k = 0;

		for (unsigned int j = 0; j < SLAB_SIZE / 4; j++)
			ck_assert_uint_eq(obj[i][j], i);
		while (k < n_pages && pages[k] != pg)
			k++;
		if (k == n_pages)
			pages[n_pages++] = pg;
	}
#ifndef __SANITIZE_ADDRESS__
	/* 24-byte objects: 2,729 to a page.  Consecutive pages merge into
	 * one mapping (a table of millions must not take a VMA a page). */
	ck_assert_uint_eq(n_pages, 4);
	ck_assert_uint_le(n_vmas(), vmas + 2);
#endif
	for (unsigned int i = SLAB_N; i-- > 0;)
		wp_slab_free(&slab, obj[i]);
	ck_assert_uint_eq(MT_TEST_A->live, 0);
	ck_assert_uint_eq(MT_TEST_A->bytes, 0);
#ifndef __SANITIZE_ADDRESS__
	{
		unsigned int still = 0;

		for (unsigned int k = 0; k < n_pages; k++)
			still += mapped(pages[k]);
		ck_assert_uint_eq(still, 1);
	}
#endif
	wp_slab_free(&slab, NULL);
	free(obj);
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
	tcase_add_test(tc, test_slab);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
