/*
 * bfd_echo.c: the echo function (RFC 5880 §6.4, §6.8.5, §6.8.9; RFC 5881
 * §4), single-hop IPv4 and IPv6 sessions.
 *
 * An echo packet is addressed to ourselves and handed to the peer's MAC
 * address, so the peer's forwarding plane, not its BFD, sends it back:
 * it tests the path through the peer.  We build the IP and UDP headers
 * (echo_build(): IPv4, or IPv6 with the UDP checksum IPv6 requires) and
 * bfd_socket.c sends them on an AF_PACKET socket (the peer's MAC from
 * the ARP or neighbour table);
 * they come back to UDP port 3785 and bfd_echo_rx() matches them to the
 * session by the discriminator inside.  The payload is ours to define
 * (RFC 5880 §6.4): version, length, discriminator, sequence number and
 * the send time, which gives the round-trip time.
 *
 * Echo runs while the session is Up, echo-mode is configured, and the
 * peer advertises a non-zero Required Min Echo RX Interval (§6.8.6: zero
 * means do not send).  It transmits every max(echo transmit-interval, the
 * peer's Required Min Echo RX) less the §6.8.7 jitter (§6.8.9), and when
 * no echo came back for Detect Mult intervals the session goes down with
 * diagnostic 2, Echo Function Failed (§6.8.5).
 *
 * We advertise our own Required Min Echo RX (echo receive-interval) when
 * echo-mode is configured: looping the peer's echo packets back is the
 * kernel's forwarding, which needs forwarding on and, for our own echo
 * packets to be accepted when they come back, accept_local on the
 * interface (doc/bfd.md).  IPv6 needs forwarding on the peer; an
 * IPv6 session whose local address is link-local runs no echo: RFC 5881
 * §4 says not to use one as the echo source, the peer would answer each
 * packet with a redirect.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wp_buf.h"

#include "bfdd.h"

#define ECHO_VERSION	1
#define IP_HDR_LEN	20
#define IP6_HDR_LEN	40
#define UDP_HDR_LEN	8

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint32_t
rand32(void)
{
	return ((uint32_t)random() << 16) ^ (uint32_t)random();
}

static bool
echo_capable(const struct bfd_session *s)
{
	const struct bfd_global *bg = s->bg;

	return s->p.echo_mode && !s->key.multihop &&
	       (s->key.peer.family == AF_INET ||
		(s->key.peer.family == AF_INET6 &&
		 !IN6_IS_ADDR_LINKLOCAL(&s->key.peer.u.v6))) &&
	       (bg->echo_hook != NULL || bg->echo_tx_fd >= 0);
}

uint32_t
bfd_echo_rx_advert(const struct bfd_session *s)
{
	bool v6 = s->key.peer.family == AF_INET6;
	const struct bfd_sock *rx = s->vrf ?
		&s->vrf->socks[v6 ? BFD_SOCK_ECHO6 : BFD_SOCK_ECHO] :
		v6 ? &s->bg->echo_sock6 : &s->bg->echo_sock;

	if (!echo_capable(s) || (s->bg->echo_hook == NULL && rx->fd < 0))
		return 0;
	return s->p.echo_rx_ms * 1000u;
}

uint32_t
bfd_echo_interval(const struct bfd_session *s)
{
	uint32_t iv = s->p.echo_tx_ms * 1000u;

	if (!echo_capable(s) || s->state != BFD_STA_UP ||
	    s->remote_min_echo_rx == 0 || iv == 0)
		return 0;
	return iv > s->remote_min_echo_rx ? iv : s->remote_min_echo_rx;
}

/* --- packets ------------------------------------------------------------ */

static uint16_t
ip_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Our echo payload (RFC 5880 §6.4 leaves it to us). */
static void
echo_payload(const struct bfd_session *s, struct wp_wbuf *w)
{
	wp_wbuf_put_u8(w, ECHO_VERSION);
	wp_wbuf_put_u8(w, BFD_ECHO_LEN);
	wp_wbuf_put_u16(w, 0);
	wp_wbuf_put_u32(w, s->local_disc);
	wp_wbuf_put_u32(w, s->echo_seq);
	wp_wbuf_put_u64(w, mono_ns());
	wp_wbuf_put_u32(w, 0);
}

/*
 * IPv6 + UDP + payload, from our address to our address, hop limit 255,
 * traffic class CS6.  The UDP checksum is mandatory in IPv6 (RFC 8200
 * §8.1), over the pseudo-header.
 */
