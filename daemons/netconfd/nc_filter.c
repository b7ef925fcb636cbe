/*
 * nc_filter.c: subtree filtering (RFC 6241 §6) for <get-config> and <get>.
 *
 * libyang and libnetconf2 have no subtree filter, so it is done here, on
 * libyang trees: the filter is parsed by libyang without validation
 * (ncd_filter_parse), then walked side by side with the data, building a
 * new tree of the selected nodes (ncd_filter_apply).
 *
 * The filter's nodes are of three kinds (§6.2):
 *	containment	has child elements: select under it (§6.2.3)
 *	selection	empty: the whole data subtree (§6.2.4)
 *	content match	a leaf with text: a test on its parent (§6.2.5)
 * A data node matches a filter node by name and namespace; a filter node
 * without a namespace, or in the NETCONF base namespace it inherits from
 * <filter>, matches every namespace (§6.2.1).
 *
 * For one data instance and the filter siblings under the filter node it
 * matched: every content match node must find a data child with that
 * value, or the instance is left out; when the siblings are all content
 * match nodes the instance is selected whole; otherwise the content
 * match leaves, the selected subtrees and whatever the containment nodes
 * select are output.  A containment node that selects nothing outputs
 * nothing.  Several filter nodes may match one data node (two <interface>
 * entries for two names): the output is their union.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "nc_filter.h"

#define NC_BASE_NS	"urn:ietf:params:xml:ns:netconf:base:1.0"

enum fkind {
	F_CONTAINMENT,
	F_SELECTION,
	F_CONTENT,
};

/* --- the filter's nodes: typed or opaque ------------------------------------ */

static const char *
f_name(const struct lyd_node *f)
{
	if (f->schema)
		return f->schema->name;
	return ((const struct lyd_node_opaq *)f)->name.name;
}

static const char *
f_ns(const struct lyd_node *f)
{
	const struct lyd_node_opaq *o = (const struct lyd_node_opaq *)f;

	if (f->schema)
		return f->schema->module->ns;
	return o->format == LY_VALUE_XML ? o->name.module_ns : NULL;
}

/* The text of a filter leaf, NULL for a typed inner node. */
static const char *
f_text(const struct lyd_node *f)
{
	if (f->schema == NULL)
		return ((const struct lyd_node_opaq *)f)->value;
	if (f->schema->nodetype & LYD_NODE_TERM)
		return lyd_get_value(f);
	return NULL;
}

static bool
blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static enum fkind
f_kind(const struct lyd_node *f)
{
	if (lyd_child(f))
		return F_CONTAINMENT;
	return blank(f_text(f)) ? F_SELECTION : F_CONTENT;
}

/* `text` without the white space around it: the start, its length in
 * *n.  Surrounding white space in the filter is not part of a value. */
static const char *
trim(const char *text, size_t *n)
{
	while (isspace((unsigned char)*text))
		text++;
	*n = strlen(text);
	while (*n && isspace((unsigned char)text[*n - 1]))
		(*n)--;
	return text;
}

/* Does the content match node's text equal `value`? */
static bool
text_eq(const char *text, const char *value)
{
	size_t n;

	if (value == NULL)
		return false;
	text = trim(text, &n);
	return strlen(value) == n && strncmp(text, value, n) == 0;
}

const char *
ncd_filter_value(const struct lyd_node *f, size_t *len)
{
	const char *t = f_text(f);

	return t ? trim(t, len) : NULL;
}

/* §6.2.1: same name, and same namespace unless the filter's is a
 * wildcard. */
static bool
f_matches(const struct lyd_node *f, const struct lyd_node *d)
{
	const char *ns = f_ns(f);

	if (d->schema == NULL || strcmp(f_name(f), d->schema->name) != 0)
		return false;
	if (ns == NULL || *ns == '\0' || strcmp(ns, NC_BASE_NS) == 0)
		return true;
	return strcmp(ns, d->schema->module->ns) == 0;
}

static bool
content_matches(const struct lyd_node *f, const struct lyd_node *d)
{
	return (d->schema->nodetype & LYD_NODE_TERM) &&
	       text_eq(f_text(f), lyd_get_value(d));
}

/* --- the output tree ---------------------------------------------------------- */

