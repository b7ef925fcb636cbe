/*
 * rib_bfd.c: static routes whose gateway is monitored by BFD
 * (`ip route PREFIX GW bfd [multihop] [source ADDR] [profile NAME]`).
 *
 * Each distinct session key (gateway, source, interface, multihop) is one
 * struct rib_bfd_peer, registered with bfdd through lib/wp_bfdclient
 * (<rundir>/bfdd.sock).  Configuration passes (rib_conf_apply) mark the
 * peers the new configuration uses (rib_bfd_get, called while static
 * routes are turned into RIB routes, whose nexthops point at their peer)
 * and release the others afterwards (rib_bfd_sweep), when no route
 * points at them any more.
 *
 * rib.c asks rib_bfd_usable() after resolving such a nexthop; a status
 * from bfdd that changes the answer requeues the routes using the peer.
 *
 * The rules (doc/ribd.md, "Static routes with BFD"):
 *   - Up: usable.  Down and Init: not usable, the nexthop is inactive and
 *     the route is withdrawn from the kernel when no other nexthop is.
 *   - AdminDown is not a path failure (RFC 5882 §3.2): a session we hold
 *     AdminDown, or one that went Down because the peer signalled
 *     AdminDown (wp_bfd_status_path_down()), is usable.
 *   - No state yet (bfdd not running since ribd started, or not yet
 *     answered): usable, as the same route without `bfd`.  A BFD outage
 *     must not take down every monitored route; BFD speeds up failure
 *     detection, it does not replace the ordinary nexthop checks.
 *   - Connection to bfdd lost: the last state bfdd reported stays until
 *     it answers again (it resends each session's state on registration;
 *     within its client grace period the sessions, and routes, never
 *     flap).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rib_conf.h"
#include "ribd.h"
#include "wp_bfdclient.h"
#include "wp_json.h"
#include "wp_log.h"
#include "wp_vty.h"

WP_MEMTYPE_DEFINE(MT_RIB_BFD, "ribd BFD sessions");

struct rib_bfd_peer {
	struct rib_bfd_peer *next;
	struct wp_bfd_reg reg;
	uint32_t gen;			/* last configuration pass using it */
	bool have_state;
	struct wp_bfd_status st;
	time_t since;			/* last state change */
	uint64_t changes;
};

/*
 * Which session a route nexthop follows: kept here, hashed by the
 * nexthop's address, so that the million nexthops without `bfd` carry
 * one bit (rib_nh.bfd) instead of a pointer.
 */
struct rib_bfd_use {
	struct rib_bfd_use *next;
	const struct rib_nh *nh;
	struct rib_bfd_peer *p;
};

#define RIB_BFD_USE_BUCKETS	256

struct rib_bfd {
	struct ribd *rib;
	struct wp_bfdclient *bc;
	struct rib_bfd_peer *peers;
	uint32_t gen;
	struct rib_bfd_use *uses[RIB_BFD_USE_BUCKETS];
};

/* The session static route `s`'s nexthop `sn` asks for, in its VRF. */
static void
key_of(const struct rib_conf *c, const struct rib_static *s,
       const struct rib_static_nh *sn, struct wp_bfd_reg *r)
{
	memset(r, 0, sizeof(*r));
	r->key.peer = sn->gw;
	if (s->vrf && s->vrf < c->n_vrfs)
		snprintf(r->key.vrf, sizeof(r->key.vrf), "%s", c->vrfs[s->vrf]);
	if (sn->bfdo) {
		r->key.local = sn->bfdo->source;
		r->key.multihop = sn->bfdo->multihop;
		snprintf(r->profile, sizeof(r->profile), "%s",
			 sn->bfdo->profile);
	}
	/* A single-hop session follows the route's interface (RFC 5881 §3:
	 * it is bound to one link); multihop sessions have none. */
	if (!r->key.multihop && sn->type == RIB_NH_GW_IF)
		snprintf(r->key.ifname, sizeof(r->key.ifname), "%s",
			 sn->ifname);
}

static struct rib_bfd_peer *
peer_find(struct rib_bfd *b, const struct wp_bfd_key *k)
{
	for (struct rib_bfd_peer *p = b->peers; p; p = p->next)
		if (wp_bfd_key_eq(&p->reg.key, k))
			return p;
	return NULL;
}

static struct rib_bfd_use **
use_slot(struct rib_bfd *b, const struct rib_nh *nh)
{
	uintptr_t h = (uintptr_t)nh;

	h ^= h >> 7;
	h ^= h >> 17;
	return &b->uses[h % RIB_BFD_USE_BUCKETS];
}

static struct rib_bfd_use **
use_find(struct rib_bfd *b, const struct rib_nh *nh)
{
	struct rib_bfd_use **pp;

	for (pp = use_slot(b, nh); *pp; pp = &(*pp)->next)
		if ((*pp)->nh == nh)
			return pp;
	return NULL;
}

