/*
 * wp_loop.c: libev loop wrapper with per-callback statistics, jittered
 * timers and the signal policy.  libev owns all scheduling; this file only
 * wraps each callback in a timer measurement and a stats slot lookup done
 * once at watcher init.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wp_log.h"
#include "wp_loop.h"
#include "wp_mem.h"

WP_MEMTYPE_DEFINE(MT_LOOP, "event loop");
WP_MEMTYPE_DEFINE(MT_LOOP_STAT, "event loop statistics");

struct wp_loop {
	struct ev_loop *ev;
	struct wp_cbstat *stats;
	ev_signal sig_term;
	ev_signal sig_int;
	ev_signal sig_hup;
	void (*shutdown_fn)(struct wp_loop *loop, void *arg);
	void *shutdown_arg;
	void (*reload_fn)(struct wp_loop *loop, void *arg);
	void *reload_arg;
};

double
wp_monotime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static struct wp_cbstat *
stat_get(struct wp_loop *loop, const char *name)
{
	struct wp_cbstat *s;

	for (s = loop->stats; s; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	s = wp_calloc(MT_LOOP_STAT, sizeof(*s));
	s->name = wp_strdup(MT_LOOP_STAT, name);
	s->next = loop->stats;
	loop->stats = s;
	return s;
}

static void
stat_add(struct wp_cbstat *s, uint64_t t0)
{
	uint64_t d = mono_us() - t0;

	s->calls++;
	s->total_us += d;
	if (d > s->max_us)
		s->max_us = d;
}

static void
stat_late(struct wp_cbstat *s, uint64_t due, uint64_t now)
{
	uint64_t late = now > due ? now - due : 0;

	s->late_sum_us += late;
	if (late > s->late_max_us)
		s->late_max_us = late;
	if (late > 10000)
		s->late_10ms++;
}

static void
signal_cb(struct ev_loop *ev, ev_signal *w, int revents)
{
	struct wp_loop *loop = w->data;

	if (w->signum == SIGHUP) {
		wp_log_info("SIGHUP received");
		if (loop->reload_fn)
			loop->reload_fn(loop, loop->reload_arg);
		return;
	}
	wp_log_info("signal %d received, shutting down", w->signum);
	if (loop->shutdown_fn)
		loop->shutdown_fn(loop, loop->shutdown_arg);
	else
		ev_break(ev, EVBREAK_ALL);
}

struct wp_loop *
wp_loop_new(void)
{
	struct wp_loop *loop = wp_calloc(MT_LOOP, sizeof(*loop));

	/* The default loop is the only one that may handle child signals;
	 * daemons have one loop, tests may create several. */
	loop->ev = ev_loop_new(EVFLAG_AUTO | EVFLAG_NOSIGMASK);
	if (loop->ev == NULL)
		wp_fatalx("cannot create event loop");
	ev_set_userdata(loop->ev, loop);
	signal(SIGPIPE, SIG_IGN);

	ev_signal_init(&loop->sig_term, signal_cb, SIGTERM);
	ev_signal_init(&loop->sig_int, signal_cb, SIGINT);
	ev_signal_init(&loop->sig_hup, signal_cb, SIGHUP);
	loop->sig_term.data = loop->sig_int.data = loop->sig_hup.data = loop;
	ev_signal_start(loop->ev, &loop->sig_term);
	ev_signal_start(loop->ev, &loop->sig_int);
	ev_signal_start(loop->ev, &loop->sig_hup);
	/* Signal watchers must not keep the loop alive by themselves. */
	ev_unref(loop->ev);
	ev_unref(loop->ev);
	ev_unref(loop->ev);
	return loop;
}

void
wp_loop_free(struct wp_loop *loop)
{
	struct wp_cbstat *s, *next;

	if (loop == NULL)
		return;
	ev_ref(loop->ev);
	ev_ref(loop->ev);
	ev_ref(loop->ev);
	ev_signal_stop(loop->ev, &loop->sig_term);
	ev_signal_stop(loop->ev, &loop->sig_int);
	ev_signal_stop(loop->ev, &loop->sig_hup);
	ev_loop_destroy(loop->ev);
	for (s = loop->stats; s; s = next) {
		next = s->next;
		wp_free(MT_LOOP_STAT, s->name);
		wp_free(MT_LOOP_STAT, s);
	}
	wp_free(MT_LOOP, loop);
}

struct ev_loop *
wp_loop_ev(struct wp_loop *loop)
{
	return loop->ev;
}

int
wp_loop_run(struct wp_loop *loop)
{
	ev_run(loop->ev, 0);
	return 0;
}

void
wp_loop_break(struct wp_loop *loop)
{
	ev_break(loop->ev, EVBREAK_ALL);
}

double
wp_loop_now(struct wp_loop *loop)
{
	return ev_now(loop->ev);
}

void
wp_loop_on_shutdown(struct wp_loop *loop,
		    void (*fn)(struct wp_loop *loop, void *arg), void *arg)
{
	loop->shutdown_fn = fn;
	loop->shutdown_arg = arg;
}

void
wp_loop_on_reload(struct wp_loop *loop,
		  void (*fn)(struct wp_loop *loop, void *arg), void *arg)
{
	loop->reload_fn = fn;
	loop->reload_arg = arg;
}

/* Timers ------------------------------------------------------------- */

