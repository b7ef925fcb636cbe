/*
 * bfd_show.c: show and clear commands.
 *
 * Each command builds one json_object from the sessions (session_json()
 * is the single description of a session) and prints it either as JSON
 * or as text rendered from that same object, so the two never disagree.
 *
 *	show bfd [vrf NAME] peers [brief] [json]
 *	show bfd [vrf NAME] peers counters [json]
 *	show bfd [vrf NAME] peer (A.B.C.D|X:X::X:X) [counters] [json]
 *	show bfd counters [json]
 *	show bfd profile [json]
 *	clear bfd [vrf NAME] peer (A.B.C.D|X:X::X:X) counters
 *	clear bfd [vrf NAME] peers counters
 *
 * Without `vrf NAME` the peer commands cover every VRF (FRR shows only
 * the default VRF's then; every peer here says which VRF it is in).
 *
 * `show bfd peers` in detail goes on in steps (wp_vty_continue()): a
 * thousand sessions are ~100 ms of JSON work, and a daemon busy that long
 * sends nothing, which the peers of 50 ms sessions see as a failure.  The
 * sessions are taken in order by discriminator, a few each loop
 * iteration; one deleted meanwhile is left out.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "wp_json.h"
#include "wp_vty.h"

#include "bfdd.h"

enum {
	SHOW_DETAIL = 1 << 0,
	SHOW_COUNTERS = 1 << 1,
};

/* --- building blocks ------------------------------------------------------ */

static double
us_to_ms(uint64_t us)
{
	return (double)us / 1000.0;
}

static void
fmt_wall(double t, char *buf, size_t len, bool utc)
{
	time_t sec = (time_t)t;
	struct tm tm;
	char base[32];

	if (utc)
		gmtime_r(&sec, &tm);
	else
		localtime_r(&sec, &tm);
	strftime(base, sizeof(base), utc ? "%Y-%m-%dT%H:%M:%S" :
					   "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf, len, "%s.%06ld%s", base,
		 (long)((t - (double)sec) * 1e6), utc ? "Z" : "");
}

static void
fmt_age(double secs, char *buf, size_t len)
{
	uint64_t s = (uint64_t)secs;

	if (s >= 86400)
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 "h%02" PRIu64 "m",
			 s / 86400, s / 3600 % 24, s / 60 % 60);
	else if (s >= 3600)
		snprintf(buf, len, "%" PRIu64 "h%02" PRIu64 "m%02" PRIu64 "s",
			 s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
			 s % 60);
}

static void
counters_json(json_object *obj, const struct bfd_counters *c)
{
	json_object *errs;
	uint64_t total = 0;

	wp_json_add_uint64(obj, "rxPackets", c->rx_pkts);
	wp_json_add_uint64(obj, "txPackets", c->tx_pkts);
	wp_json_add_uint64(obj, "txErrors", c->tx_errors);
	wp_json_add_uint64(obj, "upCount", c->up_count);
	wp_json_add_uint64(obj, "downCount", c->down_count);
	wp_json_add_uint64(obj, "pollSequences", c->polls);
	wp_json_add_uint64(obj, "finalsReceived", c->finals_rx);
	wp_json_add_uint64(obj, "finalsSent", c->finals_tx);
	errs = wp_json_add_object(obj, "rxErrors");
	for (int e = BFD_RXE_OK + 1; e < BFD_RXE_MAX; e++) {
		wp_json_add_uint64(errs, bfd_rx_err_key(e), c->rx_errors[e]);
		total += c->rx_errors[e];
	}
	wp_json_add_uint64(obj, "rxErrorsTotal", total);
}

static void
history_json(json_object *arr, const struct bfd_session *s)
{
	unsigned int n = s->nhistory < BFD_HISTORY ? s->nhistory : BFD_HISTORY;
	char when[48];

	/* newest first */
	for (unsigned int i = 0; i < n; i++) {
		const struct bfd_transition *h =
			&s->history[(s->nhistory - 1 - i) % BFD_HISTORY];
		json_object *row = wp_json_array_add_object(arr);

		fmt_wall(h->when_wall, when, sizeof(when), true);
		wp_json_add_str(row, "time", when);
		wp_json_add_double(row, "timestamp", h->when_wall);
		wp_json_add_double(row, "monotonic", h->when);
		wp_json_add_str(row, "from", bfd_state_name(h->from));
		wp_json_add_str(row, "to", bfd_state_name(h->to));
		wp_json_add_str(row, "event", bfd_event_name(h->event));
		wp_json_add_str(row, "diagnostic", bfd_diag_name(h->diag));
		wp_json_add_str(row, "remoteDiagnostic",
				bfd_diag_name(h->remote_diag));
	}
}

