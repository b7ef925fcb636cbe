/*
 * wp_trie.c: a path-compressed binary (PATRICIA-style) trie.
 *
 * Shape.  Every node stands for one prefix: its key holds the prefix bits,
 * host bits clear, and its children extend it by at least one bit, child 0
 * or 1 by the value of bit `len` of their key.  Single-child chains are not
 * stored: a node exists only if it holds a value or is a branch point
 * ("glue") where two subtrees part.  So n prefixes need at most 2n - 1
 * nodes, the depth is at most width + 1 (33 or 129), and a delete that
 * leaves a glue node with one child removes that node too: memory follows
 * the number of stored prefixes, never the history of the table.
 *
 * Node layout.  A node is a small header (length, kind flags, key) and
 * then only the pointers it needs:
 *
 *	leaf	header | value			IPv4 16 bytes, IPv6 32
 *	inner	header | value | child0 child1	IPv4 32 bytes, IPv6 48
 *	glue	header | child0 child1		IPv4 24 bytes, IPv6 40
 *
 * In an Internet table most prefixes are leaves, so giving leaves no child
 * pointers is the largest single saving.  Nodes come from one slab per
 * size (wp_slab, no allocator header): an IPv4 leaf takes 16 bytes and a
 * glue node 24, where a malloc chunk took 32 for either.  A node changes kind (a leaf that
 * gains a child, an inner node that loses its value) by being copied to a
 * new allocation of the right size, which is why every operation tracks the
 * slot that points at the current node.  The key is kept as host-order
 * 32-bit words so bit tests and common-prefix lengths are shifts and clz.
 *
 * Operations.  Insert, delete, exact and longest-prefix lookup each make
 * one descent from the root comparing at most width bits in total:
 * O(width), independent of the table size.  Iteration needs no parent
 * pointers: the callback walk keeps an explicit stack (bounded by the
 * depth) and the resumable iterator re-descends to find the successor of
 * the last prefix it returned.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "wp_trie.h"

WP_MEMTYPE_DEFINE(MT_TRIE, "trie");
WP_MEMTYPE_DEFINE(MT_TRIE_NODE, "trie node");

#define TRIE_MAXDEPTH	(WP_ADDR_BITS_V6 + 1)

/* Node kind flags: which pointers follow the header. */
#define TN_VAL		0x01
#define TN_KIDS		0x02

struct wp_trie_node {
	uint8_t len;
	uint8_t flags;
	uint16_t spare;
	uint32_t key[];		/* 1 or 4 words; bit 0 = MSB of key[0] */
};

struct wp_trie {
	int family;
	unsigned int bits;	/* 32 or 128 */
	unsigned int words;	/* key words: 1 or 4 */
	unsigned int hdr;	/* header size, pointer aligned */
	struct wp_trie_node *root;
	size_t count;
	size_t nodes;
	size_t glue;
	size_t bytes;
};

/* --- keys ------------------------------------------------------------- */

static inline unsigned int
key_bit(const uint32_t *k, unsigned int i)
{
	return (k[i >> 5] >> (31 - (i & 31))) & 1;
}

/* The top `bits` (0..32) bits of a word. */
static inline uint32_t
word_mask(unsigned int bits)
{
	return bits == 0 ? 0 : ~(uint32_t)0 << (32 - bits);
}

/* Do the first `len` bits of `a` and `b` agree? */
static inline bool
key_match(const uint32_t *a, const uint32_t *b, unsigned int len)
{
	unsigned int i = 0;

	for (; len >= 32; i++, len -= 32)
		if (a[i] != b[i])
			return false;
	return len == 0 || ((a[i] ^ b[i]) & word_mask(len)) == 0;
}

/* Number of leading bits `a` and `b` share, at most `limit`. */
static inline unsigned int
key_common(const struct wp_trie *t, const uint32_t *a, const uint32_t *b,
	   unsigned int limit)
{
	for (unsigned int i = 0; i < t->words && 32 * i < limit; i++) {
		uint32_t x = a[i] ^ b[i];
		unsigned int c;

		if (x == 0)
			continue;
		c = 32 * i + (unsigned int)__builtin_clz(x);
		return c < limit ? c : limit;
	}
	return limit;
}

static void
key_mask(const struct wp_trie *t, uint32_t *k, unsigned int len)
{
	for (unsigned int i = 0; i < t->words; i++) {
		unsigned int lo = 32 * i;

		if (len >= lo + 32)
			continue;
		k[i] &= len > lo ? word_mask(len - lo) : 0;
	}
}

