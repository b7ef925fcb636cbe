/*
 * Unit tests for daemons/netconfd/nc_oper.c: the daemons' show json (in
 * the shapes of doc/schema/) to YANG state nodes, what is left out when
 * a value does not fit, and which sources a subtree filter needs.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc_filter.h"
#include "nc_oper.h"
#include "wp_check.h"
#include "wp_yang.h"

#define IF_NS	"urn:waypoint:yang:waypoint-interface"
#define RT_NS	"urn:waypoint:yang:waypoint-routing"
#define OSPF_NS	"urn:waypoint:yang:waypoint-ospf"

static struct ly_ctx *ctx;
static struct lyd_node *tree;

static void
setup(void)
{
	char *err = NULL;

	if (wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	tree = NULL;
}

static void
teardown(void)
{
	lyd_free_all(tree);
	wp_yang_ctx_free(ctx);
}

static const struct ncd_oper_src *
src(const char *command)
{
	for (size_t i = 0; i < ncd_oper_nsrcs; i++)
		if (strcmp(ncd_oper_srcs[i].command, command) == 0)
			return &ncd_oper_srcs[i];
	ck_abort_msg("no source %s", command);
	return NULL;
}

/* Convert; the number of values left out. */
static size_t
conv(const char *command, const char *json)
{
	char err[256];
	size_t dropped;

	ck_assert_int_eq(ncd_oper_convert(ctx, src(command), json, &tree,
					  &dropped, err, sizeof(err)), 0);
	if (dropped)
		ck_assert_msg(err[0] != '\0', "no reason given");
	return dropped;
}

/* The tree as XML, validated first as <get> does; free(). */
static char *
xml(void)
{
	char *s = NULL;

	ck_assert_msg(lyd_validate_all(&tree, NULL, LYD_VALIDATE_PRESENT,
				       NULL) == LY_SUCCESS, "%s",
		      ly_errmsg(ctx));
	lyd_print_mem(&s, tree, LYD_XML, LYD_PRINT_WITHSIBLINGS |
		      LYD_PRINT_SHRINK | LYD_PRINT_WD_EXPLICIT);
	return s ? s : strdup("");
}

#define HAS(s, t)	ck_assert_msg(strstr((s), (t)) != NULL, \
				      "no \"%s\" in %s", (t), (s))
#define HASNT(s, t)	ck_assert_msg(strstr((s), (t)) == NULL, \
				      "\"%s\" in %s", (t), (s))

static const char ifs_json[] =
	"{\"interfaces\":["
	"{\"name\":\"eth0\",\"ifindex\":2,\"adminStatus\":\"up\","
	"\"operStatus\":\"down\",\"kind\":\"veth\",\"mtu\":1500,"
	"\"macAddress\":\"02:00:00:00:00:01\",\"linkUpDownCount\":3,"
	"\"addresses\":[\"10.0.0.1/24\",\"2001:db8::1/64\"]},"
	"{\"name\":\"lo\",\"ifindex\":1,\"adminStatus\":\"up\","
	"\"operStatus\":\"up\",\"kind\":\"loopback\",\"mtu\":65536,"
	"\"macAddress\":\"00:00:00:00:00:00\",\"linkUpDownCount\":0,"
	"\"addresses\":[]}]}";

START_TEST(test_interfaces)
{
	char *s;

	ck_assert_uint_eq(conv("show interface json", ifs_json), 0);
	s = xml();
	HAS(s, "<interfaces xmlns=\"" IF_NS "\"><interface><name>eth0</name>");
	HAS(s, "<if-index>2</if-index><kind>veth</kind>"
	    "<admin-status>up</admin-status><oper-status>down</oper-status>"
	    "<phys-address>02:00:00:00:00:01</phys-address>"
	    "<oper-mtu>1500</oper-mtu><link-up-down-count>3"
	    "</link-up-down-count><oper-address>10.0.0.1/24</oper-address>"
	    "<oper-address>2001:db8::1/64</oper-address>");
	HAS(s, "<name>lo</name><if-index>1</if-index>");
	HAS(s, "<oper-mtu>65536</oper-mtu>");
	/* Defaults of the config leaves are not output. */
	HASNT(s, "link-detect");
	free(s);
}
END_TEST

