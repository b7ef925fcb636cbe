/*
 * Unit tests for daemons/ospfd/ospf_conf.c: ospfd's lines of an
 * FRR-syntax file are taken, everyone else's skipped, errors name the
 * line, `no` forms reset, defaults are FRR's.
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "wp_check_conf.h"
#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_mgmt_text.h"
#include "wp_yang.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static const char *const full_conf =
	"hostname r1\n"
	"!\n"
	"interface lo\n"
	" ip address 10.255.0.1/32\n"
	" ip ospf area 0.0.0.0\n"
	"!\n"
	"interface eth1\n"
	" description uplink\n"
	" ip address 10.0.12.1/24\n"
	" ip ospf network point-to-point\n"
	" ip ospf hello-interval 1\n"
	" ip ospf dead-interval 4\n"
	" ip ospf cost 7\n"
	" ip ospf priority 0\n"
	" ip ospf retransmit-interval 2\n"
	" ip ospf transmit-delay 3\n"
	" ip ospf mtu-ignore\n"
	" ip ospf authentication\n"
	" ip ospf authentication-key s3cret\n"
	" ip ospf message-digest-key 1 md5 k1\n"
	" ip ospf message-digest-key 1 md5 k2\n"
	"!\n"
	"router bgp 65001\n"
	" neighbor 10.0.0.2 remote-as 65002\n"
	" network 10.9.0.0/16\n"
	"!\n"
	"ip route 10.99.0.0/16 10.0.12.2\n"
	"router ospf\n"
	" ospf router-id 10.255.0.1\n"
	" network 10.0.12.0/24 area 0\n"
	" network 10.1.0.0/16 area 0.0.0.1\n"
	" network 10.2.0.0/16 area 4294967295\n"
	" passive-interface eth9\n"
	" timers throttle spf 10 100 1000\n"
	" timers throttle lsa all 200\n"
	" timers lsa min-arrival 300\n"
	" auto-cost reference-bandwidth 1000\n"
	" maximum-paths 4\n"
	" distance 90\n"
	" log-adjacency-changes detail\n"
	" area 1 authentication message-digest\n"
	" redistribute connected\n"
	"exit\n";

START_TEST(test_full)
{
	struct ospf_conf *c = ospf_conf_parse(full_conf, "t.conf");
	const struct ospf_if_conf *ic;

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert(c->redist[OSPF_REDIST_CONNECTED].on);
	ck_assert_uint_eq(c->redist[OSPF_REDIST_CONNECTED].metric_type, 2);
	ck_assert(!c->redist[OSPF_REDIST_STATIC].on);
	ck_assert(c->enabled);
	ck_assert(c->router_id_set);
	ck_assert_uint_eq(c->router_id, IP(10, 255, 0, 1));
	ck_assert_uint_eq(c->n_networks, 3);
	ck_assert_uint_eq(c->networks[0].area, 0);
	ck_assert_uint_eq(c->networks[1].area, 1);
	ck_assert_uint_eq(c->networks[2].area, 0xffffffffu);
	ck_assert_uint_eq(c->networks[1].p.len, 16);
	ck_assert_uint_eq(c->spf_delay, 10);
	ck_assert_uint_eq(c->spf_hold, 100);
	ck_assert_uint_eq(c->spf_max, 1000);
	ck_assert_uint_eq(c->lsa_interval, 200);
	ck_assert_uint_eq(c->lsa_arrival, 300);
	ck_assert_uint_eq(c->ref_bw, 1000);
	ck_assert_uint_eq(c->max_paths, 4);
	ck_assert_uint_eq(c->distance, 90);
	ck_assert(c->log_adj && c->log_adj_detail);
	ck_assert_int_eq(ospf_conf_area(c, 1)->auth_type, OSPF_AUTH_CRYPT);
	ck_assert_int_eq(ospf_conf_area(c, 0)->auth_type, -1);

	ic = ospf_conf_iface(c, "lo");
	ck_assert(ic && ic->area_set && ic->area == 0);
	ic = ospf_conf_iface(c, "eth1");
	ck_assert_ptr_nonnull(ic);
	ck_assert(!ic->area_set);
	ck_assert_int_eq(ic->network, OSPF_NET_P2P);
	ck_assert_uint_eq(ic->hello, 1);
	ck_assert_uint_eq(ic->dead, 4);
	ck_assert_uint_eq(ic->cost, 7);
	ck_assert(ic->priority_set);
	ck_assert_uint_eq(ic->priority, 0);
	ck_assert_uint_eq(ic->rxmt, 2);
	ck_assert_uint_eq(ic->transdelay, 3);
	ck_assert(ic->mtu_ignore);
	ck_assert_int_eq(ic->auth_type, OSPF_AUTH_SIMPLE);
	ck_assert_str_eq(ic->auth_key, "s3cret");
	ck_assert_uint_eq(ic->n_md5, 1);		/* replaced, not added */
	ck_assert_str_eq(ic->md5[0].key, "k2");
	ck_assert(ospf_conf_passive(c, "eth9"));
	ck_assert(!ospf_conf_passive(c, "eth1"));
	/* BGP's network line did not become ours. */
	for (unsigned int i = 0; i < c->n_networks; i++)
		ck_assert_uint_ne(c->networks[i].p.u.bytes[1], 9);
	ospf_conf_free(c);
	ck_assert_uint_eq(MT_OSPF_CONF->live, 0);
}
END_TEST

START_TEST(test_defaults_and_no)
{
	struct ospf_conf *c = ospf_conf_parse(
		"interface eth1\n"
		" ip ospf cost 5\n"
		" ip ospf hello-interval 3\n"
		" no ip ospf cost\n"
		" ip ospf passive\n"
		"router ospf\n"
		" passive-interface default\n"
		" no passive-interface eth2\n", "t.conf");
	const struct ospf_if_conf *ic = ospf_conf_iface(c, "eth1");

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert(c->enabled && !c->router_id_set);
	ck_assert_uint_eq(ic->cost, 0);
	ck_assert_uint_eq(ic->hello, 3);
	ck_assert(ospf_conf_passive(c, "eth1"));
	ck_assert(ospf_conf_passive(c, "eth3"));
	ck_assert(!ospf_conf_passive(c, "eth2"));
	ck_assert_uint_eq(c->spf_hold, OSPF_DEF_SPF_HOLD);
	ck_assert_uint_eq(c->lsa_interval, OSPF_DEF_LSA_INTERVAL);
	ck_assert_uint_eq(c->lsa_arrival, OSPF_DEF_LSA_ARRIVAL);
	ck_assert_uint_eq(c->max_paths, OSPF_DEF_MAX_PATHS);
	ck_assert_uint_eq(c->distance, OSPF_DEF_DISTANCE);
	ospf_conf_free(c);
	/* Nothing of ours: not enabled. */
	c = ospf_conf_parse("router bgp 1\n network 10.0.0.0/8 area 0\n",
			    "t.conf");
	ck_assert(!c->enabled);
	ck_assert_uint_eq(c->n_networks, 0);
	ck_assert_uint_eq(c->n_errors, 0);
	ospf_conf_free(c);
}
END_TEST

