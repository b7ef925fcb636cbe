/*
 * wp_keychain.c: the `key chain` stanza read into struct wp_keychains,
 * the choice of keys by lifetime, and HMAC-SHA through libcrypto.
 *
 * Reading is line by line, driven by the daemon's own configuration
 * reader (wp_keychain.h shows the grammar); a key chain line in error
 * names its word.  Key choice never looks at the clock itself.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "wp_keychain.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_KEYCHAIN, "key chain");

static const char *const algo_names[WP_KC_ALGO_MAX] = {
	[WP_KC_ALGO_NONE] = "none",
	[WP_KC_MD5] = "md5",
	[WP_KC_HMAC_SHA1] = "hmac-sha-1",
	[WP_KC_HMAC_SHA256] = "hmac-sha-256",
	[WP_KC_HMAC_SHA384] = "hmac-sha-384",
	[WP_KC_HMAC_SHA512] = "hmac-sha-512",
};

const char *
wp_kc_algo_name(enum wp_kc_algo a)
{
	return a < WP_KC_ALGO_MAX ? algo_names[a] : "unknown";
}

size_t
wp_kc_algo_len(enum wp_kc_algo a)
{
	static const size_t len[WP_KC_ALGO_MAX] = {
		[WP_KC_MD5] = 16, [WP_KC_HMAC_SHA1] = 20,
		[WP_KC_HMAC_SHA256] = 32, [WP_KC_HMAC_SHA384] = 48,
		[WP_KC_HMAC_SHA512] = 64,
	};

	return a < WP_KC_ALGO_MAX ? len[a] : 0;
}

/* --- reading ------------------------------------------------------------ */

static int
kc_err(char *err, size_t errlen, const char *fmt, const char *word)
{
	snprintf(err, errlen, fmt, word ? word : "");
	return -1;
}

