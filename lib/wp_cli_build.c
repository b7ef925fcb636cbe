/*
 * wp_cli_build.c: from YANG schema to command tree.
 *
 * wp_cli_new() walks every implemented module of the context twice: the
 * first pass creates a mode for each node carrying wpcli:mode (so that a
 * command's mode exists whatever the walk order) and collects the
 * keyword help (wpcli:keyword); the second parses the template of each
 * wpcli:command and wpcli:no-command into a cli_cmd:
 *
 *	"ip route {prefix} ({gateway} [{interface}]|{interface}) [{distance}]"
 *	  tokens:  ip route {prefix} {gateway} {interface} {distance}
 *	  forms:   ip route P G      ip route P G I      ip route P I
 *	           ip route P G D    ip route P G I D    ip route P I D
 *
 * A reference resolves, relative to the command's node, to the node
 * itself, a leaf below it, or a leaf of a list or container above it up
 * to the mode (the keys, mostly).  Every key of every list between the
 * mode and the node must be referenced; a key some form leaves out is
 * optional and takes its wpcli:default then.  Everything the matcher and
 * the renderer need later (displays, help, the shortest 'no' form) is
 * computed here once.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_cli_int.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_CLI, "cli grammar");

#define CLI_EXT_MODULE	"waypoint-cli"

struct build {
	struct wp_cli *cli;
	struct wp_vty_buf err;
};

static void __attribute__((format(printf, 2, 3)))
build_err(struct build *b, const char *fmt, ...)
{
	va_list ap;

	if (b->err.len)
		wp_vty_buf_add(&b->err, "\n", 1);
	va_start(ap, fmt);
	wp_vty_buf_vprintf(&b->err, fmt, ap);
	va_end(ap);
}

char *
cli_strdup_buf(struct wp_vty_buf *b)
{
	char *s = wp_strndup(MT_STRING, b->data ? b->data : "", b->len);

	wp_vty_buf_free(b);
	return s;
}

/* --- schema helpers -------------------------------------------------- */

static bool
ext_is(const struct lysc_ext_instance *e, const char *name)
{
	return strcmp(e->def->module->name, CLI_EXT_MODULE) == 0 &&
	       strcmp(e->def->name, name) == 0;
}

const char *
cli_ext(const struct lysc_node *node, const char *name)
{
	LY_ARRAY_COUNT_TYPE i;

	LY_ARRAY_FOR(node->exts, i)
		if (ext_is(&node->exts[i], name))
			return node->exts[i].argument;
	return NULL;
}

/* The data parent: choice and case nodes do not appear in data. */
static const struct lysc_node *
data_parent(const struct lysc_node *sn)
{
	for (sn = sn->parent; sn && (sn->nodetype & (LYS_CHOICE | LYS_CASE));
	     sn = sn->parent)
		;
	return sn;
}

const struct lysc_type *
cli_leaf_type(const struct lysc_node *sn)
{
	if (sn->nodetype == LYS_LEAF)
		return ((const struct lysc_node_leaf *)sn)->type;
	if (sn->nodetype == LYS_LEAFLIST)
		return ((const struct lysc_node_leaflist *)sn)->type;
	return NULL;
}

/* A data child of `parent` by name ("name" or "module:name"). */
static const struct lysc_node *
find_child(const struct lysc_node *parent, const char *name, size_t len)
{
	const struct lysc_node *c = NULL;
	const char *colon = memchr(name, ':', len);
	const char *mod = NULL;
	size_t modlen = 0;

	if (colon) {
		mod = name;
		modlen = (size_t)(colon - name);
		len -= modlen + 1;
		name = colon + 1;
	}
	while ((c = lys_getnext(c, parent, NULL, 0)) != NULL) {
		if (strlen(c->name) != len || strncmp(c->name, name, len) != 0)
			continue;
		if (mod && (strlen(c->module->name) != modlen ||
			    strncmp(c->module->name, mod, modlen) != 0))
			continue;
		return c;
	}
	return NULL;
}

void
cli_path_seg(struct wp_vty_buf *b, const struct lysc_node *sn,
	     const struct lysc_node *prev)
{
	if (prev == NULL || prev->module != sn->module)
		wp_vty_buf_printf(b, "/%s:%s", sn->module->name, sn->name);
	else
		wp_vty_buf_printf(b, "/%s", sn->name);
}

int
cli_path_pred(struct wp_vty_buf *b, const char *name, const char *val)
{
	char q = strchr(val, '\'') ? '"' : '\'';

	if (q == '"' && strchr(val, '"'))
		return -1;
	wp_vty_buf_printf(b, "[%s=%c%s%c]", name, q, val, q);
	return 0;
}

struct wp_cli_mode *
cli_mode_of_node(const struct wp_cli *cli, const struct lysc_node *node)
{
	for (size_t i = 0; i < cli->nmodes; i++)
		if (cli->modes[i]->node == node)
			return cli->modes[i];
	return NULL;
}

struct cli_cmd *
cli_cmd_of_node(const struct wp_cli_mode *mode, const struct lysc_node *node)
{
	for (size_t i = 0; i < mode->ncmds; i++)
		if (mode->cmds[i]->node == node && !mode->cmds[i]->no_only)
			return mode->cmds[i];
	return NULL;
}

/* The mode a command on `node` is typed in. */
static struct wp_cli_mode *
mode_for(struct wp_cli *cli, const struct lysc_node *node)
{
	const struct lysc_node *sn;

	for (sn = data_parent(node); sn; sn = data_parent(sn)) {
		struct wp_cli_mode *m = cli_mode_of_node(cli, sn);

		if (m)
			return m;
	}
	return &cli->root;
}

/* --- displays and help ----------------------------------------------- */

