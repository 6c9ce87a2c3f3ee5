/*
 * timefmt.h: times as hb prints and reads them, RFC 3339.
 *
 * hb prints UTC ("2026-11-28T20:56:01Z") and reads any offset.
 */
#ifndef TIMEFMT_H
#define TIMEFMT_H

#include <time.h>

#define TIMEFMT_SIZE	32

/* Format t as RFC 3339 in UTC into buf; returns buf. */
char	*timefmt_rfc3339(time_t t, char buf[TIMEFMT_SIZE]);
/* Parse RFC 3339 with Z or ±HH:MM (fractions of seconds ignored). */
int	 timefmt_parse(const char *s, time_t *t);

#endif /* TIMEFMT_H */
