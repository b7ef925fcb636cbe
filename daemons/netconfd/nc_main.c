/*
 * nc_main.c: netconfd as a daemon.
 *
 *	netconfd [common options] [--listen ADDR] [--port PORT]
 *		 [--users FILE] [--authorized-keys FILE] [--state-dir DIR]
 *
 * Listens for NETCONF over SSH (RFC 6242) on ADDR (default "::") port
 * PORT (default 830, RFC 6242 §3) and talks to the mgmtd of the same run
 * directory.  The SSH host key is <state-dir>/netconfd_host_ecdsa_key
 * (default LOCALSTATEDIR/lib/waypoint[/PATHSPACE]), an ECDSA P-256 key
 * generated on the first start.
 *
 * Authentication (at least one of the two files is required):
 *  --users FILE		password authentication; one "user:secret"
 *				per line, '#' comments; a secret starting with
 *				'$' is a crypt(3) hash (as from
 *				`openssl passwd -6` or `mkpasswd -m sha-512`),
 *				anything else the password itself.
 *  --authorized-keys FILE	public key authentication; one
 *				"user keytype base64 [comment]" per line.
 * The files are read at start.
 */
#include "config.h"

#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "netconfd.h"
#include "wp_daemon.h"
#include "wp_log.h"
#include "wp_yang.h"

WP_MEMTYPE_DEFINE(MT_NETCONF, "NETCONF server");

static struct ncd ncd = {
	.listen_addr = NCD_DEFAULT_LISTEN,
	.port = NCD_DEFAULT_PORT,
};
struct ncd *ncd_global = &ncd;

enum {
	OPT_LISTEN,
	OPT_PORT,
	OPT_USERS,
	OPT_KEYS,
	OPT_STATE_DIR,
};

static const struct wp_daemon_option ncd_options[] = {
	[OPT_LISTEN] = { "listen", "ADDR",
			 "address to listen on (default " NCD_DEFAULT_LISTEN
			 ")" },
	[OPT_PORT] = { "port", "PORT", "TCP port (default 830)" },
	[OPT_USERS] = { "users", "FILE",
			"password file: user:password or user:$crypt-hash" },
	[OPT_KEYS] = { "authorized-keys", "FILE",
		       "public keys: user keytype base64 [comment]" },
	[OPT_STATE_DIR] = { "state-dir", "DIR",
			    "where the SSH host key is kept (default "
			    NCD_DEFAULT_STATEDIR "[/PATHSPACE])" },
	{ NULL, NULL, NULL },
};

static int
ncd_option(int idx, const char *val, void *arg)
{
	struct ncd *n = arg;
	char *end;
	unsigned long port;

	switch (idx) {
	case OPT_LISTEN:
		n->listen_addr = val;
		return 0;
	case OPT_PORT:
		port = strtoul(val, &end, 10);
		if (*val == '\0' || *end != '\0' || port == 0 || port > 65535) {
			fprintf(stderr, "netconfd: bad --port \"%s\"\n", val);
			return -1;
		}
		n->port = (uint16_t)port;
		return 0;
	case OPT_USERS:
		n->users_file = val;
		return 0;
	case OPT_KEYS:
		n->keys_file = val;
		return 0;
	case OPT_STATE_DIR:
		n->state_dir = val;
		return 0;
	default:
		return -1;
	}
}

/* --- users ------------------------------------------------------------------ */

static void
users_free(struct ncd *n)
{
	for (size_t i = 0; i < n->nusers; i++) {
		wp_free(MT_NETCONF, n->users[i].name);
		explicit_bzero(n->users[i].secret, strlen(n->users[i].secret));
		wp_free(MT_NETCONF, n->users[i].secret);
	}
	wp_free(MT_NETCONF, n->users);
	n->users = NULL;
	n->nusers = 0;
}

static int
users_load(struct ncd *n, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned int lineno = 0;

	if (f == NULL) {
		wp_log_err("netconfd: %s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *colon, *end = line + strcspn(line, "\r\n");

		lineno++;
		*end = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		colon = strchr(line, ':');
		if (colon == NULL || colon == line) {
			wp_log_errx("netconfd: %s:%u: expected user:password",
				    path, lineno);
			fclose(f);
			return -1;
		}
		*colon = '\0';
		n->users = wp_realloc(MT_NETCONF, n->users,
				      (n->nusers + 1) * sizeof(*n->users));
		n->users[n->nusers].name = wp_strdup(MT_NETCONF, line);
		n->users[n->nusers].secret = wp_strdup(MT_NETCONF, colon + 1);
		n->nusers++;
	}
	explicit_bzero(line, sizeof(line));
	fclose(f);
	return 0;
}

/* Constant time in the length of `b` (the guess). */
static bool
secret_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;

	for (size_t i = 0; i < lb; i++)
		d |= (unsigned char)(a[i % (la ? la : 1)] ^ b[i]);
	return d == 0;
}

