/*
 * Unit tests for daemons/bfdd/bfd_packet.c: the control packet codec and
 * every check of RFC 5880 §6.8.6 that needs only the packet.  Packets are
 * built by hand here, byte by byte, so the decoder is not tested against
 * the encoder's own idea of the format.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wp_buf.h"

#include "bfdd.h"

/* A valid 24-byte packet: Up, detect mult 3, discriminators 1 and 2,
 * 100 ms intervals. */
static void
base(uint8_t *b)
{
	static const uint8_t pkt[BFD_PKT_LEN] = {
		0x20, 0xc0, 3, 24,
		0, 0, 0, 1,
		0, 0, 0, 2,
		0, 0x01, 0x86, 0xa0,
		0, 0x01, 0x86, 0xa0,
		0, 0, 0, 0,
	};

	memset(b, 0, BFD_PKT_MAX);
	memcpy(b, pkt, sizeof(pkt));
}

static enum bfd_rx_err
dec(const uint8_t *b, size_t len)
{
	struct bfd_pkt p;

	return bfd_pkt_decode(b, len, &p);
}

START_TEST(test_decode_valid)
{
	uint8_t b[BFD_PKT_MAX];
	struct bfd_pkt p;

	base(b);
	b[0] = 0x20 | 7;		/* diag 7 */
	b[1] = 0xc0 | BFD_F_POLL | BFD_F_DEMAND;
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &p), BFD_RXE_OK);
	ck_assert_uint_eq(p.version, 1);
	ck_assert_uint_eq(p.diag, 7);
	ck_assert_uint_eq(p.state, BFD_STA_UP);
	ck_assert_uint_eq(p.flags, BFD_F_POLL | BFD_F_DEMAND);
	ck_assert_uint_eq(p.detect_mult, 3);
	ck_assert_uint_eq(p.length, 24);
	ck_assert_uint_eq(p.my_disc, 1);
	ck_assert_uint_eq(p.your_disc, 2);
	ck_assert_uint_eq(p.des_min_tx, 100000);
	ck_assert_uint_eq(p.req_min_rx, 100000);
	ck_assert_uint_eq(p.req_min_echo_rx, 0);
}
END_TEST

START_TEST(test_encode_roundtrip)
{
	uint8_t b[BFD_PKT_MAX], ref[BFD_PKT_MAX];
	struct bfd_pkt p, q;
	struct wp_wbuf w;

	memset(&p, 0, sizeof(p));
	p.state = BFD_STA_UP;
	p.detect_mult = 3;
	p.my_disc = 1;
	p.your_disc = 2;
	p.des_min_tx = p.req_min_rx = 100000;
	wp_wbuf_init_fixed(&w, b, sizeof(b));
	ck_assert_int_eq(bfd_pkt_encode(&w, &p), 0);
	ck_assert_uint_eq(wp_wbuf_len(&w), 24);
	base(ref);
	ck_assert_mem_eq(b, ref, 24);
	ck_assert_int_eq(bfd_pkt_decode(b, 24, &q), BFD_RXE_OK);
	ck_assert_uint_eq(q.my_disc, 1);

	/* with an auth header: Length covers it, the key area is zero */
	p.flags = BFD_F_AUTH | BFD_F_FINAL;
	p.auth_type = BFD_AUTH_KEYED_SHA1;
	p.auth_len = 28;
	p.auth_key_id = 9;
	p.auth_seq = 0xdeadbeef;
	wp_wbuf_init_fixed(&w, b, sizeof(b));
	ck_assert_int_eq(bfd_pkt_encode(&w, &p), 0);
	ck_assert_uint_eq(wp_wbuf_len(&w), 52);
	ck_assert_uint_eq(b[3], 52);
	ck_assert_int_eq(bfd_pkt_decode(b, 52, &q), BFD_RXE_OK);
	ck_assert_uint_eq(q.flags, BFD_F_AUTH | BFD_F_FINAL);
	ck_assert_uint_eq(q.auth_type, BFD_AUTH_KEYED_SHA1);
	ck_assert_uint_eq(q.auth_key_id, 9);
	ck_assert_uint_eq(q.auth_seq, 0xdeadbeef);
	ck_assert_uint_eq(q.auth_data_len, 20);
	ck_assert_ptr_eq(q.auth_data, b + 32);

	/* a fixed buffer too small fails cleanly */
	wp_wbuf_init_fixed(&w, b, 30);
	ck_assert_int_eq(bfd_pkt_encode(&w, &p), -1);
}
END_TEST

