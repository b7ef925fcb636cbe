/*
 * nc_oper.c: the daemons' show ... json as YANG state (config false)
 * nodes, for <get> (RFC 6241 §7.7: running configuration and state).
 *
 * Each source (ncd_oper_srcs[]) is one show command of one daemon and
 * the state subtree it fills.  The JSON members are mapped to leaves by
 * tables (struct field): a list entry's keys first, then its leaves.
 * Nodes are made with libyang's lyd_new_*(), so every value is checked
 * against its type; what it refuses is left out and counted, never
 * fatal: a daemon newer than the module may print a value the module
 * does not know yet.
 *
 *	ribd	show interface json	interfaces/interface (RFC 8343 names)
 *	ribd	show ip route json	routing/ribs/rib[ipv4-unicast]
 *	ribd	show ipv6 route json	routing/ribs/rib[ipv6-unicast]
 *	bfdd	show bfd peers json	bfd/sessions/session
 *	ospfd	show ip ospf interface json	ospf/interface-state/interface
 *	ospfd	show ip ospf neighbor json	ospf/neighbors/neighbor
 *
 * The JSON shapes are in doc/schema/, one JSON schema per command.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "nc_filter.h"
#include "nc_oper.h"

#define PATH_LEN	1024

struct ncd_oper_conv {
	struct ly_ctx *ctx;
	struct lyd_node **tree;
	size_t dropped;
	char *err;
	size_t errlen;
};

/* A JSON string that names a YANG enum differently. */
struct vmap {
	const char *json;
	const char *yang;
};

enum fkind {
	F_STR,		/* string as it is */
	F_INT,		/* integer */
	F_BOOL,		/* boolean, left out when absent */
	F_FLAG,		/* boolean, false when absent ("fib": true) */
	F_EMPTY,	/* type empty, present when the member is true */
	F_MS_US,	/* milliseconds (maybe fractional) to microseconds */
	F_MAP,		/* string through a vmap */
	F_STRS,		/* array of strings to a config false leaf-list */
};

struct field {
	const char *leaf;
	const char *key;	/* JSON member */
	enum fkind kind;
	const struct vmap *map;	/* F_MAP, NULL-terminated */
};

/* --- values ---------------------------------------------------------------- */

static void
drop(struct ncd_oper_conv *c, const char *path, const char *why)
{
	const struct ly_err_item *e = ly_err_last(c->ctx);

	if (c->dropped++ == 0 && c->errlen)
		snprintf(c->err, c->errlen, "%s: %s", path,
			 why ? why : e && e->msg ? e->msg : "refused");
	ly_err_clean(c->ctx, NULL);
}

/*
 * Create the inner node or list entry at `path` (absolute) and what it
 * needs above it; the node in *node.  0, or -1 and counted.
 */
static int
mk(struct ncd_oper_conv *c, const char *path, struct lyd_node **node)
{
	struct lyd_node *top = NULL;

	if (lyd_new_path2(*c->tree, c->ctx, path, NULL, 0, 0, 0, &top,
			  node) != LY_SUCCESS) {
		drop(c, path, NULL);
		return -1;
	}
	if (*c->tree == NULL)
		*c->tree = top;
	else
		*c->tree = lyd_first_sibling(*c->tree);
	return 0;
}

/* Leaf `name` = `value` under `parent` (path parsing is the slow part
 * of a big RIB: leaves are made directly).  Counted when refused. */
static void
mk_leaf(struct ncd_oper_conv *c, struct lyd_node *parent, const char *name,
	const char *value)
{
	char path[PATH_LEN];

	if (lyd_new_term(parent, NULL, name, value, 0, NULL) == LY_SUCCESS)
		return;
	if (lyd_path(parent, LYD_PATH_STD, path, sizeof(path)) == NULL)
		path[0] = '\0';
	strncat(path, "/", sizeof(path) - strlen(path) - 1);
	strncat(path, name, sizeof(path) - strlen(path) - 1);
	drop(c, path, NULL);
}

