/*
 * ospf_gr.c: graceful restart helper mode (RFC 3623 §3).
 *
 * A neighbour about to restart (or just restarted) its control plane
 * floods Grace-LSAs (link-local opaque LSAs of opaque type 3, Appendix
 * A) on its interfaces.  ospf_flood.c hands every link-local opaque LSA
 * it installs from a neighbour to ospf_gr_grace_received(); when helping
 * is enabled and the neighbour is Full, we help it: the neighbour counts
 * as fully adjacent (ospf_nbr_full()) for the router- and network-LSAs
 * whatever its state machine says, and neither its silence nor its
 * hellos that do not list us take the adjacency down.  Helping ends
 * (§3.3) when its Grace-LSA is flushed (success), when the grace period
 * runs out, when a changed LSA would be flooded to it (§3.2), when the
 * neighbour goes down otherwise, or when helping is disabled; then the
 * LSAs are originated again as the neighbour's real state says.
 *
 * Restarting ourselves (§2), at the end of the file: planned
 * (`graceful-restart prepare ip ospf` writes <rundir>/ospfd-gr) or
 * unplanned (§2.1: <rundir>/ospfd-running left by an ospfd that died);
 * either way nothing is originated and no route changes until every
 * adjacency of before is back (§2.2, §2.3).
 *
 * ospf_grace_decode() is pure, for the unit tests.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wp_json.h"
#include "ospfd.h"

const char *const ospf_gr_exit_name[OSPF_GR_EXIT_MAX] = {
	[OSPF_GR_EXIT_NONE] = "none",
	[OSPF_GR_EXIT_SUCCESS] = "success",
	[OSPF_GR_EXIT_EXPIRED] = "grace period expired",
	[OSPF_GR_EXIT_TOPOLOGY] = "topology change",
	[OSPF_GR_EXIT_NBR_DOWN] = "neighbor down",
	[OSPF_GR_EXIT_DISABLED] = "helper disabled",
};

/* JSON keys of the exit counters. */
static const char *const gr_exit_key[OSPF_GR_EXIT_MAX] = {
	[OSPF_GR_EXIT_NONE] = "none",
	[OSPF_GR_EXIT_SUCCESS] = "success",
	[OSPF_GR_EXIT_EXPIRED] = "gracePeriodExpired",
	[OSPF_GR_EXIT_TOPOLOGY] = "topologyChange",
	[OSPF_GR_EXIT_NBR_DOWN] = "neighborDown",
	[OSPF_GR_EXIT_DISABLED] = "helperDisabled",
};

const char *
ospf_gr_reason_name(int reason)
{
	/* Appendix A, the Graceful restart reason TLV. */
	switch (reason) {
	case 0:
		return "unknown";
	case 1:
		return "software restart";
	case 2:
		return "software reload/upgrade";
	case 3:
		return "switch to redundant control processor";
	case -1:
		return "not given";
	default:
		return "unrecognised";
	}
}

bool
ospf_lsa_is_grace(const struct ospf_lsa_hdr *h)
{
	return h->type == OSPF_LSA_OPAQUE_LINK &&
	       (h->id >> 24) == OSPF_OPAQUE_GRACE;
}

