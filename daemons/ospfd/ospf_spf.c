/*
 * ospf_spf.c: the routing table calculation (§16), a pure function from
 * link-state databases and a root to a routing table.  No sockets, no
 * timers, no global state: ospf_instance.c gathers the input, ospf_rib.c
 * takes the output, and the unit tests feed hand-built LSDBs.
 *
 *   1. per area, Dijkstra over router- and network-LSAs (§16.1), with
 *      equal-cost paths merged and next hops computed as in §16.1.1;
 *      then stub networks (§16.1 step 2) and the routes to area border
 *      and AS boundary routers;
 *   2. inter-area routes from summary-LSAs (§16.2), examining only the
 *      backbone when we are an area border router;
 *   3. AS-external routes (§16.4), type 1 and type 2 metrics, from the
 *      type-5s and from each NSSA's type-7s (RFC 3101 §2.5).
 *
 * Virtual links (§15): the backbone is computed after the other areas,
 * so that a virtual link of the root takes its next hops from the path
 * to the other endpoint that the transit area's tree found (§16.1.1);
 * the endpoint itself is kept in the table of routers (§16.1 step 4)
 * whatever its flags, for ospf_vlink.c.  An area whose tree holds a
 * router with the V-bit is a transit area, and its summary-LSAs may
 * shorten backbone paths (§16.3).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_SPF, "OSPF SPF scratch");

enum vstate {
	V_NEW,
	V_CAND,
	V_TREE,
};

struct vertex {
	struct vertex *hnext;
	struct vertex *tnext;		/* tree order */
	const struct ospf_lsa *lsa;
	uint8_t type;			/* OSPF_LSA_ROUTER or _NETWORK */
	uint32_t id;
	uint32_t dist;
	enum vstate state;
	size_t heap_idx;
	bool direct;			/* network attached to the root */
	unsigned int n_nh;
	struct ospf_nexthop *nh;	/* max_paths of them */
};

struct spf {
	const struct ospf_spf_input *in;
	const struct ospf_spf_area *area;
	struct ospf_rtable *rt;
	unsigned int max_paths;
	struct vertex **buckets;
	size_t nbuckets;
	struct vertex **heap;
	size_t nheap, capheap;
	struct vertex *tree, *tree_tail;
	struct ospf_nexthop *tmp;	/* max_paths scratch next hops */
	struct ospf_spf_stats *st;
	bool *transit;			/* per input area: TransitCapability */
	bool area_transit;		/* of the area being computed */
};

/* --- vertices ------------------------------------------------------------- */

static size_t
vbucket(const struct spf *s, uint8_t type, uint32_t id)
{
	uint32_t h = id * 2654435761u ^ type;

	return (h ^ (h >> 16)) & (s->nbuckets - 1);
}

static struct vertex *
vfind(struct spf *s, uint8_t type, uint32_t id)
{
	for (struct vertex *v = s->buckets[vbucket(s, type, id)]; v;
	     v = v->hnext)
		if (v->type == type && v->id == id)
			return v;
	return NULL;
}

static struct vertex *
vget(struct spf *s, uint8_t type, uint32_t id, const struct ospf_lsa *lsa)
{
	struct vertex *v = vfind(s, type, id);
	size_t b;

	if (v)
		return v;
	v = wp_calloc(MT_OSPF_SPF, sizeof(*v));
	v->type = type;
	v->id = id;
	v->lsa = lsa;
	v->nh = wp_calloc(MT_OSPF_SPF, s->max_paths * sizeof(*v->nh));
	b = vbucket(s, type, id);
	v->hnext = s->buckets[b];
	s->buckets[b] = v;
	return v;
}

static void
vfree_all(struct spf *s)
{
	for (size_t i = 0; i < s->nbuckets; i++) {
		struct vertex *v, *next;

		for (v = s->buckets[i]; v; v = next) {
			next = v->hnext;
			wp_free(MT_OSPF_SPF, v->nh);
			wp_free(MT_OSPF_SPF, v);
		}
	}
	wp_free(MT_OSPF_SPF, s->buckets);
	wp_free(MT_OSPF_SPF, s->heap);
	s->buckets = NULL;
	s->heap = NULL;
	s->nheap = s->capheap = 0;
	s->tree = s->tree_tail = NULL;
}

/* --- candidate list: a binary heap ---------------------------------------- */

/* Lower distance first; at equal distance networks before routers
 * (§16.1 step 3), so next hops through a network are known in time. */
static bool
vless(const struct vertex *a, const struct vertex *b)
{
	if (a->dist != b->dist)
		return a->dist < b->dist;
	return a->type == OSPF_LSA_NETWORK && b->type == OSPF_LSA_ROUTER;
}

static void
heap_set(struct spf *s, size_t i, struct vertex *v)
{
	s->heap[i] = v;
	v->heap_idx = i;
}

static void
heap_up(struct spf *s, size_t i)
{
	struct vertex *v = s->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!vless(v, s->heap[p]))
			break;
		heap_set(s, i, s->heap[p]);
		i = p;
	}
	heap_set(s, i, v);
}

