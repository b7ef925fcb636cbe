/*
 * wp_prefix.c: parsing, formatting and bit arithmetic on addresses and
 * prefixes.
 *
 * The parsers are written out by hand instead of calling inet_pton() so a
 * failure can say what was wrong ("IPv4 octet 256 exceeds 255") rather
 * than just "invalid".  Checks run in a fixed order -- characters, then
 * shape (octet or group count), then each field -- so the same input always
 * gets the same message, and the unit tests pin every message down.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wp_prefix.h"

static int __attribute__((format(printf, 3, 4)))
prefix_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Quote one input character for a message: 'x' or '\x01'. */
static const char *
char_show(char c, char *buf, size_t len)
{
	unsigned char uc = (unsigned char)c;

	if (isprint(uc))
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "'\\x%02x'", uc);
	return buf;
}

unsigned int
wp_family_bits(int family)
{
	switch (family) {
	case AF_INET:
		return WP_ADDR_BITS_V4;
	case AF_INET6:
		return WP_ADDR_BITS_V6;
	default:
		return 0;
	}
}

const char *
wp_family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "IPv4";
	case AF_INET6:
		return "IPv6";
	default:
		return "unknown";
	}
}

/* --- parsing ---------------------------------------------------------- */

/* Dotted quad, exactly four decimal octets, no leading zeros. */
static int
parse_v4(const char *s, size_t n, uint8_t out[4], char *err, size_t errlen)
{
	size_t i, start, dots = 0;
	unsigned int k = 0;
	char cb[8];

	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)s[i]))
			return prefix_err(err, errlen,
			    "invalid character %s in IPv4 address",
			    char_show(s[i], cb, sizeof(cb)));
	}
	if (dots != 3)
		return prefix_err(err, errlen,
		    "IPv4 address has %zu octet%s, expected 4", dots + 1,
		    dots == 0 ? "" : "s");

	start = 0;
	for (i = 0; i <= n; i++) {
		const char *o = s + start;
		size_t olen = i - start;
		unsigned int v = 0;

		if (i < n && s[i] != '.')
			continue;
		if (olen == 0)
			return prefix_err(err, errlen,
			    "empty octet in IPv4 address");
		if (olen > 1 && o[0] == '0')
			return prefix_err(err, errlen,
			    "leading zero in IPv4 octet '%.*s'", (int)olen, o);
		for (size_t j = 0; j < olen && j < 4; j++)
			v = v * 10 + (unsigned int)(o[j] - '0');
		if (olen > 3 || v > 255)
			return prefix_err(err, errlen,
			    "IPv4 octet %.*s exceeds 255", (int)olen, o);
		out[k++] = (uint8_t)v;
		start = i + 1;
	}
	return 0;
}

static unsigned int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned int)(c - 'a' + 10);
	return (unsigned int)(c - 'A' + 10);
}

static size_t
count_substr(const char *s, size_t n, const char *sub)
{
	size_t k = strlen(sub), cnt = 0;

	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, sub, k) == 0)
			cnt++;
	return cnt;
}

/*
 * RFC 4291 section 2.2 text: eight groups of 1-4 hex digits, at most one
 * "::" standing for one or more zero groups, optionally ending in a dotted
 * quad that fills the last two groups.  No zone ("%eth0").
 */
