/* lockfile.c: taking a lock file; see lockfile.h. */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "lockfile.h"
#include "log.h"

int
lockfile_take(const char *path, mode_t mode, int *fd)
{
	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)) == -1)
		return log_error("'%s'", path);
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return LOCKFILE_BUSY;
	log_error("lock '%s'", path);
	(void)close(*fd);
	*fd = -1;
	return -1;
}
