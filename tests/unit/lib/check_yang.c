/*
 * Unit tests for lib/wp_yang: loading the modules, the text of error
 * messages (path + constraint), canonical order, comparison, printing.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_mem.h"
#include "wp_yang.h"

static struct ly_ctx *ctx;

static void
setup(void)
{
	char *err = NULL;

	if (wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
}

static void
teardown(void)
{
	wp_yang_ctx_free(ctx);
}

START_TEST(test_ctx_modules)
{
	static const char *const mods[] = {
		"waypoint-cli", "waypoint-interface", "waypoint-routing",
		"waypoint-bgp", "waypoint-ospf", "waypoint-isis",
		"waypoint-pim", "waypoint-bfd", "waypoint-vrrp",
		"waypoint-dhcp", NULL,
	};

	/* Every waypoint-*.yang on the path, without a list. */
	for (size_t i = 0; mods[i]; i++)
		ck_assert_msg(ly_ctx_get_module_implemented(ctx, mods[i]),
			      "%s not loaded", mods[i]);
	ck_assert_uint_ge(wp_yang_ctx_count(ctx), 10);
}
END_TEST

START_TEST(test_ctx_missing_dir)
{
	static const char *const mods[] = { "waypoint-nonesuch", NULL };
	struct ly_ctx *c = NULL;
	char *err = NULL;

	ck_assert_int_eq(wp_yang_ctx_new(TOP_SRCDIR "/yang", mods, &c, &err),
			 -1);
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, "% cannot load YANG module "
			     "waypoint-nonesuch from ") != NULL, "%s", err);
	wp_free(MT_STRING, err);
}
END_TEST

START_TEST(test_ctx_env)
{
	struct ly_ctx *c1, *c2;
	char *p;

	setenv(WP_YANG_PATH_ENV, "/nonexistent/yang", 1);
	p = wp_yang_path(NULL);
	ck_assert_str_eq(p, "/nonexistent/yang:" YANGDIR);
	wp_free(MT_STRING, p);
	p = wp_yang_path("/a:/b");
	ck_assert_str_eq(p, "/a:/b:/nonexistent/yang:" YANGDIR);
	wp_free(MT_STRING, p);
	unsetenv(WP_YANG_PATH_ENV);
	p = wp_yang_path("");
	ck_assert_str_eq(p, YANGDIR);
	wp_free(MT_STRING, p);

	/* The shared context: one per process, refcounted. */
	setenv(WP_YANG_PATH_ENV, TOP_SRCDIR "/yang", 1);
	c1 = wp_yang_ctx_get(NULL);
	c2 = wp_yang_ctx_get(NULL);
	ck_assert_ptr_nonnull(c1);
	ck_assert_ptr_eq(c1, c2);
	ck_assert_ptr_nonnull(ly_ctx_get_module_implemented(c1,
							    "waypoint-routing"));
	wp_yang_ctx_put();
	wp_yang_ctx_put();
	unsetenv(WP_YANG_PATH_ENV);
}
END_TEST

struct value_case {
	const char *a, *b;
	int sign;
};

static const struct value_case values[] = {
	{ "eth2", "eth10", -1 },
	{ "eth10", "eth2", 1 },
	{ "lo", "eth0", 1 },
	{ "2", "10", -1 },
	{ "-5", "3", -1 },
	{ "-5", "-30", 1 },
	{ "007", "7", 0 },
	{ "", "a", -1 },
	{ "9.0.0.0/8", "10.0.0.0/8", -1 },
	{ "10.0.0.0/8", "10.0.0.0/16", -1 },
	{ "10.0.2.0/24", "10.0.12.0/24", -1 },
	{ "10.0.0.1", "10.0.0.10", -1 },
	{ "2001:db8::a", "2001:db8::1b", -1 },
	{ "10.0.0.1", "2001:db8::1", -1 },
	{ "blackhole", "reject", -1 },
	{ "same", "same", 0 },
};

START_TEST(test_value_cmp)
{
	const struct value_case *c = &values[_i];
	int r = wp_yang_value_cmp(c->a, c->b);

	ck_assert_msg((r > 0) - (r < 0) == c->sign, "%s vs %s: %d", c->a,
		      c->b, r);
}
END_TEST

struct err_case {
	const char *json;
	const char *err;
};

