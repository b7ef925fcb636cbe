/*
 * ospf_redist.c: routes of other sources as AS-external-LSAs (RFC 2328
 * §12.4.4 and §16.4's counterpart: we are the AS boundary router), and
 * as type-7 LSAs in the NSSAs we are attached to (RFC 3101 §2.2).
 *
 *	redistribute (connected|static|kernel|bgp) [metric N]
 *		[metric-type (1|2)] [tag N] [route-map NAME]
 *	default-information originate [always] [metric N] [metric-type (1|2)]
 *		[route-map NAME]
 *
 * ribd tells us, per subscribed source, which route it selected for each
 * prefix (ospf_rib.c passes the redistribution stream on).  The table
 * here holds those prefixes and their source; every change schedules one
 * origination run (a short timer, so the initial dump of thousands of
 * routes is one run), which computes the wanted LSAs from table and
 * configuration and lets ospf_summary_originate() originate, keep or
 * flush ours, as it does for summaries.
 *
 * Addresses of this host (127/8), link-local, multicast and reserved
 * space are never announced.  The default route is announced only
 * through default-information
 * originate, never by `redistribute`: with `always` unconditionally,
 * otherwise while ribd has a default route from a static, kernel or bgp
 * source (we subscribe to those for it).  Metrics default to FRR's: 20
 * for redistributed routes, 10 for the default; metric-type 2.
 *
 * A route map (lib/wp_policy) sees each route as ribd sent it (prefix,
 * metric, tag, first nexthop's interface) and starts from what the
 * `redistribute` line says; a denied route is not announced, a permitted
 * one gets the metric, metric type and tag the map set.  Every run
 * evaluates the table afresh, and a configuration change (route map or
 * prefix list included) schedules a run: changed LSAs are originated,
 * denied ones flushed.  For the default, the map is run on 0.0.0.0/0
 * (with the default route's attributes when ribd has one).
 *
 * `distribute-list NAME out SOURCE` (ospf_pol.c) filters the routes of
 * SOURCE by access list before the route map sees them.
 *
 * After a reconnect to ribd the dumps come again: entries not re-sent by
 * the end of their source's dump are stale and go (a generation count),
 * so a restarted ribd does not make our externals flap.
 */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "ospfd.h"
#include "wp_rib_msg.h"

WP_MEMTYPE_DEFINE(MT_OSPF_REDIST, "OSPF redistributed routes");

#define REDIST_DELAY	0.05	/* s: coalesce changes into one run */

struct redist_ent {
	uint8_t src;			/* enum ospf_redist_src */
	uint32_t gen;
	/* For route maps: */
	uint32_t metric;
	uint32_t tag;
	int ifindex;			/* first nexthop's, 0: none */
	char ifname[IF_NAMESIZE];	/* as ribd named it, or "" */
};

struct ospf_redist {
	struct ospf *ospf;
	struct wp_trie *table;		/* prefix -> struct redist_ent */
	struct wp_timer timer;
	unsigned int subscribed;	/* bit per source */
	uint32_t gen;
	bool asbr;			/* last run wanted externals */
};

static void
redist_cb(struct wp_timer *t)
{
	struct ospf_redist *rd = container_of(t, struct ospf_redist, timer);

	ospf_summary_originate(rd->ospf);
}

static void
schedule(struct ospf_redist *rd)
{
	if (!wp_timer_active(&rd->timer))
		wp_timer_start(&rd->timer, REDIST_DELAY, 0);
}

/* A summary pass soon: after one of our type-3/4/5/7s came back from a
 * neighbour newer than ours (ospf_orig.c reoriginate()). */
void
ospf_summary_schedule(struct ospf *ospf)
{
	if (ospf->redist)
		schedule(ospf->redist);
}

void
ospf_redist_init(struct ospf *ospf)
{
	struct ospf_redist *rd = wp_calloc(MT_OSPF_REDIST, sizeof(*rd));

	rd->ospf = ospf;
	rd->table = wp_trie_new(AF_INET);
	wp_timer_init(ospf->loop, &rd->timer, "ospf redistribution",
		      redist_cb);
	ospf->redist = rd;
}

static void
ent_free(void *v)
{
	wp_free(MT_OSPF_REDIST, v);
}

void
ospf_redist_fini(struct ospf *ospf)
{
	struct ospf_redist *rd = ospf->redist;

	if (rd == NULL)
		return;
	wp_timer_stop(&rd->timer);
	wp_trie_free(rd->table, ent_free);
	wp_free(MT_OSPF_REDIST, rd);
	ospf->redist = NULL;
}

static int
src_of(const char *name)
{
	for (int s = 0; s < OSPF_REDIST_MAX; s++)
		if (strcmp(name, ospf_redist_name(s)) == 0)
			return s;
	return -1;
}

/* Sources whose routes we need to hear about under this configuration. */
static unsigned int
wanted_sources(const struct ospf_conf *c)
{
	unsigned int m = 0;

	for (int s = 0; s < OSPF_REDIST_MAX; s++)
		if (c->redist[s].on)
			m |= 1u << s;
	if (c->definfo.on && !c->definfo.always)
		m |= 1u << OSPF_REDIST_STATIC | 1u << OSPF_REDIST_KERNEL |
		     1u << OSPF_REDIST_BGP;
	return m;
}