static const char *
map_value(const struct vmap *m, const char *s)
{
	for (; m && m->json; m++)
		if (strcmp(m->json, s) == 0)
			return m->yang;
	return NULL;
}

/* The YANG text of member `f` of `o`; NULL when absent (or, for
 * F_EMPTY, false).  `buf` holds numbers. */
static const char *
value_of(const struct field *f, json_object *o, char *buf, size_t len,
	 bool *bad)
{
	json_object *v;
	double ms;

	*bad = false;
	if (!json_object_object_get_ex(o, f->key, &v) || v == NULL) {
		if (f->kind == F_FLAG)
			return "false";
		return NULL;
	}
	switch (f->kind) {
	case F_STR:
		if (!json_object_is_type(v, json_type_string))
			break;
		return json_object_get_string(v);
	case F_MAP:
		if (!json_object_is_type(v, json_type_string) ||
		    map_value(f->map, json_object_get_string(v)) == NULL)
			break;
		return map_value(f->map, json_object_get_string(v));
	case F_INT:
		if (!json_object_is_type(v, json_type_int))
			break;
		snprintf(buf, len, "%" PRId64, json_object_get_int64(v));
		return buf;
	case F_MS_US:
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double))
			break;
		ms = json_object_get_double(v);
		if (!(ms >= 0 && ms < 4294967.0))
			break;
		snprintf(buf, len, "%.0f", ms * 1000.0);
		return buf;
	case F_BOOL:
	case F_FLAG:
	case F_EMPTY:
		if (!json_object_is_type(v, json_type_boolean))
			break;
		if (f->kind == F_EMPTY)
			return json_object_get_boolean(v) ? "" : NULL;
		return json_object_get_boolean(v) ? "true" : "false";
	case F_STRS:
		return NULL;
	}
	*bad = true;
	return NULL;
}

/* Leaves `fields` of `entry` from `o`. */
static void
put_fields(struct ncd_oper_conv *c, struct lyd_node *entry,
	   const struct field *fields, json_object *o)
{
	const struct field *f;
	char num[32];

	for (f = fields; f->leaf; f++) {
		const char *v;
		bool bad;

		if (f->kind == F_STRS) {
			json_object *arr;

			if (!json_object_object_get_ex(o, f->key, &arr) ||
			    !json_object_is_type(arr, json_type_array))
				continue;
			for (size_t i = 0; i < json_object_array_length(arr);
			     i++) {
				json_object *s = json_object_array_get_idx(arr,
									   i);

				if (json_object_is_type(s, json_type_string))
					mk_leaf(c, entry, f->leaf,
						json_object_get_string(s));
				else
					drop(c, f->leaf, "not a string");
			}
			continue;
		}
		v = value_of(f, o, num, sizeof(num), &bad);
		if (bad)
			drop(c, f->key, "unexpected JSON type or value");
		else if (v)
			mk_leaf(c, entry, f->leaf, f->kind == F_EMPTY ? NULL : v);
	}
}

/*
 * Make the list entry `list`[keys from `o`], in *entry; -1 (counted)
 * when a key is missing or refused.
 */
static int
put_entry(struct ncd_oper_conv *c, const char *list, const struct field *keys,
	  json_object *o, struct lyd_node **entry)
{
	const struct field *k;
	char base[PATH_LEN], num[32];
	size_t n;

	n = (size_t)snprintf(base, sizeof(base), "%s", list);
	for (k = keys; k->leaf && n < sizeof(base); k++) {
		bool bad;
		const char *v = value_of(k, o, num, sizeof(num), &bad);

		/* A key is quoted; a value holding both quotes cannot be. */
		if (v == NULL || (strchr(v, '\'') && strchr(v, '"'))) {
			drop(c, list, "an entry without a usable key");
			return -1;
		}
		n += (size_t)snprintf(base + n, sizeof(base) - n,
				      strchr(v, '\'') ? "[%s=\"%s\"]" :
				      "[%s='%s']", k->leaf, v);
	}
	if (n >= sizeof(base)) {
		drop(c, list, "path too long");
		return -1;
	}
	return mk(c, base, entry);
}

