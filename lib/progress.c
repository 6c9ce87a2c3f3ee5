/* progress.c: a foreground send's progress; see progress.h. */
#include <string.h>

#include "progress.h"

void
progress_init(struct progress *p, double now)
{
	memset(p, 0, sizeof(*p));
	p->window = now;
}

void
progress_expect(struct progress *p, enum chan c, size_t n)
{
	p->total[c] += n;
}

void
progress_count(struct progress *p, enum chan c)
{
	p->done[c]++;
	if (p->done[c] > p->total[c])
		p->total[c] = p->done[c];
}

/*
 * The time `left' messages take at rate a second: "1:05" for 65 seconds,
 * "0:00" when nothing is left, "-" when there is no rate to tell by.
 */
static void
time_left(size_t left, double rate, char *buf, size_t size)
{
	long s;

	if (left > 0 && rate <= 0) {
		(void)snprintf(buf, size, "-");
		return;
	}
	s = left == 0 ? 0 : (long)((double)left / rate + 0.5);
	if (s >= 3600)
		(void)snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600,
		    s / 60 % 60, s % 60);
	else
		(void)snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

void
progress_show(struct progress *p, FILE *fp, double now, int last)
{
	double elapsed = now - p->window;
	char left[32];
	int c;

	if (!last && now - p->shown < 0.5)
		return;
	p->shown = now;
	/* The rate over the window so far, once it is a second long. */
	for (c = 0; c < CHAN_COUNT && elapsed >= 1; c++) {
		p->rate[c] = (double)(p->done[c] - p->before[c]) / elapsed;
		if (elapsed >= PROGRESS_WINDOW)
			p->before[c] = p->done[c];
	}
	if (elapsed >= PROGRESS_WINDOW)
		p->window = now;
	fputc('\r', fp);
	for (c = 0; c < CHAN_COUNT; c++) {
		if (p->total[c] == 0)
			continue;
		time_left(p->total[c] - p->done[c], p->rate[c], left,
		    sizeof(left));
		fprintf(fp, "%s %zu/%zu %.0f/s %s left  ", chan_name(c),
		    p->done[c], p->total[c], p->rate[c], left);
	}
	/* Erase what a longer line before left. */
	fputs(last ? "\033[K\n" : "\033[K", fp);
	fflush(fp);
}
