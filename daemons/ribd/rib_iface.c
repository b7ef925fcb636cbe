/*
 * rib_iface.c: interfaces and addresses as the kernel reports them, the
 * connected routes they imply, kernel routes of other owners, and the
 * interface configuration ribd applies (`interface IF` / `ip address`).
 *
 * The kernel is the source of truth for what exists; configuration says
 * what should exist and is (re)applied whenever an interface appears or
 * the configuration changes.  A connected route exists while its
 * interface is operative (admin up and carrier), as in FRR's zebra, in
 * the VRF of the interface (its master's when that is a `vrf` link): a
 * change of master moves its connected routes.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <string.h>

#include "rib_conf.h"
#include "ribd.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_RIB_IFACE, "interface");
WP_MEMTYPE_DEFINE(MT_RIB_IFADDR, "interface address");

struct rib_iface *
rib_iface_by_index(struct ribd *rib, int ifindex)
{
	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next)
		if (ifp->ifindex == ifindex && ifp->present)
			return ifp;
	return NULL;
}

struct rib_iface *
rib_iface_by_name(struct ribd *rib, const char *name)
{
	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next)
		if (ifp->present && strcmp(ifp->name, name) == 0)
			return ifp;
	return NULL;
}

bool
rib_iface_is_up(const struct rib_iface *ifp)
{
	return ifp->present && (ifp->flags & IFF_UP) &&
	       (ifp->flags & IFF_RUNNING);
}

static void
connected_prefix(const struct rib_iface_addr *a, struct wp_prefix *p)
{
	*p = a->prefix;
	wp_prefix_mask(p);
}

static bool
addr_skip(const struct rib_iface_addr *a)
{
	/* IPv6 link-local routes are per interface, not forwarding state
	 * anyone redistributes; the kernel keeps fe80::/64 on its own. */
	return a->prefix.family == AF_INET6 && a->prefix.u.bytes[0] == 0xfe &&
	       (a->prefix.u.bytes[1] & 0xc0) == 0x80;
}

static void
connected_add(struct ribd *rib, struct rib_vrf *vrf, struct rib_iface *ifp,
	      const struct rib_iface_addr *a)
{
	struct rib_route *rt;
	struct wp_prefix p;

	if (addr_skip(a))
		return;
	connected_prefix(a, &p);
	rt = rib_route_new(RIB_SRC_CONNECTED, (uint32_t)ifp->ifindex, 0, 1);
	rt->nh[0].type = RIB_NH_IFINDEX;
	rt->nh[0].ifindex = ifp->ifindex;
	rib_route_add_vrf(rib, vrf, &p, rt);
}

static void
connected_del(struct ribd *rib, struct rib_vrf *vrf, struct rib_iface *ifp,
	      const struct rib_iface_addr *a)
{
	struct wp_prefix p, q;

	connected_prefix(a, &p);
	/* Another address of the interface may still cover the subnet. */
	for (struct rib_iface_addr *o = ifp->addrs; o; o = o->next) {
		if (o == a)
			continue;
		connected_prefix(o, &q);
		if (wp_prefix_eq(&p, &q))
			return;
	}
	rib_route_del_vrf(rib, vrf, &p, RIB_SRC_CONNECTED,
			  (uint32_t)ifp->ifindex);
}

static void
connected_sync(struct ribd *rib, struct rib_vrf *vrf, struct rib_iface *ifp,
	       bool up)
{
	for (struct rib_iface_addr *a = ifp->addrs; a; a = a->next) {
		if (up)
			connected_add(rib, vrf, ifp, a);
		else
			connected_del(rib, vrf, ifp, a);
	}
}

static struct rib_iface *
iface_get(struct ribd *rib, int ifindex)
{
	struct rib_iface *ifp;

	for (ifp = rib->ifaces; ifp; ifp = ifp->next)
		if (ifp->ifindex == ifindex)
			return ifp;
	ifp = wp_calloc(MT_RIB_IFACE, sizeof(*ifp));
	ifp->ifindex = ifindex;
	ifp->next = rib->ifaces;
	rib->ifaces = ifp;
	return ifp;
}

