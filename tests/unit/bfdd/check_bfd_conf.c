/*
 * Unit tests for daemons/bfdd/bfd_conf.c (the FRR-syntax parser) and
 * bfd_nb.c (profiles, inheritance, bfd_conf_apply()'s diff).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bfdd.h"
#include "wp_check_conf.h"
#include "wp_cli.h"
#include "wp_mgmt_text.h"
#include "wp_yang.h"

static char err[512];

static struct bfd_conf *
parse(const char *text)
{
	return bfd_conf_parse_string(text, "test.conf", err, sizeof(err));
}

static void
parse_fails(const char *text, const char *want)
{
	struct bfd_conf *c = parse(text);

	ck_assert_msg(c == NULL, "accepted: %s", text);
	ck_assert_msg(strstr(err, want) != NULL, "error \"%s\" lacks \"%s\"",
		      err, want);
}

static struct bfd_key
key(const char *peer, const char *local, const char *ifname, bool mh)
{
	struct bfd_key k;

	memset(&k, 0, sizeof(k));
	ck_assert_int_eq(wp_addr_parse(peer, &k.peer, NULL, 0), 0);
	if (local)
		ck_assert_int_eq(wp_addr_parse(local, &k.local, NULL, 0), 0);
	if (ifname)
		snprintf(k.ifname, sizeof(k.ifname), "%s", ifname);
	k.multihop = mh;
	return k;
}

/* As FRR 8.4 writes it, inside a whole frr.conf. */
static const char frr_conf[] =
	"frr version 8.4.4\n"
	"frr defaults traditional\n"
	"hostname r1\n"
	"!\n"
	"interface eth1\n"
	" ip address 10.0.12.1/24\n"
	"exit\n"
	"!\n"
	"router bgp 65001\n"
	" neighbor 10.0.12.2 remote-as 65002\n"
	" neighbor 10.0.12.2 bfd\n"
	" !\n"
	" address-family ipv4 unicast\n"
	"  network 10.1.0.0/24\n"
	" exit-address-family\n"
	"exit\n"
	"!\n"
	"bfd\n"
	" profile fast\n"
	"  detect-multiplier 5\n"
	"  receive-interval 100\n"
	"  transmit-interval 100\n"
	"  echo receive-interval disabled\n"
	" exit\n"
	" !\n"
	" peer 10.0.12.2 interface eth1\n"
	"  profile fast\n"
	"  transmit-interval 50\n"
	" exit\n"
	" !\n"
	" peer 10.0.99.9 multihop local-address 10.0.12.1\n"
	"  minimum-ttl 250\n"
	"  passive-mode\n"
	"  shutdown\n"
	" exit\n"
	" !\n"
	" peer fe80::2 interface eth1\n"
	"  authentication meticulous-keyed-sha1 key-id 9 key s3cret\n"
	" exit\n"
	" !\n"
	"exit\n"
	"!\n"
	"line vty\n"
	"!\n";

