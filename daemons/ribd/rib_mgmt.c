/*
 * rib_mgmt.c: ribd's configuration from mgmtd.
 *
 * ribd owns the YANG modules waypoint-interface (interfaces: description,
 * MTU, shutdown, link detection, addresses) and waypoint-routing (static
 * routes and their BFD monitoring, nexthop tracking, maximum-paths, the
 * rib settings; the route maps and lists in it are the protocols'
 * business and are ignored).  For
 * every commit mgmtd sends ribd its whole part of the new configuration
 * as RFC 7951 JSON:
 *
 *	prepare: JSON -> libyang tree -> struct rib_conf; everything that can
 *		 be refused is checked here, nothing changes yet
 *	apply:	 rib_conf_apply(), which applies the difference to the old
 *	abort:	 the prepared rib_conf is freed
 *
 * A refusal names the node at fault (its data path) and why, in the
 * words a user of vtysh reads:
 *	% ribd refused the configuration: description is 150 characters,
 *	  ribd keeps at most 127 at /waypoint-interface:interfaces/...
 *
 * The first configuration after a (re)connect is the whole running one
 * (SYNC); on the first of all, the sweep of the routes a previous ribd
 * left is scheduled after the configured graceful-restart time.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rib_conf.h"
#include "ribd.h"
#include "wp_log.h"
#include "wp_mgmt_client.h"
#include "wp_yang.h"

WP_MEMTYPE_DEFINE(MT_RIB_MGMT, "ribd mgmtd client");

struct rib_mgmt {
	struct ribd *rib;
	struct ly_ctx *ctx;
	struct wp_mgmt_client *cl;
	bool applied_once;
};

/* Conversion state: the first error wins. */
struct conv {
	struct rib_conf *c;
	char *err;
	size_t errlen;
	char *xpath;
	size_t xpathlen;
	bool failed;
};

static void __attribute__((format(printf, 3, 4)))
conv_fail(struct conv *cv, const struct lyd_node *node, const char *fmt, ...)
{
	va_list ap;
	char *path;

	if (cv->failed)
		return;
	cv->failed = true;
	va_start(ap, fmt);
	vsnprintf(cv->err, cv->errlen, fmt, ap);
	va_end(ap);
	path = node ? lyd_path(node, LYD_PATH_STD, NULL, 0) : NULL;
	snprintf(cv->xpath, cv->xpathlen, "%s", path ? path : "");
	free(path);
}

/* The child of `parent` named `name`, or NULL. */
static const struct lyd_node *
child(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *n;

	LY_LIST_FOR(lyd_child(parent), n)
		if (n->schema && strcmp(n->schema->name, name) == 0)
			return n;
	return NULL;
}

/* The value of leaf `name` under `parent`, or NULL. */
static const char *
leaf(const struct lyd_node *parent, const char *name)
{
	const struct lyd_node *n = child(parent, name);

	return n ? lyd_get_value(n) : NULL;
}

/* The top-level container `mod:name` of the tree, or NULL. */
static const struct lyd_node *
top(const struct lyd_node *tree, const char *mod, const char *name)
{
	const struct lyd_node *n;

	LY_LIST_FOR(tree, n)
		if (n->schema && strcmp(n->schema->name, name) == 0 &&
		    strcmp(n->schema->module->name, mod) == 0)
			return n;
	return NULL;
}

/* Each child `it` of `parent` whose schema node is named `nm`. */
#define FOR_EACH_NAMED(it, parent, nm) \
	LY_LIST_FOR(lyd_child(parent), it) \
		if ((it)->schema && strcmp((it)->schema->name, (nm)) == 0)

/* --- interfaces ---------------------------------------------------------- */

static void
conv_addrs(struct conv *cv, struct rib_iface_conf *ic,
	   const struct lyd_node *fam)
{
	const struct lyd_node *a;

	FOR_EACH_NAMED(a, fam, "address") {
		char buf[INET6_ADDRSTRLEN + 8], perr[WP_PREFIX_ERRLEN];
		const char *ip = leaf(a, "ip"), *len = leaf(a, "prefix-length");
		struct wp_prefix p;

		if (ic->n_addrs == RIB_CONF_MAX_ADDRS) {
			conv_fail(cv, a, "interface %s has more than %d "
				  "addresses", ic->name, RIB_CONF_MAX_ADDRS);
			return;
		}
		snprintf(buf, sizeof(buf), "%s/%s", ip ? ip : "",
			 len ? len : "");
		if (wp_prefix_parse_flags(buf, &p, WP_PREFIX_KEEP_HOST_BITS,
					  perr, sizeof(perr)) < 0) {
			conv_fail(cv, a, "address %s: %s", buf, perr);
			return;
		}
		ic->addrs[ic->n_addrs++] = p;
	}
}

