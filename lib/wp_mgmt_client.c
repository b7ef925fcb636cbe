/*
 * wp_mgmt_client.c: the daemon side of mgmtd's two-phase commit.
 *
 * One wp_ipc client to mgmtd.sock.  On each connect it says DaemonHello;
 * mgmtd answers HelloAck and then drives transactions:
 *
 *	ConfigPrepare  -> prepare() -> ConfigPrepared | ConfigRefused
 *	ConfigApply    -> apply()   -> ConfigApplied
 *	ConfigAbort    -> abort()
 *
 * The client holds the one open transaction (id, kind, the daemon's
 * txstate) and checks that apply and abort name it.  A message that
 * names another transaction is a protocol error: the connection is
 * closed, and the reconnect brings a full resync.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/proto/ipc.pb-c.h"
#include "lib/proto/mgmt.pb-c.h"
#include "wp_ipc.h"
#include "wp_log.h"
#include "wp_mem.h"
#include "wp_mgmt.h"
#include "wp_mgmt_client.h"

WP_MEMTYPE_DEFINE(MT_MGMT_CLIENT, "mgmt client");
WP_DEBUG_DEFINE(DBG_MGMT_CLIENT, "mgmt-client");

#define ERR_MAX		512

enum tx_state {
	TX_IDLE,
	TX_PENDING,		/* prepare answered later */
	TX_PREPARED,
};

struct wp_mgmt_client {
	struct wp_ipc_client *ipc;
	struct wp_mgmt_client_cbs cbs;
	char *name;
	char **modules;
	size_t nmodules;
	bool connected;		/* hello acknowledged */
	bool synced;

	enum tx_state tx_state;
	uint64_t txid;
	enum wp_mgmt_tx_kind tx_kind;
	void *txstate;
	char *refuse_xpath;	/* set during prepare */
};

static void
tx_reset(struct wp_mgmt_client *cl)
{
	cl->tx_state = TX_IDLE;
	cl->txstate = NULL;
	wp_free(MT_MGMT_CLIENT, cl->refuse_xpath);
	cl->refuse_xpath = NULL;
}

static void
tx_abort(struct wp_mgmt_client *cl)
{
	if (cl->tx_state == TX_IDLE)
		return;
	wp_debug(DBG_MGMT_CLIENT, "mgmt: tx %llu: abort",
		 (unsigned long long)cl->txid);
	if (cl->cbs.abort)
		cl->cbs.abort(cl->txstate, cl->cbs.arg);
	tx_reset(cl);
}

/* Answer the open transaction: prepared or refused. */
static int
tx_answer(struct wp_mgmt_client *cl, int rc, void *txstate, const char *err)
{
	if (rc == 0) {
		Wp__Mgmt__ConfigPrepared m = WP__MGMT__CONFIG_PREPARED__INIT;

		m.txid = cl->txid;
		cl->tx_state = TX_PREPARED;
		cl->txstate = txstate;
		wp_debug(DBG_MGMT_CLIENT, "mgmt: tx %llu: prepared",
			 (unsigned long long)cl->txid);
		return wp_ipc_client_send(cl->ipc, WP_MGMT_CONFIG_PREPARED,
					  &m.base);
	} else {
		Wp__Mgmt__ConfigRefused m = WP__MGMT__CONFIG_REFUSED__INIT;
		int ret;

		m.txid = cl->txid;
		m.message = (char *)(uintptr_t)(err && err[0] ? err :
						"refused");
		m.xpath = cl->refuse_xpath ? cl->refuse_xpath : "";
		wp_log_warnx("mgmt: configuration refused: %s%s%s", m.message,
			     m.xpath[0] ? " at " : "", m.xpath);
		ret = wp_ipc_client_send(cl->ipc, WP_MGMT_CONFIG_REFUSED,
					 &m.base);
		tx_reset(cl);
		return ret;
	}
}

/* --- handlers ------------------------------------------------------------ */

static int
on_hello_ack(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	struct wp_mgmt_client *cl = wp_ipc_conn_arg(c);

	cl->connected = true;
	wp_log_info("mgmt: connected to mgmtd as %s", cl->name);
	return 0;
}

