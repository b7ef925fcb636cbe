/*
 * vtysh_config.c: configuration modes and everything that talks to mgmtd.
 *
 * A configuration line goes through the CLI engine (lib/wp_cli), which
 * moves the mode position and gives YANG edits; the edits go to the
 * session's private candidate in mgmtd (wp_mgmt_session), and then:
 *
 *  - `configure terminal` (FRR's behaviour): each line is committed at
 *    once; a line mgmtd or a daemon refuses is discarded, the mode
 *    position goes back to where it was, and the error is shown;
 *  - `configure private` / `configure exclusive` (IOS-XR's): the edits
 *    wait in the private candidate until `commit`; `discard` drops them,
 *    `show configuration diff` shows them; exclusive also locks running
 *    so no other session commits meanwhile.  Leaving with changes not
 *    committed asks (on a terminal) or refuses (scripts).
 *
 * The engine's edits can carry `prune` (remove ancestors left with only
 * their keys: the last nexthop of a static route takes the route along).
 * mgmt.proto has no such field, so the pruned ancestors are worked out
 * here, on a copy of the candidate, and sent as removes of their own.
 *
 * The session itself, and the configuration as a whole (show
 * running-config, -f, -b), are in vtysh_mgmt.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtysh.h"
#include "wp_mgmt_session.h"
#include "wp_vty.h"
#include "wp_yang.h"

/* --- edits --------------------------------------------------------------- */

static bool
tree_has(struct vtysh *vt, struct lyd_node *tree, const char *xpath)
{
	struct lyd_node *n = NULL;

	if (tree == NULL)
		return false;
	if (lyd_find_path(tree, xpath, 0, &n) != LY_SUCCESS || n == NULL) {
		ly_err_clean(vt->yctx, NULL);
		return false;
	}
	return true;
}

/*
 * The ancestors the edits prune, as removes: the edits are applied to a
 * copy of the candidate, and for each remove the highest ancestor within
 * its prune count that is gone is removed too.  MT_STRING paths.
 */
static size_t
prunes(struct vtysh *vt, const struct wp_cli_result *r, char ***out)
{
	struct lyd_node *tree = NULL;
	char *err = NULL, **paths = NULL;
	size_t n = 0;
	bool any = false;

	*out = NULL;
	for (size_t i = 0; i < r->nedits; i++)
		any |= r->edits[i].op == WP_CLI_OP_REMOVE && r->edits[i].prune;
	if (!any || vt_get_tree(vt, WP_MGMT_GET_CANDIDATE, &tree) == -1)
		return 0;
	if (wp_cli_apply(vt->cli, &tree, r->edits, r->nedits, &err) == -1) {
		wp_free(MT_STRING, err);
		lyd_free_all(tree);
		return 0;
	}
	for (size_t i = 0; i < r->nedits; i++) {
		const struct wp_cli_edit *e = &r->edits[i];
		char *p, *gone = NULL;

		if (e->op != WP_CLI_OP_REMOVE || e->prune == 0)
			continue;
		p = wp_strdup(MT_STRING, e->xpath);
		for (unsigned int k = 0; k < e->prune; k++) {
			char *up = vt_xpath_parent(p);

			wp_free(MT_STRING, p);
			p = up;
			if (p == NULL || tree_has(vt, tree, p))
				break;
			wp_free(MT_STRING, gone);
			gone = wp_strdup(MT_STRING, p);
		}
		wp_free(MT_STRING, p);
		if (gone) {
			paths = wp_realloc(MT_VTYSH, paths,
					   (n + 1) * sizeof(*paths));
			paths[n++] = gone;
		}
	}
	lyd_free_all(tree);
	*out = paths;
	return n;
}

/* A line that leaves out an auto-increment key (`ip prefix-list NAME
 * permit ...`): numbered from the candidate, as FRR numbers it. */
