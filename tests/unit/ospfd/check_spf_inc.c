/*
 * Unit tests for the incremental update (ospf_spf.c, ospf_spf_inc_update(),
 * RFC 2328 §16.5, §16.6): after each change of a type-3, type-5 or type-7
 * LSA the table updated in place must equal the table a full run computes
 * from the same LSDBs, and the changes it reports must be those between
 * the two full runs.  Hand-built cases, then random sequences of installs,
 * flushes and removals.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "spf_fixture.h"

#define MASK16		IP(255, 255, 0, 0)
#define R9	IP(9, 9, 9, 9)		/* nowhere in the topology */
#define AREA1	1

/*
 * Area 0, a ring R1 -(10)- R2 -(10)- R3 -(10)- R4 -(10)- R1: R3 over R2
 * and R4 alike.  R2, R3 and R4 are AS boundary routers; R3 has the stub
 * 10.3.0.0/16 (forwarding addresses), R2 the stub 10.2.0.0/16, and R4, an
 * area border router, a summary of 10.50.0.0/16; R2 is an area border
 * router too.  Area 1, an NSSA: R1 -(5)- R5, an AS boundary router of
 * type-7s.  R1, the root, is an area border router; with `abr` false the
 * input holds the backbone alone and R1 is not one.
 */
struct world {
	struct ospf_lsdb *a0, *a1, *as;
	struct ospf_spf_area areas[2];
	struct ospf_spf_input in;
	uint32_t seq;
};

static const struct ospf_spf_iface a0_ifs[] = {
	{ IP(10, 0, 12, 1), MASK24, 2 },
	{ IP(10, 0, 14, 1), MASK24, 4 },
	{ R1, HOST, 1 },
};

static const struct ospf_spf_iface a1_ifs[] = {
	{ IP(10, 0, 15, 1), MASK24, 5 },
};

static void
world_init2(struct world *w, unsigned int max_paths, bool abr)
{
	struct ospf_rtr_link l1[] = {
		{ R2, IP(10, 0, 12, 1), OSPF_LINK_P2P, 10 },
		{ R4, IP(10, 0, 14, 1), OSPF_LINK_P2P, 10 },
		{ R1, HOST, OSPF_LINK_STUB, 0 },
	};
	struct ospf_rtr_link l2[] = {
		{ R1, IP(10, 0, 12, 2), OSPF_LINK_P2P, 10 },
		{ R3, IP(10, 0, 23, 2), OSPF_LINK_P2P, 10 },
		{ IP(10, 2, 0, 0), MASK16, OSPF_LINK_STUB, 1 },
	};
	struct ospf_rtr_link l3[] = {
		{ R2, IP(10, 0, 23, 3), OSPF_LINK_P2P, 10 },
		{ R4, IP(10, 0, 34, 3), OSPF_LINK_P2P, 10 },
		{ IP(10, 3, 0, 0), MASK16, OSPF_LINK_STUB, 1 },
	};
	struct ospf_rtr_link l4[] = {
		{ R3, IP(10, 0, 34, 4), OSPF_LINK_P2P, 10 },
		{ R1, IP(10, 0, 14, 4), OSPF_LINK_P2P, 10 },
	};
	struct ospf_rtr_link l1b[] = {
		{ R5, IP(10, 0, 15, 1), OSPF_LINK_P2P, 5 },
	};
	struct ospf_rtr_link l5[] = {
		{ R1, IP(10, 0, 15, 5), OSPF_LINK_P2P, 5 },
		{ IP(10, 0, 15, 0), MASK24, OSPF_LINK_STUB, 5 },
	};
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_SUMMARY,
				  .id = IP(10, 50, 0, 0), .adv = R4,
				  .seq = OSPF_INITIAL_SEQ };
	struct ospf_lsa *lsa;

	memset(w, 0, sizeof(*w));
	w->a0 = ospf_lsdb_new();
	w->a1 = ospf_lsdb_new();
	w->as = ospf_lsdb_new();
	add_router(w->a0, R1, OSPF_RTR_B, l1, 3);
	add_router(w->a0, R2, OSPF_RTR_B | OSPF_RTR_E, l2, 3);
	add_router(w->a0, R3, OSPF_RTR_E, l3, 3);
	add_router(w->a0, R4, OSPF_RTR_B | OSPF_RTR_E, l4, 2);
	lsa = ospf_lsa_build_summary(&h, MASK16, 7, 0);
	ospf_lsa_unref(ospf_lsdb_install(w->a0, lsa));
	ospf_lsa_unref(lsa);
	add_router(w->a1, R1, OSPF_RTR_B, l1b, 1);
	add_router(w->a1, R5, OSPF_RTR_E, l5, 2);
	w->areas[0] = (struct ospf_spf_area){ .id = 0, .db = w->a0,
					      .ifs = a0_ifs, .n_ifs = 3 };
	w->areas[1] = (struct ospf_spf_area){ .id = AREA1,
					      .type = OSPF_AREA_NSSA,
					      .db = w->a1, .ifs = a1_ifs,
					      .n_ifs = 1 };
	w->in = (struct ospf_spf_input){ .root = R1, .now = 0,
					 .max_paths = max_paths,
					 .areas = w->areas, .n_areas = abr ? 2 : 1,
					 .as_db = w->as };
	w->seq = OSPF_INITIAL_SEQ;
}

