/*
 * vtysh_line.c: the text work of the shell that needs no daemon and no
 * terminal: buffers, words, output pipes and their filters, the diff of
 * two rendered configurations, prompts, candidate lists for `?` and TAB,
 * data-path parents.  Everything here is pure and unit-tested
 * (tests/unit/vtysh/check_vtysh.c).
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtysh.h"

WP_MEMTYPE_DEFINE(MT_VTYSH, "vtysh");

/* --- buffers ------------------------------------------------------------- */

static void
buf_grow(struct vt_buf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < need)
		b->cap *= 2;
	b->data = wp_realloc(MT_STRING, b->data, b->cap);
}

void
vt_buf_putn(struct vt_buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
vt_buf_puts(struct vt_buf *b, const char *s)
{
	vt_buf_putn(b, s, strlen(s));
}

void
vt_buf_printf(struct vt_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
vt_buf_take(struct vt_buf *b)
{
	char *s = b->data ? b->data : wp_strdup(MT_STRING, "");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
vt_buf_free(struct vt_buf *b)
{
	wp_free(MT_STRING, b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* --- words --------------------------------------------------------------- */

void
vt_words_split(const char *line, struct vt_words *ws)
{
	size_t cap = 8, i = 0;

	memset(ws, 0, sizeof(*ws));
	ws->w = wp_calloc(MT_VTYSH, cap * sizeof(*ws->w));
	ws->off = wp_calloc(MT_VTYSH, cap * sizeof(*ws->off));
	ws->trailing_blank = true;
	while (line[i]) {
		size_t start;

		if (isspace((unsigned char)line[i])) {
			i++;
			continue;
		}
		start = i;
		while (line[i] && !isspace((unsigned char)line[i]))
			i++;
		if (ws->n == cap) {
			cap *= 2;
			ws->w = wp_realloc(MT_VTYSH, ws->w,
					   cap * sizeof(*ws->w));
			ws->off = wp_realloc(MT_VTYSH, ws->off,
					     cap * sizeof(*ws->off));
		}
		ws->off[ws->n] = start;
		ws->w[ws->n++] = wp_strndup(MT_VTYSH, line + start, i - start);
	}
	if (ws->n > 0 && i > 0 && !isspace((unsigned char)line[i - 1]))
		ws->trailing_blank = false;
}

void
vt_words_free(struct vt_words *ws)
{
	for (size_t i = 0; i < ws->n; i++)
		wp_free(MT_VTYSH, ws->w[i]);
	wp_free(MT_VTYSH, ws->w);
	wp_free(MT_VTYSH, ws->off);
	memset(ws, 0, sizeof(*ws));
}

char *
vt_words_join(const struct vt_words *ws, size_t from, size_t to)
{
	struct vt_buf b = { 0 };

	for (size_t i = from; i < to && i < ws->n; i++) {
		if (i > from)
			vt_buf_puts(&b, " ");
		vt_buf_puts(&b, ws->w[i]);
	}
	return vt_buf_take(&b);
}

/* --- pipes --------------------------------------------------------------- */

static const struct {
	const char *word;
	enum vt_pipe_kind kind;
	bool regex;
} pipe_words[] = {
	{ "begin", VT_PIPE_BEGIN, true },
	{ "count", VT_PIPE_COUNT, false },
	{ "exclude", VT_PIPE_EXCLUDE, true },
	{ "include", VT_PIPE_INCLUDE, true },
	{ "json", VT_PIPE_JSON, false },
};

#define NPIPE_WORDS	(sizeof(pipe_words) / sizeof(pipe_words[0]))

static char *
trim_dup(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return wp_strndup(MT_STRING, s, n);
}

/* Where the pipes start: a '|' at the start of a word, or NULL. */
static const char *
pipe_start(const char *line)
{
	for (const char *p = line; *p; p++)
		if (*p == '|' && (p == line || isspace((unsigned char)p[-1])))
			return p;
	return NULL;
}

static int
pipe_err(struct vt_pipeline *pl, char **err, const char *fmt, const char *a)
{
	struct vt_buf b = { 0 };

	vt_buf_printf(&b, fmt, a);
	*err = vt_buf_take(&b);
	vt_pipeline_free(pl);
	return -1;
}

int
vt_pipeline_parse(const char *line, struct vt_pipeline *pl, char **err)
{
	const char *bar = pipe_start(line), *p;

	memset(pl, 0, sizeof(*pl));
	*err = NULL;
	pl->cmd = trim_dup(line, bar ? (size_t)(bar - line) : strlen(line));
	while (bar) {
		struct vt_pipe *pp;
		size_t wlen, match = NPIPE_WORDS, nmatch = 0;
		char word[32];

		p = bar + 1;
		while (isspace((unsigned char)*p))
			p++;
		for (wlen = 0; p[wlen] && !isspace((unsigned char)p[wlen]) &&
		     p[wlen] != '|'; wlen++)
			;
		if (wlen == 0)
			return pipe_err(pl, err, "%% Incomplete pipe: expected "
					"begin, count, exclude, include or "
					"json after '|'%s", "");
		snprintf(word, sizeof(word), "%.*s", (int)wlen, p);
		for (size_t i = 0; i < NPIPE_WORDS; i++) {
			if (strncmp(pipe_words[i].word, p, wlen) != 0)
				continue;
			if (strlen(pipe_words[i].word) == wlen) {
				match = i;
				nmatch = 1;
				break;
			}
			match = i;
			nmatch++;
		}
		if (nmatch != 1)
			return pipe_err(pl, err, nmatch ? "%% Ambiguous pipe "
					"'%s'" : "%% Invalid pipe '%s': "
					"expected begin, count, exclude, "
					"include or json", word);
		if (pl->n == VT_PIPES_MAX)
			return pipe_err(pl, err, "%% Too many pipes%s", "");
		p += wlen;
		pp = &pl->p[pl->n];
		pp->kind = pipe_words[match].kind;
		if (pipe_words[match].regex) {
			int rc;

			pp->pattern = trim_dup(p, strlen(p));
			if (pp->pattern[0] == '\0') {
				wp_free(MT_STRING, pp->pattern);
				pp->pattern = NULL;
				return pipe_err(pl, err, "%% '| %s' needs a "
						"regular expression",
						pipe_words[match].word);
			}
			rc = regcomp(&pp->re, pp->pattern,
				     REG_EXTENDED | REG_NOSUB);
			if (rc != 0) {
				char msg[128];

				regerror(rc, &pp->re, msg, sizeof(msg));
				wp_free(MT_STRING, pp->pattern);
				pp->pattern = NULL;
				return pipe_err(pl, err, "%% Invalid regular "
						"expression: %s", msg);
			}
			pl->n++;
			break;		/* the regex took the rest */
		}
		pl->n++;
		if (pp->kind == VT_PIPE_JSON)
			pl->json = true;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '\0' && *p != '|')
			return pipe_err(pl, err, "%% Invalid input after "
					"'| %s'", pipe_words[match].word);
		bar = *p == '|' ? p : NULL;
	}
	if (pl->cmd[0] == '\0' && pl->n > 0)
		return pipe_err(pl, err, "%% A pipe needs a command before "
				"it%s", "");
	return 0;
}

void
vt_pipeline_free(struct vt_pipeline *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		if (pl->p[i].pattern) {
			regfree(&pl->p[i].re);
			wp_free(MT_STRING, pl->p[i].pattern);
		}
	}
	wp_free(MT_STRING, pl->cmd);
	memset(pl, 0, sizeof(*pl));
}

static char *
pipe_apply(const struct vt_pipe *pp, const char *text)
{
	struct vt_buf b = { 0 };
	bool begun = false;
	size_t count = 0;
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = wp_strndup(MT_STRING, p, len);
		bool keep;

		switch (pp->kind) {
		case VT_PIPE_INCLUDE:
			keep = regexec(&pp->re, line, 0, NULL, 0) == 0;
			break;
		case VT_PIPE_EXCLUDE:
			keep = regexec(&pp->re, line, 0, NULL, 0) != 0;
			break;
		case VT_PIPE_BEGIN:
			begun = begun || regexec(&pp->re, line, 0, NULL, 0) == 0;
			keep = begun;
			break;
		case VT_PIPE_COUNT:
			count++;
			keep = false;
			break;
		default:
			keep = true;
		}
		wp_free(MT_STRING, line);
		if (keep) {
			vt_buf_putn(&b, p, len);
			vt_buf_puts(&b, "\n");
		}
		p += len + (nl ? 1 : 0);
	}
	if (pp->kind == VT_PIPE_COUNT)
		vt_buf_printf(&b, "%zu\n", count);
	return vt_buf_take(&b);
}

char *
vt_pipeline_filter(const struct vt_pipeline *pl, const char *text)
{
	char *cur = wp_strdup(MT_STRING, text);

	for (size_t i = 0; i < pl->n; i++) {
		char *next;

		if (pl->p[i].kind == VT_PIPE_JSON)
			continue;
		next = pipe_apply(&pl->p[i], cur);
		wp_free(MT_STRING, cur);
		cur = next;
	}
	return cur;
}

/* --- configuration diff -------------------------------------------------- */

/*
 * Both texts are cut into stanzas: a line at the left margin with what
 * is indented under it and the exit command that closes it ("!" lines
 * are dropped).  Stanzas are matched by their first line (LCS over the
 * two sequences), so a new `interface eth2` block shows as one added
 * block rather than as lines slid across its neighbours' `exit`s; a
 * stanza in both texts whose lines differ shows its changed lines under
 * its first line, matched line by line the same way.
 */
struct lines {
	char **l;
	size_t n;
};

struct stanza {
	size_t first;			/* index of the header line */
	size_t n;			/* lines, header included */
};

static void
lines_split(const char *text, struct lines *ls)
{
	size_t cap = 16;
	const char *p = text;

	ls->n = 0;
	ls->l = wp_calloc(MT_VTYSH, cap * sizeof(*ls->l));
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (len > 0 && strspn(p, " ") + 1 == len && p[len - 1] == '!') {
			p += len + (p[len] == '\n');
			continue;
		}
		if (ls->n == cap) {
			cap *= 2;
			ls->l = wp_realloc(MT_VTYSH, ls->l,
					   cap * sizeof(*ls->l));
		}
		ls->l[ls->n++] = wp_strndup(MT_VTYSH, p, len);
		p += len + (p[len] == '\n');
	}
}

static void
lines_free(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		wp_free(MT_VTYSH, ls->l[i]);
	wp_free(MT_VTYSH, ls->l);
}

static size_t
stanzas(const struct lines *ls, struct stanza **out)
{
	struct stanza *st = wp_calloc(MT_VTYSH, (ls->n + 1) * sizeof(*st));
	size_t n = 0, i = 0;

	while (i < ls->n) {
		size_t j = i + 1;

		while (j < ls->n && ls->l[j][0] == ' ')
			j++;
		if (j < ls->n && strncmp(ls->l[j], "exit", 4) == 0)
			j++;
		st[n].first = i;
		st[n++].n = j - i;
		i = j;
	}
	*out = st;
	return n;
}

#define DIFF_CELLS_MAX	(4u * 1024 * 1024)

/*
 * The edit script turning a[0..n) into b[0..m): '=', '-' or '+' per step,
 * NUL-terminated (MT_VTYSH).  Common head and tail first; a middle too
 * big for the table is all removed, then all added.
 */
static char *
lcs_script(char *const *a, size_t n, char *const *b, size_t m)
{
	char *ops = wp_calloc(MT_VTYSH, n + m + 1);
	size_t pre = 0, suf = 0, k = 0, i, j, mn, mm;
	unsigned int *t = NULL;

	while (pre < n && pre < m && strcmp(a[pre], b[pre]) == 0)
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       strcmp(a[n - 1 - suf], b[m - 1 - suf]) == 0)
		suf++;
	mn = n - pre - suf;
	mm = m - pre - suf;
	memset(ops, '=', pre);
	k = pre;
	if (mn > 0 && mm > 0 && (mn + 1) * (mm + 1) <= DIFF_CELLS_MAX) {
		t = wp_calloc(MT_VTYSH, (mn + 1) * (mm + 1) * sizeof(*t));
		for (i = mn; i-- > 0;) {
			for (j = mm; j-- > 0;) {
				unsigned int down = t[(i + 1) * (mm + 1) + j];
				unsigned int right = t[i * (mm + 1) + j + 1];

				t[i * (mm + 1) + j] =
				    strcmp(a[pre + i], b[pre + j]) == 0 ?
				    t[(i + 1) * (mm + 1) + j + 1] + 1 :
				    (down > right ? down : right);
			}
		}
	}
	i = j = 0;
	while (i < mn || j < mm) {
		if (i < mn && j < mm && strcmp(a[pre + i], b[pre + j]) == 0) {
			ops[k++] = '=';
			i++;
			j++;
		} else if (i < mn && (j == mm || t == NULL ||
				      t[(i + 1) * (mm + 1) + j] >=
				      t[i * (mm + 1) + j + 1])) {
			ops[k++] = '-';
			i++;
		} else {
			ops[k++] = '+';
			j++;
		}
	}
	memset(ops + k, '=', suf);
	wp_free(MT_VTYSH, t);
	return ops;
}

