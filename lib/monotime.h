/*
 * monotime.h: seconds on the monotonic clock, for pacing and intervals
 * that a change of the wall clock must not stretch.
 */
#ifndef MONOTIME_H
#define MONOTIME_H

#include <time.h>

static inline double
monotime_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif /* MONOTIME_H */
