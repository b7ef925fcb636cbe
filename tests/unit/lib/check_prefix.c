/*
 * Unit tests for lib/wp_prefix: parse/format round trips, the exact text
 * of every parse error, ordering and bit helpers, and a cross-check of
 * formatting and parsing against libc's inet_ntop()/inet_pton().
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_prefix.h"

struct good_case {
	const char *in;
	unsigned int flags;
	const char *out;
};

static const struct good_case good[] = {
	{ "0.0.0.0/0", 0, "0.0.0.0/0" },
	{ "10.0.0.0/8", 0, "10.0.0.0/8" },
	{ "192.168.1.0/24", 0, "192.168.1.0/24" },
	{ "172.16.0.0/12", 0, "172.16.0.0/12" },
	{ "1.2.3.4/32", 0, "1.2.3.4/32" },
	{ "255.255.255.255/32", 0, "255.255.255.255/32" },
	{ "128.0.0.0/1", 0, "128.0.0.0/1" },
	{ "0.0.0.0/32", 0, "0.0.0.0/32" },
	{ "::/0", 0, "::/0" },
	{ "::1/128", 0, "::1/128" },
	{ "::/128", 0, "::/128" },
	{ "2001:db8::/32", 0, "2001:db8::/32" },
	{ "2001:DB8::/32", 0, "2001:db8::/32" },
	{ "2001:0db8:0000:0000:0000:0000:0000:0000/32", 0, "2001:db8::/32" },
	{ "fe80::/10", 0, "fe80::/10" },
	{ "ff00::/8", 0, "ff00::/8" },
	{ "::ffff:1.2.3.4/128", 0, "::ffff:1.2.3.4/128" },
	{ "::FFFF:10.0.0.0/104", 0, "::ffff:10.0.0.0/104" },
	{ "0:0:0:0:0:ffff:102:304/128", 0, "::ffff:1.2.3.4/128" },
	{ "::ffff:0:0/96", 0, "::ffff:0.0.0.0/96" },
	{ "::1.2.3.4/128", 0, "::102:304/128" },
	{ "64:ff9b::192.0.2.33/128", 0, "64:ff9b::c000:221/128" },
	{ "2001:db8:0:0:1:0:0:1/128", 0, "2001:db8::1:0:0:1/128" },
	{ "2001:db8:0:1:1:1:1:1/128", 0, "2001:db8:0:1:1:1:1:1/128" },
	{ "1:0:0:2:0:0:0:3/128", 0, "1:0:0:2::3/128" },
	{ "::2:3:4:5:6:7:8/128", 0, "0:2:3:4:5:6:7:8/128" },
	{ "1:2:3:4:5:6:7::/128", 0, "1:2:3:4:5:6:7:0/128" },
	{ "1::/16", 0, "1::/16" },
	{ "1::8/128", 0, "1::8/128" },
	{ "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff/128", 0,
	  "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff/128" },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 0,
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128" },
	{ "2001:db8:1::/48", 0, "2001:db8:1::/48" },
	{ "2001:db8:0:0:0:0:2:1/128", 0, "2001:db8::2:1/128" },
	/* flags */
	{ "10.0.0.1/8", WP_PREFIX_ALLOW_HOST_BITS, "10.0.0.0/8" },
	{ "10.255.255.255/9", WP_PREFIX_ALLOW_HOST_BITS, "10.128.0.0/9" },
	{ "2001:db8::1/32", WP_PREFIX_ALLOW_HOST_BITS, "2001:db8::/32" },
	{ "10.0.0.1/8", WP_PREFIX_KEEP_HOST_BITS, "10.0.0.1/8" },
	{ "fe80::1/64", WP_PREFIX_KEEP_HOST_BITS, "fe80::1/64" },
	{ "10.1.2.3", WP_PREFIX_ALLOW_BARE_ADDR, "10.1.2.3/32" },
	{ "2001:db8::1", WP_PREFIX_ALLOW_BARE_ADDR, "2001:db8::1/128" },
	{ "10.0.0.0/8", WP_PREFIX_INET_ONLY, "10.0.0.0/8" },
	{ "::/0", WP_PREFIX_INET6_ONLY, "::/0" },
};

