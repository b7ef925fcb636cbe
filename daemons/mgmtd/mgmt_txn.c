/*
 * mgmt_txn.c: transactions, one at a time, in the order they come.
 *
 * A transaction takes a target configuration to the daemons:
 *
 *	QUEUED --start--> PREPARE --all prepared--> APPLY --all applied--> done
 *	                     |                         (running := target
 *	                     |                          at the APPLY edge)
 *	                     +--refused / timeout / daemon gone--> ABORT, done
 *
 * At start the target is built (the candidate, rebased onto running if
 * running moved since its first edit) and validated.  Each connected
 * daemon whose part of the configuration changes (or that has not yet
 * applied any) gets ConfigPrepare with its whole new part and the diff.
 * The first refusal, a daemon that disconnects, or the phase timer
 * aborts the prepare phase: ConfigAbort goes to every daemon that was
 * asked and did not refuse, and nothing changes.  Once all have
 * prepared, running becomes the target (the commit point), the history
 * records it, and ConfigApply goes out; the requester is answered when
 * all confirmed the apply.  A daemon that does not confirm within the
 * timer is disconnected, which makes it resync when it comes back.
 *
 * Kinds: COMMIT (a session's commit), CHECK (prepare, then always abort),
 * SYNC (one daemon's whole running part after it connects; running does
 * not change), ROLLBACK (mgmtd's own commit when a confirmed commit was
 * not confirmed).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mgmtd.h"

WP_DEBUG_DEFINE(DBG_MGMT_TXN, "mgmt-txn");

static void txn_schedule(struct mgmt *m);
static void txn_finish(struct mgmt_txn *t);

static const char *const kind_names[] = {
	[MGMT_TXN_COMMIT] = "commit",
	[MGMT_TXN_CHECK] = "check",
	[MGMT_TXN_SYNC] = "sync",
	[MGMT_TXN_ROLLBACK] = "rollback",
};

const char *
mgmt_txn_kind_name(enum mgmt_txn_kind kind)
{
	return kind_names[kind];
}

static void
txn_warn(struct mgmt_txn *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
txn_warn(struct mgmt_txn *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wp_log_warnx("mgmtd: tx %" PRIu64 " (%s): %s", t->id,
		     kind_names[t->kind], buf);
	t->warnings = wp_realloc(MT_MGMT, t->warnings,
				 (t->nwarnings + 1) * sizeof(char *));
	t->warnings[t->nwarnings++] = wp_strdup(MT_MGMT, buf);
}

static void
txn_free(struct mgmt_txn *t)
{
	wp_timer_stop(&t->timer);
	for (size_t i = 0; i < t->nparts; i++)
		lyd_free_all(t->parts[i].config);
	wp_free(MT_MGMT, t->parts);
	for (size_t i = 0; i < t->nwarnings; i++)
		wp_free(MT_MGMT, t->warnings[i]);
	wp_free(MT_MGMT, t->warnings);
	lyd_free_all(t->cand);
	lyd_free_all(t->base);
	lyd_free_all(t->target);
	lyd_free_all(t->prev);
	wp_free(MT_MGMT, t->comment);
	wp_free(MT_MGMT, t);
}

static void txn_timeout_cb(struct wp_timer *timer);

struct mgmt_txn *
mgmt_txn_new(struct mgmt *m, enum mgmt_txn_kind kind)
{
	struct mgmt_txn *t = wp_calloc(MT_MGMT, sizeof(*t));

	t->m = m;
	t->kind = kind;
	t->id = ++m->next_txid;
	t->phase = TXN_QUEUED;
	snprintf(t->who.user, sizeof(t->who.user), "mgmtd");
	wp_timer_init(m->loop, &t->timer, "mgmt txn timeout", txn_timeout_cb);
	return t;
}

void
mgmt_txn_submit(struct mgmt_txn *t)
{
	TAILQ_INSERT_TAIL(&t->m->txns, t, entry);
	wp_debug(DBG_MGMT_TXN, "mgmtd: tx %" PRIu64 " (%s) queued", t->id,
		 kind_names[t->kind]);
	txn_schedule(t->m);
}

/* Start queued transactions while none is active. */
static void txn_start(struct mgmt_txn *t);

