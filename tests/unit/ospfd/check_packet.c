/*
 * Unit tests for the ospfd packet decoders (ospf_packet.c and the
 * per-type files): the common header, checksum and authentication, and
 * every body with every length that is wrong for it.  Inputs are
 * exact-size heap copies, so AddressSanitizer sees any stray read.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"
#include "wp_check.h"
#include "wp_md5.h"

#define IP(a, b, c, d)	((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* A packet of `type` with `body`, checksummed (null authentication). */
static size_t
mkpkt(uint8_t *buf, uint8_t type, const uint8_t *body, size_t blen,
      uint16_t autype, const char *key)
{
	size_t len = OSPF_HDR_LEN + blen;
	uint32_t rid = htonl(IP(10, 0, 0, 2)), area = 0;
	uint16_t ck, l = htons((uint16_t)len), at = htons(autype);

	memset(buf, 0, len);
	buf[0] = OSPF_VERSION;
	buf[1] = type;
	memcpy(buf + 2, &l, 2);
	memcpy(buf + 4, &rid, 4);
	memcpy(buf + 8, &area, 4);
	memcpy(buf + 14, &at, 2);
	memcpy(buf + OSPF_HDR_LEN, body, blen);
	ck = htons(ospf_inet_cksum(buf, len));
	memcpy(buf + 12, &ck, 2);
	if (key)
		memcpy(buf + 16, key, strnlen(key, 8));
	return len;
}

static int
parse(const uint8_t *data, size_t len, struct ospf_pkt *pkt,
      enum ospf_if_err *e)
{
	char err[128];
	int rc;

	err[0] = '\0';
	rc = ospf_packet_parse(data, len, pkt, e, err, sizeof(err));
	if (rc < 0)
		ck_assert_msg(err[0] != '\0', "refusal without a reason");
	return rc;
}

static const uint8_t hello_body[] = {
	0xff, 0xff, 0xff, 0x00,		/* mask */
	0x00, 0x0a, 0x02, 0x01,		/* hello 10, options E, priority 1 */
	0x00, 0x00, 0x00, 0x28,		/* dead 40 */
	0x0a, 0x00, 0x00, 0x01,		/* DR */
	0x00, 0x00, 0x00, 0x00,		/* BDR */
	0x0a, 0xff, 0x00, 0x01,		/* one neighbour */
};

START_TEST(test_header_ok)
{
	uint8_t buf[128];
	size_t len = mkpkt(buf, OSPF_PKT_HELLO, hello_body,
			   sizeof(hello_body), 0, NULL);
	struct ospf_pkt pkt;
	struct ospf_hello h;
	enum ospf_if_err e;

	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_uint_eq(pkt.type, OSPF_PKT_HELLO);
	ck_assert_uint_eq(pkt.rtr_id, IP(10, 0, 0, 2));
	ck_assert_uint_eq(pkt.len, len);
	ck_assert_uint_eq(wp_rbuf_remaining(&pkt.body), sizeof(hello_body));
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 0, "", NULL,
						0, &e), 0);
	ck_assert_int_eq(ospf_hello_decode(&pkt.body, &h), 0);
	ck_assert_uint_eq(h.mask, IP(255, 255, 255, 0));
	ck_assert_uint_eq(h.hello_interval, 10);
	ck_assert_uint_eq(h.dead_interval, 40);
	ck_assert_uint_eq(h.dr, IP(10, 0, 0, 1));
	ck_assert_uint_eq(h.n_nbrs, 1);
}
END_TEST