static int
on_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Ipc__Error *m = (Wp__Ipc__Error *)msg;

	wp_log_warnx("mgmt: mgmtd says: %s", m->text);
	return 0;
}

static int
on_prepare(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	   ProtobufCMessage *msg)
{
	Wp__Mgmt__ConfigPrepare *m = (Wp__Mgmt__ConfigPrepare *)msg;
	struct wp_mgmt_client *cl = wp_ipc_conn_arg(c);
	char err[ERR_MAX] = "";
	void *txstate = NULL;
	int rc;

	if (cl->tx_state != TX_IDLE) {
		wp_log_warnx("mgmt: tx %llu: prepare while tx %llu is open; "
			     "aborting that one", (unsigned long long)m->txid,
			     (unsigned long long)cl->txid);
		tx_abort(cl);
	}
	cl->txid = m->txid;
	cl->tx_kind = (enum wp_mgmt_tx_kind)m->kind;
	cl->tx_state = TX_PENDING;
	wp_debug(DBG_MGMT_CLIENT, "mgmt: tx %llu: prepare (kind %d, %zu "
		 "bytes)", (unsigned long long)m->txid, (int)m->kind,
		 strlen(m->config));
	rc = cl->cbs.prepare ? cl->cbs.prepare(m->config, m->diff, err,
					       sizeof(err), &txstate,
					       cl->cbs.arg) : 0;
	if (rc == WP_MGMT_PREPARE_PENDING)
		return 0;
	return tx_answer(cl, rc, txstate, err) == -1 ? -1 : 0;
}

static int
on_apply(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Mgmt__ConfigApply *m = (Wp__Mgmt__ConfigApply *)msg;
	Wp__Mgmt__ConfigApplied done = WP__MGMT__CONFIG_APPLIED__INIT;
	struct wp_mgmt_client *cl = wp_ipc_conn_arg(c);

	if (cl->tx_state != TX_PREPARED || m->txid != cl->txid) {
		wp_log_errx("mgmt: apply of tx %llu, which is not prepared; "
			    "resyncing", (unsigned long long)m->txid);
		return -1;
	}
	wp_debug(DBG_MGMT_CLIENT, "mgmt: tx %llu: apply",
		 (unsigned long long)m->txid);
	if (cl->cbs.apply)
		cl->cbs.apply(cl->txstate, cl->cbs.arg);
	tx_reset(cl);
	cl->synced = true;
	done.txid = m->txid;
	if (wp_ipc_send(c, WP_MGMT_CONFIG_APPLIED, &done.base) == -1)
		return -1;
	return 0;
}

static int
on_abort(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Mgmt__ConfigAbort *m = (Wp__Mgmt__ConfigAbort *)msg;
	struct wp_mgmt_client *cl = wp_ipc_conn_arg(c);

	/* An abort after our refusal finds nothing open: fine. */
	if (cl->tx_state != TX_IDLE && m->txid == cl->txid)
		tx_abort(cl);
	return 0;
}

static const struct wp_ipc_handler client_handlers[] = {
	{ WP_IPC_HELLO_ACK, &wp__ipc__hello_ack__descriptor, on_hello_ack },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, on_error },
	{ WP_MGMT_CONFIG_PREPARE, &wp__mgmt__config_prepare__descriptor,
	  on_prepare },
	{ WP_MGMT_CONFIG_APPLY, &wp__mgmt__config_apply__descriptor,
	  on_apply },
	{ WP_MGMT_CONFIG_ABORT, &wp__mgmt__config_abort__descriptor,
	  on_abort },
	WP_IPC_HANDLER_END,
};

/* --- connection ---------------------------------------------------------- */

static void
client_connected(struct wp_ipc_conn *c)
{
	struct wp_mgmt_client *cl = wp_ipc_conn_arg(c);
	Wp__Mgmt__DaemonHello m = WP__MGMT__DAEMON_HELLO__INIT;

	wp_ipc_conn_set_name(c, "mgmtd");
	m.daemon = cl->name;
	m.pid = (uint32_t)getpid();
	m.version = PACKAGE_VERSION;
	m.n_modules = cl->nmodules;
	m.modules = cl->modules;
	if (wp_ipc_send(c, WP_MGMT_DAEMON_HELLO, &m.base) == -1)
		wp_log_warn("mgmt: hello");
}

