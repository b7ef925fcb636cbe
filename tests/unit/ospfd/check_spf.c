/*
 * Unit tests for daemons/ospfd/ospf_spf.c and ospf_route.c: routing
 * tables computed from hand-built LSDBs with answers worked out by hand
 * (a line, a ring with equal-cost paths, a broadcast network, stub
 * networks, one-way links, inter-area summaries, a virtual link and its
 * transit area, type 1 and type 2 externals), the difference between two tables, and what an area
 * border router originates (ospf_area.c): type-3 and type-4 summaries,
 * stub areas, NSSAs and their translation, ranges.
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "spf_fixture.h"

static void
add_network(struct ospf_lsdb *db, uint32_t id, uint32_t adv, uint32_t mask,
	    const uint32_t *rtrs, size_t n)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_NETWORK, .id = id,
				  .adv = adv, .seq = OSPF_INITIAL_SEQ };
	struct ospf_lsa *lsa = ospf_lsa_build_network(&h, mask, rtrs, n, 0);

	ospf_lsa_unref(ospf_lsdb_install(db, lsa));
	ospf_lsa_unref(lsa);
}

static void
add_summary(struct ospf_lsdb *db, uint8_t type, uint32_t id, uint32_t adv,
	    uint32_t mask, uint32_t metric)
{
	struct ospf_lsa_hdr h = { .type = type, .id = id, .adv = adv,
				  .seq = OSPF_INITIAL_SEQ };
	struct ospf_lsa *lsa = ospf_lsa_build_summary(&h, mask, metric, 0);

	ospf_lsa_unref(ospf_lsdb_install(db, lsa));
	ospf_lsa_unref(lsa);
}

static void
add_external(struct ospf_lsdb *db, uint32_t id, uint32_t adv, uint32_t mask,
	     uint32_t metric, bool e2, uint32_t fwd)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_EXTERNAL, .id = id,
				  .adv = adv, .seq = OSPF_INITIAL_SEQ };
	struct ospf_lsa *lsa = ospf_lsa_build_external(&h, mask, metric, e2,
						       fwd, 0, 0);

	ospf_lsa_unref(ospf_lsdb_install(db, lsa));
	ospf_lsa_unref(lsa);
}

static void
add_nssa(struct ospf_lsdb *db, uint32_t id, uint32_t adv, uint32_t mask,
	 uint32_t metric, bool p_bit, uint32_t fwd)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_NSSA, .id = id,
				  .adv = adv, .seq = OSPF_INITIAL_SEQ,
				  .options = p_bit ? OSPF_OPT_NP : 0 };
	struct ospf_lsa *lsa = ospf_lsa_build_external(&h, mask, metric, true,
						       fwd, 0, 0);

	ospf_lsa_unref(ospf_lsdb_install(db, lsa));
	ospf_lsa_unref(lsa);
}

static struct ospf_rtable *
run(struct ospf_lsdb *db, const struct ospf_spf_iface *ifs, size_t n_ifs,
    struct ospf_lsdb *as_db, unsigned int max_paths)
{
	struct ospf_spf_area a = { .id = 0, .db = db, .ifs = ifs,
				   .n_ifs = n_ifs };
	struct ospf_spf_input in = { .root = R1, .now = 0,
				     .max_paths = max_paths, .areas = &a,
				     .n_areas = 1, .as_db = as_db };

	return ospf_spf_run(&in, NULL);
}

static const struct ospf_route *
route(const struct ospf_rtable *t, uint32_t net, unsigned int plen)
{
	struct wp_prefix p;

	ospf_prefix_v4(&p, net, plen);
	return ospf_rtable_get(t, &p);
}

/* Assert a route: type, cost, then (gw, ifindex) pairs in sorted order. */
static void
expect(const struct ospf_rtable *t, uint32_t net, unsigned int plen,
       enum ospf_path_type type, uint32_t cost, unsigned int n_nh, ...)
{
	const struct ospf_route *rt = route(t, net, plen);
	va_list ap;

	ck_assert_msg(rt != NULL, "no route to %08x/%u", net, plen);
	ck_assert_int_eq(rt->type, type);
	ck_assert_uint_eq(rt->cost, cost);
	ck_assert_uint_eq(rt->n_nh, n_nh);
	va_start(ap, n_nh);
	for (unsigned int i = 0; i < n_nh; i++) {
		uint32_t gw = va_arg(ap, uint32_t);
		int ifindex = va_arg(ap, int);

		ck_assert_uint_eq(rt->nh[i].gw, gw);
		ck_assert_int_eq(rt->nh[i].ifindex, ifindex);
	}
	va_end(ap);
}

static size_t
count_routes(const struct ospf_rtable *t)
{
	return wp_trie_count(t->routes);
}

/*
 * Line: R1 -(10)- R2 -(5)- R3, p2p links 10.0.12.0/24 and 10.0.23.0/24,
 * loopbacks N.N.N.N/32 at cost 0.
 */
static struct ospf_lsdb *
line_db(uint8_t r3flags)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	struct ospf_rtr_link l1[] = {
		{ R2, IP(10, 0, 12, 1), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R1, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l2[] = {
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R3, IP(10, 0, 23, 2), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 23, 0), MASK24, OSPF_LINK_STUB, 5 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l3[] = {
		{ R2, IP(10, 0, 23, 3), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 23, 0), MASK24, OSPF_LINK_STUB, 5 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
	};

	add_router(db, R1, 0, l1, 3);
	add_router(db, R2, 0, l2, 5);
	add_router(db, R3, r3flags, l3, 3);
	return db;
}

static const struct ospf_spf_iface line_ifs[] = {
	{ IP(10, 0, 12, 1), MASK24, 2 },
	{ R1, HOST, 1 },
};

START_TEST(test_spf_line)
{
	struct ospf_lsdb *db = line_db(0);
	struct ospf_rtable *t = run(db, line_ifs, 2, NULL, 0);
	const struct ospf_route *rt;

	expect(t, R2, 32, OSPF_PATH_INTRA, 10, 1, IP(10, 0, 12, 2), 2);
	expect(t, R3, 32, OSPF_PATH_INTRA, 15, 1, IP(10, 0, 12, 2), 2);
	/* R2's stub (10 + 5) beats R3's (15 + 5). */
	expect(t, IP(10, 0, 23, 0), 24, OSPF_PATH_INTRA, 15, 1,
	       IP(10, 0, 12, 2), 2);
	/* Our own networks are directly attached. */
	rt = route(t, IP(10, 0, 12, 0), 24);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->nh[0].gw, 0);
	ck_assert_int_eq(rt->nh[0].ifindex, 2);
	rt = route(t, R1, 32);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 0);
	ck_assert_int_eq(rt->nh[0].ifindex, 1);
	ck_assert(!route(t, R2, 32)->connected);
	ck_assert_uint_eq(count_routes(t), 5);
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
	ck_assert_uint_eq(MT_OSPF_SPF->live, 0);
}
END_TEST

