/*
 * revoke.h: telling a running sender that something it holds must not
 * go out.
 *
 * hb-broadcast hands a batch of recipients to its sender and closes the
 * store while it sends.  When a person is erased or a broadcast is
 * cancelled in that time, the program that did it calls revoke_note()
 * before its commit (while it holds the store); the sender checks
 * revoke_seen() before it starts requests and, when something changed,
 * looks at the store again (waiting for that commit) and drops what was
 * revoked.  So nobody receives anything once their erasure committed.
 */
#ifndef REVOKE_H
#define REVOKE_H

#include <sys/types.h>
#include <time.h>

struct revoke_mark {
	off_t	 size;
	struct timespec mtime;
};

/* Mark the store directory's "revoked" file; 0 or -1. */
int	 revoke_note(const char *home);
/* Whether it changed since *m (which is updated).  First call: 1. */
int	 revoke_seen(const char *home, struct revoke_mark *m);

#endif /* REVOKE_H */
