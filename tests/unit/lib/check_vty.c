/*
 * Unit tests for lib/wp_vty: template parsing, the matcher (abbreviation,
 * ambiguity, typed values, exact error texts), completion, the lib
 * commands, and the socket server with its client end to end.
 *
 * The end-to-end tests run the server loop in the test process and the
 * blocking client in a forked child; the child reports "OK" or what went
 * wrong through a pipe watched by the loop.  A deadline timer bounds the
 * loop: no sleeps.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wp_check.h"
#include "wp_json.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_vty.h"

WP_DEBUG_DEFINE(DBG_TEST_FLAG, "testflag");

/* Echo the matched words, the json flag and the NAME argument. */
static int
echo_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	const char *name = wp_vty_arg(ctx, "NAME");

	for (int i = 0; i < argc; i++)
		wp_vty_out(ctx, "%s%s", i ? " " : "", argv[i]);
	wp_vty_out(ctx, "|json=%d", json);
	if (name)
		wp_vty_out(ctx, "|NAME=%s", name);
	ck_assert_ptr_null(argv[argc]);
	return WP_VTY_OK;
}

static int
fail_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	wp_vty_out(ctx, "%% it broke\n");
	return -1;
}

static int
warn_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	return WP_VTY_WARNING;
}

/* 1 MiB of output, to exercise partial writes on the socket. */
static int
big_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	static char line[1024];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 2] = '\n';
	for (int i = 0; i < 1024; i++)
		wp_vty_out(ctx, "%s", line);
	return WP_VTY_OK;
}

static int
arg_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	wp_vty_out(ctx, "%s", (const char *)wp_vty_ctx_arg(ctx));
	return WP_VTY_OK;
}

/*
 * "chunked N": an answer in N steps (wp_vty_continue()).  While it runs, a
 * zero-delay ticker at the default priority stands for the daemon's own
 * timers: with a loop, every step must find that it ticked since the
 * step before (the steps run after the iteration's other callbacks).
 */
struct stepper {
	struct wp_timer ticker;
	unsigned int ticks, last_ticks;
	bool loop, interleaved;
	int n, i;
};

static unsigned int steps_freed;

static void
ticker_cb(struct wp_timer *t)
{
	struct stepper *sp = container_of(t, struct stepper, ticker);

	sp->ticks++;
	wp_timer_start(t, 0.0, 0.0);
}

static int
steps_step(struct wp_vty_cmd_ctx *ctx, void *arg)
{
	struct stepper *sp = arg;

	ck_assert_ptr_null(wp_vty_arg(ctx, "(1-255)"));	/* words gone */
	if (sp->loop && sp->ticks == sp->last_ticks)
		sp->interleaved = false;
	sp->last_ticks = sp->ticks;
	wp_vty_out(ctx, "s%d;", ++sp->i);
	if (sp->i < sp->n)
		return WP_VTY_MORE;
	wp_vty_out(ctx, "end%s", sp->loop ? (sp->interleaved ?
					    " interleaved" : " NOT") : "");
	return WP_VTY_WARNING;	/* the last step's status answers */
}

static void
steps_done(void *arg)
{
	struct stepper *sp = arg;

	wp_timer_stop(&sp->ticker);
	steps_freed++;
	wp_free(MT_TMP, sp);
}

static int
steps_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	struct wp_loop *loop = wp_vty_ctx_arg(ctx);
	struct stepper *sp = wp_calloc(MT_TMP, sizeof(*sp));

	sp->n = atoi(wp_vty_arg(ctx, "(1-255)"));
	sp->loop = loop != NULL;
	sp->interleaved = true;
	if (loop) {
		wp_timer_init(loop, &sp->ticker, "test ticker", ticker_cb);
		wp_timer_start(&sp->ticker, 0.0, 0.0);
	}
	wp_vty_out(ctx, "begin;");
	wp_vty_continue(ctx, steps_step, sp, steps_done);
	return WP_VTY_OK;
}

/* A handler that set up steps and then failed: no steps, its status. */
static int
steps_fail_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	       bool json)
{
	struct stepper *sp = wp_calloc(MT_TMP, sizeof(*sp));

	wp_vty_continue(ctx, steps_step, sp, steps_done);
	wp_vty_out(ctx, "%% no\n");
	return WP_VTY_WARNING;
}

/* {"peers": [N items]} item by item, as the whole would print. */
static json_object *
jlist_item(int i)
{
	json_object *o = json_object_new_object();
	json_object *a = wp_json_add_array(o, "list");

	wp_json_add_int(o, "i", i);
	wp_json_add_str(o, "s", "a/b \"c\"");
	json_object_array_add(a, json_object_new_int(i));
	json_object_array_add(a, json_object_new_object());
	wp_json_add_array(o, "empty");
	return o;
}

static int
jlist_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	int n = atoi(wp_vty_arg(ctx, "(0-3)"));

	if (wp_vty_arg(ctx, "whole")) {
		json_object *top = json_object_new_object();
		json_object *arr = wp_json_add_array(top, "peers");

		for (int i = 0; i < n; i++)
			json_object_array_add(arr, jlist_item(i));
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_json_list_begin(ctx, "peers");
	for (int i = 0; i < n; i++)
		wp_vty_json_list_item(ctx, jlist_item(i), i == 0);
	wp_vty_json_list_end(ctx, n == 0);
	return WP_VTY_OK;
}

