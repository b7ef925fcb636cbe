/*
 * wp_ipc.c: connections, the server and the client of wp_ipc.h.
 *
 * A connection owns one non-blocking Unix stream socket and one wp_io
 * watcher on it.  Input is read into a buffer that reassembles frames
 * across partial reads; each whole frame goes through wp_ipc_frame.c to
 * its handler.  Output is a queue of encoded frames written with
 * sendmsg() from the loop when the socket is writable.
 *
 * Callbacks and handlers may close the connection or free the server or
 * client that owns it.  So a connection is held (busy) while any of them
 * runs and freed only when the last hold is released; a closed
 * connection is detached from its owner at once and calls nothing more.
 * The server uses the same scheme around its accept loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "wp_buf.h"
#include "wp_ipc.h"
#include "wp_sock.h"
#include "wp_ipc_private.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_IPC_SERVER, "IPC server");
WP_MEMTYPE_DEFINE(MT_IPC_CLIENT, "IPC client");
WP_MEMTYPE_DEFINE(MT_IPC_CONN, "IPC connection");
WP_MEMTYPE_DEFINE(MT_IPC_RBUF, "IPC read buffer");
WP_MEMTYPE_DEFINE(MT_IPC_FRAME, "IPC queued frame");

WP_DEBUG_DEFINE(DBG_IPC, "ipc");

#define RBUF_CHUNK	(64 * 1024)	/* free space offered to each read */
#define RBUF_KEEP	(256 * 1024)	/* larger idle buffers are released */
#define TX_IOV		64		/* frames per sendmsg() */
#define ACCEPT_BURST	16		/* accepts per callback */
#define BACKOFF_JITTER	0.25

struct ipc_frame {
	STAILQ_ENTRY(ipc_frame) entry;
	size_t len;
	size_t off;			/* bytes already written */
	uint8_t data[];
};

struct wp_ipc_conn {
	LIST_ENTRY(wp_ipc_conn) entry;	/* server's list */
	struct wp_ipc_server *server;	/* owner, NULL once detached */
	struct wp_ipc_client *client;
	const struct wp_ipc_callbacks *cb;
	const struct wp_ipc_handler *handlers;
	void *arg;
	void *data;
	struct wp_io io;
	char sock[32];			/* socket file name, for logs */
	char name[64];			/* peer */

	uint8_t *rbuf;
	size_t rlen;
	size_t rcap;
	uint32_t max_payload;

	STAILQ_HEAD(, ipc_frame) txq;
	size_t high_water;
	size_t low_water;
	bool blocked;			/* on_writable owed at low water */
	uint32_t seq;

	int busy;
	bool closed;
	bool held;			/* a handler holds a message: no input */
	bool dispatching;		/* inside conn_process() */
	struct wp_ipc_stats stats;
};

struct wp_ipc_server {
	struct wp_loop *loop;
	char *path;
	dev_t dev;			/* of the socket we bound, so we */
	ino_t ino;			/* never unlink a successor's */
	const struct wp_ipc_handler *handlers;
	struct wp_ipc_callbacks cb;
	struct wp_io io;
	struct wp_timer accept_pause;
	LIST_HEAD(, wp_ipc_conn) conns;
	size_t nconns;
	int busy;
	bool dead;
};

struct wp_ipc_client {
	struct wp_loop *loop;
	char *path;
	const struct wp_ipc_handler *handlers;
	struct wp_ipc_callbacks cb;
	struct wp_ipc_conn *conn;
	struct wp_timer retry;
	double backoff;			/* delay of the next retry */
	unsigned int failures;		/* since the last connect */
};

static void conn_io_cb(struct wp_io *io, int revents);
static void client_schedule(struct wp_ipc_client *cl);

/* Helpers -------------------------------------------------------------- */

