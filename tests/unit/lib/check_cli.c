/*
 * Unit tests for lib/wp_cli*: the command tree built from the modules,
 * parsing and rendering, abbreviations, 'no' forms, modes and the
 * position stack, edits, completion, the exact text of each error, and
 * templates the builder must refuse.  tests/config holds the file round
 * trips.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_yang.h"

WP_MEMTYPE_DECLARE(MT_CLI);

static struct ly_ctx *ctx;
static struct wp_cli *cli;

static void
setup(void)
{
	char *err = NULL;

	if (wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err) == -1 ||
	    (cli = wp_cli_new(ctx, &err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
}

static void
teardown(void)
{
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}

static struct lyd_node *
load(const char *text)
{
	struct lyd_node *tree = NULL;
	char *err = NULL;

	if (wp_cli_load_text(cli, text, "t.conf", &tree, &err) == -1)
		ck_abort_msg("%s\n--- in ---\n%s", err, text);
	return tree;
}

/* Load `in`, render, compare with `want`; returns nothing, frees all. */
static void
check_render(const char *in, const char *want)
{
	struct lyd_node *tree = load(in), *again;
	char *text = wp_cli_render(cli, tree, NULL);

	ck_assert_msg(strcmp(text, want) == 0, "--- got ---\n%s--- want ---\n%s",
		      text, want);
	if (*want) {
		again = load(text);
		ck_assert(lyd_compare_siblings(tree, again,
					       LYD_COMPARE_FULL_RECURSION) ==
			  LY_SUCCESS);
		lyd_free_all(again);
	}
	wp_free(MT_STRING, text);
	lyd_free_all(tree);
}

static char *
load_err(const char *text)
{
	struct lyd_node *tree = NULL;
	char *err = NULL;

	ck_assert_msg(wp_cli_load_text(cli, text, "t.conf", &tree, &err) == -1,
		      "loads, but must not:\n%s", text);
	ck_assert_ptr_null(tree);
	return err;
}

/* --- the command tree ------------------------------------------------ */

struct syntax_find {
	const char *prompt, *syntax;
	bool found;
	size_t n;
};

static void
syntax_find(const struct wp_cli_cmd_info *ci, void *arg)
{
	struct syntax_find *f = arg;

	f->n++;
	if (strcmp(ci->prompt, f->prompt) == 0 &&
	    strcmp(ci->syntax, f->syntax) == 0)
		f->found = true;
}

static const char *const syntaxes[][2] = {
	{ "config", "interface NAME" },
	{ "config", "ip route A.B.C.D/M ((A.B.C.D|blackhole|reject) "
		    "[INTERFACE]|INTERFACE) [(1-255)] [tag (1-4294967295)] "
		    "[onlink] [bfd [multihop] [source A.B.C.D] "
		    "[profile PROFILE]]" },
	{ "config", "ip prefix-list NAME [seq (1-4294967294)] (deny|permit) "
		    "(A.B.C.D/M|any) [ge (0-32)] [le (0-32)]" },
	{ "config", "no ip prefix-list NAME" },
	{ "config", "router bgp (1-4294967295)" },
	{ "config-if", "ip address A.B.C.D/M" },
	{ "config-if", "ip ospf cost (1-65535)" },
	{ "config-if", "description DESCRIPTION..." },
	{ "config-router", "neighbor (A.B.C.D|X:X::X:X) remote-as "
			   "((1-4294967295)|external|internal)" },
	{ "config-router-af", "neighbor (A.B.C.D|X:X::X:X) activate" },
	{ "config-bfd", "peer (A.B.C.D|X:X::X:X) [multihop] [local-address "
			"(A.B.C.D|X:X::X:X)] [interface INTERFACE] [vrf VRF]" },
	{ "config-keychain-key", "cryptographic-algorithm (md5|hmac-sha-1|"
				 "hmac-sha-256|hmac-sha-384|hmac-sha-512)" },
};

START_TEST(test_tree)
{
	struct syntax_find f = { .prompt = syntaxes[_i][0],
				 .syntax = syntaxes[_i][1] };

	wp_cli_foreach(cli, syntax_find, &f);
	ck_assert_uint_gt(f.n, 90);
	ck_assert_msg(f.found, "no '%s' in %s", f.syntax, f.prompt);
}
END_TEST

/* doc/cli.md lists every command, as `wpcli commands` prints it. */
struct doc_check {
	char *doc;
	size_t missing;
};

static void
doc_check(const struct wp_cli_cmd_info *ci, void *arg)
{
	struct doc_check *d = arg;
	char want[512], *q = want;

	*q++ = '`';
	for (const char *p = ci->syntax; *p && q < want + sizeof(want) - 3;
	     p++) {
		if (*p == '|')
			*q++ = '\\';
		*q++ = *p;
	}
	*q++ = '`';
	*q = '\0';
	if (strstr(d->doc, want) == NULL) {
		fprintf(stderr, "doc/cli.md lacks %s (%s)\n", want, ci->prompt);
		d->missing++;
	}
}

START_TEST(test_doc_lists_commands)
{
	struct doc_check d = { 0 };
	FILE *f = fopen(TOP_SRCDIR "/doc/cli.md", "r");
	size_t len;

	ck_assert_ptr_nonnull(f);
	d.doc = wp_calloc(MT_STRING, 1 << 20);
	len = fread(d.doc, 1, (1 << 20) - 1, f);
	fclose(f);
	ck_assert_uint_gt(len, 0);
	wp_cli_foreach(cli, doc_check, &d);
	ck_assert_msg(d.missing == 0, "doc/cli.md lacks %zu commands: "
		      "regenerate its tables with wpcli commands", d.missing);
	wp_free(MT_STRING, d.doc);
}
END_TEST

START_TEST(test_free_releases)
{
	size_t c0 = MT_CLI->live, s0 = MT_STRING->live, t0 = MT_TMP->live;
	struct wp_cli *other;
	char *err = NULL;

	other = wp_cli_new(ctx, &err);
	ck_assert_ptr_nonnull(other);
	ck_assert_uint_gt(MT_CLI->live, c0);
	wp_cli_free(other);
	ck_assert_uint_eq(MT_CLI->live, c0);
	ck_assert_uint_eq(MT_STRING->live, s0);
	ck_assert_uint_eq(MT_TMP->live, t0);
}
END_TEST

/* --- parse and render ------------------------------------------------ */

