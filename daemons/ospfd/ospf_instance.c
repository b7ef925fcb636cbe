/*
 * ospf_instance.c: the OSPF instance.  Owns the areas, decides which
 * kernel interfaces run OSPF (configuration x what ospf_ifmon.c reports),
 * picks the router ID, and runs SPF when asked, throttled the way
 * `timers throttle spf DELAY HOLD MAX` says.
 *
 * Data flow of a route: an LSA is installed (ospf_flood.c) ->
 * ospf_spf_schedule() -> spf timer -> ospf_spf_run() (pure) -> the new
 * table is diffed against the old -> ospf_rib_update() with the batch.
 */
#include "config.h"

#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"
#include "wp_json.h"

WP_MEMTYPE_DEFINE(MT_OSPF, "OSPF instance");
WP_MEMTYPE_DEFINE(MT_OSPF_AREA, "OSPF area");

WP_DEBUG_DEFINE(DBG_OSPF_SPF, "ospf-spf");
WP_DEBUG_DEFINE(DBG_OSPF_IFACE, "ospf-interface");

double
ospf_now(void)
{
	return wp_monotime();
}

/* --- areas ---------------------------------------------------------------- */

struct ospf_area *
ospf_area_find(struct ospf *ospf, uint32_t id)
{
	struct ospf_area *a;

	TAILQ_FOREACH(a, &ospf->areas, entry)
		if (a->id == id)
			return a;
	return NULL;
}

struct ospf_area *
ospf_area_get(struct ospf *ospf, uint32_t id)
{
	struct ospf_area *a = ospf_area_find(ospf, id), *b;

	if (a)
		return a;
	a = wp_calloc(MT_OSPF_AREA, sizeof(*a));
	a->ospf = ospf;
	a->id = id;
	a->lsdb = ospf_lsdb_new();
	TAILQ_INIT(&a->ifaces);
	ospf_orig_init(ospf, &a->rtr_orig, "ospf router-lsa",
		       ospf_router_lsa_cb);
	/* Keep areas sorted by ID: show output, and the backbone first. */
	TAILQ_FOREACH(b, &ospf->areas, entry)
		if (b->id > id)
			break;
	if (b)
		TAILQ_INSERT_BEFORE(b, a, entry);
	else
		TAILQ_INSERT_TAIL(&ospf->areas, a, entry);
	return a;
}

static void
area_free(struct ospf_area *a)
{
	wp_timer_stop(&a->rtr_orig.timer);
	ospf_lsdb_free(a->lsdb);
	wp_free(MT_OSPF_AREA, a);
}

bool
ospf_area_active(const struct ospf_area *a)
{
	const struct ospf_iface *ifp;

	TAILQ_FOREACH(ifp, &a->ifaces, area_entry)
		if (ifp->state != IF_STA_DOWN)
			return true;
	return false;
}

bool
ospf_is_abr(const struct ospf *ospf)
{
	const struct ospf_area *a;
	int n = 0;

	TAILQ_FOREACH(a, &ospf->areas, entry)
		if (ospf_area_active(a))
			n++;
	return n > 1;
}

const struct ospf_area_conf *
ospf_area_conf(const struct ospf_area *area)
{
	static const struct ospf_area_conf normal = { .auth_type = -1 };
	const struct ospf_area_conf *ac = ospf_conf_area(area->ospf->conf,
							 area->id);

	return ac ? ac : &normal;
}

bool
ospf_is_translator(const struct ospf *ospf)
{
	const struct ospf_area *a;

	TAILQ_FOREACH(a, &ospf->areas, entry)
		if (a->translating)
			return true;
	return false;
}

/* --- the instance --------------------------------------------------------- */

static void
spf_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, spf.timer);

	ospf_spf_now(ospf);
}

static void
age_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, age_timer);

	ospf_age_walk(ospf);
}

static void
sync_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, sync_timer);

	ospf_sync_ifaces(ospf);
}

/* --- stub router (RFC 6987) ----------------------------------------------- */

bool
ospf_max_metric_active(const struct ospf *ospf, double *remaining)
{
	const struct ospf_conf *c = ospf->conf;
	double left = 0;

	if (c->max_metric_startup)
		left = (double)c->max_metric_startup -
		       (ospf_now() - ospf->started_mono);
	if (left < 0)
		left = 0;
	if (remaining)
		*remaining = left;
	return c->max_metric_admin || left > 0 || ospf->stop.active;
}

