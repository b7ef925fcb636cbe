/*
 * wp_cli: the configuration shell's grammar, read from the waypoint-cli
 * extensions of the loaded YANG modules; CLI text in, YANG data out, and
 * the way back.  vtysh and mgmtd share it; doc/developer/cli-engine.md
 * is the manual.
 *
 *	struct wp_cli *cli;
 *	struct lyd_node *tree;
 *	char *err, *text;
 *
 *	if ((cli = wp_cli_new(ctx, &err)) == NULL) ...
 *	if (wp_cli_load_text(cli, conf, "r1.conf", &tree, &err) == -1)
 *		printf("%s\n", err);	// "r1.conf:12: % Invalid input ..."
 *	text = wp_cli_render(cli, tree, NULL);	// show running-config
 *
 * Interactive use (vtysh; mgmtd on vtysh's behalf) goes one line at a
 * time.  A position is the stack of modes the session is in, each with
 * the data path of the instance it edits.  wp_cli_exec() matches a line
 * in the current mode (falling back to the enclosing modes, as FRR does),
 * moves the position when the line enters or leaves a mode, and returns
 * the edits the line makes.  wp_cli_apply() carries edits out on a tree.
 *
 *	struct wp_cli_pos pos;
 *	struct wp_cli_result res;
 *
 *	wp_cli_pos_init(cli, &pos);
 *	rc = wp_cli_exec(cli, &pos, "router bgp 65001", &res);
 *	// res.edits: merge /waypoint-bgp:bgp/instance[as='65001']
 *	// wp_cli_pos_prompt(&pos): "config-router"
 *	wp_cli_result_clear(&res);
 *
 * Error messages start with "% " and name the word at fault and why:
 *	% Invalid input at 'remot-as': did you mean 'remote-as'?
 *	% 10.0.0.300 is not a valid IPv4 address: IPv4 octet 300 exceeds 255
 *	% Ambiguous command: 'ro' may be route-map, router
 *
 * Strings returned are released with wp_free(MT_STRING, s).
 */
#ifndef WP_CLI_H
#define WP_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <libyang/libyang.h>

struct wp_cli;
struct wp_cli_mode;

/* Status of a line; the numbers are wp_vty's (enum wp_vty_status). */
enum wp_cli_status {
	WP_CLI_OK = 0,
	WP_CLI_ERR_NO_MATCH = 2,	/* unknown word or invalid value */
	WP_CLI_ERR_INCOMPLETE = 3,	/* incomplete or ambiguous */
	WP_CLI_ERR_FAILED = 4,		/* refused by the data model */
};

/*
 * Build the command tree from every implemented module of `ctx`.  Fails
 * (NULL, *err set) on a malformed template, a reference to no leaf, a
 * key a command cannot set, a keyword without help, or two commands of
 * one mode with the same form.  `ctx` must outlive the result.
 */
struct wp_cli *wp_cli_new(struct ly_ctx *ctx, char **err);
void wp_cli_free(struct wp_cli *cli);
struct ly_ctx *wp_cli_ctx(const struct wp_cli *cli);

/* --- position ------------------------------------------------------- */

#define WP_CLI_DEPTH_MAX	8

struct wp_cli_frame {
	const struct wp_cli_mode *mode;
	char *xpath;			/* instance edited; "" at the root */
};

struct wp_cli_pos {
	size_t depth;			/* 0: configuration root */
	struct wp_cli_frame frame[WP_CLI_DEPTH_MAX + 1];
};

/* At the configuration root. */
void wp_cli_pos_init(const struct wp_cli *cli, struct wp_cli_pos *pos);
/* Release the paths; the position is back at the root. */
void wp_cli_pos_clear(struct wp_cli_pos *pos);
/*
 * Position at the mode of the data instance `xpath` (as in a frame):
 * "/waypoint-bgp:bgp/instance[as='1']/address-family[afi='ipv4']
 * [safi='unicast']" gives the stack config, config-router,
 * config-router-af.  "" is the root.  -1 (*err set) if no mode edits
 * that path.
 */
int wp_cli_pos_set(const struct wp_cli *cli, struct wp_cli_pos *pos,
		   const char *xpath, char **err);
/* Prompt suffix of the current mode: "config", "config-if", ... */
const char *wp_cli_pos_prompt(const struct wp_cli_pos *pos);
/* Data path of the current mode's instance; "" at the root. */
const char *wp_cli_pos_xpath(const struct wp_cli_pos *pos);

/* --- one line ------------------------------------------------------- */

/* The values are mgmt.proto's EditOp, and mean the same. */
enum wp_cli_op {
	WP_CLI_OP_MERGE = 0,		/* create or update */
	WP_CLI_OP_CREATE = 1,		/* must not exist yet */
	WP_CLI_OP_REMOVE = 4,		/* delete if present */
};

struct wp_cli_edit {
	enum wp_cli_op op;
	char *xpath;
	char *value;			/* leaf value; NULL otherwise */
	/*
	 * REMOVE: how many ancestors may go too, nearest first, each only
	 * if nothing but its keys is left (FRR drops a prefix list with
	 * its last entry).
	 */
	unsigned int prune;
};

/* What wp_cli_exec() did to the position. */
#define WP_CLI_ENTERED	0x01	/* entered a sub-mode */
#define WP_CLI_EXITED	0x02	/* left one or more modes */
#define WP_CLI_LEAVE	0x04	/* 'end', or 'exit' at the root: the shell
				   leaves configuration mode */

