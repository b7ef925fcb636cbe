/*
 * wp_vty_cmd.c: command templates, the matcher, execution and completion.
 * No I/O here: wp_vty.c feeds lines in and ships the output out.
 *
 * Installing a command parses its template into tokens and expands the
 * optional parts and alternatives into "forms": flat token sequences, so
 * "show (ip|ipv6) route [json]" becomes four forms.  Matching a line
 * walks its words left to right over every form of every command, keeping
 * at each word only the forms that match it best:
 *
 *	exact keyword > typed value (address, prefix, range) > keyword prefix
 *	> WORD
 *
 * so "ip" picks "ip" over "ipv6", and an address picks A.B.C.D over WORD.
 * If the best match is a keyword prefix naming several keywords, the line
 * is ambiguous at that word.  A line runs when exactly one command has a
 * form as long as the line among the survivors.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_json.h"
#include "wp_log.h"
#include "wp_vty_int.h"

WP_MEMTYPE_DEFINE(MT_VTY, "vty");
WP_MEMTYPE_DEFINE(MT_VTY_BUF, "vty buffer");
WP_MEMTYPE_DEFINE(MT_VTY_CMD, "vty command");

#define MAX_FORMS	256	/* per command, after expansion */
#define MAX_TOKENS	255	/* per template */

enum tok_kind {
	TOK_KEYWORD,
	TOK_WORD,
	TOK_IPV4,
	TOK_IPV4_PREFIX,
	TOK_IPV6,
	TOK_IPV6_PREFIX,
	TOK_RANGE,
};

/* How well a word matches a token; ordered, higher is better. */
enum tok_match {
	MATCH_NONE,
	MATCH_INVALID,		/* right shape, bad value: "300" for (1-255) */
	MATCH_WORD,
	MATCH_PARTIAL,
	MATCH_VALUE,
	MATCH_EXACT,
};

struct vty_token {
	enum tok_kind kind;
	char *text;		/* as written in the template */
	const char *help;	/* into vty_cmd.helpbuf */
	uint64_t min, max;	/* TOK_RANGE */
};

struct vty_form {
	size_t len;
	struct vty_token **tok;
};

struct vty_cmd {
	TAILQ_ENTRY(vty_cmd) entry;
	char *tmpl;
	char *helpbuf;
	struct vty_token *tokens;
	size_t ntokens;
	struct vty_form *forms;
	size_t nforms;
	wp_vty_handler fn;
	void *arg;
};

struct wp_vty_cmd_ctx {
	struct wp_vty *vty;
	const struct vty_cmd *cmd;
	const struct vty_form *form;	/* NULL in a step */
	int argc;
	const char **argv;
	struct wp_vty_buf *out;
};

/* A command that goes on in steps (wp_vty_continue()). */
struct wp_vty_steps {
	struct wp_vty_cmd_ctx ctx;
	wp_vty_step fn;
	void *state;
	void (*done)(void *state);
};

/* --- buffer ------------------------------------------------------------ */

static void
buf_reserve(struct wp_vty_buf *b, size_t n)
{
	size_t need = b->len + n + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < need)
		b->cap *= 2;
	b->data = wp_realloc(MT_VTY_BUF, b->data, b->cap);
}

