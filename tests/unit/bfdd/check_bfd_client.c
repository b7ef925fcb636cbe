/*
 * Unit tests for daemons/bfdd/bfd_client.c: the bfdd.sock API over a real
 * socket in a mkdtemp() directory, bfdd and its clients in one loop.
 * Registration and shared sessions, bad messages, the grace period after
 * a client is lost, resync after a reconnect, state notifications and
 * flap dampening (driven by packets handed to bfd_rx()).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/proto/bfd.pb-c.h"
#include "lib/proto/ipc.pb-c.h"
#include "wp_bfd.h"
#include "wp_bfdclient.h"
#include "wp_buf.h"
#include "wp_ipc.h"

#include "bfdd.h"

struct tclient {
	const char *name;
	struct wp_ipc_client *cl;
	bool acked;
	unsigned int statuses;
	unsigned int errors;
	Wp__Bfd__State last_state;
	bool last_dampened;
	char last_peer[64];
	uint32_t last_disc;
};

static struct wp_loop *loop;
static struct bfd_global bg;
static char dir[] = "/tmp/check_bfd_client.XXXXXX";
static char path[128];

static void
no_tx(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
}

/* --- the test client ---------------------------------------------------- */

static int
cli_ack(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	struct tclient *t = wp_ipc_conn_arg(c);

	t->acked = true;
	return 0;
}

static int
cli_status(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	   ProtobufCMessage *msg)
{
	struct tclient *t = wp_ipc_conn_arg(c);
	Wp__Bfd__PeerStatus *m = (Wp__Bfd__PeerStatus *)msg;

	t->statuses++;
	t->last_state = m->state;
	t->last_dampened = m->dampened;
	t->last_disc = m->local_discriminator;
	snprintf(t->last_peer, sizeof(t->last_peer), "%s", m->key->peer);
	return 0;
}

static int
cli_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	  ProtobufCMessage *msg)
{
	struct tclient *t = wp_ipc_conn_arg(c);

	t->errors++;
	return 0;
}

static const struct wp_ipc_handler cli_handlers[] = {
	{ WP_IPC_HELLO_ACK, &wp__ipc__hello_ack__descriptor, cli_ack },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, cli_error },
	{ WP_BFD_PEER_STATUS, &wp__bfd__peer_status__descriptor, cli_status },
	WP_IPC_HANDLER_END,
};

static void
cli_hello(struct wp_ipc_conn *c)
{
	struct tclient *t = wp_ipc_conn_arg(c);
	Wp__Ipc__Hello m = WP__IPC__HELLO__INIT;

	m.daemon = (char *)(uintptr_t)t->name;
	m.pid = (uint32_t)getpid();
	wp_ipc_send(c, WP_IPC_HELLO, &m.base);
}

static void
tclient_start(struct tclient *t, const char *name, bool hello)
{
	struct wp_ipc_callbacks cb = { .on_connect = hello ? cli_hello : NULL,
				       .arg = t };

	memset(t, 0, sizeof(*t));
	t->name = name;
	t->cl = wp_ipc_client_new(loop, path, cli_handlers, &cb);
}

static void
tclient_stop(struct tclient *t)
{
	wp_ipc_client_free(t->cl);
	t->cl = NULL;
}

static const char *key_vrf = "";	/* of the keys send_key() sends */

static void
send_key(struct tclient *t, uint16_t type, const char *peer,
	 const char *profile)
{
	Wp__Bfd__PeerKey k = WP__BFD__PEER_KEY__INIT;
	Wp__Bfd__PeerRegister r = WP__BFD__PEER_REGISTER__INIT;
	Wp__Bfd__PeerDeregister d = WP__BFD__PEER_DEREGISTER__INIT;

	k.peer = (char *)(uintptr_t)peer;
	k.vrf = (char *)(uintptr_t)key_vrf;
	if (type == WP_BFD_PEER_REGISTER) {
		r.key = &k;
		r.profile = (char *)(uintptr_t)(profile ? profile : "");
		r.transmit_interval_ms = 50;
		ck_assert_int_eq(wp_ipc_client_send(t->cl, type, &r.base), 0);
	} else {
		d.key = &k;
		ck_assert_int_eq(wp_ipc_client_send(t->cl, type, &d.base), 0);
	}
}