static void
iface_free(struct rib_iface *ifp)
{
	struct rib_iface_addr *a, *next;

	for (a = ifp->addrs; a; a = next) {
		next = a->next;
		wp_free(MT_RIB_IFADDR, a);
	}
	wp_free(MT_RIB_IFACE, ifp);
}

void
rib_iface_free_all(struct ribd *rib)
{
	struct rib_iface *ifp, *next;

	for (ifp = rib->ifaces; ifp; ifp = next) {
		next = ifp->next;
		iface_free(ifp);
	}
	rib->ifaces = NULL;
}

/*
 * The operative members of `vrf` link `master` move their connected
 * routes from one VRF to the other: the link is reported after them (a
 * dump goes by ifindex), or goes before the kernel reports them released.
 */
static void
members_move(struct ribd *rib, const struct rib_iface *master,
	     struct rib_vrf *from, struct rib_vrf *to)
{
	if (from == to)
		return;
	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next)
		if (ifp->present && ifp != master &&
		    ifp->master == master->ifindex && rib_iface_is_up(ifp)) {
			connected_sync(rib, from, ifp, false);
			connected_sync(rib, to, ifp, true);
		}
}

static void
k_link(void *arg, enum rib_kaction act, const struct rib_klink *l)
{
	struct ribd *rib = arg;
	struct rib_iface *ifp = iface_get(rib, l->ifindex);
	bool was_up = rib_iface_is_up(ifp), appeared = !ifp->present;
	struct rib_vrf *old_vrf = rib_vrf_of_iface(rib, ifp), *vrf;

	if (act == RIB_KACT_DEL) {
		if (was_up)
			connected_sync(rib, old_vrf, ifp, false);
		wp_log_info("interface %s removed", ifp->name);
		ifp->present = false;
		ifp->flags = 0;
		rib_requeue_nexthops(rib, 0);
		if (rib->hooks && rib->hooks->iface)
			rib->hooks->iface(rib, ifp, true);
		if (strcmp(ifp->kind, "vrf") == 0) {
			struct rib_klink vl = *l;

			members_move(rib, ifp, old_vrf, rib_vrf_default(rib));
			snprintf(vl.kind, sizeof(vl.kind), "vrf");
			vl.vrf_table = ifp->vrf_table;
			rib_vrf_link(rib, &vl, true);
		}
		return;
	}
	snprintf(ifp->name, sizeof(ifp->name), "%s", l->name);
	snprintf(ifp->kind, sizeof(ifp->kind), "%s", l->kind);
	ifp->flags = l->flags;
	ifp->mtu = l->mtu;
	ifp->master = l->master;
	ifp->vrf_table = l->vrf_table;
	memcpy(ifp->mac, l->mac, sizeof(ifp->mac));
	ifp->present = true;
	ifp->gen = rib->gen;
	rib_vrf_link(rib, l, false);
	if (appeared && strcmp(ifp->kind, "vrf") == 0)
		members_move(rib, ifp, rib_vrf_default(rib),
			     rib_vrf_of_iface(rib, ifp));
	vrf = rib_vrf_of_iface(rib, ifp);
	if (vrf != old_vrf && was_up && rib_iface_is_up(ifp)) {
		/* Enslaved to a VRF or released: its subnets move. */
		wp_log_info("interface %s: vrf %s -> %s", ifp->name,
			    old_vrf->name, vrf->name);
		connected_sync(rib, old_vrf, ifp, false);
		connected_sync(rib, vrf, ifp, true);
		rib_requeue_nexthops(rib, 0);
	}
	if (appeared) {
		rib_iface_apply_conf(rib, ifp);
		/* Static routes naming it by name can resolve now. */
		rib_static_reapply(rib, ifp->name);
	}
	if (rib_iface_is_up(ifp) != was_up) {
		ifp->up_changes++;
		ifp->last_change = time(NULL);
		wp_log_info("interface %s is %s", ifp->name,
			    rib_iface_is_up(ifp) ? "up" : "down");
		connected_sync(rib, was_up ? old_vrf : vrf, ifp,
			       rib_iface_is_up(ifp));
		rib_requeue_nexthops(rib, 0);
	}
	if (rib->hooks && rib->hooks->iface)
		rib->hooks->iface(rib, ifp, false);
}

