/*
 * platform.c: requests to and answers from the send APIs; see
 * platform.h.  The error codes and what they mean are platforms.md's
 * tables (§1.5, §2.3, §3.4, §4.3).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"
#include "log.h"
#include "media.h"
#include "platform.h"
#include "xalloc.h"

static const struct platform_limit limits[CHAN_COUNT] = {
	[CHAN_TELEGRAM] = { 4096, SPLIT_CHARS },
	[CHAN_WHATSAPP] = { 4096, SPLIT_CHARS },
	[CHAN_MESSENGER] = { 2000, SPLIT_CHARS },
	/* "1000 bytes" and "1000 characters" are both documented. */
	[CHAN_INSTAGRAM] = { 1000, SPLIT_BYTES },
};

const struct platform_limit *
platform_limit(enum chan c)
{
	return &limits[c];
}

/*
 * Line breaks folded to spaces, as a template parameter may hold none:
 * each run of white space becomes one space, none at either end.
 */
static char *
fold_lines(const char *text)
{
	char *s = xmalloc(strlen(text) + 1), *p = s;

	for (; *text != '\0'; text++) {
		if (strchr(" \t\r\n", *text) == NULL)
			*p++ = *text;
		else if (p > s && p[-1] != ' ')
			*p++ = ' ';
	}
	if (p > s && p[-1] == ' ')
		p--;
	*p = '\0';
	return s;
}

/* Telegram's chat_id: a number where the address is one. */
static json_t *
chat_id(const char *addr)
{
	char *end;
	long long n = strtoll(addr, &end, 10);

	return *addr != '\0' && *end == '\0' ? json_integer(n) :
	    json_string(addr);
}

/* WhatsApp's object for m, sent by its media id. */
static json_t *
whatsapp_media(const struct media *m, const char *caption)
{
	json_t *o = json_pack("{s:s}", "id", m->ref[CHAN_WHATSAPP]);

	if (caption != NULL && *caption != '\0')
		json_object_set_new(o, "caption", json_string(caption));
	if (m->type == MEDIA_DOCUMENT)
		json_object_set_new(o, "filename", json_string(m->name));
	return o;
}

static json_t *
whatsapp_body(const struct chan_conf *cc, const char *addr,
    const char *text, const struct media *m, enum platform_kind kind)
{
	const char *type = m != NULL ? media_type_name(m->type) : "text";
	json_t *o, *components;
	char *folded;

	if (kind != PK_TEMPLATE) {
		o = json_pack("{s:s, s:s, s:s, s:s}", "messaging_product",
		    "whatsapp", "recipient_type", "individual", "to", addr,
		    "type", type);
		json_object_set_new(o, type, m != NULL ?
		    whatsapp_media(m, text) : json_pack("{s:b, s:s*}",
		    "preview_url", 0, "body", text));
		return o;
	}
	folded = fold_lines(text);
	components = json_pack("[{s:s, s:[{s:s, s:s}]}]", "type", "body",
	    "parameters", "type", "text", "text", folded);
	free(folded);
	if (m != NULL)
		json_array_insert_new(components, 0, json_pack("{s:s, s:[o]}",
		    "type", "header", "parameters", json_pack("{s:s, s:o}",
		    "type", type, type, whatsapp_media(m, NULL))));
	return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:{s:s, s:s}, s:o*}}",
	    "messaging_product", "whatsapp", "recipient_type", "individual",
	    "to", addr, "type", "template", "template",
	    "name", m != NULL ? cc->template_media : cc->template,
	    "language", "code", cc->template_language,
	    "policy", "deterministic", "components", components);
}

/* Messenger's and Instagram's attachment: by id, or Instagram's URL. */
static json_t *
meta_attachment(enum chan c, const struct media *m)
{
	return json_pack("{s:{s:s, s:{s:s}}}", "attachment", "type",
	    m->type == MEDIA_IMAGE ? "image" : "file", "payload",
	    c == CHAN_INSTAGRAM ? "url" : "attachment_id", m->ref[c]);
}

