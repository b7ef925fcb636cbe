/*
 * Unit tests for mgmtd: a whole mgmtd (daemons/mgmtd/libmgmt.a), two
 * test daemons on lib/wp_mgmt_client and sessions on lib/wp_mgmt_session,
 * all in one loop, over real sockets in a mkdtemp() directory.  The YANG
 * modules are tests/unit/mgmtd/yang/waypoint-test{,-routing}.yang:
 *
 *	td-a owns waypoint-test and waypoint-test-routing
 *	td-b owns waypoint-test-routing only (a shared module)
 *
 * Session calls run the loop until mgmtd answers, and mgmtd answers a
 * commit once every daemon applied, so most tests need no waiting of
 * their own; the others run the loop until a condition holds, with a
 * deadline that fails the test.  No sleeps.
 *
 * Suites: "commit" (two-phase protocol, refusals, timeouts, reconnects,
 * confirmed commits, rollback), "edit" (edits, errors, candidates,
 * locks, loads), "store" (history on disk, write memory and its crash
 * safety, startup files, show commands, YANG helpers).
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/proto/mgmt.pb-c.h"
#include "mgmtd.h"
#include "wp_mgmt_client.h"
#include "wp_mgmt_session.h"
#include "wp_yang.h"
#include "wp_vty.h"

/* Parse configuration JSON without validation, the message into `err`. */
static int
yparse(struct ly_ctx *ctx, const char *json, struct lyd_node **tree,
       char *err, size_t errlen)
{
	char *e = NULL;
	int rc = wp_yang_parse_only(ctx, json, LYD_JSON, tree, &e);

	snprintf(err, errlen, "%s", e ? e : "");
	wp_free(MT_STRING, e);
	return rc;
}


WP_MEMTYPE_DEFINE(MT_TEST, "test");

#define DEADLINE	20.0
#define IF0		"/waypoint-test:interfaces/interface[name='eth0']"
#define IF1		"/waypoint-test:interfaces/interface[name='eth1']"
#define ROUTE		"/waypoint-test-routing:static-routes/route" \
			"[prefix='10.0.0.0/8']"
#define KC		"/waypoint-test-routing:key-chains/key-chain" \
			"[name='k1']"

/* --- test daemons -------------------------------------------------------- */

enum td_mode {
	TD_ACCEPT,
	TD_REFUSE,
	TD_SILENT,		/* prepare never answered */
	TD_DROP,		/* disconnect while preparing */
};

struct testd {
	const char *name;
	struct wp_mgmt_client *cl;
	enum td_mode mode;
	bool parse;		/* check the JSON with wp_yang_parse_only() */
	char *config;		/* applied */
	char *staged;
	char *diff;		/* of the last prepare */
	int prepares, applies, aborts;
	enum wp_mgmt_tx_kind kind;
	struct wp_timer drop;
};

/* Every prepare/apply/abort of every daemon, in order: "aP bP aA bA". */
static char events[4096];

static struct {
	struct wp_loop *loop;
	char dir[64];
	char state[128];
	char startup[256];
	struct mgmt *m;
	struct testd a, b;
	struct wp_mgmt_session *s;
	struct wp_timer deadline;
	bool timed_out;
	struct ly_ctx *yctx;
} H;

static const char *const mods_a[] = { "waypoint-test",
				      "waypoint-test-routing", NULL };
static const char *const mods_b[] = { "waypoint-test-routing", NULL };

static void
ev_add(struct testd *td, char what)
{
	size_t n = strlen(events);

	snprintf(events + n, sizeof(events) - n, "%s%c%c", n ? " " : "",
		 td->name[3], what);
}

/*
 * Daemons answer in whatever order the loop serves their sockets: sort
 * each run of events of the same kind ("bP aP" -> "aP bP") so a test can
 * compare the phases, which is what the protocol orders.
 */
static int
tok_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *
ev_norm(void)
{
	static char out[sizeof(events)];
	char copy[sizeof(events)], *tok[512], *save = NULL;
	size_t n = 0, start = 0;

	snprintf(copy, sizeof(copy), "%s", events);
	for (char *t = strtok_r(copy, " ", &save); t && n < 512;
	     t = strtok_r(NULL, " ", &save))
		tok[n++] = t;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && tok[i][1] == tok[start][1])
			continue;
		qsort(tok + start, i - start, sizeof(tok[0]), tok_cmp);
		start = i;
	}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strcat(out, i ? " " : "");
		strcat(out, tok[i]);
	}
	return out;
}

static char *
tdup(const char *s)
{
	return s ? wp_strdup(MT_TEST, s) : NULL;
}

static void
td_drop_cb(struct wp_timer *t)
{
	struct testd *td = container_of(t, struct testd, drop);

	wp_mgmt_client_reconnect(td->cl);
}

static int
td_prepare(const char *full, const char *diff, char *err, size_t errlen,
	   void **txstate, void *arg)
{
	struct testd *td = arg;

	td->prepares++;
	td->kind = wp_mgmt_client_tx_kind(td->cl);
	ev_add(td, 'P');
	wp_free(MT_TEST, td->staged);
	wp_free(MT_TEST, td->diff);
	td->staged = tdup(full);
	td->diff = tdup(diff);
	if (td->parse) {
		struct lyd_node *tree;
		char perr[256];

		ck_assert_msg(yparse(H.yctx, full, &tree, perr,
						 sizeof(perr)) == 0,
			      "%s: %s", td->name, perr);
		lyd_free_all(tree);
		ck_assert(yparse(H.yctx, diff, &tree, perr,
					     sizeof(perr)) == 0);
		lyd_free_all(tree);
	}
	switch (td->mode) {
	case TD_REFUSE:
		snprintf(err, errlen, "static routes are frozen");
		wp_mgmt_client_refuse_xpath(td->cl, ROUTE);
		return -1;
	case TD_SILENT:
		return WP_MGMT_PREPARE_PENDING;
	case TD_DROP:
		wp_timer_start(&td->drop, 0.0, 0.0);
		return WP_MGMT_PREPARE_PENDING;
	default:
		*txstate = td;
		return 0;
	}
}

static void
td_apply(void *txstate, void *arg)
{
	struct testd *td = arg;

	ck_assert_ptr_eq(txstate, td);
	td->applies++;
	ev_add(td, 'A');
	wp_free(MT_TEST, td->config);
	td->config = td->staged;
	td->staged = NULL;
}

static void
td_abort(void *txstate, void *arg)
{
	struct testd *td = arg;

	td->aborts++;
	ev_add(td, 'X');
	wp_free(MT_TEST, td->staged);
	td->staged = NULL;
}

static void
td_start(struct testd *td, const char *name, const char *const *mods)
{
	struct wp_mgmt_client_cbs cbs = {
		.prepare = td_prepare, .apply = td_apply, .abort = td_abort,
		.arg = td, .backoff_min = 0.02, .backoff_max = 0.1,
	};

	td->name = name;
	wp_timer_init(H.loop, &td->drop, "test drop", td_drop_cb);
	td->cl = wp_mgmt_client_new(H.loop, H.dir, name, mods, &cbs);
}

static void
td_stop(struct testd *td)
{
	wp_timer_stop(&td->drop);
	wp_mgmt_client_free(td->cl);
	td->cl = NULL;
	wp_free(MT_TEST, td->config);
	wp_free(MT_TEST, td->staged);
	wp_free(MT_TEST, td->diff);
	td->config = td->staged = td->diff = NULL;
}

/* --- harness ------------------------------------------------------------- */

static void
deadline_cb(struct wp_timer *t)
{
	H.timed_out = true;
}

/* Run the loop until cond(arg) holds; fail after `max` seconds. */
static void
run_until(bool (*cond)(void *), void *arg, double max)
{
	H.timed_out = false;
	wp_timer_start(&H.deadline, max, 0.0);
	while (!(cond && cond(arg)) && !H.timed_out)
		ev_run(wp_loop_ev(H.loop), EVRUN_ONCE);
	wp_timer_stop(&H.deadline);
	if (cond)
		ck_assert_msg(!H.timed_out, "condition not met within %.1f s",
			      max);
}

/* Run the loop for `secs` (a timer ends it: nothing else should). */
static void
run_for(double secs)
{
	run_until(NULL, NULL, secs);
}

static bool
synced(void *arg)
{
	struct testd *td = arg;

	return td->cl && wp_mgmt_client_synced(td->cl);
}