/* {"10.0.I.0/24": [item], ...} member by member, as the whole would. */
static int
jobj_cmd(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	 bool json)
{
	int n = atoi(wp_vty_arg(ctx, "(0-3)"));
	json_object *top = json_object_new_object();
	char key[32];

	for (int i = 0; i < n; i++) {
		json_object *arr = json_object_new_array();

		json_object_array_add(arr, jlist_item(i));
		snprintf(key, sizeof(key), "10.0.%d.0/24%s", i,
			 i == 2 ? " \"q\"\\" : "");
		json_object_object_add(top, key, arr);
	}
	if (wp_vty_arg(ctx, "whole")) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_json_obj_begin(ctx);
	for (int i = 0; i < n; i++) {
		json_object *v;

		snprintf(key, sizeof(key), "10.0.%d.0/24%s", i,
			 i == 2 ? " \"q\"\\" : "");
		json_object_object_get_ex(top, key, &v);
		wp_vty_json_obj_member(ctx, key, json_object_get(v), i == 0);
	}
	wp_vty_json_obj_end(ctx, n == 0);
	json_object_put(top);
	return WP_VTY_OK;
}

static struct wp_vty *
test_vty(struct wp_loop *loop)
{
	struct wp_vty *vty = wp_vty_new(loop, "testd");
	static const struct {
		const char *tmpl;
		const char *help;
	} cmds[] = {
		{ "show ip route [vrf NAME] [json]",
		  WP_SHOW_STR "IP\nRoutes\nVRF\nVRF name\n" WP_JSON_STR },
		{ "show ipv6 route", WP_SHOW_STR "IPv6\nRoutes\n" },
		{ "set WORD", "Set\nA word\n" },
		{ "neighbor A.B.C.D remote-as (1-4294967295)",
		  "Neighbor\nIPv4 address\nRemote AS\nAS number\n" },
		{ "neighbor X:X::X:X remote-as (1-4294967295)",
		  "Neighbor\nIPv6 address\nRemote AS\nAS number\n" },
		{ "network A.B.C.D/M area (0-255)",
		  "Network\nIPv4 prefix\nArea\nArea id\n" },
		{ "ipv6 prefix X:X::X:X/M", "IPv6\nPrefix\nIPv6 prefix\n" },
		{ "ttl (1-255)", "TTL\nHops\n" },
		{ "mode (active|passive)", "Mode\nActive\nPassive\n" },
	};

	ck_assert_int_eq(wp_vty_install_lib_cmds(vty, loop), 0);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		ck_assert_int_eq(wp_vty_install(vty, cmds[i].tmpl, cmds[i].help,
						echo_cmd), 0);
	ck_assert_int_eq(wp_vty_install(vty, "fail", "Fail\n", fail_cmd), 0);
	ck_assert_int_eq(wp_vty_install(vty, "warn", "Warn\n", warn_cmd), 0);
	ck_assert_int_eq(wp_vty_install(vty, "bigout", "Big\n", big_cmd), 0);
	ck_assert_int_eq(wp_vty_install_arg(vty, "argcmd", "Arg\n", arg_cmd,
					    "the arg"), 0);
	ck_assert_int_eq(wp_vty_install_arg(vty, "chunked (1-255)",
					    "Chunked\nHow many\n", steps_cmd,
					    loop), 0);
	ck_assert_int_eq(wp_vty_install_arg(vty, "chunkfail", "Fail\n",
					    steps_fail_cmd, loop), 0);
	ck_assert_int_eq(wp_vty_install(vty, "jlist (0-3) [whole]",
					"JSON list\nItems\nAt once\n",
					jlist_cmd), 0);
	ck_assert_int_eq(wp_vty_install(vty, "jobj (0-3) [whole]",
					"JSON object\nMembers\nAt once\n",
					jobj_cmd), 0);
	return vty;
}

/* Run `line`, check status and exact output. */
static void
expect(struct wp_vty *vty, const char *line, int status, const char *out)
{
	char *got;
	int rc = wp_vty_exec(vty, line, &got);

	ck_assert_msg(rc == status, "\"%s\": status %d, want %d (%s)", line,
		      rc, status, got);
	ck_assert_str_eq(got, out);
	wp_free(MT_STRING, got);
}

