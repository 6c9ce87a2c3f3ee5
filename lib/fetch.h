/*
 * fetch.h: downloading a citizen's picture or document from the
 * platform (hb-reply fetch), by the reference kept with the message
 * (inbound.h).  hb keeps no copy: the bytes go where the office says.
 *
 *   WhatsApp    GET /MEDIA-ID, whose answer names a short-lived URL;
 *               GET that with the same token
 *   Telegram    getFile?file_id=..., then /file/bot<token>/<file_path>
 *               (bots may download up to 20 MB)
 *   Messenger,  the attachment's payload.url itself, which expires
 *   Instagram
 */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>
#include <stdio.h>

#include "chan.h"
#include "conf.h"

enum fetch_result {
	FETCH_OK,
	FETCH_GONE,		/* the platform no longer has it */
	FETCH_REFUSED,		/* the platform said no (a token, a limit) */
	FETCH_TEMPFAIL		/* no answer: try again */
};

/* Write the file ref names on channel c to out; why says what failed. */
enum fetch_result fetch_media(const struct conf *, enum chan c,
	    const char *ref, FILE *out, char *why, size_t whysz);

#endif /* FETCH_H */
