/*
 * Unit tests for the flooding procedure (daemons/ospfd/ospf_flood.c,
 * RFC 2328 §13), and on the same rig our router-LSA (max-metric) and
 * what BFD statuses do to neighbours (ospf_bfd.c) and graceful restart
 * helping (ospf_gr.c), without a network: an instance with two interfaces, one
 * Full neighbour on each, whose sockets are one end of a socketpair (what
 * is sent goes nowhere; only the state is checked).  The event loop never
 * runs: timers are armed and freed, never fired.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ospfd.h"
#include "wp_check.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define ME	IP(1, 1, 1, 1)
#define N2	IP(2, 2, 2, 2)
#define N3	IP(3, 3, 3, 3)

struct rig {
	struct wp_loop *loop;
	struct ospf *ospf;
	struct ospf_area *area;
	struct ospf_iface *ifa, *ifb;
	struct ospf_nbr *n2, *n3;
	int sp[2][2];
};

static struct ospf_iface *
mkiface(struct rig *r, int idx, const char *name, uint32_t addr, int *sp)
{
	struct ospf_kif kif;
	struct ospf_iface *ifp;

	memset(&kif, 0, sizeof(kif));
	kif.ifindex = idx;
	snprintf(kif.name, sizeof(kif.name), "%s", name);
	kif.mtu = 1500;
	ifp = ospf_iface_new(r->ospf, r->area, &kif, addr, 24);
	ifp->type = OSPF_NET_P2P;
	ifp->state = IF_STA_P2P;
	ifp->hello_interval = 10;
	ifp->dead_interval = 40;
	ifp->rxmt_interval = 5;
	ifp->transdelay = 1;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sp), 0);
	ifp->fd = sp[0];
	return ifp;
}

/* The interfaces in area `area`, configured by `area_lines`. */
static void
rig_up_area(struct rig *r, unsigned int min_arrival_ms, uint32_t area,
	    const char *area_lines)
{
	char conf[512];

	memset(r, 0, sizeof(*r));
	r->loop = wp_loop_new();
	r->ospf = ospf_new(r->loop);
	snprintf(conf, sizeof(conf), "router ospf\n ospf router-id 1.1.1.1\n"
		 " timers lsa min-arrival %u\n timers throttle lsa all 0\n%s",
		 min_arrival_ms, area_lines);
	ospf_conf_free(r->ospf->conf);
	r->ospf->conf = ospf_conf_parse(conf, "test");
	r->ospf->router_id = ME;
	r->area = ospf_area_get(r->ospf, area);
	r->ifa = mkiface(r, 5, "eth0", IP(10, 0, 0, 1), r->sp[0]);
	r->ifb = mkiface(r, 6, "eth1", IP(10, 0, 1, 1), r->sp[1]);
	r->n2 = ospf_nbr_new(r->ifa, N2, IP(10, 0, 0, 2));
	r->n3 = ospf_nbr_new(r->ifb, N3, IP(10, 0, 1, 3));
	r->n2->state = NBR_STA_FULL;
	r->n3->state = NBR_STA_FULL;
	r->area->n_full = 2;
}

static void
rig_up(struct rig *r, unsigned int min_arrival_ms)
{
	rig_up_area(r, min_arrival_ms, 0, "");
}

static void
rig_down(struct rig *r)
{
	ospf_free(r->ospf);
	wp_loop_free(r->loop);
	close(r->sp[0][1]);
	close(r->sp[1][1]);
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
	ck_assert_uint_eq(MT_OSPF_LSLIST->live, 0);
	ck_assert_uint_eq(MT_OSPF_NBR->live, 0);
	ck_assert_uint_eq(MT_OSPF_IFACE->live, 0);
}

static struct ospf_lsa *
summary(uint32_t adv, uint32_t seq, uint32_t metric)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_SUMMARY,
				  .id = IP(192, 168, 0, 0), .adv = adv,
				  .seq = seq };

	return ospf_lsa_build_summary(&h, IP(255, 255, 255, 0), metric,
				      ospf_now());
}

static struct ospf_lsa *
in_db(struct rig *r, uint32_t adv)
{
	return ospf_lsdb_lookup(r->area->lsdb, OSPF_LSA_SUMMARY,
				IP(192, 168, 0, 0), adv);
}

START_TEST(test_new_lsa_flooded_and_acked)
{
	struct rig r;
	struct ospf_lsa *lsa;

	rig_up(&r, 0);
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(N2, 5, 1)), 0);
	lsa = in_db(&r, N2);
	ck_assert_ptr_nonnull(lsa);
	ck_assert_uint_eq(lsa->hdr.seq, 5);
	/* Out of the other interface onto n3's list, not back to n2. */
	ck_assert_uint_eq(r.n3->n_rxmt, 1);
	ck_assert_uint_eq(r.n2->n_rxmt, 0);
	ck_assert_uint_eq(lsa->rxmt, 1);
	ck_assert_uint_eq(r.ifb->n_floodq, 1);
	/* Not flooded back out of eth0: a delayed ack there (§13.5). */
	ck_assert_uint_eq(r.ifa->acks.n, 1);
	ck_assert_uint_eq(r.ifa->acks.h[0].seq, 5);
	ck_assert(wp_timer_active(&r.ospf->spf.timer));
	/* n3 sends the same instance back: an implied acknowledgement. */
	ck_assert_int_eq(ospf_flood_receive(r.n3, summary(N2, 5, 1)), 0);
	ck_assert_uint_eq(r.n3->n_rxmt, 0);
	ck_assert_uint_eq(lsa->rxmt, 0);
	ck_assert_ptr_eq(in_db(&r, N2), lsa);
	rig_down(&r);
}
END_TEST