int
ospf_grace_decode(const uint8_t *body, size_t len, struct ospf_grace *g,
		  char *err, size_t errlen)
{
	struct wp_rbuf r;

	memset(g, 0, sizeof(*g));
	g->reason = -1;
	wp_rbuf_init(&r, body, len);
	while (wp_rbuf_remaining(&r) > 0) {
		uint16_t type, tlen;
		struct wp_rbuf v;
		uint8_t u8;
		size_t pad;

		if (wp_rbuf_get_u16(&r, &type) < 0 ||
		    wp_rbuf_get_u16(&r, &tlen) < 0) {
			snprintf(err, errlen, "truncated TLV header at offset "
				 "%zu", wp_rbuf_offset(&r));
			return -1;
		}
		if (wp_rbuf_sub(&r, tlen, &v) < 0) {
			snprintf(err, errlen, "TLV %u: length %u runs past the "
				 "LSA (%zu bytes left)", type, tlen,
				 wp_rbuf_remaining(&r));
			return -1;
		}
		/* Values are padded to four bytes (RFC 5250 §3, RFC 3630). */
		pad = (4 - tlen % 4) % 4;
		if (wp_rbuf_remaining(&r) < pad) {
			/* Some senders leave off the last padding: accept. */
			pad = wp_rbuf_remaining(&r);
		}
		wp_rbuf_skip(&r, pad);
		switch (type) {
		case OSPF_GRACE_TLV_PERIOD:
			if (tlen != 4 || wp_rbuf_get_u32(&v, &g->period) < 0)
				goto bad_len;
			g->have_period = true;
			break;
		case OSPF_GRACE_TLV_REASON:
			if (tlen != 1 || wp_rbuf_get_u8(&v, &u8) < 0)
				goto bad_len;
			g->reason = u8;
			break;
		case OSPF_GRACE_TLV_ADDR:
			if (tlen != 4 || wp_rbuf_get_u32(&v, &g->addr) < 0)
				goto bad_len;
			break;
		default:
			g->n_unknown++;
			break;
		}
		continue;
bad_len:
		snprintf(err, errlen, "TLV %u: length %u, expected %u", type,
			 tlen, type == OSPF_GRACE_TLV_REASON ? 1 : 4);
		return -1;
	}
	/* Appendix A: the grace period TLV must be present. */
	if (!g->have_period) {
		snprintf(err, errlen, "no grace period TLV");
		return -1;
	}
	return 0;
}

static void
gr_timer_cb(struct wp_timer *t)
{
	struct ospf_nbr *nbr = container_of(t, struct ospf_nbr, gr.timer);

	wp_timer_stop(t);
	ospf_gr_helper_exit(nbr, OSPF_GR_EXIT_EXPIRED);
}

void
ospf_gr_nbr_init(struct ospf_nbr *nbr)
{
	wp_timer_init(nbr->iface->ospf->loop, &nbr->gr.timer,
		      "ospf grace period", gr_timer_cb);
}

void
ospf_gr_nbr_fini(struct ospf_nbr *nbr)
{
	if (nbr->gr.helping)
		nbr->iface->ospf->gr.helping--;
	nbr->gr.helping = false;
	wp_timer_stop(&nbr->gr.timer);
}

void
ospf_gr_helper_exit(struct ospf_nbr *nbr, enum ospf_gr_exit why)
{
	struct ospf_iface *ifp = nbr->iface;
	struct ospf *ospf = ifp->ospf;
	char id[16];

	if (!nbr->gr.helping)
		return;
	ospf_gr_nbr_fini(nbr);
	nbr->gr.last_exit = why;
	ospf->gr.exits[why]++;
	ospf->gr.last_exit = why;
	wp_log_info("neighbor %s on %s: graceful restart helper ends: %s "
		    "(state %s)", ospf_id_fmt(nbr->id, id, sizeof(id)),
		    ifp->name, ospf_gr_exit_name[why],
		    ospf_nbr_state_name[nbr->state]);
	/* §3.3: originate the router-LSA again (and the network-LSA as DR)
	 * as the adjacency really is. */
	if (nbr->state != NBR_STA_FULL)
		ifp->area->n_full--;
	ospf_router_lsa_schedule(ifp->area);
	if (ifp->state == IF_STA_DR)
		ospf_network_lsa_schedule(ifp);
	/* Silence ignored while helping now counts: if its dead interval
	 * passed, the neighbour goes down (from the loop, not from here). */
	if (why != OSPF_GR_EXIT_NBR_DOWN &&
	    !wp_timer_active(&nbr->inactivity_timer))
		wp_timer_start(&nbr->inactivity_timer, 0, 0);
}

/* §3.1 (2): no LSA whose contents changed after `since` (the start of
 * the grace period) waits for it on its retransmission list; refreshes
 * and LSAs not yet acknowledged from before do not count. */
