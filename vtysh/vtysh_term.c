/*
 * vtysh_term.c: the terminal.  Line editing and history come from libedit
 * (histedit.h) or, where it is missing, GNU readline; both get the same
 * two key bindings:
 *
 *	?	list what may come next, with help, and give the line back
 *		unchanged (the '?' is not inserted)
 *	TAB	complete the word under the cursor as far as it is unique;
 *		when it is not, list the candidates as '?' does
 *
 * Candidates come from the engine in configuration modes and from the
 * union of the daemons' command trees in exec mode (vtysh_exec.c).
 * History is kept in ~/.history_waypoint (per pathspace:
 * ~/.history_waypoint-NAME; $VTYSH_HISTFILE overrides, empty turns it
 * off).  Ctrl-C drops the line being typed, Ctrl-D leaves configuration
 * mode (like `end`) or the shell.
 *
 * Long output goes through a pager when stdout is a terminal:
 * $VTYSH_PAGER, else `less -FRX`, else a small built-in one; `terminal
 * length 0` turns it off.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#if defined(HAVE_LIBEDIT)
#include <histedit.h>
#elif defined(HAVE_READLINE)
#include <readline/history.h>
#include <readline/readline.h>
#endif

#include "vtysh.h"

#define HISTORY_SIZE	1000

static volatile sig_atomic_t interrupted;

static void
on_sigint(int sig)
{
	interrupted = 1;
}

const char *
vt_term_editor(void)
{
#if defined(HAVE_LIBEDIT)
	return "libedit";
#elif defined(HAVE_READLINE)
	return "readline";
#else
	return "none";
#endif
}

/* --- output -------------------------------------------------------------- */

static int
term_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 2)
		return ws.ws_row;
	return 24;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Is `prog` an executable on $PATH? */
static bool
in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t len = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, prog);
		if (access(buf, X_OK) == 0)
			return true;
		path += len + (path[len] == ':');
	}
	return false;
}

/* One key, unbuffered and unechoed. */
static int
read_key(void)
{
	struct termios old, raw;
	unsigned char c = 'q';

	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return 'q';
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	if (read(STDIN_FILENO, &c, 1) != 1)
		c = 'q';
	tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return c;
}

/* A pager of our own: a page, then --More-- (space, return, q). */
static void
page_builtin(const char *text, int rows)
{
	const char *p = text;
	int left = rows - 1;

	interrupted = 0;
	while (*p && !interrupted) {
		size_t len = strcspn(p, "\n");
		int key;

		fwrite(p, 1, len + (p[len] == '\n'), stdout);
		p += len + (p[len] == '\n');
		if (--left > 0 || *p == '\0')
			continue;
		fputs("--More--", stdout);
		fflush(stdout);
		key = read_key();
		fputs("\r        \r", stdout);
		if (key == 'q' || key == 'Q' || key == 3)
			break;
		left = (key == '\n' || key == '\r') ? 1 : rows - 1;
	}
	fflush(stdout);
}

void
vt_page(struct vtysh *vt, const char *text)
{
	int rows = vt->term_length > 0 ? vt->term_length : term_rows();
	const char *pager = getenv("VTYSH_PAGER");
	FILE *f;

	if ((int)count_lines(text) < rows) {
		fputs(text, stdout);
		fflush(stdout);
		return;
	}
	if (pager && *pager == '\0') {
		fputs(text, stdout);
		return;
	}
	if (pager == NULL && in_path("less"))
		pager = "less -FRX";
	fflush(stdout);
	if (pager == NULL || (f = popen(pager, "w")) == NULL) {
		page_builtin(text, rows);
		return;
	}
	fputs(text, f);
	pclose(f);
}

int
vt_ask(struct vtysh *vt, const char *question)
{
	char c, first = 0;
	ssize_t n;

	fputs(question, stdout);
	fflush(stdout);
	/* read(2), not stdio: what is typed after belongs to the editor. */
	while ((n = read(STDIN_FILENO, &c, 1)) == 1 && c != '\n')
		if (first == 0 && c != ' ' && c != '\t')
			first = c;
	if (n != 1) {
		fputs("\n", stdout);
		return -1;
	}
	if (first == 'y' || first == 'Y')
		return 'y';
	if (first == 'n' || first == 'N')
		return 'n';
	return 0;
}

/* --- candidates ---------------------------------------------------------- */

