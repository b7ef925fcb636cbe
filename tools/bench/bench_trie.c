/*
 * bench_trie: wp_trie against a per-length hash baseline.
 *
 * Two IPv4 tables of --count distinct prefixes:
 *   random    lengths uniform over /8../32, addresses uniform;
 *   internet  shaped like the IPv4 default-free table: the length mix of
 *             public BGP statistics (about 62% /24) and most prefixes
 *             inside a set of allocated blocks, so they nest.
 * For each table and each implementation: insert every prefix, look up
 * --lookups addresses (longest-prefix match) drawn uniformly from the
 * address space and as many drawn from inside stored prefixes ("routed"),
 * delete every prefix in random order; for the trie also time an ordered
 * walk and a full pass of the resumable iterator.  Print ns/op, bytes per
 * prefix and the trie/baseline ratio of each (above 1: the trie costs
 * more).  The two implementations must agree on every lookup (a checksum
 * of the values found), or the run fails.
 *
 * The baseline is the obvious alternative, and the way BIRD's fib finds
 * routes: one open-addressing hash table per prefix length, and a lookup
 * that probes the non-empty lengths from longest to shortest until one
 * hits.
 *
 *	tools/bench/bench_trie [--count N] [--lookups N] [--seed N]
 *			       [--table random|internet|both]
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wp_mem.h"
#include "wp_prefix.h"
#include "wp_trie.h"

WP_MEMTYPE_DEFINE(MT_BENCH_HASH, "bench per-length hash");
WP_MEMTYPE_DEFINE(MT_BENCH_DATA, "bench data");

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint32_t
len_mask(unsigned int len)
{
	return len == 0 ? 0 : ~(uint32_t)0 << (32 - len);
}

static void
prefix_v4(struct wp_prefix *p, uint32_t addr, unsigned int len)
{
	memset(p, 0, sizeof(*p));
	p->family = AF_INET;
	p->len = (uint8_t)len;
	addr &= len_mask(len);
	p->u.v4.s_addr = htonl(addr);
}

/* Bytes of heap in use, mmapped chunks (large hash tables) and slab
 * pages (trie nodes) included. */
static size_t
heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd + wp_slab_mapped();
}

static uint32_t
addr_host(const struct wp_addr *a)
{
	return ntohl(a->u.v4.s_addr);
}

/* --- baseline: one hash table per prefix length ------------------------ */

struct hent {
	uint32_t key;
	void *val;		/* NULL: empty slot */
};

struct htab {
	struct hent *e;
	size_t n;
	uint32_t mask;		/* capacity - 1 */
	unsigned int shift;	/* 64 - log2(capacity) */
};

struct lenhash {
	struct htab tab[33];
	unsigned int order[33];	/* non-empty lengths, longest first */
	unsigned int norder;
};

static inline uint32_t
hslot(const struct htab *h, uint32_t key)
{
	return (uint32_t)(((uint64_t)key * 0x9e3779b97f4a7c15ULL) >> h->shift);
}

static void
htab_resize(struct htab *h, unsigned int log2cap)
{
	struct htab old = *h;

	h->e = wp_calloc(MT_BENCH_HASH, sizeof(struct hent) << log2cap);
	h->mask = (1u << log2cap) - 1;
	h->shift = 64 - log2cap;
	for (size_t i = 0; old.e != NULL && i <= old.mask; i++) {
		uint32_t j;

		if (old.e[i].val == NULL)
			continue;
		for (j = hslot(h, old.e[i].key); h->e[j].val != NULL;
		     j = (j + 1) & h->mask)
			;
		h->e[j] = old.e[i];
	}
	wp_free(MT_BENCH_HASH, old.e);
}

static void
lenhash_reorder(struct lenhash *lh)
{
	lh->norder = 0;
	for (int len = 32; len >= 0; len--)
		if (lh->tab[len].n > 0)
			lh->order[lh->norder++] = (unsigned int)len;
}

