/*
 * bfd_conf.c: the `bfd` stanza of an FRR-syntax configuration file, as
 * text, into a struct bfd_conf.
 *
 * This is the only file that knows the text syntax.  Until mgmtd hands
 * bfdd its configuration as YANG data, bfdd reads the node's config file
 * itself (-f, and again on SIGHUP); mgmtd's northbound callbacks will
 * then build the same struct bfd_conf and this file goes away.
 *
 *	bfd
 *	 profile NAME
 *	  detect-multiplier (1-255)
 *	  receive-interval (10-60000)
 *	  transmit-interval (10-60000)
 *	  echo-mode
 *	  echo receive-interval <disabled|(10-60000)>
 *	  echo transmit-interval (10-60000)
 *	  minimum-ttl (1-254)
 *	  passive-mode
 *	  shutdown
 *	  authentication TYPE key-id (0-255) key SECRET      (Waypoint)
 *	  authentication TYPE key-chain NAME                 (Waypoint)
 *	 exit
 *	 peer ADDR [multihop] [local-address ADDR] [interface IF] [vrf NAME]
 *	  profile NAME
 *	  ... the same settings, which override the profile's
 *	 exit
 *	 dampening [max-flaps N] [window S] [hold-down S] [max-hold-down S]
 *	 client grace-period (0-3600)                          (Waypoint)
 *	exit
 *	key chain NAME ...	(lib/wp_keychain.h; for key-chain)
 *
 * Every setting takes `no` to return to the profile's or default value.
 * Lines outside the stanza belong to other daemons and are skipped.  The
 * nesting follows the indentation where there is one (as FRR writes
 * it), `exit` and the command names otherwise.  The first error stops
 * the parse: "FILE:LINE: reason".
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfdd.h"

#define MAX_WORDS	16

enum conf_ctx {
	CTX_TOP,		/* between stanzas */
	CTX_OTHER,		/* inside another daemon's stanza */
	CTX_BFD,
	CTX_PEER,
	CTX_PROFILE,
};

struct parser {
	const char *name;
	unsigned int line;
	struct bfd_conf *conf;
	enum conf_ctx ctx;
	int sub_indent;			/* of the peer/profile line */
	struct bfd_peer_conf *peer;
	struct bfd_profile_conf *profile;
	struct wp_kc_parser kp;		/* in a `key chain` stanza */
	char *err;
	size_t errlen;
};

static int
perr(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
perr(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->name, ps->line, msg);
	return -1;
}

static int
parse_uint(struct parser *ps, const char *what, const char *s,
	   unsigned long min, unsigned long max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (s == NULL)
		return perr(ps, "%s: value missing", what);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-' || v < min || v > max)
		return perr(ps, "%s: \"%s\" is not in %lu-%lu", what, s, min,
			    max);
	*out = (uint32_t)v;
	return 0;
}

static int
parse_addr(struct parser *ps, const char *what, const char *s,
	   struct wp_addr *a)
{
	char err[WP_PREFIX_ERRLEN];

	if (s == NULL)
		return perr(ps, "%s: address missing", what);
	if (wp_addr_parse(s, a, err, sizeof(err)) == -1)
		return perr(ps, "%s: %s", what, err);
	return 0;
}

/* --- peer and profile lines ------------------------------------------- */