static int
parse_v6(const char *s, size_t n, uint8_t out[16], char *err, size_t errlen)
{
	uint16_t w[8];
	int ngroups = 0, gap = -1;
	size_t i, j;
	char cb[8];

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isxdigit(c) && c != ':' && c != '.')
			return prefix_err(err, errlen,
			    "invalid character %s in IPv6 address",
			    char_show(s[i], cb, sizeof(cb)));
	}
	if (count_substr(s, n, ":::") > 0)
		return prefix_err(err, errlen, "':::' in IPv6 address");
	if (count_substr(s, n, "::") > 1)
		return prefix_err(err, errlen,
		    "more than one '::' in IPv6 address");
	if (s[0] == ':' && (n < 2 || s[1] != ':'))
		return prefix_err(err, errlen,
		    "IPv6 address starts with a single ':'");
	if (s[n - 1] == ':' && (n < 2 || s[n - 2] != ':'))
		return prefix_err(err, errlen,
		    "IPv6 address ends with a single ':'");

	i = 0;
	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	}
	while (i < n) {
		unsigned int v = 0;
		size_t glen;

		for (j = i; j < n && s[j] != ':'; j++)
			;
		glen = j - i;
		if (memchr(s + i, '.', glen) != NULL) {
			uint8_t q[4];

			if (j != n)
				return prefix_err(err, errlen,
				    "embedded IPv4 address must be last in "
				    "IPv6 address");
			if (parse_v4(s + i, glen, q, err, errlen) == -1)
				return -1;
			if (ngroups + 2 <= 8) {
				w[ngroups] = (uint16_t)(q[0] << 8 | q[1]);
				w[ngroups + 1] = (uint16_t)(q[2] << 8 | q[3]);
			}
			ngroups += 2;
			break;
		}
		if (glen > 4)
			return prefix_err(err, errlen,
			    "IPv6 group '%.*s' has more than 4 hex digits",
			    (int)glen, s + i);
		for (size_t k = 0; k < glen; k++)
			v = v << 4 | hex_value(s[i + k]);
		if (ngroups < 8)
			w[ngroups] = (uint16_t)v;
		ngroups++;
		i = j;
		if (i < n) {
			if (i + 1 < n && s[i + 1] == ':') {
				gap = ngroups;
				i += 2;
			} else {
				i++;
			}
		}
	}

	if (gap < 0 && ngroups != 8)
		return prefix_err(err, errlen,
		    "IPv6 address has %d group%s, expected 8", ngroups,
		    ngroups == 1 ? "" : "s");
	if (gap >= 0 && ngroups > 7)
		return prefix_err(err, errlen,
		    "IPv6 address has %d groups and '::', at most 7 allowed",
		    ngroups);

	memset(out, 0, 16);
	for (int g = 0; g < ngroups; g++) {
		int pos = g;

		if (gap >= 0 && g >= gap)
			pos = g + (8 - ngroups);
		out[2 * pos] = (uint8_t)(w[g] >> 8);
		out[2 * pos + 1] = (uint8_t)w[g];
	}
	return 0;
}

/* An address of either family in s[0..n), n > 0. */
static int
parse_addr(const char *s, size_t n, uint8_t *family, union wp_inaddr *u,
	   char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	if (memchr(s, ':', n) != NULL) {
		*family = AF_INET6;
		return parse_v6(s, n, u->bytes, err, errlen);
	}
	*family = AF_INET;
	return parse_v4(s, n, u->bytes, err, errlen);
}

int
wp_addr_parse(const char *s, struct wp_addr *a, char *err, size_t errlen)
{
	if (s == NULL || *s == '\0')
		return prefix_err(err, errlen, "empty address");
	return parse_addr(s, strlen(s), &a->family, &a->u, err, errlen);
}

static int
parse_len(const char *l, unsigned int maxlen, int family, unsigned int *len,
	  char *err, size_t errlen)
{
	size_t n = strlen(l);
	unsigned int v = 0;
	char cb[8];

	if (n == 0)
		return prefix_err(err, errlen, "empty prefix length");
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)l[i]))
			return prefix_err(err, errlen,
			    "invalid character %s in prefix length",
			    char_show(l[i], cb, sizeof(cb)));
	if (n > 1 && l[0] == '0')
		return prefix_err(err, errlen,
		    "leading zero in prefix length '%s'", l);
	for (size_t i = 0; i < n && i < 4; i++)
		v = v * 10 + (unsigned int)(l[i] - '0');
	if (n > 3 || v > maxlen)
		return prefix_err(err, errlen,
		    "prefix length %s exceeds %u for %s", l, maxlen,
		    wp_family_name(family));
	*len = v;
	return 0;
}

