/*
 * wp_ribclient.c: the client side of ribd's API (wp_ribclient.h).
 *
 * The table: one rc_table per routing table id, each a wp_trie per
 * family of rc_route entries.  An entry is the latest state we want ribd
 * to hold for a prefix: a route, or a withdrawal not yet confirmed (a
 * tombstone).  Entries with something to send sit on a FIFO (the dirty
 * list, linked through the entries: O(1), no allocation), so ten changes
 * to one prefix before a flush send one route.
 *
 * Sending: a zero timer (or wp_ribclient_flush()) builds ROUTE_DEL and
 * ROUTE_ADD messages of up to `batch` routes, first from the resync
 * cursor after a connect (a wp_trie iterator over the whole table: no
 * copy, no pass over it up front), then from the dirty list, until
 * wp_ipc refuses (high water); on_writable brings us back.
 *
 * Results: each version of a route sent carries a sequence number as its
 * wire cookie; ribd echoes the cookie of the version a result is about,
 * so results about superseded versions are dropped here.  An entry is
 * "awaiting" from its sending to its final result; a connection
 * generation number voids every wait at once when the connection drops.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_daemon.h"
#include "wp_ipc.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_ribclient.h"
#include "wp_trie.h"

WP_MEMTYPE_DEFINE(MT_RIBCLIENT, "RIB client");
WP_MEMTYPE_DEFINE(MT_RIBCLIENT_ROUTE, "RIB client route");
WP_MEMTYPE_DEFINE(MT_RIBCLIENT_NH, "RIB client nexthops");
WP_MEMTYPE_DEFINE(MT_RIBCLIENT_OUT, "RIB client output");

#define RC_BATCH_DEFAULT	4096
#define RC_BATCH_MAX		65536
#define RC_SOURCES		9	/* Wp__Rib__Source values */

enum {
	RC_DIRTY = 1 << 0,	/* on the dirty list */
	RC_DELETED = 1 << 1,	/* a withdrawal, not yet confirmed */
	RC_AWAIT = 1 << 2,	/* sent; valid if await_gen is current */
};

struct rc_route {
	struct wp_prefix p;
	uint32_t table;
	uint32_t metric;
	uint32_t tag;
	uint8_t distance;
	uint8_t n_nh;
	uint8_t status;		/* enum wp_rib_status */
	uint8_t flags;
	uint32_t await_gen;
	uint64_t seq;		/* wire cookie of the latest version */
	uint64_t cookie;	/* the caller's */
	struct rc_route *dirty_next;
	struct wp_rib_nh *nh;
};

struct rc_table {
	struct rc_table *next;
	uint32_t id;
	struct wp_trie *t[2];
};

struct wp_ribclient {
	struct wp_loop *loop;
	struct wp_ipc_client *ipc;
	struct wp_ipc_conn *conn;
	int source;			/* Wp__Rib__Source */
	uint32_t instance;
	struct wp_ribclient_cbs cbs;
	char name[32];
	bool gr;
	unsigned int grace;
	bool ifaces;
	unsigned int batch;

	struct rc_table *tables;
	struct rc_route *dirty_head, *dirty_tail;
	uint64_t seq;
	uint32_t gen;			/* connection generation */
	bool open;			/* HELLO_ACK received */
	bool freeing;
	unsigned int refusals;		/* sessions lost before HELLO_ACK */

	/* Resync after a connect: a cursor over every table and family. */
	bool resync;
	struct rc_table *rs_tbl;
	int rs_fam;
	struct wp_trie_iter rs_it;
	bool sync_wanted;		/* wp_ribclient_sync_done() was called */
	bool sync_owed;			/* SYNC_DONE to send once caught up */

	struct wp_trie *nh[2];		/* registered addresses (main) */
	/* Registrations in other tables: one pair of tries per table. */
	struct rc_nhtab {
		struct rc_nhtab *next;
		uint32_t table;
		struct wp_trie *t[2];
	} *nhtabs;
	bool redist[2][RC_SOURCES];	/* of the main table */
	/* Subscriptions in other tables (VRFs): a short list. */
	struct rc_tsub {
		uint32_t table;
		uint8_t f, src;
	} *tsubs;
	size_t n_tsubs, cap_tsubs;
	struct wp_timer flush_timer;
	struct wp_ribclient_stats st;
};

static void rc_kick(struct wp_ribclient *rc);

static int
fidx(int af)
{
	return af == AF_INET6 ? 1 : 0;
}

static uint32_t
table_norm(uint32_t table)
{
	return table == 0 ? WP_RIB_TABLE_MAIN : table;
}

/* --- the table ------------------------------------------------------------- */

static struct rc_table *
table_find(const struct wp_ribclient *rc, uint32_t id)
{
	for (struct rc_table *t = rc->tables; t; t = t->next)
		if (t->id == id)
			return t;
	return NULL;
}

static struct rc_table *
table_get(struct wp_ribclient *rc, uint32_t id)
{
	struct rc_table *t = table_find(rc, id), **pp;

	if (t)
		return t;
	t = wp_calloc(MT_RIBCLIENT, sizeof(*t));
	t->id = id;
	t->t[0] = wp_trie_new(AF_INET);
	t->t[1] = wp_trie_new(AF_INET6);
	/* Appended: a resync cursor walking the list sees new tables. */
	for (pp = &rc->tables; *pp; pp = &(*pp)->next)
		;
	*pp = t;
	return t;
}

static void
status_count(struct wp_ribclient *rc, uint8_t status, int delta)
{
	size_t *c = NULL;

	switch (status) {
	case WP_RIB_INSTALLED:
		c = &rc->st.installed;
		break;
	case WP_RIB_FAILED:
		c = &rc->st.failed;
		break;
	case WP_RIB_NOT_SELECTED:
		c = &rc->st.not_selected;
		break;
	case WP_RIB_INACTIVE:
		c = &rc->st.inactive;
		break;
	}
	if (c)
		*c += (size_t)(ssize_t)delta;
}

