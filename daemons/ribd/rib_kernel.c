/*
 * rib_kernel.c: everything ribd says to and hears from the Linux kernel.
 *
 * Three netlink sockets, all libnl:
 *  - `ev`: subscribed to link, address and route notifications.  Parsed
 *    with libnl's object parsers and handed to the RIB through ops.  When
 *    the kernel drops notifications (ENOBUFS) the RIB is told to resync and
 *    a full dump follows: state is never silently stale.
 *  - `sync`: the blocking dumps at start and after a resync.
 *  - `conf`: interface configuration (rare, wants an immediate answer); a
 *    socket of its own because it is used from inside dump callbacks.
 *  - `cmd`: route programming.  Requests are built with libnl
 *    (rtnl_route_build_*_request), given NLM_F_ACK and our own sequence
 *    numbers, packed many to a sendmsg, and their acks read back
 *    asynchronously.  The kernel answers a socket's requests in order, so
 *    a FIFO of {seq, cookie} matches each answer to its route.  The number
 *    of requests in flight is bounded so the acks always fit the receive
 *    buffer (PLATFORM.md: an unread ack queue loses error replies to
 *    ENOBUFS).
 *
 * Nexthop objects (RTM_NEWNEXTHOP, Linux 5.3+): each distinct nexthop set
 * becomes one kernel object shared by every route that uses it (a group
 * object over single ones for ECMP), so a route install carries only an
 * id and a nexthop change is one message.  Objects are reference counted
 * here; one nobody uses is deleted after the route changes queued before
 * it (the FIFO keeps that order).  When the kernel removes objects itself
 * (their device went down) the RIB is told which ids are gone.  Kernels
 * without them get classic routes with the nexthops inline.
 */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_link.h>
#include <linux/nexthop.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/vrf.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rib_kernel.h"
#include "wp_log.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_RIB_KERNEL, "ribd kernel interface");
WP_MEMTYPE_DEFINE(MT_RIB_KBATCH, "ribd netlink batch");
WP_DEBUG_DEFINE(DBG_RIB_KERNEL, "kernel");

#define KBATCH_SEND_MAX		(64 * 1024)	/* bytes per sendmsg */
#define KINFLIGHT_MAX		2048		/* requests awaiting an ack */
#define KSOCK_BUF		(8 * 1024 * 1024)

struct kpending {
	uint32_t seq;
	bool add;
	bool nh;		/* a nexthop object request, not a route */
	void *cookie;		/* route: the caller's; nh: the object id */
};

/* A kernel nexthop object: one nexthop, or a group of single objects. */
struct knhg {
	struct knhg *hnext;		/* hash chain */
	uint32_t id;
	unsigned int refcnt;
	int family;			/* of the routes using it */
	unsigned int n_nh;		/* >1: a group */
	struct rib_knh nh[RIB_KERNEL_MAX_NH];
	uint32_t members[RIB_KERNEL_MAX_NH];	/* groups: single ids */
};

#define NHG_BUCKETS	4096
#define RIB_NH_PROTO	199	/* our nexthop objects (unnamed in iproute2) */

struct rib_kernel {
	struct wp_loop *loop;
	const struct rib_kernel_ops *ops;
	void *arg;

	struct nl_sock *ev;
	struct nl_sock *sync;
	struct nl_sock *cmd;
	struct nl_sock *conf;
	struct wp_io ev_io;
	struct wp_io cmd_io;
	struct wp_timer flush_timer;
	int cur_msgtype;		/* of the message being parsed */
	uint32_t cur_nhid;		/* its RTA_NH_ID */
	bool nh_dumping;
	/* While set, parsed routes go here instead of ops->route. */
	void (*route_tap)(void *arg, const struct rib_kroute *r);
	void *route_tap_arg;

	/* Encoded requests not yet sent. */
	uint8_t *out;
	size_t out_len, out_cap;
	/* FIFO of requests sent or queued, oldest first. */
	struct kpending *fifo;
	size_t fifo_head, fifo_len, fifo_cap;
	size_t inflight;		/* sent, not yet answered */
	size_t queued_msgs;		/* in `out` */
	uint32_t seq;

	struct rib_kernel_stats stats;

	/* Nexthop objects. */
	bool nhobj;			/* in use */
	bool nhobj_supported;
	bool nh_probed;
	uint32_t nh_next_id;
	struct knhg *nhg_hash[NHG_BUCKETS];
	uint32_t *stale_nh;		/* left by a previous instance */
	size_t n_stale_nh;
	uint32_t lost[256];		/* ids the kernel removed, to report */
	unsigned int n_lost;
	struct wp_timer lost_timer;
};

WP_MEMTYPE_DEFINE(MT_RIB_NHG, "kernel nexthop object");

const char *
rib_ktype_name(enum rib_ktype t)
{
	switch (t) {
	case RIB_KTYPE_UNICAST:
		return "unicast";
	case RIB_KTYPE_BLACKHOLE:
		return "blackhole";
	case RIB_KTYPE_UNREACHABLE:
		return "unreachable";
	case RIB_KTYPE_PROHIBIT:
		return "prohibit";
	case RIB_KTYPE_OTHER:
		break;
	}
	return "other";
}

static void nh_msg(struct rib_kernel *k, struct nlmsghdr *h, bool dump);
static struct knhg *nhg_find_id(const struct rib_kernel *k, uint32_t id);

/* --- conversions ------------------------------------------------------ */

static int
nladdr_to_prefix(struct nl_addr *a, struct wp_prefix *p)
{
	unsigned int alen;

	memset(p, 0, sizeof(*p));
	if (a == NULL)
		return -1;
	p->family = (uint8_t)nl_addr_get_family(a);
	alen = nl_addr_get_len(a);
	if (p->family == AF_INET && alen <= 4)
		memcpy(&p->u.v4, nl_addr_get_binary_addr(a), alen);
	else if (p->family == AF_INET6 && alen <= 16)
		memcpy(&p->u.v6, nl_addr_get_binary_addr(a), alen);
	else
		return -1;
	p->len = (uint8_t)nl_addr_get_prefixlen(a);
	return 0;
}