int
wp_prefix_parse_flags(const char *s, struct wp_prefix *p, unsigned int flags,
		      char *err, size_t errlen)
{
	const char *slash;
	unsigned int maxlen, len = 0;
	size_t alen;

	if (s == NULL || *s == '\0')
		return prefix_err(err, errlen, "empty prefix");
	slash = strchr(s, '/');
	alen = slash ? (size_t)(slash - s) : strlen(s);
	if (alen == 0)
		return prefix_err(err, errlen, "missing address before '/'");

	memset(p, 0, sizeof(*p));
	if (parse_addr(s, alen, &p->family, &p->u, err, errlen) == -1)
		return -1;
	if ((flags & WP_PREFIX_INET_ONLY) && p->family != AF_INET)
		return prefix_err(err, errlen,
		    "expected an IPv4 prefix, got IPv6");
	if ((flags & WP_PREFIX_INET6_ONLY) && p->family != AF_INET6)
		return prefix_err(err, errlen,
		    "expected an IPv6 prefix, got IPv4");

	maxlen = wp_family_bits(p->family);
	if (slash == NULL) {
		if (!(flags & WP_PREFIX_ALLOW_BARE_ADDR))
			return prefix_err(err, errlen,
			    "missing prefix length in %s", s);
		len = maxlen;
	} else if (parse_len(slash + 1, maxlen, p->family, &len, err,
			     errlen) == -1) {
		return -1;
	}
	p->len = (uint8_t)len;

	if (wp_prefix_is_masked(p) || (flags & WP_PREFIX_KEEP_HOST_BITS))
		return 0;
	if (flags & WP_PREFIX_ALLOW_HOST_BITS) {
		wp_prefix_mask(p);
		return 0;
	}
	if (err != NULL && errlen > 0) {
		struct wp_prefix m = *p;
		char buf[WP_PREFIX_STRLEN];

		wp_prefix_mask(&m);
		prefix_err(err, errlen, "host bits set in %s (did you mean %s?)",
		    s, wp_prefix_fmt(&m, buf, sizeof(buf)));
	}
	return -1;
}

int
wp_prefix_parse(const char *s, struct wp_prefix *p, char *err, size_t errlen)
{
	return wp_prefix_parse_flags(s, p, 0, err, errlen);
}

/* --- formatting ------------------------------------------------------- */

