/*
 * check.h: asking each platform whether hb's set-up works
 * (hb-broadcast check), before a broadcast finds out.
 *
 *   Telegram    getMe (the token), getWebhookInfo (the webhook, its
 *               pending updates and last error)
 *   WhatsApp    the phone number (quality rating, throughput), and with
 *               waba_id the templates' status
 *   Messenger   the page
 *   Instagram   the account
 */
#ifndef CHECK_H
#define CHECK_H

#include <stddef.h>

#include "chan.h"
#include "conf.h"

/* Check channel c: 0 when all is well; why says what was found. */
int	 check_channel(const struct conf *, enum chan c, char *why,
	    size_t whysz);

#endif /* CHECK_H */
