/*
 * ospf_lsdb.c: LSAs and link-state databases, and nothing else: no
 * sockets, no timers (time comes in as an argument), so every function
 * here is driven directly by the unit tests.
 *
 * An LSA lives as the bytes it has on the wire (`raw`) plus a decoded
 * header and body.  ospf_lsa_parse() is the only way bytes become an LSA:
 * it checks every length against the LSA's type (§A.4) before anything is
 * decoded, so the rest of the daemon never re-checks.  Builders for our
 * own LSAs write the bytes and go through the same parser.
 *
 * Age is not stored as a counter that something must tick: an LSA keeps
 * the age it had at `stamp` and ospf_lsa_age() adds the time since, up to
 * MaxAge (§12.1.1, §14).
 *
 * An LSDB is a hash table keyed on (type, Link State ID); instances of one
 * (type, ID) from several advertising routers share a chain, which is
 * what SPF wants when it looks up a network-LSA by ID alone (§16.1).
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_LSA, "OSPF LSA");
WP_MEMTYPE_DEFINE(MT_OSPF_LSDB, "OSPF LSDB");

#define LSDB_MIN_BUCKETS	64

/* --- checksums ------------------------------------------------------------ */

/*
 * ISO 8473 / RFC 905 Annex B Fletcher checksum over buf[0..len), the two
 * checksum octets at `off` taken as zero; returns the value to store
 * there (§12.1.7).
 */
uint16_t
ospf_fletcher(const uint8_t *buf, size_t len, size_t off)
{
	int32_t c0 = 0, c1 = 0, x, y;

	for (size_t i = 0; i < len; i++) {
		uint8_t b = (i == off || i == off + 1) ? 0 : buf[i];

		c0 = (c0 + b) % 255;
		c1 = (c1 + c0) % 255;
	}
	x = (int32_t)((((int32_t)(len - off - 1)) * c0 - c1) % 255);
	if (x <= 0)
		x += 255;
	y = 510 - c0 - x;
	if (y > 255)
		y -= 255;
	return (uint16_t)((x << 8) | y);
}

/* True if buf[0..len), checksum octets included, sums to zero. */
bool
ospf_fletcher_ok(const uint8_t *buf, size_t len)
{
	uint32_t c0 = 0, c1 = 0;

	for (size_t i = 0; i < len; i++) {
		c0 = (c0 + buf[i]) % 255;
		c1 = (c1 + c0) % 255;
	}
	return c0 == 0 && c1 == 0;
}

/* The LSA checksum covers everything but the age (§12.1.7). */
uint16_t
ospf_lsa_cksum(const uint8_t *raw, size_t len)
{
	if (len < OSPF_LSA_HDR_LEN)
		return 0;
	return ospf_fletcher(raw + 2, len - 2, 14);
}

bool
ospf_lsa_cksum_ok(const uint8_t *raw, size_t len)
{
	if (len < OSPF_LSA_HDR_LEN)
		return false;
	/* A zero checksum never comes out of the algorithm. */
	if (raw[16] == 0 && raw[17] == 0)
		return false;
	return ospf_fletcher_ok(raw + 2, len - 2);
}

