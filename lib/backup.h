/*
 * backup.h: copies of the store that forget the erased (hb-purge backup
 * and restore; DESIGN §2.6).
 *
 * A backup is taken under the store's lock, so that no program is
 * inside: a forced checkpoint writes every page to the files, which are
 * then copied with the logs, DB_CONFIG, the ledger key (made now if
 * nobody was erased yet, so that later entries of the ledger can be
 * matched) and the sender's journal; backup.info, written last, says
 * when it was taken and makes the copy whole.
 *
 * A restore copies it into an empty store directory and, before it lets
 * go of the lock that it took first, recovers the store and erases again
 * everyone on a newer ledger (hb-purge ledger's export) whose erasure the
 * copy does not know: a person erased after the backup, or erased again
 * after coming back.  The newer ledger's entries are kept, so that
 * filter and import know them.  Then the store is scrubbed, so that not
 * even free pages hold the re-erased.
 */
#ifndef BACKUP_H
#define BACKUP_H

#include <stddef.h>
#include <time.h>

#include "ledger.h"
#include "store.h"

#define BACKUP_NOT_EMPTY	40	/* restore: the store directory is in use */
#define BACKUP_INCOMPLETE	41	/* restore: no backup.info */

struct backup_report {
	time_t	 taken;		/* when the copy was made */
	size_t	 files;		/* files copied */
	long long bytes;
	size_t	 erased;	/* restore: people erased again */
	size_t	 kept;		/* restore: newer ledger entries kept */
};

/* Copy the store into dir (made, or empty). */
int	 backup_take(const struct store_opts *, const char *dir,
	    struct backup_report *);
/*
 * Put the backup in dir into the (empty or missing) store directory,
 * with n entries of a newer ledger to erase again and keep.
 */
int	 backup_restore(const struct store_opts *, const char *dir,
	    const struct ledger_entry *newer, size_t n,
	    struct backup_report *);

#endif /* BACKUP_H */