struct bad_case {
	const char *in;
	unsigned int flags;
	const char *err;
};

static const struct bad_case bad[] = {
	{ "", 0, "empty prefix" },
	{ "/8", 0, "missing address before '/'" },
	{ "10.0.0.0", 0, "missing prefix length in 10.0.0.0" },
	{ "::", 0, "missing prefix length in ::" },
	{ "10.0.0.0/", 0, "empty prefix length" },
	{ "10.0.0.0/33", 0, "prefix length 33 exceeds 32 for IPv4" },
	{ "::/129", 0, "prefix length 129 exceeds 128 for IPv6" },
	{ "10.0.0.0/1234", 0, "prefix length 1234 exceeds 32 for IPv4" },
	{ "10.0.0.0/99999999999999999999", 0,
	  "prefix length 99999999999999999999 exceeds 32 for IPv4" },
	{ "10.0.0.0/08", 0, "leading zero in prefix length '08'" },
	{ "10.0.0.0/00", 0, "leading zero in prefix length '00'" },
	{ "10.0.0.0/8x", 0, "invalid character 'x' in prefix length" },
	{ "10.0.0.0/-1", 0, "invalid character '-' in prefix length" },
	{ "10.0.0.0/8/9", 0, "invalid character '/' in prefix length" },
	{ "10.0.0.0/ 8", 0, "invalid character ' ' in prefix length" },
	{ "10.0.0.1/8", 0,
	  "host bits set in 10.0.0.1/8 (did you mean 10.0.0.0/8?)" },
	{ "192.168.1.1/24", 0,
	  "host bits set in 192.168.1.1/24 (did you mean 192.168.1.0/24?)" },
	{ "2001:db8::1/32", 0,
	  "host bits set in 2001:db8::1/32 (did you mean 2001:db8::/32?)" },
	{ "10.0.0.1", WP_PREFIX_ALLOW_HOST_BITS,
	  "missing prefix length in 10.0.0.1" },
	/* IPv4 address text */
	{ "10.0.0.x/8", 0, "invalid character 'x' in IPv4 address" },
	{ " 10.0.0.0/8", 0, "invalid character ' ' in IPv4 address" },
	{ "10.0.0.0\n/8", 0, "invalid character '\\x0a' in IPv4 address" },
	{ "abc/8", 0, "invalid character 'a' in IPv4 address" },
	{ "10.0.0/8", 0, "IPv4 address has 3 octets, expected 4" },
	{ "10/8", 0, "IPv4 address has 1 octet, expected 4" },
	{ "1.2.3.4.5/32", 0, "IPv4 address has 5 octets, expected 4" },
	{ "1..2.3/32", 0, "empty octet in IPv4 address" },
	{ ".1.2.3/32", 0, "empty octet in IPv4 address" },
	{ "1.2.3./32", 0, "empty octet in IPv4 address" },
	{ "01.2.3.4/32", 0, "leading zero in IPv4 octet '01'" },
	{ "1.2.3.00/32", 0, "leading zero in IPv4 octet '00'" },
	{ "256.0.0.0/8", 0, "IPv4 octet 256 exceeds 255" },
	{ "1.2.3.1000/32", 0, "IPv4 octet 1000 exceeds 255" },
	/* IPv6 address text */
	{ "2001:db8::g/128", 0, "invalid character 'g' in IPv6 address" },
	{ "fe80::1%eth0/128", 0, "invalid character '%' in IPv6 address" },
	{ "[::1]/128", 0, "invalid character '[' in IPv6 address" },
	{ "1:::2/128", 0, "':::' in IPv6 address" },
	{ "1::2::3/128", 0, "more than one '::' in IPv6 address" },
	{ ":1:2:3:4:5:6:7/128", 0, "IPv6 address starts with a single ':'" },
	{ "1:2:3:4:5:6:7:/128", 0, "IPv6 address ends with a single ':'" },
	{ ":/128", 0, "IPv6 address starts with a single ':'" },
	{ "12345::/16", 0, "IPv6 group '12345' has more than 4 hex digits" },
	{ "1:2:3:4:5:6:7/128", 0, "IPv6 address has 7 groups, expected 8" },
	{ "1:2/128", 0, "IPv6 address has 2 groups, expected 8" },
	{ "1:2:3:4:5:6:7:8:9/128", 0,
	  "IPv6 address has 9 groups, expected 8" },
	{ "1:2:3:4::5:6:7:8/128", 0,
	  "IPv6 address has 8 groups and '::', at most 7 allowed" },
	{ "1:2:3:4:5:6:7:8::/128", 0,
	  "IPv6 address has 8 groups and '::', at most 7 allowed" },
	{ "1.2.3.4::/128", 0,
	  "embedded IPv4 address must be last in IPv6 address" },
	{ "::ffff:1.2.3/128", 0, "IPv4 address has 3 octets, expected 4" },
	{ "::ffff:1.2.3.256/128", 0, "IPv4 octet 256 exceeds 255" },
	{ "::ffff:1.2.3.a/128", 0, "invalid character 'a' in IPv4 address" },
	{ "1:2:3:4:5:6:7:1.2.3.4/128", 0,
	  "IPv6 address has 9 groups, expected 8" },
	/* family restrictions */
	{ "::1/128", WP_PREFIX_INET_ONLY, "expected an IPv4 prefix, got IPv6" },
	{ "10.0.0.0/8", WP_PREFIX_INET6_ONLY,
	  "expected an IPv6 prefix, got IPv4" },
};

