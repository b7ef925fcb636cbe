/*
 * mgmt_history.c: the last WP_MGMT_HISTORY_MAX commits, in memory and
 * under the state directory.
 *
 * Each commit is one file, <state_dir>/commit-NNNNNNNN.json, written
 * atomically: who made it, when, the comment, the diff against the
 * previous running configuration and the whole configuration after it
 * (what `rollback N` loads).  Entry 0 is the newest; its configuration is
 * the running one.  At start-up the files are read back, the newest 50
 * kept and the rest removed; ids continue from the highest.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mgmtd.h"
#include "wp_json.h"

#define FILE_FMT	"commit-%08u.json"

static void
commit_free(struct mgmt_commit *c)
{
	wp_free(MT_MGMT, c->comment);
	wp_free(MT_MGMT_TEXT, c->diff);
	wp_free(MT_MGMT_TEXT, c->config);
	wp_free(MT_MGMT, c);
}

static void
commit_path(const struct mgmt *m, uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/" FILE_FMT, m->state_dir, id);
}

static void
time_iso(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A record as JSON; with the diff and the configuration if `full`. */
static json_object *
commit_json(const struct mgmt_commit *c, bool full)
{
	json_object *o = json_object_new_object();
	char when[32];

	time_iso(c->when, when, sizeof(when));
	wp_json_add_uint64(o, "id", c->id);
	wp_json_add_str(o, "time", when);
	wp_json_add_int(o, "timestamp", (int64_t)c->when);
	wp_json_add_str(o, "user", c->who.user);
	wp_json_add_str(o, "client", c->who.client);
	wp_json_add_int(o, "uid", (int64_t)(int)c->who.uid);
	wp_json_add_int(o, "pid", (int64_t)c->who.pid);
	wp_json_add_uint64(o, "session", c->who.session);
	wp_json_add_str(o, "comment", c->comment);
	wp_json_add_uint64(o, "changes", c->nchanges);
	if (full) {
		json_object *d = json_tokener_parse(c->diff);
		json_object *cfg = json_tokener_parse(c->config);

		json_object_object_add(o, "diff",
				       d ? d : json_object_new_object());
		json_object_object_add(o, "config",
				       cfg ? cfg : json_object_new_object());
	}
	return o;
}

json_object *
mgmt_commit_json(const struct mgmt_commit *c)
{
	return commit_json(c, true);
}

static void
commit_save(struct mgmt *m, const struct mgmt_commit *c)
{
	json_object *o;
	const char *text;
	char path[4096], err[256];

	if (m->state_dir == NULL)
		return;
	commit_path(m, c->id, path, sizeof(path));
	o = commit_json(c, true);
	text = wp_json_to_string(o, true);
	if (mgmt_file_write_atomic(path, text, strlen(text), 0, err,
				   sizeof(err)) == -1)
		wp_log_warnx("mgmtd: history: %s", err);
	json_object_put(o);
}

/* Drop the oldest entries beyond the limit, files included. */
static void
history_trim(struct mgmt *m)
{
	char path[4096];

	while (m->nhistory > WP_MGMT_HISTORY_MAX) {
		struct mgmt_commit *c = TAILQ_LAST(&m->history,
						   mgmt_commit_list);

		TAILQ_REMOVE(&m->history, c, entry);
		m->nhistory--;
		if (m->state_dir) {
			commit_path(m, c->id, path, sizeof(path));
			if (unlink(path) == -1 && errno != ENOENT)
				wp_log_warn("mgmtd: unlink %s", path);
		}
		commit_free(c);
	}
}

uint32_t
mgmt_history_add(struct mgmt *m, const struct mgmt_who *who,
		 const char *comment, const struct lyd_node *diff,
		 const struct lyd_node *config)
{
	struct mgmt_commit *c = wp_calloc(MT_MGMT, sizeof(*c));
	char *txt;

	c->id = m->next_commit++;
	c->when = time(NULL);
	c->who = *who;
	c->comment = wp_strdup(MT_MGMT, comment ? comment : "");
	c->diff = mgmt_ds_print(diff, LYD_JSON, false);
	c->config = mgmt_ds_print(config, LYD_JSON, false);
	txt = mgmt_ds_diff_text(diff, &c->nchanges);
	wp_free(MT_MGMT_TEXT, txt);
	TAILQ_INSERT_HEAD(&m->history, c, entry);
	m->nhistory++;
	commit_save(m, c);
	history_trim(m);
	return c->id;
}

struct mgmt_commit *
mgmt_history_get(struct mgmt *m, uint32_t index)
{
	struct mgmt_commit *c;

	TAILQ_FOREACH(c, &m->history, entry)
		if (index-- == 0)
			return c;
	return NULL;
}

