/*
 * vtysh_exec.c: exec mode.  vtysh's own commands live in an in-process
 * wp_vty table (so they abbreviate, complete and fail exactly as the
 * daemons' do); the daemons are whoever has a socket <rundir>/NAME.vty
 * that answers, found again before every command.  A line goes through
 * its pipes, is spelled out against all the trees and run where it is
 * known (vtysh_dispatch.c).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vtysh.h"
#include "wp_json.h"
#include "wp_vty.h"

#define VT_PROBE_TIMEOUT	5.0	/* seconds: `?` and probes must not hang */

/* --- daemons ------------------------------------------------------------- */

static int
remote_call(struct vt_target *t, const char *line, bool complete,
	    double timeout, int *status, char **out)
{
	struct vt_daemon *d = t->arg;

	for (int attempt = 0; attempt < 2; attempt++) {
		int rc;

		if (d->c == NULL &&
		    (d->c = wp_vty_client_connect(d->path)) == NULL)
			return -1;
		wp_vty_client_set_timeout(d->c, timeout);
		rc = complete ? wp_vty_client_complete(d->c, line, status, out) :
				wp_vty_client_exec(d->c, line, status, out);
		if (rc == 0)
			return 0;
		if (errno == EMSGSIZE || errno == EINVAL) {
			*status = WP_VTY_ERR_NO_MATCH;
			*out = wp_strdup(MT_STRING, errno == EMSGSIZE ?
					 "% Command line too long\n" :
					 "% Invalid character in the line\n");
			return 0;
		}
		wp_vty_client_close(d->c);
		d->c = NULL;
		/* A daemon that restarted gets one more try, a hung one not. */
		if (errno == ETIMEDOUT)
			return -1;
	}
	return -1;
}

static int
remote_exec(struct vt_target *t, const char *line, int *status, char **out)
{
	return remote_call(t, line, false, WP_VTY_CLIENT_TIMEOUT, status, out);
}

static int
remote_complete(struct vt_target *t, const char *line, int *status,
		char **out)
{
	return remote_call(t, line, true, VT_PROBE_TIMEOUT, status, out);
}

static void
daemon_free(struct vt_daemon *d)
{
	if (d->c)
		wp_vty_client_close(d->c);
	wp_free(MT_VTYSH, d->name);
	wp_free(MT_VTYSH, d->path);
	wp_free(MT_VTYSH, d);
}

static int
daemon_cmp(const void *a, const void *b)
{
	return strcmp((*(struct vt_daemon *const *)a)->name,
		      (*(struct vt_daemon *const *)b)->name);
}

/* Find the sockets again: new daemons are added, vanished ones go. */
static void
daemons_scan(struct vtysh *vt)
{
	struct dirent *de;
	DIR *dir;
	size_t keep = 0;

	for (size_t i = 0; i < vt->ndaemons; i++)
		vt->daemons[i]->seen = false;
	if ((dir = opendir(vt->rundir)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			struct vt_daemon *d = NULL;
			struct vt_buf b = { 0 };

			if (len <= 4 || strcmp(de->d_name + len - 4, ".vty"))
				continue;
			for (size_t i = 0; i < vt->ndaemons && !d; i++)
				if (strncmp(vt->daemons[i]->name, de->d_name,
					    len - 4) == 0 &&
				    vt->daemons[i]->name[len - 4] == '\0')
					d = vt->daemons[i];
			if (d) {
				d->seen = true;
				continue;
			}
			d = wp_calloc(MT_VTYSH, sizeof(*d));
			d->name = wp_strndup(MT_VTYSH, de->d_name, len - 4);
			vt_buf_printf(&b, "%s/%s", vt->rundir, de->d_name);
			d->path = wp_strdup(MT_VTYSH, b.data);
			vt_buf_free(&b);
			d->t.name = d->name;
			d->t.exec = remote_exec;
			d->t.complete = remote_complete;
			d->t.arg = d;
			d->seen = true;
			vt->daemons = wp_realloc(MT_VTYSH, vt->daemons,
						 (vt->ndaemons + 1) *
						 sizeof(*vt->daemons));
			vt->daemons[vt->ndaemons++] = d;
		}
		closedir(dir);
	}
	for (size_t i = 0; i < vt->ndaemons; i++) {
		if (vt->daemons[i]->seen)
			vt->daemons[keep++] = vt->daemons[i];
		else
			daemon_free(vt->daemons[i]);
	}
	vt->ndaemons = keep;
	if (keep > 1)
		qsort(vt->daemons, keep, sizeof(*vt->daemons), daemon_cmp);
}