START_TEST(test_header_malformed)
{
	uint8_t buf[128], *copy;
	size_t len = mkpkt(buf, OSPF_PKT_HELLO, hello_body,
			   sizeof(hello_body), 0, NULL);
	struct ospf_pkt pkt;
	enum ospf_if_err e;

	/* Every truncation, the length field still saying the full size. */
	for (size_t n = 0; n < len; n++) {
		copy = wp_malloc(MT_TMP, n ? n : 1);
		memcpy(copy, buf, n);
		ck_assert_int_eq(parse(copy, n, &pkt, &e), -1);
		ck_assert_int_eq(e, n < OSPF_HDR_LEN ? OSPF_ERR_SHORT :
				 OSPF_ERR_LENGTH);
		wp_free(MT_TMP, copy);
	}
	/* Version, type. */
	buf[0] = 3;
	ck_assert_int_eq(parse(buf, len, &pkt, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_VERSION);
	buf[0] = 2;
	buf[1] = 0;
	ck_assert_int_eq(parse(buf, len, &pkt, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_TYPE);
	buf[1] = 6;
	ck_assert_int_eq(parse(buf, len, &pkt, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_TYPE);
	buf[1] = 1;
	/* Length field below the header. */
	buf[2] = 0;
	buf[3] = 23;
	ck_assert_int_eq(parse(buf, len, &pkt, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_LENGTH);
	buf[3] = 0;
	ck_assert_int_eq(parse(buf, len, &pkt, &e), -1);
	/* Shorter than the datagram (a digest follows): the body stops at
	 * the length field. */
	buf[3] = (uint8_t)(len - 4);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_uint_eq(wp_rbuf_remaining(&pkt.body),
			  sizeof(hello_body) - 4);
}
END_TEST

START_TEST(test_checksum_and_auth)
{
	uint8_t buf[128];
	size_t len = mkpkt(buf, OSPF_PKT_HELLO, hello_body,
			   sizeof(hello_body), 0, NULL);
	struct ospf_pkt pkt;
	enum ospf_if_err e;

	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	/* A flipped body byte. */
	buf[30] ^= 1;
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 0, "", NULL,
						0, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_CKSUM);
	buf[30] ^= 1;
	/* Authentication type we do not use. */
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 1, "x", NULL,
						0, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_AUTH_TYPE);

	/* Simple password: right key, wrong key; the checksum leaves the
	 * authentication field out. */
	len = mkpkt(buf, OSPF_PKT_HELLO, hello_body, sizeof(hello_body), 1,
		    "secret");
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 1, "secret",
						NULL, 0, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 1, "secreT",
						NULL, 0, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_AUTH);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 1, "secret12",
						NULL, 0, &e), -1);
	/* Cryptographic without any key: never accepted. */
	len = mkpkt(buf, OSPF_PKT_HELLO, hello_body, sizeof(hello_body), 2,
		    NULL);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 2, "", NULL,
						0, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_AUTH);
}
END_TEST

/* App. D.4.3: a packet signed with key `id`/`key`, digest appended. */
static size_t
mkcrypt(uint8_t *buf, uint8_t id, const char *key, uint32_t seq)
{
	size_t len = mkpkt(buf, OSPF_PKT_HELLO, hello_body,
			   sizeof(hello_body), 2, NULL);
	uint8_t k[16];
	struct wp_md5 m;

	buf[12] = buf[13] = 0;		/* no checksum */
	buf[18] = id;
	buf[19] = 16;
	buf[20] = (uint8_t)(seq >> 24);
	buf[21] = (uint8_t)(seq >> 16);
	buf[22] = (uint8_t)(seq >> 8);
	buf[23] = (uint8_t)seq;
	memset(k, 0, sizeof(k));
	memcpy(k, key, strlen(key));
	wp_md5_init(&m);
	wp_md5_update(&m, buf, len);
	wp_md5_update(&m, k, 16);
	wp_md5_final(&m, buf + len);
	return len + 16;
}

START_TEST(test_md5_auth)
{
	struct ospf_md5_key keys[2] = { { 1, "old" }, { 7, "wp-test" } };
	uint8_t buf[128];
	struct ospf_pkt pkt;
	enum ospf_if_err e;
	size_t len = mkcrypt(buf, 7, "wp-test", 1234);

	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_uint_eq(pkt.crypt_seq, 1234);
	ck_assert_uint_eq(pkt.len, len - 16);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 2, "", keys,
						2, &e), 0);
	/* Unknown key ID, wrong key, no digest, bad length byte, a flipped
	 * byte anywhere. */
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 2, "", keys,
						1, &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_AUTH);
	len = mkcrypt(buf, 1, "wp-test", 1);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 2, "", keys,
						2, &e), -1);
	len = mkcrypt(buf, 7, "wp-test", 1);
	ck_assert_int_eq(parse(buf, len - 1, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len - 1, &pkt, 2, "",
						keys, 2, &e), -1);
	for (size_t i = 0; i < len; i++) {
		len = mkcrypt(buf, 7, "wp-test", 1);
		buf[i] ^= 0x10;
		if (parse(buf, len, &pkt, &e) < 0)
			continue;
		ck_assert_msg(ospf_packet_auth_check(buf, len, &pkt, 2, "",
						     keys, 2, &e) < 0,
			      "byte %zu flipped still authenticates", i);
	}
}
END_TEST

