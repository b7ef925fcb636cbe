/*
 * ospf_orig.c: the LSAs we originate: one router-LSA per area (§12.4.1)
 * and a network-LSA for each broadcast network where we are DR and
 * adjacent to someone (§12.4.2).
 *
 * Anything that may change them (interface or neighbour state, cost)
 * calls the *_schedule() function; a per-LSA timer coalesces the requests
 * and keeps originations at least MinLSInterval apart (`timers throttle
 * lsa all`).  An origination that would produce the same contents is
 * skipped, except when refreshing (LSRefreshTime) or when a neighbour
 * holds a newer instance of ours from a previous life (§13.4): then the
 * sequence number must move past it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

void
ospf_orig_init(struct ospf *ospf, struct ospf_orig *o, const char *name,
	       void (*cb)(struct wp_timer *t))
{
	wp_timer_init(ospf->loop, &o->timer, name, cb);
	o->last = -1e9;
}

void
ospf_orig_schedule(struct ospf *ospf, struct ospf_orig *o)
{
	double wait, min = ospf->conf->lsa_interval / 1000.0;

	if (wp_timer_active(&o->timer))
		return;
	wait = o->last + min - ospf_now();
	wp_timer_start(&o->timer, wait > 0 ? wait : 0, 0);
}

void
ospf_router_lsa_schedule(struct ospf_area *area)
{
	ospf_orig_schedule(area->ospf, &area->rtr_orig);
}

void
ospf_network_lsa_schedule(struct ospf_iface *ifp)
{
	ospf_orig_schedule(ifp->ospf, &ifp->net_orig);
}

/* The next sequence number after `cur` (§12.1.6). */
static uint32_t
next_seq(const struct ospf_lsa *cur)
{
	if (cur == NULL)
		return OSPF_INITIAL_SEQ;
	if (cur->hdr.seq == OSPF_MAX_SEQ) {
		/* Wrapping needs the old instance flushed first; starting
		 * over at the initial number is what a restart does, and
		 * the neighbours' newer copy brings us back (§13.4). */
		wp_log_warnx("LSA sequence number wrapped");
		return OSPF_INITIAL_SEQ;
	}
	return cur->hdr.seq + 1;
}

/* Install and flood a new instance of ours unless it changes nothing. */
static void
originate(struct ospf *ospf, struct ospf_area *area, struct ospf_lsa *new,
	  struct ospf_lsa *cur, bool force)
{
	double now = ospf_now();
	char b[96];

	/* RFC 3623 §2.2: restarting, nothing but Grace-LSAs. */
	if (ospf->gr.restarting && !ospf_lsa_is_grace(&new->hdr)) {
		ospf_lsa_unref(new);
		return;
	}
	if (!force && cur && !(cur->flags & OSPF_LSA_FLUSHING) &&
	    ospf_lsa_age(cur, now) < OSPF_MAX_AGE &&
	    !ospf_lsa_differ(cur, new, now)) {
		ospf_lsa_unref(new);
		return;
	}
	wp_debug(DBG_OSPF_LSA, "originate %s", ospf_lsa_fmt(&new->hdr, b,
							    sizeof(b)));
	ospf_lsa_install(ospf, area, new);
	ospf->stats.lsa_originated++;
	ospf_flood(ospf, area, new, NULL);
	ospf_lsa_unref(new);
}

/* The options in the headers of our LSAs in `area`: E in normal areas
 * only (§12.4.3.1, RFC 3101 §2.2). */
static uint8_t
lsa_options(const struct ospf_area *area)
{
	return ospf_area_options(ospf_area_conf(area)) & OSPF_OPT_E;
}

/* --- router-LSA (§12.4.1) -------------------------------------------------- */

struct links {
	struct ospf_rtr_link *v;
	size_t n, cap;
};

