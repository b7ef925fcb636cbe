/*
 * rib_audit.c: does the kernel hold what the RIB decided?
 *
 * A fresh dump of the kernel's tables is compared with the RIB, the
 * table of each VRF with that VRF's RIB (other tables are not ours):
 *   missing    the RIB installed a route the kernel does not have
 *   extra      the kernel has a route with one of our protocol numbers
 *              that the RIB does not want
 *   different  both have it, with other nexthops or type
 *   unknown    another program's route the RIB has not learned
 *   gone       another program's route the RIB holds, no longer in the
 *              kernel (repaired by forgetting it)
 * `show rib-vs-kernel` lists the differences; the periodic audit (and the
 * end of every resync) also repairs the first three, so a divergence is
 * counted, logged and healed, never silent.  Routes with kernel requests
 * in flight, or leftovers still inside the graceful-restart time, are
 * skipped: they are expected to differ for a moment.
 */
#include "config.h"

#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ribd.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_RIB_AUDIT, "RIB audit");

struct kseen {
	bool matched;
	struct rib_kroute r;	/* last: sized to its nexthops */
};

struct audit {
	struct ribd *rib;
	/* Per VRF index and family: prefix -> struct kseen. */
	struct wp_trie *(*kernel)[2];
	struct rib_vrf *vrf;		/* being compared */
	uint32_t last_table;		/* collect(): the last table seen */
	struct rib_vrf *last_vrf;
	struct rib_audit_diff *head, **tail;
	unsigned int count;
};

static bool
ours(uint8_t proto)
{
	for (int i = 0; i < RIB_SRC_MAX; i++)
		if (rib_sources[i].rtprot && rib_sources[i].rtprot == proto)
			return true;
	return false;
}

static void
collect(void *arg, const struct rib_kroute *r)
{
	struct audit *a = arg;
	struct kseen *k, *old = NULL;
	struct wp_trie *t;

	/* Dumps come table by table: one VRF look-up per run of them. */
	if (a->last_vrf == NULL || r->table != a->last_table) {
		a->last_table = r->table;
		a->last_vrf = rib_vrf_by_table(a->rib, r->table);
	}
	if (a->last_vrf == NULL)
		return;
	if (r->protocol == RTPROT_KERNEL)
		return;		/* connected subnets: the kernel's own */
	if (r->dst.family == AF_INET6 && r->dst.u.bytes[0] == 0xff)
		return;		/* multicast */
	t = a->kernel[a->last_vrf->idx][r->dst.family == AF_INET6];
	if (t == NULL) {
		t = wp_trie_new(r->dst.family);
		a->kernel[a->last_vrf->idx][r->dst.family == AF_INET6] = t;
	}
	k = wp_calloc(MT_RIB_AUDIT, offsetof(struct kseen, r) +
		      kroute_size(r->n_nh));
	memcpy(&k->r, r, kroute_size(r->n_nh));
	wp_trie_insert(t, &r->dst, k, (void **)&old);
	/* Two kernel routes for one prefix (different metrics): keep ours. */
	if (old) {
		if (ours(old->r.protocol) && !ours(r->protocol)) {
			wp_trie_insert(t, &r->dst, old, NULL);
			wp_free(MT_RIB_AUDIT, k);
		} else {
			wp_free(MT_RIB_AUDIT, old);
		}
	}
}

static void
fmt_kroute(struct ribd *rib, const struct rib_kroute *r, char *buf,
	   size_t len)
{
	size_t off = 0;
	char a[WP_ADDR_STRLEN];

	if (r == NULL) {
		snprintf(buf, len, "-");
		return;
	}
	off += (size_t)snprintf(buf, len, "proto %u metric %u %s", r->protocol,
				r->metric, rib_ktype_name(r->type));
	for (unsigned int i = 0; i < r->n_nh && off < len; i++) {
		struct rib_iface *ifp = rib_iface_by_index(rib, r->nh[i].ifindex);

		off += (size_t)snprintf(buf + off, len - off, " %s%s%s",
			r->nh[i].gw.family ? "via " : "dev ",
			r->nh[i].gw.family ? wp_addr_fmt(&r->nh[i].gw, a, sizeof(a)) :
			(ifp ? ifp->name : "?"),
			r->nh[i].gw.family && ifp ? "" : "");
		if (r->nh[i].gw.family && ifp && off < len)
			off += (size_t)snprintf(buf + off, len - off, " dev %s",
						ifp->name);
	}
}

