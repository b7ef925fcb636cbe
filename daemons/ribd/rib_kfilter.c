/*
 * rib_kfilter.c: the classic BPF program on ribd's netlink event socket
 * that drops the kernel's echoes of ribd's own route and nexthop-object
 * requests before they are queued on the socket.
 *
 * Why: the event socket is subscribed to route and nexthop notifications,
 * so every request ribd sends on its command socket comes back as a
 * notification.  A bulk install sends requests far faster than the loop
 * reads events; the echoes overflowed the receive buffer (ENOBUFS) and each
 * overflow cost a full resync.  ribd has nothing to learn from them: it
 * knows what it asked for, and the answer comes on the command socket.
 *
 * What the program looks at.  An rtnetlink notification is one message in
 * one datagram (rtmsg_fib(), inet6_rt_notify() and nexthop_notify() each
 * build a fresh skb for one message), and a socket filter sees the
 * datagram from its first byte, so the fields are at fixed offsets:
 *
 *   0  nlmsghdr.nlmsg_len    host order; must cover the datagram exactly
 *   4  nlmsghdr.nlmsg_type   RTM_{NEW,DEL}ROUTE, RTM_{NEW,DEL}NEXTHOP
 *  12  nlmsghdr.nlmsg_pid    port id of the socket whose request caused
 *                            the change (NETLINK_CB(skb).portid, copied
 *                            into the notification's header), 0 when the
 *                            kernel changed things on its own
 *  16+5  rtmsg.rtm_protocol  for routes: one of ribd's protocol numbers
 *  16+2  nhmsg.nh_protocol   for nexthop objects: ribd's
 *
 * A message is dropped only when all of these say "ribd's own request":
 * type route or nexthop, sender the command socket's port id, protocol
 * ribd's.  The sender check keeps what ribd must see: a route of ours that
 * an administrator deleted (`ip route del`, another port id), or objects
 * the kernel removed itself when a device went down (port id 0).
 *
 * Anything the program cannot judge is passed: a datagram shorter than a
 * header and the protocol byte (classic BPF would otherwise drop it on the
 * out-of-bounds load), one whose nlmsg_len disagrees with its length, one
 * with room for a second message after the first, and any other type.
 * Loads of 16 and 32-bit words are big-endian in classic BPF, so the
 * constants they are compared with are converted with htons()/htonl(); the
 * host-order length is assembled a byte at a time.
 */
#include "config.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <stddef.h>

#include "rib_kernel.h"

/* Jump targets resolved once the program is laid out. */
enum {
	L_PASS = 0xfc,
	L_DROP,
	L_ROUTE,
	L_NH,
};

struct emitter {
	struct sock_filter *f;
	unsigned int n, max;
	unsigned int at[4];		/* L_* positions */
};

static void
emit(struct emitter *e, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (e->n < e->max)
		e->f[e->n] = (struct sock_filter){ code, jt, jf, k };
	e->n++;
}

static void
label(struct emitter *e, unsigned int l)
{
	e->at[l - L_PASS] = e->n;
}

static uint8_t
resolve(const struct emitter *e, unsigned int i, uint8_t j)
{
	if (j < L_PASS)
		return j;
	return (uint8_t)(e->at[j - L_PASS] - (i + 1));
}

/* A = the host-order 32-bit word at offset off (X is clobbered). */
static void
emit_load_host32(struct emitter *e, uint32_t off)
{
	const uint16_t one = 1;
	bool little = *(const uint8_t *)&one == 1;

	for (int i = 0; i < 4; i++) {
		/* Most significant byte first. */
		uint32_t b = off + (uint32_t)(little ? 3 - i : i);

		emit(e, BPF_LD | BPF_B | BPF_ABS, 0, 0, b);
		if (i > 0)
			emit(e, BPF_ALU | BPF_OR | BPF_X, 0, 0, 0);
		if (i < 3) {
			emit(e, BPF_ALU | BPF_LSH | BPF_K, 0, 0, 8);
			emit(e, BPF_MISC | BPF_TAX, 0, 0, 0);
		}
	}
}

