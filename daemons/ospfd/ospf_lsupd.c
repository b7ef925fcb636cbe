/*
 * ospf_lsupd.c: Link State Update packets (§13 receiving, §13.3 and §13.6
 * sending, §A.3.5 format).  The decoder walks the LSAs of an update and
 * hands each well-formed one to ospf_flood_receive(); the sender packs
 * LSAs into as few packets as the interface MTU allows, ages them by
 * InfTransDelay on the way out (§13.3).
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"

WP_DEBUG_DEFINE(DBG_OSPF_LSA, "ospf-lsa");

int
ospf_lsupd_decode(struct wp_rbuf *r, double now,
		  int (*fn)(struct ospf_lsa *lsa, void *arg), void *arg,
		  unsigned int *n_bad, char *err, size_t errlen)
{
	uint32_t count;

	*n_bad = 0;
	if (wp_rbuf_get_u32(r, &count) < 0) {
		snprintf(err, errlen, "update shorter than its LSA count");
		return -1;
	}
	for (uint32_t i = 0; i < count; i++) {
		struct wp_rbuf peek = *r;
		struct ospf_lsa_hdr h;
		const uint8_t *p;
		struct ospf_lsa *lsa;

		if (ospf_lsa_hdr_decode(&peek, &h) < 0) {
			snprintf(err, errlen, "LSA %u of %u: header truncated",
				 i + 1, count);
			return -1;
		}
		if (h.len < OSPF_LSA_HDR_LEN ||
		    (p = wp_rbuf_get_ptr(r, h.len)) == NULL) {
			snprintf(err, errlen, "LSA %u of %u: length %u, %zu "
				 "bytes left", i + 1, count, h.len,
				 wp_rbuf_remaining(r));
			return -1;
		}
		lsa = ospf_lsa_parse(p, h.len, now, err, errlen);
		if (lsa == NULL) {
			(*n_bad)++;
			continue;
		}
		if (fn(lsa, arg) < 0)
			return 0;
	}
	return 0;
}

void
ospf_lsupd_send(struct ospf_iface *ifp, uint32_t dst,
		struct ospf_lsa *const *lsas, size_t n)
{
	size_t max = ospf_iface_pkt_max(ifp), i = 0;
	double now = ospf_now();

	while (i < n) {
		struct wp_wbuf w;
		size_t count_off;
		uint32_t count = 0;

		ospf_packet_start(&w, ifp, OSPF_PKT_LSUPD);
		wp_wbuf_reserve(&w, 4, &count_off);
		/* At least one per packet, however big (IP fragments it). */
		while (i < n && (count == 0 || wp_wbuf_len(&w) +
				 lsas[i]->hdr.len <= max)) {
			struct ospf_lsa_hdr h;
			size_t off = wp_wbuf_len(&w);

			wp_wbuf_put_bytes(&w, lsas[i]->raw, lsas[i]->hdr.len);
			ospf_lsa_hdr_now(lsas[i], now, ifp->transdelay, &h);
			wp_wbuf_put_u16_at(&w, off, h.age);
			count++;
			i++;
		}
		wp_wbuf_put_u32_at(&w, count_off, count);
		ospf_packet_send(ifp, &w, dst);
	}
}

struct lsupd_ctx {
	struct ospf_nbr *nbr;
	bool stopped;
};

static int
receive_one(struct ospf_lsa *lsa, void *arg)
{
	struct lsupd_ctx *ctx = arg;

	if (DBG_OSPF_LSA->on) {
		char b[96];

		wp_log_debugx("neighbor on %s: received %s age %u",
			      ctx->nbr->iface->name,
			      ospf_lsa_fmt(&lsa->hdr, b, sizeof(b)),
			      lsa->hdr.age);
	}
	if (ospf_flood_receive(ctx->nbr, lsa) < 0) {
		ctx->stopped = true;
		return -1;
	}
	return 0;
}

void
ospf_lsupd_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt)
{
	struct ospf_iface *ifp = nbr->iface;
	struct wp_rbuf body = pkt->body;
	struct lsupd_ctx ctx = { .nbr = nbr };
	unsigned int n_bad, before;
	char err[128];

	if (nbr->state < NBR_STA_EXCHANGE) {
		ospf_packet_reject(ifp, OSPF_ERR_NBR_STATE, pkt->src,
				   ospf_nbr_state_name[nbr->state]);
		return;
	}
	before = nbr->n_lsreq;
	err[0] = '\0';
	if (ospf_lsupd_decode(&body, ospf_now(), receive_one, &ctx, &n_bad,
			      err, sizeof(err)) < 0)
		ospf_packet_malformed(ifp, pkt, err);
	if (n_bad)
		ospf_packet_reject(ifp, OSPF_ERR_LSA, pkt->src, err);
	if (ctx.stopped)
		return;		/* BadLSReq restarted the adjacency */
	/* §10.9: the next request once this one is answered. */
	if (nbr->n_lsreq < before && nbr->n_lsreq > 0 &&
	    (nbr->state == NBR_STA_EXCHANGE || nbr->state == NBR_STA_LOADING))
		ospf_lsreq_send(nbr);
	if (nbr->state == NBR_STA_LOADING && nbr->n_lsreq == 0)
		ospf_nbr_fsm(nbr, NBR_EVT_LOAD_DONE);
}
