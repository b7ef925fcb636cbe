/*
 * Unit tests for daemons/ospfd/ospf_lsdb.c: checksums (Fletcher against a
 * brute-force solver and captured LSAs, the IP checksum against RFC 1071),
 * LSA encode/decode round trips, every malformed length refused, the
 * §13.1 comparison, ages, and the database itself.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* --- checksums ------------------------------------------------------------ */

/* Solve for the two check octets by trying all of them: independent of the
 * closed form in ospf_fletcher(). */
static uint16_t
fletcher_brute(uint8_t *buf, size_t len, size_t off)
{
	uint16_t found = 0;
	int hits = 0;

	for (int x = 1; x <= 255; x++) {
		for (int y = 1; y <= 255; y++) {
			buf[off] = (uint8_t)x;
			buf[off + 1] = (uint8_t)y;
			if (ospf_fletcher_ok(buf, len)) {
				found = (uint16_t)(x << 8 | y);
				hits++;
			}
		}
	}
	ck_assert_int_eq(hits, 1);
	return found;
}

START_TEST(test_fletcher_brute)
{
	uint8_t buf[200];

	srandom(1);
	for (size_t len = 16; len < sizeof(buf); len += 13) {
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)random();
		/* LSA layout: the checksum sits at offset 14 of the data. */
		ck_assert_uint_eq(ospf_fletcher(buf, len, 14),
				  fletcher_brute(buf, len, 14));
	}
}
END_TEST

/*
 * Router-LSAs as FRR 8.4 ospfd originated them (captured off a lab link
 * with a raw socket): their checksums come from another implementation.
 * The first has a p2p link, its stub and a loopback host route.
 */
static const uint8_t frr_router_lsa[] = {
	0x00, 0x01, 0x02, 0x01, 0x0a, 0xff, 0x00, 0x02,
	0x0a, 0xff, 0x00, 0x02, 0x80, 0x00, 0x00, 0x07,
	0x37, 0x86, 0x00, 0x3c, 0x00, 0x00, 0x00, 0x03,
	0x0a, 0xff, 0x00, 0x01, 0x0a, 0x00, 0x0c, 0x02,
	0x01, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x0c, 0x00,
	0xff, 0xff, 0xff, 0x00, 0x03, 0x00, 0x00, 0x0a,
	0x0a, 0xff, 0x00, 0x02, 0xff, 0xff, 0xff, 0xff,
	0x03, 0x00, 0x00, 0x00,
};

static const uint8_t frr_router_lsa2[] = {
	0x00, 0x01, 0x02, 0x01, 0x0a, 0xff, 0x00, 0x02,
	0x0a, 0xff, 0x00, 0x02, 0x80, 0x00, 0x00, 0x06,
	0x85, 0x74, 0x00, 0x30, 0x00, 0x00, 0x00, 0x02,
	0x0a, 0x00, 0x0c, 0x00, 0xff, 0xff, 0xff, 0x00,
	0x03, 0x00, 0x00, 0x0a, 0x0a, 0xff, 0x00, 0x02,
	0xff, 0xff, 0xff, 0xff, 0x03, 0x00, 0x00, 0x00,
};

START_TEST(test_fletcher_captured)
{
	uint8_t copy[sizeof(frr_router_lsa)];

	ck_assert(ospf_lsa_cksum_ok(frr_router_lsa, sizeof(frr_router_lsa)));
	ck_assert(ospf_lsa_cksum_ok(frr_router_lsa2, sizeof(frr_router_lsa2)));
	ck_assert_uint_eq(ospf_lsa_cksum(frr_router_lsa2,
					 sizeof(frr_router_lsa2)), 0x8574);
	memcpy(copy, frr_router_lsa, sizeof(copy));
	copy[16] = copy[17] = 0;
	ck_assert_uint_eq(ospf_lsa_cksum(copy, sizeof(copy)),
			  (uint16_t)(frr_router_lsa[16] << 8 |
				     frr_router_lsa[17]));
	/* The age is outside the checksum. */
	memcpy(copy, frr_router_lsa, sizeof(copy));
	copy[0] = 0x0e;
	copy[1] = 0x10;
	ck_assert(ospf_lsa_cksum_ok(copy, sizeof(copy)));
	/* Any other byte is not. */
	for (size_t i = 2; i < sizeof(copy); i++) {
		memcpy(copy, frr_router_lsa, sizeof(copy));
		copy[i] ^= 0x40;
		ck_assert_msg(!ospf_lsa_cksum_ok(copy, sizeof(copy)),
			      "flipped byte %zu still verifies", i);
	}
	/* A zero checksum never verifies. */
	memcpy(copy, frr_router_lsa, sizeof(copy));
	copy[16] = copy[17] = 0;
	ck_assert(!ospf_lsa_cksum_ok(copy, sizeof(copy)));
	ck_assert(!ospf_lsa_cksum_ok(copy, 10));
}
END_TEST

