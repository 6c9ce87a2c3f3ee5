/* t-platform: the send APIs' requests and what their answers mean. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "platform.h"

static struct conf conf;

static int
setup(void **state)
{
	int c;

	(void)state;
	conf_init(&conf);
	for (c = 0; c < CHAN_COUNT; c++) {
		conf.chan[c].enabled = 1;
		conf.chan[c].api = "http://127.0.0.1:1/api";
		conf.chan[c].account = "42";
		conf.chan[c].token.value = "tok";
	}
	conf.chan[CHAN_WHATSAPP].template = "stadt_news";
	conf.chan[CHAN_WHATSAPP].template_language = "de";
	return 0;
}

static json_t *
request(const char *id, const char *text, enum platform_kind kind,
    struct platform_req *req)
{
	json_t *body;

	assert_int_equal(platform_request(&conf, id, text, kind, req), 0);
	body = json_loads(req->body, 0, NULL);
	assert_non_null(body);
	return body;
}

static void
test_requests(void **state)
{
	struct platform_req req;
	json_t *b;

	(void)state;
	b = request("telegram:5123", "Hallo", PK_UPDATE, &req);
	assert_string_equal(req.url, "http://127.0.0.1:1/api/bottok/sendMessage");
	assert_null(req.auth);
	assert_int_equal(json_integer_value(json_object_get(b, "chat_id")),
	    5123);
	json_decref(b);
	platform_req_release(&req);

	b = request("whatsapp:4917012345678", "Hallo\n\n Welt ", PK_TEMPLATE,
	    &req);
	assert_string_equal(req.url, "http://127.0.0.1:1/api/42/messages");
	assert_string_equal(req.auth, "Authorization: Bearer tok");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b, "template"), "name")), "stadt_news");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(json_object_get(b,
	    "template"), "components"), 0), "parameters"), 0), "text")),
	    "Hallo Welt");
	json_decref(b);
	platform_req_release(&req);

	b = request("messenger:77", "Hallo", PK_RESPONSE, &req);
	assert_string_equal(json_string_value(json_object_get(b,
	    "messaging_type")), "RESPONSE");
	json_decref(b);
	platform_req_release(&req);

	b = request("instagram:88", "Hallo", PK_UPDATE, &req);
	assert_null(json_object_get(b, "messaging_type"));
	json_decref(b);
	platform_req_release(&req);

	/* No template on Telegram; invalid UTF-8 never leaves. */
	assert_int_equal(platform_request(&conf, "telegram:1", "x",
	    PK_TEMPLATE, &req), -1);
	assert_int_equal(platform_request(&conf, "telegram:1", "\xff",
	    PK_UPDATE, &req), -1);
}

