/*
 * mgmt_ds.c: the datastores as libyang trees.
 *
 * A candidate is "clean" until its first edit: it then stands for the
 * running tree and holds no copy.  The first edit copies running twice,
 * as the candidate and as its base; a commit later applies the changes
 * base -> candidate to whatever running is by then (another session may
 * have committed meanwhile).
 *
 * Edits run on a copy of the candidate, so a batch either applies whole
 * or leaves the candidate as it was.  Types, ranges and patterns are
 * checked as each value goes in; leafrefs, must, when, mandatory and
 * unique only by mgmt_ds_validate(), at commit or <validate>, since a
 * batch may be half done in between.
 *
 * Filters cut a tree down to the nodes of a daemon's modules (with the
 * ancestors they hang from), which is what that daemon is sent.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmtd.h"
#include "wp_yang.h"

/* --- errors -------------------------------------------------------------- */

void
mgmt_err_set(struct mgmt_err *e, int status, const char *xpath,
	     const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	snprintf(e->xpath, sizeof(e->xpath), "%s", xpath ? xpath : "");
}

/* Put "A" "B" in front of the message, cutting its end if needed. */
void
mgmt_err_prefix(struct mgmt_err *e, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), lm = strlen(e->msg);
	size_t room = sizeof(e->msg) - 1;

	if (la + lb >= room)
		return;
	if (la + lb + lm > room)
		lm = room - la - lb;
	memmove(e->msg + la + lb, e->msg, lm);
	memcpy(e->msg, a, la);
	memcpy(e->msg + la, b, lb);
	e->msg[la + lb + lm] = '\0';
}

/*
 * libyang's first stored error as "[SOURCE:LINE: ]PATH: CONSTRAINT: what
 * is wrong" (wp_yang's wording); `fallback` is the path to name when
 * libyang names none (the edit's xpath); `tree`, when given, lets a
 * missing mandatory node be named by its instance.
 */
static void
yang_err(struct mgmt *m, struct mgmt_err *e, int status, const char *source,
	 const char *fallback, const struct lyd_node *tree)
{
	struct wp_yang_err *errs;
	size_t n = wp_yang_errors_take(m->ctx, tree, &errs);
	const char *path, *constraint = "invalid", *msg = "unknown libyang error";
	char where[256] = "";
	unsigned int line = 0;

	path = fallback ? fallback : "";
	if (n > 0) {
		if (errs[0].path[0])
			path = errs[0].path;
		constraint = errs[0].constraint;
		msg = errs[0].msg;
		line = errs[0].line;
	}
	if (source && source[0] && line)
		snprintf(where, sizeof(where), "%s:%u: ", source, line);
	else if (source && source[0])
		snprintf(where, sizeof(where), "%s: ", source);
	mgmt_err_set(e, status, path, "%s%s%s%s: %s", where, path,
		     path[0] ? ": " : "", constraint, msg);
	wp_yang_errors_free(errs, n);
}

void
mgmt_ds_yang_err(struct mgmt *m, struct mgmt_err *e, int status,
		 const char *source, const char *fallback)
{
	yang_err(m, e, status, source, fallback, NULL);
}

/* --- candidates ---------------------------------------------------------- */

/*
 * The candidate `ds` of session `s`.  For a change (edit, load, discard,
 * commit) the shared one must not be locked by another session; reading
 * it is always allowed.
 */
struct mgmt_cand *
mgmt_cand_get(struct mgmt *m, struct mgmt_session *s, enum wp_mgmt_ds ds,
	      bool for_change, struct mgmt_err *e)
{
	switch (ds) {
	case WP_MGMT_DS_PRIVATE:
		return &s->cand;
	case WP_MGMT_DS_SHARED:
		if (for_change && m->lock_shared && m->lock_shared != s->id) {
			struct mgmt_session *o = mgmt_session_find(m,
							m->lock_shared);

			mgmt_err_set(e, WP_MGMT_ST_LOCKED, NULL,
				     "the shared candidate is locked by "
				     "session %llu (%s)",
				     (unsigned long long)m->lock_shared,
				     o ? o->who.user : "?");
			return NULL;
		}
		return &m->shared;
	default:
		mgmt_err_set(e, WP_MGMT_ST_UNSUPPORTED, NULL,
			     "the running datastore is changed by commits "
			     "only: edit a candidate");
		return NULL;
	}
}

