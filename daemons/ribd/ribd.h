/*
 * ribd.h: the RIB manager's types, grouped by the file that owns them.
 *
 * Data model:  rib_table (one per VRF and address family, on a wp_trie)
 *   -> rib_dest (one per prefix: all candidate routes, the selected one,
 *      and what ribd has put in the kernel for it)
 *   -> rib_route (one per source and instance: distance, metric, tag,
 *      configured nexthops and their resolution).
 * Changes never touch the kernel directly: they mark a dest dirty; the
 * work queue (rib.c) selects, resolves and programs in slices.
 */
#ifndef RIBD_H
#define RIBD_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "rib_kernel.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_prefix.h"
#include "wp_trie.h"

#define RIB_TABLE_MAIN		254
#define RIB_KERNEL_METRIC	20	/* "metric 20" on every route we install */
#define RIB_ECMP_MAX_DEFAULT	64
#define RIB_DISTANCE_MAX	255	/* never installed */
#define RIB_RTPROT_STATIC	196	/* "static" in FRR's rt_protos.d too */

struct ribd;
struct rib_iface;
struct rib_nht_entry;
struct rib_bfd;
struct rib_bfd_peer;

enum rib_source {
	RIB_SRC_KERNEL,
	RIB_SRC_CONNECTED,
	RIB_SRC_STATIC,
	RIB_SRC_BGP,
	RIB_SRC_OSPF,
	RIB_SRC_OSPF6,
	RIB_SRC_ISIS,
	RIB_SRC_RIP,
	RIB_SRC_MAX,
};

struct rib_source_info {
	const char *name;	/* "static" */
	char code;		/* 'S', as in `show ip route` */
	uint8_t distance;	/* default administrative distance */
	uint8_t rtprot;		/* protocol number in the kernel, 0: not ours */
};

enum rib_nh_type {
	RIB_NH_IFINDEX,		/* directly connected out of an interface */
	RIB_NH_GW,		/* gateway, resolved through the RIB */
	RIB_NH_GW_IF,		/* gateway on a given interface */
	RIB_NH_BLACKHOLE,
	RIB_NH_UNREACHABLE,
	RIB_NH_PROHIBIT,
};

/*
 * 48 bytes.  What only a few nexthops need is found, not stored: the
 * tracking entry of a gateway by its address (rib_nht.c), the BFD session
 * of a static `bfd` by its configuration (rib_bfd_of()).
 */
struct rib_nh {
	/* Nexthop tracking (rib_nht.c): a tracked gateway is on its
	 * address's list. */
	struct rib_nh *nht_next, **nht_pprev;
	struct wp_addr gw;
	int ifindex;		/* configured interface, 0 if none */
	/* Resolution, recomputed by rib.c. */
	int resolved_ifindex;	/* interface a connected resolution found */
	uint8_t type:3;		/* enum rib_nh_type */
	bool onlink:1;
	bool active:1;
	bool recursive:1;	/* resolved via a non-connected route */
	bool has_via:1;
	bool bfd_down:1;		/* resolved, but the BFD session is not Up */
	uint8_t weight;		/* 1..255, 0 means 1 */
	/* The prefix it resolved through holds the gateway: its length is
	 * enough (rib_nh_via()). */
	uint8_t via_len;
	/* Its place in its route's nh[], set by rib_route_new(): the route
	 * is found from it (rib_nh_route()) instead of a pointer. */
	uint8_t idx:6;
	bool tracked:1;		/* on its gateway's tracking entry */
	bool bfd:1;		/* static `bfd` with a session registered */
};
_Static_assert(RIB_NH_PROHIBIT < 8, "rib_nh.type holds enum rib_nh_type");

enum rib_route_flags {
	RIB_RT_SELECTED = 1 << 0,
	RIB_RT_FIB = 1 << 1,		/* installed (or owned by the kernel) */
	RIB_RT_FAILED = 1 << 2,		/* last install failed */
	RIB_RT_QUEUED = 1 << 3,		/* install request in flight */
};