static struct nl_addr *
addr_to_nladdr(int family, const void *bytes, unsigned int plen)
{
	struct nl_addr *a;

	a = nl_addr_build(family, bytes, family == AF_INET ? 4 : 16);
	if (a)
		nl_addr_set_prefixlen(a, (int)plen);
	return a;
}

static enum rib_ktype
ktype_from_rtn(unsigned int t)
{
	switch (t) {
	case RTN_UNICAST:
		return RIB_KTYPE_UNICAST;
	case RTN_BLACKHOLE:
		return RIB_KTYPE_BLACKHOLE;
	case RTN_UNREACHABLE:
		return RIB_KTYPE_UNREACHABLE;
	case RTN_PROHIBIT:
		return RIB_KTYPE_PROHIBIT;
	}
	return RIB_KTYPE_OTHER;
}

static uint8_t
rtn_from_ktype(enum rib_ktype t)
{
	switch (t) {
	case RIB_KTYPE_BLACKHOLE:
		return RTN_BLACKHOLE;
	case RIB_KTYPE_UNREACHABLE:
		return RTN_UNREACHABLE;
	case RIB_KTYPE_PROHIBIT:
		return RTN_PROHIBIT;
	case RIB_KTYPE_UNICAST:
	case RIB_KTYPE_OTHER:
		break;
	}
	return RTN_UNICAST;
}

/* --- notifications and dumps ----------------------------------------- */

static void
parse_link(struct rib_kernel *k, struct rtnl_link *l)
{
	struct rib_klink kl;
	struct nl_addr *mac;
	const char *s;

	memset(&kl, 0, sizeof(kl));
	kl.ifindex = rtnl_link_get_ifindex(l);
	s = rtnl_link_get_name(l);
	if (s)
		snprintf(kl.name, sizeof(kl.name), "%s", s);
	s = rtnl_link_get_type(l);
	if (s)
		snprintf(kl.kind, sizeof(kl.kind), "%s", s);
	kl.flags = rtnl_link_get_flags(l);
	kl.mtu = rtnl_link_get_mtu(l);
	kl.master = rtnl_link_get_master(l);
	/* A vrf device's table (IFLA_VRF_TABLE in its link info). */
	if (rtnl_link_is_vrf(l) &&
	    rtnl_link_vrf_get_tableid(l, &kl.vrf_table) < 0)
		kl.vrf_table = 0;
	kl.running = (kl.flags & IFF_RUNNING) != 0;
	mac = rtnl_link_get_addr(l);
	if (mac && nl_addr_get_len(mac) == 6)
		memcpy(kl.mac, nl_addr_get_binary_addr(mac), 6);
	if (k->ops->link)
		k->ops->link(k->arg, k->cur_msgtype == RTM_DELLINK ?
			     RIB_KACT_DEL : RIB_KACT_NEW, &kl);
}

static void
parse_addr(struct rib_kernel *k, struct rtnl_addr *a)
{
	struct rib_kaddr ka;

	memset(&ka, 0, sizeof(ka));
	ka.ifindex = rtnl_addr_get_ifindex(a);
	ka.flags = rtnl_addr_get_flags(a);
	if (nladdr_to_prefix(rtnl_addr_get_local(a), &ka.prefix) < 0)
		return;
	ka.prefix.len = (uint8_t)rtnl_addr_get_prefixlen(a);
	if (k->ops->addr)
		k->ops->addr(k->arg, k->cur_msgtype == RTM_DELADDR ?
			     RIB_KACT_DEL : RIB_KACT_NEW, &ka);
}

static void
parse_route(struct rib_kernel *k, struct rtnl_route *r)
{
	struct rib_kroute *kr;
	int family = rtnl_route_get_family(r);
	int n;

	if (family != AF_INET && family != AF_INET6)
		return;
	kr = wp_calloc(MT_TMP, kroute_size(RIB_KERNEL_MAX_NH));
	kr->table = rtnl_route_get_table(r);
	kr->protocol = rtnl_route_get_protocol(r);
	kr->metric = rtnl_route_get_priority(r);
	kr->type = ktype_from_rtn(rtnl_route_get_type(r));
	if (kr->type == RIB_KTYPE_OTHER ||
	    nladdr_to_prefix(rtnl_route_get_dst(r), &kr->dst) < 0)
		goto out;
	kr->dst.family = (uint8_t)family;
	kr->nhg_id = k->cur_nhid;
	if (kr->nhg_id) {
		const struct knhg *g = nhg_find_id(k, kr->nhg_id);

		/* One of ours: its nexthops are known here. */
		if (g) {
			kr->n_nh = g->n_nh;
			memcpy(kr->nh, g->nh, g->n_nh * sizeof(g->nh[0]));
		}
		goto report;
	}
	n = rtnl_route_get_nnexthops(r);
	for (int i = 0; i < n && kr->n_nh < RIB_KERNEL_MAX_NH; i++) {
		struct rtnl_nexthop *nh = rtnl_route_nexthop_n(r, i);
		struct rib_knh *knh = &kr->nh[kr->n_nh++];
		struct nl_addr *gw = rtnl_route_nh_get_gateway(nh);
		struct wp_prefix gp;

		knh->ifindex = rtnl_route_nh_get_ifindex(nh);
		knh->weight = (uint8_t)(rtnl_route_nh_get_weight(nh) + 1);
		knh->onlink = (rtnl_route_nh_get_flags(nh) & RTNH_F_ONLINK) != 0;
		if (gw && nladdr_to_prefix(gw, &gp) == 0) {
			knh->gw.family = gp.family;
			memcpy(&knh->gw.u, &gp.u, sizeof(gp.u));
		}
	}
report:
	if (k->route_tap)
		k->route_tap(k->route_tap_arg, kr);
	else if (k->ops->route)
		k->ops->route(k->arg, k->cur_msgtype == RTM_DELROUTE ?
			      RIB_KACT_DEL : RIB_KACT_NEW, kr);
out:
	wp_free(MT_TMP, kr);
}

static void
obj_cb(struct nl_object *obj, void *arg)
{
	struct rib_kernel *k = arg;
	const char *t = nl_object_get_type(obj);

	k->stats.events++;
	if (strcmp(t, "route/link") == 0)
		parse_link(k, (struct rtnl_link *)obj);
	else if (strcmp(t, "route/addr") == 0)
		parse_addr(k, (struct rtnl_addr *)obj);
	else if (strcmp(t, "route/route") == 0)
		parse_route(k, (struct rtnl_route *)obj);
}

