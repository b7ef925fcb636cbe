/*
 * Configuration round trips over the files of tests/config (README.md
 * there says what each kind of file promises):
 *
 *	NAME.conf	CLI text -> tree -> text is the file itself, or
 *			NAME.expect when the file is not in canonical form;
 *			that text parses back to an identical tree
 *			(lyd_compare_siblings), renders to the same bytes,
 *			and the tree survives a trip through JSON.
 *	NAME.json	JSON -> tree -> JSON is the file itself; the tree
 *			renders as NAME.cli, which parses back to the tree.
 *	bad/NAME.*	loading fails with exactly bad/NAME.err.
 *
 * One test per file; every test also checks that the memory types it
 * uses are back where they were.
 */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_cli.h"
#include "wp_mem.h"
#include "wp_yang.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

WP_MEMTYPE_DECLARE(MT_CLI);

static struct ly_ctx *ctx;
static struct wp_cli *cli;
static char **files;
static size_t nfiles;

static char *
slurp(const char *path)
{
	size_t len = 0, cap = 4096, n;
	char *s;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	s = wp_malloc(MT_STRING, cap);
	while ((n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			s = wp_realloc(MT_STRING, s, cap *= 2);
	}
	s[len] = '\0';
	fclose(f);
	return s;
}

/* "bad/x.conf" + ".err" -> "bad/x.err" */
static char *
sibling(const char *file, const char *ext)
{
	const char *dot = strrchr(file, '.');
	size_t base = (size_t)(dot - file);
	char *s = wp_malloc(MT_STRING, base + strlen(ext) + 1);

	memcpy(s, file, base);
	strcpy(s + base, ext);
	return s;
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void
setup(void)
{
	char *err = NULL;

	if (wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx, &err) == -1 ||
	    (cli = wp_cli_new(ctx, &err)) == NULL) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
}

static void
teardown(void)
{
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}

static struct lyd_node *
load_ok(const char *file)
{
	struct lyd_node *tree = NULL;
	char *err = NULL;

	if (wp_cli_load_file(cli, file, &tree, &err) == -1)
		ck_abort_msg("%s: %s", file, err);
	return tree;
}

static struct lyd_node *
text_ok(const char *file, const char *text)
{
	struct lyd_node *tree = NULL;
	char *err = NULL;

	if (wp_cli_load_text(cli, text, file, &tree, &err) == -1)
		ck_abort_msg("%s (rendered): %s\n%s", file, err, text);
	return tree;
}

static void
assert_same_tree(const char *file, const char *what,
		 const struct lyd_node *a, const struct lyd_node *b)
{
	ck_assert_msg(a && b, "%s: %s: empty tree", file, what);
	ck_assert_msg(lyd_compare_siblings(a, b, LYD_COMPARE_FULL_RECURSION) ==
		      LY_SUCCESS, "%s: %s: trees differ", file, what);
}

static void
check_conf(const char *file)
{
	struct lyd_node *tree = load_ok(file), *again, *fromjson;
	char *expect_name = sibling(file, ".expect");
	char *expect = slurp(expect_name);
	char *text, *text2, *json, *text3, *err = NULL;

	if (expect == NULL)
		expect = slurp(file);
	text = wp_cli_render(cli, tree, NULL);
	ck_assert_msg(strcmp(text, expect) == 0,
		      "%s: rendered text differs from %s:\n%s", file,
		      access(expect_name, R_OK) == 0 ? expect_name : file,
		      text);

	again = text_ok(file, text);
	assert_same_tree(file, "text -> tree -> text -> tree", tree, again);
	text2 = wp_cli_render(cli, again, NULL);
	ck_assert_msg(strcmp(text, text2) == 0, "%s: second render differs",
		      file);

	json = wp_yang_print(tree, LYD_JSON);
	if (wp_yang_parse(ctx, json, LYD_JSON, &fromjson, &err) == -1)
		ck_abort_msg("%s: JSON does not parse back: %s", file, err);
	assert_same_tree(file, "tree -> JSON -> tree", tree, fromjson);
	text3 = wp_cli_render(cli, fromjson, NULL);
	ck_assert_msg(strcmp(text, text3) == 0, "%s: render after JSON differs",
		      file);

	lyd_free_all(fromjson);
	lyd_free_all(again);
	lyd_free_all(tree);
	wp_free(MT_STRING, text3);
	wp_free(MT_STRING, json);
	wp_free(MT_STRING, text2);
	wp_free(MT_STRING, text);
	wp_free(MT_STRING, expect);
	wp_free(MT_STRING, expect_name);
}

static void
check_json(const char *file)
{
	struct lyd_node *tree = load_ok(file), *fromcli;
	char *cli_name = sibling(file, ".cli");
	char *want_json = slurp(file), *want_cli = slurp(cli_name);
	char *json, *text;

	ck_assert_msg(want_cli != NULL, "%s: %s is missing", file, cli_name);
	json = wp_yang_print(tree, LYD_JSON);
	ck_assert_msg(strcmp(json, want_json) == 0,
		      "%s: JSON -> tree -> JSON differs:\n%s", file, json);
	text = wp_cli_render(cli, tree, NULL);
	ck_assert_msg(strcmp(text, want_cli) == 0,
		      "%s: rendered text differs from %s:\n%s", file,
		      cli_name, text);
	fromcli = text_ok(cli_name, text);
	assert_same_tree(file, "JSON -> tree -> text -> tree", tree, fromcli);

	lyd_free_all(fromcli);
	lyd_free_all(tree);
	wp_free(MT_STRING, text);
	wp_free(MT_STRING, json);
	wp_free(MT_STRING, want_cli);
	wp_free(MT_STRING, want_json);
	wp_free(MT_STRING, cli_name);
}

static void
check_bad(const char *file)
{
	struct lyd_node *tree = NULL;
	char *err_name = sibling(file, ".err");
	char *want = slurp(err_name), *err = NULL;
	size_t len;

	ck_assert_msg(want != NULL, "%s: %s is missing", file, err_name);
	len = strlen(want);
	if (len > 0 && want[len - 1] == '\n')
		want[len - 1] = '\0';
	/* Messages name the file as given: load from its directory. */
	ck_assert_int_eq(chdir("bad"), 0);
	ck_assert_msg(wp_cli_load_file(cli, file + 4, &tree, &err) == -1,
		      "%s: loads, but must not", file);
	ck_assert_msg(tree == NULL, "%s: a tree despite the error", file);
	ck_assert_msg(strcmp(err, want) == 0, "%s: errors differ from %s:\n%s",
		      file, err_name, err);
	ck_assert_int_eq(chdir(".."), 0);
	wp_free(MT_STRING, err);
	wp_free(MT_STRING, want);
	wp_free(MT_STRING, err_name);
}

START_TEST(test_file)
{
	const char *file = files[_i];
	size_t s0 = MT_STRING->live, t0 = MT_TMP->live, c0 = MT_CLI->live;

	if (strncmp(file, "bad/", 4) == 0)
		check_bad(file);
	else if (ends_with(file, ".conf"))
		check_conf(file);
	else
		check_json(file);
	ck_assert_msg(MT_STRING->live == s0 && MT_TMP->live == t0 &&
		      MT_CLI->live == c0, "%s: memory left allocated", file);
}
END_TEST

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
scan(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		perror(dir);
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		char *name;

		if (!ends_with(de->d_name, ".conf") &&
		    !ends_with(de->d_name, ".json"))
			continue;
		name = wp_malloc(MT_STRING, strlen(prefix) +
				 strlen(de->d_name) + 1);
		strcpy(name, prefix);
		strcat(name, de->d_name);
		files = wp_realloc(MT_TMP, files, (nfiles + 1) * sizeof(*files));
		files[nfiles++] = name;
	}
	closedir(d);
}

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("files");
	SRunner *sr;
	int failed;

	if (chdir(TOP_SRCDIR "/tests/config") == -1) {
		perror(TOP_SRCDIR "/tests/config");
		return 1;
	}
	scan(".", "");
	scan("bad", "bad/");
	qsort(files, nfiles, sizeof(*files), name_cmp);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_file, 0, (int)nfiles);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (size_t i = 0; i < nfiles; i++)
		wp_free(MT_STRING, files[i]);
	wp_free(MT_TMP, files);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