static void
world_init(struct world *w, unsigned int max_paths)
{
	world_init2(w, max_paths, true);
}

static void
world_free(struct world *w)
{
	ospf_lsdb_free(w->a0);
	ospf_lsdb_free(w->a1);
	ospf_lsdb_free(w->as);
}

/*
 * Install a new instance of a type-5 (a7 false) or type-7 LSA.  If it
 * replaces one of another mask (the same LS ID: Appendix E not followed),
 * that prefix goes to *other, as ospf_lsa_install() queues it.
 */
static struct ospf_lsa *
ext2(struct world *w, bool a7, uint32_t id, uint32_t adv, uint32_t mask,
     uint32_t metric, bool e2, uint32_t fwd, struct wp_prefix *other,
     bool *have_other)
{
	struct ospf_lsa_hdr h = { .type = a7 ? OSPF_LSA_NSSA :
					       OSPF_LSA_EXTERNAL,
				  .id = id, .adv = adv, .seq = ++w->seq };
	struct ospf_lsa *lsa = ospf_lsa_build_external(&h, mask, metric, e2,
						       fwd, 0, 0);
	struct ospf_lsa *old = ospf_lsdb_install(a7 ? w->a1 : w->as, lsa);

	if (have_other)
		*have_other = old && old->u.ext.mask != mask;
	if (old && old->u.ext.mask != mask && other)
		ospf_prefix_v4(other, old->hdr.id & old->u.ext.mask,
			       ospf_mask2plen(old->u.ext.mask));
	ospf_lsa_unref(old);
	ospf_lsa_unref(lsa);
	return lsa;
}

static struct ospf_lsa *
ext(struct world *w, bool a7, uint32_t id, uint32_t adv, uint32_t mask,
    uint32_t metric, bool e2, uint32_t fwd)
{
	return ext2(w, a7, id, adv, mask, metric, e2, fwd, NULL, NULL);
}

/*
 * Install a new instance of a type-3 LSA in `db`; a replaced one of
 * another mask leaves its prefix in *other, as for ext2().
 */
static struct ospf_lsa *
sum2(struct world *w, struct ospf_lsdb *db, uint32_t id, uint32_t adv,
     uint32_t mask, uint32_t metric, struct wp_prefix *other,
     bool *have_other)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_SUMMARY, .id = id,
				  .adv = adv, .seq = ++w->seq };
	struct ospf_lsa *lsa = ospf_lsa_build_summary(&h, mask, metric, 0);
	struct ospf_lsa *old = ospf_lsdb_install(db, lsa);
	bool o = old && old->u.sum.mask != mask;

	if (have_other)
		*have_other = o;
	if (o && other)
		ospf_prefix_v4(other, old->hdr.id & old->u.sum.mask,
			       ospf_mask2plen(old->u.sum.mask));
	ospf_lsa_unref(old);
	ospf_lsa_unref(lsa);
	return lsa;
}