static void
link_add(struct links *l, uint32_t id, uint32_t data, uint8_t type,
	 uint32_t metric)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = wp_realloc(MT_OSPF_LSA, l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].id = id;
	l->v[l->n].data = data;
	l->v[l->n].type = type;
	l->v[l->n].metric = (uint16_t)(metric > 0xffff ? 0xffff : metric);
	l->n++;
}

static bool
full_with_dr(const struct ospf_iface *ifp)
{
	const struct ospf_nbr *nbr;

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
		if (!ospf_nbr_full(nbr))
			continue;
		if (ifp->state == IF_STA_DR || nbr->addr == ifp->dr)
			return true;
	}
	return false;
}

static void
iface_links(struct links *l, const struct ospf_iface *ifp)
{
	const struct ospf_nbr *nbr;
	uint32_t net = ifp->addr & ifp->mask;

	switch (ifp->state) {
	case IF_STA_DOWN:
		return;
	case IF_STA_LOOPBACK:
		/* A host route to the address, cost 0 (§12.4.1.4). */
		link_add(l, ifp->addr, 0xffffffffu, OSPF_LINK_STUB, 0);
		return;
	case IF_STA_P2P:
		/* §12.4.1.3: a virtual link to a full neighbour, its cost
		 * that of the path through the transit area; no stub. */
		if (ifp->vlink) {
			TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
				if (nbr->state == NBR_STA_FULL)
					link_add(l, nbr->id, ifp->addr,
						 OSPF_LINK_VIRTUAL, ifp->cost);
			return;
		}
		if (ifp->type == OSPF_NET_P2MP) {
			struct ospf_rtr_link *v;
			size_t n;

			v = wp_calloc(MT_OSPF_LSA, (ifp->n_nbrs + 1) *
				      sizeof(*v));
			n = ospf_p2mp_links(ifp, v);
			for (size_t i = 0; i < n; i++)
				link_add(l, v[i].id, v[i].data, v[i].type,
					 v[i].metric);
			wp_free(MT_OSPF_LSA, v);
			return;
		}
		/* §12.4.1.1: a p2p link per full neighbour, and the subnet
		 * as a stub regardless (option 1). */
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (ospf_nbr_full(nbr))
				link_add(l, nbr->id, ifp->addr, OSPF_LINK_P2P,
					 ifp->cost);
		if (ifp->plen == 32)
			link_add(l, ifp->addr, 0xffffffffu, OSPF_LINK_STUB,
				 ifp->cost);
		else
			link_add(l, net, ifp->mask, OSPF_LINK_STUB, ifp->cost);
		return;
	default:
		/* §12.4.1.2: transit once fully adjacent to the DR (or DR
		 * and adjacent to someone), else a stub. */
		if (ifp->state != IF_STA_WAITING && ifp->dr &&
		    full_with_dr(ifp))
			link_add(l, ifp->dr, ifp->addr, OSPF_LINK_TRANSIT,
				 ifp->cost);
		else
			link_add(l, net, ifp->mask, OSPF_LINK_STUB, ifp->cost);
		return;
	}
}