/*
 * Packed for tables of a million routes: pointers first, then 32-bit,
 * then the small ones, 40 bytes; the nexthops follow in the same
 * allocation (rib_route_new()): 88 bytes with one nexthop, taken from a
 * slab.  A client's route has a struct rib_route_client after its
 * nexthops (rib_route_new_client()): 104 bytes with one.
 */
struct rib_route {
	struct rib_route *next;		/* in dest->routes */
	struct rib_dest *dest;
	uint32_t uptime;		/* time() when added (unsigned: to 2106) */
	uint32_t instance;
	uint32_t metric;
	uint32_t tag;
	union {
		/* Kernel routes: the last dump that saw it. */
		uint32_t gen;
		/* Client routes (never of the kernel source): the session
		 * epoch that last sent it. */
		uint32_t epoch;
		/* Configured statics: the configuration pass that made it
		 * (rib_conf.c). */
		uint32_t conf_gen;
	};
	uint8_t source:3;		/* enum rib_source */
	bool client:1;			/* a rib_route_client follows nh[] */
	uint8_t flags:4;		/* enum rib_route_flags */
	uint8_t distance;
	uint8_t result;			/* client: last status reported, 0: none */
	/* <= RIB_KERNEL_MAX_NH; fixed by rib_route_new(), which picks the
	 * allocator by it (route_free() relies on that). */
	uint8_t n_nh;
	struct rib_nh nh[];
};
_Static_assert(RIB_SRC_MAX <= 8, "rib_route.source holds enum rib_source");

/* What only a client's route has. */
struct rib_route_client {
	void *owner;			/* its rib_zsess, NULL once gone */
	uint64_t cookie;		/* echoed in results */
};

/* rt's client part, NULL if rt is not a client's. */
static inline struct rib_route_client *
rib_route_client(struct rib_route *rt)
{
	return rt->client ? (struct rib_route_client *)(void *)
			    &rt->nh[rt->n_nh] : NULL;
}

/* The session that owns rt, NULL for the others. */
static inline void *
rib_route_owner(struct rib_route *rt)
{
	return rt->client ? rib_route_client(rt)->owner : NULL;
}

_Static_assert(RIB_KERNEL_MAX_NH <= 64, "rib_nh.idx (6 bits) indexes nh[]");

/* The route whose nh[] holds nh. */
static inline struct rib_route *
rib_nh_route(struct rib_nh *nh)
{
	return container_of(nh - nh->idx, struct rib_route, nh);
}

struct rib_table;

/*
 * Packed to 48 bytes (from a slab, rib.c): a million of them.  The
 * counter, the flags, the last install error and the VRF index share the
 * word after the 20-byte prefix.  Its table is the one of its VRF and
 * family (rib_dest_table()), not a pointer.
 */
struct rib_dest {
	struct wp_prefix p;
	/* Kernel requests in flight: one per change sent before the
	 * previous ones were answered, a handful at most (a dest at
	 * RIB_KPENDING_MAX waits for answers before it sends more). */
	uint32_t kpending:7;
	bool queued:1;
	bool stale:1;			/* left by a previous ribd, unclaimed */
	bool sel_lost:1;		/* the selected route was removed */
	bool dead:1;			/* removed from the trie, awaiting acks */
	/* Observers (rib_zapi.c). */
	bool zdel:1;			/* a client awaits a removal result */
	uint32_t redist_src:4;		/* selected source last seen + 1, 0: none */
	/* errno of the selected route's last failed install (RIB_RT_FAILED);
	 * errno values fit in a byte. */
	uint32_t install_error:8;
	/* Its VRF: rib->vrfs[vrf] (rib_vrf.c). */
	uint32_t vrf:8;
	/* The selected one has RIB_RT_SELECTED (rib_dest_selected()). */
	struct rib_route *routes;
	union {
		/* What ribd last asked the kernel to hold for this prefix:
		 * shared with every dest of the same forwarding (read only;
		 * its dst is zero, d->p is the key). */
		const struct rib_kroute *fib;
		/* While dead (no routes, nothing in the kernel): on
		 * rib->dead, linked via work_next. */
		struct rib_dest **dead_pprev;
	};
	struct rib_dest *work_next;	/* work queue link */
};
/* The route the last processing selected, or NULL. */
static inline struct rib_route *
rib_dest_selected(const struct rib_dest *d)
{
	struct rib_route *rt = d->routes;

	while (rt && !(rt->flags & RIB_RT_SELECTED))
		rt = rt->next;
	return rt;
}

