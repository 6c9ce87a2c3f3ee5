/* timefmt.c: RFC 3339 times; see timefmt.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

char *
timefmt_rfc3339(time_t t, char buf[TIMEFMT_SIZE])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, TIMEFMT_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)strlcpy(buf, "1970-01-01T00:00:00Z", TIMEFMT_SIZE);
	return buf;
}

/* n decimal digits at s, or -1. */
static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
timefmt_parse(const char *s, time_t *t)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	struct tm tm;
	int off = 0, oh, om;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	if ((tm.tm_year = num(s, 4)) < 1970 || (tm.tm_mon = num(s + 5, 2)) < 1 ||
	    tm.tm_mon > 12 || (tm.tm_mday = num(s + 8, 2)) < 1 ||
	    tm.tm_mday > mdays[tm.tm_mon - 1] ||
	    (tm.tm_hour = num(s + 11, 2)) < 0 || tm.tm_hour > 23 ||
	    (tm.tm_min = num(s + 14, 2)) < 0 || tm.tm_min > 59 ||
	    (tm.tm_sec = num(s + 17, 2)) < 0 || tm.tm_sec > 60)
		return -1;
	/* February has 29 days in leap years only. */
	if (tm.tm_mon == 2 && tm.tm_mday == 29 && !(tm.tm_year % 4 == 0 &&
	    (tm.tm_year % 100 != 0 || tm.tm_year % 400 == 0)))
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	s += 19;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
		off = 0;
	else if ((*s == '+' || *s == '-') && strlen(s) == 6 && s[3] == ':' &&
	    (oh = num(s + 1, 2)) >= 0 && oh < 24 &&
	    (om = num(s + 4, 2)) >= 0 && om < 60)
		off = (*s == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	else
		return -1;
	*t = timegm(&tm) - off;
	return 0;
}
