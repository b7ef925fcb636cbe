/*
 * bfd_main.c: bfdd start-up and shutdown; nothing else.
 *
 * Order: options, logging, pid file, vty (wp_daemon_main) -> privilege
 * drop, keeping CAP_NET_RAW for SO_BINDTODEVICE -> bfd_init(): state,
 * configuration, sockets, client API, sessions -> the loop runs ->
 * bfd_shutdown(): sessions deleted (the peers see AdminDown, not a
 * failure), client API and sockets closed, configuration freed.
 *
 * Configuration comes from the file given with -f (its `bfd` stanza;
 * SIGHUP reads it again), for a bfdd run without mgmtd; without -f bfdd
 * is a client of mgmtd in its pathspace (bfd_mgmt.c), starts with no
 * peers and takes what mgmtd sends.
 */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "wp_daemon.h"
#include "wp_mgmt_text.h"

#include "bfdd.h"

struct bfd_global bfd_global;
static struct wp_mgmt_text *bfd_mgmt;
static int bfd_rt_prio;		/* --realtime PRIO; 0: the normal scheduler */
static struct wp_daemon_desc bfd_desc;

/*
 * --realtime: SCHED_RR at PRIO.  A detection time of a few times 10-50 ms
 * is shorter than what a busy machine's normal scheduler may keep a
 * process waiting: measured with 1,000 sessions at 50 ms x 3 while other
 * work loaded both cores, hundreds of sessions flapped under the normal
 * scheduler and a handful with --realtime (doc/performance.md).  Off by
 * default: a process that may starve others is the operator's choice.
 * The kernel's real-time throttling (sched_rt_runtime_us) still leaves
 * the others 5% should bfdd ever spin.
 */
static const struct wp_daemon_option bfd_options[] = {
	{ "realtime", "PRIO",
	  "run under SCHED_RR at PRIO (1-99): BFD packets in time on a busy "
	  "machine" },
	{ NULL, NULL, NULL },
};

static int
bfd_option(int idx, const char *val, void *arg)
{
	char *end;
	long v = strtol(val, &end, 10);

	if (*end != '\0' || v < 1 || v > 99) {
		fprintf(stderr, "bfdd: bad --realtime \"%s\": a priority "
			"from 1 to 99\n", val);
		return -1;
	}
	bfd_rt_prio = (int)v;
	bfd_desc.ncaps = 2;		/* keep CAP_SYS_NICE */
	return 0;
}

static void
realtime_set(void)
{
	struct sched_param sp = { .sched_priority = bfd_rt_prio };

	if (bfd_rt_prio == 0)
		return;
	if (sched_setscheduler(0, SCHED_RR, &sp) == -1)
		wp_log_warn("--realtime %d: cannot run under SCHED_RR; "
			    "the normal scheduler it is", bfd_rt_prio);
	else
		wp_log_info("scheduling: SCHED_RR, priority %d", bfd_rt_prio);
}

static void
bfd_reload(struct wp_loop *loop, void *arg)
{
	bfd_conf_reload(arg);
}

/* A socket per session: make room for thousands of them. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int
bfd_init(struct wp_loop *loop, const struct wp_daemon_opts *opts, void *arg)
{
	struct bfd_global *bg = arg;
	struct bfd_conf *conf;
	char err[512];

	bfd_global_init(bg, loop);
	bg->rundir = wp_strdup(MT_BFD_CONF, opts->rundir);
	if (opts->config_file)
		bg->config_file = wp_strdup(MT_BFD_CONF, opts->config_file);
	if (bg->config_file == NULL) {
		conf = bfd_conf_new();		/* mgmtd's, once it comes */
	} else if (access(bg->config_file, F_OK) == -1) {
		wp_log_info("no configuration file %s: no configured peers",
			    bg->config_file);
		conf = bfd_conf_new();
	} else if ((conf = bfd_conf_parse_file(bg->config_file, err,
					       sizeof(err))) == NULL) {
		wp_log_errx("%s", err);
		goto out_free;
	}
	raise_nofile();
	realtime_set();
	if (bfd_sockets_open(bg) == -1) {
		wp_log_errx("no BFD socket could be opened");
		goto out_conf;
	}
	if (bfd_echo_open(bg) == -1)
		wp_log_warnx("echo function unavailable");
	if (bfd_client_init(bg) == -1)
		goto out_sockets;
	bfd_conf_apply(bg, NULL, conf);
	if (bg->config_file == NULL) {
		if ((bfd_mgmt = bfd_mgmt_start(bg, opts->rundir)) == NULL)
			goto out_client;
		wp_log_info("configuration from mgmtd");
	} else {
		wp_loop_on_reload(loop, bfd_reload, bg);
		wp_log_info("%zu sessions configured", bg->nsessions);
	}
	return 0;

out_client:
	bfd_client_fini(bg);
	bfd_conf_free(bg->conf);
	bg->conf = NULL;
	conf = NULL;

out_sockets:
	bfd_echo_close(bg);
	bfd_sockets_close(bg);
out_conf:
	bfd_conf_free(conf);
out_free:
	wp_free(MT_BFD_CONF, bg->config_file);
	wp_free(MT_BFD_CONF, bg->rundir);
	return -1;
}

static void
bfd_shutdown(struct wp_loop *loop, void *arg)
{
	struct bfd_global *bg = arg;
	struct bfd_session *s;

	wp_mgmt_text_stop(bfd_mgmt);
	bfd_mgmt = NULL;
	bfd_client_fini(bg);
	while ((s = TAILQ_FIRST(&bg->sessions)) != NULL) {
		s->nclients = 0;
		bfd_session_delete(s);
	}
	bfd_echo_close(bg);
	bfd_sockets_close(bg);
	bfd_global_fini(bg);
	wp_free(MT_BFD_CONF, bg->config_file);
	wp_free(MT_BFD_CONF, bg->rundir);
}

/* CAP_SYS_NICE only with --realtime (set once the privileges are
 * dropped): a container without it must still run bfdd. */
static const cap_value_t bfd_caps[] = { CAP_NET_RAW, CAP_SYS_NICE };

static struct wp_daemon_desc bfd_desc = {
	.name = "bfdd",
	.config_file = NULL,		/* -f only: else mgmtd's */
	.caps = bfd_caps,
	.ncaps = 1,			/* 2 with --realtime */
	.arg = &bfd_global,
	.vty_install = bfd_vty_install,
	.init = bfd_init,
	.shutdown = bfd_shutdown,
	.options = bfd_options,
	.option = bfd_option,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&bfd_desc, argc, argv);
}
