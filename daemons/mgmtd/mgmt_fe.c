/*
 * mgmt_fe.c: configuration sessions ("frontends": vtysh, NETCONF, tools).
 *
 * A session opens with SessionOpen and then sends requests; each gets
 * one Reply with the request's req_id.  Requests other than commit are
 * answered at once; a commit (and a rollback that commits) becomes a
 * transaction (mgmt_txn.c), answered when it is done.
 *
 * Who a session is: the uid and pid come from SO_PEERCRED.  The user
 * name the session claims is believed from root and from our own uid
 * (vtysh run by root, the NETCONF server speaking for its SSH users);
 * anybody else is recorded under the name of their uid.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/proto/ipc.pb-c.h"
#include "lib/proto/mgmt.pb-c.h"
#include "mgmtd.h"

/* --- replies ------------------------------------------------------------- */

static void
reply_send(struct wp_ipc_conn *c, uint32_t req_id, const struct mgmt_err *e,
	   const char *data, char *const *warnings, size_t nwarnings,
	   uint32_t commit_id, uint64_t session_id, uint32_t edit_index)
{
	Wp__Mgmt__Reply r = WP__MGMT__REPLY__INIT;

	r.req_id = req_id;
	r.status = (Wp__Mgmt__Status)(e ? e->status : WP_MGMT_ST_OK);
	if (e) {
		r.message = (char *)(uintptr_t)e->msg;
		r.xpath = (char *)(uintptr_t)e->xpath;
	}
	if (data)
		r.data = (char *)(uintptr_t)data;
	r.n_warnings = nwarnings;
	r.warnings = (char **)(uintptr_t)warnings;
	r.commit_id = commit_id;
	r.session_id = session_id;
	r.edit_index = edit_index;
	if (wp_ipc_send(c, WP_MGMT_REPLY, &r.base) == -1)
		wp_log_warn("mgmtd: %s: reply to request %u",
			    wp_ipc_conn_name(c), req_id);
}

void
mgmt_fe_reply(struct mgmt_session *s, uint32_t req_id,
	      const struct mgmt_err *e, const char *data,
	      char *const *warnings, size_t nwarnings, uint32_t commit_id)
{
	reply_send(s->conn, req_id, e, data, warnings, nwarnings, commit_id,
		   0, 0);
}

static void
reply_ok(struct mgmt_session *s, uint32_t req_id, const char *msg,
	 const char *data)
{
	struct mgmt_err e = { .status = WP_MGMT_ST_OK };

	snprintf(e.msg, sizeof(e.msg), "%s", msg ? msg : "");
	mgmt_fe_reply(s, req_id, &e, data, NULL, 0, 0);
}

/* --- sessions ------------------------------------------------------------ */

struct mgmt_session *
mgmt_session_find(struct mgmt *m, uint64_t id)
{
	struct mgmt_session *s;

	TAILQ_FOREACH(s, &m->sessions, entry)
		if (s->id == id)
			return s;
	return NULL;
}

static int
fe_open(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	Wp__Mgmt__SessionOpen *om = (Wp__Mgmt__SessionOpen *)msg;
	struct mgmt *m = wp_ipc_conn_arg(c);
	struct mgmt_session *s;
	struct passwd *pw;
	uid_t uid = (uid_t)-1;
	pid_t pid = 0;

	if (wp_ipc_conn_data(c) != NULL) {
		wp_log_errx("mgmtd: %s: second SessionOpen",
			    wp_ipc_conn_name(c));
		return -1;
	}
	s = wp_calloc(MT_MGMT, sizeof(*s));
	s->kind = MGMT_PEER_SESSION;
	s->m = m;
	s->conn = c;
	s->id = ++m->next_session;
	s->since = wp_loop_now(m->loop);
	wp_ipc_conn_peer_cred(c, &pid, &uid, NULL);
	s->who.uid = uid;
	s->who.pid = pid;
	s->who.session = s->id;
	snprintf(s->who.client, sizeof(s->who.client), "%s",
		 om->client[0] ? om->client : "unknown");
	if (om->user[0] && (uid == 0 || uid == geteuid()))
		snprintf(s->who.user, sizeof(s->who.user), "%s", om->user);
	else if ((pw = getpwuid(uid)) != NULL)
		snprintf(s->who.user, sizeof(s->who.user), "%s", pw->pw_name);
	else
		snprintf(s->who.user, sizeof(s->who.user), "uid %d", (int)uid);
	TAILQ_INSERT_TAIL(&m->sessions, s, entry);
	wp_ipc_conn_set_data(c, s);
	wp_ipc_conn_set_name(c, "session %" PRIu64 " (%s %s)", s->id,
			     s->who.client, s->who.user);
	wp_log_info("mgmtd: session %" PRIu64 " opened: %s, user %s, pid %d",
		    s->id, s->who.client, s->who.user, (int)pid);
	reply_send(c, om->req_id, NULL, NULL, NULL, 0, 0, s->id, 0);
	return 0;
}

