/*
 * bfd_socket.c: the UDP transport of RFC 5881 (single hop, port 3784)
 * and RFC 5883 (multihop, port 4784), IPv4 and IPv6.
 *
 * Receiving: four wildcard sockets (v4/v6 x single/multi hop) ask the
 * kernel for the destination address and interface (IP_PKTINFO,
 * IPV6_RECVPKTINFO) and the TTL or hop limit (IP_RECVTTL,
 * IPV6_RECVHOPLIMIT) of every datagram; bfd_rx() gets the bytes and a
 * struct bfd_rx_meta and does the rest.
 *
 * Sending: one socket per session, bound to the session's source port,
 * which RFC 5881 §4 wants constant for a session, in 49152-65535 and
 * unique per session; to the local address if one is configured; to the
 * interface with SO_BINDTODEVICE for interface sessions.  Packets leave
 * with TTL / hop limit 255 (RFC 5881 §5) and DSCP CS6.  A socket that
 * cannot be opened yet (interface or address missing) is retried from
 * the transmit timer.
 *
 * VRFs: a session in a VRF other than the default has its own receive
 * sockets (bfd_vrf.c opens them through bfd_vrf_sockets_open()) and its
 * transmit socket bound to the VRF device with SO_BINDTODEVICE, which is
 * how Linux scopes a socket to a VRF (or to its interface, which is in
 * the VRF).  The default VRF's wildcard sockets do not see the VRFs'
 * traffic as long as net.ipv4.udp_l3mdev_accept is 0, the kernel's
 * default (Documentation/networking/vrf.rst).  At 1 a socket bound to a
 * VRF still wins for that VRF's packets (the kernel prefers the bound
 * socket), but the packets of a VRF bfdd has no socket in reach the
 * default VRF's and could pass for a default-VRF peer's with the same
 * address: bfd_sockets_open() warns.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bfdd.h"

WP_DEBUG_DEFINE(DBG_BFD_NETWORK, "bfd network");

#define RX_BATCH	256	/* datagrams per wakeup, then yield */
#define RX_DRAIN_MAX	65536	/* datagrams read before a detection verdict */
#define RX_RCVBUF	(16 << 20)
#define SOCK_RETRY	1.0	/* seconds between open attempts */
#define TOS_CS6		0xc0

union bfd_sa {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr_storage ss;
};

static socklen_t
sa_fill(union bfd_sa *u, const struct wp_addr *a, int family, uint16_t port,
	int ifindex)
{
	memset(u, 0, sizeof(*u));
	if (family == AF_INET) {
		u->sin.sin_family = AF_INET;
		u->sin.sin_port = htons(port);
		if (a && a->family == AF_INET)
			u->sin.sin_addr = a->u.v4;
		return sizeof(u->sin);
	}
	u->sin6.sin6_family = AF_INET6;
	u->sin6.sin6_port = htons(port);
	if (a && a->family == AF_INET6) {
		u->sin6.sin6_addr = a->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&a->u.v6))
			u->sin6.sin6_scope_id = (uint32_t)ifindex;
	}
	return sizeof(u->sin6);
}

static int
setint(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

/* --- receiving ---------------------------------------------------------- */

static void
rx_cmsgs(struct msghdr *msg, int family, struct bfd_rx_meta *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			m->kernel_us = (uint64_t)ts.tv_sec * 1000000u +
				       (uint64_t)ts.tv_nsec / 1000u;
		} else if (family == AF_INET && c->cmsg_level == IPPROTO_IP) {
			if (c->cmsg_type == IP_TTL) {
				memcpy(&m->ttl, CMSG_DATA(c), sizeof(int));
			} else if (c->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				m->ifindex = pi.ipi_ifindex;
				m->dst.family = AF_INET;
				m->dst.u.v4 = pi.ipi_addr;
			}
		} else if (family == AF_INET6 &&
			   c->cmsg_level == IPPROTO_IPV6) {
			if (c->cmsg_type == IPV6_HOPLIMIT) {
				memcpy(&m->ttl, CMSG_DATA(c), sizeof(int));
			} else if (c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(c), sizeof(pi));
				m->ifindex = (int)pi.ipi6_ifindex;
				m->dst.family = AF_INET6;
				m->dst.u.v6 = pi.ipi6_addr;
			}
		}
	}
}

/*
 * One recvmmsg() takes up to RX_VLEN datagrams; a wakeup reads at most
 * RX_BATCH before yielding to the loop (timers must not starve).
 */