START_TEST(test_older_and_same)
{
	struct rig r;
	struct ospf_lsa *lsa;
	uint64_t tx;

	rig_up(&r, 0);
	ospf_flood_receive(r.n2, summary(N2, 5, 1));
	lsa = in_db(&r, N2);
	/* The same instance again from n2: a direct ack, nothing else. */
	tx = r.ifa->stats.tx_err + r.ifa->stats.tx[OSPF_PKT_LSACK];
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(N2, 5, 1)), 0);
	ck_assert_ptr_eq(in_db(&r, N2), lsa);
	ck_assert_uint_gt(r.ifa->stats.tx_err +
			  r.ifa->stats.tx[OSPF_PKT_LSACK], tx);
	/* An older one: ours stays, and goes back to the sender (§13 (8)). */
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(N2, 4, 9)), 0);
	ck_assert_ptr_eq(in_db(&r, N2), lsa);
	ck_assert_uint_eq(in_db(&r, N2)->u.sum.metric, 1);
	rig_down(&r);
}
END_TEST

START_TEST(test_min_ls_arrival)
{
	struct rig r;
	struct ospf_lsa *lsa;

	rig_up(&r, 1000);
	ospf_flood_receive(r.n2, summary(N2, 5, 1));
	lsa = in_db(&r, N2);
	/* A newer instance within MinLSArrival: discarded, not acked. */
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(N2, 6, 2)), 0);
	ck_assert_ptr_eq(in_db(&r, N2), lsa);
	ck_assert_uint_eq(r.ospf->stats.lsa_discarded, 1);
	ck_assert_uint_eq(r.ifa->acks.n, 1);
	/* Later, it is taken and replaces the old one on n3's list. */
	lsa->installed -= 2.0;
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(N2, 6, 2)), 0);
	ck_assert_uint_eq(in_db(&r, N2)->hdr.seq, 6);
	ck_assert_uint_eq(r.n3->n_rxmt, 1);
	ck_assert_uint_eq(TAILQ_FIRST(&r.n3->rxmt)->lsa->hdr.seq, 6);
	rig_down(&r);
}
END_TEST

START_TEST(test_bad_lsreq_and_checksum)
{
	struct rig r;
	struct ospf_lsa *lsa;
	struct ospf_lsa_hdr h;

	rig_up(&r, 0);
	ospf_flood_receive(r.n3, summary(N2, 5, 1));
	/* n2 is loading and asked for this LSA, then sends an older one:
	 * BadLSReq, the rest of the update is dropped. */
	r.n2->state = NBR_STA_LOADING;
	r.area->n_full = 1;
	h = in_db(&r, N2)->hdr;
	h.seq = 7;
	ospf_nbr_lsreq_add(r.n2, &h);
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(N2, 4, 1)), -1);
	ck_assert_int_eq(r.n2->state, NBR_STA_EXSTART);
	ck_assert_uint_eq(r.n2->n_lsreq, 0);
	/* A corrupted LSA is dropped and counted. */
	lsa = summary(N3, 1, 1);
	lsa->raw[25] ^= 1;
	ck_assert_int_eq(ospf_flood_receive(r.n3, lsa), 0);
	ck_assert_ptr_null(in_db(&r, N3));
	ck_assert_uint_eq(r.ifb->stats.err[OSPF_ERR_LSA], 1);
	rig_down(&r);
}
END_TEST

static void
pass_stat(const struct wp_cbstat *st, void *arg)
{
	if (strcmp(st->name, "ospf redistribution") == 0)
		*(uint64_t *)arg = st->calls;
}

/* How many summary passes the redistribution timer ran. */
static uint64_t
summary_passes(struct rig *r)
{
	uint64_t n = 0;

	wp_loop_stats_foreach(r->loop, pass_stat, &n);
	return n;
}

START_TEST(test_maxage_and_self)
{
	struct rig r;
	struct ospf_lsa *lsa;
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_ROUTER, .id = ME,
				  .adv = ME, .seq = 0x80000010 };

	rig_up(&r, 0);
	/* A MaxAge LSA nobody has: acknowledged, not installed (§13 (4)). */
	lsa = summary(N2, 5, 1);
	ospf_lsa_set_maxage(lsa, ospf_now());
	ck_assert_int_eq(ospf_flood_receive(r.n2, lsa), 0);
	ck_assert_ptr_null(in_db(&r, N2));
	/* Our own router-LSA from a previous life, newer than anything we
	 * have: installed, then re-originated past it (§13.4). */
	lsa = ospf_lsa_build_router(&h, 0, NULL, 0, ospf_now());
	ck_assert_int_eq(ospf_flood_receive(r.n2, lsa), 0);
	lsa = ospf_lsdb_lookup(r.area->lsdb, OSPF_LSA_ROUTER, ME, ME);
	ck_assert_ptr_nonnull(lsa);
	ck_assert_uint_eq(lsa->hdr.seq, 0x80000011);
	ck_assert(lsa->flags & OSPF_LSA_SELF);
	/* Built from our state: a p2p link to each Full neighbour and the
	 * two subnets as stubs. */
	ck_assert_uint_eq(lsa->u.rtr.nlinks, 4);
	/* A summary of ours we do not originate: flushed; and a summary
	 * pass is due at once, in case it is wanted after all (it would
	 * then be originated past this copy's sequence number). */
	ck_assert_int_eq(ospf_flood_receive(r.n2, summary(ME, 9, 1)), 0);
	lsa = in_db(&r, ME);
	ck_assert_ptr_nonnull(lsa);
	ck_assert_uint_eq(ospf_lsa_age(lsa, ospf_now()), OSPF_MAX_AGE);
	ck_assert(lsa->flags & OSPF_LSA_FLUSHING);
	ck_assert_uint_eq(summary_passes(&r), 0);
	for (double end = ospf_now() + 5; summary_passes(&r) == 0 &&
					   ospf_now() < end;)
		ev_run(wp_loop_ev(r.loop), EVRUN_ONCE);
	ck_assert_uint_eq(summary_passes(&r), 1);
	rig_down(&r);
}
END_TEST