static bool
both_synced(void *arg)
{
	return synced(&H.a) && synced(&H.b);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* The YANG path of the next mgmt_start(): the test modules by default. */
static const char *yang_dirs = MGMT_TEST_YANGDIR;

static void
mgmt_start(double timeout)
{
	struct mgmt_config cfg = {
		.rundir = H.dir,
		.yang_path = yang_dirs,
		.startup_file = H.startup,
		.state_dir = H.state,
		.commit_timeout = timeout,
	};
	char err[512];

	H.m = mgmt_new(H.loop, &cfg, err, sizeof(err));
	ck_assert_msg(H.m != NULL, "mgmt_new: %s", err);
}

static void
session_open(void)
{
	char err[512];

	H.s = wp_mgmt_session_open(H.loop, H.dir, "test", "tester", err,
				   sizeof(err));
	ck_assert_msg(H.s != NULL, "session: %s", err);
	wp_mgmt_session_set_timeout(H.s, DEADLINE);
}

/* mgmtd with `startup` (or none), both daemons synced, one session. */
static void
setup_full(const char *startup, double timeout)
{
	char *yerr = NULL;

	memset(&H, 0, sizeof(H));
	events[0] = '\0';
	snprintf(H.dir, sizeof(H.dir), "/tmp/wp-mgmtd-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(H.dir));
	snprintf(H.state, sizeof(H.state), "%s/state", H.dir);
	snprintf(H.startup, sizeof(H.startup), "%s/waypoint.json", H.dir);
	if (startup)
		write_file(H.startup, startup);
	setenv(WP_YANG_PATH_ENV, MGMT_TEST_YANGDIR, 1);
	H.yctx = wp_yang_ctx_get(&yerr);
	ck_assert_msg(H.yctx != NULL, "%s", yerr);
	H.loop = wp_loop_new();
	wp_timer_init(H.loop, &H.deadline, "test deadline", deadline_cb);
	mgmt_start(timeout);
	td_start(&H.a, "td-a", mods_a);
	H.a.parse = true;
	run_until(synced, &H.a, DEADLINE);
	td_start(&H.b, "td-b", mods_b);
	H.b.parse = true;
	run_until(synced, &H.b, DEADLINE);
	session_open();
}

static bool
both_unsynced(void *arg)
{
	return !synced(&H.a) && !synced(&H.b);
}

/* Stop and start mgmtd; the daemons reconnect and resync. */
static void
restart_mgmtd(void)
{
	wp_mgmt_session_close(H.s);
	H.s = NULL;
	mgmt_free(H.m);
	H.m = NULL;
	run_until(both_unsynced, NULL, DEADLINE);
	mgmt_start(5.0);
	run_until(both_synced, NULL, DEADLINE);
	session_open();
}

static void
setup(void)
{
	setup_full(NULL, 5.0);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static struct wp_mgmt_result R;

static void
teardown(void)
{
	wp_mgmt_result_clear(&R);
	wp_mgmt_session_close(H.s);
	td_stop(&H.a);
	td_stop(&H.b);
	mgmt_free(H.m);
	wp_timer_stop(&H.deadline);
	wp_loop_free(H.loop);
	wp_yang_ctx_put();
	nftw(H.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}

/* --- session helpers ----------------------------------------------------- */

static int
edit(enum wp_mgmt_op op, const char *xpath, const char *value)
{
	struct wp_mgmt_edit e = { op, xpath, value };

	wp_mgmt_result_clear(&R);
	return wp_mgmt_session_edit(H.s, WP_MGMT_DS_PRIVATE, &e, 1, &R);
}

static void
edit_ok(enum wp_mgmt_op op, const char *xpath, const char *value)
{
	ck_assert_msg(edit(op, xpath, value) == 0, "edit %s: %s", xpath,
		      R.message);
}

static int
commit_opts(const struct wp_mgmt_commit_opts *o)
{
	wp_mgmt_result_clear(&R);
	return wp_mgmt_session_commit(H.s, WP_MGMT_DS_PRIVATE, o, &R);
}

static int
commit(void)
{
	return commit_opts(NULL);
}

static void
commit_ok(void)
{
	ck_assert_msg(commit() == 0, "commit: %s", R.message);
}

/* The running configuration as JSON (MT_STRING via R). */
static const char *
running(void)
{
	struct wp_mgmt_get_opts o = { .what = WP_MGMT_GET_RUNNING };

	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), 0);
	return R.data;
}

static char *
running_dup(void)
{
	return tdup(running());
}

static const char *
get(enum wp_mgmt_get what, enum wp_mgmt_fmt fmt)
{
	struct wp_mgmt_get_opts o = { .what = what, .fmt = fmt };

	wp_mgmt_result_clear(&R);
	ck_assert_msg(wp_mgmt_session_get(H.s, &o, &R) == 0, "get: %s",
		      R.message);
	return R.data ? R.data : "";
}

/* The base configuration: two interfaces, a route, a key chain. */
static void
base_config(void)
{
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1500");
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/address", "192.0.2.1/24");
	edit_ok(WP_MGMT_OP_CREATE, IF1, NULL);
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/nexthop", "192.0.2.254");
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/interface", "eth0");
	edit_ok(WP_MGMT_OP_MERGE, KC "/secret", "s3cret");
	commit_ok();
}

/* --- commit -------------------------------------------------------------- */

START_TEST(test_commit_two_daemons)
{
	setup();
	ck_assert_int_eq(H.a.kind, WP_MGMT_TX_SYNC);
	ck_assert_str_eq(H.a.config, "{}\n");
	events[0] = '\0';
	base_config();
	ck_assert_msg(strstr(R.message, "applied by td-a, td-b") != NULL,
		      "%s", R.message);
	ck_assert_uint_eq(R.commit_id, 1);
	/* Both prepared before either applied; no aborts. */
	ck_assert_msg(strcmp(ev_norm(), "aP bP aA bA") == 0, "events: %s",
		      events);
	ck_assert_int_eq(H.a.kind, WP_MGMT_TX_COMMIT);
	/* Each got its own modules only. */
	ck_assert_ptr_nonnull(strstr(H.a.config, "waypoint-test:interfaces"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "static-routes"));
	ck_assert_ptr_null(strstr(H.b.config, "waypoint-test:interfaces"));
	ck_assert_ptr_nonnull(strstr(H.b.config, "static-routes"));
	ck_assert_ptr_nonnull(strstr(H.b.config, "s3cret"));
	/* Defaults are included for the daemons, not in running. */
	ck_assert_ptr_nonnull(strstr(H.a.config, "\"distance\": 1"));
	ck_assert_ptr_null(strstr(running(), "distance"));
	ck_assert_ptr_nonnull(strstr(running(), "192.0.2.254"));
	/* The diff named the changes. */
	ck_assert_ptr_nonnull(strstr(H.b.diff, "\"yang:operation\": "
				     "\"create\""));

	/* A change to waypoint-test only involves td-a. */
	events[0] = '\0';
	edit_ok(WP_MGMT_OP_MERGE, IF1 "/mtu", "9000");
	commit_ok();
	ck_assert_str_eq(events, "aP aA");
	ck_assert_ptr_nonnull(strstr(H.a.config, "9000"));
	ck_assert_ptr_nonnull(strstr(H.a.diff, "\"mtu\": 9000"));
	ck_assert_int_eq(H.b.prepares, 2);	/* sync + first commit */

	/* Nothing to commit. */
	events[0] = '\0';
	ck_assert_int_eq(commit(), 0);
	ck_assert_str_eq(R.message, "No changes to commit");
	ck_assert_str_eq(events, "");
	teardown();
}
END_TEST

START_TEST(test_commit_refused)
{
	char *before;

	setup();
	base_config();
	before = running_dup();
	H.b.mode = TD_REFUSE;
	events[0] = '\0';
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "200");
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1400");
	ck_assert_int_eq(commit(), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_REFUSED);
	ck_assert_msg(strstr(R.message, "td-b refused the configuration: "
			     "static routes are frozen") != NULL, "%s",
		      R.message);
	ck_assert_str_eq(R.xpath, ROUTE);
	ck_assert_uint_eq(R.commit_id, 0);
	/* td-a prepared and was told to abort; nobody applied. */
	ck_assert_msg(strcmp(ev_norm(), "aP bP aX") == 0, "events: %s",
		      events);
	ck_assert_ptr_null(strstr(H.a.config, "1400"));
	ck_assert_str_eq(running(), before);
	/* The candidate keeps the changes, to fix and retry. */
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT),
				     "distance = 200"));
	H.b.mode = TD_ACCEPT;
	commit_ok();
	ck_assert_ptr_nonnull(strstr(H.a.config, "1400"));
	ck_assert_ptr_nonnull(strstr(H.b.config, "200"));
	wp_free(MT_TEST, before);
	teardown();
}
END_TEST

START_TEST(test_commit_timeout)
{
	char *before;

	setup_full(NULL, 0.3);
	base_config();
	before = running_dup();
	H.b.mode = TD_SILENT;
	events[0] = '\0';
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "50");
	ck_assert_int_eq(commit(), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_TIMEOUT);
	ck_assert_msg(strstr(R.message, "td-b did not answer within 0.3 s") !=
		      NULL, "%s", R.message);
	/* Abort went to both: td-b's pending prepare is dropped too. */
	ck_assert_msg(strcmp(ev_norm(), "aP bP aX bX") == 0, "events: %s",
		      events);
	ck_assert_str_eq(running(), before);
	/* Too late to answer now. */
	ck_assert_int_eq(wp_mgmt_client_prepare_done(H.b.cl, 0, &H.b, NULL),
			 -1);
	ck_assert_int_eq(errno, ESRCH);

	/* A pending prepare answered in time is fine. */
	events[0] = '\0';
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "60");
	H.b.mode = TD_ACCEPT;
	commit_ok();
	ck_assert_ptr_nonnull(strstr(H.b.config, "60"));
	wp_free(MT_TEST, before);
	teardown();
}
END_TEST

