/*
 * wp_md5: the MD5 message digest (RFC 1321), for protocols whose
 * authentication is defined on it: OSPFv2 cryptographic authentication
 * (RFC 2328 App. D), RIPv2 (RFC 4822), IS-IS HMAC-MD5.  Not for anything
 * that needs collision resistance.
 *
 *	struct wp_md5 m;
 *	uint8_t digest[WP_MD5_LEN];
 *	wp_md5_init(&m);
 *	wp_md5_update(&m, pkt, len);
 *	wp_md5_update(&m, key, 16);
 *	wp_md5_final(&m, digest);
 */
#ifndef WP_MD5_H
#define WP_MD5_H

#include <stddef.h>
#include <stdint.h>

#define WP_MD5_LEN	16

struct wp_md5 {
	uint32_t s[4];
	uint64_t len;		/* bytes so far */
	uint8_t buf[64];
};

void wp_md5_init(struct wp_md5 *m);
void wp_md5_update(struct wp_md5 *m, const void *data, size_t len);
void wp_md5_final(struct wp_md5 *m, uint8_t out[WP_MD5_LEN]);

#endif /* WP_MD5_H */
