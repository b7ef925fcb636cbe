/*
 * mgmtd.h: the management daemon's types, and its map: prototypes grouped
 * by the file that defines them.
 *
 * mgmtd owns the configuration.  It holds the running datastore and the
 * candidates as libyang trees, takes YANG edits from sessions (vtysh,
 * NETCONF) and pushes each commit to the daemons that own the changed
 * modules with a two-phase protocol: every affected daemon prepares (and
 * may refuse), then all apply, or all abort and nothing changes.
 * doc/developer/mgmtd.md is the long version.
 *
 *	session --EditRequest--> mgmt_fe.c --> mgmt_ds.c (candidate)
 *	session --CommitRequest-> mgmt_fe.c --> mgmt_txn.c
 *	    mgmt_txn.c --ConfigPrepare/Apply/Abort--> mgmt_be.c --> daemons
 *	    mgmt_txn.c --done--> running := target, mgmt_history.c, reply
 */
#ifndef MGMTD_H
#define MGMTD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <sys/types.h>
#include <time.h>

#include <json-c/json.h>
#include <libyang/libyang.h>

#include "wp_ipc.h"
#include "wp_json.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_mgmt.h"
#include "wp_mgmt_session.h"

struct wp_cli;
struct wp_vty;

WP_MEMTYPE_DECLARE(MT_MGMT);
WP_MEMTYPE_DECLARE(MT_MGMT_TEXT);
WP_DEBUG_DECLARE(DBG_MGMT_TXN);

#define MGMT_ERR_MAX		4096
#define MGMT_DEFAULT_STARTUP	SYSCONFDIR "/waypoint/waypoint.conf"
#define MGMT_DEFAULT_STATEDIR	LOCALSTATEDIR "/lib/waypoint"

/* What mgmt_new() needs; strings are copied. */
struct mgmt_config {
	const char *rundir;		/* mgmtd.sock goes here */
	const char *yang_path;		/* extra module dirs, may be NULL */
	const char *startup_file;	/* NULL: start empty */
	const char *state_dir;		/* history on disk; NULL: memory only */
	double commit_timeout;		/* seconds per phase; 0: default */
};

/* An error for a session: status (enum wp_mgmt_status), text, node. */
struct mgmt_err {
	int status;
	char msg[MGMT_ERR_MAX];
	char xpath[512];
};

/* Who asked for a commit, for the history. */
struct mgmt_who {
	char user[64];
	char client[32];
	uid_t uid;
	pid_t pid;
	uint64_t session;		/* 0: mgmtd itself */
};

/* A candidate datastore.  Clean (!dirty) means "same as running". */
struct mgmt_cand {
	struct lyd_node *tree;		/* valid only when dirty */
	struct lyd_node *base;		/* running at the first edit */
	uint64_t base_gen;		/* and its generation */
	bool dirty;
	bool committing;		/* a commit of it is in flight */
};

enum mgmt_peer_kind {
	MGMT_PEER_DAEMON = 1,
	MGMT_PEER_SESSION,
};

/* A connected daemon (ribd, bgpd, ...). */
struct mgmt_daemon {
	enum mgmt_peer_kind kind;	/* first: conn data is tagged */
	TAILQ_ENTRY(mgmt_daemon) entry;
	struct mgmt *m;
	struct wp_ipc_conn *conn;
	char name[32];
	pid_t pid;
	char **modules;
	size_t nmodules;
	struct lyd_node *applied;	/* its part of the config it applied */
	struct lyd_node *rejected;	/* the part it refused when syncing */
	bool synced;			/* applied once since it connected */
	double since;			/* connect time (wall clock) */
	uint64_t commits;		/* transactions it applied */
	uint64_t refusals;
	char last_error[256];
};

/* A configuration session (vtysh, NETCONF, a tool). */
struct mgmt_session {
	enum mgmt_peer_kind kind;
	TAILQ_ENTRY(mgmt_session) entry;
	struct mgmt *m;
	struct wp_ipc_conn *conn;
	uint64_t id;
	struct mgmt_who who;
	double since;
	struct mgmt_cand cand;		/* DS_PRIVATE */
};

enum mgmt_txn_kind {			/* = mgmt.proto TxKind */
	MGMT_TXN_COMMIT = 0,
	MGMT_TXN_CHECK = 1,
	MGMT_TXN_SYNC = 2,
	MGMT_TXN_ROLLBACK = 3,
};

enum mgmt_txn_phase {
	TXN_QUEUED,
	TXN_PREPARE,
	TXN_APPLY,
};

enum mgmt_part_state {
	PART_PENDING,
	PART_PREPARED,
	PART_REFUSED,
	PART_APPLIED,
	PART_GONE,			/* disconnected, or sending failed */
};

/* One daemon taking part in a transaction. */
struct mgmt_part {
	struct mgmt_daemon *d;		/* NULL once it is gone */
	char name[32];
	enum mgmt_part_state state;
	struct lyd_node *config;	/* its part of the target */
};