START_TEST(test_commit_daemon_drops)
{
	char *before;

	setup();
	base_config();
	before = running_dup();
	H.b.mode = TD_DROP;
	events[0] = '\0';
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "70");
	ck_assert_int_eq(commit(), -1);
	ck_assert_msg(strstr(R.message, "td-b disconnected during the "
			     "commit") != NULL, "%s", R.message);
	ck_assert_str_eq(running(), before);
	ck_assert_int_eq(H.a.aborts, 1);
	/* td-b comes back and gets the (unchanged) running config. */
	H.b.mode = TD_ACCEPT;
	run_until(synced, &H.b, DEADLINE);
	ck_assert_int_eq(H.b.kind, WP_MGMT_TX_SYNC);
	ck_assert_ptr_null(strstr(H.b.config, "70"));
	wp_free(MT_TEST, before);
	teardown();
}
END_TEST

START_TEST(test_reconnect_sync)
{
	struct testd c = { 0 };
	int before;

	setup();
	base_config();
	before = H.a.applies;
	wp_mgmt_client_reconnect(H.a.cl);
	ck_assert(!wp_mgmt_client_synced(H.a.cl));
	run_until(synced, &H.a, DEADLINE);
	ck_assert_int_eq(H.a.applies, before + 1);
	ck_assert_int_eq(H.a.kind, WP_MGMT_TX_SYNC);
	ck_assert_ptr_nonnull(strstr(H.a.config, "192.0.2.254"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "eth1"));
	/* The diff of a sync is everything, created. */
	ck_assert_ptr_nonnull(strstr(H.a.diff, "create"));

	/* A daemon seen for the first time gets its part too. */
	td_start(&c, "td-c", mods_b);
	run_until(synced, &c, DEADLINE);
	ck_assert_ptr_nonnull(strstr(c.config, "s3cret"));
	ck_assert_ptr_null(strstr(c.config, "eth1"));
	td_stop(&c);
	teardown();
}
END_TEST

START_TEST(test_daemon_not_connected)
{
	setup();
	base_config();
	td_stop(&H.b);
	run_for(0.05);			/* mgmtd sees it go */
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "90");
	commit_ok();
	ck_assert_msg(strstr(R.message, "applied by td-a") != NULL, "%s",
		      R.message);
	/* It gets the new configuration when it connects. */
	td_start(&H.b, "td-b", mods_b);
	run_until(synced, &H.b, DEADLINE);
	ck_assert_ptr_nonnull(strstr(H.b.config, "\"distance\": 90"));
	teardown();
}
END_TEST

static bool
prepared(void *arg)
{
	return ((struct testd *)arg)->prepares > 0;
}

START_TEST(test_sync_refused)
{
	struct testd c = { .mode = TD_REFUSE };

	setup();
	base_config();
	/* td-c refuses the routing part it is sent when it connects. */
	td_start(&c, "td-c", mods_b);
	run_until(prepared, &c, DEADLINE);
	run_for(0.05);
	ck_assert(!wp_mgmt_client_synced(c.cl));
	ck_assert_int_eq(c.prepares, 1);
	/* Commits that leave its part alone do not ask it again. */
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1600");
	commit_ok();
	ck_assert_int_eq(c.prepares, 1);
	/* A change to its part does, and its refusal stops the commit. */
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "20");
	ck_assert_int_eq(commit(), -1);
	ck_assert_ptr_nonnull(strstr(R.message, "td-c refused"));
	ck_assert_int_eq(c.prepares, 2);
	c.mode = TD_ACCEPT;
	commit_ok();
	ck_assert(wp_mgmt_client_synced(c.cl));
	ck_assert_ptr_nonnull(strstr(c.config, "\"distance\": 20"));
	td_stop(&c);
	teardown();
}
END_TEST

START_TEST(test_commit_check)
{
	char *before;

	setup();
	base_config();
	before = running_dup();
	events[0] = '\0';
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/distance", "33");
	ck_assert_int_eq(commit_opts(&(struct wp_mgmt_commit_opts){
				     .check_only = true }), 0);
	ck_assert_msg(strstr(R.message, "check passed") != NULL, "%s",
		      R.message);
	ck_assert_msg(strcmp(ev_norm(), "aP bP aX bX") == 0, "events: %s",
		      events);
	ck_assert_int_eq(H.a.kind, WP_MGMT_TX_CHECK);
	ck_assert_str_eq(running(), before);
	/* The candidate still holds the change; a refusal shows up. */
	H.b.mode = TD_REFUSE;
	ck_assert_int_eq(commit_opts(&(struct wp_mgmt_commit_opts){
				     .check_only = true }), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_REFUSED);
	ck_assert_str_eq(running(), before);
	wp_free(MT_TEST, before);
	teardown();
}
END_TEST

static bool
applies_reach(void *arg)
{
	return H.a.applies >= *(int *)arg;
}

START_TEST(test_confirmed_timeout)
{
	struct wp_mgmt_commit_opts o = { .confirm_timeout_ms = 200,
					 .comment = "risky" };
	char *before;
	int want;

	setup();
	base_config();
	before = running_dup();
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "9000");
	ck_assert_msg(commit_opts(&o) == 0, "%s", R.message);
	ck_assert_ptr_nonnull(strstr(R.message, "rolled back"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "9000"));
	/* Not confirmed: the daemons get the old configuration back. */
	want = H.a.applies + 1;
	run_until(applies_reach, &want, DEADLINE);
	ck_assert_int_eq(H.a.kind, WP_MGMT_TX_ROLLBACK);
	ck_assert_ptr_null(strstr(H.a.config, "9000"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "1500"));
	ck_assert_str_eq(running(), before);
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_HISTORY,
					 WP_MGMT_FMT_TEXT),
				     "rollback: commit 2 was not confirmed"));
	wp_free(MT_TEST, before);
	teardown();
}
END_TEST

START_TEST(test_confirmed_confirmed)
{
	struct wp_mgmt_commit_opts o = { .confirm_timeout_ms = 1000 };
	int applies;

	setup();
	base_config();
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "9000");
	ck_assert_int_eq(commit_opts(&o), 0);
	/* A plain commit confirms, with or without changes of its own. */
	ck_assert_int_eq(commit(), 0);
	ck_assert_str_eq(R.message, "Commit confirmed; no other changes");
	applies = H.a.applies;
	run_for(1.3);
	ck_assert_int_eq(H.a.applies, applies);
	ck_assert_ptr_nonnull(strstr(running(), "9000"));

	/* cancel-commit rolls back at once. */
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1280");
	ck_assert_int_eq(commit_opts(&(struct wp_mgmt_commit_opts){
				     .confirm_timeout_ms = 60000 }), 0);
	ck_assert_int_eq(wp_mgmt_session_cancel_commit(H.s, &R), 0);
	applies = H.a.applies + 1;
	run_until(applies_reach, &applies, DEADLINE);
	ck_assert_ptr_nonnull(strstr(running(), "9000"));
	ck_assert_int_eq(wp_mgmt_session_cancel_commit(H.s, &R), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_NOT_FOUND);
	teardown();
}
END_TEST

START_TEST(test_rollback)
{
	static const char *const mtus[] = { "1000", "2000", "3000" };

	setup();
	base_config();
	for (size_t i = 0; i < 3; i++) {
		edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", mtus[i]);
		commit_ok();
	}
	/* History: 0 = mtu 3000 (running), 1 = 2000, 2 = 1000. */
	ck_assert_int_eq(wp_mgmt_session_rollback(H.s, WP_MGMT_DS_PRIVATE, 2,
						  true, "back", &R), 0);
	ck_assert_ptr_nonnull(strstr(running(), "\"mtu\": 1000"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "\"mtu\": 1000"));
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_HISTORY,
					 WP_MGMT_FMT_TEXT),
				     "back: rollback to commit 2"));
	/* Load without commit: the candidate differs, running does not. */
	ck_assert_int_eq(wp_mgmt_session_rollback(H.s, WP_MGMT_DS_PRIVATE, 1,
						  false, NULL, &R), 0);
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT),
				     "mtu = 3000 (was 1000)"));
	ck_assert_ptr_nonnull(strstr(running(), "\"mtu\": 1000"));
	ck_assert_int_eq(wp_mgmt_session_discard(H.s, WP_MGMT_DS_PRIVATE,
						 &R), 0);
	ck_assert_int_eq(wp_mgmt_session_rollback(H.s, WP_MGMT_DS_PRIVATE, 99,
						  true, NULL, &R), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_NOT_FOUND);
	teardown();
}
END_TEST

/* --- edits --------------------------------------------------------------- */