static int
resolve_auto(struct vtysh *vt, struct wp_cli_result *r)
{
	struct lyd_node *tree = NULL;
	char *err = NULL;
	int rc;

	if (!wp_cli_result_auto(r))
		return 0;
	if (vt_get_tree(vt, WP_MGMT_GET_CANDIDATE, &tree) == -1)
		return -1;
	rc = wp_cli_resolve_auto(vt->cli, tree, r, &err);
	if (rc == -1) {
		vt_err(vt, "%s", err);
		wp_free(MT_STRING, err);
	}
	lyd_free_all(tree);
	return rc;
}

/* Send a line's edits to the private candidate. */
static int
send_edits(struct vtysh *vt, const struct wp_cli_result *r)
{
	struct wp_mgmt_result res = { 0 };
	struct wp_mgmt_edit *e;
	char **extra;
	size_t nextra, n = 0;
	int rc;

	nextra = prunes(vt, r, &extra);
	e = wp_calloc(MT_VTYSH, (r->nedits + nextra) * sizeof(*e));
	for (size_t i = 0; i < r->nedits; i++)
		e[n++] = (struct wp_mgmt_edit){
			(enum wp_mgmt_op)r->edits[i].op, r->edits[i].xpath,
			r->edits[i].value };
	for (size_t i = 0; i < nextra; i++)
		e[n++] = (struct wp_mgmt_edit){ WP_MGMT_OP_REMOVE, extra[i],
						NULL };
	/* In terminal mode a new session may take the line if mgmtd
	 * restarted: the private candidate held nothing. */
	for (int tries = 0; tries < 2; tries++) {
		rc = vt_session(vt) == -1 ? -1 :
		     wp_mgmt_session_edit(vt->sess, WP_MGMT_DS_PRIVATE, e, n,
					  &res);
		if (rc == 0 || vt->sess == NULL)
			break;
		if (tries > 0 || !vt_sess_stale(vt, &res)) {
			vt_sess_failed(vt, &res);
			break;
		}
		wp_mgmt_result_clear(&res);
	}
	wp_mgmt_result_clear(&res);
	for (size_t i = 0; i < nextra; i++)
		wp_free(MT_STRING, extra[i]);
	wp_free(MT_VTYSH, extra);
	wp_free(MT_VTYSH, e);
	return rc;
}

static bool
touches_hostname(const struct wp_cli_result *r)
{
	for (size_t i = 0; i < r->nedits; i++)
		if (strncmp(r->edits[i].xpath, "/waypoint-routing:system",
			    24) == 0)
			return true;
	return false;
}

/* Does the private candidate hold changes? (-1 when mgmtd is gone) */
static int
dirty(struct vtysh *vt)
{
	struct wp_mgmt_get_opts o = { .what = WP_MGMT_GET_DIFF,
				      .ds = WP_MGMT_DS_PRIVATE,
				      .fmt = WP_MGMT_FMT_TEXT };
	struct wp_mgmt_result res = { 0 };
	int rc;

	if (vt->sess == NULL)
		return 0;
	if (wp_mgmt_session_get(vt->sess, &o, &res) == -1) {
		vt_sess_failed(vt, &res);
		rc = -1;
	} else {
		rc = res.data && strspn(res.data, " \t\r\n") !=
				 strlen(res.data);
	}
	wp_mgmt_result_clear(&res);
	return rc;
}

/* --- modes --------------------------------------------------------------- */

int
vt_config_enter(struct vtysh *vt, enum vt_cfg_kind kind)
{
	struct wp_mgmt_result res = { 0 };

	if (vt->mode == VT_MODE_CONFIG) {
		vt_err(vt, "%% Already in configuration mode");
		return -1;
	}
	/* Start clean (what an earlier mode left is not this one's), on a
	 * new session if mgmtd restarted since the last one. */
	for (int tries = 0;; tries++) {
		if (vt_session(vt) == -1 || vt_engine(vt) == -1)
			return -1;
		if (wp_mgmt_session_discard(vt->sess, WP_MGMT_DS_PRIVATE,
					    &res) == 0)
			break;
		if (tries > 0 || !vt_sess_stale(vt, &res)) {
			vt_sess_failed(vt, &res);
			wp_mgmt_result_clear(&res);
			return -1;
		}
		wp_mgmt_result_clear(&res);
	}
	wp_mgmt_result_clear(&res);
	if (kind == VT_CFG_EXCLUSIVE &&
	    wp_mgmt_session_lock(vt->sess, WP_MGMT_DS_RUNNING, true,
				 &res) == -1) {
		vt_sess_failed(vt, &res);
		wp_mgmt_result_clear(&res);
		return -1;
	}
	wp_mgmt_result_clear(&res);
	vt->mode = VT_MODE_CONFIG;
	vt->cfg_kind = kind;
	wp_cli_pos_init(vt->cli, &vt->pos);
	return 0;
}

