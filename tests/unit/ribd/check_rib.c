/*
 * Unit tests for ribd's pure logic: selection by distance and metric,
 * ECMP and its limit, recursive resolution (and its refusal of the default
 * route and of cycles), interface events, blackholes, the config
 * parser's messages, and static nexthops following their BFD session (a
 * stand-in bfdd on a real socket sends the states).  The RIB runs without a kernel (dry run); interface
 * and address events are fed through the same ops the netlink layer uses.
 */
#include "config.h"

#include <check.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_check.h"
#include "lib/proto/bfd.pb-c.h"
#include "lib/proto/ipc.pb-c.h"
#include "rib_conf.h"
#include "ribd.h"
#include "wp_bfd.h"
#include "wp_cli.h"
#include "wp_ipc.h"
#include "wp_mem.h"
#include "wp_vty.h"
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
	rib_bfd_stop(rib);
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

/* --- show ip route in steps ------------------------------------------- */

/* The whole table goes out in steps (wp_vty_continue()): every
 * destination once, in prefix order, each member what the one-prefix
 * form (built whole) says of it; a source filter; the text form. */
START_TEST(test_show_route_steps)
{
	static const char *want[] = { "10.0.12.0/24", "10.0.13.0/24",
				      "10.1.0.0/16", "10.2.0.0/16",
				      "10.10.0.0/16" };
	struct wp_vty *vty = wp_vty_new(loop, "ribd");
	json_object *top, *one, *v, *w;
	char *out = NULL, *out1 = NULL, line[64];
	json_object_iter it;
	size_t i = 0;

	two_links();
	add_gw("10.2.0.0/16", RIB_SRC_STATIC, 1, "10.0.12.2");
	add_gw("10.10.0.0/16", RIB_SRC_OSPF, 110, "10.0.13.2");
	add_gw("10.1.0.0/16", RIB_SRC_STATIC, 1, "10.0.13.2");
	ck_assert_int_eq(rib_show_install(vty, &rib), 0);
	ck_assert_int_eq(wp_vty_exec(vty, "show ip route json", &out),
			 WP_VTY_OK);
	top = json_tokener_parse(out);
	ck_assert_msg(top != NULL, "%s", out);
	json_object_object_foreachC(top, it) {
		ck_assert_uint_lt(i, 5);
		ck_assert_str_eq(it.key, want[i++]);
		snprintf(line, sizeof(line), "show ip route %s json", it.key);
		ck_assert_int_eq(wp_vty_exec(vty, line, &out1), WP_VTY_OK);
		one = json_tokener_parse(out1);
		ck_assert(json_object_object_get_ex(one, it.key, &v));
		ck_assert_uint_eq(json_object_array_length(v),
				  json_object_array_length(it.val));
		json_object_object_get_ex(json_object_array_get_idx(v, 0),
					  "protocol", &v);
		json_object_object_get_ex(json_object_array_get_idx(it.val,
								    0),
					  "protocol", &w);
		ck_assert_str_eq(json_object_get_string(v),
				 json_object_get_string(w));
		json_object_put(one);
		wp_free(MT_STRING, out1);
	}
	ck_assert_uint_eq(i, 5);
	json_object_put(top);
	wp_free(MT_STRING, out);

	ck_assert_int_eq(wp_vty_exec(vty, "show ip route static json", &out),
			 WP_VTY_OK);
	top = json_tokener_parse(out);
	ck_assert_int_eq(json_object_object_length(top), 2);
	ck_assert(json_object_object_get_ex(top, "10.1.0.0/16", NULL));
	ck_assert(json_object_object_get_ex(top, "10.2.0.0/16", NULL));
	json_object_put(top);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show ip route bgp json", &out),
			 WP_VTY_OK);
	ck_assert_str_eq(out, "{\n}\n");
	wp_free(MT_STRING, out);

	ck_assert_int_eq(wp_vty_exec(vty, "show ip route", &out), WP_VTY_OK);
	ck_assert_ptr_nonnull(strstr(out, "Codes: K - kernel route"));
	ck_assert_msg(strstr(out, "\nS   10.1.0.0/16 [1/0] via 10.0.13.2"),
		      "%s", out);
	ck_assert(strstr(out, " 10.1.0.0/16 ") < strstr(out, " 10.2.0.0/16 "));
	ck_assert(strstr(out, " 10.2.0.0/16 ") < strstr(out, " 10.10.0.0/16 "));
	wp_free(MT_STRING, out);
	wp_vty_free(vty);
}
END_TEST

/* --- VRFs -------------------------------------------------------------- */

static void
vrf_link(int ifindex, const char *name, uint32_t table)
{
	struct rib_klink l = { .ifindex = ifindex, .vrf_table = table,
			       .flags = IFF_UP | IFF_RUNNING, .running = true };

	snprintf(l.name, sizeof(l.name), "%s", name);
	snprintf(l.kind, sizeof(l.kind), "vrf");
	rib_kernel_ops.link(rib, RIB_KACT_NEW, &l);
}

static void
slave_link(int ifindex, const char *name, int master)
{
	struct rib_klink l = { .ifindex = ifindex, .master = master,
			       .flags = IFF_UP | IFF_RUNNING, .running = true };

	snprintf(l.name, sizeof(l.name), "%s", name);
	rib_kernel_ops.link(rib, RIB_KACT_NEW, &l);
}