static void
txn_schedule(struct mgmt *m)
{
	struct mgmt_txn *t;

	if (m->txn_running)
		return;
	m->txn_running = true;
	while (m->active == NULL && (t = TAILQ_FIRST(&m->txns)) != NULL) {
		m->active = t;
		txn_start(t);
	}
	m->txn_running = false;
}

/* --- start --------------------------------------------------------------- */

/* The target of a commit or check: the candidate, rebased if needed. */
static int
txn_build_target(struct mgmt_txn *t)
{
	struct mgmt *m = t->m;
	struct lyd_node *diff;

	if (t->clean) {
		t->target = mgmt_ds_dup(m->running);
		return 0;
	}
	if (t->base_gen == m->running_gen) {
		t->target = t->cand;
		t->cand = NULL;
		return 0;
	}
	/* Running moved since the first edit: replay our changes on it. */
	diff = mgmt_ds_diff(t->base, t->cand);
	t->target = mgmt_ds_dup(m->running);
	if (diff && lyd_diff_apply_all(&t->target, diff) != LY_SUCCESS) {
		struct mgmt_err ye;

		mgmt_ds_yang_err(m, &ye, WP_MGMT_ST_CONFLICT, NULL, NULL);
		mgmt_err_set(&t->err, WP_MGMT_ST_CONFLICT, ye.xpath,
			     "the running configuration changed since this "
			     "candidate was first edited and the changes "
			     "conflict (%s): discard and edit again", ye.msg);
		lyd_free_all(diff);
		return -1;
	}
	lyd_free_all(diff);
	return 0;
}

static char *
names_of(struct mgmt_txn *t, enum mgmt_part_state state, char *buf,
	 size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < t->nparts; i++) {
		size_t used = strlen(buf);

		if (t->parts[i].state != state)
			continue;
		snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
			 t->parts[i].name);
	}
	return buf;
}

static void
txn_add_part(struct mgmt_txn *t, struct mgmt_daemon *d,
	     struct lyd_node *config)
{
	struct mgmt_part *p;

	t->parts = wp_realloc(MT_MGMT, t->parts,
			      (t->nparts + 1) * sizeof(*t->parts));
	p = &t->parts[t->nparts++];
	memset(p, 0, sizeof(*p));
	p->d = d;
	p->config = config;
	p->state = PART_PENDING;
	snprintf(p->name, sizeof(p->name), "%s", d->name);
}

/*
 * The daemons whose part of the target differs from what they applied.
 * A daemon that refused its part when it connected is asked again only
 * once that part changes: it would refuse the same part again, and hold
 * up commits that do not concern it.
 */
static void
txn_pick_parts(struct mgmt_txn *t, const struct lyd_node *target)
{
	struct mgmt_daemon *d;

	if (t->kind == MGMT_TXN_SYNC) {
		d = t->sync_daemon;
		txn_add_part(t, d, mgmt_ds_filter(target, d->modules,
						  d->nmodules));
		return;
	}
	TAILQ_FOREACH(d, &t->m->daemons, entry) {
		struct lyd_node *cfg = mgmt_ds_filter(target, d->modules,
						      d->nmodules);

		if ((d->synced && mgmt_ds_equal(d->applied, cfg)) ||
		    (!d->synced && d->rejected &&
		     mgmt_ds_equal(d->rejected, cfg))) {
			lyd_free_all(cfg);
			continue;
		}
		txn_add_part(t, d, cfg);
	}
}

static void txn_prepare_check(struct mgmt_txn *t);