static void
callbacks_copy(struct wp_ipc_callbacks *dst, const struct wp_ipc_callbacks *src)
{
	if (src)
		*dst = *src;
	else
		memset(dst, 0, sizeof(*dst));
	if (dst->max_payload == 0)
		dst->max_payload = WP_IPC_MAX_PAYLOAD;
	if (dst->high_water == 0)
		dst->high_water = WP_IPC_HIGH_WATER;
	if (dst->low_water == 0 || dst->low_water > dst->high_water)
		dst->low_water = dst->high_water / 4;
	if (dst->backoff_min <= 0.0)
		dst->backoff_min = WP_IPC_BACKOFF_MIN;
	if (dst->backoff_max < dst->backoff_min)
		dst->backoff_max = dst->backoff_min > WP_IPC_BACKOFF_MAX ?
		    dst->backoff_min : WP_IPC_BACKOFF_MAX;
}

static const char *
path_base(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

/* Connections ---------------------------------------------------------- */

static struct wp_ipc_conn *
conn_new(struct wp_loop *loop, int fd, const char *path,
	 const struct wp_ipc_handler *handlers,
	 const struct wp_ipc_callbacks *cb)
{
	struct wp_ipc_conn *c = wp_calloc(MT_IPC_CONN, sizeof(*c));

	c->cb = cb;
	c->handlers = handlers;
	c->arg = cb->arg;
	c->max_payload = cb->max_payload;
	c->high_water = cb->high_water;
	c->low_water = cb->low_water;
	STAILQ_INIT(&c->txq);
	snprintf(c->sock, sizeof(c->sock), "%s", path_base(path));
	snprintf(c->name, sizeof(c->name), "fd %d", fd);
	wp_io_init(loop, &c->io, "ipc connection", fd, EV_READ, conn_io_cb);
	wp_io_start(&c->io);
	return c;
}

static void
conn_txq_free(struct wp_ipc_conn *c)
{
	struct ipc_frame *f;

	while ((f = STAILQ_FIRST(&c->txq)) != NULL) {
		STAILQ_REMOVE_HEAD(&c->txq, entry);
		wp_free(MT_IPC_FRAME, f);
	}
	c->stats.queued = 0;
}

static void
conn_free(struct wp_ipc_conn *c)
{
	conn_txq_free(c);
	wp_free(MT_IPC_RBUF, c->rbuf);
	wp_free(MT_IPC_CONN, c);
}

static void
conn_hold(struct wp_ipc_conn *c)
{
	c->busy++;
}

/* Drop a hold; frees a closed connection.  Touch nothing of `c` after. */
static void
conn_release(struct wp_ipc_conn *c)
{
	if (--c->busy == 0 && c->closed)
		conn_free(c);
}

/*
 * Close and detach: after this the owner no longer knows `c`, and `c`
 * calls nothing but on_disconnect, which runs last.
 */
static void
conn_shutdown(struct wp_ipc_conn *c)
{
	const struct wp_ipc_callbacks *cb = c->cb;
	struct wp_ipc_client *cl = c->client;

	if (c->closed)
		return;
	c->closed = true;
	wp_io_stop(&c->io);
	close(wp_io_fd(&c->io));
	conn_txq_free(c);
	if (c->server) {
		LIST_REMOVE(c, entry);
		c->server->nconns--;
		c->server = NULL;
	}
	if (cl) {
		cl->conn = NULL;
		c->client = NULL;
		client_schedule(cl);
	}
	c->cb = NULL;

	conn_hold(c);
	if (cb && cb->on_disconnect)
		cb->on_disconnect(c);
	conn_release(c);
}

/* Close because of `fmt`, logged once at `level`. */
static void __attribute__((format(printf, 3, 4)))
conn_fail(struct wp_ipc_conn *c, enum wp_log_level level, const char *fmt,
	  ...)
{
	char reason[256];
	va_list ap;

	static struct wp_log_rl rl_err, rl_warn;

	if (c->closed)
		return;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	/* A peer can make us close again and again: a line a second. */
	if ((level == WP_LOG_ERR && !wp_log_rl_allow(&rl_err, level)) ||
	    (level == WP_LOG_WARNING && !wp_log_rl_allow(&rl_warn, level)))
		goto out;
	wp_log_msg(level, "ipc %s: %s: closing connection: %s", c->sock,
		   c->name, reason);
out:
	conn_shutdown(c);
}

void
wp_ipc_conn_close(struct wp_ipc_conn *c)
{
	if (c == NULL || c->closed)
		return;
	wp_debug(DBG_IPC, "ipc %s: %s: closing connection", c->sock, c->name);
	conn_shutdown(c);
}

/* Watch for input unless held, and for output when `on`. */
static void
conn_want_write(struct wp_ipc_conn *c, bool on)
{
	int ev = (c->held ? 0 : EV_READ) | (on ? EV_WRITE : 0);

	if (ev == 0) {
		wp_io_stop(&c->io);
		return;
	}
	wp_io_set_events(&c->io, ev);
	wp_io_start(&c->io);
}

/* Write what the socket takes; -1 if the connection failed. */
static int
conn_flush(struct wp_ipc_conn *c)
{
	struct iovec iov[TX_IOV];
	struct msghdr mh;
	struct ipc_frame *f;
	ssize_t n;
	int niov;

	while (!STAILQ_EMPTY(&c->txq)) {
		niov = 0;
		STAILQ_FOREACH(f, &c->txq, entry) {
			if (niov == TX_IOV)
				break;
			iov[niov].iov_base = f->data + f->off;
			iov[niov].iov_len = f->len - f->off;
			niov++;
		}
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = (size_t)niov;
		n = sendmsg(wp_io_fd(&c->io), &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			conn_fail(c, WP_LOG_WARNING, "write: %s",
				  strerror(errno));
			return -1;
		}
		c->stats.tx_bytes += (uint64_t)n;
		c->stats.queued -= (size_t)n;
		while (n > 0) {
			size_t left;

			f = STAILQ_FIRST(&c->txq);
			left = f->len - f->off;
			if ((size_t)n < left) {
				f->off += (size_t)n;
				break;
			}
			n -= (ssize_t)left;
			STAILQ_REMOVE_HEAD(&c->txq, entry);
			wp_free(MT_IPC_FRAME, f);
		}
	}
	return 0;
}

static void
conn_write(struct wp_ipc_conn *c)
{
	if (conn_flush(c) < 0)
		return;
	if (c->blocked && c->stats.queued <= c->low_water) {
		c->blocked = false;
		if (c->cb && c->cb->on_writable)
			c->cb->on_writable(c);
		if (c->closed)
			return;
	}
	conn_want_write(c, !STAILQ_EMPTY(&c->txq));
}

/* Check a complete header against the limits and the handler table. */
static const struct wp_ipc_handler *
conn_check_hdr(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h)
{
	const struct wp_ipc_handler *hd;

	hd = wp_ipc_handler_find(c->handlers, h->type);
	if (hd == NULL)
		conn_fail(c, WP_LOG_ERR, "unknown message type %u (seq %u, "
			  "%u bytes)", h->type, h->sequence, h->length);
	return hd;
}

/* Dispatch every whole frame in the read buffer. */
static void
conn_process(struct wp_ipc_conn *c)
{
	const struct wp_ipc_handler *hd;
	struct wp_ipc_hdr h;
	size_t off = 0, consumed;
	char err[256];
	int rc;

	c->dispatching = true;
	while (!c->closed && !c->held) {
		rc = wp_ipc_frame_parse_max(c->rbuf + off, c->rlen - off,
					    c->max_payload, &h, &consumed,
					    err, sizeof(err));
		if (rc < 0) {
			conn_fail(c, WP_LOG_ERR, "%s", err);
			return;
		}
		if (c->rlen - off < WP_IPC_HDR_LEN)
			break;
		/* Refuse an unknown type before its payload arrives. */
		if ((hd = conn_check_hdr(c, &h)) == NULL)
			return;
		if (rc == 0)
			break;
		c->stats.rx_frames++;
		wp_debug(DBG_IPC, "ipc %s: %s: rx %s seq %u len %u", c->sock,
			 c->name, wp_ipc_handler_name(hd), h.sequence,
			 h.length);
		rc = wp_ipc_frame_deliver(c, hd, &h, c->rbuf + off +
					  WP_IPC_HDR_LEN, err, sizeof(err));
		if (rc < 0) {
			conn_fail(c, WP_LOG_ERR, "%s", err);
			return;
		}
		off += consumed;
		if (rc == 1 && !c->closed) {
			/* Held: read nothing more until wp_ipc_conn_resume(). */
			c->held = true;
			conn_want_write(c, !STAILQ_EMPTY(&c->txq));
		}
	}
	c->dispatching = false;
	if (c->closed)
		return;
	if (off > 0) {
		memmove(c->rbuf, c->rbuf + off, c->rlen - off);
		c->rlen -= off;
	}
	if (c->rlen == 0 && c->rcap > RBUF_KEEP) {
		wp_free(MT_IPC_RBUF, c->rbuf);
		c->rbuf = NULL;
		c->rcap = 0;
	}
}

/* Room for the rest of a partial frame, and a useful read besides. */
static void
conn_rbuf_grow(struct wp_ipc_conn *c)
{
	struct wp_ipc_hdr h;
	size_t consumed, frame = 0, want;

	if (c->rlen >= WP_IPC_HDR_LEN &&
	    wp_ipc_frame_parse_max(c->rbuf, c->rlen, c->max_payload, &h,
				   &consumed, NULL, 0) == 0)
		frame = WP_IPC_HDR_LEN + (size_t)h.length;
	if (c->rcap - c->rlen >= RBUF_CHUNK / 4 && c->rcap >= frame)
		return;
	want = c->rlen + RBUF_CHUNK;
	if (frame > want)
		want = frame;
	c->rbuf = wp_realloc(MT_IPC_RBUF, c->rbuf, want);
	c->rcap = want;
}

static void
conn_read(struct wp_ipc_conn *c)
{
	ssize_t n;

	conn_rbuf_grow(c);
	n = recv(wp_io_fd(&c->io), c->rbuf + c->rlen, c->rcap - c->rlen,
		 MSG_DONTWAIT);
	if (n == 0) {
		if (c->rlen > 0)
			conn_fail(c, WP_LOG_ERR, "peer closed the connection "
				  "inside a frame (%zu bytes pending)",
				  c->rlen);
		else
			conn_fail(c, WP_LOG_INFO, "peer closed the "
				  "connection");
		return;
	}
	if (n < 0) {
		if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
			return;
		conn_fail(c, WP_LOG_WARNING, "read: %s", strerror(errno));
		return;
	}
	c->rlen += (size_t)n;
	c->stats.rx_bytes += (uint64_t)n;
	conn_process(c);
}

static void
conn_io_cb(struct wp_io *io, int revents)
{
	struct wp_ipc_conn *c = container_of(io, struct wp_ipc_conn, io);

	conn_hold(c);
	if (revents & EV_WRITE)
		conn_write(c);
	if ((revents & EV_READ) && !c->closed && !c->held)
		conn_read(c);
	conn_release(c);
}

int
wp_ipc_send(struct wp_ipc_conn *c, uint16_t type, const ProtobufCMessage *msg)
{
	struct wp_ipc_hdr h = { .type = type, .version = WP_IPC_VERSION };
	struct ipc_frame *f;
	size_t size;

	if (c == NULL || c->closed) {
		errno = ENOTCONN;
		return -1;
	}
	if (c->stats.queued > c->high_water) {
		c->blocked = true;
		c->stats.refused++;
		errno = EAGAIN;
		return -1;
	}
	size = msg ? protobuf_c_message_get_packed_size(msg) : 0;
	if (type == 0 || size > c->max_payload) {
		errno = type == 0 ? EINVAL : EMSGSIZE;
		return -1;
	}
	if (++c->seq == 0)
		c->seq = 1;
	h.sequence = c->seq;
	h.length = (uint32_t)size;

	f = wp_malloc(MT_IPC_FRAME, sizeof(*f) + WP_IPC_HDR_LEN + size);
	f->len = WP_IPC_HDR_LEN + size;
	f->off = 0;
	wp_ipc_hdr_encode(f->data, &h);
	if (msg)
		protobuf_c_message_pack(msg, f->data + WP_IPC_HDR_LEN);
	STAILQ_INSERT_TAIL(&c->txq, f, entry);

	c->stats.tx_frames++;
	c->stats.queued += f->len;
	if (c->stats.queued > c->stats.queued_peak)
		c->stats.queued_peak = c->stats.queued;
	if (c->stats.queued > c->high_water)
		c->blocked = true;
	wp_debug(DBG_IPC, "ipc %s: %s: tx type %u seq %u len %zu", c->sock,
		 c->name, type, h.sequence, size);
	conn_want_write(c, true);
	return 0;
}

const char *
wp_ipc_conn_name(const struct wp_ipc_conn *c)
{
	return c->name;
}

void
wp_ipc_conn_set_name(struct wp_ipc_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->name, sizeof(c->name), fmt, ap);
	va_end(ap);
}