void
wp_vty_buf_add(struct wp_vty_buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
wp_vty_buf_vprintf(struct wp_vty_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	buf_reserve(b, 128);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		buf_reserve(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
wp_vty_buf_printf(struct wp_vty_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wp_vty_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
wp_vty_buf_consume(struct wp_vty_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->data, b->data + n, b->len - n);
		b->len -= n;
	}
	if (b->data)
		b->data[b->len] = '\0';
}

void
wp_vty_buf_free(struct wp_vty_buf *b)
{
	wp_free(MT_VTY_BUF, b->data);
	memset(b, 0, sizeof(*b));
}

/* --- vty object -------------------------------------------------------- */

struct wp_vty *
wp_vty_new(struct wp_loop *loop, const char *name)
{
	struct wp_vty *vty = wp_calloc(MT_VTY, sizeof(*vty));

	vty->loop = loop;
	vty->name = wp_strdup(MT_VTY, name);
	vty->started = wp_monotime();
	vty->fd = -1;
	TAILQ_INIT(&vty->cmds);
	LIST_INIT(&vty->clients);
	return vty;
}

static void
cmd_free(struct vty_cmd *cmd)
{
	for (size_t i = 0; i < cmd->ntokens; i++)
		wp_free(MT_VTY_CMD, cmd->tokens[i].text);
	for (size_t i = 0; i < cmd->nforms; i++)
		wp_free(MT_VTY_CMD, cmd->forms[i].tok);
	wp_free(MT_VTY_CMD, cmd->tokens);
	wp_free(MT_VTY_CMD, cmd->forms);
	wp_free(MT_VTY_CMD, cmd->helpbuf);
	wp_free(MT_VTY_CMD, cmd->tmpl);
	wp_free(MT_VTY_CMD, cmd);
}

void
wp_vty_free(struct wp_vty *vty)
{
	struct vty_cmd *cmd;

	if (vty == NULL)
		return;
	wp_vty_close(vty);
	wp_vty_steps_free(wp_vty_take_steps(vty));
	while ((cmd = TAILQ_FIRST(&vty->cmds)) != NULL) {
		TAILQ_REMOVE(&vty->cmds, cmd, entry);
		cmd_free(cmd);
	}
	wp_free(MT_VTY, vty->name);
	wp_free(MT_VTY, vty);
}

struct wp_loop *
wp_vty_loop(const struct wp_vty *vty)
{
	return vty->loop;
}

const char *
wp_vty_name(const struct wp_vty *vty)
{
	return vty->name;
}

/* --- template parsing -------------------------------------------------- */

/* A set of forms under construction: token indexes into cmd->tokens. */
struct seq {
	size_t len;
	uint8_t idx[WP_VTY_MAX_WORDS];
};

struct seqset {
	size_t n;
	struct seq *v;
};

struct tmpl_parser {
	const char *p;
	struct vty_cmd *cmd;
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
	if (s->n == MAX_FORMS)
		return -1;
	s->v = wp_realloc(MT_TMP, s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = *q;
	return 0;
}

/* a := a x b (every form of a followed by every form of b). */
static int
set_product(struct seqset *a, const struct seqset *b)
{
	struct seqset r = { 0 };

	for (size_t i = 0; i < a->n; i++) {
		for (size_t j = 0; j < b->n; j++) {
			struct seq q = a->v[i];

			if (q.len + b->v[j].len > WP_VTY_MAX_WORDS ||
			    set_push(&r, &q) == -1) {
				set_free(&r);
				return -1;
			}
			memcpy(r.v[r.n - 1].idx + q.len, b->v[j].idx,
			       b->v[j].len);
			r.v[r.n - 1].len += b->v[j].len;
		}
	}
	set_free(a);
	*a = r;
	return 0;
}

static int
set_union(struct seqset *a, struct seqset *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (set_push(a, &b->v[i]) == -1)
			return -1;
	set_free(b);
	return 0;
}

static bool
is_range(const char *s, size_t len, uint64_t *min, uint64_t *max)
{
	const char *end = s + len;
	char *q;

	if (len < 5 || s[0] != '(' || s[len - 1] != ')' ||
	    !isdigit((unsigned char)s[1]))
		return false;
	errno = 0;
	*min = strtoull(s + 1, &q, 10);
	if (errno || *q != '-' || !isdigit((unsigned char)q[1]))
		return false;
	*max = strtoull(q + 1, &q, 10);
	return errno == 0 && q == end - 1;
}

static bool
is_word_var(const char *s)
{
	if (!isupper((unsigned char)*s))
		return false;
	return s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] == '\0';
}

static int
token_classify(struct vty_token *t)
{
	static const struct {
		const char *text;
		enum tok_kind kind;
	} special[] = {
		{ "A.B.C.D", TOK_IPV4 },
		{ "A.B.C.D/M", TOK_IPV4_PREFIX },
		{ "X:X::X:X", TOK_IPV6 },
		{ "X:X::X:X/M", TOK_IPV6_PREFIX },
	};

	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
		if (strcmp(t->text, special[i].text) == 0) {
			t->kind = special[i].kind;
			return 0;
		}
	}
	if (t->text[0] == '(') {
		if (!is_range(t->text, strlen(t->text), &t->min, &t->max) ||
		    t->min > t->max)
			return -1;
		t->kind = TOK_RANGE;
		return 0;
	}
	t->kind = is_word_var(t->text) ? TOK_WORD : TOK_KEYWORD;
	return 0;
}

static bool
is_special(char c)
{
	return c == '(' || c == ')' || c == '[' || c == ']' || c == '|';
}

static void
skip_blanks(struct tmpl_parser *tp)
{
	while (isspace((unsigned char)*tp->p))
		tp->p++;
}

/* A template word: a range "(1-255)" or a run of non-special characters. */
static int
parse_token(struct tmpl_parser *tp, struct seqset *out)
{
	struct vty_cmd *cmd = tp->cmd;
	const char *start = tp->p;
	struct vty_token *t;
	struct seq q = { 0 };
	uint64_t lo, hi;
	size_t len;

	if (*start == '(') {
		len = strcspn(start, ")") + 1;
		if (start[len - 1] != ')' || !is_range(start, len, &lo, &hi))
			return -1;
	} else {
		len = 0;
		while (start[len] && !isspace((unsigned char)start[len]) &&
		       !is_special(start[len]))
			len++;
	}
	if (len == 0 || cmd->ntokens == MAX_TOKENS)
		return -1;
	tp->p += len;
	cmd->tokens = wp_realloc(MT_VTY_CMD, cmd->tokens,
				 (cmd->ntokens + 1) * sizeof(*cmd->tokens));
	t = &cmd->tokens[cmd->ntokens];
	memset(t, 0, sizeof(*t));
	t->text = wp_strndup(MT_VTY_CMD, start, len);
	t->help = "";
	q.idx[0] = (uint8_t)cmd->ntokens++;
	q.len = 1;
	if (token_classify(t) == -1)
		return -1;
	return set_push(out, &q);
}

static int parse_alts(struct tmpl_parser *tp, struct seqset *out, char close);

static int
parse_elem(struct tmpl_parser *tp, struct seqset *out)
{
	struct seq empty = { 0 };
	char open = *tp->p;
	uint64_t lo, hi;

	if (open == '(' && is_range(tp->p, strcspn(tp->p, ")") + 1, &lo, &hi))
		return parse_token(tp, out);
	if (open != '(' && open != '[')
		return parse_token(tp, out);
	tp->p++;
	if (parse_alts(tp, out, open == '(' ? ')' : ']') == -1)
		return -1;
	tp->p++;
	if (open == '[')
		return set_push(out, &empty);
	return 0;
}

static int
parse_seq(struct tmpl_parser *tp, struct seqset *out)
{
	struct seq empty = { 0 };

	if (set_push(out, &empty) == -1)
		return -1;
	for (;;) {
		struct seqset elem = { 0 };

		skip_blanks(tp);
		if (*tp->p == '\0' || *tp->p == '|' || *tp->p == ')' ||
		    *tp->p == ']')
			return 0;
		if (parse_elem(tp, &elem) == -1 ||
		    set_product(out, &elem) == -1) {
			set_free(&elem);
			return -1;
		}
		set_free(&elem);
	}
}

/* seq ('|' seq)* up to `close` ('\0' at top level); no empty alternative. */
static int
parse_alts(struct tmpl_parser *tp, struct seqset *out, char close)
{
	for (;;) {
		struct seqset alt = { 0 };

		if (parse_seq(tp, &alt) == -1 || alt.v[0].len == 0 ||
		    set_union(out, &alt) == -1) {
			set_free(&alt);
			return -1;
		}
		if (*tp->p != '|')
			break;
		tp->p++;
	}
	return *tp->p == close ? 0 : -1;
}

static int
cmd_parse_help(struct vty_cmd *cmd, const char *help)
{
	char *p;
	size_t n = 0;

	if (help == NULL)
		return 0;
	cmd->helpbuf = wp_strdup(MT_VTY_CMD, help);
	for (p = cmd->helpbuf; *p; n++) {
		char *nl = strchr(p, '\n');

		if (n == cmd->ntokens)
			return -1;
		cmd->tokens[n].help = p;
		if (nl == NULL)
			return -1;	/* every line ends in '\n' */
		*nl = '\0';
		p = nl + 1;
	}
	return n == cmd->ntokens ? 0 : -1;
}

static bool
token_same(const struct vty_token *a, const struct vty_token *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == TOK_KEYWORD)
		return strcmp(a->text, b->text) == 0;
	if (a->kind == TOK_RANGE)
		return a->min == b->min && a->max == b->max;
	return true;
}

