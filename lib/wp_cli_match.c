/*
 * wp_cli_match.c: one line of configuration -> mode change and edits;
 * completion; the mode stack.
 *
 * A line is matched word by word against every form of every command of
 * a mode (the matcher of wp_vty_cmd.c, with YANG types for values).  At
 * each word only the forms matching it best survive:
 *
 *	exact keyword > valid value > keyword prefix > bad value of the
 *	right shape ("10.0.0.300" for A.B.C.D) > any word > invalid word
 *
 * so "ip" picks "ip" over "ipv6", an address picks A.B.C.D over an
 * interface name, and "10.0.0.300" is reported as a bad address rather
 * than taken for an interface.  A keyword prefix shared by several
 * keywords is ambiguous.  "no" in front selects the 'no' forms: a form
 * cut anywhere after the words naming the instance.
 *
 * exec tries the current mode, then the enclosing ones (a line that only
 * an enclosing mode knows leaves the sub-modes, as in FRR); when none
 * takes the line, the error reported is the one from the mode that
 * matched the most words.  The matched values become edits: data paths
 * built from the mode's instance path, the command's schema path and the
 * keys, with values in libyang's canonical form.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_cli_int.h"
#include "wp_prefix.h"

#define NO_HELP		"Negate a command or set its defaults"

/* How well a word matches a token; ordered, higher is better. */
enum rank {
	R_NONE,
	R_BADSTR,		/* a string the type refuses */
	R_WORD,			/* any string */
	R_BAD,			/* right shape, bad value */
	R_PARTIAL,		/* keyword prefix */
	R_VALUE,		/* valid typed value */
	R_EXACT,		/* exact keyword */
};

struct words {
	char *copy;
	char *w[CLI_MAX_WORDS];
	size_t n;
	bool trailing_blank;
};

struct cand {
	const struct cli_cmd *cmd;
	const struct cli_form *form;
	enum rank r;
	const char *kw;		/* keyword matched; NULL: several */
};

/* The result of matching a line in one mode. */
struct match {
	int status;
	size_t progress;	/* words matched before the failure */
	char *msg;
	const struct cli_cmd *cmd;
	const struct cli_form *form;
	char *amb_msg;		/* the first word that was ambiguous */
	size_t amb_word;
};

/* --- words ----------------------------------------------------------- */

