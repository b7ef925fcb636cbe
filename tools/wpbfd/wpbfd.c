/*
 * wpbfd: a bfdd client for scripts and tests.  Registers peers on
 * bfdd.sock and prints each status bfdd sends, one JSON object a line:
 *
 *	wpbfd [-n NAME] [-t SECONDS] SOCKET PEER[,OPTION...]...
 *
 *	OPTION: local=ADDR  ifname=IF  multihop  profile=NAME
 *		tx=MS  rx=MS  mult=N
 *
 *	{"time":1700000000.123456,"peer":"10.0.12.2","local":"",
 *	 "ifname":"eth1","multihop":false,"state":"up","diagnostic":0,
 *	 "remoteDiagnostic":0,"dampened":false}
 *
 * It runs until SIGTERM/SIGINT or for SECONDS; it reconnects (and
 * registers again) if bfdd restarts.  Exit 0, 64 on bad usage.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wp_bfdclient.h"
#include "wp_log.h"
#include "wp_loop.h"

#define EXIT_USAGE	64

static const char *name = "wpbfd";

static void
usage(void)
{
	fprintf(stderr, "usage: wpbfd [-n NAME] [-t SECONDS] SOCKET "
		"PEER[,local=ADDR][,ifname=IF][,multihop][,profile=NAME]"
		"[,tx=MS][,rx=MS][,mult=N]...\n");
	exit(EXIT_USAGE);
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
on_status(struct wp_bfdclient *bc, const struct wp_bfd_status *st, void *arg)
{
	char peer[INET6_ADDRSTRLEN], local[INET6_ADDRSTRLEN] = "";

	wp_addr_fmt(&st->key.peer, peer, sizeof(peer));
	if (st->key.local.family)
		wp_addr_fmt(&st->key.local, local, sizeof(local));
	printf("{\"time\":%.6f,\"peer\":\"%s\",\"local\":\"%s\","
	       "\"ifname\":\"%s\",\"multihop\":%s,\"state\":\"%s\","
	       "\"diagnostic\":%u,\"remoteDiagnostic\":%u,\"dampened\":%s}\n",
	       wall(), peer, local, st->key.ifname,
	       st->key.multihop ? "true" : "false",
	       wp_bfd_state_name(st->state), st->diagnostic,
	       st->remote_diagnostic, st->dampened ? "true" : "false");
	fflush(stdout);
}

static uint32_t
parse_u32(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end || v > UINT32_MAX)
		usage();
	return (uint32_t)v;
}

static void
parse_addr(const char *s, struct wp_addr *a)
{
	char err[WP_PREFIX_ERRLEN];

	if (wp_addr_parse(s, a, err, sizeof(err)) < 0) {
		fprintf(stderr, "wpbfd: %s: %s\n", s, err);
		exit(EXIT_USAGE);
	}
}

static void
parse_want(char *arg, struct wp_bfd_reg *r)
{
	char *save = NULL, *opt, *peer;

	memset(r, 0, sizeof(*r));
	peer = strtok_r(arg, ",", &save);
	if (peer == NULL)
		usage();
	parse_addr(peer, &r->key.peer);
	while ((opt = strtok_r(NULL, ",", &save)) != NULL) {
		if (strncmp(opt, "local=", 6) == 0)
			parse_addr(opt + 6, &r->key.local);
		else if (strncmp(opt, "ifname=", 7) == 0 &&
			 strlen(opt + 7) < sizeof(r->key.ifname))
			snprintf(r->key.ifname, sizeof(r->key.ifname), "%s",
				 opt + 7);
		else if (strncmp(opt, "profile=", 8) == 0 &&
			 strlen(opt + 8) < sizeof(r->profile))
			snprintf(r->profile, sizeof(r->profile), "%s", opt + 8);
		else if (strcmp(opt, "multihop") == 0)
			r->key.multihop = true;
		else if (strncmp(opt, "tx=", 3) == 0)
			r->transmit_interval_ms = parse_u32(opt + 3);
		else if (strncmp(opt, "rx=", 3) == 0)
			r->receive_interval_ms = parse_u32(opt + 3);
		else if (strncmp(opt, "mult=", 5) == 0)
			r->detect_multiplier = parse_u32(opt + 5);
		else
			usage();
	}
}

static void
stop_cb(struct wp_timer *t)
{
	wp_loop_break(t->loop);
}

int
main(int argc, char **argv)
{
	struct wp_bfdclient_cbs cbs = { .status = on_status };
	struct wp_bfdclient *bc;
	struct wp_timer stop;
	struct wp_loop *loop;
	double secs = 0;
	int ch;

	while ((ch = getopt(argc, argv, "n:t:h")) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 't':
			secs = atof(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	wp_log_init("wpbfd");
	wp_log_set_level(WP_LOG_WARNING);
	loop = wp_loop_new();
	bc = wp_bfdclient_new(loop, argv[optind], name, &cbs);
	if (bc == NULL) {
		fprintf(stderr, "wpbfd: %s: bad socket path\n", argv[optind]);
		return EXIT_USAGE;
	}
	for (int i = optind + 1; i < argc; i++) {
		struct wp_bfd_reg r;

		parse_want(argv[i], &r);
		wp_bfdclient_register(bc, &r);
	}
	wp_timer_init(loop, &stop, "wpbfd stop", stop_cb);
	if (secs > 0)
		wp_timer_start(&stop, secs, 0);
	wp_loop_run(loop);
	wp_timer_stop(&stop);
	wp_bfdclient_free(bc);
	wp_loop_free(loop);
	return 0;
}
