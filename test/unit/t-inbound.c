/*
 * t-inbound: the platform adapters, on the seed bodies the fuzzers
 * start from (test/fuzz/corpus) and on hand-made edge cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "readall.h"
#include "inbound.h"

static struct in_events evs;

static int
parse_file(int chan, const char *path)
{
	char *buf, err[256];
	size_t len;
	int rc;

	in_events_release(&evs);
	assert_int_equal(readall(path, &buf, &len), 0);
	rc = inbound_parse(chan, buf, len, &evs, err, sizeof(err));
	free(buf);
	return rc;
}

static int
parse(int chan, const char *body)
{
	char err[256];

	in_events_release(&evs);
	return inbound_parse(chan, body, strlen(body), &evs, err, sizeof(err));
}

#define CORPUS	"test/fuzz/corpus/"

static void
test_whatsapp(void **state)
{
	struct in_event *e;

	(void)state;
	assert_int_equal(parse_file(CHAN_WHATSAPP, CORPUS "whatsapp/start.json"),
	    0);
	assert_int_equal(evs.n, 1);
	e = &evs.v[0];
	assert_int_equal(e->kind, IN_MESSAGE);
	assert_string_equal(e->id, "whatsapp:4917012345678");
	assert_string_equal(e->alias, "DE.4711081547110815");
	assert_string_equal(e->name, "Erika Mustermann");
	assert_string_equal(e->text, "Start");
	assert_int_equal(e->time, 1767772800);
	assert_int_equal(parse_file(-1, CORPUS "whatsapp/system.json"), 0);
	assert_int_equal(evs.n, 2);
	assert_int_equal(evs.v[0].kind, IN_RENUMBER);
	assert_string_equal(evs.v[0].new_id, "whatsapp:4917099999999");
	assert_string_equal(evs.v[1].type, "interactive");
	assert_string_equal(evs.v[1].payload, "UNSUBSCRIBE");
	assert_string_equal(evs.v[1].text, "Stopp");
	assert_int_equal(parse_file(-1, CORPUS "whatsapp/status.json"), 0);
	assert_int_equal(evs.v[0].kind, IN_STATUS);
	assert_string_equal(evs.v[0].ref, "whatsapp:wamid.X");
	assert_int_equal(evs.v[0].error, 131047);
}

static void
test_telegram(void **state)
{
	(void)state;
	assert_int_equal(parse_file(-1, CORPUS "telegram/start.json"), 0);
	assert_string_equal(evs.v[0].id, "telegram:5123456789");
	assert_string_equal(evs.v[0].name, "Erika Mustermann");
	assert_string_equal(evs.v[0].lang, "de");
	assert_string_equal(evs.v[0].pid, "telegram:u712345678");
	assert_int_equal(parse_file(-1, CORPUS "telegram/kicked.json"), 0);
	assert_int_equal(evs.v[0].kind, IN_BLOCKED);
	assert_int_equal(parse_file(-1, CORPUS "telegram/callback.json"), 0);
	assert_string_equal(evs.v[0].type, "postback");
	assert_string_equal(evs.v[0].payload, "STOP");
	/* A group is not the city's business: no event, no error. */
	assert_int_equal(parse(-1, "{\"update_id\":1,\"message\":{\"chat\":"
	    "{\"id\":-5,\"type\":\"group\"},\"date\":1,\"text\":\"Start\"}}"), 0);
	assert_int_equal(evs.n, 0);
}

static void
test_meta(void **state)
{
	(void)state;
	assert_int_equal(parse_file(-1, CORPUS "messenger/events.json"), 0);
	/* postback, delivery, reaction; the echo is skipped */
	assert_int_equal(evs.n, 3);
	assert_string_equal(evs.v[0].text, "Alle Daten löschen");
	assert_string_equal(evs.v[0].pid, "messenger:pb.m_2");
	assert_int_equal(evs.v[1].kind, IN_STATUS);
	assert_string_equal(evs.v[1].ref, "messenger:m_3");
	assert_int_equal(evs.v[1].watermark, 1767773000);
	assert_string_equal(evs.v[2].type, "reaction");
	assert_int_equal(parse_file(-1, CORPUS "instagram/read.json"), 0);
	assert_int_equal(evs.n, 2);
	assert_string_equal(evs.v[0].status, "read");
	assert_string_equal(evs.v[0].ref, "instagram:aWdfZAG1");
	assert_string_equal(evs.v[1].type, "image");
}

