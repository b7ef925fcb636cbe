/*
 * Unit tests for vtysh's pure parts: output pipes and their filters, the
 * configuration diff, prompts (with the engine's modes), candidate lists,
 * data-path parents, and the union of command trees (vtysh_dispatch.c):
 * abbreviations spelled out across trees, ambiguity between trees,
 * completion, and which tree answers a line.  The trees are in-process
 * wp_vty tables standing for vtysh and two daemons.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtysh.h"
#include "wp_check.h"
#include "wp_json.h"
#include "wp_loop.h"
#include "wp_vty.h"
#include "wp_yang.h"

/* --- pipes --------------------------------------------------------------- */

START_TEST(test_pipe_parse)
{
	struct vt_pipeline pl;
	char *err;

	ck_assert_int_eq(vt_pipeline_parse("  show ip route  ", &pl, &err), 0);
	ck_assert_str_eq(pl.cmd, "show ip route");
	ck_assert_uint_eq(pl.n, 0);
	vt_pipeline_free(&pl);

	/* The regex takes the rest of the line, '|' included. */
	ck_assert_int_eq(vt_pipeline_parse("show interface | include "
					   "eth0|eth1 ", &pl, &err), 0);
	ck_assert_str_eq(pl.cmd, "show interface");
	ck_assert_uint_eq(pl.n, 1);
	ck_assert_int_eq(pl.p[0].kind, VT_PIPE_INCLUDE);
	ck_assert_str_eq(pl.p[0].pattern, "eth0|eth1");
	ck_assert(!pl.json);
	vt_pipeline_free(&pl);

	/* Abbreviated words; json chains. */
	ck_assert_int_eq(vt_pipeline_parse("sh ip ro | js | ex ^Codes", &pl,
					   &err), 0);
	ck_assert_str_eq(pl.cmd, "sh ip ro");
	ck_assert_uint_eq(pl.n, 2);
	ck_assert(pl.json);
	ck_assert_int_eq(pl.p[1].kind, VT_PIPE_EXCLUDE);
	ck_assert_str_eq(pl.p[1].pattern, "^Codes");
	vt_pipeline_free(&pl);

	/* A '|' inside a word is not a pipe. */
	ck_assert_int_eq(vt_pipeline_parse("description a|b", &pl, &err), 0);
	ck_assert_str_eq(pl.cmd, "description a|b");
	ck_assert_uint_eq(pl.n, 0);
	vt_pipeline_free(&pl);
}
END_TEST

static const struct {
	const char *line;
	const char *err;
} pipe_errs[] = {
	{ "show x | grep y", "% Invalid pipe 'grep': expected begin, count, "
			     "exclude, include or json" },
	{ "show x |", "% Incomplete pipe: expected begin, count, exclude, "
		      "include or json after '|'" },
	{ "show x | include", "% '| include' needs a regular expression" },
	{ "show x | include (", "% Invalid regular expression: " },
	{ "show x | json yes", "% Invalid input after '| json'" },
	{ "| include x", "% A pipe needs a command before it" },
};

START_TEST(test_pipe_errors)
{
	struct vt_pipeline pl;
	char *err = NULL;

	ck_assert_int_eq(vt_pipeline_parse(pipe_errs[_i].line, &pl, &err), -1);
	ck_assert_msg(strncmp(err, pipe_errs[_i].err,
			      strlen(pipe_errs[_i].err)) == 0,
		      "%s: got \"%s\"", pipe_errs[_i].line, err);
	wp_free(MT_STRING, err);
}
END_TEST

static char *
filter(const char *line, const char *text)
{
	struct vt_pipeline pl;
	char *err = NULL, *out;

	ck_assert_msg(vt_pipeline_parse(line, &pl, &err) == 0, "%s", err);
	out = vt_pipeline_filter(&pl, text);
	vt_pipeline_free(&pl);
	return out;
}