static int
words_split(struct words *ws, const char *line)
{
	char *p;

	memset(ws, 0, sizeof(*ws));
	ws->copy = wp_strdup(MT_TMP, line);
	for (p = ws->copy; *p;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (ws->n == CLI_MAX_WORDS)
			return -1;
		ws->w[ws->n++] = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	ws->trailing_blank = *line &&
			     isspace((unsigned char)line[strlen(line) - 1]);
	return 0;
}

static void
words_free(struct words *ws)
{
	wp_free(MT_TMP, ws->copy);
}

static bool
is_comment(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	return *line == '\0' || *line == '!' || *line == '#';
}

/* --- one word against one token -------------------------------------- */

static enum rank
keyword_match(const char *kw, const char *w)
{
	if (strcmp(kw, w) == 0)
		return R_EXACT;
	if (*w && strncmp(kw, w, strlen(w)) == 0)
		return R_PARTIAL;
	return R_NONE;
}

static bool
all_in(const char *w, const char *set)
{
	return *w && w[strspn(w, set)] == '\0';
}

static enum rank
int_match(const struct lysc_type *type, const char *w, const char *name,
	  struct wp_vty_buf *msg)
{
	const struct lysc_range *r = ((const struct lysc_type_num *)type)->range;
	bool sgn = type->basetype >= LY_TYPE_DEC64;
	const char *digits = w + (*w == '-' && sgn);
	LY_ARRAY_COUNT_TYPE i;
	char *end, *bounds;
	bool ok = r == NULL;

	if (!all_in(digits, "0123456789"))
		return R_NONE;
	errno = 0;
	if (sgn) {
		long long v = strtoll(w, &end, 10);

		for (i = 0; r && i < LY_ARRAY_COUNT(r->parts); i++)
			ok = ok || (v >= r->parts[i].min_64 &&
				    v <= r->parts[i].max_64);
	} else {
		unsigned long long v = strtoull(w, &end, 10);

		for (i = 0; r && i < LY_ARRAY_COUNT(r->parts); i++)
			ok = ok || (v >= r->parts[i].min_u64 &&
				    v <= r->parts[i].max_u64);
	}
	/* Without a range, the type's own bounds: libyang checks those. */
	if (ok && errno == 0)
		return R_VALUE;
	if (msg) {
		bounds = cli_type_display(type, NULL);
		wp_vty_buf_printf(msg, "%% %s is out of range for %s %s", w,
				  name, bounds);
		wp_free(MT_STRING, bounds);
	}
	return R_BAD;
}

static enum rank
addr_match(enum wp_yang_tclass c, const char *w, struct wp_vty_buf *msg)
{
	bool v4 = c == WP_YT_IPV4 || c == WP_YT_IPV4_PREFIX;
	bool pfx = c == WP_YT_IPV4_PREFIX || c == WP_YT_IPV6_PREFIX;
	char why[WP_PREFIX_ERRLEN];
	struct wp_prefix p;
	struct wp_addr a;
	int rc;

	if (v4 ? !all_in(w, "0123456789./") || !strchr(w, '.') :
		 !all_in(w, "0123456789abcdefABCDEF:./") || !strchr(w, ':'))
		return R_NONE;
	if (!pfx && strchr(w, '/'))
		return R_NONE;
	if (pfx)
		rc = wp_prefix_parse_flags(w, &p, WP_PREFIX_ALLOW_HOST_BITS |
					   (v4 ? WP_PREFIX_INET_ONLY :
					    WP_PREFIX_INET6_ONLY),
					   why, sizeof(why));
	else
		rc = wp_addr_parse(w, &a, why, sizeof(why));
	if (rc == 0 && !pfx && (a.family == AF_INET) != v4) {
		snprintf(why, sizeof(why), "not an %s address",
			 v4 ? "IPv4" : "IPv6");
		rc = -1;
	}
	if (rc == 0)
		return R_VALUE;
	if (msg)
		wp_vty_buf_printf(msg, "%% %s is not a valid %s: %s", w,
				  wp_yang_tclass_name(c), why);
	return R_BAD;
}

static enum rank
type_match(const struct lysc_type *type, const char *w, const char *name,
	   const char **kw, struct wp_vty_buf *msg)
{
	const struct lysc_type_enum *en;
	const struct lysc_type_union *u;
	enum wp_yang_tclass c;
	LY_ARRAY_COUNT_TYPE i;
	enum rank best = R_NONE;
	size_t npartial = 0;

	type = wp_yang_type_real(type);
	c = wp_yang_type_class(type);
	switch (c) {
	case WP_YT_ENUM:
		en = (const struct lysc_type_enum *)type;
		LY_ARRAY_FOR(en->enums, i) {
			enum rank r = keyword_match(en->enums[i].name, w);

			if (r == R_EXACT) {
				*kw = en->enums[i].name;
				return R_EXACT;
			}
			if (r == R_PARTIAL && npartial++ == 0)
				*kw = en->enums[i].name;
		}
		if (npartial > 1)
			*kw = NULL;
		return npartial ? R_PARTIAL : R_NONE;
	case WP_YT_INT:
		return int_match(type, w, name, msg);
	case WP_YT_DEC64:
		return all_in(w + (*w == '-'), "0123456789.") ? R_VALUE : R_NONE;
	case WP_YT_IPV4:
	case WP_YT_IPV4_PREFIX:
	case WP_YT_IPV6:
	case WP_YT_IPV6_PREFIX:
		return addr_match(c, w, msg);
	case WP_YT_UNION:
		u = (const struct lysc_type_union *)type;
		LY_ARRAY_FOR(u->types, i) {
			struct wp_vty_buf m = { 0 };
			const char *k = NULL;
			enum rank r = type_match(u->types[i], w, name, &k,
						 msg ? &m : NULL);

			if (r > best) {
				best = r;
				*kw = k;
				if (msg) {
					msg->len = 0;
					if (m.len)
						wp_vty_buf_add(msg, m.data,
							       m.len);
				}
			} else if (r == best && r == R_PARTIAL &&
				   (k == NULL || *kw == NULL ||
				    strcmp(k, *kw) != 0)) {
				*kw = NULL;
			}
			wp_vty_buf_free(&m);
		}
		return best;
	case WP_YT_BOOL:
	case WP_YT_EMPTY:
	case WP_YT_OTHER:
		return R_NONE;
	default:
		return *w ? R_WORD : R_NONE;
	}
}

/*
 * What a value is, for messages: its help when short ("Interface name"
 * -> "interface name", "IP prefix" stays), else the leaf's name.
 */
static void
var_describe(struct wp_vty_buf *b, const struct cli_var *v)
{
	const char *h = v->help;
	size_t words = 1;

	for (const char *p = h ? h : ""; *p; p++)
		words += *p == ' ';
	if (h == NULL || *h == '\0' || words > 4) {
		for (const char *p = v->leaf->name; *p; p++)
			wp_vty_buf_add(b, *p == '-' ? " " : p, 1);
		return;
	}
	if (isupper((unsigned char)h[0]) && !isupper((unsigned char)h[1]))
		wp_vty_buf_printf(b, "%c%s", tolower((unsigned char)h[0]),
				  h + 1);
	else
		wp_vty_buf_printf(b, "%s", h);
}

/* The word for a value, checked against the whole type by libyang. */
static enum rank
var_match(const struct wp_cli *cli, const struct cli_var *v, const char *w,
	  const char **kw, struct wp_vty_buf *msg)
{
	enum rank r;
	LY_ERR err;

	*kw = NULL;
	if (v->flag) {
		r = keyword_match(v->leaf->name, w);
		if (r != R_NONE)
			*kw = v->leaf->name;
		return r;
	}
	r = type_match(cli_leaf_type(v->leaf), w, v->leaf->name, kw, msg);
	if (r != R_VALUE && r != R_WORD)
		return r;
	err = lyd_value_validate(cli->ctx, v->leaf, w, strlen(w), NULL, NULL,
				 NULL);
	if (err == LY_SUCCESS || err == LY_EINCOMPLETE) {
		ly_err_clean(cli->ctx, NULL);
		return r;
	}
	if (msg && v->cls == WP_YT_INT) {
		/* No range statement: libyang checked the type's bounds. */
		char *bounds = cli_type_display(cli_leaf_type(v->leaf), NULL);

		ly_err_clean(cli->ctx, NULL);
		msg->len = 0;
		wp_vty_buf_printf(msg, "%% %s is out of range for %s %s", w,
				  v->leaf->name, bounds);
		wp_free(MT_STRING, bounds);
	} else if (msg) {
		struct wp_yang_err *errs;
		size_t n = wp_yang_errors_take(cli->ctx, NULL, &errs);

		msg->len = 0;
		wp_vty_buf_printf(msg, "%% %s is not a valid ", w);
		var_describe(msg, v);
		wp_vty_buf_printf(msg, "%s%s", n ? ": " : "",
				  n ? errs[0].msg : "");
		wp_yang_errors_free(errs, n);
	} else {
		ly_err_clean(cli->ctx, NULL);
	}
	return r == R_WORD ? R_BADSTR : R_BAD;
}

/*
 * Split a compound word along its literals; calls fn for each value
 * part.  -1 when the literals are not there.
 */
static int
compound_split(const struct cli_tok *t, const char *w,
	       int (*fn)(const struct cli_part *part, const char *val,
			 void *arg),
	       void *arg)
{
	const char *p = w;
	int rc = 0;

	for (size_t i = 0; i < t->nparts && rc == 0; i++) {
		const struct cli_part *part = &t->parts[i];
		const char *end;
		char *val;

		if (part->lit) {
			size_t n = strlen(part->lit);

			if (strncmp(p, part->lit, n) != 0)
				return -1;
			p += n;
			continue;
		}
		if (i + 1 < t->nparts) {
			if ((end = strstr(p, t->parts[i + 1].lit)) == NULL)
				return -1;
		} else {
			end = p + strlen(p);
		}
		if (end == p)
			return -1;
		val = wp_strndup(MT_TMP, p, (size_t)(end - p));
		rc = fn(part, val, arg);
		wp_free(MT_TMP, val);
		p = end;
	}
	return rc;
}

struct compound_acc {
	const struct wp_cli *cli;
	enum rank r;		/* the worst part so far */
	struct wp_vty_buf *msg;
};

/* A compound word is as good as its worst part; bad values first. */
static int
compound_part_match(const struct cli_part *part, const char *val, void *arg)
{
	static const enum rank worst[] = {
		R_NONE, R_BAD, R_BADSTR, R_WORD, R_PARTIAL, R_VALUE, R_EXACT,
	};
	struct compound_acc *acc = arg;
	struct wp_vty_buf m = { 0 };
	const char *kw;
	enum rank r = var_match(acc->cli, part->var, val, &kw,
				acc->msg ? &m : NULL);
	size_t ir = 0, ia = 0;

	while (worst[ir] != r)
		ir++;
	while (worst[ia] != acc->r)
		ia++;
	if (ir < ia) {
		acc->r = r;
		if (acc->msg && m.len) {
			acc->msg->len = 0;
			wp_vty_buf_add(acc->msg, m.data, m.len);
		}
	}
	wp_vty_buf_free(&m);
	return acc->r == R_NONE ? -1 : 0;
}

static enum rank
tok_match(const struct wp_cli *cli, const struct cli_tok *t, const char *w,
	  const char **kw, struct wp_vty_buf *msg)
{
	struct compound_acc acc = { .cli = cli, .r = R_EXACT, .msg = msg };
	enum rank r;

	*kw = NULL;
	switch (t->kind) {
	case CT_KEYWORD:
		r = keyword_match(t->text, w);
		if (r != R_NONE)
			*kw = t->text;
		return r;
	case CT_VAR:
		return var_match(cli, t->var, w, kw, msg);
	case CT_COMPOUND:
		if (compound_split(t, w, compound_part_match, &acc) == -1)
			return R_NONE;
		return acc.r;
	}
	return R_NONE;
}

/* Token `i` of a form for word `i`; the rest token covers the tail. */
static const struct cli_tok *
form_tok(const struct cli_form *f, size_t i)
{
	if (i < f->len)
		return f->tok[i];
	if (f->rest)
		return f->tok[f->len - 1];
	return NULL;
}

/* --- candidates ------------------------------------------------------ */

static struct cand *
cands_of_mode(const struct wp_cli_mode *m, bool negated, bool builtins,
	      size_t *n)
{
	size_t cap = 0;
	struct cand *c;

	for (size_t i = 0; i < m->ncmds; i++)
		cap += m->cmds[i]->nforms;
	cap += m->nbuiltins;
	c = wp_calloc(MT_TMP, (cap + 1) * sizeof(*c));
	*n = 0;
	for (size_t i = 0; i < m->ncmds; i++) {
		const struct cli_cmd *cmd = m->cmds[i];

		if (cmd->no_only && !negated)
			continue;
		for (size_t k = 0; k < cmd->nforms; k++) {
			if (negated && cmd->forms[k].no_min == SIZE_MAX)
				continue;	/* names no instance */
			c[*n].cmd = cmd;
			c[*n].form = &cmd->forms[k];
			(*n)++;
		}
	}
	for (size_t i = 0; builtins && !negated && i < m->nbuiltins; i++) {
		c[*n].cmd = m->builtins[i];
		c[*n].form = &m->builtins[i]->forms[0];
		(*n)++;
	}
	return c;
}

/* Levenshtein distance, for "did you mean". */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = wp_calloc(MT_TMP, (lb + 1) * sizeof(*row));
	size_t d;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	wp_free(MT_TMP, row);
	return d;
}