static void
heap_down(struct spf *s, size_t i)
{
	struct vertex *v = s->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct vertex *best = v;

		if (l < s->nheap && vless(s->heap[l], best)) {
			m = l;
			best = s->heap[l];
		}
		if (l + 1 < s->nheap && vless(s->heap[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		heap_set(s, i, s->heap[m]);
		i = m;
	}
	heap_set(s, i, v);
}

static void
heap_push(struct spf *s, struct vertex *v)
{
	if (s->nheap == s->capheap) {
		s->capheap = s->capheap ? s->capheap * 2 : 64;
		s->heap = wp_realloc(MT_OSPF_SPF, s->heap,
				     s->capheap * sizeof(*s->heap));
	}
	heap_set(s, s->nheap++, v);
	heap_up(s, s->nheap - 1);
}

static struct vertex *
heap_pop(struct spf *s)
{
	struct vertex *top;

	if (s->nheap == 0)
		return NULL;
	top = s->heap[0];
	if (--s->nheap > 0) {
		heap_set(s, 0, s->heap[s->nheap]);
		heap_down(s, 0);
	}
	return top;
}

/* --- links and next hops -------------------------------------------------- */

static bool
lsa_usable(const struct spf *s, const struct ospf_lsa *lsa)
{
	return lsa && ospf_lsa_age(lsa, s->in->now) < OSPF_MAX_AGE;
}

static const struct ospf_spf_iface *
iface_by_addr(const struct spf *s, uint32_t addr)
{
	for (size_t i = 0; i < s->area->n_ifs; i++)
		if (s->area->ifs[i].addr == addr)
			return &s->area->ifs[i];
	return NULL;
}

static const struct ospf_spf_iface *
iface_by_net(const struct spf *s, uint32_t net, uint32_t mask)
{
	for (size_t i = 0; i < s->area->n_ifs; i++) {
		const struct ospf_spf_iface *ifs = &s->area->ifs[i];

		if ((ifs->addr & mask) == (net & mask) &&
		    (ifs->mask == mask || mask == 0xffffffffu))
			return ifs;
	}
	return NULL;
}

/* Does router-LSA `w` link back to vertex `v` (§16.1 (2)(b))? */
static bool
router_links_back(const struct ospf_lsa *w, const struct vertex *v)
{
	for (uint16_t i = 0; i < w->u.rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &w->u.rtr.links[i];

		if (v->type == OSPF_LSA_ROUTER && (l->type == OSPF_LINK_P2P ||
		    l->type == OSPF_LINK_VIRTUAL) && l->id == v->id)
			return true;
		if (v->type == OSPF_LSA_NETWORK &&
		    l->type == OSPF_LINK_TRANSIT && l->id == v->id)
			return true;
	}
	return false;
}

static bool
network_lists(const struct ospf_lsa *n, uint32_t rtr)
{
	for (uint16_t i = 0; i < n->u.net.nrtrs; i++)
		if (n->u.net.rtrs[i] == rtr)
			return true;
	return false;
}

/*
 * W's address on the link back to the root: the data of W's p2p link to
 * the root that is on the subnet of our interface `ifs`.
 */
static uint32_t
p2p_peer_addr(const struct ospf_lsa *w, uint32_t root,
	      const struct ospf_spf_iface *ifs)
{
	uint32_t any = 0;

	for (uint16_t i = 0; i < w->u.rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &w->u.rtr.links[i];

		if (l->type != OSPF_LINK_P2P || l->id != root)
			continue;
		if ((l->data & ifs->mask) == (ifs->addr & ifs->mask))
			return l->data;
		if (any == 0)
			any = l->data;
	}
	return any;
}

/* W's interface address on transit network `net`. */
static uint32_t
transit_addr(const struct ospf_lsa *w, uint32_t net)
{
	for (uint16_t i = 0; i < w->u.rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &w->u.rtr.links[i];

		if (l->type == OSPF_LINK_TRANSIT && l->id == net)
			return l->data;
	}
	return 0;
}

/* The virtual link to `peer` configured through an area, or NULL. */
static const struct ospf_spf_vlink *
vlink_find(const struct spf *s, uint32_t peer)
{
	for (size_t i = 0; i < s->in->n_vlinks; i++)
		if (s->in->vlinks[i].peer == peer)
			return &s->in->vlinks[i];
	return NULL;
}

/*
 * Next hops over our virtual link to `peer`: those of the intra-area
 * path to it in the transit area (§16.1.1, §16.3), found before the
 * backbone is computed.  None while it is unreachable there.
 */
static unsigned int
vlink_nexthops(struct spf *s, uint32_t peer)
{
	const struct ospf_spf_vlink *vl = vlink_find(s, peer);
	const struct ospf_rtr_route *r;
	unsigned int n = 0;

	if (vl == NULL)
		return 0;
	r = ospf_rtable_rtr(s->rt, peer, vl->transit);
	if (r == NULL || r->type != OSPF_PATH_INTRA)
		return 0;
	for (unsigned int i = 0; i < r->n_nh && n < s->max_paths; i++)
		s->tmp[n++] = r->nh[i];
	return n;
}

/*
 * Next hops to W reached from V over `link` (V a router: the link in its
 * LSA; V a network: NULL).  §16.1.1.  Result in s->tmp; count returned.
 */
static unsigned int
nexthops(struct spf *s, const struct vertex *v, const struct vertex *w,
	 const struct ospf_rtr_link *link)
{
	unsigned int n = 0;

	if (v->id == s->in->root && v->type == OSPF_LSA_ROUTER &&
	    link->type == OSPF_LINK_VIRTUAL)
		return vlink_nexthops(s, w->id);
	if (v->id == s->in->root && v->type == OSPF_LSA_ROUTER) {
		const struct ospf_spf_iface *ifs = iface_by_addr(s, link->data);

		if (ifs == NULL)
			return 0;	/* not one of ours (unnumbered) */
		s->tmp[0].ifindex = ifs->ifindex;
		s->tmp[0].gw = w->type == OSPF_LSA_ROUTER ?
			       p2p_peer_addr(w->lsa, s->in->root, ifs) : 0;
		return 1;
	}
	for (unsigned int i = 0; i < v->n_nh && n < s->max_paths; i++) {
		if (v->type == OSPF_LSA_NETWORK && v->nh[i].gw == 0) {
			/* Directly attached network: W's own address. */
			s->tmp[n].ifindex = v->nh[i].ifindex;
			s->tmp[n].gw = transit_addr(w->lsa, v->id);
			n++;
		} else {
			s->tmp[n++] = v->nh[i];
		}
	}
	return n;
}

static void
relax(struct spf *s, struct vertex *v, uint8_t wtype, uint32_t wid,
      const struct ospf_lsa *wlsa, uint32_t cost,
      const struct ospf_rtr_link *link)
{
	struct vertex *w = vget(s, wtype, wid, wlsa);
	uint32_t d = v->dist + cost;
	unsigned int n;

	if (w->state == V_TREE)
		return;
	if (w->state == V_CAND && d > w->dist)
		return;
	n = nexthops(s, v, w, link);
	if (n == 0)
		return;
	if (w->state == V_NEW || d < w->dist) {
		w->dist = d;
		w->n_nh = 0;
		w->direct = v->id == s->in->root &&
			    v->type == OSPF_LSA_ROUTER &&
			    wtype == OSPF_LSA_NETWORK;
		ospf_nh_merge(w->nh, &w->n_nh, s->tmp, n, s->max_paths);
		if (w->state == V_NEW) {
			w->state = V_CAND;
			heap_push(s, w);
		} else {
			heap_up(s, w->heap_idx);
		}
		return;
	}
	/* Equal cost: another set of next hops (§16.1 (2)(d)). */
	ospf_nh_merge(w->nh, &w->n_nh, s->tmp, n, s->max_paths);
	if (v->id == s->in->root && wtype == OSPF_LSA_NETWORK)
		w->direct = true;
}

static void
examine_router(struct spf *s, struct vertex *v)
{
	const struct ospf_lsa *lsa = v->lsa;
	const struct ospf_lsdb *db = s->area->db;

	for (uint16_t i = 0; i < lsa->u.rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &lsa->u.rtr.links[i];
		const struct ospf_lsa *w;

		switch (l->type) {
		case OSPF_LINK_VIRTUAL:
			/* Only the backbone has virtual links (§15). */
			if (s->area->id != 0)
				break;
			/* fall through */
		case OSPF_LINK_P2P:
			w = ospf_lsdb_lookup(db, OSPF_LSA_ROUTER, l->id, l->id);
			if (!lsa_usable(s, w) || !router_links_back(w, v))
				break;
			relax(s, v, OSPF_LSA_ROUTER, l->id, w, l->metric, l);
			break;
		case OSPF_LINK_TRANSIT:
			w = ospf_lsdb_lookup_id(db, OSPF_LSA_NETWORK, l->id,
						s->in->now);
			if (!lsa_usable(s, w) || !network_lists(w, v->id))
				break;
			relax(s, v, OSPF_LSA_NETWORK, l->id, w, l->metric, l);
			break;
		default:
			/* Stubs: second stage. */
			break;
		}
	}
}

static void
examine_network(struct spf *s, struct vertex *v)
{
	const struct ospf_lsa *lsa = v->lsa;

	for (uint16_t i = 0; i < lsa->u.net.nrtrs; i++) {
		uint32_t r = lsa->u.net.rtrs[i];
		const struct ospf_lsa *w;

		w = ospf_lsdb_lookup(s->area->db, OSPF_LSA_ROUTER, r, r);
		if (!lsa_usable(s, w) || !router_links_back(w, v))
			continue;
		relax(s, v, OSPF_LSA_ROUTER, r, w, 0, NULL);
	}
}

/* --- routes ------------------------------------------------------------- */

/*
 * Offer an intra-area route; keep the cheaper one, merge equal ones.
 * Routes from other areas at equal cost merge too (§16.1 leaves the tie
 * open; one table entry with all paths is what ribd wants).
 */
static void
offer_intra(struct spf *s, uint32_t net, uint32_t mask, uint32_t cost,
	    const struct ospf_nexthop *nh, unsigned int n_nh, bool connected,
	    uint32_t adv)
{
	struct wp_prefix p;
	struct ospf_route *rt;

	ospf_prefix_v4(&p, net & mask, ospf_mask2plen(mask));
	rt = ospf_rtable_get(s->rt, &p);
	if (rt && rt->cost < cost)
		return;
	if (rt && rt->cost == cost && rt->connected == connected) {
		ospf_route_add_nh(rt, nh, n_nh, s->max_paths);
		return;
	}
	if (rt && rt->cost == cost && rt->connected)
		return;		/* our own network beats a path through others */
	if (rt == NULL) {
		rt = ospf_route_new(&p);
		ospf_rtable_put(s->rt, rt);
		s->st->intra++;
	}
	rt->type = OSPF_PATH_INTRA;
	rt->cost = cost;
	rt->cost2 = 0;
	rt->area = s->area->id;
	rt->adv = adv;
	rt->connected = connected;
	ospf_route_clear_nh(rt);
	ospf_route_add_nh(rt, nh, n_nh, s->max_paths);
}

static void
stub_routes(struct spf *s, const struct vertex *v)
{
	const struct ospf_lsa *lsa = v->lsa;
	bool root = v->id == s->in->root;

	for (uint16_t i = 0; i < lsa->u.rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &lsa->u.rtr.links[i];
		struct ospf_nexthop nh;

		if (l->type != OSPF_LINK_STUB)
			continue;
		if (root) {
			const struct ospf_spf_iface *ifs =
				iface_by_net(s, l->id, l->data);

			nh.gw = 0;
			nh.ifindex = ifs ? ifs->ifindex : 0;
			offer_intra(s, l->id, l->data, l->metric, &nh, 1,
				    true, v->id);
		} else {
			offer_intra(s, l->id, l->data, v->dist + l->metric,
				    v->nh, v->n_nh, false, v->id);
		}
	}
}

static bool
vlink_endpoint(const struct spf *s, uint32_t id)
{
	const struct ospf_spf_vlink *vl = vlink_find(s, id);

	return vl && vl->transit == s->area->id;
}

static void
tree_routes(struct spf *s)
{
	for (struct vertex *v = s->tree; v; v = v->tnext) {
		if (v->type == OSPF_LSA_NETWORK) {
			offer_intra(s, v->id, v->lsa->u.net.mask, v->dist,
				    v->nh, v->n_nh, v->direct,
				    v->lsa->hdr.adv);
			continue;
		}
		stub_routes(s, v);
		/* §16.1 step 2: a router with the V-bit makes the area a
		 * transit area. */
		if (v->lsa->u.rtr.flags & OSPF_RTR_V)
			s->area_transit = true;
		if (v->id == s->in->root)
			continue;
		/* Area border and AS boundary routers (§16.1 step 4), and
		 * the other end of a virtual link through this area. */
		if ((v->lsa->u.rtr.flags & (OSPF_RTR_B | OSPF_RTR_E)) ||
		    vlink_endpoint(s, v->id)) {
			struct ospf_rtr_route *r =
				ospf_rtable_rtr_add(s->rt, v->id, s->area->id);

			r->flags = v->lsa->u.rtr.flags;
			r->type = OSPF_PATH_INTRA;
			r->cost = v->dist;
			r->n_nh = 0;
			ospf_nh_merge(r->nh, &r->n_nh, v->nh, v->n_nh,
				      s->max_paths < OSPF_MAX_PATHS ?
				      s->max_paths : OSPF_MAX_PATHS);
		}
	}
}

static void
spf_area(struct spf *s, const struct ospf_spf_area *area)
{
	const struct ospf_lsa *rlsa;
	struct vertex *v;
	size_t n;

	s->area = area;
	s->area_transit = false;
	rlsa = ospf_lsdb_lookup(area->db, OSPF_LSA_ROUTER, s->in->root,
				s->in->root);
	if (!lsa_usable(s, rlsa))
		return;
	n = area->db->count_type[OSPF_LSA_ROUTER] +
	    area->db->count_type[OSPF_LSA_NETWORK];
	for (s->nbuckets = 64; s->nbuckets < n; s->nbuckets *= 2)
		;
	s->buckets = wp_calloc(MT_OSPF_SPF, s->nbuckets * sizeof(*s->buckets));
	v = vget(s, OSPF_LSA_ROUTER, s->in->root, rlsa);
	v->state = V_CAND;
	v->dist = 0;
	heap_push(s, v);
	while ((v = heap_pop(s)) != NULL) {
		v->state = V_TREE;
		if (s->tree_tail)
			s->tree_tail->tnext = v;
		else
			s->tree = v;
		s->tree_tail = v;
		s->st->vertices++;
		if (v->type == OSPF_LSA_ROUTER)
			examine_router(s, v);
		else
			examine_network(s, v);
	}
	tree_routes(s);
	vfree_all(s);
}

/* --- inter-area (§16.2) ---------------------------------------------------- */

static const struct ospf_spf_area *
summary_area(const struct ospf_spf_input *in)
{
	/* An area border router examines only the backbone's summaries. */
	if (in->n_areas == 1)
		return &in->areas[0];
	for (size_t i = 0; i < in->n_areas; i++)
		if (in->areas[i].id == 0)
			return &in->areas[i];
	return NULL;
}

/*
 * The better inter-area or external route to `p` that `lsa` offers: a new
 * route (counted in *counter) when `rt` is NULL, else `rt` taken over;
 * its area, advertising router and paths set here, its type and costs by
 * the caller.  Equal-cost offers merge in the callers instead.
 */
static struct ospf_route *
route_take(struct spf *s, struct ospf_route *rt, const struct wp_prefix *p,
	   unsigned int *counter, const struct ospf_lsa *lsa, uint32_t area,
	   const struct ospf_nexthop *nh, unsigned int n_nh)
{
	if (rt == NULL) {
		rt = ospf_route_new(p);
		ospf_rtable_put(s->rt, rt);
		(*counter)++;
	}
	rt->area = area;
	rt->adv = lsa->hdr.adv;
	rt->connected = false;
	ospf_route_clear_nh(rt);
	ospf_route_add_nh(rt, nh, n_nh, s->max_paths);
	return rt;
}

/*
 * §16.2 for one type-3 LSA of the area `a` whose summaries we examine:
 * offer its path to the route of its prefix.  Equal paths merge and the
 * lowest advertising router names the route, so the result does not
 * depend on the order of the LSAs (ospf_spf_inc_update() offers only
 * those of one prefix).
 */
static void
sum_offer(struct spf *s, const struct ospf_spf_area *a,
	  const struct ospf_lsa *lsa, const struct ospf_rtr_route *br,
	  uint32_t cost)
{
	struct wp_prefix p;
	struct ospf_route *rt;
	uint32_t mask = lsa->u.sum.mask;

	ospf_prefix_v4(&p, lsa->hdr.id & mask, ospf_mask2plen(mask));
	rt = ospf_rtable_get(s->rt, &p);
	if (rt && (rt->type == OSPF_PATH_INTRA || rt->cost < cost))
		return;
	if (rt && rt->cost == cost) {
		ospf_route_add_nh(rt, br->nh, br->n_nh, s->max_paths);
		if (lsa->hdr.adv < rt->adv)
			rt->adv = lsa->hdr.adv;
		return;
	}
	rt = route_take(s, rt, &p, &s->st->inter, lsa, a->id, br->nh,
			br->n_nh);
	rt->type = OSPF_PATH_INTER;
	rt->cost = cost;
}

/* The area border router `lsa` comes from, if its summary counts (§16.2
 * (1)-(3)); *cost is then the path's. */
static const struct ospf_rtr_route *
sum_border(struct spf *s, const struct ospf_spf_area *a,
	   const struct ospf_lsa *lsa, uint32_t *cost)
{
	const struct ospf_rtr_route *br;

	if (lsa->u.sum.metric == OSPF_LS_INFINITY ||
	    !lsa_usable(s, lsa) || lsa->hdr.adv == s->in->root)
		return NULL;
	br = ospf_rtable_rtr(s->rt, lsa->hdr.adv, a->id);
	if (br == NULL || br->type != OSPF_PATH_INTRA ||
	    !(br->flags & OSPF_RTR_B))
		return NULL;
	*cost = br->cost + lsa->u.sum.metric;
	return br;
}

static void
inter_area(struct spf *s)
{
	const struct ospf_spf_area *a = summary_area(s->in);
	struct ospf_lsdb_iter it;
	const struct ospf_lsa *lsa;

	if (a == NULL)
		return;
	for (lsa = ospf_lsdb_first(a->db, &it); lsa;
	     lsa = ospf_lsdb_next(a->db, &it)) {
		const struct ospf_rtr_route *br;
		uint32_t cost;

		if (lsa->hdr.type != OSPF_LSA_SUMMARY &&
		    lsa->hdr.type != OSPF_LSA_ASBR_SUMMARY)
			continue;
		br = sum_border(s, a, lsa, &cost);
		if (br == NULL)
			continue;
		if (lsa->hdr.type == OSPF_LSA_SUMMARY) {
			sum_offer(s, a, lsa, br, cost);
		} else {
			struct ospf_rtr_route *r;

			r = ospf_rtable_rtr(s->rt, lsa->hdr.id, a->id);
			if (r && (r->type == OSPF_PATH_INTRA ||
				  r->cost < cost))
				continue;
			if (r && r->cost == cost) {
				ospf_nh_merge(r->nh, &r->n_nh, br->nh,
					      br->n_nh, OSPF_MAX_PATHS);
				continue;
			}
			/* br may move when the array grows: copy first. */
			{
				struct ospf_rtr_route b = *br;

				r = ospf_rtable_rtr_add(s->rt, lsa->hdr.id,
							a->id);
				r->flags = OSPF_RTR_E;
				r->type = OSPF_PATH_INTER;
				r->cost = cost;
				r->n_nh = 0;
				ospf_nh_merge(r->nh, &r->n_nh, b.nh, b.n_nh,
					      OSPF_MAX_PATHS);
			}
		}
	}
}

/* --- transit areas (§16.3) ------------------------------------------------ */

/*
 * An area border router attached to a transit area looks at the area's
 * summary-LSAs: one that gives a shorter path to a destination already
 * reached through the backbone replaces (or, equal, adds to) the
 * backbone path's cost and next hops.  The route stays a backbone route.
 */
static void
transit_summary(struct spf *s, const struct ospf_spf_area *a,
		const struct ospf_lsa *lsa)
{
	const struct ospf_rtr_route *br;
	uint32_t cost;

	br = ospf_rtable_rtr(s->rt, lsa->hdr.adv, a->id);
	if (br == NULL || br->type != OSPF_PATH_INTRA)
		return;
	cost = br->cost + lsa->u.sum.metric;
	if (lsa->hdr.type == OSPF_LSA_SUMMARY) {
		struct wp_prefix p;
		struct ospf_route *rt;
		uint32_t mask = lsa->u.sum.mask;

		ospf_prefix_v4(&p, lsa->hdr.id & mask, ospf_mask2plen(mask));
		rt = ospf_rtable_get(s->rt, &p);
		if (rt == NULL || rt->area != 0 || rt->connected ||
		    (rt->type != OSPF_PATH_INTRA &&
		     rt->type != OSPF_PATH_INTER) || cost > rt->cost)
			return;
		if (cost < rt->cost) {
			rt->cost = cost;
			ospf_route_clear_nh(rt);
		}
		ospf_route_add_nh(rt, br->nh, br->n_nh, s->max_paths);
	} else {
		struct ospf_rtr_route b = *br, *r;

		r = ospf_rtable_rtr(s->rt, lsa->hdr.id, 0);
		if (r == NULL || cost > r->cost)
			return;
		if (cost < r->cost) {
			r->cost = cost;
			r->n_nh = 0;
		}
		ospf_nh_merge(r->nh, &r->n_nh, b.nh, b.n_nh, OSPF_MAX_PATHS);
	}
}

static void
transit_areas(struct spf *s)
{
	for (size_t i = 0; i < s->in->n_areas; i++) {
		const struct ospf_spf_area *a = &s->in->areas[i];
		struct ospf_lsdb_iter it;
		const struct ospf_lsa *lsa;

		if (a->id == 0 || !s->transit[i])
			continue;
		for (lsa = ospf_lsdb_first(a->db, &it); lsa;
		     lsa = ospf_lsdb_next(a->db, &it)) {
			if ((lsa->hdr.type != OSPF_LSA_SUMMARY &&
			     lsa->hdr.type != OSPF_LSA_ASBR_SUMMARY) ||
			    lsa->u.sum.metric == OSPF_LS_INFINITY ||
			    !lsa_usable(s, lsa) ||
			    lsa->hdr.adv == s->in->root)
				continue;
			transit_summary(s, a, lsa);
		}
	}
}

/* --- AS external (§16.4) ---------------------------------------------------- */

static uint8_t
area_type(const struct spf *s, uint32_t id)
{
	for (size_t i = 0; i < s->in->n_areas; i++)
		if (s->in->areas[i].id == id)
			return s->in->areas[i].type;
	return OSPF_AREA_NORMAL;
}

/*
 * The best route to ASBR `id`, or NULL.  For a type-5 LSA (nssa NULL)
 * only routes through normal areas count (stub areas and NSSAs carry no
 * type-5s, §3.6, RFC 3101 §2.5); for a type-7 LSA only the intra-area
 * route inside its NSSA.
 */
static const struct ospf_rtr_route *
asbr_route(const struct spf *s, uint32_t id, const struct ospf_spf_area *nssa)
{
	const struct ospf_rtr_route *best = NULL;

	for (size_t i = 0; i < s->rt->n_rtrs; i++) {
		const struct ospf_rtr_route *r = &s->rt->rtrs[i];

		if (r->id != id || !(r->flags & OSPF_RTR_E))
			continue;
		if (nssa ? r->area != nssa->id || r->type != OSPF_PATH_INTRA :
		    area_type(s, r->area) != OSPF_AREA_NORMAL)
			continue;
		if (ospf_rtr_route_better(r, best))
			best = r;
	}
	return best;
}

/* Intra- or inter-area route covering `addr`, longest match. */
static const struct ospf_route *
internal_lpm(const struct spf *s, uint32_t addr)
{
	struct wp_prefix p;

	ospf_prefix_v4(&p, addr, 32);
	for (;;) {
		struct wp_prefix m;
		const struct ospf_route *rt;

		rt = wp_trie_lookup_lpm_prefix(s->rt->routes, &p, &m);
		if (rt == NULL)
			return NULL;
		if (rt->type == OSPF_PATH_INTRA || rt->type == OSPF_PATH_INTER)
			return rt;
		if (m.len == 0)
			return NULL;
		/* An external route matched: look above it. */
		p = m;
		p.len--;
		wp_prefix_mask(&p);
	}
}

/* Is the new external path (type t, x, y) better (>0), equal (0)? */
static int
ext_better(const struct ospf_route *rt, enum ospf_path_type t, uint32_t x,
	   uint32_t y)
{
	if (rt->type != t)
		return t == OSPF_PATH_EXT1 ? 1 : -1;
	if (t == OSPF_PATH_EXT1)
		return rt->cost == x ? 0 : rt->cost > x ? 1 : -1;
	if (rt->cost2 != y)
		return rt->cost2 > y ? 1 : -1;
	return rt->cost == x ? 0 : rt->cost > x ? 1 : -1;
}

/*
 * §16.4 for one type-5 LSA (nssa NULL) or type-7 LSA of the NSSA (RFC
 * 3101 §2.5): offer its path to the route of its prefix.  The result
 * does not depend on the order the LSAs are offered in (equal paths
 * merge; the lowest area and ASBR ID name the route), which is what
 * lets ospf_spf_ext_update() offer only the LSAs of one prefix.
 */
static void
ext_offer(struct spf *s, const struct ospf_lsa *lsa,
	  const struct ospf_spf_area *nssa)
{
	const struct ospf_rtr_route *asbr;
	const struct ospf_nexthop *nh;
	struct ospf_nexthop fnh[OSPF_MAX_PATHS];
	enum ospf_path_type t;
	struct ospf_route *rt;
	struct wp_prefix p;
	unsigned int n_nh;
	uint32_t x, y, mask;
	int b;

	if (lsa->u.ext.metric == OSPF_LS_INFINITY ||
	    !lsa_usable(s, lsa) || lsa->hdr.adv == s->in->root)
		return;
	asbr = asbr_route(s, lsa->hdr.adv, nssa);
	if (asbr == NULL)
		return;
	if (lsa->u.ext.fwd) {
		const struct ospf_route *fr = internal_lpm(s, lsa->u.ext.fwd);

		if (fr == NULL)
			return;
		x = fr->cost;
		n_nh = 0;
		for (unsigned int i = 0; i < fr->n_nh && n_nh < OSPF_MAX_PATHS;
		     i++) {
			fnh[n_nh] = fr->nh[i];
			if (fnh[n_nh].gw == 0)
				fnh[n_nh].gw = lsa->u.ext.fwd;
			n_nh++;
		}
		nh = fnh;
	} else {
		x = asbr->cost;
		nh = asbr->nh;
		n_nh = asbr->n_nh;
	}
	y = lsa->u.ext.metric;
	t = lsa->u.ext.e2 ? OSPF_PATH_EXT2 : OSPF_PATH_EXT1;
	if (t == OSPF_PATH_EXT1)
		x += y;
	mask = lsa->u.ext.mask;
	ospf_prefix_v4(&p, lsa->hdr.id & mask, ospf_mask2plen(mask));
	rt = ospf_rtable_get(s->rt, &p);
	if (rt && (rt->type == OSPF_PATH_INTRA || rt->type == OSPF_PATH_INTER))
		return;
	b = rt ? ext_better(rt, t, x, y) : 1;
	if (b < 0)
		return;
	if (b == 0) {
		ospf_route_add_nh(rt, nh, n_nh, s->max_paths);
		if (asbr->area < rt->area)
			rt->area = asbr->area;
		if (lsa->hdr.adv < rt->adv)
			rt->adv = lsa->hdr.adv;
		return;
	}
	rt = route_take(s, rt, &p, &s->st->ext, lsa, asbr->area, nh, n_nh);
	rt->type = t;
	rt->cost = x;
	rt->cost2 = t == OSPF_PATH_EXT2 ? y : 0;
}

/* Type-5s of `db` (nssa NULL), or type-7s of the NSSA (RFC 3101 §2.5). */
static void
external_db(struct spf *s, const struct ospf_lsdb *db,
	    const struct ospf_spf_area *nssa)
{
	uint8_t type = nssa ? OSPF_LSA_NSSA : OSPF_LSA_EXTERNAL;
	struct ospf_lsdb_iter it;
	const struct ospf_lsa *lsa;

	if (db == NULL)
		return;
	for (lsa = ospf_lsdb_first(db, &it); lsa;
	     lsa = ospf_lsdb_next(db, &it))
		if (lsa->hdr.type == type)
			ext_offer(s, lsa, nssa);
}

static void
external(struct spf *s)
{
	external_db(s, s->in->as_db, NULL);
	for (size_t i = 0; i < s->in->n_areas; i++)
		if (s->in->areas[i].type == OSPF_AREA_NSSA)
			external_db(s, s->in->areas[i].db, &s->in->areas[i]);
}

/* --- incremental external routes (§16.6) ------------------------------- */

/* Offer the LSAs of `db` for exactly prefix (addr, mask): their LS ID is
 * the address, or the address with the host bits set (Appendix E). */
static void
ext_offer_prefix(struct spf *s, const struct ospf_lsdb *db,
		 const struct ospf_spf_area *nssa, uint32_t addr,
		 uint32_t mask)
{
	uint8_t type = nssa ? OSPF_LSA_NSSA : OSPF_LSA_EXTERNAL;
	uint32_t ids[2] = { addr, addr | ~mask };

	if (db == NULL)
		return;
	for (unsigned int k = 0; k < (ids[1] != ids[0] ? 2u : 1u); k++) {
		const struct ospf_lsa *lsa;

		for (lsa = ospf_lsdb_chain(db, type, ids[k]); lsa;
		     lsa = lsa->hnext)
			if (lsa->hdr.type == type && lsa->hdr.id == ids[k] &&
			    lsa->u.ext.mask == mask)
				ext_offer(s, lsa, nssa);
	}
}

/* Offer the type-3s of the summary area for exactly prefix (addr, mask),
 * found by LS ID as the externals are (Appendix E). */
static void
sum_offer_prefix(struct spf *s, uint32_t addr, uint32_t mask)
{
	const struct ospf_spf_area *a = summary_area(s->in);
	uint32_t ids[2] = { addr, addr | ~mask };

	if (a == NULL)
		return;
	for (unsigned int k = 0; k < (ids[1] != ids[0] ? 2u : 1u); k++) {
		const struct ospf_lsa *lsa;

		for (lsa = ospf_lsdb_chain(a->db, OSPF_LSA_SUMMARY, ids[k]);
		     lsa; lsa = lsa->hnext) {
			const struct ospf_rtr_route *br;
			uint32_t cost;

			if (lsa->hdr.type != OSPF_LSA_SUMMARY ||
			    lsa->hdr.id != ids[k] || lsa->u.sum.mask != mask)
				continue;
			br = sum_border(s, a, lsa, &cost);
			if (br)
				sum_offer(s, a, lsa, br, cost);
		}
	}
}

bool
ospf_spf_sum_id_ok(const struct ospf_lsa *lsa)
{
	uint32_t host = lsa->hdr.id & ~lsa->u.sum.mask;

	return host == 0 || host == ~lsa->u.sum.mask;
}

bool
ospf_spf_ext_id_ok(const struct ospf_lsa *lsa)
{
	uint32_t host = lsa->hdr.id & ~lsa->u.ext.mask;

	return host == 0 || host == ~lsa->u.ext.mask;
}

/* A prefix to recompute: `sum` if a type-3 of it changed. */
struct inc_ent {
	struct wp_prefix p;
	bool sum;
	bool skip;			/* an intra-area route: unchanged */
	struct ospf_route *cur;		/* the route it had, taken out */
};

static int
inc_ent_cmp(const void *a, const void *b)
{
	const struct inc_ent *x = a, *y = b;
	int c = wp_prefix_cmp(&x->p, &y->p);

	/* A prefix's type-3 entry first: it stays, the repeat goes. */
	return c ? c : (int)y->sum - (int)x->sum;
}

static void
inc_ent_add(struct inc_ent **v, size_t *n, size_t *cap,
	    const struct wp_prefix *p, bool sum)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = wp_realloc(MT_OSPF_SPF, *v, *cap * sizeof(**v));
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].p = *p;
	(*v)[(*n)++].sum = sum;
}

