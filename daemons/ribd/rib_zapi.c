/*
 * rib_zapi.c: ribd's client API, served on <rundir>/ribd.sock
 * (lib/proto/rib.proto; doc/developer/ribd-api.md is the contract).
 *
 * Input.  HELLO names the session: (source, instance) owns routes in the
 * RIB as rib_routes of that source and instance, their owner
 * (rib_route_owner()) pointing at the session.  ROUTE_ADD/ROUTE_DEL are checked whole when they arrive
 * (a bad field closes the connection: nothing of the message applies),
 * then taken into the RIB ZIN_SLICE routes per loop pass; the
 * connection is held meanwhile (WP_IPC_HOLD), so the client's next
 * frames wait in its own queue.  The RIB's work queue does the rest.
 *
 * Output never goes out from inside the RIB.  The hooks (rib->hooks) only
 * note what is owed, coalesced per prefix in a trie per connection:
 *  - results: a dest whose kernel requests are all answered ("settled")
 *    marks the owners of its client routes whose state changed;
 *  - redistribution: a dest whose selection changed marks subscribers
 *    of the old or the new source; REDIST_ADD/DEL carry the state at the
 *    time of sending, so a dump and updates can interleave freely;
 *  - nexthop watches: rib_nht.c reports answers that changed;
 *  - interface and address events queue in order (they are few).
 * One zero-delay timer sends what is owed in batches, stopping at the
 * connection's high-water mark and resuming from on_writable.
 *
 * Graceful restart.  A session outlives its connection when it owns
 * routes: without graceful restart they are swept at once, with it they
 * stay (stale) for the grace time.  A reconnect bumps the session's
 * epoch; routes re-sent carry the new epoch, and SYNC_DONE (or the grace
 * timer) sweeps the older ones.  A re-sent identical route changes
 * nothing in the kernel: rib.c compares what it wants with what it has.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rib_zapi.h"
#include "wp_log.h"
#include "wp_rib_msg.h"

WP_MEMTYPE_DEFINE(MT_RIB_ZAPI, "ribd client API");
WP_MEMTYPE_DEFINE(MT_RIB_ZSESS, "ribd client session");
WP_MEMTYPE_DEFINE(MT_RIB_ZCONN, "ribd client connection");
WP_MEMTYPE_DEFINE(MT_RIB_ZOUT, "ribd client output");
WP_DEBUG_DEFINE(DBG_RIB_ZAPI, "zapi");

#define ZIN_SLICE	4096	/* routes into the RIB per loop pass */
#define ZOUT_BATCH	4096	/* results, routes or states per message */
#define ZOUT_SLICE	32768	/* items sent per connection per pass */
#define ZDUMP_SLICE	32768	/* dests visited per dump pass */
#define ZSWEEP_SLICE	8192	/* dests visited per sweep pass */
#define ZEV_MAX		65536	/* queued interface events per client */

static const struct {
	int proto;
	enum rib_source src;
} src_map[] = {
	{ WP__RIB__SOURCE__SOURCE_KERNEL, RIB_SRC_KERNEL },
	{ WP__RIB__SOURCE__SOURCE_CONNECTED, RIB_SRC_CONNECTED },
	{ WP__RIB__SOURCE__SOURCE_STATIC, RIB_SRC_STATIC },
	{ WP__RIB__SOURCE__SOURCE_BGP, RIB_SRC_BGP },
	{ WP__RIB__SOURCE__SOURCE_OSPF, RIB_SRC_OSPF },
	{ WP__RIB__SOURCE__SOURCE_OSPF6, RIB_SRC_OSPF6 },
	{ WP__RIB__SOURCE__SOURCE_ISIS, RIB_SRC_ISIS },
	{ WP__RIB__SOURCE__SOURCE_RIP, RIB_SRC_RIP },
};
#define N_SRC_MAP	(sizeof(src_map) / sizeof(src_map[0]))

static void zapi_kick(struct rib_zapi *z);
static void zsess_sweep_start(struct rib_zsess *s, uint32_t below);
static void zsess_maybe_free(struct rib_zsess *s);

static int
src_from_proto(int proto, enum rib_source *out)
{
	for (size_t i = 0; i < N_SRC_MAP; i++)
		if (src_map[i].proto == proto) {
			*out = src_map[i].src;
			return 0;
		}
	return -1;
}

static Wp__Rib__Source
src_to_proto(enum rib_source src)
{
	for (size_t i = 0; i < N_SRC_MAP; i++)
		if (src_map[i].src == src)
			return (Wp__Rib__Source)src_map[i].proto;
	return WP__RIB__SOURCE__SOURCE_UNSPEC;
}

static int
fam_idx(int af)
{
	return af == AF_INET6 ? 1 : 0;
}

static const char *
zname(const struct rib_zconn *zc)
{
	return wp_ipc_conn_name(zc->c);
}

/* A trie used as a set of prefixes; the value is only "present". */
static void
set_add(struct wp_trie *t, const struct wp_prefix *p)
{
	void *old;

	wp_trie_insert(t, p, (void *)(uintptr_t)1, &old);
}

/* --- a scratch arena for building one message ---------------------------- */

struct zchunk {
	struct zchunk *next;
	size_t used, cap;
	uint8_t data[];
};

struct zarena {
	struct zchunk *head;
};

