/*
 * rib_nht.c: nexthop tracking.
 *
 * One index per table (so per VRF and family): a wp_trie of host prefixes, one entry per address
 * something depends on.
 *  - Route gateways (recursive resolution): each gateway nexthop of a
 *    route sits on its address's entry (rib_nh->nht_next links, O(1) in
 *    and out; the entry is found again by the gateway, not stored).  When a dest changes, the entries below its prefix are exactly
 *    the addresses whose resolution it may have changed; their routes are
 *    requeued.  So adding a route costs one walk of a small subtree, not a
 *    pass over every route with a gateway.
 *  - Client watches (NH_REGISTER): an entry with watchers keeps its last
 *    answer (`res`).  A change below it queues the entry; the queue is
 *    evaluated from a timer once the work queue is empty (or after
 *    NHT_EVAL_MAX_WAIT), and an answer that differs goes to
 *    rib->hooks->nht_changed.
 * The answer follows the rule routes resolve by (rib.c): the longest
 * prefix whose selected route is active, never the default route unless
 * `ip nht resolve-via-default`.
 */
#include "config.h"

#include <string.h>

#include "ribd.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_RIB_NHT, "RIB nexthop tracking");
WP_MEMTYPE_DEFINE(MT_RIB_NHT_RES, "RIB nexthop answer");
WP_MEMTYPE_DEFINE(MT_RIB_NHT_WATCH, "RIB nexthop watch");

#define NHT_EVAL_MAX_WAIT	1.0	/* seconds behind a busy work queue */

static void nht_timer_cb(struct wp_timer *t);

static struct wp_prefix
host_prefix(const struct wp_addr *a)
{
	struct wp_prefix p;

	wp_prefix_from_addr(&p, a, wp_family_bits(a->family));
	return p;
}

/* The table of vrf that tracks addresses of a's family. */
static struct rib_table *
track_table(struct ribd *rib, struct rib_vrf *vrf, const struct wp_addr *a)
{
	return rib_vrf_table(vrf ? vrf : rib_vrf_default(rib), a->family);
}

static struct rib_nht_entry *
entry_get(struct rib_table *t, const struct wp_addr *a)
{
	struct wp_prefix p = host_prefix(a);
	struct rib_nht_entry *e = wp_trie_lookup_exact(t->nhtrie, &p);

	if (e)
		return e;
	e = wp_calloc(MT_RIB_NHT, sizeof(*e));
	e->addr = *a;
	e->tbl = t;
	wp_trie_insert(t->nhtrie, &p, e, NULL);
	return e;
}

static void
eval_unlink(struct ribd *rib, struct rib_nht_entry *e)
{
	if (!e->eval_queued)
		return;
	for (struct rib_nht_entry **pp = &rib->nht_eval; *pp;
	     pp = &(*pp)->eval_next)
		if (*pp == e) {
			*pp = e->eval_next;
			break;
		}
	e->eval_queued = false;
}

static void
entry_maybe_free(struct rib_nht_entry *e)
{
	struct rib_table *t = e->tbl;
	struct wp_prefix p;

	if (e->deps || e->watchers)
		return;
	eval_unlink(t->rib, e);
	p = host_prefix(&e->addr);
	wp_trie_delete(t->nhtrie, &p);
	wp_free(MT_RIB_NHT_RES, e->res);
	wp_free(MT_RIB_NHT, e);
	rib_vrf_maybe_free(t->rib, t->vrf);
}

/* --- route gateways ---------------------------------------------------- */

static bool
nh_tracked(const struct rib_route *rt, const struct rib_nh *nh)
{
	if (rt->source == RIB_SRC_CONNECTED || rt->source == RIB_SRC_KERNEL)
		return false;
	if (nh->gw.family != AF_INET && nh->gw.family != AF_INET6)
		return false;
	return nh->type == RIB_NH_GW || (nh->type == RIB_NH_GW_IF &&
					 !nh->onlink);
}

void
rib_nht_route_track(struct ribd *rib, struct rib_route *rt)
{
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		struct rib_nh *nh = &rt->nh[i];
		struct rib_nht_entry *e;

		if (nh->tracked || !nh_tracked(rt, nh))
			continue;
		/* In the route's own VRF (a gateway of the other family,
		 * RFC 5549, in that VRF's table of its family). */
		e = entry_get(track_table(rib, rib_dest_vrf(rib, rt->dest),
					  &nh->gw), &nh->gw);
		nh->tracked = true;
		nh->nht_next = e->deps;
		if (e->deps)
			e->deps->nht_pprev = &nh->nht_next;
		nh->nht_pprev = &e->deps;
		e->deps = nh;
	}
}

