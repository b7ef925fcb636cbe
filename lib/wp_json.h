/*
 * wp_json: one data structure per show command, two renderings.
 *
 * A show command builds a json_object (json-c) once and renders it either
 * as JSON (`show ... json`) or as text.  The helpers below keep the
 * building terse; the table renderer turns an array of objects into an
 * aligned text table given a column list (title, JSON key, alignment):
 *
 *	static const struct wp_table_col cols[] = {
 *		{ "Name", "name", WP_TABLE_LEFT },
 *		{ "Calls", "calls", WP_TABLE_RIGHT },
 *	};
 *	json_object *top = json_object_new_object();
 *	json_object *arr = wp_json_add_array(top, "callbacks");
 *	json_object *row = wp_json_array_add_object(arr);
 *	wp_json_add_str(row, "name", "bfd tx");
 *	wp_json_add_uint64(row, "calls", 12);
 *	if (json)
 *		wp_vty_json(ctx, top);
 *	else
 *		text = wp_table_render_json(cols, 2, arr);   (MT_STRING)
 *
 * Cells render as: strings as they are, integers in decimal, doubles with
 * two decimals, booleans as "yes"/"no", a missing key or null as "-",
 * objects and arrays as compact JSON.
 *
 * json-c allocates with malloc() and has no allocator hook, so json objects
 * are outside the memory-type counters; everything else here is counted.
 */
#ifndef WP_JSON_H
#define WP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Typed fields on an object.  `obj` takes the new value. */
void wp_json_add_str(json_object *obj, const char *key, const char *val);
void wp_json_add_strf(json_object *obj, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void wp_json_add_int(json_object *obj, const char *key, int64_t val);
void wp_json_add_uint64(json_object *obj, const char *key, uint64_t val);
void wp_json_add_bool(json_object *obj, const char *key, bool val);
void wp_json_add_double(json_object *obj, const char *key, double val);
/* New empty object/array stored under `key`; returned for filling. */
json_object *wp_json_add_object(json_object *obj, const char *key);
json_object *wp_json_add_array(json_object *obj, const char *key);
/* New empty object appended to `arr`. */
json_object *wp_json_array_add_object(json_object *arr);

/*
 * Serialize; the string belongs to `obj` and lives until it is freed or
 * serialized again.  Pretty output is indented by two spaces.
 */
const char *wp_json_to_string(json_object *obj, bool pretty);

/* Sort an array of objects by the string or integer at `key`. */
void wp_json_array_sort_by(json_object *arr, const char *key);

/* --- text tables ------------------------------------------------------ */
enum wp_table_align {
	WP_TABLE_LEFT,
	WP_TABLE_RIGHT,
};

struct wp_table_col {
	const char *title;
	const char *key;		/* JSON key, for wp_table_add_json() */
	enum wp_table_align align;
};

struct wp_table;

struct wp_table *wp_table_new(const struct wp_table_col *cols, size_t ncols);
void wp_table_free(struct wp_table *t);
/* One row of `ncols` cells; NULL cells print as "-". */
void wp_table_add_row(struct wp_table *t, const char *const cells[]);
/* One row from the column keys of `obj`. */
void wp_table_add_json(struct wp_table *t, json_object *obj);
/* One row per object in `arr`; non-objects are skipped. */
void wp_table_add_json_array(struct wp_table *t, json_object *arr);
size_t wp_table_nrows(const struct wp_table *t);
/*
 * Render: a header line of titles, then one line per row; columns are
 * separated by two spaces, padded to the widest cell, with no trailing
 * blanks.  Returns a string to release with wp_free(MT_STRING, s).
 */
char *wp_table_render(const struct wp_table *t);
/* Shortcut: table of `arr` with `cols`, rendered. */
char *wp_table_render_json(const struct wp_table_col *cols, size_t ncols,
			   json_object *arr);

#endif /* WP_JSON_H */
