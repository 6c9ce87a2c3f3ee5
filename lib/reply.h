/*
 * reply.h: the 1:1 chat between a citizen and the city (hb-reply).
 *
 * A conversation is the person's records in the messages table, in the
 * order they were stored (the messages-person index), both directions:
 * "in" as hb-ingest stored them, "out" as hb-reply sends them, with
 * "operator" (the login name) and "operator_name" (hb-reply -u),
 * "state" (sending, sent, delivered, read, queued, failed)
 * and "pid".  A chat message (no keyword) sets the subscriber's
 * "unanswered" to its time; an answer or hb-reply done clears it, and
 * the inbox is the people who have it.
 */
#ifndef REPLY_H
#define REPLY_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "conf.h"
#include "media.h"
#include "platform.h"
#include "store.h"

#define REPLY_WINDOW	30	/* the platform's window is closed: see why */

/* The open conversations, oldest first: id, channel, name, since, first
 * line of the oldest unanswered message. */
int	 reply_inbox(struct txn *, json_t *out);
/* Every message of id, in order, exported (times as RFC 3339). */
int	 reply_conversation(struct txn *, const char *id, json_t *out);
/* Mark id's conversation handled.  STORE_NOTFOUND if there is no id. */
int	 reply_done(struct txn *, const char *id);

/*
 * Check the window and store an answer to id as "sending": *seq is its
 * number, *kind how it may go.  REPLY_WINDOW with a reason in why.
 */
int	 reply_prepare(struct txn *, const struct conf *, const char *id,
	    const char *text, const char *operator, const char *operator_name,
	    int flags, time_t now,
	    uint64_t *seq, enum platform_kind *kind, char *why, size_t whysz);
/* The answer seq carries m: its type, and m's name, MIME type, size. */
int	 reply_attach(struct txn *, uint64_t seq, const struct media *m);
/*
 * The picture or document (msg.h's "media") of message seq of id's
 * conversation, a new reference in *media: 0, STORE_NOTFOUND (no such
 * message of id's), or REPLY_NOMEDIA.
 */
#define REPLY_NOMEDIA	31
int	 reply_media(struct txn *, const char *id, uint64_t seq,
	    json_t **media);
/*
 * reply_prepare()'s flags: an automatic answer leaves the conversation
 * open, so that a person still answers what came in at night.
 */
#define REPLY_KEEP_OPEN	0x1
/*
 * Record how the answer went: sent (with pid), failed for good, or
 * queued in the outbox for hb-broadcast run, to go as kind (a reply
 * with Messenger's HUMAN_AGENT tag must keep it).
 */
int	 reply_result(struct txn *, uint64_t seq, const char *state,
	    const char *pid, const char *why, enum platform_kind kind,
	    time_t now);

/* Inbound messages after seq, oldest first, as events, at most max. */
int	 reply_follow(struct txn *, uint64_t after, size_t max, json_t *out);

#endif /* REPLY_H */
