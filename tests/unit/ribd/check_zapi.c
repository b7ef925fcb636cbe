/*
 * Unit tests for ribd's client API: rib.proto's messages and their field
 * checks (lib/wp_rib_msg), the server (daemons/ribd/rib_zapi.c) and the
 * client library (lib/wp_ribclient) together.
 *
 * "msg": every message packed, unpacked and packed again identically;
 * route conversions both ways; each malformed field value refused with
 * its own message.
 * "api": a dry-run RIB (no kernel: rib->stats.installs/deletes count
 * what would go to the kernel) serving ribd.sock in a mkdtemp()
 * directory, clients from wp_ribclient and raw sockets in the same loop.
 * The loop runs until a condition holds, polled every millisecond, with
 * a deadline that fails the test; no sleeps.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/proto/rib.pb-c.h"
#include "rib_conf.h"
#include "rib_zapi.h"
#include "ribd.h"
#include "wp_buf.h"
#include "wp_check.h"
#include "wp_ipc.h"
#include "wp_rib_msg.h"
#include "wp_ribclient.h"

WP_MEMTYPE_DEFINE(MT_TEST_ZAPI, "test zapi");

#define DEADLINE	20.0

static struct wp_prefix
P(const char *s)
{
	struct wp_prefix p;
	char err[WP_PREFIX_ERRLEN];

	ck_assert_msg(wp_prefix_parse_flags(s, &p, WP_PREFIX_KEEP_HOST_BITS,
					    err, sizeof(err)) == 0, "%s", err);
	return p;
}

static struct wp_addr
A(const char *s)
{
	struct wp_addr a;
	char err[WP_PREFIX_ERRLEN];

	ck_assert_msg(wp_addr_parse(s, &a, err, sizeof(err)) == 0, "%s", err);
	return a;
}

/* === msg: encoding and field checks ====================================== */

/* Pack, unpack, pack again: the same bytes. */
static void
roundtrip(const ProtobufCMessage *m)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *a = wp_malloc(MT_TEST_ZAPI, n + 1), *b;
	ProtobufCMessage *u;

	ck_assert_uint_eq(protobuf_c_message_pack(m, a), n);
	u = protobuf_c_message_unpack(m->descriptor, wp_ipc_allocator(), n, a);
	ck_assert_ptr_nonnull(u);
	ck_assert_uint_eq(protobuf_c_message_get_packed_size(u), n);
	b = wp_malloc(MT_TEST_ZAPI, n + 1);
	ck_assert_uint_eq(protobuf_c_message_pack(u, b), n);
	ck_assert(memcmp(a, b, n) == 0);
	wp_ipc_msg_free(u);
	wp_free(MT_TEST_ZAPI, a);
	wp_free(MT_TEST_ZAPI, b);
}

/* A route with one nexthop of each kind that may share a route. */
static const struct wp_rib_nh test_nhs[] = {
	{ .type = WP_RIB_NH_GATEWAY, .weight = 3 },
	{ .type = WP_RIB_NH_INTERFACE, .ifindex = 7 },
	{ .type = WP_RIB_NH_GATEWAY_IF, .ifname = "eth1", .onlink = true },
};

START_TEST(test_msg_route_roundtrip)
{
	struct wp_rib_nh nhs[3], back[WP_RIB_MAX_NEXTHOPS];
	Wp__Rib__Nexthop nm[3], *np[3];
	Wp__Rib__Route m = WP__RIB__ROUTE__INIT, *mp = &m;
	Wp__Rib__RouteAdd add = WP__RIB__ROUTE_ADD__INIT;
	struct wp_prefix p = P("10.1.2.0/24"), pp;
	struct wp_rib_route r;
	char err[160];
	size_t n;
	uint8_t *buf;
	Wp__Rib__RouteAdd *u;

	memcpy(nhs, test_nhs, sizeof(nhs));
	nhs[0].gw = A("10.0.12.2");
	nhs[2].gw = A("10.0.13.2");
	wp_rib_prefix_encode(&p, &m.family, &m.prefix, &m.prefix_len);
	m.distance = 20;
	m.metric = 100;
	m.tag = 7;
	m.cookie = 0x1122334455667788ull;
	for (int i = 0; i < 3; i++) {
		wp_rib_nh_encode(&nhs[i], &nm[i]);
		np[i] = &nm[i];
	}
	m.nexthops = np;
	m.n_nexthops = 3;
	add.routes = &mp;
	add.n_routes = 1;
	roundtrip(&add.base);

	n = protobuf_c_message_get_packed_size(&add.base);
	buf = wp_malloc(MT_TEST_ZAPI, n);
	protobuf_c_message_pack(&add.base, buf);
	u = (Wp__Rib__RouteAdd *)protobuf_c_message_unpack(
		&wp__rib__route_add__descriptor, wp_ipc_allocator(), n, buf);
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(wp_rib_route_decode(u->routes[0], &r, back, err,
					     sizeof(err)), 0);
	ck_assert(wp_prefix_eq(&r.prefix, &p));
	ck_assert_uint_eq(r.distance, 20);
	ck_assert_uint_eq(r.metric, 100);
	ck_assert_uint_eq(r.tag, 7);
	ck_assert_uint_eq(u->routes[0]->cookie, 0x1122334455667788ull);
	ck_assert_uint_eq(r.n_nh, 3);
	ck_assert_int_eq(back[0].type, WP_RIB_NH_GATEWAY);
	ck_assert(wp_addr_eq(&back[0].gw, &nhs[0].gw));
	ck_assert_uint_eq(back[0].weight, 3);
	ck_assert_int_eq(back[1].type, WP_RIB_NH_INTERFACE);
	ck_assert_int_eq(back[1].ifindex, 7);
	ck_assert_int_eq(back[2].type, WP_RIB_NH_GATEWAY_IF);
	ck_assert_str_eq(back[2].ifname, "eth1");
	ck_assert(back[2].onlink);
	wp_ipc_msg_free(&u->base);
	wp_free(MT_TEST_ZAPI, buf);

	/* IPv6, and host bits cleared on the way in. */
	pp = P("2001:db8::1/32");
	wp_rib_prefix_encode(&pp, &m.family, &m.prefix, &m.prefix_len);
	ck_assert_int_eq(m.family, WP__RIB__FAMILY__FAMILY_IPV6);
	ck_assert_int_eq(wp_rib_prefix_decode(m.family, &m.prefix, m.prefix_len,
					      &pp, err, sizeof(err)), 0);
	ck_assert(wp_prefix_eq(&pp, &(struct wp_prefix){ 0 }) == 0);
	ck_assert(wp_prefix_is_masked(&pp));
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}
END_TEST