struct purge {
	struct wp_prefix *v;
	size_t n, cap;
	int src;			/* -1: any */
	uint32_t older_than;		/* generation; 0: ignore */
};

static int
purge_collect(const struct wp_prefix *p, void *val, void *arg)
{
	const struct redist_ent *e = val;
	struct purge *pg = arg;

	if ((pg->src >= 0 && e->src != pg->src) ||
	    (pg->older_than && e->gen >= pg->older_than))
		return 0;
	if (pg->n == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 64;
		pg->v = wp_realloc(MT_OSPF_REDIST, pg->v,
				   pg->cap * sizeof(*pg->v));
	}
	pg->v[pg->n++] = *p;
	return 0;
}

static void
purge(struct ospf_redist *rd, int src, uint32_t older_than)
{
	struct purge pg = { .src = src, .older_than = older_than };

	wp_trie_walk(rd->table, NULL, purge_collect, &pg);
	for (size_t i = 0; i < pg.n; i++)
		ent_free(wp_trie_delete(rd->table, &pg.v[i]));
	wp_free(MT_OSPF_REDIST, pg.v);
	if (pg.n)
		schedule(rd);
}

void
ospf_redist_conf_changed(struct ospf *ospf)
{
	struct ospf_redist *rd = ospf->redist;
	unsigned int want;

	if (rd == NULL)
		return;
	want = wanted_sources(ospf->conf);
	for (int s = 0; s < OSPF_REDIST_MAX; s++) {
		unsigned int bit = 1u << s;

		if ((want & bit) == (rd->subscribed & bit))
			continue;
		if (ospf_rib_redist(ospf, ospf_redist_name(s),
				    (want & bit) != 0) < 0)
			continue;	/* no ribd session: nothing heard */
		if (!(want & bit))
			purge(rd, s, 0);
	}
	rd->subscribed = want;
	schedule(rd);		/* metrics, types, default may differ */
}

void
ospf_redist_unsubscribe_all(struct ospf *ospf)
{
	struct ospf_redist *rd = ospf->redist;

	if (rd == NULL)
		return;
	for (int s = 0; s < OSPF_REDIST_MAX; s++) {
		if (!(rd->subscribed & (1u << s)))
			continue;
		ospf_rib_redist(ospf, ospf_redist_name(s), false);
		purge(rd, s, 0);
	}
	rd->subscribed = 0;
	schedule(rd);
}

void
ospf_redist_reconnected(struct ospf *ospf)
{
	if (ospf->redist)
		ospf->redist->gen++;
}

static bool
ent_same(const struct redist_ent *a, const struct redist_ent *b)
{
	return a->src == b->src && a->metric == b->metric &&
	       a->tag == b->tag && a->ifindex == b->ifindex &&
	       strcmp(a->ifname, b->ifname) == 0;
}

static void
redist_set(struct ospf *ospf, const struct wp_prefix *p,
	   const struct redist_ent *n)
{
	struct ospf_redist *rd = ospf->redist;
	struct redist_ent *e;

	if (rd == NULL || p->family != AF_INET)
		return;
	e = wp_trie_lookup_exact(rd->table, p);
	if (e == NULL) {
		e = wp_calloc(MT_OSPF_REDIST, sizeof(*e));
		wp_trie_insert(rd->table, p, e, NULL);
	} else if (ent_same(e, n)) {
		e->gen = rd->gen;
		return;		/* nothing an LSA depends on changed */
	}
	*e = *n;
	e->gen = rd->gen;
	schedule(rd);
}

void
ospf_redist_add(struct ospf *ospf, const struct wp_prefix *p,
		const char *source)
{
	struct redist_ent n = { .src = (uint8_t)src_of(source) };

	if (src_of(source) >= 0)
		redist_set(ospf, p, &n);
}

void
ospf_redist_add_route(struct ospf *ospf, const struct wp_rib_route *rt,
		      const char *source)
{
	struct redist_ent n = { .src = (uint8_t)src_of(source),
				.metric = rt->metric, .tag = rt->tag };

	if (src_of(source) < 0)
		return;
	if (rt->n_nh) {
		n.ifindex = rt->nh[0].ifindex;
		snprintf(n.ifname, sizeof(n.ifname), "%s", rt->nh[0].ifname);
	}
	redist_set(ospf, &rt->prefix, &n);
}

void
ospf_redist_del(struct ospf *ospf, const struct wp_prefix *p)
{
	struct ospf_redist *rd = ospf->redist;
	struct redist_ent *e;

	if (rd == NULL || (e = wp_trie_delete(rd->table, p)) == NULL)
		return;
	ent_free(e);
	schedule(rd);
}

void
ospf_redist_dump_done(struct ospf *ospf, const char *source)
{
	struct ospf_redist *rd = ospf->redist;
	int s = src_of(source);

	if (rd && s >= 0)
		purge(rd, s, rd->gen);
}