static struct ospf_lsa *
external(uint8_t type, uint32_t adv)
{
	struct ospf_lsa_hdr h = { .type = type, .id = IP(192, 0, 2, 0),
				  .adv = adv, .seq = OSPF_INITIAL_SEQ,
				  .options = type == OSPF_LSA_NSSA ?
					     OSPF_OPT_NP : OSPF_OPT_E };

	return ospf_lsa_build_external(&h, IP(255, 255, 255, 0), 20, true,
				       0, 0, ospf_now());
}

/* §3.6, §13 (3), RFC 3101 §2.5: which LSAs a stub area and an NSSA take,
 * and where type-5s are flooded. */
START_TEST(test_area_types)
{
	struct rig r;
	struct ospf_lsa *lsa;

	/* A normal area: the type-5 is stored and flooded on. */
	rig_up(&r, 0);
	ck_assert_int_eq(ospf_flood_receive(r.n2, external(OSPF_LSA_EXTERNAL,
							   N2)), 0);
	ck_assert_uint_eq(ospf_lsdb_count(r.ospf->as_lsdb), 1);
	ck_assert_uint_eq(r.n3->n_rxmt, 1);
	/* A type-7 outside an NSSA: dropped, counted. */
	ck_assert_int_eq(ospf_flood_receive(r.n2, external(OSPF_LSA_NSSA,
							   N2)), 0);
	ck_assert_uint_eq(r.area->lsdb->count_type[OSPF_LSA_NSSA], 0);
	ck_assert_uint_eq(r.ifa->stats.err[OSPF_ERR_LSA], 1);
	rig_down(&r);

	/* A stub area: neither, and a type-5 is not flooded into it. */
	rig_up_area(&r, 0, 1, " area 1 stub\n");
	ck_assert_int_eq(ospf_flood_receive(r.n2, external(OSPF_LSA_EXTERNAL,
							   N2)), 0);
	ck_assert_int_eq(ospf_flood_receive(r.n2, external(OSPF_LSA_NSSA,
							   N2)), 0);
	ck_assert_uint_eq(ospf_lsdb_count(r.ospf->as_lsdb), 0);
	ck_assert_uint_eq(ospf_lsdb_count(r.area->lsdb), 0);
	ck_assert_uint_eq(r.ifa->stats.err[OSPF_ERR_LSA], 2);
	ck_assert_uint_eq(r.n3->n_rxmt, 0);
	lsa = external(OSPF_LSA_EXTERNAL, N3);
	ospf_lsa_install(r.ospf, r.area, lsa);
	ospf_flood(r.ospf, r.area, lsa, NULL);
	ospf_lsa_unref(lsa);
	ck_assert_uint_eq(r.ifa->n_floodq + r.ifb->n_floodq, 0);
	ck_assert_uint_eq(r.n2->n_rxmt + r.n3->n_rxmt, 0);
	rig_down(&r);

	/* An NSSA: type-7s are stored and flooded in it, type-5s dropped. */
	rig_up_area(&r, 0, 2, " area 2 nssa\n");
	ck_assert_int_eq(ospf_flood_receive(r.n2, external(OSPF_LSA_NSSA,
							   N2)), 0);
	ck_assert_uint_eq(r.area->lsdb->count_type[OSPF_LSA_NSSA], 1);
	ck_assert_uint_eq(r.n3->n_rxmt, 1);
	ck_assert_int_eq(ospf_flood_receive(r.n2, external(OSPF_LSA_EXTERNAL,
							   N2)), 0);
	ck_assert_uint_eq(ospf_lsdb_count(r.ospf->as_lsdb), 0);
	ck_assert_uint_eq(r.ifa->stats.err[OSPF_ERR_LSA], 1);
	rig_down(&r);
}
END_TEST

/* Our router-LSA's link metrics: {type, metric} in link order. */
static void
rtr_links(struct rig *r, uint8_t *types, uint16_t *metrics, size_t *n)
{
	struct ospf_lsa *lsa;

	ospf_router_lsa_originate(r->area);
	lsa = ospf_lsdb_lookup(r->area->lsdb, OSPF_LSA_ROUTER, ME, ME);
	ck_assert_ptr_nonnull(lsa);
	*n = lsa->u.rtr.nlinks;
	for (size_t i = 0; i < *n; i++) {
		types[i] = lsa->u.rtr.links[i].type;
		metrics[i] = lsa->u.rtr.links[i].metric;
	}
}

