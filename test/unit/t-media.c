/* t-media: what hb sends as a picture or document, and where it fits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "media.h"

static void
test_sniff(void **state)
{
	const char *mime = NULL;

	(void)state;
	assert_int_equal(media_sniff("\xff\xd8\xff\xe0", 4, &mime),
	    MEDIA_IMAGE);
	assert_string_equal(mime, "image/jpeg");
	assert_int_equal(media_sniff("\x89PNG\r\n\x1a\n", 8, &mime),
	    MEDIA_IMAGE);
	assert_string_equal(mime, "image/png");
	assert_int_equal(media_sniff("%PDF-1.7", 8, &mime), MEDIA_DOCUMENT);
	assert_string_equal(mime, "application/pdf");
	/* The name says nothing; a cut magic, a GIF, text: none. */
	assert_int_equal(media_sniff("\x89PNG\r\n", 6, NULL), MEDIA_NONE);
	assert_int_equal(media_sniff("GIF89a", 6, NULL), MEDIA_NONE);
	assert_int_equal(media_sniff("%PDF", 4, NULL), MEDIA_NONE);
	assert_int_equal(media_sniff("", 0, NULL), MEDIA_NONE);
}

static void
test_fits(void **state)
{
	struct conf conf;
	char why[200];

	(void)state;
	conf_init(&conf);
	assert_int_equal(media_fits(&conf, CHAN_WHATSAPP, MEDIA_IMAGE,
	    5000000, why, sizeof(why)), 0);
	assert_int_equal(media_fits(&conf, CHAN_WHATSAPP, MEDIA_IMAGE,
	    5000001, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "whatsapp takes images of up to 5 MB"));
	assert_int_equal(media_fits(&conf, CHAN_WHATSAPP, MEDIA_DOCUMENT,
	    90000000, why, sizeof(why)), 0);
	assert_int_equal(media_fits(&conf, CHAN_TELEGRAM, MEDIA_IMAGE,
	    10000001, why, sizeof(why)), -1);
	assert_int_equal(media_fits(&conf, CHAN_MESSENGER, MEDIA_DOCUMENT,
	    25000001, why, sizeof(why)), -1);
	/* Instagram takes a public URL only: without one, nothing. */
	assert_int_equal(media_fits(&conf, CHAN_INSTAGRAM, MEDIA_IMAGE, 10,
	    why, sizeof(why)), -1);
	assert_non_null(strstr(why, "media_url"));
	conf.chan[CHAN_INSTAGRAM].media_url = "https://stadt.example/m";
	conf.chan[CHAN_INSTAGRAM].media_dir = "/srv/m";
	assert_int_equal(media_fits(&conf, CHAN_INSTAGRAM, MEDIA_IMAGE,
	    8000000, why, sizeof(why)), 0);
	assert_int_equal(media_fits(&conf, CHAN_INSTAGRAM, MEDIA_IMAGE,
	    8000001, why, sizeof(why)), -1);
	conf.chan[CHAN_INSTAGRAM].media_url = NULL;
	conf.chan[CHAN_INSTAGRAM].media_dir = NULL;
	conf_release(&conf);
}

static void
test_caption(void **state)
{
	char text[2100];
	size_t i;

	(void)state;
	memset(text, 'x', sizeof(text));
	text[1024] = '\0';
	assert_true(media_caption_fits(CHAN_TELEGRAM, text));
	assert_true(media_caption_fits(CHAN_WHATSAPP, text));
	assert_false(media_caption_fits(CHAN_MESSENGER, "x"));
	assert_false(media_caption_fits(CHAN_INSTAGRAM, "x"));
	text[1024] = 'x';
	text[1025] = '\0';
	assert_false(media_caption_fits(CHAN_TELEGRAM, text));
	/* Characters, not bytes: 1,024 umlauts fit. */
	for (i = 0; i < 1024; i++)
		memcpy(text + 2 * i, "\xc3\xa4", 2);
	text[2 * 1024] = '\0';
	assert_true(media_caption_fits(CHAN_TELEGRAM, text));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_caption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