/* Keywords a token offers: itself, a flag's name, an enum's names. */
static void
tok_keywords(const struct cli_tok *t,
	     void (*fn)(const char *kw, const char *help, void *arg),
	     void *arg)
{
	const struct lysc_type *type;
	LY_ARRAY_COUNT_TYPE i;

	if (t->kind == CT_KEYWORD) {
		fn(t->text, t->help, arg);
		return;
	}
	if (t->kind != CT_VAR)
		return;
	if (t->var->flag) {
		fn(t->var->leaf->name, t->var->help, arg);
		return;
	}
	type = wp_yang_type_real(cli_leaf_type(t->var->leaf));
	if (type->basetype == LY_TYPE_ENUM) {
		const struct lysc_type_enum *en = (const void *)type;

		LY_ARRAY_FOR(en->enums, i)
			fn(en->enums[i].name, en->enums[i].dsc ?
			   en->enums[i].dsc : t->var->help, arg);
	} else if (type->basetype == LY_TYPE_UNION) {
		const struct lysc_type_union *u = (const void *)type;

		LY_ARRAY_FOR(u->types, i) {
			const struct lysc_type *m = wp_yang_type_real(u->types[i]);
			const struct lysc_type_enum *en = (const void *)m;
			LY_ARRAY_COUNT_TYPE k;

			if (m->basetype != LY_TYPE_ENUM)
				continue;
			LY_ARRAY_FOR(en->enums, k)
				fn(en->enums[k].name, en->enums[k].dsc ?
				   en->enums[k].dsc : t->var->help, arg);
		}
	}
}

struct suggest {
	const char *word;
	const char *best;
	size_t dist;
	bool tie;
};

static void
suggest_one(const char *kw, const char *help, void *arg)
{
	struct suggest *s = arg;
	size_t d = edit_distance(s->word, kw);

	if (s->best && strcmp(s->best, kw) == 0)
		return;
	if (s->best == NULL || d < s->dist) {
		s->best = kw;
		s->dist = d;
		s->tie = false;
	} else if (d == s->dist) {
		s->tie = true;
	}
}

static void
msg_invalid(struct wp_vty_buf *msg, const struct cand *c, size_t n,
	    size_t pos, const char *word)
{
	struct suggest s = { .word = word };
	struct wp_vty_buf exp = { 0 };
	size_t nexp = 0;
	size_t limit;

	for (size_t k = 0; k < n; k++) {
		const struct cli_tok *t = form_tok(c[k].form, pos);
		bool seen = false;

		if (t == NULL)
			continue;
		tok_keywords(t, suggest_one, &s);
		if (t->kind == CT_KEYWORD || (t->kind == CT_VAR && t->var->flag))
			continue;
		for (size_t j = 0; j < k && !seen; j++) {
			const struct cli_tok *u = form_tok(c[j].form, pos);

			seen = u && strcmp(u->text, t->text) == 0;
		}
		if (!seen && nexp++ < 4)
			wp_vty_buf_printf(&exp, "%s%s", nexp > 1 ? ", " : "",
					  t->text);
	}
	limit = strlen(word) < 4 ? 1 : strlen(word) / 3;
	wp_vty_buf_printf(msg, "%% Invalid input at '%s'", word);
	if (s.best && !s.tie && s.dist <= limit)
		wp_vty_buf_printf(msg, ": did you mean '%s'?", s.best);
	else if (nexp)
		wp_vty_buf_printf(msg, ": expected %s", exp.data);
	wp_vty_buf_free(&exp);
}

