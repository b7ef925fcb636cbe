/*
 * ospf_iface.c: OSPF interfaces and the interface state machine (§9).
 *
 * The FSM is the table below: a row matches a set of states and one event,
 * runs its action and moves to `next` (IF_STA_ACT: the action says where
 * to).  ospf_iface_fsm() is the only place the state changes, and it logs
 * every transition as "old -> event -> new".  The DR election (§9.4) is a
 * pure function, ospf_dr_elect(), that the unit tests drive directly;
 * the action around it applies the result (AdjOK? to neighbours, the
 * AllDRouters group, our router- and network-LSAs).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_IFACE, "OSPF interface");
WP_DEBUG_DEFINE(DBG_OSPF_ISM, "ospf-ism");

const char *const ospf_if_state_name[IF_STA_MAX] = {
	[IF_STA_DOWN] = "Down",
	[IF_STA_LOOPBACK] = "Loopback",
	[IF_STA_WAITING] = "Waiting",
	[IF_STA_P2P] = "Point-To-Point",
	[IF_STA_DROTHER] = "DROther",
	[IF_STA_BACKUP] = "Backup",
	[IF_STA_DR] = "DR",
};

const char *const ospf_if_event_name[IF_EVT_MAX] = {
	[IF_EVT_UP] = "InterfaceUp",
	[IF_EVT_WAIT_TIMER] = "WaitTimer",
	[IF_EVT_BACKUP_SEEN] = "BackupSeen",
	[IF_EVT_NBR_CHANGE] = "NeighborChange",
	[IF_EVT_LOOP_IND] = "LoopInd",
	[IF_EVT_UNLOOP_IND] = "UnloopInd",
	[IF_EVT_DOWN] = "InterfaceDown",
};

const char *const ospf_if_err_name[OSPF_ERR_MAX] = {
	[OSPF_ERR_SHORT] = "truncated",
	[OSPF_ERR_VERSION] = "bad version",
	[OSPF_ERR_TYPE] = "bad packet type",
	[OSPF_ERR_LENGTH] = "bad length",
	[OSPF_ERR_CKSUM] = "bad checksum",
	[OSPF_ERR_AREA] = "area mismatch",
	[OSPF_ERR_AUTH_TYPE] = "authentication type mismatch",
	[OSPF_ERR_AUTH] = "authentication failure",
	[OSPF_ERR_DST] = "bad destination",
	[OSPF_ERR_SRC] = "source not on subnet",
	[OSPF_ERR_OWN] = "own router ID",
	[OSPF_ERR_MASK] = "network mask mismatch",
	[OSPF_ERR_HELLO_INT] = "hello interval mismatch",
	[OSPF_ERR_DEAD_INT] = "dead interval mismatch",
	[OSPF_ERR_OPTIONS] = "options (area type) mismatch",
	[OSPF_ERR_NBR_UNKNOWN] = "unknown neighbor",
	[OSPF_ERR_NBR_STATE] = "neighbor state too low",
	[OSPF_ERR_MTU] = "MTU mismatch",
	[OSPF_ERR_LSA] = "bad LSA",
	[OSPF_ERR_NET_TYPE] = "network type mismatch",
};

const char *const ospf_if_err_code[OSPF_ERR_MAX] = {
	[OSPF_ERR_AREA] = "area-mismatch",
	[OSPF_ERR_AUTH_TYPE] = "auth-type-mismatch",
	[OSPF_ERR_AUTH] = "auth-failure",
	[OSPF_ERR_OWN] = "duplicate-router-id",
	[OSPF_ERR_MASK] = "mask-mismatch",
	[OSPF_ERR_HELLO_INT] = "hello-mismatch",
	[OSPF_ERR_DEAD_INT] = "dead-mismatch",
	[OSPF_ERR_OPTIONS] = "area-type-mismatch",
	[OSPF_ERR_MTU] = "mtu-mismatch",
	[OSPF_ERR_NET_TYPE] = "network-type-mismatch",
};

#define S(x)		(1u << (x))
#define IF_STA_ANY	((1u << IF_STA_MAX) - 1)
#define IF_STA_UP	(IF_STA_ANY & ~S(IF_STA_DOWN))
#define IF_STA_ELECTED	(S(IF_STA_DROTHER) | S(IF_STA_BACKUP) | S(IF_STA_DR))
#define IF_STA_ACT	IF_STA_MAX	/* next state: the action's answer */

