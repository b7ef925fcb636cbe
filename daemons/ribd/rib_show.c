/*
 * rib_show.c: ribd's show commands.  Each builds one json_object from the
 * RIB and prints it as JSON or renders the text from that same object, so
 * the two outputs can never disagree.  The JSON keys follow FRR's
 * `show ip route json` so existing tooling reads them unchanged.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "rib_conf.h"
#include "ribd.h"
#include "wp_json.h"
#include "wp_log.h"
#include "wp_vty.h"

static void
fmt_uptime(time_t since, char *buf, size_t len)
{
	long s = (long)(time(NULL) - since);

	if (s < 0)
		s = 0;
	if (s < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60,
			 s % 60);
	else
		snprintf(buf, len, "%ldd%02ldh%02ldm", s / 86400,
			 (s / 3600) % 24, (s / 60) % 60);
}

static const char *
ifname_of(struct ribd *rib, int ifindex)
{
	struct rib_iface *ifp = rib_iface_by_index(rib, ifindex);

	return ifp ? ifp->name : NULL;
}

static bool
nh_in_fib(const struct rib_dest *d, const struct rib_nh *nh)
{
	if (d->fib == NULL || !nh->active)
		return false;
	if (nh->recursive || nh->type == RIB_NH_GW)
		return true;
	for (unsigned int i = 0; i < d->fib->n_nh; i++)
		if (d->fib->nh[i].ifindex == nh->ifindex)
			return true;
	return d->fib->type != RIB_KTYPE_UNICAST;
}

static json_object *
route_json(struct ribd *rib, const struct rib_dest *d,
	   const struct rib_route *rt)
{
	json_object *o = json_object_new_object(), *arr;
	char buf[WP_PREFIX_STRLEN], up[32];
	bool fib = (rt->flags & RIB_RT_FIB) != 0;

	wp_json_add_str(o, "prefix", wp_prefix_fmt(&d->p, buf, sizeof(buf)));
	wp_json_add_str(o, "protocol", rib_sources[rt->source].name);
	wp_json_add_bool(o, "selected", (rt->flags & RIB_RT_SELECTED) != 0);
	wp_json_add_bool(o, "destSelected", rib_dest_selected(d) != NULL);
	wp_json_add_int(o, "distance", rt->distance);
	wp_json_add_uint64(o, "metric", rt->metric);
	if (rt->tag)
		wp_json_add_uint64(o, "tag", rt->tag);
	wp_json_add_bool(o, "installed", fib);
	if (rt->flags & RIB_RT_QUEUED)
		wp_json_add_bool(o, "queued", true);
	if (rt->flags & RIB_RT_FAILED) {
		wp_json_add_bool(o, "failed", true);
		wp_json_add_str(o, "installError", strerror(d->install_error));
	}
	wp_json_add_int(o, "table", rib_dest_table(rib, d)->table_id);
	fmt_uptime(rt->uptime, up, sizeof(up));
	wp_json_add_str(o, "uptime", up);
	arr = wp_json_add_array(o, "nexthops");
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		const struct rib_nh *nh = &rt->nh[i];
		json_object *n = wp_json_array_add_object(arr);
		const char *ifn;

		switch (nh->type) {
		case RIB_NH_BLACKHOLE:
		case RIB_NH_UNREACHABLE:
		case RIB_NH_PROHIBIT:
			wp_json_add_bool(n, "unreachable", true);
			wp_json_add_str(n, "reject", rib_nh_type_name(nh->type));
			break;
		case RIB_NH_GW:
		case RIB_NH_GW_IF:
			wp_json_add_str(n, "ip", wp_addr_fmt(&nh->gw, buf,
							     sizeof(buf)));
			wp_json_add_str(n, "afi", nh->gw.family == AF_INET ?
					"ipv4" : "ipv6");
			/* fall through */
		case RIB_NH_IFINDEX:
			ifn = ifname_of(rib, nh->ifindex > 0 ? nh->ifindex :
					nh->resolved_ifindex);
			if (ifn) {
				wp_json_add_int(n, "interfaceIndex", nh->ifindex > 0 ?
						nh->ifindex : nh->resolved_ifindex);
				wp_json_add_str(n, "interfaceName", ifn);
			} else if (nh->type != RIB_NH_GW && d->fib == NULL &&
				   nh->ifindex < 0) {
				wp_json_add_str(n, "interfaceName", "unknown");
			}
			if (nh->type == RIB_NH_IFINDEX)
				wp_json_add_bool(n, "directlyConnected", true);
			break;
		}
		wp_json_add_bool(n, "active", nh->active);
		if (fib && nh_in_fib(d, nh))
			wp_json_add_bool(n, "fib", true);
		if (nh->recursive) {
			struct wp_prefix via;

			wp_json_add_bool(n, "recursive", true);
			if (rib_nh_via(nh, &via))
				wp_json_add_str(n, "resolver", wp_prefix_fmt(&via,
						buf, sizeof(buf)));
		}
		if (nh->onlink)
			wp_json_add_bool(n, "onLink", true);
		if (nh->weight > 1)
			wp_json_add_int(n, "weight", nh->weight);
		if (nh->bfd && rib_bfd_of(rib, nh))
			rib_bfd_peer_json(rib_bfd_of(rib, nh),
					  wp_json_add_object(n, "bfd"));
	}
	/* The kernel's view of a recursive route: the resolved gateways. */
	if (fib && d->fib && rib_dest_selected(d) == rt && d->fib->n_nh) {
		json_object *k = wp_json_add_array(o, "fibNexthops");

		for (unsigned int i = 0; i < d->fib->n_nh; i++) {
			json_object *n = wp_json_array_add_object(k);
			const char *ifn = ifname_of(rib, d->fib->nh[i].ifindex);

			if (d->fib->nh[i].gw.family)
				wp_json_add_str(n, "ip", wp_addr_fmt(
					&d->fib->nh[i].gw, buf, sizeof(buf)));
			if (ifn)
				wp_json_add_str(n, "interfaceName", ifn);
		}
	}
	return o;
}