START_TEST(test_truncated)
{
	uint8_t b[BFD_PKT_MAX];

	base(b);
	ck_assert_int_eq(dec(b, 0), BFD_RXE_TRUNCATED);
	ck_assert_int_eq(dec(b, 3), BFD_RXE_TRUNCATED);
	/* four bytes claiming 24: longer than the payload */
	ck_assert_int_eq(dec(b, 4), BFD_RXE_LEN_LONG);
	ck_assert_int_eq(dec(b, 23), BFD_RXE_LEN_LONG);
}
END_TEST

START_TEST(test_version)
{
	uint8_t b[BFD_PKT_MAX];
	static const uint8_t bad[] = { 0, 2, 3, 7 };

	for (size_t i = 0; i < sizeof(bad); i++) {
		base(b);
		b[0] = (uint8_t)(bad[i] << 5);
		ck_assert_int_eq(dec(b, 24), BFD_RXE_VERSION);
	}
	/* version is checked first: a bad version with a bad length */
	base(b);
	b[0] = 0x40;
	b[3] = 3;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_VERSION);
}
END_TEST

START_TEST(test_length_short)
{
	uint8_t b[BFD_PKT_MAX];

	base(b);
	b[3] = 23;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_LEN_SHORT);
	b[3] = 0;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_LEN_SHORT);
	/* with the A bit the minimum is 26 */
	base(b);
	b[1] |= BFD_F_AUTH;
	b[3] = 24;
	ck_assert_int_eq(dec(b, 48), BFD_RXE_LEN_SHORT);
	b[3] = 25;
	ck_assert_int_eq(dec(b, 48), BFD_RXE_LEN_SHORT);
}
END_TEST

START_TEST(test_length_long)
{
	uint8_t b[BFD_PKT_MAX];

	base(b);
	b[3] = 25;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_LEN_LONG);
	b[3] = 255;
	ck_assert_int_eq(dec(b, sizeof(b)), BFD_RXE_LEN_LONG);
	/* bytes past Length are not looked at */
	base(b);
	b[30] = 0xff;
	ck_assert_int_eq(dec(b, 40), BFD_RXE_OK);
}
END_TEST

START_TEST(test_detect_mult_zero)
{
	uint8_t b[BFD_PKT_MAX];

	base(b);
	b[2] = 0;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_DETECT_MULT);
	b[2] = 1;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_OK);
}
END_TEST

START_TEST(test_multipoint)
{
	uint8_t b[BFD_PKT_MAX];

	base(b);
	b[1] |= BFD_F_MULTIPOINT;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_MULTIPOINT);
}
END_TEST

START_TEST(test_my_disc_zero)
{
	uint8_t b[BFD_PKT_MAX];

	base(b);
	b[7] = 0;
	ck_assert_int_eq(dec(b, 24), BFD_RXE_MY_DISC);
}
END_TEST

START_TEST(test_your_disc_zero)
{
	uint8_t b[BFD_PKT_MAX];

	for (int st = 0; st < 4; st++) {
		base(b);
		b[1] = (uint8_t)(st << 6);
		b[11] = 0;
		ck_assert_int_eq(dec(b, 24), st <= BFD_STA_DOWN ?
					     BFD_RXE_OK : BFD_RXE_YOUR_DISC);
	}
}
END_TEST

static enum bfd_rx_err
dec_auth(uint8_t type, uint8_t auth_len, uint8_t length)
{
	uint8_t b[BFD_PKT_MAX + 16];

	memset(b, 0, sizeof(b));
	base(b);
	b[1] |= BFD_F_AUTH;
	b[3] = length;
	b[24] = type;
	b[25] = auth_len;
	return dec(b, sizeof(b));
}

START_TEST(test_auth_type)
{
	ck_assert_int_eq(dec_auth(0, 24, 48), BFD_RXE_AUTH_TYPE);
	ck_assert_int_eq(dec_auth(6, 24, 48), BFD_RXE_AUTH_TYPE);
	ck_assert_int_eq(dec_auth(255, 24, 48), BFD_RXE_AUTH_TYPE);
	ck_assert_int_eq(dec_auth(BFD_AUTH_KEYED_MD5, 24, 48), BFD_RXE_OK);
}
END_TEST

