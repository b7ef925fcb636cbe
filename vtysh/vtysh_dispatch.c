/*
 * vtysh_dispatch.c: exec-mode commands are the union of several command
 * trees, vtysh's own and each daemon's (what it answers on its vty
 * socket).  No tree knows the others, so three things happen here:
 *
 *  - abbreviations are spelled out against the union (vt_expand): "sh
 *    m" is ambiguous when one daemon has `show memory` and another `show
 *    mgmt`, even though each alone would take it;
 *  - `?` and TAB list the union of the trees' candidates (vt_complete);
 *  - a line goes to every tree that knows it (vt_dispatch): vtysh's own
 *    commands shadow the daemons', several daemons answering `show
 *    memory` are shown one after the other.
 *
 * A tree is a struct vt_target: two functions speaking the vty wire
 * protocol's language (a status and a text).  vtysh_exec.c makes them
 * from sockets; the unit tests from in-process wp_vty tables.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "vtysh.h"
#include "wp_vty.h"

/* --- in-process trees ---------------------------------------------------- */

static int
local_exec(struct vt_target *t, const char *line, int *status, char **out)
{
	*status = wp_vty_exec(t->arg, line, out);
	return 0;
}

static void
local_cand(const char *word, const char *help, void *arg)
{
	vt_buf_printf(arg, "%s\t%s\n", word, help);
}

static int
local_complete(struct vt_target *t, const char *line, int *status,
	       char **out)
{
	struct vt_buf b = { 0 };
	char *err = NULL;

	*status = wp_vty_complete(t->arg, line, local_cand, &b, &err);
	if (*status != WP_VTY_OK) {
		vt_buf_free(&b);
		*out = err ? err : wp_strdup(MT_STRING, "");
		return 0;
	}
	wp_free(MT_STRING, err);
	*out = vt_buf_take(&b);
	return 0;
}

void
vt_target_local(struct vt_target *t, const char *name, struct wp_vty *vty,
		bool builtin)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->exec = local_exec;
	t->complete = local_complete;
	t->arg = vty;
	t->builtin = builtin;
}

/* --- abbreviations ------------------------------------------------------- */

/* What one tree offers for a word. */
struct offer {
	struct vt_cands cs;
	bool ok;			/* the tree knows the words before */
	bool exact;			/* the word is one of its keywords */
	bool value;			/* a placeholder may take the word */
};

static void
offers_free(struct offer *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vt_cands_free(&o[i].cs);
	wp_free(MT_VTYSH, o);
}

static void
ask(struct vt_target *t, const char *query, struct offer *o)
{
	int status;
	char *text = NULL;

	memset(o, 0, sizeof(*o));
	if (t->complete(t, query, &status, &text) == -1)
		return;
	if (status == WP_VTY_OK) {
		o->ok = true;
		vt_cands_add_text(&o->cs, text);
	}
	wp_free(MT_STRING, text);
}

static char *
query_of(const char *done, const char *word, bool blank)
{
	struct vt_buf b = { 0 };

	vt_buf_puts(&b, done);
	if (done[0] && word[0])
		vt_buf_puts(&b, " ");
	vt_buf_puts(&b, word);
	if (blank && done[0])
		vt_buf_puts(&b, " ");
	return vt_buf_take(&b);
}

/* "% Invalid input at 'w'", with the closest keyword of the trees alive. */
static char *
invalid_word(struct vt_target *t, size_t n, const bool *alive,
	     const char *done, const char *word)
{
	struct vt_cands all = { 0 };
	struct vt_buf b = { 0 };
	char *q = query_of(done, "", true);
	const char *hint;

	for (size_t k = 0; k < n; k++) {
		struct offer o;

		if (!alive[k])
			continue;
		ask(&t[k], q, &o);
		for (size_t i = 0; i < o.cs.n; i++)
			vt_cands_add(&all, o.cs.c[i].word, o.cs.c[i].help);
		vt_cands_free(&o.cs);
	}
	hint = vt_cands_suggest(&all, word);
	vt_buf_printf(&b, "%% Invalid input at '%s'", word);
	if (hint)
		vt_buf_printf(&b, ": did you mean '%s'?", hint);
	vt_cands_free(&all);
	wp_free(MT_STRING, q);
	return vt_buf_take(&b);
}