_Static_assert(sizeof(void *) != 8 || (sizeof(struct rib_dest) == 48 &&
	       sizeof(struct rib_route) == 40 && sizeof(struct rib_nh) == 48),
	       "the sizes doc/performance.md counts on");
_Static_assert(RIB_SRC_MAX < 16, "rib_dest.redist_src holds a source + 1");
#define RIB_KPENDING_MAX	127	/* rib_dest.kpending (7 bits) */
#define RIB_VRF_MAX		256	/* rib_dest.vrf (8 bits) */

struct rib_vrf;

struct rib_table {
	uint32_t table_id;
	int family;
	struct wp_trie *trie;
	struct wp_trie *nhtrie;		/* tracked addresses (rib_nht.c) */
	struct ribd *rib;
	struct rib_vrf *vrf;
};

/*
 * A VRF: a kernel routing table with a RIB per address family (rib_vrf.c).
 * The default one (table 254) always exists.  Another exists while a
 * `vrf` link names its table, or while clients use the table (routes,
 * subscriptions, registrations: refcnt), or while configuration names
 * it; a plain table without a device is called "table-N".
 */
#define RIB_VRF_NAMSIZ		24	/* "table-4294967295" fits */
struct rib_vrf {
	char name[RIB_VRF_NAMSIZ];
	uint32_t table_id;
	int ifindex;			/* the `vrf` link, 0: none */
	uint8_t idx;			/* in rib->vrfs[] and rib_dest.vrf */
	bool configured;		/* named by the configuration */
	bool learn;			/* its kernel routes to read (vrf_timer) */
	unsigned int refcnt;		/* client uses */
	unsigned int ndead;		/* its dests awaiting kernel answers */
	struct rib_table *tables[2];	/* [0] IPv4, [1] IPv6 */
};

/* The answer for a tracked address: the route it resolves through. */
struct rib_nht_res {
	bool resolved;
	struct wp_prefix via;
	enum rib_source source;
	uint8_t distance;
	uint32_t metric;
	enum rib_ktype type;		/* blackhole etc.: no nexthops */
	unsigned int n_nh;
	struct rib_knh nh[];		/* what the kernel forwards to */
};

/* A client's interest in an address (NH_REGISTER). */
struct rib_nht_watch {
	struct rib_nht_watch *next;	/* on the entry */
	struct rib_nht_entry *e;
	void *owner;
};

struct rib_nht_entry {
	struct wp_addr addr;
	struct rib_table *tbl;
	struct rib_nh *deps;		/* route nexthops through this address */
	struct rib_nht_watch *watchers;
	struct rib_nht_res *res;	/* last answer, when watched */
	struct rib_nht_entry *eval_next;
	bool eval_queued;
};

/*
 * Observers of the RIB (rib_zapi.c); each may be NULL.  They run inside
 * the work queue and the kernel result path: note what changed, send
 * from the loop.
 */
struct rib_hooks {
	/* d's selection or kernel route changed (after processing). */
	void (*dest_changed)(struct ribd *rib, struct rib_dest *d);
	/* No kernel request for d is in flight: route states are final. */
	void (*dest_settled)(struct ribd *rib, struct rib_dest *d);
	/* A watched address resolves differently (e->res is new). */
	void (*nht_changed)(struct ribd *rib, struct rib_nht_entry *e);
	/* An interface appeared, changed or (deleted) went away. */
	void (*iface)(struct ribd *rib, const struct rib_iface *ifp,
		      bool deleted);
	void (*addr)(struct ribd *rib, const struct rib_iface *ifp,
		     const struct wp_prefix *addr, bool deleted);
};

struct rib_iface_addr {
	struct rib_iface_addr *next;
	struct wp_prefix prefix;	/* address with mask length */
	uint32_t gen;			/* last dump that saw it */
};