static int
msg_cb(struct nl_msg *msg, void *arg)
{
	struct rib_kernel *k = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (h->nlmsg_type == RTM_NEWNEXTHOP || h->nlmsg_type == RTM_DELNEXTHOP) {
		nh_msg(k, h, k->nh_dumping);
		return NL_OK;
	}
	k->cur_nhid = 0;
	if (h->nlmsg_type == RTM_NEWROUTE || h->nlmsg_type == RTM_DELROUTE) {
		struct nlattr *tb[RTA_MAX + 1];

		/* libnl 3.7 does not know RTA_NH_ID: read it raw. */
		if (nlmsg_parse(h, sizeof(struct rtmsg), tb, RTA_MAX, NULL) == 0 &&
		    tb[RTA_NH_ID])
			k->cur_nhid = nla_get_u32(tb[RTA_NH_ID]);
	}
	k->cur_msgtype = h->nlmsg_type;
	if (nl_msg_parse(msg, obj_cb, k) < 0)
		wp_log_warnx_rl("kernel: cannot parse netlink message type %d",
				k->cur_msgtype);
	return NL_OK;
}

static int
dump_one(struct rib_kernel *k, int type, int family)
{
	int err;

	err = nl_rtgen_request(k->sync, type, family, NLM_F_DUMP);
	if (err < 0)
		goto fail;
	err = nl_recvmsgs_default(k->sync);
	if (err < 0)
		goto fail;
	return 0;
fail:
	wp_log_errx("kernel: dump type %d family %d: %s", type, family,
		    nl_geterror(err));
	return -1;
}

/* Nexthop objects present (a previous instance's); probes support. */
static void
dump_nexthops(struct rib_kernel *k)
{
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_GETNEXTHOP, NLM_F_DUMP);
	struct nhmsg nhm = { .nh_family = AF_UNSPEC };
	int err;

	nlmsg_append(msg, &nhm, sizeof(nhm), NLMSG_ALIGNTO);
	k->nh_dumping = true;
	err = nl_send_auto(k->sync, msg);
	if (err >= 0)
		err = nl_recvmsgs_default(k->sync);
	k->nh_dumping = false;
	nlmsg_free(msg);
	if (err < 0) {
		wp_log_info("kernel: no nexthop objects (%s): classic routes",
			    nl_geterror(err));
		k->nhobj_supported = k->nhobj = false;
		return;
	}
	if (!k->nh_probed) {
		k->nhobj_supported = true;
		k->nhobj = true;
	}
	k->nh_probed = true;
}

int
rib_kernel_dump(struct rib_kernel *k)
{
	if (!k->nh_probed)
		dump_nexthops(k);
	if (dump_one(k, RTM_GETLINK, AF_UNSPEC) < 0 ||
	    dump_one(k, RTM_GETADDR, AF_UNSPEC) < 0 ||
	    dump_one(k, RTM_GETROUTE, AF_INET) < 0 ||
	    dump_one(k, RTM_GETROUTE, AF_INET6) < 0)
		return -1;
	return 0;
}

static void
ev_discard(struct rib_kernel *k)
{
	static uint8_t buf[64 * 1024];
	int fd = nl_socket_get_fd(k->ev);

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 ||
	       errno == ENOBUFS || errno == EINTR)
		;
}

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

/*
 * Ask for TABLE's routes only.  The kernel filters a route dump by the
 * RTA_TABLE of the request when the socket asked for strict checking
 * (Linux 4.20 and later; without it the attribute is ignored and every
 * table comes back, which the callers filter anyway).  Strict checking is
 * on for the request alone: it also wants full headers on the dumps that
 * nl_rtgen_request() sends, so it is turned off again at once.  The
 * kernel has taken the filter when the request is sent; the replies are
 * read after.
 */
static int
dump_table_request(struct rib_kernel *k, int family, uint32_t table)
{
	struct rtmsg rtm = {
		.rtm_family = (unsigned char)family,
		.rtm_table = table < 256 ? (unsigned char)table : RT_TABLE_UNSPEC,
	};
	int fd = nl_socket_get_fd(k->sync), on = 1, off = 0, err;
	struct nl_msg *msg;

	msg = nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_DUMP);
	if (msg == NULL)
		return -NLE_NOMEM;
	if (nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
	    nla_put_u32(msg, RTA_TABLE, table) < 0) {
		nlmsg_free(msg);
		return -NLE_NOMEM;
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &on, sizeof(on));
	err = nl_send_auto(k->sync, msg);
	setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &off, sizeof(off));
	nlmsg_free(msg);
	return err;
}

/* TABLE 0: every table (dump_one() logs its own failure). */
int
rib_kernel_dump_table(struct rib_kernel *k, int family, uint32_t table,
		      void (*fn)(void *arg, const struct rib_kroute *r),
		      void *arg)
{
	int err;

	k->route_tap = fn;
	k->route_tap_arg = arg;
	if (table == 0) {
		err = dump_one(k, RTM_GETROUTE, family);
	} else {
		err = dump_table_request(k, family, table);
		if (err >= 0)
			err = nl_recvmsgs_default(k->sync);
		if (err < 0)
			wp_log_errx("kernel: dump of table %u family %d: %s",
				    table, family, nl_geterror(err));
	}
	k->route_tap = NULL;
	k->route_tap_arg = NULL;
	return err < 0 ? -1 : 0;
}

int
rib_kernel_dump_routes(struct rib_kernel *k, int family,
		       void (*fn)(void *arg, const struct rib_kroute *r),
		       void *arg)
{
	return rib_kernel_dump_table(k, family, 0, fn, arg);
}

