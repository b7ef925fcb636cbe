/*
 * Unit tests for lib/wp_ipc.
 *
 * "frame": the decoder without a socket: every prefix of a valid frame
 * asks for more, bad headers and payloads are refused, nothing leaks.
 * "socket": a server and a client in one loop over a socket in a mkdtemp()
 * directory: hello exchange, streams in both directions through the
 * backpressure path, a misbehaving raw peer, reconnect with backoff, and
 * owners freed from inside their own callbacks.  No sleeps: the loop runs
 * until the test breaks it, with a deadline timer that fails the test.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "wp_check.h"
#include "lib/proto/ipc.pb-c.h"
#include "wp_buf.h"
#include "wp_ipc.h"
#include "wp_loop.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_TEST_IPC, "test ipc");

#define DEADLINE	20.0

/* Frames without a socket ---------------------------------------------- */

static int hello_calls;
static char hello_daemon[64];
static uint32_t hello_pid;

static int
on_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Ipc__Hello *m = (Wp__Ipc__Hello *)msg;

	hello_calls++;
	snprintf(hello_daemon, sizeof(hello_daemon), "%s", m->daemon);
	hello_pid = m->pid;
	return strcmp(m->daemon, "refuse") == 0 ? -1 : 0;
}

static int keepalive_calls;

static int
on_keepalive(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	Wp__Ipc__Keepalive *m = (Wp__Ipc__Keepalive *)msg;

	ck_assert(m->sent_usec == 0);
	keepalive_calls++;
	return 0;
}

/* Counters start at zero in each test, forked (default) or not. */
static void
reset_counters(void)
{
	hello_calls = keepalive_calls = 0;
	hello_daemon[0] = '\0';
	hello_pid = 0;
}

static const struct wp_ipc_handler frame_handlers[] = {
	{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, on_hello },
	{ WP_IPC_KEEPALIVE, &wp__ipc__keepalive__descriptor, on_keepalive },
	WP_IPC_HANDLER_END,
};

/* A Hello frame in `w` (growable, MT_TEST_IPC). */
static void
hello_frame(struct wp_wbuf *w, const char *daemon, uint32_t seq)
{
	Wp__Ipc__Hello m = WP__IPC__HELLO__INIT;

	m.daemon = (char *)(uintptr_t)daemon;
	m.protocol = "ospf";
	m.instance = 3;
	m.pid = 4242;
	m.version = "0.1.0";
	wp_wbuf_init(w, MT_TEST_IPC, 0);
	ck_assert_int_eq(wp_ipc_frame_encode(w, WP_IPC_HELLO, seq, &m.base), 0);
}

/* A bare header; `len` bytes of payload are not included. */
static void
raw_hdr(uint8_t out[WP_IPC_HDR_LEN], uint32_t len, uint16_t type,
	uint8_t version)
{
	struct wp_wbuf w;

	wp_wbuf_init_fixed(&w, out, WP_IPC_HDR_LEN);
	wp_wbuf_put_u32(&w, len);
	wp_wbuf_put_u16(&w, type);
	wp_wbuf_put_u8(&w, version);
	wp_wbuf_put_u8(&w, 0);
	wp_wbuf_put_u32(&w, 1);
	wp_wbuf_put_u32(&w, 0);
	ck_assert(!wp_wbuf_error(&w));
}

static void
assert_no_leaks(void)
{
	ck_assert_uint_eq(wp_mem_report_leaks(stderr), 0);
}

START_TEST(test_roundtrip)
{
	struct wp_wbuf w;
	struct wp_ipc_hdr h;
	size_t consumed;
	char err[128];

	hello_frame(&w, "ospfd", 7);
	ck_assert_int_eq(wp_ipc_frame_parse(wp_wbuf_data(&w), wp_wbuf_len(&w),
					    &h, &consumed, err, sizeof(err)), 1);
	ck_assert_uint_eq(consumed, wp_wbuf_len(&w));
	ck_assert_uint_eq(h.length, wp_wbuf_len(&w) - WP_IPC_HDR_LEN);
	ck_assert_uint_eq(h.type, WP_IPC_HELLO);
	ck_assert_uint_eq(h.version, WP_IPC_VERSION);
	ck_assert_uint_eq(h.flags, 0);
	ck_assert_uint_eq(h.sequence, 7);
	ck_assert_uint_eq(h.reserved, 0);
	/* Network byte order on the wire. */
	ck_assert_uint_eq(wp_wbuf_data(&w)[5], WP_IPC_HELLO);
	ck_assert_uint_eq(wp_wbuf_data(&w)[6], WP_IPC_VERSION);
	ck_assert_uint_eq(wp_wbuf_data(&w)[11], 7);

	ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL,
					       wp_wbuf_data(&w),
					       wp_wbuf_len(&w), &consumed,
					       err, sizeof(err)), 1);
	ck_assert_int_eq(hello_calls, 1);
	ck_assert_str_eq(hello_daemon, "ospfd");
	ck_assert_uint_eq(hello_pid, 4242);
	wp_wbuf_free(&w);
	assert_no_leaks();
}
END_TEST

