/*
 * ospf_show.c: ospfd's show commands.  Each builds one json_object from
 * the protocol state and prints it as JSON (`... json`) or renders text
 * from that same object, so the two never disagree.
 *
 *   show ip ospf [json]                  instance, areas, SPF statistics
 *   show ip ospf neighbor [detail|A.B.C.D] [json]
 *                                        one row (or block) per neighbour,
 *                                        why it is stuck, who was refused
 *   show ip ospf interface [IFNAME] [json]
 *                                        parameters, DR/BDR, counters, and
 *                                        why an adjacency is not forming
 *   show ip ospf database [TYPE [LSID]] [self-originate|adv-router A.B.C.D]
 *   show ip ospf database max-age [json] LSAs, per area and AS scope
 *   show ip ospf border-routers [json]   routes to ABRs and ASBRs
 *   show ip ospf spf [json]              the last SPF runs: triggers, phases
 *   show ip ospf route [json]            the routing table SPF computed
 *   show ip ospf route changes [json]    what the last SPF runs changed
 */
#include "config.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ospfd.h"
#include "wp_json.h"
#include "wp_vty.h"

/*
 * Every show runs for one instance at a time: `show ip ospf ...` for the
 * default VRF's, `show ip ospf vrf NAME ...` for NAME's, `vrf all` for
 * each in turn (show_vrf()).  These say which, for the length of one
 * handler call; with `vrf all ... json` each call's JSON is kept under
 * its VRF's name instead of being printed.
 */
static struct ospfd *show_top;
static struct ospf *show_cur;
static json_object *show_all;

static struct ospf *
ctx_ospf(struct wp_vty_cmd_ctx *ctx)
{
	(void)ctx;
	return show_cur;
}

static void
out_json(struct wp_vty_cmd_ctx *ctx, json_object *o)
{
	if (show_all && show_cur) {
		json_object_object_add(show_all, ospf_vrf_name(show_cur), o);
		return;
	}
	wp_vty_json(ctx, o);
}

static void
out_show(struct wp_vty_cmd_ctx *ctx, json_object *top, json_object *rows,
	 const struct wp_table_col *cols, size_t ncols, bool json)
{
	if (json) {
		out_json(ctx, top);
		return;
	}
	wp_vty_show(ctx, top, rows, cols, ncols, json);
}

static void
add_id(json_object *o, const char *key, uint32_t id)
{
	char b[16];

	wp_json_add_str(o, key, ospf_id_fmt(id, b, sizeof(b)));
}

static void
fmt_duration(double s, char *buf, size_t len)
{
	long v = s < 0 ? 0 : (long)s;

	if (v < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", v / 3600,
			 (v / 60) % 60, v % 60);
	else
		snprintf(buf, len, "%ldd%02ldh%02ldm", v / 86400,
			 (v / 3600) % 24, (v / 60) % 60);
}

static const char *
ifname(struct ospf *ospf, int ifindex)
{
	struct ospf_kif *k = ospf_kif_find(ospf, ifindex);

	return k ? k->name : "?";
}

static int
no_instance(struct wp_vty_cmd_ctx *ctx, bool json)
{
	if (json)
		out_json(ctx, json_object_new_object());
	else
		wp_vty_out(ctx, "%% OSPF is not configured (no router ospf, "
			   "or no router ID yet)\n");
	return WP_VTY_OK;
}

/* `graceful-restart prepare ip ospf` (FRR's exec command): Grace-LSAs
 * out before ospfd is restarted (RFC 3623 §2.1), from every instance:
 * the restart takes them all down. */
static int
gr_prepare_one(struct wp_vty_cmd_ctx *ctx, struct ospf *ospf)
{
	char err[160];
	int n;

	n = ospf_gr_prepare(ospf, err, sizeof(err));
	if (n < 0) {
		wp_vty_out(ctx, "%% %s%s%s\n", ospf->vrf[0] ? "vrf " : "",
			   ospf->vrf[0] ? ospf->vrf : "", err);
		return WP_VTY_ERR_FAILED;
	}
	wp_vty_out(ctx, "%s%sGrace-LSAs sent on %d interface%s; restart "
		   "ospfd within %u seconds\n", ospf->vrf,
		   ospf->vrf[0] ? ": " : "", n, n == 1 ? "" : "s",
		   ospf->conf->gr_period);
	return WP_VTY_OK;
}

static int
gr_prepare(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	   bool json)
{
	struct ospf *o;
	int rc = WP_VTY_OK, n = 0;

	(void)argc;
	(void)argv;
	(void)json;
	if (show_top)
		OSPFD_FOREACH(show_top, o) {
			if (!o->conf->enabled || o->router_id == 0)
				continue;
			n++;
			if (gr_prepare_one(ctx, o) != WP_VTY_OK)
				rc = WP_VTY_ERR_FAILED;
		}
	return n ? rc : no_instance(ctx, false);
}

/* --- SPF history (show ip ospf, show ip ospf spf) ------------------------------ */

static void
lsa_hdr_json(json_object *o, const struct ospf_lsa_hdr *h)
{
	wp_json_add_int(o, "type", h->type);
	wp_json_add_str(o, "typeName", ospf_lsa_type_name(h->type));
	add_id(o, "lsId", h->id);
	add_id(o, "advRouter", h->adv);
	wp_json_add_strf(o, "sequence", "0x%08x", h->seq);
}

static void
spf_run_json(json_object *o, const struct ospf_spf_run_rec *r)
{
	json_object *trig;

	wp_json_add_uint64(o, "run", r->run);
	wp_json_add_bool(o, "incremental", r->incremental);
	wp_json_add_int(o, "secondsAgo", (int64_t)(time(NULL) - r->when));
	wp_json_add_str(o, "reason", r->reason);
	trig = wp_json_add_array(o, "triggers");
	for (unsigned int i = 0; i < r->n_triggers; i++)
		lsa_hdr_json(wp_json_array_add_object(trig), &r->triggers[i]);
	wp_json_add_int(o, "triggersDropped", r->triggers_dropped);
	wp_json_add_int(o, "vertices", r->st.vertices);
	wp_json_add_double(o, "intraMsecs", r->st.intra_ms);
	wp_json_add_double(o, "interMsecs", r->st.inter_ms);
	wp_json_add_double(o, "externalMsecs", r->st.ext_ms);
	wp_json_add_double(o, "ribMsecs", r->rib_ms);
	wp_json_add_double(o, "toRibMsecs", r->to_rib_ms);
	wp_json_add_double(o, "totalMsecs", r->total_ms);
	wp_json_add_int(o, "routes", (int64_t)r->routes);
	wp_json_add_int(o, "added", (int64_t)r->adds);
	wp_json_add_int(o, "changed", (int64_t)r->changes);
	wp_json_add_int(o, "deleted", (int64_t)r->dels);
}

/* The recorded runs, newest first. */
static const struct ospf_spf_run_rec *
spf_hist(const struct ospf *ospf, size_t i)
{
	uint64_t runs = ospf->spf.recs;

	if (i >= runs || i >= OSPF_SPF_HIST)
		return NULL;
	return &ospf->spf.hist[(runs - 1 - i) % OSPF_SPF_HIST];
}

/* --- show ip ospf ------------------------------------------------------------ */

/* The area's type and what it means for us (stub, NSSA, ranges). */
static void
area_type_json(json_object *o, const struct ospf_area *a)
{
	const struct ospf_area_conf *ac = ospf_area_conf(a);

	wp_json_add_str(o, "type", ospf_area_type_name(ac));
	if (ac->type != OSPF_AREA_NORMAL) {
		wp_json_add_bool(o, "noSummary", ac->no_summary);
		wp_json_add_int(o, "defaultCost", ac->default_cost_set ?
				ac->default_cost : OSPF_DEF_STUB_COST);
	}
	if (ac->type == OSPF_AREA_NSSA) {
		static const char *const roles[] = {
			[OSPF_NSSA_CANDIDATE] = "candidate",
			[OSPF_NSSA_ALWAYS] = "always",
			[OSPF_NSSA_NEVER] = "never",
		};

		wp_json_add_str(o, "nssaTranslatorRole",
				roles[ac->nssa_role % 3]);
		wp_json_add_bool(o, "nssaTranslating", a->translating);
		wp_json_add_bool(o, "nssaDefault", ac->nssa_default);
	}
	wp_json_add_int(o, "ranges", ac->n_ranges);
	wp_json_add_int(o, "nssaRanges", ac->n_nssa_ranges);
	wp_json_add_int(o, "nssaLsas", (int64_t)a->lsdb->count_type[
				OSPF_LSA_NSSA]);
}