void
wp_ipc_conn_resume(struct wp_ipc_conn *c)
{
	if (c == NULL || c->closed || !c->held)
		return;
	c->held = false;
	conn_want_write(c, !STAILQ_EMPTY(&c->txq));
	/* Inside our own dispatch loop it simply goes on. */
	if (c->dispatching || c->rlen == 0)
		return;
	conn_hold(c);
	conn_process(c);
	conn_release(c);
}

bool
wp_ipc_conn_held(const struct wp_ipc_conn *c)
{
	return c->held;
}

void *
wp_ipc_conn_arg(const struct wp_ipc_conn *c)
{
	return c->arg;
}

void *
wp_ipc_conn_data(const struct wp_ipc_conn *c)
{
	return c->data;
}

void
wp_ipc_conn_set_data(struct wp_ipc_conn *c, void *data)
{
	c->data = data;
}

void
wp_ipc_conn_set_max_payload(struct wp_ipc_conn *c, uint32_t max)
{
	c->max_payload = max ? max : WP_IPC_MAX_PAYLOAD;
}

bool
wp_ipc_conn_congested(const struct wp_ipc_conn *c)
{
	return c->blocked;
}

const struct wp_ipc_stats *
wp_ipc_conn_stats(const struct wp_ipc_conn *c)
{
	return &c->stats;
}