static void
router_lsa(struct ospf_area *area, bool force)
{
	struct ospf *ospf = area->ospf;
	const struct ospf_area_conf *ac = ospf_area_conf(area);
	struct ospf_lsa_hdr h;
	struct ospf_lsa *cur, *new;
	struct ospf_iface *ifp;
	struct links l = { 0 };
	uint8_t flags = 0;

	if (ospf->router_id == 0)
		return;
	area->rtr_orig.last = ospf_now();
	TAILQ_FOREACH(ifp, &area->ifaces, area_entry)
		iface_links(&l, ifp);
	/* RFC 6987 §2 (stub router): transit links (point-to-point,
	 * transit, virtual) at MaxLinkMetric, so no path goes through us
	 * while another exists; stub links keep their costs. */
	if (ospf_max_metric_active(ospf, NULL))
		for (size_t i = 0; i < l.n; i++)
			if (l.v[i].type != OSPF_LINK_STUB)
				l.v[i].metric = OSPF_MAX_LINK_METRIC;
	if (ospf_is_abr(ospf))
		flags |= OSPF_RTR_B;
	/* V: endpoint of a full virtual link through this area. */
	if (ospf_vlink_transit(area))
		flags |= OSPF_RTR_V;
	/* A translator is an AS boundary router (RFC 3101 §3.2), seen as
	 * such from the normal areas; so is an ABR with a type-7 default
	 * inside its NSSA (§2.4), or the NSSA's routers would not use it.
	 * Nt: translates always (§3.1). */
	if (ospf_is_translator(ospf) && ac->type == OSPF_AREA_NORMAL)
		flags |= OSPF_RTR_E;
	/* We originate externals (§12.4.1: E-bit), type-7s in an NSSA. */
	if (ospf_redist_asbr(ospf) && ac->type != OSPF_AREA_STUB)
		flags |= OSPF_RTR_E;
	if (ospf_is_abr(ospf) && ac->type == OSPF_AREA_NSSA) {
		if (ac->nssa_default)
			flags |= OSPF_RTR_E;
		if (ac->nssa_role == OSPF_NSSA_ALWAYS)
			flags |= OSPF_RTR_NT;
	}
	cur = ospf_lsdb_lookup(area->lsdb, OSPF_LSA_ROUTER, ospf->router_id,
			       ospf->router_id);
	memset(&h, 0, sizeof(h));
	h.options = lsa_options(area);
	h.id = ospf->router_id;
	h.adv = ospf->router_id;
	h.seq = next_seq(cur);
	new = ospf_lsa_build_router(&h, flags, l.v, l.n, ospf_now());
	wp_free(MT_OSPF_LSA, l.v);
	if (new)
		originate(ospf, area, new, cur, force);
}

void
ospf_router_lsa_originate(struct ospf_area *area)
{
	router_lsa(area, false);
}

void
ospf_router_lsa_cb(struct wp_timer *t)
{
	struct ospf_area *area = container_of(t, struct ospf_area,
					      rtr_orig.timer);

	ospf_router_lsa_originate(area);
}

/* --- network-LSA (§12.4.2) -------------------------------------------------- */

static void
network_lsa(struct ospf_iface *ifp, bool force)
{
	struct ospf *ospf = ifp->ospf;
	struct ospf_lsa_hdr h;
	struct ospf_lsa *cur, *new;
	struct ospf_nbr *nbr;
	uint32_t *rtrs;
	size_t n = 0;

	if (ospf->router_id == 0)
		return;
	ifp->net_orig.last = ospf_now();
	cur = ospf_lsdb_lookup(ifp->area->lsdb, OSPF_LSA_NETWORK, ifp->addr,
			       ospf->router_id);
	rtrs = wp_calloc(MT_OSPF_LSA, (ifp->n_nbrs + 1) * sizeof(*rtrs));
	rtrs[n++] = ospf->router_id;
	if (ifp->state == IF_STA_DR && ospf_iface_elects(ifp))
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (ospf_nbr_full(nbr))
				rtrs[n++] = nbr->id;
	if (n == 1) {
		/* Not DR, or nobody adjacent: no network-LSA. */
		wp_free(MT_OSPF_LSA, rtrs);
		if (cur && ospf_lsa_age(cur, ospf_now()) < OSPF_MAX_AGE)
			ospf_lsa_flush(ospf, ifp->area, cur);
		ifp->net_lsa = false;
		return;
	}
	memset(&h, 0, sizeof(h));
	h.options = lsa_options(ifp->area);
	h.id = ifp->addr;
	h.adv = ospf->router_id;
	h.seq = next_seq(cur);
	new = ospf_lsa_build_network(&h, ifp->mask, rtrs, n, ospf_now());
	wp_free(MT_OSPF_LSA, rtrs);
	ifp->net_lsa = true;
	if (new)
		originate(ospf, ifp->area, new, cur, force);
}

