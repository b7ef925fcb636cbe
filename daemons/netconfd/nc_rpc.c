/*
 * nc_rpc.c: the NETCONF operations, as wp_mgmt_session requests.
 *
 *	NETCONF			mgmtd
 *	<candidate/>		the shared candidate (WP_MGMT_DS_SHARED)
 *	<running/>		running (WP_MGMT_DS_RUNNING)
 *	<get-config>		GetRequest RUNNING/CANDIDATE as JSON, turned
 *				into the XML reply by libyang
 *	<edit-config>		EditRequest (nc_edit.c), or a LoadRequest
 *				replacing the candidate (default-operation
 *				replace)
 *	<commit>		CommitRequest, confirm_timeout_ms (§8.4)
 *	<cancel-commit>		CancelCommitRequest
 *	<discard-changes>	DiscardRequest
 *	<validate>		ValidateRequest
 *	<lock>/<unlock>		LockRequest
 *	<get>			running, and the state of the daemons that
 *				run: their show ... json on their vty socket,
 *				as YANG state nodes (nc_oper.c)
 *	<filter>		subtree filters, applied here (nc_filter.c)
 *
 * Each NETCONF session has its own mgmtd session, opened on its first
 * RPC under the SSH user's name and closed with the NETCONF session;
 * mgmtd drops the session's locks then (RFC 6241 §7.5: a lock ends with
 * the session).  A confirmed commit does not depend on the session
 * staying: mgmtd rolls back when its timer fires.
 *
 * mgmtd's answers become <rpc-error>s (RFC 6241 §4.3): its status picks
 * the error-tag, its message is the error-message and the node it names
 * the error-path (a data path with module names as prefixes, as libyang
 * prints it: /waypoint-interface:interfaces/interface[name='eth0']/mtu).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nc_oper.h"
#include "netconfd.h"
#include "wp_log.h"
#include "wp_mem.h"
#include "wp_vty.h"
#include "wp_yang.h"

/* --- errors --------------------------------------------------------------- */

static struct nc_server_reply *
reply_err(NC_ERR tag, const char *path, const char *msg)
{
	struct ly_ctx *ctx = ncd_global->ctx;
	struct lyd_node *e;

	switch (tag) {
	case NC_ERR_LOCK_DENIED:
		e = nc_err(ctx, tag, (uint32_t)0);
		break;
	case NC_ERR_DATA_EXISTS:
	case NC_ERR_DATA_MISSING:
	case NC_ERR_MALFORMED_MSG:
		e = nc_err(ctx, tag);
		break;
	case NC_ERR_OP_NOT_SUPPORTED:
		e = nc_err(ctx, tag, NC_ERR_TYPE_PROT);
		break;
	default:
		e = nc_err(ctx, tag, NC_ERR_TYPE_APP);
		break;
	}
	if (e == NULL)
		return NULL;
	if (path && *path)
		nc_err_set_path(e, path);
	if (msg && *msg)
		nc_err_set_msg(e, msg, "en");
	return nc_server_reply_err(e);
}

/* mgmtd's status to an error-tag (RFC 6241 Appendix A). */
static NC_ERR
status_tag(int status, bool locking)
{
	switch (status) {
	case WP_MGMT_ST_INVALID:
		return NC_ERR_INVALID_VALUE;
	case WP_MGMT_ST_EXISTS:
		return NC_ERR_DATA_EXISTS;
	case WP_MGMT_ST_MISSING:
	case WP_MGMT_ST_NOT_FOUND:
		return NC_ERR_DATA_MISSING;
	case WP_MGMT_ST_LOCKED:
		/* §7.5: lock-denied for <lock>; in-use for an operation a
		 * lock held by another session stops. */
		return locking ? NC_ERR_LOCK_DENIED : NC_ERR_IN_USE;
	case WP_MGMT_ST_UNSUPPORTED:
		return NC_ERR_OP_NOT_SUPPORTED;
	default:
		return NC_ERR_OP_FAILED;
	}
}

static struct nc_server_reply *
reply_mgmt(const struct wp_mgmt_result *res, bool locking)
{
	return reply_err(status_tag(res->status, locking), res->xpath,
			 res->message ? res->message :
			 wp_mgmt_status_name(res->status));
}

/* --- sessions ------------------------------------------------------------- */

