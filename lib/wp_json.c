/*
 * wp_json.c: json-c helpers and the text-table renderer.
 *
 * The table keeps every cell as an owned string; rendering measures the
 * columns first and writes the whole table into one exactly sized string,
 * so no growing buffer is needed.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wp_json.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_TABLE, "text table");
WP_MEMTYPE_DEFINE(MT_TABLE_CELL, "text table cell");

#define TABLE_GAP	2	/* blanks between columns */

struct wp_table {
	const struct wp_table_col *cols;
	size_t ncols;
	char **cells;		/* nrows * ncols, row-major */
	size_t nrows;
	size_t cap;		/* rows allocated */
};

void
wp_json_add_str(json_object *obj, const char *key, const char *val)
{
	json_object_object_add(obj, key,
			       val ? json_object_new_string(val) : NULL);
}

void
wp_json_add_strf(json_object *obj, const char *key, const char *fmt, ...)
{
	char small[256], *s = small;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(small)) {
		s = wp_malloc(MT_TMP, (size_t)n + 1);
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	json_object_object_add(obj, key, json_object_new_string(s));
	if (s != small)
		wp_free(MT_TMP, s);
}

void
wp_json_add_int(json_object *obj, const char *key, int64_t val)
{
	json_object_object_add(obj, key, json_object_new_int64(val));
}

void
wp_json_add_uint64(json_object *obj, const char *key, uint64_t val)
{
	json_object_object_add(obj, key, json_object_new_uint64(val));
}

void
wp_json_add_bool(json_object *obj, const char *key, bool val)
{
	json_object_object_add(obj, key, json_object_new_boolean(val));
}

void
wp_json_add_double(json_object *obj, const char *key, double val)
{
	json_object_object_add(obj, key, json_object_new_double(val));
}

json_object *
wp_json_add_object(json_object *obj, const char *key)
{
	json_object *child = json_object_new_object();

	json_object_object_add(obj, key, child);
	return child;
}

json_object *
wp_json_add_array(json_object *obj, const char *key)
{
	json_object *child = json_object_new_array();

	json_object_object_add(obj, key, child);
	return child;
}

json_object *
wp_json_array_add_object(json_object *arr)
{
	json_object *child = json_object_new_object();

	json_object_array_add(arr, child);
	return child;
}

const char *
wp_json_to_string(json_object *obj, bool pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
	return json_object_to_json_string_ext(obj, flags);
}

/* json_object_array_sort() has no context argument: one key at a time. */
static const char *sort_key;

static int
sort_cmp(const void *a, const void *b)
{
	json_object *oa = *(json_object *const *)a;
	json_object *ob = *(json_object *const *)b;
	json_object *va = NULL, *vb = NULL;

	json_object_object_get_ex(oa, sort_key, &va);
	json_object_object_get_ex(ob, sort_key, &vb);
	if (va == NULL || vb == NULL)
		return (va != NULL) - (vb != NULL);
	if (json_object_is_type(va, json_type_int) &&
	    json_object_is_type(vb, json_type_int)) {
		int64_t ia = json_object_get_int64(va);
		int64_t ib = json_object_get_int64(vb);

		return (ia > ib) - (ia < ib);
	}
	return strcmp(json_object_get_string(va), json_object_get_string(vb));
}

void
wp_json_array_sort_by(json_object *arr, const char *key)
{
	sort_key = key;
	json_object_array_sort(arr, sort_cmp);
	sort_key = NULL;
}

/* --- text tables ------------------------------------------------------ */

struct wp_table *
wp_table_new(const struct wp_table_col *cols, size_t ncols)
{
	struct wp_table *t = wp_calloc(MT_TABLE, sizeof(*t));

	t->cols = cols;
	t->ncols = ncols;
	return t;
}

void
wp_table_free(struct wp_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		wp_free(MT_TABLE_CELL, t->cells[i]);
	wp_free(MT_TABLE, t->cells);
	wp_free(MT_TABLE, t);
}

size_t
wp_table_nrows(const struct wp_table *t)
{
	return t->nrows;
}

static char **
table_new_row(struct wp_table *t)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->cells = wp_realloc(MT_TABLE, t->cells,
				      t->cap * t->ncols * sizeof(char *));
	}
	return &t->cells[t->nrows++ * t->ncols];
}

