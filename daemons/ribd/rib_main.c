/*
 * rib_main.c: ribd start-up.  Order matters: configuration first (so an
 * interface that appears during the dump gets its addresses at once),
 * then the kernel dump (interfaces, addresses, our leftover routes), then
 * the client API (<rundir>/ribd.sock, rib_zapi.c), then the loop.
 * Leftover routes nobody reclaims are swept after the graceful-restart
 * time.
 *
 * Configuration: with -f FILE ribd reads its lines of FILE itself (and
 * again on SIGHUP), for a ribd run without mgmtd; without -f it is a
 * client of mgmtd in its pathspace (rib_mgmt.c), starts empty and takes
 * what mgmtd sends, the sweep waiting for that first configuration.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "rib_conf.h"
#include "ribd.h"
#include "wp_bfd.h"
#include "wp_daemon.h"
#include "wp_log.h"
#include "wp_rib_msg.h"
#include "wp_vty.h"

static struct ribd *ribd_instance;
static const char *ribd_config_file;
static struct rib_mgmt *ribd_mgmt;

static const cap_value_t ribd_caps[] = { CAP_NET_ADMIN };

static void
ribd_reload(struct wp_loop *loop, void *arg)
{
	struct ribd *rib = *(struct ribd **)arg;
	struct rib_conf *c;

	if (ribd_config_file == NULL)
		return;
	c = rib_conf_load(ribd_config_file, rib);
	if (c == NULL)
		return;
	wp_log_info("configuration %s reloaded (%u errors)", ribd_config_file,
		    c->n_errors);
	rib_conf_apply(rib, c);
}

static int
ribd_vty_install(struct wp_vty *vty, void *arg)
{
	if (rib_show_install(vty, arg) < 0 ||
	    rib_bfd_show_install(vty, arg) < 0)
		return -1;
	return rib_zapi_show_install(vty, arg);
}

static int
ribd_init(struct wp_loop *loop, const struct wp_daemon_opts *opts, void *arg)
{
	struct ribd *rib;
	struct rib_conf *c = NULL;
	char path[PATH_MAX];

	rib = rib_new(loop, true);
	if (rib == NULL)
		return -1;
	*(struct ribd **)arg = rib;
	/* Before the configuration, so static routes find their sessions. */
	snprintf(path, sizeof(path), "%s/%s", opts->rundir, WP_BFD_SOCK_NAME);
	if (rib_bfd_start(rib, path) < 0)
		return -1;
	/*
	 * Interfaces, connected routes and a previous instance's routes
	 * first, then the configuration: its statics then resolve on their
	 * first pass through the work queue (queued before the connected
	 * routes they resolve through, they would all be processed twice),
	 * and a leftover they reclaim is known when they are added.  The
	 * file's statics go into the RIB as they are read.
	 */
	if (rib_kernel_dump(rib->kernel) < 0)
		return -1;
	if (opts->config_file && access(opts->config_file, R_OK) == 0) {
		ribd_config_file = opts->config_file;
		c = rib_conf_load(opts->config_file, rib);
		/* Running without the routes asked for is worse than not
		 * starting: the failure is visible at once. */
		if (c == NULL)
			return -1;
	} else if (opts->config_file) {
		wp_log_info("no configuration file %s: starting empty",
			    opts->config_file);
	}
	if (c == NULL)
		c = rib_conf_new();
	rib_conf_apply(rib, c);
	/* The dump probed for nexthop objects; now the config decides. */
	rib_kernel_set_nhobj(rib->kernel, rib->want_nhobj);
	snprintf(path, sizeof(path), "%s/%s", opts->rundir, WP_RIB_SOCKET);
	if (rib_zapi_start(rib, path) < 0)
		return -1;
	if (opts->config_file == NULL &&
	    (ribd_mgmt = rib_mgmt_start(rib, opts->rundir)) == NULL)
		return -1;
	if (ribd_mgmt == NULL)
		rib_sweep_schedule(rib, rib->conf->gr_time);
	wp_loop_on_reload(loop, ribd_reload, arg);
	if (ribd_mgmt)
		wp_log_info("ribd started: configuration from mgmtd");
	else
		wp_log_info("ribd started: %u static routes, %u interfaces "
			    "configured", rib->conf->n_statics +
			    rib->conf->n_streamed,
			    rib->conf->n_ifaces);
	return 0;
}

static void
ribd_shutdown(struct wp_loop *loop, void *arg)
{
	struct ribd *rib = *(struct ribd **)arg;

	rib_mgmt_stop(ribd_mgmt);
	ribd_mgmt = NULL;
	/* Routes stay in the kernel for the next ribd to reclaim. */
	if (rib) {
		rib_zapi_stop(rib);
		rib_bfd_stop(rib);
	}
	if (rib && rib->kernel)
		rib_kernel_flush(rib->kernel);
	rib_conf_free(rib ? rib->conf : NULL);
	if (rib)
		rib->conf = NULL;
	rib_free(rib);
	*(struct ribd **)arg = NULL;
}

static const struct wp_daemon_desc ribd_desc = {
	.name = "ribd",
	.config_file = NULL,		/* -f only: else mgmtd's */
	.caps = ribd_caps,
	.ncaps = sizeof(ribd_caps) / sizeof(ribd_caps[0]),
	.arg = &ribd_instance,
	.vty_install = ribd_vty_install,
	.init = ribd_init,
	.shutdown = ribd_shutdown,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&ribd_desc, argc, argv);
}
