/*
 * Unit tests for daemons/ospfd/ospf_nbma.c: the router-LSA links of a
 * point-to-multipoint interface (RFC 2328 §12.4.1.4), the configured
 * neighbours an NBMA interface takes from `router ospf` (§9.5.1, C.5),
 * and which network types elect a DR and which send unicast only.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "wp_json.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static struct ospf_iface ifp;
static struct ospf_nbr nbrs[3];

/* A p2mp interface 10.0.50.1/24, cost 15, with neighbours N.N.N.N at
 * 10.0.50.N in the given states. */
static void
setup_iface(enum ospf_net_type type, const enum ospf_nbr_state *st,
	    size_t n)
{
	memset(&ifp, 0, sizeof(ifp));
	memset(nbrs, 0, sizeof(nbrs));
	ifp.type = type;
	ifp.addr = IP(10, 0, 50, 1);
	ifp.mask = IP(255, 255, 255, 0);
	ifp.plen = 24;
	ifp.cost = 15;
	TAILQ_INIT(&ifp.nbrs);
	for (size_t i = 0; i < n; i++) {
		unsigned int k = (unsigned int)i + 2;

		nbrs[i].iface = &ifp;
		nbrs[i].id = IP(k, k, k, k);
		nbrs[i].addr = IP(10, 0, 50, k);
		nbrs[i].state = st[i];
		TAILQ_INSERT_TAIL(&ifp.nbrs, &nbrs[i], entry);
		ifp.n_nbrs++;
	}
}

START_TEST(test_p2mp_links)
{
	static const enum ospf_nbr_state st[] = {
		NBR_STA_FULL, NBR_STA_2WAY, NBR_STA_FULL,
	};
	struct ospf_rtr_link v[4];
	size_t n;

	setup_iface(OSPF_NET_P2MP, st, 3);
	n = ospf_p2mp_links(&ifp, v);
	ck_assert_uint_eq(n, 3);
	/* Our own address as a host stub at cost 0. */
	ck_assert_uint_eq(v[0].type, OSPF_LINK_STUB);
	ck_assert_uint_eq(v[0].id, IP(10, 0, 50, 1));
	ck_assert_uint_eq(v[0].data, 0xffffffffu);
	ck_assert_uint_eq(v[0].metric, 0);
	/* One point-to-point link per full neighbour, data our address;
	 * the 2-Way one (3.3.3.3) has none. */
	ck_assert_uint_eq(v[1].type, OSPF_LINK_P2P);
	ck_assert_uint_eq(v[1].id, IP(2, 2, 2, 2));
	ck_assert_uint_eq(v[1].data, IP(10, 0, 50, 1));
	ck_assert_uint_eq(v[1].metric, 15);
	ck_assert_uint_eq(v[2].type, OSPF_LINK_P2P);
	ck_assert_uint_eq(v[2].id, IP(4, 4, 4, 4));
	ck_assert_uint_eq(v[2].data, IP(10, 0, 50, 1));
	ck_assert_uint_eq(v[2].metric, 15);
	/* A neighbour we help through a graceful restart counts as full. */
	nbrs[1].gr.helping = true;
	ck_assert_uint_eq(ospf_p2mp_links(&ifp, v), 4);
	ck_assert_uint_eq(v[2].id, IP(3, 3, 3, 3));
	/* Alone: the host stub only. */
	setup_iface(OSPF_NET_P2MP, st, 0);
	ck_assert_uint_eq(ospf_p2mp_links(&ifp, v), 1);
}
END_TEST

START_TEST(test_types)
{
	setup_iface(OSPF_NET_BROADCAST, NULL, 0);
	ck_assert(ospf_iface_elects(&ifp) && !ospf_iface_nonbcast(&ifp));
	ck_assert_str_eq(ospf_net_type_name(&ifp), "BROADCAST");
	ifp.type = OSPF_NET_NBMA;
	ck_assert(ospf_iface_elects(&ifp) && ospf_iface_nonbcast(&ifp));
	ck_assert_str_eq(ospf_net_type_name(&ifp), "NBMA");
	ifp.type = OSPF_NET_P2MP;
	ck_assert(!ospf_iface_elects(&ifp) && !ospf_iface_nonbcast(&ifp));
	ck_assert_str_eq(ospf_net_type_name(&ifp), "POINTOMULTIPOINT");
	ifp.p2mp_nb = true;
	ck_assert(!ospf_iface_elects(&ifp) && ospf_iface_nonbcast(&ifp));
	ck_assert_str_eq(ospf_net_type_name(&ifp),
			 "POINTOMULTIPOINT NON-BROADCAST");
	ifp.type = OSPF_NET_P2P;
	ck_assert(!ospf_iface_elects(&ifp) && !ospf_iface_nonbcast(&ifp));
}
END_TEST

