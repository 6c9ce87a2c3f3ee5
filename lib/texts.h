/*
 * texts.h: the built-in texts hb sends on its own (welcome, goodbye,
 * erased, help, mydata), in German and English.  hb.conf's [texts.LANG]
 * sections override them; conf_text() picks the one to send.
 */
#ifndef TEXTS_H
#define TEXTS_H

#include <jansson.h>

#include "conf.h"

/* The built-in text, or NULL when lang has none. */
const char *texts_builtin(const char *lang, enum text_id);

/*
 * The answer to "Meine Daten": what person_collect() found, in words
 * (a malloc'd string).
 */
char	*texts_mydata(const struct conf *, const char *lang, const json_t *all);

#endif /* TEXTS_H */