static void
rx_stats_json(json_object *obj, const struct bfd_session *s)
{
	const struct bfd_rx_stats *r = &s->rxs;
	uint32_t expected = s->rx_eff > s->remote_des_min_tx ?
				    s->rx_eff : s->remote_des_min_tx;

	wp_json_add_uint64(obj, "samples", r->samples);
	wp_json_add_uint64(obj, "expectedUs", expected);
	wp_json_add_uint64(obj, "minUs", r->min_us);
	wp_json_add_uint64(obj, "avgUs", r->samples ? r->sum_us / r->samples :
						      0);
	wp_json_add_uint64(obj, "maxUs", r->max_us);
	wp_json_add_uint64(obj, "jitterUs", (uint64_t)r->jitter_us);
}

static void
tx_stats_json(json_object *obj, const struct bfd_session *s)
{
	const struct bfd_tx_stats *x = &s->txs;

	wp_json_add_uint64(obj, "samples", x->samples);
	wp_json_add_uint64(obj, "intervalUs", bfd_tx_interval(s));
	wp_json_add_uint64(obj, "maxUs", x->max_us);
	wp_json_add_uint64(obj, "overOneAndAHalfIntervals", x->long_gaps);
}

static void
echo_json(json_object *o, const struct bfd_session *s)
{
	const struct bfd_echo_stats *e = &s->echo;

	wp_json_add_uint64(o, "txPackets", e->tx);
	wp_json_add_uint64(o, "rxPackets", e->rx);
	wp_json_add_uint64(o, "txErrors", e->tx_errors);
	wp_json_add_uint64(o, "rttSamples", e->rtt_samples);
	wp_json_add_uint64(o, "rttMinUs", e->rtt_min_us);
	wp_json_add_uint64(o, "rttAvgUs", e->rtt_samples ?
					  e->rtt_sum_us / e->rtt_samples : 0);
	wp_json_add_uint64(o, "rttMaxUs", e->rtt_max_us);
	wp_json_add_uint64(o, "rttLastUs", e->rtt_last_us);
}

/* The few fields of `show bfd peers brief`: cheap for many sessions. */
static json_object *
session_brief_json(const struct bfd_session *s)
{
	json_object *o = json_object_new_object();
	char buf[WP_ADDR_STRLEN];

	wp_json_add_uint64(o, "localDiscriminator", s->local_disc);
	wp_json_add_str(o, "peer", wp_addr_fmt(&s->key.peer, buf,
					       sizeof(buf)));
	wp_json_add_str(o, "local", s->key.local.family ?
			wp_addr_fmt(&s->key.local, buf, sizeof(buf)) : "");
	wp_json_add_str(o, "interface", s->key.ifname);
	wp_json_add_bool(o, "multihop", s->key.multihop);
	wp_json_add_str(o, "vrf", bfd_key_vrf(&s->key));
	wp_json_add_str(o, "state", bfd_state_name(s->state));
	fmt_age(bfd_session_state_age(s), buf, sizeof(buf));
	wp_json_add_str(o, "stateAge", buf);
	return o;
}

