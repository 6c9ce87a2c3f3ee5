/*
 * webhook.h: one webhook request as a CGI program gets it (hb-ingest's
 * CGI mode; DESIGN §2.1).
 *
 * webhook_request() routes by PATH_INFO (/telegram, /whatsapp,
 * /messenger, /instagram, or /meta for Meta's three), answers Meta's
 * verification handshake, refuses what is too large, unsigned, wrongly
 * signed or malformed, and parses the rest.  It touches no store: a
 * status other than 0 is the answer to give now; 0 means the body is
 * good, to be committed (through the spool), and then answered 200 (or
 * 503 if the store cannot take it).
 */
#ifndef WEBHOOK_H
#define WEBHOOK_H

#include "conf.h"
#include "inbound.h"

struct webhook {
	int	 status;	/* the HTTP status to answer now, or 0 */
	const char *header;	/* an extra header line, or NULL */
	char	*text;		/* the answer's body */
	struct in_events evs;	/* the body's events, as checked */
	int	 chan;		/* status 0: the body's channel */
	char	*body;		/* status 0: the body as received */
	size_t	 len;
};

void	 webhook_request(const struct conf *, struct webhook *);
void	 webhook_release(struct webhook *);

#endif /* WEBHOOK_H */
