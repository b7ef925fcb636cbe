/*
 * Unit tests for lib/wp_keychain: reading the `key chain` stanza (and
 * its errors), the choice of send and accept keys by lifetime with the
 * time passed in, and HMAC-SHA against RFC 4231 / RFC 2202 vectors and
 * against digests computed independently (Python's hmac) for the
 * RFC 5709 key preparation of a key longer than the digest.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_keychain.h"

struct feed_arg {
	struct wp_kc_parser kp;
	char *err;
	size_t errlen;
};

static int
feed_line(void *arg, int indent, char **w, int n)
{
	struct feed_arg *fa = arg;

	return wp_keychain_line(&fa->kp, indent, w, n, fa->err, fa->errlen);
}

/* Feed `text` as a daemon's reader does; -1 on an error. */
static int
feed(struct wp_keychains *kcs, const char *text, char *err, size_t errlen)
{
	struct feed_arg fa = { .kp = { .set = kcs }, .err = err,
			       .errlen = errlen };

	return wp_check_feed(text, feed_line, &fa) < 0 ? -1 : 0;
}

static const char conf[] =
	"interface eth0\n"
	" ip ospf cost 10\n"
	"key chain OSPF\n"
	" key 2\n"
	"  key-string second\n"
	"  cryptographic-algorithm hmac-sha-256\n"
	"  send-lifetime 00:00:00 Jan 1 2030 infinite\n"
	"  accept-lifetime 00:00:00 Jan 1 2030 infinite\n"
	" exit\n"
	" key 1\n"
	"  key-string first\n"
	"  cryptographic-algorithm hmac-sha-256\n"
	"  send-lifetime 00:00:00 Jan 1 2020 00:00:00 Jan 1 2030\n"
	"  accept-lifetime 00:00:00 1 January 2020 duration 315619300\n"
	" exit\n"
	"exit\n"
	"router ospf\n";

static time_t
at(int year, int mon, int day, int hh)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = mon - 1,
			 .tm_mday = day, .tm_hour = hh, .tm_isdst = -1 };

	return mktime(&tm);
}

START_TEST(test_parse)
{
	struct wp_keychains kcs = { 0 }, copy;
	const struct wp_keychain *kc;
	char err[200] = "";

	ck_assert_int_eq(feed(&kcs, conf, err, sizeof(err)), 0);
	ck_assert_uint_eq(kcs.n, 1);
	kc = wp_keychain_find(&kcs, "OSPF");
	ck_assert_ptr_nonnull(kc);
	ck_assert_ptr_null(wp_keychain_find(&kcs, "BFD"));
	ck_assert_uint_eq(kc->n_keys, 2);
	ck_assert_uint_eq(kc->keys[0].id, 1);	/* sorted */
	ck_assert_str_eq(kc->keys[0].string, "first");
	ck_assert_int_eq(kc->keys[1].algo, WP_KC_HMAC_SHA256);
	ck_assert(kc->keys[0].send.set);
	ck_assert_int_eq(kc->keys[0].send.start, at(2020, 1, 1, 0));
	ck_assert_int_eq(kc->keys[0].send.end, at(2030, 1, 1, 0));
	ck_assert_int_eq(kc->keys[0].accept.end,
			 at(2020, 1, 1, 0) + 315619300);
	ck_assert_int_lt(kc->keys[1].send.end, 0);
	wp_keychains_copy(&copy, &kcs);
	ck_assert(wp_keychains_equal(&copy, &kcs));
	copy.v[0].keys[1].string[0] = 'S';
	ck_assert(!wp_keychains_equal(&copy, &kcs));
	wp_keychains_free(&copy);
	wp_keychains_free(&kcs);
}
END_TEST