struct kwlist {
	const char *v[32];
	size_t n;
	const char *prefix;
};

static void
kwlist_add(const char *kw, const char *help, void *arg)
{
	struct kwlist *l = arg;

	if (strncmp(kw, l->prefix, strlen(l->prefix)) != 0 ||
	    l->n == sizeof(l->v) / sizeof(l->v[0]))
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], kw) == 0)
			return;
	l->v[l->n++] = kw;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
msg_ambiguous(struct wp_vty_buf *msg, const struct cand *c, size_t n,
	      size_t pos, const char *word)
{
	struct kwlist l = { .prefix = word };

	for (size_t k = 0; k < n; k++) {
		const struct cli_tok *t = form_tok(c[k].form, pos);

		if (t)
			tok_keywords(t, kwlist_add, &l);
	}
	qsort(l.v, l.n, sizeof(l.v[0]), str_cmp);
	wp_vty_buf_printf(msg, "%% Ambiguous command: '%s' may be ", word);
	for (size_t i = 0; i < l.n; i++)
		wp_vty_buf_printf(msg, "%s%s", i ? ", " : "", l.v[i]);
}

/*
 * Narrow `c` word by word over ws->w[start..upto).  A keyword prefix
 * several keywords share is remembered, not fatal: the words after it
 * may settle it ("ro b 1" can only be "router bgp 1"), as in FRR.
 */
static int
cands_filter(const struct wp_cli *cli, const struct words *ws, size_t start,
	     size_t upto, struct cand *c, size_t *n, struct match *m)
{
	struct wp_vty_buf msg = { 0 };
	/* Forms share tokens: match each token once per word. */
	struct {
		const struct cli_tok *t;
		enum rank r;
		const char *kw;
	} seen[32];

	for (size_t i = start; i < upto; i++) {
		size_t pos = i - start, kept = 0, nseen = 0;
		enum rank best = R_NONE;
		const char *kw0 = NULL;
		bool ambiguous = false;

		for (size_t k = 0; k < *n; k++) {
			const struct cli_tok *t = form_tok(c[k].form, pos);
			size_t j;

			for (j = 0; j < nseen && seen[j].t != t; j++)
				;
			if (t == NULL) {
				c[k].r = R_NONE;
			} else if (j < nseen) {
				c[k].r = seen[j].r;
				c[k].kw = seen[j].kw;
			} else {
				c[k].r = tok_match(cli, t, ws->w[i], &c[k].kw,
						   NULL);
				if (nseen < sizeof(seen) / sizeof(seen[0])) {
					seen[nseen].t = t;
					seen[nseen].r = c[k].r;
					seen[nseen++].kw = c[k].kw;
				}
			}
			if (c[k].r > best)
				best = c[k].r;
		}
		m->progress = i;
		if (best == R_NONE) {
			msg_invalid(&msg, c, *n, pos, ws->w[i]);
			goto out_err;
		}
		if (best == R_BAD || best == R_BADSTR) {
			for (size_t k = 0; k < *n; k++) {
				if (c[k].r == best) {
					tok_match(cli, form_tok(c[k].form, pos),
						  ws->w[i], &c[k].kw, &msg);
					break;
				}
			}
			goto out_err;
		}
		for (size_t k = 0; k < *n; k++) {
			if (c[k].r != best)
				continue;
			if (best == R_PARTIAL) {
				if (c[k].kw == NULL ||
				    (kw0 && strcmp(kw0, c[k].kw) != 0))
					ambiguous = true;
				kw0 = c[k].kw;
			}
			c[kept++] = c[k];
		}
		*n = kept;
		if (ambiguous && m->amb_msg == NULL) {
			msg_ambiguous(&msg, c, *n, pos, ws->w[i]);
			m->amb_msg = cli_strdup_buf(&msg);
			m->amb_word = i;
		}
	}
	m->progress = upto;
	return WP_CLI_OK;

out_err:
	m->status = WP_CLI_ERR_NO_MATCH;
	m->msg = cli_strdup_buf(&msg);
	return m->status;
}

/* An earlier ambiguous word explains a failure better than the failure. */
static void
match_prefer_ambiguity(struct match *m)
{
	if (m->amb_msg == NULL)
		return;
	if (m->status != WP_CLI_OK) {
		wp_free(MT_STRING, m->msg);
		m->msg = m->amb_msg;
		m->progress = m->amb_word;
		m->status = WP_CLI_ERR_INCOMPLETE;
	} else {
		wp_free(MT_STRING, m->amb_msg);
	}
	m->amb_msg = NULL;
}

static bool
form_accepts(const struct cli_form *f, size_t nwords, bool negated)
{
	if (negated)
		return nwords >= f->no_min && (nwords <= f->len || f->rest);
	return nwords == f->len || (f->rest && nwords >= f->len);
}

static void
msg_incomplete(struct wp_vty_buf *msg, const struct cand *c, size_t n,
	       size_t pos)
{
	size_t nexp = 0;

	wp_vty_buf_printf(msg, "%% Incomplete command");
	for (size_t k = 0; k < n && nexp < 6; k++) {
		const struct cli_tok *t = form_tok(c[k].form, pos);
		bool seen = false;

		if (t == NULL)
			continue;
		for (size_t j = 0; j < k && !seen; j++) {
			const struct cli_tok *u = form_tok(c[j].form, pos);

			seen = u && strcmp(u->text, t->text) == 0;
		}
		if (!seen)
			wp_vty_buf_printf(msg, "%s%s", nexp++ ? ", " :
					  ": expected ", t->text);
	}
}