static void
txn_start(struct mgmt_txn *t)
{
	struct mgmt *m = t->m;
	const struct lyd_node *target;

	t->phase = TXN_PREPARE;
	switch (t->kind) {
	case MGMT_TXN_SYNC:
		target = m->running;
		break;
	case MGMT_TXN_COMMIT:
	case MGMT_TXN_CHECK:
		if (txn_build_target(t) == -1) {
			txn_finish(t);
			return;
		}
		/* FALLTHROUGH */
	case MGMT_TXN_ROLLBACK:
	default:
		if (mgmt_ds_validate(m, &t->target, &t->err) == -1) {
			txn_finish(t);
			return;
		}
		if (mgmt_ds_equal(m->running, t->target)) {
			mgmt_err_set(&t->err, WP_MGMT_ST_OK, NULL,
				     t->confirmed_now ?
				     "Commit confirmed; no other changes" :
				     "No changes to commit");
			txn_finish(t);
			return;
		}
		target = t->target;
		break;
	}
	txn_pick_parts(t, target);
	wp_debug(DBG_MGMT_TXN, "mgmtd: tx %" PRIu64 " (%s): prepare on %zu "
		 "daemons", t->id, kind_names[t->kind], t->nparts);
	for (size_t i = 0; i < t->nparts; i++) {
		struct mgmt_part *p = &t->parts[i];
		struct lyd_node *diff = mgmt_ds_diff(p->d->applied, p->config);
		char *cfg = mgmt_ds_print(p->config, LYD_JSON, true);
		char *dj = mgmt_ds_print(diff, LYD_JSON, false);

		if (mgmt_be_send_prepare(p->d, t->id, t->kind, cfg, dj) ==
		    -1) {
			if (t->err.status == WP_MGMT_ST_OK)
				mgmt_err_set(&t->err, WP_MGMT_ST_FAILED, NULL,
					     "cannot send the configuration "
					     "to %s: %s; nothing was changed",
					     p->name, strerror(errno));
			p->state = PART_GONE;
		}
		wp_free(MT_MGMT_TEXT, cfg);
		wp_free(MT_MGMT_TEXT, dj);
		lyd_free_all(diff);
	}
	wp_timer_start(&t->timer, m->commit_timeout, 0.0);
	txn_prepare_check(t);
}

/* --- prepare phase ------------------------------------------------------- */

static void
txn_abort_all(struct mgmt_txn *t)
{
	for (size_t i = 0; i < t->nparts; i++) {
		struct mgmt_part *p = &t->parts[i];

		if (p->d && (p->state == PART_PENDING ||
			     p->state == PART_PREPARED))
			mgmt_be_send_abort(p->d, t->id);
	}
}

static void txn_apply(struct mgmt_txn *t);

/* After each answer: go on, wait, or abort. */
static void
txn_prepare_check(struct mgmt_txn *t)
{
	size_t prepared = 0;
	char names[256];

	for (size_t i = 0; i < t->nparts; i++) {
		if (t->parts[i].state == PART_GONE) {
			if (t->err.status == WP_MGMT_ST_OK)
				mgmt_err_set(&t->err, WP_MGMT_ST_FAILED, NULL,
					     "%s disconnected during the "
					     "commit; nothing was changed",
					     t->parts[i].name);
			txn_abort_all(t);
			txn_finish(t);
			return;
		}
		if (t->parts[i].state == PART_REFUSED) {
			txn_abort_all(t);
			txn_finish(t);
			return;
		}
		if (t->parts[i].state == PART_PREPARED)
			prepared++;
	}
	if (prepared < t->nparts)
		return;
	if (t->kind != MGMT_TXN_CHECK) {
		txn_apply(t);
		return;
	}
	txn_abort_all(t);
	mgmt_err_set(&t->err, WP_MGMT_ST_OK, NULL,
		     "Configuration check passed%s%s",
		     t->nparts ? "; prepared by " : "",
		     names_of(t, PART_PREPARED, names, sizeof(names)));
	txn_finish(t);
}

static struct mgmt_part *
txn_part(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid,
	 const char *what)
{
	struct mgmt_txn *t = m->active;

	if (t == NULL || t->id != txid || t->phase == TXN_QUEUED) {
		wp_debug(DBG_MGMT_TXN, "mgmtd: %s: late %s for transaction "
			 "%" PRIu64 ", ignored", d->name, what, txid);
		return NULL;
	}
	for (size_t i = 0; i < t->nparts; i++)
		if (t->parts[i].d == d)
			return &t->parts[i];
	wp_log_warnx("mgmtd: %s: %s for transaction %" PRIu64 " it is not "
		     "part of", d->name, what, txid);
	return NULL;
}

