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
request_media(const char *id, const char *text, const struct media *m,
    enum platform_kind kind, struct platform_req *req)
{
	json_t *body;

	assert_int_equal(platform_request(&conf, id, text, m, kind, req), 0);
	body = json_loads(req->body, 0, NULL);
	assert_non_null(body);
	return body;
}

static json_t *
request(const char *id, const char *text, enum platform_kind kind,
    struct platform_req *req)
{
	return request_media(id, text, NULL, kind, req);
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
	assert_int_equal(platform_request(&conf, "telegram:1", "x", NULL,
	    PK_TEMPLATE, &req), -1);
	assert_int_equal(platform_request(&conf, "telegram:1", "\xff", NULL,
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

/* A picture by reference, or uploaded, per platform. */
static void
test_media_requests(void **state)
{
	struct media m;
	struct platform_req req;
	json_t *b;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = MEDIA_IMAGE;
	(void)strlcpy(m.mime, "image/png", sizeof(m.mime));
	m.path = "/tmp/x.png";
	m.name = "x.png";

	/* Telegram without a file_id: the send is the upload. */
	assert_int_equal(platform_request(&conf, "telegram:5", "Fest", &m,
	    PK_UPDATE, &req), 0);
	assert_true(req.upload);
	assert_null(req.body);
	assert_string_equal(req.url, "http://127.0.0.1:1/api/bottok/sendPhoto");
	assert_string_equal(req.form.file_field, "photo");
	assert_string_equal(req.form.name[1], "caption");
	platform_req_release(&req);
	m.ref[CHAN_TELEGRAM] = "AgAD1";
	assert_int_equal(platform_request(&conf, "telegram:5", "", &m,
	    PK_UPDATE, &req), 0);
	b = json_loads(req.body, 0, NULL);
	assert_string_equal(json_string_value(json_object_get(b, "photo")),
	    "AgAD1");
	assert_null(json_object_get(b, "caption"));
	json_decref(b);
	platform_req_release(&req);

	/* WhatsApp needs the media id first; then it sends by it. */
	assert_int_equal(platform_request(&conf, "whatsapp:4917012345678", "Fest", &m,
	    PK_UPDATE, &req), -1);
	assert_int_equal(platform_upload(&conf, CHAN_WHATSAPP, &m, &req), 0);
	assert_string_equal(req.url, "http://127.0.0.1:1/api/42/media");
	assert_string_equal(req.form.file_field, "file");
	platform_req_release(&req);
	m.ref[CHAN_WHATSAPP] = "777";
	b = request_media("whatsapp:4917012345678", "Fest", &m, PK_UPDATE, &req);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b, "image"), "id")), "777");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b, "image"), "caption")), "Fest");
	json_decref(b);
	platform_req_release(&req);

	/* The template with a media header only as template_media. */
	assert_int_equal(platform_request(&conf, "whatsapp:4917012345678", "Fest", &m,
	    PK_TEMPLATE, &req), -1);
	conf.chan[CHAN_WHATSAPP].template_media = "stadt_bild";
	b = request_media("whatsapp:4917012345678", "Fest", &m, PK_TEMPLATE, &req);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    b, "template"), "name")), "stadt_bild");
	json_decref(b);
	platform_req_release(&req);
	conf.chan[CHAN_WHATSAPP].template_media = NULL;

	/* Messenger by attachment_id, Instagram by its public URL. */
	m.ref[CHAN_MESSENGER] = "555";
	b = request_media("messenger:24750000000001", "", &m, PK_UPDATE, &req);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(json_object_get(b, "message"), "attachment"),
	    "payload"), "attachment_id")), "555");
	json_decref(b);
	platform_req_release(&req);
	m.type = MEDIA_DOCUMENT;
	m.ref[CHAN_INSTAGRAM] = "https://stadt.example/m/x.pdf";
	b = request_media("instagram:17840000000001", "", &m, PK_UPDATE, &req);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_object_get(b, "message"), "attachment"), "type")), "file");
	json_decref(b);
	platform_req_release(&req);
}

/* Upload answers, and the references a platform no longer knows. */
static void
test_media_answers(void **state)
{
	struct platform_res r;
	const char *tg = "{\"ok\":true,\"result\":{\"message_id\":3,"
	    "\"photo\":[{\"file_id\":\"small\"},{\"file_id\":\"big\"}]}}";
	const char *stale = "{\"ok\":false,\"error_code\":400,\"description\":"
	    "\"Bad Request: wrong file identifier/HTTP URL specified\"}";
	const char *wa_err = "{\"error\":{\"code\":131053,"
	    "\"message\":\"Media upload error\"}}";

	(void)state;
	platform_result(CHAN_TELEGRAM, "telegram:5", 200, 0, tg, strlen(tg),
	    &r);
	assert_int_equal(r.outcome, PO_SENT);
	assert_string_equal(r.ref, "big");
	platform_result(CHAN_TELEGRAM, "telegram:5", 400, 0, stale,
	    strlen(stale), &r);
	assert_int_equal(r.outcome, PO_RETRY);
	assert_true(r.stale_ref);
	platform_result(CHAN_WHATSAPP, "whatsapp:4", 400, 0, wa_err,
	    strlen(wa_err), &r);
	assert_true(r.stale_ref);

	platform_upload_result(CHAN_WHATSAPP, 200, 0, "{\"id\":\"77\"}", 11,
	    &r);
	assert_int_equal(r.outcome, PO_SENT);
	assert_string_equal(r.ref, "77");
	platform_upload_result(CHAN_MESSENGER, 200, 0,
	    "{\"attachment_id\":\"55\"}", 22, &r);
	assert_string_equal(r.ref, "55");
	/* An upload the platform refuses is refused, not stale. */
	platform_upload_result(CHAN_WHATSAPP, 400, 0, wa_err, strlen(wa_err),
	    &r);
	assert_int_equal(r.outcome, PO_REFUSED);
	assert_false(r.stale_ref);
	platform_upload_result(CHAN_WHATSAPP, 200, 0, "{}", 2, &r);
	assert_int_equal(r.outcome, PO_RETRY);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_media_requests),
		cmocka_unit_test(test_media_answers),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
