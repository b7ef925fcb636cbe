/*
 * wp_log.c: the one place that writes log lines.  A line is formatted once
 * into a stack buffer and then handed to each enabled target.  Messages
 * above the configured level are dropped before formatting.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>

#include "wp_log.h"

static const char *log_ident = "waypoint";
static unsigned int log_targets = WP_LOG_TO_STDERR;
static enum wp_log_level log_level = WP_LOG_INFO;
static FILE *log_file;
static char log_path[PATH_MAX];
static struct wp_debug *debugs;

static const struct {
	enum wp_log_level level;
	const char *name;
} level_names[] = {
	{ WP_LOG_ERR, "errors" },
	{ WP_LOG_WARNING, "warnings" },
	{ WP_LOG_NOTICE, "notifications" },
	{ WP_LOG_INFO, "informational" },
	{ WP_LOG_DEBUG, "debugging" },
};

void
wp_log_init(const char *ident)
{
	log_ident = ident;
	if (log_targets & WP_LOG_TO_SYSLOG) {
		closelog();
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

int
wp_log_set_targets(unsigned int targets, const char *path)
{
	if (targets & WP_LOG_TO_FILE) {
		FILE *f;

		if (path == NULL) {
			errno = EINVAL;
			return -1;
		}
		f = fopen(path, "a");
		if (f == NULL)
			return -1;
		setvbuf(f, NULL, _IOLBF, 0);
		if (log_file)
			fclose(log_file);
		log_file = f;
		snprintf(log_path, sizeof(log_path), "%s", path);
	} else if (log_file) {
		fclose(log_file);
		log_file = NULL;
		log_path[0] = '\0';
	}
	if ((targets & WP_LOG_TO_SYSLOG) && !(log_targets & WP_LOG_TO_SYSLOG))
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	if (!(targets & WP_LOG_TO_SYSLOG) && (log_targets & WP_LOG_TO_SYSLOG))
		closelog();
	log_targets = targets;
	return 0;
}

void
wp_log_set_level(enum wp_log_level max)
{
	log_level = max;
}

enum wp_log_level
wp_log_get_level(void)
{
	return log_level;
}

unsigned int
wp_log_get_targets(void)
{
	return log_targets;
}

const char *
wp_log_get_file(void)
{
	return log_path;
}

const char *
wp_log_level_name(enum wp_log_level level)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (level_names[i].level == level)
			return level_names[i].name;
	return "unknown";
}

int
wp_log_level_parse(const char *s, enum wp_log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		/* Accept unique prefixes as vtysh does: "warn", "debug". */
		if (strncasecmp(s, level_names[i].name, strlen(s)) == 0 &&
		    *s != '\0') {
			*out = level_names[i].level;
			return 0;
		}
	}
	return -1;
}

void
wp_log_close(void)
{
	if (log_targets & WP_LOG_TO_SYSLOG)
		closelog();
	if (log_file)
		fclose(log_file);
	log_file = NULL;
	log_path[0] = '\0';
	log_targets = WP_LOG_TO_STDERR;
}

static const char *
level_tag(enum wp_log_level level)
{
	switch (level) {
	case WP_LOG_ERR:
		return "error";
	case WP_LOG_WARNING:
		return "warning";
	case WP_LOG_NOTICE:
		return "notice";
	case WP_LOG_INFO:
		return "info";
	case WP_LOG_DEBUG:
		return "debug";
	}
	return "?";
}

static void
log_emit(enum wp_log_level level, const char *line)
{
	char ts[40] = "";

	if (log_targets & (WP_LOG_TO_STDERR | WP_LOG_TO_FILE)) {
		struct timeval tv;
		struct tm tm;

		gettimeofday(&tv, NULL);
		localtime_r(&tv.tv_sec, &tm);
		size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);

		snprintf(ts + n, sizeof(ts) - n, ".%03u",
			 (unsigned int)(tv.tv_usec / 1000) % 1000u);
	}
	if (log_targets & WP_LOG_TO_STDERR)
		fprintf(stderr, "%s %s[%d]: %s: %s\n", ts, log_ident,
			(int)getpid(), level_tag(level), line);
	if ((log_targets & WP_LOG_TO_FILE) && log_file)
		fprintf(log_file, "%s %s[%d]: %s: %s\n", ts, log_ident,
			(int)getpid(), level_tag(level), line);
	if (log_targets & WP_LOG_TO_SYSLOG)
		syslog((int)level, "%s", line);
}

void
wp_log_vmsg(enum wp_log_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level > log_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	log_emit(level, line);
}

void
wp_log_msg(enum wp_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wp_log_vmsg(level, fmt, ap);
	va_end(ap);
}

/* Format fmt, then append ": strerror(saved errno)". */
static void
log_verr(enum wp_log_level level, const char *fmt, va_list ap)
{
	int saved = errno;
	char msg[900];

	if (level > log_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	wp_log_msg(level, "%s: %s", msg, strerror(saved));
	errno = saved;
}

#define WP_LOG_FN(fnname, level, witherr)				\
	void								\
	fnname(const char *fmt, ...)					\
	{								\
		va_list ap;						\
									\
		va_start(ap, fmt);					\
		if (witherr)						\
			log_verr(level, fmt, ap);			\
		else							\
			wp_log_vmsg(level, fmt, ap);			\
		va_end(ap);						\
	}

WP_LOG_FN(wp_log_err, WP_LOG_ERR, 1)
WP_LOG_FN(wp_log_errx, WP_LOG_ERR, 0)
WP_LOG_FN(wp_log_warn, WP_LOG_WARNING, 1)
WP_LOG_FN(wp_log_warnx, WP_LOG_WARNING, 0)
WP_LOG_FN(wp_log_notice, WP_LOG_NOTICE, 0)
WP_LOG_FN(wp_log_info, WP_LOG_INFO, 0)
WP_LOG_FN(wp_log_debugx, WP_LOG_DEBUG, 0)

void
wp_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verr(WP_LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

void
wp_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wp_log_vmsg(WP_LOG_ERR, fmt, ap);
	va_end(ap);
	exit(1);
}

bool
wp_log_rl_allow(struct wp_log_rl *rl, enum wp_log_level level)
{
	time_t now = time(NULL);

	if (now == rl->window) {
		rl->suppressed++;
		return false;
	}
	if (rl->suppressed)
		wp_log_msg(level, "(%u similar messages suppressed)",
			   rl->suppressed);
	rl->window = now;
	rl->suppressed = 0;
	return true;
}

void
wp_debug_register(struct wp_debug *d)
{
	d->next = debugs;
	debugs = d;
}

struct wp_debug *
wp_debug_find(const char *name)
{
	for (struct wp_debug *d = debugs; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

int
wp_debug_set(const char *name, bool on)
{
	struct wp_debug *d;

	if (strcmp(name, "all") == 0) {
		for (d = debugs; d; d = d->next)
			d->on = on;
		return 0;
	}
	d = wp_debug_find(name);
	if (d == NULL)
		return -1;
	d->on = on;
	/* Debug lines are useless if the level filter drops them. */
	if (on && log_level < WP_LOG_DEBUG)
		log_level = WP_LOG_DEBUG;
	return 0;
}

void
wp_debug_foreach(void (*fn)(const struct wp_debug *d, void *arg), void *arg)
{
	for (struct wp_debug *d = debugs; d; d = d->next)
		fn(d, arg);
}
