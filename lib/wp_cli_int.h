/*
 * wp_cli_int.h: the command tree shared by wp_cli_build.c (schema ->
 * commands), wp_cli_match.c (lines -> edits, completion),
 * wp_cli_render.c (tree -> text) and wp_cli_load.c (files, edits ->
 * tree).  Not for use outside lib/wp_cli*.c.
 *
 *	wp_cli ── modes[] ── wp_cli_mode ── cmds[] ── cli_cmd ── forms[]
 *	                                                 │          │
 *	                                                 ├ toks[] <─┘ (pointers)
 *	                                                 └ vars[] <── toks
 *
 * A command's template is parsed into tokens (keywords, references to
 * leaves, compound words such as "{ip}/{prefix-length}"), then expanded
 * into forms: flat token sequences without optional parts or
 * alternatives, which is what the matcher and the renderer walk.
 */
#ifndef WP_CLI_INT_H
#define WP_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_vty_int.h"
#include "wp_yang.h"

WP_MEMTYPE_DECLARE(MT_CLI);

#define CLI_MAX_FORMS	512	/* per command, after expansion */
#define CLI_MAX_WORDS	64	/* per line and per form */
#define CLI_ORDER_DEFAULT 100
/* The value of a left-out wpcli:auto-increment key in the edits of
 * wp_cli_exec(), until wp_cli_resolve_auto() numbers it. */
#define CLI_AUTO_MARK	"\x01auto"

/* A reference to a leaf or leaf-list in a template: "{name}". */
struct cli_var {
	const struct lysc_node *leaf;
	size_t level;		/* index in cmd->path of its instance */
	char *relpath;		/* from that instance; "" for itself */
	enum wp_yang_tclass cls;
	bool key;		/* a key of the list at `level` */
	bool self;		/* the command's node itself */
	bool flag;		/* boolean/empty leaf typed as its name */
	bool rest;		/* "{x...}": the rest of the line */
	bool optional;		/* left out by some form */
	const char *absent;	/* optional key: its value when left out */
	char *display;		/* "A.B.C.D", "(1-255)", "NAME", "onlink" */
	char *help;
};

enum cli_tok_kind {
	CT_KEYWORD,
	CT_VAR,
	CT_COMPOUND,
};

/* One piece of a compound word: a literal or a reference. */
struct cli_part {
	char *lit;
	struct cli_var *var;
};

struct cli_tok {
	enum cli_tok_kind kind;
	char *text;		/* keyword, or display of a value */
	const char *help;
	struct cli_var *var;	/* CT_VAR */
	struct cli_part *parts;	/* CT_COMPOUND */
	size_t nparts;
};

struct cli_form {
	size_t len;
	struct cli_tok **tok;
	size_t no_min;		/* fewest words of the 'no' form */
	bool rest;		/* tok[len - 1] takes the rest of the line */
};

enum cli_builtin {
	CB_NONE,
	CB_EXIT,		/* 'exit', 'quit', a mode's exit command */
	CB_END,
};

struct cli_cmd {
	struct wp_cli_mode *mode;	/* where it is typed; NULL: built-in */
	struct wp_cli_mode *enters;	/* the sub-mode it opens, or NULL */
	const struct lysc_node *node;	/* NULL for built-ins */
	const struct lysc_node **path;	/* data nodes below the mode */
	size_t npath;
	char *tmpl;
	char *syntax;			/* template with values displayed */
	char *flag_help;		/* a bare flag's help, from its leaf */
	bool no_only;
	enum cli_builtin builtin;
	int order;
	size_t seq;			/* creation order */
	struct cli_tok *toks;
	size_t ntoks;
	struct cli_var **vars;
	size_t nvars;
	struct cli_form *forms;
	size_t nforms;
};

struct wp_cli_mode {
	const struct lysc_node *node;	/* NULL at the root */
	char *prompt;
	char *exit_word;
	struct cli_cmd *cmd;		/* the command entering it */
	struct wp_cli_mode *parent;
	struct cli_cmd **cmds;
	size_t ncmds;
	struct cli_cmd *builtins[4];	/* exit, quit, end, the exit word */
	size_t nbuiltins;
};

/* "network Enable routing on an IP network" */
struct cli_keyword {
	const struct lys_module *module;
	const struct lysc_node *node;	/* NULL: module-wide */
	char *word;
	char *help;
};

struct wp_cli {
	struct ly_ctx *ctx;
	struct wp_cli_mode root;
	struct wp_cli_mode **modes;	/* every mode but the root */
	size_t nmodes;
	struct cli_cmd **cmds;		/* every command, built-ins too */
	size_t ncmds;
	struct cli_keyword *kws;
	size_t nkws;
	const struct lysc_node **tops;	/* top-level nodes, module order */
	size_t ntops;
};

/* wp_cli_build.c */
const char *cli_ext(const struct lysc_node *node, const char *name);
struct wp_cli_mode *cli_mode_of_node(const struct wp_cli *cli,
				     const struct lysc_node *node);
struct cli_cmd *cli_cmd_of_node(const struct wp_cli_mode *mode,
				const struct lysc_node *node);
/* Append a path segment for `sn` (module prefix where it changes). */
void cli_path_seg(struct wp_vty_buf *b, const struct lysc_node *sn,
		  const struct lysc_node *prev);
/* Append [name='value'] with the right quotes; -1 if impossible. */
int cli_path_pred(struct wp_vty_buf *b, const char *name, const char *val);

char *cli_strdup_buf(struct wp_vty_buf *b);
/* "A.B.C.D", "(1-255)", "NAME": what one type's values look like. */
char *cli_type_display(const struct lysc_type *type,
		       const struct lysc_node *leaf);
const struct lysc_type *cli_leaf_type(const struct lysc_node *sn);
bool cli_form_has_var(const struct cli_form *f, const struct cli_var *v);

#endif /* WP_CLI_INT_H */
