/*
 * scrub.h: leaving no byte of erased data anywhere under the store
 * directory (hb-purge scrub).
 *
 * Berkeley DB keeps deleted bytes in three places (bdb.md §5): the free
 * space of database pages, the transaction logs (every insert and delete
 * logs the whole item) and the cached page images in its region files.
 * Under the store's lock, so that every other program waits:
 *
 *   1. every database file is copied, record by record, into a new file
 *      that replaces it in one transaction;
 *   2. a checkpoint, a switch to a new log file and two more checkpoints
 *      let Berkeley DB remove every log written before;
 *   3. with the environment closed, its region files are removed (the
 *      next program makes new ones);
 *   4. webhook bodies a dead process left in the spool are removed.
 *
 * The sender's journal must be empty: a crashed hb-broadcast leaves it
 * for hb-broadcast run, which commits it.
 */
#ifndef SCRUB_H
#define SCRUB_H

#include <stddef.h>
#include <sys/types.h>

#include "store.h"

struct scrub_report {
	off_t	 before, after;	/* bytes of the files in the store */
	size_t	 files;		/* database files rewritten */
	size_t	 logs;		/* log files removed */
	size_t	 spool;		/* abandoned webhook bodies removed */
};

#define SCRUB_JOURNAL	20	/* a sender's journal is not empty */

int	 scrub_store(const struct store_opts *, struct scrub_report *);

#endif /* SCRUB_H */