static int
echo_build6(const struct bfd_session *s, uint8_t *buf, size_t cap)
{
	uint16_t ulen = UDP_HDR_LEN + BFD_ECHO_LEN;
	uint8_t *udp = buf + IP6_HDR_LEN;
	struct wp_wbuf w;
	uint32_t sum = 0;
	uint16_t csum;

	wp_wbuf_init_fixed(&w, buf, cap);
	wp_wbuf_put_u32(&w, 6u << 28 | 0xc0u << 20);	/* version, CS6 */
	wp_wbuf_put_u16(&w, ulen);
	wp_wbuf_put_u8(&w, 17);				/* UDP */
	wp_wbuf_put_u8(&w, BFD_TTL);
	wp_wbuf_put_bytes(&w, &s->echo_src.u.v6, 16);
	wp_wbuf_put_bytes(&w, &s->echo_src.u.v6, 16);
	wp_wbuf_put_u16(&w, s->src_port ? s->src_port : BFD_SRC_PORT_MIN);
	wp_wbuf_put_u16(&w, BFD_PORT_ECHO);
	wp_wbuf_put_u16(&w, ulen);
	wp_wbuf_put_u16(&w, 0);			/* checksum, below */
	echo_payload(s, &w);
	if (wp_wbuf_error(&w))
		return -1;
	/* pseudo-header: source, destination, length, next header */
	for (size_t i = 8; i < IP6_HDR_LEN; i += 2)
		sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
	sum += ulen + 17;
	for (size_t i = 0; i + 1 < ulen; i += 2)
		sum += (uint32_t)(udp[i] << 8 | udp[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	csum = (uint16_t)~sum;
	if (csum == 0)
		csum = 0xffff;		/* RFC 768: 0 means none */
	udp[6] = (uint8_t)(csum >> 8);
	udp[7] = (uint8_t)csum;
	return (int)wp_wbuf_len(&w);
}

/*
 * IPv4 + UDP + payload, from our address to our address, TTL 255, DSCP
 * CS6, source port the session's.  Returns the length or -1.
 */
static int
echo_build(const struct bfd_session *s, uint8_t *buf, size_t cap)
{
	uint16_t total = IP_HDR_LEN + UDP_HDR_LEN + BFD_ECHO_LEN;
	struct wp_wbuf w;
	uint16_t csum;

	if (s->echo_src.family == AF_INET6)
		return echo_build6(s, buf, cap);
	wp_wbuf_init_fixed(&w, buf, cap);
	wp_wbuf_put_u8(&w, 0x45);
	wp_wbuf_put_u8(&w, 0xc0);
	wp_wbuf_put_u16(&w, total);
	wp_wbuf_put_u16(&w, (uint16_t)s->echo_seq);
	wp_wbuf_put_u16(&w, 0x4000);		/* DF */
	wp_wbuf_put_u8(&w, BFD_TTL);
	wp_wbuf_put_u8(&w, 17);			/* UDP */
	wp_wbuf_put_u16(&w, 0);			/* checksum, below */
	wp_wbuf_put_bytes(&w, &s->echo_src.u.v4, 4);
	wp_wbuf_put_bytes(&w, &s->echo_src.u.v4, 4);
	wp_wbuf_put_u16(&w, s->src_port ? s->src_port : BFD_SRC_PORT_MIN);
	wp_wbuf_put_u16(&w, BFD_PORT_ECHO);
	wp_wbuf_put_u16(&w, UDP_HDR_LEN + BFD_ECHO_LEN);
	wp_wbuf_put_u16(&w, 0);			/* no UDP checksum (IPv4) */
	echo_payload(s, &w);
	if (wp_wbuf_error(&w))
		return -1;
	csum = ip_csum(buf, IP_HDR_LEN);
	buf[10] = (uint8_t)(csum >> 8);
	buf[11] = (uint8_t)csum;
	return (int)wp_wbuf_len(&w);
}

/* --- timers ------------------------------------------------------------- */

static void
echo_send(struct bfd_session *s)
{
	uint8_t buf[IP6_HDR_LEN + UDP_HDR_LEN + BFD_ECHO_LEN];
	int len;

	s->echo_seq++;
	len = echo_build(s, buf, sizeof(buf));
	if (len < 0)
		return;
	if (s->bg->echo_hook) {
		s->bg->echo_hook(s, buf, (size_t)len);
	} else if (!s->echo_mac_ok &&
		   bfd_neigh_mac(&s->key.peer, s->rx_ifindex, s->echo_mac) ==
			   -1) {
		s->echo.tx_errors++;
		return;
	} else if (bfd_echo_sock_send(s->bg, s->rx_ifindex, s->echo_mac, buf,
				      (size_t)len) == -1) {
		s->echo.tx_errors++;
		s->echo_mac_ok = false;		/* look it up again */
		return;
	} else {
		s->echo_mac_ok = true;
	}
	s->echo.tx++;
}

static void
echo_tx_arm(struct bfd_session *s)
{
	uint32_t iv = bfd_echo_interval(s);

	if (iv == 0)
		return;
	wp_timer_start(&s->echo_tx_timer,
		       (double)bfd_jittered(iv, s->detect_mult, rand32()) / 1e6,
		       0);
}

static void
echo_tx_cb(struct wp_timer *t)
{
	struct bfd_session *s = container_of(t, struct bfd_session,
					     echo_tx_timer);

	echo_send(s);
	echo_tx_arm(s);
}

/* §6.8.5: Detect Mult (ours) times the agreed echo interval. */
static void
echo_detect_arm(struct bfd_session *s, double extra)
{
	uint32_t iv = bfd_echo_interval(s);

	if (iv == 0)
		return;
	wp_timer_again(&s->echo_detect_timer,
		       (double)s->detect_mult * iv / 1e6 + extra);
}

static void
echo_detect_cb(struct wp_timer *t)
{
	struct bfd_session *s = container_of(t, struct bfd_session,
					     echo_detect_timer);

	bfd_echo_stop(s);
	bfd_fsm(s, BFD_EVT_ECHO_TIMER);
}

void
bfd_echo_init(struct bfd_session *s)
{
	wp_timer_init(s->bg->loop, &s->echo_tx_timer, "bfd echo tx",
		      echo_tx_cb);
	wp_timer_init(s->bg->loop, &s->echo_detect_timer, "bfd echo detect",
		      echo_detect_cb);
}

void
bfd_echo_stop(struct bfd_session *s)
{
	wp_timer_stop(&s->echo_tx_timer);
	wp_timer_stop(&s->echo_detect_timer);
	s->echo_active = false;
}

static int
echo_start(struct bfd_session *s)
{
	char kb[160];

	if (s->bg->echo_hook == NULL) {
		if (s->rx_ifindex == 0)
			s->rx_ifindex = s->ifindex;
		if (s->rx_ifindex == 0 ||
		    (s->key.local.family ? (s->echo_src = s->key.local, 0) :
		     bfd_local_addr(&s->key.peer, s->key.ifname[0] ?
				    s->key.ifname : s->key.vrf,
				    &s->echo_src)) == -1) {
			wp_log_warnx_rl("peer %s: echo: no local address or "
					"interface yet",
					bfd_key_fmt(&s->key, kb, sizeof(kb)));
			return -1;
		}
		s->echo_mac_ok = false;
	} else if (s->echo_src.family == 0) {
		s->echo_src = s->key.local.family ? s->key.local : s->key.peer;
	}
	s->echo_active = true;
	echo_send(s);
	echo_tx_arm(s);
	/* the first echo gets one more interval to come back */
	echo_detect_arm(s, (double)bfd_echo_interval(s) / 1e6);
	wp_log_info("peer %s: echo function on, every %.0f ms",
		    bfd_key_fmt(&s->key, kb, sizeof(kb)),
		    bfd_echo_interval(s) / 1e3);
	return 0;
}

void
bfd_echo_update(struct bfd_session *s)
{
	uint32_t iv = bfd_echo_interval(s);

	if (iv != 0 && !s->echo_active)
		echo_start(s);
	else if (iv == 0 && s->echo_active)
		bfd_echo_stop(s);
}

/* --- reception ---------------------------------------------------------- */

void
bfd_echo_rx(struct bfd_global *bg, const uint8_t *buf, size_t len,
	    const struct bfd_rx_meta *m)
{
	struct bfd_session *s;
	struct wp_rbuf r;
	uint8_t ver, plen;
	uint16_t rsvd;
	uint32_t disc, seq;
	uint64_t sent, now, rtt;

	wp_rbuf_init(&r, buf, len);
	wp_rbuf_get_u8(&r, &ver);
	wp_rbuf_get_u8(&r, &plen);
	wp_rbuf_get_u16(&r, &rsvd);
	wp_rbuf_get_u32(&r, &disc);
	wp_rbuf_get_u32(&r, &seq);
	wp_rbuf_get_u64(&r, &sent);
	if (wp_rbuf_error(&r) || ver != ECHO_VERSION || plen != BFD_ECHO_LEN) {
		wp_log_warnx_rl("echo: malformed packet of %zu bytes", len);
		return;
	}
	s = bfd_session_find_disc(bg, disc);
	if (s == NULL || !s->echo_active ||
	    strcmp(s->key.vrf, m->vrf ? m->vrf : "") != 0 ||
	    (m->src.family && !wp_addr_eq(&m->src, &s->echo_src))) {
		wp_log_warnx_rl("echo: packet for no active echo session "
				"(discriminator %u)", disc);
		return;
	}
	now = mono_ns();
	rtt = now > sent ? (now - sent) / 1000u : 0;
	s->echo.rx++;
	s->echo.rtt_last_us = rtt;
	if (s->echo.rtt_samples == 0 || rtt < s->echo.rtt_min_us)
		s->echo.rtt_min_us = rtt;
	if (rtt > s->echo.rtt_max_us)
		s->echo.rtt_max_us = rtt;
	s->echo.rtt_sum_us += rtt;
	s->echo.rtt_samples++;
	echo_detect_arm(s, 0);
}

int
bfd_echo_open(struct bfd_global *bg)
{
	if (bfd_echo_sock_open(bg) == -1)
		return -1;
	return 0;
}

void
bfd_echo_close(struct bfd_global *bg)
{
	bfd_echo_sock_close(bg);
}