static json_object *
session_json(const struct bfd_session *s, unsigned int what)
{
	json_object *o = json_object_new_object();
	char buf[160];
	double age = bfd_session_state_age(s);

	wp_json_add_str(o, "peer", wp_addr_fmt(&s->key.peer, buf,
					       sizeof(buf)));
	if (s->key.local.family)
		wp_json_add_str(o, "local", wp_addr_fmt(&s->key.local, buf,
							sizeof(buf)));
	else
		wp_json_add_str(o, "local", "");
	wp_json_add_str(o, "interface", s->key.ifname);
	wp_json_add_bool(o, "multihop", s->key.multihop);
	wp_json_add_str(o, "vrf", bfd_key_vrf(&s->key));
	wp_json_add_uint64(o, "localDiscriminator", s->local_disc);
	wp_json_add_uint64(o, "remoteDiscriminator", s->remote_disc);
	wp_json_add_str(o, "state", bfd_state_name(s->state));
	if (bfd_session_problem(s, buf, sizeof(buf))[0])
		wp_json_add_str(o, "problem", buf);
	wp_json_add_str(o, "remoteState", bfd_state_name(s->remote_state));
	wp_json_add_str(o, "diagnostic", bfd_diag_name(s->local_diag));
	wp_json_add_str(o, "remoteDiagnostic", bfd_diag_name(s->remote_diag));
	wp_json_add_uint64(o, s->state == BFD_STA_UP ? "uptime" : "downtime",
			   (uint64_t)age);
	wp_json_add_double(o, "stateSeconds", age);
	fmt_age(age, buf, sizeof(buf));
	wp_json_add_str(o, "stateAge", buf);
	wp_json_add_str(o, "profile", s->profile);
	wp_json_add_bool(o, "configured", s->configured);
	bfd_client_names(s, buf, sizeof(buf));
	wp_json_add_str(o, "clients", buf);
	wp_json_add_bool(o, "passiveMode", s->p.passive);
	wp_json_add_bool(o, "pollInProgress", s->poll);
	wp_json_add_bool(o, "dampened", s->dampened);
	if (s->dampened)
		wp_json_add_double(o, "holdDownRemaining",
				   s->damp_until - wp_monotime());
	wp_json_add_uint64(o, "clientCount", s->nclients);
	/* configured (ms) */
	wp_json_add_uint64(o, "detectMultiplier", s->detect_mult);
	wp_json_add_uint64(o, "receiveInterval", s->p.rx_ms);
	wp_json_add_uint64(o, "transmitInterval", s->p.tx_ms);
	wp_json_add_bool(o, "echoMode", s->p.echo_mode);
	wp_json_add_uint64(o, "echoReceiveInterval", s->p.echo_rx_ms);
	wp_json_add_uint64(o, "echoTransmitInterval", s->p.echo_tx_ms);
	if (s->key.multihop)
		wp_json_add_uint64(o, "minimumTtl", s->p.min_ttl);
	wp_json_add_str(o, "authentication",
			bfd_auth_type_name(s->p.auth.type));
	if (s->p.auth.key_chain[0])
		wp_json_add_str(o, "keyChain", s->p.auth.key_chain);
	/* negotiated (ms) */
	wp_json_add_double(o, "negotiatedTransmitInterval",
			   us_to_ms(bfd_tx_interval(s)));
	wp_json_add_double(o, "detectTime", us_to_ms(bfd_detect_time(s)));
	/* remote (ms) */
	wp_json_add_uint64(o, "remoteDetectMultiplier", s->remote_detect_mult);
	wp_json_add_double(o, "remoteReceiveInterval",
			   us_to_ms(s->remote_min_rx));
	wp_json_add_double(o, "remoteTransmitInterval",
			   us_to_ms(s->remote_des_min_tx));
	wp_json_add_double(o, "remoteEchoReceiveInterval",
			   us_to_ms(s->remote_min_echo_rx));
	wp_json_add_bool(o, "echoActive", s->echo_active);
	wp_json_add_double(o, "negotiatedEchoTransmitInterval",
			   us_to_ms(bfd_echo_interval(s)));
	if (what & SHOW_DETAIL) {
		echo_json(wp_json_add_object(o, "echo"), s);
		wp_json_add_uint64(o, "sourcePort", s->src_port);
		wp_json_add_uint64(o, "advertisedTransmitIntervalUs",
				   s->des_min_tx);
		wp_json_add_uint64(o, "advertisedReceiveIntervalUs",
				   s->req_min_rx);
		rx_stats_json(wp_json_add_object(o, "rxInterArrival"), s);
		tx_stats_json(wp_json_add_object(o, "txGaps"), s);
		history_json(wp_json_add_array(o, "history"), s);
	}
	if (what & SHOW_COUNTERS)
		counters_json(wp_json_add_object(o, "counters"), &s->cnt);
	return o;
}

/* --- text rendering of session_json() ------------------------------------ */

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		       json_object_get_string(v) : "";
}

static int64_t
jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		       json_object_get_int64(v) : 0;
}

static double
jdbl(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
		       json_object_get_double(v) : 0.0;
}

static bool
jbool(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	       json_object_get_boolean(v);
}

static void
text_counters(struct wp_vty_cmd_ctx *ctx, json_object *c, const char *ind)
{
	json_object *errs;

	wp_vty_out(ctx, "%sPackets: %" PRId64 " received, %" PRId64
		   " sent, %" PRId64 " send errors\n", ind,
		   jint(c, "rxPackets"), jint(c, "txPackets"),
		   jint(c, "txErrors"));
	wp_vty_out(ctx, "%sSession up %" PRId64 " times, down %" PRId64
		   " times; %" PRId64 " poll sequences, finals %" PRId64
		   " received / %" PRId64 " sent\n", ind, jint(c, "upCount"),
		   jint(c, "downCount"), jint(c, "pollSequences"),
		   jint(c, "finalsReceived"), jint(c, "finalsSent"));
	wp_vty_out(ctx, "%sDropped packets: %" PRId64 "\n", ind,
		   jint(c, "rxErrorsTotal"));
	if (json_object_object_get_ex(c, "rxErrors", &errs)) {
		json_object_object_foreach(errs, key, val) {
			if (json_object_get_int64(val) != 0)
				wp_vty_out(ctx, "%s  %s: %" PRId64 "\n", ind,
					   key, json_object_get_int64(val));
		}
	}
}

