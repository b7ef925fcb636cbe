/*
 * bfd_client.c: bfdd.sock, the API other daemons use to ask for BFD
 * sessions and hear about their state (lib/proto/bfd.proto).
 *
 * A client says Hello, registers the peers it wants (PeerRegister) and
 * ends its sync with RegisterDone; bfdd answers each registration with a
 * PeerStatus, and sends another whenever the state clients see changes
 * (bfd_client_notify(), called on transitions and at the end of a
 * dampening hold-down).
 *
 * Sessions are shared: a registration for a peer that already has a
 * session (configured, or another client's) attaches to it.  A session
 * lives while it is configured or registered (struct bfd_reg links one
 * client and one session).
 *
 * A client that goes away keeps its registrations for the grace period
 * (bg->grace).  If it comes back in time (same name in its Hello), its
 * registrations are marked stale; those it registers again are kept, the
 * others are released at its RegisterDone, or when the grace period runs
 * out.  A client that does not come back loses them all: sessions nobody
 * else holds are deleted (the peer sees AdminDown).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/proto/bfd.pb-c.h"
#include "lib/proto/ipc.pb-c.h"
#include "wp_bfd.h"
#include "wp_ipc.h"

#include "bfdd.h"

WP_MEMTYPE_DEFINE(MT_BFD_CLIENT, "BFD client");

static void gc_arm(struct bfd_global *bg);

/* --- registrations ------------------------------------------------------ */

static struct bfd_reg *
reg_find(struct bfd_client *c, struct bfd_session *s)
{
	struct bfd_reg *r;

	LIST_FOREACH(r, &c->regs, c_entry)
		if (r->s == s)
			return r;
	return NULL;
}

/* Drop one registration; the session goes if nothing else holds it. */
static void
reg_release(struct bfd_reg *r)
{
	struct bfd_session *s = r->s;

	LIST_REMOVE(r, c_entry);
	LIST_REMOVE(r, s_entry);
	wp_free(MT_BFD_CLIENT, r);
	s->nclients--;
	if (s->nclients == 0 && !s->configured)
		bfd_session_delete(s);
}

static void
client_free(struct bfd_client *c)
{
	struct bfd_reg *r;

	while ((r = LIST_FIRST(&c->regs)) != NULL)
		reg_release(r);
	LIST_REMOVE(c, entry);
	wp_free(MT_BFD_CLIENT, c);
}

static size_t
release_stale(struct bfd_client *c)
{
	struct bfd_reg *r, *next;
	size_t n = 0;

	for (r = LIST_FIRST(&c->regs); r; r = next) {
		next = LIST_NEXT(r, c_entry);
		if (r->stale) {
			reg_release(r);
			n++;
		}
	}
	c->resync = false;
	return n;
}

/* --- grace period ------------------------------------------------------- */

static void
gc_cb(struct wp_timer *t)
{
	struct bfd_global *bg = container_of(t, struct bfd_global, gc_timer);
	struct bfd_client *c, *next;
	double now = wp_monotime();

	for (c = LIST_FIRST(&bg->clients); c; c = next) {
		next = LIST_NEXT(c, entry);
		if (now - c->since < bg->grace)
			continue;
		if (c->conn == NULL) {
			wp_log_info("client %s: not back within %.0f s, its "
				    "sessions are released", c->name,
				    bg->grace);
			client_free(c);
		} else if (c->resync) {
			size_t n = release_stale(c);

			if (n)
				wp_log_info("client %s: %zu registrations not "
					    "renewed, released", c->name, n);
		}
	}
	gc_arm(bg);
}

/* Wake up when the earliest grace period ends, if any is running. */
static void
gc_arm(struct bfd_global *bg)
{
	struct bfd_client *c;
	double now = wp_monotime(), first = -1;

	LIST_FOREACH(c, &bg->clients, entry) {
		double end = c->since + bg->grace;

		if (c->conn != NULL && !c->resync)
			continue;
		if (first < 0 || end < first)
			first = end;
	}
	if (first < 0) {
		wp_timer_stop(&bg->gc_timer);
		return;
	}
	wp_timer_start(&bg->gc_timer, first > now ? first - now + 0.001 :
						    0.001, 0);
}

/* --- messages out ------------------------------------------------------- */

