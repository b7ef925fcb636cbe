/*
 * ospf_rib.c: everything that crosses from ospfd to ribd.
 *
 * The interface is one call: ospf_rib_update() with the batch of changes
 * the last SPF run made to the routing table (ADD replaces whatever was
 * there for the prefix, DEL withdraws it), never a full re-add.  Routes to
 * our own networks (`connected`) are ribd's already: an ADD that turns a
 * prefix into one of ours is sent as a withdrawal, a DEL of one is not
 * sent at all.
 *
 * ribd's client library (lib/wp_ribclient) is not there yet, so for now
 * the batch is only counted and logged under `debug ospf-rib`; plugging
 * the client in changes this file and nothing else.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ospfd.h"

WP_DEBUG_DEFINE(DBG_OSPF_RIB, "ospf-rib");

int
ospf_rib_init(struct ospf *ospf)
{
	(void)ospf;
	return 0;
}

void
ospf_rib_close(struct ospf *ospf)
{
	(void)ospf;
}

static void
log_route(const char *op, const struct ospf_route *rt)
{
	char p[WP_PREFIX_STRLEN], nh[256];
	size_t off = 0;

	nh[0] = '\0';
	for (unsigned int i = 0; i < rt->n_nh && off < sizeof(nh); i++) {
		char a[16];

		off += (size_t)snprintf(nh + off, sizeof(nh) - off, "%s%s%%%d",
					i ? ", " : "",
					ospf_id_fmt(rt->nh[i].gw, a, sizeof(a)),
					rt->nh[i].ifindex);
	}
	wp_log_debugx("rib: %s %s %s cost %u via %s", op,
		      wp_prefix_fmt(&rt->p, p, sizeof(p)),
		      ospf_path_type_name(rt->type), rt->cost, nh);
}

void
ospf_rib_update(struct ospf *ospf, const struct ospf_rt_diff *diff)
{
	size_t adds = 0, dels = 0;

	for (size_t i = 0; i < diff->n; i++) {
		const struct ospf_rt_change *ch = &diff->ch[i];
		bool del = ch->op == OSPF_RT_DEL || ch->rt->connected;

		if (ch->op == OSPF_RT_DEL && ch->rt->connected)
			continue;	/* never sent */
		if (DBG_OSPF_RIB->on)
			log_route(del ? "del" : "add", ch->rt);
		if (del)
			dels++;
		else
			adds++;
	}
	ospf->stats.rib_batches++;
	ospf->stats.rib_adds += adds;
	ospf->stats.rib_dels += dels;
	wp_debug(DBG_OSPF_RIB, "rib: batch of %zu adds, %zu deletes", adds,
		 dels);
}
