/*
 * rib_zapi_show.c: `show rib clients [json]`, the client API's sessions
 * (route owners, connected or held for their grace time) and their
 * connections, built as one JSON object and rendered as a table from it.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "rib_zapi.h"
#include "wp_json.h"
#include "wp_vty.h"

static json_object *
session_json(const struct rib_zsess *s)
{
	json_object *o = json_object_new_object(), *k;
	const struct rib_zconn *zc = s->conn;

	wp_json_add_str(o, "session", s->name);
	wp_json_add_str(o, "source", rib_sources[s->source].name);
	wp_json_add_uint64(o, "instance", s->instance);
	wp_json_add_bool(o, "connected", zc != NULL);
	wp_json_add_str(o, "state", zc ? "connected" : s->sweeping ?
			"sweeping" : "stale");
	wp_json_add_uint64(o, "routes", s->nroutes);
	wp_json_add_uint64(o, "staleRoutes", zc ? s->nstale : s->nroutes);
	wp_json_add_bool(o, "gracefulRestart", s->gr);
	wp_json_add_uint64(o, "graceTime", s->grace);
	if (!zc && wp_timer_active(&s->grace_timer))
		wp_json_add_double(o, "graceRemaining",
				   wp_timer_remaining(&s->grace_timer));
	wp_json_add_uint64(o, "epoch", s->epoch);
	wp_json_add_uint64(o, "connects", s->connects);
	wp_json_add_uint64(o, "swept", s->swept);
	if (zc == NULL)
		return o;
	wp_json_add_str(o, "client", zc->client);
	wp_json_add_uint64(o, "pid", zc->pid);
	wp_json_add_str(o, "peer", wp_ipc_conn_name(zc->c));
	k = wp_json_add_object(o, "counters");
	wp_json_add_uint64(k, "routesAdded", zc->stats.routes_added);
	wp_json_add_uint64(k, "routesDeleted", zc->stats.routes_deleted);
	wp_json_add_uint64(k, "routesRefused", zc->stats.routes_refused);
	wp_json_add_uint64(k, "results", zc->stats.results);
	wp_json_add_uint64(k, "redistAdds", zc->stats.redist_adds);
	wp_json_add_uint64(k, "redistDels", zc->stats.redist_dels);
	wp_json_add_uint64(k, "nhUpdates", zc->stats.nh_updates);
	wp_json_add_uint64(k, "interfaceEvents", zc->stats.if_events);
	wp_json_add_uint64(k, "inputHolds", zc->stats.input_holds);
	wp_json_add_uint64(k, "queuedBytes", wp_ipc_conn_stats(zc->c)->queued);
	wp_json_add_bool(o, "inputHeld", zc->in_msg != NULL);
	return o;
}

static int
show_rib_clients(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		 bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Session", "session", WP_TABLE_LEFT },
		{ "State", "state", WP_TABLE_LEFT },
		{ "Client", "peer", WP_TABLE_LEFT },
		{ "Routes", "routes", WP_TABLE_RIGHT },
		{ "Stale", "staleRoutes", WP_TABLE_RIGHT },
		{ "Grace", "graceTime", WP_TABLE_RIGHT },
	};
	struct ribd *rib = *(struct ribd **)wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "sessions");
	unsigned int nconns = 0;

	if (rib->zapi) {
		for (const struct rib_zsess *s = rib->zapi->sessions; s;
		     s = s->next)
			json_object_array_add(arr, session_json(s));
		for (const struct rib_zconn *zc = rib->zapi->conns; zc;
		     zc = zc->next)
			nconns++;
		wp_json_add_str(top, "socket", rib->zapi->path);
	}
	wp_json_add_uint64(top, "connections", nconns);
	wp_json_array_sort_by(arr, "session");
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

int
rib_zapi_show_install(struct wp_vty *vty, struct ribd **ribp)
{
	return wp_vty_install_arg(vty, "show rib clients [json]", WP_SHOW_STR
				  "RIB manager\n" "Client sessions (protocol "
				  "daemons)\n" WP_JSON_STR, show_rib_clients,
				  ribp);
}
