/*
 * xalloc.h: allocation that cannot fail.
 *
 * Out of memory is the one condition on which library code exits: there
 * is nothing sensible a caller could do instead (OpenSMTPD, signify and
 * mlmmj do the same).  The process exits with EX_OSERR.
 */
#ifndef XALLOC_H
#define XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	 xalloc_die(void) __attribute__((noreturn));
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* XALLOC_H */
