/*
 * calendar.h: the city's clock: calendar days and quiet hours in the
 * configured time zone (hb.conf's timezone), for hb-broadcast's rules.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <time.h>

#include "conf.h"

/* Use the configuration's time zone from now on (sets TZ). */
void	 calendar_init(const struct conf *);
/* The local calendar day of t as YYYYMMDD. */
long	 calendar_day(time_t t);
/* The first second of the local day after t's. */
time_t	 calendar_next_day(time_t t);
/* Whether t falls in the quiet hours; if so, *end is when they end. */
int	 calendar_quiet(const struct conf *, time_t t, time_t *end);
/*
 * A time as -a takes it: "YYYY-MM-DDTHH:MM" or "YYYY-MM-DD HH:MM" in
 * the local zone, or RFC 3339 with an offset.  0 or -1.
 */
int	 calendar_parse(const char *s, time_t *t);
/* t as "YYYY-MM-DD HH:MM" in the local zone. */
char	*calendar_format(time_t t, char buf[32]);

#endif /* CALENDAR_H */
