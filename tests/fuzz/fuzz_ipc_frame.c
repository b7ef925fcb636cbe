/*
 * fuzz_ipc_frame: libFuzzer target for the IPC frame decoder.
 *
 * The input is a byte stream as a peer would send it.  Frames are taken
 * off the front with wp_ipc_frame_dispatch() against a table holding every
 * lib-level message, exactly as a connection does, until a frame is
 * incomplete or refused.  Handlers read every field (so a bad pointer out
 * of protobuf-c is an ASan report) and re-encode the message, which must
 * parse back as one whole frame.  After each input no decoded message may
 * be left allocated.
 *
 * The first input byte also picks a split point: the same stream fed in
 * two pieces, as partial reads deliver it, must be dispatched the same.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/proto/ipc.pb-c.h"
#include "wp_buf.h"
#include "wp_ipc.h"
#include "wp_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

WP_MEMTYPE_DEFINE(MT_FUZZ, "fuzz");

static size_t sink;

static void
touch_str(const char *s)
{
	/* protobuf-c gives "" for absent strings, never NULL in proto3. */
	if (s == NULL)
		abort();
	sink += strlen(s);
}

/* Re-encode `msg`; it must come back as exactly one frame. */
static void
reencode(uint16_t type, const ProtobufCMessage *msg)
{
	struct wp_wbuf w;
	struct wp_ipc_hdr h;
	size_t consumed;
	char err[128];

	wp_wbuf_init(&w, MT_FUZZ, 0);
	if (wp_ipc_frame_encode(&w, type, 1, msg) < 0)
		abort();
	if (wp_ipc_frame_parse(wp_wbuf_data(&w), wp_wbuf_len(&w), &h,
			       &consumed, err, sizeof(err)) != 1 ||
	    consumed != wp_wbuf_len(&w) || h.type != type) {
		fprintf(stderr, "re-encoded frame does not parse: %s\n", err);
		abort();
	}
	wp_wbuf_free(&w);
}

static int
fz_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Ipc__Hello *m = (Wp__Ipc__Hello *)msg;

	touch_str(m->daemon);
	touch_str(m->protocol);
	touch_str(m->version);
	sink += m->instance + m->pid;
	reencode(h->type, msg);
	/* Let the refusal path run too. */
	return m->instance == 0xdead ? -1 : 0;
}

static int
fz_hello_ack(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	Wp__Ipc__HelloAck *m = (Wp__Ipc__HelloAck *)msg;

	touch_str(m->daemon);
	touch_str(m->version);
	sink += m->pid;
	reencode(h->type, msg);
	return 0;
}

static int
fz_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Ipc__Error *m = (Wp__Ipc__Error *)msg;

	touch_str(m->text);
	/* An enum may hold any value a peer sent. */
	sink += (size_t)m->code + m->sequence;
	reencode(h->type, msg);
	return m->code == WP__IPC__ERROR_CODE__ERROR_INTERNAL ? -1 : 0;
}

static int
fz_keepalive(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	Wp__Ipc__Keepalive *m = (Wp__Ipc__Keepalive *)msg;

	sink += (size_t)m->sent_usec;
	reencode(h->type, msg);
	return 0;
}

static const struct wp_ipc_handler handlers[] = {
	{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, fz_hello },
	{ WP_IPC_HELLO_ACK, &wp__ipc__hello_ack__descriptor, fz_hello_ack },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, fz_error },
	{ WP_IPC_KEEPALIVE, &wp__ipc__keepalive__descriptor, fz_keepalive },
	WP_IPC_HANDLER_END,
};

/*
 * Dispatch frames from `data` until one is incomplete (0) or refused (-1);
 * returns that and the number of frames dispatched.
 */
static int
drain(const uint8_t *data, size_t size, size_t *frames, size_t *used)
{
	size_t off = 0, consumed;
	char err[256];
	int rc;

	*frames = 0;
	while ((rc = wp_ipc_frame_dispatch(handlers, NULL, data + off,
					   size - off, &consumed, err,
					   sizeof(err))) == 1) {
		if (consumed < WP_IPC_HDR_LEN || consumed > size - off)
			abort();
		off += consumed;
		(*frames)++;
	}
	if (rc < 0 && err[0] == '\0')
		abort();	/* every refusal says why */
	*used = off;
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t frames, used, frames2, used2, split;
	uint8_t *piece;
	int rc, rc2;

	rc = drain(data, size, &frames, &used);

	/* Feed the same bytes as a connection might receive them: a first
	 * piece, then the rest.  The outcome must not change.  Each piece
	 * is an exact-size copy, so a read past it is an ASan report. */
	if (size > 0) {
		split = data[0] % (size + 1);
		piece = wp_malloc(MT_FUZZ, split);
		memcpy(piece, data, split);
		rc2 = drain(piece, split, &frames2, &used2);
		wp_free(MT_FUZZ, piece);
		if (rc2 < 0 && (rc >= 0 || frames2 != frames))
			abort();
		if (rc2 == 0) {
			size_t more, used3, left = size - used2;

			piece = wp_malloc(MT_FUZZ, left);
			memcpy(piece, data + used2, left);
			rc2 = drain(piece, left, &more, &used3);
			wp_free(MT_FUZZ, piece);
			if (rc2 != rc || frames2 + more != frames ||
			    used2 + used3 != used)
				abort();
		}
	}

	if (wp_mem_report_leaks(stderr) != 0)
		abort();
	return 0;
}
