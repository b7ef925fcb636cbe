/*
 * bfd_vrf.c: the VRFs other than the default one that sessions use.
 *
 * A Linux VRF is a device (`ip link add red type vrf table 10`) that
 * interfaces are enslaved to; a socket bound to that device with
 * SO_BINDTODEVICE sends and receives in the VRF (bfd_socket.c).  Each
 * VRF some session names has a struct bfd_vrf, created with its first
 * session and freed with its last (bfd_vrf_get() / bfd_vrf_put()), that
 * holds the VRF's receive sockets: single hop 3784, multihop 4784 and
 * echo 3785 (RFC 5881 §4, RFC 5883 §5), IPv4 and IPv6.
 *
 * The device may not exist yet when the session is configured, or go
 * away and come back (with a new index).  A one-second timer per VRF
 * looks at the device's index (if_nametoindex()): sockets open when it
 * appears, close when it goes, are reopened when it changes, and the
 * VRF's sessions drop their transmit sockets so they reopen bound to the
 * new device.  A timer rather than ribd's interface stream or a netlink
 * subscription: bfdd has neither today (interface sessions retry the
 * same way, bfd_socket.c), VRF devices are created once at boot, and one
 * ioctl a second per VRF costs nothing; until the device is there the
 * session stays Down and says why ("vrf red: no such device").
 *
 * A device that is not a VRF (a typo naming an Ethernet port, say) is
 * taken as absent, saying so ("vrf eth1: not a vrf device"): binding to
 * it would send and receive on that one port, in the default table.
 * The kind is the driver name the device reports through ethtool's
 * ioctl, "vrf" for a VRF device: one ioctl, no netlink.
 */
#include "config.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bfdd.h"

WP_MEMTYPE_DEFINE(MT_BFD_VRF, "BFD VRF");

#define VRF_CHECK	1.0	/* seconds between looks at the device */

int
bfd_vrf_name(const char *in, char out[IFNAMSIZ], char *err, size_t errlen)
{
	out[0] = '\0';
	if (in == NULL || in[0] == '\0' || strcmp(in, BFD_VRF_DEFAULT) == 0)
		return 0;
	if (strlen(in) >= IFNAMSIZ || strpbrk(in, " \t/") != NULL) {
		if (err)
			snprintf(err, errlen, "vrf \"%s\" is not a device name",
				 in);
		return -1;
	}
	snprintf(out, IFNAMSIZ, "%s", in);
	return 0;
}

struct bfd_vrf *
bfd_vrf_find(struct bfd_global *bg, const char *name)
{
	struct bfd_vrf *v;

	LIST_FOREACH(v, &bg->vrfs, entry)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

/* Is device NAME a VRF?  Its driver says "vrf" (drivers/net/vrf.c). */
static bool
dev_is_vrf(const char *name)
{
	struct ethtool_drvinfo di;
	struct ifreq ifr;
	int fd, rc;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(&di, 0, sizeof(di));
	memset(&ifr, 0, sizeof(ifr));
	di.cmd = ETHTOOL_GDRVINFO;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&di;
	rc = ioctl(fd, SIOCETHTOOL, &ifr);
	close(fd);
	return rc == 0 && strcmp(di.driver, "vrf") == 0;
}

/* The VRF's device index now, 0 if there is none or it is no VRF. */
static int
vrf_lookup(struct bfd_vrf *v)
{
	int ifindex = (int)if_nametoindex(v->name);
	bool not_vrf = ifindex != 0 && !dev_is_vrf(v->name);

	if (not_vrf && !v->not_vrf)
		wp_log_warnx("vrf %s: the device is not a vrf device: its "
			     "sessions wait for a vrf of that name", v->name);
	v->not_vrf = not_vrf;
	return not_vrf ? 0 : ifindex;
}

/* The device is now `ifindex` (0: gone): sockets follow. */
static void
vrf_device(struct bfd_vrf *v, int ifindex)
{
	struct bfd_session *s;

	if (ifindex == v->ifindex)
		return;
	if (v->ifindex)
		bfd_vrf_sockets_close(v);
	v->ifindex = ifindex;
	if (ifindex == 0 && !v->not_vrf)
		wp_log_warnx("vrf %s: no such device: its sessions wait for it",
			     v->name);
	else if (ifindex != 0)
		wp_log_info("vrf %s: device index %d, %d receive sockets",
			    v->name, ifindex, bfd_vrf_sockets_open(v));
	/* Transmit sockets bound to the old device are useless now. */
	TAILQ_FOREACH(s, &v->bg->sessions, entry) {
		if (s->vrf != v)
			continue;
		bfd_session_sock_close(s);
		s->sock_retry = 0;
	}
}

static void
check_cb(struct wp_timer *t)
{
	struct bfd_vrf *v = container_of(t, struct bfd_vrf, check_timer);

	vrf_device(v, vrf_lookup(v));
}

struct bfd_vrf *
bfd_vrf_get(struct bfd_global *bg, const char *name)
{
	struct bfd_vrf *v;

	if (name[0] == '\0')
		return NULL;
	if ((v = bfd_vrf_find(bg, name)) != NULL) {
		v->nsessions++;
		return v;
	}
	v = wp_calloc(MT_BFD_VRF, sizeof(*v));
	v->bg = bg;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->nsessions = 1;
	for (size_t i = 0; i < BFD_SOCK_MAX; i++)
		v->socks[i].fd = -1;
	LIST_INSERT_HEAD(&bg->vrfs, v, entry);
	if (bg->tx_hook) {
		v->ifindex = -1;	/* tests, no sockets: always there */
		return v;
	}
	wp_timer_init(bg->loop, &v->check_timer, "bfd vrf check", check_cb);
	wp_timer_start_periodic(&v->check_timer, VRF_CHECK, 0);
	v->ifindex = 0;
	vrf_device(v, vrf_lookup(v));
	if (v->ifindex == 0 && !v->not_vrf)
		wp_log_warnx("vrf %s: no such device: its sessions wait for it",
			     name);
	return v;
}

void
bfd_vrf_put(struct bfd_vrf *v)
{
	if (v == NULL || --v->nsessions > 0)
		return;
	if (v->check_timer.loop)
		wp_timer_stop(&v->check_timer);
	bfd_vrf_sockets_close(v);
	LIST_REMOVE(v, entry);
	wp_log_info("vrf %s: no session left, sockets closed", v->name);
	wp_free(MT_BFD_VRF, v);
}

void
bfd_vrfs_drain(struct bfd_global *bg)
{
	struct bfd_vrf *v;

	LIST_FOREACH(v, &bg->vrfs, entry)
		bfd_vrf_sockets_drain(v);
}