/* Every proper prefix of a valid frame is "need more", never an error. */
START_TEST(test_every_prefix)
{
	struct wp_wbuf w;
	struct wp_ipc_hdr h;
	size_t consumed;
	char err[128];

	hello_frame(&w, "a-daemon-with-a-longer-name", 1);
	for (size_t n = 0; n < wp_wbuf_len(&w); n++) {
		/* An exact-size copy, so a stray read is an ASan report. */
		uint8_t *p = wp_malloc(MT_TEST_IPC, n);

		memcpy(p, wp_wbuf_data(&w), n);
		ck_assert_int_eq(wp_ipc_frame_parse(p, n, &h, &consumed, err,
						    sizeof(err)), 0);
		ck_assert_uint_eq(consumed, 0);
		ck_assert_str_eq(err, "");
		ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL, p,
						       n, &consumed, err,
						       sizeof(err)), 0);
		if (n >= WP_IPC_HDR_LEN)
			ck_assert_uint_eq(h.length, wp_wbuf_len(&w) - 16);
		wp_free(MT_TEST_IPC, p);
	}
	ck_assert_int_eq(hello_calls, 0);
	wp_wbuf_free(&w);
	assert_no_leaks();
}
END_TEST

START_TEST(test_bad_version)
{
	static const uint8_t versions[] = { 0, 2, 0x81, 0xff };
	uint8_t hdr[WP_IPC_HDR_LEN];
	struct wp_ipc_hdr h;
	size_t consumed;
	char err[128];

	for (size_t i = 0; i < sizeof(versions); i++) {
		raw_hdr(hdr, 0, WP_IPC_HELLO, versions[i]);
		ck_assert_int_eq(wp_ipc_frame_parse(hdr, sizeof(hdr), &h,
						    &consumed, err,
						    sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "bad version"));
		ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL,
						       hdr, sizeof(hdr),
						       &consumed, NULL, 0), -1);
	}
	ck_assert_int_eq(hello_calls, 0);
}
END_TEST

START_TEST(test_oversized)
{
	uint8_t hdr[WP_IPC_HDR_LEN];
	struct wp_ipc_hdr h;
	size_t consumed;
	char err[128];

	/* Refused from the header alone, before any payload. */
	raw_hdr(hdr, WP_IPC_MAX_PAYLOAD + 1, WP_IPC_HELLO, WP_IPC_VERSION);
	ck_assert_int_eq(wp_ipc_frame_parse(hdr, sizeof(hdr), &h, &consumed,
					    err, sizeof(err)), -1);
	ck_assert_str_eq(err, "type 1: payload of 16777217 bytes exceeds the "
			 "limit of 16777216");
	raw_hdr(hdr, UINT32_MAX, WP_IPC_HELLO, WP_IPC_VERSION);
	ck_assert_int_eq(wp_ipc_frame_parse(hdr, sizeof(hdr), &h, &consumed,
					    err, sizeof(err)), -1);
	/* At the limit it is only waiting for the payload. */
	raw_hdr(hdr, WP_IPC_MAX_PAYLOAD, WP_IPC_HELLO, WP_IPC_VERSION);
	ck_assert_int_eq(wp_ipc_frame_parse(hdr, sizeof(hdr), &h, &consumed,
					    err, sizeof(err)), 0);
	ck_assert_uint_eq(h.length, WP_IPC_MAX_PAYLOAD);
}
END_TEST

START_TEST(test_unknown_type)
{
	uint8_t hdr[WP_IPC_HDR_LEN];
	size_t consumed;
	char err[128];

	/* Known from the header: no need to wait for 100 payload bytes. */
	raw_hdr(hdr, 100, 99, WP_IPC_VERSION);
	ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL, hdr,
					       sizeof(hdr), &consumed, err,
					       sizeof(err)), -1);
	ck_assert_str_eq(err, "unknown message type 99");
	/* A type with a schema but no handler in this table. */
	raw_hdr(hdr, 0, WP_IPC_ERROR, WP_IPC_VERSION);
	ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL, hdr,
					       sizeof(hdr), &consumed, err,
					       sizeof(err)), -1);
	raw_hdr(hdr, 0, 0, WP_IPC_VERSION);
	ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL, hdr,
					       sizeof(hdr), &consumed, err,
					       sizeof(err)), -1);
	ck_assert_str_eq(err, "bad message type 0");
	ck_assert_ptr_null(wp_ipc_handler_find(frame_handlers, 0));
	ck_assert_ptr_null(wp_ipc_handler_find(NULL, WP_IPC_HELLO));
	ck_assert_ptr_eq(wp_ipc_handler_find(frame_handlers, WP_IPC_KEEPALIVE),
			 &frame_handlers[1]);
}
END_TEST

START_TEST(test_garbage_payload)
{
	static const struct {
		size_t len;
		uint8_t b[8];
	} bad[] = {
		{ 2, { 0x08, 0xff } },			/* varint cut short */
		{ 3, { 0x0a, 0x10, 'a' } },		/* string past the end */
		{ 1, { 0x0f } },			/* wire type 7 */
		{ 2, { 0x00, 0x00 } },			/* field number 0 */
		{ 8, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ 2, { 0x22, 0x01 } },			/* pid as bytes, cut */
	};
	struct wp_wbuf w;
	size_t consumed;
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t hdr[WP_IPC_HDR_LEN];

		raw_hdr(hdr, (uint32_t)bad[i].len, WP_IPC_HELLO,
			WP_IPC_VERSION);
		wp_wbuf_init(&w, MT_TEST_IPC, 0);
		wp_wbuf_put_bytes(&w, hdr, sizeof(hdr));
		wp_wbuf_put_bytes(&w, bad[i].b, bad[i].len);
		ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL,
						       wp_wbuf_data(&w),
						       wp_wbuf_len(&w),
						       &consumed, err,
						       sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "cannot decode"));
		wp_wbuf_free(&w);
	}
	ck_assert_int_eq(hello_calls, 0);
	assert_no_leaks();
}
END_TEST