static int
parse_peer_line(struct parser *ps, int argc, char **argv)
{
	struct bfd_peer_conf *pc;
	struct bfd_key key;
	int i;

	memset(&key, 0, sizeof(key));
	if (parse_addr(ps, "peer", argc > 1 ? argv[1] : NULL, &key.peer) == -1)
		return -1;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "multihop") == 0) {
			key.multihop = true;
		} else if (strcmp(argv[i], "local-address") == 0) {
			if (parse_addr(ps, "local-address",
				       i + 1 < argc ? argv[i + 1] : NULL,
				       &key.local) == -1)
				return -1;
			i++;
		} else if (strcmp(argv[i], "interface") == 0) {
			if (i + 1 >= argc)
				return perr(ps, "interface: name missing");
			if (strlen(argv[i + 1]) >= IFNAMSIZ)
				return perr(ps, "interface: \"%s\" is too long",
					    argv[i + 1]);
			snprintf(key.ifname, sizeof(key.ifname), "%s",
				 argv[++i]);
		} else if (strcmp(argv[i], "vrf") == 0) {
			char err[80];

			if (i + 1 >= argc)
				return perr(ps, "vrf: name missing");
			if (bfd_vrf_name(argv[++i], key.vrf, err,
					 sizeof(err)) == -1)
				return perr(ps, "%s", err);
		} else {
			return perr(ps, "peer: unknown option \"%s\"",
				    argv[i]);
		}
	}
	if (key.local.family && key.local.family != key.peer.family)
		return perr(ps, "peer: local-address is not of the peer's "
			    "address family");
	if (key.multihop && key.ifname[0])
		return perr(ps, "peer: multihop sessions take no interface");
	if (key.multihop && !key.local.family)
		return perr(ps, "peer: multihop sessions need a "
			    "local-address");
	if (key.peer.family == AF_INET6 &&
	    IN6_IS_ADDR_LINKLOCAL(&key.peer.u.v6) && !key.ifname[0])
		return perr(ps, "peer: a link-local peer needs an interface");

	pc = bfd_conf_peer_find(ps->conf, &key);
	if (pc == NULL) {
		pc = wp_calloc(MT_BFD_CONF, sizeof(*pc));
		pc->key = key;
		pc->line = ps->line;
		TAILQ_INSERT_TAIL(&ps->conf->peers, pc, entry);
	}
	ps->peer = pc;
	ps->profile = NULL;
	ps->ctx = CTX_PEER;
	return 0;
}

static int
parse_profile_line(struct parser *ps, int argc, char **argv)
{
	struct bfd_profile_conf *pr;

	if (argc != 2)
		return perr(ps, "profile: one name expected");
	if (strlen(argv[1]) >= BFD_NAME_MAX)
		return perr(ps, "profile: name too long");
	pr = bfd_conf_profile_find(ps->conf, argv[1]);
	if (pr == NULL) {
		pr = wp_calloc(MT_BFD_CONF, sizeof(*pr));
		snprintf(pr->name, sizeof(pr->name), "%s", argv[1]);
		TAILQ_INSERT_TAIL(&ps->conf->profiles, pr, entry);
	}
	ps->profile = pr;
	ps->peer = NULL;
	ps->ctx = CTX_PROFILE;
	return 0;
}

/* --- settings --------------------------------------------------------- */

static int
auth_type(struct parser *ps, const char *s, uint8_t *type)
{
	if (bfd_auth_type_parse(s, type) == -1 || *type == BFD_AUTH_NONE)
		return perr(ps, "authentication: unknown type \"%s\" (simple, "
			    "keyed-md5, meticulous-keyed-md5, keyed-sha1, "
			    "meticulous-keyed-sha1)", s);
	return 0;
}

/* `authentication TYPE key-chain NAME`: the chain's keys of the moment
 * (bfd_auth_from_chain()); a chain not (yet) configured has none. */
static int
parse_auth_chain(struct parser *ps, struct bfd_params *p, char **argv)
{
	struct bfd_auth a;

	memset(&a, 0, sizeof(a));
	if (auth_type(ps, argv[1], &a.type) == -1)
		return -1;
	if (a.type == BFD_AUTH_SIMPLE)
		return perr(ps, "authentication: a key chain serves the MD5 "
			    "and SHA1 types, not \"simple\"");
	if (strlen(argv[3]) > WP_KC_NAME_MAX)
		return perr(ps, "authentication: key chain name \"%s\" is "
			    "too long", argv[3]);
	snprintf(a.key_chain, sizeof(a.key_chain), "%s", argv[3]);
	p->auth = a;
	p->set |= BFD_P_AUTH;
	return 0;
}