void
rib_nht_route_untrack(struct ribd *rib, struct rib_route *rt)
{
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		struct rib_nh *nh = &rt->nh[i];
		struct wp_prefix p;
		struct rib_nht_entry *e;

		if (!nh->tracked)
			continue;
		*nh->nht_pprev = nh->nht_next;
		if (nh->nht_next)
			nh->nht_next->nht_pprev = nh->nht_pprev;
		nh->tracked = false;
		nh->nht_next = NULL;
		nh->nht_pprev = NULL;
		/* The entry of its gateway: the gateway is its key. */
		p = host_prefix(&nh->gw);
		e = wp_trie_lookup_exact(track_table(rib,
				rib_dest_vrf(rib, rt->dest), &nh->gw)->nhtrie, &p);
		if (e)
			entry_maybe_free(e);
	}
}

/* --- changes ------------------------------------------------------------- */

static void
eval_queue(struct ribd *rib, struct rib_nht_entry *e)
{
	if (e->eval_queued)
		return;
	if (rib->nht_eval == NULL)
		rib->nht_eval_since = wp_monotime();
	e->eval_queued = true;
	e->eval_next = rib->nht_eval;
	rib->nht_eval = e;
	if (!wp_timer_active(&rib->nht_timer))
		wp_timer_start(&rib->nht_timer, 0.0, 0.0);
}

struct changed_ctx {
	struct ribd *rib;
	struct rib_dest *d;
};

static int
changed_one(const struct wp_prefix *p, void *val, void *arg)
{
	struct changed_ctx *cx = arg;
	struct rib_nht_entry *e = val;

	for (struct rib_nh *nh = e->deps; nh; nh = nh->nht_next)
		if (rib_nh_route(nh)->dest != cx->d)
			rib_dest_queue(cx->rib, rib_nh_route(nh)->dest);
	if (e->watchers)
		eval_queue(cx->rib, e);
	return 0;
}

void
rib_nht_dest_changed(struct ribd *rib, struct rib_dest *d)
{
	struct changed_ctx cx = { rib, d };
	struct wp_trie *t = rib_dest_table(rib, d)->nhtrie;

	if (wp_trie_count(t) == 0)
		return;
	wp_trie_walk(t, &d->p, changed_one, &cx);
}

/* --- answers ------------------------------------------------------------- */

static struct rib_dest *
resolve_dest(struct ribd *rib, struct rib_table *t, const struct wp_addr *a)
{
	struct wp_prefix host = host_prefix(a), m;
	struct rib_dest *d;

	d = wp_trie_lookup_lpm_prefix(t->trie, &host, &m);
	while (d) {
		if (rib_dest_selected(d) &&
		    (d->p.len > 0 || rib->resolve_via_default))
			return d;
		if (d->p.len == 0)
			break;
		d = wp_trie_lookup_parent(t->trie, &d->p, &m);
	}
	return NULL;
}

/* The answer for `a`, allocated. */
static struct rib_nht_res *
resolve(struct ribd *rib, struct rib_table *t, const struct wp_addr *a)
{
	struct rib_dest *d = resolve_dest(rib, t, a);
	struct rib_route *rt;
	struct rib_nht_res *r;
	unsigned int n = 0;

	if (d == NULL)
		return wp_calloc(MT_RIB_NHT_RES, sizeof(*r));
	rt = rib_dest_selected(d);
	if (d->fib)
		n = d->fib->n_nh;
	else
		n = rt->n_nh;
	r = wp_calloc(MT_RIB_NHT_RES, sizeof(*r) + n * sizeof(r->nh[0]));
	r->resolved = true;
	r->via = d->p;
	r->source = rt->source;
	r->distance = rt->distance;
	r->metric = rt->metric;
	if (d->fib) {
		/* What we put in the kernel. */
		r->type = d->fib->type;
		r->n_nh = d->fib->n_nh;
		memcpy(r->nh, d->fib->nh, n * sizeof(r->nh[0]));
		return r;
	}
	/* The kernel's own (connected, kernel routes): the route itself. */
	r->type = RIB_KTYPE_UNICAST;
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		const struct rib_nh *nh = &rt->nh[i];
		struct rib_knh *k;

		switch (nh->type) {
		case RIB_NH_BLACKHOLE:
			r->type = RIB_KTYPE_BLACKHOLE;
			continue;
		case RIB_NH_UNREACHABLE:
			r->type = RIB_KTYPE_UNREACHABLE;
			continue;
		case RIB_NH_PROHIBIT:
			r->type = RIB_KTYPE_PROHIBIT;
			continue;
		default:
			break;
		}
		if (!nh->active)
			continue;
		k = &r->nh[r->n_nh++];
		k->ifindex = nh->ifindex ? nh->ifindex : nh->resolved_ifindex;
		k->weight = nh->weight ? nh->weight : 1;
		k->onlink = nh->onlink;
		if (nh->type == RIB_NH_GW || nh->type == RIB_NH_GW_IF)
			k->gw = nh->gw;
	}
	return r;
}

