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
 *     is not defined filters nothing (FRR's behaviour).
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

static bool
plist_permits(struct wp_policy *pol, const char *name, uint32_t addr,
	      uint32_t mask)
{
	struct wp_prefix p;

	if (name[0] == '\0' || pol == NULL ||
	    wp_plist_find(pol, AF_INET, name) == NULL)
		return true;
	memset(&p, 0, sizeof(p));
	p.family = AF_INET;
	p.len = (uint8_t)ospf_mask2plen(mask);
	p.u.v4.s_addr = htonl(addr & mask);
	return wp_plist_permits(pol, name, &p);
}

bool
ospf_area_filter_permits(const struct ospf_area_conf *from,
			 const struct ospf_area_conf *into, uint32_t addr,
			 uint32_t mask)
{
	return plist_permits(from->policy, from->filter_out, addr, mask) &&
	       plist_permits(into->policy, into->filter_in, addr, mask);
}
