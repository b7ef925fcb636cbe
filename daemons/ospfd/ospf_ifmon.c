/*
 * ospf_ifmon.c: kernel links and IPv4 addresses, read over rtnetlink.
 *
 * Stand-in for ribd's IF_STATE/ADDR_STATE stream: one socket subscribed to
 * link and IPv4 address notifications, one dump at start (and again after
 * a notification overflow).  The result is the list ospf->kifs; every
 * change schedules ospf_sync_ifaces(), which decides what runs OSPF.
 * Nothing else in ospfd talks to the kernel about interfaces, so the day
 * ribd delivers them, this file is the one that goes.  Every instance
 * (one per VRF) has its own watcher and sees every link, with its master
 * and, for a vrf link, its table: ospf_kif_mine() picks its own.
 */
#include "config.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ospfd.h"

WP_MEMTYPE_DEFINE(MT_OSPF_KIF, "OSPF kernel interface");

struct ospf_ifmon {
	struct ospf *ospf;
	struct wp_io io;
	int fd;
	uint32_t seq;
	uint64_t overflows;
};

struct ospf_kif *
ospf_kif_find(struct ospf *ospf, int ifindex)
{
	struct ospf_kif *k;

	TAILQ_FOREACH(k, &ospf->kifs, entry)
		if (k->ifindex == ifindex)
			return k;
	return NULL;
}

struct ospf_kif *
ospf_kif_by_name(struct ospf *ospf, const char *name)
{
	struct ospf_kif *k;

	TAILQ_FOREACH(k, &ospf->kifs, entry)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

void
ospf_kif_free_all(struct ospf *ospf)
{
	struct ospf_kif *k;

	while ((k = TAILQ_FIRST(&ospf->kifs)) != NULL) {
		TAILQ_REMOVE(&ospf->kifs, k, entry);
		wp_free(MT_OSPF_KIF, k);
	}
}

static struct ospf_kif *
kif_get(struct ospf *ospf, int ifindex)
{
	struct ospf_kif *k = ospf_kif_find(ospf, ifindex);

	if (k)
		return k;
	k = wp_calloc(MT_OSPF_KIF, sizeof(*k));
	k->ifindex = ifindex;
	TAILQ_INSERT_TAIL(&ospf->kifs, k, entry);
	return k;
}

/* IFLA_LINKINFO: a vrf link (kind "vrf") and its table. */
static void
linkinfo(struct ospf_kif *k, struct rtattr *info)
{
	int len = (int)RTA_PAYLOAD(info);
	struct rtattr *rta, *data = NULL;
	bool vrf = false;

	for (rta = RTA_DATA(info); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_INFO_KIND)
			vrf = RTA_PAYLOAD(rta) >= 3 &&
			      strncmp(RTA_DATA(rta), "vrf", RTA_PAYLOAD(rta)) == 0;
		else if (rta->rta_type == IFLA_INFO_DATA)
			data = rta;
	}
	k->is_vrf = vrf;
	if (!vrf || data == NULL)
		return;
	len = (int)RTA_PAYLOAD(data);
	for (rta = RTA_DATA(data); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == IFLA_VRF_TABLE && RTA_PAYLOAD(rta) >= 4)
			memcpy(&k->vrf_table, RTA_DATA(rta), 4);
}

static void
link_msg(struct ospf *ospf, struct nlmsghdr *nh)
{
	struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	struct ospf_kif *k;
	struct rtattr *rta;

	if (len < 0)
		return;
	if (nh->nlmsg_type == RTM_DELLINK) {
		k = ospf_kif_find(ospf, ifi->ifi_index);
		if (k) {
			TAILQ_REMOVE(&ospf->kifs, k, entry);
			wp_free(MT_OSPF_KIF, k);
		}
		return;
	}
	k = kif_get(ospf, ifi->ifi_index);
	k->flags = ifi->ifi_flags;
	/* A link's every message carries all its attributes: no master
	 * attribute, no master (released from its VRF). */
	k->master = 0;
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t plen = RTA_PAYLOAD(rta);

		if (rta->rta_type == IFLA_MASTER && plen >= 4) {
			uint32_t m;

			memcpy(&m, RTA_DATA(rta), 4);
			k->master = (int)m;
		} else if (rta->rta_type == IFLA_LINKINFO) {
			linkinfo(k, rta);
		}

		if (rta->rta_type == IFLA_IFNAME && plen > 0) {
			size_t n = plen < IF_NAMESIZE ? plen : IF_NAMESIZE - 1;

			memcpy(k->name, RTA_DATA(rta), n);
			k->name[n] = '\0';
		} else if (rta->rta_type == IFLA_MTU && plen >= 4) {
			memcpy(&k->mtu, RTA_DATA(rta), 4);
		}
	}
	/* A vrf link is its VRF's loopback (as FRR has it): its addresses
	 * are stub networks of the VRF's instance. */
	if (k->is_vrf)
		k->flags |= IFF_LOOPBACK;
}