int
wp_ipc_conn_peer_cred(const struct wp_ipc_conn *c, pid_t *pid, uid_t *uid,
		      gid_t *gid)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (c->closed) {
		errno = ENOTCONN;
		return -1;
	}
	if (getsockopt(wp_io_fd(&c->io), SOL_SOCKET, SO_PEERCRED, &cred,
		       &len) == -1)
		return -1;
	if (pid)
		*pid = cred.pid;
	if (uid)
		*uid = cred.uid;
	if (gid)
		*gid = cred.gid;
	return 0;
}

/* Server --------------------------------------------------------------- */

static void server_accept_cb(struct wp_io *io, int revents);
static void server_resume_cb(struct wp_timer *t);

struct wp_ipc_server *
wp_ipc_server_new(struct wp_loop *loop, const char *path,
		  const struct wp_ipc_handler *handlers,
		  const struct wp_ipc_callbacks *cb)
{
	struct wp_ipc_server *s;
	struct stat st;
	int fd;

	fd = wp_unix_listen(path, 128, &st);
	if (fd == -1)
		return NULL;
	s = wp_calloc(MT_IPC_SERVER, sizeof(*s));
	s->loop = loop;
	s->path = wp_strdup(MT_IPC_SERVER, path);
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->handlers = handlers;
	callbacks_copy(&s->cb, cb);
	LIST_INIT(&s->conns);
	wp_io_init(loop, &s->io, "ipc accept", fd, EV_READ, server_accept_cb);
	wp_io_start(&s->io);
	wp_timer_init(loop, &s->accept_pause, "ipc accept pause",
		      server_resume_cb);
	wp_log_info("ipc %s: listening", s->path);
	return s;
}