static void *
zalloc(struct zarena *a, size_t n)
{
	struct zchunk *c = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (c == NULL || c->used + n > c->cap) {
		size_t cap = n > 256 * 1024 ? n : 256 * 1024;

		c = wp_malloc(MT_RIB_ZOUT, sizeof(*c) + cap);
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

static void
zarena_free(struct zarena *a)
{
	struct zchunk *c, *next;

	for (c = a->head; c; c = next) {
		next = c->next;
		wp_free(MT_RIB_ZOUT, c);
	}
	a->head = NULL;
}

/* --- per VRF state of a connection ---------------------------------------- */

static void
unwatch_val(void *val)
{
	struct rib_nht_watch *w = val;

	rib_nht_unwatch(w->e->tbl->rib, w);
}

/* zc's state in vrf, made (and the VRF held) on first use. */
static struct rib_zvrf *
zv_get(struct rib_zconn *zc, struct rib_vrf *vrf)
{
	struct rib_zvrf *zv = zc->zv[vrf->idx];

	if (zv)
		return zv;
	zv = wp_calloc(MT_RIB_ZCONN, sizeof(*zv));
	zv->vrf = vrf;
	rib_vrf_ref(vrf);
	for (int f = 0; f < 2; f++) {
		int af = f ? AF_INET6 : AF_INET;

		zv->res_dirty[f] = wp_trie_new(af);
		zv->del_wait[f] = wp_trie_new(af);
		zv->redist_dirty[f] = wp_trie_new(af);
		zv->nh_watch[f] = wp_trie_new(af);
		zv->nh_dirty[f] = wp_trie_new(af);
	}
	zc->zv[vrf->idx] = zv;
	return zv;
}

static void
zv_free(struct rib_zconn *zc, struct rib_zvrf *zv)
{
	struct ribd *rib = zc->z->rib;

	zc->zv[zv->vrf->idx] = NULL;
	for (int f = 0; f < 2; f++) {
		wp_trie_free(zv->res_dirty[f], NULL);
		wp_trie_free(zv->del_wait[f], NULL);
		wp_trie_free(zv->redist_dirty[f], NULL);
		wp_trie_free(zv->nh_watch[f], unwatch_val);
		wp_trie_free(zv->nh_dirty[f], NULL);
	}
	rib_vrf_unref(rib, zv->vrf);
	wp_free(MT_RIB_ZCONN, zv);
}

/* Is a set of zc's, at offset `off` of a rib_zvrf (a trie per family),
 * non-empty in any VRF? */
static bool
zc_any(const struct rib_zconn *zc, size_t off)
{
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++) {
		const struct rib_zvrf *zv = zc->zv[i];

		if (zv == NULL)
			continue;
		for (int f = 0; f < 2; f++)
			if (wp_trie_count(*(struct wp_trie *const *)(const void *)
					  ((const char *)zv + off +
					   (size_t)f * sizeof(struct wp_trie *))))
				return true;
	}
	return false;
}

/* --- sessions ------------------------------------------------------------ */

static struct rib_zsess *
zsess_find(struct rib_zapi *z, enum rib_source src, uint32_t instance)
{
	for (struct rib_zsess *s = z->sessions; s; s = s->next)
		if (s->source == src && s->instance == instance)
			return s;
	return NULL;
}

static void
zsess_grace_cb(struct wp_timer *t)
{
	struct rib_zsess *s = container_of(t, struct rib_zsess, grace_timer);

	/* Connected: no SYNC_DONE in time, only the routes not re-sent go. */
	wp_log_info("zapi: %s: grace time of %u s expired, removing %" PRIu64
		    " stale routes", s->name, s->grace, s->conn ? s->nstale :
		    s->nroutes);
	zsess_sweep_start(s, s->conn ? s->epoch : s->epoch + 1);
}

/* Remove one route of the session; the caller knows it is ours. */
static void
zsess_route_del(struct rib_zsess *s, struct rib_route *rt)
{
	struct wp_prefix p = rt->dest->p;

	if (rt->epoch != s->epoch && s->nstale)
		s->nstale--;
	s->nroutes--;
	rib_route_del_vrf(s->z->rib, rib_dest_vrf(s->z->rib, rt->dest), &p,
			  s->source, s->instance);
}

/* Move the sweep to the next table of any VRF; false after the last. */
static bool
zsess_sweep_next_table(struct rib_zsess *s)
{
	struct ribd *rib = s->z->rib;

	if (s->sweep_vrf)
		rib_vrf_unref(rib, s->sweep_vrf);
	s->sweep_vrf = NULL;
	while (++s->sweep_tbl < 2 * RIB_VRF_MAX) {
		struct rib_vrf *v = rib->vrfs[s->sweep_tbl / 2];

		if (v == NULL)
			continue;
		/* Held: emptied by the sweep, it must outlive the walk. */
		rib_vrf_ref(v);
		s->sweep_vrf = v;
		wp_trie_iter_init(&s->sweep_it, v->tables[s->sweep_tbl % 2]->trie,
				  NULL);
		return true;
	}
	return false;
}

static void
zsess_sweep_cb(struct wp_timer *t)
{
	struct rib_zsess *s = container_of(t, struct rib_zsess, sweep_timer);
	struct ribd *rib = s->z->rib;
	unsigned int budget = ZSWEEP_SLICE;
	struct rib_dest *d;
	struct rib_route *rt;

	while (budget--) {
		/* Nothing older left: done early. */
		if (s->nroutes == 0 || (s->conn && s->nstale == 0 &&
					s->sweep_epoch <= s->epoch))
			goto done;
		if (wp_trie_iter_next(&s->sweep_it, NULL, (void **)&d) < 0) {
			if (!zsess_sweep_next_table(s))
				goto done;
			continue;
		}
		rt = rib_route_find(d, s->source, s->instance);
		if (rt == NULL || rt->epoch >= s->sweep_epoch)
			continue;
		zsess_route_del(s, rt);
		s->swept++;
	}
	wp_timer_start(&s->sweep_timer, 0.0, 0.0);
	return;
done:
	if (s->sweep_vrf)
		rib_vrf_unref(rib, s->sweep_vrf);
	s->sweep_vrf = NULL;
	s->sweeping = false;
	wp_debug(DBG_RIB_ZAPI, "zapi: %s: sweep done, %" PRIu64 " routes left",
		 s->name, s->nroutes);
	zsess_maybe_free(s);
}

/* Remove the session's routes older than epoch `below`, in slices. */
static void
zsess_sweep_start(struct rib_zsess *s, uint32_t below)
{
	wp_timer_stop(&s->grace_timer);
	s->sweep_epoch = below;
	s->sweep_tbl = -1;
	zsess_sweep_next_table(s);	/* the default VRF is always there */
	s->sweeping = true;
	wp_timer_start(&s->sweep_timer, 0.0, 0.0);
}

static struct rib_zsess *
zsess_new(struct rib_zapi *z, enum rib_source src, uint32_t instance)
{
	struct rib_zsess *s = wp_calloc(MT_RIB_ZSESS, sizeof(*s));

	s->z = z;
	s->source = src;
	s->instance = instance;
	snprintf(s->name, sizeof(s->name), "%s/%u", rib_sources[src].name,
		 instance);
	wp_timer_init(z->rib->loop, &s->grace_timer, "zapi grace",
		      zsess_grace_cb);
	wp_timer_init(z->rib->loop, &s->sweep_timer, "zapi sweep",
		      zsess_sweep_cb);
	s->next = z->sessions;
	z->sessions = s;
	return s;
}

static void
zsess_free(struct rib_zsess *s)
{
	struct rib_zsess **pp;

	for (pp = &s->z->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	wp_timer_stop(&s->grace_timer);
	wp_timer_stop(&s->sweep_timer);
	if (s->sweep_vrf)
		rib_vrf_unref(s->z->rib, s->sweep_vrf);
	wp_free(MT_RIB_ZSESS, s);
}

/* A disconnected session with nothing left is forgotten. */
static void
zsess_maybe_free(struct rib_zsess *s)
{
	if (s->conn == NULL && s->nroutes == 0 && !s->sweeping &&
	    !s->z->stopping)
		zsess_free(s);
}

/* The connection went away: keep the routes for the grace time or not. */
static void
zsess_detach(struct rib_zsess *s)
{
	s->conn = NULL;
	s->since = time(NULL);
	if (s->z->stopping)
		return;
	if (s->nroutes == 0) {
		zsess_maybe_free(s);
		return;
	}
	if (s->gr) {
		wp_log_info("zapi: %s: disconnected, keeping %" PRIu64 " routes "
			    "for %u s (graceful restart)", s->name, s->nroutes,
			    s->grace);
		wp_timer_start(&s->grace_timer, s->grace, 0.0);
		return;
	}
	wp_log_info("zapi: %s: disconnected, removing %" PRIu64 " routes",
		    s->name, s->nroutes);
	zsess_sweep_start(s, s->epoch + 1);
}

/* --- what is owed to a client -------------------------------------------- */

static void
zc_imm_result(struct rib_zconn *zc, const struct wp_prefix *p,
	      uint32_t table, uint64_t cookie, int status, int error)
{
	struct rib_zres *r;

	if (zc->n_imm == zc->cap_imm) {
		zc->cap_imm = zc->cap_imm ? zc->cap_imm * 2 : 64;
		zc->imm = wp_realloc(MT_RIB_ZOUT, zc->imm,
				     zc->cap_imm * sizeof(*zc->imm));
	}
	r = &zc->imm[zc->n_imm++];
	r->p = *p;
	r->table = table;
	r->cookie = cookie;
	r->status = status;
	r->error = error;
	zapi_kick(zc->z);
}

static void
zc_ev_push(struct rib_zconn *zc, const struct rib_zev *ev)
{
	if (zc->closing)
		return;
	if (zc->ev_len >= ZEV_MAX) {
		wp_log_errx_rl("zapi: %s: %zu interface events unread, closing "
			       "the connection", zname(zc), zc->ev_len);
		zc->closing = true;
		zapi_kick(zc->z);
		return;
	}
	if (zc->ev_len == zc->ev_cap) {
		size_t ncap = zc->ev_cap ? zc->ev_cap * 2 : 64;
		struct rib_zev *n = wp_calloc(MT_RIB_ZOUT, ncap * sizeof(*n));

		for (size_t i = 0; i < zc->ev_len; i++)
			n[i] = zc->ev[(zc->ev_head + i) % zc->ev_cap];
		wp_free(MT_RIB_ZOUT, zc->ev);
		zc->ev = n;
		zc->ev_cap = ncap;
		zc->ev_head = 0;
	}
	zc->ev[(zc->ev_head + zc->ev_len) % zc->ev_cap] = *ev;
	zc->ev_len++;
	zapi_kick(zc->z);
}

static void
zev_iface(struct rib_zev *ev, const struct rib_iface *ifp, bool deleted)
{
	memset(ev, 0, sizeof(*ev));
	ev->ifindex = ifp->ifindex;
	ev->deleted = deleted;
	snprintf(ev->name, sizeof(ev->name), "%s", ifp->name);
	if (deleted)
		return;
	snprintf(ev->kind, sizeof(ev->kind), "%s", ifp->kind);
	ev->flags = ifp->flags;
	ev->mtu = ifp->mtu;
	memcpy(ev->mac, ifp->mac, sizeof(ev->mac));
	ev->master = ifp->master;
	ev->up = rib_iface_is_up(ifp);
}

/* An interface's VRF, as clients see it. */
static void
zev_vrf(struct ribd *rib, struct rib_zev *ev, const struct rib_iface *ifp)
{
	const struct rib_vrf *v = rib_vrf_of_iface(rib, ifp);

	ev->vrf_table = v->table_id;
	snprintf(ev->vrf, sizeof(ev->vrf), "%s", v->name);
}

static void
zc_iface_dump(struct rib_zconn *zc)
{
	struct ribd *rib = zc->z->rib;
	struct rib_zev ev;

	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next)
		if (ifp->present) {
			zev_iface(&ev, ifp, false);
			zev_vrf(rib, &ev, ifp);
			zc_ev_push(zc, &ev);
		}
	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next) {
		if (!ifp->present)
			continue;
		for (struct rib_iface_addr *a = ifp->addrs; a; a = a->next) {
			memset(&ev, 0, sizeof(ev));
			ev.is_addr = true;
			ev.ifindex = ifp->ifindex;
			ev.addr = a->prefix;
			zc_ev_push(zc, &ev);
		}
	}
}

