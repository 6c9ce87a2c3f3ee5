/*
 * revoke.c: see revoke.h.  The file holds no data: one byte is appended
 * per revocation, so that its size changes even within one clock tick,
 * and it is emptied once it grows large.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "revoke.h"
#include "store.h"

#define REVOKED		"revoked"
#define MAX_SIZE	65536

int
revoke_note(const char *home)
{
	char path[PATH_MAX];
	struct stat sb;
	int fd;

	if (store_path(path, sizeof(path), home, REVOKED) == -1)
		return -1;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) == -1)
		return log_error("%s", path);
	if (fstat(fd, &sb) == 0 && sb.st_size >= MAX_SIZE)
		(void)ftruncate(fd, 0);
	if (write(fd, "r", 1) != 1) {
		(void)close(fd);
		return log_error("%s", path);
	}
	return close(fd);
}

int
revoke_seen(const char *home, struct revoke_mark *m)
{
	char path[PATH_MAX];
	struct stat sb;

	if (store_path(path, sizeof(path), home, REVOKED) == -1 ||
	    stat(path, &sb) == -1)
		memset(&sb, 0, sizeof(sb));
	if (sb.st_size == m->size &&
	    sb.st_mtim.tv_sec == m->mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == m->mtime.tv_nsec)
		return 0;
	m->size = sb.st_size;
	m->mtime = sb.st_mtim;
	return 1;
}
