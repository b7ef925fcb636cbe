/*
 * nl_bench: the two netlink halves of tools/bench/rib-install.
 *
 * write: install COUNT consecutive IPv4 prefixes with raw rtnetlink, as
 *   fast as the kernel takes them: many RTM_NEWROUTE per sendmsg, every
 *   request acked (NETLINK_CAP_ACK keeps the acks small) and the acks
 *   drained between sends so none is lost to an overrun receive buffer,
 *   socket buffers raised with SO_SNDBUFFORCE/SO_RCVBUFFORCE.  By default
 *   the routes use kernel nexthop objects (one object per gateway, and
 *   one group over them for ECMP, created first), as ribd installs them;
 *   --inline puts the gateways in every route instead.  Each route is
 *   what ribd sends: NLM_F_CREATE|NLM_F_REPLACE, table main, metric 20.
 *   This is the near-physical limit of the kernel path: nothing but the
 *   messages themselves.
 *
 * monitor: subscribe to IPv4 route (and nexthop object) notifications and
 *   count the prefixes of the same range that the kernel reports installed
 *   with PATHS nexthops by protocol PROTO.  Prints "ready" once
 *   subscribed, then, when all COUNT are installed, one JSON line with the
 *   CLOCK_MONOTONIC time of the first matching RTM_NEWROUTE and of the one
 *   that completed the COUNT-th prefix, and exits.  A route replaced
 *   several times (an ECMP route growing one path at a time) counts once,
 *   when it first has all its paths.  If the kernel drops notifications
 *   (ENOBUFS), the state is rebuilt from a route dump and the result is
 *   marked "lost" (its last time is then when the dump saw the last one).
 *
 *	nl_bench write   --prefix A.B.C.D/LEN --count N --dev IF --gw A
 *			 [--gw A]... [--proto P] [--metric M] [--inline]
 *			 [--batch BYTES] [--window MSGS] [--no-ack]
 *	nl_bench monitor --prefix A.B.C.D/LEN --count N [--proto P]
 *			 [--paths K] [--timeout SECONDS]
 *
 * Both print one JSON object on stdout (times in seconds, CLOCK_MONOTONIC).
 * Exit status: 0 done, 1 kernel errors or timeout, 2 usage.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define MAX_GW		16
#define NH_ID_BASE	1000	/* our objects: BASE+i single, BASE+MAX_GW group */

static const char *prog = "nl_bench";

struct opts {
	uint32_t base;		/* first prefix, host order */
	unsigned int plen;
	unsigned long count;
	unsigned int proto;
	unsigned int metric;
	unsigned int paths;	/* monitor: nexthops a complete route has */
	double timeout;
	const char *dev;
	struct in_addr gw[MAX_GW];
	unsigned int n_gw;
	bool inline_nh;
	bool ack;
	size_t batch;		/* bytes per sendmsg */
	size_t window;		/* requests awaiting an ack */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: %s write --prefix A.B.C.D/LEN --count N --dev IF --gw A "
		"[--gw A]...\n"
		"                [--proto P] [--metric M] [--inline] "
		"[--batch BYTES] [--window MSGS] [--no-ack]\n"
		"       %s monitor --prefix A.B.C.D/LEN --count N [--proto P] "
		"[--paths K]\n"
		"                [--timeout SECONDS]\n", prog, prog);
	exit(2);
}

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static unsigned long
parse_ulong(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end)
		die("invalid %s", what);
	return v;
}