static bool
awaiting(const struct wp_ribclient *rc, const struct rc_route *e)
{
	return (e->flags & RC_AWAIT) && e->await_gen == rc->gen;
}

static void
await_set(struct wp_ribclient *rc, struct rc_route *e)
{
	if (!awaiting(rc, e))
		rc->st.awaiting++;
	e->flags |= RC_AWAIT;
	e->await_gen = rc->gen;
}

static void
await_clear(struct wp_ribclient *rc, struct rc_route *e)
{
	if (awaiting(rc, e))
		rc->st.awaiting--;
	e->flags &= ~RC_AWAIT;
}

static void
dirty_mark(struct wp_ribclient *rc, struct rc_route *e)
{
	if (!(e->flags & RC_DIRTY)) {
		e->flags |= RC_DIRTY;
		e->dirty_next = NULL;
		if (rc->dirty_tail)
			rc->dirty_tail->dirty_next = e;
		else
			rc->dirty_head = e;
		rc->dirty_tail = e;
		rc->st.unsent++;
	}
	rc_kick(rc);
}

static struct rc_route *
dirty_pop(struct wp_ribclient *rc)
{
	struct rc_route *e = rc->dirty_head;

	if (e == NULL)
		return NULL;
	rc->dirty_head = e->dirty_next;
	if (rc->dirty_head == NULL)
		rc->dirty_tail = NULL;
	e->dirty_next = NULL;
	e->flags &= ~RC_DIRTY;
	rc->st.unsent--;
	return e;
}

static void
route_free(struct rc_route *e)
{
	wp_free(MT_RIBCLIENT_NH, e->nh);
	wp_free(MT_RIBCLIENT_ROUTE, e);
}

/* Drop a confirmed withdrawal (never one still on the dirty list). */
static void
tombstone_free(struct wp_ribclient *rc, struct rc_route *e)
{
	struct rc_table *t = table_find(rc, e->table);

	await_clear(rc, e);
	if (t)
		wp_trie_delete(t->t[fidx(e->p.family)], &e->p);
	route_free(e);
}

/* --- routes ---------------------------------------------------------------- */

/* Check a route the way ribd will: encode it and decode it back. */
static int
route_check(const struct wp_rib_route *rt, struct wp_rib_route *out,
	    struct wp_rib_nh *nhbuf)
{
	Wp__Rib__Nexthop nm[WP_RIB_MAX_NEXTHOPS], *np[WP_RIB_MAX_NEXTHOPS];
	Wp__Rib__Route m = WP__RIB__ROUTE__INIT;
	struct wp_prefix p;
	char err[160];