static void
add_gw_vrf(struct rib_vrf *vrf, const char *prefix, const char *gw)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_STATIC, 0, 1, 1);
	struct wp_prefix p = P(prefix);

	rt->nh[0].type = RIB_NH_GW;
	rt->nh[0].gw = A(gw);
	rib_route_add_vrf(rib, vrf, &p, rt);
}

static struct rib_dest *
dest_vrf(struct rib_vrf *vrf, const char *prefix)
{
	struct wp_prefix p = P(prefix);

	return rib_dest_lookup_vrf(rib, vrf, &p);
}

/* The same prefix in two VRFs: selected and programmed independently. */
START_TEST(test_vrf_same_prefix_independent)
{
	struct rib_vrf *red;
	struct rib_dest *d0, *d1;

	two_links();
	vrf_link(10, "red", 10);
	red = rib_vrf_by_name(rib, "red");
	ck_assert_ptr_nonnull(red);
	ck_assert_uint_eq(red->table_id, 10);
	ck_assert_ptr_eq(rib_vrf_by_table(rib, 10), red);
	slave_link(3, "eth2", 10);		/* 10.0.13.0/24 moves to red */
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest_vrf(red, "10.0.13.0/24"));
	ck_assert_ptr_null(dest("10.0.13.0/24"));

	add_gw("192.0.2.0/24", RIB_SRC_STATIC, 1, "10.0.12.2");
	add_gw_vrf(red, "192.0.2.0/24", "10.0.13.2");
	rib_process_all(rib);
	d0 = dest("192.0.2.0/24");
	d1 = dest_vrf(red, "192.0.2.0/24");
	ck_assert_ptr_nonnull(d0);
	ck_assert_ptr_nonnull(d1);
	ck_assert_ptr_ne(d0, d1);
	ck_assert_ptr_eq(rib_dest_vrf(rib, d1), red);
	ck_assert_uint_eq(rib_dest_table(rib, d1)->table_id, 10);
	ck_assert_ptr_nonnull(d0->fib);
	ck_assert_ptr_nonnull(d1->fib);
	ck_assert_uint_eq(d0->fib->table, RIB_TABLE_MAIN);
	ck_assert_uint_eq(d1->fib->table, 10);
	ck_assert_int_eq(d0->fib->nh[0].ifindex, 2);
	ck_assert_int_eq(d1->fib->nh[0].ifindex, 3);

	/* Withdrawn in one VRF: the other keeps its route. */
	{
		struct wp_prefix p = P("192.0.2.0/24");

		ck_assert_int_eq(rib_route_del_vrf(rib, red, &p,
						   RIB_SRC_STATIC, 0), 0);
	}
	rib_process_all(rib);
	ck_assert_ptr_null(dest_vrf(red, "192.0.2.0/24"));
	ck_assert_ptr_nonnull(dest("192.0.2.0/24")->fib);

	/* Released from the VRF: its subnet comes back to the default. */
	slave_link(3, "eth2", 0);
	rib_process_all(rib);
	ck_assert_ptr_null(dest_vrf(red, "10.0.13.0/24"));
	ck_assert_ptr_nonnull(dest("10.0.13.0/24"));
}
END_TEST

/* Resolution stays inside a VRF: a gateway reachable only in another VRF
 * leaves the route inactive. */
START_TEST(test_vrf_no_leak)
{
	struct rib_vrf *t100;
	struct rib_dest *d;

	two_links();
	t100 = rib_vrf_get(rib, 100, NULL);
	ck_assert_ptr_nonnull(t100);
	ck_assert_str_eq(t100->name, "table-100");
	rib_vrf_ref(t100);
	add_gw_vrf(t100, "198.51.100.0/24", "10.0.12.2");	/* default's */
	add_gw("203.0.113.0/24", RIB_SRC_STATIC, 1, "10.0.12.2");
	rib_process_all(rib);
	d = dest_vrf(t100, "198.51.100.0/24");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(rib_dest_selected(d));
	ck_assert_ptr_null(d->fib);
	ck_assert_ptr_nonnull(dest("203.0.113.0/24")->fib);

	/* A route in table 100 to the gateway: now it resolves, there. */
	{
		struct rib_route *rt = rib_route_new(RIB_SRC_STATIC, 0, 1, 1);
		struct wp_prefix p = P("10.0.12.0/24");

		rt->nh[0].type = RIB_NH_IFINDEX;
		rt->nh[0].ifindex = 2;
		rib_route_add_vrf(rib, t100, &p, rt);
	}
	rib_process_all(rib);
	d = dest_vrf(t100, "198.51.100.0/24");
	ck_assert_ptr_nonnull(rib_dest_selected(d));
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_uint_eq(d->fib->table, 100);

	/* Unused and empty, a plain table goes. */
	{
		struct wp_prefix p1 = P("198.51.100.0/24");
		struct wp_prefix p2 = P("10.0.12.0/24");

		rib_route_del_vrf(rib, t100, &p1, RIB_SRC_STATIC, 0);
		rib_route_del_vrf(rib, t100, &p2, RIB_SRC_STATIC, 0);
	}
	rib_process_all(rib);
	ck_assert_ptr_eq(rib_vrf_by_table(rib, 100), t100);
	rib_vrf_unref(rib, t100);
	ck_assert_ptr_null(rib_vrf_by_table(rib, 100));
}
END_TEST

/* Statics of `vrf red` wait for the vrf device, go into its table when it
 * appears and leave when it goes; the default's same prefix stays. */