static void
config_leave(struct vtysh *vt)
{
	struct wp_mgmt_result res = { 0 };

	if (vt->cfg_kind == VT_CFG_EXCLUSIVE && vt->sess &&
	    wp_mgmt_session_lock(vt->sess, WP_MGMT_DS_RUNNING, false,
				 &res) == -1)
		vt_sess_failed(vt, &res);
	wp_mgmt_result_clear(&res);
	vt->mode = VT_MODE_EXEC;
	vt->cfg_kind = VT_CFG_TERMINAL;
	wp_cli_pos_clear(&vt->pos);
	vt_hostname_refresh(vt);
}

/*
 * Leaving a transactional mode: 0 to go, -1 to stay.  Changes not
 * committed are asked about on a terminal (commit, drop, or stay: the
 * default), refused otherwise.
 */
static int
leave_check(struct vtysh *vt)
{
	int d, ans;

	if (vt->cfg_kind == VT_CFG_TERMINAL || (d = dirty(vt)) == 0)
		return 0;
	if (d == -1)
		return vt->mode == VT_MODE_CONFIG ? -1 : 0;
	if (!vt->interactive) {
		vt_err(vt, "%% Uncommitted changes: commit or discard them "
		       "first");
		return -1;
	}
	ans = vt_ask(vt, "Uncommitted changes found, commit them before "
		     "exiting (yes/no/cancel)? [cancel]: ");
	if (ans == 'y')
		return vt_commit(vt, NULL, false, false);
	if (ans == -1)
		vt_err(vt, "%% No answer: uncommitted changes discarded");
	if (ans == 'n' || ans == -1) {
		if (wp_mgmt_session_discard(vt->sess, WP_MGMT_DS_PRIVATE,
					    NULL) == -1 && ans != -1)
			return -1;
		return 0;
	}
	return -1;
}

int
vt_config_eof(struct vtysh *vt)
{
	int d, rc = 0;

	if (vt->mode != VT_MODE_CONFIG)
		return 0;
	if (vt->cfg_kind != VT_CFG_TERMINAL) {
		if (vt->interactive) {
			if (leave_check(vt) == -1)
				return -1;
		} else if ((d = dirty(vt)) != 0) {
			vt_err(vt, "%% Uncommitted changes discarded");
			if (vt->sess)
				wp_mgmt_session_discard(vt->sess,
							WP_MGMT_DS_PRIVATE,
							NULL);
			rc = -1;
		}
	}
	if (vt->mode == VT_MODE_CONFIG)
		config_leave(vt);
	return rc;
}

/* Back to the mode the data path names (after a refused line). */
static void
pos_restore(struct vtysh *vt, const char *xpath)
{
	char *err = NULL;

	if (wp_cli_pos_set(vt->cli, &vt->pos, xpath, &err) == -1) {
		wp_free(MT_STRING, err);
		wp_cli_pos_init(vt->cli, &vt->pos);
	}
}

/* Where the caret goes: under word `word` of `line`. */
static void
caret(struct vtysh *vt, const char *line, size_t word)
{
	struct vt_words ws;

	if (!vt->interactive)
		return;
	vt_words_split(line, &ws);
	if (word < ws.n)
		printf("%*s^\n", (int)(vt->prompt_len + ws.off[word]), "");
	vt_words_free(&ws);
}

