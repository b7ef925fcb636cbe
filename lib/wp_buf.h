/*
 * wp_buf: bounds-checked readers and writers in network byte order.
 *
 * Every packet and message decoder in Waypoint reads through a wp_rbuf and
 * every encoder writes through a wp_wbuf, so no decoder does pointer
 * arithmetic of its own.
 *
 * Reader.  A read that would pass the end of the buffer fails (returns -1
 * or NULL), reads nothing, zeroes its output, and sets a sticky error flag:
 * every later read fails too, so a decoder may read a whole fixed part and
 * test the flag once.  The first failure is recorded (offset from the
 * start of the outermost buffer, bytes wanted, bytes left) for the log:
 *
 *	struct wp_rbuf r;
 *	uint16_t type, len;
 *
 *	wp_rbuf_init(&r, pkt, pktlen);
 *	wp_rbuf_get_u16(&r, &type);
 *	wp_rbuf_get_u16(&r, &len);
 *	if (wp_rbuf_sub(&r, len, &tlv) == -1) {
 *		wp_rbuf_strerror(&r, err, sizeof(err));
 *		// "truncated at offset 4: need 12 bytes, 2 left"
 *	}
 *
 * A sub-reader covers the next n bytes of its parent (a TLV value); the
 * parent moves past them at once.  Reads from the child cannot leave it,
 * and its offsets are still counted from the start of the outermost
 * buffer.  A child's error does not propagate to the parent.
 *
 * Writer.  Either growable (heap storage of a memory type, doubled as
 * needed) or fixed over a caller's buffer.  A put that does not fit a
 * fixed buffer writes nothing and sets a sticky error.  Length fields that
 * are known only at the end are reserved and patched:
 *
 *	wp_wbuf_put_u16(&w, TLV_FOO);
 *	wp_wbuf_reserve(&w, 2, &lenoff);
 *	... put the value ...
 *	wp_wbuf_put_u16_at(&w, lenoff, wp_wbuf_len(&w) - lenoff - 2);
 *	if (wp_wbuf_error(&w)) ...
 */
#ifndef WP_BUF_H
#define WP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wp_memtype;

/* Reader ------------------------------------------------------------- */

struct wp_rbuf {
	const uint8_t *data;
	size_t len;
	size_t pos;
	bool error;		/* sticky: set by the first failed read */
	size_t base;		/* offset of data[0] in the outermost buffer */
	size_t err_off;		/* where the first failed read started */
	size_t err_want;	/* bytes it needed */
	size_t err_left;	/* bytes that were left */
};

void wp_rbuf_init(struct wp_rbuf *r, const void *data, size_t len);

int wp_rbuf_get_u8(struct wp_rbuf *r, uint8_t *out);
int wp_rbuf_get_u16(struct wp_rbuf *r, uint16_t *out);
int wp_rbuf_get_u24(struct wp_rbuf *r, uint32_t *out);
int wp_rbuf_get_u32(struct wp_rbuf *r, uint32_t *out);
int wp_rbuf_get_u64(struct wp_rbuf *r, uint64_t *out);
int wp_rbuf_get_bytes(struct wp_rbuf *r, void *dst, size_t n);
/*
 * Pointer to the next n bytes, consumed; NULL if they are not there.  For
 * n == 0 the pointer is valid but must not be dereferenced.
 */
const uint8_t *wp_rbuf_get_ptr(struct wp_rbuf *r, size_t n);
int wp_rbuf_skip(struct wp_rbuf *r, size_t n);
/* A sub-reader over the next n bytes; on failure `child` is empty+error. */
int wp_rbuf_sub(struct wp_rbuf *r, size_t n, struct wp_rbuf *child);
/*
 * Look at the next byte without consuming it.  A peek past the end fails
 * but does not set the error flag: it is a question, not a read.
 */
int wp_rbuf_peek_u8(const struct wp_rbuf *r, uint8_t *out);

/* Bytes left; 0 once the error flag is set. */
size_t wp_rbuf_remaining(const struct wp_rbuf *r);
/* Offset of the next read from the start of the outermost buffer. */
size_t wp_rbuf_offset(const struct wp_rbuf *r);
bool wp_rbuf_error(const struct wp_rbuf *r);
/*
 * Describe the first failure: "truncated at offset 12: need 4 bytes, 2
 * left" (or "no error").  Returns what snprintf() returns.
 */
int wp_rbuf_strerror(const struct wp_rbuf *r, char *buf, size_t len);

/* Writer ------------------------------------------------------------- */

struct wp_wbuf {
	uint8_t *data;
	size_t len;		/* bytes written */
	size_t cap;
	struct wp_memtype *mt;	/* NULL: fixed buffer owned by the caller */
	bool error;		/* sticky: set by the first failed put */
};

/* Growable; `hint` bytes are allocated up front (0: on first put). */
void wp_wbuf_init(struct wp_wbuf *w, struct wp_memtype *mt, size_t hint);
/* Fixed capacity over `buf`, which the caller owns. */
void wp_wbuf_init_fixed(struct wp_wbuf *w, void *buf, size_t cap);
/* Release growable storage; a no-op for fixed buffers. */
void wp_wbuf_free(struct wp_wbuf *w);
/* Forget what was written and clear the error; storage is kept. */
void wp_wbuf_reset(struct wp_wbuf *w);
/*
 * Hand growable storage to the caller (free it with wp_free() and the
 * writer's memory type); the writer is left empty.  NULL for fixed
 * buffers, for a writer in error, and when nothing was allocated.
 */
uint8_t *wp_wbuf_detach(struct wp_wbuf *w, size_t *len);

int wp_wbuf_put_u8(struct wp_wbuf *w, uint8_t v);
int wp_wbuf_put_u16(struct wp_wbuf *w, uint16_t v);
int wp_wbuf_put_u24(struct wp_wbuf *w, uint32_t v);
int wp_wbuf_put_u32(struct wp_wbuf *w, uint32_t v);
int wp_wbuf_put_u64(struct wp_wbuf *w, uint64_t v);
int wp_wbuf_put_bytes(struct wp_wbuf *w, const void *src, size_t n);
/* Append n zero bytes and return their offset for a later *_at() patch. */
int wp_wbuf_reserve(struct wp_wbuf *w, size_t n, size_t *off);
/* Overwrite already written bytes at `off`; -1 if not all written yet. */
int wp_wbuf_put_u8_at(struct wp_wbuf *w, size_t off, uint8_t v);
int wp_wbuf_put_u16_at(struct wp_wbuf *w, size_t off, uint16_t v);
int wp_wbuf_put_u32_at(struct wp_wbuf *w, size_t off, uint32_t v);

static inline size_t
wp_wbuf_len(const struct wp_wbuf *w)
{
	return w->len;
}

/* Written bytes; valid until the next put on a growable writer. */
static inline uint8_t *
wp_wbuf_data(const struct wp_wbuf *w)
{
	return w->data;
}

static inline bool
wp_wbuf_error(const struct wp_wbuf *w)
{
	return w->error;
}

#endif /* WP_BUF_H */