START_TEST(test_vrf_statics_follow_device)
{
	static const char text[] =
		"ip route 192.0.2.0/24 10.0.12.2\n"
		"vrf red\n"
		" ip route 192.0.2.0/24 10.0.13.2\n"
		"exit-vrf\n";
	struct rib_vrf *red;
	struct rib_dest *d;

	two_links();
	rib_conf_apply(rib, rib_conf_parse(text, "t.conf"));
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("192.0.2.0/24")->fib);
	ck_assert_ptr_null(rib_vrf_by_name(rib, "red"));
	ck_assert_uint_eq(rib_static_pending(rib, "red"), 1);

	vrf_link(10, "red", 10);
	slave_link(3, "eth2", 10);
	rib_process_all(rib);
	red = rib_vrf_by_name(rib, "red");
	ck_assert_ptr_nonnull(red);
	ck_assert_uint_eq(rib_static_pending(rib, "red"), 0);
	d = dest_vrf(red, "192.0.2.0/24");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_uint_eq(d->fib->table, 10);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	ck_assert_uint_eq(d->fib->protocol, RIB_RTPROT_STATIC);
	ck_assert_int_eq(dest("192.0.2.0/24")->fib->nh[0].ifindex, 2);

	/* The device goes (its member released first, as the kernel does). */
	slave_link(3, "eth2", 0);
	{
		struct rib_klink l = { .ifindex = 10 };

		rib_kernel_ops.link(rib, RIB_KACT_DEL, &l);
	}
	rib_process_all(rib);
	ck_assert_ptr_null(rib_vrf_by_name(rib, "red"));
	ck_assert_ptr_null(rib_vrf_by_table(rib, 10));
	ck_assert_uint_eq(rib_static_pending(rib, "red"), 1);
	ck_assert_ptr_nonnull(dest("192.0.2.0/24")->fib);
}
END_TEST

/* A member reported before its vrf link, and a vrf link removed before
 * its member is reported released: the member's subnet is where the
 * kernel has it each time. */
START_TEST(test_vrf_member_order)
{
	struct rib_vrf *blue;
	struct rib_klink l = { .ifindex = 11 };

	two_links();
	slave_link(3, "eth2", 11);		/* blue not known yet */
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.0.13.0/24"));
	vrf_link(11, "blue", 11);
	rib_process_all(rib);
	blue = rib_vrf_by_name(rib, "blue");
	ck_assert_ptr_nonnull(blue);
	ck_assert_ptr_nonnull(dest_vrf(blue, "10.0.13.0/24"));
	ck_assert_ptr_null(dest("10.0.13.0/24"));

	rib_kernel_ops.link(rib, RIB_KACT_DEL, &l);
	rib_process_all(rib);
	ck_assert_ptr_null(rib_vrf_by_table(rib, 11));
	ck_assert_ptr_nonnull(dest("10.0.13.0/24"));
	slave_link(3, "eth2", 0);		/* the release, late */
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.0.13.0/24"));
}
END_TEST

START_TEST(test_connected_from_addresses)
{
	struct rib_dest *d;

	two_links();
	rib_process_all(rib);
	d = dest("10.0.12.0/24");
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_nonnull(rib_dest_selected(d));
	ck_assert_int_eq(rib_dest_selected(d)->source, RIB_SRC_CONNECTED);
	/* Connected routes are the kernel's: nothing to install. */
	ck_assert_ptr_null(d->fib);
	addr_event(2, "10.0.12.1/24", false);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.0.12.0/24"));
}
END_TEST

/*
 * Dests with the same forwarding share one kernel route record; one that
 * changes gets its own and leaves the others' intact; the last one out
 * frees it (teardown checks for leaks).
 */