START_TEST(test_msg_every_message)
{
	struct wp_prefix p = P("10.1.0.0/16");
	struct wp_addr a = A("10.0.12.2");
	struct wp_rib_nh nh = { .type = WP_RIB_NH_GATEWAY_IF, .ifindex = 2 };
	Wp__Rib__Nexthop nm, *np = &nm;

	nh.gw = a;
	wp_rib_nh_encode(&nh, &nm);
	{
		Wp__Rib__Hello m = WP__RIB__HELLO__INIT;

		m.source = WP__RIB__SOURCE__SOURCE_OSPF;
		m.source_name = "ospf";
		m.instance = 2;
		m.client = "ospfd";
		m.pid = 42;
		m.version = "0.1.0";
		m.graceful_restart = true;
		m.grace_time = 90;
		m.interfaces = true;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__HelloAck m = WP__RIB__HELLO_ACK__INIT;

		m.pid = 7;
		m.version = "0.1.0";
		m.stale_routes = 1000;
		m.grace_time = 60;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__SyncDone m = WP__RIB__SYNC_DONE__INIT;

		m.kind = WP__RIB__SYNC_KIND__SYNC_REDIST;
		m.source = WP__RIB__SOURCE__SOURCE_STATIC;
		m.family = WP__RIB__FAMILY__FAMILY_IPV6;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__RouteKey k = WP__RIB__ROUTE_KEY__INIT, *kp = &k;
		Wp__Rib__RouteDel m = WP__RIB__ROUTE_DEL__INIT;
		Wp__Rib__RedistDel rd = WP__RIB__REDIST_DEL__INIT;

		wp_rib_prefix_encode(&p, &k.family, &k.prefix, &k.prefix_len);
		k.table = 254;
		k.cookie = 9;
		m.routes = &kp;
		m.n_routes = 1;
		roundtrip(&m.base);
		rd.routes = &kp;
		rd.n_routes = 1;
		roundtrip(&rd.base);
	}
	{
		Wp__Rib__Result r = WP__RIB__RESULT__INIT, *rp = &r;
		Wp__Rib__RouteResult m = WP__RIB__ROUTE_RESULT__INIT;

		wp_rib_prefix_encode(&p, &r.family, &r.prefix, &r.prefix_len);
		r.cookie = 5;
		r.status = WP__RIB__ROUTE_STATUS__ROUTE_FAILED;
		r.error = ENETUNREACH;
		m.results = &rp;
		m.n_results = 1;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__RedistSubscribe m = WP__RIB__REDIST_SUBSCRIBE__INIT;

		m.source = WP__RIB__SOURCE__SOURCE_CONNECTED;
		m.family = WP__RIB__FAMILY__FAMILY_IPV4;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__RedistRoute r = WP__RIB__REDIST_ROUTE__INIT, *rp = &r;
		Wp__Rib__RedistAdd m = WP__RIB__REDIST_ADD__INIT;
		struct wp_rib_nh back[WP_RIB_MAX_NEXTHOPS];
		struct wp_rib_route out;
		char err[128];

		wp_rib_prefix_encode(&p, &r.family, &r.prefix, &r.prefix_len);
		r.table = 254;
		r.source = WP__RIB__SOURCE__SOURCE_STATIC;
		r.instance = 1;
		r.distance = 1;
		r.metric = 3;
		r.tag = 4;
		r.nexthops = &np;
		r.n_nexthops = 1;
		m.routes = &rp;
		m.n_routes = 1;
		roundtrip(&m.base);
		ck_assert_int_eq(wp_rib_redist_decode(&r, &out, back, err,
						      sizeof(err)), 0);
		ck_assert_int_eq(out.source, WP__RIB__SOURCE__SOURCE_STATIC);
		ck_assert_int_eq(back[0].ifindex, 2);
	}
	{
		Wp__Rib__Address ad = WP__RIB__ADDRESS__INIT, *ap = &ad;
		Wp__Rib__NhRegister m = WP__RIB__NH_REGISTER__INIT;

		wp_rib_addr_encode(&a, &ad.family, &ad.addr);
		m.addresses = &ap;
		m.n_addresses = 1;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__NhState s = WP__RIB__NH_STATE__INIT, *sp = &s;
		Wp__Rib__NhUpdate m = WP__RIB__NH_UPDATE__INIT;
		Wp__Rib__Family f;

		wp_rib_addr_encode(&a, &s.family, &s.address);
		s.resolved = true;
		wp_rib_prefix_encode(&p, &f, &s.via_prefix, &s.via_len);
		s.source = WP__RIB__SOURCE__SOURCE_BGP;
		s.distance = 20;
		s.nexthops = &np;
		s.n_nexthops = 1;
		m.states = &sp;
		m.n_states = 1;
		roundtrip(&m.base);
	}
	{
		uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
		Wp__Rib__Interface i = WP__RIB__INTERFACE__INIT, *ip = &i;
		Wp__Rib__IfState m = WP__RIB__IF_STATE__INIT;

		i.ifindex = 2;
		i.name = "eth1";
		i.flags = 0x1043;
		i.up = true;
		i.mtu = 1500;
		i.mac.data = mac;
		i.mac.len = 6;
		i.kind = "veth";
		m.interfaces = &ip;
		m.n_interfaces = 1;
		roundtrip(&m.base);
	}
	{
		Wp__Rib__IfAddress i = WP__RIB__IF_ADDRESS__INIT, *ip = &i;
		Wp__Rib__AddrState m = WP__RIB__ADDR_STATE__INIT;
		struct wp_prefix ifa = P("10.0.12.1/24");

		i.ifindex = 2;
		wp_rib_prefix_encode(&ifa, &i.family, &i.addr, &i.prefix_len);
		i.deleted = true;
		m.addresses = &ip;
		m.n_addresses = 1;
		roundtrip(&m.base);
	}
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}
END_TEST

/* One route with `n` gateway nexthops, then a field broken by `brk`. */
struct bad_case {
	const char *what;
	void (*brk)(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm);
	const char *err;
};

static uint8_t five[5], three[3];

static void
brk_family(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	m->family = 7;
}

static void
brk_bytes(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	m->prefix.data = five;
	m->prefix.len = 5;
}

static void
brk_len(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	m->prefix_len = 33;
}

static void
brk_distance(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	m->distance = 256;
}

static void
brk_nonh(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	m->n_nexthops = 0;
}

static void
brk_toomany(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	m->n_nexthops = WP_RIB_MAX_NEXTHOPS + 1;
}

static void
brk_nhtype(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	nm[1].type = 9;
}

static void
brk_gw(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	nm[0].gateway.data = three;
	nm[0].gateway.len = 3;
}

static void
brk_ifc(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	nm[0].type = WP__RIB__NEXTHOP_TYPE__NH_INTERFACE;
}

static void
brk_ifname(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	nm[0].type = WP__RIB__NEXTHOP_TYPE__NH_INTERFACE;
	nm[0].ifname = "a-very-long-interface-name";
}

static void
brk_weight(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	nm[0].weight = 300;
}

static void
brk_reject(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm)
{
	nm[1].type = WP__RIB__NEXTHOP_TYPE__NH_BLACKHOLE;
}

static const struct bad_case bad_cases[] = {
	{ "family", brk_family, "unknown address family 7" },
	{ "bytes", brk_bytes, "prefix of 5 bytes for IPv4 (expected 4)" },
	{ "length", brk_len, "prefix length 33 exceeds 32 for IPv4" },
	{ "distance", brk_distance, "distance 256 exceeds 255" },
	{ "no nexthop", brk_nonh, "no nexthop" },
	{ "too many", brk_toomany, "65 nexthops (at most 64)" },
	{ "nh type", brk_nhtype, "nexthop 1: unknown nexthop type 9" },
	{ "gateway", brk_gw, "nexthop 0: gateway of 3 bytes (expected 4 or 16)" },
	{ "interface", brk_ifc, "nexthop 0: interface nexthop without ifindex "
	  "or ifname" },
	{ "ifname", brk_ifname, "nexthop 0: interface name of 26 characters "
	  "(at most 15)" },
	{ "weight", brk_weight, "nexthop 0: nexthop weight 300 exceeds 255" },
	{ "reject", brk_reject, "a blackhole/unreachable/prohibit nexthop must "
	  "be the only one (2 given)" },
};

