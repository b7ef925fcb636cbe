/*
 * ospf_hello.c: Hello packets (§9.5 sending, §10.5 receiving, §A.3.2
 * format).  Receiving a hello is where neighbours are born, where
 * parameter mismatches (mask, intervals, area type) are caught and
 * counted, and where the DR/BDR a neighbour declares feeds the interface
 * state machine (BackupSeen, NeighborChange).
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"

WP_DEBUG_DEFINE(DBG_OSPF_HELLO, "ospf-hello");

int
ospf_hello_decode(struct wp_rbuf *r, struct ospf_hello *h)
{
	size_t left;

	wp_rbuf_get_u32(r, &h->mask);
	wp_rbuf_get_u16(r, &h->hello_interval);
	wp_rbuf_get_u8(r, &h->options);
	wp_rbuf_get_u8(r, &h->priority);
	wp_rbuf_get_u32(r, &h->dead_interval);
	wp_rbuf_get_u32(r, &h->dr);
	wp_rbuf_get_u32(r, &h->bdr);
	if (wp_rbuf_error(r))
		return -1;
	left = wp_rbuf_remaining(r);
	if (left % 4 != 0)
		return -1;
	h->n_nbrs = left / 4;
	h->nbrs = wp_rbuf_get_ptr(r, left);
	return h->nbrs ? 0 : -1;
}

static uint8_t
our_options(const struct ospf_iface *ifp)
{
	/* E-bit in normal areas, N-bit in NSSAs, neither in stub areas
	 * (§A.2, RFC 3101 §2.1). */
	return ospf_area_options(ospf_area_conf(ifp->area));
}

void
ospf_hello_send_to(struct ospf_iface *ifp, uint32_t dst)
{
	struct ospf_nbr *nbr;
	struct wp_wbuf w;
	bool p2p = !ospf_iface_elects(ifp);

	if (ifp->fd < 0 && !ifp->vlink)
		return;
	ospf_packet_start(&w, ifp, OSPF_PKT_HELLO);
	wp_wbuf_put_u32(&w, ifp->mask);
	wp_wbuf_put_u16(&w, ifp->hello_interval);
	wp_wbuf_put_u8(&w, our_options(ifp));
	wp_wbuf_put_u8(&w, ifp->priority);
	wp_wbuf_put_u32(&w, ifp->dead_interval);
	wp_wbuf_put_u32(&w, p2p ? 0 : ifp->dr);
	wp_wbuf_put_u32(&w, p2p ? 0 : ifp->bdr);
	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		if (nbr->state >= NBR_STA_INIT)
			wp_wbuf_put_u32(&w, nbr->id);
	ospf_packet_send(ifp, &w, dst);
}

void
ospf_hello_send(struct ospf_iface *ifp)
{
	/* §9.5.1: unicast to the neighbours on NBMA (and p2mp
	 * non-broadcast) networks. */
	if (ospf_iface_nonbcast(ifp)) {
		ospf_nbma_hello_send(ifp);
		return;
	}
	/* §15: a virtual link's hellos are unicast to the other end. */
	ospf_hello_send_to(ifp, ifp->vlink ? ifp->vl_peer_addr :
			   OSPF_ALL_SPF_ROUTERS);
}

static bool
lists_us(const struct ospf_hello *h, uint32_t rid)
{
	struct wp_rbuf r;

	wp_rbuf_init(&r, h->nbrs, h->n_nbrs * 4);
	for (size_t i = 0; i < h->n_nbrs; i++) {
		uint32_t id;

		wp_rbuf_get_u32(&r, &id);
		if (id == rid)
			return true;
	}
	return false;
}

/*
 * A point-to-point interface facing a broadcast one (or the reverse) passes
 * every check of §10.5, yet the two describe the link differently in their
 * router-LSAs (§12.4.1.1 vs §12.4.1.2) and routes through it fail.  Note it
 * for the adjacency doctor; the hello is still processed.  On p2p links (and
 * point-to-multipoint networks) the DR and BDR fields are 0 (§9.5); a
 * broadcast neighbour fills them once it has elected.  A neighbour on a
 * broadcast network that names no DR for a whole RouterDeadInterval after
 * two-way, while we have one, is on p2p.
 */
static void
net_type_check(struct ospf_iface *ifp, struct ospf_nbr *nbr,
	       const struct ospf_hello *h)
{
	char why[OSPF_ERR_DETAIL_LEN], a[16];
	double now;

	if (!ospf_iface_elects(ifp)) {
		if (h->dr == 0 && h->bdr == 0)
			return;
		snprintf(why, sizeof(why), "hello names DR %s: the neighbor "
			 "is broadcast, we are %s",
			 ospf_id_fmt(h->dr ? h->dr : h->bdr, a, sizeof(a)),
			 ifp->type == OSPF_NET_P2MP ? "p2mp" : "point-to-point");
		ospf_iface_err(ifp, OSPF_ERR_NET_TYPE, nbr->addr, why);
		return;
	}
	if (h->dr != 0 || h->bdr != 0 || ifp->dr == 0) {
		nbr->nodr_since = 0;
		return;
	}
	now = ospf_now();
	if (nbr->nodr_since == 0) {
		nbr->nodr_since = now;
		return;
	}
	if (now - nbr->nodr_since <= ifp->dead_interval)
		return;
	ospf_iface_err(ifp, OSPF_ERR_NET_TYPE, nbr->addr,
		       "hellos name no DR: the neighbor is point-to-point, "
		       "we are broadcast");
}

