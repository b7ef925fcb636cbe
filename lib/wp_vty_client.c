/*
 * wp_vty_client.c: the blocking client of a daemon's vty socket, for
 * vtysh, tools/wpvty and tests.  One request at a time: send the line,
 * read one frame (wire format in wp_vty.h), each step bounded by a
 * deadline through poll().
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "wp_loop.h"
#include "wp_mem.h"
#include "wp_vty.h"

WP_MEMTYPE_DEFINE(MT_VTY_CLIENT_CONN, "vty client connection");

#define FRAME_MAX	(1u << 30)	/* refuse absurd frame lengths */

struct wp_vty_client {
	int fd;			/* -1 once a request failed midway */
	double timeout;
};

struct wp_vty_client *
wp_vty_client_connect(const char *path)
{
	struct wp_vty_client *c;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, saved;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		goto out_close_fd;
	c = wp_calloc(MT_VTY_CLIENT_CONN, sizeof(*c));
	c->fd = fd;
	c->timeout = WP_VTY_CLIENT_TIMEOUT;
	return c;

out_close_fd:
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}

void
wp_vty_client_close(struct wp_vty_client *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	wp_free(MT_VTY_CLIENT_CONN, c);
}

void
wp_vty_client_set_timeout(struct wp_vty_client *c, double seconds)
{
	c->timeout = seconds;
}

/* Wait for `events` until `deadline` (monotonic); -1/ETIMEDOUT after. */
static int
wait_fd(int fd, short events, double deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		double left = deadline - wp_monotime();
		int rc;

		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		rc = poll(&pfd, 1, (int)(left * 1000.0) + 1);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -1;
	}
}

static int
send_all(int fd, const char *p, size_t len, double deadline)
{
	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline) == -1)
				return -1;
			continue;
		}
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
recv_all(int fd, void *buf, size_t len, double deadline)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLIN, deadline) == -1)
				return -1;
			continue;
		}
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ECONNRESET;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
request(struct wp_vty_client *c, const char *prefix, const char *line,
	int *status, char **output)
{
	double deadline = wp_monotime() + c->timeout;
	size_t plen = strlen(prefix), llen = strlen(line);
	unsigned char hdr[WP_VTY_HDR_LEN];
	uint32_t len;
	char *req, *text;
	int rc, saved;

	if (strchr(line, '\n') != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (plen + llen + 1 > WP_VTY_LINE_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (c->fd < 0) {
		errno = ENOTCONN;
		return -1;
	}
	req = wp_malloc(MT_TMP, plen + llen + 1);
	memcpy(req, prefix, plen);
	memcpy(req + plen, line, llen);
	req[plen + llen] = '\n';
	rc = send_all(c->fd, req, plen + llen + 1, deadline);
	wp_free(MT_TMP, req);
	if (rc == -1 || recv_all(c->fd, hdr, sizeof(hdr), deadline) == -1)
		goto out_disconnect;
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	      (uint32_t)hdr[2] << 8 | hdr[3];
	if (len > FRAME_MAX || hdr[4] > WP_VTY_ERR_FAILED) {
		errno = EPROTO;
		goto out_disconnect;
	}
	text = wp_malloc(MT_STRING, (size_t)len + 1);
	if (recv_all(c->fd, text, len, deadline) == -1) {
		wp_free(MT_STRING, text);
		goto out_disconnect;
	}
	text[len] = '\0';
	*status = hdr[4];
	if (output)
		*output = text;
	else
		wp_free(MT_STRING, text);
	return 0;

out_disconnect:
	/* Mid-request: a late answer would pass for the next one's. */
	saved = errno;
	close(c->fd);
	c->fd = -1;
	errno = saved;
	return -1;
}

int
wp_vty_client_exec(struct wp_vty_client *c, const char *line, int *status,
		   char **output)
{
	return request(c, "", line, status, output);
}

int
wp_vty_client_complete(struct wp_vty_client *c, const char *line,
		       int *status, char **output)
{
	static const char prefix[] = { WP_VTY_COMPLETE_CHAR, '\0' };

	return request(c, prefix, line, status, output);
}
