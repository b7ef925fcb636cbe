/*
 * fuzz_bfd_packet: libFuzzer target for the BFD control packet decoder
 * and everything a received datagram reaches in bfdd.
 *
 * The first input byte chooses how the datagram arrived (TTL 255 or not,
 * single hop or multihop, or on the echo port); the rest is the UDP
 * payload.  Each input:
 *
 *   1. goes through bfd_pkt_decode() over an exact-size copy, so a read
 *      past the datagram is an ASan report; a packet it accepts must
 *      re-encode to the same mandatory section;
 *   2. is checked against a key of every authentication type;
 *   3. is handed to bfd_rx() (or bfd_echo_rx()) of a daemon with three
 *      sessions (plain single hop, SHA1 single hop, MD5 multihop) whose
 *      discriminators are fixed, so the fuzzer can reach the state
 *      machine.
 *
 * Sessions keep their state between inputs, as a daemon would.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wp_buf.h"
#include "wp_mem.h"

#include "bfdd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

WP_MEMTYPE_DEFINE(MT_FUZZ, "fuzz");

static struct wp_loop *loop;
static struct bfd_global bg;
static struct bfd_auth keys[BFD_AUTH_MAX];

static void
no_tx(struct bfd_session *s, const uint8_t *pkt, size_t len)
{
	/* what we would send must decode */
	struct bfd_pkt p;

	if (bfd_pkt_decode(pkt, len, &p) != BFD_RXE_OK)
		abort();
}

static struct bfd_session *
session(const char *peer, const char *local, uint8_t auth, uint32_t disc)
{
	struct bfd_params p;
	struct bfd_key k;
	struct bfd_session *s;

	memset(&k, 0, sizeof(k));
	wp_addr_parse(peer, &k.peer, NULL, 0);
	if (local) {
		wp_addr_parse(local, &k.local, NULL, 0);
		k.multihop = true;
	}
	bfd_params_default(&p);
	p.rx_ms = p.tx_ms = 10;
	p.auth = keys[auth];
	s = bfd_session_new(&bg, &k, &p);
	bfd_session_set_disc(s, disc);	/* one the corpus can name */
	return s;
}

static void
init(void)
{
	static const char key[] = "fuzzkey";

	for (uint8_t t = 1; t < BFD_AUTH_MAX; t++) {
		keys[t].type = t;
		keys[t].key_id = 1;
		keys[t].key_len = sizeof(key) - 1;
		memcpy(keys[t].key, key, sizeof(key) - 1);
	}
	wp_log_set_level(WP_LOG_ERR);
	loop = wp_loop_new();
	bfd_global_init(&bg, loop);
	bg.tx_hook = no_tx;
	session("10.0.0.2", NULL, BFD_AUTH_NONE, 1);
	session("10.0.0.3", NULL, BFD_AUTH_MET_KEYED_SHA1, 2);
	session("10.0.0.4", "10.0.0.1", BFD_AUTH_KEYED_MD5, 3);
}

static void
check_reencode(const uint8_t *pkt, const struct bfd_pkt *p)
{
	uint8_t out[BFD_PKT_MAX];
	struct bfd_pkt q = *p;
	struct wp_wbuf w;

	wp_wbuf_init_fixed(&w, out, sizeof(out));
	if (bfd_pkt_encode(&w, &q) == -1)
		abort();
	/* The mandatory section comes back as it was; Length too, but for
	 * bytes past 24 without authentication, which are not kept. */
	if (memcmp(out, pkt, 3) != 0 ||
	    memcmp(out + 4, pkt + 4, BFD_PKT_LEN - 4) != 0 ||
	    out[3] != ((p->flags & BFD_F_AUTH) ? pkt[3] : BFD_PKT_LEN))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd_rx_meta m;
	struct bfd_pkt p;
	uint8_t *pkt;
	size_t len;

	if (loop == NULL)
		init();
	if (size < 1)
		return 0;
	len = size - 1;
	pkt = wp_malloc(MT_FUZZ, len);
	memcpy(pkt, data + 1, len);

	if (bfd_pkt_decode(pkt, len, &p) == BFD_RXE_OK) {
		if (p.length > len || p.length < BFD_PKT_LEN)
			abort();
		check_reencode(pkt, &p);
		for (uint8_t t = 0; t < BFD_AUTH_MAX; t++) {
			uint32_t rcv = 7;
			bool known = data[0] & 0x10;

			bfd_auth_verify(&keys[t], pkt, len, &p, &rcv, &known);
		}
	}

	memset(&m, 0, sizeof(m));
	m.multihop = data[0] & 0x01;
	m.ttl = (data[0] & 0x02) ? 200 : BFD_TTL;
	m.src.family = AF_INET;
	m.src.u.bytes[0] = 10;
	m.src.u.bytes[3] = (uint8_t)(2 + (data[0] >> 2) % 3);
	m.dst.family = AF_INET;
	m.dst.u.bytes[0] = 10;
	m.dst.u.bytes[3] = 1;
	if (data[0] & 0x80)
		bfd_echo_rx(&bg, pkt, len, &m);
	else
		bfd_rx(&bg, pkt, len, &m);
	wp_free(MT_FUZZ, pkt);
	if (MT_FUZZ->live != 0)
		abort();
	return 0;
}