static void
parse_prefix(struct opts *o, const char *s)
{
	char buf[64];
	char *slash;
	struct in_addr a;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		die("invalid prefix %s", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		die("invalid prefix %s (want A.B.C.D/LEN)", s);
	*slash = '\0';
	len = parse_ulong(slash + 1, "prefix length");
	if (inet_pton(AF_INET, buf, &a) != 1 || len < 1 || len > 32)
		die("invalid prefix %s", s);
	o->base = ntohl(a.s_addr);
	o->plen = (unsigned int)len;
	if (o->plen < 32 && (o->base & (0xffffffffu >> o->plen)))
		die("prefix %s has host bits set", s);
}

static void
parse_opts(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "prefix", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'c' },
		{ "dev", required_argument, NULL, 'd' },
		{ "gw", required_argument, NULL, 'g' },
		{ "proto", required_argument, NULL, 'P' },
		{ "metric", required_argument, NULL, 'm' },
		{ "paths", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "inline", no_argument, NULL, 'i' },
		{ "batch", required_argument, NULL, 'b' },
		{ "window", required_argument, NULL, 'w' },
		{ "no-ack", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	bool have_prefix = false;

	memset(o, 0, sizeof(*o));
	o->proto = 196;
	o->metric = 20;
	o->paths = 1;
	o->timeout = 600;
	o->ack = true;
	o->batch = 64 * 1024;
	o->window = 8192;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			parse_prefix(o, optarg);
			have_prefix = true;
			break;
		case 'c':
			o->count = parse_ulong(optarg, "count");
			break;
		case 'd':
			o->dev = optarg;
			break;
		case 'g':
			if (o->n_gw == MAX_GW)
				die("at most %s gateways", "16");
			if (inet_pton(AF_INET, optarg, &o->gw[o->n_gw]) != 1)
				die("invalid gateway %s", optarg);
			o->n_gw++;
			break;
		case 'P':
			o->proto = (unsigned int)parse_ulong(optarg, "protocol");
			if (o->proto > 255)
				die("invalid protocol %s", optarg);
			break;
		case 'm':
			o->metric = (unsigned int)parse_ulong(optarg, "metric");
			break;
		case 'k':
			o->paths = (unsigned int)parse_ulong(optarg, "paths");
			break;
		case 't':
			o->timeout = (double)parse_ulong(optarg, "timeout");
			break;
		case 'i':
			o->inline_nh = true;
			break;
		case 'b':
			o->batch = parse_ulong(optarg, "batch size");
			break;
		case 'w':
			o->window = parse_ulong(optarg, "window");
			break;
		case 'n':
			o->ack = false;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !have_prefix || o->count == 0)
		usage();
	if (o->plen < 32 && o->count - 1 > (0xffffffffu >> o->plen) -
	    (o->base >> (32 - o->plen)))
		die("%s: the range runs past 255.255.255.255", "--count");
	if (o->batch < 1024)
		o->batch = 1024;
	if (o->window < 1)
		o->window = 1;
}

static uint32_t
prefix_addr(const struct opts *o, unsigned long i)
{
	return o->base + (o->plen == 32 ? (uint32_t)i :
			  (uint32_t)i << (32 - o->plen));
}

static int
nl_open(int rcvbuf, int sndbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		perror("netlink socket");
		exit(1);
	}
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				 sizeof(rcvbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf,
				 sizeof(sndbuf)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("netlink bind");
		exit(1);
	}
	return fd;
}

/* --- message building --------------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void
buf_reserve(struct buf *b, size_t more)
{
	if (b->len + more <= b->cap)
		return;
	while (b->cap < b->len + more)
		b->cap = b->cap ? b->cap * 2 : 64 * 1024;
	b->p = realloc(b->p, b->cap);
	if (b->p == NULL) {
		perror("realloc");
		exit(1);
	}
}

static struct nlmsghdr *
msg_start(struct buf *b, uint16_t type, uint16_t flags, uint32_t seq,
	  const void *hdr, size_t hlen)
{
	struct nlmsghdr *h;

	buf_reserve(b, NLMSG_SPACE(hlen));
	h = (struct nlmsghdr *)(b->p + b->len);
	memset(h, 0, NLMSG_SPACE(hlen));
	h->nlmsg_len = (uint32_t)NLMSG_LENGTH(hlen);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	memcpy(NLMSG_DATA(h), hdr, hlen);
	return h;
}

/* Append an attribute to the message at offset OFF of B. */
static struct rtattr *
attr_put(struct buf *b, size_t off, uint16_t type, const void *data,
	 size_t len)
{
	struct nlmsghdr *h;
	struct rtattr *rta;
	size_t at;

	/* The message being built starts at OFF == b->len. */
	buf_reserve(b, NLMSG_ALIGN(((struct nlmsghdr *)(b->p + off))->nlmsg_len) +
		    RTA_SPACE(len));
	h = (struct nlmsghdr *)(b->p + off);
	at = off + NLMSG_ALIGN(h->nlmsg_len);
	rta = (struct rtattr *)(b->p + at);
	rta->rta_type = type;
	rta->rta_len = (uint16_t)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	memset((uint8_t *)RTA_DATA(rta) + len, 0, RTA_SPACE(len) - RTA_LENGTH(len));
	h->nlmsg_len = (uint32_t)(NLMSG_ALIGN(h->nlmsg_len) + RTA_SPACE(len));
	return rta;
}

