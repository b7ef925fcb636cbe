/*
 * ospf_shutdown.c: leaving the network in order on SIGTERM.
 *
 * With `max-metric router-lsa on-shutdown N` (RFC 6987 §2, FRR's
 * command), a stop signal does not end ospfd at once: the router-LSAs
 * are originated again with their transit links at MaxLinkMetric
 * (ospf_max_metric_active() says so while `stop.active`), so that the
 * neighbours move their paths away from us while we still forward;
 * then, once every neighbour has acknowledged them (no router-LSA of
 * ours left on a retransmission list) or after N seconds, the loop is
 * stopped and the daemon's shutdown runs.  A second signal stops at
 * once.  Not when a graceful restart is prepared (RFC 3623 §2.1: the
 * neighbours are to keep us as we were), nor without a Full neighbour
 * (nobody to tell).
 */
#include "config.h"

#include "ospfd.h"

#define OSPF_STOP_TICK	0.1	/* s: acknowledged yet? */

static bool
acked(const struct ospf *ospf)
{
	const struct ospf_area *a;
	const struct ospf_iface *ifp;
	const struct ospf_nbr *nbr;
	const struct ospf_lsa_ref *r;

	/* Our router-LSAs went out since the signal... */
	TAILQ_FOREACH(a, &ospf->areas, entry)
		if (a->rtr_orig.last < ospf->stop.since ||
		    wp_timer_active(&a->rtr_orig.timer))
			return false;
	/* ... and no neighbour still waits for one. */
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry)
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			TAILQ_FOREACH(r, &nbr->rxmt, entry)
				if (r->lsa->hdr.type == OSPF_LSA_ROUTER &&
				    r->lsa->hdr.adv == ospf->router_id)
					return false;
	return true;
}

static void
stop_done(struct ospf *ospf, const char *why)
{
	wp_timer_stop(&ospf->stop.timer);
	wp_timer_stop(&ospf->stop.poll);
	wp_log_info("max-metric on-shutdown: %s after %.1f s, stopping", why,
		    ospf_now() - ospf->stop.since);
	ospf->stop.done = true;
	ospfd_stopped(ospf);		/* the last instance ends the loop */
}

static void
stop_timer_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, stop.timer);

	stop_done(ospf, "no acknowledgement of every router-LSA");
}

static void
stop_poll_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, stop.poll);

	if (acked(ospf))
		stop_done(ospf, "router-LSAs acknowledged");
}

static bool
any_full(const struct ospf *ospf)
{
	const struct ospf_area *a;

	TAILQ_FOREACH(a, &ospf->areas, entry)
		if (a->n_full)
			return true;
	return false;
}

bool
ospf_stop_begin(struct ospf *ospf)
{
	unsigned int n = ospf->conf->max_metric_shutdown;
	struct ospf_area *a;

	if (ospf->stop.active || n == 0)
		return false;
	if (ospf->gr.prepared) {
		wp_log_info("max-metric on-shutdown: skipped, a graceful "
			    "restart is prepared");
		return false;
	}
	if (!any_full(ospf))
		return false;
	ospf->stop.active = true;
	ospf->stop.since = ospf_now();
	wp_timer_init(ospf->loop, &ospf->stop.timer, "ospf on-shutdown",
		      stop_timer_cb);
	wp_timer_init(ospf->loop, &ospf->stop.poll, "ospf on-shutdown ack",
		      stop_poll_cb);
	wp_timer_start(&ospf->stop.timer, (double)n, 0);
	wp_timer_start_periodic(&ospf->stop.poll, OSPF_STOP_TICK, 0);
	TAILQ_FOREACH(a, &ospf->areas, entry)
		ospf_router_lsa_schedule(a);
	wp_log_info("max-metric on-shutdown: router-LSAs at max metric, "
		    "stopping within %u s", n);
	return true;
}

void
ospf_stop_fini(struct ospf *ospf)
{
	if (!ospf->stop.active)
		return;
	wp_timer_stop(&ospf->stop.timer);
	wp_timer_stop(&ospf->stop.poll);
}