/* The IP one's complement checksum (RFC 1071) of the packet (§A.3.1). */
uint16_t
ospf_inet_cksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)buf[i] << 8 | buf[i + 1];
	if (i < len)
		sum += (uint32_t)buf[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* --- headers ------------------------------------------------------------- */

int
ospf_lsa_hdr_decode(struct wp_rbuf *r, struct ospf_lsa_hdr *h)
{
	wp_rbuf_get_u16(r, &h->age);
	wp_rbuf_get_u8(r, &h->options);
	wp_rbuf_get_u8(r, &h->type);
	wp_rbuf_get_u32(r, &h->id);
	wp_rbuf_get_u32(r, &h->adv);
	wp_rbuf_get_u32(r, &h->seq);
	wp_rbuf_get_u16(r, &h->cksum);
	wp_rbuf_get_u16(r, &h->len);
	return wp_rbuf_error(r) ? -1 : 0;
}

void
ospf_lsa_hdr_encode(struct wp_wbuf *w, const struct ospf_lsa_hdr *h)
{
	wp_wbuf_put_u16(w, h->age);
	wp_wbuf_put_u8(w, h->options);
	wp_wbuf_put_u8(w, h->type);
	wp_wbuf_put_u32(w, h->id);
	wp_wbuf_put_u32(w, h->adv);
	wp_wbuf_put_u32(w, h->seq);
	wp_wbuf_put_u16(w, h->cksum);
	wp_wbuf_put_u16(w, h->len);
}

bool
ospf_lsa_type_ok(uint8_t type)
{
	return (type >= OSPF_LSA_ROUTER && type <= OSPF_LSA_EXTERNAL) ||
	       type == OSPF_LSA_NSSA ||
	       (type >= OSPF_LSA_OPAQUE_LINK && type <= OSPF_LSA_OPAQUE_AS);
}

const char *
ospf_lsa_type_name(uint8_t type)
{
	static const char *const names[] = {
		[OSPF_LSA_ROUTER] = "router",
		[OSPF_LSA_NETWORK] = "network",
		[OSPF_LSA_SUMMARY] = "summary",
		[OSPF_LSA_ASBR_SUMMARY] = "asbr-summary",
		[OSPF_LSA_EXTERNAL] = "external",
		[OSPF_LSA_NSSA] = "nssa",
		[OSPF_LSA_OPAQUE_LINK] = "opaque-link",
		[OSPF_LSA_OPAQUE_AREA] = "opaque-area",
		[OSPF_LSA_OPAQUE_AS] = "opaque-as",
	};

	return ospf_lsa_type_ok(type) ? names[type] : "unknown";
}

char *
ospf_id_fmt(uint32_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", id >> 24, (id >> 16) & 0xff,
		 (id >> 8) & 0xff, id & 0xff);
	return buf;
}

char *
ospf_lsa_fmt(const struct ospf_lsa_hdr *h, char *buf, size_t len)
{
	char id[INET_ADDRSTRLEN], adv[INET_ADDRSTRLEN];

	snprintf(buf, len, "type %u id %s adv %s seq 0x%08x", h->type,
		 ospf_id_fmt(h->id, id, sizeof(id)),
		 ospf_id_fmt(h->adv, adv, sizeof(adv)), h->seq);
	return buf;
}

/* --- parsing ------------------------------------------------------------- */

static void __attribute__((format(printf, 3, 4)))
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int
parse_router(struct ospf_lsa *lsa, struct wp_rbuf *r, char *err,
	     size_t errlen)
{
	uint8_t zero;
	uint16_t n;

	wp_rbuf_get_u8(r, &lsa->u.rtr.flags);
	wp_rbuf_get_u8(r, &zero);
	wp_rbuf_get_u16(r, &n);
	if (wp_rbuf_error(r)) {
		seterr(err, errlen, "router-LSA body shorter than 4 bytes");
		return -1;
	}
	/* Each link takes at least 12 bytes: refuse a count that cannot fit
	 * before allocating for it. */
	if ((size_t)n * 12 > wp_rbuf_remaining(r)) {
		seterr(err, errlen, "router-LSA: %u links need at least %zu "
		       "bytes, %zu left", n, (size_t)n * 12,
		       wp_rbuf_remaining(r));
		return -1;
	}
	lsa->u.rtr.nlinks = n;
	lsa->u.rtr.links = n ? wp_calloc(MT_OSPF_LSA, n *
					 sizeof(*lsa->u.rtr.links)) : NULL;
	for (uint16_t i = 0; i < n; i++) {
		struct ospf_rtr_link *l = &lsa->u.rtr.links[i];
		uint8_t ntos;

		wp_rbuf_get_u32(r, &l->id);
		wp_rbuf_get_u32(r, &l->data);
		wp_rbuf_get_u8(r, &l->type);
		wp_rbuf_get_u8(r, &ntos);
		wp_rbuf_get_u16(r, &l->metric);
		if (wp_rbuf_skip(r, (size_t)ntos * 4) < 0 ||
		    wp_rbuf_error(r)) {
			seterr(err, errlen, "router-LSA: link %u of %u "
			       "truncated", i + 1, n);
			return -1;
		}
		if (l->type < OSPF_LINK_P2P || l->type > OSPF_LINK_VIRTUAL) {
			seterr(err, errlen, "router-LSA: link %u has unknown "
			       "type %u", i + 1, l->type);
			return -1;
		}
	}
	if (wp_rbuf_remaining(r) != 0) {
		seterr(err, errlen, "router-LSA: %zu bytes after %u links",
		       wp_rbuf_remaining(r), n);
		return -1;
	}
	return 0;
}