/* Same forwarding: type and the set of (gateway, interface). */
static bool
same_forwarding(const struct rib_kroute *want, const struct rib_kroute *have)
{
	if (want->type != have->type || want->n_nh != have->n_nh)
		return false;
	for (unsigned int i = 0; i < want->n_nh; i++) {
		bool found = false;

		for (unsigned int j = 0; j < have->n_nh && !found; j++)
			found = want->nh[i].ifindex == have->nh[j].ifindex &&
				want->nh[i].gw.family == have->nh[j].gw.family &&
				(!want->nh[i].gw.family ||
				 wp_addr_eq(&want->nh[i].gw, &have->nh[j].gw));
		if (!found)
			return false;
	}
	return true;
}

static void
diff_add(struct audit *a, const struct wp_prefix *p, const char *kind,
	 const struct rib_kroute *want, const struct rib_kroute *have)
{
	struct rib_audit_diff *d = wp_calloc(MT_RIB_AUDIT, sizeof(*d));

	d->p = *p;
	d->table = a->vrf->table_id;
	d->kind = kind;
	fmt_kroute(a->rib, want, d->rib, sizeof(d->rib));
	d->want_metric = want ? want->metric : 0;
	fmt_kroute(a->rib, have, d->kernel, sizeof(d->kernel));
	if (have) {
		d->have = wp_malloc(MT_RIB_AUDIT, kroute_size(have->n_nh));
		memcpy(d->have, have, kroute_size(have->n_nh));
	}
	*a->tail = d;
	a->tail = &d->next;
	a->count++;
}

static int
check_dest(const struct wp_prefix *p, void *val, void *arg)
{
	struct audit *a = arg;
	struct rib_dest *d = val;
	struct kseen *k;

	struct wp_trie *kt = a->kernel[a->vrf->idx][p->family == AF_INET6];

	k = kt ? wp_trie_lookup_exact(kt, p) : NULL;
	if (k)
		k->matched = true;
	if (d->kpending || d->stale)
		return 0;	/* in flight or within the grace time */
	if (d->fib) {
		if (k == NULL || !ours(k->r.protocol))
			diff_add(a, p, "missing", d->fib, NULL);
		else if (!same_forwarding(d->fib, &k->r))
			diff_add(a, p, "different", d->fib, &k->r);
		return 0;
	}
	if (k && ours(k->r.protocol)) {
		diff_add(a, p, "extra", NULL, &k->r);
		return 0;
	}
	if (k && rib_route_find(d, RIB_SRC_KERNEL, k->r.metric) == NULL &&
	    !ours(k->r.protocol))
		diff_add(a, p, "unknown", NULL, &k->r);
	/* A kernel route the RIB still believes in, gone from the kernel. */
	for (struct rib_route *rt = d->routes; rt; rt = rt->next)
		if (rt->source == RIB_SRC_KERNEL && (k == NULL ||
		    ours(k->r.protocol) || k->r.metric != rt->instance)) {
			struct rib_kroute ghost = { .table = a->vrf->table_id,
						    .dst = d->p,
						    .metric = rt->instance };

			diff_add(a, p, "gone", &ghost, NULL);
			break;
		}
	return 0;
}

static int
check_unmatched(const struct wp_prefix *p, void *val, void *arg)
{
	struct audit *a = arg;
	struct kseen *k = val;

	if (k->matched)
		return 0;
	diff_add(a, p, ours(k->r.protocol) ? "extra" : "unknown", NULL, &k->r);
	return 0;
}

