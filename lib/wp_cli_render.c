/*
 * wp_cli_render.c: configuration tree -> CLI text (show running-config).
 *
 * Each mode is rendered from its instance down: the data below it is
 * walked in schema order, instances of a list in the canonical order of
 * wp_yang_sort(), and every node that carries a command of this mode
 * gives one item (a line, or a block for a command entering a sub-mode,
 * whose content is rendered the same way one level deeper).  Items are
 * then stably sorted by their command's wpcli:order, so a neighbor's
 * lines stay together while "hostname" still comes first.
 *
 * A line is the first form of its command whose references are exactly
 * the leaves present: "ip route 10.0.0.0/8 10.0.0.1" or "... eth0" from
 * the same template.  Layout, as FRR 8 prints it:
 *
 *	hostname r1			top-level lines; '!' between groups
 *	!				of different order
 *	router bgp 65001		a block: header, content one blank
 *	 neighbor 10.0.0.2 remote-as 2	deeper, exit command, '!'
 *	 !				nested blocks are preceded by '!'
 *	 address-family ipv4 unicast
 *	  network 10.1.0.0/24
 *	 exit-address-family
 *	exit
 *	!
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "wp_cli_int.h"

struct item {
	const struct cli_cmd *cmd;
	const struct lyd_node *d;
	size_t seq;
};

struct items {
	struct item *v;
	size_t n;
};

struct render {
	const struct wp_cli *cli;
	const char *module;		/* NULL: all */
	const struct lyd_node *top;	/* first top-level sibling */
};

/* --- walking the data ------------------------------------------------ */

static void
items_add(struct items *it, const struct cli_cmd *cmd,
	  const struct lyd_node *d)
{
	it->v = wp_realloc(MT_TMP, it->v, (it->n + 1) * sizeof(*it->v));
	it->v[it->n].cmd = cmd;
	it->v[it->n].d = d;
	it->v[it->n].seq = it->n;
	it->n++;
}

static int
node_cmp(const void *a, const void *b)
{
	return wp_yang_instance_cmp(*(const struct lyd_node *const *)a,
				    *(const struct lyd_node *const *)b);
}

/* Explicit instances of `sc` among `first` and its siblings, sorted. */
static const struct lyd_node **
instances(const struct lyd_node *first, const struct lysc_node *sc,
	  size_t *n)
{
	const struct lyd_node **v = NULL, *d;

	*n = 0;
	LY_LIST_FOR(first, d) {
		if (d->schema != sc || (d->flags & LYD_DEFAULT))
			continue;
		v = wp_realloc(MT_TMP, v, (*n + 1) * sizeof(*v));
		v[(*n)++] = d;
	}
	if (*n > 1 && (sc->nodetype & (LYS_LIST | LYS_LEAFLIST)) &&
	    !lysc_is_userordered(sc) && !(sc->flags & LYS_KEYLESS))
		qsort(v, *n, sizeof(*v), node_cmp);
	return v;
}

static const struct lysc_node *
next_schema(const struct wp_cli *cli, const struct lysc_node *parent,
	    const struct lysc_node *last, size_t *topidx)
{
	if (parent)
		return lys_getnext(last, parent, NULL, 0);
	return *topidx < cli->ntops ? cli->tops[(*topidx)++] : NULL;
}

static void
collect(const struct wp_cli *cli, const struct wp_cli_mode *m,
	const struct lysc_node *sparent, const struct lyd_node *first,
	struct items *it)
{
	const struct lysc_node *sc = NULL;
	size_t topidx = 0;

	while ((sc = next_schema(cli, sparent, sc, &topidx)) != NULL) {
		const struct lyd_node **v;
		size_t n;

		if (!(sc->flags & LYS_CONFIG_W))
			continue;
		v = instances(first, sc, &n);
		for (size_t i = 0; i < n; i++) {
			const struct cli_cmd *cmd = cli_cmd_of_node(m, sc);

			if (cmd)
				items_add(it, cmd, v[i]);
			if ((cmd && cmd->enters) ||
			    !(sc->nodetype & (LYS_CONTAINER | LYS_LIST)))
				continue;
			collect(cli, m, sc, lyd_child(v[i]), it);
		}
		wp_free(MT_TMP, v);
	}
}

static int
item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->cmd->order != b->cmd->order)
		return a->cmd->order < b->cmd->order ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* --- one line -------------------------------------------------------- */