static int
parse_network(struct ospf_lsa *lsa, struct wp_rbuf *r, char *err,
	      size_t errlen)
{
	size_t left;

	wp_rbuf_get_u32(r, &lsa->u.net.mask);
	left = wp_rbuf_remaining(r);
	if (wp_rbuf_error(r) || left < 4 || left % 4 != 0) {
		seterr(err, errlen, "network-LSA body of %zu bytes: want a "
		       "mask and a whole number of routers",
		       wp_rbuf_error(r) ? (size_t)0 : left + 4);
		return -1;
	}
	lsa->u.net.nrtrs = (uint16_t)(left / 4);
	lsa->u.net.rtrs = wp_calloc(MT_OSPF_LSA, left);
	for (size_t i = 0; i < left / 4; i++)
		wp_rbuf_get_u32(r, &lsa->u.net.rtrs[i]);
	return 0;
}

static int
parse_summary(struct ospf_lsa *lsa, struct wp_rbuf *r, char *err,
	      size_t errlen)
{
	uint32_t tm;
	size_t left;

	wp_rbuf_get_u32(r, &lsa->u.sum.mask);
	wp_rbuf_get_u32(r, &tm);
	left = wp_rbuf_remaining(r);
	if (wp_rbuf_error(r) || left % 4 != 0) {
		seterr(err, errlen, "summary-LSA body: want a mask and whole "
		       "4-byte TOS entries");
		return -1;
	}
	lsa->u.sum.metric = tm & OSPF_LS_INFINITY;
	return 0;
}

static int
parse_external(struct ospf_lsa *lsa, struct wp_rbuf *r, char *err,
	       size_t errlen)
{
	uint32_t tm;
	size_t left;

	wp_rbuf_get_u32(r, &lsa->u.ext.mask);
	wp_rbuf_get_u32(r, &tm);
	wp_rbuf_get_u32(r, &lsa->u.ext.fwd);
	wp_rbuf_get_u32(r, &lsa->u.ext.tag);
	left = wp_rbuf_remaining(r);
	if (wp_rbuf_error(r) || left % 12 != 0) {
		seterr(err, errlen, "AS-external-LSA body: want a mask and "
		       "whole 12-byte TOS entries");
		return -1;
	}
	lsa->u.ext.e2 = (tm >> 24) & OSPF_EXT_E;
	lsa->u.ext.metric = tm & OSPF_LS_INFINITY;
	return 0;
}

static void
lsa_free(struct ospf_lsa *lsa)
{
	switch (lsa->hdr.type) {
	case OSPF_LSA_ROUTER:
		wp_free(MT_OSPF_LSA, lsa->u.rtr.links);
		break;
	case OSPF_LSA_NETWORK:
		wp_free(MT_OSPF_LSA, lsa->u.net.rtrs);
		break;
	default:
		break;
	}
	wp_free(MT_OSPF_LSA, lsa->raw);
	wp_free(MT_OSPF_LSA, lsa);
}

