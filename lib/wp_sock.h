/*
 * wp_sock: Unix stream socket helpers shared by the IPC and vty servers.
 */
#ifndef WP_SOCK_H
#define WP_SOCK_H

#include <sys/stat.h>
#include <sys/un.h>

/* Fill `sun` for `path`; -1 with ENAMETOOLONG if it does not fit. */
int wp_sockaddr_un(struct sockaddr_un *sun, const char *path);

/*
 * Listen on `path` (mode 0660, non-blocking, close-on-exec).  A stale
 * socket nobody answers on is removed first; a live one is refused with
 * EADDRINUSE and anything that is not a socket with EEXIST, so one
 * daemon never steals another's socket.  `st` (may be NULL) receives
 * the socket file's identity, so the owner can later unlink only its
 * own file.  Returns the listening fd or -1 with errno set.
 */
int wp_unix_listen(const char *path, int backlog, struct stat *st);

#endif /* WP_SOCK_H */