void
rib_bfd_bind(struct ribd *rib, struct rib_nh *nh, struct rib_bfd_peer *p)
{
	struct rib_bfd *b = rib->bfd;
	struct rib_bfd_use *u, **pp;

	nh->bfd = false;
	if (b == NULL || p == NULL)
		return;
	u = wp_calloc(MT_RIB_BFD, sizeof(*u));
	u->nh = nh;
	u->p = p;
	pp = use_slot(b, nh);
	u->next = *pp;
	*pp = u;
	nh->bfd = true;
}

void
rib_bfd_unbind(struct ribd *rib, struct rib_nh *nh)
{
	struct rib_bfd *b = rib->bfd;
	struct rib_bfd_use **pp, *u;

	if (!nh->bfd)
		return;
	nh->bfd = false;
	if (b == NULL || (pp = use_find(b, nh)) == NULL)
		return;
	u = *pp;
	*pp = u->next;
	wp_free(MT_RIB_BFD, u);
}

struct rib_bfd_peer *
rib_bfd_of(struct ribd *rib, const struct rib_nh *nh)
{
	struct rib_bfd_use **pp;

	if (!nh->bfd || rib->bfd == NULL)
		return NULL;
	pp = use_find(rib->bfd, nh);
	return pp ? (*pp)->p : NULL;
}

bool
rib_bfd_usable(const struct rib_bfd_peer *p)
{
	if (p == NULL || !p->have_state)
		return true;
	switch (p->st.state) {
	case WP_BFD_STATE_UP:
	case WP_BFD_STATE_ADMIN_DOWN:
		return true;
	case WP_BFD_STATE_DOWN:
		/* RFC 5882 §3.2: the peer took the session down on purpose. */
		return !wp_bfd_status_path_down(&p->st);
	default:
		return false;
	}
}

/* Requeue the static routes with a nexthop monitored by `p`. */
static void
peer_requeue(struct rib_bfd *b, const struct rib_bfd_peer *p)
{
	const struct rib_conf *c = b->rib->conf;

	for (unsigned int i = 0; c && i < c->n_statics; i++) {
		const struct rib_static *s = &c->statics[i];
		const struct rib_static_nh *nh = rib_static_nhs(s);

		for (unsigned int j = 0; j < s->n_nh; j++) {
			struct wp_bfd_reg r;
			struct rib_dest *d;
			struct rib_vrf *v;

			if (!nh[j].bfd)
				continue;
			key_of(c, s, &nh[j], &r);
			if (!wp_bfd_key_eq(&r.key, &p->reg.key))
				continue;
			/* A VRF without its device has no routes yet. */
			v = r.key.vrf[0] ? rib_vrf_by_name(b->rib, r.key.vrf) :
					   rib_vrf_default(b->rib);
			if (v && (d = rib_dest_lookup_vrf(b->rib, v, &s->p)))
				rib_dest_queue(b->rib, d);
			break;
		}
	}
}

static void
on_status(struct wp_bfdclient *bc, const struct wp_bfd_status *st, void *arg)
{
	struct rib_bfd *b = arg;
	struct rib_bfd_peer *p = peer_find(b, &st->key);
	char kb[128];
	bool was;

	if (p == NULL)
		return;
	was = rib_bfd_usable(p);
	if (!p->have_state || p->st.state != st->state) {
		wp_log_info("bfd %s: %s -> %s (diagnostic %u)",
			    wp_bfd_key_fmt(&p->reg.key, kb, sizeof(kb)),
			    p->have_state ? wp_bfd_state_name(p->st.state) :
			    "unknown", wp_bfd_state_name(st->state),
			    st->diagnostic);
		p->since = time(NULL);
		p->changes++;
	}
	p->st = *st;
	p->have_state = true;
	if (rib_bfd_usable(p) != was)
		peer_requeue(b, p);
}

int
rib_bfd_start(struct ribd *rib, const char *path)
{
	struct rib_bfd *b = wp_calloc(MT_RIB_BFD, sizeof(*b));
	struct wp_bfdclient_cbs cbs = { .status = on_status, .arg = b };

	b->rib = rib;
	b->bc = wp_bfdclient_new(rib->loop, path, "ribd", &cbs);
	if (b->bc == NULL) {
		wp_log_warn("bfdd socket %s", path);
		wp_free(MT_RIB_BFD, b);
		return -1;
	}
	rib->bfd = b;
	return 0;
}

void
rib_bfd_stop(struct ribd *rib)
{
	struct rib_bfd *b = rib->bfd;
	struct rib_bfd_peer *p;

	if (b == NULL)
		return;
	/* bfdd keeps the sessions for its grace period: a restarted ribd
	 * registers them again without a flap. */
	wp_bfdclient_free(b->bc);
	while ((p = b->peers) != NULL) {
		b->peers = p->next;
		wp_free(MT_RIB_BFD, p);
	}
	for (unsigned int i = 0; i < RIB_BFD_USE_BUCKETS; i++)
		while (b->uses[i]) {
			struct rib_bfd_use *u = b->uses[i];

			b->uses[i] = u->next;
			wp_free(MT_RIB_BFD, u);
		}
	wp_free(MT_RIB_BFD, b);
	rib->bfd = NULL;
}

