/*
 * Unit tests for daemons/bfdd/bfd_fsm.c: every (state, event) pair of the
 * RFC 5880 state machine against the expected next state and diagnostic,
 * written out here independently of the table.  Links bfd_fsm.c alone:
 * the session side of a transition is a stub that records it.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfdd.h"

/* --- stubs for what bfd_fsm.c calls in bfd_session.c ------------------- */

static int transitions;
static enum bfd_state last_next;
static enum bfd_diag last_diag;
static enum bfd_event last_event;

void
bfd_session_transition(struct bfd_session *s, enum bfd_state next,
		       enum bfd_diag diag, enum bfd_event event)
{
	transitions++;
	last_next = next;
	last_diag = diag;
	last_event = event;
	s->state = next;
	s->local_diag = diag;
}

char *
bfd_key_fmt(const struct bfd_key *k, char *buf, size_t len)
{
	snprintf(buf, len, "test");
	return buf;
}

/* --- expectations ------------------------------------------------------ */

#define AD	BFD_STA_ADMIN_DOWN
#define DN	BFD_STA_DOWN
#define IN	BFD_STA_INIT
#define UP	BFD_STA_UP
#define KEEP	(-1)		/* diag unchanged */

struct expect {
	int next;
	int diag;
};

/* [state][event]: RFC 5880 §6.2 diagram, §6.8.4-6, §6.8.16 */
static const struct expect expect[BFD_STA_MAX][BFD_EVT_MAX] = {
	[AD] = {
		[BFD_EVT_RX_ADMIN_DOWN] = { AD, KEEP },
		[BFD_EVT_RX_DOWN] = { AD, KEEP },
		[BFD_EVT_RX_INIT] = { AD, KEEP },
		[BFD_EVT_RX_UP] = { AD, KEEP },
		[BFD_EVT_TIMER] = { AD, KEEP },
		[BFD_EVT_ECHO_TIMER] = { AD, KEEP },
		[BFD_EVT_ADMIN_DOWN] = { AD, KEEP },
		[BFD_EVT_ADMIN_UP] = { DN, BFD_DIAG_NONE },
	},
	[DN] = {
		[BFD_EVT_RX_ADMIN_DOWN] = { DN, KEEP },
		[BFD_EVT_RX_DOWN] = { IN, KEEP },
		[BFD_EVT_RX_INIT] = { UP, BFD_DIAG_NONE },
		[BFD_EVT_RX_UP] = { DN, KEEP },
		[BFD_EVT_TIMER] = { DN, KEEP },
		[BFD_EVT_ECHO_TIMER] = { DN, KEEP },
		[BFD_EVT_ADMIN_DOWN] = { AD, BFD_DIAG_ADMIN_DOWN },
		[BFD_EVT_ADMIN_UP] = { DN, KEEP },
	},
	[IN] = {
		[BFD_EVT_RX_ADMIN_DOWN] = { DN, BFD_DIAG_NBR_DOWN },
		[BFD_EVT_RX_DOWN] = { IN, KEEP },
		[BFD_EVT_RX_INIT] = { UP, BFD_DIAG_NONE },
		[BFD_EVT_RX_UP] = { UP, BFD_DIAG_NONE },
		[BFD_EVT_TIMER] = { DN, BFD_DIAG_CTL_EXPIRED },
		[BFD_EVT_ECHO_TIMER] = { IN, KEEP },
		[BFD_EVT_ADMIN_DOWN] = { AD, BFD_DIAG_ADMIN_DOWN },
		[BFD_EVT_ADMIN_UP] = { IN, KEEP },
	},
	[UP] = {
		[BFD_EVT_RX_ADMIN_DOWN] = { DN, BFD_DIAG_NBR_DOWN },
		[BFD_EVT_RX_DOWN] = { DN, BFD_DIAG_NBR_DOWN },
		[BFD_EVT_RX_INIT] = { UP, KEEP },
		[BFD_EVT_RX_UP] = { UP, KEEP },
		[BFD_EVT_TIMER] = { DN, BFD_DIAG_CTL_EXPIRED },
		[BFD_EVT_ECHO_TIMER] = { DN, BFD_DIAG_ECHO_FAILED },
		[BFD_EVT_ADMIN_DOWN] = { AD, BFD_DIAG_ADMIN_DOWN },
		[BFD_EVT_ADMIN_UP] = { UP, KEEP },
	},
};