START_TEST(test_greets)
{
	static const enum ospf_nbr_state st[] = {
		NBR_STA_2WAY, NBR_STA_2WAY,
	};

	setup_iface(OSPF_NET_NBMA, st, 2);
	nbrs[0].priority = 1;		/* 2.2.2.2, eligible */
	nbrs[1].priority = 0;		/* 3.3.3.3, not */
	/* We are eligible, DROther: the eligible only, configured
	 * priority until a hello says. */
	ifp.priority = 1;
	ifp.state = IF_STA_DROTHER;
	ck_assert(ospf_nbma_greets(&ifp, &nbrs[0], 0));
	ck_assert(!ospf_nbma_greets(&ifp, &nbrs[1], 5));
	ck_assert(ospf_nbma_greets(&ifp, NULL, 5));
	ck_assert(!ospf_nbma_greets(&ifp, NULL, 0));
	/* DR or BDR: everybody. */
	ifp.state = IF_STA_BACKUP;
	ck_assert(ospf_nbma_greets(&ifp, &nbrs[1], 0));
	ck_assert(ospf_nbma_greets(&ifp, NULL, 0));
	/* Ineligible: the DR and BDR only. */
	ifp.priority = 0;
	ifp.state = IF_STA_DROTHER;
	ifp.dr = nbrs[1].addr;
	ck_assert(!ospf_nbma_greets(&ifp, &nbrs[0], 1));
	ck_assert(ospf_nbma_greets(&ifp, &nbrs[1], 0));
	ck_assert(!ospf_nbma_greets(&ifp, NULL, 1));
	/* Point-to-multipoint non-broadcast: all. */
	ifp.type = OSPF_NET_P2MP;
	ifp.p2mp_nb = true;
	ck_assert(ospf_nbma_greets(&ifp, &nbrs[0], 0));
	ck_assert(ospf_nbma_greets(&ifp, NULL, 0));
}
END_TEST

/* The state `show ip ospf interface json` gives configured neighbour i. */
static const char *
nbma_state(size_t i)
{
	static char buf[32];
	json_object *o = json_object_new_object(), *a, *s;

	ospf_nbma_iface_json(&ifp, o);
	a = json_object_object_get(o, "nbmaNeighbors");
	s = json_object_object_get(json_object_array_get_idx(a, i), "state");
	snprintf(buf, sizeof(buf), "%s", json_object_get_string(s));
	json_object_put(o);
	return buf;
}

START_TEST(test_iface_conf)
{
	struct ospf_conf *c = ospf_conf_parse(
		"router ospf\n"
		" neighbor 10.0.50.2 priority 5 poll-interval 30\n"
		" neighbor 10.0.60.2\n"
		" neighbor 10.0.50.1\n"
		" neighbor 10.0.50.3\n"
		" neighbor 10.0.50.9\n"
		" no neighbor 10.0.50.9\n", "t.conf");

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_nbma, 4);
	/* Broadcast: none taken. */
	setup_iface(OSPF_NET_BROADCAST, NULL, 0);
	ospf_nbma_iface_conf(&ifp, c);
	ck_assert_uint_eq(ifp.n_nbma, 0);
	/* NBMA: those on the subnet, not our own address. */
	ifp.type = OSPF_NET_NBMA;
	ospf_nbma_iface_conf(&ifp, c);
	ck_assert_uint_eq(ifp.n_nbma, 2);
	ck_assert_uint_eq(ifp.nbma[0].addr, IP(10, 0, 50, 2));
	ck_assert_uint_eq(ifp.nbma[0].priority, 5);
	ck_assert_uint_eq(ifp.nbma[0].poll, 30);
	ck_assert_uint_eq(ifp.nbma[1].addr, IP(10, 0, 50, 3));
	ck_assert_uint_eq(ifp.nbma[1].priority, OSPF_DEF_NBR_PRIORITY);
	ck_assert_uint_eq(ifp.nbma[1].poll, OSPF_DEF_POLL);
	/* A new configuration keeps the polling phase of those kept. */
	ifp.nbma[1].last_hello = 42;
	ospf_nbma_iface_conf(&ifp, c);
	ck_assert(ifp.nbma[1].last_hello == 42);
	ck_assert(ifp.nbma[0].last_hello == 0);
	/* Up: both in Attempt for a RouterDeadInterval (§10.3), then Down
	 * (no hello from either: no neighbour structure). */
	ifp.dead_interval = 40;
	ospf_nbma_iface_up(&ifp);
	ck_assert(ifp.nbma[1].last_hello == 0);
	ck_assert(ifp.nbma[0].attempt_until > ospf_now() + 39);
	ck_assert_str_eq(nbma_state(0), "Attempt");
	ifp.nbma[0].attempt_until = 0;
	ck_assert_str_eq(nbma_state(0), "Down");
	ck_assert_str_eq(nbma_state(1), "Attempt");
	ospf_nbma_iface_free(&ifp);
	ck_assert_ptr_null(ifp.nbma);
	ospf_conf_free(c);
	ck_assert_uint_eq(MT_OSPF_IFACE->live, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_nbma");
	TCase *tc = tcase_create("nbma");

	tcase_add_test(tc, test_p2mp_links);
	tcase_add_test(tc, test_types);
	tcase_add_test(tc, test_greets);
	tcase_add_test(tc, test_iface_conf);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
