/* webhook.c: one webhook request, checked and parsed; see webhook.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi.h"
#include "jsonl.h"
#include "log.h"
#include "signature.h"
#include "webhook.h"
#include "xalloc.h"

/* The channels a request's path names: one, or Meta's three for /meta. */
static unsigned
path_channels(const char *path)
{
	int c;

	if (path == NULL || *path++ != '/')
		return 0;
	if (strcmp(path, "meta") == 0)
		return 1u << CHAN_WHATSAPP | 1u << CHAN_MESSENGER |
		    1u << CHAN_INSTAGRAM;
	return (c = chan_lookup(path, strlen(path))) >= 0 ? 1u << c : 0;
}

/* Set the answer to give now.  Returns 0, for "return answer(...)". */
static int
answer(struct webhook *wh, int status, const char *header, const char *text)
{
	wh->status = status;
	wh->header = header;
	free(wh->text);
	wh->text = xstrdup(text);
	return 0;
}

/* Meta's GET handshake: echo the challenge if the verify token fits. */
static int
handshake(const struct conf *conf, unsigned chans, struct webhook *wh)
{
	const char *query = getenv("QUERY_STRING");
	char *mode, *token, *challenge;
	const struct secret *vt;
	int c, ok = 0;

	mode = cgi_query_param(query, "hub.mode");
	token = cgi_query_param(query, "hub.verify_token");
	challenge = cgi_query_param(query, "hub.challenge");
	for (c = 0; c < CHAN_COUNT; c++) {
		vt = &conf->chan[c].verify_token;
		if ((chans & (1u << c)) && vt->value != NULL &&
		    token != NULL && signature_equal(token, strlen(token), vt->value,
		    vt->len))
			ok = 1;
	}
	if (mode == NULL || strcmp(mode, "subscribe") != 0 ||
	    challenge == NULL || *challenge == '\0')
		ok = 0;
	if (ok)
		answer(wh, 200, NULL, challenge);
	else {
		log_warnx("verification handshake with a wrong token refused");
		answer(wh, 403, NULL, "forbidden\n");
	}
	free(mode);
	free(token);
	free(challenge);
	return 0;
}

/*
 * Is the request from its platform?  200 when it is, else the status to
 * answer.  chans is narrowed to the channels whose secret signed it.
 */
static int
authentic(const struct conf *conf, unsigned *chans, const char *body,
    size_t len)
{
	const char *hdr;
	const struct secret *s;
	unsigned signed_by = 0;
	int c;

	if (*chans & (1u << CHAN_TELEGRAM)) {
		s = &conf->chan[CHAN_TELEGRAM].secret;
		hdr = getenv("HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN");
		if (hdr == NULL)
			return 401;
		if (s->value == NULL || !signature_equal(hdr, strlen(hdr), s->value,
		    s->len))
			return 403;
		return 200;
	}
	if ((hdr = getenv("HTTP_X_HUB_SIGNATURE_256")) == NULL)
		return 401;
	for (c = 0; c < CHAN_COUNT; c++)
		if ((*chans & (1u << c)) && signature_meta_ok(
		    &conf->chan[c].app_secret, hdr, body, len))
			signed_by |= 1u << c;
	*chans = signed_by;
	return signed_by != 0 ? 200 : 403;
}

static int
request(const struct conf *conf, struct webhook *wh)
{
	const char *method = getenv("REQUEST_METHOD"), *cl;
	unsigned chans = path_channels(getenv("PATH_INFO")), on = 0;
	const char *errstr;
	char err[256], *body;
	json_error_t je;
	long long len;
	json_t *o;
	int c, status;

	for (c = 0; c < CHAN_COUNT; c++)
		if (conf->chan[c].enabled)
			on |= 1u << c;
	if ((chans &= on) == 0)
		return answer(wh, 404, NULL, "no such channel\n");
	if (method != NULL && strcmp(method, "GET") == 0 &&
	    !(chans & (1u << CHAN_TELEGRAM)))
		return handshake(conf, chans, wh);
	if (method == NULL || strcmp(method, "POST") != 0)
		return answer(wh, 405, chans & (1u << CHAN_TELEGRAM) ?
		    "Allow: POST" : "Allow: GET, POST", "method not allowed\n");
	if ((cl = getenv("CONTENT_LENGTH")) == NULL || *cl == '\0')
		return answer(wh, 411, NULL, "length required\n");
	len = strtonum(cl, 0, LLONG_MAX, &errstr);
	if (errstr != NULL)
		return answer(wh, 400, NULL, "bad length\n");
	if (len > conf->max_body)
		return answer(wh, 413, NULL, "too large\n");
	if (cgi_read_body(len, &body) == -1)
		return answer(wh, 400, NULL, "short body\n");
	if ((status = authentic(conf, &chans, body, len)) != 200) {
		log_warnx("%s request refused (%d)", getenv("PATH_INFO"),
		    status);
		free(body);
		return answer(wh, status, NULL, status == 401 ? "unsigned\n" :
		    "bad signature\n");
	}
	/* Parsed once: its channel must be one the path names. */
	o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	wh->body = body;
	wh->len = len;
	wh->chan = c = inbound_channel(o);
	if (o == NULL)
		jsonl_error(&je, err, sizeof(err));
	else if (c < 0 || !(chans & (1u << c)))
		(void)snprintf(err, sizeof(err), "not a body of %s",
		    getenv("PATH_INFO"));
	if (o == NULL || c < 0 || !(chans & (1u << c)) ||
	    inbound_parse_json(c, o, &wh->evs, err, sizeof(err)) == -1) {
		log_warnx("%s: %s", getenv("PATH_INFO"), err);
		in_events_release(&wh->evs);
		answer(wh, 400, NULL, "bad request\n");
	}
	json_decref(o);
	return 0;
}

void
webhook_request(const struct conf *conf, struct webhook *wh)
{
	memset(wh, 0, sizeof(*wh));
	(void)request(conf, wh);
}

void
webhook_release(struct webhook *wh)
{
	free(wh->text);
	free(wh->body);
	in_events_release(&wh->evs);
}