void
ospf_network_lsa_originate(struct ospf_iface *ifp)
{
	network_lsa(ifp, false);
}

void
ospf_network_lsa_cb(struct wp_timer *t)
{
	struct ospf_iface *ifp = container_of(t, struct ospf_iface,
					      net_orig.timer);

	ospf_network_lsa_originate(ifp);
}

/* --- summary-LSAs (§12.4.3), type-7 defaults, NSSA translation ------------ */

/* Originate (or keep) one wanted LSA of ours in `db` and mark it. */
static void
want_apply(struct ospf *ospf, struct ospf_area *area, struct ospf_lsdb *db,
	   const struct ospf_want *w)
{
	struct ospf_lsa_hdr h;
	struct ospf_lsa *cur, *new;

	cur = ospf_lsdb_lookup(db, w->type, w->id, ospf->router_id);
	if (cur && (cur->flags & OSPF_LSA_MARK))
		return;	/* App. E: another mask on the same address; the
			 * first keeps the plain ID, not resolved further */
	memset(&h, 0, sizeof(h));
	h.type = w->type;
	h.id = w->id;
	h.adv = ospf->router_id;
	h.seq = next_seq(cur);
	switch (w->type) {
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		h.options = lsa_options(area);
		new = ospf_lsa_build_summary(&h, w->mask, w->metric,
					     ospf_now());
		break;
	default:
		/* Translated type-5s carry E; our type-7 default has the
		 * P-bit clear (RFC 3101 §2.4). */
		h.options = w->type == OSPF_LSA_EXTERNAL ? OSPF_OPT_E :
			    w->p_bit ? OSPF_OPT_NP : 0;
		new = ospf_lsa_build_external(&h, w->mask, w->metric, w->e2,
					      w->fwd, w->tag, ospf_now());
		break;
	}
	if (new == NULL)
		return;
	originate(ospf, area, new, cur, false);
	cur = ospf_lsdb_lookup(db, w->type, w->id, ospf->router_id);
	if (cur)
		cur->flags |= OSPF_LSA_MARK;
}

static void
marks_clear(struct ospf_lsdb *db)
{
	struct ospf_lsdb_iter it;
	struct ospf_lsa *lsa;

	for (lsa = ospf_lsdb_first(db, &it); lsa; lsa = ospf_lsdb_next(db, &it))
		lsa->flags &= ~OSPF_LSA_MARK;
}

/* Ours of these types that nothing asked for any more: flush them. */
static void
flush_unmarked(struct ospf *ospf, struct ospf_area *area,
	       struct ospf_lsdb *db, unsigned int types)
{
	struct ospf_lsdb_iter it;
	struct ospf_lsa *lsa, **stale;
	size_t n = 0;

	stale = wp_calloc(MT_OSPF_LSA, (ospf_lsdb_count(db) + 1) *
			  sizeof(*stale));
	for (lsa = ospf_lsdb_first(db, &it); lsa; lsa = ospf_lsdb_next(db, &it))
		if ((types & (1u << lsa->hdr.type)) &&
		    lsa->hdr.adv == ospf->router_id &&
		    !(lsa->flags & (OSPF_LSA_MARK | OSPF_LSA_FLUSHING)))
			stale[n++] = lsa;
	for (size_t i = 0; i < n; i++)
		ospf_lsa_flush(ospf, area, stale[i]);
	wp_free(MT_OSPF_LSA, stale);
}

/* Do all of these next hops leave through interfaces of `area`? */
static bool
nexthops_in(struct ospf *ospf, const struct ospf_area *area,
	    const struct ospf_nexthop *nh, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct ospf_iface *ifp = ospf_iface_find(ospf,
							       nh[i].ifindex);

		if (ifp == NULL || ifp->vlink || ifp->area != area)
			return false;
	}
	return n > 0;
}

