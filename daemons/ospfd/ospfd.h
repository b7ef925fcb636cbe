/*
 * ospfd.h: the OSPFv2 daemon's types and, grouped by the file that owns
 * them, its functions.  This header is the map of the daemon.
 *
 * Data model (RFC 2328 §5):
 *   struct ospf            one instance: router ID, areas, interfaces, the
 *                          AS-external LSDB, the routing table, SPF timers
 *   struct ospf_area       an area: its LSDB (types 1-4) and interfaces
 *   struct ospf_iface      an OSPF interface: interface FSM, socket, DR/BDR
 *   struct ospf_nbr        a neighbour: neighbour FSM, DBD exchange state,
 *                          the request, retransmission and summary lists
 *   struct ospf_lsa        one LSA instance: the bytes as on the wire and a
 *                          decoded body; shared (refcounted) between the
 *                          LSDB and retransmission lists
 *   struct ospf_rtable     the routing table SPF computes
 *
 * Identifiers (router IDs, area IDs, LS IDs) and IPv4 addresses are kept
 * as uint32_t in host byte order, so they compare as numbers the way the
 * RFC compares them (DR election, §10.6 master/slave).
 *
 * Pure modules -- ospf_lsdb.c, ospf_spf.c, ospf_route.c, the decoders in
 * ospf_packet.c and the packet files, the DR election in ospf_iface.c --
 * touch neither sockets nor timers; the unit tests drive them directly.
 */
#ifndef OSPFD_H
#define OSPFD_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#include "wp_bfdclient.h"
#include "wp_buf.h"
#include "wp_keychain.h"
#include "wp_policy.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_prefix.h"
#include "wp_ribclient.h"
#include "wp_trie.h"

/* glibc's <sys/queue.h> lacks the BSD _SAFE iterators. */
#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	     (var) && ((tvar) = TAILQ_NEXT(var, field), 1);		\
	     (var) = (tvar))
#endif

/* --- protocol constants (RFC 2328 Appendix B, A.3, A.4) ----------------- */
#define OSPF_VERSION		2
#define OSPF_IPPROTO		89
#define OSPF_ALL_SPF_ROUTERS	0xe0000005u	/* 224.0.0.5 */
#define OSPF_ALL_DROUTERS	0xe0000006u	/* 224.0.0.6 */

#define OSPF_LS_REFRESH_TIME	1800
#define OSPF_MIN_LS_INTERVAL	5
#define OSPF_MIN_LS_ARRIVAL	1
#define OSPF_MAX_AGE		3600
#define OSPF_CHECK_AGE		300
#define OSPF_MAX_AGE_DIFF	900
#define OSPF_LS_INFINITY	0xffffffu
#define OSPF_MAX_LINK_METRIC	0xffffu		/* RFC 6987 §2 */
#define OSPF_INITIAL_SEQ	0x80000001u
#define OSPF_MAX_SEQ		0x7fffffffu

#define OSPF_HDR_LEN		24
#define OSPF_AUTH_LEN		8
#define OSPF_LSA_HDR_LEN	20
#define OSPF_HELLO_MIN_LEN	20	/* body, without neighbours */
#define OSPF_DBD_MIN_LEN	8
#define OSPF_LSREQ_ENTRY_LEN	12
#define OSPF_MD5_LEN		16
#define OSPF_IP_HDR_LEN		20

enum ospf_pkt_type {
	OSPF_PKT_HELLO = 1,
	OSPF_PKT_DBD = 2,
	OSPF_PKT_LSREQ = 3,
	OSPF_PKT_LSUPD = 4,
	OSPF_PKT_LSACK = 5,
	OSPF_PKT_MAX = 6,
};

enum ospf_auth_type {
	OSPF_AUTH_NULL = 0,
	OSPF_AUTH_SIMPLE = 1,
	OSPF_AUTH_CRYPT = 2,
};

/* Options field (§A.2). */
#define OSPF_OPT_E		0x02
#define OSPF_OPT_MC		0x04
#define OSPF_OPT_NP		0x08
#define OSPF_OPT_EA		0x10
#define OSPF_OPT_DC		0x20
#define OSPF_OPT_O		0x40

/* Database Description flags (§A.3.3). */
#define OSPF_DBD_MS		0x01
#define OSPF_DBD_M		0x02
#define OSPF_DBD_I		0x04

enum ospf_lsa_type {
	OSPF_LSA_ROUTER = 1,
	OSPF_LSA_NETWORK = 2,
	OSPF_LSA_SUMMARY = 3,
	OSPF_LSA_ASBR_SUMMARY = 4,
	OSPF_LSA_EXTERNAL = 5,
	OSPF_LSA_NSSA = 7,		/* RFC 3101 type-7 */
	OSPF_LSA_OPAQUE_LINK = 9,	/* RFC 5250: link-local scope */
	OSPF_LSA_OPAQUE_AREA = 10,	/* area scope */
	OSPF_LSA_OPAQUE_AS = 11,	/* AS scope, as type 5 */
	OSPF_LSA_TYPE_MAX = 12,
};

/* Router-LSA flags and link types (§A.4.2). */
#define OSPF_RTR_B		0x01
#define OSPF_RTR_E		0x02
#define OSPF_RTR_V		0x04
#define OSPF_RTR_NT		0x10	/* RFC 3101 §3.1: always translates */

enum ospf_link_type {
	OSPF_LINK_P2P = 1,
	OSPF_LINK_TRANSIT = 2,
	OSPF_LINK_STUB = 3,
	OSPF_LINK_VIRTUAL = 4,
};

#define OSPF_EXT_E		0x80	/* external metric type 2 */

/* --- defaults ----------------------------------------------------------- */
#define OSPF_DEF_HELLO		10
#define OSPF_DEF_DEAD		40
#define OSPF_DEF_RXMT		5
#define OSPF_DEF_TRANSDELAY	1
#define OSPF_DEF_PRIORITY	1
#define OSPF_DEF_COST		10
#define OSPF_DEF_SPF_DELAY	0	/* ms: timers throttle spf */
#define OSPF_DEF_SPF_HOLD	50
#define OSPF_DEF_SPF_MAX	5000
#define OSPF_DEF_LSA_INTERVAL	5000	/* ms: MinLSInterval */
#define OSPF_DEF_LSA_ARRIVAL	1000	/* ms: MinLSArrival */
#define OSPF_DEF_MAX_PATHS	16
#define OSPF_DEF_DISTANCE	110	/* administrative distance in ribd */
/* `distance ospf intra-area N inter-area N external N`: the indexes. */
enum { OSPF_DIST_INTRA, OSPF_DIST_INTER, OSPF_DIST_EXT, OSPF_DIST_TYPES };
#define OSPF_DEF_REDIST_METRIC	20	/* redistribute without metric (FRR) */
#define OSPF_DEF_DEFAULT_METRIC	10	/* default-information originate */
#define OSPF_MAX_PATHS		64
#define OSPF_ACK_DELAY		1.0	/* s: delayed acks, < RxmtInterval */

/* --- memory types and debug flags --------------------------------------- */
WP_MEMTYPE_DECLARE(MT_OSPF);
WP_MEMTYPE_DECLARE(MT_OSPF_AREA);
WP_MEMTYPE_DECLARE(MT_OSPF_IFACE);
WP_MEMTYPE_DECLARE(MT_OSPF_NBR);
WP_MEMTYPE_DECLARE(MT_OSPF_LSA);
WP_MEMTYPE_DECLARE(MT_OSPF_LSDB);
WP_MEMTYPE_DECLARE(MT_OSPF_LSLIST);
WP_MEMTYPE_DECLARE(MT_OSPF_PKT);
WP_MEMTYPE_DECLARE(MT_OSPF_ROUTE);
WP_MEMTYPE_DECLARE(MT_OSPF_SPF);
WP_MEMTYPE_DECLARE(MT_OSPF_CONF);
WP_MEMTYPE_DECLARE(MT_OSPF_KIF);
WP_MEMTYPE_DECLARE(MT_OSPF_RIB);

WP_DEBUG_DECLARE(DBG_OSPF_PACKET);
WP_DEBUG_DECLARE(DBG_OSPF_HELLO);
WP_DEBUG_DECLARE(DBG_OSPF_ISM);
WP_DEBUG_DECLARE(DBG_OSPF_NSM);
WP_DEBUG_DECLARE(DBG_OSPF_LSA);
WP_DEBUG_DECLARE(DBG_OSPF_FLOOD);
WP_DEBUG_DECLARE(DBG_OSPF_SPF);
WP_DEBUG_DECLARE(DBG_OSPF_RIB);
WP_DEBUG_DECLARE(DBG_OSPF_IFACE);

/* --- LSAs and the LSDB (ospf_lsdb.c) ------------------------------------ */

/* A decoded LSA header; seq is compared as a signed number (§12.1.6). */
struct ospf_lsa_hdr {
	uint16_t age;
	uint8_t options;
	uint8_t type;
	uint32_t id;
	uint32_t adv;
	uint32_t seq;
	uint16_t cksum;
	uint16_t len;
};

struct ospf_rtr_link {
	uint32_t id;
	uint32_t data;
	uint8_t type;		/* enum ospf_link_type */
	uint16_t metric;	/* TOS 0 */
};

enum ospf_lsa_flags {
	OSPF_LSA_SELF = 1 << 0,		/* we originated it */
	OSPF_LSA_FLUSHING = 1 << 1,	/* at MaxAge, flooded, awaiting acks */
	OSPF_LSA_MARK = 1 << 2,		/* scratch for one walk */
};

struct ospf_lsa {
	struct ospf_lsa *hnext;		/* LSDB hash chain */
	struct ospf_lsdb *db;		/* NULL when not (or no longer) in one */
	unsigned int refcnt;
	unsigned int flags;
	unsigned int rxmt;		/* retransmission lists holding it */
	struct ospf_lsa_hdr hdr;	/* hdr.age: the age at `stamp` */
	double stamp;			/* monotonic seconds */
	double installed;		/* when it entered the LSDB (MinLSArrival) */
	double changed;			/* when its contents last changed */
	struct ospf_iface *scope_ifp;	/* type 9: the interface it is of */
	uint8_t *raw;			/* hdr.len bytes, network order */
	union {
		struct {
			uint8_t flags;
			uint16_t nlinks;
			struct ospf_rtr_link *links;
		} rtr;
		struct {
			uint32_t mask;
			uint16_t nrtrs;
			uint32_t *rtrs;
		} net;
		struct {
			uint32_t mask;
			uint32_t metric;
		} sum;
		struct {
			uint32_t mask;
			uint32_t metric;
			bool e2;
			uint32_t fwd;
			uint32_t tag;
		} ext;
	} u;
};

struct ospf_lsdb {
	struct ospf_lsa **buckets;
	size_t nbuckets;
	size_t count;
	size_t count_type[OSPF_LSA_TYPE_MAX];
};

struct ospf_lsdb_iter {
	size_t bucket;
	struct ospf_lsa *next;
};