void
mgmt_history_free(struct mgmt *m)
{
	struct mgmt_commit *c;

	while ((c = TAILQ_FIRST(&m->history)) != NULL) {
		TAILQ_REMOVE(&m->history, c, entry);
		commit_free(c);
	}
	m->nhistory = 0;
}

/* --- loading ------------------------------------------------------------- */

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

static int64_t
jint(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_int64(v);
}

static char *
jtext(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return wp_strdup(MT_MGMT_TEXT, "{}\n");
	return wp_strdup(MT_MGMT_TEXT, json_object_to_json_string_ext(v,
			 JSON_C_TO_STRING_PRETTY |
			 JSON_C_TO_STRING_SPACED));
}

static struct mgmt_commit *
commit_load(const char *path)
{
	json_object *o = json_object_from_file(path);
	struct mgmt_commit *c;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    jint(o, "id") <= 0) {
		wp_log_warnx("mgmtd: history: %s does not parse, ignored",
			     path);
		json_object_put(o);
		return NULL;
	}
	c = wp_calloc(MT_MGMT, sizeof(*c));
	c->id = (uint32_t)jint(o, "id");
	c->when = (time_t)jint(o, "timestamp");
	snprintf(c->who.user, sizeof(c->who.user), "%s", jstr(o, "user"));
	snprintf(c->who.client, sizeof(c->who.client), "%s",
		 jstr(o, "client"));
	c->who.uid = (uid_t)jint(o, "uid");
	c->who.pid = (pid_t)jint(o, "pid");
	c->who.session = (uint64_t)jint(o, "session");
	c->comment = wp_strdup(MT_MGMT, jstr(o, "comment"));
	c->nchanges = (uint32_t)jint(o, "changes");
	c->diff = jtext(o, "diff");
	c->config = jtext(o, "config");
	json_object_put(o);
	return c;
}

static int
id_cmp_desc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

int
mgmt_history_load(struct mgmt *m)
{
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	char path[4096];
	DIR *dir;

	m->next_commit = 1;
	if (m->state_dir == NULL)
		return 0;
	if (mgmt_mkdir_p(m->state_dir, 0750) == -1) {
		wp_log_warn("mgmtd: state directory %s: history kept in "
			    "memory only", m->state_dir);
		wp_free(MT_MGMT, m->state_dir);
		m->state_dir = NULL;
		return -1;
	}
	if ((dir = opendir(m->state_dir)) == NULL) {
		wp_log_warn("mgmtd: %s", m->state_dir);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		unsigned int id;
		char tail;

		if (sscanf(de->d_name, "commit-%8u.jso%c", &id, &tail) != 2 ||
		    tail != 'n' || strlen(de->d_name) != 20 || id == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = wp_realloc(MT_TMP, ids, cap * sizeof(*ids));
		}
		ids[n++] = id;
	}
	closedir(dir);
	if (n > 0)
		qsort(ids, n, sizeof(*ids), id_cmp_desc);
	for (size_t i = 0; i < n; i++) {
		struct mgmt_commit *c;

		commit_path(m, ids[i], path, sizeof(path));
		if (i >= WP_MGMT_HISTORY_MAX) {
			unlink(path);
			continue;
		}
		if ((c = commit_load(path)) == NULL)
			continue;
		TAILQ_INSERT_TAIL(&m->history, c, entry);
		m->nhistory++;
	}
	if (n > 0)
		m->next_commit = ids[0] + 1;
	wp_free(MT_TMP, ids);
	if (m->nhistory)
		wp_log_info("mgmtd: %zu commits in the history (%s)",
			    m->nhistory, m->state_dir);
	return 0;
}

/* --- output -------------------------------------------------------------- */

json_object *
mgmt_history_json(struct mgmt *m)
{
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "commits");
	struct mgmt_commit *c;
	uint32_t index = 0;

	TAILQ_FOREACH(c, &m->history, entry) {
		json_object *o = commit_json(c, false);

		wp_json_add_uint64(o, "index", index++);
		json_object_array_add(arr, o);
	}
	return top;
}

char *
mgmt_history_text(struct mgmt *m)
{
	static const struct wp_table_col cols[] = {
		{ "Index", "index", WP_TABLE_RIGHT },
		{ "Commit", "id", WP_TABLE_RIGHT },
		{ "Time (UTC)", "time", WP_TABLE_LEFT },
		{ "User", "user", WP_TABLE_LEFT },
		{ "Client", "client", WP_TABLE_LEFT },
		{ "Changes", "changes", WP_TABLE_RIGHT },
		{ "Comment", "comment", WP_TABLE_LEFT },
	};
	json_object *top = mgmt_history_json(m), *arr;
	char *s, *out;

	json_object_object_get_ex(top, "commits", &arr);
	s = wp_table_render_json(cols, sizeof(cols) / sizeof(cols[0]), arr);
	out = wp_strdup(MT_MGMT_TEXT, s);
	wp_free(MT_STRING, s);
	json_object_put(top);
	return out;
}