int
vt_expand(struct vt_target *t, size_t n, const char *line, char **line_out,
	  char **err, size_t *bad)
{
	struct vt_words ws;
	struct vt_buf done = { 0 };
	bool *alive = wp_calloc(MT_VTYSH, (n + 1) * sizeof(*alive));
	int rc = 0;

	*line_out = NULL;
	*err = NULL;
	*bad = 0;
	vt_words_split(line, &ws);
	for (size_t k = 0; k < n; k++)
		alive[k] = true;
	vt_buf_puts(&done, "");
	for (size_t i = 0; i < ws.n && rc == 0; i++) {
		const char *w = ws.w[i], *chosen = NULL;
		struct offer *o = wp_calloc(MT_VTYSH, (n + 1) * sizeof(*o));
		struct vt_cands kw = { 0 };
		bool exact = false, value = false;
		char *q = query_of(done.data, w, false);

		for (size_t k = 0; k < n; k++) {
			if (!alive[k])
				continue;
			ask(&t[k], q, &o[k]);
			for (size_t j = 0; j < o[k].cs.n; j++) {
				const char *c = o[k].cs.c[j].word;

				if (!vt_is_keyword(c)) {
					o[k].value = true;
				} else if (strncmp(c, w, strlen(w)) == 0) {
					vt_cands_add(&kw, c, "");
					o[k].exact |= strcmp(c, w) == 0;
				}
			}
			exact |= o[k].exact;
			value |= o[k].value;
		}
		if (exact) {
			chosen = w;
		} else if (kw.n == 1) {
			chosen = kw.c[0].word;
		} else if (kw.n > 1 && !value) {
			struct vt_buf b = { 0 };

			vt_cands_sort(&kw);
			vt_buf_printf(&b, "%% Ambiguous command: '%s' may be ",
				      w);
			for (size_t j = 0; j < kw.n; j++)
				vt_buf_printf(&b, "%s%s", j ? ", " : "",
					      kw.c[j].word);
			*err = vt_buf_take(&b);
		} else if (value) {
			chosen = w;
		} else {
			*err = invalid_word(t, n, alive, done.data, w);
		}
		if (chosen) {
			bool is_kw = chosen != w || exact;

			/* Keep the trees that took the word as we read it. */
			for (size_t k = 0; k < n; k++) {
				bool has = false;

				if (!alive[k])
					continue;
				for (size_t j = 0; j < o[k].cs.n && !has; j++)
					has = strcmp(o[k].cs.c[j].word,
						     chosen) == 0;
				alive[k] = o[k].ok &&
					   (has || (o[k].value &&
						    (!is_kw || exact)));
			}
			if (done.len)
				vt_buf_puts(&done, " ");
			vt_buf_puts(&done, chosen);
		} else {
			*bad = i;
			rc = -1;
		}
		vt_cands_free(&kw);
		offers_free(o, n);
		wp_free(MT_STRING, q);
	}
	vt_words_free(&ws);
	wp_free(MT_VTYSH, alive);
	if (rc == 0)
		*line_out = vt_buf_take(&done);
	else
		vt_buf_free(&done);
	return rc;
}

/* --- completion ---------------------------------------------------------- */

int
vt_complete(struct vt_target *t, size_t n, const char *line,
	    struct vt_cands *cs, char **err)
{
	struct vt_words ws;
	char *head, *exp = NULL, *q;
	const char *partial;
	size_t nhead, bad;
	bool any = false;
	char *first_err = NULL;

