/*
 * bfd_packet.c: BFD control packets, bytes <-> struct bfd_pkt.
 *
 * No sessions, sockets or timers here.  bfd_pkt_decode() makes the
 * checks of RFC 5880 §6.8.6 that need nothing but the packet, in the
 * RFC's order, and parses the authentication section far enough to know
 * it is well formed (§4.2-4.4); bfd_session.c does the rest of §6.8.6
 * (demultiplexing, TTL, authentication, state) once it has a session.
 *
 *	 0                   1                   2                   3
 *	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	|Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
 *	|                       My Discriminator                        |
 *	|                      Your Discriminator                       |
 *	|                    Desired Min TX Interval                    |
 *	|                   Required Min RX Interval                    |
 *	|                 Required Min Echo RX Interval                 |
 *	|   Auth Type   |   Auth Len    |  Auth Key ID  | ...           |
 */
#include "config.h"

#include <string.h>

#include "wp_buf.h"

#include "bfdd.h"

static const struct {
	const char *name;	/* for logs */
	const char *key;	/* JSON key in show ... counters */
} rx_err_names[BFD_RXE_MAX] = {
	[BFD_RXE_OK] = { "ok", "ok" },
	[BFD_RXE_TRUNCATED] = { "truncated datagram", "truncated" },
	[BFD_RXE_VERSION] = { "bad version", "badVersion" },
	[BFD_RXE_LEN_SHORT] = { "length too short", "lengthTooShort" },
	[BFD_RXE_LEN_LONG] = { "length past the payload", "lengthTooLong" },
	[BFD_RXE_DETECT_MULT] = { "detect multiplier 0", "detectMultZero" },
	[BFD_RXE_MULTIPOINT] = { "multipoint bit set", "multipoint" },
	[BFD_RXE_MY_DISC] = { "my discriminator 0", "myDiscZero" },
	[BFD_RXE_YOUR_DISC] = { "your discriminator 0 while not down",
				"yourDiscZero" },
	[BFD_RXE_NO_SESSION] = { "no matching session", "noSession" },
	[BFD_RXE_TTL] = { "bad TTL or hop limit", "badTtl" },
	[BFD_RXE_AUTH_UNEXPECTED] = { "authentication not configured",
				      "authUnexpected" },
	[BFD_RXE_AUTH_MISSING] = { "authentication missing", "authMissing" },
	[BFD_RXE_AUTH_TYPE] = { "authentication type mismatch",
				"authTypeMismatch" },
	[BFD_RXE_AUTH_LEN] = { "bad authentication length", "authBadLength" },
	[BFD_RXE_AUTH_KEY_ID] = { "unknown key id", "authBadKeyId" },
	[BFD_RXE_AUTH_PASSWORD] = { "password mismatch", "authBadPassword" },
	[BFD_RXE_AUTH_DIGEST] = { "digest mismatch", "authBadDigest" },
	[BFD_RXE_AUTH_SEQ] = { "sequence number out of window",
			       "authBadSequence" },
	[BFD_RXE_ADMIN_DOWN] = { "session administratively down",
				 "adminDown" },
};

const char *
bfd_rx_err_name(enum bfd_rx_err e)
{
	return (unsigned int)e < BFD_RXE_MAX ? rx_err_names[e].name : "?";
}

const char *
bfd_rx_err_key(enum bfd_rx_err e)
{
	return (unsigned int)e < BFD_RXE_MAX ? rx_err_names[e].key : "?";
}

/* §4.2-4.4: the Auth Len a type must carry; 0 for an unknown type. */
static bool
auth_len_ok(uint8_t type, uint8_t auth_len)
{
	switch (type) {
	case BFD_AUTH_SIMPLE:
		/* type, len, key id, then a 1-16 byte password */
		return auth_len >= 4 && auth_len <= 3 + BFD_PASSWORD_MAX;
	case BFD_AUTH_KEYED_MD5:
	case BFD_AUTH_MET_KEYED_MD5:
		return auth_len == 24;
	case BFD_AUTH_KEYED_SHA1:
	case BFD_AUTH_MET_KEYED_SHA1:
		return auth_len == 28;
	default:
		return false;
	}
}