/* A valid route with 65 nexthop slots (2 used) for the cases to break. */
static void
good_route(Wp__Rib__Route *m, Wp__Rib__Nexthop *nm, Wp__Rib__Nexthop **np,
	   struct wp_prefix *p, struct wp_addr *gw)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_GATEWAY };

	*p = P("10.1.0.0/16");
	*gw = A("10.0.12.2");
	nh.gw = *gw;
	wp__rib__route__init(m);
	wp_rib_prefix_encode(p, &m->family, &m->prefix, &m->prefix_len);
	for (int i = 0; i <= WP_RIB_MAX_NEXTHOPS; i++) {
		wp_rib_nh_encode(&nh, &nm[i]);
		np[i] = &nm[i];
	}
	m->nexthops = np;
	m->n_nexthops = 2;
}

START_TEST(test_msg_malformed)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		Wp__Rib__Nexthop nm[WP_RIB_MAX_NEXTHOPS + 1];
		Wp__Rib__Nexthop *np[WP_RIB_MAX_NEXTHOPS + 1];
		struct wp_rib_nh back[WP_RIB_MAX_NEXTHOPS];
		Wp__Rib__Route m;
		struct wp_rib_route r;
		struct wp_prefix p;
		struct wp_addr gw;
		char err[160];

		good_route(&m, nm, np, &p, &gw);
		ck_assert_int_eq(wp_rib_route_decode(&m, &r, back, err,
						     sizeof(err)), 0);
		bad_cases[i].brk(&m, nm);
		ck_assert_msg(wp_rib_route_decode(&m, &r, back, err,
						  sizeof(err)) == -1,
			      "case %s accepted", bad_cases[i].what);
		ck_assert_str_eq(err, bad_cases[i].err);
	}
	/* Addresses, and the IPv6 limits. */
	{
		ProtobufCBinaryData b = { 16, (uint8_t *)(uintptr_t)
					  "0123456789abcdef" };
		struct wp_addr a;
		struct wp_prefix p;
		char err[128];

		ck_assert_int_eq(wp_rib_addr_decode(
			WP__RIB__FAMILY__FAMILY_IPV4, &b, &a, err,
			sizeof(err)), -1);
		ck_assert_str_eq(err, "address of 16 bytes for IPv4 "
				 "(expected 4)");
		ck_assert_int_eq(wp_rib_prefix_decode(
			WP__RIB__FAMILY__FAMILY_IPV6, &b, 129, &p, err,
			sizeof(err)), -1);
		ck_assert_str_eq(err, "prefix length 129 exceeds 128 for IPv6");
		ck_assert_int_eq(wp_rib_prefix_decode(
			WP__RIB__FAMILY__FAMILY_IPV6, &b, 128, &p, err,
			sizeof(err)), 0);
	}
}
END_TEST

/* === api: a dry-run ribd, its socket and clients =========================== */

static struct wp_loop *loop;
static struct ribd *rib;
static char dir[64];
static struct wp_timer deadline, poll_timer;
static bool timed_out;
static bool (*cond)(void);

static void
deadline_cb(struct wp_timer *t)
{
	timed_out = true;
	wp_loop_break(loop);
}

static void
poll_cb(struct wp_timer *t)
{
	if (cond && cond())
		wp_loop_break(loop);
}

/* Run the loop until `c` holds; fail after DEADLINE seconds. */
static void
run_until(bool (*c)(void), const char *what)
{
	cond = c;
	timed_out = false;
	wp_timer_start(&deadline, DEADLINE, 0.0);
	wp_timer_start_periodic(&poll_timer, 0.001, 0.0);
	if (!c())
		wp_loop_run(loop);
	wp_timer_stop(&poll_timer);
	wp_timer_stop(&deadline);
	ck_assert_msg(!timed_out, "%s: not true after %.0f s", what, DEADLINE);
}

/* Run the loop for `secs` (to see that something does NOT happen). */
static bool
never(void)
{
	return false;
}

static void
run_for(double secs)
{
	cond = never;
	wp_timer_start(&deadline, secs, 0.0);
	wp_loop_run(loop);
	wp_timer_stop(&deadline);
}

static void
link_event(int ifindex, const char *name, bool up)
{
	struct rib_klink l = { .ifindex = ifindex };

	snprintf(l.name, sizeof(l.name), "%s", name);
	snprintf(l.kind, sizeof(l.kind), "veth");
	l.flags = up ? (IFF_UP | IFF_RUNNING) : 0;
	l.running = up;
	l.mtu = 1500;
	rib_kernel_ops.link(rib, RIB_KACT_NEW, &l);
}

static void
addr_event(int ifindex, const char *prefix, bool add)
{
	struct rib_kaddr a = { .ifindex = ifindex, .prefix = P(prefix) };

	rib_kernel_ops.addr(rib, add ? RIB_KACT_NEW : RIB_KACT_DEL, &a);
}

