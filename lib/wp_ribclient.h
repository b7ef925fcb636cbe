/*
 * wp_ribclient: what a protocol daemon links to give ribd its routes and
 * hear from it.  The protocol is lib/proto/rib.proto over wp_ipc;
 * doc/developer/ribd-api.md describes it, this is the C side.
 *
 *	static const struct wp_ribclient_cbs cbs = {
 *		.result = ospf_rib_result,
 *		.nh_update = ospf_rib_nh,
 *		.arg = ospf,
 *	};
 *	rc = wp_ribclient_new(loop, opts->rundir, "ospf", 0, &cbs);
 *	wp_ribclient_set_graceful_restart(rc, true, 120);
 *	...
 *	wp_ribclient_route_add(rc, &route, (uint64_t)(uintptr_t)path);
 *	wp_ribclient_route_del(rc, &prefix, 0);
 *
 * The client keeps its own table of the routes it announces (a wp_trie
 * per family and table).  route_add/route_del only change that table
 * and note the prefix as owed; a zero-delay timer (or
 * wp_ribclient_flush()) sends what is owed in batches of many routes per
 * message.  Changes to one prefix coalesce: ribd sees the latest state.
 * When ribd reads slower than we write, wp_ipc's backpressure stops the
 * sending and the owed changes simply wait in the table: memory does not
 * grow with the backlog.
 *
 * On every (re)connect the client sends HELLO, its nexthop registrations
 * and redistribution subscriptions, then every route of its table and
 * SYNC_DONE (once wp_ribclient_sync_done() was called), after which ribd
 * removes the routes of ours it still held from before and we did not
 * re-send.  Routes ribd already had unchanged cause no kernel change.
 * Connecting is retried with backoff forever.
 *
 * Results: ribd reports the state of each route (installed, failed with
 * an errno, not selected, inactive) once final, and again whenever it
 * changes; withdrawals are confirmed as removed.  The `result` callback
 * gets the cookie passed with the route.  Reports about an older
 * version of a route than the latest one sent are not passed on.
 */
#ifndef WP_RIBCLIENT_H
#define WP_RIBCLIENT_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wp_prefix.h"
#include "wp_rib_msg.h"

struct wp_loop;
struct wp_ribclient;

enum wp_rib_status {
	WP_RIB_PENDING = 0,		/* no final answer yet */
	WP_RIB_INSTALLED = 1,		/* values as Wp__Rib__RouteStatus */
	WP_RIB_FAILED = 2,
	WP_RIB_NOT_SELECTED = 3,
	WP_RIB_INACTIVE = 4,
	WP_RIB_REMOVED = 5,
};

struct wp_rib_result {
	struct wp_prefix prefix;
	uint32_t table;
	enum wp_rib_status status;
	int error;			/* errno, with WP_RIB_FAILED */
	uint64_t cookie;		/* as given to route_add/route_del */
};

/* Where a registered nexthop address resolves (NH_UPDATE). */
struct wp_rib_nhstate {
	struct wp_addr addr;
	uint32_t table;			/* as registered: 254 for main */
	bool resolved;
	struct wp_prefix via;		/* the route it resolves through */
	int source;			/* Wp__Rib__Source of that route */
	uint8_t distance;
	uint32_t metric;
	unsigned int n_nh;
	const struct wp_rib_nh *nh;	/* what the kernel forwards to */
};

struct wp_rib_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	bool deleted;			/* gone: nothing else is set */
	unsigned int flags;		/* IFF_* */
	bool up;			/* operative: admin up and carrier */
	unsigned int mtu;
	uint8_t mac[6];
	char kind[16];
	int master;
	uint32_t vrf_table;		/* its VRF's table, 254: default */
	char vrf[24];			/* its VRF's name, "default" */
};

struct wp_rib_ifaddr {
	int ifindex;
	struct wp_prefix addr;		/* local address, host bits kept */
	bool deleted;
};

/* Every callback may be NULL; `arg` is the cbs' arg. */
struct wp_ribclient_cbs {
	void *arg;
	/* ribd accepted the session (HELLO_ACK); `stale` routes of ours it
	 * held from before are removed unless we re-send them. */
	void (*connected)(struct wp_ribclient *rc, uint32_t stale, void *arg);
	void (*disconnected)(struct wp_ribclient *rc, void *arg);
	/* ribd's initial dumps (interfaces) are done; our own resync ends
	 * separately, see wp_ribclient_idle(). */
	void (*synced)(struct wp_ribclient *rc, void *arg);
	void (*result)(struct wp_ribclient *rc, const struct wp_rib_result *r,
		       void *arg);
	/* Redistribution: the selected route of a prefix, or its end. */
	void (*redist_add)(struct wp_ribclient *rc, const struct wp_rib_route *rt,
			   void *arg);
	void (*redist_del)(struct wp_ribclient *rc, const struct wp_prefix *p,
			   uint32_t table, void *arg);
	/* The dump that follows a subscription is complete. */
	void (*redist_done)(struct wp_ribclient *rc, int source, int af,
			    void *arg);
	void (*nh_update)(struct wp_ribclient *rc,
			  const struct wp_rib_nhstate *st, void *arg);
	void (*iface)(struct wp_ribclient *rc, const struct wp_rib_iface *ifp,
		      void *arg);
	void (*addr)(struct wp_ribclient *rc, const struct wp_rib_ifaddr *a,
		     void *arg);
};

