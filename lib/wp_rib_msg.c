/*
 * wp_rib_msg.c: conversions between rib.proto's messages and the C view
 * of routes (wp_rib_msg.h), with the field checks both ends apply.
 * Nothing here allocates: decoders fill caller storage, encoders point
 * protobuf-c structs at the caller's values.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "wp_rib_msg.h"

static const char *const source_names[] = {
	[WP__RIB__SOURCE__SOURCE_KERNEL] = "kernel",
	[WP__RIB__SOURCE__SOURCE_CONNECTED] = "connected",
	[WP__RIB__SOURCE__SOURCE_STATIC] = "static",
	[WP__RIB__SOURCE__SOURCE_BGP] = "bgp",
	[WP__RIB__SOURCE__SOURCE_OSPF] = "ospf",
	[WP__RIB__SOURCE__SOURCE_OSPF6] = "ospf6",
	[WP__RIB__SOURCE__SOURCE_ISIS] = "isis",
	[WP__RIB__SOURCE__SOURCE_RIP] = "rip",
};
#define N_SOURCES	(int)(sizeof(source_names) / sizeof(source_names[0]))

static void __attribute__((format(printf, 3, 4)))
msg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
wp_rib_source_parse(const char *name)
{
	for (int i = 1; i < N_SOURCES; i++)
		if (source_names[i] && strcasecmp(name, source_names[i]) == 0)
			return i;
	return -1;
}

const char *
wp_rib_source_name(int source)
{
	if (source <= 0 || source >= N_SOURCES)
		return NULL;
	return source_names[source];
}

bool
wp_rib_source_is_client(int source)
{
	switch (source) {
	case WP__RIB__SOURCE__SOURCE_BGP:
	case WP__RIB__SOURCE__SOURCE_OSPF:
	case WP__RIB__SOURCE__SOURCE_OSPF6:
	case WP__RIB__SOURCE__SOURCE_ISIS:
	case WP__RIB__SOURCE__SOURCE_RIP:
		return true;
	}
	return false;
}

int
wp_rib_family_af(int family)
{
	switch (family) {
	case WP__RIB__FAMILY__FAMILY_IPV4:
		return AF_INET;
	case WP__RIB__FAMILY__FAMILY_IPV6:
		return AF_INET6;
	}
	return 0;
}

int
wp_rib_af_family(int af)
{
	switch (af) {
	case AF_INET:
		return WP__RIB__FAMILY__FAMILY_IPV4;
	case AF_INET6:
		return WP__RIB__FAMILY__FAMILY_IPV6;
	}
	return WP__RIB__FAMILY__FAMILY_UNSPEC;
}

/* The address bytes of `family`, checked; the AF in *af. */
static int
addr_bytes(int family, const ProtobufCBinaryData *bytes, const char *what,
	   int *af, char *err, size_t errlen)
{
	size_t want;

	*af = wp_rib_family_af(family);
	if (*af == 0) {
		msg_err(err, errlen, "unknown address family %d", family);
		return -1;
	}
	want = *af == AF_INET ? 4 : 16;
	if (bytes->len != want) {
		msg_err(err, errlen, "%s of %zu bytes for %s (expected %zu)",
			what, bytes->len, wp_family_name(*af), want);
		return -1;
	}
	return 0;
}

int
wp_rib_prefix_decode(int family, const ProtobufCBinaryData *bytes,
		     uint32_t len, struct wp_prefix *out, char *err,
		     size_t errlen)
{
	int af;

	if (addr_bytes(family, bytes, "prefix", &af, err, errlen) < 0)
		return -1;
	if (len > wp_family_bits(af)) {
		msg_err(err, errlen, "prefix length %u exceeds %u for %s", len,
			wp_family_bits(af), wp_family_name(af));
		return -1;
	}
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)af;
	out->len = (uint8_t)len;
	memcpy(out->u.bytes, bytes->data, bytes->len);
	wp_prefix_mask(out);
	return 0;
}

int
wp_rib_addr_decode(int family, const ProtobufCBinaryData *bytes,
		   struct wp_addr *out, char *err, size_t errlen)
{
	int af;

	if (addr_bytes(family, bytes, "address", &af, err, errlen) < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)af;
	memcpy(out->u.bytes, bytes->data, bytes->len);
	return 0;
}

