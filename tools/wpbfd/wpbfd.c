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

#include "lib/proto/bfd.pb-c.h"
#include "lib/proto/ipc.pb-c.h"
#include "wp_bfd.h"
#include "wp_ipc.h"
#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"

#define EXIT_USAGE	64

WP_MEMTYPE_DEFINE(MT_WPBFD, "wpbfd");

struct want {
	char *peer;
	char *local;
	char *ifname;
	char *profile;
	bool multihop;
	uint32_t tx, rx, mult;
};

static struct want *wants;
static int nwants;
static const char *name = "wpbfd";

static const char *const state_names[] = { "admin-down", "down", "init",
					   "up" };

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

static int
on_status(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	  ProtobufCMessage *msg)
{
	Wp__Bfd__PeerStatus *m = (Wp__Bfd__PeerStatus *)msg;
	const Wp__Bfd__PeerKey *k = m->key;

	printf("{\"time\":%.6f,\"peer\":\"%s\",\"local\":\"%s\","
	       "\"ifname\":\"%s\",\"multihop\":%s,\"state\":\"%s\","
	       "\"diagnostic\":%u,\"remoteDiagnostic\":%u,\"dampened\":%s}\n",
	       wall(), k ? k->peer : "", k ? k->local : "", k ? k->ifname : "",
	       k && k->multihop ? "true" : "false",
	       (unsigned)m->state < 4 ? state_names[m->state] : "?",
	       m->diagnostic, m->remote_diagnostic,
	       m->dampened ? "true" : "false");
	fflush(stdout);
	return 0;
}

static int
on_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Ipc__Error *m = (Wp__Ipc__Error *)msg;

	fprintf(stderr, "wpbfd: bfdd: %s\n", m->text);
	return 0;
}

static int
on_ack(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
       ProtobufCMessage *msg)
{
	return 0;
}

static const struct wp_ipc_handler handlers[] = {
	{ WP_IPC_HELLO_ACK, &wp__ipc__hello_ack__descriptor, on_ack },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, on_error },
	{ WP_BFD_PEER_STATUS, &wp__bfd__peer_status__descriptor, on_status },
	WP_IPC_HANDLER_END,
};

/* Connected (again): Hello, every registration, RegisterDone. */
static void
on_connect(struct wp_ipc_conn *c)
{
	Wp__Ipc__Hello hello = WP__IPC__HELLO__INIT;
	Wp__Bfd__RegisterDone done = WP__BFD__REGISTER_DONE__INIT;

	hello.daemon = (char *)(uintptr_t)name;
	hello.pid = (uint32_t)getpid();
	hello.version = (char *)(uintptr_t)PACKAGE_VERSION;
	wp_ipc_send(c, WP_IPC_HELLO, &hello.base);
	for (int i = 0; i < nwants; i++) {
		Wp__Bfd__PeerRegister r = WP__BFD__PEER_REGISTER__INIT;
		Wp__Bfd__PeerKey k = WP__BFD__PEER_KEY__INIT;
		struct want *w = &wants[i];

		k.peer = w->peer;
		k.local = w->local;
		k.ifname = w->ifname;
		k.multihop = w->multihop;
		r.key = &k;
		r.profile = w->profile;
		r.transmit_interval_ms = w->tx;
		r.receive_interval_ms = w->rx;
		r.detect_multiplier = w->mult;
		wp_ipc_send(c, WP_BFD_PEER_REGISTER, &r.base);
	}
	wp_ipc_send(c, WP_BFD_REGISTER_DONE, &done.base);
}

static void
parse_want(char *arg, struct want *w)
{
	char *save = NULL, *opt;

	memset(w, 0, sizeof(*w));
	w->local = w->ifname = w->profile = (char *)(uintptr_t)"";
	w->peer = strtok_r(arg, ",", &save);
	if (w->peer == NULL)
		usage();
	while ((opt = strtok_r(NULL, ",", &save)) != NULL) {
		if (strncmp(opt, "local=", 6) == 0)
			w->local = opt + 6;
		else if (strncmp(opt, "ifname=", 7) == 0)
			w->ifname = opt + 7;
		else if (strncmp(opt, "profile=", 8) == 0)
			w->profile = opt + 8;
		else if (strcmp(opt, "multihop") == 0)
			w->multihop = true;
		else if (strncmp(opt, "tx=", 3) == 0)
			w->tx = (uint32_t)atoi(opt + 3);
		else if (strncmp(opt, "rx=", 3) == 0)
			w->rx = (uint32_t)atoi(opt + 3);
		else if (strncmp(opt, "mult=", 5) == 0)
			w->mult = (uint32_t)atoi(opt + 5);
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
	struct wp_ipc_callbacks cb = { .on_connect = on_connect };
	struct wp_ipc_client *cl;
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
	nwants = argc - optind - 1;
	wants = wp_calloc(MT_WPBFD, sizeof(*wants) * (size_t)nwants);
	for (int i = 0; i < nwants; i++)
		parse_want(argv[optind + 1 + i], &wants[i]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	wp_log_init("wpbfd");
	wp_log_set_level(WP_LOG_WARNING);
	loop = wp_loop_new();
	cl = wp_ipc_client_new(loop, argv[optind], handlers, &cb);
	if (cl == NULL) {
		fprintf(stderr, "wpbfd: %s: bad socket path\n", argv[optind]);
		return EXIT_USAGE;
	}
	wp_timer_init(loop, &stop, "wpbfd stop", stop_cb);
	if (secs > 0)
		wp_timer_start(&stop, secs, 0);
	wp_loop_run(loop);
	wp_timer_stop(&stop);
	wp_ipc_client_free(cl);
	wp_loop_free(loop);
	wp_free(MT_WPBFD, wants);
	return 0;
}
