/* t-keyword: the keyword matcher of DESIGN §2.2, table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "keyword.h"

static const struct {
	const char *text;
	enum kw_intent want;
} cases[] = {
	/* Every keyword, as written in DESIGN. */
	{ "Start", KW_SUBSCRIBE },
	{ "Anmelden", KW_SUBSCRIBE },
	{ "/start", KW_SUBSCRIBE },
	{ "Stopp", KW_UNSUBSCRIBE },
	{ "Stop", KW_UNSUBSCRIBE },
	{ "Abmelden", KW_UNSUBSCRIBE },
	{ "Abbestellen", KW_UNSUBSCRIBE },
	{ "Ende", KW_UNSUBSCRIBE },
	{ "/stop", KW_UNSUBSCRIBE },
	{ "Unsubscribe", KW_UNSUBSCRIBE },
	{ "Alle Daten löschen", KW_ERASE },
	{ "Alle Daten loeschen", KW_ERASE },
	{ "Daten löschen", KW_ERASE },
	{ "/delete", KW_ERASE },
	{ "Hilfe", KW_HELP },
	{ "Help", KW_HELP },
	{ "Info", KW_HELP },
	{ "/help", KW_HELP },
	{ "Meine Daten", KW_MYDATA },
	/* Upper, lower and mixed case. */
	{ "START", KW_SUBSCRIBE },
	{ "start", KW_SUBSCRIBE },
	{ "sTaRt", KW_SUBSCRIBE },
	{ "STOPP", KW_UNSUBSCRIBE },
	{ "stopp", KW_UNSUBSCRIBE },
	{ "sToPp", KW_UNSUBSCRIBE },
	{ "ALLE DATEN LÖSCHEN", KW_ERASE },
	{ "alle daten löschen", KW_ERASE },
	{ "aLLe DaTen LöScHeN", KW_ERASE },
	{ "MEINE DATEN", KW_MYDATA },
	{ "hilfe", KW_HELP },
	{ "ABMELDEN", KW_UNSUBSCRIBE },
	/* White space around and inside, trailing punctuation. */
	{ "  Stopp  ", KW_UNSUBSCRIBE },
	{ "\tStart\n", KW_SUBSCRIBE },
	{ "Stopp!", KW_UNSUBSCRIBE },
	{ "Stopp!!!", KW_UNSUBSCRIBE },
	{ "Start.", KW_SUBSCRIBE },
	{ "Hilfe?", KW_HELP },
	{ "Stopp ! ", KW_UNSUBSCRIBE },
	{ "Start…", KW_SUBSCRIBE },
	{ "Alle  Daten   löschen", KW_ERASE },
	{ "Alle\u00a0Daten\u00a0löschen", KW_ERASE },	/* no-break spaces */
	{ "Alle Daten löschen.", KW_ERASE },
	{ "Meine Daten?", KW_MYDATA },
	{ "\xe2\x80\x8bStopp", KW_UNSUBSCRIBE },	/* zero-width space */
	{ "„Stopp“", KW_UNSUBSCRIBE },		/* copied with quotes */
	{ "\"Start\"", KW_SUBSCRIBE },
	/* Umlaut and ß folding, either spelling, either case. */
	{ "Alle Daten LOESCHEN", KW_ERASE },
	{ "Daten loeschen", KW_ERASE },
	{ "ALLE DATEN LÖSCHEN!", KW_ERASE },
	{ "Alle Daten lo\xcc\x88schen", KW_ERASE },	/* decomposed ö */
	{ "Alle Daten löſchen", KW_NONE },	/* long s is not s */
	/* Telegram commands. */
	{ "/start abc-123_XY", KW_SUBSCRIBE },	/* deep-link payload */
	{ "/start@MusterstadtNewsBot", KW_SUBSCRIBE },
	{ "/stop@MusterstadtNewsBot", KW_UNSUBSCRIBE },
	{ "/START", KW_SUBSCRIBE },
	{ "/stop now", KW_NONE },		/* only /start takes words */
	{ "/help me", KW_NONE },
	{ "/startx", KW_NONE },
	/* Sentences that merely contain a keyword. */
	{ "Bitte nicht stoppen", KW_NONE },
	{ "stoppen bitte", KW_NONE },
	{ "Stopp bitte", KW_NONE },
	{ "Bitte Stopp", KW_NONE },
	{ "Wann ist der Start?", KW_NONE },
	{ "Ich will meine Daten sehen", KW_NONE },
	{ "Alle Daten löschen bitte", KW_NONE },
	{ "Wie kann ich alle Daten löschen?", KW_NONE },
	{ "Startseite", KW_NONE },
	{ "Stoppschild an der Hauptstraße", KW_NONE },
	{ "Hilfe bei der Anmeldung", KW_NONE },
	{ "Daten", KW_NONE },
	{ "löschen", KW_NONE },
	/* Not keywords at all, or not text. */
	{ "", KW_NONE },
	{ "   ", KW_NONE },
	{ "!!!", KW_NONE },
	{ "\xff\xfe", KW_NONE },		/* invalid UTF-8 */
	{ "Stopp\xc3", KW_NONE },		/* truncated sequence */
	{ "St\xc0\xafopp", KW_NONE },		/* overlong encoding */
	{ "🙂", KW_NONE },
	/* English, for the built-in English texts. */
	{ "Delete all data", KW_ERASE },
	{ "My data", KW_MYDATA },
};

static void
test_table(void **state)
{
	size_t i, failed = 0;
	enum kw_intent got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = kw_match(cases[i].text, strlen(cases[i].text));
		if (got != cases[i].want) {
			print_error("\"%s\": want %s, got %s\n", cases[i].text,
			    kw_intent_name(cases[i].want), kw_intent_name(got));
			failed++;
		}
	}
	assert_int_equal(failed, 0);
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 40);
}

/* A NUL inside the message ends nothing: the length counts. */
static void
test_embedded_nul(void **state)
{
	(void)state;
	assert_int_equal(kw_match("Stopp\0!", 7), KW_NONE);
	assert_int_equal(kw_match("Stopp", 5), KW_UNSUBSCRIBE);
}

/* A long message is never a keyword, whatever its end. */
static void
test_long(void **state)
{
	char buf[5000];

	(void)state;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + sizeof(buf) - 5, "Stopp", 5);
	assert_int_equal(kw_match(buf, sizeof(buf)), KW_NONE);
	assert_int_equal(kw_match(buf + sizeof(buf) - 100, 100),
	    KW_UNSUBSCRIBE);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(kw_intent_name(KW_ERASE), "erase");
	assert_string_equal(kw_intent_name(KW_NONE), "none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