static const char rib4_json[] =
	"{\"10.0.0.0/24\":[{\"prefix\":\"10.0.0.0/24\","
	"\"protocol\":\"connected\",\"selected\":true,\"destSelected\":true,"
	"\"distance\":0,\"metric\":0,\"installed\":true,\"table\":254,"
	"\"uptime\":\"00:01:02\",\"nexthops\":[{\"directlyConnected\":true,"
	"\"interfaceIndex\":2,\"interfaceName\":\"eth0\",\"active\":true,"
	"\"fib\":true}]}],"
	"\"10.9.0.0/16\":["
	"{\"prefix\":\"10.9.0.0/16\",\"protocol\":\"static\","
	"\"selected\":true,\"destSelected\":true,\"distance\":1,"
	"\"metric\":0,\"tag\":7,\"installed\":true,\"table\":254,"
	"\"uptime\":\"00:00:05\",\"nexthops\":[{\"ip\":\"10.0.0.2\","
	"\"afi\":\"ipv4\",\"interfaceIndex\":2,\"interfaceName\":\"eth0\","
	"\"active\":true,\"fib\":true},{\"ip\":\"10.0.0.3\",\"afi\":\"ipv4\","
	"\"active\":false}]},"
	"{\"prefix\":\"10.9.0.0/16\",\"protocol\":\"ospf\",\"selected\":false,"
	"\"destSelected\":false,\"distance\":110,\"metric\":20,"
	"\"installed\":false,\"table\":254,\"uptime\":\"00:00:05\","
	"\"nexthops\":[{\"ip\":\"10.0.0.4\",\"afi\":\"ipv4\","
	"\"active\":true}]}],"
	"\"192.0.2.0/24\":[{\"prefix\":\"192.0.2.0/24\","
	"\"protocol\":\"static\",\"selected\":true,\"destSelected\":true,"
	"\"distance\":1,\"metric\":0,\"installed\":true,\"table\":254,"
	"\"uptime\":\"00:00:05\",\"nexthops\":[{\"unreachable\":true,"
	"\"reject\":\"blackhole\",\"active\":true,\"fib\":true}]}]}";

START_TEST(test_rib)
{
	char *s;

	ck_assert_uint_eq(conv("show ip route json", rib4_json), 0);
	ck_assert_uint_eq(conv("show ipv6 route json",
			       "{\"2001:db8::/64\":[{\"prefix\":\"2001:db8::/64\","
			       "\"protocol\":\"connected\",\"selected\":true,"
			       "\"distance\":0,\"metric\":0,\"installed\":true,"
			       "\"nexthops\":[{\"interfaceName\":\"eth0\","
			       "\"directlyConnected\":true,\"active\":true,"
			       "\"fib\":true}]}]}"), 0);
	s = xml();
	HAS(s, "<routing xmlns=\"" RT_NS "\"><ribs><rib><name>ipv4-unicast"
	    "</name><address-family>ipv4</address-family><routes>");
	HAS(s, "<route><destination-prefix>10.0.0.0/24</destination-prefix>"
	    "<source-protocol>connected</source-protocol><active/>"
	    "<route-preference>0</route-preference><metric>0</metric>"
	    "<installed>true</installed><failed>false</failed>"
	    "<next-hop><index>0</index><outgoing-interface>eth0"
	    "</outgoing-interface><directly-connected>true"
	    "</directly-connected><recursive>false</recursive>"
	    "<active>true</active><fib>true</fib></next-hop></route>");
	HAS(s, "<destination-prefix>10.9.0.0/16</destination-prefix>"
	    "<source-protocol>static</source-protocol><active/>"
	    "<route-preference>1</route-preference><metric>0</metric>"
	    "<tag>7</tag><installed>true</installed>");
	HAS(s, "<next-hop><index>0</index><address>10.0.0.2</address>"
	    "<outgoing-interface>eth0</outgoing-interface>");
	HAS(s, "<next-hop><index>1</index><address>10.0.0.3</address>"
	    "<directly-connected>false</directly-connected><recursive>false"
	    "</recursive><active>false</active><fib>false</fib></next-hop>");
	/* Not selected: no <active/>. */
	HAS(s, "<source-protocol>ospf</source-protocol>"
	    "<route-preference>110</route-preference><metric>20</metric>"
	    "<installed>false</installed>");
	HAS(s, "<special-next-hop>blackhole</special-next-hop>");
	HAS(s, "<name>ipv6-unicast</name><address-family>ipv6"
	    "</address-family><routes><route><destination-prefix>"
	    "2001:db8::/64</destination-prefix>");
	free(s);
}
END_TEST

static const char bfd_json[] =
	"{\"peers\":[{\"peer\":\"10.0.0.2\",\"local\":\"\","
	"\"interface\":\"eth0\",\"multihop\":false,\"vrf\":\"default\","
	"\"localDiscriminator\":1,\"remoteDiscriminator\":7,"
	"\"state\":\"up\",\"remoteState\":\"up\",\"diagnostic\":\"ok\","
	"\"remoteDiagnostic\":\"control detection time expired\","
	"\"detectMultiplier\":3,\"receiveInterval\":300,"
	"\"transmitInterval\":300,\"negotiatedTransmitInterval\":300.5,"
	"\"detectTime\":900}]}";