static void
text_peer(struct wp_vty_cmd_ctx *ctx, json_object *o)
{
	json_object *x, *hist;

	wp_vty_out(ctx, "peer %s%s%s%s%s%s vrf %s\n", jstr(o, "peer"),
		   jbool(o, "multihop") ? " multihop" : "",
		   jstr(o, "local")[0] ? " local-address " : "",
		   jstr(o, "local"), jstr(o, "interface")[0] ? " interface " :
							      "",
		   jstr(o, "interface"), jstr(o, "vrf"));
	wp_vty_out(ctx, "\tID: %" PRId64 "\n\tRemote ID: %" PRId64 "\n",
		   jint(o, "localDiscriminator"),
		   jint(o, "remoteDiscriminator"));
	wp_vty_out(ctx, "\tStatus: %s for %s%s%s\n", jstr(o, "state"),
		   jstr(o, "stateAge"), jbool(o, "dampened") ?
					  " (dampened)" : "",
		   jbool(o, "pollInProgress") ? ", poll in progress" : "");
	if (jstr(o, "problem")[0])
		wp_vty_out(ctx, "\tProblem: %s\n", jstr(o, "problem"));
	wp_vty_out(ctx, "\tDiagnostics: %s\n\tRemote diagnostics: %s\n",
		   jstr(o, "diagnostic"), jstr(o, "remoteDiagnostic"));
	wp_vty_out(ctx, "\t%s mode%s%s%s\n",
		   jbool(o, "passiveMode") ? "Passive" : "Active",
		   jstr(o, "profile")[0] ? ", profile " : "",
		   jstr(o, "profile"), jbool(o, "configured") ?
					      ", configured" : "");
	if (jstr(o, "clients")[0])
		wp_vty_out(ctx, "\tClients: %s\n", jstr(o, "clients"));
	wp_vty_out(ctx, "\tAuthentication: %s\n", jstr(o, "authentication"));
	if (jbool(o, "multihop"))
		wp_vty_out(ctx, "\tMinimum TTL: %" PRId64 "\n",
			   jint(o, "minimumTtl"));
	wp_vty_out(ctx, "\tLocal timers:\n\t\tDetect-multiplier: %" PRId64
		   "\n\t\tReceive interval: %" PRId64 "ms\n"
		   "\t\tTransmission interval: %" PRId64 "ms\n"
		   "\t\tEcho mode: %s\n",
		   jint(o, "detectMultiplier"), jint(o, "receiveInterval"),
		   jint(o, "transmitInterval"),
		   !jbool(o, "echoMode") ? "disabled" :
		   jbool(o, "echoActive") ? "active" : "configured, inactive");
	if (jbool(o, "echoMode"))
		wp_vty_out(ctx, "\t\tEcho receive interval: %" PRId64 "ms\n"
			   "\t\tEcho transmission interval: %" PRId64 "ms\n",
			   jint(o, "echoReceiveInterval"),
			   jint(o, "echoTransmitInterval"));
	wp_vty_out(ctx, "\tRemote timers:\n\t\tDetect-multiplier: %" PRId64
		   "\n\t\tReceive interval: %.0fms\n"
		   "\t\tTransmission interval: %.0fms\n"
		   "\t\tEcho receive interval: %.0fms\n",
		   jint(o, "remoteDetectMultiplier"),
		   jdbl(o, "remoteReceiveInterval"),
		   jdbl(o, "remoteTransmitInterval"),
		   jdbl(o, "remoteEchoReceiveInterval"));
	wp_vty_out(ctx, "\tNegotiated: transmit every %.1fms, detection time "
		   "%.1fms\n", jdbl(o, "negotiatedTransmitInterval"),
		   jdbl(o, "detectTime"));
	if (jbool(o, "echoActive") &&
	    json_object_object_get_ex(o, "echo", &x))
		wp_vty_out(ctx, "\tEcho: every %.1fms, %" PRId64 " sent, %"
			   PRId64 " back; round trip min %.3fms avg %.3fms "
			   "max %.3fms\n",
			   jdbl(o, "negotiatedEchoTransmitInterval"),
			   jint(x, "txPackets"), jint(x, "rxPackets"),
			   jint(x, "rttMinUs") / 1e3, jint(x, "rttAvgUs") / 1e3,
			   jint(x, "rttMaxUs") / 1e3);
	if (json_object_object_get_ex(o, "rxInterArrival", &x))
		wp_vty_out(ctx, "\tReceive inter-arrival (expected %.1fms): "
			   "min %.1fms avg %.1fms max %.1fms jitter %.1fms, "
			   "%" PRId64 " samples\n",
			   jint(x, "expectedUs") / 1e3, jint(x, "minUs") / 1e3,
			   jint(x, "avgUs") / 1e3, jint(x, "maxUs") / 1e3,
			   jint(x, "jitterUs") / 1e3, jint(x, "samples"));
	if (json_object_object_get_ex(o, "txGaps", &x))
		wp_vty_out(ctx, "\tTransmit gaps (interval %.1fms): max %.1fms, "
			   "%" PRId64 " over 1.5 intervals, %" PRId64
			   " samples\n", jint(x, "intervalUs") / 1e3,
			   jint(x, "maxUs") / 1e3,
			   jint(x, "overOneAndAHalfIntervals"),
			   jint(x, "samples"));
	if (json_object_object_get_ex(o, "history", &hist) &&
	    json_object_array_length(hist) > 0) {
		wp_vty_out(ctx, "\tState changes (newest first):\n");
		for (size_t i = 0; i < json_object_array_length(hist); i++) {
			json_object *h = json_object_array_get_idx(hist, i);
			char when[48];

			fmt_wall(jdbl(h, "timestamp"), when, sizeof(when),
				 false);
			wp_vty_out(ctx, "\t\t%s  %s -> %s (%s), diag %s\n",
				   when, jstr(h, "from"), jstr(h, "to"),
				   jstr(h, "event"), jstr(h, "diagnostic"));
		}
	}
	if (json_object_object_get_ex(o, "counters", &x)) {
		wp_vty_out(ctx, "\tCounters:\n");
		text_counters(ctx, x, "\t\t");
	}
	wp_vty_out(ctx, "\n");
}