/*
 * RFC 5709 with key chains.  The expected digests were computed apart
 * from this code (Python's hmac and hashlib, the key prepared as §3.3
 * (1) says) over the hello of mkpkt() with auth type 2, key ID 5, the
 * algorithm's length and sequence number 0x01020304.
 */
static const struct {
	enum wp_kc_algo algo;
	const char *key, *hex;
} rfc5709[] = {
	{ WP_KC_HMAC_SHA1, "wp-keychain-test",
	  "21a6708756d7aacb377f5a78718b7b1c319dc588" },
	{ WP_KC_HMAC_SHA256, "wp-keychain-test",
	  "7080d26f4cc9b77dd73c33e039408d23571218ec27e28c2f60eb926337ff2f14" },
	{ WP_KC_HMAC_SHA384, "wp-keychain-test",
	  "5a8e88a3e9a89da5bcbec15e433fdc0ddffd8d1beca6f7cf"
	  "e058df0b71c8ed97961ed561f106cacd1e94a5c6f4310065" },
	{ WP_KC_HMAC_SHA512, "wp-keychain-test",
	  "70ba9f28b5d0359cae10bd230baced86e1c1256fe9d46f288acdc3e8927d0221"
	  "852f42c8e0f5bcff9d285323e627e84453c7aae925bdf0aabfb6214043857f80" },
	/* Longer than the digest: hashed first. */
	{ WP_KC_HMAC_SHA256,
	  "a-key-string-longer-than-the-thirty-two-byte-digest-of-sha256",
	  "3384d1ee0b73c6c647f7b16bfd5d8e33b60f6e4b034edd2cb3f68b147f79e0b8" },
};

/* mkpkt()'s hello signed by ospf_packet_sign_kc(); its length. */
static size_t
mksigned(uint8_t *buf, const struct wp_key *key, uint32_t seq)
{
	uint8_t raw[128];
	size_t len = mkpkt(raw, OSPF_PKT_HELLO, hello_body,
			   sizeof(hello_body), 2, NULL);
	struct wp_wbuf w;
	size_t out;

	wp_wbuf_init(&w, MT_TMP, 64);
	wp_wbuf_put_bytes(&w, raw, len);
	ck_assert_int_eq(ospf_packet_sign_kc(&w, len, key, seq), 0);
	out = wp_wbuf_len(&w);
	memcpy(buf, wp_wbuf_data(&w), out);
	wp_wbuf_free(&w);
	return out;
}

START_TEST(test_keychain_hmac)
{
	struct wp_keychain kc = { .name = "K", .n_keys = 1 };
	struct wp_key key = { .id = 5 };
	uint8_t buf[256];
	char hex[2 * WP_KC_DIGEST_MAX + 1];
	struct ospf_pkt pkt;
	enum ospf_if_err e;

	kc.keys = &key;
	for (size_t i = 0; i < sizeof(rfc5709) / sizeof(rfc5709[0]); i++) {
		size_t l = wp_kc_algo_len(rfc5709[i].algo), len;

		key.algo = rfc5709[i].algo;
		snprintf(key.string, sizeof(key.string), "%s", rfc5709[i].key);
		len = mksigned(buf, &key, 0x01020304);
		ck_assert_uint_eq(len, OSPF_HDR_LEN + sizeof(hello_body) + l);
		ck_assert_uint_eq(buf[18], 5);
		ck_assert_uint_eq(buf[19], l);
		for (size_t j = 0; j < l; j++)
			sprintf(hex + 2 * j, "%02x", buf[len - l + j]);
		ck_assert_str_eq(hex, rfc5709[i].hex);
		ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
		ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc,
							   0, &e), 0);
		/* Truncated digest, a flipped byte anywhere. */
		ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len - 1, &pkt,
							   &kc, 0, &e), -1);
		ck_assert_int_eq(e, OSPF_ERR_AUTH);
		for (size_t j = 0; j < len; j++) {
			len = mksigned(buf, &key, 0x01020304);
			buf[j] ^= 0x01;
			if (parse(buf, len, &pkt, &e) < 0)
				continue;
			ck_assert_msg(ospf_packet_auth_check_kc(buf, len, &pkt,
								&kc, 0, &e) < 0,
				      "%zu: byte %zu flipped still "
				      "authenticates", i, j);
		}
	}
}
END_TEST