static bool
form_same(const struct vty_form *a, const struct vty_form *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (!token_same(a->tok[i], b->tok[i]))
			return false;
	return true;
}

static const struct vty_cmd *
cmd_find_clash(struct wp_vty *vty, const struct vty_cmd *cmd)
{
	const struct vty_cmd *old;

	TAILQ_FOREACH(old, &vty->cmds, entry)
		for (size_t i = 0; i < old->nforms; i++)
			for (size_t j = 0; j < cmd->nforms; j++)
				if (form_same(&old->forms[i], &cmd->forms[j]))
					return old;
	return NULL;
}

int
wp_vty_install_arg(struct wp_vty *vty, const char *tmpl, const char *help,
		   wp_vty_handler fn, void *arg)
{
	struct vty_cmd *cmd = wp_calloc(MT_VTY_CMD, sizeof(*cmd));
	struct tmpl_parser tp = { .p = tmpl, .cmd = cmd };
	const struct vty_cmd *clash;
	struct seqset set = { 0 };

	cmd->tmpl = wp_strdup(MT_VTY_CMD, tmpl);
	cmd->fn = fn;
	cmd->arg = arg;
	if (parse_alts(&tp, &set, '\0') == -1) {
		wp_log_warnx("vty: bad command template \"%s\" near \"%s\"",
			     tmpl, tp.p);
		goto out_free_cmd;
	}
	for (size_t i = 0; i < set.n; i++) {
		if (set.v[i].len == 0) {
			wp_log_warnx("vty: \"%s\" may match an empty line",
				     tmpl);
			goto out_free_cmd;
		}
	}
	if (cmd_parse_help(cmd, help) == -1) {
		wp_log_warnx("vty: \"%s\": %zu tokens but help lines do not "
			     "match", tmpl, cmd->ntokens);
		goto out_free_cmd;
	}
	cmd->forms = wp_calloc(MT_VTY_CMD, set.n * sizeof(*cmd->forms));
	for (size_t i = 0; i < set.n; i++) {
		struct vty_form *f = &cmd->forms[i];

		f->len = set.v[i].len;
		f->tok = wp_calloc(MT_VTY_CMD, f->len * sizeof(*f->tok));
		for (size_t j = 0; j < f->len; j++)
			f->tok[j] = &cmd->tokens[set.v[i].idx[j]];
		cmd->nforms++;
	}
	set_free(&set);
	if ((clash = cmd_find_clash(vty, cmd)) != NULL) {
		wp_log_warnx("vty: \"%s\" clashes with \"%s\"", tmpl,
			     clash->tmpl);
		cmd_free(cmd);
		errno = EEXIST;
		return -1;
	}
	TAILQ_INSERT_TAIL(&vty->cmds, cmd, entry);
	vty->nforms += cmd->nforms;
	return 0;

out_free_cmd:
	set_free(&set);
	cmd_free(cmd);
	errno = EINVAL;
	return -1;
}