/*
 * The externals whose forwarding address lies in one of the `n` type-3
 * prefixes: their route may follow the inter-area route to it (§16.4
 * (3)).  False if one of them cannot be found again by its prefix.
 */
static bool
fwd_deps_db(const struct ospf_lsdb *db, uint8_t type,
	    const struct wp_prefix *sum, size_t n, struct inc_ent **v,
	    size_t *nv, size_t *cap)
{
	struct ospf_lsdb_iter it;
	const struct ospf_lsa *lsa;

	if (db == NULL)
		return true;
	for (lsa = ospf_lsdb_first(db, &it); lsa;
	     lsa = ospf_lsdb_next(db, &it)) {
		struct wp_prefix p;

		if (lsa->hdr.type != type || lsa->u.ext.fwd == 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			uint32_t m = ospf_plen2mask(sum[i].len);

			if ((lsa->u.ext.fwd & m) != ospf_prefix_addr(&sum[i]))
				continue;
			if (!ospf_spf_ext_id_ok(lsa))
				return false;
			ospf_prefix_v4(&p, lsa->hdr.id & lsa->u.ext.mask,
				       ospf_mask2plen(lsa->u.ext.mask));
			inc_ent_add(v, nv, cap, &p, false);
			break;
		}
	}
	return true;
}

