/*
 * http.h: HTTP requests, the only module that talks to libcurl.
 *
 * Every request has a connect and a total timeout; signals are not used
 * (CURLOPT_NOSIGNAL).  URLs may hold secrets (Telegram's token is in its
 * path), so no URL is ever logged: messages name the request by `what'.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>

enum http_result {
	HTTP_OK = 0,		/* an answer came; see status */
	HTTP_TEMPFAIL = 1	/* no answer: network, timeout */
};

struct http_response {
	long	 status;
	char	*body;		/* NUL-terminated, malloc'd */
	size_t	 len;
};

/*
 * POST a JSON body to url, waiting at most timeout seconds.  Fills resp
 * (free its body with http_response_release) or returns HTTP_TEMPFAIL
 * after logging what failed.
 */
int	 http_post_json(const char *what, const char *url, const char *json,
	    long timeout, struct http_response *resp);
void	 http_response_release(struct http_response *);

#endif /* HTTP_H */
