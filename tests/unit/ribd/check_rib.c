/*
 * Unit tests for ribd's pure logic: selection by distance and metric,
 * ECMP and its limit, recursive resolution (and its refusal of the default
 * route and of cycles), interface events, blackholes, and the config
 * parser's messages.  The RIB runs without a kernel (dry run); interface
 * and address events are fed through the same ops the netlink layer uses.
 */
#include "config.h"

#include <check.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "rib_conf.h"
#include "ribd.h"
#include "wp_cli.h"
#include "wp_yang.h"

static struct wp_loop *loop;
static struct ribd *rib;

static void
setup(void)
{
	loop = wp_loop_new();
	rib = rib_new(loop, false);
}

static void
teardown(void)
{
	rib_conf_free(rib->conf);
	rib->conf = NULL;
	rib_free(rib);
	wp_loop_free(loop);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}

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

static void
link_event(int ifindex, const char *name, bool up)
{
	struct rib_klink l = { .ifindex = ifindex };

	snprintf(l.name, sizeof(l.name), "%s", name);
	l.flags = up ? (IFF_UP | IFF_RUNNING) : 0;
	l.running = up;
	rib_kernel_ops.link(rib, RIB_KACT_NEW, &l);
}

static void
addr_event(int ifindex, const char *prefix, bool add)
{
	struct rib_kaddr a = { .ifindex = ifindex, .prefix = P(prefix) };

	rib_kernel_ops.addr(rib, add ? RIB_KACT_NEW : RIB_KACT_DEL, &a);
}

/* eth1 (2): 10.0.12.1/24, eth2 (3): 10.0.13.1/24, both up. */
static void
two_links(void)
{
	link_event(2, "eth1", true);
	link_event(3, "eth2", true);
	addr_event(2, "10.0.12.1/24", true);
	addr_event(3, "10.0.13.1/24", true);
}

static void
add_gw(const char *prefix, enum rib_source src, uint8_t distance,
       const char *gw)
{
	struct rib_route *rt = rib_route_new(src, distance, distance, 1);
	struct wp_prefix p = P(prefix);

	rt->nh[0].type = RIB_NH_GW;
	rt->nh[0].gw = A(gw);
	rib_route_add(rib, &p, rt);
}

static struct rib_dest *
dest(const char *prefix)
{
	struct wp_prefix p = P(prefix);

	return rib_dest_lookup(rib, &p);
}

START_TEST(test_connected_from_addresses)
{
	struct rib_dest *d;

	two_links();
	rib_process_all(rib);
	d = dest("10.0.12.0/24");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(d->selected);
	ck_assert_int_eq(d->selected->source, RIB_SRC_CONNECTED);
	/* Connected routes are the kernel's: nothing to install. */
	ck_assert_ptr_null(d->fib);
	addr_event(2, "10.0.12.1/24", false);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.0.12.0/24"));
}
END_TEST

START_TEST(test_distance_then_metric)
{
	struct rib_dest *d;
	struct rib_route *rt;
	struct wp_prefix p = P("10.9.0.0/16");

	two_links();
	add_gw("10.9.0.0/16", RIB_SRC_OSPF, 110, "10.0.13.2");
	add_gw("10.9.0.0/16", RIB_SRC_STATIC, 1, "10.0.12.2");
	rib_process_all(rib);
	d = dest("10.9.0.0/16");
	ck_assert_int_eq(d->selected->source, RIB_SRC_STATIC);
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_uint_eq(d->fib->protocol, RIB_RTPROT_STATIC);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 2);
	/* The static goes: OSPF takes over, with its own protocol number. */
	ck_assert_int_eq(rib_route_del(rib, &p, RIB_SRC_STATIC, 1), 0);
	rib_process_all(rib);
	ck_assert_int_eq(d->selected->source, RIB_SRC_OSPF);
	ck_assert_uint_eq(d->fib->protocol, RTPROT_OSPF);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	/* Same distance: the lower metric wins. */
	rt = rib_route_new(RIB_SRC_BGP, 0, 110, 1);
	rt->metric = 5;
	rt->nh[0].type = RIB_NH_GW;
	rt->nh[0].gw = A("10.0.12.7");
	rib_route_add(rib, &p, rt);
	d->selected->metric = 10;
	rib_process_all(rib);
	ck_assert_int_eq(d->selected->source, RIB_SRC_BGP);
}
END_TEST