START_TEST(test_pipe_filter)
{
	static const char text[] = "Codes: K kernel\n"
				   "K 10.0.0.0/8 eth0\n"
				   "S 10.1.0.0/16 eth1\n"
				   "C 192.168.0.0/24 eth2\n";
	static const struct {
		const char *line, *want;
	} cases[] = {
		{ "x | include eth[01]", "K 10.0.0.0/8 eth0\n"
					 "S 10.1.0.0/16 eth1\n" },
		{ "x | i eth0|eth2", "K 10.0.0.0/8 eth0\n"
				     "C 192.168.0.0/24 eth2\n" },
		{ "x | exclude ^Codes", "K 10.0.0.0/8 eth0\n"
					"S 10.1.0.0/16 eth1\n"
					"C 192.168.0.0/24 eth2\n" },
		{ "x | begin ^S", "S 10.1.0.0/16 eth1\n"
				  "C 192.168.0.0/24 eth2\n" },
		{ "x | count", "4\n" },
		{ "x | json | count", "4\n" },
		{ "x | include nothing", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = filter(cases[i].line, text);

		ck_assert_msg(strcmp(out, cases[i].want) == 0,
			      "%s: got\n%s", cases[i].line, out);
		wp_free(MT_STRING, out);
	}
}
END_TEST

/* --- configuration diff -------------------------------------------------- */

START_TEST(test_diff)
{
	static const char old[] = "hostname r1\n"
				  "!\n"
				  "interface eth1\n"
				  " ip address 10.0.0.1/24\n"
				  " mtu 1500\n"
				  "exit\n"
				  "!\n"
				  "router bgp 1\n"
				  "exit\n"
				  "!\n";
	static const char new[] = "hostname r2\n"
				  "!\n"
				  "interface eth1\n"
				  " ip address 10.0.0.1/24\n"
				  "exit\n"
				  "!\n"
				  "interface eth2\n"
				  " mtu 9000\n"
				  "exit\n"
				  "!\n"
				  "router bgp 1\n"
				  " neighbor 10.0.0.2 remote-as 2\n"
				  "exit\n"
				  "!\n";
	char *d = vt_diff_lines(old, new);

	ck_assert_str_eq(d, "- hostname r1\n"
			 "+ hostname r2\n"
			 "  interface eth1\n"
			 "-  mtu 1500\n"
			 "+ interface eth2\n"
			 "+  mtu 9000\n"
			 "+ exit\n"
			 "  router bgp 1\n"
			 "+  neighbor 10.0.0.2 remote-as 2\n");
	wp_free(MT_STRING, d);
	d = vt_diff_lines(new, new);
	ck_assert_str_eq(d, "");
	wp_free(MT_STRING, d);
	d = vt_diff_lines("", "ip route 10.0.0.0/8 eth0\n!\n");
	ck_assert_str_eq(d, "+ ip route 10.0.0.0/8 eth0\n");
	wp_free(MT_STRING, d);
}
END_TEST

/* --- prompts and modes --------------------------------------------------- */

START_TEST(test_prompt_modes)
{
	static const struct {
		const char *line, *prompt;
	} steps[] = {
		{ "interface eth1", "r1(config-if)# " },
		{ " mtu 1500", "r1(config-if)# " },
		{ "router bgp 65001", "r1(config-router)# " },
		{ " address-family ipv4 unicast", "r1(config-router-af)# " },
		{ " exit-address-family", "r1(config-router)# " },
		{ "exit", "r1(config)# " },
		{ "route-map RM permit 10", "r1(config-route-map)# " },
		{ "end", "r1(config)# " },
	};
	struct ly_ctx *ctx;
	struct wp_cli *cli;
	struct wp_cli_pos pos;
	char *err = NULL, *p;

	p = vt_prompt("r1", NULL);
	ck_assert_str_eq(p, "r1# ");
	wp_free(MT_STRING, p);
	ck_assert_int_eq(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err),
			 0);
	ck_assert_ptr_nonnull(cli = wp_cli_new(ctx, &err));
	wp_cli_pos_init(cli, &pos);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct wp_cli_result res;

		ck_assert_int_eq(wp_cli_exec(cli, &pos, steps[i].line, &res),
				 WP_CLI_OK);
		if (i + 1 == sizeof(steps) / sizeof(steps[0]))
			ck_assert(res.flags & WP_CLI_LEAVE);
		wp_cli_result_clear(&res);
		p = vt_prompt("r1", wp_cli_pos_prompt(&pos));
		ck_assert_str_eq(p, steps[i].prompt);
		wp_free(MT_STRING, p);
	}
	wp_cli_pos_clear(&pos);
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

/* --- small helpers ------------------------------------------------------- */