static void
ext_offer_all(struct spf *s, uint32_t addr, uint32_t mask)
{
	const struct ospf_spf_input *in = s->in;

	ext_offer_prefix(s, in->as_db, NULL, addr, mask);
	for (size_t k = 0; k < in->n_areas; k++)
		if (in->areas[k].type == OSPF_AREA_NSSA)
			ext_offer_prefix(s, in->areas[k].db, &in->areas[k],
					 addr, mask);
}

/* Record in `res` what became of e->p. */
static void
inc_emit(struct ospf_rtable *rt, struct inc_ent *e, struct ospf_spf_inc *res)
{
	struct ospf_route *cur = e->cur, *now = ospf_rtable_get(rt, &e->p);

	if (cur && now && ospf_route_same(cur, now)) {
		ospf_route_free(cur);
		return;
	}
	if (cur == NULL && now == NULL)
		return;
	if (res->n == res->cap) {
		res->cap = res->cap ? res->cap * 2 : 16;
		res->old = wp_realloc(MT_OSPF_SPF, res->old,
				      res->cap * sizeof(*res->old));
	}
	res->old[res->n++] = cur;
	if (now == NULL) {
		ospf_rt_diff_push(&res->diff, OSPF_RT_DEL, cur);
		res->diff.dels++;
	} else {
		ospf_rt_diff_push(&res->diff, OSPF_RT_ADD, now);
		if (cur)
			res->diff.changes++;
		else
			res->diff.adds++;
	}
}

