/*
 * Unit tests for route maps on ospfd's redistribution (ospf_redist.c
 * with lib/wp_policy): which AS-external LSAs the origination run wants
 * for a table of redistributed routes, fed as ospf_rib.c feeds it, under
 * a route map; a changed prefix list changes them; an undefined map
 * announces nothing; the default through its own map.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "wp_rib_msg.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* Both configurations: NO denies first, LAN lets through. */
#define LAN_AFTER_NO \
	"ip prefix-list LAN seq 5 permit 10.0.0.0/8 le 24\n" \
	"route-map RM deny 5\n" \
	" match ip address prefix-list NO\n" \
	"exit\n" \
	"route-map RM permit 10\n" \
	" match ip address prefix-list LAN\n"

static const char conf_text[] =
	"ip prefix-list NO seq 5 permit 10.9.0.0/16 le 32\n"
	LAN_AFTER_NO
	" match interface eth1\n"
	" set metric 100\n"
	" set tag 42\n"
	"exit\n"
	"route-map RM permit 20\n"
	" match tag 7\n"
	" set metric +16777214\n"
	" set metric-type type-1\n"
	"exit\n"
	"route-map DEF permit 10\n"
	" set metric 3\n"
	"exit\n"
	"router ospf\n"
	" redistribute static metric 30 route-map RM\n"
	" redistribute kernel route-map MISSING\n"
	" default-information originate always route-map DEF\n";

static void
add(struct ospf *ospf, const char *prefix, const char *src,
    const char *ifname, uint32_t tag)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_INTERFACE, .ifindex = 7 };
	struct wp_rib_route rt = { .tag = tag, .n_nh = 1, .nh = &nh };

	snprintf(nh.ifname, sizeof(nh.ifname), "%s", ifname);
	ck_assert_int_eq(wp_prefix_parse(prefix, &rt.prefix, NULL, 0), 0);
	ospf_redist_add_route(ospf, &rt, src);
}

START_TEST(test_redist_route_map)
{
	struct ospf_conf *c = ospf_conf_parse(conf_text, "t.conf");
	struct wp_loop *loop = wp_loop_new();
	struct ospf *ospf = ospf_new(loop);
	struct ospf_want_list wl = { 0 };

	ck_assert_msg(c->n_errors == 0, "%s", c->first_error);
	ck_assert_str_eq(c->redist[OSPF_REDIST_STATIC].rmap, "RM");
	ospf_apply_conf(ospf, c);
	add(ospf, "10.1.0.0/24", "static", "eth1", 0);	/* seq 10 */
	add(ospf, "10.2.0.0/24", "static", "eth2", 0);	/* no entry */
	add(ospf, "10.9.1.0/24", "static", "eth1", 7);	/* seq 5 denies */
	add(ospf, "192.0.2.0/24", "static", "eth2", 7);	/* seq 20 */
	add(ospf, "198.51.100.0/24", "kernel", "eth1", 0); /* no such map */
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 3);
	ck_assert_uint_eq(wl.v[0].id, IP(10, 1, 0, 0));
	ck_assert_uint_eq(wl.v[0].metric, 100);
	ck_assert_uint_eq(wl.v[0].tag, 42);
	ck_assert(wl.v[0].e2);
	/* +16777214 on the line's 30: held below LSInfinity. */
	ck_assert_uint_eq(wl.v[1].id, IP(192, 0, 2, 0));
	ck_assert_uint_eq(wl.v[1].metric, OSPF_LS_INFINITY - 1);
	ck_assert(!wl.v[1].e2);
	ck_assert_uint_eq(wl.v[1].tag, 0);
	/* The default, through DEF. */
	ck_assert_uint_eq(wl.v[2].id, 0);
	ck_assert_uint_eq(wl.v[2].metric, 3);
	ospf_want_free(&wl);

	/* Hit counts as `show route-map` gives them. */
	ck_assert_uint_eq(wp_rmap_find(&ospf->conf->policy, "RM")->v[1].hits,
			  1);

	/* The prefix list changes: 10.2/24 passes (any interface now),
	 * 10.9.1/24 is no longer denied by seq 5 and passes seq 20. */
	c = ospf_conf_parse(
		"ip prefix-list NO seq 5 permit 10.99.0.0/16\n"
		LAN_AFTER_NO
		"exit\n"
		"router ospf\n"
		" redistribute static route-map RM\n", "t2.conf");
	ck_assert_msg(c->n_errors == 0, "%s", c->first_error);
	ospf_apply_conf(ospf, c);
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 3);
	ck_assert_uint_eq(wl.v[0].id, IP(10, 1, 0, 0));
	ck_assert_uint_eq(wl.v[0].metric, OSPF_DEF_REDIST_METRIC);
	ck_assert_uint_eq(wl.v[1].id, IP(10, 2, 0, 0));
	ck_assert_uint_eq(wl.v[2].id, IP(10, 9, 1, 0));
	ospf_want_free(&wl);

	/* The map removed: nothing passes. */
	c = ospf_conf_parse("router ospf\n redistribute static route-map RM\n",
			    "t3.conf");
	ospf_apply_conf(ospf, c);
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 0);
	ospf_want_free(&wl);
	ospf_free(ospf);
	wp_loop_free(loop);
}
END_TEST

/* A changed tag or interface of the same route is a change. */
START_TEST(test_redist_attr_change)
{
	struct ospf_conf *c = ospf_conf_parse(
		"route-map T permit 10\n"
		" match tag 5\n"
		"exit\n"
		"router ospf\n"
		" redistribute static route-map T\n", "t.conf");
	struct wp_loop *loop = wp_loop_new();
	struct ospf *ospf = ospf_new(loop);
	struct ospf_want_list wl = { 0 };

	ospf_apply_conf(ospf, c);
	add(ospf, "10.1.0.0/24", "static", "eth1", 4);
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 0);
	add(ospf, "10.1.0.0/24", "static", "eth1", 5);
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 1);
	ospf_want_free(&wl);
	ospf_free(ospf);
	wp_loop_free(loop);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_redist_rmap");
	TCase *tc = tcase_create("rmap");

	tcase_add_test(tc, test_redist_route_map);
	tcase_add_test(tc, test_redist_attr_change);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