static void
api_setup(void)
{
	char path[128];

	snprintf(dir, sizeof(dir), "/tmp/wp-zapi-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	loop = wp_loop_new();
	wp_timer_init(loop, &deadline, "test deadline", deadline_cb);
	wp_timer_init(loop, &poll_timer, "test poll", poll_cb);
	rib = rib_new(loop, false);
	/* eth1 (2): 10.0.12.1/24, eth2 (3): 10.0.13.1/24. */
	link_event(2, "eth1", true);
	link_event(3, "eth2", true);
	addr_event(2, "10.0.12.1/24", true);
	addr_event(3, "10.0.13.1/24", true);
	rib_process_all(rib);
	snprintf(path, sizeof(path), "%s/%s", dir, WP_RIB_SOCKET);
	ck_assert_int_eq(rib_zapi_start(rib, path), 0);
}

static void
api_teardown(void)
{
	char path[128];

	rib_zapi_stop(rib);
	rib_conf_free(rib->conf);
	rib->conf = NULL;
	rib_free(rib);
	wp_loop_free(loop);
	snprintf(path, sizeof(path), "%s/%s", dir, WP_RIB_SOCKET);
	unlink(path);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}

/* --- a client and what it heard ------------------------------------------- */

#define MAX_SEEN	64

struct seen {
	struct wp_ribclient *rc;
	int connects, disconnects, synced;
	uint32_t stale;
	unsigned int results;
	struct wp_rib_result last[MAX_SEEN];	/* by cookie, if < MAX_SEEN */
	unsigned int redist_adds, redist_dels, redist_done;
	struct wp_prefix dels[16];		/* the first deletions */
	struct wp_prefix redist_last;
	int redist_last_source;
	unsigned int nh_updates;
	struct wp_rib_nhstate nh_last;
	struct wp_rib_nh nh_last_nh[4];
	unsigned int ifaces, addrs;
	struct wp_rib_iface iface_last;
};

static void
s_connected(struct wp_ribclient *rc, uint32_t stale, void *arg)
{
	struct seen *s = arg;

	s->connects++;
	s->stale = stale;
}

static void
s_disconnected(struct wp_ribclient *rc, void *arg)
{
	((struct seen *)arg)->disconnects++;
}

static void
s_synced(struct wp_ribclient *rc, void *arg)
{
	((struct seen *)arg)->synced++;
}

static void
s_result(struct wp_ribclient *rc, const struct wp_rib_result *r, void *arg)
{
	struct seen *s = arg;

	s->results++;
	if (r->cookie < MAX_SEEN)
		s->last[r->cookie] = *r;
}

static void
s_redist_add(struct wp_ribclient *rc, const struct wp_rib_route *rt,
	     void *arg)
{
	struct seen *s = arg;

	s->redist_adds++;
	s->redist_last = rt->prefix;
	s->redist_last_source = rt->source;
}

static void
s_redist_del(struct wp_ribclient *rc, const struct wp_prefix *p,
	     uint32_t table, void *arg)
{
	struct seen *s = arg;

	if (s->redist_dels < 16)
		s->dels[s->redist_dels] = *p;
	s->redist_dels++;
	s->redist_last = *p;
	s->redist_last_source = 0;
}

static void
s_redist_done(struct wp_ribclient *rc, int source, int af, void *arg)
{
	((struct seen *)arg)->redist_done++;
}

static void
s_nh(struct wp_ribclient *rc, const struct wp_rib_nhstate *st, void *arg)
{
	struct seen *s = arg;

	s->nh_updates++;
	s->nh_last = *st;
	if (st->n_nh)
		memcpy(s->nh_last_nh, st->nh, (st->n_nh < 4 ? st->n_nh : 4) *
		       sizeof(st->nh[0]));
	s->nh_last.nh = s->nh_last_nh;
}

static void
s_iface(struct wp_ribclient *rc, const struct wp_rib_iface *ifp, void *arg)
{
	struct seen *s = arg;

	s->ifaces++;
	s->iface_last = *ifp;
}

static void
s_addr(struct wp_ribclient *rc, const struct wp_rib_ifaddr *a, void *arg)
{
	((struct seen *)arg)->addrs++;
}

static void
client_new(struct seen *s, const char *source, uint32_t instance,
	   bool ifaces)
{
	struct wp_ribclient_cbs cbs = {
		.arg = s,
		.connected = s_connected,
		.disconnected = s_disconnected,
		.synced = s_synced,
		.result = s_result,
		.redist_add = s_redist_add,
		.redist_del = s_redist_del,
		.redist_done = s_redist_done,
		.nh_update = s_nh,
	};

	if (ifaces) {
		cbs.iface = s_iface;
		cbs.addr = s_addr;
	}
	memset(s, 0, sizeof(*s));
	s->rc = wp_ribclient_new(loop, dir, source, instance, &cbs);
	ck_assert_ptr_nonnull(s->rc);
}

static void
add_gw(struct seen *s, const char *prefix, const char *gw, uint64_t cookie)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_GATEWAY };
	struct wp_rib_route rt = { .prefix = P(prefix), .n_nh = 1, .nh = &nh };

	nh.gw = A(gw);
	ck_assert_int_eq(wp_ribclient_route_add(s->rc, &rt, cookie), 0);
}

static struct rib_dest *
dest(const char *prefix)
{
	struct wp_prefix p = P(prefix);

	return rib_dest_lookup(rib, &p);
}

static struct rib_zsess *
session(enum rib_source src, uint32_t instance)
{
	for (struct rib_zsess *s = rib->zapi->sessions; s; s = s->next)
		if (s->source == src && s->instance == instance)
			return s;
	return NULL;
}

static void
add_static(const char *prefix, uint8_t distance, const char *gw)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_STATIC, distance,
					     distance, 1);
	struct wp_prefix p = P(prefix);

	rt->nh[0].type = RIB_NH_GW;
	rt->nh[0].gw = A(gw);
	rib_route_add(rib, &p, rt);
}

static bool
saw_del(const struct seen *s, const char *prefix)
{
	struct wp_prefix p = P(prefix);

	for (unsigned int i = 0; i < s->redist_dels && i < 16; i++)
		if (wp_prefix_eq(&s->dels[i], &p))
			return true;
	return false;
}

/* The test's clients, reachable from the conditions. */
static struct seen c1, c2;

static bool
c1_idle(void)
{
	return wp_ribclient_idle(c1.rc);
}

static bool
c2_idle(void)
{
	return wp_ribclient_idle(c2.rc);
}

static bool
c1_synced(void)
{
	return c1.synced > 0 && wp_ribclient_idle(c1.rc);
}

/* --- adds, deletes and their results -------------------------------------- */