static char *
first_sentence(const char *dsc)
{
	struct wp_vty_buf b = { 0 };
	bool blank = false;
	char *s;

	for (const char *p = dsc; *p; p++) {
		if (*p == '.' && (p[1] == '\0' || isspace((unsigned char)p[1])))
			break;
		if (isspace((unsigned char)*p)) {
			blank = b.len > 0;
			continue;
		}
		if (blank)
			wp_vty_buf_add(&b, " ", 1);
		blank = false;
		wp_vty_buf_add(&b, p, 1);
	}
	s = wp_strdup(MT_CLI, b.data ? b.data : "");
	wp_vty_buf_free(&b);
	return s;
}

static void
type_display(struct wp_vty_buf *b, const struct lysc_type *type,
	     const struct lysc_node *leaf, bool after_slash, size_t *nalts);

static void
display_alt(struct wp_vty_buf *b, size_t *nalts, const char *fmt,
	    const char *s)
{
	if ((*nalts)++ > 0)
		wp_vty_buf_add(b, "|", 1);
	wp_vty_buf_printf(b, fmt, s);
}

static bool
type_admits_nothing_but_empty(const struct lysc_type *t)
{
	const struct lysc_range *r;

	if (t->basetype != LY_TYPE_STRING)
		return false;
	r = ((const struct lysc_type_str *)t)->length;
	return r && LY_ARRAY_COUNT(r->parts) == 1 && r->parts[0].max_u64 == 0;
}

static void
type_display(struct wp_vty_buf *b, const struct lysc_type *type,
	     const struct lysc_node *leaf, bool after_slash, size_t *nalts)
{
	const struct lysc_type_union *u;
	const struct lysc_type_enum *en;
	LY_ARRAY_COUNT_TYPE i;
	char *bounds, *name;

	type = wp_yang_type_real(type);
	switch (wp_yang_type_class(type)) {
	case WP_YT_INT:
		if (after_slash) {
			display_alt(b, nalts, "%s", "M");
			break;
		}
		/* "0 | 3..65535" -> "(0|3-65535)" */
		bounds = wp_yang_type_bounds(type);
		if ((*nalts)++ > 0)
			wp_vty_buf_add(b, "|", 1);
		wp_vty_buf_add(b, "(", 1);
		for (const char *p = bounds; *p; p++) {
			if (strncmp(p, "..", 2) == 0) {
				wp_vty_buf_add(b, "-", 1);
				p++;
			} else if (strncmp(p, " | ", 3) == 0) {
				wp_vty_buf_add(b, "|", 1);
				p += 2;
			} else {
				wp_vty_buf_add(b, p, 1);
			}
		}
		wp_vty_buf_add(b, ")", 1);
		wp_free(MT_STRING, bounds);
		break;
	case WP_YT_IPV4:
		display_alt(b, nalts, "%s", "A.B.C.D");
		break;
	case WP_YT_IPV4_PREFIX:
		display_alt(b, nalts, "%s", "A.B.C.D/M");
		break;
	case WP_YT_IPV6:
		display_alt(b, nalts, "%s", "X:X::X:X");
		break;
	case WP_YT_IPV6_PREFIX:
		display_alt(b, nalts, "%s", "X:X::X:X/M");
		break;
	case WP_YT_ENUM:
		en = (const struct lysc_type_enum *)type;
		LY_ARRAY_FOR(en->enums, i)
			display_alt(b, nalts, "%s", en->enums[i].name);
		break;
	case WP_YT_UNION:
		u = (const struct lysc_type_union *)type;
		LY_ARRAY_FOR(u->types, i)
			if (!type_admits_nothing_but_empty(u->types[i]))
				type_display(b, u->types[i], leaf, after_slash,
					     nalts);
		break;
	case WP_YT_BOOL:
	case WP_YT_EMPTY:
		display_alt(b, nalts, "%s", leaf->name);
		break;
	default:
		name = wp_strdup(MT_TMP, leaf->name);
		for (char *p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		display_alt(b, nalts, "%s", name);
		wp_free(MT_TMP, name);
		break;
	}
}

char *
cli_type_display(const struct lysc_type *type, const struct lysc_node *leaf)
{
	struct wp_vty_buf b = { 0 };
	size_t nalts = 0;

	type_display(&b, type, leaf, false, &nalts);
	return cli_strdup_buf(&b);
}

static char *
var_display(const struct cli_var *v, bool after_slash)
{
	struct wp_vty_buf b = { 0 }, w = { 0 };
	size_t nalts = 0;
	char *s;

	if (v->flag)
		return wp_strdup(MT_CLI, v->leaf->name);
	type_display(&b, cli_leaf_type(v->leaf), v->leaf, after_slash, &nalts);
	if (nalts > 1)
		wp_vty_buf_printf(&w, "(%s)", b.data);
	else
		wp_vty_buf_printf(&w, "%s", b.data ? b.data : "");
	if (v->rest)
		wp_vty_buf_add(&w, "...", 3);
	wp_vty_buf_free(&b);
	s = wp_strdup(MT_CLI, w.data);
	wp_vty_buf_free(&w);
	return s;
}

/*
 * Help of a keyword: the node's own wpcli:keyword, then its module's
 * (`anyone` false), or any module's (`anyone` true).
 */
static const char *
keyword_help(const struct wp_cli *cli, const struct lysc_node *node,
	     const char *word, bool anyone)
{
	for (int pass = anyone ? 2 : 0; pass < (anyone ? 3 : 2); pass++) {
		for (size_t i = 0; i < cli->nkws; i++) {
			const struct cli_keyword *k = &cli->kws[i];

			if (strcmp(k->word, word) != 0)
				continue;
			if (pass == 0 && k->node == node)
				return k->help;
			if (pass == 1 && k->node == NULL &&
			    k->module == node->module)
				return k->help;
			if (pass == 2 && k->node == NULL)
				return k->help;
		}
	}
	return NULL;
}

static char *
node_help(const struct lysc_node *sn)
{
	const char *help = cli_ext(sn, "help");

	if (help)
		return wp_strdup(MT_CLI, help);
	if (sn->dsc)
		return first_sentence(sn->dsc);
	return wp_strdup(MT_CLI, sn->name);
}

/* --- template parsing ------------------------------------------------ */

struct seq {
	size_t len;
	uint16_t idx[CLI_MAX_WORDS];
};

struct seqset {
	size_t n;
	struct seq *v;
};

struct tparser {
	struct build *b;
	struct cli_cmd *cmd;
	const char *p;
	const char *why;
};

static void
set_free(struct seqset *s)
{
	wp_free(MT_TMP, s->v);
	s->v = NULL;
	s->n = 0;
}

static int
set_push(struct seqset *s, const struct seq *q)
{
	if (s->n == CLI_MAX_FORMS)
		return -1;
	s->v = wp_realloc(MT_TMP, s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = *q;
	return 0;
}

static int
set_product(struct seqset *a, const struct seqset *bset)
{
	struct seqset r = { 0 };

	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < bset->n; j++) {
			struct seq q = a->v[i];

			if (q.len + bset->v[j].len > CLI_MAX_WORDS)
				goto out_fail;
			memcpy(q.idx + q.len, bset->v[j].idx,
			       bset->v[j].len * sizeof(q.idx[0]));
			q.len += bset->v[j].len;
			if (set_push(&r, &q) == -1)
				goto out_fail;
		}
	}
	set_free(a);
	*a = r;
	return 0;

out_fail:
	set_free(&r);
	return -1;
}

