/*
 * wp_mem.c: memory types, counters and the out-of-memory policy.
 * See wp_mem.h for the model.  malloc_usable_size() gives the byte count
 * without a per-allocation header, so counting costs no memory.
 */
#include "config.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wp_mem.h"

static struct wp_memtype *memtypes;

WP_MEMTYPE_DEFINE(MT_TMP, "temporary");
WP_MEMTYPE_DEFINE(MT_STRING, "string");

void
wp_memtype_register(struct wp_memtype *mt)
{
	mt->next = memtypes;
	memtypes = mt;
}

static void __attribute__((noreturn))
wp_mem_oom(const struct wp_memtype *mt, size_t size)
{
	fprintf(stderr, "waypoint: out of memory allocating %zu bytes for "
		"\"%s\"\n", size, mt->name);
	abort();
}

static void
wp_mem_account_add(struct wp_memtype *mt, void *p)
{
	mt->live++;
	mt->total++;
	mt->bytes += malloc_usable_size(p);
	if (mt->bytes > mt->peak_bytes)
		mt->peak_bytes = mt->bytes;
}

static void
wp_mem_account_del(struct wp_memtype *mt, void *p)
{
	size_t sz = malloc_usable_size(p);

	mt->live--;
	mt->bytes = mt->bytes >= sz ? mt->bytes - sz : 0;
}

void *
wp_malloc(struct wp_memtype *mt, size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		wp_mem_oom(mt, size);
	wp_mem_account_add(mt, p);
	return p;
}

void *
wp_calloc(struct wp_memtype *mt, size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (p == NULL)
		wp_mem_oom(mt, size);
	wp_mem_account_add(mt, p);
	return p;
}

void *
wp_realloc(struct wp_memtype *mt, void *ptr, size_t size)
{
	void *p;

	if (ptr == NULL)
		return wp_malloc(mt, size);
	wp_mem_account_del(mt, ptr);
	p = realloc(ptr, size ? size : 1);
	if (p == NULL)
		wp_mem_oom(mt, size);
	/* realloc is not a new allocation: undo the total bump. */
	wp_mem_account_add(mt, p);
	mt->total--;
	return p;
}

char *
wp_strdup(struct wp_memtype *mt, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = wp_malloc(mt, n);

	memcpy(p, s, n);
	return p;
}