START_TEST(test_api_add_del_results)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_INTERFACE, .ifname = "eth9" };
	struct wp_rib_route rt = { .prefix = P("10.6.0.0/16"), .n_nh = 1,
				   .nh = &nh };
	struct wp_ribclient_stats st;
	struct wp_prefix p;
	struct rib_dest *d;

	add_static("10.3.0.0/16", 1, "10.0.13.2");
	client_new(&c1, "bgp", 0, false);
	add_gw(&c1, "10.1.0.0/16", "10.0.12.2", 1);	/* installed */
	add_gw(&c1, "10.2.0.0/16", "10.77.0.1", 2);	/* unresolvable */
	add_gw(&c1, "10.3.0.0/16", "10.0.12.2", 3);	/* static wins */
	ck_assert_int_eq(wp_ribclient_route_add(c1.rc, &rt, 4), 0);
	rt.prefix = P("10.7.0.0/16");
	rt.table = 255;	/* the kernel's local table: refused */
	nh.type = WP_RIB_NH_BLACKHOLE;
	ck_assert_int_eq(wp_ribclient_route_add(c1.rc, &rt, 5), 0);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "results for five routes");

	ck_assert_int_eq(c1.connects, 1);
	ck_assert_int_eq(c1.last[1].status, WP_RIB_INSTALLED);
	ck_assert_int_eq(c1.last[2].status, WP_RIB_INACTIVE);
	ck_assert_int_eq(c1.last[3].status, WP_RIB_NOT_SELECTED);
	ck_assert_int_eq(c1.last[4].status, WP_RIB_FAILED);
	ck_assert_int_eq(c1.last[4].error, ENODEV);
	ck_assert_int_eq(c1.last[5].status, WP_RIB_FAILED);
	ck_assert_int_eq(c1.last[5].error, EOPNOTSUPP);
	ck_assert_uint_eq(c1.last[5].table, 255);
	wp_ribclient_get_stats(c1.rc, &st);
	ck_assert_uint_eq(st.routes, 5);
	ck_assert_uint_eq(st.installed, 1);
	ck_assert_uint_eq(st.failed, 2);

	d = dest("10.1.0.0/16");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(rib_dest_selected(d)->source, RIB_SRC_BGP);
	ck_assert_uint_eq(rib_dest_selected(d)->distance, 20);
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_uint_eq(d->fib->nh[0].ifindex, 2);
	ck_assert_int_eq(rib_dest_selected(dest("10.3.0.0/16"))->source,
			 RIB_SRC_STATIC);
	ck_assert_ptr_null(dest("10.6.0.0/16"));
	ck_assert_uint_eq(session(RIB_SRC_BGP, 0)->nroutes, 3);

	/* The static goes: ours takes over, unasked. */
	p = P("10.3.0.0/16");
	rib_route_del(rib, &p, RIB_SRC_STATIC, 1);
	c1.last[3].status = WP_RIB_PENDING;
	run_until(c1_idle, "idle");
	while (c1.last[3].status == WP_RIB_PENDING)
		run_for(0.01);
	ck_assert_int_eq(c1.last[3].status, WP_RIB_INSTALLED);

	/* Withdraw two: removed, and gone from the RIB. */
	p = P("10.1.0.0/16");
	ck_assert_int_eq(wp_ribclient_route_del(c1.rc, &p, 0), 0);
	p = P("10.2.0.0/16");
	ck_assert_int_eq(wp_ribclient_route_del(c1.rc, &p, 254), 0);
	ck_assert_int_eq(wp_ribclient_route_del(c1.rc, &p, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	run_until(c1_idle, "withdrawals confirmed");
	ck_assert_int_eq(c1.last[1].status, WP_RIB_REMOVED);
	ck_assert_int_eq(c1.last[2].status, WP_RIB_REMOVED);
	ck_assert_ptr_null(dest("10.1.0.0/16"));
	ck_assert_ptr_null(dest("10.2.0.0/16"));
	ck_assert_uint_eq(session(RIB_SRC_BGP, 0)->nroutes, 1);
	wp_ribclient_get_stats(c1.rc, &st);
	ck_assert_uint_eq(st.routes, 3);
	ck_assert_uint_eq(st.awaiting, 0);

	/* A route the library would let through only to be dropped by ribd
	 * is refused at the door. */
	rt.prefix = P("10.8.0.0/16");
	rt.table = 0;
	rt.n_nh = 0;
	ck_assert_int_eq(wp_ribclient_route_add(c1.rc, &rt, 9), -1);
	ck_assert_int_eq(errno, EINVAL);
	wp_ribclient_free(c1.rc);
}
END_TEST

/* --- one message of 20k routes, taken in slices ------------------------- */

static bool
ospf3_swept(void)
{
	return session(RIB_SRC_OSPF, 3) == NULL && rib->work_head == NULL;
}

START_TEST(test_api_large_batch)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_GATEWAY };
	struct wp_rib_route rt = { .n_nh = 1, .nh = &nh };
	struct wp_ribclient_stats st;
	struct rib_zsess *s;

	nh.gw = A("10.0.12.2");
	client_new(&c1, "ospf", 3, false);
	wp_ribclient_set_batch(c1.rc, 20000);
	for (uint32_t i = 0; i < 20000; i++) {
		uint32_t v = htonl(0x0b000000u + (i << 8));

		memset(&rt.prefix, 0, sizeof(rt.prefix));
		rt.prefix.family = AF_INET;
		rt.prefix.len = 24;
		memcpy(&rt.prefix.u.v4, &v, 4);
		ck_assert_int_eq(wp_ribclient_route_add(c1.rc, &rt, i), 0);
	}
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "20k routes installed");
	wp_ribclient_get_stats(c1.rc, &st);
	ck_assert_uint_eq(st.installed, 20000);
	ck_assert_uint_eq(st.messages_sent, 3);	/* HELLO, ROUTE_ADD, SYNC */
	s = session(RIB_SRC_OSPF, 3);
	ck_assert_uint_eq(s->nroutes, 20000);
	/* More than one slice: the connection was held in between. */
	ck_assert_uint_gt(s->conn->stats.input_holds, 0);
	ck_assert_uint_eq(rib->stats.installs, 20000);
	ck_assert_int_eq(rib_dest_selected(dest("11.0.78.0/24"))->distance, 110);
	wp_ribclient_free(c1.rc);
	/* No graceful restart: swept at once. */
	run_until(ospf3_swept, "routes swept on disconnect");
	ck_assert_ptr_null(session(RIB_SRC_OSPF, 3));
	ck_assert_ptr_null(dest("11.0.78.0/24"));
	ck_assert_uint_eq(rib->stats.deletes, 20000);
}
END_TEST

/* --- redistribution ----------------------------------------------------------- */

static bool
c2_redist_done(void)
{
	return c2.redist_done > 0;
}

static unsigned int want_adds, want_dels;

static bool
c2_two_dels(void)
{
	return saw_del(&c2, "10.0.13.0/24") && saw_del(&c2, "10.4.0.0/16") &&
	       c2.redist_adds >= 6 && rib->work_head == NULL;
}

static bool
no_redist_conns(void)
{
	return rib->zapi->nredist == 0;
}

static bool
nht_empty(void)
{
	return rib_nht_count(rib) == 0;
}

static bool
c2_redist_counts(void)
{
	return c2.redist_adds >= want_adds && c2.redist_dels >= want_dels;
}

START_TEST(test_api_redistribution)
{
	struct wp_prefix p;

	client_new(&c1, "bgp", 0, false);
	add_gw(&c1, "10.1.0.0/16", "10.0.12.2", 1);
	add_gw(&c1, "10.2.0.0/16", "10.0.12.2", 2);
	add_gw(&c1, "10.3.0.0/16", "10.77.0.1", 3);	/* inactive */
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "bgp routes in");

	client_new(&c2, "ospf", 0, false);
	wp_ribclient_sync_done(c2.rc);
	ck_assert_int_eq(wp_ribclient_redist_subscribe(c2.rc, "bgp", AF_INET),
			 0);
	run_until(c2_redist_done, "the dump of bgp routes");
	/* Selected routes only. */
	ck_assert_uint_eq(c2.redist_adds, 2);
	ck_assert_uint_eq(c2.redist_dels, 0);
	ck_assert_int_eq(c2.redist_last_source, WP__RIB__SOURCE__SOURCE_BGP);

	/* Updates as selection changes. */
	add_gw(&c1, "10.4.0.0/16", "10.0.13.2", 4);
	want_adds = 3;
	want_dels = 0;
	run_until(c2_redist_counts, "a new bgp route redistributed");
	ck_assert(wp_prefix_eq(&c2.redist_last, &(struct wp_prefix){
		.family = AF_INET, .len = 16, .u.bytes = { 10, 4 } }));
	add_static("10.1.0.0/16", 1, "10.0.13.2");	/* static wins */
	want_dels = 1;
	run_until(c2_redist_counts, "a bgp route deselected");
	p = P("10.1.0.0/16");
	ck_assert(wp_prefix_eq(&c2.redist_last, &p));
	p = P("10.2.0.0/16");
	wp_ribclient_route_del(c1.rc, &p, 0);
	want_dels = 2;
	run_until(c2_redist_counts, "a withdrawn bgp route");

	/* Connected routes on request; then unsubscribing stops it all. */
	ck_assert_int_eq(wp_ribclient_redist_subscribe(c2.rc, "connected",
						       AF_INET), 0);
	c2.redist_done = 0;
	run_until(c2_redist_done, "the dump of connected routes");
	ck_assert_uint_eq(c2.redist_adds, 3 + 2);
	/* A connected route that was there before ribd served clients goes:
	 * its subscriber hears it. */
	addr_event(3, "10.0.13.1/24", false);
	want_adds = 5;
	want_dels = 3;
	run_until(c2_redist_counts, "a connected route withdrawn");
	run_until(c2_two_dels, "both deletions");
	ck_assert(saw_del(&c2, "10.0.13.0/24"));
	/* 10.4/16 resolved through it: gone too; the static for 10.1/16
	 * too, so the bgp route is back. */
	ck_assert(saw_del(&c2, "10.4.0.0/16"));
	ck_assert_uint_eq(c2.redist_adds, 6);
	addr_event(3, "10.0.13.1/24", true);
	want_adds = 8;		/* 10.0.13.0/24 and 10.4.0.0/16 */
	run_until(c2_redist_counts, "a connected route back");
	ck_assert_int_eq(wp_ribclient_redist_unsubscribe(c2.rc, "bgp",
							 AF_INET), 0);
	ck_assert_int_eq(wp_ribclient_redist_subscribe(c2.rc, "static", 99),
			 -1);
	run_until(c2_idle, "unsubscribed");
	run_for(0.05);
	want_adds = c2.redist_adds;
	add_gw(&c1, "10.5.0.0/16", "10.0.12.2", 5);
	run_until(c1_idle, "bgp route in");
	run_for(0.05);
	ck_assert_uint_eq(c2.redist_adds, want_adds);
	ck_assert_uint_eq(rib->zapi->nredist, 1);
	wp_ribclient_free(c2.rc);
	run_until(no_redist_conns, "the subscriber gone");
	wp_ribclient_free(c1.rc);
}
END_TEST

