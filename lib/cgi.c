/* cgi.c: the Common Gateway Interface; see cgi.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi.h"
#include "xalloc.h"

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

int
cgi_respond(int status, const char *extra_header, const char *body)
{
	printf("Status: %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n",
	    status, reason(status));
	if (extra_header != NULL)
		printf("%s\r\n", extra_header);
	printf("\r\n%s", body != NULL ? body : "");
	return fflush(stdout) == EOF ? -1 : 0;
}

void
cgi_respond_busy_now(void)
{
	static const char busy[] = "Status: 503 Service Unavailable\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nRetry-After: 10\r\n"
	    "\r\ntry again\n";

	(void)!write(STDOUT_FILENO, busy, sizeof(busy) - 1);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
cgi_query_param(const char *query, const char *name)
{
	size_t nlen = strlen(name), i;
	const char *p, *end;
	char *out, *o;
	int hi, lo;

	for (p = query; p != NULL && *p != '\0'; p = end + (*end == '&')) {
		end = p + strcspn(p, "&");
		if ((size_t)(end - p) <= nlen || strncmp(p, name, nlen) != 0 ||
		    p[nlen] != '=')
			continue;
		out = o = xmalloc(end - p);
		for (i = nlen + 1; p + i < end; i++) {
			if (p[i] == '+')
				*o++ = ' ';
			else if (p[i] != '%')
				*o++ = p[i];
			else if (p + i + 2 < end &&
			    (hi = hexval(p[i + 1])) >= 0 &&
			    (lo = hexval(p[i + 2])) >= 0 && (hi | lo) != 0) {
				*o++ = hi << 4 | lo;
				i += 2;
			} else {
				free(out);
				return NULL;
			}
		}
		*o = '\0';
		return out;
	}
	return NULL;
}

int
cgi_read_body(size_t len, char **bodyp)
{
	char *body = xmalloc(len + 1);
	size_t got = 0;
	ssize_t n;

	while (got < len && (n = read(STDIN_FILENO, body + got,
	    len - got)) > 0)
		got += n;
	if (got < len) {
		free(body);
		return -1;
	}
	body[len] = '\0';
	*bodyp = body;
	return 0;
}
