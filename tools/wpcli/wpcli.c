/*
 * wpcli: the CLI engine from the command line, for mgmtd and vtysh
 * authors, tests and debugging.
 *
 *	wpcli to-json r1.conf		CLI text (or .json/.xml) -> YANG JSON
 *	wpcli to-xml r1.conf		... -> YANG XML
 *	wpcli to-cli r1.json		... -> CLI text, as show running-config
 *	wpcli check r1.conf		load and validate; errors, exit 1
 *	wpcli edits r1.conf		each line's mode and edits
 *	wpcli complete 'router bgp 1' 'neighbor 10.0.0.1 '
 *					lines entered, then candidates for
 *					the last one (as vtysh's '?')
 *	wpcli commands			every command, by mode
 *
 * -p DIR reads the YANG modules from DIR; -m MODULE renders only that
 * module's commands (to-cli).  A FILE of "-" is CLI text on stdin.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_yang.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
		"usage: wpcli [-p yangdir] [-m module] to-json|to-xml|to-cli|"
		"check|edits FILE\n"
		"       wpcli [-p yangdir] complete LINE...\n"
		"       wpcli [-p yangdir] commands\n");
	exit(2);
}

static char *
read_all(FILE *f)
{
	size_t len = 0, cap = 4096, n;
	char *s = wp_malloc(MT_STRING, cap);

	while ((n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			s = wp_realloc(MT_STRING, s, cap *= 2);
	}
	s[len] = '\0';
	return s;
}

static int
load(struct wp_cli *cli, const char *path, struct lyd_node **tree)
{
	char *err = NULL, *text;
	int rc;

	if (strcmp(path, "-") == 0) {
		text = read_all(stdin);
		rc = wp_cli_load_text(cli, text, "<stdin>", tree, &err);
		wp_free(MT_STRING, text);
	} else {
		rc = wp_cli_load_file(cli, path, tree, &err);
	}
	if (rc == -1) {
		fprintf(stderr, "%s\n", err);
		wp_free(MT_STRING, err);
	}
	return rc;
}

static const char *
op_name(enum wp_cli_op op)
{
	switch (op) {
	case WP_CLI_OP_CREATE:
		return "create";
	case WP_CLI_OP_MERGE:
		return "merge";
	case WP_CLI_OP_REMOVE:
		return "remove";
	}
	return "?";
}

/* Each line with the mode it leaves the session in and its edits. */
static int
edits(struct wp_cli *cli, const char *path)
{
	struct wp_cli_pos pos;
	char *text, *line, *save = NULL;
	unsigned int lineno = 0;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int rc = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	text = read_all(f);
	if (f != stdin)
		fclose(f);
	wp_cli_pos_init(cli, &pos);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct wp_cli_result res;

		lineno++;
		if (wp_cli_exec(cli, &pos, line, &res) != WP_CLI_OK) {
			printf("%u: %s\n  %s\n", lineno, line, res.msg);
			rc = 1;
		} else if (res.nedits || res.flags) {
			printf("%u: %s  [%s]\n", lineno, line,
			       wp_cli_pos_prompt(&pos));
			for (size_t i = 0; i < res.nedits; i++) {
				const struct wp_cli_edit *e = &res.edits[i];

				printf("  %s %s", op_name(e->op), e->xpath);
				if (e->value)
					printf(" = \"%s\"", e->value);
				if (e->prune)
					printf(" (prune %u)", e->prune);
				printf("\n");
			}
		}
		wp_cli_result_clear(&res);
	}
	wp_cli_pos_clear(&pos);
	wp_free(MT_STRING, text);
	return rc;
}

static void
print_candidate(const char *word, const char *help, void *arg)
{
	printf("  %-24s %s\n", word, help);
}

static int
complete(struct wp_cli *cli, int argc, char **argv)
{
	struct wp_cli_pos pos;
	char *err = NULL;
	int rc = 0;

	wp_cli_pos_init(cli, &pos);
	for (int i = 0; i < argc - 1; i++) {
		struct wp_cli_result res;

		if (wp_cli_exec(cli, &pos, argv[i], &res) != WP_CLI_OK) {
			fprintf(stderr, "%s: %s\n", argv[i], res.msg);
			rc = 1;
		}
		wp_cli_result_clear(&res);
	}
	printf("(%s)# %s?\n", wp_cli_pos_prompt(&pos), argv[argc - 1]);
	if (wp_cli_complete(cli, &pos, argv[argc - 1], print_candidate, NULL,
			    &err) != WP_CLI_OK) {
		printf("%s\n", err);
		wp_free(MT_STRING, err);
		rc = 1;
	}
	wp_cli_pos_clear(&pos);
	return rc;
}

static void
print_command(const struct wp_cli_cmd_info *ci, void *arg)
{
	printf("%-20s %s%s%s  [%s]\n", ci->prompt, ci->syntax,
	       ci->enters ? "  -> " : "", ci->enters ? ci->enters : "",
	       ci->module);
}

int
main(int argc, char **argv)
{
	const char *dir = NULL, *module = NULL, *cmd;
	struct lyd_node *tree = NULL;
	struct ly_ctx *ctx;
	struct wp_cli *cli;
	char *err = NULL, *out;
	int ch, rc = 0;

	while ((ch = getopt(argc, argv, "p:m:")) != -1) {
		switch (ch) {
		case 'p':
			dir = optarg;
			break;
		case 'm':
			module = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	cmd = argv[0];
	if (wp_yang_ctx_new(dir, NULL, &ctx, &err) == -1 ||
	    (cli = wp_cli_new(ctx, &err)) == NULL) {
		fprintf(stderr, "wpcli: %s\n", err);
		return 1;
	}
	if (strcmp(cmd, "commands") == 0) {
		wp_cli_foreach(cli, print_command, NULL);
	} else if (strcmp(cmd, "complete") == 0) {
		if (argc < 2)
			usage();
		rc = complete(cli, argc - 1, argv + 1);
	} else if (argc != 2) {
		usage();
	} else if (strcmp(cmd, "edits") == 0) {
		rc = edits(cli, argv[1]);
	} else if (strcmp(cmd, "to-json") == 0 || strcmp(cmd, "to-xml") == 0 ||
		   strcmp(cmd, "to-cli") == 0 || strcmp(cmd, "check") == 0) {
		if (load(cli, argv[1], &tree) == -1) {
			rc = 1;
		} else if (strcmp(cmd, "check") == 0) {
			printf("%s: OK\n", argv[1]);
		} else {
			if (strcmp(cmd, "to-cli") == 0)
				out = wp_cli_render(cli, tree, module);
			else
				out = wp_yang_print(tree, cmd[3] == 'j' ?
						    LYD_JSON : LYD_XML);
			fputs(out, stdout);
			wp_free(MT_STRING, out);
		}
	} else {
		usage();
	}
	lyd_free_all(tree);
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
	return rc;
}
