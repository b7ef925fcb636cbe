/*
 * Unit tests for daemons/bfdd/bfd_auth.c: digests against known vectors,
 * whole signed packets against vectors computed independently (Python's
 * hashlib over the RFC 5880 §6.7.3/§6.7.4 construction), and every way
 * verification can fail: type, key id, password, digest, sequence.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_buf.h"

#include "bfdd.h"

static void
unhex(const char *hex, uint8_t *out, size_t *len)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
	*len = n;
}

static void
key_set(struct bfd_auth *a, uint8_t type, uint8_t id, const char *key)
{
	memset(a, 0, sizeof(*a));
	a->type = type;
	a->key_id = id;
	a->key_len = (uint8_t)strlen(key);
	memcpy(a->key, key, a->key_len);
}

/* Up, detect mult 3, discriminators 0x01020304/0x05060708, 100 ms. */
static size_t
build(const struct bfd_auth *a, uint32_t seq, uint8_t *buf)
{
	struct bfd_pkt p;
	struct wp_wbuf w;

	memset(&p, 0, sizeof(p));
	p.state = BFD_STA_UP;
	p.detect_mult = 3;
	p.my_disc = 0x01020304;
	p.your_disc = 0x05060708;
	p.des_min_tx = p.req_min_rx = 100000;
	if (a->type != BFD_AUTH_NONE) {
		p.flags = BFD_F_AUTH;
		p.auth_type = a->type;
		p.auth_len = bfd_auth_len(a);
		p.auth_key_id = a->key_id;
		p.auth_seq = seq;
	}
	wp_wbuf_init_fixed(&w, buf, BFD_PKT_MAX);
	ck_assert_int_eq(bfd_pkt_encode(&w, &p), 0);
	if (a->type != BFD_AUTH_NONE)
		ck_assert_int_eq(bfd_auth_sign(a, seq, buf, wp_wbuf_len(&w)),
				 0);
	return wp_wbuf_len(&w);
}

static enum bfd_rx_err
verify(const struct bfd_auth *a, const uint8_t *buf, size_t len,
       uint32_t *rcv, bool *known)
{
	struct bfd_pkt p;
	enum bfd_rx_err e = bfd_pkt_decode(buf, len, &p);

	if (e != BFD_RXE_OK)
		return e;
	return bfd_auth_verify(a, buf, len, &p, rcv, known);
}

START_TEST(test_digests)
{
	uint8_t out[20], want[20];
	size_t n;

	ck_assert_int_eq(bfd_md5((const uint8_t *)"abc", 3, out), 0);
	unhex("900150983cd24fb0d6963f7d28e17f72", want, &n);
	ck_assert_mem_eq(out, want, 16);
	ck_assert_int_eq(bfd_sha1((const uint8_t *)"abc", 3, out), 0);
	unhex("a9993e364706816aba3e25717850c26c9cd0d89d", want, &n);
	ck_assert_mem_eq(out, want, 20);
	ck_assert_int_eq(bfd_md5((const uint8_t *)"", 0, out), 0);
	unhex("d41d8cd98f00b204e9800998ecf8427e", want, &n);
	ck_assert_mem_eq(out, want, 16);
}
END_TEST

/* Packets signed with key "secret", key id 7, sequence 0x11223344. */
static const struct {
	uint8_t type;
	const char *hex;
} vectors[] = {
	{ BFD_AUTH_KEYED_MD5,
	  "20c403300102030405060708000186a0000186a0000000000218070011223344"
	  "21832b25d1a8e64c3ba068a65ee95331" },
	{ BFD_AUTH_MET_KEYED_MD5,
	  "20c403300102030405060708000186a0000186a0000000000318070011223344"
	  "1028f6753529fb7b0f7ae6f084abe547" },
	{ BFD_AUTH_KEYED_SHA1,
	  "20c403340102030405060708000186a0000186a000000000041c070011223344"
	  "7a960bc0a72779c1d95f52ed5a1a6b648d87ce0b" },
	{ BFD_AUTH_MET_KEYED_SHA1,
	  "20c403340102030405060708000186a0000186a000000000051c070011223344"
	  "6ec41665eeb4e8f83cc2b66b8f3492da5a90731f" },
};

