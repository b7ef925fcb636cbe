/*
 * wp_mgmt_session: a configuration session with mgmtd, for vtysh, the
 * NETCONF server and tools.
 *
 * A session has a private candidate (like `configure private`: edits are
 * invisible to others until committed) and may also work on the shared
 * candidate (NETCONF's <candidate/>, guarded by lock/unlock).  Edits are
 * YANG edits: { op, xpath, value }; whole trees go through load.
 *
 *	struct wp_mgmt_session *s;
 *	struct wp_mgmt_result res = { 0 };
 *	const struct wp_mgmt_edit e[] = {
 *		{ WP_MGMT_OP_MERGE, "/waypoint-interface:interfaces/"
 *		  "interface[name='eth0']/mtu", "9000" },
 *	};
 *
 *	s = wp_mgmt_session_open(loop, rundir, "vtysh", NULL, err, errlen);
 *	if (wp_mgmt_session_edit(s, WP_MGMT_DS_PRIVATE, e, 1, &res) == -1 ||
 *	    wp_mgmt_session_commit(s, WP_MGMT_DS_PRIVATE, NULL, &res) == -1)
 *		printf("%% %s\n", res.message);
 *	wp_mgmt_result_clear(&res);
 *	wp_mgmt_session_close(s);
 *
 * The calls are synchronous: each sends one request and runs `loop`
 * (ev_run, one iteration at a time) until mgmtd answers or the timeout
 * passes, so other watchers of the loop keep running meanwhile (mgmtd
 * itself, in tests).  Each returns 0 when mgmtd says OK and -1 otherwise;
 * `res` (may be NULL) then holds the status and the message.  Transport
 * problems come back as WP_MGMT_ST_IO (mgmtd not running, no answer in
 * time, connection lost); a lost session stays lost: open a new one.
 */
#ifndef WP_MGMT_SESSION_H
#define WP_MGMT_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wp_loop;
struct wp_mgmt_session;

#define WP_MGMT_SESSION_TIMEOUT	60.0	/* seconds per request */

enum wp_mgmt_ds {			/* mgmt.proto Datastore */
	WP_MGMT_DS_PRIVATE = 0,
	WP_MGMT_DS_SHARED = 1,
	WP_MGMT_DS_RUNNING = 2,
};

enum wp_mgmt_fmt {			/* mgmt.proto Format */
	WP_MGMT_FMT_JSON = 0,
	WP_MGMT_FMT_XML = 1,
	WP_MGMT_FMT_TEXT = 2,
};

enum wp_mgmt_op {			/* mgmt.proto EditOp */
	WP_MGMT_OP_MERGE = 0,
	WP_MGMT_OP_CREATE = 1,
	WP_MGMT_OP_REPLACE = 2,
	WP_MGMT_OP_DELETE = 3,
	WP_MGMT_OP_REMOVE = 4,
};

enum wp_mgmt_status {			/* mgmt.proto Status */
	WP_MGMT_ST_OK = 0,
	WP_MGMT_ST_INVALID = 1,
	WP_MGMT_ST_EXISTS = 2,
	WP_MGMT_ST_MISSING = 3,
	WP_MGMT_ST_LOCKED = 4,
	WP_MGMT_ST_REFUSED = 5,
	WP_MGMT_ST_TIMEOUT = 6,
	WP_MGMT_ST_CONFLICT = 7,
	WP_MGMT_ST_NOT_FOUND = 8,
	WP_MGMT_ST_UNSUPPORTED = 9,
	WP_MGMT_ST_FAILED = 10,
	WP_MGMT_ST_NO_SESSION = 11,
	WP_MGMT_ST_IO = 100,		/* client side: no answer */
};

enum wp_mgmt_get {			/* mgmt.proto GetWhat */
	WP_MGMT_GET_RUNNING = 0,
	WP_MGMT_GET_CANDIDATE = 1,
	WP_MGMT_GET_DIFF = 2,
	WP_MGMT_GET_HISTORY = 3,
	WP_MGMT_GET_COMMIT = 4,
};

struct wp_mgmt_edit {
	enum wp_mgmt_op op;
	const char *xpath;
	const char *value;		/* leaves and leaf-lists; else NULL */
};

struct wp_mgmt_commit_opts {
	bool check_only;		/* commit check */
	uint32_t confirm_timeout_ms;	/* commit confirmed; 0: plain */
	const char *comment;
};

struct wp_mgmt_get_opts {
	enum wp_mgmt_get what;
	enum wp_mgmt_ds ds;		/* GET_CANDIDATE, GET_DIFF */
	enum wp_mgmt_fmt fmt;
	const char *xpath;		/* subtree filter, NULL for all: a data
					   path, /mod:node[key='v']/... */
	bool with_defaults;
	uint32_t index;			/* GET_COMMIT: 0 = latest */
};

/* What mgmtd answered; strings in MT_STRING, NULL when absent. */
struct wp_mgmt_result {
	int status;			/* enum wp_mgmt_status */
	char *message;
	char *xpath;
	char *data;
	char **warnings;
	size_t nwarnings;
	uint32_t commit_id;
	uint32_t edit_index;		/* edit: the failing one, from 1 */
};

void wp_mgmt_result_clear(struct wp_mgmt_result *res);
const char *wp_mgmt_status_name(int status);

/*
 * Connect to <rundir>/mgmtd.sock and open a session; `user` NULL means
 * the login name of our uid.  NULL with a message in `err` when mgmtd
 * cannot be reached within the session timeout.
 */
struct wp_mgmt_session *wp_mgmt_session_open(struct wp_loop *loop,
					     const char *rundir,
					     const char *client,
					     const char *user, char *err,
					     size_t errlen);
/* Close; mgmtd drops the private candidate and the session's locks. */
void wp_mgmt_session_close(struct wp_mgmt_session *s);
uint64_t wp_mgmt_session_id(const struct wp_mgmt_session *s);
void wp_mgmt_session_set_timeout(struct wp_mgmt_session *s, double seconds);

int wp_mgmt_session_edit(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			 const struct wp_mgmt_edit *edits, size_t n,
			 struct wp_mgmt_result *res);
/* Merge (or replace the candidate with) a JSON or XML tree; `source`
 * names it in messages (a file name) and may be NULL. */
int wp_mgmt_session_load(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			 enum wp_mgmt_fmt fmt, bool replace, const char *data,
			 const char *source, struct wp_mgmt_result *res);
/* `opts` NULL: a plain commit.  res->commit_id names the history entry. */
int wp_mgmt_session_commit(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			   const struct wp_mgmt_commit_opts *opts,
			   struct wp_mgmt_result *res);
int wp_mgmt_session_discard(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			    struct wp_mgmt_result *res);
/* The text is in res->data. */
int wp_mgmt_session_get(struct wp_mgmt_session *s,
			const struct wp_mgmt_get_opts *opts,
			struct wp_mgmt_result *res);
int wp_mgmt_session_lock(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			 bool lock, struct wp_mgmt_result *res);
/* Candidate := history entry `index` (0 = running now); commit it too
 * when `commit`. */
int wp_mgmt_session_rollback(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			     uint32_t index, bool commit, const char *comment,
			     struct wp_mgmt_result *res);
int wp_mgmt_session_validate(struct wp_mgmt_session *s, enum wp_mgmt_ds ds,
			     struct wp_mgmt_result *res);
/* write memory */
int wp_mgmt_session_write(struct wp_mgmt_session *s,
			  struct wp_mgmt_result *res);
int wp_mgmt_session_cancel_commit(struct wp_mgmt_session *s,
				  struct wp_mgmt_result *res);

#endif /* WP_MGMT_SESSION_H */
