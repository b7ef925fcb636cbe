/*
 * bfdd.h: Bidirectional Forwarding Detection (RFC 5880, 5881, 5883).
 *
 * The map of the daemon.  Data flows one way through the files:
 *
 *	bfd_socket.c	UDP sockets; recvmsg() -> struct bfd_rx_meta
 *	bfd_vrf.c	one set of receive sockets per VRF in use
 *	bfd_packet.c	bytes <-> struct bfd_pkt, the field checks of §6.8.6
 *	bfd_auth.c	authentication section: sign and verify (§6.7)
 *	bfd_session.c	sessions, discriminators, timers, poll/final and
 *			the rest of the §6.8.6 reception procedure
 *	bfd_fsm.c	the state machine (§6.2, §6.8.6) as a table
 *	bfd_echo.c	the echo function (§6.4, §6.8.9)
 *	bfd_conf.c	the FRR-syntax text parser -> struct bfd_conf
 *	bfd_mgmt.c	mgmtd's YANG data -> that text -> struct bfd_conf
 *	bfd_nb.c	struct bfd_conf -> sessions (bfd_conf_apply)
 *	bfd_client.c	bfdd.sock: other daemons register peers
 *	bfd_show.c	show/clear commands, one json_object each
 *	bfd_main.c	start-up only
 *
 * Units: intervals are microseconds inside the daemon and on the wire,
 * milliseconds in the configuration; times are seconds (double) from
 * wp_monotime() unless named *_wall (CLOCK_REALTIME, for the user).
 */
#ifndef BFDD_H
#define BFDD_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

#include "wp_keychain.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_prefix.h"

struct wp_vty;
struct wp_wbuf;
struct wp_ipc_server;
struct bfd_global;
struct bfd_client;
struct bfd_reg;

/* --- protocol constants ---------------------------------------------- */

#define BFD_VERSION		1
#define BFD_PKT_LEN		24	/* mandatory section (§4.1) */
#define BFD_PKT_MAX		(BFD_PKT_LEN + 28)	/* with SHA1 auth */
#define BFD_PORT_SINGLE		3784	/* RFC 5881 §4 */
#define BFD_PORT_ECHO		3785	/* RFC 5881 §4 */
#define BFD_PORT_MULTI		4784	/* RFC 5883 §5 */
#define BFD_ECHO_LEN		24	/* our echo payload (bfd_echo.c) */
#define BFD_SRC_PORT_MIN	49152	/* RFC 5881 §4 */
#define BFD_SRC_PORT_MAX	65535
#define BFD_TTL			255	/* RFC 5881 §5 */
#define BFD_SLOW_TX_US		1000000	/* §6.8.3: at least 1 s unless Up */

/* Flags, byte 1 of the packet after the two state bits (§4.1). */
#define BFD_F_POLL		0x20
#define BFD_F_FINAL		0x10
#define BFD_F_CPI		0x08
#define BFD_F_AUTH		0x04
#define BFD_F_DEMAND		0x02
#define BFD_F_MULTIPOINT	0x01

/* Session states, wire values (§4.1). */
enum bfd_state {
	BFD_STA_ADMIN_DOWN = 0,
	BFD_STA_DOWN = 1,
	BFD_STA_INIT = 2,
	BFD_STA_UP = 3,
	BFD_STA_MAX,
};

/* Diagnostic codes, wire values (§4.1); 9-31 are reserved. */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_CTL_EXPIRED = 1,
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NBR_DOWN = 3,
	BFD_DIAG_FWD_RESET = 4,
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8,
	BFD_DIAG_MAX,
};

/* Authentication types, wire values (§4.2). */
enum bfd_auth_type {
	BFD_AUTH_NONE = 0,
	BFD_AUTH_SIMPLE = 1,
	BFD_AUTH_KEYED_MD5 = 2,
	BFD_AUTH_MET_KEYED_MD5 = 3,
	BFD_AUTH_KEYED_SHA1 = 4,
	BFD_AUTH_MET_KEYED_SHA1 = 5,
	BFD_AUTH_MAX,
};

#define BFD_AUTH_KEY_MAX	20	/* SHA1 key; passwords are 1-16 */
#define BFD_PASSWORD_MAX	16	/* §4.2 */