START_TEST(test_render_canonical)
{
	static const char *text =
		"hostname r1\n"
		"!\n"
		"ip route 0.0.0.0/0 10.0.0.1\n"
		"ip route 0.0.0.0/0 10.0.0.2\n"
		"!\n"
		"interface eth0\n"
		" description to r2\n"
		" ip address 10.0.0.1/24\n"
		" ip ospf cost 10\n"
		"exit\n"
		"!\n"
		"router bgp 65001\n"
		" neighbor 10.0.0.2 remote-as 65002\n"
		" !\n"
		" address-family ipv4 unicast\n"
		"  network 10.1.0.0/24\n"
		"  neighbor 10.0.0.2 activate\n"
		" exit-address-family\n"
		"exit\n"
		"!\n"
		"router ospf\n"
		" network 10.0.0.0/24 area 0\n"
		"exit\n"
		"!\n"
		"ip prefix-list L seq 5 permit 10.0.0.0/8 le 24\n"
		"!\n"
		"route-map RM permit 10\n"
		" match ip address prefix-list L\n"
		" set metric 10\n"
		"exit\n"
		"!\n";

	check_render(text, text);
	check_render("", "");
	check_render("!\n! only comments\n# and this\n\n", "");
}
END_TEST

START_TEST(test_render_free_form)
{
	/*
	 * No indentation, no exit, 'end', CRLF, any order: FRR reads
	 * that, and so do we; the rendering is canonical.
	 */
	check_render("router ospf\r\n"
		     "network 10.0.0.0/24 area 0\r\n"
		     "interface eth1\n"
		     "ip address 10.0.1.1/24\n"
		     "interface eth0\n"
		     "   ip address 10.0.0.1/24\n"
		     "hostname r1\n"
		     "end\n",
		     "hostname r1\n"
		     "!\n"
		     "interface eth0\n"
		     " ip address 10.0.0.1/24\n"
		     "exit\n"
		     "!\n"
		     "interface eth1\n"
		     " ip address 10.0.1.1/24\n"
		     "exit\n"
		     "!\n"
		     "router ospf\n"
		     " network 10.0.0.0/24 area 0\n"
		     "exit\n"
		     "!\n");
}
END_TEST

START_TEST(test_order_independent)
{
	struct lyd_node *a = load("ip route 10.0.0.0/8 10.0.0.2\n"
				  "ip route 9.0.0.0/8 eth0\n"
				  "ip route 10.0.0.0/8 10.0.0.1\n"
				  "interface lo\ninterface eth10\n"
				  "interface eth2\n");
	struct lyd_node *b = load("interface eth2\ninterface eth10\n"
				  "interface lo\n"
				  "ip route 10.0.0.0/8 10.0.0.1\n"
				  "ip route 9.0.0.0/8 eth0\n"
				  "ip route 10.0.0.0/8 10.0.0.2\n");
	char *ta = wp_cli_render(cli, a, NULL), *tb = wp_cli_render(cli, b, NULL);

	ck_assert(lyd_compare_siblings(a, b, LYD_COMPARE_FULL_RECURSION) ==
		  LY_SUCCESS);
	ck_assert_str_eq(ta, tb);
	ck_assert_str_eq(ta, "ip route 9.0.0.0/8 eth0\n"
			 "ip route 10.0.0.0/8 10.0.0.1\n"
			 "ip route 10.0.0.0/8 10.0.0.2\n"
			 "!\n"
			 "interface eth2\nexit\n!\n"
			 "interface eth10\nexit\n!\n"
			 "interface lo\nexit\n!\n");
	wp_free(MT_STRING, ta);
	wp_free(MT_STRING, tb);
	lyd_free_all(a);
	lyd_free_all(b);
}
END_TEST

START_TEST(test_render_module_filter)
{
	struct lyd_node *tree = load("hostname r1\n"
				     "interface eth0\n"
				     " ip address 10.0.0.1/24\n"
				     " ip ospf network point-to-point\n"
				     "interface eth1\n"
				     " ip address 10.0.1.1/24\n"
				     "router ospf\n"
				     " ospf router-id 1.1.1.1\n");
	char *t = wp_cli_render(cli, tree, "waypoint-ospf");

	ck_assert_str_eq(t, "interface eth0\n"
			 " ip ospf network point-to-point\n"
			 "exit\n"
			 "!\n"
			 "router ospf\n"
			 " ospf router-id 1.1.1.1\n"
			 "exit\n"
			 "!\n");
	wp_free(MT_STRING, t);
	t = wp_cli_render(cli, tree, "waypoint-interface");
	ck_assert_str_eq(t, "interface eth0\n"
			 " ip address 10.0.0.1/24\n"
			 "exit\n"
			 "!\n"
			 "interface eth1\n"
			 " ip address 10.0.1.1/24\n"
			 "exit\n"
			 "!\n");
	wp_free(MT_STRING, t);
	lyd_free_all(tree);
}
END_TEST

START_TEST(test_canonical_values)
{
	/* Values come out as libyang stores them. */
	check_render("ip route 10.1.2.3/8 10.0.0.1 010\n"
		     "ipv6 route 2001:DB8:0:0::/32 2001:db8:0::1\n"
		     "interface eth0\n ipv6 address 2001:DB8::1/64\n",
		     "ip route 10.0.0.0/8 10.0.0.1 10\n"
		     "ipv6 route 2001:db8::/32 2001:db8::1\n"
		     "!\n"
		     "interface eth0\n"
		     " ipv6 address 2001:db8::1/64\n"
		     "exit\n"
		     "!\n");
}
END_TEST

/* Static routes monitored by BFD render back as typed, in FRR's order. */
START_TEST(test_static_bfd)
{
	static const char *const text =
		"ip route 10.98.0.0/16 10.0.12.2 eth1 5 tag 7 bfd multihop "
		"source 10.0.12.1 profile fast\n"
		"ip route 10.99.0.0/16 10.0.12.2 bfd\n"
		"ip route 10.99.0.0/16 10.0.13.2 bfd profile slow\n"
		"ipv6 route 2001:db8::/32 fd00:12::2 eth1 bfd source fd00:12::1\n"
		"!\n";

	check_render(text, text);
	/* Given again without bfd, the nexthop loses it. */
	check_render("ip route 10.99.0.0/16 10.0.12.2 bfd profile p\n"
		     "ip route 10.99.0.0/16 10.0.12.2\n",
		     "ip route 10.99.0.0/16 10.0.12.2\n!\n");
}
END_TEST

