/*
 * wpexampled: the smallest daemon on wp_daemon_main(), the skeleton every
 * protocol daemon copies and what the daemon tests drive.  It keeps a
 * table of three made-up items, counts timer ticks against them and
 * answers `show example [json]` from one json_object.
 */
#include "config.h"

#include <inttypes.h>

#include "wp_daemon.h"
#include "wp_json.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_vty.h"

WP_DEBUG_DEFINE(DBG_EXAMPLE, "example");

struct example_item {
	const char *name;
	const char *state;
	uint64_t hits;
};

struct example {
	struct wp_timer tick_timer;
	struct example_item items[3];
};

static struct example example = {
	.items = { { "alpha", "up", 0 }, { "beta", "down", 0 },
		   { "gamma", "up", 0 } },
};

static void
example_tick(struct wp_timer *t)
{
	struct example *ex = container_of(t, struct example, tick_timer);

	for (size_t i = 0; i < 3; i++)
		if (ex->items[i].state[0] == 'u')
			ex->items[i].hits++;
	wp_debug(DBG_EXAMPLE, "tick: alpha has %" PRIu64 " hits",
		 ex->items[0].hits);
}

static int
show_example(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	     bool json)
{
	static const struct wp_table_col cols[] = {
		{ "Name", "name", WP_TABLE_LEFT },
		{ "State", "state", WP_TABLE_LEFT },
		{ "Hits", "hits", WP_TABLE_RIGHT },
	};
	struct example *ex = wp_vty_ctx_arg(ctx);
	json_object *top = json_object_new_object();
	json_object *arr = wp_json_add_array(top, "items");

	for (size_t i = 0; i < 3; i++) {
		json_object *row = wp_json_array_add_object(arr);

		wp_json_add_str(row, "name", ex->items[i].name);
		wp_json_add_str(row, "state", ex->items[i].state);
		wp_json_add_uint64(row, "hits", ex->items[i].hits);
	}
	wp_vty_show(ctx, top, arr, cols, 3, json);
	return WP_VTY_OK;
}

static int
example_vty_install(struct wp_vty *vty, void *arg)
{
	return wp_vty_install_arg(vty, "show example [json]",
				  WP_SHOW_STR "Example items\n" WP_JSON_STR,
				  show_example, arg);
}

static int
example_init(struct wp_loop *loop, const struct wp_daemon_opts *opts,
	     void *arg)
{
	struct example *ex = arg;

	wp_timer_init(loop, &ex->tick_timer, "example tick", example_tick);
	wp_timer_start_periodic(&ex->tick_timer, 1.0, 0.1);
	return 0;
}

static void
example_shutdown(struct wp_loop *loop, void *arg)
{
	struct example *ex = arg;

	wp_timer_stop(&ex->tick_timer);
}

static const struct wp_daemon_desc example_desc = {
	.name = "wpexampled",
	.config_file = SYSCONFDIR "/waypoint/wpexampled.conf",
	.arg = &example,
	.vty_install = example_vty_install,
	.init = example_init,
	.shutdown = example_shutdown,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&example_desc, argc, argv);
}