static bool
rxmt_changed_since(const struct ospf_nbr *nbr, double since)
{
	const struct ospf_lsa_ref *r;

	TAILQ_FOREACH(r, &nbr->rxmt, entry)
		if (!ospf_lsa_is_grace(&r->lsa->hdr) &&
		    r->lsa->changed >= since)
			return true;
	return false;
}

static void
gr_refuse(struct ospf_nbr *nbr, const char *why)
{
	char id[16];

	nbr->iface->ospf->gr.refused++;
	wp_log_info("neighbor %s on %s: Grace-LSA: not helping: %s",
		    ospf_id_fmt(nbr->id, id, sizeof(id)), nbr->iface->name,
		    why);
}

void
ospf_gr_grace_received(struct ospf_nbr *from, struct ospf_lsa *lsa)
{
	struct ospf_iface *ifp = from->iface;
	struct ospf *ospf = ifp->ospf;
	struct ospf_nbr *nbr;
	struct ospf_grace g;
	double now = ospf_now();
	uint16_t age = ospf_lsa_age(lsa, now);
	char err[96], id[16];

	if (!ospf_lsa_is_grace(&lsa->hdr))
		return;
	/* The restarting router itself, a neighbour on this network. */
	nbr = ospf_iface_nbr_by_id(ifp, lsa->hdr.adv);
	if (nbr == NULL)
		return;
	if (age >= OSPF_MAX_AGE) {
		/* §3.3: the Grace-LSA flushed: the restart is over. */
		ospf_gr_helper_exit(nbr, OSPF_GR_EXIT_SUCCESS);
		return;
	}
	if (ospf_grace_decode(lsa->raw + OSPF_LSA_HDR_LEN,
			      lsa->hdr.len - OSPF_LSA_HDR_LEN, &g, err,
			      sizeof(err)) < 0) {
		ospf->gr.malformed++;
		wp_log_warnx("neighbor %s on %s: malformed Grace-LSA dropped: "
			     "%s", ospf_id_fmt(nbr->id, id, sizeof(id)),
			     ifp->name, err);
		return;
	}
	if (!ospf->conf->gr_helper) {
		gr_refuse(nbr, "helper disabled (graceful-restart helper "
			  "enable)");
		return;
	}
	if (age >= g.period) {
		gr_refuse(nbr, "its grace period is already over");
		return;
	}
	if (!nbr->gr.helping) {
		/* §3.1 (1) and (2). */
		if (nbr->state != NBR_STA_FULL) {
			gr_refuse(nbr, "not fully adjacent");
			return;
		}
		if (rxmt_changed_since(nbr, now - age)) {
			gr_refuse(nbr, "the database changed (LSAs wait "
				  "on its retransmission list)");
			return;
		}
		nbr->gr.helping = true;
		ospf->gr.helping++;
		ospf->gr.entered++;
		nbr->gr.last_exit = OSPF_GR_EXIT_NONE;
	}
	/* A later Grace-LSA updates the period (§3.1). */
	nbr->gr.period = g.period;
	nbr->gr.reason = g.reason;
	wp_timer_start(&nbr->gr.timer, (double)(g.period - age), 0);
	wp_log_info("neighbor %s on %s: graceful restart helper for %u s "
		    "(reason: %s)", ospf_id_fmt(nbr->id, id, sizeof(id)),
		    ifp->name, g.period - age, ospf_gr_reason_name(g.reason));
}

/* Would `lsa` be flooded to a neighbour of `ifp` (flooding scope)? */
static bool
floods_to(const struct ospf_iface *ifp, const struct ospf_area *area,
	  const struct ospf_lsa *lsa)
{
	switch (lsa->hdr.type) {
	case OSPF_LSA_OPAQUE_LINK:
		return lsa->scope_ifp == ifp;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_OPAQUE_AS:
		return ospf_lsa_scope_ok(ifp->area, lsa->hdr.type);
	default:
		return ifp->area == area;
	}
}