START_TEST(test_fib_record_shared)
{
	struct wp_prefix p1 = P("10.1.0.0/16"), p3 = P("10.3.0.0/16");
	struct rib_dest *d1, *d2, *d3;

	two_links();
	add_gw("10.1.0.0/16", RIB_SRC_STATIC, 1, "10.0.12.2");
	add_gw("10.2.0.0/16", RIB_SRC_STATIC, 1, "10.0.12.2");
	add_gw("10.3.0.0/16", RIB_SRC_STATIC, 1, "10.0.12.2");
	rib_process_all(rib);
	d1 = dest("10.1.0.0/16");
	d2 = dest("10.2.0.0/16");
	d3 = dest("10.3.0.0/16");
	ck_assert_ptr_nonnull(d1->fib);
	ck_assert_ptr_eq(d1->fib, d2->fib);
	ck_assert_ptr_eq(d1->fib, d3->fib);
	ck_assert_uint_eq(rib->n_fibs, 1);
	/* A different gateway: a record of its own. */
	add_gw("10.1.0.0/16", RIB_SRC_STATIC, 1, "10.0.13.2");
	rib_process_all(rib);
	ck_assert_ptr_ne(d1->fib, d2->fib);
	ck_assert_int_eq(d1->fib->nh[0].ifindex, 3);
	ck_assert_int_eq(d2->fib->nh[0].ifindex, 2);
	ck_assert_ptr_eq(d2->fib, d3->fib);
	ck_assert_uint_eq(rib->n_fibs, 2);
	/* Another protocol over the same gateway: not the same record. */
	add_gw("10.2.0.0/16", RIB_SRC_OSPF, 0, "10.0.12.2");
	rib_process_all(rib);
	ck_assert_uint_eq(dest("10.2.0.0/16")->fib->protocol, RTPROT_OSPF);
	ck_assert_uint_eq(d3->fib->protocol, RIB_RTPROT_STATIC);
	ck_assert_uint_eq(rib->n_fibs, 3);
	/* Routes withdrawn: their records go with their last user. */
	ck_assert_int_eq(rib_route_del(rib, &p1, RIB_SRC_STATIC, 1), 0);
	ck_assert_int_eq(rib_route_del(rib, &p3, RIB_SRC_STATIC, 1), 0);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.1.0.0/16"));
	ck_assert_ptr_null(dest("10.3.0.0/16"));
	ck_assert_uint_eq(rib->n_fibs, 1);
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
	ck_assert_int_eq(rib_dest_selected(d)->source, RIB_SRC_STATIC);
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_uint_eq(d->fib->protocol, RIB_RTPROT_STATIC);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 2);
	/* The static goes: OSPF takes over, with its own protocol number. */
	ck_assert_int_eq(rib_route_del(rib, &p, RIB_SRC_STATIC, 1), 0);
	rib_process_all(rib);
	ck_assert_int_eq(rib_dest_selected(d)->source, RIB_SRC_OSPF);
	ck_assert_uint_eq(d->fib->protocol, RTPROT_OSPF);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	/* Same distance: the lower metric wins. */
	rt = rib_route_new(RIB_SRC_BGP, 0, 110, 1);
	rt->metric = 5;
	rt->nh[0].type = RIB_NH_GW;
	rt->nh[0].gw = A("10.0.12.7");
	rib_route_add(rib, &p, rt);
	rib_dest_selected(d)->metric = 10;
	rib_process_all(rib);
	ck_assert_int_eq(rib_dest_selected(d)->source, RIB_SRC_BGP);
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
	ck_assert(!rib_dest_selected(d)->nh[2].active);
	rib->ecmp_max = 1;
	rib_requeue_nexthops(rib, AF_INET);
	rib_process_all(rib);
	ck_assert_uint_eq(d->fib->n_nh, 1);
}
END_TEST

/*
 * A recursive gateway that is not a route's first nexthop: when what it
 * resolves through goes, nexthop tracking finds its route (and dest)
 * from the nexthop alone.
 */
START_TEST(test_recursive_second_nexthop)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_BGP, 0, 20, 3);
	struct wp_prefix p = P("10.50.0.0/16"), via = P("192.0.2.0/24");
	struct rib_dest *d;

	two_links();
	add_gw("192.0.2.0/24", RIB_SRC_STATIC, 1, "10.0.13.2");
	rt->nh[0].type = RIB_NH_GW;
	rt->nh[0].gw = A("10.0.12.2");
	rt->nh[1].type = RIB_NH_GW;
	rt->nh[1].gw = A("10.0.12.3");
	rt->nh[2].type = RIB_NH_GW;
	rt->nh[2].gw = A("192.0.2.1");
	rib_route_add(rib, &p, rt);
	rib_process_all(rib);
	d = dest("10.50.0.0/16");
	ck_assert_ptr_eq(rib_nh_route(&rt->nh[2]), rt);
	ck_assert(rt->nh[2].recursive);
	ck_assert_uint_eq(d->fib->n_nh, 3);
	rib_route_del(rib, &via, RIB_SRC_STATIC, 1);
	rib_process_all(rib);
	ck_assert(!rt->nh[2].active);
	ck_assert_uint_eq(d->fib->n_nh, 2);
	add_gw("192.0.2.0/24", RIB_SRC_STATIC, 1, "10.0.13.2");
	rib_process_all(rib);
	ck_assert(rt->nh[2].active);
	ck_assert_uint_eq(d->fib->n_nh, 3);
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
	ck_assert(rib_dest_selected(d)->nh[0].active);
	ck_assert(rib_dest_selected(d)->nh[0].recursive);
	ck_assert_uint_eq(d->fib->n_nh, 1);
	ck_assert(wp_addr_eq(&d->fib->nh[0].gw, &(struct wp_addr){ 0 }) == 0);
	{
		struct wp_addr want = A("10.0.12.2");
		struct wp_prefix via;

		ck_assert(wp_addr_eq(&d->fib->nh[0].gw, &want));
		/* The resolver is kept as a length over the gateway. */
		ck_assert(rib_nh_via(&rib_dest_selected(d)->nh[0], &via));
		ck_assert(wp_prefix_eq(&via, &host));
		ck_assert(rib_nh_via(&rib_dest_selected(dest("10.255.0.2/32"))->nh[0],
				     &via));
		ck_assert(wp_prefix_eq(&via, &(struct wp_prefix){ 0 }) == 0);
		ck_assert_uint_eq(via.len, 24);
	}
	/* The resolving route goes: the recursive one follows. */
	rib_route_del(rib, &host, RIB_SRC_STATIC, 1);
	rib_process_all(rib);
	ck_assert_ptr_null(rib_dest_selected(d));
	ck_assert_ptr_null(d->fib);
	/* A default route does not resolve nexthops unless allowed. */
	add_gw("0.0.0.0/0", RIB_SRC_STATIC, 1, "10.0.13.2");
	rib_process_all(rib);
	ck_assert_ptr_null(rib_dest_selected(d));
	rib->resolve_via_default = true;
	rib_requeue_nexthops(rib, 0);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(rib_dest_selected(d));
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	{
		struct wp_prefix via;

		ck_assert(rib_nh_via(&rib_dest_selected(d)->nh[0], &via));
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
	ck_assert_ptr_null(rib_dest_selected(dest("10.1.0.0/16")));
	ck_assert_ptr_null(rib_dest_selected(dest("10.2.0.0/16")));
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
	ck_assert_uint_eq(rib_dest_selected(d)->distance, 1);
	link_event(2, "eth1", false);
	rib_process_all(rib);
	/* The floating static takes over. */
	ck_assert_uint_eq(rib_dest_selected(d)->distance, 200);
	ck_assert_int_eq(d->fib->nh[0].ifindex, 3);
	ck_assert_ptr_null(dest("10.0.12.0/24"));
	link_event(2, "eth1", true);
	rib_process_all(rib);
	ck_assert_uint_eq(rib_dest_selected(d)->distance, 1);
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
	ck_assert_ptr_null(rib_dest_selected(d));
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
	ck_assert_ptr_null(rib_dest_selected(dest("10.100.7.0/24")));
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
	ck_assert_ptr_null(rib_dest_selected(dest("10.5.0.0/16")));
}
END_TEST