struct mgmt_txn {
	TAILQ_ENTRY(mgmt_txn) entry;
	struct mgmt *m;
	uint64_t id;
	enum mgmt_txn_kind kind;
	enum mgmt_txn_phase phase;
	struct wp_timer timer;		/* phase timeout */

	/* The request. */
	struct mgmt_session *sess;	/* to answer; NULL if gone/internal */
	uint32_t req_id;
	struct mgmt_cand *from;		/* candidate committed; NULL if gone */
	bool clean;			/* it had no changes */
	struct lyd_node *cand;		/* its snapshot (commit, check) */
	struct lyd_node *base;		/* and the snapshot's base */
	uint64_t base_gen;
	bool confirmed_now;		/* it confirmed a pending one */
	struct mgmt_daemon *sync_daemon;	/* MGMT_TXN_SYNC */
	uint32_t confirm_ms;
	char *comment;
	struct mgmt_who who;

	/* Working state. */
	struct lyd_node *target;	/* the new running */
	struct lyd_node *prev;		/* running before the commit point */
	struct mgmt_part *parts;
	size_t nparts;
	struct mgmt_err err;
	char **warnings;
	size_t nwarnings;
	uint32_t commit_id;		/* history entry made */
};

/* One history entry. */
struct mgmt_commit {
	TAILQ_ENTRY(mgmt_commit) entry;
	uint32_t id;
	time_t when;
	struct mgmt_who who;
	char *comment;
	char *diff;			/* libyang diff JSON, from the last */
	char *config;			/* running after the commit, JSON */
	uint32_t nchanges;
};

TAILQ_HEAD(mgmt_daemon_list, mgmt_daemon);
TAILQ_HEAD(mgmt_session_list, mgmt_session);
TAILQ_HEAD(mgmt_txn_list, mgmt_txn);
TAILQ_HEAD(mgmt_commit_list, mgmt_commit);

/* Pending `commit confirmed`. */
struct mgmt_confirm {
	bool pending;
	struct lyd_node *rollback;	/* running before the first confirmed
					   commit of the series */
	uint32_t commit_id;
	uint64_t session;
	struct wp_timer timer;
};

struct mgmt {
	struct wp_loop *loop;
	struct ly_ctx *ctx;
	struct wp_cli *cli;		/* CLI engine; NULL if it cannot build */
	char *rundir;
	char *sock_path;
	char *startup_file;		/* as given, may be NULL */
	char *loaded_from;		/* the file actually loaded, or NULL */
	char *state_dir;
	double commit_timeout;
	struct wp_ipc_server *server;

	struct lyd_node *running;
	uint64_t running_gen;		/* bumped by every change of running */
	struct mgmt_cand shared;	/* DS_SHARED */
	uint64_t lock_shared;		/* session id holding it, 0: free */
	uint64_t lock_running;

	struct mgmt_daemon_list daemons;
	struct mgmt_session_list sessions;
	uint64_t next_session;

	struct mgmt_txn_list txns;	/* the first is active once started */
	struct mgmt_txn *active;
	uint64_t next_txid;
	bool txn_running;		/* inside the scheduler: no re-entry */

	struct mgmt_commit_list history;	/* newest first */
	size_t nhistory;
	uint32_t next_commit;

	struct mgmt_confirm confirm;
	char startup_error[MGMT_ERR_MAX];
};

/* mgmt.c */
struct mgmt *mgmt_new(struct wp_loop *loop, const struct mgmt_config *cfg,
		      char *err, size_t errlen);
void mgmt_free(struct mgmt *m);
void mgmt_running_set(struct mgmt *m, struct lyd_node *tree);
const char *mgmt_who_str(const struct mgmt_who *w, char *buf, size_t len);