static void
router_lsas_all(struct ospf *ospf)
{
	struct ospf_area *a;

	TAILQ_FOREACH(a, &ospf->areas, entry)
		ospf_router_lsa_schedule(a);
}

static void
max_metric_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, max_metric_timer);

	wp_timer_stop(t);
	wp_log_info("max-metric on-startup period over%s",
		    ospf->conf->max_metric_admin ? " (administrative stays)" :
		    ": transit links back to their costs");
	router_lsas_all(ospf);
}

/* The on-startup period counts from ospfd's start; a configuration that
 * arrives later gets what is left of it. */
static void
max_metric_arm(struct ospf *ospf)
{
	double left;

	ospf_max_metric_active(ospf, &left);
	if (left > 0)
		wp_timer_start(&ospf->max_metric_timer, left, 0);
	else
		wp_timer_stop(&ospf->max_metric_timer);
}

void
ospf_max_metric_json(const struct ospf *ospf, struct json_object *o)
{
	json_object *m = wp_json_add_object(o, "maxMetric");
	double left;
	bool on = ospf_max_metric_active(ospf, &left);

	wp_json_add_bool(m, "active", on);
	wp_json_add_bool(m, "administrative", ospf->conf->max_metric_admin);
	wp_json_add_int(m, "onStartupSeconds", ospf->conf->max_metric_startup);
	wp_json_add_int(m, "onShutdownSeconds",
			ospf->conf->max_metric_shutdown);
	if (left > 0)
		wp_json_add_int(m, "onStartupRemaining", (int64_t)(left + 0.5));
}

struct ospf *
ospf_new(struct wp_loop *loop)
{
	struct ospf *ospf = wp_calloc(MT_OSPF, sizeof(*ospf));

	ospf->loop = loop;
	ospf->started = time(NULL);
	ospf->started_mono = ospf_now();
	TAILQ_INIT(&ospf->areas);
	TAILQ_INIT(&ospf->ifaces);
	TAILQ_INIT(&ospf->kifs);
	ospf->as_lsdb = ospf_lsdb_new();
	ospf->rtable = ospf_rtable_new();
	ospf->conf = ospf_conf_parse("", "(empty)");
	wp_timer_init(loop, &ospf->spf.timer, "ospf spf", spf_cb);
	ospf_spf_inc_init(ospf);
	wp_timer_init(loop, &ospf->age_timer, "ospf lsa aging", age_cb);
	wp_timer_init(loop, &ospf->sync_timer, "ospf interface sync", sync_cb);
	wp_timer_init(loop, &ospf->max_metric_timer, "ospf max-metric",
		      max_metric_cb);
	wp_timer_start_periodic(&ospf->age_timer, 1.0, 0);
	ospf_gr_new(ospf);
	ospf_redist_init(ospf);
	return ospf;
}

static void
ifaces_free_all(struct ospf *ospf)
{
	struct ospf_iface *ifp;

	while ((ifp = TAILQ_FIRST(&ospf->ifaces)) != NULL)
		ospf_iface_free(ifp);
}

static void
spf_hist_free(struct ospf *ospf)
{
	for (size_t i = 0; i < OSPF_SPF_HIST; i++) {
		wp_free(MT_OSPF_SPF, ospf->spf.hist[i].chg);
		ospf->spf.hist[i].chg = NULL;
		ospf->spf.hist[i].n_chg = 0;
	}
}

void
ospf_free(struct ospf *ospf)
{
	struct ospf_area *a;

	if (ospf == NULL)
		return;
	ospf_ifmon_stop(ospf->ifmon);
	ospf_redist_fini(ospf);
	ifaces_free_all(ospf);
	wp_timer_stop(&ospf->spf.timer);
	ospf_spf_inc_fini(ospf);
	wp_timer_stop(&ospf->age_timer);
	wp_timer_stop(&ospf->sync_timer);
	wp_timer_stop(&ospf->max_metric_timer);
	ospf_gr_fini(ospf);
	while ((a = TAILQ_FIRST(&ospf->areas)) != NULL) {
		TAILQ_REMOVE(&ospf->areas, a, entry);
		area_free(a);
	}
	ospf_lsdb_free(ospf->as_lsdb);
	ospf_rtable_free(ospf->rtable);
	spf_hist_free(ospf);
	ospf_kif_free_all(ospf);
	ospf_conf_free(ospf->conf);
	wp_free(MT_OSPF_PKT, ospf->pktbuf);
	wp_free(MT_OSPF, ospf);
}