struct ospf_lsa *
ospf_lsa_parse(const uint8_t *data, size_t len, double now, char *err,
	       size_t errlen)
{
	struct ospf_lsa *lsa;
	struct wp_rbuf r, body;
	struct ospf_lsa_hdr h;
	int rc;

	wp_rbuf_init(&r, data, len);
	if (ospf_lsa_hdr_decode(&r, &h) < 0) {
		seterr(err, errlen, "LSA of %zu bytes: shorter than its "
		       "20-byte header", len);
		return NULL;
	}
	if (h.len != len || h.len < OSPF_LSA_HDR_LEN) {
		seterr(err, errlen, "LSA length field %u, %zu bytes given",
		       h.len, len);
		return NULL;
	}
	if (!ospf_lsa_type_ok(h.type)) {
		seterr(err, errlen, "LSA type %u unknown", h.type);
		return NULL;
	}
	lsa = wp_calloc(MT_OSPF_LSA, sizeof(*lsa));
	lsa->refcnt = 1;
	lsa->hdr = h;
	if (lsa->hdr.age > OSPF_MAX_AGE)
		lsa->hdr.age = OSPF_MAX_AGE;
	lsa->stamp = now;
	lsa->raw = wp_malloc(MT_OSPF_LSA, len);
	memcpy(lsa->raw, data, len);
	wp_rbuf_sub(&r, len - OSPF_LSA_HDR_LEN, &body);
	switch (h.type) {
	case OSPF_LSA_ROUTER:
		rc = parse_router(lsa, &body, err, errlen);
		break;
	case OSPF_LSA_NETWORK:
		rc = parse_network(lsa, &body, err, errlen);
		break;
	case OSPF_LSA_SUMMARY:
	case OSPF_LSA_ASBR_SUMMARY:
		rc = parse_summary(lsa, &body, err, errlen);
		break;
	case OSPF_LSA_OPAQUE_LINK:
	case OSPF_LSA_OPAQUE_AREA:
	case OSPF_LSA_OPAQUE_AS:
		/* RFC 5250 §3: the body is the application's; carried and
		 * flooded as it is.  The ID's first byte is the opaque
		 * type, the rest the opaque ID. */
		rc = 0;
		break;
	default:
		rc = parse_external(lsa, &body, err, errlen);
		break;
	}
	if (rc < 0) {
		lsa_free(lsa);
		return NULL;
	}
	return lsa;
}

struct ospf_lsa *
ospf_lsa_ref(struct ospf_lsa *lsa)
{
	lsa->refcnt++;
	return lsa;
}

void
ospf_lsa_unref(struct ospf_lsa *lsa)
{
	if (lsa == NULL)
		return;
	if (lsa->refcnt == 0)
		wp_fatalx("%s: LSA refcount underflow", __func__);
	if (--lsa->refcnt == 0)
		lsa_free(lsa);
}

uint16_t
ospf_lsa_age(const struct ospf_lsa *lsa, double now)
{
	double age;

	if (lsa->hdr.age >= OSPF_MAX_AGE)
		return OSPF_MAX_AGE;
	age = lsa->hdr.age + (now > lsa->stamp ? now - lsa->stamp : 0);
	return age >= OSPF_MAX_AGE ? OSPF_MAX_AGE : (uint16_t)age;
}

void
ospf_lsa_hdr_now(const struct ospf_lsa *lsa, double now, uint16_t delay,
		 struct ospf_lsa_hdr *h)
{
	uint32_t age = ospf_lsa_age(lsa, now) + (uint32_t)delay;

	*h = lsa->hdr;
	h->age = age > OSPF_MAX_AGE ? OSPF_MAX_AGE : (uint16_t)age;
}

void
ospf_lsa_set_maxage(struct ospf_lsa *lsa, double now)
{
	lsa->hdr.age = OSPF_MAX_AGE;
	lsa->stamp = now;
	lsa->raw[0] = OSPF_MAX_AGE >> 8;
	lsa->raw[1] = OSPF_MAX_AGE & 0xff;
}

int
ospf_lsa_cmp(const struct ospf_lsa_hdr *a, const struct ospf_lsa_hdr *b)
{
	int32_t sa = (int32_t)a->seq, sb = (int32_t)b->seq;
	int da;

	/* §13.1: sequence number, then checksum, then MaxAge, then age. */
	if (sa != sb)
		return sa > sb ? 1 : -1;
	if (a->cksum != b->cksum)
		return a->cksum > b->cksum ? 1 : -1;
	if ((a->age == OSPF_MAX_AGE) != (b->age == OSPF_MAX_AGE))
		return a->age == OSPF_MAX_AGE ? 1 : -1;
	da = (int)a->age - (int)b->age;
	if (da > OSPF_MAX_AGE_DIFF || da < -OSPF_MAX_AGE_DIFF)
		return da < 0 ? 1 : -1;
	return 0;
}

