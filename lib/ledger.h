/*
 * ledger.h: the erasure ledger, who asked to be forgotten.
 *
 * An entry (table ledger) is keyed by an HMAC-SHA256 of the ID under a
 * key kept in the store directory (ledger.key), never the ID itself, so
 * that imports and exports can be checked against it while the ledger
 * names nobody without the key.  Its value holds the erasure's time.
 * This module alone writes the table.
 */
#ifndef LEDGER_H
#define LEDGER_H

#include <time.h>

#include "store.h"

/* Put id on the ledger, erased at now. */
int	 ledger_add(struct txn *, const char *id, time_t now);
/* Is id on the ledger?  0 no, 1 yes, or an error. */
int	 ledger_has(struct txn *, const char *id);

#endif /* LEDGER_H */
