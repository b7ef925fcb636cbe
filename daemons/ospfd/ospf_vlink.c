/*
 * ospf_vlink.c: virtual links (RFC 2328 §15).  A virtual link is an
 * unnumbered point-to-point interface of the backbone whose packets
 * travel, unicast and routed, through a non-backbone transit area.
 *
 * The configuration names the transit area and the other endpoint's
 * router ID; ospf_vlink_sync() keeps one struct ospf_iface (vlink set,
 * in area 0, no socket of its own) per configured link.  After each SPF
 * run ospf_vlink_update() looks at the transit area's path to the other
 * endpoint (§16.3): reachable, the interface comes up with the path's
 * cost, our address on the first hop's interface and the endpoint's
 * address from its router-LSA in the transit area; unreachable, it goes
 * down.  Packets leave through the first hop's interface socket
 * (ospf_packet_send()) and arrive on the transit area's interfaces,
 * where ospf_packet_input() hands those of area 0 to the link (§8.2).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ospfd.h"

struct ospf_iface *
ospf_vlink_find(struct ospf *ospf, uint32_t transit, uint32_t peer)
{
	struct ospf_iface *ifp;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		if (ifp->vlink && ifp->vl_transit == transit &&
		    ifp->vl_peer == peer)
			return ifp;
	return NULL;
}

struct ospf_iface *
ospf_vlink_out(const struct ospf_iface *vl)
{
	struct ospf_iface *ifp;

	TAILQ_FOREACH(ifp, &vl->ospf->ifaces, entry)
		if (!ifp->vlink && ifp->ifindex == vl->vl_ifindex &&
		    ifp->area->id == vl->vl_transit)
			return ifp;
	return NULL;
}

bool
ospf_vlink_transit(const struct ospf_area *area)
{
	const struct ospf_iface *ifp;
	const struct ospf_nbr *nbr;

	TAILQ_FOREACH(ifp, &area->ospf->ifaces, entry) {
		if (!ifp->vlink || ifp->vl_transit != area->id)
			continue;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (nbr->state == NBR_STA_FULL)
				return true;
	}
	return false;
}

struct ospf_spf_vlink *
ospf_vlink_spf_input(const struct ospf *ospf, size_t *n)
{
	const struct ospf_conf *c = ospf->conf;
	struct ospf_spf_vlink *v;

	*n = c->n_vlinks;
	if (c->n_vlinks == 0)
		return NULL;
	v = wp_calloc(MT_OSPF_SPF, c->n_vlinks * sizeof(*v));
	for (unsigned int i = 0; i < c->n_vlinks; i++) {
		v[i].peer = c->vlinks[i].peer;
		v[i].transit = c->vlinks[i].transit;
	}
	return v;
}

/* --- configuration -------------------------------------------------------- */

/* Timers and authentication: the link's own, else area 0's type (§C.4). */
static void
vlink_params(const struct ospf_area_conf *bb, const struct ospf_vlink_conf *vc,
	     struct ospf_iface *ifp)
{
	const struct ospf_if_conf *a = &vc->auth;

	ifp->hello_interval = vc->hello ? vc->hello : OSPF_DEF_HELLO;
	ifp->dead_interval = vc->dead ? vc->dead : 4u * ifp->hello_interval;
	ifp->rxmt_interval = vc->rxmt ? vc->rxmt : OSPF_DEF_RXMT;
	ifp->transdelay = vc->transdelay ? vc->transdelay :
			  OSPF_DEF_TRANSDELAY;
	ifp->auth_type = a->auth_type >= 0 ? a->auth_type :
			 bb->auth_type >= 0 ? bb->auth_type : OSPF_AUTH_NULL;
	memset(ifp->auth_key, 0, sizeof(ifp->auth_key));
	memcpy(ifp->auth_key, a->auth_key, strlen(a->auth_key));
	ifp->n_md5 = a->n_md5;
	memcpy(ifp->md5, a->md5, sizeof(ifp->md5));
	snprintf(ifp->key_chain, sizeof(ifp->key_chain), "%s",
		 ospf_auth_key_chain(a, bb, ifp->auth_type));
}

static bool
vlink_params_differ(const struct ospf_iface *a, const struct ospf_iface *b)
{
	return a->hello_interval != b->hello_interval ||
	       a->dead_interval != b->dead_interval ||
	       a->rxmt_interval != b->rxmt_interval ||
	       a->transdelay != b->transdelay ||
	       a->auth_type != b->auth_type ||
	       memcmp(a->auth_key, b->auth_key, sizeof(a->auth_key)) != 0 ||
	       a->n_md5 != b->n_md5 ||
	       memcmp(a->md5, b->md5, sizeof(a->md5)) != 0 ||
	       strcmp(a->key_chain, b->key_chain) != 0;
}