bool
ospf_spf_inc_update(const struct ospf_spf_input *in, struct ospf_rtable *rt,
		    const struct wp_prefix *sum, size_t n_sum,
		    const struct wp_prefix *ext, size_t n_ext,
		    struct ospf_spf_inc *res)
{
	struct ospf_spf_stats st;
	struct inc_ent *v = NULL;
	size_t nv = 0, cap = 0, m = 0;
	struct spf s;

	/*
	 * §16.3: with a transit area, the summaries of that area may
	 * shorten backbone routes, and a virtual link's path depends on
	 * the transit area's tree; neither is redone here: a full run.
	 */
	if (n_sum && rt->transit)
		return false;
	for (size_t i = 0; i < n_sum; i++)
		inc_ent_add(&v, &nv, &cap, &sum[i], true);
	for (size_t i = 0; i < n_ext; i++)
		inc_ent_add(&v, &nv, &cap, &ext[i], false);
	if (n_sum) {
		bool ok = fwd_deps_db(in->as_db, OSPF_LSA_EXTERNAL, sum, n_sum,
				      &v, &nv, &cap);

		for (size_t k = 0; ok && k < in->n_areas; k++)
			if (in->areas[k].type == OSPF_AREA_NSSA)
				ok = fwd_deps_db(in->areas[k].db,
						 OSPF_LSA_NSSA, sum, n_sum,
						 &v, &nv, &cap);
		if (!ok) {
			wp_free(MT_OSPF_SPF, v);
			return false;
		}
	}
	/* Prefix order, once each (a type-3 entry kept): a diff's order. */
	if (nv)
		qsort(v, nv, sizeof(*v), inc_ent_cmp);
	for (size_t i = 0; i < nv; i++)
		if (m == 0 || wp_prefix_cmp(&v[m - 1].p, &v[i].p) != 0)
			v[m++] = v[i];
	memset(&s, 0, sizeof(s));
	memset(&st, 0, sizeof(st));
	s.in = in;
	s.st = &st;
	s.rt = rt;
	s.max_paths = in->max_paths ? in->max_paths : OSPF_DEF_MAX_PATHS;
	if (s.max_paths > OSPF_MAX_PATHS)
		s.max_paths = OSPF_MAX_PATHS;
	/* The inter-area routes first (§16.2): forwarding addresses of
	 * the externals below resolve through them. */
	for (size_t i = 0; i < m; i++) {
		struct inc_ent *e = &v[i];

		if (!e->sum)
			continue;
		e->cur = ospf_rtable_get(rt, &e->p);
		/* An intra-area route wins whatever the summaries say. */
		if (e->cur && e->cur->type == OSPF_PATH_INTRA) {
			e->cur = NULL;
			e->skip = true;
			continue;
		}
		if (e->cur)
			wp_trie_delete(rt->routes, &e->p);
		sum_offer_prefix(&s, ospf_prefix_addr(&e->p),
				 ospf_plen2mask(e->p.len));
	}
	/* Then the externals (§16.4); intra- and inter-area routes win
	 * over any (§16.4 (6)). */
	for (size_t i = 0; i < m; i++) {
		struct inc_ent *e = &v[i];
		struct ospf_route *now = ospf_rtable_get(rt, &e->p);

		if (e->skip)
			continue;
		if (e->sum) {
			if (now)
				continue;
		} else {
			if (now && (now->type == OSPF_PATH_INTRA ||
				    now->type == OSPF_PATH_INTER)) {
				e->skip = true;
				continue;
			}
			e->cur = now;
			if (now)
				wp_trie_delete(rt->routes, &e->p);
		}
		ext_offer_all(&s, ospf_prefix_addr(&e->p),
			      ospf_plen2mask(e->p.len));
	}
	for (size_t i = 0; i < m; i++)
		if (!v[i].skip)
			inc_emit(rt, &v[i], res);
	wp_free(MT_OSPF_SPF, v);
	return true;
}