static enum ospf_if_state if_act_start(struct ospf_iface *ifp);
static enum ospf_if_state if_act_elect(struct ospf_iface *ifp);
static enum ospf_if_state if_act_reset(struct ospf_iface *ifp);

static const struct {
	unsigned int states;
	enum ospf_if_event event;
	enum ospf_if_state (*action)(struct ospf_iface *ifp);
	unsigned int next;
} if_fsm[] = {
	{ S(IF_STA_DOWN), IF_EVT_UP, if_act_start, IF_STA_ACT },
	{ S(IF_STA_WAITING), IF_EVT_BACKUP_SEEN, if_act_elect, IF_STA_ACT },
	{ S(IF_STA_WAITING), IF_EVT_WAIT_TIMER, if_act_elect, IF_STA_ACT },
	{ S(IF_STA_WAITING), IF_EVT_NBR_CHANGE, NULL, IF_STA_WAITING },
	{ IF_STA_ELECTED, IF_EVT_NBR_CHANGE, if_act_elect, IF_STA_ACT },
	{ S(IF_STA_P2P), IF_EVT_NBR_CHANGE, NULL, IF_STA_P2P },
	{ IF_STA_UP, IF_EVT_DOWN, if_act_reset, IF_STA_DOWN },
	{ IF_STA_ANY, IF_EVT_LOOP_IND, if_act_reset, IF_STA_LOOPBACK },
	{ S(IF_STA_LOOPBACK), IF_EVT_UNLOOP_IND, NULL, IF_STA_DOWN },
};

/* --- DR election (§9.4), pure ---------------------------------------------- */

static bool
cand_better(const struct ospf_dr_cand *a, const struct ospf_dr_cand *b)
{
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return a->id > b->id;
}

static int
pick_bdr(const struct ospf_dr_cand *c, size_t n)
{
	int best = -1;
	bool declared = false;

	/* Routers that declare themselves BDR first, then the rest;
	 * never one that declares itself DR. */
	for (size_t i = 0; i < n; i++) {
		bool d;

		if (c[i].priority == 0 || c[i].dr == c[i].addr)
			continue;
		d = c[i].bdr == c[i].addr;
		if (best < 0 || (d && !declared) ||
		    (d == declared && cand_better(&c[i], &c[best]))) {
			best = (int)i;
			declared = d;
		}
	}
	return best;
}

static int
pick_dr(const struct ospf_dr_cand *c, size_t n, int bdr)
{
	int best = -1;

	for (size_t i = 0; i < n; i++) {
		if (c[i].priority == 0 || c[i].dr != c[i].addr)
			continue;
		if (best < 0 || cand_better(&c[i], &c[best]))
			best = (int)i;
	}
	return best >= 0 ? best : bdr;
}

void
ospf_dr_elect(struct ospf_dr_cand *c, size_t n, int *dr, int *bdr)
{
	struct ospf_dr_cand *self = NULL;
	bool was_dr, was_bdr;

	for (size_t i = 0; i < n; i++)
		if (c[i].self)
			self = &c[i];
	was_dr = self && self->dr == self->addr;
	was_bdr = self && self->bdr == self->addr;
	for (int pass = 0; pass < 2; pass++) {
		*bdr = pick_bdr(c, n);
		*dr = pick_dr(c, n, *bdr);
		if (self == NULL || pass == 1)
			break;
		/* Step 4: did we newly become, or stop being, DR or BDR? */
		if ((*dr >= 0 && &c[*dr] == self) == was_dr &&
		    (*bdr >= 0 && &c[*bdr] == self) == was_bdr)
			break;
		self->dr = *dr >= 0 ? c[*dr].addr : 0;
		self->bdr = *bdr >= 0 ? c[*bdr].addr : 0;
	}
	/* Step 3 may name one router both: it is the DR. */
	if (*dr >= 0 && *dr == *bdr)
		*bdr = -1;
	if (self) {
		self->dr = *dr >= 0 ? c[*dr].addr : 0;
		self->bdr = *bdr >= 0 ? c[*bdr].addr : 0;
	}
}