/* A handler's -1 is the caller's error; the message is still freed. */
START_TEST(test_handler_refuses)
{
	struct wp_wbuf w;
	size_t consumed;
	char err[128];

	hello_frame(&w, "refuse", 1);
	ck_assert_int_eq(wp_ipc_frame_dispatch(frame_handlers, NULL,
					       wp_wbuf_data(&w),
					       wp_wbuf_len(&w), &consumed,
					       err, sizeof(err)), -1);
	ck_assert_str_eq(err, "type 1 (Hello): handler refused the message");
	ck_assert_int_eq(hello_calls, 1);
	wp_wbuf_free(&w);
	assert_no_leaks();
}
END_TEST

/* Several frames back to back; an empty payload; ignored header bits. */
START_TEST(test_frame_stream)
{
	struct wp_wbuf w;
	size_t off = 0, consumed;
	char err[128];
	int rc, frames = 0;

	hello_frame(&w, "one", 1);
	ck_assert_int_eq(wp_ipc_frame_encode(&w, WP_IPC_KEEPALIVE, 2, NULL), 0);
	ck_assert_int_eq(wp_ipc_frame_encode(&w, WP_IPC_HELLO, 3,
					     NULL), 0);
	/* flags and reserved are ignored by version 1 receivers. */
	wp_wbuf_data(&w)[off + 7] = 0xff;
	wp_wbuf_data(&w)[off + 12] = 0xde;
	while ((rc = wp_ipc_frame_dispatch(frame_handlers, NULL,
					   wp_wbuf_data(&w) + off,
					   wp_wbuf_len(&w) - off, &consumed,
					   err, sizeof(err))) == 1) {
		off += consumed;
		frames++;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(off, wp_wbuf_len(&w));
	ck_assert_int_eq(frames, 3);
	ck_assert_int_eq(hello_calls, 2);
	ck_assert_int_eq(keepalive_calls, 1);
	/* The empty Hello decoded to defaults. */
	ck_assert_str_eq(hello_daemon, "");
	wp_wbuf_free(&w);

	/* A fixed buffer too small for the frame: refused, not overrun. */
	{
		Wp__Ipc__Hello m = WP__IPC__HELLO__INIT;
		uint8_t small[24];

		m.daemon = "twelve-bytes";
		wp_wbuf_init_fixed(&w, small, 20);
		ck_assert_int_eq(wp_ipc_frame_encode(&w, WP_IPC_KEEPALIVE, 1,
						     NULL), 0);
		ck_assert_uint_eq(wp_wbuf_len(&w), WP_IPC_HDR_LEN);
		wp_wbuf_reset(&w);
		small[20] = 0xee;
		ck_assert_int_eq(wp_ipc_frame_encode(&w, WP_IPC_HELLO, 1,
						     &m.base), -1);
		ck_assert(wp_wbuf_error(&w));
		ck_assert_uint_eq(small[20], 0xee);
	}
	assert_no_leaks();
}
END_TEST

/* Sockets: common harness ---------------------------------------------- */

struct harness {
	struct wp_loop *loop;
	struct wp_timer deadline;
	bool timed_out;
	char dir[64];
	char path[128];
};

static void
deadline_cb(struct wp_timer *t)
{
	struct harness *hs = container_of(t, struct harness, deadline);

	hs->timed_out = true;
	wp_loop_break(hs->loop);
}

static void
harness_init(struct harness *hs)
{
	memset(hs, 0, sizeof(*hs));
	snprintf(hs->dir, sizeof(hs->dir), "/tmp/wp-ipc-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(hs->dir));
	snprintf(hs->path, sizeof(hs->path), "%s/test.sock", hs->dir);
	hs->loop = wp_loop_new();
	wp_timer_init(hs->loop, &hs->deadline, "test deadline", deadline_cb);
	wp_timer_start(&hs->deadline, DEADLINE, 0.0);
}

/* Run until a callback breaks the loop; fail on the deadline. */
static void
harness_run(struct harness *hs)
{
	wp_loop_run(hs->loop);
	ck_assert_msg(!hs->timed_out, "deadline of %.0f s passed", DEADLINE);
}

static void
harness_fini(struct harness *hs)
{
	wp_timer_stop(&hs->deadline);
	wp_loop_free(hs->loop);
	unlink(hs->path);
	ck_assert_int_eq(rmdir(hs->dir), 0);
	assert_no_leaks();
}

static void
sun_set(struct sockaddr_un *sun, const char *path)
{
	ck_assert_uint_lt(strlen(path), sizeof(sun->sun_path));
	memcpy(sun->sun_path, path, strlen(path) + 1);
}

/* Socket: listen path handling ------------------------------------------ */

START_TEST(test_listen_path)
{
	struct harness hs;
	struct wp_ipc_server *s, *s2;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	char longpath[200];
	int fd;

	harness_init(&hs);
	s = wp_ipc_server_new(hs.loop, hs.path, frame_handlers, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(stat(hs.path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0660);

	/* A live server is not replaced. */
	errno = 0;
	ck_assert_ptr_null(wp_ipc_server_new(hs.loop, hs.path, frame_handlers,
					     NULL));
	ck_assert_int_eq(errno, EADDRINUSE);
	wp_ipc_server_free(s);
	ck_assert_int_eq(stat(hs.path, &st), -1);

	/* A stale socket (nobody listening) is. */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	sun_set(&sun, hs.path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	s = wp_ipc_server_new(hs.loop, hs.path, frame_handlers, NULL);
	ck_assert_ptr_nonnull(s);

	/* Freeing a server never removes a successor's socket. */
	ck_assert_int_eq(unlink(hs.path), 0);
	s2 = wp_ipc_server_new(hs.loop, hs.path, frame_handlers, NULL);
	ck_assert_ptr_nonnull(s2);
	wp_ipc_server_free(s);
	ck_assert_int_eq(stat(hs.path, &st), 0);
	wp_ipc_server_free(s2);

	/* Anything else at the path is left alone. */
	fd = open(hs.path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	errno = 0;
	ck_assert_ptr_null(wp_ipc_server_new(hs.loop, hs.path, frame_handlers,
					     NULL));
	ck_assert_int_eq(errno, EEXIST);
	ck_assert_int_eq(stat(hs.path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));

	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	errno = 0;
	ck_assert_ptr_null(wp_ipc_server_new(hs.loop, longpath, frame_handlers,
					     NULL));
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_ptr_null(wp_ipc_client_new(hs.loop, longpath, frame_handlers,
					     NULL));
	harness_fini(&hs);
}
END_TEST

/* Socket: hello and two streams through backpressure -------------------- */

#define N_MSGS		600
#define BIG_LEN		(1u << 20)	/* far above a Unix socket buffer */
#define HIGH_WATER	(64 * 1024)
#define LOW_WATER	(16 * 1024)

struct e2e;

struct side {
	struct e2e *t;
	const char *name;
	struct wp_ipc_conn *conn;
	uint32_t next_tx;
	uint32_t next_rx;
	uint32_t last_seq;
	unsigned int refused;
	unsigned int writable;
	unsigned int connects;
	unsigned int disconnects;
};

struct e2e {
	struct harness hs;
	struct wp_ipc_server *srv;
	struct wp_ipc_client *cli;
	struct side s;		/* server end */
	struct side c;		/* client end */
	bool got_ack;
	char *scratch;
};

static size_t
msg_len(uint32_t i)
{
	if (i % 100 == 7)
		return BIG_LEN + i;
	return 16 + (i * 37) % 2000;
}

static void
check_seq(struct side *sd, const struct wp_ipc_hdr *h)
{
	/* Each sender numbers its frames 1, 2, 3...: nothing lost or
	 * reordered. */
	ck_assert_uint_eq(h->sequence, sd->last_seq + 1);
	sd->last_seq = h->sequence;
}

static void
pump(struct side *sd)
{
	Wp__Ipc__Error m = WP__IPC__ERROR__INIT;
	char *text = sd->t->scratch;

	while (sd->next_tx < N_MSGS) {
		uint32_t i = sd->next_tx;
		size_t len = msg_len(i);

		memset(text, 'a' + i % 26, len);
		snprintf(text, 10, "%08u:", i);
		text[9] = (char)('a' + i % 26);
		text[len] = '\0';
		m.code = WP__IPC__ERROR_CODE__ERROR_REFUSED;
		m.sequence = i;
		m.text = text;
		if (wp_ipc_send(sd->conn, WP_IPC_ERROR, &m.base) == -1) {
			ck_assert_int_eq(errno, EAGAIN);
			ck_assert(wp_ipc_conn_congested(sd->conn));
			sd->refused++;
			return;
		}
		sd->next_tx++;
	}
}

static void
e2e_check_done(struct e2e *t)
{
	if (t->s.next_rx == N_MSGS && t->c.next_rx == N_MSGS)
		wp_loop_break(t->hs.loop);
}

static int
e2e_on_error(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	struct side *sd = wp_ipc_conn_arg(c);
	Wp__Ipc__Error *m = (Wp__Ipc__Error *)msg;
	uint32_t i = sd->next_rx;
	size_t len = strlen(m->text);
	char fill = (char)('a' + i % 26);
	char prefix[16];

	check_seq(sd, h);
	ck_assert_uint_eq(m->sequence, i);
	ck_assert_uint_eq(len, msg_len(i));
	snprintf(prefix, sizeof(prefix), "%08u:", i);
	ck_assert(strncmp(m->text, prefix, 9) == 0);
	ck_assert_int_eq(m->text[len - 1], fill);
	ck_assert_int_eq(m->text[9 + (len - 9) / 2], fill);
	sd->next_rx++;
	e2e_check_done(sd->t);
	return 0;
}

static int
e2e_srv_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	      ProtobufCMessage *msg)
{
	struct side *sd = wp_ipc_conn_arg(c);
	Wp__Ipc__Hello *m = (Wp__Ipc__Hello *)msg;
	Wp__Ipc__HelloAck ack = WP__IPC__HELLO_ACK__INIT;
	char name[64];

	check_seq(sd, h);
	/* Named by its credentials until the owner names it. */
	snprintf(name, sizeof(name), "pid %u", (unsigned int)getpid());
	ck_assert_str_eq(m->daemon, "testd");
	ck_assert_str_eq(m->protocol, "test");
	ck_assert_uint_eq(m->instance, 2);
	ck_assert_uint_eq(m->pid, (uint32_t)getpid());
	ck_assert_str_eq(wp_ipc_conn_name(c), name);
	wp_ipc_conn_set_name(c, "%s[%u]", m->daemon, m->pid);
	snprintf(name, sizeof(name), "testd[%u]", (unsigned int)getpid());
	ck_assert_str_eq(wp_ipc_conn_name(c), name);
	ack.daemon = "serverd";
	ack.pid = (uint32_t)getpid();
	ack.version = PACKAGE_VERSION;
	ck_assert_int_eq(wp_ipc_send(c, WP_IPC_HELLO_ACK, &ack.base), 0);
	pump(sd);
	return 0;
}

static int
e2e_cli_ack(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	    ProtobufCMessage *msg)
{
	struct side *sd = wp_ipc_conn_arg(c);
	Wp__Ipc__HelloAck *m = (Wp__Ipc__HelloAck *)msg;

	check_seq(sd, h);
	ck_assert_str_eq(m->daemon, "serverd");
	ck_assert_str_eq(m->version, PACKAGE_VERSION);
	sd->t->got_ack = true;
	pump(sd);
	return 0;
}

static const struct wp_ipc_handler e2e_srv_handlers[] = {
	{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, e2e_srv_hello },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, e2e_on_error },
	WP_IPC_HANDLER_END,
};

static const struct wp_ipc_handler e2e_cli_handlers[] = {
	{ WP_IPC_HELLO_ACK, &wp__ipc__hello_ack__descriptor, e2e_cli_ack },
	{ WP_IPC_ERROR, &wp__ipc__error__descriptor, e2e_on_error },
	WP_IPC_HANDLER_END,
};

static void
send_hello(struct wp_ipc_conn *c, const char *daemon)
{
	Wp__Ipc__Hello m = WP__IPC__HELLO__INIT;

	m.daemon = (char *)(uintptr_t)daemon;
	m.protocol = "test";
	m.instance = 2;
	m.pid = (uint32_t)getpid();
	m.version = PACKAGE_VERSION;
	ck_assert_int_eq(wp_ipc_send(c, WP_IPC_HELLO, &m.base), 0);
}

static void
e2e_connect(struct wp_ipc_conn *c)
{
	struct side *sd = wp_ipc_conn_arg(c);

	sd->conn = c;
	sd->connects++;
	if (sd == &sd->t->c)
		send_hello(c, "testd");
}

static void
e2e_disconnect(struct wp_ipc_conn *c)
{
	struct side *sd = wp_ipc_conn_arg(c);

	ck_assert_ptr_eq(sd->conn, c);
	ck_assert_int_eq(wp_ipc_send(c, WP_IPC_HELLO, NULL), -1);
	ck_assert_int_eq(errno, ENOTCONN);
	sd->conn = NULL;
	sd->disconnects++;
}

static void
e2e_writable(struct wp_ipc_conn *c)
{
	struct side *sd = wp_ipc_conn_arg(c);

	ck_assert(!wp_ipc_conn_congested(c));
	ck_assert_uint_le(wp_ipc_conn_stats(c)->queued, LOW_WATER);
	sd->writable++;
	pump(sd);
}

START_TEST(test_e2e_stream)
{
	struct e2e t = { .s.name = "server", .c.name = "client" };
	struct wp_ipc_callbacks cb = {
		.on_connect = e2e_connect,
		.on_disconnect = e2e_disconnect,
		.on_writable = e2e_writable,
		.high_water = HIGH_WATER,
		.low_water = LOW_WATER,
	};

	harness_init(&t.hs);
	t.s.t = t.c.t = &t;
	t.scratch = wp_malloc(MT_TEST_IPC, BIG_LEN + N_MSGS + 1);
	cb.arg = &t.s;
	t.srv = wp_ipc_server_new(t.hs.loop, t.hs.path, e2e_srv_handlers, &cb);
	ck_assert_ptr_nonnull(t.srv);
	cb.arg = &t.c;
	t.cli = wp_ipc_client_new(t.hs.loop, t.hs.path, e2e_cli_handlers, &cb);
	ck_assert_ptr_nonnull(t.cli);
	/* Never connected from inside _new(). */
	ck_assert_ptr_null(wp_ipc_client_conn(t.cli));
	ck_assert_int_eq(wp_ipc_client_send(t.cli, WP_IPC_HELLO, NULL), -1);
	ck_assert_int_eq(errno, ENOTCONN);

	harness_run(&t.hs);

	ck_assert(t.got_ack);
	ck_assert_uint_eq(t.s.next_rx, N_MSGS);
	ck_assert_uint_eq(t.c.next_rx, N_MSGS);
	ck_assert_uint_eq(t.s.connects, 1);
	ck_assert_uint_eq(t.c.connects, 1);
	ck_assert_uint_eq(wp_ipc_server_nconns(t.srv), 1);
	ck_assert_ptr_eq(wp_ipc_client_conn(t.cli), t.c.conn);
	/* Both producers hit high water and were woken at low water. */
	ck_assert_uint_gt(t.s.refused, 0);
	ck_assert_uint_gt(t.c.refused, 0);
	ck_assert_uint_gt(t.s.writable, 0);
	ck_assert_uint_gt(t.c.writable, 0);
	ck_assert_uint_eq(wp_ipc_conn_stats(t.c.conn)->refused, t.c.refused);
	ck_assert_uint_gt(wp_ipc_conn_stats(t.c.conn)->queued_peak, BIG_LEN);
	ck_assert_uint_eq(wp_ipc_conn_stats(t.s.conn)->rx_frames, N_MSGS + 1);
	ck_assert_uint_eq(wp_ipc_conn_stats(t.c.conn)->tx_frames, N_MSGS + 1);

	wp_ipc_client_free(t.cli);
	ck_assert_uint_eq(t.c.disconnects, 1);
	wp_ipc_server_free(t.srv);
	ck_assert_uint_eq(t.s.disconnects, 1);
	wp_free(MT_TEST_IPC, t.scratch);
	harness_fini(&t.hs);
}
END_TEST

/* Socket: a peer that breaks the rules ---------------------------------- */

struct badpeer {
	struct harness hs;
	struct wp_ipc_server *srv;
	int disconnects;
	int hellos;
	const uint8_t *drip;		/* sent one byte per loop pass */
	size_t drip_len;
	size_t drip_off;
	int drip_fd;
	struct wp_timer drip_timer;
};

static struct badpeer *bp;

static int
bp_hello(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	 ProtobufCMessage *msg)
{
	Wp__Ipc__Hello *m = (Wp__Ipc__Hello *)msg;

	bp->hellos++;
	if (strcmp(m->daemon, "refuse") == 0)
		return -1;
	wp_loop_break(bp->hs.loop);
	return 0;
}

static const struct wp_ipc_handler bp_handlers[] = {
	{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, bp_hello },
	WP_IPC_HANDLER_END,
};

static void
bp_disconnect(struct wp_ipc_conn *c)
{
	bp->disconnects++;
	wp_loop_break(bp->hs.loop);
}

static int
raw_connect(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	sun_set(&sun, path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

/* Send `len` bytes as a raw peer; the server must drop us, alive. */
static void
bp_expect_drop(const void *data, size_t len, bool close_after)
{
	int fd = raw_connect(bp->hs.path);
	int before = bp->disconnects;
	char c;

	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	if (close_after)
		close(fd);
	harness_run(&bp->hs);
	ck_assert_int_eq(bp->disconnects, before + 1);
	ck_assert_uint_eq(wp_ipc_server_nconns(bp->srv), 0);
	if (!close_after) {
		/* Our end sees the close: EOF (or a reset, if the server
		 * closed with our bytes still unread). */
		ssize_t n = read(fd, &c, 1);

		ck_assert(n == 0 || (n == -1 && errno == ECONNRESET));
		close(fd);
	}
}

static void
drip_cb(struct wp_timer *t)
{
	ck_assert_int_eq(write(bp->drip_fd, bp->drip + bp->drip_off, 1), 1);
	if (++bp->drip_off < bp->drip_len)
		wp_timer_start(t, 0.001, 0.0);
}

START_TEST(test_bad_peer)
{
	struct badpeer t;
	struct wp_ipc_callbacks cb = {
		.on_disconnect = bp_disconnect,
		.max_payload = 1024,
	};
	uint8_t hdr[WP_IPC_HDR_LEN], frame[64];
	struct wp_wbuf w;
	int fd;

	memset(&t, 0, sizeof(t));
	bp = &t;
	harness_init(&t.hs);
	t.srv = wp_ipc_server_new(t.hs.loop, t.hs.path, bp_handlers, &cb);
	ck_assert_ptr_nonnull(t.srv);

	raw_hdr(hdr, 0, WP_IPC_HELLO, 2);
	bp_expect_drop(hdr, sizeof(hdr), false);

	/* Above this server's 1024-byte limit: dropped without payload. */
	raw_hdr(hdr, 1025, WP_IPC_HELLO, WP_IPC_VERSION);
	bp_expect_drop(hdr, sizeof(hdr), false);

	raw_hdr(hdr, 8, 4242, WP_IPC_VERSION);
	bp_expect_drop(hdr, sizeof(hdr), false);

	raw_hdr(hdr, 0, 0, WP_IPC_VERSION);
	bp_expect_drop(hdr, sizeof(hdr), false);

	raw_hdr(frame, 3, WP_IPC_HELLO, WP_IPC_VERSION);
	memcpy(frame + WP_IPC_HDR_LEN, "\x0a\x10" "a", 3);
	bp_expect_drop(frame, WP_IPC_HDR_LEN + 3, false);

	hello_frame(&w, "refuse", 1);
	bp_expect_drop(wp_wbuf_data(&w), wp_wbuf_len(&w), false);
	ck_assert_int_eq(t.hellos, 1);
	wp_wbuf_free(&w);

	/* Half a frame, then gone. */
	hello_frame(&w, "testd", 1);
	bp_expect_drop(wp_wbuf_data(&w), wp_wbuf_len(&w) - 3, true);

	/* A valid frame one byte per loop pass is reassembled. */
	t.drip = wp_wbuf_data(&w);
	t.drip_len = wp_wbuf_len(&w);
	t.drip_fd = fd = raw_connect(t.hs.path);
	wp_timer_init(t.hs.loop, &t.drip_timer, "drip", drip_cb);
	wp_timer_start(&t.drip_timer, 0.001, 0.0);
	harness_run(&t.hs);
	ck_assert_int_eq(t.hellos, 2);
	ck_assert_uint_eq(t.drip_off, t.drip_len);
	ck_assert_uint_eq(wp_ipc_server_nconns(t.srv), 1);
	close(fd);
	harness_run(&t.hs);	/* until the server sees the close */
	ck_assert_uint_eq(wp_ipc_server_nconns(t.srv), 0);
	wp_wbuf_free(&w);

	ck_assert_int_eq(t.disconnects, 8);
	wp_ipc_server_free(t.srv);
	harness_fini(&t.hs);
}
END_TEST

/* Socket: reconnect with backoff ---------------------------------------- */

struct recon {
	struct harness hs;
	struct wp_ipc_server *srv;
	struct wp_ipc_client *cli;
	int cli_connects;
	int cli_disconnects;
	int srv_connects;
	double lost_at;
	double delay[4];		/* loss -> reconnect, per loss */
	struct wp_timer kill;		/* frees the server */
	struct wp_timer revive;		/* brings it back */
};

static struct recon *rc;

static const struct wp_ipc_handler recon_handlers[] = {
	{ WP_IPC_KEEPALIVE, &wp__ipc__keepalive__descriptor, on_keepalive },
	WP_IPC_HANDLER_END,
};

static void
recon_srv_connect(struct wp_ipc_conn *c)
{
	/* The first connection is closed from inside on_connect. */
	if (++rc->srv_connects == 1)
		wp_ipc_conn_close(c);
}

static void
recon_cli_connect(struct wp_ipc_conn *c)
{
	double now = wp_monotime();

	ck_assert_ptr_eq(wp_ipc_client_conn(rc->cli), c);
	rc->cli_connects++;
	if (rc->cli_connects > 1)
		rc->delay[rc->cli_connects - 2] = now - rc->lost_at;
	ck_assert_int_eq(wp_ipc_send(c, WP_IPC_KEEPALIVE, NULL), 0);
	if (rc->cli_connects == 2)
		wp_timer_start(&rc->kill, 0.02, 0.0);
	else if (rc->cli_connects == 3)
		wp_loop_break(rc->hs.loop);
}

static void
recon_cli_disconnect(struct wp_ipc_conn *c)
{
	rc->cli_disconnects++;
	rc->lost_at = wp_monotime();
	if (rc->cli_disconnects == 2)
		wp_timer_start(&rc->revive, 0.5, 0.0);
}

static void
kill_cb(struct wp_timer *t)
{
	wp_ipc_server_free(rc->srv);
	rc->srv = NULL;
}

static const struct wp_ipc_callbacks recon_srv_cb = {
	.on_connect = recon_srv_connect,
};

static void
revive_cb(struct wp_timer *t)
{
	rc->srv = wp_ipc_server_new(rc->hs.loop, rc->hs.path, recon_handlers,
				    &recon_srv_cb);
	ck_assert_ptr_nonnull(rc->srv);
}

START_TEST(test_reconnect)
{
	struct recon t;
	struct wp_ipc_callbacks cb = {
		.on_connect = recon_cli_connect,
		.on_disconnect = recon_cli_disconnect,
	};

	memset(&t, 0, sizeof(t));
	rc = &t;
	harness_init(&t.hs);
	wp_timer_init(t.hs.loop, &t.kill, "kill", kill_cb);
	wp_timer_init(t.hs.loop, &t.revive, "revive", revive_cb);
	t.srv = wp_ipc_server_new(t.hs.loop, t.hs.path, recon_handlers,
				  &recon_srv_cb);
	ck_assert_ptr_nonnull(t.srv);
	t.cli = wp_ipc_client_new(t.hs.loop, t.hs.path, recon_handlers, &cb);

	harness_run(&t.hs);

	ck_assert_int_eq(t.cli_connects, 3);
	ck_assert_int_eq(t.cli_disconnects, 2);
	/* The third may still wait in the backlog when the loop stops. */
	ck_assert_int_ge(t.srv_connects, 2);
	/* No upper bounds: the machine may be slow.  Lower bounds only
	 * where the design makes them causal.  Closed by the server, the
	 * client waits the first backoff step (0.1 s less at most 25%
	 * jitter, so >= 0.075 s; margin for the loop's cached clock), never
	 * reconnecting at once. */
	ck_assert_msg(t.delay[0] >= 0.05,
		      "first reconnect after %.3f s", t.delay[0]);
	/* Server gone for 0.5 s: no connect can succeed before it is back. */
	ck_assert_msg(t.delay[1] >= 0.45,
		      "reconnect after restart took %.3f s", t.delay[1]);

	wp_ipc_client_free(t.cli);
	ck_assert_int_eq(t.cli_disconnects, 3);
	wp_ipc_server_free(t.srv);
	harness_fini(&t.hs);
}
END_TEST

/* Socket: owners freed from inside their own callbacks ------------------ */

struct selffree {
	struct harness hs;
	struct wp_ipc_server *srv;
	struct wp_ipc_client *cli;
	int srv_disconnects;
};

static struct selffree *sf;

static int
sf_hello_free_server(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
		     ProtobufCMessage *msg)
{
	wp_ipc_server_free(sf->srv);
	sf->srv = NULL;
	/* The connection is closed but still valid until we return. */
	ck_assert_int_eq(wp_ipc_send(c, WP_IPC_HELLO, NULL), -1);
	wp_loop_break(sf->hs.loop);
	return 0;
}

static const struct wp_ipc_handler sf_handlers[] = {
	{ WP_IPC_HELLO, &wp__ipc__hello__descriptor, sf_hello_free_server },
	WP_IPC_HANDLER_END,
};

static void
sf_srv_disconnect(struct wp_ipc_conn *c)
{
	sf->srv_disconnects++;
	wp_loop_break(sf->hs.loop);
}

static void
sf_cli_connect_send(struct wp_ipc_conn *c)
{
	/* Two frames: the second must not be dispatched after the free. */
	send_hello(c, "first");
	send_hello(c, "second");
}

static void
sf_cli_connect_free(struct wp_ipc_conn *c)
{
	send_hello(c, "doomed");
	wp_ipc_client_free(sf->cli);
	sf->cli = NULL;
}

START_TEST(test_free_in_callbacks)
{
	struct selffree t;
	struct wp_ipc_callbacks scb = { .on_disconnect = sf_srv_disconnect };
	struct wp_ipc_callbacks ccb = { .on_connect = sf_cli_connect_send };

	memset(&t, 0, sizeof(t));
	sf = &t;
	harness_init(&t.hs);

	/* A handler frees its server. */
	t.srv = wp_ipc_server_new(t.hs.loop, t.hs.path, sf_handlers, &scb);
	t.cli = wp_ipc_client_new(t.hs.loop, t.hs.path, NULL, &ccb);
	harness_run(&t.hs);
	ck_assert_ptr_null(t.srv);
	ck_assert_int_eq(t.srv_disconnects, 1);
	wp_ipc_client_free(t.cli);

	/* A client frees itself in on_connect, with a frame queued. */
	ccb.on_connect = sf_cli_connect_free;
	t.srv = wp_ipc_server_new(t.hs.loop, t.hs.path, sf_handlers, &scb);
	t.cli = wp_ipc_client_new(t.hs.loop, t.hs.path, NULL, &ccb);
	harness_run(&t.hs);		/* until the server sees it go */
	ck_assert_ptr_null(t.cli);
	ck_assert_int_eq(t.srv_disconnects, 2);
	wp_ipc_server_free(t.srv);
	harness_fini(&t.hs);
}
END_TEST

/* Socket: a handler holds messages ------------------------------------ */

#define HOLD_MSGS	40

struct holdt {
	struct harness hs;
	struct wp_ipc_server *srv;
	struct wp_ipc_client *cli;
	struct wp_ipc_conn *sconn;
	ProtobufCMessage *held;
	struct wp_timer resume;
	uint64_t next;			/* sent_usec expected next */
	int holds;
	int resumes;
	bool dispatched_while_held;
};

static struct holdt *ht;

static int
ht_keepalive(struct wp_ipc_conn *c, const struct wp_ipc_hdr *h,
	     ProtobufCMessage *msg)
{
	Wp__Ipc__Keepalive *m = (Wp__Ipc__Keepalive *)msg;

	if (ht->held)
		ht->dispatched_while_held = true;
	ck_assert_uint_eq(m->sent_usec, ht->next);
	ht->next++;
	if (ht->next == HOLD_MSGS) {
		wp_loop_break(ht->hs.loop);
		return 0;
	}
	/* Hold every other message and let a timer resume. */
	if (m->sent_usec % 2 == 0) {
		ht->held = msg;
		ht->sconn = c;
		ht->holds++;
		ck_assert(!wp_ipc_conn_held(c));
		wp_timer_start(&ht->resume, 0.001, 0.0);
		return WP_IPC_HOLD;
	}
	return 0;
}

static void
ht_resume_cb(struct wp_timer *t)
{
	ProtobufCMessage *m = ht->held;

	ck_assert(wp_ipc_conn_held(ht->sconn));
	ht->held = NULL;
	ht->resumes++;
	wp_ipc_msg_free(m);
	wp_ipc_conn_resume(ht->sconn);
}

static const struct wp_ipc_handler ht_handlers[] = {
	{ WP_IPC_KEEPALIVE, &wp__ipc__keepalive__descriptor, ht_keepalive },
	WP_IPC_HANDLER_END,
};

static void
ht_cli_connect(struct wp_ipc_conn *c)
{
	/* All at once: most arrive in one read, behind a held one. */
	for (uint64_t i = 0; i < HOLD_MSGS; i++) {
		Wp__Ipc__Keepalive k = WP__IPC__KEEPALIVE__INIT;

		k.sent_usec = i;
		ck_assert_int_eq(wp_ipc_send(c, WP_IPC_KEEPALIVE, &k.base), 0);
	}
}

START_TEST(test_hold_resume)
{
	struct holdt t;
	struct wp_ipc_callbacks ccb = { .on_connect = ht_cli_connect };

	memset(&t, 0, sizeof(t));
	ht = &t;
	harness_init(&t.hs);
	wp_timer_init(t.hs.loop, &t.resume, "test resume", ht_resume_cb);
	t.srv = wp_ipc_server_new(t.hs.loop, t.hs.path, ht_handlers, NULL);
	t.cli = wp_ipc_client_new(t.hs.loop, t.hs.path, NULL, &ccb);
	harness_run(&t.hs);
	ck_assert_uint_eq(t.next, HOLD_MSGS);
	ck_assert(!t.dispatched_while_held);
	ck_assert_int_eq(t.holds, HOLD_MSGS / 2);
	ck_assert_int_eq(t.resumes, t.holds);
	/* Resuming a connection that is not held does nothing. */
	wp_ipc_conn_resume(t.sconn);
	ck_assert(!wp_ipc_conn_held(t.sconn));
	wp_timer_stop(&t.resume);
	wp_ipc_client_free(t.cli);
	wp_ipc_server_free(t.srv);
	harness_fini(&t.hs);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipc");
	TCase *tf = tcase_create("frame");
	TCase *ts = tcase_create("socket");

	tcase_add_checked_fixture(tf, reset_counters, NULL);
	tcase_add_checked_fixture(ts, reset_counters, NULL);
	tcase_add_test(tf, test_roundtrip);
	tcase_add_test(tf, test_every_prefix);
	tcase_add_test(tf, test_bad_version);
	tcase_add_test(tf, test_oversized);
	tcase_add_test(tf, test_unknown_type);
	tcase_add_test(tf, test_garbage_payload);
	tcase_add_test(tf, test_handler_refuses);
	tcase_add_test(tf, test_frame_stream);
	tcase_set_timeout(ts, 60);
	tcase_add_test(ts, test_listen_path);
	tcase_add_test(ts, test_e2e_stream);
	tcase_add_test(ts, test_bad_peer);
	tcase_add_test(ts, test_reconnect);
	tcase_add_test(ts, test_free_in_callbacks);
	tcase_add_test(ts, test_hold_resume);
	suite_add_tcase(s, tf);
	suite_add_tcase(s, ts);
	return wp_check_run(s);
}
