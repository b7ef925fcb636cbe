/*
 * vtysh_mgmt.c: vtysh and mgmtd.  The CLI engine and the session are
 * made when first needed (exec-mode show commands need neither); this
 * file holds what speaks to the session (messages, lost connections,
 * trees in and out, commits) and the commands on the configuration as a
 * whole: `show running-config [DAEMON]` rendered here from the running
 * tree, the host name for the prompt, write memory, rollback, and the
 * -f and -b options.
 *
 * -f FILE runs the file's lines on top of the running configuration
 * (wp_cli_load_text_onto: its `no` lines remove what running has), with
 * running locked from the read to the commit, and commits the result in
 * one transaction: any bad line, any broken constraint or any daemon
 * refusing leaves running as it was.  -b replaces running with the saved
 * configuration: the file mgmtd names as its startup file, or the .json
 * or .xml next to a .conf, whichever was written last (mgmtd writes JSON
 * next to a .conf until it renders CLI text itself).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "vtysh.h"
#include "wp_mgmt_session.h"
#include "wp_vty.h"
#include "wp_yang.h"

/* --- engine and session -------------------------------------------------- */

/* A message without its "% " (to go after one of ours). */
static const char *
unpct(const char *msg)
{
	if (msg == NULL)
		return "unknown error";
	return strncmp(msg, "% ", 2) == 0 ? msg + 2 : msg;
}

int
vt_engine(struct vtysh *vt)
{
	char *err = NULL;

	if (vt->cli)
		return 0;
	if (vt->yctx == NULL &&
	    wp_yang_ctx_new(vt->yang_dir, NULL, &vt->yctx, &err) == -1) {
		vt_err(vt, "%% Cannot load the YANG modules: %s (name their "
		       "directory with --yang-path or $WP_YANG_PATH)",
		       unpct(err));
		wp_free(MT_STRING, err);
		return -1;
	}
	if ((vt->cli = wp_cli_new(vt->yctx, &err)) == NULL) {
		vt_err(vt, "%% Cannot build the configuration commands: %s",
		       unpct(err));
		wp_free(MT_STRING, err);
		return -1;
	}
	wp_cli_pos_init(vt->cli, &vt->pos);
	return 0;
}

int
vt_session(struct vtysh *vt)
{
	char err[512];

	if (vt->sess)
		return 0;
	vt->sess = wp_mgmt_session_open(vt->loop, vt->rundir, "vtysh", NULL,
					err, sizeof(err));
	if (vt->sess == NULL) {
		/* err: "cannot reach mgmtd at PATH: why" */
		if (strncmp(err, "cannot ", 7) == 0)
			vt_err(vt, "%% C%s", err + 1);
		else
			vt_err(vt, "%% Cannot reach mgmtd: %s", err);
		return -1;
	}
	return 0;
}

void
vt_session_quiet(struct vtysh *vt)
{
	char err[512];

	if (vt->sess == NULL)
		vt->sess = wp_mgmt_session_open(vt->loop, vt->rundir, "vtysh",
						NULL, err, sizeof(err));
}

/* Print a message from mgmtd, one "% " line per line. */
void
vt_mgmt_msg(struct vtysh *vt, const char *msg, bool error)
{
	const char *p = msg;

	while (p && *p) {
		size_t len = strcspn(p, "\n");

		if (len > 0) {
			const char *pct = *p == '%' ? "" : "% ";

			if (error)
				vt_err(vt, "%s%.*s", pct, (int)len, p);
			else
				printf("%.*s\n", (int)len, p);
		}
		p += len + (p[len] == '\n');
	}
}