void
ospf_sync_schedule(struct ospf *ospf)
{
	if (!wp_timer_active(&ospf->sync_timer))
		wp_timer_start(&ospf->sync_timer, 0, 0);
}

/* §C.1: configured, else the highest loopback address, else the highest
 * address of any interface. */
static uint32_t
pick_router_id(struct ospf *ospf)
{
	uint32_t best_lo = 0, best = 0;
	struct ospf_kif *k;

	if (ospf->conf->router_id_set)
		return ospf->conf->router_id;
	TAILQ_FOREACH(k, &ospf->kifs, entry) {
		if (!ospf_kif_mine(ospf, k))
			continue;	/* another VRF's */
		for (unsigned int i = 0; i < k->n_addrs; i++) {
			uint32_t a = k->addrs[i].addr;

			if ((a >> 24) == 127)
				continue;
			if ((k->flags & IFF_LOOPBACK) && a > best_lo)
				best_lo = a;
			if (a > best)
				best = a;
		}
	}
	return best_lo ? best_lo : best;
}

/* Drop all state: interfaces, neighbours, LSDBs (router ID change). */
static void
reset_all(struct ospf *ospf)
{
	struct ospf_area *a;
	struct ospf_rt_diff d;

	ifaces_free_all(ospf);
	while ((a = TAILQ_FIRST(&ospf->areas)) != NULL) {
		TAILQ_REMOVE(&ospf->areas, a, entry);
		area_free(a);
	}
	ospf_lsdb_free(ospf->as_lsdb);
	ospf->as_lsdb = ospf_lsdb_new();
	ospf_rtable_diff(ospf->rtable, NULL, &d);
	ospf_rib_update(ospf, &d);
	ospf_rt_diff_free(&d);
	ospf_rtable_free(ospf->rtable);
	ospf->rtable = ospf_rtable_new();
}

/* Where OSPF runs on kernel interface `k`: area and address, or false. */
static bool
iface_target(struct ospf *ospf, const struct ospf_kif *k, uint32_t *area,
	     uint32_t *addr, uint8_t *plen)
{
	const struct ospf_conf *c = ospf->conf;
	const struct ospf_if_conf *ic = ospf_conf_iface(c, k->name);

	for (unsigned int i = 0; i < k->n_addrs; i++) {
		const struct ospf_kaddr *ka = &k->addrs[i];
		struct wp_prefix p;

		if ((ka->addr >> 24) == 127)
			continue;
		if (ic && ic->area_set) {
			*area = ic->area;
			*addr = ka->addr;
			*plen = ka->plen;
			return true;
		}
		ospf_prefix_v4(&p, ka->addr, 32);
		for (unsigned int j = 0; j < c->n_networks; j++) {
			if (wp_prefix_contains(&c->networks[j].p, &p)) {
				*area = c->networks[j].area;
				*addr = ka->addr;
				*plen = ka->plen;
				return true;
			}
		}
	}
	return false;
}

/* Interface parameters from the configuration (§9), with defaults. */
static void
iface_params(struct ospf *ospf, const struct ospf_kif *k,
	     struct ospf_iface *p)
{
	const struct ospf_conf *c = ospf->conf;
	const struct ospf_if_conf *ic = ospf_conf_iface(c, k->name);
	const struct ospf_area_conf *ac;

