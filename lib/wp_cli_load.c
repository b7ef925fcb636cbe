/*
 * wp_cli_load.c: edits -> data tree, and whole configuration files.
 *
 * wp_cli_apply() turns the edits of a line into libyang calls
 * (lyd_new_path() to create or merge, lyd_find_path() + lyd_free_tree()
 * to delete, then the pruning of ancestors left with nothing but keys).
 *
 * wp_cli_load_text() runs a file line by line at a position that starts
 * at the root, applies each line's edits to one tree, and remembers which
 * line last set each data path.  A line that fails is reported and the
 * next line is tried, so one run reports every bad line; then the tree is
 * validated and each validation error is reported at the line that set
 * the node at fault (the longest recorded path that is a prefix of the
 * error's path).  Any error discards the tree: a file loads whole or not
 * at all.  wp_cli_load_text_onto() does the same on top of an existing
 * tree (vtysh -f: a file applied to the running configuration, its `no`
 * lines removing what running has).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_cli_int.h"

#define LOAD_MAX_ERRORS	100

/* --- edits ----------------------------------------------------------- */

static bool
only_keys(const struct lyd_node *n)
{
	const struct lyd_node *c;

	LY_LIST_FOR(lyd_child(n), c)
		if (!lysc_is_key(c->schema) && !(c->flags & LYD_DEFAULT))
			return false;
	return true;
}

static void
tree_free_node(struct lyd_node **tree, struct lyd_node *n)
{
	if (n == *tree)
		*tree = n->next;
	lyd_free_tree(n);
}

static int
apply_remove(const struct wp_cli *cli, struct lyd_node **tree,
	     const struct wp_cli_edit *e)
{
	struct lyd_node *n = NULL, *parent;

	if (*tree == NULL)
		return 0;
	if (lyd_find_path(*tree, e->xpath, 0, &n) != LY_SUCCESS || n == NULL) {
		ly_err_clean(cli->ctx, NULL);
		return 0;
	}
	parent = lyd_parent(n);
	tree_free_node(tree, n);
	for (unsigned int k = 0; k < e->prune && parent && only_keys(parent);
	     k++) {
		struct lyd_node *gp = lyd_parent(parent);

		tree_free_node(tree, parent);
		parent = gp;
	}
	return 0;
}

/* --- auto-increment keys ---------------------------------------------- */

#define AUTO_PRED	"='" CLI_AUTO_MARK "'"

bool
wp_cli_result_auto(const struct wp_cli_result *res)
{
	for (size_t i = 0; i < res->nedits; i++)
		if (strstr(res->edits[i].xpath, AUTO_PRED))
			return true;
	return false;
}

