/*
 * wp_daemon.c: command line, daemonizing, run directory, pid-file lock,
 * privilege drop and the start/stop order of every daemon.
 *
 * Start-up (wp_daemon_main):
 *	parse options -> logging -> [fork: parent waits on a pipe]
 *	-> run directory -> pid-file lock -> loop -> vty commands
 *	-> vty socket -> chown + privilege drop -> init -> "ready" to the
 *	parent -> loop runs
 * Stop (SIGTERM/SIGINT break the loop):
 *	shutdown callback -> vty (socket unlinked) -> loop -> pid file
 *	-> options -> leak report
 * Any start-up failure unwinds what was done so far and returns
 * WP_EXIT_FAIL; a daemonized parent returns the child's exit code.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wp_daemon.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_privs.h"
#include "wp_vty.h"

WP_MEMTYPE_DEFINE(MT_DAEMON, "daemon options");

#define PATHSPACE_MAX	64

enum {
	OPT_RUNDIR = 256,
	OPT_LOG_LEVEL,
	OPT_SYSLOG,
	OPT_DAEMON_BASE = 512,	/* + index in desc->options */
};

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'f' },
	{ "daemon", no_argument, NULL, 'd' },
	{ "pathspace", required_argument, NULL, 'N' },
	{ "rundir", required_argument, NULL, OPT_RUNDIR },
	{ "user", required_argument, NULL, 'u' },
	{ "group", required_argument, NULL, 'g' },
	{ "pid-file", required_argument, NULL, 'i' },
	{ "log-file", required_argument, NULL, 'l' },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "syslog", no_argument, NULL, OPT_SYSLOG },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct wp_daemon {
	const struct wp_daemon_desc *desc;
	struct wp_daemon_opts *opts;
	struct wp_loop *loop;
	struct wp_vty *vty;
	int pid_fd;
	int ready_fd;		/* write end of the pipe to the parent, or -1 */
	bool rundir_made;	/* we created the run directory */
};

/* --- options ------------------------------------------------------------ */

