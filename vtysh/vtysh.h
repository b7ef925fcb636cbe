/*
 * vtysh: the Waypoint shell.
 *
 * vtysh owns nothing but the session with a person (or a script).  Show
 * and clear commands go to the daemons' vty sockets (<rundir>/<name>.vty),
 * configuration goes to mgmtd through a wp_mgmt_session as YANG edits
 * that the CLI engine (lib/wp_cli) makes from the typed lines, and
 * `show running-config` is rendered here from mgmtd's running tree.
 *
 *	vtysh_main.c	options, -c/-f/-b, the read-eval loop
 *	vtysh_line.c	pure text work: words, pipes, filters, line diffs,
 *			prompts, candidate lists (unit-tested)
 *	vtysh_dispatch.c exec commands as the union of several command
 *			trees: abbreviation, completion, routing a line to
 *			the trees that know it (unit-tested)
 *	vtysh_exec.c	exec mode: vtysh's own commands, the daemons
 *	vtysh_config.c	configuration modes: lines, edits, commit
 *			models, vtysh's own configuration commands
 *	vtysh_mgmt.c	the session with mgmtd, show running-config,
 *			write memory, -f, -b
 *	vtysh_term.c	line editing (libedit or readline), `?`, TAB,
 *			history, the pager
 *
 * doc/cli.md describes the shell for its users.
 */
#ifndef VTYSH_H
#define VTYSH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "wp_cli.h"
#include "wp_mem.h"

struct ly_ctx;
struct wp_loop;
struct wp_mgmt_session;
struct wp_vty;
struct wp_vty_client;

WP_MEMTYPE_DECLARE(MT_VTYSH);

/* Exit statuses. */
#define VT_EXIT_OK	0
#define VT_EXIT_FAIL	1	/* a command failed */
#define VT_EXIT_USAGE	2	/* bad command line */
#define VT_EXIT_LEAKS	3	/* WP_LEAK_CHECK=1 and memory left */

/* Status of one line: wp_vty's numbers (0 ok, 1 warning, 2-4 errors). */
#define VT_OK		0

/* --- vtysh_line.c -------------------------------------------------------- */

/* A growing string. */
struct vt_buf {
	char *data;			/* NUL-terminated once anything is in */
	size_t len;
	size_t cap;
};

