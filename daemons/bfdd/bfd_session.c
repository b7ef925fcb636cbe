/*
 * bfd_session.c: BFD sessions: discriminators, lookup, timers, the poll
 * sequence and the session half of the reception procedure.
 *
 * Life of a packet: bfd_socket.c hands a datagram to bfd_rx(), which
 * decodes it (bfd_packet.c), finds the session by Your Discriminator or
 * by addresses (RFC 5880 §6.8.6, RFC 5881 §3, RFC 5883 §3), checks the
 * TTL and the authentication, then session_rx() records the remote
 * state variables, ends a poll sequence on Final, runs the state machine
 * (bfd_fsm.c), answers a Poll with a Final and restarts the detection
 * timer.
 *
 * Timers: each session owns two one-shot libev timers.  tx_timer fires
 * at the negotiated transmit interval less the §6.8.7 jitter; the
 * detection timer is pushed back on every accepted packet by the
 * Detection Time of §6.8.4 and, when it fires, takes the session down.
 *
 * Parameter changes (§6.8.3): while Up, a change of the desired transmit
 * or required receive interval starts a poll sequence; the values that
 * make things slower (a longer transmit interval, a shorter detection
 * time) wait for the Final, so neither side ever detects a failure that
 * is not there.  Outside Up the transmit interval is at least one
 * second; going Up is therefore itself a parameter change, and a poll.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "wp_buf.h"

#include "bfdd.h"

WP_MEMTYPE_DEFINE(MT_BFD_SESSION, "BFD session");
WP_DEBUG_DEFINE(DBG_BFD_PACKET, "bfd packet");

static void tx_arm(struct bfd_session *s);

/* --- small helpers ------------------------------------------------------ */

static uint32_t
rand32(void)
{
	return ((uint32_t)random() << 16) ^ (uint32_t)random();
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned int
addr_hash(const struct wp_addr *a, bool multihop)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < sizeof(a->u.bytes); i++)
		h = (h ^ a->u.bytes[i]) * 16777619u;
	h = (h ^ a->family) * 16777619u;
	h = (h ^ (multihop ? 1u : 0u)) * 16777619u;
	return h % BFD_HASH_SIZE;
}

static unsigned int
disc_hash(uint32_t disc)
{
	return (disc * 2654435761u) % BFD_HASH_SIZE;
}

void
bfd_params_default(struct bfd_params *p)
{
	memset(p, 0, sizeof(*p));
	p->detect_mult = BFD_DEF_DETECT_MULT;
	p->rx_ms = BFD_DEF_INTERVAL_MS;
	p->tx_ms = BFD_DEF_INTERVAL_MS;
	p->echo_rx_ms = BFD_DEF_ECHO_MS;
	p->echo_tx_ms = BFD_DEF_ECHO_MS;
	p->min_ttl = BFD_DEF_MIN_TTL;
}

static bool
addr_eq(const struct wp_addr *a, const struct wp_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == 0)
		return true;
	return memcmp(a->u.bytes, b->u.bytes,
		      a->family == AF_INET ? 4 : 16) == 0;
}

bool
bfd_key_eq(const struct bfd_key *a, const struct bfd_key *b)
{
	return a->multihop == b->multihop && addr_eq(&a->peer, &b->peer) &&
	       addr_eq(&a->local, &b->local) &&
	       strcmp(a->ifname, b->ifname) == 0 &&
	       strcmp(a->vrf, b->vrf) == 0;
}

const char *
bfd_key_vrf(const struct bfd_key *k)
{
	return k->vrf[0] ? k->vrf : BFD_VRF_DEFAULT;
}

char *
bfd_key_fmt(const struct bfd_key *k, char *buf, size_t len)
{
	char peer[WP_ADDR_STRLEN], local[WP_ADDR_STRLEN];

	wp_addr_fmt(&k->peer, peer, sizeof(peer));
	if (k->local.family)
		wp_addr_fmt(&k->local, local, sizeof(local));
	snprintf(buf, len, "%s%s%s%s%s%s%s%s", peer,
		 k->multihop ? " multihop" : "",
		 k->local.family ? " local-address " : "",
		 k->local.family ? local : "",
		 k->ifname[0] ? " interface " : "", k->ifname,
		 k->vrf[0] ? " vrf " : "", k->vrf);
	return buf;
}

const char *
bfd_session_problem(const struct bfd_session *s, char *buf, size_t len)
{
	buf[0] = '\0';
	if (s->vrf && s->vrf->ifindex == 0)
		snprintf(buf, len, "vrf %s: %s", s->vrf->name,
			 s->vrf->not_vrf ? "not a vrf device" :
					   "no such device");
	else if (s->key.ifname[0] && s->ifindex == 0)
		snprintf(buf, len, "interface %s: no such device",
			 s->key.ifname);
	return buf;
}