/*
 * §12.4.3: no summary into area A of a path whose next hops all belong
 * to A (split horizon).  Only a transit area sees such paths: backbone
 * routes over a virtual link, or shortened through it (§16.3).
 */
static void
split_horizon(struct ospf *ospf, const struct ospf_area *area,
	      struct ospf_want_list *wl)
{
	const struct ospf_iface *ifp;
	size_t j = 0;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		if (ifp->vlink && ifp->vl_transit == area->id)
			break;
	if (ifp == NULL)
		return;
	for (size_t i = 0; i < wl->n; i++) {
		const struct ospf_want *w = &wl->v[i];
		const struct ospf_rtr_route *r = NULL;
		const struct ospf_route *rt = NULL;
		struct wp_prefix p;

		if (w->type == OSPF_LSA_SUMMARY) {
			ospf_prefix_v4(&p, w->id, ospf_mask2plen(w->mask));
			rt = ospf_rtable_get(ospf->rtable, &p);
		} else if (w->type == OSPF_LSA_ASBR_SUMMARY) {
			r = ospf_rtable_rtr(ospf->rtable, w->id, 0);
		}
		if ((rt && rt->area == 0 &&
		     nexthops_in(ospf, area, rt->nh, rt->n_nh)) ||
		    (r && nexthops_in(ospf, area, r->nh, r->n_nh)))
			continue;
		wl->v[j++] = *w;
	}
	wl->n = j;
}

void
ospf_summary_originate(struct ospf *ospf)
{
	bool abr = ospf_is_abr(ospf), was = ospf_is_translator(ospf);
	bool asbr = false;
	struct ospf_area_conf *confs;
	struct ospf_area **areas;
	struct ospf_area *area;
	size_t n = 0;

	TAILQ_FOREACH(area, &ospf->areas, entry)
		n++;
	confs = wp_calloc(MT_OSPF_LSA, (n + 1) * sizeof(*confs));
	areas = wp_calloc(MT_OSPF_LSA, (n + 1) * sizeof(*areas));
	n = 0;
	TAILQ_FOREACH(area, &ospf->areas, entry) {
		if (TAILQ_EMPTY(&area->ifaces))
			continue;
		areas[n] = area;
		confs[n] = *ospf_area_conf(area);
		confs[n].id = area->id;
		n++;
	}
	TAILQ_FOREACH(area, &ospf->areas, entry) {
		struct ospf_want_list wl = { 0 };

		marks_clear(area->lsdb);
		for (size_t i = 0; abr && i < n; i++) {
			if (areas[i] != area)
				continue;
			ospf_area_wants(ospf->rtable, ospf->router_id, confs,
					n, i, &wl);
			split_horizon(ospf, area, &wl);
			if (confs[i].type == OSPF_AREA_NSSA)
				area->translating = ospf_nssa_translator(
					ospf->rtable, ospf->router_id,
					&confs[i]);
		}
		if (!abr || ospf_area_conf(area)->type != OSPF_AREA_NSSA)
			area->translating = false;
		/* Redistributed routes as type-7s in an NSSA (RFC 3101
		 * §2.2); none in a stub area, type-5s below otherwise. */
		if (ospf_area_conf(area)->type == OSPF_AREA_NSSA &&
		    !TAILQ_EMPTY(&area->ifaces))
			asbr |= ospf_redist_wants(ospf, OSPF_LSA_NSSA,
						  &wl) > 0;
		for (size_t i = 0; i < wl.n; i++)
			want_apply(ospf, area, area->lsdb, &wl.v[i]);
		ospf_want_free(&wl);
		flush_unmarked(ospf, area, area->lsdb,
			       1u << OSPF_LSA_SUMMARY |
			       1u << OSPF_LSA_ASBR_SUMMARY |
			       1u << OSPF_LSA_NSSA);
	}
	/* RFC 3101 §3.2: the translated type-5s, AS-wide. */
	marks_clear(ospf->as_lsdb);
	for (size_t i = 0; i < n; i++) {
		struct ospf_want_list wl = { 0 };

		if (!areas[i]->translating)
			continue;
		ospf_nssa_translate(areas[i]->lsdb, ospf->rtable,
				    ospf->router_id, areas[i]->id, ospf_now(),
				    &wl);
		ospf_nssa_aggregate(&confs[i], &wl);
		for (size_t j = 0; j < wl.n; j++)
			want_apply(ospf, areas[i], ospf->as_lsdb, &wl.v[j]);
		ospf_want_free(&wl);
	}
	/* Redistributed routes (ospf_redist.c), AS-wide, if we have an
	 * area they may enter. */
	for (size_t i = 0; i < n; i++) {
		struct ospf_want_list wl = { 0 };

		if (confs[i].type != OSPF_AREA_NORMAL)
			continue;
		asbr |= ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl) > 0;
		for (size_t j = 0; j < wl.n; j++)
			want_apply(ospf, areas[i], ospf->as_lsdb, &wl.v[j]);
		ospf_want_free(&wl);
		break;
	}
	if (n)
		flush_unmarked(ospf, areas[0], ospf->as_lsdb,
			       1u << OSPF_LSA_EXTERNAL);
	ospf_redist_set_asbr(ospf, asbr);
	/* Becoming or ceasing to be the translator moves the E-bit. */
	if (was != ospf_is_translator(ospf))
		TAILQ_FOREACH(area, &ospf->areas, entry)
			ospf_router_lsa_schedule(area);
	wp_free(MT_OSPF_LSA, confs);
	wp_free(MT_OSPF_LSA, areas);
}

