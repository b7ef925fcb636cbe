/*
 * wp_privs.c: the privilege drop (see wp_privs.h for the steps).  Every
 * failure is logged here with the step that failed; callers treat -1 as
 * a start-up failure.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "wp_log.h"
#include "wp_privs.h"

int
wp_privs_resolve(const char *user, const char *group, uid_t *uid, gid_t *gid)
{
	struct passwd *pw = NULL;
	struct group *gr;

	*uid = getuid();
	*gid = getgid();
	if (user) {
		errno = 0;
		if ((pw = getpwnam(user)) == NULL) {
			wp_log_errx("privs: no such user \"%s\"", user);
			return -1;
		}
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	}
	if (group) {
		errno = 0;
		if ((gr = getgrnam(group)) == NULL) {
			wp_log_errx("privs: no such group \"%s\"", group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

static bool
cap_kept(cap_value_t c, const cap_value_t *caps, size_t ncaps)
{
	for (size_t i = 0; i < ncaps; i++)
		if (caps[i] == c)
			return true;
	return false;
}

/* Best effort: a container without CAP_SETPCAP cannot shrink the set. */
static void
bounding_drop(const cap_value_t *caps, size_t ncaps)
{
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		if (cap_kept(c, caps, ncaps) || !CAP_IS_SUPPORTED(c))
			continue;
		if (cap_drop_bound(c) == -1) {
			wp_log_debugx("privs: cannot shrink the capability "
				      "bounding set: %s", strerror(errno));
			return;
		}
	}
}

static int
caps_set(const cap_value_t *caps, size_t ncaps)
{
	cap_t cap = cap_init();		/* all sets empty */
	int rc = -1;

	if (cap == NULL) {
		wp_log_err("privs: cap_init");
		return -1;
	}
	for (size_t i = 0; i < ncaps; i++) {
		if (cap_set_flag(cap, CAP_PERMITTED, 1, &caps[i], CAP_SET) ||
		    cap_set_flag(cap, CAP_EFFECTIVE, 1, &caps[i], CAP_SET)) {
			wp_log_err("privs: cap_set_flag(%d)", (int)caps[i]);
			goto out_free_cap;
		}
	}
	if (cap_set_proc(cap) == -1) {
		wp_log_err("privs: cap_set_proc");
		goto out_free_cap;
	}
	rc = 0;

out_free_cap:
	cap_free(cap);
	return rc;
}

int
wp_privs_drop(const char *user, const char *group, const cap_value_t *caps,
	      size_t ncaps)
{
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0) {
		wp_log_debugx("privs: running as uid %d, not root: no "
			      "privileges to drop", (int)geteuid());
		return 0;
	}
	if (user == NULL) {
		wp_log_debugx("privs: no user given, staying root");
		return 0;
	}
	if (wp_privs_resolve(user, group, &uid, &gid) == -1)
		return -1;
	bounding_drop(caps, ncaps);
	if (prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) == -1) {
		wp_log_err("privs: prctl(PR_SET_KEEPCAPS)");
		return -1;
	}
	if (setgroups(1, &gid) == -1) {
		wp_log_err("privs: setgroups(%d)", (int)gid);
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		wp_log_err("privs: setresgid(%d)", (int)gid);
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		wp_log_err("privs: setresuid(%d)", (int)uid);
		return -1;
	}
	if (caps_set(caps, ncaps) == -1)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L) == -1) {
		wp_log_err("privs: prctl(PR_SET_KEEPCAPS, 0)");
		return -1;
	}
	if (uid != 0 && setuid(0) == 0) {
		wp_log_errx("privs: could switch back to root after the drop");
		return -1;
	}
	wp_log_info("privs: now uid %d gid %d, keeping %zu capabilities",
		    (int)uid, (int)gid, ncaps);
	return 0;
}

int
wp_privs_have(cap_value_t c)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t cap = cap_get_proc();

	if (cap == NULL)
		return 0;
	if (cap_get_flag(cap, c, CAP_EFFECTIVE, &v) == -1)
		v = CAP_CLEAR;
	cap_free(cap);
	return v == CAP_SET;
}