static int
engine_line(struct vtysh *vt, const char *line)
{
	struct wp_cli_result res;
	char *saved = wp_strdup(MT_VTYSH, wp_cli_pos_xpath(&vt->pos));
	int rc;

	rc = wp_cli_exec(vt->cli, &vt->pos, line, &res);
	if (rc != WP_CLI_OK) {
		caret(vt, line, res.word);
		vt_err(vt, "%s", res.msg);
		goto out;
	}
	if ((res.flags & WP_CLI_LEAVE) && leave_check(vt) == -1) {
		if (vt->mode == VT_MODE_CONFIG)
			pos_restore(vt, saved);
		rc = WP_VTY_WARNING;
		goto out;
	}
	if (res.nedits > 0 && vt->mode == VT_MODE_CONFIG) {
		if (vt_session(vt) == -1 || resolve_auto(vt, &res) == -1 ||
		    send_edits(vt, &res) == -1 ||
		    (vt->cfg_kind == VT_CFG_TERMINAL &&
		     vt_commit(vt, NULL, true, false) == -1)) {
			if (vt->mode == VT_MODE_CONFIG)
				pos_restore(vt, saved);
			rc = WP_VTY_ERR_FAILED;
			goto out;
		}
		if (vt->cfg_kind == VT_CFG_TERMINAL && touches_hostname(&res))
			vt_hostname_refresh(vt);
	}
	if ((res.flags & WP_CLI_LEAVE) && vt->mode == VT_MODE_CONFIG)
		config_leave(vt);
out:
	wp_cli_result_clear(&res);
	wp_free(MT_VTYSH, saved);
	return rc;
}

/* --- configuration-mode commands of vtysh's own -------------------------- */

static struct vtysh *
ctx_vt(struct wp_vty_cmd_ctx *ctx)
{
	return wp_vty_ctx_arg(ctx);
}

static int
cmd_commit(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	   bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	struct wp_mgmt_commit_opts o = { 0 };
	const char *mins = wp_vty_arg(ctx, "(1-65535)");
	const char *word = wp_vty_arg(ctx, "TEXT");

	o.check_only = wp_vty_arg(ctx, "check") != NULL;
	if (mins)
		o.confirm_timeout_ms = (uint32_t)strtoul(mins, NULL, 10) *
				       60000u;
	o.comment = vt->comment ? vt->comment : word;
	if (vt_session(vt) == -1 || vt_commit(vt, &o, false, true) == -1)
		return WP_VTY_ERR_FAILED;
	if (!o.check_only)
		vt_hostname_refresh(vt);
	return WP_VTY_OK;
}

static int
cmd_discard(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	    bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	struct wp_mgmt_result res = { 0 };
	int rc = WP_VTY_OK;

	if (vt_session(vt) == -1)
		return WP_VTY_ERR_FAILED;
	if (wp_mgmt_session_discard(vt->sess, WP_MGMT_DS_PRIVATE, &res) == -1) {
		vt_sess_failed(vt, &res);
		rc = WP_VTY_ERR_FAILED;
	}
	wp_mgmt_result_clear(&res);
	return rc;
}

/* A tree as configuration text (MT_STRING). */
static char *
render(struct vtysh *vt, struct lyd_node *tree)
{
	return wp_cli_render(vt->cli, tree, NULL);
}

static int
cmd_show_diff(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	struct lyd_node *run, *cand;
	char *a, *b, *d;

	if (vt_get_tree(vt, WP_MGMT_GET_RUNNING, &run) == -1)
		return WP_VTY_ERR_FAILED;
	if (vt_get_tree(vt, WP_MGMT_GET_CANDIDATE, &cand) == -1) {
		lyd_free_all(run);
		return WP_VTY_ERR_FAILED;
	}
	a = render(vt, run);
	b = render(vt, cand);
	d = vt_diff_lines(a, b);
	wp_vty_puts(ctx, d);
	wp_free(MT_STRING, a);
	wp_free(MT_STRING, b);
	wp_free(MT_STRING, d);
	lyd_free_all(run);
	lyd_free_all(cand);
	return WP_VTY_OK;
}

