/*
 * receipt.h: what the platforms report of the city's messages (sent,
 * delivered, read, failed), applied to the records of the two tables
 * that hold them: deliveries of announcements and answers in a
 * conversation.  Each owner passes its own index.
 *
 * Notices arrive out of order and twice, so a record only ever moves
 * forward: sent, delivered, read; "failed" is final.  A record gets
 * "state" and "STATE_at", the notice's time.
 */
#ifndef RECEIPT_H
#define RECEIPT_H

#include <time.h>

#include <jansson.h>

#include "store.h"

/* Move rec on to status at when.  1 if it changed. */
int	 receipt_advance(json_t *rec, const char *status, time_t when);
/* The record that the platform-id index ix finds for ref: 0, NOTFOUND. */
int	 receipt_by_ref(struct txn *, enum store_index, const char *ref,
	    const char *status, time_t when);
/*
 * A watermark (Messenger, Instagram): every record that the person index
 * ix finds for id and that went out by watermark.
 */
int	 receipt_upto(struct txn *, enum store_index, const char *id,
	    time_t watermark, const char *status, time_t when);

#endif /* RECEIPT_H */
