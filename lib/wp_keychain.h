/*
 * wp_keychain: key chains for routing protocol authentication (the
 * `key chain` stanza of FRR, the data of ietf-key-chain, RFC 8177), and
 * the keyed digests the protocols compute with them.
 *
 *	key chain NAME
 *	 key (0-2147483647)
 *	  key-string STRING
 *	  cryptographic-algorithm (md5|hmac-sha-1|hmac-sha-256|
 *	                           hmac-sha-384|hmac-sha-512)
 *	  send-lifetime TIME-SPEC          accept-lifetime TIME-SPEC
 *	 exit
 *	exit
 *
 *	TIME-SPEC := HH:MM:SS MONTH DAY YEAR (HH:MM:SS MONTH DAY YEAR |
 *	             duration SECONDS | infinite)
 *	(DAY MONTH also reads; MONTH is jan..dec or its full name; the
 *	times are local, as FRR reads them.)
 *
 * A daemon's configuration reader hands every line to
 * wp_keychain_line() first; it says whether the line belonged to a key
 * chain stanza.  The protocol then asks, at the time it sends or
 * receives, for the key to sign with (wp_keychain_send_key()) and for a
 * key ID's key if it may be accepted (wp_keychain_accept_key()).  Times
 * are passed in, so the choice is testable.
 *
 *	struct wp_keychains kcs = { 0 };
 *	struct wp_kc_parser kp = { .set = &kcs };
 *	rc = wp_keychain_line(&kp, indent, words, n, err, sizeof(err));
 *	kc = wp_keychain_find(&kcs, "OSPF");
 *	key = wp_keychain_send_key(kc, time(NULL));
 *	wp_keychains_free(&kcs);
 */
#ifndef WP_KEYCHAIN_H
#define WP_KEYCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define WP_KC_NAME_MAX		64
#define WP_KC_KEY_MAX		80
#define WP_KC_DIGEST_MAX	64	/* SHA-512 */

enum wp_kc_algo {
	WP_KC_ALGO_NONE = 0,		/* not configured */
	WP_KC_MD5,
	WP_KC_HMAC_SHA1,
	WP_KC_HMAC_SHA256,
	WP_KC_HMAC_SHA384,
	WP_KC_HMAC_SHA512,
	WP_KC_ALGO_MAX,
};

/* [start, end]; unset: always valid.  end < 0: infinite. */
struct wp_kc_lifetime {
	bool set;
	time_t start;
	time_t end;
};

struct wp_key {
	uint32_t id;
	char string[WP_KC_KEY_MAX + 1];
	enum wp_kc_algo algo;
	struct wp_kc_lifetime send;
	struct wp_kc_lifetime accept;
};

struct wp_keychain {
	char name[WP_KC_NAME_MAX + 1];
	unsigned int n_keys;
	struct wp_key *keys;		/* ascending key ID */
};

struct wp_keychains {
	unsigned int n;
	struct wp_keychain *v;
};

/* Where the reader is in a `key chain` stanza. */
struct wp_kc_parser {
	struct wp_keychains *set;
	struct wp_keychain *chain;	/* in `key chain NAME` */
	struct wp_key *key;		/* in its `key ID` */
};

/*
 * One configuration line, split into words, `indent` the number of
 * blanks before it.  1: a key chain line, taken; 0: not one (the stanza,
 * if any, has ended); -1: a key chain line in error, reason in `err`
 * naming the word at fault.
 */
int wp_keychain_line(struct wp_kc_parser *kp, int indent, char **w, int n,
		     char *err, size_t errlen);
void wp_keychains_free(struct wp_keychains *s);
/* Deep copy (`dst` is overwritten, not freed). */
void wp_keychains_copy(struct wp_keychains *dst,
		       const struct wp_keychains *src);
bool wp_keychains_equal(const struct wp_keychains *a,
			const struct wp_keychains *b);

const struct wp_keychain *wp_keychain_find(const struct wp_keychains *s,
					   const char *name);
/*
 * The key to send with at `now`: the lowest key ID whose send lifetime
 * holds `now` (as FRR chooses), or NULL.  `max_id` bounds the IDs the
 * protocol can carry (255 for OSPFv2 and BFD).
 */
const struct wp_key *wp_keychain_send_key(const struct wp_keychain *kc,
					  time_t now, uint32_t max_id);
/* Key `id` if its accept lifetime holds `now`, else NULL. */
const struct wp_key *wp_keychain_accept_key(const struct wp_keychain *kc,
					    uint32_t id, time_t now);

const char *wp_kc_algo_name(enum wp_kc_algo a);
/* Digest length in bytes: 16, 20, 32, 48, 64; 0 for none. */
size_t wp_kc_algo_len(enum wp_kc_algo a);

/*
 * HMAC-SHA with the key prepared as RFC 5709 §3.3 (1) says: shorter
 * than the digest, zero-padded to its length; longer, hashed to it.
 * Over `data` then `data2` (may be NULL).  0, or -1 for MD5/none or a
 * libcrypto failure.
 */
int wp_kc_hmac(enum wp_kc_algo a, const void *key, size_t keylen,
	       const void *data, size_t len, const void *data2, size_t len2,
	       uint8_t out[WP_KC_DIGEST_MAX]);

#endif /* WP_KEYCHAIN_H */
