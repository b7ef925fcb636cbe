/*
 * wp_mgmt_yang.c: build the libyang context from the YANG search path,
 * parse configuration JSON without validation, and turn libyang's stored
 * errors into one message with a path and the constraint that failed.
 *
 * libyang keeps its log options process-wide: wp_mgmt_yang_log_init()
 * sends its messages to wp_log at debug level and stores errors, which
 * every user here reads back and clears.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_log.h"
#include "wp_mem.h"
#include "wp_mgmt_yang.h"

WP_DEBUG_DEFINE(DBG_YANG, "yang");

#define MOD_PREFIX	"waypoint-"
#define MOD_SUFFIX	".yang"
#define MAX_MODULES	256

static struct {
	struct ly_ctx *ctx;
	unsigned int refs;
} shared;

static void
ly_log_cb(LY_LOG_LEVEL level, const char *msg, const char *path)
{
	wp_debug(DBG_YANG, "libyang: %s%s%s", msg, path ? ": " : "",
		 path ? path : "");
}

void
wp_mgmt_yang_log_init(void)
{
	ly_set_log_clb(ly_log_cb, 1);
	ly_log_options(LY_LOLOG | LY_LOSTORE);
}

char *
wp_mgmt_yang_path(const char *extra)
{
	const char *env = getenv(WP_YANG_PATH_ENV);
	const char *parts[3] = { extra, env, YANGDIR };
	size_t len = 1;
	char *path;

	for (size_t i = 0; i < 3; i++)
		if (parts[i] && parts[i][0])
			len += strlen(parts[i]) + 1;
	path = wp_malloc(MT_STRING, len);
	path[0] = '\0';
	for (size_t i = 0; i < 3; i++) {
		if (!parts[i] || !parts[i][0])
			continue;
		if (path[0])
			strcat(path, ":");
		strcat(path, parts[i]);
	}
	return path;
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

/* Add the waypoint-* module names found in `dir` to names[]. */
static void
scan_dir(const char *dir, char **names, size_t *n)
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
			dup = strcmp(names[i], name) == 0;
		if (dup || *n == MAX_MODULES) {
			wp_free(MT_STRING, name);
			continue;
		}
		names[(*n)++] = name;
	}
	closedir(d);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ly_ctx *
wp_mgmt_yang_ctx_new(const char *extra, size_t *nmods, char *err,
		     size_t errlen)
{
	static const char *all_features[] = { "*", NULL };
	char *path = wp_mgmt_yang_path(extra), *save = NULL, *dir;
	char *names[MAX_MODULES];
	struct ly_ctx *ctx = NULL;
	size_t n = 0;

	wp_mgmt_yang_log_init();
	if (ly_ctx_new(NULL, LY_CTX_DISABLE_SEARCHDIR_CWD, &ctx) !=
	    LY_SUCCESS) {
		snprintf(err, errlen, "cannot create a libyang context");
		wp_free(MT_STRING, path);
		return NULL;
	}
	for (dir = strtok_r(path, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		ly_ctx_set_searchdir(ctx, dir);
		scan_dir(dir, names, &n);
	}
	ly_err_clean(ctx, NULL);
	/* Sorted, so every process loads in the same order. */
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (ctx && !ly_ctx_load_module(ctx, names[i], NULL,
					       all_features)) {
			struct wp_mgmt_yang_err e;

			wp_mgmt_yang_error(ctx, &e);
			snprintf(err, errlen, "YANG module %s: %s%s%s",
				 names[i], e.msg, e.path[0] ? ": " : "",
				 e.path);
			ly_ctx_destroy(ctx);
			ctx = NULL;
		}
		wp_free(MT_STRING, names[i]);
	}
	if (ctx && nmods)
		*nmods = n;
	wp_free(MT_STRING, path);
	return ctx;
}

struct ly_ctx *
wp_mgmt_yang_ctx_get(char *err, size_t errlen)
{
	if (shared.ctx == NULL) {
		shared.ctx = wp_mgmt_yang_ctx_new(NULL, NULL, err, errlen);
		if (shared.ctx == NULL)
			return NULL;
	}
	shared.refs++;
	return shared.ctx;
}

void
wp_mgmt_yang_ctx_put(void)
{
	if (shared.refs == 0 || --shared.refs > 0)
		return;
	ly_ctx_destroy(shared.ctx);
	shared.ctx = NULL;
}

int
wp_mgmt_yang_parse(struct ly_ctx *ctx, const char *json,
		   struct lyd_node **tree, char *err, size_t errlen)
{
	struct wp_mgmt_yang_err e;

	*tree = NULL;
	if (json == NULL || json[0] == '\0')
		return 0;
	ly_err_clean(ctx, NULL);
	if (lyd_parse_data_mem(ctx, json, LYD_JSON,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT, 0,
			       tree) == LY_SUCCESS)
		return 0;
	wp_mgmt_yang_error(ctx, &e);
	if (e.line)
		snprintf(err, errlen, "line %u: %s%s%s", e.line, e.path,
			 e.path[0] ? ": " : "", e.msg);
	else
		snprintf(err, errlen, "%s%s%s", e.path, e.path[0] ? ": " : "",
			 e.msg);
	lyd_free_all(*tree);
	*tree = NULL;
	return -1;
}

