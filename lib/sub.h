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
 *   unanswered    time of the oldest chat message the city owes an
 *                 answer to (hb-reply's inbox)
 *   topics        the [topics] they chose; absent: everything
 *   caught_up     the calendar day of their last catch-up (ingest.c)
 *
 * This module alone writes the table and builds the state index's keys
 * ("state:channel", sub_state_key()).
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

/* What a message tells of its sender. */
struct sub_contact {
	const char *id;
	enum chan chan;
	const char *name, *phone, *alias, *lang;	/* or NULL */
	time_t	 time;		/* of the message; 0: now */
};

/*
 * The sender of a message, recorded or brought up to date: name, phone,
 * alias, language, and the time of their last message.  Someone new is
 * recorded as stopped.  *rec is the record as written (a new reference).
 */
int	 sub_seen(struct txn *, const struct sub_contact *, time_t now,
	    json_t **rec);
/* A chat message at time t waits for an answer, unless one waits already. */
int	 sub_set_unanswered(struct txn *, const char *id, time_t t);
/* The city has answered id.  STORE_NOTFOUND if there is no such ID. */
int	 sub_clear_unanswered(struct txn *, const char *id);
/*
 * The topics id chose (names of [topics]; none: everything), as the
 * record's "topics".  STORE_NOTFOUND if there is no id.
 */
int	 sub_set_topics(struct txn *, const char *id, const json_t *topics);
/* id got a catch-up on calendar day `day'. */
int	 sub_note_catch_up(struct txn *, const char *id, long day);
/*
 * Give the record of old the ID new (and the phone it names), unless
 * new has a record already; old's goes.  0 also when old has none.
 */
int	 sub_move(struct txn *, const char *old, const char *new);
/*
 * The ID of the person whose record has alias as its "alias" (WhatsApp's
 * BSUID beside the phone), into id: 0, or STORE_NOTFOUND.
 */
int	 sub_find_alias(struct txn *, const char *alias, char *id, size_t idsz);
/* Delete id's record: 0, or STORE_NOTFOUND. */
int	 sub_delete(struct txn *, const char *id);

/* The state index's key of a state and channel, "active:telegram". */
size_t	 sub_state_key(enum sub_state, enum chan, char *buf, size_t size);
/*
 * The subscribers in state on channel, in ID order, from the ID from
 * on (NULL: the first), without a scan; the callback sees ID and record.
 */
int	 sub_each_in(struct txn *, enum sub_state, enum chan, const char *from,
	    store_each_fn, void *arg);
/* Every subscriber, in ID order. */
int	 sub_each(struct txn *, store_each_fn, void *arg);
/* How many subscribers are in state on channel. */
int	 sub_count_in(struct txn *, enum sub_state, enum chan, size_t *);

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
/* The longest name, phone, alias or language import takes, in bytes. */
#define SUB_FIELD_MAX	1024

/*
 * A record from an exported one (as list -j prints it): checks the ID,
 * state, times and the length of each text (SUB_FIELD_MAX).  NULL with a
 * reason in err.
 */
json_t	*sub_import(const json_t *exp, time_t now, char *err, size_t errsz);

/*
 * One line of an ID list: a plain ID, TSV with the ID first, or a JSON
 * object with "id".  Copies the ID into id and returns 0; 1 for a blank
 * line; -1 with a reason in err.
 */
int	 sub_id_from_line(const char *line, char *id, size_t idsz, char *err,
	    size_t errsz);

/*
 * When the subscription of such a line began: a JSON line's "since", or
 * the fourth field of a TSV line as list prints it.  0 if it has none.
 */
time_t	 sub_since_from_line(const char *line);

#endif /* SUB_H */