static struct ospf_lsa *
sum(struct world *w, uint32_t id, uint32_t adv, uint32_t mask,
    uint32_t metric)
{
	return sum2(w, w->a0, id, adv, mask, metric, NULL, NULL);
}

static void
expect_same_route(const struct ospf_route *a, const struct ospf_route *b)
{
	char buf[WP_PREFIX_STRLEN];

	wp_prefix_fmt(&a->p, buf, sizeof(buf));
	ck_assert_msg(b != NULL, "%s: only in the full run", buf);
	ck_assert_msg(ospf_route_same(a, b) && a->adv == b->adv,
		      "%s: full %s cost %u/%u area %u adv %08x nh %u, "
		      "incremental %s cost %u/%u area %u adv %08x nh %u", buf,
		      ospf_path_type_name(a->type), a->cost, a->cost2, a->area,
		      a->adv, a->n_nh, ospf_path_type_name(b->type), b->cost,
		      b->cost2, b->area, b->adv, b->n_nh);
}

static int
cmp_cb(const struct wp_prefix *p, void *val, void *arg)
{
	const struct ospf_rtable *other = arg;

	expect_same_route(val, ospf_rtable_get(other, p));
	return 0;
}

static int
extra_cb(const struct wp_prefix *p, void *val, void *arg)
{
	const struct ospf_rtable *full = arg;
	char buf[WP_PREFIX_STRLEN];

	(void)val;
	ck_assert_msg(ospf_rtable_get(full, p) != NULL,
		      "%s: only in the incremental table",
		      wp_prefix_fmt(p, buf, sizeof(buf)));
	return 0;
}

static void
expect_same_table(struct ospf_rtable *full, struct ospf_rtable *inc)
{
	wp_trie_walk(full->routes, NULL, cmp_cb, inc);
	wp_trie_walk(inc->routes, NULL, extra_cb, full);
	ck_assert_uint_eq(wp_trie_count(full->routes),
			  wp_trie_count(inc->routes));
	ck_assert_uint_eq(full->n_rtrs, inc->n_rtrs);
}

/*
 * The incremental update of the type-3 prefixes `sp` and the external
 * ones `pfx` on *inc, checked against a full run, and its changes against
 * the difference of the full runs.  *full becomes the new full table.
 * Returns how many routes changed.
 */
static size_t
step2(struct world *w, struct ospf_rtable **full, struct ospf_rtable *inc,
      const struct wp_prefix *sp, size_t ns, const struct wp_prefix *pfx,
      size_t n)
{
	struct ospf_rtable *now = ospf_spf_run(&w->in, NULL);
	struct ospf_spf_inc res = { 0 };
	struct ospf_rt_diff d;
	size_t changed;

	ck_assert(ospf_spf_inc_update(&w->in, inc, sp, ns, pfx, n, &res));
	expect_same_table(now, inc);
	ospf_rtable_diff(*full, now, &d);
	ck_assert_uint_eq(res.diff.n, d.n);
	ck_assert_uint_eq(res.diff.adds, d.adds);
	ck_assert_uint_eq(res.diff.changes, d.changes);
	ck_assert_uint_eq(res.diff.dels, d.dels);
	for (size_t i = 0; i < d.n; i++) {
		ck_assert_int_eq(res.diff.ch[i].op, d.ch[i].op);
		char x[WP_PREFIX_STRLEN], y[WP_PREFIX_STRLEN];

		ck_assert_msg(wp_prefix_cmp(&res.diff.ch[i].rt->p,
					    &d.ch[i].rt->p) == 0,
			      "change %zu: incremental %s, full %s", i,
			      wp_prefix_fmt(&res.diff.ch[i].rt->p, x,
					    sizeof(x)),
			      wp_prefix_fmt(&d.ch[i].rt->p, y, sizeof(y)));
		/* A DEL hands over the route that was removed. */
		if (d.ch[i].op == OSPF_RT_DEL)
			ck_assert_ptr_eq(res.diff.ch[i].rt, res.old[i]);
	}
	changed = d.n;
	ospf_rt_diff_free(&d);
	ospf_spf_inc_free(&res);
	ospf_rtable_free(*full);
	*full = now;
	return changed;
}