/*
 * Telegram's sendPhoto or sendDocument: by file_id, or the upload
 * itself as a form.
 */
static json_t *
telegram_media(const struct chan_conf *cc, const char *addr,
    const char *caption, const struct media *m, struct platform_req *req)
{
	const char *field = m->type == MEDIA_IMAGE ? "photo" : "document";
	struct http_form *f = &req->form;
	json_t *body;

	req->url = platform_tg_url(cc, "%s", m->type == MEDIA_IMAGE ?
	    "sendPhoto" : "sendDocument");
	if (m->ref[CHAN_TELEGRAM] != NULL) {
		body = json_pack("{s:o, s:s}", "chat_id", chat_id(addr),
		    field, m->ref[CHAN_TELEGRAM]);
		if (*caption != '\0')
			json_object_set_new(body, "caption",
			    json_string(caption));
		return body;
	}
	req->upload = 1;
	req->field = xstrdup(addr);
	f->name[f->n] = "chat_id";
	f->value[f->n++] = req->field;
	if (*caption != '\0') {
		f->name[f->n] = "caption";
		f->value[f->n++] = caption;
	}
	f->file_field = field;
	f->file_path = m->path;
	f->file_type = m->mime;
	f->file_name = m->name;
	return NULL;
}

int
platform_request(const struct conf *conf, const char *id, const char *text,
    const struct media *m, enum platform_kind kind, struct platform_req *req)
{
	const struct chan_conf *cc;
	const char *addr, *why;
	enum chan c;
	json_t *body;

	memset(req, 0, sizeof(*req));
	if (chan_check_id(id, &c, &why) == -1)
		return log_errorx("%s", why);
	cc = &conf->chan[c];
	if (!cc->enabled || cc->token.value == NULL)
		return log_errorx("%s is not configured", chan_name(c));
	if (kind == PK_TEMPLATE && (c != CHAN_WHATSAPP || (m != NULL ?
	    cc->template_media : cc->template) == NULL))
		return log_errorx("%s: no template configured", chan_name(c));
	if (m != NULL && c != CHAN_TELEGRAM && m->ref[c] == NULL)
		return log_errorx("%s: the attachment is not uploaded",
		    chan_name(c));
	addr = strchr(id, ':') + 1;
	switch (c) {
	case CHAN_TELEGRAM:
		if (m != NULL) {
			body = telegram_media(cc, addr, text, m, req);
			break;
		}
		req->url = platform_tg_url(cc, "sendMessage");
		body = json_pack("{s:o, s:s}", "chat_id", chat_id(addr),
		    "text", text);
		break;
	case CHAN_WHATSAPP:
		body = whatsapp_body(cc, addr, text, m, kind);
		break;
	case CHAN_MESSENGER:
		body = json_pack("{s:{s:s}, s:s, s:o}", "recipient", "id",
		    addr, "messaging_type", kind == PK_RESPONSE ? "RESPONSE" :
		    "UPDATE", "message", m != NULL ? meta_attachment(c, m) :
		    json_pack("{s:s}", "text", text));
		break;
	default:
		body = json_pack("{s:{s:s}, s:o}", "recipient", "id", addr,
		    "message", m != NULL ? meta_attachment(c, m) :
		    json_pack("{s:s}", "text", text));
		break;
	}
	if (req->upload)
		return 0;
	if (kind == PK_HUMAN_AGENT && body != NULL) {
		json_object_set_new(body, "messaging_type",
		    json_string("MESSAGE_TAG"));
		json_object_set_new(body, "tag", json_string("HUMAN_AGENT"));
	}
	if (c != CHAN_TELEGRAM) {
		xasprintf(&req->url, "%s/%s/messages", cc->api, cc->account);
		req->auth = platform_bearer(cc);
	}
	if (body == NULL || (req->body = json_dumps(body, JSON_COMPACT)) ==
	    NULL) {
		json_decref(body);
		platform_req_release(req);
		return log_errorx("%s: the text is not valid UTF-8",
		    chan_name(c));
	}
	json_decref(body);
	return 0;
}