	p->type = (k->flags & IFF_LOOPBACK) ? OSPF_NET_LOOPBACK :
		  (k->flags & IFF_POINTOPOINT) ? OSPF_NET_P2P :
		  OSPF_NET_BROADCAST;
	if (ic && ic->network && p->type != OSPF_NET_LOOPBACK) {
		p->type = ic->network;
		p->p2mp_nb = ic->p2mp_nb && ic->network == OSPF_NET_P2MP;
	}
	/* A loopback is advertised as a host route at cost 0 (§12.4.1). */
	p->cost = ic && ic->cost ? ic->cost : p->type == OSPF_NET_LOOPBACK ?
		  0 : OSPF_DEF_COST;
	p->hello_interval = ic && ic->hello ? ic->hello : OSPF_DEF_HELLO;
	p->dead_interval = ic && ic->dead ? ic->dead :
			   4u * p->hello_interval;
	p->rxmt_interval = ic && ic->rxmt ? ic->rxmt : OSPF_DEF_RXMT;
	p->transdelay = ic && ic->transdelay ? ic->transdelay :
			OSPF_DEF_TRANSDELAY;
	p->priority = ic && ic->priority_set ? ic->priority :
		      OSPF_DEF_PRIORITY;
	p->passive = ospf_conf_passive(c, k->name);
	p->mtu_ignore = ic && ic->mtu_ignore;
	ac = ospf_conf_area(c, p->area ? p->area->id : 0);
	/* A new area type restarts the adjacencies (§10.5 options). */
	p->area_options = ospf_area_options(ac);
	p->auth_type = ic && ic->auth_type >= 0 ? ic->auth_type :
		       ac && ac->auth_type >= 0 ? ac->auth_type :
		       OSPF_AUTH_NULL;
	memset(p->auth_key, 0, sizeof(p->auth_key));
	if (ic)
		memcpy(p->auth_key, ic->auth_key, strlen(ic->auth_key));
	p->n_md5 = ic ? ic->n_md5 : 0;
	if (ic)
		memcpy(p->md5, ic->md5, sizeof(p->md5));
	snprintf(p->key_chain, sizeof(p->key_chain), "%s",
		 ospf_auth_key_chain(ic, ac, p->auth_type));
	p->bfd = ic && ic->bfd;
	if (ic)
		memcpy(p->bfd_profile, ic->bfd_profile, sizeof(p->bfd_profile));
}

/* Do the parameters that need an interface restart differ? */
static bool
params_differ(const struct ospf_iface *a, const struct ospf_iface *b)
{
	return a->type != b->type || a->p2mp_nb != b->p2mp_nb ||
	       a->hello_interval != b->hello_interval ||
	       a->dead_interval != b->dead_interval ||
	       a->rxmt_interval != b->rxmt_interval ||
	       a->transdelay != b->transdelay || a->priority != b->priority ||
	       a->passive != b->passive || a->mtu_ignore != b->mtu_ignore ||
	       a->area_options != b->area_options ||
	       a->auth_type != b->auth_type ||
	       memcmp(a->auth_key, b->auth_key, sizeof(a->auth_key)) != 0 ||
	       a->n_md5 != b->n_md5 ||
	       memcmp(a->md5, b->md5, sizeof(a->md5)) != 0 ||
	       strcmp(a->key_chain, b->key_chain) != 0;
}

static void
iface_sync_one(struct ospf *ospf, const struct ospf_kif *k)
{
	struct ospf_iface *ifp = ospf_iface_find(ospf, k->ifindex);
	struct ospf_iface want;
	struct ospf_area *area;
	uint32_t aid, addr;
	uint8_t plen;
	bool up;

	if (!iface_target(ospf, k, &aid, &addr, &plen))
		return;
	area = ospf_area_get(ospf, aid);
	memset(&want, 0, sizeof(want));
	want.area = area;
	iface_params(ospf, k, &want);
	if (ifp && (ifp->area != area || ifp->addr != addr ||
		    ifp->plen != plen || strcmp(ifp->name, k->name) != 0 ||
		    params_differ(ifp, &want))) {
		wp_log_info("interface %s: configuration changed, restarting",
			    ifp->name);
		ospf_iface_free(ifp);
		ifp = NULL;
	}
	if (ifp == NULL) {
		ifp = ospf_iface_new(ospf, area, k, addr, plen);
		ifp->type = want.type;
		ifp->p2mp_nb = want.p2mp_nb;
		ifp->hello_interval = want.hello_interval;
		ifp->dead_interval = want.dead_interval;
		ifp->rxmt_interval = want.rxmt_interval;
		ifp->transdelay = want.transdelay;
		ifp->priority = want.priority;
		ifp->passive = want.passive;
		ifp->mtu_ignore = want.mtu_ignore;
		ifp->area_options = want.area_options;
		ifp->auth_type = want.auth_type;
		memcpy(ifp->auth_key, want.auth_key, sizeof(ifp->auth_key));
		ifp->n_md5 = want.n_md5;
		memcpy(ifp->md5, want.md5, sizeof(ifp->md5));
		memcpy(ifp->key_chain, want.key_chain, sizeof(ifp->key_chain));
		ifp->cost = want.cost;
	}
	ifp->present = true;
	/* Configured neighbours follow without a restart. */
	ospf_nbma_iface_conf(ifp, ospf->conf);
	/* BFD follows without a restart (its neighbours (de)register). */
	if (ifp->bfd != want.bfd ||
	    strcmp(ifp->bfd_profile, want.bfd_profile) != 0) {
		ifp->bfd = want.bfd;
		memcpy(ifp->bfd_profile, want.bfd_profile,
		       sizeof(ifp->bfd_profile));
		ospf_bfd_iface_update(ifp);
	}
	if (ifp->cost != want.cost) {
		ifp->cost = want.cost;
		ospf_router_lsa_schedule(area);
	}
	ifp->mtu = k->mtu;
	up = (k->flags & IFF_UP) && ((k->flags & IFF_RUNNING) ||
				     (k->flags & IFF_LOOPBACK));
	if (up && ifp->state == IF_STA_DOWN)
		ospf_iface_fsm(ifp, IF_EVT_UP);
	else if (!up && ifp->state != IF_STA_DOWN)
		ospf_iface_fsm(ifp, IF_EVT_DOWN);
}

