/*
 * ospf_nbma.c: the network types without broadcast (RFC 2328 §9.5.1,
 * §12.4.1.4): non-broadcast multi-access (NBMA) and point-to-multipoint.
 *
 * On NBMA and point-to-multipoint non-broadcast interfaces nothing is
 * multicast: hellos go to the neighbours configured under `router ospf`
 * (`neighbor A.B.C.D [priority N] [poll-interval N]`), kept per
 * interface here, and flooding and delayed acknowledgements go as one
 * unicast copy to each adjacent neighbour (§13.3, ospf_nbma_send_each()
 * behind OSPF_DST_ADJACENT).  NBMA elects a DR as broadcast does, so
 * ospf_iface.c runs the election; which neighbours get hellos follows
 * §9.5.1: an eligible router greets the eligible neighbours, the DR and
 * BDR everybody, an ineligible router the DR and BDR only, and answers
 * the hellos of eligible ones.  When the interface comes up, each
 * configured neighbour is in Attempt (§10.3) and greeted every
 * HelloInterval for a RouterDeadInterval; one that is Down after that (or
 * after it went away) is polled every PollInterval instead.  The
 * neighbour structures themselves (ospf_nbr.c) are made by the first
 * hello heard, as on broadcast networks.
 *
 * Point-to-multipoint needs no election; its router-LSA links are built
 * by ospf_p2mp_links() and SPF finds the next hop over such a link from
 * the neighbour's own link data (§16.1.1, ospf_spf.c).
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"
#include "wp_json.h"

const char *
ospf_net_type_name(const struct ospf_iface *ifp)
{
	switch (ifp->type) {
	case OSPF_NET_P2P:
		return "POINTOPOINT";
	case OSPF_NET_LOOPBACK:
		return "LOOPBACK";
	case OSPF_NET_NBMA:
		return "NBMA";
	case OSPF_NET_P2MP:
		return ifp->p2mp_nb ? "POINTOMULTIPOINT NON-BROADCAST" :
		       "POINTOMULTIPOINT";
	default:
		return "BROADCAST";
	}
}

/* --- configured neighbours ------------------------------------------------ */

void
ospf_nbma_iface_conf(struct ospf_iface *ifp, const struct ospf_conf *c)
{
	struct ospf_nbma_nbr *v = NULL;
	size_t n = 0;

	for (unsigned int i = 0; ospf_iface_nonbcast(ifp) && i < c->n_nbma;
	     i++) {
		const struct ospf_nbma_conf *nc = &c->nbma[i];

		if ((nc->addr & ifp->mask) != (ifp->addr & ifp->mask) ||
		    nc->addr == ifp->addr)
			continue;
		v = wp_realloc(MT_OSPF_IFACE, v, (n + 1) * sizeof(*v));
		v[n].addr = nc->addr;
		v[n].priority = nc->priority;
		v[n].poll = nc->poll;
		v[n].last_hello = 0;
		v[n].attempt_until = 0;
		/* A neighbour kept keeps its polling phase. */
		for (size_t k = 0; k < ifp->n_nbma; k++)
			if (ifp->nbma[k].addr == nc->addr) {
				v[n].last_hello = ifp->nbma[k].last_hello;
				v[n].attempt_until =
					ifp->nbma[k].attempt_until;
			}
		n++;
	}
	wp_free(MT_OSPF_IFACE, ifp->nbma);
	ifp->nbma = v;
	ifp->n_nbma = n;
}

void
ospf_nbma_iface_free(struct ospf_iface *ifp)
{
	wp_free(MT_OSPF_IFACE, ifp->nbma);
	ifp->nbma = NULL;
	ifp->n_nbma = 0;
}

void
ospf_nbma_iface_up(struct ospf_iface *ifp)
{
	double now = ospf_now();

	/* §10.3 Start: Attempt, hellos every HelloInterval for a
	 * RouterDeadInterval, then Down and polled. */
	for (size_t i = 0; i < ifp->n_nbma; i++) {
		ifp->nbma[i].last_hello = 0;
		ifp->nbma[i].attempt_until = now + ifp->dead_interval;
	}
}

static const struct ospf_nbr *
nbr_by_addr(const struct ospf_iface *ifp, uint32_t addr)
{
	const struct ospf_nbr *nbr;

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		if (nbr->addr == addr)
			return nbr;
	return NULL;
}

static const struct ospf_nbma_nbr *
nbma_find(const struct ospf_iface *ifp, uint32_t addr)
{
	for (size_t i = 0; i < ifp->n_nbma; i++)
		if (ifp->nbma[i].addr == addr)
			return &ifp->nbma[i];
	return NULL;
}

