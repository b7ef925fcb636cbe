/*
 * ospf_nbr.c: neighbours, the neighbour state machine (§10.3) and the
 * three per-neighbour lists (§10): the database summary list (what we
 * still have to describe in DBD packets), the link state request list
 * (what we still want from it) and the retransmission list (what we
 * flooded to it and it has not acknowledged).
 *
 * Same shape as the interface FSM: a table of {states, event, action,
 * next}, ospf_nbr_fsm() the only place the state changes, every change
 * logged as "old -> event -> new".  A neighbour that reaches Down is
 * freed by ospf_nbr_fsm() itself, which then returns 1.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_NBR, "OSPF neighbor");
WP_MEMTYPE_DEFINE(MT_OSPF_LSLIST, "OSPF LSA list entry");
WP_DEBUG_DEFINE(DBG_OSPF_NSM, "ospf-nsm");

const char *const ospf_nbr_state_name[NBR_STA_MAX] = {
	[NBR_STA_DOWN] = "Down",
	[NBR_STA_ATTEMPT] = "Attempt",
	[NBR_STA_INIT] = "Init",
	[NBR_STA_2WAY] = "2-Way",
	[NBR_STA_EXSTART] = "ExStart",
	[NBR_STA_EXCHANGE] = "Exchange",
	[NBR_STA_LOADING] = "Loading",
	[NBR_STA_FULL] = "Full",
};

const char *const ospf_nbr_event_name[NBR_EVT_MAX] = {
	[NBR_EVT_HELLO_RCVD] = "HelloReceived",
	[NBR_EVT_START] = "Start",
	[NBR_EVT_2WAY_RCVD] = "2-WayReceived",
	[NBR_EVT_NEG_DONE] = "NegotiationDone",
	[NBR_EVT_EXCH_DONE] = "ExchangeDone",
	[NBR_EVT_BAD_LSREQ] = "BadLSReq",
	[NBR_EVT_LOAD_DONE] = "LoadingDone",
	[NBR_EVT_ADJ_OK] = "AdjOK?",
	[NBR_EVT_SEQ_MISMATCH] = "SeqNumberMismatch",
	[NBR_EVT_1WAY_RCVD] = "1-WayReceived",
	[NBR_EVT_KILL] = "KillNbr",
	[NBR_EVT_INACTIVITY] = "InactivityTimer",
	[NBR_EVT_LL_DOWN] = "LLDown",
};

#define S(x)		(1u << (x))
#define NBR_STA_ANY	((1u << NBR_STA_MAX) - 1)
#define NBR_STA_ALIVE	(NBR_STA_ANY & ~S(NBR_STA_DOWN))
#define NBR_STA_2WAYUP	(S(NBR_STA_2WAY) | NBR_STA_ADJ)
#define NBR_STA_ADJ	(S(NBR_STA_EXSTART) | NBR_STA_XCHG)
#define NBR_STA_XCHG	(S(NBR_STA_EXCHANGE) | S(NBR_STA_LOADING) | \
			 S(NBR_STA_FULL))
#define NBR_STA_SAME	NBR_STA_MAX	/* next: no change */
#define NBR_STA_ACT	(NBR_STA_MAX + 1)	/* next: the action says */

