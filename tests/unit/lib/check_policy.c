/*
 * Unit tests for lib/wp_policy: reading access lists, prefix lists and
 * route maps (and
 * their errors), prefix-list matching at the ge/le boundaries, sequence
 * order, deny entries and the implicit deny, route-map set clauses,
 * on-match next/goto, call, undefined lists and maps, hit counts, and
 * the show data.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wp_check.h"
#include "wp_mem.h"
#include "wp_policy.h"

struct feed_arg {
	struct wp_pol_parser pp;
	char *err;
	size_t errlen;
};

static int
feed_line(void *arg, int indent, char **w, int n)
{
	struct feed_arg *fa = arg;

	return wp_policy_line(&fa->pp, indent, w, n, fa->err, fa->errlen);
}

/* Feed `text` as a daemon's reader does; -1 on an error. */
static int
feed(struct wp_policy *pol, const char *text, char *err, size_t errlen)
{
	struct feed_arg fa = { .pp = { .set = pol }, .err = err,
			       .errlen = errlen };

	return wp_check_feed(text, feed_line, &fa) < 0 ? -1 : 0;
}

static void
load(struct wp_policy *pol, const char *text)
{
	char err[200] = "";

	memset(pol, 0, sizeof(*pol));
	ck_assert_msg(feed(pol, text, err, sizeof(err)) == 0, "%s", err);
}

static struct wp_prefix
pfx(const char *s)
{
	struct wp_prefix p;

	ck_assert_int_eq(wp_prefix_parse(s, &p, NULL, 0), 0);
	return p;
}

static bool
permits(struct wp_policy *pol, const char *name, const char *prefix)
{
	struct wp_prefix p = pfx(prefix);

	return wp_plist_permits(pol, name, &p);
}