static const char *
var_value(const struct cli_cmd *cmd, const struct cli_var *v,
	  const struct lyd_node *d)
{
	const struct lyd_node *owner = d, *node = NULL;
	const char *val;

	for (size_t l = cmd->npath - 1; l > v->level; l--)
		owner = lyd_parent(owner);
	if (v->self)
		node = d;
	else if (lyd_find_path(owner, v->relpath, 0,
			       (struct lyd_node **)(uintptr_t)&node) !=
		 LY_SUCCESS)
		return NULL;
	if (node == NULL || (node->flags & LYD_DEFAULT))
		return NULL;
	if (v->cls == WP_YT_EMPTY)
		return "";
	val = lyd_get_value(node);
	if (val == NULL)
		return NULL;
	if (v->flag && strcmp(val, "true") != 0)
		return NULL;
	if (v->key && v->optional && v->absent && strcmp(val, v->absent) == 0)
		return NULL;
	return val;
}

static const struct cli_form *
form_for(const struct cli_cmd *cmd, const char **vals)
{
	for (size_t i = 0; i < cmd->nforms; i++) {
		const struct cli_form *f = &cmd->forms[i];
		bool ok = true;

		for (size_t k = 0; k < cmd->nvars && ok; k++)
			ok = cli_form_has_var(f, cmd->vars[k]) ==
			     (vals[k] != NULL);
		if (ok)
			return f;
	}
	return NULL;
}

static const char *
val_of(const struct cli_cmd *cmd, const char **vals, const struct cli_var *v)
{
	for (size_t k = 0; k < cmd->nvars; k++)
		if (cmd->vars[k] == v)
			return vals[k];
	return "";
}

/* Append the command line for `d` to `b`; -1 if there is nothing. */
static int
render_line(const struct cli_cmd *cmd, const struct lyd_node *d,
	    struct wp_vty_buf *b)
{
	const struct lysc_node *sn = cmd->node;
	const struct cli_form *f;
	const char **vals;
	bool neg = false;
	size_t start = b->len;

	vals = wp_calloc(MT_TMP, (cmd->nvars + 1) * sizeof(*vals));
	for (size_t k = 0; k < cmd->nvars; k++)
		vals[k] = var_value(cmd, cmd->vars[k], d);
	/* A boolean set by the bare command: false is its 'no' form. */
	if (sn->nodetype == LYS_LEAF &&
	    wp_yang_type_class(cli_leaf_type(sn)) == WP_YT_BOOL) {
		const char *v = lyd_get_value(d);
		bool selfref = false;

		for (size_t k = 0; k < cmd->nvars; k++)
			selfref = selfref || cmd->vars[k]->self;
		if (!selfref)
			neg = v && strcmp(v, "false") == 0;
	}
	if ((f = form_for(cmd, vals)) == NULL) {
		char *p = lyd_path(d, LYD_PATH_STD, NULL, 0);

		wp_vty_buf_printf(b, "! %s: no form of \"%s\" fits", p ? p : "",
				  cmd->tmpl);
		free(p);
		wp_free(MT_TMP, vals);
		return 0;
	}
	if (neg)
		wp_vty_buf_printf(b, "no ");
	for (size_t i = 0; i < f->len; i++) {
		const struct cli_tok *t = f->tok[i];

		if (i > 0)
			wp_vty_buf_add(b, " ", 1);
		if (t->kind == CT_KEYWORD)
			wp_vty_buf_printf(b, "%s", t->text);
		else if (t->kind == CT_VAR && t->var->flag)
			wp_vty_buf_printf(b, "%s", t->var->leaf->name);
		else if (t->kind == CT_VAR)
			wp_vty_buf_printf(b, "%s", val_of(cmd, vals, t->var));
		for (size_t p = 0; t->kind == CT_COMPOUND && p < t->nparts;
		     p++)
			wp_vty_buf_printf(b, "%s", t->parts[p].lit ?
					  t->parts[p].lit :
					  val_of(cmd, vals, t->parts[p].var));
	}
	wp_free(MT_TMP, vals);
	return b->len > start ? 0 : -1;
}

/* --- layout ---------------------------------------------------------- */

static void
indent(struct wp_vty_buf *b, size_t depth)
{
	for (size_t i = 0; i < depth; i++)
		wp_vty_buf_add(b, " ", 1);
}

static bool
module_wanted(const struct render *r, const struct cli_cmd *cmd)
{
	return r->module == NULL ||
	       strcmp(cmd->node->module->name, r->module) == 0;
}

static bool render_mode(const struct render *r, const struct wp_cli_mode *m,
			const struct lyd_node *inst, size_t depth,
			struct wp_vty_buf *out);

