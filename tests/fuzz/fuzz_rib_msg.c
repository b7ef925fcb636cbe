/*
 * fuzz_rib_msg: libFuzzer target for ribd's client API messages
 * (lib/proto/rib.proto) and the field checks of lib/wp_rib_msg.
 *
 * The input is a byte stream as a client (or ribd) would send it.  Frames
 * are dispatched against a table holding every rib message type, as a
 * connection does.  Each handler runs the decoders ribd and wp_ribclient
 * run on every route, key, result, nexthop and address; whatever they
 * accept is encoded again and must decode to the same value.  No decoded
 * message may outlive its input.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/proto/rib.pb-c.h"
#include "wp_ipc.h"
#include "wp_mem.h"
#include "wp_rib_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_prefix(int family, const ProtobufCBinaryData *b, uint32_t len)
{
	struct wp_prefix p, q;
	ProtobufCBinaryData eb;
	Wp__Rib__Family ef;
	uint32_t el;

	if (wp_rib_prefix_decode(family, b, len, &p, NULL, 0) < 0)
		return;
	wp_rib_prefix_encode(&p, &ef, &eb, &el);
	if (wp_rib_prefix_decode(ef, &eb, el, &q, NULL, 0) < 0 ||
	    !wp_prefix_eq(&p, &q) || !wp_prefix_is_masked(&q))
		abort();
}

static void
check_route(const Wp__Rib__Route *m)
{
	struct wp_rib_nh nhs[WP_RIB_MAX_NEXTHOPS], back[WP_RIB_MAX_NEXTHOPS];
	Wp__Rib__Nexthop nm[WP_RIB_MAX_NEXTHOPS], *np[WP_RIB_MAX_NEXTHOPS];
	Wp__Rib__Route e = WP__RIB__ROUTE__INIT;
	struct wp_rib_route r, r2;

	check_prefix(m->family, &m->prefix, m->prefix_len);
	if (wp_rib_route_decode(m, &r, nhs, NULL, 0) < 0)
		return;
	wp_rib_prefix_encode(&r.prefix, &e.family, &e.prefix, &e.prefix_len);
	e.distance = r.distance;
	e.metric = r.metric;
	e.tag = r.tag;
	for (unsigned int i = 0; i < r.n_nh; i++) {
		wp_rib_nh_encode(&nhs[i], &nm[i]);
		np[i] = &nm[i];
	}
	e.nexthops = np;
	e.n_nexthops = r.n_nh;
	if (wp_rib_route_decode(&e, &r2, back, NULL, 0) < 0 ||
	    r2.n_nh != r.n_nh || !wp_prefix_eq(&r.prefix, &r2.prefix))
		abort();
	for (unsigned int i = 0; i < r.n_nh; i++)
		if (back[i].type != nhs[i].type ||
		    back[i].ifindex != nhs[i].ifindex ||
		    strcmp(back[i].ifname, nhs[i].ifname) != 0 ||
		    (nhs[i].gw.family && !wp_addr_eq(&back[i].gw, &nhs[i].gw)))
			abort();
}

static int
h_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	Wp__Rib__Hello *m = (Wp__Rib__Hello *)msg;

	if (m->source_name == NULL || m->client == NULL || m->version == NULL)
		abort();
	(void)wp_rib_source_parse(m->source_name);
	(void)wp_rib_source_is_client(m->source);
	return 0;
}

static int
h_route_add(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	Wp__Rib__RouteAdd *m = (Wp__Rib__RouteAdd *)msg;

	for (size_t i = 0; i < m->n_routes; i++)
		check_route(m->routes[i]);
	return 0;
}

static int
h_keys(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
       ProtobufCMessage *msg)
{
	Wp__Rib__RouteDel *m = (Wp__Rib__RouteDel *)msg;

	for (size_t i = 0; i < m->n_routes; i++)
		check_prefix(m->routes[i]->family, &m->routes[i]->prefix,
			     m->routes[i]->prefix_len);
	return 0;
}

static int
h_result(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Rib__RouteResult *m = (Wp__Rib__RouteResult *)msg;

	for (size_t i = 0; i < m->n_results; i++) {
		check_prefix(m->results[i]->family, &m->results[i]->prefix,
			     m->results[i]->prefix_len);
		(void)wp_rib_status_name(m->results[i]->status);
	}
	return 0;
}

static int
h_redist_add(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	Wp__Rib__RedistAdd *m = (Wp__Rib__RedistAdd *)msg;
	struct wp_rib_nh nhs[WP_RIB_MAX_NEXTHOPS];
	struct wp_rib_route r;

	for (size_t i = 0; i < m->n_routes; i++)
		(void)wp_rib_redist_decode(m->routes[i], &r, nhs, NULL, 0);
	return 0;
}

static int
h_nh_register(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	Wp__Rib__NhRegister *m = (Wp__Rib__NhRegister *)msg;
	struct wp_addr a;

	for (size_t i = 0; i < m->n_addresses; i++)
		(void)wp_rib_addr_decode(m->addresses[i]->family,
					 &m->addresses[i]->addr, &a, NULL, 0);
	return 0;
}

static int
h_nh_update(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	Wp__Rib__NhUpdate *m = (Wp__Rib__NhUpdate *)msg;
	struct wp_rib_nh nh;
	struct wp_addr a;

	for (size_t i = 0; i < m->n_states; i++) {
		const Wp__Rib__NhState *s = m->states[i];

		(void)wp_rib_addr_decode(s->family, &s->address, &a, NULL, 0);
		check_prefix(s->family, &s->via_prefix, s->via_len);
		for (size_t j = 0; j < s->n_nexthops; j++)
			(void)wp_rib_nh_decode(s->nexthops[j], &nh, NULL, 0);
	}
	return 0;
}

static int
h_other(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	ProtobufCMessage *msg)
{
	if (h->type == WP_RIB_ADDR_STATE) {
		Wp__Rib__AddrState *m = (Wp__Rib__AddrState *)msg;

		for (size_t i = 0; i < m->n_addresses; i++)
			check_prefix(m->addresses[i]->family,
				     &m->addresses[i]->addr,
				     m->addresses[i]->prefix_len);
	}
	if (h->type == WP_RIB_IF_STATE) {
		Wp__Rib__IfState *m = (Wp__Rib__IfState *)msg;

		for (size_t i = 0; i < m->n_interfaces; i++)
			if (m->interfaces[i]->name == NULL ||
			    m->interfaces[i]->kind == NULL)
				abort();
	}
	return 0;
}

static const struct wp_ipc_handler handlers[] = {
	{ WP_RIB_HELLO, &wp__rib__hello__descriptor, h_hello },
	{ WP_RIB_HELLO_ACK, &wp__rib__hello_ack__descriptor, h_other },
	{ WP_RIB_SYNC_DONE, &wp__rib__sync_done__descriptor, h_other },
	{ WP_RIB_ROUTE_ADD, &wp__rib__route_add__descriptor, h_route_add },
	{ WP_RIB_ROUTE_DEL, &wp__rib__route_del__descriptor, h_keys },
	{ WP_RIB_ROUTE_RESULT, &wp__rib__route_result__descriptor, h_result },
	{ WP_RIB_REDIST_SUBSCRIBE, &wp__rib__redist_subscribe__descriptor,
	  h_other },
	{ WP_RIB_REDIST_UNSUBSCRIBE, &wp__rib__redist_subscribe__descriptor,
	  h_other },
	{ WP_RIB_REDIST_ADD, &wp__rib__redist_add__descriptor, h_redist_add },
	{ WP_RIB_REDIST_DEL, &wp__rib__redist_del__descriptor, h_keys },
	{ WP_RIB_NH_REGISTER, &wp__rib__nh_register__descriptor,
	  h_nh_register },
	{ WP_RIB_NH_UNREGISTER, &wp__rib__nh_register__descriptor,
	  h_nh_register },
	{ WP_RIB_NH_UPDATE, &wp__rib__nh_update__descriptor, h_nh_update },
	{ WP_RIB_IF_STATE, &wp__rib__if_state__descriptor, h_other },
	{ WP_RIB_ADDR_STATE, &wp__rib__addr_state__descriptor, h_other },
	WP_IPC_HANDLER_END,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, consumed;

	while (off < size &&
	       wp_ipc_frame_dispatch(handlers, NULL, data + off, size - off,
				     &consumed, NULL, 0) == 1)
		off += consumed;
	if (wp_mem_report_leaks(NULL) != 0) {
		wp_mem_report_leaks(stderr);
		abort();
	}
	return 0;
}
