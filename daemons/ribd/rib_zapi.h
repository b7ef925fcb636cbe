/*
 * rib_zapi.h: the client API's state, shared by rib_zapi.c (the protocol)
 * and rib_zapi_show.c (`show rib clients`).  Nothing else looks inside.
 *
 * A session (rib_zsess) is a route owner: one per (source, instance),
 * alive while it owns routes or is connected, so routes survive a
 * disconnect for the grace period.  A connection (rib_zconn) is one
 * accepted socket and everything that dies with it: subscriptions,
 * nexthop watches, what is waiting to be sent, kept per VRF (rib_zvrf:
 * the same prefix in two VRFs is two things to report).
 */
#ifndef RIB_ZAPI_H
#define RIB_ZAPI_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "lib/proto/rib.pb-c.h"
#include "ribd.h"
#include "wp_ipc.h"
#include "wp_loop.h"
#include "wp_trie.h"

struct rib_zconn;

struct rib_zsess {
	struct rib_zsess *next;
	struct rib_zapi *z;
	enum rib_source source;
	uint32_t instance;
	char name[32];			/* "bgp/0" */
	struct rib_zconn *conn;		/* NULL while disconnected */
	uint32_t epoch;			/* one per connection */
	bool gr;			/* keep routes on disconnect */
	unsigned int grace;		/* seconds */
	uint64_t nroutes;		/* routes of ours in the RIB */
	uint64_t nstale;		/* of those, not re-sent since connect */
	time_t since;			/* connected or disconnected at */
	struct wp_timer grace_timer;
	/* Removal of routes older than sweep_epoch, in slices. */
	struct wp_timer sweep_timer;
	bool sweeping;
	uint32_t sweep_epoch;
	int sweep_tbl;
	struct wp_trie_iter sweep_it;
	struct rib_vrf *sweep_vrf;	/* referenced while swept */
	uint64_t swept;			/* routes removed by sweeps, total */
	uint64_t connects;
};

/* A queued interface or address event. */
struct rib_zev {
	bool is_addr;
	bool deleted;
	int ifindex;
	struct wp_prefix addr;		/* is_addr */
	char name[IF_NAMESIZE];
	char kind[16];
	unsigned int flags;
	unsigned int mtu;
	uint8_t mac[6];
	int master;
	bool up;
	uint32_t vrf_table;
	char vrf[RIB_VRF_NAMSIZ];
};

/* A result for a route ribd refused before it reached the RIB. */
struct rib_zres {
	struct wp_prefix p;
	uint32_t table;
	uint64_t cookie;
	int status;
	int error;
};

struct rib_zdump {
	bool active;
	struct wp_trie_iter it;
};

struct rib_zconn_stats {
	uint64_t routes_added;
	uint64_t routes_deleted;
	uint64_t routes_refused;
	uint64_t results;
	uint64_t redist_adds;
	uint64_t redist_dels;
	uint64_t nh_updates;
	uint64_t if_events;
	uint64_t input_holds;		/* batches taken over several passes */
};

/* A connection's state in one VRF: rib_zconn.zv[its index]. */
struct rib_zvrf {
	struct rib_vrf *vrf;		/* referenced while this exists */
	/* Results: prefixes whose state is owed, coalesced. */
	struct wp_trie *res_dirty[2];
	struct wp_trie *del_wait[2];	/* withdrawn, removal not settled */
	/* Redistribution, per (source, family) of this table. */
	bool redist[2][RIB_SRC_MAX];
	struct wp_trie *redist_dirty[2];
	struct rib_zdump dump[2][RIB_SRC_MAX];
	/* Nexthop tracking: host prefix -> rib_nht_watch. */
	struct wp_trie *nh_watch[2];
	struct wp_trie *nh_dirty[2];
};

struct rib_zconn {
	struct rib_zconn *next;
	struct rib_zapi *z;
	struct wp_ipc_conn *c;
	struct rib_zsess *sess;		/* after HELLO */
	char client[32];
	uint32_t pid;
	time_t since;
	bool closing;
	/* A held ROUTE_ADD/ROUTE_DEL, taken in slices. */
	ProtobufCMessage *in_msg;
	uint16_t in_type;
	size_t in_pos;
	struct wp_timer in_timer;
	struct rib_zres *imm;
	size_t n_imm, cap_imm;
	/* Per VRF index, made on first use (the default's at connect). */
	struct rib_zvrf *zv[RIB_VRF_MAX];
	/* Interfaces and addresses. */
	bool want_ifaces;
	bool initial_owed;		/* SYNC_DONE(INITIAL) after the dump */
	struct rib_zev *ev;
	size_t ev_head, ev_len, ev_cap;
	struct rib_zconn_stats stats;
};

struct rib_zapi {
	struct ribd *rib;
	struct wp_ipc_server *srv;
	char *path;
	struct rib_zsess *sessions;
	struct rib_zconn *conns;
	struct wp_timer flush_timer;
	unsigned int nredist;		/* connections with a subscription */
	bool stopping;
};

#endif /* RIB_ZAPI_H */
