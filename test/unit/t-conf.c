/* t-conf: hb.conf(5) through conf_load(). */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

#include "conf.h"

static char dir[] = "/tmp/t-conf.XXXXXX";

static const char *
file(const char *name, const char *content, mode_t mode)
{
	static char path[256];
	FILE *fp;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(content, fp);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmtree(dir);
}

static void
test_defaults(void **state)
{
	struct conf c;

	(void)state;
	conf_init(&c);
	assert_string_equal(c.home, "/var/lib/hb");
	assert_string_equal(c.timezone, "Europe/Berlin");
	assert_int_equal(c.daily_limit, 1);
	assert_int_equal(c.quiet_start, -1);
	assert_int_equal(c.max_body, 4194304);
	assert_int_equal(c.retain_messages, 180);
	assert_int_equal(c.chan[CHAN_TELEGRAM].enabled, 0);
	conf_release(&c);
}

static void
test_channels_and_secrets(void **state)
{
	char conf[1024];
	struct conf c;
	const struct chan_conf *tg, *ms;

	(void)state;
	file("tg.token", "123:abc\n", 0600);
	file("meta.secret", "appsecret", 0640);
	file("meta.verify", "verify\n", 0600);
	file("ms.token", "pagetoken\n", 0600);
	(void)snprintf(conf, sizeof(conf),
	    "[hb]\nquiet_hours = 21:30-06:45\n"
	    "[telegram]\ntoken_file = %s/tg.token\n"
	    "[messenger]\npage_id = 1048\ntoken_file = %s/ms.token\n"
	    "app_secret_file = %s/meta.secret\n"
	    "verify_token_file = %s/meta.verify\nrate = 7\n",
	    dir, dir, dir, dir);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644),
	    CONF_TOKENS), 0);
	tg = &c.chan[CHAN_TELEGRAM];
	ms = &c.chan[CHAN_MESSENGER];
	assert_true(tg->enabled);
	assert_false(c.chan[CHAN_WHATSAPP].enabled);
	/* One final newline is not part of the secret. */
	assert_string_equal(tg->token.value, "123:abc");
	assert_int_equal(tg->token.len, 7);
	assert_string_equal(ms->app_secret.value, "appsecret");
	assert_string_equal(ms->account, "1048");
	assert_int_equal(ms->rate, 7);
	assert_int_equal(tg->rate, 25);
	assert_string_equal(tg->api, "https://api.telegram.org");
	assert_string_equal(ms->get_started, "GET_STARTED");
	assert_int_equal(c.quiet_start, 21 * 60 + 30);
	assert_int_equal(c.quiet_end, 6 * 60 + 45);
	conf_release(&c);
}

static void
test_secret_refused(void **state)
{
	char conf[512];
	struct conf c;

	(void)state;
	file("open.token", "x\n", 0604);
	(void)snprintf(conf, sizeof(conf),
	    "[hb]\n[telegram]\ntoken_file = %s/open.token\n", dir);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644),
	    CONF_TOKENS), -1);
	conf_release(&c);
	file("two.token", "a\nb\n", 0600);
	(void)snprintf(conf, sizeof(conf),
	    "[hb]\n[telegram]\ntoken_file = %s/two.token\n", dir);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644),
	    CONF_TOKENS), -1);
	conf_release(&c);
	/* A secret file is refused whoever reads the configuration. */
	file("open.secret", "x\n", 0604);
	(void)snprintf(conf, sizeof(conf),
	    "[hb]\n[telegram]\ntoken_file = %s/tg.token\n"
	    "secret_file = %s/open.secret\n", dir, dir);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644), 0), -1);
	conf_release(&c);
}

/*
 * Only the programs that send read the send tokens: without CONF_TOKENS
 * a token file that is not there (or not readable) is no error, and its
 * path is still required and printed.
 */
static void
test_tokens_for_senders_only(void **state)
{
	char conf[512];
	struct conf c;

	(void)state;
	file("tg.secret", "s3cret\n", 0640);
	(void)snprintf(conf, sizeof(conf),
	    "[hb]\n[telegram]\ntoken_file = %s/no.such.token\n"
	    "secret_file = %s/tg.secret\n", dir, dir);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644), 0), 0);
	assert_null(c.chan[CHAN_TELEGRAM].token.value);
	assert_string_equal(c.chan[CHAN_TELEGRAM].secret.value, "s3cret");
	conf_release(&c);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644),
	    CONF_TOKENS), -1);
	conf_release(&c);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf",
	    "[hb]\n[telegram]\n", 0644), 0), -1);
	conf_release(&c);
}