void
mgmt_txn_prepared(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid)
{
	struct mgmt_part *p = txn_part(m, d, txid, "prepared");

	if (p == NULL || m->active->phase != TXN_PREPARE ||
	    p->state != PART_PENDING)
		return;
	p->state = PART_PREPARED;
	wp_debug(DBG_MGMT_TXN, "mgmtd: tx %" PRIu64 " (%s): %s prepared",
		 txid, kind_names[m->active->kind], d->name);
	txn_prepare_check(m->active);
}

void
mgmt_txn_refused(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid,
		 const char *msg, const char *xpath)
{
	struct mgmt_part *p = txn_part(m, d, txid, "refusal");
	struct mgmt_txn *t = m->active;

	if (p == NULL || t->phase != TXN_PREPARE || p->state != PART_PENDING)
		return;
	p->state = PART_REFUSED;
	d->refusals++;
	snprintf(d->last_error, sizeof(d->last_error), "%s", msg);
	mgmt_err_set(&t->err, WP_MGMT_ST_REFUSED, xpath,
		     "%s refused the configuration: %s%s%s", d->name, msg,
		     xpath && xpath[0] ? " at " : "", xpath ? xpath : "");
	wp_log_warnx("mgmtd: tx %" PRIu64 " (%s): %s", txid,
		     kind_names[t->kind], t->err.msg);
	txn_prepare_check(t);
}

/* --- apply phase --------------------------------------------------------- */

static void txn_apply_check(struct mgmt_txn *t);

/* The commit point: running becomes the target, then apply everywhere. */
static void
txn_apply(struct mgmt_txn *t)
{
	struct mgmt *m = t->m;

	t->phase = TXN_APPLY;
	if (t->kind != MGMT_TXN_SYNC) {
		struct lyd_node *diff = mgmt_ds_diff(m->running, t->target);

		t->prev = m->running;
		m->running = t->target;
		t->target = NULL;
		m->running_gen++;
		t->commit_id = mgmt_history_add(m, &t->who, t->comment, diff,
						m->running);
		lyd_free_all(diff);
	}
	for (size_t i = 0; i < t->nparts; i++) {
		struct mgmt_part *p = &t->parts[i];

		lyd_free_all(p->d->applied);
		p->d->applied = p->config;
		p->config = NULL;
		lyd_free_all(p->d->rejected);
		p->d->rejected = NULL;
		p->d->synced = true;
		p->d->last_error[0] = '\0';
		if (mgmt_be_send_apply(p->d, t->id) == -1) {
			txn_warn(t, "cannot send the apply to %s; it "
				 "resyncs when it reconnects", p->name);
			p->state = PART_GONE;
		}
	}
	wp_timer_start(&t->timer, m->commit_timeout, 0.0);
	txn_apply_check(t);
}

static void
txn_apply_check(struct mgmt_txn *t)
{
	char names[256];

	for (size_t i = 0; i < t->nparts; i++)
		if (t->parts[i].state == PART_PREPARED)
			return;
	if (t->kind == MGMT_TXN_SYNC) {
		mgmt_err_set(&t->err, WP_MGMT_ST_OK, NULL, "synced");
	} else {
		uint32_t n = 0;
		struct lyd_node *diff = mgmt_ds_diff(t->prev, t->m->running);
		char *txt = mgmt_ds_diff_text(diff, &n);

		wp_free(MT_MGMT_TEXT, txt);
		lyd_free_all(diff);
		names_of(t, PART_APPLIED, names, sizeof(names));
		mgmt_err_set(&t->err, WP_MGMT_ST_OK, NULL,
			     "Commit %u complete: %u change%s, %s%s",
			     t->commit_id, n, n == 1 ? "" : "s",
			     names[0] ? "applied by " : "no daemon affected",
			     names);
	}
	txn_finish(t);
}

void
mgmt_txn_applied(struct mgmt *m, struct mgmt_daemon *d, uint64_t txid)
{
	struct mgmt_part *p = txn_part(m, d, txid, "applied");

	if (p == NULL || m->active->phase != TXN_APPLY ||
	    p->state != PART_PREPARED)
		return;
	p->state = PART_APPLIED;
	d->commits++;
	txn_apply_check(m->active);
}

/* --- timeouts and departures --------------------------------------------- */

