/*
 * texts.h: the built-in texts hb sends on its own (welcome, goodbye,
 * erased, help, mydata), in German and English.  hb.conf's [texts.LANG]
 * sections override them; conf_text() picks the one to send.
 */
#ifndef TEXTS_H
#define TEXTS_H

#include "conf.h"

/* The built-in text, or NULL when lang has none. */
const char *texts_builtin(const char *lang, enum text_id);

#endif /* TEXTS_H */
