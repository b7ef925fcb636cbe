/*
 * wp_policy.c: access lists, prefix lists and route maps.  Three parts: reading the
 * configuration lines into struct wp_policy (sorted arrays, small and
 * rebuilt on every configuration change), evaluating a route against
 * them (no I/O, no logging: unit-tested in tests/unit/lib/check_policy.c),
 * and the show data (one JSON tree, a text rendering of it).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_mem.h"
#include "wp_policy.h"
#include "wp_vty.h"

WP_MEMTYPE_DEFINE(MT_POLICY, "Routing policy");

/* --- lookup and storage ------------------------------------------------ */

static struct wp_flist *
flist_lookup(const struct wp_policy *pol, enum wp_flist_kind kind,
	     int family, const char *name)
{
	for (unsigned int i = 0; i < pol->n_flists; i++)
		if (pol->flists[i].kind == kind &&
		    pol->flists[i].family == family &&
		    strcmp(pol->flists[i].name, name) == 0)
			return &pol->flists[i];
	return NULL;
}

const struct wp_flist *
wp_plist_find(const struct wp_policy *pol, int family, const char *name)
{
	return flist_lookup(pol, WP_FLIST_PLIST, family, name);
}

const struct wp_flist *
wp_acl_find(const struct wp_policy *pol, int family, const char *name)
{
	return flist_lookup(pol, WP_FLIST_ACL, family, name);
}

static struct wp_rmap *
rmap_lookup(const struct wp_policy *pol, const char *name)
{
	for (unsigned int i = 0; i < pol->n_rmaps; i++)
		if (strcmp(pol->rmaps[i].name, name) == 0)
			return &pol->rmaps[i];
	return NULL;
}

const struct wp_rmap *
wp_rmap_find(const struct wp_policy *pol, const char *name)
{
	return rmap_lookup(pol, name);
}

/*
 * Slot for sequence `seq` in an array of `n` elements of `size` bytes
 * sorted by a leading sequence number read by `seq_of`: the existing
 * element, or a new zeroed one inserted in order (*created set).
 */
static void *
seq_slot(void **arr, unsigned int *n, size_t size, uint32_t seq,
	 uint32_t (*seq_of)(const void *), bool *created)
{
	char *v = *arr;
	unsigned int i;

	for (i = 0; i < *n; i++) {
		uint32_t s = seq_of(v + i * size);

		if (s == seq) {
			*created = false;
			return v + i * size;
		}
		if (s > seq)
			break;
	}
	v = wp_realloc(MT_POLICY, v, (*n + 1) * size);
	memmove(v + (i + 1) * size, v + i * size, (*n - i) * size);
	memset(v + i * size, 0, size);
	(*n)++;
	*arr = v;
	*created = true;
	return v + i * size;
}

static void
arr_remove(void *arr, unsigned int *n, size_t size, unsigned int i)
{
	char *v = arr;

	memmove(v + i * size, v + (i + 1) * size, (*n - i - 1) * size);
	(*n)--;
}

static uint32_t
flist_seq_of(const void *e)
{
	return ((const struct wp_flist_entry *)e)->seq;
}

static uint32_t
rmap_seq_of(const void *e)
{
	return ((const struct wp_rmap_entry *)e)->seq;
}

static struct wp_flist *
flist_get(struct wp_policy *pol, enum wp_flist_kind kind, int family,
	  const char *name)
{
	struct wp_flist *fl = flist_lookup(pol, kind, family, name);

	if (fl)
		return fl;
	pol->flists = wp_realloc(MT_POLICY, pol->flists,
				 (pol->n_flists + 1) * sizeof(*fl));
	fl = &pol->flists[pol->n_flists++];
	memset(fl, 0, sizeof(*fl));
	snprintf(fl->name, sizeof(fl->name), "%s", name);
	fl->family = (uint8_t)family;
	fl->kind = (uint8_t)kind;
	return fl;
}

static void
flist_del(struct wp_policy *pol, struct wp_flist *fl)
{
	wp_free(MT_POLICY, fl->v);
	arr_remove(pol->flists, &pol->n_flists, sizeof(*fl),
		   (unsigned int)(fl - pol->flists));
}

static void
rmap_del(struct wp_policy *pol, struct wp_rmap *rm)
{
	wp_free(MT_POLICY, rm->v);
	arr_remove(pol->rmaps, &pol->n_rmaps, sizeof(*rm),
		   (unsigned int)(rm - pol->rmaps));
}

void
wp_policy_free(struct wp_policy *pol)
{
	if (pol == NULL)
		return;
	for (unsigned int i = 0; i < pol->n_flists; i++)
		wp_free(MT_POLICY, pol->flists[i].v);
	for (unsigned int i = 0; i < pol->n_rmaps; i++)
		wp_free(MT_POLICY, pol->rmaps[i].v);
	wp_free(MT_POLICY, pol->flists);
	wp_free(MT_POLICY, pol->rmaps);
	memset(pol, 0, sizeof(*pol));
}

/* --- reading ----------------------------------------------------------- */