/* --- commands ---------------------------------------------------------- */

static const struct wp_table_col brief_cols[] = {
	{ "Session Id", "localDiscriminator", WP_TABLE_RIGHT },
	{ "Peer", "peer", WP_TABLE_LEFT },
	{ "Local", "local", WP_TABLE_LEFT },
	{ "Interface", "interface", WP_TABLE_LEFT },
	{ "Multihop", "multihop", WP_TABLE_LEFT },
	{ "Vrf", "vrf", WP_TABLE_LEFT },
	{ "State", "state", WP_TABLE_LEFT },
	{ "For", "stateAge", WP_TABLE_RIGHT },
};

static void
peers_out(struct wp_vty_cmd_ctx *ctx, json_object *top, json_object *arr,
	  bool json)
{
	if (json) {
		wp_vty_json(ctx, top);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		text_peer(ctx, json_object_array_get_idx(arr, i));
	json_object_put(top);
}

/*
 * `vrf NAME` of a command: *vrf gets the key's form ("" for the default
 * VRF) or NULL when the command names none (every VRF).  -1 for a name
 * that cannot be a VRF's.
 */
static int
vrf_arg(struct wp_vty_cmd_ctx *ctx, char vrf[IFNAMSIZ], const char **out)
{
	const char *w = wp_vty_arg(ctx, "vrf") ? wp_vty_arg(ctx, "NAME") :
						 NULL;
	char err[80];

	*out = NULL;
	if (w == NULL)
		return 0;
	if (bfd_vrf_name(w, vrf, err, sizeof(err)) == -1) {
		wp_vty_out(ctx, "%% %s\n", err);
		return -1;
	}
	*out = vrf;
	return 0;
}

static bool
in_vrf(const struct bfd_session *s, const char *vrf)
{
	return vrf == NULL || strcmp(s->key.vrf, vrf) == 0;
}

/* What is left of a `show bfd peers` in detail. */
struct peers_walk {
	struct bfd_global *bg;
	unsigned int what;
	bool json;
	size_t n, next;
	size_t shown;
	uint32_t disc[];	/* sorted as the output is */
};

struct walk_sort {
	char peer[WP_ADDR_STRLEN];
	const struct bfd_session *s;
};

/* By peer as text, as wp_json_array_sort_by(arr, "peer") would; then by
 * VRF and local address for a stable order. */
static int
walk_cmp(const void *a, const void *b)
{
	const struct walk_sort *x = a, *y = b;
	int c = strcmp(x->peer, y->peer);

	if (c == 0)
		c = strcmp(x->s->key.vrf, y->s->key.vrf);
	if (c == 0)
		c = wp_addr_cmp(&x->s->key.local, &y->s->key.local);
	return c;
}

static int
peers_step(struct wp_vty_cmd_ctx *ctx, void *arg)
{
	struct peers_walk *w = arg;
	double until = wp_monotime() + WP_VTY_STEP_BUDGET;

	while (w->next < w->n) {
		struct bfd_session *s = bfd_session_find_disc(
			w->bg, w->disc[w->next++]);
		json_object *o;

		if (s == NULL)
			continue;
		o = session_json(s, w->what);
		if (w->json) {
			wp_vty_json_list_item(ctx, o, w->shown == 0);
		} else {
			text_peer(ctx, o);
			json_object_put(o);
		}
		w->shown++;
		if (wp_monotime() >= until)
			return WP_VTY_MORE;
	}
	if (w->json)
		wp_vty_json_list_end(ctx, w->shown == 0);
	return WP_VTY_OK;
}

static int
show_peers(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	   bool json)
{
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	bool brief = wp_vty_arg(ctx, "brief") != NULL;
	unsigned int what = wp_vty_arg(ctx, "counters") ? SHOW_COUNTERS :
							  SHOW_DETAIL;
	json_object *top, *arr;
	struct bfd_session *s;
	struct walk_sort *sorted;
	struct peers_walk *w;
	char vbuf[IFNAMSIZ];
	const char *vrf;
	size_t n = 0;

	if (vrf_arg(ctx, vbuf, &vrf) == -1)
		return WP_VTY_WARNING;
	if (brief) {
		top = json_object_new_object();
		arr = wp_json_add_array(top, "peers");
		TAILQ_FOREACH(s, &bg->sessions, entry)
			if (in_vrf(s, vrf))
				json_object_array_add(arr,
						      session_brief_json(s));
		wp_json_array_sort_by(arr, "peer");
		wp_vty_show(ctx, top, arr, brief_cols,
			    sizeof(brief_cols) / sizeof(brief_cols[0]), json);
		return WP_VTY_OK;
	}
	if (json)
		what = SHOW_DETAIL | SHOW_COUNTERS;	/* all in one object */
	sorted = wp_calloc(MT_TMP, (bg->nsessions + 1) * sizeof(*sorted));
	TAILQ_FOREACH(s, &bg->sessions, entry) {
		if (!in_vrf(s, vrf) || n == bg->nsessions)
			continue;
		wp_addr_fmt(&s->key.peer, sorted[n].peer,
			    sizeof(sorted[n].peer));
		sorted[n++].s = s;
	}
	qsort(sorted, n, sizeof(*sorted), walk_cmp);
	w = wp_calloc(MT_TMP, sizeof(*w) + (n + 1) * sizeof(w->disc[0]));
	w->bg = bg;
	w->what = what;
	w->json = json;
	w->n = n;
	for (size_t i = 0; i < n; i++)
		w->disc[i] = sorted[i].s->local_disc;
	wp_free(MT_TMP, sorted);
	if (json)
		wp_vty_json_list_begin(ctx, "peers");
	wp_vty_continue(ctx, peers_step, w, wp_vty_free_tmp);
	return WP_VTY_OK;
}

static const char *
peer_arg(struct wp_vty_cmd_ctx *ctx, struct wp_addr *a)
{
	const char *w = wp_vty_arg(ctx, "A.B.C.D");

	if (w == NULL)
		w = wp_vty_arg(ctx, "X:X::X:X");
	if (w == NULL || wp_addr_parse(w, a, NULL, 0) == -1)
		return NULL;
	return w;
}

static int
show_peer(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	unsigned int what = SHOW_DETAIL;
	json_object *top, *arr;
	struct bfd_session *s;
	struct wp_addr a;
	char vbuf[IFNAMSIZ];
	const char *w, *vrf;

	if ((w = peer_arg(ctx, &a)) == NULL)
		return WP_VTY_ERR_NO_MATCH;
	if (vrf_arg(ctx, vbuf, &vrf) == -1)
		return WP_VTY_WARNING;
	if (json)
		what = SHOW_DETAIL | SHOW_COUNTERS;
	else if (wp_vty_arg(ctx, "counters"))
		what = SHOW_COUNTERS;
	top = json_object_new_object();
	arr = wp_json_add_array(top, "peers");
	TAILQ_FOREACH(s, &bg->sessions, entry)
		if (wp_addr_eq(&s->key.peer, &a) && in_vrf(s, vrf))
			json_object_array_add(arr, session_json(s, what));
	if (json_object_array_length(arr) == 0 && !json) {
		json_object_put(top);
		wp_vty_out(ctx, "%% No BFD session with peer %s\n", w);
		return WP_VTY_WARNING;
	}
	peers_out(ctx, top, arr, json);
	return WP_VTY_OK;
}

static int
show_counters(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	      bool json)
{
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object();
	size_t up = 0;
	struct bfd_session *s;
	json_object *d;

	TAILQ_FOREACH(s, &bg->sessions, entry)
		if (s->state == BFD_STA_UP)
			up++;
	wp_json_add_uint64(top, "sessions", bg->nsessions);
	wp_json_add_uint64(top, "sessionsUp", up);
	if (bg->damp.enabled) {
		d = wp_json_add_object(top, "dampening");

		wp_json_add_uint64(d, "maxFlaps", bg->damp.max_flaps);
		wp_json_add_double(d, "window", bg->damp.window);
		wp_json_add_double(d, "holdDown", bg->damp.hold_min);
		wp_json_add_double(d, "maxHoldDown", bg->damp.hold_max);
	}
	counters_json(top, &bg->cnt);
	d = wp_json_add_object(top, "rxQueueDelay");
	wp_json_add_uint64(d, "samples", bg->rx_delay.samples);
	wp_json_add_uint64(d, "avgUs", bg->rx_delay.samples ?
			   bg->rx_delay.sum_us / bg->rx_delay.samples : 0);
	wp_json_add_uint64(d, "maxUs", bg->rx_delay.max_us);
	wp_json_add_uint64(d, "over10ms", bg->rx_delay.over_10ms);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, "Sessions: %" PRId64 " (%" PRId64 " up)\n",
		   jint(top, "sessions"), jint(top, "sessionsUp"));
	text_counters(ctx, top, "");
	json_object_put(top);
	return WP_VTY_OK;
}