#define DIFF_DEPTH_MAX	16

/* The output, and the block headers above the current line. */
struct diff_out {
	struct vt_buf b;
	const char *ctx[DIFF_DEPTH_MAX];
	bool shown[DIFF_DEPTH_MAX];
};

static size_t
indent_of(const char *s)
{
	return strspn(s, " ");
}

static void
diff_note(struct diff_out *d, const char *line)
{
	size_t in = indent_of(line);

	if (in >= DIFF_DEPTH_MAX)
		return;
	d->ctx[in] = line;
	d->shown[in] = false;
	for (size_t i = in + 1; i < DIFF_DEPTH_MAX; i++)
		d->ctx[i] = NULL;
}

static void
diff_emit(struct diff_out *d, char mark, const char *line)
{
	size_t in = indent_of(line);

	for (size_t i = 0; i < in && i < DIFF_DEPTH_MAX; i++) {
		if (d->ctx[i] && !d->shown[i]) {
			vt_buf_printf(&d->b, "  %s\n", d->ctx[i]);
			d->shown[i] = true;
		}
	}
	vt_buf_printf(&d->b, "%c %s\n", mark, line);
	diff_note(d, line);
	if (in < DIFF_DEPTH_MAX)
		d->shown[in] = true;
}

static void
diff_stanza(struct diff_out *d, const struct lines *a, const struct stanza *sa,
	    const struct lines *b, const struct stanza *sb)
{
	char *ops = lcs_script(a->l + sa->first, sa->n, b->l + sb->first,
			       sb->n);
	size_t i = sa->first, j = sb->first;

	for (const char *op = ops; *op; op++) {
		if (*op == '=') {
			diff_note(d, b->l[j]);
			i++;
			j++;
		} else if (*op == '-') {
			diff_emit(d, '-', a->l[i++]);
		} else {
			diff_emit(d, '+', b->l[j++]);
		}
	}
	wp_free(MT_VTYSH, ops);
}