START_TEST(test_bfd)
{
	char *s;

	ck_assert_uint_eq(conv("show bfd peers json", bfd_json), 0);
	s = xml();
	HAS(s, "<bfd xmlns=\"urn:waypoint:yang:waypoint-bfd\"><sessions>"
	    "<session><peer>10.0.0.2</peer><multihop>false</multihop>"
	    "<local-address/><interface>eth0</interface><vrf>default</vrf>"
	    "<local-discriminator>1</local-discriminator>"
	    "<remote-discriminator>7</remote-discriminator>"
	    "<local-state>up</local-state><remote-state>up</remote-state>"
	    "<local-diagnostic>none</local-diagnostic>"
	    "<remote-diagnostic>control-expiry</remote-diagnostic>"
	    "<detection-multiplier>3</detection-multiplier>"
	    "<desired-min-tx-interval>300000</desired-min-tx-interval>"
	    "<required-min-rx-interval>300000</required-min-rx-interval>"
	    "<negotiated-tx-interval>300500</negotiated-tx-interval>"
	    "<detection-time>900000</detection-time>");
	free(s);
}
END_TEST

START_TEST(test_ospf)
{
	char *s;

	ck_assert_uint_eq(conv("show ip ospf neighbor json",
			       "{\"neighbors\":[{\"routerId\":\"10.0.0.2\","
			       "\"priority\":1,\"state\":\"Full\","
			       "\"role\":\"DR\",\"deadSeconds\":35,"
			       "\"address\":\"10.0.0.2\",\"interface\":\"eth0\","
			       "\"area\":\"0.0.0.0\"},{\"routerId\":\"10.0.0.3\","
			       "\"priority\":0,\"state\":\"2-Way\","
			       "\"address\":\"10.0.0.3\",\"interface\":\"eth0\","
			       "\"area\":\"0.0.0.0\",\"deadSeconds\":39}]}"), 0);
	ck_assert_uint_eq(conv("show ip ospf interface json",
			       "{\"interfaces\":[{\"name\":\"eth0\","
			       "\"ifindex\":2,\"address\":\"10.0.0.1/24\","
			       "\"area\":\"0.0.0.0\",\"state\":\"DROther\","
			       "\"networkType\":\"broadcast\",\"cost\":10,"
			       "\"priority\":1,\"passive\":false,"
			       "\"drId\":\"10.0.0.2\",\"bdrId\":\"0.0.0.0\","
			       "\"neighbors\":2,\"adjacencies\":1}]}"), 0);
	s = xml();
	HAS(s, "<ospf xmlns=\"" OSPF_NS "\"><interface-state><interface>"
	    "<name>eth0</name><address>10.0.0.1/24</address>"
	    "<area>0.0.0.0</area><state>dr-other</state>"
	    "<network-type>broadcast</network-type><cost>10</cost>"
	    "<priority>1</priority><passive>false</passive>"
	    "<dr-router-id>10.0.0.2</dr-router-id>"
	    "<bdr-router-id>0.0.0.0</bdr-router-id>"
	    "<neighbor-count>2</neighbor-count>"
	    "<adjacency-count>1</adjacency-count>");
	HAS(s, "<neighbor><interface>eth0</interface><neighbor-router-id>"
	    "10.0.0.2</neighbor-router-id><address>10.0.0.2</address>"
	    "<area>0.0.0.0</area><state>full</state><priority>1</priority>"
	    "<dead-timer>35</dead-timer></neighbor>");
	HAS(s, "<neighbor-router-id>10.0.0.3</neighbor-router-id>"
	    "<address>10.0.0.3</address><area>0.0.0.0</area>"
	    "<state>2-way</state>");
	free(s);
}
END_TEST

/* OSPF not configured: {} and nothing made. */
START_TEST(test_empty)
{
	ck_assert_uint_eq(conv("show ip ospf neighbor json", "{}"), 0);
	ck_assert_uint_eq(conv("show ip route json", "{}"), 0);
	ck_assert_ptr_nonnull(tree);	/* the (empty) ipv4 rib */
	ck_assert_uint_eq(conv("show bfd peers json", "{\"peers\":[]}"), 0);
}
END_TEST