static void
server_destroy(struct wp_ipc_server *s)
{
	wp_free(MT_IPC_SERVER, s->path);
	wp_free(MT_IPC_SERVER, s);
}

void
wp_ipc_server_free(struct wp_ipc_server *s)
{
	struct wp_ipc_conn *c;
	struct stat st;

	if (s == NULL || s->dead)
		return;
	s->dead = true;
	wp_io_stop(&s->io);
	wp_timer_stop(&s->accept_pause);
	close(wp_io_fd(&s->io));
	/* Unlink only our own socket, not that of a daemon started since. */
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		unlink(s->path);
	while ((c = LIST_FIRST(&s->conns)) != NULL)
		conn_shutdown(c);
	if (s->busy == 0)
		server_destroy(s);
}

size_t
wp_ipc_server_nconns(const struct wp_ipc_server *s)
{
	return s->nconns;
}

void
wp_ipc_server_foreach(struct wp_ipc_server *s,
		      void (*fn)(struct wp_ipc_conn *c, void *arg), void *arg)
{
	struct wp_ipc_conn *c, *next;

	for (c = LIST_FIRST(&s->conns); c; c = next) {
		next = LIST_NEXT(c, entry);
		fn(c, arg);
	}
}

static void
server_resume_cb(struct wp_timer *t)
{
	struct wp_ipc_server *s = container_of(t, struct wp_ipc_server,
					       accept_pause);

	wp_io_start(&s->io);
}

