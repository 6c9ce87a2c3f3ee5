/*
 * texts.c: the built-in texts; see texts.h.
 *
 * The welcome carries the privacy notice and the age note: Germany sets
 * the age of consent for information society services at 16 (Art. 8
 * GDPR, § 8 BDSG has no lower age), whatever a platform's own minimum.
 */
#include <stdio.h>
#include <string.h>

#include "texts.h"

static const char *const names[TEXT_COUNT] = {
	[TEXT_WELCOME] = "welcome",
	[TEXT_GOODBYE] = "goodbye",
	[TEXT_ERASED] = "erased",
	[TEXT_HELP] = "help",
	[TEXT_MYDATA] = "mydata",
	[TEXT_TOPICS] = "topics",
	[TEXT_TOPIC_ON] = "topic_on",
	[TEXT_TOPIC_OFF] = "topic_off",
	[TEXT_NEWS] = "news",
	[TEXT_NO_NEWS] = "no_news",
	[TEXT_CATCH_UP] = "catch_up",
};

#define DE_PRIVACY \
	"Datenschutz: Wir speichern nur Ihren Namen, Ihre Telefonnummer " \
	"oder Konto-ID, Ihren Messenger, Ihre Nachrichten an uns und ob " \
	"Sie unsere Nachrichten gelesen haben. Wir geben nichts an Dritte " \
	"weiter. Mit \"Meine Daten\" sehen Sie, was gespeichert ist."

#define EN_PRIVACY \
	"Privacy: we store only your name, your phone number or account " \
	"ID, your messenger, the messages you send us and whether you " \
	"read ours. Nothing is passed on to anyone. Send \"My data\" to " \
	"see what is stored."

static const char *const de[TEXT_COUNT] = {
	/* After the greeting and the promise (texts_builtin). */
	[TEXT_WELCOME] =
	    "Mit \"Stopp\" melden Sie sich ab, mit \"Alle Daten löschen\" "
	    "löschen wir alles über Sie.\n\n" DE_PRIVACY "\n\n"
	    "Der Dienst richtet sich an Menschen ab 16 Jahren; wer jünger "
	    "ist, braucht die Zustimmung der Eltern.",
	[TEXT_GOODBYE] =
	    "Sie sind abgemeldet und erhalten keine Nachrichten mehr. "
	    "Mit \"Start\" melden Sie sich jederzeit wieder an.",
	[TEXT_ERASED] =
	    "Alle Ihre Daten sind gelöscht. Dies ist unsere letzte "
	    "Nachricht an Sie. Mit \"Start\" können Sie sich jederzeit neu "
	    "anmelden.",
	[TEXT_HELP] =
	    "\"Start\": anmelden. \"Stopp\": abmelden. \"Meine Daten\": "
	    "sehen, was gespeichert ist. \"Alle Daten löschen\": alles "
	    "löschen. Auf Ihre Fragen antwortet die Pressestelle.\n\n"
	    DE_PRIVACY,
	[TEXT_MYDATA] =
	    "Das haben wir über Sie gespeichert:",
	[TEXT_TOPICS] =
	    "Mit \"Start\" und einem Thema erhalten Sie Nachrichten zu "
	    "diesem Thema, mit \"Stopp\" und dem Thema keine mehr. Wer "
	    "kein Thema wählt, erhält alle. Unsere Themen:",
	[TEXT_TOPIC_ON] =
	    "Gern. Sie erhalten Nachrichten zum Thema:",
	[TEXT_TOPIC_OFF] =
	    "Sie erhalten keine Nachrichten mehr zum Thema:",
	[TEXT_NEWS] =
	    "Unsere Nachrichten der letzten Tage, die neueste zuerst:",
	[TEXT_NO_NEWS] =
	    "In den letzten Tagen gab es keine Nachrichten.",
	[TEXT_CATCH_UP] =
	    "Das haben Sie in den letzten Tagen verpasst, das Neueste "
	    "zuerst:",
};

static const char *const en[TEXT_COUNT] = {
	[TEXT_WELCOME] =
	    "Send \"Stop\" to leave, or "
	    "\"Delete all data\" to have everything about you erased.\n\n"
	    EN_PRIVACY "\n\n"
	    "This service is for people aged 16 and over; younger people "
	    "need their parents' consent.",
	[TEXT_GOODBYE] =
	    "You have left and will get no more messages. Send \"Start\" "
	    "to come back at any time.",
	[TEXT_ERASED] =
	    "All your data has been erased. This is our last message to "
	    "you. Send \"Start\" to subscribe again at any time.",
	[TEXT_HELP] =
	    "\"Start\": subscribe. \"Stop\": leave. \"My data\": see what "
	    "is stored. \"Delete all data\": erase everything. The press "
	    "office answers your questions.\n\n" EN_PRIVACY,
	[TEXT_MYDATA] =
	    "This is what we store about you:",
	[TEXT_TOPICS] =
	    "Send \"Start\" and a topic to get news on it, \"Stop\" and "
	    "the topic to get none. Who chooses none gets everything. Our "
	    "topics:",
	[TEXT_TOPIC_ON] =
	    "Fine. You will get news on:",
	[TEXT_TOPIC_OFF] =
	    "You will get no more news on:",
	[TEXT_NEWS] =
	    "Our news of the last days, newest first:",
	[TEXT_NO_NEWS] =
	    "There has been no news in the last days.",
	[TEXT_CATCH_UP] =
	    "This is what you missed in the last days, newest first:",
};

const char *
texts_name(enum text_id id)
{
	return (unsigned)id < TEXT_COUNT ? names[id] : "?";
}

/* The welcome's promise, as daily_limit makes it. */
static void
promise(char *buf, size_t size, int german, long long limit)
{
	if (limit <= 0)
		buf[0] = '\0';
	else if (limit == 1)
		(void)snprintf(buf, size, "%s", german ?
		    "Sie erhalten höchstens eine Nachricht am Tag, nur in "
		    "Notfällen mehr. " : "You will get at most one message a "
		    "day, more only in emergencies. ");
	else
		(void)snprintf(buf, size, german ? "Sie erhalten höchstens "
		    "%lld Nachrichten am Tag, nur in Notfällen mehr. " : "You "
		    "will get at most %lld messages a day, more only in "
		    "emergencies. ", limit);
}

const char *
texts_builtin(const char *lang, enum text_id id, long long daily_limit)
{
	static char welcome[2][2048];
	char said[160];
	const char *const *t;
	int german;

	if ((unsigned)id >= TEXT_COUNT)
		return NULL;
	if ((german = strcmp(lang, "de") == 0) == 0 && strcmp(lang, "en") != 0)
		return NULL;
	t = german ? de : en;
	if (id != TEXT_WELCOME)
		return t[id];
	/* The welcome promises what daily_limit keeps, and no more. */
	promise(said, sizeof(said), german, daily_limit);
	(void)snprintf(welcome[german], sizeof(welcome[german]), "%s%s%s",
	    german ? "Willkommen bei den Nachrichten der Stadt! " :
	    "Welcome to the city's news! ", said, t[id]);
	return welcome[german];
}