/* Key choice on receive: ID, accept lifetime, algorithm, type. */
START_TEST(test_keychain_accept)
{
	struct wp_key keys[2] = {
		{ .id = 5, .string = "five", .algo = WP_KC_HMAC_SHA256,
		  .accept = { .set = true, .start = 1000, .end = 2000 } },
		{ .id = 6, .string = "six" },		/* MD5 */
	};
	struct wp_keychain kc = { .name = "K", .n_keys = 2, .keys = keys };
	struct ospf_md5_key md5[1] = { { 6, "six" } };
	struct wp_key other = keys[0];
	uint8_t buf[256];
	struct ospf_pkt pkt;
	enum ospf_if_err e;
	size_t len;

	len = mksigned(buf, &keys[0], 1);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 1500,
						   &e), 0);
	/* Outside its accept lifetime; no chain at all. */
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 999,
						   &e), -1);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 2001,
						   &e), -1);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, NULL, 1500,
						   &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_AUTH);
	/* The same ID with another key; another algorithm. */
	snprintf(other.string, sizeof(other.string), "FIVE");
	len = mksigned(buf, &other, 1);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 1500,
						   &e), -1);
	other = keys[0];
	other.algo = WP_KC_HMAC_SHA1;
	len = mksigned(buf, &other, 1);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 1500,
						   &e), -1);
	/* A key without an algorithm is App. D MD5: what the
	 * message-digest-key path signs and checks. */
	len = mksigned(buf, &keys[1], 77);
	ck_assert_uint_eq(len, OSPF_HDR_LEN + sizeof(hello_body) + 16);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 0,
						   &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check(buf, len, &pkt, 2, "", md5, 1,
						&e), 0);
	/* Not cryptographic at all. */
	len = mkpkt(buf, OSPF_PKT_HELLO, hello_body, sizeof(hello_body), 0,
		    NULL);
	ck_assert_int_eq(parse(buf, len, &pkt, &e), 0);
	ck_assert_int_eq(ospf_packet_auth_check_kc(buf, len, &pkt, &kc, 0,
						   &e), -1);
	ck_assert_int_eq(e, OSPF_ERR_AUTH_TYPE);
}
END_TEST

/* A reader over an exact-size heap copy of body[0..n). */
struct body {
	uint8_t *p;
	struct wp_rbuf r;
};

static struct wp_rbuf *
body_of(struct body *b, const uint8_t *src, size_t n)
{
	b->p = wp_malloc(MT_TMP, n ? n : 1);
	memcpy(b->p, src, n);
	wp_rbuf_init(&b->r, b->p, n);
	return &b->r;
}

static void
body_free(struct body *b)
{
	wp_free(MT_TMP, b->p);
}

START_TEST(test_body_lengths)
{
	uint8_t zeros[128];
	struct body b;

	memset(zeros, 0, sizeof(zeros));
	for (size_t n = 0; n <= 64; n++) {
		struct ospf_hello h;
		struct ospf_dbd d;
		struct ospf_lsreq q;
		size_t k;

		ck_assert_int_eq(ospf_hello_decode(body_of(&b, zeros, n), &h),
				 n >= 20 && n % 4 == 0 ? 0 : -1);
		if (n >= 20 && n % 4 == 0)
			ck_assert_uint_eq(h.n_nbrs, (n - 20) / 4);
		body_free(&b);
		ck_assert_int_eq(ospf_dbd_decode(body_of(&b, zeros, n), &d),
				 n >= 8 && (n - 8) % 20 == 0 ? 0 : -1);
		body_free(&b);
		ck_assert_int_eq(ospf_lsreq_decode(body_of(&b, zeros, n), &q),
				 n % 12 == 0 ? 0 : -1);
		body_free(&b);
		ck_assert_int_eq(ospf_lsack_decode(body_of(&b, zeros, n), &k),
				 n % 20 == 0 ? 0 : -1);
		if (n % 20 == 0)
			ck_assert_uint_eq(k, n / 20);
		body_free(&b);
	}
}
END_TEST

/* --- updates ------------------------------------------------------------ */

static int n_seen;

static int
count_cb(struct ospf_lsa *lsa, void *arg)
{
	n_seen++;
	ospf_lsa_unref(lsa);
	return 0;
}

