/*
 * Unit tests for daemons/netconfd/nc_filter.c: RFC 6241 §6 subtree
 * filters on a configuration of two interfaces, a host name and a
 * static route.  Each test prints the selected tree as XML and checks
 * what is in it and what is not.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc_filter.h"
#include "wp_check.h"
#include "wp_mem.h"
#include "wp_yang.h"

#define IF_NS	"urn:waypoint:yang:waypoint-interface"
#define RT_NS	"urn:waypoint:yang:waypoint-routing"

static struct ly_ctx *ctx;
static struct lyd_node *data;

static const char data_xml[] =
	"<interfaces xmlns=\"" IF_NS "\">"
	"<interface><name>eth0</name><description>uplink</description>"
	"<mtu>9000</mtu></interface>"
	"<interface><name>eth1</name><description>lan</description>"
	"<mtu>1500</mtu><ipv4><address><ip>10.0.0.1</ip>"
	"<prefix-length>24</prefix-length></address></ipv4></interface>"
	"</interfaces>"
	"<system xmlns=\"" RT_NS "\"><hostname>r1</hostname></system>"
	"<routing xmlns=\"" RT_NS "\"><static-routes><ipv4><route>"
	"<prefix>10.9.0.0/16</prefix><path><distance>1</distance><nexthop>"
	"<gateway>192.0.2.1</gateway><interface></interface></nexthop>"
	"</path></route></ipv4></static-routes></routing>";

static void
setup(void)
{
	char *err = NULL;

	if (wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	if (lyd_parse_data_mem(ctx, data_xml, LYD_XML, LYD_PARSE_ONLY |
			       LYD_PARSE_STRICT, 0, &data) != LY_SUCCESS) {
		fprintf(stderr, "test data: %s\n", ly_errmsg(ctx));
		exit(1);
	}
}

static void
teardown(void)
{
	lyd_free_all(data);
	wp_yang_ctx_free(ctx);
}

/* The filter applied to the data, as XML ("" for nothing); free(). */
static char *
run(const char *filter_xml)
{
	struct lyd_node *filter = NULL, *out = NULL;
	char err[256], *s = NULL;

	ck_assert_msg(ncd_filter_parse(ctx, filter_xml, &filter, err,
				       sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ncd_filter_apply(filter, data, &out), 0);
	if (out)
		lyd_print_mem(&s, out, LYD_XML, LYD_PRINT_WITHSIBLINGS |
			      LYD_PRINT_SHRINK);
	lyd_free_all(out);
	lyd_free_all(filter);
	return s ? s : strdup("");
}

#define HAS(s, t)	ck_assert_msg(strstr((s), (t)) != NULL, \
				      "no %s in %s", (t), (s))
#define HASNT(s, t)	ck_assert_msg(strstr((s), (t)) == NULL, \
				      "%s in %s", (t), (s))

START_TEST(test_selection_top)
{
	/* §6.2.4: an empty node selects its whole subtree. */
	char *s = run("<interfaces xmlns=\"" IF_NS "\"/>");

	HAS(s, "<name>eth0</name>");
	HAS(s, "<prefix-length>24</prefix-length>");
	HASNT(s, "hostname");
	HASNT(s, "10.9.0.0/16");
	free(s);
}
END_TEST

START_TEST(test_containment_selection)
{
	/* §6.4.4-like: only the descriptions, with the list keys. */
	char *s = run("<interfaces xmlns=\"" IF_NS "\"><interface>"
		      "<description/></interface></interfaces>");

	HAS(s, "<name>eth0</name><description>uplink</description>");
	HAS(s, "<name>eth1</name><description>lan</description>");
	HASNT(s, "mtu");
	HASNT(s, "ipv4");
	free(s);
}
END_TEST

START_TEST(test_content_match_only)
{
	/* §6.2.5: all siblings content match: the whole entry. */
	char *s = run("<interfaces xmlns=\"" IF_NS "\"><interface>"
		      "<name>eth1</name></interface></interfaces>");

	HAS(s, "<name>eth1</name>");
	HAS(s, "<mtu>1500</mtu>");
	HAS(s, "<ip>10.0.0.1</ip>");
	HASNT(s, "eth0");
	free(s);
}
END_TEST

START_TEST(test_content_match_and_selection)
{
	/* Content match plus selection: the match and the selected. */
	char *s = run("<interfaces xmlns=\"" IF_NS "\"><interface>"
		      "<name>eth0</name><mtu/></interface></interfaces>");

	ck_assert_str_eq(s, "<interfaces xmlns=\"" IF_NS "\"><interface>"
			 "<name>eth0</name><mtu>9000</mtu></interface>"
			 "</interfaces>");
	free(s);
}
END_TEST

