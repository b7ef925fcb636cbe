/*
 * fuzz_mgmt_edit: libFuzzer target for what a session may send mgmtd:
 * YANG edits (op, xpath, value) and whole trees (JSON, XML).
 *
 * Input: byte 0 picks the operation and format, then NUL-separated
 * fields: xpath, value, and the rest as a tree to parse.  Each edit runs
 * through mgmt_ds_edit() on a small tree of the test modules, the tree
 * is validated, diffed, rendered as text and printed; the rest goes
 * through mgmt_ds_parse().  The paths of mgmtd's own string handling
 * (predicate stripping, leaf-list predicates, error formatting with
 * allowed ranges) are the target; libyang is along for the ride.  No
 * memory of a counted type may be left after each input.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmtd.h"
#include "wp_yang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

WP_MEMTYPE_DEFINE(MT_FUZZ, "fuzz");

static const char seed_tree[] =
	"{ \"waypoint-test:interfaces\": { \"interface\": [ "
	"{ \"name\": \"eth0\", \"mtu\": 1500, "
	"\"address\": [\"10.0.0.0/24\"] } ] },"
	"  \"waypoint-test-routing:static-routes\": { \"route\": [ "
	"{ \"prefix\": \"10.1.0.0/16\", \"interface\": \"eth0\" } ] } }";

static struct mgmt *
fuzz_mgmt(void)
{
	static struct mgmt m;
	char *err = NULL;

	if (m.ctx == NULL &&
	    wp_yang_ctx_new(MGMT_TEST_YANGDIR, NULL, &m.ctx, &err) == -1) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	return &m;
}

/* Next NUL-terminated field of the input, as a counted copy. */
static char *
field(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, '\0', (size_t)(end - *p));
	size_t len = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
	char *s = wp_strndup(MT_FUZZ, (const char *)*p, len);

	*p += len + (nul ? 1 : 0);
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mgmt *m = fuzz_mgmt();
	const uint8_t *p = data + 1, *end = data + size;
	struct lyd_node *tree = NULL, *base, *diff, *parsed = NULL;
	struct mgmt_err e;
	char *xpath, *value, *rest, *txt;

	if (size < 1)
		return 0;
	xpath = field(&p, end);
	value = field(&p, end);
	rest = field(&p, end);

	if (mgmt_ds_parse(m, seed_tree, LYD_JSON, "seed", &tree, &e) == -1)
		abort();
	base = mgmt_ds_dup(tree);
	if (mgmt_ds_edit(m, &tree, (enum wp_mgmt_op)(data[0] % 6), xpath,
			 data[0] & 0x80 ? NULL : value, &e) == -1) {
		/* Every refusal says why and stays in its buffers. */
		if (e.msg[0] == '\0' || strlen(e.msg) >= sizeof(e.msg))
			abort();
	}
	mgmt_ds_validate(m, &tree, &e);
	diff = mgmt_ds_diff(base, tree);
	txt = mgmt_ds_diff_text(diff, NULL);
	wp_free(MT_MGMT_TEXT, txt);
	txt = mgmt_ds_print(tree, data[0] & 0x40 ? LYD_XML : LYD_JSON,
			    data[0] & 0x20);
	wp_free(MT_MGMT_TEXT, txt);
	txt = mgmt_ds_select(m, tree, value, LYD_JSON, false, &e);
	wp_free(MT_MGMT_TEXT, txt);

	if (mgmt_ds_parse(m, rest, data[0] & 0x40 ? LYD_XML : LYD_JSON,
			  "fuzz", &parsed, &e) == 0) {
		mgmt_ds_validate(m, &parsed, &e);
		lyd_free_all(parsed);
	}

	lyd_free_all(diff);
	lyd_free_all(base);
	lyd_free_all(tree);
	wp_free(MT_FUZZ, xpath);
	wp_free(MT_FUZZ, value);
	wp_free(MT_FUZZ, rest);
	if (wp_mem_report_leaks(stderr) != 0)
		abort();
	return 0;
}
