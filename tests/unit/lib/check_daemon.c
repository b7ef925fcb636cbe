/*
 * Unit tests for lib/wp_daemon and lib/wp_privs: option parsing, the
 * pid-file lock, and tools/wpexampled run for real (foreground, second
 * instance refused, -d, pathspace, -u as root), driven through its vty
 * socket with tools/wpvty and the client library.
 *
 * Waiting is bounded by deadlines: the tests poll the vty socket, waking
 * on the daemon's stderr, until it answers.  Tests needing root skip their
 * root-only part otherwise.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wp_check.h"
#include "wp_daemon.h"
#include "wp_json.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_privs.h"
#include "wp_vty.h"

#define DEADLINE	15.0	/* seconds for a daemon to come up */

static const struct wp_daemon_desc desc = {
	.name = "testd",
	.config_file = "/etc/waypoint/testd.conf",
};

/* --- option parsing ----------------------------------------------------- */

static int
parse(struct wp_daemon_opts *o, const char *first, ...)
{
	char *argv[32] = { (char *)"testd" };
	int argc = 1, rc;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)(uintptr_t)a;
	va_end(ap);
	rc = wp_daemon_parse_args(&desc, argc, argv, o);
	if (rc != 0)
		wp_daemon_opts_free(o);
	return rc;
}

