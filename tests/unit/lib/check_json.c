/* Unit tests for lib/wp_json: typed fields, output forms, table text. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_json.h"
#include "wp_mem.h"

START_TEST(test_fields)
{
	json_object *top = json_object_new_object();
	json_object *arr, *row;

	wp_json_add_str(top, "name", "r1");
	wp_json_add_strf(top, "id", "%d.%d.%d.%d", 10, 0, 0, 1);
	wp_json_add_int(top, "delta", -5);
	wp_json_add_uint64(top, "octets", UINT64_C(18446744073709551615));
	wp_json_add_bool(top, "up", true);
	wp_json_add_double(top, "load", 0.5);
	wp_json_add_object(top, "empty");
	arr = wp_json_add_array(top, "list");
	row = wp_json_array_add_object(arr);
	wp_json_add_int(row, "n", 1);
	ck_assert_str_eq(wp_json_to_string(top, false),
			 "{\"name\":\"r1\",\"id\":\"10.0.0.1\",\"delta\":-5,"
			 "\"octets\":18446744073709551615,\"up\":true,"
			 "\"load\":0.5,\"empty\":{},\"list\":[{\"n\":1}]}");
	json_object_put(top);

	top = json_object_new_object();
	wp_json_add_str(top, "path", "/run/waypoint");
	wp_json_add_int(top, "n", 2);
	ck_assert_str_eq(wp_json_to_string(top, true),
			 "{\n  \"path\":\"/run/waypoint\",\n  \"n\":2\n}");
	json_object_put(top);
}
END_TEST

START_TEST(test_strf_long)
{
	json_object *top = json_object_new_object();
	char big[600];
	json_object *v;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	wp_json_add_strf(top, "big", "<%s>", big);
	ck_assert(json_object_object_get_ex(top, "big", &v));
	ck_assert_uint_eq(strlen(json_object_get_string(v)), 601);
	json_object_put(top);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

static const struct wp_table_col cols[] = {
	{ "Name", "name", WP_TABLE_LEFT },
	{ "Calls", "calls", WP_TABLE_RIGHT },
	{ "Up", "up", WP_TABLE_LEFT },
	{ "Load", "load", WP_TABLE_RIGHT },
	{ "Note", "note", WP_TABLE_LEFT },
};

START_TEST(test_table_rows)
{
	struct wp_table *t = wp_table_new(cols, 3);
	const char *r1[] = { "bfd tx", "12", "yes" };
	const char *r2[] = { "ribd read", "1024", NULL };
	char *s;

	wp_table_add_row(t, r1);
	wp_table_add_row(t, r2);
	ck_assert_uint_eq(wp_table_nrows(t), 2);
	s = wp_table_render(t);
	ck_assert_str_eq(s,
			 "Name       Calls  Up\n"
			 "bfd tx        12  yes\n"
			 "ribd read   1024  -\n");
	wp_free(MT_STRING, s);
	wp_table_free(t);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_table_json)
{
	json_object *arr = json_object_new_array();
	json_object *row;
	char *s;

	row = wp_json_array_add_object(arr);
	wp_json_add_str(row, "name", "zeta");
	wp_json_add_uint64(row, "calls", 3);
	wp_json_add_bool(row, "up", false);
	wp_json_add_double(row, "load", 12.345);
	row = wp_json_array_add_object(arr);
	wp_json_add_str(row, "name", "alpha");
	wp_json_add_uint64(row, "calls", 100000);
	wp_json_add_bool(row, "up", true);
	json_object_object_add(row, "load", NULL);
	wp_json_add_str(row, "note", "long note here");
	json_object_array_add(arr, json_object_new_int(7));	/* skipped */
	wp_json_array_sort_by(arr, "name");

	s = wp_table_render_json(cols, 5, arr);
	ck_assert_str_eq(s,
			 "Name    Calls  Up    Load  Note\n"
			 "alpha  100000  yes      -  long note here\n"
			 "zeta        3  no   12.35  -\n");
	wp_free(MT_STRING, s);
	json_object_put(arr);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_table_empty)
{
	json_object *arr = json_object_new_array();
	char *s = wp_table_render_json(cols, 2, arr);

	ck_assert_str_eq(s, "Name  Calls\n");
	wp_free(MT_STRING, s);
	json_object_put(arr);
}
END_TEST

START_TEST(test_sort_numeric)
{
	json_object *arr = json_object_new_array();
	char *s;
	static const int vals[] = { 30, 4, 100 };

	for (size_t i = 0; i < 3; i++) {
		json_object *row = wp_json_array_add_object(arr);

		wp_json_add_int(row, "calls", vals[i]);
		wp_json_add_strf(row, "name", "n%d", vals[i]);
	}
	wp_json_array_sort_by(arr, "calls");
	s = wp_table_render_json(cols, 2, arr);
	ck_assert_str_eq(s,
			 "Name  Calls\n"
			 "n4        4\n"
			 "n30      30\n"
			 "n100    100\n");
	wp_free(MT_STRING, s);
	json_object_put(arr);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_strf_long);
	tcase_add_test(tc, test_table_rows);
	tcase_add_test(tc, test_table_json);
	tcase_add_test(tc, test_table_empty);
	tcase_add_test(tc, test_sort_numeric);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