static void
addr_msg(struct ospf *ospf, struct nlmsghdr *nh)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa));
	uint32_t local = 0, address = 0, a;
	bool have_local = false, have_addr = false;
	struct ospf_kif *k;
	struct rtattr *rta;

	if (len < 0 || ifa->ifa_family != AF_INET)
		return;
	for (rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (RTA_PAYLOAD(rta) < 4)
			continue;
		if (rta->rta_type == IFA_LOCAL) {
			memcpy(&local, RTA_DATA(rta), 4);
			have_local = true;
		} else if (rta->rta_type == IFA_ADDRESS) {
			memcpy(&address, RTA_DATA(rta), 4);
			have_addr = true;
		}
	}
	if (!have_local && !have_addr)
		return;
	a = ntohl(have_local ? local : address);
	k = nh->nlmsg_type == RTM_NEWADDR ? kif_get(ospf, (int)ifa->ifa_index) :
	    ospf_kif_find(ospf, (int)ifa->ifa_index);
	if (k == NULL)
		return;
	for (unsigned int i = 0; i < k->n_addrs; i++) {
		if (k->addrs[i].addr != a)
			continue;
		if (nh->nlmsg_type == RTM_DELADDR) {
			k->addrs[i] = k->addrs[--k->n_addrs];
			return;
		}
		k->addrs[i].plen = ifa->ifa_prefixlen;
		return;
	}
	if (nh->nlmsg_type != RTM_NEWADDR || k->n_addrs == OSPF_KIF_ADDRS_MAX)
		return;
	k->addrs[k->n_addrs].addr = a;
	k->addrs[k->n_addrs].plen = ifa->ifa_prefixlen;
	k->n_addrs++;
}

/* Handle every message in buf; 1 when a dump's NLMSG_DONE was seen. */
static int
handle(struct ospf *ospf, uint8_t *buf, size_t n)
{
	struct nlmsghdr *nh;
	int len = (int)n, done = 0;

	for (nh = (struct nlmsghdr *)(void *)buf; NLMSG_OK(nh, len);
	     nh = NLMSG_NEXT(nh, len)) {
		switch (nh->nlmsg_type) {
		case NLMSG_DONE:
			done = 1;
			break;
		case NLMSG_ERROR:
			done = 1;
			break;
		case RTM_NEWLINK:
		case RTM_DELLINK:
			link_msg(ospf, nh);
			break;
		case RTM_NEWADDR:
		case RTM_DELADDR:
			addr_msg(ospf, nh);
			break;
		default:
			break;
		}
	}
	return done;
}

static int
dump(struct ospf *ospf, uint16_t type)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	static uint8_t buf[32768];
	int fd, rc = -1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0) {
		wp_log_warn("%s: netlink socket", __func__);
		return -1;
	}
	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.g));
	req.nh.nlmsg_type = type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = 1;
	req.g.rtgen_family = type == RTM_GETADDR ? AF_INET : AF_UNSPEC;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		wp_log_warn("%s: netlink dump request", __func__);
		goto out;
	}
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			wp_log_warn("%s: netlink dump", __func__);
			goto out;
		}
		if (handle(ospf, buf, (size_t)n))
			break;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

static int
dump_all(struct ospf *ospf)
{
	if (dump(ospf, RTM_GETLINK) < 0 || dump(ospf, RTM_GETADDR) < 0)
		return -1;
	ospf_sync_schedule(ospf);
	return 0;
}

static void
ifmon_read(struct wp_io *io, int revents)
{
	struct ospf_ifmon *m = container_of(io, struct ospf_ifmon, io);
	static uint8_t buf[32768];

	for (;;) {
		ssize_t n = recv(m->fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			/* Notifications were lost: start over from a dump. */
			m->overflows++;
			wp_log_warnx("interface notifications overflowed: "
				     "re-reading interfaces");
			ospf_kif_free_all(m->ospf);
			dump_all(m->ospf);
			continue;
		}
		if (n <= 0)
			break;
		handle(m->ospf, buf, (size_t)n);
	}
	ospf_sync_schedule(m->ospf);
}

struct ospf_ifmon *
ospf_ifmon_start(struct ospf *ospf)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR,
	};
	struct ospf_ifmon *m;
	int fd, rcvbuf = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    NETLINK_ROUTE);
	if (fd < 0) {
		wp_log_warn("%s: netlink socket", __func__);
		return NULL;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		wp_log_warn("%s: netlink bind", __func__);
		close(fd);
		return NULL;
	}
	m = wp_calloc(MT_OSPF_KIF, sizeof(*m));
	m->ospf = ospf;
	m->fd = fd;
	/* Subscribed first, dumped second: nothing falls in between. */
	if (dump_all(ospf) < 0) {
		close(fd);
		wp_free(MT_OSPF_KIF, m);
		return NULL;
	}
	wp_io_init(ospf->loop, &m->io, "ospf netlink", fd, EV_READ, ifmon_read);
	wp_io_start(&m->io);
	return m;
}

void
ospf_ifmon_stop(struct ospf_ifmon *m)
{
	if (m == NULL)
		return;
	wp_io_stop(&m->io);
	close(m->fd);
	wp_free(MT_OSPF_KIF, m);
}
