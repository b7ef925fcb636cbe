/*
 * nc_filter.h: NETCONF subtree filtering (RFC 6241 §6) on libyang trees.
 * Pure: no session, no I/O, so it is unit-tested on its own.
 */
#ifndef NC_FILTER_H
#define NC_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <libyang/libyang.h>

/*
 * Parse the content of a <filter type="subtree"> (XML text, the children
 * of <filter>) into a tree of filter nodes: typed where the node names a
 * schema node and its value fits, opaque otherwise (selection nodes are
 * empty, lists need no keys).  An empty filter gives *filter == NULL.
 * -1 with a message in err when the XML is not well formed.
 */
int ncd_filter_parse(struct ly_ctx *ctx, const char *xml,
		     struct lyd_node **filter, char *err, size_t errlen);

/*
 * Apply the filter (its first top-level sibling; NULL selects nothing,
 * §6.4.2) to `data` (its first top-level sibling) and return the
 * selected nodes as a new tree in *out (NULL when nothing matched).
 * List entries keep their keys.  -1 on allocation failure.
 */
int ncd_filter_apply(const struct lyd_node *filter,
		     const struct lyd_node *data, struct lyd_node **out);

/*
 * May the filter (its first top-level sibling) select something at or
 * under the schema node reached by `names` (node names from the top,
 * NULL-terminated, all in namespace `ns`)?  An answer of true may still
 * select nothing once the data is there (content match nodes are not
 * tried); false is sure.
 */
bool ncd_filter_selects(const struct lyd_node *filter, const char *ns,
			const char *const *names);

/*
 * The content match node on `leaf` that every selection at the list
 * entry reached by `names` (as above) goes through, or NULL when there
 * is none, or more than one way down: a caller may then ask for that
 * entry alone.
 */
const struct lyd_node *ncd_filter_content(const struct lyd_node *filter,
					  const char *ns,
					  const char *const *names,
					  const char *leaf);

/* The text of content match node `f` without the white space around
 * it (not NUL-terminated there: its length in *len); NULL if none. */
const char *ncd_filter_value(const struct lyd_node *f, size_t *len);

#endif /* NC_FILTER_H */