static void
client_lost(struct wp_ipc_conn *c)
{
	struct wp_mgmt_client *cl = wp_ipc_conn_arg(c);

	if (cl->connected)
		wp_log_warnx("mgmt: connection to mgmtd lost; reconnecting");
	cl->connected = false;
	cl->synced = false;
	tx_abort(cl);
}

struct wp_mgmt_client *
wp_mgmt_client_new(struct wp_loop *loop, const char *rundir, const char *name,
		   const char *const modules[],
		   const struct wp_mgmt_client_cbs *cbs)
{
	struct wp_mgmt_client *cl = wp_calloc(MT_MGMT_CLIENT, sizeof(*cl));
	struct wp_ipc_callbacks icb = {
		.on_connect = client_connected,
		.on_disconnect = client_lost,
	};
	char path[4096];

	cl->cbs = *cbs;
	cl->name = wp_strdup(MT_MGMT_CLIENT, name);
	while (modules && modules[cl->nmodules])
		cl->nmodules++;
	cl->modules = wp_calloc(MT_MGMT_CLIENT,
				(cl->nmodules + 1) * sizeof(char *));
	for (size_t i = 0; i < cl->nmodules; i++)
		cl->modules[i] = wp_strdup(MT_MGMT_CLIENT, modules[i]);
	icb.arg = cl;
	icb.backoff_min = cbs->backoff_min;
	icb.backoff_max = cbs->backoff_max;
	snprintf(path, sizeof(path), "%s/%s", rundir, WP_MGMT_SOCK_NAME);
	cl->ipc = wp_ipc_client_new(loop, path, client_handlers, &icb);
	return cl;
}

void
wp_mgmt_client_free(struct wp_mgmt_client *cl)
{
	if (cl == NULL)
		return;
	wp_ipc_client_free(cl->ipc);	/* client_lost aborts */
	tx_reset(cl);
	for (size_t i = 0; i < cl->nmodules; i++)
		wp_free(MT_MGMT_CLIENT, cl->modules[i]);
	wp_free(MT_MGMT_CLIENT, cl->modules);
	wp_free(MT_MGMT_CLIENT, cl->name);
	wp_free(MT_MGMT_CLIENT, cl);
}

bool
wp_mgmt_client_connected(const struct wp_mgmt_client *cl)
{
	return cl->connected;
}

bool
wp_mgmt_client_synced(const struct wp_mgmt_client *cl)
{
	return cl->synced;
}

uint64_t
wp_mgmt_client_txid(const struct wp_mgmt_client *cl)
{
	return cl->txid;
}

enum wp_mgmt_tx_kind
wp_mgmt_client_tx_kind(const struct wp_mgmt_client *cl)
{
	return cl->tx_kind;
}

void
wp_mgmt_client_refuse_xpath(struct wp_mgmt_client *cl, const char *xpath)
{
	wp_free(MT_MGMT_CLIENT, cl->refuse_xpath);
	cl->refuse_xpath = xpath ? wp_strdup(MT_MGMT_CLIENT, xpath) : NULL;
}

int
wp_mgmt_client_prepare_done(struct wp_mgmt_client *cl, int rc, void *txstate,
			    const char *err)
{
	if (cl->tx_state != TX_PENDING) {
		errno = ESRCH;
		return -1;
	}
	if (tx_answer(cl, rc, txstate, err) == -1) {
		struct wp_ipc_conn *c = wp_ipc_client_conn(cl->ipc);

		/* Cannot answer: drop the link; the resync sorts it out. */
		if (c)
			wp_ipc_conn_close(c);
		return -1;
	}
	return 0;
}

void
wp_mgmt_client_reconnect(struct wp_mgmt_client *cl)
{
	struct wp_ipc_conn *c = wp_ipc_client_conn(cl->ipc);

	if (c)
		wp_ipc_conn_close(c);
}
