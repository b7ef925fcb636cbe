/*
 * nc_edit.c: <edit-config> content to mgmtd edits.
 *
 * libyang parses the <config> element into a data tree whose nodes carry
 * the ietf-netconf "operation" attribute as metadata.  libnetconf2 applies
 * nothing, so the edit semantics of RFC 6241 §7.2 are built here, as a
 * list of mgmtd edits { op, xpath, value } that mgmtd applies to the
 * shared candidate all or nothing (one EditRequest):
 *
 *	merge	a leaf or leaf-list entry: MERGE path value; an inner node
 *		with children other than its keys: its children, in turn;
 *		one without (an empty container, a list entry by its keys
 *		alone): MERGE path, which creates it.
 *	create	CREATE path [value] (data-exists if it is there), then
 *		the node's children as merges.
 *	replace	REPLACE path [value] (the old subtree goes), then the
 *		children as merges.
 *	delete	DELETE path (data-missing if absent); children ignored.
 *	remove	REMOVE path; children ignored.
 *	none	(default-operation none) nothing for the node itself; its
 *		children are visited for their own operations.
 *
 * An operation attribute on a node overrides the one inherited from its
 * parent and is inherited by its children (RFC 6241 §7.2, "operation").
 * List keys are part of the path and never edited on their own.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "netconfd.h"
#include "wp_log.h"
#include "wp_mem.h"

static const char *
edit_op_name(enum wp_mgmt_op op)
{
	static const char *const names[] = {
		[WP_MGMT_OP_MERGE] = "merge", [WP_MGMT_OP_CREATE] = "create",
		[WP_MGMT_OP_REPLACE] = "replace", [WP_MGMT_OP_DELETE] = "delete",
		[WP_MGMT_OP_REMOVE] = "remove",
	};

	return op <= WP_MGMT_OP_REMOVE ? names[op] : "?";
}

static int
edits_add(struct ncd_edits *e, enum wp_mgmt_op op, char *path,
	  const char *value)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;

		e->v = wp_realloc(MT_NETCONF, e->v, cap * sizeof(*e->v));
		e->paths = wp_realloc(MT_NETCONF, e->paths,
				      cap * sizeof(*e->paths));
		e->cap = cap;
	}
	wp_log_debugx("netconf edit: %s %s%s%s", edit_op_name(op), path,
		      value ? " = " : "", value ? value : "");
	e->paths[e->n] = path;
	e->v[e->n].op = op;
	e->v[e->n].xpath = path;
	e->v[e->n].value = value;
	e->n++;
	return 0;
}

void
ncd_edits_free(struct ncd_edits *e)
{
	for (size_t i = 0; i < e->n; i++)
		wp_free(MT_STRING, e->paths[i]);
	wp_free(MT_NETCONF, e->v);
	wp_free(MT_NETCONF, e->paths);
	memset(e, 0, sizeof(*e));
}

enum ncd_op {
	NCD_NONE,
	NCD_MERGE,
	NCD_CREATE,
	NCD_REPLACE,
	NCD_DELETE,
	NCD_REMOVE,
};

static int
op_parse(const char *s, enum ncd_op *op)
{
	static const struct { const char *name; enum ncd_op op; } ops[] = {
		{ "none", NCD_NONE }, { "merge", NCD_MERGE },
		{ "create", NCD_CREATE }, { "replace", NCD_REPLACE },
		{ "delete", NCD_DELETE }, { "remove", NCD_REMOVE },
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(s, ops[i].name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

static char *
node_path(const struct lyd_node *node)
{
	char *p = lyd_path(node, LYD_PATH_STD, NULL, 0);
	char *s;

	if (p == NULL)
		return NULL;
	s = wp_strdup(MT_STRING, p);
	free(p);
	return s;
}

/*
 * A node libyang could not take (a value of the wrong type, an unknown
 * element) is kept as an opaque node and still sent to mgmtd, whose
 * message then says precisely what is wrong with it.  Its path is its
 * parent's and its own name, module-qualified where the module changes.
 */
static char *
opaq_path(const struct lyd_node *node)
{
	const struct lyd_node_opaq *o = (const struct lyd_node_opaq *)node;
	const struct lys_module *mod = NULL;
	const char *modname = NULL, *pmod = NULL;
	char *parent = NULL, *s;
	size_t len;

	if (node->schema)
		return node_path(node);
	if (o->format == LY_VALUE_XML && o->name.module_ns)
		mod = ly_ctx_get_module_implemented_ns(LYD_CTX(node),
						       o->name.module_ns);
	modname = mod ? mod->name : o->name.module_name;
	if (node->parent) {
		parent = opaq_path(lyd_parent(node));
		if (parent == NULL)
			return NULL;
		if (lyd_parent(node)->schema)
			pmod = lyd_parent(node)->schema->module->name;
	}
	len = (parent ? strlen(parent) : 0) + strlen(o->name.name) +
	      (modname ? strlen(modname) : 0) + 3;
	s = wp_malloc(MT_STRING, len);
	if (modname && (pmod == NULL || strcmp(pmod, modname) != 0))
		snprintf(s, len, "%s/%s:%s", parent ? parent : "", modname,
			 o->name.name);
	else
		snprintf(s, len, "%s/%s", parent ? parent : "", o->name.name);
	wp_free(MT_STRING, parent);
	return s;
}

/* The operation attribute of an opaque node, or NULL. */
static const char *
opaq_operation(const struct lyd_node *node)
{
	const struct lyd_node_opaq *o = (const struct lyd_node_opaq *)node;
	const struct lyd_attr *a;

	for (a = o->attr; a; a = a->next)
		if (strcmp(a->name.name, "operation") == 0 &&
		    (a->format != LY_VALUE_XML || a->name.module_ns == NULL ||
		     strcmp(a->name.module_ns,
			    "urn:ietf:params:xml:ns:netconf:base:1.0") == 0))
			return a->value;
	return NULL;
}