/* mgmt_ds.c: errors, datastores, edits, validation, filters, printing */
void mgmt_err_set(struct mgmt_err *e, int status, const char *xpath,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void mgmt_err_prefix(struct mgmt_err *e, const char *a, const char *b);
void mgmt_ds_yang_err(struct mgmt *m, struct mgmt_err *e, int status,
		      const char *source, const char *fallback);
struct mgmt_cand *mgmt_cand_get(struct mgmt *m, struct mgmt_session *s,
				enum wp_mgmt_ds ds, bool for_change,
				struct mgmt_err *e);
void mgmt_cand_clear(struct mgmt_cand *c);
/* The candidate's tree (running when clean); do not free. */
const struct lyd_node *mgmt_cand_tree(struct mgmt *m,
				      const struct mgmt_cand *c);
int mgmt_cand_replace(struct mgmt *m, struct mgmt_cand *c,
		      struct lyd_node *work);
int mgmt_ds_edit(struct mgmt *m, struct lyd_node **tree,
		 enum wp_mgmt_op op, const char *xpath, const char *value,
		 struct mgmt_err *e);
int mgmt_ds_parse(struct mgmt *m, const char *data, LYD_FORMAT fmt,
		  const char *source, struct lyd_node **tree,
		  struct mgmt_err *e);
int mgmt_ds_validate(struct mgmt *m, struct lyd_node **tree,
		     struct mgmt_err *e);
struct lyd_node *mgmt_ds_dup(const struct lyd_node *tree);
struct lyd_node *mgmt_ds_filter(const struct lyd_node *tree,
				char *const *modules, size_t nmodules);
struct lyd_node *mgmt_ds_diff(const struct lyd_node *from,
			      const struct lyd_node *to);
bool mgmt_ds_equal(const struct lyd_node *a, const struct lyd_node *b);
char *mgmt_ds_print(const struct lyd_node *tree, LYD_FORMAT fmt,
		    bool defaults);
char *mgmt_ds_select(struct mgmt *m, const struct lyd_node *tree,
		     const char *xpath, LYD_FORMAT fmt, bool defaults,
		     struct mgmt_err *e);
char *mgmt_ds_diff_text(const struct lyd_node *diff, uint32_t *nchanges);
char *mgmt_ds_diff_text_json(struct mgmt *m, const char *diff_json);

/* mgmt_txn.c: transactions */
struct mgmt_txn *mgmt_txn_new(struct mgmt *m, enum mgmt_txn_kind kind);
void mgmt_txn_submit(struct mgmt_txn *t);
void mgmt_txn_prepared(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid);
void mgmt_txn_refused(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid,
		      const char *msg, const char *xpath);
void mgmt_txn_applied(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid);
void mgmt_txn_daemon_gone(struct mgmt *m, struct mgmt_daemon *d);
void mgmt_txn_session_gone(struct mgmt *m, struct mgmt_session *s);
void mgmt_txn_free_all(struct mgmt *m);
const char *mgmt_txn_kind_name(enum mgmt_txn_kind kind);
void mgmt_confirm_start(struct mgmt *m, struct lyd_node *prev,
			uint32_t commit_id, uint64_t session, uint32_t ms);
bool mgmt_confirm_accept(struct mgmt *m);
int mgmt_confirm_cancel(struct mgmt *m);
void mgmt_confirm_init(struct mgmt *m);
void mgmt_confirm_clear(struct mgmt *m);

/* mgmt_be.c: daemons */
extern const struct wp_ipc_handler mgmt_be_handlers[];
void mgmt_be_gone(struct mgmt_daemon *d);
int mgmt_be_send_prepare(struct mgmt_daemon *d, uint64_t txid,
			 enum mgmt_txn_kind kind, const char *config,
			 const char *diff);
int mgmt_be_send_apply(struct mgmt_daemon *d, uint64_t txid);
int mgmt_be_send_abort(struct mgmt_daemon *d, uint64_t txid);
struct mgmt_daemon *mgmt_be_find(struct mgmt *m, const char *name);

/* mgmt_fe.c: sessions */
extern const struct wp_ipc_handler mgmt_fe_handlers[];
struct mgmt_session *mgmt_session_find(struct mgmt *m, uint64_t id);
void mgmt_fe_gone(struct mgmt_session *s);
void mgmt_fe_reply(struct mgmt_session *s, uint32_t req_id,
		   const struct mgmt_err *e, const char *data,
		   char *const *warnings, size_t nwarnings,
		   uint32_t commit_id);

/* mgmt_history.c */
int mgmt_history_load(struct mgmt *m);
uint32_t mgmt_history_add(struct mgmt *m, const struct mgmt_who *who,
			  const char *comment, const struct lyd_node *diff,
			  const struct lyd_node *config);
struct mgmt_commit *mgmt_history_get(struct mgmt *m, uint32_t index);
void mgmt_history_free(struct mgmt *m);
json_object *mgmt_history_json(struct mgmt *m);
json_object *mgmt_commit_json(const struct mgmt_commit *c);
char *mgmt_history_text(struct mgmt *m);

/* mgmt_file.c: startup load, write memory, CLI text in and out */
#define MGMT_WRITE_BACKUP	0x1	/* keep the old file as PATH.bak */
#define MGMT_WRITE_CRASH_HOOK	0x2	/* honour WP_MGMT_TEST_CRASH_AT */
int mgmt_file_write_atomic(const char *path, const char *data, size_t len,
			   unsigned int flags, char *err, size_t errlen);
char *mgmt_file_read(const char *path, size_t *len);
int mgmt_startup_load(struct mgmt *m, struct mgmt_err *e);
int mgmt_write_memory(struct mgmt *m, struct mgmt_err *e, char **written);
int mgmt_load_cli_text(struct mgmt *m, const char *text, const char *source,
		       struct lyd_node **tree, struct mgmt_err *e);
char *mgmt_render_cli_text(struct mgmt *m, const struct lyd_node *tree,
			   struct mgmt_err *e);
int mgmt_mkdir_p(const char *path, mode_t mode);

/* mgmt_vty.c */
int mgmt_vty_install(struct wp_vty *vty, struct mgmt **mp);

#endif /* MGMTD_H */