START_TEST(test_ecmp_and_limit)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_STATIC, 1, 1, 3);
	struct wp_prefix p = P("10.8.0.0/16");
	struct rib_dest *d;

	two_links();
	rt->nh[0].type = rt->nh[1].type = rt->nh[2].type = RIB_NH_GW;
	rt->nh[0].gw = A("10.0.12.2");
	rt->nh[1].gw = A("10.0.13.2");
	rt->nh[2].gw = A("10.77.0.1");		/* unreachable: dropped */
	rib_route_add(rib, &p, rt);
	rib_process_all(rib);
	d = dest("10.8.0.0/16");
	ck_assert_uint_eq(d->fib->n_nh, 2);
	ck_assert(!d->selected->nh[2].active);
	rib->ecmp_max = 1;
	rib_requeue_nexthops(rib, AF_INET);
	rib_process_all(rib);
	ck_assert_uint_eq(d->fib->n_nh, 1);
}
END_TEST

START_TEST(test_recursive_and_default)
{
	struct rib_dest *d;
	struct wp_prefix host = P("10.255.0.2/32");

	two_links();
	add_gw("10.255.0.2/32", RIB_SRC_STATIC, 1, "10.0.12.2");
	add_gw("10.20.0.0/16", RIB_SRC_BGP, 20, "10.255.0.2");
	rib_process_all(rib);
	d = dest("10.20.0.0/16");
	ck_assert(d->selected->nh[0].active);
	ck_assert(d->selected->nh[0].recursive);
	ck_assert_uint_eq(d->fib->n_nh, 1);
	ck_assert(wp_addr_eq(&d->fib->nh[0].gw, &(struct wp_addr){ 0 }) == 0);
	{
		struct wp_addr want = A("10.0.12.2");
		struct wp_prefix via;

		ck_assert(wp_addr_eq(&d->fib->nh[0].gw, &want));
		/* The resolver is kept as a length over the gateway. */
		ck_assert(rib_nh_via(&d->selected->nh[0], &via));
		ck_assert(wp_prefix_eq(&via, &host));
		ck_assert(rib_nh_via(&dest("10.255.0.2/32")->selected->nh[0],
				     &via));
		ck_assert(wp_prefix_eq(&via, &(struct wp_prefix){ 0 }) == 0);
		ck_assert_uint_eq(via.len, 24);
	}
	/* The resolving route goes: the recursive one follows. */
	rib_route_del(rib, &host, RIB_SRC_STATIC, 1);
	rib_process_all(rib);
	ck_assert_ptr_null(d->selected);
	ck_assert_ptr_null(d->fib);
	/* A default route does not resolve nexthops unless allowed. */
	add_gw("0.0.0.0/0", RIB_SRC_STATIC, 1, "10.0.13.2");
	rib_process_all(rib);
	ck_assert_ptr_null(d->selected);
	rib->resolve_via_default = true;
	rib_requeue_nexthops(rib, 0);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(d->selected);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	{
		struct wp_prefix via;

		ck_assert(rib_nh_via(&d->selected->nh[0], &via));
		ck_assert_uint_eq(via.len, 0);
		ck_assert_uint_eq(via.family, AF_INET);
	}
}
END_TEST

START_TEST(test_recursion_cycle_stays_down)
{
	two_links();
	add_gw("10.1.0.0/16", RIB_SRC_STATIC, 1, "10.2.0.1");
	add_gw("10.2.0.0/16", RIB_SRC_STATIC, 1, "10.1.0.1");
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.1.0.0/16")->selected);
	ck_assert_ptr_null(dest("10.2.0.0/16")->selected);
}
END_TEST

START_TEST(test_link_down_deselects)
{
	struct rib_dest *d;

	two_links();
	add_gw("10.9.0.0/16", RIB_SRC_STATIC, 1, "10.0.12.2");
	add_gw("10.9.0.0/16", RIB_SRC_STATIC, 200, "10.0.13.2");
	rib_process_all(rib);
	d = dest("10.9.0.0/16");
	ck_assert_uint_eq(d->selected->distance, 1);
	link_event(2, "eth1", false);
	rib_process_all(rib);
	/* The floating static takes over. */
	ck_assert_uint_eq(d->selected->distance, 200);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	ck_assert_ptr_null(dest("10.0.12.0/24"));
	link_event(2, "eth1", true);
	rib_process_all(rib);
	ck_assert_uint_eq(d->selected->distance, 1);
}
END_TEST

