/*
 * wp_mgmt_session.c: the session side of mgmt.proto, synchronous.
 *
 * A session is a wp_ipc client to mgmtd.sock.  Each call builds one
 * request with a fresh req_id, sends it and runs the caller's loop one
 * iteration at a time until the Reply with that req_id arrives, the
 * per-request deadline passes or the connection goes.  A reply that
 * comes after its deadline carries an old req_id and is dropped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/proto/ipc.pb-c.h"
#include "lib/proto/mgmt.pb-c.h"
#include "wp_ipc.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_mgmt.h"
#include "wp_mgmt_session.h"

WP_MEMTYPE_DEFINE(MT_MGMT_SESSION, "mgmt session");

struct wp_mgmt_session {
	struct wp_loop *loop;
	struct wp_ipc_client *ipc;
	char path[256];
	char *client;
	char *user;
	uint64_t id;
	double timeout;
	bool lost;		/* the connection went: the session is gone */
	bool opened;

	uint32_t next_req;
	uint32_t wait_req;	/* req_id we wait for, 0 if none */
	bool got;
	bool timed_out;
	struct wp_mgmt_result *res;	/* filled by the reply */
	struct wp_mgmt_result scratch;
	struct wp_timer deadline;
};

static const char *const status_names[] = {
	[WP_MGMT_ST_OK] = "ok",
	[WP_MGMT_ST_INVALID] = "invalid",
	[WP_MGMT_ST_EXISTS] = "exists",
	[WP_MGMT_ST_MISSING] = "missing",
	[WP_MGMT_ST_LOCKED] = "locked",
	[WP_MGMT_ST_REFUSED] = "refused",
	[WP_MGMT_ST_TIMEOUT] = "timeout",
	[WP_MGMT_ST_CONFLICT] = "conflict",
	[WP_MGMT_ST_NOT_FOUND] = "not-found",
	[WP_MGMT_ST_UNSUPPORTED] = "unsupported",
	[WP_MGMT_ST_FAILED] = "failed",
	[WP_MGMT_ST_NO_SESSION] = "no-session",
};

const char *
wp_mgmt_status_name(int status)
{
	if (status == WP_MGMT_ST_IO)
		return "io";
	if (status < 0 || (size_t)status >= sizeof(status_names) /
	    sizeof(status_names[0]) || status_names[status] == NULL)
		return "unknown";
	return status_names[status];
}

void
wp_mgmt_result_clear(struct wp_mgmt_result *res)
{
	if (res == NULL)
		return;
	wp_free(MT_STRING, res->message);
	wp_free(MT_STRING, res->xpath);
	wp_free(MT_STRING, res->data);
	for (size_t i = 0; i < res->nwarnings; i++)
		wp_free(MT_STRING, res->warnings[i]);
	wp_free(MT_STRING, res->warnings);
	memset(res, 0, sizeof(*res));
}

static char *
dup_or_null(const char *s)
{
	return s && s[0] ? wp_strdup(MT_STRING, s) : NULL;
}

static void
result_io(struct wp_mgmt_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
result_io(struct wp_mgmt_result *res, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wp_mgmt_result_clear(res);
	res->status = WP_MGMT_ST_IO;
	res->message = wp_strdup(MT_STRING, buf);
}

/* --- connection ---------------------------------------------------------- */

static int
on_reply(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Mgmt__Reply *m = (Wp__Mgmt__Reply *)msg;
	struct wp_mgmt_session *s = wp_ipc_conn_arg(c);
	struct wp_mgmt_result *res = s->res;

	if (m->req_id != s->wait_req || s->wait_req == 0)
		return 0;		/* late: its caller gave up */
	wp_mgmt_result_clear(res);
	res->status = (int)m->status;
	res->message = dup_or_null(m->message);
	res->xpath = dup_or_null(m->xpath);
	res->data = m->data ? wp_strdup(MT_STRING, m->data) : NULL;
	res->commit_id = m->commit_id;
	res->edit_index = m->edit_index;
	if (m->n_warnings) {
		res->warnings = wp_calloc(MT_STRING,
					  m->n_warnings * sizeof(char *));
		for (size_t i = 0; i < m->n_warnings; i++)
			res->warnings[i] = wp_strdup(MT_STRING,
						     m->warnings[i]);
		res->nwarnings = m->n_warnings;
	}
	if (m->session_id)
		s->id = m->session_id;
	s->got = true;
	return 0;
}

static int
on_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	wp_log_warnx("mgmt session: mgmtd says: %s",
		     ((Wp__Ipc__Error *)msg)->text);
	return 0;
}