static void
conv_iface(struct conv *cv, const struct lyd_node *ifn)
{
	const char *name = leaf(ifn, "name"), *v;
	const struct lyd_node *n;
	struct rib_iface_conf *ic;

	if (name == NULL || strlen(name) >= IF_NAMESIZE) {
		conv_fail(cv, ifn, "interface name \"%s\" is longer than %d "
			  "characters", name ? name : "", IF_NAMESIZE - 1);
		return;
	}
	ic = rib_conf_iface_get(cv->c, name);
	ic->link_detect = true;
	if ((n = child(ifn, "description")) != NULL) {
		v = lyd_get_value(n);
		if (strlen(v) >= sizeof(ic->description)) {
			conv_fail(cv, n, "description is %zu characters, ribd "
				  "keeps at most %zu", strlen(v),
				  sizeof(ic->description) - 1);
			return;
		}
		snprintf(ic->description, sizeof(ic->description), "%s", v);
	}
	if ((v = leaf(ifn, "mtu")) != NULL)
		ic->mtu = (unsigned int)strtoul(v, NULL, 10);
	if ((v = leaf(ifn, "shutdown")) != NULL)
		ic->shutdown = strcmp(v, "true") == 0;
	if ((v = leaf(ifn, "link-detect")) != NULL)
		ic->link_detect = strcmp(v, "true") == 0;
	if ((n = child(ifn, "ipv4")) != NULL)
		conv_addrs(cv, ic, n);
	if ((n = child(ifn, "ipv6")) != NULL)
		conv_addrs(cv, ic, n);
}

/* --- static routes ------------------------------------------------------- */

/* `bfd [multihop] [source ADDR] [profile NAME]` of one nexthop. */
static int
conv_bfd(struct conv *cv, struct rib_static_nh *nh, int family,
	 const struct lyd_node *nhn)
{
	const struct lyd_node *o = child(nhn, "bfd-options");
	const char *src = o ? leaf(o, "source") : NULL;
	const char *prof = o ? leaf(o, "profile") : NULL;
	char perr[WP_PREFIX_ERRLEN];
	struct rib_static_bfd bo;

	if (nh->type != RIB_NH_GW && nh->type != RIB_NH_GW_IF) {
		conv_fail(cv, child(nhn, "bfd"), "bfd needs a gateway address");
		return -1;
	}
	nh->bfd = true;
	memset(&bo, 0, sizeof(bo));
	bo.multihop = o && child(o, "multihop");
	if (src && (wp_addr_parse(src, &bo.source, perr,
				  sizeof(perr)) < 0 ||
		    bo.source.family != family)) {
		conv_fail(cv, child(o, "source"), "source %s: not an IPv%d "
			  "address", src, family == AF_INET ? 4 : 6);
		return -1;
	}
	if (bo.multihop && src == NULL) {
		conv_fail(cv, child(o, "multihop"), "bfd multihop needs a "
			  "source address");
		return -1;
	}
	if (prof && strlen(prof) >= sizeof(bo.profile)) {
		conv_fail(cv, child(o, "profile"), "profile %s is longer than "
			  "%zu characters", prof, sizeof(bo.profile) - 1);
		return -1;
	}
	snprintf(bo.profile, sizeof(bo.profile), "%s", prof ? prof : "");
	nh->bfdo = rib_static_bfd_intern(&bo);
	return 0;
}

static void
conv_nexthop(struct conv *cv, struct rib_static *s, int family,
	     const struct lyd_node *nhn)
{
	const char *gw = leaf(nhn, "gateway"), *ifname = leaf(nhn, "interface");
	struct rib_static_nh *nh = &s->one;
	char perr[WP_PREFIX_ERRLEN];

	memset(nh, 0, sizeof(*nh));
	gw = gw ? gw : "";
	ifname = ifname ? ifname : "";
	nh->onlink = child(nhn, "onlink") != NULL;
	if (strlen(ifname) >= IF_NAMESIZE) {
		conv_fail(cv, nhn, "interface name \"%s\" is longer than %d "
			  "characters", ifname, IF_NAMESIZE - 1);
		return;
	}
	snprintf(nh->ifname, sizeof(nh->ifname), "%s", ifname);
	if (strcmp(gw, "blackhole") == 0 || strcmp(gw, "reject") == 0) {
		nh->type = gw[0] == 'b' ? RIB_NH_BLACKHOLE :
					  RIB_NH_UNREACHABLE;
		if (ifname[0]) {
			conv_fail(cv, nhn, "a %s nexthop takes no interface",
				  gw);
			return;
		}
	} else if (gw[0]) {
		if (wp_addr_parse(gw, &nh->gw, perr, sizeof(perr)) < 0 ||
		    nh->gw.family != family) {
			conv_fail(cv, nhn, "gateway %s: not an IPv%d address",
				  gw, family == AF_INET ? 4 : 6);
			return;
		}
		nh->type = ifname[0] ? RIB_NH_GW_IF : RIB_NH_GW;
	} else if (ifname[0]) {
		nh->type = RIB_NH_IFINDEX;
	} else {
		conv_fail(cv, nhn, "a nexthop needs a gateway or an "
			  "interface");
		return;
	}
	if (nh->onlink && nh->type != RIB_NH_GW_IF) {
		conv_fail(cv, child(nhn, "onlink"), "onlink needs a gateway "
			  "and an interface");
		return;
	}
	if (child(nhn, "bfd") && conv_bfd(cv, nh, family, nhn) < 0)
		return;
	if (rib_conf_static_add(cv->c, s) == -1)
		conv_fail(cv, nhn, "too many nexthops for %s (at most %d)",
			  leaf(lyd_parent(lyd_parent(nhn)), "prefix"),
			  RIB_KERNEL_MAX_NH);
}

