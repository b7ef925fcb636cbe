/*
 * wp_mgmt_text: mgmtd's configuration for a daemon whose configuration
 * reader takes CLI text.
 *
 * Such a daemon (bfdd, ospfd) already parses the FRR-syntax file it is
 * given with -f.  Started without -f it is a client of mgmtd instead:
 * for every commit, the JSON of its modules is rendered back into the
 * commands the modules declare (wp_cli, the engine behind `show
 * running-config`) and handed to that same parser.  One reader, one set
 * of checks, whatever the source; a setting added to the module and the
 * parser needs nothing here.
 *
 *	static const struct wp_mgmt_text_cbs cbs = {
 *		.parse = bfd_text_parse,	// text -> conf, or NULL + err
 *		.apply = bfd_text_apply,	// make conf live (owns it)
 *		.free = bfd_text_free,		// forget a prepared conf
 *		.arg = bg,
 *	};
 *	mt = wp_mgmt_text_start(loop, rundir, "bfdd", mods, &cbs);
 *
 * A parser error "NAME:LINE: reason" reaches the user (vtysh, NETCONF)
 * as "reason (in 'the command')": the rendered text is nobody's file.
 */
#ifndef WP_MGMT_TEXT_H
#define WP_MGMT_TEXT_H

#include <stddef.h>

struct wp_cli;
struct wp_loop;
struct wp_mgmt_text;

struct wp_mgmt_text_cbs {
	/* The daemon's configuration from `text`; NULL with err set. */
	void *(*parse)(const char *text, char *err, size_t errlen, void *arg);
	/* Make `conf` live; it is the daemon's from now on. */
	void (*apply)(void *conf, void *arg);
	/* Free a parsed `conf` that was not applied. */
	void (*free)(void *conf, void *arg);
	void *arg;
};

/*
 * Connect to mgmtd in `rundir` as `name`, owning `modules` (NULL-
 * terminated).  NULL (logged) if the YANG modules or their commands
 * cannot be loaded.
 */
struct wp_mgmt_text *wp_mgmt_text_start(struct wp_loop *loop,
					const char *rundir, const char *name,
					const char *const modules[],
					const struct wp_mgmt_text_cbs *cbs);
void wp_mgmt_text_stop(struct wp_mgmt_text *mt);

/*
 * What prepare does, for tests: mgmtd's JSON -> text -> cbs->parse.
 * NULL with the reason in err.
 */
void *wp_mgmt_text_parse_json(const struct wp_cli *cli, const char *json,
			      const struct wp_mgmt_text_cbs *cbs, char *err,
			      size_t errlen);

#endif /* WP_MGMT_TEXT_H */