static bool
render_block(const struct render *r, const struct item *it, size_t depth,
	     struct wp_vty_buf *out)
{
	const struct cli_cmd *cmd = it->cmd;
	struct wp_vty_buf body = { 0 }, head = { 0 };
	bool any;

	any = render_mode(r, cmd->enters, it->d, depth + 1, &body);
	if (!any && !module_wanted(r, cmd)) {
		wp_vty_buf_free(&body);
		return false;
	}
	render_line(cmd, it->d, &head);
	if (depth > 0) {
		indent(out, depth);
		wp_vty_buf_printf(out, "!\n");
	}
	indent(out, depth);
	wp_vty_buf_printf(out, "%s\n", head.data ? head.data : "");
	if (body.len)
		wp_vty_buf_add(out, body.data, body.len);
	indent(out, depth);
	wp_vty_buf_printf(out, "%s\n", cmd->enters->exit_word);
	wp_vty_buf_free(&head);
	wp_vty_buf_free(&body);
	return true;
}

static bool
render_mode(const struct render *r, const struct wp_cli_mode *m,
	    const struct lyd_node *inst, size_t depth, struct wp_vty_buf *out)
{
	const struct lysc_node *sparent = inst ? inst->schema : NULL;
	const struct lyd_node *first = inst ? lyd_child(inst) : r->top;
	struct items it = { 0 };
	int group = -1;		/* order of the open top-level group */
	bool any = false;

	collect(r->cli, m, sparent, first, &it);
	if (it.n > 1)
		qsort(it.v, it.n, sizeof(*it.v), item_cmp);
	for (size_t i = 0; i < it.n; i++) {
		const struct item *x = &it.v[i];
		struct wp_vty_buf line = { 0 };

		if (x->cmd->enters) {
			struct wp_vty_buf blk = { 0 };

			if (render_block(r, x, depth, &blk)) {
				if (depth == 0 && group != -1)
					wp_vty_buf_printf(out, "!\n");
				wp_vty_buf_add(out, blk.data, blk.len);
				if (depth == 0)
					wp_vty_buf_printf(out, "!\n");
				group = -1;
				any = true;
			}
			wp_vty_buf_free(&blk);
			continue;
		}
		if (!module_wanted(r, x->cmd) ||
		    render_line(x->cmd, x->d, &line) == -1) {
			wp_vty_buf_free(&line);
			continue;
		}
		if (depth == 0 && group != -1 && group != x->cmd->order)
			wp_vty_buf_printf(out, "!\n");
		group = x->cmd->order;
		indent(out, depth);
		wp_vty_buf_printf(out, "%s\n", line.data);
		wp_vty_buf_free(&line);
		any = true;
	}
	if (depth == 0 && group != -1)
		wp_vty_buf_printf(out, "!\n");
	wp_free(MT_TMP, it.v);
	return any;
}

char *
wp_cli_render(const struct wp_cli *cli, const struct lyd_node *tree,
	      const char *module)
{
	struct wp_vty_buf out = { 0 };
	struct render r = { .cli = cli, .module = module };

	if (tree) {
		r.top = lyd_first_sibling(tree);
		render_mode(&r, &cli->root, NULL, 0, &out);
	}
	return cli_strdup_buf(&out);
}

char *
wp_cli_render_json(const struct wp_cli *cli, const char *json, char **err)
{
	struct lyd_node *tree = NULL;
	char *text;

	if (wp_yang_parse_only(cli->ctx, json, LYD_JSON, &tree, err) == -1)
		return NULL;
	text = wp_cli_render(cli, tree, NULL);
	lyd_free_all(tree);
	return text;
}

void
wp_cli_text_error(const char *text, char *err, size_t errlen)
{
	const char *colon = strchr(err, ':'), *reason, *line = text, *end;
	char *num_end, msg[512];
	unsigned long n;

	if (colon == NULL)
		return;
	n = strtoul(colon + 1, &num_end, 10);
	if (num_end == colon + 1 || strncmp(num_end, ": ", 2) != 0 || n == 0)
		return;
	reason = num_end + 2;
	for (unsigned long i = 1; i < n && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (line == NULL || *line == '\0')
		return;
	line += strspn(line, " ");
	end = strchr(line, '\n');
	snprintf(msg, sizeof(msg), "%s (in '%.*s')", reason,
		 (int)(end ? end - line : (ptrdiff_t)strlen(line)), line);
	snprintf(err, errlen, "%s", msg);
}