struct show_walk {
	struct ribd *rib;
	json_object *top;
	int proto;			/* only this source, -1 for all */
	unsigned int counts[RIB_SRC_MAX];
	unsigned int fib_counts[RIB_SRC_MAX];
};

static int
show_walk_route(const struct wp_prefix *p, void *val, void *arg)
{
	struct show_walk *w = arg;
	struct rib_dest *d = val;
	json_object *arr = NULL;
	char buf[WP_PREFIX_STRLEN];

	for (struct rib_route *rt = d->routes; rt; rt = rt->next) {
		if (w->proto >= 0 && (int)rt->source != w->proto)
			continue;
		w->counts[rt->source]++;
		if (rt->flags & RIB_RT_FIB)
			w->fib_counts[rt->source]++;
		if (w->top == NULL)
			continue;
		if (arr == NULL) {
			arr = json_object_new_array();
			json_object_object_add(w->top, wp_prefix_fmt(p, buf,
					       sizeof(buf)), arr);
		}
		json_object_array_add(arr, route_json(w->rib, d, rt));
	}
	return 0;
}

static void
render_route_text(struct wp_vty_cmd_ctx *ctx, json_object *r)
{
	json_object *v, *nhs;
	const char *proto = "", *prefix = "", *up = "";
	bool sel = false, inst = false, failed = false, queued = false;
	int64_t dist = 0, metric = 0;
	char code = '?';
	size_t n;

	if (json_object_object_get_ex(r, "protocol", &v))
		proto = json_object_get_string(v);
	if (json_object_object_get_ex(r, "prefix", &v))
		prefix = json_object_get_string(v);
	if (json_object_object_get_ex(r, "uptime", &v))
		up = json_object_get_string(v);
	if (json_object_object_get_ex(r, "selected", &v))
		sel = json_object_get_boolean(v);
	if (json_object_object_get_ex(r, "installed", &v))
		inst = json_object_get_boolean(v);
	if (json_object_object_get_ex(r, "failed", &v))
		failed = json_object_get_boolean(v);
	if (json_object_object_get_ex(r, "queued", &v))
		queued = json_object_get_boolean(v);
	if (json_object_object_get_ex(r, "distance", &v))
		dist = json_object_get_int64(v);
	if (json_object_object_get_ex(r, "metric", &v))
		metric = json_object_get_int64(v);
	for (int i = 0; i < RIB_SRC_MAX; i++)
		if (strcmp(rib_sources[i].name, proto) == 0)
			code = rib_sources[i].code;
	json_object_object_get_ex(r, "nexthops", &nhs);
	n = nhs ? json_object_array_length(nhs) : 0;
	for (size_t i = 0; i < n || i == 0; i++) {
		json_object *nh = n ? json_object_array_get_idx(nhs, i) : NULL;
		const char *ip = NULL, *ifn = NULL, *rej = NULL;
		bool active = false, nfib = false, conn = false, rec = false;
		const char *bfd = NULL;
		char lead[64];

		if (nh) {
			if (json_object_object_get_ex(nh, "ip", &v))
				ip = json_object_get_string(v);
			if (json_object_object_get_ex(nh, "interfaceName", &v))
				ifn = json_object_get_string(v);
			if (json_object_object_get_ex(nh, "reject", &v))
				rej = json_object_get_string(v);
			if (json_object_object_get_ex(nh, "active", &v))
				active = json_object_get_boolean(v);
			if (json_object_object_get_ex(nh, "fib", &v))
				nfib = json_object_get_boolean(v);
			if (json_object_object_get_ex(nh, "directlyConnected", &v))
				conn = json_object_get_boolean(v);
			if (json_object_object_get_ex(nh, "recursive", &v))
				rec = json_object_get_boolean(v);
			if (json_object_object_get_ex(nh, "bfd", &v) &&
			    json_object_object_get_ex(v, "state", &v))
				bfd = json_object_get_string(v);
		}
		if (i == 0) {
			snprintf(lead, sizeof(lead), "%c%c%c %s", code,
				 sel ? '>' : ' ',
				 failed ? 'r' : queued ? 'q' : inst ? '*' : ' ',
				 prefix);
			wp_vty_out(ctx, "%s", lead);
			if (strcmp(proto, "connected") != 0)
				wp_vty_out(ctx, " [%" PRId64 "/%" PRId64 "]",
					   dist, metric);
		} else {
			wp_vty_out(ctx, "  %c%*s", nfib ? '*' : ' ',
				   (int)strlen(prefix) + 1, "");
			if (strcmp(proto, "connected") != 0)
				wp_vty_out(ctx, " %*s", (int)snprintf(NULL, 0,
					   "[%" PRId64 "/%" PRId64 "]", dist,
					   metric), "");
		}
		if (rej)
			wp_vty_out(ctx, " unreachable (%s)", rej);
		else if (conn && !ip)
			wp_vty_out(ctx, " is directly connected, %s",
				   ifn ? ifn : "?");
		else if (ip)
			wp_vty_out(ctx, " via %s%s%s%s", ip, ifn ? ", " : "",
				   ifn ? ifn : "", rec ? " (recursive)" : "");
		if (bfd)
			wp_vty_out(ctx, ", bfd %s", bfd);
		if (nh && !active)
			wp_vty_out(ctx, " inactive");
		if (i == 0)
			wp_vty_out(ctx, ", %s", up);
		wp_vty_out(ctx, "\n");
	}
}

static void
print_codes(struct wp_vty_cmd_ctx *ctx)
{
	wp_vty_out(ctx, "Codes: K - kernel route, C - connected, S - static, "
		   "O - OSPF, B - BGP, i - IS-IS, R - RIP,\n"
		   "       > - selected route, * - FIB route, q - queued, "
		   "r - rejected\n\n");
}

static void
render_routes(struct wp_vty_cmd_ctx *ctx, json_object *top)
{
	json_object_iter it;

	json_object_object_foreachC(top, it) {
		size_t n = json_object_array_length(it.val);

		for (size_t i = 0; i < n; i++)
			render_route_text(ctx, json_object_array_get_idx(it.val, i));
	}
}

