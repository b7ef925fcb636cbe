/*
 * ospf_packet.c: the OSPF packet layer (§8): sockets, the common header,
 * checksum and authentication (App. D: null, simple password, MD5;
 * RFC 5709: HMAC-SHA with key chains), the receive checks of §8.2, and
 * dispatch to the per-type files.
 *
 * One raw IP socket (protocol 89) per OSPF interface, bound to its device
 * and joined to AllSPFRouters on it (and AllDRouters while we are DR or
 * BDR), so what a socket receives is what arrived on that interface and
 * for groups we joined.  Sending goes through ospf_packet_start() /
 * ospf_packet_send(): callers write the body, this file the rest.
 *
 * Every packet that fails a check is counted per interface and reason
 * (the adjacency doctor in `show ip ospf interface` reads the counters),
 * logged rate-limited, and dropped.  ospf_packet_parse() and
 * ospf_packet_auth_check() do no I/O: the fuzz target drives them.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ospfd.h"
#include "wp_md5.h"

WP_MEMTYPE_DEFINE(MT_OSPF_PKT, "OSPF packet");
WP_DEBUG_DEFINE(DBG_OSPF_PACKET, "ospf-packet");

#define RECV_BUF	65536

const char *
ospf_pkt_type_name(uint8_t type)
{
	static const char *const names[] = {
		[OSPF_PKT_HELLO] = "Hello",
		[OSPF_PKT_DBD] = "Database Description",
		[OSPF_PKT_LSREQ] = "Link State Request",
		[OSPF_PKT_LSUPD] = "Link State Update",
		[OSPF_PKT_LSACK] = "Link State Acknowledgment",
	};

	return type > 0 && type < OSPF_PKT_MAX ? names[type] : "unknown";
}

/* --- decoding (pure) ------------------------------------------------------ */

static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
ospf_packet_parse(const uint8_t *data, size_t len, struct ospf_pkt *pkt,
		  enum ospf_if_err *e, char *err, size_t errlen)
{
	struct wp_rbuf r;

	memset(pkt, 0, sizeof(*pkt));
	wp_rbuf_init(&r, data, len);
	wp_rbuf_get_u8(&r, &pkt->version);
	wp_rbuf_get_u8(&r, &pkt->type);
	wp_rbuf_get_u16(&r, &pkt->len);
	wp_rbuf_get_u32(&r, &pkt->rtr_id);
	wp_rbuf_get_u32(&r, &pkt->area_id);
	wp_rbuf_get_u16(&r, &pkt->cksum);
	wp_rbuf_get_u16(&r, &pkt->autype);
	wp_rbuf_get_bytes(&r, pkt->auth, OSPF_AUTH_LEN);
	if (wp_rbuf_error(&r)) {
		*e = OSPF_ERR_SHORT;
		seterr(err, errlen, "%zu bytes: shorter than the %d-byte "
		       "header", len, OSPF_HDR_LEN);
		return -1;
	}
	if (pkt->version != OSPF_VERSION) {
		*e = OSPF_ERR_VERSION;
		seterr(err, errlen, "version %u", pkt->version);
		return -1;
	}
	if (pkt->type == 0 || pkt->type >= OSPF_PKT_MAX) {
		*e = OSPF_ERR_TYPE;
		seterr(err, errlen, "packet type %u", pkt->type);
		return -1;
	}
	/* The length field may be shorter than the datagram (the MD5
	 * digest follows it), never longer, never below the header. */
	if (pkt->len < OSPF_HDR_LEN || pkt->len > len) {
		*e = OSPF_ERR_LENGTH;
		seterr(err, errlen, "length field %u, %zu bytes received",
		       pkt->len, len);
		return -1;
	}
	wp_rbuf_sub(&r, pkt->len - OSPF_HDR_LEN, &pkt->body);
	pkt->crypt_seq = (uint32_t)pkt->auth[4] << 24 | pkt->auth[5] << 16 |
			 pkt->auth[6] << 8 | pkt->auth[7];
	return 0;
}

