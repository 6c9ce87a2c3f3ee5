/* tgpoll.c: Telegram's getUpdates; see tgpoll.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "jsonl.h"
#include "log.h"
#include "platform.h"
#include "tgpoll.h"
#include "xalloc.h"

/* The updates hb acts on; Telegram sends no others. */
#define ALLOWED	"[\"message\",\"edited_message\",\"callback_query\"," \
	"\"my_chat_member\",\"message_reaction\"]"

int
tgpoll_fetch(const struct chan_conf *tg, long long offset, long timeout,
    json_t **updates, long *retry_after)
{
	struct http_response r;
	const char *desc;
	struct http_req req = { 0 };
	json_t *o, *params;
	char *url, body[512];
	int answered, rc = TGPOLL_TEMPFAIL;

	*updates = NULL;
	*retry_after = 0;
	(void)snprintf(body, sizeof(body), "{\"offset\":%lld,\"timeout\":%ld,"
	    "\"allowed_updates\":" ALLOWED "}", offset, timeout);
	url = platform_tg_url(tg, "getUpdates");
	req.url = url;
	req.json = body;
	answered = http_request("telegram getUpdates", &req, timeout, &r) ==
	    HTTP_OK;
	platform_wipe(url);
	if (!answered)
		return TGPOLL_TEMPFAIL;
	o = json_loadb(r.body, r.len, 0, NULL);
	desc = jsonl_string(o, "description");
	if (r.status == 200 && json_is_true(json_object_get(o, "ok")) &&
	    json_is_array(json_object_get(o, "result"))) {
		*updates = json_incref(json_object_get(o, "result"));
		rc = TGPOLL_OK;
	} else if (r.status == 429 || r.status >= 500 || o == NULL) {
		params = json_object_get(o, "parameters");
		*retry_after = json_integer_value(json_object_get(params,
		    "retry_after"));
		log_errorx("telegram getUpdates: %ld %s", r.status,
		    desc != NULL ? desc : "");
	} else {
		/* 401 a bad token, 409 a webhook is set: no retry helps. */
		log_errorx("telegram getUpdates: %ld %s%s", r.status,
		    desc != NULL ? desc : "", r.status == 409 ? " (delete the "
		    "webhook, or run hb-ingest as CGI)" : "");
		rc = TGPOLL_PERMFAIL;
	}
	json_decref(o);
	http_response_release(&r);
	return rc;
}
