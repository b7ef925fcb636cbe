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

#include <sys/resource.h>
#include <unistd.h>

#include "wp_daemon.h"
#include "wp_mgmt_text.h"

#include "bfdd.h"

struct bfd_global bfd_global;
static struct wp_mgmt_text *bfd_mgmt;

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

static const cap_value_t bfd_caps[] = { CAP_NET_RAW };

static const struct wp_daemon_desc bfd_desc = {
	.name = "bfdd",
	.config_file = NULL,		/* -f only: else mgmtd's */
	.caps = bfd_caps,
	.ncaps = sizeof(bfd_caps) / sizeof(bfd_caps[0]),
	.arg = &bfd_global,
	.vty_install = bfd_vty_install,
	.init = bfd_init,
	.shutdown = bfd_shutdown,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&bfd_desc, argc, argv);
}
