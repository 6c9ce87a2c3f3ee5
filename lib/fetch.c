/* fetch.c: a citizen's picture or document, downloaded; see fetch.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fetch.h"
#include "http.h"
#include "jsonl.h"
#include "platform.h"
#include "xalloc.h"

#define TIMEOUT		120L	/* seconds: a document may be large */

/* What a failed answer means, in why. */
static enum fetch_result
failed(const char *what, int result, const struct http_response *r,
    char *why, size_t whysz)
{
	if (result != HTTP_OK) {
		(void)snprintf(why, whysz, "%s: no answer", what);
		return FETCH_TEMPFAIL;
	}
	if (r->status == 403 || r->status == 404 || r->status == 410) {
		(void)snprintf(why, whysz, "%s: HTTP %ld: the platform no "
		    "longer has it (its links expire); ask the citizen to "
		    "send it again", what, r->status);
		return FETCH_GONE;
	}
	(void)snprintf(why, whysz, "%s: HTTP %ld", what, r->status);
	return r->status >= 500 || r->status == 429 ? FETCH_TEMPFAIL :
	    FETCH_REFUSED;
}

/* GET url; a 200's body to out if out, else into *json. */
static enum fetch_result
get(const char *what, const char *url, const char *auth, FILE *out,
    json_t **json, char *why, size_t whysz)
{
	struct http_req req = { 0 };
	struct http_response r;
	enum fetch_result fr = FETCH_OK;
	int result;

	req.url = url;
	req.header = auth;
	req.out = out;
	result = http_request(what, &req, TIMEOUT, &r);
	if (result != HTTP_OK || r.status != 200)
		fr = failed(what, result, &r, why, whysz);
	else if (out == NULL && (*json = json_loadb(r.body, r.len, 0,
	    NULL)) == NULL) {
		(void)snprintf(why, whysz, "%s: the answer is no JSON", what);
		fr = FETCH_REFUSED;
	}
	if (result == HTTP_OK)
		http_response_release(&r);
	return fr;
}

/* WhatsApp: the media id's URL, then its bytes, with the token. */
static enum fetch_result
whatsapp(const struct chan_conf *cc, const char *ref, FILE *out, char *why,
    size_t whysz)
{
	enum fetch_result fr;
	char *url, *auth;
	const char *link;
	json_t *o = NULL;

	xasprintf(&url, "%s/%s", cc->api, ref);
	auth = platform_bearer(cc);
	fr = get("whatsapp media", url, auth, NULL, &o, why, whysz);
	if (fr == FETCH_OK && (link = jsonl_string(o, "url")) == NULL) {
		(void)snprintf(why, whysz, "whatsapp media: no url");
		fr = FETCH_REFUSED;
	}
	if (fr == FETCH_OK)
		fr = get("whatsapp download", link, auth, out, NULL, why,
		    whysz);
	json_decref(o);
	platform_wipe(auth);
	free(url);
	return fr;
}

/* Telegram: getFile, then the file path (both URLs hold the token). */
static enum fetch_result
telegram(const struct chan_conf *cc, const char *ref, FILE *out, char *why,
    size_t whysz)
{
	enum fetch_result fr;
	const char *path;
	json_t *o = NULL;
	char *url;

	url = platform_tg_url(cc, "getFile?file_id=%s", ref);
	fr = get("telegram getFile", url, NULL, NULL, &o, why, whysz);
	platform_wipe(url);
	path = jsonl_string(json_object_get(o, "result"), "file_path");
	if (fr == FETCH_OK && path == NULL) {
		(void)snprintf(why, whysz, "telegram getFile: no file_path");
		fr = FETCH_REFUSED;
	}
	if (fr == FETCH_OK) {
		xasprintf(&url, "%s/file/bot%s/%s", cc->api, cc->token.value,
		    path);
		fr = get("telegram download", url, NULL, out, NULL, why,
		    whysz);
		platform_wipe(url);
	}
	json_decref(o);
	return fr;
}

enum fetch_result
fetch_media(const struct conf *conf, enum chan c, const char *ref, FILE *out,
    char *why, size_t whysz)
{
	const struct chan_conf *cc = &conf->chan[c];

	if (!cc->enabled || cc->token.value == NULL) {
		(void)snprintf(why, whysz, "%s is not configured",
		    chan_name(c));
		return FETCH_REFUSED;
	}
	/* A reference is the platform's: it must not leave its API. */
	if (strpbrk(ref, "/?&#% \t\r\n") != NULL && c != CHAN_MESSENGER &&
	    c != CHAN_INSTAGRAM) {
		(void)snprintf(why, whysz, "a bad %s media reference",
		    chan_name(c));
		return FETCH_REFUSED;
	}
	switch (c) {
	case CHAN_WHATSAPP:
		return whatsapp(cc, ref, out, why, whysz);
	case CHAN_TELEGRAM:
		return telegram(cc, ref, out, why, whysz);
	default:
		if (strncmp(ref, "https://", 8) != 0 &&
		    strncmp(ref, "http://", 7) != 0) {
			(void)snprintf(why, whysz, "not a URL");
			return FETCH_REFUSED;
		}
		return get("download", ref, NULL, out, NULL, why, whysz);
	}
}