void vt_buf_puts(struct vt_buf *b, const char *s);
void vt_buf_putn(struct vt_buf *b, const char *s, size_t n);
void vt_buf_printf(struct vt_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The string (MT_STRING, "" when empty); the buffer is empty again. */
char *vt_buf_take(struct vt_buf *b);
void vt_buf_free(struct vt_buf *b);

/* A line cut into blank-separated words. */
struct vt_words {
	size_t n;
	char **w;
	size_t *off;			/* where each word starts in the line */
	bool trailing_blank;		/* the line ends in a blank (or is empty) */
};

void vt_words_split(const char *line, struct vt_words *ws);
void vt_words_free(struct vt_words *ws);
/* Words [from, to) joined with one blank (MT_STRING). */
char *vt_words_join(const struct vt_words *ws, size_t from, size_t to);

/*
 * Output pipes: `CMD | include REGEX`, `| exclude REGEX`, `| begin
 * REGEX`, `| count`, `| json`.  The first '|' that starts a word begins
 * the pipes.  include, exclude and begin take the rest of the line as an
 * extended regular expression (so `| include eth0|eth1` works); json and
 * count may be followed by another pipe.  Pipe words may be abbreviated.
 */
enum vt_pipe_kind {
	VT_PIPE_INCLUDE,
	VT_PIPE_EXCLUDE,
	VT_PIPE_BEGIN,
	VT_PIPE_COUNT,
	VT_PIPE_JSON,
};

#define VT_PIPES_MAX	4

struct vt_pipe {
	enum vt_pipe_kind kind;
	regex_t re;
	char *pattern;
};

struct vt_pipeline {
	char *cmd;			/* the command, blanks trimmed */
	struct vt_pipe p[VT_PIPES_MAX];
	size_t n;
	bool json;			/* `| json` was given */
};

/* 0, or -1 with *err ("% ...", MT_STRING). */
int vt_pipeline_parse(const char *line, struct vt_pipeline *pl, char **err);
void vt_pipeline_free(struct vt_pipeline *pl);
/* `text` through the pipes (MT_STRING); json does nothing here. */
char *vt_pipeline_filter(const struct vt_pipeline *pl, const char *text);

/*
 * The changes from `old` to `new`, two configurations as rendered by the
 * CLI engine: "+ line" and "- line", each under the block headers that
 * hold it ("  interface eth1"); '!' lines are left out.  "" when equal.
 */
char *vt_diff_lines(const char *old, const char *new);

/* "r1# ", "r1(config-if)# "; `mode` NULL in exec mode. */
char *vt_prompt(const char *host, const char *mode);

/* Candidates for `?` and TAB, from one or several command trees. */
struct vt_cand {
	char *word;
	char *help;
};

struct vt_cands {
	struct vt_cand *c;
	size_t n;
	size_t cap;
	bool cr;			/* the line is a command already */
};

/* Add unless present; "<cr>" sets cr. */
void vt_cands_add(struct vt_cands *cs, const char *word, const char *help);
/* Add each "word\thelp" line of a vty completion answer. */
void vt_cands_add_text(struct vt_cands *cs, const char *text);
void vt_cands_sort(struct vt_cands *cs);
void vt_cands_free(struct vt_cands *cs);
/* A keyword rather than a value placeholder (A.B.C.D, (1-255), WORD). */
bool vt_is_keyword(const char *word);
/* The longest prefix every keyword candidate starting with `prefix`
 * shares (MT_STRING); NULL when none starts with it. */
char *vt_cands_common(const struct vt_cands *cs, const char *prefix,
		      size_t *nmatch);
/* The `?` listing: "  word  help" lines, aligned (MT_STRING). */
char *vt_cands_format(const struct vt_cands *cs);
/* The candidate keyword closest to `word` (a typo), or NULL. */
const char *vt_cands_suggest(const struct vt_cands *cs, const char *word);

/* The parent of a data path ("/a:b/c[k='v']/d" -> "/a:b/c[k='v']"), or
 * NULL at the top (MT_STRING). */
char *vt_xpath_parent(const char *xpath);

/* Seconds as FRR shows uptimes: "00:05:12", "2d03h04m", "5w1d03h". */
void vt_uptime_fmt(unsigned long long secs, char *buf, size_t len);

/* --- vtysh_dispatch.c ---------------------------------------------------- */

/*
 * A command tree: vtysh's own (in-process) or a daemon's (its socket).
 * exec and complete answer as the vty wire protocol does: *status, and
 * the text (the output, or "word\thelp\n" lines), MT_STRING.  They
 * return -1 when the tree cannot be reached; it is then left out.
 */
struct vt_target {
	const char *name;
	int (*exec)(struct vt_target *t, const char *line, int *status,
		    char **out);
	int (*complete)(struct vt_target *t, const char *line, int *status,
			char **out);
	void *arg;
	bool builtin;			/* its commands shadow the others' */
};

/* A target on an in-process wp_vty. */
void vt_target_local(struct vt_target *t, const char *name,
		     struct wp_vty *vty, bool builtin);

/*
 * Spell out abbreviated keywords against the union of the trees:
 * "sh ver" -> "show version".  A keyword prefix shared by keywords of
 * different trees is ambiguous; a word no tree takes is invalid, with
 * the closest keyword suggested.  0 with *line_out, or -1 with *err
 * ("% ...") and *bad the index of the word at fault.
 */
int vt_expand(struct vt_target *t, size_t n, const char *line,
	      char **line_out, char **err, size_t *bad);

/*
 * Candidates after `line` (completing its last word when it does not end
 * in a blank), from every tree that knows the words before.  0, or -1
 * with *err.
 */
int vt_complete(struct vt_target *t, size_t n, const char *line,
		struct vt_cands *cs, char **err);

/*
 * Run an expanded line.  A builtin tree that takes it answers alone;
 * else every tree that knows it answers (`show memory` from each daemon,
 * under a "name:" header, or one JSON object keyed by name with `json`).
 * When none knows it, the most telling error.  Returns the status; *out
 * (MT_STRING) the text.
 */
int vt_dispatch(struct vt_target *t, size_t n, const char *line, bool json,
		char **out);

/* --- vtysh_main.c -------------------------------------------------------- */

enum vt_mode {
	VT_MODE_EXEC,
	VT_MODE_CONFIG,
};

enum vt_cfg_kind {
	VT_CFG_TERMINAL,		/* every line is committed at once */
	VT_CFG_PRIVATE,			/* changes wait for `commit` */
	VT_CFG_EXCLUSIVE,		/* same, and running is locked */
};

struct vt_daemon {
	char *name;			/* "ribd" */
	char *path;			/* <rundir>/ribd.vty */
	struct wp_vty_client *c;	/* NULL until used, or after a failure */
	struct vt_target t;
	bool seen;			/* found by the last scan */
};

struct vtysh {
	struct wp_loop *loop;
	char *rundir;			/* sockets: BASE[/PATHSPACE] */
	char *pathspace;		/* -N, or NULL */
	char *yang_dir;			/* --yang-path, or NULL */
	char *progname;

	/* The configuration engine, loaded when first needed. */
	struct ly_ctx *yctx;
	struct wp_cli *cli;

	/* The session with mgmtd, opened when first needed. */
	struct wp_mgmt_session *sess;

	enum vt_mode mode;
	enum vt_cfg_kind cfg_kind;
	struct wp_cli_pos pos;

	bool interactive;		/* a person at a terminal */
	bool tty_out;			/* stdout is a terminal */
	int term_length;		/* -1: the terminal's; 0: no pager */
	char hostname[256];
	bool hostname_known;		/* from the running configuration */

	/* vtysh's own commands: exec mode and configuration mode */
	struct wp_vty *exec_vty;
	struct wp_vty *config_vty;
	struct vt_target exec_target;

	struct vt_daemon **daemons;	/* sorted by name */
	size_t ndaemons;

	char *comment;			/* `commit comment TEXT`: the text */
	bool quit;			/* leave the read loop */
	size_t prompt_len;		/* for the caret under a bad word */
};

/* Print command output (through the pager on a terminal). */
void vt_out(struct vtysh *vt, const char *text);
/* Print an error line ("% ..."): stdout on a terminal, else stderr. */
void vt_err(struct vtysh *vt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Each line of `text` through vt_err(), as it is. */
void vt_err_lines(struct vtysh *vt, const char *text);
/* Run one line in the current mode; returns its status (VT_OK ...). */
int vt_line(struct vtysh *vt, const char *line);
/* The prompt for the current mode (MT_STRING). */
char *vt_prompt_current(struct vtysh *vt);

/* --- vtysh_exec.c -------------------------------------------------------- */

int vt_exec_init(struct vtysh *vt);
void vt_exec_fini(struct vtysh *vt);
/* An exec-mode line (also `do ...`), pipes included. */
int vt_exec_line(struct vtysh *vt, const char *line);
/* Completion for an exec-mode line. */
int vt_exec_complete(struct vtysh *vt, const char *line, struct vt_cands *cs,
		     char **err);
/* Find the daemons' sockets again; the targets, vtysh's first. */
size_t vt_targets(struct vtysh *vt, struct vt_target **out);

/* --- vtysh_config.c ------------------------------------------------------ */

int vt_config_init(struct vtysh *vt);
void vt_config_fini(struct vtysh *vt);
/* Enter configuration mode; -1 (printed) when it cannot. */
int vt_config_enter(struct vtysh *vt, enum vt_cfg_kind kind);
/* A configuration-mode line. */
int vt_config_line(struct vtysh *vt, const char *line);
int vt_config_complete(struct vtysh *vt, const char *line,
		       struct vt_cands *cs, char **err);
/* Leave configuration mode at the end of input; -1 if changes were lost. */
int vt_config_eof(struct vtysh *vt);
/* --- vtysh_mgmt.c -------------------------------------------------------- */

struct lyd_node;
struct wp_mgmt_commit_opts;
struct wp_mgmt_result;

/* Load the YANG modules and the CLI engine; -1 (printed) on failure. */
int vt_engine(struct vtysh *vt);
/* Open the session with mgmtd if needed; -1 (printed) on failure. */
int vt_session(struct vtysh *vt);
/* The same, saying nothing when mgmtd is not there. */
void vt_session_quiet(struct vtysh *vt);
/* Print a message from mgmtd, a "% " line per line when an error. */
void vt_mgmt_msg(struct vtysh *vt, const char *msg, bool error);
/* A request failed: say why; a lost session is closed (and a
 * transactional configuration mode left). */
void vt_sess_failed(struct vtysh *vt, struct wp_mgmt_result *res);
/* mgmtd stopped answering a session that holds nothing to lose (not a
 * private candidate): close it quietly, so that the caller can open a
 * new one and try again (mgmtd restarted).  False otherwise. */
bool vt_sess_stale(struct vtysh *vt, const struct wp_mgmt_result *res);
void vt_mgmt_warnings(struct vtysh *vt, const struct wp_mgmt_result *res);
/* Running (WP_MGMT_GET_RUNNING) or the private candidate as a tree. */
int vt_get_tree(struct vtysh *vt, int what, struct lyd_node **tree);
/* Commit the private candidate (`opts` NULL: plain); a refused one is
 * discarded when `drop`; mgmtd's message is printed when `verbose`. */
int vt_commit(struct vtysh *vt, const struct wp_mgmt_commit_opts *opts,
	      bool drop, bool verbose);
/* The running configuration as text; `daemon` NULL for all (MT_STRING),
 * NULL (printed) on failure. */
char *vt_running_text(struct vtysh *vt, const char *daemon, bool json);
/* Refresh the host name from the running configuration. */
void vt_hostname_refresh(struct vtysh *vt);
/* write memory */
int vt_write_memory(struct vtysh *vt, struct vt_buf *out);
/* rollback N: commit history entry N */
int vt_rollback(struct vtysh *vt, unsigned int index, struct vt_buf *out);
/* -f FILE: the whole file as one commit on top of running. */
int vt_apply_file(struct vtysh *vt, const char *path);
/* -b: the saved configuration replaces running. */
int vt_boot(struct vtysh *vt);

/* --- vtysh_term.c -------------------------------------------------------- */

/* The interactive loop with line editing; returns the exit status. */
int vt_term_run(struct vtysh *vt);
/* Show `text` page by page if it is longer than the terminal. */
void vt_page(struct vtysh *vt, const char *text);
/* Ask a question on the terminal: 'y', 'n', 0 for anything else, -1
 * when the terminal is gone. */
int vt_ask(struct vtysh *vt, const char *question);
/* "libedit" or "readline" */
const char *vt_term_editor(void);

#endif /* VTYSH_H */