int
platform_upload(const struct conf *conf, enum chan c, const struct media *m,
    struct platform_req *req)
{
	const struct chan_conf *cc = &conf->chan[c];
	struct http_form *f = &req->form;
	json_t *o;

	memset(req, 0, sizeof(*req));
	if (!cc->enabled || cc->token.value == NULL)
		return log_errorx("%s is not configured", chan_name(c));
	req->upload = 1;
	f->file_path = m->path;
	f->file_type = m->mime;
	f->file_name = m->name;
	if (c == CHAN_WHATSAPP) {
		xasprintf(&req->url, "%s/%s/media", cc->api, cc->account);
		f->name[0] = "messaging_product";
		f->value[0] = "whatsapp";
		f->name[1] = "type";
		f->value[1] = m->mime;
		f->n = 2;
		f->file_field = "file";
	} else if (c == CHAN_MESSENGER) {
		xasprintf(&req->url, "%s/%s/message_attachments", cc->api,
		    cc->account);
		o = json_pack("{s:{s:s, s:{s:b}}}", "attachment", "type",
		    m->type == MEDIA_IMAGE ? "image" : "file", "payload",
		    "is_reusable", 1);
		req->field = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		f->name[0] = "message";
		f->value[0] = req->field;
		f->n = 1;
		f->file_field = "filedata";
	} else
		return log_errorx("%s takes no upload", chan_name(c));
	req->auth = platform_bearer(cc);
	return 0;
}

void
platform_req_release(struct platform_req *req)
{
	platform_wipe(req->url);	/* Telegram's holds the token */
	free(req->body);
	free(req->field);
	platform_wipe(req->auth);
	memset(req, 0, sizeof(*req));
}

char *
platform_bearer(const struct chan_conf *cc)
{
	char *s;

	xasprintf(&s, "Authorization: Bearer %s", cc->token.value);
	return s;
}

char *
platform_tg_url(const struct chan_conf *cc, const char *fmt, ...)
{
	char *tail, *s;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&tail, fmt, ap) == -1)
		xalloc_die();
	va_end(ap);
	xasprintf(&s, "%s/bot%s/%s", cc->api, cc->token.value, tail);
	free(tail);
	return s;
}