static void
test_texts(void **state)
{
	struct conf c;

	(void)state;
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf",
	    "[hb]\nlanguage = de\n[texts.de]\nwelcome = Hallo!\\nNeue Zeile "
	    "\\\\ Ende\n[texts.fr]\nhelp = Aide\n", 0644), 0), 0);
	assert_string_equal(conf_text(&c, "de", TEXT_WELCOME),
	    "Hallo!\nNeue Zeile \\ Ende");
	/* Built-in where nothing is configured, in the asked language. */
	assert_non_null(strstr(conf_text(&c, "de", TEXT_GOODBYE),
	    "abgemeldet"));
	assert_non_null(strstr(conf_text(&c, "en", TEXT_GOODBYE), "left"));
	/* A configured language without the text: the default language. */
	assert_string_equal(conf_text(&c, "fr", TEXT_HELP), "Aide");
	assert_non_null(strstr(conf_text(&c, "fr", TEXT_ERASED), "gelöscht"));
	/* The welcome carries the privacy notice and the age note. */
	assert_non_null(strstr(conf_text(&c, "de", TEXT_HELP), "Datenschutz"));
	conf_release(&c);
	conf_init(&c);
	assert_non_null(strstr(conf_text(&c, "de", TEXT_WELCOME), "16 Jahren"));
	/* The welcome promises what daily_limit keeps. */
	assert_non_null(strstr(conf_text(&c, "de", TEXT_WELCOME),
	    "höchstens eine Nachricht am Tag"));
	c.daily_limit = 3;
	assert_non_null(strstr(conf_text(&c, "de", TEXT_WELCOME),
	    "höchstens 3 Nachrichten am Tag"));
	assert_non_null(strstr(conf_text(&c, "en", TEXT_WELCOME),
	    "at most 3 messages a day"));
	c.daily_limit = 0;
	assert_null(strstr(conf_text(&c, "de", TEXT_WELCOME), "höchstens"));
	assert_non_null(strstr(conf_text(&c, "de", TEXT_WELCOME), "Stopp"));
	assert_non_null(strstr(conf_text(&c, "de", TEXT_WELCOME), "Datenschutz"));
	conf_release(&c);
}

static void
test_errors(void **state)
{
	static const char *const bad[] = {
		"[hb]\nnope = 1\n",
		"nope = 1\n",
		"[hb]\ndaily_limit = -1\n",
		"[hb]\nmax_body = 10\n",
		"[hb]\ndaily_limit = 1\ndaily_limit = 1\n",
		"[hb]\nhome = a\x01b\n",
		"[texts.DE]\nwelcome = x\n",
		"[whatsapp]\ntemplate = x\n",
		"[hb]\napproval = maybe\n",
		"[hb]\ntesters = telegram:1, telegram:@x\n",
		"[hb]\ntesters = telegram:1 signal:2\n",
		"[hb]\ncatch_up = 400\n",
		"[topics]\nBaustellen = x\n",
		"[topics]\na = x\na = y\n",
		"[texts.de]\nnews_x = x\n",
	};
	struct conf c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		conf_init(&c);
		if (conf_load(&c, file("hb.conf", bad[i], 0644), 0) != -1)
			fail_msg("accepted: %s", bad[i]);
		conf_release(&c);
	}
}

/* [topics], testers, approval, template_price, a public channel. */
static void
test_reach(void **state)
{
	char conf[1024], **ids;
	struct conf c;
	size_t n, i;

	(void)state;
	file("tok", "t\n", 0600);
	(void)snprintf(conf, sizeof(conf), "[hb]\ntesters = telegram:51, "
	    "whatsapp:4917012345678\napproval = yes\ncatch_up = 3\n"
	    "[telegram]\ntoken_file = %s/tok\nchannel = @stadt_news\n"
	    "[whatsapp]\ntoken_file = %s/tok\napp_secret_file = %s/tok\n"
	    "verify_token_file = %s/tok\nphone_number_id = 1\n"
	    "template_price = 0.0613\n"
	    "[topics]\nbaustellen = Baustellen, Verkehr\nkultur = Kultur\n",
	    dir, dir, dir, dir);
	conf_init(&c);
	assert_int_equal(conf_load(&c, file("hb.conf", conf, 0644), 0), 0);
	assert_int_equal(c.approval, 1);
	assert_int_equal(c.catch_up, 3);
	assert_true(c.chan[CHAN_WHATSAPP].template_price > 0.0612 &&
	    c.chan[CHAN_WHATSAPP].template_price < 0.0614);
	assert_string_equal(c.chan[CHAN_TELEGRAM].channel,
	    "telegram:@stadt_news");
	assert_int_equal(c.ntopics, 2);
	assert_int_equal(conf_topic(&c, "kultur"), 1);
	assert_int_equal(conf_topic(&c, "sport"), -1);
	conf_testers(&c, &ids, &n);
	assert_int_equal(n, 2);
	assert_string_equal(ids[1], "whatsapp:4917012345678");
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	conf_release(&c);
	conf_init(&c);
	assert_int_equal(c.approval, 0);
	assert_int_equal(c.catch_up, 7);
	conf_release(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_channels_and_secrets),
		cmocka_unit_test(test_secret_refused),
		cmocka_unit_test(test_tokens_for_senders_only),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