static void
txn_timeout_cb(struct wp_timer *timer)
{
	struct mgmt_txn *t = container_of(timer, struct mgmt_txn, timer);
	struct mgmt_daemon *late[64];
	size_t nlate = 0;
	char names[256];

	if (t->phase == TXN_PREPARE) {
		names_of(t, PART_PENDING, names, sizeof(names));
		mgmt_err_set(&t->err, WP_MGMT_ST_TIMEOUT, NULL,
			     "%s did not answer within %.3g s; nothing was "
			     "changed", names, t->m->commit_timeout);
		wp_log_warnx("mgmtd: tx %" PRIu64 " (%s): %s", t->id,
			     kind_names[t->kind], t->err.msg);
		txn_abort_all(t);
		txn_finish(t);
		return;
	}
	/* Apply not confirmed: the daemon's state is unknown; make it
	 * reconnect and resync.  Close after finishing, so the departure
	 * does not touch this transaction. */
	for (size_t i = 0; i < t->nparts; i++) {
		struct mgmt_part *p = &t->parts[i];

		if (p->state != PART_PREPARED || p->d == NULL)
			continue;
		txn_warn(t, "%s did not confirm the apply within %.3g s; "
			 "disconnecting it to resync", p->name,
			 t->m->commit_timeout);
		if (nlate < sizeof(late) / sizeof(late[0]))
			late[nlate++] = p->d;
		p->state = PART_GONE;
	}
	txn_apply_check(t);
	for (size_t i = 0; i < nlate; i++)
		wp_ipc_conn_close(late[i]->conn);
}

void
mgmt_txn_daemon_gone(struct mgmt *m, struct mgmt_daemon *d)
{
	struct mgmt_txn *t, *next;

	/* Its queued sync is moot. */
	for (t = TAILQ_FIRST(&m->txns); t; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (t != m->active && t->sync_daemon == d) {
			TAILQ_REMOVE(&m->txns, t, entry);
			txn_free(t);
		}
	}
	if ((t = m->active) == NULL)
		return;
	for (size_t i = 0; i < t->nparts; i++) {
		struct mgmt_part *p = &t->parts[i];

		if (p->d != d)
			continue;
		p->d = NULL;
		if (t->sync_daemon == d)
			t->sync_daemon = NULL;
		if (t->phase == TXN_PREPARE && (p->state == PART_PENDING ||
						p->state == PART_PREPARED)) {
			p->state = PART_GONE;
			txn_prepare_check(t);
			return;
		}
		if (t->phase == TXN_APPLY && p->state == PART_PREPARED) {
			txn_warn(t, "%s disconnected before confirming the "
				 "apply; it resyncs when it reconnects",
				 p->name);
			p->state = PART_GONE;
			txn_apply_check(t);
			return;
		}
	}
}

void
mgmt_txn_session_gone(struct mgmt *m, struct mgmt_session *s)
{
	struct mgmt_txn *t;

	TAILQ_FOREACH(t, &m->txns, entry) {
		if (t->sess != s)
			continue;
		t->sess = NULL;
		if (t->from == &s->cand)
			t->from = NULL;
	}
}

/* --- the end ------------------------------------------------------------- */

static void
txn_finish(struct mgmt_txn *t)
{
	struct mgmt *m = t->m;
	bool ok = t->err.status == WP_MGMT_ST_OK;
	bool committed = ok && t->phase == TXN_APPLY &&
			 t->kind != MGMT_TXN_SYNC;

	wp_timer_stop(&t->timer);
	TAILQ_REMOVE(&m->txns, t, entry);
	if (m->active == t)
		m->active = NULL;
	wp_debug(DBG_MGMT_TXN, "mgmtd: tx %" PRIu64 " (%s) done: %s", t->id,
		 kind_names[t->kind], t->err.msg);

	if (t->from) {
		t->from->committing = false;
		/* Committed, or nothing to commit: the candidate is spent. */
		if (t->kind == MGMT_TXN_COMMIT && ok)
			mgmt_cand_clear(t->from);
	}
	if (committed) {
		wp_log_info("mgmtd: %s", t->err.msg);
		if (t->kind == MGMT_TXN_COMMIT && t->confirm_ms) {
			mgmt_confirm_start(m, t->prev, t->commit_id,
					   t->who.session, t->confirm_ms);
			t->prev = NULL;
			snprintf(t->err.msg + strlen(t->err.msg),
				 sizeof(t->err.msg) - strlen(t->err.msg),
				 "; confirm with a commit within %.0f s or "
				 "it is rolled back",
				 t->confirm_ms / 1000.0);
		}
	}
	if (t->kind == MGMT_TXN_SYNC && !ok && t->sync_daemon &&
	    t->nparts == 1 && t->parts[0].state == PART_REFUSED) {
		/* Remember what it refused; see txn_pick_parts(). */
		lyd_free_all(t->sync_daemon->rejected);
		t->sync_daemon->rejected = t->parts[0].config;
		t->parts[0].config = NULL;
		wp_log_errx("mgmtd: %s cannot take its running configuration: "
			    "%s", t->sync_daemon->name, t->err.msg);
	}
	if (t->kind == MGMT_TXN_ROLLBACK && !ok)
		wp_log_errx("mgmtd: rollback failed, running configuration "
			    "kept: %s", t->err.msg);
	if (t->sess)
		mgmt_fe_reply(t->sess, t->req_id, &t->err, NULL, t->warnings,
			      t->nwarnings, committed ? t->commit_id : 0);
	txn_free(t);
	txn_schedule(m);
}

