/*
 * ribinject: install generated routes through ribd's client API and time
 * them into the kernel.  The test client of the topology tests and the
 * load generator of the rib-install benchmark.
 *
 *	ribinject -N r1 --count 100000 --prefix 10.0.0.0/8 \
 *	    --nexthop 10.0.12.2 --source bgp --distance 20
 *
 * Routes are consecutive prefixes of length --plen inside --prefix, each
 * with --ecmp nexthops taken in turn from the --nexthop list.  They go
 * through lib/wp_ribclient like any daemon's (batching, backpressure,
 * reconnect).  The clock starts when the connection opens and stops when
 * ribd has answered for every route; the line printed says how many are
 * installed, failed, not selected, inactive.  --withdraw then withdraws
 * them all and times that too; --hold stays connected until SIGINT or
 * SIGTERM; --grace asks ribd to keep the routes that long after we leave.
 * --table puts the routes in that kernel table's VRF (default: main).
 *
 * --redist SOURCE installs nothing: it subscribes to SOURCE's routes of
 * --prefix's family in --table, prints what the initial dump brought
 * (one JSON line: the prefixes and the tables they came with) and exits.
 *
 * Exit status: 0 all installed (and withdrawn), 1 some were not, 2 usage,
 * 3 timeout.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_daemon.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_ribclient.h"

#define MAX_NH	WP_RIB_MAX_NEXTHOPS

enum phase {
	PH_INSTALL,
	PH_WITHDRAW,
	PH_HOLD,
	PH_DONE,
};

static struct {
	const char *rundir;
	char rundir_buf[256];
	const char *source;
	uint32_t instance;
	unsigned long count;
	struct wp_prefix base;
	int plen;
	struct wp_addr nh[MAX_NH];
	unsigned int n_nh;
	unsigned int ecmp;
	unsigned int distance;
	uint32_t metric;
	unsigned int grace;
	unsigned int batch;
	bool hold;
	bool withdraw;
	bool json;
	bool quiet;
	double timeout;
	uint32_t table;
	const char *redist;
} opt = {
	.source = "bgp",
	.timeout = 300.0,
};

static struct wp_loop *loop;
static struct wp_ribclient *rc;
static enum phase phase = PH_INSTALL;
static double t_start, t_installed, t_withdraw, t_withdrawn;
static unsigned long n_removed;
static struct wp_ribclient_stats st_install;
static uint32_t stale_at_connect;
static struct wp_timer deadline, poll_timer;
static int exit_code;
/* --redist: what the dump brought. */
static struct wp_prefix *redist_seen;
static uint32_t *redist_tables;
static size_t n_redist, cap_redist;

static void
usage(FILE *out)
{
	fprintf(out,
"usage: ribinject [-N PATHSPACE | --rundir DIR] --count N --prefix P/LEN\n"
"                 --nexthop ADDR [--nexthop ADDR ...] [--ecmp K] [--plen L]\n"
"                 [--source bgp] [--instance I] [--distance D] [--metric M]\n"
"                 [--grace SECONDS] [--batch ROUTES] [--hold] [--withdraw]\n"
"                 [--timeout SECONDS] [--json] [--quiet] [--table T]\n"
"       ribinject [-N PATHSPACE | --rundir DIR] --redist SOURCE\n"
"                 --prefix P/LEN [--table T] [--source S]\n");
}

/* base + (i << (width - plen)), in network byte order. */
static void
nth_prefix(unsigned long i, struct wp_prefix *p)
{
	unsigned int width = wp_family_bits(opt.base.family);
	unsigned int shift = width - (unsigned int)opt.plen;
	unsigned int nbytes = width / 8;
	unsigned __int128 v = 0, add = (unsigned __int128)i << shift;

	*p = opt.base;
	p->len = (uint8_t)opt.plen;
	for (unsigned int b = 0; b < nbytes; b++)
		v = (v << 8) | p->u.bytes[b];
	v += add;
	for (int b = (int)nbytes - 1; b >= 0; b--) {
		p->u.bytes[b] = (uint8_t)v;
		v >>= 8;
	}
}

static void
add_all(void)
{
	struct wp_rib_nh nh[MAX_NH];
	struct wp_rib_route rt;

	memset(&rt, 0, sizeof(rt));
	rt.distance = (uint8_t)opt.distance;
	rt.metric = opt.metric;
	rt.n_nh = opt.ecmp;
	rt.nh = nh;
	rt.table = opt.table;
	for (unsigned long i = 0; i < opt.count; i++) {
		memset(nh, 0, sizeof(nh));
		for (unsigned int k = 0; k < opt.ecmp; k++) {
			nh[k].type = WP_RIB_NH_GATEWAY;
			nh[k].gw = opt.nh[(i + k) % opt.n_nh];
		}
		nth_prefix(i, &rt.prefix);
		if (wp_ribclient_route_add(rc, &rt, i) < 0) {
			fprintf(stderr, "ribinject: route %lu refused: %s\n",
				i, strerror(errno));
			exit(2);
		}
	}
	wp_ribclient_sync_done(rc);
}