/* --- what to originate ------------------------------------------------------ */

struct wants_arg {
	struct ospf *ospf;
	struct ospf_conf *c;
	struct ospf_want_list *wl;
	uint8_t type;
	const struct redist_ent *dflt;	/* ribd's default route, if any */
};

/*
 * The LSA for `p` under `rc`, through its route map if it names one
 * (`e`: what ribd told of the route, NULL: nothing).
 */
static void
want_ext(struct wants_arg *wa, const struct wp_prefix *p,
	 const struct ospf_redist_conf *rc, uint32_t def_metric,
	 const struct redist_ent *e)
{
	struct wp_rmap_out o = {
		.metric = rc->metric_set ? rc->metric : def_metric,
		.metric_type = rc->metric_type,
		.tag = rc->tag,
	};
	struct ospf_want w;
	/* OSPF IDs and masks are host order here. */
	uint32_t mask = p->len ? 0xffffffffu << (32 - p->len) : 0;

	if (rc->rmap[0]) {
		const struct ospf_kif *k;
		struct wp_rmap_route r = { .prefix = p };

		if (e) {
			r.metric = e->metric;
			r.tag = e->tag;
			r.ifname = e->ifname[0] ? e->ifname : NULL;
			if (r.ifname == NULL && e->ifindex &&
			    (k = ospf_kif_find(wa->ospf, e->ifindex)))
				r.ifname = k->name;
		}
		if (!wp_rmap_apply(&wa->c->policy, rc->rmap, &r, &o))
			return;
		/* RFC 2328 §A.4.5: the metric field is 24 bits, and
		 * LSInfinity means unreachable. */
		if (o.metric >= OSPF_LS_INFINITY)
			o.metric = OSPF_LS_INFINITY - 1;
	}
	memset(&w, 0, sizeof(w));
	w.type = wa->type;
	w.id = ntohl(p->u.v4.s_addr) & mask;
	w.mask = mask;
	w.metric = o.metric;
	w.e2 = o.metric_type != 1;
	w.tag = o.tag;
	/* RFC 3101 §2.3: set P so the NSSA's translator announces it
	 * AS-wide; an ABR originating into its NSSA leaves it clear. */
	w.p_bit = wa->type == OSPF_LSA_NSSA && !ospf_is_abr(wa->ospf);
	ospf_want_push(wa->wl, &w);
}

/* Never announced: this host (127/8, 0/8), multicast and reserved
 * (224/3), link-local (169.254/16). */
static bool
martian(const struct wp_prefix *p)
{
	uint32_t a = ntohl(p->u.v4.s_addr);

	return (p->len >= 8 && ((a >> 24) == 127 || (a >> 24) == 0)) ||
	       (p->len >= 3 && (a >> 29) == 7) ||
	       (p->len >= 16 && (a >> 16) == 0xa9fe);
}

static int
wants_cb(const struct wp_prefix *p, void *val, void *arg)
{
	const struct redist_ent *e = val;
	struct wants_arg *wa = arg;
	const struct ospf_redist_conf *rc = &wa->c->redist[e->src];

	if (p->len && martian(p))
		return 0;
	if (p->len == 0) {
		if (e->src != OSPF_REDIST_CONNECTED)
			wa->dflt = e;
		return 0;
	}
	if (rc->on && ospf_distribute_permits(wa->c, e->src, p))
		want_ext(wa, p, rc, OSPF_DEF_REDIST_METRIC, e);
	return 0;
}

size_t
ospf_redist_wants(struct ospf *ospf, uint8_t type, struct ospf_want_list *wl)
{
	struct ospf_redist *rd = ospf->redist;
	struct wants_arg wa = { .ospf = ospf, .c = ospf->conf, .wl = wl,
				.type = type };
	size_t before = wl->n;

	if (rd == NULL)
		return 0;
	wp_trie_walk(rd->table, NULL, wants_cb, &wa);
	if (wa.c->definfo.on && (wa.c->definfo.always || wa.dflt)) {
		struct wp_prefix any = { .family = AF_INET, .len = 0 };

		want_ext(&wa, &any, &wa.c->definfo, OSPF_DEF_DEFAULT_METRIC,
			 wa.dflt);
	}
	return wl->n - before;
}

bool
ospf_redist_asbr(const struct ospf *ospf)
{
	return ospf->redist && ospf->redist->asbr;
}

void
ospf_redist_set_asbr(struct ospf *ospf, bool asbr)
{
	struct ospf_redist *rd = ospf->redist;
	struct ospf_area *a;

	if (rd == NULL || rd->asbr == asbr)
		return;
	rd->asbr = asbr;
	wp_log_info("redistribution: %s an AS boundary router",
		    asbr ? "now" : "no longer");
	TAILQ_FOREACH(a, &ospf->areas, entry)
		ospf_router_lsa_schedule(a);
}

size_t
ospf_redist_count(const struct ospf *ospf)
{
	return ospf->redist ? wp_trie_count(ospf->redist->table) : 0;
}