/* --- RIB hooks ------------------------------------------------------------- */

static uint8_t
route_status(const struct rib_route *rt)
{
	if (rt->flags & RIB_RT_SELECTED) {
		if (rt->flags & RIB_RT_FAILED)
			return WP__RIB__ROUTE_STATUS__ROUTE_FAILED;
		if (rt->flags & RIB_RT_FIB)
			return WP__RIB__ROUTE_STATUS__ROUTE_INSTALLED;
		if (rt->flags & RIB_RT_QUEUED)
			return 0;	/* not final yet */
		return WP__RIB__ROUTE_STATUS__ROUTE_INACTIVE;
	}
	for (unsigned int i = 0; i < rt->n_nh; i++)
		if (rt->nh[i].active)
			return WP__RIB__ROUTE_STATUS__ROUTE_NOT_SELECTED;
	return WP__RIB__ROUTE_STATUS__ROUTE_INACTIVE;
}

static void
hook_dest_settled(struct ribd *rib, struct rib_dest *d)
{
	struct rib_zapi *z = rib->zapi;
	int f = fam_idx(d->p.family);
	bool kick = false;

	for (struct rib_route *rt = d->routes; rt; rt = rt->next) {
		struct rib_zsess *s = rib_route_owner(rt);
		uint8_t st;

		if (s == NULL || s->conn == NULL)
			continue;
		st = route_status(rt);
		if (st == 0 || st == rt->result)
			continue;
		rt->result = st;
		set_add(zv_get(s->conn, rib_dest_vrf(rib, d))->res_dirty[f],
			&d->p);
		kick = true;
	}
	if (d->zdel) {
		d->zdel = false;
		for (struct rib_zconn *zc = z->conns; zc; zc = zc->next) {
			struct rib_zvrf *zv = zc->zv[d->vrf];

			if (zv && wp_trie_delete(zv->del_wait[f], &d->p)) {
				set_add(zv->res_dirty[f], &d->p);
				kick = true;
			}
		}
	}
	if (kick)
		zapi_kick(z);
}

static void
hook_dest_changed(struct ribd *rib, struct rib_dest *d)
{
	struct rib_zapi *z = rib->zapi;
	const struct rib_route *sel = rib_dest_selected(d);
	uint8_t prev = d->redist_src;
	uint8_t cur = sel ? (uint8_t)(sel->source + 1) : 0;
	int f = fam_idx(d->p.family);
	bool kick = false;

	d->redist_src = cur;
	if (z->nredist == 0)
		return;
	/* Per (source, family, table): only subscribers of d's table. */
	for (struct rib_zconn *zc = z->conns; zc; zc = zc->next) {
		struct rib_zvrf *zv = zc->zv[d->vrf];

		if (zv && ((prev && zv->redist[f][prev - 1]) ||
			   (cur && zv->redist[f][cur - 1]))) {
			set_add(zv->redist_dirty[f], &d->p);
			kick = true;
		}
	}
	if (kick)
		zapi_kick(z);
}

static void
hook_nht_changed(struct ribd *rib, struct rib_nht_entry *e)
{
	struct wp_prefix p;

	wp_prefix_from_addr(&p, &e->addr, wp_family_bits(e->addr.family));
	for (struct rib_nht_watch *w = e->watchers; w; w = w->next) {
		struct rib_zconn *zc = w->owner;
		struct rib_zvrf *zv = zc->zv[e->tbl->vrf->idx];

		if (zv)
			set_add(zv->nh_dirty[fam_idx(p.family)], &p);
	}
	zapi_kick(rib->zapi);
}

static void
hook_iface(struct ribd *rib, const struct rib_iface *ifp, bool deleted)
{
	struct rib_zev ev;

	zev_iface(&ev, ifp, deleted);
	if (!deleted)
		zev_vrf(rib, &ev, ifp);
	for (struct rib_zconn *zc = rib->zapi->conns; zc; zc = zc->next)
		if (zc->want_ifaces)
			zc_ev_push(zc, &ev);
}

static void
hook_addr(struct ribd *rib, const struct rib_iface *ifp,
	  const struct wp_prefix *addr, bool deleted)
{
	struct rib_zev ev;

	memset(&ev, 0, sizeof(ev));
	ev.is_addr = true;
	ev.ifindex = ifp->ifindex;
	ev.addr = *addr;
	ev.deleted = deleted;
	for (struct rib_zconn *zc = rib->zapi->conns; zc; zc = zc->next)
		if (zc->want_ifaces)
			zc_ev_push(zc, &ev);
}

static const struct rib_hooks zapi_hooks = {
	.dest_changed = hook_dest_changed,
	.dest_settled = hook_dest_settled,
	.nht_changed = hook_nht_changed,
	.iface = hook_iface,
	.addr = hook_addr,
};

/* --- sending --------------------------------------------------------------- */

static bool
zc_can_send(const struct rib_zconn *zc)
{
	return !zc->closing && !wp_ipc_conn_congested(zc->c);
}

static int
zc_send(struct rib_zconn *zc, uint16_t type, const ProtobufCMessage *m)
{
	if (wp_ipc_send(zc->c, type, m) == 0)
		return 0;
	if (errno != EAGAIN) {
		wp_log_warnx_rl("zapi: %s: cannot send type 0x%x: %s",
				zname(zc), type, strerror(errno));
		zc->closing = true;
	}
	return -1;
}

static void
zc_send_sync(struct rib_zconn *zc, Wp__Rib__SyncKind kind, int src, int af,
	     uint32_t table)
{
	Wp__Rib__SyncDone m = WP__RIB__SYNC_DONE__INIT;

	m.kind = kind;
	m.table = table;
	m.source = (Wp__Rib__Source)src;
	m.family = (Wp__Rib__Family)wp_rib_af_family(af);
	zc_send(zc, WP_RIB_SYNC_DONE, &m.base);
}

/* Take the first prefix of a set; -1 when empty. */
static int
set_pop(struct wp_trie *t, struct wp_prefix *p)
{
	if (wp_trie_next(t, NULL, p, NULL) < 0)
		return -1;
	wp_trie_delete(t, p);
	return 0;
}

static Wp__Rib__Result *
res_slot(struct zarena *a, Wp__Rib__RouteResult *m, const struct wp_prefix *p,
	 uint32_t table, uint64_t cookie, int status, int error)
{
	Wp__Rib__Result *r = zalloc(a, sizeof(*r));
	struct wp_prefix *pc = zalloc(a, sizeof(*pc));

	wp__rib__result__init(r);
	*pc = *p;
	wp_rib_prefix_encode(pc, &r->family, &r->prefix, &r->prefix_len);
	r->table = table;
	r->cookie = cookie;
	r->status = (Wp__Rib__RouteStatus)status;
	r->error = error;
	m->results[m->n_results++] = r;
	return r;
}

static void
result_one(struct rib_zconn *zc, struct rib_vrf *vrf, struct zarena *a,
	   Wp__Rib__RouteResult *m, const struct wp_prefix *p)
{
	struct rib_zsess *s = zc->sess;
	struct rib_dest *d = rib_dest_lookup_vrf(zc->z->rib, vrf, p);
	struct rib_route *rt = d ? rib_route_find(d, s->source, s->instance) :
			       NULL;

	if (rt == NULL) {
		res_slot(a, m, p, vrf->table_id, 0,
			 WP__RIB__ROUTE_STATUS__ROUTE_REMOVED, 0);
		return;
	}
	if (rt->result == 0 || !rt->client)
		return;		/* its settling reports it */
	res_slot(a, m, p, vrf->table_id, rib_route_client(rt)->cookie,
		 rt->result, rt->result == WP__RIB__ROUTE_STATUS__ROUTE_FAILED ?
		 rt->dest->install_error : 0);
}