/* Each object of array member `key` of `top` as an entry of `list`. */
static void
put_array(struct ncd_oper_conv *c, json_object *top, const char *key,
	  const char *list, const struct field *keys,
	  const struct field *fields)
{
	json_object *arr;
	struct lyd_node *entry;

	if (!json_object_object_get_ex(top, key, &arr))
		return;		/* {}: nothing configured */
	if (!json_object_is_type(arr, json_type_array)) {
		drop(c, list, "not an array");
		return;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(o, json_type_object)) {
			drop(c, list, "not an object");
			continue;
		}
		if (put_entry(c, list, keys, o, &entry) == 0)
			put_fields(c, entry, fields, o);
	}
}

/* --- ribd: interfaces ----------------------------------------------------------- */

static const struct field if_keys[] = {
	{ "name", "name", F_STR, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct field if_fields[] = {
	{ "if-index", "ifindex", F_INT, NULL },
	{ "kind", "kind", F_STR, NULL },
	{ "admin-status", "adminStatus", F_STR, NULL },
	{ "oper-status", "operStatus", F_STR, NULL },
	{ "phys-address", "macAddress", F_STR, NULL },
	{ "oper-mtu", "mtu", F_INT, NULL },
	{ "link-up-down-count", "linkUpDownCount", F_INT, NULL },
	{ "oper-address", "addresses", F_STRS, NULL },
	{ NULL, NULL, 0, NULL },
};

static int
conv_interfaces(struct ncd_oper_conv *c, void *json)
{
	put_array(c, json, "interfaces",
		  "/waypoint-interface:interfaces/interface", if_keys,
		  if_fields);
	return 0;
}

/* --- ribd: the RIB ----------------------------------------------------------------- */

static const struct field route_keys[] = {
	{ "destination-prefix", "prefix", F_STR, NULL },
	{ "source-protocol", "protocol", F_STR, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct field route_fields[] = {
	{ "active", "selected", F_EMPTY, NULL },
	{ "route-preference", "distance", F_INT, NULL },
	{ "metric", "metric", F_INT, NULL },
	{ "tag", "tag", F_INT, NULL },
	{ "installed", "installed", F_BOOL, NULL },
	{ "failed", "failed", F_FLAG, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct field nh_fields[] = {
	{ "address", "ip", F_STR, NULL },
	{ "outgoing-interface", "interfaceName", F_STR, NULL },
	{ "special-next-hop", "reject", F_STR, NULL },
	{ "directly-connected", "directlyConnected", F_FLAG, NULL },
	{ "recursive", "recursive", F_FLAG, NULL },
	{ "active", "active", F_BOOL, NULL },
	{ "fib", "fib", F_FLAG, NULL },
	{ "weight", "weight", F_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

/* The nexthops of `route` (from `o`), keyed by their position. */
static void
put_nexthops(struct ncd_oper_conv *c, struct lyd_node *route, json_object *o)
{
	json_object *arr;
	struct lyd_node *nh;
	char idx[16];

	if (!json_object_object_get_ex(o, "nexthops", &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(arr) && i < 65536;
	     i++) {
		json_object *n = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(n, json_type_object)) {
			drop(c, "nexthops", "a nexthop that is not an object");
			continue;
		}
		snprintf(idx, sizeof(idx), "%zu", i);
		if (lyd_new_list(route, NULL, "next-hop", 0, &nh, idx) !=
		    LY_SUCCESS) {
			drop(c, "next-hop", NULL);
			continue;
		}
		put_fields(c, nh, nh_fields, n);
	}
}

static void
conv_rib(struct ncd_oper_conv *c, json_object *json, const char *afi)
{
	char rib[128], routes[160];
	struct lyd_node *r, *route;

	snprintf(rib, sizeof(rib), "/waypoint-routing:routing/ribs/"
		 "rib[name='%s-unicast']", afi);
	if (mk(c, rib, &r) == -1)
		return;
	mk_leaf(c, r, "address-family", afi);
	snprintf(routes, sizeof(routes), "%s/routes/route", rib);
	/* { "10.0.0.0/24": [ route, ... ], ... } */
	json_object_object_foreach(json, prefix, arr) {
		if (!json_object_is_type(arr, json_type_array)) {
			drop(c, prefix, "not an array of routes");
			continue;
		}
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *o = json_object_array_get_idx(arr, i);

			if (!json_object_is_type(o, json_type_object)) {
				drop(c, prefix, "a route that is not an "
				     "object");
				continue;
			}
			if (put_entry(c, routes, route_keys, o, &route) == -1)
				continue;
			put_fields(c, route, route_fields, o);
			put_nexthops(c, route, o);
		}
	}
}

/*
 * A filter's content match on one destination-prefix: ask ribd for that
 * prefix alone (its "This prefix exactly" form); a prefix of the other
 * family selects nothing here.  `p` is a valid inet:ip-prefix, one word.
 */
static int
narrow_rib(const char *p, char *cmd, size_t len, bool v6)
{
	if ((strchr(p, ':') != NULL) != v6)
		return -1;
	snprintf(cmd, len, "show %s route %s json", v6 ? "ipv6" : "ip", p);
	return 1;
}

static int
narrow_rib4(const char *p, char *cmd, size_t len)
{
	return narrow_rib(p, cmd, len, false);
}

static int
narrow_rib6(const char *p, char *cmd, size_t len)
{
	return narrow_rib(p, cmd, len, true);
}

static int
conv_rib4(struct ncd_oper_conv *c, void *json)
{
	conv_rib(c, json, "ipv4");
	return 0;
}

static int
conv_rib6(struct ncd_oper_conv *c, void *json)
{
	conv_rib(c, json, "ipv6");
	return 0;
}

/* --- bfdd: sessions ------------------------------------------------------------------ */

/* bfdd's diagnostic texts to RFC 9314's names (RFC 5880 §4.1 codes). */
static const struct vmap bfd_diags[] = {
	{ "ok", "none" },
	{ "control detection time expired", "control-expiry" },
	{ "echo function failed", "echo-failed" },
	{ "neighbor signaled session down", "neighbor-down" },
	{ "forwarding plane reset", "forwarding-reset" },
	{ "path down", "path-down" },
	{ "concatenated path down", "concatenated-path-down" },
	{ "administratively down", "admin-down" },
	{ "reverse concatenated path down", "reverse-concatenated-path-down" },
	{ NULL, NULL },
};

static const struct field bfd_keys[] = {
	{ "peer", "peer", F_STR, NULL },
	{ "multihop", "multihop", F_BOOL, NULL },
	{ "local-address", "local", F_STR, NULL },
	{ "interface", "interface", F_STR, NULL },
	{ "vrf", "vrf", F_STR, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct field bfd_fields[] = {
	{ "local-discriminator", "localDiscriminator", F_INT, NULL },
	{ "remote-discriminator", "remoteDiscriminator", F_INT, NULL },
	{ "local-state", "state", F_STR, NULL },
	{ "remote-state", "remoteState", F_STR, NULL },
	{ "local-diagnostic", "diagnostic", F_MAP, bfd_diags },
	{ "remote-diagnostic", "remoteDiagnostic", F_MAP, bfd_diags },
	{ "detection-multiplier", "detectMultiplier", F_INT, NULL },
	{ "desired-min-tx-interval", "transmitInterval", F_MS_US, NULL },
	{ "required-min-rx-interval", "receiveInterval", F_MS_US, NULL },
	{ "negotiated-tx-interval", "negotiatedTransmitInterval", F_MS_US,
	  NULL },
	{ "detection-time", "detectTime", F_MS_US, NULL },
	{ NULL, NULL, 0, NULL },
};

static int
conv_bfd(struct ncd_oper_conv *c, void *json)
{
	put_array(c, json, "peers", "/waypoint-bfd:bfd/sessions/session",
		  bfd_keys, bfd_fields);
	return 0;
}

/* --- ospfd: interfaces and neighbors ------------------------------------------------ */

/* RFC 2328 §9.1 and §10.1 states as ospfd prints them. */
static const struct vmap ospf_if_states[] = {
	{ "Down", "down" },
	{ "Loopback", "loopback" },
	{ "Waiting", "waiting" },
	{ "Point-To-Point", "point-to-point" },
	{ "DROther", "dr-other" },
	{ "Backup", "bdr" },
	{ "DR", "dr" },
	{ NULL, NULL },
};

static const struct vmap ospf_nbr_states[] = {
	{ "Down", "down" },
	{ "Attempt", "attempt" },
	{ "Init", "init" },
	{ "2-Way", "2-way" },
	{ "ExStart", "exstart" },
	{ "Exchange", "exchange" },
	{ "Loading", "loading" },
	{ "Full", "full" },
	{ NULL, NULL },
};

static const struct field ospf_if_fields[] = {
	{ "address", "address", F_STR, NULL },
	{ "area", "area", F_STR, NULL },
	{ "state", "state", F_MAP, ospf_if_states },
	{ "network-type", "networkType", F_STR, NULL },
	{ "cost", "cost", F_INT, NULL },
	{ "priority", "priority", F_INT, NULL },
	{ "passive", "passive", F_BOOL, NULL },
	{ "dr-router-id", "drId", F_STR, NULL },
	{ "bdr-router-id", "bdrId", F_STR, NULL },
	{ "neighbor-count", "neighbors", F_INT, NULL },
	{ "adjacency-count", "adjacencies", F_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct field ospf_nbr_keys[] = {
	{ "interface", "interface", F_STR, NULL },
	{ "neighbor-router-id", "routerId", F_STR, NULL },
	{ NULL, NULL, 0, NULL },
};

static const struct field ospf_nbr_fields[] = {
	{ "address", "address", F_STR, NULL },
	{ "area", "area", F_STR, NULL },
	{ "state", "state", F_MAP, ospf_nbr_states },
	{ "priority", "priority", F_INT, NULL },
	{ "dead-timer", "deadSeconds", F_INT, NULL },
	{ NULL, NULL, 0, NULL },
};

static int
conv_ospf_if(struct ncd_oper_conv *c, void *json)
{
	put_array(c, json, "interfaces",
		  "/waypoint-ospf:ospf/interface-state/interface", if_keys,
		  ospf_if_fields);
	return 0;
}

static int
conv_ospf_nbr(struct ncd_oper_conv *c, void *json)
{
	put_array(c, json, "neighbors",
		  "/waypoint-ospf:ospf/neighbors/neighbor", ospf_nbr_keys,
		  ospf_nbr_fields);
	return 0;
}

/* --- the sources ----------------------------------------------------------------------- */

static const char *const p_interfaces[] = { "interfaces", "interface", NULL };
static const char *const p_ribs[] = { "routing", "ribs", NULL };
static const char *const p_routes[] = { "routing", "ribs", "rib", "routes",
					"route", NULL };
static const char *const p_bfd[] = { "bfd", "sessions", NULL };
static const char *const p_ospf_if[] = { "ospf", "interface-state", NULL };
static const char *const p_ospf_nbr[] = { "ospf", "neighbors", NULL };

const struct ncd_oper_src ncd_oper_srcs[] = {
	{ "ribd", "show interface json", "waypoint-interface", p_interfaces,
	  conv_interfaces, NULL, NULL, NULL },
	{ "ribd", "show ip route json", "waypoint-routing", p_ribs,
	  conv_rib4, p_routes, "destination-prefix", narrow_rib4 },
	{ "ribd", "show ipv6 route json", "waypoint-routing", p_ribs,
	  conv_rib6, p_routes, "destination-prefix", narrow_rib6 },
	{ "bfdd", "show bfd peers json", "waypoint-bfd", p_bfd, conv_bfd,
	  NULL, NULL, NULL },
	{ "ospfd", "show ip ospf interface json", "waypoint-ospf", p_ospf_if,
	  conv_ospf_if, NULL, NULL, NULL },
	{ "ospfd", "show ip ospf neighbor json", "waypoint-ospf", p_ospf_nbr,
	  conv_ospf_nbr, NULL, NULL, NULL },
};
const size_t ncd_oper_nsrcs = sizeof(ncd_oper_srcs) / sizeof(ncd_oper_srcs[0]);

int
ncd_oper_convert(struct ly_ctx *ctx, const struct ncd_oper_src *src,
		 const char *json, struct lyd_node **tree, size_t *dropped,
		 char *err, size_t errlen)
{
	struct ncd_oper_conv c = {
		.ctx = ctx, .tree = tree, .err = err, .errlen = errlen,
	};
	json_object *j = json_tokener_parse(json);
	int rc;

	if (errlen)
		err[0] = '\0';
	*dropped = 0;
	if (j == NULL || !json_object_is_type(j, json_type_object)) {
		json_object_put(j);
		snprintf(err, errlen, "%s: not a JSON object", src->command);
		return -1;
	}
	rc = src->convert(&c, j);
	json_object_put(j);
	*dropped = c.dropped;
	return rc;
}

bool
ncd_oper_wanted(struct ly_ctx *ctx, const struct lyd_node *filter,
		const struct ncd_oper_src *src)
{
	const struct lys_module *mod;

	if (filter == NULL)
		return true;
	mod = ly_ctx_get_module_implemented(ctx, src->module);
	if (mod == NULL)
		return false;
	return ncd_filter_selects(filter, mod->ns, src->path);
}

/*
 * The value of content match node `m` if it is valid for `leaf` (the
 * canonical form, from libyang's dictionary), else NULL.  The filter is
 * parsed without validation: a list entry without all its keys, or a
 * bad value, leaves the match opaque.
 */
static const char *
match_value(const struct lyd_node *m, const struct lysc_node *leaf)
{
	const char *canon = NULL, *v;
	size_t n;

	v = ncd_filter_value(m, &n);
	if (v == NULL ||
	    lyd_value_validate(NULL, leaf, v, n, NULL, NULL, &canon) !=
	    LY_SUCCESS)
		return NULL;
	return canon;
}

int
ncd_oper_command(struct ly_ctx *ctx, const struct lyd_node *filter,
		 const struct ncd_oper_src *src, char *cmd, size_t len)
{
	const struct lys_module *mod;
	const struct lysc_node *leaf;
	const struct lyd_node *match;
	const char *value;
	char path[PATH_LEN];
	size_t n;
	int rc;

	snprintf(cmd, len, "%s", src->command);
	if (filter == NULL || src->narrow == NULL)
		return 0;
	mod = ly_ctx_get_module_implemented(ctx, src->module);
	if (mod == NULL)
		return 0;
	match = ncd_filter_content(filter, mod->ns, src->match_path,
				   src->match_leaf);
	if (match == NULL)
		return 0;
	n = (size_t)snprintf(path, sizeof(path), "/%s:", src->module);
	for (const char *const *p = src->match_path; *p; p++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "%s/", *p);
	snprintf(path + n, sizeof(path) - n, "%s", src->match_leaf);
	leaf = lys_find_path(ctx, NULL, path, 0);
	value = leaf ? match_value(match, leaf) : NULL;
	if (value == NULL)
		return 0;
	rc = src->narrow(value, cmd, len);
	lydict_remove(ctx, value);
	return rc == -1 ? -1 : 0;
}
