/*
 * wp_vty: the show-command socket of every daemon, and its client.
 *
 * Commands are data: a template, one help line per template token, and a
 * handler.  The template grammar (doc/developer/vty.md has the full text):
 *
 *	show			keyword; typed as any unique prefix ("sh")
 *	WORD  NAME  IFNAME	upper-case: any single word
 *	A.B.C.D  A.B.C.D/M	IPv4 address, IPv4 prefix
 *	X:X::X:X  X:X::X:X/M	IPv6 address, IPv6 prefix
 *	(1-65535)		unsigned integer in a range
 *	(ipv4|ipv6)		one of the alternatives
 *	[json]  [vrf NAME]	optional words; [a|b] optional choice
 *
 *	wp_vty_install(vty, "show memory [json]",
 *		       WP_SHOW_STR "Memory statistics\n" WP_JSON_STR,
 *		       show_memory);
 *
 * A handler writes with wp_vty_out() or hands a json_object to
 * wp_vty_json(), and returns a status below.  argv holds every word of the
 * line as matched, keywords spelled out in full ("sh mem" gives "show",
 * "memory"); wp_vty_arg() finds the word that matched a template token.
 *
 * Wire protocol on <rundir>/<daemon>.vty (SOCK_STREAM): the client sends
 * one line ending in '\n', at most WP_VTY_LINE_MAX bytes with the '\n'; a
 * line starting with WP_VTY_COMPLETE_CHAR asks for the words that may
 * follow the rest of the line instead of running it.  For each line the
 * server answers one frame:
 *
 *	+--------------------+--------+------------------+
 *	| length (4, BE u32) | status | text (length B)  |
 *	+--------------------+--------+------------------+
 *
 * Lines are answered in order; a client may keep the connection for many
 * commands.  Completion text is one "word\thelp\n" line per candidate, and
 * "<cr>\t...\n" when the line is a complete command already.
 */
#ifndef WP_VTY_H
#define WP_VTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "wp_json.h"

struct wp_loop;
struct wp_vty;
struct wp_vty_cmd_ctx;
struct wp_vty_client;

#define WP_VTY_LINE_MAX		4096	/* request line, '\n' included */
#define WP_VTY_HDR_LEN		5	/* length (4) + status (1) */
#define WP_VTY_COMPLETE_CHAR	'?'
#define WP_VTY_MAX_WORDS	64

/* Frame status; also the exit code of tools/wpvty. */
enum wp_vty_status {
	WP_VTY_OK = 0,
	WP_VTY_WARNING = 1,		/* understood, refused or partly done */
	WP_VTY_ERR_NO_MATCH = 2,	/* unknown command or invalid value */
	WP_VTY_ERR_INCOMPLETE = 3,	/* incomplete or ambiguous */
	WP_VTY_ERR_FAILED = 4,		/* the handler failed */
};

/*
 * Not a frame status: returned by a step (wp_vty_continue()) that has
 * more to do.
 */
#define WP_VTY_MORE		100

/* Help lines shared by many commands. */
#define WP_SHOW_STR	"Show running system information\n"
#define WP_CLEAR_STR	"Reset functions\n"
#define WP_DEBUG_STR	"Debugging functions\n"
#define WP_NO_STR	"Negate a command or set its defaults\n"
#define WP_JSON_STR	"JavaScript Object Notation\n"

/*
 * Returns a wp_vty_status; a negative value counts as WP_VTY_ERR_FAILED.
 * `json` is true when the keyword "json" was given.
 */
typedef int (*wp_vty_handler)(struct wp_vty_cmd_ctx *ctx, int argc,
			      const char *argv[], bool json);

/* --- command table (wp_vty_cmd.c) ------------------------------------ */

/* `name` is the daemon name shown by `show version`. */
struct wp_vty *wp_vty_new(struct wp_loop *loop, const char *name);
/* Stops the server (wp_vty_close()) and frees every command. */
void wp_vty_free(struct wp_vty *vty);
struct wp_loop *wp_vty_loop(const struct wp_vty *vty);
const char *wp_vty_name(const struct wp_vty *vty);

/*
 * Add a command.  `help` holds one '\n'-terminated line per template token
 * in order of appearance (each alternative counts).  Returns -1 with errno
 * EINVAL for a malformed template or a wrong help count, EEXIST if a form
 * of the command is already installed.
 */
int wp_vty_install(struct wp_vty *vty, const char *tmpl, const char *help,
		   wp_vty_handler fn);
/* Same, with an argument the handler gets from wp_vty_ctx_arg(). */
int wp_vty_install_arg(struct wp_vty *vty, const char *tmpl,
		       const char *help, wp_vty_handler fn, void *arg);

/*
 * Run one line in-process; *out (may be NULL) receives the output as a
 * string to release with wp_free(MT_STRING, ...).  Returns the status.
 */
int wp_vty_exec(struct wp_vty *vty, const char *line, char **out);

/*
 * Candidates for the word after `line` (or completing its last word when
 * `line` does not end in a blank): fn(word, help) for each, "<cr>" when
 * the line is already a command.  Returns WP_VTY_OK, or the error status
 * of the words before the one being completed (then *err, if not NULL,
 * receives the message as with wp_vty_exec()).
 */
int wp_vty_complete(struct wp_vty *vty, const char *line,
		    void (*fn)(const char *word, const char *help, void *arg),
		    void *arg, char **err);