/* Called by libnetconf2 in the listener thread: no wp_* calls here. */
static int
ncd_auth_password(const struct nc_session *session, const char *password,
		  void *arg)
{
	const struct ncd *n = arg;
	const char *user = nc_session_get_username(session);
	int rc = 1;

	if (user == NULL || password == NULL)
		return 1;
	for (size_t i = 0; i < n->nusers; i++) {
		const char *secret = n->users[i].secret;

		if (strcmp(n->users[i].name, user) != 0)
			continue;
		if (secret[0] == '$') {
			struct crypt_data *cd = calloc(1, sizeof(*cd));
			const char *h;

			if (cd == NULL)
				return 1;
			h = crypt_r(password, secret, cd);
			rc = h && h[0] != '*' && secret_eq(secret, h) ? 0 : 1;
			free(cd);
		} else {
			rc = secret_eq(secret, password) ? 0 : 1;
		}
		break;
	}
	return rc;
}

static NC_SSH_KEY_TYPE
key_type(const char *s)
{
	if (strcmp(s, "ssh-rsa") == 0)
		return NC_SSH_KEY_RSA;
	if (strcmp(s, "ssh-dss") == 0)
		return NC_SSH_KEY_DSA;
	if (strncmp(s, "ecdsa-sha2-", 11) == 0)
		return NC_SSH_KEY_ECDSA;
	return NC_SSH_KEY_UNKNOWN;
}

static int
keys_load(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	unsigned int lineno = 0, nkeys = 0;

	if (f == NULL) {
		wp_log_err("netconfd: %s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *user, *type, *b64;

		lineno++;
		user = strtok_r(line, " \t\r\n", &save);
		if (user == NULL || user[0] == '#')
			continue;
		type = strtok_r(NULL, " \t\r\n", &save);
		b64 = strtok_r(NULL, " \t\r\n", &save);
		if (type == NULL || b64 == NULL ||
		    key_type(type) == NC_SSH_KEY_UNKNOWN) {
			wp_log_errx("netconfd: %s:%u: expected \"user "
				    "ssh-rsa|ecdsa-sha2-*|ssh-dss base64\"",
				    path, lineno);
			fclose(f);
			return -1;
		}
		if (nc_server_ssh_add_authkey(b64, key_type(type), user) != 0) {
			wp_log_errx("netconfd: %s:%u: key not accepted", path,
				    lineno);
			fclose(f);
			return -1;
		}
		nkeys++;
	}
	fclose(f);
	return nkeys ? 0 : 0;
}

/* --- host key ----------------------------------------------------------------- */

static int
hostkey_ensure(struct ncd *n, const char *dir)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 40];
	ssh_key key = NULL;
	mode_t old;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			     NCD_HOSTKEY_FILE) >= sizeof(path)) {
		wp_log_errx("netconfd: state directory name too long");
		return -1;
	}
	n->hostkey_path = wp_strdup(MT_NETCONF, path);
	if (access(path, R_OK) == 0)
		return 0;
	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		wp_log_err("netconfd: cannot create %s", dir);
		return -1;
	}
	if (ssh_pki_generate(SSH_KEYTYPE_ECDSA_P256, 256, &key) != SSH_OK) {
		wp_log_errx("netconfd: cannot generate an SSH host key");
		return -1;
	}
	/* Written aside and renamed: a crash leaves no half key. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	old = umask(077);
	rc = ssh_pki_export_privkey_file(key, NULL, NULL, NULL, tmp);
	umask(old);
	ssh_key_free(key);
	if (rc != SSH_OK || rename(tmp, path) == -1) {
		wp_log_errx("netconfd: cannot write the SSH host key %s", path);
		unlink(tmp);
		return -1;
	}
	wp_log_notice("netconfd: generated SSH host key %s", path);
	return 0;
}

/* libnetconf2 frees what we return, with free(). */
static int
ncd_hostkey_clb(const char *name, void *arg, char **privkey_path,
		char **privkey_data, NC_SSH_KEY_TYPE *privkey_type)
{
	const struct ncd *n = arg;

	*privkey_path = strdup(n->hostkey_path);
	return *privkey_path ? 0 : -1;
}