void
platform_wipe(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static void
set(struct platform_res *r, enum platform_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set(struct platform_res *r, enum platform_outcome o, const char *fmt, ...)
{
	va_list ap;

	r->outcome = o;
	va_start(ap, fmt);
	(void)vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

/* The file_id of what a sendPhoto or sendDocument sent: the largest size. */
static void
telegram_file_id(const json_t *msg, struct platform_res *r)
{
	const json_t *photo = json_object_get(msg, "photo");
	const char *fid = jsonl_string(json_array_get(photo,
	    json_array_size(photo) - 1), "file_id");

	if (fid == NULL)
		fid = jsonl_string(json_object_get(msg, "document"),
		    "file_id");
	if (fid != NULL)
		(void)strlcpy(r->ref, fid, sizeof(r->ref));
}

static void
telegram_result(const char *id, long status, json_t *o,
    struct platform_res *r)
{
	const char *desc = jsonl_string(o, "description");
	json_t *msg = json_object_get(json_object_get(o, "result"),
	    "message_id");
	json_t *ra = json_object_get(json_object_get(o, "parameters"),
	    "retry_after");

	if (desc == NULL)
		desc = "";
	if (status == 200 && json_is_true(json_object_get(o, "ok")) &&
	    json_is_integer(msg)) {
		(void)snprintf(r->pid, sizeof(r->pid), "%s:%lld", id,
		    (long long)json_integer_value(msg));
		telegram_file_id(json_object_get(o, "result"), r);
		set(r, PO_SENT, "sent");
	} else if (status == 400 && strstr(desc, "wrong file identifier") !=
	    NULL) {
		r->stale_ref = 1;
		set(r, PO_RETRY, "400 %.100s", desc);
	} else if (status == 429) {
		r->retry_after = json_is_integer(ra) ?
		    (long)json_integer_value(ra) : 1;
		set(r, PO_THROTTLE, "429 %.100s", desc);
	} else if (status == 403 || (status == 400 &&
	    strstr(desc, "chat not found") != NULL))
		set(r, PO_GONE, "%ld %.100s", status, desc);
	else if (status == 401 || status == 404)
		set(r, PO_HALT, "%ld %.100s (check token_file)", status, desc);
	else if (status >= 400 && status < 500)
		set(r, PO_REFUSED, "%ld %.100s", status, desc);
	else
		set(r, PO_RETRY, "HTTP %ld", status);
}

/* Meta's error codes (platforms.md §1.5, §3.4, §4.3). */
static const struct {
	long	 code;
	long	 subcode;	/* 0: any */
	enum platform_outcome outcome;
	const char *what;
} meta_codes[] = {
	{ 130429, 0, PO_THROTTLE, "throughput exceeded" },
	{ 4, 0, PO_THROTTLE, "application request limit" },
	{ 613, 0, PO_THROTTLE, "rate limit" },
	{ 80007, 0, PO_THROTTLE, "account rate limit" },
	{ 131048, 0, PO_THROTTLE, "spam rate limit" },
	{ 131056, 0, PO_RETRY, "pair rate limit" },
	{ 131049, 0, PO_RETRY, "not delivered, to keep engagement" },
	{ 1, 0, PO_RETRY, "unknown error" },
	{ 2, 0, PO_RETRY, "temporary error" },
	{ 131000, 0, PO_RETRY, "something went wrong" },
	{ 131016, 0, PO_RETRY, "service unavailable" },
	{ 131053, 0, PO_RETRY, "media upload error" },
	{ 100, 2018047, PO_RETRY, "attachment upload failure" },
	{ 131047, 0, PO_WINDOW, "more than 24 hours since the last message" },
	{ 10, 2018278, PO_WINDOW, "outside the allowed window" },
	{ 131026, 0, PO_GONE, "undeliverable" },
	{ 131050, 0, PO_GONE, "stopped marketing messages" },
	{ 551, 0, PO_GONE, "person not available" },
	{ 100, 2018001, PO_GONE, "no matching user" },
	{ 368, 0, PO_HALT, "account restricted" },
	{ 131031, 0, PO_HALT, "account locked" },
	{ 10, 1893063, PO_HALT, "page temporarily restricted" },
	{ 0, 0, PO_HALT, "authentication failed (check token_file)" },
	{ 190, 0, PO_HALT, "access token expired or revoked" },
};

/* A pair rate limit lets about one message through per 6 seconds. */
#define PAIR_WAIT	6

static void
meta_result(enum chan c, long status, json_t *o, struct platform_res *r)
{
	json_t *err = json_object_get(o, "error"), *code;
	const char *mid;
	long n, sub;
	size_t i;

	mid = c == CHAN_WHATSAPP ? jsonl_string(json_array_get(
	    json_object_get(o, "messages"), 0), "id") :
	    jsonl_string(o, "message_id");
	if (status == 200 && err == NULL && mid != NULL) {
		(void)snprintf(r->pid, sizeof(r->pid), "%s:%s", chan_name(c),
		    mid);
		set(r, PO_SENT, "sent");
		return;
	}
	code = json_object_get(err, "code");
	if (!json_is_integer(code)) {
		if (status >= 400 && status < 500 && status != 408)
			set(r, PO_REFUSED, "HTTP %ld", status);
		else
			set(r, PO_RETRY, "HTTP %ld", status);
		return;
	}
	n = (long)json_integer_value(code);
	sub = (long)json_integer_value(json_object_get(err, "error_subcode"));
	for (i = 0; i < sizeof(meta_codes) / sizeof(meta_codes[0]); i++)
		if (meta_codes[i].code == n && (meta_codes[i].subcode == 0 ||
		    meta_codes[i].subcode == sub)) {
			set(r, meta_codes[i].outcome, "%ld %s", n,
			    meta_codes[i].what);
			if (n == 131056)
				r->retry_after = PAIR_WAIT;
			/* The media id or attachment expired or is unknown. */
			r->stale_ref = n == 131053 || (n == 100 &&
			    sub == 2018047);
			return;
		}
	if (status >= 500)
		set(r, PO_RETRY, "%ld (HTTP %ld)", n, status);
	else
		set(r, PO_REFUSED, "%ld/%ld refused", n, sub);
}

void
platform_result(enum chan c, const char *id, long status, long retry_after,
    const char *body, size_t len, struct platform_res *r)
{
	json_t *o;

	memset(r, 0, sizeof(*r));
	o = json_loadb(body, len, 0, NULL);
	if (!json_is_object(o)) {
		/* A proxy's error page, a cut answer: nothing to go by. */
		if (status >= 400 && status < 500 && status != 408 &&
		    status != 429)
			set(r, PO_REFUSED, "HTTP %ld", status);
		else if (status == 429)
			set(r, PO_THROTTLE, "HTTP 429");
		else
			set(r, PO_RETRY, "HTTP %ld, no JSON", status);
	} else if (c == CHAN_TELEGRAM)
		telegram_result(id, status, o, r);
	else
		meta_result(c, status, o, r);
	json_decref(o);
	/*
	 * HTTP's Retry-After on a 429 or 503 asks every request to wait:
	 * the channel pauses, for the longer of what the header and the
	 * body say.
	 */
	if (retry_after > 0 && (status == 429 || status == 503) &&
	    platform_outcome_temporary(r->outcome)) {
		r->outcome = PO_THROTTLE;
		if (retry_after > r->retry_after)
			r->retry_after = retry_after;
	}
}

void
platform_upload_result(enum chan c, long status, long retry_after,
    const char *body, size_t len, struct platform_res *r)
{
	json_t *o = json_loadb(body, len, 0, NULL);
	const char *ref = jsonl_string(o, c == CHAN_WHATSAPP ? "id" :
	    "attachment_id");

	if (status == 200 && ref != NULL && json_object_get(o,
	    "error") == NULL) {
		memset(r, 0, sizeof(*r));
		(void)strlcpy(r->ref, ref, sizeof(r->ref));
		set(r, PO_SENT, "uploaded");
	} else {
		/*
		 * An error is read as a send's would be, but a media error
		 * refuses the file: the next upload would fare no better.
		 */
		platform_result(c, "", status, retry_after, body, len, r);
		if (r->outcome == PO_SENT)
			set(r, PO_RETRY, "HTTP %ld, no reference", status);
		if (r->stale_ref)
			r->outcome = PO_REFUSED;
		r->stale_ref = 0;
	}
	json_decref(o);
}

static const char *const outcome_names[] = {
	[PO_SENT] = "sent",
	[PO_RETRY] = "retry",
	[PO_THROTTLE] = "throttle",
	[PO_WINDOW] = "window",
	[PO_GONE] = "gone",
	[PO_REFUSED] = "refused",
	[PO_HALT] = "halt",
	[PO_WITHDRAWN] = "withdrawn",
};

const char *
platform_outcome_name(enum platform_outcome o)
{
	return (unsigned)o < sizeof(outcome_names) / sizeof(outcome_names[0]) ?
	    outcome_names[o] : "?";
}

int
platform_outcome_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(outcome_names) / sizeof(outcome_names[0]); i++)
		if (strcmp(outcome_names[i], name) == 0)
			return (int)i;
	return -1;
}

int
platform_outcome_temporary(enum platform_outcome o)
{
	return o == PO_RETRY || o == PO_THROTTLE || o == PO_HALT;
}
