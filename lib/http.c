/*
 * http.c: HTTP requests with libcurl; see http.h.
 *
 * libcurl is loaded on the first request, not linked: Debian's libcurl
 * brings some thirty libraries (LDAP, Kerberos, ...) whose loading cost
 * about 3 ms per process, measured, and most runs of hb (every webhook)
 * make no request at all.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "log.h"
#include "xalloc.h"

#define CONNECT_TIMEOUT	10L	/* seconds */
#define MAX_RESPONSE	(16L << 20)
#define LIBCURL		"libcurl.so.4"

/* The libcurl functions hb uses, resolved when it is loaded. */
static struct {
	void	*handle;
	CURLcode (*global_init)(long);
	CURL	*(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void	 (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void	 (*slist_free_all)(struct curl_slist *);
} curl;

static int
resolve(void **fn, const char *name)
{
	if ((*fn = dlsym(curl.handle, name)) == NULL)
		return log_errorx("%s: no %s", LIBCURL, name);
	return 0;
}

/* Load libcurl, once. */
static int
http_init(void)
{
	if (curl.handle != NULL)
		return 0;
	if ((curl.handle = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return log_errorx("%s", dlerror());
	if (resolve((void **)&curl.global_init, "curl_global_init") == -1 ||
	    resolve((void **)&curl.easy_init, "curl_easy_init") == -1 ||
	    resolve((void **)&curl.easy_setopt, "curl_easy_setopt") == -1 ||
	    resolve((void **)&curl.easy_perform, "curl_easy_perform") == -1 ||
	    resolve((void **)&curl.easy_getinfo, "curl_easy_getinfo") == -1 ||
	    resolve((void **)&curl.easy_cleanup, "curl_easy_cleanup") == -1 ||
	    resolve((void **)&curl.easy_strerror, "curl_easy_strerror") == -1 ||
	    resolve((void **)&curl.slist_append, "curl_slist_append") == -1 ||
	    resolve((void **)&curl.slist_free_all, "curl_slist_free_all") ==
	    -1 || curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		dlclose(curl.handle);
		curl.handle = NULL;
		return log_errorx("%s cannot be used", LIBCURL);
	}
	return 0;
}

static size_t
on_data(char *data, size_t size, size_t n, void *arg)
{
	struct http_response *r = arg;

	size *= n;
	if (r->len + size > MAX_RESPONSE)
		return 0;	/* curl fails the transfer */
	r->body = xreallocarray(r->body, r->len + size + 1, 1);
	memcpy(r->body + r->len, data, size);
	r->len += size;
	r->body[r->len] = '\0';
	return size;
}

int
http_post_json(const char *what, const char *url, const char *json,
    long timeout, struct http_response *resp)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	CURLcode rc;
	CURL *c;

	memset(resp, 0, sizeof(*resp));
	if (http_init() == -1)
		return HTTP_TEMPFAIL;
	if ((c = curl.easy_init()) == NULL)
		return log_errorx("%s: curl_easy_init failed", what),
		    HTTP_TEMPFAIL;
	hdr = curl.slist_append(hdr, "Content-Type: application/json");
	curl.easy_setopt(c, CURLOPT_URL, url);
	curl.easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl.easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout + CONNECT_TIMEOUT);
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, resp);
	rc = curl.easy_perform(c);
	if (rc == CURLE_OK)
		curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	curl.slist_free_all(hdr);
	curl.easy_cleanup(c);
	if (rc != CURLE_OK) {
		/* The error buffer names the host, never the path. */
		log_errorx("%s: %s", what, errbuf[0] != '\0' ? errbuf :
		    curl.easy_strerror(rc));
		http_response_release(resp);
		return HTTP_TEMPFAIL;
	}
	if (resp->body == NULL)
		resp->body = xstrdup("");
	return HTTP_OK;
}

void
http_response_release(struct http_response *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}
