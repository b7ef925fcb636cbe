/*
 * ospf_route.c: the OSPF routing table (§11) and the difference between
 * two of them.
 *
 * SPF builds a whole new table on each run; the difference against the
 * previous one, in prefix order, is what goes to ribd (ospf_rib.c), so a
 * run that changes nothing sends nothing.  Routes to networks live in a
 * wp_trie; routes to area border and AS boundary routers, which only the
 * inter-area and external stages read, in a small array.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_ROUTE, "OSPF route");

struct ospf_rtable *
ospf_rtable_new(void)
{
	struct ospf_rtable *t = wp_calloc(MT_OSPF_ROUTE, sizeof(*t));

	t->routes = wp_trie_new(AF_INET);
	return t;
}

static void
route_free_cb(void *v)
{
	ospf_route_free(v);
}

void
ospf_rtable_free(struct ospf_rtable *t)
{
	if (t == NULL)
		return;
	wp_trie_free(t->routes, route_free_cb);
	wp_free(MT_OSPF_ROUTE, t->rtrs);
	wp_free(MT_OSPF_ROUTE, t);
}

struct ospf_route *
ospf_route_new(const struct wp_prefix *p)
{
	struct ospf_route *rt = wp_calloc(MT_OSPF_ROUTE, sizeof(*rt));

	rt->p = *p;
	wp_prefix_mask(&rt->p);
	return rt;
}

void
ospf_route_free(struct ospf_route *rt)
{
	if (rt == NULL)
		return;
	wp_free(MT_OSPF_ROUTE, rt->nh);
	wp_free(MT_OSPF_ROUTE, rt);
}

static bool
nh_has(const struct ospf_nexthop *v, unsigned int n,
       const struct ospf_nexthop *nh)
{
	for (unsigned int i = 0; i < n; i++)
		if (v[i].gw == nh->gw && v[i].ifindex == nh->ifindex)
			return true;
	return false;
}

static int
nh_cmp(const void *a, const void *b)
{
	const struct ospf_nexthop *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->gw != y->gw)
		return x->gw < y->gw ? -1 : 1;
	return 0;
}

void
ospf_nh_merge(struct ospf_nexthop *a, unsigned int *na,
	      const struct ospf_nexthop *b, unsigned int nb, unsigned int max)
{
	for (unsigned int i = 0; i < nb && *na < max; i++)
		if (!nh_has(a, *na, &b[i]))
			a[(*na)++] = b[i];
	/* A canonical order: equal sets compare equal with memcmp. */
	qsort(a, *na, sizeof(*a), nh_cmp);
}

void
ospf_route_add_nh(struct ospf_route *rt, const struct ospf_nexthop *nh,
		  unsigned int n, unsigned int max)
{
	unsigned int want = rt->n_nh + n;

	if (want > rt->cap_nh) {
		rt->nh = wp_realloc(MT_OSPF_ROUTE, rt->nh,
				    want * sizeof(*rt->nh));
		rt->cap_nh = want;
	}
	ospf_nh_merge(rt->nh, &rt->n_nh, nh, n, want);
	/* Beyond `max`, the lowest in the canonical order stay: the same
	 * whatever order the paths were found in (ospf_spf_ext_update()). */
	if (rt->n_nh > max)
		rt->n_nh = max;
}

void
ospf_route_clear_nh(struct ospf_route *rt)
{
	rt->n_nh = 0;
}

struct ospf_route *
ospf_rtable_get(const struct ospf_rtable *t, const struct wp_prefix *p)
{
	return wp_trie_lookup_exact(t->routes, p);
}

void
ospf_rtable_put(struct ospf_rtable *t, struct ospf_route *rt)
{
	void *old = NULL;

	wp_trie_insert(t->routes, &rt->p, rt, &old);
	if (old && old != rt)
		ospf_route_free(old);
}

struct ospf_rtr_route *
ospf_rtable_rtr(const struct ospf_rtable *t, uint32_t id, uint32_t area)
{
	for (size_t i = 0; i < t->n_rtrs; i++)
		if (t->rtrs[i].id == id && t->rtrs[i].area == area)
			return &t->rtrs[i];
	return NULL;
}

bool
ospf_rtr_route_better(const struct ospf_rtr_route *r,
		      const struct ospf_rtr_route *best)
{
	/* §16.4.1: intra-area paths first, then the lower cost. */
	return best == NULL ||
	       (r->type == OSPF_PATH_INTRA && best->type != OSPF_PATH_INTRA) ||
	       (r->type == best->type && r->cost < best->cost);
}