/* --- tables (VRFs) ---------------------------------------------------------- */

static bool
c2_nh_two(void)
{
	return c2.nh_updates >= 2;
}

/*
 * The same prefix in table 100 and in main: two routes, two results
 * naming their tables; a subscription in table 100 sees only its route;
 * a nexthop registered in table 100 resolves through table 100's route.
 */
START_TEST(test_api_tables)
{
	struct wp_rib_nh nh = { .type = WP_RIB_NH_BLACKHOLE };
	struct wp_rib_route rt = { .prefix = P("10.7.0.0/16"), .n_nh = 1,
				   .nh = &nh, .table = 100 };
	struct wp_addr a = A("10.7.1.1");
	struct rib_vrf *t100;
	struct rib_dest *d;
	struct wp_prefix p;

	client_new(&c1, "bgp", 0, false);
	ck_assert_int_eq(wp_ribclient_route_add(c1.rc, &rt, 1), 0);
	add_gw(&c1, "10.7.0.0/16", "10.0.12.2", 2);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "both routes in");
	ck_assert_int_eq(c1.last[1].status, WP_RIB_INSTALLED);
	ck_assert_uint_eq(c1.last[1].table, 100);
	ck_assert_int_eq(c1.last[2].status, WP_RIB_INSTALLED);
	ck_assert_uint_eq(c1.last[2].table, 254);
	t100 = rib_vrf_by_table(rib, 100);
	ck_assert_ptr_nonnull(t100);
	ck_assert_str_eq(t100->name, "table-100");
	p = P("10.7.0.0/16");
	d = rib_dest_lookup_vrf(rib, t100, &p);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->fib->table, 100);
	ck_assert_int_eq(d->fib->type, RIB_KTYPE_BLACKHOLE);
	ck_assert_uint_eq(dest("10.7.0.0/16")->fib->table, 254);
	ck_assert_uint_eq(session(RIB_SRC_BGP, 0)->nroutes, 2);

	client_new(&c2, "ospf", 0, false);
	wp_ribclient_sync_done(c2.rc);
	ck_assert_int_eq(wp_ribclient_redist_subscribe_table(c2.rc, "bgp",
							     AF_INET, 100), 0);
	run_until(c2_redist_done, "the dump of table 100's bgp routes");
	ck_assert_uint_eq(c2.redist_adds, 1);
	ck_assert_int_eq(c2.redist_last.len, 16);
	ck_assert_int_eq(wp_ribclient_nh_register_table(c2.rc, &a, 100), 0);
	ck_assert_int_eq(wp_ribclient_nh_register(c2.rc, &a), 0);
	run_until(c2_nh_two, "both nexthop answers");

	/* Withdrawn from table 100 only: main keeps its route. */
	ck_assert_int_eq(wp_ribclient_route_del(c1.rc, &p, 100), 0);
	run_until(c1_idle, "withdrawal confirmed");
	ck_assert_int_eq(c1.last[1].status, WP_RIB_REMOVED);
	ck_assert_uint_eq(c1.last[1].table, 100);
	ck_assert_int_eq(c1.last[2].status, WP_RIB_INSTALLED);
	ck_assert_ptr_null(rib_dest_lookup_vrf(rib, t100, &p));
	ck_assert_ptr_nonnull(dest("10.7.0.0/16")->fib);
	want_adds = 1;
	want_dels = 1;
	run_until(c2_redist_counts, "table 100's route withdrawn");
	ck_assert(saw_del(&c2, "10.7.0.0/16"));
	wp_ribclient_free(c2.rc);
	wp_ribclient_free(c1.rc);
	run_for(0.05);
}
END_TEST

/* --- nexthop tracking ------------------------------------------------------------ */

static unsigned int want_nh;

static bool
c1_nh(void)
{
	return c1.nh_updates >= want_nh;
}

START_TEST(test_api_nht)
{
	struct wp_addr a = A("10.9.9.9");
	struct wp_prefix p;

	client_new(&c1, "bgp", 0, false);
	wp_ribclient_sync_done(c1.rc);
	client_new(&c2, "isis", 0, false);
	wp_ribclient_sync_done(c2.rc);
	run_until(c2_idle, "isis up");
	ck_assert_int_eq(wp_ribclient_nh_register(c1.rc, &a), 0);
	want_nh = 1;
	run_until(c1_nh, "an answer at once");
	ck_assert(!c1.nh_last.resolved);
	ck_assert(wp_addr_eq(&c1.nh_last.addr, &a));

	/* A covering route appears (another client's): resolved. */
	add_gw(&c2, "10.9.0.0/16", "10.0.12.2", 1);
	want_nh = 2;
	run_until(c1_nh, "resolved via 10.9.0.0/16");
	ck_assert(c1.nh_last.resolved);
	p = P("10.9.0.0/16");
	ck_assert(wp_prefix_eq(&c1.nh_last.via, &p));
	ck_assert_int_eq(c1.nh_last.source, WP__RIB__SOURCE__SOURCE_ISIS);
	ck_assert_uint_eq(c1.nh_last.distance, 115);
	ck_assert_uint_eq(c1.nh_last.n_nh, 1);
	ck_assert_int_eq(c1.nh_last.nh[0].ifindex, 2);
	ck_assert(wp_addr_eq(&c1.nh_last.nh[0].gw, &(struct wp_addr){
		.family = AF_INET, .u.bytes = { 10, 0, 12, 2 } }));

	/* A more specific one: the answer follows. */
	add_static("10.9.9.0/24", 1, "10.0.13.2");
	want_nh = 3;
	run_until(c1_nh, "resolved via 10.9.9.0/24");
	p = P("10.9.9.0/24");
	ck_assert(wp_prefix_eq(&c1.nh_last.via, &p));
	ck_assert_int_eq(c1.nh_last.nh[0].ifindex, 3);
	/* Unrelated changes say nothing. */
	add_gw(&c2, "10.10.0.0/16", "10.0.12.2", 2);
	run_until(c2_idle, "unrelated route in");
	run_for(0.05);
	ck_assert_uint_eq(c1.nh_updates, 3);
	/* The specific one goes: back to the /16; its link goes: nothing. */
	rib_route_del(rib, &p, RIB_SRC_STATIC, 1);
	want_nh = 4;
	run_until(c1_nh, "back to 10.9.0.0/16");
	p = P("10.9.0.0/16");
	ck_assert(wp_prefix_eq(&c1.nh_last.via, &p));
	link_event(2, "eth1", false);
	want_nh = 5;
	run_until(c1_nh, "unresolved after link down");
	ck_assert(!c1.nh_last.resolved);

	/* A directly connected address: the interface. */
	a = A("10.0.13.7");
	ck_assert_int_eq(wp_ribclient_nh_register(c1.rc, &a), 0);
	want_nh = 6;
	run_until(c1_nh, "connected answer");
	ck_assert(c1.nh_last.resolved);
	ck_assert_int_eq(c1.nh_last.source, WP__RIB__SOURCE__SOURCE_CONNECTED);
	ck_assert_int_eq(c1.nh_last.nh[0].type, WP_RIB_NH_INTERFACE);
	ck_assert_int_eq(c1.nh_last.nh[0].ifindex, 3);
	ck_assert_int_eq(wp_ribclient_nh_unregister(c1.rc, &a), 0);
	ck_assert_int_eq(wp_ribclient_nh_unregister(c1.rc, &a), -1);
	wp_ribclient_free(c2.rc);
	wp_ribclient_free(c1.rc);
	/* Watches go with the connection, gateways with the routes. */
	run_until(nht_empty, "nothing tracked any more");
}
END_TEST