/* Checksums. */
uint16_t ospf_fletcher(const uint8_t *buf, size_t len, size_t off);
bool ospf_fletcher_ok(const uint8_t *buf, size_t len);
uint16_t ospf_lsa_cksum(const uint8_t *raw, size_t len);
bool ospf_lsa_cksum_ok(const uint8_t *raw, size_t len);
uint16_t ospf_inet_cksum(const uint8_t *buf, size_t len);

int ospf_lsa_hdr_decode(struct wp_rbuf *r, struct ospf_lsa_hdr *h);
void ospf_lsa_hdr_encode(struct wp_wbuf *w, const struct ospf_lsa_hdr *h);
/*
 * Decode and check one whole LSA (`len` bytes from its header on); NULL
 * and a reason in `err` if malformed.  The checksum is not checked here.
 */
struct ospf_lsa *ospf_lsa_parse(const uint8_t *data, size_t len, double now,
				char *err, size_t errlen);
struct ospf_lsa *ospf_lsa_ref(struct ospf_lsa *lsa);
void ospf_lsa_unref(struct ospf_lsa *lsa);
uint16_t ospf_lsa_age(const struct ospf_lsa *lsa, double now);
/* The header as it should go on the wire now (current age + delay). */
void ospf_lsa_hdr_now(const struct ospf_lsa *lsa, double now, uint16_t delay,
		      struct ospf_lsa_hdr *h);
/* Age the instance to MaxAge (premature aging, §14.1). */
void ospf_lsa_set_maxage(struct ospf_lsa *lsa, double now);
/* §13.1: >0 if a is more recent, <0 if b is, 0 for the same instance. */
int ospf_lsa_cmp(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b);
/* §13.2: would installing b instead of a change the routing table? */
bool ospf_lsa_differ(const struct ospf_lsa *a, const struct ospf_lsa *b,
		     double now);
bool ospf_lsa_type_ok(uint8_t type);
const char *ospf_lsa_type_name(uint8_t type);
char *ospf_lsa_fmt(const struct ospf_lsa_hdr *h, char *buf, size_t len);
/* Dotted quad of an ID or address in host order (16 bytes suffice). */
char *ospf_id_fmt(uint32_t id, char *buf, size_t len);

/* Builders: a finished LSA (checksummed, decoded), refcount 1. */
struct ospf_lsa *ospf_lsa_build_router(const struct ospf_lsa_hdr *h,
				       uint8_t flags,
				       const struct ospf_rtr_link *links,
				       size_t nlinks, double now);
struct ospf_lsa *ospf_lsa_build_network(const struct ospf_lsa_hdr *h,
					uint32_t mask, const uint32_t *rtrs,
					size_t nrtrs, double now);
struct ospf_lsa *ospf_lsa_build_summary(const struct ospf_lsa_hdr *h,
					uint32_t mask, uint32_t metric,
					double now);
/* An opaque LSA (RFC 5250) of h->type with `body` after the header. */
struct ospf_lsa *ospf_lsa_build_opaque(const struct ospf_lsa_hdr *h,
				       const uint8_t *body, size_t len,
				       double now);
struct ospf_lsa *ospf_lsa_build_external(const struct ospf_lsa_hdr *h,
					 uint32_t mask, uint32_t metric,
					 bool e2, uint32_t fwd, uint32_t tag,
					 double now);

struct ospf_lsdb *ospf_lsdb_new(void);
void ospf_lsdb_free(struct ospf_lsdb *db);
struct ospf_lsa *ospf_lsdb_lookup(const struct ospf_lsdb *db, uint8_t type,
				  uint32_t id, uint32_t adv);
/* Any instance of (type, id), preferring one that is not at MaxAge. */
struct ospf_lsa *ospf_lsdb_lookup_id(const struct ospf_lsdb *db, uint8_t type,
				     uint32_t id, double now);
/* The hash chain holding every instance of (type, id), in the order a
 * walk of the whole LSDB meets them; other keys share it: follow
 * ->hnext and check type and id. */
struct ospf_lsa *ospf_lsdb_chain(const struct ospf_lsdb *db, uint8_t type,
				 uint32_t id);
/*
 * Take a reference on `lsa` and store it; an instance with the same key is
 * removed and returned (the caller owns that reference), else NULL.
 */
struct ospf_lsa *ospf_lsdb_install(struct ospf_lsdb *db, struct ospf_lsa *lsa);
/* Remove and drop the LSDB's reference. */
void ospf_lsdb_remove(struct ospf_lsdb *db, struct ospf_lsa *lsa);
struct ospf_lsa *ospf_lsdb_first(const struct ospf_lsdb *db,
				 struct ospf_lsdb_iter *it);
/* Safe against removing the LSA last returned, and only that one. */
struct ospf_lsa *ospf_lsdb_next(const struct ospf_lsdb *db,
				struct ospf_lsdb_iter *it);
/* All LSAs sorted by (type, id, adv); free the array with MT_OSPF_LSDB. */
struct ospf_lsa **ospf_lsdb_sorted(const struct ospf_lsdb *db, size_t *n);
size_t ospf_lsdb_count(const struct ospf_lsdb *db);

/* --- routing table (ospf_route.c) --------------------------------------- */

enum ospf_path_type {
	OSPF_PATH_INTRA,
	OSPF_PATH_INTER,
	OSPF_PATH_EXT1,
	OSPF_PATH_EXT2,
};

struct ospf_nexthop {
	uint32_t gw;		/* 0: directly attached */
	int ifindex;
};

struct ospf_route {
	struct wp_prefix p;
	enum ospf_path_type type;
	uint32_t cost;
	uint32_t cost2;		/* type 2 external cost */
	uint32_t area;
	uint32_t adv;		/* LSA that gave it: advertising router */
	bool connected;		/* one of our own networks */
	unsigned int n_nh, cap_nh;
	struct ospf_nexthop *nh;
};

/* Routes to area border and AS boundary routers (§16.1, step 4). */
struct ospf_rtr_route {
	uint32_t id;
	uint32_t area;
	uint8_t flags;		/* OSPF_RTR_B | OSPF_RTR_E */
	enum ospf_path_type type;
	uint32_t cost;
	unsigned int n_nh;
	struct ospf_nexthop nh[OSPF_MAX_PATHS];
};

struct ospf_rtable {
	struct wp_trie *routes;		/* prefix -> struct ospf_route */
	struct ospf_rtr_route *rtrs;
	size_t n_rtrs, cap_rtrs;
	bool transit;			/* a transit area or virtual link */
};

enum ospf_rt_op {
	OSPF_RT_ADD,		/* new prefix, or changed: replaces */
	OSPF_RT_DEL,
};

struct ospf_rt_change {
	enum ospf_rt_op op;
	const struct ospf_route *rt;	/* the new route; the old for DEL */
};

/* A batch of changes between two routing tables, in prefix order. */
struct ospf_rt_diff {
	struct ospf_rt_change *ch;
	size_t n, cap;
	size_t adds, changes, dels;
};

struct ospf_rtable *ospf_rtable_new(void);
void ospf_rtable_free(struct ospf_rtable *t);
struct ospf_route *ospf_route_new(const struct wp_prefix *p);
void ospf_route_free(struct ospf_route *rt);
/* Add nexthops to the route (dedup, at most `max` in all). */
void ospf_route_add_nh(struct ospf_route *rt, const struct ospf_nexthop *nh,
		       unsigned int n, unsigned int max);
void ospf_route_clear_nh(struct ospf_route *rt);
/* The route for `p` or NULL. */
struct ospf_route *ospf_rtable_get(const struct ospf_rtable *t,
				   const struct wp_prefix *p);
/* Insert or replace (the old route is freed). */
void ospf_rtable_put(struct ospf_rtable *t, struct ospf_route *rt);
struct ospf_rtr_route *ospf_rtable_rtr(const struct ospf_rtable *t,
				       uint32_t id, uint32_t area);
struct ospf_rtr_route *ospf_rtable_rtr_add(struct ospf_rtable *t, uint32_t id,
					   uint32_t area);
/* Is route `r` to a router better than `best` (NULL: none yet)? */
bool ospf_rtr_route_better(const struct ospf_rtr_route *r,
			   const struct ospf_rtr_route *best);
/* Merge nexthops of `b` into `a` (dedup, at most `max`). */
void ospf_nh_merge(struct ospf_nexthop *a, unsigned int *na,
		   const struct ospf_nexthop *b, unsigned int nb,
		   unsigned int max);
bool ospf_route_same(const struct ospf_route *a, const struct ospf_route *b);
/* Changes from `old` to `new` (either may be NULL for empty). */
void ospf_rtable_diff(const struct ospf_rtable *old,
		      const struct ospf_rtable *new, struct ospf_rt_diff *d);
void ospf_rt_diff_free(struct ospf_rt_diff *d);
/* Append one change (the counts are the caller's). */
void ospf_rt_diff_push(struct ospf_rt_diff *d, enum ospf_rt_op op,
		       const struct ospf_route *rt);
const char *ospf_path_type_name(enum ospf_path_type t);
/*
 * For the SPF run history: which of `trig` most likely caused the change
 * of the route to `p` advertised by `adv` (0: unknown): a type-3/5/7 for
 * the prefix itself, else an LSA of the advertising router, else a router-
 * or network-LSA (topology); -1 if none of these.
 */
int ospf_spf_trigger_match(const struct ospf_lsa_hdr *trig, unsigned int n,
			   const struct wp_prefix *p, uint32_t adv);

/* --- SPF (ospf_spf.c): pure, (LSDBs, root) -> routes --------------------- */

/* One of our interfaces in an area: how a first hop leaves the router. */
struct ospf_spf_iface {
	uint32_t addr;
	uint32_t mask;
	int ifindex;
};

struct ospf_spf_area {
	uint32_t id;
	uint8_t type;			/* enum ospf_area_type; 0: normal */
	const struct ospf_lsdb *db;
	const struct ospf_spf_iface *ifs;
	size_t n_ifs;
};

/* A configured virtual link (§15): the other endpoint, the transit area. */
struct ospf_spf_vlink {
	uint32_t peer;
	uint32_t transit;
};

struct ospf_spf_input {
	uint32_t root;
	double now;
	unsigned int max_paths;
	const struct ospf_spf_area *areas;
	size_t n_areas;
	const struct ospf_lsdb *as_db;	/* type 5; may be NULL */
	const struct ospf_spf_vlink *vlinks;
	size_t n_vlinks;
};

struct ospf_spf_stats {
	unsigned int vertices;
	unsigned int intra, inter, ext;
	/* Wall time of each phase, milliseconds (monotonic clock). */
	double intra_ms, inter_ms, ext_ms;
};

/* Compute the routing table; returns a new one (never NULL). */
struct ospf_rtable *ospf_spf_run(const struct ospf_spf_input *in,
				 struct ospf_spf_stats *st);

/* What an incremental update changed: the diff for ribd, and for each
 * change the route it replaced or removed (NULL: an add), which the
 * diff's DELs point to; ospf_spf_inc_free() frees them. */