/* FSM events (bfd_fsm.c). */
enum bfd_event {
	BFD_EVT_RX_ADMIN_DOWN,	/* packet with State AdminDown */
	BFD_EVT_RX_DOWN,
	BFD_EVT_RX_INIT,
	BFD_EVT_RX_UP,
	BFD_EVT_TIMER,		/* Detection Time expired (§6.8.4) */
	BFD_EVT_ECHO_TIMER,	/* Echo Detection Time expired (§6.8.5) */
	BFD_EVT_ADMIN_DOWN,	/* shutdown (§6.8.16) */
	BFD_EVT_ADMIN_UP,	/* no shutdown */
	BFD_EVT_MAX,
};

enum bfd_action {
	BFD_ACT_NONE,		/* no change */
	BFD_ACT_INIT,		/* -> Init */
	BFD_ACT_UP,		/* -> Up, diag cleared */
	BFD_ACT_DOWN_NBR,	/* -> Down, diag Neighbor Signaled Down */
	BFD_ACT_DOWN_TIMER,	/* -> Down, diag Control Detection Expired */
	BFD_ACT_DOWN_ECHO,	/* -> Down, diag Echo Function Failed */
	BFD_ACT_ADMIN_DOWN,	/* -> AdminDown, diag Administratively Down */
	BFD_ACT_ENABLE,		/* AdminDown -> Down, diag cleared */
	BFD_ACT_MAX,
};

struct bfd_fsm_row {
	enum bfd_state state;
	enum bfd_event event;
	enum bfd_action action;
	enum bfd_state next;
};

/*
 * Why a received packet was dropped.  Counted globally and, once the
 * packet is tied to a session, per session.
 */
enum bfd_rx_err {
	BFD_RXE_OK = 0,
	BFD_RXE_TRUNCATED,	/* datagram shorter than the fixed part */
	BFD_RXE_VERSION,	/* §6.8.6: version not 1 */
	BFD_RXE_LEN_SHORT,	/* Length < 24 (26 with A) */
	BFD_RXE_LEN_LONG,	/* Length > UDP payload */
	BFD_RXE_DETECT_MULT,	/* Detect Mult 0 */
	BFD_RXE_MULTIPOINT,	/* M bit set */
	BFD_RXE_MY_DISC,	/* My Discriminator 0 */
	BFD_RXE_YOUR_DISC,	/* Your Discriminator 0, not (Admin)Down */
	BFD_RXE_NO_SESSION,	/* nothing to demultiplex to */
	BFD_RXE_TTL,		/* RFC 5881 §5, RFC 5883 §5 */
	BFD_RXE_AUTH_UNEXPECTED,/* A set, session has no authentication */
	BFD_RXE_AUTH_MISSING,	/* A clear, session authenticates */
	BFD_RXE_AUTH_TYPE,	/* unknown type or not the session's */
	BFD_RXE_AUTH_LEN,	/* Auth Len wrong for the type */
	BFD_RXE_AUTH_KEY_ID,	/* no such key */
	BFD_RXE_AUTH_PASSWORD,	/* simple password mismatch */
	BFD_RXE_AUTH_DIGEST,	/* MD5/SHA1 digest mismatch */
	BFD_RXE_AUTH_SEQ,	/* sequence number out of window */
	BFD_RXE_ADMIN_DOWN,	/* session AdminDown: discarded (§6.8.6) */
	BFD_RXE_MAX,
};

/* A decoded control packet; auth_* only when flags has BFD_F_AUTH. */
struct bfd_pkt {
	uint8_t version;
	uint8_t diag;
	uint8_t state;
	uint8_t flags;
	uint8_t detect_mult;
	uint8_t length;
	uint32_t my_disc;
	uint32_t your_disc;
	uint32_t des_min_tx;		/* microseconds */
	uint32_t req_min_rx;
	uint32_t req_min_echo_rx;
	uint8_t auth_type;
	uint8_t auth_len;
	uint8_t auth_key_id;
	uint32_t auth_seq;		/* MD5 and SHA1 types */
	const uint8_t *auth_data;	/* password or digest, in the packet */
	size_t auth_data_len;
};

/* --- configuration (struct only: bfd_nb.c applies it) ---------------- */

#define BFD_NAME_MAX		64

/* What identifies a session: FRR's "peer ... [multihop] [local-address]
 * [interface] [vrf]" line.  Always memset to 0 before filling. */
