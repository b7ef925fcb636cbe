/*
 * wp_yang: the libyang context holding Waypoint's YANG modules, and the
 * data-tree helpers every user of it needs (mgmtd, vtysh, the daemons'
 * northbound code, tools/wpcli).
 *
 *	struct ly_ctx *ctx;
 *	char *err;
 *
 *	if (wp_yang_ctx_new(NULL, &ctx, &err) == -1)
 *		wp_fatalx("%s", err);
 *	if (wp_yang_parse_file(ctx, "r1.json", &tree, &err) == -1) ...
 *	text = wp_yang_print(tree, LYD_XML);
 *
 * Modules are found on the YANG search path: the directories the caller
 * gives (mgmtd's --yang-path, a test's source tree), then $WP_YANG_PATH,
 * then YANGDIR (the install directory); each part is colon-separated.
 * Without a module list, every waypoint-*.yang file on the path is
 * loaded, all features enabled, so mgmtd, vtysh and the daemons agree on
 * the schema as long as they see the same path.  Keep one copy of a
 * module on the path: libyang picks among copies by revision, not by
 * directory order.  ietf-inet-types and ietf-yang-types come with
 * libyang.
 *
 * A daemon reading the configuration mgmtd sends it shares one context
 * per process and parses without validation (mgmtd validated the whole
 * configuration; a daemon's part alone may hold leafrefs to another
 * daemon's data):
 *
 *	ctx = wp_yang_ctx_get(&err);			// refcounted
 *	if (wp_yang_parse_only(ctx, json, LYD_JSON, &tree, &err) == -1) ...
 *	wp_yang_ctx_put();				// at shutdown
 *
 * Errors.  libyang's messages are turned into one line per error that
 * names the data path (or the schema path when libyang has no instance)
 * and the constraint that failed, then libyang's explanation, improved
 * where it is terse:
 *
 *	% /waypoint-interface:interfaces/interface[name='eth0']/mtu: range:
 *	  value 50 is outside 68..65535
 *
 * wp_yang_ctx_new() switches libyang's logger to storing errors instead
 * of printing them, for the whole process.
 *
 * Order.  wp_yang_sort() puts every "ordered-by system" list and
 * leaf-list in one canonical order (keys compared in key order: numbers
 * and addresses by value, other strings naturally, "eth2" before
 * "eth10"), so two trees with the same content compare equal with
 * lyd_compare_siblings() whatever order they were built in.  The parsers
 * here and in wp_cli return sorted trees; the CLI renderer uses the same
 * order.
 *
 * Strings returned are released with wp_free(MT_STRING, s).
 */
#ifndef WP_YANG_H
#define WP_YANG_H

#include <stdbool.h>
#include <stddef.h>

#include <libyang/libyang.h>

#define WP_YANG_PATH_ENV	"WP_YANG_PATH"

/*
 * The search path: `extra` (may be NULL or ""), $WP_YANG_PATH and YANGDIR
 * joined with ':'.  Release with wp_free(MT_STRING, ...).
 */
char *wp_yang_path(const char *extra);

/*
 * A context with `modules` (NULL-terminated; NULL: every waypoint-*.yang
 * on the path) loaded from the search path with `extra` first, all
 * features enabled, then compiled.  A path holding no module gives an
 * empty context, not an error (wp_yang_ctx_count() says so).  On -1,
 * *err (if not NULL) holds the reason.
 */
int wp_yang_ctx_new(const char *extra, const char *const *modules,
		    struct ly_ctx **ctx, char **err);
void wp_yang_ctx_free(struct ly_ctx *ctx);
/* How many waypoint-* modules `ctx` implements. */
size_t wp_yang_ctx_count(const struct ly_ctx *ctx);

/*
 * The process's shared context, made on first use from $WP_YANG_PATH and
 * YANGDIR; each get is matched by a put, the last put destroys it (free
 * every tree first).  NULL with *err (if not NULL) set on failure.
 */
struct ly_ctx *wp_yang_ctx_get(char **err);
void wp_yang_ctx_put(void);

/* --- errors ----------------------------------------------------------- */

struct wp_yang_err {
	char *path;		/* data path, else schema path, else "" */
	const char *constraint;	/* "range", "must", "leafref", ... */
	char *msg;		/* what is wrong, in words */
	unsigned int line;	/* input line when parsing text, else 0 */
};

/*
 * Take the errors libyang stored in `ctx` (clearing them) into a new
 * array; `tree`, if not NULL, is searched to name the instance behind an
 * error libyang reports with a schema path only (a missing mandatory
 * node).  Returns the count; *errs is NULL when there are none.
 */