/* --- helpers -------------------------------------------------------------- */

struct ospf_iface *
ospf_iface_find(struct ospf *ospf, int ifindex)
{
	struct ospf_iface *ifp;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		if (ifp->ifindex == ifindex)
			return ifp;
	return NULL;
}

struct ospf_nbr *
ospf_iface_nbr_by_addr(struct ospf_iface *ifp, uint32_t addr)
{
	struct ospf_nbr *nbr;

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		if (nbr->addr == addr)
			return nbr;
	return NULL;
}

struct ospf_nbr *
ospf_iface_nbr_by_id(struct ospf_iface *ifp, uint32_t id)
{
	struct ospf_nbr *nbr;

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		if (nbr->id == id)
			return nbr;
	return NULL;
}

void
ospf_iface_err(struct ospf_iface *ifp, enum ospf_if_err e, uint32_t src,
	       const char *detail)
{
	struct ospf_if_stats *st = &ifp->stats;
	double now = (double)time(NULL);

	st->err[e]++;
	st->last_err = e;
	st->last_err_src = src;
	st->last_err_time = now;
	st->err_src[e] = src;
	st->err_time[e] = now;
	snprintf(st->err_detail[e], sizeof(st->err_detail[e]), "%s",
		 detail ? detail : "");
}

bool
ospf_iface_adj_ok(const struct ospf_iface *ifp, const struct ospf_nbr *nbr)
{
	/* §10.4: point-to-point, point-to-multipoint and virtual links
	 * always. */
	if (ifp->type == OSPF_NET_P2P || ifp->type == OSPF_NET_P2MP)
		return true;
	if (ifp->state == IF_STA_DR || ifp->state == IF_STA_BACKUP)
		return true;
	return nbr->addr == ifp->dr || nbr->addr == ifp->bdr;
}

size_t
ospf_iface_pkt_max(const struct ospf_iface *ifp)
{
	size_t mtu = ifp->mtu >= 576 ? ifp->mtu : 576;
	size_t max = mtu - OSPF_IP_HDR_LEN;

	/* Room for the digest: a key chain's may be up to SHA-512's. */
	if (ifp->auth_type == OSPF_AUTH_CRYPT)
		max -= ifp->key_chain[0] ? WP_KC_DIGEST_MAX : OSPF_MD5_LEN;
	return max;
}

/* --- timers --------------------------------------------------------------- */

static void
hello_cb(struct wp_timer *t)
{
	struct ospf_iface *ifp = container_of(t, struct ospf_iface, hello_timer);

	ospf_hello_send(ifp);
}

static void
wait_cb(struct wp_timer *t)
{
	struct ospf_iface *ifp = container_of(t, struct ospf_iface, wait_timer);

	ospf_iface_fsm(ifp, IF_EVT_WAIT_TIMER);
}

static void
flood_cb(struct wp_timer *t)
{
	struct ospf_iface *ifp = container_of(t, struct ospf_iface,
					      flood_timer);

	ospf_flood_flush(ifp, false);
}

static void
ack_cb(struct wp_timer *t)
{
	struct ospf_iface *ifp = container_of(t, struct ospf_iface, ack_timer);

	ospf_lsack_flush(ifp);
}

/* --- actions -------------------------------------------------------------- */

static enum ospf_if_state
if_act_start(struct ospf_iface *ifp)
{
	if (ifp->type == OSPF_NET_LOOPBACK)
		return IF_STA_LOOPBACK;
	if (ifp->passive)
		return ospf_iface_elects(ifp) ? IF_STA_DROTHER : IF_STA_P2P;
	/* A virtual link sends through the transit area's sockets. */
	if (!ifp->vlink && ospf_packet_open(ifp) < 0)
		return IF_STA_DOWN;
	ospf_gr_iface_start(ifp);
	wp_timer_start_periodic(&ifp->hello_timer, ifp->hello_interval, 0.05);
	ospf_nbma_iface_up(ifp);
	ospf_hello_send(ifp);
	/* §9.3: point-to-point and point-to-multipoint elect nobody. */
	if (!ospf_iface_elects(ifp))
		return IF_STA_P2P;
	if (ifp->priority == 0)
		return IF_STA_DROTHER;
	wp_timer_start(&ifp->wait_timer, ifp->dead_interval, 0);
	return IF_STA_WAITING;
}

