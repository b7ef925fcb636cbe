/*
 * wp_loop: the libev glue every daemon runs on.
 *
 * One loop per daemon, passed explicitly.  Watchers are embedded in the
 * object that owns them; callbacks get the wp_* watcher back and recover
 * their owner with container_of():
 *
 *	struct bfd_session { ...; struct wp_timer tx_timer; };
 *	static void tx_cb(struct wp_timer *t) {
 *		struct bfd_session *s = container_of(t, struct bfd_session, tx_timer);
 *	}
 *	wp_timer_init(loop, &s->tx_timer, "bfd tx", tx_cb);
 *	wp_timer_start(&s->tx_timer, 0.3, 0.25);	// 300 ms, -25% jitter
 *
 * Every callback is timed: each watcher names a statistics slot (shared by
 * name, so all "bfd tx" timers add to one line) holding the call count,
 * total and maximum run time: the data of `show event-loop`.
 *
 * Signals: SIGTERM/SIGINT run the shutdown hook (default: break the loop),
 * SIGHUP the reload hook.  SIGPIPE is ignored: writers see EPIPE.
 */
#ifndef WP_LOOP_H
#define WP_LOOP_H

#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#ifndef container_of
#define container_of(ptr, type, member)					\
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

struct wp_loop;

/* Run-time statistics of one named callback kind. */
struct wp_cbstat {
	struct wp_cbstat *next;
	char *name;
	uint64_t calls;
	uint64_t total_us;
	uint64_t max_us;
	/* Timers: how long after its due time the callback ran (the loop
	 * was busy, or the process was not scheduled). */
	uint64_t late_max_us;
	uint64_t late_sum_us;
	uint64_t late_10ms;	/* callbacks more than 10 ms late */
};

struct wp_timer {
	ev_timer w;
	struct wp_loop *loop;
	struct wp_cbstat *stat;
	void (*cb)(struct wp_timer *t);
	double interval;	/* last requested interval, before jitter */
	double jitter;		/* fraction subtracted at random, 0..1 */
	uint64_t due_us;	/* CLOCK_MONOTONIC, for the lateness figures */
};

struct wp_io {
	ev_io w;
	struct wp_loop *loop;
	struct wp_cbstat *stat;
	void (*cb)(struct wp_io *io, int revents);
};

struct wp_loop *wp_loop_new(void);
void wp_loop_free(struct wp_loop *loop);
struct ev_loop *wp_loop_ev(struct wp_loop *loop);
/* Run until wp_loop_break() or no active watchers; returns 0. */
int wp_loop_run(struct wp_loop *loop);
void wp_loop_break(struct wp_loop *loop);
/* Seconds since the epoch, as cached by the loop for this iteration. */
double wp_loop_now(struct wp_loop *loop);
/* Monotonic seconds, fresh. */
double wp_monotime(void);

/* Hooks; NULL restores the default (shutdown: break; reload: log). */
void wp_loop_on_shutdown(struct wp_loop *loop,
			 void (*fn)(struct wp_loop *loop, void *arg), void *arg);
void wp_loop_on_reload(struct wp_loop *loop,
		       void (*fn)(struct wp_loop *loop, void *arg), void *arg);

/* Timers ------------------------------------------------------------- */
void wp_timer_init(struct wp_loop *loop, struct wp_timer *t, const char *name,
		   void (*cb)(struct wp_timer *t));
/*
 * Start one-shot after `after` seconds minus a random 0..jitter fraction
 * (RFC 5880 §6.8.7, RFC 2328 style jitter: never later than asked).
 * Restarts the timer if it was running.
 */
void wp_timer_start(struct wp_timer *t, double after, double jitter);
/* Periodic: re-armed with fresh jitter before each callback. */
void wp_timer_start_periodic(struct wp_timer *t, double interval,
			     double jitter);
/*
 * Hold/dead timer idiom (libev "be smart about timeouts"): set the
 * timeout once, then call wp_timer_again() on each refresh; cheap.
 */
void wp_timer_again(struct wp_timer *t, double timeout);
void wp_timer_stop(struct wp_timer *t);
/*
 * True while the callback is still to come: the timer is armed, or it
 * has expired and its callback is queued for this loop iteration (libev
 * runs a higher-priority watcher's callback first).  "Start it unless it
 * is running" must not restart a queued timer: that would cancel the
 * callback and push it a whole interval back.
 */
int wp_timer_active(const struct wp_timer *t);
/* Seconds until the timer fires, 0 if not armed or already expired. */
double wp_timer_remaining(const struct wp_timer *t);

/* File descriptors -------------------------------------------------- */
void wp_io_init(struct wp_loop *loop, struct wp_io *io, const char *name,
		int fd, int events, void (*cb)(struct wp_io *io, int revents));
void wp_io_start(struct wp_io *io);
void wp_io_stop(struct wp_io *io);
/* Change the event mask (EV_READ|EV_WRITE), restarting if active. */
void wp_io_set_events(struct wp_io *io, int events);
int wp_io_fd(const struct wp_io *io);

/* Statistics --------------------------------------------------------- */
void wp_loop_stats_foreach(struct wp_loop *loop,
			   void (*fn)(const struct wp_cbstat *s, void *arg),
			   void *arg);
void wp_loop_stats_clear(struct wp_loop *loop);

#endif /* WP_LOOP_H */
