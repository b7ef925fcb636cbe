/*
 * wp_bfdclient.c: the bfdd.sock client (wp_bfdclient.h).  The wanted
 * registrations live in one array, searched linearly: a daemon holds a
 * few sessions per neighbour, not thousands.  The connection, its
 * backoff and framing are wp_ipc's; this file turns registrations into
 * PeerRegister/PeerDeregister frames and PeerStatus frames into calls.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/proto/bfd.pb-c.h"
#include "lib/proto/ipc.pb-c.h"
#include "wp_bfd.h"
#include "wp_bfdclient.h"
#include "wp_ipc.h"
#include "wp_log.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_BFDCLIENT, "BFD client registrations");

struct wp_bfdclient {
	struct wp_ipc_client *cl;
	struct wp_bfdclient_cbs cbs;
	char name[32];
	struct wp_bfd_reg *regs;
	size_t nregs, cap;
	bool connected;
	struct wp_bfdclient_stats stats;
};

static const char *const state_names[] = { "admin-down", "down", "init",
					   "up" };

const char *
wp_bfd_state_name(enum wp_bfd_state s)
{
	return (unsigned int)s < 4 ? state_names[s] : "unknown";
}

bool
wp_bfd_status_path_down(const struct wp_bfd_status *st)
{
	/* RFC 5882 §3.2: AdminDown, ours or the peer's, is not a failure
	 * of the path.  The peer's shows as its state in its packets (some
	 * implementations leave their diagnostic at 0), or as Neighbor
	 * Signaled Session Down with its diagnostic AdminDown. */
	if (st->state != WP_BFD_STATE_DOWN || st->remote_admin_down)
		return false;
	return !(st->diagnostic == WP_BFD_DIAG_NEIGHBOR_DOWN &&
		 st->remote_diagnostic == WP_BFD_DIAG_ADMIN_DOWN);
}

bool
wp_bfd_key_eq(const struct wp_bfd_key *a, const struct wp_bfd_key *b)
{
	if (!wp_addr_eq(&a->peer, &b->peer) || a->multihop != b->multihop ||
	    strcmp(a->ifname, b->ifname) != 0 || strcmp(a->vrf, b->vrf) != 0)
		return false;
	if (a->local.family == 0 || b->local.family == 0)
		return a->local.family == b->local.family;
	return wp_addr_eq(&a->local, &b->local);
}

char *
wp_bfd_key_fmt(const struct wp_bfd_key *k, char *buf, size_t len)
{
	char p[INET6_ADDRSTRLEN], l[INET6_ADDRSTRLEN];

	snprintf(buf, len, "%s%s%s%s%s%s%s%s",
		 wp_addr_fmt(&k->peer, p, sizeof(p)),
		 k->multihop ? " multihop" : "",
		 k->local.family ? " local " : "",
		 k->local.family ? wp_addr_fmt(&k->local, l, sizeof(l)) : "",
		 k->ifname[0] ? " interface " : "", k->ifname,
		 k->vrf[0] ? " vrf " : "", k->vrf);
	return buf;
}

static struct wp_bfd_reg *
reg_find(struct wp_bfdclient *bc, const struct wp_bfd_key *k)
{
	for (size_t i = 0; i < bc->nregs; i++)
		if (wp_bfd_key_eq(&bc->regs[i].key, k))
			return &bc->regs[i];
	return NULL;
}

/* Fill a PeerKey whose strings live in `peer`/`local` (caller's). */
static void
key_to_msg(const struct wp_bfd_key *k, Wp__Bfd__PeerKey *m, char *peer,
	   char *local, size_t len)
{
	wp_addr_fmt(&k->peer, peer, len);
	local[0] = '\0';
	if (k->local.family)
		wp_addr_fmt(&k->local, local, len);
	m->peer = peer;
	m->local = local;
	m->ifname = (char *)(uintptr_t)k->ifname;
	m->multihop = k->multihop;
	m->vrf = (char *)(uintptr_t)k->vrf;
}