static int
set_union(struct seqset *a, struct seqset *bset)
{
	for (size_t i = 0; i < bset->n; i++)
		if (set_push(a, &bset->v[i]) == -1)
			return -1;
	set_free(bset);
	return 0;
}

static bool
is_special(char c)
{
	return c == '(' || c == ')' || c == '[' || c == ']' || c == '|';
}

/* Resolve a reference ("name", "../name", "timers/hello") to a leaf. */
static int
var_resolve(struct tparser *tp, const char *ref, size_t len,
	    struct cli_var *v)
{
	struct cli_cmd *cmd = tp->cmd;
	const struct lysc_node *s = cmd->node, *cur, *leaf = NULL;
	struct wp_vty_buf rel = { 0 };
	size_t level = cmd->npath - 1;

	if (memchr(ref, '/', len) == NULL) {
		if ((s->nodetype & LYD_NODE_TERM) &&
		    strlen(s->name) == len && strncmp(s->name, ref, len) == 0) {
			leaf = s;
		} else if (!(s->nodetype & LYD_NODE_TERM) &&
			   (leaf = find_child(s, ref, len)) != NULL) {
			;
		} else {
			for (size_t i = cmd->npath - 1; i-- > 0 && !leaf;) {
				leaf = find_child(cmd->path[i], ref, len);
				level = i;
			}
		}
		if (leaf == NULL || !(leaf->nodetype & LYD_NODE_TERM)) {
			tp->why = "no leaf of that name here or above";
			return -1;
		}
		if (leaf != s)
			cli_path_seg(&rel, leaf, cmd->path[level]);
	} else {
		const char *p = ref, *end = ref + len;

		cur = s;
		while (p < end) {
			const char *slash = memchr(p, '/', (size_t)(end - p));
			size_t n = slash ? (size_t)(slash - p) : (size_t)(end - p);

			if (leaf) {
				tp->why = "path goes on past a leaf";
				goto out_fail;
			}
			if (n == 2 && strncmp(p, "..", 2) == 0) {
				if (rel.len || level == 0) {
					tp->why = "'..' leaves the mode";
					goto out_fail;
				}
				cur = cmd->path[--level];
			} else {
				const struct lysc_node *c = find_child(cur, p, n);

				if (c == NULL || c->nodetype == LYS_LIST) {
					tp->why = "no such leaf or container";
					goto out_fail;
				}
				cli_path_seg(&rel, c, cur);
				if (c->nodetype & LYD_NODE_TERM)
					leaf = c;
				cur = c;
			}
			p += n + (slash != NULL);
		}
		if (leaf == NULL) {
			tp->why = "the path does not end at a leaf";
			goto out_fail;
		}
	}
	v->leaf = leaf;
	v->level = level;
	v->self = leaf == s;
	/* Relative data paths carry no leading '/'. */
	v->relpath = wp_strdup(MT_CLI, rel.len ? rel.data + 1 : "");
	v->key = lysc_is_key(leaf) && data_parent(leaf) == cmd->path[level];
	wp_vty_buf_free(&rel);
	return 0;

out_fail:
	wp_vty_buf_free(&rel);
	return -1;
}

static struct cli_var *
var_get(struct tparser *tp, const char *ref, size_t len)
{
	struct cli_cmd *cmd = tp->cmd;
	struct cli_var *v = wp_calloc(MT_CLI, sizeof(*v));

	v->rest = len > 3 && strncmp(ref + len - 3, "...", 3) == 0;
	if (v->rest)
		len -= 3;
	if (len == 0 || var_resolve(tp, ref, len, v) == -1) {
		if (tp->why == NULL)
			tp->why = "empty reference";
		wp_free(MT_CLI, v);
		return NULL;
	}
	for (size_t i = 0; i < cmd->nvars; i++) {
		if (cmd->vars[i]->leaf == v->leaf &&
		    cmd->vars[i]->level == v->level) {
			if (cmd->vars[i]->rest != v->rest) {
				tp->why = "a reference with and without '...'";
				wp_free(MT_CLI, v->relpath);
				wp_free(MT_CLI, v);
				return NULL;
			}
			wp_free(MT_CLI, v->relpath);
			wp_free(MT_CLI, v);
			return cmd->vars[i];
		}
	}
	v->cls = wp_yang_type_class(cli_leaf_type(v->leaf));
	v->flag = v->cls == WP_YT_BOOL || v->cls == WP_YT_EMPTY;
	v->display = var_display(v, false);
	v->help = node_help(v->leaf);
	cmd->vars = wp_realloc(MT_CLI, cmd->vars,
			       (cmd->nvars + 1) * sizeof(*cmd->vars));
	cmd->vars[cmd->nvars++] = v;
	return v;
}

static bool
keyword_ok(const char *s)
{
	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return false;
	return s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.")] == '\0';
}