static void
params_json(json_object *o, const struct bfd_params *p)
{
	wp_json_add_uint64(o, "detectMultiplier", p->detect_mult);
	wp_json_add_uint64(o, "receiveInterval", p->rx_ms);
	wp_json_add_uint64(o, "transmitInterval", p->tx_ms);
	wp_json_add_bool(o, "echoMode", p->echo_mode);
	wp_json_add_uint64(o, "echoReceiveInterval", p->echo_rx_ms);
	wp_json_add_uint64(o, "echoTransmitInterval", p->echo_tx_ms);
	wp_json_add_uint64(o, "minimumTtl", p->min_ttl);
	wp_json_add_bool(o, "passiveMode", p->passive);
	wp_json_add_bool(o, "shutdown", p->shutdown);
	wp_json_add_str(o, "authentication", bfd_auth_type_name(p->auth.type));
}

static int
show_profile(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Profile", "name", WP_TABLE_LEFT },
		{ "Detect", "detectMultiplier", WP_TABLE_RIGHT },
		{ "Rx ms", "receiveInterval", WP_TABLE_RIGHT },
		{ "Tx ms", "transmitInterval", WP_TABLE_RIGHT },
		{ "Echo", "echoMode", WP_TABLE_LEFT },
		{ "Min TTL", "minimumTtl", WP_TABLE_RIGHT },
		{ "Passive", "passiveMode", WP_TABLE_LEFT },
		{ "Shutdown", "shutdown", WP_TABLE_LEFT },
		{ "Auth", "authentication", WP_TABLE_LEFT },
		{ "Peers", "peers", WP_TABLE_RIGHT },
	};
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "profiles");
	struct bfd_profile_conf *pr;
	struct bfd_peer_conf *pc;

	if (bg->conf) {
		TAILQ_FOREACH(pr, &bg->conf->profiles, entry) {
			json_object *row = wp_json_array_add_object(arr);
			struct bfd_peer_conf user;
			struct bfd_params p;
			uint64_t n = 0;

			TAILQ_FOREACH(pc, &bg->conf->peers, entry)
				if (strcmp(pc->profile, pr->name) == 0)
					n++;
			/* what a peer with only this profile gets */
			memset(&user, 0, sizeof(user));
			snprintf(user.profile, sizeof(user.profile), "%s",
				 pr->name);
			bfd_conf_resolve(bg->conf, &user, &p);
			wp_json_add_str(row, "name", pr->name);
			params_json(row, &p);
			wp_json_add_uint64(row, "peers", n);
		}
	}
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