void
mgmt_cand_clear(struct mgmt_cand *c)
{
	lyd_free_all(c->tree);
	lyd_free_all(c->base);
	memset(c, 0, sizeof(*c));
}

const struct lyd_node *
mgmt_cand_tree(struct mgmt *m, const struct mgmt_cand *c)
{
	return c->dirty ? c->tree : m->running;
}

/*
 * The candidate becomes `work` (taken over).  A candidate equal to its
 * base is clean again.  Returns 0.
 */
int
mgmt_cand_replace(struct mgmt *m, struct mgmt_cand *c, struct lyd_node *work)
{
	if (!c->dirty) {
		c->base = mgmt_ds_dup(m->running);
		c->base_gen = m->running_gen;
		c->dirty = true;
	} else {
		lyd_free_all(c->tree);
	}
	c->tree = work;
	if (mgmt_ds_equal(c->base, c->tree))
		mgmt_cand_clear(c);
	return 0;
}

/* --- trees --------------------------------------------------------------- */

struct lyd_node *
mgmt_ds_dup(const struct lyd_node *tree)
{
	struct lyd_node *dup = NULL;

	if (tree == NULL)
		return NULL;
	if (lyd_dup_siblings(tree, NULL, LYD_DUP_RECURSIVE | LYD_DUP_WITH_FLAGS,
			     &dup) != LY_SUCCESS)
		wp_fatalx("mgmtd: cannot copy a data tree");
	return dup;
}

struct lyd_node *
mgmt_ds_diff(const struct lyd_node *from, const struct lyd_node *to)
{
	struct lyd_node *diff = NULL;

	if (from == NULL && to == NULL)
		return NULL;
	if (lyd_diff_siblings(from, to, 0, &diff) != LY_SUCCESS)
		wp_fatalx("mgmtd: cannot compute a diff");
	return diff;
}

bool
mgmt_ds_equal(const struct lyd_node *a, const struct lyd_node *b)
{
	struct lyd_node *diff = mgmt_ds_diff(a, b);

	lyd_free_all(diff);
	return diff == NULL;
}

/* Key leaves and the ancestors' keys come along with every dup. */
static void
dup_into(struct lyd_node **out, const struct lyd_node *node)
{
	struct lyd_node *dup = NULL, *top;

	if (lyd_dup_single(node, NULL, LYD_DUP_RECURSIVE |
			   LYD_DUP_WITH_PARENTS | LYD_DUP_WITH_FLAGS,
			   &dup) != LY_SUCCESS)
		wp_fatalx("mgmtd: cannot copy a data subtree");
	for (top = dup; top->parent; top = lyd_parent(top))
		;
	if (lyd_merge_siblings(out, top, LYD_MERGE_DESTRUCT |
			       LYD_MERGE_WITH_FLAGS) != LY_SUCCESS)
		wp_fatalx("mgmtd: cannot merge a data subtree");
}

static bool
module_in(const struct lyd_node *node, char *const *modules, size_t n)
{
	const char *name;

	if (node->schema == NULL)
		return false;
	name = node->schema->module->name;
	for (size_t i = 0; i < n; i++)
		if (strcmp(modules[i], name) == 0)
			return true;
	return false;
}

static void
filter_walk(struct lyd_node **out, const struct lyd_node *node,
	    char *const *modules, size_t n)
{
	for (; node; node = node->next) {
		if (module_in(node, modules, n) &&
		    (node->parent == NULL ||
		     !module_in(lyd_parent(node), modules, n))) {
			dup_into(out, node);
			continue;
		}
		filter_walk(out, lyd_child(node), modules, n);
	}
}

/*
 * The nodes of `modules` in `tree`: whole top-level trees of those
 * modules, and nodes they augment into other modules' trees together
 * with their ancestors.
 */
