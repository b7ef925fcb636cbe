/*
 * Unit tests for daemons/bfdd/bfd_session.c: timer math, and two daemons
 * in one process wired back to back through the transmit hook, so the
 * whole protocol runs on real libev timers without sockets:
 *
 *	node 1 (10.0.0.1)  <-- queue, "link" -->  node 2 (10.0.0.2)
 *
 * Packets are queued by the hook and delivered from the test's loop, as a
 * network would, never from inside a send.  Cutting the link drops them.
 * Intervals are 20 ms so everything happens in well under a second.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_buf.h"
#include "wp_mem.h"
#include "wp_vty.h"

#include "bfdd.h"

struct node {
	struct bfd_global bg;
	struct wp_addr addr;
	struct node *peer;
	struct bfd_session *s;
	uint8_t last_flags;		/* of the last packet it sent */
	unsigned int polls_seen;	/* packets with P */
	unsigned int finals_seen;	/* packets with F */
	unsigned int both_seen;		/* packets with P and F: never */
};

struct qpkt {
	struct node *to;
	struct bfd_rx_meta m;
	uint8_t b[BFD_PKT_MAX];
	size_t len;
	bool echo;			/* to bfd_echo_rx() */
	char vrf[IF_NAMESIZE];		/* m.vrf, set at delivery: the
					 * sender may be gone by then */
};

static struct wp_loop *loop;
static struct wp_timer tick;
static struct node n1, n2;
static bool link_up;
static bool red_up;			/* the link in VRF red */
static bool echo_up;			/* the peer loops echo packets back */
static int ttl_out;
static struct qpkt queue[512];
static size_t qlen;

static void
hook(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
	struct node *from = s->bg == &n1.bg ? &n1 : &n2;
	struct qpkt *q;

	from->last_flags = pkt[1] & 0x3f;
	if (pkt[1] & BFD_F_POLL)
		from->polls_seen++;
	if (pkt[1] & BFD_F_FINAL)
		from->finals_seen++;
	if ((pkt[1] & BFD_F_POLL) && (pkt[1] & BFD_F_FINAL))
		from->both_seen++;
	if (!link_up || (s->key.vrf[0] && !red_up) ||
	    qlen == sizeof(queue) / sizeof(queue[0]))
		return;
	q = &queue[qlen++];
	memset(q, 0, sizeof(*q));
	q->to = from->peer;
	/* arrives in the same VRF over there */
	snprintf(q->vrf, sizeof(q->vrf), "%s", s->key.vrf);
	q->m.src = from->addr;
	q->m.dst = from->peer->addr;
	q->m.ttl = ttl_out;
	q->m.multihop = s->key.multihop;
	q->m.sport = 49152;
	memcpy(q->b, pkt, len);
	q->len = len;
}

/* The peer's forwarding plane: our echo packet comes back to us. */
static void
echo_hook(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
	struct node *from = s->bg == &n1.bg ? &n1 : &n2;
	struct qpkt *q;

	size_t hdr = (pkt[0] >> 4) == 6 ? 48 : 28;

	if (!link_up || !echo_up || qlen == sizeof(queue) / sizeof(queue[0]))
		return;
	ck_assert_uint_eq(len, hdr + BFD_ECHO_LEN);
	if (hdr == 48) {
		/* IPv6: hop limit, next header, our address both ways, and
		 * a UDP checksum that sums (with the pseudo-header) to
		 * 0xffff, as a receiver checks it (RFC 8200 §8.1) */
		uint32_t sum = 17 + (uint32_t)(len - 40);

		ck_assert_uint_eq(pkt[6], 17);
		ck_assert_uint_eq(pkt[7], BFD_TTL);
		ck_assert_mem_eq(pkt + 8, &s->echo_src.u.v6, 16);
		ck_assert_mem_eq(pkt + 24, &s->echo_src.u.v6, 16);
		ck_assert_uint_eq(pkt[43], 3785 & 0xff);
		for (size_t i = 8; i + 1 < len; i += 2)
			sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		ck_assert_uint_eq(sum, 0xffff);
	} else {
		ck_assert_uint_eq(pkt[8], BFD_TTL);	/* IPv4 TTL */
		ck_assert_uint_eq(pkt[23], 3785 & 0xff);	/* UDP 3785 */
	}
	q = &queue[qlen++];
	memset(q, 0, sizeof(*q));
	q->to = from;
	q->echo = true;
	q->m.src = s->echo_src;
	q->m.ttl = BFD_TTL - 1;
	memcpy(q->b, pkt + hdr, BFD_ECHO_LEN);
	q->len = BFD_ECHO_LEN;
}

static void
deliver(void)
{
	static struct qpkt batch[512];
	size_t n;

	while (qlen > 0) {
		n = qlen;
		memcpy(batch, queue, n * sizeof(batch[0]));
		qlen = 0;
		for (size_t i = 0; i < n; i++) {
			batch[i].m.vrf = batch[i].vrf;
			if (batch[i].echo)
				bfd_echo_rx(&batch[i].to->bg, batch[i].b,
					    batch[i].len, &batch[i].m);
			else
				bfd_rx(&batch[i].to->bg, batch[i].b,
				       batch[i].len, &batch[i].m);
		}
	}
}