struct bfd_key {
	struct wp_addr peer;
	struct wp_addr local;		/* family 0: not given */
	char ifname[IFNAMSIZ];		/* "": any */
	char vrf[IFNAMSIZ];		/* "": the default VRF */
	bool multihop;
};

#define BFD_VRF_DEFAULT		"default"


struct bfd_auth {
	uint8_t type;			/* enum bfd_auth_type */
	uint8_t key_id;
	uint8_t key_len;
	uint8_t key[BFD_AUTH_KEY_MAX];
	char key_chain[WP_KC_NAME_MAX + 1];	/* "": key_id and key */
};

/* Which fields of a struct bfd_params were given (profile inheritance). */
enum bfd_param_bit {
	BFD_P_DETECT_MULT = 1 << 0,
	BFD_P_RX = 1 << 1,
	BFD_P_TX = 1 << 2,
	BFD_P_ECHO_MODE = 1 << 3,
	BFD_P_ECHO_RX = 1 << 4,
	BFD_P_ECHO_TX = 1 << 5,
	BFD_P_MIN_TTL = 1 << 6,
	BFD_P_PASSIVE = 1 << 7,
	BFD_P_SHUTDOWN = 1 << 8,
	BFD_P_AUTH = 1 << 9,
};

struct bfd_params {
	uint32_t set;			/* enum bfd_param_bit */
	uint8_t detect_mult;
	uint32_t rx_ms;
	uint32_t tx_ms;
	uint32_t echo_rx_ms;		/* 0: "disabled" */
	uint32_t echo_tx_ms;
	uint8_t min_ttl;		/* multihop only */
	bool echo_mode;
	bool passive;
	bool shutdown;
	struct bfd_auth auth;
};

/* Defaults, as FRR's. */
#define BFD_DEF_DETECT_MULT	3
#define BFD_DEF_INTERVAL_MS	300
#define BFD_DEF_ECHO_MS		50
#define BFD_DEF_MIN_TTL		254

struct bfd_profile_conf {
	TAILQ_ENTRY(bfd_profile_conf) entry;
	char name[BFD_NAME_MAX];
	struct bfd_params p;
};

struct bfd_peer_conf {
	TAILQ_ENTRY(bfd_peer_conf) entry;
	struct bfd_key key;
	char profile[BFD_NAME_MAX];	/* "": none */
	struct bfd_params p;
	unsigned int line;		/* where it was configured, for logs */
};

/* Flap dampening (issue 6 §4): N flaps in T seconds hold the session
 * down from the clients' point of view, with exponential backoff. */
struct bfd_dampening {
	bool enabled;
	unsigned int max_flaps;		/* N */
	double window;			/* T, seconds */
	double hold_min;		/* first hold-down, seconds */
	double hold_max;
};

#define BFD_DAMP_MAX_FLAPS	3
#define BFD_DAMP_WINDOW		60.0
#define BFD_DAMP_HOLD_MIN	5.0
#define BFD_DAMP_HOLD_MAX	120.0
#define BFD_CLIENT_GRACE	10.0	/* seconds */

struct bfd_conf {
	TAILQ_HEAD(, bfd_profile_conf) profiles;
	TAILQ_HEAD(, bfd_peer_conf) peers;
	struct bfd_dampening damp;	/* bfd node: dampening ... */
	double client_grace;		/* bfd node: client grace-period */
	struct wp_keychains keychains;	/* `key chain` stanzas */
};

/* --- sessions --------------------------------------------------------- */

#define BFD_HISTORY		10

/* One state transition, for `show bfd peer`. */
struct bfd_transition {
	double when;			/* wp_monotime() */
	double when_wall;		/* epoch seconds */
	uint8_t from, to;		/* enum bfd_state */
	uint8_t event;			/* enum bfd_event */
	uint8_t diag;			/* local diag after the change */
	uint8_t remote_diag;		/* as last received */
};

/* Inter-arrival of accepted packets while Up, in microseconds. */
struct bfd_rx_stats {
	double last_rx;			/* wp_monotime() of the last packet */
	uint64_t samples;
	uint64_t min_us;
	uint64_t max_us;
	uint64_t sum_us;
	double jitter_us;		/* RFC 3550 §6.4.1 style estimator */
	uint64_t last_gap_us;
};