static struct cli_tok *
tok_new(struct cli_cmd *cmd)
{
	struct cli_tok *t;

	cmd->toks = wp_realloc(MT_CLI, cmd->toks,
			       (cmd->ntoks + 1) * sizeof(*cmd->toks));
	t = &cmd->toks[cmd->ntoks++];
	memset(t, 0, sizeof(*t));
	return t;
}

static void
parts_free(struct cli_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		wp_free(MT_CLI, parts[i].lit);
	wp_free(MT_CLI, parts);
}

/* A word of the template: keyword, reference, or a mix of both. */
static int
parse_word(struct tparser *tp, struct seqset *out)
{
	struct cli_part *parts = NULL;
	struct seq q = { 0 };
	struct cli_tok *t;
	size_t nparts = 0;

	while (*tp->p && !isspace((unsigned char)*tp->p) &&
	       !is_special(*tp->p)) {
		struct cli_part part = { 0 };

		if (*tp->p == '{') {
			const char *close = strchr(tp->p, '}');

			if (close == NULL) {
				tp->why = "'{' without '}'";
				goto out_fail;
			}
			part.var = var_get(tp, tp->p + 1,
					   (size_t)(close - tp->p - 1));
			if (part.var == NULL)
				goto out_fail;
			tp->p = close + 1;
		} else if (*tp->p == '}') {
			tp->why = "'}' without '{'";
			goto out_fail;
		} else {
			size_t n = strcspn(tp->p, "{} \t\n()[]|");

			part.lit = wp_strndup(MT_CLI, tp->p, n);
			tp->p += n;
		}
		parts = wp_realloc(MT_CLI, parts,
				   (nparts + 1) * sizeof(*parts));
		parts[nparts++] = part;
	}
	if (nparts == 0) {
		tp->why = "empty word";
		goto out_fail;
	}
	if (tp->cmd->ntoks == UINT16_MAX) {
		tp->why = "too many words";
		goto out_fail;
	}
	q.idx[0] = (uint16_t)tp->cmd->ntoks;
	q.len = 1;
	t = tok_new(tp->cmd);
	if (nparts == 1 && parts[0].lit) {
		t->kind = CT_KEYWORD;
		t->text = parts[0].lit;
		wp_free(MT_CLI, parts);
		if (!keyword_ok(t->text)) {
			tp->why = "a keyword is lower-case letters, digits, "
				  "'-' and '.'";
			return -1;
		}
	} else if (nparts == 1) {
		t->kind = CT_VAR;
		t->var = parts[0].var;
		t->text = wp_strdup(MT_CLI, t->var->display);
		t->help = t->var->help;
		wp_free(MT_CLI, parts);
	} else {
		struct wp_vty_buf d = { 0 };

		t->kind = CT_COMPOUND;
		t->parts = parts;
		t->nparts = nparts;
		for (size_t i = 0; i < nparts; i++) {
			char *disp;

			if (parts[i].lit) {
				wp_vty_buf_printf(&d, "%s", parts[i].lit);
				continue;
			}
			if (parts[i].var->flag || parts[i].var->rest ||
			    parts[i].var->cls == WP_YT_ENUM) {
				tp->why = "a flag, keyword or '...' value in "
					  "a compound word";
				wp_vty_buf_free(&d);
				return -1;
			}
			if (i + 1 < nparts && parts[i + 1].var) {
				tp->why = "two values without a separator";
				wp_vty_buf_free(&d);
				return -1;
			}
			disp = var_display(parts[i].var, i > 0 &&
					   parts[i - 1].lit &&
					   strcmp(parts[i - 1].lit, "/") == 0);
			wp_vty_buf_printf(&d, "%s", disp);
			wp_free(MT_CLI, disp);
		}
		t->text = wp_strdup(MT_CLI, d.data);
		wp_vty_buf_free(&d);
		t->help = parts[0].var ? parts[0].var->help :
			  parts[1].var->help;
	}
	return set_push(out, &q);

out_fail:
	parts_free(parts, nparts);
	return -1;
}

static int parse_alts(struct tparser *tp, struct seqset *out, char close);

static int
parse_elem(struct tparser *tp, struct seqset *out)
{
	struct seq empty = { 0 };
	char open = *tp->p;

	if (open != '(' && open != '[')
		return parse_word(tp, out);
	tp->p++;
	if (parse_alts(tp, out, open == '(' ? ')' : ']') == -1)
		return -1;
	tp->p++;
	return open == '[' ? set_push(out, &empty) : 0;
}

static int
parse_seq(struct tparser *tp, struct seqset *out)
{
	struct seq empty = { 0 };

	if (set_push(out, &empty) == -1)
		return -1;
	for (;;) {
		struct seqset elem = { 0 };

		while (isspace((unsigned char)*tp->p))
			tp->p++;
		if (*tp->p == '\0' || *tp->p == '|' || *tp->p == ')' ||
		    *tp->p == ']')
			return 0;
		if (parse_elem(tp, &elem) == -1 ||
		    set_product(out, &elem) == -1) {
			if (tp->why == NULL)
				tp->why = "too many forms";
			set_free(&elem);
			return -1;
		}
		set_free(&elem);
	}
}

static int
parse_alts(struct tparser *tp, struct seqset *out, char close)
{
	for (;;) {
		struct seqset alt = { 0 };

		if (parse_seq(tp, &alt) == -1 || alt.v[0].len == 0 ||
		    set_union(out, &alt) == -1) {
			if (tp->why == NULL)
				tp->why = "empty alternative";
			set_free(&alt);
			return -1;
		}
		if (*tp->p != '|')
			break;
		tp->p++;
	}
	if (*tp->p != close) {
		tp->why = close ? "unbalanced brackets" : "stray bracket";
		return -1;
	}
	return 0;
}

/* --- commands -------------------------------------------------------- */

static bool
tok_has_var(const struct cli_tok *t, const struct cli_var *v)
{
	if (t->kind == CT_VAR)
		return t->var == v;
	for (size_t i = 0; t->kind == CT_COMPOUND && i < t->nparts; i++)
		if (t->parts[i].var == v)
			return true;
	return false;
}