static void
attr_u32(struct buf *b, size_t off, uint16_t type, uint32_t v)
{
	attr_put(b, off, type, &v, sizeof(v));
}

static void
msg_end(struct buf *b, size_t off)
{
	b->len = off + NLMSG_ALIGN(((struct nlmsghdr *)(b->p + off))->nlmsg_len);
}

/* --- write ------------------------------------------------------------ */

struct writer {
	const struct opts *o;
	int fd;
	int ifindex;
	uint32_t seq;
	size_t inflight;
	unsigned long errors;
	unsigned long acks;
	int first_errno;
	char first_msg[256];
	uint8_t rbuf[256 * 1024];
};

static void
note_error(struct writer *w, const struct nlmsghdr *h)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off;

	w->errors++;
	if (w->first_errno)
		return;
	w->first_errno = -e->error;
	snprintf(w->first_msg, sizeof(w->first_msg), "%s", strerror(-e->error));
	/* Extended ack: attributes after the (capped) request header. */
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	off = NLMSG_LENGTH(sizeof(*e));
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	for (const struct rtattr *a = (const void *)((const uint8_t *)h + off);
	     (const uint8_t *)a + sizeof(*a) <= (const uint8_t *)h + h->nlmsg_len &&
	     a->rta_len >= sizeof(*a);
	     a = (const void *)((const uint8_t *)a + RTA_ALIGN(a->rta_len)))
		if (a->rta_type == NLMSGERR_ATTR_MSG)
			snprintf(w->first_msg, sizeof(w->first_msg), "%s: %.*s",
				 strerror(-e->error),
				 (int)(a->rta_len - sizeof(*a)),
				 (const char *)RTA_DATA(a));
}

/* Read answers; block for at least one if BLOCK.  Returns answers read. */
static size_t
drain(struct writer *w, bool block)
{
	size_t n = 0;

	for (;;) {
		ssize_t len = recv(w->fd, w->rbuf, sizeof(w->rbuf),
				   block && n == 0 ? 0 : MSG_DONTWAIT);
		int rem;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {
				/* Answers were lost: cannot happen with the
				 * window below the receive buffer. */
				fprintf(stderr, "%s: acks lost (ENOBUFS)\n",
					prog);
				exit(1);
			}
			perror("netlink recv");
			exit(1);
		}
		rem = (int)len;
		for (struct nlmsghdr *h = (struct nlmsghdr *)w->rbuf;
		     NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			const struct nlmsgerr *e;

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			e = NLMSG_DATA(h);
			if (e->error)
				note_error(w, h);
			else
				w->acks++;
			if (w->inflight)
				w->inflight--;
			n++;
		}
	}
	return n;
}

static void
send_all(struct writer *w, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t s = send(w->fd, p, len, 0);

		if (s < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOBUFS) {
				drain(w, false);
				continue;
			}
			perror("netlink send");
			exit(1);
		}
		/* Netlink takes a datagram whole. */
		p += s;
		len -= (size_t)s;
	}
}