/* --- hellos (§9.5.1) -------------------------------------------------------- */

bool
ospf_nbma_greets(const struct ospf_iface *ifp, const struct ospf_nbr *nbr,
		 uint8_t prio)
{
	if (ifp->type != OSPF_NET_NBMA)
		return true;
	if (ifp->state == IF_STA_DR || ifp->state == IF_STA_BACKUP)
		return true;
	if (ifp->priority > 0)
		return (nbr ? nbr->priority : prio) > 0;
	return nbr && (nbr->addr == ifp->dr || nbr->addr == ifp->bdr);
}

void
ospf_nbma_hello_send(struct ospf_iface *ifp)
{
	double now = ospf_now();
	struct ospf_nbr *nbr;

	for (size_t i = 0; i < ifp->n_nbma; i++) {
		struct ospf_nbma_nbr *c = &ifp->nbma[i];

		nbr = ospf_iface_nbr_by_addr(ifp, c->addr);
		if (!ospf_nbma_greets(ifp, nbr, c->priority))
			continue;
		/* Down: every PollInterval only (a little early rather than
		 * a whole HelloInterval late); Attempt: every hello. */
		if (nbr == NULL && now >= c->attempt_until &&
		    c->last_hello > 0 && now - c->last_hello < c->poll - 0.5)
			continue;
		c->last_hello = now;
		ospf_hello_send_to(ifp, c->addr);
	}
	/* Neighbours that greeted us without being configured. */
	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		if (nbma_find(ifp, nbr->addr) == NULL &&
		    ospf_nbma_greets(ifp, nbr, nbr->priority))
			ospf_hello_send_to(ifp, nbr->addr);
}

void
ospf_nbma_hello_reply(struct ospf_iface *ifp, struct ospf_nbr *nbr)
{
	if (ifp->type != OSPF_NET_NBMA || ifp->priority > 0 ||
	    nbr->priority == 0 || nbr->addr == ifp->dr ||
	    nbr->addr == ifp->bdr)
		return;
	ospf_hello_send_to(ifp, nbr->addr);
}

/* --- unicast flooding (§13.3) ---------------------------------------------- */

int
ospf_nbma_send_each(struct ospf_iface *ifp, struct wp_wbuf *w)
{
	const uint8_t *d = wp_wbuf_data(w);
	size_t len = wp_wbuf_len(w);
	struct ospf_nbr *nbr;
	int rc = 0;

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
		struct wp_wbuf c;

		if (nbr->state < NBR_STA_EXCHANGE)
			continue;
		wp_wbuf_init(&c, MT_OSPF_PKT, len);
		wp_wbuf_put_bytes(&c, d, len);
		if (ospf_packet_send(ifp, &c, nbr->addr) < 0)
			rc = -1;
	}
	wp_wbuf_free(w);
	return rc;
}

/* --- point-to-multipoint router-LSA links (§12.4.1.4) ---------------------- */

size_t
ospf_p2mp_links(const struct ospf_iface *ifp, struct ospf_rtr_link *v)
{
	const struct ospf_nbr *nbr;
	size_t n = 0;

	v[n].id = ifp->addr;
	v[n].data = 0xffffffffu;
	v[n].type = OSPF_LINK_STUB;
	v[n].metric = 0;
	n++;
	TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
		if (!ospf_nbr_full(nbr))
			continue;
		v[n].id = nbr->id;
		v[n].data = ifp->addr;
		v[n].type = OSPF_LINK_P2P;
		v[n].metric = (uint16_t)(ifp->cost > 0xffff ? 0xffff :
					 ifp->cost);
		n++;
	}
	return n;
}

/* --- show ------------------------------------------------------------------ */

void
ospf_nbma_iface_json(const struct ospf_iface *ifp, struct json_object *o)
{
	double now = ospf_now();
	json_object *a;
	char s[16];

	if (!ospf_iface_nonbcast(ifp))
		return;
	a = wp_json_add_array(o, "nbmaNeighbors");
	for (size_t i = 0; i < ifp->n_nbma; i++) {
		const struct ospf_nbma_nbr *c = &ifp->nbma[i];
		const struct ospf_nbr *nbr = nbr_by_addr(ifp, c->addr);
		json_object *e = wp_json_array_add_object(a);

		wp_json_add_str(e, "address",
				ospf_id_fmt(c->addr, s, sizeof(s)));
		wp_json_add_int(e, "priority", c->priority);
		wp_json_add_int(e, "pollInterval", c->poll);
		wp_json_add_str(e, "state", ospf_nbr_state_name[
			nbr ? nbr->state : now < c->attempt_until ?
			NBR_STA_ATTEMPT : NBR_STA_DOWN]);
	}
}