START_TEST(test_errors)
{
	static const char *const bad[] = {
		"interface eth1\n ip ospf cost 0\n",
		"interface eth1\n ip ospf cost 65536\n",
		"interface eth1\n ip ospf cost x\n",
		"interface eth1\n ip ospf priority 256\n",
		"interface eth1\n ip ospf hello-interval\n",
		"interface eth1\n ip ospf network point-to-point x\n",
		"interface eth1\n ip ospf network point-to-multipoint x\n",
		"router ospf\n neighbor 10.0.0.300\n",
		"router ospf\n neighbor 10.0.0.2 priority 256\n",
		"router ospf\n neighbor 10.0.0.2 poll-interval 0\n",
		"router ospf\n neighbor 10.0.0.2 cost 5\n",
		"interface eth1\n ip ospf network bus\n",
		"interface eth1\n ip ospf area 1.2.3\n",
		"interface eth1\n ip ospf authentication-key 123456789\n",
		"interface eth1\n ip ospf message-digest-key 0 md5 k\n",
		"interface eth1\n ip ospf message-digest-key 1 sha k\n",
		"interface eth1\n ip ospf frobnicate\n",
		"interface eth1\n ip ospf bfd 3 300 300\n",
		"interface eth1\n ip ospf bfd profile\n",
		"interface eth1\n ip ospf bfd profile a b\n",
		"router ospf\n network 10.0.0.0/33 area 0\n",
		"router ospf\n network 10.0.0.0/8\n",
		"router ospf\n network 10.0.0.0/8 area x\n",
		"router ospf\n ospf router-id 0.0.0.0\n",
		"router ospf\n router-id 300.1.1.1\n",
		"router ospf\n timers throttle spf 1 2\n",
		"router ospf\n timers throttle lsa all 5001\n",
		"router ospf\n maximum-paths 65\n",
		"router ospf\n distance 0\n",
		"router ospf\n distance 256\n",
		"router ospf\n distance\n",
		"router ospf 5\n",
		"router ospf vrf\n",
		"interface eth1 vrf\n",
		"interface eth1 table 10\n",
		"router ospf\n area 0 stub\n",
		"router ospf\n area 1 stub translate-always\n",
		"router ospf\n area 1 nssa frobnicate\n",
		"router ospf\n area 1 default-cost 16777216\n",
		"router ospf\n redistribute rip\n",
		"router ospf\n redistribute static metric 16777215\n",
		"router ospf\n redistribute static metric-type 3\n",
		"router ospf\n redistribute static route-map\n",
		"router ospf\n redistribute static always\n",
		"router ospf\n default-information originate tag 5\n",
		"router ospf\n area 1 range 10.0.0.0/33\n",
		"router ospf\n area 1 range 10.0.0.0/8 cost x\n",
		"router ospf\n area 1 range 10.0.0.0/8 summarize\n",
		"router ospf\n area 1 nssa range 10.0.0.0/33\n",
		"router ospf\n area 1 nssa range\n",
		"router ospf\n area 1 nssa range 10.0.0.0/8 advertise\n",
		"router ospf\n area 1 nssa range 10.0.0.0/8 cost 5 "
		"not-advertise\n",
		"router ospf\n area x stub\n",
		"router ospf\n area 1\n",
		"router ospf\n max-metric router-lsa\n",
		"router ospf\n max-metric router-lsa on-startup 4\n",
		"router ospf\n max-metric router-lsa on-startup 86401\n",
		"router ospf\n max-metric router-lsa on-shutdown 4\n",
		"router ospf\n max-metric router-lsa on-shutdown 101\n",
		"router ospf\n max-metric router-lsa forever\n",
		"router ospf\n max-metric summary-lsa\n",
		"router ospf\n graceful-restart grace-period 0\n",
		"router ospf\n graceful-restart grace-period 1801\n",
		"router ospf\n graceful-restart helper\n",
		"router ospf\n graceful-restart frobnicate\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ospf_conf *c = ospf_conf_parse(bad[i], "bad.conf");

		ck_assert_msg(c->n_errors == 1, "%s: %u errors", bad[i],
			      c->n_errors);
		ck_assert_msg(strncmp(c->first_error, "bad.conf:", 9) == 0,
			      "%s", c->first_error);
		ospf_conf_free(c);
	}
	/* The error names the line; the rest still applies. */
	{
		struct ospf_conf *c = ospf_conf_parse(
			"router ospf\n"
			" network 10.0.0.0/8 area 0\n"
			" maximum-paths 0\n"
			" network 10.1.0.0/16 area 1\n", "x.conf");

		ck_assert_uint_eq(c->n_errors, 1);
		ck_assert_str_eq(c->first_error, "x.conf:3: invalid "
				 "maximum-paths \"0\": expected (1-64)");
		ck_assert_uint_eq(c->n_networks, 2);
		ospf_conf_free(c);
	}
}
END_TEST

/* Graceful restart (RFC 3623): helper and restarting side, FRR's lines;
 * the finer helper lines are ignored, not errors. */
START_TEST(test_graceful_restart)
{
	struct ospf_conf *c;

	c = ospf_conf_parse("router ospf\n", "t.conf");
	ck_assert(!c->gr_helper && !c->gr_restart);
	ck_assert_uint_eq(c->gr_period, OSPF_GR_DEF_PERIOD);
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n graceful-restart helper enable\n"
			    " graceful-restart grace-period 60\n"
			    " graceful-restart helper planned-only\n",
			    "t.conf");
	ck_assert(c->gr_helper && c->gr_restart);
	ck_assert_uint_eq(c->gr_period, 60);
	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 1);
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n graceful-restart\n"
			    " graceful-restart helper enable\n"
			    " no graceful-restart helper enable\n", "t.conf");
	ck_assert(!c->gr_helper && c->gr_restart);
	ck_assert_uint_eq(c->gr_period, OSPF_GR_DEF_PERIOD);
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n graceful-restart grace-period 9\n"
			    " no graceful-restart\n", "t.conf");
	ck_assert(!c->gr_restart);
	ospf_conf_free(c);
}
END_TEST

