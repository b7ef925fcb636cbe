/*
 * wpcfg: a configuration session with mgmtd from the command line, for
 * scripts and tests until vtysh exists.
 *
 *	wpcfg [-N PATHSPACE] [--rundir DIR] STEP...
 *
 * All steps run in one session, on its private candidate, in order:
 *
 *	load FILE		merge FILE into the candidate: configuration
 *				text, or YANG data for a .json or .xml
 *	replace FILE		the same, FILE becoming the whole candidate
 *	edit OP XPATH [VALUE]	OP: merge create replace delete remove
 *	commit [COMMENT]	commit the candidate
 *	check			commit check: the daemons prepare, nothing
 *				changes
 *	validate		YANG validation only
 *	discard			throw the candidate's changes away
 *	show WHAT [FORMAT]	WHAT: running candidate diff history;
 *				FORMAT: text (default) json xml
 *
 *	wpcfg -N r1 "load r1-extra.conf" commit
 *	wpcfg -N r1 "edit merge /waypoint-routing:routing/maximum-paths 4" \
 *		"commit raise ECMP"
 *	wpcfg -N r1 "show running"
 *
 * A step that fails prints "% MESSAGE" (and the data path at fault) on
 * stderr and ends the run.  Each request may take WP_MGMT_SESSION_TIMEOUT
 * seconds (a commit waits for every daemon's answer).  Exit code: 0 all steps done, 1 a step
 * failed, 5 mgmtd cannot be reached or stops answering, 64 bad usage.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_daemon.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_mgmt_session.h"
#include "wp_yang.h"

#define EXIT_FAIL	1
#define EXIT_IO		5
#define EXIT_USAGE	64
#define MAX_WORDS	8

static void
usage(void)
{
	fprintf(stderr, "usage: wpcfg [-N PATHSPACE] [--rundir DIR] STEP...\n"
		"steps: load FILE | replace FILE | edit OP XPATH [VALUE] | "
		"commit [COMMENT]\n"
		"       check | validate | discard | show "
		"running|candidate|diff|history [text|json|xml]\n");
	exit(EXIT_USAGE);
}

static char *
file_read(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = wp_realloc(MT_STRING, buf, len + n + 1);
		memcpy(buf + len, chunk, n);
		len += n;
	}
	fclose(f);
	if (buf == NULL)
		buf = wp_strdup(MT_STRING, "");
	buf[len] = '\0';
	return buf;
}

static enum wp_mgmt_fmt
fmt_of(const char *word)
{
	if (word == NULL || strcmp(word, "text") == 0)
		return WP_MGMT_FMT_TEXT;
	if (strcmp(word, "json") == 0)
		return WP_MGMT_FMT_JSON;
	if (strcmp(word, "xml") == 0)
		return WP_MGMT_FMT_XML;
	usage();
	return WP_MGMT_FMT_TEXT;
}

static enum wp_mgmt_fmt
fmt_of_file(const char *path)
{
	switch (wp_yang_format_of(path)) {
	case LYD_JSON:
		return WP_MGMT_FMT_JSON;
	case LYD_XML:
		return WP_MGMT_FMT_XML;
	default:
		return WP_MGMT_FMT_TEXT;
	}
}

static int
step_load(struct wp_mgmt_session *s, const char *path, bool replace,
	  struct wp_mgmt_result *res)
{
	char *text = file_read(path);
	int rc;

	if (text == NULL) {
		res->status = WP_MGMT_ST_FAILED;
		res->message = wp_strdup(MT_STRING, strerror(errno));
		return -1;
	}
	rc = wp_mgmt_session_load(s, WP_MGMT_DS_PRIVATE, fmt_of_file(path),
				  replace, text, path, res);
	wp_free(MT_STRING, text);
	return rc;
}

static int
step_edit(struct wp_mgmt_session *s, char **w, int n, const char *value,
	  struct wp_mgmt_result *res)
{
	static const char *const ops[] = { "merge", "create", "replace",
					   "delete", "remove" };
	static const enum wp_mgmt_op opv[] = {
		WP_MGMT_OP_MERGE, WP_MGMT_OP_CREATE, WP_MGMT_OP_REPLACE,
		WP_MGMT_OP_DELETE, WP_MGMT_OP_REMOVE,
	};
	struct wp_mgmt_edit e = { 0 };
	size_t i;

	if (n < 3)
		usage();
	for (i = 0; i < 5 && strcmp(w[1], ops[i]) != 0; i++)
		;
	if (i == 5)
		usage();
	e.op = opv[i];
	e.xpath = w[2];
	e.value = value;
	return wp_mgmt_session_edit(s, WP_MGMT_DS_PRIVATE, &e, 1, res);
}

static int
step_show(struct wp_mgmt_session *s, char **w, int n,
	  struct wp_mgmt_result *res)
{
	struct wp_mgmt_get_opts o = { .ds = WP_MGMT_DS_PRIVATE };
	int rc;

	if (n < 2)
		usage();
	if (strcmp(w[1], "running") == 0)
		o.what = WP_MGMT_GET_RUNNING;
	else if (strcmp(w[1], "candidate") == 0)
		o.what = WP_MGMT_GET_CANDIDATE;
	else if (strcmp(w[1], "diff") == 0)
		o.what = WP_MGMT_GET_DIFF;
	else if (strcmp(w[1], "history") == 0)
		o.what = WP_MGMT_GET_HISTORY;
	else
		usage();
	o.fmt = fmt_of(n > 2 ? w[2] : NULL);
	rc = wp_mgmt_session_get(s, &o, res);
	if (rc == 0 && res->data && res->data[0]) {
		fputs(res->data, stdout);
		if (res->data[strlen(res->data) - 1] != '\n')
			putchar('\n');
	}
	return rc;
}

/* One step: its words, and the text after the first `nvalue` words. */
static int
step_run(struct wp_mgmt_session *s, const char *step,
	 struct wp_mgmt_result *res)
{
	char *copy = wp_strdup(MT_STRING, step), *w[MAX_WORDS], *save = NULL;
	const char *rest = NULL;
	int n = 0, rc = 0;