/* --- our LSAs coming back (§13.4) and refresh -------------------------------- */

static struct ospf_iface *
iface_by_addr(struct ospf *ospf, uint32_t addr)
{
	struct ospf_iface *ifp;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		if (ifp->addr == addr)
			return ifp;
	return NULL;
}

/* A copy of `lsa` with age 0 and the next sequence number. */
static struct ospf_lsa *
lsa_reissue(const struct ospf_lsa *lsa)
{
	struct ospf_lsa *new;
	uint8_t *raw = wp_malloc(MT_OSPF_LSA, lsa->hdr.len);
	uint32_t seq = next_seq(lsa);
	char err[128];
	uint16_t ck;

	memcpy(raw, lsa->raw, lsa->hdr.len);
	raw[0] = raw[1] = 0;
	raw[12] = (uint8_t)(seq >> 24);
	raw[13] = (uint8_t)(seq >> 16);
	raw[14] = (uint8_t)(seq >> 8);
	raw[15] = (uint8_t)seq;
	raw[16] = raw[17] = 0;
	ck = ospf_lsa_cksum(raw, lsa->hdr.len);
	raw[16] = (uint8_t)(ck >> 8);
	raw[17] = (uint8_t)ck;
	new = ospf_lsa_parse(raw, lsa->hdr.len, ospf_now(), err, sizeof(err));
	wp_free(MT_OSPF_LSA, raw);
	return new;
}

