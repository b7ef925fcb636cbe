/*
 * mgmt_be.c: the daemons ("backends") connected to mgmtd.sock.
 *
 * A daemon says DaemonHello with its name and the YANG modules it owns.
 * Ownership is by module name, and a module may have several owners
 * (waypoint-routing's key chains and route-maps go to every protocol
 * daemon that lists it).  Each daemon is sent the nodes of its modules,
 * including nodes they augment into other modules' trees.  One
 * connection per daemon name: a second hello with the same name replaces
 * the first connection (a restarted daemon whose old socket has not been
 * noticed closed yet).  After the hello mgmtd queues a SYNC transaction
 * that sends the daemon its whole running part.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/proto/ipc.pb-c.h"
#include "lib/proto/mgmt.pb-c.h"
#include "mgmtd.h"

#define MAX_MODULES	64

struct mgmt_daemon *
mgmt_be_find(struct mgmt *m, const char *name)
{
	struct mgmt_daemon *d;

	TAILQ_FOREACH(d, &m->daemons, entry)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

static void
be_free(struct mgmt_daemon *d)
{
	for (size_t i = 0; i < d->nmodules; i++)
		wp_free(MT_MGMT, d->modules[i]);
	wp_free(MT_MGMT, d->modules);
	lyd_free_all(d->applied);
	lyd_free_all(d->rejected);
	wp_free(MT_MGMT, d);
}

static void
be_refuse(struct wp_ipc_conn *c, const char *why)
{
	Wp__Ipc__Error e = WP__IPC__ERROR__INIT;

	e.code = WP__IPC__ERROR_CODE__ERROR_REFUSED;
	e.text = (char *)(uintptr_t)why;
	wp_ipc_send(c, WP_IPC_ERROR, &e.base);
	wp_log_warnx("mgmtd: %s: hello refused: %s", wp_ipc_conn_name(c), why);
}

static int
mgmt_be_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	Wp__Mgmt__DaemonHello *hm = (Wp__Mgmt__DaemonHello *)msg;
	Wp__Ipc__HelloAck ack = WP__IPC__HELLO_ACK__INIT;
	struct mgmt *m = wp_ipc_conn_arg(c);
	struct mgmt_daemon *d, *old;
	char mods[512] = "";
	struct mgmt_txn *t;

	if (wp_ipc_conn_data(c) != NULL) {
		wp_log_errx("mgmtd: %s: second hello", wp_ipc_conn_name(c));
		return -1;
	}
	if (hm->daemon[0] == '\0' || strlen(hm->daemon) >= sizeof(d->name) ||
	    hm->n_modules > MAX_MODULES) {
		be_refuse(c, "bad daemon name or too many modules");
		return 0;
	}
	if ((old = mgmt_be_find(m, hm->daemon)) != NULL) {
		wp_log_warnx("mgmtd: %s connected again; dropping its old "
			     "connection", hm->daemon);
		wp_ipc_conn_close(old->conn);
	}
	d = wp_calloc(MT_MGMT, sizeof(*d));
	d->kind = MGMT_PEER_DAEMON;
	d->m = m;
	d->conn = c;
	snprintf(d->name, sizeof(d->name), "%s", hm->daemon);
	if (wp_ipc_conn_peer_cred(c, &d->pid, NULL, NULL) == -1)
		d->pid = (pid_t)hm->pid;
	d->since = wp_loop_now(m->loop);
	d->modules = wp_calloc(MT_MGMT, (hm->n_modules + 1) * sizeof(char *));
	for (size_t i = 0; i < hm->n_modules; i++) {
		size_t used = strlen(mods);

		d->modules[d->nmodules++] = wp_strdup(MT_MGMT,
						      hm->modules[i]);
		snprintf(mods + used, sizeof(mods) - used, "%s%s",
			 used ? " " : "", hm->modules[i]);
		if (ly_ctx_get_module_implemented(m->ctx,
						  hm->modules[i]) == NULL)
			wp_log_warnx("mgmtd: %s owns YANG module %s, which is "
				     "not loaded: it gets no configuration "
				     "from it", d->name, hm->modules[i]);
	}
	TAILQ_INSERT_TAIL(&m->daemons, d, entry);
	wp_ipc_conn_set_data(c, d);
	wp_ipc_conn_set_name(c, "%s[%d]", d->name, (int)d->pid);
	wp_log_info("mgmtd: %s connected (pid %d, modules: %s)", d->name,
		    (int)d->pid, mods[0] ? mods : "none");

	ack.daemon = "mgmtd";
	ack.pid = (uint32_t)getpid();
	ack.version = PACKAGE_VERSION;
	if (wp_ipc_send(c, WP_IPC_HELLO_ACK, &ack.base) == -1)
		return -1;
	t = mgmt_txn_new(m, MGMT_TXN_SYNC);
	t->sync_daemon = d;
	mgmt_txn_submit(t);
	return 0;
}

/* The connection went: forget the daemon; transactions notice. */
void
mgmt_be_gone(struct mgmt_daemon *d)
{
	struct mgmt *m = d->m;

	wp_log_info("mgmtd: %s disconnected", d->name);
	TAILQ_REMOVE(&m->daemons, d, entry);
	mgmt_txn_daemon_gone(m, d);
	be_free(d);
}