size_t
vt_targets(struct vtysh *vt, struct vt_target **out)
{
	struct vt_target *t;

	daemons_scan(vt);
	t = wp_calloc(MT_VTYSH, (vt->ndaemons + 1) * sizeof(*t));
	t[0] = vt->exec_target;
	for (size_t i = 0; i < vt->ndaemons; i++)
		t[i + 1] = vt->daemons[i]->t;
	*out = t;
	return vt->ndaemons + 1;
}

/* --- what each daemon says about itself ---------------------------------- */

struct daemon_info {
	char name[64];
	bool up;
	long pid;
	char version[64];
	unsigned long long uptime;
	const char *config;		/* mgmtd's view: synced, ... */
};

static size_t
daemons_info(struct vtysh *vt, struct daemon_info **out)
{
	struct daemon_info *info;
	json_object *mg = NULL, *arr = NULL;

	daemons_scan(vt);
	info = wp_calloc(MT_VTYSH, (vt->ndaemons + 1) * sizeof(*info));
	for (size_t i = 0; i < vt->ndaemons; i++) {
		struct vt_daemon *d = vt->daemons[i];
		struct daemon_info *di = &info[i];
		json_object *top, *v;
		char *text = NULL;
		int status;

		snprintf(di->name, sizeof(di->name), "%s", d->name);
		di->config = "-";
		if (remote_call(&d->t, "show version json", false,
				VT_PROBE_TIMEOUT, &status, &text) == -1)
			continue;
		if (status == WP_VTY_OK &&
		    (top = json_tokener_parse(text)) != NULL) {
			di->up = true;
			if (json_object_object_get_ex(top, "pid", &v))
				di->pid = (long)json_object_get_int64(v);
			if (json_object_object_get_ex(top, "version", &v))
				snprintf(di->version, sizeof(di->version), "%s",
					 json_object_get_string(v));
			if (json_object_object_get_ex(top, "uptimeSeconds", &v))
				di->uptime = (unsigned long long)
					     json_object_get_int64(v);
			json_object_put(top);
		}
		if (strcmp(d->name, "mgmtd") == 0 && di->up) {
			wp_free(MT_STRING, text);
			text = NULL;
			if (remote_call(&d->t, "show mgmt daemons json", false,
					VT_PROBE_TIMEOUT, &status,
					&text) == 0 &&
			    status == WP_VTY_OK)
				mg = json_tokener_parse(text);
		}
		wp_free(MT_STRING, text);
	}
	/* Which daemons take their configuration from mgmtd, and in sync. */
	if (mg && json_object_object_get_ex(mg, "daemons", &arr)) {
		for (size_t j = 0; j < json_object_array_length(arr); j++) {
			json_object *o = json_object_array_get_idx(arr, j);
			json_object *name, *synced;

			if (!json_object_object_get_ex(o, "name", &name) ||
			    !json_object_object_get_ex(o, "synced", &synced))
				continue;
			for (size_t i = 0; i < vt->ndaemons; i++)
				if (strcmp(info[i].name,
					   json_object_get_string(name)) == 0)
					info[i].config =
					    json_object_get_boolean(synced) ?
					    "synced" : "not synced";
		}
	}
	for (size_t i = 0; i < vt->ndaemons; i++)
		if (strcmp(info[i].name, "mgmtd") == 0 && info[i].up)
			info[i].config = "owner";
	json_object_put(mg);
	*out = info;
	return vt->ndaemons;
}

/* --- vtysh's own exec commands ------------------------------------------- */

static struct vtysh *
ctx_vt(struct wp_vty_cmd_ctx *ctx)
{
	return wp_vty_ctx_arg(ctx);
}

static int
cmd_configure(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	enum vt_cfg_kind kind = VT_CFG_TERMINAL;

	if (wp_vty_arg(ctx, "private"))
		kind = VT_CFG_PRIVATE;
	else if (wp_vty_arg(ctx, "exclusive"))
		kind = VT_CFG_EXCLUSIVE;
	return vt_config_enter(ctx_vt(ctx), kind) == 0 ? WP_VTY_OK :
							  WP_VTY_ERR_FAILED;
}