static void
send_register(struct wp_bfdclient *bc, const struct wp_bfd_reg *r)
{
	Wp__Bfd__PeerRegister m = WP__BFD__PEER_REGISTER__INIT;
	Wp__Bfd__PeerKey k = WP__BFD__PEER_KEY__INIT;
	char peer[INET6_ADDRSTRLEN], local[INET6_ADDRSTRLEN];

	key_to_msg(&r->key, &k, peer, local, sizeof(peer));
	m.key = &k;
	m.profile = (char *)(uintptr_t)r->profile;
	m.detect_multiplier = r->detect_multiplier;
	m.receive_interval_ms = r->receive_interval_ms;
	m.transmit_interval_ms = r->transmit_interval_ms;
	m.minimum_ttl = r->minimum_ttl;
	if (wp_ipc_client_send(bc->cl, WP_BFD_PEER_REGISTER, &m.base) < 0 &&
	    errno != ENOTCONN)
		wp_log_warn("bfdd: cannot send a registration for %s", peer);
}

void
wp_bfdclient_register(struct wp_bfdclient *bc, const struct wp_bfd_reg *r)
{
	struct wp_bfd_reg *o = reg_find(bc, &r->key);

	if (o == NULL) {
		if (bc->nregs == bc->cap) {
			bc->cap = bc->cap ? bc->cap * 2 : 8;
			bc->regs = wp_realloc(MT_BFDCLIENT, bc->regs,
					      bc->cap * sizeof(*bc->regs));
		}
		o = &bc->regs[bc->nregs++];
	} else if (memcmp(o, r, sizeof(*r)) == 0) {
		return;		/* nothing new to tell bfdd */
	}
	*o = *r;
	if (bc->connected)
		send_register(bc, o);
}

int
wp_bfdclient_deregister(struct wp_bfdclient *bc, const struct wp_bfd_key *k)
{
	struct wp_bfd_reg *o = reg_find(bc, k);
	Wp__Bfd__PeerDeregister m = WP__BFD__PEER_DEREGISTER__INIT;
	Wp__Bfd__PeerKey km = WP__BFD__PEER_KEY__INIT;
	char peer[INET6_ADDRSTRLEN], local[INET6_ADDRSTRLEN];

	if (o == NULL)
		return -1;
	if (bc->connected) {
		key_to_msg(&o->key, &km, peer, local, sizeof(peer));
		m.key = &km;
		if (wp_ipc_client_send(bc->cl, WP_BFD_PEER_DEREGISTER,
				       &m.base) < 0 && errno != ENOTCONN)
			wp_log_warn("bfdd: cannot deregister %s", peer);
	}
	*o = bc->regs[--bc->nregs];
	return 0;
}

/* --- from bfdd ----------------------------------------------------------- */

static int
key_from_msg(const Wp__Bfd__PeerKey *m, struct wp_bfd_key *k)
{
	char err[WP_PREFIX_ERRLEN];

	memset(k, 0, sizeof(*k));
	if (m == NULL || m->peer == NULL ||
	    wp_addr_parse(m->peer, &k->peer, err, sizeof(err)) < 0)
		return -1;
	if (m->local && m->local[0] &&
	    wp_addr_parse(m->local, &k->local, err, sizeof(err)) < 0)
		return -1;
	if (m->ifname && strlen(m->ifname) >= sizeof(k->ifname))
		return -1;
	snprintf(k->ifname, sizeof(k->ifname), "%s", m->ifname ? m->ifname :
		 "");
	if (m->vrf && strlen(m->vrf) >= sizeof(k->vrf))
		return -1;
	/* bfd.proto: "" and "default" both name the default VRF. */
	if (m->vrf && strcmp(m->vrf, "default") != 0)
		snprintf(k->vrf, sizeof(k->vrf), "%s", m->vrf);
	k->multihop = m->multihop;
	return 0;
}