static void
server_accept_one(struct wp_ipc_server *s, int fd)
{
	struct wp_ipc_conn *c;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	c = conn_new(s->loop, fd, s->path, s->handlers, &s->cb);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
		snprintf(c->name, sizeof(c->name), "pid %d", (int)cred.pid);
	c->server = s;
	LIST_INSERT_HEAD(&s->conns, c, entry);
	s->nconns++;
	wp_log_info("ipc %s: %s: connected", c->sock, c->name);
	conn_hold(c);
	if (s->cb.on_connect)
		s->cb.on_connect(c);
	conn_release(c);
}

static void
server_accept_cb(struct wp_io *io, int revents)
{
	static struct wp_log_rl accept_rl;
	struct wp_ipc_server *s = container_of(io, struct wp_ipc_server, io);
	int fd;

	s->busy++;
	for (int i = 0; i < ACCEPT_BURST && !s->dead; i++) {
		fd = accept4(wp_io_fd(io), NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (wp_log_rl_allow(&accept_rl, WP_LOG_WARNING))
				wp_log_warn("ipc %s: accept", s->path);
			/* Out of descriptors or memory: let it pass a while
			 * rather than spin on a listener that stays ready. */
			wp_io_stop(&s->io);
			wp_timer_start(&s->accept_pause, 1.0, 0.0);
			break;
		}
		server_accept_one(s, fd);
	}
	if (--s->busy == 0 && s->dead)
		server_destroy(s);
}

/* Client --------------------------------------------------------------- */

static void client_retry_cb(struct wp_timer *t);

