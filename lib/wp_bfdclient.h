/*
 * wp_bfdclient: a daemon's connection to bfdd's client API
 * (<rundir>/bfdd.sock, lib/proto/bfd.proto, doc/bfd.md "Client API").
 *
 * The client keeps the set of peers its owner wants.  On every connect
 * (the first, and after bfdd restarted or the connection was lost, with
 * wp_ipc's jittered exponential backoff) it says Hello, registers each
 * wanted peer again and sends RegisterDone, so bfdd keeps exactly those
 * sessions: within bfdd's client grace period they never flap.
 * Registrations made while disconnected are sent at the next connect.
 *
 *	struct wp_bfdclient *bc = wp_bfdclient_new(loop, path, "ribd", &cbs);
 *	struct wp_bfd_reg r = { .key.peer = gw, .profile = "fast" };
 *	wp_bfdclient_register(bc, &r);
 *	...	cbs.status(bc, &st, cbs.arg) on every PeerStatus
 *	wp_bfdclient_deregister(bc, &r.key);
 *
 * A PeerStatus for a key that is not registered (a late answer after a
 * deregistration) is dropped; a malformed one (unparsable address) is
 * counted and logged, and the connection stays.
 */
#ifndef WP_BFDCLIENT_H
#define WP_BFDCLIENT_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "wp_prefix.h"

struct wp_loop;
struct wp_bfdclient;

#define WP_BFD_PROFILE_LEN	65	/* 64 characters (waypoint-bfd) + NUL */

/* RFC 5880 §4.1 session states, as bfd.proto numbers them. */
enum wp_bfd_state {
	WP_BFD_STATE_ADMIN_DOWN = 0,
	WP_BFD_STATE_DOWN = 1,
	WP_BFD_STATE_INIT = 2,
	WP_BFD_STATE_UP = 3,
};

/* RFC 5880 §4.1 diagnostics a client looks at. */
#define WP_BFD_DIAG_NEIGHBOR_DOWN	3
#define WP_BFD_DIAG_ADMIN_DOWN		7

/* A session's identity; local.family 0 and ifname "" when not given. */
struct wp_bfd_key {
	struct wp_addr peer;
	struct wp_addr local;
	char ifname[IF_NAMESIZE];
	char vrf[IF_NAMESIZE];		/* "": the default VRF */
	bool multihop;
};

struct wp_bfd_reg {
	struct wp_bfd_key key;
	char profile[WP_BFD_PROFILE_LEN];	/* "" none */
	/* 0: the profile's or bfdd's default. */
	uint32_t detect_multiplier;
	uint32_t receive_interval_ms;
	uint32_t transmit_interval_ms;
	uint32_t minimum_ttl;
};

struct wp_bfd_status {
	struct wp_bfd_key key;
	enum wp_bfd_state state;
	uint32_t diagnostic;		/* RFC 5880 §4.1 codes */
	uint32_t remote_diagnostic;
	bool remote_admin_down;		/* the peer's last packet: AdminDown */
	bool dampened;
};

struct wp_bfdclient_cbs {
	/* bfdd sent the state of a registered session. */
	void (*status)(struct wp_bfdclient *bc, const struct wp_bfd_status *st,
		       void *arg);
	/* Connected (after the resync was queued) or disconnected. */
	void (*connection)(struct wp_bfdclient *bc, bool up, void *arg);
	void *arg;
};

struct wp_bfdclient_stats {
	uint64_t connects;
	uint64_t statuses;
	uint64_t bad_statuses;		/* malformed, dropped */
	uint64_t unknown_statuses;	/* for keys not registered, dropped */
	uint64_t errors;		/* Error replies from bfdd */
};

/*
 * Connect to `path` from the loop, as daemon `name` (bfdd matches a
 * reconnecting client by it).  NULL with errno on a bad path.
 */
struct wp_bfdclient *wp_bfdclient_new(struct wp_loop *loop, const char *path,
				      const char *name,
				      const struct wp_bfdclient_cbs *cbs);
/* Close (bfdd's grace period then keeps the sessions a while). */
void wp_bfdclient_free(struct wp_bfdclient *bc);
/* Want a session (a registration with the same key is replaced). */
void wp_bfdclient_register(struct wp_bfdclient *bc, const struct wp_bfd_reg *r);
/* No longer want it; -1 if it was not registered. */
int wp_bfdclient_deregister(struct wp_bfdclient *bc,
			    const struct wp_bfd_key *k);
bool wp_bfdclient_connected(const struct wp_bfdclient *bc);
size_t wp_bfdclient_count(const struct wp_bfdclient *bc);
const struct wp_bfdclient_stats *
wp_bfdclient_stats(const struct wp_bfdclient *bc);

bool wp_bfd_key_eq(const struct wp_bfd_key *a, const struct wp_bfd_key *b);
/* "10.0.12.2 multihop local 10.0.12.1 interface eth1" */
char *wp_bfd_key_fmt(const struct wp_bfd_key *k, char *buf, size_t len);
/* Down because the path failed, not because either side took the session
 * AdminDown (RFC 5882 §3.2)? */
bool wp_bfd_status_path_down(const struct wp_bfd_status *st);
/* "admin-down", "down", "init", "up" */
const char *wp_bfd_state_name(enum wp_bfd_state s);

#endif /* WP_BFDCLIENT_H */