/* Set after an election that moved the DR or BDR; see if_elect_apply(). */
static bool elect_changed;

static enum ospf_if_state
if_act_elect(struct ospf_iface *ifp)
{
	struct ospf_dr_cand *c;
	struct ospf_nbr *nbr;
	uint32_t old_dr = ifp->dr, old_bdr = ifp->bdr;
	size_t n = 0;
	int dr, bdr;

	wp_timer_stop(&ifp->wait_timer);
	c = wp_calloc(MT_OSPF_IFACE, (ifp->n_nbrs + 1) * sizeof(*c));
	c[n].id = ifp->ospf->router_id;
	c[n].addr = ifp->addr;
	c[n].priority = ifp->priority;
	c[n].dr = ifp->dr;
	c[n].bdr = ifp->bdr;
	c[n].self = true;
	n++;
	TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
		if (nbr->state < NBR_STA_2WAY)
			continue;
		c[n].id = nbr->id;
		c[n].addr = nbr->addr;
		c[n].priority = nbr->priority;
		c[n].dr = nbr->dr;
		c[n].bdr = nbr->bdr;
		n++;
	}
	ospf_dr_elect(c, n, &dr, &bdr);
	ifp->dr = dr >= 0 ? c[dr].addr : 0;
	ifp->dr_id = dr >= 0 ? c[dr].id : 0;
	ifp->bdr = bdr >= 0 ? c[bdr].addr : 0;
	ifp->bdr_id = bdr >= 0 ? c[bdr].id : 0;
	wp_free(MT_OSPF_IFACE, c);
	elect_changed = ifp->dr != old_dr || ifp->bdr != old_bdr;
	if (ifp->dr == ifp->addr)
		return IF_STA_DR;
	if (ifp->bdr == ifp->addr)
		return IF_STA_BACKUP;
	return IF_STA_DROTHER;
}

/* After the state changed: what the new DR/BDR means to the rest. */
static void
if_elect_apply(struct ospf_iface *ifp)
{
	struct ospf_nbr *nbr, *next;
	char a[16], b[16];

	ospf_packet_join_dr(ifp, ifp->state == IF_STA_DR ||
			    ifp->state == IF_STA_BACKUP);
	if (!elect_changed)
		return;
	elect_changed = false;
	wp_debug(DBG_OSPF_ISM, "interface %s: DR %s BDR %s", ifp->name,
		 ospf_id_fmt(ifp->dr, a, sizeof(a)),
		 ospf_id_fmt(ifp->bdr, b, sizeof(b)));
	TAILQ_FOREACH_SAFE(nbr, &ifp->nbrs, entry, next)
		if (nbr->state >= NBR_STA_2WAY)
			ospf_nbr_fsm(nbr, NBR_EVT_ADJ_OK);
	ospf_network_lsa_schedule(ifp);
	ospf_router_lsa_schedule(ifp->area);
}

static enum ospf_if_state
if_act_reset(struct ospf_iface *ifp)
{
	struct ospf_nbr *nbr, *next;

	TAILQ_FOREACH_SAFE(nbr, &ifp->nbrs, entry, next)
		ospf_nbr_fsm(nbr, NBR_EVT_KILL);
	wp_timer_stop(&ifp->hello_timer);
	wp_timer_stop(&ifp->wait_timer);
	wp_timer_stop(&ifp->ack_timer);
	ifp->acks.n = 0;
	ospf_flood_flush(ifp, true);
	ospf_packet_close(ifp);
	ifp->dr = ifp->bdr = 0;
	ifp->dr_id = ifp->bdr_id = 0;
	return IF_STA_DOWN;
}