int
wp_vty_install(struct wp_vty *vty, const char *tmpl, const char *help,
	       wp_vty_handler fn)
{
	return wp_vty_install_arg(vty, tmpl, help, fn, NULL);
}

/* --- matching ---------------------------------------------------------- */

static bool
all_chars_in(const char *w, const char *set)
{
	return w[strspn(w, set)] == '\0';
}

static enum tok_match
match_prefix_len(const char *s, int max)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s) || strlen(s) > 3)
		return MATCH_INVALID;
	v = strtoul(s, &end, 10);
	return (*end == '\0' && v <= (unsigned long)max) ? MATCH_VALUE :
							   MATCH_INVALID;
}

static enum tok_match
match_addr(const char *w, int af, bool prefix)
{
	const char *shape = af == AF_INET ? "0123456789./" :
			    "0123456789abcdefABCDEF:./";
	char addr[INET6_ADDRSTRLEN + 8];
	unsigned char bin[16];
	const char *slash = strchr(w, '/');
	size_t alen = slash ? (size_t)(slash - w) : strlen(w);

	if (!all_chars_in(w, shape) || (af == AF_INET6 && !strchr(w, ':')))
		return MATCH_NONE;
	if ((slash != NULL) != prefix || alen >= sizeof(addr))
		return slash && !prefix ? MATCH_NONE : MATCH_INVALID;
	memcpy(addr, w, alen);
	addr[alen] = '\0';
	if (inet_pton(af, addr, bin) != 1)
		return MATCH_INVALID;
	if (prefix)
		return match_prefix_len(slash + 1, af == AF_INET ? 32 : 128);
	return MATCH_VALUE;
}

static enum tok_match
match_range(const struct vty_token *t, const char *w)
{
	uint64_t v;
	char *end;

	if (!isdigit((unsigned char)*w))
		return MATCH_NONE;
	if (!all_chars_in(w, "0123456789"))
		return MATCH_NONE;
	errno = 0;
	v = strtoull(w, &end, 10);
	if (errno || v < t->min || v > t->max)
		return MATCH_INVALID;
	return MATCH_VALUE;
}