static int
parse_u32(const char *s, unsigned long max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_month(const char *s)
{
	static const char *const m[] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december",
	};
	size_t len = strlen(s);

	if (len < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (len <= strlen(m[i]) && strncasecmp(s, m[i], len) == 0)
			return i;
	return -1;
}

/*
 * HH:MM:SS MONTH DAY YEAR or HH:MM:SS DAY MONTH YEAR (FRR reads both),
 * local time, the 4 words at w[0..3].
 */
static int
parse_when(char **w, time_t *out, char *err, size_t errlen)
{
	unsigned int hh, mm, ss;
	uint32_t day, year;
	struct tm tm;
	int mon;
	char c;

	if (sscanf(w[0], "%2u:%2u:%2u%c", &hh, &mm, &ss, &c) != 3 ||
	    hh > 23 || mm > 59 || ss > 59)
		return kc_err(err, errlen, "invalid time \"%s\": expected "
			      "HH:MM:SS", w[0]);
	mon = parse_month(w[1]);
	if (mon >= 0) {
		if (parse_u32(w[2], 31, &day) < 0 || day == 0)
			return kc_err(err, errlen, "invalid day \"%s\": "
				      "expected (1-31)", w[2]);
	} else {
		if (parse_u32(w[1], 31, &day) < 0 || day == 0)
			return kc_err(err, errlen, "invalid month \"%s\"",
				      w[1]);
		mon = parse_month(w[2]);
		if (mon < 0)
			return kc_err(err, errlen, "invalid month \"%s\"",
				      w[2]);
	}
	if (parse_u32(w[3], 2035, &year) < 0 || year < 1993)
		return kc_err(err, errlen, "invalid year \"%s\": expected "
			      "(1993-2035)", w[3]);
	memset(&tm, 0, sizeof(tm));
	tm.tm_sec = (int)ss;
	tm.tm_min = (int)mm;
	tm.tm_hour = (int)hh;
	tm.tm_mday = (int)day;
	tm.tm_mon = mon;
	tm.tm_year = (int)year - 1900;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return 0;
}

/* `send-lifetime` / `accept-lifetime` and its words from w[1]. */
static int
parse_lifetime(struct wp_kc_lifetime *lt, char **w, int n, char *err,
	       size_t errlen)
{
	struct wp_kc_lifetime l = { .set = true, .end = -1 };
	uint32_t secs;

	if (n < 6)
		return kc_err(err, errlen, "incomplete command: %s HH:MM:SS "
			      "MONTH DAY YEAR (HH:MM:SS MONTH DAY YEAR|"
			      "duration SECONDS|infinite)", w[0]);
	if (parse_when(w + 1, &l.start, err, errlen) < 0)
		return -1;
	if (strcmp(w[5], "infinite") == 0 && n == 6) {
		l.end = -1;
	} else if (strcmp(w[5], "duration") == 0) {
		if (n != 7 || parse_u32(w[6], 2147483646, &secs) < 0 ||
		    secs == 0)
			return kc_err(err, errlen, "invalid duration \"%s\": "
				      "expected (1-2147483646)",
				      n > 6 ? w[6] : "");
		l.end = l.start + (time_t)secs;
	} else if (n == 9) {
		if (parse_when(w + 5, &l.end, err, errlen) < 0)
			return -1;
		if (l.end < l.start)
			return kc_err(err, errlen, "%s: the end is before the "
				      "start", w[0]);
	} else {
		return kc_err(err, errlen, "invalid lifetime end \"%s\": "
			      "expected HH:MM:SS, duration or infinite", w[5]);
	}
	*lt = l;
	return 0;
}

static struct wp_keychain *
chain_get(struct wp_keychains *s, const char *name)
{
	struct wp_keychain *kc;

	for (unsigned int i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	s->v = wp_realloc(MT_KEYCHAIN, s->v, (s->n + 1) * sizeof(*s->v));
	kc = &s->v[s->n++];
	memset(kc, 0, sizeof(*kc));
	snprintf(kc->name, sizeof(kc->name), "%s", name);
	return kc;
}

/* Keys stay sorted by ID: the send choice walks them in order. */
static struct wp_key *
key_get(struct wp_keychain *kc, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < kc->n_keys && kc->keys[i].id <= id; i++)
		if (kc->keys[i].id == id)
			return &kc->keys[i];
	kc->keys = wp_realloc(MT_KEYCHAIN, kc->keys,
			      (kc->n_keys + 1) * sizeof(*kc->keys));
	memmove(&kc->keys[i + 1], &kc->keys[i],
		(kc->n_keys - i) * sizeof(*kc->keys));
	kc->n_keys++;
	memset(&kc->keys[i], 0, sizeof(kc->keys[i]));
	kc->keys[i].id = id;
	return &kc->keys[i];
}

static void
key_del(struct wp_keychain *kc, uint32_t id)
{
	for (unsigned int i = 0; i < kc->n_keys; i++) {
		if (kc->keys[i].id != id)
			continue;
		memmove(&kc->keys[i], &kc->keys[i + 1],
			(kc->n_keys - i - 1) * sizeof(*kc->keys));
		kc->n_keys--;
		return;
	}
}

static void
chain_del(struct wp_keychains *s, const char *name)
{
	for (unsigned int i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].name, name) != 0)
			continue;
		wp_free(MT_KEYCHAIN, s->v[i].keys);
		memmove(&s->v[i], &s->v[i + 1], (s->n - i - 1) * sizeof(*s->v));
		s->n--;
		return;
	}
}

static int
parse_algo(const char *s, enum wp_kc_algo *out)
{
	for (int a = WP_KC_MD5; a < WP_KC_ALGO_MAX; a++)
		if (strcmp(s, algo_names[a]) == 0) {
			*out = (enum wp_kc_algo)a;
			return 0;
		}
	return -1;
}

/* A line inside `key ID`. */
static int
key_line(struct wp_key *k, bool no, char **w, int n, char *err,
	 size_t errlen)
{
	if (strcmp(w[0], "key-string") == 0) {
		if (no) {
			k->string[0] = '\0';
		} else if (n != 2 || strlen(w[1]) > WP_KC_KEY_MAX) {
			return kc_err(err, errlen, "invalid key-string: one "
				      "word of 1 to 80 characters%s", "");
		} else {
			snprintf(k->string, sizeof(k->string), "%s", w[1]);
		}
	} else if (strcmp(w[0], "cryptographic-algorithm") == 0) {
		if (no)
			k->algo = WP_KC_ALGO_NONE;
		else if (n != 2 || parse_algo(w[1], &k->algo) < 0)
			return kc_err(err, errlen, "invalid "
				      "cryptographic-algorithm \"%s\": "
				      "expected md5, hmac-sha-1, hmac-sha-256, "
				      "hmac-sha-384 or hmac-sha-512",
				      n > 1 ? w[1] : "");
	} else if (strcmp(w[0], "send-lifetime") == 0 ||
		   strcmp(w[0], "accept-lifetime") == 0) {
		struct wp_kc_lifetime *lt = w[0][0] == 's' ? &k->send :
							    &k->accept;

		if (no)
			memset(lt, 0, sizeof(*lt));
		else
			return parse_lifetime(lt, w, n, err, errlen);
	} else {
		return 1;
	}
	return 0;
}