static int
match_line(const struct wp_cli *cli, const struct wp_cli_mode *mode,
	   const struct words *ws, bool negated, bool builtins,
	   struct match *m)
{
	size_t start = negated ? 1 : 0, n, nwords = ws->n - start;
	struct wp_vty_buf msg = { 0 };
	const struct cand *pick = NULL;
	struct cand *c;

	memset(m, 0, sizeof(*m));
	c = cands_of_mode(mode, negated, builtins, &n);
	if (cands_filter(cli, ws, start, ws->n, c, &n, m) != WP_CLI_OK)
		goto out;
	m->status = WP_CLI_ERR_INCOMPLETE;
	for (size_t k = 0; k < n; k++) {
		if (!form_accepts(c[k].form, nwords, negated))
			continue;
		if (pick && pick->cmd != c[k].cmd) {
			wp_vty_buf_printf(&msg, "%% Ambiguous command: '%s' "
					  "matches more than one command",
					  ws->w[ws->n - 1]);
			m->status = WP_CLI_ERR_INCOMPLETE;
			m->progress = ws->n - 1;
			goto out;
		}
		/* Positive: the first form; 'no': the shortest. */
		if (pick == NULL || (negated && c[k].form->len <
				     pick->form->len))
			pick = &c[k];
	}
	if (pick == NULL) {
		msg_incomplete(&msg, c, n, nwords);
		m->status = WP_CLI_ERR_INCOMPLETE;
		m->progress = ws->n;
		goto out;
	}
	m->cmd = pick->cmd;
	m->form = pick->form;
	m->status = WP_CLI_OK;

out:
	if (msg.len)
		m->msg = cli_strdup_buf(&msg);
	else
		wp_vty_buf_free(&msg);
	match_prefer_ambiguity(m);
	wp_free(MT_TMP, c);
	return m->status;
}

/* --- values ---------------------------------------------------------- */

struct bind {
	const struct wp_cli *cli;
	const struct cli_cmd *cmd;
	char **vals;		/* per cmd->vars[i], canonical; NULL: not given */
};

static void
bind_set(struct bind *b, const struct cli_var *v, const char *val)
{
	for (size_t i = 0; i < b->cmd->nvars; i++) {
		if (b->cmd->vars[i] != v)
			continue;
		wp_free(MT_STRING, b->vals[i]);
		b->vals[i] = wp_strdup(MT_STRING, val);
	}
}

/* The canonical form of a value, as libyang stores it. */
static void
bind_value(struct bind *b, const struct cli_var *v, const char *word)
{
	const char *canon = NULL, *kw;
	const struct lysc_type *type = cli_leaf_type(v->leaf);

	if (v->flag) {
		bind_set(b, v, v->cls == WP_YT_BOOL ? "true" : "");
		return;
	}
	if (!v->rest && type_match(type, word, v->leaf->name, &kw, NULL) ==
	    R_PARTIAL && kw)
		word = kw;
	if (lyd_value_validate(b->cli->ctx, v->leaf, word, strlen(word), NULL,
			       NULL, &canon) == LY_SUCCESS && canon) {
		bind_set(b, v, canon);
		lydict_remove(b->cli->ctx, canon);
	} else {
		bind_set(b, v, word);
	}
	ly_err_clean(b->cli->ctx, NULL);
}

static int
bind_compound_part(const struct cli_part *part, const char *val, void *arg)
{
	bind_value(arg, part->var, val);
	return 0;
}

static void
bind_words(struct bind *b, const struct cli_form *f, const struct words *ws,
	   size_t start)
{
	for (size_t i = start; i < ws->n; i++) {
		const struct cli_tok *t = form_tok(f, i - start);

		if (t == NULL)
			break;
		if (t->kind == CT_VAR && t->var->rest) {
			struct wp_vty_buf rest = { 0 };

			for (size_t j = i; j < ws->n; j++)
				wp_vty_buf_printf(&rest, "%s%s", j > i ? " " : "",
						  ws->w[j]);
			bind_value(b, t->var, rest.data);
			wp_vty_buf_free(&rest);
			break;
		}
		if (t->kind == CT_VAR)
			bind_value(b, t->var, ws->w[i]);
		else if (t->kind == CT_COMPOUND)
			compound_split(t, ws->w[i], bind_compound_part, b);
	}
}

/* --- edits ----------------------------------------------------------- */

static void
edit_add(struct wp_cli_result *res, enum wp_cli_op op, const char *xpath,
	 const char *value, unsigned int prune)
{
	struct wp_cli_edit *e;

	res->edits = wp_realloc(MT_CLI, res->edits,
				(res->nedits + 1) * sizeof(*res->edits));
	e = &res->edits[res->nedits++];
	e->op = op;
	e->xpath = wp_strdup(MT_STRING, xpath);
	e->value = value ? wp_strdup(MT_STRING, value) : NULL;
	e->prune = prune;
}

static const char *
bind_key(const struct bind *b, const struct lysc_node *key, size_t level)
{
	for (size_t i = 0; i < b->cmd->nvars; i++) {
		const struct cli_var *v = b->cmd->vars[i];

		if (v->leaf == key && v->level == level)
			return b->vals[i] ? b->vals[i] : v->absent;
	}
	return NULL;
}

/* Data paths of the instances at each level of cmd->path. */
static char **
instance_paths(const struct bind *b, const char *base, char **err)
{
	const struct cli_cmd *cmd = b->cmd;
	char **paths = wp_calloc(MT_TMP, cmd->npath * sizeof(*paths));
	struct wp_vty_buf p = { 0 };

	wp_vty_buf_printf(&p, "%s", base);
	for (size_t l = 0; l < cmd->npath; l++) {
		const struct lysc_node *sn = cmd->path[l];
		const struct lysc_node *prev = l ? cmd->path[l - 1] :
					       cmd->mode->node;
		const struct lysc_node *key = NULL;
		int rc = 0;

		cli_path_seg(&p, sn, prev);
		if (sn->nodetype == LYS_LIST) {
			while ((key = lys_getnext(key, sn, NULL, 0)) != NULL &&
			       lysc_is_key(key) && rc == 0)
				rc = cli_path_pred(&p, key->name,
						   bind_key(b, key, l));
		} else if (sn->nodetype == LYS_LEAFLIST) {
			for (size_t i = 0; i < cmd->nvars; i++)
				if (cmd->vars[i]->self && b->vals[i])
					rc = cli_path_pred(&p, ".", b->vals[i]);
		}
		if (rc == -1) {
			struct wp_vty_buf e = { 0 };

			wp_vty_buf_printf(&e, "%% A value cannot hold both ' "
					  "and \"");
			*err = cli_strdup_buf(&e);
			for (size_t i = 0; i < l; i++)
				wp_free(MT_STRING, paths[i]);
			wp_free(MT_TMP, paths);
			wp_vty_buf_free(&p);
			return NULL;
		}
		paths[l] = wp_strndup(MT_STRING, p.data, p.len);
	}
	wp_vty_buf_free(&p);
	return paths;
}