struct ospf_rtr_route *
ospf_rtable_rtr_add(struct ospf_rtable *t, uint32_t id, uint32_t area)
{
	struct ospf_rtr_route *r = ospf_rtable_rtr(t, id, area);

	if (r)
		return r;
	if (t->n_rtrs == t->cap_rtrs) {
		t->cap_rtrs = t->cap_rtrs ? t->cap_rtrs * 2 : 8;
		t->rtrs = wp_realloc(MT_OSPF_ROUTE, t->rtrs,
				     t->cap_rtrs * sizeof(*t->rtrs));
	}
	r = &t->rtrs[t->n_rtrs++];
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->area = area;
	return r;
}

bool
ospf_route_same(const struct ospf_route *a, const struct ospf_route *b)
{
	if (a->type != b->type || a->cost != b->cost || a->cost2 != b->cost2 ||
	    a->area != b->area || a->connected != b->connected ||
	    a->n_nh != b->n_nh)
		return false;
	return a->n_nh == 0 ||
	       memcmp(a->nh, b->nh, a->n_nh * sizeof(*a->nh)) == 0;
}

const char *
ospf_path_type_name(enum ospf_path_type t)
{
	switch (t) {
	case OSPF_PATH_INTRA:
		return "intra-area";
	case OSPF_PATH_INTER:
		return "inter-area";
	case OSPF_PATH_EXT1:
		return "external-1";
	case OSPF_PATH_EXT2:
		return "external-2";
	}
	return "unknown";
}

/* --- difference ------------------------------------------------------- */

struct rt_vec {
	const struct ospf_route **v;
	size_t n, cap;
};

static int
collect_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct rt_vec *vec = arg;

	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 64;
		vec->v = wp_realloc(MT_OSPF_ROUTE, vec->v,
				    vec->cap * sizeof(*vec->v));
	}
	vec->v[vec->n++] = val;
	return 0;
}

void
ospf_rt_diff_push(struct ospf_rt_diff *d, enum ospf_rt_op op,
		  const struct ospf_route *rt)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->ch = wp_realloc(MT_OSPF_ROUTE, d->ch,
				   d->cap * sizeof(*d->ch));
	}
	d->ch[d->n].op = op;
	d->ch[d->n].rt = rt;
	d->n++;
}

void
ospf_rtable_diff(const struct ospf_rtable *old, const struct ospf_rtable *new,
		 struct ospf_rt_diff *d)
{
	struct rt_vec a = { 0 }, b = { 0 };
	size_t i = 0, j = 0;

	memset(d, 0, sizeof(*d));
	if (old)
		wp_trie_walk(old->routes, NULL, collect_cb, &a);
	if (new)
		wp_trie_walk(new->routes, NULL, collect_cb, &b);
	/* Both walks are in wp_prefix_cmp() order: merge them. */
	while (i < a.n || j < b.n) {
		int c = i == a.n ? 1 : j == b.n ? -1 :
			wp_prefix_cmp(&a.v[i]->p, &b.v[j]->p);

		if (c < 0) {
			ospf_rt_diff_push(d, OSPF_RT_DEL, a.v[i++]);
			d->dels++;
		} else if (c > 0) {
			ospf_rt_diff_push(d, OSPF_RT_ADD, b.v[j++]);
			d->adds++;
		} else {
			if (!ospf_route_same(a.v[i], b.v[j])) {
				ospf_rt_diff_push(d, OSPF_RT_ADD, b.v[j]);
				d->changes++;
			}
			i++;
			j++;
		}
	}
	wp_free(MT_OSPF_ROUTE, a.v);
	wp_free(MT_OSPF_ROUTE, b.v);
}

void
ospf_rt_diff_free(struct ospf_rt_diff *d)
{
	wp_free(MT_OSPF_ROUTE, d->ch);
	memset(d, 0, sizeof(*d));
}

int
ospf_spf_trigger_match(const struct ospf_lsa_hdr *trig, unsigned int n,
		       const struct wp_prefix *p, uint32_t adv)
{
	uint32_t addr = ospf_prefix_addr(p);
	int by_adv = -1, topo = -1;

	for (unsigned int i = 0; i < n; i++) {
		const struct ospf_lsa_hdr *h = &trig[i];

		switch (h->type) {
		case OSPF_LSA_SUMMARY:
		case OSPF_LSA_EXTERNAL:
		case OSPF_LSA_NSSA:
			/* §12.1.4: the LS ID is the network's address
			 * (host bits may be set, Appendix E). */
			if (h->id == addr)
				return (int)i;
			break;
		case OSPF_LSA_ROUTER:
		case OSPF_LSA_NETWORK:
			if (topo < 0)
				topo = (int)i;
			break;
		default:
			break;
		}
		if (adv && h->adv == adv && by_adv < 0)
			by_adv = (int)i;
	}
	return by_adv >= 0 ? by_adv : topo;
}