/* One ROUTE_RESULT; returns the number of results sent. */
static size_t
flush_results_once(struct rib_zconn *zc)
{
	Wp__Rib__RouteResult m = WP__RIB__ROUTE_RESULT__INIT;
	struct zarena a = { NULL };
	size_t taken = 0;
	struct wp_prefix p;

	m.results = zalloc(&a, ZOUT_BATCH * sizeof(*m.results));
	while (m.n_results < ZOUT_BATCH && taken < zc->n_imm) {
		struct rib_zres *r = &zc->imm[taken++];

		res_slot(&a, &m, &r->p, r->table, r->cookie, r->status,
			 r->error);
	}
	if (taken) {
		memmove(zc->imm, zc->imm + taken,
			(zc->n_imm - taken) * sizeof(*zc->imm));
		zc->n_imm -= taken;
	}
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++)
		for (int f = 0; zc->zv[i] && f < 2; f++)
			while (m.n_results < ZOUT_BATCH &&
			       set_pop(zc->zv[i]->res_dirty[f], &p) == 0)
				result_one(zc, zc->zv[i]->vrf, &a, &m, &p);
	if (m.n_results)
		zc_send(zc, WP_RIB_ROUTE_RESULT, &m.base);
	zc->stats.results += m.n_results;
	zarena_free(&a);
	return m.n_results;
}

static bool
results_owed(const struct rib_zconn *zc)
{
	return zc->n_imm || zc_any(zc, offsetof(struct rib_zvrf, res_dirty));
}

static Wp__Rib__Nexthop **
nh_encode_rib(struct zarena *a, const struct rib_route *rt, size_t *n)
{
	Wp__Rib__Nexthop **v = zalloc(a, rt->n_nh * sizeof(*v));

	*n = 0;
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		const struct rib_nh *nh = &rt->nh[i];
		struct wp_rib_nh *w = zalloc(a, sizeof(*w));
		Wp__Rib__Nexthop *m = zalloc(a, sizeof(*m));

		switch (nh->type) {
		case RIB_NH_GW:
			w->type = WP_RIB_NH_GATEWAY;
			if (nh->resolved_ifindex) {
				w->type = WP_RIB_NH_GATEWAY_IF;
				w->ifindex = nh->resolved_ifindex;
			}
			break;
		case RIB_NH_GW_IF:
			w->type = WP_RIB_NH_GATEWAY_IF;
			break;
		case RIB_NH_IFINDEX:
			w->type = WP_RIB_NH_INTERFACE;
			break;
		case RIB_NH_BLACKHOLE:
			w->type = WP_RIB_NH_BLACKHOLE;
			break;
		case RIB_NH_UNREACHABLE:
			w->type = WP_RIB_NH_UNREACHABLE;
			break;
		case RIB_NH_PROHIBIT:
			w->type = WP_RIB_NH_PROHIBIT;
			break;
		}
		if (nh->type == RIB_NH_GW || nh->type == RIB_NH_GW_IF)
			w->gw = nh->gw;
		if (nh->ifindex)
			w->ifindex = nh->ifindex;
		w->weight = nh->weight;
		w->onlink = nh->onlink;
		wp_rib_nh_encode(w, m);
		v[(*n)++] = m;
	}
	return v;
}

static void
redist_route(struct ribd *rib, struct zarena *a, Wp__Rib__RedistAdd *m,
	     const struct rib_dest *d)
{
	const struct rib_route *rt = rib_dest_selected(d);
	Wp__Rib__RedistRoute *r = zalloc(a, sizeof(*r));
	struct wp_prefix *pc = zalloc(a, sizeof(*pc));

	wp__rib__redist_route__init(r);
	*pc = d->p;
	wp_rib_prefix_encode(pc, &r->family, &r->prefix, &r->prefix_len);
	r->table = rib_dest_table(rib, d)->table_id;
	r->source = src_to_proto(rt->source);
	r->instance = rt->instance;
	r->distance = rt->distance;
	r->metric = rt->metric;
	r->tag = rt->tag;
	r->nexthops = nh_encode_rib(a, rt, &r->n_nexthops);
	m->routes[m->n_routes++] = r;
}

static void
redist_del(struct zarena *a, Wp__Rib__RedistDel *m, const struct wp_prefix *p,
	   uint32_t table)
{
	Wp__Rib__RouteKey *k = zalloc(a, sizeof(*k));
	struct wp_prefix *pc = zalloc(a, sizeof(*pc));

	wp__rib__route_key__init(k);
	*pc = *p;
	wp_rib_prefix_encode(pc, &k->family, &k->prefix, &k->prefix_len);
	k->table = table;
	m->routes[m->n_routes++] = k;
}

static bool
redist_wanted(const struct rib_zvrf *zv, const struct rib_dest *d)
{
	return d && rib_dest_selected(d) &&
	       zv->redist[fam_idx(d->p.family)][rib_dest_selected(d)->source];
}

/* One REDIST_ADD and one REDIST_DEL from the dirty sets. */
static size_t
flush_redist_once(struct rib_zconn *zc)
{
	Wp__Rib__RedistAdd add = WP__RIB__REDIST_ADD__INIT;
	Wp__Rib__RedistDel del = WP__RIB__REDIST_DEL__INIT;
	struct zarena a = { NULL };
	struct wp_prefix p;
	size_t n;

	add.routes = zalloc(&a, ZOUT_BATCH * sizeof(*add.routes));
	del.routes = zalloc(&a, ZOUT_BATCH * sizeof(*del.routes));
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++) {
		struct rib_zvrf *zv = zc->zv[i];

		for (int f = 0; zv && f < 2; f++)
			while (add.n_routes < ZOUT_BATCH &&
			       del.n_routes < ZOUT_BATCH &&
			       set_pop(zv->redist_dirty[f], &p) == 0) {
				struct rib_dest *d;

				d = rib_dest_lookup_vrf(zc->z->rib, zv->vrf, &p);
				if (redist_wanted(zv, d))
					redist_route(zc->z->rib, &a, &add, d);
				else
					redist_del(&a, &del, &p,
						   zv->vrf->table_id);
			}
	}
	/* Deletions first: an add in this batch may replace one. */
	if (del.n_routes)
		zc_send(zc, WP_RIB_REDIST_DEL, &del.base);
	if (add.n_routes)
		zc_send(zc, WP_RIB_REDIST_ADD, &add.base);
	zc->stats.redist_adds += add.n_routes;
	zc->stats.redist_dels += del.n_routes;
	n = add.n_routes + del.n_routes;
	zarena_free(&a);
	return n;
}

/* Advance one dump; returns true while it has more to do. */
static bool
dump_step(struct rib_zconn *zc, struct rib_zvrf *zv, int f,
	  enum rib_source src, size_t *budget)
{
	struct rib_zdump *dp = &zv->dump[f][src];
	Wp__Rib__RedistAdd add = WP__RIB__REDIST_ADD__INIT;
	struct zarena a = { NULL };
	struct rib_dest *d;
	size_t visited = 0;
	bool more = true;

	add.routes = zalloc(&a, ZOUT_BATCH * sizeof(*add.routes));
	while (add.n_routes < ZOUT_BATCH && visited < ZDUMP_SLICE) {
		if (wp_trie_iter_next(&dp->it, NULL, (void **)&d) < 0) {
			more = false;
			break;
		}
		visited++;
		if (rib_dest_selected(d) && rib_dest_selected(d)->source == src)
			redist_route(zc->z->rib, &a, &add, d);
	}
	if (add.n_routes)
		zc_send(zc, WP_RIB_REDIST_ADD, &add.base);
	zc->stats.redist_adds += add.n_routes;
	*budget = *budget > add.n_routes + visited / 8 ?
		  *budget - add.n_routes - visited / 8 : 0;
	zarena_free(&a);
	if (!more) {
		dp->active = false;
		zc_send_sync(zc, WP__RIB__SYNC_KIND__SYNC_REDIST,
			     src_to_proto(src), f ? AF_INET6 : AF_INET,
			     zv->vrf->table_id);
	}
	return more;
}