void
ospf_hello_input(struct ospf_iface *ifp, const struct ospf_pkt *pkt)
{
	struct wp_rbuf body = pkt->body;
	struct ospf_hello h;
	struct ospf_nbr *nbr;
	uint32_t src = pkt->src, old_dr, old_bdr;
	uint8_t old_prio;
	bool p2p = ifp->type == OSPF_NET_P2P;
	char why[64];

	if (ospf_hello_decode(&body, &h) < 0) {
		ospf_packet_malformed(ifp, pkt, "hello body not 20 + 4n bytes");
		return;
	}
	/* §10.5: parameters that must agree on the link. */
	if (!p2p && h.mask != ifp->mask) {
		snprintf(why, sizeof(why), "mask /%u, ours /%u",
			 ospf_mask2plen(h.mask), ifp->plen);
		ospf_packet_reject(ifp, OSPF_ERR_MASK, src, why);
		return;
	}
	if (h.hello_interval != ifp->hello_interval) {
		snprintf(why, sizeof(why), "hello %u s, ours %u s",
			 h.hello_interval, ifp->hello_interval);
		ospf_packet_reject(ifp, OSPF_ERR_HELLO_INT, src, why);
		return;
	}
	if (h.dead_interval != ifp->dead_interval) {
		snprintf(why, sizeof(why), "dead %u s, ours %u s",
			 h.dead_interval, ifp->dead_interval);
		ospf_packet_reject(ifp, OSPF_ERR_DEAD_INT, src, why);
		return;
	}
	if ((h.options & (OSPF_OPT_E | OSPF_OPT_NP)) !=
	    our_options(ifp)) {
		/* §10.5, RFC 3101 §2.1: the area types disagree. */
		snprintf(why, sizeof(why), "E-bit %s, N-bit %s; ours %s, %s",
			 h.options & OSPF_OPT_E ? "set" : "clear",
			 h.options & OSPF_OPT_NP ? "set" : "clear",
			 our_options(ifp) & OSPF_OPT_E ? "set" : "clear",
			 our_options(ifp) & OSPF_OPT_NP ? "set" : "clear");
		ospf_packet_reject(ifp, OSPF_ERR_OPTIONS, src, why);
		return;
	}
	nbr = p2p ? ospf_iface_nbr_by_id(ifp, pkt->rtr_id) :
	      ospf_iface_nbr_by_addr(ifp, src);
	if (nbr && !p2p && nbr->id != pkt->rtr_id) {
		/* Another router on that address now: start over. */
		ospf_nbr_fsm(nbr, NBR_EVT_KILL);
		nbr = NULL;
	}
	if (nbr == NULL) {
		char id[16];

		nbr = ospf_nbr_new(ifp, pkt->rtr_id, src);
		wp_debug(DBG_OSPF_HELLO, "interface %s: new neighbor %s",
			 ifp->name, ospf_id_fmt(pkt->rtr_id, id, sizeof(id)));
		nbr->priority = h.priority;
		nbr->dr = h.dr;
		nbr->bdr = h.bdr;
	}
	nbr->addr = src;
	old_prio = nbr->priority;
	old_dr = nbr->dr;
	old_bdr = nbr->bdr;
	nbr->priority = h.priority;
	nbr->dr = h.dr;
	nbr->bdr = h.bdr;
	ospf_nbr_fsm(nbr, NBR_EVT_HELLO_RCVD);
	ospf_nbma_hello_reply(ifp, nbr);
	if (!lists_us(&h, ifp->ospf->router_id)) {
		ospf_nbr_fsm(nbr, NBR_EVT_1WAY_RCVD);
		return;
	}
	ospf_nbr_fsm(nbr, NBR_EVT_2WAY_RCVD);
	net_type_check(ifp, nbr, &h);
	if (!ospf_iface_elects(ifp) || ospf_gr_hello_dr(ifp, h.dr))
		return;
	if (old_prio != h.priority) {
		ospf_iface_fsm(ifp, IF_EVT_NBR_CHANGE);
		return;
	}
	if (h.dr == src && h.bdr == 0 && ifp->state == IF_STA_WAITING) {
		ospf_iface_fsm(ifp, IF_EVT_BACKUP_SEEN);
		return;
	}
	if (h.bdr == src && ifp->state == IF_STA_WAITING) {
		ospf_iface_fsm(ifp, IF_EVT_BACKUP_SEEN);
		return;
	}
	if ((h.dr == src) != (old_dr == src) ||
	    (h.bdr == src) != (old_bdr == src))
		ospf_iface_fsm(ifp, IF_EVT_NBR_CHANGE);
}