static int
parse_auth(struct parser *ps, struct bfd_params *p, int argc, char **argv)
{
	struct bfd_auth a;
	uint32_t id;
	size_t len, max;

	memset(&a, 0, sizeof(a));
	if (argc == 4 && strcmp(argv[2], "key-chain") == 0)
		return parse_auth_chain(ps, p, argv);
	if (argc != 6 || strcmp(argv[2], "key-id") != 0 ||
	    strcmp(argv[4], "key") != 0)
		return perr(ps, "authentication TYPE (key-id (0-255) "
			    "key SECRET|key-chain NAME)");
	if (auth_type(ps, argv[1], &a.type) == -1)
		return -1;
	if (parse_uint(ps, "key-id", argv[3], 0, 255, &id) == -1)
		return -1;
	a.key_id = (uint8_t)id;
	len = strlen(argv[5]);
	max = (a.type == BFD_AUTH_KEYED_SHA1 ||
	       a.type == BFD_AUTH_MET_KEYED_SHA1) ? 20 : 16;
	if (len == 0 || len > max)
		return perr(ps, "authentication: a %s key has 1-%zu "
			    "characters", argv[1], max);
	a.key_len = (uint8_t)len;
	memcpy(a.key, argv[5], len);
	p->auth = a;
	p->set |= BFD_P_AUTH;
	return 0;
}

/*
 * One setting of a peer or profile.  Returns 0, -1 on error, 1 if the
 * words are no setting at all.
 */
static int
parse_setting(struct parser *ps, struct bfd_params *p, int argc, char **argv)
{
	bool no = strcmp(argv[0], "no") == 0;
	const char *cmd, *arg;
	uint32_t v;

	if (no) {
		argv++;
		argc--;
		if (argc == 0)
			return perr(ps, "no: command missing");
	}
	cmd = argv[0];
	arg = argc > 1 ? argv[1] : NULL;

	if (strcmp(cmd, "detect-multiplier") == 0) {
		if (no) {
			p->set &= ~(uint32_t)BFD_P_DETECT_MULT;
			return 0;
		}
		if (parse_uint(ps, cmd, arg, 1, 255, &v) == -1)
			return -1;
		p->detect_mult = (uint8_t)v;
		p->set |= BFD_P_DETECT_MULT;
	} else if (strcmp(cmd, "receive-interval") == 0 ||
		   strcmp(cmd, "transmit-interval") == 0) {
		bool rx = cmd[0] == 'r';
		uint32_t bit = rx ? BFD_P_RX : BFD_P_TX;

		if (no) {
			p->set &= ~bit;
			return 0;
		}
		if (parse_uint(ps, cmd, arg, 10, 60000, &v) == -1)
			return -1;
		*(rx ? &p->rx_ms : &p->tx_ms) = v;
		p->set |= bit;
	} else if (strcmp(cmd, "echo-mode") == 0) {
		p->echo_mode = !no;
		p->set |= BFD_P_ECHO_MODE;
	} else if (strcmp(cmd, "echo-interval") == 0) {
		if (no) {
			p->set &= ~(uint32_t)(BFD_P_ECHO_RX | BFD_P_ECHO_TX);
			return 0;
		}
		if (parse_uint(ps, cmd, arg, 10, 60000, &v) == -1)
			return -1;
		p->echo_rx_ms = p->echo_tx_ms = v;
		p->set |= BFD_P_ECHO_RX | BFD_P_ECHO_TX;
	} else if (strcmp(cmd, "echo") == 0) {
		const char *val = argc > 2 ? argv[2] : NULL;
		bool rx;

		if (arg == NULL || (strcmp(arg, "receive-interval") != 0 &&
				    strcmp(arg, "transmit-interval") != 0))
			return perr(ps, "echo: receive-interval or "
				    "transmit-interval expected");
		rx = arg[0] == 'r';
		if (no) {
			p->set &= ~(uint32_t)(rx ? BFD_P_ECHO_RX :
						   BFD_P_ECHO_TX);
			return 0;
		}
		if (rx && val && strcmp(val, "disabled") == 0)
			v = 0;
		else if (parse_uint(ps, arg, val, 10, 60000, &v) == -1)
			return -1;
		*(rx ? &p->echo_rx_ms : &p->echo_tx_ms) = v;
		p->set |= rx ? BFD_P_ECHO_RX : BFD_P_ECHO_TX;
	} else if (strcmp(cmd, "minimum-ttl") == 0) {
		if (no) {
			p->set &= ~(uint32_t)BFD_P_MIN_TTL;
			return 0;
		}
		if (parse_uint(ps, cmd, arg, 1, 254, &v) == -1)
			return -1;
		p->min_ttl = (uint8_t)v;
		p->set |= BFD_P_MIN_TTL;
	} else if (strcmp(cmd, "passive-mode") == 0) {
		p->passive = !no;
		p->set |= BFD_P_PASSIVE;
	} else if (strcmp(cmd, "shutdown") == 0) {
		p->shutdown = !no;
		p->set |= BFD_P_SHUTDOWN;
	} else if (strcmp(cmd, "authentication") == 0) {
		if (no) {
			memset(&p->auth, 0, sizeof(p->auth));
			p->set &= ~(uint32_t)BFD_P_AUTH;
			return 0;
		}
		return parse_auth(ps, p, argc, argv);
	} else if (strcmp(cmd, "label") == 0) {
		/* FRR's peer label: nothing uses it here. */
	} else {
		return 1;
	}
	return 0;
}