struct ospf_spf_inc {
	struct ospf_rt_diff diff;
	struct ospf_route **old;
	size_t n, cap;
};
/*
 * Incremental update (§16.6): recompute the external routes of the
 * prefixes `pfx` (sorted by wp_prefix_cmp(); type-5s of in->as_db,
 * type-7s of the NSSAs) in `rt`,
 * the table of the last full run over the same areas; its intra- and
 * inter-area routes and routes to AS boundary routers are used as they
 * are (§16.4).  The result is the route a full run would compute, as
 * long as every LSA's LS ID passes ospf_spf_ext_id_ok().
 */
void ospf_spf_ext_update(const struct ospf_spf_input *in,
			 struct ospf_rtable *rt, const struct wp_prefix *pfx,
			 size_t n, struct ospf_spf_inc *res);
/*
 * The same for type-3 summary-LSAs (§16.5): recompute the inter-area
 * routes of the prefixes `sum` (§16.2 on the summary area's LSAs), then
 * the external routes of `ext`, of the `sum` prefixes left without an
 * internal route, and of every type-5/7 whose forwarding address lies in
 * a `sum` prefix (§16.4 (3)).  One diff, in prefix order.  Returns false,
 * changing nothing, when this cannot give a full run's result: `sum`
 * with a transit area or virtual link (§16.3), or such an external whose
 * LS ID fails ospf_spf_ext_id_ok().  As above, every type-3's LS ID must
 * pass ospf_spf_sum_id_ok().
 */
bool ospf_spf_inc_update(const struct ospf_spf_input *in,
			 struct ospf_rtable *rt, const struct wp_prefix *sum,
			 size_t n_sum, const struct wp_prefix *ext,
			 size_t n_ext, struct ospf_spf_inc *res);
void ospf_spf_inc_free(struct ospf_spf_inc *res);
/* Is the type-5/7's LS ID its network address, or that with all host
 * bits set (Appendix E)?  Only such LSAs are found by their prefix. */
bool ospf_spf_ext_id_ok(const struct ospf_lsa *lsa);
bool ospf_spf_sum_id_ok(const struct ospf_lsa *lsa);

/* --- configuration (ospf_conf.c) ---------------------------------------- */

#define OSPF_MD5_KEYS_MAX	8

struct ospf_md5_key {
	uint8_t id;
	char key[OSPF_MD5_LEN + 1];
};

enum ospf_net_type {
	OSPF_NET_DEFAULT = 0,	/* from the kernel: broadcast or loopback */
	OSPF_NET_BROADCAST,
	OSPF_NET_P2P,
	OSPF_NET_LOOPBACK,
	OSPF_NET_NBMA,		/* non-broadcast multi-access (§9.5.1) */
	OSPF_NET_P2MP,		/* point-to-multipoint (§12.4.1.4) */
};

/* `neighbor A.B.C.D [priority N] [poll-interval N]` (NBMA, §C.5). */
#define OSPF_DEF_POLL		120	/* s, PollInterval */
#define OSPF_DEF_NBR_PRIORITY	0	/* FRR's default */

struct ospf_nbma_conf {
	uint32_t addr;
	uint8_t priority;
	uint16_t poll;			/* seconds */
};

/* `interface IF` lines that belong to ospfd; *_set says "configured". */
struct ospf_if_conf {
	char name[IF_NAMESIZE];
	bool area_set;
	uint32_t area;
	uint32_t cost;			/* 0: default */
	uint16_t hello;			/* 0: default */
	uint32_t dead;			/* 0: default (4 x hello) */
	uint16_t rxmt;
	uint16_t transdelay;
	bool priority_set;
	uint8_t priority;
	enum ospf_net_type network;
	bool p2mp_nb;			/* point-to-multipoint non-broadcast */
	bool passive;
	bool mtu_ignore;
	int auth_type;			/* -1: from the area */
	char auth_key[OSPF_AUTH_LEN + 1];
	unsigned int n_md5;
	struct ospf_md5_key md5[OSPF_MD5_KEYS_MAX];
	char key_chain[WP_KC_NAME_MAX + 1];	/* "": message-digest-keys */
	bool bfd;			/* ip ospf bfd [profile NAME] */
	char bfd_profile[WP_BFD_PROFILE_LEN];
};

struct ospf_network_conf {
	struct wp_prefix p;
	uint32_t area;
};

struct ospf_range_conf {
	uint32_t addr, mask;
	bool not_advertise;
	bool cost_set;
	uint32_t cost;
};

struct ospf_area_conf {
	uint32_t id;
	int auth_type;			/* -1: null */
	/* area A authentication key-chain NAME: the keys of the area's
	 * interfaces that have message-digest and no keys of their own. */
	char key_chain[WP_KC_NAME_MAX + 1];
	uint8_t type;			/* enum ospf_area_type */
	bool no_summary;		/* stub/nssa no-summary */
	uint8_t nssa_role;		/* enum ospf_nssa_role */
	bool nssa_default;		/* nssa default-information-originate */
	bool default_cost_set;
	uint32_t default_cost;		/* default summary into stub/NSSA */
	unsigned int n_ranges;
	struct ospf_range_conf *ranges;
	/* `area A nssa range`: type-7 address ranges (RFC 3101 §3.2). */
	unsigned int n_nssa_ranges;
	struct ospf_range_conf *nssa_ranges;
	/* area A filter-list prefix NAME in|out ("": none), looked up in
	 * `policy` (the configuration's). */
	char filter_in[WP_POL_NAME_MAX + 1];
	char filter_out[WP_POL_NAME_MAX + 1];
	/* area A export-list|import-list NAME ("": none): access lists,
	 * like filter-list out|in. */
	char export_list[WP_POL_NAME_MAX + 1];
	char import_list[WP_POL_NAME_MAX + 1];
	struct wp_policy *policy;
};

/* Sources ospfd redistributes (`redistribute SOURCE ...`). */
enum ospf_redist_src {
	OSPF_REDIST_CONNECTED,
	OSPF_REDIST_STATIC,
	OSPF_REDIST_KERNEL,
	OSPF_REDIST_BGP,
	OSPF_REDIST_MAX
};

/* How routes of one source, or the default, become AS-external-LSAs. */
struct ospf_redist_conf {
	bool on;
	bool always;			/* default-information: even without
					 * a default route */
	bool metric_set;
	uint32_t metric;
	uint8_t metric_type;		/* 1 or 2 */
	uint32_t tag;
	char rmap[WP_POL_NAME_MAX + 1];	/* route-map NAME; "": none */
};

/* `area AREA virtual-link A.B.C.D [hello-interval N] [dead-interval N]` */
struct ospf_vlink_conf {
	uint32_t transit;
	uint32_t peer;
	uint16_t hello;			/* 0: default */
	uint32_t dead;			/* 0: default (4 x hello) */
	uint16_t rxmt;			/* 0: default */
	uint16_t transdelay;		/* 0: default */
	/* `... authentication`, `authentication-key`, `message-digest-key`
	 * lines, kept as an interface's (auth_type -1: area 0's). */
	struct ospf_if_conf auth;
};

#define OSPF_VRF_DEFAULT	"default"

/*
 * One instance's configuration: `router ospf` (vrf "") or `router ospf
 * vrf NAME`, the `interface` stanzas that may concern its interfaces
 * (`interface IF` and `interface IF vrf NAME`), and the key chains and
 * policy every instance shares a copy of.  ospf_conf_parse() returns the
 * default VRF's, with the other VRFs' chained on `next`.
 */
struct ospf_conf {
	char vrf[IF_NAMESIZE];		/* "": the default VRF */
	struct ospf_conf *next;		/* the next VRF's (default's chain) */
	bool enabled;			/* a `router ospf` stanza exists */
	bool router_id_set;
	uint32_t router_id;
	bool passive_default;
	unsigned int n_passive;
	char (*passive)[IF_NAMESIZE];
	unsigned int n_no_passive;
	char (*no_passive)[IF_NAMESIZE];
	unsigned int n_networks;
	struct ospf_network_conf *networks;
	unsigned int n_ifaces;
	struct ospf_if_conf *ifaces;
	unsigned int n_areas;
	struct ospf_area_conf *areas;
	unsigned int n_vlinks;
	struct ospf_vlink_conf *vlinks;
	unsigned int n_nbma;
	struct ospf_nbma_conf *nbma;	/* `neighbor` lines */
	unsigned int spf_delay, spf_hold, spf_max;	/* ms */
	unsigned int lsa_interval, lsa_arrival;		/* ms */
	unsigned int ref_bw;				/* Mbit/s */
	unsigned int max_paths;
	uint8_t distance;		/* 1-255 */
	uint8_t distance_type[OSPF_DIST_TYPES];	/* distance ospf; 0: none */
	bool log_adj;
	bool log_adj_detail;
	struct ospf_redist_conf redist[OSPF_REDIST_MAX];
	struct ospf_redist_conf definfo;	/* default-information */
	/* distribute-list NAME out SOURCE ("": none) */
	char distribute[OSPF_REDIST_MAX][WP_POL_NAME_MAX + 1];
	struct wp_keychains keychains;	/* `key chain` stanzas */
	struct wp_policy policy;	/* prefix lists, route maps */
	/* max-metric router-lsa (RFC 6987): administrative, on-startup N */
	bool max_metric_admin;
	bool gr_helper;			/* graceful-restart helper enable */
	bool gr_restart;		/* graceful-restart [grace-period N] */
	unsigned int gr_period;		/* seconds */
	unsigned int max_metric_startup;	/* seconds, 0: none */
	unsigned int max_metric_shutdown;	/* seconds, 0: none */
	unsigned int n_errors;
	unsigned int n_ignored;
	char first_error[256];
};

const char *ospf_redist_name(enum ospf_redist_src s);
struct ospf_conf *ospf_conf_parse(const char *text, const char *fname);
struct ospf_conf *ospf_conf_load(const char *path);
/* Frees `c` and the VRFs' chained on it. */
void ospf_conf_free(struct ospf_conf *c);
/* The configuration of VRF `vrf` ("" or "default": the default) in the
 * chain of `c`; NULL if none. */
struct ospf_conf *ospf_conf_vrf(struct ospf_conf *c, const char *vrf);
/* Errors of the whole chain, and the first of them ("" if none). */
unsigned int ospf_conf_errors(const struct ospf_conf *c, const char **first);
const struct ospf_if_conf *ospf_conf_iface(const struct ospf_conf *c,
					   const char *name);
const struct ospf_area_conf *ospf_conf_area(const struct ospf_conf *c,
					    uint32_t id);
/* The key chain of an interface (or virtual link, with area 0's `ac`)
 * of authentication type `auth_type`: its own, else its area's when it
 * has no message-digest-keys either; "" for none. */
const char *ospf_auth_key_chain(const struct ospf_if_conf *ic,
				const struct ospf_area_conf *ac, int auth_type);
/* Is `name` passive (passive-interface default/IF, ip ospf passive)? */
bool ospf_conf_passive(const struct ospf_conf *c, const char *name);
/* "0.0.0.1" or "1" -> 1; -1 if neither. */
int ospf_area_parse(const char *s, uint32_t *out);

/* --- area types and what an ABR originates (ospf_area.c): pure ---------- */

enum ospf_area_type {
	OSPF_AREA_NORMAL = 0,
	OSPF_AREA_STUB,			/* RFC 2328 §3.6 */
	OSPF_AREA_NSSA,			/* RFC 3101 */
};