struct rib_iface {
	struct rib_iface *next;
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];
	unsigned int flags;
	unsigned int mtu;
	uint8_t mac[6];
	int master;
	uint32_t vrf_table;		/* of a `vrf` link itself */
	bool present;			/* exists in the kernel */
	uint32_t gen;			/* last dump that saw it */
	struct rib_iface_addr *addrs;
	/* Configuration (interface IF ... ). */
	struct rib_iface_conf *conf;
	uint64_t up_changes;
	time_t last_change;
};

struct rib_stats {
	uint64_t processed;	/* dests processed by the work queue */
	uint64_t installs;
	uint64_t deletes;
	uint64_t install_failures;
	uint64_t nht_passes;
	uint64_t resyncs;
	uint64_t resync_removed;	/* objects found gone by a resync */
	uint64_t audits;
	uint64_t audit_diffs;		/* differences found, all audits */
	uint64_t audit_repairs;
	unsigned int last_audit_diffs;
	time_t last_audit;
};

struct rib_conf;
struct rib_zapi;
struct wp_vty;

struct ribd {
	struct wp_loop *loop;
	struct rib_kernel *kernel;
	struct rib_table *tables[2];	/* default VRF: [0] IPv4, [1] IPv6 */
	struct rib_vrf *vrfs[RIB_VRF_MAX];	/* by index; [0] default */
	struct wp_timer vrf_timer;	/* new VRFs learn their tables */
	struct rib_iface *ifaces;
	struct rib_dest *work_head, *work_tail;
	struct rib_dest *dead;		/* unlinked dests awaiting kernel acks */
	struct wp_timer work_timer;
	struct wp_timer sweep_timer;
	unsigned int ecmp_max;
	bool resolve_via_default;
	bool sweeping_done;
	bool want_nhobj;		/* config; applied once the kernel is probed */
	bool dry_run;			/* unit tests: no kernel */
	uint32_t gen;			/* dump generation (resync) */
	uint32_t static_gen;		/* configuration pass (rib_conf.c) */
	struct wp_timer audit_timer;
	unsigned int audit_interval;	/* seconds, 0: off */
	struct rib_conf *conf;
	const char *config_file;
	struct rib_stats stats;
	const struct rib_hooks *hooks;
	struct rib_zapi *zapi;		/* the client API server */
	struct rib_nht_entry *nht_eval;	/* watched entries to re-evaluate */
	struct wp_timer nht_timer;
	double nht_eval_since;
	struct rib_bfd *bfd;		/* bfdd client, NULL without one */
	/* Shared kernel route records (rib.c): dest->fib points into one. */
	struct rib_fib **fibs;
	unsigned int fib_buckets, n_fibs;
};

/* rib.c */
extern const struct rib_source_info rib_sources[RIB_SRC_MAX];
struct ribd *rib_new(struct wp_loop *loop, bool with_kernel);
void rib_free(struct ribd *rib);
struct rib_table *rib_table_new(struct ribd *rib, struct rib_vrf *vrf,
				int family);
/* An empty table. */
void rib_table_free(struct rib_table *t);
/* The default VRF's table of a family. */
struct rib_table *rib_table_get(struct ribd *rib, int family);
static inline struct rib_table *
rib_vrf_table(const struct rib_vrf *vrf, int family)
{
	return vrf->tables[family == AF_INET6 ? 1 : 0];
}
static inline struct rib_vrf *
rib_dest_vrf(struct ribd *rib, const struct rib_dest *d)
{
	return rib->vrfs[d->vrf];
}
static inline struct rib_table *
rib_dest_table(struct ribd *rib, const struct rib_dest *d)
{
	return rib_vrf_table(rib_dest_vrf(rib, d), d->p.family);
}
/* In the default VRF; the _vrf forms take a VRF (NULL: default). */
struct rib_dest *rib_dest_lookup(struct ribd *rib, const struct wp_prefix *p);
struct rib_dest *rib_dest_lookup_vrf(struct ribd *rib, struct rib_vrf *vrf,
				     const struct wp_prefix *p);
struct rib_route *rib_route_new(enum rib_source src, uint32_t instance,
				uint8_t distance, unsigned int n_nh);
/* The same with a client part (rib_route_client()), zeroed. */
struct rib_route *rib_route_new_client(enum rib_source src, uint32_t instance,
				       uint8_t distance, unsigned int n_nh);