static void
del_all(void)
{
	struct wp_prefix p;

	for (unsigned long i = 0; i < opt.count; i++) {
		nth_prefix(i, &p);
		wp_ribclient_route_del(rc, &p, opt.table);
	}
}

static double
rate(unsigned long n, double secs)
{
	return secs > 0 ? n / secs : 0.0;
}

static void
report_install(void)
{
	struct wp_ribclient_stats *s = &st_install;
	double secs = t_installed - t_start;

	if (opt.json) {
		printf("{\"phase\": \"install\", \"routes\": %lu, \"seconds\": "
		       "%.6f, \"routesPerSecond\": %.0f, \"installed\": %zu, "
		       "\"failed\": %zu, \"notSelected\": %zu, \"inactive\": "
		       "%zu, \"staleAtConnect\": %u}\n", opt.count, secs,
		       rate(opt.count, secs), s->installed, s->failed,
		       s->not_selected, s->inactive, stale_at_connect);
	} else if (!opt.quiet) {
		printf("installed %lu routes in %.3f s (%.0f routes/s): %zu "
		       "installed, %zu failed, %zu not selected, %zu inactive\n",
		       opt.count, secs, rate(opt.count, secs), s->installed,
		       s->failed, s->not_selected, s->inactive);
	}
	fflush(stdout);
	if (s->installed != opt.count)
		exit_code = 1;
}

static void
report_withdraw(void)
{
	double secs = t_withdrawn - t_withdraw;

	if (opt.json)
		printf("{\"phase\": \"withdraw\", \"routes\": %lu, \"seconds\": "
		       "%.6f, \"routesPerSecond\": %.0f, \"removed\": %lu}\n",
		       opt.count, secs, rate(opt.count, secs), n_removed);
	else if (!opt.quiet)
		printf("withdrew %lu routes in %.3f s (%.0f routes/s)\n",
		       opt.count, secs, rate(opt.count, secs));
	fflush(stdout);
	if (n_removed != opt.count)
		exit_code = 1;
}

static void
advance(void)
{
	if (!wp_ribclient_idle(rc))
		return;
	switch (phase) {
	case PH_INSTALL:
		t_installed = wp_monotime();
		wp_ribclient_get_stats(rc, &st_install);
		report_install();
		if (opt.withdraw) {
			phase = PH_WITHDRAW;
			t_withdraw = wp_monotime();
			del_all();
			return;
		}
		break;
	case PH_WITHDRAW:
		t_withdrawn = wp_monotime();
		report_withdraw();
		break;
	case PH_HOLD:
	case PH_DONE:
		return;
	}
	if (opt.hold) {
		phase = PH_HOLD;
		if (!opt.quiet && !opt.json)
			printf("holding the session; SIGINT or SIGTERM ends "
			       "it\n");
		fflush(stdout);
		wp_timer_stop(&deadline);
		return;
	}
	phase = PH_DONE;
	wp_loop_break(loop);
}

static void
on_connected(struct wp_ribclient *c, uint32_t stale, void *arg)
{
	stale_at_connect = stale;
	if (t_start == 0)
		t_start = wp_monotime();
	if (!opt.quiet && !opt.json && stale)
		printf("ribd held %u routes of ours from before\n", stale);
}

static void
on_result(struct wp_ribclient *c, const struct wp_rib_result *r, void *arg)
{
	if (r->status == WP_RIB_REMOVED)
		n_removed++;
}

static void
on_redist_add(struct wp_ribclient *c, const struct wp_rib_route *rt,
	      void *arg)
{
	if (n_redist == cap_redist) {
		cap_redist = cap_redist ? cap_redist * 2 : 64;
		redist_seen = realloc(redist_seen,
				      cap_redist * sizeof(*redist_seen));
		redist_tables = realloc(redist_tables,
					cap_redist * sizeof(*redist_tables));
		if (redist_seen == NULL || redist_tables == NULL) {
			fprintf(stderr, "ribinject: out of memory\n");
			exit(2);
		}
	}
	redist_seen[n_redist] = rt->prefix;
	redist_tables[n_redist++] = rt->table;
}