struct lyd_node *
mgmt_ds_filter(const struct lyd_node *tree, char *const *modules, size_t n)
{
	struct lyd_node *out = NULL;

	if (tree)
		filter_walk(&out, lyd_first_sibling(tree), modules, n);
	return out;
}

/* --- edits --------------------------------------------------------------- */

static const char *const op_names[] = {
	[WP_MGMT_OP_MERGE] = "merge",
	[WP_MGMT_OP_CREATE] = "create",
	[WP_MGMT_OP_REPLACE] = "replace",
	[WP_MGMT_OP_DELETE] = "delete",
	[WP_MGMT_OP_REMOVE] = "remove",
};

/* The schema node of `xpath`, or an error naming it. */
static const struct lysc_node *
edit_schema(struct mgmt *m, const char *xpath, struct mgmt_err *e)
{
	const struct lysc_node *sn;
	struct lyd_node *probe = NULL;

	ly_err_clean(m->ctx, NULL);
	/* lyd_new_path() on an empty tree parses and checks the whole
	 * path, predicates included, and gives libyang's best message. */
	if (lyd_new_path2(NULL, m->ctx, xpath, NULL, 0, 0,
			  LYD_NEW_PATH_OPAQ, &probe, NULL) != LY_SUCCESS) {
		mgmt_ds_yang_err(m, e, WP_MGMT_ST_INVALID, NULL, xpath);
		return NULL;
	}
	lyd_free_all(probe);
	sn = wp_yang_schema_of_path(m->ctx, xpath);
	if (sn == NULL) {
		mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
			     "%s: no such configuration node", xpath);
		return NULL;
	}
	if (!(sn->flags & LYS_CONFIG_W)) {
		mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
			     "%s: state data, not configuration", xpath);
		return NULL;
	}
	return sn;
}

/* The instance at `xpath` in `tree`, NULL if none; -1 on a bad path. */
static int
edit_find(struct mgmt *m, struct lyd_node *tree, const char *xpath,
	  struct lyd_node **found, struct mgmt_err *e)
{
	LY_ERR rc;

	*found = NULL;
	if (tree == NULL)
		return 0;
	ly_err_clean(m->ctx, NULL);
	rc = lyd_find_path(tree, xpath, 0, found);
	if (rc == LY_SUCCESS || rc == LY_ENOTFOUND || rc == LY_EINCOMPLETE) {
		if (rc != LY_SUCCESS)
			*found = NULL;
		ly_err_clean(m->ctx, NULL);
		return 0;
	}
	mgmt_ds_yang_err(m, e, WP_MGMT_ST_INVALID, NULL, xpath);
	return -1;
}

static void
edit_unlink(struct lyd_node **tree, struct lyd_node *node)
{
	if (*tree == node)
		*tree = node->next;
	lyd_free_tree(node);
	if (*tree)
		*tree = lyd_first_sibling(*tree);
}

static int
edit_create(struct mgmt *m, struct lyd_node **tree, const char *xpath,
	    const char *value, uint32_t opts, struct mgmt_err *e)
{
	struct lyd_node *first = NULL;

	ly_err_clean(m->ctx, NULL);
	if (lyd_new_path(*tree, m->ctx, xpath, value, opts, &first) !=
	    LY_SUCCESS) {
		mgmt_ds_yang_err(m, e, WP_MGMT_ST_INVALID, NULL, xpath);
		return -1;
	}
	if (*tree == NULL && first) {
		while (first->parent)
			first = lyd_parent(first);
		*tree = first;
	}
	if (*tree)
		*tree = lyd_first_sibling(*tree);
	return 0;
}

