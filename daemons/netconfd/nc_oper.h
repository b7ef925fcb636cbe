/*
 * nc_oper.h: operational state for <get> (RFC 6241 §7.7), from the
 * daemons' show ... json to the config false nodes of their YANG
 * modules.  Pure: the text comes in, a libyang tree goes out; asking the
 * daemons is nc_rpc.c's.
 */
#ifndef NC_OPER_H
#define NC_OPER_H

#include <stdbool.h>
#include <stddef.h>

#include <libyang/libyang.h>

struct ncd_oper_conv;

/* One show command and the state subtree it fills. */
struct ncd_oper_src {
	const char *daemon;		/* answers on <rundir>/<daemon>.vty */
	const char *command;		/* "show interface json" */
	const char *module;		/* module of the subtree's top node */
	const char *const *path;	/* schema node names down to the
					 * subtree, NULL-terminated */
	int (*convert)(struct ncd_oper_conv *c, void *json);
	/* Optional: a narrower command when the filter has a content
	 * match on leaf `match_leaf` of the entries at `match_path` (see
	 * ncd_oper_command()), given the match's value, valid for the
	 * leaf's type and canonical; -1 from narrow: nothing to ask. */
	const char *const *match_path;
	const char *match_leaf;
	int (*narrow)(const char *value, char *cmd, size_t len);
};

extern const struct ncd_oper_src ncd_oper_srcs[];
extern const size_t ncd_oper_nsrcs;

/*
 * Add the state in `json` (the output of src->command) to *tree (may
 * start NULL; siblings at the top).  A value or an entry the schema
 * refuses is left out and counted in *dropped, the first such problem
 * described in err.  -1 when the text is not a JSON object.
 */
int ncd_oper_convert(struct ly_ctx *ctx, const struct ncd_oper_src *src,
		     const char *json, struct lyd_node **tree,
		     size_t *dropped, char *err, size_t errlen);

/*
 * Does a subtree filter (its first top-level sibling; NULL: no filter,
 * everything is wanted) select anything in src's subtree?
 */
bool ncd_oper_wanted(struct ly_ctx *ctx, const struct lyd_node *filter,
		     const struct ncd_oper_src *src);

/*
 * The command to run for src under the filter (NULL: none) in `cmd`:
 * src->command, or one that asks for less when a content match of the
 * filter allows (show ip route PREFIX json for one route).  0, or -1
 * when the source can select nothing under this filter.
 */
int ncd_oper_command(struct ly_ctx *ctx, const struct lyd_node *filter,
		     const struct ncd_oper_src *src, char *cmd, size_t len);

#endif /* NC_OPER_H */