/* What does not fit is left out, counted; the rest stays. */
START_TEST(test_malformed)
{
	char err[256], *s;
	size_t dropped = 0;

	ck_assert_int_eq(ncd_oper_convert(ctx, src("show interface json"),
					  "not json", &tree, &dropped, err,
					  sizeof(err)), -1);
	ck_assert_int_eq(ncd_oper_convert(ctx, src("show interface json"),
					  "[1,2]", &tree, &dropped, err,
					  sizeof(err)), -1);
	ck_assert_ptr_null(tree);
	ck_assert_uint_eq(conv("show interface json", "{\"interfaces\":7}"),
			  1);
	/* A state the module does not know, a string for a number, a
	 * nameless entry, an entry that is not an object, a name with
	 * both quotes, an out-of-range ifindex: six left out. */
	ck_assert_uint_eq(conv("show interface json",
			       "{\"interfaces\":[{\"name\":\"eth0\","
			       "\"operStatus\":\"dormant\",\"mtu\":\"big\","
			       "\"adminStatus\":\"up\"},{\"ifindex\":3},5,"
			       "{\"name\":\"a'\\\"b\"},{\"name\":\"eth1\","
			       "\"ifindex\":-4}]}"), 6);
	/* A bad prefix drops its route, not the others. */
	ck_assert_uint_eq(conv("show ip route json",
			       "{\"300.0.0.0/8\":[{\"prefix\":\"300.0.0.0/8\","
			       "\"protocol\":\"static\"}],\"10.1.0.0/16\":"
			       "[{\"prefix\":\"10.1.0.0/16\",\"protocol\":"
			       "\"static\",\"selected\":true,\"nexthops\":"
			       "[{\"ip\":\"10.0.0.9\",\"active\":true}]}],"
			       "\"10.2.0.0/16\":{}}"), 2);
	/* A state not in the module's enumeration. */
	ck_assert_uint_eq(conv("show ip ospf neighbor json",
			       "{\"neighbors\":[{\"routerId\":\"10.0.0.2\","
			       "\"state\":\"Dreaming\",\"interface\":"
			       "\"eth0\",\"priority\":1}]}"), 1);
	s = xml();
	HAS(s, "<neighbor-router-id>10.0.0.2</neighbor-router-id>"
	    "<priority>1</priority>");
	HASNT(s, "<state>");
	HAS(s, "<name>eth0</name><admin-status>up</admin-status>");
	HASNT(s, "dormant");
	HASNT(s, "big");
	HAS(s, "<name>eth1</name></interface>");
	HAS(s, "<destination-prefix>10.1.0.0/16</destination-prefix>");
	HASNT(s, "300.0.0.0");
	free(s);
}
END_TEST

static bool
wanted(const char *filter_xml, const char *command)
{
	struct lyd_node *f = NULL;
	char err[256];
	bool w;

	ck_assert_msg(ncd_filter_parse(ctx, filter_xml, &f, err,
				       sizeof(err)) == 0, "%s", err);
	w = ncd_oper_wanted(ctx, f, src(command));
	lyd_free_all(f);
	return w;
}

START_TEST(test_wanted)
{
	const char *ifs = "show interface json", *rib = "show ip route json",
		   *nbr = "show ip ospf neighbor json",
		   *oif = "show ip ospf interface json",
		   *bfd = "show bfd peers json";

	/* No filter: everything. */
	ck_assert(ncd_oper_wanted(ctx, NULL, src(ifs)));
	ck_assert(wanted("<interfaces xmlns=\"" IF_NS "\"/>", ifs));
	ck_assert(!wanted("<interfaces xmlns=\"" IF_NS "\"/>", rib));
	ck_assert(!wanted("<interfaces xmlns=\"" IF_NS "\"/>", bfd));
	/* No namespace matches every module (§6.2.1). */
	ck_assert(wanted("<interfaces xmlns=\"urn:ietf:params:xml:ns:"
			 "netconf:base:1.0\"/>", ifs));
	ck_assert(!wanted("<interfaces xmlns=\"" RT_NS "\"/>", ifs));
	ck_assert(wanted("<interfaces xmlns=\"" IF_NS "\"><interface>"
			 "<name>eth0</name></interface></interfaces>", ifs));
	ck_assert(wanted("<interfaces xmlns=\"" IF_NS "\"><interface>"
			 "<name>eth0</name><oper-status/></interface>"
			 "</interfaces>", ifs));
	ck_assert(wanted("<routing xmlns=\"" RT_NS "\"/>", rib));
	ck_assert(wanted("<routing xmlns=\"" RT_NS "\"><ribs><rib><name>"
			 "ipv4-unicast</name></rib></ribs></routing>", rib));
	ck_assert(!wanted("<routing xmlns=\"" RT_NS "\"><static-routes/>"
			  "</routing>", rib));
	ck_assert(wanted("<ospf xmlns=\"" OSPF_NS "\"><neighbors/></ospf>",
			 nbr));
	ck_assert(!wanted("<ospf xmlns=\"" OSPF_NS "\"><neighbors/></ospf>",
			  oif));
	ck_assert(!wanted("<ospf xmlns=\"" OSPF_NS "\"><router-id/></ospf>",
			  nbr));
	ck_assert(wanted("<bfd xmlns=\"urn:waypoint:yang:waypoint-bfd\"/>",
			 bfd));
}
END_TEST