#define RX_VLEN		32
#define RX_BUF		256	/* > any BFD control or echo packet */
#define RX_CTL		(CMSG_SPACE(sizeof(struct in6_pktinfo)) + \
			 CMSG_SPACE(sizeof(int)) + \
			 CMSG_SPACE(sizeof(struct timespec)) + 64)

struct rx_slot {
	uint8_t buf[RX_BUF];
	union bfd_sa from;
	union {
		char b[RX_CTL];
		struct cmsghdr align;
	} ctl;
	struct iovec iov;
};

static uint64_t
real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Records how long the packet waited; returns that, in microseconds. */
static uint64_t
rx_delay_note(struct bfd_rx_delay *d, uint64_t kernel_us)
{
	uint64_t now = real_us();
	uint64_t late = now > kernel_us ? now - kernel_us : 0;

	d->samples++;
	d->sum_us += late;
	if (late > d->max_us)
		d->max_us = late;
	if (late > 10000)
		d->over_10ms++;
	return late;
}

static void
rx_one(struct bfd_sock *bs, struct rx_slot *sl, struct msghdr *msg,
       size_t n)
{
	struct bfd_rx_meta m;

	memset(&m, 0, sizeof(m));
	m.ttl = -1;
	m.multihop = bs->multihop;
	if (bs->family == AF_INET) {
		m.src.family = AF_INET;
		m.src.u.v4 = sl->from.sin.sin_addr;
		m.sport = ntohs(sl->from.sin.sin_port);
	} else {
		m.src.family = AF_INET6;
		m.src.u.v6 = sl->from.sin6.sin6_addr;
		m.sport = ntohs(sl->from.sin6.sin6_port);
	}
	rx_cmsgs(msg, bs->family, &m);
	m.vrf = bs->vrf ? bs->vrf->name : "";
	/* In a VRF the kernel may name the VRF device as the arrival
	 * interface: that says nothing about the link. */
	if (bs->vrf && m.ifindex == bs->vrf->ifindex)
		m.ifindex = 0;
	/* When the packet reached us, on the daemon's clock: the time it
	 * waited in the queue is our lateness, not the peer's. */
	if (m.kernel_us)
		m.arrival = wp_monotime() -
			    (double)rx_delay_note(&bs->bg->rx_delay,
						  m.kernel_us) / 1e6;
	if (bs->echo)
		bfd_echo_rx(bs->bg, sl->buf, n, &m);
	else
		bfd_rx(bs->bg, sl->buf, n, &m);
}

/* Read up to MAX datagrams from BS; stops early once it is empty. */
static void
sock_read(struct bfd_sock *bs, int max)
{
	static struct rx_slot slots[RX_VLEN];
	static struct mmsghdr vec[RX_VLEN];
	int n;

	for (int done = 0; done < max; done += n) {
		for (int i = 0; i < RX_VLEN; i++) {
			struct msghdr *h = &vec[i].msg_hdr;

			slots[i].iov.iov_base = slots[i].buf;
			slots[i].iov.iov_len = sizeof(slots[i].buf);
			memset(h, 0, sizeof(*h));
			h->msg_name = &slots[i].from;
			h->msg_namelen = sizeof(slots[i].from);
			h->msg_iov = &slots[i].iov;
			h->msg_iovlen = 1;
			h->msg_control = slots[i].ctl.b;
			h->msg_controllen = sizeof(slots[i].ctl.b);
		}
		n = recvmmsg(bs->fd, vec, RX_VLEN, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				wp_log_warnx_rl("recvmmsg (%s%s): %s",
						bs->family == AF_INET ? "IPv4" :
									"IPv6",
						bs->multihop ? " multihop" : "",
						strerror(errno));
			return;
		}
		for (int i = 0; i < n; i++)
			rx_one(bs, &slots[i], &vec[i].msg_hdr, vec[i].msg_len);
		if (n < RX_VLEN)
			return;		/* drained */
	}
}

static void
sock_rx_cb(struct wp_io *io, int revents)
{
	sock_read(container_of(io, struct bfd_sock, io), RX_BATCH);
}

/*
 * Room for bursts: a thousand sessions at 50 ms are 20,000 packets a
 * second, and a daemon held off its CPU for a few Detection Times must
 * not lose them (each small datagram costs 1-2 KB of buffer: 4 MB, 8 as
 * the kernel doubles it, filled up in about 0.3 s).  Memory is used only
 * while packets wait.  FORCE works as root (or with CAP_NET_ADMIN);
 * otherwise the kernel's rmem_max caps the request.
 */