static void
key_to_msg(const struct bfd_key *k, Wp__Bfd__PeerKey *m, char *peer,
	   char *local)
{
	wp_addr_fmt(&k->peer, peer, WP_ADDR_STRLEN);
	local[0] = '\0';
	if (k->local.family)
		wp_addr_fmt(&k->local, local, WP_ADDR_STRLEN);
	m->peer = peer;
	m->local = local;
	m->ifname = (char *)(uintptr_t)k->ifname;
	m->multihop = k->multihop;
	m->vrf = (char *)(uintptr_t)bfd_key_vrf(k);
}

static void
send_status(struct bfd_client *c, struct bfd_session *s)
{
	Wp__Bfd__PeerStatus m = WP__BFD__PEER_STATUS__INIT;
	Wp__Bfd__PeerKey k = WP__BFD__PEER_KEY__INIT;
	char peer[WP_ADDR_STRLEN], local[WP_ADDR_STRLEN];

	if (c->conn == NULL)
		return;
	key_to_msg(&s->key, &k, peer, local);
	m.key = &k;
	m.state = (Wp__Bfd__State)s->state;
	if (s->state == BFD_STA_UP && s->dampened)
		m.state = WP__BFD__STATE__STATE_DOWN;
	m.dampened = s->dampened;
	m.diagnostic = s->local_diag;
	m.remote_diagnostic = s->remote_diag;
	m.remote_admin_down = s->remote_state == BFD_STA_ADMIN_DOWN;
	m.local_discriminator = s->local_disc;
	m.remote_discriminator = s->remote_disc;
	if (wp_ipc_send(c->conn, WP_BFD_PEER_STATUS, &m.base) == -1)
		/* EAGAIN: the client does not read; it will resync. */
		wp_log_warnx_rl("client %s: cannot send a status: %s", c->name,
				strerror(errno));
}

void
bfd_client_notify(struct bfd_session *s)
{
	struct bfd_reg *r;

	LIST_FOREACH(r, &s->regs, s_entry)
		send_status(r->c, s);
}

void
bfd_client_names(const struct bfd_session *s, char *buf, size_t len)
{
	const struct bfd_reg *r;
	size_t off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	LIST_FOREACH(r, &s->regs, s_entry) {
		int n = snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
				 r->c->name);

		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
}

