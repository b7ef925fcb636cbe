/*
 * ospf_vrf.c: one OSPF instance per VRF, FRR's model.  The process runs
 * the default VRF's instance (`router ospf`) and one per `router ospf vrf
 * NAME`, all on one event loop.  Each instance owns everything it runs
 * on: its interfaces (those the kernel enslaves to its vrf link, or to no
 * vrf link for the default, ospf_kif_mine()), areas, LSDBs, SPF, its
 * netlink watcher, its ribd session (source "ospf", an instance number of
 * its own, routes in the VRF's kernel table), its bfdd client and its
 * graceful-restart files.  Only the loop and the vty are common.
 *
 * A configuration (ospf_conf_parse(): the default VRF's, the others
 * chained on it) is split here: each VRF's goes to its instance, started
 * on first sight; an instance whose stanza went away gets an empty
 * configuration (it leaves its interfaces and withdraws its routes) and
 * stays, idle, until ospfd stops.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ospfd.h"
#include "wp_bfd.h"

WP_MEMTYPE_DEFINE(MT_OSPFD, "OSPF process");

struct ospfd *
ospfd_new(struct wp_loop *loop, const char *rundir)
{
	struct ospfd *top = wp_calloc(MT_OSPFD, sizeof(*top));

	top->loop = loop;
	top->rundir = rundir;
	TAILQ_INIT(&top->instances);
	return top;
}

static bool
vrf_is_default(const char *vrf)
{
	return vrf[0] == '\0' || strcmp(vrf, OSPF_VRF_DEFAULT) == 0;
}

const char *
ospf_vrf_name(const struct ospf *ospf)
{
	return ospf->vrf[0] ? ospf->vrf : OSPF_VRF_DEFAULT;
}

struct ospf *
ospfd_instance(struct ospfd *top, const char *vrf)
{
	struct ospf *o;

	if (top == NULL)
		return NULL;
	if (vrf_is_default(vrf))
		vrf = "";
	OSPFD_FOREACH(top, o)
		if (strcmp(o->vrf, vrf) == 0)
			return o;
	return NULL;
}

/* FNV-1a of the name into 1..65535: stable across restarts, so that
 * ribd finds the routes a VRF's session left (graceful restart). */
uint32_t
ospf_vrf_rib_instance(const char *vrf)
{
	uint32_t h = 2166136261u;

	if (vrf_is_default(vrf))
		return 0;
	for (const char *p = vrf; *p; p++) {
		h ^= (uint8_t)*p;
		h *= 16777619u;
	}
	return 1 + h % 65535;
}

/* A new instance, its configuration not applied yet. */
static struct ospf *
instance_new(struct ospfd *top, const char *vrf)
{
	struct ospf *ospf = ospf_new(top->loop);

	snprintf(ospf->vrf, sizeof(ospf->vrf), "%s", vrf);
	ospf->top = top;
	TAILQ_INSERT_TAIL(&top->instances, ospf, entry);
	/* A graceful restart (RFC 3623 §2) is known before anything is
	 * originated. */
	ospf_gr_init(ospf, top->rundir);
	return ospf;
}

/* Its sessions, once it has its configuration: ribd, bfdd, then the
 * interface watcher, whose first dump starts the protocol. */
static int
instance_run(struct ospf *ospf)
{
	char path[256];

	if (ospf_rib_init(ospf, ospf->top->rundir) < 0)
		return -1;
	/* bfdd may come later, or never: the client retries quietly. */
	snprintf(path, sizeof(path), "%s/%s", ospf->top->rundir,
		 WP_BFD_SOCK_NAME);
	if (ospf_bfd_start(ospf, path) < 0)
		return -1;
	ospf->ifmon = ospf_ifmon_start(ospf);
	if (ospf->ifmon == NULL)
		return -1;
	if (ospf->vrf[0])
		wp_log_info("vrf %s: OSPF instance started (ribd instance "
			    "%u)", ospf->vrf, ospf_vrf_rib_instance(ospf->vrf));
	return 0;
}

int
ospfd_apply_conf(struct ospfd *top, struct ospf_conf *c)
{
	struct ospf_conf *next;
	struct ospf *o;
	int rc = 0;

	OSPFD_FOREACH(top, o)
		o->vrf_seen = false;
	for (; c; c = next) {
		bool fresh = false;

		next = c->next;
		c->next = NULL;
		o = ospfd_instance(top, c->vrf);
		if (o == NULL) {
			o = instance_new(top, c->vrf);
			fresh = true;
		}
		o->vrf_seen = true;
		ospf_apply_conf(o, c);
		if (fresh && instance_run(o) < 0) {
			wp_log_warnx("vrf %s: the OSPF instance cannot run",
				     ospf_vrf_name(o));
			rc = -1;
		}
	}
	OSPFD_FOREACH(top, o) {
		struct ospf_conf *empty;

		if (o->vrf_seen || !o->conf->enabled)
			continue;
		wp_log_info("vrf %s: no router ospf any more",
			    ospf_vrf_name(o));
		empty = ospf_conf_parse("", "(empty)");
		snprintf(empty->vrf, sizeof(empty->vrf), "%s", o->vrf);
		ospf_apply_conf(o, empty);
	}
	return rc;
}

bool
ospfd_stop_begin(struct ospfd *top)
{
	struct ospf *o;
	bool held = false;

	OSPFD_FOREACH(top, o)
		if (ospf_stop_begin(o))
			held = true;
	return held;
}

void
ospfd_stopped(struct ospf *ospf)
{
	struct ospf *o;

	if (ospf->top)
		OSPFD_FOREACH(ospf->top, o)
			if (o->stop.active && !o->stop.done)
				return;
	wp_loop_break(ospf->loop);
}

void
ospfd_free(struct ospfd *top)
{
	struct ospf *o;

	if (top == NULL)
		return;
	while ((o = TAILQ_FIRST(&top->instances)) != NULL) {
		TAILQ_REMOVE(&top->instances, o, entry);
		ospf_stop_fini(o);
		ospf_rib_close(o);
		ospf_bfd_stop(o);
		ospf_free(o);
	}
	wp_free(MT_OSPFD, top);
}

/* --- which interfaces are the instance's ----------------------------------- */

bool
ospf_kif_mine(struct ospf *ospf, const struct ospf_kif *k)
{
	const struct ospf_kif *m;

	if (k->is_vrf)		/* the VRF's loopback */
		return strcmp(k->name, ospf->vrf) == 0;
	m = k->master ? ospf_kif_find(ospf, k->master) : NULL;
	if (m == NULL || !m->is_vrf)
		return ospf->vrf[0] == '\0';	/* a bridge port, say */
	return strcmp(m->name, ospf->vrf) == 0;
}

uint32_t
ospf_vrf_table(struct ospf *ospf)
{
	struct ospf_kif *k;

	if (ospf->vrf[0] == '\0')
		return WP_RIB_TABLE_MAIN;
	k = ospf_kif_by_name(ospf, ospf->vrf);
	return k && k->is_vrf ? k->vrf_table : 0;
}