static const struct wp_ipc_handler session_handlers[] = {
	{ WP_MGMT_REPLY, &wp__mgmt__reply__descriptor, on_reply },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, on_error },
	WP_IPC_HANDLER_END,
};

static void
session_connected(struct wp_ipc_conn *c)
{
	struct wp_mgmt_session *s = wp_ipc_conn_arg(c);
	Wp__Mgmt__SessionOpen m = WP__MGMT__SESSION_OPEN__INIT;

	if (s->lost || s->opened)
		return;		/* a reconnect cannot bring the session back */
	wp_ipc_conn_set_name(c, "mgmtd");
	m.req_id = s->wait_req;
	m.client = s->client;
	m.user = s->user;
	m.pid = (uint32_t)getpid();
	if (wp_ipc_send(c, WP_MGMT_SESSION_OPEN, &m.base) == 0)
		s->opened = true;
}

static void
session_lost(struct wp_ipc_conn *c)
{
	struct wp_mgmt_session *s = wp_ipc_conn_arg(c);

	if (s->opened)
		s->lost = true;
}

static void
deadline_cb(struct wp_timer *t)
{
	struct wp_mgmt_session *s = container_of(t, struct wp_mgmt_session,
						 deadline);

	s->timed_out = true;
}

/* Run the loop until the reply to s->wait_req, the deadline or a loss. */
static int
session_wait(struct wp_mgmt_session *s, struct wp_mgmt_result *res)
{
	s->res = res;
	s->got = s->timed_out = false;
	wp_timer_start(&s->deadline, s->timeout, 0.0);
	while (!s->got && !s->timed_out && !s->lost)
		ev_run(wp_loop_ev(s->loop), EVRUN_ONCE);
	wp_timer_stop(&s->deadline);
	s->wait_req = 0;
	s->res = NULL;
	if (s->got)
		return res->status == WP_MGMT_ST_OK ? 0 : -1;
	if (s->lost)
		result_io(res, "connection to mgmtd lost");
	else
		result_io(res, "mgmtd did not answer within %.0f s",
			  s->timeout);
	return -1;
}

/* Probe the socket: fail fast when nobody listens. */
static int
socket_probe(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, rc;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	if (rc == -1 && errno == EAGAIN)
		rc = 0;		/* backlog full: it is there */
	close(fd);
	return rc;
}

struct wp_mgmt_session *
wp_mgmt_session_open(struct wp_loop *loop, const char *rundir,
		     const char *client, const char *user, char *err,
		     size_t errlen)
{
	struct wp_mgmt_session *s = wp_calloc(MT_MGMT_SESSION, sizeof(*s));
	struct wp_ipc_callbacks icb = {
		.on_connect = session_connected,
		.on_disconnect = session_lost,
		.arg = s,
		.backoff_min = 0.05,
		.backoff_max = 0.5,
	};
	struct passwd *pw;

	s->loop = loop;
	s->timeout = WP_MGMT_SESSION_TIMEOUT;
	snprintf(s->path, sizeof(s->path), "%s/%s", rundir, WP_MGMT_SOCK_NAME);
	if (socket_probe(s->path) == -1) {
		snprintf(err, errlen, "cannot reach mgmtd at %s: %s", s->path,
			 strerror(errno));
		wp_free(MT_MGMT_SESSION, s);
		return NULL;
	}
	if (user == NULL && (pw = getpwuid(getuid())) != NULL)
		user = pw->pw_name;
	s->client = wp_strdup(MT_MGMT_SESSION, client ? client : "");
	s->user = wp_strdup(MT_MGMT_SESSION, user ? user : "");
	wp_timer_init(loop, &s->deadline, "mgmt session wait", deadline_cb);
	s->wait_req = ++s->next_req;
	s->ipc = wp_ipc_client_new(loop, s->path, session_handlers, &icb);
	if (session_wait(s, &s->scratch) == -1) {
		snprintf(err, errlen, "mgmtd at %s: %s", s->path,
			 s->scratch.message ? s->scratch.message : "refused");
		wp_mgmt_session_close(s);
		return NULL;
	}
	wp_mgmt_result_clear(&s->scratch);
	return s;
}