/* Create the nexthop objects (one per gateway, a group over them). */
static uint32_t
make_nexthops(struct writer *w)
{
	const struct opts *o = w->o;
	struct buf b = { 0 };
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE;
	struct nhmsg nhm;
	size_t off;

	for (unsigned int i = 0; i < o->n_gw; i++) {
		memset(&nhm, 0, sizeof(nhm));
		nhm.nh_family = AF_INET;
		nhm.nh_protocol = (unsigned char)o->proto;
		off = b.len;
		msg_start(&b, RTM_NEWNEXTHOP, flags, ++w->seq, &nhm, sizeof(nhm));
		attr_u32(&b, off, NHA_ID, NH_ID_BASE + i);
		attr_u32(&b, off, NHA_OIF, (uint32_t)w->ifindex);
		attr_put(&b, off, NHA_GATEWAY, &o->gw[i], 4);
		msg_end(&b, off);
	}
	if (o->n_gw > 1) {
		struct nexthop_grp grp[MAX_GW];

		memset(grp, 0, sizeof(grp));
		for (unsigned int i = 0; i < o->n_gw; i++)
			grp[i].id = NH_ID_BASE + i;
		memset(&nhm, 0, sizeof(nhm));
		nhm.nh_family = AF_UNSPEC;
		nhm.nh_protocol = (unsigned char)o->proto;
		off = b.len;
		msg_start(&b, RTM_NEWNEXTHOP, flags, ++w->seq, &nhm, sizeof(nhm));
		attr_u32(&b, off, NHA_ID, NH_ID_BASE + MAX_GW);
		attr_put(&b, off, NHA_GROUP, grp, o->n_gw * sizeof(grp[0]));
		msg_end(&b, off);
	}
	w->inflight += o->n_gw + (o->n_gw > 1);
	send_all(w, b.p, b.len);
	while (w->inflight)
		drain(w, true);
	free(b.p);
	if (w->errors) {
		fprintf(stderr, "%s: cannot create nexthop objects: %s "
			"(try --inline)\n", prog, w->first_msg);
		exit(1);
	}
	return o->n_gw > 1 ? NH_ID_BASE + MAX_GW : NH_ID_BASE;
}

static void
put_route(struct writer *w, struct buf *b, unsigned long i, uint32_t nhid)
{
	const struct opts *o = w->o;
	struct rtmsg rtm = {
		.rtm_family = AF_INET,
		.rtm_dst_len = (unsigned char)o->plen,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = (unsigned char)o->proto,
		.rtm_scope = RT_SCOPE_UNIVERSE,
		.rtm_type = RTN_UNICAST,
	};
	uint16_t flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	uint32_t dst = htonl(prefix_addr(o, i));
	size_t off = b->len;

	if (o->ack)
		flags |= NLM_F_ACK;
	msg_start(b, RTM_NEWROUTE, flags, ++w->seq, &rtm, sizeof(rtm));
	attr_put(b, off, RTA_DST, &dst, 4);
	attr_u32(b, off, RTA_PRIORITY, o->metric);
	if (nhid) {
		attr_u32(b, off, RTA_NH_ID, nhid);
	} else if (o->n_gw == 1) {
		attr_put(b, off, RTA_GATEWAY, &o->gw[0], 4);
		attr_u32(b, off, RTA_OIF, (uint32_t)w->ifindex);
	} else {
		uint8_t mp[MAX_GW * (sizeof(struct rtnexthop) + RTA_SPACE(4))];
		size_t mlen = 0;

		for (unsigned int g = 0; g < o->n_gw; g++) {
			struct rtnexthop *nh = (struct rtnexthop *)(mp + mlen);
			struct rtattr *a = RTNH_DATA(nh);

			memset(nh, 0, sizeof(*nh));
			nh->rtnh_len = (unsigned short)(sizeof(*nh) + RTA_SPACE(4));
			nh->rtnh_ifindex = w->ifindex;
			a->rta_type = RTA_GATEWAY;
			a->rta_len = RTA_LENGTH(4);
			memcpy(RTA_DATA(a), &o->gw[g], 4);
			mlen += RTNH_ALIGN(nh->rtnh_len);
		}
		attr_put(b, off, RTA_MULTIPATH, mp, mlen);
	}
	msg_end(b, off);
}

