/*
 * wp_yang.c: the libyang context, error messages, parsing, printing,
 * canonical order and comparison of configuration trees.
 *
 * Errors flow out of libyang as ly_err_item records stored in the
 * context (wp_yang_ctx_new() turns printing off).  errors_take() reads
 * them once: the path comes out of libyang's "Data location" / "Schema
 * location" text, the constraint from the error-app-tag or the message,
 * and a few terse messages are rewritten with what the schema knows (the
 * allowed range, the address family).
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libyang/plugins_types.h>

#include "wp_log.h"
#include "wp_mem.h"
#include "wp_prefix.h"
#include "wp_vty_int.h"
#include "wp_yang.h"

#ifndef YANGDIR
#define YANGDIR "/usr/local/share/waypoint/yang"
#endif

WP_MEMTYPE_DEFINE(MT_YANG, "yang helpers");

WP_DEBUG_DEFINE(DBG_YANG, "yang");

#define MOD_PREFIX	"waypoint-"
#define MOD_SUFFIX	".yang"

static struct {
	struct ly_ctx *ctx;
	unsigned int refs;
} shared;

/* --- context ------------------------------------------------------------ */

static char *
buf_take(struct wp_vty_buf *b)
{
	char *s = wp_strndup(MT_STRING, b->data ? b->data : "", b->len);

	wp_vty_buf_free(b);
	return s;
}

/* libyang's own log goes to debug output; errors are stored as well. */
static void
ly_log_cb(LY_LOG_LEVEL level, const char *msg, const char *path)
{
	wp_debug(DBG_YANG, "libyang: %s%s%s", msg, path ? ": " : "",
		 path ? path : "");
}

char *
wp_yang_path(const char *extra)
{
	const char *env = getenv(WP_YANG_PATH_ENV);
	const char *parts[3] = { extra, env, YANGDIR };
	struct wp_vty_buf b = { 0 };

	for (size_t i = 0; i < 3; i++)
		if (parts[i] && parts[i][0])
			wp_vty_buf_printf(&b, "%s%s", b.len ? ":" : "",
					  parts[i]);
	return buf_take(&b);
}

/* "waypoint-bgp@2024-01-01.yang" -> "waypoint-bgp"; NULL if not ours. */
static char *
module_name(const char *file)
{
	size_t len = strlen(file), slen = strlen(MOD_SUFFIX);
	const char *at;

	if (strncmp(file, MOD_PREFIX, strlen(MOD_PREFIX)) != 0 ||
	    len <= slen || strcmp(file + len - slen, MOD_SUFFIX) != 0)
		return NULL;
	len -= slen;
	at = memchr(file, '@', len);
	if (at)
		len = (size_t)(at - file);
	return wp_strndup(MT_STRING, file, len);
}