START_TEST(test_content_match_non_key)
{
	/* A non-key leaf as the test; the value is trimmed. */
	char *s = run("<interfaces xmlns=\"" IF_NS "\"><interface>"
		      "<mtu> 1500\n</mtu><description/></interface>"
		      "</interfaces>");

	HAS(s, "<name>eth1</name>");
	HAS(s, "<description>lan</description>");
	HAS(s, "<mtu>1500</mtu>");
	HASNT(s, "eth0");
	HASNT(s, "ipv4");
	free(s);
}
END_TEST

START_TEST(test_content_no_match)
{
	char *s = run("<interfaces xmlns=\"" IF_NS "\"><interface>"
		      "<name>eth9</name></interface></interfaces>");

	ck_assert_str_eq(s, "");
	free(s);
	/* A value that does not fit the type matches nothing either. */
	s = run("<interfaces xmlns=\"" IF_NS "\"><interface>"
		"<mtu>big</mtu></interface></interfaces>");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_union)
{
	/* Two entries of the same list: their union. */
	char *s = run("<interfaces xmlns=\"" IF_NS "\">"
		      "<interface><name>eth0</name><description/></interface>"
		      "<interface><name>eth1</name><mtu/></interface>"
		      "</interfaces>");

	HAS(s, "<name>eth0</name><description>uplink</description>");
	HAS(s, "<name>eth1</name><mtu>1500</mtu>");
	HASNT(s, "9000");
	HASNT(s, "lan");
	free(s);
}
END_TEST

START_TEST(test_deep_containment)
{
	char *s = run("<routing xmlns=\"" RT_NS "\"><static-routes><ipv4>"
		      "<route><prefix>10.9.0.0/16</prefix></route>"
		      "</ipv4></static-routes></routing>");

	HAS(s, "<gateway>192.0.2.1</gateway>");
	HASNT(s, "eth0");
	HASNT(s, "hostname");
	free(s);
	s = run("<routing xmlns=\"" RT_NS "\"><static-routes><ipv4>"
		"<route><prefix>10.8.0.0/16</prefix></route>"
		"</ipv4></static-routes></routing>");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_namespaces)
{
	char *s;

	/* §6.2.1: another namespace does not match ... */
	s = run("<interfaces xmlns=\"urn:example:other\"/>");
	ck_assert_str_eq(s, "");
	free(s);
	/* ... no namespace matches every one ... */
	s = run("<system xmlns=\"\"><hostname/></system>");
	ck_assert_str_eq(s, "<system xmlns=\"" RT_NS "\">"
			 "<hostname>r1</hostname></system>");
	free(s);
	/* ... and several top-level nodes select from several modules. */
	s = run("<system xmlns=\"" RT_NS "\"/><interfaces xmlns=\"" IF_NS
		"\"><interface><name>eth0</name><mtu/></interface>"
		"</interfaces>");
	HAS(s, "<hostname>r1</hostname>");
	HAS(s, "<mtu>9000</mtu>");
	HASNT(s, "eth1");
	free(s);
}
END_TEST

START_TEST(test_empty_and_malformed)
{
	struct lyd_node *f = NULL, *out = NULL;
	char err[256];

	/* §6.4.2: an empty filter selects nothing. */
	ck_assert_int_eq(ncd_filter_parse(ctx, " \n", &f, err, sizeof(err)),
			 0);
	ck_assert_ptr_null(f);
	ck_assert_int_eq(ncd_filter_apply(f, data, &out), 0);
	ck_assert_ptr_null(out);
	ck_assert_int_eq(ncd_filter_parse(ctx, "<interfaces xmlns=\"" IF_NS
					  "\"><interface>", &f, err,
					  sizeof(err)), -1);
	ck_assert_ptr_null(f);
	ck_assert_msg(strncmp(err, "filter: ", 8) == 0, "%s", err);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("nc_filter");
	TCase *tc = tcase_create("subtree");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_selection_top);
	tcase_add_test(tc, test_containment_selection);
	tcase_add_test(tc, test_content_match_only);
	tcase_add_test(tc, test_content_match_and_selection);
	tcase_add_test(tc, test_content_match_non_key);
	tcase_add_test(tc, test_content_no_match);
	tcase_add_test(tc, test_union);
	tcase_add_test(tc, test_deep_containment);
	tcase_add_test(tc, test_namespaces);
	tcase_add_test(tc, test_empty_and_malformed);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
