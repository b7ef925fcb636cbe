/*
 * wp_policy: routing policy shared by the protocol daemons: access lists,
 * prefix lists and route maps in FRR's syntax (yang/waypoint-routing.yang holds the
 * model), and their evaluation against a route.  Evaluation is pure: the
 * daemon describes the route, the library says permit or deny and what
 * the permitting entries set.  doc/policy.md is the user's view.
 *
 *	ip prefix-list NAME [seq N] (permit|deny) (PREFIX|any) [ge N] [le N]
 *	ip prefix-list NAME description TEXT...
 *	ipv6 prefix-list ...                   (the same, IPv6 prefixes)
 *	access-list NAME [seq N] (permit|deny) (PREFIX [exact-match]|any)
 *	ipv6 access-list ...                   (the same, IPv6 prefixes)
 *	route-map NAME (permit|deny) SEQ
 *	 description TEXT...
 *	 match ip address prefix-list NAME     match ipv6 address prefix-list NAME
 *	 match ip address NAME (access list)   match ipv6 address NAME
 *	 match interface IFNAME                match tag N    match metric N
 *	 set metric [+|-]N                     set metric-type (type-1|type-2)
 *	 set tag N
 *	 on-match (next|goto SEQ)              call NAME
 *	exit
 *
 * Semantics (as FRR's, differences in doc/policy.md):
 *  - A prefix list's entries are tried by ascending sequence; the first
 *    entry that matches decides.  None matches: deny.  An entry matches a
 *    prefix covered by its own whose length is: its own (no ge/le), in
 *    [ge, max] (ge only), in [own, le] (le only), in [ge, le] (both).
 *  - An access list (FRR's "zebra" kind) is tried the same way, first
 *    match decides, none: deny.  An entry matches the prefixes its own
 *    covers (of any longer or equal length), with exact-match only its
 *    own prefix; `any` matches everything.
 *  - A route map's entries are tried by ascending sequence; an entry
 *    whose match clauses all hold (no clause: always) decides: deny
 *    denies; permit applies the set clauses, then `call`s (a denying
 *    callee denies), then either permits (default), goes on with the next
 *    entry (on-match next) or with the first entry at or after SEQ
 *    (on-match goto).  Falling off the end denies, unless an entry
 *    permitted on the way (on-match next/goto), which permits.
 *  - An undefined route map denies everything; an undefined prefix list
 *    or access list (and one without entries) matches nothing.
 *
 * A daemon's configuration reader hands each line to wp_policy_line()
 * (as to wp_keychain_line()), and evaluates with wp_rmap_apply().  The
 * show commands are in the library too: wp_policy_show_install().
 *
 *	struct wp_policy pol = { 0 };
 *	struct wp_pol_parser pp = { .set = &pol };
 *	rc = wp_policy_line(&pp, indent, words, n, err, sizeof(err));
 *	struct wp_rmap_route r = { .prefix = &p, .ifname = "eth0" };
 *	struct wp_rmap_out o = { .metric = 20, .metric_type = 2 };
 *	if (wp_rmap_apply(&pol, "EXPORT", &r, &o)) ... o.metric ...
 *	wp_policy_free(&pol);
 */
#ifndef WP_POLICY_H
#define WP_POLICY_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wp_json.h"
#include "wp_prefix.h"

#define WP_POL_NAME_MAX		64
#define WP_POL_DESCR_MAX	80
#define WP_RMAP_CALL_DEPTH	8	/* `call` nesting; deeper denies */

/* --- prefix lists and access lists ------------------------------------- */

/*
 * One type serves both: an entry is a prefix or `any` with an action, and
 * the two kinds differ only in how a prefix matches (wp_policy.c,
 * flist_entry_matches) and in how they are written and shown.
 */
enum wp_flist_kind {
	WP_FLIST_PLIST,			/* (ip|ipv6) prefix-list */
	WP_FLIST_ACL,			/* [ipv6] access-list */
};

struct wp_flist_entry {
	uint32_t seq;
	bool permit;
	bool any;
	bool exact;			/* access list: exact-match */
	uint8_t ge, le;			/* prefix list; 0: not given */
	struct wp_prefix prefix;	/* unless any */
	uint64_t hits;
};

struct wp_flist {
	char name[WP_POL_NAME_MAX + 1];
	uint8_t family;			/* AF_INET, AF_INET6 */
	uint8_t kind;			/* enum wp_flist_kind */
	char descr[WP_POL_DESCR_MAX + 1];	/* prefix list */
	unsigned int n;
	struct wp_flist_entry *v;	/* ascending seq */
	uint64_t lookups;
};

/* --- route maps ---------------------------------------------------------- */

enum wp_rmap_match {
	WP_RMAP_M_PLIST = 1 << 0,	/* match ip address prefix-list */
	WP_RMAP_M_PLIST6 = 1 << 1,	/* match ipv6 address prefix-list */
	WP_RMAP_M_ACL = 1 << 2,		/* match ip address ACL */
	WP_RMAP_M_IFACE = 1 << 3,
	WP_RMAP_M_TAG = 1 << 4,
	WP_RMAP_M_METRIC = 1 << 5,
	WP_RMAP_M_ACL6 = 1 << 6,	/* match ipv6 address ACL */
};

enum wp_rmap_set {
	WP_RMAP_S_METRIC = 1 << 0,
	WP_RMAP_S_METRIC_TYPE = 1 << 1,
	WP_RMAP_S_TAG = 1 << 2,
	/* Read and shown, for BGP; no effect on the IGPs. */
	WP_RMAP_S_NEXTHOP = 1 << 3,
	WP_RMAP_S_LOCALPREF = 1 << 4,
	WP_RMAP_S_COMMUNITY = 1 << 5,
};

