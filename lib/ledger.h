/*
 * ledger.h: the erasure ledger, who asked to be forgotten.
 *
 * An entry (table ledger) is keyed by an HMAC-SHA256 of the ID under a
 * key kept in the store directory (ledger.key), never the ID itself, so
 * that imports and exports can be checked against it while the ledger
 * names nobody without the key.  Its value holds the erasure's time:
 * what is dated before it belongs to the person who was erased, what
 * comes after (their own new Start) to a person who came back.
 * This module alone writes the table.
 */
#ifndef LEDGER_H
#define LEDGER_H

#include <time.h>

#include "store.h"

/*
 * The ledger has entries but ledger.key is gone (a backup restored
 * without it): nobody erased could be recognised, so nothing that asks
 * goes on.  Never a new key.  Programs exit 78 (cli_status).
 */
#define LEDGER_NOKEY	(-78)

/*
 * Put id on the ledger, erased at `when': the platform's time of the
 * request, so that what the platform dates before it is known as older
 * (hb-ingest drops it), or now.
 */
int	 ledger_add(struct txn *, const char *id, time_t when);
/*
 * Is id on the ledger?  0 no, 1 yes (*when, if not NULL, the time of
 * the erasure), or an error (LEDGER_NOKEY among them).
 */
int	 ledger_erased(struct txn *, const char *id, time_t *when);

#endif /* LEDGER_H */
