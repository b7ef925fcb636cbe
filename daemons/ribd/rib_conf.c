/*
 * rib_conf.c: parse ribd's part of an FRR-syntax configuration and apply
 * it.  Grammar accepted (as FRR's zebra/staticd):
 *
 *   interface IFNAME
 *    description TEXT
 *    ip address A.B.C.D/M          ipv6 address X:X::X:X/M
 *    mtu (68-65535)
 *    [no] shutdown                 [no] link-detect
 *   ip route PREFIX NEXTHOP [IFNAME] [DISTANCE] [tag TAG] [onlink] [BFD]
 *   ipv6 route PREFIX NEXTHOP [IFNAME] [DISTANCE] [tag TAG] [onlink] [BFD]
 *      BFD: bfd [multihop] [source ADDR] [profile NAME] (rib_bfd.c)
 *      PREFIX: A.B.C.D/M or A.B.C.D MASK; NEXTHOP: an address, an
 *      interface name, blackhole, Null0 or reject
 *   vrf NAME                       the static routes of VRF NAME (its vrf
 *    ip route ...  ipv6 route ...  device): pending while the device is
 *   exit-vrf                       missing
 *   ip nht resolve-via-default
 *   maximum-paths (1-64)
 *   rib graceful-restart-time (0-3600)   seconds a restarted ribd keeps
 *                                        routes its predecessor installed
 *   rib audit-interval (0-86400)         seconds between RIB/kernel audits
 *   [no] rib nexthop-objects             kernel nexthop objects (default on
 *                                        where the kernel has them)
 *
 * Everything else belongs to another daemon and is skipped, including the
 * indented lines of its stanzas.  An error names the file, the line and
 * the offending word; the line is ignored and the rest still applies.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rib_conf.h"
#include "wp_log.h"

WP_MEMTYPE_DEFINE(MT_RIB_CONF, "ribd configuration");

#define MAX_WORDS	32

struct parser {
	struct rib_conf *c;
	const char *fname;
	unsigned int line;
	struct rib_iface_conf *iface;	/* in `interface` mode */
	bool in_vrf;			/* in `vrf NAME` mode */
	uint8_t vrf;			/* its index in c->vrfs */
	bool foreign;			/* inside another daemon's stanza */
};

static void __attribute__((format(printf, 2, 3)))
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wp_log_warnx("%s:%u: %s", ps->fname, ps->line, msg);
	if (ps->c->n_errors++ == 0)
		snprintf(ps->c->first_error, sizeof(ps->c->first_error),
			 "%s:%u: %s", ps->fname, ps->line, msg);
}

