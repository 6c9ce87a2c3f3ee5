/*
 * dispatch.h: sending what is due -- hb-broadcast's send and run.
 *
 * One sender at a time (the "send.lock" file in the store directory),
 * working in rounds, each round one short store session:
 *
 *   1. commit the answers that came since the last round (they are in
 *      the journal already, see journal.h), then empty the journal;
 *   2. claim more work, in this order: the outbox (hb-ingest's answers),
 *      deliveries due again (deferred ones), and subscribers not yet
 *      handed out of broadcasts that are due, emergencies first;
 *   3. close the store and send, until answers pile up or work runs low.
 *
 * No HTTP request is made while the store is open, so webhooks get the
 * store between rounds.  A sender that starts after a crash first
 * commits the journal, gives back the work the dead one had claimed
 * (lease.h), and hands out again the subscribers it had handed out
 * without an answer, who have no delivery record yet (bcrun.h).
 */
#ifndef DISPATCH_H
#define DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "store.h"

struct dispatch_opts {
	int	 progress;	/* a progress line on stderr */
	int	 wait;		/* wait for a running sender (else: done) */
};

struct dispatch_report {
	size_t	 sent, failed, skipped, deferred;
	int	 busy;		/* another sender was running */
	int	 halted;	/* a channel stopped: token, account */
	size_t	 stopped;	/* SIGTERM or SIGINT stopped the run: 1 +
				   the jobs left for the next run */
};

/* 0, or -1 / STORE_BUSY after a message. */
int	 dispatch_run(const struct conf *, const struct store_opts *,
	    const struct dispatch_opts *, struct dispatch_report *);

#endif /* DISPATCH_H */
