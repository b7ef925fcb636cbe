/*
 * mgmt_file.c: configuration files.  The startup configuration is read at
 * start; `write memory` saves the running one; both go through here.
 *
 * Saving is atomic, so that a crash (or kill -9) at any moment leaves a
 * complete file, old or new, under the configured name:
 *
 *	1. write .NAME.tmp in the same directory, fsync it
 *	2. link NAME to NAME.bak.tmp, rename that over NAME.bak
 *	   (the previous version, itself replaced atomically)
 *	3. rename .NAME.tmp over NAME
 *	4. fsync the directory, so the renames are on disk
 *
 * For the crash tests, WP_MGMT_TEST_CRASH_AT=N makes write memory kill
 * mgmtd with SIGKILL at point N of the write (1: half the data written,
 * 2: all written, 3: synced, 4: backup made, 5: renamed, 6: done).
 *
 * Formats by file name: .json (RFC 7951), .xml (RFC 7950 XML), and .conf
 * (CLI text, FRR-like), read and written by the CLI engine (lib/wp_cli)
 * through mgmt_load_cli_text() and mgmt_render_cli_text().
 *
 * A startup file with any error is refused whole: mgmtd starts with an
 * empty running configuration and logs every error with FILE:LINE.
 * FRR would start with the lines it understood; a commit in Waypoint
 * either applies whole or changes nothing, and booting half a
 * configuration (the filters without the interfaces they protect) is the
 * same hazard.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mgmtd.h"
#include "wp_cli.h"

#define CRASH_ENV	"WP_MGMT_TEST_CRASH_AT"

/* Crash points of mgmt_file_write_atomic(), for the tests. */
enum {
	CRASH_HALF_WRITTEN = 1,
	CRASH_WRITTEN,
	CRASH_SYNCED,
	CRASH_BACKED_UP,
	CRASH_RENAMED,
	CRASH_DONE,
};

static void
crash_point(unsigned int flags, int step)
{
	const char *env;

	if (!(flags & MGMT_WRITE_CRASH_HOOK))
		return;
	if ((env = getenv(CRASH_ENV)) != NULL && atoi(env) == step)
		raise(SIGKILL);
}

int
mgmt_mkdir_p(const char *path, mode_t mode)
{
	char *p = wp_strdup(MT_TMP, path);
	int rc = 0;

	for (char *s = p + 1; rc == 0; s++) {
		bool last = (*s == '\0');

		if (*s != '/' && !last)
			continue;
		*s = '\0';
		if (mkdir(p, mode) == -1 && errno != EEXIST)
			rc = -1;
		if (last)
			break;
		*s = '/';
	}
	wp_free(MT_TMP, p);
	return rc;
}

char *
mgmt_file_read(const char *path, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	buf = wp_malloc(MT_MGMT_TEXT, cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = wp_realloc(MT_MGMT_TEXT, buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n == -1) {
		wp_free(MT_MGMT_TEXT, buf);
		return NULL;
	}
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static int
write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
dir_sync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Replace `path` with `data` atomically (see the top of the file), the
 * previous version kept as PATH.bak with MGMT_WRITE_BACKUP; the test
 * crash points are live with MGMT_WRITE_CRASH_HOOK.  -1 with the reason
 * in `err`; `path` is then untouched.
 */
int
mgmt_file_write_atomic(const char *path, const char *data, size_t len,
		       unsigned int flags, char *err, size_t errlen)
{
	char *dcopy = wp_strdup(MT_TMP, path), *bcopy = wp_strdup(MT_TMP, path);
	char *dir = dirname(dcopy), *base = basename(bcopy);
	char tmp[4096], bak[4096], baktmp[4096];
	int fd, rc = -1;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, base);
	snprintf(bak, sizeof(bak), "%s.bak", path);
	snprintf(baktmp, sizeof(baktmp), "%s.bak.tmp", path);

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		goto out_free;
	}
	if (write_all(fd, data, len / 2) == -1)
		goto out_write_err;
	crash_point(flags, CRASH_HALF_WRITTEN);
	if (write_all(fd, data + len / 2, len - len / 2) == -1)
		goto out_write_err;
	crash_point(flags, CRASH_WRITTEN);
	if (fsync(fd) == -1)
		goto out_write_err;
	close(fd);
	fd = -1;
	crash_point(flags, CRASH_SYNCED);

	if ((flags & MGMT_WRITE_BACKUP) && access(path, F_OK) == 0) {
		unlink(baktmp);
		if (link(path, baktmp) == -1 || rename(baktmp, bak) == -1) {
			wp_log_warn("mgmtd: cannot keep %s as %s", path, bak);
			unlink(baktmp);
		}
	}
	crash_point(flags, CRASH_BACKED_UP);
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "rename %s to %s: %s", tmp, path,
			 strerror(errno));
		unlink(tmp);
		goto out_free;
	}
	crash_point(flags, CRASH_RENAMED);
	if (dir_sync(dir) == -1)
		wp_log_warn("mgmtd: fsync %s", dir);
	crash_point(flags, CRASH_DONE);
	rc = 0;
	goto out_free;