void
ospf_sync_ifaces(struct ospf *ospf)
{
	struct ospf_iface *ifp, *next;
	struct ospf_kif *k;
	uint32_t rid;

	wp_timer_stop(&ospf->sync_timer);
	ospf_rib_table_sync(ospf);
	if (!ospf->conf->enabled) {
		if (!TAILQ_EMPTY(&ospf->ifaces))
			reset_all(ospf);
		return;
	}
	rid = pick_router_id(ospf);
	if (rid != ospf->router_id && (ospf->router_id == 0 ||
				       ospf->conf->router_id_set)) {
		char a[16], b[16];

		if (ospf->router_id)
			wp_log_info("router ID changes from %s to %s: "
				    "restarting", ospf_id_fmt(ospf->router_id,
							      a, sizeof(a)),
				    ospf_id_fmt(rid, b, sizeof(b)));
		reset_all(ospf);
		ospf->router_id = rid;
		if (rid)
			wp_log_info("router ID %s", ospf_id_fmt(rid, a,
								sizeof(a)));
	}
	if (ospf->router_id == 0)
		return;		/* no address anywhere yet */
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		ifp->present = false;
	/* An interface moved to another VRF is not present here any more:
	 * it leaves this instance below and joins the other's. */
	TAILQ_FOREACH(k, &ospf->kifs, entry)
		if (ospf_kif_mine(ospf, k))
			iface_sync_one(ospf, k);
	ospf_vlink_sync(ospf);
	TAILQ_FOREACH_SAFE(ifp, &ospf->ifaces, entry, next) {
		if (!ifp->present) {
			wp_log_info("interface %s: no longer runs OSPF",
				    ifp->name);
			ospf_iface_free(ifp);
		}
	}
}

/* An area that is no longer an NSSA drops the type-7s of others at once
 * (ours are flushed by the next summary pass); none is flooded any more. */
static void
purge_out_of_scope(struct ospf *ospf, struct ospf_area *area)
{
	struct ospf_lsdb_iter it;
	struct ospf_lsa *lsa;

	if (ospf_lsa_scope_ok(area, OSPF_LSA_NSSA))
		return;
	for (lsa = ospf_lsdb_first(area->lsdb, &it); lsa;
	     lsa = ospf_lsdb_next(area->lsdb, &it)) {
		if (lsa->hdr.type != OSPF_LSA_NSSA ||
		    lsa->hdr.adv == ospf->router_id)
			continue;
		ospf_rxmt_remove_all(ospf, lsa);
		ospf_lsdb_remove(area->lsdb, lsa);
	}
}

