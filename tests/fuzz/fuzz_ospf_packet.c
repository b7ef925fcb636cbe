/*
 * fuzz_ospf_packet: libFuzzer target for ospfd's packet decoders.
 *
 * The input is an OSPF packet as it arrives after the IP header.  It goes
 * through what ospf_packet_input() does before any state is touched: the
 * header (ospf_packet_parse), checksum and authentication for each type
 * we accept, then the body decoder of its type.  Updates hand every LSA
 * to a callback that reads the decoded body and re-encodes what it can
 * build again, which must give the same bytes; Grace-LSAs go through
 * their TLV decoder.  Every refusal must give a reason, and nothing may
 * stay allocated afterwards.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static int
lsa_cb(struct ospf_lsa *lsa, void *arg)
{
	struct ospf_lsa *again = NULL;
	struct ospf_lsa_hdr h = lsa->hdr;

	sink += ospf_lsa_cksum_ok(lsa->raw, lsa->hdr.len);
	sink += ospf_lsa_age(lsa, 0);
	switch (lsa->hdr.type) {
	case OSPF_LSA_ROUTER:
		for (uint16_t i = 0; i < lsa->u.rtr.nlinks; i++)
			sink += lsa->u.rtr.links[i].id +
				lsa->u.rtr.links[i].metric;
		break;
	case OSPF_LSA_NETWORK:
		for (uint16_t i = 0; i < lsa->u.net.nrtrs; i++)
			sink += lsa->u.net.rtrs[i];
		/* Only TOS-free encodings rebuild byte for byte. */
		again = ospf_lsa_build_network(&h, lsa->u.net.mask,
					       lsa->u.net.rtrs,
					       lsa->u.net.nrtrs, 0);
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		if (lsa->hdr.len == 28 && lsa->raw[24] == 0)
			again = ospf_lsa_build_summary(&h, lsa->u.sum.mask,
						       lsa->u.sum.metric, 0);
		break;
	case OSPF_LSA_OPAQUE_LINK:
		/* Grace-LSAs (RFC 3623): the TLV decoder. */
		if (ospf_lsa_is_grace(&lsa->hdr)) {
			struct ospf_grace g;
			char err[96] = "";

			if (ospf_grace_decode(lsa->raw + OSPF_LSA_HDR_LEN,
					      lsa->hdr.len - OSPF_LSA_HDR_LEN,
					      &g, err, sizeof(err)) < 0 &&
			    err[0] == 0)
				abort();
			sink += g.period;
		}
		break;
	case OSPF_LSA_EXTERNAL:
	case OSPF_LSA_NSSA:
		if (lsa->hdr.len == 36 && (lsa->raw[24] & 0x7f) == 0)
			again = ospf_lsa_build_external(&h, lsa->u.ext.mask,
							lsa->u.ext.metric,
							lsa->u.ext.e2,
							lsa->u.ext.fwd,
							lsa->u.ext.tag, 0);
		break;
	default:
		/* Opaque LSAs of area and AS scope: no decoded body. */
		break;
	}
	if (again) {
		/* Same bytes but the age (clamped to MaxAge by the parser)
		 * and the checksum (computed by the builder). */
		if (again->hdr.len != lsa->hdr.len ||
		    memcmp(again->raw + 2, lsa->raw + 2, 14) != 0 ||
		    memcmp(again->raw + 18, lsa->raw + 18,
			   lsa->hdr.len - 18) != 0)
			abort();
		ospf_lsa_unref(again);
	}
	ospf_lsa_unref(lsa);
	return 0;
}

static void
body(const struct ospf_pkt *pkt)
{
	struct wp_rbuf r = pkt->body;
	struct ospf_hello h;
	struct ospf_dbd d;
	struct ospf_lsreq q;
	unsigned int bad;
	char err[128];
	size_t n;

	switch (pkt->type) {
	case OSPF_PKT_HELLO:
		if (ospf_hello_decode(&r, &h) == 0)
			for (size_t i = 0; i < h.n_nbrs * 4; i++)
				sink += h.nbrs[i];
		break;
	case OSPF_PKT_DBD:
		if (ospf_dbd_decode(&r, &d) == 0) {
			struct wp_rbuf hr;
			struct ospf_lsa_hdr lh;

			wp_rbuf_init(&hr, d.hdrs, d.n_hdrs * OSPF_LSA_HDR_LEN);
			for (size_t i = 0; i < d.n_hdrs; i++)
				if (ospf_lsa_hdr_decode(&hr, &lh) < 0)
					abort();
		}
		break;
	case OSPF_PKT_LSREQ:
		if (ospf_lsreq_decode(&r, &q) == 0)
			for (size_t i = 0; i < q.n * 12; i++)
				sink += q.ents[i];
		break;
	case OSPF_PKT_LSUPD:
		err[0] = '\0';
		if (ospf_lsupd_decode(&r, 0, lsa_cb, NULL, &bad, err,
				      sizeof(err)) < 0 && err[0] == '\0')
			abort();
		if (bad && err[0] == '\0')
			abort();
		break;
	case OSPF_PKT_LSACK:
		if (ospf_lsack_decode(&r, &n) == 0)
			sink += n;
		break;
	default:
		abort();	/* the header check lets no other type by */
	}
}

/* Key IDs 1-5: one key of each algorithm, so any ID byte reaches MD5
 * or an HMAC-SHA check with its digest length (RFC 5709). */
static struct wp_key kc_keys[] = {
	{ .id = 1, .string = "k", .algo = WP_KC_MD5 },
	{ .id = 2, .string = "k", .algo = WP_KC_HMAC_SHA1 },
	{ .id = 3, .string = "k", .algo = WP_KC_HMAC_SHA256 },
	{ .id = 4, .string = "k", .algo = WP_KC_HMAC_SHA384 },
	{ .id = 5, .string = "k", .algo = WP_KC_HMAC_SHA512 },
};
static const struct wp_keychain kc = {
	.name = "fuzz", .n_keys = 5, .keys = kc_keys,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ospf_pkt pkt;
	enum ospf_if_err e;
	char err[128];
	uint8_t *copy;

	/* An exact-size copy: a read past the end is an ASan report. */
	copy = wp_malloc(MT_TMP, size ? size : 1);
	memcpy(copy, data, size);
	err[0] = '\0';
	if (ospf_packet_parse(copy, size, &pkt, &e, err, sizeof(err)) < 0) {
		if (err[0] == '\0' || e >= OSPF_ERR_MAX)
			abort();
		goto out;
	}
	/* Null and simple authentication both run to the checksum. */
	sink += ospf_packet_auth_check(copy, size, &pkt, OSPF_AUTH_NULL, "",
				       NULL, 0, &e) == 0;
	sink += ospf_packet_auth_check(copy, size, &pkt, OSPF_AUTH_SIMPLE,
				       "key", NULL, 0, &e) == 0;
	sink += ospf_packet_auth_check_kc(copy, size, &pkt, &kc, 0, &e) == 0;
	/* The body is decoded whatever the checksum says: the decoders
	 * must hold up on their own. */
	body(&pkt);
out:
	wp_free(MT_TMP, copy);
	if (wp_mem_report_leaks(stderr) != 0)
		abort();
	return 0;
}
