/*
 * rib_vrf.c: VRFs, each a kernel routing table with one RIB per family.
 *
 * A VRF is keyed by its kernel table.  The default VRF (table 254) always
 * exists.  Another one exists while something holds it:
 *  - a `vrf` link names the table (rib_iface.c reports links here): the
 *    VRF takes the link's name;
 *  - clients use the table (routes, redistribution subscriptions, nexthop
 *    registrations with a table other than 0/254): rib_vrf_ref(), a plain
 *    table without a device, named "table-N";
 *  - the configuration names it;
 *  - its tables still hold dests (routes a previous ribd left there until
 *    the sweep, deletions awaiting the kernel's answer).
 * Dests carry their VRF as an 8-bit index into rib->vrfs[] (rib_dest.vrf),
 * so the per-route records do not grow; a slot is reused only once no dest
 * names it.  Resolution and nexthop tracking stay inside a VRF: a route
 * resolves only through routes of its own tables.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rib_conf.h"
#include "ribd.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_RIB_VRF, "RIB VRF");

struct rib_vrf *
rib_vrf_default(struct ribd *rib)
{
	return rib->vrfs[0];
}

struct rib_vrf *
rib_vrf_by_table(struct ribd *rib, uint32_t table)
{
	struct rib_vrf *v;

	if (table == 0)
		table = RIB_TABLE_MAIN;
	RIB_VRF_FOREACH(rib, i, v)
		if (v->table_id == table)
			return v;
	return NULL;
}

struct rib_vrf *
rib_vrf_by_name(struct ribd *rib, const char *name)
{
	struct rib_vrf *v;

	RIB_VRF_FOREACH(rib, i, v)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

static void
vrf_name_plain(struct rib_vrf *v)
{
	if (v->table_id == RIB_TABLE_MAIN)
		snprintf(v->name, sizeof(v->name), "default");
	else
		snprintf(v->name, sizeof(v->name), "table-%" PRIu32,
			 v->table_id);
}

static struct rib_vrf *
vrf_new(struct ribd *rib, unsigned int idx, uint32_t table)
{
	struct rib_vrf *v = wp_calloc(MT_RIB_VRF, sizeof(*v));

	v->idx = (uint8_t)idx;
	v->table_id = table;
	vrf_name_plain(v);
	for (int f = 0; f < 2; f++) {
		v->tables[f] = rib_table_new(rib, v, f ? AF_INET6 : AF_INET);
		rib_nht_table_init(v->tables[f]);
	}
	rib->vrfs[idx] = v;
	return v;
}

struct rib_vrf *
rib_vrf_get(struct ribd *rib, uint32_t table, const char *name)
{
	struct rib_vrf *v = rib_vrf_by_table(rib, table);

	if (v == NULL) {
		unsigned int i;

		for (i = 1; i < RIB_VRF_MAX && rib->vrfs[i]; i++)
			;
		if (i == RIB_VRF_MAX) {
			wp_log_warnx_rl("rib: table %" PRIu32 ": all %d VRFs "
					"in use", table, RIB_VRF_MAX);
			return NULL;
		}
		v = vrf_new(rib, i, table);
		wp_log_info("rib: vrf %s (table %" PRIu32 ") created",
			    name ? name : v->name, table);
		/* Read from the loop: we may be inside a kernel dump. */
		v->learn = true;
		if (!rib->dry_run && !wp_timer_active(&rib->vrf_timer))
			wp_timer_start(&rib->vrf_timer, 0.0, 0.0);
	}
	if (name && v->idx != 0)
		snprintf(v->name, sizeof(v->name), "%s", name);
	return v;
}

void
rib_vrf_ref(struct rib_vrf *vrf)
{
	vrf->refcnt++;
}

void
rib_vrf_unref(struct ribd *rib, struct rib_vrf *vrf)
{
	if (vrf->refcnt)
		vrf->refcnt--;
	rib_vrf_maybe_free(rib, vrf);
}

void
rib_vrf_maybe_free(struct ribd *rib, struct rib_vrf *vrf)
{
	/* No dest names a freed slot: live ones are in the tries, dead
	 * ones counted. */
	if (vrf == NULL || vrf->idx == 0 || vrf->refcnt || vrf->ifindex ||
	    vrf->configured || vrf->ndead)
		return;
	for (int f = 0; f < 2; f++)
		if (wp_trie_count(vrf->tables[f]->trie) ||
		    wp_trie_count(vrf->tables[f]->nhtrie))
			return;
	wp_log_info("rib: vrf %s (table %" PRIu32 ") removed", vrf->name,
		    vrf->table_id);
	rib->vrfs[vrf->idx] = NULL;
	for (int f = 0; f < 2; f++) {
		rib_nht_table_fini(vrf->tables[f]);
		rib_table_free(vrf->tables[f]);
	}
	wp_free(MT_RIB_VRF, vrf);
}

void
rib_vrf_link(struct ribd *rib, const struct rib_klink *l, bool deleted)
{
	struct rib_vrf *v;

	if (strcmp(l->kind, "vrf") != 0 || l->vrf_table == 0)
		return;
	if (!deleted) {
		v = rib_vrf_get(rib, l->vrf_table, l->name);
		if (v && v->ifindex != l->ifindex) {
			v->ifindex = l->ifindex;
			/* Its statics, pending until now, go in. */
			rib_static_vrf_up(rib, v);
		}
		return;
	}
	v = rib_vrf_by_table(rib, l->vrf_table);
	if (v == NULL || v->idx == 0)
		return;
	wp_log_info("rib: vrf %s: device removed", v->name);
	v->ifindex = 0;
	/* Its statics leave the kernel and wait for the device again. */
	rib_static_vrf_down(rib, v);
	if (!v->configured)
		vrf_name_plain(v);
	rib_vrf_maybe_free(rib, v);
}

struct rib_vrf *
rib_vrf_of_iface(struct ribd *rib, const struct rib_iface *ifp)
{
	const struct rib_iface *m = ifp;
	struct rib_vrf *v;

	if (strcmp(ifp->kind, "vrf") != 0 && ifp->master)
		m = rib_iface_by_index(rib, ifp->master);
	if (m && strcmp(m->kind, "vrf") == 0 && m->vrf_table &&
	    (v = rib_vrf_by_table(rib, m->vrf_table)) != NULL)
		return v;
	return rib->vrfs[0];
}

static void
vrf_timer_cb(struct wp_timer *t)
{
	struct ribd *rib = container_of(t, struct ribd, vrf_timer);
	struct rib_vrf *v;

	RIB_VRF_FOREACH(rib, i, v)
		if (v->learn) {
			v->learn = false;
			rib_vrf_learn_kernel(rib, v);
		}
}

void
rib_vrf_init(struct ribd *rib)
{
	struct rib_vrf *v = vrf_new(rib, 0, RIB_TABLE_MAIN);

	wp_timer_init(rib->loop, &rib->vrf_timer, "rib vrf", vrf_timer_cb);
	rib->tables[0] = v->tables[0];
	rib->tables[1] = v->tables[1];
}

/* After the dests are gone (rib_free). */
void
rib_vrf_fini(struct ribd *rib)
{
	struct rib_vrf *v;

	wp_timer_stop(&rib->vrf_timer);
	RIB_VRF_FOREACH(rib, i, v) {
		for (int f = 0; f < 2; f++) {
			rib_nht_table_fini(v->tables[f]);
			rib_table_free(v->tables[f]);
		}
		wp_free(MT_RIB_VRF, v);
		rib->vrfs[i] = NULL;
	}
	rib->tables[0] = rib->tables[1] = NULL;
}