/* --- timer math (pure) ------------------------------------------------ */

/* §6.8.2, §6.8.7: the larger of what we want and what the peer can take;
 * 0 when the peer asked for no packets at all. */
uint32_t
bfd_tx_interval(const struct bfd_session *s)
{
	if (s->remote_min_rx == 0)
		return 0;
	return s->tx_eff > s->remote_min_rx ? s->tx_eff : s->remote_min_rx;
}

/* §6.8.4, asynchronous mode: the remote Detect Mult times the agreed
 * remote transmit interval, the larger of our RequiredMinRxInterval and
 * its last Desired Min TX.  0 until the peer has been heard. */
uint64_t
bfd_detect_time(const struct bfd_session *s)
{
	uint32_t iv;

	if (s->remote_detect_mult == 0)
		return 0;
	iv = s->rx_eff > s->remote_des_min_tx ? s->rx_eff :
						s->remote_des_min_tx;
	return (uint64_t)s->remote_detect_mult * iv;
}

/* §6.8.7: reduce by 0-25% (detect mult > 1) or by 10-25% (detect mult 1,
 * so the interval is at most 90% of the negotiated one). */
uint64_t
bfd_jittered(uint64_t interval_us, uint8_t detect_mult, uint32_t rnd)
{
	uint64_t cut;

	if (detect_mult == 1)
		cut = interval_us / 10 +
		      ((interval_us * 15 / 100) * rnd >> 32);
	else
		cut = (interval_us * 25 / 100) * rnd >> 32;
	return interval_us - cut;
}

/* --- global --------------------------------------------------------------- */

void
bfd_global_init(struct bfd_global *bg, struct wp_loop *loop)
{
	unsigned int seed;

	memset(bg, 0, sizeof(*bg));
	bg->loop = loop;
	TAILQ_INIT(&bg->sessions);
	for (size_t i = 0; i < BFD_HASH_SIZE; i++) {
		LIST_INIT(&bg->by_disc[i]);
		LIST_INIT(&bg->by_addr[i]);
	}
	for (size_t i = 0; i < BFD_SOCK_CTL; i++)
		bg->socks[i].fd = -1;
	LIST_INIT(&bg->vrfs);
	bg->echo_sock.fd = -1;
	bg->echo_sock6.fd = -1;
	bg->echo_tx_fd = -1;
	LIST_INIT(&bg->clients);
	bg->grace = BFD_CLIENT_GRACE;
	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = (unsigned int)(wall_now() * 1e6);
	srandom(seed);
	bg->next_port = (uint16_t)(BFD_SRC_PORT_MIN +
				   rand32() % (BFD_SRC_PORT_MAX -
					       BFD_SRC_PORT_MIN + 1));
}

void
bfd_global_fini(struct bfd_global *bg)
{
	struct bfd_session *s;

	while ((s = TAILQ_FIRST(&bg->sessions)) != NULL)
		bfd_session_free(s);
	bfd_conf_free(bg->conf);
	bg->conf = NULL;
}

/* --- lookup ---------------------------------------------------------- */

struct bfd_session *
bfd_session_find(struct bfd_global *bg, const struct bfd_key *key)
{
	struct bfd_session *s;

	LIST_FOREACH(s, &bg->by_addr[addr_hash(&key->peer, key->multihop)],
		     key_entry)
		if (bfd_key_eq(&s->key, key))
			return s;
	return NULL;
}

struct bfd_session *
bfd_session_find_disc(struct bfd_global *bg, uint32_t disc)
{
	struct bfd_session *s;

	LIST_FOREACH(s, &bg->by_disc[disc_hash(disc)], disc_entry)
		if (s->local_disc == disc)
			return s;
	return NULL;
}

/*
 * Your Discriminator 0: by source address, and for single hop by the
 * interface it arrived on (RFC 5881 §3); by source and destination for
 * multihop (RFC 5883 §3).  A session that names no interface or local
 * address matches any.
 */
static struct bfd_session *
find_by_meta(struct bfd_global *bg, const struct bfd_rx_meta *m)
{
	struct bfd_session *s, *loose = NULL;

	LIST_FOREACH(s, &bg->by_addr[addr_hash(&m->src, m->multihop)],
		     key_entry) {
		if (s->key.multihop != m->multihop ||
		    !addr_eq(&s->key.peer, &m->src) ||
		    strcmp(s->key.vrf, m->vrf ? m->vrf : "") != 0)
			continue;
		if (s->key.local.family && m->dst.family &&
		    !addr_eq(&s->key.local, &m->dst))
			continue;
		if (!s->key.multihop && s->key.ifname[0] && m->ifindex &&
		    s->ifindex != m->ifindex)
			continue;
		if (s->key.ifname[0] || s->key.local.family)
			return s;	/* the most specific wins */
		loose = s;
	}
	return loose;
}