/*
 * Our own periodic transmissions while Up: the longest gap between two,
 * and how many gaps exceeded 1.5 transmit intervals (a packet that went
 * out far too late or not at all; three intervals is the peer's
 * Detection Time).  The sender's half of rxInterArrival.
 */
struct bfd_tx_stats {
	double last_tx;			/* wp_monotime(), 0: start again */
	uint64_t samples;
	uint64_t max_us;
	uint64_t long_gaps;
};

struct bfd_counters {
	uint64_t rx_pkts;		/* accepted */
	uint64_t tx_pkts;
	uint64_t tx_errors;
	uint64_t rx_errors[BFD_RXE_MAX];
	uint64_t up_count;
	uint64_t down_count;
	uint64_t polls;			/* poll sequences started */
	uint64_t finals_rx;
	uint64_t finals_tx;
};

/* Where a received datagram came from (filled by bfd_socket.c). */
struct bfd_rx_meta {
	struct wp_addr src;
	struct wp_addr dst;
	uint16_t sport;
	int ifindex;			/* 0 if unknown */
	int ttl;			/* -1 if unknown */
	bool multihop;			/* arrived on port 4784 */
	const char *vrf;		/* of the socket; "" or NULL: default */
	uint64_t kernel_us;		/* SO_TIMESTAMPNS, CLOCK_REALTIME; 0 */
	double arrival;			/* that on wp_monotime()'s clock; 0 */
};

/* How long received packets waited between the kernel's timestamp and
 * our reading them (queued behind others, or the daemon not running). */
struct bfd_rx_delay {
	uint64_t samples;
	uint64_t sum_us;
	uint64_t max_us;
	uint64_t over_10ms;
};

struct bfd_session {
	TAILQ_ENTRY(bfd_session) entry;		/* bg->sessions */
	LIST_ENTRY(bfd_session) disc_entry;	/* bg->by_disc */
	LIST_ENTRY(bfd_session) key_entry;	/* bg->by_addr */
	struct bfd_global *bg;

	struct bfd_key key;
	struct bfd_vrf *vrf;		/* NULL: the default VRF */
	struct bfd_params p;		/* in effect: defaults+profile+peer */
	char profile[BFD_NAME_MAX];
	bool configured;		/* by the configuration */
	unsigned int nclients;		/* client registrations */
	LIST_HEAD(, bfd_reg) regs;	/* those registrations */

	/* RFC 5880 §6.8.1 state variables */
	enum bfd_state state;
	enum bfd_state remote_state;
	uint32_t local_disc;
	uint32_t remote_disc;
	enum bfd_diag local_diag;
	uint8_t remote_diag;
	uint32_t des_min_tx;		/* bfd.DesiredMinTxInterval, sent */
	uint32_t req_min_rx;		/* bfd.RequiredMinRxInterval, sent */
	uint32_t remote_min_rx;		/* bfd.RemoteMinRxInterval */
	uint32_t remote_des_min_tx;	/* last received Desired Min TX */
	uint32_t remote_min_echo_rx;
	uint8_t detect_mult;		/* bfd.DetectMult */
	uint8_t remote_detect_mult;
	bool remote_demand;
	uint8_t remote_flags;		/* flags of the last packet */

	/* §6.8.3: during a poll sequence the old values stay in force */
	uint32_t tx_eff;		/* DesiredMinTx used for the tx timer */
	uint32_t rx_eff;		/* RequiredMinRx used for detection */
	bool poll;			/* poll sequence in progress */
	bool poll_again;		/* values changed during it */
	double poll_started;
	bool send_final;		/* answer a Poll at once */

	/* §6.7 */
	uint32_t xmit_auth_seq;
	uint32_t rcv_auth_seq;
	bool auth_seq_known;

	/* transport */
	int sock;			/* tx socket, -1: not open */
	bool sock_connected;		/* connect()ed to the peer */
	uint16_t src_port;
	int ifindex;			/* of key.ifname, 0 if none/unknown */
	double sock_retry;		/* monotime of the next open attempt */
	double last_valid_rx;		/* monotime of the last good packet */

	struct wp_timer tx_timer;
	struct wp_timer detect_timer;

