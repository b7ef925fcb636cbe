/*
 * Unit tests for the event socket's echo filter (rib_kfilter.c): the
 * classic BPF program runs here on crafted netlink datagrams in a small
 * interpreter with the kernel's semantics (big-endian word loads, an
 * out-of-bounds load ends the program with 0), and the kernel's own
 * checker must accept it on a real netlink socket.
 */
#include "config.h"

#include <arpa/inet.h>
#include <check.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wp_check.h"
#include "rib_kernel.h"

#define PORT		0x12345678u
#define NH_PROTO	199

static const uint8_t protos[] = { 196, 186 };
static struct sock_filter prog[RIB_KFILTER_MAX];
static unsigned int prog_len;

static void
setup(void)
{
	prog_len = rib_kernel_echo_filter(prog, RIB_KFILTER_MAX, PORT, protos,
					  sizeof(protos), NH_PROTO);
	ck_assert_uint_gt(prog_len, 0);
}

static uint32_t
load(const uint8_t *pkt, uint32_t off, unsigned int size)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		v = v << 8 | pkt[off + i];
	return v;
}

/* Classic BPF as the kernel runs a socket filter, for the opcodes the
 * program uses; anything else fails the test. */
static uint32_t
run(const uint8_t *pkt, uint32_t len)
{
	uint32_t a = 0, x = 0;

	for (unsigned int pc = 0; pc < prog_len; pc++) {
		const struct sock_filter *f = &prog[pc];
		unsigned int size = 0;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			size = 4;
			break;
		case BPF_LD | BPF_H | BPF_ABS:
			size = 2;
			break;
		case BPF_LD | BPF_B | BPF_ABS:
			size = 1;
			break;
		}
		if (size) {
			if (f->k + size > len)
				return 0;
			a = load(pkt, f->k, size);
			continue;
		}
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_LEN:
			a = len;
			break;
		case BPF_MISC | BPF_TAX:
			x = a;
			break;
		case BPF_MISC | BPF_TXA:
			a = x;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
			a <<= f->k;
			break;
		case BPF_ALU | BPF_OR | BPF_X:
			a |= x;
			break;
		case BPF_ALU | BPF_ADD | BPF_K:
			a += f->k;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= f->k;
			break;
		case BPF_JMP | BPF_JA:
			pc += f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_X:
			pc += a >= x ? f->jt : f->jf;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			ck_abort_msg("opcode %#x at %u", f->code, pc);
		}
	}
	ck_abort_msg("the program ran off its end");
	return 0;
}

/* A notification as the kernel builds it: header, family header, one
 * 32-bit attribute.  Returns its length. */
static uint32_t
msg(uint8_t *buf, uint16_t type, uint32_t pid, uint8_t proto)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	bool nh = type == RTM_NEWNEXTHOP || type == RTM_DELNEXTHOP;
	size_t fam = nh ? sizeof(struct nhmsg) : sizeof(struct rtmsg);
	struct rtattr *rta;

	memset(buf, 0, 256);
	h->nlmsg_len = NLMSG_LENGTH(fam) + RTA_LENGTH(4);
	h->nlmsg_type = type;
	h->nlmsg_pid = pid;
	h->nlmsg_seq = 42;
	if (nh)
		((struct nhmsg *)NLMSG_DATA(h))->nh_protocol = proto;
	else
		((struct rtmsg *)NLMSG_DATA(h))->rtm_protocol = proto;
	rta = (struct rtattr *)(buf + NLMSG_LENGTH(fam));
	rta->rta_type = nh ? NHA_ID : RTA_TABLE;
	rta->rta_len = RTA_LENGTH(4);
	return h->nlmsg_len;
}

