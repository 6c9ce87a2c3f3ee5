/*
 * journal.h: what hb-broadcast has sent and not yet committed.
 *
 * Committing every answer to the store would cost a disk sync each;
 * committing them in batches would, after a kill -9, send again every
 * message whose answer came since the last batch.  So the answers are
 * written as they come, one write(2) per turn of the sending loop
 * (journal_add buffers, journal_flush writes), to the file "journal" in
 * the store directory, which survives the process (not a power cut,
 * which may cost doubles); the next round commits the answers to the
 * store and empties the journal, and a sender that starts after a crash
 * commits what the journal holds before it sends anything.  Only the
 * requests in flight at a kill are left in doubt: no more than the
 * sender's parallel requests.
 *
 * The journal holds subscriber IDs, so it is as private as the store and
 * empty whenever no sender runs.  Its lines are JSON objects
 * (answer_encode); a line cut short by a crash is ignored.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>

#include "answer.h"
#include "store.h"

struct journal {
	int	 fd;
	char	*path;
	char	*pending;	/* lines not written yet */
	size_t	 npending, cap;
};

int	 journal_open(struct journal *, const struct store_opts *);
/* Keep an answer for the next journal_flush(). */
void	 journal_add(struct journal *, const struct answer *);
/* Append the answers kept since the last flush, in one write. */
int	 journal_flush(struct journal *);
/* Append every complete answer in the journal to *v, of *n. */
int	 journal_read(struct journal *, struct answer **v, size_t *n);
/* Empty it, once its answers are committed. */
int	 journal_clear(struct journal *);
void	 journal_close(struct journal *);

#endif /* JOURNAL_H */
