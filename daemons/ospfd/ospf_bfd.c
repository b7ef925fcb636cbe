/*
 * ospf_bfd.c: neighbours monitored by BFD (`ip ospf bfd [profile NAME]`).
 *
 * RFC 5882 §4.2 for OSPF: a neighbour on an interface with bfd that
 * reaches 2-Way or more is registered with bfdd (lib/wp_bfdclient,
 * <rundir>/bfdd.sock) as a single-hop session from our interface
 * address, bound to the interface (RFC 5881 §3); it is deregistered when
 * it drops below 2-Way or goes away.  When bfdd reports an Up session
 * Down, the adjacency is torn down at once (the InactivityTimer event,
 * as if the dead interval had passed, so the interface runs its
 * NeighborChange) instead of waiting for the dead interval.
 *
 * What does not take an adjacency down (RFC 5882 §3.2, §4.2):
 *   - AdminDown, ours or signalled by the peer: not a path failure;
 *   - a session that never came Up (the peer may not run BFD at all):
 *     OSPF works as without bfd;
 *   - bfdd absent or the connection lost: the last state heard stays
 *     until bfdd is back; the client registers everything again, and
 *     the states start afresh (a new bfdd's sessions start Down).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "ospfd.h"
#include "wp_json.h"

static bool
nbr_wants_bfd(const struct ospf_nbr *nbr)
{
	return nbr->iface->bfd && nbr->state >= NBR_STA_2WAY;
}

static void
nbr_key(const struct ospf_nbr *nbr, struct wp_bfd_key *k)
{
	const struct ospf_iface *ifp = nbr->iface;

	memset(k, 0, sizeof(*k));
	k->peer.family = AF_INET;
	k->peer.u.v4.s_addr = htonl(nbr->addr);
	k->local.family = AF_INET;
	k->local.u.v4.s_addr = htonl(ifp->addr);
	snprintf(k->ifname, sizeof(k->ifname), "%s", ifp->name);
	/* The session lives in the instance's VRF (bfdd binds it there). */
	if (strcmp(ospf_vrf_name(ifp->ospf), "default") != 0)
		snprintf(k->vrf, sizeof(k->vrf), "%s",
			 ospf_vrf_name(ifp->ospf));
}

static void
nbr_deregister(struct ospf_nbr *nbr)
{
	struct wp_bfdclient *bc = nbr->iface->ospf->bfd;

	if (!nbr->bfd_registered)
		return;
	if (bc)
		wp_bfdclient_deregister(bc, &nbr->bfd_key);
	nbr->bfd_registered = false;
	nbr->bfd_have_state = false;
}

void
ospf_bfd_nbr_update(struct ospf_nbr *nbr)
{
	const struct ospf_iface *ifp = nbr->iface;
	struct wp_bfdclient *bc = ifp->ospf->bfd;
	struct wp_bfd_reg r;

	if (!nbr_wants_bfd(nbr)) {
		nbr_deregister(nbr);
		return;
	}
	memset(&r, 0, sizeof(r));
	nbr_key(nbr, &r.key);
	snprintf(r.profile, sizeof(r.profile), "%s", ifp->bfd_profile);
	/* Registered again on a profile change: bfdd replaces the
	 * registration with the same key. */
	if (nbr->bfd_registered && !wp_bfd_key_eq(&nbr->bfd_key, &r.key))
		nbr_deregister(nbr);
	nbr->bfd_key = r.key;
	nbr->bfd_registered = true;
	if (bc)
		wp_bfdclient_register(bc, &r);
}

void
ospf_bfd_nbr_gone(struct ospf_nbr *nbr)
{
	nbr_deregister(nbr);
}

void
ospf_bfd_iface_update(struct ospf_iface *ifp)
{
	struct ospf_nbr *nbr;

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		ospf_bfd_nbr_update(nbr);
}

static struct ospf_nbr *
nbr_by_key(struct ospf *ospf, const struct wp_bfd_key *k)
{
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		if (strcmp(ifp->name, k->ifname) != 0)
			continue;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (nbr->bfd_registered &&
			    wp_bfd_key_eq(&nbr->bfd_key, k))
				return nbr;
	}
	return NULL;
}