static void
rcvbuf_grow(int fd)
{
	int want = RX_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want,
		       sizeof(want)) == -1)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &want, sizeof(want));
}

static int
sock_listen(struct bfd_global *bg, struct bfd_sock *bs, int family,
	    bool multihop, uint16_t port)
{
	union bfd_sa sa;
	socklen_t salen;
	int fd;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setint(fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto out_close;
	if (bs->vrf && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE,
				  bs->vrf->name,
				  (socklen_t)strlen(bs->vrf->name)) == -1)
		goto out_close;
	if (family == AF_INET) {
		if (setint(fd, IPPROTO_IP, IP_PKTINFO, 1) == -1 ||
		    setint(fd, IPPROTO_IP, IP_RECVTTL, 1) == -1)
			goto out_close;
	} else {
		if (setint(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) == -1 ||
		    setint(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) == -1 ||
		    setint(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) == -1)
			goto out_close;
	}
	rcvbuf_grow(fd);
	/* The kernel's arrival time: how long packets wait for us. */
	setint(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	salen = sa_fill(&sa, NULL, family, port, 0);
	if (bind(fd, &sa.sa, salen) == -1)
		goto out_close;
	bs->fd = fd;
	bs->family = family;
	bs->multihop = multihop;
	bs->bg = bg;
	wp_io_init(bg->loop, &bs->io, "bfd rx", fd, EV_READ, sock_rx_cb);
	/* Packets that arrived during a long callback are read before the
	 * timers that became due meanwhile run (libev runs the higher
	 * priority first). */
	ev_set_priority(&bs->io.w, EV_MAXPRI);
	wp_io_start(&bs->io);
	return 0;

out_close:
	close(fd);
	return -1;
}

/* The first `n` receive sockets of a VRF (`v` NULL: the default one),
 * in enum bfd_sock_idx order; returns how many opened. */
static int
socks_open(struct bfd_global *bg, struct bfd_vrf *v, struct bfd_sock *socks,
	   size_t n)
{
	static const struct {
		int family;
		bool multihop;
		bool echo;
		uint16_t port;
		const char *what;
	} want[BFD_SOCK_MAX] = {
		[BFD_SOCK_V4] = { AF_INET, false, false, BFD_PORT_SINGLE,
				  "IPv4 single-hop" },
		[BFD_SOCK_V6] = { AF_INET6, false, false, BFD_PORT_SINGLE,
				  "IPv6 single-hop" },
		[BFD_SOCK_V4_MH] = { AF_INET, true, false, BFD_PORT_MULTI,
				     "IPv4 multihop" },
		[BFD_SOCK_V6_MH] = { AF_INET6, true, false, BFD_PORT_MULTI,
				     "IPv6 multihop" },
		[BFD_SOCK_ECHO] = { AF_INET, false, true, BFD_PORT_ECHO,
				    "IPv4 echo" },
		[BFD_SOCK_ECHO6] = { AF_INET6, false, true, BFD_PORT_ECHO,
				     "IPv6 echo" },
	};
	int opened = 0;

	for (size_t i = 0; i < n; i++) {
		socks[i].vrf = v;
		socks[i].echo = want[i].echo;
		if (sock_listen(bg, &socks[i], want[i].family,
				want[i].multihop, want[i].port) == 0) {
			opened++;
			continue;
		}
		/* A host without IPv6 still runs IPv4 sessions. */
		socks[i].fd = -1;
		wp_log_warn("%s socket on port %u%s%s", want[i].what,
			    want[i].port, v ? ", vrf " : "", v ? v->name : "");
	}
	return opened;
}

static void
socks_close(struct bfd_sock *socks, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct bfd_sock *bs = &socks[i];

		if (bs->fd < 0)
			continue;
		wp_io_stop(&bs->io);
		close(bs->fd);
		bs->fd = -1;
	}
}

static void
l3mdev_accept_check(void)
{
	FILE *f = fopen("/proc/sys/net/ipv4/udp_l3mdev_accept", "r");
	int v = 0;

	if (f == NULL)
		return;
	if (fscanf(f, "%d", &v) == 1 && v != 0)
		wp_log_warnx("net.ipv4.udp_l3mdev_accept is %d: BFD packets "
			     "of a VRF without BFD sessions reach the default "
			     "VRF's sessions; set it to 0", v);
	fclose(f);
}