/*
 * Point-to-multipoint (§12.4.1.4): R1, R2 and R3 on 10.0.50.0/24, each
 * with a point-to-point link per neighbour (link data: its own address on
 * the segment) and a host stub for that address; R1 and R2 also share a
 * point-to-point link 10.0.12.0/24; R4 hangs off R3.  The next hop over
 * the segment is the neighbour's address there, taken from the
 * neighbour's link back to us on our subnet (§16.1.1): R2 is reached at
 * 10.0.50.2 on the segment and at 10.0.12.2 on the other link, not at
 * one address for both.
 */
#define P2MP(h)		IP(10, 0, 50, h)

static const struct ospf_spf_iface p2mp_ifs[] = {
	{ R1, HOST, 1 },
	{ P2MP(1), MASK24, 2 },
	{ IP(10, 0, 12, 1), MASK24, 3 },
};

static struct ospf_lsdb *
p2mp_db(void)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	const struct ospf_rtr_link r1[] = {
		{ R2, P2MP(1), OSPF_LINK_P2P, 10 },
		{ R3, P2MP(1), OSPF_LINK_P2P, 10 },
		{ P2MP(1), HOST, OSPF_LINK_STUB, 0 },
		{ R2, IP(10, 0, 12, 1), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R1, HOST, OSPF_LINK_STUB, 0 },
	};
	const struct ospf_rtr_link r2[] = {
		{ R1, P2MP(2), OSPF_LINK_P2P, 10 },
		{ R3, P2MP(2), OSPF_LINK_P2P, 10 },
		{ P2MP(2), HOST, OSPF_LINK_STUB, 0 },
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	const struct ospf_rtr_link r3[] = {
		{ R1, P2MP(3), OSPF_LINK_P2P, 10 },
		{ R2, P2MP(3), OSPF_LINK_P2P, 10 },
		{ P2MP(3), HOST, OSPF_LINK_STUB, 0 },
		{ R4, IP(10, 0, 34, 3), OSPF_LINK_P2P, 10 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
	};
	const struct ospf_rtr_link r4[] = {
		{ R3, IP(10, 0, 34, 4), OSPF_LINK_P2P, 10 },
		{ R4, HOST, OSPF_LINK_STUB, 0 },
	};

	add_router(db, R1, 0, r1, 6);
	add_router(db, R2, 0, r2, 6);
	add_router(db, R3, 0, r3, 5);
	add_router(db, R4, 0, r4, 2);
	return db;
}

START_TEST(test_spf_p2mp)
{
	struct ospf_lsdb *db = p2mp_db();
	struct ospf_rtable *t = run(db, p2mp_ifs, 3, NULL, 0);
	const struct ospf_route *rt;

	expect(t, R2, 32, OSPF_PATH_INTRA, 10, 2, P2MP(2), 2,
	       IP(10, 0, 12, 2), 3);
	expect(t, P2MP(2), 32, OSPF_PATH_INTRA, 10, 2, P2MP(2), 2,
	       IP(10, 0, 12, 2), 3);
	expect(t, R3, 32, OSPF_PATH_INTRA, 10, 1, P2MP(3), 2);
	expect(t, P2MP(3), 32, OSPF_PATH_INTRA, 10, 1, P2MP(3), 2);
	expect(t, R4, 32, OSPF_PATH_INTRA, 20, 1, P2MP(3), 2);
	/* Our own address on the segment: a host route, attached. */
	rt = route(t, P2MP(1), 32);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 0);
	ck_assert_uint_eq(rt->nh[0].gw, 0);
	ck_assert_int_eq(rt->nh[0].ifindex, 2);
	/* Nobody advertises the segment's subnet. */
	ck_assert_ptr_null(route(t, IP(10, 0, 50, 0), 24));
	ospf_rtable_free(t);
	/* R3 without its link back to us over the segment: unreachable
	 * from it directly (§16.1 (2)(b)), R4 too. */
	{
		const struct ospf_rtr_link r3[] = {
			{ R2, P2MP(3), OSPF_LINK_P2P, 10 },
			{ P2MP(3), HOST, OSPF_LINK_STUB, 0 },
			{ R4, IP(10, 0, 34, 3), OSPF_LINK_P2P, 10 },
			{ R3, HOST, OSPF_LINK_STUB, 0 },
		};
		struct ospf_lsa_hdr h = { .type = OSPF_LSA_ROUTER, .id = R3,
					  .adv = R3, .seq = OSPF_INITIAL_SEQ + 1 };
		struct ospf_lsa *lsa = ospf_lsa_build_router(&h, 0, r3, 4, 0);

		ospf_lsa_unref(ospf_lsdb_install(db, lsa));
		ospf_lsa_unref(lsa);
	}
	t = run(db, p2mp_ifs, 3, NULL, 0);
	expect(t, R3, 32, OSPF_PATH_INTRA, 20, 2, P2MP(2), 2,
	       IP(10, 0, 12, 2), 3);
	expect(t, R4, 32, OSPF_PATH_INTRA, 30, 2, P2MP(2), 2,
	       IP(10, 0, 12, 2), 3);
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
	ck_assert_uint_eq(MT_OSPF_SPF->live, 0);
}
END_TEST

START_TEST(test_spf_no_root)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	struct ospf_rtable *t = run(db, line_ifs, 2, NULL, 0);

	ck_assert_uint_eq(count_routes(t), 0);
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
}
END_TEST

/*
 * Ring: R1 -(10)- R2 -(10)- R3 -(10)- R4 -(10)- R1.  R3 is reachable over
 * R2 and R4 at cost 20: two next hops.
 */
