/*
 * wp_vty_lib.c: the commands every daemon answers, over lib state only:
 * memory types, event-loop statistics, debug flags, logging, version.
 * Each show command builds one json_object and prints it either as JSON
 * or through a wp_table / a few text lines rendered from it.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wp_json.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_vty_int.h"

/* --- show memory ------------------------------------------------------ */

static void
memory_row(const struct wp_memtype *mt, void *arg)
{
	json_object *row;

	if (mt->total == 0)
		return;
	row = wp_json_array_add_object(arg);
	wp_json_add_str(row, "name", mt->name);
	wp_json_add_uint64(row, "allocations", mt->live);
	wp_json_add_uint64(row, "bytes", mt->bytes);
	wp_json_add_uint64(row, "peakBytes", mt->peak_bytes);
	wp_json_add_uint64(row, "totalAllocations", mt->total);
}

static int
show_memory(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	    bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Memory type", "name", WP_TABLE_LEFT },
		{ "Alloc", "allocations", WP_TABLE_RIGHT },
		{ "Bytes", "bytes", WP_TABLE_RIGHT },
		{ "Peak bytes", "peakBytes", WP_TABLE_RIGHT },
		{ "Total alloc", "totalAllocations", WP_TABLE_RIGHT },
	};
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "types");

	wp_memtype_foreach(memory_row, arr);
	wp_json_array_sort_by(arr, "name");
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]),
		    json);
	return WP_VTY_OK;
}

/* --- show/clear event-loop ---------------------------------------------- */

static void
loop_row(const struct wp_cbstat *s, void *arg)
{
	json_object *row = wp_json_array_add_object(arg);

	wp_json_add_str(row, "name", s->name);
	wp_json_add_uint64(row, "calls", s->calls);
	wp_json_add_uint64(row, "totalUs", s->total_us);
	wp_json_add_uint64(row, "avgUs", s->calls ? s->total_us / s->calls : 0);
	wp_json_add_uint64(row, "maxUs", s->max_us);
	wp_json_add_uint64(row, "lateAvgUs", s->calls ? s->late_sum_us /
								s->calls : 0);
	wp_json_add_uint64(row, "lateMaxUs", s->late_max_us);
	wp_json_add_uint64(row, "lateOver10ms", s->late_10ms);
}

static int
show_event_loop(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Callback", "name", WP_TABLE_LEFT },
		{ "Calls", "calls", WP_TABLE_RIGHT },
		{ "Total us", "totalUs", WP_TABLE_RIGHT },
		{ "Avg us", "avgUs", WP_TABLE_RIGHT },
		{ "Max us", "maxUs", WP_TABLE_RIGHT },
		{ "Late avg", "lateAvgUs", WP_TABLE_RIGHT },
		{ "Late max", "lateMaxUs", WP_TABLE_RIGHT },
		{ "Late >10ms", "lateOver10ms", WP_TABLE_RIGHT },
	};
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "callbacks");

	wp_loop_stats_foreach(wp_vty_ctx_arg(ctx), loop_row, arr);
	wp_json_array_sort_by(arr, "name");
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]),
		    json);
	return WP_VTY_OK;
}

static int
clear_event_loop(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
		 bool json)
{
	wp_loop_stats_clear(wp_vty_ctx_arg(ctx));
	return WP_VTY_OK;
}

/* --- debugging -------------------------------------------------------- */

static void
debug_row(const struct wp_debug *d, void *arg)
{
	json_object *row = wp_json_array_add_object(arg);

	wp_json_add_str(row, "name", d->name);
	wp_json_add_bool(row, "enabled", d->on);
}

static int
show_debugging(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	       bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Debug flag", "name", WP_TABLE_LEFT },
		{ "Enabled", "enabled", WP_TABLE_LEFT },
	};
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "flags");

	wp_debug_foreach(debug_row, arr);
	wp_json_array_sort_by(arr, "name");
	wp_vty_show(ctx, top, arr, cols, sizeof(cols) / sizeof(cols[0]),
		    json);
	return WP_VTY_OK;
}

static int
debug_set(struct wp_vty_cmd_ctx *ctx, const char *name, bool on)
{
	if (wp_debug_set(name, on) == -1) {
		wp_vty_out(ctx, "%% Unknown debug flag \"%s\" (see show "
			   "debugging)\n", name);
		return WP_VTY_WARNING;
	}
	wp_log_info("debug %s %s", name, on ? "enabled" : "disabled");
	return WP_VTY_OK;
}

static int
debug_on(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	return debug_set(ctx, wp_vty_arg(ctx, "WORD"), true);
}

static int
debug_off(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[], bool json)
{
	return debug_set(ctx, wp_vty_arg(ctx, "WORD"), false);
}

/* --- show logging ------------------------------------------------------- */

static const char *
obj_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