int
bfd_sockets_open(struct bfd_global *bg)
{
	l3mdev_accept_check();
	return socks_open(bg, NULL, bg->socks, BFD_SOCK_CTL) > 0 ? 0 : -1;
}

int
bfd_vrf_sockets_open(struct bfd_vrf *v)
{
	return socks_open(v->bg, v, v->socks, BFD_SOCK_MAX);
}

void
bfd_vrf_sockets_close(struct bfd_vrf *v)
{
	socks_close(v->socks, BFD_SOCK_MAX);
}

/*
 * Everything queued, not one batch: after the daemon was not scheduled
 * for a while a thousand sessions leave thousands of packets behind,
 * and the one that keeps this session alive may be the last of them.
 * RX_DRAIN_MAX only bounds a flood that never lets the queue empty.
 */
void
bfd_sockets_drain(struct bfd_global *bg)
{
	for (size_t i = 0; i < BFD_SOCK_CTL; i++)
		if (bg->socks[i].fd >= 0)
			sock_read(&bg->socks[i], RX_DRAIN_MAX);
	bfd_vrfs_drain(bg);
}

void
bfd_vrf_sockets_drain(struct bfd_vrf *v)
{
	for (size_t i = 0; i < BFD_SOCK_CTL; i++)
		if (v->socks[i].fd >= 0)
			sock_read(&v->socks[i], RX_DRAIN_MAX);
}

void
bfd_sockets_close(struct bfd_global *bg)
{
	socks_close(bg->socks, BFD_SOCK_CTL);
}

/* --- sending ------------------------------------------------------------ */

/* Bind to a free port of the RFC 5881 §4 range, round robin. */
static int
bind_src_port(struct bfd_session *s, int fd, int family)
{
	struct bfd_global *bg = s->bg;
	const struct wp_addr *local = s->key.local.family ? &s->key.local :
							  NULL;
	unsigned int range = BFD_SRC_PORT_MAX - BFD_SRC_PORT_MIN + 1;
	union bfd_sa sa;
	socklen_t salen;

	for (unsigned int tries = 0; tries < range; tries++) {
		uint16_t port = bg->next_port;

		bg->next_port = port == BFD_SRC_PORT_MAX ? BFD_SRC_PORT_MIN :
							   (uint16_t)(port + 1);
		salen = sa_fill(&sa, local, family, port, s->ifindex);
		if (bind(fd, &sa.sa, salen) == 0) {
			s->src_port = port;
			return 0;
		}
		if (errno != EADDRINUSE)
			return -1;
	}
	errno = EADDRINUSE;
	return -1;
}

int
bfd_session_sock_open(struct bfd_session *s)
{
	int family = s->key.peer.family;
	union bfd_sa to;
	const char *dev;
	char kb[160];
	int fd, saved;

	if (s->sock >= 0)
		return 0;
	s->sock_retry = wp_monotime() + SOCK_RETRY;
	if (s->vrf && s->vrf->ifindex == 0) {
		/* bfd_vrf.c said so once; show says so (problem). */
		errno = ENODEV;
		return -1;
	}
	if (s->key.ifname[0]) {
		s->ifindex = (int)if_nametoindex(s->key.ifname);
		if (s->ifindex == 0) {
			wp_log_warnx_rl("peer %s: interface %s not found",
					bfd_key_fmt(&s->key, kb, sizeof(kb)),
					s->key.ifname);
			return -1;
		}
	}
	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto out_warn;
	if (family == AF_INET) {
		if (setint(fd, IPPROTO_IP, IP_TTL, BFD_TTL) == -1)
			goto out_close;
		setint(fd, IPPROTO_IP, IP_TOS, TOS_CS6);
	} else {
		if (setint(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, BFD_TTL) == -1)
			goto out_close;
		setint(fd, IPPROTO_IPV6, IPV6_TCLASS, TOS_CS6);
	}
	/* The local address may come later (an address being added). */
	setint(fd, IPPROTO_IP, IP_FREEBIND, 1);
	/* Nothing is ever read here: keep the receive buffer small. */
	setint(fd, SOL_SOCKET, SO_RCVBUF, 1);
	/* The interface, which is in the VRF, or else the VRF device. */
	if ((dev = s->key.ifname[0] ? s->key.ifname : s->key.vrf)[0] &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev,
		       (socklen_t)strlen(dev)) == -1)
		goto out_close;
	if (bind_src_port(s, fd, family) == -1)
		goto out_close;
	/* Connected, the socket keeps its route: no lookup per packet.  Not
	 * possible while there is no route; sendto() then. */
	s->sock_connected = connect(fd, &to.sa,
				    sa_fill(&to, &s->key.peer, family,
					    s->key.multihop ? BFD_PORT_MULTI :
							      BFD_PORT_SINGLE,
					    s->ifindex)) == 0;
	s->sock = fd;
	wp_debug(DBG_BFD_NETWORK, "peer %s: tx socket, source port %u",
		 bfd_key_fmt(&s->key, kb, sizeof(kb)), s->src_port);
	return 0;