enum ospf_nssa_role {
	OSPF_NSSA_CANDIDATE = 0,	/* RFC 3101 §3.1 election */
	OSPF_NSSA_ALWAYS,
	OSPF_NSSA_NEVER,
};

#define OSPF_DEF_STUB_COST	1

/* One LSA we want in an area's (or the AS's) database. */
struct ospf_want {
	uint8_t type;			/* 3, 4, 5 or 7 */
	uint32_t id, mask, metric;
	bool e2;			/* types 5 and 7 */
	bool p_bit;			/* type 7: translate (RFC 3101 §2.3) */
	uint32_t fwd, tag;
};

struct ospf_want_list {
	struct ospf_want *v;
	size_t n, cap;
};

void ospf_want_free(struct ospf_want_list *l);
void ospf_want_push(struct ospf_want_list *l, const struct ospf_want *w);
/* The area's options: E for normal areas, N/P for NSSAs (§A.2). */
uint8_t ospf_area_options(const struct ospf_area_conf *ac);
const char *ospf_area_type_name(const struct ospf_area_conf *ac);
/*
 * The type-3 and type-4 summaries (and type-7 default) an area border
 * router `self` with routing table `rt` originates into area
 * `confs[target]`; `confs` describes every active area (§12.4.3, RFC 3101
 * §2.4).  Ranges of the areas aggregate their intra-area routes.
 */
void ospf_area_wants(const struct ospf_rtable *rt, uint32_t self,
		     const struct ospf_area_conf *confs, size_t n,
		     size_t target, struct ospf_want_list *out);
/* ospf_pol.c: policy applied to routes and summaries. */
/* The distance of a route of path type `t`: distance_type[] of its type
 * if set, else `def`. */
uint8_t ospf_route_distance(uint8_t def, const uint8_t *distance_type,
			    enum ospf_path_type t);
/* May a type-3 for addr/mask go from area `from`'s routes into area
 * `into` (`area filter-list prefix NAME out` and `area export-list NAME`
 * of `from`, `filter-list ... in` and `import-list` of `into`)? */
bool ospf_area_filter_permits(const struct ospf_area_conf *from,
			      const struct ospf_area_conf *into,
			      uint32_t addr, uint32_t mask);
/* May a route of `src` to `p` be redistributed (`distribute-list NAME
 * out SOURCE`)? */
bool ospf_distribute_permits(struct ospf_conf *c,
			     enum ospf_redist_src src,
			     const struct wp_prefix *p);
/* The discard routes an area border router with routing table `rt` owes
 * the advertised ranges of the areas `confs` (id/mask: the prefix,
 * metric: the range's cost). */
void ospf_discard_wants(const struct ospf_rtable *rt,
			const struct ospf_area_conf *confs, size_t n,
			struct ospf_want_list *out);
/* Are we the NSSA's type-7 translator (RFC 3101 §3.1)? */
bool ospf_nssa_translator(const struct ospf_rtable *rt, uint32_t self,
			  const struct ospf_area_conf *nssa);
/* The type-5s translated from the NSSA's type-7s (RFC 3101 §3.2). */
void ospf_nssa_translate(const struct ospf_lsdb *db,
			 const struct ospf_rtable *rt, uint32_t self,
			 uint32_t area, double now, struct ospf_want_list *out);

/* ospf_nssa.c: as the NSSA's translator, fold the type-5s of `wl` inside
 * the area's type-7 address ranges into one per range (RFC 3101 §3.2). */
void ospf_nssa_aggregate(const struct ospf_area_conf *ac,
			 struct ospf_want_list *wl);

/* --- kernel interfaces (ospf_ifmon.c) ----------------------------------- */
/*
 * What the kernel says about links and IPv4 addresses.  A netlink dump
 * and listener for now; ribd's IF_STATE/ADDR_STATE stream replaces this
 * file and nothing else.
 */

#define OSPF_KIF_ADDRS_MAX	16

struct ospf_kaddr {
	uint32_t addr;
	uint8_t plen;
};

struct ospf_kif {
	TAILQ_ENTRY(ospf_kif) entry;
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags;		/* IFF_* */
	unsigned int mtu;
	int master;			/* IFLA_MASTER: bridge, VRF; 0: none */
	bool is_vrf;			/* a vrf link (kind "vrf") */
	uint32_t vrf_table;		/* is_vrf: its kernel table */
	unsigned int n_addrs;
	struct ospf_kaddr addrs[OSPF_KIF_ADDRS_MAX];
};

TAILQ_HEAD(ospf_kif_head, ospf_kif);

struct ospf;

struct ospf_ifmon;
struct ospf_ifmon *ospf_ifmon_start(struct ospf *ospf);
void ospf_ifmon_stop(struct ospf_ifmon *m);
struct ospf_kif *ospf_kif_find(struct ospf *ospf, int ifindex);
struct ospf_kif *ospf_kif_by_name(struct ospf *ospf, const char *name);
/* Is `k` an interface of the instance's VRF (enslaved to its vrf link,
 * or to none for the default)?  The vrf link itself is its VRF's, as a
 * loopback. */
bool ospf_kif_mine(struct ospf *ospf, const struct ospf_kif *k);
/* The kernel table of the instance's VRF: 254 for the default, the vrf
 * link's for another, 0 while that link does not exist. */
uint32_t ospf_vrf_table(struct ospf *ospf);
void ospf_kif_free_all(struct ospf *ospf);

/* --- areas, interfaces, neighbours --------------------------------------- */

enum ospf_if_state {
	IF_STA_DOWN,
	IF_STA_LOOPBACK,
	IF_STA_WAITING,
	IF_STA_P2P,
	IF_STA_DROTHER,
	IF_STA_BACKUP,
	IF_STA_DR,
	IF_STA_MAX,
};

enum ospf_if_event {
	IF_EVT_UP,
	IF_EVT_WAIT_TIMER,
	IF_EVT_BACKUP_SEEN,
	IF_EVT_NBR_CHANGE,
	IF_EVT_LOOP_IND,
	IF_EVT_UNLOOP_IND,
	IF_EVT_DOWN,
	IF_EVT_MAX,
};

enum ospf_nbr_state {
	NBR_STA_DOWN,
	NBR_STA_ATTEMPT,
	NBR_STA_INIT,
	NBR_STA_2WAY,
	NBR_STA_EXSTART,
	NBR_STA_EXCHANGE,
	NBR_STA_LOADING,
	NBR_STA_FULL,
	NBR_STA_MAX,
};

enum ospf_nbr_event {
	NBR_EVT_HELLO_RCVD,
	NBR_EVT_START,
	NBR_EVT_2WAY_RCVD,
	NBR_EVT_NEG_DONE,
	NBR_EVT_EXCH_DONE,
	NBR_EVT_BAD_LSREQ,
	NBR_EVT_LOAD_DONE,
	NBR_EVT_ADJ_OK,
	NBR_EVT_SEQ_MISMATCH,
	NBR_EVT_1WAY_RCVD,
	NBR_EVT_KILL,
	NBR_EVT_INACTIVITY,
	NBR_EVT_LL_DOWN,
	NBR_EVT_MAX,
};

extern const char *const ospf_if_state_name[IF_STA_MAX];
extern const char *const ospf_if_event_name[IF_EVT_MAX];
extern const char *const ospf_nbr_state_name[NBR_STA_MAX];
extern const char *const ospf_nbr_event_name[NBR_EVT_MAX];

/* Self-originated LSA pacing: MinLSInterval per LSA (§12.4). */
struct ospf_orig {
	struct wp_timer timer;
	double last;			/* monotonic time of the last origination */
	bool pending;
};

struct ospf_area {
	TAILQ_ENTRY(ospf_area) entry;
	struct ospf *ospf;
	uint32_t id;
	bool translating;		/* NSSA: we translate its type-7s */
	struct ospf_lsdb *lsdb;
	TAILQ_HEAD(, ospf_iface) ifaces;
	struct ospf_orig rtr_orig;	/* our router-LSA */
	unsigned int n_full;		/* fully adjacent neighbours */
	uint64_t spf_runs;
};

/* Why packets were dropped on an interface: the adjacency doctor's data. */
enum ospf_if_err {
	OSPF_ERR_SHORT,			/* shorter than its headers say */
	OSPF_ERR_VERSION,
	OSPF_ERR_TYPE,
	OSPF_ERR_LENGTH,		/* length field wrong or body malformed */
	OSPF_ERR_CKSUM,
	OSPF_ERR_AREA,
	OSPF_ERR_AUTH_TYPE,
	OSPF_ERR_AUTH,
	OSPF_ERR_DST,
	OSPF_ERR_SRC,			/* not on the interface's subnet */
	OSPF_ERR_OWN,			/* our own router ID */
	OSPF_ERR_MASK,
	OSPF_ERR_HELLO_INT,
	OSPF_ERR_DEAD_INT,
	OSPF_ERR_OPTIONS,		/* E-bit (area type) mismatch */
	OSPF_ERR_NBR_UNKNOWN,
	OSPF_ERR_NBR_STATE,
	OSPF_ERR_MTU,
	OSPF_ERR_LSA,			/* a bad LSA inside an update */
	OSPF_ERR_NET_TYPE,		/* p2p vs broadcast: noted, not dropped */
	OSPF_ERR_MAX,
};

#define OSPF_ERR_DETAIL_LEN	80

extern const char *const ospf_if_err_name[OSPF_ERR_MAX];
/* Short stable names of the reasons an adjacency does not form (the
 * adjacency doctor's); NULL for the other reasons. */
extern const char *const ospf_if_err_code[OSPF_ERR_MAX];

struct ospf_if_stats {
	uint64_t rx[OSPF_PKT_MAX];
	uint64_t tx[OSPF_PKT_MAX];
	uint64_t tx_err;
	uint64_t err[OSPF_ERR_MAX];
	enum ospf_if_err last_err;
	uint32_t last_err_src;
	double last_err_time;		/* wall clock, 0: never */
	/* Per reason: the last offending packet's source, time, detail. */
	uint32_t err_src[OSPF_ERR_MAX];
	double err_time[OSPF_ERR_MAX];	/* wall clock, 0: never */
	char err_detail[OSPF_ERR_MAX][OSPF_ERR_DETAIL_LEN];
};

/* Why graceful restart helping ended (RFC 3623 §3.3). */
enum ospf_gr_exit {
	OSPF_GR_EXIT_NONE,
	OSPF_GR_EXIT_SUCCESS,		/* its Grace-LSA was flushed */
	OSPF_GR_EXIT_EXPIRED,		/* the grace period ran out */
	OSPF_GR_EXIT_TOPOLOGY,		/* §3.2 */
	OSPF_GR_EXIT_NBR_DOWN,		/* killed otherwise (interface down) */
	OSPF_GR_EXIT_DISABLED,		/* no graceful-restart helper */
	OSPF_GR_EXIT_MAX,
};

struct ospf_lsa_hdr_list {
	struct ospf_lsa_hdr *h;
	size_t n, cap;
};