bool
cli_form_has_var(const struct cli_form *f, const struct cli_var *v)
{
	for (size_t i = 0; i < f->len; i++)
		if (tok_has_var(f->tok[i], v))
			return true;
	return false;
}

/* Keys name the instance; so does a leaf-list's value. */
static bool
var_identifies(const struct cli_cmd *cmd, const struct cli_var *v)
{
	return v->key || (v->self && cmd->node->nodetype == LYS_LEAFLIST);
}

static void
form_no_min(const struct cli_cmd *cmd, struct cli_form *f)
{
	size_t after_id = 0, first_other = f->len;

	for (size_t i = 0; i < f->len; i++) {
		const struct cli_tok *t = f->tok[i];

		for (size_t k = 0; k < cmd->nvars; k++) {
			if (!tok_has_var(t, cmd->vars[k]))
				continue;
			if (var_identifies(cmd, cmd->vars[k]))
				after_id = i + 1;
			else if (first_other == f->len)
				first_other = i;
		}
	}
	/* Without its auto-increment key a form names no instance: no 'no'
	 * form (`no ip prefix-list L permit ...` would be `no ip
	 * prefix-list L`). */
	for (size_t k = 0; k < cmd->nvars; k++) {
		if (cmd->vars[k]->key &&
		    cli_ext(cmd->vars[k]->leaf, "auto-increment") &&
		    !cli_form_has_var(f, cmd->vars[k])) {
			f->no_min = SIZE_MAX;
			return;
		}
	}
	if (cmd->node->nodetype == LYS_LIST)
		f->no_min = after_id ? after_id : f->len;
	else
		f->no_min = first_other > after_id ? first_other : after_id;
	if (f->no_min == 0)
		f->no_min = f->len;
}

/* The value an optional key takes when left out. */
static const char *
key_absent(struct wp_cli *cli, const struct cli_var *v)
{
	const char *d = cli_ext(v->leaf, "default");

	if (cli_ext(v->leaf, "auto-increment"))
		return CLI_AUTO_MARK;
	if (d)
		return d;
	if (v->cls == WP_YT_BOOL)
		return "false";
	if (lyd_value_validate(cli->ctx, v->leaf, "", 0, NULL, NULL, NULL) ==
	    LY_SUCCESS)
		return "";
	ly_err_clean(cli->ctx, NULL);
	return NULL;
}

static int
cmd_check(struct build *b, struct cli_cmd *cmd)
{
	struct wp_cli *cli = b->cli;
	const struct lysc_node *sn = cmd->node;

	for (size_t k = 0; k < cmd->nvars; k++) {
		struct cli_var *v = cmd->vars[k];

		for (size_t i = 0; i < cmd->nforms; i++) {
			const struct cli_form *f = &cmd->forms[i];

			if (!cli_form_has_var(f, v))
				v->optional = true;
			for (size_t j = 0; j + 1 < f->len; j++) {
				if (f->tok[j]->kind == CT_VAR &&
				    f->tok[j]->var->rest) {
					build_err(b, "\"%s\": '...' must be the "
						  "last word", cmd->tmpl);
					return -1;
				}
			}
		}
		if (v->key && v->optional &&
		    (v->absent = key_absent(cli, v)) == NULL) {
			build_err(b, "\"%s\": key %s may be left out but has "
				  "no wpcli:default", cmd->tmpl, v->leaf->name);
			return -1;
		}
		if (v->self && v->optional && !v->flag) {
			build_err(b, "\"%s\": some form does not set %s",
				  cmd->tmpl, sn->name);
			return -1;
		}
	}
	/* Every key of every list down to the node. */
	for (size_t l = 0; l < cmd->npath; l++) {
		const struct lysc_node *key = NULL;

		if (cmd->path[l]->nodetype != LYS_LIST)
			continue;
		while ((key = lys_getnext(key, cmd->path[l], NULL, 0)) != NULL) {
			size_t k;

			if (!lysc_is_key(key))
				break;
			for (k = 0; k < cmd->nvars; k++)
				if (cmd->vars[k]->leaf == key &&
				    cmd->vars[k]->level == l)
					break;
			if (k == cmd->nvars) {
				build_err(b, "\"%s\": key %s of %s is not in "
					  "the template", cmd->tmpl, key->name,
					  cmd->path[l]->name);
				return -1;
			}
		}
	}
	if ((sn->nodetype & LYD_NODE_TERM) && !cmd->no_only) {
		bool self = false;

		for (size_t k = 0; k < cmd->nvars; k++)
			self = self || cmd->vars[k]->self;
		if (!self && !(sn->nodetype == LYS_LEAF &&
			       (wp_yang_type_class(cli_leaf_type(sn)) == WP_YT_BOOL ||
				wp_yang_type_class(cli_leaf_type(sn)) ==
				WP_YT_EMPTY))) {
			build_err(b, "\"%s\": the template does not set %s",
				  cmd->tmpl, sn->name);
			return -1;
		}
	}
	if (cmd->enters && !(sn->nodetype & (LYS_LIST | LYS_CONTAINER))) {
		build_err(b, "\"%s\": only a list or container opens a mode",
			  cmd->tmpl);
		return -1;
	}
	return 0;
}