void
ospf_gr_lsa_changed(struct ospf *ospf, const struct ospf_area *area,
		    const struct ospf_lsa *lsa)
{
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;

	if (ospf->gr.helping == 0 || ospf_lsa_is_grace(&lsa->hdr))
		return;
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		if (!floods_to(ifp, area, lsa))
			continue;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
			/* §3.2: a changed LSA that would go to the
			 * restarting router; not its own ones. */
			if (!nbr->gr.helping || lsa->hdr.adv == nbr->id)
				continue;
			if (DBG_OSPF_NSM->on) {
				char b[96];

				wp_log_debugx("graceful restart: topology "
					      "change: %s", ospf_lsa_fmt(
						      &lsa->hdr, b, sizeof(b)));
			}
			ospf_gr_helper_exit(nbr, OSPF_GR_EXIT_TOPOLOGY);
		}
	}
}

/* Keep the marker as the configuration says (called on every change). */
static void
running_update(struct ospf *ospf)
{
	FILE *f;

	if (ospf->gr.running_file == NULL)
		return;
	if (!ospf->conf->gr_restart) {
		unlink(ospf->gr.running_file);
		return;
	}
	f = fopen(ospf->gr.running_file, "w");
	if (f == NULL || fprintf(f, "%u\n", ospf->conf->gr_period) < 0)
		wp_log_warn("graceful restart: %s", ospf->gr.running_file);
	if (f)
		fclose(f);
}

void
ospf_gr_conf_changed(struct ospf *ospf)
{
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;

	running_update(ospf);
	if (ospf->conf->gr_helper || ospf->gr.helping == 0)
		return;
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			ospf_gr_helper_exit(nbr, OSPF_GR_EXIT_DISABLED);
}

void
ospf_gr_nbr_json(const struct ospf_nbr *nbr, struct json_object *o)
{
	json_object *g = wp_json_add_object(o, "grHelper");

	wp_json_add_str(g, "state", nbr->gr.helping ? "helping" :
			"not helping");
	if (nbr->gr.helping) {
		wp_json_add_int(g, "remaining", (int64_t)
				wp_timer_remaining(&nbr->gr.timer));
		wp_json_add_int(g, "gracePeriod", nbr->gr.period);
		wp_json_add_str(g, "reason",
				ospf_gr_reason_name(nbr->gr.reason));
	}
	wp_json_add_str(g, "lastExitReason",
			ospf_gr_exit_name[nbr->gr.last_exit]);
}

void
ospf_gr_json(const struct ospf *ospf, struct json_object *o)
{
	json_object *g = wp_json_add_object(o, "gracefulRestart");
	json_object *e;

	wp_json_add_bool(g, "helperEnabled", ospf->conf->gr_helper);
	wp_json_add_int(g, "helping", ospf->gr.helping);
	wp_json_add_uint64(g, "helperEntered", ospf->gr.entered);
	wp_json_add_uint64(g, "helperRefused", ospf->gr.refused);
	wp_json_add_uint64(g, "malformedGraceLsas", ospf->gr.malformed);
	e = wp_json_add_object(g, "helperExits");
	for (int i = OSPF_GR_EXIT_SUCCESS; i < OSPF_GR_EXIT_MAX; i++)
		wp_json_add_uint64(e, gr_exit_key[i], ospf->gr.exits[i]);
	wp_json_add_str(g, "lastExitReason",
			ospf_gr_exit_name[ospf->gr.last_exit]);
	/* Restarting ourselves. */
	wp_json_add_bool(g, "restartEnabled", ospf->conf->gr_restart);
	wp_json_add_int(g, "gracePeriod", ospf->conf->gr_period);
	wp_json_add_bool(g, "prepared", ospf->gr.prepared);
	wp_json_add_bool(g, "restarting", ospf->gr.restarting);
	wp_json_add_bool(g, "unplanned", ospf->gr.unplanned);
	wp_json_add_uint64(g, "graceLsasBeforeHello", ospf->gr.grace_sent);
	if (ospf->gr.restarting)
		wp_json_add_int(g, "restartRemaining", (int64_t)
				wp_timer_remaining(&ospf->gr.restart_timer));
	if (ospf->gr.restart_exit)
		wp_json_add_str(g, "restartExitReason",
				ospf->gr.restart_exit);
}