void
wp_mgmt_session_close(struct wp_mgmt_session *s)
{
	if (s == NULL)
		return;
	wp_ipc_client_free(s->ipc);
	wp_timer_stop(&s->deadline);
	wp_mgmt_result_clear(&s->scratch);
	wp_free(MT_MGMT_SESSION, s->client);
	wp_free(MT_MGMT_SESSION, s->user);
	wp_free(MT_MGMT_SESSION, s);
}

uint64_t
wp_mgmt_session_id(const struct wp_mgmt_session *s)
{
	return s->id;
}

void
wp_mgmt_session_set_timeout(struct wp_mgmt_session *s, double seconds)
{
	s->timeout = seconds > 0 ? seconds : WP_MGMT_SESSION_TIMEOUT;
}

/*
 * Send `msg` (its req_id already set to s->wait_req by the caller via
 * request_id()) and wait for the reply.
 */
static int
request(struct wp_mgmt_session *s, uint16_t type, ProtobufCMessage *msg,
	struct wp_mgmt_result *res)
{
	int rc;

	if (res == NULL)
		res = &s->scratch;
	if (s->lost) {
		result_io(res, "connection to mgmtd lost");
		s->wait_req = 0;
		return -1;
	}
	if (wp_ipc_client_send(s->ipc, type, msg) == -1) {
		result_io(res, "cannot send to mgmtd: %s", strerror(errno));
		s->wait_req = 0;
		return -1;
	}
	rc = session_wait(s, res);
	if (res == &s->scratch)
		wp_mgmt_result_clear(res);
	return rc;
}

static uint32_t
request_id(struct wp_mgmt_session *s)
{
	if (++s->next_req == 0)
		s->next_req = 1;
	s->wait_req = s->next_req;
	return s->wait_req;
}

/* --- requests ------------------------------------------------------------ */

int
wp_mgmt_session_edit(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
		     const struct wp_mgmt_edit *edits, size_t n,
		     struct wp_mgmt_result *res)
{
	Wp__Mgmt__EditRequest m = WP__MGMT__EDIT_REQUEST__INIT;
	Wp__Mgmt__Edit *e = wp_calloc(MT_TMP, (n ? n : 1) * sizeof(*e));
	Wp__Mgmt__Edit **ep = wp_calloc(MT_TMP, (n ? n : 1) * sizeof(*ep));
	int rc;

	for (size_t i = 0; i < n; i++) {
		wp__mgmt__edit__init(&e[i]);
		e[i].op = (Wp__Mgmt__EditOp)edits[i].op;
		e[i].xpath = (char *)(uintptr_t)edits[i].xpath;
		e[i].value = (char *)(uintptr_t)(edits[i].value ?
						 edits[i].value : "");
		ep[i] = &e[i];
	}
	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	m.n_edits = n;
	m.edits = ep;
	rc = request(s, WP_MGMT_EDIT, &m.base, res);
	wp_free(MT_TMP, ep);
	wp_free(MT_TMP, e);
	return rc;
}