static void
rib_text(struct wp_vty_cmd_ctx *ctx, const struct ospf *ospf)
{
	struct ospf_rib_info ri;

	ospf_rib_info(ospf, &ri);
	if (!ri.present)
		return;
	wp_vty_out(ctx, " ribd: %s, distance %u, initial sync %s; %zu routes: "
		   "%zu installed, %zu failed, %zu not selected, %zu inactive, "
		   "%zu awaiting an answer\n",
		   ri.st.connected ? "connected" : "not connected",
		   ri.distance, ri.synced ? "done" : "in progress",
		   ri.st.routes, ri.st.installed, ri.st.failed,
		   ri.st.not_selected, ri.st.inactive,
		   ri.st.unsent + ri.st.awaiting);
}

/* The session with ribd: "rib" in `show ip ospf json`. */
static void
add_rib(json_object *top, const struct ospf *ospf)
{
	struct ospf_rib_info ri;
	json_object *o;

	ospf_rib_info(ospf, &ri);
	if (!ri.present)
		return;
	o = wp_json_add_object(top, "rib");
	wp_json_add_bool(o, "connected", ri.st.connected);
	wp_json_add_bool(o, "initialSyncDone", ri.synced);
	wp_json_add_bool(o, "idle", ri.idle);
	wp_json_add_int(o, "distance", ri.distance);
	wp_json_add_int(o, "distanceIntraArea",
			ospf_route_distance(ri.distance, ri.distance_type,
					    OSPF_PATH_INTRA));
	wp_json_add_int(o, "distanceInterArea",
			ospf_route_distance(ri.distance, ri.distance_type,
					    OSPF_PATH_INTER));
	wp_json_add_int(o, "distanceExternal",
			ospf_route_distance(ri.distance, ri.distance_type,
					    OSPF_PATH_EXT2));
	wp_json_add_int(o, "routes", (int64_t)ri.st.routes);
	wp_json_add_int(o, "discards", (int64_t)ospf_rib_discard_count(ospf));
	wp_json_add_int(o, "installed", (int64_t)ri.st.installed);
	wp_json_add_int(o, "failed", (int64_t)ri.st.failed);
	wp_json_add_int(o, "notSelected", (int64_t)ri.st.not_selected);
	wp_json_add_int(o, "inactive", (int64_t)ri.st.inactive);
	wp_json_add_int(o, "awaiting", (int64_t)(ri.st.unsent +
						ri.st.awaiting));
	wp_json_add_uint64(o, "connects", ri.st.connects);
}

static int
show_ospf(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	struct ospf *ospf = ctx_ospf(ctx);
	const struct ospf_conf *c;
	json_object *top, *areas, *spf;
	struct ospf_area *a;
	char up[32];

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	c = ospf->conf;
	top = json_object_new_object();
	wp_json_add_str(top, "vrfName", ospf_vrf_name(ospf));
	add_id(top, "routerId", ospf->router_id);
	fmt_duration((double)(time(NULL) - ospf->started), up, sizeof(up));
	wp_json_add_str(top, "uptime", up);
	wp_json_add_bool(top, "areaBorderRouter", ospf_is_abr(ospf));
	wp_json_add_bool(top, "nssaTranslator", ospf_is_translator(ospf));
	wp_json_add_int(top, "lsaMinIntervalMsecs", c->lsa_interval);
	wp_json_add_int(top, "lsaMinArrivalMsecs", c->lsa_arrival);
	wp_json_add_int(top, "maximumPaths", c->max_paths);
	wp_json_add_int(top, "asExternalLsas",
			(int64_t)ospf_lsdb_count(ospf->as_lsdb));
	wp_json_add_uint64(top, "lsaOriginated", ospf->stats.lsa_originated);
	wp_json_add_uint64(top, "lsaReceived", ospf->stats.lsa_received);
	wp_json_add_uint64(top, "lsaFlushed", ospf->stats.lsa_flushed);
	wp_json_add_int(top, "routes", (int64_t)wp_trie_count(
				ospf->rtable->routes));
	wp_json_add_uint64(top, "ribBatches", ospf->stats.rib_batches);
	/* Lines of the configuration not applied (logged each). */
	wp_json_add_uint64(top, "configErrors", c->n_errors);
	wp_json_add_uint64(top, "configIgnored", c->n_ignored);
	wp_json_add_bool(top, "asbr", ospf_redist_asbr(ospf));
	wp_json_add_uint64(top, "redistributedRoutes", ospf_redist_count(ospf));
	add_rib(top, ospf);
	ospf_bfd_json(ospf, top);
	ospf_max_metric_json(ospf, top);
	ospf_gr_json(ospf, top);
	spf = wp_json_add_object(top, "spf");
	wp_json_add_int(spf, "delayMsecs", c->spf_delay);
	wp_json_add_int(spf, "holdMsecs", c->spf_hold);
	wp_json_add_int(spf, "maxWaitMsecs", c->spf_max);
	wp_json_add_int(spf, "currentHoldMsecs",
			(int64_t)(ospf->spf.hold * 1000.0));
	wp_json_add_uint64(spf, "runs", ospf->spf.runs);
	wp_json_add_double(spf, "lastDurationMsecs",
			   ospf->spf.last_duration * 1000.0);
	/* Incremental updates (§16.5, §16.6), counted apart. */
	wp_json_add_uint64(spf, "incrementalRuns", ospf->spf.inc.runs);
	wp_json_add_uint64(spf, "incrementalLsas", ospf->spf.inc.lsas);
	wp_json_add_double(spf, "incrementalLastDurationMsecs",
			   ospf->spf.inc.last_duration * 1000.0);
	if (ospf->spf.runs)
		wp_json_add_int(spf, "lastRunSecondsAgo",
				(int64_t)(time(NULL) - ospf->spf.last_time));
	wp_json_add_str(spf, "lastReason", ospf->spf.last_reason);
	wp_json_add_int(spf, "lastVertices", ospf->spf.last.vertices);
	if (ospf->spf.recs)
		spf_run_json(wp_json_add_object(spf, "lastRun"),
			     spf_hist(ospf, 0));
	if (wp_timer_active(&ospf->spf.timer))
		wp_json_add_double(spf, "pendingInMsecs",
				   wp_timer_remaining(&ospf->spf.timer) * 1e3);
	areas = wp_json_add_array(top, "areas");
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		json_object *o = wp_json_array_add_object(areas);
		struct ospf_iface *ifp;
		int nif = 0;

		TAILQ_FOREACH(ifp, &a->ifaces, area_entry)
			nif++;
		add_id(o, "area", a->id);
		area_type_json(o, a);
		wp_json_add_int(o, "interfaces", nif);
		wp_json_add_int(o, "fullAdjacencies", a->n_full);
		wp_json_add_int(o, "lsas", (int64_t)ospf_lsdb_count(a->lsdb));
		wp_json_add_int(o, "routerLsas",
				(int64_t)a->lsdb->count_type[OSPF_LSA_ROUTER]);
		wp_json_add_int(o, "networkLsas",
				(int64_t)a->lsdb->count_type[OSPF_LSA_NETWORK]);
		wp_json_add_int(o, "summaryLsas", (int64_t)(
			a->lsdb->count_type[OSPF_LSA_SUMMARY] +
			a->lsdb->count_type[OSPF_LSA_ASBR_SUMMARY]));
		wp_json_add_uint64(o, "spfRuns", a->spf_runs);
	}
	if (json) {
		out_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, " OSPF Routing Process, Router ID: %s\n",
		   json_object_get_string(json_object_object_get(top,
								 "routerId")));
	wp_vty_out(ctx, " Up %s%s\n", up, ospf_is_abr(ospf) ?
		   ", area border router" : "");
	wp_vty_out(ctx, " SPF throttle: delay %u ms, hold %u ms, max %u ms "
		   "(current hold %.0f ms)\n", c->spf_delay, c->spf_hold,
		   c->spf_max, ospf->spf.hold * 1000.0);
	wp_vty_out(ctx, " SPF ran %" PRIu64 " times; last took %.3f ms "
		   "(%s), %u vertices\n", ospf->spf.runs,
		   ospf->spf.last_duration * 1000.0,
		   ospf->spf.last_reason[0] ? ospf->spf.last_reason : "-",
		   ospf->spf.last.vertices);
	wp_vty_out(ctx, " Incremental updates (external, inter-area): %"
		   PRIu64 " (%" PRIu64 " LSAs), last took %.3f ms\n",
		   ospf->spf.inc.runs,
		   ospf->spf.inc.lsas, ospf->spf.inc.last_duration * 1000.0);
	wp_vty_out(ctx, " LSA: MinLSInterval %u ms, MinLSArrival %u ms; "
		   "%" PRIu64 " originated, %" PRIu64 " received, %" PRIu64
		   " flushed\n", c->lsa_interval, c->lsa_arrival,
		   ospf->stats.lsa_originated, ospf->stats.lsa_received,
		   ospf->stats.lsa_flushed);
	wp_vty_out(ctx, " %zu AS-external LSAs, %zu routes, maximum paths "
		   "%u\n", ospf_lsdb_count(ospf->as_lsdb),
		   wp_trie_count(ospf->rtable->routes), c->max_paths);
	if (ospf_redist_asbr(ospf))
		wp_vty_out(ctx, " This router is an ASBR (injecting external "
			   "routing information); %zu routes heard for "
			   "redistribution\n", ospf_redist_count(ospf));
	rib_text(ctx, ospf);
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		const struct ospf_area_conf *ac = ospf_area_conf(a);
		char id[16];

		wp_vty_out(ctx, " Area %s (%s%s%s): %u full adjacencies, %zu "
			   "LSAs, SPF ran %" PRIu64 " times\n",
			   ospf_id_fmt(a->id, id, sizeof(id)),
			   ospf_area_type_name(ac),
			   ac->no_summary ? ", no-summary" : "",
			   a->translating ? ", translating type-7" : "",
			   a->n_full, ospf_lsdb_count(a->lsdb), a->spf_runs);
	}
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- the adjacency doctor ------------------------------------------------------ */

