/*
 * wp_ipc: framed protobuf-c messages between Waypoint daemons over Unix
 * stream sockets.  doc/developer/ipc.md is the long version.
 *
 * Frame: a fixed 16-byte header in network byte order, then the payload,
 * one packed protobuf-c message (lib/proto/NAME.proto):
 *
 *	 0                   1                   2                   3
 *	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *	+---------------------------------------------------------------+
 *	|                 length (payload bytes, u32)                   |  0
 *	+-------------------------------+---------------+---------------+
 *	|          type (u16)           |  version (1)  |  flags (0)    |  4
 *	+-------------------------------+---------------+---------------+
 *	|              sequence (u32, per sender, from 1)               |  8
 *	+---------------------------------------------------------------+
 *	|                        reserved (0)                           | 12
 *	+---------------------------------------------------------------+
 *
 * `length` excludes the header.  `version` is WP_IPC_VERSION; a frame of
 * any other version closes the connection.  `flags` and `reserved` are
 * sent as zero and ignored on receipt (no flag is defined in version 1).
 * `sequence` counts the frames a sender sent on this connection, starting
 * at 1 and skipping 0 on wrap; replies name it (Error.sequence).
 *
 * A receiver checks the header before it reads the payload: a bad version,
 * a length above the connection's limit (WP_IPC_MAX_PAYLOAD unless set) or
 * a type without a handler closes the connection with one log line naming
 * the peer and the reason.  So does a payload protobuf-c cannot decode,
 * and a handler that returns -1.  Nothing a peer sends can crash us.
 *
 * Handler tables map a type to its protobuf descriptor and a function.
 * They are arrays ended by WP_IPC_HANDLER_END, usually static const:
 *
 *	static const struct wp_ipc_handler ribd_handlers[] = {
 *		{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, rib_hello },
 *		{ WP_RIB_ROUTE_ADD, &wp__rib__route_add__descriptor, rib_add },
 *		WP_IPC_HANDLER_END,
 *	};
 *
 * A handler gets the decoded message, which is freed when it returns:
 * copy what you keep.  It returns 0, or -1 to close the connection (it
 * logs why first).  It may send, close the connection or free the server
 * or client it belongs to.
 *
 * A handler that needs several loop passes for one message (ribd taking
 * a batch of 100k routes) returns WP_IPC_HOLD: it keeps the message (and
 * frees it with wp_ipc_msg_free()), and the connection dispatches and
 * reads nothing more until wp_ipc_conn_resume().  The peer's writes then
 * back up into its own queue: backpressure end to end.
 *
 * Backpressure: wp_ipc_send() queues a frame and returns 0.  Once more than
 * `high_water` bytes are queued it refuses (-1, errno EAGAIN) and queues
 * nothing; when the queue drains to `low_water`, on_writable() runs and
 * the producer resumes where it stopped.  Sends never block and never
 * write synchronously: frames go out from the loop.
 *
 * Clients connect from the loop, never inside wp_ipc_client_new(), and
 * reconnect after a loss with exponential backoff (backoff_min doubling
 * to backoff_max, jittered).  on_connect() runs after each connect: send
 * Hello and resync in full there.
 */
#ifndef WP_IPC_H
#define WP_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <protobuf-c/protobuf-c.h>

struct wp_loop;
struct wp_wbuf;

#define WP_IPC_VERSION		1
#define WP_IPC_HDR_LEN		16
#define WP_IPC_MAX_PAYLOAD	(16u << 20)	/* default per connection */
#define WP_IPC_HIGH_WATER	(4u << 20)	/* default queued-bytes limit */
#define WP_IPC_BACKOFF_MIN	0.1		/* seconds */
#define WP_IPC_BACKOFF_MAX	5.0

/*
 * Message types.  0 is never valid.  Ranges, one per schema file:
 *	0x0001-0x00ff	lib/proto/ipc.proto (these)
 *	0x0100-0x03ff	ribd	0x0400-0x07ff	mgmtd
 *	0x0800-0x08ff	bfdd	0x0900-		unassigned
 * A published type never changes meaning; a new meaning is a new type.
 */