/* Add the waypoint-* module names found in `dir` to *names. */
static void
scan_dir(const char *dir, char ***names, size_t *n)
{
	struct dirent *de;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		wp_debug(DBG_YANG, "yang path: %s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *name = module_name(de->d_name);
		bool dup = false;

		if (name == NULL)
			continue;
		for (size_t i = 0; i < *n && !dup; i++)
			dup = strcmp((*names)[i], name) == 0;
		if (dup) {
			wp_free(MT_STRING, name);
			continue;
		}
		*names = wp_realloc(MT_YANG, *names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = name;
	}
	closedir(d);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
wp_yang_ctx_new(const char *extra, const char *const *modules,
		struct ly_ctx **ctxp, char **err)
{
	static const char *all_features[] = { "*", NULL };
	char *path = wp_yang_path(extra), *save = NULL, *dir;
	struct wp_vty_buf b = { 0 };
	struct ly_ctx *ctx = NULL;
	char **names = NULL;
	size_t n = 0;

	ly_set_log_clb(ly_log_cb, 1);
	ly_log_options(LY_LOLOG | LY_LOSTORE);
	if (ly_ctx_new(NULL, LY_CTX_DISABLE_SEARCHDIR_CWD |
		       LY_CTX_EXPLICIT_COMPILE, &ctx) != LY_SUCCESS) {
		wp_vty_buf_printf(&b, "%% cannot create a YANG context");
		goto out_err;
	}
	for (dir = strtok_r(path, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		ly_ctx_set_searchdir(ctx, dir);
		if (modules == NULL)
			scan_dir(dir, &names, &n);
	}
	ly_err_clean(ctx, NULL);
	for (size_t i = 0; modules && modules[i]; i++) {
		names = wp_realloc(MT_YANG, names, (n + 1) * sizeof(*names));
		names[n++] = wp_strdup(MT_STRING, modules[i]);
	}
	/* Sorted, so every process loads in the same order. */
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n && b.len == 0; i++) {
		if (ly_ctx_load_module(ctx, names[i], NULL,
				       all_features) == NULL) {
			char *m = wp_yang_errmsg(ctx, NULL);

			wp_free(MT_STRING, path);
			path = wp_yang_path(extra);
			wp_vty_buf_printf(&b, "%% cannot load YANG module %s "
					  "from %s%s%s", names[i], path,
					  *m ? "\n" : "", m);
			wp_free(MT_STRING, m);
		}
	}
	if (b.len == 0 && ly_ctx_compile(ctx) != LY_SUCCESS) {
		char *m = wp_yang_errmsg(ctx, NULL);

		wp_vty_buf_printf(&b, "%% cannot compile the YANG modules\n%s",
				  m);
		wp_free(MT_STRING, m);
	}
	for (size_t i = 0; i < n; i++)
		wp_free(MT_STRING, names[i]);
	wp_free(MT_YANG, names);
	wp_free(MT_STRING, path);
	if (b.len)
		goto out_err;
	*ctxp = ctx;
	return 0;

out_err:
	ly_ctx_destroy(ctx);
	if (err)
		*err = buf_take(&b);
	else
		wp_vty_buf_free(&b);
	*ctxp = NULL;
	return -1;
}

void
wp_yang_ctx_free(struct ly_ctx *ctx)
{
	ly_ctx_destroy(ctx);
}

size_t
wp_yang_ctx_count(const struct ly_ctx *ctx)
{
	const struct lys_module *mod;
	uint32_t idx = 0;
	size_t n = 0;

	while ((mod = ly_ctx_get_module_iter(ctx, &idx)) != NULL)
		if (mod->implemented &&
		    strncmp(mod->name, MOD_PREFIX, strlen(MOD_PREFIX)) == 0)
			n++;
	return n;
}

struct ly_ctx *
wp_yang_ctx_get(char **err)
{
	if (shared.ctx == NULL &&
	    wp_yang_ctx_new(NULL, NULL, &shared.ctx, err) == -1)
		return NULL;
	shared.refs++;
	return shared.ctx;
}

void
wp_yang_ctx_put(void)
{
	if (shared.refs == 0 || --shared.refs > 0)
		return;
	ly_ctx_destroy(shared.ctx);
	shared.ctx = NULL;
}

/* --- schema ------------------------------------------------------------- */

const struct lysc_type *
wp_yang_type_real(const struct lysc_type *type)
{
	if (type && type->basetype == LY_TYPE_LEAFREF)
		return ((const struct lysc_type_leafref *)type)->realtype;
	return type;
}

enum wp_yang_tclass
wp_yang_type_class(const struct lysc_type *type)
{
	const char *id;

	type = wp_yang_type_real(type);
	if (type == NULL)
		return WP_YT_OTHER;
	switch (type->basetype) {
	case LY_TYPE_UINT8:
	case LY_TYPE_UINT16:
	case LY_TYPE_UINT32:
	case LY_TYPE_UINT64:
	case LY_TYPE_INT8:
	case LY_TYPE_INT16:
	case LY_TYPE_INT32:
	case LY_TYPE_INT64:
		return WP_YT_INT;
	case LY_TYPE_DEC64:
		return WP_YT_DEC64;
	case LY_TYPE_BOOL:
		return WP_YT_BOOL;
	case LY_TYPE_EMPTY:
		return WP_YT_EMPTY;
	case LY_TYPE_ENUM:
		return WP_YT_ENUM;
	case LY_TYPE_IDENT:
		return WP_YT_IDENTITY;
	case LY_TYPE_UNION:
		return WP_YT_UNION;
	case LY_TYPE_STRING:
		/* ietf-inet-types address types have their own plugins. */
		id = type->plugin ? type->plugin->id : NULL;
		if (id == NULL)
			return WP_YT_STRING;
		if (strstr(id, "ipv4-prefix"))
			return WP_YT_IPV4_PREFIX;
		if (strstr(id, "ipv4-address"))
			return WP_YT_IPV4;
		if (strstr(id, "ipv6-prefix"))
			return WP_YT_IPV6_PREFIX;
		if (strstr(id, "ipv6-address"))
			return WP_YT_IPV6;
		return WP_YT_STRING;
	default:
		return WP_YT_OTHER;
	}
}

const char *
wp_yang_tclass_name(enum wp_yang_tclass c)
{
	switch (c) {
	case WP_YT_STRING:
		return "string";
	case WP_YT_INT:
		return "number";
	case WP_YT_DEC64:
		return "decimal number";
	case WP_YT_BOOL:
		return "boolean";
	case WP_YT_EMPTY:
		return "flag";
	case WP_YT_ENUM:
		return "keyword";
	case WP_YT_IDENTITY:
		return "identity";
	case WP_YT_UNION:
		return "value";
	case WP_YT_IPV4:
		return "IPv4 address";
	case WP_YT_IPV4_PREFIX:
		return "IPv4 prefix";
	case WP_YT_IPV6:
		return "IPv6 address";
	case WP_YT_IPV6_PREFIX:
		return "IPv6 prefix";
	case WP_YT_OTHER:
		break;
	}
	return "value";
}

static bool
type_signed(LY_DATA_TYPE t)
{
	return t == LY_TYPE_INT8 || t == LY_TYPE_INT16 ||
	       t == LY_TYPE_INT32 || t == LY_TYPE_INT64;
}

/* The bounds of an integer type without a range statement. */
static void
type_natural_bounds(LY_DATA_TYPE t, int64_t *smin, int64_t *smax,
		    uint64_t *umax)
{
	*smin = 0;
	*smax = 0;
	*umax = 0;
	switch (t) {
	case LY_TYPE_UINT8:
		*umax = UINT8_MAX;
		break;
	case LY_TYPE_UINT16:
		*umax = UINT16_MAX;
		break;
	case LY_TYPE_UINT32:
		*umax = UINT32_MAX;
		break;
	case LY_TYPE_UINT64:
		*umax = UINT64_MAX;
		break;
	case LY_TYPE_INT8:
		*smin = INT8_MIN;
		*smax = INT8_MAX;
		break;
	case LY_TYPE_INT16:
		*smin = INT16_MIN;
		*smax = INT16_MAX;
		break;
	case LY_TYPE_INT32:
		*smin = INT32_MIN;
		*smax = INT32_MAX;
		break;
	default:
		*smin = INT64_MIN;
		*smax = INT64_MAX;
		break;
	}
}

static void
range_print(struct wp_vty_buf *b, const struct lysc_range *r, bool sgn)
{
	LY_ARRAY_COUNT_TYPE i;

	LY_ARRAY_FOR(r->parts, i) {
		const struct lysc_range_part *p = &r->parts[i];

		if (i > 0)
			wp_vty_buf_printf(b, " | ");
		if (sgn && p->min_64 == p->max_64)
			wp_vty_buf_printf(b, "%" PRId64, p->min_64);
		else if (sgn)
			wp_vty_buf_printf(b, "%" PRId64 "..%" PRId64,
					  p->min_64, p->max_64);
		else if (p->min_u64 == p->max_u64)
			wp_vty_buf_printf(b, "%" PRIu64, p->min_u64);
		else
			wp_vty_buf_printf(b, "%" PRIu64 "..%" PRIu64,
					  p->min_u64, p->max_u64);
	}
}

char *
wp_yang_type_bounds(const struct lysc_type *type)
{
	struct wp_vty_buf b = { 0 };
	const struct lysc_range *r = NULL;
	int64_t smin, smax;
	uint64_t umax;

	type = wp_yang_type_real(type);
	if (type == NULL)
		return buf_take(&b);
	if (wp_yang_type_class(type) == WP_YT_INT) {
		r = ((const struct lysc_type_num *)type)->range;
		if (r) {
			range_print(&b, r, type_signed(type->basetype));
		} else {
			type_natural_bounds(type->basetype, &smin, &smax,
					    &umax);
			if (type_signed(type->basetype))
				wp_vty_buf_printf(&b, "%" PRId64 "..%" PRId64,
						  smin, smax);
			else
				wp_vty_buf_printf(&b, "0..%" PRIu64, umax);
		}
	} else if (type->basetype == LY_TYPE_STRING) {
		r = ((const struct lysc_type_str *)type)->length;
		if (r)
			range_print(&b, r, false);
	}
	return buf_take(&b);
}

const struct lysc_node *
wp_yang_schema_of_path(const struct ly_ctx *ctx, const char *path)
{
	const struct lysc_node *sn;
	char *spath = wp_malloc(MT_TMP, strlen(path) + 1);
	char *q = spath;
	uint32_t quiet = 0;
	char quote = 0;
	int depth = 0;

	/* Drop the predicates, honouring quoted values. */
	for (const char *p = path; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			continue;
		}
		if (depth && (*p == '\'' || *p == '"')) {
			quote = *p;
			continue;
		}
		if (*p == '[') {
			depth++;
			continue;
		}
		if (*p == ']') {
			depth--;
			continue;
		}
		if (depth == 0)
			*q++ = *p;
	}
	*q = '\0';
	/* A lookup: a missing node is an answer, not an error to store. */
	ly_temp_log_options(&quiet);
	sn = *spath ? lys_find_path(ctx, NULL, spath, 0) : NULL;
	ly_temp_log_options(NULL);
	wp_free(MT_TMP, spath);
	return sn;
}

/* --- errors ------------------------------------------------------------- */

/* The text between the quotes after `label` in libyang's location. */
static char *
location_path(const char *loc, const char *label)
{
	const char *s = strstr(loc, label);
	const char *e;

	if (s == NULL)
		return NULL;
	s += strlen(label);
	if ((e = strstr(s, "\", ")) == NULL && (e = strstr(s, "\".")) == NULL)
		return NULL;
	return wp_strndup(MT_STRING, s, (size_t)(e - s));
}

/* The first "quoted" word of a libyang message. */
static char *
msg_quoted(const char *msg)
{
	const char *s = strchr(msg, '"');
	const char *e;

	if (s == NULL || (e = strchr(s + 1, '"')) == NULL)
		return NULL;
	return wp_strndup(MT_STRING, s + 1, (size_t)(e - s - 1));
}

/* A restriction's own error-message names no constraint: find it. */
static const char *
custom_constraint(const struct ly_ctx *ctx, const char *path,
		  const char *msg)
{
	const struct lysc_node *sn = wp_yang_schema_of_path(ctx, path);
	const struct lysc_type *t;
	const struct lysc_range *r = NULL;
	LY_ARRAY_COUNT_TYPE i;

	if (sn == NULL || !(sn->nodetype & LYD_NODE_TERM))
		return NULL;
	t = wp_yang_type_real(((const struct lysc_node_leaf *)sn)->type);
	if (t->basetype == LY_TYPE_STRING) {
		const struct lysc_type_str *ts = (const void *)t;

		LY_ARRAY_FOR(ts->patterns, i)
			if (ts->patterns[i]->emsg &&
			    strcmp(ts->patterns[i]->emsg, msg) == 0)
				return "pattern";
		r = ts->length;
		if (r && r->emsg && strcmp(r->emsg, msg) == 0)
			return "length";
	} else if (wp_yang_type_class(t) == WP_YT_INT) {
		r = ((const struct lysc_type_num *)t)->range;
		if (r && r->emsg && strcmp(r->emsg, msg) == 0)
			return "range";
	}
	return NULL;
}

static const char *
err_constraint(const struct ly_err_item *e)
{
	static const struct {
		const char *needle;
		const char *name;
	} apptags[] = {
		{ "must-violation", "must" },
		{ "instance-required", "leafref" },
		{ "too-many-elements", "max-elements" },
		{ "too-few-elements", "min-elements" },
		{ "data-not-unique", "unique" },
		{ "missing-choice", "mandatory" },
	}, msgs[] = {
		{ "Unsatisfied range", "range" },
		{ "min/max bounds", "range" },
		{ "Unsatisfied length", "length" },
		{ "Unsatisfied pattern", "pattern" },
		{ "Invalid leafref", "leafref" },
		{ "Must condition", "must" },
		{ "When condition", "when" },
		{ "missing its key", "missing key" },
		{ "Mandatory", "mandatory" },
		{ "Too many", "max-elements" },
		{ "Too few", "min-elements" },
		{ "Unique data", "unique" },
		{ "Duplicate instance", "duplicate" },
		{ "not found", "unknown node" },
		{ "Invalid", "type" },
	};
	size_t i;

	if (e->apptag)
		for (i = 0; i < sizeof(apptags) / sizeof(apptags[0]); i++)
			if (strcmp(e->apptag, apptags[i].needle) == 0)
				return apptags[i].name;
	switch (e->vecode) {
	case LYVE_SYNTAX:
	case LYVE_SYNTAX_YANG:
	case LYVE_SYNTAX_YIN:
	case LYVE_SYNTAX_XML:
	case LYVE_SYNTAX_JSON:
		return "syntax";
	default:
		break;
	}
	if (e->msg)
		for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
			if (strstr(e->msg, msgs[i].needle))
				return msgs[i].name;
	return e->vecode == LYVE_REFERENCE ? "unknown node" : "invalid";
}

/* "\"VAL\" is not one of: a b c" for an enumeration. */
static void
enum_list(struct wp_vty_buf *b, const char *val, const struct lysc_type *t)
{
	const struct lysc_type_enum *en = (const void *)t;
	LY_ARRAY_COUNT_TYPE i;

	wp_vty_buf_printf(b, "\"%s\" is not one of:", val);
	LY_ARRAY_FOR(en->enums, i)
		wp_vty_buf_printf(b, " %s", en->enums[i].name);
}

/* A better message where the schema tells more than libyang said. */
static char *
err_rewrite(const struct ly_ctx *ctx, const char *path,
	    const char *constraint, const char *msg)
{
	const struct lysc_node *sn = *path ? wp_yang_schema_of_path(ctx, path)
					   : NULL;
	const struct lysc_type *type = NULL;
	struct wp_vty_buf b = { 0 };
	char *val, *bounds = NULL;
	const char *target;
	enum wp_yang_tclass c;

	if (sn && (sn->nodetype & (LYS_LIST | LYS_LEAFLIST)) &&
	    strcmp(constraint, "max-elements") == 0) {
		uint32_t max = sn->nodetype == LYS_LIST ?
			       ((const struct lysc_node_list *)sn)->max :
			       ((const struct lysc_node_leaflist *)sn)->max;

		wp_vty_buf_printf(&b, "%.*s (at most %" PRIu32 ")",
				  (int)(strlen(msg) - (*msg &&
						       msg[strlen(msg) - 1] ==
						       '.')), msg, max);
		return buf_take(&b);
	}
	if (sn && (sn->nodetype & LYD_NODE_TERM))
		type = ((const struct lysc_node_leaf *)sn)->type;
	if (type == NULL || (val = msg_quoted(msg)) == NULL)
		return NULL;
	c = wp_yang_type_class(type);
	if (strcmp(constraint, "range") == 0 ||
	    strcmp(constraint, "length") == 0 ||
	    (strcmp(constraint, "type") == 0 && c == WP_YT_INT))
		bounds = wp_yang_type_bounds(type);
	if (strcmp(constraint, "range") == 0 && *bounds)
		wp_vty_buf_printf(&b, "value %s is outside %s", val, bounds);
	else if (strcmp(constraint, "length") == 0 && *bounds)
		wp_vty_buf_printf(&b, "length of \"%s\" is outside %s", val,
				  bounds);
	else if (strcmp(constraint, "type") == 0 && c == WP_YT_INT && *bounds)
		wp_vty_buf_printf(&b, "\"%s\" is not a number in %s", val,
				  bounds);
	else if (strcmp(constraint, "type") == 0 && c == WP_YT_ENUM)
		enum_list(&b, val, wp_yang_type_real(type));
	else if (strcmp(constraint, "pattern") == 0 && c >= WP_YT_IPV4)
		wp_vty_buf_printf(&b, "%s is not a valid %s", val,
				  wp_yang_tclass_name(c));
	else if (strcmp(constraint, "leafref") == 0 &&
		 (target = strstr(msg, "no target instance \"")) != NULL)
		wp_vty_buf_printf(&b, "\"%s\" is not an existing %.*s", val,
				  (int)strcspn(target + 20, "\""), target + 20);
	wp_free(MT_STRING, bounds);
	wp_free(MT_STRING, val);
	if (b.len == 0) {
		wp_vty_buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/*
 * libyang names a missing mandatory node by its schema path; find the
 * first instance of its parent that lacks it and name that instead.
 */
static char *
mandatory_instance(const struct ly_ctx *ctx, const struct lyd_node *tree,
		   const char *spath)
{
	const struct lysc_node *sn = lys_find_path(ctx, NULL, spath, 0);
	const struct lysc_node *pn;
	struct ly_set *set = NULL;
	char *ppath, *res = NULL;

	if (sn == NULL || tree == NULL)
		return NULL;
	for (pn = sn->parent; pn && (pn->nodetype & (LYS_CHOICE | LYS_CASE));
	     pn = pn->parent)
		;
	if (pn == NULL)
		return NULL;
	ppath = lysc_path(pn, LYSC_PATH_DATA, NULL, 0);
	if (ppath == NULL || lyd_find_xpath(tree, ppath, &set) != LY_SUCCESS) {
		free(ppath);
		return NULL;
	}
	free(ppath);
	for (uint32_t i = 0; i < set->count && res == NULL; i++) {
		const struct lyd_node *c;
		bool found = false;

		LY_LIST_FOR(lyd_child(set->dnodes[i]), c) {
			const struct lysc_node *s;

			for (s = c->schema; s && s != pn && !found; s = s->parent)
				found = s == sn;
			if (found)
				break;
		}
		if (!found) {
			char *ip = lyd_path(set->dnodes[i], LYD_PATH_STD,
					    NULL, 0);
			struct wp_vty_buf b = { 0 };

			wp_vty_buf_printf(&b, "%s/%s", ip ? ip : "", sn->name);
			free(ip);
			res = buf_take(&b);
		}
	}
	ly_set_free(set, NULL);
	return res;
}

size_t
wp_yang_errors_take(const struct ly_ctx *ctx, const struct lyd_node *tree,
		    struct wp_yang_err **errsp)
{
	struct wp_yang_err *errs = NULL;
	const struct ly_err_item *e;
	size_t n = 0;

	for (e = ly_err_first(ctx); e; e = e->next) {
		struct wp_yang_err *we;
		const char *ln;
		char *p = NULL, *better;
		size_t len;

		if (e->level != LY_LLERR)
			continue;
		errs = wp_realloc(MT_YANG, errs, (n + 1) * sizeof(*errs));
		we = &errs[n++];
		memset(we, 0, sizeof(*we));
		we->constraint = err_constraint(e);
		if (e->path) {
			p = location_path(e->path, "ata location \"");
			if (p == NULL) {
				p = location_path(e->path,
						  "chema location \"");
				if (p && strcmp(we->constraint,
						"mandatory") == 0) {
					char *ip = mandatory_instance(ctx, tree,
								      p);

					if (ip) {
						wp_free(MT_STRING, p);
						p = ip;
					}
				}
			}
			if ((ln = strstr(e->path, "line number ")) != NULL)
				we->line = (unsigned int)strtoul(ln + 12,
								 NULL, 10);
		}
		we->path = p ? p : wp_strdup(MT_STRING, "");
		if (strcmp(we->constraint, "invalid") == 0 && e->msg &&
		    (ln = custom_constraint(ctx, we->path, e->msg)) != NULL)
			we->constraint = ln;
		better = err_rewrite(ctx, we->path, we->constraint,
				     e->msg ? e->msg : "");
		we->msg = better ? better : wp_strdup(MT_STRING,
						      e->msg ? e->msg : "");
		len = strlen(we->msg);
		if (len > 0 && we->msg[len - 1] == '.')
			we->msg[len - 1] = '\0';
	}
	ly_err_clean((struct ly_ctx *)(uintptr_t)ctx, NULL);
	*errsp = errs;
	return n;
}

void
wp_yang_errors_free(struct wp_yang_err *errs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		wp_free(MT_STRING, errs[i].path);
		wp_free(MT_STRING, errs[i].msg);
	}
	wp_free(MT_YANG, errs);
}

char *
wp_yang_err_fmt(const struct wp_yang_err *e)
{
	struct wp_vty_buf b = { 0 };

	if (*e->path)
		wp_vty_buf_printf(&b, "%% %s: %s: %s", e->path, e->constraint,
				  e->msg);
	else
		wp_vty_buf_printf(&b, "%% %s: %s", e->constraint, e->msg);
	return buf_take(&b);
}

static char *
errs_join(struct wp_yang_err *errs, size_t n, const char *prefix)
{
	struct wp_vty_buf b = { 0 };

	for (size_t i = 0; i < n; i++) {
		char *s = wp_yang_err_fmt(&errs[i]);

		if (prefix && errs[i].line)
			wp_vty_buf_printf(&b, "%s%u: ", prefix, errs[i].line);
		else if (prefix)
			wp_vty_buf_printf(&b, "%s ", prefix);
		else if (errs[i].line)
			wp_vty_buf_printf(&b, "%u: ", errs[i].line);
		wp_vty_buf_printf(&b, "%s%s", s, i + 1 < n ? "\n" : "");
		wp_free(MT_STRING, s);
	}
	return buf_take(&b);
}

char *
wp_yang_errmsg(const struct ly_ctx *ctx, const struct lyd_node *tree)
{
	struct wp_yang_err *errs;
	size_t n = wp_yang_errors_take(ctx, tree, &errs);
	char *s = errs_join(errs, n, NULL);

	wp_yang_errors_free(errs, n);
	return s;
}

/* --- data --------------------------------------------------------------- */

static int
parse_common(struct ly_ctx *ctx, const char *text, LYD_FORMAT fmt,
	     struct lyd_node **tree, char **err, const char *prefix)
{
	struct wp_yang_err *errs;
	size_t n;

	/*
	 * Parse, then validate: a validation error can then be traced to
	 * the instance behind it in the tree still at hand.
	 */
	*tree = NULL;
	if (lyd_parse_data_mem(ctx, text, fmt, LYD_PARSE_STRICT |
			       LYD_PARSE_NO_STATE | LYD_PARSE_ONLY, 0,
			       tree) == LY_SUCCESS &&
	    lyd_validate_all(tree, ctx, LYD_VALIDATE_NO_STATE, NULL) ==
	    LY_SUCCESS) {
		ly_err_clean(ctx, NULL);
		wp_yang_sort(tree);
		return 0;
	}
	n = wp_yang_errors_take(ctx, *tree, &errs);
	if (err)
		*err = n ? errs_join(errs, n, prefix) :
			   wp_strdup(MT_STRING, "% invalid data");
	wp_yang_errors_free(errs, n);
	lyd_free_all(*tree);
	*tree = NULL;
	return -1;
}

int
wp_yang_parse(struct ly_ctx *ctx, const char *text, LYD_FORMAT fmt,
	      struct lyd_node **tree, char **err)
{
	return parse_common(ctx, text, fmt, tree, err, NULL);
}

int
wp_yang_parse_only(struct ly_ctx *ctx, const char *text, LYD_FORMAT fmt,
		   struct lyd_node **tree, char **err)
{
	*tree = NULL;
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0')
		return 0;
	ly_err_clean(ctx, NULL);
	if (lyd_parse_data_mem(ctx, text, fmt, LYD_PARSE_ONLY |
			       LYD_PARSE_STRICT | LYD_PARSE_NO_STATE, 0,
			       tree) == LY_SUCCESS)
		return 0;
	if (err)
		*err = wp_yang_errmsg(ctx, *tree);
	else
		ly_err_clean(ctx, NULL);
	lyd_free_all(*tree);
	*tree = NULL;
	return -1;
}

LYD_FORMAT
wp_yang_format_of(const char *path)
{
	size_t len = strlen(path);

	if (len > 5 && strcmp(path + len - 5, ".json") == 0)
		return LYD_JSON;
	if (len > 4 && strcmp(path + len - 4, ".xml") == 0)
		return LYD_XML;
	return LYD_UNKNOWN;
}

int
wp_yang_parse_file(struct ly_ctx *ctx, const char *path,
		   struct lyd_node **tree, char **err)
{
	LYD_FORMAT fmt = wp_yang_format_of(path);
	struct wp_vty_buf b = { 0 }, pfx = { 0 };
	char chunk[4096];
	size_t n;
	FILE *f;
	int rc;

	*tree = NULL;
	if (fmt == LYD_UNKNOWN) {
		errno = EINVAL;
		if (err) {
			wp_vty_buf_printf(&b, "%% %s: not a .json or .xml file",
					  path);
			*err = buf_take(&b);
		}
		return -1;
	}
	if ((f = fopen(path, "r")) == NULL) {
		if (err) {
			wp_vty_buf_printf(&b, "%% %s: %s", path,
					  strerror(errno));
			*err = buf_take(&b);
		}
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		wp_vty_buf_add(&b, chunk, n);
	fclose(f);
	wp_vty_buf_printf(&pfx, "%s:", path);
	rc = parse_common(ctx, b.data ? b.data : "", fmt, tree, err, pfx.data);
	wp_vty_buf_free(&pfx);
	wp_vty_buf_free(&b);
	return rc;
}

int
wp_yang_validate(struct ly_ctx *ctx, struct lyd_node **tree, char **err)
{
	if (lyd_validate_all(tree, ctx, LYD_VALIDATE_NO_STATE, NULL) ==
	    LY_SUCCESS) {
		ly_err_clean(ctx, NULL);
		return 0;
	}
	if (err)
		*err = wp_yang_errmsg(ctx, *tree);
	else
		ly_err_clean(ctx, NULL);
	return -1;
}

char *
wp_yang_print(const struct lyd_node *tree, LYD_FORMAT fmt)
{
	char *s = NULL, *res;
	const char *p;

	if (tree)
		lyd_print_mem(&s, tree, fmt, LYD_PRINT_WITHSIBLINGS);
	/* Only default nodes, or none: libyang prints "{\n\n}\n". */
	for (p = s; p && isspace((unsigned char)*p); p++)
		;
	if (s == NULL || (fmt == LYD_JSON && p[0] == '{' &&
			  p[1 + strspn(p + 1, " \n")] == '}')) {
		free(s);
		return wp_strdup(MT_STRING, fmt == LYD_JSON ? "{}\n" : "");
	}
	res = wp_strdup(MT_STRING, s);
	free(s);
	return res;
}

/* --- order -------------------------------------------------------------- */

static bool
is_integer(const char *s)
{
	if (*s == '-')
		s++;
	return *s && s[strspn(s, "0123456789")] == '\0';
}

/* Compare two runs of digits by value, whatever their leading zeros. */
static int
digits_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c;

	while (alen > 1 && *a == '0') {
		a++;
		alen--;
	}
	while (blen > 1 && *b == '0') {
		b++;
		blen--;
	}
	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = memcmp(a, b, alen);
	return c < 0 ? -1 : c > 0;
}

static int
natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			size_t al = strspn(a, "0123456789");
			size_t bl = strspn(b, "0123456789");
			int c = digits_cmp(a, al, b, bl);

			if (c)
				return c;
			a += al;
			b += bl;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

int
wp_yang_value_cmp(const char *a, const char *b)
{
	struct wp_prefix pa, pb;
	unsigned int fl = WP_PREFIX_KEEP_HOST_BITS | WP_PREFIX_ALLOW_BARE_ADDR;

	if (wp_prefix_parse_flags(a, &pa, fl, NULL, 0) == 0 &&
	    wp_prefix_parse_flags(b, &pb, fl, NULL, 0) == 0)
		return wp_prefix_cmp(&pa, &pb);
	if (is_integer(a) && is_integer(b)) {
		bool na = *a == '-', nb = *b == '-';
		int c;

		if (na != nb)
			return na ? -1 : 1;
		c = digits_cmp(a + na, strlen(a + na), b + nb, strlen(b + nb));
		return na ? -c : c;
	}
	return natural_cmp(a, b);
}

int
wp_yang_instance_cmp(const struct lyd_node *a, const struct lyd_node *b)
{
	const struct lyd_node *ka, *kb;

	if (a->schema->nodetype == LYS_LEAFLIST)
		return wp_yang_value_cmp(lyd_get_value(a), lyd_get_value(b));
	ka = lyd_child(a);
	kb = lyd_child(b);
	for (; ka && kb && lysc_is_key(ka->schema) && lysc_is_key(kb->schema);
	     ka = ka->next, kb = kb->next) {
		int c = wp_yang_value_cmp(lyd_get_value(ka), lyd_get_value(kb));

		if (c)
			return c;
	}
	return 0;
}

struct sort_item {
	struct lyd_node *node;
	size_t idx;
};

static int
sort_item_cmp(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	int c = wp_yang_instance_cmp(a->node, b->node);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static bool
sortable(const struct lysc_node *sn)
{
	return sn && (sn->nodetype & (LYS_LIST | LYS_LEAFLIST)) &&
	       !lysc_is_userordered(sn) &&
	       !(sn->nodetype == LYS_LIST && (sn->flags & LYS_KEYLESS));
}

/* Sort the instances of `sn` among the siblings starting at *first. */
static void
sort_group(struct lyd_node *parent, struct lyd_node **first,
	   const struct lysc_node *sn)
{
	struct sort_item *v = NULL;
	struct lyd_node *n, *anchor = NULL;
	size_t cnt = 0;

	LY_LIST_FOR(*first, n) {
		if (n->schema == sn) {
			v = wp_realloc(MT_TMP, v, (cnt + 1) * sizeof(*v));
			v[cnt].node = n;
			v[cnt].idx = cnt;
			cnt++;
		} else if (anchor == NULL) {
			anchor = n;
		}
	}
	qsort(v, cnt, sizeof(*v), sort_item_cmp);
	for (size_t i = 0; i < cnt; i++)
		lyd_unlink_tree(v[i].node);
	*first = parent ? lyd_child(parent) : anchor;
	for (size_t i = 0; i < cnt; i++) {
		if (parent)
			lyd_insert_child(parent, v[i].node);
		else if (*first == NULL)
			*first = v[i].node;
		else
			lyd_insert_sibling(*first, v[i].node, first);
	}
	if (parent)
		*first = lyd_child(parent);
	wp_free(MT_TMP, v);
}

static void
sort_siblings(struct lyd_node *parent, struct lyd_node **first)
{
	const struct lysc_node *done[64];
	size_t ndone = 0;
	struct lyd_node *n;
	bool again = true;

	/* Each pass sorts one schema's group, which relinks the siblings. */
	while (again) {
		again = false;
		LY_LIST_FOR(*first, n) {
			size_t i;

			if (!sortable(n->schema))
				continue;
			for (i = 0; i < ndone && done[i] != n->schema; i++)
				;
			if (i < ndone || ndone == sizeof(done) / sizeof(done[0]))
				continue;
			done[ndone++] = n->schema;
			sort_group(parent, first, n->schema);
			again = true;
			break;
		}
	}
	LY_LIST_FOR(*first, n) {
		struct lyd_node *child = lyd_child(n);

		if (child && !(n->schema->nodetype & LYD_NODE_TERM))
			sort_siblings(n, &child);
	}
}

void
wp_yang_sort(struct lyd_node **tree)
{
	if (*tree == NULL)
		return;
	*tree = lyd_first_sibling(*tree);
	sort_siblings(NULL, tree);
	*tree = lyd_first_sibling(*tree);
}

bool
wp_yang_equal(const struct lyd_node *a, const struct lyd_node *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return lyd_compare_siblings(a, b, LYD_COMPARE_FULL_RECURSION) ==
	       LY_SUCCESS;
}

int
wp_yang_diff(const struct lyd_node *from, const struct lyd_node *to,
	     struct lyd_node **diff)
{
	*diff = NULL;
	return lyd_diff_siblings(from, to, 0, diff) == LY_SUCCESS ? 0 : -1;
}
