/*
 * Unit tests for lib/wp_trie.
 *
 * Edge cases first (default route, host routes, replace, deleting what is
 * not there, bad input), then a randomized run per address family that
 * drives the trie and a brute-force reference (an unsorted array searched
 * linearly) with the same 100k operations and compares every answer:
 * exact and longest-prefix lookups, successor, walk order, subtree walks,
 * and a resumable iteration while the table changes under it.  Prefixes are
 * drawn near a few base addresses with short lengths favoured, so prefixes
 * nest deeply and lookups usually have several candidates.
 *
 * The seed is fixed and printed; WP_TEST_SEED=<n> replays another one.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_mem.h"
#include "wp_prefix.h"
#include "wp_trie.h"

#define RANDOM_OPS	100000
#define REF_HIGH	1200	/* reference size where inserts slow down */

static uint64_t seed = 20240601;
static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int
rnd(unsigned int n)
{
	return (unsigned int)(rng() % n);
}

static void *
V(uintptr_t v)
{
	return (void *)v;
}

static struct wp_prefix
P(const char *s)
{
	struct wp_prefix p;
	char err[WP_PREFIX_ERRLEN];

	if (wp_prefix_parse_flags(s, &p, WP_PREFIX_KEEP_HOST_BITS, err,
	    sizeof(err)) == -1)
		ck_abort_msg("%s: %s", s, err);
	return p;
}

static struct wp_addr
A(const char *s)
{
	struct wp_addr a;
	char err[WP_PREFIX_ERRLEN];

	if (wp_addr_parse(s, &a, err, sizeof(err)) == -1)
		ck_abort_msg("%s: %s", s, err);
	return a;
}

/*
 * Every passing ck_assert() is recorded with a write(2); the randomized
 * runs make millions of checks, so they test first and call into Check
 * only to fail.
 */
#define EXPECT(cond, ...)						\
	do {								\
		if (!(cond))						\
			ck_abort_msg(__VA_ARGS__);			\
	} while (0)
#define EXPECT_EQ(a, b)		EXPECT((a) == (b), "%s == %s", #a, #b)
#define EXPECT_TRUE(x)		EXPECT(x, "%s", #x)

static const char *
fmt(const struct wp_prefix *p)
{
	static char bufs[4][WP_PREFIX_STRLEN];
	static unsigned int i;

	return wp_prefix_fmt(p, bufs[i++ % 4], WP_PREFIX_STRLEN);
}

static void
verify(const struct wp_trie *t)
{
	char err[256];

	ck_assert_msg(wp_trie_verify(t, err, sizeof(err)) == 0, "%s", err);
}

/* --- edge cases --------------------------------------------------------- */