int
mgmt_ds_edit(struct mgmt *m, struct lyd_node **tree, enum wp_mgmt_op op,
	     const char *xpath, const char *value, struct mgmt_err *e)
{
	const struct lysc_node *sn;
	struct lyd_node *node;
	char lpath[1200];
	bool term;

	if ((unsigned int)op > WP_MGMT_OP_REMOVE) {
		mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
			     "%s: unknown edit operation %d", xpath, (int)op);
		return -1;
	}
	if (xpath[0] != '/') {
		mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
			     "\"%s\": an edit needs an absolute path", xpath);
		return -1;
	}
	if ((sn = edit_schema(m, xpath, e)) == NULL)
		return -1;
	term = (sn->nodetype & (LYS_LEAF | LYS_LEAFLIST)) != 0;
	if (!term || (value && !value[0] && sn->nodetype == LYS_LEAFLIST))
		value = NULL;
	/* A leaf-list entry may be named by value instead of predicate. */
	if (sn->nodetype == LYS_LEAFLIST && value &&
	    xpath[strlen(xpath) - 1] != ']') {
		char q = strchr(value, '\'') ? '"' : '\'';

		if (strchr(value, q)) {
			mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
				     "%s: name the entry with a predicate: its "
				     "value holds both kinds of quotes", xpath);
			return -1;
		}
		snprintf(lpath, sizeof(lpath), "%s[.=%c%s%c]", xpath, q, value,
			 q);
		xpath = lpath;
	}
	if (edit_find(m, *tree, xpath, &node, e) == -1)
		return -1;
	wp_debug(DBG_MGMT_TXN, "edit: %s %s%s%s", op_names[op], xpath,
		 value ? " = " : "", value ? value : "");

	switch (op) {
	case WP_MGMT_OP_CREATE:
		if (node) {
			mgmt_err_set(e, WP_MGMT_ST_EXISTS, xpath,
				     "%s: already exists", xpath);
			return -1;
		}
		return edit_create(m, tree, xpath, value, 0, e);
	case WP_MGMT_OP_MERGE:
		return edit_create(m, tree, xpath, value,
				   LYD_NEW_PATH_UPDATE, e);
	case WP_MGMT_OP_REPLACE:
		if (node && !term)
			edit_unlink(tree, node);
		return edit_create(m, tree, xpath, value,
				   LYD_NEW_PATH_UPDATE, e);
	case WP_MGMT_OP_DELETE:
	case WP_MGMT_OP_REMOVE:
		if (node == NULL) {
			if (op == WP_MGMT_OP_REMOVE)
				return 0;
			mgmt_err_set(e, WP_MGMT_ST_MISSING, xpath,
				     "%s: does not exist", xpath);
			return -1;
		}
		if (lysc_is_key(sn)) {
			mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
				     "%s: a list key cannot be deleted; "
				     "delete the list entry", xpath);
			return -1;
		}
		edit_unlink(tree, node);
		return 0;
	}
	return 0;
}

/* --- parsing and validation ---------------------------------------------- */

int
mgmt_ds_parse(struct mgmt *m, const char *data, LYD_FORMAT fmt,
	      const char *source, struct lyd_node **tree, struct mgmt_err *e)
{
	*tree = NULL;
	ly_err_clean(m->ctx, NULL);
	if (data[strspn(data, " \t\r\n")] == '\0')
		return 0;
	if (lyd_parse_data_mem(m->ctx, data, fmt,
			       LYD_PARSE_ONLY | LYD_PARSE_STRICT |
			       LYD_PARSE_NO_STATE, 0, tree) == LY_SUCCESS)
		return 0;
	mgmt_ds_yang_err(m, e, WP_MGMT_ST_INVALID, source, NULL);
	lyd_free_all(*tree);
	*tree = NULL;
	return -1;
}

int
mgmt_ds_validate(struct mgmt *m, struct lyd_node **tree, struct mgmt_err *e)
{
	ly_err_clean(m->ctx, NULL);
	if (lyd_validate_all(tree, m->ctx, LYD_VALIDATE_PRESENT |
			     LYD_VALIDATE_NO_STATE, NULL) == LY_SUCCESS)
		return 0;
	yang_err(m, e, WP_MGMT_ST_INVALID, NULL, NULL, *tree);
	return -1;
}

/* --- printing ------------------------------------------------------------ */