static void
lenhash_insert(struct lenhash *lh, uint32_t addr, unsigned int len, void *val)
{
	struct htab *h = &lh->tab[len];
	uint32_t key = addr & len_mask(len), j;

	if (h->e == NULL || 2 * (h->n + 1) > (size_t)h->mask + 1)
		htab_resize(h, h->e == NULL ? 3 : 65 - h->shift);
	for (j = hslot(h, key); h->e[j].val != NULL; j = (j + 1) & h->mask) {
		if (h->e[j].key == key) {
			h->e[j].val = val;
			return;
		}
	}
	h->e[j].key = key;
	h->e[j].val = val;
	if (h->n++ == 0)
		lenhash_reorder(lh);
}

static void *
lenhash_delete(struct lenhash *lh, uint32_t addr, unsigned int len)
{
	struct htab *h = &lh->tab[len];
	uint32_t key = addr & len_mask(len), i, j;
	void *val;

	if (h->n == 0)
		return NULL;
	for (i = hslot(h, key); h->e[i].val != NULL; i = (i + 1) & h->mask)
		if (h->e[i].key == key)
			break;
	if ((val = h->e[i].val) == NULL)
		return NULL;
	/* Linear probing: shift later members of the cluster back. */
	h->e[i].val = NULL;
	for (j = (i + 1) & h->mask; h->e[j].val != NULL; j = (j + 1) & h->mask) {
		uint32_t home = hslot(h, h->e[j].key);
		int stays = i <= j ? (i < home && home <= j) :
		    (i < home || home <= j);

		if (stays)
			continue;
		h->e[i] = h->e[j];
		h->e[j].val = NULL;
		i = j;
	}
	if (--h->n == 0)
		lenhash_reorder(lh);
	return val;
}

static void *
lenhash_lpm(const struct lenhash *lh, const struct wp_addr *a)
{
	uint32_t addr = addr_host(a);

	for (unsigned int o = 0; o < lh->norder; o++) {
		unsigned int len = lh->order[o];
		const struct htab *h = &lh->tab[len];
		uint32_t key = addr & len_mask(len), j;

		for (j = hslot(h, key); h->e[j].val != NULL;
		     j = (j + 1) & h->mask)
			if (h->e[j].key == key)
				return h->e[j].val;
	}
	return NULL;
}

static void
lenhash_free(struct lenhash *lh)
{
	for (int len = 0; len <= 32; len++)
		wp_free(MT_BENCH_HASH, lh->tab[len].e);
	memset(lh, 0, sizeof(*lh));
}

/* --- tables ------------------------------------------------------------- */

/* Dedup set of (address, length) pairs. */
struct pset {
	uint64_t *e;		/* 0 = empty; else addr << 8 | len, + 1 */
	uint64_t mask;
};

static int
pset_add(struct pset *s, uint32_t addr, unsigned int len)
{
	uint64_t k = ((uint64_t)addr << 8 | len) + 1, j;

	for (j = (k * 0x9e3779b97f4a7c15ULL) >> 20 & s->mask; s->e[j] != 0;
	     j = (j + 1) & s->mask)
		if (s->e[j] == k)
			return 0;
	s->e[j] = k;
	return 1;
}

struct table {
	const char *name;
	const char *desc;
	struct wp_prefix *p;
	size_t n;
};

static void
table_init(struct table *t, struct pset *s, size_t n)
{
	uint64_t cap = 1;

	while (cap < 4 * (uint64_t)n)
		cap <<= 1;
	s->e = wp_calloc(MT_BENCH_DATA, cap * sizeof(uint64_t));
	s->mask = cap - 1;
	t->p = wp_malloc(MT_BENCH_DATA, n * sizeof(*t->p));
	t->n = 0;
}

static void
table_add(struct table *t, struct pset *s, uint32_t addr, unsigned int len)
{
	addr &= len_mask(len);
	if (pset_add(s, addr, len))
		prefix_v4(&t->p[t->n++], addr, len);
}

static void
gen_random(struct table *t, size_t n)
{
	struct pset s;

	t->name = "random";
	t->desc = "lengths uniform /8-/32, addresses uniform";
	table_init(t, &s, n);
	while (t->n < n)
		table_add(t, &s, (uint32_t)rng(), 8 + (unsigned int)(rng() % 25));
	wp_free(MT_BENCH_DATA, s.e);
}