static long
vm_hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int
cmd_write(const struct opts *o)
{
	static struct writer w;
	struct buf b = { 0 };
	unsigned long i = 0, batches = 0;
	uint32_t nhid = 0;
	double t0, t1;
	int bufsz = 64 * 1024 * 1024;

	if (o->dev == NULL || o->n_gw == 0)
		usage();
	w.o = o;
	w.ifindex = (int)if_nametoindex(o->dev);
	if (w.ifindex == 0)
		die("no interface %s", o->dev);
	if (o->batch + 4096 > (size_t)bufsz)
		bufsz = (int)(o->batch + 4096);
	w.fd = nl_open(bufsz, bufsz);
	t0 = now();
	if (!o->inline_nh)
		nhid = make_nexthops(&w);
	buf_reserve(&b, o->batch + 4096);
	while (i < o->count) {
		size_t msgs = 0;

		b.len = 0;
		/* Fill one batch: whole messages up to BATCH bytes, never
		 * more requests in flight than the window. */
		while (i < o->count && b.len < o->batch &&
		       (!o->ack || w.inflight + msgs < o->window)) {
			put_route(&w, &b, i++, nhid);
			msgs++;
		}
		if (msgs == 0) {
			drain(&w, true);
			continue;
		}
		send_all(&w, b.p, b.len);
		batches++;
		if (o->ack)
			w.inflight += msgs;
		drain(&w, false);
	}
	if (o->ack)
		while (w.inflight)
			drain(&w, true);
	else
		drain(&w, false);
	t1 = now();
	free(b.p);
	printf("{\"start\": %.9f, \"end\": %.9f, \"routes\": %lu, "
	       "\"acks\": %lu, \"errors\": %lu, \"batches\": %lu, "
	       "\"nexthop_objects\": %s, \"maxrss_kb\": %ld",
	       t0, t1, o->count, w.acks, w.errors, batches,
	       nhid ? "true" : "false", vm_hwm_kb());
	if (w.errors)
		printf(", \"first_error\": \"%s\"", w.first_msg);
	printf("}\n");
	if (w.errors)
		fprintf(stderr, "%s: %lu routes failed, the first: %s\n", prog,
			w.errors, w.first_msg);
	return w.errors ? 1 : 0;
}

/* --- monitor ---------------------------------------------------------- */

/* Nexthop object id -> number of paths, open addressing. */
#define NHT_SIZE	(1u << 16)

struct nht_ent {
	uint32_t id;		/* 0: empty */
	uint32_t paths;		/* 0: deleted */
};

struct monitor {
	const struct opts *o;
	struct nht_ent nht[NHT_SIZE];
	uint8_t *state;		/* per prefix: paths last seen (capped) */
	unsigned long complete;
	unsigned long seen;	/* prefixes seen at least once */
	unsigned long events;	/* matching RTM_NEWROUTE */
	unsigned long enobufs;
	double first, last;
	bool lost;
};

static struct nht_ent *
nht_slot(struct monitor *m, uint32_t id, bool add)
{
	uint32_t i = (id * 2654435761u) & (NHT_SIZE - 1);

	for (unsigned int n = 0; n < NHT_SIZE; n++) {
		struct nht_ent *e = &m->nht[(i + n) & (NHT_SIZE - 1)];

		if (e->id == id)
			return e;
		if (e->id == 0) {
			if (!add)
				return NULL;
			e->id = id;
			return e;
		}
	}
	return NULL;
}

static void
mon_nexthop(struct monitor *m, const struct nlmsghdr *h)
{
	const struct nhmsg *nhm = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*nhm));
	uint32_t id = 0, paths = 1;
	struct nht_ent *e;

	if (len < 0)
		return;
	for (const struct rtattr *a = (const void *)((const uint8_t *)nhm +
						     NLMSG_ALIGN(sizeof(*nhm)));
	     RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == NHA_ID && RTA_PAYLOAD(a) >= 4)
			memcpy(&id, RTA_DATA(a), 4);
		else if (a->rta_type == NHA_GROUP)
			paths = (uint32_t)(RTA_PAYLOAD(a) /
					   sizeof(struct nexthop_grp));
	}
	if (id == 0)
		return;
	e = nht_slot(m, id, h->nlmsg_type == RTM_NEWNEXTHOP);
	if (e)
		e->paths = h->nlmsg_type == RTM_NEWNEXTHOP ? paths : 0;
}

