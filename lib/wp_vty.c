/*
 * wp_vty.c: the vty socket server.
 *
 * One listening Unix socket per daemon; each accepted client gets a
 * non-blocking fd, a line buffer and an output buffer, driven by one
 * wp_io watcher.  Data flow for a client:
 *
 *	read() -> in[] -> one complete line -> wp_vty_exec_buf() or
 *	wp_vty_complete_buf() -> frame appended to out -> write()
 *
 * A client is served one line at a time: the next line is taken only once
 * the previous answer has been written out, so a client that stops
 * reading stops being read (no unbounded buffering) and answers keep the
 * order of the lines.  The wire format is in wp_vty.h.
 *
 * A command that goes on in steps (wp_vty_continue()) leaves its frame
 * open: a zero-delay timer at the loop's lowest priority runs one step
 * per iteration, after the daemon's own timers and sockets, and the
 * frame's header is written when the last step has returned.  The client
 * is not read meanwhile.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "wp_log.h"
#include "wp_sock.h"
#include "wp_vty_int.h"

WP_MEMTYPE_DEFINE(MT_VTY_CLIENT, "vty client");

#define VTY_MAX_CLIENTS	64
#define VTY_BACKLOG	16

struct vty_client {
	LIST_ENTRY(vty_client) entry;
	struct wp_vty *vty;
	struct wp_io io;
	char in[WP_VTY_LINE_MAX + 1];	/* +1: '\0' after a last line */
	size_t inlen;
	struct wp_vty_buf out;
	bool eof;		/* the peer has sent all it will send */
	bool closing;		/* close once `out` is written */
	struct wp_vty_steps *steps;	/* the command going on in steps */
	size_t frame;			/* its frame's offset in `out` */
	struct wp_timer step_timer;
};

static void client_run(struct vty_client *c);

static void
client_free(struct vty_client *c)
{
	wp_timer_stop(&c->step_timer);
	wp_vty_steps_free(c->steps);
	wp_io_stop(&c->io);
	close(wp_io_fd(&c->io));
	LIST_REMOVE(c, entry);
	c->vty->nclients--;
	wp_vty_buf_free(&c->out);
	wp_free(MT_VTY_CLIENT, c);
}

/* Close the frame that starts at `start` in c->out. */
static void
frame_close(struct vty_client *c, size_t start, int status)
{
	unsigned char hdr[WP_VTY_HDR_LEN];
	size_t len = c->out.len - start - WP_VTY_HDR_LEN;

	hdr[0] = (unsigned char)(len >> 24);
	hdr[1] = (unsigned char)(len >> 16);
	hdr[2] = (unsigned char)(len >> 8);
	hdr[3] = (unsigned char)len;
	hdr[4] = (unsigned char)status;
	memcpy(c->out.data + start, hdr, sizeof(hdr));
}

/* Answer one request line with one frame appended to c->out (now, or
 * when its steps are done). */
static void
client_answer(struct vty_client *c, char *line)
{
	size_t start = c->out.len;
	unsigned char hdr[WP_VTY_HDR_LEN] = { 0 };
	size_t n = strlen(line);
	int status;

	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	wp_vty_buf_add(&c->out, hdr, sizeof(hdr));
	if (line[0] == WP_VTY_COMPLETE_CHAR) {
		status = wp_vty_complete_buf(c->vty, line + 1, &c->out);
	} else {
		status = wp_vty_exec_buf(c->vty, line, &c->out);
		c->steps = wp_vty_take_steps(c->vty);
	}
	if (c->steps) {
		c->frame = start;
		wp_io_stop(&c->io);
		wp_timer_start(&c->step_timer, 0.0, 0.0);
		return;
	}
	frame_close(c, start, status);
}

static void
step_cb(struct wp_timer *t)
{
	struct vty_client *c = container_of(t, struct vty_client, step_timer);
	int status = wp_vty_steps_run(c->steps);

	if (status == WP_VTY_MORE) {
		wp_timer_start(&c->step_timer, 0.0, 0.0);
		return;
	}
	wp_vty_steps_free(c->steps);
	c->steps = NULL;
	frame_close(c, c->frame, status);
	wp_io_start(&c->io);
	client_run(c);
}

static void
client_error(struct vty_client *c, int status, const char *msg)
{
	size_t len = strlen(msg);
	unsigned char hdr[WP_VTY_HDR_LEN] = {
		(unsigned char)(len >> 24), (unsigned char)(len >> 16),
		(unsigned char)(len >> 8), (unsigned char)len,
		(unsigned char)status,
	};

	wp_vty_buf_add(&c->out, hdr, sizeof(hdr));
	wp_vty_buf_add(&c->out, msg, len);
}