static void
k_addr(void *arg, enum rib_kaction act, const struct rib_kaddr *ka)
{
	struct ribd *rib = arg;
	struct rib_iface *ifp = iface_get(rib, ka->ifindex);
	struct rib_iface_addr **pp, *a;

	for (pp = &ifp->addrs; *pp; pp = &(*pp)->next)
		if (wp_prefix_eq(&(*pp)->prefix, &ka->prefix) &&
		    memcmp(&(*pp)->prefix.u, &ka->prefix.u,
			   sizeof(ka->prefix.u)) == 0)
			break;
	a = *pp;
	if (act == RIB_KACT_NEW) {
		if (a) {
			a->gen = rib->gen;
			return;
		}
		a = wp_calloc(MT_RIB_IFADDR, sizeof(*a));
		a->prefix = ka->prefix;
		a->gen = rib->gen;
		a->next = ifp->addrs;
		ifp->addrs = a;
		if (rib_iface_is_up(ifp))
			connected_add(rib, rib_vrf_of_iface(rib, ifp), ifp, a);
		if (rib->hooks && rib->hooks->addr)
			rib->hooks->addr(rib, ifp, &a->prefix, false);
		return;
	}
	if (a == NULL)
		return;
	if (rib_iface_is_up(ifp))
		connected_del(rib, rib_vrf_of_iface(rib, ifp), ifp, a);
	if (rib->hooks && rib->hooks->addr)
		rib->hooks->addr(rib, ifp, &a->prefix, true);
	*pp = a->next;
	wp_free(MT_RIB_IFADDR, a);
}

/* Routes other programs put in a VRF's table are `kernel` routes. */
static void
kernel_route(struct ribd *rib, struct rib_vrf *vrf, enum rib_kaction act,
	     const struct rib_kroute *kr)
{
	struct rib_route *rt;

	if (kr->protocol == RTPROT_KERNEL)
		return;
	for (int i = 0; i < RIB_SRC_MAX; i++)
		if (rib_sources[i].rtprot == kr->protocol)
			return;
	if (act == RIB_KACT_DEL) {
		rib_route_del_vrf(rib, vrf, &kr->dst, RIB_SRC_KERNEL,
				  kr->metric);
		return;
	}
	rt = rib_route_new(RIB_SRC_KERNEL, kr->metric, 0,
			   kr->n_nh ? kr->n_nh : 1);
	rt->metric = kr->metric;
	rt->gen = rib->gen;
	if (kr->type == RIB_KTYPE_BLACKHOLE)
		rt->nh[0].type = RIB_NH_BLACKHOLE;
	else if (kr->type == RIB_KTYPE_UNREACHABLE)
		rt->nh[0].type = RIB_NH_UNREACHABLE;
	else if (kr->type == RIB_KTYPE_PROHIBIT)
		rt->nh[0].type = RIB_NH_PROHIBIT;
	else
		for (unsigned int i = 0; i < kr->n_nh; i++) {
			struct rib_nh *nh = &rt->nh[i];

			nh->ifindex = kr->nh[i].ifindex;
			nh->gw = kr->nh[i].gw;
			nh->weight = kr->nh[i].weight;
			nh->type = nh->gw.family ? RIB_NH_GW_IF : RIB_NH_IFINDEX;
			nh->onlink = true;
		}
	rib_route_add_vrf(rib, vrf, &kr->dst, rt);
}