static void
mon_route(struct monitor *m, const struct nlmsghdr *h, double t)
{
	const struct opts *o = m->o;
	const struct rtmsg *rtm = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*rtm));
	uint32_t table = rtm->rtm_table, dst = 0, paths = 0, idx;
	bool have_dst = false;
	uint8_t old, now_paths;

	if (len < 0 || rtm->rtm_family != AF_INET ||
	    rtm->rtm_dst_len != o->plen ||
	    (o->proto && rtm->rtm_protocol != o->proto))
		return;
	for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_DST:
			if (RTA_PAYLOAD(a) == 4) {
				memcpy(&dst, RTA_DATA(a), 4);
				have_dst = true;
			}
			break;
		case RTA_TABLE:
			if (RTA_PAYLOAD(a) >= 4)
				memcpy(&table, RTA_DATA(a), 4);
			break;
		case RTA_GATEWAY:
		case RTA_OIF:
			if (paths == 0)
				paths = 1;
			break;
		case RTA_MULTIPATH: {
			int mlen = (int)RTA_PAYLOAD(a);
			const struct rtnexthop *nh = RTA_DATA(a);

			paths = 0;
			while (mlen >= (int)sizeof(*nh) &&
			       nh->rtnh_len >= sizeof(*nh) &&
			       nh->rtnh_len <= mlen) {
				paths++;
				mlen -= RTNH_ALIGN(nh->rtnh_len);
				nh = RTNH_NEXT(nh);
			}
			break;
		}
		case RTA_NH_ID: {
			uint32_t id;
			const struct nht_ent *e;

			memcpy(&id, RTA_DATA(a), 4);
			e = nht_slot(m, id, false);
			paths = e && e->paths ? e->paths : 1;
			break;
		}
		}
	}
	if (!have_dst || table != RT_TABLE_MAIN)
		return;
	dst = ntohl(dst);
	if (dst < o->base)
		return;
	idx = o->plen == 32 ? dst - o->base : (dst - o->base) >> (32 - o->plen);
	if (idx >= o->count)
		return;
	old = m->state[idx];
	if (h->nlmsg_type == RTM_DELROUTE) {
		if (old >= o->paths)
			m->complete--;
		m->state[idx] = 0;
		return;
	}
	m->events++;
	if (m->first == 0)
		m->first = t;
	if (old == 0)
		m->seen++;
	now_paths = (uint8_t)(paths > 254 ? 254 : paths ? paths : 1);
	m->state[idx] = now_paths;
	if (old >= o->paths && now_paths < o->paths)
		m->complete--;
	else if ((old == 0 || old < o->paths) && now_paths >= o->paths) {
		m->complete++;
		if (m->complete == o->count)
			m->last = t;
	}
}

static void
mon_msgs(struct monitor *m, const uint8_t *p, int len, double t)
{
	for (const struct nlmsghdr *h = (const void *)p; NLMSG_OK(h, len);
	     h = NLMSG_NEXT(h, len)) {
		switch (h->nlmsg_type) {
		case RTM_NEWROUTE:
		case RTM_DELROUTE:
			mon_route(m, h, t);
			break;
		case RTM_NEWNEXTHOP:
		case RTM_DELNEXTHOP:
			mon_nexthop(m, h);
			break;
		}
	}
}

/* Dump TYPE on a fresh socket into the monitor.  Returns -errno on a
 * failed dump (no nexthop support), 0 when done. */