/* An edit fails with `status` and a message holding each of `want`. */
static void
edit_fails(enum wp_mgmt_op op, const char *xpath, const char *value,
	   int status, const char *want1, const char *want2)
{
	ck_assert_int_eq(edit(op, xpath, value), -1);
	ck_assert_msg(R.status == status, "%s: status %d, message %s", xpath,
		      R.status, R.message);
	ck_assert_msg(strstr(R.message, want1) != NULL, "\"%s\" lacks \"%s\"",
		      R.message, want1);
	if (want2)
		ck_assert_msg(strstr(R.message, want2) != NULL,
			      "\"%s\" lacks \"%s\"", R.message, want2);
}

static void
commit_fails(const char *want1, const char *want2)
{
	ck_assert_int_eq(commit(), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_INVALID);
	ck_assert_msg(strstr(R.message, want1) != NULL, "\"%s\" lacks \"%s\"",
		      R.message, want1);
	if (want2)
		ck_assert_msg(strstr(R.message, want2) != NULL,
			      "\"%s\" lacks \"%s\"", R.message, want2);
}

START_TEST(test_invalid_edits)
{
	struct wp_mgmt_edit batch[] = {
		{ WP_MGMT_OP_MERGE, IF0 "/description", "uplink" },
		{ WP_MGMT_OP_MERGE, IF0 "/mtu", "70000" },
	};

	setup();
	base_config();
	edit_fails(WP_MGMT_OP_MERGE, IF0 "/mtu", "30", WP_MGMT_ST_INVALID,
		   IF0 "/mtu: range: value 30 is outside 68..65535", NULL);
	edit_fails(WP_MGMT_OP_MERGE, IF0 "/mtu", "abc", WP_MGMT_ST_INVALID,
		   IF0 "/mtu: type: \"abc\" is not a number in 68..65535",
		   NULL);
	edit_fails(WP_MGMT_OP_MERGE, "/waypoint-test:interfaces/interface/mtu",
		   "1500", WP_MGMT_ST_INVALID,
		   "Predicate missing for list \"interface\"", NULL);
	edit_fails(WP_MGMT_OP_MERGE, "/waypoint-test:interfaces/bogus", "1",
		   WP_MGMT_ST_INVALID, "bogus", NULL);
	edit_fails(WP_MGMT_OP_MERGE, "/waypoint-test:system/hostname", "a b",
		   WP_MGMT_ST_INVALID, "/waypoint-test:system/hostname: "
		   "pattern: ", NULL);
	edit_fails(WP_MGMT_OP_MERGE, "/waypoint-test:system/hostname",
		   "0123456789012345678901234567890123456789012345678901234567"
		   "890123", WP_MGMT_ST_INVALID, "length: length of ",
		   "is outside 1..63");
	edit_fails(WP_MGMT_OP_MERGE, "/waypoint-test:system/log-level",
		   "chatty", WP_MGMT_ST_INVALID, "type: \"chatty\" is not "
		   "one of: errors warnings informational debugging", NULL);
	edit_fails(WP_MGMT_OP_MERGE, IF0 "/address", "192.0.2.300/24",
		   WP_MGMT_ST_INVALID, "192.0.2.300/24", NULL);
	edit_fails(WP_MGMT_OP_CREATE, IF1, NULL, WP_MGMT_ST_EXISTS,
		   IF1 ": already exists", NULL);
	edit_fails(WP_MGMT_OP_DELETE,
		   "/waypoint-test:interfaces/interface[name='eth7']", NULL,
		   WP_MGMT_ST_MISSING, "does not exist", NULL);
	edit_fails(WP_MGMT_OP_DELETE, IF0 "/name", NULL, WP_MGMT_ST_INVALID,
		   "list key cannot be deleted", NULL);
	edit_fails(WP_MGMT_OP_MERGE, "interfaces", NULL, WP_MGMT_ST_INVALID,
		   "absolute path", NULL);
	edit_ok(WP_MGMT_OP_REMOVE,
		"/waypoint-test:interfaces/interface[name='eth7']", NULL);
	/* Nothing of the above reached the candidate. */
	ck_assert_str_eq(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT), "");

	/* A batch applies whole or not at all, naming the failed edit. */
	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_edit(H.s, WP_MGMT_DS_PRIVATE, batch,
					      2, &R), -1);
	ck_assert_uint_eq(R.edit_index, 2);
	ck_assert_str_eq(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT), "");

	/* Leafref, must and mandatory are checked at commit. */
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/interface", "eth9");
	commit_fails(ROUTE "/interface", "leafref: \"eth9\" is not an existing");
	ck_assert_str_eq(R.xpath, ROUTE "/interface");
	edit_ok(WP_MGMT_OP_REMOVE, ROUTE "/interface", NULL);
	edit_ok(WP_MGMT_OP_REMOVE, ROUTE "/nexthop", NULL);
	commit_fails(ROUTE, "a route needs a nexthop or an interface");
	edit_ok(WP_MGMT_OP_MERGE, ROUTE "/nexthop", "192.0.2.9");
	edit_ok(WP_MGMT_OP_CREATE, "/waypoint-test-routing:key-chains/"
		"key-chain[name='k2']", NULL);
	commit_fails("key-chain[name='k2']", "secret");
	/* Validate says the same without asking the daemons. */
	ck_assert_int_eq(wp_mgmt_session_validate(H.s, WP_MGMT_DS_PRIVATE,
						  &R), -1);
	ck_assert_ptr_nonnull(strstr(R.message, "secret"));
	edit_ok(WP_MGMT_OP_MERGE, "/waypoint-test-routing:key-chains/"
		"key-chain[name='k2']/secret", "x");
	ck_assert_int_eq(wp_mgmt_session_validate(H.s, WP_MGMT_DS_PRIVATE,
						  &R), 0);
	commit_ok();
	teardown();
}
END_TEST

START_TEST(test_edit_ops)
{
	const char *diff;

	setup();
	base_config();
	/* replace: the entry's old subtree goes. */
	edit_ok(WP_MGMT_OP_REPLACE, IF0, NULL);
	diff = get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT);
	ck_assert_msg(strstr(diff, "- " IF0 "/mtu = 1500") != NULL, "%s",
		      diff);
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1500");
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/address", "192.0.2.1/24");
	/* Back as it was: the candidate is clean again. */
	ck_assert_str_eq(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT), "");
	/* Leaf-list entries by value. */
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/address", "198.51.100.1/24");
	edit_ok(WP_MGMT_OP_DELETE, IF0 "/address", "192.0.2.1/24");
	diff = get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT);
	/* (inet:ipv4-prefix is canonical with the host bits cleared) */
	ck_assert_msg(strstr(diff, "+ " IF0 "/address[.='198.51.100.0/24']")
		      != NULL, "%s", diff);
	ck_assert_ptr_nonnull(strstr(diff, "- " IF0
				     "/address[.='192.0.2.0/24']"));
	/* A created entry with no leaves of its own is a line too. */
	edit_ok(WP_MGMT_OP_CREATE,
		"/waypoint-test:interfaces/interface[name='eth9']", NULL);
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT),
				     "+ /waypoint-test:interfaces/interface"
				     "[name='eth9']\n"));
	/* Candidate, diff as JSON, discard. */
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_CANDIDATE,
					 WP_MGMT_FMT_JSON),
				     "198.51.100.0/24"));
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_JSON),
				     "yang:operation"));
	ck_assert_int_eq(wp_mgmt_session_discard(H.s, WP_MGMT_DS_PRIVATE,
						 &R), 0);
	ck_assert_str_eq(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT), "");
	/* Delete a whole entry; XML and a subtree filter. */
	edit_ok(WP_MGMT_OP_DELETE, IF1, NULL);
	commit_ok();
	ck_assert_ptr_null(strstr(running(), "eth1"));
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_RUNNING, WP_MGMT_FMT_XML),
				     "<name>eth0</name>"));
	{
		struct wp_mgmt_get_opts o = {
			.what = WP_MGMT_GET_RUNNING,
			.xpath = "/waypoint-test-routing:key-chains",
			.with_defaults = true,
		};

		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), 0);
		ck_assert_ptr_nonnull(strstr(R.data, "s3cret"));
		ck_assert_ptr_null(strstr(R.data, "eth0"));
		o.xpath = "/waypoint-test:interfaces/interface[name='eth0']";
		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), 0);
		ck_assert_ptr_nonnull(strstr(R.data, "\"enabled\": true"));
		/* A filter that matches nothing gives an empty tree. */
		o.xpath = "/waypoint-test:interfaces/interface[name='x']";
		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), 0);
		ck_assert_str_eq(R.data, "{}\n");
		o.xpath = "/waypoint-test:interfaces/interface[";
		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), -1);
		ck_assert_int_eq(R.status, WP_MGMT_ST_INVALID);
		/* Filters are paths: no XPath arithmetic (libyang dies of
		 * SIGFPE on "x mod 0"). */
		o.xpath = "/waypoint-test:interfaces/interface[name=\"eth0\"]"
			  "/*";
		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), 0);
		ck_assert_ptr_nonnull(strstr(R.data, "1500"));
		o.xpath = "10 mod 0";
		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), -1);
		ck_assert_ptr_nonnull(strstr(R.message, "a filter is a data "
					     "path"));
		o.xpath = "/waypoint-test:interfaces/interface[name=10 mod 0]";
		ck_assert_int_eq(wp_mgmt_session_get(H.s, &o, &R), -1);
	}
	/* The test modules declare no CLI syntax: no text for their data. */
	{
		struct wp_mgmt_get_opts o = { .what = WP_MGMT_GET_RUNNING,
					      .fmt = WP_MGMT_FMT_TEXT };

		ck_assert_msg(wp_mgmt_session_get(H.s, &o, &R) == -1,
			      "[%s] %s", R.data, running());
		ck_assert_int_eq(R.status, WP_MGMT_ST_UNSUPPORTED);
	}
	teardown();
}
END_TEST