	/* echo function (bfd_echo.c) */
	bool echo_active;
	uint32_t echo_seq;
	int rx_ifindex;			/* where the peer's packets arrive */
	struct wp_addr echo_src;	/* our address, source and target */
	uint8_t echo_mac[6];		/* the peer's, from the neighbour table */
	bool echo_mac_ok;
	struct wp_timer echo_tx_timer;
	struct wp_timer echo_detect_timer;
	struct bfd_echo_stats {
		uint64_t tx;
		uint64_t rx;
		uint64_t tx_errors;
		uint64_t rtt_samples;
		uint64_t rtt_min_us;
		uint64_t rtt_max_us;
		uint64_t rtt_sum_us;
		uint64_t rtt_last_us;
	} echo;

	/* observation */
	double created;
	double last_change;		/* monotime of the last transition */
	double last_change_wall;
	struct bfd_transition history[BFD_HISTORY];
	unsigned int nhistory;		/* transitions ever; ring index */
	struct bfd_rx_stats rxs;
	struct bfd_tx_stats txs;
	struct bfd_counters cnt;

	/* flap dampening (bfd_session.c) */
	double flap_times[8];		/* monotime of recent Up->Down */
	unsigned int nflaps;
	bool dampened;
	double damp_until;
	double damp_penalty;		/* seconds of the current hold-down */
	struct wp_timer damp_timer;
};

#define BFD_HASH_SIZE		1024

LIST_HEAD(bfd_session_list, bfd_session);

/* bfd_client.c: a daemon using bfdd.sock, and what it registered. */
struct bfd_client {
	LIST_ENTRY(bfd_client) entry;	/* bg->clients */
	struct bfd_global *bg;
	char name[48];			/* "ospfd", "bgpd/2": from its Hello */
	struct wp_ipc_conn *conn;	/* NULL while gone (grace period) */
	double since;			/* monotime of connect or of loss */
	bool resync;			/* reconnected: stale regs pending */
	uint64_t registrations;		/* ever, for show */
	LIST_HEAD(, bfd_reg) regs;
};

struct bfd_reg {
	LIST_ENTRY(bfd_reg) c_entry;	/* client->regs */
	LIST_ENTRY(bfd_reg) s_entry;	/* session->regs */
	struct bfd_client *c;
	struct bfd_session *s;
	bool stale;			/* from before a reconnect */
};

struct bfd_sock {
	int fd;
	int family;
	bool multihop;
	bool echo;			/* port 3785: bfd_echo_rx() */
	struct wp_io io;
	struct bfd_global *bg;
	struct bfd_vrf *vrf;		/* NULL: the default VRF */
};

enum bfd_sock_idx {
	BFD_SOCK_V4,
	BFD_SOCK_V6,
	BFD_SOCK_V4_MH,
	BFD_SOCK_V6_MH,
	BFD_SOCK_CTL,			/* the control sockets end here */
	BFD_SOCK_ECHO = BFD_SOCK_CTL,
	BFD_SOCK_ECHO6,
	BFD_SOCK_MAX,
};

/*
 * A VRF other than the default one that sessions use (bfd_vrf.c): its
 * receive sockets, bound to the VRF device, exist while the device does
 * and some session is in it.
 */
struct bfd_vrf {
	LIST_ENTRY(bfd_vrf) entry;	/* bg->vrfs */
	struct bfd_global *bg;
	char name[IFNAMSIZ];
	unsigned int nsessions;		/* references */
	int ifindex;			/* of the device; 0: not there */
	bool not_vrf;			/* a device of that name, no vrf */
	struct bfd_sock socks[BFD_SOCK_MAX];
	struct wp_timer check_timer;	/* the device came or went? */
};

struct bfd_global {
	struct wp_loop *loop;
	char *config_file;
	char *rundir;
	struct bfd_conf *conf;		/* in force */

	TAILQ_HEAD(, bfd_session) sessions;
	struct bfd_session_list by_disc[BFD_HASH_SIZE];
	struct bfd_session_list by_addr[BFD_HASH_SIZE];
	size_t nsessions;

	struct bfd_sock socks[BFD_SOCK_CTL];	/* the default VRF's */
	LIST_HEAD(, bfd_vrf) vrfs;	/* the others in use */
	uint16_t next_port;		/* source port allocator cursor */

	struct bfd_counters cnt;	/* whole daemon */
	struct bfd_rx_delay rx_delay;
	struct bfd_dampening damp;