START_TEST(test_parse_good)
{
	const struct good_case *c = &good[_i];
	struct wp_prefix p, q;
	char err[WP_PREFIX_ERRLEN] = "", buf[WP_PREFIX_STRLEN];

	ck_assert_msg(wp_prefix_parse_flags(c->in, &p, c->flags, err,
	    sizeof(err)) == 0, "%s: %s", c->in, err);
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)), c->out);
	/* The formatted text parses back to the same prefix. */
	ck_assert_int_eq(wp_prefix_parse_flags(buf, &q,
	    WP_PREFIX_KEEP_HOST_BITS, err, sizeof(err)), 0);
	ck_assert(wp_prefix_eq(&p, &q));
	ck_assert_int_eq(p.family, strchr(c->in, ':') ? AF_INET6 : AF_INET);
}
END_TEST

START_TEST(test_parse_bad)
{
	const struct bad_case *c = &bad[_i];
	struct wp_prefix p;
	char err[WP_PREFIX_ERRLEN] = "";

	ck_assert_msg(wp_prefix_parse_flags(c->in, &p, c->flags, err,
	    sizeof(err)) == -1, "'%s' accepted", c->in);
	ck_assert_str_eq(err, c->err);
	/* No error buffer, or a tiny one, is fine too. */
	ck_assert_int_eq(wp_prefix_parse_flags(c->in, &p, c->flags, NULL, 0),
	    -1);
	ck_assert_int_eq(wp_prefix_parse_flags(c->in, &p, c->flags, err, 4),
	    -1);
	ck_assert_uint_le(strlen(err), 3);
}
END_TEST