size_t wp_yang_errors_take(const struct ly_ctx *ctx,
			   const struct lyd_node *tree,
			   struct wp_yang_err **errs);
void wp_yang_errors_free(struct wp_yang_err *errs, size_t n);
/* "% PATH: CONSTRAINT: MSG" */
char *wp_yang_err_fmt(const struct wp_yang_err *e);
/* All errors stored in `ctx` formatted, one per line ('\n'-separated). */
char *wp_yang_errmsg(const struct ly_ctx *ctx, const struct lyd_node *tree);

/* --- data --------------------------------------------------------------- */

/*
 * Parse configuration data (LYD_JSON or LYD_XML), validate it and sort
 * it.  Validation adds default nodes, so an empty document may give a
 * tree of those alone (it prints and renders as empty).  On -1, *err (if
 * not NULL) has one line per error, prefixed "LINE: " when libyang knows
 * the line, and *tree is NULL.
 */
int wp_yang_parse(struct ly_ctx *ctx, const char *text, LYD_FORMAT fmt,
		  struct lyd_node **tree, char **err);
/*
 * Parse without validating or sorting: a daemon's part of the
 * configuration as mgmtd sends it, or a stored diff.  Blank text and "{}"
 * give an empty tree (NULL).  Errors as wp_yang_parse().
 */
int wp_yang_parse_only(struct ly_ctx *ctx, const char *text, LYD_FORMAT fmt,
		       struct lyd_node **tree, char **err);
/* The format from the name: ".json" or ".xml"; LYD_UNKNOWN otherwise. */
LYD_FORMAT wp_yang_format_of(const char *path);
/* Read and parse a .json or .xml file; errors are prefixed "PATH:". */
int wp_yang_parse_file(struct ly_ctx *ctx, const char *path,
		       struct lyd_node **tree, char **err);

/* Validate a configuration tree in place (adds default nodes). */
int wp_yang_validate(struct ly_ctx *ctx, struct lyd_node **tree, char **err);

/*
 * The tree with all its siblings as JSON or XML, explicit nodes only;
 * an empty tree prints as "{}\n" (JSON) or "" (XML).
 */
char *wp_yang_print(const struct lyd_node *tree, LYD_FORMAT fmt);

/* Canonical order, see above; *tree may change (first sibling). */
void wp_yang_sort(struct lyd_node **tree);
/* The value order wp_yang_sort() uses, on canonical value strings. */
int wp_yang_value_cmp(const char *a, const char *b);
/* Compare two list instances by their keys (leaf-list: values). */
int wp_yang_instance_cmp(const struct lyd_node *a, const struct lyd_node *b);

/* Same content, default nodes aside (full recursion, order included). */
bool wp_yang_equal(const struct lyd_node *a, const struct lyd_node *b);
/*
 * libyang diff (with yang:operation metadata) turning `from` into `to`;
 * *diff is NULL when they are the same.  Release with lyd_free_all().
 */
int wp_yang_diff(const struct lyd_node *from, const struct lyd_node *to,
		 struct lyd_node **diff);

/* --- schema ------------------------------------------------------------- */

/* What a leaf's values look like, for the CLI and for messages. */
enum wp_yang_tclass {
	WP_YT_OTHER,
	WP_YT_STRING,
	WP_YT_INT,		/* signed or unsigned integer */
	WP_YT_DEC64,
	WP_YT_BOOL,
	WP_YT_EMPTY,
	WP_YT_ENUM,
	WP_YT_IDENTITY,
	WP_YT_UNION,
	WP_YT_IPV4,
	WP_YT_IPV4_PREFIX,
	WP_YT_IPV6,
	WP_YT_IPV6_PREFIX,
};

/* Class of a compiled type; leafrefs are followed to their target. */
enum wp_yang_tclass wp_yang_type_class(const struct lysc_type *type);
/* "IPv4 address", "IPv6 prefix", "number", ... */
const char *wp_yang_tclass_name(enum wp_yang_tclass c);
/* A leafref's target type, or `type` itself. */
const struct lysc_type *wp_yang_type_real(const struct lysc_type *type);
/*
 * An integer type's allowed values as "MIN..MAX" (ranges joined by
 * " | "), or a string type's lengths; "" if unrestricted.  Returns MT_STRING.
 */
char *wp_yang_type_bounds(const struct lysc_type *type);

/*
 * The schema node of a data path ("/m:a/b[k='v']/c"); predicates are
 * ignored.  NULL if there is none (a lookup: no error is stored).
 */
const struct lysc_node *wp_yang_schema_of_path(const struct ly_ctx *ctx,
					       const char *path);

#endif /* WP_YANG_H */