/*
 * OSPF point-to-multipoint: a host route to the neighbour's own address
 * (via itself, on eth1) must not hide the connected subnet from the
 * neighbour's other routes, which give the interface: they resolve as
 * the kernel checks them, at link scope.  Without the interface, the
 * gateway resolves through the host route, recursively, as before.
 */
static struct rib_route *
add_gw_if(const char *prefix, const char *gw, int ifindex)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_OSPF, 110, 10, 1);
	struct wp_prefix p = P(prefix);

	rt->nh[0].type = RIB_NH_GW_IF;
	rt->nh[0].gw = A(gw);
	rt->nh[0].ifindex = ifindex;
	rib_route_add(rib, &p, rt);
	return rt;
}

START_TEST(test_gw_if_beside_host_route)
{
	struct rib_route *host, *lo;

	two_links();
	host = add_gw_if("10.0.12.2/32", "10.0.12.2", 2);
	lo = add_gw_if("10.255.0.2/32", "10.0.12.2", 2);
	rib_process_all(rib);
	ck_assert(host->nh[0].active);
	ck_assert(lo->nh[0].active);
	ck_assert(!lo->nh[0].recursive);
	ck_assert_int_eq(lo->nh[0].resolved_ifindex, 2);
	ck_assert_ptr_nonnull(dest("10.255.0.2/32")->fib);
	/* Not on eth2, however the host route resolves. */
	lo = add_gw_if("10.255.0.3/32", "10.0.12.2", 3);
	rib_process_all(rib);
	ck_assert(!lo->nh[0].active);
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
		" mtu 20\n"
		"ip route 10.7.0.0/16 10.0.12.2 eth1 bfd multihop source "
		"10.0.12.1 profile fast\n"
		"ip route 10.7.0.0/16 10.0.12.2 eth1 bfd multihop source "
		"10.0.12.1 profile slow\n";
	struct rib_conf *c = rib_conf_parse(text, "t.conf");

	ck_assert_str_eq(c->hostname, "r1");
	ck_assert_uint_eq(c->n_ifaces, 2);
	ck_assert_str_eq(c->ifaces[0].description, "to r2 core");
	ck_assert_uint_eq(c->ifaces[0].mtu, 9000);
	ck_assert_uint_eq(c->ifaces[0].n_addrs, 1);
	/* 10.8/16 at distance 1 is one route with two nexthops. */
	ck_assert_uint_eq(c->n_statics, 5);
	ck_assert_uint_eq(c->statics[0].n_nh, 2);
	ck_assert_uint_eq(c->statics[1].distance, 200);
	ck_assert_uint_eq(c->statics[1].tag, 7);
	ck_assert_int_eq(rib_static_nhs(&c->statics[2])[0].type, RIB_NH_IFINDEX);
	/* A word after the gateway is its interface, as in FRR. */
	ck_assert_int_eq(rib_static_nhs(&c->statics[3])[0].type, RIB_NH_GW_IF);
	ck_assert_str_eq(rib_static_nhs(&c->statics[3])[0].ifname, "vlan100");
	ck_assert(!rib_static_nhs(&c->statics[3])[0].bfd);
	ck_assert(rib_static_nhs(&c->statics[4])[0].bfd &&
		  rib_static_nhs(&c->statics[4])[0].bfdo->multihop);
	ck_assert(wp_addr_eq(&rib_static_nhs(&c->statics[4])[0].bfdo->source,
			     &(struct wp_addr){ 0 }) == false);
	/* The same gateway again: that nexthop, the later line's options. */
	ck_assert_uint_eq(c->statics[4].n_nh, 1);
	ck_assert_str_eq(rib_static_nhs(&c->statics[4])[0].bfdo->profile,
			 "slow");
	ck_assert_str_eq(rib_static_nhs(&c->statics[4])[0].ifname, "eth1");
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
		{ "ip route 10.9.0.0/16 blackhole bfd",
		  "x:1: bfd needs a gateway address" },
		{ "ip route 10.9.0.0/16 10.0.12.2 bfd multihop",
		  "x:1: bfd multihop needs a source address" },
		{ "ip route 10.9.0.0/16 10.0.12.2 bfd source fd00::1",
		  "x:1: invalid source \"fd00::1\": expected an IPv4 address" },
		{ "ip route 10.9.0.0/16 10.0.12.2 bfd profile",
		  "x:1: incomplete command: a value expected after profile" },
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

/* A configuration file read with the rib, as ribd reads its -f file. */
static struct rib_conf *
load_file(const char *text)
{
	char path[] = "/tmp/check_rib_conf.XXXXXX";
	int fd = mkstemp(path);
	struct rib_conf *c;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	c = rib_conf_load(path, rib);
	unlink(path);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* The static of `prefix` at `distance`, its nexthops' gateways in order. */
static void
assert_static(const char *prefix, uint8_t distance, const char *gws)
{
	struct rib_dest *d = dest(prefix);
	struct rib_route *rt;
	char buf[256] = "", a[WP_ADDR_STRLEN];

	ck_assert_msg(d != NULL, "%s: no dest", prefix);
	rt = rib_route_find(d, RIB_SRC_STATIC, distance);
	ck_assert_msg(rt != NULL, "%s: no static at %u", prefix, distance);
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		if (i)
			strcat(buf, " ");
		if (rt->nh[i].type == RIB_NH_BLACKHOLE)
			strcat(buf, "blackhole");
		else
			strcat(buf, wp_addr_fmt(&rt->nh[i].gw, a, sizeof(a)));
	}
	ck_assert_str_eq(buf, gws);
}

/*
 * Read with the rib, statics without an interface or `bfd` go straight
 * into the RIB (only the others are kept), with the same routes as the
 * parsed text applied: ECMP lines merged, a repeated nexthop once, a
 * route that turns out to name an interface kept whole, and a reload
 * removes what it no longer has.
 */
START_TEST(test_conf_streamed)
{
	static const char *text =
		"ip route 10.8.0.0/16 10.0.12.2\n"
		"ip route 10.10.0.0/16 10.0.12.2\n"
		"ip route 10.10.0.0/16 10.0.13.2\n"
		"ip route 10.10.0.0/16 10.0.12.2\n"
		"ip route 10.10.0.0/16 10.0.13.3 tag 7\n"
		"ip route 10.11.0.0/16 10.0.12.2\n"
		"ip route 10.11.0.0/16 10.0.13.2 eth2\n"
		"ip route 10.11.0.0/16 10.0.12.3\n"
		"ip route 10.12.0.0/16 blackhole 250\n"
		"ip route 10.12.0.0/16 10.0.13.2\n";
	struct rib_conf *c, *ref;
	struct rib_dest *d;

	two_links();
	c = load_file(text);
	ck_assert_uint_eq(c->n_errors, 0);
	/* 10.11 names an interface: kept, with its three nexthops. */
	ck_assert_uint_eq(c->n_statics, 1);
	ck_assert_uint_eq(c->statics[0].n_nh, 3);
	ck_assert_uint_eq(c->n_streamed, 4);
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	assert_static("10.8.0.0/16", 1, "10.0.12.2");
	assert_static("10.10.0.0/16", 1, "10.0.12.2 10.0.13.2 10.0.13.3");
	ck_assert_uint_eq(rib_route_find(dest("10.10.0.0/16"), RIB_SRC_STATIC,
					 1)->tag, 7);
	assert_static("10.11.0.0/16", 1, "10.0.12.2 10.0.13.2 10.0.12.3");
	ck_assert_int_eq(rib_route_find(dest("10.11.0.0/16"), RIB_SRC_STATIC,
					1)->nh[1].type, RIB_NH_GW_IF);
	assert_static("10.12.0.0/16", 250, "blackhole");
	assert_static("10.12.0.0/16", 1, "10.0.13.2");
	ck_assert_uint_eq(dest("10.10.0.0/16")->fib->n_nh, 3);

	/* The same text parsed and applied gives the same routes. */
	ref = rib_conf_parse(text, "ref");
	ck_assert_uint_eq(ref->n_statics, 5);
	rib_conf_apply(rib, ref);
	rib_process_all(rib);
	assert_static("10.10.0.0/16", 1, "10.0.12.2 10.0.13.2 10.0.13.3");
	assert_static("10.11.0.0/16", 1, "10.0.12.2 10.0.13.2 10.0.12.3");
	assert_static("10.12.0.0/16", 250, "blackhole");

	/* Reload: 10.8 and 10.12's blackhole gone, 10.10 down to one. */
	c = load_file("ip route 10.10.0.0/16 10.0.13.2\n"
		      "ip route 10.11.0.0/16 10.0.12.2\n"
		      "ip route 10.12.0.0/16 10.0.13.2\n");
	ck_assert_uint_eq(c->n_statics, 0);
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.8.0.0/16"));
	assert_static("10.10.0.0/16", 1, "10.0.13.2");
	assert_static("10.11.0.0/16", 1, "10.0.12.2");
	d = dest("10.12.0.0/16");
	ck_assert_ptr_null(rib_route_find(d, RIB_SRC_STATIC, 250));
	assert_static("10.12.0.0/16", 1, "10.0.13.2");
	ck_assert_uint_eq(dest("10.10.0.0/16")->fib->n_nh, 1);

	/* A client's route of the static source is not the configuration's. */
	{
		struct rib_route *rt = rib_route_new_client(RIB_SRC_STATIC, 5,
							    5, 1);
		struct wp_prefix p = P("10.20.0.0/16");

		rt->nh[0].type = RIB_NH_GW;
		rt->nh[0].gw = A("10.0.12.2");
		rib_route_add(rib, &p, rt);
	}
	c = load_file("ip route 10.10.0.0/16 10.0.13.2\n");
	rib_conf_apply(rib, c);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.11.0.0/16"));
	ck_assert_ptr_nonnull(dest("10.20.0.0/16"));
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
	       strcmp(a->ifname, b->ifname) == 0 && a->bfd == b->bfd &&
	       a->bfdo == b->bfdo &&		/* interned */
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
		"ip route 10.7.0.0/16 10.0.12.2 bfd\n"
		"ip route 10.6.0.0/16 10.0.12.2 eth1 bfd multihop source "
		"10.0.12.1 profile fast\n"
		"ipv6 route 2001:db8:6::/48 2001:db8:12::2 bfd profile p6\n"
		"vrf red\n"
		" ip route 10.8.0.0/16 10.0.22.2\n"
		" ipv6 route 2001:db8::/32 blackhole\n"
		"exit-vrf\n"
		"!\n"
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
	ck_assert_uint_eq(f->n_vrfs, 2);
	ck_assert_str_eq(f->vrfs[1], "red");
	ck_assert_uint_eq(m->n_vrfs, 2);
	for (unsigned int i = 0; i < f->n_statics; i++) {
		const struct rib_static *fs = &f->statics[i], *ms = NULL;

		for (unsigned int j = 0; j < m->n_statics && !ms; j++)
			if (wp_prefix_cmp(&m->statics[j].p, &fs->p) == 0 &&
			    m->statics[j].distance == fs->distance &&
			    strcmp(m->vrfs ? m->vrfs[m->statics[j].vrf] : "",
				   f->vrfs ? f->vrfs[fs->vrf] : "") == 0)
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

/* --- static routes monitored by BFD ---------------------------------- */

/* A stand-in bfdd: remembers the connection, registrations and the
 * last RegisterDone; the test sends the statuses. */
static struct {
	struct wp_ipc_server *srv;
	struct wp_ipc_conn *conn;
	unsigned int regs, deregs, dones;
	char dir[64];
	char path[128];
} fb;

static int
fb_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	fb.conn = c;
	return 0;
}

static int
fb_reg(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
       ProtobufCMessage *msg)
{
	fb.regs++;
	return 0;
}

static int
fb_dereg(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	fb.deregs++;
	return 0;
}

static int
fb_done(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	fb.dones++;
	return 0;
}

static void
fb_gone(struct wp_ipc_conn *c)
{
	if (fb.conn == c)
		fb.conn = NULL;
}

static void
tick_cb(struct wp_timer *t)
{
}

static bool
run_until(bool (*cond)(void), double secs)
{
	double deadline = wp_monotime() + secs;
	struct wp_timer tick;
	bool ok;

	/* A tick, so one loop pass never blocks past the deadline. */
	wp_timer_init(loop, &tick, "test tick", tick_cb);
	while (!(ok = cond()) && wp_monotime() < deadline) {
		wp_timer_start(&tick, 0.01, 0);
		ev_run(wp_loop_ev(loop), EVRUN_ONCE);
	}
	wp_timer_stop(&tick);
	return ok;
}

static void
fb_start(void)
{
	static const struct wp_ipc_handler h[] = {
		{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, fb_hello },
		{ WP_BFD_PEER_REGISTER, &wp__bfd__peer_register__descriptor,
		  fb_reg },
		{ WP_BFD_PEER_DEREGISTER,
		  &wp__bfd__peer_deregister__descriptor, fb_dereg },
		{ WP_BFD_REGISTER_DONE, &wp__bfd__register_done__descriptor,
		  fb_done },
		WP_IPC_HANDLER_END,
	};
	struct wp_ipc_callbacks cb = { .on_disconnect = fb_gone };

	/* The same directory when bfdd comes back. */
	if (fb.dir[0] == '\0') {
		snprintf(fb.dir, sizeof(fb.dir), "/tmp/check_rib.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(fb.dir));
		snprintf(fb.path, sizeof(fb.path), "%s/%s", fb.dir,
			 WP_BFD_SOCK_NAME);
	}
	fb.conn = NULL;
	fb.regs = fb.deregs = fb.dones = 0;
	fb.srv = wp_ipc_server_new(loop, fb.path, h, &cb);
	ck_assert_ptr_nonnull(fb.srv);
}

static void
fb_stop(bool last)
{
	wp_ipc_server_free(fb.srv);
	fb.srv = NULL;
	if (last) {
		rmdir(fb.dir);
		fb.dir[0] = '\0';
	}
}

static void
fb_status(const char *peer, bool multihop, Wp__Bfd__State state,
	  uint32_t diag, uint32_t rdiag)
{
	Wp__Bfd__PeerStatus m = WP__BFD__PEER_STATUS__INIT;
	Wp__Bfd__PeerKey k = WP__BFD__PEER_KEY__INIT;

	k.peer = (char *)(uintptr_t)peer;
	k.local = (char *)(uintptr_t)(multihop ? "10.0.12.1" : "");
	k.ifname = (char *)(uintptr_t)"";
	k.multihop = multihop;
	m.key = &k;
	m.state = state;
	m.diagnostic = diag;
	m.remote_diagnostic = rdiag;
	ck_assert_ptr_nonnull(fb.conn);
	ck_assert_int_eq(wp_ipc_send(fb.conn, WP_BFD_PEER_STATUS, &m.base), 0);
}

static bool
fb_deregistered(void)
{
	return fb.deregs == 1;
}

static bool
nothing(void)
{
	return false;
}

static bool
fb_synced(void)
{
	return fb.conn != NULL && fb.dones > 0;
}

static const char *fb_prefix;
static bool fb_want;

static bool
fib_is(void)
{
	struct rib_dest *d;

	rib_process_all(rib);
	d = dest(fb_prefix);
	return d && (d->fib != NULL) == fb_want;
}

static void
expect_fib(const char *prefix, bool present)
{
	fb_prefix = prefix;
	fb_want = present;
	ck_assert_msg(run_until(fib_is, 2.0), "%s: want %s in the FIB",
		      prefix, present ? "" : "not");
}

/*
 * Up: used.  Down, Init: the nexthop is inactive, the route leaves the
 * FIB (another nexthop keeps it).  AdminDown, ours or the peer's: used
 * (RFC 5882 §3.2).  No answer yet: used.  bfdd gone: the last state stays.
 */
START_TEST(test_bfd_gates_nexthop)
{
	struct rib_dest *d;

	fb_start();
	two_links();
	ck_assert_int_eq(rib_bfd_start(rib, fb.path), 0);
	rib_conf_apply(rib, rib_conf_parse(
		"ip route 10.8.0.0/16 10.0.12.2 bfd\n"
		"ip route 10.9.0.0/16 10.0.12.2 bfd\n"
		"ip route 10.9.0.0/16 10.0.13.2\n"
		"ip route 10.7.0.0/16 10.0.12.9 bfd multihop source "
		"10.0.12.1\n", "t"));
	/* Before bfdd answers, the routes are used as without bfd. */
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.8.0.0/16")->fib);
	ck_assert(run_until(fb_synced, 2.0));
	ck_assert_uint_eq(fb.regs, 2);		/* two sessions, once each */

	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_DOWN, 0, 0);
	fb_status("10.0.12.9", true, WP__BFD__STATE__STATE_INIT, 0, 0);
	expect_fib("10.8.0.0/16", false);
	expect_fib("10.7.0.0/16", false);
	d = dest("10.8.0.0/16");
	ck_assert(!d->routes->nh[0].active && d->routes->nh[0].bfd_down);
	/* The ECMP route keeps its other nexthop. */
	d = dest("10.9.0.0/16");
	ck_assert_ptr_nonnull(d->fib);
	ck_assert_uint_eq(d->fib->n_nh, 1);

	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_UP, 0, 0);
	expect_fib("10.8.0.0/16", true);
	ck_assert_uint_eq(dest("10.9.0.0/16")->fib->n_nh, 2);
	ck_assert(!dest("10.8.0.0/16")->routes->nh[0].bfd_down);

	/* The peer went AdminDown (diag 3, its diag 7): not a failure. */
	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_DOWN, 3, 7);
	run_until(nothing, 0.05);
	rib_process_all(rib);
	ck_assert_ptr_nonnull(dest("10.8.0.0/16")->fib);
	/* A detection timeout (diag 1) is. */
	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_DOWN, 1, 0);
	expect_fib("10.8.0.0/16", false);
	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_ADMIN_DOWN, 7, 0);
	expect_fib("10.8.0.0/16", true);

	/* bfdd goes away: the last state stays (10.7/16 stays out). */
	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_DOWN, 1, 0);
	expect_fib("10.8.0.0/16", false);
	fb_stop(false);
	run_until(nothing, 0.1);
	rib_process_all(rib);
	ck_assert_ptr_null(dest("10.8.0.0/16")->fib);
	ck_assert_ptr_null(dest("10.7.0.0/16")->fib);

	/* bfdd back: everything registered again, states follow. */
	fb_start();
	ck_assert(run_until(fb_synced, 3.0));
	ck_assert_uint_eq(fb.regs, 2);
	fb_status("10.0.12.2", false, WP__BFD__STATE__STATE_UP, 0, 0);
	expect_fib("10.8.0.0/16", true);

	/* A configuration without the multihop route lets that session go. */
	rib_conf_apply(rib, rib_conf_parse(
		"ip route 10.8.0.0/16 10.0.12.2 bfd\n", "t"));
	ck_assert(run_until(fb_deregistered, 2.0));
	fb_stop(true);
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
	tcase_add_test(tc, test_fib_record_shared);
	tcase_add_test(tc, test_ecmp_and_limit);
	tcase_add_test(tc, test_recursive_and_default);
	tcase_add_test(tc, test_recursive_second_nexthop);
	tcase_add_test(tc, test_recursion_cycle_stays_down);
	tcase_add_test(tc, test_link_down_deselects);
	tcase_add_test(tc, test_blackhole_and_gw_if_mismatch);
	tcase_add_test(tc, test_gw_if_beside_host_route);
	tcase_add_test(tc, test_address_removal_requeues);
	tcase_add_test(tc, test_show_route_steps);
	tcase_add_test(tc, test_gateway_routes_linear);
	tcase_add_test(tc, test_vrf_same_prefix_independent);
	tcase_add_test(tc, test_vrf_no_leak);
	tcase_add_test(tc, test_vrf_statics_follow_device);
	tcase_add_test(tc, test_vrf_member_order);
	tcase_add_test(tc, test_conf_apply_diff);
	tcase_add_test(tc, test_bfd_gates_nexthop);
	tcase_add_test(tc, test_conf_iface_appears);
	tcase_add_test(tc, test_conf_streamed);
	suite_add_tcase(s, tc);
	tc = tcase_create("conf");
	tcase_add_test(tc, test_conf_parse);
	tcase_add_test(tc, test_conf_errors);
	tcase_add_test(tc, test_mgmt_conf_same_as_file);
	tcase_add_test(tc, test_mgmt_conf_refused);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
