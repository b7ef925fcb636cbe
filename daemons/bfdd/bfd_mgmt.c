/*
 * bfd_mgmt.c: bfdd's configuration from mgmtd.
 *
 * bfdd owns the YANG module waypoint-bfd.  For every commit mgmtd sends
 * bfdd its whole part of the new configuration as RFC 7951 JSON; bfdd
 * renders it back to the CLI text the module declares (wp_cli, the same
 * engine that prints `show running-config`) and reads that with the
 * parser of its -f file, bfd_conf.c:
 *
 *	prepare: JSON -> text -> struct bfd_conf; nothing changes yet
 *	apply:	 bfd_conf_apply(), which applies the difference (new
 *		 sessions, poll sequences for changed ones, AdminDown for
 *		 removed ones)
 *	abort:	 the prepared bfd_conf is freed
 *
 * Why text and not the tree: the file and mgmtd then have one reader and
 * one set of checks, and a setting added to the module and the reader
 * needs no third piece of code.  libyang has already checked types,
 * ranges and references before mgmtd sends anything, so a refusal here
 * is rare; it is reported with the command at fault.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bfdd.h"
#include "wp_cli.h"
#include "wp_mgmt_client.h"
#include "wp_yang.h"

WP_MEMTYPE_DEFINE(MT_BFD_MGMT, "bfdd mgmtd client");

struct bfd_mgmt {
	struct bfd_global *bg;
	struct ly_ctx *ctx;
	struct wp_cli *cli;
	struct wp_mgmt_client *cl;
};

struct bfd_conf *
bfd_mgmt_conf_from_json(struct wp_cli *cli, const char *json, char *err,
			size_t errlen)
{
	struct bfd_conf *c;
	char *perr = NULL, *text;

	text = wp_cli_render_json(cli, json, &perr);
	if (text == NULL) {
		snprintf(err, errlen, "configuration from mgmtd does not "
			 "parse: %s", perr ? perr : "?");
		wp_free(MT_STRING, perr);
		return NULL;
	}
	c = bfd_conf_parse_string(text, "mgmtd", err, errlen);
	if (c == NULL)
		wp_cli_text_error(text, err, errlen);
	wp_free(MT_STRING, text);
	return c;
}

static int
bfd_mgmt_prepare(const char *json_full, const char *json_diff, char *err,
		 size_t errlen, void **txstate, void *arg)
{
	struct bfd_mgmt *bm = arg;
	struct bfd_conf *c;

	(void)json_diff;
	c = bfd_mgmt_conf_from_json(bm->cli, json_full, err, errlen);
	if (c == NULL) {
		wp_log_warnx("configuration refused: %s", err);
		return -1;
	}
	*txstate = c;
	return 0;
}

static void
bfd_mgmt_apply(void *txstate, void *arg)
{
	struct bfd_mgmt *bm = arg;
	struct bfd_conf *old = bm->bg->conf;

	bfd_conf_apply(bm->bg, old, txstate);
	bfd_conf_free(old);
	wp_log_info("configuration from mgmtd applied: %zu sessions",
		    bm->bg->nsessions);
}

static void
bfd_mgmt_abort(void *txstate, void *arg)
{
	(void)arg;
	bfd_conf_free(txstate);
}

struct bfd_mgmt *
bfd_mgmt_start(struct bfd_global *bg, const char *rundir)
{
	static const char *const mods[] = { "waypoint-bfd", NULL };
	struct bfd_mgmt *bm = wp_calloc(MT_BFD_MGMT, sizeof(*bm));
	char *err = NULL;

	bm->bg = bg;
	if ((bm->ctx = wp_yang_ctx_get(&err)) == NULL) {
		wp_log_errx("cannot load the YANG modules: %s", err);
		goto fail;
	}
	if ((bm->cli = wp_cli_new(bm->ctx, &err)) == NULL) {
		wp_log_errx("cannot build the CLI of the YANG modules: %s",
			    err);
		wp_yang_ctx_put();
		goto fail;
	}
	bm->cl = wp_mgmt_client_new(bg->loop, rundir, "bfdd", mods,
		&(struct wp_mgmt_client_cbs){ .prepare = bfd_mgmt_prepare,
		.apply = bfd_mgmt_apply, .abort = bfd_mgmt_abort, .arg = bm });
	return bm;

fail:
	wp_free(MT_STRING, err);
	wp_free(MT_BFD_MGMT, bm);
	return NULL;
}

void
bfd_mgmt_stop(struct bfd_mgmt *bm)
{
	if (bm == NULL)
		return;
	wp_mgmt_client_free(bm->cl);
	wp_cli_free(bm->cli);
	wp_yang_ctx_put();
	wp_free(MT_BFD_MGMT, bm);
}
