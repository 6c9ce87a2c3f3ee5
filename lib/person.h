/*
 * person.h: everything stored about one person, in one list.
 *
 * A person is their subscriber record and their part of every table
 * that holds records of people (person.c lists them: the conversation,
 * the deliveries, the outbox), each found through its person index.
 * Showing, moving and erasing a person go through that one list, so
 * they cannot disagree about what belongs to someone.
 */
#ifndef PERSON_H
#define PERSON_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "store.h"

/*
 * *all (a new reference) becomes {"subscriber": exported record,
 * "messages": [...], "deliveries": [...], "outbox": [...]}, as a person
 * reads them (times in RFC 3339): the answer to a data access request
 * (hb-subscribe show, the "Meine Daten" keyword).  STORE_NOTFOUND
 * without a subscriber.
 */
int	 person_collect(struct txn *, const char *id, json_t **all);
/*
 * The "Meine Daten" answer: what person_collect() found, in words of
 * lang (German unless "en"), after the line intro (a malloc'd string).
 */
char	*person_summary(const char *intro, const char *lang,
	    const json_t *all);

/*
 * Move a person from one ID to another (a WhatsApp number change, a
 * BSUID that turns out to be a known phone): the record (unless the new
 * ID has one) and every part.
 */
int	 person_move(struct txn *, const char *old, const char *new);

struct person_counts {
	size_t	 subscribers, messages, deliveries, outbox;
};

/*
 * Forget a person, in the caller's transaction: the record and every
 * part.  A sender at work drops what it holds of them (revoke.h).  The
 * bytes stay in free pages and logs until hb-purge scrub.
 */
int	 person_forget(struct txn *, const char *id, struct person_counts *);
/*
 * Erase a person because they asked ("Alle Daten löschen", hb-purge
 * erase): forget them and put them on the ledger (ledger.h), under
 * their alias too (a BSUID), so that neither ID brings them back.
 */
int	 person_erase(struct txn *, const char *id, time_t now,
	    struct person_counts *);

#endif /* PERSON_H */