void
mgmt_txn_free_all(struct mgmt *m)
{
	struct mgmt_txn *t;

	while ((t = TAILQ_FIRST(&m->txns)) != NULL) {
		TAILQ_REMOVE(&m->txns, t, entry);
		txn_free(t);
	}
	m->active = NULL;
}

/* --- commit confirmed ---------------------------------------------------- */

static void
confirm_expired(struct wp_timer *timer)
{
	struct mgmt *m = container_of(timer, struct mgmt, confirm.timer);
	struct mgmt_txn *t;
	char comment[128];

	if (!m->confirm.pending)
		return;
	wp_log_warnx("mgmtd: commit %u was not confirmed: rolling back",
		     m->confirm.commit_id);
	snprintf(comment, sizeof(comment),
		 "rollback: commit %u was not confirmed", m->confirm.commit_id);
	t = mgmt_txn_new(m, MGMT_TXN_ROLLBACK);
	t->target = m->confirm.rollback;
	t->comment = wp_strdup(MT_MGMT, comment);
	m->confirm.rollback = NULL;
	m->confirm.pending = false;
	mgmt_txn_submit(t);
}

/*
 * A confirmed commit went through: arm (or re-arm) the rollback timer.
 * The rollback point is the running before the first confirmed commit
 * of a series; `prev` is taken over.
 */
void
mgmt_confirm_start(struct mgmt *m, struct lyd_node *prev, uint32_t commit_id,
		   uint64_t session, uint32_t ms)
{
	if (!m->confirm.pending)
		m->confirm.rollback = prev;
	else
		lyd_free_all(prev);
	m->confirm.pending = true;
	m->confirm.commit_id = commit_id;
	m->confirm.session = session;
	wp_timer_start(&m->confirm.timer, ms / 1000.0, 0.0);
}

/* A plain commit confirms a pending confirmed commit. */
bool
mgmt_confirm_accept(struct mgmt *m)
{
	if (!m->confirm.pending)
		return false;
	wp_timer_stop(&m->confirm.timer);
	lyd_free_all(m->confirm.rollback);
	m->confirm.rollback = NULL;
	m->confirm.pending = false;
	wp_log_info("mgmtd: commit %u confirmed", m->confirm.commit_id);
	return true;
}

/* Roll back now (NETCONF <cancel-commit>); -1 if nothing is pending. */
int
mgmt_confirm_cancel(struct mgmt *m)
{
	if (!m->confirm.pending)
		return -1;
	wp_timer_stop(&m->confirm.timer);
	confirm_expired(&m->confirm.timer);
	return 0;
}

void
mgmt_confirm_init(struct mgmt *m)
{
	wp_timer_init(m->loop, &m->confirm.timer, "mgmt confirmed commit",
		      confirm_expired);
}

void
mgmt_confirm_clear(struct mgmt *m)
{
	wp_timer_stop(&m->confirm.timer);
	lyd_free_all(m->confirm.rollback);
	m->confirm.rollback = NULL;
	m->confirm.pending = false;
}
