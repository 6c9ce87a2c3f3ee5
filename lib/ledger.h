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

/*
 * The ledger as hb-purge ledger exports it and hb-purge restore -l takes
 * it back: keyed hashes and times only, which name nobody without the
 * key (that stays in the store directory).
 */
#define LEDGER_HASH_SIZE	32
struct ledger_entry {
	unsigned char hash[LEDGER_HASH_SIZE];
	time_t	 when;
};

/* Every entry, in hash order: fn returns 0 to go on, or an error. */
typedef int (*ledger_each_fn)(const struct ledger_entry *, void *arg);
int	 ledger_each(struct txn *, ledger_each_fn, void *arg);
/* When hash was erased: 1 and *when, or 0 when it is not on the ledger. */
int	 ledger_lookup(struct txn *, const unsigned char *hash, time_t *when);
/* Keep an exported entry; a later time than the one on the ledger wins. */
int	 ledger_keep(struct txn *, const struct ledger_entry *);
/*
 * id's keyed hash, as the ledger holds it: 0, 1 when there is no key
 * (nobody was ever erased), or an error (LEDGER_NOKEY among them).
 */
int	 ledger_hash_id(struct txn *, const char *id,
	    unsigned char hash[LEDGER_HASH_SIZE]);
/*
 * Is there a key: 0, 1 when there is none (nobody was ever erased), or
 * an error.  With make, one is made if there is none (a backup carries
 * it, so that later entries can be matched against the copy).
 */
int	 ledger_have_key(struct txn *, int make);

/* The export's line: 64 hex digits, a tab, the time (RFC 3339). */
#define LEDGER_LINE_SIZE	(2 * LEDGER_HASH_SIZE + 1 + 21)
void	 ledger_format(const struct ledger_entry *, char buf[LEDGER_LINE_SIZE]);
/* Parse such a line (or {"hash": ..., "time": ...}): 0, or -1. */
int	 ledger_parse(const char *line, struct ledger_entry *);

#endif /* LEDGER_H */
