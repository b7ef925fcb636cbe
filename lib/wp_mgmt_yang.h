/*
 * wp_mgmt_yang: the libyang context of Waypoint's YANG modules, and the
 * helpers a daemon needs to read the configuration mgmtd sends it.
 *
 * Modules are found on a search path: the directories given by the
 * caller (mgmtd's --yang-path), then $WP_YANG_PATH, then the install
 * directory (YANGDIR); each is colon-separated.  Every file named
 * waypoint-*.yang in those directories is loaded with all its features
 * enabled, so mgmtd and the daemons agree on the schema as long as they
 * see the same path.
 *
 * A daemon that works on libyang trees:
 *
 *	ctx = wp_mgmt_yang_ctx_get(err, sizeof(err));	// shared, refcounted
 *	...in the prepare callback:
 *	if (wp_mgmt_yang_parse(ctx, json_full, &tree, err, errlen) == -1)
 *		return -1;
 *	...
 *	wp_mgmt_yang_ctx_put();				// at shutdown
 *
 * A daemon that prefers json-c parses the same text with
 * json_tokener_parse(): it is RFC 7951 JSON, one member per top-level
 * container ("waypoint-routing:routing"), defaults included.
 *
 * libyang allocates with malloc(), outside the memory types.
 */
#ifndef WP_MGMT_YANG_H
#define WP_MGMT_YANG_H

#include <stdbool.h>
#include <stddef.h>

#include <libyang/libyang.h>

#define WP_YANG_PATH_ENV	"WP_YANG_PATH"

/*
 * The search path: `extra` (may be NULL or ""), $WP_YANG_PATH and YANGDIR
 * joined with ':'.  Release with wp_free(MT_STRING, ...).
 */
char *wp_mgmt_yang_path(const char *extra);

/*
 * A new context with every waypoint-*.yang on the search path (see
 * wp_mgmt_yang_path()) loaded, all features enabled.  *nmods (may be
 * NULL) receives how many modules were loaded; a path without any is
 * not an error.  NULL with a message in `err` when a module fails to
 * load.  Free with ly_ctx_destroy().
 */
struct ly_ctx *wp_mgmt_yang_ctx_new(const char *extra, size_t *nmods,
				    char *err, size_t errlen);

/*
 * The process's shared context, created on first use from
 * $WP_YANG_PATH and YANGDIR; each get is matched by a put, the last put
 * destroys it (free every tree first).
 */
struct ly_ctx *wp_mgmt_yang_ctx_get(char *err, size_t errlen);
void wp_mgmt_yang_ctx_put(void);

/*
 * Parse configuration JSON as sent in ConfigPrepare (the full config or
 * the diff) into *tree, without validation: mgmtd validated the whole
 * configuration already, and a daemon's part alone may hold leafrefs to
 * another daemon's data.  "{}" and "" give an empty tree (NULL).
 * -1 with a message in `err`.  Free the tree with lyd_free_all().
 */
int wp_mgmt_yang_parse(struct ly_ctx *ctx, const char *json,
		       struct lyd_node **tree, char *err, size_t errlen);

/* The schema node of a data path (predicates are ignored), or NULL. */
const struct lysc_node *wp_mgmt_yang_schema(const struct ly_ctx *ctx,
					    const char *path);

/* libyang's first error, made readable. */
struct wp_mgmt_yang_err {
	char msg[512];		/* "Unsatisfied range - value "30" is out of
				   the allowed range (allowed: 68..65535)" */
	char path[512];		/* data path of the instance when libyang
				   knows it, else the schema path, or "" */
	unsigned int line;	/* line in the parsed text, 0 if unknown */
};

/*
 * Describe the first error stored on `ctx`, then clear the stored
 * errors.  Range, length and enumeration errors get the allowed values
 * appended, since libyang only says that the value is not one of them.
 * With no stored error, msg is "unknown libyang error".
 */
void wp_mgmt_yang_error(struct ly_ctx *ctx, struct wp_mgmt_yang_err *e);

/* Route libyang's log to wp_log (debug level) and store errors for
 * wp_mgmt_yang_error(); done by the context constructors. */
void wp_mgmt_yang_log_init(void);

#endif /* WP_MGMT_YANG_H */