/* Move one of ours past `lsa` (a newer copy, or refresh), or flush it. */
static void
reoriginate(struct ospf *ospf, struct ospf_area *area, struct ospf_lsa *lsa)
{
	struct ospf_iface *ifp;

	if (lsa->hdr.adv == ospf->router_id && lsa->hdr.type ==
	    OSPF_LSA_ROUTER && lsa->hdr.id == ospf->router_id) {
		router_lsa(area, true);
		return;
	}
	if (lsa->hdr.adv == ospf->router_id &&
	    lsa->hdr.type == OSPF_LSA_NETWORK) {
		ifp = iface_by_addr(ospf, lsa->hdr.id);
		if (ifp && ifp->area == area && ifp->state == IF_STA_DR) {
			network_lsa(ifp, true);
			return;
		}
	}
	if (lsa->hdr.adv == ospf->router_id &&
	    lsa->hdr.type >= OSPF_LSA_SUMMARY &&
	    (lsa->flags & OSPF_LSA_MARK) &&
	    !(lsa->flags & OSPF_LSA_FLUSHING)) {
		/* Still wanted (the last summary pass marked it): the same
		 * contents with the next sequence number.  A newer copy
		 * received from a neighbour carries no mark: it is flushed,
		 * and the next pass originates past it. */
		struct ospf_lsa *new = lsa_reissue(lsa);

		if (new) {
			new->flags |= OSPF_LSA_MARK;
			originate(ospf, area, new, lsa, true);
			return;
		}
	}
	/* Not one we originate (any more): flush it. */
	if (ospf_lsa_age(lsa, ospf_now()) < OSPF_MAX_AGE)
		ospf_lsa_flush(ospf, area, lsa);
	/* §13.4: a neighbour's copy of one of our summaries or externals,
	 * newer than ours, carries no mark; it may still be wanted.  A
	 * common case: we flushed it, forgot the flushed instance once all
	 * had acknowledged it, and wanted it again: the new one started over
	 * at InitialSequenceNumber, and a neighbour still holding the old
	 * one at MaxAge (newer by §13.1) sent that back.  The summary pass
	 * originates past it (next_seq() of this copy), and must run now:
	 * nothing else may call it for a long time. */
	if (lsa->hdr.type == OSPF_LSA_SUMMARY ||
	    lsa->hdr.type == OSPF_LSA_ASBR_SUMMARY ||
	    lsa->hdr.type == OSPF_LSA_EXTERNAL ||
	    lsa->hdr.type == OSPF_LSA_NSSA)
		ospf_summary_schedule(ospf);
}

void
ospf_grace_lsa_originate(struct ospf_iface *ifp, uint32_t period,
			 uint8_t reason)
{
	struct ospf *ospf = ifp->ospf;
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_OPAQUE_LINK,
				  .options = OSPF_OPT_O,
				  .id = (uint32_t)OSPF_OPAQUE_GRACE << 24,
				  .adv = ospf->router_id };
	uint8_t body[OSPF_GRACE_BODY_LEN];
	struct ospf_lsa *cur, *new;
	size_t len;

	cur = ospf_lsdb_lookup(ifp->lsdb9, h.type, h.id, h.adv);
	h.seq = next_seq(cur);
	len = ospf_grace_encode(period, reason, ifp->addr, body);
	new = ospf_lsa_build_opaque(&h, body, len, ospf_now());
	new->scope_ifp = ifp;
	originate(ospf, ifp->area, new, cur, true);
}

void
ospf_orig_self_received(struct ospf *ospf, struct ospf_area *area,
			struct ospf_lsa *lsa)
{
	char b[96];

	/* RFC 3623 §2.2: restarting, our LSAs from before the restart
	 * (the Grace-LSAs too) are taken as they are. */
	if (ospf->gr.restarting) {
		wp_debug(DBG_OSPF_LSA, "graceful restart: kept our own %s",
			 ospf_lsa_fmt(&lsa->hdr, b, sizeof(b)));
		return;
	}
	wp_log_info("received our own %s: %s",
		    ospf_lsa_fmt(&lsa->hdr, b, sizeof(b)),
		    lsa->hdr.age == OSPF_MAX_AGE ? "being flushed" :
		    "newer than ours");
	reoriginate(ospf, area, lsa);
}

void
ospf_orig_refresh(struct ospf *ospf, struct ospf_area *area,
		  struct ospf_lsa *lsa)
{
	char b[96];

	wp_debug(DBG_OSPF_LSA, "refresh %s", ospf_lsa_fmt(&lsa->hdr, b,
							  sizeof(b)));
	reoriginate(ospf, area, lsa);
}