/*
 * Each interface counts refused packets by reason with the last source,
 * time and detail (ospf_iface_err()).  A reason of the doctor's (one that
 * keeps an adjacency from forming: ospf_if_err_code[]) seen within two
 * dead intervals is a current problem.
 */
static bool
problem_recent(const struct ospf_iface *ifp, int e, double now)
{
	const struct ospf_if_stats *st = &ifp->stats;

	return ospf_if_err_code[e] != NULL && st->err_time[e] > 0 &&
	       now - st->err_time[e] <= 2.0 * ifp->dead_interval;
}

static void
problem_json(json_object *o, const struct ospf_iface *ifp, int e, double now)
{
	const struct ospf_if_stats *st = &ifp->stats;

	wp_json_add_str(o, "reason", ospf_if_err_code[e]);
	wp_json_add_str(o, "description", ospf_if_err_name[e]);
	add_id(o, "source", st->err_src[e]);
	wp_json_add_uint64(o, "count", st->err[e]);
	wp_json_add_int(o, "secondsAgo", (int64_t)(now - st->err_time[e]));
	if (st->err_detail[e][0])
		wp_json_add_str(o, "detail", st->err_detail[e]);
}

/* The current problems of `ifp` with sources from `src` (0: any). */
static int
problem_latest(const struct ospf_iface *ifp, uint32_t src, double now)
{
	int last = -1;

	for (int e = 0; e < OSPF_ERR_MAX; e++) {
		if (!problem_recent(ifp, e, now) ||
		    (src && ifp->stats.err_src[e] != src))
			continue;
		if (last < 0 || ifp->stats.err_time[e] >
				ifp->stats.err_time[last])
			last = e;
	}
	return last;
}

/* Why is an adjacency not forming here: every current problem, and the
 * latest one as a line for the table. */
static void
doctor(json_object *o, const struct ospf_iface *ifp)
{
	const struct ospf_if_stats *st = &ifp->stats;
	double now = (double)time(NULL);
	json_object *arr = wp_json_add_array(o, "adjacencyProblems");
	int last = problem_latest(ifp, 0, now);
	char src[16];

	for (int e = 0; e < OSPF_ERR_MAX; e++)
		if (problem_recent(ifp, e, now))
			problem_json(wp_json_array_add_object(arr), ifp, e,
				     now);
	if (last < 0)
		return;
	wp_json_add_strf(o, "adjacencyProblem", "%s from %s%s%s (%.0f s ago)",
			 ospf_if_err_name[last],
			 ospf_id_fmt(st->err_src[last], src, sizeof(src)),
			 st->err_detail[last][0] ? ": " : "",
			 st->err_detail[last], now - st->err_time[last]);
}

/* Why is `nbr` not Full (or not working although Full)?  A current
 * problem of its address, one-way hellos, or an exchange that stalls. */
static void
nbr_problem(json_object *o, const struct ospf_iface *ifp,
	    const struct ospf_nbr *nbr)
{
	double now = (double)time(NULL), stuck;
	int e = problem_latest(ifp, nbr->addr, now);

	if (e >= 0) {
		wp_json_add_str(o, "problem", ospf_if_err_code[e]);
		wp_json_add_strf(o, "problemDetail", "%s%s%s",
				 ospf_if_err_name[e],
				 ifp->stats.err_detail[e][0] ? ": " : "",
				 ifp->stats.err_detail[e]);
		return;
	}
	if (nbr->state == NBR_STA_INIT) {
		/* §10.5: its hellos do not list us; it refuses ours. */
		wp_json_add_str(o, "problem", "one-way");
		wp_json_add_str(o, "problemDetail", "its hellos do not list us: "
				"it refuses our hellos (see its side)");
		return;
	}
	stuck = ospf_now() - nbr->state_change;
	if (nbr->state >= NBR_STA_EXSTART && nbr->state < NBR_STA_FULL &&
	    stuck > ifp->dead_interval) {
		wp_json_add_str(o, "problem", "exchange-stuck");
		wp_json_add_strf(o, "problemDetail", "in %s for %.0f s",
				 ospf_nbr_state_name[nbr->state], stuck);
	}
}

/* Sources refused with a current problem that are not neighbours. */
static void
rejected_json(json_object *arr, const struct ospf_iface *ifp)
{
	double now = (double)time(NULL);

	for (int e = 0; e < OSPF_ERR_MAX; e++) {
		const struct ospf_nbr *nbr;
		json_object *o;
		bool known = false;

		if (!problem_recent(ifp, e, now))
			continue;
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (nbr->addr == ifp->stats.err_src[e])
				known = true;
		if (known)
			continue;
		o = wp_json_array_add_object(arr);
		wp_json_add_str(o, "interface", ifp->name);
		problem_json(o, ifp, e, now);
	}
}

/* --- show ip ospf neighbor ----------------------------------------------------- */

static bool
has_word(int argc, const char *argv[], const char *w)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], w) == 0)
			return true;
	return false;
}

static uint32_t
parse_id(const char *s)
{
	struct in_addr a;

	if (s == NULL || inet_pton(AF_INET, s, &a) != 1)
		return 0;
	return ntohl(a.s_addr);
}

static void
options_str(uint8_t opt, char *buf, size_t len)
{
	snprintf(buf, len, "*|%s|%s|%s|%s|%s|%s|*",
		 opt & OSPF_OPT_O ? "O" : "-", opt & OSPF_OPT_DC ? "DC" : "-",
		 opt & OSPF_OPT_EA ? "EA" : "-", opt & OSPF_OPT_NP ? "N/P" : "-",
		 opt & OSPF_OPT_MC ? "MC" : "-", opt & OSPF_OPT_E ? "E" : "-");
}

static void
nbr_detail_json(json_object *o, const struct ospf_iface *ifp,
		const struct ospf_nbr *nbr)
{
	char b[48];

	add_id(o, "ifaceAddress", ifp->addr);
	add_id(o, "routerDesignatedId", nbr->dr);
	add_id(o, "routerDesignatedBackupId", nbr->bdr);
	wp_json_add_int(o, "optionsCounter", nbr->options);
	options_str(nbr->options, b, sizeof(b));
	wp_json_add_str(o, "optionsList", b);
	wp_json_add_int(o, "lastStateChangeSecondsAgo",
			(int64_t)(ospf_now() - nbr->state_change));
	wp_json_add_int(o, "ddSequence", nbr->dd_seq);
	wp_json_add_bool(o, "cryptSequenceValid", nbr->crypt_seq_valid);
}

static void
nbr_detail_text(struct wp_vty_cmd_ctx *ctx, json_object *o)
{
#define S(k)	json_object_get_string(json_object_object_get(o, k))
#define I(k)	json_object_get_int64(json_object_object_get(o, k))
	wp_vty_out(ctx, " Neighbor %s, interface address %s\n", S("routerId"),
		   S("address"));
	wp_vty_out(ctx, "    In the area %s via interface %s (our address "
		   "%s)\n", S("area"), S("interface"), S("ifaceAddress"));
	wp_vty_out(ctx, "    Neighbor priority is %" PRId64 ", State is %s, "
		   "%" PRId64 " state changes, last %" PRId64 " s ago\n",
		   I("priority"), S("stateRole"), I("stateChanges"),
		   I("lastStateChangeSecondsAgo"));
	wp_vty_out(ctx, "    DR is %s, BDR is %s\n", S("routerDesignatedId"),
		   S("routerDesignatedBackupId"));
	wp_vty_out(ctx, "    Options %" PRId64 " %s\n", I("optionsCounter"),
		   S("optionsList"));
	wp_vty_out(ctx, "    Dead timer due in %" PRId64 " s, up %s\n",
		   I("deadSeconds"), S("upTime"));
	wp_vty_out(ctx, "    Database Summary List %" PRId64 ", Link State "
		   "Request List %" PRId64 ", Link State Retransmission List "
		   "%" PRId64 "\n", I("summaryCount"), I("requestCount"),
		   I("retransmitCount"));
	if (json_object_object_get(o, "problem"))
		wp_vty_out(ctx, "    Problem: %s\n", S("problemDetail"));
	wp_vty_out(ctx, "\n");
#undef S
#undef I
}