/* The template with each reference shown as its display. */
static void
cmd_syntax(struct cli_cmd *cmd)
{
	struct tparser tp = { .cmd = cmd };
	struct wp_vty_buf s = { 0 };
	const char *p = cmd->tmpl;
	struct cli_var tmp;
	size_t len;
	bool rest;
	char *disp;

	if (cmd->no_only)
		wp_vty_buf_printf(&s, "no ");
	while (*p) {
		const char *close;

		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			wp_vty_buf_add(&s, p++, 1);
			continue;
		}
		len = (size_t)(close - p - 1);
		rest = len > 3 && strncmp(close - 3, "...", 3) == 0;
		memset(&tmp, 0, sizeof(tmp));
		if (var_resolve(&tp, p + 1, rest ? len - 3 : len, &tmp) == 0) {
			tmp.cls = wp_yang_type_class(cli_leaf_type(tmp.leaf));
			tmp.flag = tmp.cls == WP_YT_BOOL ||
				   tmp.cls == WP_YT_EMPTY;
			tmp.rest = rest;
			disp = var_display(&tmp, p > cmd->tmpl && p[-1] == '/');
			wp_vty_buf_printf(&s, "%s", disp);
			wp_free(MT_CLI, disp);
			wp_free(MT_CLI, tmp.relpath);
		}
		p = close + 1;
	}
	cmd->syntax = cli_strdup_buf(&s);
}

static void
cmd_free(struct cli_cmd *cmd)
{
	for (size_t i = 0; i < cmd->ntoks; i++) {
		struct cli_tok *t = &cmd->toks[i];

		wp_free(MT_CLI, t->text);
		parts_free(t->parts, t->nparts);
	}
	for (size_t i = 0; i < cmd->nvars; i++) {
		wp_free(MT_CLI, cmd->vars[i]->relpath);
		wp_free(MT_CLI, cmd->vars[i]->display);
		wp_free(MT_CLI, cmd->vars[i]->help);
		wp_free(MT_CLI, cmd->vars[i]);
	}
	for (size_t i = 0; i < cmd->nforms; i++)
		wp_free(MT_CLI, cmd->forms[i].tok);
	wp_free(MT_CLI, cmd->forms);
	wp_free(MT_CLI, cmd->vars);
	wp_free(MT_CLI, cmd->toks);
	wp_free(MT_CLI, cmd->path);
	wp_free(MT_CLI, cmd->tmpl);
	wp_free(MT_CLI, cmd->flag_help);
	wp_free(MT_STRING, cmd->syntax);
	wp_free(MT_CLI, cmd);
}

static void
cli_add_cmd(struct wp_cli *cli, struct cli_cmd *cmd)
{
	cmd->seq = cli->ncmds;
	cli->cmds = wp_realloc(MT_CLI, cli->cmds,
			       (cli->ncmds + 1) * sizeof(*cli->cmds));
	cli->cmds[cli->ncmds++] = cmd;
}

static void
mode_add_cmd(struct wp_cli_mode *m, struct cli_cmd *cmd)
{
	m->cmds = wp_realloc(MT_CLI, m->cmds, (m->ncmds + 1) * sizeof(*m->cmds));
	m->cmds[m->ncmds++] = cmd;
}

static int
cmd_order(const struct cli_cmd *cmd)
{
	for (size_t i = cmd->npath; i-- > 0;) {
		const char *o = cli_ext(cmd->path[i], "order");

		if (o)
			return atoi(o);
	}
	return CLI_ORDER_DEFAULT;
}

static int
cmd_build(struct build *b, const struct lysc_node *node, const char *tmpl,
	  bool no_only)
{
	struct wp_cli *cli = b->cli;
	struct cli_cmd *cmd = wp_calloc(MT_CLI, sizeof(*cmd));
	struct tparser tp = { .b = b, .cmd = cmd };
	struct seqset set = { 0 };
	const struct lysc_node *sn;
	size_t n = 0;

	cmd->node = node;
	cmd->tmpl = wp_strdup(MT_CLI, tmpl);
	cmd->no_only = no_only;
	cmd->mode = mode_for(cli, node);
	for (sn = node; sn && sn != cmd->mode->node; sn = data_parent(sn))
		n++;
	cmd->path = wp_calloc(MT_CLI, n * sizeof(*cmd->path));
	cmd->npath = n;
	for (sn = node; n > 0; sn = data_parent(sn))
		cmd->path[--n] = sn;
	if (!no_only && cli_ext(node, "mode")) {
		cmd->enters = cli_mode_of_node(cli, node);
		cmd->enters->cmd = cmd;
	}
	cmd->order = cmd_order(cmd);

	tp.p = tmpl;
	if (parse_alts(&tp, &set, '\0') == -1) {
		build_err(b, "\"%s\" (on %s): %s near \"%s\"", tmpl, node->name,
			  tp.why ? tp.why : "bad template", tp.p);
		goto out_fail;
	}
	cmd->forms = wp_calloc(MT_CLI, set.n * sizeof(*cmd->forms));
	for (size_t i = 0; i < set.n; i++) {
		struct cli_form *f = &cmd->forms[i];

		f->len = set.v[i].len;
		f->tok = wp_calloc(MT_CLI, f->len * sizeof(*f->tok));
		for (size_t j = 0; j < f->len; j++)
			f->tok[j] = &cmd->toks[set.v[i].idx[j]];
		f->rest = f->tok[f->len - 1]->kind == CT_VAR &&
			  f->tok[f->len - 1]->var->rest;
		cmd->nforms++;
	}
	set_free(&set);
	for (size_t i = 0; i < cmd->ntoks; i++) {
		struct cli_tok *t = &cmd->toks[i];

		if (t->kind != CT_KEYWORD)
			continue;
		/* A bare flag ("shutdown") is its leaf's own word. */
		t->help = keyword_help(cli, node, t->text, false);
		if (t->help == NULL && i + 1 == cmd->ntoks && cmd->nvars == 0 &&
		    (node->nodetype & LYD_NODE_TERM))
			t->help = cmd->flag_help = node_help(node);
		if (t->help == NULL)
			t->help = keyword_help(cli, node, t->text, true);
		if (t->help == NULL) {
			build_err(b, "\"%s\": keyword '%s' has no help "
				  "(wpcli:keyword)", tmpl, t->text);
			goto out_fail;
		}
	}
	if (cmd_check(b, cmd) == -1)
		goto out_fail;
	for (size_t i = 0; i < cmd->nforms; i++)
		form_no_min(cmd, &cmd->forms[i]);
	cmd_syntax(cmd);
	cli_add_cmd(cli, cmd);
	mode_add_cmd(cmd->mode, cmd);
	return 0;

out_fail:
	set_free(&set);
	if (cmd->enters)
		cmd->enters->cmd = NULL;
	cmd_free(cmd);
	return -1;
}

