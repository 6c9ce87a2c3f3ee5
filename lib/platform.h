/*
 * platform.h: the four send APIs, as platforms.md describes them.
 *
 * platform_request() makes the HTTP request that sends one text to one
 * subscriber; platform_result() reads the platform's answer and says
 * what hb should do next.  Neither does any I/O, so both are tested and
 * fuzzed on their own.  Reasons never quote the text that was sent.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stddef.h>

#include "chan.h"
#include "conf.h"
#include "http.h"
#include "media.h"
#include "split.h"

/* Longest free text per message, and the WhatsApp template's body. */
#define PLATFORM_TEMPLATE_MAX	1024

struct platform_limit {
	size_t	 max;
	enum split_unit unit;
};

const struct platform_limit *platform_limit(enum chan);

enum platform_kind {
	PK_UPDATE,		/* an announcement */
	PK_RESPONSE,		/* an answer to what the citizen sent */
	PK_TEMPLATE,		/* WhatsApp, outside the window: the template */
	PK_HUMAN_AGENT		/* Messenger, Instagram: a person's answer
				   outside 24 hours, within 7 days */
};

struct platform_req {
	char	*url;		/* holds Telegram's token: never log it */
	char	*body;		/* JSON, or NULL for */
	int	 upload;	/* the form, with the file */
	struct http_form form;
	char	*field;		/* the form's one JSON field (Messenger) */
	char	*auth;		/* "Authorization: Bearer ..." or NULL */
};

/*
 * The request that sends text to the subscriber id on its channel:
 * with m, its picture or document, and text its caption ("": none).
 * Sent by the platform's reference (m->ref) where there is one; on
 * Telegram without one, the request uploads the file (the answer has
 * the file_id).  0, or -1 after a message (a channel without a token,
 * a bad ID).
 */
int	 platform_request(const struct conf *, const char *id,
	    const char *text, const struct media *m, enum platform_kind,
	    struct platform_req *);
/*
 * The request that uploads m to WhatsApp or Messenger, whose answer
 * (platform_upload_result) holds the reference.  0, or -1.
 */
int	 platform_upload(const struct conf *, enum chan, const struct media *m,
	    struct platform_req *);
void	 platform_req_release(struct platform_req *);
/*
 * Strings that carry cc's send token, to be let go of with
 * platform_wipe(), which clears them first: the Graph APIs' header
 * "Authorization: Bearer TOKEN", and a Telegram Bot API URL, whose path
 * holds the token: API/botTOKEN/ and then fmt ("getMe", say).
 */
char	*platform_bearer(const struct chan_conf *);
char	*platform_tg_url(const struct chan_conf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 platform_wipe(char *);

enum platform_outcome {
	PO_SENT,		/* accepted; pid is the platform's id */
	PO_RETRY,		/* temporary: this message again later */
	PO_THROTTLE,		/* too fast: pause the channel, then again */
	PO_WINDOW,		/* outside the 24 hour window */
	PO_GONE,		/* blocked, unknown: the subscriber is unreachable */
	PO_REFUSED,		/* this message will never be accepted */
	PO_HALT,		/* token or account: stop the whole channel */
	PO_WITHDRAWN		/* not sent: its owner took it back
				   (sender_filter: an erasure, a cancel) */
};

struct platform_res {
	enum platform_outcome outcome;
	long	 retry_after;	/* seconds, when the platform said */
	char	 pid[160];	/* "channel:message id" when sent */
	char	 why[160];	/* the platform's code and words */
	char	 ref[256];	/* an upload's reference (Telegram: file_id) */
	int	 stale_ref;	/* the media reference sent is no longer known:
				   upload again */
};

/*
 * What the answer (HTTP status, the seconds of its Retry-After header
 * or 0, body of len bytes) to a send on chan means.  id is the
 * recipient, for the pid of Telegram's messages, which are numbered per
 * chat.
 */
void	 platform_result(enum chan, const char *id, long status,
	    long retry_after, const char *body, size_t len,
	    struct platform_res *);
/* What the answer to platform_upload() means: PO_SENT with ref, or not. */
void	 platform_upload_result(enum chan, long status, long retry_after,
	    const char *body, size_t len, struct platform_res *);
const char *platform_outcome_name(enum platform_outcome);
/* The outcome called name, or -1. */
int	 platform_outcome_lookup(const char *name);
/* Is it worth sending the same message again later? */
int	 platform_outcome_temporary(enum platform_outcome);

#endif /* PLATFORM_H */