	if (rt->n_nh > WP_RIB_MAX_NEXTHOPS ||
	    (rt->prefix.family != AF_INET && rt->prefix.family != AF_INET6)) {
		errno = EINVAL;
		return -1;
	}
	p = rt->prefix;
	wp_rib_prefix_encode(&p, &m.family, &m.prefix, &m.prefix_len);
	m.table = rt->table;
	m.distance = rt->distance;
	m.metric = rt->metric;
	m.tag = rt->tag;
	for (unsigned int i = 0; i < rt->n_nh; i++) {
		wp_rib_nh_encode(&rt->nh[i], &nm[i]);
		np[i] = &nm[i];
	}
	m.nexthops = np;
	m.n_nexthops = rt->n_nh;
	if (wp_rib_route_decode(&m, out, nhbuf, err, sizeof(err)) < 0) {
		wp_log_warnx_rl("ribclient: route refused: %s", err);
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
wp_ribclient_route_add(struct wp_ribclient *rc, const struct wp_rib_route *rt,
		       uint64_t cookie)
{
	struct wp_rib_nh nhbuf[WP_RIB_MAX_NEXTHOPS];
	struct wp_rib_route r;
	struct rc_table *t;
	struct rc_route *e;
	int f;

	if (route_check(rt, &r, nhbuf) < 0)
		return -1;
	r.table = table_norm(r.table);
	t = table_get(rc, r.table);
	f = fidx(r.prefix.family);
	e = wp_trie_lookup_exact(t->t[f], &r.prefix);
	if (e == NULL) {
		e = wp_calloc(MT_RIBCLIENT_ROUTE, sizeof(*e));
		e->p = r.prefix;
		e->table = r.table;
		wp_trie_insert(t->t[f], &e->p, e, NULL);
		rc->st.routes++;
	} else if (e->flags & RC_DELETED) {
		e->flags &= ~RC_DELETED;
		rc->st.routes++;
	} else {
		status_count(rc, e->status, -1);
	}
	if (e->n_nh != r.n_nh) {
		wp_free(MT_RIBCLIENT_NH, e->nh);
		e->nh = wp_calloc(MT_RIBCLIENT_NH, r.n_nh * sizeof(*e->nh));
		e->n_nh = (uint8_t)r.n_nh;
	}
	memcpy(e->nh, r.nh, r.n_nh * sizeof(*e->nh));
	e->distance = r.distance;
	e->metric = r.metric;
	e->tag = r.tag;
	e->cookie = cookie;
	e->seq = ++rc->seq;
	e->status = WP_RIB_PENDING;
	dirty_mark(rc, e);
	return 0;
}

int
wp_ribclient_route_del(struct wp_ribclient *rc, const struct wp_prefix *p,
		       uint32_t table)
{
	struct rc_table *t = table_find(rc, table_norm(table));
	struct wp_prefix q = *p;
	struct rc_route *e;

	if (t == NULL || (p->family != AF_INET && p->family != AF_INET6)) {
		errno = ENOENT;
		return -1;
	}
	wp_prefix_mask(&q);
	e = wp_trie_lookup_exact(t->t[fidx(q.family)], &q);
	if (e == NULL || (e->flags & RC_DELETED)) {
		errno = ENOENT;
		return -1;
	}
	status_count(rc, e->status, -1);
	rc->st.routes--;
	e->flags |= RC_DELETED;
	e->seq = ++rc->seq;
	e->status = WP_RIB_PENDING;
	dirty_mark(rc, e);
	return 0;
}

/* --- sending ----------------------------------------------------------------- */

static bool
rc_can_send(const struct wp_ribclient *rc)
{
	return rc->conn && !wp_ipc_conn_congested(rc->conn);
}

static int
rc_send(struct wp_ribclient *rc, uint16_t type, const ProtobufCMessage *m)
{
	if (rc->conn == NULL || wp_ipc_send(rc->conn, type, m) < 0) {
		if (errno != EAGAIN && errno != ENOTCONN)
			wp_log_warnx_rl("ribclient: cannot send type 0x%x: %s",
					type, strerror(errno));
		return -1;
	}
	rc->st.messages_sent++;
	return 0;
}

struct rc_batch {
	Wp__Rib__RouteAdd add;
	Wp__Rib__RouteDel del;
	Wp__Rib__Route *routes;
	Wp__Rib__RouteKey *keys;
};

static void
batch_add(struct wp_ribclient *rc, struct rc_batch *b, struct rc_route *e)
{
	Wp__Rib__Route *m = &b->routes[b->add.n_routes];
	Wp__Rib__Nexthop **np;

	wp__rib__route__init(m);
	wp_rib_prefix_encode(&e->p, &m->family, &m->prefix, &m->prefix_len);
	m->table = e->table;
	m->distance = e->distance;
	m->metric = e->metric;
	m->tag = e->tag;
	m->cookie = e->seq;
	np = wp_malloc(MT_RIBCLIENT_OUT, e->n_nh * sizeof(*np));
	for (unsigned int i = 0; i < e->n_nh; i++) {
		Wp__Rib__Nexthop *nm = wp_malloc(MT_RIBCLIENT_OUT, sizeof(*nm));

		wp_rib_nh_encode(&e->nh[i], nm);
		np[i] = nm;
	}
	m->nexthops = np;
	m->n_nexthops = e->n_nh;
	b->add.routes[b->add.n_routes++] = m;
	await_set(rc, e);
	rc->st.routes_sent++;
}

static void
batch_del(struct wp_ribclient *rc, struct rc_batch *b, struct rc_route *e)
{
	Wp__Rib__RouteKey *k = &b->keys[b->del.n_routes];

	wp__rib__route_key__init(k);
	wp_rib_prefix_encode(&e->p, &k->family, &k->prefix, &k->prefix_len);
	k->table = e->table;
	k->cookie = e->seq;
	b->del.routes[b->del.n_routes++] = k;
	await_set(rc, e);
	rc->st.routes_sent++;
}

static void
batch_free(struct rc_batch *b)
{
	for (size_t i = 0; i < b->add.n_routes; i++) {
		Wp__Rib__Route *m = b->add.routes[i];

		for (size_t j = 0; j < m->n_nexthops; j++)
			wp_free(MT_RIBCLIENT_OUT, m->nexthops[j]);
		wp_free(MT_RIBCLIENT_OUT, m->nexthops);
	}
	wp_free(MT_RIBCLIENT_OUT, b->add.routes);
	wp_free(MT_RIBCLIENT_OUT, b->del.routes);
	wp_free(MT_RIBCLIENT_OUT, b->routes);
	wp_free(MT_RIBCLIENT_OUT, b->keys);
}

/* The next live entry of the resync cursor, or NULL when it is done. */
static struct rc_route *
resync_next(struct wp_ribclient *rc)
{
	struct rc_route *e;

	while (rc->rs_tbl) {
		if (wp_trie_iter_next(&rc->rs_it, NULL, (void **)&e) < 0) {
			if (++rc->rs_fam == 2) {
				rc->rs_fam = 0;
				rc->rs_tbl = rc->rs_tbl->next;
			}
			if (rc->rs_tbl)
				wp_trie_iter_init(&rc->rs_it,
						  rc->rs_tbl->t[rc->rs_fam],
						  NULL);
			continue;
		}
		/* Dirty entries go from the dirty list, before SYNC_DONE. */
		if (e->flags & RC_DIRTY)
			continue;
		if (!(e->flags & RC_DELETED))
			return e;
		/* A withdrawal sent before the connection dropped: ribd
		 * holds the route stale or not at all, and SYNC_DONE sweeps
		 * what we do not re-send. */
		tombstone_free(rc, e);
	}
	return NULL;
}

static void
resync_start(struct wp_ribclient *rc)
{
	rc->resync = true;
	rc->rs_tbl = rc->tables;
	rc->rs_fam = 0;
	if (rc->rs_tbl)
		wp_trie_iter_init(&rc->rs_it, rc->rs_tbl->t[0], NULL);
	rc->sync_owed = rc->sync_wanted;
}

/* Build and send one ROUTE_DEL and one ROUTE_ADD; routes sent. */
static size_t
flush_once(struct wp_ribclient *rc)
{
	struct rc_batch b;
	struct rc_route *e;
	size_t n;

	memset(&b, 0, sizeof(b));
	wp__rib__route_add__init(&b.add);
	wp__rib__route_del__init(&b.del);
	b.routes = wp_malloc(MT_RIBCLIENT_OUT, rc->batch * sizeof(*b.routes));
	b.keys = wp_malloc(MT_RIBCLIENT_OUT, rc->batch * sizeof(*b.keys));
	b.add.routes = wp_malloc(MT_RIBCLIENT_OUT,
				 rc->batch * sizeof(*b.add.routes));
	b.del.routes = wp_malloc(MT_RIBCLIENT_OUT,
				 rc->batch * sizeof(*b.del.routes));
	while (rc->resync && b.add.n_routes < rc->batch) {
		e = resync_next(rc);
		if (e == NULL) {
			rc->resync = false;
			break;
		}
		batch_add(rc, &b, e);
	}
	while (b.add.n_routes < rc->batch && b.del.n_routes < rc->batch &&
	       (e = dirty_pop(rc)) != NULL) {
		if (e->flags & RC_DELETED)
			batch_del(rc, &b, e);
		else
			batch_add(rc, &b, e);
	}
	/* No prefix is in both: an entry is a route or a withdrawal. */
	if (b.del.n_routes)
		rc_send(rc, WP_RIB_ROUTE_DEL, &b.del.base);
	if (b.add.n_routes)
		rc_send(rc, WP_RIB_ROUTE_ADD, &b.add.base);
	n = b.add.n_routes + b.del.n_routes;
	batch_free(&b);
	return n;
}

static void
send_sync_done(struct wp_ribclient *rc)
{
	Wp__Rib__SyncDone m = WP__RIB__SYNC_DONE__INIT;

	m.kind = WP__RIB__SYNC_KIND__SYNC_ROUTES;
	if (rc_send(rc, WP_RIB_SYNC_DONE, &m.base) == 0)
		rc->sync_owed = false;
}

void
wp_ribclient_flush(struct wp_ribclient *rc)
{
	wp_timer_stop(&rc->flush_timer);
	while (rc_can_send(rc) && (rc->resync || rc->dirty_head))
		if (flush_once(rc) == 0 && !rc->resync)
			break;
	if (rc_can_send(rc) && rc->sync_owed && !rc->resync &&
	    rc->dirty_head == NULL)
		send_sync_done(rc);
}

static void
flush_cb(struct wp_timer *t)
{
	wp_ribclient_flush(container_of(t, struct wp_ribclient, flush_timer));
}

static void
rc_kick(struct wp_ribclient *rc)
{
	if (rc->conn && !wp_timer_active(&rc->flush_timer))
		wp_timer_start(&rc->flush_timer, 0.0, 0.0);
}

void
wp_ribclient_sync_done(struct wp_ribclient *rc)
{
	rc->sync_wanted = true;
	if (rc->conn) {
		rc->sync_owed = true;
		wp_timer_start(&rc->flush_timer, 0.0, 0.0);
	}
}

/* --- nexthops and redistribution ------------------------------------------ */

static int
send_nh(struct wp_ribclient *rc, uint16_t type, const struct wp_addr *a,
	size_t n, uint32_t table)
{
	Wp__Rib__NhRegister m = WP__RIB__NH_REGISTER__INIT;
	Wp__Rib__Address *am, **ap;
	int rv;

	m.table = table_norm(table) == WP_RIB_TABLE_MAIN ? 0 : table;
	am = wp_calloc(MT_RIBCLIENT_OUT, (n + 1) * sizeof(*am));
	ap = wp_calloc(MT_RIBCLIENT_OUT, (n + 1) * sizeof(*ap));
	for (size_t i = 0; i < n; i++) {
		wp__rib__address__init(&am[i]);
		wp_rib_addr_encode(&a[i], &am[i].family, &am[i].addr);
		ap[i] = &am[i];
	}
	m.addresses = ap;
	m.n_addresses = n;
	rv = rc_send(rc, type, &m.base);
	wp_free(MT_RIBCLIENT_OUT, am);
	wp_free(MT_RIBCLIENT_OUT, ap);
	return rv;
}

static bool
addr_ok(const struct wp_addr *a, struct wp_prefix *p)
{
	if (a->family != AF_INET && a->family != AF_INET6) {
		errno = EINVAL;
		return false;
	}
	wp_prefix_from_addr(p, a, wp_family_bits(a->family));
	return true;
}

/* The registrations of a table: main's, another's (made if `make`). */
static struct wp_trie **
nh_tries(struct wp_ribclient *rc, uint32_t table, bool make)
{
	struct rc_nhtab *t;

	if (table_norm(table) == WP_RIB_TABLE_MAIN)
		return rc->nh;
	for (t = rc->nhtabs; t; t = t->next)
		if (t->table == table)
			return t->t;
	if (!make)
		return NULL;
	t = wp_calloc(MT_RIBCLIENT, sizeof(*t));
	t->table = table;
	t->t[0] = wp_trie_new(AF_INET);
	t->t[1] = wp_trie_new(AF_INET6);
	t->next = rc->nhtabs;
	rc->nhtabs = t;
	return t->t;
}

int
wp_ribclient_nh_register_table(struct wp_ribclient *rc,
			       const struct wp_addr *a, uint32_t table)
{
	struct wp_prefix p;
	void *old;

	if (!addr_ok(a, &p))
		return -1;
	wp_trie_insert(nh_tries(rc, table, true)[fidx(a->family)], &p, rc,
		       &old);
	/* Sent now if we can; else the next connect sends them all. */
	if (rc->conn)
		send_nh(rc, WP_RIB_NH_REGISTER, a, 1, table);
	return 0;
}

int
wp_ribclient_nh_unregister_table(struct wp_ribclient *rc,
				 const struct wp_addr *a, uint32_t table)
{
	struct wp_trie **t = nh_tries(rc, table, false);
	struct wp_prefix p;

	if (!addr_ok(a, &p))
		return -1;
	if (t == NULL || wp_trie_delete(t[fidx(a->family)], &p) == NULL) {
		errno = ENOENT;
		return -1;
	}
	if (rc->conn)
		send_nh(rc, WP_RIB_NH_UNREGISTER, a, 1, table);
	return 0;
}

int
wp_ribclient_nh_register(struct wp_ribclient *rc, const struct wp_addr *a)
{
	return wp_ribclient_nh_register_table(rc, a, 0);
}

int
wp_ribclient_nh_unregister(struct wp_ribclient *rc, const struct wp_addr *a)
{
	return wp_ribclient_nh_unregister_table(rc, a, 0);
}

/* Every address of one table's registrations again (after a connect). */
static void
resend_nh_table(struct wp_ribclient *rc, struct wp_trie **t, uint32_t table)
{
	struct wp_addr *v = NULL;
	size_t n = 0, cap = 0;

	for (int f = 0; f < 2; f++) {
		struct wp_trie_iter it;
		struct wp_prefix p;

		wp_trie_iter_init(&it, t[f], NULL);
		while (wp_trie_iter_next(&it, &p, NULL) == 0) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = wp_realloc(MT_RIBCLIENT_OUT, v,
					       cap * sizeof(*v));
			}
			wp_prefix_to_addr(&p, &v[n++]);
		}
	}
	for (size_t i = 0; i < n; i += RC_BATCH_DEFAULT)
		send_nh(rc, WP_RIB_NH_REGISTER, v + i,
			n - i < RC_BATCH_DEFAULT ? n - i : RC_BATCH_DEFAULT,
			table);
	wp_free(MT_RIBCLIENT_OUT, v);
}

