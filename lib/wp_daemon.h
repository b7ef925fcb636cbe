/*
 * wp_daemon: the start-up and shutdown every Waypoint daemon shares.
 *
 * A daemon's main() is one descriptor and one call:
 *
 *	static const cap_value_t caps[] = { CAP_NET_RAW };
 *	static const struct wp_daemon_desc desc = {
 *		.name = "ospfd",
 *		.config_file = SYSCONFDIR "/waypoint/ospfd.conf",
 *		.caps = caps, .ncaps = 1,
 *		.arg = &ospf_global,
 *		.vty_install = ospf_vty_install,
 *		.init = ospf_init,
 *		.shutdown = ospf_shutdown,
 *	};
 *	int main(int argc, char **argv)
 *	{
 *		return wp_daemon_main(&desc, argc, argv);
 *	}
 *
 * wp_daemon_main() parses the options, sets up logging, daemonizes (-d),
 * creates the run directory, takes the pid-file lock, creates the loop,
 * installs the lib and daemon commands, opens <rundir>/<name>.vty, drops
 * privileges (-u/-g), calls init, tells the parent it is ready and runs
 * the loop.  SIGTERM/SIGINT stop the loop; then shutdown, the vty, the
 * loop and the pid file go, in that order, and memory still allocated is
 * reported as leaks to the log.  doc/developer/daemon.md has the details.
 */
#ifndef WP_DAEMON_H
#define WP_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/capability.h>
#include <sys/types.h>

#include "wp_log.h"

struct wp_loop;
struct wp_vty;

/* Exit codes of wp_daemon_main(). */
#define WP_EXIT_OK	0
#define WP_EXIT_FAIL	1	/* start-up failed */
#define WP_EXIT_USAGE	2	/* bad command line */
#define WP_EXIT_LEAKS	3	/* clean exit, leaks, WP_LEAK_CHECK=1 */

#define WP_RUNDIR_BASE	RUNSTATEDIR "/waypoint"

struct wp_daemon_opts {
	char *config_file;
	bool daemonize;
	char *pathspace;	/* -N NAME, or NULL */
	char *rundir;		/* resolved: BASE[/NAME], BASE = --rundir */
	char *user;
	char *group;
	char *pid_file;		/* resolved: -i, or <rundir>/<name>.pid */
	char *vty_path;		/* <rundir>/<name>.vty */
	char *log_file;
	enum wp_log_level log_level;
	bool syslog;
};

/*
 * A daemon's own long option (`--yang-path DIR`), added to the common
 * ones; the descriptor holds an array of them ended by { NULL }.
 */
struct wp_daemon_option {
	const char *name;		/* without the leading "--" */
	const char *arg_name;		/* "DIR" in --help; NULL: no argument */
	const char *help;		/* one line for --help */
};

struct wp_daemon_desc {
	const char *name;
	const char *config_file;	/* default for -f */
	const cap_value_t *caps;	/* kept after the privilege drop */
	size_t ncaps;
	void *arg;			/* passed to every callback */
	/* Add the daemon's commands; -1 stops the start-up. */
	int (*vty_install)(struct wp_vty *vty, void *arg);
	/* After the privilege drop, before the loop runs; -1 stops. */
	int (*init)(struct wp_loop *loop, const struct wp_daemon_opts *opts,
		    void *arg);
	/* After the loop stopped; release everything init made. */
	void (*shutdown)(struct wp_loop *loop, void *arg);
	/* The daemon's own options, and their parser: `idx` indexes
	 * options[], `val` is the argument (NULL without one).  -1 is a
	 * usage error (print why to stderr). */
	const struct wp_daemon_option *options;
	int (*option)(int idx, const char *val, void *arg);
};

int wp_daemon_main(const struct wp_daemon_desc *d, int argc, char **argv);

/*
 * Parse the command line into `opts` (release with wp_daemon_opts_free).
 * Returns 0 to run, 1 when --help or --version was printed (exit 0), -1 on
 * a usage error (printed to stderr).
 */
int wp_daemon_parse_args(const struct wp_daemon_desc *d, int argc,
			 char **argv, struct wp_daemon_opts *opts);
void wp_daemon_opts_free(struct wp_daemon_opts *opts);

/*
 * Create `path`, lock it (flock, non-blocking) and write our pid in it.
 * Returns the fd, to keep open while running; -1 with errno EWOULDBLOCK
 * and *holder set to the pid written in the file if another process holds
 * the lock.
 */
int wp_pidfile_acquire(const char *path, pid_t *holder);
/* Unlink `path` and close `fd` (the unlink comes first: no window). */
void wp_pidfile_release(int fd, const char *path);

#endif /* WP_DAEMON_H */