/* RFC 6987 §2: max-metric router-lsa puts the point-to-point links at
 * 0xFFFF and leaves the stub links; on-startup ends by itself. */
START_TEST(test_max_metric)
{
	static const uint8_t want_types[] = { OSPF_LINK_P2P, OSPF_LINK_STUB,
					      OSPF_LINK_P2P, OSPF_LINK_STUB };
	static const uint16_t normal[] = { 10, 10, 20, 20 };
	static const uint16_t stub[] = { 0xffff, 10, 0xffff, 20 };
	uint8_t types[8];
	uint16_t metrics[8];
	double left;
	size_t n;
	struct rig r;

	rig_up_area(&r, 0, 0, " max-metric router-lsa administrative\n");
	r.ifa->cost = 10;
	r.ifb->cost = 20;
	ck_assert(ospf_max_metric_active(r.ospf, &left));
	ck_assert(left == 0);
	rtr_links(&r, types, metrics, &n);
	ck_assert_uint_eq(n, 4);
	ck_assert_mem_eq(types, want_types, sizeof(want_types));
	ck_assert_mem_eq(metrics, stub, sizeof(stub));
	/* Without it: the costs. */
	r.ospf->conf->max_metric_admin = false;
	ck_assert(!ospf_max_metric_active(r.ospf, NULL));
	rtr_links(&r, types, metrics, &n);
	ck_assert_mem_eq(metrics, normal, sizeof(normal));
	rig_down(&r);

	/* on-startup 60: in effect for the first 60 s of the instance. */
	rig_up_area(&r, 0, 0, " max-metric router-lsa on-startup 60\n");
	r.ifa->cost = 10;
	r.ifb->cost = 20;
	ck_assert(ospf_max_metric_active(r.ospf, &left));
	ck_assert(left > 59 && left <= 60);
	rtr_links(&r, types, metrics, &n);
	ck_assert_mem_eq(metrics, stub, sizeof(stub));
	r.ospf->started_mono -= 61;
	ck_assert(!ospf_max_metric_active(r.ospf, &left));
	ck_assert(left == 0);
	rtr_links(&r, types, metrics, &n);
	ck_assert_mem_eq(metrics, normal, sizeof(normal));
	rig_down(&r);
}
END_TEST

/* --- BFD (ospf_bfd.c): what bfdd's statuses do to the neighbours ------- */

static struct wp_bfd_status
bfd_st(enum wp_bfd_state state, uint32_t diag, bool remote_admin_down)
{
	struct wp_bfd_status st;

	memset(&st, 0, sizeof(st));
	st.key.peer.family = AF_INET;
	st.key.peer.u.v4.s_addr = htonl(IP(10, 0, 0, 2));
	st.key.local.family = AF_INET;
	st.key.local.u.v4.s_addr = htonl(IP(10, 0, 0, 1));
	snprintf(st.key.ifname, sizeof(st.key.ifname), "eth0");
	st.state = state;
	st.diagnostic = diag;
	st.remote_admin_down = remote_admin_down;
	return st;
}

static void
bfd_send(struct rig *r, enum wp_bfd_state state, uint32_t diag,
	 bool remote_admin_down)
{
	struct wp_bfd_status st = bfd_st(state, diag, remote_admin_down);

	ospf_bfd_status(r->ospf, &st);
}

/* A Full neighbour on eth0 (bfd) registered; n3 on eth1 (no bfd) not. */
static void
bfd_rig_up(struct rig *r)
{
	rig_up(r, 0);
	r->ifa->bfd = true;
	ospf_bfd_iface_update(r->ifa);
	ospf_bfd_iface_update(r->ifb);
}

/* RFC 5882 §4.2: registration in 2-Way or higher, Up -> Down tears the
 * adjacency down; §3.2: AdminDown does not; a session never Up does not;
 * nor the first Down a new bfdd reports after a reconnection. */
