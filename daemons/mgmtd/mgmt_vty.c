/*
 * mgmt_vty.c: mgmtd's show commands on <rundir>/mgmtd.vty.
 *
 * These read the running configuration, the candidates' changes, the
 * history and mgmtd's own state; they need no session.  Changing the
 * configuration goes through a session (lib/wp_mgmt_session.h).  The
 * diff is the shared candidate's, or a session's private one's.
 *
 *	show running-config [json|xml]
 *	show configuration running [json|xml]
 *	show configuration diff [session (1-4294967295)] [json]
 *	show configuration history [json]
 *	show configuration commit (0-49) [json]
 *	show mgmt [json]
 *	show mgmt daemons [json]
 *	show mgmt sessions [json]
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmtd.h"
#include "wp_json.h"
#include "wp_vty.h"

#define CONFIG_STR	"Configuration datastores and history\n"
#define MGMT_STR	"Management daemon state\n"

static struct mgmt *
vty_mgmt(struct wp_vty_cmd_ctx *ctx)
{
	struct mgmt **mp = wp_vty_ctx_arg(ctx);

	if (*mp == NULL)
		wp_vty_out(ctx, "%% mgmtd is starting\n");
	return *mp;
}

static int
show_running(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	struct mgmt *m = vty_mgmt(ctx);
	struct mgmt_err e;
	char *text;

	if (m == NULL)
		return WP_VTY_WARNING;
	if (json || wp_vty_arg(ctx, "xml"))
		text = mgmt_ds_print(m->running, json ? LYD_JSON : LYD_XML,
				     false);
	else if ((text = mgmt_render_cli_text(m, m->running, &e)) == NULL)
		text = mgmt_ds_print(m->running, LYD_JSON, false);
	wp_vty_puts(ctx, text);
	wp_free(MT_MGMT_TEXT, text);
	return WP_VTY_OK;
}

static int
show_diff(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	struct mgmt *m = vty_mgmt(ctx);
	const char *sid = wp_vty_arg(ctx, "(1-4294967295)");
	const struct mgmt_cand *c;
	struct mgmt_session *s;
	struct lyd_node *diff;
	char *text;

	if (m == NULL)
		return WP_VTY_WARNING;
	c = &m->shared;
	if (sid) {
		if ((s = mgmt_session_find(m, strtoull(sid, NULL, 10))) ==
		    NULL) {
			wp_vty_out(ctx, "%% No session %s\n", sid);
			return WP_VTY_WARNING;
		}
		c = &s->cand;
	}
	diff = c->dirty ? mgmt_ds_diff(c->base, c->tree) : NULL;
	text = json ? mgmt_ds_print(diff, LYD_JSON, false) :
		      mgmt_ds_diff_text(diff, NULL);
	wp_vty_puts(ctx, text);
	wp_free(MT_MGMT_TEXT, text);
	lyd_free_all(diff);
	return WP_VTY_OK;
}

static int
show_history(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	struct mgmt *m = vty_mgmt(ctx);
	char *text;

	if (m == NULL)
		return WP_VTY_WARNING;
	if (json) {
		wp_vty_json(ctx, mgmt_history_json(m));
		return WP_VTY_OK;
	}
	text = mgmt_history_text(m);
	wp_vty_puts(ctx, text);
	wp_free(MT_MGMT_TEXT, text);
	return WP_VTY_OK;
}

static int
show_commit(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	    bool json)
{
	struct mgmt *m = vty_mgmt(ctx);
	struct mgmt_commit *c;
	char *text, who[128];

	if (m == NULL)
		return WP_VTY_WARNING;
	c = mgmt_history_get(m, (uint32_t)atoi(wp_vty_arg(ctx, "(0-49)")));
	if (c == NULL) {
		wp_vty_out(ctx, "%% No such history entry (%zu kept)\n",
			   m->nhistory);
		return WP_VTY_WARNING;
	}
	if (json) {
		wp_vty_json(ctx, mgmt_commit_json(c));
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, "Commit %u by %s%s%s\n", c->id,
		   mgmt_who_str(&c->who, who, sizeof(who)),
		   c->comment[0] ? ": " : "", c->comment);
	text = mgmt_ds_diff_text_json(m, c->diff);
	wp_vty_puts(ctx, text);
	wp_free(MT_MGMT_TEXT, text);
	return WP_VTY_OK;
}

static int
show_mgmt(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	struct mgmt *m = vty_mgmt(ctx);
	json_object *top;
	struct mgmt_commit *last;
	size_t ndaemons = 0, nsessions = 0, queued = 0;
	struct mgmt_daemon *d;
	struct mgmt_session *s;
	struct mgmt_txn *t;

	if (m == NULL)
		return WP_VTY_WARNING;
	TAILQ_FOREACH(d, &m->daemons, entry)
		ndaemons++;
	TAILQ_FOREACH(s, &m->sessions, entry)
		nsessions++;
	TAILQ_FOREACH(t, &m->txns, entry)
		queued++;
	last = mgmt_history_get(m, 0);
	top = json_object_new_object();
	wp_json_add_str(top, "startupFile", m->startup_file ?
			m->startup_file : "");
	wp_json_add_str(top, "loadedFrom", m->loaded_from ?
			m->loaded_from : "");
	wp_json_add_str(top, "startupError", m->startup_error);
	wp_json_add_str(top, "stateDir", m->state_dir ? m->state_dir : "");
	wp_json_add_double(top, "commitTimeout", m->commit_timeout);
	wp_json_add_uint64(top, "daemons", ndaemons);
	wp_json_add_uint64(top, "sessions", nsessions);
	wp_json_add_uint64(top, "transactions", queued);
	wp_json_add_uint64(top, "lastCommit", last ? last->id : 0);
	wp_json_add_uint64(top, "historyEntries", m->nhistory);
	wp_json_add_bool(top, "confirmPending", m->confirm.pending);
	wp_json_add_double(top, "confirmRemaining", m->confirm.pending ?
			   wp_timer_remaining(&m->confirm.timer) : 0.0);
	wp_json_add_uint64(top, "sharedLockSession", m->lock_shared);
	wp_json_add_uint64(top, "runningLockSession", m->lock_running);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, "Startup file:     %s%s%s\n",
		   m->startup_file ? m->startup_file : "(none)",
		   m->loaded_from ? ", loaded from " : "",
		   m->loaded_from ? m->loaded_from : "");
	if (m->startup_error[0])
		wp_vty_out(ctx, "Startup error:    %s\n", m->startup_error);
	wp_vty_out(ctx, "History:          %zu commit%s, last %u (%s)\n",
		   m->nhistory, m->nhistory == 1 ? "" : "s",
		   last ? last->id : 0,
		   m->state_dir ? m->state_dir : "memory only");
	wp_vty_out(ctx, "Daemons:          %zu connected\n", ndaemons);
	wp_vty_out(ctx, "Sessions:         %zu\n", nsessions);
	wp_vty_out(ctx, "Transactions:     %zu in progress or queued\n",
		   queued);
	wp_vty_out(ctx, "Commit timeout:   %.3g s\n", m->commit_timeout);
	if (m->confirm.pending)
		wp_vty_out(ctx, "Confirmed commit: %u rolls back in %.0f s "
			   "unless confirmed\n", m->confirm.commit_id,
			   wp_timer_remaining(&m->confirm.timer));
	json_object_put(top);
	return WP_VTY_OK;
}

static int
show_daemons(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Daemon", "name", WP_TABLE_LEFT },
		{ "PID", "pid", WP_TABLE_RIGHT },
		{ "Synced", "synced", WP_TABLE_LEFT },
		{ "Commits", "commits", WP_TABLE_RIGHT },
		{ "Refusals", "refusals", WP_TABLE_RIGHT },
		{ "Uptime (s)", "uptimeSeconds", WP_TABLE_RIGHT },
		{ "Modules", "moduleList", WP_TABLE_LEFT },
		{ "Last refusal", "lastError", WP_TABLE_LEFT },
	};
	struct mgmt *m = vty_mgmt(ctx);
	struct mgmt_daemon *d;
	json_object *top, *arr;

	if (m == NULL)
		return WP_VTY_WARNING;
	top = json_object_new_object();
	arr = wp_json_add_array(top, "daemons");
	TAILQ_FOREACH(d, &m->daemons, entry) {
		json_object *row = wp_json_array_add_object(arr);
		json_object *mods = wp_json_add_array(row, "modules");
		char list[512] = "";

		for (size_t i = 0; i < d->nmodules; i++) {
			size_t used = strlen(list);

			json_object_array_add(mods, json_object_new_string(
					      d->modules[i]));
			snprintf(list + used, sizeof(list) - used, "%s%s",
				 used ? " " : "", d->modules[i]);
		}
		wp_json_add_str(row, "name", d->name);
		wp_json_add_int(row, "pid", d->pid);
		wp_json_add_bool(row, "synced", d->synced);
		wp_json_add_uint64(row, "commits", d->commits);
		wp_json_add_uint64(row, "refusals", d->refusals);
		wp_json_add_uint64(row, "uptimeSeconds", (uint64_t)
				   (wp_loop_now(m->loop) - d->since));
		wp_json_add_str(row, "moduleList", list);
		wp_json_add_str(row, "lastError", d->last_error);
	}
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

static int
show_sessions(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Session", "id", WP_TABLE_RIGHT },
		{ "User", "user", WP_TABLE_LEFT },
		{ "Client", "client", WP_TABLE_LEFT },
		{ "PID", "pid", WP_TABLE_RIGHT },
		{ "Candidate", "candidate", WP_TABLE_LEFT },
		{ "Locks", "locks", WP_TABLE_LEFT },
	};
	struct mgmt *m = vty_mgmt(ctx);
	struct mgmt_session *s;
	json_object *top, *arr;

	if (m == NULL)
		return WP_VTY_WARNING;
	top = json_object_new_object();
	arr = wp_json_add_array(top, "sessions");
	TAILQ_FOREACH(s, &m->sessions, entry) {
		json_object *row = wp_json_array_add_object(arr);

		wp_json_add_uint64(row, "id", s->id);
		wp_json_add_str(row, "user", s->who.user);
		wp_json_add_str(row, "client", s->who.client);
		wp_json_add_int(row, "pid", s->who.pid);
		wp_json_add_str(row, "candidate", s->cand.dirty ? "changed" :
				"clean");
		wp_json_add_strf(row, "locks", "%s%s%s",
				 m->lock_shared == s->id ? "shared" : "",
				 m->lock_shared == s->id &&
				 m->lock_running == s->id ? "," : "",
				 m->lock_running == s->id ? "running" : "");
	}
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

int
mgmt_vty_install(struct wp_vty *vty, struct mgmt **mp)
{
	static const struct {
		const char *tmpl, *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "show running-config [json|xml]",
		  WP_SHOW_STR "The running configuration, as configuration "
		  "text\n" WP_JSON_STR "YANG XML\n", show_running },
		{ "show configuration running [json|xml]",
		  WP_SHOW_STR CONFIG_STR "The running configuration\n"
		  WP_JSON_STR "YANG XML\n", show_running },
		{ "show configuration diff [session (1-4294967295)] [json]",
		  WP_SHOW_STR CONFIG_STR "Changes in a candidate, not yet "
		  "committed\n" "A session's private candidate (default: "
		  "the shared one)\n" "Session id (show mgmt sessions)\n"
		  WP_JSON_STR, show_diff },
		{ "show configuration history [json]",
		  WP_SHOW_STR CONFIG_STR "Commit history, newest first\n"
		  WP_JSON_STR, show_history },
		{ "show configuration commit (0-49) [json]",
		  WP_SHOW_STR CONFIG_STR "One history entry\n"
		  "Index: 0 is the latest commit\n" WP_JSON_STR,
		  show_commit },
		{ "show mgmt [json]",
		  WP_SHOW_STR MGMT_STR WP_JSON_STR, show_mgmt },
		{ "show mgmt daemons [json]",
		  WP_SHOW_STR MGMT_STR "Connected daemons\n" WP_JSON_STR,
		  show_daemons },
		{ "show mgmt sessions [json]",
		  WP_SHOW_STR MGMT_STR "Configuration sessions\n" WP_JSON_STR,
		  show_sessions },
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install_arg(vty, cmds[i].tmpl, cmds[i].help,
				       cmds[i].fn, mp) == -1)
			return -1;
	return 0;
}
