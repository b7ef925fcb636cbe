/*
 * ospf_flood.c: the flooding procedure (§13): what to do with each LSA of
 * a received update (§13 steps 1-8), flooding out of the right interfaces
 * onto retransmission lists (§13.3), installing into the LSDB (§13.2),
 * acknowledging (§13.5), retransmitting (§13.6), and aging: MaxAge LSAs
 * are flooded once and removed when nobody needs them any more (§14).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

WP_DEBUG_DEFINE(DBG_OSPF_FLOOD, "ospf-flood");

struct ospf_lsdb *
ospf_lsdb_for(struct ospf *ospf, struct ospf_area *area,
	      struct ospf_iface *ifp, uint8_t type)
{
	if (type == OSPF_LSA_EXTERNAL || type == OSPF_LSA_OPAQUE_AS)
		return ospf->as_lsdb;
	if (type == OSPF_LSA_OPAQUE_LINK && ifp)
		return ifp->lsdb9;
	return area->lsdb;
}

bool
ospf_lsa_scope_ok(const struct ospf_area *area, uint8_t type)
{
	uint8_t t = ospf_area_conf(area)->type;

	/* No type-5s in stub areas (§3.6) or NSSAs (RFC 3101 §2.2), nor
	 * AS-scope opaque LSAs (RFC 5250 §3); type-7s only in NSSAs
	 * (§2.5). */
	if (type == OSPF_LSA_EXTERNAL || type == OSPF_LSA_OPAQUE_AS)
		return t == OSPF_AREA_NORMAL;
	if (type == OSPF_LSA_NSSA)
		return t == OSPF_AREA_NSSA;
	return true;
}

/* Is any neighbour (of `area`, or anywhere for NULL) exchanging? */
static bool
exchanging(struct ospf *ospf, const struct ospf_area *area)
{
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		if (area && ifp->area != area)
			continue;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (nbr->state == NBR_STA_EXCHANGE ||
			    nbr->state == NBR_STA_LOADING)
				return true;
	}
	return false;
}

void
ospf_lsa_install(struct ospf *ospf, struct ospf_area *area,
		 struct ospf_lsa *lsa)
{
	struct ospf_lsdb *db = ospf_lsdb_for(ospf, area, lsa->scope_ifp,
					     lsa->hdr.type);
	struct ospf_lsa *old;
	double now = ospf_now();
	bool changed;

	old = ospf_lsdb_lookup(db, lsa->hdr.type, lsa->hdr.id, lsa->hdr.adv);
	/* §13.2: the old instance leaves every retransmission list. */
	if (old && old != lsa)
		ospf_rxmt_remove_all(ospf, old);
	old = ospf_lsdb_install(db, lsa);
	lsa->installed = now;
	if (lsa->hdr.adv == ospf->router_id)
		lsa->flags |= OSPF_LSA_SELF;
	if (ospf_lsa_age(lsa, now) == OSPF_MAX_AGE)
		lsa->flags |= OSPF_LSA_FLUSHING;
	changed = old == NULL || ospf_lsa_differ(old, lsa, now);
	lsa->changed = changed ? now : old->changed;
	if (DBG_OSPF_LSA->on) {
		char b[96];

		wp_log_debugx("lsdb: install %s%s", ospf_lsa_fmt(&lsa->hdr, b,
								 sizeof(b)),
			      changed ? " (changed)" : "");
	}
	/* A type-3/5/7 that changed its mask leaves a prefix too. */
	if (changed && old)
		ospf_spf_inc_replaced(ospf, old, lsa);
	ospf_lsa_unref(old);
	if (changed) {
		char reason[48];

		snprintf(reason, sizeof(reason), "%s-LSA",
			 ospf_lsa_type_name(lsa->hdr.type));
		ospf_spf_schedule_lsa(ospf, reason, &lsa->hdr);
		ospf_gr_lsa_changed(ospf, area, lsa);
	}
}

/*
 * Flooding is queued per interface and sent from a zero-delay timer, so
 * the LSAs of one received update (or of one burst of originations) leave
 * in as few packets as the MTU allows instead of one packet each.  A newer
 * instance queued behind an older one of the same key replaces it.
 */
void
ospf_flood_flush(struct ospf_iface *ifp, bool discard)
{
	wp_timer_stop(&ifp->flood_timer);
	if (ifp->n_floodq && !discard && (ifp->fd >= 0 || ifp->vlink))
		ospf_lsupd_send(ifp, ospf_flood_dst(ifp), ifp->floodq,
				ifp->n_floodq);
	for (size_t i = 0; i < ifp->n_floodq; i++)
		ospf_lsa_unref(ifp->floodq[i]);
	ifp->n_floodq = 0;
}

