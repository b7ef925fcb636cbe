/*
 * vtysh_main.c: the shell's options and its three ways to run.
 *
 *	vtysh [-N NAME] [--rundir DIR]			interactive
 *	vtysh -c CMD [-c CMD]...			commands, in order
 *	vtysh -f FILE					a file as one commit
 *	vtysh -b					the saved configuration
 *
 * -c runs each command as if typed (a command may hold several lines
 * separated by newlines), stops at the first that fails and exits 1;
 * `-c 'configure terminal' -c 'ip route ...'` commits the route as the
 * interactive shell would.  Without -c and with stdin not a terminal,
 * lines are read from stdin the same way.  -b, -f and -c may be
 * combined; they run in that order.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vtysh.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_vty.h"

#define VT_RUNDIR_BASE	RUNSTATEDIR "/waypoint"

enum {
	OPT_RUNDIR = 256,
	OPT_YANG_PATH,
};

static const struct option longopts[] = {
	{ "command", required_argument, NULL, 'c' },
	{ "inputfile", required_argument, NULL, 'f' },
	{ "boot", no_argument, NULL, 'b' },
	{ "pathspace", required_argument, NULL, 'N' },
	{ "rundir", required_argument, NULL, OPT_RUNDIR },
	{ "yang-path", required_argument, NULL, OPT_YANG_PATH },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [options]\n"
		"  -c, --command CMD      run CMD as if typed (repeatable; in "
		"order; stops at\n"
		"                         the first failure)\n"
		"  -f, --inputfile FILE   apply FILE to the running "
		"configuration as one commit\n"
		"  -b, --boot             make the saved configuration the "
		"running one\n"
		"  -N, --pathspace NAME   the instance whose sockets are under "
		VT_RUNDIR_BASE "/NAME\n"
		"      --rundir DIR       use DIR instead of " VT_RUNDIR_BASE
		"\n"
		"      --yang-path DIR    YANG modules (default $WP_YANG_PATH "
		"or " YANGDIR ")\n"
		"  -v, --version          print the version and exit\n"
		"  -h, --help             print this help and exit\n"
		"Exit status: 0 when every command succeeded, 1 when one "
		"failed, 2 on bad usage.\n", prog);
}

static bool
pathspace_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.'))
			return false;
	return true;
}

/* --- output -------------------------------------------------------------- */

void
vt_out(struct vtysh *vt, const char *text)
{
	size_t len;

	if (text == NULL || (len = strlen(text)) == 0)
		return;
	if (vt->interactive && vt->tty_out && vt->term_length != 0) {
		struct vt_buf b = { 0 };

		vt_buf_puts(&b, text);
		if (text[len - 1] != '\n')
			vt_buf_puts(&b, "\n");
		vt_page(vt, b.data);
		vt_buf_free(&b);
		return;
	}
	fputs(text, stdout);
	if (text[len - 1] != '\n')
		fputs("\n", stdout);
	fflush(stdout);
}

void
vt_err(struct vtysh *vt, const char *fmt, ...)
{
	FILE *f = vt->interactive ? stdout : stderr;
	va_list ap;

	if (f == stderr)
		fflush(stdout);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputs("\n", f);
	fflush(f);
}

