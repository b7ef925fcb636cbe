/*
 * ospf_conf.c: ospfd's part of an FRR-syntax configuration file.  Until
 * mgmtd delivers configuration, ospfd reads the node's file itself (-f)
 * and takes only its own lines; when mgmtd arrives, this file is what
 * gets replaced.  Grammar (as FRR's ospfd):
 *
 *   router ospf
 *    ospf router-id A.B.C.D              (also: router-id A.B.C.D)
 *    network A.B.C.D/M area AREA         AREA: A.B.C.D or (0-4294967295)
 *    passive-interface (IFNAME|default)  [no passive-interface IFNAME]
 *    area AREA authentication [message-digest|key-chain NAME]
 *    area AREA stub [no-summary]
 *    area AREA nssa [no-summary] [translate-candidate|translate-always|
 *                   translate-never] [default-information-originate]
 *    area AREA default-cost (0-16777215)
 *    area AREA range A.B.C.D/M [advertise|not-advertise] [cost (0-16777215)]
 *    area AREA nssa range A.B.C.D/M [not-advertise|cost (0-16777215)]
 *                                        RFC 3101 §3.2
 *    area AREA virtual-link A.B.C.D [hello-interval (1-65535)]
 *                   [retransmit-interval (1-65535)] [transmit-delay
 *                   (1-65535)] [dead-interval (1-65535)]  RFC 2328 §15, C.4
 *    area AREA virtual-link A.B.C.D authentication [message-digest|null|
 *                                                   key-chain NAME]
 *    area AREA virtual-link A.B.C.D authentication-key KEY
 *    area AREA virtual-link A.B.C.D message-digest-key (1-255) md5 KEY
 *    area AREA filter-list prefix NAME (in|out)      RFC 2328 §12.4.3
 *    area AREA (export-list|import-list) NAME        access lists, ditto
 *    timers throttle spf DELAY HOLD MAX  milliseconds
 *    timers throttle lsa all (0-5000)    MinLSInterval, milliseconds
 *    timers lsa min-arrival (0-600000)   MinLSArrival, milliseconds
 *    auto-cost reference-bandwidth (1-4294967)
 *    maximum-paths (1-64)
 *    distance (1-255)
 *    distance ospf [intra-area (1-255)] [inter-area (1-255)]
 *                  [external (1-255)]    at least one, any order
 *    log-adjacency-changes [detail]
 *    redistribute (connected|static|kernel|bgp) [metric (0-16777214)]
 *      [metric-type (1|2)] [tag (1-4294967295)] [route-map NAME]
 *    distribute-list NAME out (connected|static|kernel|bgp)
 *    default-information originate [always] [metric (0-16777214)]
 *      [metric-type (1|2)] [route-map NAME]
 *    max-metric router-lsa [administrative] [on-startup (5-86400)]
 *                                        RFC 6987; lines add up
 *    graceful-restart helper enable      RFC 3623 §3
 *    graceful-restart [grace-period (1-1800)]    RFC 3623 §2
 *    neighbor A.B.C.D [priority (0-255)] [poll-interval (1-65535)]
 *                                        NBMA neighbours, §9.5.1
 *   interface IFNAME
 *    ip ospf area AREA
 *    ip ospf cost (1-65535)
 *    ip ospf hello-interval (1-65535)    ip ospf dead-interval (1-65535)
 *    ip ospf retransmit-interval (1-65535)
 *    ip ospf transmit-delay (1-65535)    ip ospf priority (0-255)
 *    ip ospf network (broadcast|non-broadcast|point-to-point|
 *                     point-to-multipoint [non-broadcast])
 *    ip ospf passive                     ip ospf mtu-ignore
 *    ip ospf authentication [message-digest|null|key-chain NAME]
 *    ip ospf authentication-key KEY      (at most 8 characters)
 *    ip ospf message-digest-key (1-255) md5 KEY   (at most 16)
 *    ip ospf bfd [profile NAME]
 *   and `no` forms of the interface lines;
 *   key chain NAME ...                  (lib/wp_keychain.h), for
 *                                        `ip ospf authentication key-chain`
 *   ip prefix-list ..., route-map ...,   (lib/wp_policy.h), for
 *   access-list ...                      `redistribute ... route-map`,
 *                                        filter-list, export-list ...
 *
 * Lines of other daemons are skipped, stanzas included.  Lines under
 * `router ospf` that are valid FRR but not implemented here are logged
 * once each as ignored; a malformed line is an error naming the file,
 * the line and the word; either way the rest of the file still applies.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_CONF, "OSPF configuration");

#define MAX_WORDS	32

struct parser {
	struct ospf_conf *c;
	const char *fname;
	unsigned int line;
	struct ospf_if_conf *iface;	/* in an `interface` stanza */
	bool router;			/* in `router ospf` */
	bool foreign;			/* in another daemon's stanza */
	struct wp_kc_parser kp;		/* in a `key chain` stanza */
	struct wp_pol_parser pp;	/* in a `route-map` stanza */
	/* The pass of a VRF ("" the default's) reads the stanzas of that
	 * VRF; `own` says the current one names it, so that a VRF's pass
	 * reports only the errors of its own lines.  The default's pass
	 * notes the VRFs to read next. */
	bool own;
	char (*vrfs)[IF_NAMESIZE];
	unsigned int n_vrfs;
};

static void __attribute__((format(printf, 2, 3)))
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (ps->c->vrf[0] && !ps->own)
		return;		/* the default VRF's pass reports it */
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

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_id(const char *s, uint32_t *out)
{
	struct wp_addr a;

	if (s == NULL || wp_addr_parse(s, &a, NULL, 0) < 0 ||
	    a.family != AF_INET)
		return -1;
	*out = ntohl(a.u.v4.s_addr);
	return 0;
}