static void
kseen_free(void *val)
{
	wp_free(MT_RIB_AUDIT, val);
}

struct rib_audit_diff *
rib_audit(struct ribd *rib, unsigned int *count)
{
	struct audit a = { .rib = rib };
	struct rib_vrf *v;

	a.tail = &a.head;
	*count = 0;
	if (rib->kernel == NULL)
		return NULL;
	a.kernel = wp_calloc(MT_RIB_AUDIT, RIB_VRF_MAX * sizeof(*a.kernel));
	if (rib_kernel_dump_routes(rib->kernel, AF_INET, collect, &a) < 0 ||
	    rib_kernel_dump_routes(rib->kernel, AF_INET6, collect, &a) < 0) {
		wp_log_warnx("audit: cannot read the kernel's routes");
		goto out;
	}
	RIB_VRF_FOREACH(rib, n, v) {
		a.vrf = v;
		for (int i = 0; i < 2; i++) {
			wp_trie_walk(v->tables[i]->trie, NULL, check_dest, &a);
			if (a.kernel[n][i])
				wp_trie_walk(a.kernel[n][i], NULL,
					     check_unmatched, &a);
		}
	}
out:
	for (unsigned int n = 0; n < RIB_VRF_MAX; n++)
		for (int i = 0; i < 2; i++)
			if (a.kernel[n][i])
				wp_trie_free(a.kernel[n][i], kseen_free);
	wp_free(MT_RIB_AUDIT, a.kernel);
	rib->stats.audits++;
	rib->stats.audit_diffs += a.count;
	rib->stats.last_audit_diffs = a.count;
	rib->stats.last_audit = time(NULL);
	*count = a.count;
	return a.head;
}

void
rib_audit_free(struct rib_audit_diff *d)
{
	while (d) {
		struct rib_audit_diff *next = d->next;

		wp_free(MT_RIB_AUDIT, d->have);
		wp_free(MT_RIB_AUDIT, d);
		d = next;
	}
}

unsigned int
rib_audit_repair(struct ribd *rib)
{
	struct rib_audit_diff *diffs, *d;
	unsigned int n, repaired = 0;
	char buf[WP_PREFIX_STRLEN];

	diffs = rib_audit(rib, &n);
	for (d = diffs; d; d = d->next) {
		/* Repairs run one by one: a VRF may have gone meanwhile. */
		struct rib_vrf *vrf = rib_vrf_by_table(rib, d->table);

		if (strcmp(d->kind, "unknown") == 0 || vrf == NULL)
			continue;
		if (strcmp(d->kind, "gone") == 0) {
			rib_route_del_vrf(rib, vrf, &d->p, RIB_SRC_KERNEL,
					  d->want_metric);
			repaired++;
			continue;
		}
		wp_log_warnx("audit: %s %s: rib [%s] kernel [%s]; repairing",
			     wp_prefix_fmt(&d->p, buf, sizeof(buf)), d->kind,
			     d->rib, d->kernel);
		rib_kernel_fib_forget(rib, vrf, &d->p, d->have);
		repaired++;
	}
	rib_audit_free(diffs);
	rib->stats.audit_repairs += repaired;
	return n;
}

static void
audit_cb(struct wp_timer *t)
{
	struct ribd *rib = container_of(t, struct ribd, audit_timer);

	/* Only with a quiet queue: in-flight changes are not divergence. */
	if (rib->work_head == NULL && rib_kernel_pending(rib->kernel) == 0)
		rib_audit_repair(rib);
}

void
rib_audit_start(struct ribd *rib, unsigned int interval)
{
	rib->audit_interval = interval;
	if (rib->kernel == NULL)
		return;
	if (!rib->audit_timer.loop)
		wp_timer_init(rib->loop, &rib->audit_timer, "rib audit",
			      audit_cb);
	if (interval)
		wp_timer_start_periodic(&rib->audit_timer, interval, 0.1);
	else
		wp_timer_stop(&rib->audit_timer);
}
