/*
 * bfd_auth.c: the authentication section (RFC 5880 §4.2-4.4, §6.7).
 *
 * Sending: bfd_pkt_encode() writes the section's header with room for
 * the key or digest; bfd_auth_sign() fills it in.  For the MD5 and SHA1
 * types the digest is computed over the whole packet with the key,
 * zero-padded to the digest size, in the digest's place (§6.7.3, §6.7.4),
 * then written over the key.
 *
 * Receiving: bfd_auth_verify() checks type, key id, password or digest
 * and the sequence number window, and only then advances the session's
 * bfd.RcvAuthSeq.  Digests come from OpenSSL's libcrypto (EVP).
 *
 * With a key chain the session's keys change with time: the session
 * asks bfd_auth_from_chain() for the key of the moment (the send key,
 * or the key of a received key ID) and signs or checks with that.
 */
#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "bfdd.h"

static const char *const auth_names[BFD_AUTH_MAX] = {
	[BFD_AUTH_NONE] = "none",
	[BFD_AUTH_SIMPLE] = "simple",
	[BFD_AUTH_KEYED_MD5] = "keyed-md5",
	[BFD_AUTH_MET_KEYED_MD5] = "meticulous-keyed-md5",
	[BFD_AUTH_KEYED_SHA1] = "keyed-sha1",
	[BFD_AUTH_MET_KEYED_SHA1] = "meticulous-keyed-sha1",
};

#define MD5_LEN		16
#define SHA1_LEN	20

const char *
bfd_auth_type_name(uint8_t type)
{
	return type < BFD_AUTH_MAX ? auth_names[type] : "unknown";
}

int
bfd_auth_type_parse(const char *s, uint8_t *type)
{
	for (uint8_t t = 0; t < BFD_AUTH_MAX; t++)
		if (strcmp(s, auth_names[t]) == 0) {
			*type = t;
			return 0;
		}
	return -1;
}

bool
bfd_auth_meticulous(uint8_t type)
{
	return type == BFD_AUTH_MET_KEYED_MD5 ||
	       type == BFD_AUTH_MET_KEYED_SHA1;
}

static bool
auth_is_md5(uint8_t type)
{
	return type == BFD_AUTH_KEYED_MD5 || type == BFD_AUTH_MET_KEYED_MD5;
}

static bool
auth_is_sha1(uint8_t type)
{
	return type == BFD_AUTH_KEYED_SHA1 || type == BFD_AUTH_MET_KEYED_SHA1;
}

uint8_t
bfd_auth_len(const struct bfd_auth *a)
{
	if (a->type == BFD_AUTH_SIMPLE)
		return (uint8_t)(3 + a->key_len);	/* §4.2 */
	if (auth_is_md5(a->type))
		return 8 + MD5_LEN;			/* §4.3 */
	if (auth_is_sha1(a->type))
		return 8 + SHA1_LEN;			/* §4.4 */
	return 0;
}

static int
digest(const EVP_MD *md, const uint8_t *data, size_t len, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int rc = -1;

	if (ctx == NULL)
		return -1;
	if (EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, data, len) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1)
		rc = 0;
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
bfd_md5(const uint8_t *data, size_t len, uint8_t *out)
{
	return digest(EVP_md5(), data, len, out);
}

int
bfd_sha1(const uint8_t *data, size_t len, uint8_t *out)
{
	return digest(EVP_sha1(), data, len, out);
}

int
bfd_auth_from_chain(const struct bfd_auth *a, const struct wp_keychains *kcs,
		    time_t now, int id, struct bfd_auth *out)
{
	const struct wp_keychain *kc = wp_keychain_find(kcs, a->key_chain);
	size_t max = auth_is_md5(a->type) ? MD5_LEN : SHA1_LEN, len;
	const struct wp_key *k;

	/* §4.3/§4.4: a one-byte key ID, a key no longer than the digest. */
	k = id < 0 ? wp_keychain_send_key(kc, now, 255) :
		     wp_keychain_accept_key(kc, (uint32_t)id, now);
	if (k == NULL || k->id > 255 || (len = strlen(k->string)) > max ||
	    (!auth_is_md5(a->type) && !auth_is_sha1(a->type)))
		return -1;
	memset(out, 0, sizeof(*out));
	out->type = a->type;
	out->key_id = (uint8_t)k->id;
	out->key_len = (uint8_t)len;
	memcpy(out->key, k->string, len);
	return 0;
}

