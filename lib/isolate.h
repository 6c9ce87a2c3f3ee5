/*
 * isolate.h: commit the parts of a batch (webhook bodies, input documents)
 * so that one part the store cannot take keeps no other out.
 *
 * All parts go in one transaction, as a rule.  When that fails, each
 * half is tried in one of its own, and so on down to single parts: one
 * bad part costs about 2 log2(n) transactions, and every other part is
 * committed.  A failure of the store itself (a full disk, an I/O error,
 * see store_failing()) stops the splitting at once: no part would fare
 * better, and each try would only add a message.
 */
#ifndef ISOLATE_H
#define ISOLATE_H

#include <stddef.h>

#include <jansson.h>

#include "store.h"

/*
 * Apply parts [lo, hi) in tx, appending the events that happened to out
 * (which starts empty on every try).
 */
typedef int (*isolate_fn)(struct txn *, size_t lo, size_t hi, json_t *out,
    void *arg);

/* What became of a part. */
enum part {
	PART_WAITING,		/* not committed: the store failed */
	PART_COMMITTED,
	PART_REFUSED		/* failed alone, the store sound */
};

/*
 * Commit parts [0, n) with fn, setting part[i] for each, and append the
 * events of each committed transaction to events, in order.  0 when
 * every part was committed or refused; the store's error when it
 * failed, with those parts it had not yet committed left waiting.
 */
int	 isolate_commit(struct store *, size_t n, isolate_fn, void *arg,
	    enum part *part, json_t *events);

#endif /* ISOLATE_H */