out_write_err:
	snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
	close(fd);
	unlink(tmp);
out_free:
	wp_free(MT_TMP, dcopy);
	wp_free(MT_TMP, bcopy);
	return rc;
}

/* --- CLI text: the CLI engine ------------------------------------------- */

/*
 * The engine says "FILE:LINE: % what"; a session prints "% " before our
 * message itself, so drop the engine's.
 */
static void
cli_err_set(struct mgmt_err *e, const char *text)
{
	size_t o = 0;

	e->status = WP_MGMT_ST_INVALID;
	e->xpath[0] = '\0';
	for (const char *p = text; *p && o + 1 < sizeof(e->msg); p++) {
		if (p[0] == '%' && p[1] == ' ' &&
		    (p == text || p[-1] == '\n' || p[-1] == ' ')) {
			p++;
			continue;
		}
		e->msg[o++] = *p;
	}
	e->msg[o] = '\0';
}

/*
 * CLI text (waypoint.conf, FRR-like) -> a validated YANG data tree.  Any
 * error fails the whole text; e->msg then has one line per error, each
 * "SOURCE:LINE: what is wrong".  ENOTSUP when the engine could not be
 * built from the loaded modules.
 */
int
mgmt_load_cli_text(struct mgmt *m, const char *text, const char *source,
		   struct lyd_node **tree, struct mgmt_err *e)
{
	char *err = NULL;

	*tree = NULL;
	if (m->cli == NULL) {
		errno = ENOTSUP;
		mgmt_err_set(e, WP_MGMT_ST_UNSUPPORTED, NULL,
			     "%s: the YANG modules loaded declare no CLI "
			     "syntax: use YANG JSON or XML",
			     source && source[0] ? source : "(text)");
		return -1;
	}
	if (wp_cli_load_text(m->cli, text, source && source[0] ? source :
			     "(text)", tree, &err) == -1) {
		cli_err_set(e, err ? err : "invalid configuration text");
		wp_free(MT_STRING, err);
		return -1;
	}
	return 0;
}

/*
 * A YANG data tree -> CLI text (`show running-config`, write memory to a
 * .conf); the same tree always gives the same bytes, and they load back
 * into the same tree.  That is checked: a tree holding data no command
 * can express (a module without CLI syntax) is not rendered, since the
 * text would silently lose it; NULL with ENOTSUP then, as without an
 * engine, and the callers fall back to JSON.
 */
char *
mgmt_render_cli_text(struct mgmt *m, const struct lyd_node *tree,
		     struct mgmt_err *e)
{
	struct lyd_node *back = NULL;
	char *s, *text = NULL, *err = NULL;

	if (m->cli == NULL) {
		errno = ENOTSUP;
		mgmt_err_set(e, WP_MGMT_ST_UNSUPPORTED, NULL,
			     "the YANG modules loaded declare no CLI syntax: "
			     "ask for JSON or XML");
		return NULL;
	}
	s = wp_cli_render(m->cli, tree ? lyd_first_sibling(tree) : NULL,
			  NULL);
	if (wp_cli_load_text(m->cli, s, "(rendered)", &back, &err) == 0 &&
	    mgmt_ds_equal(back, tree)) {
		text = wp_strdup(MT_MGMT_TEXT, s);
	} else {
		errno = ENOTSUP;
		mgmt_err_set(e, WP_MGMT_ST_UNSUPPORTED, NULL,
			     "the configuration holds settings that have no "
			     "command syntax: ask for JSON or XML");
		if (err)
			wp_log_warnx("mgmtd: rendered configuration does not "
				     "load back: %s", err);
	}
	lyd_free_all(back);
	wp_free(MT_STRING, err);
	wp_free(MT_STRING, s);
	return text;
}

/* --- startup configuration ----------------------------------------------- */

static bool
has_ext(const char *path, const char *ext)
{
	size_t l = strlen(path), e = strlen(ext);

	return l > e && strcmp(path + l - e, ext) == 0;
}

/* PATH with its extension replaced by `ext` (MT_MGMT). */
static char *
sibling(const char *path, const char *ext)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	size_t stem = (dot && (!slash || dot > slash)) ? (size_t)(dot - path) :
			strlen(path);
	char *s = wp_malloc(MT_MGMT, stem + strlen(ext) + 1);

	memcpy(s, path, stem);
	strcpy(s + stem, ext);
	return s;
}

/* Parse one file into a validated tree. */
static int
startup_parse(struct mgmt *m, const char *path, struct lyd_node **tree,
	      struct mgmt_err *e)
{
	char *text = mgmt_file_read(path, NULL);
	int rc;

	*tree = NULL;
	if (text == NULL) {
		mgmt_err_set(e, WP_MGMT_ST_FAILED, NULL, "%s: %s", path,
			     strerror(errno));
		return -1;
	}
	if (has_ext(path, ".conf"))
		rc = mgmt_load_cli_text(m, text, path, tree, e);
	else
		rc = mgmt_ds_parse(m, text, has_ext(path, ".xml") ? LYD_XML :
				   LYD_JSON, path, tree, e);
	wp_free(MT_MGMT_TEXT, text);
	if (rc == 0 && mgmt_ds_validate(m, tree, e) == -1) {
		mgmt_err_prefix(e, path, ": ");
		rc = -1;
	}
	if (rc == -1) {
		lyd_free_all(*tree);
		*tree = NULL;
	}
	return rc;
}