static bool
bool_default_true(const struct wp_cli *cli, const struct lysc_node *sn)
{
	const struct lysc_node_leaf *leaf = (const void *)sn;
	const char *d;

	if (sn->nodetype != LYS_LEAF || leaf->dflt == NULL ||
	    wp_yang_type_class(leaf->type) != WP_YT_BOOL)
		return false;
	d = lyd_value_get_canonical(cli->ctx, leaf->dflt);
	return d && strcmp(d, "true") == 0;
}

/* How many ancestors a 'no' may remove once they hold only keys. */
static unsigned int
prune_levels(const struct cli_cmd *cmd)
{
	unsigned int n = 0;

	for (size_t l = cmd->npath - 1; l-- > 0; n++) {
		const struct lysc_node *sn = cmd->path[l];

		if (!(sn->nodetype == LYS_LIST ||
		      (sn->nodetype == LYS_CONTAINER &&
		       !(sn->flags & LYS_PRESENCE))))
			break;
		if (cli_cmd_of_node(cmd->mode, sn))
			break;
	}
	return n;
}

static int
gen_edits(const struct wp_cli *cli, const struct bind *b, const char *base,
	  bool negated, struct wp_cli_result *res, char **target)
{
	const struct cli_cmd *cmd = b->cmd;
	const struct lysc_node *sn = cmd->node;
	struct wp_vty_buf vp = { 0 };
	char **paths, *err = NULL;
	const char *self = NULL;

	if ((paths = instance_paths(b, base, &err)) == NULL) {
		res->msg = err;
		return WP_CLI_ERR_NO_MATCH;
	}
	for (size_t i = 0; i < cmd->nvars; i++)
		if (cmd->vars[i]->self)
			self = b->vals[i];

	if (negated) {
		if (bool_default_true(cli, sn))
			edit_add(res, WP_CLI_OP_MERGE, paths[cmd->npath - 1],
				 "false", 0);
		else
			edit_add(res, WP_CLI_OP_REMOVE, paths[cmd->npath - 1],
				 NULL, prune_levels(cmd));
		goto out;
	}

	if (sn->nodetype == LYS_LEAF) {
		enum wp_yang_tclass c = wp_yang_type_class(cli_leaf_type(sn));

		if (self && c != WP_YT_BOOL && c != WP_YT_EMPTY)
			edit_add(res, WP_CLI_OP_MERGE, paths[cmd->npath - 1],
				 self, 0);
		else if (c == WP_YT_BOOL && bool_default_true(cli, sn))
			edit_add(res, WP_CLI_OP_REMOVE, paths[cmd->npath - 1],
				 NULL, 0);
		else
			edit_add(res, WP_CLI_OP_MERGE, paths[cmd->npath - 1],
				 c == WP_YT_BOOL ? "true" : NULL, 0);
	} else {
		edit_add(res, WP_CLI_OP_MERGE, paths[cmd->npath - 1],
			 sn->nodetype == LYS_LEAFLIST ? self : NULL, 0);
	}
	/* The other leaves the template names: left out means removed. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < cmd->nvars; i++) {
			const struct cli_var *v = cmd->vars[i];
			bool given = b->vals[i] != NULL;

			if (v->key || v->self || given != (pass == 1))
				continue;
			vp.len = 0;
			wp_vty_buf_printf(&vp, "%s/%s", paths[v->level],
					  v->relpath);
			if (!given)
				edit_add(res, WP_CLI_OP_REMOVE, vp.data, NULL, 0);
			else if (v->cls == WP_YT_EMPTY)
				edit_add(res, WP_CLI_OP_MERGE, vp.data, NULL, 0);
			else
				edit_add(res, WP_CLI_OP_MERGE, vp.data,
					 b->vals[i], 0);
		}
	}
	if (cmd->enters)
		*target = wp_strdup(MT_STRING, paths[cmd->npath - 1]);

out:
	wp_vty_buf_free(&vp);
	for (size_t l = 0; l < cmd->npath; l++)
		wp_free(MT_STRING, paths[l]);
	wp_free(MT_TMP, paths);
	return WP_CLI_OK;
}

/* --- position -------------------------------------------------------- */

void
wp_cli_pos_init(const struct wp_cli *cli, struct wp_cli_pos *pos)
{
	memset(pos, 0, sizeof(*pos));
	pos->frame[0].mode = &cli->root;
}

static void
pos_pop_to(struct wp_cli_pos *pos, size_t depth)
{
	while (pos->depth > depth) {
		wp_free(MT_STRING, pos->frame[pos->depth].xpath);
		pos->frame[pos->depth].xpath = NULL;
		pos->frame[pos->depth].mode = NULL;
		pos->depth--;
	}
}

void
wp_cli_pos_clear(struct wp_cli_pos *pos)
{
	pos_pop_to(pos, 0);
}

const char *
wp_cli_pos_prompt(const struct wp_cli_pos *pos)
{
	return pos->frame[pos->depth].mode->prompt;
}

const char *
wp_cli_pos_xpath(const struct wp_cli_pos *pos)
{
	const char *x = pos->frame[pos->depth].xpath;

	return x ? x : "";
}

int
wp_cli_pos_set(const struct wp_cli *cli, struct wp_cli_pos *pos,
	       const char *xpath, char **err)
{
	struct lyd_node *top = NULL, *node = NULL, *n;
	const struct lysc_node *sn;
	const struct lyd_node *chain[64];
	struct wp_vty_buf e = { 0 };
	size_t nchain = 0;

	pos_pop_to(pos, 0);
	if (*xpath == '\0')
		return 0;
	sn = wp_yang_schema_of_path(cli->ctx, xpath);
	if (sn && cli_mode_of_node(cli, sn) == NULL) {
		wp_vty_buf_printf(&e, "%% %s is not edited in a mode of its "
				  "own", xpath);
		goto out_err;
	}
	if (lyd_new_path2(NULL, cli->ctx, xpath, NULL, 0, 0, 0, &top,
			  &node) != LY_SUCCESS || node == NULL) {
		char *m = wp_yang_errmsg(cli->ctx, NULL);

		wp_vty_buf_printf(&e, "%% %s is not a data path%s%s", xpath,
				  *m ? ": " : "", m + (*m ? 2 : 0));
		wp_free(MT_STRING, m);
		goto out_err;
	}
	if (cli_mode_of_node(cli, node->schema) == NULL) {
		wp_vty_buf_printf(&e, "%% %s is not edited in a mode of its "
				  "own", xpath);
		goto out_err;
	}
	for (n = node; n && nchain < 64; n = lyd_parent(n))
		chain[nchain++] = n;
	while (nchain-- > 0) {
		const struct wp_cli_mode *m = cli_mode_of_node(cli,
						chain[nchain]->schema);
		char *p;

		if (m == NULL)
			continue;
		if (pos->depth == WP_CLI_DEPTH_MAX) {
			wp_vty_buf_printf(&e, "%% Modes nest too deep");
			goto out_err;
		}
		p = lyd_path(chain[nchain], LYD_PATH_STD, NULL, 0);
		pos->depth++;
		pos->frame[pos->depth].mode = m;
		pos->frame[pos->depth].xpath = wp_strdup(MT_STRING, p);
		free(p);
	}
	lyd_free_all(top);
	return 0;

out_err:
	lyd_free_all(top);
	pos_pop_to(pos, 0);
	if (err)
		*err = cli_strdup_buf(&e);
	else
		wp_vty_buf_free(&e);
	return -1;
}

/* --- exec ------------------------------------------------------------ */

void
wp_cli_result_clear(struct wp_cli_result *res)
{
	for (size_t i = 0; i < res->nedits; i++) {
		wp_free(MT_STRING, res->edits[i].xpath);
		wp_free(MT_STRING, res->edits[i].value);
	}
	wp_free(MT_CLI, res->edits);
	wp_free(MT_STRING, res->msg);
	memset(res, 0, sizeof(*res));
}

static int
exec_builtin(const struct cli_cmd *cmd, struct wp_cli_pos *pos,
	     struct wp_cli_result *res)
{
	if (cmd->builtin == CB_END || pos->depth == 0) {
		if (pos->depth > 0)
			res->flags |= WP_CLI_EXITED;
		res->flags |= WP_CLI_LEAVE;
		pos_pop_to(pos, 0);
	} else {
		res->flags |= WP_CLI_EXITED;
		pos_pop_to(pos, pos->depth - 1);
	}
	return WP_CLI_OK;
}

static int
result_error(struct wp_cli_result *res, int status, const char *msg,
	     size_t word)
{
	res->msg = wp_strdup(MT_STRING, msg);
	res->word = word;
	return status;
}

int
wp_cli_exec(const struct wp_cli *cli, struct wp_cli_pos *pos,
	    const char *line, struct wp_cli_result *res)
{
	struct match m, best = { 0 };
	struct bind b = { .cli = cli };
	char *target = NULL;
	struct words ws;
	bool negated, found = false;
	size_t depth;
	int rc;

	memset(res, 0, sizeof(*res));
	if (is_comment(line))
		return WP_CLI_OK;
	if (words_split(&ws, line) == -1) {
		words_free(&ws);
		return result_error(res, WP_CLI_ERR_NO_MATCH,
				    "% Too many words", CLI_MAX_WORDS);
	}
	negated = strcmp(ws.w[0], "no") == 0;
	if (negated && ws.n == 1) {
		words_free(&ws);
		return result_error(res, WP_CLI_ERR_INCOMPLETE,
				    "% Incomplete command", 1);
	}
	for (depth = pos->depth + 1; depth-- > 0;) {
		match_line(cli, pos->frame[depth].mode, &ws, negated,
			   depth == pos->depth, &m);
		if (m.status == WP_CLI_OK) {
			found = true;
			break;
		}
		/* The mode that got furthest; then one that knew the word. */
		if (best.msg == NULL || m.progress > best.progress ||
		    (m.progress == best.progress &&
		     m.status == WP_CLI_ERR_INCOMPLETE &&
		     best.status == WP_CLI_ERR_NO_MATCH)) {
			wp_free(MT_STRING, best.msg);
			best = m;
		} else {
			wp_free(MT_STRING, m.msg);
		}
	}
	if (!found) {
		res->msg = best.msg;
		res->word = best.progress;
		words_free(&ws);
		return best.status;
	}
	wp_free(MT_STRING, best.msg);
	if (m.cmd->builtin != CB_NONE) {
		words_free(&ws);
		return exec_builtin(m.cmd, pos, res);
	}

	b.cmd = m.cmd;
	b.vals = wp_calloc(MT_TMP, (m.cmd->nvars + 1) * sizeof(*b.vals));
	bind_words(&b, m.form, &ws, negated ? 1 : 0);
	rc = gen_edits(cli, &b, pos->frame[depth].xpath ?
		       pos->frame[depth].xpath : "", negated, res, &target);
	if (rc == WP_CLI_OK && target && depth + 1 > WP_CLI_DEPTH_MAX) {
		rc = result_error(res, WP_CLI_ERR_FAILED,
				  "% Modes nest too deep", 0);
	} else if (rc == WP_CLI_OK) {
		if (depth < pos->depth)
			res->flags |= WP_CLI_EXITED;
		pos_pop_to(pos, depth);
		if (target) {
			pos->depth++;
			pos->frame[pos->depth].mode = m.cmd->enters;
			pos->frame[pos->depth].xpath = target;
			target = NULL;
			res->flags |= WP_CLI_ENTERED;
		}
	}
	if (rc != WP_CLI_OK) {
		for (size_t i = 0; i < res->nedits; i++) {
			wp_free(MT_STRING, res->edits[i].xpath);
			wp_free(MT_STRING, res->edits[i].value);
		}
		wp_free(MT_CLI, res->edits);
		res->edits = NULL;
		res->nedits = 0;
	}
	wp_free(MT_STRING, target);
	for (size_t i = 0; i < m.cmd->nvars; i++)
		wp_free(MT_STRING, b.vals[i]);
	wp_free(MT_TMP, b.vals);
	words_free(&ws);
	return rc;
}

/* --- completion ------------------------------------------------------ */

struct compl {
	char *word;
	const char *help;
};

struct compl_list {
	struct compl *v;
	size_t n;
	const char *prefix;
};

static void
compl_add(const char *word, const char *help, void *arg)
{
	struct compl_list *l = arg;

	if (strncmp(word, l->prefix, strlen(l->prefix)) != 0)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].word, word) == 0)
			return;
	l->v = wp_realloc(MT_TMP, l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].word = wp_strdup(MT_TMP, word);
	l->v[l->n].help = help ? help : "";
	l->n++;
}