/* One's complement sum of the packet, the authentication field left out
 * (§D.4.1, §D.4.2); 0 when the checksum field is right. */
static uint16_t
pkt_cksum(const uint8_t *data, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		if (i >= 16 && i < 16 + OSPF_AUTH_LEN)
			continue;
		sum += (uint32_t)data[i] << 8 | data[i + 1];
	}
	if (i < len)
		sum += (uint32_t)data[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* App. D.4.3: MD5 over the packet and the key padded to 16 bytes. */
static void
md5_digest(const uint8_t *data, size_t len, const char *key,
	   uint8_t out[OSPF_MD5_LEN])
{
	uint8_t k[OSPF_MD5_LEN];
	struct wp_md5 m;

	memset(k, 0, sizeof(k));
	memcpy(k, key, strnlen(key, OSPF_MD5_LEN));
	wp_md5_init(&m);
	wp_md5_update(&m, data, len);
	wp_md5_update(&m, k, sizeof(k));
	wp_md5_final(&m, out);
}

/* A key chain key without an algorithm is an MD5 key, as App. D has. */
static enum wp_kc_algo
key_algo(const struct wp_key *key)
{
	return key->algo == WP_KC_ALGO_NONE ? WP_KC_MD5 : key->algo;
}

/*
 * The digest of `len` bytes of packet with `key`: App. D.4.3 for MD5;
 * for HMAC-SHA, RFC 5709 §3.3: over the packet followed by Apad, the
 * value 0x878FE1F3 repeated to the digest's length, where the digest
 * will go.
 */
static int
kc_digest(const struct wp_key *key, const uint8_t *data, size_t len,
	  uint8_t out[WP_KC_DIGEST_MAX])
{
	static const uint8_t apad_word[4] = { 0x87, 0x8f, 0xe1, 0xf3 };
	enum wp_kc_algo a = key_algo(key);
	size_t l = wp_kc_algo_len(a);
	uint8_t apad[WP_KC_DIGEST_MAX];

	if (a == WP_KC_MD5) {
		md5_digest(data, len, key->string, out);
		return 0;
	}
	for (size_t i = 0; i < l; i++)
		apad[i] = apad_word[i % 4];
	return wp_kc_hmac(a, key->string, strlen(key->string), data, len,
			  apad, l, out);
}

int
ospf_packet_auth_check_kc(const uint8_t *data, size_t len,
			  const struct ospf_pkt *pkt,
			  const struct wp_keychain *kc, time_t now,
			  enum ospf_if_err *e)
{
	uint8_t want[WP_KC_DIGEST_MAX];
	const struct wp_key *key;
	size_t l;

	if (pkt->autype != OSPF_AUTH_CRYPT) {
		*e = OSPF_ERR_AUTH_TYPE;
		return -1;
	}
	*e = OSPF_ERR_AUTH;
	/* RFC 5709 §3.2: the key ID picks the key, and with it the
	 * algorithm; the Auth Data Len must be that algorithm's. */
	key = wp_keychain_accept_key(kc, pkt->auth[2], now);
	if (key == NULL)
		return -1;
	l = wp_kc_algo_len(key_algo(key));
	if (pkt->auth[3] != l || len < (size_t)pkt->len + l ||
	    kc_digest(key, data, pkt->len, want) < 0)
		return -1;
	/* No checksum: the digest covers everything (RFC 5709 §3.1). */
	return memcmp(want, data + pkt->len, l) == 0 ? 0 : -1;
}

static int
crypt_check(const uint8_t *data, size_t len, const struct ospf_pkt *pkt,
	    const struct ospf_md5_key *md5, unsigned int n_md5)
{
	uint8_t want[OSPF_MD5_LEN];
	const struct ospf_md5_key *key = NULL;

	/* Auth field: 0, 0, key ID, data length, sequence number. */
	if (pkt->auth[3] != OSPF_MD5_LEN || len < (size_t)pkt->len +
	    OSPF_MD5_LEN)
		return -1;
	for (unsigned int i = 0; i < n_md5; i++)
		if (md5[i].id == pkt->auth[2])
			key = &md5[i];
	if (key == NULL)
		return -1;
	md5_digest(data, pkt->len, key->key, want);
	/* Not a secret comparison worth timing attacks: the digest is on
	 * the wire in clear anyway. */
	return memcmp(want, data + pkt->len, OSPF_MD5_LEN) == 0 ? 0 : -1;
}

int
ospf_packet_auth_check(const uint8_t *data, size_t len,
		       const struct ospf_pkt *pkt, int auth_type,
		       const char *key, const struct ospf_md5_key *md5,
		       unsigned int n_md5, enum ospf_if_err *e)
{
	char want[OSPF_AUTH_LEN];

	if (pkt->autype != auth_type) {
		*e = OSPF_ERR_AUTH_TYPE;
		return -1;
	}
	switch (auth_type) {
	case OSPF_AUTH_NULL:
		break;
	case OSPF_AUTH_SIMPLE:
		memset(want, 0, sizeof(want));
		memcpy(want, key, strnlen(key, OSPF_AUTH_LEN));
		if (memcmp(want, pkt->auth, OSPF_AUTH_LEN) != 0) {
			*e = OSPF_ERR_AUTH;
			return -1;
		}
		break;
	case OSPF_AUTH_CRYPT:
		/* No checksum: the digest covers everything (§D.4.3). */
		if (crypt_check(data, len, pkt, md5, n_md5) < 0) {
			*e = OSPF_ERR_AUTH;
			return -1;
		}
		return 0;
	default:
		*e = OSPF_ERR_AUTH_TYPE;
		return -1;
	}
	if (pkt_cksum(data, pkt->len) != 0) {
		*e = OSPF_ERR_CKSUM;
		return -1;
	}
	return 0;
}

/* --- sockets -------------------------------------------------------------- */

static int
join(struct ospf_iface *ifp, uint32_t group, bool on)
{
	struct ip_mreqn mr;

	memset(&mr, 0, sizeof(mr));
	mr.imr_multiaddr.s_addr = htonl(group);
	mr.imr_address.s_addr = htonl(ifp->addr);
	mr.imr_ifindex = ifp->ifindex;
	if (setsockopt(ifp->fd, IPPROTO_IP, on ? IP_ADD_MEMBERSHIP :
		       IP_DROP_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		char g[16];

		wp_log_warn("interface %s: %s %s", ifp->name,
			    on ? "join" : "leave",
			    ospf_id_fmt(group, g, sizeof(g)));
		return -1;
	}
	return 0;
}

int
ospf_packet_join_dr(struct ospf_iface *ifp, bool on)
{
	if (ifp->fd < 0 || ifp->joined_dr == on)
		return 0;
	if (join(ifp, OSPF_ALL_DROUTERS, on) < 0)
		return -1;
	ifp->joined_dr = on;
	return 0;
}

static void
packet_read(struct wp_io *io, int revents)
{
	struct ospf_iface *ifp = container_of(io, struct ospf_iface, io);
	struct ospf *ospf = ifp->ospf;
	int budget = 64;

	if (ospf->pktbuf == NULL) {
		ospf->pktbuf = wp_malloc(MT_OSPF_PKT, RECV_BUF);
		ospf->pktbuf_len = RECV_BUF;
	}
	/* A bounded number per callback: one busy interface does not
	 * starve the rest of the loop.  The interface may go away in the
	 * middle (a neighbour event taking it down): stop then. */
	while (budget-- > 0 && ifp->fd >= 0) {
		uint8_t *buf = ospf->pktbuf;
		ssize_t n = recv(ifp->fd, buf, ospf->pktbuf_len, 0);
		size_t ihl, tot;
		uint32_t src, dst;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				wp_log_warn("interface %s: recv", ifp->name);
			return;
		}
		if ((size_t)n < OSPF_IP_HDR_LEN || (buf[0] >> 4) != 4)
			continue;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		tot = (size_t)buf[2] << 8 | buf[3];
		if (ihl < OSPF_IP_HDR_LEN || ihl > (size_t)n)
			continue;
		if (tot > (size_t)n || tot < ihl)
			tot = (size_t)n;
		memcpy(&src, buf + 12, 4);
		memcpy(&dst, buf + 16, 4);
		ospf_packet_input(ifp, buf + ihl, tot - ihl, ntohl(src),
				  ntohl(dst));
	}
}

int
ospf_packet_open(struct ospf_iface *ifp)
{
	int fd, off = 0, ttl = 1, tos = IPTOS_PREC_INTERNETCONTROL;
	int bufsz = 1 << 20;
	struct ip_mreqn mr;

	fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    OSPF_IPPROTO);
	if (fd < 0) {
		wp_log_warn("interface %s: raw socket", ifp->name);
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifp->name,
		       (socklen_t)strlen(ifp->name)) < 0) {
		wp_log_warn("interface %s: SO_BINDTODEVICE", ifp->name);
		goto out_close;
	}
	memset(&mr, 0, sizeof(mr));
	mr.imr_address.s_addr = htonl(ifp->addr);
	mr.imr_ifindex = ifp->ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off,
		       sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
		       sizeof(ttl)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &off,
		       sizeof(off)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) < 0) {
		wp_log_warn("interface %s: socket options", ifp->name);
		goto out_close;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufsz, sizeof(bufsz));
	ifp->fd = fd;
	ifp->joined_dr = false;
	if (join(ifp, OSPF_ALL_SPF_ROUTERS, true) < 0) {
		ifp->fd = -1;
		goto out_close;
	}
	wp_io_init(ifp->ospf->loop, &ifp->io, "ospf packet", fd, EV_READ,
		   packet_read);
	wp_io_start(&ifp->io);
	return 0;