	for (char *t = strtok_r(copy, " \t", &save); t && n < MAX_WORDS;
	     t = strtok_r(NULL, " \t", &save)) {
		w[n] = t;
		/* The rest of the line, blanks included: a value, a comment. */
		if ((n == 3 && strcmp(w[0], "edit") == 0) ||
		    (n == 1 && strcmp(w[0], "commit") == 0))
			rest = step + (t - copy);
		n++;
	}
	if (n == 0)
		usage();
	if (strcmp(w[0], "load") == 0 && n == 2)
		rc = step_load(s, w[1], false, res);
	else if (strcmp(w[0], "replace") == 0 && n == 2)
		rc = step_load(s, w[1], true, res);
	else if (strcmp(w[0], "edit") == 0)
		rc = step_edit(s, w, n, rest, res);
	else if (strcmp(w[0], "commit") == 0)
		rc = wp_mgmt_session_commit(s, WP_MGMT_DS_PRIVATE,
			&(struct wp_mgmt_commit_opts){ .comment = rest }, res);
	else if (strcmp(w[0], "check") == 0 && n == 1)
		rc = wp_mgmt_session_commit(s, WP_MGMT_DS_PRIVATE,
			&(struct wp_mgmt_commit_opts){ .check_only = true },
			res);
	else if (strcmp(w[0], "validate") == 0 && n == 1)
		rc = wp_mgmt_session_validate(s, WP_MGMT_DS_PRIVATE, res);
	else if (strcmp(w[0], "discard") == 0 && n == 1)
		rc = wp_mgmt_session_discard(s, WP_MGMT_DS_PRIVATE, res);
	else if (strcmp(w[0], "show") == 0)
		rc = step_show(s, w, n, res);
	else
		usage();
	if (rc == 0 && strcmp(w[0], "show") != 0 && res->message &&
	    res->message[0])
		printf("%s\n", res->message);
	wp_free(MT_STRING, copy);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pathspace", required_argument, NULL, 'N' },
		{ "rundir", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pathspace = NULL, *base = WP_RUNDIR_BASE;
	struct wp_mgmt_result res = { 0 };
	struct wp_mgmt_session *s;
	char rundir[4096], err[512];
	struct wp_loop *loop;
	int ch, rc = 0;

	while ((ch = getopt_long(argc, argv, "N:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'N':
			pathspace = optarg;
			break;
		case 'r':
			base = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	/* Connection chatter is not for a script's output: warnings up. */
	wp_log_init("wpcfg");
	wp_log_set_level(WP_LOG_WARNING);
	snprintf(rundir, sizeof(rundir), "%s%s%s", base, pathspace ? "/" : "",
		 pathspace ? pathspace : "");
	loop = wp_loop_new();
	s = wp_mgmt_session_open(loop, rundir, "wpcfg", NULL, err,
				 sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "%% %s\n", err);
		wp_loop_free(loop);
		return EXIT_IO;
	}
	for (int i = optind; i < argc && rc == 0; i++) {
		wp_mgmt_result_clear(&res);
		if (step_run(s, argv[i], &res) == -1) {
			const char *msg = res.message ? res.message : "failed";
			bool at = res.xpath && res.xpath[0] &&
				  strstr(msg, res.xpath) == NULL;

			fprintf(stderr, "%% %s%s%s\n", msg, at ? " at " : "",
				at ? res.xpath : "");
			rc = res.status == WP_MGMT_ST_IO ? EXIT_IO : EXIT_FAIL;
		}
	}
	wp_mgmt_result_clear(&res);
	wp_mgmt_session_close(s);
	wp_loop_free(loop);
	return rc;
}