static int __attribute__((format(printf, 3, 4)))
pol_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int
parse_u32(const char *s, unsigned long min, unsigned long max,
	  uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
want_name(const char *s, char *err, size_t errlen)
{
	if (s == NULL || strlen(s) > WP_POL_NAME_MAX)
		return pol_err(err, errlen, "invalid name \"%s\": one word of "
			       "1 to %d characters", s ? s : "",
			       WP_POL_NAME_MAX);
	return 0;
}

/* w[i..n) joined by blanks into dst (at most WP_POL_DESCR_MAX). */
static int
join_words(char *dst, size_t len, char **w, int i, int n, char *err,
	   size_t errlen)
{
	size_t used = 0;

	dst[0] = '\0';
	if (i >= n)
		return pol_err(err, errlen, "description: text expected");
	for (; i < n; i++) {
		int k = snprintf(dst + used, len - used, "%s%s",
				 used ? " " : "", w[i]);

		if (k < 0 || (size_t)k >= len - used)
			return pol_err(err, errlen, "text too long at \"%s\" "
				       "(at most %zu characters)", w[i],
				       len - 1);
		used += (size_t)k;
	}
	return 0;
}

static int
parse_action(const char *s, bool *permit)
{
	if (s && strcmp(s, "permit") == 0)
		*permit = true;
	else if (s && strcmp(s, "deny") == 0)
		*permit = false;
	else
		return -1;
	return 0;
}

/*
 * The entry from w[i]: (permit|deny) (PREFIX|any) [ge N] [le N].
 */
static int
parse_plist_entry(struct wp_flist_entry *e, int family, char **w, int i,
		  int n, char *err, size_t errlen)
{
	unsigned int bits = wp_family_bits(family);
	uint32_t v;

	if (parse_action(i < n ? w[i] : NULL, &e->permit) < 0)
		return pol_err(err, errlen, "expected permit or deny, not "
			       "\"%s\"", i < n ? w[i] : "");
	if (++i >= n)
		return pol_err(err, errlen, "prefix or any expected after "
			       "\"%s\"", w[i - 1]);
	if (strcmp(w[i], "any") == 0) {
		e->any = true;
		if (i + 1 < n)
			return pol_err(err, errlen, "unexpected \"%s\" after "
				       "any", w[i + 1]);
		return 0;
	}
	if (wp_prefix_parse_flags(w[i], &e->prefix, WP_PREFIX_ALLOW_HOST_BITS,
				  NULL, 0) < 0 || e->prefix.family != family)
		return pol_err(err, errlen, "invalid %s prefix \"%s\"",
			       family == AF_INET ? "IPv4" : "IPv6", w[i]);
	for (i++; i < n; i += 2) {
		bool ge = strcmp(w[i], "ge") == 0;

		if (!ge && strcmp(w[i], "le") != 0)
			return pol_err(err, errlen, "unexpected \"%s\" "
				       "(ge or le)", w[i]);
		if ((!ge && e->le) || (ge && (e->ge || e->le)))
			return pol_err(err, errlen, "\"%s\" out of place "
				       "(ge N before le N, once each)", w[i]);
		if (parse_u32(i + 1 < n ? w[i + 1] : NULL, 0, bits, &v) < 0)
			return pol_err(err, errlen, "invalid %s \"%s\": "
				       "expected (0-%u)", w[i],
				       i + 1 < n ? w[i + 1] : "", bits);
		/* len <= ge <= le <= bits (FRR wants len < ge; the YANG
		 * model, and this, let ge equal len). */
		if (v < e->prefix.len || (!ge && e->ge && v < e->ge))
			return pol_err(err, errlen, "invalid %s \"%s\": "
				       "the prefix length <= ge <= le",
				       w[i], w[i + 1]);
		if (ge)
			e->ge = (uint8_t)v;
		else
			e->le = (uint8_t)v;
	}
	return 0;
}

/*
 * `seq N` at w[*i], if there: *seq set and *i past it; 0 left alone.
 */
static int
parse_seq(char **w, int *i, int n, uint32_t *seq, char *err, size_t errlen)
{
	if (*i >= n || strcmp(w[*i], "seq") != 0)
		return 0;
	if (parse_u32(*i + 1 < n ? w[*i + 1] : NULL, 1, 4294967294UL,
		      seq) < 0)
		return pol_err(err, errlen, "invalid seq \"%s\": "
			       "expected (1-4294967294)",
			       *i + 1 < n ? w[*i + 1] : "");
	*i += 2;
	return 0;
}

/* As FRR: a left-out seq is the next multiple of 5 after `last`. */
static int
next_seq(uint32_t last, uint32_t *seq, char *err, size_t errlen)
{
	if (last > 4294967294UL - 5)
		return pol_err(err, errlen, "no sequence number left after "
			       "%u: give seq", last);
	*seq = (last / 5 + 1) * 5;
	return 0;
}

/* The entry from w[i]: (permit|deny) (PREFIX [exact-match]|any). */
static int
parse_acl_entry(struct wp_flist_entry *e, int family, char **w, int i, int n,
		char *err, size_t errlen)
{
	if (parse_action(i < n ? w[i] : NULL, &e->permit) < 0)
		return pol_err(err, errlen, "expected permit or deny, not "
			       "\"%s\"", i < n ? w[i] : "");
	if (++i >= n)
		return pol_err(err, errlen, "prefix or any expected after "
			       "\"%s\"", w[i - 1]);
	if (strcmp(w[i], "any") == 0) {
		e->any = true;
	} else if (wp_prefix_parse_flags(w[i], &e->prefix,
					 WP_PREFIX_ALLOW_HOST_BITS, NULL,
					 0) < 0 || e->prefix.family != family) {
		return pol_err(err, errlen, "invalid %s prefix \"%s\"",
			       family == AF_INET ? "IPv4" : "IPv6", w[i]);
	} else if (i + 1 < n && strcmp(w[i + 1], "exact-match") == 0) {
		e->exact = true;
		i++;
	}
	if (i + 1 < n)
		return pol_err(err, errlen, "unexpected \"%s\" after \"%s\"",
			       w[i + 1], w[i]);
	return 0;
}

static bool
flist_entry_same(const struct wp_flist_entry *a,
		 const struct wp_flist_entry *b)
{
	return a->permit == b->permit && a->any == b->any &&
	       (a->any || wp_prefix_eq(&a->prefix, &b->prefix)) &&
	       a->ge == b->ge && a->le == b->le && a->exact == b->exact;
}

/*
 * [no] (ip|ipv6) prefix-list NAME ... or [no] [ipv6] access-list NAME ...,
 * w[i] the name.
 */
static int
parse_flist(struct wp_policy *pol, enum wp_flist_kind kind, bool no,
	    int family, char **w, int i, int n, char *err, size_t errlen)
{
	struct wp_flist_entry e = { 0 }, *slot;
	struct wp_flist *fl;
	const char *name;
	uint32_t seq = 0;
	bool created;

	if (want_name(i < n ? w[i] : NULL, err, errlen) < 0)
		return -1;
	name = w[i];
	fl = flist_lookup(pol, kind, family, name);
	if (no && i + 1 == n) {
		if (fl)
			flist_del(pol, fl);
		return 1;
	}
	if (kind == WP_FLIST_PLIST && i + 1 < n &&
	    strcmp(w[i + 1], "description") == 0) {
		if (no) {
			if (fl)
				fl->descr[0] = '\0';
			return 1;
		}
		fl = flist_get(pol, kind, family, name);
		return join_words(fl->descr, sizeof(fl->descr), w, i + 2, n,
				  err, errlen) < 0 ? -1 : 1;
	}
	i++;
	if (parse_seq(w, &i, n, &seq, err, errlen) < 0)
		return -1;
	if (!(seq && no && i == n) &&
	    (kind == WP_FLIST_PLIST ?
	     parse_plist_entry(&e, family, w, i, n, err, errlen) :
	     parse_acl_entry(&e, family, w, i, n, err, errlen)) < 0)
		return -1;
	if (no) {
		/* no ... seq N [...]: that entry; no ... ENTRY: the same. */
		for (unsigned int k = 0; fl && k < fl->n; k++)
			if (seq ? fl->v[k].seq == seq :
				  flist_entry_same(&fl->v[k], &e)) {
				arr_remove(fl->v, &fl->n, sizeof(e), k);
				break;
			}
		return 1;
	}
	fl = flist_get(pol, kind, family, name);
	if (seq == 0 && next_seq(fl->n ? fl->v[fl->n - 1].seq : 0, &seq, err,
				 errlen) < 0)
		return -1;
	e.seq = seq;
	slot = seq_slot((void **)&fl->v, &fl->n, sizeof(*slot), seq,
			flist_seq_of, &created);
	*slot = e;
	return 1;
}

/* [no] route-map NAME [(permit|deny) SEQ] */
static int
parse_rmap_head(struct wp_pol_parser *pp, bool no, char **w, int n,
		char *err, size_t errlen)
{
	struct wp_policy *pol = pp->set;
	int i = no ? 2 : 1;
	struct wp_rmap *rm;
	struct wp_rmap_entry *e;
	bool permit, created;
	uint32_t seq;

	if (want_name(i < n ? w[i] : NULL, err, errlen) < 0)
		return -1;
	rm = rmap_lookup(pol, w[i]);
	if (no && n == 3) {
		if (rm)
			rmap_del(pol, rm);
		return 1;
	}
	if (parse_action(i + 1 < n ? w[i + 1] : NULL, &permit) < 0)
		return pol_err(err, errlen, "expected permit or deny, not "
			       "\"%s\"", i + 1 < n ? w[i + 1] : "");
	if (n != i + 3 || parse_u32(w[i + 2], 1, 65535, &seq) < 0)
		return pol_err(err, errlen, "invalid sequence \"%s\": "
			       "expected (1-65535)", i + 2 < n ? w[i + 2] : "");
	if (no) {
		for (unsigned int k = 0; rm && k < rm->n; k++)
			if (rm->v[k].seq == seq)
				arr_remove(rm->v, &rm->n, sizeof(*e), k);
		return 1;
	}
	if (rm == NULL) {
		pol->rmaps = wp_realloc(MT_POLICY, pol->rmaps,
					(pol->n_rmaps + 1) * sizeof(*rm));
		rm = &pol->rmaps[pol->n_rmaps++];
		memset(rm, 0, sizeof(*rm));
		snprintf(rm->name, sizeof(rm->name), "%s", w[i]);
	}
	e = seq_slot((void **)&rm->v, &rm->n, sizeof(*e), seq, rmap_seq_of,
		     &created);
	e->seq = (uint16_t)seq;
	e->permit = permit;
	pp->rmap = rm;
	pp->entry = e;
	return 1;
}

static int
want_u32(char **w, int n, int i, const char *what, unsigned long min,
	 unsigned long max, uint32_t *out, char *err, size_t errlen)
{
	if (n != i + 1 || parse_u32(w[i], min, max, out) < 0)
		return pol_err(err, errlen, "invalid %s \"%s\": expected "
			       "(%lu-%lu)", what, i < n ? w[i] : "", min, max);
	return 0;
}

static int
want_word(char *dst, size_t len, char **w, int n, int i, const char *what,
	  char *err, size_t errlen)
{
	if (n != i + 1 || strlen(w[i]) >= len)
		return pol_err(err, errlen, "invalid %s \"%s\"", what,
			       i < n ? w[i] : "");
	snprintf(dst, len, "%s", w[i]);
	return 0;
}

/* match ..., w[i] the word after `match`; `no` clears the clause. */
static int
parse_match(struct wp_rmap_entry *e, bool no, char **w, int i, int n,
	    char *err, size_t errlen)
{
	const char *a = i < n ? w[i] : "";
	unsigned int bit;
	int rc = 0;

	if ((strcmp(a, "ip") == 0 || strcmp(a, "ipv6") == 0) && i + 1 < n &&
	    strcmp(w[i + 1], "address") == 0) {
		bool v6 = a[2] == 'v';
		bool pl = i + 2 < n && strcmp(w[i + 2], "prefix-list") == 0;

		if (pl) {
			bit = v6 ? WP_RMAP_M_PLIST6 : WP_RMAP_M_PLIST;
			if (!no)
				rc = want_word(v6 ? e->m_plist6 : e->m_plist,
					       sizeof(e->m_plist), w, n,
					       i + 3, "prefix-list name", err,
					       errlen);
		} else {
			bit = v6 ? WP_RMAP_M_ACL6 : WP_RMAP_M_ACL;
			if (!no)
				rc = want_word(v6 ? e->m_acl6 : e->m_acl,
					       sizeof(e->m_acl), w, n, i + 2,
					       "access-list name", err,
					       errlen);
		}
	} else if (strcmp(a, "interface") == 0) {
		bit = WP_RMAP_M_IFACE;
		if (!no)
			rc = want_word(e->m_iface, sizeof(e->m_iface), w, n,
				       i + 1, "interface name", err, errlen);
	} else if (strcmp(a, "tag") == 0) {
		bit = WP_RMAP_M_TAG;
		if (!no)
			rc = want_u32(w, n, i + 1, "tag", 1, 4294967295UL,
				      &e->m_tag, err, errlen);
	} else if (strcmp(a, "metric") == 0) {
		bit = WP_RMAP_M_METRIC;
		if (!no)
			rc = want_u32(w, n, i + 1, "metric", 0, 4294967295UL,
				      &e->m_metric, err, errlen);
	} else {
		return pol_err(err, errlen, "unknown match clause \"%s\"", a);
	}
	if (rc < 0)
		return -1;
	if (no)
		e->match &= ~bit;
	else
		e->match |= bit;
	return 1;
}

static int
parse_set_metric(struct wp_rmap_entry *e, char **w, int n, int i, char *err,
		 size_t errlen)
{
	const char *s = i < n ? w[i] : "";

	e->s_metric_op = *s == '+' ? WP_RMAP_METRIC_ADD :
			 *s == '-' ? WP_RMAP_METRIC_SUB : WP_RMAP_METRIC_SET;
	if (n != i + 1 ||
	    parse_u32(s + (e->s_metric_op != WP_RMAP_METRIC_SET), 0,
		      4294967295UL, &e->s_metric) < 0)
		return pol_err(err, errlen, "invalid metric \"%s\": expected "
			       "[+|-](0-4294967295)", s);
	return 0;
}

/* set ..., w[i] the word after `set`; `no` clears the clause. */
static int
parse_set(struct wp_rmap_entry *e, bool no, char **w, int i, int n,
	  char *err, size_t errlen)
{
	const char *a = i < n ? w[i] : "";
	unsigned int bit;
	int rc = 0;

	if (strcmp(a, "metric") == 0) {
		bit = WP_RMAP_S_METRIC;
		if (!no)
			rc = parse_set_metric(e, w, n, i + 1, err, errlen);
	} else if (strcmp(a, "metric-type") == 0) {
		bit = WP_RMAP_S_METRIC_TYPE;
		if (no) {
		} else if (n == i + 2 && strcmp(w[i + 1], "type-1") == 0) {
			e->s_metric_type = 1;
		} else if (n == i + 2 && strcmp(w[i + 1], "type-2") == 0) {
			e->s_metric_type = 2;
		} else {
			return pol_err(err, errlen, "invalid metric-type "
				       "\"%s\": type-1 or type-2",
				       i + 1 < n ? w[i + 1] : "");
		}
	} else if (strcmp(a, "tag") == 0) {
		bit = WP_RMAP_S_TAG;
		if (!no)
			rc = want_u32(w, n, i + 1, "tag", 1, 4294967295UL,
				      &e->s_tag, err, errlen);
	} else if (strcmp(a, "ip") == 0 && i + 1 < n &&
		   strcmp(w[i + 1], "next-hop") == 0) {
		bit = WP_RMAP_S_NEXTHOP;
		if (!no)
			rc = want_word(e->s_other[0], sizeof(e->s_other[0]),
				       w, n, i + 2, "next-hop", err, errlen);
	} else if (strcmp(a, "local-preference") == 0) {
		bit = WP_RMAP_S_LOCALPREF;
		if (!no)
			rc = want_word(e->s_other[1], sizeof(e->s_other[1]),
				       w, n, i + 1, "local-preference", err,
				       errlen);
	} else if (strcmp(a, "community") == 0) {
		bit = WP_RMAP_S_COMMUNITY;
		if (!no)
			rc = join_words(e->s_other[2], sizeof(e->s_other[2]),
					w, i + 1, n, err, errlen);
	} else {
		return pol_err(err, errlen, "unknown set clause \"%s\"", a);
	}
	if (rc < 0)
		return -1;
	if (no)
		e->set &= ~bit;
	else
		e->set |= bit;
	return 1;
}

/* A line inside `route-map NAME ACTION SEQ`. */
static int
parse_rmap_line(struct wp_rmap_entry *e, char **w, int n, char *err,
		size_t errlen)
{
	bool no = strcmp(w[0], "no") == 0 && n > 1;
	const char *a = w[no];
	uint32_t v;

	if (strcmp(a, "match") == 0)
		return parse_match(e, no, w, no + 1, n, err, errlen);
	if (strcmp(a, "set") == 0)
		return parse_set(e, no, w, no + 1, n, err, errlen);
	if (strcmp(a, "description") == 0) {
		if (no) {
			e->descr[0] = '\0';
			return 1;
		}
		return join_words(e->descr, sizeof(e->descr), w, 1, n, err,
				  errlen) < 0 ? -1 : 1;
	}
	if (strcmp(a, "call") == 0) {
		if (no) {
			e->call[0] = '\0';
			return 1;
		}
		return want_word(e->call, sizeof(e->call), w, n, 1, "route-map "
				 "name", err, errlen) < 0 ? -1 : 1;
	}
	if (strcmp(a, "on-match") == 0) {
		if (no) {
			e->onmatch = WP_RMAP_EXIT;
		} else if (n == 2 && strcmp(w[1], "next") == 0) {
			e->onmatch = WP_RMAP_NEXT;
		} else if (n >= 2 && strcmp(w[1], "goto") == 0) {
			if (want_u32(w, n, 2, "goto", 1, 65535, &v, err,
				     errlen) < 0)
				return -1;
			/* Backwards would loop: FRR refuses it too. */
			if (v <= e->seq)
				return pol_err(err, errlen, "on-match goto "
					       "\"%s\": must go past this "
					       "entry (%u)", w[2], e->seq);
			e->onmatch = WP_RMAP_GOTO;
			e->goto_seq = (uint16_t)v;
		} else {
			return pol_err(err, errlen, "on-match: expected next "
				       "or goto, not \"%s\"",
				       n > 1 ? w[1] : "");
		}
		return 1;
	}
	return pol_err(err, errlen, "unknown route-map command \"%s\"", a);
}

int
wp_policy_line(struct wp_pol_parser *pp, int indent, char **w, int n,
	       char *err, size_t errlen)
{
	bool no;

	if (n == 0)
		return 0;
	no = strcmp(w[0], "no") == 0 && n > 1;
	if (indent == 0 && n >= 2 + no &&
	    (strcmp(w[no], "ip") == 0 || strcmp(w[no], "ipv6") == 0) &&
	    strcmp(w[no + 1], "prefix-list") == 0) {
		pp->rmap = NULL;
		pp->entry = NULL;
		return parse_flist(pp->set, WP_FLIST_PLIST, no,
				   w[no][2] == 'v' ? AF_INET6 : AF_INET, w,
				   no + 2, n, err, errlen);
	}
	if (indent == 0 && n >= 1 + no &&
	    (strcmp(w[no], "access-list") == 0 ||
	     (n >= 2 + no && strcmp(w[no], "ipv6") == 0 &&
	      strcmp(w[no + 1], "access-list") == 0))) {
		bool v6 = w[no][0] == 'i';

		pp->rmap = NULL;
		pp->entry = NULL;
		return parse_flist(pp->set, WP_FLIST_ACL, no,
				   v6 ? AF_INET6 : AF_INET, w, no + 1 + v6, n,
				   err, errlen);
	}
	if (indent == 0 && strcmp(w[no], "route-map") == 0) {
		pp->rmap = NULL;
		pp->entry = NULL;
		return parse_rmap_head(pp, no, w, n, err, errlen);
	}
	if (pp->entry == NULL)
		return 0;
	if (strcmp(w[0], "exit") == 0 || strcmp(w[0], "quit") == 0) {
		pp->rmap = NULL;
		pp->entry = NULL;
		return 1;
	}
	if (indent == 0 || strcmp(w[0], "end") == 0) {
		pp->rmap = NULL;
		pp->entry = NULL;
		return 0;
	}
	return parse_rmap_line(pp->entry, w, n, err, errlen);
}

/* --- evaluation -------------------------------------------------------- */

/*
 * A prefix list entry matches a route inside its prefix whose length is
 * the prefix's, or within [ge, le]; an access list entry any route inside
 * its prefix, or with exact-match only the prefix itself (as FRR's
 * zebra-style access lists).
 */
static bool
flist_entry_matches(const struct wp_flist *fl, const struct wp_flist_entry *e,
		    const struct wp_prefix *p)
{
	unsigned int lo, hi;

	if (e->any)
		return true;
	if (!wp_prefix_contains(&e->prefix, p))
		return false;
	if (fl->kind == WP_FLIST_ACL)
		return !e->exact || p->len == e->prefix.len;
	lo = e->ge ? e->ge : e->prefix.len;
	hi = e->le ? e->le : e->ge ? wp_family_bits(p->family) : e->prefix.len;
	return p->len >= lo && p->len <= hi;
}

static bool
flist_permits(struct wp_policy *pol, enum wp_flist_kind kind,
	      const char *name, const struct wp_prefix *p)
{
	struct wp_flist *fl = flist_lookup(pol, kind, p->family, name);

	if (fl == NULL)
		return false;
	fl->lookups++;
	for (unsigned int i = 0; i < fl->n; i++)
		if (flist_entry_matches(fl, &fl->v[i], p)) {
			fl->v[i].hits++;
			return fl->v[i].permit;
		}
	return false;		/* implicit deny */
}

bool
wp_acl_permits(struct wp_policy *pol, const char *name,
	       const struct wp_prefix *p)
{
	return flist_permits(pol, WP_FLIST_ACL, name, p);
}

bool
wp_plist_permits(struct wp_policy *pol, const char *name,
		 const struct wp_prefix *p)
{
	return flist_permits(pol, WP_FLIST_PLIST, name, p);
}

static bool
rmap_entry_matches(struct wp_policy *pol, const struct wp_rmap_entry *e,
		   const struct wp_rmap_route *r)
{
	unsigned int m = e->match;

	if ((m & WP_RMAP_M_PLIST) && (r->prefix->family != AF_INET ||
	    !wp_plist_permits(pol, e->m_plist, r->prefix)))
		return false;
	if ((m & WP_RMAP_M_PLIST6) && (r->prefix->family != AF_INET6 ||
	    !wp_plist_permits(pol, e->m_plist6, r->prefix)))
		return false;
	if ((m & WP_RMAP_M_ACL) && (r->prefix->family != AF_INET ||
	    !wp_acl_permits(pol, e->m_acl, r->prefix)))
		return false;
	if ((m & WP_RMAP_M_ACL6) && (r->prefix->family != AF_INET6 ||
	    !wp_acl_permits(pol, e->m_acl6, r->prefix)))
		return false;
	if ((m & WP_RMAP_M_IFACE) &&
	    (r->ifname == NULL || strcmp(r->ifname, e->m_iface) != 0))
		return false;
	if ((m & WP_RMAP_M_TAG) && r->tag != e->m_tag)
		return false;
	if ((m & WP_RMAP_M_METRIC) && r->metric != e->m_metric)
		return false;
	return true;
}

static void
rmap_entry_set(const struct wp_rmap_entry *e, struct wp_rmap_out *o)
{
	if (e->set & WP_RMAP_S_METRIC) {
		switch (e->s_metric_op) {
		case WP_RMAP_METRIC_SET:
			o->metric = e->s_metric;
			break;
		case WP_RMAP_METRIC_ADD:
			o->metric = o->metric > UINT32_MAX - e->s_metric ?
				    UINT32_MAX : o->metric + e->s_metric;
			break;
		case WP_RMAP_METRIC_SUB:
			o->metric = o->metric < e->s_metric ? 0 :
				    o->metric - e->s_metric;
			break;
		}
	}
	if (e->set & WP_RMAP_S_METRIC_TYPE)
		o->metric_type = e->s_metric_type;
	if (e->set & WP_RMAP_S_TAG)
		o->tag = e->s_tag;
}

static bool
rmap_run(struct wp_policy *pol, struct wp_rmap *rm,
	 const struct wp_rmap_route *r, struct wp_rmap_out *o, int depth)
{
	bool permitted = false;
	unsigned int i = 0;

	rm->invoked++;
	while (i < rm->n) {
		struct wp_rmap_entry *e = &rm->v[i];

		if (!rmap_entry_matches(pol, e, r)) {
			i++;
			continue;
		}
		e->hits++;
		if (!e->permit)
			return false;
		rmap_entry_set(e, o);
		if (e->call[0]) {
			struct wp_rmap *callee = rmap_lookup(pol, e->call);

			if (callee == NULL || depth >= WP_RMAP_CALL_DEPTH ||
			    !rmap_run(pol, callee, r, o, depth + 1))
				return false;
		}
		permitted = true;
		if (e->onmatch == WP_RMAP_EXIT)
			return true;
		if (e->onmatch == WP_RMAP_NEXT) {
			i++;
			continue;
		}
		while (i < rm->n && rm->v[i].seq < e->goto_seq)
			i++;
	}
	return permitted;
}

bool
wp_rmap_apply(struct wp_policy *pol, const char *name,
	      const struct wp_rmap_route *r, struct wp_rmap_out *out)
{
	struct wp_rmap *rm = rmap_lookup(pol, name);

	return rm != NULL && rmap_run(pol, rm, r, out, 0);
}

/* --- show -------------------------------------------------------------- */

/*
 * `show ip prefix-list json` and `show ip access-list json`: one object
 * per list; the keys of each kind are FRR's.
 */
static json_object *
flist_json(const struct wp_policy *pol, enum wp_flist_kind kind, int family,
	   const char *name)
{
	bool acl = kind == WP_FLIST_ACL;
	json_object *top = json_object_new_object();
	char buf[WP_PREFIX_STRLEN];

	for (unsigned int i = 0; pol && i < pol->n_flists; i++) {
		const struct wp_flist *fl = &pol->flists[i];
		json_object *o, *arr;

		if (fl->kind != kind || fl->family != family ||
		    (name && strcmp(name, fl->name)))
			continue;
		o = wp_json_add_object(top, fl->name);
		wp_json_add_str(o, "addressFamily",
				family == AF_INET ? "ipv4" : "ipv6");
		if (fl->descr[0])
			wp_json_add_str(o, "description", fl->descr);
		wp_json_add_int(o, "count", fl->n);
		wp_json_add_uint64(o, "lookups", fl->lookups);
		arr = wp_json_add_array(o, acl ? "rules" : "entries");
		for (unsigned int k = 0; k < fl->n; k++) {
			const struct wp_flist_entry *e = &fl->v[k];
			json_object *eo = wp_json_array_add_object(arr);

			wp_json_add_int(eo, "sequenceNumber", e->seq);
			wp_json_add_str(eo, acl ? "filterType" : "type",
					e->permit ? "permit" : "deny");
			wp_json_add_str(eo, "prefix", e->any ? "any" :
					wp_prefix_fmt(&e->prefix, buf,
						      sizeof(buf)));
			if (acl)
				json_object_object_add(eo, "exactMatch",
					json_object_new_boolean(e->exact));
			if (e->ge)
				wp_json_add_int(eo, "greaterEqual", e->ge);
			if (e->le)
				wp_json_add_int(eo, "lessEqual", e->le);
			wp_json_add_uint64(eo, "hitCount", e->hits);
		}
	}
	return top;
}

json_object *
wp_plist_json(const struct wp_policy *pol, int family, const char *name)
{
	return flist_json(pol, WP_FLIST_PLIST, family, name);
}

json_object *
wp_acl_json(const struct wp_policy *pol, int family, const char *name)
{
	return flist_json(pol, WP_FLIST_ACL, family, name);
}

static void
add_strf(json_object *arr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
add_strf(json_object *arr, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_array_add(arr, json_object_new_string(buf));
}

static void
rmap_entry_json(const struct wp_rmap_entry *e, json_object *o)
{
	static const char *const op[] = { "", "+", "-" };
	json_object *m, *s;

	wp_json_add_int(o, "sequenceNumber", e->seq);
	wp_json_add_str(o, "type", e->permit ? "permit" : "deny");
	if (e->descr[0])
		wp_json_add_str(o, "description", e->descr);
	wp_json_add_uint64(o, "invoked", e->hits);
	m = wp_json_add_array(o, "matchClauses");
	if (e->match & WP_RMAP_M_PLIST)
		add_strf(m, "ip address prefix-list %s", e->m_plist);
	if (e->match & WP_RMAP_M_PLIST6)
		add_strf(m, "ipv6 address prefix-list %s", e->m_plist6);
	if (e->match & WP_RMAP_M_ACL)
		add_strf(m, "ip address %s", e->m_acl);
	if (e->match & WP_RMAP_M_ACL6)
		add_strf(m, "ipv6 address %s", e->m_acl6);
	if (e->match & WP_RMAP_M_IFACE)
		add_strf(m, "interface %s", e->m_iface);
	if (e->match & WP_RMAP_M_TAG)
		add_strf(m, "tag %u", e->m_tag);
	if (e->match & WP_RMAP_M_METRIC)
		add_strf(m, "metric %u", e->m_metric);
	s = wp_json_add_array(o, "setClauses");
	if (e->set & WP_RMAP_S_METRIC)
		add_strf(s, "metric %s%u", op[e->s_metric_op], e->s_metric);
	if (e->set & WP_RMAP_S_METRIC_TYPE)
		add_strf(s, "metric-type type-%u", e->s_metric_type);
	if (e->set & WP_RMAP_S_TAG)
		add_strf(s, "tag %u", e->s_tag);
	if (e->set & WP_RMAP_S_NEXTHOP)
		add_strf(s, "ip next-hop %s", e->s_other[0]);
	if (e->set & WP_RMAP_S_LOCALPREF)
		add_strf(s, "local-preference %s", e->s_other[1]);
	if (e->set & WP_RMAP_S_COMMUNITY)
		add_strf(s, "community %s", e->s_other[2]);
	if (e->call[0])
		wp_json_add_str(o, "callClause", e->call);
	if (e->onmatch == WP_RMAP_NEXT)
		wp_json_add_str(o, "action", "Next");
	else if (e->onmatch == WP_RMAP_GOTO)
		wp_json_add_strf(o, "action", "Goto %u", e->goto_seq);
	else
		wp_json_add_str(o, "action", "Exit routemap");
}

json_object *
wp_rmap_json(const struct wp_policy *pol, const char *name)
{
	json_object *top = json_object_new_object();

	for (unsigned int i = 0; pol && i < pol->n_rmaps; i++) {
		const struct wp_rmap *rm = &pol->rmaps[i];
		json_object *o, *arr;

		if (name && strcmp(name, rm->name))
			continue;
		o = wp_json_add_object(top, rm->name);
		wp_json_add_uint64(o, "invoked", rm->invoked);
		arr = wp_json_add_array(o, "rules");
		for (unsigned int k = 0; k < rm->n; k++)
			rmap_entry_json(&rm->v[k], wp_json_array_add_object(arr));
	}
	return top;
}

static void
buf_addf(char **s, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
buf_addf(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	*s = wp_realloc(MT_STRING, *s, *len + (size_t)k + 1);
	va_start(ap, fmt);
	vsnprintf(*s + *len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	*len += (size_t)k;
}

static const char *
jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_string(v) : NULL;
}

static int64_t
jint(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_int64(v) : 0;
}

char *
wp_plist_text(json_object *top, int family)
{
	char *s = wp_strdup(MT_STRING, "");
	size_t len = 0;

	json_object_object_foreach(top, name, o) {
		json_object *arr;

		buf_addf(&s, &len, "%s prefix-list %s: %lld entries\n",
			 family == AF_INET ? "ip" : "ipv6", name,
			 (long long)jint(o, "count"));
		if (jstr(o, "description"))
			buf_addf(&s, &len, "   Description: %s\n",
				 jstr(o, "description"));
		json_object_object_get_ex(o, "entries", &arr);
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *e = json_object_array_get_idx(arr, i);

			buf_addf(&s, &len, "   seq %lld %s %s",
				 (long long)jint(e, "sequenceNumber"),
				 jstr(e, "type"), jstr(e, "prefix"));
			if (jint(e, "greaterEqual"))
				buf_addf(&s, &len, " ge %lld",
					 (long long)jint(e, "greaterEqual"));
			if (jint(e, "lessEqual"))
				buf_addf(&s, &len, " le %lld",
					 (long long)jint(e, "lessEqual"));
			buf_addf(&s, &len, " (hit count: %lld)\n",
				 (long long)jint(e, "hitCount"));
		}
	}
	return s;
}

char *
wp_acl_text(json_object *top, int family)
{
	char *s = wp_strdup(MT_STRING, "");
	size_t len = 0;

	json_object_object_foreach(top, name, o) {
		json_object *arr, *x;

		buf_addf(&s, &len, "%s access list %s\n",
			 family == AF_INET ? "IP" : "IPv6", name);
		json_object_object_get_ex(o, "rules", &arr);
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *e = json_object_array_get_idx(arr, i);

			buf_addf(&s, &len, "    seq %lld %s %s%s (hit count: "
				 "%lld)\n", (long long)jint(e, "sequenceNumber"),
				 jstr(e, "filterType"), jstr(e, "prefix"),
				 json_object_object_get_ex(e, "exactMatch",
							   &x) &&
				 json_object_get_boolean(x) ?
				 " exact-match" : "",
				 (long long)jint(e, "hitCount"));
		}
	}
	return s;
}

static void
clauses_text(char **s, size_t *len, json_object *e, const char *key,
	     const char *title)
{
	json_object *arr;

	buf_addf(s, len, "  %s:\n", title);
	if (!json_object_object_get_ex(e, key, &arr))
		return;
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		buf_addf(s, len, "    %s\n", json_object_get_string(
				 json_object_array_get_idx(arr, i)));
}

char *
wp_rmap_text(json_object *top)
{
	char *s = wp_strdup(MT_STRING, "");
	size_t len = 0;

	json_object_object_foreach(top, name, o) {
		json_object *arr;

		buf_addf(&s, &len, "route-map: %s Invoked: %lld\n", name,
			 (long long)jint(o, "invoked"));
		json_object_object_get_ex(o, "rules", &arr);
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			json_object *e = json_object_array_get_idx(arr, i);

			buf_addf(&s, &len, " %s, sequence %lld Invoked %lld\n",
				 jstr(e, "type"),
				 (long long)jint(e, "sequenceNumber"),
				 (long long)jint(e, "invoked"));
			if (jstr(e, "description"))
				buf_addf(&s, &len, "  Description:\n    %s\n",
					 jstr(e, "description"));
			clauses_text(&s, &len, e, "matchClauses",
				     "Match clauses");
			clauses_text(&s, &len, e, "setClauses", "Set clauses");
			buf_addf(&s, &len, "  Call clause:\n");
			if (jstr(e, "callClause"))
				buf_addf(&s, &len, "    Call %s\n",
					 jstr(e, "callClause"));
			buf_addf(&s, &len, "  Action:\n    %s\n",
				 jstr(e, "action"));
		}
	}
	return s;
}