/* A gateway's family is its length: 4 or 16 bytes. */
static int
gw_decode(const ProtobufCBinaryData *b, struct wp_addr *gw, char *err,
	  size_t errlen)
{
	memset(gw, 0, sizeof(*gw));
	if (b->len == 4)
		gw->family = AF_INET;
	else if (b->len == 16)
		gw->family = AF_INET6;
	else {
		msg_err(err, errlen, "gateway of %zu bytes (expected 4 or 16)",
			b->len);
		return -1;
	}
	memcpy(gw->u.bytes, b->data, b->len);
	return 0;
}

int
wp_rib_nh_decode(const Wp__Rib__Nexthop *m, struct wp_rib_nh *out, char *err,
		 size_t errlen)
{
	bool gw = false, ifc = false;

	memset(out, 0, sizeof(*out));
	switch (m->type) {
	case WP__RIB__NEXTHOP_TYPE__NH_GATEWAY:
		gw = true;
		break;
	case WP__RIB__NEXTHOP_TYPE__NH_INTERFACE:
		ifc = true;
		break;
	case WP__RIB__NEXTHOP_TYPE__NH_GATEWAY_INTERFACE:
		gw = ifc = true;
		break;
	case WP__RIB__NEXTHOP_TYPE__NH_BLACKHOLE:
	case WP__RIB__NEXTHOP_TYPE__NH_UNREACHABLE:
	case WP__RIB__NEXTHOP_TYPE__NH_PROHIBIT:
		break;
	default:
		msg_err(err, errlen, "unknown nexthop type %d", (int)m->type);
		return -1;
	}
	out->type = (enum wp_rib_nh_type)m->type;
	if (gw && gw_decode(&m->gateway, &out->gw, err, errlen) < 0)
		return -1;
	if (m->weight > 255) {
		msg_err(err, errlen, "nexthop weight %u exceeds 255", m->weight);
		return -1;
	}
	out->weight = (uint8_t)m->weight;
	out->onlink = m->onlink;
	if (!ifc)
		return 0;
	if (m->ifindex > INT32_MAX) {
		msg_err(err, errlen, "ifindex %u out of range", m->ifindex);
		return -1;
	}
	out->ifindex = (int)m->ifindex;
	if (m->ifname && m->ifname[0]) {
		if (strlen(m->ifname) >= IF_NAMESIZE) {
			msg_err(err, errlen, "interface name of %zu characters "
				"(at most %d)", strlen(m->ifname),
				IF_NAMESIZE - 1);
			return -1;
		}
		snprintf(out->ifname, sizeof(out->ifname), "%s", m->ifname);
	}
	if (out->ifindex == 0 && out->ifname[0] == '\0') {
		msg_err(err, errlen, "%s nexthop without ifindex or ifname",
			gw ? "gateway+interface" : "interface");
		return -1;
	}
	return 0;
}

static bool
nh_is_reject(const struct wp_rib_nh *nh)
{
	return nh->type == WP_RIB_NH_BLACKHOLE ||
	       nh->type == WP_RIB_NH_UNREACHABLE ||
	       nh->type == WP_RIB_NH_PROHIBIT;
}

int
wp_rib_nhs_check(const struct wp_rib_nh *nh, size_t n, char *err,
		 size_t errlen)
{
	if (n == 0) {
		msg_err(err, errlen, "no nexthop");
		return -1;
	}
	if (n > WP_RIB_MAX_NEXTHOPS) {
		msg_err(err, errlen, "%zu nexthops (at most %d)", n,
			WP_RIB_MAX_NEXTHOPS);
		return -1;
	}
	for (size_t i = 0; i < n && n > 1; i++)
		if (nh_is_reject(&nh[i])) {
			msg_err(err, errlen, "a blackhole/unreachable/prohibit "
				"nexthop must be the only one (%zu given)", n);
			return -1;
		}
	return 0;
}

