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
	enum keyword_intent want;
} cases[] = {
	/* Every keyword, as written in DESIGN. */
	{ "Start", KEYWORD_SUBSCRIBE },
	{ "Anmelden", KEYWORD_SUBSCRIBE },
	{ "/start", KEYWORD_SUBSCRIBE },
	{ "Stopp", KEYWORD_UNSUBSCRIBE },
	{ "Stop", KEYWORD_UNSUBSCRIBE },
	{ "Abmelden", KEYWORD_UNSUBSCRIBE },
	{ "Abbestellen", KEYWORD_UNSUBSCRIBE },
	{ "Ende", KEYWORD_UNSUBSCRIBE },
	{ "/stop", KEYWORD_UNSUBSCRIBE },
	{ "Unsubscribe", KEYWORD_UNSUBSCRIBE },
	{ "Alle Daten löschen", KEYWORD_ERASE },
	{ "Alle Daten loeschen", KEYWORD_ERASE },
	{ "Daten löschen", KEYWORD_ERASE },
	{ "/delete", KEYWORD_ERASE },
	{ "Hilfe", KEYWORD_HELP },
	{ "Help", KEYWORD_HELP },
	{ "Info", KEYWORD_HELP },
	{ "/help", KEYWORD_HELP },
	{ "Meine Daten", KEYWORD_MYDATA },
	/* Upper, lower and mixed case. */
	{ "START", KEYWORD_SUBSCRIBE },
	{ "start", KEYWORD_SUBSCRIBE },
	{ "sTaRt", KEYWORD_SUBSCRIBE },
	{ "STOPP", KEYWORD_UNSUBSCRIBE },
	{ "stopp", KEYWORD_UNSUBSCRIBE },
	{ "sToPp", KEYWORD_UNSUBSCRIBE },
	{ "ALLE DATEN LÖSCHEN", KEYWORD_ERASE },
	{ "alle daten löschen", KEYWORD_ERASE },
	{ "aLLe DaTen LöScHeN", KEYWORD_ERASE },
	{ "MEINE DATEN", KEYWORD_MYDATA },
	{ "hilfe", KEYWORD_HELP },
	{ "ABMELDEN", KEYWORD_UNSUBSCRIBE },
	/* White space around and inside, trailing punctuation. */
	{ "  Stopp  ", KEYWORD_UNSUBSCRIBE },
	{ "\tStart\n", KEYWORD_SUBSCRIBE },
	{ "Stopp!", KEYWORD_UNSUBSCRIBE },
	{ "Stopp!!!", KEYWORD_UNSUBSCRIBE },
	{ "Start.", KEYWORD_SUBSCRIBE },
	{ "Hilfe?", KEYWORD_HELP },
	{ "Stopp ! ", KEYWORD_UNSUBSCRIBE },
	{ "Start…", KEYWORD_SUBSCRIBE },
	{ "Alle  Daten   löschen", KEYWORD_ERASE },
	{ "Alle\u00a0Daten\u00a0löschen", KEYWORD_ERASE },	/* no-break spaces */
	{ "Alle Daten löschen.", KEYWORD_ERASE },
	{ "Meine Daten?", KEYWORD_MYDATA },
	{ "\xe2\x80\x8bStopp", KEYWORD_UNSUBSCRIBE },	/* zero-width space */
	{ "„Stopp“", KEYWORD_UNSUBSCRIBE },		/* copied with quotes */
	{ "\"Start\"", KEYWORD_SUBSCRIBE },
	/* Umlaut and ß folding, either spelling, either case. */
	{ "Alle Daten LOESCHEN", KEYWORD_ERASE },
	{ "Daten loeschen", KEYWORD_ERASE },
	{ "ALLE DATEN LÖSCHEN!", KEYWORD_ERASE },
	{ "Alle Daten lo\xcc\x88schen", KEYWORD_ERASE },	/* decomposed ö */
	{ "Alle Daten löſchen", KEYWORD_NONE },	/* long s is not s */
	/* Telegram commands. */
	{ "/start abc-123_XY", KEYWORD_SUBSCRIBE },	/* deep-link payload */
	{ "/start@MusterstadtNewsBot", KEYWORD_SUBSCRIBE },
	{ "/stop@MusterstadtNewsBot", KEYWORD_UNSUBSCRIBE },
	{ "/START", KEYWORD_SUBSCRIBE },
	{ "/stop now", KEYWORD_NONE },		/* only /start takes words */
	{ "/help me", KEYWORD_NONE },
	{ "/startx", KEYWORD_NONE },
	/* Sentences that merely contain a keyword. */
	{ "Bitte nicht stoppen", KEYWORD_NONE },
	{ "stoppen bitte", KEYWORD_NONE },
	{ "Stopp bitte", KEYWORD_NONE },
	{ "Bitte Stopp", KEYWORD_NONE },
	{ "Wann ist der Start?", KEYWORD_NONE },
	{ "Ich will meine Daten sehen", KEYWORD_NONE },
	{ "Alle Daten löschen bitte", KEYWORD_NONE },
	{ "Wie kann ich alle Daten löschen?", KEYWORD_NONE },
	{ "Startseite", KEYWORD_NONE },
	{ "Stoppschild an der Hauptstraße", KEYWORD_NONE },
	{ "Hilfe bei der Anmeldung", KEYWORD_NONE },
	{ "Daten", KEYWORD_NONE },
	{ "löschen", KEYWORD_NONE },
	/* Not keywords at all, or not text. */
	{ "", KEYWORD_NONE },
	{ "   ", KEYWORD_NONE },
	{ "!!!", KEYWORD_NONE },
	{ "\xff\xfe", KEYWORD_NONE },		/* invalid UTF-8 */
	{ "Stopp\xc3", KEYWORD_NONE },		/* truncated sequence */
	{ "St\xc0\xafopp", KEYWORD_NONE },		/* overlong encoding */
	{ "🙂", KEYWORD_NONE },
	/* News on request, the topics. */
	{ "Neu", KEYWORD_NEWS },
	{ "Neuigkeiten", KEYWORD_NEWS },
	{ "Aktuell!", KEYWORD_NEWS },
	{ "/news", KEYWORD_NEWS },
	{ "Was gibt es Neues?", KEYWORD_NONE },
	{ "Themen", KEYWORD_TOPICS },
	{ "/themen", KEYWORD_TOPICS },
	{ "Themen bitte", KEYWORD_NONE },
	/* Without [topics], a word after Start or Stopp is no keyword. */
	{ "Start Baustellen", KEYWORD_NONE },
	{ "Stopp Baustellen", KEYWORD_NONE },
	/* English, for the built-in English texts. */
	{ "Delete all data", KEYWORD_ERASE },
	{ "My data", KEYWORD_MYDATA },
};

