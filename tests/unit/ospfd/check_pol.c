/*
 * Unit tests for daemons/ospfd/ospf_pol.c: the distance of a route by
 * its path type (`distance ospf ...`), the prefix-list filters on an
 * area border router's type-3 summaries (`area A filter-list prefix
 * NAME in|out`), both as read from a file and through mgmtd's YANG; the
 * discard routes an area border router owes its ranges.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_mgmt_text.h"
#include "wp_yang.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define M16		0xffff0000u
#define M24		0xffffff00u

START_TEST(test_distance_map)
{
	uint8_t none[OSPF_DIST_TYPES] = { 0 };
	uint8_t some[OSPF_DIST_TYPES] = { [OSPF_DIST_INTRA] = 90,
					  [OSPF_DIST_EXT] = 150 };
	uint8_t all[OSPF_DIST_TYPES] = { 30, 40, 50 };

	for (int t = OSPF_PATH_INTRA; t <= OSPF_PATH_EXT2; t++)
		ck_assert_uint_eq(ospf_route_distance(110, none, t), 110);
	ck_assert_uint_eq(ospf_route_distance(120, some, OSPF_PATH_INTRA), 90);
	ck_assert_uint_eq(ospf_route_distance(120, some, OSPF_PATH_INTER),
			  120);
	ck_assert_uint_eq(ospf_route_distance(120, some, OSPF_PATH_EXT1), 150);
	ck_assert_uint_eq(ospf_route_distance(120, some, OSPF_PATH_EXT2), 150);
	ck_assert_uint_eq(ospf_route_distance(1, all, OSPF_PATH_INTRA), 30);
	ck_assert_uint_eq(ospf_route_distance(1, all, OSPF_PATH_INTER), 40);
	ck_assert_uint_eq(ospf_route_distance(1, all, OSPF_PATH_EXT2), 50);
}
END_TEST

START_TEST(test_distance_parse)
{
	static const char *const bad[] = {
		"router ospf\n distance ospf\n",
		"router ospf\n distance ospf intra-area\n",
		"router ospf\n distance ospf intra-area 0\n",
		"router ospf\n distance ospf external 256\n",
		"router ospf\n distance ospf intra 90\n",
		"router ospf\n distance ospf inter-area 90 external\n",
	};
	struct ospf_conf *c;

	c = ospf_conf_parse("router ospf\n distance 100\n"
			    " distance ospf external 150 intra-area 90\n",
			    "t.conf");
	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert_uint_eq(c->distance, 100);
	ck_assert_uint_eq(c->distance_type[OSPF_DIST_INTRA], 90);
	ck_assert_uint_eq(c->distance_type[OSPF_DIST_INTER], 0);
	ck_assert_uint_eq(c->distance_type[OSPF_DIST_EXT], 150);
	ck_assert_uint_eq(ospf_route_distance(c->distance, c->distance_type,
					      OSPF_PATH_INTER), 100);
	ospf_conf_free(c);
	/* A later line replaces the earlier one, as in FRR. */
	c = ospf_conf_parse("router ospf\n distance ospf external 150\n"
			    " distance ospf inter-area 70\n", "t.conf");
	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->distance_type[OSPF_DIST_EXT], 0);
	ck_assert_uint_eq(c->distance_type[OSPF_DIST_INTER], 70);
	ospf_conf_free(c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = ospf_conf_parse(bad[i], "t.conf");
		ck_assert_msg(c->n_errors == 1, "accepted: %s", bad[i]);
		ck_assert(memcmp(c->distance_type, (uint8_t[3]){ 0 }, 3) == 0);
		ospf_conf_free(c);
	}
	c = ospf_conf_parse("router ospf\n distance ospf intra 90\n", "t.conf");
	ck_assert_msg(strstr(c->first_error, "\"intra\"") != NULL, "%s",
		      c->first_error);
	ospf_conf_free(c);
}
END_TEST