/* After a failed request: say why; a lost session is closed. */
void
vt_sess_failed(struct vtysh *vt, struct wp_mgmt_result *res)
{
	if (res->status != WP_MGMT_ST_IO) {
		vt_mgmt_msg(vt, res->message ? res->message : "failed", true);
		return;
	}
	vt_err(vt, "%% Lost the connection to mgmtd%s%s",
	       res->message ? ": " : "", res->message ? res->message : "");
	wp_mgmt_session_close(vt->sess);
	vt->sess = NULL;
	if (vt->mode == VT_MODE_CONFIG && vt->cfg_kind != VT_CFG_TERMINAL) {
		vt_err(vt, "%% Uncommitted changes and locks are lost; back "
		       "to exec mode");
		vt->mode = VT_MODE_EXEC;
		wp_cli_pos_clear(&vt->pos);
	}
}

bool
vt_sess_stale(struct vtysh *vt, const struct wp_mgmt_result *res)
{
	if (res->status != WP_MGMT_ST_IO || vt->sess == NULL ||
	    (vt->mode == VT_MODE_CONFIG && vt->cfg_kind != VT_CFG_TERMINAL))
		return false;
	wp_mgmt_session_close(vt->sess);
	vt->sess = NULL;
	return true;
}

void
vt_mgmt_warnings(struct vtysh *vt, const struct wp_mgmt_result *res)
{
	for (size_t i = 0; i < res->nwarnings; i++)
		vt_err(vt, "%% Warning: %s", res->warnings[i]);
}

/* Parse mgmtd's JSON without validating (a candidate may be half done). */
static int
parse_json(struct vtysh *vt, const char *json, struct lyd_node **tree)
{
	char *msg;

	*tree = NULL;
	if (json == NULL || json[0] == '\0')
		return 0;
	ly_err_clean(vt->yctx, NULL);
	if (lyd_parse_data_mem(vt->yctx, json, LYD_JSON,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT, 0,
			       tree) == LY_SUCCESS) {
		wp_yang_sort(tree);
		return 0;
	}
	msg = wp_yang_errmsg(vt->yctx, NULL);
	vt_err(vt, "%% Cannot read the configuration from mgmtd: %s",
	       msg && *msg ? msg : "parse error");
	wp_free(MT_STRING, msg);
	lyd_free_all(*tree);
	*tree = NULL;
	return -1;
}

/* A datastore as a tree: running, or the private candidate. */
int
vt_get_tree(struct vtysh *vt, int what, struct lyd_node **tree)
{
	struct wp_mgmt_get_opts o = { .what = (enum wp_mgmt_get)what,
				      .ds = WP_MGMT_DS_PRIVATE,
				      .fmt = WP_MGMT_FMT_JSON };
	struct wp_mgmt_result res = { 0 };
	int rc = -1;

	*tree = NULL;
	for (int tries = 0; tries < 2; tries++) {
		if (vt_session(vt) == -1 || vt_engine(vt) == -1)
			return -1;
		if (wp_mgmt_session_get(vt->sess, &o, &res) == 0) {
			rc = parse_json(vt, res.data, tree);
			break;
		}
		if (tries > 0 || !vt_sess_stale(vt, &res)) {
			vt_sess_failed(vt, &res);
			break;
		}
		wp_mgmt_result_clear(&res);
	}
	wp_mgmt_result_clear(&res);
	return rc;
}

/* --- host name ----------------------------------------------------------- */

void
vt_hostname_refresh(struct vtysh *vt)
{
	struct wp_mgmt_get_opts o = { .what = WP_MGMT_GET_RUNNING,
				      .fmt = WP_MGMT_FMT_JSON,
				      .xpath = "/waypoint-routing:system/"
					       "hostname" };
	struct wp_mgmt_result res = { 0 };
	json_object *top, *sys, *host;
	const char *name;

	vt->hostname_known = false;
	if (vt->sess && wp_mgmt_session_get(vt->sess, &o, &res) == 0 &&
	    res.data && (top = json_tokener_parse(res.data)) != NULL) {
		if (json_object_object_get_ex(top, "waypoint-routing:system",
					      &sys) &&
		    json_object_object_get_ex(sys, "hostname", &host) &&
		    (name = json_object_get_string(host)) != NULL && *name) {
			snprintf(vt->hostname, sizeof(vt->hostname), "%s",
				 name);
			vt->hostname_known = true;
		}
		json_object_put(top);
	} else {
		vt_sess_stale(vt, &res);	/* mgmtd restarted: next time */
	}
	wp_mgmt_result_clear(&res);
	if (!vt->hostname_known) {
		char *dot;

		if (gethostname(vt->hostname, sizeof(vt->hostname)) == -1)
			snprintf(vt->hostname, sizeof(vt->hostname), "waypoint");
		vt->hostname[sizeof(vt->hostname) - 1] = '\0';
		if ((dot = strchr(vt->hostname, '.')) != NULL)
			*dot = '\0';
	}
}