int
ospf_area_parse(const char *s, uint32_t *out)
{
	unsigned long v;

	if (s == NULL)
		return -1;
	if (strchr(s, '.'))
		return parse_id(s, out);
	if (parse_uint(s, 0, 4294967295ul, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* One `(min-max)` argument or an error naming it. */
static int
want_uint(struct parser *ps, char **w, int n, int i, const char *what,
	  unsigned long min, unsigned long max, unsigned long *out)
{
	if (i >= n || parse_uint(w[i], min, max, out) < 0) {
		perr(ps, "invalid %s \"%s\": expected (%lu-%lu)", what,
		     i < n ? w[i] : "", min, max);
		return -1;
	}
	return 0;
}

static struct ospf_if_conf *
iface_conf_get(struct ospf_conf *c, const char *name)
{
	struct ospf_if_conf *ic;

	for (unsigned int i = 0; i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	c->ifaces = wp_realloc(MT_OSPF_CONF, c->ifaces,
			       (c->n_ifaces + 1) * sizeof(*c->ifaces));
	ic = &c->ifaces[c->n_ifaces++];
	memset(ic, 0, sizeof(*ic));
	snprintf(ic->name, sizeof(ic->name), "%s", name);
	ic->auth_type = -1;
	return ic;
}

static struct ospf_area_conf *
area_conf_get(struct ospf_conf *c, uint32_t id)
{
	struct ospf_area_conf *ac;

	for (unsigned int i = 0; i < c->n_areas; i++)
		if (c->areas[i].id == id)
			return &c->areas[i];
	c->areas = wp_realloc(MT_OSPF_CONF, c->areas,
			      (c->n_areas + 1) * sizeof(*c->areas));
	ac = &c->areas[c->n_areas++];
	memset(ac, 0, sizeof(*ac));
	ac->id = id;
	ac->auth_type = -1;
	return ac;
}

static void
name_list_add(char (**v)[IF_NAMESIZE], unsigned int *n, const char *name)
{
	*v = wp_realloc(MT_OSPF_CONF, *v, (*n + 1) * sizeof(**v));
	snprintf((*v)[*n], IF_NAMESIZE, "%s", name);
	(*n)++;
}

/* --- interface lines ---------------------------------------------------- */

static void
iface_reset(struct ospf_if_conf *ic, const char *what)
{
	if (strcmp(what, "area") == 0)
		ic->area_set = false;
	else if (strcmp(what, "cost") == 0)
		ic->cost = 0;
	else if (strcmp(what, "hello-interval") == 0)
		ic->hello = 0;
	else if (strcmp(what, "dead-interval") == 0)
		ic->dead = 0;
	else if (strcmp(what, "retransmit-interval") == 0)
		ic->rxmt = 0;
	else if (strcmp(what, "transmit-delay") == 0)
		ic->transdelay = 0;
	else if (strcmp(what, "priority") == 0)
		ic->priority_set = false;
	else if (strcmp(what, "network") == 0) {
		ic->network = OSPF_NET_DEFAULT;
		ic->p2mp_nb = false;
	}
	else if (strcmp(what, "passive") == 0)
		ic->passive = false;
	else if (strcmp(what, "mtu-ignore") == 0)
		ic->mtu_ignore = false;
	else if (strcmp(what, "authentication") == 0) {
		ic->auth_type = -1;
		ic->key_chain[0] = '\0';
	}
	else if (strcmp(what, "authentication-key") == 0)
		ic->auth_key[0] = '\0';
	else if (strcmp(what, "message-digest-key") == 0)
		ic->n_md5 = 0;
	else if (strcmp(what, "bfd") == 0) {
		ic->bfd = false;
		memset(ic->bfd_profile, 0, sizeof(ic->bfd_profile));
	}
}

/* `ip ospf bfd [profile NAME]` (RFC 5882 §4.2; FRR's syntax).  FRR's
 * older `ip ospf bfd MULT RX TX` is refused: timers belong to a profile. */
static void
parse_bfd(struct parser *ps, struct ospf_if_conf *ic, char **w, int n)
{
	if (n == 3) {
		ic->bfd = true;
		memset(ic->bfd_profile, 0, sizeof(ic->bfd_profile));
		return;
	}
	if (strcmp(w[3], "profile") != 0) {
		perr(ps, "unknown word \"%s\" after ip ospf bfd: expected "
		     "profile NAME", w[3]);
		return;
	}
	if (n != 5 || strlen(w[4]) >= sizeof(ic->bfd_profile)) {
		perr(ps, "invalid bfd profile \"%s\": 1 to %d characters",
		     n > 4 ? w[4] : "", (int)sizeof(ic->bfd_profile) - 1);
		return;
	}
	ic->bfd = true;
	memset(ic->bfd_profile, 0, sizeof(ic->bfd_profile));
	memcpy(ic->bfd_profile, w[4], strlen(w[4]));
}

/* `ip ospf network (broadcast|non-broadcast|point-to-point|
 * point-to-multipoint [non-broadcast])` */
static void
parse_network_type(struct parser *ps, struct ospf_if_conf *ic, char **w,
		   int n)
{
	static const struct {
		const char *name;
		enum ospf_net_type type;
	} types[] = {
		{ "broadcast", OSPF_NET_BROADCAST },
		{ "non-broadcast", OSPF_NET_NBMA },
		{ "point-to-point", OSPF_NET_P2P },
		{ "point-to-multipoint", OSPF_NET_P2MP },
	};
	size_t i;

	for (i = 0; n > 3 && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(w[3], types[i].name) == 0)
			break;
	if (n < 4 || i == sizeof(types) / sizeof(types[0])) {
		perr(ps, "invalid network type \"%s\": expected broadcast, "
		     "non-broadcast, point-to-point or point-to-multipoint",
		     n > 3 ? w[3] : "");
		return;
	}
	if (n > 4 && (types[i].type != OSPF_NET_P2MP ||
		      strcmp(w[4], "non-broadcast") != 0 || n > 5)) {
		perr(ps, "unknown word \"%s\" after ip ospf network %s",
		     w[n > 5 && types[i].type == OSPF_NET_P2MP &&
		       strcmp(w[4], "non-broadcast") == 0 ? 5 : 4], w[3]);
		return;
	}
	ic->network = types[i].type;
	ic->p2mp_nb = n > 4;
}

static void
parse_ip_ospf(struct parser *ps, struct ospf_if_conf *ic, char **w, int n)
{
	const char *k = n > 2 ? w[2] : "";
	unsigned long v;

	if (n < 3) {
		perr(ps, "incomplete command: ip ospf what?");
		return;
	}
	if (strcmp(k, "area") == 0) {
		if (n < 4 || ospf_area_parse(w[3], &ic->area) < 0) {
			perr(ps, "invalid area \"%s\": expected A.B.C.D or "
			     "(0-4294967295)", n > 3 ? w[3] : "");
			return;
		}
		ic->area_set = true;
	} else if (strcmp(k, "cost") == 0) {
		if (want_uint(ps, w, n, 3, "cost", 1, 65535, &v) == 0)
			ic->cost = (uint32_t)v;
	} else if (strcmp(k, "hello-interval") == 0) {
		if (want_uint(ps, w, n, 3, "hello-interval", 1, 65535, &v) == 0)
			ic->hello = (uint16_t)v;
	} else if (strcmp(k, "dead-interval") == 0) {
		if (n > 3 && strcmp(w[3], "minimal") == 0) {
			perr(ps, "dead-interval minimal (sub-second hellos) is "
			     "not supported");
			return;
		}
		if (want_uint(ps, w, n, 3, "dead-interval", 1, 65535, &v) == 0)
			ic->dead = (uint32_t)v;
	} else if (strcmp(k, "retransmit-interval") == 0) {
		if (want_uint(ps, w, n, 3, "retransmit-interval", 1, 65535,
			      &v) == 0)
			ic->rxmt = (uint16_t)v;
	} else if (strcmp(k, "transmit-delay") == 0) {
		if (want_uint(ps, w, n, 3, "transmit-delay", 1, 65535, &v) == 0)
			ic->transdelay = (uint16_t)v;
	} else if (strcmp(k, "priority") == 0) {
		if (want_uint(ps, w, n, 3, "priority", 0, 255, &v) == 0) {
			ic->priority = (uint8_t)v;
			ic->priority_set = true;
		}
	} else if (strcmp(k, "network") == 0) {
		parse_network_type(ps, ic, w, n);
	} else if (strcmp(k, "passive") == 0) {
		ic->passive = true;
	} else if (strcmp(k, "mtu-ignore") == 0) {
		ic->mtu_ignore = true;
	} else if (strcmp(k, "authentication") == 0) {
		ic->key_chain[0] = '\0';
		if (n == 3)
			ic->auth_type = OSPF_AUTH_SIMPLE;
		else if (strcmp(w[3], "message-digest") == 0)
			ic->auth_type = OSPF_AUTH_CRYPT;
		else if (strcmp(w[3], "null") == 0)
			ic->auth_type = OSPF_AUTH_NULL;
		else if (strcmp(w[3], "key-chain") == 0 && n == 5 &&
			 strlen(w[4]) <= WP_KC_NAME_MAX) {
			/* FRR's syntax; cryptographic authentication with
			 * the chain's keys (RFC 5709). */
			ic->auth_type = OSPF_AUTH_CRYPT;
			snprintf(ic->key_chain, sizeof(ic->key_chain), "%s",
				 w[4]);
		} else if (strcmp(w[3], "key-chain") == 0)
			perr(ps, "invalid key-chain \"%s\": expected one name "
			     "of 1 to %d characters", n > 4 ? w[4] : "",
			     WP_KC_NAME_MAX);
		else
			perr(ps, "invalid authentication \"%s\": expected "
			     "message-digest, null or key-chain", w[3]);
	} else if (strcmp(k, "authentication-key") == 0) {
		if (n < 4 || strlen(w[3]) > OSPF_AUTH_LEN) {
			perr(ps, "invalid authentication-key: 1 to %d "
			     "characters", OSPF_AUTH_LEN);
			return;
		}
		snprintf(ic->auth_key, sizeof(ic->auth_key), "%s", w[3]);
	} else if (strcmp(k, "message-digest-key") == 0) {
		struct ospf_md5_key *mk = NULL;

		if (want_uint(ps, w, n, 3, "key id", 1, 255, &v) < 0)
			return;
		if (n < 6 || strcmp(w[4], "md5") != 0 ||
		    strlen(w[5]) > OSPF_MD5_LEN) {
			perr(ps, "invalid message-digest-key: expected md5 and "
			     "a key of 1 to %d characters", OSPF_MD5_LEN);
			return;
		}
		for (unsigned int i = 0; i < ic->n_md5; i++)
			if (ic->md5[i].id == v)
				mk = &ic->md5[i];
		if (mk == NULL && ic->n_md5 == OSPF_MD5_KEYS_MAX) {
			perr(ps, "too many message-digest keys (at most %d)",
			     OSPF_MD5_KEYS_MAX);
			return;
		}
		if (mk == NULL)
			mk = &ic->md5[ic->n_md5++];
		mk->id = (uint8_t)v;
		snprintf(mk->key, sizeof(mk->key), "%s", w[5]);
	} else if (strcmp(k, "bfd") == 0) {
		parse_bfd(ps, ic, w, n);
	} else if (strcmp(k, "graceful-restart") == 0 ||
		   strcmp(k, "prefix-suppression") == 0) {
		wp_log_info("%s:%u: ip ospf %s: not supported yet, ignored",
			    ps->fname, ps->line, k);
		ps->c->n_ignored++;
	} else {
		perr(ps, "unknown word \"%s\" after ip ospf", k);
	}
}

static void
parse_iface_line(struct parser *ps, char **w, int n)
{
	bool no = strcmp(w[0], "no") == 0;

	if (no) {
		w++;
		n--;
	}
	if (n < 2 || strcmp(w[0], "ip") != 0 || strcmp(w[1], "ospf") != 0)
		return;		/* ribd's, bfdd's, ... */
	if (no) {
		/* FRR's `no ip ospf bfd profile [NAME]` keeps bfd on. */
		if (n >= 4 && strcmp(w[2], "bfd") == 0 &&
		    strcmp(w[3], "profile") == 0)
			memset(ps->iface->bfd_profile, 0,
			       sizeof(ps->iface->bfd_profile));
		else if (n >= 3)
			iface_reset(ps->iface, w[2]);
		return;
	}
	parse_ip_ospf(ps, ps->iface, w, n);
}

/* --- router ospf lines -------------------------------------------------- */

/* `max-metric router-lsa [administrative] [on-startup (5-86400)]
 * [on-shutdown (5-100)]` (FRR writes one keyword a line; the lines add
 * up). */
static void
parse_max_metric(struct parser *ps, char **w, int n)
{
	struct ospf_conf *c = ps->c;
	bool admin = false;
	unsigned long v = 0, down = 0;

	if (n < 2 || strcmp(w[1], "router-lsa") != 0) {
		perr(ps, "unknown word \"%s\" after max-metric: expected "
		     "router-lsa", n > 1 ? w[1] : "");
		return;
	}
	if (n == 2) {
		perr(ps, "incomplete command: max-metric router-lsa "
		     "administrative, on-startup (5-86400) or on-shutdown "
		     "(5-100)");
		return;
	}
	for (int i = 2; i < n; i++) {
		if (strcmp(w[i], "administrative") == 0) {
			admin = true;
		} else if (strcmp(w[i], "on-startup") == 0) {
			if (want_uint(ps, w, n, ++i, "on-startup", 5, 86400,
				      &v) < 0)
				return;
		} else if (strcmp(w[i], "on-shutdown") == 0) {
			if (want_uint(ps, w, n, ++i, "on-shutdown", 5, 100,
				      &down) < 0)
				return;
		} else {
			perr(ps, "unknown word \"%s\" after max-metric "
			     "router-lsa", w[i]);
			return;
		}
	}
	if (admin)
		c->max_metric_admin = true;
	if (v)
		c->max_metric_startup = (unsigned int)v;
	if (down)
		c->max_metric_shutdown = (unsigned int)down;
}

static void
parse_timers(struct parser *ps, char **w, int n)
{
	struct ospf_conf *c = ps->c;
	unsigned long a, b, d;

	if (n >= 3 && strcmp(w[1], "throttle") == 0 &&
	    strcmp(w[2], "spf") == 0) {
		if (want_uint(ps, w, n, 3, "spf delay", 0, 600000, &a) < 0 ||
		    want_uint(ps, w, n, 4, "spf hold", 0, 600000, &b) < 0 ||
		    want_uint(ps, w, n, 5, "spf max-wait", 0, 600000, &d) < 0)
			return;
		c->spf_delay = (unsigned int)a;
		c->spf_hold = (unsigned int)b;
		c->spf_max = (unsigned int)(d < b ? b : d);
	} else if (n >= 4 && strcmp(w[1], "throttle") == 0 &&
		   strcmp(w[2], "lsa") == 0 && strcmp(w[3], "all") == 0) {
		if (want_uint(ps, w, n, 4, "lsa interval", 0, 5000, &a) == 0)
			c->lsa_interval = (unsigned int)a;
	} else if (n >= 3 && strcmp(w[1], "lsa") == 0 &&
		   strcmp(w[2], "min-arrival") == 0) {
		if (want_uint(ps, w, n, 3, "min-arrival", 0, 600000, &a) == 0)
			c->lsa_arrival = (unsigned int)a;
	} else {
		perr(ps, "unknown timers \"%s\"", n > 1 ? w[1] : "");
	}
}

/*
 * `area AREA range PREFIX [advertise|not-advertise] [cost N]`, and (nssa
 * true) `area AREA nssa range PREFIX [not-advertise|cost N]` (FRR's:
 * one or the other), the prefix at w[at].
 */
static void
parse_range(struct parser *ps, struct ospf_area_conf *ac, char **w, int n,
	    int at, bool nssa)
{
	struct ospf_range_conf r = { 0 };
	struct ospf_range_conf **list = nssa ? &ac->nssa_ranges : &ac->ranges;
	unsigned int *count = nssa ? &ac->n_nssa_ranges : &ac->n_ranges;
	char err[WP_PREFIX_ERRLEN];
	struct wp_prefix p;
	unsigned long v;

	if (n <= at || wp_prefix_parse_flags(w[at], &p, WP_PREFIX_INET_ONLY |
					     WP_PREFIX_ALLOW_HOST_BITS, err,
					     sizeof(err)) < 0) {
		perr(ps, "invalid range \"%s\": expected A.B.C.D/M",
		     n > at ? w[at] : "");
		return;
	}
	r.mask = ospf_plen2mask(p.len);
	r.addr = ospf_prefix_addr(&p) & r.mask;
	for (int i = at + 1; i < n; i++) {
		if (nssa && i > at + 1) {
			perr(ps, "unexpected \"%s\": nssa range takes "
			     "not-advertise or cost N", w[i]);
			return;
		}
		if (!nssa && strcmp(w[i], "advertise") == 0) {
			r.not_advertise = false;
		} else if (strcmp(w[i], "not-advertise") == 0) {
			r.not_advertise = true;
		} else if (strcmp(w[i], "cost") == 0) {
			if (want_uint(ps, w, n, ++i, "range cost", 0,
				      OSPF_LS_INFINITY, &v) < 0)
				return;
			r.cost_set = true;
			r.cost = (uint32_t)v;
		} else {
			perr(ps, "unknown range option \"%s\"", w[i]);
			return;
		}
	}
	for (unsigned int i = 0; i < *count; i++) {
		if ((*list)[i].addr == r.addr && (*list)[i].mask == r.mask) {
			(*list)[i] = r;
			return;
		}
	}
	*list = wp_realloc(MT_OSPF_CONF, *list, (*count + 1) * sizeof(**list));
	(*list)[(*count)++] = r;
}

/* `stub [no-summary]`, `nssa [no-summary] [translate-*]
 * [default-information-originate]`: the words after the area type. */
static void
parse_area_type(struct parser *ps, struct ospf_area_conf *ac, char **w,
		int n)
{
	bool nssa = strcmp(w[2], "nssa") == 0;

	if (ac->id == 0) {
		perr(ps, "the backbone cannot be a %s area", w[2]);
		return;
	}
	ac->type = nssa ? OSPF_AREA_NSSA : OSPF_AREA_STUB;
	ac->no_summary = false;
	ac->nssa_role = OSPF_NSSA_CANDIDATE;
	ac->nssa_default = false;
	for (int i = 3; i < n; i++) {
		if (strcmp(w[i], "no-summary") == 0)
			ac->no_summary = true;
		else if (nssa && strcmp(w[i], "translate-candidate") == 0)
			ac->nssa_role = OSPF_NSSA_CANDIDATE;
		else if (nssa && strcmp(w[i], "translate-always") == 0)
			ac->nssa_role = OSPF_NSSA_ALWAYS;
		else if (nssa && strcmp(w[i], "translate-never") == 0)
			ac->nssa_role = OSPF_NSSA_NEVER;
		else if (nssa &&
			 strcmp(w[i], "default-information-originate") == 0)
			ac->nssa_default = true;
		else {
			perr(ps, "unknown %s option \"%s\"", w[2], w[i]);
			ac->type = OSPF_AREA_NORMAL;
			return;
		}
	}
}

static struct ospf_vlink_conf *
vlink_conf_find(struct ospf_conf *c, uint32_t transit, uint32_t peer)
{
	for (unsigned int i = 0; i < c->n_vlinks; i++)
		if (c->vlinks[i].transit == transit &&
		    c->vlinks[i].peer == peer)
			return &c->vlinks[i];
	return NULL;
}

static struct ospf_vlink_conf *
vlink_conf_get(struct ospf_conf *c, uint32_t transit, uint32_t peer)
{
	struct ospf_vlink_conf *vc = vlink_conf_find(c, transit, peer);

	if (vc)
		return vc;
	c->vlinks = wp_realloc(MT_OSPF_CONF, c->vlinks,
			       (c->n_vlinks + 1) * sizeof(*c->vlinks));
	vc = &c->vlinks[c->n_vlinks++];
	memset(vc, 0, sizeof(*vc));
	vc->transit = transit;
	vc->peer = peer;
	vc->auth.auth_type = -1;
	return vc;
}

/*
 * `... authentication|authentication-key|message-digest-key ...`: the
 * words of the same `ip ospf` lines, for the virtual link (§C.4: its
 * authentication key); nothing changes when they are wrong.
 */
static void
parse_vlink_auth(struct parser *ps, uint32_t transit, uint32_t peer,
		 char **w, int n)
{
	static char ip[] = "ip", ospf[] = "ospf";
	struct ospf_vlink_conf *old = vlink_conf_find(ps->c, transit, peer);
	struct ospf_if_conf a = { .auth_type = -1 };
	unsigned int errors = ps->c->n_errors;
	char *argv[8];

	if (n - 2 > (int)(sizeof(argv) / sizeof(argv[0]))) {
		perr(ps, "too many words after virtual-link %s", w[4]);
		return;
	}
	if (old)
		a = old->auth;
	argv[0] = ip;
	argv[1] = ospf;
	for (int i = 4; i < n; i++)
		argv[i - 2] = w[i];
	parse_ip_ospf(ps, &a, argv, n - 2);
	if (ps->c->n_errors == errors)
		vlink_conf_get(ps->c, transit, peer)->auth = a;
}

/* `area AREA virtual-link ROUTER-ID [hello-interval N]
 * [retransmit-interval N] [transmit-delay N] [dead-interval N]`, the
 * options in any order; those not given stay as they were. */
static void
parse_vlink(struct parser *ps, uint32_t transit, char **w, int n)
{
	static const char *const opts[] = { "hello-interval",
					    "retransmit-interval",
					    "transmit-delay", "dead-interval" };
	struct ospf_vlink_conf *vc;
	uint32_t peer;
	unsigned long v[4] = { 0 };

	if (transit == 0) {
		perr(ps, "the backbone cannot be a transit area");
		return;
	}
	if (n < 4 || parse_id(w[3], &peer) < 0 || peer == 0) {
		perr(ps, "invalid virtual-link router ID \"%s\": expected "
		     "A.B.C.D", n > 3 ? w[3] : "");
		return;
	}
	if (n > 4 && (strcmp(w[4], "authentication") == 0 ||
		      strcmp(w[4], "authentication-key") == 0 ||
		      strcmp(w[4], "message-digest-key") == 0)) {
		parse_vlink_auth(ps, transit, peer, w, n);
		return;
	}
	for (int i = 4; i < n; i++) {
		size_t k;

		for (k = 0; k < 4 && strcmp(w[i], opts[k]) != 0; k++)
			;
		if (k == 4) {
			perr(ps, "unknown virtual-link option \"%s\"", w[i]);
			return;
		}
		if (want_uint(ps, w, n, ++i, opts[k], 1, 65535, &v[k]) < 0)
			return;
	}
	vc = vlink_conf_get(ps->c, transit, peer);
	if (v[0])
		vc->hello = (uint16_t)v[0];
	if (v[1])
		vc->rxmt = (uint16_t)v[1];
	if (v[2])
		vc->transdelay = (uint16_t)v[2];
	if (v[3])
		vc->dead = (uint32_t)v[3];
}

/* `area AREA authentication [message-digest|key-chain NAME]`: the
 * default of the area's interfaces (and, for area 0, virtual links). */
static void
parse_area_auth(struct parser *ps, struct ospf_area_conf *ac, char **w,
		int n)
{
	if (n > 3 && strcmp(w[3], "key-chain") == 0) {
		if (n != 5 || strlen(w[4]) > WP_KC_NAME_MAX) {
			perr(ps, "invalid key-chain \"%s\": expected one name "
			     "of 1 to %d characters", n > 4 ? w[4] : "",
			     WP_KC_NAME_MAX);
			return;
		}
		ac->auth_type = OSPF_AUTH_CRYPT;
		snprintf(ac->key_chain, sizeof(ac->key_chain), "%s", w[4]);
		return;
	}
	if (n > 3 && strcmp(w[3], "message-digest") != 0) {
		perr(ps, "invalid authentication \"%s\": expected "
		     "message-digest or key-chain", w[3]);
		return;
	}
	ac->auth_type = n > 3 ? OSPF_AUTH_CRYPT : OSPF_AUTH_SIMPLE;
	ac->key_chain[0] = '\0';
}

/* w[i], the last word, a policy object's name. */
static int
want_policy_name(struct parser *ps, char **w, int n, int i, const char *what)
{
	if (n != i + 1) {
		perr(ps, n <= i ? "incomplete command: %s name expected" :
		     "unexpected \"%s\" after the %s name",
		     n <= i ? what : w[i + 1], what);
		return -1;
	}
	if (strlen(w[i]) > WP_POL_NAME_MAX) {
		perr(ps, "%s name \"%s\" too long", what, w[i]);
		return -1;
	}
	return 0;
}

/* `area A filter-list prefix NAME (in|out)` (ospf_pol.c). */
static void
parse_filter_list(struct parser *ps, struct ospf_area_conf *ac, char **w,
		  int n)
{
	char *dst;

	if (n < 6) {
		perr(ps, "incomplete command: area %s filter-list prefix NAME "
		     "(in|out)", w[1]);
		return;
	}
	if (strcmp(w[3], "prefix") != 0) {
		perr(ps, "unknown filter-list kind \"%s\": expected prefix",
		     w[3]);
		return;
	}
	if (strlen(w[4]) > WP_POL_NAME_MAX) {
		perr(ps, "prefix list name \"%s\" too long", w[4]);
		return;
	}
	if (strcmp(w[5], "in") == 0) {
		dst = ac->filter_in;
	} else if (strcmp(w[5], "out") == 0) {
		dst = ac->filter_out;
	} else {
		perr(ps, "invalid filter-list direction \"%s\": expected in "
		     "or out", w[5]);
		return;
	}
	snprintf(dst, WP_POL_NAME_MAX + 1, "%s", w[4]);
	ac->policy = &ps->c->policy;
}

/* `distance ospf {intra-area N|inter-area N|external N}`, any subset in
 * any order; the types not given take `distance`. */
static void
parse_distance_ospf(struct parser *ps, char **w, int n)
{
	static const char *const kw[OSPF_DIST_TYPES] = {
		[OSPF_DIST_INTRA] = "intra-area",
		[OSPF_DIST_INTER] = "inter-area",
		[OSPF_DIST_EXT] = "external",
	};
	uint8_t d[OSPF_DIST_TYPES] = { 0 };
	unsigned long v;

	if (n < 3) {
		perr(ps, "incomplete command: distance ospf (intra-area|"
		     "inter-area|external) (1-255)");
		return;
	}
	for (int i = 2; i < n; i++) {
		int k;

		for (k = 0; k < OSPF_DIST_TYPES && strcmp(w[i], kw[k]) != 0;
		     k++)
			;
		if (k == OSPF_DIST_TYPES) {
			perr(ps, "unknown distance type \"%s\": expected "
			     "intra-area, inter-area or external", w[i]);
			return;
		}
		if (want_uint(ps, w, n, ++i, kw[k], 1, 255, &v) < 0)
			return;
		d[k] = (uint8_t)v;
	}
	memcpy(ps->c->distance_type, d, sizeof(d));
}

static void
parse_area(struct parser *ps, char **w, int n)
{
	struct ospf_area_conf *ac;
	unsigned long v;
	uint32_t id;

	if (n < 3) {
		perr(ps, "incomplete command: area AREA what?");
		return;
	}
	if (ospf_area_parse(w[1], &id) < 0) {
		perr(ps, "invalid area \"%s\": expected A.B.C.D or "
		     "(0-4294967295)", w[1]);
		return;
	}
	ac = area_conf_get(ps->c, id);
	if (strcmp(w[2], "authentication") == 0) {
		parse_area_auth(ps, ac, w, n);
	} else if (strcmp(w[2], "nssa") == 0 && n > 3 &&
		   strcmp(w[3], "range") == 0) {
		parse_range(ps, ac, w, n, 4, true);
	} else if (strcmp(w[2], "stub") == 0 || strcmp(w[2], "nssa") == 0) {
		parse_area_type(ps, ac, w, n);
	} else if (strcmp(w[2], "default-cost") == 0) {
		if (want_uint(ps, w, n, 3, "default-cost", 0,
			      OSPF_LS_INFINITY, &v) < 0)
			return;
		ac->default_cost_set = true;
		ac->default_cost = (uint32_t)v;
	} else if (strcmp(w[2], "range") == 0) {
		parse_range(ps, ac, w, n, 3, false);
	} else if (strcmp(w[2], "virtual-link") == 0) {
		parse_vlink(ps, id, w, n);
	} else if (strcmp(w[2], "filter-list") == 0) {
		parse_filter_list(ps, ac, w, n);
	} else if (strcmp(w[2], "export-list") == 0 ||
		   strcmp(w[2], "import-list") == 0) {
		if (want_policy_name(ps, w, n, 3, "access list") < 0)
			return;
		snprintf(w[2][0] == 'e' ? ac->export_list : ac->import_list,
			 WP_POL_NAME_MAX + 1, "%s", w[3]);
		ac->policy = &ps->c->policy;
	} else {
		/* shortcut, ...: not here. */
		wp_log_info("%s:%u: router ospf: \"area %s\" not supported "
			    "yet, ignored", ps->fname, ps->line, w[2]);
		ps->c->n_ignored++;
	}
}

static const char *const redist_names[OSPF_REDIST_MAX] = {
	[OSPF_REDIST_CONNECTED] = "connected",
	[OSPF_REDIST_STATIC] = "static",
	[OSPF_REDIST_KERNEL] = "kernel",
	[OSPF_REDIST_BGP] = "bgp",
};

const char *
ospf_redist_name(enum ospf_redist_src s)
{
	return s < OSPF_REDIST_MAX ? redist_names[s] : "?";
}

/*
 * The options after `redistribute SOURCE` or `default-information
 * originate`, from w[i] on: [always] [metric (0-16777214)]
 * [metric-type (1|2)] [tag (1-4294967295)] [route-map NAME] (always and
 * tag only where `deflt` says / does not say).
 */
static void
parse_redist_opts(struct parser *ps, char **w, int n, int i, bool deflt,
		  struct ospf_redist_conf *rc)
{
	unsigned long v;

	memset(rc, 0, sizeof(*rc));
	rc->on = true;
	rc->metric_type = 2;
	for (; i < n; i++) {
		if (deflt && strcmp(w[i], "always") == 0) {
			rc->always = true;
		} else if (strcmp(w[i], "metric") == 0) {
			if (want_uint(ps, w, n, ++i, "metric", 0, 16777214,
				      &v) < 0)
				goto bad;
			rc->metric = (uint32_t)v;
			rc->metric_set = true;
		} else if (strcmp(w[i], "metric-type") == 0) {
			if (want_uint(ps, w, n, ++i, "metric-type", 1, 2,
				      &v) < 0)
				goto bad;
			rc->metric_type = (uint8_t)v;
		} else if (!deflt && strcmp(w[i], "tag") == 0) {
			if (want_uint(ps, w, n, ++i, "tag", 1, 4294967295UL,
				      &v) < 0)
				goto bad;
			rc->tag = (uint32_t)v;
		} else if (strcmp(w[i], "route-map") == 0) {
			if (++i >= n || strlen(w[i]) > WP_POL_NAME_MAX) {
				perr(ps, "route-map: invalid name \"%s\"",
				     i < n ? w[i] : "");
				goto bad;
			}
			snprintf(rc->rmap, sizeof(rc->rmap), "%s", w[i]);
		} else {
			perr(ps, "unknown option \"%s\"", w[i]);
			goto bad;
		}
	}
	return;
bad:
	rc->on = false;
}

/* [no] distribute-list NAME out SOURCE, w[i] distribute-list. */
static void
parse_distribute(struct parser *ps, char **w, int n, int i, bool no)
{
	const char *bad = NULL;
	int s = 0;

	if (n < i + 4)
		bad = w[n - 1];
	else if (strcmp(w[i + 2], "out") != 0)
		bad = w[i + 2];
	else if (n > i + 4)
		bad = w[i + 4];
	while (bad == NULL && s < OSPF_REDIST_MAX &&
	       strcmp(w[i + 3], redist_names[s]) != 0)
		s++;
	if (bad == NULL && s == OSPF_REDIST_MAX)
		bad = w[i + 3];
	if (bad == NULL && want_policy_name(ps, w, i + 2, i + 1,
					    "access list") < 0)
		return;
	if (bad) {
		perr(ps, "distribute-list: expected NAME out (connected|"
		     "static|kernel|bgp) at \"%s\"", bad);
		return;
	}
	if (no)
		ps->c->distribute[s][0] = '\0';
	else
		snprintf(ps->c->distribute[s], sizeof(ps->c->distribute[s]),
			 "%s", w[i + 1]);
}

/* [no] redistribute SOURCE ..., [no] default-information originate ... */
static bool
parse_redist(struct parser *ps, char **w, int n, bool no)
{
	struct ospf_conf *c = ps->c;
	int i = no ? 1 : 0;

	if (n > i && strcmp(w[i], "redistribute") == 0) {
		for (int s = 0; s < OSPF_REDIST_MAX; s++)
			if (n > i + 1 && strcmp(w[i + 1], redist_names[s]) == 0) {
				if (no)
					memset(&c->redist[s], 0,
					       sizeof(c->redist[s]));
				else
					parse_redist_opts(ps, w, n, i + 2,
							  false,
							  &c->redist[s]);
				return true;
			}
		perr(ps, "redistribute: unknown source \"%s\" (connected, "
		     "static, kernel, bgp)", n > i + 1 ? w[i + 1] : "");
		return true;
	}
	if (n > i && strcmp(w[i], "distribute-list") == 0) {
		parse_distribute(ps, w, n, i, no);
		return true;
	}
	if (n > i + 1 && strcmp(w[i], "default-information") == 0 &&
	    strcmp(w[i + 1], "originate") == 0) {
		if (no)
			memset(&c->definfo, 0, sizeof(c->definfo));
		else
			parse_redist_opts(ps, w, n, i + 2, true, &c->definfo);
		return true;
	}
	return false;
}

/* `graceful-restart helper enable` (FRR): help neighbours restart
 * (RFC 3623 §3); `graceful-restart [grace-period (1-1800)]`: restart
 * gracefully ourselves (§2).  FRR's finer helper settings (per
 * neighbour, planned-only, supported-grace-time, strict-lsa-checking)
 * are valid FRR, not here yet: ignored. */
static void
parse_graceful_restart(struct parser *ps, char **w, int n)
{
	struct ospf_conf *c = ps->c;
	unsigned long v;

	if (n == 1) {
		c->gr_restart = true;
		c->gr_period = OSPF_GR_DEF_PERIOD;
		return;
	}
	if (strcmp(w[1], "grace-period") == 0) {
		if (want_uint(ps, w, n, 2, "grace-period", 1, 1800, &v) == 0) {
			c->gr_restart = true;
			c->gr_period = (unsigned int)v;
		}
		return;
	}
	if (strcmp(w[1], "helper") != 0) {
		perr(ps, "unknown word \"%s\" after graceful-restart: "
		     "expected helper or grace-period", w[1]);
		return;
	}
	if (n == 3 && strcmp(w[2], "enable") == 0) {
		c->gr_helper = true;
		return;
	}
	if (n == 2) {
		perr(ps, "incomplete command: graceful-restart helper what?");
		return;
	}
	wp_log_info("%s:%u: router ospf: \"graceful-restart helper %s\" not "
		    "supported yet, ignored", ps->fname, ps->line, w[2]);
	c->n_ignored++;
}

/* `[no] neighbor A.B.C.D [priority (0-255)] [poll-interval (1-65535)]`:
 * a neighbour on an NBMA (or p2mp non-broadcast) network, §9.5.1, C.5. */
static void
parse_neighbor(struct parser *ps, char **w, int n, bool no)
{
	struct ospf_conf *c = ps->c;
	struct ospf_nbma_conf nc = {
		.priority = OSPF_DEF_NBR_PRIORITY, .poll = OSPF_DEF_POLL,
	};
	int i = no ? 2 : 1;
	unsigned int k;
	unsigned long v;

	if (n <= i || parse_id(w[i], &nc.addr) < 0 || nc.addr == 0) {
		perr(ps, "invalid neighbor address \"%s\": expected A.B.C.D",
		     n > i ? w[i] : "");
		return;
	}
	for (i++; i < n; i += 2) {
		if (strcmp(w[i], "priority") == 0) {
			if (want_uint(ps, w, n, i + 1, "priority", 0, 255,
				      &v) < 0)
				return;
			nc.priority = (uint8_t)v;
		} else if (strcmp(w[i], "poll-interval") == 0) {
			if (want_uint(ps, w, n, i + 1, "poll-interval", 1,
				      65535, &v) < 0)
				return;
			nc.poll = (uint16_t)v;
		} else {
			perr(ps, "unknown word \"%s\" after neighbor: "
			     "expected priority or poll-interval", w[i]);
			return;
		}
	}
	for (k = 0; k < c->n_nbma && c->nbma[k].addr != nc.addr; k++)
		;
	if (no) {
		if (k < c->n_nbma)
			c->nbma[k] = c->nbma[--c->n_nbma];
		return;
	}
	if (k == c->n_nbma)
		c->nbma = wp_realloc(MT_OSPF_CONF, c->nbma,
				     ++c->n_nbma * sizeof(*c->nbma));
	c->nbma[k] = nc;
}

static void
parse_router_line(struct parser *ps, char **w, int n)
{
	struct ospf_conf *c = ps->c;
	unsigned long v;
	bool no = strcmp(w[0], "no") == 0;

	if (no && n >= 3 && strcmp(w[1], "passive-interface") == 0) {
		name_list_add(&c->no_passive, &c->n_no_passive, w[2]);
		return;
	}
	if (parse_redist(ps, w, n, no))
		return;
	if (n > (no ? 1 : 0) && strcmp(w[no ? 1 : 0], "neighbor") == 0) {
		parse_neighbor(ps, w, n, no);
		return;
	}
	if (no && n >= 3 && strcmp(w[1], "max-metric") == 0) {
		/* `no max-metric router-lsa [administrative|on-startup]` */
		for (int i = 3; i < n; i++) {
			if (strcmp(w[i], "administrative") == 0)
				c->max_metric_admin = false;
			else if (strcmp(w[i], "on-startup") == 0)
				c->max_metric_startup = 0;
			else if (strcmp(w[i], "on-shutdown") == 0)
				c->max_metric_shutdown = 0;
		}
		if (n == 3) {
			c->max_metric_admin = false;
			c->max_metric_startup = 0;
			c->max_metric_shutdown = 0;
		}
		return;
	}
	if (no && n >= 3 && strcmp(w[1], "graceful-restart") == 0 &&
	    strcmp(w[2], "helper") == 0) {
		/* `no graceful-restart helper enable` */
		if (n == 3 || strcmp(w[3], "enable") == 0)
			c->gr_helper = false;
		return;
	}
	if (no && n >= 2 && strcmp(w[1], "graceful-restart") == 0) {
		c->gr_restart = false;
		return;
	}
	if (no) {
		/* Our defaults are FRR's: `no X` of a default is a no-op. */
		return;
	}
	if ((strcmp(w[0], "ospf") == 0 && n >= 2 &&
	     strcmp(w[1], "router-id") == 0) || strcmp(w[0], "router-id") == 0) {
		const char *a = w[0][0] == 'o' ? (n > 2 ? w[2] : NULL) :
				(n > 1 ? w[1] : NULL);

		if (parse_id(a, &c->router_id) < 0 || c->router_id == 0) {
			perr(ps, "invalid router-id \"%s\": expected A.B.C.D",
			     a ? a : "");
			return;
		}
		c->router_id_set = true;
	} else if (strcmp(w[0], "network") == 0) {
		struct ospf_network_conf nc;
		char err[WP_PREFIX_ERRLEN];

		if (n < 4 || strcmp(w[2], "area") != 0) {
			perr(ps, "incomplete command: network A.B.C.D/M area "
			     "AREA");
			return;
		}
		if (wp_prefix_parse_flags(w[1], &nc.p, WP_PREFIX_INET_ONLY |
					  WP_PREFIX_ALLOW_HOST_BITS, err,
					  sizeof(err)) < 0) {
			perr(ps, "invalid prefix \"%s\": %s", w[1], err);
			return;
		}
		if (ospf_area_parse(w[3], &nc.area) < 0) {
			perr(ps, "invalid area \"%s\": expected A.B.C.D or "
			     "(0-4294967295)", w[3]);
			return;
		}
		c->networks = wp_realloc(MT_OSPF_CONF, c->networks,
					 (c->n_networks + 1) *
					 sizeof(*c->networks));
		c->networks[c->n_networks++] = nc;
		area_conf_get(c, nc.area);
	} else if (strcmp(w[0], "passive-interface") == 0) {
		if (n < 2) {
			perr(ps, "incomplete command: passive-interface what?");
			return;
		}
		if (strcmp(w[1], "default") == 0)
			c->passive_default = true;
		else
			name_list_add(&c->passive, &c->n_passive, w[1]);
	} else if (strcmp(w[0], "area") == 0) {
		parse_area(ps, w, n);
	} else if (strcmp(w[0], "timers") == 0) {
		parse_timers(ps, w, n);
	} else if (strcmp(w[0], "auto-cost") == 0 && n >= 2 &&
		   strcmp(w[1], "reference-bandwidth") == 0) {
		if (want_uint(ps, w, n, 2, "reference-bandwidth", 1, 4294967,
			      &v) == 0)
			c->ref_bw = (unsigned int)v;
	} else if (strcmp(w[0], "maximum-paths") == 0) {
		if (want_uint(ps, w, n, 1, "maximum-paths", 1, OSPF_MAX_PATHS,
			      &v) == 0)
			c->max_paths = (unsigned int)v;
	} else if (strcmp(w[0], "distance") == 0 &&
		   !(n > 1 && strcmp(w[1], "ospf") == 0)) {
		/* The distance ribd weighs our routes with (110 by default). */
		if (want_uint(ps, w, n, 1, "distance", 1, 255, &v) == 0)
			c->distance = (uint8_t)v;
	} else if (strcmp(w[0], "distance") == 0) {
		parse_distance_ospf(ps, w, n);
	} else if (strcmp(w[0], "log-adjacency-changes") == 0) {
		c->log_adj = true;
		c->log_adj_detail = n > 1 && strcmp(w[1], "detail") == 0;
	} else if (strcmp(w[0], "max-metric") == 0) {
		parse_max_metric(ps, w, n);
	} else if (strcmp(w[0], "graceful-restart") == 0) {
		parse_graceful_restart(ps, w, n);
	} else {
		/* Valid FRR, not here yet. */
		wp_log_info("%s:%u: router ospf: \"%s\" not supported yet, "
			    "ignored", ps->fname, ps->line, w[0]);
		c->n_ignored++;
	}
}

static bool
vrf_default(const char *vrf)
{
	return vrf[0] == '\0' || strcmp(vrf, OSPF_VRF_DEFAULT) == 0;
}

/* Does VRF `vrf` ("default" or "": the default) belong to this pass? */
static bool
vrf_is(const struct parser *ps, const char *vrf)
{
	if (vrf_default(vrf))
		return ps->c->vrf[0] == '\0';
	return strcmp(ps->c->vrf, vrf) == 0;
}

/* The default VRF's pass notes every other VRF with a router ospf. */
static void
vrf_note(struct parser *ps, const char *vrf)
{
	if (ps->c->vrf[0] || vrf_default(vrf))
		return;
	for (unsigned int i = 0; i < ps->n_vrfs; i++)
		if (strcmp(ps->vrfs[i], vrf) == 0)
			return;
	name_list_add(&ps->vrfs, &ps->n_vrfs, vrf);
}

static void
parse_line(struct parser *ps, char *line)
{
	char *w[MAX_WORDS], *save = NULL, *tok, err[200];
	bool indented = isspace((unsigned char)line[0]);
	int n = 0, rc;

	for (tok = strtok_r(line, " \t\r", &save); tok && n < MAX_WORDS;
	     tok = strtok_r(NULL, " \t\r", &save))
		w[n++] = tok;
	if (n && w[0][0] != '!' && w[0][0] != '#') {
		rc = wp_keychain_line(&ps->kp, indented, w, n, err,
				      sizeof(err));
		if (rc == 0)
			rc = wp_policy_line(&ps->pp, indented, w, n, err,
					    sizeof(err));
		if (rc < 0)
			perr(ps, "%s", err);
		if (rc != 0)
			return;
	}
	if (n == 0 || w[0][0] == '!' || w[0][0] == '#') {
		if (n && w[0][0] == '!' && !indented) {
			ps->iface = NULL;
			ps->router = false;
			ps->foreign = false;
			ps->own = false;
		}
		return;
	}
	if (strcmp(w[0], "exit") == 0 || strcmp(w[0], "end") == 0 ||
	    strcmp(w[0], "exit-vrf") == 0) {
		ps->iface = NULL;
		ps->router = false;
		ps->foreign = false;
		ps->own = false;
		return;
	}
	/* Stanza contents are indented (as FRR writes them); a line flush
	 * left starts something new. */
	if (ps->router && indented) {
		parse_router_line(ps, w, n);
		return;
	}
	if (ps->iface && indented) {
		parse_iface_line(ps, w, n);
		return;
	}
	if (indented && ps->foreign)
		return;
	ps->iface = NULL;
	ps->router = false;
	ps->foreign = false;
	ps->own = false;
	if (strcmp(w[0], "interface") == 0) {
		if (n < 2 || strlen(w[1]) >= IF_NAMESIZE) {
			perr(ps, "interface: invalid name \"%s\"",
			     n > 1 ? w[1] : "");
			ps->foreign = true;
			return;
		}
		/* interface IF vrf NAME (as FRR writes an interface of a
		 * VRF): for that VRF's instance only.  Without vrf, for the
		 * instance of whichever VRF holds IF. */
		if (n > 2 && (n != 4 || strcmp(w[2], "vrf") != 0 ||
			      strlen(w[3]) >= IF_NAMESIZE)) {
			perr(ps, "interface %s: expected \"vrf NAME\" after "
			     "the name", w[1]);
			ps->foreign = true;
			return;
		}
		if (n == 4) {
			if (!vrf_is(ps, w[3])) {
				ps->foreign = true;
				return;
			}
			ps->own = true;
		}
		ps->iface = iface_conf_get(ps->c, w[1]);
	} else if (strcmp(w[0], "router") == 0 && n >= 2 &&
		   strcmp(w[1], "ospf") == 0) {
		const char *vrf = "";

		if (n == 4 && strcmp(w[2], "vrf") == 0 &&
		    strlen(w[3]) < IF_NAMESIZE) {
			vrf = w[3];
		} else if (n > 2) {
			perr(ps, "router ospf %s: instances are not supported "
			     "(router ospf vrf NAME is)", w[2]);
			ps->foreign = true;
			return;
		}
		vrf_note(ps, vrf);
		if (!vrf_is(ps, vrf)) {
			ps->foreign = true;
			return;
		}
		ps->own = true;
		ps->c->enabled = true;
		ps->router = true;
	} else {
		/* router bgp, ip route, bfd, ...: not ours. */
		ps->foreign = true;
	}
}

/* One pass over `text` for the VRF of `c` (c->vrf set). */
static void
parse_pass(struct parser *ps, const char *text)
{
	const char *p = text;
	struct ospf_conf *c = ps->c;

	ps->kp.set = &c->keychains;
	ps->pp.set = &c->policy;
	c->spf_delay = OSPF_DEF_SPF_DELAY;
	c->spf_hold = OSPF_DEF_SPF_HOLD;
	c->spf_max = OSPF_DEF_SPF_MAX;
	c->lsa_interval = OSPF_DEF_LSA_INTERVAL;
	c->lsa_arrival = OSPF_DEF_LSA_ARRIVAL;
	c->ref_bw = 100;
	c->max_paths = OSPF_DEF_MAX_PATHS;
	c->gr_period = OSPF_GR_DEF_PERIOD;
	c->distance = OSPF_DEF_DISTANCE;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = wp_strndup(MT_TMP, p, len);

		ps->line++;
		parse_line(ps, line);
		wp_free(MT_TMP, line);
		p += len + (eol ? 1 : 0);
	}
}

/*
 * The default VRF's configuration, then one more pass per VRF its pass
 * found a `router ospf vrf NAME` of: each instance gets a configuration
 * of its own (key chains and policy included), nothing shared.
 */
struct ospf_conf *
ospf_conf_parse(const char *text, const char *fname)
{
	struct parser ps = { .fname = fname };
	struct ospf_conf *c, **tail;

	c = wp_calloc(MT_OSPF_CONF, sizeof(*c));
	ps.c = c;
	parse_pass(&ps, text);
	tail = &c->next;
	for (unsigned int i = 0; i < ps.n_vrfs; i++) {
		struct parser vp = { .fname = fname };

		vp.c = wp_calloc(MT_OSPF_CONF, sizeof(*vp.c));
		snprintf(vp.c->vrf, sizeof(vp.c->vrf), "%s", ps.vrfs[i]);
		parse_pass(&vp, text);
		*tail = vp.c;
		tail = &vp.c->next;
	}
	wp_free(MT_OSPF_CONF, ps.vrfs);
	return c;
}

struct ospf_conf *
ospf_conf_load(const char *path)
{
	struct ospf_conf *c;
	FILE *f = fopen(path, "r");
	char *text;
	long sz;

	if (f == NULL) {
		wp_log_warn("config %s", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	if (sz < 0 || sz > 64 * 1024 * 1024) {
		fclose(f);
		wp_log_warnx("config %s: unreadable size", path);
		return NULL;
	}
	text = wp_malloc(MT_TMP, (size_t)sz + 1);
	text[fread(text, 1, (size_t)sz, f)] = '\0';
	fclose(f);
	c = ospf_conf_parse(text, path);
	wp_free(MT_TMP, text);
	return c;
}

void
ospf_conf_free(struct ospf_conf *c)
{
	if (c == NULL)
		return;
	ospf_conf_free(c->next);
	wp_free(MT_OSPF_CONF, c->passive);
	wp_free(MT_OSPF_CONF, c->no_passive);
	wp_free(MT_OSPF_CONF, c->networks);
	wp_free(MT_OSPF_CONF, c->ifaces);
	for (unsigned int i = 0; i < c->n_areas; i++) {
		wp_free(MT_OSPF_CONF, c->areas[i].ranges);
		wp_free(MT_OSPF_CONF, c->areas[i].nssa_ranges);
	}
	wp_free(MT_OSPF_CONF, c->areas);
	wp_free(MT_OSPF_CONF, c->vlinks);
	wp_free(MT_OSPF_CONF, c->nbma);
	wp_keychains_free(&c->keychains);
	wp_policy_free(&c->policy);
	wp_free(MT_OSPF_CONF, c);
}

struct ospf_conf *
ospf_conf_vrf(struct ospf_conf *c, const char *vrf)
{
	bool def = vrf_default(vrf);

	for (; c; c = c->next)
		if (def ? c->vrf[0] == '\0' : strcmp(c->vrf, vrf) == 0)
			return c;
	return NULL;
}

unsigned int
ospf_conf_errors(const struct ospf_conf *c, const char **first)
{
	unsigned int n = 0;

	*first = "";
	for (; c; c = c->next) {
		if (c->n_errors && n == 0)
			*first = c->first_error;
		n += c->n_errors;
	}
	return n;
}

const struct ospf_if_conf *
ospf_conf_iface(const struct ospf_conf *c, const char *name)
{
	for (unsigned int i = 0; c && i < c->n_ifaces; i++)
		if (strcmp(c->ifaces[i].name, name) == 0)
			return &c->ifaces[i];
	return NULL;
}

const struct ospf_area_conf *
ospf_conf_area(const struct ospf_conf *c, uint32_t id)
{
	for (unsigned int i = 0; c && i < c->n_areas; i++)
		if (c->areas[i].id == id)
			return &c->areas[i];
	return NULL;
}

const char *
ospf_auth_key_chain(const struct ospf_if_conf *ic,
		    const struct ospf_area_conf *ac, int auth_type)
{
	if (auth_type != OSPF_AUTH_CRYPT)
		return "";
	if (ic && ic->key_chain[0])
		return ic->key_chain;
	/* The area's chain, unless message-digest-keys of its own. */
	if (ac && (ic == NULL || ic->n_md5 == 0))
		return ac->key_chain;
	return "";
}

bool
ospf_conf_passive(const struct ospf_conf *c, const char *name)
{
	const struct ospf_if_conf *ic = ospf_conf_iface(c, name);

	if (ic && ic->passive)
		return true;
	for (unsigned int i = 0; i < c->n_no_passive; i++)
		if (strcmp(c->no_passive[i], name) == 0)
			return false;
	for (unsigned int i = 0; i < c->n_passive; i++)
		if (strcmp(c->passive[i], name) == 0)
			return true;
	return c->passive_default;
}