char *
vt_diff_lines(const char *old, const char *new)
{
	struct lines a, b;
	struct stanza *sa, *sb;
	struct diff_out d = { 0 };
	size_t na, nb, i = 0, j = 0;
	char **ha, **hb, *ops;

	lines_split(old, &a);
	lines_split(new, &b);
	na = stanzas(&a, &sa);
	nb = stanzas(&b, &sb);
	ha = wp_calloc(MT_VTYSH, (na + 1) * sizeof(*ha));
	hb = wp_calloc(MT_VTYSH, (nb + 1) * sizeof(*hb));
	for (size_t k = 0; k < na; k++)
		ha[k] = a.l[sa[k].first];
	for (size_t k = 0; k < nb; k++)
		hb[k] = b.l[sb[k].first];
	ops = lcs_script(ha, na, hb, nb);
	for (const char *op = ops; *op; op++) {
		if (*op == '=') {
			diff_stanza(&d, &a, &sa[i++], &b, &sb[j++]);
		} else if (*op == '-') {
			for (size_t k = 0; k < sa[i].n; k++)
				diff_emit(&d, '-', a.l[sa[i].first + k]);
			i++;
		} else {
			for (size_t k = 0; k < sb[j].n; k++)
				diff_emit(&d, '+', b.l[sb[j].first + k]);
			j++;
		}
	}
	wp_free(MT_VTYSH, ops);
	wp_free(MT_VTYSH, ha);
	wp_free(MT_VTYSH, hb);
	wp_free(MT_VTYSH, sa);
	wp_free(MT_VTYSH, sb);
	lines_free(&a);
	lines_free(&b);
	return vt_buf_take(&d.b);
}