char *
wp_strndup(struct wp_memtype *mt, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = wp_malloc(mt, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
wp_free(struct wp_memtype *mt, void *ptr)
{
	if (ptr == NULL)
		return;
	wp_mem_account_del(mt, ptr);
	free(ptr);
}

/* --- slabs ------------------------------------------------------------ */

static size_t slab_mapped;	/* bytes of pages, wp_slab_mapped() */

#if defined(__SANITIZE_ADDRESS__)
#define WP_SLAB_MALLOC	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WP_SLAB_MALLOC	1
#endif
#endif

#ifndef WP_SLAB_MALLOC
/*
 * A page: this header, then objects.  Objects never handed out lie past
 * `carved`; freed ones are chained through their first word.  A page is
 * on its slab's `avail` list while it has a free object.
 */
struct wp_slab_page {
	struct wp_slab_page *next, **pprev;
	void *free;
	unsigned int live;
	unsigned int carved;
};

#define SLAB_FIRST	((sizeof(struct wp_slab_page) + 15) & ~(size_t)15)

static inline size_t
slab_objsize(const struct wp_slab *s)
{
	size_t sz = s->size < sizeof(void *) ? sizeof(void *) : s->size;

	return (sz + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

static inline unsigned int
slab_per_page(const struct wp_slab *s)
{
	return (unsigned int)((WP_SLAB_PAGE - SLAB_FIRST) / slab_objsize(s));
}

static void
slab_list_add(struct wp_slab *s, struct wp_slab_page *pg)
{
	pg->next = s->avail;
	if (pg->next)
		pg->next->pprev = &pg->next;
	pg->pprev = &s->avail;
	s->avail = pg;
}

static void
slab_list_del(struct wp_slab_page *pg)
{
	*pg->pprev = pg->next;
	if (pg->next)
		pg->next->pprev = pg->pprev;
	pg->next = NULL;
	pg->pprev = NULL;
}

static void *
slab_map(struct wp_slab *s, size_t len)
{
	void *map = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (map == MAP_FAILED)
		wp_mem_oom(s->mt, len);
	return map;
}

/*
 * A page-sized, page-aligned mapping.  The kernel places each new mapping
 * just below the last, so once one page is aligned the next ones are too
 * and they merge into one VMA (a million routes would otherwise take
 * thousands of VMAs against vm.max_map_count).  When a plain mapping is
 * not aligned: map twice the size and trim the ends.
 */
static struct wp_slab_page *
slab_page_new(struct wp_slab *s)
{
	struct wp_slab_page *pg = s->spare;
	uintptr_t m, a;
	void *map;

	if (pg) {
		s->spare = NULL;
		return pg;
	}
	map = slab_map(s, WP_SLAB_PAGE);
	if (((uintptr_t)map & (WP_SLAB_PAGE - 1)) == 0) {
		slab_mapped += WP_SLAB_PAGE;
		return map;
	}
	munmap(map, WP_SLAB_PAGE);
	map = slab_map(s, 2 * WP_SLAB_PAGE);
	m = (uintptr_t)map;
	a = (m + WP_SLAB_PAGE - 1) & ~(uintptr_t)(WP_SLAB_PAGE - 1);
	if (a > m)
		munmap(map, a - m);
	if (m + WP_SLAB_PAGE > a)
		munmap((void *)(a + WP_SLAB_PAGE), m + WP_SLAB_PAGE - a);
	slab_mapped += WP_SLAB_PAGE;
	/* Fresh anonymous memory is zero: free, live and carved are too. */
	return (struct wp_slab_page *)a;
}
#endif

void *
wp_slab_alloc(struct wp_slab *s)
{
#ifdef WP_SLAB_MALLOC
	return wp_malloc(s->mt, s->size);
#else
	struct wp_slab_page *pg = s->avail;
	struct wp_memtype *mt = s->mt;
	void *p;

	if (pg == NULL) {
		pg = slab_page_new(s);
		slab_list_add(s, pg);
	}
	if (pg->free) {
		p = pg->free;
		pg->free = *(void **)p;
	} else {
		p = (char *)pg + SLAB_FIRST + pg->carved++ * slab_objsize(s);
	}
	pg->live++;
	if (pg->free == NULL && pg->carved == slab_per_page(s))
		slab_list_del(pg);
	mt->live++;
	mt->total++;
	mt->bytes += s->size;
	if (mt->bytes > mt->peak_bytes)
		mt->peak_bytes = mt->bytes;
	return p;
#endif
}

void *
wp_slab_zalloc(struct wp_slab *s)
{
	void *p = wp_slab_alloc(s);

	memset(p, 0, s->size);
	return p;
}

void
wp_slab_free(struct wp_slab *s, void *ptr)
{
#ifdef WP_SLAB_MALLOC
	wp_free(s->mt, ptr);
#else
	struct wp_slab_page *pg;

	if (ptr == NULL)
		return;
	pg = (struct wp_slab_page *)((uintptr_t)ptr &
				     ~(uintptr_t)(WP_SLAB_PAGE - 1));
	*(void **)ptr = pg->free;
	pg->free = ptr;
	if (pg->pprev == NULL)
		slab_list_add(s, pg);	/* was full */
	s->mt->live--;
	s->mt->bytes -= s->size;
	if (--pg->live)
		return;
	slab_list_del(pg);
	if (s->spare == NULL) {
		pg->free = NULL;
		pg->carved = 0;
		s->spare = pg;
	} else {
		munmap(pg, WP_SLAB_PAGE);
		slab_mapped -= WP_SLAB_PAGE;
	}
#endif
}

size_t
wp_slab_mapped(void)
{
	return slab_mapped;
}

void
wp_memtype_foreach(void (*fn)(const struct wp_memtype *mt, void *arg),
		   void *arg)
{
	for (struct wp_memtype *mt = memtypes; mt; mt = mt->next)
		fn(mt, arg);
}

size_t
wp_mem_report_leaks(FILE *out)
{
	size_t n = 0;

	for (struct wp_memtype *mt = memtypes; mt; mt = mt->next) {
		if (mt->live == 0)
			continue;
		n++;
		if (out)
			fprintf(out, "memory leak: %s: %zu allocations, %zu "
				"bytes\n", mt->name, mt->live, mt->bytes);
	}
	return n;
}
