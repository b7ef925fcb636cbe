/*
 * wp_trie: longest-prefix-match table, one address family per trie.
 *
 * Maps prefixes to non-NULL `void *` values.  Exact and longest-prefix
 * lookups, delete, and walks in wp_prefix_cmp() order (a prefix first, then
 * everything it contains).  The design -- a path-compressed binary trie
 * with three node sizes -- is described at the top of wp_trie.c and in
 * doc/developer/lib-trie.md.
 *
 *	struct wp_trie *t = wp_trie_new(AF_INET);
 *	wp_trie_insert(t, &pfx, route, &old);
 *	route = wp_trie_lookup_lpm(t, &dst, &matched);
 *	wp_trie_free(t, route_free);
 *
 * Prefixes given to the trie have their host bits ignored; prefixes it
 * hands back never have host bits set.  A prefix of the wrong family, or a
 * NULL value, is refused with -1/NULL and errno set (EAFNOSUPPORT, EINVAL).
 *
 * Long walks yield to the event loop with an iterator that holds no
 * pointer into the trie: each step looks up "the next prefix after the
 * last one returned", so the trie may change freely between steps.
 */
#ifndef WP_TRIE_H
#define WP_TRIE_H

#include <stdbool.h>
#include <stddef.h>

#include "wp_mem.h"
#include "wp_prefix.h"

WP_MEMTYPE_DECLARE(MT_TRIE);
WP_MEMTYPE_DECLARE(MT_TRIE_NODE);

struct wp_trie;

struct wp_trie_stats {
	size_t prefixes;	/* stored prefixes (== wp_trie_count()) */
	size_t nodes;		/* all nodes, prefixes and branch points */
	size_t glue;		/* branch points that hold no prefix */
	size_t bytes;		/* node bytes requested from the allocator */
};

/* Return non-zero to stop a walk; the walk then returns that value. */
typedef int (*wp_trie_walk_fn)(const struct wp_prefix *p, void *val,
			       void *arg);

/* AF_INET or AF_INET6; NULL (errno EAFNOSUPPORT) for anything else. */
struct wp_trie *wp_trie_new(int family);
/* Free the trie; `free_val` (may be NULL) is called once per value. */
void wp_trie_free(struct wp_trie *t, void (*free_val)(void *val));

int wp_trie_family(const struct wp_trie *t);
size_t wp_trie_count(const struct wp_trie *t);
void wp_trie_stats(const struct wp_trie *t, struct wp_trie_stats *st);

/*
 * Insert or replace.  On replace, *old (if `old` is not NULL) gets the
 * previous value, else NULL.  0, or -1 on a bad prefix or NULL value.
 */
int wp_trie_insert(struct wp_trie *t, const struct wp_prefix *p, void *val,
		   void **old);
/* Remove `p` and return its value; NULL if it was not there. */
void *wp_trie_delete(struct wp_trie *t, const struct wp_prefix *p);

/* --- lookups: the value, or NULL --------------------------------------- */

void *wp_trie_lookup_exact(const struct wp_trie *t, const struct wp_prefix *p);
/* Longest stored prefix holding address `a`; its prefix in *matched. */
void *wp_trie_lookup_lpm(const struct wp_trie *t, const struct wp_addr *a,
			 struct wp_prefix *matched);
/* Longest stored prefix covering `p`, `p` itself included. */
void *wp_trie_lookup_lpm_prefix(const struct wp_trie *t,
				const struct wp_prefix *p,
				struct wp_prefix *matched);
/* Longest stored prefix strictly shorter than `p` covering it. */
void *wp_trie_lookup_parent(const struct wp_trie *t, const struct wp_prefix *p,
			    struct wp_prefix *matched);

/* --- ordered access ------------------------------------------------------ */

/*
 * The first stored prefix after `after` in wp_prefix_cmp() order (the
 * first of all if `after` is NULL); `after` need not be stored.  0 with
 * *out / *val filled (either may be NULL), -1 if there is none.
 */
int wp_trie_next(const struct wp_trie *t, const struct wp_prefix *after,
		 struct wp_prefix *out, void **val);

/*
 * Call `fn` for each stored prefix inside `within` (everything if NULL),
 * in order.  `fn` must not change the trie; use an iterator for that.
 * Returns 0, what `fn` returned to stop, or -1 if `within` is of the
 * wrong family.
 */
int wp_trie_walk(const struct wp_trie *t, const struct wp_prefix *within,
		 wp_trie_walk_fn fn, void *arg);

/*
 * Resumable walk.  Each wp_trie_iter_next() costs one descent (O(width))
 * and holds nothing between calls but the last prefix returned, so the
 * caller may insert and delete (the current prefix too) between steps, or
 * stop after a slice and carry on from the next event loop callback.
 * Prefixes inserted behind the cursor are not seen; prefixes deleted
 * ahead of it are not returned.
 *
 *	wp_trie_iter_init(&it, t, NULL);
 *	while (budget-- > 0 && wp_trie_iter_next(&it, &p, &val) == 0)
 *		...;
 */
struct wp_trie_iter {
	const struct wp_trie *t;
	struct wp_prefix within;
	struct wp_prefix last;
	int state;		/* private */
};

void wp_trie_iter_init(struct wp_trie_iter *it, const struct wp_trie *t,
		       const struct wp_prefix *within);
/* 0 with *p / *val filled (either may be NULL), -1 when done. */
int wp_trie_iter_next(struct wp_trie_iter *it, struct wp_prefix *p,
		      void **val);

/*
 * Check the structure's invariants (for tests and debug builds); 0, or
 * -1 with a description of the first violation in `err`.
 */
int wp_trie_verify(const struct wp_trie *t, char *err, size_t errlen);

#endif /* WP_TRIE_H */
