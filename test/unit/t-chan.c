/* t-chan: channel names and subscriber IDs (DESIGN §3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "chan.h"

static const struct {
	const char *id;
	int chan;		/* -1: refused */
} cases[] = {
	{ "telegram:5123456789", CHAN_TELEGRAM },
	{ "whatsapp:4917012345678", CHAN_WHATSAPP },
	{ "whatsapp:DE.4711081547110815", CHAN_WHATSAPP },
	{ "messenger:6543210987654321", CHAN_MESSENGER },
	{ "instagram:1234567890123456", CHAN_INSTAGRAM },
	{ "telegram:", -1 },
	{ "telegram:-100123", -1 },		/* groups are not subscribers */
	{ "telegram:12a", -1 },
	{ "telegram:123456789012345678901", -1 },
	{ "whatsapp:+4917012345678", -1 },
	{ "whatsapp:49170", -1 },		/* too short for E.164 */
	{ "whatsapp:4917012345678901", -1 },	/* 16 digits */
	{ "whatsapp:de.123", -1 },
	{ "whatsapp:DE.", -1 },
	{ "whatsapp:DE.12-3", -1 },
	{ "messenger:abc", -1 },
	{ "instagram:", -1 },
	{ "signal:123", -1 },
	{ "Telegram:123", -1 },
	{ "telegram 123", -1 },
	{ "", -1 },
	{ ":", -1 },
	{ "telegram:1;rm -rf /", -1 },
	/* A public channel: an address to post to (chan_is_public). */
	{ "telegram:@stadt_news", CHAN_TELEGRAM },
	{ "telegram:@abc", -1 },		/* too short */
	{ "telegram:@1stadt", -1 },		/* a letter first */
	{ "telegram:@stadt-news", -1 },
	{ "whatsapp:@stadt_news", -1 },
};

static void
test_ids(void **state)
{
	const char *why;
	enum chan c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		rc = chan_check_id(cases[i].id, &c, &why);
		if (cases[i].chan < 0) {
			if (rc != -1)
				fail_msg("accepted \"%s\"", cases[i].id);
			assert_non_null(why);
		} else {
			if (rc != 0)
				fail_msg("refused \"%s\": %s", cases[i].id, why);
			assert_int_equal(c, cases[i].chan);
		}
	}
}

static void
test_long_bsuid(void **state)
{
	char id[200] = "whatsapp:DE.";
	enum chan c;
	const char *why;

	(void)state;
	memset(id + 12, 'a', 128);
	assert_int_equal(chan_check_id(id, &c, &why), 0);
	id[12 + 128] = 'a';
	assert_int_equal(chan_check_id(id, &c, &why), -1);
}

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(chan_lookup("whatsapp", 8), CHAN_WHATSAPP);
	assert_int_equal(chan_lookup("whatsapp:1", 8), CHAN_WHATSAPP);
	assert_int_equal(chan_lookup("whats", 5), -1);
	assert_string_equal(chan_name(CHAN_INSTAGRAM), "instagram");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_long_bsuid),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