static double
jittered(double after, double jitter)
{
	if (jitter <= 0.0)
		return after;
	if (jitter > 1.0)
		jitter = 1.0;
	/* random() is good enough for jitter and needs no seeding policy. */
	return after * (1.0 - jitter * ((double)random() / (double)RAND_MAX));
}

static void
timer_cb(struct ev_loop *ev, ev_timer *w, int revents)
{
	struct wp_timer *t = container_of(w, struct wp_timer, w);
	uint64_t t0 = mono_us();
	struct wp_cbstat *stat = t->stat;

	stat_late(stat, t->due_us, t0);
	/* A periodic timer is re-armed before the callback so the callback
	 * may stop or restart it. */
	if (t->w.repeat > 0.0 && t->jitter > 0.0) {
		t->w.repeat = jittered(t->interval, t->jitter);
		ev_timer_again(ev, &t->w);
	}
	if (t->w.repeat > 0.0)
		t->due_us = t0 + (uint64_t)(t->w.repeat * 1e6);
	/* The callback may free the owner of `t`: touch only locals after. */
	t->cb(t);
	stat_add(stat, t0);
}

void
wp_timer_init(struct wp_loop *loop, struct wp_timer *t, const char *name,
	      void (*cb)(struct wp_timer *t))
{
	memset(t, 0, sizeof(*t));
	ev_init(&t->w, timer_cb);
	t->loop = loop;
	t->cb = cb;
	t->stat = stat_get(loop, name);
}

void
wp_timer_start(struct wp_timer *t, double after, double jitter)
{
	ev_timer_stop(t->loop->ev, &t->w);
	t->interval = after;
	t->jitter = jitter;
	after = jittered(after, jitter);
	ev_timer_set(&t->w, after, 0.0);
	t->due_us = mono_us() + (uint64_t)(after * 1e6);
	ev_timer_start(t->loop->ev, &t->w);
}

void
wp_timer_start_periodic(struct wp_timer *t, double interval, double jitter)
{
	double first = jittered(interval, jitter);

	ev_timer_stop(t->loop->ev, &t->w);
	t->interval = interval;
	t->jitter = jitter;
	ev_timer_set(&t->w, first, first);
	t->due_us = mono_us() + (uint64_t)(first * 1e6);
	ev_timer_start(t->loop->ev, &t->w);
}

void
wp_timer_again(struct wp_timer *t, double timeout)
{
	t->interval = timeout;
	t->jitter = 0.0;
	t->w.repeat = timeout;
	t->due_us = mono_us() + (uint64_t)(timeout * 1e6);
	ev_timer_again(t->loop->ev, &t->w);
}

void
wp_timer_stop(struct wp_timer *t)
{
	if (t->loop)
		ev_timer_stop(t->loop->ev, &t->w);
}

/* libev's accessors take non-const watchers; they only read them here. */
static ev_timer *
timer_w(const struct wp_timer *t)
{
	return (ev_timer *)(uintptr_t)&t->w;
}

int
wp_timer_active(const struct wp_timer *t)
{
	/* libev stops a one-shot timer when it expires and only then
	 * queues its callback: inactive, but pending. */
	return ev_is_active(timer_w(t)) || ev_is_pending(timer_w(t));
}

double
wp_timer_remaining(const struct wp_timer *t)
{
	if (!ev_is_active(timer_w(t)))
		return 0.0;
	return ev_timer_remaining(t->loop->ev, timer_w(t));
}

/* File descriptors -------------------------------------------------- */

static void
io_cb(struct ev_loop *ev, ev_io *w, int revents)
{
	struct wp_io *io = container_of(w, struct wp_io, w);
	uint64_t t0 = mono_us();
	struct wp_cbstat *stat = io->stat;

	/* The callback may free the owner of `io`: touch only locals after. */
	io->cb(io, revents);
	stat_add(stat, t0);
}

void
wp_io_init(struct wp_loop *loop, struct wp_io *io, const char *name, int fd,
	   int events, void (*cb)(struct wp_io *io, int revents))
{
	memset(io, 0, sizeof(*io));
	ev_io_init(&io->w, io_cb, fd, events);
	io->loop = loop;
	io->cb = cb;
	io->stat = stat_get(loop, name);
}

void
wp_io_start(struct wp_io *io)
{
	ev_io_start(io->loop->ev, &io->w);
}

void
wp_io_stop(struct wp_io *io)
{
	if (io->loop)
		ev_io_stop(io->loop->ev, &io->w);
}

void
wp_io_set_events(struct wp_io *io, int events)
{
	int active = ev_is_active(&io->w);

	if ((io->w.events & (EV_READ | EV_WRITE)) == events)
		return;
	if (active)
		ev_io_stop(io->loop->ev, &io->w);
	ev_io_set(&io->w, io->w.fd, events);
	if (active)
		ev_io_start(io->loop->ev, &io->w);
}

int
wp_io_fd(const struct wp_io *io)
{
	return io->w.fd;
}

/* Statistics --------------------------------------------------------- */

void
wp_loop_stats_foreach(struct wp_loop *loop,
		      void (*fn)(const struct wp_cbstat *s, void *arg),
		      void *arg)
{
	for (struct wp_cbstat *s = loop->stats; s; s = s->next)
		fn(s, arg);
}

void
wp_loop_stats_clear(struct wp_loop *loop)
{
	for (struct wp_cbstat *s = loop->stats; s; s = s->next)
		s->calls = s->total_us = s->max_us = s->late_max_us =
			s->late_sum_us = s->late_10ms = 0;
}