static void
rejected_text(struct wp_vty_cmd_ctx *ctx, json_object *arr)
{
	size_t n = json_object_array_length(arr);

	if (n == 0)
		return;
	wp_vty_out(ctx, "\nRefused (no adjacency):\n");
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		json_object *d = json_object_object_get(o, "detail");

#define S(k)	json_object_get_string(json_object_object_get(o, k))
		wp_vty_out(ctx, "  %s from %s: %s%s%s, %s packets, last %s s "
			   "ago\n", S("interface"), S("source"),
			   S("description"), d ? ": " : "",
			   d ? json_object_get_string(d) : "", S("count"),
			   S("secondsAgo"));
#undef S
	}
}

static int
show_neighbor(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Neighbor ID", "routerId", WP_TABLE_LEFT },
		{ "Pri", "priority", WP_TABLE_RIGHT },
		{ "State", "stateRole", WP_TABLE_LEFT },
		{ "Up", "upTime", WP_TABLE_RIGHT },
		{ "Dead", "deadSeconds", WP_TABLE_RIGHT },
		{ "Address", "address", WP_TABLE_LEFT },
		{ "Interface", "interface", WP_TABLE_LEFT },
		{ "RXmtL", "retransmitCount", WP_TABLE_RIGHT },
		{ "RqstL", "requestCount", WP_TABLE_RIGHT },
		{ "DBsmL", "summaryCount", WP_TABLE_RIGHT },
		{ "Problem", "problem", WP_TABLE_LEFT },
	};
	struct ospf *ospf = ctx_ospf(ctx);
	json_object *top, *arr, *rej;
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;
	const char *which = argc > 4 && strcmp(argv[4], "json") &&
			    strcmp(argv[4], "detail") ? argv[4] : NULL;
	bool detail = which || has_word(argc, argv, "detail");
	uint32_t only = parse_id(which);

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	arr = wp_json_add_array(top, "neighbors");
	rej = wp_json_add_array(top, "rejected");
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		if (!which)
			rejected_json(rej, ifp);
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
			json_object *o;
			char up[32];

			if (which && nbr->id != only)
				continue;
			o = wp_json_array_add_object(arr);
			add_id(o, "routerId", nbr->id);
			wp_json_add_int(o, "priority", nbr->priority);
			wp_json_add_str(o, "state",
					ospf_nbr_state_name[nbr->state]);
			wp_json_add_str(o, "role", ospf_nbr_role(nbr));
			wp_json_add_strf(o, "stateRole", "%s/%s",
					 ospf_nbr_state_name[nbr->state],
					 ospf_nbr_role(nbr));
			if (nbr->state == NBR_STA_FULL)
				fmt_duration((double)(time(NULL) -
						      nbr->up_since), up,
					     sizeof(up));
			else
				snprintf(up, sizeof(up), "-");
			wp_json_add_str(o, "upTime", up);
			wp_json_add_int(o, "deadSeconds", (int64_t)
					wp_timer_remaining(
						&nbr->inactivity_timer));
			add_id(o, "address", nbr->addr);
			wp_json_add_str(o, "interface", ifp->name);
			add_id(o, "area", ifp->area->id);
			wp_json_add_int(o, "retransmitCount", nbr->n_rxmt);
			wp_json_add_int(o, "requestCount", nbr->n_lsreq);
			wp_json_add_int(o, "summaryCount", nbr->n_summary);
			wp_json_add_bool(o, "master", nbr->state >=
					 NBR_STA_EXCHANGE && nbr->master);
			wp_json_add_uint64(o, "stateChanges",
					   nbr->state_changes);
			if (nbr->last_event)
				wp_json_add_str(o, "lastEvent",
						nbr->last_event);
			wp_json_add_uint64(o, "lsaRetransmitted",
					   nbr->rxmt_sent);
			nbr_problem(o, ifp, nbr);
			if (detail)
				nbr_detail_json(o, ifp, nbr);
			ospf_bfd_nbr_json(nbr, o);
			ospf_gr_nbr_json(nbr, o);
		}
	}
	if (which && json_object_array_length(arr) == 0) {
		json_object_put(top);
		if (show_all == NULL)	/* vrf all json: this VRF left out */
			wp_vty_out(ctx, "%% No neighbor %s\n", which);
		return WP_VTY_WARNING;	/* no such object */
	}
	if (json) {
		out_json(ctx, top);
		return WP_VTY_OK;
	}
	if (detail) {
		for (size_t i = 0; i < json_object_array_length(arr); i++)
			nbr_detail_text(ctx, json_object_array_get_idx(arr, i));
	} else {
		char *t = wp_table_render_json(cols, sizeof(cols) /
					       sizeof(cols[0]), arr);

		wp_vty_puts(ctx, t);
		wp_free(MT_STRING, t);
	}
	rejected_text(ctx, rej);
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- show ip ospf interface ------------------------------------------------------ */

/* A virtual link's other end, transit area and way out (§15). */
static void
vlink_json(json_object *o, const struct ospf_iface *ifp)
{
	const struct ospf_iface *out = ospf_vlink_out(ifp);
	json_object *v = wp_json_add_object(o, "virtualLink");

	add_id(v, "neighbor", ifp->vl_peer);
	add_id(v, "transitArea", ifp->vl_transit);
	add_id(v, "neighborAddress", ifp->vl_peer_addr);
	wp_json_add_str(v, "via", out && ifp->state != IF_STA_DOWN ?
			out->name : "");
}

/* One interface as a block, in the order FRR prints it. */
static void
iface_text(struct wp_vty_cmd_ctx *ctx, json_object *o)
{
	json_object *probs = json_object_object_get(o, "adjacencyProblems");
	json_object *due = json_object_object_get(o, "helloDueInSecs");
	json_object *vl, *nb;

#define S(obj, k)	json_object_get_string(json_object_object_get(obj, k))
	wp_vty_out(ctx, "%s is %s\n", S(o, "name"),
		   strcmp(S(o, "state"), "Down") ? "up" : "down");
	wp_vty_out(ctx, "  ifindex %s, MTU %s bytes\n", S(o, "ifindex"),
		   S(o, "mtu"));
	wp_vty_out(ctx, "  Internet Address %s, Area %s\n", S(o, "address"),
		   S(o, "area"));
	wp_vty_out(ctx, "  MTU mismatch detection: %s\n",
		   json_object_get_boolean(json_object_object_get(
			   o, "mtuMismatchDetect")) ? "enabled" : "disabled");
	if ((vl = json_object_object_get(o, "virtualLink")) != NULL)
		wp_vty_out(ctx, "  Virtual link to %s through area %s, "
			   "neighbor address %s%s%s\n", S(vl, "neighbor"),
			   S(vl, "transitArea"), S(vl, "neighborAddress"),
			   *S(vl, "via") ? " via " : "", S(vl, "via"));
	wp_vty_out(ctx, "  Network Type %s, Cost: %s%s\n", S(o, "networkType"),
		   S(o, "cost"), json_object_get_boolean(
			   json_object_object_get(o, "passive")) ?
		   ", passive" : "");
	wp_vty_out(ctx, "  Transmit Delay is %s sec, State %s, Priority %s\n",
		   S(o, "transmitDelay"), S(o, "state"), S(o, "priority"));
	wp_vty_out(ctx, "  Designated Router (ID) %s, Interface Address %s\n",
		   S(o, "drId"), S(o, "dr"));
	wp_vty_out(ctx, "  Backup Designated Router (ID) %s, Interface "
		   "Address %s\n", S(o, "bdrId"), S(o, "bdr"));
	wp_vty_out(ctx, "  Timer intervals configured, Hello %ss, Dead %ss, "
		   "Retransmit %s\n", S(o, "helloInterval"),
		   S(o, "deadInterval"), S(o, "retransmitInterval"));
	if (due)
		wp_vty_out(ctx, "    Hello due in %.3fs\n",
			   json_object_get_double(due));
	wp_vty_out(ctx, "  Authentication %s\n", S(o, "authentication"));
	/* Only NBMA and point-to-multipoint interfaces have the list. */
	nb = json_object_object_get(o, "nbmaNeighbors");
	if (!json_object_is_type(nb, json_type_array))
		nb = NULL;
	for (size_t i = 0; nb && i < json_object_array_length(nb); i++) {
		json_object *c = json_object_array_get_idx(nb, i);

		wp_vty_out(ctx, "  Configured neighbor %s, priority %s, poll "
			   "interval %ss, state %s\n", S(c, "address"),
			   S(c, "priority"), S(c, "pollInterval"),
			   S(c, "state"));
	}
	wp_vty_out(ctx, "  Neighbor Count is %s, Adjacent neighbor count is "
		   "%s\n", S(o, "neighbors"), S(o, "adjacencies"));
	wp_vty_out(ctx, "  Packets dropped: %s\n", S(o, "dropped"));
	for (size_t i = 0; i < json_object_array_length(probs); i++) {
		json_object *p = json_object_array_get_idx(probs, i);
		json_object *d = json_object_object_get(p, "detail");

		wp_vty_out(ctx, "  Adjacency problem: %s from %s%s%s, %s "
			   "packets, last %s s ago\n", S(p, "description"),
			   S(p, "source"), d ? ": " : "",
			   d ? json_object_get_string(d) : "", S(p, "count"),
			   S(p, "secondsAgo"));
	}
#undef S
}