/* --- handler side ---------------------------------------------------- */
void wp_vty_out(struct wp_vty_cmd_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a string as is. */
void wp_vty_puts(struct wp_vty_cmd_ctx *ctx, const char *s);
/* Print `obj` as pretty JSON plus a newline, then release it. */
void wp_vty_json(struct wp_vty_cmd_ctx *ctx, json_object *obj);
/*
 * The usual show-command ending: print `top` as JSON if `json`, else
 * `rows` (an array inside `top`) as a table of `cols`; releases `top`.
 */
void wp_vty_show(struct wp_vty_cmd_ctx *ctx, json_object *top,
		 json_object *rows, const struct wp_table_col *cols,
		 size_t ncols, bool json);
/*
 * Long output in steps, so that the daemon keeps its timers and packets
 * going while it answers (a thousand BFD sessions in detail are ~100 ms
 * of work, longer than some Detection Times).  A handler that would run
 * long does the quick part, hands the rest to wp_vty_continue() and
 * returns WP_VTY_OK.  `step` is then called once per loop iteration,
 * after that iteration's other callbacks, with a context that writes to
 * the same answer (the words of the line are gone by then: keep what is
 * needed in `state`); it returns WP_VTY_MORE while there is more to do,
 * else the command's status.  `done` (may be NULL) releases `state`
 * after the last step, or when the client goes away first.  The client
 * gets the whole answer in one frame, as ever; in-process runs
 * (wp_vty_exec()) call the steps back to back.  At most one per command.
 */
typedef int (*wp_vty_step)(struct wp_vty_cmd_ctx *ctx, void *state);
void wp_vty_continue(struct wp_vty_cmd_ctx *ctx, wp_vty_step step,
		     void *state, void (*done)(void *state));
/* A `done` for a state that is one wp_calloc(MT_TMP, ...) block. */
void wp_vty_free_tmp(void *state);
/* How long one step should work, in seconds, before returning. */
#define WP_VTY_STEP_BUDGET	0.002

/*
 * A JSON answer {"KEY": [item, ...]} written item by item, exactly as
 * wp_vty_json() prints the whole object.  Each item is released.  `first`/`empty` say where in the list we are.
 */
void wp_vty_json_list_begin(struct wp_vty_cmd_ctx *ctx, const char *key);
void wp_vty_json_list_item(struct wp_vty_cmd_ctx *ctx, json_object *item,
			   bool first);
void wp_vty_json_list_end(struct wp_vty_cmd_ctx *ctx, bool empty);
/* The same for an object keyed by name, {"KEY": value, ...}; each value
 * is released. */
void wp_vty_json_obj_begin(struct wp_vty_cmd_ctx *ctx);
void wp_vty_json_obj_member(struct wp_vty_cmd_ctx *ctx, const char *key,
			    json_object *val, bool first);
void wp_vty_json_obj_end(struct wp_vty_cmd_ctx *ctx, bool empty);

/* The word that matched template token `tok` ("WORD", "(1-255)", "vrf");
 * NULL in a step. */
const char *wp_vty_arg(const struct wp_vty_cmd_ctx *ctx, const char *tok);
void *wp_vty_ctx_arg(const struct wp_vty_cmd_ctx *ctx);
struct wp_vty *wp_vty_ctx_vty(const struct wp_vty_cmd_ctx *ctx);
/* Call `fn` with every installed command's template and help, in the
 * order they were installed. */
void wp_vty_cmd_foreach(const struct wp_vty *vty,
			void (*fn)(const char *tmpl, const char *help,
				   void *arg),
			void *arg);

/* --- server (wp_vty.c) ------------------------------------------------ */

/*
 * Listen on the Unix socket `path` (mode 0660).  A stale socket file is
 * replaced; a live one (something answers on it) fails with EADDRINUSE.
 */
int wp_vty_listen(struct wp_vty *vty, const char *path);
/* Stop listening, drop every client and unlink the socket. */
void wp_vty_close(struct wp_vty *vty);
const char *wp_vty_path(const struct wp_vty *vty);
size_t wp_vty_nclients(const struct wp_vty *vty);

/* --- lib commands (wp_vty_lib.c) ------------------------------------- */

/*
 * show memory|event-loop|debugging|logging|version [json],
 * clear event-loop, [no] debug WORD.
 */
int wp_vty_install_lib_cmds(struct wp_vty *vty, struct wp_loop *loop);

/* --- client (wp_vty_client.c): blocking ------------------------------ */

#define WP_VTY_CLIENT_TIMEOUT	30.0	/* seconds, per request */

struct wp_vty_client *wp_vty_client_connect(const char *path);
void wp_vty_client_close(struct wp_vty_client *c);
void wp_vty_client_set_timeout(struct wp_vty_client *c, double seconds);
/*
 * Send `line` (no '\n' needed) and wait for its frame.  On 0, *status
 * holds the frame status and *output (if not NULL) the text, released with
 * wp_free(MT_STRING, ...).  -1 on I/O error, a malformed frame (EPROTO),
 * the server closing (ECONNRESET) or the timeout (ETIMEDOUT); the
 * connection is then unusable (ENOTCONN), close it.  A line that is too
 * long (EMSGSIZE) or holds a '\n' (EINVAL) is refused before sending.
 */
int wp_vty_client_exec(struct wp_vty_client *c, const char *line,
		       int *status, char **output);
/* Same for a completion request on `line`. */
int wp_vty_client_complete(struct wp_vty_client *c, const char *line,
			   int *status, char **output);

#endif /* WP_VTY_H */