static size_t
step(struct world *w, struct ospf_rtable **full, struct ospf_rtable *inc,
     const struct wp_prefix *pfx, size_t n)
{
	return step2(w, full, inc, NULL, 0, pfx, n);
}

static struct wp_prefix
pfx(uint32_t addr, uint32_t mask)
{
	struct wp_prefix p;

	ospf_prefix_v4(&p, addr & mask, ospf_mask2plen(mask));
	return p;
}

static const struct ospf_route *
route(const struct ospf_rtable *t, uint32_t addr, uint32_t mask)
{
	struct wp_prefix p = pfx(addr, mask);

	return ospf_rtable_get(t, &p);
}

START_TEST(test_inc_basic)
{
	struct world w;
	struct ospf_rtable *full, *inc;
	struct wp_prefix p = pfx(IP(10, 100, 0, 0), MASK16);
	const struct ospf_route *rt;
	struct ospf_lsa *a, *b;

	world_init(&w, 0);
	full = ospf_spf_run(&w.in, NULL);
	inc = ospf_spf_run(&w.in, NULL);
	/* A new E2 from R3: added, over both halves of the ring. */
	a = ext(&w, false, IP(10, 100, 0, 0), R3, MASK16, 20, true, 0);
	ck_assert_uint_eq(step(&w, &full, inc, &p, 1), 1);
	rt = route(inc, IP(10, 100, 0, 0), MASK16);
	ck_assert_int_eq(rt->type, OSPF_PATH_EXT2);
	ck_assert_uint_eq(rt->cost, 20);
	ck_assert_uint_eq(rt->cost2, 20);
	ck_assert_uint_eq(rt->n_nh, 2);
	/* The same from R2 at a lower forwarding cost: it wins. */
	b = ext(&w, false, IP(10, 100, 0, 0), R2, MASK16, 20, true, 0);
	ck_assert_uint_eq(step(&w, &full, inc, &p, 1), 1);
	rt = route(inc, IP(10, 100, 0, 0), MASK16);
	ck_assert_uint_eq(rt->cost, 10);
	ck_assert_uint_eq(rt->adv, R2);
	/* Flushed: back to R3's. */
	ospf_lsa_set_maxage(b, 0);
	ck_assert_uint_eq(step(&w, &full, inc, &p, 1), 1);
	ck_assert_uint_eq(route(inc, IP(10, 100, 0, 0), MASK16)->adv, R3);
	/* A new instance with the same contents: nothing to send. */
	ext(&w, false, IP(10, 100, 0, 0), R3, MASK16, 20, true, 0);
	ck_assert_uint_eq(step(&w, &full, inc, &p, 1), 0);
	/* Removed: the route goes. */
	(void)a;
	ospf_lsdb_remove(w.as, ospf_lsdb_lookup(w.as, OSPF_LSA_EXTERNAL,
						IP(10, 100, 0, 0), R3));
	ck_assert_uint_eq(step(&w, &full, inc, &p, 1), 1);
	ck_assert_ptr_null(route(inc, IP(10, 100, 0, 0), MASK16));
	ospf_rtable_free(full);
	ospf_rtable_free(inc);
	world_free(&w);
}
END_TEST