START_TEST(test_frr_file)
{
	struct bfd_conf *c = parse(frr_conf);
	struct bfd_profile_conf *pr;
	struct bfd_peer_conf *pc;
	struct bfd_key k;
	struct bfd_params p;

	ck_assert_msg(c != NULL, "%s", err);
	pr = bfd_conf_profile_find(c, "fast");
	ck_assert_ptr_nonnull(pr);
	ck_assert_uint_eq(pr->p.set, BFD_P_DETECT_MULT | BFD_P_RX | BFD_P_TX |
			  BFD_P_ECHO_RX);
	ck_assert_uint_eq(pr->p.echo_rx_ms, 0);

	k = key("10.0.12.2", NULL, "eth1", false);
	pc = bfd_conf_peer_find(c, &k);
	ck_assert_ptr_nonnull(pc);
	ck_assert_str_eq(pc->profile, "fast");
	ck_assert_uint_eq(pc->line, 26);
	bfd_conf_resolve(c, pc, &p);
	ck_assert_uint_eq(p.detect_mult, 5);	/* profile */
	ck_assert_uint_eq(p.rx_ms, 100);	/* profile */
	ck_assert_uint_eq(p.tx_ms, 50);		/* peer wins */
	ck_assert_uint_eq(p.min_ttl, BFD_DEF_MIN_TTL);	/* default */

	k = key("10.0.99.9", "10.0.12.1", NULL, true);
	pc = bfd_conf_peer_find(c, &k);
	ck_assert_ptr_nonnull(pc);
	bfd_conf_resolve(c, pc, &p);
	ck_assert_uint_eq(p.min_ttl, 250);
	ck_assert(p.passive && p.shutdown);
	ck_assert_uint_eq(p.tx_ms, BFD_DEF_INTERVAL_MS);

	k = key("fe80::2", NULL, "eth1", false);
	pc = bfd_conf_peer_find(c, &k);
	ck_assert_ptr_nonnull(pc);
	ck_assert_uint_eq(pc->p.auth.type, BFD_AUTH_MET_KEYED_SHA1);
	ck_assert_uint_eq(pc->p.auth.key_id, 9);
	ck_assert_uint_eq(pc->p.auth.key_len, 6);
	ck_assert_mem_eq(pc->p.auth.key, "s3cret", 6);
	bfd_conf_free(c);
}
END_TEST

/* No indentation, no exits: nesting from the commands alone. */
START_TEST(test_flat)
{
	struct bfd_conf *c = parse("bfd\npeer 10.0.0.2\ndetect-multiplier 4\n"
				   "no detect-multiplier\nreceive-interval 20\n"
				   "peer 10.0.0.3\nshutdown\nno shutdown\n"
				   "profile p\n");
	struct bfd_peer_conf *pc;
	struct bfd_key k;

	ck_assert_msg(c != NULL, "%s", err);
	k = key("10.0.0.2", NULL, NULL, false);
	pc = bfd_conf_peer_find(c, &k);
	ck_assert_uint_eq(pc->p.set, BFD_P_RX);
	ck_assert_uint_eq(pc->p.rx_ms, 20);
	k = key("10.0.0.3", NULL, NULL, false);
	pc = bfd_conf_peer_find(c, &k);
	ck_assert_uint_eq(pc->p.set, BFD_P_SHUTDOWN);
	ck_assert(!pc->p.shutdown);
	/* inside a peer, "profile" names the peer's profile */
	ck_assert_str_eq(pc->profile, "p");
	ck_assert_ptr_null(bfd_conf_profile_find(c, "p"));
	bfd_conf_free(c);
}
END_TEST

/* Indentation says a profile line at the peer's depth is a new profile. */
START_TEST(test_indent_without_exit)
{
	struct bfd_conf *c = parse("bfd\n peer 10.0.0.2\n  profile slow\n"
				   " profile slow\n  transmit-interval 900\n"
				   "router ospf\n detect-multiplier 7\n");
	struct bfd_profile_conf *pr;

	ck_assert_msg(c != NULL, "%s", err);
	pr = bfd_conf_profile_find(c, "slow");
	ck_assert_ptr_nonnull(pr);
	ck_assert_uint_eq(pr->p.tx_ms, 900);
	ck_assert_uint_eq(pr->p.set, BFD_P_TX);	/* ospf's line skipped */
	bfd_conf_free(c);
}
END_TEST

START_TEST(test_repeated_peer_merges)
{
	struct bfd_conf *c = parse("bfd\n peer 10.0.0.2\n  detect-multiplier 4\n"
				   " exit\n peer 10.0.0.2\n  receive-interval 40\n"
				   " exit\nexit\n");
	struct bfd_peer_conf *pc;
	size_t n = 0;

	ck_assert_msg(c != NULL, "%s", err);
	TAILQ_FOREACH(pc, &c->peers, entry)
		n++;
	ck_assert_uint_eq(n, 1);
	pc = TAILQ_FIRST(&c->peers);
	ck_assert_uint_eq(pc->p.set, BFD_P_DETECT_MULT | BFD_P_RX);
	bfd_conf_free(c);
}
END_TEST

