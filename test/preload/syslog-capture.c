/*
 * syslog-capture: what hb's programs send to syslog, in a file, for
 * the tests to read (test-lib.sh preloads it in every test).  Each
 * message is one line of $HB_TEST_SYSLOG, "ident: message"; without
 * the variable the messages go nowhere.  Syslog must never hold a
 * citizen's ID, and test_done checks that it does not.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static char ident[64] = "?";

void
openlog(const char *id, int option, int facility)
{
	(void)option;
	(void)facility;
	(void)snprintf(ident, sizeof(ident), "%s", id != NULL ? id : "?");
}

void
closelog(void)
{
}

void
vsyslog(int pri, const char *fmt, va_list ap)
{
	const char *path = getenv("HB_TEST_SYSLOG");
	char line[4096];
	int fd, n, m;

	(void)pri;
	if (path == NULL || *path == '\0')
		return;
	n = snprintf(line, sizeof(line), "%s: ", ident);
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (m < 0)
		return;
	n += (size_t)m < sizeof(line) - n - 1 ? m : (int)sizeof(line) - n - 2;
	line[n++] = '\n';
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1)
		return;
	(void)write(fd, line, n);
	(void)close(fd);
}

void
syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(pri, fmt, ap);
	va_end(ap);
}

/* What glibc calls instead with _FORTIFY_SOURCE. */
void
__vsyslog_chk(int pri, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	vsyslog(pri, fmt, ap);
}

void
__syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	vsyslog(pri, fmt, ap);
	va_end(ap);
}