/* libyang's malloc()ed text as a counted string. */
static char *
text_take(char *s)
{
	char *t = wp_strdup(MT_MGMT_TEXT, s ? s : "");

	free(s);
	return t;
}

char *
mgmt_ds_print(const struct lyd_node *tree, LYD_FORMAT fmt, bool defaults)
{
	uint32_t flags = LYD_PRINT_WITHSIBLINGS |
			 (defaults ? LYD_PRINT_WD_ALL : LYD_PRINT_WD_EXPLICIT);
	char *s = NULL;

	if (tree && lyd_print_mem(&s, lyd_first_sibling(tree), fmt, flags) !=
	    LY_SUCCESS)
		wp_fatalx("mgmtd: cannot print a data tree");
	if ((s == NULL || s[0] == '\0') && fmt == LYD_JSON) {
		free(s);
		return wp_strdup(MT_MGMT_TEXT, "{}\n");
	}
	return text_take(s);
}

/*
 * Filters are data paths, not any XPath: steps "/[prefix:]name" (or
 * "*"), each with predicates "[[prefix:]name='value']" or "[.='value']".
 * Reason: libyang 2.1.30 evaluates "A mod B" with an integer remainder
 * and dies of SIGFPE when B is 0, and its lexer takes "mod" for the
 * operator even inside a longer word after a number; a filter from a
 * session must not take mgmtd down.  Paths are all vtysh and NETCONF
 * subtree filters need.
 */
static bool
ident(const char **pp)
{
	const char *p = *pp;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return false;
	while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' ||
	       *p == '.')
		p++;
	if (*p == ':') {
		p++;
		if (!isalpha((unsigned char)*p) && *p != '_')
			return false;
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '-' ||
		       *p == '.')
			p++;
	}
	*pp = p;
	return true;
}

static bool
filter_ok(const char *p)
{
	if (*p != '/')
		return false;
	while (*p == '/') {
		p++;
		if (*p == '*')
			p++;
		else if (!ident(&p))
			return false;
		while (*p == '[') {
			char q;

			p++;
			if (*p == '.')
				p++;
			else if (!ident(&p))
				return false;
			while (*p == ' ')
				p++;
			if (*p++ != '=')
				return false;
			while (*p == ' ')
				p++;
			if ((q = *p++) != '\'' && q != '"')
				return false;
			while (*p && *p != q)
				p++;
			if (*p != q || p[1] != ']')
				return false;
			p += 2;
		}
	}
	return *p == '\0';
}

/* The subtrees of `tree` matching `xpath` (with their ancestors). */
char *
mgmt_ds_select(struct mgmt *m, const struct lyd_node *tree, const char *xpath,
	       LYD_FORMAT fmt, bool defaults, struct mgmt_err *e)
{
	struct lyd_node *out = NULL;
	struct ly_set *set = NULL;
	char *s;

	if (xpath == NULL || xpath[0] == '\0' || tree == NULL)
		return mgmt_ds_print(tree, fmt, defaults);
	if (!filter_ok(xpath)) {
		mgmt_err_set(e, WP_MGMT_ST_INVALID, xpath,
			     "%s: a filter is a data path: /module:node, "
			     "[key='value'] predicates", xpath);
		return NULL;
	}
	ly_err_clean(m->ctx, NULL);
	if (lyd_find_xpath(tree, xpath, &set) != LY_SUCCESS) {
		mgmt_ds_yang_err(m, e, WP_MGMT_ST_INVALID, NULL, xpath);
		return NULL;
	}
	for (uint32_t i = 0; i < set->count; i++)
		dup_into(&out, set->dnodes[i]);
	ly_set_free(set, NULL);
	s = mgmt_ds_print(out, fmt, defaults);
	lyd_free_all(out);
	return s;
}

/* --- diffs as text ------------------------------------------------------- */

static const char *
diff_op(const struct lyd_node *node, const char *inherited)
{
	const struct lyd_meta *meta = lyd_find_meta(node->meta, NULL,
						    "yang:operation");

	return meta ? lyd_get_meta_value(meta) : inherited;
}