static int
candidates(struct vtysh *vt, const char *line, struct vt_cands *cs,
	   char **err)
{
	if (vt->mode == VT_MODE_CONFIG)
		return vt_config_complete(vt, line, cs, err);
	return vt_exec_complete(vt, line, cs, err);
}

/* `?`: the listing for the text before the cursor. */
static void
help_print(struct vtysh *vt, const char *line)
{
	struct vt_cands cs = { 0 };
	char *err = NULL, *text;

	fputs("\n", stdout);
	if (candidates(vt, line, &cs, &err) == -1) {
		fputs(err ? err : "% There is no matched command.", stdout);
		if (err == NULL || err[strlen(err) - 1] != '\n')
			fputs("\n", stdout);
	} else {
		text = vt_cands_format(&cs);
		fputs(text, stdout);
		wp_free(MT_STRING, text);
	}
	wp_free(MT_STRING, err);
	vt_cands_free(&cs);
	fflush(stdout);
}

/*
 * TAB: what to insert at the cursor (MT_STRING), or NULL after listing
 * the candidates.
 */
static char *
tab_complete(struct vtysh *vt, const char *line)
{
	struct vt_cands cs = { 0 };
	struct vt_words ws;
	char *err = NULL, *common, *ins = NULL;
	const char *prefix;
	size_t nk;

	vt_words_split(line, &ws);
	prefix = ws.trailing_blank ? "" : ws.w[ws.n - 1];
	if (candidates(vt, line, &cs, &err) == 0) {
		common = vt_cands_common(&cs, prefix, &nk);
		if (common && nk == 1 && (*prefix || (cs.n == 1 && !cs.cr))) {
			struct vt_buf b = { 0 };

			vt_buf_printf(&b, "%s ", common + strlen(prefix));
			ins = vt_buf_take(&b);
		} else if (common && strlen(common) > strlen(prefix)) {
			ins = wp_strdup(MT_STRING, common + strlen(prefix));
		}
		wp_free(MT_STRING, common);
	}
	wp_free(MT_STRING, err);
	vt_cands_free(&cs);
	vt_words_free(&ws);
	if (ins == NULL)
		help_print(vt, line);
	return ins;
}

static char *
history_path(struct vtysh *vt)
{
	const char *env = getenv("VTYSH_HISTFILE"), *home = getenv("HOME");
	struct vt_buf b = { 0 };

	if (env)
		return *env ? wp_strdup(MT_STRING, env) : NULL;
	if (home == NULL || *home == '\0')
		return NULL;
	vt_buf_printf(&b, "%s/.history_waypoint%s%s", home,
		      vt->pathspace ? "-" : "",
		      vt->pathspace ? vt->pathspace : "");
	return vt_buf_take(&b);
}

static bool
blank(const char *s)
{
	return s[strspn(s, " \t\r\n")] == '\0';
}

/* Ctrl-D: `end` in configuration mode, leave in exec mode. */
static void
on_eof(struct vtysh *vt)
{
	fputs("\n", stdout);
	if (vt->mode == VT_MODE_CONFIG)
		vt_config_eof(vt);
	else
		vt->quit = true;
}

static void
sigint_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: reads stop */
}

#if defined(HAVE_LIBEDIT)

static char *el_prompt_text;

static char *
el_prompt(EditLine *el)
{
	return el_prompt_text ? el_prompt_text : (char *)(uintptr_t)"# ";
}

static char *
el_before_cursor(EditLine *el)
{
	const LineInfo *li = el_line(el);

	return wp_strndup(MT_STRING, li->buffer,
			  (size_t)(li->cursor - li->buffer));
}

static unsigned char
el_help(EditLine *el, int ch)
{
	struct vtysh *vt;
	char *line = el_before_cursor(el);

	el_get(el, EL_CLIENTDATA, &vt);
	help_print(vt, line);
	wp_free(MT_STRING, line);
	return CC_REDISPLAY;
}

static unsigned char
el_tab(EditLine *el, int ch)
{
	struct vtysh *vt;
	char *line = el_before_cursor(el), *ins;

	el_get(el, EL_CLIENTDATA, &vt);
	ins = tab_complete(vt, line);
	wp_free(MT_STRING, line);
	if (ins == NULL)
		return CC_REDISPLAY;
	el_insertstr(el, ins);
	wp_free(MT_STRING, ins);
	return CC_REFRESH;
}

