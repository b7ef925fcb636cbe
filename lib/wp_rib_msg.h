/*
 * wp_rib_msg: what both ends of ribd's client API share -- the message
 * type numbers of lib/proto/rib.proto, the C view of routes and
 * nexthops, and the conversions between the two with their checks.
 *
 * ribd (daemons/ribd/rib_zapi.c) and lib/wp_ribclient decode with the
 * same functions, so a field value one end refuses the other end would
 * never have produced.  Every decoder says what is wrong in words fit
 * for a log line naming the peer: "route 17: prefix length 33 exceeds 32
 * for IPv4".  doc/developer/ribd-api.md describes the messages.
 */
#ifndef WP_RIB_MSG_H
#define WP_RIB_MSG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/proto/rib.pb-c.h"
#include "wp_prefix.h"

/* Message types: ribd owns 0x0100-0x03ff (doc/developer/ipc.md). */
enum wp_rib_type {
	WP_RIB_HELLO = 0x0100,			/* Wp__Rib__Hello */
	WP_RIB_HELLO_ACK = 0x0101,		/* Wp__Rib__HelloAck */
	WP_RIB_SYNC_DONE = 0x0102,		/* Wp__Rib__SyncDone */
	WP_RIB_ROUTE_ADD = 0x0110,		/* Wp__Rib__RouteAdd */
	WP_RIB_ROUTE_DEL = 0x0111,		/* Wp__Rib__RouteDel */
	WP_RIB_ROUTE_RESULT = 0x0112,		/* Wp__Rib__RouteResult */
	WP_RIB_REDIST_SUBSCRIBE = 0x0120,	/* Wp__Rib__RedistSubscribe */
	WP_RIB_REDIST_UNSUBSCRIBE = 0x0121,	/* Wp__Rib__RedistSubscribe */
	WP_RIB_REDIST_ADD = 0x0122,		/* Wp__Rib__RedistAdd */
	WP_RIB_REDIST_DEL = 0x0123,		/* Wp__Rib__RedistDel */
	WP_RIB_NH_REGISTER = 0x0130,		/* Wp__Rib__NhRegister */
	WP_RIB_NH_UNREGISTER = 0x0131,		/* Wp__Rib__NhRegister */
	WP_RIB_NH_UPDATE = 0x0132,		/* Wp__Rib__NhUpdate */
	WP_RIB_IF_STATE = 0x0140,		/* Wp__Rib__IfState */
	WP_RIB_ADDR_STATE = 0x0141,		/* Wp__Rib__AddrState */
};

#define WP_RIB_SOCKET		"ribd.sock"
#define WP_RIB_TABLE_MAIN	254
#define WP_RIB_MAX_NEXTHOPS	64
#define WP_RIB_GRACE_DEFAULT	60	/* seconds */
#define WP_RIB_GRACE_MAX	3600

/* Same numbers as Wp__Rib__NexthopType. */
enum wp_rib_nh_type {
	WP_RIB_NH_GATEWAY = 1,
	WP_RIB_NH_INTERFACE = 2,
	WP_RIB_NH_GATEWAY_IF = 3,
	WP_RIB_NH_BLACKHOLE = 4,
	WP_RIB_NH_UNREACHABLE = 5,
	WP_RIB_NH_PROHIBIT = 6,
};

struct wp_rib_nh {
	enum wp_rib_nh_type type;
	struct wp_addr gw;		/* gateway types */
	int ifindex;			/* interface types, or 0 and ifname */
	char ifname[IF_NAMESIZE];
	uint8_t weight;			/* 1-255; 0 means 1 */
	bool onlink;
};

/*
 * A route as the API sees it.  `source`/`instance` are set in
 * redistribution only (a client's own routes carry its HELLO's).
 */
struct wp_rib_route {
	struct wp_prefix prefix;
	uint32_t table;			/* 0 or WP_RIB_TABLE_MAIN: main */
	uint8_t distance;		/* 0: the source's default */
	uint32_t metric;
	uint32_t tag;
	unsigned int n_nh;
	const struct wp_rib_nh *nh;
	int source;			/* Wp__Rib__Source */
	uint32_t instance;
};

/* Sources: names as in `show ip route` ("bgp"); -1 / NULL if unknown. */
int wp_rib_source_parse(const char *name);
const char *wp_rib_source_name(int source);
/* Sources a client may speak for (not kernel, connected, static). */
bool wp_rib_source_is_client(int source);

/* Wp__Rib__Family <-> AF_INET/AF_INET6; 0 / FAMILY_UNSPEC if unknown. */
int wp_rib_family_af(int family);
int wp_rib_af_family(int af);

/*
 * Decoders: 0, or -1 with the reason in `err`.  Prefixes get their host
 * bits cleared.  A nexthop's interface name is checked for length only.
 */
int wp_rib_prefix_decode(int family, const ProtobufCBinaryData *bytes,
			 uint32_t len, struct wp_prefix *out, char *err,
			 size_t errlen);
int wp_rib_addr_decode(int family, const ProtobufCBinaryData *bytes,
		       struct wp_addr *out, char *err, size_t errlen);
int wp_rib_nh_decode(const Wp__Rib__Nexthop *m, struct wp_rib_nh *out,
		     char *err, size_t errlen);
/* Check a nexthop set: 1..WP_RIB_MAX_NEXTHOPS, a reject type alone. */
int wp_rib_nhs_check(const struct wp_rib_nh *nh, size_t n, char *err,
		     size_t errlen);
/* A Route into `out`, its nexthops into `nhbuf` (WP_RIB_MAX_NEXTHOPS). */
int wp_rib_route_decode(const Wp__Rib__Route *m, struct wp_rib_route *out,
			struct wp_rib_nh *nhbuf, char *err, size_t errlen);
int wp_rib_redist_decode(const Wp__Rib__RedistRoute *m,
			 struct wp_rib_route *out, struct wp_rib_nh *nhbuf,
			 char *err, size_t errlen);

/*
 * Encoders fill protobuf-c structs with pointers into the C values, which
 * must outlive the pack: no allocation.
 */
void wp_rib_prefix_encode(const struct wp_prefix *p, Wp__Rib__Family *family,
			  ProtobufCBinaryData *bytes, uint32_t *len);
void wp_rib_addr_encode(const struct wp_addr *a, Wp__Rib__Family *family,
			ProtobufCBinaryData *bytes);
void wp_rib_nh_encode(const struct wp_rib_nh *nh, Wp__Rib__Nexthop *m);

const char *wp_rib_status_name(int status);

#endif /* WP_RIB_MSG_H */
