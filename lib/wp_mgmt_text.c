/*
 * wp_mgmt_text.c: mgmtd's configuration rendered to CLI text for a
 * daemon's own parser; see wp_mgmt_text.h.
 */
#include "config.h"

#include <stdio.h>

#include "wp_cli.h"
#include "wp_log.h"
#include "wp_mem.h"
#include "wp_mgmt_client.h"
#include "wp_mgmt_text.h"
#include "wp_yang.h"

WP_MEMTYPE_DEFINE(MT_MGMT_TEXT, "mgmtd text client");

struct wp_mgmt_text {
	struct wp_mgmt_text_cbs cbs;
	struct ly_ctx *ctx;
	struct wp_cli *cli;
	struct wp_mgmt_client *cl;
};

void *
wp_mgmt_text_parse_json(const struct wp_cli *cli, const char *json,
			const struct wp_mgmt_text_cbs *cbs, char *err,
			size_t errlen)
{
	char *perr = NULL, *text;
	void *conf;

	text = wp_cli_render_json(cli, json, &perr);
	if (text == NULL) {
		snprintf(err, errlen, "configuration from mgmtd does not "
			 "parse: %s", perr ? perr : "?");
		wp_free(MT_STRING, perr);
		return NULL;
	}
	err[0] = '\0';
	conf = cbs->parse(text, err, errlen, cbs->arg);
	if (conf == NULL)
		wp_cli_text_error(text, err, errlen);
	wp_free(MT_STRING, text);
	return conf;
}

static int
text_prepare(const char *json_full, const char *json_diff, char *err,
	     size_t errlen, void **txstate, void *arg)
{
	struct wp_mgmt_text *mt = arg;

	(void)json_diff;
	*txstate = wp_mgmt_text_parse_json(mt->cli, json_full, &mt->cbs, err,
					   errlen);
	if (*txstate == NULL) {
		wp_log_warnx("configuration refused: %s", err);
		return -1;
	}
	return 0;
}

static void
text_apply(void *txstate, void *arg)
{
	struct wp_mgmt_text *mt = arg;

	mt->cbs.apply(txstate, mt->cbs.arg);
}

static void
text_abort(void *txstate, void *arg)
{
	struct wp_mgmt_text *mt = arg;

	mt->cbs.free(txstate, mt->cbs.arg);
}

struct wp_mgmt_text *
wp_mgmt_text_start(struct wp_loop *loop, const char *rundir,
		   const char *name, const char *const modules[],
		   const struct wp_mgmt_text_cbs *cbs)
{
	struct wp_mgmt_text *mt = wp_calloc(MT_MGMT_TEXT, sizeof(*mt));
	char *err = NULL;

	mt->cbs = *cbs;
	if ((mt->ctx = wp_yang_ctx_get(&err)) == NULL) {
		wp_log_errx("cannot load the YANG modules: %s", err);
		goto fail;
	}
	for (size_t i = 0; modules[i]; i++)
		if (ly_ctx_get_module_implemented(mt->ctx, modules[i]) ==
		    NULL) {
			wp_log_errx("YANG module %s not found (name the "
				    "directory of the modules with "
				    "$WP_YANG_PATH)", modules[i]);
			wp_yang_ctx_put();
			goto fail;
		}
	if ((mt->cli = wp_cli_new(mt->ctx, &err)) == NULL) {
		wp_log_errx("cannot build the commands of the YANG modules: "
			    "%s", err);
		wp_yang_ctx_put();
		goto fail;
	}
	mt->cl = wp_mgmt_client_new(loop, rundir, name, modules,
		&(struct wp_mgmt_client_cbs){ .prepare = text_prepare,
		.apply = text_apply, .abort = text_abort, .arg = mt });
	return mt;

fail:
	wp_free(MT_STRING, err);
	wp_free(MT_MGMT_TEXT, mt);
	return NULL;
}

void
wp_mgmt_text_stop(struct wp_mgmt_text *mt)
{
	if (mt == NULL)
		return;
	wp_mgmt_client_free(mt->cl);
	wp_cli_free(mt->cli);
	wp_yang_ctx_put();
	wp_free(MT_MGMT_TEXT, mt);
}