static int
edit_opaq(const struct lyd_node *node, enum ncd_op op,
	  struct ncd_edits *out, char *err, size_t errlen)
{
	const struct lyd_node_opaq *o = (const struct lyd_node_opaq *)node;
	const char *ops = opaq_operation(node);
	char *path;

	if (ops && op_parse(ops, &op) == -1) {
		snprintf(err, errlen, "bad operation \"%s\"", ops);
		return -1;
	}
	if (op == NCD_NONE)
		return 0;
	path = opaq_path(node);
	if (path == NULL) {
		snprintf(err, errlen, "unknown element \"%s\"", o->name.name);
		return -1;
	}
	switch (op) {
	case NCD_DELETE:
		return edits_add(out, WP_MGMT_OP_DELETE, path, NULL);
	case NCD_REMOVE:
		return edits_add(out, WP_MGMT_OP_REMOVE, path, NULL);
	case NCD_CREATE:
		return edits_add(out, WP_MGMT_OP_CREATE, path, o->value);
	case NCD_REPLACE:
		return edits_add(out, WP_MGMT_OP_REPLACE, path, o->value);
	default:
		return edits_add(out, WP_MGMT_OP_MERGE, path, o->value);
	}
}

static bool
has_nonkey_children(const struct lyd_node *node)
{
	const struct lyd_node *c;

	LY_LIST_FOR(lyd_child(node), c)
		if (c->schema == NULL || !lysc_is_key(c->schema))
			return true;
	return false;
}

static int edit_node(const struct lys_module *nc, const struct lyd_node *node,
		     enum ncd_op inherited, struct ncd_edits *out, char *err,
		     size_t errlen);

static int
edit_children(const struct lys_module *nc, const struct lyd_node *node,
	      enum ncd_op op, struct ncd_edits *out, char *err, size_t errlen)
{
	const struct lyd_node *c;

	LY_LIST_FOR(lyd_child(node), c) {
		if (c->schema && lysc_is_key(c->schema))
			continue;
		if (edit_node(nc, c, op, out, err, errlen) == -1)
			return -1;
	}
	return 0;
}

static int
edit_node(const struct lys_module *nc, const struct lyd_node *node,
	  enum ncd_op inherited, struct ncd_edits *out, char *err,
	  size_t errlen)
{
	struct lyd_meta *m;
	enum ncd_op op = inherited;
	bool term;
	const char *value;
	char *path;

	if (node->schema == NULL)
		return edit_opaq(node, inherited, out, err, errlen);
	m = nc ? lyd_find_meta(node->meta, nc, "operation") : NULL;
	if (m && op_parse(lyd_get_meta_value(m), &op) == -1) {
		snprintf(err, errlen, "bad operation \"%s\"",
			 lyd_get_meta_value(m));
		return -1;
	}
	term = (node->schema->nodetype & LYD_NODE_TERM) != 0;
	value = term ? lyd_get_value(node) : NULL;

	switch (op) {
	case NCD_NONE:
		return edit_children(nc, node, NCD_NONE, out, err, errlen);
	case NCD_MERGE:
		if (!term && has_nonkey_children(node))
			return edit_children(nc, node, NCD_MERGE, out, err,
					     errlen);
		path = node_path(node);
		return path ? edits_add(out, WP_MGMT_OP_MERGE, path, value) : -1;
	case NCD_CREATE:
	case NCD_REPLACE:
		path = node_path(node);
		if (path == NULL)
			return -1;
		edits_add(out, op == NCD_CREATE ? WP_MGMT_OP_CREATE :
			  WP_MGMT_OP_REPLACE, path, value);
		return term ? 0 : edit_children(nc, node, NCD_MERGE, out, err,
						errlen);
	case NCD_DELETE:
	case NCD_REMOVE:
		path = node_path(node);
		if (path == NULL)
			return -1;
		return edits_add(out, op == NCD_DELETE ? WP_MGMT_OP_DELETE :
				 WP_MGMT_OP_REMOVE, path, NULL);
	}
	return -1;
}

int
ncd_edits_from_tree(struct ly_ctx *ctx, const struct lyd_node *tree,
		    const char *defop, struct ncd_edits *out, char *err,
		    size_t errlen)
{
	const struct lys_module *nc =
		ly_ctx_get_module_implemented(ctx, "ietf-netconf");
	enum ncd_op op;
	const struct lyd_node *n;

	if (op_parse(defop, &op) == -1 ||
	    (op != NCD_MERGE && op != NCD_NONE)) {
		snprintf(err, errlen, "bad default-operation \"%s\"", defop);
		return -1;
	}
	LY_LIST_FOR(tree, n)
		if (edit_node(nc, n, op, out, err, errlen) == -1)
			return -1;
	return 0;
}

void
ncd_strip_operations(struct ly_ctx *ctx, struct lyd_node *tree)
{
	const struct lys_module *nc =
		ly_ctx_get_module_implemented(ctx, "ietf-netconf");
	struct lyd_node *top, *elem;
	struct lyd_meta *m;

	if (nc == NULL)
		return;
	LY_LIST_FOR(tree, top) {
		LYD_TREE_DFS_BEGIN(top, elem) {
			while ((m = lyd_find_meta(elem->meta, nc,
						  "operation")) != NULL)
				lyd_free_meta_single(m);
			LYD_TREE_DFS_END(top, elem);
		}
	}
}
