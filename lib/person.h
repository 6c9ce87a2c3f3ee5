/*
 * person.h: everything stored about one person, the answer to a data
 * access request (hb-subscribe show, the "Meine Daten" keyword).
 */
#ifndef PERSON_H
#define PERSON_H

#include <jansson.h>

#include "store.h"

/*
 * *all (a new reference) becomes {"subscriber": exported record,
 * "messages": [...], "deliveries": [...], "outbox": [...]}, every part
 * found through its person index.  STORE_NOTFOUND without a subscriber.
 */
int	 person_collect(struct txn *, const char *id, json_t **all);

#endif /* PERSON_H */
