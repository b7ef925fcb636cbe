/*
 * ospf_rib.c: everything that crosses from ospfd to ribd.
 *
 * ospfd is a client of ribd (lib/wp_ribclient, doc/developer/ribd-api.md)
 * speaking for source "ospf", instance 0.  The interface inside the
 * daemon is one call: ospf_rib_update() with the batch of changes the
 * last SPF run made to the routing table (ADD replaces whatever was there
 * for the prefix, DEL withdraws it), never a full re-add.  Routes to our
 * own networks (`connected`) are ribd's already: an ADD that turns a
 * prefix into one of ours is sent as a withdrawal, a DEL of one is not
 * sent at all.
 *
 * Each route goes with the distance of its path type (`distance ospf
 * intra-area N inter-area N external N`, ospf_pol.c), else the
 * instance's distance (`distance`, default 110), the OSPF cost as metric (the type 2 cost for external type 2 routes,
 * which is what orders them, RFC 2328 §16.4) and every equal-cost
 * nexthop as gateway + interface.  The client library keeps the table
 * we announce, batches it, and re-sends all of it after every (re)connect
 * to ribd, so ospfd started before ribd installs as soon as ribd appears,
 * and a restarted ribd gets everything back.
 *
 * Graceful restart: the session asks ribd to keep our routes, stale, for
 * OSPF_RIB_GRACE seconds when the connection drops (ospfd restarted or
 * killed).  A restarted ospfd knows nothing yet: it tells ribd its table
 * is complete (SYNC_DONE) only after its first SPF run over a
 * synchronised LSDB -- interfaces with neighbours past Waiting and a
 * hello interval old, every neighbour Full, or 2-Way where no adjacency
 * is wanted (§10.4), and no SPF pending -- or
 * after OSPF_RIB_SYNC_MAX seconds at the latest.  Routes re-sent
 * unchanged cost no kernel change; those it no longer has are removed
 * then.
 *
 * An area border router also sends a blackhole for each range it
 * advertises (ospf_pol.c), at OSPF_DISCARD_DISTANCE so that any other
 * route for the prefix wins, with the range's cost as metric; it goes
 * when the range stops being advertised, and gives way to a route of
 * the routing table for the same prefix (which replaces it in ribd).
 *
 * ribd reports the fate of each route (installed, failed, not selected,
 * inactive); the last report per prefix is kept here for
 * `show ip ospf route`.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ospfd.h"
#include "wp_ribclient.h"

WP_DEBUG_DEFINE(DBG_OSPF_RIB, "ospf-rib");
WP_MEMTYPE_DEFINE(MT_OSPF_RIB, "OSPF RIB state");

#define OSPF_RIB_GRACE		120	/* s: ribd keeps our routes */
#define OSPF_RIB_SYNC_MAX	60.0	/* s: SYNC_DONE at the latest */
#define OSPF_RIB_SYNC_TICK	0.25	/* s: convergence check */

/* What ribd last said about one of the prefixes we announce. */
struct rib_ent {
	enum wp_rib_status status;
	int error;
};

struct ospf_rib {
	struct ospf *ospf;
	struct wp_ribclient *rc;
	struct wp_trie *state;		/* prefix -> struct rib_ent */
	struct wp_timer sync_timer;
	double started;			/* monotonic */
	bool synced;			/* SYNC_DONE given to the library */
	uint8_t distance;		/* what the table was sent with */
	uint8_t distance_type[OSPF_DIST_TYPES];
	struct wp_trie *discards;	/* prefix -> struct rib_discard */
	unsigned int discard_gen;
	/* The VRF's kernel table our routes go to (main for the default
	 * VRF's instance); 0 while another VRF's vrf link is unknown, when
	 * nothing is sent. */
	uint32_t table;
};

static bool
table_is(const struct ospf_rib *r, uint32_t table)
{
	if (table == 0)
		table = WP_RIB_TABLE_MAIN;
	return r->table == table;
}

/* A range's discard route we sent. */
struct rib_discard {
	uint32_t metric;
	unsigned int gen;		/* last wanted in this update */
};