unsigned int
rib_kernel_echo_filter(struct sock_filter *prog, unsigned int max,
		       uint32_t portid, const uint8_t *protos,
		       unsigned int n_protos, uint8_t nh_proto)
{
	/* Header plus the larger of rtmsg and nhmsg's judged bytes. */
	const uint32_t minlen = NLMSG_HDRLEN + sizeof(struct rtmsg);
	struct emitter e = { .f = prog, .max = max };

	/* len >= minlen, else pass. */
	emit(&e, BPF_LD | BPF_W | BPF_LEN, 0, 0, 0);
	emit(&e, BPF_JMP | BPF_JGE | BPF_K, 0, L_PASS, minlen);
	/* minlen <= nlmsg_len <= len < NLMSG_ALIGN(nlmsg_len) + header:
	 * exactly one message, else pass. */
	emit_load_host32(&e, 0);
	emit(&e, BPF_JMP | BPF_JGE | BPF_K, 0, L_PASS, minlen);
	emit(&e, BPF_MISC | BPF_TAX, 0, 0, 0);
	emit(&e, BPF_LD | BPF_W | BPF_LEN, 0, 0, 0);
	emit(&e, BPF_JMP | BPF_JGE | BPF_X, 0, L_PASS, 0);
	emit(&e, BPF_MISC | BPF_TXA, 0, 0, 0);
	emit(&e, BPF_ALU | BPF_ADD | BPF_K, 0, 0, NLMSG_ALIGNTO - 1);
	emit(&e, BPF_ALU | BPF_AND | BPF_K, 0, 0, ~(uint32_t)(NLMSG_ALIGNTO - 1));
	emit(&e, BPF_ALU | BPF_ADD | BPF_K, 0, 0, NLMSG_HDRLEN);
	emit(&e, BPF_MISC | BPF_TAX, 0, 0, 0);
	emit(&e, BPF_LD | BPF_W | BPF_LEN, 0, 0, 0);
	emit(&e, BPF_JMP | BPF_JGE | BPF_X, L_PASS, 0, 0);
	/* Sent because of the command socket's request, else pass. */
	emit(&e, BPF_LD | BPF_W | BPF_ABS, 0, 0,
	     offsetof(struct nlmsghdr, nlmsg_pid));
	emit(&e, BPF_JMP | BPF_JEQ | BPF_K, 0, L_PASS, htonl(portid));
	/* By type. */
	emit(&e, BPF_LD | BPF_H | BPF_ABS, 0, 0,
	     offsetof(struct nlmsghdr, nlmsg_type));
	emit(&e, BPF_JMP | BPF_JEQ | BPF_K, L_ROUTE, 0, htons(RTM_NEWROUTE));
	emit(&e, BPF_JMP | BPF_JEQ | BPF_K, L_ROUTE, 0, htons(RTM_DELROUTE));
	emit(&e, BPF_JMP | BPF_JEQ | BPF_K, L_NH, 0, htons(RTM_NEWNEXTHOP));
	emit(&e, BPF_JMP | BPF_JEQ | BPF_K, L_NH, L_PASS, htons(RTM_DELNEXTHOP));
	label(&e, L_ROUTE);
	emit(&e, BPF_LD | BPF_B | BPF_ABS, 0, 0,
	     NLMSG_HDRLEN + offsetof(struct rtmsg, rtm_protocol));
	for (unsigned int i = 0; i < n_protos; i++)
		emit(&e, BPF_JMP | BPF_JEQ | BPF_K, L_DROP, 0, protos[i]);
	/* To L_PASS: ja's target is in k, patched below. */
	emit(&e, BPF_JMP | BPF_JA, 0, 0, 0);
	label(&e, L_NH);
	emit(&e, BPF_LD | BPF_B | BPF_ABS, 0, 0,
	     NLMSG_HDRLEN + offsetof(struct nhmsg, nh_protocol));
	emit(&e, BPF_JMP | BPF_JEQ | BPF_K, L_DROP, L_PASS, nh_proto);
	label(&e, L_PASS);
	emit(&e, BPF_RET | BPF_K, 0, 0, 0xffffffffu);
	label(&e, L_DROP);
	emit(&e, BPF_RET | BPF_K, 0, 0, 0);
	if (e.n > max)
		return 0;
	for (unsigned int i = 0; i < e.n; i++) {
		struct sock_filter *f = &prog[i];

		if (f->code == (BPF_JMP | BPF_JA)) {
			f->k = e.at[L_PASS - L_PASS] - (i + 1);
			continue;
		}
		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		f->jt = resolve(&e, i, f->jt);
		f->jf = resolve(&e, i, f->jf);
	}
	return e.n;
}
