/*
 * ospf_lsack.c: Link State Acknowledgment packets (§13.5 sending, §13.7
 * receiving, §A.3.6 format).  Delayed acknowledgements collect per
 * interface and go out together when the ack timer fires (well under
 * RxmtInterval) or when a packet's worth has piled up; direct ones go at
 * once to one neighbour.  A received ack takes the LSA instance off that
 * neighbour's retransmission list.
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"

int
ospf_lsack_decode(struct wp_rbuf *r, size_t *n)
{
	size_t left = wp_rbuf_remaining(r);

	if (wp_rbuf_error(r) || left % OSPF_LSA_HDR_LEN != 0)
		return -1;
	*n = left / OSPF_LSA_HDR_LEN;
	return 0;
}

static size_t
acks_per_packet(const struct ospf_iface *ifp)
{
	return (ospf_iface_pkt_max(ifp) - OSPF_HDR_LEN) / OSPF_LSA_HDR_LEN;
}

static void
send_acks(struct ospf_iface *ifp, uint32_t dst, const struct ospf_lsa_hdr *h,
	  size_t n)
{
	size_t per = acks_per_packet(ifp), i = 0;

	while (i < n) {
		struct wp_wbuf w;

		ospf_packet_start(&w, ifp, OSPF_PKT_LSACK);
		for (size_t k = 0; k < per && i < n; k++, i++)
			ospf_lsa_hdr_encode(&w, &h[i]);
		ospf_packet_send(ifp, &w, dst);
	}
}

void
ospf_lsack_flush(struct ospf_iface *ifp)
{
	wp_timer_stop(&ifp->ack_timer);
	if (ifp->acks.n == 0)
		return;
	/* §13.5: like flooding, DROthers to AllDRouters. */
	send_acks(ifp, ospf_flood_dst(ifp), ifp->acks.h, ifp->acks.n);
	ifp->acks.n = 0;
}

void
ospf_lsack_delayed(struct ospf_iface *ifp, const struct ospf_lsa *lsa)
{
	struct ospf_lsa_hdr_list *l = &ifp->acks;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->h = wp_realloc(MT_OSPF_IFACE, l->h, l->cap * sizeof(*l->h));
	}
	ospf_lsa_hdr_now(lsa, ospf_now(), 0, &l->h[l->n++]);
	if (l->n >= acks_per_packet(ifp))
		ospf_lsack_flush(ifp);
	else if (!wp_timer_active(&ifp->ack_timer))
		wp_timer_start(&ifp->ack_timer, OSPF_ACK_DELAY, 0);
}

void
ospf_lsack_direct(struct ospf_nbr *nbr, const struct ospf_lsa_hdr *h)
{
	send_acks(nbr->iface, ospf_nbr_dst(nbr), h, 1);
}

void
ospf_lsack_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt)
{
	struct ospf_iface *ifp = nbr->iface;
	struct wp_rbuf body = pkt->body;
	size_t n;

	if (ospf_lsack_decode(&body, &n) < 0) {
		ospf_packet_malformed(ifp, pkt, "ack body not 20n bytes");
		return;
	}
	if (nbr->state < NBR_STA_EXCHANGE) {
		ospf_packet_reject(ifp, OSPF_ERR_NBR_STATE, pkt->src,
				   ospf_nbr_state_name[nbr->state]);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct ospf_lsa_ref *r;
		struct ospf_lsa_hdr h, cur;

		ospf_lsa_hdr_decode(&body, &h);
		if (h.age > OSPF_MAX_AGE)
			h.age = OSPF_MAX_AGE;
		r = ospf_nbr_rxmt_find(nbr, &h);
		if (r == NULL)
			continue;
		ospf_lsa_hdr_now(r->lsa, ospf_now(), 0, &cur);
		/* §13.7: only an ack for this very instance counts. */
		if (ospf_lsa_cmp(&h, &cur) == 0)
			ospf_nbr_rxmt_del(nbr, r);
	}
}