/*
 * The digest of `pkt` (`len` bytes, auth section at BFD_PKT_LEN) with the
 * key in the digest field, into `out`.  `pkt` is not modified.
 */
static int
auth_digest(const struct bfd_auth *a, const uint8_t *pkt, size_t len,
	    uint8_t *out)
{
	uint8_t tmp[BFD_PKT_MAX];
	size_t dlen = auth_is_md5(a->type) ? MD5_LEN : SHA1_LEN;
	size_t off = BFD_PKT_LEN + 8;

	if (len > sizeof(tmp) || off + dlen > len)
		return -1;
	memcpy(tmp, pkt, len);
	memset(tmp + off, 0, dlen);
	memcpy(tmp + off, a->key, a->key_len < dlen ? a->key_len : dlen);
	if (auth_is_md5(a->type))
		return bfd_md5(tmp, len, out);
	return bfd_sha1(tmp, len, out);
}

int
bfd_auth_sign(const struct bfd_auth *a, uint32_t seq, uint8_t *pkt,
	      size_t len)
{
	uint8_t out[SHA1_LEN];
	size_t off = BFD_PKT_LEN;

	if (len < off + bfd_auth_len(a))
		return -1;
	if (a->type == BFD_AUTH_SIMPLE) {
		memcpy(pkt + off + 3, a->key, a->key_len);
		return 0;
	}
	if (!auth_is_md5(a->type) && !auth_is_sha1(a->type))
		return -1;
	pkt[off + 4] = (uint8_t)(seq >> 24);
	pkt[off + 5] = (uint8_t)(seq >> 16);
	pkt[off + 6] = (uint8_t)(seq >> 8);
	pkt[off + 7] = (uint8_t)seq;
	if (auth_digest(a, pkt, len, out) == -1)
		return -1;
	memcpy(pkt + off + 8, out, auth_is_md5(a->type) ? MD5_LEN : SHA1_LEN);
	return 0;
}

/*
 * §6.7.3/§6.7.4: with bfd.AuthSeqKnown, a keyed type accepts sequence
 * numbers from bfd.RcvAuthSeq to bfd.RcvAuthSeq + 3 * Detect Mult, a
 * meticulous type from bfd.RcvAuthSeq + 1, in 32-bit circular space.
 */
static bool
seq_in_window(uint8_t type, uint32_t seq, uint32_t rcv, uint8_t detect_mult)
{
	uint32_t ahead = seq - rcv;	/* circular distance */

	if (bfd_auth_meticulous(type) && ahead == 0)
		return false;
	return ahead <= 3u * detect_mult;
}

enum bfd_rx_err
bfd_auth_verify(const struct bfd_auth *a, const uint8_t *raw, size_t len,
		const struct bfd_pkt *p, uint32_t *rcv_seq, bool *seq_known)
{
	uint8_t out[SHA1_LEN];

	if (!(p->flags & BFD_F_AUTH))
		return a->type == BFD_AUTH_NONE ? BFD_RXE_OK :
						  BFD_RXE_AUTH_MISSING;
	if (a->type == BFD_AUTH_NONE)
		return BFD_RXE_AUTH_UNEXPECTED;
	if (p->auth_type != a->type)
		return BFD_RXE_AUTH_TYPE;
	if (p->auth_key_id != a->key_id)
		return BFD_RXE_AUTH_KEY_ID;
	if (a->type == BFD_AUTH_SIMPLE) {
		/* §6.7.2 */
		if (p->auth_data_len != a->key_len ||
		    CRYPTO_memcmp(p->auth_data, a->key, a->key_len) != 0)
			return BFD_RXE_AUTH_PASSWORD;
		return BFD_RXE_OK;
	}
	if (*seq_known && !seq_in_window(a->type, p->auth_seq, *rcv_seq,
					 p->detect_mult))
		return BFD_RXE_AUTH_SEQ;
	if (p->length > len || auth_digest(a, raw, p->length, out) == -1 ||
	    p->auth_data_len != (auth_is_md5(a->type) ? MD5_LEN : SHA1_LEN) ||
	    CRYPTO_memcmp(out, p->auth_data, p->auth_data_len) != 0)
		return BFD_RXE_AUTH_DIGEST;
	*rcv_seq = p->auth_seq;
	*seq_known = true;
	return BFD_RXE_OK;
}