int
wp_keychain_line(struct wp_kc_parser *kp, int indent, char **w, int n,
		 char *err, size_t errlen)
{
	bool no;
	uint32_t id;
	int rc;

	if (n == 0)
		return 0;
	no = strcmp(w[0], "no") == 0 && n > 1;
	if (indent == 0 && n >= 2 + no && strcmp(w[no], "key") == 0 &&
	    strcmp(w[no + 1], "chain") == 0) {
		kp->chain = NULL;
		kp->key = NULL;
		if (n != 3 + no || strlen(w[no + 2]) > WP_KC_NAME_MAX)
			return kc_err(err, errlen, "invalid key chain name "
				      "\"%s\": one word of 1 to 64 characters",
				      n > 2 + no ? w[no + 2] : "");
		if (no)
			chain_del(kp->set, w[3]);
		else
			kp->chain = chain_get(kp->set, w[2]);
		return 1;
	}
	if (kp->chain == NULL)
		return 0;
	if (strcmp(w[0], "exit") == 0 || strcmp(w[0], "quit") == 0) {
		if (kp->key)
			kp->key = NULL;
		else
			kp->chain = NULL;
		return 1;
	}
	if (indent == 0 || strcmp(w[0], "end") == 0) {
		kp->chain = NULL;
		kp->key = NULL;
		return 0;
	}
	if (strcmp(w[no], "key") == 0) {
		if (n != 2 + no || parse_u32(w[no + 1], 2147483647, &id) < 0)
			return kc_err(err, errlen, "invalid key ID \"%s\": "
				      "expected (0-2147483647)",
				      n > 1 + no ? w[no + 1] : "");
		if (no) {
			key_del(kp->chain, id);
			kp->key = NULL;
		} else {
			kp->key = key_get(kp->chain, id);
		}
		return 1;
	}
	if (kp->key == NULL)
		return kc_err(err, errlen, "unknown key chain command \"%s\"",
			      w[no]);
	rc = key_line(kp->key, no, w + no, n - no, err, errlen);
	if (rc == 1)
		return kc_err(err, errlen, "unknown key command \"%s\"",
			      w[no]);
	return rc < 0 ? -1 : 1;
}

void
wp_keychains_free(struct wp_keychains *s)
{
	for (unsigned int i = 0; i < s->n; i++)
		wp_free(MT_KEYCHAIN, s->v[i].keys);
	wp_free(MT_KEYCHAIN, s->v);
	s->v = NULL;
	s->n = 0;
}

void
wp_keychains_copy(struct wp_keychains *dst, const struct wp_keychains *src)
{
	dst->n = src->n;
	dst->v = NULL;
	if (src->n == 0)
		return;
	dst->v = wp_calloc(MT_KEYCHAIN, src->n * sizeof(*dst->v));
	for (unsigned int i = 0; i < src->n; i++) {
		struct wp_keychain *d = &dst->v[i];
		const struct wp_keychain *s = &src->v[i];

		*d = *s;
		d->keys = NULL;
		if (s->n_keys == 0)
			continue;
		d->keys = wp_malloc(MT_KEYCHAIN, s->n_keys * sizeof(*d->keys));
		memcpy(d->keys, s->keys, s->n_keys * sizeof(*d->keys));
	}
}

static bool
lifetime_equal(const struct wp_kc_lifetime *a, const struct wp_kc_lifetime *b)
{
	return a->set == b->set && (!a->set || (a->start == b->start &&
						a->end == b->end));
}