/* --- abbreviations --------------------------------------------------- */

START_TEST(test_abbreviations)
{
	check_render("int eth0\n"
		     " ip add 10.0.0.1/24\n"
		     " sh\n"
		     " ip os netw point-to-p\n"
		     "ro b 65001\n"
		     " nei 10.0.0.2 rem ext\n"
		     " add ipv4 u\n"
		     "  nei 10.0.0.2 act\n"
		     " exit-a\n"
		     "ip ro 10.9.0.0/16 bl\n"
		     "ip prefix-l L s 5 d a\n"
		     "route-m RM p 10\n"
		     " mat t 5\n",
		     "ip route 10.9.0.0/16 blackhole\n"
		     "!\n"
		     "interface eth0\n"
		     " ip address 10.0.0.1/24\n"
		     " shutdown\n"
		     " ip ospf network point-to-point\n"
		     "exit\n"
		     "!\n"
		     "router bgp 65001\n"
		     " neighbor 10.0.0.2 remote-as external\n"
		     " !\n"
		     " address-family ipv4 unicast\n"
		     "  neighbor 10.0.0.2 activate\n"
		     " exit-address-family\n"
		     "exit\n"
		     "!\n"
		     "ip prefix-list L seq 5 deny any\n"
		     "!\n"
		     "route-map RM permit 10\n"
		     " match tag 5\n"
		     "exit\n"
		     "!\n");
}
END_TEST

/* --- 'no' forms ------------------------------------------------------ */

struct no_case {
	const char *in;
	const char *want;
};

static const struct no_case nos[] = {
	/* A leaf, with or without its value. */
	{ "interface eth0\n mtu 1500\n no mtu\n",
	  "interface eth0\nexit\n!\n" },
	{ "interface eth0\n mtu 1500\n no mtu 9000\n",
	  "interface eth0\nexit\n!\n" },
	/* Booleans: default false, default true. */
	{ "interface eth0\n shutdown\n no shutdown\n",
	  "interface eth0\nexit\n!\n" },
	{ "interface eth0\n no link-detect\n",
	  "interface eth0\n no link-detect\nexit\n!\n" },
	{ "interface eth0\n no link-detect\n link-detect\n",
	  "interface eth0\nexit\n!\n" },
	{ "interface eth0\n vrrp 5\n no vrrp 5 preempt\n",
	  "interface eth0\n vrrp 5\n no vrrp 5 preempt\nexit\n!\n" },
	/* An augmenting module's leaf; its empty container goes too. */
	{ "interface eth0\n ip ospf cost 5\n no ip ospf cost\n",
	  "interface eth0\nexit\n!\n" },
	/* Mode nodes. */
	{ "router ospf\n network 10.0.0.0/8 area 0\nno router ospf\n", "" },
	{ "interface eth0\n mtu 1500\nno interface eth0\n", "" },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n"
	  " no neighbor 10.0.0.1\n",
	  "router bgp 1\nexit\n!\n" },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n"
	  " neighbor 10.0.0.1 timers 10 30\n"
	  " no neighbor 10.0.0.1 timers\n",
	  "router bgp 1\n neighbor 10.0.0.1 remote-as 2\nexit\n!\n" },
	/* A leaf-list names its value. */
	{ "router ospf\n passive-interface eth0\n passive-interface eth1\n"
	  " no passive-interface eth0\n",
	  "router ospf\n passive-interface eth1\nexit\n!\n" },
	/* The last entry takes its list along, as in FRR. */
	{ "ip prefix-list L seq 5 permit any\nno ip prefix-list L seq 5\n", "" },
	{ "ip prefix-list L seq 5 permit any\n"
	  "ip prefix-list L seq 10 deny any\n"
	  "no ip prefix-list L seq 5 permit any\n",
	  "ip prefix-list L seq 10 deny any\n!\n" },
	{ "ip prefix-list L seq 5 permit any\n"
	  "ip prefix-list L seq 10 deny any\nno ip prefix-list L\n", "" },
	{ "route-map RM permit 10\nroute-map RM deny 20\n"
	  "no route-map RM permit 10\n",
	  "route-map RM deny 20\nexit\n!\n" },
	{ "route-map RM permit 10\nroute-map RM deny 20\nno route-map RM\n",
	  "" },
	/* Static routes: one nexthop at a time; ECMP siblings stay. */
	{ "ip route 10.0.0.0/8 10.0.0.1\nip route 10.0.0.0/8 10.0.0.2\n"
	  "no ip route 10.0.0.0/8 10.0.0.1\n",
	  "ip route 10.0.0.0/8 10.0.0.2\n!\n" },
	{ "ip route 10.0.0.0/8 10.0.0.1 eth0 5 tag 3 onlink\n"
	  "no ip route 10.0.0.0/8 10.0.0.1 eth0 5\n", "" },
	{ "ip route 10.0.0.0/8 10.0.0.1 5\n"
	  "no ip route 10.0.0.0/8 10.0.0.1\n",
	  "ip route 10.0.0.0/8 10.0.0.1 5\n!\n" },
	{ "ip route 10.0.0.0/8 blackhole\nno ip route 10.0.0.0/8 blackhole\n",
	  "" },
	/* BGP per-family settings. */
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n"
	  " address-family ipv4 unicast\n  neighbor 10.0.0.1 activate\n"
	  "  no neighbor 10.0.0.1 activate\n",
	  "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n !\n"
	  " address-family ipv4 unicast\n exit-address-family\nexit\n!\n" },
	/* Deleting what is not there is not an error. */
	{ "no ip route 10.0.0.0/8 10.0.0.1\nno interface eth9\n", "" },
	/* Without seq: the next multiple of 5 above the list's highest. */
	{ "ip prefix-list L permit 10.0.0.0/8\n"
	  "ip prefix-list L seq 12 deny 10.9.0.0/16\n"
	  "ip prefix-list L permit 10.1.0.0/16 le 24\n"
	  "ip prefix-list M deny any\n"
	  "ipv6 prefix-list L permit any\n"
	  "ip prefix-list L permit 10.2.0.0/16\n",
	  "ip prefix-list L seq 5 permit 10.0.0.0/8\n"
	  "ip prefix-list L seq 12 deny 10.9.0.0/16\n"
	  "ip prefix-list L seq 15 permit 10.1.0.0/16 le 24\n"
	  "ip prefix-list L seq 20 permit 10.2.0.0/16\n"
	  "ip prefix-list M seq 5 deny any\n"
	  "ipv6 prefix-list L seq 5 permit any\n!\n" },
	/* A line given again replaces what its template names. */
	{ "ip prefix-list L seq 5 permit 10.0.0.0/8 ge 16 le 24\n"
	  "ip prefix-list L seq 5 deny any\n",
	  "ip prefix-list L seq 5 deny any\n!\n" },
};