static void
flood_queue(struct ospf_iface *ifp, struct ospf_lsa *lsa)
{
	for (size_t i = 0; i < ifp->n_floodq; i++) {
		struct ospf_lsa *q = ifp->floodq[i];

		if (q->hdr.type == lsa->hdr.type && q->hdr.id == lsa->hdr.id &&
		    q->hdr.adv == lsa->hdr.adv) {
			ospf_lsa_unref(q);
			ifp->floodq[i] = ospf_lsa_ref(lsa);
			return;
		}
	}
	if (ifp->n_floodq == ifp->cap_floodq) {
		ifp->cap_floodq = ifp->cap_floodq ? ifp->cap_floodq * 2 : 16;
		ifp->floodq = wp_realloc(MT_OSPF_IFACE, ifp->floodq,
					 ifp->cap_floodq *
					 sizeof(*ifp->floodq));
	}
	ifp->floodq[ifp->n_floodq++] = ospf_lsa_ref(lsa);
	if (!wp_timer_active(&ifp->flood_timer))
		wp_timer_start(&ifp->flood_timer, 0, 0);
}

/* §13.3 (1b): an LSA flooded while `nbr` is still loading may answer its
 * request.  Returns true if the neighbour should not get it. */
static bool
lsreq_check(struct ospf_nbr *nbr, const struct ospf_lsa *lsa, double now)
{
	struct ospf_lsreq_ent *e;
	struct ospf_lsa_hdr h;
	int c;

	e = ospf_nbr_lsreq_find(nbr, lsa->hdr.type, lsa->hdr.id, lsa->hdr.adv);
	if (e == NULL)
		return false;
	ospf_lsa_hdr_now(lsa, now, 0, &h);
	c = ospf_lsa_cmp(&h, &e->hdr);
	if (c < 0)
		return true;
	ospf_nbr_lsreq_del(nbr, e);
	if (nbr->state == NBR_STA_LOADING && nbr->n_lsreq == 0)
		ospf_nbr_fsm(nbr, NBR_EVT_LOAD_DONE);
	return c == 0;
}

static bool
flood_iface(struct ospf_iface *ifp, struct ospf_lsa *lsa,
	    struct ospf_nbr *from, double now)
{
	struct ospf_nbr *nbr, *next;
	bool added = false;

	if (ifp->state == IF_STA_DOWN || ifp->state == IF_STA_LOOPBACK ||
	    (ifp->fd < 0 && !ifp->vlink))
		return false;
	TAILQ_FOREACH_SAFE(nbr, &ifp->nbrs, entry, next) {
		if (nbr->state < NBR_STA_EXCHANGE)
			continue;
		/* RFC 5250 §3.1: opaque LSAs only to opaque-capable
		 * neighbours (O-bit in their Database Description). */
		if (ospf_lsa_opaque(lsa->hdr.type) &&
		    !(nbr->options & OSPF_OPT_O))
			continue;
		if (nbr->state < NBR_STA_FULL && lsreq_check(nbr, lsa, now))
			continue;
		if (nbr == from)
			continue;
		ospf_nbr_rxmt_add(nbr, lsa);
		added = true;
	}
	if (!added)
		return false;
	if (from && from->iface == ifp) {
		/* (4): the DR and BDR flooded it here already; (5): as
		 * BDR we leave it to the DR. */
		if (ospf_iface_elects(ifp) &&
		    (from->addr == ifp->dr || from->addr == ifp->bdr))
			return false;
		if (ifp->state == IF_STA_BACKUP)
			return false;
	}
	flood_queue(ifp, lsa);
	return from && from->iface == ifp;
}

bool
ospf_flood(struct ospf *ospf, struct ospf_area *area, struct ospf_lsa *lsa,
	   struct ospf_nbr *from)
{
	struct ospf_iface *ifp, *next;
	double now = ospf_now();
	bool back = false;

	if (DBG_OSPF_FLOOD->on) {
		char b[96];

		wp_log_debugx("flood: %s", ospf_lsa_fmt(&lsa->hdr, b,
							sizeof(b)));
	}
	/* RFC 5250 §3: link-local scope, the one (sub)network. */
	if (lsa->hdr.type == OSPF_LSA_OPAQUE_LINK) {
		ifp = lsa->scope_ifp ? lsa->scope_ifp :
		      from ? from->iface : NULL;
		return ifp && flood_iface(ifp, lsa, from, now);
	}
	TAILQ_FOREACH_SAFE(ifp, &ospf->ifaces, entry, next) {
		/* AS scope for types 5 and 11, else the area's interfaces. */
		if (lsa->hdr.type != OSPF_LSA_EXTERNAL &&
		    lsa->hdr.type != OSPF_LSA_OPAQUE_AS && ifp->area != area)
			continue;
		if (!ospf_lsa_scope_ok(ifp->area, lsa->hdr.type))
			continue;
		/* AS-external-LSAs are not flooded over virtual links
		 * (§13.3 (1)). */
		if (ifp->vlink && (lsa->hdr.type == OSPF_LSA_EXTERNAL ||
				   lsa->hdr.type == OSPF_LSA_OPAQUE_AS))
			continue;
		if (flood_iface(ifp, lsa, from, now))
			back = true;
	}
	return back;
}