static int
clear_peer(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	   bool json)
{
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	struct bfd_session *s;
	struct wp_addr a;
	char vbuf[IFNAMSIZ];
	const char *w, *vrf;
	int n = 0;

	if ((w = peer_arg(ctx, &a)) == NULL)
		return WP_VTY_ERR_NO_MATCH;
	if (vrf_arg(ctx, vbuf, &vrf) == -1)
		return WP_VTY_WARNING;
	TAILQ_FOREACH(s, &bg->sessions, entry)
		if (wp_addr_eq(&s->key.peer, &a) && in_vrf(s, vrf)) {
			bfd_session_clear_counters(s);
			n++;
		}
	if (n == 0) {
		wp_vty_out(ctx, "%% No BFD session with peer %s\n", w);
		return WP_VTY_WARNING;
	}
	return WP_VTY_OK;
}

static int
clear_peers(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	    bool json)
{
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	struct bfd_session *s;
	char vbuf[IFNAMSIZ];
	const char *vrf;

	if (vrf_arg(ctx, vbuf, &vrf) == -1)
		return WP_VTY_WARNING;
	TAILQ_FOREACH(s, &bg->sessions, entry)
		if (in_vrf(s, vrf))
			bfd_session_clear_counters(s);
	if (vrf == NULL)
		memset(&bg->cnt, 0, sizeof(bg->cnt));
	return WP_VTY_OK;
}