enum wp_ipc_type {
	WP_IPC_HELLO = 1,		/* Wp__Ipc__Hello */
	WP_IPC_HELLO_ACK = 2,		/* Wp__Ipc__HelloAck */
	WP_IPC_ERROR = 3,		/* Wp__Ipc__Error */
	WP_IPC_KEEPALIVE = 4,		/* Wp__Ipc__Keepalive */
};

/* A decoded header, host byte order. */
struct wp_ipc_hdr {
	uint32_t length;
	uint16_t type;
	uint8_t version;
	uint8_t flags;
	uint32_t sequence;
	uint32_t reserved;
};

struct wp_ipc_conn;
struct wp_ipc_server;
struct wp_ipc_client;

struct wp_ipc_handler {
	uint16_t type;
	const ProtobufCMessageDescriptor *desc;
	int (*fn)(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		  ProtobufCMessage *msg);
};
#define WP_IPC_HANDLER_END	{ 0, NULL, NULL }
/* Handler return: keep the message and stop input until resumed. */
#define WP_IPC_HOLD		1

/*
 * Callbacks and limits of a server's connections or of a client; copied
 * by wp_ipc_*_new(), may be NULL.  Zero limits select the defaults.
 */
struct wp_ipc_callbacks {
	/* Server: a peer connected.  Client: connected (send Hello). */
	void (*on_connect)(struct wp_ipc_conn *c);
	/* The connection is gone; free what hangs off it.  No sends. */
	void (*on_disconnect)(struct wp_ipc_conn *c);
	/* A refused or over-high-water queue drained to low water. */
	void (*on_writable)(struct wp_ipc_conn *c);
	void *arg;			/* wp_ipc_conn_arg() */
	uint32_t max_payload;		/* WP_IPC_MAX_PAYLOAD */
	size_t high_water;		/* WP_IPC_HIGH_WATER */
	size_t low_water;		/* high_water / 4 */
	double backoff_min;		/* client: WP_IPC_BACKOFF_MIN */
	double backoff_max;		/* client: WP_IPC_BACKOFF_MAX */
};

struct wp_ipc_stats {
	uint64_t rx_frames;
	uint64_t rx_bytes;
	uint64_t tx_frames;
	uint64_t tx_bytes;
	uint64_t refused;		/* sends refused by backpressure */
	size_t queued;			/* bytes waiting to be written */
	size_t queued_peak;
};

/* Server --------------------------------------------------------------- */

/*
 * Listen on `path` (its directory must exist).  A stale socket is removed;
 * a live one (another daemon answers) fails with EADDRINUSE, any other
 * file with EEXIST.  The socket gets mode 0660.  NULL with errno set on
 * failure; the caller logs.
 */
struct wp_ipc_server *wp_ipc_server_new(struct wp_loop *loop, const char *path,
					const struct wp_ipc_handler *handlers,
					const struct wp_ipc_callbacks *cb);
/* Close every connection (on_disconnect runs), stop, unlink the socket. */
void wp_ipc_server_free(struct wp_ipc_server *s);
size_t wp_ipc_server_nconns(const struct wp_ipc_server *s);
/* Call fn on each connection; fn may close the one it is given. */
void wp_ipc_server_foreach(struct wp_ipc_server *s,
			   void (*fn)(struct wp_ipc_conn *c, void *arg),
			   void *arg);

/* Client --------------------------------------------------------------- */

struct wp_ipc_client *wp_ipc_client_new(struct wp_loop *loop, const char *path,
					const struct wp_ipc_handler *handlers,
					const struct wp_ipc_callbacks *cb);
/* Close the connection if any (on_disconnect runs) and stop retrying. */
void wp_ipc_client_free(struct wp_ipc_client *cl);
/* The current connection, NULL while disconnected. */
struct wp_ipc_conn *wp_ipc_client_conn(const struct wp_ipc_client *cl);
/*
 * While disconnected: make the next attempt `seconds` from now (capped at
 * backoff_max, jittered) instead of after the usual backoff.  For a
 * client whose peer accepts the connection and then refuses the session
 * (the backoff restarts at every successful connect).
 */