START_TEST(test_inet_cksum)
{
	/* RFC 1071 §3 example: the sum is 0xddf2. */
	static const uint8_t v[] = { 0x00, 0x01, 0xf2, 0x03,
				     0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[] = { 0x01, 0x02, 0x03 };

	ck_assert_uint_eq(ospf_inet_cksum(v, sizeof(v)), 0x220d);
	/* Odd length: padded with a zero byte. */
	ck_assert_uint_eq(ospf_inet_cksum(odd, 3),
			  (uint16_t)~(0x0102 + 0x0300));
}
END_TEST

/* --- encode/decode --------------------------------------------------------- */

static struct ospf_lsa_hdr
hdr(uint8_t type, uint32_t id, uint32_t adv, uint32_t seq)
{
	struct ospf_lsa_hdr h = {
		.options = OSPF_OPT_E, .type = type, .id = id, .adv = adv,
		.seq = seq,
	};

	return h;
}

START_TEST(test_router_roundtrip)
{
	struct ospf_rtr_link links[] = {
		{ IP(10, 255, 0, 2), IP(10, 0, 12, 1), OSPF_LINK_P2P, 10 },
		{ IP(10, 0, 12, 0), IP(255, 255, 255, 0), OSPF_LINK_STUB, 10 },
		{ IP(10, 0, 0, 2), IP(10, 0, 0, 1), OSPF_LINK_TRANSIT, 1 },
	};
	struct ospf_lsa_hdr h = hdr(OSPF_LSA_ROUTER, IP(10, 255, 0, 1),
				    IP(10, 255, 0, 1), OSPF_INITIAL_SEQ);
	struct ospf_lsa *lsa, *again;
	char err[128];

	lsa = ospf_lsa_build_router(&h, OSPF_RTR_B | OSPF_RTR_E, links, 3,
				    100.0);
	ck_assert_ptr_nonnull(lsa);
	ck_assert_uint_eq(lsa->hdr.len, 20 + 4 + 3 * 12);
	ck_assert(ospf_lsa_cksum_ok(lsa->raw, lsa->hdr.len));
	ck_assert_uint_eq(lsa->u.rtr.flags, OSPF_RTR_B | OSPF_RTR_E);
	ck_assert_uint_eq(lsa->u.rtr.nlinks, 3);
	ck_assert_uint_eq(lsa->u.rtr.links[0].id, IP(10, 255, 0, 2));
	ck_assert_uint_eq(lsa->u.rtr.links[1].data, IP(255, 255, 255, 0));
	ck_assert_uint_eq(lsa->u.rtr.links[2].type, OSPF_LINK_TRANSIT);
	ck_assert_uint_eq(lsa->u.rtr.links[2].metric, 1);
	ck_assert_uint_eq(lsa->hdr.seq, OSPF_INITIAL_SEQ);
	/* The bytes parse back to the same thing. */
	again = ospf_lsa_parse(lsa->raw, lsa->hdr.len, 100.0, err, sizeof(err));
	ck_assert_ptr_nonnull(again);
	ck_assert_int_eq(ospf_lsa_cmp(&lsa->hdr, &again->hdr), 0);
	ck_assert(!ospf_lsa_differ(lsa, again, 100.0));
	ospf_lsa_unref(again);
	ospf_lsa_unref(lsa);
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
}
END_TEST

START_TEST(test_captured_parse)
{
	struct ospf_lsa *lsa;
	char err[128];

	lsa = ospf_lsa_parse(frr_router_lsa, sizeof(frr_router_lsa), 0, err,
			     sizeof(err));
	ck_assert_msg(lsa != NULL, "%s", err);
	ck_assert_uint_eq(lsa->hdr.type, OSPF_LSA_ROUTER);
	ck_assert_uint_eq(lsa->hdr.adv, IP(10, 255, 0, 2));
	ck_assert_uint_eq(lsa->hdr.seq, 0x80000007);
	ck_assert_uint_eq(lsa->u.rtr.nlinks, 3);
	ck_assert_uint_eq(lsa->u.rtr.links[0].type, OSPF_LINK_P2P);
	ck_assert_uint_eq(lsa->u.rtr.links[0].id, IP(10, 255, 0, 1));
	ck_assert_uint_eq(lsa->u.rtr.links[0].data, IP(10, 0, 12, 2));
	ck_assert_uint_eq(lsa->u.rtr.links[0].metric, 10);
	ck_assert_uint_eq(lsa->u.rtr.links[1].type, OSPF_LINK_STUB);
	ck_assert_uint_eq(lsa->u.rtr.links[2].data, 0xffffffffu);
	ck_assert_uint_eq(lsa->u.rtr.links[2].metric, 0);
	ospf_lsa_unref(lsa);
}
END_TEST

START_TEST(test_other_roundtrips)
{
	uint32_t rtrs[] = { IP(1, 1, 1, 1), IP(2, 2, 2, 2), IP(3, 3, 3, 3) };
	struct ospf_lsa_hdr h;
	struct ospf_lsa *lsa;

	h = hdr(OSPF_LSA_NETWORK, IP(10, 0, 0, 1), IP(1, 1, 1, 1), 5);
	lsa = ospf_lsa_build_network(&h, IP(255, 255, 255, 0), rtrs, 3, 0);
	ck_assert_uint_eq(lsa->hdr.len, 20 + 4 + 12);
	ck_assert_uint_eq(lsa->u.net.mask, IP(255, 255, 255, 0));
	ck_assert_uint_eq(lsa->u.net.nrtrs, 3);
	ck_assert_uint_eq(lsa->u.net.rtrs[2], IP(3, 3, 3, 3));
	ck_assert(ospf_lsa_cksum_ok(lsa->raw, lsa->hdr.len));
	ospf_lsa_unref(lsa);
	ck_assert_ptr_null(ospf_lsa_build_network(&h, 0, rtrs, 0, 0));

	h = hdr(OSPF_LSA_SUMMARY, IP(192, 168, 1, 0), IP(9, 9, 9, 9), 7);
	lsa = ospf_lsa_build_summary(&h, IP(255, 255, 255, 0), 0x123456, 0);
	ck_assert_uint_eq(lsa->hdr.type, OSPF_LSA_SUMMARY);
	ck_assert_uint_eq(lsa->hdr.len, 28);
	ck_assert_uint_eq(lsa->u.sum.metric, 0x123456);
	ospf_lsa_unref(lsa);

	h = hdr(OSPF_LSA_ASBR_SUMMARY, IP(7, 7, 7, 7), IP(9, 9, 9, 9), 7);
	lsa = ospf_lsa_build_summary(&h, 0, 30, 0);
	ck_assert_uint_eq(lsa->hdr.type, OSPF_LSA_ASBR_SUMMARY);
	ck_assert_uint_eq(lsa->u.sum.metric, 30);
	ospf_lsa_unref(lsa);

	h = hdr(OSPF_LSA_EXTERNAL, 0, IP(9, 9, 9, 9), 1);
	lsa = ospf_lsa_build_external(&h, 0, 20, true, IP(10, 0, 0, 7), 42, 0);
	ck_assert_uint_eq(lsa->hdr.len, 36);
	ck_assert(lsa->u.ext.e2);
	ck_assert_uint_eq(lsa->u.ext.metric, 20);
	ck_assert_uint_eq(lsa->u.ext.fwd, IP(10, 0, 0, 7));
	ck_assert_uint_eq(lsa->u.ext.tag, 42);
	ck_assert_uint_eq(lsa->raw[24], 0x80);
	ospf_lsa_unref(lsa);

	lsa = ospf_lsa_build_external(&h, 0, 20, false, 0, 0, 0);
	ck_assert(!lsa->u.ext.e2);
	ospf_lsa_unref(lsa);
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
}
END_TEST

/* --- malformed lengths ------------------------------------------------------ */

/* Parse an exact-size heap copy (ASan sees any stray read); returns ok. */
static bool
parses(const uint8_t *data, size_t len)
{
	uint8_t *copy = wp_malloc(MT_TMP, len ? len : 1);
	struct ospf_lsa *lsa;
	char err[160];

	memcpy(copy, data, len);
	err[0] = '\0';
	lsa = ospf_lsa_parse(copy, len, 0, err, sizeof(err));
	wp_free(MT_TMP, copy);
	if (lsa == NULL) {
		ck_assert_msg(err[0] != '\0', "refusal without a reason");
		return false;
	}
	ospf_lsa_unref(lsa);
	return true;
}

static void
set_len(uint8_t *raw, size_t len)
{
	raw[18] = (uint8_t)(len >> 8);
	raw[19] = (uint8_t)len;
}

START_TEST(test_malformed_truncations)
{
	struct ospf_rtr_link links[] = {
		{ IP(2, 2, 2, 2), IP(10, 0, 0, 1), OSPF_LINK_P2P, 1 },
		{ IP(10, 0, 0, 0), IP(255, 255, 255, 0), OSPF_LINK_STUB, 1 },
	};
	uint32_t rtrs[] = { IP(1, 1, 1, 1), IP(2, 2, 2, 2) };
	struct ospf_lsa_hdr h = hdr(OSPF_LSA_ROUTER, IP(1, 1, 1, 1),
				    IP(1, 1, 1, 1), 1);
	struct ospf_lsa *v[5];
	uint8_t buf[128];

	v[0] = ospf_lsa_build_router(&h, 0, links, 2, 0);
	h.type = OSPF_LSA_NETWORK;
	v[1] = ospf_lsa_build_network(&h, IP(255, 255, 255, 0), rtrs, 2, 0);
	h.type = OSPF_LSA_SUMMARY;
	v[2] = ospf_lsa_build_summary(&h, IP(255, 255, 255, 0), 1, 0);
	h.type = OSPF_LSA_ASBR_SUMMARY;
	v[3] = ospf_lsa_build_summary(&h, 0, 1, 0);
	h.type = OSPF_LSA_EXTERNAL;
	v[4] = ospf_lsa_build_external(&h, 0, 1, true, 0, 0, 0);
	for (int k = 0; k < 5; k++) {
		size_t full = v[k]->hdr.len;

		ck_assert(parses(v[k]->raw, full));
		for (size_t len = 0; len < full; len++) {
			/* Cut short, the length field still saying full. */
			ck_assert_msg(!parses(v[k]->raw, len),
				      "type %d cut to %zu parsed", k + 1, len);
			/* Cut short and the field agreeing: only lengths the
			 * type allows may parse. */
			if (len >= OSPF_LSA_HDR_LEN) {
				bool ok;

				memcpy(buf, v[k]->raw, len);
				set_len(buf, len);
				ok = parses(buf, len);
				switch (k + 1) {
				case OSPF_LSA_ROUTER:
					ck_assert(!ok);
					break;
				case OSPF_LSA_NETWORK:
					ck_assert(ok == (len >= 28 &&
							 len % 4 == 0));
					break;
				case OSPF_LSA_SUMMARY:
				case OSPF_LSA_ASBR_SUMMARY:
					ck_assert(ok == (len >= 28 &&
							 len % 4 == 0));
					break;
				default:
					ck_assert(ok == (len == 36 ||
							 len == 48));
					break;
				}
			}
		}
		/* Longer than the field says. */
		memcpy(buf, v[k]->raw, full);
		buf[full] = 0;
		ck_assert(!parses(buf, full + 1));
		/* Field too small for a header. */
		memcpy(buf, v[k]->raw, full);
		set_len(buf, 19);
		ck_assert(!parses(buf, full));
		set_len(buf, 0);
		ck_assert(!parses(buf, full));
		ospf_lsa_unref(v[k]);
	}
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
}
END_TEST

START_TEST(test_malformed_router_body)
{
	struct ospf_rtr_link links[] = {
		{ IP(2, 2, 2, 2), IP(10, 0, 0, 1), OSPF_LINK_P2P, 1 },
	};
	struct ospf_lsa_hdr h = hdr(OSPF_LSA_ROUTER, IP(1, 1, 1, 1),
				    IP(1, 1, 1, 1), 1);
	struct ospf_lsa *lsa = ospf_lsa_build_router(&h, 0, links, 1, 0);
	uint8_t buf[128];
	size_t len = lsa->hdr.len;

	/* Link count larger than the body holds. */
	memcpy(buf, lsa->raw, len);
	buf[23] = 2;
	ck_assert(!parses(buf, len));
	buf[22] = 0xff;
	buf[23] = 0xff;
	ck_assert(!parses(buf, len));
	/* Count smaller: bytes left over. */
	memcpy(buf, lsa->raw, len);
	buf[23] = 0;
	ck_assert(!parses(buf, len));
	/* A TOS count that runs past the end. */
	memcpy(buf, lsa->raw, len);
	buf[33] = 1;
	ck_assert(!parses(buf, len));
	/* ... and one that fits once the bytes are there. */
	memcpy(buf, lsa->raw, len);
	buf[33] = 1;
	memset(buf + len, 0, 4);
	set_len(buf, len + 4);
	ck_assert(parses(buf, len + 4));
	/* Unknown link types. */
	memcpy(buf, lsa->raw, len);
	buf[32] = 0;
	ck_assert(!parses(buf, len));
	buf[32] = 5;
	ck_assert(!parses(buf, len));
	/* Unknown LSA types. */
	memcpy(buf, lsa->raw, len);
	buf[3] = 0;
	ck_assert(!parses(buf, len));
	buf[3] = 6;
	ck_assert(!parses(buf, len));
	buf[3] = 8;
	ck_assert(!parses(buf, len));
	buf[3] = 12;
	ck_assert(!parses(buf, len));
	/* Opaque LSAs (RFC 5250): any body, carried as it is. */
	for (uint8_t t = OSPF_LSA_OPAQUE_LINK; t <= OSPF_LSA_OPAQUE_AS; t++) {
		buf[3] = t;
		ck_assert(parses(buf, len));
		set_len(buf, 20);		/* an empty body too */
		ck_assert(parses(buf, 20));
		set_len(buf, len);
	}
	/* Zero links is a valid (if lonely) router-LSA. */
	memcpy(buf, lsa->raw, 24);
	buf[22] = buf[23] = 0;
	set_len(buf, 24);
	ck_assert(parses(buf, 24));
	ospf_lsa_unref(lsa);
}
END_TEST

/* --- comparison and age ---------------------------------------------------- */

START_TEST(test_lsa_cmp)
{
	struct ospf_lsa_hdr a = hdr(1, 1, 1, 0x80000005), b;

	a.cksum = 0x1000;
	a.age = 10;
	b = a;
	ck_assert_int_eq(ospf_lsa_cmp(&a, &b), 0);
	/* Sequence numbers are signed: 0x80000001 is older than 1. */
	b.seq = 0x80000006;
	ck_assert_int_lt(ospf_lsa_cmp(&a, &b), 0);
	b.seq = 1;
	ck_assert_int_lt(ospf_lsa_cmp(&a, &b), 0);
	ck_assert_int_gt(ospf_lsa_cmp(&b, &a), 0);
	b.seq = OSPF_MAX_SEQ;
	ck_assert_int_lt(ospf_lsa_cmp(&a, &b), 0);
	/* Same sequence: larger checksum wins. */
	b = a;
	b.cksum = 0x1001;
	ck_assert_int_lt(ospf_lsa_cmp(&a, &b), 0);
	/* Then MaxAge wins. */
	b = a;
	b.age = OSPF_MAX_AGE;
	ck_assert_int_lt(ospf_lsa_cmp(&a, &b), 0);
	ck_assert_int_gt(ospf_lsa_cmp(&b, &a), 0);
	/* Then ages more than MaxAgeDiff apart: the younger wins. */
	b = a;
	b.age = 10 + OSPF_MAX_AGE_DIFF;
	ck_assert_int_eq(ospf_lsa_cmp(&a, &b), 0);
	b.age = 11 + OSPF_MAX_AGE_DIFF;
	ck_assert_int_gt(ospf_lsa_cmp(&a, &b), 0);
	ck_assert_int_lt(ospf_lsa_cmp(&b, &a), 0);
}
END_TEST

START_TEST(test_lsa_age)
{
	struct ospf_lsa_hdr h = hdr(OSPF_LSA_SUMMARY, 1, 1, 1), now;
	struct ospf_lsa *lsa, *b;

	h.age = 100;
	lsa = ospf_lsa_build_summary(&h, 0, 1, 1000.0);
	ck_assert_uint_eq(ospf_lsa_age(lsa, 1000.0), 100);
	ck_assert_uint_eq(ospf_lsa_age(lsa, 1010.5), 110);
	ck_assert_uint_eq(ospf_lsa_age(lsa, 999.0), 100);
	ck_assert_uint_eq(ospf_lsa_age(lsa, 1000.0 + 3500), OSPF_MAX_AGE);
	ospf_lsa_hdr_now(lsa, 1010.0, 1, &now);
	ck_assert_uint_eq(now.age, 111);
	ospf_lsa_hdr_now(lsa, 1000.0 + 3499.5, 5, &now);
	ck_assert_uint_eq(now.age, OSPF_MAX_AGE);
	/* Contents differ once one is at MaxAge. */
	b = ospf_lsa_build_summary(&h, 0, 1, 1000.0);
	ck_assert(!ospf_lsa_differ(lsa, b, 1000.0));
	ospf_lsa_set_maxage(b, 1000.0);
	ck_assert_uint_eq(ospf_lsa_age(b, 5000.0), OSPF_MAX_AGE);
	ck_assert_uint_eq(b->raw[0] << 8 | b->raw[1], OSPF_MAX_AGE);
	ck_assert(ospf_lsa_cksum_ok(b->raw, b->hdr.len));
	ck_assert(ospf_lsa_differ(lsa, b, 1000.0));
	ospf_lsa_unref(b);
	b = ospf_lsa_build_summary(&h, 0, 2, 1000.0);
	ck_assert(ospf_lsa_differ(lsa, b, 1000.0));
	ospf_lsa_unref(b);
	ospf_lsa_unref(lsa);
}
END_TEST

/* --- the database ------------------------------------------------------------ */

static struct ospf_lsa *
summary(uint32_t id, uint32_t adv, uint32_t seq)
{
	struct ospf_lsa_hdr h = hdr(OSPF_LSA_SUMMARY, id, adv, seq);

	return ospf_lsa_build_summary(&h, IP(255, 255, 255, 0), 1, 0);
}

START_TEST(test_lsdb_basic)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	struct ospf_lsa *a = summary(IP(10, 0, 0, 0), 1, 1);
	struct ospf_lsa *b = summary(IP(10, 0, 0, 0), 2, 1);
	struct ospf_lsa *a2 = summary(IP(10, 0, 0, 0), 1, 2);
	struct ospf_lsa *old;

	ck_assert_ptr_null(ospf_lsdb_install(db, a));
	ck_assert_ptr_null(ospf_lsdb_install(db, b));
	ck_assert_uint_eq(ospf_lsdb_count(db), 2);
	ck_assert_uint_eq(a->refcnt, 2);
	ck_assert_ptr_eq(ospf_lsdb_lookup(db, 3, IP(10, 0, 0, 0), 2), b);
	ck_assert_ptr_null(ospf_lsdb_lookup(db, 3, IP(10, 0, 0, 0), 3));
	ck_assert_ptr_null(ospf_lsdb_lookup(db, 5, IP(10, 0, 0, 0), 1));
	ck_assert_ptr_nonnull(ospf_lsdb_lookup_id(db, 3, IP(10, 0, 0, 0), 0));
	/* A newer instance replaces the old one, which comes back. */
	old = ospf_lsdb_install(db, a2);
	ck_assert_ptr_eq(old, a);
	ck_assert_ptr_null(a->db);
	ck_assert_uint_eq(ospf_lsdb_count(db), 2);
	ospf_lsa_unref(old);
	ck_assert_ptr_eq(ospf_lsdb_lookup(db, 3, IP(10, 0, 0, 0), 1), a2);
	/* lookup_id prefers an instance not at MaxAge. */
	ospf_lsa_set_maxage(a2, 0);
	ck_assert_ptr_eq(ospf_lsdb_lookup_id(db, 3, IP(10, 0, 0, 0), 0), b);
	ospf_lsdb_remove(db, b);
	ck_assert_ptr_eq(ospf_lsdb_lookup_id(db, 3, IP(10, 0, 0, 0), 0), a2);
	ck_assert_uint_eq(ospf_lsdb_count(db), 1);
	ospf_lsa_unref(a);
	ospf_lsa_unref(b);
	ospf_lsa_unref(a2);
	ospf_lsdb_free(db);
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
	ck_assert_uint_eq(MT_OSPF_LSDB->live, 0);
}
END_TEST

