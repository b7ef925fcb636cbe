/*
 * netconfd: the NETCONF server (RFC 6241 over SSH, RFC 6242), a session
 * client of mgmtd like vtysh.  mgmtd keeps the datastores; netconfd turns
 * NETCONF operations into wp_mgmt_session requests.
 *
 * Threads.  libnetconf2's nc_accept() blocks for the whole SSH handshake
 * and authentication, so it runs in a thread of its own (nc_main.c) that
 * only accepts sessions and hands them to the poll session, which
 * libnetconf2 locks.  Everything else (reading RPCs, the callbacks, the
 * mgmtd sessions, all wp_* calls) runs in the main thread, from a timer
 * of the event loop.  The listener thread never calls wp_* functions:
 * the memory accounting and the logger are not thread safe.
 *
 * Files:
 *	nc_main.c	options, host key, users, listener thread, polling
 *	nc_rpc.c	the operations and their errors
 *	nc_edit.c	<edit-config> content to mgmtd edits
 *	nc_filter.c	subtree filters (nc_filter.h)
 *	nc_oper.c	daemons' show json to YANG state (nc_oper.h)
 */
#ifndef NETCONFD_H
#define NETCONFD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <libyang/libyang.h>
#include <nc_server.h>		/* libnetconf2, with SSH and TLS */

#include "nc_filter.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_mgmt_session.h"

WP_MEMTYPE_DECLARE(MT_NETCONF);

#define NCD_DEFAULT_PORT	830		/* RFC 6242 §3 */
#define NCD_DEFAULT_LISTEN	"::"
#define NCD_DEFAULT_STATEDIR	LOCALSTATEDIR "/lib/waypoint"
#define NCD_HOSTKEY_FILE	"netconfd_host_ecdsa_key"
#define NCD_ENDPOINT		"main"
#define NCD_OPER_TIMEOUT	3.0	/* seconds a daemon has to answer
					 * a show command for <get> */

struct ncd_user {
	char *name;
	char *secret;		/* plain text, or a crypt(3) hash ("$...") */
};

struct ncd {
	struct wp_loop *loop;
	struct ly_ctx *ctx;
	const char *rundir;

	/* options */
	const char *listen_addr;
	uint16_t port;
	const char *users_file;
	const char *keys_file;
	const char *state_dir;

	/* read by the listener thread: written before it starts */
	struct ncd_user *users;
	size_t nusers;
	char *hostkey_path;

	struct nc_pollsession *ps;
	struct wp_timer poll_timer;
	bool polling;
	bool server_up;
	pthread_t accept_thr;
	bool accept_running;
	atomic_bool stop;
};

/* One per NETCONF session, in nc_session_set_data(). */
struct ncd_sess {
	struct wp_mgmt_session *ms;	/* opened on the first RPC */
};

extern struct ncd *ncd_global;

/* nc_rpc.c */
struct nc_server_reply *ncd_rpc(struct lyd_node *rpc,
				struct nc_session *session);
void ncd_sess_free(struct nc_session *session);

/* nc_edit.c */
struct ncd_edits {
	struct wp_mgmt_edit *v;
	char **paths;			/* owned xpaths, parallel to v */
	size_t n, cap;
};

/*
 * Turn a parsed <config> tree carrying ietf-netconf:operation metadata
 * into mgmtd edits; `defop` is the default operation ("merge" or "none").
 * The edits point into `tree` for values: keep it until they are sent.
 */
int ncd_edits_from_tree(struct ly_ctx *ctx, const struct lyd_node *tree,
			const char *defop, struct ncd_edits *out, char *err,
			size_t errlen);
void ncd_edits_free(struct ncd_edits *e);
/* Drop every ietf-netconf:operation annotation from `tree`. */
void ncd_strip_operations(struct ly_ctx *ctx, struct lyd_node *tree);

#endif /* NETCONFD_H */