void
ospf_bfd_status(struct ospf *ospf, const struct wp_bfd_status *st)
{
	struct ospf_nbr *nbr = nbr_by_key(ospf, &st->key);
	bool was_up;
	struct timeval tv;
	char id[16];

	if (nbr == NULL)
		return;
	ospf_id_fmt(nbr->id, id, sizeof(id));
	was_up = nbr->bfd_have_state &&
		 nbr->bfd_status.state == WP_BFD_STATE_UP;
	if (!nbr->bfd_have_state || nbr->bfd_status.state != st->state) {
		wp_log_info("neighbor %s on %s: BFD %s -> %s (diagnostic %u)",
			    id, nbr->iface->name, nbr->bfd_have_state ?
			    wp_bfd_state_name(nbr->bfd_status.state) :
			    "unknown", wp_bfd_state_name(st->state),
			    st->diagnostic);
		nbr->bfd_since = time(NULL);
	}
	nbr->bfd_status = *st;
	nbr->bfd_have_state = true;
	/* RFC 5882 §4.2: Up -> Down of a session to an adjacent neighbour
	 * is the neighbour going away; Down after AdminDown is not. */
	if (!was_up || !wp_bfd_status_path_down(st))
		return;
	gettimeofday(&tv, NULL);
	ospf->stats.bfd_nbr_downs++;
	ospf->stats.bfd_last_down = (double)tv.tv_sec + tv.tv_usec / 1e6;
	ospf->stats.bfd_last_down_nbr = nbr->id;
	wp_log_info("neighbor %s on %s: BFD down (diagnostic %u): "
		    "adjacency torn down", id, nbr->iface->name,
		    st->diagnostic);
	ospf_nbr_fsm(nbr, NBR_EVT_INACTIVITY);
}

/*
 * (Re)connected: what bfdd says next starts afresh.  A bfdd that was
 * restarted makes new sessions, which start Down: that Down after the
 * Up the previous bfdd reported is no failure of the path.
 */
void
ospf_bfd_connected(struct ospf *ospf)
{
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;

	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			nbr->bfd_have_state = false;
}

static void
on_status(struct wp_bfdclient *bc, const struct wp_bfd_status *st,
	  void *arg)
{
	ospf_bfd_status(arg, st);
}

static void
on_connection(struct wp_bfdclient *bc, bool up, void *arg)
{
	if (up)
		ospf_bfd_connected(arg);
}

int
ospf_bfd_start(struct ospf *ospf, const char *path)
{
	struct wp_bfdclient_cbs cbs = { .status = on_status,
					.connection = on_connection,
					.arg = ospf };

	ospf->bfd = wp_bfdclient_new(ospf->loop, path, "ospfd", &cbs);
	if (ospf->bfd == NULL) {
		wp_log_warn("bfdd socket %s", path);
		return -1;
	}
	return 0;
}

void
ospf_bfd_stop(struct ospf *ospf)
{
	/* bfdd's client grace period keeps the sessions for a restart. */
	wp_bfdclient_free(ospf->bfd);
	ospf->bfd = NULL;
}

/* --- show ----------------------------------------------------------------- */

void
ospf_bfd_nbr_json(const struct ospf_nbr *nbr, struct json_object *o)
{
	json_object *b;

	if (!nbr->iface->bfd)
		return;
	b = wp_json_add_object(o, "bfdStatus");
	wp_json_add_bool(b, "registered", nbr->bfd_registered);
	wp_json_add_str(b, "state", nbr->bfd_have_state ?
			wp_bfd_state_name(nbr->bfd_status.state) : "unknown");
	if (nbr->iface->bfd_profile[0])
		wp_json_add_str(b, "profile", nbr->iface->bfd_profile);
	if (nbr->bfd_have_state) {
		wp_json_add_int(b, "diagnostic", nbr->bfd_status.diagnostic);
		wp_json_add_bool(b, "remoteAdminDown",
				 nbr->bfd_status.remote_admin_down);
		wp_json_add_int(b, "lastChange", (int64_t)nbr->bfd_since);
	}
}

void
ospf_bfd_iface_json(const struct ospf_iface *ifp, struct json_object *o)
{
	json_object *b;

	if (!ifp->bfd)
		return;
	b = wp_json_add_object(o, "bfd");
	if (ifp->bfd_profile[0])
		wp_json_add_str(b, "profile", ifp->bfd_profile);
}

void
ospf_bfd_json(const struct ospf *ospf, struct json_object *o)
{
	json_object *b = wp_json_add_object(o, "bfd");
	char id[16];

	wp_json_add_bool(b, "connected",
			 ospf->bfd && wp_bfdclient_connected(ospf->bfd));
	wp_json_add_uint64(b, "neighborsDown", ospf->stats.bfd_nbr_downs);
	if (ospf->stats.bfd_nbr_downs) {
		wp_json_add_double(b, "lastDownTime",
				   ospf->stats.bfd_last_down);
		wp_json_add_str(b, "lastDownNeighbor",
				ospf_id_fmt(ospf->stats.bfd_last_down_nbr,
					    id, sizeof(id)));
	}
}
