/*
 * wp_ipc_frame.c: the frame format without a socket.  Header checks,
 * handler lookup, payload decoding and the call into a handler live here
 * so that connections (wp_ipc.c), tests and the fuzzer share one path:
 *
 *	bytes -> wp_ipc_frame_parse()  header checks, "need more"
 *	      -> wp_ipc_handler_find() unknown type
 *	      -> wp_ipc_frame_deliver() protobuf-c unpack, handler, free
 *	                                (unless the handler holds the message)
 *
 * Decoded messages are allocated in the "IPC message" memory type, so a
 * handler path that leaks shows up in the leak report.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wp_buf.h"
#include "wp_ipc.h"
#include "wp_ipc_private.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_IPC_MSG, "IPC message");

static void *
pb_alloc(void *data, size_t size)
{
	return wp_malloc(MT_IPC_MSG, size);
}

static void
pb_free(void *data, void *ptr)
{
	wp_free(MT_IPC_MSG, ptr);
}

static ProtobufCAllocator ipc_allocator = {
	.alloc = pb_alloc,
	.free = pb_free,
	.allocator_data = NULL,
};

ProtobufCAllocator *
wp_ipc_allocator(void)
{
	return &ipc_allocator;
}

void
wp_ipc_msg_free(ProtobufCMessage *msg)
{
	if (msg)
		protobuf_c_message_free_unpacked(msg, &ipc_allocator);
}

static void __attribute__((format(printf, 3, 4)))
frame_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int
wp_ipc_frame_parse_max(const uint8_t *data, size_t len, uint32_t max,
		       struct wp_ipc_hdr *h, size_t *consumed, char *err,
		       size_t errlen)
{
	struct wp_rbuf r;

	*consumed = 0;
	memset(h, 0, sizeof(*h));
	if (err && errlen > 0)
		err[0] = '\0';
	if (len < WP_IPC_HDR_LEN)
		return 0;

	wp_rbuf_init(&r, data, len);
	wp_rbuf_get_u32(&r, &h->length);
	wp_rbuf_get_u16(&r, &h->type);
	wp_rbuf_get_u8(&r, &h->version);
	wp_rbuf_get_u8(&r, &h->flags);
	wp_rbuf_get_u32(&r, &h->sequence);
	wp_rbuf_get_u32(&r, &h->reserved);

	/* Version first: another version's length may mean anything. */
	if (h->version != WP_IPC_VERSION) {
		frame_err(err, errlen, "bad version %u (expected %u)",
			 h->version, WP_IPC_VERSION);
		return -1;
	}
	if (h->type == 0) {
		frame_err(err, errlen, "bad message type 0");
		return -1;
	}
	if (h->length > max) {
		frame_err(err, errlen, "type %u: payload of %u bytes "
			 "exceeds the limit of %u", h->type, h->length, max);
		return -1;
	}
	if (wp_rbuf_remaining(&r) < h->length)
		return 0;
	*consumed = WP_IPC_HDR_LEN + (size_t)h->length;
	return 1;
}

int
wp_ipc_frame_parse(const uint8_t *data, size_t len, struct wp_ipc_hdr *h,
		   size_t *consumed, char *err, size_t errlen)
{
	return wp_ipc_frame_parse_max(data, len, WP_IPC_MAX_PAYLOAD, h,
				      consumed, err, errlen);
}

const struct wp_ipc_handler *
wp_ipc_handler_find(const struct wp_ipc_handler *table, uint16_t type)
{
	/* Tables hold a few dozen entries: a scan beats an index. */
	for (; table && table->fn; table++)
		if (table->type == type)
			return table;
	return NULL;
}

const char *
wp_ipc_handler_name(const struct wp_ipc_handler *hd)
{
	return hd->desc ? hd->desc->short_name : "?";
}

int
wp_ipc_frame_deliver(struct wp_ipc_conn *c, const struct wp_ipc_handler *hd,
		     const struct wp_ipc_hdr *h, const uint8_t *payload,
		     char *err, size_t errlen)
{
	ProtobufCMessage *msg;
	int rc;

	if (hd->desc == NULL) {
		frame_err(err, errlen, "type %u: no descriptor",
			 h->type);
		return -1;
	}
	msg = protobuf_c_message_unpack(hd->desc, &ipc_allocator, h->length,
					payload);
	if (msg == NULL) {
		frame_err(err, errlen, "type %u (%s): cannot decode "
			 "payload of %u bytes", h->type,
			 wp_ipc_handler_name(hd), h->length);
		return -1;
	}
	rc = hd->fn(c, h, msg);
	if (rc == WP_IPC_HOLD)
		return 1;	/* the handler keeps msg: wp_ipc_msg_free() */
	protobuf_c_message_free_unpacked(msg, &ipc_allocator);
	if (rc < 0) {
		frame_err(err, errlen, "type %u (%s): handler "
			 "refused the message", h->type,
			 wp_ipc_handler_name(hd));
		return -1;
	}
	return 0;
}

int
wp_ipc_frame_dispatch(const struct wp_ipc_handler *table,
		      struct wp_ipc_conn *c, const uint8_t *data, size_t len,
		      size_t *consumed, char *err, size_t errlen)
{
	const struct wp_ipc_handler *hd;
	struct wp_ipc_hdr h;
	int rc;

	rc = wp_ipc_frame_parse(data, len, &h, consumed, err, errlen);
	if (rc < 0 || len < WP_IPC_HDR_LEN)
		return rc;
	hd = wp_ipc_handler_find(table, h.type);
	if (hd == NULL) {
		frame_err(err, errlen, "unknown message type %u",
			 h.type);
		*consumed = 0;
		return -1;
	}
	if (rc == 0)
		return 0;
	if (wp_ipc_frame_deliver(c, hd, &h, data + WP_IPC_HDR_LEN, err,
				 errlen) < 0)
		return -1;
	return 1;
}

int
wp_ipc_hdr_encode(uint8_t out[WP_IPC_HDR_LEN], const struct wp_ipc_hdr *h)
{
	struct wp_wbuf w;

	wp_wbuf_init_fixed(&w, out, WP_IPC_HDR_LEN);
	wp_wbuf_put_u32(&w, h->length);
	wp_wbuf_put_u16(&w, h->type);
	wp_wbuf_put_u8(&w, h->version);
	wp_wbuf_put_u8(&w, h->flags);
	wp_wbuf_put_u32(&w, h->sequence);
	wp_wbuf_put_u32(&w, h->reserved);
	return wp_wbuf_error(&w) ? -1 : 0;
}

int
wp_ipc_frame_encode(struct wp_wbuf *w, uint16_t type, uint32_t sequence,
		    const ProtobufCMessage *msg)
{
	struct wp_ipc_hdr h = {
		.type = type,
		.version = WP_IPC_VERSION,
		.sequence = sequence,
	};
	uint8_t hdr[WP_IPC_HDR_LEN];
	size_t size, off;

	size = msg ? protobuf_c_message_get_packed_size(msg) : 0;
	if (size > UINT32_MAX)
		return -1;
	h.length = (uint32_t)size;
	wp_ipc_hdr_encode(hdr, &h);
	if (wp_wbuf_put_bytes(w, hdr, sizeof(hdr)) < 0 ||
	    wp_wbuf_reserve(w, size, &off) < 0)
		return -1;
	if (msg && protobuf_c_message_pack(msg, wp_wbuf_data(w) + off) != size)
		return -1;
	return 0;
}
