/*
 * lockfile.h: an exclusive flock(2) on a file, as the store's lock and
 * hb-broadcast's send lock take it.
 */
#ifndef LOCKFILE_H
#define LOCKFILE_H

#include <sys/types.h>

#define LOCKFILE_BUSY	1	/* another process holds it */

/*
 * Open path (made with mode if need be) and try to lock it: 0 with the
 * lock held through *fd; LOCKFILE_BUSY with *fd open, for the caller to
 * wait on (flock LOCK_EX) or close; -1 after a message, *fd closed.
 */
int	 lockfile_take(const char *path, mode_t mode, int *fd);

#endif /* LOCKFILE_H */