static enum ospf_nbr_state nbr_act_start_inact(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_hello(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_2way(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_adj_ok(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_adj_recheck(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_negdone(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_exchdone(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_restart(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_clear(struct ospf_nbr *nbr);
static enum ospf_nbr_state nbr_act_kill(struct ospf_nbr *nbr);

static const struct {
	unsigned int states;
	enum ospf_nbr_event event;
	enum ospf_nbr_state (*action)(struct ospf_nbr *nbr);
	unsigned int next;
} nbr_fsm[] = {
	{ S(NBR_STA_DOWN) | S(NBR_STA_ATTEMPT), NBR_EVT_HELLO_RCVD,
	  nbr_act_start_inact, NBR_STA_INIT },
	{ S(NBR_STA_INIT) | NBR_STA_2WAYUP, NBR_EVT_HELLO_RCVD,
	  nbr_act_hello, NBR_STA_SAME },
	{ S(NBR_STA_INIT), NBR_EVT_2WAY_RCVD, nbr_act_2way, NBR_STA_ACT },
	{ NBR_STA_2WAYUP, NBR_EVT_2WAY_RCVD, NULL, NBR_STA_SAME },
	{ S(NBR_STA_INIT), NBR_EVT_1WAY_RCVD, NULL, NBR_STA_SAME },
	{ NBR_STA_2WAYUP, NBR_EVT_1WAY_RCVD, nbr_act_clear, NBR_STA_INIT },
	{ S(NBR_STA_EXSTART), NBR_EVT_NEG_DONE, nbr_act_negdone,
	  NBR_STA_EXCHANGE },
	{ S(NBR_STA_EXCHANGE), NBR_EVT_EXCH_DONE, nbr_act_exchdone,
	  NBR_STA_ACT },
	{ S(NBR_STA_LOADING), NBR_EVT_LOAD_DONE, NULL, NBR_STA_FULL },
	{ S(NBR_STA_2WAY), NBR_EVT_ADJ_OK, nbr_act_adj_ok, NBR_STA_ACT },
	{ NBR_STA_ADJ, NBR_EVT_ADJ_OK, nbr_act_adj_recheck, NBR_STA_ACT },
	{ NBR_STA_XCHG, NBR_EVT_SEQ_MISMATCH, nbr_act_restart,
	  NBR_STA_EXSTART },
	{ NBR_STA_XCHG, NBR_EVT_BAD_LSREQ, nbr_act_restart, NBR_STA_EXSTART },
	{ NBR_STA_ANY, NBR_EVT_KILL, nbr_act_kill, NBR_STA_DOWN },
	{ NBR_STA_ANY, NBR_EVT_LL_DOWN, nbr_act_kill, NBR_STA_DOWN },
	{ NBR_STA_ANY, NBR_EVT_INACTIVITY, nbr_act_kill, NBR_STA_DOWN },
};

const char *
ospf_nbr_role(const struct ospf_nbr *nbr)
{
	const struct ospf_iface *ifp = nbr->iface;

	if (!ospf_iface_elects(ifp))
		return "-";
	if (nbr->addr == ifp->dr)
		return "DR";
	if (nbr->addr == ifp->bdr)
		return "Backup";
	return "DROther";
}

/* --- lists ---------------------------------------------------------------- */

static void
ref_list_clear(struct ospf_lsa_ref_head *head, bool rxmt)
{
	struct ospf_lsa_ref *r;

	while ((r = TAILQ_FIRST(head)) != NULL) {
		TAILQ_REMOVE(head, r, entry);
		if (rxmt)
			r->lsa->rxmt--;
		ospf_lsa_unref(r->lsa);
		wp_free(MT_OSPF_LSLIST, r);
	}
}

void
ospf_nbr_clear_lists(struct ospf_nbr *nbr)
{
	struct ospf_lsreq_ent *e;

	ref_list_clear(&nbr->summary, false);
	nbr->n_summary = 0;
	ref_list_clear(&nbr->rxmt, true);
	nbr->n_rxmt = 0;
	while ((e = TAILQ_FIRST(&nbr->lsreq)) != NULL) {
		TAILQ_REMOVE(&nbr->lsreq, e, entry);
		wp_free(MT_OSPF_LSLIST, e);
	}
	nbr->n_lsreq = 0;
	wp_timer_stop(&nbr->lsreq_timer);
	wp_timer_stop(&nbr->rxmt_timer);
}

static bool
same_key(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b)
{
	return a->type == b->type && a->id == b->id && a->adv == b->adv;
}

struct ospf_lsa_ref *
ospf_nbr_rxmt_find(struct ospf_nbr *nbr, const struct ospf_lsa_hdr *h)
{
	struct ospf_lsa_ref *r;

	TAILQ_FOREACH(r, &nbr->rxmt, entry)
		if (same_key(&r->lsa->hdr, h))
			return r;
	return NULL;
}

void
ospf_nbr_rxmt_del(struct ospf_nbr *nbr, struct ospf_lsa_ref *r)
{
	TAILQ_REMOVE(&nbr->rxmt, r, entry);
	nbr->n_rxmt--;
	r->lsa->rxmt--;
	ospf_lsa_unref(r->lsa);
	wp_free(MT_OSPF_LSLIST, r);
	if (nbr->n_rxmt == 0)
		wp_timer_stop(&nbr->rxmt_timer);
}

static void
rxmt_cb(struct wp_timer *t)
{
	struct ospf_nbr *nbr = container_of(t, struct ospf_nbr, rxmt_timer);

	ospf_rxmt_send(nbr);
}

void
ospf_nbr_rxmt_add(struct ospf_nbr *nbr, struct ospf_lsa *lsa)
{
	struct ospf_lsa_ref *r = ospf_nbr_rxmt_find(nbr, &lsa->hdr);

	/* One instance per key: a newer one replaces the older. */
	if (r)
		ospf_nbr_rxmt_del(nbr, r);
	r = wp_calloc(MT_OSPF_LSLIST, sizeof(*r));
	r->lsa = ospf_lsa_ref(lsa);
	lsa->rxmt++;
	TAILQ_INSERT_TAIL(&nbr->rxmt, r, entry);
	nbr->n_rxmt++;
	if (!wp_timer_active(&nbr->rxmt_timer))
		wp_timer_start_periodic(&nbr->rxmt_timer,
					nbr->iface->rxmt_interval, 0);
}

void
ospf_rxmt_remove_all(struct ospf *ospf, const struct ospf_lsa *lsa)
{
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;
	struct ospf_lsa_ref *r;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
			if (nbr->n_rxmt == 0)
				continue;
			/* This very instance: a newer one of the same key
			 * may already be queued in its place (§13 (5b-c)). */
			r = ospf_nbr_rxmt_find(nbr, &lsa->hdr);
			if (r && r->lsa == lsa)
				ospf_nbr_rxmt_del(nbr, r);
		}
	}
}

struct ospf_lsreq_ent *
ospf_nbr_lsreq_find(struct ospf_nbr *nbr, uint8_t type, uint32_t id,
		    uint32_t adv)
{
	struct ospf_lsreq_ent *e;

	TAILQ_FOREACH(e, &nbr->lsreq, entry)
		if (e->hdr.type == type && e->hdr.id == id && e->hdr.adv == adv)
			return e;
	return NULL;
}

void
ospf_nbr_lsreq_del(struct ospf_nbr *nbr, struct ospf_lsreq_ent *e)
{
	TAILQ_REMOVE(&nbr->lsreq, e, entry);
	nbr->n_lsreq--;
	wp_free(MT_OSPF_LSLIST, e);
}

void
ospf_nbr_lsreq_add(struct ospf_nbr *nbr, const struct ospf_lsa_hdr *h)
{
	struct ospf_lsreq_ent *e = ospf_nbr_lsreq_find(nbr, h->type, h->id,
						       h->adv);

	if (e) {
		if (ospf_lsa_cmp(h, &e->hdr) > 0)
			e->hdr = *h;
		return;
	}
	e = wp_calloc(MT_OSPF_LSLIST, sizeof(*e));
	e->hdr = *h;
	TAILQ_INSERT_TAIL(&nbr->lsreq, e, entry);
	nbr->n_lsreq++;
}

/* §10.3 NegotiationDone: describe the whole LSDB (types 1-4 of the area,
 * 5 of the AS); MaxAge LSAs go on the retransmission list instead. */
static void
summary_build_one(struct ospf_nbr *nbr, struct ospf_lsdb *db, double now)
{
	struct ospf_lsa **v;
	size_t n;

	v = ospf_lsdb_sorted(db, &n);
	for (size_t i = 0; i < n; i++) {
		struct ospf_lsa_ref *r;

		/* RFC 5250 §3.1: none to a neighbour without the O-bit. */
		if (ospf_lsa_opaque(v[i]->hdr.type) &&
		    !(nbr->options & OSPF_OPT_O))
			continue;

		if (ospf_lsa_age(v[i], now) == OSPF_MAX_AGE) {
			ospf_nbr_rxmt_add(nbr, v[i]);
			continue;
		}
		r = wp_calloc(MT_OSPF_LSLIST, sizeof(*r));
		r->lsa = ospf_lsa_ref(v[i]);
		TAILQ_INSERT_TAIL(&nbr->summary, r, entry);
		nbr->n_summary++;
	}
	wp_free(MT_OSPF_LSDB, v);
}

/* --- timers --------------------------------------------------------------- */

static void
inactivity_cb(struct wp_timer *t)
{
	struct ospf_nbr *nbr = container_of(t, struct ospf_nbr,
					    inactivity_timer);

	wp_timer_stop(t);
	ospf_nbr_fsm(nbr, NBR_EVT_INACTIVITY);
}

static void
dd_cb(struct wp_timer *t)
{
	struct ospf_nbr *nbr = container_of(t, struct ospf_nbr, dd_timer);

	/* The master retransmits its last DBD until acknowledged; the
	 * slave only answers (§10.8). */
	if (nbr->state == NBR_STA_EXSTART ||
	    (nbr->state == NBR_STA_EXCHANGE && nbr->master))
		ospf_dbd_resend(nbr);
	else
		wp_timer_stop(t);
}

static void
lsreq_cb(struct wp_timer *t)
{
	struct ospf_nbr *nbr = container_of(t, struct ospf_nbr, lsreq_timer);

	if (nbr->n_lsreq && (nbr->state == NBR_STA_EXCHANGE ||
			     nbr->state == NBR_STA_LOADING))
		ospf_lsreq_send(nbr);
	else
		wp_timer_stop(t);
}

/* --- actions -------------------------------------------------------------- */

static enum ospf_nbr_state
nbr_act_start_inact(struct ospf_nbr *nbr)
{
	wp_timer_again(&nbr->inactivity_timer, nbr->iface->dead_interval);
	return NBR_STA_INIT;
}

static enum ospf_nbr_state
nbr_act_hello(struct ospf_nbr *nbr)
{
	wp_timer_again(&nbr->inactivity_timer, nbr->iface->dead_interval);
	return nbr->state;
}

static void
start_exstart(struct ospf_nbr *nbr)
{
	ospf_nbr_clear_lists(nbr);
	/* §10.8: a sequence number unique to this exchange. */
	if (nbr->dd_seq == 0)
		nbr->dd_seq = (uint32_t)(ospf_now() * 1000.0) ^
			      (uint32_t)random();
	else
		nbr->dd_seq++;
	nbr->master = true;
	nbr->dd_more = true;
	nbr->last_dd_valid = false;
	wp_free(MT_OSPF_PKT, nbr->dd_last);
	nbr->dd_last = NULL;
	nbr->dd_last_len = 0;
	/* The first DBD goes out once the state is ExStart (ospf_nbr_fsm);
	 * then every RxmtInterval until the exchange moves on. */
	wp_timer_start_periodic(&nbr->dd_timer, nbr->iface->rxmt_interval, 0);
}

static enum ospf_nbr_state
nbr_act_2way(struct ospf_nbr *nbr)
{
	if (!ospf_iface_adj_ok(nbr->iface, nbr))
		return NBR_STA_2WAY;
	start_exstart(nbr);
	return NBR_STA_EXSTART;
}

static enum ospf_nbr_state
nbr_act_adj_ok(struct ospf_nbr *nbr)
{
	return nbr_act_2way(nbr);
}

static enum ospf_nbr_state
nbr_act_adj_recheck(struct ospf_nbr *nbr)
{
	if (ospf_iface_adj_ok(nbr->iface, nbr))
		return nbr->state;
	ospf_nbr_clear_lists(nbr);
	wp_timer_stop(&nbr->dd_timer);
	return NBR_STA_2WAY;
}

static enum ospf_nbr_state
nbr_act_negdone(struct ospf_nbr *nbr)
{
	struct ospf_iface *ifp = nbr->iface;
	double now = ospf_now();

	summary_build_one(nbr, ifp->area->lsdb, now);
	/* No AS-external-LSAs over virtual links (§10.8). */
	if (!ifp->vlink && ospf_lsa_scope_ok(ifp->area, OSPF_LSA_EXTERNAL))
		summary_build_one(nbr, ifp->ospf->as_lsdb, now);
	summary_build_one(nbr, ifp->lsdb9, now);
	return NBR_STA_EXCHANGE;
}

static enum ospf_nbr_state
nbr_act_exchdone(struct ospf_nbr *nbr)
{
	if (nbr->master)
		wp_timer_stop(&nbr->dd_timer);
	if (nbr->n_lsreq == 0)
		return NBR_STA_FULL;
	if (!wp_timer_active(&nbr->lsreq_timer))
		ospf_lsreq_send(nbr);
	return NBR_STA_LOADING;
}

static enum ospf_nbr_state
nbr_act_restart(struct ospf_nbr *nbr)
{
	start_exstart(nbr);
	return NBR_STA_EXSTART;
}

static enum ospf_nbr_state
nbr_act_clear(struct ospf_nbr *nbr)
{
	ospf_nbr_clear_lists(nbr);
	wp_timer_stop(&nbr->dd_timer);
	return NBR_STA_INIT;
}

static enum ospf_nbr_state
nbr_act_kill(struct ospf_nbr *nbr)
{
	ospf_nbr_clear_lists(nbr);
	wp_timer_stop(&nbr->dd_timer);
	wp_timer_stop(&nbr->inactivity_timer);
	return NBR_STA_DOWN;
}

static void
nbr_log(struct ospf_nbr *nbr, enum ospf_nbr_state old,
	enum ospf_nbr_event ev)
{
	const struct ospf_conf *c = nbr->iface->ospf->conf;
	char id[16];
	bool full = old == NBR_STA_FULL || nbr->state == NBR_STA_FULL ||
		    nbr->state == NBR_STA_DOWN;

	/* FRR's log-adjacency-changes: Full and Down always (at info), every
	 * step with `detail`; debug ospf-nsm shows them all. */
	if (full || (c->log_adj && c->log_adj_detail))
		wp_log_info("neighbor %s on %s: %s -> %s -> %s",
			    ospf_id_fmt(nbr->id, id, sizeof(id)),
			    nbr->iface->name, ospf_nbr_state_name[old],
			    ospf_nbr_event_name[ev],
			    ospf_nbr_state_name[nbr->state]);
	else
		wp_debug(DBG_OSPF_NSM, "neighbor %s on %s: %s -> %s -> %s",
			 ospf_id_fmt(nbr->id, id, sizeof(id)),
			 nbr->iface->name, ospf_nbr_state_name[old],
			 ospf_nbr_event_name[ev],
			 ospf_nbr_state_name[nbr->state]);
}

int
ospf_nbr_fsm(struct ospf_nbr *nbr, enum ospf_nbr_event ev)
{
	struct ospf_iface *ifp = nbr->iface;
	enum ospf_nbr_state old = nbr->state, new;
	bool full_before;
	size_t i;

	if (nbr->gr.helping) {
		char id[16];

		switch (ev) {
		case NBR_EVT_INACTIVITY:
		case NBR_EVT_1WAY_RCVD:
			/* RFC 3623 §3: while it restarts, its silence and
			 * its hellos that do not list us yet keep the
			 * adjacency; the grace period bounds both. */
			wp_debug(DBG_OSPF_NSM, "neighbor %s on %s: %s ignored "
				 "while helping it restart",
				 ospf_id_fmt(nbr->id, id, sizeof(id)),
				 ifp->name, ospf_nbr_event_name[ev]);
			return 0;
		case NBR_EVT_KILL:
		case NBR_EVT_LL_DOWN:
			ospf_gr_helper_exit(nbr, OSPF_GR_EXIT_NBR_DOWN);
			break;
		default:
			break;
		}
	}
	full_before = ospf_nbr_full(nbr);
	for (i = 0; i < sizeof(nbr_fsm) / sizeof(nbr_fsm[0]); i++)
		if ((nbr_fsm[i].states & S(old)) && nbr_fsm[i].event == ev)
			break;
	if (i == sizeof(nbr_fsm) / sizeof(nbr_fsm[0])) {
		char id[16];

		wp_debug(DBG_OSPF_NSM, "neighbor %s on %s: %s in %s ignored",
			 ospf_id_fmt(nbr->id, id, sizeof(id)), ifp->name,
			 ospf_nbr_event_name[ev], ospf_nbr_state_name[old]);
		return 0;
	}
	new = nbr_fsm[i].next == NBR_STA_SAME ? old :
	      nbr_fsm[i].next == NBR_STA_ACT ? old :
	      (enum ospf_nbr_state)nbr_fsm[i].next;
	if (nbr_fsm[i].action) {
		enum ospf_nbr_state r = nbr_fsm[i].action(nbr);

		if (nbr_fsm[i].next == NBR_STA_ACT)
			new = r;
	}
	nbr->state = new;
	nbr->last_event = ospf_nbr_event_name[ev];
	if (new == old)
		return 0;
	nbr->state_change = ospf_now();
	nbr->state_changes++;
	nbr_log(nbr, old, ev);
	/* A neighbour we help restart stays fully adjacent for our LSAs
	 * through its database exchange (RFC 3623 §3). */
	if (full_before != ospf_nbr_full(nbr)) {
		if (ospf_nbr_full(nbr)) {
			ifp->area->n_full++;
			nbr->up_since = time(NULL);
		} else {
			ifp->area->n_full--;
		}
		ospf_router_lsa_schedule(ifp->area);
		/* The transit area's router-LSA carries the V-bit. */
		if (ifp->vlink) {
			struct ospf_area *t = ospf_area_find(ifp->ospf,
							     ifp->vl_transit);

			if (t)
				ospf_router_lsa_schedule(t);
		}
		if (ifp->state == IF_STA_DR)
			ospf_network_lsa_schedule(ifp);
	}
	if (new == NBR_STA_EXSTART)
		ospf_dbd_send(nbr);
	if (new == NBR_STA_FULL)
		ospf_gr_restart_check(ifp->ospf);
	/* §9.3 NeighborChange: a neighbour came to or left 2-Way.  Not when
	 * the interface itself is taking its neighbours down. */
	if ((old >= NBR_STA_2WAY) != (new >= NBR_STA_2WAY) &&
	    ev != NBR_EVT_KILL && ev != NBR_EVT_LL_DOWN)
		ospf_iface_fsm(ifp, IF_EVT_NBR_CHANGE);
	/* RFC 5882 §4.2: BFD for neighbours in 2-Way or higher. */
	if ((old >= NBR_STA_2WAY) != (new >= NBR_STA_2WAY))
		ospf_bfd_nbr_update(nbr);
	if (new == NBR_STA_DOWN) {
		ospf_nbr_free(nbr);
		return 1;
	}
	return 0;
}

/* --- life cycle ------------------------------------------------------------ */

struct ospf_nbr *
ospf_nbr_new(struct ospf_iface *ifp, uint32_t id, uint32_t addr)
{
	struct ospf_nbr *nbr = wp_calloc(MT_OSPF_NBR, sizeof(*nbr));
	struct wp_loop *loop = ifp->ospf->loop;

	nbr->iface = ifp;
	nbr->id = id;
	nbr->addr = addr;
	nbr->state = NBR_STA_DOWN;
	TAILQ_INIT(&nbr->summary);
	TAILQ_INIT(&nbr->lsreq);
	TAILQ_INIT(&nbr->rxmt);
	wp_timer_init(loop, &nbr->inactivity_timer, "ospf inactivity",
		      inactivity_cb);
	wp_timer_init(loop, &nbr->dd_timer, "ospf dbd rxmt", dd_cb);
	wp_timer_init(loop, &nbr->lsreq_timer, "ospf lsreq rxmt", lsreq_cb);
	wp_timer_init(loop, &nbr->rxmt_timer, "ospf lsupd rxmt", rxmt_cb);
	ospf_gr_nbr_init(nbr);
	TAILQ_INSERT_TAIL(&ifp->nbrs, nbr, entry);
	ifp->n_nbrs++;
	return nbr;
}

void
ospf_nbr_free(struct ospf_nbr *nbr)
{
	struct ospf_iface *ifp = nbr->iface;

	ospf_bfd_nbr_gone(nbr);
	if (ospf_nbr_full(nbr))
		ifp->area->n_full--;
	ospf_gr_nbr_fini(nbr);
	ospf_nbr_clear_lists(nbr);
	wp_timer_stop(&nbr->inactivity_timer);
	wp_timer_stop(&nbr->dd_timer);
	wp_timer_stop(&nbr->lsreq_timer);
	wp_timer_stop(&nbr->rxmt_timer);
	TAILQ_REMOVE(&ifp->nbrs, nbr, entry);
	ifp->n_nbrs--;
	wp_free(MT_OSPF_PKT, nbr->dd_last);
	wp_free(MT_OSPF_NBR, nbr);
}

void
ospf_nbr_lsreq_timer(struct ospf_nbr *nbr)
{
	wp_timer_start_periodic(&nbr->lsreq_timer, nbr->iface->rxmt_interval,
				0);
}
