/*
 * http.h: HTTP requests, the only module that talks to libcurl.
 *
 * A pool runs many POSTs at once over reused connections (libcurl's
 * multi interface), multiplexed over HTTP/2 where the server speaks it
 * (over TLS), and HTTP/1.1 with keep-alive where not; http_request()
 * is one request through a pool of its own.  A request is a POST of
 * JSON or of a form (an upload), or a GET, whose body may go to a file
 * (a download).  Every request has a connect and a total timeout; signals are
 * not used (CURLOPT_NOSIGNAL).  URLs may hold secrets (Telegram's token
 * is in its path), so no URL is ever logged: messages name the request
 * by `what'.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdio.h>

enum http_result {
	HTTP_OK = 0,		/* an answer came; see status */
	HTTP_TEMPFAIL = 1	/* no answer: network, timeout */
};

struct http_response {
	long	 status;
	long	 retry_after;	/* seconds its Retry-After header asks, or 0 */
	char	*body;		/* NUL-terminated, malloc'd */
	size_t	 len;
};

struct http_pool;

/* A multipart/form-data body: its fields, then perhaps one file. */
#define HTTP_FORM_MAX	8
struct http_form {
	const char *name[HTTP_FORM_MAX], *value[HTTP_FORM_MAX];
	size_t	 n;
	const char *file_field;	/* the file's field name, */
	const char *file_path;	/* where it is read from (NULL: none), */
	const char *file_type;	/* its MIME type and */
	const char *file_name;	/* the name the server is told */
};

struct http_req {
	const char *url;
	const char *json;	/* POST this JSON body (copied), or */
	const struct http_form *form; /* POST this form, or GET (both NULL) */
	const char *header;	/* an extra header line, or NULL */
	FILE	*out;		/* a 200's body goes here, not to the response */
};

/*
 * Trust the certificates in file (PEM) for every request from now on,
 * instead of the system's ("" or NULL: the system's).  Verification is
 * never turned off.
 */
void	 http_trust(const char *file);

/* A pool whose requests wait at most timeout seconds for an answer. */
struct http_pool *http_pool_new(long timeout, size_t parallel);
void	 http_pool_free(struct http_pool *);
/*
 * Start req (a form's strings are copied; its file is read as it goes
 * and must stay until the answer); tag comes back with the answer.  0,
 * or -1 when libcurl cannot be used.
 */
int	 http_pool_add(struct http_pool *, const char *what,
	    const struct http_req *, void *tag);
/* Requests started and not answered yet. */
size_t	 http_pool_running(const struct http_pool *);
/*
 * Move the transfers on, waiting at most wait_ms for something to
 * happen, and call done for each request that finished: result is
 * HTTP_OK with the response (its body is released after done returns)
 * or HTTP_TEMPFAIL after a logged message.
 */
typedef void (*http_done_fn)(void *tag, int result,
    const struct http_response *, void *arg);
int	 http_pool_poll(struct http_pool *, int wait_ms, http_done_fn,
	    void *arg);

/*
 * Make one request, waiting at most timeout seconds.  Fills resp (free
 * its body with http_response_release) or returns HTTP_TEMPFAIL after
 * logging what failed.
 */
int	 http_request(const char *what, const struct http_req *, long timeout,
	    struct http_response *resp);
void	 http_response_release(struct http_response *);

#endif /* HTTP_H */