START_TEST(test_no_forms)
{
	check_render(nos[_i].in, nos[_i].want);
}
END_TEST

/* --- modes ----------------------------------------------------------- */

static void
exec_ok(struct wp_cli_pos *pos, const char *line, unsigned int flags,
	const char *prompt)
{
	struct wp_cli_result res;
	int rc = wp_cli_exec(cli, pos, line, &res);

	ck_assert_msg(rc == WP_CLI_OK, "'%s': %s", line, res.msg);
	ck_assert_msg(res.flags == flags, "'%s': flags %#x, want %#x", line,
		      res.flags, flags);
	ck_assert_str_eq(wp_cli_pos_prompt(pos), prompt);
	wp_cli_result_clear(&res);
}

START_TEST(test_modes)
{
	struct wp_cli_pos pos;

	wp_cli_pos_init(cli, &pos);
	ck_assert_str_eq(wp_cli_pos_prompt(&pos), "config");
	ck_assert_str_eq(wp_cli_pos_xpath(&pos), "");
	exec_ok(&pos, "router bgp 65001", WP_CLI_ENTERED, "config-router");
	ck_assert_str_eq(wp_cli_pos_xpath(&pos),
			 "/waypoint-bgp:bgp/instance[as='65001']");
	exec_ok(&pos, "bgp router-id 1.1.1.1", 0, "config-router");
	exec_ok(&pos, "address-family ipv6 unicast", WP_CLI_ENTERED,
		"config-router-af");
	ck_assert_uint_eq(pos.depth, 2);
	ck_assert_str_eq(wp_cli_pos_xpath(&pos),
			 "/waypoint-bgp:bgp/instance[as='65001']/"
			 "address-family[afi='ipv6'][safi='unicast']");
	exec_ok(&pos, "network 2001:db8::/32", 0, "config-router-af");
	exec_ok(&pos, "exit-address-family", WP_CLI_EXITED, "config-router");
	exec_ok(&pos, "address-family ipv4 unicast", WP_CLI_ENTERED,
		"config-router-af");
	exec_ok(&pos, "exit", WP_CLI_EXITED, "config-router");
	exec_ok(&pos, "exit", WP_CLI_EXITED, "config");
	exec_ok(&pos, "exit", WP_CLI_LEAVE, "config");

	/* A line of an enclosing mode leaves the sub-modes (FRR). */
	exec_ok(&pos, "router bgp 1", WP_CLI_ENTERED, "config-router");
	exec_ok(&pos, "address-family ipv4 unicast", WP_CLI_ENTERED,
		"config-router-af");
	exec_ok(&pos, "neighbor 10.0.0.1 remote-as 2", WP_CLI_EXITED,
		"config-router");
	exec_ok(&pos, "address-family ipv4 unicast", WP_CLI_ENTERED,
		"config-router-af");
	exec_ok(&pos, "interface eth0", WP_CLI_EXITED | WP_CLI_ENTERED,
		"config-if");
	ck_assert_uint_eq(pos.depth, 1);
	exec_ok(&pos, "hostname r1", WP_CLI_EXITED, "config");

	/* Deeper: key chain, key; 'end' leaves from anywhere. */
	exec_ok(&pos, "key chain K", WP_CLI_ENTERED, "config-keychain");
	exec_ok(&pos, "key 1", WP_CLI_ENTERED, "config-keychain-key");
	exec_ok(&pos, "key-string x", 0, "config-keychain-key");
	exec_ok(&pos, "end", WP_CLI_EXITED | WP_CLI_LEAVE, "config");
	ck_assert_uint_eq(pos.depth, 0);

	/* bfd > peer, and 'quit'. */
	exec_ok(&pos, "bfd", WP_CLI_ENTERED, "config-bfd");
	exec_ok(&pos, "peer 10.0.0.1 multihop local-address 10.0.0.2",
		WP_CLI_ENTERED, "config-bfd-peer");
	ck_assert_str_eq(wp_cli_pos_xpath(&pos),
			 "/waypoint-bfd:bfd/peer[address='10.0.0.1']"
			 "[multihop='true'][local-address='10.0.0.2']"
			 "[interface=''][vrf='default']");
	exec_ok(&pos, "quit", WP_CLI_EXITED, "config-bfd");
	wp_cli_pos_clear(&pos);
	ck_assert_uint_eq(pos.depth, 0);
}
END_TEST

START_TEST(test_pos_set)
{
	struct wp_cli_pos pos;
	char *err = NULL;

	wp_cli_pos_init(cli, &pos);
	ck_assert_int_eq(wp_cli_pos_set(cli, &pos,
					"/waypoint-bgp:bgp/instance[as='1']/"
					"address-family[afi='ipv4']"
					"[safi='unicast']", &err), 0);
	ck_assert_uint_eq(pos.depth, 2);
	ck_assert_str_eq(wp_cli_pos_prompt(&pos), "config-router-af");
	ck_assert_str_eq(pos.frame[1].xpath,
			 "/waypoint-bgp:bgp/instance[as='1']");
	exec_ok(&pos, "exit-address-family", WP_CLI_EXITED, "config-router");

	ck_assert_int_eq(wp_cli_pos_set(cli, &pos, "", &err), 0);
	ck_assert_uint_eq(pos.depth, 0);
	ck_assert_int_eq(wp_cli_pos_set(cli, &pos, "/waypoint-routing:system/"
					"hostname", &err), -1);
	ck_assert_str_eq(err, "% /waypoint-routing:system/hostname is not "
			 "edited in a mode of its own");
	wp_free(MT_STRING, err);
	ck_assert_int_eq(wp_cli_pos_set(cli, &pos, "/waypoint-bgp:bgp/"
					"instance[as='x']", &err), -1);
	ck_assert_msg(strncmp(err, "% /waypoint-bgp:bgp/instance[as='x'] is "
			      "not a data path", 40) == 0, "%s", err);
	wp_free(MT_STRING, err);
	ck_assert_uint_eq(pos.depth, 0);
}
END_TEST