START_TEST(test_plist_exact)
{
	struct wp_policy pol;

	load(&pol, "ip prefix-list L seq 5 permit 10.0.0.0/8\n");
	ck_assert(permits(&pol, "L", "10.0.0.0/8"));
	/* Without ge/le only the prefix's own length matches. */
	ck_assert(!permits(&pol, "L", "10.1.0.0/16"));
	ck_assert(!permits(&pol, "L", "8.0.0.0/7"));
	ck_assert(!permits(&pol, "L", "11.0.0.0/8"));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_plist_ge_le)
{
	struct wp_policy pol;

	load(&pol,
	     "ip prefix-list GE seq 5 permit 10.0.0.0/8 ge 16\n"
	     "ip prefix-list LE seq 5 permit 10.0.0.0/8 le 24\n"
	     "ip prefix-list GL seq 5 permit 10.0.0.0/8 ge 16 le 24\n"
	     "ip prefix-list EQ seq 5 permit 10.0.0.0/8 ge 24 le 24\n");
	/* ge 16: [16, 32] */
	ck_assert(!permits(&pol, "GE", "10.0.0.0/8"));
	ck_assert(!permits(&pol, "GE", "10.0.0.0/15"));
	ck_assert(permits(&pol, "GE", "10.0.0.0/16"));
	ck_assert(permits(&pol, "GE", "10.1.2.3/32"));
	/* le 24: [8, 24] */
	ck_assert(permits(&pol, "LE", "10.0.0.0/8"));
	ck_assert(permits(&pol, "LE", "10.1.2.0/24"));
	ck_assert(!permits(&pol, "LE", "10.1.2.0/25"));
	ck_assert(!permits(&pol, "LE", "0.0.0.0/0"));
	/* ge 16 le 24 */
	ck_assert(!permits(&pol, "GL", "10.0.0.0/15"));
	ck_assert(permits(&pol, "GL", "10.5.0.0/16"));
	ck_assert(permits(&pol, "GL", "10.5.5.0/24"));
	ck_assert(!permits(&pol, "GL", "10.5.5.0/25"));
	ck_assert(!permits(&pol, "GL", "11.5.0.0/16"));
	/* ge 24 le 24: exactly /24 inside */
	ck_assert(permits(&pol, "EQ", "10.9.9.0/24"));
	ck_assert(!permits(&pol, "EQ", "10.9.0.0/23"));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_plist_order_deny)
{
	struct wp_policy pol;
	const struct wp_flist *pl;

	/* Entered out of order: evaluated by seq. */
	load(&pol,
	     "ip prefix-list L seq 20 permit 10.0.0.0/8 le 32\n"
	     "ip prefix-list L seq 10 deny 10.1.0.0/16 le 32\n"
	     "ip prefix-list L seq 30 permit any\n"
	     "ip prefix-list D seq 5 deny any\n");
	ck_assert(!permits(&pol, "L", "10.1.2.0/24"));	/* seq 10 first */
	ck_assert(permits(&pol, "L", "10.2.2.0/24"));
	ck_assert(permits(&pol, "L", "192.0.2.0/24"));	/* any */
	ck_assert(!permits(&pol, "D", "192.0.2.0/24"));
	pl = wp_plist_find(&pol, AF_INET, "L");
	ck_assert_uint_eq(pl->n, 3);
	ck_assert_uint_eq(pl->v[0].seq, 10);
	ck_assert_uint_eq(pl->v[0].hits, 1);
	ck_assert_uint_eq(pl->v[1].hits, 1);
	ck_assert_uint_eq(pl->v[2].hits, 1);
	ck_assert_uint_eq(pl->lookups, 3);
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_plist_implicit_and_undefined)
{
	struct wp_policy pol;

	load(&pol,
	     "ip prefix-list L seq 5 permit 10.0.0.0/8\n"
	     "ip prefix-list EMPTY description nothing in it\n"
	     "ipv6 prefix-list L seq 5 permit 2001:db8::/32 le 64\n");
	ck_assert(!permits(&pol, "L", "192.0.2.0/24"));	/* implicit deny */
	ck_assert(!permits(&pol, "NOPE", "10.0.0.0/8"));
	ck_assert(!permits(&pol, "EMPTY", "10.0.0.0/8"));
	/* Same name, other family: separate lists. */
	ck_assert(permits(&pol, "L", "2001:db8:1::/48"));
	ck_assert(!permits(&pol, "L", "2001:db8:1::/65"));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_plist_edit)
{
	struct wp_policy pol;
	const struct wp_flist *pl;

	/* No seq: the next multiple of 5; same seq replaces; no deletes. */
	load(&pol,
	     "ip prefix-list L permit 10.0.0.0/8\n"
	     "ip prefix-list L seq 12 permit 11.0.0.0/8\n"
	     "ip prefix-list L deny any\n"
	     "ip prefix-list L seq 5 deny 10.0.0.0/8\n"
	     "no ip prefix-list L seq 12\n"
	     "ip prefix-list M permit 1.0.0.0/8\n"
	     "ip prefix-list M permit 2.0.0.0/8\n"
	     "no ip prefix-list M permit 1.0.0.0/8\n"
	     "ip prefix-list GONE permit any\n"
	     "no ip prefix-list GONE\n");
	pl = wp_plist_find(&pol, AF_INET, "L");
	ck_assert_uint_eq(pl->n, 2);
	ck_assert_uint_eq(pl->v[0].seq, 5);
	ck_assert(!pl->v[0].permit);
	ck_assert_uint_eq(pl->v[1].seq, 15);
	ck_assert(pl->v[1].any);
	pl = wp_plist_find(&pol, AF_INET, "M");
	ck_assert_uint_eq(pl->n, 1);
	ck_assert_uint_eq(pl->v[0].seq, 10);
	ck_assert_ptr_null(wp_plist_find(&pol, AF_INET, "GONE"));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_bad_lines)
{
	static const struct {
		const char *line, *word;
	} v[] = {
		{ "ip prefix-list L seq 5 permit 10.0.0.0/8 ge 4", "\"4\"" },
		{ "ip prefix-list L seq 5 permit 10.0.0.0/8 ge 33", "\"33\"" },
		{ "ip prefix-list L seq 5 permit 10.0.0.0/8 ge 24 le 16",
		  "\"16\"" },
		{ "ip prefix-list L seq 5 permit 10.0.0.0/8 le 24 ge 26",
		  "\"ge\"" },
		{ "ip prefix-list L seq 5 allow 10.0.0.0/8", "\"allow\"" },
		{ "ip prefix-list L seq 0 permit 10.0.0.0/8", "\"0\"" },
		{ "ip prefix-list L seq 5 permit 2001:db8::/32", "2001:db8" },
		{ "ip prefix-list L seq 5 permit any le 8", "\"le\"" },
		{ "access-list A seq 5 allow any", "\"allow\"" },
		{ "access-list A seq 0 permit any", "\"0\"" },
		{ "access-list A permit 2001:db8::/32", "2001:db8" },
		{ "ipv6 access-list A permit 10.0.0.0/8", "10.0.0.0/8" },
		{ "access-list A permit any exact-match", "\"exact-match\"" },
		{ "access-list A permit 10.0.0.0/8 le 24", "\"le\"" },
		{ "access-list A permit 10.0.0.0/8 exact-match x", "\"x\"" },
		{ "access-list A permit", "\"permit\"" },
		{ "route-map R permit 0", "\"0\"" },
		{ "route-map R pass 10", "\"pass\"" },
		{ "route-map R permit 10\n match color red", "\"color\"" },
		{ "route-map R permit 10\n set metric ++5", "\"++5\"" },
		{ "route-map R permit 10\n set metric-type 3", "\"3\"" },
		{ "route-map R permit 10\n set tag 0", "\"0\"" },
		{ "route-map R permit 10\n on-match goto 5", "\"5\"" },
		{ "route-map R permit 10\n on-match stay", "\"stay\"" },
		{ "route-map R permit 10\n frobnicate", "\"frobnicate\"" },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct wp_policy pol = { 0 };
		char err[200] = "";

		ck_assert_msg(feed(&pol, v[i].line, err, sizeof(err)) < 0,
			      "accepted: %s", v[i].line);
		ck_assert_msg(strstr(err, v[i].word) != NULL,
			      "%s: \"%s\" does not name %s", v[i].line, err,
			      v[i].word);
		wp_policy_free(&pol);
	}
}
END_TEST