static int
cmd_show_running(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		 bool json)
{
	char *text = vt_running_text(ctx_vt(ctx), wp_vty_arg(ctx, "DAEMON"),
				     json);

	if (text == NULL)
		return WP_VTY_ERR_FAILED;
	wp_vty_puts(ctx, text);
	wp_free(MT_STRING, text);
	return WP_VTY_OK;
}

static int
cmd_show_version(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		 bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	struct daemon_info *info;
	size_t n = daemons_info(vt, &info);
	json_object *top = json_object_new_object(), *arr;

	wp_json_add_str(top, "package", PACKAGE_NAME);
	wp_json_add_str(top, "version", PACKAGE_VERSION);
	wp_json_add_str(top, "lineEditor", vt_term_editor());
	wp_json_add_str(top, "rundir", vt->rundir);
	arr = wp_json_add_array(top, "daemons");
	for (size_t i = 0; i < n; i++) {
		json_object *row;

		if (!info[i].up)
			continue;
		row = wp_json_array_add_object(arr);
		wp_json_add_str(row, "name", info[i].name);
		wp_json_add_str(row, "version", info[i].version);
		wp_json_add_uint64(row, "uptimeSeconds", info[i].uptime);
	}
	if (json) {
		wp_vty_json(ctx, top);
	} else {
		wp_vty_out(ctx, "Waypoint %s (vtysh, %s)\n", PACKAGE_VERSION,
			   vt_term_editor());
		wp_vty_out(ctx, "Run directory: %s\n", vt->rundir);
		for (size_t i = 0; i < n; i++) {
			char up[32];

			if (!info[i].up)
				continue;
			vt_uptime_fmt(info[i].uptime, up, sizeof(up));
			wp_vty_out(ctx, "  %-10s %-10s up %s\n", info[i].name,
				   info[i].version, up);
		}
		json_object_put(top);
	}
	wp_free(MT_VTYSH, info);
	return WP_VTY_OK;
}

static int
cmd_show_daemons(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		 bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Daemon", "name", WP_TABLE_LEFT },
		{ "State", "state", WP_TABLE_LEFT },
		{ "PID", "pid", WP_TABLE_RIGHT },
		{ "Version", "version", WP_TABLE_LEFT },
		{ "Uptime", "uptime", WP_TABLE_RIGHT },
		{ "Config", "config", WP_TABLE_LEFT },
	};
	struct vtysh *vt = ctx_vt(ctx);
	struct daemon_info *info;
	size_t n = daemons_info(vt, &info);
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "daemons");

	for (size_t i = 0; i < n; i++) {
		json_object *row = wp_json_array_add_object(arr);
		char up[32];

		wp_json_add_str(row, "name", info[i].name);
		wp_json_add_str(row, "state", info[i].up ? "up" :
				"not answering");
		if (info[i].up) {
			vt_uptime_fmt(info[i].uptime, up, sizeof(up));
			wp_json_add_int(row, "pid", (int)info[i].pid);
			wp_json_add_str(row, "version", info[i].version);
			wp_json_add_uint64(row, "uptimeSeconds",
					   info[i].uptime);
			wp_json_add_str(row, "uptime", up);
		}
		wp_json_add_str(row, "config", info[i].config);
	}
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	wp_free(MT_VTYSH, info);
	return WP_VTY_OK;
}

static int
cmd_write(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	struct vt_buf b = { 0 };
	int rc;

	if (wp_vty_arg(ctx, "terminal"))
		return cmd_show_running(ctx, argc, argv, false);
	rc = vt_write_memory(vt, &b);
	if (b.data)
		wp_vty_puts(ctx, b.data);
	vt_buf_free(&b);
	return rc == 0 ? WP_VTY_OK : WP_VTY_ERR_FAILED;
}

static int
cmd_rollback(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	struct vt_buf b = { 0 };
	int rc;

	rc = vt_rollback(ctx_vt(ctx), (unsigned int)strtoul(
			 wp_vty_arg(ctx, "(1-49)"), NULL, 10), &b);
	if (b.data)
		wp_vty_puts(ctx, b.data);
	vt_buf_free(&b);
	return rc == 0 ? WP_VTY_OK : WP_VTY_ERR_FAILED;
}

static int
cmd_terminal_length(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		    bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	const char *n = wp_vty_arg(ctx, "(0-512)");

	vt->term_length = n ? atoi(n) : -1;
	return WP_VTY_OK;
}

