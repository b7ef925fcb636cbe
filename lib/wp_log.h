/*
 * wp_log: logging with levels, targets, rate limiting and debug flags.
 *
 * Levels follow syslog (err, warning, notice, info, debug).  `*_warn` and
 * `wp_log_err` append strerror(errno); the `x` variants do not (OpenBSD
 * log.c convention).  Output goes to any of stderr, syslog and a file.
 *
 * Rate limiting is per call site: wp_log_warnx_rl() logs at most one line a
 * second from that line of code and then says how many it suppressed.
 *
 * Debug flags are per subsystem and checked before the message is
 * formatted:
 *	WP_DEBUG_DEFINE(DBG_IPC, "ipc");		in one .c file
 *	wp_debug(DBG_IPC, "sent %zu bytes", n);
 *	wp_debug_set("ipc", true);			from `debug ipc`
 */
#ifndef WP_LOG_H
#define WP_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>
#include <time.h>

enum wp_log_level {
	WP_LOG_ERR = LOG_ERR,
	WP_LOG_WARNING = LOG_WARNING,
	WP_LOG_NOTICE = LOG_NOTICE,
	WP_LOG_INFO = LOG_INFO,
	WP_LOG_DEBUG = LOG_DEBUG,
};

enum wp_log_target {
	WP_LOG_TO_STDERR = 1 << 0,
	WP_LOG_TO_SYSLOG = 1 << 1,
	WP_LOG_TO_FILE = 1 << 2,
};

/* Set the program name shown in each line; opens syslog with it. */
void wp_log_init(const char *ident);
/* Targets are a mask of wp_log_target; `path` for WP_LOG_TO_FILE. */
int wp_log_set_targets(unsigned int targets, const char *path);
void wp_log_set_level(enum wp_log_level max);
enum wp_log_level wp_log_get_level(void);
/* Current target mask, and the log file path ("" if none). */
unsigned int wp_log_get_targets(void);
const char *wp_log_get_file(void);
int wp_log_level_parse(const char *s, enum wp_log_level *out);
const char *wp_log_level_name(enum wp_log_level level);
void wp_log_close(void);

void wp_log_vmsg(enum wp_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void wp_log_msg(enum wp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void wp_log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wp_log_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wp_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wp_log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wp_log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wp_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void wp_log_debugx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Start-up failures and broken invariants only: log and exit(1). */
void wp_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
void wp_fatalx(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* --- rate limiting ---------------------------------------------------- */
struct wp_log_rl {
	time_t window;		/* second of the last line logged */
	unsigned int suppressed;
};

/* True if the caller may log now; prints the suppressed count first. */
bool wp_log_rl_allow(struct wp_log_rl *rl, enum wp_log_level level);

#define wp_log_warnx_rl(...)						\
	do {								\
		static struct wp_log_rl wp_rl_;				\
		if (wp_log_rl_allow(&wp_rl_, WP_LOG_WARNING))		\
			wp_log_warnx(__VA_ARGS__);			\
	} while (0)
#define wp_log_errx_rl(...)						\
	do {								\
		static struct wp_log_rl wp_rl_;				\
		if (wp_log_rl_allow(&wp_rl_, WP_LOG_ERR))		\
			wp_log_errx(__VA_ARGS__);			\
	} while (0)

/* --- debug flags ------------------------------------------------------ */
struct wp_debug {
	struct wp_debug *next;
	const char *name;
	bool on;
};

#define WP_DEBUG_DEFINE(sym, nm)					\
	struct wp_debug sym[1] = { { .name = (nm) } };			\
	static void __attribute__((constructor))			\
	wp_debug_register_##sym(void)					\
	{								\
		wp_debug_register(sym);					\
	}
#define WP_DEBUG_DECLARE(sym) extern struct wp_debug sym[1]

#define wp_debug(flag, ...)						\
	do {								\
		if ((flag)->on)						\
			wp_log_msg(WP_LOG_DEBUG, __VA_ARGS__);		\
	} while (0)

void wp_debug_register(struct wp_debug *d);
/* Set one flag by name, or all with "all"; -1 if no such flag. */
int wp_debug_set(const char *name, bool on);
struct wp_debug *wp_debug_find(const char *name);
void wp_debug_foreach(void (*fn)(const struct wp_debug *d, void *arg),
		      void *arg);

#endif /* WP_LOG_H */