struct wp_cli_result {
	struct wp_cli_edit *edits;
	size_t nedits;
	unsigned int flags;
	char *msg;			/* "% ..." when the status is not OK */
	size_t word;			/* index of the word at fault */
};

/*
 * Run one line at `pos`.  Blank lines and comments ('!', '#') do
 * nothing.  On WP_CLI_OK the position has moved as the line says and
 * res->edits are the changes; otherwise res->msg says why and nothing
 * moved.  Always clear `res` afterwards.
 */
int wp_cli_exec(const struct wp_cli *cli, struct wp_cli_pos *pos,
		const char *line, struct wp_cli_result *res);
void wp_cli_result_clear(struct wp_cli_result *res);

/*
 * A line that leaves out a key declared wpcli:auto-increment STEP (`ip
 * prefix-list NAME permit ...` without `seq`) has its edits numbered
 * here: the next multiple of STEP above the highest key of the list's
 * instances in `tree` (the configuration the edits go to; NULL: empty),
 * as FRR numbers them.  wp_cli_exec() cannot, not knowing the tree.
 * -1 with *err ("% ...") if no number is left; 0 otherwise, also when
 * there was nothing to number.  (A 'no' line must give the key.)
 */
bool wp_cli_result_auto(const struct wp_cli_result *res);
int wp_cli_resolve_auto(const struct wp_cli *cli, const struct lyd_node *tree,
			struct wp_cli_result *res, char **err);

/*
 * Apply edits to *tree (which may start NULL and may change).  On -1,
 * *err names the edit; the edits before it stay applied.  No validation:
 * call wp_yang_validate() when the batch is complete.
 */
int wp_cli_apply(const struct wp_cli *cli, struct lyd_node **tree,
		 const struct wp_cli_edit *edits, size_t n, char **err);

/*
 * Candidates for the word after `line` in the current mode (completing
 * its last word when `line` does not end in a blank), sorted:
 * fn(word, help) for keywords and values ("A.B.C.D", "(1-65535)",
 * "NAME"), then "<cr>" when the line is a command already.  On an error
 * in the words before, returns its status and *err (if not NULL).
 */
int wp_cli_complete(const struct wp_cli *cli, const struct wp_cli_pos *pos,
		    const char *line,
		    void (*fn)(const char *word, const char *help, void *arg),
		    void *arg, char **err);

/* --- whole configurations ------------------------------------------- */

/*
 * Parse a configuration file's text into one validated, sorted tree.
 * `fname` names the file in messages.  Any error, in a line or in the
 * final validation, fails the whole text: *tree is NULL and *err holds
 * up to 100 messages, each "FNAME:LINE: % ...", the line of a
 * validation error being the one that set the node at fault.
 */
int wp_cli_load_text(const struct wp_cli *cli, const char *text,
		     const char *fname, struct lyd_node **tree, char **err);
/*
 * The same, the lines applied on top of *tree (which may be NULL and is
 * taken over): a file of changes to an existing configuration, whose
 * `no` lines remove what the tree has.  Errors at a node no line set are
 * reported without a line number.  On -1 the tree is freed and *tree is
 * NULL.
 */
int wp_cli_load_text_onto(const struct wp_cli *cli, const char *text,
			  const char *fname, struct lyd_node **tree,
			  char **err);
/* A file: .json and .xml are YANG data (wp_yang_parse_file), else CLI. */
int wp_cli_load_file(const struct wp_cli *cli, const char *path,
		     struct lyd_node **tree, char **err);

/*
 * The tree as configuration text: commands in their declared order, a
 * block per mode closed by its exit command, '!' between sections.  The
 * same tree always gives the same bytes.  With `module`, only that
 * module's commands (and the blocks holding them).
 */
char *wp_cli_render(const struct wp_cli *cli, const struct lyd_node *tree,
		    const char *module);
/*
 * The same from a daemon's part of the configuration as mgmtd sends it
 * (RFC 7951 JSON, wp_mgmt_client.h): for a daemon whose configuration
 * reader takes the CLI text, so that the file it reads with -f and
 * mgmtd's data go through one parser.  NULL (*err set) if the JSON does
 * not parse; "" for an empty configuration.
 */
char *wp_cli_render_json(const struct wp_cli *cli, const char *json,
			 char **err);
/*
 * A reader's error about that text, "NAME:LINE: reason", rewritten in
 * place for the user, who never saw the text: "reason (in 'the line')".
 * Left alone when it does not have that shape.
 */
void wp_cli_text_error(const char *text, char *err, size_t errlen);

/* --- introspection -------------------------------------------------- */

struct wp_cli_cmd_info {
	const char *prompt;		/* mode it is typed in */
	const char *syntax;		/* "neighbor A.B.C.D|X:X::X:X remote-as ..." */
	const char *module;
	const char *enters;		/* prompt of the mode it enters, or NULL */
	bool no_only;			/* exists only as 'no ...' */
};

/* Every command, modes in tree order, commands in declaration order. */
void wp_cli_foreach(const struct wp_cli *cli,
		    void (*fn)(const struct wp_cli_cmd_info *ci, void *arg),
		    void *arg);

#endif /* WP_CLI_H */