static int
lsupd(const uint8_t *data, size_t n, unsigned int *bad)
{
	char err[128];
	struct body b;
	int rc;

	n_seen = 0;
	rc = ospf_lsupd_decode(body_of(&b, data, n), 0, count_cb, NULL, bad,
			       err, sizeof(err));
	body_free(&b);
	return rc;
}

/* An update body holding `count` (as written) and the given LSAs. */
static size_t
mkupd(uint8_t *buf, uint32_t count, struct ospf_lsa *const *v, size_t n)
{
	size_t off = 4;

	buf[0] = (uint8_t)(count >> 24);
	buf[1] = (uint8_t)(count >> 16);
	buf[2] = (uint8_t)(count >> 8);
	buf[3] = (uint8_t)count;
	for (size_t i = 0; i < n; i++) {
		memcpy(buf + off, v[i]->raw, v[i]->hdr.len);
		off += v[i]->hdr.len;
	}
	return off;
}

START_TEST(test_lsupd)
{
	struct ospf_lsa_hdr h = { .type = OSPF_LSA_SUMMARY, .id = 1,
				  .adv = 2, .seq = 1 };
	struct ospf_lsa *v[2];
	uint8_t buf[256];
	unsigned int bad;
	size_t n;

	v[0] = ospf_lsa_build_summary(&h, 0xffffff00u, 5, 0);
	h.type = OSPF_LSA_EXTERNAL;
	v[1] = ospf_lsa_build_external(&h, 0, 5, true, 0, 0, 0);
	/* Good: both handed out. */
	n = mkupd(buf, 2, v, 2);
	ck_assert_int_eq(lsupd(buf, n, &bad), 0);
	ck_assert_int_eq(n_seen, 2);
	ck_assert_uint_eq(bad, 0);
	/* Every truncation of the good one fails, having handed out only
	 * the LSAs before the cut. */
	for (size_t k = 4; k < n; k++) {
		ck_assert_int_eq(lsupd(buf, k, &bad), -1);
		ck_assert_int_le(n_seen, 1);
	}
	/* Empty update, and no count at all. */
	n = mkupd(buf, 0, v, 0);
	ck_assert_int_eq(lsupd(buf, n, &bad), 0);
	ck_assert_int_eq(n_seen, 0);
	ck_assert_int_eq(lsupd(buf, 3, &bad), -1);
	/* A count larger than what follows. */
	n = mkupd(buf, 3, v, 2);
	ck_assert_int_eq(lsupd(buf, n, &bad), -1);
	ck_assert_int_eq(n_seen, 2);
	/* An LSA length below a header: the framing is lost. */
	n = mkupd(buf, 2, v, 2);
	buf[4 + 18] = 0;
	buf[4 + 19] = 19;
	ck_assert_int_eq(lsupd(buf, n, &bad), -1);
	ck_assert_int_eq(n_seen, 0);
	/* A bad body inside intact framing: skipped, the next one used. */
	n = mkupd(buf, 2, v, 2);
	buf[4 + 3] = 8;			/* unknown type */
	ck_assert_int_eq(lsupd(buf, n, &bad), 0);
	ck_assert_int_eq(n_seen, 1);
	ck_assert_uint_eq(bad, 1);
	n = mkupd(buf, 2, v, 2);
	buf[4 + 3] = OSPF_LSA_EXTERNAL;	/* 28 bytes: too short for type 5 */
	ck_assert_int_eq(lsupd(buf, n, &bad), 0);
	ck_assert_int_eq(n_seen, 1);
	ck_assert_uint_eq(bad, 1);
	ospf_lsa_unref(v[0]);
	ospf_lsa_unref(v[1]);
	ck_assert_uint_eq(MT_OSPF_LSA->live, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ospf_packet");
	TCase *th = tcase_create("header");
	TCase *tb = tcase_create("bodies");

	tcase_add_test(th, test_header_ok);
	tcase_add_test(th, test_header_malformed);
	tcase_add_test(th, test_checksum_and_auth);
	tcase_add_test(th, test_md5_auth);
	tcase_add_test(th, test_keychain_hmac);
	tcase_add_test(th, test_keychain_accept);
	tcase_add_test(tb, test_body_lengths);
	tcase_add_test(tb, test_lsupd);
	suite_add_tcase(s, th);
	suite_add_tcase(s, tb);
	return wp_check_run(s);
}