/*
 * One VRF's routes of a family into w->top: the whole table (arg NULL),
 * one prefix exactly, the route an address would use (longest match), or
 * one source.  An argument that is none of these is an error (printed).
 */
static int
route_collect(struct wp_vty_cmd_ctx *ctx, struct rib_table *t,
	      const char *arg, struct show_walk *w)
{
	int family = t->family;
	char err[WP_PREFIX_ERRLEN] = "";
	enum rib_source src;

	if (arg == NULL) {
		wp_trie_walk(t->trie, NULL, show_walk_route, w);
	} else if (rib_source_parse(arg, &src) == 0) {
		w->proto = (int)src;
		wp_trie_walk(t->trie, NULL, show_walk_route, w);
	} else if (strchr(arg, '/')) {
		struct wp_prefix p;
		struct rib_dest *d;

		if (wp_prefix_parse_flags(arg, &p, WP_PREFIX_ALLOW_HOST_BITS |
					  (family == AF_INET ? WP_PREFIX_INET_ONLY
					   : WP_PREFIX_INET6_ONLY),
					  err, sizeof(err)) < 0) {
			wp_vty_out(ctx, "%% %s: %s\n", arg, err);
			return WP_VTY_ERR_NO_MATCH;
		}
		d = wp_trie_lookup_exact(t->trie, &p);
		if (d)
			show_walk_route(&d->p, d, w);
	} else {
		struct wp_addr a;
		struct wp_prefix m;
		struct rib_dest *d;

		if (wp_addr_parse(arg, &a, err, sizeof(err)) < 0 ||
		    (int)a.family != family) {
			wp_vty_out(ctx, "%% %s: %s\n", arg, err[0] ? err :
				   "wrong address family");
			return WP_VTY_ERR_NO_MATCH;
		}
		/* The route the kernel would use: longest selected match. */
		for (d = wp_trie_lookup_lpm(t->trie, &a, &m); d;
		     d = d->p.len ? wp_trie_lookup_parent(t->trie, &d->p, &m)
				  : NULL)
			if (rib_dest_selected(d)) {
				show_walk_route(&d->p, d, w);
				break;
			}
	}
	return WP_VTY_OK;
}

/* The argument after `show ip route [vrf NAME|all]`, NULL for none. */
static const char *
route_arg(int argc, const char *argv[], int first)
{
	if (argc <= first || strcmp(argv[first], "json") == 0)
		return NULL;
	return argv[first];
}

/*
 * A whole table walked in steps (wp_vty_continue()): a full table is
 * seconds of work, during which ribd would read no kernel event and
 * answer no client.  Each step resumes after the last prefix shown
 * (wp_trie_next()), so routes added or removed meanwhile are simply met
 * or not.
 */
struct route_steps {
	struct ribd *rib;
	int family;
	int proto;			/* only this source, -1 for all */
	bool json;
	bool started;			/* `last` is valid */
	struct wp_prefix last;
	size_t shown;			/* JSON members written */
};

static int
route_step(struct wp_vty_cmd_ctx *ctx, void *arg)
{
	struct route_steps *rs = arg;
	struct rib_table *t = rib_table_get(rs->rib, rs->family);
	double until = wp_monotime() + WP_VTY_STEP_BUDGET;
	unsigned int n = 0;
	struct wp_prefix p;
	void *val;

	while (wp_trie_next(t->trie, rs->started ? &rs->last : NULL, &p,
			    &val) == 0) {
		struct show_walk w = { .rib = rs->rib, .proto = rs->proto };
		json_object_iter it;

		rs->last = p;
		rs->started = true;
		w.top = json_object_new_object();
		show_walk_route(&p, val, &w);
		if (!rs->json)
			render_routes(ctx, w.top);
		else
			json_object_object_foreachC(w.top, it)
				wp_vty_json_obj_member(ctx, it.key,
						       json_object_get(it.val),
						       rs->shown++ == 0);
		json_object_put(w.top);
		if ((++n & 31) == 0 && wp_monotime() >= until)
			return WP_VTY_MORE;
	}
	if (rs->json)
		wp_vty_json_obj_end(ctx, rs->shown == 0);
	return WP_VTY_OK;
}

/*
 * show ip route [PREFIX|ADDRESS|PROTOCOL]: the default VRF.
 */
static int
show_route_common(struct wp_vty_cmd_ctx *ctx, int family, int argc,
		  const char *argv[], bool json)
{
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	struct show_walk w = { .rib = rib, .proto = -1 };
	const char *arg = route_arg(argc, argv, 3);
	enum rib_source src;
	struct route_steps *rs;
	int rc;

	/* The whole table, or one source of it: in steps. */
	if (arg == NULL || rib_source_parse(arg, &src) == 0) {
		rs = wp_calloc(MT_TMP, sizeof(*rs));
		rs->rib = rib;
		rs->family = family;
		rs->proto = arg ? (int)src : -1;
		rs->json = json;
		if (json)
			wp_vty_json_obj_begin(ctx);
		else
			print_codes(ctx);
		wp_vty_continue(ctx, route_step, rs, wp_vty_free_tmp);
		return WP_VTY_OK;
	}
	w.top = json_object_new_object();
	rc = route_collect(ctx, rib_table_get(rib, family), arg, &w);
	if (rc != WP_VTY_OK) {
		json_object_put(w.top);
		return rc;
	}
	if (json) {
		wp_vty_json(ctx, w.top);
		return WP_VTY_OK;
	}
	if (arg == NULL || w.proto >= 0)
		print_codes(ctx);
	else if (json_object_object_length(w.top) == 0)
		wp_vty_out(ctx, "%% Network not in table\n");
	render_routes(ctx, w.top);
	json_object_put(w.top);
	return WP_VTY_OK;
}

/* A configured VRF without its device: are there statics of it? */
static bool
vrf_configured(const struct ribd *rib, const char *name)
{
	for (unsigned int i = 1; rib->conf && i < rib->conf->n_vrfs; i++)
		if (strcmp(rib->conf->vrfs[i], name) == 0)
			return true;
	return false;
}

/*
 * The statics of configured VRF `name` that wait for its device, as
 * routes that are neither selected nor installed, `pending`.  Only for
 * the whole table or `static`: they are in no table to look up.
 */