static int
mon_dump(struct monitor *m, uint16_t type)
{
	static uint8_t rbuf[256 * 1024];
	struct {
		struct nlmsghdr h;
		union {
			struct rtmsg rtm;
			struct nhmsg nhm;
		} u;
	} req;
	int fd = nl_open(8 * 1024 * 1024, 0);

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	if (type == RTM_GETROUTE) {
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
		req.u.rtm.rtm_family = AF_INET;
	} else {
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct nhmsg));
	}
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0) {
		close(fd);
		return -errno;
	}
	for (;;) {
		ssize_t len = recv(fd, rbuf, sizeof(rbuf), 0);
		int rem;
		double t = now();

		if (len < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			close(fd);
			return -err;
		}
		rem = (int)len;
		for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf;
		     NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				close(fd);
				return 0;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				close(fd);
				return e->error;
			}
		}
		mon_msgs(m, rbuf, (int)len, t);
	}
}

static void
mon_print(const struct monitor *m, bool done)
{
	printf("{\"done\": %s, \"first\": %.9f, \"last\": %.9f, "
	       "\"complete\": %lu, \"seen\": %lu, \"events\": %lu, "
	       "\"enobufs\": %lu, \"lost\": %s}\n",
	       done ? "true" : "false", m->first, m->last, m->complete,
	       m->seen, m->events, m->enobufs, m->lost ? "true" : "false");
	fflush(stdout);
}

#define MON_VLEN	256
#define MON_MSGSZ	8192

static int
cmd_monitor(const struct opts *o)
{
	static struct monitor m;
	static uint8_t bufs[MON_VLEN][MON_MSGSZ];
	struct mmsghdr msgs[MON_VLEN];
	struct iovec iov[MON_VLEN];
	unsigned int groups[] = { RTNLGRP_IPV4_ROUTE, RTNLGRP_NEXTHOP };
	double deadline;
	int fd;

	m.o = o;
	m.state = calloc(o->count, 1);
	if (m.state == NULL) {
		perror("calloc");
		return 1;
	}
	if (o->paths == 0)
		die("invalid %s", "--paths");
	/* A large buffer: the monitor must not lose events under a burst
	 * of a million routes (the limit, not an allocation). */
	fd = nl_open(1024 * 1024 * 1024, 0);
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[g], sizeof(groups[g])) < 0 &&
		    groups[g] != RTNLGRP_NEXTHOP) {
			perror("netlink membership");
			return 1;
		}
	/* Objects that exist before we subscribed. */
	(void)mon_dump(&m, RTM_GETNEXTHOP);
	printf("ready\n");
	fflush(stdout);
	for (unsigned int i = 0; i < MON_VLEN; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = MON_MSGSZ;
	}
	deadline = now() + o->timeout;
	while (m.complete < o->count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		double left = deadline - now();
		int n;

		if (left <= 0) {
			mon_print(&m, false);
			fprintf(stderr, "%s: timeout: %lu of %lu prefixes "
				"complete\n", prog, m.complete, o->count);
			return 1;
		}
		if (poll(&pfd, 1, left > 1 ? 1000 : (int)(left * 1000) + 1) <= 0)
			continue;
		memset(msgs, 0, sizeof(msgs));
		for (unsigned int i = 0; i < MON_VLEN; i++) {
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(fd, msgs, MON_VLEN, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == ENOBUFS) {
				/* Events lost: rebuild from the kernel. */
				m.enobufs++;
				m.lost = true;
				memset(m.state, 0, o->count);
				m.complete = m.seen = 0;
				if (mon_dump(&m, RTM_GETNEXTHOP) < 0 ||
				    mon_dump(&m, RTM_GETROUTE) < 0) {
					fprintf(stderr, "%s: route dump failed\n",
						prog);
					return 1;
				}
				continue;
			}
			perror("netlink recvmmsg");
			return 1;
		}
		{
			double t = now();

			for (int i = 0; i < n && m.complete < o->count; i++)
				mon_msgs(&m, bufs[i], (int)msgs[i].msg_len, t);
		}
	}
	mon_print(&m, true);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "write") == 0) {
		parse_opts(&o, argc - 1, argv + 1);
		return cmd_write(&o);
	}
	if (strcmp(argv[1], "monitor") == 0) {
		parse_opts(&o, argc - 1, argv + 1);
		return cmd_monitor(&o);
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		usage();
	fprintf(stderr, "%s: unknown mode %s (write or monitor)\n", prog,
		argv[1]);
	return 2;
}