/* The daemon behind a connection, or NULL (then the caller closes). */
static struct mgmt_daemon *
be_of(struct wp_ipc_conn *c, const char *what)
{
	struct mgmt_daemon *d = wp_ipc_conn_data(c);

	if (d == NULL || d->kind != MGMT_PEER_DAEMON) {
		wp_log_errx("mgmtd: %s: %s from a peer that is not a daemon",
			    wp_ipc_conn_name(c), what);
		return NULL;
	}
	return d;
}

static int
mgmt_be_prepared(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		 ProtobufCMessage *msg)
{
	Wp__Mgmt__ConfigPrepared *pm = (Wp__Mgmt__ConfigPrepared *)msg;
	struct mgmt_daemon *d = be_of(c, "prepared");

	if (d == NULL)
		return -1;
	mgmt_txn_prepared(d->m, d, pm->txid);
	return 0;
}

static int
mgmt_be_refused(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		ProtobufCMessage *msg)
{
	Wp__Mgmt__ConfigRefused *rm = (Wp__Mgmt__ConfigRefused *)msg;
	struct mgmt_daemon *d = be_of(c, "refused");

	if (d == NULL)
		return -1;
	mgmt_txn_refused(d->m, d, rm->txid,
			 rm->message[0] ? rm->message : "no reason given",
			 rm->xpath);
	return 0;
}

static int
mgmt_be_applied(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		ProtobufCMessage *msg)
{
	Wp__Mgmt__ConfigApplied *am = (Wp__Mgmt__ConfigApplied *)msg;
	struct mgmt_daemon *d = be_of(c, "applied");

	if (d == NULL)
		return -1;
	mgmt_txn_applied(d->m, d, am->txid);
	return 0;
}

const struct wp_ipc_handler mgmt_be_handlers[] = {
	{ WP_MGMT_DAEMON_HELLO, &wp__mgmt__daemon_hello__descriptor,
	  mgmt_be_hello },
	{ WP_MGMT_CONFIG_PREPARED, &wp__mgmt__config_prepared__descriptor,
	  mgmt_be_prepared },
	{ WP_MGMT_CONFIG_REFUSED, &wp__mgmt__config_refused__descriptor,
	  mgmt_be_refused },
	{ WP_MGMT_CONFIG_APPLIED, &wp__mgmt__config_applied__descriptor,
	  mgmt_be_applied },
	WP_IPC_HANDLER_END,
};

/* --- sending ------------------------------------------------------------- */

int
mgmt_be_send_prepare(struct mgmt_daemon *d, uint64_t txid,
		     enum mgmt_txn_kind kind, const char *config,
		     const char *diff)
{
	Wp__Mgmt__ConfigPrepare pm = WP__MGMT__CONFIG_PREPARE__INIT;

	pm.txid = txid;
	pm.kind = (Wp__Mgmt__TxKind)kind;
	pm.config = (char *)(uintptr_t)config;
	pm.diff = (char *)(uintptr_t)diff;
	if (wp_ipc_send(d->conn, WP_MGMT_CONFIG_PREPARE, &pm.base) == -1) {
		int saved = errno;

		wp_log_warn("mgmtd: %s: prepare", d->name);
		errno = saved;
		return -1;
	}
	return 0;
}

int
mgmt_be_send_apply(struct mgmt_daemon *d, uint64_t txid)
{
	Wp__Mgmt__ConfigApply am = WP__MGMT__CONFIG_APPLY__INIT;

	am.txid = txid;
	if (wp_ipc_send(d->conn, WP_MGMT_CONFIG_APPLY, &am.base) == -1) {
		wp_log_warn("mgmtd: %s: apply", d->name);
		return -1;
	}
	return 0;
}

int
mgmt_be_send_abort(struct mgmt_daemon *d, uint64_t txid)
{
	Wp__Mgmt__ConfigAbort am = WP__MGMT__CONFIG_ABORT__INIT;

	am.txid = txid;
	if (wp_ipc_send(d->conn, WP_MGMT_CONFIG_ABORT, &am.base) == -1) {
		wp_log_warn("mgmtd: %s: abort", d->name);
		return -1;
	}
	return 0;
}