static void
compl_add_any(struct compl_list *l, const char *word, const char *help)
{
	const char *save = l->prefix;

	l->prefix = "";
	compl_add(word, help, l);
	l->prefix = save;
}

static int
compl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct compl *)a)->word,
		      ((const struct compl *)b)->word);
}

/* Could a value of `type` start with `prefix`? (for completion) */
static bool
type_may_start(const struct lysc_type *type, const char *prefix)
{
	const struct lysc_type_union *u;
	LY_ARRAY_COUNT_TYPE i;

	type = wp_yang_type_real(type);
	switch (wp_yang_type_class(type)) {
	case WP_YT_INT:
	case WP_YT_DEC64:
		return all_in(prefix + (*prefix == '-'), "0123456789.");
	case WP_YT_IPV4:
	case WP_YT_IPV4_PREFIX:
		return all_in(prefix, "0123456789./");
	case WP_YT_IPV6:
	case WP_YT_IPV6_PREFIX:
		return all_in(prefix, "0123456789abcdefABCDEF:./");
	case WP_YT_UNION:
		u = (const struct lysc_type_union *)type;
		LY_ARRAY_FOR(u->types, i)
			if (type_may_start(u->types[i], prefix))
				return true;
		return false;
	case WP_YT_ENUM:
	case WP_YT_BOOL:
	case WP_YT_EMPTY:
		return false;
	default:
		return true;
	}
}

