/*
 * Unit tests for lib/wp_buf: every out-of-bounds read is refused (the
 * buffers under test are heap blocks of the exact size, so AddressSanitizer
 * would see a stray byte), errors are sticky and located, sub-readers are
 * fenced, writers refuse overflow and patch in place.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_buf.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_TEST_BUF, "test buffer");

/* An exact-size heap copy of `n` bytes 0x01, 0x02, ... */
static uint8_t *
seq_bytes(size_t n)
{
	uint8_t *p = wp_malloc(MT_TEST_BUF, n);

	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i + 1);
	return p;
}

START_TEST(test_read_values)
{
	static const uint8_t in[] = {
		0x01,
		0x02, 0x03,
		0x04, 0x05, 0x06,
		0x07, 0x08, 0x09, 0x0a,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
		0xaa, 0xbb,
	};
	struct wp_rbuf r;
	uint8_t u8, raw[2];
	uint16_t u16;
	uint32_t u24, u32;
	uint64_t u64;

	wp_rbuf_init(&r, in, sizeof(in));
	ck_assert_int_eq(wp_rbuf_get_u8(&r, &u8), 0);
	ck_assert_int_eq(wp_rbuf_get_u16(&r, &u16), 0);
	ck_assert_int_eq(wp_rbuf_get_u24(&r, &u24), 0);
	ck_assert_int_eq(wp_rbuf_get_u32(&r, &u32), 0);
	ck_assert_int_eq(wp_rbuf_get_u64(&r, &u64), 0);
	ck_assert_uint_eq(u8, 0x01);
	ck_assert_uint_eq(u16, 0x0203);
	ck_assert_uint_eq(u24, 0x040506);
	ck_assert_uint_eq(u32, 0x0708090a);
	ck_assert(u64 == 0x1112131415161718ull);
	ck_assert_uint_eq(wp_rbuf_offset(&r), 18);
	ck_assert_uint_eq(wp_rbuf_remaining(&r), 2);
	ck_assert_int_eq(wp_rbuf_get_bytes(&r, raw, 2), 0);
	ck_assert_uint_eq(raw[0], 0xaa);
	ck_assert_uint_eq(raw[1], 0xbb);
	ck_assert_uint_eq(wp_rbuf_remaining(&r), 0);
	ck_assert(!wp_rbuf_error(&r));
}
END_TEST

/*
 * For every width and every buffer length up to 16, a read that starts
 * 1..width-1 bytes before the end is refused and one that ends exactly at
 * the end succeeds.
 */
START_TEST(test_read_edges)
{
	static const size_t widths[] = { 1, 2, 3, 4, 8 };

	for (size_t len = 0; len <= 16; len++) {
		for (size_t wi = 0; wi < 5; wi++) {
			size_t w = widths[wi];

			for (size_t start = 0; start <= len; start++) {
				uint8_t *buf = seq_bytes(len);
				struct wp_rbuf r;
				uint8_t u8;
				uint16_t u16;
				uint32_t u32;
				uint64_t u64 = 1;
				int rc = 0;

				wp_rbuf_init(&r, buf, len);
				ck_assert_int_eq(wp_rbuf_skip(&r, start), 0);
				switch (w) {
				case 1:
					rc = wp_rbuf_get_u8(&r, &u8);
					u64 = u8;
					break;
				case 2:
					rc = wp_rbuf_get_u16(&r, &u16);
					u64 = u16;
					break;
				case 3:
					rc = wp_rbuf_get_u24(&r, &u32);
					u64 = u32;
					break;
				case 4:
					rc = wp_rbuf_get_u32(&r, &u32);
					u64 = u32;
					break;
				case 8:
					rc = wp_rbuf_get_u64(&r, &u64);
					break;
				}
				if (start + w <= len) {
					ck_assert_int_eq(rc, 0);
					ck_assert(!wp_rbuf_error(&r));
				} else {
					ck_assert_int_eq(rc, -1);
					ck_assert(wp_rbuf_error(&r));
					ck_assert(u64 == 0);
					ck_assert_uint_eq(r.err_off, start);
					ck_assert_uint_eq(r.err_want, w);
					ck_assert_uint_eq(r.err_left, len - start);
				}
				wp_free(MT_TEST_BUF, buf);
			}
		}
	}
	ck_assert_uint_eq(MT_TEST_BUF->live, 0);
}
END_TEST