START_TEST(test_addr_parse)
{
	static const struct {
		const char *in, *out, *err;
	} cases[] = {
		{ "1.2.3.4", "1.2.3.4", NULL },
		{ "0.0.0.0", "0.0.0.0", NULL },
		{ "::", "::", NULL },
		{ "::1", "::1", NULL },
		{ "::ffff:1.2.3.4", "::ffff:1.2.3.4", NULL },
		{ "2001:DB8::0:1", "2001:db8::1", NULL },
		{ "fe80:0:0:0:0:0:0:1", "fe80::1", NULL },
		{ "", NULL, "empty address" },
		{ "1.2.3.4/32", NULL, "invalid character '/' in IPv4 address" },
		{ "::/0", NULL, "invalid character '/' in IPv6 address" },
		{ "1.2.3", NULL, "IPv4 address has 3 octets, expected 4" },
		{ "1:2:3", NULL, "IPv6 address has 3 groups, expected 8" },
	};
	struct wp_addr a;
	char err[WP_PREFIX_ERRLEN], buf[WP_ADDR_STRLEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		if (cases[i].err == NULL) {
			ck_assert_msg(wp_addr_parse(cases[i].in, &a, err,
			    sizeof(err)) == 0, "%s: %s", cases[i].in, err);
			ck_assert_str_eq(wp_addr_fmt(&a, buf, sizeof(buf)),
			    cases[i].out);
		} else {
			ck_assert_int_eq(wp_addr_parse(cases[i].in, &a, err,
			    sizeof(err)), -1);
			ck_assert_str_eq(err, cases[i].err);
		}
	}
	ck_assert_int_eq(wp_addr_parse(NULL, &a, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "empty address");
}
END_TEST

START_TEST(test_fmt_small_buffer)
{
	struct wp_prefix p;
	char buf[8];

	ck_assert_int_eq(wp_prefix_parse("192.168.100.0/24", &p, NULL, 0), 0);
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)), "192.168");
	ck_assert_int_eq(wp_prefix_parse("2001:db8:1:2::/64", &p, NULL, 0), 0);
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)), "2001:db");
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, 1), "");
}
END_TEST

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

static int
cmp_qsort(const void *a, const void *b)
{
	return wp_prefix_cmp(a, b);
}

START_TEST(test_cmp_order)
{
	/* Sorted order: family, then address, then length. */
	static const char *const sorted[] = {
		"0.0.0.0/0", "0.0.0.0/1", "0.0.0.0/32", "10.0.0.0/8",
		"10.0.0.0/9", "10.0.0.0/16", "10.0.0.0/24", "10.0.1.0/24",
		"10.128.0.0/9", "11.0.0.0/8", "128.0.0.0/1",
		"255.255.255.255/32",
		"::/0", "::/128", "::1/128", "::ffff:0.0.0.0/96",
		"2001:db8::/32", "2001:db8::/48", "2001:db8:1::/48",
		"fe80::/10", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
	};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);	/* 21: coprime to 5 */
	struct wp_prefix arr[32];
	char buf[WP_PREFIX_STRLEN];

	for (size_t i = 0; i < n; i++)
		arr[i] = P(sorted[(i * 5 + 3) % n]);	/* shuffled */
	qsort(arr, n, sizeof(arr[0]), cmp_qsort);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(wp_prefix_fmt(&arr[i], buf, sizeof(buf)),
		    sorted[i]);
		ck_assert_int_eq(wp_prefix_cmp(&arr[i], &arr[i]), 0);
		if (i > 0) {
			ck_assert_int_eq(wp_prefix_cmp(&arr[i - 1], &arr[i]),
			    -1);
			ck_assert_int_eq(wp_prefix_cmp(&arr[i], &arr[i - 1]),
			    1);
			ck_assert(!wp_prefix_eq(&arr[i], &arr[i - 1]));
		}
	}
}
END_TEST

