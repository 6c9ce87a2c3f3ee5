/*
 * keyword.h: what a citizen's message asks for (DESIGN §2.2).
 *
 * A keyword counts only when it is the whole message.  Case, white space
 * around and inside, trailing punctuation, quotes around the word and
 * the spelling of umlauts and ß ("löschen", "loeschen", "LÖSCHEN", a
 * decomposed ö) make no difference; Telegram's "/start PAYLOAD" and
 * "/stop@SomeBot" are commands.  "Bitte nicht stoppen" is no keyword.
 */
#ifndef KEYWORD_H
#define KEYWORD_H

#include <stddef.h>

enum keyword_intent {
	KEYWORD_NONE,		/* a chat message */
	KEYWORD_SUBSCRIBE,
	KEYWORD_UNSUBSCRIBE,
	KEYWORD_ERASE,
	KEYWORD_HELP,
	KEYWORD_MYDATA
};

/* The intent of a message of len bytes of UTF-8; KEYWORD_NONE if invalid. */
enum keyword_intent keyword_match(const char *text, size_t len);
/* "subscribe", "unsubscribe", "erase", "help", "mydata" or "none". */
const char *keyword_intent_name(enum keyword_intent);

#endif /* KEYWORD_H */
