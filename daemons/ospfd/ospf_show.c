/*
 * ospf_show.c: ospfd's show commands.  Each builds one json_object from
 * the protocol state and prints it as JSON (`... json`) or renders text
 * from that same object, so the two never disagree.
 *
 *   show ip ospf [json]                  instance, areas, SPF statistics
 *   show ip ospf neighbor [json]         one row per neighbour
 *   show ip ospf interface [json]        parameters, DR/BDR, counters, and
 *                                        why an adjacency is not forming
 *   show ip ospf database [json]         every LSA, per area and AS scope
 *   show ip ospf route [json]            the routing table SPF computed
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ospfd.h"
#include "wp_json.h"
#include "wp_vty.h"

static struct ospf *
ctx_ospf(struct wp_vty_cmd_ctx *ctx)
{
	struct ospf **op = wp_vty_ctx_arg(ctx);

	return *op;
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

static const char *
net_type_name(enum ospf_net_type t)
{
	switch (t) {
	case OSPF_NET_P2P:
		return "POINTOPOINT";
	case OSPF_NET_LOOPBACK:
		return "LOOPBACK";
	default:
		return "BROADCAST";
	}
}

static int
no_instance(struct wp_vty_cmd_ctx *ctx, bool json)
{
	if (json)
		wp_vty_json(ctx, json_object_new_object());
	else
		wp_vty_out(ctx, "%% OSPF is not configured (no router ospf, "
			   "or no router ID yet)\n");
	return WP_VTY_OK;
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
	wp_json_add_int(o, "nssaLsas", (int64_t)a->lsdb->count_type[
				OSPF_LSA_NSSA]);
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
	ospf_bfd_json(ospf, top);
	ospf_max_metric_json(ospf, top);
	spf = wp_json_add_object(top, "spf");
	wp_json_add_int(spf, "delayMsecs", c->spf_delay);
	wp_json_add_int(spf, "holdMsecs", c->spf_hold);
	wp_json_add_int(spf, "maxWaitMsecs", c->spf_max);
	wp_json_add_int(spf, "currentHoldMsecs",
			(int64_t)(ospf->spf.hold * 1000.0));
	wp_json_add_uint64(spf, "runs", ospf->spf.runs);
	wp_json_add_double(spf, "lastDurationMsecs",
			   ospf->spf.last_duration * 1000.0);
	if (ospf->spf.runs)
		wp_json_add_int(spf, "lastRunSecondsAgo",
				(int64_t)(time(NULL) - ospf->spf.last_time));
	wp_json_add_str(spf, "lastReason", ospf->spf.last_reason);
	wp_json_add_int(spf, "lastVertices", ospf->spf.last.vertices);
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
		wp_vty_json(ctx, top);
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
	wp_vty_out(ctx, " LSA: MinLSInterval %u ms, MinLSArrival %u ms; "
		   "%" PRIu64 " originated, %" PRIu64 " received, %" PRIu64
		   " flushed\n", c->lsa_interval, c->lsa_arrival,
		   ospf->stats.lsa_originated, ospf->stats.lsa_received,
		   ospf->stats.lsa_flushed);
	wp_vty_out(ctx, " %zu AS-external LSAs, %zu routes, maximum paths "
		   "%u\n", ospf_lsdb_count(ospf->as_lsdb),
		   wp_trie_count(ospf->rtable->routes), c->max_paths);
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

/* --- show ip ospf neighbor ----------------------------------------------------- */

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
	};
	struct ospf *ospf = ctx_ospf(ctx);
	json_object *top, *arr;
	struct ospf_iface *ifp;
	struct ospf_nbr *nbr;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	arr = wp_json_add_array(top, "neighbors");
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		TAILQ_FOREACH(nbr, &ifp->nbrs, entry) {
			json_object *o = wp_json_array_add_object(arr);
			char up[32];

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
			ospf_bfd_nbr_json(nbr, o);
		}
	}
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

/* --- show ip ospf interface ------------------------------------------------------ */

/* Why is nothing Full here?  The most recent reason packets were dropped,
 * if recent enough to matter. */