static void
k_route(void *arg, enum rib_kaction act, const struct rib_kroute *kr)
{
	struct ribd *rib = arg;
	struct rib_vrf *vrf;

	rib_kernel_route_seen(rib, act, kr);
	vrf = rib_vrf_by_table(rib, kr->table);
	if (vrf)
		kernel_route(rib, vrf, act, kr);
}

struct learn_ctx {
	struct ribd *rib;
	struct rib_vrf *vrf;
};

static void
learn_one(void *arg, const struct rib_kroute *kr)
{
	struct learn_ctx *lc = arg;

	if (kr->table == lc->vrf->table_id)
		kernel_route(lc->rib, lc->vrf, RIB_KACT_NEW, kr);
}

/* A new VRF: what other programs already put in its table.  Only that
 * table is read: with a million routes in main, a full dump blocked the
 * loop for a second or two per VRF. */
void
rib_vrf_learn_kernel(struct ribd *rib, struct rib_vrf *vrf)
{
	struct learn_ctx lc = { rib, vrf };
	uint32_t t = vrf->table_id;

	if (rib->dry_run || rib->kernel == NULL)
		return;
	if (rib_kernel_dump_table(rib->kernel, AF_INET, t, learn_one, &lc) <
		    0 ||
	    rib_kernel_dump_table(rib->kernel, AF_INET6, t, learn_one, &lc) <
		    0)
		wp_log_warnx("rib: vrf %s: cannot read table %u", vrf->name,
			     vrf->table_id);
}

/*
 * Notifications were lost.  Mark and sweep: every object the dump that
 * follows reports gets the new generation; what keeps an older one
 * vanished while we were deaf and is removed.  Then an audit makes the
 * kernel hold exactly our selected routes again.
 */
static void
k_resync(void *arg)
{
	struct ribd *rib = arg;

	rib->gen++;
	rib->stats.resyncs++;
}

struct kgone {
	struct wp_prefix p[64];
	uint32_t metric[64];
	unsigned int n;
	uint32_t gen;
};

static int
kernel_routes_gone(const struct wp_prefix *p, void *val, void *arg)
{
	struct rib_dest *d = val;
	struct kgone *g = arg;

	for (struct rib_route *rt = d->routes; rt; rt = rt->next)
		if (rt->source == RIB_SRC_KERNEL && rt->gen != g->gen &&
		    g->n < 64) {
			g->p[g->n] = *p;
			g->metric[g->n++] = rt->instance;
		}
	return g->n == 64;	/* stop when full; the caller loops */
}

static void
k_resync_done(void *arg)
{
	struct ribd *rib = arg;
	struct rib_iface *ifp;

	for (ifp = rib->ifaces; ifp; ifp = ifp->next) {
		struct rib_iface_addr **pp = &ifp->addrs, *a;

		if (!ifp->present)
			continue;
		if (ifp->gen != rib->gen) {
			struct rib_klink l = { .ifindex = ifp->ifindex };

			rib->stats.resync_removed++;
			k_link(rib, RIB_KACT_DEL, &l);
			continue;
		}
		while ((a = *pp) != NULL) {
			if (a->gen == rib->gen) {
				pp = &a->next;
				continue;
			}
			rib->stats.resync_removed++;
			if (rib_iface_is_up(ifp))
				connected_del(rib, rib_vrf_of_iface(rib, ifp),
					      ifp, a);
			*pp = a->next;
			wp_free(MT_RIB_IFADDR, a);
		}
	}
	for (unsigned int n = 0; n < RIB_VRF_MAX; n++)
		for (int fam = 0; rib->vrfs[n] && fam < 2; fam++) {
			struct rib_vrf *vrf = rib->vrfs[n];
			struct kgone g;

			do {
				g.n = 0;
				g.gen = rib->gen;
				wp_trie_walk(vrf->tables[fam]->trie, NULL,
					     kernel_routes_gone, &g);
				for (unsigned int i = 0; i < g.n; i++) {
					rib->stats.resync_removed++;
					rib_route_del_vrf(rib, vrf, &g.p[i],
							  RIB_SRC_KERNEL,
							  g.metric[i]);
				}
			} while (g.n == 64);
		}
	rib_process_all(rib);
	wp_log_info("kernel resync done: %" PRIu64 " objects had vanished",
		    rib->stats.resync_removed);
	rib_audit_repair(rib);
}