/* Commit the private candidate; on failure it is discarded when `drop`. */
int
vt_commit(struct vtysh *vt, const struct wp_mgmt_commit_opts *opts, bool drop,
	  bool verbose)
{
	struct wp_mgmt_result res = { 0 };
	int rc;

	rc = wp_mgmt_session_commit(vt->sess, WP_MGMT_DS_PRIVATE, opts, &res);
	if (rc == -1) {
		vt_sess_failed(vt, &res);
		if (drop && vt->sess)
			wp_mgmt_session_discard(vt->sess, WP_MGMT_DS_PRIVATE,
						NULL);
	} else {
		vt_mgmt_warnings(vt, &res);
		if (verbose && res.message && *res.message)
			vt_mgmt_msg(vt, res.message, false);
	}
	wp_mgmt_result_clear(&res);
	return rc;
}

/* --- show running-config ------------------------------------------------- */

/* Modules a daemon owns when mgmtd cannot tell (it is not connected). */
static const struct {
	const char *daemon;
	const char *modules[3];
} daemon_modules[] = {
	{ "ribd", { "waypoint-interface", "waypoint-routing", NULL } },
	{ "bgpd", { "waypoint-bgp", "waypoint-routing", NULL } },
	{ "ospfd", { "waypoint-ospf", "waypoint-routing", NULL } },
	{ "isisd", { "waypoint-isis", "waypoint-routing", NULL } },
	{ "pimd", { "waypoint-pim", NULL, NULL } },
	{ "bfdd", { "waypoint-bfd", NULL, NULL } },
	{ "vrrpd", { "waypoint-vrrp", NULL, NULL } },
	{ "dhcpd", { "waypoint-dhcp", NULL, NULL } },
};

struct modset {
	char **m;
	size_t n;
};

static void
modset_add(struct modset *s, const char *name)
{
	s->m = wp_realloc(MT_VTYSH, s->m, (s->n + 1) * sizeof(*s->m));
	s->m[s->n++] = wp_strdup(MT_VTYSH, name);
}

static void
modset_free(struct modset *s)
{
	for (size_t i = 0; i < s->n; i++)
		wp_free(MT_VTYSH, s->m[i]);
	wp_free(MT_VTYSH, s->m);
}

static bool
modset_has(const struct modset *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->m[i], name) == 0)
			return true;
	return false;
}

/* The modules a daemon owns, from mgmtd (`show mgmt daemons json`). */
static void
modules_from_mgmtd(struct vtysh *vt, const char *daemon, struct modset *s)
{
	struct wp_vty_client *c;
	char path[4096], *out = NULL;
	json_object *top, *arr;
	int status;

	snprintf(path, sizeof(path), "%s/mgmtd.vty", vt->rundir);
	if ((c = wp_vty_client_connect(path)) == NULL)
		return;
	wp_vty_client_set_timeout(c, 5.0);
	if (wp_vty_client_exec(c, "show mgmt daemons json", &status,
			       &out) == 0 && status == WP_VTY_OK &&
	    (top = json_tokener_parse(out)) != NULL) {
		if (json_object_object_get_ex(top, "daemons", &arr)) {
			for (size_t i = 0; i < json_object_array_length(arr);
			     i++) {
				json_object *d = json_object_array_get_idx(arr,
									   i);
				json_object *name, *mods;

				if (!json_object_object_get_ex(d, "name",
							       &name) ||
				    strcmp(json_object_get_string(name),
					   daemon) != 0 ||
				    !json_object_object_get_ex(d, "modules",
							       &mods))
					continue;
				for (size_t j = 0;
				     j < json_object_array_length(mods); j++)
					modset_add(s, json_object_get_string(
					   json_object_array_get_idx(mods, j)));
			}
		}
		json_object_put(top);
	}
	wp_free(MT_STRING, out);
	wp_vty_client_close(c);
}