/* max-metric router-lsa (RFC 6987): FRR's lines add up; no takes one. */
START_TEST(test_max_metric)
{
	struct ospf_conf *c = ospf_conf_parse(
		"router ospf\n"
		" max-metric router-lsa administrative\n"
		" max-metric router-lsa on-startup 300\n"
		" max-metric router-lsa on-shutdown 30\n", "m.conf");

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert(c->max_metric_admin);
	ck_assert_uint_eq(c->max_metric_startup, 300);
	ck_assert_uint_eq(c->max_metric_shutdown, 30);
	ospf_conf_free(c);
	c = ospf_conf_parse(
		"router ospf\n"
		" max-metric router-lsa on-shutdown 30 administrative\n"
		" no max-metric router-lsa on-shutdown\n", "m.conf");
	ck_assert(c->max_metric_admin);
	ck_assert_uint_eq(c->max_metric_shutdown, 0);
	ospf_conf_free(c);
	c = ospf_conf_parse(
		"router ospf\n"
		" max-metric router-lsa on-startup 300 administrative\n"
		" no max-metric router-lsa administrative\n", "m.conf");
	ck_assert(!c->max_metric_admin);
	ck_assert_uint_eq(c->max_metric_startup, 300);
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n max-metric router-lsa forever\n",
			    "m.conf");
	ck_assert_str_eq(c->first_error, "m.conf:2: unknown word \"forever\" "
			 "after max-metric router-lsa");
	ospf_conf_free(c);
}
END_TEST

/* ip ospf bfd [profile NAME] (RFC 5882 §4.2), and its no form. */
START_TEST(test_bfd)
{
	struct ospf_conf *c = ospf_conf_parse(
		"interface eth1\n"
		" ip ospf bfd\n"
		"interface eth2\n"
		" ip ospf bfd profile fast\n"
		"interface eth3\n"
		" ip ospf bfd profile fast\n"
		" ip ospf bfd\n"
		"interface eth4\n"
		" ip ospf bfd profile fast\n"
		" no ip ospf bfd\n"
		"interface eth6\n"
		" ip ospf bfd profile fast\n"
		" no ip ospf bfd profile fast\n"
		"interface eth5\n"
		" ip ospf bfd profile "
		"0123456789012345678901234567890123456789012345678901234567890"
		"12345\n", "b.conf");
	const struct ospf_if_conf *ic;

	ck_assert_uint_eq(c->n_errors, 1);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert_str_eq(c->first_error, "b.conf:15: invalid bfd profile "
			 "\"0123456789012345678901234567890123456789012345678"
			 "90123456789012345\": 1 to 64 characters");
	ic = ospf_conf_iface(c, "eth1");
	ck_assert(ic->bfd);
	ck_assert_str_eq(ic->bfd_profile, "");
	ic = ospf_conf_iface(c, "eth2");
	ck_assert(ic->bfd);
	ck_assert_str_eq(ic->bfd_profile, "fast");
	ic = ospf_conf_iface(c, "eth3");
	ck_assert(ic->bfd);
	ck_assert_str_eq(ic->bfd_profile, "");
	ic = ospf_conf_iface(c, "eth4");
	ck_assert(!ic->bfd);
	ck_assert(!ospf_conf_iface(c, "eth5")->bfd);
	ic = ospf_conf_iface(c, "eth6");
	ck_assert(ic->bfd);
	ck_assert_str_eq(ic->bfd_profile, "");
	ospf_conf_free(c);
	/* FRR's old timers form: the error names the word. */
	c = ospf_conf_parse("interface eth1\n ip ospf bfd 3 300 300\n",
			    "b.conf");
	ck_assert_str_eq(c->first_error, "b.conf:2: unknown word \"3\" "
			 "after ip ospf bfd: expected profile NAME");
	ck_assert(!ospf_conf_iface(c, "eth1")->bfd);
	ospf_conf_free(c);
}
END_TEST

START_TEST(test_vlink)
{
	struct ospf_conf *c = ospf_conf_parse(
		"router ospf\n"
		" area 1 virtual-link 2.2.2.2\n"
		" area 0.0.0.3 virtual-link 3.3.3.3 hello-interval 2 "
		"dead-interval 8\n"
		" area 1 virtual-link 2.2.2.2 hello-interval 5\n"
		" area 4 virtual-link 4.4.4.4 hello-interval 1 "
		"retransmit-interval 6 transmit-delay 2 dead-interval 4\n",
		"v.conf");

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_vlinks, 3);
	ck_assert_uint_eq(c->vlinks[0].transit, 1);
	ck_assert_uint_eq(c->vlinks[0].peer, 0x02020202);
	ck_assert_uint_eq(c->vlinks[0].hello, 5);
	ck_assert_uint_eq(c->vlinks[0].dead, 0);
	ck_assert_uint_eq(c->vlinks[1].transit, 3);
	ck_assert_uint_eq(c->vlinks[1].peer, 0x03030303);
	ck_assert_uint_eq(c->vlinks[1].hello, 2);
	ck_assert_uint_eq(c->vlinks[1].dead, 8);
	ck_assert_uint_eq(c->vlinks[1].rxmt, 0);
	/* As FRR writes it. */
	ck_assert_uint_eq(c->vlinks[2].hello, 1);
	ck_assert_uint_eq(c->vlinks[2].rxmt, 6);
	ck_assert_uint_eq(c->vlinks[2].transdelay, 2);
	ck_assert_uint_eq(c->vlinks[2].dead, 4);
	ospf_conf_free(c);
	/* Authentication lines add to the link, as FRR writes them. */
	c = ospf_conf_parse(
		"router ospf\n"
		" area 1 virtual-link 2.2.2.2 hello-interval 1 "
		"retransmit-interval 5 transmit-delay 1 dead-interval 4\n"
		" area 1 virtual-link 2.2.2.2 authentication message-digest\n"
		" area 1 virtual-link 2.2.2.2 message-digest-key 1 md5 abc\n"
		" area 1 virtual-link 2.2.2.2 message-digest-key 1 md5 "
		"01234567890123456\n"
		" area 1 virtual-link 3.3.3.3 authentication-key pw\n"
		" area 1 virtual-link 3.3.3.3 authentication key-chain K\n",
		"v.conf");
	ck_assert_uint_eq(c->n_vlinks, 2);
	ck_assert_uint_eq(c->vlinks[0].hello, 1);
	ck_assert_int_eq(c->vlinks[0].auth.auth_type, OSPF_AUTH_CRYPT);
	ck_assert_uint_eq(c->vlinks[0].auth.n_md5, 1);
	ck_assert_str_eq(c->vlinks[0].auth.md5[0].key, "abc");
	ck_assert_int_eq(c->vlinks[1].auth.auth_type, OSPF_AUTH_CRYPT);
	ck_assert_str_eq(c->vlinks[1].auth.key_chain, "K");
	ck_assert_str_eq(c->vlinks[1].auth.auth_key, "pw");
	ck_assert_uint_eq(c->n_errors, 1);
	ck_assert_str_eq(c->first_error, "v.conf:5: invalid message-digest-"
			 "key: expected md5 and a key of 1 to 16 characters");
	ospf_conf_free(c);
	/* Errors name the word. */
	c = ospf_conf_parse("router ospf\n area 0 virtual-link 2.2.2.2\n",
			    "b.conf");
	ck_assert_str_eq(c->first_error, "b.conf:2: the backbone cannot be a "
			 "transit area");
	ck_assert_uint_eq(c->n_vlinks, 0);
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n area 1 virtual-link 2.2.2\n",
			    "b.conf");
	ck_assert_str_eq(c->first_error, "b.conf:2: invalid virtual-link "
			 "router ID \"2.2.2\": expected A.B.C.D");
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n area 1 virtual-link 2.2.2.2 "
			    "hello-interval 0\n", "b.conf");
	ck_assert_uint_eq(c->n_errors, 1);
	ck_assert_uint_eq(c->n_vlinks, 0);
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n area 1 virtual-link 2.2.2.2 "
			    "priority 3\n", "b.conf");
	ck_assert_str_eq(c->first_error, "b.conf:2: unknown virtual-link "
			 "option \"priority\"");
	ospf_conf_free(c);
}
END_TEST