struct wp_ipc_client *
wp_ipc_client_new(struct wp_loop *loop, const char *path,
		  const struct wp_ipc_handler *handlers,
		  const struct wp_ipc_callbacks *cb)
{
	struct wp_ipc_client *cl;
	struct sockaddr_un sun;

	if (wp_sockaddr_un(&sun, path) == -1)
		return NULL;
	cl = wp_calloc(MT_IPC_CLIENT, sizeof(*cl));
	cl->loop = loop;
	cl->path = wp_strdup(MT_IPC_CLIENT, path);
	cl->handlers = handlers;
	callbacks_copy(&cl->cb, cb);
	cl->backoff = cl->cb.backoff_min;
	wp_timer_init(loop, &cl->retry, "ipc connect", client_retry_cb);
	/* First attempt from the loop, so on_connect never runs before the
	 * caller has the client in hand. */
	wp_timer_start(&cl->retry, 0.0, 0.0);
	return cl;
}

void
wp_ipc_client_free(struct wp_ipc_client *cl)
{
	struct wp_ipc_conn *c;

	if (cl == NULL)
		return;
	wp_timer_stop(&cl->retry);
	if ((c = cl->conn) != NULL) {
		/* Detach first: a client being freed does not retry. */
		cl->conn = NULL;
		c->client = NULL;
		conn_shutdown(c);
	}
	/* on_disconnect may have asked for a retry: not any more. */
	wp_timer_stop(&cl->retry);
	wp_free(MT_IPC_CLIENT, cl->path);
	wp_free(MT_IPC_CLIENT, cl);
}

struct wp_ipc_conn *
wp_ipc_client_conn(const struct wp_ipc_client *cl)
{
	return cl->conn;
}

int
wp_ipc_client_send(struct wp_ipc_client *cl, uint16_t type,
		   const ProtobufCMessage *msg)
{
	if (cl->conn == NULL) {
		errno = ENOTCONN;
		return -1;
	}
	return wp_ipc_send(cl->conn, type, msg);
}

void
wp_ipc_client_retry_after(struct wp_ipc_client *cl, double seconds)
{
	if (cl->conn)
		return;
	if (seconds > cl->cb.backoff_max)
		seconds = cl->cb.backoff_max;
	wp_timer_start(&cl->retry, seconds, BACKOFF_JITTER);
}

/* Retry after the current backoff, then double it up to the maximum. */
static void
client_schedule(struct wp_ipc_client *cl)
{
	wp_timer_start(&cl->retry, cl->backoff, BACKOFF_JITTER);
	cl->backoff *= 2;
	if (cl->backoff > cl->cb.backoff_max)
		cl->backoff = cl->cb.backoff_max;
}

static int
client_connect(struct wp_ipc_client *cl)
{
	struct sockaddr_un sun;
	int fd, saved;

	if (wp_sockaddr_un(&sun, cl->path) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/* A Unix connect() completes or fails at once; EAGAIN (backlog
	 * full) is a failure like any other and retried later. */
	if (connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static void
client_retry_cb(struct wp_timer *t)
{
	struct wp_ipc_client *cl = container_of(t, struct wp_ipc_client,
						retry);
	struct wp_ipc_conn *c;
	int fd;

	fd = client_connect(cl);
	if (fd == -1) {
		/* One line per outage, not one per attempt. */
		if (cl->failures++ == 0)
			wp_log_warn("ipc %s: cannot connect, retrying with "
				    "backoff", cl->path);
		else
			wp_debug(DBG_IPC, "ipc %s: connect attempt %u: %s",
				 cl->path, cl->failures, strerror(errno));
		client_schedule(cl);
		return;
	}
	c = conn_new(cl->loop, fd, cl->path, cl->handlers, &cl->cb);
	snprintf(c->name, sizeof(c->name), "server");
	c->client = cl;
	cl->conn = c;
	wp_log_info("ipc %s: connected", cl->path);
	cl->failures = 0;
	cl->backoff = cl->cb.backoff_min;
	/* Last: on_connect may free the client. */
	conn_hold(c);
	if (cl->cb.on_connect)
		cl->cb.on_connect(c);
	conn_release(c);
}