/* [topics]: a topic by its name or any of its words, folded. */
static void
test_topics(void **state)
{
	static struct conf_topic topics[] = {
		{ "baustellen", "Baustellen, Verkehr, Straßensperrungen" },
		{ "kultur", "Veranstaltungen, Kultur" },
	};
	static const struct {
		const char *text;
		enum keyword_intent want;
		int topic;
	} t[] = {
		{ "Start Baustellen", KEYWORD_TOPIC_ON, 0 },
		{ "start verkehr!", KEYWORD_TOPIC_ON, 0 },
		{ "Anmelden Strassensperrungen", KEYWORD_TOPIC_ON, 0 },
		{ "START KULTUR", KEYWORD_TOPIC_ON, 1 },
		{ "/start kultur", KEYWORD_TOPIC_ON, 1 },	/* a deep link */
		{ "Stopp Veranstaltungen", KEYWORD_TOPIC_OFF, 1 },
		{ "stop  baustellen.", KEYWORD_TOPIC_OFF, 0 },
		{ "Abmelden Verkehr", KEYWORD_TOPIC_OFF, 0 },
		{ "Stopp", KEYWORD_UNSUBSCRIBE, -1 },		/* still all */
		{ "Start", KEYWORD_SUBSCRIBE, -1 },
		{ "Stopp bitte", KEYWORD_NONE, -1 },
		{ "Start Sport", KEYWORD_NONE, -1 },		/* no such topic */
		{ "/start abc-123", KEYWORD_SUBSCRIBE, -1 },	/* a payload */
		{ "Baustellen", KEYWORD_NONE, -1 },
		{ "Stopp Baustellen und Kultur", KEYWORD_NONE, -1 },
	};
	struct conf conf;
	size_t i, failed = 0;
	int topic;
	enum keyword_intent got;

	(void)state;
	memset(&conf, 0, sizeof(conf));
	conf.topics = topics;
	conf.ntopics = 2;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		got = keyword_match(t[i].text, strlen(t[i].text), &conf,
		    &topic);
		if (got != t[i].want || topic != t[i].topic) {
			print_error("\"%s\": want %s/%d, got %s/%d\n",
			    t[i].text, keyword_intent_name(t[i].want),
			    t[i].topic, keyword_intent_name(got), topic);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_table(void **state)
{
	size_t i, failed = 0;
	enum keyword_intent got;
	int topic;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = keyword_match(cases[i].text, strlen(cases[i].text), NULL,
		    &topic);
		if (got != cases[i].want) {
			print_error("\"%s\": want %s, got %s\n", cases[i].text,
			    keyword_intent_name(cases[i].want), keyword_intent_name(got));
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
	int topic;

	(void)state;
	assert_int_equal(keyword_match("Stopp\0!", 7, NULL, &topic),
	    KEYWORD_NONE);
	assert_int_equal(keyword_match("Stopp", 5, NULL, &topic),
	    KEYWORD_UNSUBSCRIBE);
}

/* A long message is never a keyword, whatever its end. */
static void
test_long(void **state)
{
	char buf[5000];
	int topic;

	(void)state;
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + sizeof(buf) - 5, "Stopp", 5);
	assert_int_equal(keyword_match(buf, sizeof(buf), NULL, &topic),
	    KEYWORD_NONE);
	assert_int_equal(keyword_match(buf + sizeof(buf) - 100, 100, NULL,
	    &topic),
	    KEYWORD_UNSUBSCRIBE);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(keyword_intent_name(KEYWORD_ERASE), "erase");
	assert_string_equal(keyword_intent_name(KEYWORD_NONE), "none");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_topics),
		cmocka_unit_test(test_embedded_nul),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