/* Every line of the error, then what it means for the user. */
static void
startup_log_errors(const char *path, const char *msg)
{
	unsigned int n = 0;

	for (const char *p = msg; *p;) {
		size_t len = strcspn(p, "\n");

		wp_log_errx("mgmtd: startup configuration: %.*s", (int)len, p);
		n++;
		p += len + (p[len] == '\n');
	}
	wp_log_errx("mgmtd: startup configuration %s REFUSED (%u error%s): "
		    "nothing of it is applied, the running configuration is "
		    "empty; fix the file and restart, or load it from vtysh",
		    path, n, n == 1 ? "" : "s");
}

/*
 * Load the startup configuration into running.  The configured file is
 * tried first; a .conf that cannot be read as CLI text gives way to the
 * .json and .xml next to it; when none of them exists, their .bak (a
 * file removed by hand, its backup kept).  Nothing found: empty, and 0.
 * A file that exists but fails: -1, running stays empty, and the error
 * is kept for `show mgmt` (the file itself is left alone).
 */
int
mgmt_startup_load(struct mgmt *m, struct mgmt_err *e)
{
	char *paths[6];
	size_t n = 0, nmain;
	struct lyd_node *tree;
	bool tried = false;
	int rc = 0;

	if (m->startup_file == NULL)
		return 0;
	paths[n++] = wp_strdup(MT_MGMT, m->startup_file);
	if (has_ext(m->startup_file, ".conf")) {
		paths[n++] = sibling(m->startup_file, ".json");
		paths[n++] = sibling(m->startup_file, ".xml");
	}
	nmain = n;
	for (size_t i = 0; i < nmain; i++) {
		paths[n] = wp_malloc(MT_MGMT, strlen(paths[i]) + 5);
		sprintf(paths[n++], "%s.bak", paths[i]);
	}
	for (size_t i = 0; i < n; i++) {
		/* A backup only stands in when no main file exists. */
		if ((i >= nmain && tried) || access(paths[i], F_OK) == -1)
			continue;
		tried = true;
		if (startup_parse(m, paths[i], &tree, e) == 0) {
			if (i > 0)
				wp_log_warnx("mgmtd: startup configuration "
					     "read from %s instead of %s",
					     paths[i], m->startup_file);
			wp_log_info("mgmtd: startup configuration loaded "
				    "from %s", paths[i]);
			mgmt_running_set(m, tree);
			m->loaded_from = paths[i];
			paths[i] = NULL;
			rc = 0;
			break;
		}
		startup_log_errors(paths[i], e->msg);
		rc = -1;
		/* Only "cannot read this format" moves on to the next. */
		if (e->status != WP_MGMT_ST_UNSUPPORTED)
			break;
	}
	for (size_t i = 0; i < n; i++)
		wp_free(MT_MGMT, paths[i]);
	if (!tried)
		wp_log_info("mgmtd: no startup configuration at %s; starting "
			    "empty", m->startup_file);
	if (rc == -1)
		snprintf(m->startup_error, sizeof(m->startup_error), "%s",
			 e->msg);
	return rc;
}

/* --- write memory -------------------------------------------------------- */

int
mgmt_write_memory(struct mgmt *m, struct mgmt_err *e, char **written)
{
	const char *target = m->loaded_from ? m->loaded_from :
			     m->startup_file;
	char *path, *text, err[512];
	int rc;

	*written = NULL;
	if (target == NULL) {
		mgmt_err_set(e, WP_MGMT_ST_FAILED, NULL,
			     "no startup configuration file is set (-f)");
		return -1;
	}
	if (has_ext(target, ".bak"))
		target = m->startup_file;
	path = wp_strdup(MT_MGMT, target);
	if (has_ext(path, ".conf")) {
		text = mgmt_render_cli_text(m, m->running, e);
		if (text == NULL) {
			/* No CLI engine: save YANG JSON next to it. */
			wp_free(MT_MGMT, path);
			path = sibling(target, ".json");
			text = mgmt_ds_print(m->running, LYD_JSON, false);
		}
	} else {
		text = mgmt_ds_print(m->running, has_ext(path, ".xml") ?
				     LYD_XML : LYD_JSON, false);
	}
	rc = mgmt_file_write_atomic(path, text, strlen(text),
				    MGMT_WRITE_BACKUP | MGMT_WRITE_CRASH_HOOK,
				    err, sizeof(err));
	wp_free(MT_MGMT_TEXT, text);
	if (rc == -1) {
		mgmt_err_set(e, WP_MGMT_ST_FAILED, NULL,
			     "cannot save the configuration: %s", err);
		wp_free(MT_MGMT, path);
		return -1;
	}
	*written = path;
	return 0;
}