/* One policy source per process: the daemon's, set at install. */
static struct {
	struct wp_policy *(*get)(void *arg);
	void *arg;
} show_src;

/* Print `top` as JSON, or `text` (freed) rendered from it. */
static int
show_end(struct wp_vty_cmd_ctx *ctx, json_object *top, char *text, bool json)
{
	if (json) {
		wp_vty_json(ctx, top);
	} else {
		wp_vty_puts(ctx, text);
		json_object_put(top);
	}
	wp_free(MT_STRING, text);
	return WP_VTY_OK;
}

/* show (ip|ipv6) (prefix-list|access-list) [NAME] [json] */
static int
show_flist(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	   bool json)
{
	int family = strcmp(argv[1], "ipv6") == 0 ? AF_INET6 : AF_INET;
	bool acl = strcmp(argv[2], "access-list") == 0;
	const char *name = wp_vty_arg(ctx, "NAME");
	struct wp_policy *pol = show_src.get(show_src.arg);
	json_object *top;
	char *text = NULL;

	(void)argc;
	top = acl ? wp_acl_json(pol, family, name) :
		    wp_plist_json(pol, family, name);
	if (!json)
		text = acl ? wp_acl_text(top, family) :
			     wp_plist_text(top, family);
	return show_end(ctx, top, text, json);
}