static int
on_status(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	  ProtobufCMessage *msg)
{
	struct wp_bfdclient *bc = wp_ipc_conn_arg(c);
	Wp__Bfd__PeerStatus *m = (Wp__Bfd__PeerStatus *)msg;
	struct wp_bfd_status st;

	memset(&st, 0, sizeof(st));
	if (key_from_msg(m->key, &st.key) < 0 ||
	    (unsigned int)m->state > WP_BFD_STATE_UP) {
		bc->stats.bad_statuses++;
		wp_log_warnx_rl("bfdd: malformed PeerStatus (peer \"%s\", "
				"state %d) dropped", m->key && m->key->peer ?
				m->key->peer : "", (int)m->state);
		return 0;
	}
	if (reg_find(bc, &st.key) == NULL) {
		bc->stats.unknown_statuses++;
		return 0;
	}
	bc->stats.statuses++;
	st.state = (enum wp_bfd_state)m->state;
	st.diagnostic = m->diagnostic;
	st.remote_diagnostic = m->remote_diagnostic;
	st.remote_admin_down = m->remote_admin_down;
	st.dampened = m->dampened;
	if (bc->cbs.status)
		bc->cbs.status(bc, &st, bc->cbs.arg);
	return 0;
}

static int
on_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	struct wp_bfdclient *bc = wp_ipc_conn_arg(c);
	Wp__Ipc__Error *m = (Wp__Ipc__Error *)msg;

	bc->stats.errors++;
	wp_log_warnx_rl("bfdd: %s", m->text ? m->text : "error");
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
	struct wp_bfdclient *bc = wp_ipc_conn_arg(c);
	Wp__Ipc__Hello hello = WP__IPC__HELLO__INIT;
	Wp__Bfd__RegisterDone done = WP__BFD__REGISTER_DONE__INIT;

	wp_ipc_conn_set_name(c, "bfdd");
	bc->connected = true;
	bc->stats.connects++;
	hello.daemon = bc->name;
	hello.pid = (uint32_t)getpid();
	hello.version = (char *)(uintptr_t)PACKAGE_VERSION;
	wp_ipc_send(c, WP_IPC_HELLO, &hello.base);
	for (size_t i = 0; i < bc->nregs; i++)
		send_register(bc, &bc->regs[i]);
	wp_ipc_send(c, WP_BFD_REGISTER_DONE, &done.base);
	wp_log_info("bfdd: connected, %zu sessions registered", bc->nregs);
	if (bc->cbs.connection)
		bc->cbs.connection(bc, true, bc->cbs.arg);
}

static void
on_disconnect(struct wp_ipc_conn *c)
{
	struct wp_bfdclient *bc = wp_ipc_conn_arg(c);

	if (!bc->connected)
		return;
	bc->connected = false;
	wp_log_info("bfdd: connection lost, reconnecting");
	if (bc->cbs.connection)
		bc->cbs.connection(bc, false, bc->cbs.arg);
}

struct wp_bfdclient *
wp_bfdclient_new(struct wp_loop *loop, const char *path, const char *name,
		 const struct wp_bfdclient_cbs *cbs)
{
	struct wp_bfdclient *bc = wp_calloc(MT_BFDCLIENT, sizeof(*bc));
	struct wp_ipc_callbacks cb = { .on_connect = on_connect,
				       .on_disconnect = on_disconnect,
				       .arg = bc };

	if (cbs)
		bc->cbs = *cbs;
	snprintf(bc->name, sizeof(bc->name), "%s", name);
	bc->cl = wp_ipc_client_new(loop, path, handlers, &cb);
	if (bc->cl == NULL) {
		wp_free(MT_BFDCLIENT, bc);
		return NULL;
	}
	return bc;
}

void
wp_bfdclient_free(struct wp_bfdclient *bc)
{
	if (bc == NULL)
		return;
	bc->cbs.connection = NULL;
	wp_ipc_client_free(bc->cl);
	wp_free(MT_BFDCLIENT, bc->regs);
	wp_free(MT_BFDCLIENT, bc);
}

bool
wp_bfdclient_connected(const struct wp_bfdclient *bc)
{
	return bc->connected;
}

size_t
wp_bfdclient_count(const struct wp_bfdclient *bc)
{
	return bc->nregs;
}

const struct wp_bfdclient_stats *
wp_bfdclient_stats(const struct wp_bfdclient *bc)
{
	return &bc->stats;
}