START_TEST(test_sign_vectors)
{
	uint8_t buf[BFD_PKT_MAX], want[BFD_PKT_MAX];
	struct bfd_auth a;
	uint32_t rcv = 0;
	bool known = false;
	size_t len, wlen;

	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		key_set(&a, vectors[i].type, 7, "secret");
		len = build(&a, 0x11223344, buf);
		unhex(vectors[i].hex, want, &wlen);
		ck_assert_uint_eq(len, wlen);
		ck_assert_mem_eq(buf, want, len);
		/* and the vector verifies */
		known = false;
		ck_assert_int_eq(verify(&a, want, wlen, &rcv, &known),
				 BFD_RXE_OK);
		ck_assert(known);
		ck_assert_uint_eq(rcv, 0x11223344);
	}
}
END_TEST

START_TEST(test_simple)
{
	uint8_t buf[BFD_PKT_MAX];
	struct bfd_auth a, b;
	uint32_t rcv = 0;
	bool known = false;
	size_t len;

	key_set(&a, BFD_AUTH_SIMPLE, 3, "hunter2");
	len = build(&a, 0, buf);
	ck_assert_uint_eq(len, 24 + 3 + 7);
	ck_assert_mem_eq(buf + 27, "hunter2", 7);
	ck_assert_int_eq(verify(&a, buf, len, &rcv, &known), BFD_RXE_OK);
	/* wrong password, same length */
	key_set(&b, BFD_AUTH_SIMPLE, 3, "hunter3");
	ck_assert_int_eq(verify(&b, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_PASSWORD);
	/* a prefix of it */
	key_set(&b, BFD_AUTH_SIMPLE, 3, "hunter");
	ck_assert_int_eq(verify(&b, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_PASSWORD);
	/* longest password */
	key_set(&a, BFD_AUTH_SIMPLE, 3, "0123456789abcdef");
	len = build(&a, 0, buf);
	ck_assert_uint_eq(len, 24 + 19);
	ck_assert_int_eq(verify(&a, buf, len, &rcv, &known), BFD_RXE_OK);
}
END_TEST

START_TEST(test_mismatches)
{
	uint8_t buf[BFD_PKT_MAX];
	struct bfd_auth a, b, none;
	uint32_t rcv = 0;
	bool known = false;
	size_t len;

	memset(&none, 0, sizeof(none));
	key_set(&a, BFD_AUTH_KEYED_SHA1, 7, "secret");
	len = build(&a, 1, buf);
	/* A bit set, session without authentication (§6.8.6) */
	ck_assert_int_eq(verify(&none, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_UNEXPECTED);
	/* type differs */
	key_set(&b, BFD_AUTH_MET_KEYED_SHA1, 7, "secret");
	ck_assert_int_eq(verify(&b, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_TYPE);
	key_set(&b, BFD_AUTH_SIMPLE, 7, "secret");
	ck_assert_int_eq(verify(&b, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_TYPE);
	/* key id differs */
	key_set(&b, BFD_AUTH_KEYED_SHA1, 8, "secret");
	ck_assert_int_eq(verify(&b, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_KEY_ID);
	/* key differs */
	key_set(&b, BFD_AUTH_KEYED_SHA1, 7, "secreT");
	ck_assert_int_eq(verify(&b, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_DIGEST);
	ck_assert(!known);
	/* A bit clear, session authenticates */
	len = build(&none, 0, buf);
	ck_assert_int_eq(verify(&a, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_MISSING);
	ck_assert_int_eq(verify(&none, buf, len, &rcv, &known), BFD_RXE_OK);
}
END_TEST

/* A changed bit anywhere in the packet breaks the digest. */
START_TEST(test_tamper)
{
	uint8_t buf[BFD_PKT_MAX], t[BFD_PKT_MAX];
	struct bfd_auth a;
	uint32_t rcv = 0;
	bool known;
	size_t len;

	key_set(&a, BFD_AUTH_MET_KEYED_MD5, 1, "k");
	len = build(&a, 100, buf);
	for (size_t i = 0; i < len; i++) {
		/* fields the decoder itself rejects are not digest tests */
		if (i == 0 || i == 1 || i == 2 || i == 3 || (i >= 4 && i < 8) ||
		    i == 24 || i == 25 || i == 26)
			continue;
		memcpy(t, buf, len);
		t[i] ^= 0x01;
		known = false;
		ck_assert_msg(verify(&a, t, len, &rcv, &known) ==
			      BFD_RXE_AUTH_DIGEST, "byte %zu", i);
	}
}
END_TEST

static enum bfd_rx_err
seq_try(uint8_t type, uint32_t rcv0, uint32_t seq)
{
	uint8_t buf[BFD_PKT_MAX];
	struct bfd_auth a;
	uint32_t rcv = rcv0;
	bool known = true;
	enum bfd_rx_err e;

	key_set(&a, type, 1, "key");
	e = verify(&a, buf, build(&a, seq, buf), &rcv, &known);
	/* the window moves only on success */
	ck_assert_uint_eq(rcv, e == BFD_RXE_OK ? seq : rcv0);
	return e;
}

/* §6.7.3/§6.7.4 windows with Detect Mult 3: keyed [rcv, rcv+9],
 * meticulous [rcv+1, rcv+9], in circular 32-bit space. */
START_TEST(test_sequence_window)
{
	for (int sha = 0; sha < 2; sha++) {
		uint8_t keyed = sha ? BFD_AUTH_KEYED_SHA1 : BFD_AUTH_KEYED_MD5;
		uint8_t met = sha ? BFD_AUTH_MET_KEYED_SHA1 :
				    BFD_AUTH_MET_KEYED_MD5;

		ck_assert_int_eq(seq_try(keyed, 100, 100), BFD_RXE_OK);
		ck_assert_int_eq(seq_try(keyed, 100, 109), BFD_RXE_OK);
		ck_assert_int_eq(seq_try(keyed, 100, 110), BFD_RXE_AUTH_SEQ);
		ck_assert_int_eq(seq_try(keyed, 100, 99), BFD_RXE_AUTH_SEQ);
		ck_assert_int_eq(seq_try(met, 100, 100), BFD_RXE_AUTH_SEQ);
		ck_assert_int_eq(seq_try(met, 100, 101), BFD_RXE_OK);
		ck_assert_int_eq(seq_try(met, 100, 109), BFD_RXE_OK);
		ck_assert_int_eq(seq_try(met, 100, 110), BFD_RXE_AUTH_SEQ);
		ck_assert_int_eq(seq_try(met, 100, 0), BFD_RXE_AUTH_SEQ);
		/* wrap */
		ck_assert_int_eq(seq_try(met, 0xfffffffe, 3), BFD_RXE_OK);
		ck_assert_int_eq(seq_try(keyed, 0xfffffffe, 8),
				 BFD_RXE_AUTH_SEQ);
	}
}
END_TEST

/* Until a sequence number is known, any is taken and remembered. */
START_TEST(test_sequence_unknown)
{
	uint8_t buf[BFD_PKT_MAX];
	struct bfd_auth a;
	uint32_t rcv = 5;
	bool known = false;
	size_t len;

	key_set(&a, BFD_AUTH_MET_KEYED_SHA1, 1, "key");
	len = build(&a, 0x80000000u, buf);
	ck_assert_int_eq(verify(&a, buf, len, &rcv, &known), BFD_RXE_OK);
	ck_assert(known);
	ck_assert_uint_eq(rcv, 0x80000000u);
	/* the same packet again: a replay for a meticulous type */
	ck_assert_int_eq(verify(&a, buf, len, &rcv, &known), BFD_RXE_AUTH_SEQ);
}
END_TEST

/*
 * Key chains: the send key by time, a received key ID by its accept
 * lifetime, and keys a BFD section cannot carry.  A packet signed with
 * the chain's key of the moment verifies with the key its ID names.
 */
START_TEST(test_key_chain)
{
	struct wp_key keys[4] = {
		{ .id = 1, .string = "old-key",
		  .send = { .set = true, .start = 0, .end = 1000 },
		  .accept = { .set = true, .start = 0, .end = 1100 } },
		{ .id = 2, .string = "new-key",
		  .send = { .set = true, .start = 900, .end = -1 } },
		{ .id = 3, .string = "a-key-longer-than-twenty" },
		{ .id = 300, .string = "big-id" },
	};
	struct wp_keychain kc = { .name = "K", .n_keys = 4, .keys = keys };
	struct wp_keychains kcs = { .n = 1, .v = &kc };
	struct bfd_auth a, k, rx;
	uint8_t buf[BFD_PKT_MAX];
	uint32_t rcv = 0;
	bool known = false;
	size_t len;

	memset(&a, 0, sizeof(a));
	a.type = BFD_AUTH_MET_KEYED_SHA1;
	snprintf(a.key_chain, sizeof(a.key_chain), "K");
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 500, -1, &k), 0);
	ck_assert_uint_eq(k.key_id, 1);
	ck_assert_uint_eq(k.key_len, 7);
	ck_assert_int_eq(memcmp(k.key, "old-key", 7), 0);
	ck_assert_uint_eq(k.type, BFD_AUTH_MET_KEYED_SHA1);
	/* Rolled over once key 1's send lifetime is over. */
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 1001, -1, &k), 0);
	ck_assert_uint_eq(k.key_id, 2);
	len = build(&k, 7, buf);
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 1001, 2, &rx), 0);
	ck_assert_int_eq(verify(&rx, buf, len, &rcv, &known), BFD_RXE_OK);
	/* Key 1 is still accepted until 1100, then not. */
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 1050, 1, &rx), 0);
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 1101, 1, &rx), -1);
	/* SHA1 keys are at most 20 bytes, MD5 16; IDs one byte. */
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 0, 3, &rx), -1);
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 0, 300, &rx), -1);
	a.type = BFD_AUTH_KEYED_MD5;
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 0, 2, &rx), 0);
	ck_assert_uint_eq(bfd_auth_len(&rx), 24);
	/* A key signed with one key ID does not verify with another. */
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 1050, 1, &k), 0);
	len = build(&k, 8, buf);
	known = false;
	ck_assert_int_eq(verify(&rx, buf, len, &rcv, &known),
			 BFD_RXE_AUTH_KEY_ID);
	/* No such chain, or a simple password type: nothing. */
	snprintf(a.key_chain, sizeof(a.key_chain), "L");
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 0, -1, &k), -1);
	ck_assert_int_eq(bfd_auth_from_chain(&a, NULL, 0, -1, &k), -1);
	snprintf(a.key_chain, sizeof(a.key_chain), "K");
	a.type = BFD_AUTH_SIMPLE;
	ck_assert_int_eq(bfd_auth_from_chain(&a, &kcs, 0, -1, &k), -1);
}
END_TEST

START_TEST(test_names)
{
	uint8_t t;

	for (uint8_t i = 0; i < BFD_AUTH_MAX; i++) {
		ck_assert_int_eq(bfd_auth_type_parse(bfd_auth_type_name(i), &t),
				 0);
		ck_assert_uint_eq(t, i);
	}
	ck_assert_int_eq(bfd_auth_type_parse("md5", &t), -1);
	ck_assert_str_eq(bfd_auth_type_name(9), "unknown");
	ck_assert(bfd_auth_meticulous(BFD_AUTH_MET_KEYED_SHA1));
	ck_assert(!bfd_auth_meticulous(BFD_AUTH_KEYED_SHA1));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bfd_auth");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_digests);
	tcase_add_test(tc, test_sign_vectors);
	tcase_add_test(tc, test_simple);
	tcase_add_test(tc, test_mismatches);
	tcase_add_test(tc, test_tamper);
	tcase_add_test(tc, test_sequence_window);
	tcase_add_test(tc, test_sequence_unknown);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_key_chain);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