/* Free output node `n`, keeping *first right at the top level. */
static void
out_drop(struct lyd_node *parent, struct lyd_node **first, struct lyd_node *n)
{
	if (parent == NULL && n == *first)
		*first = n->next;
	lyd_free_tree(n);
}

/* The copy of data node `d` already output under `parent` (or among
 * the top-level siblings *first), or NULL. */
static struct lyd_node *
out_find(struct lyd_node *parent, struct lyd_node **first,
	 const struct lyd_node *d)
{
	struct lyd_node *sibs = parent ? lyd_child(parent) : *first;
	struct lyd_node *have = NULL;

	if (sibs == NULL || lyd_find_sibling_first(sibs, d, &have) !=
	    LY_SUCCESS)
		return NULL;
	return have;
}

/*
 * Put a copy of data node `d` under `parent` (or among the top-level
 * siblings *first): the whole subtree when `whole`, else the node alone
 * (a list entry with its keys).  A copy already there is reused, or
 * replaced by the whole subtree.  The copy in *copy; -1 on failure.
 */
static int
out_add(struct lyd_node *parent, struct lyd_node **first,
	const struct lyd_node *d, bool whole, struct lyd_node **copy)
{
	struct lyd_node *have = out_find(parent, first, d), *dup = NULL;

	if (have) {
		if (!whole || (have->schema->nodetype & LYD_NODE_TERM)) {
			*copy = have;
			return 0;
		}
		out_drop(parent, first, have);
	}
	if (lyd_dup_single(d, NULL, whole ? LYD_DUP_RECURSIVE : 0, &dup) !=
	    LY_SUCCESS)
		return -1;
	if (parent) {
		if (lyd_insert_child(parent, dup) != LY_SUCCESS)
			goto out_free;
	} else if (lyd_insert_sibling(*first, dup, first) != LY_SUCCESS) {
		goto out_free;
	}
	*copy = dup;
	return 0;
out_free:
	lyd_free_tree(dup);
	return -1;
}

/* The number of children of `n` that are not list keys. */
static size_t
nonkey_children(const struct lyd_node *n)
{
	const struct lyd_node *c;
	size_t k = 0;

	LY_LIST_FOR(lyd_child(n), c)
		if (!lysc_is_key(c->schema))
			k++;
	return k;
}

/* --- the walk -------------------------------------------------------------------- */

static int select_under(const struct lyd_node *fsibs,
			const struct lyd_node *dsibs, struct lyd_node *parent,
			struct lyd_node **first, size_t *added);

/* A containment node `f` matched `d`: output what it selects under d. */
static int
contain(const struct lyd_node *f, const struct lyd_node *d,
	struct lyd_node *parent, struct lyd_node **first, size_t *added)
{
	struct lyd_node *copy;
	bool fresh;
	size_t n = 0;
	int rc;

	if (!(d->schema->nodetype & LYD_NODE_INNER))
		return 0;
	fresh = out_find(parent, first, d) == NULL;
	if (out_add(parent, first, d, false, &copy) == -1)
		return -1;
	rc = select_under(lyd_child(f), lyd_child(d), copy, NULL, &n);
	if (rc == -1)
		return -1;
	/* Nothing selected (the keys of a list entry alone do not count
	 * unless the filter asked for them): no output for this one. */
	if (fresh && (rc == 0 || (n == 0 && nonkey_children(copy) == 0))) {
		out_drop(parent, first, copy);
		return 0;
	}
	if (rc == 1)
		(*added)++;
	return 0;
}

/*
 * The filter siblings `fsibs` under one data instance whose children
 * are `dsibs`; output under `parent` (or among *first at the top).
 * 1 when the instance matches, 0 when a content match fails, -1 on
 * failure; *added counts the nodes output.
 */
static int
select_under(const struct lyd_node *fsibs, const struct lyd_node *dsibs,
	     struct lyd_node *parent, struct lyd_node **first, size_t *added)
{
	const struct lyd_node *f, *d;
	struct lyd_node *copy;
	bool all_content = fsibs != NULL;

