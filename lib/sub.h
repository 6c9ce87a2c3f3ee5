/*
 * sub.h: subscribers, one record per person and channel.
 *
 * A record (table subscribers, key = the ID) holds what DESIGN §1 allows
 * and no more:
 *
 *   id            "channel:address"
 *   channel       "telegram", "whatsapp", "messenger", "instagram"
 *   state         "active", "stopped", "unreachable", "pending"
 *   name          display name from the platform, or absent
 *   phone         phone number where the platform gives one
 *   alias         WhatsApp's business-scoped user ID beside the phone
 *   lang          language of the texts hb sends them
 *   since         when the subscription (last) began, Unix seconds
 *   changed       when the state last changed
 *   last_inbound  platform time of their last message (24 hour window)
 *   source        "admin", "import" or "message"
 *
 * Exported (hb-subscribe list -j, show) the times are RFC 3339 strings;
 * import takes the exported form back.
 */
#ifndef SUB_H
#define SUB_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "chan.h"
#include "hb.h"
#include "store.h"

enum sub_state {
	SUB_ACTIVE,
	SUB_STOPPED,
	SUB_UNREACHABLE,
	SUB_PENDING,
	SUB_NSTATES
};

const char *sub_state_name(enum sub_state);
/* The state called name, or -1. */
int	 sub_state_lookup(const char *name);

/*
 * Subscribe id (or subscribe again).  *was is the state before, or -1
 * when the record is new.
 */
int	 sub_add(struct txn *, const char *id, const char *source, time_t now,
	    int *was);
/* Set the state of an existing subscriber; STORE_NOTFOUND if none. */
int	 sub_set_state(struct txn *, const char *id, enum sub_state,
	    time_t now);
/* The record of id (a new reference), or STORE_NOTFOUND. */
int	 sub_get(struct txn *, const char *id, json_t **rec);
/* Store an imported record unless the ID exists (STORE_EXISTS). */
int	 sub_put_new(struct txn *, json_t *rec);

/* Subscribers per channel and state, from the state index (no scan). */
int	 sub_count(struct txn *, size_t counts[CHAN_COUNT][SUB_NSTATES]);

/*
 * Walking the subscribers in ID order, a page per store session: init
 * once, then call sub_page_next() in a session of its own until done.
 */
struct sub_page {
	int	 chan;		/* only this channel, or -1 */
	int	 state;		/* only this state, or -1 */
	char	 from[HB_ID_MAX + 2]; /* go on after the last key seen */
	size_t	 fromlen;
	int	 done;
};

void	 sub_page_init(struct sub_page *, int chan, int state);
/* Append up to max matching records to the array out (new references). */
int	 sub_page_next(struct txn *, struct sub_page *, size_t max,
	    json_t *out);

/* The exported form of a record: times as RFC 3339 (new reference). */
json_t	*sub_export(const json_t *rec);
/*
 * A record from an exported one (as list -j prints it): checks the ID,
 * state and times.  NULL with a reason in err.
 */
json_t	*sub_import(const json_t *exp, time_t now, char *err, size_t errsz);

/*
 * One line of an ID list: a plain ID, TSV with the ID first, or a JSON
 * object with "id".  Copies the ID into id and returns 0; 1 for a blank
 * line; -1 with a reason in err.
 */
int	 sub_id_from_line(const char *line, char *id, size_t idsz, char *err,
	    size_t errsz);

#endif /* SUB_H */