/* --- prompts ------------------------------------------------------------- */

char *
vt_prompt(const char *host, const char *mode)
{
	struct vt_buf b = { 0 };

	if (mode)
		vt_buf_printf(&b, "%s(%s)# ", host, mode);
	else
		vt_buf_printf(&b, "%s# ", host);
	return vt_buf_take(&b);
}

/* --- candidates ---------------------------------------------------------- */

bool
vt_is_keyword(const char *word)
{
	if (*word == '\0' || *word == '(' || *word == '<' || *word == '[')
		return false;
	for (const char *p = word; *p; p++)
		if (isupper((unsigned char)*p))
			return false;
	return true;
}

void
vt_cands_add(struct vt_cands *cs, const char *word, const char *help)
{
	if (strcmp(word, "<cr>") == 0) {
		cs->cr = true;
		return;
	}
	for (size_t i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].word, word) == 0)
			return;
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 16;
		cs->c = wp_realloc(MT_VTYSH, cs->c, cs->cap * sizeof(*cs->c));
	}
	cs->c[cs->n].word = wp_strdup(MT_VTYSH, word);
	cs->c[cs->n].help = wp_strdup(MT_VTYSH, help ? help : "");
	cs->n++;
}

void
vt_cands_add_text(struct vt_cands *cs, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *tab = memchr(p, '\t', len);
		char *word, *help;

		word = wp_strndup(MT_STRING, p, tab ? (size_t)(tab - p) : len);
		help = tab ? wp_strndup(MT_STRING, tab + 1,
					len - (size_t)(tab + 1 - p)) :
			     wp_strdup(MT_STRING, "");
		if (word[0])
			vt_cands_add(cs, word, help);
		wp_free(MT_STRING, word);
		wp_free(MT_STRING, help);
		p += len + (nl ? 1 : 0);
	}
}