/* --- edits ----------------------------------------------------------- */

struct edit_want {
	enum wp_cli_op op;
	const char *xpath;
	const char *value;
	unsigned int prune;
};

static void
check_edits(struct wp_cli_pos *pos, const char *line,
	    const struct edit_want *want, size_t n)
{
	struct wp_cli_result res;

	ck_assert_int_eq(wp_cli_exec(cli, pos, line, &res), WP_CLI_OK);
	ck_assert_uint_eq(res.nedits, n);
	for (size_t i = 0; i < n; i++) {
		const struct wp_cli_edit *e = &res.edits[i];

		ck_assert_int_eq(e->op, want[i].op);
		ck_assert_str_eq(e->xpath, want[i].xpath);
		if (want[i].value)
			ck_assert_str_eq(e->value, want[i].value);
		else
			ck_assert_ptr_null(e->value);
		ck_assert_uint_eq(e->prune, want[i].prune);
	}
	wp_cli_result_clear(&res);
}

#define NH "/waypoint-routing:routing/static-routes/ipv4/" \
	   "route[prefix='10.0.0.0/8']/path[distance='5']/" \
	   "nexthop[gateway='10.0.0.1'][interface='eth0']"

START_TEST(test_edits)
{
	static const struct edit_want route[] = {
		{ WP_CLI_OP_MERGE, NH, NULL, 0 },
		/* A line without bfd takes it away (FRR does too). */
		{ WP_CLI_OP_REMOVE, NH "/bfd", NULL, 0 },
		{ WP_CLI_OP_REMOVE, NH "/bfd-options/multihop", NULL, 0 },
		{ WP_CLI_OP_REMOVE, NH "/bfd-options/source", NULL, 0 },
		{ WP_CLI_OP_REMOVE, NH "/bfd-options/profile", NULL, 0 },
		{ WP_CLI_OP_MERGE, "/waypoint-routing:routing/static-routes/"
		  "ipv4/route[prefix='10.0.0.0/8']/path[distance='5']/tag",
		  "3", 0 },
		{ WP_CLI_OP_MERGE, NH "/onlink", NULL, 0 },
	};
	static const struct edit_want noroute[] = {
		/* path, route, ipv4, static-routes, routing */
		{ WP_CLI_OP_REMOVE, NH, NULL, 5 },
	};
	static const struct edit_want mtu[] = {
		{ WP_CLI_OP_MERGE, "/waypoint-interface:interfaces/"
		  "interface[name='eth0']/mtu", "9000", 0 },
	};
	static const struct edit_want nold[] = {
		{ WP_CLI_OP_MERGE, "/waypoint-interface:interfaces/"
		  "interface[name='eth0']/link-detect", "false", 0 },
	};
	static const struct edit_want quote[] = {
		{ WP_CLI_OP_MERGE, "/waypoint-interface:interfaces/"
		  "interface[name=\"it's\"]", NULL, 0 },
	};
	struct wp_cli_pos pos;
	struct wp_cli_result res;

	wp_cli_pos_init(cli, &pos);
	check_edits(&pos, "ip route 10.0.0.1/8 10.0.0.1 eth0 5 tag 3 onlink",
		    route, 7);
	check_edits(&pos, "no ip route 10.0.0.0/8 10.0.0.1 eth0 5", noroute, 1);
	ck_assert_int_eq(wp_cli_exec(cli, &pos, "interface eth0", &res),
			 WP_CLI_OK);
	wp_cli_result_clear(&res);
	check_edits(&pos, "mtu 9000", mtu, 1);
	check_edits(&pos, "no link-detect", nold, 1);
	wp_cli_pos_clear(&pos);
	check_edits(&pos, "interface it's", quote, 1);
	wp_cli_pos_clear(&pos);
}
END_TEST

START_TEST(test_apply)
{
	static const struct wp_cli_edit create[] = {
		{ WP_CLI_OP_CREATE, "/waypoint-routing:system/hostname",
		  "r1", 0 },
	};
	static const struct wp_cli_edit bad[] = {
		{ WP_CLI_OP_MERGE, "/waypoint-interface:interfaces/"
		  "interface[name='eth0']/mtu", "5", 0 },
	};
	struct lyd_node *tree = NULL;
	char *err = NULL;

	ck_assert_int_eq(wp_cli_apply(cli, &tree, create, 1, &err), 0);
	ck_assert_int_eq(wp_cli_apply(cli, &tree, create, 1, &err), -1);
	ck_assert_str_eq(err, "% /waypoint-routing:system/hostname already "
			 "exists");
	wp_free(MT_STRING, err);
	ck_assert_int_eq(wp_cli_apply(cli, &tree, bad, 1, &err), -1);
	ck_assert_str_eq(err, "% /waypoint-interface:interfaces/interface/mtu: "
			 "range: value 5 is outside 68..65535");
	wp_free(MT_STRING, err);
	lyd_free_all(tree);
}
END_TEST

/* A file of changes on top of a configuration: its `no` lines remove
 * what the base has; any error frees the base too. */
START_TEST(test_load_onto)
{
	struct lyd_node *tree = load("hostname r1\n"
				     "ip route 10.0.0.0/8 10.0.0.1\n"
				     "interface eth0\n mtu 1500\n");
	char *err = NULL, *text;

	ck_assert_int_eq(wp_cli_load_text_onto(cli, "no ip route 10.0.0.0/8 "
					       "10.0.0.1\ninterface eth0\n"
					       " no mtu\n ip address "
					       "10.0.0.1/24\n", "f.conf",
					       &tree, &err), 0);
	text = wp_cli_render(cli, tree, NULL);
	ck_assert_str_eq(text, "hostname r1\n"
			 "!\n"
			 "interface eth0\n"
			 " ip address 10.0.0.1/24\n"
			 "exit\n"
			 "!\n");
	wp_free(MT_STRING, text);
	ck_assert_int_eq(wp_cli_load_text_onto(cli, "interface eth0\n"
					       " mtu 50\n", "f.conf", &tree,
					       &err), -1);
	ck_assert_ptr_null(tree);
	ck_assert_str_eq(err, "f.conf:2: % 50 is out of range for mtu "
			 "(68-65535)");
	wp_free(MT_STRING, err);
}
END_TEST

/* --- errors ---------------------------------------------------------- */

struct err_case {
	const char *in;
	const char *err;
};