struct ospf_iface {
	TAILQ_ENTRY(ospf_iface) entry;		/* ospf->ifaces */
	struct ospf_lsdb *lsdb9;		/* link-local opaque LSAs */
	TAILQ_ENTRY(ospf_iface) area_entry;	/* area->ifaces */
	struct ospf *ospf;
	struct ospf_area *area;
	char name[IF_NAMESIZE];
	int ifindex;
	unsigned int mtu;
	uint32_t addr;			/* our address on it */
	uint32_t mask;
	uint8_t plen;
	enum ospf_net_type type;	/* broadcast, p2p, NBMA, p2mp, loop */
	bool p2mp_nb;			/* p2mp: hellos unicast too */
	/* NBMA and p2mp non-broadcast: the configured neighbours on the
	 * subnet (ospf_nbma.c), polled while Down (§9.5.1). */
	struct ospf_nbma_nbr *nbma;
	size_t n_nbma;
	enum ospf_if_state state;
	bool passive;
	bool mtu_ignore;
	bool present;			/* reconciliation mark */
	/* A virtual link (§15): an unnumbered point-to-point interface of
	 * the backbone; packets go to vl_peer_addr out of the transit
	 * area's interface vl_ifindex (ospf_vlink.c). */
	bool vlink;
	uint32_t vl_peer;		/* the other endpoint's router ID */
	uint32_t vl_transit;		/* the transit area */
	uint32_t vl_peer_addr;
	int vl_ifindex;
	uint8_t area_options;		/* area type as of the last restart */
	/* Parameters (§9), from the configuration. */
	uint32_t cost;
	uint16_t hello_interval;
	uint32_t dead_interval;
	uint16_t rxmt_interval;
	uint16_t transdelay;
	uint8_t priority;
	enum ospf_auth_type auth_type;
	char auth_key[OSPF_AUTH_LEN];
	unsigned int n_md5;
	struct ospf_md5_key md5[OSPF_MD5_KEYS_MAX];
	char key_chain[WP_KC_NAME_MAX + 1];	/* keys from ospf->conf */
	uint32_t crypt_seq;
	/* BFD for the neighbours (RFC 5882 §4.2); changes need no restart. */
	bool bfd;
	char bfd_profile[WP_BFD_PROFILE_LEN];
	/* DR and BDR: interface addresses as in hellos, and router IDs. */
	uint32_t dr, bdr;
	uint32_t dr_id, bdr_id;
	TAILQ_HEAD(, ospf_nbr) nbrs;
	unsigned int n_nbrs;
	/* I/O. */
	int fd;
	struct wp_io io;
	bool joined_dr;
	struct wp_timer hello_timer;
	struct wp_timer wait_timer;
	struct wp_timer ack_timer;
	struct ospf_lsa_hdr_list acks;	/* delayed acknowledgements */
	/* LSAs flooded out of it in this loop iteration, sent together. */
	struct wp_timer flood_timer;
	struct ospf_lsa **floodq;
	size_t n_floodq, cap_floodq;
	struct ospf_orig net_orig;	/* our network-LSA as DR */
	bool net_lsa;			/* we have one in the LSDB */
	double state_change;
	uint64_t state_changes;
	struct ospf_if_stats stats;
};

/* Does the network elect a DR and BDR (broadcast, NBMA; §9.4)? */
static inline bool
ospf_iface_elects(const struct ospf_iface *ifp)
{
	return ifp->type == OSPF_NET_BROADCAST || ifp->type == OSPF_NET_NBMA;
}

/* Are packets unicast to each neighbour: NBMA, point-to-multipoint
 * non-broadcast (§9.5.1, §13.3)? */
static inline bool
ospf_iface_nonbcast(const struct ospf_iface *ifp)
{
	return ifp->type == OSPF_NET_NBMA ||
	       (ifp->type == OSPF_NET_P2MP && ifp->p2mp_nb);
}

/* One entry of a neighbour's list of LSAs (retransmission, summary). */
struct ospf_lsa_ref {
	TAILQ_ENTRY(ospf_lsa_ref) entry;
	struct ospf_lsa *lsa;
};

TAILQ_HEAD(ospf_lsa_ref_head, ospf_lsa_ref);

struct ospf_lsreq_ent {
	TAILQ_ENTRY(ospf_lsreq_ent) entry;
	struct ospf_lsa_hdr hdr;
};

struct ospf_nbr {
	TAILQ_ENTRY(ospf_nbr) entry;
	struct ospf_iface *iface;
	uint32_t id;			/* router ID */
	uint32_t addr;			/* interface address */
	uint8_t priority;
	uint8_t options;
	uint32_t dr, bdr;		/* as declared in its hellos */
	enum ospf_nbr_state state;
	/* Database exchange (§10.6, §10.8). */
	bool master;			/* we are master */
	bool dd_more;			/* our M-bit for the packet in flight */
	uint32_t dd_seq;
	uint8_t last_dd_flags, last_dd_options;
	uint32_t last_dd_seq;
	bool last_dd_valid;
	uint8_t *dd_last;		/* last DBD sent (slave duplicates) */
	uint32_t crypt_seq;		/* highest accepted (App. D.3) */
	bool crypt_seq_valid;
	size_t dd_last_len;
	struct ospf_lsa_ref_head summary;
	unsigned int n_summary;
	TAILQ_HEAD(, ospf_lsreq_ent) lsreq;
	unsigned int n_lsreq;
	struct ospf_lsa_ref_head rxmt;
	unsigned int n_rxmt;
	struct wp_timer inactivity_timer;
	struct wp_timer dd_timer;	/* DBD retransmission */
	struct wp_timer lsreq_timer;
	struct wp_timer rxmt_timer;
	double state_change;
	time_t up_since;		/* wall clock of reaching Full */
	double nodr_since;		/* monotonic: 2-Way+ naming no DR */
	uint64_t state_changes;
	uint64_t rxmt_sent;
	const char *last_event;
	/* BFD (ospf_bfd.c): registered with bfdd under bfd_key. */
	bool bfd_registered;
	struct wp_bfd_key bfd_key;
	bool bfd_have_state;		/* bfdd answered */
	struct wp_bfd_status bfd_status;
	time_t bfd_since;		/* wall clock of the last change */
	/* Graceful restart helper (ospf_gr.c, RFC 3623 §3). */
	struct {
		bool helping;
		struct wp_timer timer;	/* end of the grace period */
		uint32_t period;	/* seconds, from its Grace-LSA */
		int reason;		/* Appendix A; -1: not given */
		enum ospf_gr_exit last_exit;
	} gr;
};

/* Fully adjacent for the LSAs we originate: Full, or restarting while
 * we help (RFC 3623 §3). */
static inline bool
ospf_nbr_full(const struct ospf_nbr *nbr)
{
	return nbr->state == NBR_STA_FULL || nbr->gr.helping;
}

/* --- the instance -------------------------------------------------------- */

/* What one SPF run was triggered by and what it changed (history). */
#define OSPF_SPF_HIST		16	/* runs kept */
#define OSPF_SPF_TRIGGERS	8	/* trigger LSAs kept per run */
#define OSPF_SPF_CHANGES	256	/* route changes kept per run */

enum ospf_rt_chg {
	OSPF_CHG_ADD,
	OSPF_CHG_DEL,
	OSPF_CHG_CHANGE,
};

struct ospf_spf_chg {
	struct wp_prefix p;
	enum ospf_rt_chg op;
	int trigger;			/* index into the run's triggers, -1 */
};

struct ospf_spf_run_rec {
	uint64_t run;			/* 1-based, full and incremental */
	bool incremental;		/* externals only (§16.6) */
	time_t when;			/* wall clock of the start */
	char reason[64];
	struct ospf_lsa_hdr triggers[OSPF_SPF_TRIGGERS];
	unsigned int n_triggers;
	unsigned int triggers_dropped;	/* beyond OSPF_SPF_TRIGGERS */
	struct ospf_spf_stats st;
	double total_ms, rib_ms;	/* whole run; handing the batch over */
	double to_rib_ms;		/* from the run's start to ribd */
	size_t routes;
	size_t adds, changes, dels;
	struct ospf_spf_chg *chg;	/* at most OSPF_SPF_CHANGES */
	size_t n_chg;
};

struct ospf_spf_state {
	struct wp_timer timer;
	double last_start, last_end;	/* monotonic */
	double hold;			/* current hold, seconds */
	uint64_t runs;
	double last_duration;		/* seconds */
	time_t last_time;		/* wall clock */
	char last_reason[64];
	struct ospf_spf_stats last;
	/* LSAs that triggered the pending run. */
	struct ospf_lsa_hdr pend[OSPF_SPF_TRIGGERS];
	unsigned int n_pend, pend_dropped;
	/* The last OSPF_SPF_HIST runs, a ring: hist[(recs - 1) % HIST]. */
	struct ospf_spf_run_rec hist[OSPF_SPF_HIST];
	uint64_t recs;			/* runs recorded, both kinds */
	/* Incremental updates (ospf_spf_inc.c): the prefixes
	 * whose type-5/7 (pfx) or type-3 (spfx) changed since the last
	 * run, batched until the read or flood pass ends. */
	struct {
		struct wp_timer timer;
		struct wp_prefix *pfx;
		size_t n_pfx, cap_pfx;
		struct wp_prefix *spfx;
		size_t n_spfx, cap_spfx;
		bool nssa;		/* a type-7 among them */
		char reason[64];
		struct ospf_lsa_hdr pend[OSPF_SPF_TRIGGERS];
		unsigned int n_pend, pend_dropped;
		uint64_t runs;
		uint64_t lsas;		/* LSAs handled without a full run */
		double last_duration;	/* seconds */
		time_t last_time;	/* wall clock */
	} inc;
};

struct ospf_stats {
	uint64_t lsa_originated;
	uint64_t lsa_received;
	uint64_t lsa_discarded;
	uint64_t lsa_flushed;
	uint64_t rib_batches;
	uint64_t rib_adds, rib_dels;
	uint64_t bfd_nbr_downs;		/* adjacencies torn down by BFD */
	double bfd_last_down;		/* wall clock (s.us) of the last one */
	uint32_t bfd_last_down_nbr;	/* its router ID */
};

