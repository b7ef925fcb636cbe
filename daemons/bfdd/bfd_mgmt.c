/*
 * bfd_mgmt.c: bfdd's configuration from mgmtd.
 *
 * bfdd owns the YANG module waypoint-bfd, and shares waypoint-routing
 * with ribd for its key chains (`authentication TYPE key-chain NAME`):
 * bfd_conf.c takes the `key chain` stanzas and skips that module's
 * other lines.  For every commit mgmtd sends
 * bfdd its part as JSON; lib/wp_mgmt_text renders it back to the
 * commands the module declares and bfd_conf.c, the reader of the -f
 * file, parses them:
 *
 *	prepare: JSON -> text -> struct bfd_conf; nothing changes yet
 *	apply:	 bfd_conf_apply(), which applies the difference (new
 *		 sessions, poll sequences for changed ones, AdminDown for
 *		 removed ones)
 *	abort:	 the prepared bfd_conf is freed
 *
 * libyang has checked types, ranges and references before mgmtd sends
 * anything, so a refusal here is rare (a multihop peer without a local
 * address); it names the command at fault.
 */
#include "config.h"

#include "bfdd.h"
#include "wp_mgmt_text.h"

static void *
bfd_text_parse(const char *text, char *err, size_t errlen, void *arg)
{
	(void)arg;
	return bfd_conf_parse_string(text, "mgmtd", err, errlen);
}

static void
bfd_text_apply(void *conf, void *arg)
{
	struct bfd_global *bg = arg;
	struct bfd_conf *old = bg->conf;

	bfd_conf_apply(bg, old, conf);
	bfd_conf_free(old);
	wp_log_info("configuration from mgmtd applied: %zu sessions",
		    bg->nsessions);
}

static void
bfd_text_free(void *conf, void *arg)
{
	(void)arg;
	bfd_conf_free(conf);
}

const struct wp_mgmt_text_cbs *
bfd_mgmt_cbs(struct bfd_global *bg)
{
	static struct wp_mgmt_text_cbs cbs = {
		.parse = bfd_text_parse,
		.apply = bfd_text_apply,
		.free = bfd_text_free,
	};

	cbs.arg = bg;
	return &cbs;
}

struct wp_mgmt_text *
bfd_mgmt_start(struct bfd_global *bg, const char *rundir)
{
	static const char *const mods[] = {
		"waypoint-bfd", "waypoint-routing", NULL
	};

	return wp_mgmt_text_start(bg->loop, rundir, "bfdd", mods,
				  bfd_mgmt_cbs(bg));
}