static void
tick_cb(struct wp_timer *t)
{
}

/* Run the loop until cond() or `secs`; returns whether cond() held. */
static bool
run_until(bool (*cond)(void), double secs)
{
	double deadline = wp_monotime() + secs;

	for (;;) {
		deliver();
		if (cond && cond())
			return true;
		if (wp_monotime() >= deadline)
			return false;
		ev_run(wp_loop_ev(loop), EVRUN_ONCE);
	}
}

static void
params(struct bfd_params *p, uint32_t ms, uint8_t mult)
{
	bfd_params_default(p);
	p->tx_ms = p->rx_ms = ms;
	p->detect_mult = mult;
}

static void
node_init(struct node *n, const char *addr, struct node *peer)
{
	bfd_global_init(&n->bg, loop);
	n->bg.tx_hook = hook;
	n->bg.echo_hook = echo_hook;
	ck_assert_int_eq(wp_addr_parse(addr, &n->addr, NULL, 0), 0);
	n->peer = peer;
	n->s = NULL;
	n->last_flags = 0;
	n->polls_seen = n->finals_seen = n->both_seen = 0;
}

static struct bfd_session *
node_session(struct node *n, const struct bfd_params *p, bool multihop)
{
	struct bfd_key k;

	memset(&k, 0, sizeof(k));
	k.peer = n->peer->addr;
	k.multihop = multihop;
	if (multihop)
		k.local = n->addr;
	n->s = bfd_session_new(&n->bg, &k, p);
	return n->s;
}

static void
setup(void)
{
	loop = wp_loop_new();
	wp_timer_init(loop, &tick, "test tick", tick_cb);
	wp_timer_start_periodic(&tick, 0.002, 0);
	node_init(&n1, "10.0.0.1", &n2);
	node_init(&n2, "10.0.0.2", &n1);
	link_up = true;
	red_up = true;
	echo_up = true;
	ttl_out = BFD_TTL;
	qlen = 0;
}

static void
teardown(void)
{
	wp_timer_stop(&tick);
	bfd_global_fini(&n1.bg);
	bfd_global_fini(&n2.bg);
	wp_loop_free(loop);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}

static bool
both_up(void)
{
	return n1.s->state == BFD_STA_UP && n2.s->state == BFD_STA_UP;
}

static bool
both_up_settled(void)
{
	return both_up() && !n1.s->poll && !n2.s->poll;
}

static bool
both_down(void)
{
	return n1.s->state == BFD_STA_DOWN && n2.s->state == BFD_STA_DOWN;
}

static void
pair_up(uint32_t ms, uint8_t mult)
{
	struct bfd_params p;

	params(&p, ms, mult);
	node_session(&n1, &p, false);
	node_session(&n2, &p, false);
	ck_assert(run_until(both_up_settled, 3.0));
}

/* --- timer math --------------------------------------------------------- */

START_TEST(test_tx_interval)
{
	struct bfd_session s;

	memset(&s, 0, sizeof(s));
	s.tx_eff = 100000;
	s.remote_min_rx = 1;		/* §6.8.1 initial value */
	ck_assert_uint_eq(bfd_tx_interval(&s), 100000);
	s.remote_min_rx = 300000;	/* the peer is slower */
	ck_assert_uint_eq(bfd_tx_interval(&s), 300000);
	s.remote_min_rx = 0;		/* the peer wants nothing */
	ck_assert_uint_eq(bfd_tx_interval(&s), 0);
}
END_TEST

START_TEST(test_detect_time)
{
	struct bfd_session s;

	memset(&s, 0, sizeof(s));
	s.rx_eff = 50000;
	ck_assert_uint_eq(bfd_detect_time(&s), 0);	/* peer not heard */
	s.remote_detect_mult = 3;
	s.remote_des_min_tx = 100000;
	ck_assert_uint_eq(bfd_detect_time(&s), 300000);
	s.rx_eff = 200000;		/* we cannot take it faster */
	ck_assert_uint_eq(bfd_detect_time(&s), 600000);
	s.remote_detect_mult = 255;
	s.remote_des_min_tx = 0xffffffffu;
	ck_assert_uint_eq(bfd_detect_time(&s), 255ull * 0xffffffffull);
}
END_TEST

START_TEST(test_jitter_bounds)
{
	static const uint64_t ivs[] = { 1000, 10000, 100000, 1000000,
					60000000 };

	srandom(7);
	for (size_t i = 0; i < sizeof(ivs) / sizeof(ivs[0]); i++) {
		uint64_t iv = ivs[i];

		/* the ends of the random range */
		ck_assert_uint_eq(bfd_jittered(iv, 3, 0), iv);
		ck_assert_uint_eq(bfd_jittered(iv, 1, 0), iv * 90 / 100);
		ck_assert_uint_gt(bfd_jittered(iv, 3, 0xffffffffu),
				  iv * 75 / 100);
		ck_assert_uint_gt(bfd_jittered(iv, 1, 0xffffffffu),
				  iv * 75 / 100);
		for (int k = 0; k < 10000; k++) {
			uint32_t r = ((uint32_t)random() << 16) ^
				     (uint32_t)random();
			uint64_t j3 = bfd_jittered(iv, 3, r);
			uint64_t j1 = bfd_jittered(iv, 1, r);

			/* §6.8.7: 75-100%, and 75-90% for detect mult 1 */
			ck_assert_uint_ge(j3 * 100, iv * 75);
			ck_assert_uint_le(j3, iv);
			ck_assert_uint_ge(j1 * 100, iv * 75);
			ck_assert_uint_le(j1 * 100, iv * 90);
		}
	}
}
END_TEST