/* The key chain and the key that signs now (RFC 5709 rollover). */
static void
add_key_chain(json_object *o, const struct ospf_iface *ifp)
{
	const struct wp_key *k = wp_keychain_send_key(
		wp_keychain_find(&ifp->ospf->conf->keychains, ifp->key_chain),
		time(NULL), 255);

	wp_json_add_str(o, "keyChain", ifp->key_chain);
	if (k == NULL)
		return;
	wp_json_add_int(o, "sendKeyId", k->id);
	wp_json_add_str(o, "sendKeyAlgorithm", wp_kc_algo_name(
		k->algo == WP_KC_ALGO_NONE ? WP_KC_MD5 : k->algo));
}

static int
show_interface(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	       bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Interface", "name", WP_TABLE_LEFT },
		{ "Address", "address", WP_TABLE_LEFT },
		{ "Area", "area", WP_TABLE_LEFT },
		{ "State", "state", WP_TABLE_LEFT },
		{ "Type", "networkType", WP_TABLE_LEFT },
		{ "Cost", "cost", WP_TABLE_RIGHT },
		{ "DR", "dr", WP_TABLE_LEFT },
		{ "BDR", "bdr", WP_TABLE_LEFT },
		{ "Nbrs", "neighbors", WP_TABLE_RIGHT },
		{ "Full", "adjacencies", WP_TABLE_RIGHT },
		{ "Dropped", "dropped", WP_TABLE_RIGHT },
		{ "Problem", "adjacencyProblem", WP_TABLE_LEFT },
	};
	struct ospf *ospf = ctx_ospf(ctx);
	json_object *top, *arr;
	struct ospf_iface *ifp;
	const char *name = argc > 4 && strcmp(argv[4], "json") ? argv[4] :
			   NULL;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	arr = wp_json_add_array(top, "interfaces");
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		json_object *o, *rx, *tx, *err;
		const struct ospf_nbr *nbr;
		uint64_t dropped = 0;
		int full = 0;
		char a[16];

		if (name && strcmp(name, ifp->name) != 0)
			continue;
		o = wp_json_array_add_object(arr);
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
			if (nbr->state == NBR_STA_FULL)
				full++;
		wp_json_add_str(o, "name", ifp->name);
		wp_json_add_int(o, "ifindex", ifp->ifindex);
		wp_json_add_strf(o, "address", "%s/%u",
				 ospf_id_fmt(ifp->addr, a, sizeof(a)),
				 ifp->plen);
		add_id(o, "area", ifp->area->id);
		wp_json_add_str(o, "state", ospf_if_state_name[ifp->state]);
		wp_json_add_str(o, "networkType", ospf_net_type_name(ifp));
		wp_json_add_int(o, "cost", ifp->cost);
		wp_json_add_int(o, "priority", ifp->priority);
		wp_json_add_bool(o, "passive", ifp->passive);
		wp_json_add_int(o, "mtu", ifp->mtu);
		wp_json_add_bool(o, "mtuMismatchDetect", !ifp->mtu_ignore);
		if (ifp->vlink)
			vlink_json(o, ifp);
		wp_json_add_int(o, "helloInterval", ifp->hello_interval);
		wp_json_add_int(o, "deadInterval", ifp->dead_interval);
		wp_json_add_int(o, "retransmitInterval", ifp->rxmt_interval);
		wp_json_add_int(o, "transmitDelay", ifp->transdelay);
		wp_json_add_str(o, "authentication",
				ifp->auth_type == OSPF_AUTH_SIMPLE ? "simple" :
				ifp->auth_type == OSPF_AUTH_CRYPT ?
				"message-digest" : "null");
		if (ifp->auth_type == OSPF_AUTH_CRYPT && ifp->key_chain[0])
			add_key_chain(o, ifp);
		add_id(o, "dr", ifp->dr);
		add_id(o, "drId", ifp->dr_id);
		add_id(o, "bdr", ifp->bdr);
		add_id(o, "bdrId", ifp->bdr_id);
		wp_json_add_int(o, "neighbors", ifp->n_nbrs);
		wp_json_add_int(o, "adjacencies", full);
		wp_json_add_uint64(o, "stateChanges", ifp->state_changes);
		if (wp_timer_active(&ifp->hello_timer))
			wp_json_add_double(o, "helloDueInSecs",
					   wp_timer_remaining(
						   &ifp->hello_timer));
		rx = wp_json_add_object(o, "received");
		tx = wp_json_add_object(o, "sent");
		for (int t = 1; t < OSPF_PKT_MAX; t++) {
			static const char *const k[] = { "", "hello", "dbd",
							 "lsReq", "lsUpd",
							 "lsAck" };

			wp_json_add_uint64(rx, k[t], ifp->stats.rx[t]);
			wp_json_add_uint64(tx, k[t], ifp->stats.tx[t]);
		}
		wp_json_add_uint64(tx, "errors", ifp->stats.tx_err);
		err = wp_json_add_object(o, "droppedByReason");
		for (int e = 0; e < OSPF_ERR_MAX; e++) {
			/* Noted for the doctor, the packet was kept. */
			if (ifp->stats.err[e] == 0 || e == OSPF_ERR_NET_TYPE)
				continue;
			wp_json_add_uint64(err, ospf_if_err_name[e],
					   ifp->stats.err[e]);
			dropped += ifp->stats.err[e];
		}
		wp_json_add_uint64(o, "dropped", dropped);
		if (ifp->stats.last_err_time > 0) {
			json_object *le = wp_json_add_object(o, "lastError");

			wp_json_add_str(le, "reason",
					ospf_if_err_name[ifp->stats.last_err]);
			add_id(le, "source", ifp->stats.last_err_src);
			wp_json_add_int(le, "secondsAgo", (int64_t)(
				(double)time(NULL) - ifp->stats.last_err_time));
		}
		doctor(o, ifp);
		ospf_bfd_iface_json(ifp, o);
		ospf_nbma_iface_json(ifp, o);
	}
	if (name && json_object_array_length(arr) == 0) {
		json_object_put(top);
		if (show_all == NULL)	/* vrf all json: this VRF left out */
			wp_vty_out(ctx, "%% No OSPF interface %s\n", name);
		return WP_VTY_WARNING;	/* no such object */
	}
	if (name && !json) {
		iface_text(ctx, json_object_array_get_idx(arr, 0));
		json_object_put(top);
		return WP_VTY_OK;
	}
	out_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

/* --- show ip ospf database ------------------------------------------------------ */

