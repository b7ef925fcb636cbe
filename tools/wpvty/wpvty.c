/*
 * wpvty: run commands on a daemon's vty socket, for scripts and tests
 * until vtysh exists.
 *
 *	wpvty [-t SECONDS] SOCKET COMMAND...
 *
 * Each COMMAND is sent in turn and its output printed; a COMMAND starting
 * with '?' lists completions.  Stops at the first command that does not
 * succeed.  Exit code: the vty status of the last command (0 ok, 1
 * warning, 2 unknown command, 3 incomplete/ambiguous, 4 failed), 5 when
 * the daemon cannot be reached or stops answering, 64 on bad usage.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_mem.h"
#include "wp_vty.h"

#define EXIT_IO		5
#define EXIT_USAGE	64

static void
usage(void)
{
	fprintf(stderr, "usage: wpvty [-t SECONDS] SOCKET COMMAND...\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	struct wp_vty_client *c;
	double timeout = WP_VTY_CLIENT_TIMEOUT;
	int ch, status = 0;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		switch (ch) {
		case 't':
			timeout = strtod(optarg, NULL);
			if (timeout <= 0)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();
	if ((c = wp_vty_client_connect(argv[0])) == NULL) {
		fprintf(stderr, "wpvty: %s: %s\n", argv[0], strerror(errno));
		return EXIT_IO;
	}
	wp_vty_client_set_timeout(c, timeout);
	for (int i = 1; i < argc && status == 0; i++) {
		char *out;

		if (wp_vty_client_exec(c, argv[i], &status, &out) == -1) {
			fprintf(stderr, "wpvty: \"%s\": %s\n", argv[i],
				strerror(errno));
			status = EXIT_IO;
			break;
		}
		fputs(out, status == 0 ? stdout : stderr);
		wp_free(MT_STRING, out);
	}
	wp_vty_client_close(c);
	return status;
}