/* An address goes (the link stays up): routes through it follow. */
START_TEST(test_address_removal_requeues)
{
	struct rib_dest *d;

	two_links();
	add_gw("10.9.0.0/16", RIB_SRC_STATIC, 1, "10.0.13.2");
	rib_process_all(rib);
	d = dest("10.9.0.0/16");
	ck_assert_ptr_nonnull(d->fib);
	addr_event(3, "10.0.13.1/24", false);
	rib_process_all(rib);
	ck_assert_ptr_null(d->selected);
	ck_assert_ptr_null(d->fib);
	addr_event(3, "10.0.13.1/24", true);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
}
END_TEST

/* Many routes through one gateway: each processed once, not N times. */
START_TEST(test_gateway_routes_linear)
{
	two_links();
	rib_process_all(rib);
	rib->stats.processed = 0;
	for (unsigned int i = 0; i < 5000; i++) {
		char buf[32];

		snprintf(buf, sizeof(buf), "10.%u.%u.0/24", 100 + i / 256,
			 i % 256);
		add_gw(buf, RIB_SRC_BGP, 20, "10.0.12.2");
	}
	rib_process_all(rib);
	ck_assert_uint_eq(rib->stats.processed, 5000);
	ck_assert_uint_eq(rib_nht_count(rib), 1);
	/* The gateway's route changes: all of them follow, once. */
	link_event(2, "eth1", false);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.100.7.0/24")->selected);
}
END_TEST

START_TEST(test_blackhole_and_gw_if_mismatch)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_STATIC, 1, 1, 1);
	struct wp_prefix p = P("192.0.2.0/24"), q = P("10.5.0.0/16");
	struct rib_dest *d;

	two_links();
	rt->nh[0].type = RIB_NH_BLACKHOLE;
	rib_route_add(rib, &p, rt);
	/* 10.0.12.2 is on eth1, not on eth2: refused. */
	rt = rib_route_new(RIB_SRC_STATIC, 1, 1, 1);
	rt->nh[0].type = RIB_NH_GW_IF;
	rt->nh[0].gw = A("10.0.12.2");
	rt->nh[0].ifindex = 3;
	rib_route_add(rib, &q, rt);
	rib_process_all(rib);
	d = dest("192.0.2.0/24");
	ck_assert_int_eq(d->fib->type, RIB_KTYPE_BLACKHOLE);
	ck_assert_ptr_null(dest("10.5.0.0/16")->selected);
}
END_TEST

START_TEST(test_conf_parse)
{
	static const char text[] =
		"hostname r1\n"
		"interface eth1\n"
		" description to r2 core\n"
		" ip address 10.0.12.1/24\n"
		" ip ospf cost 10\n"
		" mtu 9000\n"
		"!\n"
		"router ospf\n"
		" network 10.0.0.0/8 area 0\n"
		"!\n"
		"ip route 10.8.0.0 255.255.0.0 10.0.12.2\n"
		"ip route 10.8.0.0/16 10.0.12.3\n"
		"ip route 10.8.0.0/16 10.0.12.4 200 tag 7\n"
		"ipv6 route 2001:db8::/32 eth1\n"
		"ip route 10.0.0.1/8 10.0.12.2\n"
		"ip route 10.9.0.0/16 10.0.12.2 300\n"
		"ip route 10.9.0.0/16 10.0.12.2 vlan100\n"
		"interface eth2\n"
		" mtu 20\n";
	struct rib_conf *c = rib_conf_parse(text, "t.conf");

	ck_assert_str_eq(c->hostname, "r1");
	ck_assert_uint_eq(c->n_ifaces, 2);
	ck_assert_str_eq(c->ifaces[0].description, "to r2 core");
	ck_assert_uint_eq(c->ifaces[0].mtu, 9000);
	ck_assert_uint_eq(c->ifaces[0].n_addrs, 1);
	/* 10.8/16 at distance 1 is one route with two nexthops. */
	ck_assert_uint_eq(c->n_statics, 4);
	ck_assert_uint_eq(c->statics[0].n_nh, 2);
	ck_assert_uint_eq(c->statics[1].distance, 200);
	ck_assert_uint_eq(c->statics[1].tag, 7);
	ck_assert_int_eq(rib_static_nhs(&c->statics[2])[0].type, RIB_NH_IFINDEX);
	/* A word after the gateway is its interface, as in FRR. */
	ck_assert_int_eq(rib_static_nhs(&c->statics[3])[0].type, RIB_NH_GW_IF);
	ck_assert_str_eq(rib_static_nhs(&c->statics[3])[0].ifname, "vlan100");
	ck_assert_uint_eq(c->n_errors, 3);
	ck_assert_str_eq(c->first_error, "t.conf:15: invalid prefix "
			 "\"10.0.0.1/8\": host bits set in 10.0.0.1/8 "
			 "(did you mean 10.0.0.0/8?)");
	rib_conf_free(c);
}
END_TEST