START_TEST(test_drops_own_echoes)
{
	uint8_t b[256];

	ck_assert_uint_eq(run(b, msg(b, RTM_NEWROUTE, PORT, 196)), 0);
	ck_assert_uint_eq(run(b, msg(b, RTM_DELROUTE, PORT, 196)), 0);
	ck_assert_uint_eq(run(b, msg(b, RTM_NEWROUTE, PORT, 186)), 0);
	ck_assert_uint_eq(run(b, msg(b, RTM_NEWNEXTHOP, PORT, NH_PROTO)), 0);
	ck_assert_uint_eq(run(b, msg(b, RTM_DELNEXTHOP, PORT, NH_PROTO)), 0);
}
END_TEST

START_TEST(test_passes_what_others_did)
{
	uint8_t b[256];

	/* An administrator's `ip route del` of one of our routes. */
	ck_assert_uint_ne(run(b, msg(b, RTM_DELROUTE, 4242, 196)), 0);
	/* The kernel on its own: objects gone with their device. */
	ck_assert_uint_ne(run(b, msg(b, RTM_DELNEXTHOP, 0, NH_PROTO)), 0);
	ck_assert_uint_ne(run(b, msg(b, RTM_DELROUTE, 0, 196)), 0);
	/* Other protocols, even from our port id. */
	ck_assert_uint_ne(run(b, msg(b, RTM_NEWROUTE, PORT, RTPROT_KERNEL)), 0);
	ck_assert_uint_ne(run(b, msg(b, RTM_NEWROUTE, PORT, 197)), 0);
	ck_assert_uint_ne(run(b, msg(b, RTM_NEWNEXTHOP, PORT, 196)), 0);
	/* Other types whose bytes look like ours. */
	ck_assert_uint_ne(run(b, msg(b, RTM_NEWLINK, PORT, 196)), 0);
	ck_assert_uint_ne(run(b, msg(b, RTM_NEWADDR, PORT, 196)), 0);
	ck_assert_uint_ne(run(b, msg(b, RTM_GETROUTE, PORT, 196)), 0);
}
END_TEST

START_TEST(test_passes_what_it_cannot_judge)
{
	uint8_t b[256];
	uint32_t len = msg(b, RTM_NEWROUTE, PORT, 196);
	struct nlmsghdr *h = (struct nlmsghdr *)b;

	/* Too short to hold the protocol byte: a load past the end would
	 * drop it, so the length is checked first. */
	ck_assert_uint_ne(run(b, 20), 0);
	ck_assert_uint_ne(run(b, NLMSG_HDRLEN + 5), 0);
	/* Length field larger than the datagram. */
	h->nlmsg_len = len + 4;
	ck_assert_uint_ne(run(b, len), 0);
	/* Length field too small for a route message. */
	h->nlmsg_len = NLMSG_HDRLEN;
	ck_assert_uint_ne(run(b, len), 0);
	/* Two messages in one datagram: the second is not looked at, so
	 * neither is dropped. */
	len = msg(b, RTM_NEWROUTE, PORT, 196);
	memcpy(b + len, b, len);
	ck_assert_uint_ne(run(b, 2 * len), 0);
	/* Padding short of a second header is still one message. */
	ck_assert_uint_eq(run(b, len + NLMSG_HDRLEN - 4), 0);
}
END_TEST

START_TEST(test_kernel_accepts_program)
{
	struct sock_fprog fp = { .len = (unsigned short)prog_len,
				 .filter = prog };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp,
				    sizeof(fp)), 0);
	close(fd);
}
END_TEST

START_TEST(test_too_small_a_buffer)
{
	struct sock_filter small[8];

	ck_assert_uint_eq(rib_kernel_echo_filter(small, 8, PORT, protos,
						 sizeof(protos), NH_PROTO), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("kfilter");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_drops_own_echoes);
	tcase_add_test(tc, test_passes_what_others_did);
	tcase_add_test(tc, test_passes_what_it_cannot_judge);
	tcase_add_test(tc, test_kernel_accepts_program);
	tcase_add_test(tc, test_too_small_a_buffer);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
