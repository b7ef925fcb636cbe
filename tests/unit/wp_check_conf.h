/*
 * wp_check_conf.h: tests/config files as mgmtd would hand them over, for
 * the suites of daemons that read mgmtd's configuration as text.
 *
 *	char *json = wp_check_conf_json(cli, TOP_SRCDIR, "keychain.conf");
 *	conf = wp_mgmt_text_parse_json(cli, json, cbs, err, sizeof(err));
 *	wp_free(MT_STRING, json);
 */
#ifndef WP_CHECK_CONF_H
#define WP_CHECK_CONF_H

#include <stdio.h>
#include <stdlib.h>

#include "wp_check.h"
#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_yang.h"

/* tests/config/`file` loaded through the CLI engine, as YANG JSON. */
static inline char *
wp_check_conf_json(struct wp_cli *cli, const char *top, const char *file)
{
	struct lyd_node *tree = NULL;
	char path[256], *text, *json, *err = NULL;

	snprintf(path, sizeof(path), "tests/config/%s", file);
	text = wp_check_slurp(top, path);
	ck_assert_msg(wp_cli_load_text(cli, text, file, &tree, &err) == 0,
		      "%s", err);
	json = wp_yang_print(tree, LYD_JSON);
	lyd_free_all(tree);
	free(text);
	return json;
}

#endif /* WP_CHECK_CONF_H */
