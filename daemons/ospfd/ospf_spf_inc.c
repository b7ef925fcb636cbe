/*
 * ospf_spf_inc.c: external routes without a full SPF (RFC 2328 §16.6).
 *
 * When an AS-external-LSA (or an NSSA's type-7) is installed, changed or
 * flushed, only the route to its own prefix can change: §16.4 computes it
 * from the routes to AS boundary routers and forwarding addresses, which
 * come from the router- and network-LSAs and summaries alone.  So the
 * prefix is queued here instead of scheduling a full run; a zero-delay
 * timer runs the queue once the read (or flood) pass that installed the
 * LSAs ends, and the changes of the whole batch go to ribd together.
 *
 * A full run (any other LSA type, the interfaces, the configuration)
 * takes the queue over: ospf_spf_inc_absorb() hands it the triggers.  The
 * result is the route the full run would compute (the unit tests check
 * this over random changes), since the routes it depends on are those
 * of the last full run, which stays the table of record until the next.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

static void
inc_cb(struct wp_timer *t)
{
	struct ospf *ospf = container_of(t, struct ospf, spf.inc.timer);

	ospf_spf_inc_now(ospf);
}

void
ospf_spf_inc_init(struct ospf *ospf)
{
	wp_timer_init(ospf->loop, &ospf->spf.inc.timer,
		      "ospf spf incremental", inc_cb);
}

void
ospf_spf_inc_fini(struct ospf *ospf)
{
	wp_timer_stop(&ospf->spf.inc.timer);
	wp_free(MT_OSPF_SPF, ospf->spf.inc.pfx);
	ospf->spf.inc.pfx = NULL;
	ospf->spf.inc.n_pfx = ospf->spf.inc.cap_pfx = 0;
}

/* The installed instance the header names (type 5 or 7). */
static const struct ospf_lsa *
find_lsa(struct ospf *ospf, const struct ospf_lsa_hdr *h)
{
	struct ospf_area *a;

	if (h->type == OSPF_LSA_EXTERNAL)
		return ospf_lsdb_lookup(ospf->as_lsdb, h->type, h->id, h->adv);
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		const struct ospf_lsa *lsa;

		if (ospf_area_conf(a)->type != OSPF_AREA_NSSA)
			continue;
		lsa = ospf_lsdb_lookup(a->lsdb, h->type, h->id, h->adv);
		if (lsa)
			return lsa;
	}
	return NULL;
}

static void
trig_add(struct ospf_lsa_hdr *pend, unsigned int *n, unsigned int *dropped,
	 const struct ospf_lsa_hdr *h)
{
	if (*n < OSPF_SPF_TRIGGERS)
		pend[(*n)++] = *h;
	else
		(*dropped)++;
}

static void
queue_prefix(struct ospf_spf_state *s, const struct ospf_lsa *lsa)
{
	struct wp_prefix p;

	ospf_prefix_v4(&p, lsa->hdr.id & lsa->u.ext.mask,
		       ospf_mask2plen(lsa->u.ext.mask));
	if (s->inc.n_pfx == s->inc.cap_pfx) {
		s->inc.cap_pfx = s->inc.cap_pfx ? s->inc.cap_pfx * 2 : 64;
		s->inc.pfx = wp_realloc(MT_OSPF_SPF, s->inc.pfx,
					s->inc.cap_pfx * sizeof(*s->inc.pfx));
	}
	s->inc.pfx[s->inc.n_pfx++] = p;
}

void
ospf_spf_inc_replaced(struct ospf *ospf, const struct ospf_lsa *old,
		      const struct ospf_lsa *lsa)
{
	if ((old->hdr.type != OSPF_LSA_EXTERNAL &&
	     old->hdr.type != OSPF_LSA_NSSA) ||
	    old->u.ext.mask == lsa->u.ext.mask)
		return;
	/* Computed by the next run of either kind (a full run absorbs
	 * the queue). */
	queue_prefix(&ospf->spf, old);
}

bool
ospf_spf_inc_take(struct ospf *ospf, const char *reason,
		  const struct ospf_lsa_hdr *h)
{
	struct ospf_spf_state *s = &ospf->spf;
	const struct ospf_lsa *lsa;

	if (h->type != OSPF_LSA_EXTERNAL && h->type != OSPF_LSA_NSSA)
		return false;
	/* No table to update yet; or restarting, where the table goes to
	 * ribd whole at the end (RFC 3623 §2.3). */
	if (s->runs == 0 || ospf->gr.restarting)
		return false;
	/* A full run starting in this pass computes it anyway. */
	if (wp_timer_active(&s->timer) &&
	    wp_timer_remaining(&s->timer) <= 0.001)
		return false;
	/* Our own externals give us no route (§16.4 (1)). */
	if (h->adv == ospf->router_id)
		return true;
	lsa = find_lsa(ospf, h);
	if (lsa == NULL || !ospf_spf_ext_id_ok(lsa))
		return false;
	queue_prefix(s, lsa);
	if (h->type == OSPF_LSA_NSSA)
		s->inc.nssa = true;
	if (s->inc.n_pend == 0 && s->inc.pend_dropped == 0)
		snprintf(s->inc.reason, sizeof(s->inc.reason), "%s", reason);
	trig_add(s->inc.pend, &s->inc.n_pend, &s->inc.pend_dropped, h);
	s->inc.lsas++;
	if (!wp_timer_active(&s->inc.timer))
		wp_timer_start(&s->inc.timer, 0, 0);
	return true;
}