START_TEST(test_bfd)
{
	struct rig r;
	struct wp_bfd_status st = bfd_st(WP_BFD_STATE_UP, 0, false);

	bfd_rig_up(&r);
	ck_assert(r.n2->bfd_registered && !r.n3->bfd_registered);
	ck_assert(wp_bfd_key_eq(&r.n2->bfd_key, &st.key));
	/* Never Up: no effect. */
	bfd_send(&r, WP_BFD_STATE_DOWN, 0, false);
	ck_assert_uint_eq(r.ifa->n_nbrs, 1);
	bfd_send(&r, WP_BFD_STATE_INIT, 0, false);
	bfd_send(&r, WP_BFD_STATE_UP, 0, false);
	ck_assert(r.n2->bfd_have_state &&
		  r.n2->bfd_status.state == WP_BFD_STATE_UP);
	/* The peer's AdminDown, diagnostic 0 or 7 (as 3 locally): kept. */
	bfd_send(&r, WP_BFD_STATE_DOWN, 3, true);
	ck_assert_uint_eq(r.ifa->n_nbrs, 1);
	ck_assert_uint_eq(r.n2->state, NBR_STA_FULL);
	bfd_send(&r, WP_BFD_STATE_UP, 0, false);
	/* A new bfdd: its sessions start Down. */
	ospf_bfd_connected(r.ospf);
	bfd_send(&r, WP_BFD_STATE_DOWN, 0, false);
	ck_assert_uint_eq(r.ifa->n_nbrs, 1);
	bfd_send(&r, WP_BFD_STATE_UP, 0, false);
	/* A status for a key nobody registered: dropped. */
	st.key.ifname[3] = '9';
	st.state = WP_BFD_STATE_DOWN;
	ospf_bfd_status(r.ospf, &st);
	ck_assert_uint_eq(r.ifa->n_nbrs, 1);
	ck_assert_uint_eq(r.ospf->stats.bfd_nbr_downs, 0);
	/* Up -> Down, detection time expired: gone at once. */
	bfd_send(&r, WP_BFD_STATE_DOWN, 1, false);
	ck_assert_uint_eq(r.ifa->n_nbrs, 0);
	ck_assert_uint_eq(r.area->n_full, 1);
	ck_assert_uint_eq(r.ospf->stats.bfd_nbr_downs, 1);
	ck_assert_uint_eq(r.ospf->stats.bfd_last_down_nbr, N2);
	ck_assert(r.ospf->stats.bfd_last_down > 0);
	/* n3 (no bfd) is untouched by anything for eth0. */
	ck_assert_uint_eq(r.n3->state, NBR_STA_FULL);
	rig_down(&r);

	/* bfd off on the interface: deregistered; below 2-Way likewise. */
	bfd_rig_up(&r);
	r.ifa->bfd = false;
	ospf_bfd_iface_update(r.ifa);
	ck_assert(!r.n2->bfd_registered);
	r.ifa->bfd = true;
	ospf_bfd_iface_update(r.ifa);
	ck_assert(r.n2->bfd_registered);
	ospf_nbr_fsm(r.n2, NBR_EVT_1WAY_RCVD);
	ck_assert_uint_eq(r.n2->state, NBR_STA_INIT);
	ck_assert(!r.n2->bfd_registered);
	ospf_nbr_fsm(r.n2, NBR_EVT_2WAY_RCVD);
	ck_assert_uint_ge(r.n2->state, NBR_STA_2WAY);
	ck_assert(r.n2->bfd_registered && !r.n2->bfd_have_state);
	rig_down(&r);
}
END_TEST

/* A Grace-LSA (RFC 3623 Appendix A) of `adv`: `body` as its TLVs; each
 * a newer instance than the one before. */
static struct ospf_lsa *
grace_lsa(uint32_t adv, uint16_t age, const uint8_t *body, size_t blen)
{
	static uint32_t seq = OSPF_INITIAL_SEQ;
	uint8_t raw[128];
	size_t len = OSPF_LSA_HDR_LEN + blen;
	uint16_t ck;
	char err[96];
	struct ospf_lsa *lsa;

	ck_assert_uint_le(len, sizeof(raw));
	memset(raw, 0, sizeof(raw));
	raw[0] = (uint8_t)(age >> 8);
	raw[1] = (uint8_t)age;
	raw[2] = OSPF_OPT_O;
	raw[3] = OSPF_LSA_OPAQUE_LINK;
	raw[4] = OSPF_OPAQUE_GRACE;
	raw[8] = (uint8_t)(adv >> 24);
	raw[9] = (uint8_t)(adv >> 16);
	raw[10] = (uint8_t)(adv >> 8);
	raw[11] = (uint8_t)adv;
	raw[12] = (uint8_t)(seq >> 24);
	raw[13] = (uint8_t)(seq >> 16);
	raw[14] = (uint8_t)(seq >> 8);
	raw[15] = (uint8_t)seq++;
	raw[18] = (uint8_t)(len >> 8);
	raw[19] = (uint8_t)len;
	memcpy(raw + OSPF_LSA_HDR_LEN, body, blen);
	ck = ospf_lsa_cksum(raw, len);
	raw[16] = (uint8_t)(ck >> 8);
	raw[17] = (uint8_t)ck;
	lsa = ospf_lsa_parse(raw, len, ospf_now(), err, sizeof(err));
	ck_assert_msg(lsa != NULL, "%s", err);
	return lsa;
}

/* Grace period 120 s, reason 1 (software restart), address 10.0.0.2. */
static const uint8_t grace_ok[] = {
	0, 1, 0, 4, 0, 0, 0, 120,
	0, 2, 0, 1, 1, 0, 0, 0,
	0, 3, 0, 4, 10, 0, 0, 2,
};