static enum bfd_rx_err
decode_auth(struct wp_rbuf *r, struct bfd_pkt *p)
{
	uint8_t reserved;

	wp_rbuf_get_u8(r, &p->auth_type);
	wp_rbuf_get_u8(r, &p->auth_len);
	if (wp_rbuf_error(r))
		return BFD_RXE_LEN_SHORT;
	if (p->auth_type == BFD_AUTH_NONE || p->auth_type >= BFD_AUTH_MAX)
		return BFD_RXE_AUTH_TYPE;
	/* The section must be exactly what Length leaves after the
	 * mandatory part, and the size its type defines. */
	if (!auth_len_ok(p->auth_type, p->auth_len) ||
	    (unsigned int)p->length != BFD_PKT_LEN + (unsigned int)p->auth_len)
		return BFD_RXE_AUTH_LEN;
	wp_rbuf_get_u8(r, &p->auth_key_id);
	if (p->auth_type == BFD_AUTH_SIMPLE) {
		p->auth_data_len = p->auth_len - 3u;
	} else {
		wp_rbuf_get_u8(r, &reserved);
		wp_rbuf_get_u32(r, &p->auth_seq);
		p->auth_data_len = p->auth_len - 8u;
	}
	p->auth_data = wp_rbuf_get_ptr(r, p->auth_data_len);
	if (p->auth_data == NULL)
		return BFD_RXE_AUTH_LEN;
	return BFD_RXE_OK;
}

enum bfd_rx_err
bfd_pkt_decode(const uint8_t *buf, size_t len, struct bfd_pkt *p)
{
	struct wp_rbuf r;
	uint8_t b0, b1;

	memset(p, 0, sizeof(*p));
	wp_rbuf_init(&r, buf, len);
	wp_rbuf_get_u8(&r, &b0);
	wp_rbuf_get_u8(&r, &b1);
	wp_rbuf_get_u8(&r, &p->detect_mult);
	wp_rbuf_get_u8(&r, &p->length);
	if (wp_rbuf_error(&r))
		return BFD_RXE_TRUNCATED;
	p->version = b0 >> 5;
	p->diag = b0 & 0x1f;
	p->state = b1 >> 6;
	p->flags = b1 & 0x3f;

	/* §6.8.6, in order. */
	if (p->version != BFD_VERSION)
		return BFD_RXE_VERSION;
	if (p->length < ((p->flags & BFD_F_AUTH) ? BFD_PKT_LEN + 2 :
			 BFD_PKT_LEN))
		return BFD_RXE_LEN_SHORT;
	if (p->length > len)
		return BFD_RXE_LEN_LONG;
	if (p->detect_mult == 0)
		return BFD_RXE_DETECT_MULT;
	if (p->flags & BFD_F_MULTIPOINT)
		return BFD_RXE_MULTIPOINT;

	/* Everything after this is inside Length: look no further. */
	wp_rbuf_init(&r, buf, p->length);
	wp_rbuf_skip(&r, 4);
	wp_rbuf_get_u32(&r, &p->my_disc);
	wp_rbuf_get_u32(&r, &p->your_disc);
	wp_rbuf_get_u32(&r, &p->des_min_tx);
	wp_rbuf_get_u32(&r, &p->req_min_rx);
	wp_rbuf_get_u32(&r, &p->req_min_echo_rx);
	if (wp_rbuf_error(&r))
		return BFD_RXE_LEN_SHORT;	/* not reached: Length >= 24 */

	if (p->my_disc == 0)
		return BFD_RXE_MY_DISC;
	if (p->your_disc == 0 && p->state != BFD_STA_DOWN &&
	    p->state != BFD_STA_ADMIN_DOWN)
		return BFD_RXE_YOUR_DISC;
	if (p->flags & BFD_F_AUTH)
		return decode_auth(&r, p);
	return BFD_RXE_OK;
}

int
bfd_pkt_encode(struct wp_wbuf *w, const struct bfd_pkt *p)
{
	uint8_t len = BFD_PKT_LEN;

	if (p->flags & BFD_F_AUTH)
		len += p->auth_len;
	wp_wbuf_put_u8(w, (uint8_t)((BFD_VERSION << 5) | (p->diag & 0x1f)));
	wp_wbuf_put_u8(w, (uint8_t)((p->state << 6) | (p->flags & 0x3f)));
	wp_wbuf_put_u8(w, p->detect_mult);
	wp_wbuf_put_u8(w, len);
	wp_wbuf_put_u32(w, p->my_disc);
	wp_wbuf_put_u32(w, p->your_disc);
	wp_wbuf_put_u32(w, p->des_min_tx);
	wp_wbuf_put_u32(w, p->req_min_rx);
	wp_wbuf_put_u32(w, p->req_min_echo_rx);
	if (p->flags & BFD_F_AUTH) {
		size_t fixed = p->auth_type == BFD_AUTH_SIMPLE ? 3 : 8;
		size_t off;

		if (p->auth_len < fixed)
			return -1;
		wp_wbuf_put_u8(w, p->auth_type);
		wp_wbuf_put_u8(w, p->auth_len);
		wp_wbuf_put_u8(w, p->auth_key_id);
		if (p->auth_type != BFD_AUTH_SIMPLE) {
			wp_wbuf_put_u8(w, 0);
			wp_wbuf_put_u32(w, p->auth_seq);
		}
		/* key or digest: filled by bfd_auth_sign() */
		wp_wbuf_reserve(w, p->auth_len - fixed, &off);
	}
	return wp_wbuf_error(w) ? -1 : 0;
}