START_TEST(test_area_types)
{
	struct ospf_conf *c = ospf_conf_parse(
		"router ospf\n"
		" area 1 stub\n"
		" area 0.0.0.2 stub no-summary\n"
		" area 2 default-cost 20\n"
		" area 3 nssa\n"
		" area 4 nssa translate-always no-summary\n"
		" area 5 nssa default-information-originate translate-never\n"
		" area 1 range 10.1.0.0/16\n"
		" area 1 range 10.2.0.1/16 not-advertise\n"
		" area 1 range 10.3.0.0/16 cost 7\n"
		" area 1 range 10.3.0.0/16 advertise cost 8\n"
		" area 3 nssa range 10.20.0.0/16\n"
		" area 3 nssa range 10.30.1.0/16 not-advertise\n"
		" area 3 nssa range 10.40.0.0/16 cost 9\n"
		" area 6 shortcut default\n", "a.conf");
	const struct ospf_area_conf *a;

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 1);
	a = ospf_conf_area(c, 1);
	ck_assert_uint_eq(a->type, OSPF_AREA_STUB);
	ck_assert(!a->no_summary);
	ck_assert_uint_eq(a->n_ranges, 3);
	ck_assert_uint_eq(a->ranges[0].addr, 0x0a010000);
	ck_assert_uint_eq(a->ranges[0].mask, 0xffff0000);
	ck_assert(!a->ranges[0].not_advertise);
	ck_assert_uint_eq(a->ranges[1].addr, 0x0a020000);
	ck_assert(a->ranges[1].not_advertise);
	ck_assert(a->ranges[2].cost_set);
	ck_assert_uint_eq(a->ranges[2].cost, 8);
	a = ospf_conf_area(c, 2);
	ck_assert_uint_eq(a->type, OSPF_AREA_STUB);
	ck_assert(a->no_summary);
	ck_assert(a->default_cost_set);
	ck_assert_uint_eq(a->default_cost, 20);
	a = ospf_conf_area(c, 3);
	ck_assert_uint_eq(a->type, OSPF_AREA_NSSA);
	/* `nssa range` lines keep the area an NSSA (RFC 3101 §3.2). */
	ck_assert_uint_eq(a->n_ranges, 0);
	ck_assert_uint_eq(a->n_nssa_ranges, 3);
	ck_assert_uint_eq(a->nssa_ranges[0].addr, 0x0a140000);
	ck_assert(!a->nssa_ranges[0].not_advertise &&
		  !a->nssa_ranges[0].cost_set);
	ck_assert_uint_eq(a->nssa_ranges[1].addr, 0x0a1e0000);
	ck_assert(a->nssa_ranges[1].not_advertise);
	ck_assert(a->nssa_ranges[2].cost_set);
	ck_assert_uint_eq(a->nssa_ranges[2].cost, 9);
	ck_assert_uint_eq(a->nssa_role, OSPF_NSSA_CANDIDATE);
	ck_assert(!a->nssa_default);
	a = ospf_conf_area(c, 4);
	ck_assert_uint_eq(a->nssa_role, OSPF_NSSA_ALWAYS);
	ck_assert(a->no_summary);
	a = ospf_conf_area(c, 5);
	ck_assert_uint_eq(a->nssa_role, OSPF_NSSA_NEVER);
	ck_assert(a->nssa_default);
	ck_assert_uint_eq(ospf_area_options(ospf_conf_area(c, 1)), 0);
	ck_assert_uint_eq(ospf_area_options(ospf_conf_area(c, 3)),
			  OSPF_OPT_NP);
	ck_assert_uint_eq(ospf_area_options(NULL), OSPF_OPT_E);
	ospf_conf_free(c);
	/* The error names the word. */
	c = ospf_conf_parse("router ospf\n area 1 nssa no-summary bogus\n",
			    "b.conf");
	ck_assert_str_eq(c->first_error, "b.conf:2: unknown nssa option "
			 "\"bogus\"");
	ck_assert_uint_eq(ospf_conf_area(c, 1)->type, OSPF_AREA_NORMAL);
	ospf_conf_free(c);
}
END_TEST

START_TEST(test_area_parse)
{
	uint32_t a;

	ck_assert_int_eq(ospf_area_parse("0", &a), 0);
	ck_assert_uint_eq(a, 0);
	ck_assert_int_eq(ospf_area_parse("0.0.0.7", &a), 0);
	ck_assert_uint_eq(a, 7);
	ck_assert_int_eq(ospf_area_parse("258", &a), 0);
	ck_assert_uint_eq(a, 258);
	ck_assert_int_eq(ospf_area_parse("4294967296", &a), -1);
	ck_assert_int_eq(ospf_area_parse("-1", &a), -1);
	ck_assert_int_eq(ospf_area_parse("1.2.3.4.5", &a), -1);
	ck_assert_int_eq(ospf_area_parse("", &a), -1);
}
END_TEST

/*
 * Every ospfd setting the module models comes through mgmtd the same as
 * from a file: text -> YANG -> JSON (what mgmtd sends) -> text -> the
 * parser gives the configuration the text gives directly.
 */
