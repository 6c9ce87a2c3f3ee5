/*
 * jsonl.h: JSON Lines in and out.
 *
 * Ownership follows Jansson: a json_t * returned by an hb function is a
 * new reference that the caller decrefs; a comment says "borrowed" where
 * it is not.  Prefer the _new setters; never decref a borrowed value.
 */
#ifndef JSONL_H
#define JSONL_H

#include <stdio.h>

#include <jansson.h>

/* One compact line, keys sorted, "\n".  0, or -1 on a write error. */
int	 jsonl_write(FILE *, const json_t *);
/*
 * Parse one JSON object of len bytes (duplicate keys are an error).
 * Returns a new reference, or NULL with a reason in err.
 */
json_t	*jsonl_parse_object(const char *s, size_t len, char *err,
	    size_t errsz);
/*
 * Jansson's error, without the text it quotes from the input (which may
 * be a citizen's message): fit for a log.
 */
void	 jsonl_error(const json_error_t *, char *err, size_t errsz);
/* The string member key of o, or NULL (borrowed). */
const char *jsonl_string(const json_t *o, const char *key);
/*
 * A stored record as people read it: a copy without the record's
 * version "v", whose members named in times (a NULL-terminated list)
 * that hold Unix seconds are RFC 3339 strings instead.
 */
json_t	*jsonl_export(const json_t *rec, const char *const *times);

#endif /* JSONL_H */