	/* bfd_client.c */
	struct wp_ipc_server *client_srv;
	LIST_HEAD(, bfd_client) clients;
	double grace;			/* seconds regs outlive a client */
	struct wp_timer gc_timer;

	/* echo: UDP 3785 in, AF_PACKET out (bfd_echo.c) */
	struct bfd_sock echo_sock;
	struct bfd_sock echo_sock6;	/* fd -1: no IPv6 echo */
	int echo_tx_fd;

	/* test hooks: sockets off, packets handed here instead */
	void (*tx_hook)(struct bfd_session *s, const uint8_t *pkt, size_t len);
	void (*echo_hook)(struct bfd_session *s, const uint8_t *pkt,
			  size_t len);
};

WP_MEMTYPE_DECLARE(MT_BFD_SESSION);
WP_MEMTYPE_DECLARE(MT_BFD_CONF);
WP_MEMTYPE_DECLARE(MT_BFD_CLIENT);
WP_MEMTYPE_DECLARE(MT_BFD_VRF);

WP_DEBUG_DECLARE(DBG_BFD_PACKET);
WP_DEBUG_DECLARE(DBG_BFD_FSM);
WP_DEBUG_DECLARE(DBG_BFD_NETWORK);

/* bfd_main.c */
extern struct bfd_global bfd_global;

/* bfd_packet.c */
const char *bfd_rx_err_name(enum bfd_rx_err e);
const char *bfd_rx_err_key(enum bfd_rx_err e);
/*
 * Decode `len` bytes of UDP payload.  The checks of §6.8.6 that need no
 * session are made here, in the RFC's order; returns BFD_RXE_OK or why
 * the packet must be discarded.
 */
enum bfd_rx_err bfd_pkt_decode(const uint8_t *buf, size_t len,
			       struct bfd_pkt *p);
/* Append the mandatory section (and the auth header, if flags has A). */
int bfd_pkt_encode(struct wp_wbuf *w, const struct bfd_pkt *p);

/* bfd_auth.c */
const char *bfd_auth_type_name(uint8_t type);
int bfd_auth_type_parse(const char *s, uint8_t *type);
/* Auth Len for a type and key (§4.2-4.4); 0 for none/unknown. */
uint8_t bfd_auth_len(const struct bfd_auth *a);
bool bfd_auth_meticulous(uint8_t type);
/*
 * Finish the auth section of a packet encoded with bfd_pkt_encode():
 * fill the key/sequence and compute the digest in place.
 */
int bfd_auth_sign(const struct bfd_auth *a, uint32_t seq, uint8_t *pkt,
		  size_t len);
/*
 * §6.7.2-6.7.4: check the auth section of `p` (decoded from `raw`) against
 * the key `a` and the sequence state.  On success the sequence state is
 * updated and BFD_RXE_OK returned.
 */
/*
 * The key of key-chain authentication `a` (type and chain name) from
 * the chains `kcs` at `now`: for sending (`id` < 0) the chain's send
 * key, else key ID `id` if it is accepted now.  `out` gets type, key ID
 * and key.  -1 if there is no such key, or it does not fit the type
 * (ID above 255, longer than the digest).
 */
int bfd_auth_from_chain(const struct bfd_auth *a,
			const struct wp_keychains *kcs, time_t now, int id,
			struct bfd_auth *out);
enum bfd_rx_err bfd_auth_verify(const struct bfd_auth *a, const uint8_t *raw,
				size_t len, const struct bfd_pkt *p,
				uint32_t *rcv_seq, bool *seq_known);
/* Raw digests (also for the unit tests): out is 16 / 20 bytes. */
int bfd_md5(const uint8_t *data, size_t len, uint8_t *out);
int bfd_sha1(const uint8_t *data, size_t len, uint8_t *out);

/* bfd_fsm.c */
extern const char *const bfd_state_names[BFD_STA_MAX];
extern const char *const bfd_event_names[BFD_EVT_MAX];
extern const char *const bfd_action_names[BFD_ACT_MAX];
const char *bfd_state_name(unsigned int state);
const char *bfd_diag_name(unsigned int diag);
const char *bfd_event_name(unsigned int event);
/* The row for (state, event); never NULL for valid arguments. */
const struct bfd_fsm_row *bfd_fsm_lookup(enum bfd_state state,
					 enum bfd_event event);