bool
ospf_lsa_differ(const struct ospf_lsa *a, const struct ospf_lsa *b, double now)
{
	/* §13.2: options, MaxAge-ness, length, body. */
	if (a->hdr.options != b->hdr.options)
		return true;
	if ((ospf_lsa_age(a, now) == OSPF_MAX_AGE) !=
	    (ospf_lsa_age(b, now) == OSPF_MAX_AGE))
		return true;
	if (a->hdr.len != b->hdr.len)
		return true;
	return memcmp(a->raw + OSPF_LSA_HDR_LEN, b->raw + OSPF_LSA_HDR_LEN,
		      a->hdr.len - OSPF_LSA_HDR_LEN) != 0;
}

/* --- builders ------------------------------------------------------------ */

static void
build_start(struct wp_wbuf *w, const struct ospf_lsa_hdr *h, uint8_t type)
{
	struct ospf_lsa_hdr t = *h;

	wp_wbuf_init(w, MT_OSPF_LSA, 64);
	t.type = type;
	t.cksum = 0;
	t.len = 0;
	ospf_lsa_hdr_encode(w, &t);
}

static struct ospf_lsa *
build_finish(struct wp_wbuf *w, double now)
{
	struct ospf_lsa *lsa = NULL;
	uint8_t *d = wp_wbuf_data(w);
	size_t len = wp_wbuf_len(w);
	char err[128];
	uint16_t ck;

	if (wp_wbuf_error(w) || len > 0xffff)
		goto out;
	wp_wbuf_put_u16_at(w, 18, (uint16_t)len);
	ck = ospf_lsa_cksum(d, len);
	wp_wbuf_put_u16_at(w, 16, ck);
	lsa = ospf_lsa_parse(d, len, now, err, sizeof(err));
	if (lsa == NULL)
		wp_fatalx("%s: built an LSA we cannot parse: %s", __func__,
			  err);
out:
	wp_wbuf_free(w);
	return lsa;
}

struct ospf_lsa *
ospf_lsa_build_router(const struct ospf_lsa_hdr *h, uint8_t flags,
		      const struct ospf_rtr_link *links, size_t nlinks,
		      double now)
{
	struct wp_wbuf w;

	if (nlinks > 0xffff)
		return NULL;
	build_start(&w, h, OSPF_LSA_ROUTER);
	wp_wbuf_put_u8(&w, flags);
	wp_wbuf_put_u8(&w, 0);
	wp_wbuf_put_u16(&w, (uint16_t)nlinks);
	for (size_t i = 0; i < nlinks; i++) {
		wp_wbuf_put_u32(&w, links[i].id);
		wp_wbuf_put_u32(&w, links[i].data);
		wp_wbuf_put_u8(&w, links[i].type);
		wp_wbuf_put_u8(&w, 0);
		wp_wbuf_put_u16(&w, links[i].metric);
	}
	return build_finish(&w, now);
}

struct ospf_lsa *
ospf_lsa_build_network(const struct ospf_lsa_hdr *h, uint32_t mask,
		       const uint32_t *rtrs, size_t nrtrs, double now)
{
	struct wp_wbuf w;

	if (nrtrs == 0)
		return NULL;
	build_start(&w, h, OSPF_LSA_NETWORK);
	wp_wbuf_put_u32(&w, mask);
	for (size_t i = 0; i < nrtrs; i++)
		wp_wbuf_put_u32(&w, rtrs[i]);
	return build_finish(&w, now);
}

struct ospf_lsa *
ospf_lsa_build_summary(const struct ospf_lsa_hdr *h, uint32_t mask,
		       uint32_t metric, double now)
{
	struct wp_wbuf w;

	build_start(&w, h, h->type == OSPF_LSA_ASBR_SUMMARY ?
		    OSPF_LSA_ASBR_SUMMARY : OSPF_LSA_SUMMARY);
	wp_wbuf_put_u32(&w, mask);
	wp_wbuf_put_u32(&w, metric & OSPF_LS_INFINITY);
	return build_finish(&w, now);
}

