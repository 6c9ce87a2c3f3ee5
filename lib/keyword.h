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

enum kw_intent {
	KW_NONE,		/* a chat message */
	KW_SUBSCRIBE,
	KW_UNSUBSCRIBE,
	KW_ERASE,
	KW_HELP,
	KW_MYDATA
};

/* The intent of a message of len bytes of UTF-8; KW_NONE if invalid. */
enum kw_intent kw_match(const char *text, size_t len);
/* "subscribe", "unsubscribe", "erase", "help", "mydata" or "none". */
const char *kw_intent_name(enum kw_intent);

#endif /* KEYWORD_H */