static const char *const filter_conf =
	"ip prefix-list OUT1 seq 5 deny 10.1.2.0/24\n"
	"ip prefix-list OUT1 seq 10 permit 0.0.0.0/0 le 32\n"
	"ip prefix-list IN2 seq 5 permit 10.1.0.0/16 le 32\n"
	"access-list EXP1 seq 5 deny 10.1.4.0/22\n"
	"access-list EXP1 seq 10 permit any\n"
	"access-list IMP2 deny 10.1.7.0/24 exact-match\n"
	"access-list IMP2 permit any\n"
	"access-list STAT permit 192.168.0.0/16\n"
	"router ospf\n"
	" network 10.0.0.0/24 area 0\n"
	" area 1 filter-list prefix OUT1 out\n"
	" area 1 export-list EXP1\n"
	" area 2 filter-list prefix IN2 in\n"
	" area 2 import-list IMP2\n"
	" area 3 filter-list prefix NOPE in\n"
	" area 3 export-list NOPE\n"
	" distribute-list STAT out static\n"
	" distribute-list NONE out kernel\n";

static bool
distributes(struct ospf_conf *c, enum ospf_redist_src src, const char *pfx)
{
	struct wp_prefix p;

	ck_assert_int_eq(wp_prefix_parse(pfx, &p, NULL, 0), 0);
	return ospf_distribute_permits(c, src, &p);
}

static void
check_filter_conf(struct ospf_conf *c)
{
	const struct ospf_area_conf *a1 = ospf_conf_area(c, 1);
	const struct ospf_area_conf *a2 = ospf_conf_area(c, 2);
	const struct ospf_area_conf *a3 = ospf_conf_area(c, 3);
	struct ospf_area_conf a0 = { .auth_type = -1 };

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert_ptr_nonnull(a1);
	ck_assert_ptr_nonnull(a2);
	ck_assert_ptr_nonnull(a3);
	ck_assert_str_eq(a1->filter_out, "OUT1");
	ck_assert_str_eq(a1->filter_in, "");
	ck_assert_str_eq(a2->filter_in, "IN2");
	/* out of area 1: 10.1.2/24 denied into every area, the rest not. */
	ck_assert(!ospf_area_filter_permits(a1, &a0, IP(10, 1, 2, 0), M24));
	ck_assert(ospf_area_filter_permits(a1, &a0, IP(10, 1, 3, 0), M24));
	ck_assert(ospf_area_filter_permits(a1, &a0, IP(10, 1, 0, 0), M16));
	/* in to area 2: only inside 10.1/16, and out of 1 still applies. */
	ck_assert(ospf_area_filter_permits(&a0, a2, IP(10, 1, 9, 0), M24));
	ck_assert(!ospf_area_filter_permits(&a0, a2, IP(10, 2, 9, 0), M24));
	ck_assert(!ospf_area_filter_permits(a1, a2, IP(10, 1, 2, 0), M24));
	ck_assert(ospf_area_filter_permits(a1, a2, IP(10, 1, 3, 0), M24));
	/* The other direction: area 2's routes into area 1 unfiltered. */
	ck_assert(ospf_area_filter_permits(a2, a1, IP(10, 2, 9, 0), M24));
	/* An undefined list filters nothing. */
	ck_assert(ospf_area_filter_permits(&a0, a3, IP(10, 9, 9, 0), M24));
	ck_assert(ospf_area_filter_permits(a3, &a0, IP(10, 9, 9, 0), M24));
	/* export-list: access list EXP1 on area 1's routes, the longer
	 * prefixes its entry covers included. */
	ck_assert_str_eq(a1->export_list, "EXP1");
	ck_assert(!ospf_area_filter_permits(a1, &a0, IP(10, 1, 5, 0), M24));
	ck_assert(!ospf_area_filter_permits(a1, &a0, IP(10, 1, 4, 0),
					    0xfffffc00u));
	ck_assert(ospf_area_filter_permits(a1, &a0, IP(10, 1, 8, 0), M24));
	/* import-list: exact-match denies only 10.1.7.0/24 into area 2. */
	ck_assert_str_eq(a2->import_list, "IMP2");
	ck_assert(!ospf_area_filter_permits(&a0, a2, IP(10, 1, 7, 0), M24));
	ck_assert(ospf_area_filter_permits(&a0, a2, IP(10, 1, 7, 0),
					   0xffffff80u));
	/* Both kinds apply: IN2 denies what IMP2 permits. */
	ck_assert(!ospf_area_filter_permits(&a0, a2, IP(10, 2, 7, 0), M24));
	/* distribute-list: STAT for static, an undefined list denies all
	 * of kernel, connected unfiltered. */
	ck_assert_str_eq(c->distribute[OSPF_REDIST_STATIC], "STAT");
	ck_assert(distributes(c, OSPF_REDIST_STATIC, "192.168.7.0/24"));
	ck_assert(!distributes(c, OSPF_REDIST_STATIC, "10.0.0.0/8"));
	ck_assert(!distributes(c, OSPF_REDIST_KERNEL, "192.168.7.0/24"));
	ck_assert(distributes(c, OSPF_REDIST_CONNECTED, "10.0.0.0/8"));
}

