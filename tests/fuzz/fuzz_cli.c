/*
 * fuzz_cli: libFuzzer target for the CLI engine's parser.
 *
 * The input is a configuration file.  Whatever it holds, loading must
 * either fail with a message and no tree, or give a tree whose rendering
 * loads back to an identical tree and renders to the same bytes (the
 * round trip the shell and mgmtd rely on).  Every line is also fed to
 * the completion code at the position the file has reached.  Nothing may
 * stay allocated after an input.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_yang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ly_ctx *ctx;
static struct wp_cli *cli;

static void
init(void)
{
	char *err = NULL;

	if (wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err) == -1 ||
	    (cli = wp_cli_new(ctx, &err)) == NULL) {
		fprintf(stderr, "fuzz_cli: %s\n", err);
		abort();
	}
}

static void
ignore(const char *word, const char *help, void *arg)
{
	if (word == NULL || help == NULL)
		abort();
}

/* Complete each line at the position the lines before it lead to. */
static void
complete_lines(const char *text)
{
	struct wp_cli_pos pos;
	const char *p = text;

	wp_cli_pos_init(cli, &pos);
	while (*p) {
		size_t len = strcspn(p, "\n");
		char *line = wp_strndup(MT_TMP, p, len);
		struct wp_cli_result res;
		char *err = NULL;

		wp_cli_complete(cli, &pos, line, ignore, NULL, &err);
		wp_free(MT_STRING, err);
		wp_cli_exec(cli, &pos, line, &res);
		wp_cli_result_clear(&res);
		wp_free(MT_TMP, line);
		p += len + (p[len] == '\n');
	}
	wp_cli_pos_clear(&pos);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t s0, t0;
	struct lyd_node *tree = NULL, *again = NULL;
	char *text, *out, *out2, *err = NULL;

	if (cli == NULL)
		init();
	s0 = MT_STRING->live;
	t0 = MT_TMP->live;
	/* Keep inputs to what a file may hold: text without NULs. */
	text = wp_strndup(MT_TMP, (const char *)data, size);
	if (strlen(text) != size)
		goto out;
	complete_lines(text);
	if (wp_cli_load_text(cli, text, "fuzz", &tree, &err) == -1) {
		if (tree != NULL || err == NULL || strncmp(err, "fuzz", 4) != 0)
			abort();
		wp_free(MT_STRING, err);
		goto out;
	}
	out = wp_cli_render(cli, tree, NULL);
	if (wp_cli_load_text(cli, out, "rendered", &again, &err) == -1) {
		fprintf(stderr, "rendered text does not load:\n%s\n%s\n", out,
			err);
		abort();
	}
	if (!wp_yang_equal(tree, again)) {
		fprintf(stderr, "round trip changed the tree:\n%s\n", out);
		abort();
	}
	out2 = wp_cli_render(cli, again, NULL);
	if (strcmp(out, out2) != 0)
		abort();
	wp_free(MT_STRING, out2);
	wp_free(MT_STRING, out);
	lyd_free_all(again);
	lyd_free_all(tree);
out:
	wp_free(MT_TMP, text);
	if (MT_STRING->live != s0 || MT_TMP->live != t0)
		abort();
	return 0;
}