struct ospf {
	struct wp_loop *loop;
	/* The instance of one VRF (ospf_vrf.c): "" is the default VRF's;
	 * ospfd runs one per `router ospf [vrf NAME]`. */
	char vrf[IF_NAMESIZE];
	struct ospfd *top;		/* NULL in unit tests */
	TAILQ_ENTRY(ospf) entry;	/* in top->instances */
	bool vrf_seen;			/* in the configuration applied */
	struct ospf_conf *conf;
	const char *config_file;
	uint32_t router_id;		/* 0 until chosen */
	time_t started;
	double started_mono;		/* monotonic: max-metric on-startup */
	struct wp_timer max_metric_timer;	/* end of on-startup */
	TAILQ_HEAD(, ospf_area) areas;
	TAILQ_HEAD(, ospf_iface) ifaces;
	struct ospf_kif_head kifs;
	struct ospf_ifmon *ifmon;
	struct ospf_rib *rib;		/* ribd client; NULL in unit tests */
	struct ospf_redist *redist;	/* redistributed routes */
	struct ospf_lsdb *as_lsdb;
	struct ospf_rtable *rtable;
	struct ospf_spf_state spf;
	struct wp_timer age_timer;	/* aging, MaxAge removal, refresh */
	struct wp_timer sync_timer;	/* interfaces vs configuration */
	unsigned int n_exchange;	/* neighbours in Exchange or Loading */
	struct ospf_stats stats;
	struct wp_bfdclient *bfd;	/* bfdd.sock, ospf_bfd.c */
	struct {			/* graceful restart helper, ospf_gr.c */
		unsigned int helping;	/* neighbours helped now */
		uint64_t entered, refused, malformed;
		uint64_t exits[OSPF_GR_EXIT_MAX];
		enum ospf_gr_exit last_exit;
		/* Restarting ourselves (RFC 3623 §2). */
		char *state_file;	/* <rundir>/ospfd-gr; NULL: none */
		char *running_file;	/* <rundir>/ospfd-running */
		bool unplanned;		/* §2.1: after a crash */
		bool rib_checked;	/* ribd said what it holds */
		uint64_t grace_sent;	/* Grace-LSAs before hellos */
		bool prepared;		/* Grace-LSAs out, restart expected */
		bool restarting;	/* since start, until §2.3 says */
		struct wp_timer restart_timer;	/* the grace period's end */
		const char *restart_exit;	/* how the last one ended */
	} gr;
	struct {			/* stopping, ospf_shutdown.c */
		bool active;		/* on-shutdown: max metric, waiting */
		bool done;		/* waited: ready to stop */
		double since;		/* monotonic */
		struct wp_timer timer;	/* the N seconds */
		struct wp_timer poll;	/* acknowledged yet? */
	} stop;
	/* Scratch for building packets, reset per packet. */
	uint8_t *pktbuf;
	size_t pktbuf_len;
};

struct json_object;

/* ospf_main.c: nothing exported. */

/* ospf_vrf.c: the process, one instance per VRF */
struct ospfd {
	struct wp_loop *loop;
	const char *rundir;
	TAILQ_HEAD(, ospf) instances;	/* the default VRF's first */
};

#define OSPFD_FOREACH(top, o)	TAILQ_FOREACH((o), &(top)->instances, entry)

struct ospfd *ospfd_new(struct wp_loop *loop, const char *rundir);
/* Stop every instance (ribd sessions, bfdd clients) and free it all. */
void ospfd_free(struct ospfd *top);
/* The instance of VRF `vrf` ("" or "default": the default's); NULL. */
struct ospf *ospfd_instance(struct ospfd *top, const char *vrf);
/* Give each VRF's configuration of the chain `c` to its instance,
 * starting the instances new VRFs need; takes ownership of `c`.  -1 if
 * an instance could not start (its ribd client, netlink socket). */
int ospfd_apply_conf(struct ospfd *top, struct ospf_conf *c);
/* A stop signal to every instance: true while one of them holds it. */
bool ospfd_stop_begin(struct ospfd *top);
/* An instance is done stopping: the loop ends when all are. */
void ospfd_stopped(struct ospf *ospf);
/* The ribd instance number of a VRF's session: 0 for the default. */
uint32_t ospf_vrf_rib_instance(const char *vrf);
/* "default" for the default VRF, else its name. */
const char *ospf_vrf_name(const struct ospf *ospf);

/* ospf_instance.c */
struct ospf *ospf_new(struct wp_loop *loop);

/* ospf_mgmt.c: configuration from mgmtd (when ospfd runs without -f);
 * wp_mgmt_text_stop() ends it */
struct wp_mgmt_text;
struct wp_mgmt_text_cbs;
struct wp_mgmt_text *ospf_mgmt_start(struct ospfd *top, const char *rundir);
const struct wp_mgmt_text_cbs *ospf_mgmt_cbs(struct ospfd *top);
void ospf_free(struct ospf *ospf);
/* Apply a (new) configuration; takes ownership of `c`. */
void ospf_apply_conf(struct ospf *ospf, struct ospf_conf *c);
/* Reconcile OSPF interfaces with kernel interfaces and configuration. */
void ospf_sync_ifaces(struct ospf *ospf);
void ospf_sync_schedule(struct ospf *ospf);
struct ospf_area *ospf_area_find(struct ospf *ospf, uint32_t id);
struct ospf_area *ospf_area_get(struct ospf *ospf, uint32_t id);
bool ospf_is_abr(const struct ospf *ospf);
/* The area's configuration, or defaults (a normal area). */
const struct ospf_area_conf *ospf_area_conf(const struct ospf_area *area);
/* Do we translate type-7s into type-5s (an ASBR because of it)? */
bool ospf_is_translator(const struct ospf *ospf);
/* Monotonic seconds. */
double ospf_now(void);
/* Stub router (RFC 6987): transit links at MaxLinkMetric right now?
 * *remaining: seconds of on-startup left (0 if none). */
bool ospf_max_metric_active(const struct ospf *ospf, double *remaining);
void ospf_max_metric_json(const struct ospf *ospf, struct json_object *o);
/* SPF throttling (timers throttle spf): run soon, at most so often. */
void ospf_spf_schedule(struct ospf *ospf, const char *reason);
/* The same, naming the LSA whose installation or removal triggers it. */
void ospf_spf_schedule_lsa(struct ospf *ospf, const char *reason,
			   const struct ospf_lsa_hdr *h);
void ospf_spf_now(struct ospf *ospf);
/* Does the area have an interface up (SPF computes it)? */
bool ospf_area_active(const struct ospf_area *a);
/* Record a run in the history ring.  `prev_of` (incremental runs): the
 * route each change replaced, NULL for adds; else they are looked up in
 * `old`, the previous table. */
struct ospf_spf_run_rec *ospf_spf_hist_record(
	struct ospf *ospf, const char *reason, const struct ospf_lsa_hdr *trig,
	unsigned int n_trig, unsigned int dropped,
	const struct ospf_rtable *old, struct ospf_route *const *prev_of,
	const struct ospf_rt_diff *d);

/* ospf_spf_inc.c: external and inter-area routes without a full SPF
 * (§16.5, §16.6) */
void ospf_spf_inc_init(struct ospf *ospf);
void ospf_spf_inc_fini(struct ospf *ospf);
/* The LSA of `h` changed: if only the route to its prefix (and externals
 * through it) can change, queue the prefix for an incremental update and
 * return true. */
bool ospf_spf_inc_take(struct ospf *ospf, const char *reason,
		       const struct ospf_lsa_hdr *h);
/* `lsa` replaced `old` in the LSDB: a type-3/5/7 whose mask changed leaves
 * its old prefix, queued here too. */
void ospf_spf_inc_replaced(struct ospf *ospf, const struct ospf_lsa *old,
			   const struct ospf_lsa *lsa);
/* A full run starts: the queued prefixes are its, and their LSAs join
 * its triggers. */
void ospf_spf_inc_absorb(struct ospf *ospf);
/* Run the queued update now (also from its timer). */
void ospf_spf_inc_now(struct ospf *ospf);

/* ospf_iface.c */
struct ospf_iface *ospf_iface_new(struct ospf *ospf, struct ospf_area *area,
				  const struct ospf_kif *kif, uint32_t addr,
				  uint8_t plen);
void ospf_iface_free(struct ospf_iface *ifp);
void ospf_iface_fsm(struct ospf_iface *ifp, enum ospf_if_event ev);
struct ospf_iface *ospf_iface_find(struct ospf *ospf, int ifindex);
struct ospf_nbr *ospf_iface_nbr_by_addr(struct ospf_iface *ifp,
					uint32_t addr);
struct ospf_nbr *ospf_iface_nbr_by_id(struct ospf_iface *ifp, uint32_t id);
/* Count a packet problem of `e` from `src`; `detail` may be NULL. */
void ospf_iface_err(struct ospf_iface *ifp, enum ospf_if_err e, uint32_t src,
		    const char *detail);
/* Should we be adjacent to `nbr` (§10.4)? */
bool ospf_iface_adj_ok(const struct ospf_iface *ifp,
		       const struct ospf_nbr *nbr);
/* The packet size we can send on it (IP MTU minus headers). */
size_t ospf_iface_pkt_max(const struct ospf_iface *ifp);

/* DR election (§9.4) on plain data: pure, for unit tests. */
struct ospf_dr_cand {
	uint32_t id;		/* router ID */
	uint32_t addr;		/* interface address */
	uint8_t priority;
	uint32_t dr, bdr;	/* declared (addresses) */
	bool self;
};
/*
 * Elect among `c[0..n)`; the self entry's dr/bdr are updated as the RFC
 * says (step 4 re-runs).  *dr and *bdr get the index of the winners or -1.
 */
void ospf_dr_elect(struct ospf_dr_cand *c, size_t n, int *dr, int *bdr);

/* ospf_nbma.c: NBMA and point-to-multipoint networks (§9.5.1, §12.4.1.4) */
struct ospf_nbma_nbr {
	uint32_t addr;
	uint8_t priority;		/* configured, until a hello says */
	uint16_t poll;			/* PollInterval, seconds */
	double last_hello;		/* monotonic: last hello sent to it */
	double attempt_until;		/* monotonic: Attempt (§10.3) ends */
};
/* Take the configured neighbours on the interface's subnet. */
void ospf_nbma_iface_conf(struct ospf_iface *ifp, const struct ospf_conf *c);
void ospf_nbma_iface_free(struct ospf_iface *ifp);
/* The interface came up: Start for each configured neighbour (§9.3). */
void ospf_nbma_iface_up(struct ospf_iface *ifp);
/*
 * §9.5.1: does a configured neighbour of priority `prio` (or `nbr`,
 * with the priority of its hellos, once heard) get our hellos?  On NBMA:
 * an eligible router greets the eligible, the DR and BDR everybody, an
 * ineligible router the DR and BDR.  Point-to-multipoint: all of them.
 */
bool ospf_nbma_greets(const struct ospf_iface *ifp,
		      const struct ospf_nbr *nbr, uint8_t prio);
/* Hellos to the neighbours §9.5.1 names, each at its interval. */
void ospf_nbma_hello_send(struct ospf_iface *ifp);
/* §9.5.1: an ineligible router answers an eligible neighbour's hello. */
void ospf_nbma_hello_reply(struct ospf_iface *ifp, struct ospf_nbr *nbr);
/* Destination of flooding that goes to each adjacent neighbour (§13.3). */
#define OSPF_DST_ADJACENT	0xffffffffu
/* A copy of the packet to each neighbour in Exchange or above; frees w. */
int ospf_nbma_send_each(struct ospf_iface *ifp, struct wp_wbuf *w);
/*
 * §12.4.1.4: the router-LSA links of a point-to-multipoint interface:
 * a point-to-point link per full neighbour, data our address, and a
 * host stub for our address at cost 0.  Room for n_nbrs + 1 in `v`.
 */
size_t ospf_p2mp_links(const struct ospf_iface *ifp, struct ospf_rtr_link *v);
const char *ospf_net_type_name(const struct ospf_iface *ifp);
void ospf_nbma_iface_json(const struct ospf_iface *ifp,
			  struct json_object *o);