/*
 * Length mix per 100000 prefixes, rounded from public IPv4 BGP table
 * statistics (2023-2024 default-free zone): /24 dominates, then /22 and
 * /23, with a long thin tail of short prefixes.
 */
static const struct {
	unsigned int len, weight;
} inet_lens[] = {
	{ 8, 15 }, { 9, 8 }, { 10, 15 }, { 11, 30 }, { 12, 60 },
	{ 13, 110 }, { 14, 180 }, { 15, 250 }, { 16, 1400 }, { 17, 900 },
	{ 18, 1400 }, { 19, 2700 }, { 20, 4200 }, { 21, 5200 },
	{ 22, 11500 }, { 23, 10000 }, { 24, 62032 },
};

static unsigned int
inet_len(void)
{
	unsigned int r = (unsigned int)(rng() % 100000), acc = 0;

	for (size_t i = 0; i < sizeof(inet_lens) / sizeof(inet_lens[0]); i++) {
		acc += inet_lens[i].weight;
		if (r < acc)
			return inet_lens[i].len;
	}
	return 24;
}

/* A unicast address: first octet 1..223. */
static uint32_t
unicast_addr(void)
{
	uint32_t a = (uint32_t)rng();

	return (1 + (a >> 24) % 223) << 24 | (a & 0xffffff);
}

static void
gen_internet(struct table *t, size_t n)
{
	struct pset s;
	size_t nblocks = n / 24 + 64;
	uint32_t *blk = wp_malloc(MT_BENCH_DATA, nblocks * sizeof(*blk));
	uint8_t *blen = wp_malloc(MT_BENCH_DATA, nblocks);

	t->name = "internet";
	t->desc = "IPv4 DFZ-like: ~62% /24, nested in allocated blocks";
	table_init(t, &s, n);

	/* Allocations /12../20; about half are announced as aggregates. */
	for (size_t i = 0; i < nblocks; i++) {
		blen[i] = (uint8_t)(12 + rng() % 9);
		blk[i] = unicast_addr() & len_mask(blen[i]);
		if (rng() % 2 == 0 && t->n < n)
			table_add(t, &s, blk[i], blen[i]);
	}
	while (t->n < n) {
		unsigned int len = inet_len();
		uint32_t addr = unicast_addr();

		/* Nine in ten prefixes fall inside an allocation. */
		if (rng() % 10 != 0) {
			for (int tries = 0; tries < 8; tries++) {
				size_t b = (size_t)(rng() % nblocks);

				if (blen[b] > len)
					continue;
				addr = blk[b] | ((uint32_t)rng() &
				    ~len_mask(blen[b]));
				break;
			}
		}
		table_add(t, &s, addr, len);
	}
	wp_free(MT_BENCH_DATA, s.e);
	wp_free(MT_BENCH_DATA, blk);
	wp_free(MT_BENCH_DATA, blen);
}

/* --- runs ----------------------------------------------------------------- */

/*
 * Always 0 (values are small integers), but the compiler cannot know, so
 * the next lookup's address waits for this one's result: the "serial" row
 * measures latency, where the others let the CPU overlap the cache misses
 * of consecutive lookups.
 */
#define SERIALIZE(v)	((size_t)((uintptr_t)(v) >> 48))

struct result {
	double insert_ns, lpm_ns, routed_ns, serial_ns, delete_ns;
	double bytes_usable;	/* memory type counter */
	double bytes_malloc;	/* malloc chunks in use, headers included */
	uint64_t sum, routed_sum, serial_sum;
	double walk_ns, iter_ns;	/* trie only: ordered walks */
	size_t walked, iterated;
	size_t hits;
};

struct input {
	const struct table *t;
	struct wp_addr *addrs;	/* uniform random */
	struct wp_addr *routed;	/* inside a random stored prefix */
	size_t naddrs;
	size_t *order;		/* delete order */
};

