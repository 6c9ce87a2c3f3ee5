/*
 * import.h: reading subscriber exports, as hb-subscribe list -j prints
 * them (JSON Lines) or as a previous provider hands them over (CSV).
 *
 * CSV follows RFC 4180 (quoted fields may hold commas, quotes and line
 * breaks).  A first row whose first field is "id" names the columns;
 * without it the columns are id,state,name,since,last_inbound.  Empty
 * fields count as absent.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>

#include <jansson.h>

/*
 * Called for each record as a JSON object of strings (borrowed), with
 * its line (JSON) or row (CSV).  Returns 0, or -1 for a bad record after
 * reporting it.
 */
typedef int (*import_fn)(json_t *rec, const char *name, size_t line,
    void *arg);

/*
 * Parse len bytes of an export called name (for messages).  The format
 * is JSON Lines if the first non-blank byte is '{', else CSV.  Returns
 * the number of bad records, each reported as "name:line: problem".
 */
size_t	 import_parse(const char *name, const char *buf, size_t len,
	    import_fn, void *arg);

#endif /* IMPORT_H */
