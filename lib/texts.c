/*
 * texts.c: the built-in texts; see texts.h.
 *
 * The welcome carries the privacy notice and the age note: Germany sets
 * the age of consent for information society services at 16 (Art. 8
 * GDPR, § 8 BDSG has no lower age), whatever a platform's own minimum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonl.h"
#include "texts.h"
#include "xalloc.h"

static const char *const names[TEXT_COUNT] = {
	[TEXT_WELCOME] = "welcome",
	[TEXT_GOODBYE] = "goodbye",
	[TEXT_ERASED] = "erased",
	[TEXT_HELP] = "help",
	[TEXT_MYDATA] = "mydata",
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
	[TEXT_WELCOME] =
	    "Willkommen bei den Nachrichten der Stadt! Sie erhalten "
	    "höchstens eine Nachricht am Tag, nur in Notfällen mehr. "
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
};

static const char *const en[TEXT_COUNT] = {
	[TEXT_WELCOME] =
	    "Welcome to the city's news! You will get at most one message "
	    "a day, more only in emergencies. Send \"Stop\" to leave, or "
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
};

const char *
conf_text_name(enum text_id id)
{
	return (unsigned)id < TEXT_COUNT ? names[id] : "?";
}

const char *
texts_builtin(const char *lang, enum text_id id)
{
	if ((unsigned)id >= TEXT_COUNT)
		return NULL;
	if (strcmp(lang, "de") == 0)
		return de[id];
	if (strcmp(lang, "en") == 0)
		return en[id];
	return NULL;
}

/* Labels of the "Meine Daten" answer. */
enum label { L_ACCOUNT, L_NAME, L_PHONE, L_STATE, L_SINCE, L_MESSAGES,
    L_RECEIVED, L_READ, L_ERASE, L_ACTIVE, L_STOPPED, L_UNREACHABLE,
    L_PENDING, L_COUNT };

static const char *const labels_de[L_COUNT] = {
	"Konto", "Name", "Telefon", "Status", "seit", "Ihre Nachrichten an uns",
	"Mitteilungen an Sie", "davon gelesen",
	"Mit \"Alle Daten löschen\" löschen wir alles.",
	"angemeldet", "nicht angemeldet", "nicht erreichbar", "unbestätigt",
};
static const char *const labels_en[L_COUNT] = {
	"Account", "Name", "Phone", "State", "since", "Your messages to us",
	"Messages to you", "read",
	"Send \"Delete all data\" and we erase everything.",
	"subscribed", "not subscribed", "unreachable", "unconfirmed",
};

/* A subscriber's state in words. */
static const char *
state_words(const char *const *l, const char *state)
{
	static const char *const states[] = { "active", "stopped",
	    "unreachable", "pending" };
	size_t i;

	for (i = 0; state != NULL && i < 4; i++)
		if (strcmp(state, states[i]) == 0)
			return l[L_ACTIVE + i];
	return state != NULL ? state : "?";
}

static size_t
count_read(const json_t *a)
{
	const char *state;
	const json_t *r;
	size_t i, n = 0;

	json_array_foreach(a, i, r)
		if ((state = jsonl_string(r, "state")) != NULL &&
		    strcmp(state, "read") == 0)
			n++;
	return n;
}

char *
texts_mydata(const struct conf *conf, const char *lang, const json_t *all)
{
	const char *const *l = lang != NULL && strcmp(lang, "en") == 0 ?
	    labels_en : labels_de;
	const json_t *sub = json_object_get(all, "subscriber");
	const char *v;
	char *out, *prev;
	size_t received;

	xasprintf(&out, "%s\n%s: %s", conf_text(conf, lang, TEXT_MYDATA),
	    l[L_ACCOUNT], jsonl_string(sub, "id"));
#define APPEND(...) do { prev = out; xasprintf(&out, __VA_ARGS__); \
	free(prev); } while (0)
	if ((v = jsonl_string(sub, "name")) != NULL)
		APPEND("%s\n%s: %s", out, l[L_NAME], v);
	if ((v = jsonl_string(sub, "phone")) != NULL)
		APPEND("%s\n%s: +%s", out, l[L_PHONE], v);
	APPEND("%s\n%s: %s", out, l[L_STATE], state_words(l,
	    jsonl_string(sub, "state")));
	if ((v = jsonl_string(sub, "since")) != NULL)
		APPEND("%s (%s %.10s)", out, l[L_SINCE], v);
	APPEND("%s\n%s: %zu", out, l[L_MESSAGES],
	    json_array_size(json_object_get(all, "messages")));
	received = json_array_size(json_object_get(all, "deliveries"));
	APPEND("%s\n%s: %zu, %s: %zu", out, l[L_RECEIVED], received,
	    l[L_READ], count_read(json_object_get(all, "deliveries")));
	APPEND("%s\n\n%s", out, l[L_ERASE]);
#undef APPEND
	return out;
}