/* The case every decoder gets wrong once: a u64 at len - 7. */
START_TEST(test_u64_at_len_minus_7)
{
	uint8_t *buf = seq_bytes(16);
	struct wp_rbuf r;
	uint64_t v = 42;
	char err[128];

	wp_rbuf_init(&r, buf, 16);
	ck_assert_int_eq(wp_rbuf_skip(&r, 9), 0);
	ck_assert_int_eq(wp_rbuf_get_u64(&r, &v), -1);
	ck_assert(v == 0);
	ck_assert_uint_eq(wp_rbuf_offset(&r), 9);
	wp_rbuf_strerror(&r, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 9: need 8 bytes, 7 left");
	wp_free(MT_TEST_BUF, buf);
}
END_TEST

START_TEST(test_sticky_error)
{
	uint8_t *buf = seq_bytes(14);
	struct wp_rbuf r;
	uint8_t u8 = 7, dst[4] = { 9, 9, 9, 9 };
	uint32_t u32 = 7;
	char err[128];

	wp_rbuf_init(&r, buf, 14);
	wp_rbuf_strerror(&r, err, sizeof(err));
	ck_assert_str_eq(err, "no error");
	ck_assert_int_eq(wp_rbuf_skip(&r, 12), 0);
	ck_assert_int_eq(wp_rbuf_get_u32(&r, &u32), -1);
	ck_assert_uint_eq(u32, 0);
	/* Two bytes are left, but the reader is in error now. */
	ck_assert_int_eq(wp_rbuf_get_u8(&r, &u8), -1);
	ck_assert_uint_eq(u8, 0);
	ck_assert_int_eq(wp_rbuf_skip(&r, 0), -1);
	ck_assert_ptr_null(wp_rbuf_get_ptr(&r, 1));
	ck_assert_int_eq(wp_rbuf_get_bytes(&r, dst, 4), -1);
	ck_assert_uint_eq(dst[0] | dst[1] | dst[2] | dst[3], 0);
	ck_assert_int_eq(wp_rbuf_peek_u8(&r, &u8), -1);
	ck_assert_uint_eq(wp_rbuf_remaining(&r), 0);
	/* The first failure is the one reported. */
	wp_rbuf_strerror(&r, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 12: need 4 bytes, 2 left");
	wp_free(MT_TEST_BUF, buf);
}
END_TEST

START_TEST(test_ptr_skip_bytes)
{
	uint8_t *buf = seq_bytes(8);
	struct wp_rbuf r;
	const uint8_t *p;
	uint8_t dst[8];
	char err[128];

	wp_rbuf_init(&r, buf, 8);
	p = wp_rbuf_get_ptr(&r, 3);
	ck_assert_ptr_eq(p, buf);
	ck_assert_ptr_nonnull(wp_rbuf_get_ptr(&r, 0));
	ck_assert_int_eq(wp_rbuf_skip(&r, 2), 0);
	ck_assert_int_eq(wp_rbuf_get_bytes(&r, dst, 0), 0);
	ck_assert_int_eq(wp_rbuf_get_bytes(&r, dst, 4), -1);
	wp_rbuf_strerror(&r, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 5: need 4 bytes, 3 left");

	wp_rbuf_init(&r, buf, 8);
	ck_assert_ptr_null(wp_rbuf_get_ptr(&r, 9));
	wp_rbuf_init(&r, buf, 8);
	ck_assert_int_eq(wp_rbuf_skip(&r, SIZE_MAX), -1);
	ck_assert_uint_eq(r.err_want, SIZE_MAX);

	/* A reader over nothing refuses everything, even with NULL data. */
	wp_rbuf_init(&r, NULL, 100);
	ck_assert_uint_eq(wp_rbuf_remaining(&r), 0);
	ck_assert_int_eq(wp_rbuf_get_bytes(&r, dst, 1), -1);
	wp_rbuf_strerror(&r, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 0: need 1 byte, 0 left");
	wp_free(MT_TEST_BUF, buf);
}
END_TEST

START_TEST(test_peek)
{
	uint8_t *buf = seq_bytes(1);
	struct wp_rbuf r;
	uint8_t v;

	wp_rbuf_init(&r, buf, 1);
	ck_assert_int_eq(wp_rbuf_peek_u8(&r, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_uint_eq(wp_rbuf_remaining(&r), 1);
	ck_assert_int_eq(wp_rbuf_get_u8(&r, &v), 0);
	ck_assert_int_eq(wp_rbuf_peek_u8(&r, &v), -1);
	/* Peeking at the end is a question, not an error. */
	ck_assert(!wp_rbuf_error(&r));
	wp_free(MT_TEST_BUF, buf);
}
END_TEST

/* TLVs: type u8, length u8, value; a child reader cannot leave its TLV. */
START_TEST(test_sub_reader)
{
	static const uint8_t tlvs[] = {
		1, 4, 0xde, 0xad, 0xbe, 0xef,
		2, 2, 0x12, 0x34,
		3, 9, 0x00,
	};
	uint8_t *buf = wp_malloc(MT_TEST_BUF, sizeof(tlvs));
	struct wp_rbuf r, v, vv;
	uint8_t type, len, u8;
	uint16_t u16;
	uint32_t u32;
	char err[128];

	memcpy(buf, tlvs, sizeof(tlvs));
	wp_rbuf_init(&r, buf, sizeof(tlvs));

	wp_rbuf_get_u8(&r, &type);
	wp_rbuf_get_u8(&r, &len);
	ck_assert_int_eq(wp_rbuf_sub(&r, len, &v), 0);
	ck_assert_uint_eq(wp_rbuf_offset(&r), 6);
	ck_assert_uint_eq(wp_rbuf_offset(&v), 2);
	ck_assert_int_eq(wp_rbuf_get_u32(&v, &u32), 0);
	ck_assert_uint_eq(u32, 0xdeadbeef);
	/* The parent has more bytes; the child must not reach them. */
	ck_assert_int_eq(wp_rbuf_get_u8(&v, &u8), -1);
	wp_rbuf_strerror(&v, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 6: need 1 byte, 0 left");
	ck_assert(!wp_rbuf_error(&r));

	wp_rbuf_get_u8(&r, &type);
	wp_rbuf_get_u8(&r, &len);
	ck_assert_int_eq(wp_rbuf_sub(&r, len, &v), 0);
	/* Nested: a sub-reader of a sub-reader keeps absolute offsets. */
	ck_assert_int_eq(wp_rbuf_sub(&v, 1, &vv), 0);
	ck_assert_int_eq(wp_rbuf_get_u16(&vv, &u16), -1);
	wp_rbuf_strerror(&vv, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 8: need 2 bytes, 1 left");
	ck_assert(!wp_rbuf_error(&v));
	ck_assert_int_eq(wp_rbuf_get_u8(&v, &u8), 0);
	ck_assert_uint_eq(u8, 0x34);

	/* Length 9 with one byte left: the parent fails, the child is dead. */
	wp_rbuf_get_u8(&r, &type);
	wp_rbuf_get_u8(&r, &len);
	ck_assert_int_eq(wp_rbuf_sub(&r, len, &v), -1);
	ck_assert(wp_rbuf_error(&r));
	ck_assert(wp_rbuf_error(&v));
	ck_assert_uint_eq(wp_rbuf_remaining(&v), 0);
	ck_assert_int_eq(wp_rbuf_get_u8(&v, &u8), -1);
	ck_assert_int_eq(wp_rbuf_peek_u8(&v, &u8), -1);
	ck_assert_int_eq(wp_rbuf_sub(&v, 0, &vv), -1);
	wp_rbuf_strerror(&r, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 12: need 9 bytes, 1 left");
	wp_rbuf_strerror(&v, err, sizeof(err));
	ck_assert_str_eq(err, "truncated at offset 12: need 9 bytes, 1 left");
	wp_free(MT_TEST_BUF, buf);
}
END_TEST

START_TEST(test_write_fixed)
{
	uint8_t mem[12];
	struct wp_wbuf w;

	memset(mem, 0xee, sizeof(mem));
	/* Capacity 8 of 12: the last four bytes are a guard. */
	wp_wbuf_init_fixed(&w, mem, 8);
	ck_assert_int_eq(wp_wbuf_put_u16(&w, 0x0102), 0);
	ck_assert_int_eq(wp_wbuf_put_u24(&w, 0x030405), 0);
	ck_assert_int_eq(wp_wbuf_put_u32(&w, 0x06070809), -1);
	ck_assert(wp_wbuf_error(&w));
	ck_assert_uint_eq(wp_wbuf_len(&w), 5);
	/* Sticky: even a byte that would fit is refused now. */
	ck_assert_int_eq(wp_wbuf_put_u8(&w, 0xff), -1);
	ck_assert_uint_eq(wp_wbuf_len(&w), 5);
	ck_assert_uint_eq(mem[5], 0xee);
	for (size_t i = 8; i < sizeof(mem); i++)
		ck_assert_uint_eq(mem[i], 0xee);
	ck_assert_uint_eq(mem[0], 0x01);
	ck_assert_uint_eq(mem[4], 0x05);
	ck_assert_ptr_null(wp_wbuf_detach(&w, &(size_t){ 0 }));

	/* Exactly full is fine; one more byte is not. */
	wp_wbuf_init_fixed(&w, mem, 8);
	ck_assert_int_eq(wp_wbuf_put_u64(&w, 0x1122334455667788ull), 0);
	ck_assert_uint_eq(mem[0], 0x11);
	ck_assert_uint_eq(mem[7], 0x88);
	ck_assert_int_eq(wp_wbuf_put_bytes(&w, "x", 1), -1);
	ck_assert_uint_eq(mem[8], 0xee);
	wp_wbuf_reset(&w);
	ck_assert(!wp_wbuf_error(&w));
	ck_assert_int_eq(wp_wbuf_put_bytes(&w, "abc", 3), 0);
	ck_assert_int_eq(wp_wbuf_put_u24(&w, 0x1000000), -1);
	wp_wbuf_free(&w);	/* no-op for fixed storage */
	ck_assert(memcmp(mem, "abc", 3) == 0);

	/* A writer over no storage refuses. */
	wp_wbuf_init_fixed(&w, NULL, 100);
	ck_assert_int_eq(wp_wbuf_put_u8(&w, 1), -1);
}
END_TEST

START_TEST(test_write_growable)
{
	struct wp_wbuf w;
	struct wp_rbuf r;
	uint8_t *p;
	size_t len;

	wp_wbuf_init(&w, MT_TEST_BUF, 0);
	ck_assert_uint_eq(MT_TEST_BUF->live, 0);
	for (uint32_t i = 0; i < 10000; i++)
		ck_assert_int_eq(wp_wbuf_put_u32(&w, i), 0);
	ck_assert_uint_eq(wp_wbuf_len(&w), 40000);
	ck_assert_uint_eq(MT_TEST_BUF->live, 1);
	wp_rbuf_init(&r, wp_wbuf_data(&w), wp_wbuf_len(&w));
	for (uint32_t i = 0; i < 10000; i++) {
		uint32_t v;

		ck_assert_int_eq(wp_rbuf_get_u32(&r, &v), 0);
		ck_assert_uint_eq(v, i);
	}
	/* Refuse a size that cannot be represented, without allocating. */
	ck_assert_int_eq(wp_wbuf_put_bytes(&w, "", SIZE_MAX - 8), -1);
	ck_assert(wp_wbuf_error(&w));
	ck_assert_ptr_null(wp_wbuf_detach(&w, &len));
	wp_wbuf_reset(&w);

	ck_assert_int_eq(wp_wbuf_put_bytes(&w, "hello", 5), 0);
	p = wp_wbuf_detach(&w, &len);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(len, 5);
	ck_assert(memcmp(p, "hello", 5) == 0);
	ck_assert_uint_eq(wp_wbuf_len(&w), 0);
	wp_free(MT_TEST_BUF, p);
	wp_wbuf_free(&w);
	ck_assert_uint_eq(MT_TEST_BUF->live, 0);

	wp_wbuf_init(&w, MT_TEST_BUF, 16);
	ck_assert_uint_eq(MT_TEST_BUF->live, 1);
	wp_wbuf_free(&w);
	ck_assert_uint_eq(MT_TEST_BUF->live, 0);
}
END_TEST

/* A TLV whose length is written after its value. */
START_TEST(test_reserve_patch)
{
	static const uint8_t want[] = {
		0x00, 0x07, 0x00, 0x06, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
		0x80, 0x01, 0x02, 0x03,
	};
	uint8_t mem[14];
	struct wp_wbuf w;
	size_t lenoff, off2;

	wp_wbuf_init_fixed(&w, mem, sizeof(mem));
	wp_wbuf_put_u16(&w, 7);
	ck_assert_int_eq(wp_wbuf_reserve(&w, 2, &lenoff), 0);
	ck_assert_uint_eq(lenoff, 2);
	ck_assert_uint_eq(mem[2] | mem[3], 0);
	wp_wbuf_put_bytes(&w, "\xaa\xbb\xcc\xdd\xee\xff", 6);
	ck_assert_int_eq(wp_wbuf_put_u16_at(&w, lenoff,
					    (uint16_t)(wp_wbuf_len(&w) - lenoff - 2)), 0);
	ck_assert_int_eq(wp_wbuf_reserve(&w, 4, &off2), 0);
	ck_assert_int_eq(wp_wbuf_put_u32_at(&w, off2, 0x00010203), 0);
	ck_assert_int_eq(wp_wbuf_put_u8_at(&w, off2, 0x80), 0);
	ck_assert(!wp_wbuf_error(&w));
	ck_assert_uint_eq(wp_wbuf_len(&w), sizeof(want));
	ck_assert(memcmp(mem, want, sizeof(want)) == 0);

	/* Patching what was not written yet is refused, and sticky. */
	ck_assert_int_eq(wp_wbuf_put_u16_at(&w, 13, 1), -1);
	ck_assert(wp_wbuf_error(&w));
	ck_assert(memcmp(mem, want, sizeof(want)) == 0);
	wp_wbuf_reset(&w);
	ck_assert_int_eq(wp_wbuf_put_u32_at(&w, SIZE_MAX - 1, 1), -1);
	wp_wbuf_reset(&w);
	/* Reserving past a fixed capacity fails and leaves the writer as is. */
	ck_assert_int_eq(wp_wbuf_reserve(&w, 15, &off2), -1);
	ck_assert_uint_eq(wp_wbuf_len(&w), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("buf");
	TCase *tr = tcase_create("reader");
	TCase *tw = tcase_create("writer");

	tcase_add_test(tr, test_read_values);
	tcase_add_test(tr, test_read_edges);
	tcase_add_test(tr, test_u64_at_len_minus_7);
	tcase_add_test(tr, test_sticky_error);
	tcase_add_test(tr, test_ptr_skip_bytes);
	tcase_add_test(tr, test_peek);
	tcase_add_test(tr, test_sub_reader);
	tcase_add_test(tw, test_write_fixed);
	tcase_add_test(tw, test_write_growable);
	tcase_add_test(tw, test_reserve_patch);
	suite_add_tcase(s, tr);
	suite_add_tcase(s, tw);
	return wp_check_run(s);
}