/* --- lines -------------------------------------------------------------- */

static int
split(char *line, char **argv)
{
	int argc = 0;

	for (char *w = strtok(line, " \t"); w; w = strtok(NULL, " \t")) {
		if (argc == MAX_WORDS)
			return -1;
		argv[argc++] = w;
	}
	return argc;
}

static bool
is_exit(const char *w)
{
	return strcmp(w, "exit") == 0 || strcmp(w, "quit") == 0;
}

/*
 * Settings of the bfd node itself (Waypoint's; FRR has neither):
 *	[no] dampening [max-flaps (2-100)] [window (1-3600)]
 *		[hold-down (1-3600)] [max-hold-down (1-86400)]
 *	client grace-period (0-3600)
 * 1 if the words are none of them.
 */
static int
parse_global(struct parser *ps, int argc, char **argv)
{
	struct bfd_dampening *d = &ps->conf->damp;
	uint32_t v;

	if (argc >= 1 && strcmp(argv[0], "dampening") == 0) {
		d->enabled = true;
		for (int i = 1; i < argc; i += 2) {
			const char *w = argv[i], *val = i + 1 < argc ?
							       argv[i + 1] :
							       NULL;

			if (strcmp(w, "max-flaps") == 0) {
				if (parse_uint(ps, w, val, 2, 100, &v) == -1)
					return -1;
				d->max_flaps = v;
			} else if (strcmp(w, "window") == 0) {
				if (parse_uint(ps, w, val, 1, 3600, &v) == -1)
					return -1;
				d->window = v;
			} else if (strcmp(w, "hold-down") == 0) {
				if (parse_uint(ps, w, val, 1, 3600, &v) == -1)
					return -1;
				d->hold_min = v;
			} else if (strcmp(w, "max-hold-down") == 0) {
				if (parse_uint(ps, w, val, 1, 86400, &v) == -1)
					return -1;
				d->hold_max = v;
			} else {
				return perr(ps, "dampening: unknown option "
					    "\"%s\"", w);
			}
		}
		if (d->hold_max < d->hold_min)
			return perr(ps, "dampening: max-hold-down is shorter "
				    "than hold-down");
		return 0;
	}
	if (argc == 2 && strcmp(argv[0], "no") == 0 &&
	    strcmp(argv[1], "dampening") == 0) {
		d->enabled = false;
		return 0;
	}
	if (argc >= 2 && strcmp(argv[0], "client") == 0 &&
	    strcmp(argv[1], "grace-period") == 0) {
		if (parse_uint(ps, "grace-period", argc > 2 ? argv[2] : NULL, 0,
			       3600, &v) == -1)
			return -1;
		ps->conf->client_grace = v;
		return 0;
	}
	return 1;
}

/* A peer or profile command; 1 if the words are none. */
static int
parse_sub(struct parser *ps, enum conf_ctx level, int argc, char **argv)
{
	if (level == CTX_PEER && strcmp(argv[0], "profile") == 0) {
		if (argc != 2 || strlen(argv[1]) >= BFD_NAME_MAX)
			return perr(ps, "profile: one name expected");
		snprintf(ps->peer->profile, sizeof(ps->peer->profile), "%s",
			 argv[1]);
		return 0;
	}
	if (level == CTX_PEER && argc == 2 && strcmp(argv[0], "no") == 0 &&
	    strcmp(argv[1], "profile") == 0) {
		ps->peer->profile[0] = '\0';
		return 0;
	}
	return parse_setting(ps, level == CTX_PEER ? &ps->peer->p :
						     &ps->profile->p,
			     argc, argv);
}