START_TEST(test_default_route)
{
	struct wp_trie *t = wp_trie_new(AF_INET);
	struct wp_prefix def = P("0.0.0.0/0"), m;
	struct wp_addr a = A("203.0.113.9");

	ck_assert_ptr_null(wp_trie_lookup_lpm(t, &a, &m));
	ck_assert_int_eq(wp_trie_insert(t, &def, V(1), NULL), 0);
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, &m), V(1));
	ck_assert_str_eq(fmt(&m), "0.0.0.0/0");
	a = A("255.255.255.255");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, NULL), V(1));
	a = A("0.0.0.0");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, NULL), V(1));
	ck_assert_ptr_null(wp_trie_lookup_parent(t, &def, &m));
	ck_assert_ptr_eq(wp_trie_lookup_exact(t, &def), V(1));
	ck_assert_ptr_eq(wp_trie_lookup_lpm_prefix(t, &def, &m), V(1));

	/* A more specific under the default, then the default goes. */
	m = P("10.0.0.0/8");
	ck_assert_int_eq(wp_trie_insert(t, &m, V(2), NULL), 0);
	ck_assert_ptr_eq(wp_trie_lookup_parent(t, &m, NULL), V(1));
	ck_assert_ptr_eq(wp_trie_delete(t, &def), V(1));
	ck_assert_ptr_null(wp_trie_lookup_parent(t, &m, NULL));
	ck_assert_ptr_null(wp_trie_lookup_lpm(t, &a, NULL));
	verify(t);
	ck_assert_uint_eq(wp_trie_count(t), 1);
	wp_trie_free(t, NULL);

	t = wp_trie_new(AF_INET6);
	def = P("::/0");
	a = A("2001:db8::1");
	ck_assert_int_eq(wp_trie_insert(t, &def, V(3), NULL), 0);
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, &m), V(3));
	ck_assert_str_eq(fmt(&m), "::/0");
	ck_assert_ptr_eq(wp_trie_delete(t, &def), V(3));
	ck_assert_uint_eq(MT_TRIE_NODE->live, 0);
	wp_trie_free(t, NULL);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_host_routes)
{
	struct wp_trie *t = wp_trie_new(AF_INET);
	struct wp_prefix h = P("192.0.2.1/32"), n = P("192.0.2.0/24"), m;
	struct wp_addr a;

	ck_assert_int_eq(wp_trie_insert(t, &h, V(1), NULL), 0);
	ck_assert_int_eq(wp_trie_insert(t, &n, V(2), NULL), 0);
	a = A("192.0.2.1");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, &m), V(1));
	ck_assert_str_eq(fmt(&m), "192.0.2.1/32");
	a = A("192.0.2.2");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, &m), V(2));
	ck_assert_str_eq(fmt(&m), "192.0.2.0/24");
	ck_assert_ptr_eq(wp_trie_lookup_parent(t, &h, &m), V(2));
	ck_assert_ptr_eq(wp_trie_lookup_lpm_prefix(t, &h, &m), V(1));
	h = P("255.255.255.255/32");
	ck_assert_int_eq(wp_trie_insert(t, &h, V(3), NULL), 0);
	a = A("255.255.255.255");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, NULL), V(3));
	verify(t);
	wp_trie_free(t, NULL);

	t = wp_trie_new(AF_INET6);
	h = P("2001:db8::1/128");
	n = P("2001:db8::/64");
	ck_assert_int_eq(wp_trie_insert(t, &h, V(1), NULL), 0);
	ck_assert_int_eq(wp_trie_insert(t, &n, V(2), NULL), 0);
	a = A("2001:db8::1");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, &m), V(1));
	ck_assert_str_eq(fmt(&m), "2001:db8::1/128");
	a = A("2001:db8::2");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, &m), V(2));
	h = P("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	ck_assert_int_eq(wp_trie_insert(t, &h, V(3), NULL), 0);
	a = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	ck_assert_ptr_eq(wp_trie_lookup_lpm(t, &a, NULL), V(3));
	a = A("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
	ck_assert_ptr_null(wp_trie_lookup_lpm(t, &a, NULL));
	verify(t);
	wp_trie_free(t, NULL);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_replace_and_missing)
{
	struct wp_trie *t = wp_trie_new(AF_INET);
	struct wp_prefix a = P("10.0.0.0/8"), b = P("10.1.0.0/16");
	struct wp_prefix c = P("10.2.0.0/16"), glue = P("10.0.0.0/14");
	void *old = V(99);

	ck_assert_ptr_null(wp_trie_delete(t, &a));	/* empty trie */
	ck_assert_int_eq(wp_trie_insert(t, &a, V(1), &old), 0);
	ck_assert_ptr_null(old);
	ck_assert_int_eq(wp_trie_insert(t, &a, V(2), &old), 0);
	ck_assert_ptr_eq(old, V(1));
	ck_assert_uint_eq(wp_trie_count(t), 1);
	ck_assert_ptr_eq(wp_trie_lookup_exact(t, &a), V(2));

	/* b and c part at bit 14: a glue node 10.0.0.0/14 holds no value. */
	ck_assert_int_eq(wp_trie_insert(t, &b, V(3), NULL), 0);
	ck_assert_int_eq(wp_trie_insert(t, &c, V(4), NULL), 0);
	ck_assert_ptr_null(wp_trie_lookup_exact(t, &glue));
	ck_assert_ptr_null(wp_trie_delete(t, &glue));
	ck_assert_ptr_null(wp_trie_delete(t, &(struct wp_prefix){ 0 }));
	b.len = 24;
	ck_assert_ptr_null(wp_trie_delete(t, &b));
	b.len = 16;
	ck_assert_uint_eq(wp_trie_count(t), 3);
	verify(t);

	/* Fill the glue node, then empty everything again. */
	ck_assert_int_eq(wp_trie_insert(t, &glue, V(5), &old), 0);
	ck_assert_ptr_null(old);
	verify(t);
	ck_assert_ptr_eq(wp_trie_delete(t, &a), V(2));
	verify(t);
	ck_assert_ptr_eq(wp_trie_delete(t, &glue), V(5));
	verify(t);
	ck_assert_ptr_eq(wp_trie_delete(t, &b), V(3));
	verify(t);
	ck_assert_ptr_eq(wp_trie_delete(t, &c), V(4));
	ck_assert_ptr_null(wp_trie_delete(t, &c));
	ck_assert_uint_eq(wp_trie_count(t), 0);
	ck_assert_uint_eq(MT_TRIE_NODE->live, 0);
	wp_trie_free(t, NULL);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_bad_input)
{
	struct wp_trie *t = wp_trie_new(AF_INET);
	struct wp_prefix v6 = P("2001:db8::/32"), v4 = P("10.0.0.0/8");
	struct wp_addr a6 = A("2001:db8::1");
	struct wp_prefix out;

	ck_assert_ptr_null(wp_trie_new(AF_UNIX));
	ck_assert_int_eq(errno, EAFNOSUPPORT);
	ck_assert_int_eq(wp_trie_family(t), AF_INET);

	errno = 0;
	ck_assert_int_eq(wp_trie_insert(t, &v4, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(wp_trie_insert(t, &v6, V(1), NULL), -1);
	ck_assert_int_eq(errno, EAFNOSUPPORT);
	v4.len = 33;
	ck_assert_int_eq(wp_trie_insert(t, &v4, V(1), NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(wp_trie_lookup_lpm(t, &a6, NULL));
	ck_assert_ptr_null(wp_trie_lookup_exact(t, &v6));
	ck_assert_ptr_null(wp_trie_delete(t, &v6));
	ck_assert_int_eq(wp_trie_next(t, &v6, &out, NULL), -1);
	ck_assert_int_eq(wp_trie_walk(t, &v6, NULL, NULL), -1);
	ck_assert_uint_eq(wp_trie_count(t), 0);
	wp_trie_free(t, NULL);
	wp_trie_free(NULL, NULL);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

START_TEST(test_host_bits_ignored)
{
	struct wp_trie *t = wp_trie_new(AF_INET);
	struct wp_prefix p = P("10.1.2.3/8"), out;
	void *val;

	ck_assert_int_eq(wp_trie_insert(t, &p, V(1), NULL), 0);
	out = P("10.0.0.0/8");
	ck_assert_ptr_eq(wp_trie_lookup_exact(t, &out), V(1));
	ck_assert_ptr_eq(wp_trie_lookup_exact(t, &p), V(1));
	ck_assert_int_eq(wp_trie_next(t, NULL, &out, &val), 0);
	ck_assert_str_eq(fmt(&out), "10.0.0.0/8");
	ck_assert_ptr_eq(val, V(1));
	ck_assert_ptr_eq(wp_trie_delete(t, &p), V(1));
	wp_trie_free(t, NULL);
}
END_TEST

static int free_calls;

static void
count_free(void *val)
{
	ck_assert_ptr_nonnull(val);
	free_calls++;
}

static int
stop_at_third(const struct wp_prefix *p, void *val, void *arg)
{
	int *n = arg;

	return ++*n == 3 ? 7 : 0;
}

START_TEST(test_free_walk_stats)
{
	struct wp_trie *t = wp_trie_new(AF_INET6);
	struct wp_trie_stats st;
	int n = 0;

	for (unsigned int i = 0; i < 64; i++) {
		struct wp_prefix p = P("2001:db8::/32");

		p.u.bytes[4] = (uint8_t)(i * 37);
		p.len = (uint8_t)(40 + i % 9);
		wp_prefix_mask(&p);
		wp_trie_insert(t, &p, V(i + 1), NULL);
	}
	wp_trie_stats(t, &st);
	ck_assert_uint_eq(st.prefixes, wp_trie_count(t));
	ck_assert_uint_le(st.nodes, 2 * st.prefixes - 1);
	ck_assert_uint_le(st.glue, st.prefixes - 1);
	ck_assert_uint_eq(st.nodes, MT_TRIE_NODE->live);
	ck_assert_uint_ge(st.bytes, st.nodes * 32);
	ck_assert_int_eq(wp_trie_walk(t, NULL, stop_at_third, &n), 7);
	ck_assert_int_eq(n, 3);
	verify(t);
	free_calls = 0;
	wp_trie_free(t, count_free);
	ck_assert_int_eq(free_calls, (int)st.prefixes);
	ck_assert_uint_eq(MT_TRIE_NODE->live, 0);
	ck_assert_uint_eq(MT_TRIE->live, 0);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

/* --- reference model ------------------------------------------------- */

struct ref_ent {
	struct wp_prefix p;
	void *val;
};

struct ref {
	struct ref_ent *e;
	size_t n, cap;
};

static long
ref_find(const struct ref *r, const struct wp_prefix *p)
{
	for (size_t i = 0; i < r->n; i++)
		if (wp_prefix_eq(&r->e[i].p, p))
			return (long)i;
	return -1;
}

static void
ref_set(struct ref *r, const struct wp_prefix *p, void *val)
{
	long i = ref_find(r, p);

	if (i >= 0) {
		r->e[i].val = val;
		return;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->e = realloc(r->e, r->cap * sizeof(*r->e));
		ck_assert_ptr_nonnull(r->e);
	}
	r->e[r->n].p = *p;
	r->e[r->n].val = val;
	r->n++;
}

static void
ref_del(struct ref *r, long i)
{
	r->e[i] = r->e[--r->n];
}

/* Longest entry covering the first `maxlen` bits of `p`. */
static long
ref_lpm(const struct ref *r, const struct wp_prefix *p, unsigned int maxlen)
{
	long best = -1;

	for (size_t i = 0; i < r->n; i++) {
		const struct wp_prefix *q = &r->e[i].p;

		if (q->len > maxlen || !wp_prefix_contains(q, p))
			continue;
		if (best < 0 || q->len > r->e[best].p.len)
			best = (long)i;
	}
	return best;
}

/* Smallest entry after `p` (in `within` if not NULL). */
static long
ref_next(const struct ref *r, const struct wp_prefix *p,
	 const struct wp_prefix *within)
{
	long best = -1;

	for (size_t i = 0; i < r->n; i++) {
		const struct wp_prefix *q = &r->e[i].p;

		if (wp_prefix_cmp(q, p) <= 0)
			continue;
		if (within != NULL && !wp_prefix_contains(within, q))
			continue;
		if (best < 0 || wp_prefix_cmp(q, &r->e[best].p) < 0)
			best = (long)i;
	}
	return best;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct ref_ent *x = a, *y = b;

	return wp_prefix_cmp(&x->p, &y->p);
}

/* The entries inside `within` (all if NULL), sorted. */
static size_t
ref_sorted(const struct ref *r, const struct wp_prefix *within,
	   struct ref_ent *out)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++)
		if (within == NULL || wp_prefix_contains(within, &r->e[i].p))
			out[k++] = r->e[i];
	qsort(out, k, sizeof(*out), ent_cmp);
	return k;
}

/* --- random prefixes ---------------------------------------------------- */

#define NBASES 6

struct gen {
	int family;
	unsigned int bits;
	unsigned int flip;	/* each bit flips with probability 1/flip */
	uint8_t base[NBASES][16];
};

static void
gen_init(struct gen *g, int family)
{
	memset(g, 0, sizeof(*g));
	g->family = family;
	g->bits = wp_family_bits(family);
	g->flip = family == AF_INET ? 12 : 40;
	for (int i = 0; i < NBASES; i++)
		for (unsigned int b = 0; b < g->bits / 8; b++)
			g->base[i][b] = (uint8_t)rng();
}

/* Short lengths favoured so covering prefixes are common. */
static unsigned int
gen_len(const struct gen *g)
{
	unsigned int r = rnd(100);

	if (g->family == AF_INET) {
		if (r < 25)
			return rnd(9);
		if (r < 60)
			return 9 + rnd(8);
		if (r < 85)
			return 17 + rnd(8);
		return 25 + rnd(8);
	}
	if (r < 15)
		return rnd(17);
	if (r < 45)
		return 17 + rnd(32);
	if (r < 80)
		return 49 + rnd(16);
	return 65 + rnd(64);
}

static void
gen_bits(const struct gen *g, uint8_t *out)
{
	memcpy(out, g->base[rnd(NBASES)], g->bits / 8);
	if (rnd(50) == 0) {
		for (unsigned int b = 0; b < g->bits / 8; b++)
			out[b] = (uint8_t)rng();
		return;
	}
	for (unsigned int i = 0; i < g->bits; i++)
		if (rnd(g->flip) == 0)
			out[i / 8] ^= (uint8_t)(0x80 >> (i % 8));
}

static void
gen_prefix(const struct gen *g, struct wp_prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = (uint8_t)g->family;
	p->len = (uint8_t)gen_len(g);
	gen_bits(g, p->u.bytes);
	wp_prefix_mask(p);
}

static void
gen_addr(const struct gen *g, struct wp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)g->family;
	gen_bits(g, a->u.bytes);
}

/* --- comparisons -------------------------------------------------------- */

struct collect {
	struct ref_ent *e;
	size_t n;
};

static int
collect_cb(const struct wp_prefix *p, void *val, void *arg)
{
	struct collect *c = arg;

	c->e[c->n].p = *p;
	c->e[c->n].val = val;
	c->n++;
	return 0;
}

/* Walk, iterator and successor chain all list `within` in order. */
static void
check_order(const struct wp_trie *t, const struct ref *r,
	    const struct wp_prefix *within)
{
	struct ref_ent *want = malloc((r->n + 1) * sizeof(*want));
	struct ref_ent *got = malloc((r->n + 1) * sizeof(*got));
	struct collect c = { got, 0 };
	struct wp_trie_iter it;
	struct wp_prefix p;
	size_t n = ref_sorted(r, within, want), i;
	void *val;

	EXPECT_EQ(wp_trie_walk(t, within, collect_cb, &c), 0);
	EXPECT_EQ(c.n, n);
	for (i = 0; i < n; i++) {
		EXPECT(wp_prefix_eq(&got[i].p, &want[i].p),
		    "walk %zu: %s, want %s", i, fmt(&got[i].p),
		    fmt(&want[i].p));
		EXPECT_EQ(got[i].val, want[i].val);
	}

	wp_trie_iter_init(&it, t, within);
	for (i = 0; wp_trie_iter_next(&it, &p, &val) == 0; i++) {
		EXPECT(i < n, "%zu entries, want %zu", i + 1, n);
		EXPECT(wp_prefix_eq(&p, &want[i].p),
		    "iter %zu: %s, want %s", i, fmt(&p), fmt(&want[i].p));
		EXPECT_EQ(val, want[i].val);
	}
	EXPECT_EQ(i, n);
	EXPECT_EQ(wp_trie_iter_next(&it, &p, &val), -1);

	if (within == NULL) {
		int rc = wp_trie_next(t, NULL, &p, &val);

		for (i = 0; rc == 0; i++) {
			EXPECT(i < n, "%zu entries, want %zu", i + 1, n);
			EXPECT_TRUE(wp_prefix_eq(&p, &want[i].p));
			rc = wp_trie_next(t, &p, &p, &val);
		}
		EXPECT_EQ(i, n);
	}
	free(want);
	free(got);
}

static void
check_lpm(const struct wp_trie *t, const struct ref *r,
	  const struct wp_addr *a)
{
	struct wp_prefix ap, m;
	void *v;
	long i;

	wp_prefix_from_addr(&ap, a, wp_family_bits(a->family));
	i = ref_lpm(r, &ap, ap.len);
	v = wp_trie_lookup_lpm(t, a, &m);
	if (i < 0) {
		EXPECT(v == NULL, "lpm %s: got %s", fmt(&ap), fmt(&m));
		return;
	}
	EXPECT(v == r->e[i].val, "lpm %s: want %s", fmt(&ap),
	    fmt(&r->e[i].p));
	EXPECT_TRUE(wp_prefix_eq(&m, &r->e[i].p));
}

static void
check_lpm_prefix(const struct wp_trie *t, const struct ref *r,
		 const struct wp_prefix *p)
{
	struct wp_prefix m;
	long i = ref_lpm(r, p, p->len);
	void *v = wp_trie_lookup_lpm_prefix(t, p, &m);

	EXPECT_EQ(v, i < 0 ? NULL : r->e[i].val);
	if (i >= 0)
		EXPECT_TRUE(wp_prefix_eq(&m, &r->e[i].p));
	i = p->len > 0 ? ref_lpm(r, p, p->len - 1u) : -1;
	v = wp_trie_lookup_parent(t, p, &m);
	EXPECT_EQ(v, i < 0 ? NULL : r->e[i].val);
	if (i >= 0)
		EXPECT_TRUE(wp_prefix_eq(&m, &r->e[i].p));
}

static void
check_next(const struct wp_trie *t, const struct ref *r,
	   const struct wp_prefix *p)
{
	struct wp_prefix q;
	void *v;
	long i = ref_next(r, p, NULL);
	int rc = wp_trie_next(t, p, &q, &v);

	if (i < 0) {
		EXPECT(rc == -1, "next %s: got %s", fmt(p), fmt(&q));
		return;
	}
	EXPECT(rc == 0 && wp_prefix_eq(&q, &r->e[i].p),
	    "next %s: got %s want %s", fmt(p), rc ? "none" : fmt(&q),
	    fmt(&r->e[i].p));
	EXPECT_EQ(v, r->e[i].val);
}

/* --- randomized run ----------------------------------------------------- */

struct counts {
	unsigned long insert, replace, del, del_miss, exact, lpm, lpm_pfx;
	unsigned long next, subtree, full;
};

static void
random_run(int family)
{
	struct wp_trie *t = wp_trie_new(family);
	struct ref r = { 0 };
	struct counts c = { 0 };
	struct gen g;
	uintptr_t nextval = 1;

	rng_state = seed ^ (uint64_t)family;
	gen_init(&g, family);

	for (int op = 0; op < RANDOM_OPS; op++) {
		unsigned int ins = r.n < REF_HIGH ? 40 : 20;
		unsigned int x = rnd(100);
		struct wp_prefix p;
		struct wp_addr a;
		void *old, *v;
		long i;

		gen_prefix(&g, &p);
		if (x < ins) {
			i = ref_find(&r, &p);
			v = V(nextval++);
			EXPECT_EQ(wp_trie_insert(t, &p, v, &old), 0);
			EXPECT_EQ(old, i < 0 ? NULL : r.e[i].val);
			ref_set(&r, &p, v);
			c.insert++;
			c.replace += i >= 0;
		} else if (x < 60) {
			if (r.n > 0 && rnd(10) < 7)
				p = r.e[rnd((unsigned int)r.n)].p;
			i = ref_find(&r, &p);
			v = wp_trie_delete(t, &p);
			EXPECT(v == (i < 0 ? NULL : r.e[i].val),
			    "delete %s", fmt(&p));
			if (i >= 0)
				ref_del(&r, i);
			c.del++;
			c.del_miss += i < 0;
		} else if (x < 78) {
			gen_addr(&g, &a);
			check_lpm(t, &r, &a);
			c.lpm++;
		} else if (x < 86) {
			if (r.n > 0 && rnd(2) == 0)
				p = r.e[rnd((unsigned int)r.n)].p;
			i = ref_find(&r, &p);
			EXPECT_EQ(wp_trie_lookup_exact(t, &p),
			    i < 0 ? NULL : r.e[i].val);
			c.exact++;
		} else if (x < 92) {
			check_lpm_prefix(t, &r, &p);
			c.lpm_pfx++;
		} else if (x < 97) {
			if (r.n > 0 && rnd(2) == 0)
				p = r.e[rnd((unsigned int)r.n)].p;
			check_next(t, &r, &p);
			c.next++;
		} else {
			check_order(t, &r, &p);
			c.subtree++;
		}
		EXPECT_EQ(wp_trie_count(t), r.n);
		if (op % 5000 == 4999) {
			verify(t);
			check_order(t, &r, NULL);
			c.full++;
		}
	}

	/* Delete what is left in random order: no node may survive. */
	while (r.n > 0) {
		long i = (long)rnd((unsigned int)r.n);

		EXPECT_EQ(wp_trie_delete(t, &r.e[i].p), r.e[i].val);
		ref_del(&r, i);
		if (r.n % 97 == 0)
			verify(t);
	}
	verify(t);
	EXPECT_EQ(wp_trie_count(t), 0);
	EXPECT_EQ(MT_TRIE_NODE->live, 0);
	wp_trie_free(t, NULL);
	free(r.e);
	EXPECT_EQ(wp_mem_report_leaks(NULL), 0);
	printf("check_trie: %s: %d ops: %lu inserts (%lu replace), %lu "
	    "deletes (%lu missing), %lu exact, %lu lpm, %lu lpm-prefix, "
	    "%lu next, %lu subtree walks, %lu full walks\n",
	    wp_family_name(family), RANDOM_OPS, c.insert, c.replace, c.del,
	    c.del_miss, c.exact, c.lpm, c.lpm_pfx, c.next, c.subtree, c.full);
}

START_TEST(test_random_v4)
{
	random_run(AF_INET);
}
END_TEST

START_TEST(test_random_v6)
{
	random_run(AF_INET6);
}
END_TEST

/*
 * Iterate in slices while the table changes between steps (as it would
 * between event loop callbacks): every step must return the smallest
 * prefix after the previous one that is in the table at that moment.
 */
static void
iter_churn_run(int family)
{
	struct wp_trie *t = wp_trie_new(family);
	struct ref r = { 0 };
	struct gen g;
	uintptr_t nextval = 1;

	rng_state = seed ^ (uint64_t)family ^ 0x17;
	gen_init(&g, family);
	for (int round = 0; round < 40; round++) {
		struct wp_trie_iter it;
		struct wp_prefix within, last, p;
		bool have_last = false;
		void *v;

		while (r.n < 600) {
			gen_prefix(&g, &p);
			wp_trie_insert(t, &p, V(nextval), NULL);
			ref_set(&r, &p, V(nextval++));
		}
		gen_prefix(&g, &within);
		if (round % 4 == 0)
			within.len = 0;
		wp_prefix_mask(&within);
		wp_trie_iter_init(&it, t, &within);
		for (;;) {
			long i;
			int rc;

			/* Change the table between steps. */
			for (unsigned int k = rnd(4); k > 0; k--) {
				gen_prefix(&g, &p);
				if (rnd(2) == 0) {
					wp_trie_insert(t, &p, V(nextval), NULL);
					ref_set(&r, &p, V(nextval++));
				} else {
					i = ref_find(&r, &p);
					if (i < 0 && r.n > 0)
						i = (long)rnd((unsigned int)r.n);
					if (i < 0)
						continue;
					EXPECT_EQ(wp_trie_delete(t,
					    &r.e[i].p), r.e[i].val);
					ref_del(&r, i);
				}
			}
			if (have_last && rnd(3) == 0 &&
			    (i = ref_find(&r, &last)) >= 0) {
				EXPECT_EQ(wp_trie_delete(t, &last),
				    r.e[i].val);
				ref_del(&r, i);
			}
			if (!have_last) {
				/* The first step may return `within` itself. */
				i = ref_find(&r, &within);
				if (i < 0)
					i = ref_next(&r, &within, &within);
			} else {
				i = ref_next(&r, &last, &within);
			}
			rc = wp_trie_iter_next(&it, &p, &v);
			if (i < 0) {
				EXPECT(rc == -1, "iter: extra %s",
				    fmt(&p));
				break;
			}
			EXPECT(rc == 0 && wp_prefix_eq(&p, &r.e[i].p),
			    "iter: got %s want %s", rc ? "end" : fmt(&p),
			    fmt(&r.e[i].p));
			EXPECT_EQ(v, r.e[i].val);
			last = p;
			have_last = true;
		}
		verify(t);
	}
	wp_trie_free(t, NULL);
	free(r.e);
	EXPECT_EQ(wp_mem_report_leaks(NULL), 0);
}

START_TEST(test_iter_churn_v4)
{
	iter_churn_run(AF_INET);
}
END_TEST

START_TEST(test_iter_churn_v6)
{
	iter_churn_run(AF_INET6);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("trie");
	TCase *edge = tcase_create("edge");
	TCase *random = tcase_create("random");
	const char *env = getenv("WP_TEST_SEED");

	if (env != NULL && *env != '\0')
		seed = strtoull(env, NULL, 0);
	printf("check_trie: seed %" PRIu64 " (WP_TEST_SEED=%" PRIu64
	    " to replay)\n", seed, seed);
	fflush(stdout);

	tcase_add_test(edge, test_default_route);
	tcase_add_test(edge, test_host_routes);
	tcase_add_test(edge, test_replace_and_missing);
	tcase_add_test(edge, test_bad_input);
	tcase_add_test(edge, test_host_bits_ignored);
	tcase_add_test(edge, test_free_walk_stats);
	suite_add_tcase(s, edge);

	tcase_set_timeout(random, 120);
	tcase_add_test(random, test_random_v4);
	tcase_add_test(random, test_random_v6);
	tcase_add_test(random, test_iter_churn_v4);
	tcase_add_test(random, test_iter_churn_v6);
	suite_add_tcase(s, random);

	return wp_check_run(s);
}