static void
ev_read_cb(struct wp_io *io, int revents)
{
	struct rib_kernel *k = container_of(io, struct rib_kernel, ev_io);

	/* Bounded: yield to the loop after a slice; level-triggered io
	 * brings us back while data remains. */
	for (int i = 0; i < 256; i++) {
		int err = nl_recvmsgs_default(k->ev);

		if (err == -NLE_AGAIN)
			return;
		if (err == -NLE_NOMEM || err == -NLE_MSG_OVERFLOW) {
			/* ENOBUFS: notifications were dropped. */
			k->stats.resyncs++;
			wp_log_warnx("kernel: netlink notifications lost, "
				     "resynchronising");
			if (k->ops->resync)
				k->ops->resync(k->arg);
			/* What is still queued predates the loss; replayed
			 * after the dump it would resurrect deleted objects.
			 * Drop it: the dump is the truth, and what arrives
			 * from now on is newer than it. */
			ev_discard(k);
			rib_kernel_dump(k);
			if (k->ops->resync_done)
				k->ops->resync_done(k->arg);
			return;
		}
		if (err < 0) {
			wp_log_warnx_rl("kernel: netlink receive: %s",
					nl_geterror(err));
			return;
		}
	}
}

/* --- route programming ----------------------------------------------- */

static void
fifo_push(struct rib_kernel *k, uint32_t seq, bool add, bool nh, void *cookie)
{
	struct kpending *p;

	if (k->fifo_len == k->fifo_cap) {
		size_t ncap = k->fifo_cap ? k->fifo_cap * 2 : 256;
		struct kpending *n = wp_calloc(MT_RIB_KBATCH, ncap * sizeof(*n));

		for (size_t i = 0; i < k->fifo_len; i++)
			n[i] = k->fifo[(k->fifo_head + i) % k->fifo_cap];
		wp_free(MT_RIB_KBATCH, k->fifo);
		k->fifo = n;
		k->fifo_cap = ncap;
		k->fifo_head = 0;
	}
	p = &k->fifo[(k->fifo_head + k->fifo_len) % k->fifo_cap];
	p->seq = seq;
	p->add = add;
	p->nh = nh;
	p->cookie = cookie;
	k->fifo_len++;
}

static void
fifo_pop(struct rib_kernel *k, struct kpending *out)
{
	*out = k->fifo[k->fifo_head];
	k->fifo_head = (k->fifo_head + 1) % k->fifo_cap;
	k->fifo_len--;
}

static void
out_append(struct rib_kernel *k, const void *data, size_t len)
{
	if (k->out_len + len > k->out_cap) {
		size_t ncap = k->out_cap ? k->out_cap : 64 * 1024;

		while (ncap < k->out_len + len)
			ncap *= 2;
		k->out = wp_realloc(MT_RIB_KBATCH, k->out, ncap);
		k->out_cap = ncap;
	}
	memcpy(k->out + k->out_len, data, len);
	k->out_len += len;
}

static struct rtnl_route *
kroute_to_rtnl(const struct rib_kroute *r)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct nl_addr *dst;
	int family = r->dst.family;
	bool any_gw = false;

	rtnl_route_set_family(route, (uint8_t)family);
	rtnl_route_set_table(route, r->table);
	dst = addr_to_nladdr(family, &r->dst.u, r->dst.len);
	rtnl_route_set_dst(route, dst);
	nl_addr_put(dst);
	rtnl_route_set_protocol(route, r->protocol);
	rtnl_route_set_priority(route, r->metric);
	rtnl_route_set_type(route, rtn_from_ktype(r->type));
	if (r->type != RIB_KTYPE_UNICAST) {
		rtnl_route_set_scope(route, RT_SCOPE_UNIVERSE);
		return route;
	}
	for (unsigned int i = 0; i < r->n_nh; i++) {
		const struct rib_knh *knh = &r->nh[i];
		struct rtnl_nexthop *nh = rtnl_route_nh_alloc();

		rtnl_route_nh_set_ifindex(nh, knh->ifindex);
		/* rtnh_hops carries weight - 1 (ip-route(8) "weight"). */
		if (r->n_nh > 1)
			rtnl_route_nh_set_weight(nh, knh->weight ?
						 (uint8_t)(knh->weight - 1) : 0);
		if (knh->onlink)
			rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
		if (knh->gw.family) {
			struct nl_addr *gw;

			gw = addr_to_nladdr(knh->gw.family, &knh->gw.u,
					    knh->gw.family == AF_INET ? 32 : 128);
			rtnl_route_nh_set_gateway(nh, gw);
			nl_addr_put(gw);
			any_gw = true;
		}
		rtnl_route_add_nexthop(route, nh);
	}
	rtnl_route_set_scope(route, any_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
	return route;
}

static void
schedule_flush(struct rib_kernel *k)
{
	if (!wp_timer_active(&k->flush_timer))
		wp_timer_start(&k->flush_timer, 0.0, 0.0);
}

/* Append an encoded request to the batch and remember its answer's owner. */
static void
queue_msg(struct rib_kernel *k, struct nl_msg *msg, bool add, bool nh,
	  void *cookie)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);

	/* nl_send_auto() would add REQUEST; we send the batch ourselves. */
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	h->nlmsg_seq = ++k->seq;
	h->nlmsg_pid = 0;
	out_append(k, h, NLMSG_ALIGN(h->nlmsg_len));
	fifo_push(k, h->nlmsg_seq, add, nh, cookie);
	k->queued_msgs++;
	schedule_flush(k);
}

static uint32_t nhg_acquire(struct rib_kernel *k, const struct rib_kroute *r);
static void nhg_put(struct rib_kernel *k, uint32_t id);

static int
route_queue(struct rib_kernel *k, struct rib_kroute *r, void *cookie,
	    bool add)
{
	struct rtnl_route *route;
	struct nl_msg *msg = NULL;
	uint32_t nhid = 0;
	int err;

	if (add && k->nhobj && r->type == RIB_KTYPE_UNICAST && r->n_nh)
		nhid = nhg_acquire(k, r);
	/*
	 * The route carries only the object's id.  A route installed with
	 * an object is deleted without nexthops: the kernel refuses a
	 * gateway or interface in the request (ESRCH, which counts as
	 * "already gone") for a route whose nexthop is an object.
	 */
	if (nhid || (!add && r->nhg_id)) {
		struct rib_kroute bare;

		memcpy(&bare, r, sizeof(bare));		/* header only */
		bare.n_nh = 0;
		route = kroute_to_rtnl(&bare);
		rtnl_route_set_scope(route, RT_SCOPE_UNIVERSE);
	} else {
		route = kroute_to_rtnl(r);
	}
	if (add) {
		err = rtnl_route_build_add_request(route,
			NLM_F_CREATE | NLM_F_REPLACE, &msg);
	} else {
		/* Scope "nowhere" matches any scope, as ip-route(8) deletes:
		 * the kernel compares a given scope with the route's. */
		rtnl_route_set_scope(route, RT_SCOPE_NOWHERE);
		err = rtnl_route_build_del_request(route, 0, &msg);
	}
	rtnl_route_put(route);
	if (err < 0) {
		wp_log_warnx("kernel: cannot encode route: %s",
			     nl_geterror(err));
		if (nhid)
			nhg_put(k, nhid);
		return -1;
	}
	if (nhid)
		nla_put_u32(msg, RTA_NH_ID, nhid);
	queue_msg(k, msg, add, false, cookie);
	nlmsg_free(msg);
	if (add)
		r->nhg_id = nhid;
	return 0;
}