START_TEST(test_errors)
{
	parse_fails("bfd\n peer 10.0.0.256\n", "test.conf:2: peer:");
	parse_fails("bfd\n peer\n", "test.conf:2: peer: address missing");
	parse_fails("bfd\n peer 10.0.0.1 bogus\n", "unknown option \"bogus\"");
	parse_fails("bfd\n peer 10.0.0.1 multihop\n", "need a local-address");
	parse_fails("bfd\n peer 10.0.0.1 multihop local-address 10.0.0.2 "
		    "interface eth0\n", "take no interface");
	parse_fails("bfd\n peer 10.0.0.1 local-address ::1\n",
		    "address family");
	parse_fails("bfd\n peer fe80::1\n", "link-local peer needs an interface");
	parse_fails("bfd\n peer 10.0.0.1 vrf\n", "vrf: name missing");
	parse_fails("bfd\n peer 10.0.0.1 vrf a/b\n", "not a device name");
	parse_fails("bfd\n peer 10.0.0.1 vrf abcdefghijklmnopq\n",
		    "not a device name");
	parse_fails("bfd\n peer 10.0.0.1 interface abcdefghijklmnop\n",
		    "too long");
	parse_fails("bfd\n peer 10.0.0.1\n  detect-multiplier 0\n",
		    "test.conf:3: detect-multiplier: \"0\" is not in 1-255");
	parse_fails("bfd\n peer 10.0.0.1\n  receive-interval 9\n",
		    "not in 10-60000");
	parse_fails("bfd\n peer 10.0.0.1\n  transmit-interval 60001\n",
		    "not in 10-60000");
	parse_fails("bfd\n peer 10.0.0.1\n  transmit-interval -5\n",
		    "not in 10-60000");
	parse_fails("bfd\n peer 10.0.0.1\n  minimum-ttl 255\n", "not in 1-254");
	parse_fails("bfd\n peer 10.0.0.1\n  echo bogus-interval 50\n",
		    "echo: receive-interval or transmit-interval expected");
	parse_fails("bfd\n peer 10.0.0.1\n  frobnicate\n",
		    "test.conf:3: unknown command \"frobnicate\"");
	parse_fails("bfd\n detect-multiplier 3\n",
		    "detect-multiplier: outside a peer or profile");
	parse_fails("bfd\n profile a b\n", "one name expected");
	parse_fails("bfd\n peer 10.0.0.1\n  authentication md5 key-id 1 key x\n",
		    "unknown type \"md5\"");
	parse_fails("bfd\n peer 10.0.0.1\n  authentication keyed-md5 key x\n",
		    "authentication TYPE (key-id");
	parse_fails("bfd\n peer 10.0.0.1\n  authentication keyed-md5 key-id 1 "
		    "key 0123456789abcdefg\n", "1-16 characters");
	parse_fails("bfd\n peer 10.0.0.1\n  authentication keyed-sha1 key-id 256 "
		    "key k\n", "key-id");
}
END_TEST

/*
 * mgmtd's JSON goes through the module's CLI rendering into the same
 * parser: every kind of setting the module has arrives.
 */
static struct bfd_conf *
mgmt_json(struct wp_cli *cli, const char *json, char *e, size_t elen)
{
	return wp_mgmt_text_parse_json(cli, json, bfd_mgmt_cbs(NULL), e,
				       elen);
}