/* What the office needs to see a picture, a place, a contact. */
static void
test_media(void **state)
{
	json_t *m;

	(void)state;
	assert_int_equal(parse_file(CHAN_TELEGRAM, CORPUS "telegram/media.json"),
	    0);
	assert_string_equal(json_string_value(json_object_get(evs.v[0].media,
	    "ref")), "AgACAgIAAxkBAAIBlarge");	/* the largest size */
	assert_int_equal(json_integer_value(json_object_get(evs.v[0].media,
	    "size")), 98765);
	assert_string_equal(evs.v[0].text, "Schlagloch vor Nr. 12");
	assert_int_equal(parse_file(CHAN_TELEGRAM, CORPUS "telegram/venue.json"),
	    0);
	assert_string_equal(json_string_value(json_object_get(
	    evs.v[0].location, "name")), "Marktplatz");

	assert_int_equal(parse_file(CHAN_WHATSAPP, CORPUS "whatsapp/media.json"),
	    0);
	assert_int_equal(evs.n, 4);
	m = evs.v[0].media;
	assert_string_equal(json_string_value(json_object_get(m, "ref")),
	    "1234567890123456");
	assert_string_equal(json_string_value(json_object_get(m, "mime")),
	    "image/jpeg");
	assert_true(json_real_value(json_object_get(evs.v[1].location,
	    "latitude")) > 49.14);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    evs.v[2].contact, "numbers"), 0)), "+49 170 1234567");
	assert_string_equal(json_string_value(json_object_get(evs.v[3].media,
	    "name")), "antrag.pdf");

	assert_int_equal(parse_file(CHAN_MESSENGER, CORPUS
	    "messenger/media.json"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(
	    evs.v[0].media, "ref")), "https://scontent.example/"));
	assert_int_equal(parse_file(CHAN_INSTAGRAM, CORPUS
	    "instagram/media.json"), 0);
	assert_string_equal(evs.v[0].type, "file");

	/* Coordinates that are no numbers: no location, and no failure. */
	assert_int_equal(parse(CHAN_TELEGRAM, "{\"update_id\":1,\"message\":"
	    "{\"message_id\":1,\"date\":1,\"chat\":{\"id\":5,\"type\":"
	    "\"private\"},\"from\":{\"id\":5},\"location\":{\"latitude\":"
	    "\"49\",\"longitude\":9}}}"), 0);
	assert_null(evs.v[0].location);
}

static void
test_refusals(void **state)
{
	static const struct {
		int chan;
		const char *body;
	} bad[] = {
		{ -1, "" },
		{ -1, "[]" },
		{ -1, "{\"object\":\"user\"}" },
		{ CHAN_WHATSAPP, "{\"object\":\"page\",\"entry\":[]}" },
		{ -1, "{\"object\":\"page\",\"entry\":{}}" },
		{ -1, "{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":"
		    "{\"id\":\"abc\"},\"message\":{\"text\":\"x\"}}]}]}" },
		{ -1, "{\"update_id\":\"1\"}" },
		{ -1, "{\"update_id\":1,\"message\":{\"chat\":{\"id\":0},"
		    "\"text\":\"x\"}}" },
		{ -1, "{\"object\":\"whatsapp_business_account\",\"entry\":[{"
		    "\"changes\":[{\"field\":\"messages\",\"value\":{\"messages\":"
		    "[{\"id\":\"w\",\"type\":\"text\",\"from\":\"+49\"}]}}]}]}" },
		{ -1, "{\"a\":1,\"a\":2}" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i].chan, bad[i].body) != -1)
			fail_msg("accepted: %s", bad[i].body);
		assert_int_equal(evs.n, 0);
	}
	in_events_release(&evs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whatsapp),
		cmocka_unit_test(test_telegram),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_media),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