static void
doctor(json_object *o, const struct ospf_iface *ifp)
{
	const struct ospf_if_stats *st = &ifp->stats;
	const struct ospf_nbr *nbr;
	double ago;
	char src[16];

	TAILQ_FOREACH(nbr, &ifp->nbrs, entry)
		if (nbr->state == NBR_STA_FULL)
			return;
	if (st->last_err_time == 0)
		return;
	ago = (double)time(NULL) - st->last_err_time;
	if (ago > 2.0 * ifp->dead_interval)
		return;
	wp_json_add_strf(o, "adjacencyProblem", "%s (from %s, %.0f s ago)",
			 ospf_if_err_name[st->last_err],
			 ospf_id_fmt(st->last_err_src, src, sizeof(src)), ago);
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

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	arr = wp_json_add_array(top, "interfaces");
	TAILQ_FOREACH(ifp, &ospf->ifaces, entry) {
		json_object *o = wp_json_array_add_object(arr);
		json_object *rx, *tx, *err;
		const struct ospf_nbr *nbr;
		uint64_t dropped = 0;
		int full = 0;
		char a[16];

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
		wp_json_add_str(o, "networkType", net_type_name(ifp->type));
		wp_json_add_int(o, "cost", ifp->cost);
		wp_json_add_int(o, "priority", ifp->priority);
		wp_json_add_bool(o, "passive", ifp->passive);
		wp_json_add_int(o, "mtu", ifp->mtu);
		wp_json_add_int(o, "helloInterval", ifp->hello_interval);
		wp_json_add_int(o, "deadInterval", ifp->dead_interval);
		wp_json_add_int(o, "retransmitInterval", ifp->rxmt_interval);
		wp_json_add_int(o, "transmitDelay", ifp->transdelay);
		wp_json_add_str(o, "authentication",
				ifp->auth_type == OSPF_AUTH_SIMPLE ? "simple" :
				ifp->auth_type == OSPF_AUTH_CRYPT ?
				"message-digest" : "null");
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
			if (ifp->stats.err[e] == 0)
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
	}
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
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

static json_object *
db_json(json_object *parent, const char *key, const struct ospf_lsdb *db,
	double now)
{
	json_object *arr = wp_json_add_array(parent, key);
	struct ospf_lsa **v;
	size_t n;

	v = ospf_lsdb_sorted(db, &n);
	for (size_t i = 0; i < n; i++)
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
	json_object *top, *areas, *ext;
	struct ospf_area *a;
	double now = ospf_now();
	size_t i = 0;

	if (ospf == NULL || !ospf->conf->enabled)
		return no_instance(ctx, json);
	top = json_object_new_object();
	add_id(top, "routerId", ospf->router_id);
	areas = wp_json_add_array(top, "areas");
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		json_object *o = wp_json_array_add_object(areas);

		add_id(o, "area", a->id);
		db_json(o, "lsas", a->lsdb, now);
	}
	ext = db_json(top, "asExternal", ospf->as_lsdb, now);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, " OSPF Router with ID (%s)\n",
		   json_object_get_string(json_object_object_get(top,
								 "routerId")));
	TAILQ_FOREACH(a, &ospf->areas, entry) {
		json_object *o = json_object_array_get_idx(areas, i++);
		char id[16];

		wp_vty_out(ctx, "\n Area %s\n", ospf_id_fmt(a->id, id,
							   sizeof(id)));
		db_text(ctx, json_object_object_get(o, "lsas"));
	}
	wp_vty_out(ctx, "\n AS external\n");
	db_text(ctx, ext);
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
	json_object *o = wp_json_array_add_object(w->arr), *nhs;
	char buf[WP_PREFIX_STRLEN], via[256];
	size_t off = 0;

	wp_json_add_str(o, "prefix", wp_prefix_fmt(p, buf, sizeof(buf)));
	wp_json_add_str(o, "pathType", ospf_path_type_name(rt->type));
	wp_json_add_int(o, "cost", rt->cost);
	if (rt->type == OSPF_PATH_EXT2)
		wp_json_add_int(o, "type2Cost", rt->cost2);
	add_id(o, "area", rt->area);
	add_id(o, "advRouter", rt->adv);
	wp_json_add_bool(o, "directlyAttached", rt->connected);
	nhs = wp_json_add_array(o, "nexthops");
	via[0] = '\0';
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		json_object *n = wp_json_array_add_object(nhs);
		const char *ifn = ifname(w->ospf, rt->nh[i].ifindex);
		char a[16];

		if (rt->nh[i].gw)
			add_id(n, "ip", rt->nh[i].gw);
		wp_json_add_str(n, "interface", ifn);
		if (off < sizeof(via))
			off += (size_t)snprintf(via + off, sizeof(via) - off,
				"%s%s%s %s", i ? ", " : "",
				rt->nh[i].gw ? "via " : "directly attached to",
				rt->nh[i].gw ? ospf_id_fmt(rt->nh[i].gw, a,
							   sizeof(a)) : "",
				ifn);
	}
	wp_json_add_str(o, "via", via);
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
	wp_vty_show(ctx, top, w.arr, cols, sizeof(cols) / sizeof(cols[0]),
		    json);
	return WP_VTY_OK;
}

/* --- commands -------------------------------------------------------------------- */

#define IP_OSPF_STR	"IP information\nOSPF information\n"

int
ospf_show_install(struct wp_vty *vty, struct ospf **ospfp)
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
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install_arg(vty, cmds[i].tmpl, cmds[i].help,
				       cmds[i].fn, ospfp) < 0)
			return -1;
	return 0;
}