static struct ospf_lsdb *
ring_db(void)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	struct ospf_rtr_link l1[] = {
		{ R2, IP(10, 0, 12, 1), OSPF_LINK_P2P, 10 },
		{ R4, IP(10, 0, 14, 1), OSPF_LINK_P2P, 10 },
		{ R1, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l2[] = {
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ R3, IP(10, 0, 23, 2), OSPF_LINK_P2P, 10 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l3[] = {
		{ R2, IP(10, 0, 23, 3), OSPF_LINK_P2P, 10 },
		{ R4, IP(10, 0, 34, 3), OSPF_LINK_P2P, 10 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
		{ IP(10, 3, 0, 0), IP(255, 255, 0, 0), OSPF_LINK_STUB, 1 },
	};
	struct ospf_rtr_link l4[] = {
		{ R3, IP(10, 0, 34, 4), OSPF_LINK_P2P, 10 },
		{ R1, IP(10, 0, 14, 4), OSPF_LINK_P2P, 10 },
		{ R4, HOST, OSPF_LINK_STUB, 0 },
	};

	add_router(db, R1, 0, l1, 3);
	add_router(db, R2, 0, l2, 3);
	add_router(db, R3, 0, l3, 4);
	add_router(db, R4, 0, l4, 3);
	return db;
}

static const struct ospf_spf_iface ring_ifs[] = {
	{ IP(10, 0, 12, 1), MASK24, 2 },
	{ IP(10, 0, 14, 1), MASK24, 4 },
	{ R1, HOST, 1 },
};

START_TEST(test_spf_ring_ecmp)
{
	struct ospf_lsdb *db = ring_db();
	struct ospf_rtable *t = run(db, ring_ifs, 3, NULL, 0);

	expect(t, R2, 32, OSPF_PATH_INTRA, 10, 1, IP(10, 0, 12, 2), 2);
	expect(t, R4, 32, OSPF_PATH_INTRA, 10, 1, IP(10, 0, 14, 4), 4);
	expect(t, R3, 32, OSPF_PATH_INTRA, 20, 2, IP(10, 0, 12, 2), 2,
	       IP(10, 0, 14, 4), 4);
	expect(t, IP(10, 3, 0, 0), 16, OSPF_PATH_INTRA, 21, 2,
	       IP(10, 0, 12, 2), 2, IP(10, 0, 14, 4), 4);
	ospf_rtable_free(t);
	/* maximum-paths 1 keeps one. */
	t = run(db, ring_ifs, 3, NULL, 1);
	ck_assert_uint_eq(route(t, R3, 32)->n_nh, 1);
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
}
END_TEST

START_TEST(test_spf_one_way_and_maxage)
{
	struct ospf_lsdb *db = ring_db();
	struct ospf_rtr_link l5[] = {
		{ R5, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l4[] = {
		{ R3, IP(10, 0, 34, 4), OSPF_LINK_P2P, 10 },
		{ R1, IP(10, 0, 14, 4), OSPF_LINK_P2P, 10 },
		{ R5, IP(10, 0, 45, 4), OSPF_LINK_P2P, 1 },
		{ R4, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtable *t;
	struct ospf_lsa *r2;

	/* R4 claims a link to R5, which does not link back. */
	add_router(db, R4, 0, l4, 4);
	add_router(db, R5, 0, l5, 1);
	t = run(db, ring_ifs, 3, NULL, 0);
	ck_assert_ptr_null(route(t, R5, 32));
	ospf_rtable_free(t);
	/* R2's LSA at MaxAge: R2 gone, R3 only through R4. */
	r2 = ospf_lsdb_lookup(db, OSPF_LSA_ROUTER, R2, R2);
	ospf_lsa_set_maxage(r2, 0);
	t = run(db, ring_ifs, 3, NULL, 0);
	ck_assert_ptr_null(route(t, R2, 32));
	expect(t, R3, 32, OSPF_PATH_INTRA, 20, 1, IP(10, 0, 14, 4), 4);
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
}
END_TEST

/*
 * Broadcast: R1, R2, R3 on 10.0.0.0/24 (cost 1 each), R3 the DR with
 * network-LSA 10.0.0.3; R2 also has a stub 10.2.0.0/24 at cost 4.
 */
START_TEST(test_spf_broadcast)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	uint32_t rtrs[] = { R3, R1, R2 };
	struct ospf_rtr_link l1[] = {
		{ IP(10, 0, 0, 3), IP(10, 0, 0, 1), OSPF_LINK_TRANSIT, 1 },
		{ R1, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l2[] = {
		{ IP(10, 0, 0, 3), IP(10, 0, 0, 2), OSPF_LINK_TRANSIT, 1 },
		{ IP(10, 2, 0, 0), MASK24, OSPF_LINK_STUB, 4 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l3[] = {
		{ IP(10, 0, 0, 3), IP(10, 0, 0, 3), OSPF_LINK_TRANSIT, 1 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
	};
	const struct ospf_spf_iface ifs[] = {
		{ IP(10, 0, 0, 1), MASK24, 7 },
		{ R1, HOST, 1 },
	};
	struct ospf_rtable *t;
	const struct ospf_route *rt;

	add_router(db, R1, 0, l1, 2);
	add_router(db, R2, 0, l2, 3);
	add_router(db, R3, 0, l3, 2);
	add_network(db, IP(10, 0, 0, 3), R3, MASK24, rtrs, 3);
	t = run(db, ifs, 2, NULL, 0);
	/* Network to router costs 0: R2 and R3 are at 1. */
	expect(t, R2, 32, OSPF_PATH_INTRA, 1, 1, IP(10, 0, 0, 2), 7);
	expect(t, R3, 32, OSPF_PATH_INTRA, 1, 1, IP(10, 0, 0, 3), 7);
	expect(t, IP(10, 2, 0, 0), 24, OSPF_PATH_INTRA, 5, 1,
	       IP(10, 0, 0, 2), 7);
	rt = route(t, IP(10, 0, 0, 0), 24);
	ck_assert_ptr_nonnull(rt);
	ck_assert(rt->connected);
	ck_assert_uint_eq(rt->cost, 1);
	ck_assert_uint_eq(rt->nh[0].gw, 0);
	ck_assert_int_eq(rt->nh[0].ifindex, 7);
	ospf_rtable_free(t);

	/* R2 not listed by the network-LSA: not reached over it. */
	add_network(db, IP(10, 0, 0, 3), R3, MASK24, rtrs, 2);
	t = run(db, ifs, 2, NULL, 0);
	ck_assert_ptr_null(route(t, R2, 32));
	ck_assert_ptr_nonnull(route(t, R3, 32));
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
}
END_TEST

/*
 * Inter-area: the line, R2 an area border router announcing
 * 192.168.1.0/24 at 5 and 192.168.2.0/24 at LSInfinity; R3 (not an ABR)
 * announcing 192.168.3.0/24; R2 also re-announcing our 10.0.23.0/24.
 */
START_TEST(test_spf_inter_area)
{
	struct ospf_lsdb *db = line_db(0);
	struct ospf_rtr_link l2[] = {
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R3, IP(10, 0, 23, 2), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 23, 0), MASK24, OSPF_LINK_STUB, 5 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtable *t;
	const struct ospf_route *rt;

	add_router(db, R2, OSPF_RTR_B, l2, 5);
	add_summary(db, OSPF_LSA_SUMMARY, IP(192, 168, 1, 0), R2, MASK24, 5);
	add_summary(db, OSPF_LSA_SUMMARY, IP(192, 168, 2, 0), R2, MASK24,
		    OSPF_LS_INFINITY);
	add_summary(db, OSPF_LSA_SUMMARY, IP(192, 168, 3, 0), R3, MASK24, 1);
	add_summary(db, OSPF_LSA_SUMMARY, IP(10, 0, 23, 0), R2, MASK24, 1);
	/* Our own summary is never used. */
	add_summary(db, OSPF_LSA_SUMMARY, IP(192, 168, 4, 0), R1, MASK24, 1);
	t = run(db, line_ifs, 2, NULL, 0);
	expect(t, IP(192, 168, 1, 0), 24, OSPF_PATH_INTER, 15, 1,
	       IP(10, 0, 12, 2), 2);
	ck_assert_ptr_null(route(t, IP(192, 168, 2, 0), 24));
	ck_assert_ptr_null(route(t, IP(192, 168, 3, 0), 24));
	ck_assert_ptr_null(route(t, IP(192, 168, 4, 0), 24));
	rt = route(t, IP(10, 0, 23, 0), 24);
	ck_assert_int_eq(rt->type, OSPF_PATH_INTRA);
	ck_assert_uint_eq(rt->cost, 15);
	/* The ABR is in the router table. */
	ck_assert_ptr_nonnull(ospf_rtable_rtr(t, R2, 0));
	ck_assert_uint_eq(ospf_rtable_rtr(t, R2, 0)->cost, 10);
	ospf_rtable_free(t);
	ospf_lsdb_free(db);
}
END_TEST

/*
 * Virtual link (§15, §16.3): backbone router R1 and ABR R3 of area 2 are
 * joined through transit area 1 (R1 -10- R2 -10- R3, and ABR R4 hangs
 * off R2 at 1).  R3's summaries in the backbone reach R1 over the
 * virtual link at the transit path's cost 20, with the transit first
 * hop; R4's cheaper summary in the transit area shortens the backbone
 * path to 192.168.9.0/24 (§16.3).  Without the virtual link configured
 * R3 is no backbone neighbour and nothing is reached.
 */
#define R2_12	IP(10, 1, 12, 2)

static void
vlink_dbs(struct ospf_lsdb *bb, struct ospf_lsdb *tr)
{
	struct ospf_rtr_link b1[] = {
		{ IP(10, 0, 0, 0), MASK24, OSPF_LINK_STUB, 1 },
		{ R3, IP(10, 1, 12, 1), OSPF_LINK_VIRTUAL, 20 },
	};
	struct ospf_rtr_link b3[] = {
		{ R1, IP(10, 1, 23, 3), OSPF_LINK_VIRTUAL, 20 },
	};
	struct ospf_rtr_link t1[] = {
		{ R2, IP(10, 1, 12, 1), OSPF_LINK_P2P, 10 },
		{ IP(10, 1, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
	};
	struct ospf_rtr_link t2[] = {
		{ R1, R2_12, OSPF_LINK_P2P, 10 },
		{ IP(10, 1, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R3, IP(10, 1, 23, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 1, 23, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R4, IP(10, 1, 24, 2), OSPF_LINK_P2P, 1 },
	};
	struct ospf_rtr_link t3[] = {
		{ R2, IP(10, 1, 23, 3), OSPF_LINK_P2P, 10 },
		{ IP(10, 1, 23, 0), MASK24, OSPF_LINK_STUB, 10 },
	};
	struct ospf_rtr_link t4[] = {
		{ R2, IP(10, 1, 24, 4), OSPF_LINK_P2P, 1 },
	};

	add_router(bb, R1, OSPF_RTR_B, b1, 2);
	add_router(bb, R3, OSPF_RTR_B, b3, 1);
	add_summary(bb, OSPF_LSA_SUMMARY, IP(192, 168, 3, 0), R3, MASK24, 1);
	add_summary(bb, OSPF_LSA_SUMMARY, IP(192, 168, 9, 0), R3, MASK24, 40);
	add_router(tr, R1, OSPF_RTR_B | OSPF_RTR_V, t1, 2);
	add_router(tr, R2, 0, t2, 5);
	add_router(tr, R3, OSPF_RTR_B | OSPF_RTR_V, t3, 2);
	add_router(tr, R4, OSPF_RTR_B, t4, 1);
	add_summary(tr, OSPF_LSA_SUMMARY, IP(192, 168, 9, 0), R4, MASK24, 1);
}

START_TEST(test_spf_vlink)
{
	struct ospf_lsdb *bb = ospf_lsdb_new(), *tr = ospf_lsdb_new();
	static const struct ospf_spf_iface bifs[] = {
		{ IP(10, 0, 0, 1), MASK24, 1 },
	};
	static const struct ospf_spf_iface tifs[] = {
		{ IP(10, 1, 12, 1), MASK24, 2 },
	};
	static const struct ospf_spf_vlink vl = { .peer = R3, .transit = 1 };
	/* The backbone first, as ospfd lists areas. */
	struct ospf_spf_area a[] = {
		{ .id = 0, .db = bb, .ifs = bifs, .n_ifs = 1 },
		{ .id = 1, .db = tr, .ifs = tifs, .n_ifs = 1 },
	};
	struct ospf_spf_input in = { .root = R1, .areas = a, .n_areas = 2,
				     .vlinks = &vl, .n_vlinks = 1 };
	const struct ospf_rtr_route *r;
	struct ospf_rtable *t;

	vlink_dbs(bb, tr);
	t = ospf_spf_run(&in, NULL);
	/* The other end, in the transit area and across the link. */
	r = ospf_rtable_rtr(t, R3, 1);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->cost, 20);
	r = ospf_rtable_rtr(t, R3, 0);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->cost, 20);
	ck_assert_uint_eq(r->n_nh, 1);
	ck_assert_uint_eq(r->nh[0].gw, R2_12);
	ck_assert_int_eq(r->nh[0].ifindex, 2);
	expect(t, IP(192, 168, 3, 0), 24, OSPF_PATH_INTER, 21, 1, R2_12, 2);
	ck_assert_uint_eq(route(t, IP(192, 168, 3, 0), 24)->area, 0);
	/* §16.3: 12 through R4 in the transit area, not 20 + 40. */
	expect(t, IP(192, 168, 9, 0), 24, OSPF_PATH_INTER, 12, 1, R2_12, 2);
	ck_assert_uint_eq(route(t, IP(192, 168, 9, 0), 24)->area, 0);
	ospf_rtable_free(t);

	/* Not configured: R3's virtual link finds no partner. */
	in.n_vlinks = 0;
	t = ospf_spf_run(&in, NULL);
	ck_assert_ptr_null(ospf_rtable_rtr(t, R3, 0));
	ck_assert_ptr_null(route(t, IP(192, 168, 3, 0), 24));
	ck_assert_ptr_null(route(t, IP(192, 168, 9, 0), 24));
	ospf_rtable_free(t);

	/* A virtual link in a non-backbone area is ignored. */
	a[0].id = 5;
	in.n_vlinks = 1;
	t = ospf_spf_run(&in, NULL);
	ck_assert_ptr_null(ospf_rtable_rtr(t, R3, 5));
	ospf_rtable_free(t);
	ospf_lsdb_free(bb);
	ospf_lsdb_free(tr);
}
END_TEST

/*
 * Externals: R3 an ASBR (E bit) at cost 15; R2 an ASBR at 10 too for one
 * prefix; R2 an ABR announcing ASBR R4 at 7 through a type 4.
 */
START_TEST(test_spf_external)
{
	struct ospf_lsdb *db = line_db(OSPF_RTR_E);
	struct ospf_lsdb *as = ospf_lsdb_new();
	struct ospf_rtr_link l2[] = {
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R3, IP(10, 0, 23, 2), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 23, 0), MASK24, OSPF_LINK_STUB, 5 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtable *t;
	const struct ospf_route *rt;

	add_router(db, R2, OSPF_RTR_B | OSPF_RTR_E, l2, 5);
	add_summary(db, OSPF_LSA_ASBR_SUMMARY, R4, R2, 0, 7);
	/* E2 from R3: cost2 20, forwarding cost 15. */
	add_external(as, IP(10, 99, 0, 0), R3, IP(255, 255, 0, 0), 20, true, 0);
	/* E1 from R3: 15 + 20. */
	add_external(as, IP(10, 98, 0, 0), R3, IP(255, 255, 0, 0), 20, false,
		     0);
	/* The same prefix E2 from R2 (closer) and from R3 as E1: E1 wins. */
	add_external(as, IP(10, 97, 0, 0), R2, IP(255, 255, 0, 0), 1, true, 0);
	add_external(as, IP(10, 97, 0, 0), R3, IP(255, 255, 0, 0), 100, false,
		     0);
	/* E2 20 from both: equal type 2 cost, R2 is nearer. */
	add_external(as, IP(10, 96, 0, 0), R2, IP(255, 255, 0, 0), 20, true, 0);
	add_external(as, IP(10, 96, 0, 0), R3, IP(255, 255, 0, 0), 20, true, 0);
	/* Through the type-4 route to R4: 10 + 7 + 3 (E1). */
	add_external(as, IP(10, 95, 0, 0), R4, IP(255, 255, 0, 0), 3, false, 0);
	/* Forwarding address on R3's stub 10.0.23.0/24 (cost 15). */
	add_external(as, IP(10, 94, 0, 0), R3, IP(255, 255, 0, 0), 2, false,
		     IP(10, 0, 23, 9));
	/* Forwarding address nobody reaches: no route. */
	add_external(as, IP(10, 93, 0, 0), R3, IP(255, 255, 0, 0), 2, false,
		     IP(172, 16, 0, 1));
	/* Unknown ASBR, LSInfinity: no route. */
	add_external(as, IP(10, 92, 0, 0), R5, IP(255, 255, 0, 0), 2, false, 0);
	add_external(as, IP(10, 91, 0, 0), R3, IP(255, 255, 0, 0),
		     OSPF_LS_INFINITY, false, 0);
	/* An external for an internal prefix loses to it. */
	add_external(as, IP(10, 0, 23, 0), R3, MASK24, 1, false, 0);
	/* The default route. */
	add_external(as, 0, R3, 0, 1, true, 0);

	t = run(db, line_ifs, 2, as, 0);
	expect(t, IP(10, 99, 0, 0), 16, OSPF_PATH_EXT2, 15, 1,
	       IP(10, 0, 12, 2), 2);
	ck_assert_uint_eq(route(t, IP(10, 99, 0, 0), 16)->cost2, 20);
	expect(t, IP(10, 98, 0, 0), 16, OSPF_PATH_EXT1, 35, 1,
	       IP(10, 0, 12, 2), 2);
	expect(t, IP(10, 97, 0, 0), 16, OSPF_PATH_EXT1, 115, 1,
	       IP(10, 0, 12, 2), 2);
	rt = route(t, IP(10, 96, 0, 0), 16);
	ck_assert_int_eq(rt->type, OSPF_PATH_EXT2);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->adv, R2);
	expect(t, IP(10, 95, 0, 0), 16, OSPF_PATH_EXT1, 20, 1,
	       IP(10, 0, 12, 2), 2);
	expect(t, IP(10, 94, 0, 0), 16, OSPF_PATH_EXT1, 17, 1,
	       IP(10, 0, 12, 2), 2);
	ck_assert_ptr_null(route(t, IP(10, 93, 0, 0), 16));
	ck_assert_ptr_null(route(t, IP(10, 92, 0, 0), 16));
	ck_assert_ptr_null(route(t, IP(10, 91, 0, 0), 16));
	ck_assert_int_eq(route(t, IP(10, 0, 23, 0), 24)->type, OSPF_PATH_INTRA);
	expect(t, 0, 0, OSPF_PATH_EXT2, 15, 1, IP(10, 0, 12, 2), 2);
	ospf_rtable_free(t);
	ospf_lsdb_free(as);
	ospf_lsdb_free(db);
}
END_TEST

/* A forwarding address on one of our own networks is the next hop. */
START_TEST(test_spf_external_fwd_direct)
{
	struct ospf_lsdb *db = line_db(OSPF_RTR_E);
	struct ospf_lsdb *as = ospf_lsdb_new();
	struct ospf_rtable *t;

	add_external(as, IP(10, 90, 0, 0), R3, IP(255, 255, 0, 0), 2, false,
		     IP(10, 0, 12, 7));
	t = run(db, line_ifs, 2, as, 0);
	expect(t, IP(10, 90, 0, 0), 16, OSPF_PATH_EXT1, 12, 1,
	       IP(10, 0, 12, 7), 2);
	ospf_rtable_free(t);
	ospf_lsdb_free(as);
	ospf_lsdb_free(db);
}
END_TEST

START_TEST(test_rtable_diff)
{
	struct ospf_lsdb *db = ring_db();
	struct ospf_rtable *a = run(db, ring_ifs, 3, NULL, 0);
	struct ospf_rtable *b = run(db, ring_ifs, 3, NULL, 0);
	struct ospf_rtable *c;
	struct ospf_rt_diff d;
	struct ospf_rtr_link l4[] = {
		{ R3, IP(10, 0, 34, 4), OSPF_LINK_P2P, 10 },
		{ R4, HOST, OSPF_LINK_STUB, 0 },
		{ IP(10, 4, 0, 0), MASK24, OSPF_LINK_STUB, 1 },
	};
	struct ospf_rtr_link l3[] = {
		{ R2, IP(10, 0, 23, 3), OSPF_LINK_P2P, 10 },
		{ R4, IP(10, 0, 34, 3), OSPF_LINK_P2P, 10 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
	};

	/* Same LSDB: nothing to send. */
	ospf_rtable_diff(a, b, &d);
	ck_assert_uint_eq(d.n, 0);
	ospf_rt_diff_free(&d);
	/* From nothing: every route is an add. */
	ospf_rtable_diff(NULL, a, &d);
	ck_assert_uint_eq(d.n, count_routes(a));
	ck_assert_uint_eq(d.adds, d.n);
	for (size_t i = 1; i < d.n; i++)
		ck_assert_int_lt(wp_prefix_cmp(&d.ch[i - 1].rt->p,
					       &d.ch[i].rt->p), 0);
	ospf_rt_diff_free(&d);
	/* R4 drops its link to R1 and announces a stub; R3 drops 10.3/16. */
	add_router(db, R4, 0, l4, 3);
	add_router(db, R3, 0, l3, 3);
	c = run(db, ring_ifs, 3, NULL, 0);
	ospf_rtable_diff(a, c, &d);
	ck_assert_uint_eq(d.adds, 1);		/* 10.4.0.0/24 */
	ck_assert_uint_eq(d.dels, 1);		/* 10.3.0.0/16 */
	/* R4 now via R2 and R3 (30); R3 only via R2 (20). */
	ck_assert_uint_eq(d.changes, 2);
	for (size_t i = 0; i < d.n; i++) {
		if (d.ch[i].op == OSPF_RT_DEL)
			ck_assert_uint_eq(ospf_prefix_addr(&d.ch[i].rt->p),
					  IP(10, 3, 0, 0));
	}
	ospf_rt_diff_free(&d);
	expect(c, R4, 32, OSPF_PATH_INTRA, 30, 1, IP(10, 0, 12, 2), 2);
	ospf_rtable_free(a);
	ospf_rtable_free(b);
	ospf_rtable_free(c);
	ospf_lsdb_free(db);
	ck_assert_uint_eq(MT_OSPF_ROUTE->live, 0);
}
END_TEST

/*
 * An area border router R1: area 0 is R1 -(10)- R2 over 10.0.12.0/24, area
 * 1 is R1 -(5)- R3 over 10.0.13.0/24; R3 is an AS boundary router with an
 * E1 external 10.99.0.0/16 at 20.
 */
#define AREA1	1u

struct abr {
	struct ospf_lsdb *a0, *a1, *as;
	struct ospf_spf_area areas[2];
	struct ospf_area_conf confs[2];
};

static const struct ospf_spf_iface abr_ifs0[] = {
	{ IP(10, 0, 12, 1), MASK24, 2 },
};
static const struct ospf_spf_iface abr_ifs1[] = {
	{ IP(10, 0, 13, 1), MASK24, 3 },
};

static void
abr_setup(struct abr *b, uint8_t r2flags)
{
	struct ospf_rtr_link l1a[] = {
		{ R2, IP(10, 0, 12, 1), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
	};
	struct ospf_rtr_link l2[] = {
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), MASK24, OSPF_LINK_STUB, 10 },
		{ R2, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l1b[] = {
		{ R3, IP(10, 0, 13, 1), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 13, 0), MASK24, OSPF_LINK_STUB, 5 },
	};
	struct ospf_rtr_link l3[] = {
		{ R1, IP(10, 0, 13, 3), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 13, 0), MASK24, OSPF_LINK_STUB, 5 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
	};

	memset(b, 0, sizeof(*b));
	b->a0 = ospf_lsdb_new();
	b->a1 = ospf_lsdb_new();
	b->as = ospf_lsdb_new();
	add_router(b->a0, R1, OSPF_RTR_B, l1a, 2);
	add_router(b->a0, R2, r2flags, l2, 3);
	add_router(b->a1, R1, OSPF_RTR_B, l1b, 2);
	add_router(b->a1, R3, OSPF_RTR_E, l3, 3);
	add_external(b->as, IP(10, 99, 0, 0), R3, IP(255, 255, 0, 0), 20,
		     false, 0);
	b->areas[0] = (struct ospf_spf_area){ .id = 0, .db = b->a0,
					      .ifs = abr_ifs0, .n_ifs = 1 };
	b->areas[1] = (struct ospf_spf_area){ .id = AREA1, .db = b->a1,
					      .ifs = abr_ifs1, .n_ifs = 1 };
	b->confs[0].id = 0;
	b->confs[1].id = AREA1;
}

static struct ospf_rtable *
abr_run(struct abr *b)
{
	struct ospf_spf_input in = { .root = R1, .areas = b->areas,
				     .n_areas = 2, .as_db = b->as };

	b->areas[1].type = b->confs[1].type;
	return ospf_spf_run(&in, NULL);
}

static void
abr_free(struct abr *b)
{
	ospf_lsdb_free(b->a0);
	ospf_lsdb_free(b->a1);
	ospf_lsdb_free(b->as);
}

static const struct ospf_want *
want(const struct ospf_want_list *l, uint8_t type, uint32_t id, uint32_t mask)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].type == type && l->v[i].id == id &&
		    l->v[i].mask == mask)
			return &l->v[i];
	return NULL;
}

static void
expect_want(const struct ospf_want_list *l, uint8_t type, uint32_t id,
	    uint32_t mask, uint32_t metric)
{
	const struct ospf_want *w = want(l, type, id, mask);

	ck_assert_msg(w != NULL, "no type-%u %08x/%08x wanted", type, id, mask);
	ck_assert_uint_eq(w->metric, metric);
}

/* §12.4.3: type 3 for area 1's routes, type 4 for R3; then R2, on the
 * other side, reaches R3's external through that type 4 (§16.4). */
START_TEST(test_area_asbr_summary)
{
	struct ospf_want_list l = { 0 };
	struct ospf_rtable *t;
	struct abr b;

	abr_setup(&b, 0);
	t = abr_run(&b);
	expect(t, IP(10, 99, 0, 0), 16, OSPF_PATH_EXT1, 25, 1,
	       IP(10, 0, 13, 3), 3);
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 13, 0), MASK24, 5);
	expect_want(&l, OSPF_LSA_SUMMARY, R3, HOST, 5);
	expect_want(&l, OSPF_LSA_ASBR_SUMMARY, R3, 0, 5);
	/* Nothing of area 0 goes back into it, no default. */
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 12, 0),
				MASK24));
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, 0, 0));
	ck_assert_uint_eq(l.n, 3);

	/* R2's view of area 0: R1's summaries in it. */
	for (size_t i = 0; i < l.n; i++)
		add_summary(b.a0, l.v[i].type, l.v[i].id, R1, l.v[i].mask,
			    l.v[i].metric);
	ospf_want_free(&l);
	ospf_rtable_free(t);
	{
		static const struct ospf_spf_iface ifs[] = {
			{ IP(10, 0, 12, 2), MASK24, 7 },
		};
		struct ospf_spf_area a = { .id = 0, .db = b.a0, .ifs = ifs,
					   .n_ifs = 1 };
		struct ospf_spf_input in = { .root = R2, .areas = &a,
					     .n_areas = 1, .as_db = b.as };

		t = ospf_spf_run(&in, NULL);
	}
	expect(t, R3, 32, OSPF_PATH_INTER, 15, 1, IP(10, 0, 12, 1), 7);
	ck_assert_ptr_nonnull(ospf_rtable_rtr(t, R3, 0));
	ck_assert_int_eq(ospf_rtable_rtr(t, R3, 0)->type, OSPF_PATH_INTER);
	/* 10 to R1, 5 in R1's type 4, 20 in the E1 metric. */
	expect(t, IP(10, 99, 0, 0), 16, OSPF_PATH_EXT1, 35, 1,
	       IP(10, 0, 12, 1), 7);
	ospf_rtable_free(t);
	abr_free(&b);
}
END_TEST

/* §3.6, §12.4.3.1: a stub area gets a default of default-cost and no
 * type 4s; no-summary leaves only the default.  Externals are not
 * resolved through a stub area. */
START_TEST(test_area_stub)
{
	struct ospf_want_list l = { 0 };
	struct ospf_rtable *t;
	struct abr b;

	abr_setup(&b, OSPF_RTR_E);	/* R2 an ASBR in the backbone */
	b.confs[1].type = OSPF_AREA_STUB;
	t = abr_run(&b);
	ck_assert_ptr_null(route(t, IP(10, 99, 0, 0), 16));
	ospf_area_wants(t, R1, b.confs, 2, 1, &l);
	expect_want(&l, OSPF_LSA_SUMMARY, 0, 0, OSPF_DEF_STUB_COST);
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 12, 0), MASK24, 10);
	expect_want(&l, OSPF_LSA_SUMMARY, R2, HOST, 10);
	ck_assert_ptr_null(want(&l, OSPF_LSA_ASBR_SUMMARY, R2, 0));
	ospf_want_free(&l);
	/* The same into a normal area 1: R2 is summarised as an ASBR. */
	b.confs[1].type = OSPF_AREA_NORMAL;
	ospf_area_wants(t, R1, b.confs, 2, 1, &l);
	expect_want(&l, OSPF_LSA_ASBR_SUMMARY, R2, 0, 10);
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, 0, 0));
	ospf_want_free(&l);

	b.confs[1].type = OSPF_AREA_STUB;
	b.confs[1].no_summary = true;
	b.confs[1].default_cost_set = true;
	b.confs[1].default_cost = 7;
	ospf_area_wants(t, R1, b.confs, 2, 1, &l);
	ck_assert_uint_eq(l.n, 1);
	expect_want(&l, OSPF_LSA_SUMMARY, 0, 0, 7);
	ospf_want_free(&l);
	/* Stub area 1's routes still go into the backbone, but its ASBR
	 * R3 is not summarised. */
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 13, 0), MASK24, 5);
	ck_assert_ptr_null(want(&l, OSPF_LSA_ASBR_SUMMARY, R3, 0));
	ospf_want_free(&l);
	ospf_rtable_free(t);
	abr_free(&b);
}
END_TEST

