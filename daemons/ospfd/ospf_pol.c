/*
 * ospf_pol.c: what the configured policy does to the routes ospfd hands
 * to ribd and to the summaries an area border router originates, as
 * pure functions (ospf_rib.c and ospf_area.c ask them, the unit tests
 * check them directly):
 *
 *   - `distance ospf intra-area N inter-area N external N`: the
 *     administrative distance of a route by its path type (RFC 2328 §11);
 *     a type not given takes `distance` (110 by default);
 *   - `area A filter-list prefix NAME out`: the type-3 summary-LSAs
 *     originated from area A's routes and ranges into the other areas
 *     (§12.4.3) go through prefix list NAME; `in`: those originated into
 *     area A.  A denied prefix is not summarised, so a summary already
 *     in the database is flushed on the next origination.  A list that
 *     is not defined filters nothing (FRR's behaviour);
 *   - `area A export-list NAME` / `import-list NAME`: the same with
 *     access list NAME, on the same summaries (FRR's older form of
 *     filter-list out / in).  Both kinds apply when both are given;
 *   - `distribute-list NAME out SOURCE`: the routes of SOURCE go
 *     through access list NAME before `redistribute ... route-map`; a
 *     denied route is not announced (§12.4.4 leaves the choice of
 *     external routes to configuration).  A list that is not defined
 *     denies every route of SOURCE (as FRR, and as an undefined route
 *     map does);
 *   - discard routes for area ranges: an area border router that
 *     advertises a range (§12.4.3: active, that is covering at least one
 *     intra-area route of its area, and not `not-advertise`) sends ribd a
 *     blackhole for the range's prefix, so traffic to the parts of the
 *     range no route covers is dropped here rather than sent back along
 *     a less specific route (a loop).  Only where the routing table has
 *     no route of its own for the exact prefix.
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"

uint8_t
ospf_route_distance(uint8_t def, const uint8_t *distance_type,
		    enum ospf_path_type t)
{
	uint8_t d;

	switch (t) {
	case OSPF_PATH_INTRA:
		d = distance_type[OSPF_DIST_INTRA];
		break;
	case OSPF_PATH_INTER:
		d = distance_type[OSPF_DIST_INTER];
		break;
	default:
		d = distance_type[OSPF_DIST_EXT];
		break;
	}
	return d ? d : def;
}

/* Does prefix list (acl: access list) `name` permit addr/mask?  No name,
 * or an undefined list: yes. */
static bool
list_permits(struct wp_policy *pol, const char *name, bool acl,
	     uint32_t addr, uint32_t mask)
{
	struct wp_prefix p;

	if (name[0] == '\0' || pol == NULL ||
	    (acl ? wp_acl_find(pol, AF_INET, name) == NULL :
		   wp_plist_find(pol, AF_INET, name) == NULL))
		return true;
	ospf_prefix_v4(&p, addr & mask, ospf_mask2plen(mask));
	return acl ? wp_acl_permits(pol, name, &p) :
		     wp_plist_permits(pol, name, &p);
}

bool
ospf_area_filter_permits(const struct ospf_area_conf *from,
			 const struct ospf_area_conf *into, uint32_t addr,
			 uint32_t mask)
{
	return list_permits(from->policy, from->filter_out, false, addr,
			    mask) &&
	       list_permits(into->policy, into->filter_in, false, addr,
			    mask) &&
	       list_permits(from->policy, from->export_list, true, addr,
			    mask) &&
	       list_permits(into->policy, into->import_list, true, addr,
			    mask);
}

bool
ospf_distribute_permits(struct ospf_conf *c, enum ospf_redist_src src,
			const struct wp_prefix *p)
{
	const char *name = c->distribute[src];

	return name[0] == '\0' || wp_acl_permits(&c->policy, name, p);
}

struct discard_walk {
	uint32_t area;
	bool hit;
	uint32_t cost;
};

static int
discard_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct discard_walk *dw = arg;
	const struct ospf_route *rt = val;

	(void)p;
	if (rt->type == OSPF_PATH_INTRA && rt->area == dw->area &&
	    rt->cost < OSPF_LS_INFINITY) {
		dw->hit = true;
		if (rt->cost > dw->cost)
			dw->cost = rt->cost;
	}
	return 0;
}

void
ospf_discard_wants(const struct ospf_rtable *rt,
		   const struct ospf_area_conf *confs, size_t n,
		   struct ospf_want_list *out)
{
	for (size_t i = 0; i < n; i++) {
		for (unsigned int j = 0; j < confs[i].n_ranges; j++) {
			const struct ospf_range_conf *r = &confs[i].ranges[j];
			struct discard_walk dw = { .area = confs[i].id };
			struct ospf_want w = { .type = OSPF_LSA_SUMMARY };
			struct wp_prefix p;

			if (r->not_advertise)
				continue;
			ospf_prefix_v4(&p, r->addr, ospf_mask2plen(r->mask));
			wp_trie_walk(rt->routes, &p, discard_cb, &dw);
			if (!dw.hit || wp_trie_lookup_exact(rt->routes, &p))
				continue;
			w.id = r->addr;
			w.mask = r->mask;
			w.metric = r->cost_set ? r->cost : dw.cost;
			ospf_want_push(out, &w);
		}
	}
}