/* --- built-in commands ----------------------------------------------- */

static struct cli_cmd *
builtin_new(struct wp_cli *cli, const char *word, const char *help,
	    enum cli_builtin kind)
{
	struct cli_cmd *cmd = wp_calloc(MT_CLI, sizeof(*cmd));
	struct cli_tok *t = tok_new(cmd);

	t->kind = CT_KEYWORD;
	t->text = wp_strdup(MT_CLI, word);
	t->help = help;
	cmd->tmpl = wp_strdup(MT_CLI, word);
	cmd->syntax = wp_strdup(MT_STRING, word);
	cmd->builtin = kind;
	cmd->forms = wp_calloc(MT_CLI, sizeof(*cmd->forms));
	cmd->forms[0].len = 1;
	cmd->forms[0].no_min = 1;
	cmd->forms[0].tok = wp_calloc(MT_CLI, sizeof(*cmd->forms[0].tok));
	cmd->forms[0].tok[0] = &cmd->toks[0];
	cmd->nforms = 1;
	cli_add_cmd(cli, cmd);
	return cmd;
}

static void
builtins_attach(struct wp_cli *cli, struct wp_cli_mode *m,
		struct cli_cmd *exit_cmd, struct cli_cmd *quit_cmd,
		struct cli_cmd *end_cmd)
{
	m->builtins[m->nbuiltins++] = exit_cmd;
	m->builtins[m->nbuiltins++] = quit_cmd;
	m->builtins[m->nbuiltins++] = end_cmd;
	if (strcmp(m->exit_word, "exit") != 0)
		m->builtins[m->nbuiltins++] = builtin_new(cli, m->exit_word,
							  "Exit from this mode",
							  CB_EXIT);
}

/* --- conflicts ------------------------------------------------------- */

/* Free strings ("NAME", "INTERFACE") take the same words. */
static bool
tok_is_word(const struct cli_tok *t)
{
	return t->kind == CT_VAR && !t->var->flag &&
	       (t->var->cls == WP_YT_STRING || t->var->cls == WP_YT_IDENTITY ||
		t->var->cls == WP_YT_OTHER);
}

static bool
tok_same(const struct cli_tok *a, const struct cli_tok *b)
{
	if (a->kind != b->kind)
		return false;
	if (tok_is_word(a) && tok_is_word(b))
		return true;
	return strcmp(a->text, b->text) == 0;
}

static bool
form_same(const struct cli_form *a, const struct cli_form *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (!tok_same(a->tok[i], b->tok[i]))
			return false;
	return true;
}

static int
mode_check_clashes(struct build *b, const struct wp_cli_mode *m)
{
	for (size_t i = 0; i < m->ncmds; i++) {
		for (size_t j = i + 1; j < m->ncmds; j++) {
			const struct cli_cmd *x = m->cmds[i], *y = m->cmds[j];

			for (size_t fi = 0; fi < x->nforms; fi++) {
				for (size_t fj = 0; fj < y->nforms; fj++) {
					if (!form_same(&x->forms[fi],
						       &y->forms[fj]))
						continue;
					build_err(b, "\"%s\" and \"%s\" (mode "
						  "%s) have a form in common",
						  x->tmpl, y->tmpl, m->prompt);
					return -1;
				}
			}
		}
	}
	return 0;
}

/* --- the walk -------------------------------------------------------- */

static void
keywords_add(struct wp_cli *cli, struct lysc_ext_instance *exts,
	     const struct lys_module *mod, const struct lysc_node *node,
	     struct build *b)
{
	LY_ARRAY_COUNT_TYPE i;

	LY_ARRAY_FOR(exts, i) {
		const char *arg = exts[i].argument, *sp;
		struct cli_keyword *k;

		if (!ext_is(&exts[i], "keyword"))
			continue;
		if (arg == NULL || (sp = strchr(arg, ' ')) == NULL ||
		    sp == arg) {
			build_err(b, "%s: wpcli:keyword \"%s\" is not "
				  "'WORD HELP'", mod->name, arg ? arg : "");
			continue;
		}
		cli->kws = wp_realloc(MT_CLI, cli->kws,
				      (cli->nkws + 1) * sizeof(*cli->kws));
		k = &cli->kws[cli->nkws++];
		k->module = mod;
		k->node = node;
		k->word = wp_strndup(MT_CLI, arg, (size_t)(sp - arg));
		k->help = wp_strdup(MT_CLI, sp + 1);
	}
}

static void
mode_new(struct build *b, const struct lysc_node *node, const char *prompt)
{
	struct wp_cli *cli = b->cli;
	struct wp_cli_mode *m = wp_calloc(MT_CLI, sizeof(*m));
	const char *ew = cli_ext(node, "exit-command");

	m->node = node;
	m->prompt = wp_strdup(MT_CLI, prompt);
	m->exit_word = wp_strdup(MT_CLI, ew ? ew : "exit");
	m->parent = mode_for(cli, node);
	cli->modes = wp_realloc(MT_CLI, cli->modes,
				(cli->nmodes + 1) * sizeof(*cli->modes));
	cli->modes[cli->nmodes++] = m;
}

typedef void (*walk_fn)(struct build *b, const struct lysc_node *sn);

/* Depth first, parents before children, in schema order.  State
 * (config false) is shown, never configured: no mode, no command. */
static void
walk_tree(struct build *b, const struct lysc_node *sn, walk_fn fn)
{
	const struct lysc_node *c;

	if (sn->flags & LYS_CONFIG_R)
		return;
	fn(b, sn);
	LY_LIST_FOR(lysc_node_child(sn), c)
		walk_tree(b, c, fn);
}