static const struct err_case errs[] = {
	{ "{\"waypoint-interface:interfaces\":{\"interface\":[{\"name\":"
	  "\"eth0\",\"mtu\":50}]}}",
	  "1: % /waypoint-interface:interfaces/interface[name='eth0']/mtu: "
	  "range: value 50 is outside 68..65535" },
	{ "{\"waypoint-interface:interfaces\":{\"interface\":[{\"name\":"
	  "\"eth0\",\"speed\":1}]}}",
	  "1: % /waypoint-interface:interfaces/interface[name='eth0']: "
	  "unknown node: Node \"speed\" not found as a child of \"interface\" "
	  "node" },
	{ "{\"waypoint-interface:interfaces\":{\"interface\":[{\"mtu\":"
	  "1500}]}}",
	  "1: % /waypoint-interface:interfaces/interface: missing key: List "
	  "instance is missing its key \"name\"" },
	{ "{\"waypoint-interface:interfaces\":{\"interface\":[{\"name\":"
	  "\"eth0\",\"ipv4\":{\"address\":[{\"ip\":\"10.0.0.300\","
	  "\"prefix-length\":24}]}}]}}",
	  "1: % /waypoint-interface:interfaces/interface[name='eth0']/ipv4/"
	  "address/ip: pattern: 10.0.0.300 is not a valid IPv4 address" },
	{ "{\"waypoint-interface:interfaces\":{\"interface\":[{\"name\":"
	  "\"eth0123456789abc\"}]}}",
	  "1: % /waypoint-interface:interfaces/interface/name: length: length "
	  "of \"eth0123456789abc\" is outside 1..15" },
	{ "{\"waypoint-ospf:ospf\":{\"network\":[{\"prefix\":\"10.0.0.0/8\"}]}}",
	  "% /waypoint-ospf:ospf/network[prefix='10.0.0.0/8']/area: mandatory: "
	  "Mandatory node \"area\" instance does not exist" },
	{ "{\"waypoint-bfd:bfd\":{\"peer\":[{\"address\":\"10.0.0.1\","
	  "\"multihop\":false,\"local-address\":\"\",\"interface\":\"\","
	  "\"vrf\":\"default\",\"minimum-ttl\":5}]}}",
	  "% /waypoint-bfd:bfd/peer[address='10.0.0.1'][multihop='false']"
	  "[local-address=''][interface=''][vrf='default']/minimum-ttl: must: "
	  "minimum-ttl "
	  "applies to multihop sessions only" },
	{ "{\"waypoint-bgp:bgp\":{\"instance\":[{\"as\":1,\"address-family\":"
	  "[{\"afi\":\"ipv4\",\"safi\":\"unicast\",\"neighbor\":[{\"address\":"
	  "\"10.0.0.9\",\"activate\":[null]}]}]}]}}",
	  "% /waypoint-bgp:bgp/instance[as='1']/address-family[afi='ipv4']"
	  "[safi='unicast']/neighbor[address='10.0.0.9']/address: leafref: "
	  "\"10.0.0.9\" is not an existing ../../../neighbor/address" },
	{ "{\"waypoint-bgp:bgp\":{\"instance\":[{\"as\":1},{\"as\":2}]}}",
	  "% /waypoint-bgp:bgp/instance[as='2']: max-elements: Too many "
	  "\"instance\" instances (at most 1)" },
	{ "{\"waypoint-routing:system\":{\"hostname\":\"-x\"}}",
	  "1: % /waypoint-routing:system/hostname: pattern: A host name is "
	  "letters, digits, '.' and '-'" },
	{ "{\"waypoint-routing:system\": {\"hostname\": }}",
	  "1: % /waypoint-routing:system: syntax: Invalid character sequence "
	  "\"}}\", expected a JSON value" },
};

START_TEST(test_errors)
{
	const struct err_case *c = &errs[_i];
	struct lyd_node *tree = NULL;
	char *err = NULL;

	ck_assert_int_eq(wp_yang_parse(ctx, c->json, LYD_JSON, &tree, &err),
			 -1);
	ck_assert_ptr_null(tree);
	ck_assert_str_eq(err, c->err);
	wp_free(MT_STRING, err);
}
END_TEST

static struct lyd_node *
build(const char *const *paths)
{
	struct lyd_node *tree = NULL;

	for (size_t i = 0; paths[i]; i++) {
		ck_assert_int_eq(lyd_new_path(tree, ctx, paths[i], NULL, 0,
					      tree ? NULL : &tree), LY_SUCCESS);
		tree = lyd_first_sibling(tree);
	}
	return tree;
}