static void
ent_free_cb(void *v)
{
	wp_free(MT_OSPF_RIB, v);
}

static int
ent_pending_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct rib_ent *e = val;

	(void)p;
	(void)arg;
	e->status = WP_RIB_PENDING;
	e->error = 0;
	return 0;
}

static void
rib_connected(struct wp_ribclient *rc, uint32_t stale, void *arg)
{
	struct ospf_rib *r = arg;

	(void)rc;
	wp_log_info("rib: connected to ribd (%u routes of ours held from "
		    "before)", stale);
	ospf_gr_rib_connected(r->ospf, stale);
	/* The redistribution dumps come again (ospf_redist.c). */
	ospf_redist_reconnected(r->ospf);
}

/* --- redistribution: passed on to ospf_redist.c ----------------------------- */

static void
rib_redist_add(struct wp_ribclient *rc, const struct wp_rib_route *rt,
	       void *arg)
{
	struct ospf_rib *r = arg;
	const char *src = wp_rib_source_name(rt->source);

	(void)rc;
	if (src && table_is(r, rt->table))
		ospf_redist_add_route(r->ospf, rt, src);
}

static void
rib_redist_del(struct wp_ribclient *rc, const struct wp_prefix *p,
	       uint32_t table, void *arg)
{
	struct ospf_rib *r = arg;

	(void)rc;
	if (table_is(r, table))
		ospf_redist_del(r->ospf, p);
}

static void
rib_redist_done(struct wp_ribclient *rc, int source, int af, void *arg)
{
	struct ospf_rib *r = arg;
	const char *src = wp_rib_source_name(source);

	(void)rc;
	if (src && af == AF_INET)
		ospf_redist_dump_done(r->ospf, src);
}

int
ospf_rib_redist(struct ospf *ospf, const char *source, bool on)
{
	struct ospf_rib *r = ospf->rib;

	if (r == NULL || r->table == 0)
		return -1;	/* the VRF's table comes with its link */
	return on ? wp_ribclient_redist_subscribe_table(r->rc, source, AF_INET,
							  r->table) :
		    wp_ribclient_redist_unsubscribe_table(r->rc, source,
							  AF_INET, r->table);
}

static void
rib_disconnected(struct wp_ribclient *rc, void *arg)
{
	struct ospf_rib *r = arg;

	(void)rc;
	wp_log_info("rib: connection to ribd lost; reconnecting");
	/* Every answer is asked again after the reconnect. */
	wp_trie_walk(r->state, NULL, ent_pending_cb, NULL);
}

static void
rib_result(struct wp_ribclient *rc, const struct wp_rib_result *res,
	   void *arg)
{
	struct ospf_rib *r = arg;
	struct rib_ent *e;
	char p[WP_PREFIX_STRLEN];

	(void)rc;
	e = wp_trie_lookup_exact(r->state, &res->prefix);
	if (e == NULL || res->status == WP_RIB_REMOVED)
		return;		/* a withdrawal: nothing kept for it */
	if (res->status == WP_RIB_FAILED && e->status != WP_RIB_FAILED)
		wp_log_warnx("rib: %s: ribd could not install it: %s",
			     wp_prefix_fmt(&res->prefix, p, sizeof(p)),
			     strerror(res->error));
	e->status = res->status;
	e->error = res->error;
	if (DBG_OSPF_RIB->on)
		wp_log_debugx("rib: %s %s",
			      wp_prefix_fmt(&res->prefix, p, sizeof(p)),
			      wp_rib_status_name(res->status));
}

/* --- initial synchronisation (graceful restart) --------------------------- */

/*
 * Is the LSDB as complete as the neighbours can make it?  Every
 * interface past Waiting, every neighbour where §10.4 wants it (Full,
 * or 2-Way between two DROthers), nothing in database exchange, and no
 * SPF run owed.
 */