	*err = NULL;
	vt_words_split(line, &ws);
	nhead = ws.trailing_blank ? ws.n : ws.n - 1;
	partial = ws.trailing_blank ? "" : ws.w[ws.n - 1];
	head = vt_words_join(&ws, 0, nhead);
	if (vt_expand(t, n, head, &exp, err, &bad) == -1) {
		wp_free(MT_STRING, head);
		vt_words_free(&ws);
		return -1;
	}
	q = query_of(exp, partial, ws.trailing_blank);
	for (size_t k = 0; k < n; k++) {
		int status;
		char *text = NULL;

		if (t[k].complete(&t[k], q, &status, &text) == -1)
			continue;
		if (status == WP_VTY_OK) {
			vt_cands_add_text(cs, text);
			any = true;
		} else if (first_err == NULL) {
			first_err = text;
			text = NULL;
		}
		wp_free(MT_STRING, text);
	}
	vt_cands_sort(cs);
	wp_free(MT_STRING, q);
	wp_free(MT_STRING, exp);
	wp_free(MT_STRING, head);
	vt_words_free(&ws);
	if (!any) {
		*err = first_err ? first_err :
		       wp_strdup(MT_STRING, "% No command matches");
		return -1;
	}
	wp_free(MT_STRING, first_err);
	return 0;
}

/* --- running a line ------------------------------------------------------ */

/* How much an error says about the line: the one that got furthest wins. */
static int
err_rank(int status, const char *msg)
{
	const char *at;

	if (status == WP_VTY_ERR_INCOMPLETE)
		return 3000;
	if (strstr(msg, "Invalid value") || strstr(msg, "too long"))
		return 2000;
	if ((at = strstr(msg, "(at word ")) != NULL)
		return 1000 + atoi(at + 9);
	return 0;
}

static bool
knows(int status)
{
	return status != WP_VTY_ERR_NO_MATCH &&
	       status != WP_VTY_ERR_INCOMPLETE;
}

struct answer {
	const char *name;
	int status;
	char *out;
};

static char *
combine(struct answer *a, size_t na, bool json)
{
	struct vt_buf b = { 0 };

	if (na == 1)
		return wp_strdup(MT_STRING, a[0].out);
	if (json) {
		json_object *top = json_object_new_object();

		for (size_t i = 0; i < na; i++) {
			json_object *o = json_tokener_parse(a[i].out);

			json_object_object_add(top, a[i].name, o ? o :
					       json_object_new_string(a[i].out));
		}
		vt_buf_puts(&b, json_object_to_json_string_ext(top,
			    JSON_C_TO_STRING_PRETTY |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
		vt_buf_puts(&b, "\n");
		json_object_put(top);
		return vt_buf_take(&b);
	}
	for (size_t i = 0; i < na; i++) {
		size_t len = strlen(a[i].out);

		vt_buf_printf(&b, "%s%s:\n%s", i ? "\n" : "", a[i].name,
			      a[i].out);
		if (len > 0 && a[i].out[len - 1] != '\n')
			vt_buf_puts(&b, "\n");
	}
	return vt_buf_take(&b);
}

int
vt_dispatch(struct vt_target *t, size_t n, const char *line, bool json,
	    char **out)
{
	struct answer *a = wp_calloc(MT_VTYSH, (n + 1) * sizeof(*a));
	size_t na = 0;
	int best_rank = -1, status = WP_VTY_ERR_NO_MATCH;
	char *best = NULL;

	*out = NULL;
	for (int pass = 0; pass < 2 && na == 0; pass++) {
		for (size_t k = 0; k < n; k++) {
			int st, rank;
			char *text = NULL;

			if ((pass == 0) != t[k].builtin)
				continue;
			if (t[k].exec(&t[k], line, &st, &text) == -1)
				continue;
			if (knows(st)) {
				a[na].name = t[k].name;
				a[na].status = st;
				a[na++].out = text;
				continue;
			}
			rank = err_rank(st, text);
			if (rank > best_rank) {
				wp_free(MT_STRING, best);
				best = text;
				best_rank = rank;
				status = st;
			} else {
				wp_free(MT_STRING, text);
			}
		}
	}
	if (na > 0) {
		status = WP_VTY_OK;
		for (size_t i = 0; i < na; i++)
			if (a[i].status > status)
				status = a[i].status;
		*out = combine(a, na, json);
		wp_free(MT_STRING, best);
	} else {
		*out = best ? best : wp_strdup(MT_STRING,
			"% Unknown command: no daemon answers it\n");
	}
	for (size_t i = 0; i < na; i++)
		wp_free(MT_STRING, a[i].out);
	wp_free(MT_VTYSH, a);
	return status;
}
