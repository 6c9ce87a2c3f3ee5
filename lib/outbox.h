/*
 * outbox.h: messages hb owes a citizen (answers to keywords, answers
 * of hb-reply that could not go at once), queued for hb-broadcast run
 * to send.  Nothing is sent while a platform waits for a webhook's
 * answer.
 *
 * An outbox entry (table outbox, key: its number, 8 bytes big-endian,
 * from seq.outbox): {"id", "kind" (welcome, goodbye, erased, help,
 * mydata, reply, or reply.human_agent for an answer that goes with
 * Messenger's HUMAN_AGENT tag), "text", "created", "due", "prio",
 * "tries"}, and for a reply of hb-reply "msg", its message's number.  prio 0 goes before 1.
 * This module alone writes the table and its indexes' keys.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "answer.h"
#include "store.h"

int	 outbox_queue(struct txn *, const char *id, const char *kind,
	    const char *text, int prio, time_t now, uint64_t msg);
/* Is entry seq still there?  1 yes, 0 no (sent, or erased), or error. */
int	 outbox_has(struct txn *, uint64_t seq);

/*
 * Claiming for hb-broadcast run: each due entry of priority prio, up to
 * max, is offered to fn (its number, subscriber, text and failed tries)
 * and leased (lease.h) once fn has taken it; a damaged entry is dropped.
 */
typedef void (*outbox_claim_fn)(uint64_t seq, const char *id,
    const char *text, enum platform_kind, int tries, void *arg);
int	 outbox_claim(struct txn *, int prio, time_t now, size_t max,
	    outbox_claim_fn, void *arg, size_t *claimed);
/*
 * Settle the answer to a claimed entry: tried again later while that
 * is worth it, else gone (and a reply's message says how it went).
 */
int	 outbox_settle(struct txn *, const struct answer *);
/* After a crash: give back what a dead sender had claimed. */
int	 outbox_unlease(struct txn *);

/* A person's part (person.h): what the outbox holds for them. */
/* How many answers wait to be sent. */
int	 outbox_count(struct txn *, size_t *n);
int	 outbox_each_of(struct txn *, const char *id, store_each_fn,
	    void *arg);
int	 outbox_move(struct txn *, const char *old, const char *new);
int	 outbox_erase(struct txn *, const char *id, size_t *n);

#endif /* OUTBOX_H */