/* ospf_vlink.c: virtual links (§15) */
/* Create and remove virtual links as the configuration says. */
void ospf_vlink_sync(struct ospf *ospf);
/* After SPF: bring each virtual link up or down, cost and addresses
 * from the transit area's paths (§16.3). */
void ospf_vlink_update(struct ospf *ospf);
/* The virtual link through `transit` to router `peer`, or NULL. */
struct ospf_iface *ospf_vlink_find(struct ospf *ospf, uint32_t transit,
				   uint32_t peer);
/* The transit area's interface a virtual link sends out of, or NULL. */
struct ospf_iface *ospf_vlink_out(const struct ospf_iface *vl);
/* Are we an endpoint of a fully adjacent virtual link through `area`
 * (router-LSA V-bit, §12.4.1)? */
bool ospf_vlink_transit(const struct ospf_area *area);
/* The configured virtual links for SPF; free with MT_OSPF_SPF. */
struct ospf_spf_vlink *ospf_vlink_spf_input(const struct ospf *ospf,
					    size_t *n);

/* ospf_nbr.c */
struct ospf_nbr *ospf_nbr_new(struct ospf_iface *ifp, uint32_t id,
			      uint32_t addr);
/* Returns 1 if the event deleted the neighbour. */
int ospf_nbr_fsm(struct ospf_nbr *nbr, enum ospf_nbr_event ev);
void ospf_nbr_free(struct ospf_nbr *nbr);
void ospf_nbr_clear_lists(struct ospf_nbr *nbr);
void ospf_nbr_rxmt_add(struct ospf_nbr *nbr, struct ospf_lsa *lsa);
/* Remove the instance with this key from the list; true if found. */
struct ospf_lsa_ref *ospf_nbr_rxmt_find(struct ospf_nbr *nbr,
					const struct ospf_lsa_hdr *h);
void ospf_nbr_rxmt_del(struct ospf_nbr *nbr, struct ospf_lsa_ref *ref);
/* Drop this instance of an LSA from every retransmission list. */
void ospf_rxmt_remove_all(struct ospf *ospf, const struct ospf_lsa *lsa);
struct ospf_lsreq_ent *ospf_nbr_lsreq_find(struct ospf_nbr *nbr,
					   uint8_t type, uint32_t id,
					   uint32_t adv);
void ospf_nbr_lsreq_del(struct ospf_nbr *nbr, struct ospf_lsreq_ent *e);
void ospf_nbr_lsreq_add(struct ospf_nbr *nbr, const struct ospf_lsa_hdr *h);
/* (Re)start the request retransmission timer. */
void ospf_nbr_lsreq_timer(struct ospf_nbr *nbr);
const char *ospf_nbr_role(const struct ospf_nbr *nbr);

/* ospf_packet.c */
struct ospf_pkt {
	uint8_t version;
	uint8_t type;
	uint16_t len;
	uint32_t rtr_id;
	uint32_t area_id;
	uint16_t cksum;
	uint16_t autype;
	uint8_t auth[OSPF_AUTH_LEN];
	uint32_t crypt_seq;		/* cryptographic authentication */
	uint32_t src, dst;		/* from the IP header */
	struct wp_rbuf body;		/* the bytes after the OSPF header */
};
/*
 * Check and decode the OSPF header of `data` (the IP payload, `len`
 * bytes): version, type, length against `len`.  Checksum and
 * authentication are checked by ospf_packet_auth_check().  -1 with the
 * reason in *e (and `err`) when malformed.
 */
int ospf_packet_parse(const uint8_t *data, size_t len, struct ospf_pkt *pkt,
		      enum ospf_if_err *e, char *err, size_t errlen);
/*
 * Authentication and checksum for `auth_type` (App. D); `pkt` must come
 * from ospf_packet_parse() over the same data.  0 or -1 with *e set.
 */
int ospf_packet_auth_check(const uint8_t *data, size_t len,
			   const struct ospf_pkt *pkt, int auth_type,
			   const char *key, const struct ospf_md5_key *md5,
			   unsigned int n_md5, enum ospf_if_err *e);
/*
 * Cryptographic authentication with key chain `kc` at `now`: the key
 * the packet's key ID names, if accepted now, with its algorithm: MD5
 * (App. D.4.3) or HMAC-SHA (RFC 5709 §3).  `kc` may be NULL (no key).
 */
int ospf_packet_auth_check_kc(const uint8_t *data, size_t len,
			      const struct ospf_pkt *pkt,
			      const struct wp_keychain *kc, time_t now,
			      enum ospf_if_err *e);
/*
 * Sign a packet of `len` bytes (header filled, auth type 2) in `w` with
 * `key`, appending the digest; the sequence number is `seq`.  0 / -1.
 */
int ospf_packet_sign_kc(struct wp_wbuf *w, size_t len, const struct wp_key *key,
			uint32_t seq);
/* Start a packet of `type` in `w`: the header with blanks. */
void ospf_packet_start(struct wp_wbuf *w, struct ospf_iface *ifp,
		       uint8_t type);
/* Fill length, checksum and authentication; send to `dst`.  0 / -1. */
int ospf_packet_send(struct ospf_iface *ifp, struct wp_wbuf *w, uint32_t dst);
int ospf_packet_open(struct ospf_iface *ifp);
void ospf_packet_close(struct ospf_iface *ifp);
int ospf_packet_join_dr(struct ospf_iface *ifp, bool join);
/* The input path after the IP header: checks, then dispatch by type. */
void ospf_packet_input(struct ospf_iface *ifp, const uint8_t *data,
		       size_t len, uint32_t src, uint32_t dst);
const char *ospf_pkt_type_name(uint8_t type);
/* Count, log (rate-limited) and drop: a malformed body, or another reason. */
void ospf_packet_malformed(struct ospf_iface *ifp, const struct ospf_pkt *pkt,
			   const char *what);
void ospf_packet_reject(struct ospf_iface *ifp, enum ospf_if_err e,
			uint32_t src, const char *what);
/* Where unicast-style packets to `nbr` go: AllSPFRouters on p2p (§8.1). */
uint32_t ospf_nbr_dst(const struct ospf_nbr *nbr);
/* Where packets to a neighbour, or flooded ones, go on `ifp`. */
uint32_t ospf_flood_dst(const struct ospf_iface *ifp);

/* ospf_hello.c */
struct ospf_hello {
	uint32_t mask;
	uint16_t hello_interval;
	uint8_t options;
	uint8_t priority;
	uint32_t dead_interval;
	uint32_t dr, bdr;
	size_t n_nbrs;
	const uint8_t *nbrs;		/* n_nbrs x 4 bytes */
};
int ospf_hello_decode(struct wp_rbuf *r, struct ospf_hello *h);
void ospf_hello_send(struct ospf_iface *ifp);
/* One hello to `dst`. */
void ospf_hello_send_to(struct ospf_iface *ifp, uint32_t dst);
void ospf_hello_input(struct ospf_iface *ifp, const struct ospf_pkt *pkt);

/* ospf_dbd.c */
struct ospf_dbd {
	uint16_t mtu;
	uint8_t options;
	uint8_t flags;
	uint32_t seq;
	size_t n_hdrs;
	const uint8_t *hdrs;		/* n_hdrs x 20 bytes */
};
int ospf_dbd_decode(struct wp_rbuf *r, struct ospf_dbd *d);
void ospf_dbd_send(struct ospf_nbr *nbr);
void ospf_dbd_resend(struct ospf_nbr *nbr);
void ospf_dbd_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt);

/* ospf_lsreq.c */
struct ospf_lsreq {
	size_t n;
	const uint8_t *ents;		/* n x 12 bytes */
};
int ospf_lsreq_decode(struct wp_rbuf *r, struct ospf_lsreq *q);
void ospf_lsreq_send(struct ospf_nbr *nbr);
void ospf_lsreq_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt);

/* ospf_lsupd.c */
/*
 * Walk the LSAs of an update body: fn() per well-formed LSA (parsed, its
 * checksum not yet checked; fn owns the reference and returns -1 to stop).
 * An LSA that is malformed inside intact framing, or of an unknown type,
 * is skipped and counted in *n_bad with the reason in `err`.  Returns -1
 * with `err` if the framing itself is broken (the count, or an LSA length
 * that runs past the packet); LSAs before that point were handed out.
 */
int ospf_lsupd_decode(struct wp_rbuf *r, double now,
		      int (*fn)(struct ospf_lsa *lsa, void *arg), void *arg,
		      unsigned int *n_bad, char *err, size_t errlen);
/* Send `lsas` in as many updates as the MTU needs. */
void ospf_lsupd_send(struct ospf_iface *ifp, uint32_t dst,
		     struct ospf_lsa *const *lsas, size_t n);
void ospf_lsupd_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt);

/* ospf_lsack.c */
int ospf_lsack_decode(struct wp_rbuf *r, size_t *n);
void ospf_lsack_delayed(struct ospf_iface *ifp, const struct ospf_lsa *lsa);
void ospf_lsack_direct(struct ospf_nbr *nbr, const struct ospf_lsa_hdr *h);
void ospf_lsack_flush(struct ospf_iface *ifp);
void ospf_lsack_input(struct ospf_nbr *nbr, const struct ospf_pkt *pkt);

/* ospf_flood.c */
/* The LSDB an LSA of `type` received on `ifp` (in `area`) belongs to:
 * the AS's for types 5 and 11, the interface's for 9, else the area's. */
struct ospf_lsdb *ospf_lsdb_for(struct ospf *ospf, struct ospf_area *area,
				struct ospf_iface *ifp, uint8_t type);
/* Opaque LSA types (RFC 5250). */
static inline bool
ospf_lsa_opaque(uint8_t type)
{
	return type >= OSPF_LSA_OPAQUE_LINK && type <= OSPF_LSA_OPAQUE_AS;
}
/* May LSAs of `type` live in `area` (area types)? */
bool ospf_lsa_scope_ok(const struct ospf_area *area, uint8_t type);
/*
 * Receive one LSA from `nbr` (§13 steps 1-8); consumes the reference.
 * Returns -1 if the whole update must be dropped (BadLSReq).
 */
int ospf_flood_receive(struct ospf_nbr *nbr, struct ospf_lsa *lsa);
/*
 * Flood `lsa` (already installed) out of the interfaces of its scope
 * (§13.3); `from` is the neighbour it came from or NULL.  Returns true if
 * it went back out of the receiving interface.
 */
bool ospf_flood(struct ospf *ospf, struct ospf_area *area,
		struct ospf_lsa *lsa, struct ospf_nbr *from);
/* Install (§13.2): replaces, schedules SPF when contents changed. */
void ospf_lsa_install(struct ospf *ospf, struct ospf_area *area,
		      struct ospf_lsa *lsa);
/* Premature aging of one of our LSAs (§14.1). */
void ospf_lsa_flush(struct ospf *ospf, struct ospf_area *area,
		    struct ospf_lsa *lsa);