START_TEST(test_stanza_ends)
{
	struct wp_policy pol = { 0 };
	struct wp_pol_parser pp = { .set = &pol };
	char *head[] = { "route-map", "R", "permit", "10" };
	char *ifl[] = { "interface", "eth0" };
	char *ex[] = { "exit" };
	char err[100];

	ck_assert_int_eq(wp_policy_line(&pp, 0, head, 4, err, sizeof(err)), 1);
	/* A line flush left ends the stanza and is not ours. */
	ck_assert_int_eq(wp_policy_line(&pp, 0, ifl, 2, err, sizeof(err)), 0);
	ck_assert_int_eq(wp_policy_line(&pp, 1, ifl, 2, err, sizeof(err)), 0);
	ck_assert_int_eq(wp_policy_line(&pp, 0, head, 4, err, sizeof(err)), 1);
	ck_assert_int_eq(wp_policy_line(&pp, 0, ex, 1, err, sizeof(err)), 1);
	ck_assert_int_eq(wp_policy_line(&pp, 0, ex, 1, err, sizeof(err)), 0);
	ck_assert_uint_eq(wp_rmap_find(&pol, "R")->n, 1);
	wp_policy_free(&pol);
}
END_TEST

static bool
apply(struct wp_policy *pol, const char *map, const char *prefix,
      const char *ifname, uint32_t metric, uint32_t tag,
      struct wp_rmap_out *o)
{
	struct wp_prefix p = pfx(prefix);
	struct wp_rmap_route r = { .prefix = &p, .ifname = ifname,
				   .metric = metric, .tag = tag };