static void
usage(const struct wp_daemon_desc *d, FILE *out)
{
	fprintf(out,
		"usage: %s [options]\n"
		"  -f, --config FILE      configuration file (default %s)\n"
		"  -d, --daemon           run in the background\n"
		"  -N, --pathspace NAME   sockets and pid file under "
		WP_RUNDIR_BASE "/NAME\n"
		"      --rundir DIR       use DIR instead of " WP_RUNDIR_BASE
		"\n"
		"  -u, --user USER        drop to USER after start-up\n"
		"  -g, --group GROUP      and to GROUP (default: USER's "
		"group)\n"
		"  -i, --pid-file FILE    pid file (default <rundir>/%s.pid)\n"
		"  -l, --log-file FILE    log to FILE\n"
		"      --log-level LEVEL  errors, warnings, notifications, "
		"informational, debugging\n"
		"      --syslog           log to syslog\n"
		"  -v, --version          print the version and exit\n"
		"  -h, --help             print this help and exit\n",
		d->name, d->config_file ? d->config_file : "none", d->name);
	for (const struct wp_daemon_option *o = d->options; o && o->name;
	     o++) {
		char lhs[64];

		snprintf(lhs, sizeof(lhs), "--%s%s%s", o->name,
			 o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
		if (strlen(lhs) > 18)
			fprintf(out, "      %s\n%25s%s\n", lhs, "", o->help);
		else
			fprintf(out, "      %-18s %s\n", lhs, o->help);
	}
}

/* The common options plus the daemon's own, in MT_DAEMON. */
static struct option *
long_opts_build(const struct wp_daemon_desc *d)
{
	size_t ncommon = sizeof(long_opts) / sizeof(long_opts[0]) - 1;
	size_t nextra = 0;
	struct option *all;

	while (d->options && d->options[nextra].name)
		nextra++;
	all = wp_calloc(MT_DAEMON, (ncommon + nextra + 1) * sizeof(*all));
	memcpy(all, long_opts, ncommon * sizeof(*all));
	for (size_t i = 0; i < nextra; i++) {
		all[ncommon + i].name = d->options[i].name;
		all[ncommon + i].has_arg = d->options[i].arg_name ?
		    required_argument : no_argument;
		all[ncommon + i].val = OPT_DAEMON_BASE + (int)i;
	}
	return all;
}

static char *
str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
str_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = wp_malloc(MT_DAEMON, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* An absolute copy of `path`: -d changes directory to "/". */
static char *
abs_path(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return wp_strdup(MT_DAEMON, path);
	return str_printf("%s/%s", cwd, path);
}

static void
opt_set(char **slot, const char *val)
{
	wp_free(MT_DAEMON, *slot);
	*slot = abs_path(val);
}

static bool
pathspace_valid(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > PATHSPACE_MAX || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._-") == len;
}

/* Default config with a pathspace: DIR/NAME/FILE for DIR/FILE. */
static char *
config_default(const struct wp_daemon_desc *d, const char *pathspace)
{
	const char *slash;

	if (d->config_file == NULL)
		return NULL;
	slash = strrchr(d->config_file, '/');
	if (pathspace == NULL || slash == NULL)
		return wp_strdup(MT_DAEMON, d->config_file);
	return str_printf("%.*s/%s%s", (int)(slash - d->config_file),
			  d->config_file, pathspace, slash);
}

/* Everything derived once all options are known. */
static void
opts_resolve(const struct wp_daemon_desc *d, struct wp_daemon_opts *o)
{
	char *base = o->rundir ? o->rundir : wp_strdup(MT_DAEMON,
						       WP_RUNDIR_BASE);

	o->rundir = o->pathspace ? str_printf("%s/%s", base, o->pathspace) :
				   wp_strdup(MT_DAEMON, base);
	wp_free(MT_DAEMON, base);
	if (o->pid_file == NULL)
		o->pid_file = str_printf("%s/%s.pid", o->rundir, d->name);
	o->vty_path = str_printf("%s/%s.vty", o->rundir, d->name);
	if (o->config_file == NULL)
		o->config_file = config_default(d, o->pathspace);
}

int
wp_daemon_parse_args(const struct wp_daemon_desc *d, int argc, char **argv,
		     struct wp_daemon_opts *o)
{
	struct option *lopts = long_opts_build(d);
	int ch, rc = 0;

	memset(o, 0, sizeof(*o));
	o->log_level = WP_LOG_INFO;
	optind = 0;			/* GNU: start over, tests parse again */
	while (rc == 0 && (ch = getopt_long(argc, argv, "f:dN:u:g:i:l:vh",
					    lopts, NULL)) != -1) {
		if (ch >= OPT_DAEMON_BASE) {
			if (d->option == NULL ||
			    d->option(ch - OPT_DAEMON_BASE, optarg,
				      d->arg) == -1)
				rc = -1;
			continue;
		}
		switch (ch) {
		case 'f':
			opt_set(&o->config_file, optarg);
			break;
		case 'd':
			o->daemonize = true;
			break;
		case 'N':
			if (!pathspace_valid(optarg)) {
				fprintf(stderr, "%s: bad pathspace \"%s\": use "
					"letters, digits, '.', '_', '-'\n",
					d->name, optarg);
				rc = -1;
				break;
			}
			wp_free(MT_DAEMON, o->pathspace);
			o->pathspace = wp_strdup(MT_DAEMON, optarg);
			break;
		case OPT_RUNDIR:
			opt_set(&o->rundir, optarg);
			break;
		case 'u':
			wp_free(MT_DAEMON, o->user);
			o->user = wp_strdup(MT_DAEMON, optarg);
			break;
		case 'g':
			wp_free(MT_DAEMON, o->group);
			o->group = wp_strdup(MT_DAEMON, optarg);
			break;
		case 'i':
			opt_set(&o->pid_file, optarg);
			break;
		case 'l':
			opt_set(&o->log_file, optarg);
			break;
		case OPT_LOG_LEVEL:
			if (wp_log_level_parse(optarg, &o->log_level) == -1) {
				fprintf(stderr, "%s: unknown log level "
					"\"%s\"\n", d->name, optarg);
				rc = -1;
			}
			break;
		case OPT_SYSLOG:
			o->syslog = true;
			break;
		case 'v':
			printf("%s (%s) %s\n", d->name, PACKAGE_NAME,
			       PACKAGE_VERSION);
			rc = 1;
			break;
		case 'h':
			usage(d, stdout);
			rc = 1;
			break;
		default:
			usage(d, stderr);
			rc = -1;
			break;
		}
	}
	wp_free(MT_DAEMON, lopts);
	if (rc != 0)
		return rc;
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", d->name,
			argv[optind]);
		return -1;
	}
	if (o->group && !o->user) {
		fprintf(stderr, "%s: --group needs --user\n", d->name);
		return -1;
	}
	opts_resolve(d, o);
	return 0;
}

