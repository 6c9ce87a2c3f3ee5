/*
 * texts.h: the texts hb sends on its own (welcome, goodbye, erased,
 * help, mydata), their names, and the built-in ones in German and
 * English.  hb.conf's [texts.LANG] sections override them; conf_text()
 * picks the one to send.
 */
#ifndef TEXTS_H
#define TEXTS_H

/* Messages that hb sends on its own; each has built-in German and English. */
enum text_id {
	TEXT_WELCOME,
	TEXT_GOODBYE,
	TEXT_ERASED,
	TEXT_HELP,
	TEXT_MYDATA,
	TEXT_TOPICS,		/* "Themen": the topics, theirs marked */
	TEXT_TOPIC_ON,		/* "Start Baustellen": followed by the topic */
	TEXT_TOPIC_OFF,
	TEXT_NEWS,		/* "Neu": before the recent announcements */
	TEXT_NO_NEWS,		/* "Neu" when there are none */
	TEXT_CATCH_UP,		/* before what the window kept from them */
	TEXT_COUNT
};

/* The text's name, as [texts.LANG] keys and outbox entries say it. */
const char *texts_name(enum text_id);
/*
 * The built-in text, or NULL when lang has none.  The welcome says what
 * daily_limit promises (0: no limit, so no promise); it is kept in a
 * buffer of this module until the next call.
 */
const char *texts_builtin(const char *lang, enum text_id,
	    long long daily_limit);

#endif /* TEXTS_H */