static const struct err_case errs[] = {
	{ "router bgp 1\n neighbor 10.0.0.2 remot-as 2\n",
	  "t.conf:2: % Invalid input at 'remot-as': did you mean 'remote-as'?" },
	{ "router bgp 1\n neighbor 10.0.0.300 remote-as 2\n",
	  "t.conf:2: % 10.0.0.300 is not a valid IPv4 address: IPv4 octet 300 "
	  "exceeds 255" },
	{ "ro 1\n",
	  "t.conf:1: % Ambiguous command: 'ro' may be route-map, router" },
	{ "ip route 10.0.0.0/8 10.0.0.1 tag\n",
	  "t.conf:1: % Incomplete command: expected (1-4294967295)" },
	{ "interface eth0\n mtu 50\n",
	  "t.conf:2: % 50 is out of range for mtu (68-65535)" },
	{ "interface eth0\n mtu big\n",
	  "t.conf:2: % Invalid input at 'big': expected (68-65535)" },
	{ "ip route 10.0.0.0/8\n",
	  "t.conf:1: % Incomplete command: expected (A.B.C.D|blackhole|reject), "
	  "INTERFACE" },
	{ "ip route 10.0.0.0/8 10.0.0.1 300\n",
	  "t.conf:1: % 300 is out of range for distance (1-255)" },
	{ "ip route 10.0.0.0/33 10.0.0.1\n",
	  "t.conf:1: % 10.0.0.0/33 is not a valid IPv4 prefix: prefix length "
	  "33 exceeds 32 for IPv4" },
	{ "interface eth0\n ip address 10.0.0.1/33\n",
	  "t.conf:2: % 33 is out of range for prefix-length (0-32)" },
	{ "interface eth0eth0eth0eth0eth0\n",
	  "t.conf:1: % eth0eth0eth0eth0eth0 is not a valid interface name: "
	  "length of \"eth0eth0eth0eth0eth0\" is outside 1..15" },
	{ "hostname -r1\n",
	  "t.conf:1: % -r1 is not a valid hostname: A host name is letters, "
	  "digits, '.' and '-'" },
	{ "shutdown\n",
	  "t.conf:1: % Invalid input at 'shutdown'" },
	{ "interface eth0\n shutdwn\n",
	  "t.conf:2: % Invalid input at 'shutdwn': did you mean 'shutdown'?" },
	{ "interface eth0\n mtu 1500 9000\n",
	  "t.conf:2: % Invalid input at '9000'" },
	{ "no\n", "t.conf:1: % Incomplete command" },
	{ "no mtu\n", "t.conf:1: % Invalid input at 'mtu'" },
	{ "exit-address-family\n",
	  "t.conf:1: % Invalid input at 'exit-address-family'" },
	{ "router bgp 1\n neighbor 10.0.0.5\n",
	  "t.conf:2: % Incomplete command: expected remote-as, description, "
	  "shutdown, timers" },
	{ "ip prefix-list L seq 5 allow any\n",
	  "t.conf:1: % Invalid input at 'allow': expected (deny|permit)" },
	/* Without seq: numbered, but not to remove. */
	{ "ip prefix-list L seq 4294967290 permit any\n"
	  "ip prefix-list L deny any\nno ip prefix-list L permit any\n",
	  "t.conf:2: % No seq left after 4294967290: give one\n"
	  "t.conf:3: % Invalid input at 'permit'" },
	{ "router bgp 1\n e\n",
	  "t.conf:2: % Ambiguous command: 'e' may be end, exit" },
	/* Data model constraints, reported at the line behind them. */
	{ "router bgp 1\n address-family ipv4 unicast\n"
	  "  neighbor 10.0.0.9 activate\n",
	  "t.conf:3: % /waypoint-bgp:bgp/instance[as='1']/address-family"
	  "[afi='ipv4'][safi='unicast']/neighbor[address='10.0.0.9']/address: "
	  "leafref: \"10.0.0.9\" is not an existing ../../../neighbor/address" },
	{ "router bgp 1\nrouter bgp 2\n",
	  "t.conf:2: % /waypoint-bgp:bgp/instance[as='2']: max-elements: Too "
	  "many \"instance\" instances (at most 1)" },
	{ "bfd\n peer 10.0.0.1\n  minimum-ttl 5\n",
	  "t.conf:3: % /waypoint-bfd:bfd/peer[address='10.0.0.1']"
	  "[multihop='false'][local-address=''][interface='']"
	  "[vrf='default']/minimum-ttl: "
	  "must: minimum-ttl applies to multihop sessions only" },
	/* Every bad line, and nothing else, in one report. */
	{ "hostname r1\ninterface eth0\n mtu 50\n mtu 1500\n mtu 70000\n",
	  "t.conf:3: % 50 is out of range for mtu (68-65535)\n"
	  "t.conf:5: % 70000 is out of range for mtu (68-65535)" },
	{ "ip prefix-list L seq 5 permit 10.0.0.0/16 ge 8\n"
	  "ip prefix-list L seq 10 permit any le 8\n",
	  "t.conf:1: % /waypoint-routing:prefix-lists/ipv4/prefix-list"
	  "[name='L']/entry[seq='5']/ge: must: ge must be at least the prefix "
	  "length\n"
	  "t.conf:2: % /waypoint-routing:prefix-lists/ipv4/prefix-list"
	  "[name='L']/entry[seq='10']/le: must: le needs a prefix, not 'any'" },
};

START_TEST(test_errors)
{
	char *err = load_err(errs[_i].in);

	ck_assert_str_eq(err, errs[_i].err);
	wp_free(MT_STRING, err);
}
END_TEST

START_TEST(test_exec_error_word)
{
	struct wp_cli_pos pos;
	struct wp_cli_result res;

	wp_cli_pos_init(cli, &pos);
	ck_assert_int_eq(wp_cli_exec(cli, &pos, "router bgp 1", &res),
			 WP_CLI_OK);
	wp_cli_result_clear(&res);
	ck_assert_int_eq(wp_cli_exec(cli, &pos, "neighbor 10.0.0.1 remot-as 2",
				     &res), WP_CLI_ERR_NO_MATCH);
	ck_assert_uint_eq(res.word, 2);
	ck_assert_uint_eq(res.nedits, 0);
	ck_assert_str_eq(wp_cli_pos_prompt(&pos), "config-router");
	wp_cli_result_clear(&res);
	ck_assert_int_eq(wp_cli_exec(cli, &pos, "ro", &res),
			 WP_CLI_ERR_INCOMPLETE);
	wp_cli_result_clear(&res);
	wp_cli_pos_clear(&pos);
}
END_TEST