/* Add or replace the route of (source, instance) for p; takes ownership. */
void rib_route_add(struct ribd *rib, const struct wp_prefix *p,
		   struct rib_route *rt);
void rib_route_add_vrf(struct ribd *rib, struct rib_vrf *vrf,
		       const struct wp_prefix *p, struct rib_route *rt);
/* Remove the route of (source, instance) for p; 0 if found. */
int rib_route_del(struct ribd *rib, const struct wp_prefix *p,
		  enum rib_source src, uint32_t instance);
int rib_route_del_vrf(struct ribd *rib, struct rib_vrf *vrf,
		      const struct wp_prefix *p, enum rib_source src,
		      uint32_t instance);
struct rib_route *rib_route_find(struct rib_dest *d, enum rib_source src,
				 uint32_t instance);
/* Put d on the work queue (no-op if it is queued). */
void rib_dest_queue(struct ribd *rib, struct rib_dest *d);
/* Run the work queue to completion (tests, shutdown); only dests waiting
 * for kernel answers (RIB_KPENDING_MAX) may stay queued. */
void rib_process_all(struct ribd *rib);
/* Requeue every dest with gateway/interface nexthops (link events). */
void rib_requeue_nexthops(struct ribd *rib, int family);
/* Start-up reconciliation: routes a previous ribd left in the kernel. */
void rib_sweep_schedule(struct ribd *rib, double after);
void rib_sweep_now(struct ribd *rib);
const char *rib_nh_type_name(enum rib_nh_type t);
/* The prefix nh's gateway resolved through; false if none. */
bool rib_nh_via(const struct rib_nh *nh, struct wp_prefix *p);
int rib_source_parse(const char *s, enum rib_source *out);

void rib_kernel_result(void *arg, void *cookie, bool add, int error);
void rib_kernel_nhg_lost(void *arg, const uint32_t *ids, unsigned int n);
void rib_kernel_route_seen(struct ribd *rib, enum rib_kaction act,
			   const struct rib_kroute *kr);

/* rib_vrf.c */
struct rib_vrf *rib_vrf_default(struct ribd *rib);
struct rib_vrf *rib_vrf_by_table(struct ribd *rib, uint32_t table);
struct rib_vrf *rib_vrf_by_name(struct ribd *rib, const char *name);
/* The VRF of a table, made if missing (name NULL: "table-N"); NULL when
 * RIB_VRF_MAX are in use.  Table 0 is the default's. */
struct rib_vrf *rib_vrf_get(struct ribd *rib, uint32_t table,
			    const char *name);
/* A client uses / stops using vrf; the last user of a VRF that is neither
 * a device nor configured, and holds nothing, frees it. */
void rib_vrf_ref(struct rib_vrf *vrf);
void rib_vrf_unref(struct ribd *rib, struct rib_vrf *vrf);
/* Free vrf if nothing holds it any more. */
void rib_vrf_maybe_free(struct ribd *rib, struct rib_vrf *vrf);
/* A `vrf` link appeared/changed or went away (rib_iface.c). */
void rib_vrf_link(struct ribd *rib, const struct rib_klink *l, bool deleted);
/* Learn the kernel's routes of a new VRF's table (rib_iface.c). */
void rib_vrf_learn_kernel(struct ribd *rib, struct rib_vrf *vrf);
/* The VRF an interface is in: its master's, or its own for a vrf link. */
struct rib_vrf *rib_vrf_of_iface(struct ribd *rib, const struct rib_iface *ifp);
void rib_vrf_init(struct ribd *rib);
void rib_vrf_fini(struct ribd *rib);
#define RIB_VRF_FOREACH(rib, i, v) \
	for (unsigned int i = 0; i < RIB_VRF_MAX; i++) \
		if (((v) = (rib)->vrfs[i]) != NULL)