START_TEST(test_contains_match)
{
	struct wp_prefix a = P("10.0.0.0/8"), b = P("10.1.0.0/16");
	struct wp_prefix c = P("11.0.0.0/8"), d = P("0.0.0.0/0");
	struct wp_prefix e = P("::/0"), f = P("2001:db8::/32");
	struct wp_prefix g = P("2001:db8:8000::/33");
	struct wp_addr x = A("10.1.2.3"), y = A("2001:db8:ffff::1");

	ck_assert(wp_prefix_contains(&a, &b));
	ck_assert(!wp_prefix_contains(&b, &a));
	ck_assert(wp_prefix_contains(&a, &a));
	ck_assert(!wp_prefix_contains(&a, &c));
	ck_assert(wp_prefix_contains(&d, &a));
	ck_assert(wp_prefix_contains(&d, &c));
	ck_assert(!wp_prefix_contains(&d, &e));		/* family */
	ck_assert(!wp_prefix_contains(&e, &d));
	ck_assert(wp_prefix_contains(&e, &f));
	ck_assert(wp_prefix_contains(&f, &g));
	ck_assert(!wp_prefix_contains(&g, &f));

	ck_assert(wp_prefix_match_addr(&a, &x));
	ck_assert(wp_prefix_match_addr(&b, &x));
	ck_assert(!wp_prefix_match_addr(&c, &x));
	ck_assert(wp_prefix_match_addr(&d, &x));
	ck_assert(!wp_prefix_match_addr(&e, &x));
	ck_assert(wp_prefix_match_addr(&f, &y));
	ck_assert(wp_prefix_match_addr(&g, &y));
	ck_assert(!wp_prefix_match_addr(&a, &y));
}
END_TEST

START_TEST(test_mask_bits)
{
	struct wp_prefix p = P("10.255.255.255/9");
	struct wp_prefix q = P("2001:db8:ffff:ffff::1/35");
	struct wp_prefix a = P("10.0.0.0/16"), b = P("10.0.128.0/17");
	struct wp_addr x = A("192.168.255.1");
	char buf[WP_PREFIX_STRLEN];

	ck_assert(!wp_prefix_is_masked(&p));
	wp_prefix_mask(&p);
	ck_assert(wp_prefix_is_masked(&p));
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)), "10.128.0.0/9");
	wp_prefix_mask(&q);
	ck_assert_str_eq(wp_prefix_fmt(&q, buf, sizeof(buf)),
	    "2001:db8:e000::/35");

	ck_assert_uint_eq(wp_prefix_common_len(&a, &b), 16);
	b = P("10.0.128.0/24");
	a.len = 24;
	ck_assert_uint_eq(wp_prefix_common_len(&a, &b), 16);
	b = P("10.0.0.0/24");
	ck_assert_uint_eq(wp_prefix_common_len(&a, &b), 24);
	ck_assert_uint_eq(wp_prefix_common_len(&a, &q), 0);

	ck_assert_int_eq(wp_prefix_from_addr(&p, &x, 17), 0);
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)),
	    "192.168.128.0/17");
	ck_assert_int_eq(wp_prefix_from_addr(&p, &x, 32), 0);
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)),
	    "192.168.255.1/32");
	ck_assert_int_eq(wp_prefix_from_addr(&p, &x, 0), 0);
	ck_assert_str_eq(wp_prefix_fmt(&p, buf, sizeof(buf)), "0.0.0.0/0");
	ck_assert_int_eq(wp_prefix_from_addr(&p, &x, 33), -1);

	p = P("128.0.0.1/32");
	ck_assert_int_eq(wp_prefix_bit(&p, 0), 1);
	ck_assert_int_eq(wp_prefix_bit(&p, 1), 0);
	ck_assert_int_eq(wp_prefix_bit(&p, 30), 0);
	ck_assert_int_eq(wp_prefix_bit(&p, 31), 1);
	x = A("::1");
	ck_assert_int_eq(wp_addr_bit(&x, 127), 1);
	ck_assert_int_eq(wp_addr_bit(&x, 126), 0);

	wp_prefix_to_addr(&p, &x);
	ck_assert_int_eq(x.family, AF_INET);
	ck_assert(wp_addr_eq(&x, &(struct wp_addr){ 0 }) == false);
	ck_assert_int_eq(wp_addr_cmp(&x, &x), 0);
}
END_TEST

START_TEST(test_family)
{
	ck_assert_uint_eq(wp_family_bits(AF_INET), 32);
	ck_assert_uint_eq(wp_family_bits(AF_INET6), 128);
	ck_assert_uint_eq(wp_family_bits(AF_UNIX), 0);
	ck_assert_str_eq(wp_family_name(AF_INET), "IPv4");
	ck_assert_str_eq(wp_family_name(AF_INET6), "IPv6");
}
END_TEST

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * Random addresses with runs of zero groups: our formatter must agree
 * with inet_ntop() (except where glibc uses the deprecated ::a.b.c.d
 * form), and our parser with inet_pton() on both texts.
 */