/* The command for `command`'s source under a filter; "-" for none. */
static void
check_command(const char *filter_xml, const char *command, const char *want)
{
	struct lyd_node *f = NULL;
	char err[256], cmd[256];
	int rc;

	if (filter_xml)
		ck_assert_msg(ncd_filter_parse(ctx, filter_xml, &f, err,
					       sizeof(err)) == 0, "%s", err);
	rc = ncd_oper_command(ctx, f, src(command), cmd, sizeof(cmd));
	ck_assert_str_eq(rc == -1 ? "-" : cmd, want);
	lyd_free_all(f);
}

#define ROUTE(body)	"<routing xmlns=\"" RT_NS "\"><ribs><rib><routes>" \
			body "</routes></rib></ribs></routing>"

START_TEST(test_command)
{
	const char *rib4 = "show ip route json", *rib6 = "show ipv6 route json";

	check_command(NULL, rib4, rib4);
	check_command(ROUTE("<route/>"), rib4, rib4);
	/* One prefix: ribd's exact form, and nothing from the other
	 * family's table. */
	check_command(ROUTE("<route><destination-prefix>10.9.0.0/16"
			    "</destination-prefix><next-hop/></route>"),
		      rib4, "show ip route 10.9.0.0/16 json");
	check_command(ROUTE("<route><destination-prefix>10.9.0.0/16"
			    "</destination-prefix></route>"), rib6, "-");
	check_command(ROUTE("<route><destination-prefix>2001:db8::/32"
			    "</destination-prefix></route>"), rib6,
		      "show ipv6 route 2001:db8::/32 json");
	check_command(ROUTE("<route><destination-prefix>2001:db8::/32"
			    "</destination-prefix></route>"), rib4, "-");
	/* Two routes (a union), or a value that is no prefix: the whole
	 * table. */
	check_command(ROUTE("<route><destination-prefix>10.9.0.0/16"
			    "</destination-prefix></route><route>"
			    "<destination-prefix>10.8.0.0/16"
			    "</destination-prefix></route>"), rib4, rib4);
	check_command(ROUTE("<route><destination-prefix>10.9.0.0/16 json"
			    "</destination-prefix></route>"), rib4, rib4);
	/* Other sources never narrow. */
	check_command(ROUTE("<route><destination-prefix>10.9.0.0/16"
			    "</destination-prefix></route>"),
		      "show interface json", "show interface json");
}
END_TEST

/* A filter on the state of one route, applied to the converted tree. */
START_TEST(test_filter_state)
{
	struct lyd_node *f = NULL, *out = NULL;
	char err[256], *s = NULL;

	ck_assert_uint_eq(conv("show ip route json", rib4_json), 0);
	ck_assert_int_eq(ncd_filter_parse(ctx, "<routing xmlns=\"" RT_NS
					  "\"><ribs><rib><routes><route>"
					  "<destination-prefix>10.9.0.0/16"
					  "</destination-prefix>"
					  "<source-protocol>static"
					  "</source-protocol></route></routes>"
					  "</rib></ribs></routing>", &f, err,
					  sizeof(err)), 0);
	ck_assert_int_eq(ncd_filter_apply(f, tree, &out), 0);
	ck_assert_ptr_nonnull(out);
	lyd_print_mem(&s, out, LYD_XML, LYD_PRINT_WITHSIBLINGS |
		      LYD_PRINT_SHRINK);
	HAS(s, "<address>10.0.0.2</address>");
	HASNT(s, "10.0.0.0/24");
	HASNT(s, "ospf");
	free(s);
	lyd_free_all(out);
	lyd_free_all(f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("nc_oper");
	TCase *tc = tcase_create("convert");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_interfaces);
	tcase_add_test(tc, test_rib);
	tcase_add_test(tc, test_bfd);
	tcase_add_test(tc, test_ospf);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_wanted);
	tcase_add_test(tc, test_command);
	tcase_add_test(tc, test_filter_state);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