static const char *const mgmt_conf =
	"interface lo\n"
	" ip ospf area 0.0.0.0\n"
	"!\n"
	"interface eth1\n"
	" ip ospf network point-to-point\n"
	" ip ospf hello-interval 1\n"
	" ip ospf dead-interval 4\n"
	" ip ospf cost 7\n"
	" ip ospf priority 0\n"
	" ip ospf retransmit-interval 2\n"
	" ip ospf transmit-delay 3\n"
	" ip ospf mtu-ignore\n"
	" ip ospf passive\n"
	" ip ospf authentication message-digest\n"
	" ip ospf authentication-key s3cret\n"
	" ip ospf message-digest-key 1 md5 k1\n"
	" ip ospf message-digest-key 2 md5 k2\n"
	" ip ospf bfd profile fast\n"
	"!\n"
	"interface eth2\n"
	" ip ospf authentication\n"
	" ip ospf bfd\n"
	"!\n"
	"interface eth3\n"
	" ip ospf network non-broadcast\n"
	"!\n"
	"interface eth4\n"
	" ip ospf network point-to-multipoint non-broadcast\n"
	"!\n"
	"interface eth5\n"
	" ip ospf network point-to-multipoint\n"
	"!\n"
	"router ospf\n"
	" ospf router-id 10.255.0.1\n"
	" neighbor 10.0.30.2 priority 5 poll-interval 30\n"
	" neighbor 10.0.30.3\n"
	" network 10.0.12.0/24 area 0\n"
	" network 10.1.0.0/16 area 0.0.0.1\n"
	" passive-interface eth9\n"
	" timers throttle spf 10 100 1000\n"
	" timers throttle lsa all 200\n"
	" timers lsa min-arrival 300\n"
	" auto-cost reference-bandwidth 1000\n"
	" maximum-paths 4\n"
	" log-adjacency-changes detail\n"
	" max-metric router-lsa administrative on-startup 600\n"
	" area 2 nssa\n"
	" area 2 nssa range 10.20.0.0/16\n"
	" area 2 nssa range 10.30.0.0/16 not-advertise\n"
	" area 2 nssa range 10.40.0.0/16 cost 9\n"
	"exit\n";

/* Two VRFs beside the default: each its own router ID, areas, networks,
 * redistribution and interfaces; key chains and policy in each. */
static const char vrf_conf[] =
	"key chain k1\n"
	" key 1\n"
	"  key-string s1\n"
	"exit\n"
	"ip prefix-list pl seq 5 permit 10.0.0.0/8 le 32\n"
	"route-map rm permit 10\n"
	" match ip address prefix-list pl\n"
	"exit\n"
	"interface eth1\n"
	" ip ospf cost 7\n"
	"exit\n"
	"interface eth2 vrf red\n"
	" ip ospf area 0.0.0.2\n"
	" ip ospf hello-interval 1\n"
	"exit\n"
	"interface eth3 vrf blue\n"
	" ip ospf cost 30\n"
	"exit\n"
	"router ospf\n"
	" ospf router-id 1.1.1.1\n"
	" network 10.0.12.0/24 area 0\n"
	" redistribute static\n"
	"exit\n"
	"router ospf vrf red\n"
	" ospf router-id 1.1.1.1\n"
	" network 10.0.23.0/24 area 0.0.0.1\n"
	" redistribute connected route-map rm\n"
	" area 1 stub\n"
	" frobnicate\n"
	"exit\n"
	"router ospf vrf blue\n"
	" ospf router-id 3.3.3.3\n"
	" max-metric router-lsa administrative\n"
	"exit\n"
	"router ospf vrf red\n"
	" network 10.0.99.0/24 area 0\n"
	"exit\n";

START_TEST(test_vrf)
{
	struct ospf_conf *c = ospf_conf_parse(vrf_conf, "v.conf");
	struct ospf_conf *red = ospf_conf_vrf(c, "red");
	struct ospf_conf *blue = ospf_conf_vrf(c, "blue");
	const char *first;

	ck_assert_ptr_eq(ospf_conf_vrf(c, "default"), c);
	ck_assert_ptr_eq(ospf_conf_vrf(c, ""), c);
	ck_assert_ptr_null(ospf_conf_vrf(c, "green"));
	ck_assert_ptr_nonnull(red);
	ck_assert_ptr_nonnull(blue);
	ck_assert_str_eq(c->vrf, "");
	ck_assert_str_eq(red->vrf, "red");
	/* Default VRF: its stanza only. */
	ck_assert(c->enabled);
	ck_assert_uint_eq(c->router_id, 0x01010101);
	ck_assert_uint_eq(c->n_networks, 1);
	ck_assert(c->redist[OSPF_REDIST_STATIC].on);
	ck_assert(!c->redist[OSPF_REDIST_CONNECTED].on);
	ck_assert_ptr_null(ospf_conf_area(c, 1));
	ck_assert(!c->max_metric_admin);
	ck_assert_ptr_nonnull(ospf_conf_iface(c, "eth1"));
	ck_assert_ptr_null(ospf_conf_iface(c, "eth2"));
	ck_assert_ptr_null(ospf_conf_iface(c, "eth3"));
	/* red: the same router ID is allowed; its two stanzas merge. */
	ck_assert(red->enabled);
	ck_assert_uint_eq(red->router_id, 0x01010101);
	ck_assert_uint_eq(red->n_networks, 2);
	ck_assert_uint_eq(red->networks[0].area, 1);
	ck_assert(red->redist[OSPF_REDIST_CONNECTED].on);
	ck_assert_str_eq(red->redist[OSPF_REDIST_CONNECTED].rmap, "rm");
	ck_assert(!red->redist[OSPF_REDIST_STATIC].on);
	ck_assert_ptr_nonnull(ospf_conf_area(red, 1));
	ck_assert_uint_eq(red->n_ignored, 1);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert_ptr_nonnull(ospf_conf_iface(red, "eth1"));
	ck_assert(ospf_conf_iface(red, "eth2")->area_set);
	ck_assert_uint_eq(ospf_conf_iface(red, "eth2")->hello, 1);
	ck_assert_ptr_null(ospf_conf_iface(red, "eth3"));
	/* Each has its own copy of the shared stanzas. */
	ck_assert_ptr_nonnull(wp_keychain_find(&red->keychains, "k1"));
	ck_assert_ptr_nonnull(wp_keychain_find(&c->keychains, "k1"));
	ck_assert_ptr_ne(&red->policy, &c->policy);
	/* blue */
	ck_assert_uint_eq(blue->router_id, 0x03030303);
	ck_assert(blue->max_metric_admin);
	ck_assert_uint_eq(blue->n_networks, 0);
	ck_assert_uint_eq(ospf_conf_iface(blue, "eth3")->cost, 30);
	ck_assert_uint_eq(ospf_conf_errors(c, &first), 0);
	ospf_conf_free(c);

	/* An error inside a VRF's stanza is that VRF's, reported once. */
	c = ospf_conf_parse("router ospf\nexit\nrouter ospf vrf red\n"
			    " network 10.0.0.0/33 area 0\nexit\n", "e.conf");
	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(ospf_conf_vrf(c, "red")->n_errors, 1);
	ck_assert_uint_eq(ospf_conf_errors(c, &first), 1);
	ck_assert(strstr(first, "e.conf:4") != NULL);
	ospf_conf_free(c);

	/* A global error is the default pass's only. */
	c = ospf_conf_parse("interface eth1\n ip ospf cost x\nexit\n"
			    "router ospf vrf red\nexit\n", "g.conf");
	ck_assert_uint_eq(c->n_errors, 1);
	ck_assert_uint_eq(ospf_conf_vrf(c, "red")->n_errors, 0);
	ck_assert(!c->enabled);
	ck_assert(ospf_conf_vrf(c, "red")->enabled);
	ospf_conf_free(c);
}
END_TEST

