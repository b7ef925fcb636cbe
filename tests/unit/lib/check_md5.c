/*
 * Unit tests for lib/wp_md5: the RFC 1321 test suite (A.5), and the same
 * digests fed in pieces of every size.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "wp_check.h"
#include "wp_md5.h"

static const struct {
	const char *in;
	const char *hex;
} rfc1321[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890123456789012345678901234"
	  "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
};

static void
hex(const uint8_t *d, char *out)
{
	for (int i = 0; i < WP_MD5_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

START_TEST(test_rfc1321)
{
	for (size_t i = 0; i < sizeof(rfc1321) / sizeof(rfc1321[0]); i++) {
		struct wp_md5 m;
		uint8_t d[WP_MD5_LEN];
		char h[2 * WP_MD5_LEN + 1];

		wp_md5_init(&m);
		wp_md5_update(&m, rfc1321[i].in, strlen(rfc1321[i].in));
		wp_md5_final(&m, d);
		hex(d, h);
		ck_assert_str_eq(h, rfc1321[i].hex);
	}
}
END_TEST

START_TEST(test_pieces)
{
	const char *s = rfc1321[6].in;
	size_t len = strlen(s);

	for (size_t step = 1; step <= len; step++) {
		struct wp_md5 m;
		uint8_t d[WP_MD5_LEN];
		char h[2 * WP_MD5_LEN + 1];

		wp_md5_init(&m);
		for (size_t off = 0; off < len; off += step)
			wp_md5_update(&m, s + off,
				      len - off < step ? len - off : step);
		wp_md5_final(&m, d);
		hex(d, h);
		ck_assert_str_eq(h, rfc1321[6].hex);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("md5");
	TCase *tc = tcase_create("digest");

	tcase_add_test(tc, test_rfc1321);
	tcase_add_test(tc, test_pieces);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