/* --- two nodes --------------------------------------------------------- */

START_TEST(test_up)
{
	pair_up(20, 3);
	ck_assert_uint_eq(n1.s->remote_disc, n2.s->local_disc);
	ck_assert_uint_eq(n2.s->remote_disc, n1.s->local_disc);
	/* going Up switched to the fast timers through a poll (§6.8.3) */
	ck_assert_uint_eq(n1.s->des_min_tx, 20000);
	ck_assert_uint_eq(n1.s->tx_eff, 20000);
	ck_assert_uint_eq(bfd_tx_interval(n1.s), 20000);
	ck_assert_uint_eq(bfd_detect_time(n1.s), 60000);
	ck_assert_uint_ge(n1.s->cnt.polls, 1);
	ck_assert_uint_ge(n1.s->cnt.finals_rx, 1);
	ck_assert_uint_ge(n2.s->cnt.finals_tx, 1);
	ck_assert_uint_eq(n1.both_seen + n2.both_seen, 0);
	ck_assert_uint_eq(n1.s->cnt.up_count, 1);
	ck_assert_int_eq(n1.s->history[(n1.s->nhistory - 1) % BFD_HISTORY].to,
			 BFD_STA_UP);
	/* inter-arrival: periodic packets at the Up rate.  Timers fire at
	 * 75-100% of 20 ms (test_jitter_bounds checks the arithmetic) and
	 * never early, but may fire late on a busy machine: only the
	 * average is checked, against not-early and not the 1 s slow rate
	 * with a wide margin. */
	ck_assert(run_until(NULL, 0.3) == false);
	ck_assert_uint_gt(n1.s->rxs.samples, 5);
	ck_assert_uint_ge(n1.s->rxs.sum_us / n1.s->rxs.samples, 14000);
	ck_assert_uint_le(n1.s->rxs.sum_us / n1.s->rxs.samples, 200000);
	/* the sender's half: its periodic packets, never early */
	ck_assert_uint_gt(n1.s->txs.samples, 5);
	ck_assert_uint_ge(n1.s->txs.max_us, 15000);
}
END_TEST

/* `show bfd peers` runs in steps (wp_vty_continue()): every session
 * once, in the order of the peer as text, JSON and text alike. */
START_TEST(test_show_peers_steps)
{
	static const char *want[] = { "10.0.0.10", "10.0.0.2", "10.0.0.9" };
	struct wp_vty *vty = wp_vty_new(loop, "bfdd");
	json_object *top, *arr, *v;
	struct bfd_params p;
	struct bfd_key k;
	char *out = NULL, *a, *b, *c;

	pair_up(1000, 3);
	params(&p, 1000, 3);
	for (int i = 0; i < 2; i++) {
		memset(&k, 0, sizeof(k));
		ck_assert_int_eq(wp_addr_parse(i ? "10.0.0.9" : "10.0.0.10",
					       &k.peer, NULL, 0), 0);
		ck_assert_ptr_nonnull(bfd_session_new(&n1.bg, &k, &p));
	}
	ck_assert_int_eq(bfd_vty_install(vty, &n1.bg), 0);
	ck_assert_int_eq(wp_vty_exec(vty, "show bfd peers json", &out),
			 WP_VTY_OK);
	top = json_tokener_parse(out);
	ck_assert_ptr_nonnull(top);
	ck_assert(json_object_object_get_ex(top, "peers", &arr));
	ck_assert_uint_eq(json_object_array_length(arr), 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert(json_object_object_get_ex(
			json_object_array_get_idx(arr, i), "peer", &v));
		ck_assert_str_eq(json_object_get_string(v), want[i]);
	}
	json_object_put(top);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show bfd peers", &out), WP_VTY_OK);
	a = strstr(out, "peer 10.0.0.10 ");
	b = strstr(out, "peer 10.0.0.2 ");
	c = strstr(out, "peer 10.0.0.9 ");
	ck_assert(a && b && c && a < b && b < c);
	wp_free(MT_STRING, out);
	wp_vty_free(vty);
}
END_TEST

/* Inter-arrival counts from when packets reached the host (the kernel's
 * receive timestamp, bfd_rx_meta.arrival), not from when bfdd read them:
 * three packets read at once after a stall still show the peer's 40 ms
 * spacing. */
