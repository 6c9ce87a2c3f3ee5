/* http.c: HTTP requests with libcurl; see http.h. */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "log.h"
#include "xalloc.h"

#define CONNECT_TIMEOUT	10L	/* seconds */
#define MAX_RESPONSE	(16L << 20)

int
http_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 :
	    log_errorx("curl_global_init failed");
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
	if ((c = curl_easy_init()) == NULL)
		return log_errorx("%s: curl_easy_init failed", what),
		    HTTP_TEMPFAIL;
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout + CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		/* The error buffer names the host, never the path. */
		log_errorx("%s: %s", what, errbuf[0] != '\0' ? errbuf :
		    curl_easy_strerror(rc));
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