enum wp_rmap_metric_op {
	WP_RMAP_METRIC_SET = 0,
	WP_RMAP_METRIC_ADD,		/* +N, saturating */
	WP_RMAP_METRIC_SUB,		/* -N, not below 0 */
};

enum wp_rmap_onmatch {
	WP_RMAP_EXIT = 0,		/* permit and stop (default) */
	WP_RMAP_NEXT,
	WP_RMAP_GOTO,
};

struct wp_rmap_entry {
	uint16_t seq;
	bool permit;
	char descr[WP_POL_DESCR_MAX + 1];
	unsigned int match;		/* enum wp_rmap_match bits */
	char m_plist[WP_POL_NAME_MAX + 1];
	char m_plist6[WP_POL_NAME_MAX + 1];
	char m_acl[WP_POL_NAME_MAX + 1];
	char m_acl6[WP_POL_NAME_MAX + 1];
	char m_iface[IF_NAMESIZE];
	uint32_t m_tag, m_metric;
	unsigned int set;		/* enum wp_rmap_set bits */
	enum wp_rmap_metric_op s_metric_op;
	uint32_t s_metric;
	uint8_t s_metric_type;		/* 1 or 2 */
	uint32_t s_tag;
	char s_other[3][128];		/* next-hop, local-pref, community text */
	enum wp_rmap_onmatch onmatch;
	uint16_t goto_seq;
	char call[WP_POL_NAME_MAX + 1];	/* "": none */
	uint64_t hits;
};

struct wp_rmap {
	char name[WP_POL_NAME_MAX + 1];
	unsigned int n;
	struct wp_rmap_entry *v;	/* ascending seq */
	uint64_t invoked;
};

/* Everything a daemon was configured with. */
struct wp_policy {
	unsigned int n_flists;
	struct wp_flist *flists;	/* prefix lists and access lists */
	unsigned int n_rmaps;
	struct wp_rmap *rmaps;
};

/* Where the reader is: in a `route-map` stanza or not. */
struct wp_pol_parser {
	struct wp_policy *set;
	struct wp_rmap *rmap;
	struct wp_rmap_entry *entry;
};

/*
 * One configuration line, split into words, `indent` the number of
 * blanks before it.  1: a policy line, taken; 0: not one (a route-map
 * stanza, if open, has ended); -1: a policy line in error, the reason in
 * `err` naming the word at fault.
 */
int wp_policy_line(struct wp_pol_parser *pp, int indent, char **w, int n,
		   char *err, size_t errlen);
void wp_policy_free(struct wp_policy *pol);

const struct wp_flist *wp_plist_find(const struct wp_policy *pol,
				     int family, const char *name);
const struct wp_flist *wp_acl_find(const struct wp_policy *pol, int family,
				   const char *name);
const struct wp_rmap *wp_rmap_find(const struct wp_policy *pol,
				   const char *name);

/*
 * Does prefix list `name` of `p`'s family permit `p`?  false when it
 * denies, matches nothing, or does not exist.  Counts hits.
 */
bool wp_plist_permits(struct wp_policy *pol, const char *name,
		      const struct wp_prefix *p);

/*
 * Does access list `name` of `p`'s family permit `p`?  false when it
 * denies, matches nothing, or does not exist.  Counts hits.
 */
bool wp_acl_permits(struct wp_policy *pol, const char *name,
		    const struct wp_prefix *p);

/* A route as the match clauses see it. */
struct wp_rmap_route {
	const struct wp_prefix *prefix;
	const char *ifname;		/* first nexthop's; NULL: none */
	uint32_t metric;		/* the source's (RIB) metric */
	uint32_t tag;
};

/* What the set clauses change: set by the caller to what it would
 * announce without a route map. */
struct wp_rmap_out {
	uint32_t metric;
	uint8_t metric_type;
	uint32_t tag;
};

/*
 * Run route map `name` on `r`: true if it permits, with `out` changed by
 * the set clauses of the entries that permitted.  An undefined map
 * denies.  Counts invocations and entry hits.
 */
bool wp_rmap_apply(struct wp_policy *pol, const char *name,
		   const struct wp_rmap_route *r, struct wp_rmap_out *out);

/*
 * Show data: prefix lists of `family` (all, or `name`), route maps (all,
 * or `name`), as `show ip prefix-list json` / `show route-map json`
 * print them; and the text renderings (MT_STRING, caller frees).
 */
json_object *wp_plist_json(const struct wp_policy *pol, int family,
			   const char *name);
json_object *wp_rmap_json(const struct wp_policy *pol, const char *name);
json_object *wp_acl_json(const struct wp_policy *pol, int family,
			 const char *name);
char *wp_plist_text(json_object *top, int family);
char *wp_acl_text(json_object *top, int family);
char *wp_rmap_text(json_object *top);

struct wp_vty;
/*
 * Install `show (ip|ipv6) prefix-list [NAME] [json]`, `show (ip|ipv6)
 * access-list [NAME] [json]` and `show route-map [NAME] [json]` on `vty`; `get`
 * returns the daemon's current policy (NULL: none) when one is asked.
 */
int wp_policy_show_install(struct wp_vty *vty,
			   struct wp_policy *(*get)(void *arg), void *arg);

#endif /* WP_POLICY_H */
