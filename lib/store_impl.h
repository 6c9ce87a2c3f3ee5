/*
 * store_impl.h: what store.c lends scrub.c, the one other module that
 * works on the Berkeley DB files themselves.  Nobody else includes it.
 */
#ifndef STORE_IMPL_H
#define STORE_IMPL_H

#include <sys/types.h>

#include <db.h>

#include "store.h"

DB_ENV	*store_env(struct store *);
mode_t	 store_mode(const struct store *);
/* Berkeley DB's rc as a STORE_* outcome, logged unless expected. */
int	 store_dberr(int rc, const char *what);
/* Close every table and index handle (syncing them); the env stays. */
int	 store_close_tables(struct store *);

#endif /* STORE_IMPL_H */