START_TEST(test_grace_decode)
{
	static const struct {
		const char *what;
		uint8_t b[16];
		size_t len;
	} bad[] = {
		{ "empty: no grace period", { 0 }, 0 },
		{ "half a TLV header", { 0, 1 }, 2 },
		{ "period of 3 bytes", { 0, 1, 0, 3, 0, 0, 120, 0 }, 8 },
		{ "period of 8 bytes", { 0, 1, 0, 8, 0, 0, 0, 120,
					 0, 0, 0, 0 }, 12 },
		{ "value past the end", { 0, 1, 0, 4, 0, 0 }, 6 },
		{ "length 0xffff", { 0, 1, 0xff, 0xff, 0, 0, 0, 1 }, 8 },
		{ "reason of 4 bytes", { 0, 1, 0, 4, 0, 0, 0, 9,
					 0, 2, 0, 4, 0, 0, 0, 1 }, 16 },
		{ "address of 2 bytes", { 0, 1, 0, 4, 0, 0, 0, 9,
					  0, 3, 0, 2, 10, 0, 0, 0 }, 16 },
		{ "unknown TLV only", { 0, 9, 0, 1, 7, 0, 0, 0 }, 8 },
	};
	/* An unknown TLV of odd length is skipped with its padding. */
	static const uint8_t unknown[] = {
		0, 9, 0, 3, 1, 2, 3, 0,
		0, 1, 0, 4, 0, 0, 1, 0,
	};
	struct ospf_grace g;
	char err[96];

	ck_assert_int_eq(ospf_grace_decode(grace_ok, sizeof(grace_ok), &g,
					   err, sizeof(err)), 0);
	ck_assert_uint_eq(g.period, 120);
	ck_assert_int_eq(g.reason, 1);
	ck_assert_uint_eq(g.addr, IP(10, 0, 0, 2));
	ck_assert_int_eq(ospf_grace_decode(unknown, sizeof(unknown), &g, err,
					   sizeof(err)), 0);
	ck_assert_uint_eq(g.period, 256);
	ck_assert_int_eq(g.reason, -1);
	ck_assert_uint_eq(g.n_unknown, 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* Exact-size heap copies: AddressSanitizer sees overreads. */
		uint8_t *b = malloc(bad[i].len ? bad[i].len : 1);

		memcpy(b, bad[i].b, bad[i].len);
		err[0] = 0;
		ck_assert_msg(ospf_grace_decode(b, bad[i].len, &g, err,
						sizeof(err)) == -1,
			      "%s: accepted", bad[i].what);
		ck_assert_msg(err[0] != 0, "%s: no reason", bad[i].what);
		free(b);
	}
}
END_TEST

/* `nbr` announces a restart of 120 s, `age` seconds ago. */
static void
grace_from(struct ospf_nbr *nbr, uint16_t age)
{
	ospf_flood_receive(nbr, grace_lsa(nbr->id, age, grace_ok,
					  sizeof(grace_ok)));
}

#define GR_HELPER_ON	" graceful-restart helper enable\n"

/* RFC 3623 §3: helper mode from a Grace-LSA to each way out of it. */
START_TEST(test_gr_helper)
{
	static const uint8_t short_period[] = { 0, 1, 0, 2, 0, 120, 0, 0 };
	struct rig r;

	/* Helping off (the default): refused, nothing changes. */
	rig_up(&r, 0);
	grace_from(r.n2, 1);
	ck_assert(!r.n2->gr.helping);
	ck_assert_uint_eq(r.ospf->gr.refused, 1);
	rig_down(&r);

	rig_up_area(&r, 0, 0, GR_HELPER_ON);
	ck_assert(r.ospf->conf->gr_helper);
	/* Malformed: counted and dropped, no helping. */
	ospf_flood_receive(r.n2, grace_lsa(N2, 1, short_period,
					   sizeof(short_period)));
	ck_assert_uint_eq(r.ospf->gr.malformed, 1);
	ck_assert(!r.n2->gr.helping);
	/* A good one: helping for what is left of the period. */
	grace_from(r.n2, 20);
	ck_assert(r.n2->gr.helping);
	ck_assert_uint_eq(r.n2->gr.period, 120);
	ck_assert(wp_timer_remaining(&r.n2->gr.timer) <= 100.5);
	ck_assert_uint_eq(r.ospf->gr.helping, 1);
	/* Its silence and its hellos without us keep it Full... */
	ospf_nbr_fsm(r.n2, NBR_EVT_INACTIVITY);
	ospf_nbr_fsm(r.n2, NBR_EVT_1WAY_RCVD);
	ck_assert_uint_eq(r.n2->state, NBR_STA_FULL);
	/* ...and its database exchange keeps it fully adjacent. */
	ospf_nbr_fsm(r.n2, NBR_EVT_SEQ_MISMATCH);
	ck_assert_uint_eq(r.n2->state, NBR_STA_EXSTART);
	ck_assert(ospf_nbr_full(r.n2));
	ck_assert_uint_eq(r.area->n_full, 2);
	/* The flush of its Grace-LSA: success, its real state counts. */
	grace_from(r.n2, OSPF_MAX_AGE);
	ck_assert(!r.n2->gr.helping);
	ck_assert_uint_eq(r.ospf->gr.exits[OSPF_GR_EXIT_SUCCESS], 1);
	ck_assert_uint_eq(r.area->n_full, 1);
	ck_assert(!ospf_nbr_full(r.n2));
	rig_down(&r);

	/* §3.2: a changed LSA that would be flooded to it ends helping; so
	 * does the end of the grace period... */
	rig_up_area(&r, 0, 0, GR_HELPER_ON);
	grace_from(r.n2, 1);
	ck_assert(r.n2->gr.helping);
	ospf_flood_receive(r.n3, summary(N3, OSPF_INITIAL_SEQ, 10));
	ck_assert(!r.n2->gr.helping);
	ck_assert_uint_eq(r.ospf->gr.exits[OSPF_GR_EXIT_TOPOLOGY], 1);
	ck_assert_uint_eq(r.n2->state, NBR_STA_FULL);
	/* ...and a new Grace-LSA now waits behind that change (§3.1). */
	grace_from(r.n2, 2);
	ck_assert(!r.n2->gr.helping);
	ck_assert_uint_eq(r.ospf->gr.refused, 1);
	rig_down(&r);

	/* Helping disabled, or the neighbour killed, while helping. */
	rig_up_area(&r, 0, 0, GR_HELPER_ON);
	grace_from(r.n2, 1);
	grace_from(r.n3, 1);
	ck_assert(r.n2->gr.helping && r.n3->gr.helping);
	ospf_nbr_fsm(r.n3, NBR_EVT_KILL);
	ck_assert_uint_eq(r.ospf->gr.exits[OSPF_GR_EXIT_NBR_DOWN], 1);
	ck_assert_uint_eq(r.area->n_full, 1);
	/* (what ospf_apply_conf() does after `no graceful-restart helper
	 * enable`; the rig's interfaces are not the kernel's to sync) */
	r.ospf->conf->gr_helper = false;
	ospf_gr_conf_changed(r.ospf);
	ck_assert(!r.n2->gr.helping);
	ck_assert_uint_eq(r.ospf->gr.exits[OSPF_GR_EXIT_DISABLED], 1);
	ck_assert_uint_eq(r.ospf->gr.helping, 0);
	rig_down(&r);
}
END_TEST

