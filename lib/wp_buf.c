/*
 * wp_buf.c: bounds-checked reader and writer.  Every read goes through
 * rbuf_take(), which is the only place that compares a length with what
 * is left; every write goes through wbuf_room(), the only place that
 * grows storage or refuses.  Integers are assembled byte by byte, so the
 * data needs no alignment and the host byte order does not matter.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wp_buf.h"
#include "wp_mem.h"

/* Reader ------------------------------------------------------------- */

void
wp_rbuf_init(struct wp_rbuf *r, const void *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->len = data ? len : 0;
}

static void
rbuf_fail(struct wp_rbuf *r, size_t want)
{
	if (r->error)
		return;
	r->error = true;
	r->err_off = r->base + r->pos;
	r->err_want = want;
	r->err_left = r->len - r->pos;
}

/* Consume n bytes; NULL (and the error flag) if they are not all there. */
static const uint8_t *
rbuf_take(struct wp_rbuf *r, size_t n)
{
	static const uint8_t empty[1];
	const uint8_t *p;

	if (r->error || n > r->len - r->pos) {
		rbuf_fail(r, n);
		return NULL;
	}
	p = r->data ? r->data + r->pos : empty;
	r->pos += n;
	return p;
}

int
wp_rbuf_get_u8(struct wp_rbuf *r, uint8_t *out)
{
	const uint8_t *p = rbuf_take(r, 1);

	*out = p ? p[0] : 0;
	return p ? 0 : -1;
}

int
wp_rbuf_get_u16(struct wp_rbuf *r, uint16_t *out)
{
	const uint8_t *p = rbuf_take(r, 2);

	*out = p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
	return p ? 0 : -1;
}

int
wp_rbuf_get_u24(struct wp_rbuf *r, uint32_t *out)
{
	const uint8_t *p = rbuf_take(r, 3);

	*out = p ? (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] : 0;
	return p ? 0 : -1;
}

int
wp_rbuf_get_u32(struct wp_rbuf *r, uint32_t *out)
{
	const uint8_t *p = rbuf_take(r, 4);

	*out = p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3] : 0;
	return p ? 0 : -1;
}

int
wp_rbuf_get_u64(struct wp_rbuf *r, uint64_t *out)
{
	const uint8_t *p = rbuf_take(r, 8);
	uint64_t v = 0;

	if (p == NULL) {
		*out = 0;
		return -1;
	}
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	*out = v;
	return 0;
}

int
wp_rbuf_get_bytes(struct wp_rbuf *r, void *dst, size_t n)
{
	const uint8_t *p = rbuf_take(r, n);

	if (p == NULL) {
		if (n > 0)
			memset(dst, 0, n);
		return -1;
	}
	if (n > 0)
		memcpy(dst, p, n);
	return 0;
}

const uint8_t *
wp_rbuf_get_ptr(struct wp_rbuf *r, size_t n)
{
	return rbuf_take(r, n);
}

int
wp_rbuf_skip(struct wp_rbuf *r, size_t n)
{
	return rbuf_take(r, n) ? 0 : -1;
}

int
wp_rbuf_sub(struct wp_rbuf *r, size_t n, struct wp_rbuf *child)
{
	size_t start = r->pos;
	const uint8_t *p = rbuf_take(r, n);

	memset(child, 0, sizeof(*child));
	child->base = r->base + start;
	if (p == NULL) {
		/* An empty reader that refuses everything. */
		child->error = true;
		child->err_off = r->err_off;
		child->err_want = r->err_want;
		child->err_left = r->err_left;
		return -1;
	}
	child->data = p;
	child->len = n;
	return 0;
}

int
wp_rbuf_peek_u8(const struct wp_rbuf *r, uint8_t *out)
{
	if (r->error || r->pos >= r->len) {
		*out = 0;
		return -1;
	}
	*out = r->data[r->pos];
	return 0;
}

size_t
wp_rbuf_remaining(const struct wp_rbuf *r)
{
	return r->error ? 0 : r->len - r->pos;
}

size_t
wp_rbuf_offset(const struct wp_rbuf *r)
{
	return r->base + r->pos;
}

bool
wp_rbuf_error(const struct wp_rbuf *r)
{
	return r->error;
}

int
wp_rbuf_strerror(const struct wp_rbuf *r, char *buf, size_t len)
{
	if (!r->error)
		return snprintf(buf, len, "no error");
	return snprintf(buf, len, "truncated at offset %zu: need %zu byte%s, "
			"%zu left", r->err_off, r->err_want,
			r->err_want == 1 ? "" : "s", r->err_left);
}