static uint32_t
disc_alloc(struct bfd_global *bg)
{
	uint32_t d;

	do
		d = rand32();
	while (d == 0 || bfd_session_find_disc(bg, d) != NULL);
	return d;
}

void
bfd_session_set_disc(struct bfd_session *s, uint32_t disc)
{
	LIST_REMOVE(s, disc_entry);
	s->local_disc = disc;
	LIST_INSERT_HEAD(&s->bg->by_disc[disc_hash(disc)], s, disc_entry);
}

/* --- create / free ----------------------------------------------------- */

static void tx_cb(struct wp_timer *t);
static void detect_cb(struct wp_timer *t);

struct bfd_session *
bfd_session_new(struct bfd_global *bg, const struct bfd_key *key,
		const struct bfd_params *p)
{
	struct bfd_session *s = wp_calloc(MT_BFD_SESSION, sizeof(*s));
	char kb[160];

	s->bg = bg;
	s->key = *key;
	s->vrf = bfd_vrf_get(bg, key->vrf);
	s->p = *p;
	s->sock = -1;
	s->local_disc = disc_alloc(bg);
	s->state = p->shutdown ? BFD_STA_ADMIN_DOWN : BFD_STA_DOWN;
	s->local_diag = p->shutdown ? BFD_DIAG_ADMIN_DOWN : BFD_DIAG_NONE;
	s->remote_state = BFD_STA_DOWN;
	s->remote_min_rx = 1;		/* §6.8.1 */
	s->detect_mult = p->detect_mult;
	s->des_min_tx = p->tx_ms * 1000u;
	if (s->des_min_tx < BFD_SLOW_TX_US)
		s->des_min_tx = BFD_SLOW_TX_US;	/* §6.8.3 */
	s->req_min_rx = p->rx_ms * 1000u;
	s->tx_eff = s->des_min_tx;
	s->rx_eff = s->req_min_rx;
	s->xmit_auth_seq = rand32();	/* §6.8.1 */
	s->created = s->last_change = wp_monotime();
	s->last_change_wall = wall_now();
	if (key->ifname[0])
		s->ifindex = (int)if_nametoindex(key->ifname);
	wp_timer_init(bg->loop, &s->tx_timer, "bfd tx", tx_cb);
	wp_timer_init(bg->loop, &s->detect_timer, "bfd detect", detect_cb);
	bfd_echo_init(s);

	TAILQ_INSERT_TAIL(&bg->sessions, s, entry);
	LIST_INSERT_HEAD(&bg->by_disc[disc_hash(s->local_disc)], s,
			 disc_entry);
	LIST_INSERT_HEAD(&bg->by_addr[addr_hash(&key->peer, key->multihop)],
			 s, key_entry);
	bg->nsessions++;
	wp_log_info("peer %s: session created, discriminator %u%s",
		    bfd_key_fmt(key, kb, sizeof(kb)), s->local_disc,
		    p->shutdown ? ", shut down" : "");

	if (bg->tx_hook == NULL)
		bfd_session_sock_open(s);
	/* First packet soon, not all sessions in the same instant. */
	wp_timer_start(&s->tx_timer, 0.001 + (rand32() % 50) / 1000.0, 0);
	return s;
}

void
bfd_session_free(struct bfd_session *s)
{
	struct bfd_global *bg = s->bg;

	struct bfd_reg *r;

	/* Registrations die with it (shutdown; clients are gone first). */
	while ((r = LIST_FIRST(&s->regs)) != NULL) {
		LIST_REMOVE(r, c_entry);
		LIST_REMOVE(r, s_entry);
		wp_free(MT_BFD_CLIENT, r);
	}
	wp_timer_stop(&s->tx_timer);
	wp_timer_stop(&s->detect_timer);
	wp_timer_stop(&s->damp_timer);
	bfd_echo_stop(s);
	bfd_session_sock_close(s);
	bfd_vrf_put(s->vrf);
	TAILQ_REMOVE(&bg->sessions, s, entry);
	LIST_REMOVE(s, disc_entry);
	LIST_REMOVE(s, key_entry);
	bg->nsessions--;
	wp_free(MT_BFD_SESSION, s);
}