static void
send_done(struct tclient *t)
{
	Wp__Bfd__RegisterDone m = WP__BFD__REGISTER_DONE__INIT;

	ck_assert_int_eq(wp_ipc_client_send(t->cl, WP_BFD_REGISTER_DONE,
					    &m.base), 0);
}

/* --- loop helpers -------------------------------------------------------- */

static struct wp_timer tick;

static void
tick_cb(struct wp_timer *t)
{
}

static bool
run_until(bool (*cond)(void *), void *arg, double secs)
{
	double deadline = wp_monotime() + secs;

	for (;;) {
		if (cond && cond(arg))
			return true;
		if (wp_monotime() >= deadline)
			return false;
		ev_run(wp_loop_ev(loop), EVRUN_ONCE);
	}
}

static bool
acked(void *arg)
{
	return ((struct tclient *)arg)->acked;
}

static unsigned int want_n;

static bool
statuses(void *arg)
{
	return ((struct tclient *)arg)->statuses >= want_n;
}

static bool
errors(void *arg)
{
	return ((struct tclient *)arg)->errors >= want_n;
}

static void
wait_statuses(struct tclient *t, unsigned int n)
{
	want_n = n;
	ck_assert_msg(run_until(statuses, t, 2.0), "%s: %u statuses, want %u",
		      t->name, t->statuses, n);
}

static struct bfd_session *
find(const char *peer)
{
	struct bfd_key k;

	memset(&k, 0, sizeof(k));
	ck_assert_int_eq(wp_addr_parse(peer, &k.peer, NULL, 0), 0);
	return bfd_session_find(&bg, &k);
}

static bool
gone(void *arg)
{
	return find(arg) == NULL;
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/%s", dir, WP_BFD_SOCK_NAME);
	loop = wp_loop_new();
	wp_timer_init(loop, &tick, "test tick", tick_cb);
	wp_timer_start_periodic(&tick, 0.005, 0);
	bfd_global_init(&bg, loop);
	bg.tx_hook = no_tx;
	key_vrf = "";
	bg.rundir = dir;
	bg.conf = bfd_conf_new();
	ck_assert_int_eq(bfd_client_init(&bg), 0);
}

static void
teardown(void)
{
	bfd_client_fini(&bg);
	bfd_global_fini(&bg);
	wp_timer_stop(&tick);
	wp_loop_free(loop);
	rmdir(dir);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}

/* --- tests --------------------------------------------------------------- */