void
mgmt_fe_gone(struct mgmt_session *s)
{
	struct mgmt *m = s->m;

	wp_log_info("mgmtd: session %" PRIu64 " closed", s->id);
	TAILQ_REMOVE(&m->sessions, s, entry);
	if (m->lock_shared == s->id)
		m->lock_shared = 0;
	if (m->lock_running == s->id)
		m->lock_running = 0;
	mgmt_txn_session_gone(m, s);
	mgmt_cand_clear(&s->cand);
	wp_free(MT_MGMT, s);
}

/*
 * The session behind a request.  Without one the request is answered
 * NO_SESSION (the connection stays); a daemon sending session requests
 * is disconnected.
 */
static struct mgmt_session *
fe_of(struct wp_ipc_conn *c, uint32_t req_id, int *rc)
{
	struct mgmt_session *s = wp_ipc_conn_data(c);
	struct mgmt_err e;

	*rc = 0;
	if (s && s->kind == MGMT_PEER_SESSION)
		return s;
	if (s) {
		wp_log_errx("mgmtd: %s: session request from a daemon",
			    wp_ipc_conn_name(c));
		*rc = -1;
		return NULL;
	}
	mgmt_err_set(&e, WP_MGMT_ST_NO_SESSION, NULL,
		     "no session: send SessionOpen first");
	reply_send(c, req_id, &e, NULL, NULL, 0, 0, 0, 0);
	return NULL;
}

/* The candidate a request works on, if it may be changed now. */
static struct mgmt_cand *
fe_cand(struct mgmt_session *s, int ds, bool for_change, struct mgmt_err *e)
{
	struct mgmt_cand *c = mgmt_cand_get(s->m, s, (enum wp_mgmt_ds)ds,
					    for_change, e);

	if (c && for_change && c->committing) {
		mgmt_err_set(e, WP_MGMT_ST_LOCKED, NULL,
			     "a commit of this candidate is in progress");
		return NULL;
	}
	return c;
}

/* --- edits --------------------------------------------------------------- */