START_TEST(test_libc_crosscheck)
{
	for (int i = 0; i < 20000; i++) {
		struct wp_addr a, b;
		char ours[WP_ADDR_STRLEN], libc[INET6_ADDRSTRLEN];
		struct in6_addr back;
		uint64_t r = rng();
		bool compat;

		memset(&a, 0, sizeof(a));
		a.family = (r & 1) ? AF_INET6 : AF_INET;
		for (int g = 0; g < 8; g++) {
			uint64_t v = rng();
			unsigned int w = (unsigned int)(v & 0xffff) >>
			    ((v >> 16) % 16);

			/* Zero about half the groups, short values often. */
			if ((r >> (g + 1)) & 1)
				continue;
			a.u.bytes[2 * g] = (uint8_t)(w >> 8);
			a.u.bytes[2 * g + 1] = (uint8_t)w;
		}
		if (a.family == AF_INET)
			memset(a.u.bytes + 4, 0, 12);
		if ((r >> 20) % 8 == 0 && a.family == AF_INET6) {
			memset(a.u.bytes, 0, 10);
			a.u.bytes[10] = a.u.bytes[11] = 0xff;
		}
		wp_addr_fmt(&a, ours, sizeof(ours));
		ck_assert_ptr_nonnull(inet_ntop(a.family, a.u.bytes, libc,
		    sizeof(libc)));
		compat = a.family == AF_INET6 &&
		    memcmp(a.u.bytes, (uint8_t[12]){ 0 }, 12) == 0;
		if (!compat)
			ck_assert_str_eq(ours, libc);
		ck_assert_int_eq(inet_pton(a.family, ours, &back), 1);
		ck_assert_int_eq(memcmp(&back, a.u.bytes,
		    a.family == AF_INET ? 4 : 16), 0);
		ck_assert_int_eq(wp_addr_parse(libc, &b, NULL, 0), 0);
		ck_assert(wp_addr_eq(&a, &b));
		ck_assert_int_eq(wp_addr_parse(ours, &b, NULL, 0), 0);
		ck_assert(wp_addr_eq(&a, &b));
	}
}
END_TEST

/* Random prefixes survive fmt -> parse, and parse rejects host bits. */
START_TEST(test_prefix_roundtrip_random)
{
	for (int i = 0; i < 20000; i++) {
		struct wp_prefix p, q;
		char buf[WP_PREFIX_STRLEN], err[WP_PREFIX_ERRLEN];
		uint64_t r = rng();
		unsigned int bits;

		memset(&p, 0, sizeof(p));
		p.family = (r & 1) ? AF_INET6 : AF_INET;
		bits = wp_family_bits(p.family);
		p.len = (uint8_t)((r >> 8) % (bits + 1));
		for (unsigned int b = 0; b < bits / 8; b++)
			p.u.bytes[b] = (uint8_t)rng();
		wp_prefix_mask(&p);
		wp_prefix_fmt(&p, buf, sizeof(buf));
		ck_assert_msg(wp_prefix_parse(buf, &q, err, sizeof(err)) == 0,
		    "%s: %s", buf, err);
		ck_assert(wp_prefix_eq(&p, &q));
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("prefix");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_good, 0,
	    sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, test_parse_bad, 0,
	    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_addr_parse);
	tcase_add_test(tc, test_fmt_small_buffer);
	tcase_add_test(tc, test_cmp_order);
	tcase_add_test(tc, test_contains_match);
	tcase_add_test(tc, test_mask_bits);
	tcase_add_test(tc, test_family);
	tcase_add_test(tc, test_libc_crosscheck);
	tcase_add_test(tc, test_prefix_roundtrip_random);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