/* --- restarting ourselves (§2) ---------------------------------------------- */

size_t
ospf_grace_encode(uint32_t period, uint8_t reason, uint32_t addr,
		  uint8_t *buf)
{
	struct wp_wbuf w;
	size_t len;

	/* Appendix A: grace period, reason, IP interface address; the
	 * reason's one byte padded to four. */
	wp_wbuf_init(&w, MT_OSPF_LSA, OSPF_GRACE_BODY_LEN);
	wp_wbuf_put_u16(&w, OSPF_GRACE_TLV_PERIOD);
	wp_wbuf_put_u16(&w, 4);
	wp_wbuf_put_u32(&w, period);
	wp_wbuf_put_u16(&w, OSPF_GRACE_TLV_REASON);
	wp_wbuf_put_u16(&w, 1);
	wp_wbuf_put_u32(&w, (uint32_t)reason << 24);
	wp_wbuf_put_u16(&w, OSPF_GRACE_TLV_ADDR);
	wp_wbuf_put_u16(&w, 4);
	wp_wbuf_put_u32(&w, addr);
	len = wp_wbuf_len(&w);
	memcpy(buf, wp_wbuf_data(&w), len);
	wp_wbuf_free(&w);
	return len;
}

static void
restart_exit(struct ospf *ospf, const char *why)
{
	struct ospf_iface *ifp;
	struct ospf_area *a;
	struct ospf_lsa *lsa;

	if (!ospf->gr.restarting)
		return;
	ospf->gr.restarting = false;
	ospf->gr.restart_exit = why;
	wp_timer_stop(&ospf->gr.restart_timer);
	wp_log_info("graceful restart: done: %s", why);
	/* §2.3: originate the LSAs again, flush the Grace-LSAs, routes
	 * from the now complete database to ribd. */
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		lsa = ospf_lsdb_lookup(ifp->lsdb9, OSPF_LSA_OPAQUE_LINK,
				       (uint32_t)OSPF_OPAQUE_GRACE << 24,
				       ospf->router_id);
		if (lsa && ospf_lsa_age(lsa, ospf_now()) < OSPF_MAX_AGE)
			ospf_lsa_flush(ospf, ifp->area, lsa);
		if (ifp->state == IF_STA_DR)
			ospf_network_lsa_schedule(ifp);
	}
	TAILQ_FOREACH(a, &ospf->areas, entry)
		ospf_router_lsa_schedule(a);
	ospf_redist_conf_changed(ospf);
	ospf_rib_resend(ospf);
	ospf_spf_schedule(ospf, "graceful restart done");
}

static void
restart_timer_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, gr.restart_timer);

	restart_exit(ospf, "grace period expired");
}

/* Is there a Full neighbour with router ID `id` (p2p link) or on the
 * interface with address `addr` (transit link) in `area`? */
static bool
link_full(const struct ospf_area *area, const struct ospf_rtr_link *l)
{
	const struct ospf_iface *ifp;
	const struct ospf_nbr *nbr;

	TAILQ_FOREACH(ifp, &area->ifaces, area_entry) {
		if (l->type == OSPF_LINK_TRANSIT && ifp->addr != l->data)
			continue;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
			if (nbr->state != NBR_STA_FULL)
				continue;
			if (l->type == OSPF_LINK_TRANSIT || nbr->id == l->id)
				return true;
		}
	}
	return false;
}

void
ospf_gr_restart_check(struct ospf *ospf)
{
	struct ospf_area *a;
	struct ospf_lsa *lsa;
	bool seen = false;

	if (!ospf->gr.restarting || ospf->router_id == 0)
		return;
	/* §2.3: our router-LSAs from before the restart (the neighbours
	 * gave them back) list adjacencies; all must be Full again. */
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		lsa = ospf_lsdb_lookup(a->lsdb, OSPF_LSA_ROUTER,
				       ospf->router_id, ospf->router_id);
		if (lsa == NULL)
			continue;
		seen = true;
		for (uint16_t i = 0; i < lsa->u.rtr.nlinks; i++) {
			const struct ospf_rtr_link *l = &lsa->u.rtr.links[i];

			if ((l->type == OSPF_LINK_P2P ||
			     l->type == OSPF_LINK_TRANSIT) && !link_full(a, l))
				return;
		}
	}
	if (seen)
		restart_exit(ospf, "all adjacencies re-established");
}