static json_object *
pending_routes(struct ribd *rib, const char *name, int family,
	       const char *arg)
{
	json_object *top = json_object_new_object();
	const struct rib_conf *c = rib->conf;
	char buf[WP_PREFIX_STRLEN];

	if (arg && strcmp(arg, "static") != 0)
		return top;
	for (unsigned int i = 0; c && i < c->n_statics; i++) {
		const struct rib_static *s = &c->statics[i];
		json_object *arr, *o, *nhs;

		if (s->vrf == 0 || s->p.family != family ||
		    strcmp(c->vrfs[s->vrf], name) != 0)
			continue;
		wp_prefix_fmt(&s->p, buf, sizeof(buf));
		if (!json_object_object_get_ex(top, buf, &arr))
			arr = wp_json_add_array(top, buf);
		o = wp_json_array_add_object(arr);
		wp_json_add_str(o, "prefix", buf);
		wp_json_add_str(o, "protocol", "static");
		wp_json_add_bool(o, "selected", false);
		wp_json_add_bool(o, "destSelected", false);
		wp_json_add_int(o, "distance", s->distance);
		wp_json_add_uint64(o, "metric", 0);
		if (s->tag)
			wp_json_add_uint64(o, "tag", s->tag);
		wp_json_add_bool(o, "installed", false);
		wp_json_add_bool(o, "pending", true);
		wp_json_add_int(o, "table", 0);
		wp_json_add_str(o, "uptime", "00:00:00");
		nhs = wp_json_add_array(o, "nexthops");
		for (unsigned int k = 0; k < s->n_nh; k++) {
			const struct rib_static_nh *sn = &rib_static_nhs(s)[k];
			json_object *n = wp_json_array_add_object(nhs);

			if (sn->type == RIB_NH_BLACKHOLE ||
			    sn->type == RIB_NH_UNREACHABLE ||
			    sn->type == RIB_NH_PROHIBIT) {
				wp_json_add_bool(n, "unreachable", true);
				wp_json_add_str(n, "reject",
						rib_nh_type_name(sn->type));
			} else if (sn->type != RIB_NH_IFINDEX) {
				wp_json_add_str(n, "ip", wp_addr_fmt(&sn->gw,
						buf, sizeof(buf)));
				wp_json_add_str(n, "afi", sn->gw.family ==
						AF_INET ? "ipv4" : "ipv6");
			}
			if (sn->ifname[0])
				wp_json_add_str(n, "interfaceName", sn->ifname);
			if (sn->type == RIB_NH_IFINDEX)
				wp_json_add_bool(n, "directlyConnected", true);
			wp_json_add_bool(n, "active", false);
		}
	}
	return top;
}

/*
 * show ip route vrf NAME|all [PREFIX|ADDRESS|PROTOCOL]: one VRF as the
 * default's is shown; `all` as an object keyed by VRF name (FRR's form).
 * A configured VRF whose device is missing shows its pending statics.
 */
static int
show_route_vrf(struct wp_vty_cmd_ctx *ctx, int family, int argc,
	       const char *argv[], bool json)
{
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	const char *name = argc > 4 ? argv[4] : "";
	const char *arg = route_arg(argc, argv, 5);
	bool all = strcmp(name, "all") == 0;
	json_object *top = json_object_new_object();
	struct rib_vrf *v;

	if (!all && rib_vrf_by_name(rib, name) == NULL) {
		if (!vrf_configured(rib, name)) {
			json_object_put(top);
			wp_vty_out(ctx, "%% VRF %s does not exist\n", name);
			return WP_VTY_WARNING;
		}
		json_object_put(top);
		top = pending_routes(rib, name, family, arg);
	}
	RIB_VRF_FOREACH(rib, i, v) {
		struct show_walk w = { .rib = rib, .proto = -1 };
		int rc;

		if (!all && strcmp(v->name, name) != 0)
			continue;
		w.top = json_object_new_object();
		rc = route_collect(ctx, rib_vrf_table(v, family), arg, &w);
		if (rc != WP_VTY_OK) {
			json_object_put(w.top);
			json_object_put(top);
			return rc;
		}
		if (!all) {
			json_object_put(top);
			top = w.top;
			break;
		}
		json_object_object_add(top, v->name, w.top);
	}
	for (unsigned int i = 1; all && rib->conf && i < rib->conf->n_vrfs; i++)
		if (rib_vrf_by_name(rib, rib->conf->vrfs[i]) == NULL)
			json_object_object_add(top, rib->conf->vrfs[i],
					       pending_routes(rib,
						       rib->conf->vrfs[i],
						       family, arg));
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	if (arg == NULL || rib_source_parse(arg, &(enum rib_source){ 0 }) == 0)
		print_codes(ctx);
	if (!all) {
		render_routes(ctx, top);
	} else {
		json_object_iter it;

		json_object_object_foreachC(top, it) {
			wp_vty_out(ctx, "VRF %s:\n", it.key);
			render_routes(ctx, it.val);
			wp_vty_out(ctx, "\n");
		}
	}
	json_object_put(top);
	return WP_VTY_OK;
}

static int
show_ip_route(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	return show_route_common(ctx, AF_INET, argc, argv, json);
}

static int
show_ip_route_vrf(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		  bool json)
{
	return show_route_vrf(ctx, AF_INET, argc, argv, json);
}

static int
show_ipv6_route_vrf(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		    bool json)
{
	return show_route_vrf(ctx, AF_INET6, argc, argv, json);
}

static int
show_ipv6_route(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		bool json)
{
	return show_route_common(ctx, AF_INET6, argc, argv, json);
}