START_TEST(test_lsdb_many)
{
	struct ospf_lsdb *db = ospf_lsdb_new();
	struct ospf_lsdb_iter it;
	struct ospf_lsa *lsa, **v;
	size_t n, seen = 0, removed = 0;

	for (uint32_t i = 0; i < 3000; i++) {
		lsa = summary(IP(10, i >> 8, i & 0xff, 0), 1 + i % 3, 1);
		ospf_lsdb_install(db, lsa);
		ospf_lsa_unref(lsa);
	}
	ck_assert_uint_eq(ospf_lsdb_count(db), 3000);
	ck_assert_uint_eq(db->count_type[OSPF_LSA_SUMMARY], 3000);
	for (uint32_t i = 0; i < 3000; i++)
		ck_assert_ptr_nonnull(ospf_lsdb_lookup(db, 3,
			IP(10, i >> 8, i & 0xff, 0), 1 + i % 3));
	v = ospf_lsdb_sorted(db, &n);
	ck_assert_uint_eq(n, 3000);
	for (size_t i = 1; i < n; i++)
		ck_assert(v[i - 1]->hdr.id < v[i]->hdr.id);
	wp_free(MT_OSPF_LSDB, v);
	/* Remove every other LSA while iterating. */
	for (lsa = ospf_lsdb_first(db, &it); lsa;
	     lsa = ospf_lsdb_next(db, &it)) {
		if (seen++ % 2 == 0) {
			ospf_lsdb_remove(db, lsa);
			removed++;
		}
	}
	ck_assert_uint_eq(seen, 3000);
	ck_assert_uint_eq(ospf_lsdb_count(db), 3000 - removed);
	ospf_lsdb_free(db);
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_lsdb");
	TCase *tc = tcase_create("checksum");
	TCase *tl = tcase_create("lsa");
	TCase *td = tcase_create("lsdb");

	tcase_add_test(tc, test_fletcher_brute);
	tcase_add_test(tc, test_fletcher_captured);
	tcase_add_test(tc, test_inet_cksum);
	tcase_add_test(tl, test_router_roundtrip);
	tcase_add_test(tl, test_captured_parse);
	tcase_add_test(tl, test_other_roundtrips);
	tcase_add_test(tl, test_malformed_truncations);
	tcase_add_test(tl, test_malformed_router_body);
	tcase_add_test(tl, test_lsa_cmp);
	tcase_add_test(tl, test_lsa_age);
	tcase_add_test(td, test_lsdb_basic);
	tcase_add_test(td, test_lsdb_many);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	suite_add_tcase(s, td);
	return wp_check_run(s);
}