void
bfd_session_delete(struct bfd_session *s)
{
	char kb[160];

	if (s->nclients > 0) {
		/* A client still uses it: it stays, unconfigured. */
		s->configured = false;
		wp_log_info("peer %s: removed from the configuration, kept "
			    "for %u client(s)",
			    bfd_key_fmt(&s->key, kb, sizeof(kb)), s->nclients);
		return;
	}
	/* Tell the peer this is administrative, not a failure (§6.8.16). */
	if (s->state != BFD_STA_ADMIN_DOWN && s->remote_disc != 0) {
		s->state = BFD_STA_ADMIN_DOWN;
		s->local_diag = BFD_DIAG_ADMIN_DOWN;
		s->poll = false;
		bfd_session_send(s, 0);
	}
	wp_log_info("peer %s: session deleted",
		    bfd_key_fmt(&s->key, kb, sizeof(kb)));
	bfd_session_free(s);
}

/* --- transmission ------------------------------------------------------ */

/* §6.8.7: a passive session waits until the peer has spoken. */
static bool
tx_allowed(const struct bfd_session *s)
{
	return !(s->p.passive && s->remote_disc == 0);
}

/* The session's configured keys, or those of its key chain now. */
static const struct bfd_auth *
session_auth(const struct bfd_session *s, int id, struct bfd_auth *tmp)
{
	const struct bfd_conf *c = s->bg->conf;

	if (!s->p.auth.key_chain[0])
		return &s->p.auth;
	if (bfd_auth_from_chain(&s->p.auth, c ? &c->keychains : NULL,
				time(NULL), id, tmp) == -1)
		return NULL;
	return tmp;
}