START_TEST(test_conf_errors)
{
	static const struct {
		const char *line;
		const char *err;
	} cases[] = {
		{ "ip route 10.9.0.0/16 10.0.12.2 300",
		  "x:1: invalid distance \"300\": expected (1-255)" },
		{ "ip route 10.9.0.0/16 10.0.12.2 tag",
		  "x:1: invalid tag \"\": expected (1-4294967295)" },
		{ "ip route 10.9.0.0/16",
		  "x:1: incomplete command: nexthop expected after 10.9.0.0/16" },
		{ "ip route 10.9.0.0/16 10.0.12.300",
		  "x:1: invalid nexthop \"10.0.12.300\"" },
		{ "ip route 10.9.0.0 255.0.255.0 eth1",
		  "x:1: invalid mask \"255.0.255.0\": not contiguous" },
		{ "ip route 10.9.0.0/16 eth1 onlink",
		  "x:1: onlink needs a gateway and an interface" },
		{ "interface eth1\n mtu 70000",
		  "x:2: invalid mtu \"70000\": expected (68-65535)" },
		{ "maximum-paths 0",
		  "x:1: invalid maximum-paths \"0\": expected (1-64)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rib_conf *c = rib_conf_parse(cases[i].line, "x");

		ck_assert_uint_eq(c->n_errors, 1);
		ck_assert_str_eq(c->first_error, cases[i].err);
		rib_conf_free(c);
	}
}
END_TEST

START_TEST(test_conf_apply_diff)
{
	struct rib_conf *c;

	two_links();
	c = rib_conf_parse("ip route 10.8.0.0/16 10.0.12.2\n"
			   "ip route 10.9.0.0/16 10.0.13.2\n", "a");
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.8.0.0/16")->fib);
	ck_assert_ptr_nonnull(dest("10.9.0.0/16")->fib);
	c = rib_conf_parse("ip route 10.9.0.0/16 10.0.13.2\n", "b");
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.8.0.0/16"));
	ck_assert_ptr_nonnull(dest("10.9.0.0/16")->fib);
}
END_TEST


/* An interface that appears re-applies the statics naming it, no others;
 * a live configuration (its index freed) still compares with the next. */
START_TEST(test_conf_iface_appears)
{
	struct rib_conf *c;
	struct rib_route *gw_rt;

	two_links();
	c = rib_conf_parse("ip route 10.8.0.0/16 10.0.12.2\n"
			   "ip route 10.9.0.0/16 eth9\n"
			   "ip route 10.10.0.0/16 10.0.12.2\n"
			   "ip route 10.10.0.0/16 10.0.13.2\n"
			   "ip route 10.10.0.0/16 10.0.13.2\n", "a");
	ck_assert_uint_eq(c->n_statics, 3);
	ck_assert_uint_eq(c->statics[2].n_nh, 2);
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.9.0.0/16")->fib);
	gw_rt = dest("10.8.0.0/16")->routes;
	link_event(9, "eth9", true);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.9.0.0/16")->fib);
	ck_assert_int_eq(dest("10.9.0.0/16")->fib->nh[0].ifindex, 9);
	/* Not rebuilt: the same route object. */
	ck_assert_ptr_eq(dest("10.8.0.0/16")->routes, gw_rt);
	ck_assert_uint_eq(dest("10.10.0.0/16")->fib->n_nh, 2);
	c = rib_conf_parse("ip route 10.9.0.0/16 eth9\n"
			   "ip route 10.10.0.0/16 10.0.13.2\n", "b");
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.8.0.0/16"));
	ck_assert_ptr_nonnull(dest("10.9.0.0/16")->fib);
	ck_assert_uint_eq(dest("10.10.0.0/16")->fib->n_nh, 1);
	/* Re-reading the same text changes nothing. */
	c = rib_conf_parse("ip route 10.9.0.0/16 eth9\n"
			   "ip route 10.10.0.0/16 10.0.13.2\n", "b");
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.9.0.0/16")->fib);
	ck_assert_ptr_nonnull(dest("10.10.0.0/16")->fib);
}
END_TEST

/* CLI text -> YANG JSON as mgmtd sends it (defaults included) -> conf. */
static struct rib_conf *
mgmt_conf(const char *text, char *err, size_t errlen, char *xpath,
	  size_t xpathlen)
{
	struct lyd_node *tree = NULL;
	struct rib_conf *c;
	struct ly_ctx *ctx;
	struct wp_cli *cli;
	char *e = NULL, *json = NULL;

	setenv(WP_YANG_PATH_ENV, TOP_SRCDIR "/yang", 1);
	ctx = wp_yang_ctx_get(&e);
	ck_assert_msg(ctx != NULL, "%s", e);
	cli = wp_cli_new(ctx, &e);
	ck_assert_msg(cli != NULL, "%s", e);
	ck_assert_msg(wp_cli_load_text(cli, text, "t", &tree, &e) == 0, "%s",
		      e);
	if (tree)
		lyd_print_mem(&json, tree, LYD_JSON, LYD_PRINT_WITHSIBLINGS |
			      LYD_PRINT_WD_ALL);
	c = rib_mgmt_conf_from_json(ctx, json ? json : "{}", err, errlen,
				    xpath, xpathlen);
	free(json);
	lyd_free_all(tree);
	wp_cli_free(cli);
	wp_yang_ctx_put();
	return c;
}

static bool
nh_eq(const struct rib_static_nh *a, const struct rib_static_nh *b)
{
	return a->type == b->type && a->onlink == b->onlink &&
	       strcmp(a->ifname, b->ifname) == 0 &&
	       (a->type == RIB_NH_BLACKHOLE || a->type == RIB_NH_UNREACHABLE ||
		a->type == RIB_NH_IFINDEX ||
		memcmp(&a->gw, &b->gw, sizeof(a->gw)) == 0);
}

/* The same text read by ribd itself (-f) and through mgmtd agrees. */
START_TEST(test_mgmt_conf_same_as_file)
{
	static const char text[] =
		"hostname r1\n"
		"interface eth1\n"
		" description to r2 core\n"
		" ip address 10.0.12.1/24\n"
		" ipv6 address 2001:db8:12::1/64\n"
		" mtu 9000\n"
		" shutdown\n"
		"!\n"
		"ip route 10.8.0.0/16 10.0.12.3\n"
		"ip route 10.8.0.0/16 10.0.12.4\n"
		"ip route 10.8.0.0/16 10.0.12.4 200 tag 7\n"
		"ipv6 route 2001:db8::/32 eth1\n"
		"ip route 10.9.0.0/16 10.0.12.2 vlan100 onlink\n"
		"ip route 192.0.2.0/24 blackhole\n"
		"ip route 198.51.100.0/24 reject\n"
		"ip nht resolve-via-default\n"
		"maximum-paths 8\n"
		"rib graceful-restart-time 3\n"
		"rib audit-interval 0\n"
		"no rib nexthop-objects\n";
	struct rib_conf *f = rib_conf_parse(text, "t.conf");
	char err[256], xpath[512];
	struct rib_conf *m = mgmt_conf(text, err, sizeof(err), xpath,
				       sizeof(xpath));

	ck_assert_msg(m != NULL, "%s at %s", err, xpath);
	ck_assert_uint_eq(f->n_errors, 0);
	ck_assert_str_eq(m->hostname, f->hostname);
	ck_assert_uint_eq(m->ecmp_max, 8);
	ck_assert_uint_eq(m->gr_time, 3);
	ck_assert_uint_eq(m->audit_interval, 0);
	ck_assert(m->no_nhobj && f->no_nhobj);
	ck_assert(m->resolve_via_default && f->resolve_via_default);
	ck_assert_uint_eq(m->n_ifaces, 1);
	ck_assert_str_eq(m->ifaces[0].description, "to r2 core");
	ck_assert_uint_eq(m->ifaces[0].mtu, 9000);
	ck_assert(m->ifaces[0].shutdown && m->ifaces[0].link_detect);
	ck_assert_uint_eq(m->ifaces[0].n_addrs, 2);
	ck_assert_uint_eq(m->n_statics, f->n_statics);
	for (unsigned int i = 0; i < f->n_statics; i++) {
		const struct rib_static *fs = &f->statics[i], *ms = NULL;

		for (unsigned int j = 0; j < m->n_statics && !ms; j++)
			if (wp_prefix_cmp(&m->statics[j].p, &fs->p) == 0 &&
			    m->statics[j].distance == fs->distance)
				ms = &m->statics[j];
		ck_assert_ptr_nonnull(ms);
		ck_assert_uint_eq(ms->tag, fs->tag);
		ck_assert_uint_eq(ms->n_nh, fs->n_nh);
		for (unsigned int k = 0; k < fs->n_nh; k++) {
			bool found = false;

			for (unsigned int l = 0; l < ms->n_nh; l++)
				found = found || nh_eq(&rib_static_nhs(fs)[k],
						      &rib_static_nhs(ms)[l]);
			ck_assert(found);
		}
	}
	rib_conf_free(f);
	rib_conf_free(m);

	/* Nothing at all: an empty configuration with the defaults. */
	m = mgmt_conf("", err, sizeof(err), xpath, sizeof(xpath));
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->n_statics + m->n_ifaces, 0);
	ck_assert_uint_eq(m->gr_time, RIB_GR_TIME_DEFAULT);
	ck_assert(!m->no_nhobj);
	rib_conf_free(m);
}
END_TEST