void
wp_daemon_opts_free(struct wp_daemon_opts *o)
{
	wp_free(MT_DAEMON, o->config_file);
	wp_free(MT_DAEMON, o->pathspace);
	wp_free(MT_DAEMON, o->rundir);
	wp_free(MT_DAEMON, o->user);
	wp_free(MT_DAEMON, o->group);
	wp_free(MT_DAEMON, o->pid_file);
	wp_free(MT_DAEMON, o->vty_path);
	wp_free(MT_DAEMON, o->log_file);
	memset(o, 0, sizeof(*o));
}

/* --- pid file ----------------------------------------------------------- */

int
wp_pidfile_acquire(const char *path, pid_t *holder)
{
	char buf[32];
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		saved = errno;
		n = read(fd, buf, sizeof(buf) - 1);
		if (holder)
			*holder = n > 0 ? (buf[n] = '\0', atoi(buf)) : 0;
		close(fd);
		errno = saved;
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) == -1 || write(fd, buf, (size_t)n) != n) {
		saved = errno;
		unlink(path);
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

void
wp_pidfile_release(int fd, const char *path)
{
	if (fd < 0)
		return;
	if (unlink(path) == -1)
		wp_log_warn("unlink %s", path);
	close(fd);
}

/* --- start-up steps ----------------------------------------------------- */

static int
log_setup(const struct wp_daemon_opts *o)
{
	unsigned int targets = 0;

	if (o->log_file)
		targets |= WP_LOG_TO_FILE;
	if (o->syslog)
		targets |= WP_LOG_TO_SYSLOG;
	/* Daemonized and told nothing: syslog, plus stderr until ready. */
	if (targets == 0)
		targets = WP_LOG_TO_STDERR |
			  (o->daemonize ? WP_LOG_TO_SYSLOG : 0);
	wp_log_set_level(o->log_level);
	return wp_log_set_targets(targets, o->log_file);
}

/*
 * Fork.  The child returns 0 with *ready_fd set; the parent waits for the
 * child's verdict and returns it as *parent_rc (returning 1).
 */
static int
daemonize(int *ready_fd, int *parent_rc)
{
	int pfd[2], wstatus = 0;
	unsigned char verdict;
	ssize_t n;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		if (setsid() == -1 || chdir("/") == -1)
			return -1;
		*ready_fd = pfd[1];
		return 0;
	}
	close(pfd[1]);
	do {
		n = read(pfd[0], &verdict, 1);
	} while (n == -1 && errno == EINTR);
	close(pfd[0]);
	if (n == 1) {
		*parent_rc = verdict;
		return 1;
	}
	/* No verdict: the child failed; its exit code says how. */
	*parent_rc = WP_EXIT_FAIL;
	while (waitpid(pid, &wstatus, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(wstatus))
		*parent_rc = WEXITSTATUS(wstatus);
	return 1;
}

/* Tell the parent we are up and let go of the terminal. */
static void
ready(struct wp_daemon *dm)
{
	unsigned char ok = WP_EXIT_OK;
	int fd;

	if (dm->ready_fd < 0)
		return;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (!dm->opts->log_file && !dm->opts->syslog)
		wp_log_set_targets(WP_LOG_TO_SYSLOG, NULL);
	if (write(dm->ready_fd, &ok, 1) != 1)
		wp_log_warn("cannot tell the parent we are ready");
	close(dm->ready_fd);
	dm->ready_fd = -1;
}

/* mkdir -p, 0755; remembers whether the last component was created. */
static int
rundir_make(struct wp_daemon *dm)
{
	char *path = wp_strdup(MT_TMP, dm->opts->rundir);
	int rc = 0;

	for (char *p = path + 1; rc == 0; p++) {
		bool last = (*p == '\0');

		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(path, 0755) == 0)
			dm->rundir_made = last;
		else if (errno != EEXIST)
			rc = -1;
		if (last)
			break;
		*p = '/';
	}
	if (rc == -1)
		wp_log_err("mkdir %s", path);
	wp_free(MT_TMP, path);
	return rc;
}

/* Give the run-time files to the user we drop to, then drop. */
static int
privs_drop(struct wp_daemon *dm)
{
	const struct wp_daemon_opts *o = dm->opts;
	uid_t uid;
	gid_t gid;

	if (o->user == NULL || geteuid() != 0)
		return wp_privs_drop(o->user, o->group, dm->desc->caps,
				     dm->desc->ncaps);
	if (wp_privs_resolve(o->user, o->group, &uid, &gid) == -1)
		return -1;
	if (chown(o->vty_path, uid, gid) == -1 ||
	    chown(o->pid_file, uid, gid) == -1 ||
	    (dm->rundir_made && chown(o->rundir, uid, gid) == -1)) {
		wp_log_err("chown to %s", o->user);
		return -1;
	}
	return wp_privs_drop(o->user, o->group, dm->desc->caps,
			     dm->desc->ncaps);
}