static int
cmd_show_candidate(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		   bool json)
{
	struct vtysh *vt = ctx_vt(ctx);
	struct lyd_node *cand;
	char *text;

	if (vt_get_tree(vt, WP_MGMT_GET_CANDIDATE, &cand) == -1)
		return WP_VTY_ERR_FAILED;
	text = json ? wp_yang_print(cand, LYD_JSON) : render(vt, cand);
	wp_vty_puts(ctx, text);
	wp_free(MT_STRING, text);
	lyd_free_all(cand);
	return WP_VTY_OK;
}

#define COMMIT_STR	"Commit the changes to the running configuration\n"
#define SHOW_CONF_STR	WP_SHOW_STR "This session's configuration\n"

int
vt_config_init(struct vtysh *vt)
{
	static const struct {
		const char *tmpl, *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "commit [check|confirmed (1-65535)] [comment TEXT]",
		  COMMIT_STR "Validate and ask the daemons, change nothing\n"
		  "Roll back unless confirmed by another commit in time\n"
		  "Minutes\n" "A comment for the commit history\n"
		  "The comment (the rest of the line)\n", cmd_commit },
		{ "discard",
		  "Drop the changes not committed yet\n", cmd_discard },
		{ "show configuration diff",
		  SHOW_CONF_STR "Changes not committed yet\n", cmd_show_diff },
		{ "show configuration candidate [json]",
		  SHOW_CONF_STR "The candidate: running plus the changes\n"
		  WP_JSON_STR, cmd_show_candidate },
	};

	vt->config_vty = wp_vty_new(vt->loop, "vtysh");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install_arg(vt->config_vty, cmds[i].tmpl,
				       cmds[i].help, cmds[i].fn, vt) == -1)
			return -1;
	return 0;
}

void
vt_config_fini(struct vtysh *vt)
{
	if (vt->mode == VT_MODE_CONFIG)
		config_leave(vt);
	wp_vty_free(vt->config_vty);
	vt->config_vty = NULL;
	if (vt->sess)
		wp_mgmt_session_close(vt->sess);
	vt->sess = NULL;
	wp_cli_pos_clear(&vt->pos);
	wp_cli_free(vt->cli);
	vt->cli = NULL;
	if (vt->yctx)
		wp_yang_ctx_free(vt->yctx);
	vt->yctx = NULL;
}

/* vtysh's own configuration-mode keywords, for the first word. */
static const char *const own_words[] = { "commit", "discard", "show" };

static void
add_cand(const char *word, const char *help, void *arg)
{
	vt_cands_add(arg, word, help);
}

/* Is the first word one of vtysh's own?  Exact, or a prefix of ours
 * that is no prefix of an engine command here. */
static bool
own_first_word(struct vtysh *vt, const char *w)
{
	struct vt_cands cs = { 0 };
	size_t len = strlen(w), nk;
	bool ours = false;
	char *common;

	for (size_t i = 0; i < sizeof(own_words) / sizeof(own_words[0]); i++) {
		if (strcmp(own_words[i], w) == 0)
			return true;
		ours |= strncmp(own_words[i], w, len) == 0;
	}
	if (!ours)
		return false;
	wp_cli_complete(vt->cli, &vt->pos, w, add_cand, &cs, NULL);
	common = vt_cands_common(&cs, w, &nk);
	wp_free(MT_STRING, common);
	vt_cands_free(&cs);
	return nk == 0;
}

/*
 * `commit ... comment TEXT`: the comment is the rest of the line, which
 * the vty matcher (one word per token) cannot take; keep it aside and
 * give the matcher its first word.
 */
static char *
take_comment(struct vtysh *vt, const char *line)
{
	struct vt_words ws;
	char *out = NULL;

	vt_words_split(line, &ws);
	for (size_t i = 1; i + 1 < ws.n && out == NULL; i++) {
		size_t len = strlen(ws.w[i]);

		if (len >= 3 && strncmp("comment", ws.w[i], len) == 0) {
			char *head = vt_words_join(&ws, 0, i + 1);
			struct vt_buf b = { 0 };

			wp_free(MT_STRING, vt->comment);
			vt->comment = vt_words_join(&ws, i + 1, ws.n);
			vt_buf_printf(&b, "%s %s", head, ws.w[i + 1]);
			out = vt_buf_take(&b);
			wp_free(MT_STRING, head);
		}
	}
	vt_words_free(&ws);
	return out ? out : wp_strdup(MT_STRING, line);
}

