/*
 * outbox.h: messages hb owes a citizen (answers to keywords), queued
 * for hb-broadcast run to send.  Nothing is sent while a platform waits
 * for a webhook's answer.
 *
 * An outbox record: {"id", "kind" (welcome, goodbye, erased, help,
 * mydata), "text", "created", "due", "prio"}.  prio 0 goes before 1.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <time.h>

#include "store.h"

int	 outbox_queue(struct txn *, const char *id, const char *kind,
	    const char *text, int prio, time_t now);

#endif /* OUTBOX_H */
