/*
 * rib_conf.h: ribd's configuration: interfaces, static routes and ribd's
 * own settings.  It comes from mgmtd (rib_mgmt.c: YANG data of
 * waypoint-interface and waypoint-routing), or, with -f FILE, from
 * FRR-syntax text that ribd reads itself, taking only the lines it owns
 * (rib_conf.c).  Either way rib_conf_apply() makes it live.
 */
#ifndef RIB_CONF_H
#define RIB_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "ribd.h"
#include "wp_bfdclient.h"

struct ly_ctx;

#define RIB_CONF_MAX_ADDRS	64
#define RIB_GR_TIME_DEFAULT	60
#define RIB_AUDIT_DEFAULT	300

struct rib_iface_conf {
	char name[IF_NAMESIZE];
	char description[128];
	unsigned int mtu;		/* 0: leave as is */
	bool shutdown;
	bool link_detect;
	unsigned int n_addrs;
	struct wp_prefix addrs[RIB_CONF_MAX_ADDRS];	/* host bits kept */
};

/*
 * The options of a static nexthop's `bfd`.  Few distinct sets exist in a
 * configuration, and a million statics without them must stay small: the
 * sets are interned (rib_static_bfd_intern()), equal options share one
 * record for the life of the process, and nexthops copy and compare as
 * plain values.
 */
struct rib_static_bfd {
	bool multihop;
	struct wp_addr source;		/* family 0: none */
	char profile[WP_BFD_PROFILE_LEN];	/* "": none */
};

const struct rib_static_bfd *rib_static_bfd_intern(
	const struct rib_static_bfd *o);
struct rib_static_nh {
	struct wp_addr gw;
	char ifname[IF_NAMESIZE];	/* "" if none */
	uint8_t type;			/* enum rib_nh_type */
	bool onlink;
	/* `bfd [multihop] [source ADDR] [profile NAME]` (rib_bfd.c); the
	 * options, when any is given, in a shared record. */
	bool bfd;
	const struct rib_static_bfd *bfdo;	/* NULL: none */
};

/*
 * One static route: a prefix and a distance; several nexthops = ECMP.
 * A single nexthop (a million of them in a full table) lives in `one`;
 * an ECMP route's n_nh > 1 nexthops are an array at `nh`.  Given to
 * rib_conf_static_add(), `one` is the nexthop to add.  Read them with
 * rib_static_nhs().
 */
struct rib_static {
	struct wp_prefix p;
	uint8_t distance;
	uint8_t n_nh;			/* <= RIB_KERNEL_MAX_NH */
	uint8_t vrf;			/* rib_conf.vrfs[], 0: the default */
	uint32_t tag;
	union {
		struct rib_static_nh one;
		struct rib_static_nh *nh;
	};
};

static inline const struct rib_static_nh *
rib_static_nhs(const struct rib_static *s)
{
	return s->n_nh > 1 ? s->nh : &s->one;
}

#define RIB_CONF_MAX_VRFS	256
struct rib_conf {
	char hostname[64];
	/* VRFs named by `vrf NAME`: [0] is the default ("").  A static of
	 * another VRF is installed while a vrf device of that name exists
	 * and is pending otherwise. */
	unsigned int n_vrfs;
	char (*vrfs)[RIB_VRF_NAMSIZ];
	unsigned int n_ifaces;
	struct rib_iface_conf *ifaces;
	unsigned int n_statics;
	struct rib_static *statics;
	/* Index: prefix -> first static (index + 1); chained by prefix.
	 * Built while the configuration is read and to compare it with
	 * the next one; freed once it is live (rib_conf_apply()). */
	struct wp_trie *sidx[2];
	unsigned int *snext;
	unsigned int ecmp_max;		/* 0: default */
	bool resolve_via_default;
	unsigned int gr_time;		/* seconds before leftovers are swept */
	unsigned int audit_interval;	/* seconds between audits, 0: off */
	bool no_nhobj;			/* `no rib nexthop-objects` */
	unsigned int n_errors;
	char first_error[256];
	/*
	 * A file read straight into the RIB (rib_conf_load() with a rib):
	 * a static that needs only the RIB (no interface, no `bfd`: the
	 * million of a full table) becomes its route as it is parsed and
	 * is not kept here; `statics` holds the others, which an interface
	 * that appears or a BFD session that changes acts on.
	 */
	struct ribd *rib;		/* NULL: everything in `statics` */
	uint32_t gen;			/* its pass (ribd.static_gen), 0: none */
	unsigned int n_streamed;	/* statics that went straight in */
};

/*
 * Parse configuration text; lines of other daemons are skipped, errors in
 * ribd's own lines are logged as "FILE:LINE: message" and counted.
 * Always returns a configuration (possibly empty).
 */
struct rib_conf *rib_conf_parse(const char *text, const char *fname);
/* An empty configuration: no routes, default settings. */
struct rib_conf *rib_conf_new(void);
/* The index of VRF `name` in c->vrfs, added if new; -1 when full. */
int rib_conf_vrf(struct rib_conf *c, const char *name);
/* Add one static nexthop (s->nh[0]); -1: the route has the most already. */
int rib_conf_static_add(struct rib_conf *c, const struct rib_static *s);
/* The interface's entry, made on first use. */
struct rib_iface_conf *rib_conf_iface_get(struct rib_conf *c,
					  const char *name);
/*
 * Read a configuration file.  With `rib`, the statics that need only the
 * RIB go into it at once (tagged with the pass the next rib_conf_apply()
 * of the result finishes): the peak memory of a large file is then its
 * routes, not its routes and their parsed copies.
 */
struct rib_conf *rib_conf_load(const char *path, struct ribd *rib);
void rib_conf_free(struct rib_conf *c);
const struct rib_iface_conf *rib_conf_iface(const struct rib_conf *c,
					    const char *name);
/* Make the RIB match `new` (static routes, interface config, options). */
void rib_conf_apply(struct ribd *rib, struct rib_conf *new);
/* Re-apply the static routes that name interface `ifname` (it appeared),
 * or all of them if ifname is NULL. */
void rib_static_reapply(struct ribd *rib, const char *ifname);
/* The vrf device of `vrf` appeared: its configured statics go in; it went
 * away: they leave the RIB (and the kernel), pending again. */
void rib_static_vrf_up(struct ribd *rib, struct rib_vrf *vrf);
void rib_static_vrf_down(struct ribd *rib, struct rib_vrf *vrf);
/* Configured statics of VRF `vrf` (by name) without a vrf device. */
unsigned int rib_static_pending(const struct ribd *rib, const char *vrf);
void rib_iface_unapply_addrs(struct ribd *rib, const struct rib_iface_conf *old,
			     const struct rib_iface_conf *new);

/* rib_mgmt.c: configuration from mgmtd */
struct rib_mgmt;
struct rib_mgmt *rib_mgmt_start(struct ribd *rib, const char *rundir);
void rib_mgmt_stop(struct rib_mgmt *rm);
/* YANG JSON of ribd's modules -> a new configuration, or NULL with the
 * reason in `err` and the node at fault in `xpath` (either may be ""). */
struct rib_conf *rib_mgmt_conf_from_json(struct ly_ctx *ctx, const char *json,
					 char *err, size_t errlen,
					 char *xpath, size_t xpathlen);

#endif /* RIB_CONF_H */
