/*
 * wp_ipc_private.h: what wp_ipc.c (connections) and wp_ipc_frame.c (the
 * frame format) share.  Not for users of wp_ipc.h.
 */
#ifndef WP_IPC_PRIVATE_H
#define WP_IPC_PRIVATE_H

#include "wp_ipc.h"
#include "wp_mem.h"

WP_MEMTYPE_DECLARE(MT_IPC_MSG);

/* wp_ipc_frame_parse() with a payload limit of `max`. */
int wp_ipc_frame_parse_max(const uint8_t *data, size_t len, uint32_t max,
			   struct wp_ipc_hdr *h, size_t *consumed, char *err,
			   size_t errlen);
/*
 * Decode the payload with hd->desc, run hd->fn, free; -1 with `err`, 1
 * when the handler returned WP_IPC_HOLD (it owns the message), else 0.
 */
int wp_ipc_frame_deliver(struct wp_ipc_conn *c,
			 const struct wp_ipc_handler *hd,
			 const struct wp_ipc_hdr *h, const uint8_t *payload,
			 char *err, size_t errlen);
int wp_ipc_hdr_encode(uint8_t out[WP_IPC_HDR_LEN], const struct wp_ipc_hdr *h);
/* The message name of a handler, for logs: "Hello". */
const char *wp_ipc_handler_name(const struct wp_ipc_handler *hd);

#endif /* WP_IPC_PRIVATE_H */