static bool
res_eq(const struct rib_nht_res *a, const struct rib_nht_res *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->resolved != b->resolved)
		return false;
	if (!a->resolved)
		return true;
	if (!wp_prefix_eq(&a->via, &b->via) || a->source != b->source ||
	    a->distance != b->distance || a->metric != b->metric ||
	    a->type != b->type || a->n_nh != b->n_nh)
		return false;
	for (unsigned int i = 0; i < a->n_nh; i++) {
		const struct rib_knh *x = &a->nh[i], *y = &b->nh[i];

		if (x->ifindex != y->ifindex || x->weight != y->weight ||
		    x->onlink != y->onlink || x->gw.family != y->gw.family ||
		    (x->gw.family && !wp_addr_eq(&x->gw, &y->gw)))
			return false;
	}
	return true;
}

/* Re-evaluate e; true (and e->res replaced) if the answer changed. */
static bool
entry_eval(struct ribd *rib, struct rib_nht_entry *e)
{
	struct rib_nht_res *r = resolve(rib, e->tbl, &e->addr);

	if (res_eq(r, e->res)) {
		wp_free(MT_RIB_NHT_RES, r);
		return false;
	}
	wp_free(MT_RIB_NHT_RES, e->res);
	e->res = r;
	return true;
}

void
rib_nht_eval_all(struct ribd *rib)
{
	struct rib_nht_entry *e;

	wp_timer_stop(&rib->nht_timer);
	while ((e = rib->nht_eval) != NULL) {
		rib->nht_eval = e->eval_next;
		e->eval_queued = false;
		e->eval_next = NULL;
		if (e->watchers && entry_eval(rib, e) && rib->hooks &&
		    rib->hooks->nht_changed)
			rib->hooks->nht_changed(rib, e);
	}
}

static void
nht_timer_cb(struct wp_timer *t)
{
	struct ribd *rib = container_of(t, struct ribd, nht_timer);

	/* Answer once the work queue has settled: no intermediate states,
	 * unless it stays busy for long. */
	if (rib->work_head &&
	    wp_monotime() - rib->nht_eval_since < NHT_EVAL_MAX_WAIT) {
		wp_timer_start(&rib->nht_timer, 0.001, 0.0);
		return;
	}
	rib_nht_eval_all(rib);
}

/* --- watches ------------------------------------------------------------- */

struct rib_nht_watch *
rib_nht_watch(struct ribd *rib, struct rib_vrf *vrf, const struct wp_addr *a,
	      void *owner)
{
	struct rib_nht_entry *e = entry_get(track_table(rib, vrf, a), a);
	struct rib_nht_watch *w = wp_calloc(MT_RIB_NHT_WATCH, sizeof(*w));

	if (e->watchers == NULL || e->res == NULL)
		entry_eval(rib, e);
	w->e = e;
	w->owner = owner;
	w->next = e->watchers;
	e->watchers = w;
	return w;
}

void
rib_nht_unwatch(struct ribd *rib, struct rib_nht_watch *w)
{
	struct rib_nht_entry *e = w->e;

	for (struct rib_nht_watch **pp = &e->watchers; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	wp_free(MT_RIB_NHT_WATCH, w);
	if (e->watchers == NULL) {
		/* Nobody to answer: a new watcher evaluates afresh. */
		wp_free(MT_RIB_NHT_RES, e->res);
		e->res = NULL;
		eval_unlink(rib, e);
	}
	entry_maybe_free(e);
}

size_t
rib_nht_count(const struct ribd *rib)
{
	struct rib_vrf *v;
	size_t n = 0;

	RIB_VRF_FOREACH(rib, i, v)
		n += wp_trie_count(v->tables[0]->nhtrie) +
		     wp_trie_count(v->tables[1]->nhtrie);
	return n;
}

/* --- life cycle ---------------------------------------------------------- */

void
rib_nht_table_init(struct rib_table *t)
{
	t->nhtrie = wp_trie_new(t->family);
}

void
rib_nht_init(struct ribd *rib)
{
	wp_timer_init(rib->loop, &rib->nht_timer, "rib nht", nht_timer_cb);
}

static void
entry_free_val(void *val)
{
	struct rib_nht_entry *e = val;
	struct rib_nht_watch *w, *next;

	/* Only watches can remain: routes were freed first. */
	for (w = e->watchers; w; w = next) {
		next = w->next;
		wp_free(MT_RIB_NHT_WATCH, w);
	}
	wp_free(MT_RIB_NHT_RES, e->res);
	wp_free(MT_RIB_NHT, e);
}

/* After the routes are gone (rib_free). */
void
rib_nht_fini(struct ribd *rib)
{
	wp_timer_stop(&rib->nht_timer);
	rib->nht_eval = NULL;
}

/* An unused table, or at the end (rib_free): its entries go. */
void
rib_nht_table_fini(struct rib_table *t)
{
	if (t == NULL || t->nhtrie == NULL)
		return;
	wp_trie_free(t->nhtrie, entry_free_val);
	t->nhtrie = NULL;
}