static int
daemon_run(struct wp_daemon *dm)
{
	const struct wp_daemon_desc *d = dm->desc;
	const struct wp_daemon_opts *o = dm->opts;
	pid_t holder = 0;
	int rc = WP_EXIT_FAIL;

	if (rundir_make(dm) == -1)
		return WP_EXIT_FAIL;
	dm->pid_fd = wp_pidfile_acquire(o->pid_file, &holder);
	if (dm->pid_fd == -1) {
		if (errno == EWOULDBLOCK)
			wp_log_errx("another %s is running (pid %d, pid file "
				    "%s)", d->name, (int)holder, o->pid_file);
		else
			wp_log_err("pid file %s", o->pid_file);
		return WP_EXIT_FAIL;
	}
	dm->loop = wp_loop_new();
	dm->vty = wp_vty_new(dm->loop, d->name);
	if (wp_vty_install_lib_cmds(dm->vty, dm->loop) == -1 ||
	    (d->vty_install && d->vty_install(dm->vty, d->arg) == -1)) {
		wp_log_errx("cannot install the vty commands");
		goto out_free_loop;
	}
	if (wp_vty_listen(dm->vty, o->vty_path) == -1) {
		wp_log_err("vty socket %s", o->vty_path);
		goto out_free_loop;
	}
	if (privs_drop(dm) == -1)
		goto out_free_loop;
	if (d->init && d->init(dm->loop, o, d->arg) == -1) {
		wp_log_errx("%s: initialization failed", d->name);
		goto out_free_loop;
	}
	ready(dm);
	wp_log_notice("%s %s started (pid %d, vty %s)", d->name,
		      PACKAGE_VERSION, (int)getpid(), o->vty_path);
	wp_loop_run(dm->loop);
	wp_log_notice("%s stopping", d->name);
	if (d->shutdown)
		d->shutdown(dm->loop, d->arg);
	rc = WP_EXIT_OK;

out_free_loop:
	wp_vty_free(dm->vty);
	wp_loop_free(dm->loop);
	wp_pidfile_release(dm->pid_fd, o->pid_file);
	return rc;
}

static void
leak_log(const struct wp_memtype *mt, void *arg)
{
	if (mt->live == 0)
		return;
	wp_log_warnx("memory leak: %s: %zu allocations, %zu bytes", mt->name,
		     mt->live, mt->bytes);
	(*(size_t *)arg)++;
}

int
wp_daemon_main(const struct wp_daemon_desc *d, int argc, char **argv)
{
	struct wp_daemon_opts opts;
	struct wp_daemon dm = {
		.desc = d, .opts = &opts, .pid_fd = -1, .ready_fd = -1,
	};
	const char *check;
	size_t leaks = 0;
	int rc;

	rc = wp_daemon_parse_args(d, argc, argv, &opts);
	if (rc != 0) {
		wp_daemon_opts_free(&opts);
		return rc == 1 ? WP_EXIT_OK : WP_EXIT_USAGE;
	}
	wp_log_init(d->name);
	if (log_setup(&opts) == -1) {
		fprintf(stderr, "%s: log file %s: %s\n", d->name,
			opts.log_file, strerror(errno));
		wp_daemon_opts_free(&opts);
		return WP_EXIT_USAGE;
	}
	if (opts.daemonize) {
		int parent_rc;

		rc = daemonize(&dm.ready_fd, &parent_rc);
		if (rc != 0) {
			if (rc == -1)
				wp_log_err("daemonize");
			wp_daemon_opts_free(&opts);
			return rc == 1 ? parent_rc : WP_EXIT_FAIL;
		}
	}
	rc = daemon_run(&dm);
	if (dm.ready_fd >= 0)
		close(dm.ready_fd);	/* failed: the parent reads EOF */
	wp_daemon_opts_free(&opts);
	wp_memtype_foreach(leak_log, &leaks);
	check = getenv("WP_LEAK_CHECK");
	if (rc == WP_EXIT_OK && leaks > 0 && check && strcmp(check, "1") == 0)
		rc = WP_EXIT_LEAKS;
	wp_log_close();
	return rc;
}