out_close:
	close(fd);
	return -1;
}

void
ospf_packet_close(struct ospf_iface *ifp)
{
	if (ifp->fd < 0)
		return;
	wp_io_stop(&ifp->io);
	close(ifp->fd);
	ifp->fd = -1;
	ifp->joined_dr = false;
}

/* --- sending -------------------------------------------------------------- */

void
ospf_packet_start(struct wp_wbuf *w, struct ospf_iface *ifp, uint8_t type)
{
	wp_wbuf_init(w, MT_OSPF_PKT, 256);
	wp_wbuf_put_u8(w, OSPF_VERSION);
	wp_wbuf_put_u8(w, type);
	wp_wbuf_put_u16(w, 0);			/* length */
	wp_wbuf_put_u32(w, ifp->ospf->router_id);
	wp_wbuf_put_u32(w, ifp->area->id);
	wp_wbuf_put_u16(w, 0);			/* checksum */
	wp_wbuf_put_u16(w, (uint16_t)ifp->auth_type);
	wp_wbuf_put_u32(w, 0);			/* authentication */
	wp_wbuf_put_u32(w, 0);
}

int
ospf_packet_sign_kc(struct wp_wbuf *w, size_t len, const struct wp_key *key,
		    uint32_t seq)
{
	size_t l = wp_kc_algo_len(key_algo(key));
	uint8_t dig[WP_KC_DIGEST_MAX];

	/* Auth field: 0, 0, key ID, digest length, sequence number
	 * (App. D.3, RFC 5709 §3.1). */
	wp_wbuf_put_u16_at(w, 12, 0);
	wp_wbuf_put_u16_at(w, 16, 0);
	wp_wbuf_put_u8_at(w, 18, (uint8_t)key->id);
	wp_wbuf_put_u8_at(w, 19, (uint8_t)l);
	wp_wbuf_put_u32_at(w, 20, seq);
	if (wp_wbuf_error(w) || kc_digest(key, wp_wbuf_data(w), len, dig) < 0)
		return -1;
	wp_wbuf_put_bytes(w, dig, l);
	return wp_wbuf_error(w) ? -1 : 0;
}