START_TEST(test_load)
{
	static const char good[] =
		"{\n"
		"  \"waypoint-test:interfaces\": {\n"
		"    \"interface\": [ { \"name\": \"eth5\", \"mtu\": 1600 } ]\n"
		"  }\n"
		"}\n";
	static const char bad[] =
		"{\n"
		"  \"waypoint-test:interfaces\": {\n"
		"    \"interface\": [\n"
		"      { \"name\": \"eth6\", \"mtu\": 10 }\n"
		"    ]\n"
		"  }\n"
		"}\n";
	static const char xml[] =
		"<key-chains xmlns=\"urn:waypoint:yang:waypoint-test-routing\">"
		"<key-chain><name>x1</name><secret>y</secret></key-chain>"
		"</key-chains>";
	char *before;

	setup();
	base_config();
	before = running_dup();
	/* Merge keeps what is there. */
	ck_assert_int_eq(wp_mgmt_session_load(H.s, WP_MGMT_DS_PRIVATE,
					      WP_MGMT_FMT_JSON, false, good,
					      "good.json", &R), 0);
	commit_ok();
	ck_assert_ptr_nonnull(strstr(running(), "eth5"));
	ck_assert_ptr_nonnull(strstr(running(), "eth0"));
	/* A bad file names itself, the line, the path and the rule. */
	ck_assert_int_eq(wp_mgmt_session_load(H.s, WP_MGMT_DS_PRIVATE,
					      WP_MGMT_FMT_JSON, true, bad,
					      "bad.json", &R), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_INVALID);
	ck_assert_msg(strstr(R.message, "bad.json:4: ") == R.message &&
		      strstr(R.message, "range") != NULL, "%s", R.message);
	ck_assert_str_eq(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT), "");
	/* Replace: the file is the whole configuration. */
	ck_assert_int_eq(wp_mgmt_session_load(H.s, WP_MGMT_DS_PRIVATE,
					      WP_MGMT_FMT_XML, true, xml,
					      NULL, &R), 0);
	commit_ok();
	ck_assert_ptr_null(strstr(running(), "eth0"));
	ck_assert_ptr_nonnull(strstr(running(), "x1"));
	ck_assert_ptr_nonnull(strstr(H.b.config, "x1"));
	/* And back, in one replace. */
	ck_assert_int_eq(wp_mgmt_session_load(H.s, WP_MGMT_DS_PRIVATE,
					      WP_MGMT_FMT_JSON, true, before,
					      NULL, &R), 0);
	commit_ok();
	ck_assert_str_eq(running(), before);
	wp_free(MT_TEST, before);
	teardown();
}
END_TEST

static struct wp_mgmt_session *
session_new(const char *user)
{
	struct wp_mgmt_session *s;
	char err[256];

	s = wp_mgmt_session_open(H.loop, H.dir, "netconf", user, err,
				 sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

static int
sedit(struct wp_mgmt_session *s, enum wp_mgmt_ds ds, const char *xpath,
      const char *value)
{
	struct wp_mgmt_edit e = { WP_MGMT_OP_MERGE, xpath, value };

	wp_mgmt_result_clear(&R);
	return wp_mgmt_session_edit(s, ds, &e, 1, &R);
}

START_TEST(test_locks)
{
	struct wp_mgmt_session *s1, *s2;

	setup();
	base_config();
	s1 = session_new("alice");
	s2 = session_new("bob");
	ck_assert_int_eq(wp_mgmt_session_lock(s1, WP_MGMT_DS_SHARED, true,
					      &R), 0);
	ck_assert_int_eq(sedit(s2, WP_MGMT_DS_SHARED, IF0 "/mtu", "1300"), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_LOCKED);
	ck_assert_msg(strstr(R.message, "locked by session") &&
		      strstr(R.message, "alice"), "%s", R.message);
	ck_assert_int_eq(wp_mgmt_session_lock(s2, WP_MGMT_DS_SHARED, true,
					      &R), -1);
	ck_assert_int_eq(sedit(s1, WP_MGMT_DS_SHARED, IF0 "/mtu", "1300"), 0);
	/* Others may still read it. */
	{
		struct wp_mgmt_get_opts o = { .what = WP_MGMT_GET_CANDIDATE,
					      .ds = WP_MGMT_DS_SHARED };

		ck_assert_int_eq(wp_mgmt_session_get(s2, &o, &R), 0);
		ck_assert_ptr_nonnull(strstr(R.data, "1300"));
		ck_assert_int_eq(wp_mgmt_session_commit(s2, WP_MGMT_DS_SHARED,
							NULL, &R), -1);
		ck_assert_int_eq(R.status, WP_MGMT_ST_LOCKED);
	}
	/* Private candidates are not affected. */
	ck_assert_int_eq(sedit(s2, WP_MGMT_DS_PRIVATE, IF1 "/mtu", "1301"), 0);
	ck_assert_int_eq(wp_mgmt_session_commit(s1, WP_MGMT_DS_SHARED, NULL,
						&R), 0);
	ck_assert_ptr_nonnull(strstr(running(), "1300"));
	/* The lock goes with the session. */
	wp_mgmt_session_close(s1);
	run_for(0.05);
	ck_assert_int_eq(wp_mgmt_session_lock(s2, WP_MGMT_DS_SHARED, true,
					      &R), 0);
	ck_assert_int_eq(wp_mgmt_session_lock(s2, WP_MGMT_DS_SHARED, false,
					      &R), 0);
	ck_assert_int_eq(wp_mgmt_session_lock(s2, WP_MGMT_DS_SHARED, false,
					      &R), -1);
	/* A running lock stops others' commits. */
	ck_assert_int_eq(wp_mgmt_session_lock(s2, WP_MGMT_DS_RUNNING, true,
					      &R), 0);
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1302");
	ck_assert_int_eq(commit(), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_LOCKED);
	ck_assert_int_eq(wp_mgmt_session_commit(s2, WP_MGMT_DS_PRIVATE, NULL,
						&R), 0);
	wp_mgmt_session_close(s2);
	run_for(0.05);
	commit_ok();
	ck_assert_ptr_nonnull(strstr(running(), "1302"));
	ck_assert_ptr_nonnull(strstr(running(), "1301"));
	teardown();
}
END_TEST

START_TEST(test_private_candidates)
{
	struct wp_mgmt_session *s1, *s2;

	setup();
	base_config();
	s1 = session_new("alice");
	s2 = session_new("bob");
	/* Independent changes from two sessions both land. */
	ck_assert_int_eq(sedit(s1, WP_MGMT_DS_PRIVATE, IF0 "/description",
			       "from alice"), 0);
	ck_assert_int_eq(sedit(s2, WP_MGMT_DS_PRIVATE, IF1 "/description",
			       "from bob"), 0);
	ck_assert_ptr_null(strstr(get(WP_MGMT_GET_CANDIDATE,
				      WP_MGMT_FMT_JSON), "alice"));
	ck_assert_int_eq(wp_mgmt_session_commit(s1, WP_MGMT_DS_PRIVATE, NULL,
						&R), 0);
	ck_assert_int_eq(wp_mgmt_session_commit(s2, WP_MGMT_DS_PRIVATE, NULL,
						&R), 0);
	ck_assert_ptr_nonnull(strstr(running(), "from alice"));
	ck_assert_ptr_nonnull(strstr(running(), "from bob"));
	/* Conflicting ones: the second is refused, running keeps the first. */
	ck_assert_int_eq(sedit(s1, WP_MGMT_DS_PRIVATE, IF1 "/mtu", "1234"), 0);
	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_edit(s2, WP_MGMT_DS_PRIVATE,
				&(struct wp_mgmt_edit){ WP_MGMT_OP_DELETE,
							IF1, NULL }, 1, &R), 0);
	ck_assert_int_eq(wp_mgmt_session_commit(s2, WP_MGMT_DS_PRIVATE, NULL,
						&R), 0);
	ck_assert_int_eq(wp_mgmt_session_commit(s1, WP_MGMT_DS_PRIVATE, NULL,
						&R), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_CONFLICT);
	ck_assert_ptr_null(strstr(running(), "eth1"));
	/* History names who did what. */
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_HISTORY,
					 WP_MGMT_FMT_JSON), "\"bob\""));
	wp_mgmt_session_close(s1);
	wp_mgmt_session_close(s2);
	teardown();
}
END_TEST