/* A data path without its predicates: the schema path. */
static char *
strip_predicates(const char *p)
{
	char *out = wp_strdup(MT_STRING, p), *o = out;
	char q = 0;
	int depth = 0;

	for (; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (depth && (*p == '\'' || *p == '"')) {
			q = *p;
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			depth--;
		} else if (depth == 0) {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* The key the list at `list` (a data path) gives its next instance. */
static int
auto_next(const struct wp_cli *cli, const struct lyd_node *tree,
	  const char *list, char *num, size_t len, char **err)
{
	char *sp = strip_predicates(list);
	const struct lysc_node *sn = lys_find_path(cli->ctx, NULL, sp, 0);
	const struct lysc_node *key = NULL;
	const char *step_s = NULL;
	unsigned long long step = 0, max = 0, next;
	struct ly_set *set = NULL;

	wp_free(MT_STRING, sp);
	if (sn && sn->nodetype == LYS_LIST)
		key = lys_getnext(NULL, sn, NULL, 0);
	if (key && lysc_is_key(key))
		step_s = cli_ext(key, "auto-increment");
	if (step_s)
		step = strtoull(step_s, NULL, 10);
	if (step == 0) {
		ly_err_clean(cli->ctx, NULL);
		*err = wp_strdup(MT_STRING, "% Internal error: no "
				 "auto-increment key");
		return -1;
	}
	if (tree && lyd_find_xpath(tree, list, &set) == LY_SUCCESS) {
		for (uint32_t i = 0; i < set->count; i++) {
			const struct lyd_node *k = lyd_child(set->dnodes[i]);
			unsigned long long v;

			if (k == NULL || k->schema != key)
				continue;
			v = strtoull(lyd_get_value(k), NULL, 10);
			if (v > max)
				max = v;
		}
	}
	ly_set_free(set, NULL);
	ly_err_clean(cli->ctx, NULL);
	next = max / step * step + step;
	snprintf(num, len, "%llu", next);
	if (lyd_value_validate(cli->ctx, key, num, strlen(num), NULL, NULL,
			       NULL) != LY_SUCCESS) {
		struct wp_vty_buf b = { 0 };

		ly_err_clean(cli->ctx, NULL);
		wp_vty_buf_printf(&b, "%% No %s left after %llu: give one",
				  key->name, max);
		*err = cli_strdup_buf(&b);
		return -1;
	}
	return 0;
}

int
wp_cli_resolve_auto(const struct wp_cli *cli, const struct lyd_node *tree,
		    struct wp_cli_result *res, char **err)
{
	char *list = NULL, num[24];
	int rc = 0;

	*err = NULL;
	for (size_t i = 0; i < res->nedits && rc == 0; i++) {
		struct wp_cli_edit *e = &res->edits[i];
		char *m = strstr(e->xpath, AUTO_PRED), *lb;
		struct wp_vty_buf b = { 0 };

		if (m == NULL)
			continue;
		for (lb = m; lb > e->xpath && *lb != '['; lb--)
			;
		if (list == NULL || strlen(list) != (size_t)(lb - e->xpath) ||
		    strncmp(list, e->xpath, (size_t)(lb - e->xpath)) != 0) {
			wp_free(MT_STRING, list);
			list = wp_strndup(MT_STRING, e->xpath,
					  (size_t)(lb - e->xpath));
			rc = auto_next(cli, tree, list, num, sizeof(num), err);
			if (rc == -1)
				break;
		}
		wp_vty_buf_printf(&b, "%.*s='%s'%s", (int)(m - e->xpath),
				  e->xpath, num, m + strlen(AUTO_PRED));
		wp_free(MT_STRING, e->xpath);
		e->xpath = cli_strdup_buf(&b);
	}
	wp_free(MT_STRING, list);
	return rc;
}

/* Is `path` at or below `top`? */
static bool
path_within(const char *path, const char *top)
{
	size_t len = strlen(top);

	return strncmp(path, top, len) == 0 &&
	       (path[len] == '\0' || path[len] == '/');
}

int
wp_cli_apply(const struct wp_cli *cli, struct lyd_node **tree,
	     const struct wp_cli_edit *edits, size_t n, char **err)
{
	/* What this batch created has nothing to delete below it. */
	char *fresh = NULL;
	int ret = 0;

	for (size_t i = 0; i < n; i++) {
		const struct wp_cli_edit *e = &edits[i];
		struct lyd_node *node = NULL;
		struct wp_vty_buf b = { 0 };
		uint32_t opts;
		LY_ERR rc;
		char *m;

		if (e->op == WP_CLI_OP_REMOVE) {
			if (fresh == NULL || !path_within(e->xpath, fresh))
				apply_remove(cli, tree, e);
			continue;
		}
		opts = e->op == WP_CLI_OP_MERGE ? LYD_NEW_PATH_UPDATE : 0;
		if (*tree == NULL) {
			rc = lyd_new_path(NULL, cli->ctx, e->xpath, e->value,
					  opts, &node);
			*tree = node;
		} else {
			rc = lyd_new_path(*tree, NULL, e->xpath, e->value,
					  opts, &node);
			*tree = lyd_first_sibling(*tree);
		}
		/* The first node created, the top of what is new. */
		if (rc == LY_SUCCESS && node && fresh == NULL &&
		    !(node->schema->nodetype & LYD_NODE_TERM))
			fresh = lyd_path(node, LYD_PATH_STD, NULL, 0);
		if (rc == LY_SUCCESS)
			continue;
		if (rc == LY_EEXIST) {
			ly_err_clean(cli->ctx, NULL);
			wp_vty_buf_printf(&b, "%% %s already exists", e->xpath);
		} else {
			m = wp_yang_errmsg(cli->ctx, *tree);
			wp_vty_buf_printf(&b, "%s", *m ? m : "% cannot set ");
			if (*m == '\0')
				wp_vty_buf_printf(&b, "%s", e->xpath);
			wp_free(MT_STRING, m);
		}
		if (err)
			*err = cli_strdup_buf(&b);
		else
			wp_vty_buf_free(&b);
		ret = -1;
		break;
	}
	free(fresh);
	return ret;
}

/* --- files ----------------------------------------------------------- */

struct origin {
	char *xpath;
	size_t len;
	unsigned int line;
};

struct loader {
	const struct wp_cli *cli;
	const char *fname;
	struct wp_vty_buf errs;
	size_t nerrs;
	struct origin *orig;
	size_t norig;
};

static void
load_err(struct loader *ld, unsigned int line, const char *msg)
{
	if (ld->nerrs++ >= LOAD_MAX_ERRORS)
		return;
	if (ld->errs.len)
		wp_vty_buf_add(&ld->errs, "\n", 1);
	if (line)
		wp_vty_buf_printf(&ld->errs, "%s:%u: %s", ld->fname, line, msg);
	else
		wp_vty_buf_printf(&ld->errs, "%s: %s", ld->fname, msg);
}

static void
origin_add(struct loader *ld, const char *xpath, unsigned int line)
{
	struct origin *o;

	ld->orig = wp_realloc(MT_TMP, ld->orig,
			      (ld->norig + 1) * sizeof(*ld->orig));
	o = &ld->orig[ld->norig++];
	o->xpath = wp_strdup(MT_STRING, xpath);
	o->len = strlen(xpath);
	o->line = line;
}

/* Length of `path` without its last segment (predicates skipped). */
static size_t
path_parent_len(const char *path)
{
	size_t last = 0;
	char quote = 0;

	for (size_t i = 0; path[i]; i++) {
		if (quote) {
			quote = path[i] == quote ? 0 : quote;
			continue;
		}
		if (path[i] == '\'' || path[i] == '"')
			quote = path[i];
		else if (path[i] == '/')
			last = i;
	}
	return last;
}

static bool
path_has_prefix(const char *path, const char *pfx, size_t len)
{
	return strncmp(path, pfx, len) == 0 &&
	       (path[len] == '\0' || path[len] == '/' || path[len] == '[');
}

/*
 * The line behind an error at `path`: the one that last set the longest
 * prefix of it or, when the error is on a leaf nobody set directly (a
 * key), the last line that set anything in that leaf's instance.
 */
static unsigned int
origin_find(const struct loader *ld, const char *path)
{
	size_t best = 0, plen = path_parent_len(path);
	unsigned int line = 0;

	for (size_t i = 0; i < ld->norig; i++) {
		const struct origin *o = &ld->orig[i];

		if (o->len < best || strncmp(path, o->xpath, o->len) != 0 ||
		    (path[o->len] != '\0' && path[o->len] != '/'))
			continue;
		best = o->len;
		line = o->line;
	}
	if (plen <= best)
		return line;
	for (size_t i = 0; i < ld->norig; i++)
		if (path_has_prefix(ld->orig[i].xpath, path, plen) &&
		    ld->orig[i].line > line)
			line = ld->orig[i].line;
	return line;
}

static void
load_line(struct loader *ld, struct wp_cli_pos *pos, struct lyd_node **tree,
	  const char *line, unsigned int lineno)
{
	struct wp_cli_result res;
	char *err = NULL;

	if (wp_cli_exec(ld->cli, pos, line, &res) != WP_CLI_OK) {
		load_err(ld, lineno, res.msg);
	} else if (wp_cli_resolve_auto(ld->cli, *tree, &res, &err) == -1) {
		load_err(ld, lineno, err);
		wp_free(MT_STRING, err);
	} else if (wp_cli_apply(ld->cli, tree, res.edits, res.nedits,
				&err) == -1) {
		load_err(ld, lineno, err);
		wp_free(MT_STRING, err);
	} else {
		for (size_t i = 0; i < res.nedits; i++)
			if (res.edits[i].op != WP_CLI_OP_REMOVE)
				origin_add(ld, res.edits[i].xpath, lineno);
	}
	wp_cli_result_clear(&res);
}

/*
 * Drop the node an error names so that validating again can find the
 * next error (libyang stops at the first); a key takes its instance
 * along.  False if there is nothing to drop.
 */
static bool
drop_node(struct lyd_node **tree, const char *path)
{
	struct lyd_node *n = NULL;

	if (*path == '\0' || lyd_find_path(*tree, path, 0, &n) != LY_SUCCESS ||
	    n == NULL)
		return false;
	if (lysc_is_key(n->schema) && lyd_parent(n))
		n = lyd_parent(n);
	tree_free_node(tree, n);
	return true;
}

struct vmsg {
	unsigned int line;
	size_t seq;
	char *msg;
};

static int
vmsg_cmp(const void *pa, const void *pb)
{
	const struct vmsg *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Validate, reporting each error at the line that set the node at
 * fault; the tree is going to be discarded if there is any, so the
 * nodes at fault are dropped one by one to find the others.
 */
static void
load_validate(struct loader *ld, struct lyd_node **tree)
{
	struct vmsg *v = NULL;
	struct wp_yang_err *errs;
	size_t n, nv = 0;
	bool dropped = true;

	while (dropped && nv < LOAD_MAX_ERRORS) {
		if (lyd_validate_all(tree, ld->cli->ctx, LYD_VALIDATE_NO_STATE,
				     NULL) == LY_SUCCESS) {
			ly_err_clean(ld->cli->ctx, NULL);
			break;
		}
		n = wp_yang_errors_take(ld->cli->ctx, *tree, &errs);
		dropped = false;
		v = wp_realloc(MT_TMP, v, (nv + n + 1) * sizeof(*v));
		for (size_t i = 0; i < n; i++) {
			v[nv].line = origin_find(ld, errs[i].path);
			v[nv].msg = wp_yang_err_fmt(&errs[i]);
			v[nv].seq = nv;
			nv++;
			dropped = drop_node(tree, errs[i].path) || dropped;
		}
		if (n == 0) {
			v[nv].line = 0;
			v[nv].msg = wp_strdup(MT_STRING, "% the configuration "
					      "is not valid");
			v[nv].seq = nv;
			nv++;
		}
		wp_yang_errors_free(errs, n);
	}
	/* Report in file order. */
	if (nv > 1)
		qsort(v, nv, sizeof(*v), vmsg_cmp);
	for (size_t i = 0; i < nv; i++) {
		load_err(ld, v[i].line, v[i].msg);
		wp_free(MT_STRING, v[i].msg);
	}
	wp_free(MT_TMP, v);
}

int
wp_cli_load_text(const struct wp_cli *cli, const char *text,
		 const char *fname, struct lyd_node **tree, char **err)
{
	*tree = NULL;
	return wp_cli_load_text_onto(cli, text, fname, tree, err);
}

int
wp_cli_load_text_onto(const struct wp_cli *cli, const char *text,
		      const char *fname, struct lyd_node **tree, char **err)
{
	struct loader ld = { .cli = cli, .fname = fname };
	struct wp_cli_pos pos;
	unsigned int lineno = 0;
	const char *p = text;
	char *line;

	wp_cli_pos_init(cli, &pos);
	while (*p) {
		size_t len = strcspn(p, "\n");

		line = wp_strndup(MT_TMP, p, len);
		if (len > 0 && line[len - 1] == '\r')
			line[len - 1] = '\0';
		load_line(&ld, &pos, tree, line, ++lineno);
		wp_free(MT_TMP, line);
		p += len + (p[len] == '\n');
	}
	wp_cli_pos_clear(&pos);
	if (ld.nerrs == 0)
		load_validate(&ld, tree);
	for (size_t i = 0; i < ld.norig; i++)
		wp_free(MT_STRING, ld.orig[i].xpath);
	wp_free(MT_TMP, ld.orig);
	if (ld.nerrs > LOAD_MAX_ERRORS)
		wp_vty_buf_printf(&ld.errs, "\n%s: %zu more errors", fname,
				  ld.nerrs - LOAD_MAX_ERRORS);
	if (ld.nerrs) {
		lyd_free_all(*tree);
		*tree = NULL;
		if (err)
			*err = cli_strdup_buf(&ld.errs);
		else
			wp_vty_buf_free(&ld.errs);
		return -1;
	}
	wp_vty_buf_free(&ld.errs);
	wp_yang_sort(tree);
	return 0;
}

int
wp_cli_load_file(const struct wp_cli *cli, const char *path,
		 struct lyd_node **tree, char **err)
{
	struct wp_vty_buf b = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;
	int rc;

	if (wp_yang_format_of(path) != LYD_UNKNOWN)
		return wp_yang_parse_file(cli->ctx, path, tree, err);
	*tree = NULL;
	if ((f = fopen(path, "r")) == NULL) {
		if (err) {
			wp_vty_buf_printf(&b, "%s: %s", path, strerror(errno));
			*err = cli_strdup_buf(&b);
		}
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wp_vty_buf_add(&b, chunk, n);
	fclose(f);
	rc = wp_cli_load_text(cli, b.data ? b.data : "", path, tree, err);
	wp_vty_buf_free(&b);
	return rc;
}