START_TEST(test_words)
{
	struct vt_words ws;
	char *j;

	vt_words_split("  sh  ip ro ", &ws);
	ck_assert_uint_eq(ws.n, 3);
	ck_assert_str_eq(ws.w[2], "ro");
	ck_assert_uint_eq(ws.off[0], 2);
	ck_assert_uint_eq(ws.off[1], 6);
	ck_assert(ws.trailing_blank);
	j = vt_words_join(&ws, 1, 3);
	ck_assert_str_eq(j, "ip ro");
	wp_free(MT_STRING, j);
	vt_words_free(&ws);
	vt_words_split("conf", &ws);
	ck_assert(!ws.trailing_blank);
	vt_words_free(&ws);
	vt_words_split("", &ws);
	ck_assert_uint_eq(ws.n, 0);
	ck_assert(ws.trailing_blank);
	vt_words_free(&ws);
}
END_TEST

START_TEST(test_cands)
{
	struct vt_cands cs = { 0 };
	char *common, *text;
	size_t n;

	vt_cands_add_text(&cs, "route\tIP routing table\nrouter\tRouting "
			  "protocol\nA.B.C.D\tAn address\n<cr>\t\n");
	vt_cands_add(&cs, "route", "again");
	ck_assert_uint_eq(cs.n, 3);
	ck_assert(cs.cr);
	vt_cands_sort(&cs);
	ck_assert_str_eq(cs.c[0].word, "A.B.C.D");
	ck_assert(!vt_is_keyword("A.B.C.D"));
	ck_assert(!vt_is_keyword("(1-255)"));
	ck_assert(!vt_is_keyword("WORD"));
	ck_assert(vt_is_keyword("remote-as"));
	common = vt_cands_common(&cs, "ro", &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(common, "route");
	wp_free(MT_STRING, common);
	common = vt_cands_common(&cs, "router", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(common, "router");
	wp_free(MT_STRING, common);
	ck_assert_ptr_null(vt_cands_common(&cs, "x", &n));
	ck_assert_str_eq(vt_cands_suggest(&cs, "rotue"), "route");
	ck_assert_ptr_null(vt_cands_suggest(&cs, "version"));
	text = vt_cands_format(&cs);
	ck_assert_str_eq(text, "  A.B.C.D  An address\n"
			 "  route    IP routing table\n"
			 "  router   Routing protocol\n"
			 "  <cr>   \n");
	wp_free(MT_STRING, text);
	vt_cands_free(&cs);
}
END_TEST

START_TEST(test_xpath_parent)
{
	char *p = vt_xpath_parent("/waypoint-routing:routing/static-routes/"
				  "ipv4/route[prefix='10.0.0.0/8']/path"
				  "[distance='1']");

	ck_assert_str_eq(p, "/waypoint-routing:routing/static-routes/ipv4/"
			 "route[prefix='10.0.0.0/8']");
	wp_free(MT_STRING, p);
	p = vt_xpath_parent("/a:b[k='x/y']/c");
	ck_assert_str_eq(p, "/a:b[k='x/y']");
	wp_free(MT_STRING, p);
	ck_assert_ptr_null(vt_xpath_parent("/a:b[k='x/y']"));
}
END_TEST

START_TEST(test_uptime)
{
	char b[32];

	vt_uptime_fmt(312, b, sizeof(b));
	ck_assert_str_eq(b, "00:05:12");
	vt_uptime_fmt(2 * 86400 + 3 * 3600 + 4 * 60, b, sizeof(b));
	ck_assert_str_eq(b, "2d03h04m");
	vt_uptime_fmt(36 * 86400 + 3600, b, sizeof(b));
	ck_assert_str_eq(b, "5w1d01h");
}
END_TEST

/* --- the union of command trees ------------------------------------------ */

static struct wp_loop *loop;
static struct wp_vty *vty_own, *vty_rib, *vty_mgmt;
static struct vt_target targets[3];

static int
say_name(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	const char *name = wp_vty_ctx_arg(ctx);

	if (json)
		wp_vty_out(ctx, "{ \"from\": \"%s\" }\n", name);
	else
		wp_vty_out(ctx, "from %s\n", name);
	return WP_VTY_OK;
}

static int
refuse(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	wp_vty_out(ctx, "%% cannot\n");
	return WP_VTY_ERR_FAILED;
}

static void
install(struct wp_vty *vty, const char *tmpl, const char *help,
	const char *name)
{
	ck_assert_int_eq(wp_vty_install_arg(vty, tmpl, help, say_name,
					    (void *)(uintptr_t)name), 0);
}

static void
trees_setup(void)
{
	loop = wp_loop_new();
	vty_own = wp_vty_new(loop, "vtysh");
	vty_rib = wp_vty_new(loop, "ribd");
	vty_mgmt = wp_vty_new(loop, "mgmtd");
	install(vty_own, "configure [terminal]", "Configure\nTerminal\n",
		"vtysh");
	install(vty_own, "show version [json]", WP_SHOW_STR "Version\n"
		WP_JSON_STR, "vtysh");
	install(vty_rib, "show version [json]", WP_SHOW_STR "Version\n"
		WP_JSON_STR, "ribd");
	install(vty_rib, "show ip route [A.B.C.D] [json]", WP_SHOW_STR "IP\n"
		"Routes\n" "Address\n" WP_JSON_STR, "ribd");
	install(vty_rib, "show interface [NAME]", WP_SHOW_STR "Interfaces\n"
		"Name\n", "ribd");
	install(vty_rib, "show memory [json]", WP_SHOW_STR "Memory\n"
		WP_JSON_STR, "ribd");
	install(vty_mgmt, "show memory [json]", WP_SHOW_STR "Memory\n"
		WP_JSON_STR, "mgmtd");
	install(vty_mgmt, "show mgmt", WP_SHOW_STR "Management\n", "mgmtd");
	ck_assert_int_eq(wp_vty_install(vty_mgmt, "clear everything",
					WP_CLEAR_STR "All\n", refuse), 0);
	vt_target_local(&targets[0], "vtysh", vty_own, true);
	vt_target_local(&targets[1], "mgmtd", vty_mgmt, false);
	vt_target_local(&targets[2], "ribd", vty_rib, false);
}

static void
trees_teardown(void)
{
	wp_vty_free(vty_own);
	wp_vty_free(vty_rib);
	wp_vty_free(vty_mgmt);
	wp_loop_free(loop);
}

static const struct {
	const char *in;
	const char *out;		/* NULL: an error */
	const char *err;
	size_t bad;
} expands[] = {
	{ "sh ip ro", "show ip route", NULL, 0 },
	{ "conf t", "configure terminal", NULL, 0 },
	{ "sh mem js", "show memory json", NULL, 0 },
	{ "sh int eth0", "show interface eth0", NULL, 0 },
	{ "sh ip ro 10.0.0.1", "show ip route 10.0.0.1", NULL, 0 },
	{ "  show   version ", "show version", NULL, 0 },
	{ "", "", NULL, 0 },
	/* Each daemon alone would take "m"; together they cannot. */
	{ "sh m", NULL, "% Ambiguous command: 'm' may be memory, mgmt", 1 },
	{ "shwo ver", NULL, "% Invalid input at 'shwo': did you mean "
			    "'show'?", 0 },
	{ "sh ver detail", NULL, "% Invalid input at 'detail'", 2 },
	{ "sh ip rotue", NULL, "% Invalid input at 'rotue': did you mean "
			       "'route'?", 2 },
};

START_TEST(test_expand)
{
	char *out = NULL, *err = NULL;
	size_t bad = 99;
	int rc = vt_expand(targets, 3, expands[_i].in, &out, &err, &bad);

	if (expands[_i].out) {
		ck_assert_msg(rc == 0, "%s: %s", expands[_i].in, err);
		ck_assert_str_eq(out, expands[_i].out);
	} else {
		ck_assert_msg(rc == -1, "%s: expanded to %s", expands[_i].in,
			      out);
		ck_assert_str_eq(err, expands[_i].err);
		ck_assert_uint_eq(bad, expands[_i].bad);
	}
	wp_free(MT_STRING, out);
	wp_free(MT_STRING, err);
}
END_TEST

static char *
listing(const char *line)
{
	struct vt_cands cs = { 0 };
	struct vt_buf b = { 0 };
	char *err = NULL;

	if (vt_complete(targets, 3, line, &cs, &err) == -1) {
		vt_buf_printf(&b, "error: %s", err);
		wp_free(MT_STRING, err);
	} else {
		for (size_t i = 0; i < cs.n; i++)
			vt_buf_printf(&b, "%s ", cs.c[i].word);
		if (cs.cr)
			vt_buf_puts(&b, "<cr>");
	}
	vt_cands_free(&cs);
	return vt_buf_take(&b);
}

START_TEST(test_complete)
{
	static const struct {
		const char *line, *want;
	} cases[] = {
		{ "", "clear configure show " },
		{ "sh ", "interface ip memory mgmt version " },
		{ "sh m", "memory mgmt " },
		{ "conf", "configure " },
		{ "sh ip ro ", "A.B.C.D json <cr>" },
		{ "sh mem ", "json <cr>" },
		{ "sh m ", "error: % Ambiguous command: 'm' may be memory, "
			   "mgmt" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = listing(cases[i].line);

		ck_assert_msg(strcmp(got, cases[i].want) == 0,
			      "'%s': got '%s'", cases[i].line, got);
		wp_free(MT_STRING, got);
	}
}
END_TEST

START_TEST(test_dispatch)
{
	char *out;
	json_object *o, *v;

	/* One daemon knows it. */
	ck_assert_int_eq(vt_dispatch(targets, 3, "show ip route", false, &out),
			 WP_VTY_OK);
	ck_assert_str_eq(out, "from ribd\n");
	wp_free(MT_STRING, out);
	/* vtysh's own commands shadow the daemons'. */
	ck_assert_int_eq(vt_dispatch(targets, 3, "show version", false, &out),
			 WP_VTY_OK);
	ck_assert_str_eq(out, "from vtysh\n");
	wp_free(MT_STRING, out);
	/* Several answer: one after the other, or one JSON object. */
	ck_assert_int_eq(vt_dispatch(targets, 3, "show memory", false, &out),
			 WP_VTY_OK);
	ck_assert_str_eq(out, "mgmtd:\nfrom mgmtd\n\nribd:\nfrom ribd\n");
	wp_free(MT_STRING, out);
	ck_assert_int_eq(vt_dispatch(targets, 3, "show memory json", true,
				     &out), WP_VTY_OK);
	ck_assert_ptr_nonnull(o = json_tokener_parse(out));
	ck_assert(json_object_object_get_ex(o, "ribd", &v));
	ck_assert(json_object_object_get_ex(v, "from", &v));
	ck_assert_str_eq(json_object_get_string(v), "ribd");
	json_object_put(o);
	wp_free(MT_STRING, out);
	/* A failure is the daemon's status and message. */
	ck_assert_int_eq(vt_dispatch(targets, 3, "clear everything", false,
				     &out), WP_VTY_ERR_FAILED);
	ck_assert_str_eq(out, "% cannot\n");
	wp_free(MT_STRING, out);
	/* Nobody knows it: the error that says most. */
	ck_assert_int_eq(vt_dispatch(targets, 3, "show ip route 10.0.0.300",
				     false, &out), WP_VTY_ERR_NO_MATCH);
	ck_assert_str_eq(out, "% Invalid value \"10.0.0.300\" for A.B.C.D\n");
	wp_free(MT_STRING, out);
	ck_assert_int_eq(vt_dispatch(targets, 3, "show ip", false, &out),
			 WP_VTY_ERR_INCOMPLETE);
	wp_free(MT_STRING, out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vtysh");
	TCase *tc = tcase_create("text");
	TCase *tt = tcase_create("trees");

	tcase_add_test(tc, test_pipe_parse);
	tcase_add_loop_test(tc, test_pipe_errors, 0,
			    sizeof(pipe_errs) / sizeof(pipe_errs[0]));
	tcase_add_test(tc, test_pipe_filter);
	tcase_add_test(tc, test_diff);
	tcase_add_test(tc, test_prompt_modes);
	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_cands);
	tcase_add_test(tc, test_xpath_parent);
	tcase_add_test(tc, test_uptime);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tt, trees_setup, trees_teardown);
	tcase_add_loop_test(tt, test_expand, 0,
			    sizeof(expands) / sizeof(expands[0]));
	tcase_add_test(tt, test_complete);
	tcase_add_test(tt, test_dispatch);
	suite_add_tcase(s, tt);
	return wp_check_run(s);
}