enum bfd_event bfd_fsm_rx_event(uint8_t remote_state);
/* Run one event; returns the new state. */
enum bfd_state bfd_fsm(struct bfd_session *s, enum bfd_event event);

/* bfd_session.c */
void bfd_global_init(struct bfd_global *bg, struct wp_loop *loop);
void bfd_global_fini(struct bfd_global *bg);
struct bfd_session *bfd_session_new(struct bfd_global *bg,
				    const struct bfd_key *key,
				    const struct bfd_params *p);
/* Send AdminDown once if the peer may be listening, then free. */
void bfd_session_delete(struct bfd_session *s);
void bfd_session_free(struct bfd_session *s);
/* New parameters; a poll sequence runs if the session is Up (§6.8.3). */
void bfd_session_set_params(struct bfd_session *s,
			    const struct bfd_params *p);
struct bfd_session *bfd_session_find(struct bfd_global *bg,
				     const struct bfd_key *key);
struct bfd_session *bfd_session_find_disc(struct bfd_global *bg,
					  uint32_t disc);
/* Pin the local discriminator (tests, fuzzer); `disc` must be unused. */
void bfd_session_set_disc(struct bfd_session *s, uint32_t disc);
/* A received datagram (RFC 5880 §6.8.6 from the session lookup on). */
void bfd_rx(struct bfd_global *bg, const uint8_t *buf, size_t len,
	    const struct bfd_rx_meta *m);
/* Called by bfd_fsm() to make a transition happen. */
void bfd_session_transition(struct bfd_session *s, enum bfd_state next,
			    enum bfd_diag diag, enum bfd_event event);
void bfd_session_clear_counters(struct bfd_session *s);
/* Send one control packet now (flags: extra P/F bits). */
void bfd_session_send(struct bfd_session *s, uint8_t flags);
/* Seconds the session has been in its state (uptime or downtime). */
double bfd_session_state_age(const struct bfd_session *s);
bool bfd_session_client_up(const struct bfd_session *s);
char *bfd_key_fmt(const struct bfd_key *k, char *buf, size_t len);
/* The key's VRF as the user names it: "default" for "". */
const char *bfd_key_vrf(const struct bfd_key *k);
/* Why the session cannot run now ("vrf red: no such device"), or "". */
const char *bfd_session_problem(const struct bfd_session *s, char *buf,
				size_t len);
bool bfd_key_eq(const struct bfd_key *a, const struct bfd_key *b);
void bfd_params_default(struct bfd_params *p);
/* Pure timer math, unit-tested. */
uint32_t bfd_tx_interval(const struct bfd_session *s);
uint64_t bfd_detect_time(const struct bfd_session *s);
/* §6.8.7: the interval minus 0-25% (10-25% when detect_mult is 1);
 * `rnd` is uniform in [0, 2^32). */
uint64_t bfd_jittered(uint64_t interval_us, uint8_t detect_mult,
		      uint32_t rnd);

/* bfd_echo.c */
int bfd_echo_open(struct bfd_global *bg);
void bfd_echo_close(struct bfd_global *bg);
void bfd_echo_init(struct bfd_session *s);
/* Required Min Echo RX Interval we advertise (0: we do not loop echo). */
uint32_t bfd_echo_rx_advert(const struct bfd_session *s);
/* Agreed echo transmit interval (§6.8.9), 0 if echo cannot run. */
uint32_t bfd_echo_interval(const struct bfd_session *s);
/* Start or stop the echo function as the session now allows (§6.8.9). */
void bfd_echo_update(struct bfd_session *s);
void bfd_echo_stop(struct bfd_session *s);
/* An echo packet of ours came back. */
void bfd_echo_rx(struct bfd_global *bg, const uint8_t *buf, size_t len,
		 const struct bfd_rx_meta *m);

/* bfd_socket.c */
int bfd_sockets_open(struct bfd_global *bg);
void bfd_sockets_close(struct bfd_global *bg);
/* A VRF's receive sockets (control and echo), bound to its device;
 * returns how many opened. */
int bfd_vrf_sockets_open(struct bfd_vrf *v);
void bfd_vrf_sockets_close(struct bfd_vrf *v);
void bfd_vrf_sockets_drain(struct bfd_vrf *v);
/* Read what is queued on the receive sockets now (before a verdict). */
void bfd_sockets_drain(struct bfd_global *bg);
/* Open the session's tx socket (source port, TTL, device); 0 or -1. */
int bfd_session_sock_open(struct bfd_session *s);
void bfd_session_sock_close(struct bfd_session *s);
int bfd_session_sock_send(struct bfd_session *s, const uint8_t *pkt,
			  size_t len);
