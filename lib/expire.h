/*
 * expire.h: retention (hb-purge expire), as hb.conf sets it:
 *
 *   retain_messages   conversation messages older than that many days
 *   retain_receipts   per-person delivery and read records of broadcasts
 *                     older than that; the broadcast keeps its counts
 *   retain_stopped    stopped and unreachable subscribers whose state
 *                     changed longer ago, with all that is theirs
 *
 * 0 keeps for ever.  The work goes in batches, a store session each.
 */
#ifndef EXPIRE_H
#define EXPIRE_H

#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "store.h"

struct expire_report {
	size_t	 messages, deliveries, subscribers, broadcasts;
};

int	 expire_run(const struct store_opts *, const struct conf *, time_t now,
	    struct expire_report *);

#endif /* EXPIRE_H */