/* §12.4.3: area 1's routes inside a range are replaced by the range at
 * their highest cost; not-advertise hides them; cost overrides. */
START_TEST(test_area_range)
{
	struct ospf_range_conf r = { IP(10, 0, 0, 0), IP(255, 0, 0, 0),
				     false, false, 0 };
	struct ospf_rtr_link l3[] = {
		{ R1, IP(10, 0, 13, 3), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 13, 0), MASK24, OSPF_LINK_STUB, 5 },
		{ IP(10, 3, 0, 0), IP(255, 255, 0, 0), OSPF_LINK_STUB, 30 },
		{ R3, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_want_list l = { 0 };
	struct ospf_rtable *t;
	struct abr b;

	abr_setup(&b, 0);
	add_router(b.a1, R3, OSPF_RTR_E, l3, 4);
	b.confs[1].ranges = &r;
	b.confs[1].n_ranges = 1;
	t = abr_run(&b);
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 0, 0), IP(255, 0, 0, 0),
		    35);
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 13, 0),
				MASK24));
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, IP(10, 3, 0, 0),
				IP(255, 255, 0, 0)));
	expect_want(&l, OSPF_LSA_SUMMARY, R3, HOST, 5);
	ospf_want_free(&l);
	r.cost_set = true;
	r.cost = 99;
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 0, 0), IP(255, 0, 0, 0),
		    99);
	ospf_want_free(&l);
	r.not_advertise = true;
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 0, 0),
				IP(255, 0, 0, 0)));
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 13, 0),
				MASK24));
	expect_want(&l, OSPF_LSA_SUMMARY, R3, HOST, 5);
	ospf_want_free(&l);
	/* A range of area 0 does not touch area 1's routes. */
	b.confs[1].n_ranges = 0;
	b.confs[0].ranges = &r;
	b.confs[0].n_ranges = 1;
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 13, 0), MASK24, 5);
	ospf_want_free(&l);
	ospf_rtable_free(t);
	abr_free(&b);
}
END_TEST

