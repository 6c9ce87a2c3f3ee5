/*
 * readall.h: reading a whole input, a file or standard input, as the
 * programs take their texts, exports and webhook bodies.
 */
#ifndef READALL_H
#define READALL_H

#include <stddef.h>

#define READALL_NOFILE	1	/* path could not be opened */

/*
 * Read all of path (NULL or "-": standard input) into a NUL-terminated
 * malloc'd *buf of *len bytes (a NUL inside counts).  0; READALL_NOFILE
 * or -1 (a read error) after a message naming the input.
 */
int	 readall(const char *path, char **buf, size_t *len);

#endif /* READALL_H */