START_TEST(test_filter_parse)
{
	static const char *const bad[] = {
		"router ospf\n area 1 filter-list prefix X\n",
		"router ospf\n area 1 filter-list access X in\n",
		"router ospf\n area 1 filter-list prefix X both\n",
		"router ospf\n area 1 filter-list\n",
		"router ospf\n area 1 export-list\n",
		"router ospf\n area 1 import-list X Y\n",
		"router ospf\n distribute-list X in static\n",
		"router ospf\n distribute-list X out rip\n",
		"router ospf\n distribute-list X out static Z\n",
		"router ospf\n distribute-list X\n",
	};
	static const char *const word[] = {
		[4] = "access list", [5] = "\"Y\"", [6] = "\"in\"",
		[7] = "\"rip\"", [8] = "\"Z\"", [9] = "\"X\"",
	};
	struct ospf_conf *c = ospf_conf_parse(filter_conf, "t.conf");

	check_filter_conf(c);
	ospf_conf_free(c);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = ospf_conf_parse(bad[i], "t.conf");
		ck_assert_msg(c->n_errors == 1, "accepted: %s", bad[i]);
		ck_assert_msg(word[i] == NULL ||
			      strstr(c->first_error, word[i]) != NULL,
			      "%s: %s", bad[i], c->first_error);
		ospf_conf_free(c);
	}
	c = ospf_conf_parse(bad[2], "t.conf");
	ck_assert_msg(strstr(c->first_error, "\"both\"") != NULL, "%s",
		      c->first_error);
	ospf_conf_free(c);
}
END_TEST

/* The same lines through the YANG module, as mgmtd sends them. */
START_TEST(test_from_mgmtd)
{
	static const char *const text =
		"router ospf\n"
		" distance ospf intra-area 90 external 150\n"
		"!\n";
	struct lyd_node *tree = NULL;
	struct ly_ctx *ctx = NULL;
	struct wp_cli *cli;
	char *yerr = NULL, *json, err[256];
	const char *in[] = { filter_conf, text };
	struct ospf_conf *c;

	ck_assert_msg(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx,
				      &yerr) == 0, "%s", yerr);
	cli = wp_cli_new(ctx, &yerr);
	ck_assert_msg(cli != NULL, "%s", yerr);
	for (size_t i = 0; i < 2; i++) {
		tree = NULL;
		ck_assert_msg(wp_cli_load_text(cli, in[i], "t.conf", &tree,
					       &yerr) == 0, "%s", yerr);
		json = wp_yang_print(tree, LYD_JSON);
		c = wp_mgmt_text_parse_json(cli, json, ospf_mgmt_cbs(NULL),
					    err, sizeof(err));
		ck_assert_msg(c != NULL, "%s", err);
		if (i == 0) {
			check_filter_conf(c);
		} else {
			ck_assert_uint_eq(c->n_errors, 0);
			ck_assert_uint_eq(c->distance_type[OSPF_DIST_INTRA],
					  90);
			ck_assert_uint_eq(c->distance_type[OSPF_DIST_INTER],
					  0);
			ck_assert_uint_eq(c->distance_type[OSPF_DIST_EXT],
					  150);
		}
		ospf_conf_free(c);
		wp_free(MT_STRING, json);
		lyd_free_all(tree);
	}
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