static void
nh_state(struct zarena *a, Wp__Rib__NhUpdate *m, const struct rib_nht_entry *e)
{
	const struct rib_nht_res *r = e->res;
	Wp__Rib__NhState *st = zalloc(a, sizeof(*st));
	struct wp_addr *ac = zalloc(a, sizeof(*ac));

	wp__rib__nh_state__init(st);
	st->table = e->tbl->table_id;
	*ac = e->addr;
	wp_rib_addr_encode(ac, &st->family, &st->address);
	m->states[m->n_states++] = st;
	if (r == NULL || !r->resolved)
		return;
	st->resolved = true;
	{
		struct wp_prefix *via = zalloc(a, sizeof(*via));
		Wp__Rib__Family fam;

		*via = r->via;
		wp_rib_prefix_encode(via, &fam, &st->via_prefix, &st->via_len);
	}
	st->source = src_to_proto(r->source);
	st->distance = r->distance;
	st->metric = r->metric;
	if (r->type != RIB_KTYPE_UNICAST) {
		struct wp_rib_nh *w = zalloc(a, sizeof(*w));
		Wp__Rib__Nexthop *nm = zalloc(a, sizeof(*nm));

		w->type = r->type == RIB_KTYPE_BLACKHOLE ? WP_RIB_NH_BLACKHOLE :
			  r->type == RIB_KTYPE_PROHIBIT ? WP_RIB_NH_PROHIBIT :
			  WP_RIB_NH_UNREACHABLE;
		wp_rib_nh_encode(w, nm);
		st->nexthops = zalloc(a, sizeof(*st->nexthops));
		st->nexthops[0] = nm;
		st->n_nexthops = 1;
		return;
	}
	st->nexthops = zalloc(a, (r->n_nh + 1) * sizeof(*st->nexthops));
	for (unsigned int i = 0; i < r->n_nh; i++) {
		struct wp_rib_nh *w = zalloc(a, sizeof(*w));
		Wp__Rib__Nexthop *nm = zalloc(a, sizeof(*nm));

		w->type = r->nh[i].gw.family ? WP_RIB_NH_GATEWAY_IF :
			  WP_RIB_NH_INTERFACE;
		w->gw = r->nh[i].gw;
		w->ifindex = r->nh[i].ifindex;
		w->weight = r->nh[i].weight;
		w->onlink = r->nh[i].onlink;
		wp_rib_nh_encode(w, nm);
		st->nexthops[st->n_nexthops++] = nm;
	}
}

static size_t
flush_nh_once(struct rib_zconn *zc)
{
	Wp__Rib__NhUpdate m = WP__RIB__NH_UPDATE__INIT;
	struct zarena a = { NULL };
	struct wp_prefix p;
	size_t n;

	m.states = zalloc(&a, ZOUT_BATCH * sizeof(*m.states));
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++) {
		struct rib_zvrf *zv = zc->zv[i];

		for (int f = 0; zv && f < 2; f++)
			while (m.n_states < ZOUT_BATCH &&
			       set_pop(zv->nh_dirty[f], &p) == 0) {
				struct rib_nht_watch *w;

				w = wp_trie_lookup_exact(zv->nh_watch[f], &p);
				if (w)
					nh_state(&a, &m, w->e);
			}
	}
	if (m.n_states)
		zc_send(zc, WP_RIB_NH_UPDATE, &m.base);
	zc->stats.nh_updates += m.n_states;
	n = m.n_states;
	zarena_free(&a);
	return n;
}

/* Interface events in order; consecutive ones of a kind share a message. */
static size_t
flush_events_once(struct rib_zconn *zc)
{
	struct zarena a = { NULL };
	bool is_addr = zc->ev[zc->ev_head].is_addr;
	Wp__Rib__IfState ifs = WP__RIB__IF_STATE__INIT;
	Wp__Rib__AddrState as = WP__RIB__ADDR_STATE__INIT;
	size_t n = 0;

	ifs.interfaces = zalloc(&a, ZOUT_BATCH * sizeof(*ifs.interfaces));
	as.addresses = zalloc(&a, ZOUT_BATCH * sizeof(*as.addresses));
	while (zc->ev_len && n < ZOUT_BATCH) {
		struct rib_zev *ev = &zc->ev[zc->ev_head];

		if (ev->is_addr != is_addr)
			break;
		if (is_addr) {
			Wp__Rib__IfAddress *m = zalloc(&a, sizeof(*m));
			struct wp_prefix *pc = zalloc(&a, sizeof(*pc));

			wp__rib__if_address__init(m);
			*pc = ev->addr;
			m->ifindex = (uint32_t)ev->ifindex;
			wp_rib_prefix_encode(pc, &m->family, &m->addr,
					     &m->prefix_len);
			m->deleted = ev->deleted;
			as.addresses[as.n_addresses++] = m;
		} else {
			Wp__Rib__Interface *m = zalloc(&a, sizeof(*m));
			struct rib_zev *c = zalloc(&a, sizeof(*c));

			wp__rib__interface__init(m);
			*c = *ev;
			m->ifindex = (uint32_t)c->ifindex;
			m->name = c->name;
			m->deleted = c->deleted;
			m->flags = c->flags;
			m->up = c->up;
			m->mtu = c->mtu;
			if (!c->deleted) {
				m->mac.data = c->mac;
				m->mac.len = sizeof(c->mac);
			}
			m->kind = c->kind;
			m->master = c->master > 0 ? (uint32_t)c->master : 0;
			if (!c->deleted) {
				m->vrf_table = c->vrf_table;
				m->vrf = c->vrf;
			}
			ifs.interfaces[ifs.n_interfaces++] = m;
		}
		zc->ev_head = (zc->ev_head + 1) % zc->ev_cap;
		zc->ev_len--;
		n++;
	}
	if (is_addr)
		zc_send(zc, WP_RIB_ADDR_STATE, &as.base);
	else
		zc_send(zc, WP_RIB_IF_STATE, &ifs.base);
	zc->stats.if_events += n;
	zarena_free(&a);
	return n;
}

/* Send what is owed, up to a budget; true if more is left to send now. */
static bool
zc_flush(struct rib_zconn *zc)
{
	size_t budget = ZOUT_SLICE, n;
	bool more = false;

	if (zc->sess == NULL)
		return false;
	while (zc->ev_len && budget && zc_can_send(zc))
		budget -= (n = flush_events_once(zc)) < budget ? n : budget;
	if (zc->initial_owed && zc->ev_len == 0 && zc_can_send(zc)) {
		zc->initial_owed = false;
		zc_send_sync(zc, WP__RIB__SYNC_KIND__SYNC_INITIAL, 0, 0, 0);
	}
	while (results_owed(zc) && budget && zc_can_send(zc)) {
		n = flush_results_once(zc);
		budget -= n < budget ? n : budget;
		if (n == 0)
			break;
	}
	while (zc_any(zc, offsetof(struct rib_zvrf, nh_dirty)) && budget &&
	       zc_can_send(zc)) {
		n = flush_nh_once(zc);
		budget -= n < budget ? n : budget;
		if (n == 0)
			break;
	}
	while (zc_any(zc, offsetof(struct rib_zvrf, redist_dirty)) && budget &&
	       zc_can_send(zc))
		budget -= (n = flush_redist_once(zc)) < budget ? n : budget;
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++)
		for (int f = 0; zc->zv[i] && f < 2; f++)
			for (int s = 0; s < RIB_SRC_MAX; s++)
				while (zc->zv[i]->dump[f][s].active && budget &&
				       zc_can_send(zc))
					dump_step(zc, zc->zv[i], f,
						  (enum rib_source)s, &budget);
	if (zc->closing || !zc_can_send(zc))
		return false;	/* on_writable resumes */
	more = zc->ev_len || results_owed(zc) ||
	       zc_any(zc, offsetof(struct rib_zvrf, nh_dirty)) ||
	       zc_any(zc, offsetof(struct rib_zvrf, redist_dirty));
	for (unsigned int i = 0; i < RIB_VRF_MAX && !more; i++)
		for (int f = 0; zc->zv[i] && f < 2 && !more; f++)
			for (int s = 0; s < RIB_SRC_MAX && !more; s++)
				more = zc->zv[i]->dump[f][s].active;
	return more;
}

static void
zapi_flush_cb(struct wp_timer *t)
{
	struct rib_zapi *z = container_of(t, struct rib_zapi, flush_timer);
	struct rib_zconn *zc, *next;
	bool more = false;

	for (zc = z->conns; zc; zc = next) {
		next = zc->next;
		if (zc->closing) {
			/* Closing runs on_disconnect, which unlinks zc. */
			wp_ipc_conn_close(zc->c);
			continue;
		}
		if (zc_flush(zc))
			more = true;
		if (zc->closing)
			more = true;
	}
	if (more)
		zapi_kick(z);
}

static void
zapi_kick(struct rib_zapi *z)
{
	if (!wp_timer_active(&z->flush_timer))
		wp_timer_start(&z->flush_timer, 0.0, 0.0);
}

/* --- input ---------------------------------------------------------------- */