void wp_ipc_client_retry_after(struct wp_ipc_client *cl, double seconds);
/* wp_ipc_send() on the current connection; ENOTCONN without one. */
int wp_ipc_client_send(struct wp_ipc_client *cl, uint16_t type,
		       const ProtobufCMessage *msg);

/* Connections ---------------------------------------------------------- */

/*
 * Queue one frame; `msg` NULL sends an empty payload.  -1 with errno:
 * EAGAIN over high water (nothing queued; wait for on_writable), EMSGSIZE
 * above the payload limit, ENOTCONN on a closed connection.
 */
int wp_ipc_send(struct wp_ipc_conn *c, uint16_t type,
		const ProtobufCMessage *msg);
/*
 * Close now; queued frames are dropped and on_disconnect runs.  A client
 * connection is then retried after backoff_min.
 */
void wp_ipc_conn_close(struct wp_ipc_conn *c);
/* Peer name for logs: "pid 1234" until the owner names it ("ospfd"). */
const char *wp_ipc_conn_name(const struct wp_ipc_conn *c);
void wp_ipc_conn_set_name(struct wp_ipc_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The callbacks' `arg`; and one pointer of per-connection state. */
void *wp_ipc_conn_arg(const struct wp_ipc_conn *c);
void *wp_ipc_conn_data(const struct wp_ipc_conn *c);
void wp_ipc_conn_set_data(struct wp_ipc_conn *c, void *data);
void wp_ipc_conn_set_max_payload(struct wp_ipc_conn *c, uint32_t max);
/*
 * After a handler returned WP_IPC_HOLD: dispatch the frames already read
 * (from here, unless called inside this connection's own handler) and
 * read again.  No-op if the connection is not held.
 */
void wp_ipc_conn_resume(struct wp_ipc_conn *c);
bool wp_ipc_conn_held(const struct wp_ipc_conn *c);
/* True while sends are refused or the queue is above high water. */
bool wp_ipc_conn_congested(const struct wp_ipc_conn *c);
const struct wp_ipc_stats *wp_ipc_conn_stats(const struct wp_ipc_conn *c);
/*
 * The peer's process, user and group from SO_PEERCRED, as they were when
 * it connected; any pointer may be NULL.  -1 with errno on a closed
 * connection.
 */
int wp_ipc_conn_peer_cred(const struct wp_ipc_conn *c, pid_t *pid, uid_t *uid,
			  gid_t *gid);

/* Frames without a socket (encoders, tests, fuzzers) ------------------- */

/*
 * Look at the start of `data`.  Returns 1 when a whole frame is there
 * (*consumed = header + payload), 0 when more bytes are needed, -1 when
 * the header is invalid (reason in `err`, which may be NULL).  `h` is
 * filled as soon as the header is complete, even when returning 0.
 * Uses WP_IPC_MAX_PAYLOAD.
 */
int wp_ipc_frame_parse(const uint8_t *data, size_t len, struct wp_ipc_hdr *h,
		       size_t *consumed, char *err, size_t errlen);
/*
 * Parse one frame, look its type up in `table`, decode the payload and
 * call the handler with `c` (which may be NULL).  Returns as
 * wp_ipc_frame_parse(); -1 also for an unknown type (known as soon as the
 * header is complete), an undecodable payload and a handler's -1.
 */
int wp_ipc_frame_dispatch(const struct wp_ipc_handler *table,
			  struct wp_ipc_conn *c, const uint8_t *data,
			  size_t len, size_t *consumed, char *err,
			  size_t errlen);
/* Append a whole frame to `w`; 0, or -1 if `w` cannot take it. */
int wp_ipc_frame_encode(struct wp_wbuf *w, uint16_t type, uint32_t sequence,
			const ProtobufCMessage *msg);
const struct wp_ipc_handler *
wp_ipc_handler_find(const struct wp_ipc_handler *table, uint16_t type);
/* protobuf-c allocator counting in the "IPC message" memory type. */
ProtobufCAllocator *wp_ipc_allocator(void);
/* Free a message a handler held (WP_IPC_HOLD); NULL is ignored. */
void wp_ipc_msg_free(ProtobufCMessage *msg);

#endif /* WP_IPC_H */