struct wp_ribclient_stats {
	size_t routes;			/* in our table, withdrawals excluded */
	size_t unsent;			/* changes not yet sent */
	size_t awaiting;		/* sent, no final result yet */
	size_t installed;
	size_t failed;
	size_t not_selected;
	size_t inactive;
	bool connected;			/* HELLO_ACK received */
	bool resyncing;			/* re-sending the table */
	uint64_t connects;
	uint64_t routes_sent;		/* adds and dels, resyncs included */
	uint64_t messages_sent;
	uint64_t results;
};

/*
 * A client of the ribd at <rundir>/ribd.sock (rundir NULL: /run/waypoint)
 * speaking for `source` ("bgp", "ospf", ...) and `instance`.  Connects
 * from the loop, never from here.  NULL with errno EINVAL for a source a
 * client may not use (kernel, connected, static) or a path too long.
 */
struct wp_ribclient *wp_ribclient_new(struct wp_loop *loop, const char *rundir,
				      const char *source, uint32_t instance,
				      const struct wp_ribclient_cbs *cbs);
/* Disconnect and free; ribd applies our graceful-restart choice. */
void wp_ribclient_free(struct wp_ribclient *rc);

/* Settings, sent in the next HELLO (set them before the first connect). */
void wp_ribclient_set_graceful_restart(struct wp_ribclient *rc, bool on,
				       unsigned int seconds);
void wp_ribclient_set_name(struct wp_ribclient *rc, const char *name);
/* Ask for interface and address events (default: if callbacks are set). */
void wp_ribclient_set_interfaces(struct wp_ribclient *rc, bool on);
/* Routes per ROUTE_ADD/ROUTE_DEL message (default 4096, 1-65536). */
void wp_ribclient_set_batch(struct wp_ribclient *rc, unsigned int routes);

/*
 * Add or replace our route for rt->prefix in rt->table.  Checked as ribd
 * checks it: -1 with errno EINVAL for what ribd would refuse (bad prefix,
 * no or too many nexthops, a reject nexthop with others, ...).
 */
int wp_ribclient_route_add(struct wp_ribclient *rc,
			   const struct wp_rib_route *rt, uint64_t cookie);
/* Withdraw our route; -1 with ENOENT if we have none for it. */
int wp_ribclient_route_del(struct wp_ribclient *rc, const struct wp_prefix *p,
			   uint32_t table);
/* Send what is owed now, as far as backpressure allows. */
void wp_ribclient_flush(struct wp_ribclient *rc);
/*
 * Our initial table is complete: ribd may remove the routes of ours it
 * held from an earlier session and we did not re-send (SYNC_DONE).  Call
 * it once, when the protocol has converged after a start (at once if it
 * has nothing to recover); after that every reconnect ends with a
 * SYNC_DONE of its own.  Until it is called ribd keeps those routes for
 * the grace time.
 */
void wp_ribclient_sync_done(struct wp_ribclient *rc);

/* Nexthop tracking: NH_UPDATE for `a` at once and on every change. */
int wp_ribclient_nh_register(struct wp_ribclient *rc, const struct wp_addr *a);
int wp_ribclient_nh_unregister(struct wp_ribclient *rc,
			       const struct wp_addr *a);
/* The same, resolved in another table's VRF (0 or 254: main). */
int wp_ribclient_nh_register_table(struct wp_ribclient *rc,
				   const struct wp_addr *a, uint32_t table);
int wp_ribclient_nh_unregister_table(struct wp_ribclient *rc,
				     const struct wp_addr *a, uint32_t table);
/* Redistribution of `source`'s selected routes of family `af`. */
int wp_ribclient_redist_subscribe(struct wp_ribclient *rc, const char *source,
				  int af);
int wp_ribclient_redist_unsubscribe(struct wp_ribclient *rc,
				    const char *source, int af);
/* The same in another table's VRF (0 or 254: main).  A subscription is
 * per (source, family, table); redist_add reports each route's table. */
int wp_ribclient_redist_subscribe_table(struct wp_ribclient *rc,
					const char *source, int af,
					uint32_t table);
int wp_ribclient_redist_unsubscribe_table(struct wp_ribclient *rc,
					  const char *source, int af,
					  uint32_t table);

void wp_ribclient_get_stats(const struct wp_ribclient *rc,
			    struct wp_ribclient_stats *st);
/*
 * Connected, resync done, nothing unsent, every route sent has its final
 * result: what a tool waits for after a burst of changes.
 */
bool wp_ribclient_idle(const struct wp_ribclient *rc);
/* The wp_ipc connection, NULL while disconnected (tests, stats). */
struct wp_ipc_conn *wp_ribclient_conn(const struct wp_ribclient *rc);

#endif /* WP_RIBCLIENT_H */