void
wp_table_add_row(struct wp_table *t, const char *const cells[])
{
	char **row = table_new_row(t);

	for (size_t c = 0; c < t->ncols; c++)
		row[c] = wp_strdup(MT_TABLE_CELL, cells[c] ? cells[c] : "-");
}

static char *
cell_from_json(json_object *v)
{
	char buf[64];

	switch (json_object_get_type(v)) {
	case json_type_null:
		return wp_strdup(MT_TABLE_CELL, "-");
	case json_type_boolean:
		return wp_strdup(MT_TABLE_CELL,
				 json_object_get_boolean(v) ? "yes" : "no");
	case json_type_double:
		snprintf(buf, sizeof(buf), "%.2f", json_object_get_double(v));
		return wp_strdup(MT_TABLE_CELL, buf);
	case json_type_int:
	case json_type_string:
		return wp_strdup(MT_TABLE_CELL, json_object_get_string(v));
	case json_type_object:
	case json_type_array:
		break;
	}
	return wp_strdup(MT_TABLE_CELL, wp_json_to_string(v, false));
}

void
wp_table_add_json(struct wp_table *t, json_object *obj)
{
	char **row = table_new_row(t);

	for (size_t c = 0; c < t->ncols; c++) {
		json_object *v = NULL;

		if (t->cols[c].key == NULL ||
		    !json_object_object_get_ex(obj, t->cols[c].key, &v))
			v = NULL;
		row[c] = cell_from_json(v);
	}
}

void
wp_table_add_json_array(struct wp_table *t, json_object *arr)
{
	size_t n = json_object_array_length(arr);

	for (size_t i = 0; i < n; i++) {
		json_object *obj = json_object_array_get_idx(arr, i);

		if (json_object_is_type(obj, json_type_object))
			wp_table_add_json(t, obj);
	}
}

/* Write one line of cells at `p`; returns the position after its '\n'. */
static char *
table_line(const struct wp_table *t, const size_t *width,
	   const char *const *cells, char *p)
{
	char *start = p;

	for (size_t c = 0; c < t->ncols; c++) {
		size_t len = strlen(cells[c]);
		size_t pad = width[c] - len;

		if (c > 0) {
			memset(p, ' ', TABLE_GAP);
			p += TABLE_GAP;
		}
		if (t->cols[c].align == WP_TABLE_RIGHT) {
			memset(p, ' ', pad);
			p += pad;
		}
		memcpy(p, cells[c], len);
		p += len;
		if (t->cols[c].align == WP_TABLE_LEFT) {
			memset(p, ' ', pad);
			p += pad;
		}
	}
	while (p > start && p[-1] == ' ')
		p--;
	*p++ = '\n';
	return p;
}

char *
wp_table_render(const struct wp_table *t)
{
	size_t *width, line = 0;
	const char **titles;
	char *out, *p;

	width = wp_calloc(MT_TMP, (t->ncols ? t->ncols : 1) * sizeof(*width));
	titles = wp_calloc(MT_TMP, (t->ncols ? t->ncols : 1) * sizeof(*titles));
	for (size_t c = 0; c < t->ncols; c++) {
		titles[c] = t->cols[c].title ? t->cols[c].title : "";
		width[c] = strlen(titles[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t len = strlen(t->cells[r * t->ncols + c]);

			if (len > width[c])
				width[c] = len;
		}
		line += width[c] + (c > 0 ? TABLE_GAP : 0);
	}
	line++;				/* '\n' */
	out = wp_malloc(MT_STRING, line * (t->nrows + 1) + 1);
	p = table_line(t, width, titles, out);
	for (size_t r = 0; r < t->nrows; r++)
		p = table_line(t, width,
			       (const char *const *)&t->cells[r * t->ncols], p);
	*p = '\0';
	wp_free(MT_TMP, titles);
	wp_free(MT_TMP, width);
	return out;
}

char *
wp_table_render_json(const struct wp_table_col *cols, size_t ncols,
		     json_object *arr)
{
	struct wp_table *t = wp_table_new(cols, ncols);
	char *out;

	wp_table_add_json_array(t, arr);
	out = wp_table_render(t);
	wp_table_free(t);
	return out;
}
