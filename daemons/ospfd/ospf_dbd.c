/*
 * ospf_dbd.c: Database Description packets: the master/slave negotiation
 * in ExStart (§10.6, §10.8) and the database exchange that follows.
 *
 * We describe our LSDB from the neighbour's summary list, as many headers
 * as fit one packet; the last packet sent is kept so the master can
 * retransmit it on its timer and the slave can answer a duplicate.  Every
 * header received that is newer than ours (or unknown) goes on the link
 * state request list, and requests start flowing while the exchange is
 * still going.
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"

int
ospf_dbd_decode(struct wp_rbuf *r, struct ospf_dbd *d)
{
	size_t left;

	wp_rbuf_get_u16(r, &d->mtu);
	wp_rbuf_get_u8(r, &d->options);
	wp_rbuf_get_u8(r, &d->flags);
	wp_rbuf_get_u32(r, &d->seq);
	if (wp_rbuf_error(r))
		return -1;
	left = wp_rbuf_remaining(r);
	if (left % OSPF_LSA_HDR_LEN != 0)
		return -1;
	d->n_hdrs = left / OSPF_LSA_HDR_LEN;
	d->hdrs = wp_rbuf_get_ptr(r, left);
	return d->hdrs ? 0 : -1;
}

static void
send_copy(struct ospf_nbr *nbr)
{
	struct wp_wbuf w;

	if (nbr->dd_last == NULL)
		return;
	wp_wbuf_init(&w, MT_OSPF_PKT, nbr->dd_last_len);
	wp_wbuf_put_bytes(&w, nbr->dd_last, nbr->dd_last_len);
	ospf_packet_send(nbr->iface, &w, ospf_nbr_dst(nbr));
}

void
ospf_dbd_send(struct ospf_nbr *nbr)
{
	struct ospf_iface *ifp = nbr->iface;
	size_t room = (ospf_iface_pkt_max(ifp) - OSPF_HDR_LEN -
		       OSPF_DBD_MIN_LEN) / OSPF_LSA_HDR_LEN;
	double now = ospf_now();
	struct wp_wbuf w;
	uint8_t flags = 0;
	size_t flags_off;

	ospf_packet_start(&w, ifp, OSPF_PKT_DBD);
	wp_wbuf_put_u16(&w, (uint16_t)(ifp->mtu > 0xffff ? 0xffff : ifp->mtu));
	/* O: we take and flood opaque LSAs (RFC 5250 §5). */
	wp_wbuf_put_u8(&w, ospf_area_options(ospf_area_conf(
				       nbr->iface->area)) | OSPF_OPT_O);
	wp_wbuf_reserve(&w, 1, &flags_off);
	wp_wbuf_put_u32(&w, nbr->dd_seq);
	if (nbr->state == NBR_STA_EXSTART) {
		flags = OSPF_DBD_I | OSPF_DBD_M | OSPF_DBD_MS;
	} else {
		struct ospf_lsa_ref *r;

		while (room-- > 0 && (r = TAILQ_FIRST(&nbr->summary))) {
			struct ospf_lsa_hdr h;

			ospf_lsa_hdr_now(r->lsa, now, 0, &h);
			ospf_lsa_hdr_encode(&w, &h);
			TAILQ_REMOVE(&nbr->summary, r, entry);
			nbr->n_summary--;
			ospf_lsa_unref(r->lsa);
			wp_free(MT_OSPF_LSLIST, r);
		}
		nbr->dd_more = !TAILQ_EMPTY(&nbr->summary);
		if (nbr->dd_more)
			flags |= OSPF_DBD_M;
		if (nbr->master)
			flags |= OSPF_DBD_MS;
	}
	wp_wbuf_put_u8_at(&w, flags_off, flags);
	if (wp_wbuf_error(&w)) {
		wp_wbuf_free(&w);
		return;
	}
	wp_free(MT_OSPF_PKT, nbr->dd_last);
	nbr->dd_last_len = wp_wbuf_len(&w);
	nbr->dd_last = wp_malloc(MT_OSPF_PKT, nbr->dd_last_len);
	memcpy(nbr->dd_last, wp_wbuf_data(&w), nbr->dd_last_len);
	ospf_packet_send(ifp, &w, ospf_nbr_dst(nbr));
}

void
ospf_dbd_resend(struct ospf_nbr *nbr)
{
	if (nbr->dd_last == NULL) {
		ospf_dbd_send(nbr);
		return;
	}
	send_copy(nbr);
}

/* The headers of an accepted packet (§10.6): -1 on SeqNumberMismatch. */
static int
dbd_headers(struct ospf_nbr *nbr, const struct ospf_dbd *d)
{
	struct ospf_iface *ifp = nbr->iface;
	struct wp_rbuf r;

	wp_rbuf_init(&r, d->hdrs, d->n_hdrs * OSPF_LSA_HDR_LEN);
	for (size_t i = 0; i < d->n_hdrs; i++) {
		struct ospf_lsa_hdr h, cur;
		struct ospf_lsdb *db;
		struct ospf_lsa *lsa;

		ospf_lsa_hdr_decode(&r, &h);
		/* §10.6: an unknown type, or a type-5 in a stub area. */
		if (!ospf_lsa_type_ok(h.type) ||
		    !ospf_lsa_scope_ok(ifp->area, h.type)) {
			char why[48];

			snprintf(why, sizeof(why), "DBD: LSA type %u", h.type);
			ospf_packet_reject(ifp, OSPF_ERR_LSA, nbr->addr, why);
			ospf_nbr_fsm(nbr, NBR_EVT_SEQ_MISMATCH);
			return -1;
		}
		if (h.age > OSPF_MAX_AGE)
			h.age = OSPF_MAX_AGE;
		db = ospf_lsdb_for(ifp->ospf, ifp->area, ifp, h.type);
		lsa = ospf_lsdb_lookup(db, h.type, h.id, h.adv);
		if (lsa)
			ospf_lsa_hdr_now(lsa, ospf_now(), 0, &cur);
		if (lsa == NULL || ospf_lsa_cmp(&h, &cur) > 0)
			ospf_nbr_lsreq_add(nbr, &h);
	}
	/* Ask while the exchange goes on (§10.9 allows it). */
	if (nbr->n_lsreq && !wp_timer_active(&nbr->lsreq_timer))
		ospf_lsreq_send(nbr);
	return 0;
}