/* --- nexthop objects ------------------------------------------------- */

static int
knh_cmp(const void *a, const void *b)
{
	const struct rib_knh *x = a, *y = b;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->gw.family != y->gw.family)
		return x->gw.family < y->gw.family ? -1 : 1;
	return memcmp(&x->gw.u, &y->gw.u, sizeof(x->gw.u));
}

static uint32_t
nhg_hash(int family, const struct rib_knh *nh, unsigned int n)
{
	uint32_t h = 2166136261u ^ (uint32_t)family;

	for (unsigned int i = 0; i < n; i++) {
		const uint8_t *b = nh[i].gw.u.bytes;

		h = (h ^ (uint32_t)nh[i].ifindex) * 16777619u;
		h = (h ^ (n > 1 ? nh[i].weight : 0)) * 16777619u;
		for (int j = 0; j < 16; j++)
			h = (h ^ b[j]) * 16777619u;
	}
	return h % NHG_BUCKETS;
}

static bool
nhg_match(const struct knhg *g, int family, const struct rib_knh *nh,
	  unsigned int n)
{
	if (g->family != family || g->n_nh != n)
		return false;
	for (unsigned int i = 0; i < n; i++)
		if (knh_cmp(&g->nh[i], &nh[i]) != 0 ||
		    g->nh[i].onlink != nh[i].onlink ||
		    (n > 1 && g->nh[i].weight != nh[i].weight))
			return false;
	return true;
}

static struct knhg *
nhg_find_id(const struct rib_kernel *k, uint32_t id)
{
	for (int b = 0; b < NHG_BUCKETS; b++)
		for (struct knhg *g = k->nhg_hash[b]; g; g = g->hnext)
			if (g->id == id)
				return g;
	return NULL;
}

static uint32_t
nh_new_id(struct rib_kernel *k)
{
	/* Ids never reused within an instance; skip any still present. */
	do {
		if (++k->nh_next_id == 0)
			k->nh_next_id = 1;
	} while (nhg_find_id(k, k->nh_next_id));
	return k->nh_next_id;
}

static void
nhg_send_new(struct rib_kernel *k, struct knhg *g)
{
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_NEWNEXTHOP,
						NLM_F_CREATE | NLM_F_REPLACE);
	struct nhmsg nhm = { 0 };

	nhm.nh_protocol = RIB_NH_PROTO;
	if (g->n_nh > 1) {
		struct nexthop_grp grp[RIB_KERNEL_MAX_NH];

		memset(grp, 0, sizeof(grp));
		for (unsigned int i = 0; i < g->n_nh; i++) {
			grp[i].id = g->members[i];
			/* The kernel stores weight - 1, as ip-nexthop(8). */
			grp[i].weight = (uint8_t)(g->nh[i].weight ?
						  g->nh[i].weight - 1 : 0);
		}
		nhm.nh_family = AF_UNSPEC;
		nlmsg_append(msg, &nhm, sizeof(nhm), NLMSG_ALIGNTO);
		nla_put_u32(msg, NHA_ID, g->id);
		nla_put(msg, NHA_GROUP, (int)(g->n_nh * sizeof(grp[0])), grp);
	} else {
		const struct rib_knh *nh = &g->nh[0];

		nhm.nh_family = (unsigned char)(nh->gw.family ? nh->gw.family :
						 g->family);
		if (nh->onlink)
			nhm.nh_flags |= RTNH_F_ONLINK;
		nlmsg_append(msg, &nhm, sizeof(nhm), NLMSG_ALIGNTO);
		nla_put_u32(msg, NHA_ID, g->id);
		nla_put_u32(msg, NHA_OIF, (uint32_t)nh->ifindex);
		if (nh->gw.family)
			nla_put(msg, NHA_GATEWAY, nh->gw.family == AF_INET ? 4 : 16,
				&nh->gw.u);
	}
	queue_msg(k, msg, true, true, (void *)(uintptr_t)g->id);
	nlmsg_free(msg);
	k->stats.nhg_created++;
}

static void
nhg_send_del(struct rib_kernel *k, uint32_t id)
{
	struct nl_msg *msg = nlmsg_alloc_simple(RTM_DELNEXTHOP, 0);
	struct nhmsg nhm = { .nh_family = AF_UNSPEC };

	nlmsg_append(msg, &nhm, sizeof(nhm), NLMSG_ALIGNTO);
	nla_put_u32(msg, NHA_ID, id);
	queue_msg(k, msg, false, true, (void *)(uintptr_t)id);
	nlmsg_free(msg);
	k->stats.nhg_deleted++;
}

static void
nhg_unlink(struct rib_kernel *k, struct knhg *g)
{
	uint32_t b = nhg_hash(g->family, g->nh, g->n_nh);

	for (struct knhg **pp = &k->nhg_hash[b]; *pp; pp = &(*pp)->hnext)
		if (*pp == g) {
			*pp = g->hnext;
			return;
		}
}

