/* Unit tests for lib/wp_loop: timers, jitter bounds, io, stats, signals. */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wp_check.h"
#include "wp_loop.h"
#include "wp_mem.h"

struct counter {
	struct wp_timer t;
	int fired;
	int limit;
	double first_at;
};

static void
oneshot_cb(struct wp_timer *t)
{
	struct counter *c = container_of(t, struct counter, t);

	c->fired++;
}

START_TEST(test_oneshot)
{
	struct wp_loop *loop = wp_loop_new();
	struct counter c = { 0 };

	wp_timer_init(loop, &c.t, "oneshot", oneshot_cb);
	wp_timer_start(&c.t, 0.001, 0.0);
	ck_assert(wp_timer_active(&c.t));
	wp_loop_run(loop);
	ck_assert_int_eq(c.fired, 1);
	ck_assert(!wp_timer_active(&c.t));
	wp_loop_free(loop);
	ck_assert_uint_eq(wp_mem_report_leaks(NULL), 0);
}
END_TEST

static void
periodic_cb(struct wp_timer *t)
{
	struct counter *c = container_of(t, struct counter, t);

	if (++c->fired == c->limit)
		wp_timer_stop(t);
}

START_TEST(test_periodic_jitter)
{
	struct wp_loop *loop = wp_loop_new();
	struct counter c = { .limit = 5 };

	wp_timer_init(loop, &c.t, "periodic", periodic_cb);
	wp_timer_start_periodic(&c.t, 0.002, 0.5);
	wp_loop_run(loop);
	ck_assert_int_eq(c.fired, 5);
	wp_loop_free(loop);
}
END_TEST

/* Jitter only shortens: a 10 s timer with 25% jitter is due in 7.5..10 s. */
START_TEST(test_jitter_bounds)
{
	struct wp_loop *loop = wp_loop_new();
	struct counter c = { 0 };

	wp_timer_init(loop, &c.t, "bounds", oneshot_cb);
	for (int i = 0; i < 200; i++) {
		double r;

		wp_timer_start(&c.t, 10.0, 0.25);
		r = wp_timer_remaining(&c.t);
		ck_assert(r <= 10.0 + 1e-6);
		ck_assert(r >= 7.5 - 0.1);
	}
	wp_timer_stop(&c.t);
	ck_assert(wp_timer_remaining(&c.t) == 0.0);
	wp_loop_free(loop);
}
END_TEST

struct reader {
	struct wp_io io;
	char buf[16];
	ssize_t got;
};

static void
read_cb(struct wp_io *io, int revents)
{
	struct reader *r = container_of(io, struct reader, io);

	ck_assert(revents & EV_READ);
	r->got = read(wp_io_fd(io), r->buf, sizeof(r->buf));
	wp_io_stop(io);
}

static void
stat_find(const struct wp_cbstat *s, void *arg)
{
	if (strcmp(s->name, "pipe read") == 0)
		*(const struct wp_cbstat **)arg = s;
}

START_TEST(test_io_and_stats)
{
	struct wp_loop *loop = wp_loop_new();
	struct reader r = { .got = -1 };
	const struct wp_cbstat *st = NULL;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	wp_io_init(loop, &r.io, "pipe read", fds[0], EV_READ, read_cb);
	wp_io_start(&r.io);
	ck_assert_int_eq(write(fds[1], "abc", 3), 3);
	wp_loop_run(loop);
	ck_assert_int_eq(r.got, 3);
	ck_assert(memcmp(r.buf, "abc", 3) == 0);
	wp_loop_stats_foreach(loop, stat_find, &st);
	ck_assert_ptr_nonnull(st);
	ck_assert_uint_eq(st->calls, 1);
	ck_assert_uint_ge(st->max_us, 0);
	wp_loop_stats_clear(loop);
	ck_assert_uint_eq(st->calls, 0);
	close(fds[0]);
	close(fds[1]);
	wp_loop_free(loop);
}
END_TEST

static void
late_find(const struct wp_cbstat *s, void *arg)
{
	if (strcmp(s->name, "late") == 0)
		*(const struct wp_cbstat **)arg = s;
}

struct blocker {
	struct wp_timer t;
	struct counter *late;
};

/* Arms the other timer 1 ms ahead, then keeps the loop busy for 30. */
static void
blocker_cb(struct wp_timer *t)
{
	struct blocker *b = container_of(t, struct blocker, t);

	wp_timer_start(&b->late->t, 0.001, 0.0);
	usleep(30000);
}