/* Writer ------------------------------------------------------------- */

void
wp_wbuf_init(struct wp_wbuf *w, struct wp_memtype *mt, size_t hint)
{
	memset(w, 0, sizeof(*w));
	w->mt = mt;
	if (hint > 0) {
		w->data = wp_malloc(mt, hint);
		w->cap = hint;
	}
}

void
wp_wbuf_init_fixed(struct wp_wbuf *w, void *buf, size_t cap)
{
	memset(w, 0, sizeof(*w));
	w->data = buf;
	w->cap = buf ? cap : 0;
}

void
wp_wbuf_free(struct wp_wbuf *w)
{
	if (w->mt)
		wp_free(w->mt, w->data);
	w->data = NULL;
	w->len = w->cap = 0;
}

void
wp_wbuf_reset(struct wp_wbuf *w)
{
	w->len = 0;
	w->error = false;
}

uint8_t *
wp_wbuf_detach(struct wp_wbuf *w, size_t *len)
{
	uint8_t *p;

	if (w->mt == NULL || w->error || w->data == NULL) {
		*len = 0;
		return NULL;
	}
	p = w->data;
	*len = w->len;
	w->data = NULL;
	w->len = w->cap = 0;
	return p;
}

/* Make room for n more bytes and return where they go, or NULL. */
static uint8_t *
wbuf_room(struct wp_wbuf *w, size_t n)
{
	size_t cap;

	if (w->error)
		return NULL;
	if (n <= w->cap - w->len)
		return w->data + w->len;
	if (w->mt == NULL || n > SIZE_MAX / 2 - w->len) {
		w->error = true;
		return NULL;
	}
	cap = w->cap ? w->cap : 64;
	while (cap - w->len < n)
		cap *= 2;
	w->data = wp_realloc(w->mt, w->data, cap);
	w->cap = cap;
	return w->data + w->len;
}

int
wp_wbuf_put_bytes(struct wp_wbuf *w, const void *src, size_t n)
{
	uint8_t *p = wbuf_room(w, n);

	if (p == NULL)
		return -1;
	if (n > 0)
		memcpy(p, src, n);
	w->len += n;
	return 0;
}

static int
wbuf_put_be(struct wp_wbuf *w, uint64_t v, size_t width)
{
	uint8_t *p = wbuf_room(w, width);

	if (p == NULL)
		return -1;
	for (size_t i = width; i > 0; i--, v >>= 8)
		p[i - 1] = (uint8_t)v;
	w->len += width;
	return 0;
}

int
wp_wbuf_put_u8(struct wp_wbuf *w, uint8_t v)
{
	return wbuf_put_be(w, v, 1);
}

int
wp_wbuf_put_u16(struct wp_wbuf *w, uint16_t v)
{
	return wbuf_put_be(w, v, 2);
}

int
wp_wbuf_put_u24(struct wp_wbuf *w, uint32_t v)
{
	if (v > 0xffffff) {
		w->error = true;
		return -1;
	}
	return wbuf_put_be(w, v, 3);
}

int
wp_wbuf_put_u32(struct wp_wbuf *w, uint32_t v)
{
	return wbuf_put_be(w, v, 4);
}

int
wp_wbuf_put_u64(struct wp_wbuf *w, uint64_t v)
{
	return wbuf_put_be(w, v, 8);
}

int
wp_wbuf_reserve(struct wp_wbuf *w, size_t n, size_t *off)
{
	uint8_t *p = wbuf_room(w, n);

	if (p == NULL)
		return -1;
	if (n > 0)
		memset(p, 0, n);
	*off = w->len;
	w->len += n;
	return 0;
}

static int
wbuf_patch_be(struct wp_wbuf *w, size_t off, uint64_t v, size_t width)
{
	if (w->error || off > w->len || width > w->len - off) {
		w->error = true;
		return -1;
	}
	for (size_t i = width; i > 0; i--, v >>= 8)
		w->data[off + i - 1] = (uint8_t)v;
	return 0;
}

int
wp_wbuf_put_u8_at(struct wp_wbuf *w, size_t off, uint8_t v)
{
	return wbuf_patch_be(w, off, v, 1);
}

int
wp_wbuf_put_u16_at(struct wp_wbuf *w, size_t off, uint16_t v)
{
	return wbuf_patch_be(w, off, v, 2);
}

int
wp_wbuf_put_u32_at(struct wp_wbuf *w, size_t off, uint32_t v)
{
	return wbuf_patch_be(w, off, v, 4);
}