/* Close with a precise reason: logged here, the lib adds its own line. */
static int __attribute__((format(printf, 3, 4)))
zc_refuse(struct rib_zconn *zc, const struct wp_ipc_hdr *h, const char *fmt,
	  ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	wp_log_errx_rl("zapi: %s: closing connection: seq %u: %s", zname(zc),
		       h->sequence, reason);
	return -1;
}

static int
zc_need_hello(struct rib_zconn *zc, const struct wp_ipc_hdr *h,
	      const char *what)
{
	if (zc->sess)
		return 0;
	return zc_refuse(zc, h, "%s before HELLO", what);
}

/*
 * The VRF of a client's table (0: the default), made for a table no VRF
 * has yet (a plain table, "table-N") and held by the connection; NULL
 * when no VRF can be had.  Tables the kernel reserves are refused.
 */
static struct rib_vrf *
zc_vrf(struct rib_zconn *zc, uint32_t table)
{
	struct rib_vrf *vrf;

	if (table == RT_TABLE_UNSPEC)
		table = RIB_TABLE_MAIN;
	if (table == RT_TABLE_LOCAL || table == RT_TABLE_DEFAULT ||
	    table == RT_TABLE_COMPAT)
		return NULL;
	vrf = rib_vrf_get(zc->z->rib, table, NULL);
	if (vrf == NULL)
		return NULL;
	/* New: its kernel routes now (outside any kernel dump), so the
	 * client's routes resolve through them from the first. */
	if (vrf->learn) {
		vrf->learn = false;
		rib_vrf_learn_kernel(zc->z->rib, vrf);
	}
	zv_get(zc, vrf);
	return vrf;
}

/* One route of a ROUTE_ADD (already checked) into the RIB. */
static void
zin_add(struct rib_zconn *zc, const Wp__Rib__Route *m)
{
	struct rib_zsess *s = zc->sess;
	struct ribd *rib = zc->z->rib;
	struct wp_rib_nh nhs[WP_RIB_MAX_NEXTHOPS];
	struct wp_rib_route r;
	struct rib_route *rt, *old;
	struct rib_dest *d;
	struct rib_vrf *vrf;
	int ifindex[WP_RIB_MAX_NEXTHOPS], error = 0;

	if (wp_rib_route_decode(m, &r, nhs, NULL, 0) < 0)
		return;		/* checked on arrival: cannot happen */
	vrf = zc_vrf(zc, r.table);
	if (vrf == NULL)
		error = EOPNOTSUPP;
	for (unsigned int i = 0; i < r.n_nh && !error; i++) {
		struct rib_iface *ifp;

		ifindex[i] = nhs[i].ifindex;
		if (ifindex[i] || nhs[i].ifname[0] == '\0')
			continue;
		ifp = rib_iface_by_name(rib, nhs[i].ifname);
		if (ifp == NULL)
			error = ENODEV;
		else
			ifindex[i] = ifp->ifindex;
	}
	d = vrf ? rib_dest_lookup_vrf(rib, vrf, &r.prefix) : NULL;
	old = d ? rib_route_find(d, s->source, s->instance) : NULL;
	if (error) {
		char buf[WP_PREFIX_STRLEN];

		/* The client wants this version or nothing. */
		if (old)
			zsess_route_del(s, old);
		zc->stats.routes_refused++;
		wp_log_warnx_rl("zapi: %s: route %s refused: %s", zname(zc),
				wp_prefix_fmt(&r.prefix, buf, sizeof(buf)),
				error == ENODEV ? "no such interface" :
				"table not usable");
		zc_imm_result(zc, &r.prefix, r.table ? r.table : RIB_TABLE_MAIN,
			      m->cookie, WP__RIB__ROUTE_STATUS__ROUTE_FAILED,
			      error);
		return;
	}
	rt = rib_route_new_client(s->source, s->instance, r.distance ?
				  r.distance : rib_sources[s->source].distance,
				  r.n_nh);
	rt->metric = r.metric;
	rt->tag = r.tag;
	rib_route_client(rt)->cookie = m->cookie;
	rib_route_client(rt)->owner = s;
	rt->epoch = s->epoch;
	for (unsigned int i = 0; i < r.n_nh; i++) {
		struct rib_nh *nh = &rt->nh[i];

		switch (nhs[i].type) {
		case WP_RIB_NH_GATEWAY:
			nh->type = RIB_NH_GW;
			break;
		case WP_RIB_NH_INTERFACE:
			nh->type = RIB_NH_IFINDEX;
			break;
		case WP_RIB_NH_GATEWAY_IF:
			nh->type = RIB_NH_GW_IF;
			break;
		case WP_RIB_NH_BLACKHOLE:
			nh->type = RIB_NH_BLACKHOLE;
			break;
		case WP_RIB_NH_UNREACHABLE:
			nh->type = RIB_NH_UNREACHABLE;
			break;
		case WP_RIB_NH_PROHIBIT:
			nh->type = RIB_NH_PROHIBIT;
			break;
		}
		nh->gw = nhs[i].gw;
		nh->ifindex = ifindex[i];
		nh->weight = nhs[i].weight;
		nh->onlink = nhs[i].onlink;
	}
	if (old == NULL)
		s->nroutes++;
	else if (old->epoch != s->epoch && s->nstale)
		s->nstale--;
	zc->stats.routes_added++;
	rib_route_add_vrf(rib, vrf, &r.prefix, rt);
}

static void
zin_del(struct rib_zconn *zc, const Wp__Rib__RouteKey *k)
{
	struct rib_zsess *s = zc->sess;
	struct rib_vrf *vrf;
	struct wp_prefix p;
	struct rib_dest *d;
	struct rib_route *rt;

	if (wp_rib_prefix_decode(k->family, &k->prefix, k->prefix_len, &p,
				 NULL, 0) < 0)
		return;
	zc->stats.routes_deleted++;
	vrf = rib_vrf_by_table(zc->z->rib, k->table);
	if (vrf == NULL) {
		/* No such table: nothing there, nothing to wait for. */
		zc_imm_result(zc, &p, k->table, 0,
			      WP__RIB__ROUTE_STATUS__ROUTE_REMOVED, 0);
		return;
	}
	d = rib_dest_lookup_vrf(zc->z->rib, vrf, &p);
	rt = d ? rib_route_find(d, s->source, s->instance) : NULL;
	if (rt == NULL) {
		/* Nothing to wait for: REMOVED at the next send. */
		set_add(zv_get(zc, vrf)->res_dirty[fam_idx(p.family)], &p);
		zapi_kick(zc->z);
		return;
	}
	set_add(zv_get(zc, vrf)->del_wait[fam_idx(p.family)], &p);
	d->zdel = true;
	zsess_route_del(s, rt);
}

/* Take up to ZIN_SLICE routes of the held message; true when done. */
static bool
zin_run(struct rib_zconn *zc)
{
	size_t n, end;

	if (zc->in_type == WP_RIB_ROUTE_ADD) {
		Wp__Rib__RouteAdd *m = (Wp__Rib__RouteAdd *)zc->in_msg;

		n = m->n_routes;
		end = zc->in_pos + ZIN_SLICE < n ? zc->in_pos + ZIN_SLICE : n;
		for (; zc->in_pos < end; zc->in_pos++)
			zin_add(zc, m->routes[zc->in_pos]);
	} else {
		Wp__Rib__RouteDel *m = (Wp__Rib__RouteDel *)zc->in_msg;

		n = m->n_routes;
		end = zc->in_pos + ZIN_SLICE < n ? zc->in_pos + ZIN_SLICE : n;
		for (; zc->in_pos < end; zc->in_pos++)
			zin_del(zc, m->routes[zc->in_pos]);
	}
	return zc->in_pos == n;
}

static void
zin_timer_cb(struct wp_timer *t)
{
	struct rib_zconn *zc = container_of(t, struct rib_zconn, in_timer);
	ProtobufCMessage *m;

	/* Results for a refused route must fit the queue: wait for room. */
	if (wp_ipc_conn_congested(zc->c))
		return;		/* on_writable restarts us */
	if (!zin_run(zc)) {
		wp_timer_start(&zc->in_timer, 0.0, 0.0);
		return;
	}
	m = zc->in_msg;
	zc->in_msg = NULL;
	wp_ipc_msg_free(m);
	/* May dispatch more frames at once, holding again. */
	wp_ipc_conn_resume(zc->c);
}