/* The state file: the grace period's end, wall clock. */
static void
state_read(struct ospf *ospf)
{
	FILE *f = fopen(ospf->gr.state_file, "r");
	long long end = 0;
	time_t now = time(NULL);

	if (f == NULL)
		return;
	if (fscanf(f, "%lld", &end) != 1)
		end = 0;
	fclose(f);
	unlink(ospf->gr.state_file);
	if (end <= (long long)now) {
		wp_log_info("graceful restart: %s: grace period over, a "
			    "normal start", ospf->gr.state_file);
		return;
	}
	/* §2.2: not to originate LSAs nor change the forwarding until the
	 * adjacencies are back. */
	ospf->gr.restarting = true;
	wp_timer_start(&ospf->gr.restart_timer, (double)(end -
							  (long long)now), 0);
	wp_log_info("graceful restart: restarting, %lld s of the grace period "
		    "left", end - (long long)now);
}

/*
 * Unplanned restarts (§2.1).  With `graceful-restart` configured, ospfd
 * keeps <rundir>/ospfd-running (the grace period) for as long as it
 * runs; an orderly stop removes it.  Found at start, it says the last
 * ospfd died (a crash, kill -9): the restart begins at once, and each
 * interface floods a Grace-LSA, reason "unknown" (Appendix A), before
 * its first hello.  Whether the forwarding survived is ribd's to say:
 * its HELLO_ACK counts the routes of ours it still holds; none, and the
 * restart ends there (its Grace-LSAs flushed).
 */
static bool
running_read(struct ospf *ospf, unsigned int *period)
{
	FILE *f = fopen(ospf->gr.running_file, "r");
	unsigned int p = 0;

	if (f == NULL)
		return false;
	if (fscanf(f, "%u", &p) != 1 || p < 1 || p > 1800)
		p = OSPF_GR_DEF_PERIOD;
	fclose(f);
	*period = p;
	return true;
}

void
ospf_gr_init(struct ospf *ospf, const char *rundir)
{
	char path[512];
	unsigned int period;

	/* One pair of files per VRF: instances restart independently. */
	snprintf(path, sizeof(path), "%s/ospfd-gr%s%s", rundir,
		 ospf->vrf[0] ? "-" : "", ospf->vrf);
	ospf->gr.state_file = wp_strdup(MT_OSPF, path);
	snprintf(path, sizeof(path), "%s/ospfd-running%s%s", rundir,
		 ospf->vrf[0] ? "-" : "", ospf->vrf);
	ospf->gr.running_file = wp_strdup(MT_OSPF, path);
	state_read(ospf);
	if (!running_read(ospf, &period) || ospf->gr.restarting)
		return;
	ospf->gr.restarting = true;
	ospf->gr.unplanned = true;
	wp_timer_start(&ospf->gr.restart_timer, (double)period, 0);
	wp_log_info("graceful restart: unplanned (%s left by the last ospfd), "
		    "grace period %u s", ospf->gr.running_file, period);
}

void
ospf_gr_new(struct ospf *ospf)
{
	wp_timer_init(ospf->loop, &ospf->gr.restart_timer,
		      "ospf graceful restart", restart_timer_cb);
}

void
ospf_gr_fini(struct ospf *ospf)
{
	wp_timer_stop(&ospf->gr.restart_timer);
	/* An orderly stop: the next start is no unplanned restart. */
	if (ospf->gr.running_file)
		unlink(ospf->gr.running_file);
	wp_free(MT_OSPF, ospf->gr.state_file);
	wp_free(MT_OSPF, ospf->gr.running_file);
	ospf->gr.state_file = NULL;
	ospf->gr.running_file = NULL;
}