static void
inc_clear(struct ospf_spf_state *s)
{
	wp_timer_stop(&s->inc.timer);
	s->inc.n_pfx = 0;
	s->inc.n_pend = s->inc.pend_dropped = 0;
	s->inc.nssa = false;
}

void
ospf_spf_inc_absorb(struct ospf *ospf)
{
	struct ospf_spf_state *s = &ospf->spf;

	for (unsigned int i = 0; i < s->inc.n_pend; i++)
		trig_add(s->pend, &s->n_pend, &s->pend_dropped,
			 &s->inc.pend[i]);
	s->pend_dropped += s->inc.pend_dropped;
	inc_clear(s);
}

static int
pfx_cmp(const void *a, const void *b)
{
	return wp_prefix_cmp(a, b);
}

void
ospf_spf_inc_now(struct ospf *ospf)
{
	struct ospf_spf_state *s = &ospf->spf;
	struct ospf_spf_area areas[64];
	struct ospf_spf_input in;
	struct ospf_spf_inc res;
	struct ospf_spf_run_rec *rec;
	struct ospf_area *a;
	double t0 = ospf_now(), t1, t2;
	size_t n = 0, na = 0;
	bool nssa;

	wp_timer_stop(&s->inc.timer);
	if (s->inc.n_pfx == 0)
		return;
	/* Prefix order, once each: the order of a diff. */
	qsort(s->inc.pfx, s->inc.n_pfx, sizeof(*s->inc.pfx), pfx_cmp);
	for (size_t i = 0; i < s->inc.n_pfx; i++)
		if (n == 0 || wp_prefix_cmp(&s->inc.pfx[n - 1],
					    &s->inc.pfx[i]) != 0)
			s->inc.pfx[n++] = s->inc.pfx[i];
	/* The areas of a full run (ospf_spf_now()); only their types and
	 * LSDBs matter here. */
	memset(areas, 0, sizeof(areas));
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		if (!ospf_area_active(a) ||
		    na == sizeof(areas) / sizeof(areas[0]))
			continue;
		areas[na].id = a->id;
		areas[na].type = ospf_area_conf(a)->type;
		areas[na].db = a->lsdb;
		na++;
	}
	memset(&in, 0, sizeof(in));
	in.root = ospf->router_id;
	in.now = t0;
	in.max_paths = ospf->conf->max_paths;
	in.areas = areas;
	in.n_areas = na;
	in.as_db = ospf->as_lsdb;
	memset(&res, 0, sizeof(res));
	ospf_spf_ext_update(&in, ospf->rtable, s->inc.pfx, n, &res);
	t1 = ospf_now();
	rec = ospf_spf_hist_record(ospf, s->inc.reason, s->inc.pend,
				   s->inc.n_pend, s->inc.pend_dropped, NULL,
				   res.old, &res.diff);
	rec->incremental = true;
	if (res.diff.n && !ospf->gr.restarting)
		ospf_rib_update(ospf, &res.diff);
	t2 = ospf_now();
	rec->st.ext = (unsigned int)n;
	rec->st.ext_ms = (t1 - t0) * 1e3;
	rec->rib_ms = (t2 - t1) * 1e3;
	rec->to_rib_ms = (t2 - t0) * 1e3;
	rec->routes = wp_trie_count(ospf->rtable->routes);
	wp_debug(DBG_OSPF_SPF, "spf: incremental, %zu prefixes: +%zu ~%zu -%zu",
		 n, res.diff.adds, res.diff.changes, res.diff.dels);
	ospf_spf_inc_free(&res);
	nssa = s->inc.nssa;
	inc_clear(s);
	s->inc.runs++;
	s->inc.last_time = time(NULL);
	s->inc.last_duration = ospf_now() - t0;
	rec->total_ms = s->inc.last_duration * 1e3;
	/* As the NSSA's translator: its type-7s become type-5s (RFC 3101
	 * §3.2); nothing else an ABR originates depends on externals. */
	if (nssa && ospf_is_abr(ospf))
		ospf_summary_originate(ospf);
}