static void
fmt_v6(const uint8_t b[16], char *out, size_t outlen)
{
	char tmp[WP_ADDR_STRLEN], *o = tmp;
	unsigned int w[8];
	int best = -1, bestlen = 0, run = 0;
	int i;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned int)(b[2 * i] << 8 | b[2 * i + 1]);

	/* RFC 5952 section 5: IPv4-mapped addresses keep the dotted quad. */
	if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 &&
	    w[5] == 0xffff) {
		snprintf(out, outlen, "::ffff:%u.%u.%u.%u", b[12], b[13], b[14],
		    b[15]);
		return;
	}

	/* Section 4.2: shorten the longest run (the first on a tie) of at
	 * least two zero groups. */
	for (i = 0; i < 8; i++) {
		run = w[i] == 0 ? run + 1 : 0;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	if (bestlen < 2)
		best = -1;

	for (i = 0; i < 8;) {
		if (i == best) {
			*o++ = ':';
			*o++ = ':';
			i += bestlen;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			*o++ = ':';
		o += snprintf(o, (size_t)(tmp + sizeof(tmp) - o), "%x", w[i]);
		i++;
	}
	*o = '\0';
	snprintf(out, outlen, "%s", tmp);
}

static void
fmt_addr(int family, const union wp_inaddr *u, char *buf, size_t len)
{
	switch (family) {
	case AF_INET:
		snprintf(buf, len, "%u.%u.%u.%u", u->bytes[0], u->bytes[1],
		    u->bytes[2], u->bytes[3]);
		break;
	case AF_INET6:
		fmt_v6(u->bytes, buf, len);
		break;
	default:
		snprintf(buf, len, "(family %d)", family);
		break;
	}
}

char *
wp_addr_fmt(const struct wp_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	fmt_addr(a->family, &a->u, buf, len);
	return buf;
}

char *
wp_prefix_fmt(const struct wp_prefix *p, char *buf, size_t len)
{
	char tmp[WP_ADDR_STRLEN];

	if (len == 0)
		return buf;
	fmt_addr(p->family, &p->u, tmp, sizeof(tmp));
	snprintf(buf, len, "%s/%u", tmp, p->len);
	return buf;
}

/* --- comparison ------------------------------------------------------- */

static size_t
family_bytes(int family)
{
	unsigned int bits = wp_family_bits(family);

	return bits ? bits / 8 : sizeof(union wp_inaddr);
}

int
wp_prefix_cmp(const struct wp_prefix *a, const struct wp_prefix *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(a->u.bytes, b->u.bytes, family_bytes(a->family));
	if (r != 0)
		return r < 0 ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return 0;
}

bool
wp_prefix_eq(const struct wp_prefix *a, const struct wp_prefix *b)
{
	return wp_prefix_cmp(a, b) == 0;
}

int
wp_addr_cmp(const struct wp_addr *a, const struct wp_addr *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(a->u.bytes, b->u.bytes, family_bytes(a->family));
	if (r != 0)
		return r < 0 ? -1 : 1;
	return 0;
}

bool
wp_addr_eq(const struct wp_addr *a, const struct wp_addr *b)
{
	return wp_addr_cmp(a, b) == 0;
}

/* --- bits ------------------------------------------------------------- */

/* Do the first `len` bits of `a` and `b` agree? */
static bool
bits_equal(const uint8_t *a, const uint8_t *b, unsigned int len)
{
	unsigned int full = len / 8, rest = len % 8;
	uint8_t m;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	m = (uint8_t)(0xff << (8 - rest));
	return ((a[full] ^ b[full]) & m) == 0;
}

void
wp_prefix_mask(struct wp_prefix *p)
{
	for (unsigned int i = 0; i < sizeof(p->u.bytes); i++) {
		unsigned int lo = 8 * i;

		if (p->len >= lo + 8)
			continue;
		if (p->len <= lo)
			p->u.bytes[i] = 0;
		else
			p->u.bytes[i] &= (uint8_t)(0xff << (8 - (p->len - lo)));
	}
}

bool
wp_prefix_is_masked(const struct wp_prefix *p)
{
	struct wp_prefix m = *p;

	wp_prefix_mask(&m);
	return memcmp(m.u.bytes, p->u.bytes, sizeof(m.u.bytes)) == 0;
}

bool
wp_prefix_contains(const struct wp_prefix *a, const struct wp_prefix *b)
{
	if (a->family != b->family || a->len > b->len)
		return false;
	return bits_equal(a->u.bytes, b->u.bytes, a->len);
}

bool
wp_prefix_match_addr(const struct wp_prefix *p, const struct wp_addr *a)
{
	if (p->family != a->family)
		return false;
	return bits_equal(p->u.bytes, a->u.bytes, p->len);
}

unsigned int
wp_prefix_common_len(const struct wp_prefix *a, const struct wp_prefix *b)
{
	unsigned int limit = a->len < b->len ? a->len : b->len;

	if (a->family != b->family)
		return 0;
	for (unsigned int i = 0; i < sizeof(a->u.bytes); i++) {
		unsigned int x = a->u.bytes[i] ^ b->u.bytes[i];
		unsigned int c;

		if (x == 0)
			continue;
		/* x is a byte: clz over 32 bits counts 24 extra zeros. */
		c = 8 * i + (unsigned int)__builtin_clz(x) - 24;
		return c < limit ? c : limit;
	}
	return limit;
}

int
wp_prefix_from_addr(struct wp_prefix *p, const struct wp_addr *a,
		    unsigned int len)
{
	unsigned int bits = wp_family_bits(a->family);

	if (bits == 0 || len > bits)
		return -1;
	memset(p, 0, sizeof(*p));
	p->family = a->family;
	p->len = (uint8_t)len;
	memcpy(p->u.bytes, a->u.bytes, bits / 8);
	wp_prefix_mask(p);
	return 0;
}

void
wp_prefix_to_addr(const struct wp_prefix *p, struct wp_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = p->family;
	memcpy(a->u.bytes, p->u.bytes, sizeof(a->u.bytes));
}