	/* §6.2.5: every content match node must hold for the instance. */
	LY_LIST_FOR(fsibs, f) {
		bool found = false;

		if (f_kind(f) != F_CONTENT) {
			all_content = false;
			continue;
		}
		LY_LIST_FOR(dsibs, d)
			if (f_matches(f, d) && content_matches(f, d)) {
				found = true;
				break;
			}
		if (!found)
			return 0;
	}
	LY_LIST_FOR(dsibs, d) {
		if (all_content) {
			if (out_add(parent, first, d, true, &copy) == -1)
				return -1;
			(*added)++;
			continue;
		}
		LY_LIST_FOR(fsibs, f) {
			if (!f_matches(f, d))
				continue;
			switch (f_kind(f)) {
			case F_CONTENT:
				if (!content_matches(f, d))
					break;
				/* fall through */
			case F_SELECTION:
				if (out_add(parent, first, d, true, &copy) ==
				    -1)
					return -1;
				(*added)++;
				break;
			case F_CONTAINMENT:
				if (contain(f, d, parent, first, added) == -1)
					return -1;
				break;
			}
		}
	}
	return 1;
}

int
ncd_filter_apply(const struct lyd_node *filter, const struct lyd_node *data,
		 struct lyd_node **out)
{
	size_t added = 0;

	*out = NULL;
	if (filter == NULL || data == NULL)
		return 0;
	/* The top level is the children of an instance nobody tests. */
	if (select_under(filter, data, NULL, out, &added) == -1) {
		lyd_free_siblings(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Does filter node `f` name schema node `name` of namespace `ns`? */
static bool
f_names(const struct lyd_node *f, const char *ns, const char *name)
{
	const char *fns = f_ns(f);

	if (strcmp(f_name(f), name) != 0)
		return false;
	return fns == NULL || *fns == '\0' || strcmp(fns, NC_BASE_NS) == 0 ||
	       strcmp(fns, ns) == 0;
}

/* All of `fsibs` are content match nodes (they select whole instances,
 * §6.2.5). */
static bool
all_content(const struct lyd_node *fsibs)
{
	const struct lyd_node *f;

	LY_LIST_FOR(fsibs, f)
		if (f_kind(f) != F_CONTENT)
			return false;
	return fsibs != NULL;
}

bool
ncd_filter_selects(const struct lyd_node *filter, const char *ns,
		   const char *const *names)
{
	const struct lyd_node *f;

	if (names[0] == NULL)
		return true;
	LY_LIST_FOR(filter, f) {
		if (!f_names(f, ns, names[0]))
			continue;
		switch (f_kind(f)) {
		case F_SELECTION:
			return true;
		case F_CONTENT:
			break;
		case F_CONTAINMENT:
			if (names[1] == NULL || all_content(lyd_child(f)) ||
			    ncd_filter_selects(lyd_child(f), ns, names + 1))
				return true;
			break;
		}
	}
	return false;
}

const struct lyd_node *
ncd_filter_content(const struct lyd_node *filter, const char *ns,
		   const char *const *names, const char *leaf)
{
	const struct lyd_node *f, *one = NULL;

	LY_LIST_FOR(filter, f) {
		if (names[0] == NULL) {
			/* At the entry: its content match on `leaf`. */
			if (f_kind(f) == F_CONTENT && f_names(f, ns, leaf)) {
				if (one)
					return NULL;
				one = f;
			}
			continue;
		}
		if (!f_names(f, ns, names[0]))
			continue;
		/* Two for one node select a union; a selection node all. */
		if (one || f_kind(f) != F_CONTAINMENT)
			return NULL;
		one = f;
	}
	if (one == NULL || names[0] == NULL)
		return one;
	return ncd_filter_content(lyd_child(one), ns, names + 1, leaf);
}

int
ncd_filter_parse(struct ly_ctx *ctx, const char *xml,
		 struct lyd_node **filter, char *err, size_t errlen)
{
	const struct ly_err_item *e;

	*filter = NULL;
	if (blank(xml))
		return 0;
	if (lyd_parse_data_mem(ctx, xml, LYD_XML, LYD_PARSE_ONLY |
			       LYD_PARSE_OPAQ, 0,
			       filter) == LY_SUCCESS)
		return 0;
	e = ly_err_last(ctx);
	snprintf(err, errlen, "filter: %s", e && e->msg ? e->msg :
		 "cannot parse");
	ly_err_clean(ctx, NULL);
	lyd_free_all(*filter);
	*filter = NULL;
	return -1;
}