/* A checked batch: apply what fits now, hold the message for the rest. */
static int
zin_start(struct rib_zconn *zc, uint16_t type, ProtobufCMessage *msg)
{
	zc->in_msg = msg;
	zc->in_type = type;
	zc->in_pos = 0;
	if (!wp_ipc_conn_congested(zc->c) && zin_run(zc)) {
		zc->in_msg = NULL;
		return 0;
	}
	wp_timer_start(&zc->in_timer, 0.0, 0.0);
	zc->stats.input_holds++;
	return WP_IPC_HOLD;
}

static int
z_route_add(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	Wp__Rib__RouteAdd *m = (Wp__Rib__RouteAdd *)msg;
	struct wp_rib_nh nhs[WP_RIB_MAX_NEXTHOPS];
	struct wp_rib_route r;
	char err[160];

	if (zc_need_hello(zc, h, "ROUTE_ADD") < 0)
		return -1;
	/* Check it all first: a bad message changes nothing. */
	for (size_t i = 0; i < m->n_routes; i++)
		if (wp_rib_route_decode(m->routes[i], &r, nhs, err,
					sizeof(err)) < 0)
			return zc_refuse(zc, h, "ROUTE_ADD route %zu of %zu: %s",
					 i, m->n_routes, err);
	return zin_start(zc, WP_RIB_ROUTE_ADD, msg);
}

static int
z_route_del(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	Wp__Rib__RouteDel *m = (Wp__Rib__RouteDel *)msg;
	struct wp_prefix p;
	char err[160];

	if (zc_need_hello(zc, h, "ROUTE_DEL") < 0)
		return -1;
	for (size_t i = 0; i < m->n_routes; i++) {
		const Wp__Rib__RouteKey *k = m->routes[i];

		if (wp_rib_prefix_decode(k->family, &k->prefix, k->prefix_len,
					 &p, err, sizeof(err)) < 0)
			return zc_refuse(zc, h, "ROUTE_DEL route %zu of %zu: %s",
					 i, m->n_routes, err);
	}
	return zin_start(zc, WP_RIB_ROUTE_DEL, msg);
}

static int
z_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	struct rib_zapi *z = zc->z;
	Wp__Rib__Hello *m = (Wp__Rib__Hello *)msg;
	Wp__Rib__HelloAck ack = WP__RIB__HELLO_ACK__INIT;
	struct rib_zsess *s;
	enum rib_source src;
	int ps = m->source;

	if (zc->sess)
		return zc_refuse(zc, h, "second HELLO");
	if (ps == 0 && m->source_name && m->source_name[0])
		ps = wp_rib_source_parse(m->source_name);
	if (ps <= 0 || src_from_proto(ps, &src) < 0)
		return zc_refuse(zc, h, "HELLO: unknown source %d \"%s\"",
				 (int)m->source, m->source_name ?
				 m->source_name : "");
	if (!wp_rib_source_is_client(ps))
		return zc_refuse(zc, h, "HELLO: source %s belongs to ribd",
				 rib_sources[src].name);
	snprintf(zc->client, sizeof(zc->client), "%s", m->client &&
		 m->client[0] ? m->client : "client");
	zc->pid = m->pid;
	s = zsess_find(z, src, m->instance);
	/* One owner at a time; a restarted daemon whose old connection we
	 * have not seen close yet is back after its retry backoff. */
	if (s && s->conn)
		return zc_refuse(zc, h, "HELLO: %s is already connected (%s)",
				 s->name, zname(s->conn));
	if (s == NULL)
		s = zsess_new(z, src, m->instance);
	wp_timer_stop(&s->grace_timer);
	s->conn = zc;
	zc->sess = s;
	s->epoch++;
	s->nstale = s->nroutes;
	s->gr = m->graceful_restart;
	s->grace = m->grace_time ? m->grace_time : WP_RIB_GRACE_DEFAULT;
	if (s->grace > WP_RIB_GRACE_MAX)
		s->grace = WP_RIB_GRACE_MAX;
	s->since = time(NULL);
	s->connects++;
	wp_ipc_conn_set_name(c, "%s[%u] %s", zc->client, zc->pid, s->name);
	wp_log_info("zapi: %s: session open (%s), %" PRIu64 " routes held",
		    zname(zc), s->gr ? "graceful restart" : "no graceful "
		    "restart", s->nstale);

	/* Held routes wait for SYNC_DONE, at most the grace time. */
	if (s->nstale)
		wp_timer_start(&s->grace_timer, s->grace, 0.0);
	ack.pid = (uint32_t)getpid();
	ack.version = PACKAGE_VERSION;
	ack.stale_routes = s->nstale > UINT32_MAX ? UINT32_MAX :
			   (uint32_t)s->nstale;
	ack.grace_time = s->grace;
	zc_send(zc, WP_RIB_HELLO_ACK, &ack.base);
	zc->want_ifaces = m->interfaces;
	if (zc->want_ifaces)
		zc_iface_dump(zc);
	zc->initial_owed = true;
	zapi_kick(z);
	return 0;
}

static int
z_sync_done(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	Wp__Rib__SyncDone *m = (Wp__Rib__SyncDone *)msg;
	struct rib_zsess *s = zc->sess;

	if (zc_need_hello(zc, h, "SYNC_DONE") < 0)
		return -1;
	if (m->kind != WP__RIB__SYNC_KIND__SYNC_ROUTES)
		return zc_refuse(zc, h, "SYNC_DONE of kind %d from a client",
				 (int)m->kind);
	wp_log_info("zapi: %s: routes synchronised, %" PRIu64 " routes, %"
		    PRIu64 " stale to remove", zname(zc), s->nroutes,
		    s->nstale);
	wp_timer_stop(&s->grace_timer);
	if (s->nstale)
		zsess_sweep_start(s, s->epoch);
	return 0;
}

static int
redist_args(struct rib_zconn *zc, const struct wp_ipc_hdr *h,
	    const Wp__Rib__RedistSubscribe *m, int *f, enum rib_source *src,
	    struct rib_vrf **vrf, bool make)
{
	int af = wp_rib_family_af(m->family);

	if (af == 0)
		return zc_refuse(zc, h, "REDIST_*: unknown address family %d",
				 (int)m->family);
	if (src_from_proto(m->source, src) < 0)
		return zc_refuse(zc, h, "REDIST_*: unknown source %d",
				 (int)m->source);
	*f = fam_idx(af);
	*vrf = make ? zc_vrf(zc, m->table) : rib_vrf_by_table(zc->z->rib,
								m->table);
	if (make && *vrf == NULL)
		return zc_refuse(zc, h, "REDIST_*: table %u not usable",
				 m->table);
	return 0;
}

static bool
zc_has_redist(const struct rib_zconn *zc)
{
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++)
		for (int f = 0; zc->zv[i] && f < 2; f++)
			for (int s = 0; s < RIB_SRC_MAX; s++)
				if (zc->zv[i]->redist[f][s])
					return true;
	return false;
}

static int
z_redist_sub(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	struct rib_zdump *dp;
	struct rib_zvrf *zv;
	struct rib_vrf *vrf;
	enum rib_source src;
	int f;

	if (zc_need_hello(zc, h, "REDIST_SUBSCRIBE") < 0 ||
	    redist_args(zc, h, (Wp__Rib__RedistSubscribe *)msg, &f, &src,
			&vrf, true) < 0)
		return -1;
	if (!zc_has_redist(zc))
		zc->z->nredist++;
	zv = zv_get(zc, vrf);
	zv->redist[f][src] = true;
	/* A dump of the current state, again if asked again. */
	dp = &zv->dump[f][src];
	dp->active = true;
	wp_trie_iter_init(&dp->it, vrf->tables[f]->trie, NULL);
	zapi_kick(zc->z);
	return 0;
}

static int
z_redist_unsub(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	       ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	struct rib_zvrf *zv;
	struct rib_vrf *vrf;
	enum rib_source src;
	int f;

	if (zc_need_hello(zc, h, "REDIST_UNSUBSCRIBE") < 0 ||
	    redist_args(zc, h, (Wp__Rib__RedistSubscribe *)msg, &f, &src,
			&vrf, false) < 0)
		return -1;
	zv = vrf ? zc->zv[vrf->idx] : NULL;
	if (zv == NULL || !zv->redist[f][src])
		return 0;
	zv->redist[f][src] = false;
	zv->dump[f][src].active = false;
	if (!zc_has_redist(zc))
		zc->z->nredist--;
	return 0;
}

static int
nh_args(struct rib_zconn *zc, const struct wp_ipc_hdr *h,
	const Wp__Rib__NhRegister *m, const char *what)
{
	struct wp_addr a;
	char err[128];

	if (zc_need_hello(zc, h, what) < 0)
		return -1;
	for (size_t i = 0; i < m->n_addresses; i++)
		if (wp_rib_addr_decode(m->addresses[i]->family,
				       &m->addresses[i]->addr, &a, err,
				       sizeof(err)) < 0)
			return zc_refuse(zc, h, "%s address %zu: %s", what, i,
					 err);
	return 0;
}