static int
cand_cmp(const void *x, const void *y)
{
	return strcmp(((const struct vt_cand *)x)->word,
		      ((const struct vt_cand *)y)->word);
}

void
vt_cands_sort(struct vt_cands *cs)
{
	if (cs->n > 1)
		qsort(cs->c, cs->n, sizeof(*cs->c), cand_cmp);
}

void
vt_cands_free(struct vt_cands *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		wp_free(MT_VTYSH, cs->c[i].word);
		wp_free(MT_VTYSH, cs->c[i].help);
	}
	wp_free(MT_VTYSH, cs->c);
	memset(cs, 0, sizeof(*cs));
}

char *
vt_cands_common(const struct vt_cands *cs, const char *prefix,
		size_t *nmatch)
{
	size_t plen = strlen(prefix), common = 0;
	const char *first = NULL;

	*nmatch = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const char *w = cs->c[i].word;
		size_t k;

		if (!vt_is_keyword(w) || strncmp(w, prefix, plen) != 0)
			continue;
		(*nmatch)++;
		if (first == NULL) {
			first = w;
			common = strlen(w);
			continue;
		}
		for (k = 0; k < common && w[k] == first[k]; k++)
			;
		common = k;
	}
	return first ? wp_strndup(MT_STRING, first, common) : NULL;
}

char *
vt_cands_format(const struct vt_cands *cs)
{
	struct vt_buf b = { 0 };
	int width = 4;

	for (size_t i = 0; i < cs->n; i++)
		if ((int)strlen(cs->c[i].word) > width)
			width = (int)strlen(cs->c[i].word);
	for (size_t i = 0; i < cs->n; i++)
		vt_buf_printf(&b, "  %-*s  %s\n", width, cs->c[i].word,
			      cs->c[i].help);
	if (cs->cr)
		vt_buf_printf(&b, "  %-*s\n", width, "<cr>");
	if (b.len == 0)
		vt_buf_puts(&b, "% There is no matched command.\n");
	return vt_buf_take(&b);
}

/* Optimal string alignment distance, for short words. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[33][33];

	if (la > 32 || lb > 32)
		return 99;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v;

			v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *
vt_cands_suggest(const struct vt_cands *cs, const char *word)
{
	size_t best = 99, len = strlen(word), limit;
	const char *pick = NULL;

	limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (size_t i = 0; i < cs->n; i++) {
		size_t dist;

		if (!vt_is_keyword(cs->c[i].word))
			continue;
		dist = edit_distance(word, cs->c[i].word);
		if (dist <= limit && dist < best) {
			best = dist;
			pick = cs->c[i].word;
		}
	}
	return pick;
}

/* --- data paths ---------------------------------------------------------- */

char *
vt_xpath_parent(const char *xpath)
{
	const char *last = NULL;
	char quote = 0;
	int depth = 0;

	for (const char *p = xpath; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '[') {
			depth++;
		} else if (*p == ']') {
			depth--;
		} else if (*p == '/' && depth == 0) {
			last = p;
		}
	}
	if (last == NULL || last == xpath)
		return NULL;
	return wp_strndup(MT_STRING, xpath, (size_t)(last - xpath));
}

/* --- uptimes ------------------------------------------------------------- */

void
vt_uptime_fmt(unsigned long long secs, char *buf, size_t len)
{
	unsigned long long d = secs / 86400, h = secs / 3600 % 24,
			   m = secs / 60 % 60, s = secs % 60;

	if (d == 0)
		snprintf(buf, len, "%02llu:%02llu:%02llu", h, m, s);
	else if (d < 7)
		snprintf(buf, len, "%llud%02lluh%02llum", d, h, m);
	else
		snprintf(buf, len, "%lluw%llud%02lluh", d / 7, d % 7, h);
}
