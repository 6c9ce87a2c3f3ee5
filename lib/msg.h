/*
 * msg.h: messages, both directions of every conversation.
 *
 * A message (table messages, key: its number, 8 bytes big-endian, from
 * the counter seq.messages, so the table is in the order they came):
 *
 *   seq         its number (hb-reply follow -s)
 *   id          the subscriber
 *   dir         "in" from the citizen, "out" from the city
 *   type        text, image, button, postback, reaction...
 *   text        what they wrote, or the answer; "payload": a button's
 *   media       a picture's or document's platform reference, MIME
 *               type, size, name (inbound.h); "location", "contact"
 *               likewise; an answer's attachment: its "media" name
 *   time        when it was written; "stored": when hb stored it
 *   pid         the platform's id: a retry is recognised by it
 *   keyword     the intent of a keyword message
 *   edited      true for an edit of an earlier message
 *   operator    who answered (out); "state", "sent_at"... as receipt.h
 *
 * This module alone writes the table and its indexes' keys.
 */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "store.h"

/* Number m (a new object) and store it; *seq is its number. */
int	 msg_add(struct txn *, json_t *m, uint64_t *seq);
int	 msg_get(struct txn *, uint64_t seq, json_t **m);
int	 msg_put(struct txn *, uint64_t seq, json_t *m);
/*
 * How an answer of the city went: state (sent, failed, queued...), the
 * platform's id once sent (then "sent_at" is now), and why it did not go.
 * STORE_NOTFOUND if the message is gone (erased meanwhile).
 */
int	 msg_outcome(struct txn *, uint64_t seq, const char *state,
	    const char *pid, const char *why, time_t now);
/*
 * The citizen deleted the message with the platform id pid: its text,
 * payload, caption and attachment go, "deleted" is set.  0, or STORE_NOTFOUND.
 */
int	 msg_withdraw(struct txn *, const char *pid, time_t when);
/* Is a message with the platform id pid stored?  1 yes, 0 no, or error. */
int	 msg_has_pid(struct txn *, const char *pid);
/* A status notice (receipt.h) of an answer: 0 or STORE_NOTFOUND. */
int	 msg_receipt(struct txn *, const char *ref, const char *status,
	    time_t when);
int	 msg_receipt_upto(struct txn *, const char *id, time_t watermark,
	    const char *status, time_t when);
/* The messages after number seq, in order. */
int	 msg_each_after(struct txn *, uint64_t seq, store_each_fn, void *arg);
/* Delete up to max messages stored before `before', oldest first. */
int	 msg_expire(struct txn *, time_t before, size_t max, size_t *n);

/* A person's part (person.h): their conversation. */
int	 msg_each_of(struct txn *, const char *id, store_each_fn, void *arg);
int	 msg_move(struct txn *, const char *old, const char *new);
int	 msg_erase(struct txn *, const char *id, size_t *n);

#endif /* MSG_H */