void
vt_err_lines(struct vtysh *vt, const char *text)
{
	const char *p = text;

	while (p && *p) {
		size_t len = strcspn(p, "\n");

		if (len)
			vt_err(vt, "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
	}
}

char *
vt_prompt_current(struct vtysh *vt)
{
	return vt_prompt(vt->hostname, vt->mode == VT_MODE_CONFIG ?
			 wp_cli_pos_prompt(&vt->pos) : NULL);
}

int
vt_line(struct vtysh *vt, const char *line)
{
	if (vt->mode == VT_MODE_CONFIG)
		return vt_config_line(vt, line);
	return vt_exec_line(vt, line);
}

/* --- scripts ------------------------------------------------------------- */

/* Each line of `text`, until one fails; returns the exit status. */
static int
run_lines(struct vtysh *vt, const char *text)
{
	const char *p = text;

	while (*p && !vt->quit) {
		size_t len = strcspn(p, "\n");
		char *line = wp_strndup(MT_STRING, p, len);
		int st;

		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		st = vt_line(vt, line);
		wp_free(MT_STRING, line);
		if (st != VT_OK)
			return VT_EXIT_FAIL;
		p += len + (p[len] == '\n');
	}
	return VT_EXIT_OK;
}

static int
run_stdin(struct vtysh *vt)
{
	char *line = NULL;
	size_t cap = 0;
	int rc = VT_EXIT_OK;

	while (!vt->quit && getline(&line, &cap, stdin) != -1) {
		line[strcspn(line, "\r\n")] = '\0';
		if (vt_line(vt, line) != VT_OK) {
			rc = VT_EXIT_FAIL;
			break;
		}
	}
	free(line);
	return rc;
}

/* --- main ---------------------------------------------------------------- */

int
main(int argc, char **argv)
{
	struct vtysh vt = { .term_length = -1 };
	const char *rundir = NULL;
	char **cmds = NULL, **files = NULL;
	size_t ncmds = 0, nfiles = 0;
	bool boot = false;
	int ch, rc = VT_EXIT_OK;
	struct vt_buf b = { 0 };
	const char *leak;

	vt.progname = argv[0];
	while ((ch = getopt_long(argc, argv, "c:f:bN:hv", longopts,
				 NULL)) != -1) {
		switch (ch) {
		case 'c':
			cmds = realloc(cmds, (ncmds + 1) * sizeof(*cmds));
			cmds[ncmds++] = optarg;
			break;
		case 'f':
			files = realloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case 'b':
			boot = true;
			break;
		case 'N':
			if (!pathspace_ok(optarg)) {
				fprintf(stderr, "%s: bad pathspace \"%s\": use "
					"letters, digits, '-', '_' and '.'\n",
					argv[0], optarg);
				return VT_EXIT_USAGE;
			}
			vt.pathspace = optarg;
			break;
		case OPT_RUNDIR:
			rundir = optarg;
			break;
		case OPT_YANG_PATH:
			vt.yang_dir = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return VT_EXIT_OK;
		case 'v':
			printf("vtysh (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return VT_EXIT_OK;
		default:
			usage(stderr, argv[0]);
			return VT_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", argv[0],
			argv[optind]);
		usage(stderr, argv[0]);
		return VT_EXIT_USAGE;
	}
	vt_buf_printf(&b, "%s%s%s", rundir ? rundir : VT_RUNDIR_BASE,
		      vt.pathspace ? "/" : "",
		      vt.pathspace ? vt.pathspace : "");
	vt.rundir = vt_buf_take(&b);
	vt.interactive = ncmds == 0 && nfiles == 0 && !boot &&
			 isatty(STDIN_FILENO);
	vt.tty_out = isatty(STDOUT_FILENO);

	wp_log_init("vtysh");
	wp_log_set_targets(0, NULL);	/* the shell says what went wrong */
	vt.loop = wp_loop_new();
	/* The loop's signal handling is a daemon's; ours is the default. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	if (vt_exec_init(&vt) == -1 || vt_config_init(&vt) == -1) {
		fprintf(stderr, "%s: cannot install the commands\n", argv[0]);
		rc = VT_EXIT_FAIL;
		goto out;
	}
	if (vt.interactive) {
		/* The prompt's host name, if mgmtd is there; quietly. */
		vt_session_quiet(&vt);
		vt_hostname_refresh(&vt);
	}

	if (boot && vt_boot(&vt) == -1)
		rc = VT_EXIT_FAIL;
	for (size_t i = 0; i < nfiles && rc == VT_EXIT_OK; i++)
		if (vt_apply_file(&vt, files[i]) == -1)
			rc = VT_EXIT_FAIL;
	for (size_t i = 0; i < ncmds && rc == VT_EXIT_OK && !vt.quit; i++)
		rc = run_lines(&vt, cmds[i]);
	if (rc == VT_EXIT_OK && ncmds == 0 && nfiles == 0 && !boot)
		rc = vt.interactive ? vt_term_run(&vt) : run_stdin(&vt);
	if (vt_config_eof(&vt) == -1 && rc == VT_EXIT_OK)
		rc = VT_EXIT_FAIL;

out:
	vt_config_fini(&vt);
	vt_exec_fini(&vt);
	wp_loop_free(vt.loop);
	wp_free(MT_STRING, vt.rundir);
	free(cmds);
	free(files);
	/* Tests: memory still allocated is an error (exit 3). */
	leak = getenv("WP_LEAK_CHECK");
	if (leak && strcmp(leak, "1") == 0 && wp_mem_report_leaks(stderr) > 0 &&
	    rc == VT_EXIT_OK)
		rc = VT_EXIT_LEAKS;
	return rc;
}