static int
count_cb(const struct wp_prefix *p, void *val, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

static void
run_trie(const struct input *in, struct result *r, struct wp_trie_stats *st)
{
	const struct table *tab = in->t;
	struct wp_trie *t = wp_trie_new(AF_INET);
	struct wp_trie_iter it;
	size_t mem0 = heap_bytes();
	double t0;

	t0 = now_ns();
	for (size_t i = 0; i < tab->n; i++)
		wp_trie_insert(t, &tab->p[i], (void *)(uintptr_t)(i + 1), NULL);
	r->insert_ns = (now_ns() - t0) / (double)tab->n;
	r->bytes_usable = (double)MT_TRIE_NODE->bytes / (double)tab->n;
	r->bytes_malloc = (double)(heap_bytes() - mem0) /
	    (double)tab->n;
	wp_trie_stats(t, st);

	t0 = now_ns();
	for (size_t i = 0; i < in->naddrs; i++) {
		void *v = wp_trie_lookup_lpm(t, &in->addrs[i], NULL);

		r->sum += (uintptr_t)v;
		r->hits += v != NULL;
	}
	r->lpm_ns = (now_ns() - t0) / (double)in->naddrs;

	t0 = now_ns();
	for (size_t i = 0; i < in->naddrs; i++)
		r->routed_sum += (uintptr_t)wp_trie_lookup_lpm(t,
		    &in->routed[i], NULL);
	r->routed_ns = (now_ns() - t0) / (double)in->naddrs;

	t0 = now_ns();
	for (size_t i = 0, dep = 0; i < in->naddrs; i++) {
		void *v = wp_trie_lookup_lpm(t, &in->routed[i + dep], NULL);

		dep = SERIALIZE(v);
		r->serial_sum += (uintptr_t)v;
	}
	r->serial_ns = (now_ns() - t0) / (double)in->naddrs;

	t0 = now_ns();
	wp_trie_walk(t, NULL, count_cb, &r->walked);
	r->walk_ns = (now_ns() - t0) / (double)tab->n;

	t0 = now_ns();
	wp_trie_iter_init(&it, t, NULL);
	while (wp_trie_iter_next(&it, NULL, NULL) == 0)
		r->iterated++;
	r->iter_ns = (now_ns() - t0) / (double)tab->n;

	t0 = now_ns();
	for (size_t i = 0; i < tab->n; i++)
		wp_trie_delete(t, &tab->p[in->order[i]]);
	r->delete_ns = (now_ns() - t0) / (double)tab->n;
	if (wp_trie_count(t) != 0 || MT_TRIE_NODE->live != 0) {
		fprintf(stderr, "bench_trie: trie not empty after deletes\n");
		exit(1);
	}
	wp_trie_free(t, NULL);
}

static void
run_hash(const struct input *in, struct result *r)
{
	const struct table *tab = in->t;
	struct lenhash *lh = wp_calloc(MT_BENCH_HASH, sizeof(*lh));
	size_t mem0 = heap_bytes(), base = MT_BENCH_HASH->bytes;
	double t0;

	t0 = now_ns();
	for (size_t i = 0; i < tab->n; i++)
		lenhash_insert(lh, ntohl(tab->p[i].u.v4.s_addr), tab->p[i].len,
		    (void *)(uintptr_t)(i + 1));
	r->insert_ns = (now_ns() - t0) / (double)tab->n;
	r->bytes_usable = (double)(MT_BENCH_HASH->bytes - base) /
	    (double)tab->n;
	r->bytes_malloc = (double)(heap_bytes() - mem0) /
	    (double)tab->n;

	t0 = now_ns();
	for (size_t i = 0; i < in->naddrs; i++) {
		void *v = lenhash_lpm(lh, &in->addrs[i]);

		r->sum += (uintptr_t)v;
		r->hits += v != NULL;
	}
	r->lpm_ns = (now_ns() - t0) / (double)in->naddrs;

	t0 = now_ns();
	for (size_t i = 0; i < in->naddrs; i++)
		r->routed_sum += (uintptr_t)lenhash_lpm(lh, &in->routed[i]);
	r->routed_ns = (now_ns() - t0) / (double)in->naddrs;

	t0 = now_ns();
	for (size_t i = 0, dep = 0; i < in->naddrs; i++) {
		void *v = lenhash_lpm(lh, &in->routed[i + dep]);

		dep = SERIALIZE(v);
		r->serial_sum += (uintptr_t)v;
	}
	r->serial_ns = (now_ns() - t0) / (double)in->naddrs;

	t0 = now_ns();
	for (size_t i = 0; i < tab->n; i++) {
		const struct wp_prefix *p = &tab->p[in->order[i]];

		lenhash_delete(lh, ntohl(p->u.v4.s_addr), p->len);
	}
	r->delete_ns = (now_ns() - t0) / (double)tab->n;
	for (int len = 0; len <= 32; len++) {
		if (lh->tab[len].n != 0) {
			fprintf(stderr, "bench_trie: hash not empty\n");
			exit(1);
		}
	}
	lenhash_free(lh);
	wp_free(MT_BENCH_HASH, lh);
}

static void
print_len_mix(const struct table *t)
{
	size_t cnt[33] = { 0 };

	for (size_t i = 0; i < t->n; i++)
		cnt[t->p[i].len]++;
	printf("  length mix:");
	for (int len = 0; len <= 32; len++)
		if (cnt[len] * 1000 >= t->n)
			printf(" /%d %.1f%%", len,
			    100.0 * (double)cnt[len] / (double)t->n);
	printf(" (lengths under 0.1%% not shown)\n");
}

/* One line of the report; the ratio is > 1 where the trie costs more. */
static void
print_row(const char *what, double trie, double hash)
{
	printf("  %-28s %10.1f %14.1f %10.2f\n", what, trie, hash,
	    trie / hash);
}

static int
bench_table(const struct table *tab, size_t nlookups)
{
	struct input in = { .t = tab, .naddrs = nlookups };
	struct result tr = { 0 }, hr = { 0 };
	struct wp_trie_stats st;

	in.addrs = wp_malloc(MT_BENCH_DATA, nlookups * sizeof(*in.addrs));
	in.routed = wp_malloc(MT_BENCH_DATA, nlookups * sizeof(*in.routed));
	in.order = wp_malloc(MT_BENCH_DATA, tab->n * sizeof(*in.order));
	for (size_t i = 0; i < nlookups; i++) {
		const struct wp_prefix *p = &tab->p[rng() % tab->n];
		uint32_t host = (uint32_t)rng() & ~len_mask(p->len);

		memset(&in.addrs[i], 0, sizeof(in.addrs[i]));
		in.addrs[i].family = AF_INET;
		in.addrs[i].u.v4.s_addr = htonl((uint32_t)rng());
		wp_prefix_to_addr(p, &in.routed[i]);
		in.routed[i].u.v4.s_addr |= htonl(host);
	}
	for (size_t i = 0; i < tab->n; i++)
		in.order[i] = i;
	for (size_t i = tab->n - 1; i > 0; i--) {
		size_t j = (size_t)(rng() % (i + 1)), x = in.order[i];

		in.order[i] = in.order[j];
		in.order[j] = x;
	}

	run_trie(&in, &tr, &st);
	run_hash(&in, &hr);

	printf("\ntable %s: %zu prefixes, %s\n", tab->name, tab->n, tab->desc);
	print_len_mix(tab);
	printf("  trie: %zu nodes (%zu glue), %.1f nodes/prefix\n", st.nodes,
	    st.glue, (double)st.nodes / (double)tab->n);
	printf("  lpm hits: %.1f%% of random addresses\n",
	    100.0 * (double)tr.hits / (double)nlookups);
	printf("  %-28s %10s %14s %10s\n", "", "wp_trie", "hash-per-len",
	    "trie/hash");
	print_row("insert ns/op", tr.insert_ns, hr.insert_ns);
	print_row("lpm ns/op (random addr)", tr.lpm_ns, hr.lpm_ns);
	print_row("lpm ns/op (routed addr)", tr.routed_ns, hr.routed_ns);
	print_row("lpm ns/op (routed, serial)", tr.serial_ns, hr.serial_ns);
	print_row("delete ns/op", tr.delete_ns, hr.delete_ns);
	printf("  %-28s %10.1f %14s\n", "ordered walk ns/prefix",
	    tr.walk_ns, "-");
	printf("  %-28s %10.1f %14s\n", "iterator ns/prefix", tr.iter_ns,
	    "-");
	print_row("bytes/prefix (memory type)", tr.bytes_usable,
	    hr.bytes_usable);
	/* Sanitizer builds have their own allocator: mallinfo2() says 0. */
	if (tr.bytes_malloc > 0 && hr.bytes_malloc > 0)
		print_row("bytes/prefix (malloc heap)", tr.bytes_malloc,
		    hr.bytes_malloc);

	wp_free(MT_BENCH_DATA, in.addrs);
	wp_free(MT_BENCH_DATA, in.routed);
	wp_free(MT_BENCH_DATA, in.order);
	if (tr.walked != tab->n || tr.iterated != tab->n) {
		fprintf(stderr, "bench_trie: %s: walk saw %zu, iterator %zu "
		    "of %zu prefixes\n", tab->name, tr.walked, tr.iterated,
		    tab->n);
		return -1;
	}
	if (tr.sum != hr.sum || tr.routed_sum != hr.routed_sum ||
	    tr.serial_sum != hr.serial_sum || tr.serial_sum != tr.routed_sum ||
	    tr.hits != hr.hits) {
		fprintf(stderr, "bench_trie: %s: trie and hash disagree on "
		    "lookups\n", tab->name);
		return -1;
	}
	printf("  lookups agree (checksum %016" PRIx64 ")\n", tr.sum);
	return 0;
}

static void
print_machine(void)
{
	char line[256], model[256] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) != 0 || colon == NULL)
			continue;
		snprintf(model, sizeof(model), "%s", colon + 2);
		model[strcspn(model, "\n")] = '\0';
		break;
	}
	if (f != NULL)
		fclose(f);
	printf("machine: %ld CPUs online, %s\n", sysconf(_SC_NPROCESSORS_ONLN),
	    model);
}