static const struct {
	enum chan chan;
	long	 status;
	const char *body;
	enum platform_outcome outcome;
	long	 retry_after;
	const char *pid;
	long	 header;	/* the Retry-After header's seconds */
} answers[] = {
	{ CHAN_TELEGRAM, 200, "{\"ok\":true,\"result\":{\"message_id\":7}}",
	    PO_SENT, 0, "telegram:5:7", 0 },
	{ CHAN_TELEGRAM, 429, "{\"ok\":false,\"error_code\":429,"
	    "\"description\":\"Too Many Requests: retry after 9\","
	    "\"parameters\":{\"retry_after\":9}}", PO_THROTTLE, 9, NULL, 0 },
	{ CHAN_TELEGRAM, 403, "{\"ok\":false,\"error_code\":403,"
	    "\"description\":\"Forbidden: bot was blocked by the user\"}",
	    PO_GONE, 0, NULL, 0 },
	{ CHAN_TELEGRAM, 400, "{\"ok\":false,\"error_code\":400,"
	    "\"description\":\"Bad Request: chat not found\"}", PO_GONE, 0,
	    NULL, 0 },
	{ CHAN_TELEGRAM, 400, "{\"ok\":false,\"error_code\":400,"
	    "\"description\":\"Bad Request: message is too long\"}",
	    PO_REFUSED, 0, NULL, 0 },
	{ CHAN_TELEGRAM, 401, "{\"ok\":false,\"error_code\":401}", PO_HALT, 0,
	    NULL, 0 },
	{ CHAN_TELEGRAM, 502, "<html>Bad Gateway</html>", PO_RETRY, 0, NULL, 0 },
	{ CHAN_WHATSAPP, 200, "{\"messages\":[{\"id\":\"wamid.X\"}]}", PO_SENT,
	    0, "whatsapp:wamid.X", 0 },
	{ CHAN_WHATSAPP, 400, "{\"error\":{\"code\":131047}}", PO_WINDOW, 0,
	    NULL, 0 },
	{ CHAN_WHATSAPP, 400, "{\"error\":{\"code\":131026}}", PO_GONE, 0,
	    NULL, 0 },
	{ CHAN_WHATSAPP, 400, "{\"error\":{\"code\":130429}}", PO_THROTTLE, 0,
	    NULL, 0 },
	{ CHAN_WHATSAPP, 400, "{\"error\":{\"code\":131056}}", PO_RETRY, 6,
	    NULL, 0 },
	{ CHAN_WHATSAPP, 401, "{\"error\":{\"code\":190}}", PO_HALT, 0, NULL, 0 },
	{ CHAN_WHATSAPP, 500, "{\"error\":{\"code\":2}}", PO_RETRY, 0, NULL, 0 },
	{ CHAN_MESSENGER, 200, "{\"recipient_id\":\"5\",\"message_id\":\"m_1\"}",
	    PO_SENT, 0, "messenger:m_1", 0 },
	{ CHAN_MESSENGER, 400, "{\"error\":{\"code\":10,"
	    "\"error_subcode\":2018278}}", PO_WINDOW, 0, NULL, 0 },
	{ CHAN_MESSENGER, 403, "{\"error\":{\"code\":10,"
	    "\"error_subcode\":1893063}}", PO_HALT, 0, NULL, 0 },
	{ CHAN_MESSENGER, 400, "{\"error\":{\"code\":551}}", PO_GONE, 0, NULL, 0 },
	{ CHAN_MESSENGER, 400, "{\"error\":{\"code\":613}}", PO_THROTTLE, 0,
	    NULL, 0 },
	{ CHAN_INSTAGRAM, 400, "{\"error\":{\"code\":100,"
	    "\"error_subcode\":2018001}}", PO_GONE, 0, NULL, 0 },
	{ CHAN_INSTAGRAM, 400, "{\"error\":{\"code\":100}}", PO_REFUSED, 0,
	    NULL, 0 },
	{ CHAN_INSTAGRAM, 200, "{}", PO_RETRY, 0, NULL, 0 },
	/* Retry-After: a 503 or 429 that says how long pauses the channel. */
	{ CHAN_WHATSAPP, 503, "{\"error\":{\"code\":2}}", PO_THROTTLE, 30,
	    NULL, 30 },
	{ CHAN_MESSENGER, 503, "<html>Service Unavailable</html>",
	    PO_THROTTLE, 12, NULL, 12 },
	{ CHAN_TELEGRAM, 429, "{\"ok\":false,\"error_code\":429,"
	    "\"parameters\":{\"retry_after\":3}}", PO_THROTTLE, 5, NULL, 5 },
	{ CHAN_TELEGRAM, 429, "{\"ok\":false,\"error_code\":429,"
	    "\"parameters\":{\"retry_after\":8}}", PO_THROTTLE, 8, NULL, 5 },
	{ CHAN_WHATSAPP, 200, "{\"messages\":[{\"id\":\"wamid.Y\"}]}",
	    PO_SENT, 0, "whatsapp:wamid.Y", 60 },
	{ CHAN_WHATSAPP, 400, "{\"error\":{\"code\":131026}}", PO_GONE, 0,
	    NULL, 60 },
};

static void
test_answers(void **state)
{
	struct platform_res r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
		platform_result(answers[i].chan, "telegram:5",
		    answers[i].status, answers[i].header, answers[i].body,
		    strlen(answers[i].body), &r);
		if (r.outcome != answers[i].outcome)
			fail_msg("answer %zu: %s, not %s (%s)", i,
			    platform_outcome_name(r.outcome),
			    platform_outcome_name(answers[i].outcome), r.why);
		assert_int_equal(r.retry_after, answers[i].retry_after);
		if (answers[i].pid != NULL)
			assert_string_equal(r.pid, answers[i].pid);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_answers),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