void
ospf_spf_ext_update(const struct ospf_spf_input *in, struct ospf_rtable *rt,
		    const struct wp_prefix *pfx, size_t n,
		    struct ospf_spf_inc *res)
{
	ospf_spf_inc_update(in, rt, NULL, 0, pfx, n, res);
}

void
ospf_spf_inc_free(struct ospf_spf_inc *res)
{
	for (size_t i = 0; i < res->n; i++)
		ospf_route_free(res->old[i]);
	wp_free(MT_OSPF_SPF, res->old);
	ospf_rt_diff_free(&res->diff);
	memset(res, 0, sizeof(*res));
}

/* Only measured, never decided on: the result does not depend on it. */
static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct ospf_rtable *
ospf_spf_run(const struct ospf_spf_input *in, struct ospf_spf_stats *st)
{
	struct ospf_spf_stats dummy;
	double t0, t1, t2;
	struct spf s;

	memset(&s, 0, sizeof(s));
	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	s.in = in;
	s.st = st;
	s.rt = ospf_rtable_new();
	s.max_paths = in->max_paths ? in->max_paths : OSPF_DEF_MAX_PATHS;
	if (s.max_paths > OSPF_MAX_PATHS)
		s.max_paths = OSPF_MAX_PATHS;
	s.tmp = wp_calloc(MT_OSPF_SPF, s.max_paths * sizeof(*s.tmp));
	s.transit = wp_calloc(MT_OSPF_SPF, (in->n_areas + 1) *
			      sizeof(*s.transit));
	t0 = mono_ms();
	/* The backbone last: its virtual links need the transit areas'
	 * paths (§16.1.1). */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < in->n_areas; i++) {
			if ((in->areas[i].id == 0) != (pass == 1))
				continue;
			spf_area(&s, &in->areas[i]);
			s.transit[i] = s.area_transit;
		}
	}
	t1 = mono_ms();
	inter_area(&s);
	transit_areas(&s);
	/* ospf_spf_inc_update() does not redo §16.3. */
	s.rt->transit = in->n_vlinks > 0;
	for (size_t i = 0; i < in->n_areas; i++)
		if (in->areas[i].id != 0 && s.transit[i])
			s.rt->transit = true;
	t2 = mono_ms();
	external(&s);
	st->intra_ms = t1 - t0;
	st->inter_ms = t2 - t1;
	st->ext_ms = mono_ms() - t2;
	wp_free(MT_OSPF_SPF, s.tmp);
	wp_free(MT_OSPF_SPF, s.transit);
	return s.rt;
}