START_TEST(test_register_shared)
{
	struct tclient a, b;
	struct bfd_session *s;

	tclient_start(&a, "ospfd", true);
	tclient_start(&b, "bgpd", true);
	ck_assert(run_until(acked, &a, 2.0) && run_until(acked, &b, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	ck_assert_int_eq(a.last_state, WP__BFD__STATE__STATE_DOWN);
	ck_assert_str_eq(a.last_peer, "10.0.0.2");
	s = find("10.0.0.2");
	ck_assert_ptr_nonnull(s);
	ck_assert(!s->configured);
	ck_assert_uint_eq(s->nclients, 1);
	ck_assert_uint_eq(s->p.tx_ms, 50);	/* the client's setting */
	ck_assert_uint_eq(a.last_disc, s->local_disc);

	/* the same peer from another client: the same session */
	send_key(&b, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&b, 1);
	ck_assert_uint_eq(bg.nsessions, 1);
	ck_assert_uint_eq(s->nclients, 2);
	ck_assert_uint_eq(b.last_disc, s->local_disc);
	/* registering twice counts once */
	send_key(&b, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&b, 2);
	ck_assert_uint_eq(s->nclients, 2);

	send_key(&a, WP_BFD_PEER_DEREGISTER, "10.0.0.2", NULL);
	run_until(NULL, NULL, 0.1);
	ck_assert_ptr_eq(find("10.0.0.2"), s);
	ck_assert_uint_eq(s->nclients, 1);
	send_key(&b, WP_BFD_PEER_DEREGISTER, "10.0.0.2", NULL);
	ck_assert(run_until(gone, (void *)"10.0.0.2", 2.0));
	ck_assert_uint_eq(a.errors + b.errors, 0);
	tclient_stop(&a);
	tclient_stop(&b);
}
END_TEST

/* The same peer in the default VRF and in red: two sessions; a VRF name
 * that is no device name is refused. */
START_TEST(test_register_vrf)
{
	struct tclient a;
	struct bfd_session *s;
	struct bfd_key k;

	tclient_start(&a, "ribd", true);
	ck_assert(run_until(acked, &a, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	key_vrf = "red";
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 2);
	ck_assert_uint_eq(bg.nsessions, 2);
	memset(&k, 0, sizeof(k));
	ck_assert_int_eq(wp_addr_parse("10.0.0.2", &k.peer, NULL, 0), 0);
	snprintf(k.vrf, sizeof(k.vrf), "red");
	s = bfd_session_find(&bg, &k);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(a.last_disc, s->local_disc);
	ck_assert_ptr_ne(find("10.0.0.2"), s);
	key_vrf = "default";	/* the default VRF by name: the first one */
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 3);
	ck_assert_uint_eq(bg.nsessions, 2);
	ck_assert_uint_eq(a.last_disc, find("10.0.0.2")->local_disc);
	key_vrf = "no/such";
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	want_n = 1;
	ck_assert(run_until(errors, &a, 2.0));
	ck_assert_uint_eq(bg.nsessions, 2);
	tclient_stop(&a);
}
END_TEST

START_TEST(test_bad_messages)
{
	struct tclient a;

	/* before Hello */
	tclient_start(&a, "ribd", false);
	run_until(NULL, NULL, 0.1);
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	want_n = 1;
	ck_assert(run_until(errors, &a, 2.0));
	ck_assert_uint_eq(bg.nsessions, 0);
	tclient_stop(&a);

	tclient_start(&a, "ribd", true);
	ck_assert(run_until(acked, &a, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.300", NULL);
	send_key(&a, WP_BFD_PEER_REGISTER, "fe80::1", NULL);	/* no ifname */
	send_key(&a, WP_BFD_PEER_DEREGISTER, "10.0.0.9", NULL);
	want_n = 3;
	ck_assert(run_until(errors, &a, 2.0));
	ck_assert_uint_eq(bg.nsessions, 0);
	/* the connection is still good */
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	ck_assert_uint_eq(bg.nsessions, 1);
	tclient_stop(&a);
}
END_TEST

/* A client that does not come back loses its sessions after the grace
 * period, not before. */
START_TEST(test_grace_expires)
{
	struct tclient a;
	double t0;

	bg.grace = 0.4;
	tclient_start(&a, "ribd", true);
	ck_assert(run_until(acked, &a, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	tclient_stop(&a);
	t0 = wp_monotime();
	run_until(NULL, NULL, 0.2);
	ck_assert_ptr_nonnull(find("10.0.0.2"));
	ck_assert(run_until(gone, (void *)"10.0.0.2", 2.0));
	ck_assert_double_ge(wp_monotime() - t0, 0.4);
	ck_assert(LIST_EMPTY(&bg.clients));
}
END_TEST

/* Back within the grace period: what it registers again is kept (same
 * discriminator), the rest goes at RegisterDone. */
START_TEST(test_reconnect_resync)
{
	struct tclient a;
	uint32_t disc;

	bg.grace = 5.0;
	tclient_start(&a, "bgpd", true);
	ck_assert(run_until(acked, &a, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.3", NULL);
	wait_statuses(&a, 2);
	disc = find("10.0.0.2")->local_disc;
	tclient_stop(&a);
	run_until(NULL, NULL, 0.1);

	tclient_start(&a, "bgpd", true);
	ck_assert(run_until(acked, &a, 2.0));
	ck_assert_uint_eq(bg.nsessions, 2);
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	send_done(&a);
	ck_assert(run_until(gone, (void *)"10.0.0.3", 2.0));
	ck_assert_ptr_nonnull(find("10.0.0.2"));
	ck_assert_uint_eq(find("10.0.0.2")->local_disc, disc);
	ck_assert_uint_eq(find("10.0.0.2")->nclients, 1);
	tclient_stop(&a);
}
END_TEST

/* A configured peer that a client also uses outlives its configuration. */
START_TEST(test_configured_and_registered)
{
	char err[256];
	struct bfd_conf *c1, *c2;
	struct tclient a;
	struct bfd_session *s;

	c1 = bfd_conf_parse_string("bfd\n peer 10.0.0.2\n", "t", err,
				   sizeof(err));
	c2 = bg.conf;
	bfd_conf_apply(&bg, c2, c1);
	bfd_conf_free(c2);
	s = find("10.0.0.2");
	ck_assert(s->configured);
	tclient_start(&a, "ribd", true);
	ck_assert(run_until(acked, &a, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	ck_assert_uint_eq(s->p.tx_ms, BFD_DEF_INTERVAL_MS);	/* config wins */
	c2 = bfd_conf_new();
	bfd_conf_apply(&bg, c1, c2);
	bfd_conf_free(c1);
	ck_assert_ptr_eq(find("10.0.0.2"), s);
	ck_assert(!s->configured);
	send_key(&a, WP_BFD_PEER_DEREGISTER, "10.0.0.2", NULL);
	ck_assert(run_until(gone, (void *)"10.0.0.2", 2.0));
	tclient_stop(&a);
}
END_TEST

static void
rx_state(struct bfd_session *s, uint8_t state)
{
	struct bfd_rx_meta m;
	struct bfd_pkt p;
	struct wp_wbuf w;
	uint8_t b[BFD_PKT_MAX];

	memset(&p, 0, sizeof(p));
	p.state = state;
	p.detect_mult = 3;
	p.my_disc = 4242;
	p.your_disc = state == BFD_STA_DOWN ? 0 : s->local_disc;
	p.des_min_tx = p.req_min_rx = 1000000;
	wp_wbuf_init_fixed(&w, b, sizeof(b));
	bfd_pkt_encode(&w, &p);
	memset(&m, 0, sizeof(m));
	m.src = s->key.peer;
	m.ttl = BFD_TTL;
	bfd_rx(&bg, b, wp_wbuf_len(&w), &m);
}

static bool
state_is(void *arg)
{
	struct tclient *t = arg;

	return t->statuses >= want_n;
}

/* Transitions reach the client; flaps past the limit hold it down. */
START_TEST(test_notify_and_dampening)
{
	struct tclient a;
	struct bfd_session *s;
	unsigned int n;

	bg.damp.enabled = true;
	bg.damp.max_flaps = 2;
	bg.damp.window = 10;
	bg.damp.hold_min = 0.3;
	bg.damp.hold_max = 1.0;
	tclient_start(&a, "ribd", true);
	ck_assert(run_until(acked, &a, 2.0));
	send_key(&a, WP_BFD_PEER_REGISTER, "10.0.0.2", NULL);
	wait_statuses(&a, 1);
	s = find("10.0.0.2");

	rx_state(s, BFD_STA_INIT);		/* Down -> Up */
	wait_statuses(&a, 2);
	ck_assert_int_eq(a.last_state, WP__BFD__STATE__STATE_UP);
	rx_state(s, BFD_STA_DOWN);		/* flap 1 */
	wait_statuses(&a, 3);
	ck_assert_int_eq(a.last_state, WP__BFD__STATE__STATE_DOWN);
	rx_state(s, BFD_STA_INIT);
	wait_statuses(&a, 4);
	ck_assert_int_eq(a.last_state, WP__BFD__STATE__STATE_UP);
	rx_state(s, BFD_STA_DOWN);		/* flap 2: dampened */
	wait_statuses(&a, 5);
	ck_assert(s->dampened);
	n = a.statuses;
	rx_state(s, BFD_STA_INIT);		/* Up, but held down */
	ck_assert_int_eq(s->state, BFD_STA_UP);
	run_until(NULL, NULL, 0.1);
	ck_assert_uint_eq(a.statuses, n);
	ck_assert(!bfd_session_client_up(s));
	/* the hold-down ends: now the client hears Up */
	want_n = n + 1;
	ck_assert(run_until(state_is, &a, 2.0));
	ck_assert_int_eq(a.last_state, WP__BFD__STATE__STATE_UP);
	ck_assert(!a.last_dampened);
	ck_assert(bfd_session_client_up(s));
	tclient_stop(&a);
}
END_TEST

/* --- lib/wp_bfdclient against this server ------------------------------ */

struct lclient {
	unsigned int statuses, connects, disconnects;
	struct wp_bfd_status last;
};

static void
lc_status(struct wp_bfdclient *bc, const struct wp_bfd_status *st, void *arg)
{
	struct lclient *l = arg;

	l->statuses++;
	l->last = *st;
}

static void
lc_conn(struct wp_bfdclient *bc, bool up, void *arg)
{
	struct lclient *l = arg;

	if (up)
		l->connects++;
	else
		l->disconnects++;
}

static bool
lc_statuses(void *arg)
{
	return ((struct lclient *)arg)->statuses >= want_n;
}

static bool
lc_connects(void *arg)
{
	return ((struct lclient *)arg)->connects >= want_n;
}

static bool
nsessions_one(void *arg)
{
	return bg.nsessions == 1;
}

static void
lc_reg(struct wp_bfd_reg *r, const char *peer, const char *local,
       bool multihop)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(wp_addr_parse(peer, &r->key.peer, NULL, 0), 0);
	if (local)
		ck_assert_int_eq(wp_addr_parse(local, &r->key.local, NULL, 0),
				 0);
	r->key.multihop = multihop;
	r->transmit_interval_ms = 50;
}

/*
 * The library client: registrations made before the connection go out
 * at connect, statuses come back with their key, and after bfdd's client
 * side restarts it connects again and registers everything again.
 */
START_TEST(test_lib_client)
{
	struct lclient l = { 0 };
	struct wp_bfdclient_cbs cbs = { .status = lc_status,
					.connection = lc_conn, .arg = &l };
	struct wp_bfdclient *bc;
	struct wp_bfd_reg r1, r2;
	struct bfd_session *s;

	bg.grace = 5.0;
	bc = wp_bfdclient_new(loop, path, "ribd", &cbs);
	ck_assert_ptr_nonnull(bc);
	lc_reg(&r1, "10.0.0.2", NULL, false);
	lc_reg(&r2, "10.0.0.3", "10.0.0.1", true);
	wp_bfdclient_register(bc, &r1);
	wp_bfdclient_register(bc, &r2);
	wp_bfdclient_register(bc, &r1);		/* the same: once */
	ck_assert_uint_eq(wp_bfdclient_count(bc), 2);
	want_n = 2;
	ck_assert(run_until(lc_statuses, &l, 2.0));
	ck_assert(wp_bfdclient_connected(bc));
	ck_assert_uint_eq(bg.nsessions, 2);
	s = find("10.0.0.2");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->p.tx_ms, 50);
	ck_assert_uint_eq(s->nclients, 1);
	ck_assert_int_eq(l.last.state, WP_BFD_STATE_DOWN);

	/* A transition reaches the callback with its key. */
	rx_state(s, BFD_STA_INIT);
	want_n = 3;
	ck_assert(run_until(lc_statuses, &l, 2.0));
	ck_assert_int_eq(l.last.state, WP_BFD_STATE_UP);
	ck_assert(wp_bfd_key_eq(&l.last.key, &r1.key));

	/* bfdd's side goes away (its sessions with it) and comes back: the
	 * client connects again and registers both again. */
	bfd_client_fini(&bg);
	ck_assert_int_eq(bfd_client_init(&bg), 0);
	want_n = 2;
	ck_assert(run_until(lc_connects, &l, 3.0));
	ck_assert_uint_eq(l.disconnects, 1);
	want_n = l.statuses + 2;
	ck_assert(run_until(lc_statuses, &l, 2.0));
	ck_assert_uint_eq(wp_bfdclient_stats(bc)->connects, 2);
	ck_assert_uint_eq(bg.nsessions, 2);
	s = find("10.0.0.2");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->nclients, 1);

	/* Deregistered: bfdd lets the session go. */
	ck_assert_int_eq(wp_bfdclient_deregister(bc, &r2.key), 0);
	ck_assert_int_eq(wp_bfdclient_deregister(bc, &r2.key), -1);
	ck_assert(run_until(nsessions_one, NULL, 2.0));
	ck_assert_ptr_nonnull(find("10.0.0.2"));
	ck_assert_uint_eq(wp_bfdclient_stats(bc)->errors, 0);
	wp_bfdclient_free(bc);
}
END_TEST

/* A server that answers every registration with bad statuses. */
static int
bad_register(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	static const char *const peers[] = { "10.0.0.300", "10.0.0.2",
					     "10.0.0.9" };
	static const unsigned int states[] = { 3, 9, 3 };

	for (size_t i = 0; i < 3; i++) {
		Wp__Bfd__PeerStatus m = WP__BFD__PEER_STATUS__INIT;
		Wp__Bfd__PeerKey k = WP__BFD__PEER_KEY__INIT;

		k.peer = (char *)(uintptr_t)peers[i];
		m.key = &k;
		m.state = (Wp__Bfd__State)states[i];
		wp_ipc_send(c, WP_BFD_PEER_STATUS, &m.base);
	}
	/* and one without a key at all */
	{
		Wp__Bfd__PeerStatus m = WP__BFD__PEER_STATUS__INIT;

		wp_ipc_send(c, WP_BFD_PEER_STATUS, &m.base);
	}
	return 0;
}

static int
bad_ignore(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	   ProtobufCMessage *msg)
{
	return 0;
}

static bool
lc_bad(void *arg)
{
	const struct wp_bfdclient_stats *st = wp_bfdclient_stats(arg);

	return st->bad_statuses + st->unknown_statuses >= 4;
}

/* Malformed statuses are counted and dropped; the connection stays. */
/* RFC 5882 §3.2: which Down is a path failure for a client. */
START_TEST(test_lib_path_down)
{
	struct wp_bfd_status st = { .state = WP_BFD_STATE_DOWN,
				    .diagnostic = 1 };

	ck_assert(wp_bfd_status_path_down(&st));	/* detection expired */
	st.diagnostic = WP_BFD_DIAG_NEIGHBOR_DOWN;
	ck_assert(wp_bfd_status_path_down(&st));
	st.remote_diagnostic = WP_BFD_DIAG_ADMIN_DOWN;
	ck_assert(!wp_bfd_status_path_down(&st));	/* peer AdminDown */
	st.remote_diagnostic = 0;			/* AdminDown, diag 0 */
	st.remote_admin_down = true;
	ck_assert(!wp_bfd_status_path_down(&st));
	st.state = WP_BFD_STATE_ADMIN_DOWN;
	ck_assert(!wp_bfd_status_path_down(&st));
	st.state = WP_BFD_STATE_UP;
	ck_assert(!wp_bfd_status_path_down(&st));
	st.state = WP_BFD_STATE_INIT;
	ck_assert(!wp_bfd_status_path_down(&st));
}
END_TEST

START_TEST(test_lib_client_bad_status)
{
	static const struct wp_ipc_handler h[] = {
		{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, bad_ignore },
		{ WP_BFD_PEER_REGISTER, &wp__bfd__peer_register__descriptor,
		  bad_register },
		{ WP_BFD_REGISTER_DONE, &wp__bfd__register_done__descriptor,
		  bad_ignore },
		WP_IPC_HANDLER_END,
	};
	struct lclient l = { 0 };
	struct wp_bfdclient_cbs cbs = { .status = lc_status, .arg = &l };
	struct wp_ipc_server *srv;
	struct wp_bfdclient *bc;
	const struct wp_bfdclient_stats *st;
	struct wp_bfd_reg r;
	char p2[160];

	snprintf(p2, sizeof(p2), "%s/bad.sock", dir);
	srv = wp_ipc_server_new(loop, p2, h, NULL);
	ck_assert_ptr_nonnull(srv);
	bc = wp_bfdclient_new(loop, p2, "ribd", &cbs);
	lc_reg(&r, "10.0.0.2", NULL, false);
	wp_bfdclient_register(bc, &r);
	st = wp_bfdclient_stats(bc);
	ck_assert(run_until(lc_bad, bc, 2.0));
	ck_assert_uint_eq(st->bad_statuses, 3);	/* address, state, no key */
	ck_assert_uint_eq(st->unknown_statuses, 1);	/* 10.0.0.9 */
	ck_assert_uint_eq(l.statuses, 0);
	ck_assert(wp_bfdclient_connected(bc));
	ck_assert_uint_eq(st->connects, 1);
	wp_bfdclient_free(bc);
	wp_ipc_server_free(srv);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bfd_client");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_register_shared);
	tcase_add_test(tc, test_bad_messages);
	tcase_add_test(tc, test_register_vrf);
	tcase_add_test(tc, test_grace_expires);
	tcase_add_test(tc, test_reconnect_resync);
	tcase_add_test(tc, test_configured_and_registered);
	tcase_add_test(tc, test_notify_and_dampening);
	tcase_add_test(tc, test_lib_client);
	tcase_add_test(tc, test_lib_client_bad_status);
	tcase_add_test(tc, test_lib_path_down);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
