/*
 * progress.h: how far a foreground send has come, per channel, on a
 * terminal: what was answered of what there is to send, the rate over
 * the last seconds, and the time left at that rate.
 */
#ifndef PROGRESS_H
#define PROGRESS_H

#include <stddef.h>
#include <stdio.h>

#include "chan.h"

#define PROGRESS_WINDOW	5.0	/* seconds the rate is measured over */

struct progress {
	size_t	 total[CHAN_COUNT];	/* to send, as far as known */
	size_t	 done[CHAN_COUNT];	/* answered */
	size_t	 before[CHAN_COUNT];	/* answered when the window began */
	double	 rate[CHAN_COUNT];	/* per second, over the last window */
	double	 window;		/* when it began */
	double	 shown;			/* when the line was last drawn */
};

void	 progress_init(struct progress *, double now);
/* n more to send on channel c. */
void	 progress_expect(struct progress *, enum chan c, size_t n);
/* One more answered on channel c. */
void	 progress_count(struct progress *, enum chan c);
/* Draw the line on fp, at most twice a second; the last one ends it. */
void	 progress_show(struct progress *, FILE *fp, double now, int last);

#endif /* PROGRESS_H */
