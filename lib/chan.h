/*
 * chan.h: the messenger channels hb speaks to.
 *
 * The order of enum chan is the order of the configuration sections and
 * of every per-channel listing.
 */
#ifndef CHAN_H
#define CHAN_H

#include <stddef.h>

enum chan {
	CHAN_TELEGRAM,
	CHAN_WHATSAPP,
	CHAN_MESSENGER,
	CHAN_INSTAGRAM,
	CHAN_COUNT
};

/* The channel called name (len bytes), or -1. */
int	 chan_lookup(const char *name, size_t len);
const char *chan_name(enum chan);

/*
 * Check a subscriber ID, "channel:address" (DESIGN §3), or the address
 * of a public Telegram channel.  Returns 0 and sets *chan, or -1 and
 * points *why at a reason fit for an error message.
 */
int	 chan_check_id(const char *id, enum chan *chan, const char **why);
/*
 * Whether id is a public Telegram channel ("telegram:@stadt_news"): a
 * valid address to post to, never a subscriber ([telegram] channel).
 */
int	 chan_is_public(const char *id);

#endif /* CHAN_H */