START_TEST(test_auth_len)
{
	/* simple: 1-16 byte password */
	ck_assert_int_eq(dec_auth(BFD_AUTH_SIMPLE, 3, 27), BFD_RXE_AUTH_LEN);
	ck_assert_int_eq(dec_auth(BFD_AUTH_SIMPLE, 4, 28), BFD_RXE_OK);
	ck_assert_int_eq(dec_auth(BFD_AUTH_SIMPLE, 19, 43), BFD_RXE_OK);
	ck_assert_int_eq(dec_auth(BFD_AUTH_SIMPLE, 20, 44), BFD_RXE_AUTH_LEN);
	/* MD5 24, SHA1 28 */
	ck_assert_int_eq(dec_auth(BFD_AUTH_KEYED_MD5, 23, 47),
			 BFD_RXE_AUTH_LEN);
	ck_assert_int_eq(dec_auth(BFD_AUTH_MET_KEYED_MD5, 28, 52),
			 BFD_RXE_AUTH_LEN);
	ck_assert_int_eq(dec_auth(BFD_AUTH_KEYED_SHA1, 24, 48),
			 BFD_RXE_AUTH_LEN);
	ck_assert_int_eq(dec_auth(BFD_AUTH_MET_KEYED_SHA1, 28, 52),
			 BFD_RXE_OK);
	/* Length must be 24 + Auth Len exactly */
	ck_assert_int_eq(dec_auth(BFD_AUTH_KEYED_MD5, 24, 50),
			 BFD_RXE_AUTH_LEN);
	ck_assert_int_eq(dec_auth(BFD_AUTH_KEYED_MD5, 24, 40),
			 BFD_RXE_AUTH_LEN);
	ck_assert_int_eq(dec_auth(BFD_AUTH_SIMPLE, 8, 26), BFD_RXE_AUTH_LEN);
}
END_TEST

START_TEST(test_auth_fields)
{
	uint8_t b[BFD_PKT_MAX];
	struct bfd_pkt p;

	base(b);
	b[1] |= BFD_F_AUTH;
	b[3] = 24 + 9;
	memcpy(b + 24, "\x01\x09\x05" "secret", 9);
	ck_assert_int_eq(bfd_pkt_decode(b, 33, &p), BFD_RXE_OK);
	ck_assert_uint_eq(p.auth_type, BFD_AUTH_SIMPLE);
	ck_assert_uint_eq(p.auth_key_id, 5);
	ck_assert_uint_eq(p.auth_data_len, 6);
	ck_assert_mem_eq(p.auth_data, "secret", 6);
}
END_TEST

START_TEST(test_err_names)
{
	for (int e = 0; e < BFD_RXE_MAX; e++) {
		ck_assert_ptr_nonnull(bfd_rx_err_name(e));
		ck_assert_ptr_nonnull(bfd_rx_err_key(e));
		ck_assert_str_ne(bfd_rx_err_name(e), "?");
	}
	ck_assert_str_eq(bfd_rx_err_name(BFD_RXE_MAX), "?");
}
END_TEST

/* Random bytes never crash the decoder and never read past `len`. */
START_TEST(test_random)
{
	uint8_t *b;
	struct bfd_pkt p;

	srandom(42);
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)(random() % 64);

		b = malloc(len ? len : 1);
		for (size_t j = 0; j < len; j++)
			b[j] = (uint8_t)random();
		if (len > 0 && (i & 1))
			b[0] = 0x20;	/* version 1, to get further */
		if (len > 3 && (i & 2))
			b[3] = (uint8_t)len;
		if (bfd_pkt_decode(b, len, &p) == BFD_RXE_OK)
			ck_assert_uint_le(p.length, len);
		free(b);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bfd_packet");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_decode_valid);
	tcase_add_test(tc, test_encode_roundtrip);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_length_short);
	tcase_add_test(tc, test_length_long);
	tcase_add_test(tc, test_detect_mult_zero);
	tcase_add_test(tc, test_multipoint);
	tcase_add_test(tc, test_my_disc_zero);
	tcase_add_test(tc, test_your_disc_zero);
	tcase_add_test(tc, test_auth_type);
	tcase_add_test(tc, test_auth_len);
	tcase_add_test(tc, test_auth_fields);
	tcase_add_test(tc, test_err_names);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