/* RFC 3101: type-7 routes inside the NSSA (§2.5), the translator
 * election (§3.1) and translation (§3.2), the defaults (§2.4). */
START_TEST(test_area_nssa)
{
	struct ospf_rtr_link l4[] = {
		{ R3, IP(10, 0, 13, 4), OSPF_LINK_P2P, 1 },
	};
	struct ospf_want_list l = { 0 };
	const struct ospf_want *w;
	struct ospf_rtable *t;
	struct abr b;

	abr_setup(&b, 0);
	b.confs[1].type = OSPF_AREA_NSSA;
	add_nssa(b.a1, IP(10, 88, 0, 0), R3, IP(255, 255, 0, 0), 20, true,
		 IP(10, 0, 13, 3));
	/* P-bit clear: used here, not translated. */
	add_nssa(b.a1, IP(10, 87, 0, 0), R3, IP(255, 255, 0, 0), 20, false,
		 IP(10, 0, 13, 3));
	/* A default from R3: never translated. */
	add_nssa(b.a1, 0, R3, 0, 1, true, IP(10, 0, 13, 3));
	t = abr_run(&b);
	expect(t, IP(10, 88, 0, 0), 16, OSPF_PATH_EXT2, 5, 1,
	       IP(10, 0, 13, 3), 3);
	ck_assert_uint_eq(route(t, IP(10, 88, 0, 0), 16)->cost2, 20);
	expect(t, IP(10, 87, 0, 0), 16, OSPF_PATH_EXT2, 5, 1,
	       IP(10, 0, 13, 3), 3);
	/* R3's type-5 is not reached through the NSSA. */
	ck_assert_ptr_null(route(t, IP(10, 99, 0, 0), 16));

	ck_assert(ospf_nssa_translator(t, R1, &b.confs[1]));
	ospf_nssa_translate(b.a1, t, R1, AREA1, 0, &l);
	ck_assert_uint_eq(l.n, 1);
	w = want(&l, OSPF_LSA_EXTERNAL, IP(10, 88, 0, 0), IP(255, 255, 0, 0));
	ck_assert_ptr_nonnull(w);
	ck_assert_uint_eq(w->metric, 20);
	ck_assert(w->e2);
	ck_assert_uint_eq(w->fwd, IP(10, 0, 13, 3));
	ospf_want_free(&l);

	/* No type 4 for the NSSA's ASBR, a plain NSSA gets no default. */
	ospf_area_wants(t, R1, b.confs, 2, 0, &l);
	ck_assert_ptr_null(want(&l, OSPF_LSA_ASBR_SUMMARY, R3, 0));
	ospf_want_free(&l);
	ospf_area_wants(t, R1, b.confs, 2, 1, &l);
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, 0, 0));
	ck_assert_ptr_null(want(&l, OSPF_LSA_NSSA, 0, 0));
	expect_want(&l, OSPF_LSA_SUMMARY, IP(10, 0, 12, 0), MASK24, 10);
	ospf_want_free(&l);
	b.confs[1].nssa_default = true;
	ospf_area_wants(t, R1, b.confs, 2, 1, &l);
	expect_want(&l, OSPF_LSA_NSSA, 0, 0, OSPF_DEF_STUB_COST);
	ck_assert_ptr_null(want(&l, OSPF_LSA_SUMMARY, 0, 0));
	ospf_want_free(&l);
	b.confs[1].nssa_default = false;
	b.confs[1].no_summary = true;
	ospf_area_wants(t, R1, b.confs, 2, 1, &l);
	ck_assert_uint_eq(l.n, 1);
	expect_want(&l, OSPF_LSA_SUMMARY, 0, 0, OSPF_DEF_STUB_COST);
	ospf_want_free(&l);
	ospf_rtable_free(t);

	/* Another border router R4 with a higher ID in the NSSA wins the
	 * election; translate-always and translate-never override it. */
	add_router(b.a1, R4, OSPF_RTR_B, l4, 1);
	{
		struct ospf_rtr_link l3[] = {
			{ R1, IP(10, 0, 13, 3), OSPF_LINK_P2P, 5 },
			{ R4, IP(10, 0, 13, 3), OSPF_LINK_P2P, 1 },
			{ R3, HOST, OSPF_LINK_STUB, 0 },
		};

		add_router(b.a1, R3, OSPF_RTR_E, l3, 3);
	}
	t = abr_run(&b);
	ck_assert(!ospf_nssa_translator(t, R1, &b.confs[1]));
	b.confs[1].nssa_role = OSPF_NSSA_ALWAYS;
	ck_assert(ospf_nssa_translator(t, R1, &b.confs[1]));
	b.confs[1].nssa_role = OSPF_NSSA_NEVER;
	ck_assert(!ospf_nssa_translator(t, R5, &b.confs[1]));
	b.confs[1].nssa_role = OSPF_NSSA_CANDIDATE;
	ck_assert(ospf_nssa_translator(t, R5, &b.confs[1]));
	ospf_rtable_free(t);
	abr_free(&b);
}
END_TEST