/* Per-second walk: MaxAge flooding and removal, refresh (§14, §12.4). */
void ospf_age_walk(struct ospf *ospf);
void ospf_rxmt_send(struct ospf_nbr *nbr);
/* Send what was queued for flooding on `ifp` now; drop it on `discard`. */
void ospf_flood_flush(struct ospf_iface *ifp, bool discard);

/* ospf_orig.c */
void ospf_orig_init(struct ospf *ospf, struct ospf_orig *o, const char *name,
		    void (*cb)(struct wp_timer *t));
void ospf_orig_schedule(struct ospf *ospf, struct ospf_orig *o);
void ospf_router_lsa_schedule(struct ospf_area *area);
void ospf_network_lsa_schedule(struct ospf_iface *ifp);
void ospf_router_lsa_cb(struct wp_timer *t);
void ospf_network_lsa_cb(struct wp_timer *t);
/* Originate now (also from the timers above). */
void ospf_router_lsa_originate(struct ospf_area *area);
void ospf_network_lsa_originate(struct ospf_iface *ifp);
/* As an area border router, summarise each area into the others
 * (§12.4.3); flush what is no longer wanted.  After each SPF run. */
void ospf_summary_originate(struct ospf *ospf);
/* Our Grace-LSA on `ifp` (RFC 3623 Appendix A). */
void ospf_grace_lsa_originate(struct ospf_iface *ifp, uint32_t period,
			      uint8_t reason);
/* A self-originated LSA came in newer than ours (§13.4). */
void ospf_orig_self_received(struct ospf *ospf, struct ospf_area *area,
			     struct ospf_lsa *lsa);
/* Refresh one of our LSAs (LSRefreshTime reached). */
void ospf_orig_refresh(struct ospf *ospf, struct ospf_area *area,
		       struct ospf_lsa *lsa);


/* ospf_redist.c: other sources' routes as external LSAs */
struct ospf_redist;
void ospf_redist_init(struct ospf *ospf);
void ospf_redist_fini(struct ospf *ospf);
/* The configuration changed: (un)subscribe, originate again. */
void ospf_redist_conf_changed(struct ospf *ospf);
void ospf_summary_schedule(struct ospf *ospf);
/* From ribd's redistribution stream (ospf_rib.c). */
void ospf_redist_reconnected(struct ospf *ospf);
/* Every subscription ended (the VRF's table changes). */
void ospf_redist_unsubscribe_all(struct ospf *ospf);
void ospf_redist_add(struct ospf *ospf, const struct wp_prefix *p,
		     const char *source);
/* Same, with what route-map match clauses look at (metric, tag, first
 * nexthop's interface). */
struct wp_rib_route;
void ospf_redist_add_route(struct ospf *ospf, const struct wp_rib_route *rt,
			   const char *source);
void ospf_redist_del(struct ospf *ospf, const struct wp_prefix *p);
void ospf_redist_dump_done(struct ospf *ospf, const char *source);
/* Append the LSAs of `type` (5, or 7 for an NSSA) we want; how many. */
size_t ospf_redist_wants(struct ospf *ospf, uint8_t type,
			 struct ospf_want_list *wl);
/* Whether the last origination run had externals (router-LSA E-bit). */
bool ospf_redist_asbr(const struct ospf *ospf);
void ospf_redist_set_asbr(struct ospf *ospf, bool asbr);
size_t ospf_redist_count(const struct ospf *ospf);

/* ospf_rib.c: everything that crosses to ribd. */
struct ospf_rib;
struct ospf_rib_info {
	bool present;			/* a client exists */
	bool synced;			/* initial table complete (SYNC_DONE) */
	bool idle;			/* everything sent has its answer */
	uint8_t distance;
	uint8_t distance_type[OSPF_DIST_TYPES];	/* 0: `distance` */
	struct wp_ribclient_stats st;
};
/* Connect to <rundir>/ribd.sock (retried until ribd is there). */
int ospf_rib_init(struct ospf *ospf, const char *rundir);
void ospf_rib_close(struct ospf *ospf);
/* Hand a batch of route changes to ribd. */
void ospf_rib_update(struct ospf *ospf, const struct ospf_rt_diff *diff);
/* Send the whole routing table again (graceful restart done). */
void ospf_rib_resend(struct ospf *ospf);
/* The configured distance changed: send the table again with it. */
void ospf_rib_distance(struct ospf *ospf);
/* Discard routes for the advertised area ranges (ospf_pol.c) brought in
 * line with the routing table and configuration: after each SPF run. */
void ospf_rib_discards(struct ospf *ospf);
size_t ospf_rib_discard_count(const struct ospf *ospf);
/* Blackhole distance of a range's discard route: any other route for the
 * same prefix wins over it (255 is never installed). */
#define OSPF_DISCARD_DISTANCE	254
/* Subscribe to (or leave) ribd's redistribution of `source`, IPv4; -1
 * without a ribd client (unit tests). */
int ospf_rib_redist(struct ospf *ospf, const char *source, bool on);
/* The VRF's table, when its vrf link appears or changes table. */
void ospf_rib_table_sync(struct ospf *ospf);
/* What ribd said about `rt`: "installed", "failed: ERR", ... */
const char *ospf_rib_route_state(const struct ospf *ospf,
				 const struct ospf_route *rt, bool *installed,
				 char *buf, size_t len);
void ospf_rib_info(const struct ospf *ospf, struct ospf_rib_info *info);

/* ospf_bfd.c: neighbours monitored by BFD (ip ospf bfd), RFC 5882 §4.2 */
/* Connect to bfdd's socket `path` (retried in the background). */
int ospf_bfd_start(struct ospf *ospf, const char *path);
void ospf_bfd_stop(struct ospf *ospf);
/* Register or deregister `nbr` as its state and interface want. */
void ospf_bfd_nbr_update(struct ospf_nbr *nbr);
/* The neighbour is going away: deregister it. */
void ospf_bfd_nbr_gone(struct ospf_nbr *nbr);
/* The interface's bfd settings changed: every neighbour of it. */
void ospf_bfd_iface_update(struct ospf_iface *ifp);
/* What bfdd says (the client's callbacks, and unit tests): a status; a
 * (re)connection, after which states start afresh. */
void ospf_bfd_status(struct ospf *ospf, const struct wp_bfd_status *st);
void ospf_bfd_connected(struct ospf *ospf);
void ospf_bfd_nbr_json(const struct ospf_nbr *nbr, struct json_object *o);
void ospf_bfd_iface_json(const struct ospf_iface *ifp,
			 struct json_object *o);
void ospf_bfd_json(const struct ospf *ospf, struct json_object *o);

/* ospf_gr.c: graceful restart helper (RFC 3623 §3) */
#define OSPF_OPAQUE_GRACE	3	/* opaque type of the Grace-LSA */
#define OSPF_GRACE_TLV_PERIOD	1	/* Appendix A */
#define OSPF_GRACE_TLV_REASON	2
#define OSPF_GRACE_TLV_ADDR	3

struct ospf_grace {
	bool have_period;
	uint32_t period;		/* seconds */
	int reason;			/* -1: no reason TLV */
	uint32_t addr;			/* IP interface address; 0: none */
	unsigned int n_unknown;		/* TLVs of other types, skipped */
};

extern const char *const ospf_gr_exit_name[OSPF_GR_EXIT_MAX];
const char *ospf_gr_reason_name(int reason);
bool ospf_lsa_is_grace(const struct ospf_lsa_hdr *h);
/* Decode the TLVs of a Grace-LSA body (`len` bytes after the LSA
 * header); -1 with the reason in `err` if malformed. */
int ospf_grace_decode(const uint8_t *body, size_t len, struct ospf_grace *g,
		      char *err, size_t errlen);
void ospf_gr_nbr_init(struct ospf_nbr *nbr);
/* Stop helping without the consequences (the neighbour is freed). */
void ospf_gr_nbr_fini(struct ospf_nbr *nbr);
/* A link-local opaque LSA from `from` was installed (or flushed). */
void ospf_gr_grace_received(struct ospf_nbr *from, struct ospf_lsa *lsa);
void ospf_gr_helper_exit(struct ospf_nbr *nbr, enum ospf_gr_exit why);
/* An LSA of `area` changed in content (§3.2). */
void ospf_gr_lsa_changed(struct ospf *ospf, const struct ospf_area *area,
			 const struct ospf_lsa *lsa);
void ospf_gr_conf_changed(struct ospf *ospf);
/* Restarting side (§2). */
#define OSPF_GR_DEF_PERIOD	120	/* s, graceful-restart grace-period */
#define OSPF_GRACE_BODY_LEN	24	/* the three TLVs we send */
/* The TLVs of our Grace-LSA into `buf`; its length. */
size_t ospf_grace_encode(uint32_t period, uint8_t reason, uint32_t addr,
			 uint8_t *buf);
void ospf_gr_new(struct ospf *ospf);
/* Read <rundir>/ospfd-gr: a restart within a grace period? */
void ospf_gr_init(struct ospf *ospf, const char *rundir);
void ospf_gr_fini(struct ospf *ospf);
/* `graceful-restart prepare ip ospf`: Grace-LSAs out; how many, or -1
 * with the reason in `err`. */
int ospf_gr_prepare(struct ospf *ospf, char *err, size_t errlen);
/* Restarting: done when every adjacency of our pre-restart router-LSAs
 * is Full again (§2.3); call when that may have happened. */
void ospf_gr_restart_check(struct ospf *ospf);
/* Unplanned restart (§2.1): the Grace-LSA before the first hello. */
void ospf_gr_iface_start(struct ospf_iface *ifp);
/* §2 (3): a hello's DR field while Waiting; true if it made us DR. */
bool ospf_gr_hello_dr(struct ospf_iface *ifp, uint32_t dr);
/* ribd's count of the routes of ours it held at (re)connect. */
void ospf_gr_rib_connected(struct ospf *ospf, uint32_t stale);
void ospf_gr_nbr_json(const struct ospf_nbr *nbr, struct json_object *o);
void ospf_gr_json(const struct ospf *ospf, struct json_object *o);

/* ospf_shutdown.c: max-metric router-lsa on-shutdown (RFC 6987) */
/* A stop signal: true if ospfd stops later (wp_loop_break()), false if
 * the loop is to stop now. */
bool ospf_stop_begin(struct ospf *ospf);
void ospf_stop_fini(struct ospf *ospf);

/* ospf_show.c */
struct wp_vty;
int ospf_show_install(struct wp_vty *vty, struct ospfd **topp);

/* --- small helpers ------------------------------------------------------- */
static inline uint32_t
ospf_plen2mask(unsigned int plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

static inline unsigned int
ospf_mask2plen(uint32_t mask)
{
	unsigned int n = 0;

	while (n < 32 && (mask & (0x80000000u >> n)))
		n++;
	return n;
}

static inline void
ospf_prefix_v4(struct wp_prefix *p, uint32_t addr, unsigned int plen)
{
	struct wp_addr a = { .family = AF_INET };

	a.u.v4.s_addr = htonl(addr);
	wp_prefix_from_addr(p, &a, plen);
}

static inline uint32_t
ospf_prefix_addr(const struct wp_prefix *p)
{
	return ntohl(p->u.v4.s_addr);
}

#endif /* OSPFD_H */