START_TEST(test_interarrival_from_arrival)
{
	struct bfd_rx_meta m;
	struct bfd_pkt bp;
	struct wp_wbuf w;
	uint8_t pkt[64];
	double now;

	pair_up(1000, 3);
	bfd_session_clear_counters(n1.s);
	memset(&bp, 0, sizeof(bp));
	bp.version = BFD_VERSION;
	bp.state = BFD_STA_UP;
	bp.detect_mult = n2.s->detect_mult;
	bp.my_disc = n2.s->local_disc;
	bp.your_disc = n1.s->local_disc;
	bp.des_min_tx = n2.s->des_min_tx;
	bp.req_min_rx = n2.s->req_min_rx;
	wp_wbuf_init_fixed(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(bfd_pkt_encode(&w, &bp), 0);
	memset(&m, 0, sizeof(m));
	m.src = n2.addr;
	m.ttl = BFD_TTL;
	now = wp_monotime();
	for (int i = 0; i < 3; i++) {
		m.arrival = now - 0.2 + 0.04 * i;
		bfd_rx(&n1.bg, pkt, wp_wbuf_len(&w), &m);
	}
	ck_assert_uint_eq(n1.s->cnt.rx_pkts, 3);
	ck_assert_uint_eq(n1.s->rxs.samples, 2);
	ck_assert_uint_ge(n1.s->rxs.min_us, 39000);
	ck_assert_uint_le(n1.s->rxs.max_us, 41000);
	/* without a timestamp: when it was read */
	m.arrival = 0;
	bfd_rx(&n1.bg, pkt, wp_wbuf_len(&w), &m);
	ck_assert_uint_eq(n1.s->rxs.samples, 3);
	ck_assert_uint_ge(n1.s->rxs.max_us, 100000);
	ck_assert_uint_eq(n1.s->state, BFD_STA_UP);
}
END_TEST

/* A periodic packet that goes out more than 1.5 intervals after the
 * last is counted: the loop held up for 40 ms (20 ms interval; the
 * detection time is 200 ms, so the session stays Up). */
START_TEST(test_tx_gaps)
{
	uint64_t before;

	pair_up(20, 10);
	ck_assert(run_until(NULL, 0.1) == false);
	before = n1.s->txs.long_gaps;
	usleep(40000);
	ck_assert(run_until(NULL, 0.05) == false);
	ck_assert_int_eq(n1.s->state, BFD_STA_UP);
	ck_assert_uint_gt(n1.s->txs.long_gaps, before);
	ck_assert_uint_ge(n1.s->txs.max_us, 40000);
	bfd_session_clear_counters(n1.s);
	ck_assert_uint_eq(n1.s->txs.samples, 0);
	ck_assert_uint_eq(n1.s->txs.max_us, 0);
}
END_TEST

/* §6.8.3: not Up, never faster than one packet a second. */
START_TEST(test_slow_when_down)
{
	struct bfd_params p;
	uint64_t before;

	link_up = false;
	params(&p, 20, 3);
	node_session(&n1, &p, false);
	ck_assert_uint_eq(n1.s->des_min_tx, BFD_SLOW_TX_US);
	run_until(NULL, 0.1);
	before = n1.s->cnt.tx_pkts;
	ck_assert_uint_eq(before, 1);
	run_until(NULL, 0.5);
	ck_assert_uint_eq(n1.s->cnt.tx_pkts, before);
}
END_TEST

static bool
n1_poll_done(void)
{
	return !n1.s->poll;
}

/* A parameter change while Up runs a poll sequence and never flaps. */
START_TEST(test_param_change_no_flap)
{
	struct bfd_params p;

	pair_up(20, 3);
	/* slower transmission, faster reception: both must wait */
	params(&p, 60, 3);
	p.rx_ms = 10;
	bfd_session_set_params(n1.s, &p);
	ck_assert(n1.s->poll);
	ck_assert_uint_eq(n1.s->des_min_tx, 60000);
	ck_assert_uint_eq(n1.s->tx_eff, 20000);		/* old until Final */
	ck_assert_uint_eq(n1.s->req_min_rx, 10000);
	ck_assert_uint_eq(n1.s->rx_eff, 20000);		/* old until Final */
	ck_assert(n1.last_flags & BFD_F_POLL);
	ck_assert(run_until(n1_poll_done, 1.0));
	ck_assert_uint_eq(n1.s->tx_eff, 60000);
	ck_assert_uint_eq(n1.s->rx_eff, 10000);
	/* the peer now transmits every 20 ms, detects in 3 x 60 ms */
	ck_assert_uint_eq(bfd_tx_interval(n2.s), 20000);
	ck_assert_uint_eq(bfd_detect_time(n2.s), 180000);
	ck_assert_uint_eq(bfd_detect_time(n1.s), 60000);
	run_until(NULL, 0.3);
	/* faster again, and a new detect multiplier */
	params(&p, 10, 2);
	bfd_session_set_params(n1.s, &p);
	ck_assert_uint_eq(n1.s->tx_eff, 10000);		/* faster: at once */
	ck_assert(run_until(n1_poll_done, 1.0));
	run_until(NULL, 0.3);
	/* 2 x max(the peer's 20 ms receive, our 10 ms transmit) */
	ck_assert_uint_eq(bfd_detect_time(n2.s), 40000);
	ck_assert(both_up());
	ck_assert_uint_eq(n1.s->cnt.down_count + n2.s->cnt.down_count, 0);
	ck_assert_uint_eq(n1.both_seen + n2.both_seen, 0);
	ck_assert_uint_ge(n1.s->cnt.polls, 3);
}
END_TEST

static double
last_change_to(const struct bfd_session *s, enum bfd_state st)
{
	for (unsigned int i = 0; i < s->nhistory && i < BFD_HISTORY; i++) {
		const struct bfd_transition *h =
			&s->history[(s->nhistory - 1 - i) % BFD_HISTORY];

		if (h->to == st)
			return h->when;
	}
	return 0;
}

/* A cut is detected within detect mult x interval (+ one interval). */
START_TEST(test_detection)
{
	double t0, d1, d2;

	pair_up(20, 3);
	run_until(NULL, 0.1);
	t0 = wp_monotime();
	link_up = false;
	ck_assert(run_until(both_down, 1.0));
	d1 = last_change_to(n1.s, BFD_STA_DOWN) - t0;
	d2 = last_change_to(n2.s, BFD_STA_DOWN) - t0;
	ck_assert_double_le(d1, 0.080);
	ck_assert_double_le(d2, 0.080);
	/* not before the Detection Time less one interval either */
	ck_assert_double_ge(d1, 0.040);
	ck_assert_int_eq(n1.s->local_diag, BFD_DIAG_CTL_EXPIRED);
	ck_assert_uint_eq(n1.s->remote_disc, 0);	/* §6.8.1 */
	ck_assert_uint_eq(n1.s->cnt.down_count, 1);
	/* and back */
	link_up = true;
	ck_assert(run_until(both_up_settled, 3.0));
	ck_assert_uint_eq(n1.s->cnt.up_count, 2);
}
END_TEST

/*
 * The same addresses in the default VRF and in VRF red: two sessions on
 * each side, told apart by the VRF the packets arrive in; cutting red's
 * link takes down only the red ones.
 */
static struct bfd_session *red1, *red2;

static bool
all_four_up(void)
{
	return both_up_settled() && red1->state == BFD_STA_UP &&
	       red2->state == BFD_STA_UP;
}

static bool
reds_down(void)
{
	return red1->state == BFD_STA_DOWN && red2->state == BFD_STA_DOWN;
}

START_TEST(test_vrf_sessions)
{
	struct bfd_session *def1;
	struct bfd_params p;
	struct bfd_rx_meta m;
	struct bfd_key k;
	uint8_t pkt[BFD_PKT_MAX];
	struct wp_wbuf w;
	struct bfd_pkt bp;

	params(&p, 20, 3);
	red1 = NULL;
	memset(&k, 0, sizeof(k));
	k.peer = n2.addr;
	snprintf(k.vrf, sizeof(k.vrf), "red");
	red1 = bfd_session_new(&n1.bg, &k, &p);
	k.peer = n1.addr;
	red2 = bfd_session_new(&n2.bg, &k, &p);
	pair_up(20, 3);
	def1 = n1.s;
	ck_assert(run_until(all_four_up, 3.0));
	ck_assert_ptr_ne(red1, def1);
	ck_assert_ptr_nonnull(red1->vrf);
	ck_assert_ptr_null(def1->vrf);
	ck_assert_uint_eq(red1->remote_disc, red2->local_disc);
	ck_assert_uint_eq(def1->remote_disc, n2.s->local_disc);
	/* lookup by key: the VRF is part of it */
	k.peer = n2.addr;
	ck_assert_ptr_eq(bfd_session_find(&n1.bg, &k), red1);
	k.vrf[0] = '\0';
	ck_assert_ptr_eq(bfd_session_find(&n1.bg, &k), def1);
	snprintf(k.vrf, sizeof(k.vrf), "blue");
	ck_assert_ptr_null(bfd_session_find(&n1.bg, &k));
	ck_assert_ptr_eq(bfd_vrf_find(&n1.bg, "red"), red1->vrf);
	ck_assert_uint_eq(red1->vrf->nsessions, 1);

	/* The default session's discriminator arriving in red is not
	 * the default session's packet. */
	memset(&bp, 0, sizeof(bp));
	bp.version = BFD_VERSION;
	bp.state = BFD_STA_UP;
	bp.detect_mult = 3;
	bp.my_disc = 77;
	bp.your_disc = def1->local_disc;
	bp.des_min_tx = bp.req_min_rx = 20000;
	wp_wbuf_init_fixed(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(bfd_pkt_encode(&w, &bp), 0);
	memset(&m, 0, sizeof(m));
	m.src = n2.addr;
	m.ttl = BFD_TTL;
	m.vrf = "red";
	bfd_rx(&n1.bg, pkt, wp_wbuf_len(&w), &m);
	ck_assert_uint_eq(n1.bg.cnt.rx_errors[BFD_RXE_NO_SESSION], 1);
	ck_assert_uint_ne(def1->remote_disc, 77);

	/* Cut red: only the red sessions go down. */
	red_up = false;
	ck_assert(run_until(reds_down, 1.0));
	ck_assert(both_up());
	ck_assert_int_eq(red1->local_diag, BFD_DIAG_CTL_EXPIRED);
	red_up = true;
	ck_assert(run_until(all_four_up, 3.0));

	/* The VRF goes with its last session. */
	bfd_session_free(red1);
	ck_assert_ptr_null(bfd_vrf_find(&n1.bg, "red"));
}
END_TEST

START_TEST(test_admin_down)
{
	struct bfd_params p;

	pair_up(20, 3);
	params(&p, 20, 3);
	p.shutdown = true;
	bfd_session_set_params(n1.s, &p);
	ck_assert_int_eq(n1.s->state, BFD_STA_ADMIN_DOWN);
	ck_assert_int_eq(n1.s->local_diag, BFD_DIAG_ADMIN_DOWN);
	run_until(NULL, 0.2);
	ck_assert_int_eq(n2.s->state, BFD_STA_DOWN);
	ck_assert_int_eq(n2.s->local_diag, BFD_DIAG_NBR_DOWN);
	ck_assert_int_eq(n2.s->remote_state, BFD_STA_ADMIN_DOWN);
	/* packets to an AdminDown session are discarded and counted */
	ck_assert_uint_gt(n1.s->cnt.rx_errors[BFD_RXE_ADMIN_DOWN], 0);
	p.shutdown = false;
	bfd_session_set_params(n1.s, &p);
	ck_assert(run_until(both_up_settled, 3.0));
}
END_TEST

/* Deleting a session tells the peer it was administrative. */
START_TEST(test_delete)
{
	pair_up(20, 3);
	bfd_session_delete(n1.s);
	n1.s = NULL;
	deliver();
	ck_assert_int_eq(n2.s->state, BFD_STA_DOWN);
	ck_assert_int_eq(n2.s->local_diag, BFD_DIAG_NBR_DOWN);
	ck_assert_int_eq(n2.s->remote_state, BFD_STA_ADMIN_DOWN);
	ck_assert_uint_eq(n1.bg.nsessions, 0);
}
END_TEST

/* §6.8.7: a passive session says nothing until it has heard the peer. */
START_TEST(test_passive)
{
	struct bfd_params p;

	link_up = false;
	params(&p, 20, 3);
	p.passive = true;
	node_session(&n1, &p, false);
	run_until(NULL, 0.2);
	ck_assert_uint_eq(n1.s->cnt.tx_pkts, 0);
	link_up = true;
	params(&p, 20, 3);
	node_session(&n2, &p, false);
	ck_assert(run_until(both_up_settled, 3.0));
	ck_assert_uint_gt(n1.s->cnt.tx_pkts, 0);
}
END_TEST

static size_t
raw(uint8_t *b, uint8_t state, uint32_t my, uint32_t your)
{
	struct bfd_pkt p;
	struct wp_wbuf w;

	memset(&p, 0, sizeof(p));
	p.state = state;
	p.detect_mult = 3;
	p.my_disc = my;
	p.your_disc = your;
	p.des_min_tx = p.req_min_rx = 20000;
	wp_wbuf_init_fixed(&w, b, BFD_PKT_MAX);
	bfd_pkt_encode(&w, &p);
	return wp_wbuf_len(&w);
}

/* The session half of §6.8.6 and RFC 5881/5883 §5, counted. */
START_TEST(test_rx_checks)
{
	struct bfd_params p;
	struct bfd_rx_meta m;
	struct bfd_session *mh;
	struct bfd_key k;
	uint8_t b[BFD_PKT_MAX];
	size_t len;

	link_up = false;
	params(&p, 20, 3);
	node_session(&n1, &p, false);
	memset(&m, 0, sizeof(m));
	m.src = n2.addr;
	m.dst = n1.addr;
	m.ttl = BFD_TTL;

	/* unknown Your Discriminator */
	len = raw(b, BFD_STA_UP, 77, 12345);
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_uint_eq(n1.bg.cnt.rx_errors[BFD_RXE_NO_SESSION], 1);
	/* Your Discriminator 0 from an address with no session */
	len = raw(b, BFD_STA_DOWN, 77, 0);
	m.src.u.bytes[3] = 9;
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_uint_eq(n1.bg.cnt.rx_errors[BFD_RXE_NO_SESSION], 2);
	m.src = n2.addr;
	/* single hop: TTL must be 255 */
	m.ttl = 254;
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_uint_eq(n1.s->cnt.rx_errors[BFD_RXE_TTL], 1);
	ck_assert_uint_eq(n1.bg.cnt.rx_errors[BFD_RXE_TTL], 1);
	ck_assert_int_eq(n1.s->state, BFD_STA_DOWN);
	/* a decode error from the peer's address counts for its session */
	m.ttl = BFD_TTL;
	b[2] = 0;
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_uint_eq(n1.s->cnt.rx_errors[BFD_RXE_DETECT_MULT], 1);
	/* a good one: Down -> Init */
	len = raw(b, BFD_STA_DOWN, 77, 0);
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_int_eq(n1.s->state, BFD_STA_INIT);
	ck_assert_uint_eq(n1.s->remote_disc, 77);
	ck_assert_uint_eq(n1.s->cnt.rx_pkts, 1);
	/* authentication on a session without it */
	b[1] |= BFD_F_AUTH;
	b[3] = 24 + 5;
	memcpy(b + 24, "\x01\x05\x01pw", 5);
	bfd_rx(&n1.bg, b, 29, &m);
	ck_assert_uint_eq(n1.s->cnt.rx_errors[BFD_RXE_AUTH_UNEXPECTED], 1);

	/* multihop: minimum TTL, and a discriminator on the wrong port */
	memset(&k, 0, sizeof(k));
	k.peer = n2.addr;
	k.local = n1.addr;
	k.multihop = true;
	p.min_ttl = 250;
	mh = bfd_session_new(&n1.bg, &k, &p);
	m.multihop = true;
	m.ttl = 249;
	len = raw(b, BFD_STA_DOWN, 78, 0);
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_uint_eq(mh->cnt.rx_errors[BFD_RXE_TTL], 1);
	m.ttl = 250;
	bfd_rx(&n1.bg, b, len, &m);
	ck_assert_int_eq(mh->state, BFD_STA_INIT);
	len = raw(b, BFD_STA_INIT, 77, n1.s->local_disc);
	bfd_rx(&n1.bg, b, len, &m);	/* single-hop disc on port 4784 */
	ck_assert_uint_eq(n1.bg.cnt.rx_errors[BFD_RXE_NO_SESSION], 3);
	ck_assert_int_eq(n1.s->state, BFD_STA_INIT);
}
END_TEST

static void
auth(struct bfd_params *p, uint8_t type, const char *key)
{
	p->auth.type = type;
	p->auth.key_id = 1;
	p->auth.key_len = (uint8_t)strlen(key);
	memcpy(p->auth.key, key, p->auth.key_len);
}

START_TEST(test_auth_pair)
{
	struct bfd_params p1, p2;
	uint8_t type = (uint8_t)(_i + 1);	/* every type */

	params(&p1, 20, 3);
	auth(&p1, type, "sesame");
	p2 = p1;
	node_session(&n1, &p1, false);
	node_session(&n2, &p2, false);
	ck_assert(run_until(both_up_settled, 3.0));
	ck_assert(n1.s->auth_seq_known || type == BFD_AUTH_SIMPLE);
	/* a wrong key on one side: both go down, the errors say why */
	auth(&p2, type, "sesamE");
	bfd_session_set_params(n2.s, &p2);
	ck_assert(run_until(both_down, 1.0));
	ck_assert_uint_gt(n1.s->cnt.rx_errors[type == BFD_AUTH_SIMPLE ?
					      BFD_RXE_AUTH_PASSWORD :
					      BFD_RXE_AUTH_DIGEST], 0);
	/* and the right one again */
	bfd_session_set_params(n2.s, &p1);
	ck_assert(run_until(both_up_settled, 3.0));
}
END_TEST

/* Detect mult 1 comes up and stays up: with 75-90% jitter (§6.8.7)
 * the packets always beat the 1 x interval detection time, here by
 * 100 ms, a margin a busy test machine does not eat. */
START_TEST(test_detect_mult_one)
{
	pair_up(1000, 1);
	run_until(NULL, 3.0);
	ck_assert(both_up());
	ck_assert_uint_eq(n1.s->cnt.down_count + n2.s->cnt.down_count, 0);
	ck_assert_uint_ge(n1.s->rxs.samples, 2);
}
END_TEST

static bool
both_echo(void)
{
	return n1.s->echo_active && n2.s->echo_active &&
	       n1.s->echo.rtt_samples > 3 && n2.s->echo.rtt_samples > 3;
}

static double echo_t0;

/* A transition to Down for echo failure since echo_t0, or 0. */
static double
echo_failed_at(const struct bfd_session *s)
{
	for (unsigned int i = 0; i < s->nhistory && i < BFD_HISTORY; i++) {
		const struct bfd_transition *h =
			&s->history[(s->nhistory - 1 - i) % BFD_HISTORY];

		if (h->when >= echo_t0 && h->to == BFD_STA_DOWN &&
		    h->diag == BFD_DIAG_ECHO_FAILED)
			return h->when;
	}
	return 0;
}

static bool
echo_failed(void)
{
	return echo_failed_at(n1.s) > 0 || echo_failed_at(n2.s) > 0;
}

/* §6.4, §6.8.5, §6.8.9: echo at the agreed rate, and its failure takes
 * the session down with diagnostic 2 while control packets still flow. */
START_TEST(test_echo)
{
	struct bfd_params p;
	struct bfd_session *first;
	double t0, d;

	params(&p, 100, 3);
	p.echo_mode = true;
	p.echo_tx_ms = 20;
	p.echo_rx_ms = 30;
	node_session(&n1, &p, false);
	node_session(&n2, &p, false);
	ck_assert(run_until(both_up_settled, 3.0));
	ck_assert_uint_eq(n1.s->remote_min_echo_rx, 30000);
	ck_assert(run_until(both_echo, 2.0));
	/* max(our 20 ms, the peer's 30 ms) */
	ck_assert_uint_eq(bfd_echo_interval(n1.s), 30000);
	ck_assert_uint_ge(n1.s->echo.rx + 1, n1.s->echo.tx);
	ck_assert_uint_le(n1.s->echo.rtt_max_us, 100000);

	echo_t0 = t0 = wp_monotime();
	echo_up = false;
	/* Control packets still flow, so the session comes straight back
	 * up: the history says what happened. */
	ck_assert(run_until(echo_failed, 1.0));
	first = echo_failed_at(n1.s) > 0 ? n1.s : n2.s;
	d = echo_failed_at(first) - t0;
	/* 3 x 30 ms after the last echo came back, so at most that */
	ck_assert_double_le(d, 0.090 + 0.030);
	ck_assert_double_ge(d, 0.090 * 0.75 - 0.030);
	echo_up = true;
	ck_assert(run_until(both_up_settled, 3.0));
	ck_assert(run_until(both_echo, 2.0));
}
END_TEST

/* The same over IPv6 (RFC 5881 §4). */
START_TEST(test_echo_ipv6)
{
	struct bfd_params p;

	ck_assert_int_eq(wp_addr_parse("fd00:12::1", &n1.addr, NULL, 0), 0);
	ck_assert_int_eq(wp_addr_parse("fd00:12::2", &n2.addr, NULL, 0), 0);
	params(&p, 100, 3);
	p.echo_mode = true;
	p.echo_tx_ms = p.echo_rx_ms = 20;
	node_session(&n1, &p, false);
	node_session(&n2, &p, false);
	ck_assert(run_until(both_up_settled, 3.0));
	ck_assert(run_until(both_echo, 2.0));
	ck_assert_uint_eq(n1.s->echo_src.family, AF_INET6);
	ck_assert_uint_ge(n1.s->echo.rx + 1, n1.s->echo.tx);
	echo_t0 = wp_monotime();
	echo_up = false;
	ck_assert(run_until(echo_failed, 1.0));
	echo_up = true;
	ck_assert(run_until(both_up_settled, 3.0));
}
END_TEST

/* A link-local IPv6 peer runs no echo (RFC 5881 §4: redirects). */
START_TEST(test_echo_ipv6_link_local)
{
	struct bfd_params p;

	ck_assert_int_eq(wp_addr_parse("fe80::1", &n1.addr, NULL, 0), 0);
	ck_assert_int_eq(wp_addr_parse("fe80::2", &n2.addr, NULL, 0), 0);
	params(&p, 20, 3);
	p.echo_mode = true;
	node_session(&n1, &p, false);
	node_session(&n2, &p, false);
	ck_assert(run_until(both_up_settled, 3.0));
	run_until(NULL, 0.2);
	ck_assert_uint_eq(n1.s->remote_min_echo_rx, 0);
	ck_assert(!n1.s->echo_active && !n2.s->echo_active);
}
END_TEST

/* No echo toward a peer that advertises Required Min Echo RX 0. */
START_TEST(test_echo_peer_unwilling)
{
	struct bfd_params p;

	params(&p, 20, 3);
	p.echo_mode = true;
	node_session(&n1, &p, false);
	p.echo_mode = false;
	node_session(&n2, &p, false);
	ck_assert(run_until(both_up_settled, 3.0));
	run_until(NULL, 0.2);
	ck_assert_uint_eq(n1.s->remote_min_echo_rx, 0);
	ck_assert(!n1.s->echo_active);
	ck_assert_uint_eq(n1.s->echo.tx, 0);
	/* n2 would, but n2 has echo-mode off */
	ck_assert_uint_eq(n2.s->remote_min_echo_rx, BFD_DEF_ECHO_MS * 1000);
	ck_assert(!n2.s->echo_active);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bfd_session");
	TCase *math = tcase_create("math");
	TCase *tc = tcase_create("pair");
	SRunner *sr;
	int failed;

	tcase_add_test(math, test_tx_interval);
	tcase_add_test(math, test_detect_time);
	tcase_add_test(math, test_jitter_bounds);
	suite_add_tcase(s, math);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_up);
	tcase_add_test(tc, test_tx_gaps);
	tcase_add_test(tc, test_interarrival_from_arrival);
	tcase_add_test(tc, test_show_peers_steps);
	tcase_add_test(tc, test_slow_when_down);
	tcase_add_test(tc, test_param_change_no_flap);
	tcase_add_test(tc, test_detection);
	tcase_add_test(tc, test_vrf_sessions);
	tcase_add_test(tc, test_admin_down);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_passive);
	tcase_add_test(tc, test_echo_ipv6);
	tcase_add_test(tc, test_echo_ipv6_link_local);
	tcase_add_test(tc, test_rx_checks);
	tcase_add_loop_test(tc, test_auth_pair, 0, BFD_AUTH_MAX - 1);
	tcase_add_test(tc, test_detect_mult_one);
	tcase_add_test(tc, test_echo);
	tcase_add_test(tc, test_echo_peer_unwilling);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
