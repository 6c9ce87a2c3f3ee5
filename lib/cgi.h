/*
 * cgi.h: the Common Gateway Interface (RFC 3875), as much as hb-ingest
 * needs: the request from the environment and stdin, the answer on
 * stdout.
 */
#ifndef CGI_H
#define CGI_H

#include <stddef.h>

/* Answer with an HTTP status and a short text body (or none). */
int	 cgi_respond(int status, const char *extra_header, const char *body);
/*
 * The value of name in a query string, URL-decoded, as a malloc'd
 * string; NULL if absent or badly encoded.
 */
char	*cgi_query_param(const char *query, const char *name);
/* Read exactly len bytes of body from stdin; -1 if fewer came. */
int	 cgi_read_body(size_t len, char **body);

/*
 * 503, try again in 10 s, written at once and async-signal-safely: the
 * last words of a process that cannot go on (store_last_words).
 */
void	 cgi_respond_busy_now(void);

#endif /* CGI_H */
