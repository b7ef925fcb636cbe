/*
 * wp_mgmt_client: a daemon's side of mgmtd's commit protocol.
 *
 * The daemon names itself and the YANG modules it owns; the client keeps
 * a connection to <rundir>/mgmtd.sock (reconnecting with backoff) and
 * turns mgmtd's messages into three callbacks:
 *
 *	prepare(json_full, json_diff, err, errlen, &txstate, arg)
 *		Check the new configuration and stage it, changing nothing
 *		yet.  json_full is the daemon's whole configuration after
 *		the commit (RFC 7951 JSON of its modules' subtrees, defaults
 *		included, "{}" when empty); json_diff is a libyang diff
 *		against the configuration it last applied ("{}" if none).
 *		Return 0 (prepared: keep what apply needs in *txstate), -1
 *		(refused: say why in err, one line for the user, and name
 *		the node with wp_mgmt_client_refuse_xpath() if you can), or
 *		WP_MGMT_PREPARE_PENDING to answer later with
 *		wp_mgmt_client_prepare_done().
 *	apply(txstate, arg)
 *		Make the staged configuration live.  Cannot fail: anything
 *		that could fail belongs in prepare.
 *	abort(txstate, arg)
 *		Forget the staged configuration.
 *
 *	static const char *const mods[] = { "waypoint-interface",
 *					    "waypoint-routing", NULL };
 *	rib->mgmt = wp_mgmt_client_new(loop, opts->rundir, "ribd", mods,
 *		&(struct wp_mgmt_client_cbs){ .prepare = rib_cfg_prepare,
 *		.apply = rib_cfg_apply, .abort = rib_cfg_abort, .arg = rib });
 *
 * After each connect mgmtd sends the daemon its whole running
 * configuration as one prepare/apply pair (kind WP_MGMT_TX_SYNC): treat
 * it as the complete truth and drop whatever configuration is not in it.
 * If the connection goes while a transaction is prepared, abort runs.
 * At most one transaction is open at a time.
 *
 * To work on libyang trees, parse json_full with wp_yang_parse_only()
 * (wp_yang.h); json-c's json_tokener_parse() reads it too.
 */
#ifndef WP_MGMT_CLIENT_H
#define WP_MGMT_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wp_loop;
struct wp_mgmt_client;

#define WP_MGMT_PREPARE_PENDING	1

/* Why a prepare comes (mgmt.proto TxKind). */
enum wp_mgmt_tx_kind {
	WP_MGMT_TX_COMMIT = 0,		/* a user's commit */
	WP_MGMT_TX_CHECK = 1,		/* commit check: abort follows */
	WP_MGMT_TX_SYNC = 2,		/* after connect: the whole config */
	WP_MGMT_TX_ROLLBACK = 3,	/* mgmtd's own commit (confirmed
					   commit not confirmed) */
};

struct wp_mgmt_client_cbs {
	int (*prepare)(const char *json_full, const char *json_diff,
		       char *err, size_t errlen, void **txstate, void *arg);
	void (*apply)(void *txstate, void *arg);
	void (*abort)(void *txstate, void *arg);
	void *arg;
	double backoff_min;		/* reconnect, 0: wp_ipc defaults */
	double backoff_max;
};

/*
 * Connect to <rundir>/mgmtd.sock as `name`, owning `modules` (NULL-
 * terminated; copied).  The first connect is attempted from the loop.
 */
struct wp_mgmt_client *wp_mgmt_client_new(struct wp_loop *loop,
					  const char *rundir, const char *name,
					  const char *const modules[],
					  const struct wp_mgmt_client_cbs *cbs);
/* Disconnect (abort runs on an open transaction) and free. */
void wp_mgmt_client_free(struct wp_mgmt_client *cl);

/* mgmtd accepted our hello on the current connection. */
bool wp_mgmt_client_connected(const struct wp_mgmt_client *cl);
/* The running configuration was applied since the last connect. */
bool wp_mgmt_client_synced(const struct wp_mgmt_client *cl);
/* The transaction being prepared (valid inside prepare and until it is
 * answered): its id and kind. */
uint64_t wp_mgmt_client_txid(const struct wp_mgmt_client *cl);
enum wp_mgmt_tx_kind wp_mgmt_client_tx_kind(const struct wp_mgmt_client *cl);

/* From prepare, before returning -1: the YANG path of the node at fault. */
void wp_mgmt_client_refuse_xpath(struct wp_mgmt_client *cl, const char *xpath);

/*
 * Answer a prepare that returned WP_MGMT_PREPARE_PENDING: rc 0 prepared
 * (with `txstate`), -1 refused with `err`.  -1 with errno ESRCH if that
 * transaction is gone (aborted, or the connection was lost: abort ran
 * already).
 */
int wp_mgmt_client_prepare_done(struct wp_mgmt_client *cl, int rc,
				void *txstate, const char *err);

/* Drop the connection now; it comes back after backoff and resyncs. */
void wp_mgmt_client_reconnect(struct wp_mgmt_client *cl);

#endif /* WP_MGMT_CLIENT_H */