static int
cmd_terminal_no_length(struct wp_vty_cmd_ctx *ctx, int argc,
		       const char *argv[], bool json)
{
	ctx_vt(ctx)->term_length = -1;
	return WP_VTY_OK;
}

static int
cmd_exit(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	struct vtysh *vt = ctx_vt(ctx);

	if (vt->mode == VT_MODE_CONFIG) {	/* `do exit` */
		wp_vty_out(ctx, "%% Leave configuration mode first (end)\n");
		return WP_VTY_WARNING;
	}
	vt->quit = true;
	return WP_VTY_OK;
}

static int
cmd_end(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	return WP_VTY_OK;
}

#define CONFIGURE_STR	"Enter configuration mode\n"
#define RUNNING_STR	"The running configuration\n"
#define WRITE_STR	"Save or show the running configuration\n"
#define TERMINAL_STR	"Set terminal line parameters\n"
#define LENGTH_STR	"Lines per page: 0 turns the pager off\n"

int
vt_exec_init(struct vtysh *vt)
{
	static const struct {
		const char *tmpl, *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "configure [terminal]", CONFIGURE_STR
		  "Each line is committed as it is typed\n", cmd_configure },
		{ "configure (private|exclusive)", CONFIGURE_STR
		  "Changes wait for `commit`\n"
		  "Changes wait for `commit`; nobody else may commit\n",
		  cmd_configure },
		{ "show running-config [DAEMON] [json]", WP_SHOW_STR
		  RUNNING_STR "Only what a daemon (or a YANG module) owns\n"
		  WP_JSON_STR, cmd_show_running },
		{ "show version [json]", WP_SHOW_STR
		  "Waypoint's version and the daemons'\n" WP_JSON_STR,
		  cmd_show_version },
		{ "show daemons [json]", WP_SHOW_STR
		  "Daemons answering, their versions and uptimes\n"
		  WP_JSON_STR, cmd_show_daemons },
		{ "write [memory|terminal]", WRITE_STR
		  "Save it as the startup configuration\n"
		  "Show it\n", cmd_write },
		{ "copy running-config startup-config",
		  "Copy a configuration\n" RUNNING_STR
		  "The startup configuration (write memory)\n", cmd_write },
		{ "rollback configuration last (1-49)",
		  "Go back to an earlier configuration\n"
		  "The configuration\n" "Undo the last commits\n"
		  "How many commits to undo\n", cmd_rollback },
		{ "terminal length (0-512)", TERMINAL_STR LENGTH_STR
		  "Lines\n", cmd_terminal_length },
		{ "terminal no length", TERMINAL_STR WP_NO_STR LENGTH_STR,
		  cmd_terminal_no_length },
		{ "exit", "Leave the shell\n", cmd_exit },
		{ "quit", "Leave the shell\n", cmd_exit },
		{ "end", "Stay in exec mode\n", cmd_end },
	};

	vt->exec_vty = wp_vty_new(vt->loop, "vtysh");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install_arg(vt->exec_vty, cmds[i].tmpl,
				       cmds[i].help, cmds[i].fn, vt) == -1)
			return -1;
	vt_target_local(&vt->exec_target, "vtysh", vt->exec_vty, true);
	return 0;
}

void
vt_exec_fini(struct vtysh *vt)
{
	for (size_t i = 0; i < vt->ndaemons; i++)
		daemon_free(vt->daemons[i]);
	wp_free(MT_VTYSH, vt->daemons);
	vt->daemons = NULL;
	vt->ndaemons = 0;
	wp_vty_free(vt->exec_vty);
	vt->exec_vty = NULL;
}

/* --- a line -------------------------------------------------------------- */

static bool
ends_with_json(const char *line)
{
	size_t len = strlen(line);

	return (len == 4 && strcmp(line, "json") == 0) ||
	       (len > 4 && strcmp(line + len - 5, " json") == 0);
}

/* `| json`: the command must take json as its next word. */
static char *
with_json(struct vtysh *vt, struct vt_target *t, size_t n, const char *line)
{
	struct vt_cands cs = { 0 };
	struct vt_buf b = { 0 };
	char *err = NULL;
	bool ok = false;

	if (ends_with_json(line))
		return wp_strdup(MT_STRING, line);
	vt_buf_printf(&b, "%s ", line);
	if (vt_complete(t, n, b.data, &cs, &err) == 0)
		for (size_t i = 0; i < cs.n && !ok; i++)
			ok = strcmp(cs.c[i].word, "json") == 0;
	wp_free(MT_STRING, err);
	vt_cands_free(&cs);
	if (!ok) {
		vt_buf_free(&b);
		vt_err(vt, "%% '| json' does not apply: '%s' has no JSON "
		       "output", line);
		return NULL;
	}
	vt_buf_puts(&b, "json");
	return vt_buf_take(&b);
}