/* Echo: UDP 3785 in, AF_PACKET out (needs CAP_NET_RAW). */
int bfd_echo_sock_open(struct bfd_global *bg);
void bfd_echo_sock_close(struct bfd_global *bg);
int bfd_echo_sock_send(struct bfd_global *bg, int ifindex,
		       const uint8_t mac[6], const uint8_t *pkt, size_t len);
/* The peer's MAC address from the kernel's neighbour table. */
int bfd_neigh_mac(const struct wp_addr *a, int ifindex, uint8_t mac[6]);
/* The source address the kernel would use toward `peer`. */
int bfd_local_addr(const struct wp_addr *peer, const char *ifname,
		   struct wp_addr *out);

/* bfd_vrf.c */
/* A session's VRF, referenced (NULL for the default VRF, ""); its
 * sockets open as soon as its device exists. */
struct bfd_vrf *bfd_vrf_get(struct bfd_global *bg, const char *name);
void bfd_vrf_put(struct bfd_vrf *v);
struct bfd_vrf *bfd_vrf_find(struct bfd_global *bg, const char *name);
/* Read what is queued on every VRF's sockets (bfd_sockets_drain()). */
void bfd_vrfs_drain(struct bfd_global *bg);
/* A VRF name from the configuration or a client into a key's form:
 * "default" and "" are the default VRF (""); -1 if it cannot be one. */
int bfd_vrf_name(const char *in, char out[IFNAMSIZ], char *err,
		 size_t errlen);

/* bfd_conf.c: the text parser (replaced by mgmtd's YANG later) */
/*
 * Parse the bfd stanza of an FRR-syntax file into a new struct bfd_conf;
 * other stanzas are skipped.  NULL on error, with "FILE:LINE: reason" in
 * `err`.
 */
struct bfd_conf *bfd_conf_parse_file(const char *path, char *err,
				     size_t errlen);
struct bfd_conf *bfd_conf_parse_string(const char *text, const char *name,
				       char *err, size_t errlen);

/* bfd_nb.c: configuration structs and their application */
struct bfd_conf *bfd_conf_new(void);
void bfd_conf_free(struct bfd_conf *c);
struct bfd_profile_conf *bfd_conf_profile_find(const struct bfd_conf *c,
					       const char *name);
struct bfd_peer_conf *bfd_conf_peer_find(const struct bfd_conf *c,
					 const struct bfd_key *key);
/* defaults <- profile <- peer */
void bfd_conf_resolve(const struct bfd_conf *c,
		      const struct bfd_peer_conf *pc, struct bfd_params *out);
/*
 * Make the sessions match `new` (which `old` described so far; NULL is
 * empty): create, modify (poll sequence) and delete.  bg->conf becomes
 * `new`; the caller frees `old`.
 */
void bfd_conf_apply(struct bfd_global *bg, const struct bfd_conf *old,
		    struct bfd_conf *new);
/* Read bg->config_file and apply it; -1 (logged) keeps the old one. */
int bfd_conf_reload(struct bfd_global *bg);

/* bfd_mgmt.c: configuration from mgmtd (when bfdd runs without -f);
 * wp_mgmt_text_stop() ends it */
struct wp_mgmt_text;
struct wp_mgmt_text_cbs;
struct wp_mgmt_text *bfd_mgmt_start(struct bfd_global *bg,
				    const char *rundir);
/* The callbacks it uses: text -> struct bfd_conf -> applied. */
const struct wp_mgmt_text_cbs *bfd_mgmt_cbs(struct bfd_global *bg);

/* bfd_client.c */
int bfd_client_init(struct bfd_global *bg);
void bfd_client_fini(struct bfd_global *bg);
/* A session changed state as clients see it (after dampening). */
void bfd_client_notify(struct bfd_session *s);
/* Client names using `s`, for show ("ribd, bgpd"). */
void bfd_client_names(const struct bfd_session *s, char *buf, size_t len);

/* bfd_show.c */
int bfd_vty_install(struct wp_vty *vty, void *arg);

#endif /* BFDD_H */