/* --- graceful restart ---------------------------------------------------------------- */

static bool
bgp_session_gone(void)
{
	return session(RIB_SRC_BGP, 0) == NULL;
}

static void
add_many(struct seen *s, unsigned int n, unsigned int first)
{
	for (unsigned int i = first; i < first + n; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "10.%u.%u.0/24", 100 + i / 256,
			 i % 256);
		add_gw(s, buf, "10.0.12.2", i);
	}
}

static bool
swept_dest_gone(void)
{
	return dest("10.100.5.0/24") == NULL;
}

START_TEST(test_api_grace_sweep)
{
	struct rib_zsess *s;
	double t0;

	client_new(&c1, "bgp", 0, false);
	wp_ribclient_set_graceful_restart(c1.rc, true, 1);
	add_many(&c1, 100, 0);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "100 routes in");
	wp_ribclient_free(c1.rc);
	t0 = wp_monotime();
	run_for(0.3);
	/* Kept, stale, still in the kernel. */
	s = session(RIB_SRC_BGP, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(s->conn);
	ck_assert_uint_eq(s->nroutes, 100);
	ck_assert_ptr_nonnull(dest("10.100.5.0/24")->fib);
	ck_assert_uint_eq(rib->stats.deletes, 0);
	run_until(bgp_session_gone, "swept after the grace time");
	ck_assert(wp_monotime() - t0 >= 0.9);
	/* The dests go once the kernel confirmed the deletions. */
	run_until(swept_dest_gone, "the swept routes' dest freed");
	ck_assert_uint_eq(rib->stats.deletes, 100);
}
END_TEST

static bool
bgp_synced(void)
{
	struct rib_zsess *s = session(RIB_SRC_BGP, 0);

	return wp_ribclient_idle(c1.rc) && s && s->conn && !s->sweeping &&
	       s->nstale == 0 && rib->work_head == NULL;
}

START_TEST(test_api_reconnect_no_churn)
{
	uint64_t installs, deletes;
	struct rib_zsess *s;
	struct wp_prefix p;

	client_new(&c1, "bgp", 0, false);
	wp_ribclient_set_graceful_restart(c1.rc, true, 10);
	add_many(&c1, 1000, 0);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "1000 routes in");
	installs = rib->stats.installs;
	deletes = rib->stats.deletes;
	ck_assert_uint_eq(installs, 1000);

	/* The daemon restarts: a new client, 990 of the routes again. */
	wp_ribclient_free(c1.rc);
	run_for(0.05);
	client_new(&c1, "bgp", 0, false);
	wp_ribclient_set_graceful_restart(c1.rc, true, 10);
	add_many(&c1, 990, 0);
	run_until(c1_idle, "990 routes re-sent");
	ck_assert_uint_eq(c1.stale, 1000);
	s = session(RIB_SRC_BGP, 0);
	/* Before SYNC_DONE the other ten stay. */
	ck_assert_uint_eq(s->nstale, 10);
	ck_assert_ptr_nonnull(dest("10.103.230.0/24"));
	wp_ribclient_sync_done(c1.rc);
	run_until(bgp_synced, "stale routes swept");
	/* Not one kernel request for the unchanged routes. */
	ck_assert_uint_eq(rib->stats.installs, installs);
	ck_assert_uint_eq(rib->stats.deletes, deletes + 10);
	ck_assert_ptr_null(dest("10.103.230.0/24"));
	ck_assert_uint_eq(s->nroutes, 990);
	ck_assert_uint_eq(c1.last[5].status, WP_RIB_INSTALLED);

	/* ribd drops the connection: the library reconnects and resyncs by
	 * itself, still without a kernel request. */
	wp_ipc_conn_close(s->conn->c);
	run_until(bgp_synced, "reconnected and resynced");
	ck_assert_int_eq(c1.connects, 2);
	ck_assert_int_eq(c1.disconnects, 1);
	ck_assert_uint_eq(c1.stale, 990);
	ck_assert_uint_eq(rib->stats.installs, installs);
	ck_assert_uint_eq(rib->stats.deletes, deletes + 10);
	/* A change while disconnected goes out after the reconnect. */
	wp_ipc_conn_close(s->conn->c);
	p = P("10.100.0.0/24");
	wp_ribclient_route_del(c1.rc, &p, 0);
	run_until(bgp_synced, "reconnected again");
	ck_assert_ptr_null(dest("10.100.0.0/24"));
	ck_assert_uint_eq(s->nroutes, 989);
	wp_ribclient_free(c1.rc);
}
END_TEST

/* A second client for a connected session is refused until it leaves. */
static bool
c2_open(void)
{
	return c2.connects > 0 && wp_ribclient_idle(c2.rc) &&
	       rib->work_head == NULL;
}

START_TEST(test_api_duplicate)
{
	struct wp_ribclient_stats st;

	client_new(&c1, "rip", 1, false);
	wp_ribclient_set_graceful_restart(c1.rc, true, 5);
	add_many(&c1, 10, 0);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "rip routes in");
	client_new(&c2, "rip", 1, false);
	add_many(&c2, 10, 0);
	wp_ribclient_sync_done(c2.rc);
	run_for(0.5);
	/* Tried (and was dropped) more than once; the first one is fine. */
	wp_ribclient_get_stats(c2.rc, &st);
	ck_assert_uint_gt(st.connects, 1);
	ck_assert_int_eq(c2.connects, 0);
	ck_assert_int_eq(c1.disconnects, 0);
	ck_assert_uint_eq(session(RIB_SRC_RIP, 1)->connects, 1);
	/* The first leaves (graceful restart): the second takes its routes
	 * over without a kernel change. */
	wp_ribclient_free(c1.rc);
	run_until(c2_open, "the second client in");
	ck_assert_uint_eq(c2.stale, 10);
	ck_assert_uint_eq(session(RIB_SRC_RIP, 1)->nroutes, 10);
	ck_assert_uint_eq(rib->stats.installs, 10);
	ck_assert_uint_eq(rib->stats.deletes, 0);
	wp_ribclient_free(c2.rc);
}
END_TEST

