/*
 * wp_vty_int.h: what wp_vty_cmd.c (matcher), wp_vty.c (server) and
 * wp_vty_lib.c share.  Not for use outside lib/; wp_yang.c and
 * wp_cli_*.c build their text with the growable buffer too.
 */
#ifndef WP_VTY_INT_H
#define WP_VTY_INT_H

#include <stdarg.h>
#include <sys/queue.h>

#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_vty.h"

WP_MEMTYPE_DECLARE(MT_VTY);
WP_MEMTYPE_DECLARE(MT_VTY_BUF);

/* Growable byte buffer, always '\0'-terminated past `len`. */
struct wp_vty_buf {
	char *data;
	size_t len;
	size_t cap;
};

void wp_vty_buf_add(struct wp_vty_buf *b, const void *p, size_t n);
void wp_vty_buf_vprintf(struct wp_vty_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void wp_vty_buf_printf(struct wp_vty_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drop the first `n` bytes. */
void wp_vty_buf_consume(struct wp_vty_buf *b, size_t n);
void wp_vty_buf_free(struct wp_vty_buf *b);

struct vty_cmd;
struct vty_client;
struct wp_vty_steps;

struct wp_vty {
	struct wp_loop *loop;
	char *name;
	double started;			/* wp_monotime() at creation */
	TAILQ_HEAD(, vty_cmd) cmds;
	size_t nforms;			/* forms over all commands */

	/* server */
	char *path;
	int fd;
	struct wp_io accept_io;
	LIST_HEAD(, vty_client) clients;
	size_t nclients;

	/* wp_vty_continue() of the command being run, until taken */
	struct wp_vty_steps *pending;
};

/* Run `line`, appending its output to `out`; returns the status. */
int wp_vty_exec_buf(struct wp_vty *vty, const char *line,
		    struct wp_vty_buf *out);
/*
 * The continuation the last wp_vty_exec_buf() left (wp_vty_continue()),
 * or NULL; the caller owns it.  Run it with wp_vty_steps_run() until
 * that returns something other than WP_VTY_MORE, then free it.
 */
struct wp_vty_steps *wp_vty_take_steps(struct wp_vty *vty);
int wp_vty_steps_run(struct wp_vty_steps *st);
void wp_vty_steps_free(struct wp_vty_steps *st);

/* Completion request: "word\thelp\n" lines (or an error) into `out`. */
int wp_vty_complete_buf(struct wp_vty *vty, const char *line,
			struct wp_vty_buf *out);

#endif /* WP_VTY_INT_H */