static const struct wp_keychain *
iface_keychain(const struct ospf_iface *ifp)
{
	return wp_keychain_find(&ifp->ospf->conf->keychains, ifp->key_chain);
}

uint32_t
ospf_flood_dst(const struct ospf_iface *ifp)
{
	/* §15: a virtual link's packets are unicast to the other end. */
	if (ifp->vlink)
		return ifp->vl_peer_addr;
	/* §13.3: unicast to each adjacent neighbour without broadcast. */
	if (ospf_iface_nonbcast(ifp))
		return OSPF_DST_ADJACENT;
	/* §13.3 (5): DROthers send to the DR and BDR only. */
	if (ifp->type == OSPF_NET_BROADCAST && ifp->state != IF_STA_DR &&
	    ifp->state != IF_STA_BACKUP)
		return OSPF_ALL_DROUTERS;
	return OSPF_ALL_SPF_ROUTERS;
}

int
ospf_packet_send(struct ospf_iface *ifp, struct wp_wbuf *w, uint32_t dst)
{
	uint8_t *d = wp_wbuf_data(w);
	size_t len = wp_wbuf_len(w);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cm;
	struct in_pktinfo *pi;
	struct cmsghdr *ch;
	struct msghdr msg;
	struct iovec iov;
	uint8_t type;
	ssize_t n;
	int rc = -1, fd = ifp->fd, oif = ifp->ifindex;
	uint32_t saddr = ifp->addr;

	if (dst == OSPF_DST_ADJACENT)
		return ospf_nbma_send_each(ifp, w);
	if (ifp->vlink) {
		/* Out of the transit area's interface towards the other
		 * end, routed (unicast TTL, not 1), from our address on it. */
		const struct ospf_iface *out = ospf_vlink_out(ifp);

		fd = out ? out->fd : -1;
		oif = out ? out->ifindex : 0;
		saddr = out ? out->addr : 0;
	}
	if (wp_wbuf_error(w) || len < OSPF_HDR_LEN || len > 0xffff ||
	    fd < 0 || dst == 0)
		goto out;
	type = d[1];
	wp_wbuf_put_u16_at(w, 2, (uint16_t)len);
	if (ifp->auth_type == OSPF_AUTH_CRYPT) {
		struct wp_key md5 = { .algo = WP_KC_MD5 };
		const struct wp_key *key = &md5;

		if (ifp->key_chain[0]) {
			/* The chain's send key of the moment: a key
			 * rolls over when its lifetime ends. */
			key = wp_keychain_send_key(iface_keychain(ifp),
						   time(NULL), 255);
		} else if (ifp->n_md5) {
			/* The last key configured signs (App. D.3). */
			md5.id = ifp->md5[ifp->n_md5 - 1].id;
			snprintf(md5.string, sizeof(md5.string), "%s",
				 ifp->md5[ifp->n_md5 - 1].key);
		} else {
			key = NULL;
		}
		if (key == NULL) {
			wp_log_warnx_rl("interface %s: cryptographic "
					"authentication without a key%s%s to "
					"send with: not sending", ifp->name,
					ifp->key_chain[0] ? " in key chain " :
					"", ifp->key_chain);
			goto out;
		}
		if (ospf_packet_sign_kc(w, len, key, ifp->crypt_seq++) < 0)
			goto out;
		d = wp_wbuf_data(w);
	} else {
		wp_wbuf_put_u16_at(w, 12, pkt_cksum(d, len));
		if (ifp->auth_type == OSPF_AUTH_SIMPLE)
			memcpy(d + 16, ifp->auth_key, OSPF_AUTH_LEN);
	}
	sin.sin_addr.s_addr = htonl(dst);
	iov.iov_base = d;
	iov.iov_len = wp_wbuf_len(w);
	memset(&msg, 0, sizeof(msg));
	memset(&cm, 0, sizeof(cm));
	msg.msg_name = &sin;
	msg.msg_namelen = sizeof(sin);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof(cm.buf);
	ch = CMSG_FIRSTHDR(&msg);
	ch->cmsg_level = IPPROTO_IP;
	ch->cmsg_type = IP_PKTINFO;
	ch->cmsg_len = CMSG_LEN(sizeof(*pi));
	pi = (struct in_pktinfo *)(void *)CMSG_DATA(ch);
	pi->ipi_ifindex = oif;
	pi->ipi_spec_dst.s_addr = htonl(saddr);
	n = sendmsg(fd, &msg, 0);
	if (n < 0) {
		ifp->stats.tx_err++;
		wp_log_warnx_rl("interface %s: send %s: %s", ifp->name,
				ospf_pkt_type_name(type), strerror(errno));
		goto out;
	}
	ifp->stats.tx[type]++;
	if (DBG_OSPF_PACKET->on) {
		char a[16];

		wp_log_debugx("interface %s: sent %s to %s, %zu bytes",
			      ifp->name, ospf_pkt_type_name(type),
			      ospf_id_fmt(dst, a, sizeof(a)), len);
	}
	rc = 0;
out:
	wp_wbuf_free(w);
	return rc;
}