static void
on_redist_done(struct wp_ribclient *c, int source, int af, void *arg)
{
	char buf[WP_PREFIX_STRLEN];

	printf("{\"phase\": \"redist\", \"table\": %" PRIu32 ", "
	       "\"routes\": %zu, \"prefixes\": [", opt.table, n_redist);
	for (size_t i = 0; i < n_redist; i++)
		printf("%s{\"prefix\": \"%s\", \"table\": %" PRIu32 "}",
		       i ? ", " : "", wp_prefix_fmt(&redist_seen[i], buf,
						    sizeof(buf)),
		       redist_tables[i]);
	printf("]}\n");
	fflush(stdout);
	phase = PH_DONE;
	wp_loop_break(loop);
}

static void
poll_cb(struct wp_timer *t)
{
	advance();
}

static void
deadline_cb(struct wp_timer *t)
{
	struct wp_ribclient_stats s;

	wp_ribclient_get_stats(rc, &s);
	fprintf(stderr, "ribinject: timeout after %.0f s: connected %d, %zu "
		"unsent, %zu awaiting a result, %zu installed\n", opt.timeout,
		s.connected, s.unsent, s.awaiting, s.installed);
	exit_code = 3;
	wp_loop_break(loop);
}

static int
parse_nexthops(const char *arg)
{
	char buf[1024], *save = NULL, *tok;
	char err[WP_PREFIX_ERRLEN];

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (opt.n_nh == MAX_NH) {
			fprintf(stderr, "ribinject: at most %d nexthops\n",
				MAX_NH);
			return -1;
		}
		if (wp_addr_parse(tok, &opt.nh[opt.n_nh], err,
				  sizeof(err)) < 0) {
			fprintf(stderr, "ribinject: --nexthop %s: %s\n", tok,
				err);
			return -1;
		}
		opt.n_nh++;
	}
	return 0;
}

