/*
 * mgmt_main.c: mgmtd as a daemon: options, start, stop.  Everything else
 * is in mgmt.c and the files it names.
 *
 *	mgmtd [common options] [--yang-path DIRS] [--state-dir DIR]
 *	      [--commit-timeout SECONDS]
 *
 * -f names the startup configuration (default
 * SYSCONFDIR/waypoint[/PATHSPACE]/waypoint.conf; .json and .xml next to
 * it are used while CLI text cannot be read); the state directory
 * (default LOCALSTATEDIR/lib/waypoint[/PATHSPACE]) keeps the commit
 * history.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmtd.h"
#include "wp_daemon.h"
#include "wp_vty.h"

struct mgmtd_main {
	struct mgmt *m;
	const char *yang_path;
	const char *state_dir;
	double commit_timeout;
};

static struct mgmtd_main mgmtd;

enum {
	OPT_YANG_PATH,
	OPT_STATE_DIR,
	OPT_COMMIT_TIMEOUT,
};

static const struct wp_daemon_option mgmtd_options[] = {
	[OPT_YANG_PATH] = { "yang-path", "DIRS",
			    "YANG module directories, ':'-separated, before "
			    "$WP_YANG_PATH and " YANGDIR },
	[OPT_STATE_DIR] = { "state-dir", "DIR",
			    "commit history (default " MGMT_DEFAULT_STATEDIR
			    "[/PATHSPACE])" },
	[OPT_COMMIT_TIMEOUT] = { "commit-timeout", "SECONDS",
				 "how long daemons may take per commit "
				 "phase (default 10)" },
	{ NULL, NULL, NULL },
};

static int
mgmtd_option(int idx, const char *val, void *arg)
{
	struct mgmtd_main *mm = arg;
	char *end;

	switch (idx) {
	case OPT_YANG_PATH:
		mm->yang_path = val;
		return 0;
	case OPT_STATE_DIR:
		mm->state_dir = val;
		return 0;
	case OPT_COMMIT_TIMEOUT:
		mm->commit_timeout = strtod(val, &end);
		if (*end != '\0' || mm->commit_timeout <= 0 ||
		    mm->commit_timeout > 3600) {
			fprintf(stderr, "mgmtd: bad --commit-timeout \"%s\": "
				"seconds, up to 3600\n", val);
			return -1;
		}
		return 0;
	default:
		return -1;
	}
}

static int
mgmtd_vty_install(struct wp_vty *vty, void *arg)
{
	struct mgmtd_main *mm = arg;

	return mgmt_vty_install(vty, &mm->m);
}

static int
mgmtd_init(struct wp_loop *loop, const struct wp_daemon_opts *opts,
	   void *arg)
{
	struct mgmtd_main *mm = arg;
	struct mgmt_config cfg = {
		.rundir = opts->rundir,
		.yang_path = mm->yang_path,
		.startup_file = opts->config_file,
		.commit_timeout = mm->commit_timeout,
	};
	char state[4096], err[1024];

	if (mm->state_dir)
		snprintf(state, sizeof(state), "%s", mm->state_dir);
	else if (opts->pathspace)
		snprintf(state, sizeof(state), "%s/%s", MGMT_DEFAULT_STATEDIR,
			 opts->pathspace);
	else
		snprintf(state, sizeof(state), "%s", MGMT_DEFAULT_STATEDIR);
	cfg.state_dir = state;
	mm->m = mgmt_new(loop, &cfg, err, sizeof(err));
	if (mm->m == NULL) {
		wp_log_errx("mgmtd: %s", err);
		return -1;
	}
	return 0;
}

static void
mgmtd_shutdown(struct wp_loop *loop, void *arg)
{
	struct mgmtd_main *mm = arg;

	mgmt_free(mm->m);
	mm->m = NULL;
}

static const struct wp_daemon_desc mgmtd_desc = {
	.name = "mgmtd",
	.config_file = MGMT_DEFAULT_STARTUP,
	.arg = &mgmtd,
	.vty_install = mgmtd_vty_install,
	.init = mgmtd_init,
	.shutdown = mgmtd_shutdown,
	.options = mgmtd_options,
	.option = mgmtd_option,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&mgmtd_desc, argc, argv);
}
