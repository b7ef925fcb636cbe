/*
 * ospf_mgmt.c: ospfd's configuration from mgmtd.
 *
 * ospfd owns the YANG module waypoint-ospf (`router ospf` and the `ip
 * ospf` settings it augments into interfaces), and shares
 * waypoint-routing with ribd for its key chains (`ip ospf
 * authentication key-chain`), prefix lists and route maps
 * (`redistribute ... route-map`): ospf_conf.c takes those and skips that
 * module's other lines (static routes, access lists, ...) as it skips
 * them in a file.  For every commit mgmtd
 * sends ospfd its part as JSON; lib/wp_mgmt_text renders it back to the
 * commands the module declares and ospf_conf.c, the reader of the -f
 * file, parses them:
 *
 *	prepare: JSON -> text -> struct ospf_conf; a line the reader
 *		 finds wrong refuses the whole commit, naming the command
 *	apply:	 ospfd_apply_conf(), as a SIGHUP reload does: each
 *		 VRF's part to its instance
 *	abort:	 the prepared ospf_conf is freed
 *
 * A command the module has and ospfd does not implement yet is taken,
 * logged and counted as ignored, as in a file (`show ip ospf` JSON
 * `configIgnored`); refusing it would make mgmtd refuse ospfd's whole
 * part when a configuration written for FRR is loaded.
 */
#include "config.h"

#include <stdio.h>

#include "ospfd.h"
#include "wp_mgmt_text.h"

static void *
ospf_text_parse(const char *text, char *err, size_t errlen, void *arg)
{
	struct ospf_conf *c = ospf_conf_parse(text, "mgmtd");
	const char *first;

	(void)arg;
	if (ospf_conf_errors(c, &first)) {
		snprintf(err, errlen, "%s", first);
		ospf_conf_free(c);
		return NULL;
	}
	return c;
}

static void
ospf_text_apply(void *conf, void *arg)
{
	struct ospfd *top = arg;
	struct ospf_conf *c = conf;

	wp_log_info("configuration from mgmtd applied: %u networks, %u "
		    "interfaces configured%s (%u ignored)", c->n_networks,
		    c->n_ifaces, c->enabled ? "" : ", no router ospf",
		    c->n_ignored);
	ospfd_apply_conf(top, c);
}

static void
ospf_text_free(void *conf, void *arg)
{
	(void)arg;
	ospf_conf_free(conf);
}

const struct wp_mgmt_text_cbs *
ospf_mgmt_cbs(struct ospfd *top)
{
	static struct wp_mgmt_text_cbs cbs = {
		.parse = ospf_text_parse,
		.apply = ospf_text_apply,
		.free = ospf_text_free,
	};

	cbs.arg = top;
	return &cbs;
}

struct wp_mgmt_text *
ospf_mgmt_start(struct ospfd *top, const char *rundir)
{
	static const char *const mods[] = {
		"waypoint-ospf", "waypoint-routing", NULL
	};

	return wp_mgmt_text_start(top->loop, rundir, "ospfd", mods,
				  ospf_mgmt_cbs(top));
}