/* The same peer in two VRFs is two peers; 'vrf default' is no VRF. */
START_TEST(test_vrf)
{
	struct bfd_conf *c = parse(
		"bfd\n"
		" peer 10.0.0.2\n"
		"  receive-interval 100\n"
		" exit\n"
		" peer 10.0.0.2 vrf red\n"
		"  receive-interval 200\n"
		" exit\n"
		" peer 10.0.0.2 vrf default\n"
		"  transmit-interval 400\n"
		" exit\n"
		" peer 10.0.0.2 interface eth1 vrf blue\n"
		" exit\n"
		" peer 10.9.9.9 multihop local-address 10.0.0.1 vrf red\n"
		" exit\n"
		"exit\n");
	struct bfd_key k = key("10.0.0.2", NULL, NULL, false);
	struct bfd_peer_conf *pc, *red;
	char kb[160];
	size_t n = 0;

	ck_assert_msg(c != NULL, "%s", err);
	TAILQ_FOREACH(pc, &c->peers, entry)
		n++;
	ck_assert_uint_eq(n, 4);
	pc = bfd_conf_peer_find(c, &k);
	ck_assert_ptr_nonnull(pc);
	ck_assert_uint_eq(pc->p.rx_ms, 100);
	ck_assert_uint_eq(pc->p.tx_ms, 400);	/* 'vrf default' merged */
	snprintf(k.vrf, sizeof(k.vrf), "red");
	red = bfd_conf_peer_find(c, &k);
	ck_assert_ptr_nonnull(red);
	ck_assert_ptr_ne(red, pc);
	ck_assert_uint_eq(red->p.rx_ms, 200);
	ck_assert_str_eq(bfd_key_fmt(&red->key, kb, sizeof(kb)),
			 "10.0.0.2 vrf red");
	ck_assert_str_eq(bfd_key_vrf(&red->key), "red");
	ck_assert_str_eq(bfd_key_vrf(&pc->key), "default");
	snprintf(k.vrf, sizeof(k.vrf), "blue");
	ck_assert_ptr_null(bfd_conf_peer_find(c, &k));
	snprintf(k.ifname, sizeof(k.ifname), "eth1");
	ck_assert_ptr_nonnull(bfd_conf_peer_find(c, &k));
	k = key("10.9.9.9", "10.0.0.1", NULL, true);
	ck_assert_ptr_null(bfd_conf_peer_find(c, &k));
	snprintf(k.vrf, sizeof(k.vrf), "red");
	ck_assert_ptr_nonnull(bfd_conf_peer_find(c, &k));
	bfd_conf_free(c);
}
END_TEST