static bool
rib_converged(const struct ospf *ospf, double elapsed)
{
	const struct ospf_iface *ifp;
	const struct ospf_nbr *nbr;

	if (ospf->n_exchange || wp_timer_active(&ospf->spf.timer) ||
	    ospf->spf.runs == 0 || ospf->gr.restarting)
		return false;
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		/* No neighbours to wait for on these. */
		if (ifp->state == IF_STA_DOWN ||
		    ifp->state == IF_STA_LOOPBACK || ifp->passive)
			continue;
		/* A neighbour says hello within its interval: wait one. */
		if (ifp->state == IF_STA_WAITING ||
		    elapsed < ifp->hello_interval)
			return false;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
			if (nbr->state == NBR_STA_FULL ||
			    nbr->state == NBR_STA_DOWN)
				continue;
			if (nbr->state == NBR_STA_2WAY &&
			    !ospf_iface_adj_ok(ifp, nbr))
				continue;
			return false;
		}
	}
	return true;
}

static void
rib_sync_cb(struct wp_timer *t)
{
	struct ospf_rib *r = container_of(t, struct ospf_rib, sync_timer);
	struct ospf *ospf = r->ospf;
	double elapsed = ospf_now() - r->started;
	bool done = !ospf->conf->enabled || rib_converged(ospf, elapsed);

	/* Restarting gracefully, the grace period bounds the wait. */
	if (!done && (elapsed < OSPF_RIB_SYNC_MAX || ospf->gr.restarting))
		return;
	wp_timer_stop(&r->sync_timer);
	r->synced = true;
	wp_ribclient_sync_done(r->rc);
	wp_log_info("rib: initial routing table complete after %.1f s%s: %zu "
		    "routes", elapsed, done ? "" : " (timeout)",
		    wp_trie_count(r->state));
}

/* --- setup ---------------------------------------------------------------- */

int
ospf_rib_init(struct ospf *ospf, const char *rundir)
{
	static const struct wp_ribclient_cbs cbs_tmpl = {
		.connected = rib_connected,
		.disconnected = rib_disconnected,
		.result = rib_result,
		.redist_add = rib_redist_add,
		.redist_del = rib_redist_del,
		.redist_done = rib_redist_done,
	};
	struct wp_ribclient_cbs cbs = cbs_tmpl;
	struct ospf_rib *r = wp_calloc(MT_OSPF_RIB, sizeof(*r));

	r->ospf = ospf;
	r->state = wp_trie_new(AF_INET);
	r->discards = wp_trie_new(AF_INET);
	r->started = ospf_now();
	r->distance = ospf->conf->distance;
	memcpy(r->distance_type, ospf->conf->distance_type,
	       sizeof(r->distance_type));
	cbs.arg = r;
	r->table = ospf->vrf[0] ? 0 : WP_RIB_TABLE_MAIN;
	/* Each VRF's instance is a session of its own (routes, redistribution
	 * and graceful restart per VRF). */
	r->rc = wp_ribclient_new(ospf->loop, rundir, "ospf",
				 ospf_vrf_rib_instance(ospf->vrf), &cbs);
	if (r->rc == NULL) {
		wp_log_warn("rib: cannot create the ribd client");
		wp_trie_free(r->state, NULL);
		wp_trie_free(r->discards, NULL);
		wp_free(MT_OSPF_RIB, r);
		return -1;
	}
	wp_ribclient_set_name(r->rc, "ospfd");
	wp_ribclient_set_graceful_restart(r->rc, true, OSPF_RIB_GRACE);
	wp_timer_init(ospf->loop, &r->sync_timer, "ospf rib sync",
		      rib_sync_cb);
	wp_timer_start_periodic(&r->sync_timer, OSPF_RIB_SYNC_TICK, 0);
	ospf->rib = r;
	return 0;
}

void
ospf_rib_close(struct ospf *ospf)
{
	struct ospf_rib *r = ospf->rib;

	if (r == NULL)
		return;
	wp_timer_stop(&r->sync_timer);
	/* Graceful restart: ribd keeps our routes for the grace time. */
	wp_ribclient_free(r->rc);
	wp_trie_free(r->state, ent_free_cb);
	wp_trie_free(r->discards, ent_free_cb);
	wp_free(MT_OSPF_RIB, r);
	ospf->rib = NULL;
}