void
ncd_sess_free(struct nc_session *session)
{
	struct ncd_sess *s = nc_session_get_data(session);

	if (s == NULL)
		return;
	if (s->ms)
		wp_mgmt_session_close(s->ms);
	wp_free(MT_NETCONF, s);
	nc_session_set_data(session, NULL);
}

static struct wp_mgmt_session *
sess_mgmt(struct nc_session *session, struct nc_server_reply **reply)
{
	struct ncd_sess *s = nc_session_get_data(session);
	char err[512];

	if (s == NULL) {
		s = wp_calloc(MT_NETCONF, sizeof(*s));
		nc_session_set_data(session, s);
	}
	if (s->ms == NULL) {
		s->ms = wp_mgmt_session_open(ncd_global->loop,
					     ncd_global->rundir, "netconf",
					     nc_session_get_username(session),
					     err, sizeof(err));
		if (s->ms == NULL) {
			wp_log_warnx("netconf session %u: %s",
				     nc_session_get_id(session), err);
			*reply = reply_err(NC_ERR_OP_FAILED, NULL, err);
			return NULL;
		}
	}
	return s->ms;
}

/* A session mgmtd lost stays lost: open a new one on the next RPC. */
static void
sess_check(struct nc_session *session, const struct wp_mgmt_result *res)
{
	struct ncd_sess *s = nc_session_get_data(session);

	if (s && s->ms && res->status == WP_MGMT_ST_IO) {
		wp_mgmt_session_close(s->ms);
		s->ms = NULL;
	}
}

/* --- helpers -------------------------------------------------------------- */

static bool
has(const struct lyd_node *rpc, const char *path)
{
	return lyd_find_path(rpc, path, 0, NULL) == LY_SUCCESS;
}

static const char *
leaf_value(const struct lyd_node *rpc, const char *path)
{
	struct lyd_node *n;

	if (lyd_find_path(rpc, path, 0, &n) != LY_SUCCESS)
		return NULL;
	return lyd_get_value(n);
}

/* The output of `rpc` with `data` (consumed, may be NULL) as its anyxml
 * "data". */