static int
parse_uint(const char *s, unsigned long min, unsigned long max,
	   unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static bool
is_addr(const char *s, int family, struct wp_addr *a)
{
	char err[WP_PREFIX_ERRLEN];

	if (wp_addr_parse(s, a, err, sizeof(err)) < 0)
		return false;
	return a->family == family;
}

/* A.B.C.D/M, or "A.B.C.D MASK" (consumes the mask word). */
static int
parse_route_prefix(struct parser *ps, int family, char **w, int n, int *i,
		   struct wp_prefix *p)
{
	char err[WP_PREFIX_ERRLEN], buf[64];

	if (*i >= n) {
		perr(ps, "incomplete command: prefix expected");
		return -1;
	}
	if (family == AF_INET && !strchr(w[*i], '/') && *i + 1 < n) {
		struct wp_addr m;
		uint32_t mask;
		int len = 0;

		if (!is_addr(w[*i + 1], AF_INET, &m)) {
			perr(ps, "invalid mask \"%s\"", w[*i + 1]);
			return -1;
		}
		mask = ntohl(m.u.v4.s_addr);
		while (len < 32 && (mask & (0x80000000u >> len)))
			len++;
		if (len < 32 && (mask << len) != 0) {
			perr(ps, "invalid mask \"%s\": not contiguous", w[*i + 1]);
			return -1;
		}
		snprintf(buf, sizeof(buf), "%s/%d", w[*i], len);
		(*i)++;
	} else {
		snprintf(buf, sizeof(buf), "%s", w[*i]);
	}
	if (wp_prefix_parse_flags(buf, p, family == AF_INET ?
				  WP_PREFIX_INET_ONLY : WP_PREFIX_INET6_ONLY,
				  err, sizeof(err)) < 0) {
		perr(ps, "invalid prefix \"%s\": %s", w[*i], err);
		return -1;
	}
	(*i)++;
	return 0;
}

static void
conf_index_free(struct rib_conf *c)
{
	for (int i = 0; i < 2; i++)
		if (c->sidx[i]) {
			wp_trie_free(c->sidx[i], NULL);
			c->sidx[i] = NULL;
		}
	wp_free(MT_RIB_CONF, c->snext);
	c->snext = NULL;
}

static void
conf_index_add(struct rib_conf *c, unsigned int i)
{
	struct wp_trie **t = &c->sidx[c->statics[i].p.family == AF_INET6];
	void *head = NULL;

	if (*t == NULL)
		*t = wp_trie_new(c->statics[i].p.family);
	wp_trie_insert(*t, &c->statics[i].p, (void *)(uintptr_t)(i + 1),
		       &head);
	c->snext[i] = (unsigned int)(uintptr_t)head;
}

/* Index the statics if that was freed (a live configuration). */
static void
conf_index_build(struct rib_conf *c)
{
	size_t cap = 8;

	if (c->snext || c->n_statics == 0)
		return;
	while (cap < c->n_statics)
		cap *= 2;
	c->snext = wp_calloc(MT_RIB_CONF, cap * sizeof(*c->snext));
	for (unsigned int i = 0; i < c->n_statics; i++)
		conf_index_add(c, i);
}

int
rib_conf_vrf(struct rib_conf *c, const char *name)
{
	if (c->vrfs == NULL) {
		c->vrfs = wp_calloc(MT_RIB_CONF,
				    RIB_CONF_MAX_VRFS * sizeof(*c->vrfs));
		c->n_vrfs = 1;		/* [0]: the default */
	}
	for (unsigned int i = 1; i < c->n_vrfs; i++)
		if (strcmp(c->vrfs[i], name) == 0)
			return (int)i;
	if (c->n_vrfs == RIB_CONF_MAX_VRFS)
		return -1;
	snprintf(c->vrfs[c->n_vrfs], sizeof(c->vrfs[0]), "%s", name);
	return (int)c->n_vrfs++;
}

/* The static with this prefix, VRF and distance, or NULL (indexed:
 * O(log n)). */
static struct rib_static *
static_find(struct rib_conf *c, const struct wp_prefix *p, uint8_t vrf,
	    uint8_t distance)
{
	uintptr_t i;

	if (c == NULL)
		return NULL;
	conf_index_build(c);
	if (c->sidx[p->family == AF_INET6] == NULL)
		return NULL;
	i = (uintptr_t)wp_trie_lookup_exact(c->sidx[p->family == AF_INET6], p);
	for (; i; i = c->snext[i - 1])
		if (c->statics[i - 1].distance == distance &&
		    c->statics[i - 1].vrf == vrf)
			return &c->statics[i - 1];
	return NULL;
}

static bool
static_nh_same(const struct rib_static_nh *a, const struct rib_static_nh *b)
{
	return a->type == b->type && strcmp(a->ifname, b->ifname) == 0 &&
	       memcmp(&a->gw, &b->gw, sizeof(a->gw)) == 0;
}

/*
 * Add `s` (one nexthop, s->one) to `c`: a new static route, or one more
 * ECMP nexthop of the route with the same prefix and distance.  -1 when
 * that route has RIB_KERNEL_MAX_NH nexthops already.
 */
int
rib_conf_static_add(struct rib_conf *c, const struct rib_static *s)
{
	struct rib_static *o = static_find(c, &s->p, s->vrf, s->distance);

	/* Same prefix and distance: one more ECMP nexthop. */
	if (o) {
		struct rib_static_nh *have = o->n_nh > 1 ? o->nh : &o->one;

		/* The same gateway and interface again is that nexthop, its
		 * options (onlink, bfd) from the later line: a nexthop's key
		 * in waypoint-routing, so mgmtd's configuration says the
		 * same. */
		for (unsigned int j = 0; j < o->n_nh; j++)
			if (static_nh_same(&have[j], &s->one)) {
				have[j] = s->one;
				return 0;
			}
		if (o->n_nh == RIB_KERNEL_MAX_NH)
			return -1;
		if (o->n_nh == 1) {
			struct rib_static_nh *a;

			a = wp_malloc(MT_RIB_CONF, 2 * sizeof(*a));
			a[0] = o->one;
			o->nh = a;
		} else {
			o->nh = wp_realloc(MT_RIB_CONF, o->nh,
					   (o->n_nh + 1) * sizeof(*o->nh));
		}
		o->nh[o->n_nh++] = s->one;
		if (s->tag)
			o->tag = s->tag;
		return 0;
	}
	/* Grow geometrically: large configs have 100k+ routes. */
	if ((c->n_statics & (c->n_statics - 1)) == 0) {
		size_t cap = c->n_statics ? c->n_statics * 2 : 8;

		c->statics = wp_realloc(MT_RIB_CONF, c->statics,
					cap * sizeof(*c->statics));
		c->snext = wp_realloc(MT_RIB_CONF, c->snext,
				      cap * sizeof(*c->snext));
	}
	c->statics[c->n_statics] = *s;
	c->statics[c->n_statics].n_nh = 1;
	conf_index_add(c, c->n_statics);
	c->n_statics++;
	return 0;
}

static struct rib_route *static_to_route(struct ribd *rib,
					 const struct rib_static *s);

/* Only the RIB needs it: no interface to wait for, no session to follow. */
static bool
static_nh_streamable(const struct rib_static_nh *sn)
{
	return sn->ifname[0] == '\0' && !sn->bfd;
}

/* The route a static of this pass already streamed for (p, distance). */
static struct rib_route *
streamed_route(const struct rib_conf *c, const struct wp_prefix *p,
	       uint8_t distance)
{
	struct rib_dest *d = rib_dest_lookup(c->rib, p);
	struct rib_route *rt = d ? rib_route_find(d, RIB_SRC_STATIC,
						  distance) : NULL;

	return rt && !rt->client && rt->conf_gen == c->gen ? rt : NULL;
}

/* What a streamed route's nexthop was configured as. */
static void
static_nh_of(const struct rib_nh *nh, struct rib_static_nh *sn)
{
	memset(sn, 0, sizeof(*sn));
	sn->gw = nh->gw;
	sn->type = nh->type;
	sn->onlink = nh->onlink;
}

/*
 * Put `s` (one nexthop) straight into the RIB, one more ECMP nexthop of
 * the route this pass made for the same prefix and distance if there is
 * one (rebuilt: the nexthops live in the route's allocation), or into
 * `statics` if it, or a static already there for the prefix and
 * distance, needs more than the RIB.  Same results as
 * rib_conf_static_add() followed by rib_conf_apply().
 */
static int
static_stream(struct rib_conf *c, const struct rib_static *s)
{
	struct rib_route *rt;
	struct rib_static_nh *nhs;
	struct rib_static m;
	unsigned int n = 0;
	bool found = false;
	int ret = 0;

	/* A VRF's statics wait for its device: kept, never streamed. */
	if (s->vrf || static_find(c, &s->p, 0, s->distance))
		return rib_conf_static_add(c, s);
	rt = streamed_route(c, &s->p, s->distance);
	if (!static_nh_streamable(&s->one)) {
		/* Kept: the nexthops streamed so far for it go to `statics`
		 * too (the route is replaced when the pass applies them). */
		if (rt) {
			m = *s;
			m.tag = rt->tag;
			for (unsigned int i = 0; i < rt->n_nh; i++) {
				static_nh_of(&rt->nh[i], &m.one);
				rib_conf_static_add(c, &m);
			}
			c->n_streamed--;
		}
		return rib_conf_static_add(c, s);
	}
	if (rt == NULL) {
		rib_route_add(c->rib, &s->p, static_to_route(c->rib, s));
		c->n_streamed++;
		return 0;
	}
	/* One more nexthop, or the same one again with the later line's
	 * options (as rib_conf_static_add()). */
	nhs = wp_calloc(MT_TMP, (rt->n_nh + 1u) * sizeof(*nhs));
	for (unsigned int i = 0; i < rt->n_nh; i++, n++) {
		static_nh_of(&rt->nh[i], &nhs[n]);
		if (static_nh_same(&nhs[n], &s->one)) {
			nhs[n] = s->one;
			found = true;
		}
	}
	if (!found && n == RIB_KERNEL_MAX_NH) {
		ret = -1;
		goto out;
	}
	if (!found)
		nhs[n++] = s->one;
	m = *s;
	m.tag = s->tag ? s->tag : rt->tag;
	m.n_nh = (uint8_t)n;
	if (n > 1)
		m.nh = nhs;
	else
		m.one = nhs[0];
	rib_route_add(c->rib, &s->p, static_to_route(c->rib, &m));
out:
	wp_free(MT_TMP, nhs);
	return ret;
}

static void
static_add(struct parser *ps, const struct rib_static *s)
{
	struct rib_conf *c = ps->c;

	if ((c->rib ? static_stream(c, s) : rib_conf_static_add(c, s)) == -1)
		perr(ps, "too many nexthops (at most %d)", RIB_KERNEL_MAX_NH);
}

const struct rib_static_bfd *
rib_static_bfd_intern(const struct rib_static_bfd *o)
{
	/* Plain malloc: interned for the process's life, a handful of
	 * records, not a leak to report at exit. */
	static struct interned {
		struct interned *next;
		struct rib_static_bfd o;
	} *all;
	struct rib_static_bfd key;
	struct interned *e;

	memset(&key, 0, sizeof(key));
	key.multihop = o->multihop;
	key.source = o->source;
	snprintf(key.profile, sizeof(key.profile), "%s", o->profile);
	if (!key.multihop && key.source.family == 0 && !key.profile[0])
		return NULL;
	for (e = all; e; e = e->next)
		if (memcmp(&e->o, &key, sizeof(key)) == 0)
			return &e->o;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		wp_fatalx("out of memory");
	e->o = key;
	e->next = all;
	all = e;
	return &e->o;
}

/* After `bfd`: multihop, source ADDR, profile NAME (consumes values). */
static int
parse_bfd_word(struct parser *ps, int family, char **w, int n, int *i,
	       struct rib_static_bfd *o)
{
	const char *kw = w[*i], *val = *i + 1 < n ? w[*i + 1] : "";

	if (strcmp(kw, "multihop") == 0) {
		o->multihop = true;
		return 0;
	}
	if (*i + 1 >= n) {
		perr(ps, "incomplete command: a value expected after %s", kw);
		return -1;
	}
	(*i)++;
	if (strcmp(kw, "source") == 0) {
		if (!is_addr(val, family, &o->source)) {
			perr(ps, "invalid source \"%s\": expected an IPv%d "
			     "address", val, family == AF_INET ? 4 : 6);
			return -1;
		}
		return 0;
	}
	if (strlen(val) >= sizeof(o->profile)) {
		perr(ps, "invalid profile \"%s\": longer than %zu characters",
		     val, sizeof(o->profile) - 1);
		return -1;
	}
	snprintf(o->profile, sizeof(o->profile), "%s", val);
	return 0;
}

static void
parse_static(struct parser *ps, int family, char **w, int n)
{
	struct rib_static s;
	struct rib_static_nh *nh = &s.one;
	struct rib_static_bfd bo;
	unsigned long v;
	int i = 2;

	memset(&s, 0, sizeof(s));
	memset(&bo, 0, sizeof(bo));
	s.vrf = ps->in_vrf ? ps->vrf : 0;
	s.distance = rib_sources[RIB_SRC_STATIC].distance;
	s.n_nh = 1;
	if (parse_route_prefix(ps, family, w, n, &i, &s.p) < 0)
		return;
	if (i >= n) {
		perr(ps, "incomplete command: nexthop expected after %s", w[i - 1]);
		return;
	}
	if (strcasecmp(w[i], "blackhole") == 0 || strcasecmp(w[i], "Null0") == 0)
		nh->type = RIB_NH_BLACKHOLE;
	else if (strcasecmp(w[i], "reject") == 0)
		nh->type = RIB_NH_UNREACHABLE;
	else if (is_addr(w[i], family, &nh->gw))
		nh->type = RIB_NH_GW;
	else if (strchr(w[i], '.') && isdigit((unsigned char)w[i][0]) &&
		 family == AF_INET) {
		perr(ps, "invalid nexthop \"%s\"", w[i]);
		return;
	} else if (strchr(w[i], ':') && family == AF_INET6) {
		perr(ps, "invalid nexthop \"%s\"", w[i]);
		return;
	} else if (strlen(w[i]) >= IF_NAMESIZE) {
		perr(ps, "invalid nexthop \"%s\": interface name too long", w[i]);
		return;
	} else {
		nh->type = RIB_NH_IFINDEX;
		snprintf(nh->ifname, sizeof(nh->ifname), "%s", w[i]);
	}
	i++;
	/* Optional words, in any order as FRR accepts them. */
	for (; i < n; i++) {
		if (strcmp(w[i], "tag") == 0) {
			if (i + 1 >= n || parse_uint(w[i + 1], 1, 4294967295ul,
						     &v) < 0) {
				perr(ps, "invalid tag \"%s\": expected "
				     "(1-4294967295)", i + 1 < n ? w[i + 1] : "");
				return;
			}
			s.tag = (uint32_t)v;
			i++;
		} else if (strcmp(w[i], "onlink") == 0) {
			nh->onlink = true;
		} else if (strcmp(w[i], "bfd") == 0) {
			nh->bfd = true;
		} else if (nh->bfd && (strcmp(w[i], "multihop") == 0 ||
				       strcmp(w[i], "source") == 0 ||
				       strcmp(w[i], "profile") == 0)) {
			if (parse_bfd_word(ps, family, w, n, &i, &bo) < 0)
				return;
		} else if (isdigit((unsigned char)w[i][0])) {
			if (parse_uint(w[i], 1, 255, &v) < 0) {
				perr(ps, "invalid distance \"%s\": expected "
				     "(1-255)", w[i]);
				return;
			}
			s.distance = (uint8_t)v;
		} else if (nh->type == RIB_NH_GW && nh->ifname[0] == '\0' &&
			   strlen(w[i]) < IF_NAMESIZE) {
			snprintf(nh->ifname, sizeof(nh->ifname), "%s", w[i]);
			nh->type = RIB_NH_GW_IF;
		} else {
			perr(ps, "unknown word \"%s\"", w[i]);
			return;
		}
	}
	nh->bfdo = rib_static_bfd_intern(&bo);
	if (nh->onlink && nh->type != RIB_NH_GW_IF) {
		perr(ps, "onlink needs a gateway and an interface");
		return;
	}
	if (nh->bfd && nh->type != RIB_NH_GW && nh->type != RIB_NH_GW_IF) {
		perr(ps, "bfd needs a gateway address");
		return;
	}
	if (nh->bfdo && nh->bfdo->multihop && nh->bfdo->source.family == 0) {
		perr(ps, "bfd multihop needs a source address");
		return;
	}
	static_add(ps, &s);
}

struct rib_iface_conf *
rib_conf_iface_get(struct rib_conf *c, const char *name)
{
	for (unsigned int i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	c->ifaces = wp_realloc(MT_RIB_CONF, c->ifaces,
			       (c->n_ifaces + 1) * sizeof(*c->ifaces));
	memset(&c->ifaces[c->n_ifaces], 0, sizeof(c->ifaces[0]));
	snprintf(c->ifaces[c->n_ifaces].name, IF_NAMESIZE, "%s", name);
	return &c->ifaces[c->n_ifaces++];
}

static void
parse_iface_line(struct parser *ps, char **w, int n)
{
	struct rib_iface_conf *ic = ps->iface;
	bool no = strcmp(w[0], "no") == 0;
	char err[WP_PREFIX_ERRLEN];
	unsigned long v;

	if (no) {
		w++;
		n--;
		if (n == 0)
			return;
	}
	if (strcmp(w[0], "description") == 0) {
		ic->description[0] = '\0';
		for (int i = 1; i < n && !no; i++) {
			if (i > 1)
				strncat(ic->description, " ",
					sizeof(ic->description) -
					strlen(ic->description) - 1);
			strncat(ic->description, w[i], sizeof(ic->description) -
				strlen(ic->description) - 1);
		}
	} else if ((strcmp(w[0], "ip") == 0 || strcmp(w[0], "ipv6") == 0) &&
		   n >= 2 && strcmp(w[1], "address") == 0) {
		struct wp_prefix p;
		int fam = w[0][2] == '\0' ? AF_INET : AF_INET6;

		if (n < 3) {
			perr(ps, "incomplete command: address expected");
			return;
		}
		if (wp_prefix_parse_flags(w[2], &p, WP_PREFIX_KEEP_HOST_BITS |
					  (fam == AF_INET ? WP_PREFIX_INET_ONLY :
					   WP_PREFIX_INET6_ONLY),
					  err, sizeof(err)) < 0) {
			perr(ps, "invalid address \"%s\": %s", w[2], err);
			return;
		}
		if (no)
			return;	/* absent from the config is enough */
		if (ic->n_addrs == RIB_CONF_MAX_ADDRS) {
			perr(ps, "too many addresses on %s", ic->name);
			return;
		}
		ic->addrs[ic->n_addrs++] = p;
	} else if (strcmp(w[0], "mtu") == 0) {
		if (no) {
			ic->mtu = 0;
			return;
		}
		if (n < 2 || parse_uint(w[1], 68, 65535, &v) < 0) {
			perr(ps, "invalid mtu \"%s\": expected (68-65535)",
			     n > 1 ? w[1] : "");
			return;
		}
		ic->mtu = (unsigned int)v;
	} else if (strcmp(w[0], "shutdown") == 0) {
		ic->shutdown = !no;
	} else if (strcmp(w[0], "link-detect") == 0) {
		ic->link_detect = !no;
	}
	/* Anything else (ip ospf ..., bfd ...) is another daemon's. */
}

/* A line inside `vrf NAME`: its static routes (FRR's form). */
static void
parse_vrf_line(struct parser *ps, char **w, int n)
{
	if (n >= 2 && strcmp(w[0], "ip") == 0 && strcmp(w[1], "route") == 0)
		parse_static(ps, AF_INET, w, n);
	else if (n >= 2 && strcmp(w[0], "ipv6") == 0 &&
		 strcmp(w[1], "route") == 0)
		parse_static(ps, AF_INET6, w, n);
	/* Anything else (vni, ...) is not ribd's. */
}

static void
parse_line(struct parser *ps, char *line)
{
	char *w[MAX_WORDS], *save = NULL, *tok;
	bool indented = isspace((unsigned char)line[0]);
	int n = 0;

	for (tok = strtok_r(line, " \t\r", &save); tok && n < MAX_WORDS;
	     tok = strtok_r(NULL, " \t\r", &save))
		w[n++] = tok;
	if (n == 0 || w[0][0] == '!' || w[0][0] == '#') {
		if (n && w[0][0] == '!' && !indented) {
			ps->iface = NULL;
			ps->foreign = false;
			ps->in_vrf = false;
		}
		return;
	}
	if (strcmp(w[0], "exit") == 0 || strcmp(w[0], "end") == 0 ||
	    strcmp(w[0], "exit-vrf") == 0) {
		ps->iface = NULL;
		ps->foreign = false;
		ps->in_vrf = false;
		return;
	}
	if (indented || ps->foreign) {
		if (ps->iface && indented)
			parse_iface_line(ps, w, n);
		else if (ps->in_vrf && indented)
			parse_vrf_line(ps, w, n);
		if (indented)
			return;
	}
	/* A top-level line ends any stanza. */
	ps->iface = NULL;
	ps->foreign = false;
	ps->in_vrf = false;
	if (strcmp(w[0], "vrf") == 0) {
		int v = -1;

		if (n < 2 || strlen(w[1]) >= IF_NAMESIZE ||
		    strchr(w[1], '/') || (v = rib_conf_vrf(ps->c, w[1])) < 0) {
			perr(ps, "vrf: invalid name \"%s\"%s",
			     n > 1 ? w[1] : "", v < 0 && n > 1 &&
			     strlen(w[1]) < IF_NAMESIZE && !strchr(w[1], '/') ?
			     ": too many VRFs" : "");
			ps->foreign = true;
			return;
		}
		ps->in_vrf = true;
		ps->vrf = (uint8_t)v;
	} else if (strcmp(w[0], "interface") == 0) {
		if (n < 2 || strlen(w[1]) >= IF_NAMESIZE) {
			perr(ps, "interface: invalid name \"%s\"",
			     n > 1 ? w[1] : "");
			ps->foreign = true;
			return;
		}
		ps->iface = rib_conf_iface_get(ps->c, w[1]);
	} else if (strcmp(w[0], "hostname") == 0 && n > 1) {
		snprintf(ps->c->hostname, sizeof(ps->c->hostname), "%s", w[1]);
	} else if (n >= 2 && strcmp(w[0], "ip") == 0 &&
		   strcmp(w[1], "route") == 0) {
		parse_static(ps, AF_INET, w, n);
	} else if (n >= 2 && strcmp(w[0], "ipv6") == 0 &&
		   strcmp(w[1], "route") == 0) {
		parse_static(ps, AF_INET6, w, n);
	} else if (n >= 3 && strcmp(w[0], "ip") == 0 &&
		   strcmp(w[1], "nht") == 0 &&
		   strcmp(w[2], "resolve-via-default") == 0) {
		ps->c->resolve_via_default = true;
	} else if (n >= 2 && strcmp(w[0], "rib") == 0 &&
		   strcmp(w[1], "graceful-restart-time") == 0) {
		unsigned long v;

		if (n < 3 || parse_uint(w[2], 0, 3600, &v) < 0) {
			perr(ps, "invalid graceful-restart-time \"%s\": "
			     "expected (0-3600)", n > 2 ? w[2] : "");
			return;
		}
		ps->c->gr_time = (unsigned int)v;
	} else if (n >= 2 && strcmp(w[0], "rib") == 0 &&
		   strcmp(w[1], "audit-interval") == 0) {
		unsigned long v;

		if (n < 3 || parse_uint(w[2], 0, 86400, &v) < 0) {
			perr(ps, "invalid audit-interval \"%s\": expected "
			     "(0-86400)", n > 2 ? w[2] : "");
			return;
		}
		ps->c->audit_interval = (unsigned int)v;
	} else if (n >= 2 && strcmp(w[0], "rib") == 0 &&
		   strcmp(w[1], "nexthop-objects") == 0) {
		ps->c->no_nhobj = false;
	} else if (n >= 3 && strcmp(w[0], "no") == 0 &&
		   strcmp(w[1], "rib") == 0 &&
		   strcmp(w[2], "nexthop-objects") == 0) {
		ps->c->no_nhobj = true;
	} else if (strcmp(w[0], "maximum-paths") == 0) {
		unsigned long v;

		if (n < 2 || parse_uint(w[1], 1, RIB_KERNEL_MAX_NH, &v) < 0) {
			perr(ps, "invalid maximum-paths \"%s\": expected (1-%d)",
			     n > 1 ? w[1] : "", RIB_KERNEL_MAX_NH);
			return;
		}
		ps->c->ecmp_max = (unsigned int)v;
	} else {
		/* router ospf, router bgp, bfd, ...: not ours. */
		ps->foreign = true;
	}
}

struct rib_conf *
rib_conf_new(void)
{
	struct rib_conf *c = wp_calloc(MT_RIB_CONF, sizeof(*c));

	c->gr_time = RIB_GR_TIME_DEFAULT;
	c->audit_interval = RIB_AUDIT_DEFAULT;
	return c;
}

struct rib_conf *
rib_conf_parse(const char *text, const char *fname)
{
	struct parser ps = { .fname = fname };
	const char *p = text;

	ps.c = rib_conf_new();
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = wp_strndup(MT_TMP, p, len);

		ps.line++;
		parse_line(&ps, line);
		wp_free(MT_TMP, line);
		p += len + (eol ? 1 : 0);
	}
	return ps.c;
}

/* Line by line: a file of a million routes is never held whole. */
struct rib_conf *
rib_conf_load(const char *path, struct ribd *rib)
{
	struct parser ps = { .fname = path };
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (f == NULL) {
		wp_log_warn("config %s", path);
		return NULL;
	}
	ps.c = rib_conf_new();
	if (rib) {
		ps.c->rib = rib;
		ps.c->gen = ++rib->static_gen;
	}
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		ps.line++;
		parse_line(&ps, line);
	}
	free(line);
	fclose(f);
	return ps.c;
}