START_TEST(test_sort_equal)
{
	static const char *const p1[] = {
		"/waypoint-ospf:ospf/passive-interface[.='eth10']",
		"/waypoint-ospf:ospf/passive-interface[.='eth2']",
		"/waypoint-interface:interfaces/interface[name='lo']",
		"/waypoint-interface:interfaces/interface[name='eth1']",
		NULL,
	};
	static const char *const p2[] = {
		"/waypoint-interface:interfaces/interface[name='eth1']",
		"/waypoint-interface:interfaces/interface[name='lo']",
		"/waypoint-ospf:ospf/passive-interface[.='eth2']",
		"/waypoint-ospf:ospf/passive-interface[.='eth10']",
		NULL,
	};
	struct lyd_node *a, *b, *diff = NULL;
	char *s;

	a = build(p1);
	b = build(p2);
	ck_assert_int_eq(lyd_new_path(a, NULL, "/waypoint-interface:interfaces/"
				      "interface[name='eth1']/ipv4/address"
				      "[ip='10.0.0.9']/prefix-length", "24",
				      LYD_NEW_PATH_UPDATE, NULL), LY_SUCCESS);
	ck_assert_int_eq(lyd_new_path(b, NULL, "/waypoint-interface:interfaces/"
				      "interface[name='eth1']/ipv4/address"
				      "[ip='10.0.0.9']/prefix-length", "24",
				      LYD_NEW_PATH_UPDATE, NULL), LY_SUCCESS);
	ck_assert(!wp_yang_equal(a, b));
	wp_yang_sort(&a);
	wp_yang_sort(&b);
	ck_assert(wp_yang_equal(a, b));
	ck_assert_int_eq(wp_yang_diff(a, b, &diff), 0);
	ck_assert_ptr_null(diff);
	s = wp_yang_print(a, LYD_JSON);
	ck_assert_msg(strstr(s, "\"eth1\"") < strstr(s, "\"lo\""), "%s", s);
	ck_assert_msg(strstr(s, "\"eth2\"") < strstr(s, "\"eth10\""), "%s", s);
	wp_free(MT_STRING, s);

	/* A change shows in the diff. */
	ck_assert_int_eq(lyd_new_path(b, NULL, "/waypoint-interface:interfaces/"
				      "interface[name='lo']/mtu", "1500", 0,
				      NULL), LY_SUCCESS);
	ck_assert(!wp_yang_equal(a, b));
	ck_assert_int_eq(wp_yang_diff(a, b, &diff), 0);
	ck_assert_ptr_nonnull(diff);
	s = wp_yang_print(diff, LYD_JSON);
	ck_assert_msg(strstr(s, "\"mtu\": 1500") != NULL, "%s", s);
	wp_free(MT_STRING, s);
	lyd_free_all(diff);
	lyd_free_all(a);
	lyd_free_all(b);
}
END_TEST

START_TEST(test_print_parse_xml)
{
	static const char *json =
		"{\"waypoint-routing:system\":{\"hostname\":\"r1\"}}";
	struct lyd_node *a = NULL, *b = NULL;
	char *xml, *err = NULL, *empty;

	ck_assert_int_eq(wp_yang_parse(ctx, json, LYD_JSON, &a, &err), 0);
	xml = wp_yang_print(a, LYD_XML);
	ck_assert_msg(strstr(xml, "<hostname>r1</hostname>") != NULL, "%s",
		      xml);
	ck_assert_int_eq(wp_yang_parse(ctx, xml, LYD_XML, &b, &err), 0);
	ck_assert(wp_yang_equal(a, b));
	empty = wp_yang_print(NULL, LYD_JSON);
	ck_assert_str_eq(empty, "{}\n");
	wp_free(MT_STRING, empty);
	wp_free(MT_STRING, xml);
	lyd_free_all(a);
	lyd_free_all(b);
	ck_assert_int_eq(wp_yang_format_of("a/b.json"), LYD_JSON);
	ck_assert_int_eq(wp_yang_format_of("b.xml"), LYD_XML);
	ck_assert_int_eq(wp_yang_format_of("b.conf"), LYD_UNKNOWN);
}
END_TEST

START_TEST(test_schema)
{
	const struct lysc_node *sn;
	char *b;

	sn = wp_yang_schema_of_path(ctx, "/waypoint-interface:interfaces/"
				    "interface[name='a]b']/mtu");
	ck_assert_ptr_nonnull(sn);
	ck_assert_str_eq(sn->name, "mtu");
	b = wp_yang_type_bounds(((const struct lysc_node_leaf *)sn)->type);
	ck_assert_str_eq(b, "68..65535");
	wp_free(MT_STRING, b);

	sn = wp_yang_schema_of_path(ctx, "/waypoint-bgp:bgp/instance/neighbor/"
				    "timers/hold-time");
	b = wp_yang_type_bounds(((const struct lysc_node_leaf *)sn)->type);
	ck_assert_str_eq(b, "0 | 3..65535");
	wp_free(MT_STRING, b);

	sn = wp_yang_schema_of_path(ctx, "/waypoint-bgp:bgp/instance/"
				    "address-family/neighbor/address");
	ck_assert_int_eq(wp_yang_type_class(((const struct lysc_node_leaf *)
					     sn)->type), WP_YT_UNION);
	sn = wp_yang_schema_of_path(ctx, "/waypoint-routing:routing/"
				    "static-routes/ipv4/route/prefix");
	ck_assert_int_eq(wp_yang_type_class(((const struct lysc_node_leaf *)
					     sn)->type), WP_YT_IPV4_PREFIX);
	ck_assert_ptr_null(wp_yang_schema_of_path(ctx, "/waypoint-routing:"
						  "nonesuch"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("yang");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ctx_modules);
	tcase_add_test(tc, test_ctx_missing_dir);
	tcase_add_test(tc, test_ctx_env);
	tcase_add_loop_test(tc, test_value_cmp, 0,
			    sizeof(values) / sizeof(values[0]));
	tcase_add_loop_test(tc, test_errors, 0, sizeof(errs) / sizeof(errs[0]));
	tcase_add_test(tc, test_sort_equal);
	tcase_add_test(tc, test_print_parse_xml);
	tcase_add_test(tc, test_schema);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