START_TEST(test_not_ours)
{
	struct wp_kc_parser kp;
	struct wp_keychains kcs = { 0 };
	char a[] = "key", b[] = "chain", c[] = "X", d[] = "router";
	char *w1[] = { a, b, c }, *w2[] = { d };
	char err[100];

	kp = (struct wp_kc_parser){ .set = &kcs };
	ck_assert_int_eq(wp_keychain_line(&kp, 0, w2, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(wp_keychain_line(&kp, 0, w1, 3, err, sizeof(err)), 1);
	/* A line flush left ends the stanza and is not ours. */
	ck_assert_int_eq(wp_keychain_line(&kp, 0, w2, 1, err, sizeof(err)), 0);
	ck_assert_ptr_null(kp.chain);
	wp_keychains_free(&kcs);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		const char *text, *word;
	} bad[] = {
		{ "key chain A\n key x\n", "\"x\"" },
		{ "key chain A\n key 1\n  cryptographic-algorithm sha3\n",
		  "\"sha3\"" },
		{ "key chain A\n key 1\n  send-lifetime 25:00:00 Jan 1 2020 "
		  "infinite\n", "\"25:00:00\"" },
		{ "key chain A\n key 1\n  send-lifetime 00:00:00 Foo 1 2020 "
		  "infinite\n", "\"Foo\"" },
		{ "key chain A\n key 1\n  send-lifetime 00:00:00 Jan 1 2099 "
		  "infinite\n", "\"2099\"" },
		{ "key chain A\n key 1\n  send-lifetime 00:00:00 Jan 1 2020 "
		  "duration 0\n", "\"0\"" },
		{ "key chain A\n key 1\n  send-lifetime 00:00:00 Jan 1 2020 "
		  "forever\n", "\"forever\"" },
		{ "key chain A\n key 1\n  send-lifetime 00:00:00 Jan 1 2020 "
		  "00:00:00 Jan 1 2019\n", "before" },
		{ "key chain A\n key 1\n  key-strin x\n", "\"key-strin\"" },
		{ "key chain A\n frob\n", "\"frob\"" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct wp_keychains kcs = { 0 };
		char err[200] = "";

		ck_assert_int_eq(feed(&kcs, bad[i].text, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i].word) != NULL,
			      "%zu: \"%s\" lacks %s", i, err, bad[i].word);
		wp_keychains_free(&kcs);
	}
}
END_TEST

START_TEST(test_no_forms)
{
	struct wp_keychains kcs = { 0 };
	char err[200];

	ck_assert_int_eq(feed(&kcs, conf, err, sizeof(err)), 0);
	ck_assert_int_eq(feed(&kcs, "key chain OSPF\n no key 2\n key 1\n"
			      "  no send-lifetime\n", err, sizeof(err)), 0);
	ck_assert_uint_eq(kcs.v[0].n_keys, 1);
	ck_assert(!kcs.v[0].keys[0].send.set);
	ck_assert_int_eq(feed(&kcs, "no key chain OSPF\n", err, sizeof(err)),
			 0);
	ck_assert_uint_eq(kcs.n, 0);
	wp_keychains_free(&kcs);
}
END_TEST

/* Rollover: key 1 until 2030, key 2 from then; nothing before 2020. */
START_TEST(test_choice)
{
	struct wp_keychains kcs = { 0 };
	const struct wp_keychain *kc;
	const struct wp_key *k;
	char err[200];

	ck_assert_int_eq(feed(&kcs, conf, err, sizeof(err)), 0);
	kc = wp_keychain_find(&kcs, "OSPF");
	ck_assert_ptr_null(wp_keychain_send_key(kc, at(2019, 6, 1, 0), 255));
	k = wp_keychain_send_key(kc, at(2025, 6, 1, 0), 255);
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_eq(k->id, 1);
	/* Both valid at the boundary: the lower ID, as FRR chooses. */
	k = wp_keychain_send_key(kc, at(2030, 1, 1, 0), 255);
	ck_assert_uint_eq(k->id, 1);
	k = wp_keychain_send_key(kc, at(2030, 1, 1, 1), 255);
	ck_assert_uint_eq(k->id, 2);
	ck_assert_ptr_null(wp_keychain_send_key(kc, at(2030, 1, 1, 1), 1));
	/* Accept: key 1 until its duration runs out, key 2 from 2030. */
	ck_assert_ptr_nonnull(wp_keychain_accept_key(kc, 1, at(2025, 1, 1, 0)));
	ck_assert_ptr_null(wp_keychain_accept_key(kc, 2, at(2025, 1, 1, 0)));
	ck_assert_ptr_nonnull(wp_keychain_accept_key(kc, 2, at(2031, 1, 1, 0)));
	ck_assert_ptr_null(wp_keychain_accept_key(kc, 3, at(2031, 1, 1, 0)));
	ck_assert_ptr_null(wp_keychain_accept_key(kc, 1, at(2031, 1, 1, 0)));
	/* No lifetime: always; no key string: never. */
	ck_assert_int_eq(feed(&kcs, "key chain B\n key 7\n key 9\n"
			      "  key-string x\n", err, sizeof(err)), 0);
	kc = wp_keychain_find(&kcs, "B");
	k = wp_keychain_send_key(kc, 0, 255);
	ck_assert_uint_eq(k->id, 9);
	ck_assert_ptr_null(wp_keychain_accept_key(kc, 7, 0));
	wp_keychains_free(&kcs);
}
END_TEST

static void
hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

START_TEST(test_hmac)
{
	static const struct {
		enum wp_kc_algo a;
		const char *key, *hex;
	} v[] = {
		/* RFC 2202 3 and RFC 4231 4.2, test case 1: a 20-byte
		 * key of 0x0b, "Hi There". */
		{ WP_KC_HMAC_SHA1, NULL,
		  "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ WP_KC_HMAC_SHA256, NULL,
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c"
		  "2e32cff7" },
		{ WP_KC_HMAC_SHA384, NULL,
		  "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c"
		  "7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
		{ WP_KC_HMAC_SHA512, NULL,
		  "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b305"
		  "45e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f170"
		  "2e696c203a126854" },
		/* RFC 5709 §3.3 (1): a 40-byte key is hashed to 20 first;
		 * plain HMAC would give f248830c... */
		{ WP_KC_HMAC_SHA1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		  "c16c73878e7467f55e71e9cb0f8650def893f99a" },
	};
	uint8_t k20[20], out[WP_KC_DIGEST_MAX];
	char h[2 * WP_KC_DIGEST_MAX + 1];

	memset(k20, 0x0b, sizeof(k20));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const void *k = v[i].key ? (const void *)v[i].key : k20;
		size_t kl = v[i].key ? strlen(v[i].key) : sizeof(k20);

		/* In two pieces, as OSPF passes packet and Apad. */
		ck_assert_int_eq(wp_kc_hmac(v[i].a, k, kl, "Hi ", 3, "There",
					    5, out), 0);
		hex(out, wp_kc_algo_len(v[i].a), h);
		ck_assert_str_eq(h, v[i].hex);
	}
	ck_assert_int_eq(wp_kc_hmac(WP_KC_MD5, k20, 20, "x", 1, NULL, 0, out),
			 -1);
	ck_assert_uint_eq(wp_kc_algo_len(WP_KC_HMAC_SHA384), 48);
	ck_assert_str_eq(wp_kc_algo_name(WP_KC_HMAC_SHA512), "hmac-sha-512");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("keychain");
	TCase *tc = tcase_create("keychain");

	/* The lifetimes are local time, as in FRR: pin the zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_not_ours);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_no_forms);
	tcase_add_test(tc, test_choice);
	tcase_add_test(tc, test_hmac);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