static const char *
diff_meta(const struct lyd_node *node, const char *name)
{
	const struct lyd_meta *meta = lyd_find_meta(node->meta, NULL, name);

	return meta ? lyd_get_meta_value(meta) : NULL;
}

static void
diff_line(FILE *f, char sign, const struct lyd_node *node, uint32_t *n)
{
	char *path = lyd_path(node, LYD_PATH_STD, NULL, 0);

	if (node->schema && (node->schema->nodetype & LYS_LEAF))
		fprintf(f, "%c %s = %s\n", sign, path, lyd_get_value(node));
	else
		fprintf(f, "%c %s\n", sign, path);
	free(path);
	(*n)++;
}

/*
 * Every leaf under `node` (keys show in the paths; defaults are not
 * changes anyone made); a list entry or presence container without one
 * is a line of its own.
 */
static bool
diff_subtree(FILE *f, char sign, const struct lyd_node *node, uint32_t *n)
{
	bool any = false;

	if (node->flags & LYD_DEFAULT)
		return false;
	if (node->schema && (node->schema->nodetype & LYD_NODE_TERM)) {
		if (lysc_is_key(node->schema))
			return false;
		diff_line(f, sign, node, n);
		return true;
	}
	for (const struct lyd_node *c = lyd_child(node); c; c = c->next)
		any |= diff_subtree(f, sign, c, n);
	if (!any && node->schema &&
	    (node->schema->nodetype == LYS_LIST ||
	     (node->schema->nodetype == LYS_CONTAINER &&
	      (node->schema->flags & LYS_PRESENCE)))) {
		diff_line(f, sign, node, n);
		return true;
	}
	return any;
}

static void
diff_walk(FILE *f, const struct lyd_node *node, const char *inherited,
	  uint32_t *n)
{
	for (; node; node = node->next) {
		const char *op = diff_op(node, inherited);

		if (strcmp(op, "create") == 0 || strcmp(op, "delete") == 0) {
			char sign = op[0] == 'c' ? '+' : '-';

			if (!diff_subtree(f, sign, node, n))
				diff_line(f, sign, node, n);
			continue;
		}
		if (strcmp(op, "replace") == 0 && node->schema &&
		    (node->schema->nodetype & LYS_LEAF)) {
			char *path = lyd_path(node, LYD_PATH_STD, NULL, 0);
			const char *orig = diff_meta(node, "yang:orig-value");

			fprintf(f, "~ %s = %s (was %s)\n", path,
				lyd_get_value(node), orig ? orig : "default");
			free(path);
			(*n)++;
			continue;
		}
		if (strcmp(op, "replace") == 0) {
			char *path = lyd_path(node, LYD_PATH_STD, NULL, 0);

			fprintf(f, "~ %s (moved)\n", path);
			free(path);
			(*n)++;
		}
		diff_walk(f, lyd_child(node), "none", n);
	}
}

/*
 * One line per change: "+ PATH = VALUE" created, "- PATH = VALUE"
 * deleted, "~ PATH = NEW (was OLD)" changed; "" for no diff.
 */
char *
mgmt_ds_diff_text(const struct lyd_node *diff, uint32_t *nchanges)
{
	char *buf = NULL, *s;
	size_t len = 0;
	uint32_t n = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		wp_fatal("open_memstream");
	if (diff)
		diff_walk(f, lyd_first_sibling(diff), "none", &n);
	fclose(f);
	s = text_take(buf);
	if (nchanges)
		*nchanges = n;
	return s;
}

char *
mgmt_ds_diff_text_json(struct mgmt *m, const char *diff_json)
{
	struct lyd_node *diff = NULL;
	char *err = NULL;
	char *s;

	if (wp_yang_parse_only(m->ctx, diff_json, LYD_JSON, &diff,
			       &err) == -1) {
		wp_log_warnx("mgmtd: stored diff does not parse: %s", err);
		wp_free(MT_STRING, err);
		return wp_strdup(MT_MGMT_TEXT, "(diff unavailable)\n");
	}
	s = mgmt_ds_diff_text(diff, NULL);
	lyd_free_all(diff);
	return s;
}