/* --- completion ------------------------------------------------------ */

struct cands {
	char buf[2048];
};

static void
cand_add(const char *word, const char *help, void *arg)
{
	struct cands *c = arg;
	size_t len = strlen(c->buf);

	ck_assert_msg(*help || strcmp(word, "<cr>") == 0, "%s: no help", word);
	snprintf(c->buf + len, sizeof(c->buf) - len, "%s%s", len ? " " : "",
		 word);
}

static void
check_complete(const char *setup_line, const char *line, const char *want)
{
	struct wp_cli_pos pos;
	struct wp_cli_result res;
	struct cands c = { "" };
	char *err = NULL;

	wp_cli_pos_init(cli, &pos);
	if (setup_line) {
		ck_assert_int_eq(wp_cli_exec(cli, &pos, setup_line, &res),
				 WP_CLI_OK);
		wp_cli_result_clear(&res);
	}
	ck_assert_int_eq(wp_cli_complete(cli, &pos, line, cand_add, &c, &err),
			 WP_CLI_OK);
	ck_assert_msg(strcmp(c.buf, want) == 0, "'%s': got '%s', want '%s'",
		      line, c.buf, want);
	wp_cli_pos_clear(&pos);
}

START_TEST(test_complete)
{
	struct wp_cli_pos pos;
	char *err = NULL;

	check_complete(NULL, "router ", "bgp isis ospf");
	check_complete(NULL, "rou", "route-map router");
	check_complete(NULL, "router bgp ", "(1-4294967295)");
	check_complete(NULL, "router bgp 1 ", "<cr>");
	check_complete(NULL, "router ospf", "ospf");
	check_complete(NULL, "router ospf ", "vrf <cr>");
	check_complete(NULL, "ip route 10.0.0.0/8 ",
		       "A.B.C.D INTERFACE blackhole reject");
	check_complete(NULL, "ip route 10.0.0.0/8 10.0.0.1 ",
		       "(1-255) INTERFACE bfd onlink tag <cr>");
	check_complete(NULL, "ip route 10.0.0.0/8 10.0.0.1 bfd ",
		       "multihop profile source <cr>");
	check_complete(NULL, "ip route 10.0.0.0/8 b", "INTERFACE blackhole");
	check_complete(NULL, "ip route 10.0.0.0/8 1", "A.B.C.D INTERFACE");
	check_complete(NULL, "n", "no");
	check_complete(NULL, "no ip prefix-list L ", "description seq <cr>");
	check_complete("router bgp 1", "neighbor 10.0.0.1 ",
		       "description remote-as shutdown timers");
	check_complete("router bgp 1", "neighbor 10.0.0.1 remote-as ",
		       "(1-4294967295) external internal");
	check_complete("router bgp 1", "e", "end exit");
	check_complete("interface eth0", "ip ospf network ",
		       "broadcast non-broadcast point-to-multipoint "
		       "point-to-point");
	check_complete("interface eth0", "ip a", "address");
	check_complete("interface eth0", "ip address ", "A.B.C.D/M");
	check_complete("interface eth0", "ip address 10.0", "A.B.C.D/M");

	/* An error before the word being completed. */
	wp_cli_pos_init(cli, &pos);
	ck_assert_int_eq(wp_cli_complete(cli, &pos, "rooter ", cand_add, NULL,
					 &err), WP_CLI_ERR_NO_MATCH);
	ck_assert_str_eq(err, "% Invalid input at 'rooter': did you mean "
			 "'router'?");
	wp_free(MT_STRING, err);
}
END_TEST

/* --- templates the builder refuses ----------------------------------- */

static const char *const bad_templates[][2] = {
	{ "leaf a { type string; wpcli:command \"a {b}\"; }",
	  "\"a {b}\" (on a): no leaf of that name here or above near \"{b}\"" },
	{ "leaf a { type string; wpcli:command \"a ({a}\"; }",
	  "\"a ({a}\" (on a): unbalanced brackets near \"\"" },
	{ "leaf a { type string; wpcli:command \"a {a\"; }",
	  "\"a {a\" (on a): '{' without '}' near \"{a\"" },
	{ "leaf a { type string; wpcli:command \"zz {a}\"; }",
	  "\"zz {a}\": keyword 'zz' has no help (wpcli:keyword)" },
	{ "leaf a { type string; wpcli:command \"a\"; }",
	  "\"a\": the template does not set a" },
	{ "leaf a { type string; wpcli:command \"A {a}\"; }",
	  "\"A {a}\" (on a): a keyword is lower-case letters, digits, '-' and "
	  "'.' near \" {a}\"" },
	{ "list l { key k; leaf k { type string; } leaf v { type string; }"
	  " wpcli:command \"a {v}\"; }",
	  "\"a {v}\": key k of l is not in the template" },
	{ "list l { key k; leaf k { type uint8; } wpcli:command \"a [{k}]\"; }",
	  "\"a [{k}]\": key k may be left out but has no wpcli:default" },
	{ "leaf a { type string; wpcli:command \"a {a...} a\"; }",
	  "\"a {a...} a\": '...' must be the last word" },
	{ "leaf a { type string; wpcli:command \"a {a}\"; }"
	  " leaf b { type string; wpcli:command \"a {b}\"; }",
	  "\"a {a}\" and \"a {b}\" (mode config) have a form in common" },
	{ "leaf a { type string; wpcli:mode \"x\"; }",
	  "a: wpcli:mode without wpcli:command" },
	{ "leaf a { type string; wpcli:command \"a {a}\"; "
	  "wpcli:command \"a x {a}\"; }",
	  "a: more than one wpcli:command" },
};

/* A context with one module "t" holding `body` in a container. */
static struct ly_ctx *
ctx_with(const char *keywords, const char *body)
{
	char dir[] = "/tmp/check_cli.XXXXXX", path[64];
	struct ly_ctx *c = NULL;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.yang", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "module t { yang-version 1.1; namespace \"urn:t\"; "
		"prefix t; import waypoint-cli { prefix wpcli; } "
		"wpcli:keyword \"a A keyword\"; %s container c { %s } }\n",
		keywords, body);
	fclose(f);
	ck_assert_int_eq(ly_ctx_new(dir, LY_CTX_DISABLE_SEARCHDIR_CWD, &c),
			 LY_SUCCESS);
	ck_assert_int_eq(ly_ctx_set_searchdir(c, TOP_SRCDIR "/yang"),
			 LY_SUCCESS);
	ck_assert_ptr_nonnull(ly_ctx_load_module(c, "t", NULL, NULL));
	unlink(path);
	rmdir(dir);
	return c;
}