static struct nc_server_reply *
reply_data(struct lyd_node *rpc, struct lyd_node *data)
{
	struct lyd_node *out = NULL;

	if (lyd_dup_single(rpc, NULL, 0, &out) != LY_SUCCESS ||
	    lyd_new_any(out, NULL, "data", data, 1, LYD_ANYDATA_DATATREE, 1,
			NULL) != LY_SUCCESS) {
		lyd_free_all(out);
		lyd_free_all(data);
		return reply_err(NC_ERR_OP_FAILED, NULL,
				 "cannot build the reply");
	}
	return nc_server_reply_data(out, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

/* Parse XML (a <config> or filter body) without validation; -1 with the
 * reply set on error. */
static int
parse_xml(const char *xml, uint32_t opts, struct lyd_node **tree,
	  struct nc_server_reply **reply)
{
	struct ly_ctx *ctx = ncd_global->ctx;
	struct wp_yang_err *errs = NULL;
	size_t n;

	*tree = NULL;
	if (lyd_parse_data_mem(ctx, xml, LYD_XML, opts, 0, tree) ==
	    LY_SUCCESS)
		return 0;
	n = wp_yang_errors_take(ctx, NULL, &errs);
	*reply = reply_err(NC_ERR_INVALID_VALUE, n ? errs[0].path : NULL,
			   n ? errs[0].msg : "cannot parse the configuration");
	wp_yang_errors_free(errs, n);
	lyd_free_all(*tree);
	*tree = NULL;
	return -1;
}

/* The body of an anyxml parameter as text; NULL if absent. */
static char *
any_text(const struct lyd_node *rpc, const char *name)
{
	struct lyd_node *n;
	char *s = NULL;

	if (lyd_find_path(rpc, name, 0, &n) != LY_SUCCESS)
		return NULL;
	if (lyd_any_value_str(n, &s) != LY_SUCCESS || s == NULL)
		return strdup("");
	wp_log_debugx("netconf %s: %s", name, s);
	return s;
}

/* --- <get-config>, <get> --------------------------------------------------- */

/* The filter of a <get>/<get-config>, parsed; -1 with the reply set
 * when it cannot be used.  No <filter>: *present is false. */
static int
get_filter(struct lyd_node *rpc, bool *present, struct lyd_node **filter,
	   struct nc_server_reply **reply)
{
	struct lyd_node *n;
	struct lyd_node_any *any;
	struct lyd_meta *type;
	char *xml, err[512];
	int rc;

	*present = false;
	*filter = NULL;
	if (lyd_find_path(rpc, "filter", 0, &n) != LY_SUCCESS)
		return 0;
	*present = true;
	/* §6.1: type defaults to subtree; xpath needs :xpath, which is
	 * not advertised. */
	type = lyd_find_meta(n->meta, NULL, "ietf-netconf:type");
	if (type && strcmp(lyd_get_meta_value(type), "subtree") != 0) {
		*reply = reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				   "only subtree filters are supported");
		return -1;
	}
	any = (struct lyd_node_any *)n;
	if (any->value_type == LYD_ANYDATA_DATATREE) {
		/* Already parsed with the RPC: opaque nodes. */
		if (any->value.tree == NULL)
			return 0;
		if (lyd_dup_siblings(any->value.tree, NULL,
				     LYD_DUP_RECURSIVE, filter) != LY_SUCCESS) {
			*reply = reply_err(NC_ERR_OP_FAILED, NULL,
					   "cannot copy the filter");
			return -1;
		}
		return 0;
	}
	xml = any_text(rpc, "filter");
	rc = ncd_filter_parse(ncd_global->ctx, xml ? xml : "", filter, err,
			      sizeof(err));
	free(xml);
	if (rc == -1) {
		wp_log_warnx("netconf: %s", err);
		*reply = reply_err(NC_ERR_MALFORMED_MSG, NULL, err);
	}
	return rc;
}

/* --- state for <get> --------------------------------------------------------- */

#define OPER_MAX	16	/* sources, and so daemons, at most */

/* The vty connection to one daemon, for one <get>. */
struct oper_conn {
	const char *daemon;
	struct wp_vty_client *c;	/* NULL: not running or gave up */
};

static struct oper_conn *
oper_connect(struct oper_conn *conns, size_t *n, const char *daemon)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(conns[i].daemon, daemon) == 0)
			return &conns[i];
	conns[i].daemon = daemon;
	snprintf(path, sizeof(path), "%s/%s.vty", ncd_global->rundir, daemon);
	conns[i].c = wp_vty_client_connect(path);
	if (conns[i].c)
		wp_vty_client_set_timeout(conns[i].c, NCD_OPER_TIMEOUT);
	else
		wp_log_debugx("netconf <get>: %s: %s, no state from it", path,
			      strerror(errno));
	(*n)++;
	return &conns[i];
}

/*
 * src's state added to *state.  A daemon that fails or is slow is left
 * out, and not asked again in this <get> (its connection is closed):
 * its state is not there, nothing else changes.
 */
static void
oper_fetch(const struct ncd_oper_src *src, const char *cmd,
	   struct oper_conn *conn, struct lyd_node **state, bool *warned)
{
	char *out = NULL, err[256];
	size_t dropped = 0;
	int status;

	wp_log_debugx("netconf <get>: %s: %s", src->daemon, cmd);
	if (wp_vty_client_exec(conn->c, cmd, &status, &out) == -1) {
		wp_log_warn("netconf <get>: %s: %s", src->daemon, cmd);
		wp_vty_client_close(conn->c);
		conn->c = NULL;
		return;
	}
	if (status != WP_VTY_OK) {
		wp_log_warnx("netconf <get>: %s: %s: %s", src->daemon, cmd,
			     out);
		goto out;
	}
	/* Once per source: the same output comes every time. */
	if (ncd_oper_convert(ncd_global->ctx, src, out, state, &dropped, err,
			     sizeof(err)) == -1)
		wp_log_warnx("netconf <get>: %s: %s", src->daemon, err);
	else if (dropped && !*warned)
		wp_log_warnx("netconf <get>: %s: %s: %zu value(s) left out; "
			     "first: %s", src->daemon, src->command, dropped,
			     err);
	*warned = *warned || dropped;
out:
	wp_free(MT_STRING, out);
}

