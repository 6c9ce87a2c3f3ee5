/*
 * batch.h: work on many subscribers, a batch per store session.
 *
 * Programs that take IDs (hb-subscribe add, remove, show; hb-purge
 * erase) read them all first, so that one bad ID stops the run before
 * anything is written, then pass them to the store a batch at a time:
 * between two batches other programs (a webhook) get their turn.
 */
#ifndef BATCH_H
#define BATCH_H

#include <stdio.h>
#include <time.h>

#include "store.h"

struct batch_items {
	char	**v;		/* IDs, or records as JSON text */
	size_t	 n;
	int	*result;	/* one per item, for the callback to fill */
};

/* The slice of items one store session works on. */
struct batch {
	struct batch_items *items;
	size_t	 off, len;
	time_t	 now;
};

/* Append s, which the list now owns. */
void	 batch_add(struct batch_items *, char *s);
void	 batch_release(struct batch_items *);

/*
 * IDs from argv, or from in when argc is 0 (a plain ID, TSV with the ID
 * first, or a JSON object with "id" per line).  Every bad ID is
 * reported; then -1.
 */
int	 batch_read_ids(struct batch_items *, int argc, char **argv, FILE *in);

/*
 * Call fn for the items, per items at a time, each call in its own store
 * session with a struct batch as its argument; then report(items, i)
 * for each item of a committed batch.
 */
int	 batch_run(const struct store_opts *, struct batch_items *, size_t per,
	    store_txn_fn fn, void (*report)(struct batch_items *, size_t));

#endif /* BATCH_H */