START_TEST(test_bad_templates)
{
	struct ly_ctx *c = ctx_with("", bad_templates[_i][0]);
	struct wp_cli *bad;
	char *err = NULL;

	bad = wp_cli_new(c, &err);
	ck_assert_ptr_null(bad);
	ck_assert_str_eq(err, bad_templates[_i][1]);
	wp_free(MT_STRING, err);
	ly_ctx_destroy(c);
}
END_TEST

/* State (config false) never becomes a command, even with a template
 * (a broken one here: it would be refused if the builder read it). */
START_TEST(test_state_skipped)
{
	struct ly_ctx *c = ctx_with("", "leaf a { type string; "
				    "wpcli:command \"a {a}\"; } "
				    "container s { config false; "
				    "leaf b { type string; "
				    "wpcli:command \"a {zz}\"; } }");
	struct wp_cli *cli2;
	char *err = NULL;

	cli2 = wp_cli_new(c, &err);
	ck_assert_msg(cli2 != NULL, "%s", err ? err : "");
	wp_cli_free(cli2);
	ly_ctx_destroy(c);
}
END_TEST

/*
 * References up (../k) and down (inner/v), a compound word with two
 * values, a user-ordered leaf-list, the rest of the line.
 */
START_TEST(test_custom_module)
{
	struct ly_ctx *c = ctx_with(
		"wpcli:keyword \"set S\"; wpcli:keyword \"tag T\"; "
		"wpcli:keyword \"note N\"; wpcli:keyword \"m M\";",
		"list l { key k; wpcli:command \"a {k}\"; "
		"  leaf k { type string; } "
		"  container sub { wpcli:command \"a {../k} set {x}-{y}\"; "
		"    leaf x { type uint8; } leaf y { type string; } } "
		"  leaf-list tag { type string; ordered-by user; "
		"    wpcli:command \"a {k} tag {tag}\"; } "
		"  leaf note { type string; "
		"    wpcli:command \"a {k} note {note...}\"; } } "
		"list m { key n; wpcli:command \"m {n} {inner/v}\"; "
		"  leaf n { type uint8; } "
		"  container inner { leaf v { type string; } } }");
	struct wp_cli *t;
	struct lyd_node *tree = NULL;
	char *err = NULL, *text;

	t = wp_cli_new(c, &err);
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_int_eq(wp_cli_load_text(t, "m 10 ten\n"
					  "a one\n"
					  "a one set 5-foo\n"
					  "a one tag z\n"
					  "a one tag b\n"
					  "a one note hello   world\n"
					  "m 2 two\n"
					  "a two tag x\n"
					  "no a two tag x\n"
					  "m 3 three\n"
					  "no m 3\n", "t", &tree, &err), 0);
	text = wp_cli_render(t, tree, NULL);
	ck_assert_str_eq(text, "a one\n"
			 "a one set 5-foo\n"
			 "a one tag z\n"
			 "a one tag b\n"
			 "a one note hello world\n"
			 "a two\n"
			 "m 2 two\n"
			 "m 10 ten\n"
			 "!\n");
	wp_free(MT_STRING, text);
	lyd_free_all(tree);
	ck_assert_int_eq(wp_cli_load_text(t, "a one set 300-x\n", "t", &tree,
					  &err), -1);
	ck_assert_str_eq(err, "t:1: % 300 is out of range for x (0-255)");
	wp_free(MT_STRING, err);
	wp_cli_free(t);
	ly_ctx_destroy(c);
}
END_TEST

START_TEST(test_text_error)
{
	static const char text[] = "bfd\n peer 10.0.0.9 multihop\n exit\n";
	char err[128];

	snprintf(err, sizeof(err), "mgmtd:2: multihop needs a local-address");
	wp_cli_text_error(text, err, sizeof(err));
	ck_assert_str_eq(err, "multihop needs a local-address "
			 "(in 'peer 10.0.0.9 multihop')");
	/* Not "NAME:LINE: reason", or a line the text does not have: as is */
	snprintf(err, sizeof(err), "mgmtd: out of memory");
	wp_cli_text_error(text, err, sizeof(err));
	ck_assert_str_eq(err, "mgmtd: out of memory");
	snprintf(err, sizeof(err), "mgmtd:9: past the end");
	wp_cli_text_error(text, err, sizeof(err));
	ck_assert_str_eq(err, "mgmtd:9: past the end");
	snprintf(err, sizeof(err), "no colon at all");
	wp_cli_text_error(text, err, sizeof(err));
	ck_assert_str_eq(err, "no colon at all");
}
END_TEST


int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_tree, 0,
			    sizeof(syntaxes) / sizeof(syntaxes[0]));
	tcase_add_test(tc, test_doc_lists_commands);
	tcase_add_test(tc, test_free_releases);
	tcase_add_test(tc, test_render_canonical);
	tcase_add_test(tc, test_render_free_form);
	tcase_add_test(tc, test_order_independent);
	tcase_add_test(tc, test_render_module_filter);
	tcase_add_test(tc, test_canonical_values);
	tcase_add_test(tc, test_abbreviations);
	tcase_add_loop_test(tc, test_no_forms, 0, sizeof(nos) / sizeof(nos[0]));
	tcase_add_test(tc, test_modes);
	tcase_add_test(tc, test_pos_set);
	tcase_add_test(tc, test_edits);
	tcase_add_test(tc, test_static_bfd);
	tcase_add_test(tc, test_apply);
	tcase_add_test(tc, test_load_onto);
	tcase_add_loop_test(tc, test_errors, 0, sizeof(errs) / sizeof(errs[0]));
	tcase_add_test(tc, test_exec_error_word);
	tcase_add_test(tc, test_complete);
	tcase_add_test(tc, test_custom_module);
	tcase_add_test(tc, test_state_skipped);
	tcase_add_test(tc, test_text_error);
	tcase_add_loop_test(tc, test_bad_templates, 0,
			    sizeof(bad_templates) / sizeof(bad_templates[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