/* The state the filter (NULL: none) may select, as one tree. */
static struct lyd_node *
oper_state(const struct lyd_node *filter)
{
	static bool warned[OPER_MAX];
	struct oper_conn conns[OPER_MAX];
	struct lyd_node *state = NULL;
	size_t nconns = 0;

	for (size_t i = 0; i < ncd_oper_nsrcs && i < OPER_MAX; i++) {
		const struct ncd_oper_src *src = &ncd_oper_srcs[i];
		struct oper_conn *conn;
		char cmd[WP_VTY_LINE_MAX];

		if (!ncd_oper_wanted(ncd_global->ctx, filter, src) ||
		    ncd_oper_command(ncd_global->ctx, filter, src, cmd,
				     sizeof(cmd)) == -1)
			continue;
		conn = oper_connect(conns, &nconns, src->daemon);
		if (conn->c)
			oper_fetch(src, cmd, conn, &state, &warned[i]);
	}
	for (size_t i = 0; i < nconns; i++)
		wp_vty_client_close(conns[i].c);
	return state;
}

/*
 * Running plus state, checked as a whole (the modules that have data:
 * LYD_VALIDATE_PRESENT); -1 with the reply set when it does not hold.
 */
static int
oper_merge(struct lyd_node **tree, const struct lyd_node *filter,
	   struct nc_server_reply **reply)
{
	struct lyd_node *state = oper_state(filter);
	char *m;

	if (state == NULL)
		return 0;
	if (*tree == NULL) {
		*tree = state;
	} else if (lyd_merge_siblings(tree, state, LYD_MERGE_DESTRUCT) !=
		   LY_SUCCESS) {
		lyd_free_siblings(state);
		goto out_err;
	}
	if (lyd_validate_all(tree, NULL, LYD_VALIDATE_PRESENT, NULL) ==
	    LY_SUCCESS)
		return 0;
out_err:
	m = wp_yang_errmsg(ncd_global->ctx, NULL);
	wp_log_warnx("netconf <get>: configuration and state: %s", m);
	*reply = reply_err(NC_ERR_OP_FAILED, NULL, m);
	wp_free(MT_STRING, m);
	return -1;
}

static struct nc_server_reply *
get_ds(struct lyd_node *rpc, struct nc_session *session,
       enum wp_mgmt_get what, bool state)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms = sess_mgmt(session, &reply);
	struct wp_mgmt_get_opts go = {
		.what = what, .ds = WP_MGMT_DS_SHARED, .fmt = WP_MGMT_FMT_JSON,
	};
	struct wp_mgmt_result res = { 0 };
	struct lyd_node *tree = NULL, *filter = NULL, *sel = NULL;
	bool filtered;

	if (ms == NULL)
		return reply;
	if (get_filter(rpc, &filtered, &filter, &reply) == -1)
		return reply;
	/* An empty filter selects nothing (RFC 6241 §6.4.2). */
	if (filtered && filter == NULL)
		return reply_data(rpc, NULL);
	if (wp_mgmt_session_get(ms, &go, &res) == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, false);
		goto out;
	}
	if (lyd_parse_data_mem(ncd_global->ctx, res.data ? res.data : "{}",
			       LYD_JSON, LYD_PARSE_ONLY | LYD_PARSE_STRICT, 0,
			       &tree) != LY_SUCCESS) {
		char *m = wp_yang_errmsg(ncd_global->ctx, NULL);

		wp_log_warnx("netconf: mgmtd's configuration does not parse: "
			     "%s", m);
		reply = reply_err(NC_ERR_OP_FAILED, NULL, m);
		wp_free(MT_STRING, m);
		goto out;
	}
	/* RFC 6241 §7.7: <get> is configuration and state. */
	if (state && oper_merge(&tree, filtered ? filter : NULL,
				&reply) == -1)
		goto out;
	if (filtered) {
		if (ncd_filter_apply(filter, tree, &sel) == -1) {
			reply = reply_err(NC_ERR_OP_FAILED, NULL,
					  "cannot apply the filter");
			goto out;
		}
		lyd_free_all(tree);
		tree = sel;
	}
	reply = reply_data(rpc, tree);
	tree = NULL;
out:
	lyd_free_all(tree);
	lyd_free_all(filter);
	wp_mgmt_result_clear(&res);
	return reply;
}

static struct nc_server_reply *
rpc_get_config(struct lyd_node *rpc, struct nc_session *session)
{
	return get_ds(rpc, session, has(rpc, "source/candidate") ?
		      WP_MGMT_GET_CANDIDATE : WP_MGMT_GET_RUNNING, false);
}