/* Find or create the object for a sorted nexthop set; takes a reference. */
static struct knhg *
nhg_get(struct rib_kernel *k, int family, const struct rib_knh *nh,
	unsigned int n)
{
	uint32_t b = nhg_hash(family, nh, n);
	struct knhg *g;

	for (g = k->nhg_hash[b]; g; g = g->hnext)
		if (nhg_match(g, family, nh, n)) {
			g->refcnt++;
			return g;
		}
	g = wp_calloc(MT_RIB_NHG, sizeof(*g));
	g->family = family;
	g->n_nh = n;
	memcpy(g->nh, nh, n * sizeof(*nh));
	if (n > 1)
		for (unsigned int i = 0; i < n; i++) {
			struct rib_knh one = nh[i];

			one.weight = 0;
			g->members[i] = nhg_get(k, family, &one, 1)->id;
		}
	g->id = nh_new_id(k);
	g->refcnt = 1;
	g->hnext = k->nhg_hash[b];
	k->nhg_hash[b] = g;
	nhg_send_new(k, g);
	return g;
}

static uint32_t
nhg_acquire(struct rib_kernel *k, const struct rib_kroute *r)
{
	struct rib_knh nh[RIB_KERNEL_MAX_NH];

	memcpy(nh, r->nh, r->n_nh * sizeof(nh[0]));
	for (unsigned int i = 0; i < r->n_nh; i++)
		if (nh[i].weight == 0)
			nh[i].weight = 1;
	qsort(nh, r->n_nh, sizeof(nh[0]), knh_cmp);
	return nhg_get(k, r->dst.family, nh, r->n_nh)->id;
}

static void
nhg_put(struct rib_kernel *k, uint32_t id)
{
	struct knhg *g = id ? nhg_find_id(k, id) : NULL;

	if (g == NULL || --g->refcnt > 0)
		return;
	nhg_unlink(k, g);
	nhg_send_del(k, g->id);
	for (unsigned int i = 0; g->n_nh > 1 && i < g->n_nh; i++)
		nhg_put(k, g->members[i]);
	wp_free(MT_RIB_NHG, g);
}

void
rib_kernel_nhg_release(struct rib_kernel *k, uint32_t id)
{
	if (k && id)
		nhg_put(k, id);
}

void
rib_kernel_route_release(struct rib_kernel *k, struct rib_kroute *r)
{
	if (r) {
		rib_kernel_nhg_release(k, r->nhg_id);
		r->nhg_id = 0;
	}
}

void
rib_kernel_set_nhobj(struct rib_kernel *k, bool on)
{
	k->nhobj = on && k->nhobj_supported;
}

bool
rib_kernel_nhobj(const struct rib_kernel *k)
{
	return k->nhobj;
}

void
rib_kernel_nhg_foreach(const struct rib_kernel *k,
		       void (*fn)(uint32_t id, unsigned int refcnt,
				  const struct rib_knh *nh, unsigned int n,
				  const uint32_t *members, void *arg),
		       void *arg)
{
	for (int b = 0; b < NHG_BUCKETS; b++)
		for (struct knhg *g = k->nhg_hash[b]; g; g = g->hnext)
			fn(g->id, g->refcnt, g->nh, g->n_nh,
			   g->n_nh > 1 ? g->members : NULL, arg);
}

/* The kernel removed an object (its device went away or down). */
static void
nhg_gone(struct rib_kernel *k, uint32_t id)
{
	struct knhg *g = nhg_find_id(k, id);

	if (g == NULL)
		return;
	/* Forget it: the next install of that set makes a fresh object.
	 * Groups over it are broken too (the kernel shrank them). */
	nhg_unlink(k, g);
	k->stats.nhg_lost++;
	if (k->n_lost < sizeof(k->lost) / sizeof(k->lost[0]))
		k->lost[k->n_lost++] = id;
	if (g->n_nh == 1)
		for (int b = 0; b < NHG_BUCKETS; b++)
			for (struct knhg *o = k->nhg_hash[b], *next; o; o = next) {
				next = o->hnext;
				for (unsigned int i = 0; o->n_nh > 1 && i < o->n_nh; i++)
					if (o->members[i] == id) {
						nhg_gone(k, o->id);
						break;
					}
			}
	/* Routes still naming the id release it later: a release of an
	 * unknown id is a no-op. */
	wp_free(MT_RIB_NHG, g);
	if (!wp_timer_active(&k->lost_timer))
		wp_timer_start(&k->lost_timer, 0.0, 0.0);
}

static void
lost_cb(struct wp_timer *t)
{
	struct rib_kernel *k = container_of(t, struct rib_kernel, lost_timer);
	unsigned int n = k->n_lost;

	k->n_lost = 0;
	if (n && k->ops->nhg_lost)
		k->ops->nhg_lost(k->arg, k->lost, n);
}

/* RTM_NEWNEXTHOP/RTM_DELNEXTHOP: libnl 3.7 has no parser; read raw. */
static void
nh_msg(struct rib_kernel *k, struct nlmsghdr *h, bool dump)
{
	struct nlattr *tb[NHA_MAX + 1];
	struct nhmsg *nhm;
	uint32_t id;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*nhm)) ||
	    nlmsg_parse(h, sizeof(*nhm), tb, NHA_MAX, NULL) < 0 ||
	    tb[NHA_ID] == NULL)
		return;
	nhm = nlmsg_data(h);
	id = nla_get_u32(tb[NHA_ID]);
	if (dump) {
		/* At start: remember a previous instance's objects and
		 * allocate above every id in use. */
		if (id > k->nh_next_id)
			k->nh_next_id = id;
		if (nhm->nh_protocol == RIB_NH_PROTO) {
			k->stale_nh = wp_realloc(MT_RIB_NHG, k->stale_nh,
				(k->n_stale_nh + 1) * sizeof(*k->stale_nh));
			/* Groups marked so the sweep deletes them first. */
			k->stale_nh[k->n_stale_nh++] = id |
				(tb[NHA_GROUP] ? 0x80000000u : 0);
		}
		return;
	}
	if (h->nlmsg_type == RTM_DELNEXTHOP && nhm->nh_protocol == RIB_NH_PROTO)
		nhg_gone(k, id);
}