static void
key_from_bytes(const struct wp_trie *t, const uint8_t *b, unsigned int len,
	       uint32_t *k)
{
	for (unsigned int i = 0; i < t->words; i++)
		k[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
		    (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	key_mask(t, k, len);
}

static void
key_to_prefix(const struct wp_trie *t, const uint32_t *k, unsigned int len,
	      struct wp_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = (uint8_t)t->family;
	p->len = (uint8_t)len;
	for (unsigned int i = 0; i < t->words; i++) {
		p->u.bytes[4 * i] = (uint8_t)(k[i] >> 24);
		p->u.bytes[4 * i + 1] = (uint8_t)(k[i] >> 16);
		p->u.bytes[4 * i + 2] = (uint8_t)(k[i] >> 8);
		p->u.bytes[4 * i + 3] = (uint8_t)k[i];
	}
}

/* Validate `p` for this trie and turn it into a key. */
static int
key_from_prefix(const struct wp_trie *t, const struct wp_prefix *p,
		uint32_t *k)
{
	if (p->family != t->family) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (p->len > t->bits) {
		errno = EINVAL;
		return -1;
	}
	key_from_bytes(t, p->u.bytes, p->len, k);
	return 0;
}

/* --- nodes ------------------------------------------------------------ */

static inline size_t
node_size(const struct wp_trie *t, unsigned int flags)
{
	return t->hdr + (flags & TN_VAL ? sizeof(void *) : 0) +
	    (flags & TN_KIDS ? 2 * sizeof(void *) : 0);
}

static inline void **
node_val(const struct wp_trie *t, struct wp_trie_node *n)
{
	return (void **)(void *)((char *)n + t->hdr);
}

static inline struct wp_trie_node **
node_kids(const struct wp_trie *t, struct wp_trie_node *n)
{
	size_t off = t->hdr + (n->flags & TN_VAL ? sizeof(void *) : 0);

	return (struct wp_trie_node **)(void *)((char *)n + off);
}

/*
 * Nodes come from slabs, one per size (multiples of 8 from 16 to 48):
 * from malloc a 16-byte IPv4 leaf and a 24-byte glue node each took a
 * 32-byte chunk.
 */
static struct wp_slab node_slabs[] = {
	WP_SLAB_INIT(MT_TRIE_NODE, 16), WP_SLAB_INIT(MT_TRIE_NODE, 24),
	WP_SLAB_INIT(MT_TRIE_NODE, 32), WP_SLAB_INIT(MT_TRIE_NODE, 40),
	WP_SLAB_INIT(MT_TRIE_NODE, 48),
};

static inline struct wp_slab *
node_slab(size_t size)
{
	return &node_slabs[size / 8 - 2];
}

static struct wp_trie_node *
node_alloc(struct wp_trie *t, unsigned int flags)
{
	size_t size = node_size(t, flags);
	struct wp_trie_node *n = wp_slab_alloc(node_slab(size));

	n->flags = (uint8_t)flags;
	n->spare = 0;
	if (flags & TN_KIDS) {
		struct wp_trie_node **kids = node_kids(t, n);

		kids[0] = kids[1] = NULL;
	}
	t->nodes++;
	t->bytes += size;
	if (flags == TN_KIDS)
		t->glue++;
	return n;
}

static void
node_free(struct wp_trie *t, struct wp_trie_node *n)
{
	t->nodes--;
	t->bytes -= node_size(t, n->flags);
	if (n->flags == TN_KIDS)
		t->glue--;
	wp_slab_free(node_slab(node_size(t, n->flags)), n);
}

/* A node for the first `len` bits of `k`. */
static struct wp_trie_node *
node_new(struct wp_trie *t, const uint32_t *k, unsigned int len,
	 unsigned int flags)
{
	struct wp_trie_node *n = node_alloc(t, flags);

	n->len = (uint8_t)len;
	memcpy(n->key, k, t->words * sizeof(uint32_t));
	key_mask(t, n->key, len);
	return n;
}

/*
 * Copy `n` into a node of another kind and free it.  Pointers present in
 * both kinds are kept; a value slot gained is left for the caller to set.
 */
static struct wp_trie_node *
node_rekind(struct wp_trie *t, struct wp_trie_node *n, unsigned int flags)
{
	struct wp_trie_node *m = node_alloc(t, flags);

	m->len = n->len;
	memcpy(m->key, n->key, t->words * sizeof(uint32_t));
	if (flags & n->flags & TN_VAL)
		*node_val(t, m) = *node_val(t, n);
	if (flags & n->flags & TN_KIDS)
		memcpy(node_kids(t, m), node_kids(t, n),
		    2 * sizeof(struct wp_trie_node *));
	node_free(t, n);
	return m;
}

/* Leftmost node with a value in the subtree under `n`: its first prefix. */
static struct wp_trie_node *
node_first(const struct wp_trie *t, struct wp_trie_node *n)
{
	while (n != NULL && !(n->flags & TN_VAL))
		n = node_kids(t, n)[0];		/* glue has both children */
	return n;
}

/* --- trie ------------------------------------------------------------- */

struct wp_trie *
wp_trie_new(int family)
{
	struct wp_trie *t;
	unsigned int bits = wp_family_bits(family);

	if (bits == 0) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	t = wp_calloc(MT_TRIE, sizeof(*t));
	t->family = family;
	t->bits = bits;
	t->words = bits / 32;
	t->hdr = (unsigned int)(offsetof(struct wp_trie_node, key) +
	    t->words * sizeof(uint32_t));
	t->hdr = (t->hdr + sizeof(void *) - 1) & ~(unsigned int)(sizeof(void *) - 1);
	return t;
}

void
wp_trie_free(struct wp_trie *t, void (*free_val)(void *val))
{
	struct wp_trie_node *stack[2 * TRIE_MAXDEPTH];
	unsigned int sp = 0;

	if (t == NULL)
		return;
	if (t->root != NULL)
		stack[sp++] = t->root;
	while (sp > 0) {
		struct wp_trie_node *n = stack[--sp];

		if (n->flags & TN_KIDS) {
			struct wp_trie_node **kids = node_kids(t, n);

			if (kids[0] != NULL)
				stack[sp++] = kids[0];
			if (kids[1] != NULL)
				stack[sp++] = kids[1];
		}
		if ((n->flags & TN_VAL) && free_val != NULL)
			free_val(*node_val(t, n));
		node_free(t, n);
	}
	wp_free(MT_TRIE, t);
}

int
wp_trie_family(const struct wp_trie *t)
{
	return t->family;
}

size_t
wp_trie_count(const struct wp_trie *t)
{
	return t->count;
}

void
wp_trie_stats(const struct wp_trie *t, struct wp_trie_stats *st)
{
	st->prefixes = t->count;
	st->nodes = t->nodes;
	st->glue = t->glue;
	st->bytes = t->bytes;
}

int
wp_trie_insert(struct wp_trie *t, const struct wp_prefix *p, void *val,
	       void **old)
{
	struct wp_trie_node **slot = &t->root, *n, *m;
	uint32_t k[4];
	unsigned int len = p->len;

	if (old != NULL)
		*old = NULL;
	if (val == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (key_from_prefix(t, p, k) == -1)
		return -1;

	while ((n = *slot) != NULL) {
		unsigned int c = key_common(t, n->key, k,
		    n->len < len ? n->len : len);

		if (c < n->len) {
			/* `n` is off our path: we cover it, or we part at c. */
			if (c == len) {
				m = node_new(t, k, len, TN_VAL | TN_KIDS);
				node_kids(t, m)[key_bit(n->key, len)] = n;
				*slot = m;
			} else {
				struct wp_trie_node *g;

				g = node_new(t, k, c, TN_KIDS);
				m = node_new(t, k, len, TN_VAL);
				node_kids(t, g)[key_bit(k, c)] = m;
				node_kids(t, g)[key_bit(n->key, c)] = n;
				*slot = g;
			}
			*node_val(t, m) = val;
			t->count++;
			return 0;
		}
		if (n->len == len) {
			if (n->flags & TN_VAL) {
				if (old != NULL)
					*old = *node_val(t, n);
				*node_val(t, n) = val;
				return 0;
			}
			n = *slot = node_rekind(t, n, TN_VAL | TN_KIDS);
			*node_val(t, n) = val;
			t->count++;
			return 0;
		}
		if (!(n->flags & TN_KIDS))
			n = *slot = node_rekind(t, n, TN_VAL | TN_KIDS);
		slot = &node_kids(t, n)[key_bit(k, n->len)];
	}
	m = node_new(t, k, len, TN_VAL);
	*node_val(t, m) = val;
	*slot = m;
	t->count++;
	return 0;
}

void *
wp_trie_delete(struct wp_trie *t, const struct wp_prefix *p)
{
	struct wp_trie_node **slot = &t->root, **pslot = NULL;
	struct wp_trie_node *n, *parent, **kids;
	uint32_t k[4];
	unsigned int len = p->len;
	void *val;

	if (key_from_prefix(t, p, k) == -1)
		return NULL;
	while ((n = *slot) != NULL) {
		if (n->len > len || !key_match(n->key, k, n->len))
			return NULL;
		if (n->len == len)
			break;
		if (!(n->flags & TN_KIDS))
			return NULL;
		pslot = slot;
		slot = &node_kids(t, n)[key_bit(k, n->len)];
	}
	if (n == NULL || !(n->flags & TN_VAL))
		return NULL;
	val = *node_val(t, n);
	t->count--;

	if (n->flags & TN_KIDS) {
		/* Inner node: keep it as glue, or splice its only child up. */
		kids = node_kids(t, n);
		if (kids[0] != NULL && kids[1] != NULL) {
			*slot = node_rekind(t, n, TN_KIDS);
		} else {
			*slot = kids[0] != NULL ? kids[0] : kids[1];
			node_free(t, n);
		}
		return val;
	}

	/* Leaf: drop it, then fix up the parent that lost a child. */
	*slot = NULL;
	node_free(t, n);
	if (pslot == NULL)
		return val;
	parent = *pslot;
	kids = node_kids(t, parent);
	if (parent->flags & TN_VAL) {
		if (kids[0] == NULL && kids[1] == NULL)
			*pslot = node_rekind(t, parent, TN_VAL);
	} else {
		*pslot = kids[0] != NULL ? kids[0] : kids[1];
		node_free(t, parent);
	}
	return val;
}

/* --- lookups ---------------------------------------------------------- */

void *
wp_trie_lookup_exact(const struct wp_trie *t, const struct wp_prefix *p)
{
	struct wp_trie_node *n = t->root;
	uint32_t k[4];
	unsigned int len = p->len;

	if (key_from_prefix(t, p, k) == -1)
		return NULL;
	while (n != NULL) {
		if (n->len > len || !key_match(n->key, k, n->len))
			return NULL;
		if (n->len == len)
			return n->flags & TN_VAL ? *node_val(t, n) : NULL;
		if (!(n->flags & TN_KIDS))
			return NULL;
		n = node_kids(t, n)[key_bit(k, n->len)];
	}
	return NULL;
}

/* Longest prefix with a value covering the first `maxlen` bits of `k`. */
static struct wp_trie_node *
trie_lpm(const struct wp_trie *t, const uint32_t *k, unsigned int maxlen)
{
	struct wp_trie_node *n = t->root, *best = NULL;

	while (n != NULL && n->len <= maxlen) {
		if (!key_match(n->key, k, n->len))
			break;
		if (n->flags & TN_VAL)
			best = n;
		if (!(n->flags & TN_KIDS) || n->len == maxlen)
			break;
		n = node_kids(t, n)[key_bit(k, n->len)];
	}
	return best;
}

static void *
lpm_result(const struct wp_trie *t, struct wp_trie_node *n,
	   struct wp_prefix *matched)
{
	if (n == NULL)
		return NULL;
	if (matched != NULL)
		key_to_prefix(t, n->key, n->len, matched);
	return *node_val(t, n);
}

void *
wp_trie_lookup_lpm(const struct wp_trie *t, const struct wp_addr *a,
		   struct wp_prefix *matched)
{
	uint32_t k[4];

	if (a->family != t->family) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	key_from_bytes(t, a->u.bytes, t->bits, k);
	return lpm_result(t, trie_lpm(t, k, t->bits), matched);
}

void *
wp_trie_lookup_lpm_prefix(const struct wp_trie *t, const struct wp_prefix *p,
			  struct wp_prefix *matched)
{
	uint32_t k[4];

	if (key_from_prefix(t, p, k) == -1)
		return NULL;
	return lpm_result(t, trie_lpm(t, k, p->len), matched);
}

void *
wp_trie_lookup_parent(const struct wp_trie *t, const struct wp_prefix *p,
		      struct wp_prefix *matched)
{
	uint32_t k[4];

	if (key_from_prefix(t, p, k) == -1 || p->len == 0)
		return NULL;
	return lpm_result(t, trie_lpm(t, k, p->len - 1u), matched);
}

/* --- order ------------------------------------------------------------ */

/*
 * The first node with a value after prefix (k, len) in pre-order.  Walk
 * k's path remembering the deepest right subtree we passed on the left:
 * if nothing follows k inside the path's own subtree, that one does.
 */
static struct wp_trie_node *
trie_next(const struct wp_trie *t, const uint32_t *k, unsigned int len)
{
	struct wp_trie_node *n = t->root, *after = NULL, **kids;
	unsigned int b;

	while (n != NULL) {
		unsigned int c = key_common(t, n->key, k,
		    n->len < len ? n->len : len);

		if (c < n->len) {
			/* n's subtree is all after k (it is inside k, or
			 * parts from it with a 1 bit) or all before it. */
			if (c == len || key_bit(k, c) == 0)
				return node_first(t, n);
			break;
		}
		kids = n->flags & TN_KIDS ? node_kids(t, n) : NULL;
		if (kids == NULL)
			break;
		if (n->len == len)
			return node_first(t, kids[0] != NULL ? kids[0] : kids[1]);
		b = key_bit(k, n->len);
		if (b == 0 && kids[1] != NULL)
			after = kids[1];
		n = kids[b];
	}
	return node_first(t, after);
}

/* Root of the subtree holding exactly the prefixes inside (k, len). */
static struct wp_trie_node *
trie_subtree(const struct wp_trie *t, const uint32_t *k, unsigned int len)
{
	struct wp_trie_node *n = t->root;

	while (n != NULL && n->len < len) {
		if (!key_match(n->key, k, n->len) || !(n->flags & TN_KIDS))
			return NULL;
		n = node_kids(t, n)[key_bit(k, n->len)];
	}
	if (n != NULL && key_match(n->key, k, len))
		return n;
	return NULL;
}

int
wp_trie_next(const struct wp_trie *t, const struct wp_prefix *after,
	     struct wp_prefix *out, void **val)
{
	struct wp_trie_node *n;
	uint32_t k[4];

	if (after == NULL) {
		n = node_first(t, t->root);
	} else {
		if (key_from_prefix(t, after, k) == -1)
			return -1;
		n = trie_next(t, k, after->len);
	}
	if (n == NULL)
		return -1;
	if (out != NULL)
		key_to_prefix(t, n->key, n->len, out);
	if (val != NULL)
		*val = *node_val(t, n);
	return 0;
}

int
wp_trie_walk(const struct wp_trie *t, const struct wp_prefix *within,
	     wp_trie_walk_fn fn, void *arg)
{
	struct wp_trie_node *stack[TRIE_MAXDEPTH], *n, **kids;
	struct wp_prefix p;
	unsigned int sp = 0;
	uint32_t k[4];
	int r;

	if (within == NULL) {
		n = t->root;
	} else {
		if (key_from_prefix(t, within, k) == -1)
			return -1;
		n = trie_subtree(t, k, within->len);
	}
	while (n != NULL) {
		if (n->flags & TN_VAL) {
			key_to_prefix(t, n->key, n->len, &p);
			if ((r = fn(&p, *node_val(t, n), arg)) != 0)
				return r;
		}
		kids = n->flags & TN_KIDS ? node_kids(t, n) : NULL;
		if (kids != NULL && kids[0] != NULL) {
			if (kids[1] != NULL)
				stack[sp++] = kids[1];
			n = kids[0];
		} else if (kids != NULL && kids[1] != NULL) {
			n = kids[1];
		} else {
			n = sp > 0 ? stack[--sp] : NULL;
		}
	}
	return 0;
}

enum { ITER_START, ITER_RUN, ITER_DONE };

void
wp_trie_iter_init(struct wp_trie_iter *it, const struct wp_trie *t,
		  const struct wp_prefix *within)
{
	memset(it, 0, sizeof(*it));
	it->t = t;
	it->state = ITER_START;
	if (within != NULL) {
		it->within = *within;
		wp_prefix_mask(&it->within);
	} else {
		it->within.family = (uint8_t)t->family;
	}
	if (it->within.family != t->family || it->within.len > t->bits)
		it->state = ITER_DONE;
}

int
wp_trie_iter_next(struct wp_trie_iter *it, struct wp_prefix *p, void **val)
{
	const struct wp_trie *t = it->t;
	struct wp_trie_node *n;
	uint32_t w[4], k[4];
	unsigned int wlen = it->within.len;

	if (it->state == ITER_DONE)
		return -1;
	key_from_bytes(t, it->within.u.bytes, wlen, w);
	if (it->state == ITER_START) {
		n = node_first(t, trie_subtree(t, w, wlen));
	} else {
		key_from_bytes(t, it->last.u.bytes, it->last.len, k);
		n = trie_next(t, k, it->last.len);
	}
	/* The subtree is contiguous in order: leaving it ends the walk. */
	if (n == NULL || n->len < wlen || !key_match(n->key, w, wlen)) {
		it->state = ITER_DONE;
		return -1;
	}
	it->state = ITER_RUN;
	key_to_prefix(t, n->key, n->len, &it->last);
	if (p != NULL)
		*p = it->last;
	if (val != NULL)
		*val = *node_val(t, n);
	return 0;
}

/* --- checking --------------------------------------------------------- */

struct verify {
	const struct wp_trie *t;
	size_t count, nodes, glue, bytes;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 2, 3)))
verify_fail(struct verify *v, const char *fmt, ...)
{
	va_list ap;

	if (v->err != NULL && v->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(v->err, v->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
verify_node(struct verify *v, struct wp_trie_node *n,
	    const struct wp_trie_node *parent, unsigned int side)
{
	const struct wp_trie *t = v->t;
	struct wp_trie_node **kids;
	uint32_t k[4];
	struct wp_prefix p;
	char buf[WP_PREFIX_STRLEN];

	key_to_prefix(t, n->key, n->len, &p);
	wp_prefix_fmt(&p, buf, sizeof(buf));
	if (n->len > t->bits)
		return verify_fail(v, "%s: length past %u", buf, t->bits);
	memcpy(k, n->key, sizeof(uint32_t) * t->words);
	key_mask(t, k, n->len);
	if (memcmp(k, n->key, sizeof(uint32_t) * t->words) != 0)
		return verify_fail(v, "%s: host bits set in key", buf);
	if (parent != NULL) {
		if (n->len <= parent->len)
			return verify_fail(v, "%s: not longer than parent /%u",
			    buf, parent->len);
		if (!key_match(n->key, parent->key, parent->len))
			return verify_fail(v, "%s: not inside parent", buf);
		if (key_bit(n->key, parent->len) != side)
			return verify_fail(v, "%s: on the wrong side", buf);
	}
	v->nodes++;
	v->bytes += node_size(t, n->flags);
	switch (n->flags) {
	case TN_VAL:
		v->count++;
		if (*node_val(t, n) == NULL)
			return verify_fail(v, "%s: NULL value", buf);
		return 0;
	case TN_VAL | TN_KIDS:
		v->count++;
		if (*node_val(t, n) == NULL)
			return verify_fail(v, "%s: NULL value", buf);
		kids = node_kids(t, n);
		if (kids[0] == NULL && kids[1] == NULL)
			return verify_fail(v, "%s: inner node without children",
			    buf);
		break;
	case TN_KIDS:
		v->glue++;
		kids = node_kids(t, n);
		if (kids[0] == NULL || kids[1] == NULL)
			return verify_fail(v, "%s: glue node with one child",
			    buf);
		break;
	default:
		return verify_fail(v, "%s: bad flags %#x", buf, n->flags);
	}
	for (unsigned int i = 0; i < 2; i++)
		if (kids[i] != NULL && verify_node(v, kids[i], n, i) == -1)
			return -1;
	return 0;
}

int
wp_trie_verify(const struct wp_trie *t, char *err, size_t errlen)
{
	struct verify v = { .t = t, .err = err, .errlen = errlen };

	if (t->root != NULL && verify_node(&v, t->root, NULL, 0) == -1)
		return -1;
	if (v.count != t->count || v.nodes != t->nodes || v.glue != t->glue ||
	    v.bytes != t->bytes)
		return verify_fail(&v, "counters: prefixes %zu/%zu nodes "
		    "%zu/%zu glue %zu/%zu bytes %zu/%zu", v.count, t->count,
		    v.nodes, t->nodes, v.glue, t->glue, v.bytes, t->bytes);
	return 0;
}
