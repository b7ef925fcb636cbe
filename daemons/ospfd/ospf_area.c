/*
 * ospf_area.c: what an area's type and ranges mean for the LSAs an area
 * border router originates, as pure functions of the routing table and
 * the configuration (ospf_orig.c applies the answers, the unit tests
 * check them directly):
 *
 *   - summary-LSAs into each area (RFC 2328 §12.4.3): type 3 for the
 *     other areas' intra-area routes (aggregated by `area A range`) and,
 *     into non-backbone areas, for inter-area routes; type 4 for the AS
 *     boundary routers we reach, only into normal areas (§12.4.3.1);
 *   - stub areas (§3.6): no type-4s, a default type-3 of `default-cost`,
 *     with no-summary no other type-3s;
 *   - NSSAs (RFC 3101): as stub areas, but the default is a type-7 when
 *     `default-information-originate` is set (§2.4) and a type-3 with
 *     no-summary; the translator election (§3.1) and the type-5s
 *     translated from the NSSA's type-7s (§3.2);
 *   - `area A filter-list prefix NAME in|out` on the type-3s
 *     (ospf_pol.c).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

static const struct ospf_area_conf normal_area = { .auth_type = -1 };

void
ospf_want_free(struct ospf_want_list *l)
{
	wp_free(MT_OSPF_LSA, l->v);
	memset(l, 0, sizeof(*l));
}

static struct ospf_want *
want_add(struct ospf_want_list *l, uint8_t type, uint32_t id, uint32_t mask,
	 uint32_t metric)
{
	struct ospf_want *w;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = wp_realloc(MT_OSPF_LSA, l->v, l->cap * sizeof(*l->v));
	}
	w = &l->v[l->n++];
	memset(w, 0, sizeof(*w));
	w->type = type;
	w->id = type == OSPF_LSA_ASBR_SUMMARY ? id : id & mask;
	w->mask = mask;
	w->metric = metric;
	return w;
}

void
ospf_want_push(struct ospf_want_list *l, const struct ospf_want *w)
{
	*want_add(l, w->type, w->id, w->mask, w->metric) = *w;
}

uint8_t
ospf_area_options(const struct ospf_area_conf *ac)
{
	switch (ac ? ac->type : OSPF_AREA_NORMAL) {
	case OSPF_AREA_STUB:
		return 0;		/* §A.2: E-bit clear */
	case OSPF_AREA_NSSA:
		return OSPF_OPT_NP;	/* RFC 3101 §2.1: N-bit, E clear */
	default:
		return OSPF_OPT_E;
	}
}

const char *
ospf_area_type_name(const struct ospf_area_conf *ac)
{
	switch (ac ? ac->type : OSPF_AREA_NORMAL) {
	case OSPF_AREA_STUB:
		return "stub";
	case OSPF_AREA_NSSA:
		return "nssa";
	default:
		return "normal";
	}
}

static const struct ospf_area_conf *
conf_of(const struct ospf_area_conf *confs, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (confs[i].id == id)
			return &confs[i];
	return &normal_area;
}

static const struct ospf_range_conf *
range_of(const struct ospf_area_conf *ac, uint32_t addr, uint32_t mask)
{
	for (unsigned int i = 0; i < ac->n_ranges; i++) {
		const struct ospf_range_conf *r = &ac->ranges[i];

		if (mask >= r->mask && (addr & r->mask) == r->addr)
			return r;
	}
	return NULL;
}

struct walk {
	const struct ospf_area_conf *confs;
	size_t n;
	const struct ospf_area_conf *target;
	struct ospf_want_list *out;
	/* Ranges: the highest cost of the routes each one covers. */
	const struct ospf_range_conf *range;
	uint32_t range_area;
	bool range_hit;
	uint32_t range_cost;
};

/* §12.4.3: intra-area routes of the other areas; inter-area routes
 * (learnt over the backbone) only into the other, non-backbone areas. */