void
rib_kernel_nhg_sweep(struct rib_kernel *k)
{
	/* Groups first: a single in a live group cannot be deleted. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < k->n_stale_nh; i++)
			if (k->stale_nh[i] && (pass == 1 ||
			    k->stale_nh[i] & 0x80000000u)) {
				nhg_send_del(k, k->stale_nh[i] & 0x7fffffffu);
				k->stale_nh[i] = 0;
			}
	wp_free(MT_RIB_NHG, k->stale_nh);
	k->stale_nh = NULL;
	k->n_stale_nh = 0;
}

int
rib_kernel_route_install(struct rib_kernel *k, struct rib_kroute *r,
			 void *cookie)
{
	return route_queue(k, r, cookie, true);
}

int
rib_kernel_route_delete(struct rib_kernel *k, struct rib_kroute *r,
			void *cookie)
{
	int ret = route_queue(k, r, cookie, false);

	/* The object goes after the route that used it (FIFO order). */
	rib_kernel_route_release(k, r);
	return ret;
}

static void
ack_one(struct rib_kernel *k, uint32_t seq, int error)
{
	struct kpending p;

	while (k->inflight > 0 && k->fifo_len > 0) {
		fifo_pop(k, &p);
		k->inflight--;
		if (p.seq != seq) {
			/* Cannot happen with NLM_F_ACK on every request;
			 * report it rather than hide it. */
			wp_log_warnx("kernel: no answer for request %u",
				     p.seq);
			if (k->ops->result)
				k->ops->result(k->arg, p.cookie, p.add, EIO);
			continue;
		}
		if (p.nh) {
			/* Deleting an object the kernel already removed is
			 * fine; any other failure shows in the routes' own
			 * answers that follow. */
			if (error && !(!p.add && error == ENOENT))
				wp_log_warnx_rl("kernel: nexthop object %u: %s",
						(uint32_t)(uintptr_t)p.cookie,
						strerror(error));
			return;
		}
		/* Deleting what is already gone is success. */
		if (!p.add && (error == ESRCH || error == ENOENT))
			error = 0;
		if (error) {
			k->stats.failed++;
			wp_debug(DBG_RIB_KERNEL, "kernel: request %u: %s", seq,
				 strerror(error));
		} else {
			k->stats.acked++;
		}
		if (k->ops->result)
			k->ops->result(k->arg, p.cookie, p.add, error);
		return;
	}
}

/* Read every answer available now; returns the number read. */
static size_t
cmd_drain(struct rib_kernel *k)
{
	static uint8_t buf[64 * 1024];
	size_t n = 0;
	int fd = nl_socket_get_fd(k->cmd);

	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		struct nlmsghdr *h;
		int rem;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				wp_log_warn("kernel: netlink command socket");
			break;
		}
		rem = (int)len;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, rem);
		     h = NLMSG_NEXT(h, rem)) {
			const struct nlmsgerr *e;

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			e = NLMSG_DATA(h);
			ack_one(k, h->nlmsg_seq, -e->error);
			n++;
		}
	}
	return n;
}

void
rib_kernel_flush(struct rib_kernel *k)
{
	int fd = nl_socket_get_fd(k->cmd);
	size_t off = 0;

	while (off < k->out_len) {
		size_t chunk = 0, msgs = 0;
		ssize_t sent;

		if (k->inflight >= KINFLIGHT_MAX && cmd_drain(k) == 0)
			break;	/* the read watcher resumes us */
		/* Pack whole messages up to the batch size and window. */
		while (off + chunk < k->out_len &&
		       k->inflight + msgs < KINFLIGHT_MAX) {
			const struct nlmsghdr *h =
				(const void *)(k->out + off + chunk);
			size_t l = NLMSG_ALIGN(h->nlmsg_len);

			if (chunk && chunk + l > KBATCH_SEND_MAX)
				break;
			chunk += l;
			msgs++;
		}
		if (msgs == 0)
			break;
		sent = send(fd, k->out + off, chunk, 0);
		if (sent < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == ENOBUFS) {
				cmd_drain(k);
				continue;
			}
			wp_log_warn("kernel: netlink send");
			break;
		}
		k->stats.batches++;
		k->stats.sent += msgs;
		k->inflight += msgs;
		k->queued_msgs -= msgs;
		off += chunk;
		cmd_drain(k);
	}
	if (off) {
		memmove(k->out, k->out + off, k->out_len - off);
		k->out_len -= off;
	}
	/* A burst grew the batch buffer: give it back once drained. */
	if (k->out_len == 0 && k->out_cap > 1024 * 1024) {
		wp_free(MT_RIB_KBATCH, k->out);
		k->out = NULL;
		k->out_cap = 0;
	}
}

size_t
rib_kernel_pending(const struct rib_kernel *k)
{
	return k->fifo_len;
}

static void
flush_cb(struct wp_timer *t)
{
	rib_kernel_flush(container_of(t, struct rib_kernel, flush_timer));
}

static void
cmd_read_cb(struct wp_io *io, int revents)
{
	struct rib_kernel *k = container_of(io, struct rib_kernel, cmd_io);

	cmd_drain(k);
	if (k->out_len)
		rib_kernel_flush(k);
}

/* --- interface configuration ----------------------------------------- */

int
rib_kernel_link_set_up(struct rib_kernel *k, int ifindex, bool up)
{
	struct rtnl_link *orig = NULL, *chg;
	int err;

	err = rtnl_link_get_kernel(k->conf, ifindex, NULL, &orig);
	if (err < 0)
		return err;
	chg = rtnl_link_alloc();
	if (up)
		rtnl_link_set_flags(chg, IFF_UP);
	else
		rtnl_link_unset_flags(chg, IFF_UP);
	err = rtnl_link_change(k->conf, orig, chg, 0);
	rtnl_link_put(chg);
	rtnl_link_put(orig);
	return err;
}

int
rib_kernel_link_set_mtu(struct rib_kernel *k, int ifindex, unsigned int mtu)
{
	struct rtnl_link *orig = NULL, *chg;
	int err;

	err = rtnl_link_get_kernel(k->conf, ifindex, NULL, &orig);
	if (err < 0)
		return err;
	chg = rtnl_link_alloc();
	rtnl_link_set_mtu(chg, mtu);
	err = rtnl_link_change(k->conf, orig, chg, 0);
	rtnl_link_put(chg);
	rtnl_link_put(orig);
	return err;
}