static struct nc_server_reply *
rpc_get(struct lyd_node *rpc, struct nc_session *session)
{
	return get_ds(rpc, session, WP_MGMT_GET_RUNNING, true);
}

/* --- <edit-config> ---------------------------------------------------------- */

static struct nc_server_reply *
rpc_edit_config(struct lyd_node *rpc, struct nc_session *session)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms;
	struct wp_mgmt_result res = { 0 };
	struct ncd_edits edits = { 0 };
	struct lyd_node *tree = NULL;
	const char *defop = leaf_value(rpc, "default-operation");
	const char *test = leaf_value(rpc, "test-option");
	char *xml, err[512];
	int rc;

	if (!has(rpc, "target/candidate"))
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "only the candidate can be edited");
	if (test && strcmp(test, "test-only") == 0)
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "test-option test-only is not supported");
	xml = any_text(rpc, "config");
	if (xml == NULL)
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "only inline <config> is supported");
	ms = sess_mgmt(session, &reply);
	if (ms == NULL)
		goto out;
	/* Opaque: what libyang cannot take goes to mgmtd as it is, for
	 * mgmtd's precise error (or because a value does not matter: a
	 * leaf to delete may be empty). */
	if (parse_xml(xml, LYD_PARSE_ONLY | LYD_PARSE_OPAQ |
		      LYD_PARSE_NO_STATE, &tree, &reply) == -1)
		goto out;

	if (defop && strcmp(defop, "replace") == 0) {
		/* §7.2: the new configuration completely replaces the
		 * candidate. */
		char *text;

		ncd_strip_operations(ncd_global->ctx, tree);
		text = wp_yang_print(tree, LYD_XML);
		rc = wp_mgmt_session_load(ms, WP_MGMT_DS_SHARED,
					  WP_MGMT_FMT_XML, true, text,
					  "edit-config", &res);
		wp_free(MT_STRING, text);
	} else {
		if (ncd_edits_from_tree(ncd_global->ctx, tree,
					defop ? defop : "merge", &edits, err,
					sizeof(err)) == -1) {
			reply = reply_err(NC_ERR_INVALID_VALUE, NULL, err);
			goto out;
		}
		rc = edits.n ? wp_mgmt_session_edit(ms, WP_MGMT_DS_SHARED,
						    edits.v, edits.n, &res) : 0;
	}
	if (rc == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, false);
	} else {
		reply = nc_server_reply_ok();
	}
out:
	wp_mgmt_result_clear(&res);
	ncd_edits_free(&edits);
	lyd_free_all(tree);
	free(xml);
	return reply;
}

/* --- candidate operations ---------------------------------------------------- */

static struct nc_server_reply *
rpc_commit(struct lyd_node *rpc, struct nc_session *session)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms = sess_mgmt(session, &reply);
	struct wp_mgmt_commit_opts opts = { .comment = "netconf" };
	struct wp_mgmt_result res = { 0 };
	const char *t;

	if (ms == NULL)
		return reply;
	if (has(rpc, "persist") || has(rpc, "persist-id"))
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "persistent confirmed commits are not "
				 "supported");
	if (has(rpc, "confirmed")) {
		/* §8.4.5.1: confirm-timeout defaults to 600 seconds. */
		unsigned long secs = 600;

		t = leaf_value(rpc, "confirm-timeout");
		if (t)
			secs = strtoul(t, NULL, 10);
		if (secs == 0 || secs > UINT32_MAX / 1000)
			return reply_err(NC_ERR_INVALID_VALUE,
					 "/ietf-netconf:commit/confirm-timeout",
					 "confirm-timeout out of range");
		opts.confirm_timeout_ms = (uint32_t)(secs * 1000);
	}
	if (wp_mgmt_session_commit(ms, WP_MGMT_DS_SHARED, &opts, &res) == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, false);
	} else {
		reply = nc_server_reply_ok();
	}
	wp_mgmt_result_clear(&res);
	return reply;
}

static struct nc_server_reply *
rpc_cancel_commit(struct lyd_node *rpc, struct nc_session *session)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms = sess_mgmt(session, &reply);
	struct wp_mgmt_result res = { 0 };

	if (ms == NULL)
		return reply;
	if (has(rpc, "persist-id"))
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "persistent confirmed commits are not "
				 "supported");
	if (wp_mgmt_session_cancel_commit(ms, &res) == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, false);
	} else {
		reply = nc_server_reply_ok();
	}
	wp_mgmt_result_clear(&res);
	return reply;
}