static const struct wp_ipc_handler no_handlers[] = {
	WP_IPC_HANDLER_END,
};

static bool
raw_connected(void *arg)
{
	return wp_ipc_client_conn(arg) != NULL;
}

START_TEST(test_no_session)
{
	struct wp_ipc_client *raw;
	Wp__Mgmt__EditRequest em = WP__MGMT__EDIT_REQUEST__INIT;
	char path[256];

	setup();
	snprintf(path, sizeof(path), "%s/mgmtd.sock", H.dir);
	raw = wp_ipc_client_new(H.loop, path, no_handlers, NULL);
	run_until(raw_connected, raw, DEADLINE);
	em.req_id = 7;
	/* Answered NO_SESSION; the raw client has no handler for Reply,
	 * so its side closes, and mgmtd stays up. */
	ck_assert_int_eq(wp_ipc_client_send(raw, WP_MGMT_EDIT, &em.base), 0);
	run_for(0.1);
	wp_ipc_client_free(raw);
	base_config();
	teardown();
}
END_TEST

/* --- store --------------------------------------------------------------- */

static size_t
count_files(const char *dir, const char *prefix)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d = opendir(dir);

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

START_TEST(test_history_disk)
{
	char *hist;

	setup();
	base_config();
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "1234");
	ck_assert_int_eq(commit_opts(&(struct wp_mgmt_commit_opts){
				     .comment = "bigger frames" }), 0);
	ck_assert_uint_eq(R.commit_id, 2);
	ck_assert_uint_eq(count_files(H.state, "commit-"), 2);
	hist = tdup(get(WP_MGMT_GET_HISTORY, WP_MGMT_FMT_TEXT));
	ck_assert_msg(strstr(hist, "tester") && strstr(hist, "bigger frames"),
		      "%s", hist);
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_COMMIT, WP_MGMT_FMT_TEXT),
				     "~ " IF0 "/mtu = 1234 (was 1500)"));

	/* Restart: the history comes back, ids go on; with no startup file
	 * the (empty) running config is recorded as a commit of its own. */
	restart_mgmtd();
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_HISTORY,
					 WP_MGMT_FMT_TEXT), "bigger frames"));
	ck_assert_uint_eq(H.m->nhistory, 3);
	ck_assert_uint_eq(mgmt_history_get(H.m, 0)->id, 3);
	ck_assert_int_eq(wp_mgmt_session_rollback(H.s, WP_MGMT_DS_PRIVATE, 1,
						  true, NULL, &R), 0);
	ck_assert_ptr_nonnull(strstr(running(), "1234"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "1234"));
	wp_free(MT_TEST, hist);

	/* Only the last 50 are kept. */
	for (int i = 0; i < 55; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", 100 + i);
		edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", v);
		commit_ok();
	}
	ck_assert_uint_eq(H.m->nhistory, WP_MGMT_HISTORY_MAX);
	ck_assert_uint_eq(count_files(H.state, "commit-"),
			  WP_MGMT_HISTORY_MAX);
	teardown();
}
END_TEST

static bool
json_loads(const char *path, const char *want)
{
	struct lyd_node *tree = NULL;
	size_t len;
	char *text = mgmt_file_read(path, &len);
	char err[256];
	bool ok;

	if (text == NULL)
		return false;
	ok = yparse(H.yctx, text, &tree, err, sizeof(err)) == 0 &&
	     (want == NULL || strstr(text, want) != NULL);
	lyd_free_all(tree);
	wp_free(MT_MGMT_TEXT, text);
	return ok;
}

START_TEST(test_write_memory)
{
	char bak[300];

	setup();
	base_config();
	ck_assert_int_eq(wp_mgmt_session_write(H.s, &R), 0);
	ck_assert_ptr_nonnull(strstr(R.message, H.startup));
	ck_assert(json_loads(H.startup, "192.0.2.254"));
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "4321");
	commit_ok();
	ck_assert_int_eq(wp_mgmt_session_write(H.s, &R), 0);
	ck_assert(json_loads(H.startup, "4321"));
	snprintf(bak, sizeof(bak), "%s.bak", H.startup);
	ck_assert(json_loads(bak, "1500"));

	/* A restart loads it, and the daemons get it. */
	restart_mgmtd();
	ck_assert_ptr_nonnull(strstr(running(), "4321"));
	ck_assert_ptr_nonnull(strstr(H.a.config, "4321"));
	ck_assert_str_eq(H.m->loaded_from, H.startup);
	teardown();
}
END_TEST

/* Two versions of a larger file, so a half write is visible. */
static char *
big_config(const char *mtu)
{
	size_t cap = 64 * 1024, len;
	char *s = wp_malloc(MT_TEST, cap);

	len = (size_t)snprintf(s, cap, "{\n  \"waypoint-test:interfaces\": "
			       "{\n    \"interface\": [\n");
	for (int i = 0; i < 300; i++)
		len += (size_t)snprintf(s + len, cap - len,
					"      { \"name\": \"if%d\", \"mtu\": "
					"%s }%s\n", i, mtu,
					i < 299 ? "," : "");
	snprintf(s + len, cap - len, "    ]\n  }\n}\n");
	return s;
}

/* The file parses as YANG JSON (own context) and holds `want`. */
static bool
json_loads_text(const char *path, const char *want)
{
	struct lyd_node *tree = NULL;
	struct ly_ctx *ctx;
	char err[256], *text = mgmt_file_read(path, NULL);
	bool ok;

	if (text == NULL)
		return false;
	ck_assert_int_eq(wp_yang_ctx_new(NULL, NULL, &ctx, NULL), 0);
	ok = yparse(ctx, text, &tree, err, sizeof(err)) == 0 &&
	     (want == NULL || strstr(text, want) != NULL);
	lyd_free_all(tree);
	wp_yang_ctx_free(ctx);
	wp_free(MT_MGMT_TEXT, text);
	return ok;
}

static void
assert_file_is(const char *path, const char *want)
{
	char *text = mgmt_file_read(path, NULL);

	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strcmp(text, want) == 0, "%s: wrong version", path);
	wp_free(MT_MGMT_TEXT, text);
}

static void
assert_file_whole(const char *path, const char *a, const char *b)
{
	size_t len;
	char *text = mgmt_file_read(path, &len);

	ck_assert_msg(text != NULL, "%s is gone", path);
	ck_assert_msg(strcmp(text, a) == 0 || strcmp(text, b) == 0,
		      "%s holds %zu bytes of neither version", path, len);
	ck_assert(json_loads(path, NULL));
	wp_free(MT_MGMT_TEXT, text);
}

START_TEST(test_write_crash)
{
	char *v1 = big_config("1500"), *v2 = big_config("9000");
	char err[256], bak[300];

	setup();
	snprintf(bak, sizeof(bak), "%s.bak", H.startup);
	ck_assert_int_eq(mgmt_file_write_atomic(H.startup, v1, strlen(v1),
						MGMT_WRITE_BACKUP, err,
						sizeof(err)), 0);
	/* Killed at each step of the write: old or new, never a mix. */
	for (int step = 1; step <= 6; step++) {
		char val[8];
		int status;
		pid_t pid;

		snprintf(val, sizeof(val), "%d", step);
		if ((pid = fork()) == 0) {
			setenv("WP_MGMT_TEST_CRASH_AT", val, 1);
			mgmt_file_write_atomic(H.startup, v2, strlen(v2),
					       MGMT_WRITE_BACKUP |
					       MGMT_WRITE_CRASH_HOOK, err,
					       sizeof(err));
			_exit(0);
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFSIGNALED(status) &&
			      WTERMSIG(status) == SIGKILL, "step %d", step);
		/* Before the rename the old file stands, after it the new;
		 * the backup holds the old one once step 4 is reached. */
		assert_file_is(H.startup, step >= 5 ? v2 : v1);
		ck_assert(json_loads(H.startup, NULL));
		if (step >= 4)
			assert_file_is(bak, v1);
		/* Put v1 back for the next round. */
		ck_assert_int_eq(mgmt_file_write_atomic(H.startup, v1,
							strlen(v1),
							MGMT_WRITE_BACKUP, err,
							sizeof(err)), 0);
	}
	/* Killed at random moments of back-to-back writes. */
	srandom((unsigned int)getpid());
	for (int round = 0; round < 20; round++) {
		int pfd[2], status;
		long want = 1 + random() % 40;
		char c;
		pid_t pid;

		ck_assert_int_eq(pipe(pfd), 0);
		if ((pid = fork()) == 0) {
			close(pfd[0]);
			for (int i = 0;; i++) {
				const char *v = (i & 1) ? v1 : v2;

				mgmt_file_write_atomic(H.startup, v, strlen(v),
						       MGMT_WRITE_BACKUP, err,
						       sizeof(err));
				if (write(pfd[1], "w", 1) != 1)
					_exit(1);
			}
		}
		close(pfd[1]);
		for (long i = 0; i < want; i++)
			ck_assert_int_eq(read(pfd[0], &c, 1), 1);
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		close(pfd[0]);
		assert_file_whole(H.startup, v1, v2);
	}
	wp_free(MT_TEST, v1);
	wp_free(MT_TEST, v2);
	teardown();
}
END_TEST