void
ospf_iface_fsm(struct ospf_iface *ifp, enum ospf_if_event ev)
{
	enum ospf_if_state old = ifp->state, new;
	size_t i;

	for (i = 0; i < sizeof(if_fsm) / sizeof(if_fsm[0]); i++)
		if ((if_fsm[i].states & S(old)) && if_fsm[i].event == ev)
			break;
	if (i == sizeof(if_fsm) / sizeof(if_fsm[0])) {
		wp_debug(DBG_OSPF_ISM, "interface %s: %s in state %s ignored",
			 ifp->name, ospf_if_event_name[ev],
			 ospf_if_state_name[old]);
		return;
	}
	new = if_fsm[i].next == IF_STA_ACT ? IF_STA_DOWN :
	      (enum ospf_if_state)if_fsm[i].next;
	if (if_fsm[i].action) {
		enum ospf_if_state r = if_fsm[i].action(ifp);

		if (if_fsm[i].next == IF_STA_ACT)
			new = r;
	}
	ifp->state = new;
	if (new != old) {
		wp_log_info("interface %s: %s -> %s -> %s", ifp->name,
			    ospf_if_state_name[old], ospf_if_event_name[ev],
			    ospf_if_state_name[new]);
		ifp->state_change = ospf_now();
		ifp->state_changes++;
		ospf_router_lsa_schedule(ifp->area);
		if (old == IF_STA_DR || new == IF_STA_DR)
			ospf_network_lsa_schedule(ifp);
		if (old == IF_STA_DOWN || new == IF_STA_DOWN)
			ospf_spf_schedule(ifp->ospf, "interface state");
	}
	if (if_fsm[i].action == if_act_elect)
		if_elect_apply(ifp);
}

/* --- life cycle ------------------------------------------------------------ */

struct ospf_iface *
ospf_iface_new(struct ospf *ospf, struct ospf_area *area,
	       const struct ospf_kif *kif, uint32_t addr, uint8_t plen)
{
	struct ospf_iface *ifp = wp_calloc(MT_OSPF_IFACE, sizeof(*ifp));

	ifp->ospf = ospf;
	ifp->area = area;
	snprintf(ifp->name, sizeof(ifp->name), "%s", kif->name);
	ifp->ifindex = kif->ifindex;
	ifp->mtu = kif->mtu;
	ifp->addr = addr;
	ifp->plen = plen;
	ifp->mask = ospf_plen2mask(plen);
	ifp->state = IF_STA_DOWN;
	ifp->fd = -1;
	ifp->crypt_seq = (uint32_t)time(NULL);
	TAILQ_INIT(&ifp->nbrs);
	ifp->lsdb9 = ospf_lsdb_new();
	wp_timer_init(ospf->loop, &ifp->hello_timer, "ospf hello", hello_cb);
	wp_timer_init(ospf->loop, &ifp->wait_timer, "ospf wait", wait_cb);
	wp_timer_init(ospf->loop, &ifp->ack_timer, "ospf delayed ack", ack_cb);
	wp_timer_init(ospf->loop, &ifp->flood_timer, "ospf flood", flood_cb);
	ospf_orig_init(ospf, &ifp->net_orig, "ospf network-lsa",
		       ospf_network_lsa_cb);
	TAILQ_INSERT_TAIL(&ospf->ifaces, ifp, entry);
	TAILQ_INSERT_TAIL(&area->ifaces, ifp, area_entry);
	wp_debug(DBG_OSPF_IFACE, "interface %s: area %u, created", ifp->name,
		 area->id);
	return ifp;
}

void
ospf_iface_free(struct ospf_iface *ifp)
{
	struct ospf *ospf = ifp->ospf;
	struct ospf_area *area = ifp->area;

	if (ifp->state != IF_STA_DOWN)
		ospf_iface_fsm(ifp, IF_EVT_DOWN);
	/* A network-LSA we still have for it goes (§12.4.2). */
	ospf_network_lsa_originate(ifp);
	wp_timer_stop(&ifp->net_orig.timer);
	TAILQ_REMOVE(&ospf->ifaces, ifp, entry);
	TAILQ_REMOVE(&area->ifaces, ifp, area_entry);
	ospf_flood_flush(ifp, true);
	ospf_lsdb_free(ifp->lsdb9);
	ospf_nbma_iface_free(ifp);
	wp_free(MT_OSPF_IFACE, ifp->floodq);
	wp_free(MT_OSPF_IFACE, ifp->acks.h);
	wp_free(MT_OSPF_IFACE, ifp);
	ospf_router_lsa_schedule(area);
	ospf_spf_schedule(ospf, "interface removed");
}