static void
conv_routes(struct conv *cv, const struct lyd_node *fam, int family,
	    uint8_t vrf)
{
	const struct lyd_node *rt, *path, *nhn;

	FOR_EACH_NAMED(rt, fam, "route") {
		const char *prefix = leaf(rt, "prefix");
		char perr[WP_PREFIX_ERRLEN];
		struct rib_static s;

		memset(&s, 0, sizeof(s));
		s.vrf = vrf;
		if (wp_prefix_parse_flags(prefix ? prefix : "", &s.p,
					  family == AF_INET ?
					  WP_PREFIX_INET_ONLY :
					  WP_PREFIX_INET6_ONLY, perr,
					  sizeof(perr)) < 0) {
			conv_fail(cv, rt, "prefix %s: %s", prefix, perr);
			return;
		}
		FOR_EACH_NAMED(path, rt, "path") {
			const char *v;

			s.distance = (uint8_t)strtoul(leaf(path, "distance"),
						      NULL, 10);
			v = leaf(path, "tag");
			s.tag = v ? (uint32_t)strtoul(v, NULL, 10) : 0;
			s.n_nh = 1;
			FOR_EACH_NAMED(nhn, path, "nexthop") {
				conv_nexthop(cv, &s, family, nhn);
				if (cv->failed)
					return;
			}
		}
	}
}

/* A static-routes container (the default VRF's or a vrf's). */
static void
conv_static_routes(struct conv *cv, const struct lyd_node *n, uint8_t vrf)
{
	const struct lyd_node *fam;

	if ((fam = child(n, "ipv4")) != NULL)
		conv_routes(cv, fam, AF_INET, vrf);
	if (!cv->failed && (fam = child(n, "ipv6")) != NULL)
		conv_routes(cv, fam, AF_INET6, vrf);
}

static void
conv_routing(struct conv *cv, const struct lyd_node *routing)
{
	const struct lyd_node *n, *nht = child(routing, "nexthop-tracking");
	const char *v;

	if (nht && child(nht, "ipv6-resolve-via-default") &&
	    !child(nht, "ipv4-resolve-via-default")) {
		conv_fail(cv, child(nht, "ipv6-resolve-via-default"),
			  "ribd resolves nexthops via the default route for "
			  "IPv4 and IPv6 alike: set ip nht "
			  "resolve-via-default too");
		return;
	}
	cv->c->resolve_via_default = nht &&
				     child(nht, "ipv4-resolve-via-default");
	if ((v = leaf(routing, "maximum-paths")) != NULL)
		cv->c->ecmp_max = (unsigned int)strtoul(v, NULL, 10);
	if (cv->c->ecmp_max > RIB_KERNEL_MAX_NH) {
		conv_fail(cv, child(routing, "maximum-paths"),
			  "maximum-paths %u: the kernel takes at most %d",
			  cv->c->ecmp_max, RIB_KERNEL_MAX_NH);
		return;
	}
	if ((v = leaf(routing, "graceful-restart-time")) != NULL)
		cv->c->gr_time = (unsigned int)strtoul(v, NULL, 10);
	if ((v = leaf(routing, "audit-interval")) != NULL)
		cv->c->audit_interval = (unsigned int)strtoul(v, NULL, 10);
	if ((v = leaf(routing, "nexthop-objects")) != NULL)
		cv->c->no_nhobj = strcmp(v, "false") == 0;
	if ((n = child(routing, "static-routes")) != NULL)
		conv_static_routes(cv, n, 0);
	FOR_EACH_NAMED(n, routing, "vrf") {
		const char *name = leaf(n, "name");
		const struct lyd_node *sr = child(n, "static-routes");
		int idx;

		if (cv->failed)
			return;
		idx = rib_conf_vrf(cv->c, name ? name : "");
		if (idx < 0) {
			conv_fail(cv, n, "vrf %s: at most %d VRFs", name,
				  RIB_CONF_MAX_VRFS - 1);
			return;
		}
		if (sr)
			conv_static_routes(cv, sr, (uint8_t)idx);
	}
}