out_close:
	saved = errno;
	close(fd);
	errno = saved;
out_warn:
	wp_log_warnx_rl("peer %s: cannot open the transmit socket: %s",
			bfd_key_fmt(&s->key, kb, sizeof(kb)), strerror(errno));
	return -1;
}

void
bfd_session_sock_close(struct bfd_session *s)
{
	if (s->sock >= 0)
		close(s->sock);
	s->sock = -1;
}

int
bfd_session_sock_send(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
	uint16_t port = s->key.multihop ? BFD_PORT_MULTI : BFD_PORT_SINGLE;
	union bfd_sa to;
	socklen_t tolen;
	char kb[160];
	ssize_t n;

	if (s->sock < 0) {
		if (wp_monotime() < s->sock_retry ||
		    bfd_session_sock_open(s) == -1)
			return -1;
	}
	if (s->sock_connected) {
		n = send(s->sock, pkt, len, 0);
		/* The peer's host said "port unreachable" to an earlier
		 * packet (its bfdd is not running): not this one's fault. */
		if (n < 0 && errno == ECONNREFUSED)
			n = send(s->sock, pkt, len, 0);
	} else {
		tolen = sa_fill(&to, &s->key.peer, s->key.peer.family, port,
				s->ifindex);
		n = sendto(s->sock, pkt, len, 0, &to.sa, tolen);
	}
	if (n == (ssize_t)len)
		return 0;
	/* A link that is down says so here; the timers tell the story. */
	wp_log_warnx_rl("peer %s: send: %s",
			bfd_key_fmt(&s->key, kb, sizeof(kb)),
			n < 0 ? strerror(errno) : "short write");
	return -1;
}

/* --- echo (RFC 5881 §4) --------------------------------------------------- */

int
bfd_echo_sock_open(struct bfd_global *bg)
{
	bg->echo_sock.echo = true;
	if (sock_listen(bg, &bg->echo_sock, AF_INET, false, BFD_PORT_ECHO) ==
	    -1) {
		wp_log_warn("echo: UDP port %u", BFD_PORT_ECHO);
		bg->echo_sock.fd = -1;
		return -1;
	}
	bg->echo_sock6.echo = true;
	if (sock_listen(bg, &bg->echo_sock6, AF_INET6, false,
			BFD_PORT_ECHO) == -1) {
		wp_log_warn("echo: UDP port %u, IPv6", BFD_PORT_ECHO);
		bg->echo_sock6.fd = -1;		/* IPv4 echo still works */
	}
	/* IP header and up are ours; the kernel adds the Ethernet one. */
	bg->echo_tx_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK |
				SOCK_CLOEXEC, 0);
	if (bg->echo_tx_fd < 0) {
		wp_log_warn("echo: packet socket (needs CAP_NET_RAW)");
		return -1;
	}
	return 0;
}

void
bfd_echo_sock_close(struct bfd_global *bg)
{
	socks_close(&bg->echo_sock, 1);
	socks_close(&bg->echo_sock6, 1);
	if (bg->echo_tx_fd >= 0)
		close(bg->echo_tx_fd);
	bg->echo_tx_fd = -1;
}

int
bfd_echo_sock_send(struct bfd_global *bg, int ifindex, const uint8_t mac[6],
		   const uint8_t *pkt, size_t len)
{
	struct sockaddr_ll ll;

	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(len && pkt[0] >> 4 == 6 ? ETH_P_IPV6 :
						       ETH_P_IP);
	ll.sll_ifindex = ifindex;
	ll.sll_halen = 6;
	memcpy(ll.sll_addr, mac, 6);
	if (sendto(bg->echo_tx_fd, pkt, len, 0, (struct sockaddr *)&ll,
		   sizeof(ll)) == (ssize_t)len)
		return 0;
	wp_log_warnx_rl("echo: send on ifindex %d: %s", ifindex,
			strerror(errno));
	return -1;
}

