/*
 * Unit tests for the DR election (§9.4), ospf_dr_elect() in
 * daemons/ospfd/ospf_iface.c: a pure function over the candidates as the
 * interface sees them (itself and its 2-Way neighbours).
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* Router N: ID N.N.N.N, address 10.0.0.N. */
static struct ospf_dr_cand
cand(unsigned int n, uint8_t prio, unsigned int dr, unsigned int bdr,
     bool self)
{
	struct ospf_dr_cand c = {
		.id = IP(n, n, n, n), .addr = IP(10, 0, 0, n),
		.priority = prio, .dr = dr ? IP(10, 0, 0, dr) : 0,
		.bdr = bdr ? IP(10, 0, 0, bdr) : 0, .self = self,
	};

	return c;
}

static void
elect(struct ospf_dr_cand *c, size_t n, int want_dr, int want_bdr)
{
	int dr, bdr;

	ospf_dr_elect(c, n, &dr, &bdr);
	ck_assert_int_eq(dr, want_dr);
	ck_assert_int_eq(bdr, want_bdr);
}

START_TEST(test_alone)
{
	/* Steps 2-3 make us BDR then DR; step 4 re-runs: DR, no BDR. */
	struct ospf_dr_cand c[] = { cand(1, 1, 0, 0, true) };

	elect(c, 1, 0, -1);
	ck_assert_uint_eq(c[0].dr, IP(10, 0, 0, 1));
	ck_assert_uint_eq(c[0].bdr, 0);
}
END_TEST

START_TEST(test_fresh_pair)
{
	/* Nobody declares anything yet: the better one (priority) is DR,
	 * we are BDR after step 4. */
	struct ospf_dr_cand c[] = { cand(1, 1, 0, 0, true),
				    cand(2, 5, 0, 0, false) };

	elect(c, 2, 1, -1);
	/* Next round the other declares itself DR: we become BDR. */
	c[1].dr = c[1].addr;
	elect(c, 2, 1, 0);
	ck_assert_uint_eq(c[0].bdr, c[0].addr);
}
END_TEST

START_TEST(test_no_preemption)
{
	/* A DR in place keeps the role against a higher priority. */
	struct ospf_dr_cand c[] = { cand(1, 200, 0, 0, true),
				    cand(2, 1, 2, 0, false),
				    cand(3, 1, 2, 0, false) };

	elect(c, 3, 1, 0);
	ck_assert_uint_eq(c[0].bdr, c[0].addr);
}
END_TEST

START_TEST(test_priority_zero)
{
	/* Ineligible: never DR or BDR, even alone with others at 1. */
	struct ospf_dr_cand c[] = { cand(9, 0, 0, 0, true),
				    cand(2, 1, 0, 0, false),
				    cand(3, 1, 3, 0, false) };

	elect(c, 3, 2, 1);
	ck_assert_uint_eq(c[0].dr, IP(10, 0, 0, 3));
	ck_assert_uint_eq(c[0].bdr, IP(10, 0, 0, 2));
	/* All at 0: nobody. */
	c[1].priority = c[2].priority = 0;
	elect(c, 3, -1, -1);
}
END_TEST

START_TEST(test_tie_router_id)
{
	/* Equal priority: the higher router ID wins each role. */
	struct ospf_dr_cand c[] = { cand(1, 1, 0, 0, true),
				    cand(4, 1, 4, 0, false),
				    cand(7, 1, 7, 0, false),
				    cand(5, 1, 0, 0, false),
				    cand(6, 1, 0, 0, false) };

	elect(c, 5, 2, 4);
}
END_TEST

START_TEST(test_declared_bdr_preferred)
{
	/* A router that declares itself BDR beats a better one that does
	 * not (§9.4 step 2). */
	struct ospf_dr_cand c[] = { cand(1, 1, 2, 0, true),
				    cand(2, 1, 2, 0, false),
				    cand(3, 1, 2, 3, false),
				    cand(4, 9, 2, 0, false) };

	elect(c, 4, 1, 2);
}
END_TEST

START_TEST(test_self_loses_dr)
{
	/* We declared DR, a higher-priority router declares DR too: it
	 * wins, and step 4 makes us BDR. */
	struct ospf_dr_cand c[] = { cand(1, 1, 1, 0, true),
				    cand(2, 5, 2, 0, false) };

	elect(c, 2, 1, 0);
	ck_assert_uint_eq(c[0].dr, IP(10, 0, 0, 2));
	ck_assert_uint_eq(c[0].bdr, IP(10, 0, 0, 1));
}
END_TEST

START_TEST(test_dr_dies)
{
	/* The DR is gone (no longer a candidate): the BDR is promoted
	 * (§9.4 step 3), and the BDR role waits for its next hello. */
	struct ospf_dr_cand c[] = { cand(1, 1, 2, 3, true),
				    cand(3, 1, 2, 3, false),
				    cand(4, 1, 2, 0, false) };

	elect(c, 3, 1, -1);
	/* Now from router 3's view the next round: it declares DR. */
	c[1].dr = c[1].addr;
	c[1].bdr = 0;
	elect(c, 3, 1, 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_dr");
	TCase *tc = tcase_create("election");

	tcase_add_test(tc, test_alone);
	tcase_add_test(tc, test_fresh_pair);
	tcase_add_test(tc, test_no_preemption);
	tcase_add_test(tc, test_priority_zero);
	tcase_add_test(tc, test_tie_router_id);
	tcase_add_test(tc, test_declared_bdr_preferred);
	tcase_add_test(tc, test_self_loses_dr);
	tcase_add_test(tc, test_dr_dies);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
