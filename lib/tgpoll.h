/*
 * tgpoll.h: Telegram's getUpdates (platforms.md §2.1), for installations
 * without a public HTTPS endpoint.  The offset lives in the store and is
 * written in the same transaction as the updates' events (see
 * ingest.h), so that a crash neither loses nor repeats an update.
 */
#ifndef TGPOLL_H
#define TGPOLL_H

#include <jansson.h>

#include "conf.h"

enum tgpoll_result {
	TGPOLL_OK = 0,
	TGPOLL_TEMPFAIL = 1,	/* try again: network, 429, 5xx */
	TGPOLL_PERMFAIL = 2	/* will not work: bad token, webhook set */
};

/*
 * Fetch the updates from offset on, long-polling up to timeout seconds.
 * *updates (a new reference) is their array; *retry_after is the wait
 * Telegram asks for after a 429, else 0.
 */
int	 tgpoll_fetch(const struct chan_conf *, long long offset, long timeout,
	    json_t **updates, long *retry_after);

#endif /* TGPOLL_H */