void
ospf_apply_conf(struct ospf *ospf, struct ospf_conf *c)
{
	struct ospf_conf *old = ospf->conf;
	struct ospf_area *a;
	bool rid_changed = old->router_id_set != c->router_id_set ||
			   old->router_id != c->router_id;

	ospf->conf = c;
	if (rid_changed && ospf->router_id) {
		/* Picked again by the sync below. */
		reset_all(ospf);
		ospf->router_id = 0;
	}
	ospf_conf_free(old);
	ospf_rib_distance(ospf);
	ospf_redist_conf_changed(ospf);
	ospf_sync_ifaces(ospf);
	max_metric_arm(ospf);
	ospf_gr_conf_changed(ospf);
	/* Timers and maximum-paths take effect on the next run; max-metric
	 * with the router-LSAs below. */
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		purge_out_of_scope(ospf, a);
		ospf_router_lsa_schedule(a);
	}
	ospf_spf_schedule(ospf, "configuration");
}

/* --- SPF scheduling ------------------------------------------------------- */

void
ospf_spf_schedule(struct ospf *ospf, const char *reason)
{
	const struct ospf_conf *c = ospf->conf;
	struct ospf_spf_state *s = &ospf->spf;
	double now = ospf_now(), since, delay;
	double initial = c->spf_delay / 1000.0;
	double hold = c->spf_hold / 1000.0, max = c->spf_max / 1000.0;

	if (wp_timer_active(&s->timer))
		return;
	snprintf(s->last_reason, sizeof(s->last_reason), "%s", reason);
	since = now - s->last_end;
	if (s->runs == 0 || since >= s->hold) {
		/* Quiet for a hold time: back to the initial delay. */
		delay = initial;
		s->hold = hold;
	} else {
		/* Runs in quick succession: wait out the hold, and double
		 * it up to the maximum (FRR's `timers throttle spf`). */
		delay = s->hold - since;
		if (delay < initial)
			delay = initial;
		s->hold = s->hold * 2 > max ? max : s->hold * 2;
		if (s->hold < hold)
			s->hold = hold;
	}
	wp_debug(DBG_OSPF_SPF, "spf: scheduled in %.3f s (%s)", delay, reason);
	wp_timer_start(&s->timer, delay, 0);
}

void
ospf_spf_schedule_lsa(struct ospf *ospf, const char *reason,
		      const struct ospf_lsa_hdr *h)
{
	struct ospf_spf_state *s = &ospf->spf;

	/* Only an external route may change: no full run (§16.6). */
	if (ospf_spf_inc_take(ospf, reason, h))
		return;
	if (s->n_pend < OSPF_SPF_TRIGGERS)
		s->pend[s->n_pend++] = *h;
	else
		s->pend_dropped++;
	ospf_spf_schedule(ospf, reason);
}

/* Keep what a run was for and what it changed (show ip ospf spf,
 * show ip ospf route changes); full and incremental runs share the ring. */
struct ospf_spf_run_rec *
ospf_spf_hist_record(struct ospf *ospf, const char *reason,
		     const struct ospf_lsa_hdr *trig, unsigned int n_trig,
		     unsigned int dropped, const struct ospf_rtable *old,
		     struct ospf_route *const *prev_of,
		     const struct ospf_rt_diff *d)
{
	struct ospf_spf_state *s = &ospf->spf;
	struct ospf_spf_run_rec *r = &s->hist[s->recs % OSPF_SPF_HIST];
	size_t n = d->n < OSPF_SPF_CHANGES ? d->n : OSPF_SPF_CHANGES;

	wp_free(MT_OSPF_SPF, r->chg);
	memset(r, 0, sizeof(*r));
	r->run = ++s->recs;
	r->when = time(NULL);
	snprintf(r->reason, sizeof(r->reason), "%s", reason);
	memcpy(r->triggers, trig, n_trig * sizeof(*trig));
	r->n_triggers = n_trig;
	r->triggers_dropped = dropped;
	r->adds = d->adds;
	r->changes = d->changes;
	r->dels = d->dels;
	r->chg = n ? wp_calloc(MT_OSPF_SPF, n * sizeof(*r->chg)) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct ospf_rt_change *ch = &d->ch[i];
		const struct ospf_route *prev = prev_of ? prev_of[i] :
			ospf_rtable_get(old, &ch->rt->p);
		uint32_t adv = ch->rt->adv;

		r->chg[i].p = ch->rt->p;
		r->chg[i].op = ch->op == OSPF_RT_DEL ? OSPF_CHG_DEL :
			       prev ? OSPF_CHG_CHANGE : OSPF_CHG_ADD;
		/* A route that moved away from an LSA: either side. */
		r->chg[i].trigger = ospf_spf_trigger_match(r->triggers,
							   r->n_triggers,
							   &ch->rt->p, adv);
		if (r->chg[i].trigger < 0 && prev)
			r->chg[i].trigger = ospf_spf_trigger_match(
				r->triggers, r->n_triggers, &ch->rt->p,
				prev->adv);
	}
	r->n_chg = n;
	return r;
}