static int
show_route_summary(struct wp_vty_cmd_ctx *ctx, int family, bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Route Source", "type", WP_TABLE_LEFT },
		{ "Routes", "rib", WP_TABLE_RIGHT },
		{ "FIB", "fib", WP_TABLE_RIGHT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	struct show_walk w = { .rib = rib, .proto = -1 };
	json_object *top = json_object_new_object(), *arr;
	unsigned int total = 0, total_fib = 0;

	wp_trie_walk(rib_table_get(rib, family)->trie, NULL, show_walk_route,
		     &w);
	arr = wp_json_add_array(top, "routes");
	for (int i = 0; i < RIB_SRC_MAX; i++) {
		json_object *row;

		if (w.counts[i] == 0)
			continue;
		row = wp_json_array_add_object(arr);
		wp_json_add_str(row, "type", rib_sources[i].name);
		wp_json_add_uint64(row, "rib", w.counts[i]);
		wp_json_add_uint64(row, "fib", w.fib_counts[i]);
		total += w.counts[i];
		total_fib += w.fib_counts[i];
	}
	wp_json_add_uint64(top, "routesTotal", total);
	wp_json_add_uint64(top, "routesTotalFib", total_fib);
	wp_vty_show(ctx, top, arr, cols, 3, json);
	return WP_VTY_OK;
}

static int
show_ip_route_summary(struct wp_vty_cmd_ctx *ctx, int argc,
		      const char *argv[], bool json)
{
	return show_route_summary(ctx, AF_INET, json);
}

static int
show_ipv6_route_summary(struct wp_vty_cmd_ctx *ctx, int argc,
			const char *argv[], bool json)
{
	return show_route_summary(ctx, AF_INET6, json);
}

static json_object *
iface_json(struct ribd *rib, const struct rib_iface *ifp)
{
	json_object *o = json_object_new_object(), *arr;
	const struct rib_iface_conf *c = rib_conf_iface(rib->conf, ifp->name);
	char buf[WP_PREFIX_STRLEN];

	wp_json_add_str(o, "name", ifp->name);
	wp_json_add_int(o, "ifindex", ifp->ifindex);
	wp_json_add_str(o, "adminStatus", ifp->flags & IFF_UP ? "up" : "down");
	wp_json_add_str(o, "operStatus", rib_iface_is_up(ifp) ? "up" : "down");
	wp_json_add_str(o, "kind", ifp->kind[0] ? ifp->kind :
			(ifp->flags & IFF_LOOPBACK) ? "loopback" : "device");
	wp_json_add_uint64(o, "mtu", ifp->mtu);
	wp_json_add_str(o, "vrf", rib_vrf_of_iface(rib, ifp)->name);
	wp_json_add_strf(o, "macAddress", "%02x:%02x:%02x:%02x:%02x:%02x",
			 ifp->mac[0], ifp->mac[1], ifp->mac[2], ifp->mac[3],
			 ifp->mac[4], ifp->mac[5]);
	if (c && c->description[0])
		wp_json_add_str(o, "description", c->description);
	wp_json_add_uint64(o, "linkUpDownCount", ifp->up_changes);
	arr = wp_json_add_array(o, "addresses");
	for (struct rib_iface_addr *a = ifp->addrs; a; a = a->next)
		json_object_array_add(arr, json_object_new_string(
			wp_prefix_fmt(&a->prefix, buf, sizeof(buf))));
	return o;
}

static void
iface_text(struct wp_vty_cmd_ctx *ctx, json_object *o)
{
	json_object_iter it;

	json_object_object_foreachC(o, it) {
		if (json_object_is_type(it.val, json_type_array)) {
			size_t n = json_object_array_length(it.val);

			wp_vty_out(ctx, "  %s:\n", it.key);
			for (size_t i = 0; i < n; i++)
				wp_vty_out(ctx, "    %s\n", json_object_get_string(
					   json_object_array_get_idx(it.val, i)));
		} else {
			wp_vty_out(ctx, "  %s: %s\n", it.key,
				   json_object_get_string(it.val));
		}
	}
}

/* show interface [NAME|brief] [json] */
static int
show_interface(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	       bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Interface", "name", WP_TABLE_LEFT },
		{ "Status", "operStatus", WP_TABLE_LEFT },
		{ "VRF", "vrf", WP_TABLE_LEFT },
		{ "MTU", "mtu", WP_TABLE_RIGHT },
		{ "Addresses", "addressList", WP_TABLE_LEFT },
		{ "Description", "description", WP_TABLE_LEFT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	const char *name = argc > 2 ? argv[2] : NULL;
	json_object *top, *arr;

	if (name && (strcmp(name, "json") == 0 || strcmp(name, "brief") == 0))
		name = NULL;
	if (name) {
		struct rib_iface *ifp = rib_iface_by_name(rib, name);
		json_object *o;

		if (ifp == NULL) {
			wp_vty_out(ctx, "%% Interface %s does not exist\n", name);
			return WP_VTY_WARNING;	/* no such object */
		}
		o = iface_json(rib, ifp);
		if (json) {
			wp_vty_json(ctx, o);
			return WP_VTY_OK;
		}
		wp_vty_out(ctx, "Interface %s\n", ifp->name);
		iface_text(ctx, o);
		json_object_put(o);
		return WP_VTY_OK;
	}
	top = json_object_new_object();
	arr = wp_json_add_array(top, "interfaces");
	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next) {
		json_object *o;
		char list[512] = "";
		char buf[WP_PREFIX_STRLEN];

		if (!ifp->present)
			continue;
		o = iface_json(rib, ifp);
		if (!json) {
			for (struct rib_iface_addr *a = ifp->addrs; a; a = a->next) {
				if (list[0])
					strncat(list, " ", sizeof(list) - strlen(list) - 1);
				strncat(list, wp_prefix_fmt(&a->prefix, buf,
					sizeof(buf)), sizeof(list) - strlen(list) - 1);
			}
			wp_json_add_str(o, "addressList", list);
		}
		json_object_array_add(arr, o);
	}
	wp_json_array_sort_by(arr, "name");
	wp_vty_show(ctx, top, arr, cols, 6, json);
	return WP_VTY_OK;
}

/* show vrf: each VRF, its table, device, interfaces and route counts. */
static int
show_vrf(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	static const struct wp_table_col cols[] = {
		{ "VRF", "name", WP_TABLE_LEFT },
		{ "Table", "table", WP_TABLE_RIGHT },
		{ "Device", "deviceText", WP_TABLE_LEFT },
		{ "IPv4", "prefixesIpv4", WP_TABLE_RIGHT },
		{ "IPv6", "prefixesIpv6", WP_TABLE_RIGHT },
		{ "Pending", "pendingStaticRoutes", WP_TABLE_RIGHT },
		{ "Interfaces", "interfaceList", WP_TABLE_LEFT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object(), *arr;
	struct rib_vrf *v;

	arr = wp_json_add_array(top, "vrfs");
	RIB_VRF_FOREACH(rib, i, v) {
		json_object *o = wp_json_array_add_object(arr), *ifs;
		char list[256] = "";

		wp_json_add_str(o, "name", v->name);
		wp_json_add_uint64(o, "table", v->table_id);
		/* The vrf link, none for the default and plain tables. */
		if (v->ifindex)
			wp_json_add_int(o, "ifindex", v->ifindex);
		if (!json)
			wp_json_add_str(o, "deviceText", v->ifindex ?
					ifname_of(rib, v->ifindex) : "none");
		wp_json_add_bool(o, "device", v->ifindex != 0);
		wp_json_add_uint64(o, "prefixesIpv4",
				   wp_trie_count(v->tables[0]->trie));
		wp_json_add_uint64(o, "prefixesIpv6",
				   wp_trie_count(v->tables[1]->trie));
		wp_json_add_uint64(o, "clientReferences", v->refcnt);
		wp_json_add_uint64(o, "pendingStaticRoutes",
				   rib_static_pending(rib, v->name));
		ifs = wp_json_add_array(o, "interfaces");
		for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next) {
			if (!ifp->present || rib_vrf_of_iface(rib, ifp) != v ||
			    (int)ifp->ifindex == v->ifindex)
				continue;
			json_object_array_add(ifs,
					      json_object_new_string(ifp->name));
			if (list[0])
				strncat(list, " ", sizeof(list) - strlen(list) - 1);
			strncat(list, ifp->name, sizeof(list) - strlen(list) - 1);
		}
		if (!json)
			wp_json_add_str(o, "interfaceList", list);
	}
	/* Configured, no device yet: its statics wait. */
	for (unsigned int i = 1; rib->conf && i < rib->conf->n_vrfs; i++) {
		const char *name = rib->conf->vrfs[i];
		json_object *o;

		if (rib_vrf_by_name(rib, name))
			continue;
		o = wp_json_array_add_object(arr);
		wp_json_add_str(o, "name", name);
		if (!json)
			wp_json_add_str(o, "deviceText", "(missing)");
		wp_json_add_bool(o, "device", false);
		wp_json_add_uint64(o, "prefixesIpv4", 0);
		wp_json_add_uint64(o, "prefixesIpv6", 0);
		wp_json_add_uint64(o, "clientReferences", 0);
		wp_json_add_uint64(o, "pendingStaticRoutes",
				   rib_static_pending(rib, name));
		wp_json_add_array(o, "interfaces");
		if (!json)
			wp_json_add_str(o, "interfaceList", "");
	}
	wp_vty_show(ctx, top, arr, cols, 7, json);
	return WP_VTY_OK;
}

struct nhg_show {
	struct ribd *rib;
	json_object *arr;
};

static void
nhg_row(uint32_t id, unsigned int refcnt, const struct rib_knh *nh,
	unsigned int n, const uint32_t *members, void *arg)
{
	struct nhg_show *w = arg;
	json_object *row = wp_json_array_add_object(w->arr), *nhs;
	char buf[WP_ADDR_STRLEN], text[256] = "";

	wp_json_add_uint64(row, "id", id);
	wp_json_add_uint64(row, "refCount", refcnt);
	wp_json_add_str(row, "type", members ? "group" : "single");
	nhs = wp_json_add_array(row, "nexthops");
	for (unsigned int i = 0; i < n; i++) {
		json_object *o = wp_json_array_add_object(nhs);
		const char *ifn = ifname_of(w->rib, nh[i].ifindex);
		size_t len = strlen(text);

		if (members)
			wp_json_add_uint64(o, "id", members[i]);
		if (nh[i].gw.family)
			wp_json_add_str(o, "ip", wp_addr_fmt(&nh[i].gw, buf,
							     sizeof(buf)));
		if (ifn)
			wp_json_add_str(o, "interfaceName", ifn);
		if (members)
			wp_json_add_int(o, "weight", nh[i].weight ? nh[i].weight : 1);
		snprintf(text + len, sizeof(text) - len, "%s%s%s%s%s",
			 len ? ", " : "", nh[i].gw.family ? "via " : "",
			 nh[i].gw.family ? buf : "", nh[i].gw.family ? " " : "",
			 ifn ? ifn : "?");
	}
	wp_json_add_str(row, "summary", text);
}

/* show nexthop-group: the kernel nexthop objects routes share. */
static int
show_nexthop_group(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		   bool json)
{
	static const struct wp_table_col cols[] = {
		{ "ID", "id", WP_TABLE_RIGHT },
		{ "Type", "type", WP_TABLE_LEFT },
		{ "Routes", "refCount", WP_TABLE_RIGHT },
		{ "Nexthops", "summary", WP_TABLE_LEFT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object();
	struct nhg_show w = { rib, wp_json_add_array(top, "nexthopGroups") };

	wp_json_add_bool(top, "kernelNexthopObjects",
			 rib->kernel && rib_kernel_nhobj(rib->kernel));
	if (rib->kernel)
		rib_kernel_nhg_foreach(rib->kernel, nhg_row, &w);
	wp_json_array_sort_by(w.arr, "id");
	wp_vty_show(ctx, top, w.arr, cols, 4, json);
	return WP_VTY_OK;
}

/* show rib summary: every table, per source: routes, selected, in FIB. */
static int
show_rib_summary(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		 bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Family", "family", WP_TABLE_LEFT },
		{ "Source", "source", WP_TABLE_LEFT },
		{ "Routes", "routes", WP_TABLE_RIGHT },
		{ "FIB", "fib", WP_TABLE_RIGHT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object(), *arr, *au, *vrfs;

	struct rib_vrf *v;

	/* "sources" sums every VRF; "vrfs" breaks it down. */
	arr = wp_json_add_array(top, "sources");
	vrfs = wp_json_add_object(top, "vrfs");
	for (int f = 0; f < 2; f++) {
		unsigned int counts[RIB_SRC_MAX] = { 0 }, fib[RIB_SRC_MAX] = { 0 };

		RIB_VRF_FOREACH(rib, n, v) {
			struct show_walk w = { .rib = rib, .proto = -1 };
			json_object *vo, *va;

			wp_trie_walk(v->tables[f]->trie, NULL, show_walk_route,
				     &w);
			if (!json_object_object_get_ex(vrfs, v->name, &vo)) {
				vo = wp_json_add_object(vrfs, v->name);
				wp_json_add_uint64(vo, "table", v->table_id);
				wp_json_add_array(vo, "sources");
			}
			json_object_object_get_ex(vo, "sources", &va);
			for (int i = 0; i < RIB_SRC_MAX; i++) {
				json_object *row;

				counts[i] += w.counts[i];
				fib[i] += w.fib_counts[i];
				if (w.counts[i] == 0)
					continue;
				row = wp_json_array_add_object(va);
				wp_json_add_str(row, "family", f ? "ipv6" : "ipv4");
				wp_json_add_str(row, "source", rib_sources[i].name);
				wp_json_add_uint64(row, "routes", w.counts[i]);
				wp_json_add_uint64(row, "fib", w.fib_counts[i]);
			}
		}
		for (int i = 0; i < RIB_SRC_MAX; i++) {
			json_object *row;

			if (counts[i] == 0)
				continue;
			row = wp_json_array_add_object(arr);
			wp_json_add_str(row, "family", f ? "ipv6" : "ipv4");
			wp_json_add_str(row, "source", rib_sources[i].name);
			wp_json_add_uint64(row, "routes", counts[i]);
			wp_json_add_uint64(row, "fib", fib[i]);
		}
	}
	wp_json_add_uint64(top, "installFailures", rib->stats.install_failures);
	au = wp_json_add_object(top, "audit");
	wp_json_add_uint64(au, "intervalSeconds", rib->audit_interval);
	wp_json_add_uint64(au, "runs", rib->stats.audits);
	wp_json_add_uint64(au, "lastDifferences", rib->stats.last_audit_diffs);
	wp_json_add_uint64(au, "totalDifferences", rib->stats.audit_diffs);
	wp_json_add_uint64(au, "repairs", rib->stats.audit_repairs);
	wp_json_add_uint64(au, "lastRun", (uint64_t)rib->stats.last_audit);
	wp_json_add_uint64(top, "kernelResyncs", rib->stats.resyncs);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_show(ctx, json_object_get(top), arr, cols, 4, false);
	if (json_object_object_length(vrfs) > 1) {
		json_object_iter it;

		json_object_object_foreachC(vrfs, it) {
			json_object *va;

			json_object_object_get_ex(it.val, "sources", &va);
			wp_vty_out(ctx, "\nVRF %s:\n", it.key);
			wp_vty_show(ctx, json_object_get(it.val), va, cols, 4,
				    false);
		}
	}
	wp_vty_out(ctx, "\nInstall failures: %" PRIu64 "\n"
		   "Kernel resyncs: %" PRIu64 "\n"
		   "Audit: every %u s, %" PRIu64 " runs, last found %u "
		   "differences, %" PRIu64 " repaired in all\n",
		   rib->stats.install_failures, rib->stats.resyncs,
		   rib->audit_interval, rib->stats.audits,
		   rib->stats.last_audit_diffs, rib->stats.audit_repairs);
	json_object_put(top);
	return WP_VTY_OK;
}

/* show rib-vs-kernel: audit now, list every difference, repair nothing. */
static int
show_rib_vs_kernel(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		   bool json)
{
	static const struct wp_table_col cols[] = {
		{ "VRF", "vrf", WP_TABLE_LEFT },
		{ "Prefix", "prefix", WP_TABLE_LEFT },
		{ "Difference", "kind", WP_TABLE_LEFT },
		{ "RIB", "rib", WP_TABLE_LEFT },
		{ "Kernel", "kernel", WP_TABLE_LEFT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	struct rib_audit_diff *diffs, *d;
	json_object *top = json_object_new_object(), *arr;
	char buf[WP_PREFIX_STRLEN];
	unsigned int n;

	diffs = rib_audit(rib, &n);
	wp_json_add_uint64(top, "differences", n);
	arr = wp_json_add_array(top, "routes");
	for (d = diffs; d; d = d->next) {
		json_object *row = wp_json_array_add_object(arr);
		struct rib_vrf *v = rib_vrf_by_table(rib, d->table);

		if (v)
			wp_json_add_str(row, "vrf", v->name);
		else
			wp_json_add_strf(row, "vrf", "table-%u", d->table);
		wp_json_add_uint64(row, "table", d->table);
		wp_json_add_str(row, "prefix", wp_prefix_fmt(&d->p, buf,
							     sizeof(buf)));
		wp_json_add_str(row, "kind", d->kind);
		wp_json_add_str(row, "rib", d->rib);
		wp_json_add_str(row, "kernel", d->kernel);
	}
	rib_audit_free(diffs);
	if (!json && n == 0) {
		json_object_put(top);
		wp_vty_out(ctx, "RIB and kernel agree.\n");
		return WP_VTY_OK;
	}
	wp_vty_show(ctx, top, arr, cols, 5, json);
	return WP_VTY_OK;
}

static int
show_rib_stats(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	       bool json)
{
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object(), *k;
	struct rib_kernel_stats ks = { 0 };

	wp_json_add_uint64(top, "destsProcessed", rib->stats.processed);
	wp_json_add_uint64(top, "installs", rib->stats.installs);
	wp_json_add_uint64(top, "deletes", rib->stats.deletes);
	wp_json_add_uint64(top, "installFailures", rib->stats.install_failures);
	wp_json_add_uint64(top, "ecmpMaximum", rib->ecmp_max);
	if (rib->kernel)
		rib_kernel_get_stats(rib->kernel, &ks);
	k = wp_json_add_object(top, "kernel");
	wp_json_add_uint64(k, "requestsSent", ks.sent);
	wp_json_add_uint64(k, "acked", ks.acked);
	wp_json_add_uint64(k, "failed", ks.failed);
	wp_json_add_uint64(k, "batches", ks.batches);
	wp_json_add_uint64(k, "events", ks.events);
	wp_json_add_uint64(k, "resyncs", ks.resyncs);
	wp_json_add_bool(k, "ownEchoesFiltered", ks.echo_filter);
	wp_json_add_uint64(k, "nexthopObjectsCreated", ks.nhg_created);
	wp_json_add_uint64(k, "nexthopObjectsDeleted", ks.nhg_deleted);
	wp_json_add_uint64(k, "nexthopObjectsLostWithLink", ks.nhg_lost);
	wp_json_add_uint64(k, "pending", rib->kernel ?
			   rib_kernel_pending(rib->kernel) : 0);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, "%s\n", json_object_to_json_string_ext(top,
		   JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	json_object_put(top);
	return WP_VTY_OK;
}

int
rib_show_install(struct wp_vty *vty, struct ribd **ribp)
{
#define IP_STR		"IP information\n"
#define IPV6_STR	"IPv6 information\n"
#define ROUTE_STR	"Routing table\n"
#define VRF_STR		"A VRF\nIts name (a vrf device, \"table-N\" or " \
			"\"default\")\nEvery VRF\n"
#define PROTO_ALT	"(kernel|connected|static|bgp|ospf|ospf6|isis|rip)"
#define PROTO_HELP	"Kernel routes of other programs\n" \
			"Connected routes\nStatic routes\nBGP routes\n" \
			"OSPF routes\nOSPFv3 routes\nIS-IS routes\nRIP routes\n"
	static const struct {
		const char *tmpl;
		const char *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "show ip route [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR WP_JSON_STR, show_ip_route },
		{ "show ip route A.B.C.D [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR "The route this address uses\n"
		  WP_JSON_STR, show_ip_route },
		{ "show ip route A.B.C.D/M [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR "This prefix exactly\n"
		  WP_JSON_STR, show_ip_route },
		{ "show ip route " PROTO_ALT " [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR PROTO_HELP WP_JSON_STR,
		  show_ip_route },
		{ "show ip route vrf (VRF|all) [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR VRF_STR WP_JSON_STR,
		  show_ip_route_vrf },
		{ "show ip route vrf (VRF|all) A.B.C.D [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR VRF_STR
		  "The route this address uses\n" WP_JSON_STR,
		  show_ip_route_vrf },
		{ "show ip route vrf (VRF|all) A.B.C.D/M [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR VRF_STR "This prefix exactly\n"
		  WP_JSON_STR, show_ip_route_vrf },
		{ "show ip route vrf (VRF|all) " PROTO_ALT " [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR VRF_STR PROTO_HELP WP_JSON_STR,
		  show_ip_route_vrf },
		{ "show ip route summary [json]",
		  WP_SHOW_STR IP_STR ROUTE_STR "Route counts per source\n"
		  WP_JSON_STR, show_ip_route_summary },
		{ "show ipv6 route [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR WP_JSON_STR, show_ipv6_route },
		{ "show ipv6 route X:X::X:X [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR "The route this address uses\n"
		  WP_JSON_STR, show_ipv6_route },
		{ "show ipv6 route X:X::X:X/M [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR "This prefix exactly\n"
		  WP_JSON_STR, show_ipv6_route },
		{ "show ipv6 route " PROTO_ALT " [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR PROTO_HELP WP_JSON_STR,
		  show_ipv6_route },
		{ "show ipv6 route vrf (VRF|all) [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR VRF_STR WP_JSON_STR,
		  show_ipv6_route_vrf },
		{ "show ipv6 route vrf (VRF|all) X:X::X:X [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR VRF_STR
		  "The route this address uses\n" WP_JSON_STR,
		  show_ipv6_route_vrf },
		{ "show ipv6 route vrf (VRF|all) X:X::X:X/M [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR VRF_STR "This prefix exactly\n"
		  WP_JSON_STR, show_ipv6_route_vrf },
		{ "show ipv6 route vrf (VRF|all) " PROTO_ALT " [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR VRF_STR PROTO_HELP WP_JSON_STR,
		  show_ipv6_route_vrf },
		{ "show ipv6 route summary [json]",
		  WP_SHOW_STR IPV6_STR ROUTE_STR "Route counts per source\n"
		  WP_JSON_STR, show_ipv6_route_summary },
		{ "show interface [json]",
		  WP_SHOW_STR "Interface status and configuration\n"
		  WP_JSON_STR, show_interface },
		{ "show interface brief [json]",
		  WP_SHOW_STR "Interface status and configuration\n"
		  "One line per interface\n" WP_JSON_STR, show_interface },
		{ "show interface WORD [json]",
		  WP_SHOW_STR "Interface status and configuration\n"
		  "Interface name\n" WP_JSON_STR, show_interface },
		{ "show vrf [json]",
		  WP_SHOW_STR "VRFs: tables, devices, interfaces, routes\n"
		  WP_JSON_STR, show_vrf },
		{ "show rib summary [json]",
		  WP_SHOW_STR "RIB manager\n" "Routes per source, audit and "
		  "resync counters\n" WP_JSON_STR, show_rib_summary },
		{ "show rib statistics [json]",
		  WP_SHOW_STR "RIB manager\n" "Work queue and kernel "
		  "programming counters\n" WP_JSON_STR, show_rib_stats },
		{ "show nexthop-group [json]",
		  WP_SHOW_STR "Kernel nexthop objects shared by routes\n"
		  WP_JSON_STR, show_nexthop_group },
		{ "show rib-vs-kernel [json]",
		  WP_SHOW_STR "Compare the RIB's selected routes with the "
		  "kernel FIB now\n" WP_JSON_STR, show_rib_vs_kernel },
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install_arg(vty, cmds[i].tmpl, cmds[i].help,
				       cmds[i].fn, ribp) < 0) {
			wp_log_errx("ribd: cannot install \"%s\"", cmds[i].tmpl);
			return -1;
		}
	return 0;
}