static void
record(struct ospf_nbr *nbr, const struct ospf_dbd *d)
{
	nbr->last_dd_flags = d->flags;
	nbr->last_dd_options = d->options;
	nbr->last_dd_seq = d->seq;
	nbr->last_dd_valid = true;
}

static bool
duplicate(const struct ospf_nbr *nbr, const struct ospf_dbd *d)
{
	return nbr->last_dd_valid && nbr->last_dd_flags == d->flags &&
	       nbr->last_dd_options == d->options &&
	       nbr->last_dd_seq == d->seq;
}

/* Exchange state, after the duplicate check (§10.6, §10.8). */
static void
dbd_exchange(struct ospf_nbr *nbr, const struct ospf_dbd *d)
{
	bool their_ms = d->flags & OSPF_DBD_MS;

	if (their_ms == nbr->master || (d->flags & OSPF_DBD_I) ||
	    d->options != nbr->options ||
	    d->seq != (nbr->master ? nbr->dd_seq : nbr->dd_seq + 1)) {
		ospf_nbr_fsm(nbr, NBR_EVT_SEQ_MISMATCH);
		return;
	}
	record(nbr, d);
	if (dbd_headers(nbr, d) < 0)
		return;
	if (nbr->master) {
		/* Our packet is acknowledged. */
		nbr->dd_seq++;
		if (!nbr->dd_more && !(d->flags & OSPF_DBD_M)) {
			ospf_nbr_fsm(nbr, NBR_EVT_EXCH_DONE);
			return;
		}
		ospf_dbd_send(nbr);
		wp_timer_start_periodic(&nbr->dd_timer,
					nbr->iface->rxmt_interval, 0);
	} else {
		nbr->dd_seq = d->seq;
		ospf_dbd_send(nbr);
		if (!nbr->dd_more && !(d->flags & OSPF_DBD_M))
			ospf_nbr_fsm(nbr, NBR_EVT_EXCH_DONE);
	}
}

void
ospf_dbd_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt)
{
	struct ospf_iface *ifp = nbr->iface;
	uint32_t rid = ifp->ospf->router_id;
	struct wp_rbuf body = pkt->body;
	struct ospf_dbd d;
	char why[64];

	if (ospf_dbd_decode(&body, &d) < 0) {
		ospf_packet_malformed(ifp, pkt, "DBD body not 8 + 20n bytes");
		return;
	}
	if (!ifp->mtu_ignore && d.mtu > ifp->mtu) {
		snprintf(why, sizeof(why), "DBD MTU %u, ours %u", d.mtu,
			 ifp->mtu);
		ospf_packet_reject(ifp, OSPF_ERR_MTU, pkt->src, why);
		return;
	}
	switch (nbr->state) {
	case NBR_STA_DOWN:
	case NBR_STA_ATTEMPT:
	case NBR_STA_2WAY:
		ospf_packet_reject(ifp, OSPF_ERR_NBR_STATE, pkt->src,
				   ospf_nbr_state_name[nbr->state]);
		return;
	case NBR_STA_INIT:
		ospf_nbr_fsm(nbr, NBR_EVT_2WAY_RCVD);
		if (nbr->state != NBR_STA_EXSTART)
			return;
		/* FALLTHROUGH */
	case NBR_STA_EXSTART:
		if ((d.flags & (OSPF_DBD_I | OSPF_DBD_M | OSPF_DBD_MS)) ==
		    (OSPF_DBD_I | OSPF_DBD_M | OSPF_DBD_MS) && d.n_hdrs == 0 &&
		    pkt->rtr_id > rid) {
			/* It is master; we take its sequence number. */
			nbr->master = false;
			nbr->dd_seq = d.seq;
			nbr->options = d.options;
			record(nbr, &d);
			ospf_nbr_fsm(nbr, NBR_EVT_NEG_DONE);
			ospf_dbd_send(nbr);
			if (!nbr->dd_more && !(d.flags & OSPF_DBD_M))
				ospf_nbr_fsm(nbr, NBR_EVT_EXCH_DONE);
			return;
		}
		if (!(d.flags & (OSPF_DBD_I | OSPF_DBD_MS)) &&
		    d.seq == nbr->dd_seq && pkt->rtr_id < rid) {
			/* We are master; this acknowledges our first packet
			 * and already carries headers. */
			nbr->master = true;
			nbr->options = d.options;
			ospf_nbr_fsm(nbr, NBR_EVT_NEG_DONE);
			/* Our ExStart packet had M set: more to come. */
			nbr->dd_more = true;
			dbd_exchange(nbr, &d);
			return;
		}
		return;		/* not for ExStart: ignored */
	case NBR_STA_EXCHANGE:
		if (duplicate(nbr, &d)) {
			if (!nbr->master)
				send_copy(nbr);
			return;
		}
		dbd_exchange(nbr, &d);
		return;
	case NBR_STA_LOADING:
	case NBR_STA_FULL:
		if (duplicate(nbr, &d)) {
			if (!nbr->master)
				send_copy(nbr);
			return;
		}
		ospf_nbr_fsm(nbr, NBR_EVT_SEQ_MISMATCH);
		return;
	default:
		return;
	}
}