static enum tok_match
token_match(const struct vty_token *t, const char *w)
{
	switch (t->kind) {
	case TOK_KEYWORD:
		if (strcmp(t->text, w) == 0)
			return MATCH_EXACT;
		if (*w && strncmp(t->text, w, strlen(w)) == 0)
			return MATCH_PARTIAL;
		return MATCH_NONE;
	case TOK_WORD:
		return MATCH_WORD;
	case TOK_IPV4:
		return match_addr(w, AF_INET, false);
	case TOK_IPV4_PREFIX:
		return match_addr(w, AF_INET, true);
	case TOK_IPV6:
		return match_addr(w, AF_INET6, false);
	case TOK_IPV6_PREFIX:
		return match_addr(w, AF_INET6, true);
	case TOK_RANGE:
		return match_range(t, w);
	}
	return MATCH_NONE;
}

struct cand {
	const struct vty_cmd *cmd;
	const struct vty_form *form;
	enum tok_match m;
};

/* A line split into words, over a private copy. */
struct words {
	char *copy;
	char *w[WP_VTY_MAX_WORDS];
	int n;
	bool trailing_blank;
};

static int
words_split(struct words *ws, const char *line, struct wp_vty_buf *out)
{
	char *p;

	memset(ws, 0, sizeof(*ws));
	ws->copy = wp_strdup(MT_TMP, line);
	for (p = ws->copy; *p;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		if (ws->n == WP_VTY_MAX_WORDS) {
			wp_vty_buf_printf(out, "%% Too many words (at most "
					  "%d)\n", WP_VTY_MAX_WORDS);
			return -1;
		}
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

static struct cand *
cands_all(struct wp_vty *vty, size_t *n)
{
	struct cand *c = wp_calloc(MT_TMP, (vty->nforms + 1) * sizeof(*c));
	const struct vty_cmd *cmd;

	*n = 0;
	TAILQ_FOREACH(cmd, &vty->cmds, entry) {
		for (size_t i = 0; i < cmd->nforms; i++) {
			c[*n].cmd = cmd;
			c[*n].form = &cmd->forms[i];
			(*n)++;
		}
	}
	return c;
}

/* Print the distinct keywords at position `pos` of the candidates. */
static void
print_keywords(struct wp_vty_buf *out, const struct cand *c, size_t n,
	       int pos)
{
	int printed = 0;

	for (size_t i = 0; i < n; i++) {
		const char *kw = c[i].form->tok[pos]->text;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(c[j].form->tok[pos]->text, kw) == 0;
		if (!seen)
			wp_vty_buf_printf(out, "%s%s", printed++ ? ", " : "",
					  kw);
	}
}

static void
no_match(struct wp_vty_buf *out, const char *word, int pos,
	 const struct vty_token *invalid)
{
	if (invalid)
		wp_vty_buf_printf(out, "%% Invalid value \"%s\" for %s\n", word,
				  invalid->text);
	else
		wp_vty_buf_printf(out, "%% Unknown command: \"%s\" (at word "
				  "%d)\n", word, pos);
}

/*
 * Narrow `c` (n entries) to the forms matching words[0..upto).  On error,
 * writes the message to `out` and returns its status.
 */
static int
cands_filter(const struct words *ws, int upto, struct cand *c, size_t *n,
	     struct wp_vty_buf *out)
{
	for (int i = 0; i < upto; i++) {
		const struct vty_token *invalid = NULL;
		enum tok_match best = MATCH_NONE;
		size_t kept = 0;
		bool multi_kw = false;

		for (size_t k = 0; k < *n; k++) {
			const struct vty_form *f = c[k].form;

			c[k].m = f->len > (size_t)i ?
				 token_match(f->tok[i], ws->w[i]) : MATCH_NONE;
			if (c[k].m == MATCH_INVALID && invalid == NULL)
				invalid = f->tok[i];
			if (c[k].m > best)
				best = c[k].m;
		}
		if (best < MATCH_WORD) {
			no_match(out, ws->w[i], i + 1, invalid);
			return WP_VTY_ERR_NO_MATCH;
		}
		for (size_t k = 0; k < *n; k++) {
			if (c[k].m != best)
				continue;
			if (kept > 0 && best == MATCH_PARTIAL &&
			    strcmp(c[0].form->tok[i]->text,
				   c[k].form->tok[i]->text) != 0)
				multi_kw = true;
			c[kept++] = c[k];
		}
		*n = kept;
		if (multi_kw) {
			wp_vty_buf_printf(out, "%% Ambiguous command: \"%s\" "
					  "matches ", ws->w[i]);
			print_keywords(out, c, *n, i);
			wp_vty_buf_add(out, "\n", 1);
			return WP_VTY_ERR_INCOMPLETE;
		}
	}
	return WP_VTY_OK;
}

/* The one command form as long as the line, or an error in `out`. */
static int
cands_pick(const struct words *ws, const char *line, struct cand *c,
	   size_t n, const struct cand **pick, struct wp_vty_buf *out)
{
	size_t ncomplete = 0;

	*pick = NULL;
	for (size_t k = 0; k < n; k++) {
		if (c[k].form->len != (size_t)ws->n)
			continue;
		if (*pick == NULL)
			*pick = &c[k];
		else if (c[k].cmd != (*pick)->cmd)
			ncomplete++;
	}
	if (*pick == NULL) {
		wp_vty_buf_printf(out, "%% Incomplete command\n");
		return WP_VTY_ERR_INCOMPLETE;
	}
	if (ncomplete > 0) {
		wp_vty_buf_printf(out, "%% Ambiguous command: \"%s\" matches "
				  "%zu commands\n", line, ncomplete + 1);
		return WP_VTY_ERR_INCOMPLETE;
	}
	return WP_VTY_OK;
}

static int
cmd_run(struct wp_vty *vty, const struct cand *pick, const struct words *ws,
	struct wp_vty_buf *out)
{
	struct wp_vty_cmd_ctx ctx = {
		.vty = vty,
		.cmd = pick->cmd,
		.form = pick->form,
		.argc = ws->n,
		.out = out,
	};
	const char *argv[WP_VTY_MAX_WORDS + 1];
	bool json = false;
	int rc;

	for (int i = 0; i < ws->n; i++) {
		const struct vty_token *t = pick->form->tok[i];

		argv[i] = t->kind == TOK_KEYWORD ? t->text : ws->w[i];
		if (t->kind == TOK_KEYWORD && strcmp(t->text, "json") == 0)
			json = true;
	}
	argv[ws->n] = NULL;
	ctx.argv = argv;
	rc = pick->cmd->fn(&ctx, ws->n, argv, json);
	if (rc < 0 || rc > WP_VTY_ERR_FAILED)
		rc = WP_VTY_ERR_FAILED;
	/* A handler that failed after all says so now: no steps. */
	if (rc != WP_VTY_OK && vty->pending) {
		wp_vty_steps_free(vty->pending);
		vty->pending = NULL;
	}
	return rc;
}

static bool
is_comment(const char *line)
{
	while (isspace((unsigned char)*line))
		line++;
	return *line == '\0' || *line == '!' || *line == '#';
}

int
wp_vty_exec_buf(struct wp_vty *vty, const char *line, struct wp_vty_buf *out)
{
	const struct cand *pick;
	struct words ws;
	struct cand *c;
	size_t n;
	int rc;

	if (is_comment(line))
		return WP_VTY_OK;
	if (words_split(&ws, line, out) == -1) {
		words_free(&ws);
		return WP_VTY_ERR_NO_MATCH;
	}
	c = cands_all(vty, &n);
	rc = cands_filter(&ws, ws.n, c, &n, out);
	if (rc == WP_VTY_OK)
		rc = cands_pick(&ws, line, c, n, &pick, out);
	if (rc == WP_VTY_OK)
		rc = cmd_run(vty, pick, &ws, out);
	wp_free(MT_TMP, c);
	words_free(&ws);
	return rc;
}

int
wp_vty_exec(struct wp_vty *vty, const char *line, char **out)
{
	struct wp_vty_buf b = { 0 };
	int rc = wp_vty_exec_buf(vty, line, &b);
	struct wp_vty_steps *st = wp_vty_take_steps(vty);

	if (st) {
		while ((rc = wp_vty_steps_run(st)) == WP_VTY_MORE)
			;
		wp_vty_steps_free(st);
	}
	if (out)
		*out = wp_strndup(MT_STRING, b.data ? b.data : "", b.len);
	wp_vty_buf_free(&b);
	return rc;
}

/* --- completion ------------------------------------------------------- */

struct completion {
	const char *word;
	const char *help;
};

static int
completion_cmp(const void *a, const void *b)
{
	return strcmp(((const struct completion *)a)->word,
		      ((const struct completion *)b)->word);
}

static bool
completion_wanted(const struct vty_token *t, const char *prefix)
{
	if (*prefix == '\0')
		return true;
	if (t->kind == TOK_KEYWORD)
		return token_match(t, prefix) >= MATCH_PARTIAL;
	return token_match(t, prefix) != MATCH_NONE;
}

static int
complete(struct wp_vty *vty, const char *line,
	 void (*fn)(const char *word, const char *help, void *arg), void *arg,
	 struct wp_vty_buf *err)
{
	struct completion *list = NULL;
	size_t n, nlist = 0;
	bool cr = false;
	struct words ws;
	const char *prefix = "";
	struct cand *c;
	int pos, rc;

	if (words_split(&ws, line, err) == -1) {
		words_free(&ws);
		return WP_VTY_ERR_NO_MATCH;
	}
	pos = ws.n;
	if (ws.n > 0 && !ws.trailing_blank)
		prefix = ws.w[--pos];
	c = cands_all(vty, &n);
	rc = cands_filter(&ws, pos, c, &n, err);
	if (rc != WP_VTY_OK)
		goto out_free_cands;
	list = wp_calloc(MT_TMP, (n + 1) * sizeof(*list));
	for (size_t k = 0; k < n; k++) {
		const struct vty_token *t;
		bool seen = false;

		if (c[k].form->len == (size_t)pos) {
			cr = cr || (pos > 0 && *prefix == '\0');
			continue;
		}
		t = c[k].form->tok[pos];
		if (!completion_wanted(t, prefix))
			continue;
		for (size_t j = 0; j < nlist && !seen; j++)
			seen = strcmp(list[j].word, t->text) == 0;
		if (!seen)
			list[nlist++] = (struct completion){ t->text, t->help };
	}
	qsort(list, nlist, sizeof(*list), completion_cmp);
	for (size_t j = 0; j < nlist; j++)
		fn(list[j].word, list[j].help, arg);
	if (cr)
		fn("<cr>", "", arg);
	wp_free(MT_TMP, list);

out_free_cands:
	wp_free(MT_TMP, c);
	words_free(&ws);
	return rc;
}

int
wp_vty_complete(struct wp_vty *vty, const char *line,
		void (*fn)(const char *word, const char *help, void *arg),
		void *arg, char **err)
{
	struct wp_vty_buf b = { 0 };
	int rc = complete(vty, line, fn, arg, &b);

	if (err)
		*err = rc == WP_VTY_OK ? NULL :
		       wp_strndup(MT_STRING, b.data ? b.data : "", b.len);
	wp_vty_buf_free(&b);
	return rc;
}

static void
complete_to_buf(const char *word, const char *help, void *arg)
{
	wp_vty_buf_printf(arg, "%s\t%s\n", word, help);
}

int
wp_vty_complete_buf(struct wp_vty *vty, const char *line,
		    struct wp_vty_buf *out)
{
	return complete(vty, line, complete_to_buf, out, out);
}

/* --- handler side ------------------------------------------------------ */

void
wp_vty_out(struct wp_vty_cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wp_vty_buf_vprintf(ctx->out, fmt, ap);
	va_end(ap);
}

void
wp_vty_puts(struct wp_vty_cmd_ctx *ctx, const char *s)
{
	wp_vty_buf_add(ctx->out, s, strlen(s));
}

void
wp_vty_continue(struct wp_vty_cmd_ctx *ctx, wp_vty_step step, void *state,
		void (*done)(void *state))
{
	struct wp_vty_steps *st = wp_calloc(MT_VTY_CMD, sizeof(*st));

	st->ctx = *ctx;
	st->ctx.form = NULL;
	st->ctx.argc = 0;
	st->ctx.argv = NULL;
	st->fn = step;
	st->state = state;
	st->done = done;
	if (ctx->vty->pending)		/* a second one: the first is lost */
		wp_vty_steps_free(ctx->vty->pending);
	ctx->vty->pending = st;
}

void
wp_vty_free_tmp(void *state)
{
	wp_free(MT_TMP, state);
}

struct wp_vty_steps *
wp_vty_take_steps(struct wp_vty *vty)
{
	struct wp_vty_steps *st = vty->pending;

	vty->pending = NULL;
	return st;
}

int
wp_vty_steps_run(struct wp_vty_steps *st)
{
	int rc = st->fn(&st->ctx, st->state);

	if (rc == WP_VTY_MORE)
		return rc;
	return rc < 0 || rc > WP_VTY_ERR_FAILED ? WP_VTY_ERR_FAILED : rc;
}

void
wp_vty_steps_free(struct wp_vty_steps *st)
{
	if (st == NULL)
		return;
	if (st->done)
		st->done(st->state);
	wp_free(MT_VTY_CMD, st);
}

/* A member name as JSON writes it: quoted, escaped as json-c does. */
static void
put_key(struct wp_vty_cmd_ctx *ctx, const char *key)
{
	json_object *k = json_object_new_string(key);

	wp_vty_puts(ctx, wp_json_to_string(k, false));
	wp_vty_buf_add(ctx->out, ":", 1);
	json_object_put(k);
}

void
wp_vty_json_list_begin(struct wp_vty_cmd_ctx *ctx, const char *key)
{
	wp_vty_puts(ctx, "{\n  ");
	put_key(ctx, key);
	wp_vty_puts(ctx, "[\n");
}

/* `json` as its own pretty print, every line after the first (and the
 * first too if `first_line`) indented by `ind`. */
static void
put_indented(struct wp_vty_cmd_ctx *ctx, json_object *json, const char *ind,
	     bool first_line)
{
	const char *p = wp_json_to_string(json, true), *nl;
	size_t n = strlen(ind);

	for (bool first = true;; p = nl + 1, first = false) {
		nl = strchr(p, '\n');
		if (!first || first_line)
			wp_vty_buf_add(ctx->out, ind, n);
		wp_vty_buf_add(ctx->out, p, nl ? (size_t)(nl - p) : strlen(p));
		if (nl == NULL)
			break;
		wp_vty_buf_add(ctx->out, "\n", 1);
	}
}

/* The item at depth 2 of the whole: each of its lines indented by 4. */
void
wp_vty_json_list_item(struct wp_vty_cmd_ctx *ctx, json_object *item,
		      bool first)
{
	if (!first)
		wp_vty_buf_add(ctx->out, ",\n", 2);
	put_indented(ctx, item, "    ", true);
	json_object_put(item);
}

void
wp_vty_json_list_end(struct wp_vty_cmd_ctx *ctx, bool empty)
{
	wp_vty_puts(ctx, empty ? "  ]\n}\n" : "\n  ]\n}\n");
}

void
wp_vty_json_obj_begin(struct wp_vty_cmd_ctx *ctx)
{
	wp_vty_puts(ctx, "{\n");
}

/* A member at depth 1: its value's lines after the first indented by 2. */
void
wp_vty_json_obj_member(struct wp_vty_cmd_ctx *ctx, const char *key,
		       json_object *val, bool first)
{
	wp_vty_puts(ctx, first ? "  " : ",\n  ");
	put_key(ctx, key);
	put_indented(ctx, val, "  ", false);
	json_object_put(val);
}

void
wp_vty_json_obj_end(struct wp_vty_cmd_ctx *ctx, bool empty)
{
	wp_vty_puts(ctx, empty ? "}\n" : "\n}\n");
}

void
wp_vty_json(struct wp_vty_cmd_ctx *ctx, json_object *obj)
{
	wp_vty_puts(ctx, wp_json_to_string(obj, true));
	wp_vty_buf_add(ctx->out, "\n", 1);
	json_object_put(obj);
}

void
wp_vty_show(struct wp_vty_cmd_ctx *ctx, json_object *top, json_object *rows,
	    const struct wp_table_col *cols, size_t ncols, bool json)
{
	char *text;

	if (json) {
		wp_vty_json(ctx, top);
		return;
	}
	text = wp_table_render_json(cols, ncols, rows);
	wp_vty_puts(ctx, text);
	wp_free(MT_STRING, text);
	json_object_put(top);
}

const char *
wp_vty_arg(const struct wp_vty_cmd_ctx *ctx, const char *tok)
{
	if (ctx->form == NULL)
		return NULL;
	for (size_t i = 0; i < ctx->form->len; i++)
		if (strcmp(ctx->form->tok[i]->text, tok) == 0)
			return ctx->argv[i];
	return NULL;
}

void *
wp_vty_ctx_arg(const struct wp_vty_cmd_ctx *ctx)
{
	return ctx->cmd->arg;
}

struct wp_vty *
wp_vty_ctx_vty(const struct wp_vty_cmd_ctx *ctx)
{
	return ctx->vty;
}

void
wp_vty_cmd_foreach(const struct wp_vty *vty,
		   void (*fn)(const char *tmpl, const char *help, void *arg),
		   void *arg)
{
	const struct vty_cmd *cmd;

	TAILQ_FOREACH(cmd, &vty->cmds, entry)
		fn(cmd->tmpl, cmd->helpbuf, arg);
}