/* --- receiving ------------------------------------------------------------ */

static void __attribute__((format(printf, 4, 5)))
drop(struct ospf_iface *ifp, enum ospf_if_err e, uint32_t src,
     const char *fmt, ...)
{
	static struct wp_log_rl rl[OSPF_ERR_MAX];
	char msg[160], a[16];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ospf_iface_err(ifp, e, src, msg);
	if (!wp_log_rl_allow(&rl[e], WP_LOG_WARNING))
		return;
	wp_log_warnx("interface %s: packet from %s dropped: %s%s%s", ifp->name,
		     ospf_id_fmt(src, a, sizeof(a)), ospf_if_err_name[e],
		     msg[0] ? ": " : "", msg);
}

void
ospf_packet_input(struct ospf_iface *ifp, const uint8_t *data, size_t len,
		  uint32_t src, uint32_t dst)
{
	struct ospf_pkt pkt;
	struct ospf_nbr *nbr;
	enum ospf_if_err e;
	char err[128];

	if (src == ifp->addr)
		return;		/* our own, looped back */
	if (ospf_packet_parse(data, len, &pkt, &e, err, sizeof(err)) < 0) {
		drop(ifp, e, src, "%s", err);
		return;
	}
	pkt.src = src;
	pkt.dst = dst;
	/* §8.2: a unicast backbone packet on a transit area's interface
	 * is for the virtual link to its sender, if we have one up. */
	if (pkt.area_id == 0 && ifp->area->id != 0 && !ifp->vlink &&
	    dst != OSPF_ALL_SPF_ROUTERS && dst != OSPF_ALL_DROUTERS) {
		struct ospf_iface *vl = ospf_vlink_find(ifp->ospf,
							ifp->area->id,
							pkt.rtr_id);

		if (vl && vl->state != IF_STA_DOWN)
			ifp = vl;
	}
	/* §8.2 checks, in the RFC's order. */
	if (ifp->vlink) {
		/* Unicast to one of our addresses in the transit area. */
	} else if (dst != OSPF_ALL_SPF_ROUTERS && dst != ifp->addr &&
	    !(dst == OSPF_ALL_DROUTERS && (ifp->state == IF_STA_DR ||
					   ifp->state == IF_STA_BACKUP))) {
		drop(ifp, OSPF_ERR_DST, src, "to %s",
		     ospf_id_fmt(dst, err, sizeof(err)));
		return;
	}
	if (pkt.area_id != ifp->area->id) {
		char a[16];

		drop(ifp, OSPF_ERR_AREA, src, "area %s, ours %s",
		     ospf_id_fmt(pkt.area_id, err, sizeof(err)),
		     ospf_id_fmt(ifp->area->id, a, sizeof(a)));
		return;
	}
	if (ifp->type != OSPF_NET_P2P && (src & ifp->mask) !=
	    (ifp->addr & ifp->mask)) {
		drop(ifp, OSPF_ERR_SRC, src, "%s", "");
		return;
	}
	if (pkt.rtr_id == ifp->ospf->router_id) {
		drop(ifp, OSPF_ERR_OWN, src, "%s", "duplicate router ID?");
		return;
	}
	if ((ifp->auth_type == OSPF_AUTH_CRYPT && ifp->key_chain[0] ?
	     ospf_packet_auth_check_kc(data, len, &pkt, iface_keychain(ifp),
				       time(NULL), &e) :
	     ospf_packet_auth_check(data, len, &pkt, ifp->auth_type,
				    ifp->auth_key, ifp->md5, ifp->n_md5,
				    &e)) < 0) {
		if (e == OSPF_ERR_AUTH && pkt.autype == OSPF_AUTH_CRYPT)
			drop(ifp, e, src, "key ID %u", pkt.auth[2]);
		else if (e == OSPF_ERR_AUTH_TYPE)
			drop(ifp, e, src, "type %u, ours %u", pkt.autype,
			     ifp->auth_type);
		else
			drop(ifp, e, src, "%s", "");
		return;
	}
	/* App. D.3: a neighbour's sequence numbers never go back. */
	nbr = ifp->type == OSPF_NET_P2P ?
	      ospf_iface_nbr_by_id(ifp, pkt.rtr_id) :
	      ospf_iface_nbr_by_addr(ifp, src);
	if (ifp->auth_type == OSPF_AUTH_CRYPT && nbr && nbr->crypt_seq_valid &&
	    pkt.crypt_seq < nbr->crypt_seq) {
		drop(ifp, OSPF_ERR_AUTH, src, "sequence number %u after %u",
		     pkt.crypt_seq, nbr->crypt_seq);
		return;
	}
	ifp->stats.rx[pkt.type]++;
	if (DBG_OSPF_PACKET->on) {
		char a[16];

		wp_log_debugx("interface %s: received %s from %s, %u bytes",
			      ifp->name, ospf_pkt_type_name(pkt.type),
			      ospf_id_fmt(src, a, sizeof(a)), pkt.len);
	}
	if (pkt.type == OSPF_PKT_HELLO) {
		ospf_hello_input(ifp, &pkt);
		nbr = ifp->type == OSPF_NET_P2P ?
		      ospf_iface_nbr_by_id(ifp, pkt.rtr_id) :
		      ospf_iface_nbr_by_addr(ifp, src);
		if (nbr && ifp->auth_type == OSPF_AUTH_CRYPT) {
			nbr->crypt_seq = pkt.crypt_seq;
			nbr->crypt_seq_valid = true;
		}
		return;
	}
	/* §8.2: neighbours are known by address on broadcast networks and
	 * by router ID on point-to-point ones (looked up above). */
	if (nbr == NULL) {
		drop(ifp, OSPF_ERR_NBR_UNKNOWN, src, "%s",
		     ospf_pkt_type_name(pkt.type));
		return;
	}
	if (ifp->auth_type == OSPF_AUTH_CRYPT) {
		nbr->crypt_seq = pkt.crypt_seq;
		nbr->crypt_seq_valid = true;
	}
	switch (pkt.type) {
	case OSPF_PKT_DBD:
		ospf_dbd_input(nbr, &pkt);
		break;
	case OSPF_PKT_LSREQ:
		ospf_lsreq_input(nbr, &pkt);
		break;
	case OSPF_PKT_LSUPD:
		ospf_lsupd_input(nbr, &pkt);
		break;
	case OSPF_PKT_LSACK:
		ospf_lsack_input(nbr, &pkt);
		break;
	default:
		break;
	}
}

/* For the packet files: a malformed body, counted and logged. */
void
ospf_packet_malformed(struct ospf_iface *ifp, const struct ospf_pkt *pkt,
		      const char *what)
{
	char err[96];

	wp_rbuf_strerror(&pkt->body, err, sizeof(err));
	drop(ifp, OSPF_ERR_LENGTH, pkt->src, "%s: %s",
	     ospf_pkt_type_name(pkt->type), what ? what : err);
}

void
ospf_packet_reject(struct ospf_iface *ifp, enum ospf_if_err e, uint32_t src,
		   const char *what)
{
	drop(ifp, e, src, "%s", what);
}

uint32_t
ospf_nbr_dst(const struct ospf_nbr *nbr)
{
	if (nbr->iface->vlink)
		return nbr->addr;
	return nbr->iface->type == OSPF_NET_P2P ? OSPF_ALL_SPF_ROUTERS :
	       nbr->addr;
}