START_TEST(test_from_mgmtd)
{
	struct ospf_conf *direct = ospf_conf_parse(mgmt_conf, "t.conf"), *c;
	struct lyd_node *tree = NULL;
	struct ly_ctx *ctx = NULL;
	struct wp_cli *cli;
	char *yerr = NULL, *json, err[256];

	ck_assert_uint_eq(direct->n_errors, 0);
	ck_assert_msg(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx,
				      &yerr) == 0, "%s", yerr);
	cli = wp_cli_new(ctx, &yerr);
	ck_assert_msg(cli != NULL, "%s", yerr);
	ck_assert_msg(wp_cli_load_text(cli, mgmt_conf, "t.conf", &tree,
				       &yerr) == 0, "%s", yerr);
	json = wp_yang_print(tree, LYD_JSON);
	c = wp_mgmt_text_parse_json(cli, json, ospf_mgmt_cbs(NULL), err,
				    sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert_uint_eq(c->n_ignored, 0);
	ck_assert(c->enabled && c->router_id_set);
	ck_assert_uint_eq(c->router_id, direct->router_id);
	ck_assert_uint_eq(c->n_networks, direct->n_networks);
	for (unsigned int i = 0; i < c->n_networks; i++) {
		ck_assert(wp_prefix_cmp(&c->networks[i].p,
					&direct->networks[i].p) == 0);
		ck_assert_uint_eq(c->networks[i].area,
				  direct->networks[i].area);
	}
	ck_assert_uint_eq(c->n_passive, 1);
	ck_assert_str_eq(c->passive[0], "eth9");
	ck_assert_uint_eq(c->n_ifaces, direct->n_ifaces);
	for (unsigned int i = 0; i < direct->n_ifaces; i++) {
		const struct ospf_if_conf *want = &direct->ifaces[i];
		const struct ospf_if_conf *got = ospf_conf_iface(c, want->name);

		ck_assert_msg(got != NULL, "interface %s lost", want->name);
		ck_assert_msg(memcmp(got, want, sizeof(*got)) == 0,
			      "interface %s differs", want->name);
	}
	ck_assert_uint_eq(c->spf_delay, 10);
	ck_assert_uint_eq(c->spf_hold, 100);
	ck_assert_uint_eq(c->spf_max, 1000);
	ck_assert_uint_eq(c->lsa_interval, 200);
	ck_assert_uint_eq(c->lsa_arrival, 300);
	ck_assert_uint_eq(c->ref_bw, 1000);
	ck_assert_uint_eq(c->max_paths, 4);
	ck_assert(c->log_adj && c->log_adj_detail);
	ck_assert(c->max_metric_admin);
	ck_assert_uint_eq(c->max_metric_startup, 600);
	ck_assert_uint_eq(c->n_nbma, 2);
	ck_assert_mem_eq(c->nbma, direct->nbma, 2 * sizeof(*c->nbma));
	ck_assert_uint_eq(c->nbma[0].priority, 5);
	ck_assert_uint_eq(c->nbma[0].poll, 30);
	ck_assert_uint_eq(c->nbma[1].priority, OSPF_DEF_NBR_PRIORITY);
	ck_assert_uint_eq(c->nbma[1].poll, OSPF_DEF_POLL);
	ck_assert_int_eq(ospf_conf_iface(c, "eth3")->network, OSPF_NET_NBMA);
	ck_assert_int_eq(ospf_conf_iface(c, "eth4")->network, OSPF_NET_P2MP);
	ck_assert(ospf_conf_iface(c, "eth4")->p2mp_nb);
	ck_assert(!ospf_conf_iface(c, "eth5")->p2mp_nb);
	{
		const struct ospf_area_conf *want = ospf_conf_area(direct, 2);
		const struct ospf_area_conf *got = ospf_conf_area(c, 2);

		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(got->type, OSPF_AREA_NSSA);
		ck_assert_uint_eq(got->n_nssa_ranges, 3);
		ck_assert_uint_eq(want->n_nssa_ranges, 3);
		for (unsigned int i = 0; i < 3; i++) {
			const struct ospf_range_conf *x = &got->nssa_ranges[i];
			const struct ospf_range_conf *y = &want->nssa_ranges[i];

			ck_assert_uint_eq(x->addr, y->addr);
			ck_assert_uint_eq(x->mask, y->mask);
			ck_assert_int_eq(x->not_advertise, y->not_advertise);
			ck_assert_int_eq(x->cost_set, y->cost_set);
			ck_assert_uint_eq(x->cost, y->cost);
		}
	}
	ospf_conf_free(c);

	/* What the module allows and ospfd refuses names the command. */
	c = wp_mgmt_text_parse_json(cli, "{\"waypoint-ospf:ospf\":"
		"{\"neighbor\":[{\"address\":\"0.0.0.0\"}]}}",
		ospf_mgmt_cbs(NULL), err, sizeof(err));
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, "(in 'neighbor 0.0.0.0')") != NULL, "%s",
		      err);

	wp_free(MT_STRING, json);
	lyd_free_all(tree);
	ospf_conf_free(direct);
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

/* router ospf vrf NAME through mgmtd (tests/config/ospf-vrf.conf): its
 * JSON rendered back reaches each VRF's configuration as a file would. */