/* Our router-LSA from before a restart, as a neighbour gives it back:
 * p2p links to n2 and n3. */
static struct ospf_lsa *
old_router_lsa(void)
{
	static const struct ospf_rtr_link links[] = {
		{ .id = N2, .data = IP(10, 0, 0, 1), .type = OSPF_LINK_P2P,
		  .metric = 10 },
		{ .id = N3, .data = IP(10, 0, 1, 1), .type = OSPF_LINK_P2P,
		  .metric = 10 },
	};
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_ROUTER, .id = ME,
				  .adv = ME, .seq = OSPF_INITIAL_SEQ + 5 };

	return ospf_lsa_build_router(&h, 0, links, 2, ospf_now());
}

/* RFC 3623 §2: Grace-LSAs out on prepare; restarting, nothing of ours
 * originated or flushed, the table held from ribd; done when every
 * adjacency of the old router-LSA is Full again. */
START_TEST(test_gr_restart)
{
	struct ospf_lsa *g, *rl;
	struct ospf_grace gd;
	struct rig r;
	char err[96];

	rig_up(&r, 0);
	ck_assert_int_eq(ospf_gr_prepare(r.ospf, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "graceful-restart is not configured under "
			 "router ospf");
	rig_down(&r);

	rig_up_area(&r, 0, 0, " graceful-restart grace-period 60\n");
	r.n2->options = r.n3->options = OSPF_OPT_O;
	ck_assert_int_eq(ospf_gr_prepare(r.ospf, err, sizeof(err)), 2);
	ck_assert(r.ospf->gr.prepared);
	g = ospf_lsdb_lookup(r.ifa->lsdb9, OSPF_LSA_OPAQUE_LINK, 3u << 24,
			     ME);
	ck_assert_ptr_nonnull(g);
	ck_assert(ospf_lsa_is_grace(&g->hdr));
	/* One on each interface, flooded to its neighbour. */
	ck_assert_uint_eq(r.n2->n_rxmt, 1);
	ck_assert_uint_eq(r.n3->n_rxmt, 1);
	ck_assert_int_eq(ospf_grace_decode(g->raw + OSPF_LSA_HDR_LEN,
					   g->hdr.len - OSPF_LSA_HDR_LEN, &gd,
					   err, sizeof(err)), 0);
	ck_assert_uint_eq(gd.period, 60);
	ck_assert_int_eq(gd.reason, 1);
	ck_assert_uint_eq(gd.addr, IP(10, 0, 0, 1));
	rig_down(&r);

	/* After the restart (what the state file says at start). */
	rig_up_area(&r, 0, 0, " graceful-restart grace-period 60\n");
	r.ospf->gr.restarting = true;
	r.n3->state = NBR_STA_EXCHANGE;
	r.area->n_full = 1;
	ospf_router_lsa_originate(r.area);
	ck_assert_ptr_null(ospf_lsdb_lookup(r.area->lsdb, OSPF_LSA_ROUTER, ME,
					    ME));
	/* Our old router-LSA comes back: kept, not flushed nor replaced. */
	ospf_flood_receive(r.n2, old_router_lsa());
	rl = ospf_lsdb_lookup(r.area->lsdb, OSPF_LSA_ROUTER, ME, ME);
	ck_assert_ptr_nonnull(rl);
	ck_assert(!(rl->flags & OSPF_LSA_FLUSHING));
	ck_assert_uint_eq(rl->hdr.seq, OSPF_INITIAL_SEQ + 5);
	/* n3 not Full yet: still restarting. */
	ospf_gr_restart_check(r.ospf);
	ck_assert(r.ospf->gr.restarting);
	ospf_nbr_fsm(r.n3, NBR_EVT_EXCH_DONE);
	ck_assert_uint_eq(r.n3->state, NBR_STA_FULL);
	ck_assert(!r.ospf->gr.restarting);
	ck_assert_str_eq(r.ospf->gr.restart_exit,
			 "all adjacencies re-established");
	rig_down(&r);
}
END_TEST

/* Write `text` to <dir>/<name>. */
static void
put_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static bool
has_file(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* RFC 3623 §2.1: the marker an ospfd that died leaves starts an
 * unplanned restart; ribd holding nothing of ours ends it at once. */
START_TEST(test_gr_unplanned)
{
	char dir[] = "/tmp/check_ospf_gr.XXXXXX", end[32];
	struct ospf_lsa *g;
	struct ospf_grace gd;
	struct rig r;
	char err[96];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	put_file(dir, "ospfd-running", "60\n");
	rig_up_area(&r, 0, 0, " graceful-restart grace-period 60\n");
	ospf_gr_init(r.ospf, dir);
	ck_assert(r.ospf->gr.restarting && r.ospf->gr.unplanned);
	ck_assert(wp_timer_remaining(&r.ospf->gr.restart_timer) <= 60);
	/* The Grace-LSA before the first hello: reason unknown (0). */
	ospf_gr_iface_start(r.ifa);
	ck_assert_uint_eq(r.ospf->gr.grace_sent, 1);
	g = ospf_lsdb_lookup(r.ifa->lsdb9, OSPF_LSA_OPAQUE_LINK, 3u << 24,
			     ME);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(ospf_grace_decode(g->raw + OSPF_LSA_HDR_LEN,
					   g->hdr.len - OSPF_LSA_HDR_LEN, &gd,
					   err, sizeof(err)), 0);
	ck_assert_int_eq(gd.reason, 0);
	ck_assert_uint_le(gd.period, 60);
	ck_assert_uint_eq(gd.addr, IP(10, 0, 0, 1));
	/* ribd holds our routes: the restart goes on; asked once only. */
	ospf_gr_rib_connected(r.ospf, 3);
	ospf_gr_rib_connected(r.ospf, 0);
	ck_assert(r.ospf->gr.restarting);
	/* The configuration keeps the marker; an orderly stop removes it. */
	ospf_gr_conf_changed(r.ospf);
	ck_assert(has_file(dir, "ospfd-running"));
	rig_down(&r);
	ck_assert(!has_file(dir, "ospfd-running"));

	/* ribd holds nothing of ours: the forwarding is gone, so is the
	 * restart, and the Grace-LSA is flushed. */
	put_file(dir, "ospfd-running", "60\n");
	rig_up_area(&r, 0, 0, " graceful-restart grace-period 60\n");
	ospf_gr_init(r.ospf, dir);
	ospf_gr_iface_start(r.ifa);
	ospf_gr_rib_connected(r.ospf, 0);
	ck_assert(!r.ospf->gr.restarting);
	ck_assert_str_eq(r.ospf->gr.restart_exit, "forwarding not preserved "
			 "(ribd holds none of our routes)");
	g = ospf_lsdb_lookup(r.ifa->lsdb9, OSPF_LSA_OPAQUE_LINK, 3u << 24,
			     ME);
	ck_assert(g == NULL || ospf_lsa_age(g, ospf_now()) == OSPF_MAX_AGE);
	rig_down(&r);

	/* A prepared restart's file wins: planned, not unplanned. */
	put_file(dir, "ospfd-running", "60\n");
	snprintf(end, sizeof(end), "%lld\n", (long long)time(NULL) + 50);
	put_file(dir, "ospfd-gr", end);
	rig_up_area(&r, 0, 0, " graceful-restart grace-period 60\n");
	ospf_gr_init(r.ospf, dir);
	ck_assert(r.ospf->gr.restarting && !r.ospf->gr.unplanned);
	ospf_gr_iface_start(r.ifa);
	ck_assert_uint_eq(r.ospf->gr.grace_sent, 0);
	/* Without graceful-restart in the configuration, no marker. */
	ospf_conf_free(r.ospf->conf);
	r.ospf->conf = ospf_conf_parse("router ospf\n", "test");
	put_file(dir, "ospfd-running", "60\n");
	ospf_gr_conf_changed(r.ospf);
	ck_assert(!has_file(dir, "ospfd-running"));
	rig_down(&r);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* §2 (3): named DR by a hello while Waiting, restarting: DR again. */
START_TEST(test_gr_restarting_dr)
{
	struct rig r;

	rig_up(&r, 0);
	r.ifa->type = OSPF_NET_BROADCAST;
	r.ifa->state = IF_STA_WAITING;
	r.ifa->priority = 1;
	r.n2->priority = 1;
	/* Not restarting: the election as usual. */
	ck_assert(!ospf_gr_hello_dr(r.ifa, IP(10, 0, 0, 1)));
	r.ospf->gr.restarting = true;
	/* Another router named DR: nothing to learn. */
	ck_assert(!ospf_gr_hello_dr(r.ifa, IP(10, 0, 0, 2)));
	ck_assert_uint_eq(r.ifa->state, IF_STA_WAITING);
	ck_assert(ospf_gr_hello_dr(r.ifa, IP(10, 0, 0, 1)));
	ck_assert_uint_eq(r.ifa->state, IF_STA_DR);
	ck_assert_uint_eq(r.ifa->dr, IP(10, 0, 0, 1));
	ck_assert(!ospf_gr_hello_dr(r.ifa, IP(10, 0, 0, 1)));
	rig_down(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_flood");
	TCase *tc = tcase_create("receive");

	tcase_add_test(tc, test_new_lsa_flooded_and_acked);
	tcase_add_test(tc, test_older_and_same);
	tcase_add_test(tc, test_min_ls_arrival);
	tcase_add_test(tc, test_bad_lsreq_and_checksum);
	tcase_add_test(tc, test_maxage_and_self);
	tcase_add_test(tc, test_area_types);
	tcase_add_test(tc, test_max_metric);
	tcase_add_test(tc, test_bfd);
	tcase_add_test(tc, test_grace_decode);
	tcase_add_test(tc, test_gr_helper);
	tcase_add_test(tc, test_gr_restart);
	tcase_add_test(tc, test_gr_unplanned);
	tcase_add_test(tc, test_gr_restarting_dr);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