static bool
obj_bool(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) &&
	       json_object_get_boolean(v);
}

static int
show_logging(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	unsigned int targets = wp_log_get_targets();
	json_object *top = json_object_new_object();
	const char *file;

	wp_json_add_str(top, "level", wp_log_level_name(wp_log_get_level()));
	wp_json_add_bool(top, "stderr", targets & WP_LOG_TO_STDERR);
	wp_json_add_bool(top, "syslog", targets & WP_LOG_TO_SYSLOG);
	wp_json_add_str(top, "file", (targets & WP_LOG_TO_FILE) ?
				     wp_log_get_file() : NULL);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	file = obj_str(top, "file");
	wp_vty_out(ctx, "Level:  %s\n", obj_str(top, "level"));
	wp_vty_out(ctx, "Stderr: %s\n",
		   obj_bool(top, "stderr") ? "enabled" : "disabled");
	wp_vty_out(ctx, "Syslog: %s\n",
		   obj_bool(top, "syslog") ? "enabled" : "disabled");
	wp_vty_out(ctx, "File:   %s\n", file ? file : "disabled");
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- show version ----------------------------------------------------- */

static int
show_version(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	struct wp_vty *vty = wp_vty_ctx_vty(ctx);
	uint64_t up = (uint64_t)(wp_monotime() - vty->started);
	json_object *top = json_object_new_object();

	wp_json_add_str(top, "daemon", vty->name);
	wp_json_add_str(top, "package", PACKAGE_NAME);
	wp_json_add_str(top, "version", PACKAGE_VERSION);
	wp_json_add_int(top, "pid", (int64_t)getpid());
	wp_json_add_uint64(top, "uptimeSeconds", up);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	wp_vty_out(ctx, "%s (%s) %s\n", obj_str(top, "daemon"),
		   obj_str(top, "package"), obj_str(top, "version"));
	wp_vty_out(ctx, "pid %s, up %" PRIu64 "d%02" PRIu64 "h%02" PRIu64
		   "m%02" PRIu64 "s\n", obj_str(top, "pid"), up / 86400,
		   up / 3600 % 24, up / 60 % 60, up % 60);
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- list --------------------------------------------------------------- */

static void
list_row(const char *tmpl, const char *help, void *arg)
{
	json_object_array_add(arg, json_object_new_string(tmpl));
}

/* Every command this daemon answers, as its template (FRR's `list`). */
static int
list_cmds(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "commands");

	wp_vty_cmd_foreach(wp_vty_ctx_vty(ctx), list_row, arr);
	if (json) {
		wp_vty_json(ctx, top);
		return WP_VTY_OK;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		wp_vty_out(ctx, "  %s\n", json_object_get_string(
					       json_object_array_get_idx(arr, i)));
	json_object_put(top);
	return WP_VTY_OK;
}

/* --- table ------------------------------------------------------------ */

static const struct {
	const char *tmpl;
	const char *help;
	wp_vty_handler fn;
	bool loop_arg;
} lib_cmds[] = {
	{ "show memory [json]",
	  WP_SHOW_STR "Memory statistics by memory type\n" WP_JSON_STR,
	  show_memory, false },
	{ "show event-loop [json]",
	  WP_SHOW_STR "Event loop callback statistics\n" WP_JSON_STR,
	  show_event_loop, true },
	{ "clear event-loop",
	  WP_CLEAR_STR "Reset event loop callback statistics\n",
	  clear_event_loop, true },
	{ "show debugging [json]",
	  WP_SHOW_STR "Debug flags and their state\n" WP_JSON_STR,
	  show_debugging, false },
	{ "debug WORD",
	  WP_DEBUG_STR "Debug flag name, or \"all\"\n",
	  debug_on, false },
	{ "no debug WORD",
	  WP_NO_STR WP_DEBUG_STR "Debug flag name, or \"all\"\n",
	  debug_off, false },
	{ "show logging [json]",
	  WP_SHOW_STR "Logging level and targets\n" WP_JSON_STR,
	  show_logging, false },
	{ "show version [json]",
	  WP_SHOW_STR "Daemon name, version and uptime\n" WP_JSON_STR,
	  show_version, false },
	{ "list [json]",
	  "Every command this daemon answers\n" WP_JSON_STR,
	  list_cmds, false },
};

int
wp_vty_install_lib_cmds(struct wp_vty *vty, struct wp_loop *loop)
{
	for (size_t i = 0; i < sizeof(lib_cmds) / sizeof(lib_cmds[0]); i++) {
		void *arg = lib_cmds[i].loop_arg ? loop : NULL;

		if (wp_vty_install_arg(vty, lib_cmds[i].tmpl, lib_cmds[i].help,
				       lib_cmds[i].fn, arg) == -1)
			return -1;
	}
	return 0;
}