void
ospf_spf_now(struct ospf *ospf)
{
	struct ospf_spf_area areas[64];
	struct ospf_spf_iface *ifs;
	struct ospf_spf_vlink *vls;
	struct ospf_spf_input in;
	struct ospf_rtable *t;
	struct ospf_rt_diff d;
	struct ospf_area *a;
	struct ospf_iface *ifp;
	struct ospf_spf_run_rec *rec;
	size_t na = 0, ni = 0, nifs = 0;
	double t0 = ospf_now(), t1;

	wp_timer_stop(&ospf->spf.timer);
	/* This run computes the pending externals too. */
	ospf_spf_inc_absorb(ospf);
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		nifs++;
	ifs = wp_calloc(MT_OSPF_SPF, (nifs + 1) * sizeof(*ifs));
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		if (!ospf_area_active(a) ||
		    na == sizeof(areas) / sizeof(areas[0]))
			continue;
		areas[na].id = a->id;
		areas[na].type = ospf_area_conf(a)->type;
		areas[na].db = a->lsdb;
		areas[na].ifs = &ifs[ni];
		areas[na].n_ifs = 0;
		TAILQ_FOREACH(ifp, &a->ifaces, area_entry) {
			/* A virtual link's first hops come from its
			 * transit area (in.vlinks). */
			if (ifp->state == IF_STA_DOWN || ifp->vlink)
				continue;
			ifs[ni].addr = ifp->addr;
			ifs[ni].mask = ifp->mask;
			ifs[ni].ifindex = ifp->ifindex;
			ni++;
			areas[na].n_ifs++;
		}
		a->spf_runs++;
		na++;
	}
	memset(&in, 0, sizeof(in));
	in.root = ospf->router_id;
	in.now = t0;
	in.max_paths = ospf->conf->max_paths;
	in.areas = areas;
	in.n_areas = na;
	in.as_db = ospf->as_lsdb;
	vls = ospf_vlink_spf_input(ospf, &in.n_vlinks);
	in.vlinks = vls;
	t = ospf_spf_run(&in, &ospf->spf.last);
	wp_free(MT_OSPF_SPF, ifs);
	wp_free(MT_OSPF_SPF, vls);
	ospf_rtable_diff(ospf->rtable, t, &d);
	rec = ospf_spf_hist_record(ospf, ospf->spf.last_reason, ospf->spf.pend,
				   ospf->spf.n_pend, ospf->spf.pend_dropped,
				   ospf->rtable, NULL, &d);
	ospf->spf.n_pend = ospf->spf.pend_dropped = 0;
	t1 = ospf_now();
	/* RFC 3623 §2.2: restarting, the forwarding stays as it was; the
	 * table goes to ribd when the restart is done. */
	if (d.n && !ospf->gr.restarting)
		ospf_rib_update(ospf, &d);
	rec->rib_ms = (ospf_now() - t1) * 1e3;
	rec->to_rib_ms = (ospf_now() - t0) * 1e3;
	rec->st = ospf->spf.last;
	rec->routes = wp_trie_count(t->routes);
	wp_debug(DBG_OSPF_SPF, "spf: %u vertices, %zu routes: +%zu ~%zu -%zu",
		 ospf->spf.last.vertices, wp_trie_count(t->routes), d.adds,
		 d.changes, d.dels);
	ospf_rt_diff_free(&d);
	ospf_rtable_free(ospf->rtable);
	ospf->rtable = t;
	ospf->spf.runs++;
	ospf->spf.last_start = t0;
	ospf->spf.last_end = ospf_now();
	ospf->spf.last_duration = ospf->spf.last_end - t0;
	ospf->spf.last_time = time(NULL);
	rec->total_ms = ospf->spf.last_duration * 1e3;
	ospf_vlink_update(ospf);
	ospf_summary_originate(ospf);
	ospf_rib_discards(ospf);
	ospf_gr_restart_check(ospf);
}