static struct nc_server_reply *
rpc_discard(struct lyd_node *rpc, struct nc_session *session)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms = sess_mgmt(session, &reply);
	struct wp_mgmt_result res = { 0 };

	if (ms == NULL)
		return reply;
	if (wp_mgmt_session_discard(ms, WP_MGMT_DS_SHARED, &res) == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, false);
	} else {
		reply = nc_server_reply_ok();
	}
	wp_mgmt_result_clear(&res);
	return reply;
}

static struct nc_server_reply *
rpc_validate(struct lyd_node *rpc, struct nc_session *session)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms = sess_mgmt(session, &reply);
	struct wp_mgmt_result res = { 0 };
	char *xml;

	if (ms == NULL)
		return reply;
	xml = any_text(rpc, "source/config");
	if (xml) {
		/* §8.6.4.1: a whole configuration given inline. */
		struct lyd_node *tree = NULL;
		char *err = NULL;

		if (parse_xml(xml, LYD_PARSE_ONLY | LYD_PARSE_STRICT |
			      LYD_PARSE_NO_STATE, &tree, &reply) == 0) {
			if (wp_yang_validate(ncd_global->ctx, &tree, &err) == -1)
				reply = reply_err(NC_ERR_INVALID_VALUE, NULL,
						  err);
			else
				reply = nc_server_reply_ok();
		}
		wp_free(MT_STRING, err);
		lyd_free_all(tree);
		free(xml);
		return reply;
	}
	if (wp_mgmt_session_validate(ms, has(rpc, "source/running") ?
				     WP_MGMT_DS_RUNNING : WP_MGMT_DS_SHARED,
				     &res) == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, false);
	} else {
		reply = nc_server_reply_ok();
	}
	wp_mgmt_result_clear(&res);
	return reply;
}

static struct nc_server_reply *
rpc_lock(struct lyd_node *rpc, struct nc_session *session, bool lock)
{
	struct nc_server_reply *reply = NULL;
	struct wp_mgmt_session *ms = sess_mgmt(session, &reply);
	struct wp_mgmt_result res = { 0 };
	enum wp_mgmt_ds ds;

	if (ms == NULL)
		return reply;
	if (has(rpc, "target/running"))
		ds = WP_MGMT_DS_RUNNING;
	else if (has(rpc, "target/candidate"))
		ds = WP_MGMT_DS_SHARED;
	else
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "no such datastore");
	if (wp_mgmt_session_lock(ms, ds, lock, &res) == -1) {
		sess_check(session, &res);
		reply = reply_mgmt(&res, true);
	} else {
		reply = nc_server_reply_ok();
	}
	wp_mgmt_result_clear(&res);
	return reply;
}

/* --- sessions --------------------------------------------------------------- */

static struct nc_server_reply *
rpc_kill_session(struct lyd_node *rpc, struct nc_session *session)
{
	const char *v = leaf_value(rpc, "session-id");
	uint32_t sid = v ? (uint32_t)strtoul(v, NULL, 10) : 0;
	struct nc_pollsession *ps = ncd_global->ps;

	/* §7.9: killing one's own session is an invalid-value. */
	if (sid == nc_session_get_id(session))
		return reply_err(NC_ERR_INVALID_VALUE,
				 "/ietf-netconf:kill-session/session-id",
				 "use <close-session> to end this session");
	for (uint16_t i = 0; i < nc_ps_session_count(ps); i++) {
		struct nc_session *s = nc_ps_get_session(ps, i);

		if (s && nc_session_get_id(s) == sid) {
			nc_session_set_term_reason(s, NC_SESSION_TERM_KILLED);
			nc_session_set_killed_by(s, nc_session_get_id(session));
			nc_session_set_status(s, NC_STATUS_INVALID);
			return nc_server_reply_ok();
		}
	}
	return reply_err(NC_ERR_INVALID_VALUE,
			 "/ietf-netconf:kill-session/session-id",
			 "no such session");
}

/* --- <get-schema> (RFC 6022 §3.1) --------------------------------------------- */

