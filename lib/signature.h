/*
 * signature.h: checking that a webhook comes from its platform.
 *
 * Meta signs the raw body: X-Hub-Signature-256: sha256=<hex of
 * HMAC-SHA256(app secret, body)>.  Telegram sends back the secret token
 * given to setWebhook.  Both are compared in constant time, over the
 * bytes as received.
 */
#ifndef SIGNATURE_H
#define SIGNATURE_H

#include <stddef.h>

#include "conf.h"

/* Is header ("sha256=...") the signature of body under secret? */
int	 signature_meta_ok(const struct secret *, const char *header,
	    const char *body, size_t len);
/* Are a and b equal?  Takes the same time wherever they differ. */
int	 signature_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif /* SIGNATURE_H */