START_TEST(test_inc_internal_wins_and_nssa)
{
	struct world w;
	struct ospf_rtable *full, *inc;
	struct wp_prefix ps[3] = {
		pfx(IP(10, 2, 0, 0), MASK16),
		pfx(IP(10, 50, 0, 0), MASK16),
		pfx(IP(10, 88, 0, 0), MASK16),
	};

	world_init(&w, 0);
	full = ospf_spf_run(&w.in, NULL);
	inc = ospf_spf_run(&w.in, NULL);
	/* Externals for an intra- and an inter-area prefix change nothing;
	 * a type-7 through the NSSA, forwarding address on R5's side, and
	 * a type-5 for the same prefix: one batch. */
	ext(&w, false, IP(10, 2, 0, 0), R3, MASK16, 1, false, 0);
	ext(&w, false, IP(10, 50, 0, 0), R3, MASK16, 1, false, 0);
	ext(&w, true, IP(10, 88, 0, 0), R5, MASK16, 20, true,
	    IP(10, 0, 15, 5));
	ext(&w, false, IP(10, 88, 0, 0), R2, MASK16, 30, true, 0);
	ck_assert_uint_eq(step(&w, &full, inc, ps, 3), 1);
	ck_assert_int_eq(route(inc, IP(10, 2, 0, 0), MASK16)->type,
			 OSPF_PATH_INTRA);
	ck_assert_int_eq(route(inc, IP(10, 50, 0, 0), MASK16)->type,
			 OSPF_PATH_INTER);
	ck_assert_uint_eq(route(inc, IP(10, 88, 0, 0), MASK16)->area, AREA1);
	ck_assert_uint_eq(route(inc, IP(10, 88, 0, 0), MASK16)->cost2, 20);
	ospf_rtable_free(full);
	ospf_rtable_free(inc);
	world_free(&w);
}
END_TEST

/* Appendix E: a second LSA of the same address with the host bits set. */
START_TEST(test_inc_appendix_e)
{
	struct world w;
	struct ospf_rtable *full, *inc;
	struct wp_prefix p16 = pfx(IP(10, 102, 0, 0), MASK16);
	struct wp_prefix p24 = pfx(IP(10, 102, 0, 0), MASK24);
	struct ospf_lsa *lsa;

	world_init(&w, 0);
	full = ospf_spf_run(&w.in, NULL);
	inc = ospf_spf_run(&w.in, NULL);
	ext(&w, false, IP(10, 102, 0, 0), R3, MASK16, 5, false, 0);
	ck_assert_uint_eq(step(&w, &full, inc, &p16, 1), 1);
	lsa = ext(&w, false, IP(10, 102, 0, 255), R3, MASK24, 5, false, 0);
	ck_assert(ospf_spf_ext_id_ok(lsa));
	ck_assert_uint_eq(step(&w, &full, inc, &p24, 1), 1);
	ck_assert_ptr_nonnull(route(inc, IP(10, 102, 0, 0), MASK24));
	/* Any other host bits: not found by prefix, a full run's. */
	lsa = ext(&w, false, IP(10, 103, 0, 7), R3, MASK24, 5, false, 0);
	ck_assert(!ospf_spf_ext_id_ok(lsa));
	ospf_rtable_free(full);
	ospf_rtable_free(inc);
	world_free(&w);
}
END_TEST

/*
 * Type-3s (§16.5): a new summary gives an inter-area route and makes the
 * external through it resolvable (§16.4 (3)); equal paths of two border
 * routers merge; an intra-area route wins; a flush takes both away.
 */
