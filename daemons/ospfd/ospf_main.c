/*
 * ospf_main.c: ospfd start-up.  Order: the process (ospf_vrf.c), then
 * the configuration (from the file given with -f, read again on SIGHUP;
 * without -f, from mgmtd in the pathspace, ospf_mgmt.c), which starts
 * one instance per VRF, each with its route channel to ribd and then its
 * interface watcher, whose first dump brings interfaces up and starts
 * the protocol.  A stop signal may first drain the router (max-metric
 * on-shutdown, ospf_shutdown.c).
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "ospfd.h"
#include "wp_daemon.h"
#include "wp_mgmt_text.h"
#include "wp_vty.h"

static struct ospfd *ospfd_top;
static const char *ospfd_config_file;
static struct wp_mgmt_text *ospfd_mgmt;

/* Raw IP sockets and binding them to a device. */
static const cap_value_t ospfd_caps[] = { CAP_NET_RAW };

static void
ospfd_reload(struct wp_loop *loop, void *arg)
{
	struct ospfd *top = *(struct ospfd **)arg;
	struct ospf_conf *c;
	const char *first;

	if (ospfd_config_file == NULL)
		return;
	c = ospf_conf_load(ospfd_config_file);
	if (c == NULL)
		return;
	wp_log_info("configuration %s reloaded (%u errors, %u ignored)",
		    ospfd_config_file, ospf_conf_errors(c, &first),
		    c->n_ignored);
	ospfd_apply_conf(top, c);
}

/* SIGTERM/SIGINT: max-metric on-shutdown may hold the stop a while. */
static void
ospfd_stop(struct wp_loop *loop, void *arg)
{
	struct ospfd *top = *(struct ospfd **)arg;

	if (top == NULL || !ospfd_stop_begin(top))
		wp_loop_break(loop);
}

static int
ospfd_vty_install(struct wp_vty *vty, void *arg)
{
	return ospf_show_install(vty, arg);
}

static int
ospfd_init(struct wp_loop *loop, const struct wp_daemon_opts *opts,
	   void *arg)
{
	struct ospfd *top = ospfd_new(loop, opts->rundir);
	struct ospf_conf *c = NULL;
	struct ospf *ospf;

	*(struct ospfd **)arg = top;
	wp_loop_on_shutdown(loop, ospfd_stop, arg);
	if (opts->config_file && access(opts->config_file, R_OK) == 0) {
		ospfd_config_file = opts->config_file;
		c = ospf_conf_load(opts->config_file);
	} else if (opts->config_file) {
		wp_log_info("no configuration file %s: starting empty",
			    opts->config_file);
	}
	if (c == NULL)
		c = ospf_conf_parse("", "(empty)");
	/* The default VRF's instance always runs; the others as their
	 * router ospf vrf NAME comes (ospf_vrf.c). */
	if (ospfd_apply_conf(top, c) < 0)
		return -1;
	ospf = ospfd_instance(top, "");
	if (opts->config_file == NULL) {
		if ((ospfd_mgmt = ospf_mgmt_start(top, opts->rundir)) == NULL)
			return -1;
		wp_log_info("ospfd started: configuration from mgmtd");
		return 0;
	}
	wp_loop_on_reload(loop, ospfd_reload, arg);
	wp_log_info("ospfd started: %u networks, %u interfaces configured%s",
		    ospf->conf->n_networks, ospf->conf->n_ifaces,
		    ospf->conf->enabled ? "" : ", no router ospf");
	return 0;
}

static void
ospfd_shutdown(struct wp_loop *loop, void *arg)
{
	wp_mgmt_text_stop(ospfd_mgmt);
	ospfd_mgmt = NULL;
	ospfd_free(*(struct ospfd **)arg);
	*(struct ospfd **)arg = NULL;
}

static const struct wp_daemon_desc ospfd_desc = {
	.name = "ospfd",
	.config_file = NULL,		/* -f only: else mgmtd's */
	.caps = ospfd_caps,
	.ncaps = sizeof(ospfd_caps) / sizeof(ospfd_caps[0]),
	.arg = &ospfd_top,
	.vty_install = ospfd_vty_install,
	.init = ospfd_init,
	.shutdown = ospfd_shutdown,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&ospfd_desc, argc, argv);
}
