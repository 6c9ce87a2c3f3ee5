/*
 * erase.h: forgetting a person ("Alle Daten löschen", hb-purge erase).
 *
 * erase_person() removes, in the caller's transaction, the subscriber
 * record and every record found through a person index: conversation,
 * deliveries and read records, outbox entries.  It writes the erasure
 * ledger: an HMAC-SHA256 of the ID under a key kept in the store
 * directory (ledger.key), never the ID itself, so that imports and
 * exports can be checked against it.
 *
 * The bytes of deleted records stay in free page space and logs until
 * hb-purge scrub rewrites the store.
 */
#ifndef ERASE_H
#define ERASE_H

#include <stddef.h>
#include <time.h>

#include "store.h"

struct erase_counts {
	size_t	 subscribers, messages, deliveries, outbox;
};

int	 erase_person(struct txn *, const char *id, time_t now,
	    struct erase_counts *);
/*
 * The same without the ledger: for people forgotten because their time
 * ran out (hb-purge expire), not because they asked.
 */
int	 erase_records(struct txn *, const char *id, struct erase_counts *);
/* Is id on the ledger?  0 no, 1 yes, or an error. */
int	 erase_ledgered(struct txn *, const char *id);

#endif /* ERASE_H */