/* --- sending -------------------------------------------------------------- */

static void
log_route(const char *op, const struct ospf_route *rt)
{
	char p[WP_PREFIX_STRLEN], nh[256];
	size_t off = 0;

	nh[0] = '\0';
	for (unsigned int i = 0; i < rt->n_nh && off < sizeof(nh); i++) {
		char a[16];

		off += (size_t)snprintf(nh + off, sizeof(nh) - off, "%s%s%%%d",
					i ? ", " : "",
					ospf_id_fmt(rt->nh[i].gw, a, sizeof(a)),
					rt->nh[i].ifindex);
	}
	wp_log_debugx("rib: %s %s %s cost %u via %s", op,
		      wp_prefix_fmt(&rt->p, p, sizeof(p)),
		      ospf_path_type_name(rt->type), rt->cost, nh);
}

static int
rib_add(struct ospf_rib *r, const struct ospf_route *rt)
{
	struct wp_rib_nh nh[OSPF_MAX_PATHS];
	struct wp_rib_route route;
	struct rib_ent *e;
	char p[WP_PREFIX_STRLEN];
	unsigned int n = 0;

	memset(nh, 0, sizeof(nh));
	for (unsigned int i = 0; i < rt->n_nh && n < OSPF_MAX_PATHS; i++) {
		if (rt->nh[i].gw) {
			nh[n].type = WP_RIB_NH_GATEWAY_IF;
			nh[n].gw.family = AF_INET;
			nh[n].gw.u.v4.s_addr = htonl(rt->nh[i].gw);
		} else {
			nh[n].type = WP_RIB_NH_INTERFACE;
		}
		nh[n].ifindex = rt->nh[i].ifindex;
		n++;
	}
	memset(&route, 0, sizeof(route));
	route.prefix = rt->p;
	route.distance = ospf_route_distance(r->distance, r->distance_type,
					     rt->type);
	route.metric = rt->type == OSPF_PATH_EXT2 ? rt->cost2 : rt->cost;
	route.n_nh = n;
	route.nh = nh;
	route.table = r->table;
	if (r->table == 0)
		return -1;
	if (wp_ribclient_route_add(r->rc, &route, 0) < 0) {
		wp_log_warn("rib: %s: not sent",
			    wp_prefix_fmt(&rt->p, p, sizeof(p)));
		return -1;
	}
	e = wp_trie_lookup_exact(r->state, &rt->p);
	if (e == NULL) {
		e = wp_calloc(MT_OSPF_RIB, sizeof(*e));
		wp_trie_insert(r->state, &rt->p, e, NULL);
	}
	e->status = WP_RIB_PENDING;
	e->error = 0;
	return 0;
}

