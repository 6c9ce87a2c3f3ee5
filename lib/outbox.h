/*
 * outbox.h: messages hb owes a citizen (answers to keywords), queued
 * for hb-broadcast run to send.  Nothing is sent while a platform waits
 * for a webhook's answer.
 *
 * An outbox record: {"id", "kind" (welcome, goodbye, erased, help,
 * mydata, reply), "text", "created", "due", "prio"}, and for a reply of
 * hb-reply that could not go at once "msg", its message's number.  prio
 * 0 goes before 1.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stdint.h>
#include <time.h>

#include "store.h"

int	 outbox_queue(struct txn *, const char *id, const char *kind,
	    const char *text, int prio, time_t now, uint64_t msg);

#endif /* OUTBOX_H */
