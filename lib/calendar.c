/* calendar.c: local days and quiet hours; see calendar.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "timefmt.h"

void
calendar_init(const struct conf *conf)
{
	(void)setenv("TZ", conf->timezone, 1);
	tzset();
}

long
calendar_day(time_t t)
{
	struct tm tm;

	(void)localtime_r(&t, &tm);
	return (tm.tm_year + 1900L) * 10000 + (tm.tm_mon + 1) * 100 +
	    tm.tm_mday;
}

/* The local time on t's day (plus days) at minute m after midnight. */
static time_t
day_at(time_t t, int days, int m)
{
	struct tm tm;

	(void)localtime_r(&t, &tm);
	tm.tm_mday += days;
	tm.tm_hour = m / 60;
	tm.tm_min = m % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

time_t
calendar_next_day(time_t t)
{
	return day_at(t, 1, 0);
}

int
calendar_quiet(const struct conf *conf, time_t t, time_t *end)
{
	int s = conf->quiet_start, e = conf->quiet_end, m;
	struct tm tm;

	if (s < 0 || e < 0 || s == e)
		return 0;
	(void)localtime_r(&t, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	if (s < e ? (m >= s && m < e) : (m >= s || m < e)) {
		/* Overnight quiet hours end tomorrow when begun today. */
		*end = day_at(t, m >= e ? 1 : 0, e);
		return 1;
	}
	return 0;
}

int
calendar_parse(const char *s, time_t *t)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (strlen(s) == 16 && (s[10] == 'T' || s[10] == ' ')) {
		end = strptime(s, s[10] == 'T' ? "%Y-%m-%dT%H:%M" :
		    "%Y-%m-%d %H:%M", &tm);
		if (end == NULL || *end != '\0')
			return -1;
		tm.tm_isdst = -1;
		*t = mktime(&tm);
		return *t == (time_t)-1 ? -1 : 0;
	}
	return timefmt_parse(s, t);
}

char *
calendar_format(time_t t, char buf[32])
{
	struct tm tm;

	(void)localtime_r(&t, &tm);
	if (strftime(buf, 32, "%Y-%m-%d %H:%M", &tm) == 0)
		(void)strlcpy(buf, "?", 32);
	return buf;
}
