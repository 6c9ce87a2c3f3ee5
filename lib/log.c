/* log.c: diagnostics on stderr and syslog; see log.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *progname = "hb";
static int level = LOG_LEVEL_NORMAL;
static int use_syslog;

void
log_init(const char *name)
{
	const char *slash;

	if (name != NULL && *name != '\0') {
		slash = strrchr(name, '/');
		progname = slash != NULL ? slash + 1 : name;
	}
}

void
log_set_level(int l)
{
	level = l;
}

void
log_use_syslog(int on)
{
	if (on && !use_syslog)
		openlog(progname, LOG_PID, LOG_DAEMON);
	use_syslog = on;
}

const char *
log_progname(void)
{
	return progname;
}

static void __attribute__((format(printf, 3, 0)))
vlog(int prio, const char *errstr, const char *fmt, va_list ap)
{
	char msg[1024];

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errstr != NULL)
		fprintf(stderr, "%s: %s: %s\n", progname, msg, errstr);
	else
		fprintf(stderr, "%s: %s\n", progname, msg);
	if (use_syslog) {
		if (errstr != NULL)
			syslog(prio, "%s: %s", msg, errstr);
		else
			syslog(prio, "%s", msg);
	}
}

int
log_error(const char *fmt, ...)
{
	const char *errstr = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, errstr, fmt, ap);
	va_end(ap);
	return -1;
}

int
log_errorx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_LEVEL_NORMAL)
		return;
	va_start(ap, fmt);
	vlog(LOG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_LEVEL_VERBOSE)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, NULL, fmt, ap);
	va_end(ap);
}

void
log_audit(const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	openlog(progname, LOG_PID, LOG_USER);
	syslog(LOG_NOTICE, "%s", msg);
	if (level >= LOG_LEVEL_VERBOSE)
		fprintf(stderr, "%s: %s\n", progname, msg);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, NULL, fmt, ap);
	va_end(ap);
}