START_TEST(test_inc_summary)
{
	struct world w;
	struct ospf_rtable *full, *inc;
	struct wp_prefix p200 = pfx(IP(10, 200, 0, 0), MASK16);
	struct wp_prefix p50 = pfx(IP(10, 50, 0, 0), MASK16);
	struct wp_prefix p2 = pfx(IP(10, 2, 0, 0), MASK16);
	struct wp_prefix p201 = pfx(IP(10, 201, 0, 0), MASK16);
	const struct ospf_route *rt;
	struct ospf_lsa *lsa;

	world_init(&w, 0);
	ext(&w, false, IP(10, 201, 0, 0), R3, MASK16, 20, true,
	    IP(10, 200, 0, 1));
	full = ospf_spf_run(&w.in, NULL);
	inc = ospf_spf_run(&w.in, NULL);
	ck_assert_ptr_null(route(inc, IP(10, 201, 0, 0), MASK16));
	lsa = sum(&w, IP(10, 200, 0, 0), R2, MASK16, 5);
	ck_assert_uint_eq(step2(&w, &full, inc, &p200, 1, NULL, 0), 2);
	rt = route(inc, IP(10, 200, 0, 0), MASK16);
	ck_assert_int_eq(rt->type, OSPF_PATH_INTER);
	ck_assert_uint_eq(rt->cost, 15);
	ck_assert_uint_eq(rt->adv, R2);
	rt = route(inc, IP(10, 201, 0, 0), MASK16);
	ck_assert_int_eq(rt->type, OSPF_PATH_EXT2);
	ck_assert_uint_eq(rt->nh[0].gw, IP(10, 0, 12, 2));
	/* R2's 10.50.0.0/16 at R4's cost: two paths, R2 names it. */
	sum(&w, IP(10, 50, 0, 0), R2, MASK16, 7);
	ck_assert_uint_eq(step2(&w, &full, inc, &p50, 1, NULL, 0), 1);
	rt = route(inc, IP(10, 50, 0, 0), MASK16);
	ck_assert_uint_eq(rt->n_nh, 2);
	ck_assert_uint_eq(rt->adv, R2);
	/* A summary of an intra-area prefix changes nothing. */
	sum(&w, IP(10, 2, 0, 0), R4, MASK16, 1);
	ck_assert_uint_eq(step2(&w, &full, inc, &p2, 1, NULL, 0), 0);
	ck_assert_int_eq(route(inc, IP(10, 2, 0, 0), MASK16)->type,
			 OSPF_PATH_INTRA);
	/* Flushed: the route and the external through it go; the
	 * external's own prefix queued too changes nothing more. */
	ospf_lsa_set_maxage(lsa, 0);
	ck_assert_uint_eq(step2(&w, &full, inc, &p200, 1, &p201, 1), 2);
	ck_assert_ptr_null(route(inc, IP(10, 200, 0, 0), MASK16));
	ck_assert_ptr_null(route(inc, IP(10, 201, 0, 0), MASK16));
	ospf_rtable_free(full);
	ospf_rtable_free(inc);
	world_free(&w);
}
END_TEST

/* No incremental type-3 with a transit area (§16.3), nor when an
 * external through the prefix cannot be found by its own prefix. */
START_TEST(test_inc_summary_refused)
{
	struct ospf_rtr_link l5[] = {
		{ R1, IP(10, 0, 15, 5), OSPF_LINK_P2P, 5 },
	};
	struct world w;
	struct ospf_rtable *inc;
	struct wp_prefix p200 = pfx(IP(10, 200, 0, 0), MASK16);
	struct wp_prefix p210 = pfx(IP(10, 210, 0, 0), MASK16);
	struct ospf_spf_inc res = { 0 };
	size_t n;

	world_init(&w, 0);
	ext(&w, false, IP(10, 103, 0, 7), R3, MASK24, 5, false,
	    IP(10, 200, 0, 1));
	inc = ospf_spf_run(&w.in, NULL);
	ck_assert(!inc->transit);
	sum(&w, IP(10, 200, 0, 0), R2, MASK16, 5);
	n = wp_trie_count(inc->routes);
	ck_assert(!ospf_spf_inc_update(&w.in, inc, &p200, 1, NULL, 0, &res));
	ck_assert_uint_eq(res.diff.n, 0);
	ck_assert_uint_eq(wp_trie_count(inc->routes), n);
	ospf_rtable_free(inc);
	/* R5 with the V-bit: area 1 is a transit area. */
	add_router(w.a1, R5, OSPF_RTR_E | OSPF_RTR_V, l5, 1);
	ospf_lsdb_remove(w.as, ospf_lsdb_lookup(w.as, OSPF_LSA_EXTERNAL,
						IP(10, 103, 0, 7), R3));
	inc = ospf_spf_run(&w.in, NULL);
	ck_assert(inc->transit);
	sum(&w, IP(10, 210, 0, 0), R2, MASK16, 5);
	ck_assert(!ospf_spf_inc_update(&w.in, inc, &p210, 1, NULL, 0, &res));
	ck_assert_ptr_null(route(inc, IP(10, 210, 0, 0), MASK16));
	/* Externals alone still go. */
	ck_assert(ospf_spf_inc_update(&w.in, inc, NULL, 0, &p210, 1, &res));
	ospf_spf_inc_free(&res);
	ospf_rtable_free(inc);
	world_free(&w);
}
END_TEST

