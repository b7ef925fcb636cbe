/*
 * wp_mgmt: what mgmtd, the daemons and the sessions share: the socket
 * name, the message types of lib/proto/mgmt.proto and the defaults.
 * doc/developer/mgmtd.md describes the protocol.
 *
 * Daemon side: wp_mgmt_client.h.  Session side (vtysh, NETCONF):
 * wp_mgmt_session.h.  YANG context and parsing helpers: wp_yang.h.
 */
#ifndef WP_MGMT_H
#define WP_MGMT_H

#define WP_MGMT_SOCK_NAME	"mgmtd.sock"	/* in the run directory */
#define WP_MGMT_COMMIT_TIMEOUT	10.0		/* seconds, per phase */
#define WP_MGMT_HISTORY_MAX	50		/* commits remembered */

/*
 * Message types, range 0x0400-0x07ff (lib/wp_ipc.h).  Daemons use
 * 0x0400-0x043f, sessions 0x0440-0x04ff.
 */
enum wp_mgmt_type {
	WP_MGMT_DAEMON_HELLO = 0x0401,		/* Wp__Mgmt__DaemonHello */
	WP_MGMT_CONFIG_PREPARE = 0x0402,	/* Wp__Mgmt__ConfigPrepare */
	WP_MGMT_CONFIG_PREPARED = 0x0403,	/* Wp__Mgmt__ConfigPrepared */
	WP_MGMT_CONFIG_REFUSED = 0x0404,	/* Wp__Mgmt__ConfigRefused */
	WP_MGMT_CONFIG_APPLY = 0x0405,		/* Wp__Mgmt__ConfigApply */
	WP_MGMT_CONFIG_APPLIED = 0x0406,	/* Wp__Mgmt__ConfigApplied */
	WP_MGMT_CONFIG_ABORT = 0x0407,		/* Wp__Mgmt__ConfigAbort */

	WP_MGMT_SESSION_OPEN = 0x0440,		/* Wp__Mgmt__SessionOpen */
	WP_MGMT_REPLY = 0x0441,			/* Wp__Mgmt__Reply */
	WP_MGMT_EDIT = 0x0442,			/* Wp__Mgmt__EditRequest */
	WP_MGMT_LOAD = 0x0443,			/* Wp__Mgmt__LoadRequest */
	WP_MGMT_COMMIT = 0x0444,		/* Wp__Mgmt__CommitRequest */
	WP_MGMT_DISCARD = 0x0445,		/* Wp__Mgmt__DiscardRequest */
	WP_MGMT_GET = 0x0446,			/* Wp__Mgmt__GetRequest */
	WP_MGMT_LOCK = 0x0447,			/* Wp__Mgmt__LockRequest */
	WP_MGMT_ROLLBACK = 0x0448,		/* Wp__Mgmt__RollbackRequest */
	WP_MGMT_VALIDATE = 0x0449,		/* Wp__Mgmt__ValidateRequest */
	WP_MGMT_WRITE = 0x044a,			/* Wp__Mgmt__WriteRequest */
	WP_MGMT_CANCEL_COMMIT = 0x044b,	/* Wp__Mgmt__CancelCommitRequest */
};

#endif /* WP_MGMT_H */
