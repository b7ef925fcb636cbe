/*
 * rib.c: route selection, nexthop resolution and kernel programming.
 *
 * Every change (a route added or withdrawn, an interface or address
 * event) only marks the affected rib_dest and puts it on the work queue.
 * The queue runs from a zero-delay timer in slices of RIB_WORK_SLICE dests
 * so a million-route change never blocks the loop.  Processing a dest:
 *   1. resolve each candidate route's nexthops (rib_resolve),
 *   2. select the best active route: lowest administrative distance, then
 *      lowest metric, then the oldest (stable under churn),
 *   3. compute what the kernel should hold (our routes only: connected
 *      and kernel routes are the kernel's own) and send the difference.
 * When a dest's selected route or its resolved nexthops change, the
 * dests whose gateways it covers are requeued (rib_nht.c keeps the index
 * of gateways) so recursive routes follow the routes they resolve through
 * (fixed point: a dest is requeued only on a change).  Observers
 * (rib->hooks: the client API) hear of each change and of each dest whose
 * kernel requests have all been answered.
 */
#include "config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ribd.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_RIB, "RIB");
WP_MEMTYPE_DEFINE(MT_RIB_TABLE, "RIB table");
WP_MEMTYPE_DEFINE(MT_RIB_DEST, "RIB destination");
WP_MEMTYPE_DEFINE(MT_RIB_ROUTE, "RIB route");
WP_MEMTYPE_DEFINE(MT_RIB_KROUTE, "RIB kernel route");

WP_DEBUG_DEFINE(DBG_RIB, "rib");

/*
 * Dests, and routes with one nexthop (nearly all of a full table), come
 * from slabs: no allocator header, an 88-byte record takes 88 bytes where
 * a malloc chunk took 96.  A client's routes have a slab of their own.
 */
static struct wp_slab dest_slab =
	WP_SLAB_INIT(MT_RIB_DEST, sizeof(struct rib_dest));
static struct wp_slab route1_slab =
	WP_SLAB_INIT(MT_RIB_ROUTE, sizeof(struct rib_route) +
		     sizeof(struct rib_nh));
static struct wp_slab route1c_slab =
	WP_SLAB_INIT(MT_RIB_ROUTE, sizeof(struct rib_route) +
		     sizeof(struct rib_nh) + sizeof(struct rib_route_client));

#define RIB_WORK_SLICE		4096

/* Defaults as FRR and IOS (eBGP 20; iBGP 200 is set per route by bgpd). */
const struct rib_source_info rib_sources[RIB_SRC_MAX] = {
	[RIB_SRC_KERNEL] = { "kernel", 'K', 0, 0 },
	[RIB_SRC_CONNECTED] = { "connected", 'C', 0, 0 },
	/* 196, not RTPROT_STATIC: an operator's `ip route add ... proto
	 * static` must never be mistaken for ours and swept. */
	[RIB_SRC_STATIC] = { "static", 'S', 1, RIB_RTPROT_STATIC },
	[RIB_SRC_BGP] = { "bgp", 'B', 20, RTPROT_BGP },
	[RIB_SRC_OSPF] = { "ospf", 'O', 110, RTPROT_OSPF },
	[RIB_SRC_OSPF6] = { "ospf6", 'O', 110, RTPROT_OSPF },
	[RIB_SRC_ISIS] = { "isis", 'i', 115, RTPROT_ISIS },
	[RIB_SRC_RIP] = { "rip", 'R', 120, RTPROT_RIP },
};

static void rib_work_cb(struct wp_timer *t);
static void rib_sweep_cb(struct wp_timer *t);
static void sweep_dest(struct ribd *rib, struct rib_dest *d);

const char *
rib_nh_type_name(enum rib_nh_type t)
{
	static const char *const names[] = {
		[RIB_NH_IFINDEX] = "interface",
		[RIB_NH_GW] = "gateway",
		[RIB_NH_GW_IF] = "gateway",
		[RIB_NH_BLACKHOLE] = "blackhole",
		[RIB_NH_UNREACHABLE] = "unreachable",
		[RIB_NH_PROHIBIT] = "prohibit",
	};

	return names[t];
}

int
rib_source_parse(const char *s, enum rib_source *out)
{
	for (int i = 0; i < RIB_SRC_MAX; i++)
		if (strcasecmp(s, rib_sources[i].name) == 0) {
			*out = (enum rib_source)i;
			return 0;
		}
	return -1;
}

static bool
rtprot_is_ours(uint8_t proto)
{
	for (int i = 0; i < RIB_SRC_MAX; i++)
		if (rib_sources[i].rtprot && rib_sources[i].rtprot == proto)
			return true;
	return false;
}

/* --- tables and dests ------------------------------------------------- */

struct rib_table *
rib_table_new(struct ribd *rib, struct rib_vrf *vrf, int family)
{
	struct rib_table *t = wp_calloc(MT_RIB_TABLE, sizeof(*t));

	t->family = family;
	t->table_id = vrf->table_id;
	t->trie = wp_trie_new(family);
	t->rib = rib;
	t->vrf = vrf;
	return t;
}

void
rib_table_free(struct rib_table *t)
{
	if (t == NULL)
		return;
	wp_trie_free(t->trie, NULL);
	wp_free(MT_RIB_TABLE, t);
}

struct rib_table *
rib_table_get(struct ribd *rib, int family)
{
	return rib->tables[family == AF_INET6 ? 1 : 0];
}

static struct rib_vrf *
vrf_or_default(struct ribd *rib, struct rib_vrf *vrf)
{
	return vrf ? vrf : rib->vrfs[0];
}