void
bfd_session_send(struct bfd_session *s, uint8_t flags)
{
	uint8_t buf[BFD_PKT_MAX];
	struct bfd_auth tmp;
	const struct bfd_auth *auth;
	struct bfd_pkt p;
	struct wp_wbuf w;
	char kb[160];

	if (!tx_allowed(s))
		return;
	auth = session_auth(s, -1, &tmp);
	if (auth == NULL) {
		wp_log_warnx_rl("peer %s: key chain %s has no key to send "
				"with now: not sending",
				bfd_key_fmt(&s->key, kb, sizeof(kb)),
				s->p.auth.key_chain);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.diag = s->local_diag;
	p.state = s->state;
	p.flags = flags & BFD_F_FINAL;
	/* §6.8.7: P and F never together; a Final answers first. */
	if (s->poll && !(p.flags & BFD_F_FINAL))
		p.flags |= BFD_F_POLL;
	p.detect_mult = s->detect_mult;
	p.my_disc = s->local_disc;
	p.your_disc = s->remote_disc;
	p.des_min_tx = s->des_min_tx;
	p.req_min_rx = s->req_min_rx;
	p.req_min_echo_rx = bfd_echo_rx_advert(s);
	if (auth->type != BFD_AUTH_NONE) {
		p.flags |= BFD_F_AUTH;
		p.auth_type = auth->type;
		p.auth_len = bfd_auth_len(auth);
		p.auth_key_id = auth->key_id;
		/* Meticulous types must, keyed types may, advance it on
		 * every packet (§6.7.3); we always do. */
		p.auth_seq = ++s->xmit_auth_seq;
	}
	wp_wbuf_init_fixed(&w, buf, sizeof(buf));
	if (bfd_pkt_encode(&w, &p) == -1 ||
	    (auth->type != BFD_AUTH_NONE &&
	     bfd_auth_sign(auth, p.auth_seq, buf, wp_wbuf_len(&w)) == -1)) {
		wp_log_errx_rl("%s: peer %s: cannot encode a packet",
			       __func__, bfd_key_fmt(&s->key, kb, sizeof(kb)));
		return;
	}
	wp_debug(DBG_BFD_PACKET, "peer %s: tx %s%s%s disc %u/%u",
		 bfd_key_fmt(&s->key, kb, sizeof(kb)),
		 bfd_state_name(s->state),
		 (p.flags & BFD_F_POLL) ? " poll" : "",
		 (p.flags & BFD_F_FINAL) ? " final" : "", p.my_disc,
		 p.your_disc);
	if (p.flags & BFD_F_FINAL) {
		s->cnt.finals_tx++;
		s->bg->cnt.finals_tx++;
	}
	if (s->bg->tx_hook) {
		s->bg->tx_hook(s, buf, wp_wbuf_len(&w));
	} else if (bfd_session_sock_send(s, buf, wp_wbuf_len(&w)) == -1) {
		s->cnt.tx_errors++;
		s->bg->cnt.tx_errors++;
		return;
	}
	s->cnt.tx_pkts++;
	s->bg->cnt.tx_pkts++;
}

static void
tx_arm(struct bfd_session *s)
{
	uint32_t iv = bfd_tx_interval(s);

	/* §6.8.7: nothing periodic if the peer wants no packets. */
	if (iv == 0 || !tx_allowed(s)) {
		wp_timer_stop(&s->tx_timer);
		return;
	}
	wp_timer_start(&s->tx_timer,
		       (double)bfd_jittered(iv, s->detect_mult, rand32()) / 1e6,
		       0);
}

/* The interval shrank: do not wait out the old, longer one. */
static void
tx_rearm_if_sooner(struct bfd_session *s)
{
	uint32_t iv = bfd_tx_interval(s);

	if (!wp_timer_active(&s->tx_timer) ||
	    (iv != 0 && wp_timer_remaining(&s->tx_timer) > iv / 1e6))
		tx_arm(s);
}

/* The gap since our last periodic packet, while Up (bfd_tx_stats). */
static void
tx_stats(struct bfd_session *s)
{
	struct bfd_tx_stats *x = &s->txs;
	double now = wp_monotime();
	uint64_t gap;

	if (s->state == BFD_STA_UP && x->last_tx > 0 && now > x->last_tx) {
		gap = (uint64_t)((now - x->last_tx) * 1e6);
		if (gap > x->max_us)
			x->max_us = gap;
		if (gap > (uint64_t)bfd_tx_interval(s) * 3 / 2)
			x->long_gaps++;
		x->samples++;
	}
	x->last_tx = s->state == BFD_STA_UP ? now : 0;
}

static void
tx_cb(struct wp_timer *t)
{
	struct bfd_session *s = container_of(t, struct bfd_session, tx_timer);

	tx_stats(s);
	bfd_session_send(s, 0);
	tx_arm(s);
}

/* --- detection ---------------------------------------------------------- */

static void
detect_arm(struct bfd_session *s)
{
	uint64_t dt = bfd_detect_time(s);

	if (dt == 0 || s->state == BFD_STA_ADMIN_DOWN) {
		wp_timer_stop(&s->detect_timer);
		return;
	}
	wp_timer_again(&s->detect_timer, (double)dt / 1e6);
}

static void
detect_cb(struct wp_timer *t)
{
	struct bfd_session *s = container_of(t, struct bfd_session,
					     detect_timer);
	uint64_t dt;
	double left;

	wp_timer_stop(t);
	/* The loop may have been busy (a long show command): read what
	 * already arrived before calling the peer dead.  A packet for this
	 * session re-arms the timer. */
	if (s->bg->tx_hook == NULL) {
		bfd_sockets_drain(s->bg);
		if (wp_timer_active(t))
			return;
	}
	/* The timer counts from the loop's time, taken when the loop woke:
	 * after a long batch of packets (a stall's backlog) it can be due
	 * before a Detection Time has really passed since this session's
	 * last packet was read.  Judge on the clock (§6.8.4). */
	dt = bfd_detect_time(s);
	left = (double)dt / 1e6 - (wp_monotime() - s->last_valid_rx);
	if (dt != 0 && s->last_valid_rx > 0 && left > 0) {
		wp_timer_again(t, left);
		return;
	}
	/* §6.8.1: a Detection Time without a valid packet forgets the
	 * peer's discriminator. */
	s->remote_disc = 0;
	s->remote_state = BFD_STA_DOWN;
	bfd_fsm(s, BFD_EVT_TIMER);
	tx_arm(s);
}

/* --- parameters and the poll sequence ---------------------------------- */

/*
 * Bring bfd.DesiredMinTxInterval, bfd.RequiredMinRxInterval and
 * bfd.DetectMult in line with the configuration and the state (§6.8.3).
 * Returns true if anything we advertise changed.
 */
static bool
timers_update(struct bfd_session *s)
{
	uint32_t want_tx = s->p.tx_ms * 1000u;
	uint32_t want_rx = s->p.rx_ms * 1000u;
	bool changed;

	if (s->state != BFD_STA_UP && want_tx < BFD_SLOW_TX_US)
		want_tx = BFD_SLOW_TX_US;
	changed = want_tx != s->des_min_tx || want_rx != s->req_min_rx ||
		  s->p.detect_mult != s->detect_mult;
	if (!changed)
		return false;
	s->detect_mult = s->p.detect_mult;
	s->des_min_tx = want_tx;
	s->req_min_rx = want_rx;
	if (s->state != BFD_STA_UP) {
		s->tx_eff = want_tx;
		s->rx_eff = want_rx;
		s->poll = s->poll_again = false;
	} else {
		/* Faster transmission and a longer detection time are safe
		 * at once; the others wait for the Final. */
		if (want_tx < s->tx_eff)
			s->tx_eff = want_tx;
		if (want_rx > s->rx_eff)
			s->rx_eff = want_rx;
		if (s->poll) {
			/* A Final to the running sequence may answer a
			 * packet with the old values: poll once more. */
			s->poll_again = true;
		} else {
			s->poll = true;
			s->poll_started = wp_monotime();
			s->cnt.polls++;
			s->bg->cnt.polls++;
		}
	}
	tx_rearm_if_sooner(s);
	if (wp_timer_active(&s->detect_timer))
		detect_arm(s);
	return true;
}

/* §6.5: a Final ends the poll sequence; the new values take effect. */
static void
poll_done(struct bfd_session *s)
{
	char kb[160];

	s->cnt.finals_rx++;
	s->bg->cnt.finals_rx++;
	if (s->poll_again) {
		s->poll_again = false;
		s->poll_started = wp_monotime();
		s->cnt.polls++;
		s->bg->cnt.polls++;
		return;
	}
	s->poll = false;
	s->tx_eff = s->des_min_tx;
	s->rx_eff = s->req_min_rx;
	wp_debug(DBG_BFD_FSM, "peer %s: poll sequence done in %.0f ms: "
		 "tx %u us, rx %u us", bfd_key_fmt(&s->key, kb, sizeof(kb)),
		 (wp_monotime() - s->poll_started) * 1e3, s->tx_eff,
		 s->rx_eff);
}

void
bfd_session_set_params(struct bfd_session *s, const struct bfd_params *p)
{
	bool was_shut = s->p.shutdown;
	bool auth_changed = memcmp(&s->p.auth, &p->auth, sizeof(p->auth));

	s->p = *p;
	if (auth_changed)
		s->auth_seq_known = false;
	if (p->shutdown && !was_shut)
		bfd_fsm(s, BFD_EVT_ADMIN_DOWN);
	else if (!p->shutdown && was_shut)
		bfd_fsm(s, BFD_EVT_ADMIN_UP);
	if (timers_update(s))
		bfd_session_send(s, 0);	/* carries the Poll, if any */
	if (!wp_timer_active(&s->tx_timer))
		tx_arm(s);
	if (s->echo_active)
		bfd_echo_stop(s);	/* restarts with the new settings */
	bfd_echo_update(s);
}

/* --- transitions ------------------------------------------------------ */

double
bfd_session_state_age(const struct bfd_session *s)
{
	return wp_monotime() - s->last_change;
}

bool
bfd_session_client_up(const struct bfd_session *s)
{
	return s->state == BFD_STA_UP && !s->dampened;
}

static void damp_cb(struct wp_timer *t);

/*
 * Flap dampening: Up -> Down transitions within the window are counted;
 * at max_flaps the session is held down for clients, each new hold twice
 * as long as the last (up to hold_max), until it has stayed quiet.
 */
static void
damp_note_flap(struct bfd_session *s, double now)
{
	const struct bfd_dampening *d = &s->bg->damp;
	unsigned int n = 0;
	char kb[160];

	if (!d->enabled)
		return;
	memmove(&s->flap_times[1], &s->flap_times[0],
		sizeof(s->flap_times) - sizeof(s->flap_times[0]));
	s->flap_times[0] = now;
	if (s->nflaps < 8)
		s->nflaps++;
	for (unsigned int i = 0; i < s->nflaps; i++)
		if (now - s->flap_times[i] <= d->window)
			n++;
	if (n < d->max_flaps)
		return;
	if (s->damp_penalty == 0 || now - s->damp_until > d->hold_max * 2)
		s->damp_penalty = d->hold_min;
	else if (s->damp_penalty * 2 <= d->hold_max)
		s->damp_penalty *= 2;
	else
		s->damp_penalty = d->hold_max;
	s->dampened = true;
	s->damp_until = now + s->damp_penalty;
	if (s->damp_timer.loop == NULL)
		wp_timer_init(s->bg->loop, &s->damp_timer, "bfd dampening",
			      damp_cb);
	wp_timer_start(&s->damp_timer, s->damp_penalty, 0);
	wp_log_warnx("peer %s: %u flaps in %.0f s: held down for %.0f s",
		     bfd_key_fmt(&s->key, kb, sizeof(kb)), n, d->window,
		     s->damp_penalty);
}

static void
damp_cb(struct wp_timer *t)
{
	struct bfd_session *s = container_of(t, struct bfd_session,
					     damp_timer);
	char kb[160];

	s->dampened = false;
	wp_log_info("peer %s: dampening hold-down over, session %s",
		    bfd_key_fmt(&s->key, kb, sizeof(kb)),
		    bfd_state_name(s->state));
	if (s->state == BFD_STA_UP)
		bfd_client_notify(s);
}

void
bfd_session_transition(struct bfd_session *s, enum bfd_state next,
		       enum bfd_diag diag, enum bfd_event event)
{
	struct bfd_transition *h;
	enum bfd_state old = s->state;
	bool client_was_up = bfd_session_client_up(s);
	double now = wp_monotime();

	h = &s->history[s->nhistory % BFD_HISTORY];
	s->nhistory++;
	h->when = now;
	h->when_wall = wall_now();
	h->from = (uint8_t)old;
	h->to = (uint8_t)next;
	h->event = (uint8_t)event;
	h->diag = (uint8_t)diag;
	h->remote_diag = s->remote_diag;

	s->state = next;
	s->local_diag = diag;
	s->last_change = now;
	s->last_change_wall = h->when_wall;
	s->rxs.last_rx = 0;		/* no inter-arrival across states */
	s->txs.last_tx = 0;
	if (next == BFD_STA_UP) {
		s->cnt.up_count++;
		s->bg->cnt.up_count++;
	} else if (old == BFD_STA_UP) {
		s->cnt.down_count++;
		s->bg->cnt.down_count++;
		damp_note_flap(s, now);
	}
	if (next == BFD_STA_ADMIN_DOWN)
		wp_timer_stop(&s->detect_timer);
	if (next != BFD_STA_UP) {
		/* a poll sequence means nothing outside Up */
		s->poll = s->poll_again = false;
		s->tx_eff = s->des_min_tx;
		s->rx_eff = s->req_min_rx;
	}
	timers_update(s);
	bfd_echo_update(s);
	/* §6.8.7: contents changed, tell the peer now. */
	bfd_session_send(s, 0);
	/* Clients hear every transition, but while dampened an Up is not
	 * news (they are told when the hold-down ends). */
	if (!(client_was_up == bfd_session_client_up(s) && s->dampened))
		bfd_client_notify(s);
}

/* --- reception ---------------------------------------------------------- */

static void
rx_count(struct bfd_global *bg, struct bfd_session *s, enum bfd_rx_err e,
	 const struct bfd_rx_meta *m)
{
	char src[WP_ADDR_STRLEN], kb[160];

	bg->cnt.rx_errors[e]++;
	if (s)
		s->cnt.rx_errors[e]++;
	if (e == BFD_RXE_ADMIN_DOWN)
		return;
	if (s)
		wp_log_warnx_rl("peer %s: dropped packet: %s",
				bfd_key_fmt(&s->key, kb, sizeof(kb)),
				bfd_rx_err_name(e));
	else
		wp_log_warnx_rl("dropped packet from %s%s: %s",
				wp_addr_fmt(&m->src, src, sizeof(src)),
				m->multihop ? " (multihop)" : "",
				bfd_rx_err_name(e));
}

/*
 * Inter-arrival of the peer's periodic packets while Up, from the times
 * they reached the host (AT: the kernel's receive timestamp where there
 * is one), so that it shows the peer and the path, not how late we read
 * (the receive-queue delay shows that).  Packets sent out of turn (a
 * Final, the first Poll of a sequence, a state change) restart the
 * measurement instead of counting as a short gap.
 */
static void
rx_stats(struct bfd_session *s, const struct bfd_pkt *p, double at)
{
	struct bfd_rx_stats *r = &s->rxs;
	bool periodic = !(p->flags & BFD_F_FINAL) &&
			!((p->flags & BFD_F_POLL) &&
			  !(s->remote_flags & BFD_F_POLL)) &&
			p->state == s->remote_state;
	uint64_t gap;

	if (periodic && s->state == BFD_STA_UP && r->last_rx > 0 &&
	    at > r->last_rx) {
		gap = (uint64_t)((at - r->last_rx) * 1e6);
		if (r->samples == 0 || gap < r->min_us)
			r->min_us = gap;
		if (gap > r->max_us)
			r->max_us = gap;
		if (r->samples > 0) {
			double d = (double)gap - (double)r->last_gap_us;

			if (d < 0)
				d = -d;
			r->jitter_us += (d - r->jitter_us) / 16.0;
		}
		r->sum_us += gap;
		r->samples++;
		r->last_gap_us = gap;
	}
	r->last_rx = periodic ? at : 0;
}

/* §6.8.6 from "set bfd.RemoteDiscr" on, for an accepted packet. */
static void
session_rx(struct bfd_session *s, const struct bfd_pkt *p, double arrival)
{
	double now = wp_monotime();
	char kb[160];

	wp_debug(DBG_BFD_PACKET, "peer %s: rx %s%s%s disc %u/%u tx %u rx %u",
		 bfd_key_fmt(&s->key, kb, sizeof(kb)), bfd_state_name(p->state),
		 (p->flags & BFD_F_POLL) ? " poll" : "",
		 (p->flags & BFD_F_FINAL) ? " final" : "", p->my_disc,
		 p->your_disc, p->des_min_tx, p->req_min_rx);
	s->last_valid_rx = now;
	if (s->state != BFD_STA_ADMIN_DOWN)
		rx_stats(s, p, arrival > 0 ? arrival : now);
	s->remote_disc = p->my_disc;
	s->remote_state = p->state;
	s->remote_demand = (p->flags & BFD_F_DEMAND) != 0;
	s->remote_diag = p->diag;
	s->remote_flags = p->flags;
	s->remote_min_rx = p->req_min_rx;
	s->remote_des_min_tx = p->des_min_tx;
	s->remote_detect_mult = p->detect_mult;
	s->remote_min_echo_rx = p->req_min_echo_rx;
	if ((p->flags & BFD_F_FINAL) && s->poll)
		poll_done(s);
	/* §6.8.2, §6.8.4: the intervals may have moved. */
	tx_rearm_if_sooner(s);

	if (s->state == BFD_STA_ADMIN_DOWN) {
		rx_count(s->bg, s, BFD_RXE_ADMIN_DOWN, NULL);
		return;
	}
	s->cnt.rx_pkts++;
	s->bg->cnt.rx_pkts++;
	bfd_fsm(s, bfd_fsm_rx_event(p->state));
	/* §6.8.7: answer a Poll at once, Poll clear and Final set. */
	if (p->flags & BFD_F_POLL)
		bfd_session_send(s, BFD_F_FINAL);
	detect_arm(s);
	if (!wp_timer_active(&s->tx_timer))
		tx_arm(s);
	bfd_echo_update(s);
}

void
bfd_rx(struct bfd_global *bg, const uint8_t *buf, size_t len,
       const struct bfd_rx_meta *m)
{
	const struct bfd_auth *auth;
	struct bfd_auth tmp;
	struct bfd_session *s;
	struct bfd_pkt p;
	enum bfd_rx_err e;
	uint64_t dt;

	e = bfd_pkt_decode(buf, len, &p);
	if (e != BFD_RXE_OK) {
		/* Counted against the session it most likely belongs to. */
		s = p.your_disc ? bfd_session_find_disc(bg, p.your_disc) : NULL;
		rx_count(bg, s ? s : find_by_meta(bg, m), e, m);
		return;
	}
	/* §6.8.6: demultiplex by Your Discriminator, else by addresses. */
	if (p.your_disc != 0) {
		s = bfd_session_find_disc(bg, p.your_disc);
		/* Discriminators are ours, unique across VRFs: one that
		 * arrives in another VRF than its session's is not for it. */
		if (s && (s->key.multihop != m->multihop ||
			  strcmp(s->key.vrf, m->vrf ? m->vrf : "") != 0))
			s = NULL;
	} else {
		s = find_by_meta(bg, m);
	}
	if (s == NULL) {
		rx_count(bg, NULL, BFD_RXE_NO_SESSION, m);
		return;
	}
	/* RFC 5881 §5: single hop wants 255; RFC 5883 §5: multihop at
	 * least the configured minimum. */
	if ((!s->key.multihop && m->ttl != BFD_TTL) ||
	    (s->key.multihop && m->ttl < s->p.min_ttl)) {
		rx_count(bg, s, BFD_RXE_TTL, m);
		return;
	}
	/* §6.8.1: bfd.AuthSeqKnown is forgotten after two silent
	 * Detection Times. */
	dt = bfd_detect_time(s);
	if (s->auth_seq_known && dt &&
	    wp_monotime() - s->last_valid_rx > 2.0 * (double)dt / 1e6)
		s->auth_seq_known = false;
	auth = (p.flags & BFD_F_AUTH) ? session_auth(s, p.auth_key_id, &tmp) :
					&s->p.auth;
	e = auth == NULL ? BFD_RXE_AUTH_KEY_ID :
	    bfd_auth_verify(auth, buf, len, &p, &s->rcv_auth_seq,
			    &s->auth_seq_known);
	if (e != BFD_RXE_OK) {
		rx_count(bg, s, e, m);
		return;
	}
	if (m->ifindex)
		s->rx_ifindex = m->ifindex;
	session_rx(s, &p, m->arrival);
}

void
bfd_session_clear_counters(struct bfd_session *s)
{
	memset(&s->cnt, 0, sizeof(s->cnt));
	memset(&s->rxs, 0, sizeof(s->rxs));
	memset(&s->txs, 0, sizeof(s->txs));
	memset(&s->echo, 0, sizeof(s->echo));
}