/* Values a token takes, other than keywords: "A.B.C.D", "(1-255)". */
static void
compl_values(const struct wp_cli *cli, const struct cli_tok *t,
	     struct compl_list *l)
{
	const struct lysc_type_union *u;
	const struct lysc_type *type;
	LY_ARRAY_COUNT_TYPE i;
	const char *kw;
	char *d;

	if (t->kind == CT_KEYWORD || (t->kind == CT_VAR && t->var->flag))
		return;
	if (t->kind == CT_COMPOUND) {
		/* Still being typed: the first part decides. */
		if (*l->prefix == '\0' ||
		    tok_match(cli, t, l->prefix, &kw, NULL) != R_NONE ||
		    (t->parts[0].var &&
		     type_may_start(cli_leaf_type(t->parts[0].var->leaf),
				    l->prefix)))
			compl_add_any(l, t->text, t->help);
		return;
	}
	type = wp_yang_type_real(cli_leaf_type(t->var->leaf));
	if (type->basetype == LY_TYPE_ENUM)
		return;
	if (type->basetype != LY_TYPE_UNION) {
		if (*l->prefix == '\0' || type_may_start(type, l->prefix))
			compl_add_any(l, t->text, t->help);
		return;
	}
	u = (const void *)type;
	LY_ARRAY_FOR(u->types, i) {
		const struct lysc_type *mt = wp_yang_type_real(u->types[i]);

		if (mt->basetype == LY_TYPE_ENUM)
			continue;
		if (mt->basetype == LY_TYPE_STRING &&
		    ((const struct lysc_type_str *)mt)->length &&
		    ((const struct lysc_type_str *)mt)->length->parts[0].max_u64
		    == 0)
			continue;
		if (*l->prefix && !type_may_start(mt, l->prefix))
			continue;
		d = cli_type_display(mt, t->var->leaf);
		compl_add_any(l, d, t->help);
		wp_free(MT_STRING, d);
	}
}

int
wp_cli_complete(const struct wp_cli *cli, const struct wp_cli_pos *pos,
		const char *line,
		void (*fn)(const char *word, const char *help, void *arg),
		void *arg, char **err)
{
	const struct wp_cli_mode *mode = pos->frame[pos->depth].mode;
	struct compl_list l = { .prefix = "" };
	struct match m = { 0 };
	struct words ws;
	size_t k, start = 0, n;
	bool negated = false, cr = false;
	struct cand *c;
	int rc;

	if (words_split(&ws, line) == -1) {
		words_free(&ws);
		if (err)
			*err = wp_strdup(MT_STRING, "% Too many words");
		return WP_CLI_ERR_NO_MATCH;
	}
	k = ws.n;
	if (ws.n > 0 && !ws.trailing_blank)
		l.prefix = ws.w[--k];
	if (k >= 1 && strcmp(ws.w[0], "no") == 0) {
		negated = true;
		start = 1;
	}
	c = cands_of_mode(mode, negated, true, &n);
	rc = cands_filter(cli, &ws, start, k, c, &n, &m);
	if (rc != WP_CLI_OK)
		match_prefer_ambiguity(&m);
	else
		wp_free(MT_STRING, m.amb_msg);
	rc = m.status;
	if (rc != WP_CLI_OK) {
		if (err)
			*err = m.msg;
		else
			wp_free(MT_STRING, m.msg);
		goto out;
	}
	if (k == 0)
		compl_add("no", NO_HELP, &l);
	for (size_t i = 0; i < n; i++) {
		const struct cli_tok *t = form_tok(c[i].form, k - start);

		if (k > start && *l.prefix == '\0' &&
		    form_accepts(c[i].form, k - start, negated))
			cr = true;
		if (t == NULL)
			continue;
		tok_keywords(t, compl_add, &l);
		compl_values(cli, t, &l);
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), compl_cmp);
	for (size_t i = 0; i < l.n; i++)
		fn(l.v[i].word, l.v[i].help, arg);
	if (cr)
		fn("<cr>", "", arg);

out:
	for (size_t i = 0; i < l.n; i++)
		wp_free(MT_TMP, l.v[i].word);
	wp_free(MT_TMP, l.v);
	wp_free(MT_TMP, c);
	words_free(&ws);
	return rc;
}