static int
daemon_modset(struct vtysh *vt, const char *daemon, struct modset *s)
{
	char mod[128];

	modules_from_mgmtd(vt, daemon, s);
	if (s->n > 0)
		return 0;
	for (size_t i = 0; i < sizeof(daemon_modules) /
	     sizeof(daemon_modules[0]); i++) {
		if (strcmp(daemon_modules[i].daemon, daemon) != 0)
			continue;
		for (size_t j = 0; j < 3 && daemon_modules[i].modules[j]; j++)
			modset_add(s, daemon_modules[i].modules[j]);
		return 0;
	}
	/* A module name, with or without "waypoint-". */
	snprintf(mod, sizeof(mod), "%s%s", strncmp(daemon, "waypoint-", 9) ?
		 "waypoint-" : "", daemon);
	if (ly_ctx_get_module_implemented(vt->yctx, mod) != NULL) {
		modset_add(s, mod);
		return 0;
	}
	return -1;
}

/* Keep the nodes of the modules in `s`, their ancestors and keys. */
static bool
filter_node(struct lyd_node *node, const struct modset *s)
{
	struct lyd_node *child, *next;
	bool own = modset_has(s, node->schema->module->name), left = false;

	for (child = lyd_child(node); child; child = next) {
		next = child->next;
		if (lysc_is_key(child->schema))
			continue;
		if (filter_node(child, s))
			left = true;
		else
			lyd_free_tree(child);
	}
	return own || left;
}

static void
filter_tree(struct lyd_node **tree, const struct modset *s)
{
	struct lyd_node *n, *next, *first = NULL;

	for (n = *tree; n; n = next) {
		next = n->next;
		if (filter_node(n, s)) {
			if (first == NULL)
				first = n;
		} else {
			lyd_free_tree(n);
		}
	}
	*tree = first;
}

/* A tree as configuration text (MT_STRING). */
static char *
render(struct vtysh *vt, struct lyd_node *tree)
{
	return wp_cli_render(vt->cli, tree, NULL);
}

char *
vt_running_text(struct vtysh *vt, const char *daemon, bool json)
{
	struct lyd_node *tree;
	struct modset s = { 0 };
	struct vt_buf b = { 0 };
	char *text;

	if (vt_get_tree(vt, WP_MGMT_GET_RUNNING, &tree) == -1)
		return NULL;
	if (daemon && daemon_modset(vt, daemon, &s) == -1) {
		vt_err(vt, "%% Unknown daemon or module '%s'", daemon);
		lyd_free_all(tree);
		return NULL;
	}
	if (daemon && strcmp(daemon, "mgmtd") != 0)
		filter_tree(&tree, &s);
	modset_free(&s);
	if (json) {
		text = wp_yang_print(tree, LYD_JSON);
		lyd_free_all(tree);
		return text;
	}
	text = render(vt, tree);
	vt_buf_printf(&b, "!\n! Waypoint %s running configuration%s%s\n!\n",
		      PACKAGE_VERSION, daemon ? " of " : "",
		      daemon ? daemon : "");
	vt_buf_puts(&b, text);
	vt_buf_puts(&b, "end\n");
	wp_free(MT_STRING, text);
	lyd_free_all(tree);
	return vt_buf_take(&b);
}

/* --- write memory, rollback ---------------------------------------------- */

