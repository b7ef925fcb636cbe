/*
 * ospf_lsreq.c: Link State Request packets (§10.7 receiving, §10.9
 * sending, §A.3.4 format).  We ask for what the neighbour's request list
 * holds, as much as fits a packet, and ask again every RxmtInterval until
 * updates have emptied the list.  A request for something we do not have
 * is BadLSReq: the adjacency starts over.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

int
ospf_lsreq_decode(struct wp_rbuf *r, struct ospf_lsreq *q)
{
	size_t left = wp_rbuf_remaining(r);

	if (wp_rbuf_error(r) || left % OSPF_LSREQ_ENTRY_LEN != 0)
		return -1;
	q->n = left / OSPF_LSREQ_ENTRY_LEN;
	q->ents = wp_rbuf_get_ptr(r, left);
	return q->ents ? 0 : -1;
}

void
ospf_lsreq_send(struct ospf_nbr *nbr)
{
	struct ospf_iface *ifp = nbr->iface;
	size_t room = (ospf_iface_pkt_max(ifp) - OSPF_HDR_LEN) /
		      OSPF_LSREQ_ENTRY_LEN;
	struct ospf_lsreq_ent *e;
	struct wp_wbuf w;

	if (nbr->n_lsreq == 0)
		return;
	ospf_packet_start(&w, ifp, OSPF_PKT_LSREQ);
	TAILQ_FOREACH(e, &nbr->lsreq, entry) {
		if (room-- == 0)
			break;
		wp_wbuf_put_u32(&w, e->hdr.type);
		wp_wbuf_put_u32(&w, e->hdr.id);
		wp_wbuf_put_u32(&w, e->hdr.adv);
	}
	ospf_packet_send(ifp, &w, ospf_nbr_dst(nbr));
	ospf_nbr_lsreq_timer(nbr);
}

void
ospf_lsreq_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt)
{
	struct ospf_iface *ifp = nbr->iface;
	struct wp_rbuf body = pkt->body, r;
	struct ospf_lsa **v;
	struct ospf_lsreq q;
	size_t n = 0;

	if (ospf_lsreq_decode(&body, &q) < 0) {
		ospf_packet_malformed(ifp, pkt, "request body not 12n bytes");
		return;
	}
	if (nbr->state < NBR_STA_EXCHANGE) {
		ospf_packet_reject(ifp, OSPF_ERR_NBR_STATE, pkt->src,
				   ospf_nbr_state_name[nbr->state]);
		return;
	}
	v = wp_calloc(MT_OSPF_PKT, (q.n + 1) * sizeof(*v));
	wp_rbuf_init(&r, q.ents, q.n * OSPF_LSREQ_ENTRY_LEN);
	for (size_t i = 0; i < q.n; i++) {
		uint32_t type, id, adv;
		struct ospf_lsdb *db;
		struct ospf_lsa *lsa = NULL;

		wp_rbuf_get_u32(&r, &type);
		wp_rbuf_get_u32(&r, &id);
		wp_rbuf_get_u32(&r, &adv);
		if (ospf_lsa_type_ok((uint8_t)type) && type < 256) {
			db = ospf_lsdb_for(ifp->ospf, ifp->area, ifp,
					   (uint8_t)type);
			lsa = ospf_lsdb_lookup(db, (uint8_t)type, id, adv);
		}
		if (lsa == NULL) {
			char a[16], b[16], why[80];

			snprintf(why, sizeof(why), "request for type %u %s "
				 "adv %s we do not have", type,
				 ospf_id_fmt(id, a, sizeof(a)),
				 ospf_id_fmt(adv, b, sizeof(b)));
			ospf_packet_reject(ifp, OSPF_ERR_LSA, pkt->src, why);
			wp_free(MT_OSPF_PKT, v);
			ospf_nbr_fsm(nbr, NBR_EVT_BAD_LSREQ);
			return;
		}
		v[n++] = lsa;
	}
	ospf_lsupd_send(ifp, ospf_nbr_dst(nbr), v, n);
	wp_free(MT_OSPF_PKT, v);
}