static void
usage(FILE *out)
{
	fprintf(out, "usage: bench_trie [--count N] [--lookups N] [--seed N] "
	    "[--table random|internet|both]\n");
}

static int
parse_size(const char *s, size_t *out, bool zero_ok)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || (v == 0 && !zero_ok))
		return -1;
	*out = (size_t)v;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "lookups", required_argument, NULL, 'l' },
		{ "seed", required_argument, NULL, 's' },
		{ "table", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	size_t count = 1000000, lookups = 0, seed = 1;
	const char *which = "both";
	struct table tab;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "n:l:s:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_size(optarg, &count, false) == -1)
				goto bad_arg;
			break;
		case 'l':
			if (parse_size(optarg, &lookups, false) == -1)
				goto bad_arg;
			break;
		case 's':
			if (parse_size(optarg, &seed, true) == -1)
				goto bad_arg;
			break;
		case 't':
			which = optarg;
			if (strcmp(which, "random") != 0 &&
			    strcmp(which, "internet") != 0 &&
			    strcmp(which, "both") != 0)
				goto bad_arg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (lookups == 0)
		lookups = count;

	printf("bench_trie: count %zu, lookups %zu, seed %zu\n", count,
	    lookups, seed);
	print_machine();

	if (strcmp(which, "internet") != 0) {
		rng_state = seed;
		gen_random(&tab, count);
		rc |= bench_table(&tab, lookups);
		wp_free(MT_BENCH_DATA, tab.p);
	}
	if (strcmp(which, "random") != 0) {
		rng_state = seed ^ 0x1f123bb5;
		gen_internet(&tab, count);
		rc |= bench_table(&tab, lookups);
		wp_free(MT_BENCH_DATA, tab.p);
	}
	if (wp_mem_report_leaks(stderr) != 0)
		rc = -1;
	return rc == 0 ? 0 : 1;

bad_arg:
	fprintf(stderr, "bench_trie: bad value '%s' for --%s\n", optarg,
	    c == 'n' ? "count" : c == 'l' ? "lookups" : c == 's' ? "seed" :
	    "table");
	usage(stderr);
	return 2;
}