static int
own_line(struct vtysh *vt, const char *line)
{
	char *l = take_comment(vt, line), *out = NULL;
	int status;

	status = wp_vty_exec(vt->config_vty, l, &out);
	wp_free(MT_STRING, vt->comment);
	vt->comment = NULL;
	if (status == WP_VTY_ERR_NO_MATCH || status == WP_VTY_ERR_INCOMPLETE) {
		struct vt_words ws;
		bool show;

		vt_words_split(line, &ws);
		show = ws.n > 0 && strncmp("show", ws.w[0],
					   strlen(ws.w[0])) == 0;
		vt_words_free(&ws);
		if (show) {
			/* Any other show command: as in exec mode. */
			wp_free(MT_STRING, out);
			wp_free(MT_STRING, l);
			return vt_exec_line(vt, line);
		}
	}
	if (status == WP_VTY_OK || status == WP_VTY_WARNING)
		vt_out(vt, out);
	else if (out && *out)
		vt_mgmt_msg(vt, out, true);
	wp_free(MT_STRING, out);
	wp_free(MT_STRING, l);
	return status;
}

int
vt_config_line(struct vtysh *vt, const char *line)
{
	struct vt_words ws;
	int rc;

	vt_words_split(line, &ws);
	if (ws.n == 0 || ws.w[0][0] == '!' || ws.w[0][0] == '#') {
		rc = WP_VTY_OK;
	} else if (strcmp(ws.w[0], "do") == 0) {
		rc = ws.n > 1 ? vt_exec_line(vt, line + ws.off[1]) :
				WP_VTY_ERR_INCOMPLETE;
		if (ws.n == 1)
			vt_err(vt, "%% Incomplete command: expected an exec "
			       "command after 'do'");
	} else if (own_first_word(vt, ws.w[0])) {
		rc = own_line(vt, line);
	} else {
		rc = engine_line(vt, line);
	}
	vt_words_free(&ws);
	return rc;
}

int
vt_config_complete(struct vtysh *vt, const char *line, struct vt_cands *cs,
		   char **err)
{
	struct vt_words ws;
	char *e = NULL;
	int rc = 0;

	*err = NULL;
	vt_words_split(line, &ws);
	if (ws.n > 0 && (ws.n > 1 || ws.trailing_blank) &&
	    strcmp(ws.w[0], "do") == 0) {
		rc = vt_exec_complete(vt, line + ws.off[0] + 2, cs, err);
		vt_words_free(&ws);
		return rc;
	}
	if (ws.n > 0 && (ws.n > 1 || ws.trailing_blank) &&
	    own_first_word(vt, ws.w[0])) {
		struct vt_target t;

		vt_target_local(&t, "vtysh", vt->config_vty, true);
		rc = vt_complete(&t, 1, line, cs, err);
		vt_words_free(&ws);
		return rc;
	}
	if (wp_cli_complete(vt->cli, &vt->pos, line, add_cand, cs,
			    &e) != WP_CLI_OK) {
		*err = e;
		rc = -1;
	} else {
		wp_free(MT_STRING, e);
	}
	if (ws.n <= 1 && !(ws.n == 1 && ws.trailing_blank)) {
		const char *w = ws.n ? ws.w[0] : "";

		for (size_t i = 0; i < sizeof(own_words) / sizeof(own_words[0]);
		     i++)
			if (strncmp(own_words[i], w, strlen(w)) == 0)
				vt_cands_add(cs, own_words[i],
					     i == 0 ? "Commit the changes" :
					     i == 1 ? "Drop the changes not "
						      "committed yet" :
					     "Show running system information");
		if (strncmp("do", w, strlen(w)) == 0)
			vt_cands_add(cs, "do", "Run an exec command");
		if (rc == -1 && cs->n > 0) {
			wp_free(MT_STRING, *err);
			*err = NULL;
			rc = 0;
		}
	}
	vt_cands_sort(cs);
	vt_words_free(&ws);
	return rc;
}