/* A random install, flush or removal of a type-3; its prefix (and that
 * of a replaced one of another mask) goes to sb[]. */
static void
random_sum(struct world *w, bool abr, struct wp_prefix *sb, size_t *ns)
{
	static const uint32_t addrs[][2] = {
		{ IP(10, 50, 0, 0), MASK16 },
		{ IP(10, 50, 1, 0), MASK24 },	/* fwd 10.50.1.1 */
		{ IP(10, 100, 0, 0), MASK16 },	/* an external's too */
		{ IP(10, 3, 0, 0), MASK24 },	/* fwd 10.3.0.5 */
		{ IP(10, 200, 0, 0), MASK16 },	/* fwd 10.200.0.1 */
		{ IP(10, 2, 0, 0), MASK16 },	/* intra-area */
		{ IP(10, 0, 15, 0), MASK24 },	/* intra-area in area 1 */
		{ 0, 0 },			/* default */
	};
	/* R3 no border router, R9 unreachable, R1 ourselves. */
	static const uint32_t advs[] = { R2, R4, R2, R4, R3, R9, R1 };
	unsigned int i = (unsigned int)random() % 8;
	uint32_t addr = addrs[i][0], mask = addrs[i][1];
	uint32_t adv = advs[random() % 7];
	uint32_t id = random() % 6 == 0 ? addr | ~mask : addr;
	/* An ABR's summaries of another area give it no route. */
	struct ospf_lsdb *db = abr && random() % 4 == 0 ? w->a1 : w->a0;
	struct ospf_lsa *lsa = ospf_lsdb_lookup(db, OSPF_LSA_SUMMARY, id,
						adv);
	unsigned int op = (unsigned int)random() % 10;

	if (lsa && op < 3) {
		mask = lsa->u.sum.mask;
		if (op == 0)
			ospf_lsdb_remove(db, lsa);
		else
			ospf_lsa_set_maxage(lsa, 0);
	} else {
		uint32_t metric = random() % 10 == 0 ? OSPF_LS_INFINITY :
				  1 + (uint32_t)random() % 30;
		bool other;

		sum2(w, db, id, adv, mask, metric, &sb[*ns], &other);
		*ns += other;
	}
	sb[(*ns)++] = pfx(addr, mask);
}

/* Random installs, flushes and removals of type-3s (`sums`) and
 * externals, one prefix or a batch at a time: the incremental table
 * stays the full run's. */