/* 0: all written or would block; -1: the peer is gone. */
static int
client_flush(struct vty_client *c)
{
	while (c->out.len > 0) {
		ssize_t n = send(wp_io_fd(&c->io), c->out.data, c->out.len,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0)
			return -1;
		wp_vty_buf_consume(&c->out, (size_t)n);
	}
	return 0;
}

/* 0 on data, end of file or nothing to read; -1 on error. */
static int
client_read(struct vty_client *c)
{
	size_t room = WP_VTY_LINE_MAX - c->inlen;
	ssize_t n;

	if (room == 0 || c->eof)
		return 0;
	n = read(wp_io_fd(&c->io), c->in + c->inlen, room);
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	if (n == 0)
		c->eof = true;
	c->inlen += (size_t)n;
	return 0;
}

/*
 * Serve what can be served now: flush, take the next line, repeat; then
 * wait for the right event.  Frees the client when it is done.
 */
static void
client_run(struct vty_client *c)
{
	for (;;) {
		char *nl;

		if (c->steps)
			return;		/* step_cb carries on */
		if (c->out.len > 0) {
			if (client_flush(c) == -1)
				goto out_free_client;
			if (c->out.len > 0) {
				wp_io_set_events(&c->io, EV_WRITE);
				return;
			}
		}
		if (c->closing)
			goto out_free_client;
		nl = memchr(c->in, '\n', c->inlen);
		if (nl != NULL) {
			size_t used = (size_t)(nl - c->in) + 1;

			*nl = '\0';
			client_answer(c, c->in);
			memmove(c->in, c->in + used, c->inlen - used);
			c->inlen -= used;
		} else if (c->inlen == WP_VTY_LINE_MAX) {
			wp_log_warnx_rl("vty: client line longer than %d "
					"bytes, closing", WP_VTY_LINE_MAX);
			client_error(c, WP_VTY_ERR_NO_MATCH,
				     "% Command line too long\n");
			c->closing = true;
		} else if (c->eof && c->inlen > 0) {
			c->in[c->inlen] = '\0';
			c->inlen = 0;
			client_answer(c, c->in);
		} else if (c->eof) {
			goto out_free_client;
		} else {
			wp_io_set_events(&c->io, EV_READ);
			return;
		}
	}

out_free_client:
	client_free(c);
}

static void
client_io_cb(struct wp_io *io, int revents)
{
	struct vty_client *c = container_of(io, struct vty_client, io);

	if ((revents & EV_READ) && client_read(c) == -1) {
		client_free(c);
		return;
	}
	client_run(c);
}

static void
accept_cb(struct wp_io *io, int revents)
{
	struct wp_vty *vty = container_of(io, struct wp_vty, accept_io);

	for (;;) {
		struct vty_client *c;
		int fd;

		fd = accept4(wp_io_fd(io), NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				wp_log_warn("vty: accept");
			return;
		}
		if (vty->nclients >= VTY_MAX_CLIENTS) {
			wp_log_warnx_rl("vty: %d clients already, refusing "
					"one", VTY_MAX_CLIENTS);
			close(fd);
			continue;
		}
		c = wp_calloc(MT_VTY_CLIENT, sizeof(*c));
		c->vty = vty;
		wp_io_init(vty->loop, &c->io, "vty client", fd, EV_READ,
			   client_io_cb);
		wp_timer_init(vty->loop, &c->step_timer, "vty step", step_cb);
		/* After the iteration's other callbacks: a long answer
		 * must not delay the daemon's own work. */
		ev_set_priority(&c->step_timer.w, EV_MINPRI);
		LIST_INSERT_HEAD(&vty->clients, c, entry);
		vty->nclients++;
		wp_io_start(&c->io);
	}
}

int
wp_vty_listen(struct wp_vty *vty, const char *path)
{
	int fd;

	if (vty->fd != -1) {
		errno = EBUSY;
		return -1;
	}
	fd = wp_unix_listen(path, VTY_BACKLOG, NULL);
	if (fd == -1)
		return -1;
	vty->fd = fd;
	vty->path = wp_strdup(MT_VTY, path);
	wp_io_init(vty->loop, &vty->accept_io, "vty accept", fd, EV_READ,
		   accept_cb);
	wp_io_start(&vty->accept_io);
	return 0;
}

void
wp_vty_close(struct wp_vty *vty)
{
	struct vty_client *c;

	while ((c = LIST_FIRST(&vty->clients)) != NULL)
		client_free(c);
	if (vty->fd == -1)
		return;
	wp_io_stop(&vty->accept_io);
	close(vty->fd);
	vty->fd = -1;
	if (unlink(vty->path) == -1 && errno != ENOENT)
		wp_log_warn("vty: unlink %s", vty->path);
	wp_free(MT_VTY, vty->path);
	vty->path = NULL;
}

const char *
wp_vty_path(const struct wp_vty *vty)
{
	return vty->path;
}

size_t
wp_vty_nclients(const struct wp_vty *vty)
{
	return vty->nclients;
}