int
wp_mgmt_session_load(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
		     enum wp_mgmt_fmt fmt, bool replace, const char *data,
		     const char *source, struct wp_mgmt_result *res)
{
	Wp__Mgmt__LoadRequest m = WP__MGMT__LOAD_REQUEST__INIT;

	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	m.format = (Wp__Mgmt__Format)fmt;
	m.replace = replace;
	m.data = (char *)(uintptr_t)data;
	m.source = (char *)(uintptr_t)(source ? source : "");
	return request(s, WP_MGMT_LOAD, &m.base, res);
}

int
wp_mgmt_session_commit(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
		       const struct wp_mgmt_commit_opts *opts,
		       struct wp_mgmt_result *res)
{
	Wp__Mgmt__CommitRequest m = WP__MGMT__COMMIT_REQUEST__INIT;

	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	if (opts) {
		m.check_only = opts->check_only;
		m.confirm_timeout_ms = opts->confirm_timeout_ms;
		if (opts->comment)
			m.comment = (char *)(uintptr_t)opts->comment;
	}
	return request(s, WP_MGMT_COMMIT, &m.base, res);
}

int
wp_mgmt_session_discard(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			struct wp_mgmt_result *res)
{
	Wp__Mgmt__DiscardRequest m = WP__MGMT__DISCARD_REQUEST__INIT;

	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	return request(s, WP_MGMT_DISCARD, &m.base, res);
}

int
wp_mgmt_session_get(struct wp_mgmt_session *s,
		    const struct wp_mgmt_get_opts *opts,
		    struct wp_mgmt_result *res)
{
	Wp__Mgmt__GetRequest m = WP__MGMT__GET_REQUEST__INIT;

	m.req_id = request_id(s);
	m.what = (Wp__Mgmt__GetWhat)opts->what;
	m.ds = (Wp__Mgmt__Datastore)opts->ds;
	m.format = (Wp__Mgmt__Format)opts->fmt;
	m.with_defaults = opts->with_defaults;
	if (opts->xpath)
		m.xpath = (char *)(uintptr_t)opts->xpath;
	m.index = opts->index;
	return request(s, WP_MGMT_GET, &m.base, res);
}

int
wp_mgmt_session_lock(struct wp_mgmt_session *s, enum wp_mgmt_ds ds, bool lock,
		     struct wp_mgmt_result *res)
{
	Wp__Mgmt__LockRequest m = WP__MGMT__LOCK_REQUEST__INIT;

	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	m.lock = lock;
	return request(s, WP_MGMT_LOCK, &m.base, res);
}

int
wp_mgmt_session_rollback(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			 uint32_t index, bool commit, const char *comment,
			 struct wp_mgmt_result *res)
{
	Wp__Mgmt__RollbackRequest m = WP__MGMT__ROLLBACK_REQUEST__INIT;

	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	m.index = index;
	m.commit = commit;
	if (comment)
		m.comment = (char *)(uintptr_t)comment;
	return request(s, WP_MGMT_ROLLBACK, &m.base, res);
}

int
wp_mgmt_session_validate(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			 struct wp_mgmt_result *res)
{
	Wp__Mgmt__ValidateRequest m = WP__MGMT__VALIDATE_REQUEST__INIT;

	m.req_id = request_id(s);
	m.ds = (Wp__Mgmt__Datastore)ds;
	return request(s, WP_MGMT_VALIDATE, &m.base, res);
}

int
wp_mgmt_session_write(struct wp_mgmt_session *s, struct wp_mgmt_result *res)
{
	Wp__Mgmt__WriteRequest m = WP__MGMT__WRITE_REQUEST__INIT;

	m.req_id = request_id(s);
	return request(s, WP_MGMT_WRITE, &m.base, res);
}

int
wp_mgmt_session_cancel_commit(struct wp_mgmt_session *s,
			      struct wp_mgmt_result *res)
{
	Wp__Mgmt__CancelCommitRequest m = WP__MGMT__CANCEL_COMMIT_REQUEST__INIT;

	m.req_id = request_id(s);
	return request(s, WP_MGMT_CANCEL_COMMIT, &m.base, res);
}