static void
lsa_json(json_object *arr, const struct ospf_lsa *lsa, double now)
{
	json_object *o = wp_json_array_add_object(arr);
	char b[16];

	wp_json_add_int(o, "type", lsa->hdr.type);
	wp_json_add_str(o, "typeName", ospf_lsa_type_name(lsa->hdr.type));
	add_id(o, "lsId", lsa->hdr.id);
	add_id(o, "advRouter", lsa->hdr.adv);
	wp_json_add_int(o, "age", ospf_lsa_age(lsa, now));
	wp_json_add_strf(o, "sequence", "0x%08x", lsa->hdr.seq);
	wp_json_add_strf(o, "checksum", "0x%04x", lsa->hdr.cksum);
	wp_json_add_int(o, "length", lsa->hdr.len);
	wp_json_add_bool(o, "selfOriginated", (lsa->flags & OSPF_LSA_SELF) != 0);
	switch (lsa->hdr.type) {
	case OSPF_LSA_ROUTER:
		wp_json_add_int(o, "links", lsa->u.rtr.nlinks);
		wp_json_add_strf(o, "info", "%u links%s%s", lsa->u.rtr.nlinks,
				 lsa->u.rtr.flags & OSPF_RTR_B ? " ABR" : "",
				 lsa->u.rtr.flags & OSPF_RTR_E ? " ASBR" : "");
		break;
	case OSPF_LSA_NETWORK:
		wp_json_add_int(o, "attachedRouters", lsa->u.net.nrtrs);
		wp_json_add_strf(o, "info", "/%u, %u routers",
				 ospf_mask2plen(lsa->u.net.mask),
				 lsa->u.net.nrtrs);
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		wp_json_add_int(o, "metric", lsa->u.sum.metric);
		wp_json_add_strf(o, "info", "%s/%u metric %u",
				 ospf_id_fmt(lsa->hdr.id & lsa->u.sum.mask, b,
					     sizeof(b)),
				 ospf_mask2plen(lsa->u.sum.mask),
				 lsa->u.sum.metric);
		break;
	case OSPF_LSA_OPAQUE_LINK:
	case OSPF_LSA_OPAQUE_AREA:
	case OSPF_LSA_OPAQUE_AS:
		/* RFC 5250 §3: the ID is opaque type (8 bits) and ID. */
		wp_json_add_int(o, "opaqueType", lsa->hdr.id >> 24);
		wp_json_add_int(o, "opaqueId", lsa->hdr.id & 0xffffff);
		wp_json_add_strf(o, "info", "opaque type %u, id %u, %u bytes",
				 lsa->hdr.id >> 24, lsa->hdr.id & 0xffffff,
				 lsa->hdr.len - OSPF_LSA_HDR_LEN);
		break;
	default:
		wp_json_add_int(o, "metric", lsa->u.ext.metric);
		wp_json_add_int(o, "metricType", lsa->u.ext.e2 ? 2 : 1);
		add_id(o, "forwardingAddress", lsa->u.ext.fwd);
		wp_json_add_strf(o, "info", "%s/%u E%d metric %u",
				 ospf_id_fmt(lsa->hdr.id & lsa->u.ext.mask, b,
					     sizeof(b)),
				 ospf_mask2plen(lsa->u.ext.mask),
				 lsa->u.ext.e2 ? 2 : 1, lsa->u.ext.metric);
		break;
	}
}

/* What `show ip ospf database ...` selects; zero: everything. */
struct db_filter {
	uint8_t type;			/* 0: any */
	bool has_id;
	uint32_t id;
	bool self;
	bool has_adv;
	uint32_t adv;
	bool maxage;
};

static const struct {
	const char *word;
	uint8_t type;
} db_types[] = {
	{ "router", OSPF_LSA_ROUTER },
	{ "network", OSPF_LSA_NETWORK },
	{ "summary", OSPF_LSA_SUMMARY },
	{ "asbr-summary", OSPF_LSA_ASBR_SUMMARY },
	{ "external", OSPF_LSA_EXTERNAL },
	{ "nssa-external", OSPF_LSA_NSSA },
	{ "opaque-link", OSPF_LSA_OPAQUE_LINK },
	{ "opaque-area", OSPF_LSA_OPAQUE_AREA },
	{ "opaque-as", OSPF_LSA_OPAQUE_AS },
};

/* The words after "database": [TYPE [LSID]] [self-originate|adv-router
 * A.B.C.D] | max-age; the grammar already checked them. */
static void
db_filter_parse(int argc, const char *argv[], struct db_filter *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 4; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "self-originate") == 0) {
			f->self = true;
		} else if (strcmp(w, "max-age") == 0) {
			f->maxage = true;
		} else if (strcmp(w, "adv-router") == 0 && i + 1 < argc) {
			f->has_adv = true;
			f->adv = parse_id(argv[++i]);
		} else if (strcmp(w, "json") != 0) {
			bool typed = false;

			for (size_t t = 0; t < sizeof(db_types) /
			     sizeof(db_types[0]); t++)
				if (strcmp(w, db_types[t].word) == 0) {
					f->type = db_types[t].type;
					typed = true;
				}
			if (!typed) {
				f->has_id = true;
				f->id = parse_id(w);
			}
		}
	}
}

static bool
db_filter_match(const struct db_filter *f, const struct ospf *ospf,
		const struct ospf_lsa *lsa, double now)
{
	if (f->type && lsa->hdr.type != f->type)
		return false;
	if (f->has_id && lsa->hdr.id != f->id)
		return false;
	if (f->self && lsa->hdr.adv != ospf->router_id)
		return false;
	if (f->has_adv && lsa->hdr.adv != f->adv)
		return false;
	if (f->maxage && ospf_lsa_age(lsa, now) < OSPF_MAX_AGE)
		return false;
	return true;
}

static json_object *
db_json(json_object *parent, const char *key, const struct ospf_lsdb *db,
	const struct ospf *ospf, const struct db_filter *f, double now)
{
	json_object *arr = wp_json_add_array(parent, key);
	struct ospf_lsa **v;
	size_t n;

	v = ospf_lsdb_sorted(db, &n);
	for (size_t i = 0; i < n; i++)
		if (db_filter_match(f, ospf, v[i], now))
			lsa_json(arr, v[i], now);
	wp_free(MT_OSPF_LSDB, v);
	return arr;
}

static void
db_text(struct wp_vty_cmd_ctx *ctx, json_object *arr)
{
	static const struct wp_table_col cols[] = {
		{ "Type", "typeName", WP_TABLE_LEFT },
		{ "Link ID", "lsId", WP_TABLE_LEFT },
		{ "ADV Router", "advRouter", WP_TABLE_LEFT },
		{ "Age", "age", WP_TABLE_RIGHT },
		{ "Seq#", "sequence", WP_TABLE_LEFT },
		{ "CkSum", "checksum", WP_TABLE_LEFT },
		{ "Len", "length", WP_TABLE_RIGHT },
		{ "Info", "info", WP_TABLE_LEFT },
	};
	char *s;

	if (json_object_array_length(arr) == 0) {
		wp_vty_out(ctx, "  (empty)\n");
		return;
	}
	s = wp_table_render_json(cols, sizeof(cols) / sizeof(cols[0]), arr);
	wp_vty_puts(ctx, s);
	wp_free(MT_STRING, s);
}

static int
show_database(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	struct ospf *ospf = ctx_ospf(ctx);
	json_object *top, *areas, *ext = NULL, *links = NULL;
	struct ospf_iface *ifp;
	struct ospf_area *a;
	struct db_filter f;
	double now = ospf_now();
	size_t i = 0;
	bool as_scope, area_scope;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	db_filter_parse(argc, argv, &f);
	/* Types 5 and 11 live in the AS-wide database, 9 in the
	 * interfaces', the others in areas. */
	as_scope = f.type == 0 || f.type == OSPF_LSA_EXTERNAL ||
		   f.type == OSPF_LSA_OPAQUE_AS;
	area_scope = f.type != OSPF_LSA_EXTERNAL &&
		     f.type != OSPF_LSA_OPAQUE_AS &&
		     f.type != OSPF_LSA_OPAQUE_LINK;
	top = json_object_new_object();
	add_id(top, "routerId", ospf->router_id);
	areas = wp_json_add_array(top, "areas");
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		json_object *o;

		if (!area_scope)
			break;
		o = wp_json_array_add_object(areas);
		add_id(o, "area", a->id);
		db_json(o, "lsas", a->lsdb, ospf, &f, now);
	}
	if (as_scope)
		ext = db_json(top, "asExternal", ospf->as_lsdb, ospf, &f, now);
	if (f.type == 0 || f.type == OSPF_LSA_OPAQUE_LINK) {
		links = wp_json_add_array(top, "links");
		TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
			json_object *o;

			if (ospf_lsdb_count(ifp->lsdb9) == 0)
				continue;
			o = wp_json_array_add_object(links);
			wp_json_add_str(o, "interface", ifp->name);
			db_json(o, "lsas", ifp->lsdb9, ospf, &f, now);
		}
	}
	if (json) {
		out_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, " OSPF Router with ID (%s)\n",
		   json_object_get_string(json_object_object_get(top,
								 "routerId")));
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		json_object *o;
		char id[16];

		if (!area_scope)
			break;
		o = json_object_array_get_idx(areas, i++);
		wp_vty_out(ctx, "\n Area %s\n", ospf_id_fmt(a->id, id,
							   sizeof(id)));
		db_text(ctx, json_object_object_get(o, "lsas"));
	}
	if (ext) {
		wp_vty_out(ctx, "\n AS external\n");
		db_text(ctx, ext);
	}
	for (size_t j = 0; links && j < json_object_array_length(links);
	     j++) {
		json_object *o = json_object_array_get_idx(links, j);

		wp_vty_out(ctx, "\n Link %s\n", json_object_get_string(
				   json_object_object_get(o, "interface")));
		db_text(ctx, json_object_object_get(o, "lsas"));
	}
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- show ip ospf border-routers -------------------------------------------------- */