struct ospf_lsa *
ospf_lsa_build_external(const struct ospf_lsa_hdr *h, uint32_t mask,
			uint32_t metric, bool e2, uint32_t fwd, uint32_t tag,
			double now)
{
	struct wp_wbuf w;

	build_start(&w, h, h->type == OSPF_LSA_NSSA ? OSPF_LSA_NSSA :
		    OSPF_LSA_EXTERNAL);
	wp_wbuf_put_u32(&w, mask);
	wp_wbuf_put_u32(&w, (e2 ? (uint32_t)OSPF_EXT_E << 24 : 0) |
			(metric & OSPF_LS_INFINITY));
	wp_wbuf_put_u32(&w, fwd);
	wp_wbuf_put_u32(&w, tag);
	return build_finish(&w, now);
}

struct ospf_lsa *
ospf_lsa_build_opaque(const struct ospf_lsa_hdr *h, const uint8_t *body,
		      size_t len, double now)
{
	struct wp_wbuf w;

	build_start(&w, h, h->type);
	wp_wbuf_put_bytes(&w, body, len);
	return build_finish(&w, now);
}

/* --- the database ------------------------------------------------------- */

static size_t
bucket_of(size_t nbuckets, uint8_t type, uint32_t id)
{
	uint32_t h = id * 2654435761u ^ (uint32_t)type * 0x9e3779b9u;

	h ^= h >> 15;
	return h & (nbuckets - 1);
}

struct ospf_lsdb *
ospf_lsdb_new(void)
{
	struct ospf_lsdb *db = wp_calloc(MT_OSPF_LSDB, sizeof(*db));

	db->nbuckets = LSDB_MIN_BUCKETS;
	db->buckets = wp_calloc(MT_OSPF_LSDB, db->nbuckets *
				sizeof(*db->buckets));
	return db;
}

void
ospf_lsdb_free(struct ospf_lsdb *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->nbuckets; i++) {
		struct ospf_lsa *lsa, *next;

		for (lsa = db->buckets[i]; lsa; lsa = next) {
			next = lsa->hnext;
			lsa->hnext = NULL;
			lsa->db = NULL;
			ospf_lsa_unref(lsa);
		}
	}
	wp_free(MT_OSPF_LSDB, db->buckets);
	wp_free(MT_OSPF_LSDB, db);
}

static void
lsdb_grow(struct ospf_lsdb *db)
{
	size_t n = db->nbuckets * 2;
	struct ospf_lsa **b = wp_calloc(MT_OSPF_LSDB, n * sizeof(*b));

	for (size_t i = 0; i < db->nbuckets; i++) {
		struct ospf_lsa *lsa, *next;

		for (lsa = db->buckets[i]; lsa; lsa = next) {
			size_t k = bucket_of(n, lsa->hdr.type, lsa->hdr.id);

			next = lsa->hnext;
			lsa->hnext = b[k];
			b[k] = lsa;
		}
	}
	wp_free(MT_OSPF_LSDB, db->buckets);
	db->buckets = b;
	db->nbuckets = n;
}

struct ospf_lsa *
ospf_lsdb_lookup(const struct ospf_lsdb *db, uint8_t type, uint32_t id,
		 uint32_t adv)
{
	struct ospf_lsa *lsa;

	for (lsa = db->buckets[bucket_of(db->nbuckets, type, id)]; lsa;
	     lsa = lsa->hnext)
		if (lsa->hdr.type == type && lsa->hdr.id == id &&
		    lsa->hdr.adv == adv)
			return lsa;
	return NULL;
}

struct ospf_lsa *
ospf_lsdb_chain(const struct ospf_lsdb *db, uint8_t type, uint32_t id)
{
	return db->buckets[bucket_of(db->nbuckets, type, id)];
}

struct ospf_lsa *
ospf_lsdb_lookup_id(const struct ospf_lsdb *db, uint8_t type, uint32_t id,
		    double now)
{
	struct ospf_lsa *lsa, *best = NULL;

	for (lsa = db->buckets[bucket_of(db->nbuckets, type, id)]; lsa;
	     lsa = lsa->hnext) {
		if (lsa->hdr.type != type || lsa->hdr.id != id)
			continue;
		if (ospf_lsa_age(lsa, now) < OSPF_MAX_AGE)
			return lsa;
		best = lsa;
	}
	return best;
}