START_TEST(test_abbreviation)
{
	struct wp_vty *vty = test_vty(NULL);

	expect(vty, "show ip route", 0, "show ip route|json=0");
	expect(vty, "sh ip ro", 0, "show ip route|json=0");
	expect(vty, "  sh   ip  ro  j ", 0, "show ip route json|json=1");
	/* exact "ip" wins over the prefix of "ipv6" */
	expect(vty, "sh ip r", 0, "show ip route|json=0");
	expect(vty, "sh ipv r", 0, "show ipv6 route|json=0");
	expect(vty, "sh ip ro v red js", 0,
	       "show ip route vrf red json|json=1|NAME=red");
	expect(vty, "mode act", 0, "mode active|json=0");
	expect(vty, "mode p", 0, "mode passive|json=0");
	expect(vty, "set s", 0, "set s|json=0");
	expect(vty, "argcmd", 0, "the arg");
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_errors)
{
	struct wp_vty *vty = test_vty(NULL);
	char many[400] = "set";

	expect(vty, "shwo memory", 2, "% Unknown command: \"shwo\" (at word 1)\n");
	expect(vty, "show memory extra", 2,
	       "% Unknown command: \"extra\" (at word 3)\n");
	expect(vty, "s", 3, "% Ambiguous command: \"s\" matches show, set\n");
	expect(vty, "show i route", 3,
	       "% Ambiguous command: \"i\" matches ip, ipv6\n");
	expect(vty, "mode x", 2, "% Unknown command: \"x\" (at word 2)\n");
	expect(vty, "show ip", 3, "% Incomplete command\n");
	expect(vty, "show", 3, "% Incomplete command\n");
	expect(vty, "show ip route vrf", 3, "% Incomplete command\n");
	expect(vty, "fail", 4, "% it broke\n");
	expect(vty, "warn", 1, "");
	expect(vty, "", 0, "");
	expect(vty, "   ", 0, "");
	expect(vty, "! a comment", 0, "");
	expect(vty, "# another", 0, "");
	for (int i = 0; i < 70; i++)
		strcat(many, " w");
	expect(vty, many, 2, "% Too many words (at most 64)\n");
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_values)
{
	struct wp_vty *vty = test_vty(NULL);

	expect(vty, "ttl 1", 0, "ttl 1|json=0");
	expect(vty, "ttl 255", 0, "ttl 255|json=0");
	expect(vty, "ttl 300", 2, "% Invalid value \"300\" for (1-255)\n");
	expect(vty, "ttl 0", 2, "% Invalid value \"0\" for (1-255)\n");
	expect(vty, "ttl 99999999999999999999999", 2,
	       "% Invalid value \"99999999999999999999999\" for (1-255)\n");
	expect(vty, "ttl abc", 2, "% Unknown command: \"abc\" (at word 2)\n");
	expect(vty, "ttl -1", 2, "% Unknown command: \"-1\" (at word 2)\n");

	expect(vty, "nei 10.0.0.1 remote 65001", 0,
	       "neighbor 10.0.0.1 remote-as 65001|json=0");
	expect(vty, "nei 10.0.0.1 remote 4294967295", 0,
	       "neighbor 10.0.0.1 remote-as 4294967295|json=0");
	expect(vty, "nei 10.0.0.1 remote 4294967296", 2,
	       "% Invalid value \"4294967296\" for (1-4294967295)\n");
	expect(vty, "nei 10.0.0.256 remote 1", 2,
	       "% Invalid value \"10.0.0.256\" for A.B.C.D\n");
	expect(vty, "nei 10.0.0 remote 1", 2,
	       "% Invalid value \"10.0.0\" for A.B.C.D\n");
	expect(vty, "nei 2001:db8::1 remote 4200000000", 0,
	       "neighbor 2001:db8::1 remote-as 4200000000|json=0");
	expect(vty, "nei ::ffff:10.0.0.1 remote 1", 0,
	       "neighbor ::ffff:10.0.0.1 remote-as 1|json=0");
	expect(vty, "nei 2001:db8:::1 remote 1", 2,
	       "% Invalid value \"2001:db8:::1\" for X:X::X:X\n");
	expect(vty, "nei 2001:db8::g remote 1", 2,
	       "% Unknown command: \"2001:db8::g\" (at word 2)\n");
	expect(vty, "nei peer1 remote 1", 2,
	       "% Unknown command: \"peer1\" (at word 2)\n");

	expect(vty, "network 10.0.0.0/24 area 0", 0,
	       "network 10.0.0.0/24 area 0|json=0");
	expect(vty, "network 0.0.0.0/0 area 255", 0,
	       "network 0.0.0.0/0 area 255|json=0");
	expect(vty, "network 10.0.0.0/33 area 0", 2,
	       "% Invalid value \"10.0.0.0/33\" for A.B.C.D/M\n");
	expect(vty, "network 10.0.0.0/ area 0", 2,
	       "% Invalid value \"10.0.0.0/\" for A.B.C.D/M\n");
	expect(vty, "network 10.0.0.0 area 0", 2,
	       "% Invalid value \"10.0.0.0\" for A.B.C.D/M\n");
	expect(vty, "ipv6 prefix 2001:db8::/32", 0,
	       "ipv6 prefix 2001:db8::/32|json=0");
	expect(vty, "ipv6 prefix ::/0", 0, "ipv6 prefix ::/0|json=0");
	expect(vty, "ipv6 prefix 2001:db8::/129", 2,
	       "% Invalid value \"2001:db8::/129\" for X:X::X:X/M\n");
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_install_errors)
{
	struct wp_vty *vty = test_vty(NULL);
	static const char *bad[] = {
		"show (a|", "show [json", "show a)", "show (a|)",
		"[json]", "", "show (5-1)", "show []",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_msg(wp_vty_install(vty, bad[i], NULL, echo_cmd) == -1,
			      "\"%s\" accepted", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
	}
	/* help: one line per token, each ending in '\n' */
	errno = 0;
	ck_assert_int_eq(wp_vty_install(vty, "foo bar", "Foo\n", echo_cmd), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(wp_vty_install(vty, "foo bar", "Foo\nBar", echo_cmd),
			 -1);
	ck_assert_int_eq(wp_vty_install(vty, "foo bar", "Foo\nBar\nX\n",
					echo_cmd), -1);
	ck_assert_int_eq(wp_vty_install(vty, "foo bar", "Foo\nBar\n",
					echo_cmd), 0);
	/* the same forms again, under other variable names */
	errno = 0;
	ck_assert_int_eq(wp_vty_install(vty, "show ipv6 route", NULL,
					echo_cmd), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(wp_vty_install(vty, "set NAME", NULL, echo_cmd), -1);
	ck_assert_int_eq(wp_vty_install(vty, "show (ip|ipv4) route json",
					NULL, echo_cmd), -1);
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(wp_vty_install(vty, "ttl (1-254)", NULL, echo_cmd), 0);
	/* overlapping ranges: the value decides, or it is ambiguous */
	expect(vty, "ttl 255", 0, "ttl 255|json=0");
	expect(vty, "ttl 3", 3,
	       "% Ambiguous command: \"ttl 3\" matches 2 commands\n");
	/* a nested optional part */
	ck_assert_int_eq(wp_vty_install(vty, "clear bgp [(A.B.C.D|all) [soft]]",
					NULL, echo_cmd), 0);
	expect(vty, "clear bgp", 0, "clear bgp|json=0");
	expect(vty, "clear bgp 1.2.3.4 soft", 0, "clear bgp 1.2.3.4 soft|json=0");
	expect(vty, "clear bgp a", 0, "clear bgp all|json=0");
	expect(vty, "clear bgp soft", 2,
	       "% Unknown command: \"soft\" (at word 3)\n");
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

static void
collect(const char *word, const char *help, void *arg)
{
	char *buf = arg;

	strcat(buf, word);
	strcat(buf, "=");
	strcat(buf, help);
	strcat(buf, ";");
}

static void
expect_complete(struct wp_vty *vty, const char *line, int status,
		const char *want)
{
	char got[2048] = "";
	char *err = NULL;
	int rc = wp_vty_complete(vty, line, collect, got, &err);

	ck_assert_msg(rc == status, "\"%s\": status %d", line, rc);
	if (rc == WP_VTY_OK) {
		ck_assert_ptr_null(err);
		ck_assert_str_eq(got, want);
	} else {
		ck_assert_str_eq(err, want);
		wp_free(MT_STRING, err);
	}
}

START_TEST(test_complete)
{
	struct wp_vty *vty = test_vty(NULL);

	expect_complete(vty, "show i", 0, "ip=IP;ipv6=IPv6;");
	expect_complete(vty, "sh ", 0,
			"debugging=Debug flags and their state;"
			"event-loop=Event loop callback statistics;"
			"ip=IP;ipv6=IPv6;"
			"logging=Logging level and targets;"
			"memory=Memory statistics by memory type;"
			"version=Daemon name, version and uptime;");
	expect_complete(vty, "show ip route ", 0,
			"json=JavaScript Object Notation;vrf=VRF;<cr>=;");
	expect_complete(vty, "show ip route vrf ", 0, "NAME=VRF name;");
	expect_complete(vty, "ttl ", 0, "(1-255)=Hops;");
	expect_complete(vty, "mode ", 0, "active=Active;passive=Passive;");
	expect_complete(vty, "neighbor ", 0,
			"A.B.C.D=IPv4 address;X:X::X:X=IPv6 address;");
	expect_complete(vty, "neighbor 10.0", 0, "A.B.C.D=IPv4 address;");
	expect_complete(vty, "show memory", 0,
			"memory=Memory statistics by memory type;");
	expect_complete(vty, "show memory ", 0,
			"json=JavaScript Object Notation;<cr>=;");
	expect_complete(vty, "shwo ", 2,
			"% Unknown command: \"shwo\" (at word 1)\n");
	expect_complete(vty, "s ", 3,
			"% Ambiguous command: \"s\" matches show, set\n");
	expect_complete(vty, "zzz", 0, "");
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

static json_object *
exec_json(struct wp_vty *vty, const char *line)
{
	json_object *obj;
	char *out;

	ck_assert_int_eq(wp_vty_exec(vty, line, &out), 0);
	obj = json_tokener_parse(out);
	ck_assert_msg(obj != NULL, "\"%s\": not JSON: %s", line, out);
	wp_free(MT_STRING, out);
	return obj;
}

static json_object *
get(json_object *obj, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(obj, key, &v), "no %s", key);
	return v;
}

/* The entry of `arr` whose "name" is `name`. */
static json_object *
find_named(json_object *arr, const char *name)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);

		if (strcmp(json_object_get_string(get(o, "name")), name) == 0)
			return o;
	}
	return NULL;
}

static void
nop_timer_cb(struct wp_timer *t)
{
}

START_TEST(test_lib_cmds)
{
	struct wp_loop *loop = wp_loop_new();
	struct wp_vty *vty = test_vty(loop);
	struct wp_timer t;
	json_object *obj, *e;
	char *out;

	obj = exec_json(vty, "show memory json");
	e = find_named(get(obj, "types"), "vty command");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_gt(json_object_get_int(get(e, "allocations")), 10);
	get(e, "bytes");
	get(e, "peakBytes");
	get(e, "totalAllocations");
	json_object_put(obj);
	ck_assert_int_eq(wp_vty_exec(vty, "show memory", &out), 0);
	ck_assert_str_eq(strstr(out, "Memory type"), out);
	ck_assert_ptr_nonnull(strstr(out, "\nvty command "));
	wp_free(MT_STRING, out);

	wp_timer_init(loop, &t, "test timer", nop_timer_cb);
	wp_timer_start(&t, 0.0, 0.0);
	wp_loop_run(loop);
	obj = exec_json(vty, "show event-loop json");
	e = find_named(get(obj, "callbacks"), "test timer");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(json_object_get_int(get(e, "calls")), 1);
	get(e, "totalUs");
	get(e, "avgUs");
	get(e, "maxUs");
	get(e, "lateAvgUs");
	get(e, "lateMaxUs");
	get(e, "lateOver10ms");
	json_object_put(obj);
	ck_assert_int_eq(wp_vty_exec(vty, "show event-loop", &out), 0);
	ck_assert_ptr_nonnull(strstr(out, "Late max"));
	ck_assert_ptr_nonnull(strstr(out, "Callback"));
	ck_assert_ptr_nonnull(strstr(out, "test timer"));
	wp_free(MT_STRING, out);
	expect(vty, "clear event-loop", 0, "");
	obj = exec_json(vty, "show event-loop json");
	e = find_named(get(obj, "callbacks"), "test timer");
	ck_assert_int_eq(json_object_get_int(get(e, "calls")), 0);
	json_object_put(obj);

	expect(vty, "debug nosuch", 1,
	       "% Unknown debug flag \"nosuch\" (see show debugging)\n");
	expect(vty, "no debug nosuch", 1,
	       "% Unknown debug flag \"nosuch\" (see show debugging)\n");
	expect(vty, "debug testflag", 0, "");
	ck_assert(DBG_TEST_FLAG->on);
	obj = exec_json(vty, "show debugging json");
	e = find_named(get(obj, "flags"), "testflag");
	ck_assert(json_object_get_boolean(get(e, "enabled")));
	json_object_put(obj);
	/* other lib modules may register flags of their own */
	ck_assert_int_eq(wp_vty_exec(vty, "show debugging", &out), 0);
	ck_assert_str_eq(strstr(out, "Debug flag  "), out);
	{
		char *row = strstr(out, "\ntestflag ");

		ck_assert_ptr_nonnull(row);
		row += strspn(row + 1, "testflag ") + 1;
		ck_assert_int_eq(strncmp(row, "yes\n", 4), 0);
	}
	wp_free(MT_STRING, out);
	expect(vty, "no debug testflag", 0, "");
	ck_assert(!DBG_TEST_FLAG->on);

	wp_log_set_level(WP_LOG_NOTICE);
	expect(vty, "show logging", 0,
	       "Level:  notifications\n"
	       "Stderr: enabled\n"
	       "Syslog: disabled\n"
	       "File:   disabled\n");
	obj = exec_json(vty, "show logging json");
	ck_assert_str_eq(json_object_get_string(get(obj, "level")),
			 "notifications");
	ck_assert_ptr_null(get(obj, "file"));
	json_object_put(obj);

	obj = exec_json(vty, "show version json");
	ck_assert_str_eq(json_object_get_string(get(obj, "daemon")), "testd");
	ck_assert_str_eq(json_object_get_string(get(obj, "version")),
			 PACKAGE_VERSION);
	ck_assert_int_eq(json_object_get_int(get(obj, "pid")), getpid());
	json_object_put(obj);
	ck_assert_int_eq(wp_vty_exec(vty, "show version", &out), 0);
	ck_assert_str_eq(strstr(out, "testd (waypoint) "), out);
	wp_free(MT_STRING, out);

	wp_vty_free(vty);
	wp_loop_free(loop);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

static void
count_cb(const char *word, const char *help, void *arg)
{
	(*(int *)arg)++;
}

/* Random lines and templates: no crash, no leak, sane statuses. */
START_TEST(test_random)
{
	static const char *vocab[] = {
		"show", "sh", "s", "ip", "i", "ipv6", "route", "r", "json", "j",
		"vrf", "red", "ttl", "0", "1", "255", "256", "99999999999",
		"neighbor", "10.0.0.1", "10.0.0.256", "1.2.3.4/33", "::1",
		"2001:db8::/64", "2001:db8:::", "/", ":", ".", "(", "|", "[",
		"]", ")", "mode", "a", "remote-as", "network", "area", "",
		"memory", "debug", "no", "-", "?", "\t", "\xff",
	};
	static const char *tvocab[] = {
		"a", "b", "WORD", "A.B.C.D", "(1-9)", "(", ")", "[", "]", "|",
		" ", "(3-2)", "X:X::X:X/M", "json",
	};
	struct wp_vty *vty = test_vty(NULL);
	const size_t nv = sizeof(vocab) / sizeof(vocab[0]);
	const size_t nt = sizeof(tvocab) / sizeof(tvocab[0]);
	char line[512], *out, *err;
	int n;

	srandom(7);
	for (int i = 0; i < 3000; i++) {
		int words = (int)(random() % 6), rc;

		line[0] = '\0';
		for (int w = 0; w < words; w++) {
			strcat(line, vocab[random() % nv]);
			if (w + 1 < words || random() % 2)
				strcat(line, " ");
		}
		rc = wp_vty_exec(vty, line, &out);
		ck_assert(rc >= WP_VTY_OK && rc <= WP_VTY_ERR_FAILED);
		ck_assert(rc == WP_VTY_OK || rc == WP_VTY_WARNING ||
			  strncmp(out, "% ", 2) == 0);
		wp_free(MT_STRING, out);
		n = 0;
		err = NULL;
		rc = wp_vty_complete(vty, line, count_cb, &n, &err);
		ck_assert(rc == WP_VTY_OK ? err == NULL : err != NULL);
		wp_free(MT_STRING, err);
	}
	for (int i = 0; i < 3000; i++) {
		int toks = 1 + (int)(random() % 7);

		line[0] = '\0';
		for (int t = 0; t < toks; t++) {
			strcat(line, tvocab[random() % nt]);
			if (random() % 2)
				strcat(line, " ");
		}
		/* Valid or not, installing must not crash; keep what works. */
		wp_vty_install(vty, line, NULL, echo_cmd);
	}
	for (int i = 0; i < 500; i++) {
		int words = (int)(random() % 5);

		line[0] = '\0';
		for (int w = 0; w < words; w++) {
			strcat(line, tvocab[random() % nt]);
			strcat(line, " ");
		}
		wp_vty_exec(vty, line, &out);
		wp_free(MT_STRING, out);
	}
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

/* In process: the steps run back to back; their status answers. */
START_TEST(test_steps_inproc)
{
	struct wp_vty *vty = test_vty(NULL);
	char *out = NULL, *whole = NULL;
	unsigned int freed = steps_freed;

	ck_assert_int_eq(wp_vty_exec(vty, "chunked 3", &out), WP_VTY_WARNING);
	ck_assert_str_eq(out, "begin;s1;s2;s3;end");
	wp_free(MT_STRING, out);
	ck_assert_uint_eq(steps_freed, freed + 1);
	/* set up, then failed: the handler's status, steps released */
	ck_assert_int_eq(wp_vty_exec(vty, "chunkfail", &out), WP_VTY_WARNING);
	ck_assert_str_eq(out, "% no\n");
	wp_free(MT_STRING, out);
	ck_assert_uint_eq(steps_freed, freed + 2);
	for (int n = 0; n <= 3; n++) {
		char a[32], b[48];

		for (int k = 0; k < 2; k++) {
			snprintf(a, sizeof(a), "%s %d", k ? "jobj" : "jlist",
				 n);
			snprintf(b, sizeof(b), "%s whole", a);
			ck_assert_int_eq(wp_vty_exec(vty, a, &out), WP_VTY_OK);
			ck_assert_int_eq(wp_vty_exec(vty, b, &whole),
					 WP_VTY_OK);
			ck_assert_str_eq(out, whole);
			wp_free(MT_STRING, out);
			wp_free(MT_STRING, whole);
		}
	}
	wp_vty_free(vty);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

/* --- end to end over the socket ---------------------------------------- */

struct e2e {
	struct wp_io report_io;
	struct wp_timer deadline;
	char report[4096];
	size_t len;
	bool timed_out;
};

static void
report_cb(struct wp_io *io, int revents)
{
	struct e2e *e = container_of(io, struct e2e, report_io);
	ssize_t n = read(wp_io_fd(io), e->report + e->len,
			 sizeof(e->report) - 1 - e->len);

	if (n > 0) {
		e->len += (size_t)n;
		return;
	}
	if (n < 0 && errno == EINTR)
		return;
	wp_loop_break(io->loop);
}

static void
deadline_cb(struct wp_timer *t)
{
	struct e2e *e = container_of(t, struct e2e, deadline);

	e->timed_out = true;
	wp_loop_break(t->loop);
}

/* Child side: collect failures as text, exit code unused. */
static FILE *child_report;
static int child_failures;

static void __attribute__((format(printf, 2, 3)))
child_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	child_failures++;
	va_start(ap, fmt);
	vfprintf(child_report, fmt, ap);
	va_end(ap);
	fputc('\n', child_report);
}

static void
child_exec(struct wp_vty_client *c, const char *line, int status,
	   const char *want)
{
	char *out = NULL;
	int st = -1;

	if (wp_vty_client_exec(c, line, &st, &out) == -1) {
		child_check(false, "%s: %s", line, strerror(errno));
		return;
	}
	child_check(st == status, "%s: status %d", line, st);
	if (want)
		child_check(strcmp(out, want) == 0, "%s: got [%s]", line, out);
	wp_free(MT_STRING, out);
}

/* Read one raw frame; returns its status or -1. */
static int
raw_frame(int fd, char *text, size_t size)
{
	unsigned char hdr[WP_VTY_HDR_LEN];
	size_t got = 0, len;

	while (got < sizeof(hdr)) {
		ssize_t n = read(fd, hdr + got, sizeof(hdr) - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	len = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 |
	      (size_t)hdr[2] << 8 | hdr[3];
	if (len >= size)
		return -1;
	for (got = 0; got < len;) {
		ssize_t n = read(fd, text + got, len - got);

		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	text[len] = '\0';
	return hdr[4];
}

static int
raw_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sun.sun_path, path);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
child_raw(const char *path)
{
	char text[256], longline[WP_VTY_LINE_MAX + 10];
	int fd;

	/* Two lines in one write: two frames, in order. */
	fd = raw_connect(path);
	child_check(fd >= 0, "raw connect");
	child_check(write(fd, "ttl 5\nttl 300\r\n", 15) == 15, "raw write");
	child_check(raw_frame(fd, text, sizeof(text)) == 0 &&
		    strcmp(text, "ttl 5|json=0") == 0, "raw 1: %s", text);
	child_check(raw_frame(fd, text, sizeof(text)) == 2 &&
		    strcmp(text, "% Invalid value \"300\" for (1-255)\n") == 0,
		    "raw 2: %s", text);
	/* A last line without '\n', then end of file: still answered. */
	child_check(write(fd, "mode p", 6) == 6, "raw write");
	shutdown(fd, SHUT_WR);
	child_check(raw_frame(fd, text, sizeof(text)) == 0 &&
		    strcmp(text, "mode passive|json=0") == 0, "raw 3: %s",
		    text);
	child_check(read(fd, text, 1) == 0, "raw: no EOF");
	close(fd);

	/* A command in steps, then a quick one in the same write: the
	 * answers keep the order of the lines. */
	fd = raw_connect(path);
	child_check(write(fd, "chunked 3\nttl 9\n", 16) == 16, "raw write");
	child_check(raw_frame(fd, text, sizeof(text)) == 1 &&
		    strcmp(text, "begin;s1;s2;s3;end interleaved") == 0,
		    "raw steps: %s", text);
	child_check(raw_frame(fd, text, sizeof(text)) == 0 &&
		    strcmp(text, "ttl 9|json=0") == 0, "raw after steps: %s",
		    text);
	/* Gone while the steps run: they are released (leak check). */
	child_check(write(fd, "chunked 200\n", 12) == 12, "raw write");
	close(fd);

	/* A line too long: an error frame, then the server hangs up. */
	fd = raw_connect(path);
	memset(longline, 'a', sizeof(longline));
	child_check(write(fd, longline, sizeof(longline)) ==
		    (ssize_t)sizeof(longline), "raw long write");
	child_check(raw_frame(fd, text, sizeof(text)) == 2 &&
		    strcmp(text, "% Command line too long\n") == 0,
		    "raw long: %s", text);
	child_check(read(fd, text, 1) <= 0, "raw long: not closed");
	close(fd);
}

static void
child_client(const char *path)
{
	struct wp_vty_client *c, *c2;
	char *out = NULL, big[WP_VTY_LINE_MAX + 1];
	json_object *obj;
	int st;

	c = wp_vty_client_connect(path);
	child_check(c != NULL, "connect: %s", strerror(errno));
	if (c == NULL)
		return;
	c2 = wp_vty_client_connect(path);
	child_check(c2 != NULL, "connect 2: %s", strerror(errno));
	child_exec(c, "sh ip ro vrf blue j", 0,
		   "show ip route vrf blue json|json=1|NAME=blue");
	child_exec(c2, "shwo", 2, "% Unknown command: \"shwo\" (at word 1)\n");
	child_exec(c, "s", 3, "% Ambiguous command: \"s\" matches show, set\n");
	child_exec(c, "", 0, "");
	child_exec(c2, "fail", 4, "% it broke\n");
	child_exec(c, "?show ip route ", 0, NULL);
	child_check(wp_vty_client_complete(c, "show ip route ", &st, &out) == 0,
		    "complete");
	child_check(st == 0 && strcmp(out, "json\tJavaScript Object Notation\n"
				      "vrf\tVRF\n<cr>\t\n") == 0,
		    "complete: %d [%s]", st, out);
	wp_free(MT_STRING, out);
	child_check(wp_vty_client_complete(c, "shwo ", &st, &out) == 0 &&
		    st == 2, "complete error");
	wp_free(MT_STRING, out);

	/* In steps, the loop's own work between them; one frame. */
	child_exec(c, "chunked 5", 1, "begin;s1;s2;s3;s4;s5;end interleaved");
	child_exec(c, "chunkfail", 1, "% no\n");

	child_check(wp_vty_client_exec(c, "show version json", &st, &out) == 0,
		    "version");
	obj = json_tokener_parse(out);
	child_check(obj != NULL && json_object_object_get_ex(obj, "daemon",
							     NULL),
		    "version json: %s", out);
	json_object_put(obj);
	wp_free(MT_STRING, out);

	child_check(wp_vty_client_exec(c, "bigout", &st, &out) == 0, "big");
	child_check(st == 0 && strlen(out) == 1024 * 1023, "big: %zu",
		    strlen(out));
	wp_free(MT_STRING, out);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	child_check(wp_vty_client_exec(c, big, &st, NULL) == -1 &&
		    errno == EMSGSIZE, "too long accepted");
	child_check(wp_vty_client_exec(c, "a\nb", &st, NULL) == -1 &&
		    errno == EINVAL, "newline accepted");
	/* the connection is still usable after refused requests */
	child_exec(c, "ttl 7", 0, "ttl 7|json=0");
	wp_vty_client_close(c2);
	wp_vty_client_close(c);
	child_raw(path);
}

START_TEST(test_end_to_end)
{
	char dir[] = "/tmp/wp-vty-XXXXXX", path[128];
	struct wp_loop *loop = wp_loop_new();
	struct wp_vty *vty = test_vty(loop);
	struct e2e e = { 0 };
	int pfd[2], wstatus;
	pid_t pid;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/testd.vty", dir);
	ck_assert_int_eq(wp_vty_listen(vty, path), 0);
	ck_assert_str_eq(wp_vty_path(vty), path);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		child_report = fdopen(pfd[1], "w");
		child_client(path);
		if (child_failures == 0)
			fputs("OK", child_report);
		fclose(child_report);
		_exit(0);
	}
	close(pfd[1]);
	wp_io_init(loop, &e.report_io, "test report", pfd[0], EV_READ,
		   report_cb);
	wp_io_start(&e.report_io);
	wp_timer_init(loop, &e.deadline, "test deadline", deadline_cb);
	wp_timer_start(&e.deadline, 20.0, 0.0);
	wp_loop_run(loop);
	if (e.timed_out)
		kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert(!e.timed_out);
	ck_assert_str_eq(e.report, "OK");
	ck_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
	wp_io_stop(&e.report_io);
	wp_timer_stop(&e.deadline);
	close(pfd[0]);

	wp_vty_close(vty);
	ck_assert_int_eq(access(path, F_OK), -1);
	ck_assert_uint_eq(wp_vty_nclients(vty), 0);
	wp_vty_free(vty);
	wp_loop_free(loop);
	rmdir(dir);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_listen)
{
	char dir[] = "/tmp/wp-vty-XXXXXX", path[128], longpath[200];
	struct wp_loop *loop = wp_loop_new();
	struct wp_vty *a = wp_vty_new(loop, "a"), *b = wp_vty_new(loop, "b");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.vty", dir);
	ck_assert_int_eq(wp_vty_listen(a, path), 0);
	errno = 0;
	ck_assert_int_eq(wp_vty_listen(a, path), -1);
	ck_assert_int_eq(errno, EBUSY);
	/* a live socket is not taken over */
	errno = 0;
	ck_assert_int_eq(wp_vty_listen(b, path), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	wp_vty_close(a);
	wp_vty_close(a);	/* twice is harmless */

	/* a stale socket file (nobody listening) is replaced */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sun.sun_path, path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	ck_assert_int_eq(access(path, F_OK), 0);
	ck_assert_int_eq(wp_vty_listen(b, path), 0);

	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	errno = 0;
	ck_assert_int_eq(wp_vty_listen(a, longpath), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_ptr_null(wp_vty_client_connect(longpath));
	wp_vty_free(a);
	wp_vty_free(b);
	ck_assert_ptr_null(wp_vty_client_connect(path));
	ck_assert_int_eq(errno, ENOENT);
	wp_loop_free(loop);
	rmdir(dir);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

/* A server that accepts nothing: the client gives up at its timeout. */
START_TEST(test_client_timeout)
{
	char dir[] = "/tmp/wp-vty-XXXXXX", path[128];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct wp_vty_client *c;
	double t0;
	int fd, st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/mute.vty", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	strcpy(sun.sun_path, path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	c = wp_vty_client_connect(path);
	ck_assert_ptr_nonnull(c);
	wp_vty_client_set_timeout(c, 0.2);
	t0 = wp_monotime();
	errno = 0;
	ck_assert_int_eq(wp_vty_client_exec(c, "show version", &st, NULL), -1);
	ck_assert_int_eq(errno, ETIMEDOUT);
	ck_assert(wp_monotime() - t0 >= 0.19);
	errno = 0;
	ck_assert_int_eq(wp_vty_client_exec(c, "show version", &st, NULL), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	wp_vty_client_close(c);
	close(fd);
	unlink(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("vty");
	TCase *tc = tcase_create("matcher");
	TCase *tc_net = tcase_create("socket");

	wp_log_set_level(WP_LOG_ERR);
	tcase_add_test(tc, test_abbreviation);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_install_errors);
	tcase_add_test(tc, test_complete);
	tcase_add_test(tc, test_lib_cmds);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_steps_inproc);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tc_net, 30);
	tcase_add_test(tc_net, test_end_to_end);
	tcase_add_test(tc_net, test_listen);
	tcase_add_test(tc_net, test_client_timeout);
	suite_add_tcase(s, tc_net);
	return wp_check_run(s);
}