static void
send_error(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	   Wp__Ipc__ErrorCode code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
send_error(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	   Wp__Ipc__ErrorCode code, const char *fmt, ...)
{
	Wp__Ipc__Error m = WP__IPC__ERROR__INIT;
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	m.code = code;
	m.text = text;
	m.sequence = h->sequence;
	wp_log_warnx_rl("client %s: %s", wp_ipc_conn_name(conn), text);
	wp_ipc_send(conn, WP_IPC_ERROR, &m.base);
}

/* --- messages in -------------------------------------------------------- */

static struct bfd_client *
client_of(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h)
{
	struct bfd_client *c = wp_ipc_conn_data(conn);

	if (c == NULL)
		send_error(conn, h, WP__IPC__ERROR_CODE__ERROR_NOT_READY,
			   "message type 0x%04x before Hello", h->type);
	return c;
}

static int
on_hello(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	struct bfd_global *bg = wp_ipc_conn_arg(conn);
	Wp__Ipc__Hello *m = (Wp__Ipc__Hello *)msg;
	Wp__Ipc__HelloAck ack = WP__IPC__HELLO_ACK__INIT;
	struct bfd_client *c;
	struct bfd_reg *r;
	char name[48];

	if (wp_ipc_conn_data(conn) != NULL) {
		send_error(conn, h, WP__IPC__ERROR_CODE__ERROR_BAD_MESSAGE,
			   "second Hello");
		return 0;
	}
	if (m->instance)
		snprintf(name, sizeof(name), "%s/%u", m->daemon, m->instance);
	else
		snprintf(name, sizeof(name), "%s", m->daemon[0] ? m->daemon :
							       "unnamed");
	/* Back within the grace period? */
	LIST_FOREACH(c, &bg->clients, entry)
		if (c->conn == NULL && strcmp(c->name, name) == 0)
			break;
	if (c != NULL) {
		LIST_FOREACH(r, &c->regs, c_entry)
			r->stale = true;
		c->resync = true;
		wp_log_info("client %s (pid %u) is back: %s", name, m->pid,
			    LIST_EMPTY(&c->regs) ? "nothing registered" :
						   "its sessions were kept");
	} else {
		c = wp_calloc(MT_BFD_CLIENT, sizeof(*c));
		c->bg = bg;
		snprintf(c->name, sizeof(c->name), "%s", name);
		LIST_INIT(&c->regs);
		LIST_INSERT_HEAD(&bg->clients, c, entry);
		wp_log_info("client %s (pid %u) connected", name, m->pid);
	}
	c->conn = conn;
	c->since = wp_monotime();
	wp_ipc_conn_set_data(conn, c);
	wp_ipc_conn_set_name(conn, "%s[%u]", name, m->pid);
	ack.daemon = (char *)(uintptr_t)"bfdd";
	ack.pid = (uint32_t)getpid();
	ack.version = (char *)(uintptr_t)PACKAGE_VERSION;
	wp_ipc_send(conn, WP_IPC_HELLO_ACK, &ack.base);
	gc_arm(bg);
	return 0;
}

/* PeerKey -> struct bfd_key, with the configuration's rules. */
static int
key_from_msg(const Wp__Bfd__PeerKey *m, struct bfd_key *k, char *err,
	     size_t errlen)
{
	memset(k, 0, sizeof(*k));
	if (m == NULL || wp_addr_parse(m->peer, &k->peer, err, errlen) == -1)
		return m == NULL ? (snprintf(err, errlen, "no key"), -1) : -1;
	if (m->local[0] && wp_addr_parse(m->local, &k->local, err,
					 errlen) == -1)
		return -1;
	if (strlen(m->ifname) >= IFNAMSIZ) {
		snprintf(err, errlen, "interface name too long");
		return -1;
	}
	snprintf(k->ifname, sizeof(k->ifname), "%s", m->ifname);
	k->multihop = m->multihop;
	if (bfd_vrf_name(m->vrf, k->vrf, err, errlen) == -1)
		return -1;
	if ((k->local.family && k->local.family != k->peer.family) ||
	    (k->multihop && (!k->local.family || k->ifname[0])) ||
	    (k->peer.family == AF_INET6 &&
	     IN6_IS_ADDR_LINKLOCAL(&k->peer.u.v6) && !k->ifname[0])) {
		snprintf(err, errlen, "inconsistent key (multihop needs a "
			 "local address and no interface, link-local an "
			 "interface, families must match)");
		return -1;
	}
	return 0;
}

static void
register_params(struct bfd_global *bg, const Wp__Bfd__PeerRegister *m,
		struct bfd_params *p)
{
	struct bfd_peer_conf tmp;

	memset(&tmp, 0, sizeof(tmp));
	if (m->profile[0])
		snprintf(tmp.profile, sizeof(tmp.profile), "%s", m->profile);
	bfd_conf_resolve(bg->conf, &tmp, p);
	if (m->detect_multiplier >= 1 && m->detect_multiplier <= 255)
		p->detect_mult = (uint8_t)m->detect_multiplier;
	if (m->receive_interval_ms >= 10 && m->receive_interval_ms <= 60000)
		p->rx_ms = m->receive_interval_ms;
	if (m->transmit_interval_ms >= 10 && m->transmit_interval_ms <= 60000)
		p->tx_ms = m->transmit_interval_ms;
	if (m->minimum_ttl >= 1 && m->minimum_ttl <= 254)
		p->min_ttl = (uint8_t)m->minimum_ttl;
}

static int
on_register(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	struct bfd_client *c = client_of(conn, h);
	Wp__Bfd__PeerRegister *m = (Wp__Bfd__PeerRegister *)msg;
	struct bfd_global *bg;
	struct bfd_session *s;
	struct bfd_params p;
	struct bfd_key k;
	struct bfd_reg *r;
	char err[160], kb[160];

	if (c == NULL)
		return 0;
	bg = c->bg;
	if (key_from_msg(m->key, &k, err, sizeof(err)) == -1) {
		send_error(conn, h, WP__IPC__ERROR_CODE__ERROR_BAD_MESSAGE,
			   "PeerRegister: %s", err);
		return 0;
	}
	register_params(bg, m, &p);
	s = bfd_session_find(bg, &k);
	if (s == NULL) {
		s = bfd_session_new(bg, &k, &p);
		snprintf(s->profile, sizeof(s->profile), "%s", m->profile);
	} else if (!s->configured && s->nclients == 1 && reg_find(c, s)) {
		/* its own session: new settings apply */
		bfd_session_set_params(s, &p);
	}
	r = reg_find(c, s);
	if (r == NULL) {
		r = wp_calloc(MT_BFD_CLIENT, sizeof(*r));
		r->c = c;
		r->s = s;
		LIST_INSERT_HEAD(&c->regs, r, c_entry);
		LIST_INSERT_HEAD(&s->regs, r, s_entry);
		s->nclients++;
		c->registrations++;
		wp_log_info("client %s: registered peer %s (%u clients)",
			    c->name, bfd_key_fmt(&k, kb, sizeof(kb)),
			    s->nclients);
	}
	r->stale = false;
	send_status(c, s);
	return 0;
}

static int
on_deregister(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	struct bfd_client *c = client_of(conn, h);
	Wp__Bfd__PeerDeregister *m = (Wp__Bfd__PeerDeregister *)msg;
	struct bfd_session *s;
	struct bfd_reg *r;
	struct bfd_key k;
	char err[160], kb[160];

	if (c == NULL)
		return 0;
	if (key_from_msg(m->key, &k, err, sizeof(err)) == -1) {
		send_error(conn, h, WP__IPC__ERROR_CODE__ERROR_BAD_MESSAGE,
			   "PeerDeregister: %s", err);
		return 0;
	}
	s = bfd_session_find(c->bg, &k);
	if (s == NULL || (r = reg_find(c, s)) == NULL) {
		send_error(conn, h, WP__IPC__ERROR_CODE__ERROR_REFUSED,
			   "PeerDeregister: %s is not registered",
			   bfd_key_fmt(&k, kb, sizeof(kb)));
		return 0;
	}
	wp_log_info("client %s: deregistered peer %s", c->name,
		    bfd_key_fmt(&k, kb, sizeof(kb)));
	reg_release(r);
	return 0;
}

static int
on_register_done(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
		 ProtobufCMessage *msg)
{
	struct bfd_client *c = client_of(conn, h);
	size_t n;

	if (c == NULL || !c->resync)
		return 0;
	n = release_stale(c);
	if (n)
		wp_log_info("client %s: resynced, %zu stale registrations "
			    "released", c->name, n);
	gc_arm(c->bg);
	return 0;
}

static int
on_keepalive(struct wp_ipc_conn *conn, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	return 0;
}

static const struct wp_ipc_handler client_handlers[] = {
	{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, on_hello },
	{ WP_IPC_KEEPALIVE, &wp__ipc__keepalive__descriptor, on_keepalive },
	{ WP_BFD_PEER_REGISTER, &wp__bfd__peer_register__descriptor,
	  on_register },
	{ WP_BFD_PEER_DEREGISTER, &wp__bfd__peer_deregister__descriptor,
	  on_deregister },
	{ WP_BFD_REGISTER_DONE, &wp__bfd__register_done__descriptor,
	  on_register_done },
	WP_IPC_HANDLER_END,
};

/* --- connections -------------------------------------------------------- */

static void
on_disconnect(struct wp_ipc_conn *conn)
{
	struct bfd_client *c = wp_ipc_conn_data(conn);

	if (c == NULL)
		return;
	c->conn = NULL;
	c->since = wp_monotime();
	c->resync = false;
	wp_log_info("client %s disconnected: %s kept for %.0f s", c->name,
		    LIST_EMPTY(&c->regs) ? "nothing" : "its sessions are",
		    c->bg->grace);
	gc_arm(c->bg);
}

int
bfd_client_init(struct bfd_global *bg)
{
	struct wp_ipc_callbacks cb = {
		.on_disconnect = on_disconnect,
		.arg = bg,
		.max_payload = 64 * 1024,
	};
	char path[512];

	wp_timer_init(bg->loop, &bg->gc_timer, "bfd client grace", gc_cb);
	snprintf(path, sizeof(path), "%s/%s", bg->rundir, WP_BFD_SOCK_NAME);
	bg->client_srv = wp_ipc_server_new(bg->loop, path, client_handlers,
					   &cb);
	if (bg->client_srv == NULL) {
		wp_log_err("client socket %s", path);
		return -1;
	}
	return 0;
}

void
bfd_client_fini(struct bfd_global *bg)
{
	struct bfd_client *c;

	if (bg->client_srv) {
		wp_ipc_server_free(bg->client_srv);
		bg->client_srv = NULL;
	}
	while ((c = LIST_FIRST(&bg->clients)) != NULL)
		client_free(c);
	wp_timer_stop(&bg->gc_timer);
}
