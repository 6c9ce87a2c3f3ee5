/*
 * metrics.h: what monitoring wants to know of an installation, in
 * Prometheus' text format (hb-subscribe stats -P), for node_exporter's
 * textfile collector.
 *
 * Everything is read in one store session: the subscribers per channel
 * and state (an index count), one walk of the subscribers (topics, the
 * oldest unanswered conversation), the latest broadcast's deliveries,
 * the work waiting, and the time each channel's last webhook was
 * stored.  The store's size is the size of its files.
 */
#ifndef METRICS_H
#define METRICS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "bcast.h"
#include "conf.h"
#include "store.h"
#include "sub.h"

struct metrics {
	size_t	 subscribers[CHAN_COUNT][SUB_NSTATES];
	size_t	 topics[CONF_TOPICS_MAX + 1];	/* [ntopics]: none chosen */
	uint64_t broadcast;			/* the latest, or 0 */
	struct bcast_counts counts[CHAN_COUNT];	/* its deliveries */
	size_t	 open_deliveries, outbox;
	time_t	 last_inbound[CHAN_COUNT];	/* 0: never */
	time_t	 oldest_unanswered;		/* 0: none */
};

/* Read what the store says, in one transaction. */
int	 metrics_collect(struct txn *, const struct conf *, struct metrics *);
void	 metrics_release(struct metrics *);
/* Print them, with the store's size and now, in the text format. */
int	 metrics_print(FILE *, const struct conf *, const struct metrics *,
	    const char *home, time_t now);

#endif /* METRICS_H */