/* --- malformed input closes that connection only ---------------------------------- */

static int
raw_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s", dir,
		 WP_RIB_SOCKET);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static void
raw_send(int fd, uint16_t type, const ProtobufCMessage *m, uint32_t seq)
{
	struct wp_wbuf w;

	wp_wbuf_init(&w, MT_TEST_ZAPI, 0);
	ck_assert_int_eq(wp_ipc_frame_encode(&w, type, seq, m), 0);
	ck_assert_int_eq(write(fd, wp_wbuf_data(&w), wp_wbuf_len(&w)),
			 (ssize_t)wp_wbuf_len(&w));
	wp_wbuf_free(&w);
}

static void
raw_hello(int fd, const char *source)
{
	Wp__Rib__Hello m = WP__RIB__HELLO__INIT;

	m.source_name = (char *)(uintptr_t)source;
	m.client = "raw";
	m.instance = 9;
	raw_send(fd, WP_RIB_HELLO, &m.base, 1);
}

static int raw_fd;

static bool
raw_closed(void)
{
	char buf[4096];
	ssize_t n = recv(raw_fd, buf, sizeof(buf), MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno == ECONNRESET);
}

static size_t
nconns(void)
{
	size_t n = 0;

	for (struct rib_zconn *zc = rib->zapi->conns; zc; zc = zc->next)
		n++;
	return n;
}

/* A ROUTE_ADD of two routes, the second broken by `brk`. */
static void
raw_bad_add(int fd, void (*brk)(Wp__Rib__Route *, Wp__Rib__Nexthop *))
{
	Wp__Rib__Nexthop nm[2][WP_RIB_MAX_NEXTHOPS + 1];
	Wp__Rib__Nexthop *np[2][WP_RIB_MAX_NEXTHOPS + 1];
	Wp__Rib__Route m[2], *mp[2] = { &m[0], &m[1] };
	Wp__Rib__RouteAdd add = WP__RIB__ROUTE_ADD__INIT;
	struct wp_prefix p[2];
	struct wp_addr gw[2];

	good_route(&m[0], nm[0], np[0], &p[0], &gw[0]);
	good_route(&m[1], nm[1], np[1], &p[1], &gw[1]);
	p[0] = P("10.44.0.0/16");
	wp_rib_prefix_encode(&p[0], &m[0].family, &m[0].prefix,
			     &m[0].prefix_len);
	if (brk)
		brk(&m[1], nm[1]);
	add.routes = mp;
	add.n_routes = 2;
	raw_send(fd, WP_RIB_ROUTE_ADD, &add.base, 2);
}

START_TEST(test_api_malformed)
{
	static const struct {
		const char *source;	/* NULL: no HELLO first */
		void (*brk)(Wp__Rib__Route *, Wp__Rib__Nexthop *);
	} cases[] = {
		{ "bgp", brk_len },
		{ "bgp", brk_family },
		{ "bgp", brk_toomany },
		{ "bgp", brk_ifname },
		{ NULL, NULL },		/* ROUTE_ADD before HELLO */
		{ "static", NULL },	/* ribd's own source */
		{ "nonsense", NULL },
	};
	struct wp_rib_nh nh = { .type = WP_RIB_NH_GATEWAY };
	struct wp_rib_route rt = { .n_nh = 1, .nh = &nh };

	client_new(&c1, "bgp", 0, false);
	add_gw(&c1, "10.1.0.0/16", "10.0.12.2", 1);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_idle, "a good client");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		raw_fd = raw_connect();
		if (cases[i].source)
			raw_hello(raw_fd, cases[i].source);
		raw_bad_add(raw_fd, cases[i].brk);
		run_until(raw_closed, "a bad client dropped");
		close(raw_fd);
		/* Nothing of the bad message applied. */
		ck_assert_ptr_null(dest("10.44.0.0/16"));
	}
	run_for(0.05);
	ck_assert_uint_eq(nconns(), 1);
	/* The good client never noticed and still works. */
	ck_assert_int_eq(c1.disconnects, 0);
	nh.gw = A("10.0.13.2");
	rt.prefix = P("10.2.0.0/16");
	ck_assert_int_eq(wp_ribclient_route_add(c1.rc, &rt, 2), 0);
	run_until(c1_idle, "the good client goes on");
	ck_assert_int_eq(c1.last[2].status, WP_RIB_INSTALLED);
	/* The bad raw sessions (instance 9) never owned anything. */
	ck_assert_ptr_null(session(RIB_SRC_BGP, 9));
	wp_ribclient_free(c1.rc);
}
END_TEST

/* --- interfaces and addresses --------------------------------------------------- */

static unsigned int want_ifaces, want_addrs;

static bool
c1_if_counts(void)
{
	return c1.ifaces >= want_ifaces && c1.addrs >= want_addrs;
}

START_TEST(test_api_interfaces)
{
	client_new(&c1, "ospf6", 0, true);
	wp_ribclient_sync_done(c1.rc);
	run_until(c1_synced, "the initial interface dump");
	ck_assert_uint_eq(c1.ifaces, 2);
	ck_assert_uint_eq(c1.addrs, 2);
	link_event(3, "eth2", false);
	want_ifaces = 3;
	want_addrs = 2;
	run_until(c1_if_counts, "eth2 down");
	ck_assert_int_eq(c1.iface_last.ifindex, 3);
	ck_assert_str_eq(c1.iface_last.name, "eth2");
	ck_assert(!c1.iface_last.up);
	ck_assert_uint_eq(c1.iface_last.mtu, 1500);
	ck_assert_str_eq(c1.iface_last.kind, "veth");
	addr_event(3, "2001:db8:13::1/64", true);
	want_addrs = 3;
	run_until(c1_if_counts, "a new address");
	/* A client that did not ask hears nothing. */
	client_new(&c2, "bgp", 0, false);
	wp_ribclient_sync_done(c2.rc);
	run_until(c2_idle, "bgp up");
	link_event(3, "eth2", true);
	want_ifaces = 4;
	run_until(c1_if_counts, "eth2 up");
	ck_assert(c1.iface_last.up);
	ck_assert_uint_eq(c2.ifaces, 0);
	wp_ribclient_free(c2.rc);
	wp_ribclient_free(c1.rc);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("zapi");
	TCase *tm = tcase_create("msg");
	TCase *ta = tcase_create("api");

	tcase_add_test(tm, test_msg_route_roundtrip);
	tcase_add_test(tm, test_msg_every_message);
	tcase_add_test(tm, test_msg_malformed);
	suite_add_tcase(s, tm);
	tcase_add_checked_fixture(ta, api_setup, api_teardown);
	tcase_set_timeout(ta, 60);
	tcase_add_test(ta, test_api_add_del_results);
	tcase_add_test(ta, test_api_large_batch);
	tcase_add_test(ta, test_api_redistribution);
	tcase_add_test(ta, test_api_nht);
	tcase_add_test(ta, test_api_tables);
	tcase_add_test(ta, test_api_grace_sweep);
	tcase_add_test(ta, test_api_reconnect_no_churn);
	tcase_add_test(ta, test_api_duplicate);
	tcase_add_test(ta, test_api_malformed);
	tcase_add_test(ta, test_api_interfaces);
	suite_add_tcase(s, ta);
	return wp_check_run(s);
}