static struct ospf_iface *
vlink_new(struct ospf *ospf, const struct ospf_vlink_conf *vc,
	  unsigned int idx)
{
	struct ospf_area *bb = ospf_area_get(ospf, 0);
	struct ospf_kif k;
	struct ospf_iface *ifp;
	char a[16], b[16];

	/* Named as FRR names them; no kernel interface, ifindex 0. */
	memset(&k, 0, sizeof(k));
	snprintf(k.name, sizeof(k.name), "VLINK%u", idx);
	ifp = ospf_iface_new(ospf, bb, &k, 0, 0);
	ifp->vlink = true;
	ifp->vl_peer = vc->peer;
	ifp->vl_transit = vc->transit;
	ifp->type = OSPF_NET_P2P;
	ifp->cost = OSPF_LS_INFINITY;
	vlink_params(ospf_area_conf(bb), vc, ifp);
	ifp->priority = 0;
	/* §10.6: the Interface MTU of a virtual link is 0. */
	ifp->mtu_ignore = true;
	ifp->area_options = ospf_area_options(ospf_area_conf(bb));
	wp_log_info("virtual link %s to %s through area %s configured",
		    ifp->name, ospf_id_fmt(vc->peer, a, sizeof(a)),
		    ospf_id_fmt(vc->transit, b, sizeof(b)));
	return ifp;
}

/*
 * Called by ospf_sync_ifaces() between marking every interface absent
 * and freeing the absent ones: mark (or create) the configured links.
 */
void
ospf_vlink_sync(struct ospf *ospf)
{
	const struct ospf_conf *c = ospf->conf;
	const struct ospf_area_conf *bb = ospf_conf_area(c, 0);
	static const struct ospf_area_conf normal = { .auth_type = -1 };

	for (unsigned int i = 0; i < c->n_vlinks; i++) {
		const struct ospf_vlink_conf *vc = &c->vlinks[i];
		struct ospf_iface *ifp, want;

		ifp = ospf_vlink_find(ospf, vc->transit, vc->peer);
		memset(&want, 0, sizeof(want));
		vlink_params(bb ? bb : &normal, vc, &want);
		if (ifp && vlink_params_differ(ifp, &want)) {
			wp_log_info("virtual link %s: configuration changed, "
				    "restarting", ifp->name);
			ospf_iface_free(ifp);
			ifp = NULL;
		}
		if (ifp == NULL)
			ifp = vlink_new(ospf, vc, i);
		ifp->present = true;
	}
}

/* --- state from the transit area's paths (§16.3) --------------------------- */

/*
 * The endpoint's address for our packets: in its router-LSA for the
 * transit area, the interface address of a point-to-point or transit
 * link, preferring our first hop's gateway when that is one of them.
 */
static uint32_t
peer_addr(const struct ospf_area *transit, uint32_t peer, uint32_t gw)
{
	const struct ospf_lsa *lsa;
	uint32_t any = 0;

	lsa = ospf_lsdb_lookup(transit->lsdb, OSPF_LSA_ROUTER, peer, peer);
	if (lsa == NULL)
		return 0;
	for (uint16_t i = 0; i < lsa->u.rtr.nlinks; i++) {
		const struct ospf_rtr_link *l = &lsa->u.rtr.links[i];

		if (l->type != OSPF_LINK_P2P && l->type != OSPF_LINK_TRANSIT)
			continue;
		if (l->data == gw)
			return gw;
		if (any == 0)
			any = l->data;
	}
	return any;
}

static void
vlink_update_one(struct ospf *ospf, struct ospf_iface *vl)
{
	const struct ospf_rtr_route *r;
	const struct ospf_area *transit;
	const struct ospf_iface *out = NULL;
	uint32_t paddr = 0;
	char a[16];

	transit = ospf_area_find(ospf, vl->vl_transit);
	/* §15: never through a stub area (nor an NSSA, RFC 3101 §2.8). */
	if (transit && ospf_area_conf(transit)->type != OSPF_AREA_NORMAL)
		transit = NULL;
	r = ospf_rtable_rtr(ospf->rtable, vl->vl_peer, vl->vl_transit);
	if (transit && r && r->type == OSPF_PATH_INTRA && r->n_nh > 0) {
		vl->vl_ifindex = r->nh[0].ifindex;
		out = ospf_vlink_out(vl);
		paddr = peer_addr(transit, vl->vl_peer, r->nh[0].gw);
	}
	if (out == NULL || paddr == 0) {
		if (vl->state != IF_STA_DOWN) {
			wp_log_info("virtual link %s: %s unreachable through "
				    "area %u", vl->name,
				    ospf_id_fmt(vl->vl_peer, a, sizeof(a)),
				    vl->vl_transit);
			ospf_iface_fsm(vl, IF_EVT_DOWN);
		}
		return;
	}
	vl->addr = out->addr;
	vl->mtu = 0;
	vl->vl_peer_addr = paddr;
	if (vl->cost != r->cost) {
		/* §15: the cost is that of the intra-area path. */
		vl->cost = r->cost;
		ospf_router_lsa_schedule(vl->area);
	}
	if (vl->state == IF_STA_DOWN)
		ospf_iface_fsm(vl, IF_EVT_UP);
}

void
ospf_vlink_update(struct ospf *ospf)
{
	struct ospf_iface *ifp, *next;

	TAILQ_FOREACH_SAFE(ifp, &ospf->ifaces, entry, next)
		if (ifp->vlink)
			vlink_update_one(ospf, ifp);
}