	o->metric = 20;
	o->metric_type = 2;
	o->tag = 0;
	return wp_rmap_apply(pol, map, &r, o);
}

static const char rmconf[] =
	"ip prefix-list DENY seq 5 permit 10.9.0.0/16 le 32\n"
	"ip prefix-list LAN seq 5 permit 10.0.0.0/8 le 24\n"
	"route-map R deny 5\n"
	" match ip address prefix-list DENY\n"
	"exit\n"
	"route-map R permit 10\n"
	" description the LAN\n"
	" match ip address prefix-list LAN\n"
	" match interface eth1\n"
	" set metric 100\n"
	" set metric-type type-1\n"
	" set tag 42\n"
	"exit\n"
	"route-map R permit 20\n"
	" match tag 7\n"
	" set metric +5\n"
	"exit\n"
	"route-map R permit 30\n"
	" match metric 3\n"
	" set metric -50\n"
	"exit\n";

START_TEST(test_rmap_sets)
{
	struct wp_policy pol;
	struct wp_rmap_out o;
	const struct wp_rmap *rm;

	load(&pol, rmconf);
	/* Denied by the deny entry before any permit. */
	ck_assert(!apply(&pol, "R", "10.9.1.0/24", "eth1", 0, 0, &o));
	/* All matches of seq 10 hold: its sets. */
	ck_assert(apply(&pol, "R", "10.1.1.0/24", "eth1", 0, 0, &o));
	ck_assert_uint_eq(o.metric, 100);
	ck_assert_uint_eq(o.metric_type, 1);
	ck_assert_uint_eq(o.tag, 42);
	/* Wrong interface: seq 10 does not match, nothing else does. */
	ck_assert(!apply(&pol, "R", "10.1.1.0/24", "eth2", 0, 0, &o));
	ck_assert(!apply(&pol, "R", "10.1.1.0/24", NULL, 0, 0, &o));
	/* match tag, set metric +5 from the caller's 20 */
	ck_assert(apply(&pol, "R", "192.0.2.0/24", NULL, 0, 7, &o));
	ck_assert_uint_eq(o.metric, 25);
	ck_assert_uint_eq(o.metric_type, 2);
	ck_assert_uint_eq(o.tag, 0);
	/* match metric, set metric -50 stops at 0 */
	ck_assert(apply(&pol, "R", "192.0.2.0/24", NULL, 3, 0, &o));
	ck_assert_uint_eq(o.metric, 0);
	/* Implicit deny at the end. */
	ck_assert(!apply(&pol, "R", "192.0.2.0/24", NULL, 4, 8, &o));
	/* An undefined map denies. */
	ck_assert(!apply(&pol, "NOPE", "10.1.1.0/24", "eth1", 0, 0, &o));
	rm = wp_rmap_find(&pol, "R");
	ck_assert_uint_eq(rm->invoked, 7);
	ck_assert_uint_eq(rm->v[0].hits, 1);
	ck_assert_uint_eq(rm->v[1].hits, 1);
	ck_assert_uint_eq(rm->v[2].hits, 1);
	ck_assert_uint_eq(rm->v[3].hits, 1);
	ck_assert_str_eq(rm->v[1].descr, "the LAN");
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_rmap_metric_saturates)
{
	struct wp_policy pol;
	struct wp_rmap_out o;

	load(&pol, "route-map R permit 10\n set metric +4294967295\nexit\n");
	ck_assert(apply(&pol, "R", "192.0.2.0/24", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.metric, UINT32_MAX);
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_rmap_undefined_plist)
{
	struct wp_policy pol;
	struct wp_rmap_out o;

	/* An undefined prefix list matches nothing: the entry never holds;
	 * an entry without match clauses holds for every route. */
	load(&pol,
	     "route-map R permit 10\n"
	     " match ip address prefix-list MISSING\n"
	     " set tag 1\n"
	     "exit\n"
	     "route-map R permit 20\n"
	     " set tag 2\n"
	     "exit\n"
	     "route-map ACL permit 10\n"
	     " match ip address SOME-ACL\n"
	     "exit\n");
	ck_assert(apply(&pol, "R", "10.0.0.0/8", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.tag, 2);
	/* An undefined access list matches nothing either. */
	ck_assert(!apply(&pol, "ACL", "10.0.0.0/8", NULL, 0, 0, &o));
	wp_policy_free(&pol);
}
END_TEST

static bool
acl_permits(struct wp_policy *pol, const char *name, const char *prefix)
{
	struct wp_prefix p = pfx(prefix);

	return wp_acl_permits(pol, name, &p);
}

START_TEST(test_acl_match)
{
	struct wp_policy pol;
	const struct wp_flist *al;

	load(&pol,
	     "access-list A seq 5 deny 10.1.0.0/16\n"
	     "access-list A seq 10 permit 10.0.0.0/8\n"
	     "access-list A seq 15 permit 192.168.1.0/24 exact-match\n"
	     "access-list ALL permit any\n"
	     "access-list EMPTY seq 5 permit any\n"
	     "no access-list EMPTY seq 5\n"
	     "access-list HOST permit 10.1.2.3/8\n"
	     "ipv6 access-list A seq 5 permit 2001:db8::/32\n");
	/* Host bits are cleared: 10.1.2.3/8 is 10.0.0.0/8. */
	ck_assert(acl_permits(&pol, "HOST", "10.200.0.0/16"));
	/* Prefixes the entry's covers, of any length at least its own. */
	ck_assert(acl_permits(&pol, "A", "10.0.0.0/8"));
	ck_assert(acl_permits(&pol, "A", "10.2.3.0/24"));
	ck_assert(acl_permits(&pol, "A", "10.2.3.4/32"));
	ck_assert(!acl_permits(&pol, "A", "8.0.0.0/6"));
	/* First match wins: seq 5 denies before seq 10 permits. */
	ck_assert(!acl_permits(&pol, "A", "10.1.0.0/16"));
	ck_assert(!acl_permits(&pol, "A", "10.1.2.0/24"));
	/* exact-match: the entry's own prefix only. */
	ck_assert(acl_permits(&pol, "A", "192.168.1.0/24"));
	ck_assert(!acl_permits(&pol, "A", "192.168.1.0/25"));
	/* Implicit deny at the end. */
	ck_assert(!acl_permits(&pol, "A", "172.16.0.0/12"));
	ck_assert(acl_permits(&pol, "ALL", "172.16.0.0/12"));
	/* Undefined and empty lists match nothing. */
	ck_assert(!acl_permits(&pol, "NONE", "10.0.0.0/8"));
	ck_assert(!acl_permits(&pol, "EMPTY", "10.0.0.0/8"));
	/* The families are separate lists of the same name. */
	ck_assert(acl_permits(&pol, "A", "2001:db8:1::/48"));
	ck_assert(!acl_permits(&pol, "A", "2001:db9::/32"));
	ck_assert(!acl_permits(&pol, "ALL", "2001:db8::/32"));
	al = wp_acl_find(&pol, AF_INET, "A");
	ck_assert_ptr_nonnull(al);
	ck_assert_uint_eq(al->lookups, 9);
	ck_assert_uint_eq(al->v[0].hits, 2);
	ck_assert_uint_eq(al->v[1].hits, 3);
	ck_assert_uint_eq(al->v[2].hits, 1);
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_acl_edit)
{
	struct wp_policy pol;
	const struct wp_flist *al;

	/* Without seq: the next multiple of 5 above the highest. */
	load(&pol,
	     "access-list A permit 10.0.0.0/8\n"
	     "access-list A seq 12 deny 11.0.0.0/8\n"
	     "access-list A permit 12.0.0.0/8 exact-match\n"
	     "access-list A seq 12 permit 13.0.0.0/8\n"
	     "access-list GONE permit any\n"
	     "no access-list GONE\n");
	al = wp_acl_find(&pol, AF_INET, "A");
	ck_assert_uint_eq(al->n, 3);
	ck_assert_uint_eq(al->v[0].seq, 5);
	ck_assert_uint_eq(al->v[1].seq, 12);
	ck_assert(al->v[1].permit);	/* replaced */
	ck_assert_uint_eq(al->v[2].seq, 15);
	ck_assert(al->v[2].exact);
	ck_assert_ptr_null(wp_acl_find(&pol, AF_INET, "GONE"));
	/* no ... ENTRY removes the same entry; exact-match is part of it. */
	ck_assert_int_eq(feed(&pol, "no access-list A permit 12.0.0.0/8\n",
			      NULL, 0), 0);
	ck_assert_uint_eq(al->n, 3);
	ck_assert_int_eq(feed(&pol, "no access-list A permit 12.0.0.0/8 "
			      "exact-match\n", NULL, 0), 0);
	ck_assert_uint_eq(al->n, 2);
	ck_assert_int_eq(feed(&pol, "no access-list A seq 5\n", NULL, 0), 0);
	ck_assert_uint_eq(al->n, 1);
	ck_assert_uint_eq(al->v[0].seq, 12);
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_rmap_acl)
{
	struct wp_policy pol;
	struct wp_rmap_out o;

	load(&pol,
	     "access-list TEN permit 10.0.0.0/8\n"
	     "ipv6 access-list DOC permit 2001:db8::/32\n"
	     "route-map R permit 10\n"
	     " match ip address TEN\n"
	     " set tag 10\n"
	     "exit\n"
	     "route-map R permit 20\n"
	     " match ipv6 address DOC\n"
	     " set tag 20\n"
	     "exit\n");
	ck_assert(apply(&pol, "R", "10.9.0.0/16", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.tag, 10);
	ck_assert(apply(&pol, "R", "2001:db8:5::/48", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.tag, 20);
	ck_assert(!apply(&pol, "R", "11.0.0.0/8", NULL, 0, 0, &o));
	ck_assert(!apply(&pol, "R", "2001:db9::/32", NULL, 0, 0, &o));
	/* no match ip address clears the clause: entry 10 holds for all. */
	ck_assert_int_eq(feed(&pol, "route-map R permit 10\n"
			      " no match ip address\n", NULL, 0), 0);
	ck_assert(apply(&pol, "R", "11.0.0.0/8", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.tag, 10);
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_acl_show)
{
	struct wp_policy pol;
	json_object *top;
	char *text;

	load(&pol,
	     "access-list A seq 5 permit 10.0.0.0/8 exact-match\n"
	     "access-list A seq 10 deny any\n"
	     "ipv6 access-list B permit any\n");
	ck_assert(acl_permits(&pol, "A", "10.0.0.0/8"));
	top = wp_acl_json(&pol, AF_INET, NULL);
	ck_assert_str_eq(json_object_to_json_string_ext(top,
			 JSON_C_TO_STRING_PLAIN |
			 JSON_C_TO_STRING_NOSLASHESCAPE),
			 "{\"A\":{\"addressFamily\":\"ipv4\",\"count\":2,"
			 "\"lookups\":1,\"rules\":[{\"sequenceNumber\":5,"
			 "\"filterType\":\"permit\",\"prefix\":\"10.0.0.0/8\","
			 "\"exactMatch\":true,\"hitCount\":1},"
			 "{\"sequenceNumber\":10,\"filterType\":\"deny\","
			 "\"prefix\":\"any\",\"exactMatch\":false,"
			 "\"hitCount\":0}]}}");
	text = wp_acl_text(top, AF_INET);
	ck_assert_str_eq(text, "IP access list A\n"
			 "    seq 5 permit 10.0.0.0/8 exact-match (hit count: 1)\n"
			 "    seq 10 deny any (hit count: 0)\n");
	wp_free(MT_STRING, text);
	json_object_put(top);
	top = wp_acl_json(&pol, AF_INET6, "B");
	text = wp_acl_text(top, AF_INET6);
	ck_assert_str_eq(text, "IPv6 access list B\n"
			 "    seq 5 permit any (hit count: 0)\n");
	wp_free(MT_STRING, text);
	json_object_put(top);
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_rmap_onmatch)
{
	struct wp_policy pol;
	struct wp_rmap_out o;

	load(&pol,
	     "ip prefix-list BAD seq 5 permit 10.66.0.0/16\n"
	     "route-map N permit 10\n"
	     " set metric 50\n"
	     " on-match next\n"
	     "exit\n"
	     "route-map N permit 20\n"
	     " match tag 9\n"
	     " set tag 99\n"
	     " on-match goto 40\n"
	     "exit\n"
	     "route-map N permit 30\n"
	     " set metric 1\n"
	     "exit\n"
	     "route-map N deny 40\n"
	     " match ip address prefix-list BAD\n"
	     "exit\n");
	/* 10 sets and goes on; 20 skipped (no tag 9); 30 sets and exits. */
	ck_assert(apply(&pol, "N", "10.1.0.0/16", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.metric, 1);
	/* tag 9: 10, 20, goto 40 which does not match: off the end after a
	 * permit, so permitted with 10's and 20's sets (30 skipped). */
	ck_assert(apply(&pol, "N", "10.1.0.0/16", NULL, 0, 9, &o));
	ck_assert_uint_eq(o.metric, 50);
	ck_assert_uint_eq(o.tag, 99);
	/* ... and denied where 40 matches, despite the permits before. */
	ck_assert(!apply(&pol, "N", "10.66.0.0/16", NULL, 0, 9, &o));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_rmap_call)
{
	struct wp_policy pol;
	struct wp_rmap_out o;

	load(&pol,
	     "ip prefix-list TEN seq 5 permit 10.0.0.0/8 le 32\n"
	     "route-map SUB permit 10\n"
	     " match ip address prefix-list TEN\n"
	     " set tag 5\n"
	     "exit\n"
	     "route-map TOP permit 10\n"
	     " set metric 7\n"
	     " call SUB\n"
	     "exit\n"
	     "route-map LOOP permit 10\n"
	     " call LOOP\n"
	     "exit\n"
	     "route-map GHOST permit 10\n"
	     " call NOBODY\n"
	     "exit\n");
	ck_assert(apply(&pol, "TOP", "10.1.0.0/16", NULL, 0, 0, &o));
	ck_assert_uint_eq(o.metric, 7);
	ck_assert_uint_eq(o.tag, 5);
	/* The callee denies: so does the caller. */
	ck_assert(!apply(&pol, "TOP", "192.0.2.0/24", NULL, 0, 0, &o));
	/* A loop ends at the depth limit, denying. */
	ck_assert(!apply(&pol, "LOOP", "192.0.2.0/24", NULL, 0, 0, &o));
	ck_assert_uint_eq(wp_rmap_find(&pol, "LOOP")->invoked,
			  WP_RMAP_CALL_DEPTH + 1);
	ck_assert(!apply(&pol, "GHOST", "192.0.2.0/24", NULL, 0, 0, &o));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_rmap_edit)
{
	struct wp_policy pol;
	const struct wp_rmap *rm;

	load(&pol,
	     "route-map R permit 20\n"
	     " set tag 1\n"
	     " match tag 3\n"
	     "exit\n"
	     "route-map R permit 10\n"
	     "exit\n"
	     "route-map R deny 20\n"
	     " no set tag\n"
	     "exit\n"
	     "route-map R permit 30\n"
	     "exit\n"
	     "no route-map R permit 10\n"
	     "route-map GONE permit 10\n"
	     "exit\n"
	     "no route-map GONE\n");
	rm = wp_rmap_find(&pol, "R");
	ck_assert_uint_eq(rm->n, 2);
	ck_assert_uint_eq(rm->v[0].seq, 20);
	ck_assert(!rm->v[0].permit);
	ck_assert_uint_eq(rm->v[0].set, 0);
	ck_assert_uint_eq(rm->v[0].match, WP_RMAP_M_TAG);
	ck_assert_ptr_null(wp_rmap_find(&pol, "GONE"));
	wp_policy_free(&pol);
}
END_TEST

START_TEST(test_show)
{
	struct wp_policy pol;
	struct wp_rmap_out o;
	json_object *top;
	char *text;

	load(&pol, rmconf);
	ck_assert(apply(&pol, "R", "10.1.1.0/24", "eth1", 0, 0, &o));
	top = wp_plist_json(&pol, AF_INET, "LAN");
	ck_assert_str_eq(wp_json_to_string(top, false),
			 "{\"LAN\":{\"addressFamily\":\"ipv4\",\"count\":1,"
			 "\"lookups\":1,\"entries\":[{\"sequenceNumber\":5,"
			 "\"type\":\"permit\",\"prefix\":\"10.0.0.0/8\","
			 "\"lessEqual\":24,\"hitCount\":1}]}}");
	text = wp_plist_text(top, AF_INET);
	ck_assert_str_eq(text, "ip prefix-list LAN: 1 entries\n"
			 "   seq 5 permit 10.0.0.0/8 le 24 (hit count: 1)\n");
	wp_free(MT_STRING, text);
	json_object_put(top);

	top = wp_rmap_json(&pol, "R");
	text = wp_rmap_text(top);
	ck_assert_msg(strstr(text, "route-map: R Invoked: 1\n"
			     " deny, sequence 5 Invoked 0\n") != NULL, "%s",
		      text);
	ck_assert_msg(strstr(text, " permit, sequence 10 Invoked 1\n"
			     "  Description:\n    the LAN\n"
			     "  Match clauses:\n"
			     "    ip address prefix-list LAN\n"
			     "    interface eth1\n"
			     "  Set clauses:\n"
			     "    metric 100\n"
			     "    metric-type type-1\n"
			     "    tag 42\n") != NULL, "%s", text);
	ck_assert(strstr(text, "    metric +5\n") != NULL);
	wp_free(MT_STRING, text);
	json_object_put(top);
	/* Nothing by that name: an empty object. */
	top = wp_rmap_json(&pol, "NOPE");
	ck_assert_str_eq(wp_json_to_string(top, false), "{}");
	json_object_put(top);
	wp_policy_free(&pol);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("plist");

	tcase_add_test(tc, test_plist_exact);
	tcase_add_test(tc, test_plist_ge_le);
	tcase_add_test(tc, test_plist_order_deny);
	tcase_add_test(tc, test_plist_implicit_and_undefined);
	tcase_add_test(tc, test_plist_edit);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_test(tc, test_stanza_ends);
	suite_add_tcase(s, tc);
	tc = tcase_create("acl");
	tcase_add_test(tc, test_acl_match);
	tcase_add_test(tc, test_acl_edit);
	tcase_add_test(tc, test_rmap_acl);
	tcase_add_test(tc, test_acl_show);
	suite_add_tcase(s, tc);
	tc = tcase_create("rmap");
	tcase_add_test(tc, test_rmap_sets);
	tcase_add_test(tc, test_rmap_metric_saturates);
	tcase_add_test(tc, test_rmap_undefined_plist);
	tcase_add_test(tc, test_rmap_onmatch);
	tcase_add_test(tc, test_rmap_call);
	tcase_add_test(tc, test_rmap_edit);
	tcase_add_test(tc, test_show);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