struct rib_dest *
rib_dest_lookup_vrf(struct ribd *rib, struct rib_vrf *vrf,
		    const struct wp_prefix *p)
{
	return wp_trie_lookup_exact(rib_vrf_table(vrf_or_default(rib, vrf),
						  p->family)->trie, p);
}

struct rib_dest *
rib_dest_lookup(struct ribd *rib, const struct wp_prefix *p)
{
	return rib_dest_lookup_vrf(rib, NULL, p);
}

static struct rib_dest *
dest_get(struct ribd *rib, struct rib_vrf *vrf, const struct wp_prefix *p)
{
	struct rib_table *t;
	struct rib_dest *d;

	vrf = vrf_or_default(rib, vrf);
	t = rib_vrf_table(vrf, p->family);
	d = wp_trie_lookup_exact(t->trie, p);
	if (d)
		return d;
	d = wp_slab_zalloc(&dest_slab);
	d->p = *p;
	d->vrf = vrf->idx;
	wp_prefix_mask(&d->p);
	wp_trie_insert(t->trie, &d->p, d, NULL);
	return d;
}

static struct rib_kroute *
kroute_dup(const struct rib_kroute *kr)
{
	struct rib_kroute *n = wp_malloc(MT_RIB_KROUTE, kroute_size(kr->n_nh));

	memcpy(n, kr, kroute_size(kr->n_nh));
	return n;
}

/*
 * What the kernel holds for a dest is shared between dests: a million
 * routes through one gateway (or one nexthop object) point at a single
 * record instead of a copy each.  A record's dst is zero (the dest's
 * prefix is the key); each dest still holds its own reference on the
 * record's nexthop object, as it did with a copy of its own.
 */
struct rib_fib {
	struct rib_fib *hnext;		/* hash chain */
	uint32_t hash;
	uint32_t refcnt;		/* dests pointing at kr */
	struct rib_kroute kr;		/* last: its nexthops follow */
};

#define RIB_FIB_BUCKETS_MIN	64

static bool kroute_eq(const struct rib_kroute *a, const struct rib_kroute *b);