bool
wp_keychains_equal(const struct wp_keychains *a, const struct wp_keychains *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++) {
		const struct wp_keychain *x = &a->v[i], *y = &b->v[i];

		if (strcmp(x->name, y->name) != 0 || x->n_keys != y->n_keys)
			return false;
		for (unsigned int j = 0; j < x->n_keys; j++) {
			const struct wp_key *k = &x->keys[j], *l = &y->keys[j];

			if (k->id != l->id || k->algo != l->algo ||
			    strcmp(k->string, l->string) != 0 ||
			    !lifetime_equal(&k->send, &l->send) ||
			    !lifetime_equal(&k->accept, &l->accept))
				return false;
		}
	}
	return true;
}

/* --- choosing keys ------------------------------------------------------ */

const struct wp_keychain *
wp_keychain_find(const struct wp_keychains *s, const char *name)
{
	for (unsigned int i = 0; s && i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static bool
alive(const struct wp_kc_lifetime *lt, time_t now)
{
	return !lt->set || (now >= lt->start && (lt->end < 0 ||
						 now <= lt->end));
}

const struct wp_key *
wp_keychain_send_key(const struct wp_keychain *kc, time_t now,
		     uint32_t max_id)
{
	for (unsigned int i = 0; kc && i < kc->n_keys; i++) {
		const struct wp_key *k = &kc->keys[i];

		if (k->id > max_id)
			break;
		if (k->string[0] && alive(&k->send, now))
			return k;
	}
	return NULL;
}

const struct wp_key *
wp_keychain_accept_key(const struct wp_keychain *kc, uint32_t id, time_t now)
{
	for (unsigned int i = 0; kc && i < kc->n_keys; i++) {
		const struct wp_key *k = &kc->keys[i];

		if (k->id == id)
			return k->string[0] && alive(&k->accept, now) ? k :
									NULL;
	}
	return NULL;
}

/* --- digests ------------------------------------------------------------ */

static const EVP_MD *
algo_md(enum wp_kc_algo a)
{
	switch (a) {
	case WP_KC_HMAC_SHA1:
		return EVP_sha1();
	case WP_KC_HMAC_SHA256:
		return EVP_sha256();
	case WP_KC_HMAC_SHA384:
		return EVP_sha384();
	case WP_KC_HMAC_SHA512:
		return EVP_sha512();
	default:
		return NULL;
	}
}

/* One hash over up to three pieces. */
static int
hash3(const EVP_MD *md, const void *a, size_t alen, const void *b,
      size_t blen, const void *c, size_t clen, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int rc = -1;

	if (ctx == NULL)
		return -1;
	if (EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    (b == NULL || EVP_DigestUpdate(ctx, b, blen) == 1) &&
	    (c == NULL || EVP_DigestUpdate(ctx, c, clen) == 1) &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1)
		rc = 0;
	EVP_MD_CTX_free(ctx);
	return rc;
}

/*
 * HMAC (RFC 2104) spelled out over EVP digests, so that it takes the
 * data in two pieces and needs none of the APIs OpenSSL 3 deprecates.
 */
int
wp_kc_hmac(enum wp_kc_algo a, const void *key, size_t keylen,
	   const void *data, size_t len, const void *data2, size_t len2,
	   uint8_t out[WP_KC_DIGEST_MAX])
{
	const EVP_MD *md = algo_md(a);
	size_t l = wp_kc_algo_len(a), b;
	uint8_t ks[WP_KC_DIGEST_MAX], ipad[128], opad[128];
	uint8_t inner[WP_KC_DIGEST_MAX];

	if (md == NULL)
		return -1;
	b = (size_t)EVP_MD_block_size(md);
	if (b > sizeof(ipad) || b < l)
		return -1;
	/* RFC 5709 §3.3 (1): Ks is K zero-padded to L, or H(K). */
	memset(ks, 0, sizeof(ks));
	if (keylen > l) {
		if (hash3(md, key, keylen, NULL, 0, NULL, 0, ks) < 0)
			return -1;
	} else {
		memcpy(ks, key, keylen);
	}
	/* (2)-(5): Ko is Ks zero-padded to the block size B. */
	memset(ipad, 0x36, b);
	memset(opad, 0x5c, b);
	for (size_t i = 0; i < l; i++) {
		ipad[i] ^= ks[i];
		opad[i] ^= ks[i];
	}
	if (hash3(md, ipad, b, data, len, data2, len2, inner) < 0 ||
	    hash3(md, opad, b, inner, l, NULL, 0, out) < 0)
		return -1;
	return 0;
}