START_TEST(test_opts_defaults)
{
	struct wp_daemon_opts o;

	ck_assert_int_eq(parse(&o, NULL), 0);
	ck_assert_str_eq(o.rundir, RUNSTATEDIR "/waypoint");
	ck_assert_str_eq(o.pid_file, RUNSTATEDIR "/waypoint/testd.pid");
	ck_assert_str_eq(o.vty_path, RUNSTATEDIR "/waypoint/testd.vty");
	ck_assert_str_eq(o.config_file, "/etc/waypoint/testd.conf");
	ck_assert(!o.daemonize && !o.syslog);
	ck_assert_ptr_null(o.user);
	ck_assert_ptr_null(o.pathspace);
	ck_assert_int_eq(o.log_level, WP_LOG_INFO);
	wp_daemon_opts_free(&o);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_opts_all)
{
	struct wp_daemon_opts o;
	char cwd[512], want[600];

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ck_assert_int_eq(parse(&o, "-N", "r1", "-d", "--user", "nobody",
			       "-g", "nogroup", "-f", "/tmp/x.conf",
			       "--log-level", "debug", "--syslog",
			       "-l", "/tmp/x.log", "-i", "rel.pid", NULL), 0);
	ck_assert_str_eq(o.pathspace, "r1");
	ck_assert_str_eq(o.rundir, RUNSTATEDIR "/waypoint/r1");
	ck_assert_str_eq(o.vty_path, RUNSTATEDIR "/waypoint/r1/testd.vty");
	snprintf(want, sizeof(want), "%s/rel.pid", cwd);
	ck_assert_str_eq(o.pid_file, want);
	ck_assert_str_eq(o.config_file, "/tmp/x.conf");
	ck_assert_str_eq(o.log_file, "/tmp/x.log");
	ck_assert_str_eq(o.user, "nobody");
	ck_assert_str_eq(o.group, "nogroup");
	ck_assert(o.daemonize && o.syslog);
	ck_assert_int_eq(o.log_level, WP_LOG_DEBUG);
	wp_daemon_opts_free(&o);

	/* --rundir replaces the base; the pathspace still applies */
	ck_assert_int_eq(parse(&o, "--rundir", "/tmp/wp", "--pathspace", "r2",
			       NULL), 0);
	ck_assert_str_eq(o.rundir, "/tmp/wp/r2");
	ck_assert_str_eq(o.pid_file, "/tmp/wp/r2/testd.pid");
	ck_assert_str_eq(o.vty_path, "/tmp/wp/r2/testd.vty");
	ck_assert_str_eq(o.config_file, "/etc/waypoint/r2/testd.conf");
	wp_daemon_opts_free(&o);
	ck_assert_int_eq(parse(&o, "--rundir", "/tmp/wp", NULL), 0);
	ck_assert_str_eq(o.vty_path, "/tmp/wp/testd.vty");
	wp_daemon_opts_free(&o);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_opts_errors)
{
	struct wp_daemon_opts o;

	ck_assert_int_eq(parse(&o, "-N", "../etc", NULL), -1);
	ck_assert_int_eq(parse(&o, "-N", "a/b", NULL), -1);
	ck_assert_int_eq(parse(&o, "-N", "", NULL), -1);
	ck_assert_int_eq(parse(&o, "-N", "..", NULL), -1);
	ck_assert_int_eq(parse(&o, "-g", "nogroup", NULL), -1);
	ck_assert_int_eq(parse(&o, "--log-level", "loud", NULL), -1);
	ck_assert_int_eq(parse(&o, "--bogus", NULL), -1);
	ck_assert_int_eq(parse(&o, "-f", NULL), -1);
	ck_assert_int_eq(parse(&o, "extra", NULL), -1);
	ck_assert_int_eq(parse(&o, "-h", NULL), 1);
	ck_assert_int_eq(parse(&o, "--version", NULL), 1);
	/* parsing twice in one process starts over */
	ck_assert_int_eq(parse(&o, "-d", NULL), 0);
	ck_assert(o.daemonize);
	wp_daemon_opts_free(&o);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

/* --- pid file ----------------------------------------------------------- */

/* A daemon's own options: --path DIR (with argument) and --fast. */
static const struct wp_daemon_option extra_opts[] = {
	{ "path", "DIR", "where things are" },
	{ "fast", NULL, "go fast" },
	{ NULL, NULL, NULL },
};

struct extra_seen {
	char path[64];
	int fast;
};

static int
extra_option(int idx, const char *val, void *arg)
{
	struct extra_seen *seen = arg;

	if (idx == 0) {
		if (strcmp(val, "bad") == 0)
			return -1;
		snprintf(seen->path, sizeof(seen->path), "%s", val);
	} else {
		ck_assert_ptr_null(val);
		seen->fast++;
	}
	return 0;
}

START_TEST(test_opts_daemon)
{
	struct extra_seen seen = { "", 0 };
	struct wp_daemon_desc d = desc;
	char *ok[] = { (char *)"testd", (char *)"--path", (char *)"/x",
		       (char *)"-d", (char *)"--fast", NULL };
	char *bad[] = { (char *)"testd", (char *)"--path", (char *)"bad",
			NULL };
	char *missing[] = { (char *)"testd", (char *)"--path", NULL };
	struct wp_daemon_opts o;

	d.options = extra_opts;
	d.option = extra_option;
	d.arg = &seen;
	ck_assert_int_eq(wp_daemon_parse_args(&d, 5, ok, &o), 0);
	ck_assert_str_eq(seen.path, "/x");
	ck_assert_int_eq(seen.fast, 1);
	ck_assert(o.daemonize);
	wp_daemon_opts_free(&o);
	/* The parser refuses a value; an argument is missing. */
	ck_assert_int_eq(wp_daemon_parse_args(&d, 3, bad, &o), -1);
	wp_daemon_opts_free(&o);
	ck_assert_int_eq(wp_daemon_parse_args(&d, 2, missing, &o), -1);
	wp_daemon_opts_free(&o);
	/* Without the descriptor's options they are unknown. */
	ck_assert_int_eq(wp_daemon_parse_args(&desc, 5, ok, &o), -1);
	wp_daemon_opts_free(&o);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_pidfile)
{
	char dir[] = "/tmp/wp-daemon-XXXXXX", path[128], buf[32];
	pid_t holder = 0;
	int fd, fd2, n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/x.pid", dir);
	fd = wp_pidfile_acquire(path, NULL);
	ck_assert_int_ge(fd, 0);
	n = (int)pread(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(atoi(buf), getpid());

	/* flock is per open file: a second open is refused, in any process */
	errno = 0;
	ck_assert_int_eq(wp_pidfile_acquire(path, &holder), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	ck_assert_int_eq(holder, getpid());

	wp_pidfile_release(fd, path);
	ck_assert_int_eq(access(path, F_OK), -1);
	/* a stale file with a dead pid in it is taken over */
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_eq(write(fd, "99999999\n", 9), 9);
	close(fd);
	fd2 = wp_pidfile_acquire(path, NULL);
	ck_assert_int_ge(fd2, 0);
	n = (int)pread(fd2, buf, sizeof(buf) - 1, 0);
	buf[n] = '\0';
	ck_assert_int_eq(atoi(buf), getpid());
	wp_pidfile_release(fd2, path);
	rmdir(dir);
}
END_TEST

/* --- running wpexampled ------------------------------------------------- */

struct proc {
	pid_t pid;
	int err_fd;		/* read end of its stderr */
	char err[65536];	/* what it wrote there (first 64 KiB) */
	size_t errlen;
};

static void
proc_drain(struct proc *p)
{
	for (;;) {
		char tmp[4096];
		ssize_t n = read(p->err_fd, tmp, sizeof(tmp));
		size_t room = sizeof(p->err) - 1 - p->errlen;

		if (n <= 0)
			return;
		if ((size_t)n > room)
			n = (ssize_t)room;
		memcpy(p->err + p->errlen, tmp, (size_t)n);
		p->errlen += (size_t)n;
		p->err[p->errlen] = '\0';
	}
}

/* fork/exec argv with stderr to a pipe and WP_LEAK_CHECK=1. */
static void
proc_spawn(struct proc *p, char *const argv[])
{
	int pfd[2];

	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	p->pid = fork();
	ck_assert_int_ge(p->pid, 0);
	if (p->pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		setenv("WP_LEAK_CHECK", "1", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	p->err_fd = pfd[0];
	fcntl(p->err_fd, F_SETFL, O_NONBLOCK);
}

/* Wait for the process to exit; returns its exit code (or 128+signal). */
static int
proc_wait(struct proc *p)
{
	int wstatus;

	ck_assert_int_eq(waitpid(p->pid, &wstatus, 0), p->pid);
	fcntl(p->err_fd, F_SETFL, 0);
	proc_drain(p);
	close(p->err_fd);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return WEXITSTATUS(wstatus);
}

/* Run `line` on the socket once; -1 if it does not answer. */
static int
vty_try(const char *path, const char *line, int *status, char **out)
{
	struct wp_vty_client *c = wp_vty_client_connect(path);
	int rc;

	if (c == NULL)
		return -1;
	wp_vty_client_set_timeout(c, 5.0);
	rc = wp_vty_client_exec(c, line, status, out);
	wp_vty_client_close(c);
	return rc;
}

/*
 * Poll the socket until `show example json` answers, waking early on the
 * daemon's stderr; fail at the deadline or if the daemon exits.
 */
static void
wait_answer(struct proc *p, const char *path)
{
	double deadline = wp_monotime() + DEADLINE;
	int status, wstatus;
	char *out;

	for (;;) {
		struct pollfd pfd = { .fd = p->err_fd, .events = POLLIN };

		if (vty_try(path, "show example json", &status, &out) == 0)
			break;
		ck_assert_msg(waitpid(p->pid, &wstatus, WNOHANG) == 0,
			      "daemon exited early: %s", p->err);
		ck_assert_msg(wp_monotime() < deadline,
			      "no answer on %s: %s", path, p->err);
		poll(&pfd, 1, 20);
		proc_drain(p);
	}
	ck_assert_int_eq(status, WP_VTY_OK);
	{
		json_object *obj = json_tokener_parse(out), *items;

		ck_assert_msg(obj != NULL, "not JSON: %s", out);
		ck_assert(json_object_object_get_ex(obj, "items", &items));
		ck_assert_uint_eq(json_object_array_length(items), 3);
		json_object_put(obj);
	}
	wp_free(MT_STRING, out);
}

/* Run tools/wpvty with `args`; returns its exit code. */
static int
wpvty(const char *sock, const char *cmd)
{
	char *argv[] = { (char *)WPVTY, (char *)"-t", (char *)"5",
			 (char *)(uintptr_t)sock, (char *)(uintptr_t)cmd, NULL };
	struct proc p;

	proc_spawn(&p, argv);
	return proc_wait(&p);
}

static void
paths(char *pid, char *sock, size_t size, const char *rundir)
{
	snprintf(pid, size, "%s/wpexampled.pid", rundir);
	snprintf(sock, size, "%s/wpexampled.vty", rundir);
}

START_TEST(test_run_foreground)
{
	char dir[] = "/tmp/wp-daemon-XXXXXX", pid[128], sock[128], *out;
	char *argv[] = { (char *)WPEXAMPLED, (char *)"--rundir", dir,
			 (char *)"--log-level", (char *)"debug", NULL };
	struct proc p, p2;
	json_object *obj, *v;
	int status;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	paths(pid, sock, sizeof(pid), dir);
	proc_spawn(&p, argv);
	wait_answer(&p, sock);
	ck_assert_int_eq(access(pid, F_OK), 0);

	ck_assert_int_eq(vty_try(sock, "show version json", &status, &out), 0);
	obj = json_tokener_parse(out);
	ck_assert(json_object_object_get_ex(obj, "pid", &v));
	ck_assert_int_eq(json_object_get_int(v), p.pid);
	json_object_put(obj);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(vty_try(sock, "sh ex", &status, &out), 0);
	ck_assert_str_eq(strstr(out, "Name   State  Hits\nalpha  up"), out);
	wp_free(MT_STRING, out);

	/* the CLI tool exits with the vty status */
	ck_assert_int_eq(wpvty(sock, "show example"), 0);
	ck_assert_int_eq(wpvty(sock, "shwo"), WP_VTY_ERR_NO_MATCH);
	ck_assert_int_eq(wpvty(sock, "show"), WP_VTY_ERR_INCOMPLETE);
	ck_assert_int_eq(wpvty(sock, "debug nosuch"), WP_VTY_WARNING);
	ck_assert_int_eq(wpvty(sock, "debug example"), 0);
	ck_assert_int_eq(wpvty("/nonexistent/x.vty", "show example"), 5);

	/* a second instance on the same run directory is refused */
	proc_spawn(&p2, argv);
	ck_assert_int_eq(proc_wait(&p2), WP_EXIT_FAIL);
	ck_assert_msg(strstr(p2.err, "another wpexampled is running") != NULL,
		      "%s", p2.err);
	ck_assert_int_eq(vty_try(sock, "show example", &status, &out), 0);
	wp_free(MT_STRING, out);

	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_msg(proc_wait(&p) == 0, "exit status: %s", p.err);
	ck_assert_msg(strstr(p.err, "memory leak") == NULL, "%s", p.err);
	ck_assert_int_eq(access(pid, F_OK), -1);
	ck_assert_int_eq(access(sock, F_OK), -1);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* -d: the first process exits once the daemon is ready, with its verdict. */
START_TEST(test_run_daemonized)
{
	char dir[] = "/tmp/wp-daemon-XXXXXX", rundir[128], pid[160],
	     sock[160], log[160], buf[32], *out;
	char *argv[] = { (char *)WPEXAMPLED, (char *)"-d", (char *)"--rundir",
			 dir, (char *)"-N", (char *)"ns1", (char *)"-l", log,
			 NULL };
	struct proc p;
	int status, fd, n, wstatus;
	pid_t dpid;

	/* Be the reaper of the daemon once its parent has exited. */
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L), 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(rundir, sizeof(rundir), "%s/ns1", dir);
	snprintf(log, sizeof(log), "%s/log", dir);
	paths(pid, sock, sizeof(pid), rundir);
	proc_spawn(&p, argv);
	ck_assert_msg(proc_wait(&p) == 0, "%s", p.err);
	/* ready means answering: no polling needed */
	ck_assert_int_eq(vty_try(sock, "show example json", &status, &out), 0);
	ck_assert_int_eq(status, 0);
	wp_free(MT_STRING, out);

	fd = open(pid, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	dpid = atoi(buf);
	ck_assert_int_ne(dpid, p.pid);
	ck_assert_int_eq(kill(dpid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(dpid, &wstatus, 0), dpid);
	ck_assert(WIFEXITED(wstatus));
	ck_assert_int_eq(WEXITSTATUS(wstatus), 0);
	ck_assert_int_eq(access(pid, F_OK), -1);
	ck_assert_int_eq(access(sock, F_OK), -1);
	ck_assert_int_eq(rmdir(rundir), 0);
	unlink(log);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* -d with a start-up failure: the first process exits with it. */
START_TEST(test_run_daemonized_fails)
{
	char dir[] = "/tmp/wp-daemon-XXXXXX", file[128];
	char *argv[] = { (char *)WPEXAMPLED, (char *)"-d", (char *)"--rundir",
			 file, NULL };
	struct proc p;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/plainfile", dir);
	fd = open(file, O_WRONLY | O_CREAT, 0644);
	close(fd);
	proc_spawn(&p, argv);
	ck_assert_int_eq(proc_wait(&p), WP_EXIT_FAIL);
	ck_assert_msg(strstr(p.err, "plainfile") != NULL, "%s", p.err);
	unlink(file);
	rmdir(dir);

	argv[1] = (char *)"--bogus";
	proc_spawn(&p, argv);
	ck_assert_int_eq(proc_wait(&p), WP_EXIT_USAGE);
}
END_TEST

/* --- privileges --------------------------------------------------------- */

START_TEST(test_privs_drop)
{
	static const cap_value_t keep[] = { CAP_NET_RAW, CAP_NET_BIND_SERVICE };
	struct passwd *pw = getpwnam("nobody");
	uid_t uid;
	gid_t gid;
	pid_t pid;
	int wstatus;

	ck_assert_int_eq(wp_privs_resolve("no-such-user-xyz", NULL, &uid, &gid),
			 -1);
	ck_assert_int_eq(wp_privs_resolve(NULL, "no-such-group-xyz", &uid,
					  &gid), -1);
	ck_assert_int_eq(wp_privs_resolve(NULL, NULL, &uid, &gid), 0);
	ck_assert_int_eq(uid, getuid());
	if (geteuid() != 0 || pw == NULL) {
		/* not root: nothing to drop, nothing changes */
		ck_assert_int_eq(wp_privs_drop("nobody", NULL, keep, 2), 0);
		ck_assert_int_eq(geteuid(), uid);
		return;
	}
	/* The drop is for good: do it in a child. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int bad = 0;

		bad |= wp_privs_drop("nobody", NULL, keep, 2) != 0;
		bad |= (getuid() != pw->pw_uid || geteuid() != pw->pw_uid) << 1;
		bad |= (getgid() != pw->pw_gid) << 2;
		bad |= !wp_privs_have(CAP_NET_RAW) << 3;
		bad |= !wp_privs_have(CAP_NET_BIND_SERVICE) << 4;
		bad |= wp_privs_have(CAP_NET_ADMIN) << 5;
		bad |= wp_privs_have(CAP_SYS_ADMIN) << 6;
		bad |= (setuid(0) == 0) << 7;
		_exit(bad);
	}
	ck_assert_int_eq(waitpid(pid, &wstatus, 0), pid);
	ck_assert(WIFEXITED(wstatus));
	ck_assert_msg(WEXITSTATUS(wstatus) == 0, "failed checks: 0x%x",
		      WEXITSTATUS(wstatus));
}
END_TEST

/* As root: the whole daemon with -u nobody still cleans up at exit. */
START_TEST(test_run_as_user)
{
	char dir[] = "/tmp/wp-daemon-XXXXXX", rundir[128], pid[160],
	     sock[160];
	char *argv[] = { (char *)WPEXAMPLED, (char *)"--rundir", dir,
			 (char *)"-N", (char *)"u1", (char *)"-u",
			 (char *)"nobody", NULL };
	struct proc p;
	struct stat st;
	char *out;
	int status;

	if (geteuid() != 0 || getpwnam("nobody") == NULL)
		return;		/* needs root; covered by the tests above */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(rundir, sizeof(rundir), "%s/u1", dir);
	paths(pid, sock, sizeof(pid), rundir);
	proc_spawn(&p, argv);
	wait_answer(&p, sock);
	ck_assert_int_eq(stat(sock, &st), 0);
	ck_assert_int_eq(st.st_uid, getpwnam("nobody")->pw_uid);
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	ck_assert_int_eq(vty_try(sock, "show version", &status, &out), 0);
	wp_free(MT_STRING, out);
	ck_assert_int_eq(kill(p.pid, SIGTERM), 0);
	ck_assert_msg(proc_wait(&p) == 0, "%s", p.err);
	ck_assert_msg(strstr(p.err, "privs: now uid") != NULL, "%s", p.err);
	ck_assert_int_eq(access(pid, F_OK), -1);
	ck_assert_int_eq(access(sock, F_OK), -1);
	ck_assert_int_eq(rmdir(rundir), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("opts");
	TCase *tc_run = tcase_create("run");

	tcase_add_test(tc, test_opts_defaults);
	tcase_add_test(tc, test_opts_all);
	tcase_add_test(tc, test_opts_errors);
	tcase_add_test(tc, test_opts_daemon);
	tcase_add_test(tc, test_pidfile);
	tcase_add_test(tc, test_privs_drop);
	suite_add_tcase(s, tc);
	tcase_set_timeout(tc_run, 60);
	tcase_add_test(tc_run, test_run_foreground);
	tcase_add_test(tc_run, test_run_daemonized);
	tcase_add_test(tc_run, test_run_daemonized_fails);
	tcase_add_test(tc_run, test_run_as_user);
	suite_add_tcase(s, tc_run);
	return wp_check_run(s);
}