static int
sum_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct walk *w = arg;
	const struct ospf_route *rt = val;
	uint32_t mask = ospf_plen2mask(p->len), addr = ospf_prefix_addr(p);

	if (rt->cost >= OSPF_LS_INFINITY)
		return 0;
	if (rt->type == OSPF_PATH_INTRA) {
		if (rt->area == w->target->id)
			return 0;
		if (range_of(conf_of(w->confs, w->n, rt->area), addr, mask))
			return 0;	/* the range stands for it */
	} else if (rt->type != OSPF_PATH_INTER || w->target->id == 0 ||
		   rt->area == w->target->id) {
		return 0;
	}
	if (!ospf_area_filter_permits(conf_of(w->confs, w->n, rt->area),
				      w->target, addr, mask))
		return 0;
	want_add(w->out, OSPF_LSA_SUMMARY, addr, mask, rt->cost);
	return 0;
}

static int
range_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct walk *w = arg;
	const struct ospf_route *rt = val;
	uint32_t mask = ospf_plen2mask(p->len), addr = ospf_prefix_addr(p);

	if (rt->type != OSPF_PATH_INTRA || rt->cost >= OSPF_LS_INFINITY ||
	    rt->area != w->range_area || mask < w->range->mask ||
	    (addr & w->range->mask) != w->range->addr)
		return 0;
	w->range_hit = true;
	if (rt->cost > w->range_cost)
		w->range_cost = rt->cost;
	return 0;
}

/* §12.4.3: one type-3 per active range of the other areas, of the
 * highest cost among its routes (or the configured cost). */
static void
ranges(const struct ospf_rtable *rt, struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		const struct ospf_area_conf *ac = &w->confs[i];

		if (ac == w->target)
			continue;
		for (unsigned int j = 0; j < ac->n_ranges; j++) {
			const struct ospf_range_conf *r = &ac->ranges[j];

			w->range = r;
			w->range_area = ac->id;
			w->range_hit = false;
			w->range_cost = 0;
			wp_trie_walk(rt->routes, NULL, range_cb, w);
			if (!w->range_hit || r->not_advertise ||
			    !ospf_area_filter_permits(ac, w->target, r->addr,
						      r->mask))
				continue;
			want_add(w->out, OSPF_LSA_SUMMARY, r->addr, r->mask,
				 r->cost_set ? r->cost : w->range_cost);
		}
	}
}

/* §12.4.3: a type-4 for each AS boundary router we reach, at the cost of
 * the best route to it, into normal areas other than the route's.  ASBRs
 * inside stub areas or NSSAs are not summarised (RFC 3101 §2.4: their
 * routes reach the rest of the AS through the translator). */
static void
asbr_summaries(const struct ospf_rtable *rt, uint32_t self, struct walk *w)
{
	const struct ospf_area_conf *t = w->target;

	for (size_t i = 0; i < rt->n_rtrs; i++) {
		const struct ospf_rtr_route *r = &rt->rtrs[i], *best = NULL;
		bool seen = false;

		if (!(r->flags & OSPF_RTR_E) || r->id == self)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = rt->rtrs[j].id == r->id &&
			       (rt->rtrs[j].flags & OSPF_RTR_E);
		if (seen)
			continue;	/* done at the first entry */
		for (size_t j = i; j < rt->n_rtrs; j++) {
			const struct ospf_rtr_route *c = &rt->rtrs[j];

			if (c->id != r->id || !(c->flags & OSPF_RTR_E) ||
			    c->area == t->id || c->cost >= OSPF_LS_INFINITY ||
			    conf_of(w->confs, w->n, c->area)->type !=
			    OSPF_AREA_NORMAL)
				continue;
			if (c->type == OSPF_PATH_INTER && t->id == 0)
				continue;
			if (ospf_rtr_route_better(c, best))
				best = c;
		}
		if (best)
			want_add(w->out, OSPF_LSA_ASBR_SUMMARY, best->id, 0,
				 best->cost);
	}
}

void
ospf_area_wants(const struct ospf_rtable *rt, uint32_t self,
		const struct ospf_area_conf *confs, size_t n, size_t target,
		struct ospf_want_list *out)
{
	const struct ospf_area_conf *t = &confs[target];
	uint32_t dcost = t->default_cost_set ? t->default_cost :
			 OSPF_DEF_STUB_COST;
	struct walk w = { .confs = confs, .n = n, .target = t, .out = out };

