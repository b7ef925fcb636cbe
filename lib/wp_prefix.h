/*
 * wp_prefix: IPv4 and IPv6 addresses and prefixes.
 *
 * An address is a family (AF_INET or AF_INET6) and 4 or 16 bytes in
 * network order; a prefix adds a length.  Bytes past the family's width are
 * kept zero so two values can be compared with memcmp().  Bit 0 of an
 * address is the most significant bit of its first byte, as on the wire.
 *
 * Parsing is strict and says why it failed, in words fit for a CLI user:
 *
 *	char err[WP_PREFIX_ERRLEN];
 *	if (wp_prefix_parse(arg, &p, err, sizeof(err)) == -1)
 *		return vty_error(vty, "%% %s", err);
 *
 * wp_prefix_parse() wants "addr/len" with no bits set past the length;
 * wp_prefix_parse_flags() relaxes that on request.  Formatting follows
 * RFC 5952 (lower case, longest run of zero groups shortened to "::",
 * IPv4-mapped addresses as ::ffff:a.b.c.d).
 *
 * Ordering: wp_prefix_cmp() sorts by family, then address bytes, then
 * length.  For prefixes without host bits this is the pre-order of a binary
 * trie: a prefix sorts before everything it contains, and what it contains
 * is contiguous right after it.  wp_trie iterates in this order.
 */
#ifndef WP_PREFIX_H
#define WP_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>
#include <sys/socket.h>

#define WP_ADDR_STRLEN		46	/* INET6_ADDRSTRLEN, with the NUL */
#define WP_PREFIX_STRLEN	50	/* plus "/128" */
#define WP_PREFIX_ERRLEN	128	/* enough for any parse error */

#define WP_ADDR_BITS_V4		32
#define WP_ADDR_BITS_V6		128

union wp_inaddr {
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t bytes[16];
};

struct wp_addr {
	uint8_t family;			/* AF_INET or AF_INET6 */
	union wp_inaddr u;
};

struct wp_prefix {
	uint8_t family;			/* AF_INET or AF_INET6 */
	uint8_t len;			/* 0..32 or 0..128 */
	union wp_inaddr u;
};

/* wp_prefix_parse_flags() */
enum wp_prefix_parse_flag {
	/* "10.0.0.1/8" is accepted and becomes 10.0.0.0/8. */
	WP_PREFIX_ALLOW_HOST_BITS = 1 << 0,
	/* "10.0.0.1/8" is accepted as is (an interface address). */
	WP_PREFIX_KEEP_HOST_BITS = 1 << 1,
	/* "10.0.0.1" without a length is the host prefix 10.0.0.1/32. */
	WP_PREFIX_ALLOW_BARE_ADDR = 1 << 2,
	/* Refuse the other family. */
	WP_PREFIX_INET_ONLY = 1 << 3,
	WP_PREFIX_INET6_ONLY = 1 << 4,
};

/* --- text ----------------------------------------------------------- */

/*
 * Parse text into `a` / `p`; 0 on success.  On failure return -1 and, if
 * `err` is not NULL, put the reason in it (truncated to `errlen`).  `a` /
 * `p` are left unspecified on failure.
 */
int wp_addr_parse(const char *s, struct wp_addr *a, char *err, size_t errlen);
int wp_prefix_parse(const char *s, struct wp_prefix *p, char *err,
		    size_t errlen);
int wp_prefix_parse_flags(const char *s, struct wp_prefix *p,
			  unsigned int flags, char *err, size_t errlen);

/*
 * Format into `buf` and return it, so the call can sit in a printf
 * argument list.  A buffer of WP_ADDR_STRLEN / WP_PREFIX_STRLEN bytes is
 * always enough; a smaller one gets a truncated, terminated string.
 */
char *wp_addr_fmt(const struct wp_addr *a, char *buf, size_t len);
char *wp_prefix_fmt(const struct wp_prefix *p, char *buf, size_t len);

/* --- families ------------------------------------------------------- */

/* Address width in bits (32 or 128), 0 for an unknown family. */
unsigned int wp_family_bits(int family);
/* "IPv4" / "IPv6" / "unknown" */
const char *wp_family_name(int family);

/* --- comparison ----------------------------------------------------- */

/* Total order: family, address bytes, length.  <0, 0, >0 like memcmp. */
int wp_prefix_cmp(const struct wp_prefix *a, const struct wp_prefix *b);
bool wp_prefix_eq(const struct wp_prefix *a, const struct wp_prefix *b);
int wp_addr_cmp(const struct wp_addr *a, const struct wp_addr *b);
bool wp_addr_eq(const struct wp_addr *a, const struct wp_addr *b);

/* --- bits ----------------------------------------------------------- */

/* Clear the bits past p->len. */
void wp_prefix_mask(struct wp_prefix *p);
/* True if no bit past p->len is set. */
bool wp_prefix_is_masked(const struct wp_prefix *p);
/* True if `a` covers `b`: same family, a->len <= b->len, same first bits. */
bool wp_prefix_contains(const struct wp_prefix *a, const struct wp_prefix *b);
/* True if address `a` falls inside `p`. */
bool wp_prefix_match_addr(const struct wp_prefix *p, const struct wp_addr *a);
/* Length of the longest prefix `a` and `b` share, at most min(lengths). */
unsigned int wp_prefix_common_len(const struct wp_prefix *a,
				  const struct wp_prefix *b);
/*
 * The prefix of length `len` holding `a`, host bits cleared; -1 if `len`
 * is past the family's width or the family is unknown.
 */
int wp_prefix_from_addr(struct wp_prefix *p, const struct wp_addr *a,
			unsigned int len);
/* The prefix's address, host bits as stored. */
void wp_prefix_to_addr(const struct wp_prefix *p, struct wp_addr *a);

/* Bit `i` (0 = most significant) of the prefix's address: 0 or 1. */
static inline int
wp_prefix_bit(const struct wp_prefix *p, unsigned int i)
{
	return (p->u.bytes[i >> 3] >> (7 - (i & 7))) & 1;
}

static inline int
wp_addr_bit(const struct wp_addr *a, unsigned int i)
{
	return (a->u.bytes[i >> 3] >> (7 - (i & 7))) & 1;
}

#endif /* WP_PREFIX_H */
