/*
 * journal.h: what hb-broadcast has sent and not yet committed.
 *
 * Committing every answer to the store would cost a disk sync each;
 * committing them in batches would, after a kill -9, send again every
 * message whose answer came since the last batch.  So the answers are
 * written as they come, one write(2) per turn of the sending loop, to
 * the file "journal" in the store directory, which survives the
 * process (not a power cut, which may cost doubles); the next batch
 * commits the
 * answers to the store and empties the journal, and a sender that starts
 * after a crash commits what the journal holds before it sends anything.
 * Only the requests in flight at a kill are left in doubt.
 *
 * The journal holds subscriber IDs, so it is as private as the store and
 * empty whenever no sender runs.  Its lines are JSON objects; a line cut
 * short by a crash is ignored.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>

#include <jansson.h>

#include "store.h"

struct journal {
	int	 fd;
	char	*path;
};

int	 journal_open(struct journal *, const struct store_opts *);
/* Append whole lines (records and their newlines), in one write. */
int	 journal_write(struct journal *, const char *lines, size_t len);
/* Append every complete record in the journal to the array out. */
int	 journal_read(struct journal *, json_t *out);
/* Empty it, once its records are committed. */
int	 journal_clear(struct journal *);
void	 journal_close(struct journal *);

#endif /* JOURNAL_H */