int
vt_write_memory(struct vtysh *vt, struct vt_buf *out)
{
	struct wp_mgmt_result res = { 0 };
	int rc;

	if (vt_session(vt) == -1)
		return -1;
	rc = wp_mgmt_session_write(vt->sess, &res);
	if (rc == -1)
		vt_sess_failed(vt, &res);
	else
		vt_buf_printf(out, "%s\n[OK]\n", res.message ? res.message :
			      "Configuration saved");
	wp_mgmt_result_clear(&res);
	return rc;
}

int
vt_rollback(struct vtysh *vt, unsigned int index, struct vt_buf *out)
{
	struct wp_mgmt_result res = { 0 };
	int rc;

	if (vt_session(vt) == -1)
		return -1;
	rc = wp_mgmt_session_rollback(vt->sess, WP_MGMT_DS_PRIVATE, index,
				      true, NULL, &res);
	if (rc == -1) {
		vt_sess_failed(vt, &res);
		if (vt->sess)
			wp_mgmt_session_discard(vt->sess, WP_MGMT_DS_PRIVATE,
						NULL);
	} else {
		vt_mgmt_warnings(vt, &res);
		if (res.message && *res.message)
			vt_buf_printf(out, "%s\n", res.message);
	}
	wp_mgmt_result_clear(&res);
	vt_hostname_refresh(vt);
	return rc;
}

/* --- files --------------------------------------------------------------- */