static void
random_run(unsigned int seed, unsigned int max_paths, bool batches,
	   bool sums, bool abr)
{
	static const uint32_t addrs[][2] = {
		{ IP(10, 100, 0, 0), MASK16 },
		{ IP(10, 101, 0, 0), MASK16 },
		{ IP(10, 102, 0, 0), MASK16 },
		{ IP(10, 102, 0, 0), MASK24 },
		{ IP(10, 2, 0, 0), MASK16 },	/* intra-area */
		{ IP(10, 50, 0, 0), MASK16 },	/* inter-area */
		{ 0, 0 },			/* default */
		{ IP(10, 3, 9, 0), MASK24 },	/* inside R3's stub */
	};
	static const uint32_t advs[] = { R1, R2, R3, R4, R5, R9 };
	static const uint32_t fwds[] = {
		0, 0, 0, IP(10, 3, 0, 5), IP(10, 50, 1, 1),
		IP(10, 200, 0, 1), IP(10, 100, 0, 1), IP(10, 0, 15, 5),
	};
	struct world w;
	struct ospf_rtable *full, *inc;
	struct wp_prefix batch[16], sb[16];
	size_t nb = 0, ns = 0, changed = 0;

	srandom(seed);
	world_init2(&w, max_paths, abr);
	full = ospf_spf_run(&w.in, NULL);
	inc = ospf_spf_run(&w.in, NULL);
	for (unsigned int k = 0; k < 400; k++) {
		unsigned int i = (unsigned int)random() % 8;
		uint32_t addr = addrs[i][0], mask = addrs[i][1];
		uint32_t adv = advs[random() % 6];
		bool a7 = random() % 3 == 0;
		uint32_t id = random() % 6 == 0 ? addr | ~mask : addr;
		struct ospf_lsdb *db = a7 ? w.a1 : w.as;
		struct ospf_lsa *lsa = ospf_lsdb_lookup(
			db, a7 ? OSPF_LSA_NSSA : OSPF_LSA_EXTERNAL, id, adv);
		unsigned int op = (unsigned int)random() % 10;

		if (sums && random() % 2 == 0) {
			random_sum(&w, abr, sb, &ns);
		} else if (lsa && op < 3) {
			/* The LSA's own prefix: its mask may be another. */
			mask = lsa->u.ext.mask;
			if (op == 0)
				ospf_lsdb_remove(db, lsa);
			else
				ospf_lsa_set_maxage(lsa, 0);
			batch[nb++] = pfx(addr, mask);
		} else {
			uint32_t metric = random() % 10 == 0 ?
					  OSPF_LS_INFINITY :
					  1 + (uint32_t)random() % 4;
			bool other;

			ext2(&w, a7, id, adv, mask, metric, random() % 2,
			     fwds[random() % 8], &batch[nb], &other);
			nb += other;
			batch[nb++] = pfx(addr, mask);
		}
		if (!batches || nb >= 8 || ns >= 8 || random() % 3 == 0) {
			changed += step2(&w, &full, inc, sb, ns, batch, nb);
			nb = ns = 0;
		}
	}
	changed += step2(&w, &full, inc, sb, ns, batch, nb);
	/* The walk did change routes, or it proved little. */
	ck_assert_uint_gt(changed, 20);
	ospf_rtable_free(full);
	ospf_rtable_free(inc);
	world_free(&w);
}

START_TEST(test_inc_random)
{
	for (unsigned int seed = 1; seed <= 20; seed++)
		random_run(seed, 0, false, false, true);
}
END_TEST

START_TEST(test_inc_random_batches)
{
	for (unsigned int seed = 100; seed <= 120; seed++)
		random_run(seed, seed % 2 ? 1 : 0, true, false, true);
}
END_TEST

/* Type-3s among the externals, on an area border router and not. */
START_TEST(test_inc_random_summaries)
{
	for (unsigned int seed = 200; seed <= 230; seed++)
		random_run(seed, seed % 3 ? 0 : 1, seed % 2, true,
			   seed % 4 < 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_spf_inc");
	TCase *tc = tcase_create("incremental");

	tcase_add_test(tc, test_inc_basic);
	tcase_add_test(tc, test_inc_internal_wins_and_nssa);
	tcase_add_test(tc, test_inc_appendix_e);
	tcase_add_test(tc, test_inc_random);
	tcase_add_test(tc, test_inc_random_batches);
	tcase_add_test(tc, test_inc_summary);
	tcase_add_test(tc, test_inc_summary_refused);
	tcase_add_test(tc, test_inc_random_summaries);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