START_TEST(test_startup)
{
	static const char cfg[] =
		"{ \"waypoint-test-routing:key-chains\": { \"key-chain\": "
		"[ { \"name\": \"boot\", \"secret\": \"from-file\" } ] } }";
	static const char broken[] =
		"{ \"waypoint-test-routing:static-routes\": { \"route\": "
		"[ { \"prefix\": \"10.1.0.0/16\", "
		"\"interface\": \"nope\" } ] } }";
	char conf[256];

	setup_full(cfg, 5.0);
	ck_assert_ptr_nonnull(strstr(H.b.config, "from-file"));
	ck_assert_ptr_nonnull(strstr(running(), "from-file"));
	ck_assert_ptr_nonnull(strstr(get(WP_MGMT_GET_HISTORY,
					 WP_MGMT_FMT_TEXT),
				     "startup configuration"));
	/* A broken file leaves running empty, says why, stays on disk. */
	wp_mgmt_session_close(H.s);
	H.s = NULL;
	mgmt_free(H.m);
	write_file(H.startup, broken);
	mgmt_start(5.0);
	ck_assert_msg(strstr(H.m->startup_error, "waypoint.json: ") &&
		      strstr(H.m->startup_error, "leafref"), "%s",
		      H.m->startup_error);
	ck_assert_ptr_null(H.m->running);
	/* A .conf the modules give no syntax for is refused as a whole
	 * (no fallback to the .json next to it). */
	mgmt_free(H.m);
	write_file(H.startup, cfg);
	snprintf(conf, sizeof(conf), "%s/waypoint.conf", H.dir);
	write_file(conf, "hostname r1\n");
	snprintf(H.startup, sizeof(H.startup), "%s", conf);
	mgmt_start(5.0);
	ck_assert_ptr_null(H.m->loaded_from);
	ck_assert_ptr_null(H.m->running);
	ck_assert_msg(strstr(H.m->startup_error, "waypoint.conf:1: "), "%s",
		      H.m->startup_error);
	teardown();
}
END_TEST

static const char cli_conf[] =
	"hostname r1\n"
	"!\n"
	"interface eth0\n"
	" description uplink\n"
	" ip address 192.0.2.1/24\n"
	"!\n"
	"ip route 10.0.0.0/8 192.0.2.254\n"
	"ip route 10.1.0.0/16 eth0 20\n";

/* mgmtd with the real modules and `text` as its waypoint.conf. */
static void
setup_cli(const char *text)
{
	setup_full(NULL, 5.0);
	wp_mgmt_session_close(H.s);
	H.s = NULL;
	mgmt_free(H.m);
	snprintf(H.startup, sizeof(H.startup), "%s/waypoint.conf", H.dir);
	write_file(H.startup, text);
	yang_dirs = MGMT_TEST_YANGDIR ":" TOP_SRCDIR "/yang";
	mgmt_start(5.0);
	yang_dirs = MGMT_TEST_YANGDIR;
	session_open();
}

/* `show running-config` on mgmtd's vty. */
static char *
show_running_config(void)
{
	struct wp_vty *vty = wp_vty_new(H.loop, "mgmtd");
	char *out = NULL;

	ck_assert_int_eq(mgmt_vty_install(vty, &H.m), 0);
	ck_assert_int_eq(wp_vty_exec(vty, "show running-config", &out),
			 WP_VTY_OK);
	wp_vty_free(vty);
	return out;
}

START_TEST(test_cli_text)
{
	static const char bad[] =
		"interface eth0\n"
		" mtu 20\n"
		" ip adress 192.0.2.1/24\n"
		"ip route 10.2.0.0/16 192.0.2.9\n";
	char *text, *again, *saved, *first;
	struct wp_mgmt_get_opts g = { .what = WP_MGMT_GET_RUNNING,
				      .fmt = WP_MGMT_FMT_TEXT };

	/* The startup file loads, and renders back as configuration text. */
	setup_cli(cli_conf);
	ck_assert_str_eq(H.m->loaded_from, H.startup);
	ck_assert_ptr_nonnull(strstr(running(), "192.0.2.254"));
	text = show_running_config();
	ck_assert_msg(strstr(text, "interface eth0\n description uplink\n"
			     " ip address 192.0.2.1/24\nexit\n") &&
		      strstr(text, "ip route 10.1.0.0/16 eth0 20\n"), "%s",
		      text);
	/* The session API gets the same text. */
	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_get(H.s, &g, &R), 0);
	ck_assert_str_eq(R.data, text);

	/* Round trip: the rendered text, as the startup file of a fresh
	 * mgmtd, gives the same text again.  (Out of the memory types:
	 * teardown() checks them for leaks.) */
	first = strdup(text);
	wp_free(MT_STRING, text);
	text = first;
	teardown();
	setup_cli(text);
	again = show_running_config();
	ck_assert_str_eq(again, text);
	wp_free(MT_STRING, again);

	/* Loading text through a session: one bad line refuses the whole
	 * text, naming the file and each line; the candidate is untouched. */
	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_load(H.s, WP_MGMT_DS_PRIVATE,
					      WP_MGMT_FMT_TEXT, false, bad,
					      "more.conf", &R), -1);
	ck_assert_int_eq(R.status, WP_MGMT_ST_INVALID);
	ck_assert_msg(strstr(R.message, "more.conf:2: 20 is out of range "
			     "for mtu (68-65535)") &&
		      strstr(R.message, "more.conf:3: Invalid input at "
			     "'adress'"), "%s", R.message);
	ck_assert_str_eq(get(WP_MGMT_GET_DIFF, WP_MGMT_FMT_TEXT), "");
	/* A good text merges and commits as one change. */
	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_load(H.s, WP_MGMT_DS_PRIVATE,
					      WP_MGMT_FMT_TEXT, false,
					      "ip route 10.2.0.0/16 "
					      "192.0.2.9\n", "more.conf",
					      &R), 0);
	commit_ok();
	again = show_running_config();
	ck_assert_msg(strstr(again, "ip route 10.2.0.0/16 192.0.2.9\n") &&
		      strstr(again, "ip route 10.0.0.0/8 192.0.2.254\n"), "%s",
		      again);
	wp_free(MT_STRING, again);

	/* write memory saves configuration text to the .conf. */
	wp_mgmt_result_clear(&R);
	ck_assert_int_eq(wp_mgmt_session_write(H.s, &R), 0);
	saved = mgmt_file_read(H.startup, NULL);
	ck_assert_ptr_nonnull(strstr(saved, "ip route 10.2.0.0/16 "
				     "192.0.2.9\n"));
	wp_free(MT_MGMT_TEXT, saved);
	free(text);
	teardown();

	/* A startup file with errors is refused whole. */
	setup_cli(bad);
	ck_assert_ptr_null(H.m->running);
	ck_assert_ptr_null(H.m->loaded_from);
	ck_assert_msg(strstr(H.m->startup_error, "waypoint.conf:2: ") &&
		      strstr(H.m->startup_error, "waypoint.conf:3: "), "%s",
		      H.m->startup_error);
	teardown();
}
END_TEST

START_TEST(test_vty)
{
	struct wp_vty *vty;
	char *out = NULL, line[128];

	setup();
	base_config();
	vty = wp_vty_new(H.loop, "mgmtd");
	ck_assert_int_eq(mgmt_vty_install(vty, &H.m), 0);
	ck_assert_int_eq(wp_vty_exec(vty, "show configuration running json",
				     &out), WP_VTY_OK);
	ck_assert_ptr_nonnull(strstr(out, "192.0.2.254"));
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "sh conf run xml", &out), WP_VTY_OK);
	ck_assert_ptr_nonnull(strstr(out, "<nexthop>192.0.2.254</nexthop>"));
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show configuration history", &out),
			 WP_VTY_OK);
	ck_assert_msg(strstr(out, "Commit") && strstr(out, "tester"), "%s",
		      out);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show configuration commit 0",
				     &out), WP_VTY_OK);
	ck_assert_msg(strstr(out, "+ " IF0 "/mtu = 1500") != NULL, "%s", out);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show configuration commit 5",
				     &out), WP_VTY_WARNING);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show mgmt daemons json", &out),
			 WP_VTY_OK);
	ck_assert_msg(strstr(out, "\"td-a\"") && strstr(out, "\"td-b\""),
		      "%s", out);
	wp_free(MT_STRING, out);
	edit_ok(WP_MGMT_OP_MERGE, IF1 "/mtu", "1280");
	snprintf(line, sizeof(line), "show configuration diff session %llu",
		 (unsigned long long)wp_mgmt_session_id(H.s));
	ck_assert_int_eq(wp_vty_exec(vty, line, &out), WP_VTY_OK);
	ck_assert_msg(strstr(out, "+ " IF1 "/mtu = 1280") != NULL, "%s", out);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show configuration diff", &out),
			 WP_VTY_OK);
	ck_assert_str_eq(out, "");
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show configuration diff session 99",
				     &out), WP_VTY_WARNING);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show mgmt sessions", &out),
			 WP_VTY_OK);
	ck_assert_ptr_nonnull(strstr(out, "tester"));
	wp_free(MT_STRING, out);
	ck_assert_int_eq(wp_vty_exec(vty, "show mgmt", &out), WP_VTY_OK);
	ck_assert_ptr_nonnull(strstr(out, "2 connected"));
	wp_free(MT_STRING, out);
	wp_vty_free(vty);
	teardown();
}
END_TEST