static void
unlink_lsa(struct ospf_lsdb *db, struct ospf_lsa *lsa)
{
	struct ospf_lsa **pp;

	for (pp = &db->buckets[bucket_of(db->nbuckets, lsa->hdr.type,
					 lsa->hdr.id)]; *pp;
	     pp = &(*pp)->hnext) {
		if (*pp == lsa) {
			*pp = lsa->hnext;
			lsa->hnext = NULL;
			lsa->db = NULL;
			db->count--;
			db->count_type[lsa->hdr.type]--;
			return;
		}
	}
	wp_fatalx("%s: LSA not in its LSDB", __func__);
}

struct ospf_lsa *
ospf_lsdb_install(struct ospf_lsdb *db, struct ospf_lsa *lsa)
{
	struct ospf_lsa *old;
	size_t k;

	old = ospf_lsdb_lookup(db, lsa->hdr.type, lsa->hdr.id, lsa->hdr.adv);
	if (old == lsa)
		return NULL;
	if (old)
		unlink_lsa(db, old);
	if (db->count >= db->nbuckets)
		lsdb_grow(db);
	k = bucket_of(db->nbuckets, lsa->hdr.type, lsa->hdr.id);
	lsa->hnext = db->buckets[k];
	db->buckets[k] = ospf_lsa_ref(lsa);
	lsa->db = db;
	db->count++;
	db->count_type[lsa->hdr.type]++;
	return old;
}

void
ospf_lsdb_remove(struct ospf_lsdb *db, struct ospf_lsa *lsa)
{
	unlink_lsa(db, lsa);
	ospf_lsa_unref(lsa);
}

static struct ospf_lsa *
scan_from(const struct ospf_lsdb *db, size_t *bucket)
{
	while (*bucket < db->nbuckets) {
		struct ospf_lsa *lsa = db->buckets[*bucket];

		if (lsa)
			return lsa;
		(*bucket)++;
	}
	return NULL;
}

static void
iter_advance(const struct ospf_lsdb *db, struct ospf_lsdb_iter *it,
	     struct ospf_lsa *cur)
{
	if (cur->hnext) {
		it->next = cur->hnext;
		return;
	}
	it->bucket++;
	it->next = scan_from(db, &it->bucket);
}

struct ospf_lsa *
ospf_lsdb_first(const struct ospf_lsdb *db, struct ospf_lsdb_iter *it)
{
	struct ospf_lsa *cur;

	it->bucket = 0;
	cur = scan_from(db, &it->bucket);
	if (cur)
		iter_advance(db, it, cur);
	else
		it->next = NULL;
	return cur;
}

struct ospf_lsa *
ospf_lsdb_next(const struct ospf_lsdb *db, struct ospf_lsdb_iter *it)
{
	struct ospf_lsa *cur = it->next;

	/* The next one was taken before the caller could remove `cur`. */
	if (cur)
		iter_advance(db, it, cur);
	return cur;
}

static int
lsa_sort_cmp(const void *a, const void *b)
{
	const struct ospf_lsa *x = *(const struct ospf_lsa *const *)a;
	const struct ospf_lsa *y = *(const struct ospf_lsa *const *)b;

	if (x->hdr.type != y->hdr.type)
		return x->hdr.type < y->hdr.type ? -1 : 1;
	if (x->hdr.id != y->hdr.id)
		return x->hdr.id < y->hdr.id ? -1 : 1;
	if (x->hdr.adv != y->hdr.adv)
		return x->hdr.adv < y->hdr.adv ? -1 : 1;
	return 0;
}

struct ospf_lsa **
ospf_lsdb_sorted(const struct ospf_lsdb *db, size_t *n)
{
	struct ospf_lsa **v;
	size_t k = 0;

	v = wp_malloc(MT_OSPF_LSDB, (db->count + 1) * sizeof(*v));
	for (size_t i = 0; i < db->nbuckets; i++)
		for (struct ospf_lsa *lsa = db->buckets[i]; lsa;
		     lsa = lsa->hnext)
			v[k++] = lsa;
	qsort(v, k, sizeof(*v), lsa_sort_cmp);
	*n = k;
	return v;
}

size_t
ospf_lsdb_count(const struct ospf_lsdb *db)
{
	return db->count;
}