START_TEST(test_from_mgmtd_json)
{
	static const char json[] =
		"{\"waypoint-bfd:bfd\":{"
		"\"client-grace-period\":30,"
		"\"dampening\":{\"max-flaps\":4,\"hold-down\":2},"
		"\"profile\":[{\"name\":\"fast\",\"detect-multiplier\":5,"
		"\"receive-interval\":100,\"echo-receive-interval\":\"disabled\","
		"\"authentication\":{\"type\":\"keyed-md5\",\"key-id\":3,"
		"\"key\":\"s3cret\"}}],"
		"\"peer\":[{\"address\":\"10.0.0.2\",\"multihop\":false,"
		"\"local-address\":\"\",\"interface\":\"eth1\","
		"\"vrf\":\"default\",\"profile\":\"fast\",\"echo-mode\":true,"
		"\"echo-transmit-interval\":70},"
		"{\"address\":\"10.9.9.9\",\"multihop\":true,"
		"\"local-address\":\"10.0.0.1\",\"interface\":\"\","
		"\"vrf\":\"red\",\"minimum-ttl\":250}]}}";
	static const char refused[] =
		"{\"waypoint-bfd:bfd\":{\"peer\":[{\"address\":\"10.0.0.9\","
		"\"multihop\":true,\"local-address\":\"\",\"interface\":\"\","
		"\"vrf\":\"default\"}]}}";
	struct ly_ctx *ctx = NULL;
	struct wp_cli *cli;
	struct bfd_conf *c;
	struct bfd_profile_conf *pr;
	struct bfd_peer_conf *pc;
	char *yerr = NULL;

	ck_assert_msg(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx,
				      &yerr) == 0, "%s", yerr);
	cli = wp_cli_new(ctx, &yerr);
	ck_assert_msg(cli != NULL, "%s", yerr);

	c = mgmt_json(cli, json, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_double_eq(c->client_grace, 30);
	ck_assert(c->damp.enabled);
	ck_assert_uint_eq(c->damp.max_flaps, 4);
	ck_assert_double_eq(c->damp.hold_min, 2);
	pr = bfd_conf_profile_find(c, "fast");
	ck_assert_ptr_nonnull(pr);
	ck_assert_uint_eq(pr->p.detect_mult, 5);
	ck_assert_uint_eq(pr->p.rx_ms, 100);
	ck_assert_uint_eq(pr->p.echo_rx_ms, 0);
	ck_assert_uint_eq(pr->p.auth.type, BFD_AUTH_KEYED_MD5);
	ck_assert_uint_eq(pr->p.auth.key_id, 3);
	ck_assert_uint_eq(pr->p.auth.key_len, 6);
	pc = TAILQ_FIRST(&c->peers);
	ck_assert_ptr_nonnull(pc);
	ck_assert_str_eq(pc->key.ifname, "eth1");
	ck_assert_str_eq(pc->key.vrf, "");	/* 'default' */
	ck_assert_str_eq(pc->profile, "fast");
	ck_assert(pc->p.echo_mode);
	ck_assert_uint_eq(pc->p.echo_tx_ms, 70);
	pc = TAILQ_NEXT(pc, entry);
	ck_assert_ptr_nonnull(pc);
	ck_assert(pc->key.multihop);
	ck_assert_str_eq(pc->key.vrf, "red");
	ck_assert_uint_eq(pc->p.min_ttl, 250);
	bfd_conf_free(c);

	/* An empty configuration is no peers, not an error. */
	c = mgmt_json(cli, "{}", err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert(TAILQ_EMPTY(&c->peers));
	bfd_conf_free(c);

	/* A refusal names the command, not a line of text nobody saw. */
	c = mgmt_json(cli, refused, err, sizeof(err));
	ck_assert_ptr_null(c);
	ck_assert_str_eq(err, "peer: multihop sessions need a local-address "
			 "(in 'peer 10.0.0.9 multihop')");
	c = mgmt_json(cli, "{\"waypoint-bfd:bfd\":{\"peer\":",
				    err, sizeof(err));
	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(err, "does not parse") != NULL, "%s", err);

	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

START_TEST(test_globals)
{
	struct bfd_conf *c = parse("bfd\n peer 10.0.0.2\n  shutdown\n"
				   " dampening max-flaps 4 window 30 hold-down 2"
				   " max-hold-down 60\n"
				   " client grace-period 0\n peer 10.0.0.3\n");

	ck_assert_msg(c != NULL, "%s", err);
	ck_assert(c->damp.enabled);
	ck_assert_uint_eq(c->damp.max_flaps, 4);
	ck_assert_double_eq(c->damp.window, 30);
	ck_assert_double_eq(c->damp.hold_min, 2);
	ck_assert_double_eq(c->damp.hold_max, 60);
	ck_assert_double_eq(c->client_grace, 0);
	bfd_conf_free(c);
	c = parse("bfd\n dampening\n no dampening\n");
	ck_assert(!c->damp.enabled);
	ck_assert_uint_eq(c->damp.max_flaps, BFD_DAMP_MAX_FLAPS);
	ck_assert_double_eq(c->client_grace, BFD_CLIENT_GRACE);
	bfd_conf_free(c);
	parse_fails("bfd\n dampening hold-down 10 max-hold-down 5\n",
		    "shorter than hold-down");
	parse_fails("bfd\n dampening max-flaps 1\n", "not in 2-100");
	parse_fails("bfd\n dampening often\n", "unknown option \"often\"");
	parse_fails("bfd\n client grace-period\n", "value missing");
}
END_TEST

START_TEST(test_key_chain)
{
	struct bfd_conf *c = parse("key chain K\n key 1\n  key-string abc\n"
				   "  send-lifetime 00:00:00 Jan 1 2026 "
				   "infinite\n exit\nexit\n"
				   "bfd\n peer 10.0.0.1\n"
				   "  authentication keyed-md5 key-chain K\n"
				   " exit\nexit\nkey chain L\n key 2\n");
	struct bfd_peer_conf *pc;

	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->keychains.n, 2);
	ck_assert_uint_eq(wp_keychain_find(&c->keychains, "K")->n_keys, 1);
	pc = TAILQ_FIRST(&c->peers);
	ck_assert_ptr_nonnull(pc);
	ck_assert_uint_eq(pc->p.auth.type, BFD_AUTH_KEYED_MD5);
	ck_assert_str_eq(pc->p.auth.key_chain, "K");
	ck_assert_uint_eq(pc->p.auth.key_len, 0);
	bfd_conf_free(c);
	parse_fails("bfd\n peer 10.0.0.1\n  authentication simple key-chain "
		    "K\n", "not \"simple\"");
	parse_fails("bfd\n peer 10.0.0.1\n  authentication sha key-chain "
		    "K\n", "unknown type \"sha\"");
	parse_fails("key chain K\n key 1\n  cryptographic-algorithm foo\n",
		    "test.conf:3: invalid cryptographic-algorithm \"foo\"");
}
END_TEST