static char *
read_file(struct vtysh *vt, const char *path)
{
	struct vt_buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (f == NULL) {
		vt_err(vt, "%% %s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		vt_buf_putn(&b, chunk, n);
	if (f != stdin)
		fclose(f);
	return vt_buf_take(&b);
}

/* Replace the private candidate with `tree` and commit it. */
static int
load_commit(struct vtysh *vt, struct lyd_node *tree, const char *source,
	    const char *comment)
{
	struct wp_mgmt_commit_opts o = { .comment = comment };
	struct wp_mgmt_result res = { 0 };
	char *json = wp_yang_print(tree, LYD_JSON);
	int rc;

	rc = wp_mgmt_session_load(vt->sess, WP_MGMT_DS_PRIVATE,
				  WP_MGMT_FMT_JSON, true, json, source, &res);
	wp_free(MT_STRING, json);
	if (rc == -1) {
		vt_sess_failed(vt, &res);
		if (vt->sess)
			wp_mgmt_session_discard(vt->sess, WP_MGMT_DS_PRIVATE,
						NULL);
	}
	wp_mgmt_result_clear(&res);
	if (rc == 0)
		rc = vt_commit(vt, &o, true, false);
	return rc;
}

static void
unlock_running(struct vtysh *vt)
{
	if (vt->sess)
		wp_mgmt_session_lock(vt->sess, WP_MGMT_DS_RUNNING, false, NULL);
}

int
vt_apply_file(struct vtysh *vt, const char *path)
{
	struct wp_mgmt_result res = { 0 };
	struct lyd_node *tree = NULL;
	char *text, *err = NULL, comment[512];
	int rc = -1;

	if ((text = read_file(vt, path)) == NULL)
		return -1;
	if (vt_session(vt) == -1 || vt_engine(vt) == -1)
		goto out_free_text;
	/* Running must not move between reading it and committing. */
	if (wp_mgmt_session_lock(vt->sess, WP_MGMT_DS_RUNNING, true,
				 &res) == -1) {
		vt_sess_failed(vt, &res);
		wp_mgmt_result_clear(&res);
		goto out_free_text;
	}
	wp_mgmt_result_clear(&res);
	if (vt_get_tree(vt, WP_MGMT_GET_RUNNING, &tree) == -1)
		goto out_unlock;
	if (wp_cli_load_text_onto(vt->cli, text, path, &tree, &err) == -1) {
		vt_err_lines(vt, err);
		wp_free(MT_STRING, err);
		vt_err(vt, "%% %s: not applied; nothing was changed", path);
		goto out_unlock;
	}
	snprintf(comment, sizeof(comment), "vtysh -f %s", path);
	rc = load_commit(vt, tree, path, comment);
	if (rc == -1)
		vt_err(vt, "%% %s: not applied; nothing was changed", path);
	lyd_free_all(tree);
out_unlock:
	unlock_running(vt);
out_free_text:
	wp_free(MT_STRING, text);
	return rc;
}

/* What mgmtd says its startup file is (`show mgmt json`), or NULL. */
static char *
mgmtd_startup_file(struct vtysh *vt)
{
	struct wp_vty_client *c;
	char path[4096], *out = NULL, *file = NULL;
	json_object *top, *v;
	int status;

	snprintf(path, sizeof(path), "%s/mgmtd.vty", vt->rundir);
	if ((c = wp_vty_client_connect(path)) == NULL)
		return NULL;
	wp_vty_client_set_timeout(c, 5.0);
	if (wp_vty_client_exec(c, "show mgmt json", &status, &out) == 0 &&
	    status == WP_VTY_OK && (top = json_tokener_parse(out)) != NULL) {
		if (json_object_object_get_ex(top, "startupFile", &v) &&
		    *json_object_get_string(v))
			file = wp_strdup(MT_STRING, json_object_get_string(v));
		json_object_put(top);
	}
	wp_free(MT_STRING, out);
	wp_vty_client_close(c);
	return file;
}

/*
 * The saved configuration: mgmtd's startup file, or the .json/.xml next
 * to a .conf (what write memory writes while mgmtd cannot render CLI
 * text), whichever was written last.
 */
static char *
saved_file(struct vtysh *vt)
{
	char *base = mgmtd_startup_file(vt), *best = NULL;
	const char *exts[] = { "", ".json", ".xml" };
	time_t newest = 0;
	size_t stem;

	if (base == NULL) {
		struct vt_buf b = { 0 };

		vt_buf_printf(&b, "%s/waypoint%s%s/waypoint.conf", SYSCONFDIR,
			      vt->pathspace ? "/" : "",
			      vt->pathspace ? vt->pathspace : "");
		base = vt_buf_take(&b);
	}
	stem = strlen(base);
	if (stem > 5 && strcmp(base + stem - 5, ".conf") == 0)
		stem -= 5;
	else
		exts[1] = exts[2] = NULL;
	for (size_t i = 0; i < 3; i++) {
		struct vt_buf b = { 0 };
		struct stat st;
		char *p;

		if (exts[i] == NULL)
			continue;
		if (i == 0)
			vt_buf_puts(&b, base);
		else
			vt_buf_printf(&b, "%.*s%s", (int)stem, base, exts[i]);
		p = vt_buf_take(&b);
		if (stat(p, &st) == 0 && (best == NULL ||
					  st.st_mtime > newest)) {
			wp_free(MT_STRING, best);
			best = p;
			newest = st.st_mtime;
		} else {
			wp_free(MT_STRING, p);
		}
	}
	if (best == NULL)
		vt_err(vt, "%% No saved configuration at %s", base);
	wp_free(MT_STRING, base);
	return best;
}

int
vt_boot(struct vtysh *vt)
{
	struct lyd_node *tree = NULL;
	char *file, *err = NULL, comment[512];
	int rc = -1;

	if (vt_session(vt) == -1 || vt_engine(vt) == -1)
		return -1;
	if ((file = saved_file(vt)) == NULL)
		return -1;
	if (wp_cli_load_file(vt->cli, file, &tree, &err) == -1) {
		vt_err_lines(vt, err);
		wp_free(MT_STRING, err);
		vt_err(vt, "%% %s: not applied; nothing was changed", file);
		goto out;
	}
	snprintf(comment, sizeof(comment), "vtysh -b %s", file);
	rc = load_commit(vt, tree, file, comment);
	if (rc == 0)
		printf("Configuration loaded from %s\n", file);
	lyd_free_all(tree);
out:
	wp_free(MT_STRING, file);
	return rc;
}