/* Every state x event has exactly one row, and it is the expected one. */
START_TEST(test_table_complete)
{
	for (int st = 0; st < BFD_STA_MAX; st++)
		for (int ev = 0; ev < BFD_EVT_MAX; ev++) {
			const struct bfd_fsm_row *r = bfd_fsm_lookup(st, ev);

			ck_assert_msg(r != NULL, "no row for %s / %s",
				      bfd_state_name(st), bfd_event_name(ev));
			ck_assert_int_eq(r->state, st);
			ck_assert_int_eq(r->event, ev);
			ck_assert_msg((int)r->next == expect[st][ev].next,
				      "%s / %s -> %s, want %s",
				      bfd_state_name(st), bfd_event_name(ev),
				      bfd_state_name(r->next),
				      bfd_state_name(expect[st][ev].next));
			/* "no change" rows and only those change nothing */
			ck_assert_int_eq(r->action == BFD_ACT_NONE,
					 expect[st][ev].diag == KEEP &&
						 r->next == (unsigned)st);
		}
}
END_TEST

/* Drive bfd_fsm() through each pair: the stub sees what the row says. */
START_TEST(test_fsm_every_pair)
{
	struct bfd_session s;

	for (int st = 0; st < BFD_STA_MAX; st++)
		for (int ev = 0; ev < BFD_EVT_MAX; ev++) {
			const struct expect *e = &expect[st][ev];
			int before = transitions;

			memset(&s, 0, sizeof(s));
			s.state = st;
			s.local_diag = BFD_DIAG_FWD_RESET;	/* a marker */
			ck_assert_int_eq(bfd_fsm(&s, ev), e->next);
			ck_assert_int_eq(s.state, e->next);
			if (e->diag == KEEP && e->next == st) {
				ck_assert_int_eq(transitions, before);
				ck_assert_int_eq(s.local_diag,
						 BFD_DIAG_FWD_RESET);
				continue;
			}
			ck_assert_int_eq(transitions, before + 1);
			ck_assert_int_eq(last_next, e->next);
			ck_assert_int_eq(last_event, ev);
			ck_assert_int_eq(last_diag, e->diag == KEEP ?
					 BFD_DIAG_FWD_RESET : e->diag);
		}
}
END_TEST

/* The three-way handshake of §6.2, both sides from Down. */
START_TEST(test_handshake)
{
	struct bfd_session a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.state = b.state = BFD_STA_DOWN;
	/* a hears b's Down */
	ck_assert_int_eq(bfd_fsm(&a, bfd_fsm_rx_event(b.state)), IN);
	/* b hears a's Init */
	ck_assert_int_eq(bfd_fsm(&b, bfd_fsm_rx_event(a.state)), UP);
	/* a hears b's Up */
	ck_assert_int_eq(bfd_fsm(&a, bfd_fsm_rx_event(b.state)), UP);
	/* b shuts down: a goes Down with "neighbor signaled down" */
	ck_assert_int_eq(bfd_fsm(&b, BFD_EVT_ADMIN_DOWN), AD);
	ck_assert_int_eq(bfd_fsm(&a, bfd_fsm_rx_event(b.state)), DN);
	ck_assert_int_eq(a.local_diag, BFD_DIAG_NBR_DOWN);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_int_eq(bfd_fsm_rx_event(BFD_STA_ADMIN_DOWN),
			 BFD_EVT_RX_ADMIN_DOWN);
	ck_assert_int_eq(bfd_fsm_rx_event(BFD_STA_DOWN), BFD_EVT_RX_DOWN);
	ck_assert_int_eq(bfd_fsm_rx_event(BFD_STA_INIT), BFD_EVT_RX_INIT);
	ck_assert_int_eq(bfd_fsm_rx_event(BFD_STA_UP), BFD_EVT_RX_UP);
	for (int i = 0; i < BFD_STA_MAX; i++)
		ck_assert_ptr_nonnull(bfd_state_names[i]);
	for (int i = 0; i < BFD_EVT_MAX; i++)
		ck_assert_ptr_nonnull(bfd_event_names[i]);
	for (int i = 0; i < BFD_ACT_MAX; i++)
		ck_assert_ptr_nonnull(bfd_action_names[i]);
	for (int i = 0; i < BFD_DIAG_MAX; i++)
		ck_assert_str_ne(bfd_diag_name(i), "reserved");
	ck_assert_str_eq(bfd_diag_name(9), "reserved");
	ck_assert_str_eq(bfd_diag_name(31), "reserved");
	ck_assert_str_eq(bfd_state_name(4), "?");
	ck_assert_str_eq(bfd_event_name(BFD_EVT_MAX), "?");
	ck_assert_str_eq(bfd_state_name(BFD_STA_ADMIN_DOWN), "admin-down");
	ck_assert_str_eq(bfd_diag_name(BFD_DIAG_CTL_EXPIRED),
			 "control detection time expired");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("bfd_fsm");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_table_complete);
	tcase_add_test(tc, test_fsm_every_pair);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