/*
 * bfdd shares waypoint-routing with ribd for the key chains: whatever
 * else that module holds (static routes, route maps, prefix lists, ...)
 * renders into lines bfdd skips, so a commit ribd takes is never
 * refused here.  The tree is each round-trip file of tests/config whole,
 * more than mgmtd sends bfdd.
 */
START_TEST(test_shared_modules)
{
	static const char *const files[] = {
		"static.conf", "policy.conf", "keychain.conf", "daemons.conf",
	};
	struct ly_ctx *ctx = NULL;
	struct wp_cli *cli;
	char *yerr = NULL;

	ck_assert_msg(wp_yang_ctx_new(TOP_SRCDIR "/yang", NULL, &ctx,
				      &yerr) == 0, "%s", yerr);
	cli = wp_cli_new(ctx, &yerr);
	ck_assert_msg(cli != NULL, "%s", yerr);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *json = wp_check_conf_json(cli, TOP_SRCDIR, files[i]);
		struct bfd_conf *c = mgmt_json(cli, json, err, sizeof(err));

		ck_assert_msg(c != NULL, "%s: %s", files[i], err);
		if (strcmp(files[i], "keychain.conf") == 0) {
			const struct wp_keychain *kc;
			const struct bfd_peer_conf *pc = TAILQ_FIRST(&c->peers);

			kc = wp_keychain_find(&c->keychains, "OSPF");
			ck_assert_ptr_nonnull(kc);
			ck_assert_uint_eq(kc->n_keys, 2);
			ck_assert(kc->keys[0].send.set);
			ck_assert_str_eq(pc->p.auth.key_chain, "BFD");
		}
		bfd_conf_free(c);
		wp_free(MT_STRING, json);
	}
	wp_cli_free(cli);
	wp_yang_ctx_free(ctx);
}
END_TEST

START_TEST(test_other_daemons_only)
{
	struct bfd_conf *c = parse("router bgp 1\n neighbor 10.0.0.2 bfd\n"
				   " peer 10.9.9.9\n!\ninterface eth0\n"
				   " bfd\n");

	ck_assert_msg(c != NULL, "%s", err);
	ck_assert(TAILQ_EMPTY(&c->peers));
	bfd_conf_free(c);
}
END_TEST

/* --- applying --------------------------------------------------------- */

static void
no_tx(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
}