void
ospf_lsa_flush(struct ospf *ospf, struct ospf_area *area,
	       struct ospf_lsa *lsa)
{
	char b[96];

	if (lsa->flags & OSPF_LSA_FLUSHING)
		return;
	/* RFC 3623 §2.2: restarting, our LSAs stay as they were. */
	if (ospf->gr.restarting && lsa->hdr.adv == ospf->router_id)
		return;
	wp_log_info("flushing %s", ospf_lsa_fmt(&lsa->hdr, b, sizeof(b)));
	ospf_lsa_set_maxage(lsa, ospf_now());
	lsa->flags |= OSPF_LSA_FLUSHING;
	ospf->stats.lsa_flushed++;
	ospf_flood(ospf, area, lsa, NULL);
	ospf_spf_schedule_lsa(ospf, "LSA flushed", &lsa->hdr);
	ospf_gr_lsa_changed(ospf, area, lsa);
}

/* §13 step (8): our copy is newer; send it back, unless just done. */
static void
send_newer_back(struct ospf_nbr *nbr, struct ospf_lsa *cur)
{
	ospf_lsupd_send(nbr->iface, ospf_nbr_dst(nbr), &cur, 1);
}

static bool
self_originated(struct ospf *ospf, const struct ospf_lsa *lsa)
{
	struct ospf_iface *ifp;

	if (lsa->hdr.adv == ospf->router_id)
		return true;
	/* §13.4: a network-LSA for one of our addresses, from an older
	 * router ID of ours. */
	if (lsa->hdr.type == OSPF_LSA_NETWORK)
		TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
			if (ifp->addr == lsa->hdr.id)
				return true;
	return false;
}

int
ospf_flood_receive(struct ospf_nbr *nbr, struct ospf_lsa *lsa)
{
	struct ospf_iface *ifp = nbr->iface;
	struct ospf *ospf = ifp->ospf;
	struct ospf_area *area = ifp->area;
	double now = ospf_now();
	struct ospf_lsdb *db;
	struct ospf_lsa *cur;
	struct ospf_lsa_hdr ch;
	int rc = 0, c;

	ospf->stats.lsa_received++;
	/* (1) checksum. */
	if (!ospf_lsa_cksum_ok(lsa->raw, lsa->hdr.len)) {
		char b[96];

		ospf_packet_reject(ifp, OSPF_ERR_LSA, nbr->addr,
				   ospf_lsa_fmt(&lsa->hdr, b, sizeof(b)));
		goto out;
	}
	/* (2) the parser took only known types; (3) no type-5 in a stub
	 * area or NSSA, no type-7 outside an NSSA. */
	if (!ospf_lsa_scope_ok(area, lsa->hdr.type)) {
		char b[96];

		ospf_packet_reject(ifp, OSPF_ERR_LSA, nbr->addr,
				   ospf_lsa_fmt(&lsa->hdr, b, sizeof(b)));
		goto out;
	}
	if (lsa->hdr.type == OSPF_LSA_OPAQUE_LINK)
		lsa->scope_ifp = ifp;
	db = ospf_lsdb_for(ospf, area, ifp, lsa->hdr.type);
	cur = ospf_lsdb_lookup(db, lsa->hdr.type, lsa->hdr.id, lsa->hdr.adv);
	/* (4) a MaxAge LSA nobody has: acknowledge and forget. */
	if (lsa->hdr.age == OSPF_MAX_AGE && cur == NULL &&
	    !exchanging(ospf, NULL)) {
		ospf_lsack_direct(nbr, &lsa->hdr);
		goto out;
	}
	if (cur)
		ospf_lsa_hdr_now(cur, now, 0, &ch);
	c = cur ? ospf_lsa_cmp(&lsa->hdr, &ch) : 1;
	if (c > 0) {
		bool back;

		/* (5a) MinLSArrival. */
		if (cur && now - cur->installed <
		    ospf->conf->lsa_arrival / 1000.0) {
			ospf->stats.lsa_discarded++;
			goto out;
		}
		/* (5b-d) flood, then install. */
		back = ospf_flood(ospf, area, lsa, nbr);
		ospf_lsa_install(ospf, area, lsa);
		/* (5e) acknowledge (§13.5). */
		if (!back && !(ifp->state == IF_STA_BACKUP &&
			       nbr->addr != ifp->dr))
			ospf_lsack_delayed(ifp, lsa);
		/* (5f) one of ours, from a previous life (§13.4). */
		if (self_originated(ospf, lsa))
			ospf_orig_self_received(ospf, area, lsa);
		else if (lsa->hdr.type == OSPF_LSA_OPAQUE_LINK)
			ospf_gr_grace_received(nbr, lsa);
		goto out;
	}
	/* (6) it was on the request list yet is not newer: BadLSReq. */
	if (ospf_nbr_lsreq_find(nbr, lsa->hdr.type, lsa->hdr.id,
				lsa->hdr.adv)) {
		ospf_nbr_fsm(nbr, NBR_EVT_BAD_LSREQ);
		rc = -1;
		goto out;
	}
	if (c == 0) {
		/* (7) the same instance: an implied acknowledgement? */
		struct ospf_lsa_ref *r = ospf_nbr_rxmt_find(nbr, &lsa->hdr);

		if (r) {
			ospf_nbr_rxmt_del(nbr, r);
			if (ifp->state == IF_STA_BACKUP && nbr->addr == ifp->dr)
				ospf_lsack_delayed(ifp, lsa);
		} else {
			ospf_lsack_direct(nbr, &lsa->hdr);
		}
		goto out;
	}
	/* (8) ours is newer. */
	if (ch.age == OSPF_MAX_AGE && cur->hdr.seq == OSPF_MAX_SEQ)
		goto out;
	if (now - cur->installed >= ospf->conf->lsa_arrival / 1000.0)
		send_newer_back(nbr, cur);
out:
	ospf_lsa_unref(lsa);
	return rc;
}

