/*
 * wp_privs: drop from root to a user, keeping only named capabilities.
 *
 * A daemon starts as root, creates what needs root (run directory,
 * sockets, pid file), then calls wp_privs_drop().  The drop, in order:
 *
 *	1. resolve user (getpwnam) and group (getgrnam, else the user's
 *	   primary group);
 *	2. drop every capability outside the kept set from the bounding set
 *	   (best effort: needs CAP_SETPCAP, absent in some containers);
 *	3. prctl(PR_SET_KEEPCAPS, 1) so setuid() keeps the permitted set;
 *	4. setgroups(1, {gid}), setresgid(gid), setresuid(uid);
 *	5. permitted = effective = the kept set, inheritable empty
 *	   (cap_set_proc), then PR_SET_KEEPCAPS back to 0;
 *	6. check: setuid(0) must fail, else the drop did not happen.
 *
 * Not root: nothing to drop; logged at debug, returns 0.
 */
#ifndef WP_PRIVS_H
#define WP_PRIVS_H

#include <stddef.h>
#include <sys/capability.h>
#include <sys/types.h>

/*
 * Resolve `user` and `group` (either may be NULL: the current uid, or the
 * user's primary group).  -1 with a logged reason if one does not exist.
 */
int wp_privs_resolve(const char *user, const char *group, uid_t *uid,
		     gid_t *gid);
/* The drop described above; -1 (logged) on any failure. */
int wp_privs_drop(const char *user, const char *group,
		  const cap_value_t *caps, size_t ncaps);
/* True if `cap` is in the effective set of this process. */
int wp_privs_have(cap_value_t cap);

#endif /* WP_PRIVS_H */
