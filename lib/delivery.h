/*
 * delivery.h: one announcement to one subscriber.
 *
 * A delivery (table deliveries, key: the broadcast's number, 8 bytes
 * big-endian, then the subscriber ID):
 *
 *   bc, id      the broadcast and the subscriber
 *   state       "sent", "delivered", "read" (receipt.h), "failed",
 *               "skipped", "deferred" or "pending"; "why" says why for
 *               the last four; "late" when a catch-up brought what was
 *               skipped for the window ("late_at")
 *   pid         the platform's id of the message, for receipts
 *   sent_at     when the platform accepted it; "parts": how many parts
 *   template    true when it goes as the WhatsApp template
 *   tries       failed attempts so far
 *   due, prio   while it is to be tried again (deliveries-due index;
 *               lease.h while a sender holds it)
 *
 * A record is written once a subscriber has an answer (or is skipped);
 * subscribers handed out of a broadcast and not yet answered have none
 * (dispatch.h).  This module alone writes the table and its keys.
 */
#ifndef DELIVERY_H
#define DELIVERY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "answer.h"
#include "store.h"

/* Has subscriber id a record of broadcast bc?  1 yes, 0 no, or error. */
int	 delivery_has(struct txn *, uint64_t bc, const char *id);
/* A final "skipped" record for id, with the reason why. */
int	 delivery_skip(struct txn *, uint64_t bc, const char *id,
	    const char *why);
/* A "deferred" record for id: not before until, for the reason why. */
int	 delivery_wait(struct txn *, uint64_t bc, const char *id,
	    const char *why, time_t until, int prio);
/*
 * How many broadcasts other than except reached id on the calendar day
 * `day' (calendar_day()), counting those that counts() says count.
 */
typedef int (*delivery_counts_fn)(uint64_t bc, void *arg);
int	 delivery_sent_on(struct txn *, const char *id, long day,
	    uint64_t except, delivery_counts_fn counts, void *arg, size_t *n);

/*
 * Claiming for hb-broadcast run: each due delivery of priority prio, up
 * to max, is offered to fn, which returns DELIVERY_TAKE (it goes out:
 * the record is leased), DELIVERY_SKIP (final, for the reason *why),
 * DELIVERY_DROP (its broadcast is gone), DELIVERY_WAIT, DELIVERY_LEAVE,
 * or -1.  rec is borrowed.
 */
#define DELIVERY_TAKE	0
#define DELIVERY_SKIP	1
#define DELIVERY_DROP	2
#define DELIVERY_WAIT	3	/* not before *until, for the reason *why */
#define DELIVERY_LEAVE	4	/* as it is, due, for a later claim */
typedef int (*delivery_claim_fn)(uint64_t bc, const char *id,
    const json_t *rec, const char **why, time_t *until, void *arg);
int	 delivery_claim(struct txn *, int prio, time_t now, size_t max,
	    delivery_claim_fn, void *arg, size_t *skipped);

/* What the broadcast's rules say for an answer to settle. */
struct delivery_rules {
	int	 prio;		/* of the broadcast: 0 for emergencies */
	int	 cancelled;	/* the broadcast was cancelled */
	int	 template_fits;	/* its text could go as the template */
};

/* How a delivery ended up, for hb-broadcast's report. */
enum delivery_end {
	DELIVERY_SENT,
	DELIVERY_SKIPPED,
	DELIVERY_FAILED,
	DELIVERY_DEFERRED,	/* tried again after a backoff */
	DELIVERY_PENDING	/* again at once, as the template */
};

/* Write what the answer a means for its delivery. */
int	 delivery_settle(struct txn *, const struct answer *a,
	    const struct delivery_rules *, enum delivery_end *);
/* After a crash: give back what a dead sender had claimed. */
int	 delivery_unlease(struct txn *);

/*
 * Open every failed delivery of broadcast bc again, due at now with
 * priority prio and its tries counted from 0 (hb-broadcast retry, after
 * a token was put right).  *n says how many.
 */
int	 delivery_retry(struct txn *, uint64_t bc, int prio, time_t now,
	    size_t *n);
/* Every delivery of broadcast bc, in ID order. */
int	 delivery_each_of_bc(struct txn *, uint64_t bc, store_each_fn,
	    void *arg);
/* The same, from the first ID after `after' (NULL: from the first). */
int	 delivery_each_of_bc_after(struct txn *, uint64_t bc,
	    const char *after, store_each_fn, void *arg);
/* What became of broadcast bc for id: a follow-up's question. */
enum delivery_reach {
	DELIVERY_REACHED,	/* sent, delivered or read */
	DELIVERY_MISSED,	/* failed, skipped, or no record */
	DELIVERY_OPEN		/* deferred or pending: not yet known */
};
int	 delivery_reach(struct txn *, uint64_t bc, const char *id,
	    enum delivery_reach *);
/* The same of a delivery record. */
enum delivery_reach delivery_reach_of(const json_t *rec);
/*
 * The broadcasts that skipped id for the reason why, by number, newest
 * first, appended to out (a catch-up's question).
 */
int	 delivery_skipped_for(struct txn *, const char *id, const char *why,
	    json_t *out);
/* How many deliveries wait to be tried again or are being sent. */
int	 delivery_count_open(struct txn *, size_t *n);
/* A catch-up brought broadcast bc to id, at `at': "late". */
int	 delivery_late(struct txn *, uint64_t bc, const char *id, time_t at);
/* Delete up to max deliveries of broadcast bc; *n says how many. */
int	 delivery_expire(struct txn *, uint64_t bc, size_t max, size_t *n);

/* A status notice (receipt.h): 0, or STORE_NOTFOUND. */
int	 delivery_receipt(struct txn *, const char *ref, const char *status,
	    time_t when);
int	 delivery_receipt_upto(struct txn *, const char *id,
	    time_t watermark, const char *status, time_t when);

/* A person's part (person.h): what the city sent them. */
int	 delivery_each_of(struct txn *, const char *id, store_each_fn,
	    void *arg);
int	 delivery_move(struct txn *, const char *old, const char *new);
int	 delivery_erase(struct txn *, const char *id, size_t *n);

#endif /* DELIVERY_H */
