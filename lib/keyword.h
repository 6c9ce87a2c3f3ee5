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

#include "conf.h"

enum keyword_intent {
	KEYWORD_NONE,		/* a chat message */
	KEYWORD_SUBSCRIBE,
	KEYWORD_UNSUBSCRIBE,
	KEYWORD_ERASE,
	KEYWORD_HELP,
	KEYWORD_MYDATA,
	KEYWORD_NEWS,
	KEYWORD_TOPICS,		/* which topics there are, and one's own */
	KEYWORD_TOPIC_ON,	/* "Start Baustellen": choose a topic */
	KEYWORD_TOPIC_OFF	/* "Stopp Baustellen": leave it */
};

/*
 * The intent of a message of len bytes of UTF-8; KEYWORD_NONE if
 * invalid.  A subscribe or unsubscribe word followed by the name or a
 * word of one of conf's [topics] (folded as keywords are) is
 * KEYWORD_TOPIC_ON or _OFF, the topic's index in *topic; followed by
 * anything else it is no keyword, but for Telegram's "/start PAYLOAD"
 * (a deep link), which subscribes.  conf may be NULL: no topics.
 */
enum keyword_intent keyword_match(const char *text, size_t len,
	    const struct conf *conf, int *topic);
/* "subscribe", "unsubscribe", "erase", "help", "mydata", ... or "none". */
const char *keyword_intent_name(enum keyword_intent);

#endif /* KEYWORD_H */
