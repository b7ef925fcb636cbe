/*
 * wp_sock.c: binding a Unix stream socket safely.  The mode is set by the
 * umask at bind() so there is no window with a wider one; a path is only
 * reused when it is a socket nobody answers on.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wp_sock.h"

int
wp_sockaddr_un(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

/* Make `path` free for bind(): remove a dead socket, refuse the rest. */
static int
clear_path(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc, saved;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	saved = errno;
	close(fd);
	if (rc == 0 || saved == EAGAIN) {
		errno = EADDRINUSE;
		return -1;
	}
	if (saved != ECONNREFUSED) {
		errno = saved;
		return -1;
	}
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

int
wp_unix_listen(const char *path, int backlog, struct stat *st)
{
	struct sockaddr_un sun;
	struct stat dummy;
	mode_t omask;
	int fd, rc, saved;

	if (wp_sockaddr_un(&sun, path) == -1)
		return -1;
	if (clear_path(path, &sun) == -1)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	omask = umask(0117);
	rc = bind(fd, (const struct sockaddr *)&sun, sizeof(sun));
	umask(omask);
	if (rc == -1)
		goto out_close;
	if (chmod(path, 0660) == -1 || listen(fd, backlog) == -1 ||
	    stat(path, st ? st : &dummy) == -1)
		goto out_unlink;
	return fd;

out_unlink:
	saved = errno;
	unlink(path);
	errno = saved;
out_close:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}