/*
 * IPv6: the neighbour table through rtnetlink (RTM_GETNEIGH dump of
 * AF_INET6 on the interface); an entry in any state but INCOMPLETE or
 * FAILED has the address we want.
 */
static int
neigh6_mac(const struct wp_addr *a, int ifindex, uint8_t mac[6])
{
	struct {
		struct nlmsghdr nh;
		struct ndmsg nd;
	} req;
	char buf[16384];
	int fd, rc = -1;
	bool done = false;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = sizeof(req);
	req.nh.nlmsg_type = RTM_GETNEIGH;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nd.ndm_family = AF_INET6;
	req.nd.ndm_ifindex = ifindex;
	if (send(fd, &req, sizeof(req), 0) != (ssize_t)sizeof(req))
		goto out;
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n <= 0)
			break;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			struct ndmsg *nd = NLMSG_DATA(nh);
			struct rtattr *rta;
			int len;
			const uint8_t *dst = NULL, *ll = NULL;

			if (nh->nlmsg_type == NLMSG_DONE ||
			    nh->nlmsg_type == NLMSG_ERROR) {
				done = true;
				break;
			}
			if (nh->nlmsg_type != RTM_NEWNEIGH ||
			    nd->ndm_ifindex != ifindex ||
			    (nd->ndm_state & (NUD_INCOMPLETE | NUD_FAILED)))
				continue;
			len = (int)RTM_PAYLOAD(nh);
			for (rta = (struct rtattr *)((char *)nd +
						     NLMSG_ALIGN(sizeof(*nd)));
			     RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
				if (rta->rta_type == NDA_DST &&
				    RTA_PAYLOAD(rta) == 16)
					dst = RTA_DATA(rta);
				else if (rta->rta_type == NDA_LLADDR &&
					 RTA_PAYLOAD(rta) == 6)
					ll = RTA_DATA(rta);
			}
			if (dst && ll && memcmp(dst, &a->u.v6, 16) == 0 &&
			    rc == -1) {
				memcpy(mac, ll, 6);
				rc = 0;
			}
		}
	}
out:
	close(fd);
	return rc;
}

/* /proc/net/arp: "IP HWtype Flags HWaddress Mask Device", complete (0x2). */
int
bfd_neigh_mac(const struct wp_addr *a, int ifindex, uint8_t mac[6])
{
	char line[256], ip[64], hw[64], dev[IFNAMSIZ + 8], want[WP_ADDR_STRLEN];
	char ifname[IF_NAMESIZE];
	unsigned int type, flags;
	int rc = -1;
	FILE *f;

	if (a->family == AF_INET6)
		return neigh6_mac(a, ifindex, mac);
	if (a->family != AF_INET || if_indextoname((unsigned int)ifindex,
						   ifname) == NULL)
		return -1;
	wp_addr_fmt(a, want, sizeof(want));
	if ((f = fopen("/proc/net/arp", "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s 0x%x 0x%x %63s %*s %23s", ip, &type,
			   &flags, hw, dev) != 5)
			continue;
		if (strcmp(ip, want) != 0 || strcmp(dev, ifname) != 0 ||
		    !(flags & 0x2))
			continue;
		if (sscanf(hw, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0],
			   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) == 6)
			rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/* Ask the routing table: connect a UDP socket and read its name. */
int
bfd_local_addr(const struct wp_addr *peer, const char *ifname,
	       struct wp_addr *out)
{
	union bfd_sa sa, me;
	socklen_t len = sizeof(me);
	int fd, rc = -1;

	fd = socket(peer->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (ifname && ifname[0])
		setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
			   (socklen_t)strlen(ifname));
	if (connect(fd, &sa.sa, sa_fill(&sa, peer, peer->family,
					BFD_PORT_SINGLE, 0)) == 0 &&
	    getsockname(fd, &me.sa, &len) == 0) {
		memset(out, 0, sizeof(*out));
		out->family = (uint8_t)peer->family;
		if (peer->family == AF_INET)
			out->u.v4 = me.sin.sin_addr;
		else
			out->u.v6 = me.sin6.sin6_addr;
		rc = 0;
	}
	close(fd);
	return rc;
}
