/*
 * lease.h: work that is being sent, in the due indexes of the outbox
 * and the deliveries.
 *
 * Claimed work leaves its place in the due index while it is being sent
 * (priority LEASE_PRIO, the old one kept as "p"), so that the next round
 * does not claim it again; a sender that dies leaves it there for the
 * next one to give back (lease_return_all).  A try that fails comes back
 * after a backoff, up to LEASE_MAX_TRIES tries.
 */
#ifndef LEASE_H
#define LEASE_H

#include <time.h>

#include <jansson.h>

#include "store.h"

#define LEASE_PRIO	9	/* due-index priority of claimed work */
#define LEASE_MAX_TRIES	10	/* then it has failed */

void	 lease_take(json_t *rec);
void	 lease_return(json_t *rec);
/* Seconds to wait after tries failed tries: 30 s doubling to an hour. */
long	 lease_backoff(int tries);
/* Open again at due with priority prio, in state, for the reason why. */
void	 lease_reopen(json_t *rec, const char *state, const char *why,
	    time_t due, int prio);
/* Final: out of the due index, in state (why, if not NULL). */
void	 lease_close(json_t *rec, const char *state, const char *why);
/* After a crash: give back every lease of the due index ix. */
int	 lease_return_all(struct txn *, enum store_index ix,
	    enum store_table);

#endif /* LEASE_H */
