/*
 * answer.h: what became of one send of hb-broadcast, as the sender's
 * callback records it, the journal keeps it and a round commits it
 * (journal.h, dispatch.h).  Decoded once; the owners of the records it
 * changes (delivery.h, outbox.h) read the struct, never the JSON.
 */
#ifndef ANSWER_H
#define ANSWER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "hb.h"
#include "platform.h"

/* Where the job came from. */
enum answer_origin {
	ANSWER_FANOUT,		/* a subscriber handed out; no record yet */
	ANSWER_DELIVERY,	/* a delivery record, claimed */
	ANSWER_OUTBOX		/* an outbox entry, claimed */
};

struct answer {
	enum answer_origin origin;
	uint64_t ref;		/* the broadcast, or the outbox entry */
	unsigned epoch;		/* revocations seen when it was claimed */
	char	 id[HB_ID_MAX + 1];	/* the subscriber */
	enum platform_outcome outcome;
	char	 why[160];	/* the platform's words */
	char	 pid[160];	/* the platform's id of the last part sent */
	size_t	 parts;		/* parts accepted so far */
	int	 template;	/* sent as the WhatsApp template */
	int	 no_media;	/* without the broadcast's attachment */
	int	 tries;		/* failed tries before this one */
	int	 requested;	/* a request went out: this was a try (not
				   so for jobs a halted channel hands back) */
	long	 retry_after;	/* seconds, when the platform said */
	time_t	 at;		/* when the answer came */
};

/* The journal's line: an object with a member per field, by name. */
json_t	*answer_encode(const struct answer *);
/* 0, or -1 for a line that is no answer (then a is undefined). */
int	 answer_decode(const json_t *, struct answer *a);

#endif /* ANSWER_H */
