/*
 * wp_mem.c: memory types, counters and the out-of-memory policy.
 * See wp_mem.h for the model.  malloc_usable_size() gives the byte count
 * without a per-allocation header, so counting costs no memory.
 */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