START_TEST(test_vrf_from_mgmtd)
{
	struct ospf_conf *c, *red, *blue;
	struct ly_ctx *ctx = NULL;
	struct wp_cli *cli;
	char *yerr = NULL, *json, err[256];

	ck_assert_msg(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx,
				      &yerr) == 0, "%s", yerr);
	cli = wp_cli_new(ctx, &yerr);
	ck_assert_msg(cli != NULL, "%s", yerr);
	json = wp_check_conf_json(cli, TOP_SRCDIR, "ospf-vrf.conf");
	ck_assert(strstr(json, "ospf-vrf") != NULL);
	c = wp_mgmt_text_parse_json(cli, json, ospf_mgmt_cbs(NULL), err,
				    sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	red = ospf_conf_vrf(c, "red");
	blue = ospf_conf_vrf(c, "blue");
	ck_assert(c->enabled && red && blue);
	ck_assert(red->enabled && blue->enabled);
	ck_assert_uint_eq(red->router_id, 0x02020202);
	ck_assert_uint_eq(blue->router_id, 0x02020202);
	ck_assert_uint_eq(red->n_networks, 1);
	ck_assert(red->redist[OSPF_REDIST_CONNECTED].on);
	ck_assert_str_eq(red->redist[OSPF_REDIST_CONNECTED].rmap, "rm");
	ck_assert(!c->redist[OSPF_REDIST_CONNECTED].on);
	ck_assert(c->redist[OSPF_REDIST_STATIC].on);
	ck_assert(red->max_metric_admin && !c->max_metric_admin);
	ck_assert_ptr_nonnull(ospf_conf_area(red, 1));
	ck_assert_uint_eq(c->n_networks, 1);
	ck_assert_uint_eq(blue->n_networks, 0);
	ck_assert(ospf_conf_iface(red, "eth2")->area_set);
	ospf_conf_free(c);
	wp_free(MT_STRING, json);
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

START_TEST(test_key_chain)
{
	struct ospf_conf *c = ospf_conf_parse(
		"key chain OSPF\n"
		" key 1\n"
		"  key-string s3cret\n"
		"  cryptographic-algorithm hmac-sha-256\n"
		" exit\n"
		"exit\n"
		"interface eth0\n"
		" ip ospf authentication key-chain OSPF\n"
		"exit\n"
		"interface eth1\n"
		" ip ospf authentication key-chain OSPF\n"
		" no ip ospf authentication\n"
		"interface eth2\n"
		" ip ospf authentication key-chain OSPF\n"
		" ip ospf authentication message-digest\n"
		"router ospf\n"
		" network 10.0.0.0/8 area 0\n", "t.conf");
	const struct ospf_if_conf *ic;
	const struct wp_keychain *kc;

	ck_assert_msg(c->n_errors == 0, "%s", c->first_error);
	kc = wp_keychain_find(&c->keychains, "OSPF");
	ck_assert_ptr_nonnull(kc);
	ck_assert_uint_eq(kc->n_keys, 1);
	ck_assert_int_eq(kc->keys[0].algo, WP_KC_HMAC_SHA256);
	ic = ospf_conf_iface(c, "eth0");
	ck_assert_int_eq(ic->auth_type, OSPF_AUTH_CRYPT);
	ck_assert_str_eq(ic->key_chain, "OSPF");
	ic = ospf_conf_iface(c, "eth1");
	ck_assert_int_eq(ic->auth_type, -1);
	ck_assert_str_eq(ic->key_chain, "");
	ic = ospf_conf_iface(c, "eth2");
	ck_assert_int_eq(ic->auth_type, OSPF_AUTH_CRYPT);
	ck_assert_str_eq(ic->key_chain, "");
	ck_assert_uint_eq(c->n_networks, 1);
	ospf_conf_free(c);

	/* Errors name the word, in a key chain as elsewhere. */
	c = ospf_conf_parse("interface eth0\n ip ospf authentication "
			    "key-chain\n", "t.conf");
	ck_assert_uint_eq(c->n_errors, 1);
	ck_assert_msg(strstr(c->first_error, "t.conf:2: invalid key-chain") !=
		      NULL, "%s", c->first_error);
	ospf_conf_free(c);
	c = ospf_conf_parse("key chain K\n key 1\n  send-lifetime 00:00:00 "
			    "Jan 1 2026 sometime\n", "t.conf");
	ck_assert_uint_eq(c->n_errors, 1);
	ck_assert_msg(strstr(c->first_error, "t.conf:3: invalid lifetime end "
			     "\"sometime\"") != NULL, "%s", c->first_error);
	ospf_conf_free(c);
}
END_TEST

/* `area A authentication key-chain NAME`: the keys of the area's
 * interfaces (and for area 0 virtual links) that have message-digest
 * and no keys of their own. */
START_TEST(test_area_key_chain)
{
	struct ospf_conf *c = ospf_conf_parse(
		"interface eth1\n"
		" ip ospf authentication key-chain OWN\n"
		"interface eth2\n"
		" ip ospf message-digest-key 1 md5 abc\n"
		"interface eth3\n"
		" ip ospf authentication\n"
		"router ospf\n"
		" area 1 authentication key-chain AREA\n"
		" area 2 authentication key-chain AREA\n"
		" area 2 authentication message-digest\n"
		" area 0 authentication key-chain BB\n"
		" area 1 virtual-link 2.2.2.2\n"
		" area 1 virtual-link 3.3.3.3 authentication null\n", "a.conf");
	const struct ospf_area_conf *a1 = ospf_conf_area(c, 1);
	const struct ospf_area_conf *bb = ospf_conf_area(c, 0);
	const struct ospf_if_conf *ic;

	ck_assert_msg(c->n_errors == 0, "%s", c->first_error);
	ck_assert_int_eq(a1->auth_type, OSPF_AUTH_CRYPT);
	ck_assert_str_eq(a1->key_chain, "AREA");
	ck_assert_str_eq(ospf_conf_area(c, 2)->key_chain, "");
	/* An interface with nothing of its own: the area's. */
	ck_assert_str_eq(ospf_auth_key_chain(ospf_conf_iface(c, "eth0"), a1,
					     a1->auth_type), "AREA");
	/* Its own chain, its own MD5 keys, its own type win. */
	ic = ospf_conf_iface(c, "eth1");
	ck_assert_str_eq(ospf_auth_key_chain(ic, a1, ic->auth_type), "OWN");
	ic = ospf_conf_iface(c, "eth2");
	ck_assert_str_eq(ospf_auth_key_chain(ic, a1, a1->auth_type), "");
	ic = ospf_conf_iface(c, "eth3");
	ck_assert_str_eq(ospf_auth_key_chain(ic, a1, ic->auth_type), "");
	/* Virtual links: the backbone's, unless their own type. */
	ck_assert_str_eq(ospf_auth_key_chain(&c->vlinks[0].auth, bb,
					     bb->auth_type), "BB");
	ck_assert_str_eq(ospf_auth_key_chain(&c->vlinks[1].auth, bb,
					     c->vlinks[1].auth.auth_type), "");
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n area 1 authentication key-chain\n",
			    "a.conf");
	ck_assert_str_eq(c->first_error, "a.conf:2: invalid key-chain \"\": "
			 "expected one name of 1 to 64 characters");
	ospf_conf_free(c);
	c = ospf_conf_parse("router ospf\n area 1 authentication md5\n",
			    "a.conf");
	ck_assert_str_eq(c->first_error, "a.conf:2: invalid authentication "
			 "\"md5\": expected message-digest or key-chain");
	ospf_conf_free(c);
}
END_TEST

/*
 * ospfd shares waypoint-routing with ribd for the key chains: whatever
 * else that module holds renders into lines ospfd skips, so a commit
 * ribd takes is never refused here.  The tree is each round-trip file
 * of tests/config whole, more than mgmtd sends ospfd.
 */