int
vt_exec_line(struct vtysh *vt, const char *line)
{
	struct vt_pipeline pl;
	struct vt_target *t;
	char *err = NULL, *exp = NULL, *out = NULL, *cmd;
	size_t n, bad;
	int status;

	if (vt_pipeline_parse(line, &pl, &err) == -1) {
		vt_err(vt, "%s", err);
		wp_free(MT_STRING, err);
		return WP_VTY_ERR_NO_MATCH;
	}
	if (pl.cmd[0] == '\0' || pl.cmd[0] == '!' || pl.cmd[0] == '#') {
		vt_pipeline_free(&pl);
		return WP_VTY_OK;
	}
	n = vt_targets(vt, &t);
	if (vt_expand(t, n, pl.cmd, &exp, &err, &bad) == -1) {
		vt_err(vt, "%s", err);
		wp_free(MT_STRING, err);
		status = WP_VTY_ERR_NO_MATCH;
		goto out;
	}
	cmd = pl.json ? with_json(vt, t, n, exp) : wp_strdup(MT_STRING, exp);
	if (cmd == NULL) {
		status = WP_VTY_ERR_NO_MATCH;
		goto out;
	}
	status = vt_dispatch(t, n, cmd, ends_with_json(cmd), &out);
	if (status == WP_VTY_OK || status == WP_VTY_WARNING ||
	    status == WP_VTY_ERR_FAILED) {
		char *f = vt_pipeline_filter(&pl, out);

		if (status == WP_VTY_OK)
			vt_out(vt, f);
		else
			vt_err_lines(vt, f);
		wp_free(MT_STRING, f);
	} else {
		vt_err_lines(vt, out);
	}
	wp_free(MT_STRING, cmd);
out:
	wp_free(MT_STRING, out);
	wp_free(MT_STRING, exp);
	wp_free(MT_VTYSH, t);
	vt_pipeline_free(&pl);
	return status;
}

static const char *const pipe_help[][2] = {
	{ "begin", "Begin with the line that matches" },
	{ "count", "Count the lines" },
	{ "exclude", "Leave out lines that match" },
	{ "include", "Only lines that match" },
	{ "json", "JSON output" },
};

/* Completion after the first '|' of a line. */
static void
pipe_complete(const char *p, struct vt_cands *cs)
{
	struct vt_words ws;
	size_t i = 0;

	vt_words_split(p, &ws);
	while (i < ws.n) {
		const char *w = ws.w[i];
		bool last = i + 1 == ws.n && !ws.trailing_blank;
		size_t len = strlen(w);

		if (last || strcmp(w, "|") == 0) {
			if (strcmp(w, "|") == 0 && !last) {
				i++;
				continue;
			}
			for (size_t k = 0; k < 5; k++)
				if (strncmp(pipe_help[k][0], w, len) == 0)
					vt_cands_add(cs, pipe_help[k][0],
						     pipe_help[k][1]);
			break;
		}
		if (len > 0 && (strncmp("json", w, len) == 0 ||
				strncmp("count", w, len) == 0)) {
			i++;
			if (i == ws.n) {
				vt_cands_add(cs, "|", "Another pipe");
				cs->cr = true;
			}
			continue;
		}
		vt_cands_add(cs, "REGEX", "A POSIX extended regular "
			     "expression, the rest of the line");
		break;
	}
	if (ws.n == 0)
		for (size_t k = 0; k < 5; k++)
			vt_cands_add(cs, pipe_help[k][0], pipe_help[k][1]);
	vt_words_free(&ws);
}

int
vt_exec_complete(struct vtysh *vt, const char *line, struct vt_cands *cs,
		 char **err)
{
	struct vt_target *t;
	size_t n;
	int rc;

	*err = NULL;
	for (const char *p = line; *p; p++) {
		if (*p == '|' && (p == line || p[-1] == ' ')) {
			pipe_complete(p + 1, cs);
			return 0;
		}
	}
	n = vt_targets(vt, &t);
	rc = vt_complete(t, n, line, cs, err);
	wp_free(MT_VTYSH, t);
	return rc;
}