static int
rib_del(struct ospf_rib *r, const struct wp_prefix *p)
{
	wp_free(MT_OSPF_RIB, wp_trie_delete(r->state, p));
	if (wp_ribclient_route_del(r->rc, p, r->table) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

void
ospf_rib_update(struct ospf *ospf, const struct ospf_rt_diff *diff)
{
	struct ospf_rib *r = ospf->rib;
	size_t adds = 0, dels = 0;

	for (size_t i = 0; i < diff->n; i++) {
		const struct ospf_rt_change *ch = &diff->ch[i];
		bool del = ch->op == OSPF_RT_DEL || ch->rt->connected;

		if (ch->op == OSPF_RT_DEL && ch->rt->connected)
			continue;	/* never sent */
		if (DBG_OSPF_RIB->on)
			log_route(del ? "del" : "add", ch->rt);
		if (del)
			dels++;
		else
			adds++;
		if (r == NULL)
			continue;
		if (del)
			rib_del(r, &ch->rt->p);
		else
			rib_add(r, ch->rt);
	}
	ospf->stats.rib_batches++;
	ospf->stats.rib_adds += adds;
	ospf->stats.rib_dels += dels;
	wp_debug(DBG_OSPF_RIB, "rib: batch of %zu adds, %zu deletes", adds,
		 dels);
}

static int
resend_cb(const struct wp_prefix *p, void *val, void *arg)
{
	const struct ospf_route *rt = val;

	(void)p;
	if (!rt->connected)
		rib_add(arg, rt);
	return 0;
}

void
ospf_rib_resend(struct ospf *ospf)
{
	if (ospf->rib)
		wp_trie_walk(ospf->rtable->routes, NULL, resend_cb, ospf->rib);
}

static int
withdraw_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct ospf_rib *r = arg;

	(void)val;
	wp_ribclient_route_del(r->rc, p, r->table);
	return 0;
}

/*
 * The VRF's table as the kernel says (ospf_vrf_table()): once its vrf
 * link is known our routes and redistribution go to that table; a link
 * made again with another table takes them along.
 */
void
ospf_rib_table_sync(struct ospf *ospf)
{
	struct ospf_rib *r = ospf->rib;
	uint32_t t = ospf_vrf_table(ospf);

	if (r == NULL || t == 0 || t == r->table)
		return;
	wp_log_info("rib: vrf %s: routes go to table %u", ospf_vrf_name(ospf),
		    t);
	if (r->table) {
		wp_trie_walk(r->state, NULL, withdraw_cb, r);
		wp_trie_walk(r->discards, NULL, withdraw_cb, r);
	}
	ospf_redist_unsubscribe_all(ospf);
	r->table = t;
	ospf_redist_conf_changed(ospf);
	wp_trie_walk(ospf->rtable->routes, NULL, resend_cb, r);
}

void
ospf_rib_distance(struct ospf *ospf)
{
	struct ospf_rib *r = ospf->rib;

	if (r == NULL || (r->distance == ospf->conf->distance &&
			  memcmp(r->distance_type, ospf->conf->distance_type,
				 sizeof(r->distance_type)) == 0))
		return;
	wp_log_info("rib: distance %u -> %u: routes sent again", r->distance,
		    ospf->conf->distance);
	r->distance = ospf->conf->distance;
	memcpy(r->distance_type, ospf->conf->distance_type,
	       sizeof(r->distance_type));
	wp_trie_walk(ospf->rtable->routes, NULL, resend_cb, r);
}

/* --- discard routes for area ranges --------------------------------------- */

static void
discard_add(struct ospf_rib *r, const struct wp_prefix *p, uint32_t metric)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_BLACKHOLE };
	struct wp_rib_route route = {
		.prefix = *p,
		.distance = OSPF_DISCARD_DISTANCE,
		.metric = metric,
		.n_nh = 1,
		.nh = &nh,
		.table = r->table,
	};
	char b[WP_PREFIX_STRLEN];

	if (r->table == 0)
		return;
	if (wp_ribclient_route_add(r->rc, &route, 0) < 0)
		wp_log_warn("rib: discard %s: not sent",
			    wp_prefix_fmt(p, b, sizeof(b)));
	else
		wp_debug(DBG_OSPF_RIB, "rib: discard %s metric %u",
			 wp_prefix_fmt(p, b, sizeof(b)), metric);
}

struct stale_discards {
	unsigned int gen;
	struct wp_prefix *v;
	size_t n;
};

static int
stale_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct stale_discards *st = arg;
	const struct rib_discard *d = val;

	if (d->gen != st->gen) {
		st->v = wp_realloc(MT_OSPF_RIB, st->v,
				   (st->n + 1) * sizeof(*st->v));
		st->v[st->n++] = *p;
	}
	return 0;
}

/* The ranges of the active areas, as ospf_summary_originate() sees them. */
static void
discard_wants(const struct ospf *ospf, struct ospf_want_list *wl)
{
	struct ospf_area_conf *confs;
	struct ospf_area *area;
	size_t n = 0;

	TAILQ_FOREACH(area, &ospf->areas, entry)
		n++;
	confs = wp_calloc(MT_OSPF_RIB, (n + 1) * sizeof(*confs));
	n = 0;
	TAILQ_FOREACH(area, &ospf->areas, entry) {
		if (TAILQ_EMPTY(&area->ifaces))
			continue;
		confs[n] = *ospf_area_conf(area);
		confs[n].id = area->id;
		n++;
	}
	ospf_discard_wants(ospf->rtable, confs, n, wl);
	wp_free(MT_OSPF_RIB, confs);
}