static int
nhs_decode(Wp__Rib__Nexthop *const *m, size_t n, struct wp_rib_nh *nhbuf,
	   char *err, size_t errlen)
{
	char sub[128];

	if (n > WP_RIB_MAX_NEXTHOPS) {
		msg_err(err, errlen, "%zu nexthops (at most %d)", n,
			WP_RIB_MAX_NEXTHOPS);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (wp_rib_nh_decode(m[i], &nhbuf[i], sub, sizeof(sub)) < 0) {
			msg_err(err, errlen, "nexthop %zu: %s", i, sub);
			return -1;
		}
	return wp_rib_nhs_check(nhbuf, n, err, errlen);
}

int
wp_rib_route_decode(const Wp__Rib__Route *m, struct wp_rib_route *out,
		    struct wp_rib_nh *nhbuf, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (wp_rib_prefix_decode(m->family, &m->prefix, m->prefix_len,
				 &out->prefix, err, errlen) < 0)
		return -1;
	if (m->distance > 255) {
		msg_err(err, errlen, "distance %u exceeds 255", m->distance);
		return -1;
	}
	out->table = m->table;
	out->distance = (uint8_t)m->distance;
	out->metric = m->metric;
	out->tag = m->tag;
	if (nhs_decode(m->nexthops, m->n_nexthops, nhbuf, err, errlen) < 0)
		return -1;
	out->n_nh = (unsigned int)m->n_nexthops;
	out->nh = nhbuf;
	return 0;
}

int
wp_rib_redist_decode(const Wp__Rib__RedistRoute *m, struct wp_rib_route *out,
		     struct wp_rib_nh *nhbuf, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (wp_rib_prefix_decode(m->family, &m->prefix, m->prefix_len,
				 &out->prefix, err, errlen) < 0)
		return -1;
	if (wp_rib_source_name(m->source) == NULL) {
		msg_err(err, errlen, "unknown source %d", (int)m->source);
		return -1;
	}
	if (m->distance > 255) {
		msg_err(err, errlen, "distance %u exceeds 255", m->distance);
		return -1;
	}
	out->table = m->table;
	out->source = m->source;
	out->instance = m->instance;
	out->distance = (uint8_t)m->distance;
	out->metric = m->metric;
	out->tag = m->tag;
	/* Connected and kernel routes may come without a nexthop. */
	if (m->n_nexthops && nhs_decode(m->nexthops, m->n_nexthops, nhbuf,
					err, errlen) < 0)
		return -1;
	out->n_nh = (unsigned int)m->n_nexthops;
	out->nh = nhbuf;
	return 0;
}

void
wp_rib_prefix_encode(const struct wp_prefix *p, Wp__Rib__Family *family,
		     ProtobufCBinaryData *bytes, uint32_t *len)
{
	*family = (Wp__Rib__Family)wp_rib_af_family(p->family);
	bytes->data = (uint8_t *)(uintptr_t)p->u.bytes;
	bytes->len = p->family == AF_INET ? 4 : 16;
	*len = p->len;
}

void
wp_rib_addr_encode(const struct wp_addr *a, Wp__Rib__Family *family,
		   ProtobufCBinaryData *bytes)
{
	*family = (Wp__Rib__Family)wp_rib_af_family(a->family);
	bytes->data = (uint8_t *)(uintptr_t)a->u.bytes;
	bytes->len = a->family == AF_INET ? 4 : 16;
}

void
wp_rib_nh_encode(const struct wp_rib_nh *nh, Wp__Rib__Nexthop *m)
{
	wp__rib__nexthop__init(m);
	m->type = (Wp__Rib__NexthopType)nh->type;
	if (nh->gw.family) {
		m->gateway.data = (uint8_t *)(uintptr_t)nh->gw.u.bytes;
		m->gateway.len = nh->gw.family == AF_INET ? 4 : 16;
	}
	m->ifindex = nh->ifindex > 0 ? (uint32_t)nh->ifindex : 0;
	if (nh->ifname[0])
		m->ifname = (char *)(uintptr_t)nh->ifname;
	m->weight = nh->weight;
	m->onlink = nh->onlink;
}

const char *
wp_rib_status_name(int status)
{
	switch (status) {
	case WP__RIB__ROUTE_STATUS__ROUTE_INSTALLED:
		return "installed";
	case WP__RIB__ROUTE_STATUS__ROUTE_FAILED:
		return "failed";
	case WP__RIB__ROUTE_STATUS__ROUTE_NOT_SELECTED:
		return "not selected";
	case WP__RIB__ROUTE_STATUS__ROUTE_INACTIVE:
		return "inactive";
	case WP__RIB__ROUTE_STATUS__ROUTE_REMOVED:
		return "removed";
	}
	return "unknown";
}