static void
resend_nh(struct wp_ribclient *rc)
{
	resend_nh_table(rc, rc->nh, 0);
	for (struct rc_nhtab *t = rc->nhtabs; t; t = t->next)
		resend_nh_table(rc, t->t, t->table);
}

static int
send_redist(struct wp_ribclient *rc, uint16_t type, int source, int af,
	    uint32_t table)
{
	Wp__Rib__RedistSubscribe m = WP__RIB__REDIST_SUBSCRIBE__INIT;

	m.table = table_norm(table) == WP_RIB_TABLE_MAIN ? 0 : table;
	m.source = (Wp__Rib__Source)source;
	m.family = (Wp__Rib__Family)wp_rib_af_family(af);
	return rc_send(rc, type, &m.base);
}

static int
redist_args(const char *source, int af, int *src)
{
	*src = wp_rib_source_parse(source);
	if (*src <= 0 || *src >= RC_SOURCES ||
	    (af != AF_INET && af != AF_INET6)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Record (or forget) a subscription in another table than main. */
static void
tsub_set(struct wp_ribclient *rc, uint32_t table, int f, int src, bool on)
{
	for (size_t i = 0; i < rc->n_tsubs; i++) {
		struct rc_tsub *t = &rc->tsubs[i];

		if (t->table == table && t->f == f && t->src == src) {
			if (!on)
				rc->tsubs[i] = rc->tsubs[--rc->n_tsubs];
			return;
		}
	}
	if (!on)
		return;
	if (rc->n_tsubs == rc->cap_tsubs) {
		rc->cap_tsubs = rc->cap_tsubs ? rc->cap_tsubs * 2 : 8;
		rc->tsubs = wp_realloc(MT_RIBCLIENT, rc->tsubs,
				       rc->cap_tsubs * sizeof(*rc->tsubs));
	}
	rc->tsubs[rc->n_tsubs++] = (struct rc_tsub){ table, (uint8_t)f,
						     (uint8_t)src };
}

int
wp_ribclient_redist_subscribe_table(struct wp_ribclient *rc,
				    const char *source, int af, uint32_t table)
{
	int src;

	if (redist_args(source, af, &src) < 0)
		return -1;
	if (table_norm(table) == WP_RIB_TABLE_MAIN)
		rc->redist[fidx(af)][src] = true;
	else
		tsub_set(rc, table, fidx(af), src, true);
	if (rc->conn)
		send_redist(rc, WP_RIB_REDIST_SUBSCRIBE, src, af, table);
	return 0;
}

int
wp_ribclient_redist_unsubscribe_table(struct wp_ribclient *rc,
				      const char *source, int af,
				      uint32_t table)
{
	int src;

	if (redist_args(source, af, &src) < 0)
		return -1;
	if (table_norm(table) == WP_RIB_TABLE_MAIN)
		rc->redist[fidx(af)][src] = false;
	else
		tsub_set(rc, table, fidx(af), src, false);
	if (rc->conn)
		send_redist(rc, WP_RIB_REDIST_UNSUBSCRIBE, src, af, table);
	return 0;
}

int
wp_ribclient_redist_subscribe(struct wp_ribclient *rc, const char *source,
			      int af)
{
	return wp_ribclient_redist_subscribe_table(rc, source, af, 0);
}

int
wp_ribclient_redist_unsubscribe(struct wp_ribclient *rc, const char *source,
				int af)
{
	return wp_ribclient_redist_unsubscribe_table(rc, source, af, 0);
}

/* --- receiving ---------------------------------------------------------------- */

static struct wp_ribclient *
conn_rc(struct wp_ipc_conn *c)
{
	return wp_ipc_conn_arg(c);
}

static int
bad(struct wp_ipc_conn *c, const char *what, size_t i, const char *err)
{
	wp_log_errx_rl("ribclient: %s from ribd, item %zu: %s", what, i, err);
	return -1;
}

static int
on_hello_ack(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__HelloAck *m = (Wp__Rib__HelloAck *)msg;

	rc->open = true;
	rc->refusals = 0;
	rc->st.connected = true;
	wp_ipc_conn_set_name(c, "ribd[%u]", m->pid);
	if (rc->cbs.connected)
		rc->cbs.connected(rc, m->stale_routes, rc->cbs.arg);
	return 0;
}

static int
on_sync_done(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__SyncDone *m = (Wp__Rib__SyncDone *)msg;

	switch (m->kind) {
	case WP__RIB__SYNC_KIND__SYNC_INITIAL:
		if (rc->cbs.synced)
			rc->cbs.synced(rc, rc->cbs.arg);
		return 0;
	case WP__RIB__SYNC_KIND__SYNC_REDIST:
		if (rc->cbs.redist_done)
			rc->cbs.redist_done(rc, m->source,
					    wp_rib_family_af(m->family),
					    rc->cbs.arg);
		return 0;
	default:
		return bad(c, "SYNC_DONE", 0, "unexpected kind");
	}
}

static void
result_one(struct wp_ribclient *rc, const Wp__Rib__Result *m,
	   const struct wp_prefix *p)
{
	struct rc_table *t = table_find(rc, table_norm(m->table));
	struct wp_rib_result r;
	struct rc_route *e;

	e = t ? wp_trie_lookup_exact(t->t[fidx(p->family)], p) : NULL;
	if (e == NULL)
		return;		/* not ours (any more) */
	memset(&r, 0, sizeof(r));
	r.prefix = *p;
	r.table = e->table;
	r.cookie = e->cookie;
	r.status = (enum wp_rib_status)m->status;
	r.error = m->error;
	if (m->status == WP__RIB__ROUTE_STATUS__ROUTE_REMOVED) {
		/* Only a withdrawal we sent is confirmed by it. */
		if (!(e->flags & RC_DELETED) || (e->flags & RC_DIRTY))
			return;
		tombstone_free(rc, e);
		if (rc->cbs.result)
			rc->cbs.result(rc, &r, rc->cbs.arg);
		return;
	}
	if ((e->flags & RC_DELETED) || m->cookie != e->seq)
		return;		/* about an older version */
	await_clear(rc, e);
	status_count(rc, e->status, -1);
	e->status = (uint8_t)m->status;
	status_count(rc, e->status, 1);
	if (rc->cbs.result)
		rc->cbs.result(rc, &r, rc->cbs.arg);
}

static int
on_route_result(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__RouteResult *m = (Wp__Rib__RouteResult *)msg;
	char err[128];

	for (size_t i = 0; i < m->n_results; i++) {
		const Wp__Rib__Result *r = m->results[i];
		struct wp_prefix p;

		if (wp_rib_prefix_decode(r->family, &r->prefix, r->prefix_len,
					 &p, err, sizeof(err)) < 0)
			return bad(c, "ROUTE_RESULT", i, err);
		if (r->status < WP__RIB__ROUTE_STATUS__ROUTE_INSTALLED ||
		    r->status > WP__RIB__ROUTE_STATUS__ROUTE_REMOVED)
			return bad(c, "ROUTE_RESULT", i, "unknown status");
	}
	for (size_t i = 0; i < m->n_results; i++) {
		const Wp__Rib__Result *r = m->results[i];
		struct wp_prefix p;

		wp_rib_prefix_decode(r->family, &r->prefix, r->prefix_len, &p,
				     NULL, 0);
		rc->st.results++;
		result_one(rc, r, &p);
	}
	return 0;
}

static int
on_redist_add(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__RedistAdd *m = (Wp__Rib__RedistAdd *)msg;
	struct wp_rib_nh nhbuf[WP_RIB_MAX_NEXTHOPS];
	struct wp_rib_route r;
	char err[160];

	for (size_t i = 0; i < m->n_routes; i++) {
		if (wp_rib_redist_decode(m->routes[i], &r, nhbuf, err,
					 sizeof(err)) < 0)
			return bad(c, "REDIST_ADD", i, err);
		if (rc->cbs.redist_add)
			rc->cbs.redist_add(rc, &r, rc->cbs.arg);
	}
	return 0;
}

static int
on_redist_del(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__RedistDel *m = (Wp__Rib__RedistDel *)msg;
	struct wp_prefix p;
	char err[128];

	for (size_t i = 0; i < m->n_routes; i++) {
		const Wp__Rib__RouteKey *k = m->routes[i];

		if (wp_rib_prefix_decode(k->family, &k->prefix, k->prefix_len,
					 &p, err, sizeof(err)) < 0)
			return bad(c, "REDIST_DEL", i, err);
		if (rc->cbs.redist_del)
			rc->cbs.redist_del(rc, &p, table_norm(k->table),
					   rc->cbs.arg);
	}
	return 0;
}

static int
on_nh_update(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__NhUpdate *m = (Wp__Rib__NhUpdate *)msg;
	struct wp_rib_nh nhbuf[WP_RIB_MAX_NEXTHOPS];
	char err[128];

	for (size_t i = 0; i < m->n_states; i++) {
		const Wp__Rib__NhState *s = m->states[i];
		struct wp_rib_nhstate st;

		memset(&st, 0, sizeof(st));
		if (wp_rib_addr_decode(s->family, &s->address, &st.addr, err,
				       sizeof(err)) < 0)
			return bad(c, "NH_UPDATE", i, err);
		st.table = table_norm(s->table);
		st.resolved = s->resolved;
		if (s->resolved) {
			if (wp_rib_prefix_decode(s->family, &s->via_prefix,
						 s->via_len, &st.via, err,
						 sizeof(err)) < 0)
				return bad(c, "NH_UPDATE", i, err);
			if (s->n_nexthops > WP_RIB_MAX_NEXTHOPS)
				return bad(c, "NH_UPDATE", i, "too many "
					   "nexthops");
			for (size_t j = 0; j < s->n_nexthops; j++)
				if (wp_rib_nh_decode(s->nexthops[j], &nhbuf[j],
						     err, sizeof(err)) < 0)
					return bad(c, "NH_UPDATE", i, err);
			st.source = s->source;
			st.distance = s->distance > 255 ? 255 :
				      (uint8_t)s->distance;
			st.metric = s->metric;
			st.n_nh = (unsigned int)s->n_nexthops;
			st.nh = nhbuf;
		}
		if (rc->cbs.nh_update)
			rc->cbs.nh_update(rc, &st, rc->cbs.arg);
	}
	return 0;
}

static int
on_if_state(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__IfState *m = (Wp__Rib__IfState *)msg;

	for (size_t i = 0; i < m->n_interfaces; i++) {
		const Wp__Rib__Interface *x = m->interfaces[i];
		struct wp_rib_iface ifp;

		if (x->ifindex == 0 || x->ifindex > INT32_MAX)
			return bad(c, "IF_STATE", i, "bad ifindex");
		memset(&ifp, 0, sizeof(ifp));
		ifp.ifindex = (int)x->ifindex;
		snprintf(ifp.name, sizeof(ifp.name), "%s", x->name ? x->name : "");
		ifp.deleted = x->deleted;
		ifp.flags = x->flags;
		ifp.up = x->up;
		ifp.mtu = x->mtu;
		if (x->mac.len == sizeof(ifp.mac))
			memcpy(ifp.mac, x->mac.data, sizeof(ifp.mac));
		snprintf(ifp.kind, sizeof(ifp.kind), "%s", x->kind ? x->kind : "");
		ifp.master = x->master <= INT32_MAX ? (int)x->master : 0;
		ifp.vrf_table = table_norm(x->vrf_table);
		snprintf(ifp.vrf, sizeof(ifp.vrf), "%s",
			 x->vrf && x->vrf[0] ? x->vrf : "default");
		if (rc->cbs.iface)
			rc->cbs.iface(rc, &ifp, rc->cbs.arg);
	}
	return 0;
}

static int
on_addr_state(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__AddrState *m = (Wp__Rib__AddrState *)msg;
	char err[128];

	for (size_t i = 0; i < m->n_addresses; i++) {
		const Wp__Rib__IfAddress *x = m->addresses[i];
		struct wp_rib_ifaddr a;
		int af = wp_rib_family_af(x->family);

		memset(&a, 0, sizeof(a));
		if (x->ifindex == 0 || x->ifindex > INT32_MAX)
			return bad(c, "ADDR_STATE", i, "bad ifindex");
		if (wp_rib_prefix_decode(x->family, &x->addr, x->prefix_len,
					 &a.addr, err, sizeof(err)) < 0)
			return bad(c, "ADDR_STATE", i, err);
		/* The local address: host bits are the point here. */
		memcpy(a.addr.u.bytes, x->addr.data, af == AF_INET ? 4 : 16);
		a.ifindex = (int)x->ifindex;
		a.deleted = x->deleted;
		if (rc->cbs.addr)
			rc->cbs.addr(rc, &a, rc->cbs.arg);
	}
	return 0;
}

static const struct wp_ipc_handler rc_handlers[] = {
	{ WP_RIB_HELLO_ACK, &wp__rib__hello_ack__descriptor, on_hello_ack },
	{ WP_RIB_SYNC_DONE, &wp__rib__sync_done__descriptor, on_sync_done },
	{ WP_RIB_ROUTE_RESULT, &wp__rib__route_result__descriptor,
	  on_route_result },
	{ WP_RIB_REDIST_ADD, &wp__rib__redist_add__descriptor, on_redist_add },
	{ WP_RIB_REDIST_DEL, &wp__rib__redist_del__descriptor, on_redist_del },
	{ WP_RIB_NH_UPDATE, &wp__rib__nh_update__descriptor, on_nh_update },
	{ WP_RIB_IF_STATE, &wp__rib__if_state__descriptor, on_if_state },
	{ WP_RIB_ADDR_STATE, &wp__rib__addr_state__descriptor, on_addr_state },
	WP_IPC_HANDLER_END,
};

/* --- connection ---------------------------------------------------------------- */

static void
rc_connect(struct wp_ipc_conn *c)
{
	struct wp_ribclient *rc = conn_rc(c);
	Wp__Rib__Hello m = WP__RIB__HELLO__INIT;

	rc->conn = c;
	rc->st.connects++;
	m.source = (Wp__Rib__Source)rc->source;
	m.source_name = (char *)(uintptr_t)wp_rib_source_name(rc->source);
	m.instance = rc->instance;
	m.client = rc->name;
	m.pid = (uint32_t)getpid();
	m.version = PACKAGE_VERSION;
	m.graceful_restart = rc->gr;
	m.grace_time = rc->grace;
	m.interfaces = rc->ifaces;
	rc_send(rc, WP_RIB_HELLO, &m.base);
	resend_nh(rc);
	for (int f = 0; f < 2; f++)
		for (int s = 0; s < RC_SOURCES; s++)
			if (rc->redist[f][s])
				send_redist(rc, WP_RIB_REDIST_SUBSCRIBE, s,
					    f ? AF_INET6 : AF_INET, 0);
	for (size_t i = 0; i < rc->n_tsubs; i++)
		send_redist(rc, WP_RIB_REDIST_SUBSCRIBE, rc->tsubs[i].src,
			    rc->tsubs[i].f ? AF_INET6 : AF_INET,
			    rc->tsubs[i].table);
	/* Everything we hold goes again, then SYNC_DONE. */
	resync_start(rc);
	rc->st.resyncing = true;
	wp_timer_start(&rc->flush_timer, 0.0, 0.0);
}

static void
rc_disconnect(struct wp_ipc_conn *c)
{
	struct wp_ribclient *rc = conn_rc(c);
	bool was_open = rc->open;

	rc->conn = NULL;
	rc->open = false;
	rc->st.connected = false;
	rc->resync = false;
	rc->sync_owed = false;
	/* Every wait ends with the connection. */
	rc->gen++;
	rc->st.awaiting = 0;
	wp_timer_stop(&rc->flush_timer);
	if (rc->freeing)
		return;
	if (!was_open) {
		/* Refused (ribd says why in its log): back off, 0.2 s
		 * doubling to 5 s, as if the connect itself had failed. */
		if (rc->refusals < 6)
			rc->refusals++;
		wp_ipc_client_retry_after(rc->ipc, 0.1 * (1u << rc->refusals));
		return;
	}
	if (rc->cbs.disconnected)
		rc->cbs.disconnected(rc, rc->cbs.arg);
}

static void
rc_writable(struct wp_ipc_conn *c)
{
	struct wp_ribclient *rc = conn_rc(c);

	wp_timer_start(&rc->flush_timer, 0.0, 0.0);
}

/* --- life cycle ------------------------------------------------------------------ */

struct wp_ribclient *
wp_ribclient_new(struct wp_loop *loop, const char *rundir, const char *source,
		 uint32_t instance, const struct wp_ribclient_cbs *cbs)
{
	struct wp_ribclient *rc;
	struct wp_ipc_callbacks cb = {
		.on_connect = rc_connect,
		.on_disconnect = rc_disconnect,
		.on_writable = rc_writable,
	};
	char path[256];
	int src = wp_rib_source_parse(source);

	if (src < 0 || !wp_rib_source_is_client(src)) {
		errno = EINVAL;
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", rundir ? rundir :
			     WP_RUNDIR_BASE, WP_RIB_SOCKET) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	rc = wp_calloc(MT_RIBCLIENT, sizeof(*rc));
	rc->loop = loop;
	rc->source = src;
	rc->instance = instance;
	if (cbs)
		rc->cbs = *cbs;
	snprintf(rc->name, sizeof(rc->name), "%s",
		 program_invocation_short_name);
	rc->ifaces = rc->cbs.iface != NULL || rc->cbs.addr != NULL;
	rc->batch = RC_BATCH_DEFAULT;
	rc->grace = WP_RIB_GRACE_DEFAULT;
	rc->nh[0] = wp_trie_new(AF_INET);
	rc->nh[1] = wp_trie_new(AF_INET6);
	wp_timer_init(loop, &rc->flush_timer, "ribclient send", flush_cb);
	cb.arg = rc;
	rc->ipc = wp_ipc_client_new(loop, path, rc_handlers, &cb);
	if (rc->ipc == NULL) {
		int saved = errno;

		wp_ribclient_free(rc);
		errno = saved;
		return NULL;
	}
	return rc;
}

static void
route_free_val(void *val)
{
	route_free(val);
}

void
wp_ribclient_free(struct wp_ribclient *rc)
{
	struct rc_table *t, *next;

	if (rc == NULL)
		return;
	/* No callbacks from here on. */
	memset(&rc->cbs, 0, sizeof(rc->cbs));
	rc->freeing = true;
	wp_ipc_client_free(rc->ipc);
	wp_timer_stop(&rc->flush_timer);
	for (t = rc->tables; t; t = next) {
		next = t->next;
		wp_trie_free(t->t[0], route_free_val);
		wp_trie_free(t->t[1], route_free_val);
		wp_free(MT_RIBCLIENT, t);
	}
	wp_trie_free(rc->nh[0], NULL);
	wp_trie_free(rc->nh[1], NULL);
	while (rc->nhtabs) {
		struct rc_nhtab *n = rc->nhtabs->next;

		wp_trie_free(rc->nhtabs->t[0], NULL);
		wp_trie_free(rc->nhtabs->t[1], NULL);
		wp_free(MT_RIBCLIENT, rc->nhtabs);
		rc->nhtabs = n;
	}
	wp_free(MT_RIBCLIENT, rc->tsubs);
	wp_free(MT_RIBCLIENT, rc);
}

void
wp_ribclient_set_graceful_restart(struct wp_ribclient *rc, bool on,
				  unsigned int seconds)
{
	rc->gr = on;
	rc->grace = seconds ? seconds : WP_RIB_GRACE_DEFAULT;
}

void
wp_ribclient_set_name(struct wp_ribclient *rc, const char *name)
{
	snprintf(rc->name, sizeof(rc->name), "%s", name);
}

void
wp_ribclient_set_interfaces(struct wp_ribclient *rc, bool on)
{
	rc->ifaces = on;
}

void
wp_ribclient_set_batch(struct wp_ribclient *rc, unsigned int routes)
{
	if (routes == 0)
		routes = RC_BATCH_DEFAULT;
	rc->batch = routes > RC_BATCH_MAX ? RC_BATCH_MAX : routes;
}

void
wp_ribclient_get_stats(const struct wp_ribclient *rc,
		       struct wp_ribclient_stats *st)
{
	*st = rc->st;
	st->resyncing = rc->resync || rc->sync_owed;
}

bool
wp_ribclient_idle(const struct wp_ribclient *rc)
{
	return rc->open && !rc->resync && !rc->sync_owed &&
	       rc->dirty_head == NULL && rc->st.awaiting == 0;
}

struct wp_ipc_conn *
wp_ribclient_conn(const struct wp_ribclient *rc)
{
	return rc->conn;
}
