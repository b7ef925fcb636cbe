/*
 * rib_kernel.h: ribd's view of the Linux kernel (links, addresses, routes)
 * and the batched route programming path.  See rib_kernel.c.
 */
#ifndef RIB_KERNEL_H
#define RIB_KERNEL_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wp_loop.h"
#include "wp_prefix.h"

#define RIB_KERNEL_MAX_NH	64

enum rib_kaction {
	RIB_KACT_NEW,
	RIB_KACT_DEL,
};

struct rib_klink {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];		/* "veth", "bridge", "vrf", "" for physical */
	unsigned int flags;	/* IFF_* */
	unsigned int mtu;
	uint8_t mac[6];
	int master;		/* ifindex of the VRF/bridge, 0 if none */
	uint32_t vrf_table;	/* table of a `vrf` link itself */
	bool running;		/* IFF_RUNNING: carrier */
};

struct rib_kaddr {
	int ifindex;
	struct wp_prefix prefix;	/* local address with its mask length */
	unsigned int flags;		/* IFA_F_* */
};

enum rib_ktype {
	RIB_KTYPE_UNICAST,
	RIB_KTYPE_BLACKHOLE,
	RIB_KTYPE_UNREACHABLE,
	RIB_KTYPE_PROHIBIT,
	RIB_KTYPE_OTHER,	/* local, broadcast, multicast...: ignored */
};

struct rib_knh {
	struct wp_addr gw;	/* family 0 when directly connected */
	int ifindex;
	uint8_t weight;		/* 1..256 semantics: stored as weight-1 */
	bool onlink;
};

struct rib_kroute {
	uint32_t nhg_id;	/* kernel nexthop object in use, 0: classic */
	uint32_t table;
	struct wp_prefix dst;
	uint8_t protocol;	/* RTPROT_* */
	uint32_t metric;	/* kernel "priority" */
	enum rib_ktype type;
	unsigned int n_nh;
	/* Sized to use: kroute_size(n) bytes; never assign one by value. */
	struct rib_knh nh[];
};

static inline size_t
kroute_size(unsigned int n_nh)
{
	return sizeof(struct rib_kroute) + n_nh * sizeof(struct rib_knh);
}

/* Callbacks from the kernel layer into the RIB. */
struct rib_kernel_ops {
	void (*link)(void *arg, enum rib_kaction act, const struct rib_klink *l);
	void (*addr)(void *arg, enum rib_kaction act, const struct rib_kaddr *a);
	void (*route)(void *arg, enum rib_kaction act,
		      const struct rib_kroute *r);
	/* Result of a route_install/route_delete: 0 or a positive errno. */
	void (*result)(void *arg, void *cookie, bool add, int error);
	/* The kernel removed nexthop objects routes were using (link down). */
	void (*nhg_lost)(void *arg, const uint32_t *ids, unsigned int n);
	/* Events were lost (ENOBUFS): a full dump follows, then resync_done. */
	void (*resync)(void *arg);
	void (*resync_done)(void *arg);
};

struct rib_kernel;

struct rib_kernel *rib_kernel_new(struct wp_loop *loop,
				  const struct rib_kernel_ops *ops, void *arg);
void rib_kernel_free(struct rib_kernel *k);
/* Dump links, addresses and routes through the ops (blocking, at start). */
int rib_kernel_dump(struct rib_kernel *k);

/* Dump one family's routes of every table to `fn` (blocking; audits). */
int rib_kernel_dump_routes(struct rib_kernel *k, int family,
			   void (*fn)(void *arg, const struct rib_kroute *r),
			   void *arg);
/* The same for one table: the kernel sends only that table's routes
 * where it can filter (Linux 4.20+), else all (`fn` must filter too). */
int rib_kernel_dump_table(struct rib_kernel *k, int family, uint32_t table,
			  void (*fn)(void *arg, const struct rib_kroute *r),
			  void *arg);

/*
 * Asynchronous, batched route programming; the result arrives via ops.
 * With nexthop objects, install takes a reference on the object for the
 * route's nexthop set and records its id in r->nhg_id; whoever frees a
 * kroute that was installed calls rib_kernel_route_release() (delete
 * does it itself).
 */
int rib_kernel_route_install(struct rib_kernel *k, struct rib_kroute *r,
			     void *cookie);
void rib_kernel_route_release(struct rib_kernel *k, struct rib_kroute *r);
/* The same for a reference held by id (a record shared between routes). */
void rib_kernel_nhg_release(struct rib_kernel *k, uint32_t id);
/* Use nexthop objects if the kernel has them (default); off: classic. */
void rib_kernel_set_nhobj(struct rib_kernel *k, bool on);
bool rib_kernel_nhobj(const struct rib_kernel *k);
/* Delete nexthop objects a previous instance left (after the sweep). */
void rib_kernel_nhg_sweep(struct rib_kernel *k);
/* Walk the nexthop objects in use (show nexthop-group). */
void rib_kernel_nhg_foreach(const struct rib_kernel *k,
			    void (*fn)(uint32_t id, unsigned int refcnt,
				       const struct rib_knh *nh, unsigned int n,
				       const uint32_t *members, void *arg),
			    void *arg);
int rib_kernel_route_delete(struct rib_kernel *k, struct rib_kroute *r,
			    void *cookie);
/* Send what is queued now (also done from the loop on its own). */
void rib_kernel_flush(struct rib_kernel *k);
size_t rib_kernel_pending(const struct rib_kernel *k);

/* Interface configuration: synchronous, returns 0 or -errno. */
int rib_kernel_link_set_up(struct rib_kernel *k, int ifindex, bool up);
int rib_kernel_link_set_mtu(struct rib_kernel *k, int ifindex,
			    unsigned int mtu);
int rib_kernel_addr_add(struct rib_kernel *k, int ifindex,
			const struct wp_prefix *p);
int rib_kernel_addr_del(struct rib_kernel *k, int ifindex,
			const struct wp_prefix *p);

struct rib_kernel_stats {
	uint64_t sent;		/* route requests sent */
	uint64_t acked;		/* successful */
	uint64_t failed;	/* error replies */
	uint64_t batches;	/* sendmsg calls */
	uint64_t events;	/* notifications parsed */
	uint64_t resyncs;	/* ENOBUFS on the event socket */
	uint64_t nhg_created;	/* nexthop objects */
	uint64_t nhg_deleted;
	uint64_t nhg_lost;	/* removed by the kernel (link down) */
	bool echo_filter;	/* our own echoes dropped in the kernel */
};
void rib_kernel_get_stats(const struct rib_kernel *k,
			  struct rib_kernel_stats *s);

const char *rib_ktype_name(enum rib_ktype t);

/*
 * Drop the kernel's echoes of our own requests on the event socket:
 * routes of the given protocols and nexthop objects of ours that the
 * command socket changed.  Resyncs after ENOBUFS work as before.
 */
void rib_kernel_ignore_echoes(struct rib_kernel *k, const uint8_t *protos,
			      unsigned int n_protos);

/* rib_kfilter.c: the classic BPF program that does it (see there).
 * Returns its length in instructions, 0 if it needs more than max. */
struct sock_filter;
unsigned int rib_kernel_echo_filter(struct sock_filter *prog, unsigned int max,
				    uint32_t portid, const uint8_t *protos,
				    unsigned int n_protos, uint8_t nh_proto);
#define RIB_KFILTER_MAX		64

#endif /* RIB_KERNEL_H */