void
ospf_gr_iface_start(struct ospf_iface *ifp)
{
	struct ospf *ospf = ifp->ospf;
	struct ospf_lsa *lsa;
	double left;

	if (!ospf->gr.unplanned || !ospf->gr.restarting || ifp->vlink ||
	    ospf->router_id == 0)
		return;
	/* §2.1: the Grace-LSA before any hello, or the neighbours' hello
	 * processing takes the adjacency down.  There is no adjacency to
	 * flood it over yet: straight to AllSPFRouters. */
	left = wp_timer_remaining(&ospf->gr.restart_timer);
	ospf_grace_lsa_originate(ifp, (uint32_t)(left + 0.999), 0);
	lsa = ospf_lsdb_lookup(ifp->lsdb9, OSPF_LSA_OPAQUE_LINK,
			       (uint32_t)OSPF_OPAQUE_GRACE << 24,
			       ospf->router_id);
	if (lsa == NULL)
		return;
	ospf_lsupd_send(ifp, OSPF_ALL_SPF_ROUTERS, &lsa, 1);
	ospf->gr.grace_sent++;
	wp_log_info("graceful restart: interface %s: Grace-LSA sent before "
		    "the first hello (%.0f s left)", ifp->name, left);
}

bool
ospf_gr_hello_dr(struct ospf_iface *ifp, uint32_t dr)
{
	struct ospf *ospf = ifp->ospf;

	/* §2 (3): a restarting router that a neighbour's hello names DR
	 * while its interface waits was the DR: it elects itself again
	 * (declares itself DR, then runs the election at once) rather
	 * than let the election move the role and change the network-LSA. */
	if (!ospf->gr.restarting || ifp->state != IF_STA_WAITING ||
	    dr != ifp->addr || ifp->dr == ifp->addr)
		return false;
	ifp->dr = ifp->addr;
	ifp->dr_id = ospf->router_id;
	wp_log_info("graceful restart: interface %s: named DR by a "
		    "neighbour's hello: DR again", ifp->name);
	ospf_iface_fsm(ifp, IF_EVT_BACKUP_SEEN);
	/* Say so at once: a helper that ends helping before our next
	 * hello would elect with what our Waiting hellos declared. */
	ospf_hello_send(ifp);
	return true;
}

void
ospf_gr_rib_connected(struct ospf *ospf, uint32_t stale)
{
	if (!ospf->gr.unplanned || ospf->gr.rib_checked)
		return;
	ospf->gr.rib_checked = true;
	if (stale == 0)
		restart_exit(ospf, "forwarding not preserved (ribd holds "
			     "none of our routes)");
}

int
ospf_gr_prepare(struct ospf *ospf, char *err, size_t errlen)
{
	const struct ospf_conf *c = ospf->conf;
	struct ospf_iface *ifp;
	int n = 0;
	FILE *f;

	if (!c->gr_restart) {
		snprintf(err, errlen, "graceful-restart is not configured "
			 "under router ospf");
		return -1;
	}
	if (ospf->gr.restarting) {
		snprintf(err, errlen, "a graceful restart is in progress");
		return -1;
	}
	if (ospf->gr.state_file) {
		f = fopen(ospf->gr.state_file, "w");
		if (f == NULL || fprintf(f, "%lld\n", (long long)time(NULL) +
					 c->gr_period) < 0) {
			snprintf(err, errlen, "cannot write %s: %s",
				 ospf->gr.state_file, strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
	}
	/* §2.1: a Grace-LSA on every interface with neighbours, reason
	 * "software restart". */
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		if (ifp->state == IF_STA_DOWN || ifp->state == IF_STA_LOOPBACK ||
		    ifp->n_nbrs == 0)
			continue;
		ospf_grace_lsa_originate(ifp, c->gr_period, 1);
		n++;
	}
	ospf->gr.prepared = true;
	wp_log_info("graceful restart: prepared, Grace-LSAs on %d "
		    "interfaces; restart ospfd within %u s", n, c->gr_period);
	return n;
}