/* The run history's guess of which LSA changed a route. */
START_TEST(test_trigger_match)
{
	struct ospf_lsa_hdr trig[] = {
		{ .type = OSPF_LSA_ROUTER, .id = R1, .adv = R1 },
		{ .type = OSPF_LSA_EXTERNAL, .id = IP(192, 0, 2, 0), .adv = R3 },
		{ .type = OSPF_LSA_SUMMARY, .id = IP(10, 1, 0, 0), .adv = R2 },
	};
	struct wp_prefix p;

	/* The type-5 and the type-3 for the prefix itself. */
	ospf_prefix_v4(&p, IP(192, 0, 2, 0), 24);
	ck_assert_int_eq(ospf_spf_trigger_match(trig, 3, &p, R3), 1);
	ospf_prefix_v4(&p, IP(10, 1, 0, 0), 16);
	ck_assert_int_eq(ospf_spf_trigger_match(trig, 3, &p, R2), 2);
	/* Another prefix of R2: its LSA; of someone else: the topology. */
	ospf_prefix_v4(&p, IP(10, 9, 0, 0), 16);
	ck_assert_int_eq(ospf_spf_trigger_match(trig, 3, &p, R2), 2);
	ck_assert_int_eq(ospf_spf_trigger_match(trig, 3, &p, R4), 0);
	/* Only LSAs that explain nothing, or none at all. */
	ck_assert_int_eq(ospf_spf_trigger_match(&trig[1], 2, &p, R4), -1);
	ck_assert_int_eq(ospf_spf_trigger_match(trig, 0, &p, R1), -1);
}
END_TEST