static void
rt_add(struct ospf_rtable *t, uint32_t addr, unsigned int plen,
       enum ospf_path_type type, uint32_t area, uint32_t cost)
{
	struct wp_prefix p;
	struct ospf_route *rt;

	ospf_prefix_v4(&p, addr, plen);
	rt = ospf_route_new(&p);
	rt->type = type;
	rt->area = area;
	rt->cost = cost;
	wp_trie_insert(t->routes, &p, rt, NULL);
}

/* Discard routes: one per advertised range that covers an intra-area
 * route of its area, none for an inactive or not-advertise range, nor
 * where the table has a route for the exact prefix. */
START_TEST(test_discard_wants)
{
	struct ospf_conf *c = ospf_conf_parse(
		"router ospf\n"
		" area 1 range 10.31.0.0/16\n"
		" area 1 range 10.32.0.0/16 cost 77\n"
		" area 1 range 10.33.0.0/16 not-advertise\n"
		" area 1 range 10.34.0.0/16\n"
		" area 2 range 10.35.0.0/16\n"
		" area 2 range 10.36.0.0/16\n", "t.conf");
	struct ospf_rtable *t = ospf_rtable_new();
	struct ospf_want_list wl = { 0 };

	ck_assert_uint_eq(c->n_errors, 0);
	rt_add(t, IP(10, 31, 1, 0), 24, OSPF_PATH_INTRA, 1, 10);
	rt_add(t, IP(10, 31, 2, 0), 24, OSPF_PATH_INTRA, 1, 30);
	rt_add(t, IP(10, 32, 1, 0), 24, OSPF_PATH_INTRA, 1, 10);
	rt_add(t, IP(10, 33, 1, 0), 24, OSPF_PATH_INTRA, 1, 10);
	/* 10.34/16: only an inter-area route inside, not active. */
	rt_add(t, IP(10, 34, 1, 0), 24, OSPF_PATH_INTER, 0, 10);
	/* 10.35/16: area 1's route in area 2's range. */
	rt_add(t, IP(10, 35, 1, 0), 24, OSPF_PATH_INTRA, 1, 10);
	/* 10.36/16: active, but the table has the prefix itself. */
	rt_add(t, IP(10, 36, 1, 0), 24, OSPF_PATH_INTRA, 2, 10);
	rt_add(t, IP(10, 36, 0, 0), 16, OSPF_PATH_INTER, 0, 20);
	ospf_discard_wants(t, c->areas, c->n_areas, &wl);
	ck_assert_uint_eq(wl.n, 2);
	ck_assert_uint_eq(wl.v[0].id, IP(10, 31, 0, 0));
	ck_assert_uint_eq(wl.v[0].mask, M16);
	ck_assert_uint_eq(wl.v[0].metric, 30);	/* the highest cost */
	ck_assert_uint_eq(wl.v[1].id, IP(10, 32, 0, 0));
	ck_assert_uint_eq(wl.v[1].metric, 77);
	ospf_want_free(&wl);
	ospf_rtable_free(t);
	ospf_conf_free(c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_pol");
	TCase *tc = tcase_create("pol");

	tcase_add_test(tc, test_distance_map);
	tcase_add_test(tc, test_distance_parse);
	tcase_add_test(tc, test_filter_parse);
	tcase_add_test(tc, test_from_mgmtd);
	tcase_add_test(tc, test_discard_wants);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