static int
show_clients(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Client", "name", WP_TABLE_LEFT },
		{ "Connected", "connected", WP_TABLE_LEFT },
		{ "Sessions", "sessions", WP_TABLE_RIGHT },
		{ "Stale", "stale", WP_TABLE_RIGHT },
		{ "For (s)", "seconds", WP_TABLE_RIGHT },
	};
	struct bfd_global *bg = wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "clients");
	struct bfd_client *c;
	struct bfd_reg *r;

	wp_json_add_double(top, "gracePeriod", bg->grace);
	LIST_FOREACH(c, &bg->clients, entry) {
		json_object *row = wp_json_array_add_object(arr);
		json_object *peers;
		uint64_t n = 0, stale = 0;
		char kb[160];

		wp_json_add_str(row, "name", c->name);
		wp_json_add_bool(row, "connected", c->conn != NULL);
		wp_json_add_uint64(row, "seconds",
				   (uint64_t)(wp_monotime() - c->since));
		wp_json_add_uint64(row, "registrations", c->registrations);
		peers = wp_json_add_array(row, "peers");
		LIST_FOREACH(r, &c->regs, c_entry) {
			json_object_array_add(peers, json_object_new_string(
				bfd_key_fmt(&r->s->key, kb, sizeof(kb))));
			n++;
			stale += r->stale;
		}
		wp_json_add_uint64(row, "sessions", n);
		wp_json_add_uint64(row, "stale", stale);
	}
	wp_json_array_sort_by(arr, "name");
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]), json);
	return WP_VTY_OK;
}

#define BFD_STR		"Bidirectional Forwarding Detection\n"
#define PEER_ADDR_STR	"IPv4 peer address\nIPv6 peer address\n"
#define VRF_STR		"One VRF\nVRF name (default: the default VRF)\n"

int
bfd_vty_install(struct wp_vty *vty, void *arg)
{
	static const struct {
		const char *tmpl;
		const char *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "show bfd [vrf NAME] peers [brief] [json]",
		  WP_SHOW_STR BFD_STR VRF_STR "BFD sessions\n"
		  "One line per session\n" WP_JSON_STR, show_peers },
		{ "show bfd [vrf NAME] peers counters [json]",
		  WP_SHOW_STR BFD_STR VRF_STR "BFD sessions\n"
		  "Packet counters\n" WP_JSON_STR, show_peers },
		{ "show bfd [vrf NAME] peer (A.B.C.D|X:X::X:X) [counters] "
		  "[json]",
		  WP_SHOW_STR BFD_STR VRF_STR "One BFD session\n"
		  PEER_ADDR_STR "Packet counters\n" WP_JSON_STR, show_peer },
		{ "show bfd counters [json]",
		  WP_SHOW_STR BFD_STR "Counters of the whole daemon\n"
		  WP_JSON_STR, show_counters },
		{ "show bfd clients [json]",
		  WP_SHOW_STR BFD_STR "Daemons using bfdd.sock\n" WP_JSON_STR,
		  show_clients },
		{ "show bfd profile [json]",
		  WP_SHOW_STR BFD_STR "Profiles\n" WP_JSON_STR, show_profile },
		{ "clear bfd [vrf NAME] peer (A.B.C.D|X:X::X:X) counters",
		  WP_CLEAR_STR BFD_STR VRF_STR "One BFD session\n"
		  PEER_ADDR_STR "Packet counters\n", clear_peer },
		{ "clear bfd [vrf NAME] peers counters",
		  WP_CLEAR_STR BFD_STR VRF_STR "Every BFD session\n"
		  "Packet counters\n", clear_peers },
	};

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install_arg(vty, cmds[i].tmpl, cmds[i].help,
				       cmds[i].fn, arg) == -1) {
			wp_log_err("%s: %s", __func__, cmds[i].tmpl);
			return -1;
		}
	return 0;
}