/* RFC 3101 §3.2: the translated type-5s inside an NSSA range become one
 * (type 2 if any is: the largest type-2 metric plus one; else type 1
 * with the largest metric), or none (not-advertise); a range with
 * nothing inside originates nothing; the most specific range wins. */
START_TEST(test_nssa_ranges)
{
	struct ospf_range_conf r[] = {
		{ IP(10, 20, 0, 0), IP(255, 255, 0, 0), false, false, 0 },
		{ IP(10, 20, 7, 0), MASK24, false, true, 33 },
		{ IP(10, 30, 0, 0), IP(255, 255, 0, 0), true, false, 0 },
		{ IP(10, 40, 0, 0), IP(255, 255, 0, 0), false, false, 0 },
		{ IP(10, 50, 0, 0), IP(255, 255, 0, 0), false, false, 0 },
	};
	struct ospf_area_conf ac = { .id = 1, .type = OSPF_AREA_NSSA,
				     .n_nssa_ranges = 5, .nssa_ranges = r };
	static const struct {
		uint32_t id, metric;
		bool e2;
	} in[] = {
		{ IP(10, 20, 1, 0), 20, true },
		{ IP(10, 20, 2, 0), 30, true },
		{ IP(10, 20, 3, 0), 90, false },
		{ IP(10, 20, 7, 0), 5, true },
		{ IP(10, 30, 1, 0), 5, true },
		{ IP(10, 40, 1, 0), 7, false },
		{ IP(10, 40, 2, 0), 9, false },
		{ IP(10, 60, 1, 0), 4, true },
	};
	struct ospf_want_list l = { 0 };
	struct ospf_want w = { .type = OSPF_LSA_EXTERNAL, .mask = MASK24,
			       .fwd = IP(10, 0, 13, 3) };
	const struct ospf_want *g;

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		w.id = in[i].id;
		w.metric = in[i].metric;
		w.e2 = in[i].e2;
		ospf_want_push(&l, &w);
	}
	ospf_nssa_aggregate(&ac, &l);
	ck_assert_uint_eq(l.n, 4);
	g = want(&l, OSPF_LSA_EXTERNAL, IP(10, 20, 0, 0), IP(255, 255, 0, 0));
	ck_assert_ptr_nonnull(g);
	ck_assert(g->e2);
	ck_assert_uint_eq(g->metric, 31);
	ck_assert_uint_eq(g->fwd, 0);
	g = want(&l, OSPF_LSA_EXTERNAL, IP(10, 20, 7, 0), MASK24);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->metric, 33);
	g = want(&l, OSPF_LSA_EXTERNAL, IP(10, 40, 0, 0), IP(255, 255, 0, 0));
	ck_assert_ptr_nonnull(g);
	ck_assert(!g->e2);
	ck_assert_uint_eq(g->metric, 9);
	/* Outside every range: as translated. */
	g = want(&l, OSPF_LSA_EXTERNAL, IP(10, 60, 1, 0), MASK24);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->fwd, IP(10, 0, 13, 3));
	ck_assert_ptr_null(want(&l, OSPF_LSA_EXTERNAL, IP(10, 30, 0, 0),
				IP(255, 255, 0, 0)));
	ck_assert_ptr_null(want(&l, OSPF_LSA_EXTERNAL, IP(10, 50, 0, 0),
				IP(255, 255, 0, 0)));
	ospf_want_free(&l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_spf");
	TCase *ti = tcase_create("intra");
	TCase *to = tcase_create("inter_ext");
	TCase *td = tcase_create("diff");
	TCase *ta = tcase_create("areas");

	tcase_add_test(ti, test_spf_line);
	tcase_add_test(ti, test_spf_no_root);
	tcase_add_test(ti, test_spf_ring_ecmp);
	tcase_add_test(ti, test_spf_one_way_and_maxage);
	tcase_add_test(ti, test_spf_broadcast);
	tcase_add_test(ti, test_spf_p2mp);
	tcase_add_test(to, test_spf_inter_area);
	tcase_add_test(to, test_spf_external);
	tcase_add_test(to, test_spf_vlink);
	tcase_add_test(to, test_spf_external_fwd_direct);
	tcase_add_test(td, test_rtable_diff);
	tcase_add_test(td, test_trigger_match);
	suite_add_tcase(s, ti);
	suite_add_tcase(s, to);
	tcase_add_test(ta, test_area_asbr_summary);
	tcase_add_test(ta, test_area_stub);
	tcase_add_test(ta, test_area_range);
	tcase_add_test(ta, test_area_nssa);
	tcase_add_test(ta, test_nssa_ranges);
	suite_add_tcase(s, td);
	suite_add_tcase(s, ta);
	return wp_check_run(s);
}