/* Append "via GW IF" for each next hop to `via` and the array `nhs`. */
static void
nexthops_json(struct ospf *ospf, json_object *o, const struct ospf_nexthop *nh,
	      unsigned int n)
{
	json_object *nhs = wp_json_add_array(o, "nexthops");
	char via[256];
	size_t off = 0;

	via[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		json_object *j = wp_json_array_add_object(nhs);
		const char *ifn = ifname(ospf, nh[i].ifindex);
		char a[16];

		if (nh[i].gw)
			add_id(j, "ip", nh[i].gw);
		wp_json_add_str(j, "interface", ifn);
		if (off < sizeof(via))
			off += (size_t)snprintf(via + off, sizeof(via) - off,
				"%s%s%s %s", i ? ", " : "",
				nh[i].gw ? "via " : "directly attached to",
				nh[i].gw ? ospf_id_fmt(nh[i].gw, a,
						       sizeof(a)) : "",
				ifn);
	}
	wp_json_add_str(o, "via", via);
}

static int
show_border_routers(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		    bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Router ID", "routerId", WP_TABLE_LEFT },
		{ "Kind", "routerType", WP_TABLE_LEFT },
		{ "Type", "pathType", WP_TABLE_LEFT },
		{ "Cost", "cost", WP_TABLE_RIGHT },
		{ "Area", "area", WP_TABLE_LEFT },
		{ "Next hops", "via", WP_TABLE_LEFT },
	};
	struct ospf *ospf = ctx_ospf(ctx);
	json_object *top, *arr;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	arr = wp_json_add_array(top, "routers");
	for (size_t i = 0; i < ospf->rtable->n_rtrs; i++) {
		const struct ospf_rtr_route *r = &ospf->rtable->rtrs[i];
		json_object *o;
		bool abr = r->flags & OSPF_RTR_B, asbr = r->flags & OSPF_RTR_E;

		/* §16.1 step 4: only border and boundary routers matter. */
		if (!abr && !asbr)
			continue;
		o = wp_json_array_add_object(arr);
		add_id(o, "routerId", r->id);
		wp_json_add_str(o, "routerType", abr && asbr ? "abr asbr" :
				abr ? "abr" : "asbr");
		wp_json_add_bool(o, "abr", abr);
		wp_json_add_bool(o, "asbr", asbr);
		wp_json_add_str(o, "pathType", ospf_path_type_name(r->type));
		wp_json_add_int(o, "cost", r->cost);
		add_id(o, "area", r->area);
		nexthops_json(ospf, o, r->nh, r->n_nh);
	}
	out_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

/* --- show ip ospf spf, show ip ospf route changes --------------------------------- */

static int
show_spf(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Run", "run", WP_TABLE_RIGHT },
		{ "Ago", "secondsAgo", WP_TABLE_RIGHT },
		{ "Incr", "incremental", WP_TABLE_LEFT },
		{ "Reason", "reason", WP_TABLE_LEFT },
		{ "Intra ms", "intraMsecs", WP_TABLE_RIGHT },
		{ "Inter ms", "interMsecs", WP_TABLE_RIGHT },
		{ "Ext ms", "externalMsecs", WP_TABLE_RIGHT },
		{ "To RIB ms", "toRibMsecs", WP_TABLE_RIGHT },
		{ "Routes", "routes", WP_TABLE_RIGHT },
		{ "+", "added", WP_TABLE_RIGHT },
		{ "~", "changed", WP_TABLE_RIGHT },
		{ "-", "deleted", WP_TABLE_RIGHT },
	};
	struct ospf *ospf = ctx_ospf(ctx);
	const struct ospf_spf_run_rec *r;
	json_object *top, *arr;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	wp_json_add_uint64(top, "runs", ospf->spf.runs);
	wp_json_add_uint64(top, "incrementalRuns", ospf->spf.inc.runs);
	arr = wp_json_add_array(top, "history");
	for (size_t i = 0; (r = spf_hist(ospf, i)) != NULL; i++)
		spf_run_json(wp_json_array_add_object(arr), r);
	out_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

static int
show_route_changes(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		   bool json)
{
	static const char *const ops[] = {
		[OSPF_CHG_ADD] = "add",
		[OSPF_CHG_DEL] = "delete",
		[OSPF_CHG_CHANGE] = "change",
	};
	struct ospf *ospf = ctx_ospf(ctx);
	const struct ospf_spf_run_rec *r;
	json_object *top, *arr;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	arr = wp_json_add_array(top, "runs");
	for (size_t i = 0; (r = spf_hist(ospf, i)) != NULL; i++) {
		json_object *o = wp_json_array_add_object(arr), *chg;

		wp_json_add_uint64(o, "run", r->run);
		wp_json_add_bool(o, "incremental", r->incremental);
		wp_json_add_int(o, "secondsAgo",
				(int64_t)(time(NULL) - r->when));
		wp_json_add_str(o, "reason", r->reason);
		chg = wp_json_add_array(o, "changes");
		for (size_t k = 0; k < r->n_chg; k++) {
			json_object *c = wp_json_array_add_object(chg);
			char p[WP_PREFIX_STRLEN];

			wp_json_add_str(c, "prefix", wp_prefix_fmt(
				&r->chg[k].p, p, sizeof(p)));
			wp_json_add_str(c, "change", ops[r->chg[k].op]);
			if (r->chg[k].trigger >= 0)
				lsa_hdr_json(wp_json_add_object(c, "trigger"),
					     &r->triggers[r->chg[k].trigger]);
		}
		wp_json_add_int(o, "changesDropped", (int64_t)(
			r->adds + r->changes + r->dels - r->n_chg));
	}
	if (json) {
		out_json(ctx, top);
		return WP_VTY_OK;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		json_object *chg = json_object_object_get(o, "changes");

#define S(obj, k)	json_object_get_string(json_object_object_get(obj, k))
		wp_vty_out(ctx, "%s run %s, %s s ago (%s): %zu change%s\n",
			   json_object_get_boolean(json_object_object_get(
				   o, "incremental")) ? "Incremental" : "SPF",
			   S(o, "run"), S(o, "secondsAgo"), S(o, "reason"),
			   json_object_array_length(chg),
			   json_object_array_length(chg) == 1 ? "" : "s");
		for (size_t k = 0; k < json_object_array_length(chg); k++) {
			json_object *c = json_object_array_get_idx(chg, k);
			json_object *t = json_object_object_get(c, "trigger");

			wp_vty_out(ctx, "  %-6s %-18s", S(c, "change"),
				   S(c, "prefix"));
			if (t)
				wp_vty_out(ctx, "  %s-LSA %s from %s",
					   S(t, "typeName"), S(t, "lsId"),
					   S(t, "advRouter"));
			wp_vty_out(ctx, "\n");
		}
#undef S
	}
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- show ip ospf route ---------------------------------------------------------- */

struct route_walk {
	struct ospf *ospf;
	json_object *arr;
};

static int
route_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct route_walk *w = arg;
	const struct ospf_route *rt = val;
	json_object *o = wp_json_array_add_object(w->arr);
	char buf[WP_PREFIX_STRLEN], fbuf[64];
	const char *fib;
	bool installed;

	wp_json_add_str(o, "prefix", wp_prefix_fmt(p, buf, sizeof(buf)));
	wp_json_add_str(o, "pathType", ospf_path_type_name(rt->type));
	wp_json_add_int(o, "cost", rt->cost);
	if (rt->type == OSPF_PATH_EXT2)
		wp_json_add_int(o, "type2Cost", rt->cost2);
	add_id(o, "area", rt->area);
	add_id(o, "advRouter", rt->adv);
	wp_json_add_bool(o, "directlyAttached", rt->connected);
	nexthops_json(w->ospf, o, rt->nh, rt->n_nh);
	fib = ospf_rib_route_state(w->ospf, rt, &installed, fbuf,
				   sizeof(fbuf));
	wp_json_add_bool(o, "installed", installed);
	wp_json_add_str(o, "fib", fib);
	return 0;
}

static int
show_route(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	   bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Prefix", "prefix", WP_TABLE_LEFT },
		{ "Type", "pathType", WP_TABLE_LEFT },
		{ "Cost", "cost", WP_TABLE_RIGHT },
		{ "Area", "area", WP_TABLE_LEFT },
		{ "Next hops", "via", WP_TABLE_LEFT },
		{ "FIB", "fib", WP_TABLE_LEFT },
	};
	struct ospf *ospf = ctx_ospf(ctx);
	struct route_walk w;
	json_object *top;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	w.ospf = ospf;
	w.arr = wp_json_add_array(top, "routes");
	wp_trie_walk(ospf->rtable->routes, NULL, route_cb, &w);
	out_show(ctx, top, w.arr, cols, sizeof(cols) / sizeof(cols[0]),
		    json);
	return WP_VTY_OK;
}