static int
z_nh_register(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	Wp__Rib__NhRegister *m = (Wp__Rib__NhRegister *)msg;
	struct rib_zvrf *zv;
	struct rib_vrf *vrf;

	if (nh_args(zc, h, m, "NH_REGISTER") < 0)
		return -1;
	/* Resolved inside the table's VRF, as its routes are. */
	vrf = zc_vrf(zc, m->table);
	if (vrf == NULL)
		return zc_refuse(zc, h, "NH_REGISTER: table %u not usable",
				 m->table);
	zv = zv_get(zc, vrf);
	for (size_t i = 0; i < m->n_addresses; i++) {
		struct rib_nht_watch *w;
		struct wp_addr a;
		struct wp_prefix p;
		int f;

		wp_rib_addr_decode(m->addresses[i]->family,
				   &m->addresses[i]->addr, &a, NULL, 0);
		wp_prefix_from_addr(&p, &a, wp_family_bits(a.family));
		f = fam_idx(a.family);
		w = wp_trie_lookup_exact(zv->nh_watch[f], &p);
		if (w == NULL) {
			w = rib_nht_watch(zc->z->rib, vrf, &a, zc);
			wp_trie_insert(zv->nh_watch[f], &p, w, NULL);
		}
		/* Answered at once, again if registered again. */
		set_add(zv->nh_dirty[f], &p);
	}
	zapi_kick(zc->z);
	return 0;
}

static int
z_nh_unregister(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		ProtobufCMessage *msg)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	Wp__Rib__NhRegister *m = (Wp__Rib__NhRegister *)msg;
	struct rib_vrf *vrf;
	struct rib_zvrf *zv;

	if (nh_args(zc, h, m, "NH_UNREGISTER") < 0)
		return -1;
	vrf = rib_vrf_by_table(zc->z->rib, m->table);
	zv = vrf ? zc->zv[vrf->idx] : NULL;
	for (size_t i = 0; zv && i < m->n_addresses; i++) {
		struct rib_nht_watch *w;
		struct wp_addr a;
		struct wp_prefix p;
		int f;

		wp_rib_addr_decode(m->addresses[i]->family,
				   &m->addresses[i]->addr, &a, NULL, 0);
		wp_prefix_from_addr(&p, &a, wp_family_bits(a.family));
		f = fam_idx(a.family);
		w = wp_trie_delete(zv->nh_watch[f], &p);
		wp_trie_delete(zv->nh_dirty[f], &p);
		if (w)
			rib_nht_unwatch(zc->z->rib, w);
	}
	return 0;
}

static const struct wp_ipc_handler zapi_handlers[] = {
	{ WP_RIB_HELLO, &wp__rib__hello__descriptor, z_hello },
	{ WP_RIB_SYNC_DONE, &wp__rib__sync_done__descriptor, z_sync_done },
	{ WP_RIB_ROUTE_ADD, &wp__rib__route_add__descriptor, z_route_add },
	{ WP_RIB_ROUTE_DEL, &wp__rib__route_del__descriptor, z_route_del },
	{ WP_RIB_REDIST_SUBSCRIBE, &wp__rib__redist_subscribe__descriptor,
	  z_redist_sub },
	{ WP_RIB_REDIST_UNSUBSCRIBE, &wp__rib__redist_subscribe__descriptor,
	  z_redist_unsub },
	{ WP_RIB_NH_REGISTER, &wp__rib__nh_register__descriptor,
	  z_nh_register },
	{ WP_RIB_NH_UNREGISTER, &wp__rib__nh_register__descriptor,
	  z_nh_unregister },
	WP_IPC_HANDLER_END,
};

/* --- connections ----------------------------------------------------------- */

static void
zc_connect(struct wp_ipc_conn *c)
{
	struct rib_zapi *z = wp_ipc_conn_arg(c);
	struct rib_zconn *zc = wp_calloc(MT_RIB_ZCONN, sizeof(*zc));

	zc->z = z;
	zc->c = c;
	zc->since = time(NULL);
	zv_get(zc, rib_vrf_default(z->rib));
	wp_timer_init(z->rib->loop, &zc->in_timer, "zapi input", zin_timer_cb);
	zc->next = z->conns;
	z->conns = zc;
	wp_ipc_conn_set_data(c, zc);
}

static void
zc_disconnect(struct wp_ipc_conn *c)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);
	struct rib_zapi *z = zc->z;
	struct rib_zconn **pp;

	for (pp = &z->conns; *pp; pp = &(*pp)->next)
		if (*pp == zc) {
			*pp = zc->next;
			break;
		}
	wp_timer_stop(&zc->in_timer);
	wp_ipc_msg_free(zc->in_msg);
	if (zc_has_redist(zc))
		z->nredist--;
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++)
		if (zc->zv[i])
			zv_free(zc, zc->zv[i]);
	wp_free(MT_RIB_ZOUT, zc->imm);
	wp_free(MT_RIB_ZOUT, zc->ev);
	if (zc->sess)
		zsess_detach(zc->sess);
	wp_free(MT_RIB_ZCONN, zc);
	wp_ipc_conn_set_data(c, NULL);
}

static void
zc_writable(struct wp_ipc_conn *c)
{
	struct rib_zconn *zc = wp_ipc_conn_data(c);

	zapi_kick(zc->z);
	if (zc->in_msg && !wp_timer_active(&zc->in_timer))
		wp_timer_start(&zc->in_timer, 0.0, 0.0);
}

/* --- life cycle -------------------------------------------------------------- */

int
rib_zapi_start(struct ribd *rib, const char *path)
{
	struct rib_zapi *z = wp_calloc(MT_RIB_ZAPI, sizeof(*z));
	struct wp_ipc_callbacks cb = {
		.on_connect = zc_connect,
		.on_disconnect = zc_disconnect,
		.on_writable = zc_writable,
		.arg = z,
	};

	z->rib = rib;
	z->path = wp_strdup(MT_RIB_ZAPI, path);
	wp_timer_init(rib->loop, &z->flush_timer, "zapi send", zapi_flush_cb);
	z->srv = wp_ipc_server_new(rib->loop, path, zapi_handlers, &cb);
	if (z->srv == NULL) {
		wp_log_err("zapi: cannot listen on %s", path);
		wp_free(MT_RIB_ZAPI, z->path);
		wp_free(MT_RIB_ZAPI, z);
		return -1;
	}
	rib->zapi = z;
	rib->hooks = &zapi_hooks;
	/* Redistribution compares with the selection last seen: start from
	 * what was selected before the hooks were in place. */
	for (unsigned int i = 0; i < 2 * RIB_VRF_MAX; i++) {
		struct wp_trie_iter it;
		struct rib_dest *d;

		if (rib->vrfs[i / 2] == NULL)
			continue;
		wp_trie_iter_init(&it, rib->vrfs[i / 2]->tables[i % 2]->trie,
				  NULL);
		while (wp_trie_iter_next(&it, NULL, (void **)&d) == 0)
			d->redist_src = rib_dest_selected(d) ?
			    (uint8_t)(rib_dest_selected(d)->source + 1) : 0;
	}
	return 0;
}

/* Routes of clients stay in the RIB (and the kernel) for rib_free(). */
void
rib_zapi_stop(struct ribd *rib)
{
	struct rib_zapi *z = rib->zapi;

	if (z == NULL)
		return;
	z->stopping = true;
	rib->hooks = NULL;
	wp_ipc_server_free(z->srv);
	wp_timer_stop(&z->flush_timer);
	while (z->sessions)
		zsess_free(z->sessions);
	/* Routes still point at their sessions: forget them. */
	for (unsigned int i = 0; i < 2 * RIB_VRF_MAX; i++) {
		struct wp_trie_iter it;
		struct rib_dest *d;

		if (rib->vrfs[i / 2] == NULL)
			continue;
		wp_trie_iter_init(&it, rib->vrfs[i / 2]->tables[i % 2]->trie,
				  NULL);
		while (wp_trie_iter_next(&it, NULL, (void **)&d) == 0)
			for (struct rib_route *rt = d->routes; rt; rt = rt->next)
				if (rt->client)
					rib_route_client(rt)->owner = NULL;
	}
	wp_free(MT_RIB_ZAPI, z->path);
	wp_free(MT_RIB_ZAPI, z);
	rib->zapi = NULL;
}
