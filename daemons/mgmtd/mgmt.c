/*
 * mgmt.c: mgmtd's state as a whole: the YANG context, the running
 * datastore, the socket that daemons and sessions share, start and stop.
 *
 * mgmt_new() builds everything in order (context, startup configuration,
 * history, socket) so the tests can run a whole mgmtd inside their own
 * loop; mgmt_main.c wraps it in a daemon.  A connection is anonymous
 * until its first message: DaemonHello makes it a daemon (mgmt_be.c),
 * SessionOpen a session (mgmt_fe.c).  The connection's data points to
 * either, both tagged by their first member.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/proto/ipc.pb-c.h"
#include "lib/proto/mgmt.pb-c.h"
#include "mgmtd.h"
#include "wp_cli.h"
#include "wp_yang.h"

WP_MEMTYPE_DEFINE(MT_MGMT, "mgmtd");
WP_MEMTYPE_DEFINE(MT_MGMT_TEXT, "mgmtd text");

/* Handlers of both kinds of peers; built once from the two tables. */
static struct wp_ipc_handler handlers[32];

static void
handlers_build(void)
{
	const struct wp_ipc_handler *tables[] = { mgmt_be_handlers,
						  mgmt_fe_handlers };
	size_t n = 0;

	for (size_t t = 0; t < 2; t++)
		for (const struct wp_ipc_handler *h = tables[t]; h->fn; h++)
			handlers[n++] = *h;
	handlers[n] = (struct wp_ipc_handler)WP_IPC_HANDLER_END;
}

static void
peer_gone(struct wp_ipc_conn *c)
{
	enum mgmt_peer_kind *kind = wp_ipc_conn_data(c);

	if (kind == NULL)
		return;
	wp_ipc_conn_set_data(c, NULL);
	if (*kind == MGMT_PEER_DAEMON)
		mgmt_be_gone((struct mgmt_daemon *)(void *)kind);
	else
		mgmt_fe_gone((struct mgmt_session *)(void *)kind);
}

const char *
mgmt_who_str(const struct mgmt_who *w, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s, uid %d)", w->user,
		 w->client[0] ? w->client : "-", (int)w->uid);
	return buf;
}

void
mgmt_running_set(struct mgmt *m, struct lyd_node *tree)
{
	lyd_free_all(m->running);
	m->running = tree;
	m->running_gen++;
}

static char *
dup_opt(const char *s)
{
	return s ? wp_strdup(MT_MGMT, s) : NULL;
}

/* The boot load is a commit of its own, unless history ends with it. */
static void
startup_record(struct mgmt *m)
{
	struct mgmt_commit *last = mgmt_history_get(m, 0);
	struct mgmt_who who = { .user = "mgmtd", .client = "startup" };
	struct lyd_node *prev = NULL, *diff;
	struct mgmt_err e;
	char comment[512];

	if (last && mgmt_ds_parse(m, last->config, LYD_JSON, "history",
				  &prev, &e) == 0 &&
	    mgmt_ds_equal(prev, m->running)) {
		lyd_free_all(prev);
		return;
	}
	if (m->running == NULL && last == NULL) {
		lyd_free_all(prev);
		return;
	}
	diff = mgmt_ds_diff(prev, m->running);
	snprintf(comment, sizeof(comment), "startup configuration%s%s",
		 m->loaded_from ? " from " : "",
		 m->loaded_from ? m->loaded_from : "");
	mgmt_history_add(m, &who, comment, diff, m->running);
	lyd_free_all(diff);
	lyd_free_all(prev);
}

struct mgmt *
mgmt_new(struct wp_loop *loop, const struct mgmt_config *cfg, char *err,
	 size_t errlen)
{
	struct wp_ipc_callbacks cb = {
		.on_disconnect = peer_gone,
	};
	struct mgmt *m = wp_calloc(MT_MGMT, sizeof(*m));
	struct mgmt_err e = { 0 };
	size_t nmods = 0;
	char *yerr = NULL;
	size_t plen;

	if (handlers[0].fn == NULL)
		handlers_build();
	m->loop = loop;
	m->rundir = wp_strdup(MT_MGMT, cfg->rundir);
	m->startup_file = dup_opt(cfg->startup_file);
	m->state_dir = dup_opt(cfg->state_dir);
	m->commit_timeout = cfg->commit_timeout > 0 ? cfg->commit_timeout :
			    WP_MGMT_COMMIT_TIMEOUT;
	TAILQ_INIT(&m->daemons);
	TAILQ_INIT(&m->sessions);
	TAILQ_INIT(&m->txns);
	TAILQ_INIT(&m->history);
	mgmt_confirm_init(m);
	plen = strlen(m->rundir) + sizeof(WP_MGMT_SOCK_NAME) + 1;
	m->sock_path = wp_malloc(MT_MGMT, plen);
	snprintf(m->sock_path, plen, "%s/%s", m->rundir, WP_MGMT_SOCK_NAME);

	if (wp_yang_ctx_new(cfg->yang_path, NULL, &m->ctx, &yerr) == -1) {
		snprintf(err, errlen, "%s", yerr + (yerr[0] == '%' ? 2 : 0));
		wp_free(MT_STRING, yerr);
		goto out_fail;
	}
	nmods = wp_yang_ctx_count(m->ctx);
	if (nmods == 0)
		wp_log_warnx("mgmtd: no waypoint-*.yang module found on the "
			     "YANG path: every configuration is refused");
	else
		wp_log_info("mgmtd: %zu YANG modules loaded", nmods);
	if ((m->cli = wp_cli_new(m->ctx, &yerr)) == NULL) {
		wp_log_errx("mgmtd: no CLI engine, configuration text is "
			    "refused: %s", yerr);
		wp_free(MT_STRING, yerr);
	}

	mgmt_history_load(m);
	mgmt_startup_load(m, &e);
	startup_record(m);

	cb.arg = m;
	m->server = wp_ipc_server_new(loop, m->sock_path, handlers, &cb);
	if (m->server == NULL) {
		snprintf(err, errlen, "cannot listen on %s: %s", m->sock_path,
			 strerror(errno));
		goto out_fail;
	}
	return m;

out_fail:
	mgmt_free(m);
	return NULL;
}

void
mgmt_free(struct mgmt *m)
{
	if (m == NULL)
		return;
	/* Transactions first: the departures below must find none. */
	mgmt_txn_free_all(m);
	/* Closing the connections runs peer_gone for each. */
	wp_ipc_server_free(m->server);
	mgmt_confirm_clear(m);
	mgmt_history_free(m);
	mgmt_cand_clear(&m->shared);
	lyd_free_all(m->running);
	wp_cli_free(m->cli);
	if (m->ctx)
		wp_yang_ctx_free(m->ctx);
	wp_free(MT_MGMT, m->rundir);
	wp_free(MT_MGMT, m->sock_path);
	wp_free(MT_MGMT, m->startup_file);
	wp_free(MT_MGMT, m->loaded_from);
	wp_free(MT_MGMT, m->state_dir);
	wp_free(MT_MGMT, m);
}