const struct rib_kernel_ops rib_kernel_ops = {
	.link = k_link,
	.addr = k_addr,
	.route = k_route,
	.result = rib_kernel_result,
	.resync = k_resync,
	.resync_done = k_resync_done,
	.nhg_lost = rib_kernel_nhg_lost,
};

/* --- configuration ---------------------------------------------------- */

static bool
iface_has_addr(const struct rib_iface *ifp, const struct wp_prefix *p)
{
	for (struct rib_iface_addr *a = ifp->addrs; a; a = a->next)
		if (a->prefix.len == p->len &&
		    memcmp(&a->prefix.u, &p->u, sizeof(p->u)) == 0 &&
		    a->prefix.family == p->family)
			return true;
	return false;
}

void
rib_iface_apply_conf(struct ribd *rib, struct rib_iface *ifp)
{
	const struct rib_iface_conf *c;
	char buf[WP_PREFIX_STRLEN];
	int err;

	if (rib->dry_run || rib->conf == NULL)
		return;
	c = rib_conf_iface(rib->conf, ifp->name);
	if (c == NULL)
		return;
	if (c->mtu && c->mtu != ifp->mtu) {
		err = rib_kernel_link_set_mtu(rib->kernel, ifp->ifindex, c->mtu);
		if (err < 0)
			wp_log_warnx("interface %s: mtu %u: %s", ifp->name,
				     c->mtu, nl_geterror(err));
	}
	for (unsigned int i = 0; i < c->n_addrs; i++) {
		if (iface_has_addr(ifp, &c->addrs[i]))
			continue;
		err = rib_kernel_addr_add(rib->kernel, ifp->ifindex,
					  &c->addrs[i]);
		if (err < 0 && err != -NLE_EXIST)
			wp_log_warnx("interface %s: address %s: %s", ifp->name,
				     wp_prefix_fmt(&c->addrs[i], buf, sizeof(buf)),
				     nl_geterror(err));
	}
	if (c->shutdown == !!(ifp->flags & IFF_UP)) {
		err = rib_kernel_link_set_up(rib->kernel, ifp->ifindex,
					     !c->shutdown);
		if (err < 0)
			wp_log_warnx("interface %s: %s: %s", ifp->name,
				     c->shutdown ? "shutdown" : "no shutdown",
				     nl_geterror(err));
	}
}

/* Addresses configured before and not any more are removed. */
void
rib_iface_unapply_addrs(struct ribd *rib, const struct rib_iface_conf *old,
			const struct rib_iface_conf *new)
{
	struct rib_iface *ifp = rib_iface_by_name(rib, old->name);

	if (ifp == NULL || rib->dry_run)
		return;
	for (unsigned int i = 0; i < old->n_addrs; i++) {
		bool keep = false;

		for (unsigned int j = 0; new && j < new->n_addrs; j++)
			if (wp_prefix_eq(&old->addrs[i], &new->addrs[j]) &&
			    memcmp(&old->addrs[i].u, &new->addrs[j].u,
				   sizeof(old->addrs[i].u)) == 0)
				keep = true;
		if (!keep && iface_has_addr(ifp, &old->addrs[i]))
			rib_kernel_addr_del(rib->kernel, ifp->ifindex,
					    &old->addrs[i]);
	}
}