void
ospf_rib_discards(struct ospf *ospf)
{
	struct ospf_rib *r = ospf->rib;
	struct ospf_want_list wl = { 0 };
	struct stale_discards st = { 0 };

	/* RFC 3623 §2.2: restarting, ribd keeps what it has. */
	if (r == NULL || ospf->gr.restarting)
		return;
	if (ospf_is_abr(ospf))
		discard_wants(ospf, &wl);
	st.gen = ++r->discard_gen;
	for (size_t i = 0; i < wl.n; i++) {
		struct wp_prefix p;
		struct rib_discard *d;

		ospf_prefix_v4(&p, wl.v[i].id, ospf_mask2plen(wl.v[i].mask));
		d = wp_trie_lookup_exact(r->discards, &p);
		if (d == NULL) {
			d = wp_calloc(MT_OSPF_RIB, sizeof(*d));
			wp_trie_insert(r->discards, &p, d, NULL);
			d->metric = wl.v[i].metric + 1;	/* sent below */
		}
		if (d->metric != wl.v[i].metric) {
			d->metric = wl.v[i].metric;
			discard_add(r, &p, d->metric);
		}
		d->gen = st.gen;
	}
	ospf_want_free(&wl);
	wp_trie_walk(r->discards, NULL, stale_cb, &st);
	for (size_t i = 0; i < st.n; i++) {
		const struct ospf_route *rt;
		char b[WP_PREFIX_STRLEN];

		wp_free(MT_OSPF_RIB, wp_trie_delete(r->discards, &st.v[i]));
		/* A route of ours for the prefix took its place in ribd. */
		rt = wp_trie_lookup_exact(ospf->rtable->routes, &st.v[i]);
		if (rt && !rt->connected)
			continue;
		wp_debug(DBG_OSPF_RIB, "rib: discard %s withdrawn",
			 wp_prefix_fmt(&st.v[i], b, sizeof(b)));
		if (wp_ribclient_route_del(r->rc, &st.v[i], r->table) < 0 &&
		    errno != ENOENT)
			wp_log_warn("rib: discard %s: withdrawal not sent",
				    wp_prefix_fmt(&st.v[i], b, sizeof(b)));
	}
	wp_free(MT_OSPF_RIB, st.v);
}

size_t
ospf_rib_discard_count(const struct ospf *ospf)
{
	return ospf->rib ? wp_trie_count(ospf->rib->discards) : 0;
}

/* --- state for show commands ---------------------------------------------- */

const char *
ospf_rib_route_state(const struct ospf *ospf, const struct ospf_route *rt,
		     bool *installed, char *buf, size_t len)
{
	const struct rib_ent *e;

	*installed = false;
	if (rt->connected)
		return "connected";
	if (ospf->rib == NULL)
		return "no ribd";
	e = wp_trie_lookup_exact(ospf->rib->state, &rt->p);
	if (e == NULL)
		return "not sent";
	switch (e->status) {
	case WP_RIB_INSTALLED:
		*installed = true;
		return "installed";
	case WP_RIB_FAILED:
		snprintf(buf, len, "failed: %s", strerror(e->error));
		return buf;
	case WP_RIB_NOT_SELECTED:
		return "not-selected";
	case WP_RIB_INACTIVE:
		return "inactive";
	default:
		return "pending";
	}
}

void
ospf_rib_info(const struct ospf *ospf, struct ospf_rib_info *info)
{
	const struct ospf_rib *r = ospf->rib;

	memset(info, 0, sizeof(*info));
	if (r == NULL)
		return;
	info->present = true;
	info->synced = r->synced;
	info->distance = r->distance;
	memcpy(info->distance_type, r->distance_type,
	       sizeof(info->distance_type));
	info->idle = wp_ribclient_idle(r->rc);
	wp_ribclient_get_stats(r->rc, &info->st);
}