/* --- errors -------------------------------------------------------------- */

/* Copy the quoted text after `key` in `s` into `out`; false if absent. */
static bool
quoted_after(const char *s, const char *key, char *out, size_t outlen)
{
	const char *p = strstr(s, key), *end;

	if (p == NULL)
		return false;
	p += strlen(key);
	if ((end = strchr(p, '"')) == NULL)
		return false;
	snprintf(out, outlen, "%.*s", (int)(end - p), p);
	return true;
}

const struct lysc_node *
wp_mgmt_yang_schema(const struct ly_ctx *ctx, const char *path)
{
	const struct lysc_node *sn;
	uint32_t quiet = 0;
	char spath[1024];
	size_t o = 0;
	int depth = 0;
	char quote = 0;

	for (const char *p = path; *p && o + 1 < sizeof(spath); p++) {
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
			spath[o++] = *p;
	}
	spath[o] = '\0';
	if (o == 0)
		return NULL;
	/* A lookup: a missing node is an answer, not an error to store. */
	ly_temp_log_options(&quiet);
	sn = lys_find_path(ctx, NULL, spath, 0);
	ly_temp_log_options(NULL);
	return sn;
}

static void
append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
append(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static void
range_describe(const struct lysc_range *r, bool is_signed, char *buf,
	       size_t len)
{
	LY_ARRAY_COUNT_TYPE n = LY_ARRAY_COUNT(r->parts);

	for (LY_ARRAY_COUNT_TYPE i = 0; i < n; i++) {
		const char *sep = i ? " | " : "";

		if (is_signed)
			append(buf, len, "%s%" PRId64 "..%" PRId64, sep,
			       r->parts[i].min_64, r->parts[i].max_64);
		else
			append(buf, len, "%s%" PRIu64 "..%" PRIu64, sep,
			       r->parts[i].min_u64, r->parts[i].max_u64);
	}
}

/* What the type of `node` allows, when it says more than the message. */
static void
constraint_describe(const struct lysc_node *node, const char *msg, char *buf,
		    size_t len)
{
	const struct lysc_type *t;

	buf[0] = '\0';
	if (node == NULL || !(node->nodetype & (LYS_LEAF | LYS_LEAFLIST)))
		return;
	t = ((const struct lysc_node_leaf *)(const void *)node)->type;
	switch (t->basetype) {
	case LY_TYPE_UINT8: case LY_TYPE_UINT16: case LY_TYPE_UINT32:
	case LY_TYPE_UINT64: case LY_TYPE_INT8: case LY_TYPE_INT16:
	case LY_TYPE_INT32: case LY_TYPE_INT64: {
		const struct lysc_type_num *num = (const void *)t;

		if (num->range == NULL || (!strstr(msg, "range") &&
					   !strstr(msg, "Invalid")))
			return;
		append(buf, len, "allowed: ");
		range_describe(num->range, t->basetype >= LY_TYPE_INT8, buf,
			       len);
		return;
	}
	case LY_TYPE_STRING: {
		const struct lysc_type_str *str = (const void *)t;

		if (str->length == NULL || !strstr(msg, "length"))
			return;
		append(buf, len, "allowed length: ");
		range_describe(str->length, false, buf, len);
		return;
	}
	case LY_TYPE_ENUM: {
		const struct lysc_type_enum *en = (const void *)t;
		LY_ARRAY_COUNT_TYPE n = LY_ARRAY_COUNT(en->enums);

		if (!strstr(msg, "enumeration"))
			return;
		append(buf, len, "one of:");
		for (LY_ARRAY_COUNT_TYPE i = 0; i < n; i++)
			append(buf, len, " %s", en->enums[i].name);
		return;
	}
	default:
		return;
	}
}

void
wp_mgmt_yang_error(struct ly_ctx *ctx, struct wp_mgmt_yang_err *e)
{
	const struct ly_err_item *it = ly_err_first(ctx);
	char extra[256];
	const char *p;
	size_t len;

	memset(e, 0, sizeof(*e));
	while (it && it->level != LY_LLERR)
		it = it->next;
	if (it == NULL) {
		snprintf(e->msg, sizeof(e->msg), "unknown libyang error");
		ly_err_clean(ctx, NULL);
		return;
	}
	snprintf(e->msg, sizeof(e->msg), "%s", it->msg ? it->msg : "error");
	len = strlen(e->msg);
	if (len > 0 && e->msg[len - 1] == '.')
		e->msg[len - 1] = '\0';
	if (it->path &&
	    !quoted_after(it->path, "ata location \"", e->path,
			  sizeof(e->path)))
		quoted_after(it->path, "chema location \"", e->path,
			     sizeof(e->path));
	if (it->path && (p = strstr(it->path, "line number ")) != NULL)
		e->line = (unsigned int)strtoul(p + strlen("line number "),
						NULL, 10);
	if (e->path[0]) {
		constraint_describe(wp_mgmt_yang_schema(ctx, e->path), e->msg,
				    extra, sizeof(extra));
		if (extra[0])
			append(e->msg, sizeof(e->msg), " (%s)", extra);
	}
	ly_err_clean(ctx, NULL);
}