struct rib_conf *
rib_mgmt_conf_from_json(struct ly_ctx *ctx, const char *json, char *err,
			size_t errlen, char *xpath, size_t xpathlen)
{
	struct conv cv = { .err = err, .errlen = errlen, .xpath = xpath,
			   .xpathlen = xpathlen };
	const struct lyd_node *n, *ifn;
	struct lyd_node *tree = NULL;
	char *perr = NULL;

	err[0] = '\0';
	xpath[0] = '\0';
	if (wp_yang_parse_only(ctx, json, LYD_JSON, &tree, &perr) == -1) {
		snprintf(err, errlen, "configuration from mgmtd does not "
			 "parse: %s", perr);
		wp_free(MT_STRING, perr);
		return NULL;
	}
	cv.c = rib_conf_new();
	if ((n = top(tree, "waypoint-routing", "system")) != NULL &&
	    leaf(n, "hostname"))
		snprintf(cv.c->hostname, sizeof(cv.c->hostname), "%s",
			 leaf(n, "hostname"));
	if ((n = top(tree, "waypoint-routing", "routing")) != NULL)
		conv_routing(&cv, n);
	if (!cv.failed &&
	    (n = top(tree, "waypoint-interface", "interfaces")) != NULL) {
		FOR_EACH_NAMED(ifn, n, "interface") {
			conv_iface(&cv, ifn);
			if (cv.failed)
				break;
		}
	}
	lyd_free_all(tree);
	if (cv.failed) {
		rib_conf_free(cv.c);
		return NULL;
	}
	return cv.c;
}

/* --- the mgmtd client ---------------------------------------------------- */

static int
rib_mgmt_prepare(const char *json_full, const char *json_diff, char *err,
		 size_t errlen, void **txstate, void *arg)
{
	struct rib_mgmt *rm = arg;
	struct rib_conf *c;
	char xpath[512];

	c = rib_mgmt_conf_from_json(rm->ctx, json_full, err, errlen, xpath,
				    sizeof(xpath));
	if (c == NULL) {
		wp_log_warnx("configuration refused: %s%s%s", err,
			     xpath[0] ? " at " : "", xpath);
		if (xpath[0])
			wp_mgmt_client_refuse_xpath(rm->cl, xpath);
		return -1;
	}
	*txstate = c;
	return 0;
}

static void
rib_mgmt_apply(void *txstate, void *arg)
{
	struct rib_mgmt *rm = arg;
	struct rib_conf *c = txstate;

	wp_log_info("configuration from mgmtd applied: %u static routes, "
		    "%u interfaces configured", c->n_statics, c->n_ifaces);
	rib_conf_apply(rm->rib, c);
	if (!rm->applied_once && !rm->rib->sweeping_done)
		rib_sweep_schedule(rm->rib, rm->rib->conf->gr_time);
	rm->applied_once = true;
}

static void
rib_mgmt_abort(void *txstate, void *arg)
{
	rib_conf_free(txstate);
}

struct rib_mgmt *
rib_mgmt_start(struct ribd *rib, const char *rundir)
{
	static const char *const mods[] = { "waypoint-interface",
					    "waypoint-routing", NULL };
	struct rib_mgmt *rm = wp_calloc(MT_RIB_MGMT, sizeof(*rm));
	char *err = NULL;

	rm->rib = rib;
	if ((rm->ctx = wp_yang_ctx_get(&err)) == NULL) {
		wp_log_errx("cannot load the YANG modules: %s", err);
		wp_free(MT_STRING, err);
		wp_free(MT_RIB_MGMT, rm);
		return NULL;
	}
	rm->cl = wp_mgmt_client_new(rib->loop, rundir, "ribd", mods,
		&(struct wp_mgmt_client_cbs){ .prepare = rib_mgmt_prepare,
		.apply = rib_mgmt_apply, .abort = rib_mgmt_abort, .arg = rm });
	return rm;
}

void
rib_mgmt_stop(struct rib_mgmt *rm)
{
	if (rm == NULL)
		return;
	wp_mgmt_client_free(rm->cl);
	wp_yang_ctx_put();
	wp_free(MT_RIB_MGMT, rm);
}