START_TEST(test_apply_diff)
{
	struct wp_loop *loop = wp_loop_new();
	struct bfd_global bg;
	struct bfd_conf *c1, *c2;
	struct bfd_session *a, *b;
	struct bfd_key ka = key("10.0.0.2", NULL, NULL, false);
	struct bfd_key kb = key("10.0.0.3", NULL, NULL, false);
	struct bfd_key kc = key("10.0.0.4", NULL, NULL, false);
	uint32_t disc_a;

	bfd_global_init(&bg, loop);
	bg.tx_hook = no_tx;
	c1 = parse("bfd\n profile p\n  transmit-interval 100\n exit\n"
		   " peer 10.0.0.2\n  profile p\n exit\n"
		   " peer 10.0.0.3\n exit\nexit\n");
	ck_assert_ptr_nonnull(c1);
	bfd_conf_apply(&bg, NULL, c1);
	ck_assert_ptr_eq(bg.conf, c1);
	ck_assert_uint_eq(bg.nsessions, 2);
	a = bfd_session_find(&bg, &ka);
	ck_assert_ptr_nonnull(a);
	ck_assert(a->configured);
	ck_assert_str_eq(a->profile, "p");
	ck_assert_uint_eq(a->p.tx_ms, 100);
	disc_a = a->local_disc;

	/* the profile changes, 10.0.0.3 goes, 10.0.0.4 comes */
	c2 = parse("bfd\n profile p\n  transmit-interval 200\n exit\n"
		   " peer 10.0.0.2\n  profile p\n exit\n"
		   " peer 10.0.0.4\n  shutdown\n exit\nexit\n");
	ck_assert_ptr_nonnull(c2);
	bfd_conf_apply(&bg, c1, c2);
	bfd_conf_free(c1);
	ck_assert_uint_eq(bg.nsessions, 2);
	a = bfd_session_find(&bg, &ka);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(a->local_disc, disc_a);	/* same session */
	ck_assert_uint_eq(a->p.tx_ms, 200);
	ck_assert_ptr_null(bfd_session_find(&bg, &kb));
	b = bfd_session_find(&bg, &kc);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(b->state, BFD_STA_ADMIN_DOWN);

	/* empty: everything goes */
	c1 = parse("");
	bfd_conf_apply(&bg, c2, c1);
	bfd_conf_free(c2);
	ck_assert_uint_eq(bg.nsessions, 0);
	bfd_global_fini(&bg);
	wp_loop_free(loop);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}
END_TEST

START_TEST(test_reload_file)
{
	struct wp_loop *loop = wp_loop_new();
	char path[] = "/tmp/check_bfd_conf.XXXXXX";
	struct bfd_global bg;
	FILE *f;
	int fd;

	bfd_global_init(&bg, loop);
	bg.tx_hook = no_tx;
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("bfd\n peer 10.0.0.2\n", f);
	fclose(f);
	bg.config_file = path;
	bg.conf = bfd_conf_new();
	ck_assert_int_eq(bfd_conf_reload(&bg), 0);
	ck_assert_uint_eq(bg.nsessions, 1);
	/* a broken file keeps what runs */
	f = fopen(path, "w");
	fputs("bfd\n peer 10.0.0.2\n  receive-interval 1\n", f);
	fclose(f);
	ck_assert_int_eq(bfd_conf_reload(&bg), -1);
	ck_assert_uint_eq(bg.nsessions, 1);
	unlink(path);
	ck_assert_int_eq(bfd_conf_reload(&bg), -1);
	bg.config_file = NULL;
	bfd_global_fini(&bg);
	wp_loop_free(loop);
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bfd_conf");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_frr_file);
	tcase_add_test(tc, test_vrf);
	tcase_add_test(tc, test_flat);
	tcase_add_test(tc, test_indent_without_exit);
	tcase_add_test(tc, test_repeated_peer_merges);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_globals);
	tcase_add_test(tc, test_from_mgmtd_json);
	tcase_add_test(tc, test_other_daemons_only);
	tcase_add_test(tc, test_key_chain);
	tcase_add_test(tc, test_shared_modules);
	tcase_add_test(tc, test_apply_diff);
	tcase_add_test(tc, test_reload_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