static uint32_t
fnv(uint32_t h, const void *data, size_t len)
{
	const uint8_t *b = data;

	while (len--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* Over the fields kroute_eq() and fib_same() compare, never padding. */
static uint32_t
fib_hash(const struct rib_kroute *kr)
{
	uint32_t v[6] = { kr->type, kr->protocol, kr->table, kr->metric,
			  kr->nhg_id, kr->n_nh };
	uint32_t h = fnv(2166136261u, v, sizeof(v));

	for (unsigned int i = 0; i < kr->n_nh; i++) {
		const struct rib_knh *nh = &kr->nh[i];
		uint32_t w[4] = { (uint32_t)nh->ifindex, nh->weight, nh->onlink,
				  nh->gw.family };

		h = fnv(h, w, sizeof(w));
		if (nh->gw.family)
			h = fnv(h, &nh->gw.u, nh->gw.family == AF_INET ? 4 : 16);
	}
	return h;
}

static bool
fib_same(const struct rib_kroute *a, const struct rib_kroute *b)
{
	return kroute_eq(a, b) && a->table == b->table &&
	       a->metric == b->metric && a->nhg_id == b->nhg_id;
}

static void
fib_grow(struct ribd *rib)
{
	unsigned int n = rib->fib_buckets ? rib->fib_buckets * 2 :
		RIB_FIB_BUCKETS_MIN;
	struct rib_fib **b = wp_calloc(MT_RIB_KROUTE, n * sizeof(*b));

	for (unsigned int i = 0; i < rib->fib_buckets; i++)
		while (rib->fibs[i]) {
			struct rib_fib *f = rib->fibs[i];

			rib->fibs[i] = f->hnext;
			f->hnext = b[f->hash & (n - 1)];
			b[f->hash & (n - 1)] = f;
		}
	wp_free(MT_RIB_KROUTE, rib->fibs);
	rib->fibs = b;
	rib->fib_buckets = n;
}

/* The shared record equal to kr (copied if new), with a reference. */
static struct rib_kroute *
fib_intern(struct ribd *rib, const struct rib_kroute *kr)
{
	uint32_t h = fib_hash(kr);
	struct rib_fib *f;

	if (rib->fib_buckets)
		for (f = rib->fibs[h & (rib->fib_buckets - 1)]; f;
		     f = f->hnext)
			if (f->hash == h && fib_same(&f->kr, kr)) {
				f->refcnt++;
				return &f->kr;
			}
	if (rib->n_fibs >= rib->fib_buckets)
		fib_grow(rib);
	f = wp_malloc(MT_RIB_KROUTE,
		      offsetof(struct rib_fib, kr) + kroute_size(kr->n_nh));
	memcpy(&f->kr, kr, kroute_size(kr->n_nh));
	memset(&f->kr.dst, 0, sizeof(f->kr.dst));
	f->hash = h;
	f->refcnt = 1;
	f->hnext = rib->fibs[h & (rib->fib_buckets - 1)];
	rib->fibs[h & (rib->fib_buckets - 1)] = f;
	rib->n_fibs++;
	return &f->kr;
}

/*
 * Drop a dest's reference on a shared record (not on its object).  The
 * record is found on its hash chain: dests only hold it read-only.
 */
static void
fib_unref(struct ribd *rib, const struct rib_kroute *kr)
{
	struct rib_fib **pp = &rib->fibs[fib_hash(kr) & (rib->fib_buckets - 1)];
	struct rib_fib *f;

	while (&(*pp)->kr != kr)
		pp = &(*pp)->hnext;
	f = *pp;
	if (--f->refcnt)
		return;
	*pp = f->hnext;
	rib->n_fibs--;
	wp_free(MT_RIB_KROUTE, f);
}

/* Drop what we believed the kernel holds for a dest (and its object ref). */
static void
fib_drop(struct ribd *rib, const struct rib_kroute *kr)
{
	if (kr == NULL)
		return;
	if (!rib->dry_run)
		rib_kernel_nhg_release(rib->kernel, kr->nhg_id);
	fib_unref(rib, kr);
}

/* Delete d's route from the kernel: its own key, its object ref goes. */
static void
fib_kernel_delete(struct ribd *rib, struct rib_dest *d,
		  const struct rib_kroute *kr)
{
	struct rib_kroute *own = kroute_dup(kr);

	own->dst = d->p;
	d->kpending++;
	rib_kernel_route_delete(rib->kernel, own, d);
	wp_free(MT_RIB_KROUTE, own);
	fib_unref(rib, kr);
}

static void
route_free(struct ribd *rib, struct rib_route *rt)
{
	rib_nht_route_untrack(rib, rt);
	for (unsigned int i = 0; i < rt->n_nh; i++)
		rib_bfd_unbind(rib, &rt->nh[i]);
	if (rt->n_nh <= 1)
		wp_slab_free(rt->client ? &route1c_slab : &route1_slab, rt);
	else
		wp_free(MT_RIB_ROUTE, rt);
}

/* Free a dest that holds nothing any more (unless acks are pending). */
static void
dest_maybe_free(struct ribd *rib, struct rib_dest *d)
{
	struct rib_vrf *vrf = rib_dest_vrf(rib, d);

	if (d->routes || d->fib || d->queued || d->stale)
		return;
	if (!d->dead) {
		wp_trie_delete(rib_dest_table(rib, d)->trie, &d->p);
		d->dead = true;
	}
	if (d->kpending == 0) {
		wp_slab_free(&dest_slab, d);
		rib_vrf_maybe_free(rib, vrf);
		return;
	}
	/* Acks still to come: park it where rib_free() can find it (the
	 * list is doubly linked: 100k dests leave it in O(1)). */
	d->work_next = rib->dead;
	if (d->work_next)
		d->work_next->dead_pprev = &d->work_next;
	d->dead_pprev = &rib->dead;
	rib->dead = d;
	vrf->ndead++;
}

static void
dead_unlink(struct ribd *rib, struct rib_dest *d)
{
	*d->dead_pprev = d->work_next;
	if (d->work_next)
		d->work_next->dead_pprev = d->dead_pprev;
}

static void
work_enqueue(struct ribd *rib, struct rib_dest *d)
{
	if (d->queued)
		return;
	d->queued = true;
	d->work_next = NULL;
	if (rib->work_tail)
		rib->work_tail->work_next = d;
	else
		rib->work_head = d;
	rib->work_tail = d;
	if (!wp_timer_active(&rib->work_timer))
		wp_timer_start(&rib->work_timer, 0.0, 0.0);
}

void
rib_dest_queue(struct ribd *rib, struct rib_dest *d)
{
	work_enqueue(rib, d);
}

/* --- routes ----------------------------------------------------------- */

static struct rib_route *
route_new(enum rib_source src, uint32_t instance, uint8_t distance,
	  unsigned int n_nh, bool client)
{
	struct rib_route *rt;

	/* One allocation with its nexthops (most routes have one) and,
	 * for a client's, what only those need. */
	if (n_nh <= 1)
		rt = wp_slab_zalloc(client ? &route1c_slab : &route1_slab);
	else
		rt = wp_calloc(MT_RIB_ROUTE, sizeof(*rt) +
			       n_nh * sizeof(rt->nh[0]) +
			       (client ? sizeof(struct rib_route_client) : 0));
	for (unsigned int i = 0; i < n_nh; i++)
		rt->nh[i].idx = (uint8_t)i;
	rt->source = (uint8_t)src;
	rt->instance = instance;
	rt->distance = distance;
	rt->n_nh = (uint8_t)n_nh;
	rt->client = client;
	return rt;
}

struct rib_route *
rib_route_new(enum rib_source src, uint32_t instance, uint8_t distance,
	      unsigned int n_nh)
{
	return route_new(src, instance, distance, n_nh, false);
}

struct rib_route *
rib_route_new_client(enum rib_source src, uint32_t instance, uint8_t distance,
		     unsigned int n_nh)
{
	return route_new(src, instance, distance, n_nh, true);
}

struct rib_route *
rib_route_find(struct rib_dest *d, enum rib_source src, uint32_t instance)
{
	for (struct rib_route *rt = d->routes; rt; rt = rt->next)
		if (rt->source == src && rt->instance == instance)
			return rt;
	return NULL;
}

static bool
route_has_gateways(const struct rib_route *rt)
{
	for (unsigned int i = 0; i < rt->n_nh; i++)
		if (rt->nh[i].type == RIB_NH_GW || rt->nh[i].type == RIB_NH_GW_IF ||
		    rt->nh[i].type == RIB_NH_IFINDEX)
			return true;
	return false;
}

void
rib_route_add(struct ribd *rib, const struct wp_prefix *p,
	      struct rib_route *rt)
{
	rib_route_add_vrf(rib, NULL, p, rt);
}

void
rib_route_add_vrf(struct ribd *rib, struct rib_vrf *vrf,
		  const struct wp_prefix *p, struct rib_route *rt)
{
	struct rib_dest *d = dest_get(rib, vrf, p);
	struct rib_route **pp;

	rt->dest = d;
	rt->uptime = (uint32_t)time(NULL);
	for (pp = &d->routes; *pp; pp = &(*pp)->next) {
		struct rib_route *old = *pp;

		if (old->source == rt->source && old->instance == rt->instance) {
			/* Replacement keeps the age: a refresh is no change. */
			rt->uptime = old->uptime;
			rt->next = old->next;
			if (old->flags & RIB_RT_SELECTED)
				d->sel_lost = true;
			*pp = rt;
			route_free(rib, old);
			goto queued;
		}
	}
	rt->next = d->routes;
	d->routes = rt;
queued:
	/* A reclaimed leftover: the new route replaces it in place. */
	d->stale = false;
	rib_nht_route_track(rib, rt);
	work_enqueue(rib, d);
}

int
rib_route_del(struct ribd *rib, const struct wp_prefix *p,
	      enum rib_source src, uint32_t instance)
{
	return rib_route_del_vrf(rib, NULL, p, src, instance);
}

int
rib_route_del_vrf(struct ribd *rib, struct rib_vrf *vrf,
		  const struct wp_prefix *p, enum rib_source src,
		  uint32_t instance)
{
	struct rib_dest *d = rib_dest_lookup_vrf(rib, vrf, p);
	struct rib_route **pp;

	if (d == NULL)
		return -1;
	for (pp = &d->routes; *pp; pp = &(*pp)->next) {
		struct rib_route *rt = *pp;

		if (rt->source != src || rt->instance != instance)
			continue;
		*pp = rt->next;
		if (rt->flags & RIB_RT_SELECTED)
			d->sel_lost = true;
		route_free(rib, rt);
		work_enqueue(rib, d);
		return 0;
	}
	return -1;
}

/* --- resolution ------------------------------------------------------- */

static bool
route_active(const struct rib_route *rt)
{
	for (unsigned int i = 0; i < rt->n_nh; i++)
		if (rt->nh[i].active)
			return true;
	return false;
}

static struct rib_iface *
connected_iface(struct ribd *rib, const struct rib_route *rt)
{
	if (rt->source != RIB_SRC_CONNECTED || rt->n_nh == 0)
		return NULL;
	return rib_iface_by_index(rib, rt->nh[0].ifindex);
}

/*
 * Find the route a gateway resolves through: the longest prefix covering
 * it whose selected route is active, never `self`, never the default
 * route unless allowed (FRR's `ip nht resolve-via-default`).  With `on`,
 * only a prefix connected to that interface, as the kernel checks a
 * gateway given with a device (a lookup at link scope): a protocol's
 * more specific route, such as an OSPF point-to-multipoint host route
 * to the neighbour itself (RFC 2328 §12.4.1.4), does not hide it.
 */
static struct rib_route *
resolve_lookup(struct ribd *rib, struct rib_dest *self,
	       const struct wp_addr *gw, const struct rib_iface *on)
{
	/* Inside the route's own VRF: no leaking between VRFs. */
	struct rib_table *t = rib_vrf_table(rib_dest_vrf(rib, self),
					    gw->family);
	struct wp_prefix host, m;
	struct rib_dest *d;

	wp_prefix_from_addr(&host, gw, wp_family_bits(gw->family));
	d = wp_trie_lookup_lpm_prefix(t->trie, &host, &m);
	while (d) {
		struct rib_route *sel = rib_dest_selected(d);

		if (d != self && sel && route_active(sel) &&
		    (d->p.len > 0 || rib->resolve_via_default) &&
		    (on == NULL || connected_iface(rib, sel) == on))
			return sel;
		if (d->p.len == 0)
			break;
		d = wp_trie_lookup_parent(t->trie, &d->p, &m);
	}
	return NULL;
}

bool
rib_nh_via(const struct rib_nh *nh, struct wp_prefix *p)
{
	memset(p, 0, sizeof(*p));
	return nh->has_via && wp_prefix_from_addr(p, &nh->gw, nh->via_len) == 0;
}

/* The selected route of the prefix nh resolved through in vrf, or NULL. */
static struct rib_route *
via_route(struct ribd *rib, struct rib_vrf *vrf, const struct rib_nh *nh)
{
	struct wp_prefix p;
	struct rib_dest *vd;

	if (!rib_nh_via(nh, &p))
		return NULL;
	vd = rib_dest_lookup_vrf(rib, vrf, &p);
	return vd ? rib_dest_selected(vd) : NULL;
}

static void
resolve_nh_plain(struct ribd *rib, struct rib_route *rt, struct rib_nh *nh)
{
	struct rib_iface *ifp = NULL;
	struct rib_route *via;

	nh->active = false;
	nh->recursive = false;
	nh->resolved_ifindex = 0;
	nh->has_via = false;
	nh->via_len = 0;
	switch (nh->type) {
	case RIB_NH_BLACKHOLE:
	case RIB_NH_UNREACHABLE:
	case RIB_NH_PROHIBIT:
		nh->active = true;
		return;
	case RIB_NH_IFINDEX:
		ifp = rib_iface_by_index(rib, nh->ifindex);
		nh->active = ifp && rib_iface_is_up(ifp);
		return;
	case RIB_NH_GW_IF:
		ifp = rib_iface_by_index(rib, nh->ifindex);
		if (ifp == NULL || !rib_iface_is_up(ifp))
			return;
		if (nh->onlink) {
			nh->active = true;
			return;
		}
		break;
	case RIB_NH_GW:
		break;
	}
	via = resolve_lookup(rib, rt->dest, &nh->gw, ifp);
	if (via == NULL)
		return;
	nh->has_via = true;
	nh->via_len = via->dest->p.len;
	if (via->source == RIB_SRC_CONNECTED) {
		struct rib_iface *cif = connected_iface(rib, via);

		/* A gateway given with an interface must be on it. */
		if (ifp && cif != ifp)
			return;
		nh->active = cif != NULL;
		nh->resolved_ifindex = cif ? cif->ifindex : 0;
		return;
	}
	/* Recursive: only through a gateway route, never via blackholes. */
	if (ifp)
		return;
	for (unsigned int i = 0; i < via->n_nh; i++)
		if (via->nh[i].active && (via->nh[i].type == RIB_NH_GW ||
		    via->nh[i].type == RIB_NH_GW_IF ||
		    via->nh[i].type == RIB_NH_IFINDEX)) {
			nh->active = true;
			nh->recursive = true;
			return;
		}
}

/* A gateway monitored by BFD is used only while its session allows. */
static void
resolve_nh(struct ribd *rib, struct rib_route *rt, struct rib_nh *nh)
{
	resolve_nh_plain(rib, rt, nh);
	nh->bfd_down = false;
	if (nh->active && nh->bfd && !rib_bfd_usable(rib_bfd_of(rib, nh))) {
		nh->active = false;
		nh->bfd_down = true;
	}
}

static void
resolve_route(struct ribd *rib, struct rib_route *rt)
{
	/* Connected and kernel routes are facts, not claims to check. */
	if (rt->source == RIB_SRC_CONNECTED || rt->source == RIB_SRC_KERNEL) {
		for (unsigned int i = 0; i < rt->n_nh; i++)
			rt->nh[i].active = true;
		return;
	}
	for (unsigned int i = 0; i < rt->n_nh; i++)
		resolve_nh(rib, rt, &rt->nh[i]);
}

/*
 * The kernel nexthops of an active nexthop: itself, or for a recursive
 * one the first-level nexthops of the route it resolves through.
 */
static void
fib_add_nh(struct ribd *rib, struct rib_vrf *vrf, struct rib_kroute *kr,
	   const struct rib_nh *nh, int depth)
{
	struct rib_knh *k;

	if (!nh->active || kr->n_nh >= rib->ecmp_max ||
	    kr->n_nh >= RIB_KERNEL_MAX_NH)
		return;
	if (nh->recursive && depth < 8) {
		struct rib_route *via = via_route(rib, vrf, nh);

		if (via == NULL)
			return;
		for (unsigned int i = 0; i < via->n_nh; i++) {
			struct rib_nh sub = via->nh[i];

			/* An interface-only nexthop of the resolving route
			 * carries our gateway out of that interface. */
			if (sub.type == RIB_NH_IFINDEX && sub.active) {
				sub.type = RIB_NH_GW_IF;
				sub.gw = nh->gw;
				sub.onlink = true;
			}
			fib_add_nh(rib, vrf, kr, &sub, depth + 1);
		}
		return;
	}
	if (nh->type == RIB_NH_GW) {
		/* Resolved via a connected route: the interface is known. */
		struct rib_route *via = via_route(rib, vrf, nh);

		if (via == NULL || via->n_nh == 0)
			return;
		k = &kr->nh[kr->n_nh++];
		memset(k, 0, sizeof(*k));
		k->gw = nh->gw;
		k->ifindex = via->nh[0].ifindex;
		k->weight = nh->weight ? nh->weight : 1;
		return;
	}
	if (nh->type != RIB_NH_IFINDEX && nh->type != RIB_NH_GW_IF)
		return;
	/* Drop duplicates (two recursive nexthops landing on one). */
	for (unsigned int i = 0; i < kr->n_nh; i++)
		if (kr->nh[i].ifindex == nh->ifindex &&
		    ((nh->type == RIB_NH_IFINDEX && !kr->nh[i].gw.family) ||
		     (nh->type == RIB_NH_GW_IF && wp_addr_eq(&kr->nh[i].gw, &nh->gw))))
			return;
	k = &kr->nh[kr->n_nh++];
	memset(k, 0, sizeof(*k));
	k->ifindex = nh->ifindex;
	k->onlink = nh->onlink;
	k->weight = nh->weight ? nh->weight : 1;
	if (nh->type == RIB_NH_GW_IF)
		k->gw = nh->gw;
}

/* What the kernel should hold for d, or NULL for nothing of ours. */
static struct rib_kroute *
fib_compute(struct ribd *rib, struct rib_dest *d)
{
	struct rib_route *rt = rib_dest_selected(d);
	struct rib_kroute *kr;

	if (rt == NULL || rib_sources[rt->source].rtprot == 0 ||
	    rt->distance >= RIB_DISTANCE_MAX)
		return NULL;
	kr = wp_calloc(MT_RIB_KROUTE, kroute_size(RIB_KERNEL_MAX_NH));
	kr->table = rib_dest_table(rib, d)->table_id;
	kr->dst = d->p;
	kr->protocol = rib_sources[rt->source].rtprot;
	kr->metric = RIB_KERNEL_METRIC;
	kr->type = RIB_KTYPE_UNICAST;
	if (rt->n_nh && rt->nh[0].type == RIB_NH_BLACKHOLE)
		kr->type = RIB_KTYPE_BLACKHOLE;
	else if (rt->n_nh && rt->nh[0].type == RIB_NH_UNREACHABLE)
		kr->type = RIB_KTYPE_UNREACHABLE;
	else if (rt->n_nh && rt->nh[0].type == RIB_NH_PROHIBIT)
		kr->type = RIB_KTYPE_PROHIBIT;
	if (kr->type != RIB_KTYPE_UNICAST)
		return wp_realloc(MT_RIB_KROUTE, kr, kroute_size(0));
	for (unsigned int i = 0; i < rt->n_nh; i++)
		fib_add_nh(rib, rib_dest_vrf(rib, d), kr, &rt->nh[i], 0);
	if (kr->n_nh == 0) {
		wp_free(MT_RIB_KROUTE, kr);
		return NULL;
	}
	/* Kept per dest for as long as it is installed: only what is used. */
	return wp_realloc(MT_RIB_KROUTE, kr, kroute_size(kr->n_nh));
}

static bool
kroute_eq(const struct rib_kroute *a, const struct rib_kroute *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->type != b->type || a->protocol != b->protocol ||
	    a->n_nh != b->n_nh)
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

/* --- the work queue ----------------------------------------------------- */

static int
route_better(const struct rib_route *a, const struct rib_route *b)
{
	if (b == NULL)
		return 1;
	if (a->distance != b->distance)
		return a->distance < b->distance;
	if (a->metric != b->metric)
		return a->metric < b->metric;
	return a->uptime < b->uptime;
}

static void
dest_process(struct ribd *rib, struct rib_dest *d)
{
	struct rib_route *best = NULL, *rt, *old_sel = rib_dest_selected(d);
	struct rib_kroute *want;
	const struct rib_kroute *had = d->fib;
	bool changed;

	rib->stats.processed++;
	for (rt = d->routes; rt; rt = rt->next) {
		resolve_route(rib, rt);
		rt->flags &= ~RIB_RT_SELECTED;
		if (route_active(rt) && rt->distance < RIB_DISTANCE_MAX &&
		    route_better(rt, best))
			best = rt;
	}
	if (best)
		best->flags |= RIB_RT_SELECTED;
	for (rt = d->routes; rt; rt = rt->next)
		if (rt != best)
			rt->flags &= ~(RIB_RT_FIB | RIB_RT_FAILED);
	if (best && rib_sources[best->source].rtprot == 0)
		best->flags |= RIB_RT_FIB;	/* the kernel's own */

	want = fib_compute(rib, d);
	/* A selected route that was removed is a change even when nothing
	 * replaces it and the kernel had nothing of ours (connected). */
	changed = old_sel != best || !kroute_eq(want, had) || d->sel_lost;
	d->sel_lost = false;
	if (!kroute_eq(want, had) || (want && d->stale)) {
		if (want) {
			if (!rib->dry_run) {
				d->kpending++;
				rib_kernel_route_install(rib->kernel, want, d);
			} else {
				best->flags |= RIB_RT_FIB;
			}
			best->flags |= RIB_RT_QUEUED;
			rib->stats.installs++;
		} else if (had) {
			/* Delete what we installed: same key, our protocol. */
			if (!rib->dry_run) {
				fib_kernel_delete(rib, d, had);
				had = NULL;
			}
			rib->stats.deletes++;
		}
		d->fib = want ? fib_intern(rib, want) : NULL;
		wp_free(MT_RIB_KROUTE, want);
		/* After the new route is queued: its old object may go. */
		fib_drop(rib, had);
	} else {
		wp_free(MT_RIB_KROUTE, want);
		/* The kernel already holds it: a replaced or newly selected
		 * route with the same forwarding inherits that state. */
		if (best && had && rib_sources[best->source].rtprot)
			best->flags |= d->kpending ? RIB_RT_QUEUED : RIB_RT_FIB;
	}
	if (changed) {
		wp_debug(DBG_RIB, "rib: %s: selected %s", "dest",
			 best ? rib_sources[best->source].name : "none");
		/* Recursive routes may resolve differently now. */
		rib_nht_dest_changed(rib, d);
		rib->stats.nht_passes++;
		if (rib->hooks && rib->hooks->dest_changed)
			rib->hooks->dest_changed(rib, d);
	}
	if (d->kpending == 0 && rib->hooks && rib->hooks->dest_settled)
		rib->hooks->dest_settled(rib, d);
}

/* Returns how many dests it processed. */
static unsigned int
rib_work_run(struct ribd *rib, unsigned int budget)
{
	unsigned int done = 0;

	while (rib->work_head && budget--) {
		struct rib_dest *d = rib->work_head;

		rib->work_head = d->work_next;
		if (rib->work_head == NULL)
			rib->work_tail = NULL;
		d->queued = false;
		d->work_next = NULL;
		if (d->kpending >= RIB_KPENDING_MAX - 1) {
			/* Room for one more request (and a delete): wait
			 * for the kernel's answers, behind the others. */
			work_enqueue(rib, d);
			continue;
		}
		dest_process(rib, d);
		dest_maybe_free(rib, d);
		done++;
	}
	if (rib->work_head && !wp_timer_active(&rib->work_timer))
		wp_timer_start(&rib->work_timer, done ? 0.0 : 0.001, 0.0);
	return done;
}

static void
rib_work_cb(struct wp_timer *t)
{
	struct ribd *rib = container_of(t, struct ribd, work_timer);

	rib_work_run(rib, RIB_WORK_SLICE);
}

void
rib_process_all(struct ribd *rib)
{
	while (rib->work_head)
		if (rib_work_run(rib, RIB_WORK_SLICE) == 0)
			return;		/* all wait for the kernel: the timer */
	wp_timer_stop(&rib->work_timer);
}

static int
requeue_one(const struct wp_prefix *p, void *val, void *arg)
{
	struct rib_dest *d = val;

	for (struct rib_route *rt = d->routes; rt; rt = rt->next)
		if (route_has_gateways(rt)) {
			work_enqueue(arg, d);
			break;
		}
	return 0;
}

/*
 * A walk of the table, not a list of the dests with such nexthops: in a
 * large table nearly every dest has them, and a list cost 16 bytes a
 * dest for what a link event does as fast by walking.
 */
void
rib_requeue_nexthops(struct ribd *rib, int family)
{
	struct rib_vrf *v;

	RIB_VRF_FOREACH(rib, n, v)
		for (int i = 0; i < 2; i++) {
			struct rib_table *t = v->tables[i];

			if (family && t->family != family)
				continue;
			wp_trie_walk(t->trie, NULL, requeue_one, rib);
		}
}

/*
 * The kernel does not hold what we believed (audit): forget our belief so
 * processing the dest programs it again.  An extra route of ours in the
 * kernel, unknown to the RIB, is deleted.
 */
void
rib_kernel_fib_forget(struct ribd *rib, struct rib_vrf *vrf,
		      const struct wp_prefix *p, const struct rib_kroute *have)
{
	struct rib_dest *d = rib_dest_lookup_vrf(rib, vrf, p);

	if (d == NULL || rib_dest_selected(d) == NULL ||
	    rib_sources[rib_dest_selected(d)->source].rtprot == 0) {
		/* Extra: ours in the kernel, not wanted by the RIB.  Delete
		 * it with the kernel's own key (protocol, metric). */
		if (have == NULL)
			return;
		d = dest_get(rib, vrf, p);
		fib_drop(rib, d->fib);
		d->fib = fib_intern(rib, have);
		d->stale = true;
		sweep_dest(rib, d);
		return;
	}
	/* Missing or different: program it again. */
	fib_drop(rib, d->fib);
	d->fib = NULL;
	work_enqueue(rib, d);
}

/* --- kernel results and leftovers ------------------------------------ */

static void
kernel_result(struct ribd *rib, struct rib_dest *d, bool add, int error)
{
	struct rib_route *sel = rib_dest_selected(d);

	if (!add || sel == NULL)
		return;
	/* Only the latest request speaks for the route's state. */
	if (d->kpending)
		return;
	sel->flags &= ~RIB_RT_QUEUED;
	if (error) {
		char buf[WP_PREFIX_STRLEN];

		sel->flags &= ~RIB_RT_FIB;
		sel->flags |= RIB_RT_FAILED;
		d->install_error = (uint32_t)error & 0xff;
		rib->stats.install_failures++;
		wp_log_warnx_rl("rib: install %s failed: %s",
				wp_prefix_fmt(&d->p, buf, sizeof(buf)),
				strerror(error));
		/* Forget it so the next change retries the install. */
		fib_drop(rib, d->fib);
		d->fib = NULL;
	} else {
		sel->flags |= RIB_RT_FIB;
		sel->flags &= ~RIB_RT_FAILED;
		d->install_error = 0;
	}
}

void
rib_kernel_result(void *arg, void *cookie, bool add, int error)
{
	struct ribd *rib = arg;
	struct rib_dest *d = cookie;

	d->kpending--;
	if (!d->dead)
		kernel_result(rib, d, add, error);
	if (d->kpending)
		return;
	if (rib->hooks && rib->hooks->dest_settled)
		rib->hooks->dest_settled(rib, d);
	if (d->dead) {
		struct rib_vrf *vrf = rib_dest_vrf(rib, d);

		dead_unlink(rib, d);
		wp_slab_free(&dest_slab, d);
		vrf->ndead--;
		rib_vrf_maybe_free(rib, vrf);
	}
}

/*
 * A route of ours in the kernel: at start it is a leftover of a previous
 * ribd, kept (no traffic hit) until the sweep unless reclaimed by then.
 */
void
rib_kernel_route_seen(struct ribd *rib, enum rib_kaction act,
		      const struct rib_kroute *kr)
{
	struct rib_vrf *vrf;
	struct rib_dest *d;

	if (!rtprot_is_ours(kr->protocol))
		return;
	/* Ours in any table: at start, a leftover in a table no client
	 * has named yet still needs its VRF to be reclaimed or swept. */
	vrf = rib_vrf_by_table(rib, kr->table);
	if (vrf == NULL && act == RIB_KACT_NEW && !rib->sweeping_done)
		vrf = rib_vrf_get(rib, kr->table, NULL);
	if (vrf == NULL)
		return;
	if (act == RIB_KACT_DEL) {
		/* Someone removed a route we own: put it back. */
		d = rib_dest_lookup_vrf(rib, vrf, &kr->dst);
		if (d && d->fib && !d->kpending && rib->sweeping_done &&
		    kr->protocol == d->fib->protocol) {
			wp_log_warnx("rib: a route of ours was removed from "
				     "the kernel; reinstalling");
			fib_drop(rib, d->fib);
			d->fib = NULL;
			work_enqueue(rib, d);
		}
		return;
	}
	if (rib->sweeping_done)
		return;
	d = dest_get(rib, vrf, &kr->dst);
	if (d->fib == NULL && d->routes == NULL) {
		d->fib = fib_intern(rib, kr);
		d->stale = true;
	}
}

static void
sweep_dest(struct ribd *rib, struct rib_dest *d)
{
	char buf[WP_PREFIX_STRLEN];

	d->stale = false;
	if (d->fib && (rib_dest_selected(d) == NULL ||
		       rib_sources[rib_dest_selected(d)->source].rtprot == 0)) {
		wp_log_info("rib: removing unclaimed route %s",
			    wp_prefix_fmt(&d->p, buf, sizeof(buf)));
		if (!rib->dry_run)
			fib_kernel_delete(rib, d, d->fib);
		else
			fib_drop(rib, d->fib);
		d->fib = NULL;
	}
	/* Freed by the work queue once empty. */
	work_enqueue(rib, d);
}

static int
sweep_one(const struct wp_prefix *p, void *val, void *arg)
{
	struct rib_dest *d = val;

	if (d->stale)
		sweep_dest(arg, d);
	return 0;
}

void
rib_sweep_now(struct ribd *rib)
{
	struct rib_vrf *v;

	rib->sweeping_done = true;
	wp_timer_stop(&rib->sweep_timer);
	RIB_VRF_FOREACH(rib, n, v)
		for (int i = 0; i < 2; i++)
			wp_trie_walk(v->tables[i]->trie, NULL, sweep_one, rib);
	/* Queued after the route deletions: nothing uses them any more. */
	if (!rib->dry_run)
		rib_kernel_nhg_sweep(rib->kernel);
}

struct lost_walk {
	struct ribd *rib;
	const uint32_t *ids;
	unsigned int n;
};

static int
lost_one(const struct wp_prefix *p, void *val, void *arg)
{
	struct lost_walk *w = arg;
	struct rib_dest *d = val;

	if (d->fib == NULL || d->fib->nhg_id == 0)
		return 0;
	for (unsigned int i = 0; i < w->n; i++)
		if (d->fib->nhg_id == w->ids[i]) {
			/* The kernel dropped the route with its object. */
			fib_drop(w->rib, d->fib);
			d->fib = NULL;
			work_enqueue(w->rib, d);
			break;
		}
	return 0;
}

/* Nexthop objects the kernel removed (device down): reprogram users. */
void
rib_kernel_nhg_lost(void *arg, const uint32_t *ids, unsigned int n)
{
	struct ribd *rib = arg;
	struct lost_walk w = { rib, ids, n };
	struct rib_vrf *v;

	RIB_VRF_FOREACH(rib, k, v)
		for (int i = 0; i < 2; i++)
			wp_trie_walk(v->tables[i]->trie, NULL, lost_one, &w);
}

static void
rib_sweep_cb(struct wp_timer *t)
{
	rib_sweep_now(container_of(t, struct ribd, sweep_timer));
}

void
rib_sweep_schedule(struct ribd *rib, double after)
{
	wp_timer_start(&rib->sweep_timer, after, 0.0);
}

/* --- life cycle -------------------------------------------------------- */

struct ribd *
rib_new(struct wp_loop *loop, bool with_kernel)
{
	struct ribd *rib = wp_calloc(MT_RIB, sizeof(*rib));

	rib->loop = loop;
	rib->ecmp_max = RIB_ECMP_MAX_DEFAULT;
	rib_vrf_init(rib);
	rib_nht_init(rib);
	wp_timer_init(loop, &rib->work_timer, "rib work queue", rib_work_cb);
	wp_timer_init(loop, &rib->sweep_timer, "rib sweep", rib_sweep_cb);
	rib->dry_run = !with_kernel;
	if (with_kernel) {
		uint8_t protos[RIB_SRC_MAX];
		unsigned int n = 0;

		rib->kernel = rib_kernel_new(loop, &rib_kernel_ops, rib);
		if (rib->kernel == NULL) {
			rib_free(rib);
			return NULL;
		}
		for (int i = 0; i < RIB_SRC_MAX; i++)
			if (rib_sources[i].rtprot)
				protos[n++] = rib_sources[i].rtprot;
		rib_kernel_ignore_echoes(rib->kernel, protos, n);
	}
	return rib;
}

static void
dest_free(struct ribd *rib, struct rib_dest *d)
{
	struct rib_route *rt, *next;

	for (rt = d->routes; rt; rt = next) {
		next = rt->next;
		route_free(rib, rt);
	}
	if (d->fib)
		fib_unref(rib, d->fib);
	wp_slab_free(&dest_slab, d);
}

void
rib_free(struct ribd *rib)
{
	if (rib == NULL)
		return;
	wp_timer_stop(&rib->work_timer);
	wp_timer_stop(&rib->sweep_timer);
	wp_timer_stop(&rib->audit_timer);
	/* Routes stay in the kernel: a restarted ribd reclaims them. */
	rib_kernel_free(rib->kernel);
	/* Emptied first: freeing a dest needs the rib (its routes leave
	 * their tracking entries), which wp_trie_free()'s callback lacks. */
	/* Pinned: emptying a VRF must not free it under the walk. */
	for (unsigned int n = 0; n < RIB_VRF_MAX; n++)
		if (rib->vrfs[n])
			rib->vrfs[n]->refcnt++;
	for (unsigned int n = 0; n < RIB_VRF_MAX; n++)
		for (int i = 0; rib->vrfs[n] && i < 2; i++) {
			struct wp_trie *t = rib->vrfs[n]->tables[i]->trie;
			struct wp_prefix p;
			void *val;

			while (wp_trie_next(t, NULL, &p, &val) == 0) {
				wp_trie_delete(t, &p);
				dest_free(rib, val);
			}
		}
	rib_nht_fini(rib);
	rib_vrf_fini(rib);
	wp_free(MT_RIB_KROUTE, rib->fibs);
	while (rib->dead) {
		struct rib_dest *d = rib->dead;

		rib->dead = d->work_next;
		wp_slab_free(&dest_slab, d);
	}
	rib_iface_free_all(rib);
	wp_free(MT_RIB, rib);
}