START_TEST(test_shared_modules)
{
	static const char *const files[] = {
		"static.conf", "policy.conf", "keychain.conf", "daemons.conf",
		"ospf-areas.conf",
	};
	struct ly_ctx *ctx = NULL;
	struct wp_cli *cli;
	char *yerr = NULL, err[256];

	ck_assert_msg(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx,
				      &yerr) == 0, "%s", yerr);
	cli = wp_cli_new(ctx, &yerr);
	ck_assert_msg(cli != NULL, "%s", yerr);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *json = wp_check_conf_json(cli, TOP_SRCDIR, files[i]);
		struct ospf_conf *c;

		c = wp_mgmt_text_parse_json(cli, json, ospf_mgmt_cbs(NULL),
					    err, sizeof(err));
		ck_assert_msg(c != NULL, "%s: %s", files[i], err);
		if (strcmp(files[i], "policy.conf") == 0) {
			const struct wp_rmap *rm = wp_rmap_find(&c->policy,
								"OSPF-OUT");

			ck_assert_uint_eq(c->policy.n_rmaps, 3);
			ck_assert_uint_eq(rm->v[0].onmatch, WP_RMAP_GOTO);
			ck_assert_uint_eq(rm->v[0].s_metric_op,
					  WP_RMAP_METRIC_ADD);
			ck_assert_str_eq(rm->v[1].call, "EXPORT");
			/* Both families of access list reach ospfd,
			 * beside the three prefix lists. */
			ck_assert_uint_eq(c->policy.n_flists, 5);
			ck_assert_uint_eq(wp_acl_find(&c->policy, AF_INET,
						      "MGMT")->n, 3);
			ck_assert(wp_acl_find(&c->policy, AF_INET6,
					      "MGMT6")->v[0].exact);
		}
		if (strcmp(files[i], "keychain.conf") == 0) {
			ck_assert_uint_eq(c->keychains.n, 2);
			ck_assert_str_eq(ospf_conf_iface(c, "eth0")->key_chain,
					 "OSPF");
		}
		ospf_conf_free(c);
		wp_free(MT_STRING, json);
	}
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

/*
 * Redistribution: options parsed, `no` forms; and what the origination
 * run wants from a table of redistributed routes (no ribd here: the
 * table is fed as ospf_rib.c would).
 */
START_TEST(test_redistribute)
{
	struct ospf_conf *c = ospf_conf_parse(
		"router ospf\n"
		" redistribute connected\n"
		" redistribute static metric 30 metric-type 1 tag 7\n"
		" redistribute kernel\n"
		" no redistribute kernel\n"
		" default-information originate metric 5\n", "t.conf");
	struct wp_loop *loop = wp_loop_new();
	struct ospf *ospf = ospf_new(loop);
	struct ospf_want_list wl = { 0 };
	struct wp_prefix p;
	char err[WP_PREFIX_ERRLEN];

	ck_assert_uint_eq(c->n_errors, 0);
	ck_assert(c->redist[OSPF_REDIST_STATIC].on);
	ck_assert_uint_eq(c->redist[OSPF_REDIST_STATIC].metric, 30);
	ck_assert_uint_eq(c->redist[OSPF_REDIST_STATIC].metric_type, 1);
	ck_assert_uint_eq(c->redist[OSPF_REDIST_STATIC].tag, 7);
	ck_assert(!c->redist[OSPF_REDIST_KERNEL].on);
	ck_assert(c->definfo.on && !c->definfo.always);
	ospf_apply_conf(ospf, c);

#define ADD(txt, src) do { \
		ck_assert_int_eq(wp_prefix_parse(txt, &p, err, sizeof(err)), 0); \
		ospf_redist_add(ospf, &p, src); \
	} while (0)
	ADD("10.1.0.0/16", "connected");
	ADD("192.0.2.0/24", "static");
	ADD("198.51.100.0/24", "kernel");	/* not redistributed */
	ADD("0.0.0.0/0", "bgp");		/* default: definfo only */
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 3);
	/* prefix order, the default last */
	ck_assert_uint_eq(wl.v[0].id, IP(10, 1, 0, 0));
	ck_assert_uint_eq(wl.v[0].mask, IP(255, 255, 0, 0));
	ck_assert_uint_eq(wl.v[0].metric, OSPF_DEF_REDIST_METRIC);
	ck_assert(wl.v[0].e2);
	ck_assert_uint_eq(wl.v[1].id, IP(192, 0, 2, 0));
	ck_assert_uint_eq(wl.v[1].metric, 30);
	ck_assert(!wl.v[1].e2);
	ck_assert_uint_eq(wl.v[1].tag, 7);
	ck_assert(!wl.v[1].p_bit);
	ck_assert_uint_eq(wl.v[2].id, IP(0, 0, 0, 0));
	ck_assert_uint_eq(wl.v[2].mask, 0);
	ck_assert_uint_eq(wl.v[2].metric, 5);
	ospf_want_free(&wl);

	/* The default goes with its route; a type-7 carries P. */
	ck_assert_int_eq(wp_prefix_parse("0.0.0.0/0", &p, err, sizeof(err)), 0);
	ospf_redist_del(ospf, &p);
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_NSSA, &wl), 2);
	ck_assert_uint_eq(wl.v[0].type, OSPF_LSA_NSSA);
	ck_assert(wl.v[0].p_bit);
	ospf_want_free(&wl);

	/* A dump after a reconnect that lacks a prefix drops it. */
	ospf_redist_reconnected(ospf);
	ADD("10.1.0.0/16", "connected");
	ospf_redist_dump_done(ospf, "connected");
	ospf_redist_dump_done(ospf, "static");
	ck_assert_uint_eq(ospf_redist_count(ospf), 2);	/* + kernel's */
	ck_assert_uint_eq(ospf_redist_wants(ospf, OSPF_LSA_EXTERNAL, &wl), 1);
	ospf_want_free(&wl);
#undef ADD
	ospf_free(ospf);
	wp_loop_free(loop);
}
END_TEST


int
main(void)
{
	Suite *s = suite_create("ospf_conf");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_defaults_and_no);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_area_parse);
	tcase_add_test(tc, test_from_mgmtd);
	tcase_add_test(tc, test_vrf);
	tcase_add_test(tc, test_vrf_from_mgmtd);
	tcase_add_test(tc, test_area_types);
	tcase_add_test(tc, test_vlink);
	tcase_add_test(tc, test_redistribute);
	tcase_add_test(tc, test_key_chain);
	tcase_add_test(tc, test_area_key_chain);
	tcase_add_test(tc, test_shared_modules);
	tcase_add_test(tc, test_bfd);
	tcase_add_test(tc, test_max_metric);
	tcase_add_test(tc, test_graceful_restart);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