static int
addr_change(struct rib_kernel *k, int ifindex, const struct wp_prefix *p,
	    bool add)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local;
	int err;

	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, p->family);
	local = addr_to_nladdr(p->family, &p->u, p->len);
	rtnl_addr_set_local(a, local);
	nl_addr_put(local);
	rtnl_addr_set_prefixlen(a, p->len);
	err = add ? rtnl_addr_add(k->conf, a, 0) : rtnl_addr_delete(k->conf, a, 0);
	rtnl_addr_put(a);
	return err;
}

int
rib_kernel_addr_add(struct rib_kernel *k, int ifindex,
		    const struct wp_prefix *p)
{
	return addr_change(k, ifindex, p, true);
}

int
rib_kernel_addr_del(struct rib_kernel *k, int ifindex,
		    const struct wp_prefix *p)
{
	return addr_change(k, ifindex, p, false);
}

/* --- life cycle -------------------------------------------------------- */

static void
sock_bufs(struct nl_sock *s)
{
	int fd = nl_socket_get_fd(s), sz = KSOCK_BUF;

	/* The FORCE variants pass rmem_max when we hold CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
}

static struct nl_sock *
sock_open(struct rib_kernel *k, bool with_cb)
{
	struct nl_sock *s = nl_socket_alloc();

	if (s == NULL)
		return NULL;
	if (with_cb) {
		nl_socket_disable_seq_check(s);
		nl_socket_modify_cb(s, NL_CB_VALID, NL_CB_CUSTOM, msg_cb, k);
	}
	if (nl_connect(s, NETLINK_ROUTE) < 0) {
		nl_socket_free(s);
		return NULL;
	}
	sock_bufs(s);
	return s;
}

struct rib_kernel *
rib_kernel_new(struct wp_loop *loop, const struct rib_kernel_ops *ops,
	       void *arg)
{
	struct rib_kernel *k = wp_calloc(MT_RIB_KERNEL, sizeof(*k));
	int one = 1;

	k->loop = loop;
	k->ops = ops;
	k->arg = arg;
	k->ev = sock_open(k, true);
	k->sync = sock_open(k, true);
	k->cmd = sock_open(k, false);
	k->conf = sock_open(k, false);
	if (k->ev == NULL || k->sync == NULL || k->cmd == NULL ||
	    k->conf == NULL) {
		wp_log_errx("kernel: cannot open netlink sockets");
		rib_kernel_free(k);
		return NULL;
	}
	if (nl_socket_add_memberships(k->ev, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
				      RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE,
				      RTNLGRP_IPV6_ROUTE, 0) < 0) {
		wp_log_errx("kernel: cannot join netlink groups");
		rib_kernel_free(k);
		return NULL;
	}
	/* Test hook: a tiny event buffer provokes ENOBUFS on purpose. */
	if (getenv("RIBD_TEST_EVENT_RCVBUF")) {
		int sz = atoi(getenv("RIBD_TEST_EVENT_RCVBUF"));

		setsockopt(nl_socket_get_fd(k->ev), SOL_SOCKET, SO_RCVBUFFORCE,
			   &sz, sizeof(sz));
		wp_log_notice("kernel: event socket buffer forced to %d bytes "
			      "(RIBD_TEST_EVENT_RCVBUF)", sz);
	}
	/* Older kernels have no nexthop group: not fatal. */
	nl_socket_add_memberships(k->ev, RTNLGRP_NEXTHOP, 0);
	nl_socket_set_nonblocking(k->ev);
	nl_socket_set_nonblocking(k->cmd);
	/* Error replies without the echoed request: smaller acks. */
	setsockopt(nl_socket_get_fd(k->cmd), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	wp_io_init(loop, &k->ev_io, "kernel events", nl_socket_get_fd(k->ev),
		   EV_READ, ev_read_cb);
	wp_io_init(loop, &k->cmd_io, "kernel acks", nl_socket_get_fd(k->cmd),
		   EV_READ, cmd_read_cb);
	wp_timer_init(loop, &k->flush_timer, "kernel flush", flush_cb);
	wp_timer_init(loop, &k->lost_timer, "kernel nexthops lost", lost_cb);
	wp_io_start(&k->ev_io);
	wp_io_start(&k->cmd_io);
	return k;
}

void
rib_kernel_free(struct rib_kernel *k)
{
	if (k == NULL)
		return;
	wp_io_stop(&k->ev_io);
	wp_io_stop(&k->cmd_io);
	wp_timer_stop(&k->flush_timer);
	if (k->ev)
		nl_socket_free(k->ev);
	if (k->sync)
		nl_socket_free(k->sync);
	if (k->cmd)
		nl_socket_free(k->cmd);
	if (k->conf)
		nl_socket_free(k->conf);
	wp_timer_stop(&k->lost_timer);
	for (int b = 0; b < NHG_BUCKETS; b++)
		while (k->nhg_hash[b]) {
			struct knhg *g = k->nhg_hash[b];

			k->nhg_hash[b] = g->hnext;
			wp_free(MT_RIB_NHG, g);
		}
	wp_free(MT_RIB_NHG, k->stale_nh);
	wp_free(MT_RIB_KBATCH, k->out);
	wp_free(MT_RIB_KBATCH, k->fifo);
	wp_free(MT_RIB_KERNEL, k);
}

void
rib_kernel_ignore_echoes(struct rib_kernel *k, const uint8_t *protos,
			 unsigned int n_protos)
{
	struct sock_filter f[RIB_KFILTER_MAX];
	struct sock_fprog fp;
	uint32_t port = nl_socket_get_local_port(k->cmd);
	unsigned int n;

	/* Port id 0 marks what the kernel did on its own: never drop it. */
	if (port == 0)
		return;
	n = rib_kernel_echo_filter(f, RIB_KFILTER_MAX, port, protos, n_protos,
				   RIB_NH_PROTO);
	if (n == 0) {
		wp_log_warnx("kernel: too many protocols for the event filter");
		return;
	}
	fp.len = (unsigned short)n;
	fp.filter = f;
	if (setsockopt(nl_socket_get_fd(k->ev), SOL_SOCKET, SO_ATTACH_FILTER,
		       &fp, sizeof(fp)) < 0) {
		wp_log_warn("kernel: cannot filter the echoes of our requests");
		return;
	}
	k->stats.echo_filter = true;
}

void
rib_kernel_get_stats(const struct rib_kernel *k, struct rib_kernel_stats *s)
{
	*s = k->stats;
}
