/*
 * ospf_nssa.c: NSSA address ranges (RFC 3101 §3.2), pure.
 *
 * `area A nssa range PREFIX [not-advertise|cost N]` on the NSSA's
 * translator: the type-5s that ospf_nssa_translate() would originate for
 * the type-7s inside a range are replaced by one type-5 for the range
 * (status Advertise) or by none (DoNotAdvertise).  A range with nothing
 * inside it originates nothing.
 */
#include "config.h"

#include <string.h>

#include "ospfd.h"

/* The most specific range of `ac` holding (addr, mask), or -1. */
static int
range_of(const struct ospf_area_conf *ac, uint32_t addr, uint32_t mask)
{
	int best = -1;

	for (unsigned int i = 0; i < ac->n_nssa_ranges; i++) {
		const struct ospf_range_conf *r = &ac->nssa_ranges[i];

		if ((mask & r->mask) != r->mask || (addr & r->mask) != r->addr)
			continue;
		if (best < 0 || r->mask > ac->nssa_ranges[best].mask)
			best = (int)i;
	}
	return best;
}

void
ospf_nssa_aggregate(const struct ospf_area_conf *ac,
		    struct ospf_want_list *wl)
{
	struct ospf_want *agg;
	bool *hit;
	size_t n = 0;

	if (ac->n_nssa_ranges == 0)
		return;
	agg = wp_calloc(MT_OSPF_LSA, ac->n_nssa_ranges * sizeof(*agg));
	hit = wp_calloc(MT_OSPF_LSA, ac->n_nssa_ranges * sizeof(*hit));
	for (size_t i = 0; i < wl->n; i++) {
		const struct ospf_want *w = &wl->v[i];
		int k = w->type == OSPF_LSA_EXTERNAL ?
			range_of(ac, w->id & w->mask, w->mask) : -1;
		struct ospf_want *a;

		if (k < 0) {
			wl->v[n++] = *w;
			continue;
		}
		/* §3.2 (3): type 2 if any within is type 2, with the
		 * largest type-2 metric plus one; else type 1 with the
		 * largest metric. */
		a = &agg[k];
		if (!hit[k] || (w->e2 && !a->e2)) {
			a->e2 = w->e2;
			a->metric = w->metric;
		} else if (w->e2 == a->e2 && w->metric > a->metric) {
			a->metric = w->metric;
		}
		hit[k] = true;
	}
	wl->n = n;
	for (unsigned int k = 0; k < ac->n_nssa_ranges; k++) {
		const struct ospf_range_conf *r = &ac->nssa_ranges[k];
		struct ospf_want w = { .type = OSPF_LSA_EXTERNAL };

		if (!hit[k] || r->not_advertise)
			continue;
		w.id = r->addr;
		w.mask = r->mask;
		w.e2 = agg[k].e2;
		w.metric = r->cost_set ? r->cost :
			   agg[k].e2 ? agg[k].metric + 1 : agg[k].metric;
		if (w.metric >= OSPF_LS_INFINITY)
			w.metric = OSPF_LS_INFINITY - 1;
		/* §3.2: an aggregate's forwarding address is 0.0.0.0, the
		 * translator itself. */
		w.fwd = 0;
		ospf_want_push(wl, &w);
	}
	wp_free(MT_OSPF_LSA, agg);
	wp_free(MT_OSPF_LSA, hit);
}
