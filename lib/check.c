/* check.c: does the set-up work, per platform; see check.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "check.h"
#include "http.h"
#include "jsonl.h"
#include "platform.h"
#include "xalloc.h"

#define TIMEOUT		20L

static void
say(char *why, size_t whysz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append to why, "; " between. */
static void
say(char *why, size_t whysz, const char *fmt, ...)
{
	size_t len = strlen(why);
	va_list ap;

	if (len > 0 && len + 2 < whysz) {
		memcpy(why + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	(void)vsnprintf(why + len, whysz - len, fmt, ap);
	va_end(ap);
}

/* s, or instead when the platform did not say. */
static const char *
or_else(const char *s, const char *instead)
{
	return s != NULL ? s : instead;
}

/*
 * GET url: its JSON answer in *o, or -1 with what went wrong said (the
 * platform's own words where it gave them, what to look at).
 */
static int
lookup(const char *what, const char *url, const char *auth, const char *key,
    json_t **o, char *why, size_t whysz)
{
	struct http_req req = { 0 };
	struct http_response r;
	const json_t *err;
	const char *msg;

	*o = NULL;
	req.url = url;
	req.header = auth;
	if (http_request(what, &req, TIMEOUT, &r) != HTTP_OK) {
		say(why, whysz, "%s: no answer", what);
		return -1;
	}
	*o = json_loadb(r.body, r.len, 0, NULL);
	http_response_release(&r);
	if (r.status == 200 && json_is_object(*o))
		return 0;
	err = json_object_get(*o, "error");
	msg = or_else(jsonl_string(err, "message"), jsonl_string(*o,
	    "description"));
	if (r.status == 401 || json_integer_value(json_object_get(err,
	    "code")) == 190)
		say(why, whysz, "%s: the token is refused (token_file)%s%s",
		    what, msg != NULL ? ": " : "", msg != NULL ? msg : "");
	else
		say(why, whysz, "%s: HTTP %ld%s%s (%s)", what, r.status,
		    msg != NULL ? ": " : "", msg != NULL ? msg : "", key);
	json_decref(*o);
	*o = NULL;
	return -1;
}

/* A Telegram Bot API method's answer, as lookup gives it. */
static int
tg_lookup(const struct chan_conf *cc, const char *method, json_t **o,
    char *why, size_t whysz)
{
	char *url = platform_tg_url(cc, "%s", method);
	int rc;

	rc = lookup(method, url, NULL, "token_file", o, why, whysz);
	platform_wipe(url);
	return rc;
}

static int
telegram(const struct chan_conf *cc, char *why, size_t whysz)
{
	const json_t *res;
	const char *url;
	json_t *o;
	int rc = 0;

	if (tg_lookup(cc, "getMe", &o, why, whysz) == -1)
		return -1;
	say(why, whysz, "bot @%s", or_else(jsonl_string(json_object_get(o,
	    "result"), "username"), "?"));
	json_decref(o);
	if (tg_lookup(cc, "getWebhookInfo", &o, why, whysz) == -1)
		return -1;
	res = json_object_get(o, "result");
	url = jsonl_string(res, "url");
	if (url == NULL || *url == '\0') {
		say(why, whysz, "no webhook is set (setWebhook, or run "
		    "hb-ingest poll)");
		rc = -1;
	} else {
		say(why, whysz, "webhook %s, %lld pending", url,
		    json_integer_value(json_object_get(res,
		    "pending_update_count")));
		if (jsonl_string(res, "last_error_message") != NULL) {
			say(why, whysz, "its last error: %s",
			    jsonl_string(res, "last_error_message"));
			rc = -1;
		}
	}
	json_decref(o);
	return rc;
}

/* WhatsApp's templates: each configured one approved? */
static int
templates(const struct chan_conf *cc, const char *auth, char *why,
    size_t whysz)
{
	const char *names[2] = { cc->template, cc->template_media };
	const char *status;
	json_t *o;
	char *u;
	int i, rc = 0;

	if (cc->waba_id == NULL) {
		say(why, whysz, "templates not checked (no waba_id)");
		return 0;
	}
	for (i = 0; i < 2; i++) {
		if (names[i] == NULL)
			continue;
		xasprintf(&u, "%s/%s/message_templates?name=%s", cc->api,
		    cc->waba_id, names[i]);
		if (lookup("templates", u, auth, "waba_id", &o, why,
		    whysz) == -1)
			rc = -1;
		else {
			status = jsonl_string(json_array_get(json_object_get(
			    o, "data"), 0), "status");
			if (status == NULL || strcmp(status, "APPROVED") != 0) {
				say(why, whysz, "template %s is %s", names[i],
				    status != NULL ? status : "unknown");
				rc = -1;
			} else
				say(why, whysz, "template %s approved",
				    names[i]);
		}
		json_decref(o);
		free(u);
	}
	return rc;
}

static int
meta(enum chan c, const struct chan_conf *cc, char *why, size_t whysz)
{
	static const char *const keys[CHAN_COUNT] = {
		[CHAN_WHATSAPP] = "phone_number_id",
		[CHAN_MESSENGER] = "page_id",
		[CHAN_INSTAGRAM] = "account_id",
	};
	static const char *const fields[CHAN_COUNT] = {
		[CHAN_WHATSAPP] = "display_phone_number,verified_name,"
		    "quality_rating,throughput",
		[CHAN_MESSENGER] = "name",
		[CHAN_INSTAGRAM] = "username",
	};
	char *u, *auth;
	json_t *o;
	int rc;

	xasprintf(&u, "%s/%s?fields=%s", cc->api, cc->account, fields[c]);
	auth = platform_bearer(cc);
	rc = lookup(keys[c], u, auth, keys[c], &o, why, whysz);
	free(u);
	if (rc == 0 && c == CHAN_WHATSAPP) {
		say(why, whysz, "number %s, quality %s, throughput %s",
		    or_else(jsonl_string(o, "display_phone_number"), "?"),
		    or_else(jsonl_string(o, "quality_rating"), "?"),
		    or_else(jsonl_string(json_object_get(o, "throughput"),
		    "level"), "?"));
		rc = templates(cc, auth, why, whysz);
	} else if (rc == 0)
		say(why, whysz, "%s", or_else(jsonl_string(o,
		    c == CHAN_MESSENGER ? "name" : "username"), "found"));
	json_decref(o);
	platform_wipe(auth);
	return rc;
}

int
check_channel(const struct conf *conf, enum chan c, char *why, size_t whysz)
{
	const struct chan_conf *cc = &conf->chan[c];

	why[0] = '\0';
	if (!cc->enabled || cc->token.value == NULL) {
		say(why, whysz, "not configured");
		return -1;
	}
	return c == CHAN_TELEGRAM ? telegram(cc, why, whysz) :
	    meta(c, cc, why, whysz);
}