/* rib_nht.c */
void rib_nht_init(struct ribd *rib);
void rib_nht_fini(struct ribd *rib);
void rib_nht_table_init(struct rib_table *t);
void rib_nht_table_fini(struct rib_table *t);
void rib_nht_route_track(struct ribd *rib, struct rib_route *rt);
void rib_nht_route_untrack(struct ribd *rib, struct rib_route *rt);
/* d changed: requeue the routes and re-evaluate the watches below it. */
void rib_nht_dest_changed(struct ribd *rib, struct rib_dest *d);
/* Watch `a` in vrf (NULL: default) for `owner`; its entry's res is
 * current when this returns. */
struct rib_nht_watch *rib_nht_watch(struct ribd *rib, struct rib_vrf *vrf,
				    const struct wp_addr *a, void *owner);
void rib_nht_unwatch(struct ribd *rib, struct rib_nht_watch *w);
/* Evaluate queued watched entries now (tests; normally from a timer). */
void rib_nht_eval_all(struct ribd *rib);
size_t rib_nht_count(const struct ribd *rib);

/* rib_bfd.c: static routes monitored by BFD (bfdd.sock) */
struct rib_static_nh;
int rib_bfd_start(struct ribd *rib, const char *path);
void rib_bfd_stop(struct ribd *rib);
/* A configuration pass: peers not used again before _sweep go. */
void rib_bfd_begin(struct ribd *rib);
void rib_bfd_sweep(struct ribd *rib);
/* The session for a static nexthop with `bfd` (registered), or NULL. */
struct rib_bfd_peer *rib_bfd_get(struct ribd *rib,
				 const struct rib_static_nh *sn);
/* nh follows session p (NULL: none); sets or clears nh->bfd. */
void rib_bfd_bind(struct ribd *rib, struct rib_nh *nh, struct rib_bfd_peer *p);
/* Before nh goes: forget its session. */
void rib_bfd_unbind(struct ribd *rib, struct rib_nh *nh);
/* The session nh follows, or NULL. */
struct rib_bfd_peer *rib_bfd_of(struct ribd *rib, const struct rib_nh *nh);
/* May a resolved nexthop monitored by `p` be used? */
bool rib_bfd_usable(const struct rib_bfd_peer *p);
struct json_object;
void rib_bfd_peer_json(const struct rib_bfd_peer *p, struct json_object *o);
int rib_bfd_show_install(struct wp_vty *vty, struct ribd **ribp);

/* rib_zapi.c: the client API on <rundir>/ribd.sock */
int rib_zapi_start(struct ribd *rib, const char *path);
void rib_zapi_stop(struct ribd *rib);

/* rib_zapi_show.c */
int rib_zapi_show_install(struct wp_vty *vty, struct ribd **ribp);

/* rib_iface.c */
extern const struct rib_kernel_ops rib_kernel_ops;
struct rib_iface *rib_iface_by_index(struct ribd *rib, int ifindex);
struct rib_iface *rib_iface_by_name(struct ribd *rib, const char *name);
bool rib_iface_is_up(const struct rib_iface *ifp);
void rib_iface_free_all(struct ribd *rib);
/* Apply interface configuration of `ifp` to the kernel (on appear/config). */
void rib_iface_apply_conf(struct ribd *rib, struct rib_iface *ifp);

/* rib_audit.c */
struct rib_audit_diff {
	struct rib_audit_diff *next;
	struct wp_prefix p;
	uint32_t table;		/* of its VRF */
	const char *kind;	/* "missing", "extra", "different", "unknown" */
	char rib[160];		/* what the RIB says */
	char kernel[160];	/* what the kernel has */
	struct rib_kroute *have;	/* the kernel's route, if any */
	uint32_t want_metric;
};
/* Compare RIB and kernel; list differences (free with rib_audit_free). */
struct rib_audit_diff *rib_audit(struct ribd *rib, unsigned int *count);
void rib_audit_free(struct rib_audit_diff *d);
/* Audit and make the kernel match the RIB; returns the differences. */
unsigned int rib_audit_repair(struct ribd *rib);
void rib_audit_start(struct ribd *rib, unsigned int interval);
void rib_kernel_fib_forget(struct ribd *rib, struct rib_vrf *vrf,
			   const struct wp_prefix *p,
			   const struct rib_kroute *have);

/* rib_show.c */
int rib_show_install(struct wp_vty *vty, struct ribd **ribp);

#endif /* RIBD_H */