static int
fe_edit(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	Wp__Mgmt__EditRequest *em = (Wp__Mgmt__EditRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	struct lyd_node *work;
	struct mgmt_cand *c;
	int rc;

	if ((s = fe_of(conn, em->req_id, &rc)) == NULL)
		return rc;
	if ((c = fe_cand(s, em->ds, true, &e)) == NULL) {
		mgmt_fe_reply(s, em->req_id, &e, NULL, NULL, 0, 0);
		return 0;
	}
	work = mgmt_ds_dup(mgmt_cand_tree(s->m, c));
	for (size_t i = 0; i < em->n_edits; i++) {
		Wp__Mgmt__Edit *ed = em->edits[i];

		if (mgmt_ds_edit(s->m, &work, (enum wp_mgmt_op)ed->op,
				 ed->xpath, ed->value, &e) == -1) {
			lyd_free_all(work);
			reply_send(conn, em->req_id, &e, NULL, NULL, 0, 0, 0,
				   (uint32_t)i + 1);
			return 0;
		}
	}
	mgmt_cand_replace(s->m, c, work);
	reply_ok(s, em->req_id, NULL, NULL);
	return 0;
}

static int
fe_load(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	Wp__Mgmt__LoadRequest *lm = (Wp__Mgmt__LoadRequest *)msg;
	struct mgmt_err e = { 0 };
	struct lyd_node *tree = NULL, *work;
	struct mgmt_session *s;
	struct mgmt_cand *c;
	int rc;

	if ((s = fe_of(conn, lm->req_id, &rc)) == NULL)
		return rc;
	if ((c = fe_cand(s, lm->ds, true, &e)) == NULL)
		goto out_reply;
	if (lm->format == WP__MGMT__FORMAT__FMT_TEXT)
		rc = mgmt_load_cli_text(s->m, lm->data, lm->source, &tree, &e);
	else
		rc = mgmt_ds_parse(s->m, lm->data,
				   lm->format == WP__MGMT__FORMAT__FMT_XML ?
				   LYD_XML : LYD_JSON, lm->source, &tree, &e);
	if (rc == -1)
		goto out_reply;
	if (lm->replace) {
		work = tree;
	} else {
		work = mgmt_ds_dup(mgmt_cand_tree(s->m, c));
		if (tree && lyd_merge_siblings(&work, tree,
					       LYD_MERGE_DESTRUCT) !=
		    LY_SUCCESS) {
			mgmt_ds_yang_err(s->m, &e, WP_MGMT_ST_INVALID,
					 lm->source, NULL);
			lyd_free_all(work);
			goto out_reply;
		}
	}
	mgmt_cand_replace(s->m, c, work);
	reply_ok(s, lm->req_id, NULL, NULL);
	return 0;

out_reply:
	mgmt_fe_reply(s, lm->req_id, &e, NULL, NULL, 0, 0);
	return 0;
}

static int
fe_discard(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	   ProtobufCMessage *msg)
{
	Wp__Mgmt__DiscardRequest *dm = (Wp__Mgmt__DiscardRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	struct mgmt_cand *c;
	int rc;

	if ((s = fe_of(conn, dm->req_id, &rc)) == NULL)
		return rc;
	if ((c = fe_cand(s, dm->ds, true, &e)) == NULL) {
		mgmt_fe_reply(s, dm->req_id, &e, NULL, NULL, 0, 0);
		return 0;
	}
	mgmt_cand_clear(c);
	reply_ok(s, dm->req_id, NULL, NULL);
	return 0;
}

static int
fe_validate(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	Wp__Mgmt__ValidateRequest *vm = (Wp__Mgmt__ValidateRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	struct lyd_node *work;
	struct mgmt_cand *c;
	int rc;

	if ((s = fe_of(conn, vm->req_id, &rc)) == NULL)
		return rc;
	if ((c = fe_cand(s, vm->ds, false, &e)) != NULL) {
		work = mgmt_ds_dup(mgmt_cand_tree(s->m, c));
		if (mgmt_ds_validate(s->m, &work, &e) == 0)
			mgmt_err_set(&e, WP_MGMT_ST_OK, NULL,
				     "Configuration is valid");
		lyd_free_all(work);
	}
	mgmt_fe_reply(s, vm->req_id, &e, NULL, NULL, 0, 0);
	return 0;
}

/* --- commit -------------------------------------------------------------- */

/* Queue a commit (or check) of candidate `c` for session `s`. */
static void
fe_commit_start(struct mgmt_session *s, uint32_t req_id, struct mgmt_cand *c,
		bool check_only, uint32_t confirm_ms, const char *comment)
{
	struct mgmt *m = s->m;
	struct mgmt_txn *t;
	struct mgmt_err e;

	if (m->lock_running && m->lock_running != s->id) {
		mgmt_err_set(&e, WP_MGMT_ST_LOCKED, NULL,
			     "the running configuration is locked by "
			     "session %" PRIu64, m->lock_running);
		mgmt_fe_reply(s, req_id, &e, NULL, NULL, 0, 0);
		return;
	}
	t = mgmt_txn_new(m, check_only ? MGMT_TXN_CHECK : MGMT_TXN_COMMIT);
	if (!check_only)
		t->confirmed_now = mgmt_confirm_accept(m);
	t->sess = s;
	t->req_id = req_id;
	t->from = c;
	t->who = s->who;
	t->comment = wp_strdup(MT_MGMT, comment ? comment : "");
	t->confirm_ms = check_only ? 0 : confirm_ms;
	if (c->dirty) {
		t->cand = mgmt_ds_dup(c->tree);
		t->base = mgmt_ds_dup(c->base);
		t->base_gen = c->base_gen;
	} else {
		t->clean = true;
	}
	c->committing = true;
	mgmt_txn_submit(t);
}

static int
fe_commit(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	  ProtobufCMessage *msg)
{
	Wp__Mgmt__CommitRequest *cm = (Wp__Mgmt__CommitRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	struct mgmt_cand *c;
	int rc;

	if ((s = fe_of(conn, cm->req_id, &rc)) == NULL)
		return rc;
	if ((c = fe_cand(s, cm->ds, true, &e)) == NULL) {
		mgmt_fe_reply(s, cm->req_id, &e, NULL, NULL, 0, 0);
		return 0;
	}
	fe_commit_start(s, cm->req_id, c, cm->check_only,
			cm->confirm_timeout_ms, cm->comment);
	return 0;
}

static int
fe_rollback(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	Wp__Mgmt__RollbackRequest *rm = (Wp__Mgmt__RollbackRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_commit *rec;
	struct lyd_node *tree;
	struct mgmt_session *s;
	struct mgmt_cand *c;
	char comment[256];
	int rc;

	if ((s = fe_of(conn, rm->req_id, &rc)) == NULL)
		return rc;
	if ((c = fe_cand(s, rm->ds, true, &e)) == NULL)
		goto out_reply;
	if ((rec = mgmt_history_get(s->m, rm->index)) == NULL) {
		mgmt_err_set(&e, WP_MGMT_ST_NOT_FOUND, NULL,
			     "no history entry %u (%zu kept)", rm->index,
			     s->m->nhistory);
		goto out_reply;
	}
	if (mgmt_ds_parse(s->m, rec->config, LYD_JSON, "history", &tree,
			  &e) == -1)
		goto out_reply;
	mgmt_cand_replace(s->m, c, tree);
	if (!rm->commit) {
		mgmt_err_set(&e, WP_MGMT_ST_OK, NULL,
			     "Loaded commit %u into the candidate", rec->id);
		goto out_reply;
	}
	snprintf(comment, sizeof(comment), "%s%srollback to commit %u",
		 rm->comment, rm->comment[0] ? ": " : "", rec->id);
	fe_commit_start(s, rm->req_id, c, false, 0, comment);
	return 0;

out_reply:
	mgmt_fe_reply(s, rm->req_id, &e, NULL, NULL, 0, 0);
	return 0;
}

static int
fe_cancel_commit(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
		 ProtobufCMessage *msg)
{
	Wp__Mgmt__CancelCommitRequest *cm =
	    (Wp__Mgmt__CancelCommitRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	int rc;

	if ((s = fe_of(conn, cm->req_id, &rc)) == NULL)
		return rc;
	if (mgmt_confirm_cancel(s->m) == -1)
		mgmt_err_set(&e, WP_MGMT_ST_NOT_FOUND, NULL,
			     "no confirmed commit is pending");
	else
		mgmt_err_set(&e, WP_MGMT_ST_OK, NULL,
			     "Confirmed commit cancelled: rolling back");
	mgmt_fe_reply(s, cm->req_id, &e, NULL, NULL, 0, 0);
	return 0;
}

/* --- locks --------------------------------------------------------------- */

static int
fe_lock(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	Wp__Mgmt__LockRequest *lm = (Wp__Mgmt__LockRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	uint64_t *slot;
	const char *name;
	int rc;

	if ((s = fe_of(conn, lm->req_id, &rc)) == NULL)
		return rc;
	switch (lm->ds) {
	case WP__MGMT__DATASTORE__DS_SHARED:
		slot = &s->m->lock_shared;
		name = "shared candidate";
		break;
	case WP__MGMT__DATASTORE__DS_RUNNING:
		slot = &s->m->lock_running;
		name = "running configuration";
		break;
	default:
		mgmt_err_set(&e, WP_MGMT_ST_UNSUPPORTED, NULL,
			     "a private candidate needs no lock");
		goto out_reply;
	}
	if (lm->lock) {
		if (*slot && *slot != s->id) {
			mgmt_err_set(&e, WP_MGMT_ST_LOCKED, NULL,
				     "the %s is locked by session %" PRIu64,
				     name, *slot);
		} else if (slot == &s->m->lock_shared && s->m->shared.dirty &&
			   *slot != s->id) {
			/* RFC 6241 7.5: not over others' uncommitted edits */
			mgmt_err_set(&e, WP_MGMT_ST_LOCKED, NULL,
				     "the shared candidate has uncommitted "
				     "changes: commit or discard them first");
		} else {
			*slot = s->id;
			mgmt_err_set(&e, WP_MGMT_ST_OK, NULL, "%s locked",
				     name);
		}
	} else if (*slot != s->id) {
		mgmt_err_set(&e, WP_MGMT_ST_LOCKED, NULL,
			     "the %s is not locked by this session", name);
	} else {
		*slot = 0;
		mgmt_err_set(&e, WP_MGMT_ST_OK, NULL, "%s unlocked", name);
	}

out_reply:
	mgmt_fe_reply(s, lm->req_id, &e, NULL, NULL, 0, 0);
	return 0;
}

/* --- get ----------------------------------------------------------------- */

static char *
fe_get_tree(struct mgmt_session *s, Wp__Mgmt__GetRequest *gm,
	    const struct lyd_node *tree, struct mgmt_err *e)
{
	if (gm->format == WP__MGMT__FORMAT__FMT_TEXT)
		return mgmt_render_cli_text(s->m, tree, e);
	return mgmt_ds_select(s->m, tree, gm->xpath,
			      gm->format == WP__MGMT__FORMAT__FMT_XML ?
			      LYD_XML : LYD_JSON, gm->with_defaults, e);
}

static char *
fe_get_diff(struct mgmt_session *s, Wp__Mgmt__GetRequest *gm,
	    struct mgmt_err *e)
{
	struct mgmt_cand *c = fe_cand(s, gm->ds, false, e);
	struct lyd_node *diff;
	char *out;

	if (c == NULL)
		return NULL;
	diff = c->dirty ? mgmt_ds_diff(c->base, c->tree) : NULL;
	if (gm->format == WP__MGMT__FORMAT__FMT_TEXT)
		out = mgmt_ds_diff_text(diff, NULL);
	else
		out = mgmt_ds_print(diff, gm->format ==
				    WP__MGMT__FORMAT__FMT_XML ? LYD_XML :
				    LYD_JSON, false);
	lyd_free_all(diff);
	return out;
}

static char *
fe_get_commit(struct mgmt_session *s, Wp__Mgmt__GetRequest *gm,
	      struct mgmt_err *e)
{
	struct mgmt_commit *rec = mgmt_history_get(s->m, gm->index);
	json_object *obj;
	char *out;

	if (rec == NULL) {
		mgmt_err_set(e, WP_MGMT_ST_NOT_FOUND, NULL,
			     "no history entry %u (%zu kept)", gm->index,
			     s->m->nhistory);
		return NULL;
	}
	if (gm->format == WP__MGMT__FORMAT__FMT_TEXT)
		return mgmt_ds_diff_text_json(s->m, rec->diff);
	obj = mgmt_commit_json(rec);
	out = wp_strdup(MT_MGMT_TEXT, wp_json_to_string(obj, true));
	json_object_put(obj);
	return out;
}

static int
fe_get(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
       ProtobufCMessage *msg)
{
	Wp__Mgmt__GetRequest *gm = (Wp__Mgmt__GetRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	struct mgmt_cand *c;
	json_object *obj;
	char *out = NULL;
	int rc;

	if ((s = fe_of(conn, gm->req_id, &rc)) == NULL)
		return rc;
	switch (gm->what) {
	case WP__MGMT__GET_WHAT__GET_RUNNING:
		out = fe_get_tree(s, gm, s->m->running, &e);
		break;
	case WP__MGMT__GET_WHAT__GET_CANDIDATE:
		if ((c = fe_cand(s, gm->ds, false, &e)) != NULL)
			out = fe_get_tree(s, gm, mgmt_cand_tree(s->m, c), &e);
		break;
	case WP__MGMT__GET_WHAT__GET_DIFF:
		out = fe_get_diff(s, gm, &e);
		break;
	case WP__MGMT__GET_WHAT__GET_HISTORY:
		if (gm->format == WP__MGMT__FORMAT__FMT_TEXT) {
			out = mgmt_history_text(s->m);
			break;
		}
		obj = mgmt_history_json(s->m);
		out = wp_strdup(MT_MGMT_TEXT, wp_json_to_string(obj, true));
		json_object_put(obj);
		break;
	case WP__MGMT__GET_WHAT__GET_COMMIT:
		out = fe_get_commit(s, gm, &e);
		break;
	default:
		mgmt_err_set(&e, WP_MGMT_ST_UNSUPPORTED, NULL,
			     "unknown get request %d", (int)gm->what);
		break;
	}
	mgmt_fe_reply(s, gm->req_id, &e, out, NULL, 0, 0);
	wp_free(MT_MGMT_TEXT, out);
	return 0;
}

/* --- write memory -------------------------------------------------------- */

static int
fe_write(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Mgmt__WriteRequest *wm = (Wp__Mgmt__WriteRequest *)msg;
	struct mgmt_err e = { 0 };
	struct mgmt_session *s;
	char *path = NULL;
	int rc;

	if ((s = fe_of(conn, wm->req_id, &rc)) == NULL)
		return rc;
	if (mgmt_write_memory(s->m, &e, &path) == 0) {
		mgmt_err_set(&e, WP_MGMT_ST_OK, path,
			     "Configuration saved to %s", path);
		wp_log_info("mgmtd: session %" PRIu64 " (%s): configuration "
			    "saved to %s", s->id, s->who.user, path);
	}
	mgmt_fe_reply(s, wm->req_id, &e, NULL, NULL, 0, 0);
	wp_free(MT_MGMT, path);
	return 0;
}

const struct wp_ipc_handler mgmt_fe_handlers[] = {
	{ WP_MGMT_SESSION_OPEN, &wp__mgmt__session_open__descriptor, fe_open },
	{ WP_MGMT_EDIT, &wp__mgmt__edit_request__descriptor, fe_edit },
	{ WP_MGMT_LOAD, &wp__mgmt__load_request__descriptor, fe_load },
	{ WP_MGMT_COMMIT, &wp__mgmt__commit_request__descriptor, fe_commit },
	{ WP_MGMT_DISCARD, &wp__mgmt__discard_request__descriptor,
	  fe_discard },
	{ WP_MGMT_GET, &wp__mgmt__get_request__descriptor, fe_get },
	{ WP_MGMT_LOCK, &wp__mgmt__lock_request__descriptor, fe_lock },
	{ WP_MGMT_ROLLBACK, &wp__mgmt__rollback_request__descriptor,
	  fe_rollback },
	{ WP_MGMT_VALIDATE, &wp__mgmt__validate_request__descriptor,
	  fe_validate },
	{ WP_MGMT_WRITE, &wp__mgmt__write_request__descriptor, fe_write },
	{ WP_MGMT_CANCEL_COMMIT, &wp__mgmt__cancel_commit_request__descriptor,
	  fe_cancel_commit },
	WP_IPC_HANDLER_END,
};