/* What YANG lets through but ribd cannot do is refused, with the node. */
START_TEST(test_mgmt_conf_refused)
{
	static const struct {
		const char *text, *err, *xpath;
	} cases[] = {
		{ "ip route 10.9.0.0/16 10.0.12.2 onlink\n",
		  "onlink needs a gateway and an interface",
		  "/waypoint-routing:routing/static-routes/ipv4/"
		  "route[prefix='10.9.0.0/16']/path[distance='1']/"
		  "nexthop[gateway='10.0.12.2'][interface='']/onlink" },
		{ "ip route 10.9.0.0/16 blackhole eth1\n",
		  "a blackhole nexthop takes no interface",
		  "/waypoint-routing:routing/static-routes/ipv4/"
		  "route[prefix='10.9.0.0/16']/path[distance='1']/"
		  "nexthop[gateway='blackhole'][interface='eth1']" },
		{ "ipv6 nht resolve-via-default\n",
		  "ribd resolves nexthops via the default route for IPv4 and "
		  "IPv6 alike: set ip nht resolve-via-default too",
		  "/waypoint-routing:routing/nexthop-tracking/"
		  "ipv6-resolve-via-default" },
		{ "interface eth1\n description "
		  "0123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789"
		  "0123456789012345678901234567890123456789"
		  "0123456789\n",
		  "description is 130 characters, ribd keeps at most 127",
		  "/waypoint-interface:interfaces/interface[name='eth1']/"
		  "description" },
	};
	char err[256], xpath[512], big[8192];
	size_t o = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_ptr_null(mgmt_conf(cases[i].text, err, sizeof(err),
					     xpath, sizeof(xpath)));
		ck_assert_str_eq(err, cases[i].err);
		ck_assert_str_eq(xpath, cases[i].xpath);
	}
	/* More ECMP nexthops than the kernel takes. */
	for (int i = 0; i <= RIB_KERNEL_MAX_NH; i++)
		o += (size_t)snprintf(big + o, sizeof(big) - o,
				      "ip route 10.9.0.0/16 10.0.%d.%d\n",
				      i / 200, 1 + i % 200);
	ck_assert_ptr_null(mgmt_conf(big, err, sizeof(err), xpath,
				     sizeof(xpath)));
	ck_assert_str_eq(err, "too many nexthops for 10.9.0.0/16 (at most 64)");
	ck_assert_ptr_nonnull(strstr(xpath, "route[prefix='10.9.0.0/16']"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rib");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_connected_from_addresses);
	tcase_add_test(tc, test_distance_then_metric);
	tcase_add_test(tc, test_ecmp_and_limit);
	tcase_add_test(tc, test_recursive_and_default);
	tcase_add_test(tc, test_recursion_cycle_stays_down);
	tcase_add_test(tc, test_link_down_deselects);
	tcase_add_test(tc, test_blackhole_and_gw_if_mismatch);
	tcase_add_test(tc, test_address_removal_requeues);
	tcase_add_test(tc, test_gateway_routes_linear);
	tcase_add_test(tc, test_conf_apply_diff);
	tcase_add_test(tc, test_conf_iface_appears);
	suite_add_tcase(s, tc);
	tc = tcase_create("conf");
	tcase_add_test(tc, test_conf_parse);
	tcase_add_test(tc, test_conf_errors);
	tcase_add_test(tc, test_mgmt_conf_same_as_file);
	tcase_add_test(tc, test_mgmt_conf_refused);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