void
ospf_rxmt_send(struct ospf_nbr *nbr)
{
	struct ospf_lsa_ref *r;
	struct ospf_lsa **v;
	size_t n = 0;

	if (nbr->n_rxmt == 0 || nbr->state < NBR_STA_EXCHANGE) {
		wp_timer_stop(&nbr->rxmt_timer);
		return;
	}
	v = wp_calloc(MT_OSPF_PKT, nbr->n_rxmt * sizeof(*v));
	TAILQ_FOREACH(r, &nbr->rxmt, entry)
		v[n++] = r->lsa;
	nbr->rxmt_sent += n;
	/* §13.6: retransmissions go straight to the neighbour. */
	ospf_lsupd_send(nbr->iface, ospf_nbr_dst(nbr), v, n);
	wp_free(MT_OSPF_PKT, v);
}

/* §14: flood what reached MaxAge, remove it once acknowledged by all;
 * refresh our own LSAs at LSRefreshTime (§12.4). */
static void
age_db(struct ospf *ospf, struct ospf_area *area, struct ospf_lsdb *db,
       double now)
{
	struct ospf_lsdb_iter it;
	struct ospf_lsa *lsa;
	bool busy = exchanging(ospf, area);

	for (lsa = ospf_lsdb_first(db, &it); lsa;
	     lsa = ospf_lsdb_next(db, &it)) {
		uint16_t age = ospf_lsa_age(lsa, now);

		if (age == OSPF_MAX_AGE) {
			if (!(lsa->flags & OSPF_LSA_FLUSHING)) {
				lsa->flags |= OSPF_LSA_FLUSHING;
				ospf_lsa_set_maxage(lsa, now);
				ospf_flood(ospf, area, lsa, NULL);
				ospf_spf_schedule_lsa(ospf, "LSA reached MaxAge",
						      &lsa->hdr);
			} else if (lsa->rxmt == 0 && !busy) {
				ospf_lsdb_remove(db, lsa);
			}
			continue;
		}
		if ((lsa->flags & OSPF_LSA_SELF) &&
		    age >= OSPF_LS_REFRESH_TIME)
			ospf_orig_refresh(ospf, area, lsa);
	}
}

void
ospf_age_walk(struct ospf *ospf)
{
	struct ospf_area *a;
	double now = ospf_now();

	struct ospf_iface *ifp;

	TAILQ_FOREACH(a, &ospf->areas, entry)
		age_db(ospf, a, a->lsdb, now);
	age_db(ospf, TAILQ_FIRST(&ospf->areas), ospf->as_lsdb, now);
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		age_db(ospf, ifp->area, ifp->lsdb9, now);
}