/* --- commands -------------------------------------------------------------------- */

#define IP_OSPF_STR	"IP information\nOSPF information\n"
#define DB_STR		"Link-state database\n"
#define SELF_STR	"LSAs we originated\n"
#define ADV_STR		"LSAs of one advertising router\nIts router ID\n"
#define LSID_STR	"Link state ID\n"
#define DB_TYPES	"(router|network|summary|asbr-summary|external|" \
			"nssa-external|opaque-link|opaque-area|opaque-as)"
#define DB_TYPES_STR	"Router-LSAs\nNetwork-LSAs\nSummary-LSAs (type 3)\n" \
			"ASBR-summary-LSAs (type 4)\nAS-external-LSAs\n" \
			"NSSA-external-LSAs (type 7)\n" \
			"Link-local opaque LSAs (type 9)\n" \
			"Area-local opaque LSAs (type 10)\n" \
			"AS-wide opaque LSAs (type 11)\n"

/* For lib/wp_policy's show commands: the policy now configured (the
 * default VRF's copy; every instance has the same). */
static struct wp_policy *
show_policy(void *arg)
{
	struct ospf *ospf = ospfd_instance(*(struct ospfd **)arg, "");

	return ospf && ospf->conf ? &ospf->conf->policy : NULL;
}

/* --- vrf NAME|all ------------------------------------------------------------ */

struct show_cmd {
	wp_vty_handler fn;
	struct ospfd **topp;
};

#define VRF_STR		"A VRF\nVRF name\nEvery VRF\n"

/*
 * Every `show ip ospf ...` command, in FRR's form `show ip ospf vrf
 * NAME|all ...`: the handler runs with the words "vrf X" taken out, for
 * the instance of X or, for `all`, for each; `all` in JSON is one object
 * keyed by VRF name, in text each instance's output under "VRF NAME:".
 */
static int
show_vrf(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	const struct show_cmd *sc = wp_vty_ctx_arg(ctx);
	struct ospfd *top = *sc->topp;
	const char *av[WP_VTY_MAX_WORDS + 1];
	const char *vrf = "";
	struct ospf *o;
	int n = 0, rc = WP_VTY_OK;
	bool found = false;

	for (int i = 0; i < argc && n < WP_VTY_MAX_WORDS; i++) {
		if (i == 3 && argc > 4 && strcmp(argv[3], "vrf") == 0 &&
		    strncmp(argv[0], "show", 4) == 0) {
			vrf = argv[++i];
			continue;
		}
		av[n++] = argv[i];
	}
	av[n] = NULL;
	show_top = top;
	if (strcmp(vrf, "all") != 0) {
		show_cur = ospfd_instance(top, vrf);
		rc = sc->fn(ctx, n, av, json);
		show_cur = NULL;
		return rc;
	}
	/* An object that only some VRFs have (a neighbour, an interface)
	 * is found if one of them has it. */
	if (json)
		show_all = json_object_new_object();
	if (top)
		OSPFD_FOREACH(top, o) {
			int one;

			if (!o->conf->enabled)
				continue;
			if (!json)
				wp_vty_out(ctx, "VRF %s:\n", ospf_vrf_name(o));
			show_cur = o;
			one = sc->fn(ctx, n, av, json);
			show_cur = NULL;
			if (one == WP_VTY_OK)
				found = true;
			else
				rc = one;
		}
	if (found)
		rc = WP_VTY_OK;
	if (json) {
		json_object *all = show_all;

		show_all = NULL;
		wp_vty_json(ctx, all);
	}
	return rc;
}

/* `show ip ospf X` -> `show ip ospf vrf (VRF|all) X`, its help too. */
static int
install_vrf_form(struct wp_vty *vty, const char *tmpl, const char *help,
		 struct show_cmd *sc)
{
	char t[256], h[1024];
	const char *p = help;

	for (int i = 0; i < 3 && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (p == NULL)
		return -1;
	snprintf(t, sizeof(t), "show ip ospf vrf (VRF|all)%s", tmpl + 12);
	snprintf(h, sizeof(h), "%.*s%s%s", (int)(p - help), help, VRF_STR, p);
	return wp_vty_install_arg(vty, t, h, show_vrf, sc);
}

int
ospf_show_install(struct wp_vty *vty, struct ospfd **topp)
{
	static const struct {
		const char *tmpl;
		const char *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "show ip ospf [json]",
		  WP_SHOW_STR IP_OSPF_STR WP_JSON_STR, show_ospf },
		{ "show ip ospf neighbor [json]",
		  WP_SHOW_STR IP_OSPF_STR "Neighbors\n" WP_JSON_STR,
		  show_neighbor },
		{ "show ip ospf interface [json]",
		  WP_SHOW_STR IP_OSPF_STR "Interfaces\n" WP_JSON_STR,
		  show_interface },
		{ "show ip ospf database [json]",
		  WP_SHOW_STR IP_OSPF_STR "Link-state database\n" WP_JSON_STR,
		  show_database },
		{ "show ip ospf route [json]",
		  WP_SHOW_STR IP_OSPF_STR "Routing table\n" WP_JSON_STR,
		  show_route },
		{ "show ip ospf interface IFNAME [json]",
		  WP_SHOW_STR IP_OSPF_STR "Interfaces\nInterface name\n"
		  WP_JSON_STR, show_interface },
		{ "show ip ospf neighbor detail [json]",
		  WP_SHOW_STR IP_OSPF_STR "Neighbors\nEvery detail\n"
		  WP_JSON_STR, show_neighbor },
		{ "show ip ospf neighbor A.B.C.D [json]",
		  WP_SHOW_STR IP_OSPF_STR "Neighbors\nNeighbor router ID\n"
		  WP_JSON_STR, show_neighbor },
		{ "show ip ospf database max-age [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR "LSAs at MaxAge\n"
		  WP_JSON_STR, show_database },
		{ "show ip ospf database self-originate [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR SELF_STR WP_JSON_STR,
		  show_database },
		{ "show ip ospf database adv-router A.B.C.D [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR ADV_STR WP_JSON_STR,
		  show_database },
		{ "show ip ospf database " DB_TYPES " [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR DB_TYPES_STR WP_JSON_STR,
		  show_database },
		{ "show ip ospf database " DB_TYPES " A.B.C.D [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR DB_TYPES_STR LSID_STR
		  WP_JSON_STR, show_database },
		{ "show ip ospf database " DB_TYPES " self-originate [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR DB_TYPES_STR SELF_STR
		  WP_JSON_STR, show_database },
		{ "show ip ospf database " DB_TYPES " adv-router A.B.C.D [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR DB_TYPES_STR ADV_STR
		  WP_JSON_STR, show_database },
		{ "show ip ospf database " DB_TYPES
		  " A.B.C.D self-originate [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR DB_TYPES_STR LSID_STR SELF_STR
		  WP_JSON_STR, show_database },
		{ "show ip ospf database " DB_TYPES
		  " A.B.C.D adv-router A.B.C.D [json]",
		  WP_SHOW_STR IP_OSPF_STR DB_STR DB_TYPES_STR LSID_STR ADV_STR
		  WP_JSON_STR, show_database },
		{ "show ip ospf border-routers [json]",
		  WP_SHOW_STR IP_OSPF_STR "Routes to area border and AS "
		  "boundary routers\n" WP_JSON_STR, show_border_routers },
		{ "show ip ospf spf [json]",
		  WP_SHOW_STR IP_OSPF_STR "SPF runs, newest first\n"
		  WP_JSON_STR, show_spf },
		{ "show ip ospf route changes [json]",
		  WP_SHOW_STR IP_OSPF_STR "Routing table\n"
		  "What the last SPF runs changed\n" WP_JSON_STR,
		  show_route_changes },
		{ "graceful-restart prepare ip ospf",
		  "Graceful restart\nAnnounce a restart to the neighbours\n"
		  "IP information\n" "OSPF information\n", gr_prepare },
	};

	static struct show_cmd entries[sizeof(cmds) / sizeof(cmds[0])];

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		entries[i].fn = cmds[i].fn;
		entries[i].topp = topp;
		if (wp_vty_install_arg(vty, cmds[i].tmpl, cmds[i].help,
				       show_vrf, &entries[i]) < 0)
			return -1;
		if (strncmp(cmds[i].tmpl, "show ip ospf", 12) == 0 &&
		    install_vrf_form(vty, cmds[i].tmpl, cmds[i].help,
				     &entries[i]) < 0)
			return -1;
	}
	return wp_policy_show_install(vty, show_policy, topp);
}