/* A timer that could not run on time says by how much it was late. */
START_TEST(test_timer_lateness)
{
	struct wp_loop *loop = wp_loop_new();
	struct counter late = { 0 };
	struct blocker b = { .late = &late };
	const struct wp_cbstat *st = NULL;

	wp_timer_init(loop, &late.t, "late", oneshot_cb);
	wp_timer_init(loop, &b.t, "blocker", blocker_cb);
	wp_timer_start(&b.t, 0.0, 0.0);
	wp_loop_run(loop);
	ck_assert_int_eq(late.fired, 1);
	wp_loop_stats_foreach(loop, late_find, &st);
	ck_assert_ptr_nonnull(st);
	ck_assert_uint_ge(st->late_max_us, 20000);
	ck_assert_uint_eq(st->late_10ms, 1);
	ck_assert_uint_ge(st->late_sum_us, st->late_max_us);
	wp_loop_stats_clear(loop);
	ck_assert_uint_eq(st->late_max_us, 0);
	ck_assert_uint_eq(st->late_10ms, 0);
	wp_loop_free(loop);
}
END_TEST

struct racer {
	struct wp_io io;
	struct counter *timer;
	int seen_active;
	int restarted;
};

/* A packet handler doing "start the timer unless it is running". */
static void
racer_cb(struct wp_io *io, int revents)
{
	struct racer *r = container_of(io, struct racer, io);
	char c;

	ck_assert_int_eq(read(wp_io_fd(io), &c, 1), 1);
	wp_io_stop(io);
	r->seen_active = wp_timer_active(&r->timer->t);
	if (!r->seen_active) {
		wp_timer_start(&r->timer->t, 0.05, 0.0);
		r->restarted = 1;
	}
}

/*
 * A one-shot timer that expired in the same iteration as a readable fd
 * whose watcher runs first (higher priority): libev has stopped the timer
 * and queued its callback.  It still counts as running, so the handler
 * does not restart it, and it fires in that iteration instead of a whole
 * interval later.
 */
START_TEST(test_timer_pending_is_active)
{
	struct wp_loop *loop = wp_loop_new();
	struct counter c = { 0 };
	struct racer r = { .timer = &c };
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	wp_timer_init(loop, &c.t, "pending", oneshot_cb);
	wp_io_init(loop, &r.io, "racer", fds[0], EV_READ, racer_cb);
	ev_set_priority(&r.io.w, EV_MAXPRI);
	wp_io_start(&r.io);
	wp_timer_start(&c.t, 0.001, 0.0);
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	usleep(20000);		/* both ready when the loop first looks */
	ev_run(wp_loop_ev(loop), EVRUN_ONCE);
	ck_assert_int_eq(r.seen_active, 1);
	ck_assert_int_eq(r.restarted, 0);
	ck_assert_int_eq(c.fired, 1);
	ck_assert(!wp_timer_active(&c.t));
	ck_assert(wp_timer_remaining(&c.t) == 0.0);
	close(fds[0]);
	close(fds[1]);
	wp_loop_free(loop);
}
END_TEST

static int shutdown_called;

static void
on_shutdown(struct wp_loop *loop, void *arg)
{
	shutdown_called++;
	wp_loop_break(loop);
}

static void
raise_cb(struct wp_timer *t)
{
	raise(SIGTERM);
}

/* SIGTERM runs the shutdown hook; the loop would otherwise run forever. */
START_TEST(test_sigterm_hook)
{
	struct wp_loop *loop = wp_loop_new();
	struct wp_timer keepalive, raiser;

	wp_loop_on_shutdown(loop, on_shutdown, NULL);
	wp_timer_init(loop, &keepalive, "keepalive", raise_cb);
	wp_timer_start_periodic(&keepalive, 3600.0, 0.0);
	wp_timer_init(loop, &raiser, "raiser", raise_cb);
	wp_timer_start(&raiser, 0.001, 0.0);
	wp_loop_run(loop);
	ck_assert_int_eq(shutdown_called, 1);
	wp_timer_stop(&keepalive);
	wp_loop_free(loop);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_oneshot);
	tcase_add_test(tc, test_periodic_jitter);
	tcase_add_test(tc, test_jitter_bounds);
	tcase_add_test(tc, test_io_and_stats);
	tcase_add_test(tc, test_timer_lateness);
	tcase_add_test(tc, test_timer_pending_is_active);
	tcase_add_test(tc, test_sigterm_hook);
	suite_add_tcase(s, tc);
	return wp_check_run(s);
}