/* --- sessions: listener thread and polling ------------------------------------- */

static void *
ncd_accept_thread(void *arg)
{
	struct ncd *n = arg;

	while (!atomic_load(&n->stop)) {
		struct nc_session *s = NULL;
		NC_MSG_TYPE t = nc_accept(200, &s);

		if (t == NC_MSG_HELLO && s) {
			if (nc_ps_add_session(n->ps, s) != 0)
				nc_session_free(s, NULL);
		}
	}
	nc_thread_destroy();
	return NULL;
}

static void
ncd_session_end(struct ncd *n, struct nc_session *s)
{
	nc_ps_del_session(n->ps, s);
	ncd_sess_free(s);
	nc_session_free(s, NULL);
}

/*
 * Read and answer what the sessions sent.  An RPC that waits for mgmtd
 * runs the loop, which may fire this timer again: `polling` makes that a
 * no-op, so sessions are served one RPC at a time, in order.
 */
static void
ncd_poll(struct wp_timer *t)
{
	struct ncd *n = &ncd;

	if (n->polling)
		return;
	n->polling = true;
	for (int i = 0; i < 64; i++) {
		struct nc_session *s = NULL;
		int r = nc_ps_poll(n->ps, 0, &s);

		if (r & (NC_PSPOLL_NOSESSIONS | NC_PSPOLL_TIMEOUT |
			 NC_PSPOLL_ERROR))
			break;
		if (s && (r & (NC_PSPOLL_SESSION_TERM |
			       NC_PSPOLL_SESSION_ERROR)))
			ncd_session_end(n, s);
	}
	n->polling = false;
}

/* --- start and stop ----------------------------------------------------------- */

