/*
 * ospf_spf_inc.c: external and inter-area routes without a full SPF
 * (RFC 2328 §16.5, §16.6).
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
 *
 * A type-3 summary-LSA likewise changes only the route to its own prefix
 * (§16.5: §16.2 for that destination), and the externals whose
 * forwarding address lies in it; ospf_spf_inc_update() redoes those, in
 * the same batch.  Not a type-4: the routes to AS boundary routers move
 * every external, a full run's work.  Nor with a transit area or virtual
 * link (§16.3): ospf_spf_inc_update() refuses and a full run follows.
 * An area border router then originates its summaries again from the
 * updated table (§12.4.3), as after a full run.
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
	wp_free(MT_OSPF_SPF, ospf->spf.inc.spfx);
	ospf->spf.inc.spfx = NULL;
	ospf->spf.inc.n_spfx = ospf->spf.inc.cap_spfx = 0;
}

/* The installed instance the header names (type 3, 5 or 7). */
static const struct ospf_lsa *
find_lsa(struct ospf *ospf, const struct ospf_lsa_hdr *h)
{
	struct ospf_area *a;

	if (h->type == OSPF_LSA_EXTERNAL)
		return ospf_lsdb_lookup(ospf->as_lsdb, h->type, h->id, h->adv);
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		const struct ospf_lsa *lsa;

		if (h->type == OSPF_LSA_NSSA &&
		    ospf_area_conf(a)->type != OSPF_AREA_NSSA)
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

/* The mask of a type-3, 5 or 7. */
static uint32_t
lsa_mask(const struct ospf_lsa *lsa)
{
	return lsa->hdr.type == OSPF_LSA_SUMMARY ? lsa->u.sum.mask :
						   lsa->u.ext.mask;
}

/* The prefix of `lsa` into the queue of its kind. */
static void
queue_prefix(struct ospf_spf_state *s, const struct ospf_lsa *lsa)
{
	bool sum = lsa->hdr.type == OSPF_LSA_SUMMARY;
	struct wp_prefix **v = sum ? &s->inc.spfx : &s->inc.pfx;
	size_t *n = sum ? &s->inc.n_spfx : &s->inc.n_pfx;
	size_t *cap = sum ? &s->inc.cap_spfx : &s->inc.cap_pfx;
	uint32_t mask = lsa_mask(lsa);

	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = wp_realloc(MT_OSPF_SPF, *v, *cap * sizeof(**v));
	}
	ospf_prefix_v4(&(*v)[(*n)++], lsa->hdr.id & mask,
		       ospf_mask2plen(mask));
}

void
ospf_spf_inc_replaced(struct ospf *ospf, const struct ospf_lsa *old,
		      const struct ospf_lsa *lsa)
{
	if ((old->hdr.type != OSPF_LSA_EXTERNAL &&
	     old->hdr.type != OSPF_LSA_NSSA &&
	     old->hdr.type != OSPF_LSA_SUMMARY) ||
	    lsa_mask(old) == lsa_mask(lsa))
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

	if (h->type != OSPF_LSA_EXTERNAL && h->type != OSPF_LSA_NSSA &&
	    h->type != OSPF_LSA_SUMMARY)
		return false;
	/* No table to update yet; or restarting, where the table goes to
	 * ribd whole at the end (RFC 3623 §2.3). */
	if (s->runs == 0 || ospf->gr.restarting)
		return false;
	/* A full run starting in this pass computes it anyway. */
	if (wp_timer_active(&s->timer) &&
	    wp_timer_remaining(&s->timer) <= 0.001)
		return false;
	/* §16.3 is a full run's (ospf_spf_inc_update()). */
	if (h->type == OSPF_LSA_SUMMARY && ospf->rtable->transit)
		return false;
	/* Our own externals and summaries give us no route (§16.4 (1),
	 * §16.2 (2)). */
	if (h->adv == ospf->router_id)
		return true;
	lsa = find_lsa(ospf, h);
	if (lsa == NULL || (h->type == OSPF_LSA_SUMMARY ?
			    !ospf_spf_sum_id_ok(lsa) :
			    !ospf_spf_ext_id_ok(lsa)))
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
	s->inc.n_pfx = s->inc.n_spfx = 0;
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
	size_t na = 0, n_sum = s->inc.n_spfx;
	bool nssa;

	wp_timer_stop(&s->inc.timer);
	if (s->inc.n_pfx == 0 && n_sum == 0)
		return;
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
	if (!ospf_spf_inc_update(&in, ospf->rtable, s->inc.spfx, n_sum,
				 s->inc.pfx, s->inc.n_pfx, &res)) {
		/* Nothing changed: the whole batch goes to a full run. */
		char reason[sizeof(s->inc.reason)];

		memcpy(reason, s->inc.reason, sizeof(reason));
		ospf_spf_inc_absorb(ospf);
		ospf_spf_schedule(ospf, reason);
		return;
	}
	t1 = ospf_now();
	rec = ospf_spf_hist_record(ospf, s->inc.reason, s->inc.pend,
				   s->inc.n_pend, s->inc.pend_dropped, NULL,
				   res.old, &res.diff);
	rec->incremental = true;
	if (res.diff.n && !ospf->gr.restarting)
		ospf_rib_update(ospf, &res.diff);
	t2 = ospf_now();
	/* Prefixes queued, of each kind; the time under the type-3s' when
	 * there were any (the externals follow from them). */
	rec->st.inter = (unsigned int)n_sum;
	rec->st.ext = (unsigned int)s->inc.n_pfx;
	if (n_sum)
		rec->st.inter_ms = (t1 - t0) * 1e3;
	else
		rec->st.ext_ms = (t1 - t0) * 1e3;
	rec->rib_ms = (t2 - t1) * 1e3;
	rec->to_rib_ms = (t2 - t0) * 1e3;
	rec->routes = wp_trie_count(ospf->rtable->routes);
	wp_debug(DBG_OSPF_SPF,
		 "spf: incremental, %zu summary and %zu external prefixes: "
		 "+%zu ~%zu -%zu", n_sum, s->inc.n_pfx, res.diff.adds,
		 res.diff.changes, res.diff.dels);
	ospf_spf_inc_free(&res);
	nssa = s->inc.nssa;
	inc_clear(s);
	s->inc.runs++;
	s->inc.last_time = time(NULL);
	s->inc.last_duration = ospf_now() - t0;
	rec->total_ms = s->inc.last_duration * 1e3;
	/* As an area border router: the inter-area routes go into the other
	 * areas as summaries (§12.4.3), as after a full run; as the NSSA's
	 * translator, its type-7s become type-5s (RFC 3101 §3.2).  Nothing
	 * else an ABR originates depends on these routes. */
	if ((nssa || n_sum) && ospf_is_abr(ospf))
		ospf_summary_originate(ospf);
}
