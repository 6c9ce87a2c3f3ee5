/*
 * spool.h: group commit of webhooks (hb-ingest's CGI mode).
 *
 * The store lets one process in at a time, and each commit costs an
 * fdatasync, so webhooks that arrive together would queue for one
 * commit each.  Instead each checked body waits in the spool directory
 * (home/spool) while its process waits for the lock; whoever gets the
 * lock claims every waiting body, commits them in one transaction and
 * removes them, and does the same for those that came in meanwhile, in
 * the same store session (a round each, SPOOL_ROUNDS as a rule).  A
 * process that then gets the lock, or sees its body gone, knows it is
 * committed, and answers 200 without opening the store.
 *
 * The contract of DESIGN §2.1 holds: 200 only after the commit that
 * holds the body; 503 for a body withdrawn before anyone claimed it, so
 * nothing is stored, and for one the store could not take although it
 * took the others (isolate.h: a damaged record of that person, say), which
 * is kept as NAME.failed for the operator to look into.  A claim is a rename to NAME.claimed, so the
 * owner can tell "withdrawn" from "being committed".  A process that
 * dies with claims leaves them for the next holder; committing a body
 * twice is harmless, as the platform's id makes it a duplicate.
 *
 * A process of another user than the store's owner (the web server's,
 * in the store's group: hb(7)) is a guest: it cannot take the lock, so
 * it puts its body in the spool and waits for the owner's committer,
 * hb-ingest spool (spool_drain), to settle it.
 */
#ifndef SPOOL_H
#define SPOOL_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "chan.h"
#include "inbound.h"
#include "isolate.h"
#include "store.h"

#define SPOOL_BATCH	1000	/* bodies committed together at most */
#define SPOOL_ROUNDS	8	/* commits in one store session, as a rule */

/*
 * What commits the events of a round, in the round's transaction,
 * appending the events that happened to out (hb-ingest: ingest_apply).
 */
typedef int (*spool_apply_fn)(struct txn *, struct in_events *,
    json_t *out, void *arg);

struct spool_commit {
	const struct store_opts *store;
	unsigned lock_wait;	/* seconds to wait for the lock, then 503 */
	unsigned watchdog;	/* seconds another holder may take to
				   commit a body it has claimed */
	spool_apply_fn apply;
	void	*arg;
	int	 guest;		/* another user's store: never take the lock */
};

/*
 * The whole protocol for the spooled body own (spool_put): wait until
 * the store's lock is ours or another process has settled it; as the
 * holder, commit rounds of whatever waits.  0 once own is committed
 * (also when a later round, or closing the store, fails: it is stored),
 * with the events of our own rounds appended to events, for the hooks;
 * STORE_BUSY when own was withdrawn before anyone claimed it (nothing
 * is stored: answer 503); -1 when the store could not take it, or on
 * other errors, own withdrawn.
 */
int	 spool_commit(const struct spool_commit *, const char *own,
	    json_t *events);
/*
 * The committer's turn: take the lock (waiting lock_wait seconds) and
 * commit what waits, SPOOL_ROUNDS rounds at most, appending the events
 * to events.  0, STORE_BUSY or -1.
 */
int	 spool_drain(const struct spool_commit *, json_t *events);
/* Does a body wait in the spool?  1 or 0. */
int	 spool_waiting(const char *home);

struct spool_claim {
	char	**paths;	/* the claimed files, to settle after commit */
	size_t	*first;		/* body i's events: evs->v[first[i]] up to
				   first[i + 1] */
	size_t	 n;
};

/*
 * Put a checked body of chan in the spool (made by store_make_home);
 * its name into path.
 */
int	 spool_put(const struct store_opts *, enum chan, const char *body,
	    size_t len, char *path, size_t pathsz);
/* Take it back: 0 if withdrawn, 1 if claimed or gone, -1 on error. */
int	 spool_withdraw(const char *path);
enum spool_state {
	SPOOL_PENDING,		/* waiting, or claimed and not yet settled */
	SPOOL_COMMITTED,
	SPOOL_REFUSED		/* the store could not take it: kept as
				   NAME.failed, for the operator */
};
enum spool_state spool_state(const char *path);
/*
 * Claim up to max bodies (waiting, or left claimed by a process that
 * died) and parse them into evs.  Call with the store's lock held.
 */
int	 spool_claim(const char *home, size_t max, struct in_events *evs,
	    struct spool_claim *);
/*
 * After the commit: remove the committed bodies, keep the refused ones
 * as NAME.failed, and let those left waiting wait again.
 */
void	 spool_settle(struct spool_claim *, const enum part *);
/*
 * Remove bodies older than max_age seconds: their process died before
 * it answered (a live one waits seconds at most), so the platform has
 * sent them again.  For hb-purge scrub, which leaves no text behind.
 */
int	 spool_expire(const char *home, time_t max_age, size_t *removed);

#endif /* SPOOL_H */