/* A whole file, malloc()ed; NULL if it cannot be read. */
static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) == -1) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static char *
xml_escape(const char *s)
{
	size_t n = 1;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : 1;
	o = out = wp_malloc(MT_STRING, n);
	for (const char *p = s; *p; p++) {
		const char *r = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" :
				*p == '>' ? "&gt;" : NULL;

		if (r) {
			memcpy(o, r, strlen(r));
			o += strlen(r);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static struct nc_server_reply *
rpc_get_schema(struct lyd_node *rpc, struct nc_session *session)
{
	const char *id = leaf_value(rpc, "identifier");
	const char *version = leaf_value(rpc, "version");
	const char *format = leaf_value(rpc, "format");
	const struct lys_module *mod = NULL;
	struct lyd_node *out = NULL;
	LYS_OUTFORMAT fmt = LYS_OUT_YANG;
	char *text = NULL, *xml;

	if (format && strstr(format, "yin"))
		fmt = LYS_OUT_YIN;
	else if (format && !strstr(format, "yang"))
		return reply_err(NC_ERR_INVALID_VALUE, NULL,
				 "only YANG and YIN formats are available");
	if (version && *version)
		mod = ly_ctx_get_module(ncd_global->ctx, id, version);
	else
		mod = ly_ctx_get_module_implemented(ncd_global->ctx, id);
	if (mod == NULL && !(version && *version))
		mod = ly_ctx_get_module_latest(ncd_global->ctx, id);
	if (mod == NULL)
		return reply_err(NC_ERR_INVALID_VALUE, NULL,
				 "no such schema");
	/* YANG: the module's own file, as written (libyang 2.1 prints
	 * extension instances of waypoint-cli with garbage bytes). */
	if (fmt == LYS_OUT_YANG && mod->filepath)
		text = read_file(mod->filepath);
	if (text == NULL && lys_print_mem(&text, mod, fmt, 0) != LY_SUCCESS)
		return reply_err(NC_ERR_OP_FAILED, NULL,
				 "cannot print the schema");
	/* The text goes as escaped XML: an LYD_ANYDATA_STRING value comes
	 * out of libyang 2.1 / libnetconf2 2.0 with garbage (NUL bytes). */
	xml = xml_escape(text);
	free(text);
	if (lyd_dup_single(rpc, NULL, 0, &out) != LY_SUCCESS ||
	    lyd_new_any(out, NULL, "data", xml, 0, LYD_ANYDATA_XML, 1,
			NULL) != LY_SUCCESS) {
		wp_free(MT_STRING, xml);
		lyd_free_all(out);
		return reply_err(NC_ERR_OP_FAILED, NULL,
				 "cannot build the reply");
	}
	wp_free(MT_STRING, xml);
	return nc_server_reply_data(out, NC_WD_EXPLICIT, NC_PARAMTYPE_FREE);
}

/* --- dispatch ----------------------------------------------------------------- */

struct nc_server_reply *
ncd_rpc(struct lyd_node *rpc, struct nc_session *session)
{
	const char *mod = rpc->schema ? rpc->schema->module->name : "";
	const char *name = LYD_NAME(rpc);

	if (strcmp(mod, "ietf-netconf-monitoring") == 0 &&
	    strcmp(name, "get-schema") == 0)
		return rpc_get_schema(rpc, session);
	if (strcmp(mod, "ietf-netconf") != 0)
		return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
				 "operation not supported");
	if (strcmp(name, "get-config") == 0)
		return rpc_get_config(rpc, session);
	if (strcmp(name, "get") == 0)
		return rpc_get(rpc, session);
	if (strcmp(name, "edit-config") == 0)
		return rpc_edit_config(rpc, session);
	if (strcmp(name, "commit") == 0)
		return rpc_commit(rpc, session);
	if (strcmp(name, "cancel-commit") == 0)
		return rpc_cancel_commit(rpc, session);
	if (strcmp(name, "discard-changes") == 0)
		return rpc_discard(rpc, session);
	if (strcmp(name, "validate") == 0)
		return rpc_validate(rpc, session);
	if (strcmp(name, "lock") == 0)
		return rpc_lock(rpc, session, true);
	if (strcmp(name, "unlock") == 0)
		return rpc_lock(rpc, session, false);
	if (strcmp(name, "close-session") == 0)
		return nc_server_reply_ok();	/* libnetconf2 ends it */
	if (strcmp(name, "kill-session") == 0)
		return rpc_kill_session(rpc, session);
	return reply_err(NC_ERR_OP_NOT_SUPPORTED, NULL,
			 "operation not supported");
}