static int
parse_uint(const char *name, const char *arg, unsigned long max,
	   unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (errno || *end || end == arg || *out > max) {
		fprintf(stderr, "ribinject: %s: invalid value \"%s\" "
			"(0-%lu)\n", name, arg, max);
		return -1;
	}
	return 0;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "pathspace", required_argument, NULL, 'N' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'c' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "plen", required_argument, NULL, 'L' },
		{ "nexthop", required_argument, NULL, 'n' },
		{ "ecmp", required_argument, NULL, 'e' },
		{ "source", required_argument, NULL, 's' },
		{ "instance", required_argument, NULL, 'i' },
		{ "distance", required_argument, NULL, 'd' },
		{ "metric", required_argument, NULL, 'm' },
		{ "grace", required_argument, NULL, 'g' },
		{ "batch", required_argument, NULL, 'b' },
		{ "hold", no_argument, NULL, 'H' },
		{ "withdraw", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "table", required_argument, NULL, 'T' },
		{ "redist", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char err[WP_PREFIX_ERRLEN];
	bool have_prefix = false;
	unsigned long v;
	int c;

	while ((c = getopt_long(argc, argv, "N:c:p:n:s:d:hq", lo,
				NULL)) != -1) {
		switch (c) {
		case 'N':
			snprintf(opt.rundir_buf, sizeof(opt.rundir_buf),
				 "%s/%s", WP_RUNDIR_BASE, optarg);
			opt.rundir = opt.rundir_buf;
			break;
		case 'r':
			opt.rundir = optarg;
			break;
		case 'c':
			if (parse_uint("--count", optarg, 1ul << 31, &v) < 0)
				return -1;
			opt.count = v;
			break;
		case 'p':
			if (wp_prefix_parse(optarg, &opt.base, err,
					    sizeof(err)) < 0) {
				fprintf(stderr, "ribinject: --prefix %s: %s\n",
					optarg, err);
				return -1;
			}
			have_prefix = true;
			break;
		case 'L':
			if (parse_uint("--plen", optarg, 128, &v) < 0)
				return -1;
			opt.plen = (int)v;
			break;
		case 'n':
			if (parse_nexthops(optarg) < 0)
				return -1;
			break;
		case 'e':
			if (parse_uint("--ecmp", optarg, MAX_NH, &v) < 0)
				return -1;
			opt.ecmp = (unsigned int)v;
			break;
		case 's':
			opt.source = optarg;
			break;
		case 'i':
			if (parse_uint("--instance", optarg, UINT32_MAX,
				       &v) < 0)
				return -1;
			opt.instance = (uint32_t)v;
			break;
		case 'd':
			if (parse_uint("--distance", optarg, 255, &v) < 0)
				return -1;
			opt.distance = (unsigned int)v;
			break;
		case 'm':
			if (parse_uint("--metric", optarg, UINT32_MAX, &v) < 0)
				return -1;
			opt.metric = (uint32_t)v;
			break;
		case 'g':
			if (parse_uint("--grace", optarg, WP_RIB_GRACE_MAX,
				       &v) < 0)
				return -1;
			opt.grace = (unsigned int)v;
			break;
		case 'b':
			if (parse_uint("--batch", optarg, 65536, &v) < 0)
				return -1;
			opt.batch = (unsigned int)v;
			break;
		case 'H':
			opt.hold = true;
			break;
		case 'w':
			opt.withdraw = true;
			break;
		case 't':
			if (parse_uint("--timeout", optarg, 86400, &v) < 0)
				return -1;
			opt.timeout = (double)v;
			break;
		case 'j':
			opt.json = true;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'T':
			if (parse_uint("--table", optarg, UINT32_MAX, &v) < 0)
				return -1;
			opt.table = (uint32_t)v;
			break;
		case 'R':
			opt.redist = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc || !have_prefix ||
	    (opt.n_nh == 0 && opt.redist == NULL)) {
		usage(stderr);
		return -1;
	}
	if (opt.redist)
		return 0;
	for (unsigned int i = 0; i < opt.n_nh; i++)
		if (opt.nh[i].family != opt.base.family) {
			fprintf(stderr, "ribinject: nexthop and prefix "
				"families differ\n");
			return -1;
		}
	if (opt.ecmp == 0)
		opt.ecmp = 1;
	if (opt.ecmp > opt.n_nh) {
		fprintf(stderr, "ribinject: --ecmp %u needs as many "
			"--nexthop addresses (%u given)\n", opt.ecmp, opt.n_nh);
		return -1;
	}
	if (opt.plen == 0) {
		/* /24 (IPv4) or /64 (IPv6) if they fit, else host routes. */
		int want = opt.base.family == AF_INET ? 24 : 64;

		opt.plen = (int)wp_family_bits(opt.base.family);
		if (want >= opt.base.len && want - opt.base.len < 63 &&
		    (1ul << (want - opt.base.len)) >= opt.count)
			opt.plen = want;
	}
	if (opt.plen < opt.base.len ||
	    opt.plen > (int)wp_family_bits(opt.base.family) ||
	    (opt.plen - opt.base.len < 63 &&
	     (1ul << (opt.plen - opt.base.len)) < opt.count)) {
		fprintf(stderr, "ribinject: %lu /%d prefixes do not fit in "
			"--prefix\n", opt.count, opt.plen);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct wp_ribclient_cbs cbs = {
		.connected = on_connected,
		.result = on_result,
		.redist_add = on_redist_add,
		.redist_done = on_redist_done,
	};

	wp_log_init("ribinject");
	wp_log_set_level(WP_LOG_WARNING);
	if (parse_args(argc, argv) < 0)
		return 2;
	loop = wp_loop_new();
	rc = wp_ribclient_new(loop, opt.rundir, opt.source, opt.instance, &cbs);
	if (rc == NULL) {
		fprintf(stderr, "ribinject: source %s: %s\n", opt.source,
			strerror(errno));
		return 2;
	}
	wp_ribclient_set_name(rc, "ribinject");
	if (opt.grace)
		wp_ribclient_set_graceful_restart(rc, true, opt.grace);
	if (opt.batch)
		wp_ribclient_set_batch(rc, opt.batch);
	wp_timer_init(loop, &poll_timer, "ribinject poll", poll_cb);
	if (opt.redist) {
		if (wp_ribclient_redist_subscribe_table(rc, opt.redist,
				opt.base.family, opt.table) < 0) {
			fprintf(stderr, "ribinject: --redist %s: %s\n",
				opt.redist, strerror(errno));
			return 2;
		}
		wp_ribclient_sync_done(rc);
	} else {
		add_all();
		/* Progress is checked every millisecond: idle is cheap. */
		wp_timer_start_periodic(&poll_timer, 0.001, 0.0);
	}
	wp_timer_init(loop, &deadline, "ribinject deadline", deadline_cb);
	wp_timer_start(&deadline, opt.timeout, 0.0);
	/* SIGINT and SIGTERM break the loop (wp_loop's default). */
	wp_loop_run(loop);
	wp_timer_stop(&poll_timer);
	wp_timer_stop(&deadline);
	wp_ribclient_free(rc);
	wp_loop_free(loop);
	free(redist_seen);
	free(redist_tables);
	return exit_code;
}