/*
 * Like FRR's configuration reader, a command is tried in the current
 * node, then in the ones above it.  An indented file also says where a
 * line belongs: one indented no deeper than the peer or profile line
 * above it is a bfd-node command.
 */
static int
parse_line(struct parser *ps, char *line)
{
	char *argv[MAX_WORDS];
	enum conf_ctx level;
	int indent = 0, argc, rc;
	char *s = line, kerr[200];

	while (*s == ' ' || *s == '\t') {
		s++;
		indent++;
	}
	s[strcspn(s, "\r\n")] = '\0';
	if (*s == '\0' || *s == '!' || *s == '#')
		return 0;
	argc = split(s, argv);
	if (argc < 0)
		return perr(ps, "too many words");
	if (argc == 0)
		return 0;
	rc = wp_keychain_line(&ps->kp, indent, argv, argc, kerr, sizeof(kerr));
	if (rc == -1)
		return perr(ps, "%s", kerr);
	if (rc == 1) {
		ps->ctx = CTX_TOP;
		return 0;
	}

	if (ps->ctx == CTX_TOP || ps->ctx == CTX_OTHER) {
		if (indent == 0)
			ps->ctx = argc == 1 && strcmp(argv[0], "bfd") == 0 ?
					  CTX_BFD : CTX_OTHER;
		return 0;	/* another daemon's line */
	}
	if (is_exit(argv[0])) {
		ps->ctx = ps->ctx == CTX_BFD ? CTX_TOP : CTX_BFD;
		return 0;
	}
	if (strcmp(argv[0], "end") == 0) {
		ps->ctx = CTX_TOP;
		return 0;
	}
	level = ps->ctx;
	if (level != CTX_BFD && indent > 0 && indent <= ps->sub_indent)
		level = CTX_BFD;
	if (level != CTX_BFD) {
		rc = parse_sub(ps, level, argc, argv);
		if (rc != 1)
			return rc;
	}
	rc = parse_global(ps, argc, argv);
	if (rc != 1) {
		ps->ctx = CTX_BFD;
		return rc;
	}
	if (strcmp(argv[0], "peer") == 0 || strcmp(argv[0], "profile") == 0) {
		ps->sub_indent = indent;
		if (argv[0][1] == 'e')
			return parse_peer_line(ps, argc, argv);
		return parse_profile_line(ps, argc, argv);
	}
	if (indent == 0) {
		/* The next top-level stanza. */
		ps->ctx = argc == 1 && strcmp(argv[0], "bfd") == 0 ?
				  CTX_BFD : CTX_OTHER;
		return 0;
	}
	if (parse_setting(ps, &(struct bfd_params){ 0 }, argc, argv) != 1)
		return perr(ps, "%s: outside a peer or profile", argv[0]);
	return perr(ps, "unknown command \"%s\"", argv[0]);
}

static struct bfd_conf *
parse_lines(struct parser *ps, char *text)
{
	char *line = text, *next;

	ps->conf = bfd_conf_new();
	ps->kp.set = &ps->conf->keychains;
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		ps->line++;
		if (parse_line(ps, line) == -1) {
			bfd_conf_free(ps->conf);
			return NULL;
		}
	}
	return ps->conf;
}

struct bfd_conf *
bfd_conf_parse_string(const char *text, const char *name, char *err,
		      size_t errlen)
{
	struct parser ps = { .name = name, .err = err, .errlen = errlen };
	char *copy = wp_strdup(MT_BFD_CONF, text);
	struct bfd_conf *c;

	err[0] = '\0';
	c = parse_lines(&ps, copy);
	wp_free(MT_BFD_CONF, copy);
	return c;
}

struct bfd_conf *
bfd_conf_parse_file(const char *path, char *err, size_t errlen)
{
	struct bfd_conf *c;
	char *text = NULL;
	size_t len = 0, cap = 0;
	char chunk[4096];
	size_t n;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			text = wp_realloc(MT_BFD_CONF, text, cap);
		}
		memcpy(text + len, chunk, n);
		len += n;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		fclose(f);
		wp_free(MT_BFD_CONF, text);
		return NULL;
	}
	fclose(f);
	if (text == NULL)
		return bfd_conf_new();	/* empty file: empty config */
	text[len] = '\0';
	c = bfd_conf_parse_string(text, path, err, errlen);
	wp_free(MT_BFD_CONF, text);
	return c;
}