int
vt_term_run(struct vtysh *vt)
{
	EditLine *el;
	History *hist;
	HistEvent ev;
	char *hpath = history_path(vt);

	el = el_init(vt->progname, stdin, stdout, stderr);
	hist = history_init();
	history(hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(hist, &ev, H_SETUNIQUE, 1);
	if (hpath)
		history(hist, &ev, H_LOAD, hpath);
	el_set(el, EL_CLIENTDATA, vt);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_PROMPT, el_prompt);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_SIGNAL, 1);
	el_set(el, EL_ADDFN, "wp-help", "List what may come next", el_help);
	el_set(el, EL_ADDFN, "wp-complete", "Complete the word", el_tab);
	el_set(el, EL_BIND, "?", "wp-help", NULL);
	el_set(el, EL_BIND, "^I", "wp-complete", NULL);
	el_source(el, NULL);		/* ~/.editrc */
	sigint_catch();

	while (!vt->quit) {
		const char *l;
		char *line;
		int count = 0;

		wp_free(MT_STRING, el_prompt_text);
		el_prompt_text = vt_prompt_current(vt);
		vt->prompt_len = strlen(el_prompt_text);
		interrupted = 0;
		l = el_gets(el, &count);
		if (l == NULL || count <= 0) {
			if (interrupted || (count == -1 && errno == EINTR)) {
				fputs("\n", stdout);
				el_reset(el);
				continue;
			}
			on_eof(vt);
			continue;
		}
		line = wp_strdup(MT_STRING, l);
		line[strcspn(line, "\r\n")] = '\0';
		if (!blank(line)) {
			history(hist, &ev, H_ENTER, line);
			vt_line(vt, line);
		}
		wp_free(MT_STRING, line);
	}
	if (hpath)
		history(hist, &ev, H_SAVE, hpath);
	wp_free(MT_STRING, hpath);
	wp_free(MT_STRING, el_prompt_text);
	el_prompt_text = NULL;
	history_end(hist);
	el_end(el);
	return VT_EXIT_OK;
}

#elif defined(HAVE_READLINE)

static struct vtysh *rl_vt;

/*
 * Ctrl-C while a line is read is a key, not a signal: readline restarts
 * its read after a signal, so the terminal's ISIG is turned off while it
 * reads and ^C is bound to dropping the line.
 */
static void
rl_prep(int meta)
{
	struct termios t;

	rl_prep_terminal(meta);
	if (tcgetattr(fileno(rl_instream), &t) == 0) {
		t.c_lflag &= ~(tcflag_t)ISIG;
		tcsetattr(fileno(rl_instream), TCSADRAIN, &t);
	}
}

static int
rl_drop_line(int count, int key)
{
	rl_replace_line("", 0);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
	return 0;
}

static char *
rl_before_cursor(void)
{
	return wp_strndup(MT_STRING, rl_line_buffer, (size_t)rl_point);
}

static int
rl_help(int count, int key)
{
	char *line = rl_before_cursor();

	help_print(rl_vt, line);
	wp_free(MT_STRING, line);
	rl_on_new_line();
	return 0;
}

static int
rl_tab(int count, int key)
{
	char *line = rl_before_cursor(), *ins = tab_complete(rl_vt, line);

	wp_free(MT_STRING, line);
	if (ins == NULL) {
		rl_on_new_line();
		return 0;
	}
	rl_insert_text(ins);
	wp_free(MT_STRING, ins);
	return 0;
}

int
vt_term_run(struct vtysh *vt)
{
	char *hpath = history_path(vt);

	rl_vt = vt;
	rl_readline_name = "vtysh";
	rl_bind_key('?', rl_help);
	rl_bind_key('\t', rl_tab);
	stifle_history(HISTORY_SIZE);
	if (hpath)
		read_history(hpath);
	rl_bind_key(3, rl_drop_line);
	rl_prep_term_function = rl_prep;
	rl_catch_signals = 0;
	sigint_catch();

	while (!vt->quit) {
		char *prompt = vt_prompt_current(vt), *line;

		vt->prompt_len = strlen(prompt);
		interrupted = 0;
		line = readline(prompt);
		wp_free(MT_STRING, prompt);
		if (line == NULL) {
			on_eof(vt);
			continue;
		}
		if (!blank(line)) {
			add_history(line);
			vt_line(vt, line);
		}
		free(line);
	}
	if (hpath)
		write_history(hpath);
	wp_free(MT_STRING, hpath);
	return VT_EXIT_OK;
}

#else

int
vt_term_run(struct vtysh *vt)
{
	fprintf(stderr, "%s: built without line editing\n", vt->progname);
	return VT_EXIT_FAIL;
}

#endif