static int
show_rmap(struct wp_vty_cmd_ctx *ctx, int argc, const char *argv[],
	  bool json)
{
	json_object *top;

	(void)argc;
	(void)argv;
	top = wp_rmap_json(show_src.get(show_src.arg),
			   wp_vty_arg(ctx, "NAME"));
	return show_end(ctx, top, json ? NULL : wp_rmap_text(top), json);
}

int
wp_policy_show_install(struct wp_vty *vty,
		       struct wp_policy *(*get)(void *arg), void *arg)
{
#define PL_HELP(af)	WP_SHOW_STR af " information\nPrefix lists\n"
#define AL_HELP(af)	WP_SHOW_STR af " information\nAccess lists\n"
#define NAME_HELP	"Name of the list or map\n"
	static const struct {
		const char *tmpl, *help;
		wp_vty_handler fn;
	} cmds[] = {
		{ "show ip prefix-list [json]",
		  PL_HELP("IP") WP_JSON_STR, show_flist },
		{ "show ip prefix-list NAME [json]",
		  PL_HELP("IP") NAME_HELP WP_JSON_STR, show_flist },
		{ "show ipv6 prefix-list [json]",
		  PL_HELP("IPv6") WP_JSON_STR, show_flist },
		{ "show ipv6 prefix-list NAME [json]",
		  PL_HELP("IPv6") NAME_HELP WP_JSON_STR, show_flist },
		{ "show ip access-list [json]",
		  AL_HELP("IP") WP_JSON_STR, show_flist },
		{ "show ip access-list NAME [json]",
		  AL_HELP("IP") NAME_HELP WP_JSON_STR, show_flist },
		{ "show ipv6 access-list [json]",
		  AL_HELP("IPv6") WP_JSON_STR, show_flist },
		{ "show ipv6 access-list NAME [json]",
		  AL_HELP("IPv6") NAME_HELP WP_JSON_STR, show_flist },
		{ "show route-map [json]",
		  WP_SHOW_STR "Route maps\n" WP_JSON_STR, show_rmap },
		{ "show route-map NAME [json]",
		  WP_SHOW_STR "Route maps\n" NAME_HELP WP_JSON_STR,
		  show_rmap },
	};

	show_src.get = get;
	show_src.arg = arg;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (wp_vty_install(vty, cmds[i].tmpl, cmds[i].help,
				   cmds[i].fn) < 0)
			return -1;
	return 0;
#undef PL_HELP
#undef AL_HELP
#undef NAME_HELP
}
