/*
 * ingest.h: what hb-ingest does with the events of a body, in one
 * transaction (DESIGN §2.1, §2.2).
 *
 * - A message is stored in the person's conversation, once: a platform's
 *   retry (same platform id) is recognised and dropped.  The person's
 *   record is created or updated (name, phone, time of the last message,
 *   which starts the 24 hour window).  Someone who writes without ever
 *   subscribing is recorded as stopped, with no "since".
 * - A keyword acts: subscribe, unsubscribe, erase, help, mydata.  The
 *   answer goes to the outbox unless replaying.
 * - A status notice updates the delivery records of the city's
 *   messages; a block marks the subscriber unreachable.
 * - A WhatsApp number change moves the person to the new ID.
 * - What the platform dates at or before a person's erasure (a retry, a
 *   replay, a body left in the spool) is dropped: it must not bring back
 *   someone who asked to be forgotten (ledger.h).
 *
 * Each event that happened is appended to `out' as a JSON object for
 * the event stream and the hooks (DESIGN §5).
 */
#ifndef INGEST_H
#define INGEST_H

#include <time.h>

#include <jansson.h>

#include "conf.h"
#include "inbound.h"
#include "store.h"

struct ingest {
	const struct conf *conf;
	const struct in_events *evs;
	int	 replay;	/* -r: store and update, no answers */
	long long tg_offset;	/* poll: Telegram's next offset, or 0 */
	time_t	 now;
	json_t	*out;		/* array of events that happened */
};

/* A store_txn_fn: arg is a struct ingest. */
int	 ingest_apply(struct txn *, void *arg);
/*
 * The audit line of each erasure among the committed events (a
 * citizen's "Alle Daten löschen"), in syslog: the channel, never who.
 */
void	 ingest_audit(const json_t *events);
/* Telegram's polling offset as stored (0 if none yet). */
int	 ingest_tg_offset(struct txn *, long long *offset);

/*
 * The time a webhook (or poll) of channel c was last stored, for
 * monitoring: noted by ingest_apply, read by metrics (0: never).
 */
int	 ingest_note_inbound(struct txn *, enum chan c, time_t now);
int	 ingest_last_inbound(struct txn *, enum chan c, time_t *when);

#endif /* INGEST_H */