	if (t->type == OSPF_AREA_STUB ||
	    (t->type == OSPF_AREA_NSSA && t->no_summary))
		want_add(out, OSPF_LSA_SUMMARY, 0, 0, dcost);
	if (t->type == OSPF_AREA_NSSA && t->nssa_default) {
		/* RFC 3101 §2.4: P-bit clear, forwarding address 0. */
		struct ospf_want *d = want_add(out, OSPF_LSA_NSSA, 0, 0,
					       dcost);

		d->e2 = true;
	}
	if (t->type != OSPF_AREA_NORMAL && t->no_summary)
		return;
	wp_trie_walk(rt->routes, NULL, sum_cb, &w);
	ranges(rt, &w);
	if (t->type == OSPF_AREA_NORMAL)
		asbr_summaries(rt, self, &w);
}

bool
ospf_nssa_translator(const struct ospf_rtable *rt, uint32_t self,
		     const struct ospf_area_conf *nssa)
{
	if (nssa->nssa_role == OSPF_NSSA_ALWAYS)
		return true;
	if (nssa->nssa_role == OSPF_NSSA_NEVER)
		return false;
	/* §3.1: a candidate yields to any reachable border router of the
	 * NSSA that translates always (Nt) or has a higher router ID. */
	for (size_t i = 0; i < rt->n_rtrs; i++) {
		const struct ospf_rtr_route *r = &rt->rtrs[i];

		if (r->area != nssa->id || r->type != OSPF_PATH_INTRA ||
		    !(r->flags & OSPF_RTR_B) || r->id == self)
			continue;
		if ((r->flags & OSPF_RTR_NT) || r->id > self)
			return false;
	}
	return true;
}

static bool
asbr_in(const struct ospf_rtable *rt, uint32_t id, uint32_t area)
{
	const struct ospf_rtr_route *r = ospf_rtable_rtr(rt, id, area);

	return r && r->type == OSPF_PATH_INTRA && (r->flags & OSPF_RTR_E);
}

void
ospf_nssa_translate(const struct ospf_lsdb *db, const struct ospf_rtable *rt,
		    uint32_t self, uint32_t area, double now,
		    struct ospf_want_list *out)
{
	struct ospf_lsdb_iter it;
	const struct ospf_lsa *lsa;

	for (lsa = ospf_lsdb_first(db, &it); lsa;
	     lsa = ospf_lsdb_next(db, &it)) {
		struct ospf_want *w = NULL;

		/* §3.2: P-bit set, a forwarding address, reachable; the
		 * default (a type-7 of 0/0) is never translated. */
		if (lsa->hdr.type != OSPF_LSA_NSSA || lsa->hdr.adv == self ||
		    !(lsa->hdr.options & OSPF_OPT_NP) || lsa->u.ext.fwd == 0 ||
		    lsa->u.ext.metric >= OSPF_LS_INFINITY ||
		    lsa->u.ext.mask == 0 ||
		    ospf_lsa_age(lsa, now) >= OSPF_MAX_AGE ||
		    !asbr_in(rt, lsa->hdr.adv, area))
			continue;
		for (size_t i = 0; i < out->n && w == NULL; i++)
			if (out->v[i].type == OSPF_LSA_EXTERNAL &&
			    out->v[i].id == (lsa->hdr.id & lsa->u.ext.mask) &&
			    out->v[i].mask == lsa->u.ext.mask)
				w = &out->v[i];
		/* Several for one prefix: type 1 before type 2, then the
		 * lower metric (§16.4 preferences). */
		if (w && (w->e2 < lsa->u.ext.e2 ||
			  (w->e2 == lsa->u.ext.e2 &&
			   w->metric <= lsa->u.ext.metric)))
			continue;
		if (w == NULL)
			w = want_add(out, OSPF_LSA_EXTERNAL, lsa->hdr.id,
				     lsa->u.ext.mask, 0);
		w->metric = lsa->u.ext.metric;
		w->e2 = lsa->u.ext.e2;
		w->fwd = lsa->u.ext.fwd;
		w->tag = lsa->u.ext.tag;
	}
}