void
rib_conf_free(struct rib_conf *c)
{
	if (c == NULL)
		return;
	wp_free(MT_RIB_CONF, c->ifaces);
	for (unsigned int i = 0; i < c->n_statics; i++)
		if (c->statics[i].n_nh > 1)
			wp_free(MT_RIB_CONF, c->statics[i].nh);
	wp_free(MT_RIB_CONF, c->statics);
	wp_free(MT_RIB_CONF, c->vrfs);
	conf_index_free(c);
	wp_free(MT_RIB_CONF, c);
}

const struct rib_iface_conf *
rib_conf_iface(const struct rib_conf *c, const char *name)
{
	for (unsigned int i = 0; c && i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	return NULL;
}

/* --- apply -------------------------------------------------------------- */

static struct rib_route *
static_to_route(struct ribd *rib, const struct rib_static *s)
{
	struct rib_route *rt = rib_route_new(RIB_SRC_STATIC, s->distance,
					     s->distance, s->n_nh);

	rt->tag = s->tag;
	rt->conf_gen = rib->static_gen;
	for (unsigned int i = 0; i < s->n_nh; i++) {
		const struct rib_static_nh *sn = &rib_static_nhs(s)[i];
		struct rib_nh *nh = &rt->nh[i];

		nh->type = sn->type;
		nh->gw = sn->gw;
		nh->onlink = sn->onlink;
		rib_bfd_bind(rib, nh, rib_bfd_get(rib, sn));
		if (sn->ifname[0]) {
			struct rib_iface *ifp = rib_iface_by_name(rib, sn->ifname);

			/* Not (yet) there: inactive until it appears. */
			nh->ifindex = ifp ? ifp->ifindex : -1;
		}
	}
	return rt;
}

static bool
static_names(const struct rib_static *s, const char *ifname)
{
	for (unsigned int i = 0; i < s->n_nh; i++)
		if (strcmp(rib_static_nhs(s)[i].ifname, ifname) == 0)
			return true;
	return false;
}

/*
 * The VRF a static of `c` goes into: the default, or the VRF of the vrf
 * device with its VRF's name; NULL while there is no such device (the
 * static is pending).
 */
static struct rib_vrf *
static_vrf(struct ribd *rib, const struct rib_conf *c,
	   const struct rib_static *s)
{
	struct rib_vrf *v;

	if (s->vrf == 0)
		return rib_vrf_default(rib);
	v = rib_vrf_by_name(rib, c->vrfs[s->vrf]);
	return v && v->ifindex ? v : NULL;
}

/* Apply the statics that name interface `ifname` (NULL: any) and are of
 * VRF `vrf` (NULL: any). */
static void
static_apply(struct ribd *rib, const char *ifname, const struct rib_vrf *vrf)
{
	for (unsigned int i = 0; rib->conf && i < rib->conf->n_statics; i++) {
		const struct rib_static *s = &rib->conf->statics[i];
		struct rib_vrf *v = static_vrf(rib, rib->conf, s);

		if ((ifname && !static_names(s, ifname)) || v == NULL ||
		    (vrf && v != vrf))
			continue;
		rib_route_add_vrf(rib, v, &s->p, static_to_route(rib, s));
	}
}

void
rib_static_reapply(struct ribd *rib, const char *ifname)
{
	static_apply(rib, ifname, NULL);
}

void
rib_static_vrf_up(struct ribd *rib, struct rib_vrf *vrf)
{
	static_apply(rib, NULL, vrf);
}

unsigned int
rib_static_pending(const struct ribd *rib, const char *vrf)
{
	const struct rib_conf *c = rib->conf;
	unsigned int n = 0;
	struct rib_vrf *v;

	for (unsigned int i = 0; c && i < c->n_statics; i++) {
		const struct rib_static *s = &c->statics[i];

		if (s->vrf == 0 || strcmp(c->vrfs[s->vrf], vrf) != 0)
			continue;
		v = rib_vrf_by_name((struct ribd *)(uintptr_t)rib, vrf);
		n += v == NULL || v->ifindex == 0;
	}
	return n;
}

/* Remove p's configured statics in vrf that pass `gen` did not make (gen
 * 0: all of them). */
static void
static_sweep_dest(struct ribd *rib, struct rib_vrf *vrf,
		  const struct wp_prefix *p, uint32_t gen)
{
	struct rib_dest *d = rib_dest_lookup_vrf(rib, vrf, p);
	struct rib_route *rt;

	/* One distance at a time, the dest looked up again: removing its
	 * last route removes it. */
	while (d) {
		for (rt = d->routes; rt; rt = rt->next)
			if (rt->source == RIB_SRC_STATIC && !rt->client &&
			    (gen == 0 || rt->conf_gen != gen))
				break;
		if (rt == NULL)
			break;
		rib_route_del_vrf(rib, vrf, p, RIB_SRC_STATIC, rt->instance);
		d = rib_dest_lookup_vrf(rib, vrf, p);
	}
}

/* Every table of vrf, each prefix swept (the iterator: removing a route
 * may remove its dest). */
static void
static_sweep_tables(struct ribd *rib, struct rib_vrf *vrf, uint32_t gen)
{
	for (int i = 0; i < 2; i++) {
		struct wp_trie_iter it;
		struct wp_prefix p;

		wp_trie_iter_init(&it, vrf->tables[i]->trie, NULL);
		while (wp_trie_iter_next(&it, &p, NULL) == 0)
			static_sweep_dest(rib, vrf, &p, gen);
	}
}

void
rib_static_vrf_down(struct ribd *rib, struct rib_vrf *vrf)
{
	static_sweep_tables(rib, vrf, 0);
}

/*
 * Remove the statics of `old` that pass `gen` did not make.  Those it
 * kept parsed are looked up; streamed ones (a file's) need a walk of
 * the tables, which reading the file cost already.
 */
static void
static_sweep(struct ribd *rib, const struct rib_conf *old, uint32_t gen)
{
	for (unsigned int i = 0; i < old->n_statics; i++) {
		struct rib_vrf *v = static_vrf(rib, old, &old->statics[i]);

		/* Pending ones never reached the RIB. */
		if (v)
			static_sweep_dest(rib, v, &old->statics[i].p, gen);
	}
	/* Streamed ones are the default VRF's. */
	if (old->n_streamed)
		static_sweep_tables(rib, rib_vrf_default(rib), gen);
}

void
rib_conf_apply(struct ribd *rib, struct rib_conf *new)
{
	struct rib_conf *old = rib->conf;

	/* The pass: a file read with the rib began it (rib_conf_load()). */
	if (new->gen == 0)
		new->gen = ++rib->static_gen;
	new->rib = NULL;
	/* Live, the configuration is only walked: its index would cost
	 * two trie nodes a route.  Freed before the routes are made so
	 * they reuse the memory. */
	conf_index_free(new);
	/* Addresses gone from an interface's configuration. */
	for (unsigned int i = 0; old && i < old->n_ifaces; i++)
		rib_iface_unapply_addrs(rib, &old->ifaces[i],
					rib_conf_iface(new, old->ifaces[i].name));
	rib->conf = new;
	rib->ecmp_max = new->ecmp_max ? new->ecmp_max : RIB_ECMP_MAX_DEFAULT;
	if (rib->audit_interval != new->audit_interval)
		rib_audit_start(rib, new->audit_interval);
	rib->want_nhobj = !new->no_nhobj;
	if (rib->kernel)
		rib_kernel_set_nhobj(rib->kernel, rib->want_nhobj);
	if (rib->resolve_via_default != new->resolve_via_default) {
		rib->resolve_via_default = new->resolve_via_default;
		rib_requeue_nexthops(rib, 0);
	}
	for (struct rib_iface *ifp = rib->ifaces; ifp; ifp = ifp->next)
		if (ifp->present)
			rib_iface_apply_conf(rib, ifp);
	rib_bfd_begin(rib);
	rib_static_reapply(rib, NULL);
	/* Static routes gone from the configuration: every one it has was
	 * made in this pass, streamed or from `statics`. */
	if (old)
		static_sweep(rib, old, new->gen);
	/* No route points at a session the new configuration dropped. */
	rib_bfd_sweep(rib);
	rib_conf_free(old);
}