START_TEST(test_yang_helpers)
{
	struct lyd_node *tree = NULL;
	struct ly_ctx *ctx;
	char err[512], *path;

	setenv(WP_YANG_PATH_ENV, "/nonexistent:" MGMT_TEST_YANGDIR, 1);
	path = wp_yang_path("/first");
	ck_assert_str_eq(path, "/first:/nonexistent:" MGMT_TEST_YANGDIR ":"
			 YANGDIR);
	wp_free(MT_STRING, path);
	ck_assert_int_eq(wp_yang_ctx_new(NULL, NULL, &ctx, NULL), 0);
	ck_assert_uint_ge(wp_yang_ctx_count(ctx), 2);
	ck_assert_ptr_nonnull(ly_ctx_get_module_implemented(ctx,
							    "waypoint-test"));
	ck_assert_int_eq(yparse(ctx, "{}", &tree, err, sizeof(err)), 0);
	ck_assert_ptr_null(tree);
	ck_assert_int_eq(yparse(ctx, "{\"waypoint-test:system\":"
				" {\"log-level\": \"loud\"}}", &tree, err,
				sizeof(err)), -1);
	ck_assert_msg(strstr(err, "/waypoint-test:system/log-level") &&
		      strstr(err, "is not one of: errors"), "%s", err);
	ck_assert_ptr_nonnull(wp_yang_schema_of_path(ctx, IF0 "/mtu"));
	ck_assert_ptr_null(wp_yang_schema_of_path(ctx, IF0 "/nope"));
	ck_assert_ptr_null(ly_err_first(ctx));
	wp_yang_ctx_free(ctx);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}
END_TEST

/* --- process ------------------------------------------------------------- */

/* The real mgmtd binary, foreground, WP_LEAK_CHECK=1; `crash` sets the
 * write-memory crash point. */
static pid_t
mgmtd_spawn(const char *crash)
{
	char log[300], state[300];
	pid_t pid;

	snprintf(log, sizeof(log), "%s/mgmtd.log", H.dir);
	snprintf(state, sizeof(state), "%s/state", H.dir);
	if ((pid = fork()) == 0) {
		setenv("WP_LEAK_CHECK", "1", 1);
		if (crash)
			setenv("WP_MGMT_TEST_CRASH_AT", crash, 1);
		execl(MGMTD_BIN, "mgmtd", "--rundir", H.dir, "-f", H.startup,
		      "--yang-path", MGMT_TEST_YANGDIR, "--state-dir", state,
		      "-l", log, "--log-level", "debugging", (char *)NULL);
		_exit(127);
	}
	ck_assert_int_gt(pid, 0);
	return pid;
}

static void
try_open_cb(struct wp_timer *t)
{
	char err[256];

	H.s = wp_mgmt_session_open(H.loop, H.dir, "test", "tester", err,
				   sizeof(err));
	if (H.s == NULL)
		wp_timer_start(t, 0.02, 0.0);
}

static bool
session_up(void *arg)
{
	return H.s != NULL;
}

/* Poll (from the loop, with a deadline) until mgmtd takes a session. */
static void
mgmtd_wait(void)
{
	struct wp_timer t;

	wp_timer_init(H.loop, &t, "test open", try_open_cb);
	wp_timer_start(&t, 0.0, 0.0);
	run_until(session_up, NULL, DEADLINE);
	wp_timer_stop(&t);
	wp_mgmt_session_set_timeout(H.s, DEADLINE);
}

static int
mgmtd_reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

START_TEST(test_mgmtd_process)
{
	static const char cfg[] =
		"{ \"waypoint-test:interfaces\": { \"interface\": "
		"[ { \"name\": \"eth0\", \"mtu\": 1500 } ] } }";
	struct wp_vty_client *vc;
	char path[300], *out;
	int status, vst;
	pid_t pid;

	memset(&H, 0, sizeof(H));
	snprintf(H.dir, sizeof(H.dir), "/tmp/wp-mgmtd-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(H.dir));
	snprintf(H.startup, sizeof(H.startup), "%s/waypoint.json", H.dir);
	write_file(H.startup, cfg);
	setenv(WP_YANG_PATH_ENV, MGMT_TEST_YANGDIR, 1);
	H.loop = wp_loop_new();
	wp_timer_init(H.loop, &H.deadline, "test deadline", deadline_cb);

	/* Start; a daemon gets the startup configuration. */
	pid = mgmtd_spawn(NULL);
	mgmtd_wait();
	td_start(&H.a, "td-a", mods_a);
	run_until(synced, &H.a, DEADLINE);
	ck_assert_ptr_nonnull(strstr(H.a.config, "1500"));
	edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", "2000");
	commit_ok();
	ck_assert_ptr_nonnull(strstr(H.a.config, "2000"));
	ck_assert_int_eq(wp_mgmt_session_write(H.s, &R), 0);
	ck_assert(json_loads_text(H.startup, "2000"));
	/* Its vty answers too. */
	snprintf(path, sizeof(path), "%s/mgmtd.vty", H.dir);
	ck_assert_ptr_nonnull(vc = wp_vty_client_connect(path));
	ck_assert_int_eq(wp_vty_client_exec(vc, "show mgmt daemons json", &vst,
					    &out), 0);
	ck_assert_int_eq(vst, WP_VTY_OK);
	ck_assert_ptr_nonnull(strstr(out, "td-a"));
	wp_free(MT_STRING, out);
	wp_vty_client_close(vc);
	/* A clean stop, without leaks. */
	wp_mgmt_session_close(H.s);
	H.s = NULL;
	kill(pid, SIGTERM);
	status = mgmtd_reap(pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "mgmtd exit status %#x", status);

	/* kill -9 in the middle of write memory: the file stays whole. */
	for (int step = 1; step <= 6; step++) {
		char crash[8], mtu[8];

		snprintf(crash, sizeof(crash), "%d", step);
		snprintf(mtu, sizeof(mtu), "%d", 3000 + step);
		pid = mgmtd_spawn(crash);
		mgmtd_wait();
		run_until(synced, &H.a, DEADLINE);
		edit_ok(WP_MGMT_OP_MERGE, IF0 "/mtu", mtu);
		commit_ok();
		ck_assert_int_eq(wp_mgmt_session_write(H.s, &R), -1);
		ck_assert_int_eq(R.status, WP_MGMT_ST_IO);
		status = mgmtd_reap(pid);
		ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		ck_assert(json_loads_text(H.startup, step >= 5 ? mtu : NULL));
		wp_mgmt_session_close(H.s);
		H.s = NULL;
	}
	/* The next start loads the last complete file. */
	pid = mgmtd_spawn(NULL);
	mgmtd_wait();
	run_until(synced, &H.a, DEADLINE);
	ck_assert_ptr_nonnull(strstr(H.a.config, "3006"));
	wp_mgmt_session_close(H.s);
	H.s = NULL;
	kill(pid, SIGTERM);
	status = mgmtd_reap(pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	wp_mgmt_result_clear(&R);
	td_stop(&H.a);
	wp_timer_stop(&H.deadline);
	wp_loop_free(H.loop);
	nftw(H.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}
END_TEST

static Suite *
mgmtd_suite(void)
{
	Suite *s = suite_create("mgmtd");
	TCase *tc;

	tc = tcase_create("commit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_commit_two_daemons);
	tcase_add_test(tc, test_commit_refused);
	tcase_add_test(tc, test_commit_timeout);
	tcase_add_test(tc, test_commit_daemon_drops);
	tcase_add_test(tc, test_reconnect_sync);
	tcase_add_test(tc, test_daemon_not_connected);
	tcase_add_test(tc, test_sync_refused);
	tcase_add_test(tc, test_commit_check);
	tcase_add_test(tc, test_confirmed_timeout);
	tcase_add_test(tc, test_confirmed_confirmed);
	tcase_add_test(tc, test_rollback);
	suite_add_tcase(s, tc);

	tc = tcase_create("edit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_invalid_edits);
	tcase_add_test(tc, test_edit_ops);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_locks);
	tcase_add_test(tc, test_private_candidates);
	tcase_add_test(tc, test_no_session);
	suite_add_tcase(s, tc);

	tc = tcase_create("store");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_history_disk);
	tcase_add_test(tc, test_write_memory);
	tcase_add_test(tc, test_write_crash);
	tcase_add_test(tc, test_startup);
	tcase_add_test(tc, test_cli_text);
	tcase_add_test(tc, test_vty);
	tcase_add_test(tc, test_yang_helpers);
	suite_add_tcase(s, tc);

	tc = tcase_create("process");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mgmtd_process);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mgmtd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