static void
walk_modules(struct build *b, walk_fn fn)
{
	const struct lys_module *mod;
	uint32_t idx = 0;

	while ((mod = ly_ctx_get_module_iter(b->cli->ctx, &idx)) != NULL) {
		const struct lysc_node *top;

		if (!mod->implemented || mod->compiled == NULL)
			continue;
		LY_LIST_FOR(mod->compiled->data, top)
			walk_tree(b, top, fn);
	}
}

static void
walk_modes(struct build *b, const struct lysc_node *sn)
{
	const char *prompt = cli_ext(sn, "mode");

	keywords_add(b->cli, sn->exts, sn->module, sn, b);
	if (prompt == NULL)
		return;
	if (!cli_ext(sn, "command"))
		build_err(b, "%s: wpcli:mode without wpcli:command", sn->name);
	else
		mode_new(b, sn, prompt);
}

static void
walk_cmds(struct build *b, const struct lysc_node *sn)
{
	LY_ARRAY_COUNT_TYPE i;
	size_t ncmds = 0;

	LY_ARRAY_FOR(sn->exts, i) {
		const struct lysc_ext_instance *e = &sn->exts[i];

		/* One positive command per node: rendering picks it. */
		if (ext_is(e, "command") && ncmds++ > 0)
			build_err(b, "%s: more than one wpcli:command",
				  sn->name);
		else if (ext_is(e, "command"))
			cmd_build(b, sn, e->argument, false);
		else if (ext_is(e, "no-command"))
			cmd_build(b, sn, e->argument, true);
	}
}

struct wp_cli *
wp_cli_new(struct ly_ctx *ctx, char **err)
{
	struct wp_cli *cli = wp_calloc(MT_CLI, sizeof(*cli));
	struct build b = { .cli = cli };
	const struct lys_module *mod;
	struct cli_cmd *exit_cmd, *quit_cmd, *end_cmd;
	uint32_t idx = 0;

	cli->ctx = ctx;
	cli->root.prompt = wp_strdup(MT_CLI, "config");
	cli->root.exit_word = wp_strdup(MT_CLI, "exit");
	while ((mod = ly_ctx_get_module_iter(ctx, &idx)) != NULL) {
		const struct lysc_node *top;

		if (!mod->implemented || mod->compiled == NULL)
			continue;
		keywords_add(cli, mod->compiled->exts, mod, NULL, &b);
		LY_LIST_FOR(mod->compiled->data, top) {
			cli->tops = wp_realloc(MT_CLI, cli->tops,
					       (cli->ntops + 1) *
					       sizeof(*cli->tops));
			cli->tops[cli->ntops++] = top;
		}
	}
	walk_modules(&b, walk_modes);
	walk_modules(&b, walk_cmds);

	exit_cmd = builtin_new(cli, "exit", "Exit current mode and down to "
			       "previous mode", CB_EXIT);
	quit_cmd = builtin_new(cli, "quit", "Exit current mode and down to "
			       "previous mode", CB_EXIT);
	end_cmd = builtin_new(cli, "end", "End current mode and change to "
			      "enable mode", CB_END);
	builtins_attach(cli, &cli->root, exit_cmd, quit_cmd, end_cmd);
	for (size_t i = 0; i < cli->nmodes; i++)
		builtins_attach(cli, cli->modes[i], exit_cmd, quit_cmd,
				end_cmd);

	for (size_t i = 0; i < cli->nmodes; i++)
		if (cli->modes[i]->cmd == NULL)
			build_err(&b, "mode %s has no command entering it",
				  cli->modes[i]->prompt);
	mode_check_clashes(&b, &cli->root);
	for (size_t i = 0; i < cli->nmodes; i++)
		mode_check_clashes(&b, cli->modes[i]);

	if (b.err.len) {
		if (err)
			*err = cli_strdup_buf(&b.err);
		else
			wp_vty_buf_free(&b.err);
		wp_cli_free(cli);
		return NULL;
	}
	wp_vty_buf_free(&b.err);
	return cli;
}

static void
mode_free(struct wp_cli_mode *m)
{
	wp_free(MT_CLI, m->prompt);
	wp_free(MT_CLI, m->exit_word);
	wp_free(MT_CLI, m->cmds);
}

void
wp_cli_free(struct wp_cli *cli)
{
	if (cli == NULL)
		return;
	for (size_t i = 0; i < cli->ncmds; i++)
		cmd_free(cli->cmds[i]);
	for (size_t i = 0; i < cli->nmodes; i++) {
		mode_free(cli->modes[i]);
		wp_free(MT_CLI, cli->modes[i]);
	}
	mode_free(&cli->root);
	for (size_t i = 0; i < cli->nkws; i++) {
		wp_free(MT_CLI, cli->kws[i].word);
		wp_free(MT_CLI, cli->kws[i].help);
	}
	wp_free(MT_CLI, cli->kws);
	wp_free(MT_CLI, cli->modes);
	wp_free(MT_CLI, cli->cmds);
	wp_free(MT_CLI, cli->tops);
	wp_free(MT_CLI, cli);
}

struct ly_ctx *
wp_cli_ctx(const struct wp_cli *cli)
{
	return cli->ctx;
}

/* --- introspection --------------------------------------------------- */

static void
foreach_mode(const struct wp_cli_mode *m,
	     void (*fn)(const struct wp_cli_cmd_info *ci, void *arg),
	     void *arg)
{
	for (size_t i = 0; i < m->ncmds; i++) {
		const struct cli_cmd *cmd = m->cmds[i];
		struct wp_cli_cmd_info ci = {
			.prompt = m->prompt,
			.syntax = cmd->syntax,
			.module = cmd->node->module->name,
			.enters = cmd->enters ? cmd->enters->prompt : NULL,
			.no_only = cmd->no_only,
		};

		fn(&ci, arg);
	}
}

void
wp_cli_foreach(const struct wp_cli *cli,
	       void (*fn)(const struct wp_cli_cmd_info *ci, void *arg),
	       void *arg)
{
	foreach_mode(&cli->root, fn, arg);
	for (size_t i = 0; i < cli->nmodes; i++)
		foreach_mode(cli->modes[i], fn, arg);
}
