/*
 * wp_mem: allocation with memory types.
 *
 * Every allocation in Waypoint names a memory type.  Each type keeps live
 * counters (allocations and bytes, as reported by malloc_usable_size) so a
 * daemon can answer `show memory` and report leaks at exit.  Allocation
 * failure is not an error path: the process aborts with a message naming
 * the type and the size (a routing daemon that cannot allocate cannot keep
 * its promises to its peers anyway).
 *
 *	WP_MEMTYPE_DEFINE(MT_OSPF_NBR, "OSPF neighbor");   in one .c file
 *	WP_MEMTYPE_DECLARE(MT_OSPF_NBR);                   in the header
 *	nbr = wp_calloc(MT_OSPF_NBR, sizeof(*nbr));
 *	wp_free(MT_OSPF_NBR, nbr);
 *
 * The counters are not atomic: daemons are single-threaded by design.
 */
#ifndef WP_MEM_H
#define WP_MEM_H

#include <stddef.h>
#include <stdio.h>

struct wp_memtype {
	struct wp_memtype *next;	/* registry list */
	const char *name;
	size_t live;			/* allocations not yet freed */
	size_t bytes;			/* usable bytes of those */
	size_t total;			/* allocations ever made */
	size_t peak_bytes;
};

/* Types are registered by a constructor so `show memory` lists them all. */
#define WP_MEMTYPE_DEFINE(sym, desc)					\
	struct wp_memtype sym[1] = { { .name = (desc) } };		\
	static void __attribute__((constructor))			\
	wp_memtype_register_##sym(void)					\
	{								\
		wp_memtype_register(sym);				\
	}
#define WP_MEMTYPE_DECLARE(sym) extern struct wp_memtype sym[1]

void wp_memtype_register(struct wp_memtype *mt);

void *wp_malloc(struct wp_memtype *mt, size_t size);
void *wp_calloc(struct wp_memtype *mt, size_t size);
void *wp_realloc(struct wp_memtype *mt, void *ptr, size_t size);
char *wp_strdup(struct wp_memtype *mt, const char *s);
char *wp_strndup(struct wp_memtype *mt, const char *s, size_t n);
void wp_free(struct wp_memtype *mt, void *ptr);

/*
 * Slabs: objects of one size and type carved from 64 KiB pages, for the
 * records kept by the million (trie nodes, RIB destinations and routes).
 * malloc adds its 8-byte header to each chunk and rounds it to 16 bytes,
 * so a 16-byte trie leaf takes 32 and an 88-byte record 96; from a slab
 * they take 16 and 88.  A page goes back to the system once its last
 * object is freed (one empty page per slab is kept for reuse).  Objects
 * count in their type like any allocation, with their size as bytes.
 * Built with AddressSanitizer, a slab is plain wp_malloc()/wp_free(), so
 * use-after-free is still caught.
 *
 *	static struct wp_slab dest_slab =
 *		WP_SLAB_INIT(MT_RIB_DEST, sizeof(struct rib_dest));
 *	d = wp_slab_zalloc(&dest_slab);
 *	wp_slab_free(&dest_slab, d);
 */
struct wp_slab_page;

struct wp_slab {
	struct wp_memtype *mt;
	size_t size;			/* object size, as given */
	struct wp_slab_page *avail;	/* pages with a free object */
	struct wp_slab_page *spare;	/* an empty page kept for reuse */
};

#define WP_SLAB_PAGE		65536
#define WP_SLAB_INIT(mtsym, objsize)	{ .mt = (mtsym), .size = (objsize) }

void *wp_slab_alloc(struct wp_slab *s);
void *wp_slab_zalloc(struct wp_slab *s);
void wp_slab_free(struct wp_slab *s, void *ptr);
/* Bytes of slab pages mapped now, all slabs (spare pages included). */
size_t wp_slab_mapped(void);

/* Walk every registered type (in registration order reversed). */
void wp_memtype_foreach(void (*fn)(const struct wp_memtype *mt, void *arg),
			void *arg);

/*
 * Print one line per type that still has live allocations to `out` (may be
 * NULL to only count) and return the number of such types.
 */
size_t wp_mem_report_leaks(FILE *out);

/* Generic types for lib users that need no type of their own. */
WP_MEMTYPE_DECLARE(MT_TMP);
WP_MEMTYPE_DECLARE(MT_STRING);

#endif /* WP_MEM_H */