static int
ncd_ctx_new(struct ncd *n)
{
	static const char *const nc_features[] = {
		"candidate", "confirmed-commit", "validate", NULL,
	};
	char *dirs = wp_yang_path(NULL);
	char *err = NULL, *copy, *save = NULL;

	if (wp_yang_ctx_new(NULL, NULL, &n->ctx, &err) == -1) {
		wp_log_errx("netconfd: %s", err);
		wp_free(MT_STRING, err);
		wp_free(MT_STRING, dirs);
		return -1;
	}
	/* The IETF modules are in the ietf/ subdirectory of the YANG
	 * directories. */
	copy = wp_strdup(MT_STRING, dirs);
	for (char *d = strtok_r(copy, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		char ietf[PATH_MAX];

		snprintf(ietf, sizeof(ietf), "%s/ietf", d);
		if (access(ietf, X_OK) == 0)
			ly_ctx_set_searchdir(n->ctx, ietf);
	}
	wp_free(MT_STRING, copy);
	if (ly_ctx_load_module(n->ctx, "ietf-netconf", "2011-06-01",
			       (const char **)(uintptr_t)nc_features) == NULL ||
	    ly_ctx_load_module(n->ctx, "ietf-netconf-monitoring",
			       "2010-10-04", NULL) == NULL ||
	    ly_ctx_compile(n->ctx) != LY_SUCCESS) {
		char *m = wp_yang_errmsg(n->ctx, NULL);

		wp_log_errx("netconfd: cannot load ietf-netconf and "
			    "ietf-netconf-monitoring from %s/ietf: %s", dirs,
			    m);
		wp_free(MT_STRING, m);
		wp_free(MT_STRING, dirs);
		return -1;
	}
	wp_free(MT_STRING, dirs);
	return 0;
}

static void ncd_shutdown(struct wp_loop *loop, void *arg);

static int
ncd_start(struct wp_loop *loop, const struct wp_daemon_opts *opts, void *arg)
{
	struct ncd *n = arg;
	char state[PATH_MAX];
	const struct lysc_node *gs;
	int methods = 0;

	n->loop = loop;
	n->rundir = opts->rundir;
	if (n->users_file == NULL && n->keys_file == NULL) {
		wp_log_errx("netconfd: give --users FILE and/or "
			    "--authorized-keys FILE: nobody could log in");
		return -1;
	}
	if (n->state_dir)
		snprintf(state, sizeof(state), "%s", n->state_dir);
	else if (opts->pathspace)
		snprintf(state, sizeof(state), "%s/%s", NCD_DEFAULT_STATEDIR,
			 opts->pathspace);
	else
		snprintf(state, sizeof(state), "%s", NCD_DEFAULT_STATEDIR);
	if (hostkey_ensure(n, state) == -1)
		return -1;
	if (n->users_file && users_load(n, n->users_file) == -1)
		return -1;
	if (ncd_ctx_new(n) == -1)
		return -1;

	nc_verbosity(NC_VERB_WARNING);
	if (nc_server_init(n->ctx) != 0) {
		wp_log_errx("netconfd: cannot initialise libnetconf2");
		return -1;
	}
	n->server_up = true;
	/* Every operation goes to ncd_rpc(), <get-schema> too: libnetconf2
	 * installs its own (broken: it replies with freed memory) as the
	 * schema node's private callback, which wins over the global one. */
	nc_set_global_rpc_clb(ncd_rpc);
	gs = lys_find_path(n->ctx, NULL, "/ietf-netconf-monitoring:get-schema",
			   0);
	if (gs)
		((struct lysc_node *)(uintptr_t)gs)->priv =
			(void *)(uintptr_t)ncd_rpc;
	nc_server_ssh_set_hostkey_clb(ncd_hostkey_clb, n, NULL);
	if (n->users_file) {
		nc_server_ssh_set_passwd_auth_clb(ncd_auth_password, n, NULL);
		methods |= NC_SSH_AUTH_PASSWORD;
	}
	if (n->keys_file) {
		if (keys_load(n->keys_file) == -1)
			return -1;
		methods |= NC_SSH_AUTH_PUBLICKEY;
	}
	if (nc_server_add_endpt(NCD_ENDPOINT, NC_TI_LIBSSH) != 0 ||
	    nc_server_ssh_endpt_add_hostkey(NCD_ENDPOINT, "hostkey", -1) != 0 ||
	    nc_server_ssh_endpt_set_auth_methods(NCD_ENDPOINT, methods) != 0 ||
	    nc_server_endpt_set_address(NCD_ENDPOINT, n->listen_addr) != 0 ||
	    nc_server_endpt_set_port(NCD_ENDPOINT, n->port) != 0) {
		wp_log_errx("netconfd: cannot listen on [%s]:%u",
			    n->listen_addr, n->port);
		return -1;
	}
	n->ps = nc_ps_new();
	wp_timer_init(loop, &n->poll_timer, "netconf-poll", ncd_poll);
	atomic_store(&n->stop, false);
	if (pthread_create(&n->accept_thr, NULL, ncd_accept_thread, n) != 0) {
		wp_log_errx("netconfd: cannot start the listener thread");
		return -1;
	}
	n->accept_running = true;
	wp_timer_start_periodic(&n->poll_timer, 0.01, 0);
	wp_log_notice("netconfd: listening on [%s]:%u", n->listen_addr,
		      n->port);
	return 0;
}

/* A failed start releases what it made (wp_daemon calls shutdown only
 * after a successful init). */
static int
ncd_init(struct wp_loop *loop, const struct wp_daemon_opts *opts, void *arg)
{
	if (ncd_start(loop, opts, arg) == 0)
		return 0;
	ncd_shutdown(loop, arg);
	return -1;
}

static void
ncd_ps_data_free(void *data)
{
	/* nc_ps_clear() hands us nc_session data; ours is freed before. */
}

static void
ncd_shutdown(struct wp_loop *loop, void *arg)
{
	struct ncd *n = arg;

	if (n->accept_running) {
		atomic_store(&n->stop, true);
		pthread_join(n->accept_thr, NULL);
		n->accept_running = false;
	}
	if (n->ps) {
		wp_timer_stop(&n->poll_timer);
		for (uint16_t i = 0; i < nc_ps_session_count(n->ps); i++)
			ncd_sess_free(nc_ps_get_session(n->ps, i));
		nc_ps_clear(n->ps, 1, ncd_ps_data_free);
		nc_ps_free(n->ps);
		n->ps = NULL;
	}
	if (n->server_up) {
		nc_server_destroy();
		n->server_up = false;
	}
	if (n->ctx) {
		wp_yang_ctx_free(n->ctx);
		n->ctx = NULL;
	}
	users_free(n);
	wp_free(MT_NETCONF, n->hostkey_path);
	n->hostkey_path = NULL;
}

static const cap_value_t ncd_caps[] = { CAP_NET_BIND_SERVICE };

static const struct wp_daemon_desc ncd_desc = {
	.name = "netconfd",
	.config_file = SYSCONFDIR "/waypoint/netconfd.conf",
	.caps = ncd_caps,
	.ncaps = 1,
	.arg = &ncd,
	.init = ncd_init,
	.shutdown = ncd_shutdown,
	.options = ncd_options,
	.option = ncd_option,
};

int
main(int argc, char **argv)
{
	return wp_daemon_main(&ncd_desc, argc, argv);
}