void
rib_bfd_begin(struct ribd *rib)
{
	if (rib->bfd)
		rib->bfd->gen++;
}

struct rib_bfd_peer *
rib_bfd_get(struct ribd *rib, const struct rib_static *s,
	    const struct rib_static_nh *sn)
{
	struct rib_bfd *b = rib->bfd;
	struct rib_bfd_peer *p;
	struct wp_bfd_reg r;

	if (b == NULL || !sn->bfd)
		return NULL;
	key_of(rib->conf, s, sn, &r);
	if ((p = peer_find(b, &r.key)) == NULL) {
		p = wp_calloc(MT_RIB_BFD, sizeof(*p));
		p->next = b->peers;
		b->peers = p;
	}
	/* Another route naming another profile for the same session: the
	 * last one configured wins (bfdd has one session per key). */
	p->reg = r;
	p->gen = b->gen;
	wp_bfdclient_register(b->bc, &p->reg);
	return p;
}

void
rib_bfd_sweep(struct ribd *rib)
{
	struct rib_bfd *b = rib->bfd;
	struct rib_bfd_peer **pp, *p;

	if (b == NULL)
		return;
	for (pp = &b->peers; (p = *pp) != NULL;) {
		if (p->gen == b->gen) {
			pp = &p->next;
			continue;
		}
		wp_bfdclient_deregister(b->bc, &p->reg.key);
		*pp = p->next;
		wp_free(MT_RIB_BFD, p);
	}
}

/* --- show ---------------------------------------------------------------- */

void
rib_bfd_peer_json(const struct rib_bfd_peer *p, struct json_object *o)
{
	char buf[INET6_ADDRSTRLEN];

	wp_json_add_str(o, "peer", wp_addr_fmt(&p->reg.key.peer, buf,
					       sizeof(buf)));
	if (p->reg.key.local.family)
		wp_json_add_str(o, "source", wp_addr_fmt(&p->reg.key.local, buf,
							 sizeof(buf)));
	if (p->reg.key.ifname[0])
		wp_json_add_str(o, "interface", p->reg.key.ifname);
	wp_json_add_bool(o, "multihop", p->reg.key.multihop);
	if (p->reg.profile[0])
		wp_json_add_str(o, "profile", p->reg.profile);
	wp_json_add_str(o, "state", p->have_state ?
			wp_bfd_state_name(p->st.state) : "unknown");
	if (p->have_state) {
		wp_json_add_int(o, "diagnostic", p->st.diagnostic);
		wp_json_add_int(o, "remoteDiagnostic", p->st.remote_diagnostic);
		if (p->st.dampened)
			wp_json_add_bool(o, "dampened", true);
		wp_json_add_int(o, "lastChange", (int64_t)p->since);
	}
	wp_json_add_bool(o, "usable", rib_bfd_usable(p));
}

static int
show_rib_bfd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	struct rib_bfd *b = rib->bfd;
	json_object *top = json_object_new_object(), *arr;
	const struct wp_bfdclient_stats *cs;

	wp_json_add_bool(top, "connected", b && wp_bfdclient_connected(b->bc));
	arr = wp_json_add_array(top, "sessions");
	for (struct rib_bfd_peer *p = b ? b->peers : NULL; p; p = p->next)
		rib_bfd_peer_json(p, wp_json_array_add_object(arr));
	wp_json_array_sort_by(arr, "peer");
	if (b) {
		json_object *c = wp_json_add_object(top, "counters");

		cs = wp_bfdclient_stats(b->bc);
		wp_json_add_uint64(c, "connects", cs->connects);
		wp_json_add_uint64(c, "statuses", cs->statuses);
		wp_json_add_uint64(c, "badStatuses", cs->bad_statuses);
		wp_json_add_uint64(c, "unknownStatuses", cs->unknown_statuses);
		wp_json_add_uint64(c, "errors", cs->errors);
	}
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, "bfdd: %s\n", b && wp_bfdclient_connected(b->bc) ?
		   "connected" : "not connected");
	for (struct rib_bfd_peer *p = b ? b->peers : NULL; p; p = p->next) {
		char kb[128];

		wp_vty_out(ctx, "  %s%s%s: %s%s\n",
			   wp_bfd_key_fmt(&p->reg.key, kb, sizeof(kb)),
			   p->reg.profile[0] ? " profile " : "",
			   p->reg.profile, p->have_state ?
			   wp_bfd_state_name(p->st.state) : "unknown",
			   rib_bfd_usable(p) ? "" : " (nexthop inactive)");
	}
	json_object_put(top);
	return WP_VTY_OK;
}

int
rib_bfd_show_install(struct wp_vty *vty, struct ribd **ribp)
{
	if (wp_vty_install_arg(vty, "show rib bfd [json]", WP_SHOW_STR
			       "RIB manager\n"
			       "BFD sessions of static routes\n" WP_JSON_STR,
			       show_rib_bfd, ribp) < 0) {
		wp_log_errx("ribd: cannot install \"show rib bfd\"");
		return -1;
	}
	return 0;
}
